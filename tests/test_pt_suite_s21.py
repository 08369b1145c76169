"""Behaviours from PyTorch's own test files, third round (test_indexing.py,
test_view_ops.py, test_shape_ops.py, test_reductions.py, test_type_promotion.py) that
differed in ferrograd: 0-dim integer and byte tensors in an index, and the other cases
below. Expected values are what PyTorch 2.13 does.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import subprocess
import sys
import warnings

import pytest
from backend import MOD, fg

# --- 0-dim tensors in an index (test_indexing.py: test_getitem_scalars, test_byte_mask) --


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32"])
def test_zero_dim_integer_tensor_indexes_like_an_int(dtype):
    i = fg.tensor(1, dtype=getattr(fg, dtype))
    r = fg.arange(3)[i]
    assert r.shape == () and r.item() == 1
    assert fg.arange(6).reshape(2, 3)[0, i].item() == 1
    assert fg.arange(12).reshape(3, 4)[i, [0, 1]].tolist() == [4, 5]
    x = fg.zeros(3)
    x[i] = 5
    assert x.tolist() == [0.0, 5.0, 0.0]
    x = fg.zeros(2, 2)
    x[i, [0, 1]] = 7
    assert x.tolist() == [[0.0, 0.0], [7.0, 7.0]]


def test_zero_dim_integer_tensor_index_selects_with_a_select_node():
    x = fg.arange(6.0, requires_grad=True)
    assert x[fg.tensor(2, dtype=fg.int32)].grad_fn.name() == "SelectBackward0"


def test_zero_dim_byte_tensor_indexes_like_a_bool_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fg.arange(3)[fg.tensor(1, dtype=fg.uint8)].tolist() == [[0, 1, 2]]
        assert fg.arange(3)[fg.tensor(0, dtype=fg.uint8)].shape == (0, 3)
        x = fg.zeros(3)
        x[fg.tensor(1, dtype=fg.uint8)] = 5
        assert x.tolist() == [5.0, 5.0, 5.0]
        x[fg.tensor(0, dtype=fg.uint8)] = 1
        assert x.tolist() == [5.0, 5.0, 5.0]
        assert fg.tensor(1)[fg.tensor(1, dtype=fg.uint8)].tolist() == [1]


def test_one_dim_byte_mask_still_warns():
    with pytest.warns(UserWarning, match="indexing with dtype torch.uint8 is now deprecated"):
        r = fg.arange(3)[fg.tensor([1, 0, 1], dtype=fg.uint8)]
    assert r.tolist() == [0, 2]


def test_one_dim_int8_index_is_refused():
    with pytest.raises(IndexError, match="tensors used as indices must be long, int, byte or bool tensors"):
        fg.arange(3)[fg.tensor([1], dtype=fg.int8)]


# --- test_reductions.py: bincount, histc, index_reduce -------------------------------


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float64", "int32", "bool"])
def test_bincount_sums_weights_other_than_float32_in_float64(dtype):
    out = fg.bincount(fg.tensor([0, 1, 1]), weights=fg.tensor([1, 2, 1]).to(getattr(fg, dtype)))
    assert out.dtype == fg.float64
    assert out.tolist() == ([1.0, 2.0] if dtype == "bool" else [1.0, 3.0])


def test_bincount_keeps_float32_weights():
    out = fg.bincount(fg.tensor([0, 1]), weights=fg.tensor([0.5, 1.5]))
    assert out.dtype == fg.float32 and out.tolist() == [0.5, 1.5]


def test_bincount_of_nothing_is_contiguous():
    out = fg.bincount(fg.tensor([], dtype=fg.int64))
    assert out.shape == (0,) and out.stride() == (1,) and out.dtype == fg.int64
    assert fg.bincount(fg.tensor([], dtype=fg.int64), weights=fg.tensor([])).stride() == (1,)


@pytest.mark.parametrize("value", [float("inf"), float("nan")])
def test_histc_of_data_with_a_non_finite_range_is_refused(value):
    with pytest.raises(RuntimeError, match=r"torch.histc: range of \[.*\] is not finite"):
        fg.histc(fg.tensor([1.0, value]), bins=2)


def test_histc_ignores_non_finite_values_outside_a_given_range():
    out = fg.histc(fg.tensor([1.0, float("inf"), float("nan")]), bins=2, min=0, max=2)
    assert out.tolist() == [0.0, 1.0]


def test_index_reduce_beta_warning_comes_once_a_process():
    x = fg.ones(3)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        x.index_reduce_(0, fg.tensor([0]), fg.tensor([2.0]), "prod")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x.index_reduce_(0, fg.tensor([0]), fg.tensor([2.0]), "prod")
        out = fg.index_reduce(x, 0, fg.tensor([1]), fg.tensor([3.0]), "amax")
    assert x.tolist() == [4.0, 1.0, 1.0]
    assert out.tolist() == [4.0, 3.0, 1.0]


# --- test_view_ops.py: test_view_copy_out ----------------------------------------------


def test_split_copy_writes_into_out_and_returns_none():
    a = fg.arange(4.0)
    o1, o2 = fg.empty(2, dtype=fg.int64), fg.empty(2)
    assert fg.split_copy(a, 2, out=(o1, o2)) is None
    assert o1.tolist() == [0, 1] and o1.dtype == fg.int64
    assert o2.tolist() == [2.0, 3.0]


def test_split_with_sizes_and_unbind_copy_write_into_out():
    a = fg.arange(4.0)
    o1, o2 = fg.empty(1), fg.empty(3)
    assert fg.split_with_sizes_copy(a, [1, 3], out=[o1, o2]) is None
    assert o1.tolist() == [0.0] and o2.tolist() == [1.0, 2.0, 3.0]
    rows = [fg.empty(2), fg.empty(2)]
    assert fg.unbind_copy(a.reshape(2, 2), out=rows) is None
    assert [r.tolist() for r in rows] == [[0.0, 1.0], [2.0, 3.0]]


def test_split_copy_out_broadcasts_like_copy():
    o1 = fg.empty(1, 2)
    fg.split_copy(fg.arange(4.0), 2, out=(o1, fg.empty(2)))
    assert o1.tolist() == [[0.0, 1.0]]


def test_split_copy_out_of_the_wrong_length_or_kind():
    a = fg.arange(4.0)
    with pytest.raises(RuntimeError, match=r"split_copy_Tensor_out\(\) expected an out= argument of size 2, got size 1"):
        fg.split_copy(a, 2, out=(fg.empty(2),))
    with pytest.raises(RuntimeError, match="unbind_copy_int_out expected an out= argument of size 2, got size 1"):
        fg.unbind_copy(a.reshape(2, 2), out=[fg.empty(2)])
    with pytest.raises(TypeError, match="split_with_sizes_copy\\(\\): argument 'out' must be tuple of Tensors, not Tensor"):
        fg.split_with_sizes_copy(a, [1, 3], out=fg.empty(1))


# --- test_reductions.py / test_shape_ops.py: out= of any/all and nonzero, var's warning --


@pytest.mark.parametrize("values", [[0.0, 2.0], [0, 2], [False, True]])
def test_any_all_write_into_a_byte_out_for_any_input(values):
    x = fg.tensor(values)
    out = fg.empty((), dtype=fg.uint8)
    assert fg.any(x, out=out) is out and out.item() == 1
    assert fg.all(x, out=out) is out and out.item() == 0


def test_any_refuses_an_int32_out():
    with pytest.raises(RuntimeError, match="any only supports bool tensor for result, got: Int"):
        fg.any(fg.tensor([1.0]), out=fg.empty((), dtype=fg.int32))


def test_nonzero_out_with_as_tuple_is_refused():
    with pytest.raises(RuntimeError, match="nonzero does not support the out kwarg when as_tuple is True"):
        fg.nonzero(fg.tensor([0, 1, 1]), as_tuple=True, out=fg.empty(0, dtype=fg.int64))


def test_nonzero_out_must_be_one_int64_tensor():
    with pytest.raises(RuntimeError, match="nonzero: Expected out tensor to have scalar type Long but got scalar typeInt"):
        fg.nonzero(fg.tensor([0, 1, 1]), out=fg.empty(0, dtype=fg.int32))
    with pytest.raises(TypeError, match="nonzero\\(\\): argument 'out' must be Tensor, not tuple"):
        fg.nonzero(fg.tensor([0, 1, 1]), out=(fg.empty(0, dtype=fg.int64),))
    out = fg.empty(0, dtype=fg.int64)
    assert fg.nonzero(fg.tensor([[0, 1], [1, 0]]), out=out) is out
    assert out.tolist() == [[0, 1], [1, 0]]


@pytest.mark.parametrize(("shape", "dim"), [((0, 3), 1), ((2, 0), 1), ((0, 3), 0), ((0,), 0)])
def test_var_of_an_empty_input_warns_about_degrees_of_freedom(shape, dim):
    with pytest.warns(UserWarning, match=r"var\(\): degrees of freedom is <= 0"):
        out = fg.var(fg.ones(shape), dim)
    assert tuple(out.shape) == tuple(s for k, s in enumerate(shape) if k != dim)
    with pytest.warns(UserWarning, match=r"std\(\): degrees of freedom is <= 0"):
        fg.std(fg.ones(shape), dim)


def test_var_of_enough_values_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fg.var(fg.ones(2, 3), 0).tolist() == [0.0, 0.0, 0.0]


# --- test_view_ops.py: test_set_real_imag; test_indexing.py: unravel_index ---------------


@pytest.mark.parametrize("part", ["real", "imag"])
def test_setting_a_part_to_a_complex_tensor_warns_once_a_process(part):
    # PyTorch warns once per process, so the case runs in a fresh interpreter
    code = (
        f"import warnings\nimport {MOD} as fg\n"
        "x = fg.zeros(2, dtype=fg.complex64)\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        f"    x.{part} = fg.tensor([1j, 2])\n"
        f"    x.{part} = fg.tensor([3j, 4])\n"
        "print(([str(m.message) for m in w], x.tolist()))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    messages, values = eval(out)
    assert len(messages) == 1
    assert "Casting complex values to real discards the imaginary part" in messages[0]
    assert values == ([0j, 4 + 0j] if part == "real" else [0j, 4j])


def test_unravel_index_results_are_views_of_one_stacked_tensor():
    rows, cols = fg.unravel_index(fg.tensor([[1, 2], [3, 4]]), (2, 3))
    assert rows.tolist() == [[0, 0], [1, 1]] and cols.tolist() == [[1, 2], [0, 1]]
    assert rows.stride() == (4, 2) and cols.stride() == (4, 2)
    assert (rows.storage_offset(), cols.storage_offset()) == (0, 1)
    assert rows._base is cols._base and rows._base is not None


def test_unravel_index_into_no_dims_is_an_empty_tuple():
    assert fg.unravel_index(fg.tensor([4, 1]), ()) == ()


# --- test_view_ops.py: test_memory_format_resize_as -------------------------------------


@pytest.mark.parametrize(("shape", "fmt"), [((2, 3, 4, 4), "channels_last"), ((2, 3, 2, 4, 4), "channels_last_3d")])
def test_resize_as_preserve_format_takes_the_templates_layout(shape, fmt):
    template = fg.randn(shape).contiguous(memory_format=getattr(fg, fmt))
    flat = fg.randn(template.numel())
    assert flat.resize_as_(template, memory_format=fg.preserve_format) is flat
    assert flat.is_contiguous(memory_format=getattr(fg, fmt))
    assert flat.stride() == template.stride()
    other = fg.randn(template.numel())
    fg.resize_as_(other, template, memory_format=fg.preserve_format)
    assert other.stride() == template.stride()


def test_resize_as_without_a_format_is_row_major_and_keeps_same_shape_strides():
    template = fg.randn(2, 3, 4, 4).contiguous(memory_format=fg.channels_last)
    flat = fg.randn(96)
    flat.resize_as_(template)
    assert flat.stride() == (48, 16, 4, 1)
    x = fg.empty(2, 3).t()
    x.resize_as_(x)
    assert x.stride() == (1, 3)
    x.resize_as_(x, memory_format=fg.preserve_format)
    assert x.stride() == (2, 1)


# --- test_view_ops.py: test_resize_overflow ---------------------------------------------


def test_resize_past_the_storage_size_limit_is_refused():
    x = fg.empty((), dtype=fg.float64)
    with pytest.raises(RuntimeError, match=r"Storage size calculation overflowed with sizes=\[2, 4, 536870912, 536870912\]"):
        x.resize_([2, 4, 2**29, 2**29])


def test_resize_past_an_int64_numel_is_refused():
    x = fg.empty((), dtype=fg.float64)
    with pytest.raises(RuntimeError, match="numel: integer multiplication overflow"):
        x.resize_([8, 8, 2**29, 2**29])
