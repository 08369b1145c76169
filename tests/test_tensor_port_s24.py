"""Behaviours taken from PyTorch's own test files (test_indexing.py, test_view_ops.py,
test_type_promotion.py, test_shape_ops.py, test_tensor_creation_ops.py), checked
against PyTorch 2.13 on the CPU: the cases that differed in ferrograd, and a few
important ones that already matched. Expected values are PyTorch's, written out.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import math
import warnings

import pytest
from backend import fg

# --- logspace / linspace (test_tensor_creation_ops.py: test_logspace*, test_linspace*) ---


def test_float32_logspace_rounds_the_ends_to_float32_and_raises_in_double():
    # the ends are float32 values, the exponents and powers double, each power rounded
    got = fg.logspace(-3, 3.3, 11).tolist()
    assert got == [0.0010000000474974513, 0.004265795461833477, 0.018197009339928627, 0.07762472331523895,
                   0.3311311900615692, 1.4125370979309082, 6.025594234466553, 25.703950881958008,
                   109.64779663085938, 467.7350769042969, 1995.2620849609375]
    got = fg.logspace(-3, 3.3, 11, base=2.5, dtype=fg.float32).tolist()
    assert got == [0.06400000303983688, 0.1139940544962883, 0.20304130017757416, 0.36164844036102295,
                   0.6441527009010315, 1.1473368406295776, 2.0435872077941895, 3.6399495601654053,
                   6.483321666717529, 11.54781436920166, 20.568471908569336]


def test_float32_logspace_past_the_range_and_odd_bases():
    assert fg.logspace(0, 400, 3).tolist() == [1.0, math.inf, math.inf]
    assert fg.logspace(-2, 2, 3, base=0.0).tolist() == [math.inf, 1.0, 0.0]
    got = fg.logspace(0, 1, 3, base=-2.0).tolist()
    assert got[0] == 1.0 and math.isnan(got[1]) and got[2] == -2.0
    assert fg.logspace(0, 301, 2, base=-10.0).tolist() == [1.0, -math.inf]


def test_float32_logspace_keeps_its_other_behaviour():
    t = fg.logspace(3, 1, 4, requires_grad=True)
    assert t.requires_grad and t.dtype == fg.float32
    assert fg.logspace(1, 3, 4, base=2, out=fg.empty(4)).tolist() == [2.0, 3.17480206489563, 5.039684295654297, 8.0]
    assert fg.logspace(1, 3, 1).tolist() == [10.0]
    assert fg.logspace(1, 3, 0).shape == (0,)
    assert fg.logspace(fg.tensor(1), fg.tensor(2.5), 4).tolist() == [
        10.0, 31.62277603149414, 100.0, 316.2277526855469]


@pytest.mark.parametrize("fn", ["linspace", "logspace"])
def test_two_tensor_bounds_name_both_dims(fn):
    with pytest.raises(RuntimeError) as info:
        getattr(fg, fn)(fg.tensor([0.0]), fg.tensor(1.0), 3)
    assert str(info.value) == (f"{fn} only supports 0-dimensional start and end tensors, but got start with "
                               "1 dimension(s) and end with 0 dimension(s).")
    with pytest.raises(RuntimeError) as info:
        getattr(fg, fn)(0, fg.tensor([1.0]), 3)
    assert str(info.value) == (f"{fn} only supports 0-dimensional start and end tensors, but got end with "
                               "1 dimension(s).")


def test_linspace_points_come_from_both_ends():
    t = fg.linspace(-3.3, 7.1, 13, dtype=fg.float64).tolist()
    assert t[:4] == [-3.3, -2.433333333333333, -1.5666666666666667, -0.7000000000000001]
    assert t[-3:] == [5.366666666666666, 6.233333333333333, 7.1]
    assert fg.linspace(255, 0, 6, dtype=fg.uint8).tolist() == [255, 204, 153, 102, 51, 0]


# --- warnings at the user's line (test_tensor_creation_ops.py: test_arange, test_range) ---


def test_range_and_arange_out_warn_at_the_callers_line():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fg.range(0, 3)
        fg.arange(0, 4, out=fg.empty(2))
    assert [w.filename for w in caught] == [__file__, __file__]
    assert str(caught[0].message).startswith("torch.range is deprecated")
    assert str(caught[1].message).startswith("The number of elements in the out tensor of shape [2] is 2")


# --- zeros/ones with a negative size (test_tensor_creation_ops.py) -----------------------


def test_zeros_checks_its_sizes_itself():
    for call in (lambda: fg.zeros(2, -1), lambda: fg.zeros((2, -1)), lambda: fg.zeros(-1, dtype=fg.int64),
                 lambda: fg.zeros(size=(0, -2))):
        with pytest.raises(RuntimeError, match=r"^zeros: Dimension size must be non-negative\.$"):
            call()
    for call in (lambda: fg.ones(2, -1), lambda: fg.empty(2, -1), lambda: fg.zeros(2, -1, device="meta")):
        with pytest.raises(RuntimeError, match=r"^Trying to create tensor with negative dimension -1: \[2, -1\]$"):
            call()


@pytest.mark.parametrize("fn", ["zeros", "ones"])
def test_zeros_and_ones_into_out_resize_it_first(fn):
    with pytest.raises(RuntimeError, match="^numel: integer multiplication overflow$"):
        getattr(fg, fn)(2, -1, out=fg.empty(0))


# --- setitem (test_indexing.py: test_index_put_*, test_setitem_*) ------------------------


@pytest.mark.parametrize("key,shape,value_shape", [
    ([0, 1], [2, 4], [3]),
    (fg.tensor([True, False, True]), [2, 4], [3, 4]),
    (fg.ones(3, 4, dtype=fg.bool), [12], [5]),
])
def test_an_index_put_value_that_does_not_broadcast_is_a_shape_mismatch(key, shape, value_shape):
    x = fg.zeros(3, 4)
    with pytest.raises(RuntimeError) as info:
        x[key] = fg.ones(value_shape)
    assert str(info.value) == (f"shape mismatch: value tensor of shape {value_shape} cannot be broadcast to "
                               f"indexing result of shape {shape}")
    assert x.abs().sum().item() == 0


def test_index_put_broadcasting_values_still_write():
    x = fg.zeros(3, 4)
    x[[0, 2]] = fg.ones(1, 1, 4)
    x[fg.tensor([False, True, False])] = fg.tensor(2.0)
    assert x.tolist() == [[1.0] * 4, [2.0] * 4, [1.0] * 4]


@pytest.mark.parametrize("key", [[0], fg.tensor([0]), fg.tensor(0, dtype=fg.int32), [True], fg.tensor([True])])
def test_a_zero_dim_tensor_takes_no_index_tensor(key):
    x = fg.tensor(3.0)
    with pytest.raises(IndexError, match="^too many indices for tensor of dimension 0$"):
        x[key]
    with pytest.raises(IndexError, match="^too many indices for tensor of dimension 0$"):
        x[key] = 1.0


def test_a_zero_dim_tensor_takes_a_zero_dim_mask():
    x = fg.tensor(3.0)
    assert x[fg.tensor(True)].tolist() == [3.0]
    assert x[fg.tensor(False)].shape == (0,)
    x[fg.tensor(True)] = 5.0
    assert x.item() == 5.0


def test_deprecated_index_forms_warn_with_pytorchs_source_line():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fg.arange(6).reshape(2, 3)[fg.tensor([1, 0], dtype=fg.uint8)]
        fg.arange(6).reshape(2, 3)[[[0, 1], [1, 0]]]
    texts = [str(w.message) for w in caught]
    assert texts[0] == ("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead. "
                        "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/IndexingUtils.h:37.)")
    assert texts[1].endswith("which will result either in an error or a different result (Triggered internally at "
                             "/__w/pytorch/pytorch/torch/csrc/autograd/python_variable_indexing.cpp:349.)")
    assert [w.filename for w in caught] == [__file__, __file__]


# --- scenarios that already matched ------------------------------------------------------


def test_mixed_advanced_indices_split_by_a_slice_go_first():
    a = fg.arange(24).reshape(2, 3, 4)
    r = a[[0, 1], :, [1, 2]]
    assert r.shape == (2, 3) and r.tolist() == [[1, 5, 9], [14, 18, 22]]
    r = a[:, [0, 1], [1, 2]]
    assert r.shape == (2, 2) and r.tolist() == [[1, 6], [13, 18]]
    r = a[None, [0, 1], None, [1, 2]]
    assert r.shape == (2, 1, 1, 4)


def test_view_ops_share_storage_and_record_their_base():
    x = fg.arange(24.0).reshape(2, 3, 4).clone()
    for v in (x.transpose(0, 2), x.diagonal(0, 1, 2), x.unfold(2, 2, 1), x[:, :1].expand(2, 5, 4),
              x.unflatten(2, (2, 2)), x.split([1, 3], dim=2)[1], x.movedim(0, -1)):
        assert v._base is x and v._is_view()
        assert v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
    assert x.unfold(1, 2, 2).stride() == (12, 8, 1, 4)
    assert x.diagonal(-1, -1, -2).stride() == (12, 5)
    assert x.transpose(0, 1).reshape(-1)._base is None
    assert x.flatten()._base is x


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")
def test_promotion_of_a_dimensioned_tensor_with_a_zero_dim_one_and_scalars():
    i8 = fg.ones(2, dtype=fg.int8)
    assert (i8 + fg.ones((), dtype=fg.int64)).dtype == fg.int8
    assert (i8 + fg.ones((), dtype=fg.float64)).dtype == fg.float64
    assert (i8 + 2.5).dtype == fg.float32
    assert (fg.ones(2, dtype=fg.float16) * fg.ones((), dtype=fg.complex128)).dtype == fg.complex32
    assert (fg.ones(2, dtype=fg.bool) * 2.5).dtype == fg.float32
    assert (fg.ones(2, dtype=fg.bfloat16) / 2).dtype == fg.bfloat16
    with pytest.raises(RuntimeError, match="result type Double can't be cast to the desired output type Long"):
        fg.ones(2, dtype=fg.int64).add_(fg.ones((), dtype=fg.float64))


# --- tensor() / from_numpy from NumPy data (test_tensor_creation_ops.py, test_numpy_interop) ---


def test_a_zero_dim_array_after_the_first_element_is_a_number():
    np = pytest.importorskip("numpy")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = fg.tensor([1, np.array(2)])
        assert t.dtype == fg.int64 and t.tolist() == [1, 2]
        t = fg.tensor([1, np.array(2.5)])
        assert t.dtype == fg.float64 and t.tolist() == [1.0, 2.5]
        t = fg.tensor([1.5, np.array(2, dtype=np.int8)])
        assert t.dtype == fg.float32 and t.tolist() == [1.5, 2.0]
        assert fg.tensor([[1], [np.array(2)]]).tolist() == [[1], [2]]
        t = fg.tensor([np.float16(1), np.array(2, dtype=np.float16)])
        assert t.dtype == fg.float16 and t.tolist() == [1.0, 2.0]
        with pytest.raises(TypeError, match="^len\\(\\) of unsized object$"):
            fg.tensor([np.array(2), 1])
        with pytest.raises(TypeError, match="^only integer scalar arrays can be converted to a scalar index$"):
            fg.tensor([True, np.array(False)])


def test_unsupported_array_dtypes_are_named_by_their_scalar_type():
    np = pytest.importorskip("numpy")
    supported = ("float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, uint32, "
                 "uint16, uint8, and bool")
    for arr, name in ((np.array([1, "a"], dtype=object), "object_"), (np.array(["a"]), "str_")):
        with pytest.raises(TypeError) as info:
            fg.tensor(arr)
        assert str(info.value) == f"can't convert np.ndarray of type numpy.{name}. The only supported types are: {supported}."


def _warnings_of(code: str) -> list[str]:
    """The warnings a fresh interpreter prints running `code` (each once-per-process
    warning starts unwarned there)."""
    import os
    import subprocess
    import sys

    from backend import MOD

    result = subprocess.run([sys.executable, "-W", "always", "-c", f"import {MOD} as fg\nimport numpy as np\n{code}"],
                            capture_output=True, text=True, env=os.environ, check=True)
    return [line for line in result.stderr.splitlines() if "Warning" in line]


def test_list_of_arrays_warns_once_at_the_users_line():
    lines = _warnings_of("fg.tensor([np.array([1, 2]), np.array([3, 4])])\nfg.as_tensor([[np.array([1.5])]])")
    assert lines == [("<string>:3: UserWarning: Creating a tensor from a list of numpy.ndarrays is extremely slow. "
                     "Please consider converting the list to a single numpy.ndarray with numpy.array() before "
                     "converting to a tensor. (Triggered internally at "
                     "/__w/pytorch/pytorch/torch/csrc/utils/tensor_new.cpp:252.)")]


def test_reading_a_grad_tensor_element_as_a_number_warns_once():
    lines = _warnings_of("t = fg.ones((), requires_grad=True)\nfg.tensor([t, t])\nfloat(t)")
    assert lines == [("<string>:4: UserWarning: Converting a tensor with requires_grad=True to a scalar may lead "
                     "to unexpected behavior.")]


def test_read_only_array_warning_names_the_users_line():
    lines = _warnings_of("fg.from_numpy(np.broadcast_to(np.ones(3), (2, 3)))")
    assert len(lines) == 1 and lines[0].startswith("<string>:3: UserWarning: The given NumPy array is not writable")
    assert lines[0].endswith("(Triggered internally at /__w/pytorch/pytorch/torch/csrc/utils/tensor_numpy.cpp:213.)")


# --- a lone bool mask takes a one-element value of any dtype (test_indexing.py) ------------


@pytest.mark.parametrize("key", [
    fg.tensor([True, False, True]), (fg.tensor([True, False, True]),), (slice(None), fg.tensor([True, False, True])),
    (Ellipsis, fg.tensor([True, False, True])),
])
def test_a_lone_mask_fills_with_a_one_element_value_of_another_dtype(key):
    x = fg.zeros(2, 3) if isinstance(key, tuple) and len(key) == 2 else fg.zeros(3, 2)
    x[key] = fg.tensor(2.5, dtype=fg.float64)
    expected = [[2.5, 0.0, 2.5], [2.5, 0.0, 2.5]] if x.shape == (2, 3) else [[2.5, 2.5], [0.0, 0.0], [2.5, 2.5]]
    assert x.dtype == fg.float32 and x.tolist() == expected


def test_mask_fill_values_convert_as_numbers():
    m = fg.tensor([True, False])
    x = fg.zeros(2, dtype=fg.int64)
    x[m] = fg.tensor(2.7)
    assert x.tolist() == [2, 0]
    x = fg.zeros(2)
    x[m] = fg.tensor([True])
    assert x.tolist() == [1.0, 0.0]
    x[m] = fg.tensor(3 + 0j)
    assert x.tolist() == [3.0, 0.0]
    with pytest.raises(RuntimeError, match="^value cannot be converted to type float without overflow$"):
        x[m] = fg.tensor(1 + 2j)
    with pytest.raises(RuntimeError, match="^value cannot be converted to type int64_t without overflow$"):
        fg.zeros(2, dtype=fg.int64)[m] = fg.tensor(float("inf"))


def test_mask_fill_value_requiring_grad_gets_its_gradient_in_its_dtype():
    v = fg.tensor(2.5, dtype=fg.float64, requires_grad=True)
    x = fg.zeros(3, requires_grad=True) * 1
    x[fg.tensor([True, False, True])] = v
    assert x.grad_fn.name() == "IndexPutBackward0"
    x.sum().backward()
    assert v.grad.dtype == fg.float64 and v.grad.item() == 2.0


def test_other_index_puts_still_need_matching_dtypes():
    with pytest.raises(RuntimeError, match="^Index put requires the source and destination dtypes match, got Float "
                                           "for the destination and Double for the source.$"):
        fg.zeros(3)[fg.tensor([0, 2])] = fg.tensor(2.5, dtype=fg.float64)
    with pytest.raises(RuntimeError, match="^Index put requires the source and destination dtypes match"):
        fg.zeros(3)[fg.tensor([True, False, True])] = fg.tensor([2.5, 1.0], dtype=fg.float64)


# --- NumPy scalars as Scalar arguments (test_tensor_creation_ops.py: full, scalar_tensor) --


def test_numpy_scalars_read_as_pytorchs_parser_reads_them():
    np = pytest.importorskip("numpy")
    t = fg.full((2,), np.bool_(True))
    assert t.dtype == fg.float32 and t.tolist() == [1.0, 1.0]
    t = fg.full((2,), np.int8(3))
    assert t.dtype == fg.int64 and t.tolist() == [3, 3]
    t = fg.full((2,), np.complex128(1 + 2j))
    assert t.dtype == fg.complex64 and t.tolist() == [1 + 2j, 1 + 2j]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy's ComplexWarning: the imaginary part is dropped
        t = fg.full((2,), np.complex64(1 + 2j))
    assert t.dtype == fg.float32 and t.tolist() == [1.0, 1.0]
    for value, expected in ((np.bool_(True), 1.0), (np.float16(1.5), 1.5), (np.int8(3), 3.0), (np.uint64(5), 5.0)):
        t = fg.scalar_tensor(value)
        assert t.dtype == fg.float32 and t.item() == expected


def test_scalar_tensor_takes_complex_numbers():
    assert fg.scalar_tensor(1 + 2j, dtype=fg.complex64).item() == 1 + 2j
    assert fg.scalar_tensor(1 + 0j).tolist() == 1.0
    assert fg.scalar_tensor(1 + 0j, dtype=fg.int32).tolist() == 1
    with pytest.raises(RuntimeError, match="^value cannot be converted to type float without overflow$"):
        fg.scalar_tensor(1 + 2j)
    with pytest.raises(RuntimeError, match="^value cannot be converted to type int without overflow$"):
        fg.scalar_tensor(1 + 2j, dtype=fg.int32)


# --- where(out=) (test_type_promotion.py: test_where with out) ------------------------------


def test_where_into_out_needs_the_result_dtype():
    c = fg.tensor([True, False])
    with pytest.raises(RuntimeError, match="^Expected out type to be Float but got Double$"):
        fg.where(c, fg.ones(2, dtype=fg.int32), fg.ones(2), out=fg.empty(2, dtype=fg.float64))
    with pytest.raises(RuntimeError, match="^Expected out type to be Int but got Long$"):
        fg.where(c, fg.ones(2, dtype=fg.int32), fg.ones(2, dtype=fg.int32), out=fg.empty(2, dtype=fg.int64))
    out = fg.empty(2, dtype=fg.float64)
    assert fg.where(c, fg.ones(2), fg.zeros(2, dtype=fg.float64), out=out) is out and out.tolist() == [1.0, 0.0]


def test_where_into_out_takes_tensors_only():
    c = fg.tensor([True, False])
    with pytest.raises(TypeError, match=r"^where\(\): argument 'other' \(position 3\) must be Tensor, not int$"):
        fg.where(c, fg.ones(2), 1, out=fg.empty(2))
    with pytest.raises(TypeError, match=r"^where\(\): argument 'input' \(position 2\) must be Tensor, not float$"):
        fg.where(c, 1.5, fg.ones(2), out=fg.empty(2))


# --- Tensor.new, out= resize warnings (test_tensor_creation_ops.py) -------------------------


def test_legacy_new_from_a_tensor_of_another_dtype_names_both_options():
    with pytest.raises(TypeError) as info:
        fg.ones(2, dtype=fg.int32).new(fg.ones(2))
    assert str(info.value) == (
        "expected TensorOptions(dtype=int, device=cpu, layout=Strided, requires_grad=false (default), "
        "pinned_memory=false (default), memory_format=(nullopt)) (got TensorOptions(dtype=float, device=cpu, "
        "layout=Strided, requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt)))")


def test_out_resize_warnings_name_the_users_line():
    a = fg.ones(2, 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fg.stack([fg.ones(2), fg.zeros(2)], out=fg.empty(1))
        fg.cat([a, a], out=fg.empty(1))
        fg.add(a, a, out=fg.empty(1))
        fg.where(a > 0, a, a, out=fg.empty(1))
    assert len(caught) == 4 and all(w.filename == __file__ for w in caught)
    assert str(caught[0].message).startswith("An output with one or more elements was resized since it had shape [1], "
                                             "which does not match the required output shape [2, 2].")


# --- index data as PyTorch converts it (test_indexing.py: NumpyTests, test_index_put_*) ---


def test_float_and_complex_index_data_is_truncated_to_int64():
    np = pytest.importorskip("numpy")
    a = fg.arange(9).reshape(3, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert a[[1.7]].tolist() == [[3, 4, 5]]
        assert a[[1.7, 0.2]].tolist() == [[3, 4, 5], [0, 1, 2]]
        assert a[[1.7], 0].tolist() == [3]
        assert a[np.array([1.7])].tolist() == [[3, 4, 5]]
        assert a[np.array([1 + 0j])].tolist() == [[3, 4, 5]]
        assert a[np.array(1.5)].tolist() == [3, 4, 5]
        x = a.clone()
        x[[1.7]] = 0
        assert x.tolist() == [[0, 1, 2], [0, 0, 0], [6, 7, 8]]


def test_a_uint8_array_index_is_a_byte_mask():
    np = pytest.importorskip("numpy")
    a = fg.arange(9).reshape(3, 3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert a[np.array([1, 0, 1], dtype=np.uint8)].tolist() == [[0, 1, 2], [6, 7, 8]]
        assert a[0, np.array([1, 0, 1], dtype=np.uint8)].tolist() == [0, 2]
    assert [w.filename for w in caught] == [__file__, __file__]
    assert str(caught[0].message).startswith("indexing with dtype torch.uint8 is now deprecated")
    with pytest.raises(RuntimeError, match="^masked_fill_ only supports boolean masks, but got mask with dtype "
                                           "unsigned char$"):
        a.clone()[np.array([1, 0, 1], dtype=np.uint8)] = 0
    assert a[np.array([1, 0], dtype=np.uint16)].tolist() == [[3, 4, 5], [0, 1, 2]]


def test_list_keys_warn_from_the_source_line_of_their_first_telling_item():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        x = fg.ones(3, 3)
        x[[..., 0]]
        x[[0, None]]
        x[[slice(None), 0]]
        x[[0, [1]]]
    lines = [str(w.message).rsplit(":", 1)[1] for w in caught]
    assert lines == ["359.)", "359.)", "349.)", "349.)"]


def test_index_broadcast_mismatch_lists_the_shapes_as_pytorch_does():
    with pytest.raises(IndexError) as info:
        fg.ones(2, 3, 4)[False, [0, 1], ...]
    assert str(info.value) == "shape mismatch: indexing tensors could not be broadcast together with shapes [0], [2]"


@pytest.mark.parametrize("indices,element,got", [
    ((None, fg.tensor([0])), 0, "NoneType"), ((fg.tensor([0]), 1), 1, "int"), (([0],), 0, "list"),
])
def test_index_put_takes_tensors_only(indices, element, got):
    z = fg.zeros(3, 2)
    with pytest.raises(TypeError, match=f"^expected Tensor as element {element} in argument 0, but got {got}$"):
        z.index_put_(indices, fg.tensor(1.0))
    with pytest.raises(TypeError, match=f"^expected Tensor as element {element} in argument 0, but got {got}$"):
        z.index_put(indices, fg.tensor(1.0))
    with pytest.raises(TypeError, match=f"^expected Tensor as element {element} in argument 1, but got {got}$"):
        fg.index_put(z, indices, fg.tensor(1.0))
    assert z.abs().sum().item() == 0


# --- integer arange with a fractional step (test_tensor_creation_ops.py: test_arange*) -----


@pytest.mark.parametrize("dtype", ["int32", "int16", "int8", "uint8"])
def test_a_narrow_integer_arange_whose_step_truncates_to_zero_repeats_its_start(dtype):
    dt = getattr(fg, dtype)
    assert fg.arange(0, 1, 0.3, dtype=dt).tolist() == [0, 0, 0, 0]
    assert fg.arange(0, 2.5, 0.5, dtype=dt).tolist() == [0] * 5
    assert fg.arange(0.5, 3, 0.7, out=fg.empty(0, dtype=dt)).tolist() == [0, 0, 0, 0]
    assert fg.arange(-1.5, 2, 0.9, dtype=dt).tolist() == ([255] * 4 if dtype == "uint8" else [-1] * 4)
    assert fg.arange(0, 3, 1.5, dtype=dt).tolist() == [0, 1]


def test_an_int64_arange_refuses_a_step_that_truncates_to_zero():
    with pytest.raises(ValueError, match="^step must be nonzero$"):
        fg.arange(0, 1, 0.3, dtype=fg.int64)
    assert fg.arange(0, 3, 1.5, dtype=fg.int64).tolist() == [0, 1, 2]


# --- asarray / frombuffer / tensor from buffers (test_tensor_creation_ops.py: test_asarray*) --


def test_asarray_of_an_integer_tensor_cannot_require_grad():
    with pytest.raises(RuntimeError, match="^Only Tensors of floating point and complex dtype can require gradients$"):
        fg.asarray(fg.arange(3), requires_grad=True)


def test_asarray_onto_the_meta_device_copies_the_description():
    a = fg.tensor([1.0, 2.0])
    m = fg.asarray(a, device="meta")
    assert m.is_meta and m.shape == (2,) and m.dtype == fg.float32 and not m.requires_grad
    m = fg.asarray([1, 2], device="meta")
    assert m.is_meta and m.dtype == fg.int64
    m = fg.asarray(a, device="meta", requires_grad=True)
    assert m.is_meta and m.requires_grad and m.grad_fn is None and not a.requires_grad
    assert fg.asarray(a, device="meta", dtype=fg.float64).dtype == fg.float64
    with pytest.raises(ValueError, match="^can't alias tensor from device 'cpu' to 'meta'.$"):
        fg.asarray(a, device="meta", copy=False)
    with pytest.raises(ValueError, match="^can't alias arbitrary sequence into a tensor.$"):
        fg.asarray([1, 2], device="meta", copy=False)


def test_tensor_reads_a_memoryview_as_a_sequence_and_refuses_bytes():
    t = fg.tensor(memoryview(b"\x01\x02"))
    assert t.dtype == fg.int64 and t.tolist() == [1, 2]
    with pytest.raises(TypeError, match="^new\\(\\): invalid data type 'bytes'$"):
        fg.tensor(b"\x01")


def test_read_only_buffer_warns_before_the_length_checks():
    lines = _warnings_of("try:\n    fg.asarray(b'\\x01\\x02')\nexcept ValueError as e:\n    print(e)")
    assert len(lines) == 1 and lines[0].startswith("<string>:4: UserWarning: The given buffer is not writable")
    assert lines[0].endswith("(Triggered internally at /__w/pytorch/pytorch/torch/csrc/utils/tensor_new.cpp:1556.)")


# --- layouts of resized outputs, memory formats (test_tensor_creation_ops.py, test_view_ops.py) --


@pytest.mark.parametrize("call", [
    lambda x, o: fg.neg(x, out=o), lambda x, o: fg.add(x, 1, out=o), lambda x, o: fg.mul(x, fg.ones(3), out=o),
    lambda x, o: fg.where(x > 0, x, x, out=o), lambda x, o: fg.clamp(x, 0, out=o), lambda x, o: fg.sigmoid(x, out=o),
])
def test_a_resized_elementwise_out_takes_the_computed_layout(call):
    x = fg.ones(2, 3, 4).permute(2, 0, 1)
    for out in (fg.empty(0), fg.empty(5)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the resize of a non-empty out warns
            r = call(x, out)
        assert r is out and r.shape == (4, 2, 3) and r.stride() == (1, 12, 4)


def test_resized_outs_of_other_kernels_are_contiguous():
    x = fg.ones(2, 3, 4).permute(2, 0, 1)
    assert fg.sum(x, 1, out=fg.empty(0)).stride() == (3, 1)
    assert fg.cumsum(x, 0, out=fg.empty(0)).stride() == (6, 3, 1)
    assert fg.cat([x, x], 0, out=fg.empty(0)).stride() == (6, 3, 1)
    y = fg.ones(3, 4).t()
    assert fg.mm(y, y.t(), out=fg.empty(0)).stride() == (4, 1)
    out = fg.empty(4, 2, 3)
    assert fg.neg(x, out=out).stride() == (6, 3, 1)  # an out of the right shape keeps its layout


def test_a_new_tensor_has_no_layout_to_preserve():
    with pytest.raises(RuntimeError, match="^unsupported memory format Preserve$"):
        fg.empty(2, 3, memory_format=fg.preserve_format)
    assert fg.empty(2, 3, 4, 5, memory_format=fg.channels_last).stride() == (60, 1, 15, 3)


def test_zero_dim_conjugate_transposes_warn_with_pytorchs_source_lines():
    z = fg.tensor(1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _ = z.H
        _ = z.mH
        z.adjoint()
    assert [str(w.message) for w in caught] == [
        f"{what} is deprecated on 0-D tensors. Consider using x.conj(). (Triggered internally at "
        f"/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:{line}.)"
        for what, line in (("Tensor.H", 4335), ("Tensor.mH", 4382), ("adjoint()", 4390))]
    assert all(w.filename == __file__ for w in caught)


def test_in_place_masked_fill_cannot_grow_its_tensor():
    for shape, mask_shape in (((3,), (2, 3)), ((3, 1), (3, 4))):
        with pytest.raises(RuntimeError) as info:
            fg.zeros(shape).masked_fill_(fg.ones(mask_shape, dtype=fg.bool), 1.0)
        broadcast = [2, 3] if shape == (3,) else [3, 4]
        assert str(info.value) == f"output with shape {list(shape)} doesn't match the broadcast shape {broadcast}"
    with pytest.raises(RuntimeError, match="^masked_fill_ only supports boolean masks"):
        fg.zeros(3).masked_fill_(fg.ones(2, 3, dtype=fg.uint8), 1.0)
    assert fg.zeros(2, 3).masked_fill_(fg.tensor([True, False, True]), 1.0).tolist() == [[1.0, 0.0, 1.0]] * 2


def test_index_reduce_beta_warning_names_the_users_line():
    lines = _warnings_of("fg.ones(3).index_reduce(0, fg.tensor([0]), fg.tensor([2.0]), 'prod')\n"
                         "fg.ones(3).index_reduce(0, fg.tensor([0]), fg.tensor([2.0]), 'prod')")
    assert lines == [("<string>:3: UserWarning: index_reduce() is in beta and the API may change at any time. "
                     "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp"
                     ":1523.)")]
