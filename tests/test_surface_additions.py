"""Small PyTorch names added to the surface: `cpu`, `OutOfMemoryError`, `to_dlpack`,
`Tensor.resize`/`resize_as`, `Module.compile`, `reversed(t)` (behaviour observed from
PyTorch 2.13)."""

import ferrograd as fg
import numpy as np
import pytest


def test_cpu_device_module():
    assert fg.cpu.is_available() is True
    assert fg.cpu.is_initialized() is True
    assert fg.cpu.device_count() == 1
    assert fg.cpu.current_device() == "cpu"
    assert fg.cpu.synchronize() is None and fg.cpu.set_device("cpu") is None


def test_out_of_memory_error_is_a_runtime_error():
    assert issubclass(fg.OutOfMemoryError, RuntimeError)
    assert repr(fg.OutOfMemoryError) == "<class 'ferrograd.OutOfMemoryError'>"


def test_to_dlpack_round_trip():
    x = fg.arange(6.0).reshape(2, 3)
    y = fg.from_dlpack(fg.to_dlpack(x))
    assert y.tolist() == x.tolist()
    assert y.data_ptr() == x.data_ptr()


def test_non_inplace_resize_is_deprecated_and_keeps_numel():
    x = fg.arange(6.0).reshape(2, 3)
    with pytest.warns(UserWarning, match="non-inplace resize is deprecated"):
        y = x.resize(3, 2)
    assert tuple(y.shape) == (3, 2) and y.flatten().tolist() == list(np.arange(6.0))
    with pytest.warns(UserWarning, match="non-inplace resize_as is deprecated"):
        assert tuple(x.resize_as(fg.ones(6)).shape) == (6,)
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match=r"requested resize to 4 \(4 elements in total\)"):
        x.resize(4)


def test_module_compile_keeps_results():
    fg.manual_seed(0)
    m = fg.nn.Linear(3, 2)
    x = fg.ones(4, 3)
    before = m(x).tolist()
    assert m.compile() is None
    assert m(x).tolist() == before
    assert fg.nn.Module.dump_patches is False


def test_reversed_flips_the_first_dim():
    assert [t.tolist() for t in reversed(fg.arange(3))] == [2, 1, 0]
    assert [t.tolist() for t in reversed(fg.arange(4).reshape(2, 2))] == [[2, 3], [0, 1]]


def test_python_messages_name_the_type_tensor():
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+: 'Tensor' and 'str'"):
        fg.ones(2) + "a"
    assert repr(fg.Tensor) == "<class 'ferrograd.Tensor'>"


def test_unary_plus_refuses_bool():
    x = fg.ones(2)
    assert (+x) is x
    with pytest.raises(RuntimeError, match="The `\\+` operator, on a bool tensor is not supported."):
        +fg.tensor([True])
