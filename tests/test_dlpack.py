"""Zero-copy exchange with NumPy (`from_numpy`, `numpy()`) and DLPack (`__dlpack__`,
`from_dlpack`, `utils.dlpack`), with PyTorch too when it is importable."""

import gc
import importlib.util
import warnings

import numpy as np
import pytest
from backend import fg

HAVE_TORCH = importlib.util.find_spec("torch") is not None
if HAVE_TORCH:
    import torch


# ---- from_numpy ------------------------------------------------------------------------
@pytest.mark.parametrize(("np_dtype", "name"), [(np.float32, "float32"), (np.float64, "float64"),
                                                (np.int64, "int64"), (np.bool_, "bool")])
def test_from_numpy_keeps_dtype_and_values(np_dtype, name):
    a = np.array([[1, 0, 2], [0, 3, 1]], dtype=np_dtype)
    t = fg.from_numpy(a)
    assert t.dtype == getattr(fg, name) and tuple(t.shape) == (2, 3) and t.tolist() == a.tolist()


def test_from_numpy_shares_memory_both_ways():
    a = np.zeros((2, 3), dtype=np.float32)
    t = fg.from_numpy(a)
    a[0, 1] = 5.0
    assert t[0, 1].item() == 5.0
    t[1, 2] = -2.0
    assert a[1, 2] == -2.0
    t.add_(1.0)
    assert a.tolist() == [[1.0, 6.0, 1.0], [1.0, 1.0, -1.0]]
    assert t.data_ptr() == a.ctypes.data


def test_from_numpy_of_a_strided_view_shares_its_layout():
    base = np.arange(12, dtype=np.float64).reshape(3, 4)
    view = base[:, 1::2]
    t = fg.from_numpy(view)
    assert t.tolist() == [[1.0, 3.0], [5.0, 7.0], [9.0, 11.0]]
    assert t.stride() == (4, 2)
    t[2, 1] = 0.0
    assert base[2, 3] == 0.0
    tt = fg.from_numpy(base.T)
    assert tt.stride() == (1, 4) and tt.tolist() == base.T.tolist()


def test_the_tensor_keeps_the_array_alive():
    t = fg.from_numpy(np.arange(1000, dtype=np.int64) * 3)
    gc.collect()
    assert t[999].item() == 2997 and t.sum().item() == 3 * 999 * 1000 // 2


def test_from_numpy_of_zero_dim_and_empty_arrays():
    assert fg.from_numpy(np.array(2.5)).item() == 2.5
    assert tuple(fg.from_numpy(np.zeros((0, 4))).shape) == (0, 4)


def test_from_numpy_refuses_unsupported_dtypes():
    with pytest.raises(TypeError, match=r"can't convert np.ndarray of type numpy.str_. The only supported types are: float64, float32"):
        fg.from_numpy(np.array(["a", "b"]))
    with pytest.raises(TypeError, match="numpy.object_"):
        fg.from_numpy(np.array([None, 1], dtype=object))
    with pytest.raises(TypeError, match="expected np.ndarray"):
        fg.from_numpy([1.0, 2.0])


def test_from_numpy_refuses_other_byte_orders_and_records():
    with pytest.raises(ValueError, match="byte order different from the native byte order"):
        fg.from_numpy(np.zeros(2, dtype=">f4"))
    with pytest.raises(TypeError, match="numpy.void"):
        fg.from_numpy(np.zeros(2, dtype=[("a", "<f4")]))


def test_from_numpy_refuses_negative_strides():
    with pytest.raises(ValueError, match="At least one stride in the given numpy array is negative"):
        fg.from_numpy(np.arange(4.0)[::-1])


def test_non_writeable_arrays_are_accepted_with_at_most_a_warning():
    a = np.arange(3.0)
    a.flags.writeable = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = fg.from_numpy(a)
    assert t.tolist() == [0.0, 1.0, 2.0]
    for w in caught:  # PyTorch warns once per program
        assert issubclass(w.category, UserWarning) and "not writable" in str(w.message)


def test_numpy_shares_memory():
    t = fg.zeros(2, 2)
    a = t.numpy()
    a[1, 1] = 7.0
    assert t[1, 1].item() == 7.0
    t[0, 0] = 3.0
    assert a[0, 0] == 3.0
    assert np.shares_memory(a, t.numpy())


# ---- DLPack ----------------------------------------------------------------------------
def test_dlpack_device_is_the_cpu():
    kind, index = fg.ones(1).__dlpack_device__()
    assert (int(kind), index) == (1, 0)


@pytest.mark.parametrize("name", ["float32", "float64", "int64", "bool"])
def test_numpy_reads_tensors_through_dlpack_without_copying(name):
    t = fg.tensor([[1, 0], [1, 1]], dtype=getattr(fg, name))
    a = np.from_dlpack(t)
    assert a.dtype == np.dtype(name) and a.tolist() == t.tolist()
    assert a.ctypes.data == t.data_ptr()


def test_numpy_dlpack_view_writes_show_in_the_tensor_and_outlive_it():
    t = fg.arange(6.0).reshape(2, 3)
    view = t[:, 1:]
    a = np.from_dlpack(view)
    assert a.strides == (12, 4) and a.tolist() == [[1.0, 2.0], [4.0, 5.0]]
    a[0, 0] = 10.0  # NumPy marks DLPack imports read-only only when the producer says so
    assert t[0, 1].item() == 10.0
    del t, view
    gc.collect()
    assert a.sum() == 21.0


def test_from_dlpack_of_numpy_shares_memory():
    a = np.arange(6, dtype=np.int64).reshape(2, 3)
    t = fg.from_dlpack(a)
    assert t.dtype == fg.int64 and t.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert t.data_ptr() == a.ctypes.data
    s = fg.from_dlpack(a[:, ::2])
    assert s.tolist() == [[0, 2], [3, 5]] and s.stride() == (3, 2)
    del a
    gc.collect()
    assert t.sum().item() == 15


def test_utils_dlpack_capsules_are_consumed_once():
    from importlib import import_module

    dl = import_module(f"{fg.__name__}.utils.dlpack")
    t = fg.tensor([1.0, 2.0])
    cap = dl.to_dlpack(t)
    u = dl.from_dlpack(cap)
    u[0] = 9.0
    assert t.tolist() == [9.0, 2.0]
    with pytest.raises(RuntimeError, match="consumed only once"):
        dl.from_dlpack(cap)


def test_a_capsule_nobody_consumes_is_freed():
    t = fg.ones(3)
    for _ in range(100):
        t.__dlpack__()
    gc.collect()
    assert t.tolist() == [1.0, 1.0, 1.0]


def test_tensors_that_require_grad_are_not_exported():
    with pytest.raises(BufferError, match="require gradient"):
        fg.ones(2, requires_grad=True).__dlpack__()


def test_round_trip_through_our_own_dlpack():
    t = fg.arange(4.0)
    u = fg.from_dlpack(t)
    u[3] = 0.5
    assert t.tolist() == [0.0, 1.0, 2.0, 0.5] and u.data_ptr() == t.data_ptr()


def test_pytorch_interop_without_copies():
    t = fg.tensor([[1.0, 2.0], [3.0, 4.0]])
    if HAVE_TORCH:
        x = torch.from_dlpack(t)
        x[0, 0] = -1.0
        assert t[0, 0].item() == -1.0 and x.data_ptr() == t.data_ptr()
        y = torch.arange(3.0)
        u = fg.from_dlpack(y)
        y[1] = 7.0
        assert u.tolist() == [0.0, 7.0, 2.0] and u.data_ptr() == y.data_ptr()
    else:  # the same exchange with NumPy standing in for the other library
        x = np.from_dlpack(t)
        x[0, 0] = -1.0
        assert t[0, 0].item() == -1.0
        y = np.arange(3.0)
        u = fg.from_dlpack(y)
        y[1] = 7.0
        assert u.tolist() == [0.0, 7.0, 2.0]


def test_a_refused_capsule_is_freed_once_by_its_producer():
    import sys

    import ferrograd  # a reversed view has negative strides, which ferrograd refuses

    a = np.zeros(4, dtype=np.uint32)
    before = sys.getrefcount(a)
    for _ in range(200):
        with pytest.raises(BufferError, match="negative strides are not supported"):
            ferrograd.from_dlpack(a[::-1])
        junk = [np.ones(4) for _ in range(10)]  # reuse freed blocks: a double free would show
        del junk
    gc.collect()
    assert sys.getrefcount(a) == before
    assert a.tolist() == [0] * 4
