"""Session 28: reductions, scans and searches check their dims (and k, and empty
inputs) before the dtypes their kernels lack, as PyTorch's do; a 0-dim input is copied and
an empty one answered without a kernel, whatever its dtype."""

import math

import pytest
from backend import fg

DIM_1 = "Dimension out of range (expected to be in range of [-1, 0], but got 1)"


def ones(shape, dtype):
    return fg.ones(shape, dtype=getattr(fg, dtype))


@pytest.mark.parametrize("dtype", ["uint16", "uint32", "uint64", "float8_e4m3fn", "complex64", "bool"])
@pytest.mark.parametrize("op", [
    lambda x: fg.max(x, 1), lambda x: x.min(1, keepdim=True), lambda x: fg.amax(x, 1),
    lambda x: fg.topk(x, 1, 1), lambda x: fg.kthvalue(x, 1, 1),
    lambda x: fg.median(x, 1), lambda x: fg.nanmedian(x, 1), lambda x: fg.mode(x, 1),
    lambda x: fg.aminmax(x, dim=1), lambda x: fg.cummax(x, 1), lambda x: fg.sort(x, 1),
    lambda x: fg.cumsum(x, 1), lambda x: fg.prod(x, 1), lambda x: fg.softmax(x, 1),
])
def test_a_dim_out_of_range_comes_before_the_dtype(op, dtype):
    with pytest.raises(IndexError, match=DIM_1.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        op(ones((3,), dtype))


@pytest.mark.parametrize("dtype", ["uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e5m2"])
def test_a_0_dim_input_is_its_own_max_min_topk_and_kthvalue(dtype):
    x = ones((), dtype)
    for values, indices in (fg.max(x, 0), x.min(-1), fg.topk(x, 1), fg.kthvalue(x, 1, 0), fg.mode(x, 0)):
        assert values.dtype == x.dtype and values.shape == () and float(values) == 1.0
        assert indices.dtype == fg.int64 and indices.item() == 0
    lo, hi = fg.aminmax(x, dim=0)
    assert lo.dtype == hi.dtype == x.dtype and float(lo) == float(hi) == 1.0


@pytest.mark.parametrize("dtype", ["uint16", "uint32", "uint64"])
def test_empty_results_run_no_kernel(dtype):
    x = ones((0, 2), dtype)
    values, indices = fg.min(x, 1)
    assert values.shape == (0,) and values.dtype == x.dtype and indices.dtype == fg.int64
    assert fg.amax(x, 1).shape == (0,)
    assert fg.argmax(x, 1).shape == (0,)
    with pytest.raises(IndexError, match="expected to be in range of"):
        fg.argmax(ones((3,), dtype), 1)
    assert fg.cummax(x, 0)[0].shape == (0, 2)
    assert fg.mode(x, 1)[0].shape == (0,)
    # a dim of one answers zeros without the kernel
    assert fg.argmax(ones((3, 1), dtype), 1).tolist() == [0, 0, 0]


def test_empty_complex_reductions_name_the_empty_dim():
    x = fg.ones((0, 2), dtype=fg.complex64)
    with pytest.raises(IndexError, match=r"max\(\): Expected reduction dim 0 to have non-zero size"):
        fg.max(x, 0)
    with pytest.raises(IndexError, match=r"amax\(\): Expected reduction dim 0 to have non-zero size"):
        fg.amax(x, 0)
    assert fg.amax(x, 1).shape == (0,)


def test_amax_names_the_dim_as_given():
    with pytest.raises(IndexError, match=r"amax\(\): Expected reduction dim -1 to have non-zero size"):
        fg.amax(fg.ones(2, 0), -1)


@pytest.mark.parametrize("dtype", ["uint16", "float8_e4m3fn"])
def test_whole_reductions_of_an_empty_tensor_ask_for_a_dim(dtype):
    x = ones((0,), dtype)
    with pytest.raises(RuntimeError, match=r"max\(\): Expected reduction dim to be specified"):
        fg.max(x)
    with pytest.raises(RuntimeError, match=r"amin\(\): Expected reduction dim to be specified"):
        fg.amin(x)
    with pytest.raises(RuntimeError, match="cannot compute aminmax over an empty dimension"):
        fg.aminmax(x)


def test_unsupported_dtypes_are_refused_with_elements():
    x = ones((3,), "uint16")
    with pytest.raises(NotImplementedError, match="\"max_cpu\" not implemented for 'UInt16'"):
        fg.max(x, 0)
    with pytest.raises(NotImplementedError, match="\"topk_cpu\" not implemented for 'UInt16'"):
        fg.topk(x, 1)
    with pytest.raises(NotImplementedError, match="\"argmax_cpu\" not implemented for 'UInt16'"):
        fg.argmax(ones((), "uint16"), 0)
    with pytest.raises(RuntimeError, match="aminmax not implemented for ComplexFloat"):
        fg.aminmax(fg.ones((), dtype=fg.complex64), dim=0)
    with pytest.raises(RuntimeError, match=r"argmax\(\): does not support complex input"):
        fg.argmax(fg.ones(0, dtype=fg.complex64))
    with pytest.raises(RuntimeError, match="Sort does not support complex dtypes on CPU"):
        fg.sort(fg.ones((), dtype=fg.complex64))
    with pytest.raises(RuntimeError, match="topk does not support bool dtypes on CPU"):
        fg.topk(fg.ones((), dtype=fg.bool), 1)


@pytest.mark.parametrize("dtype", ["uint16", "uint32", "uint64"])
def test_median_of_nothing_is_nan_in_the_dtype(dtype):
    got = fg.median(ones((0,), dtype))
    assert got.dtype == getattr(fg, dtype) and got.shape == ()
    assert got.item() == (2**63 if dtype == "uint64" else 0)


def test_scans_of_float8_copy_a_0_dim_input():
    x = ones((), "float8_e4m3fn")
    assert float(fg.cumsum(x, 0)) == 1.0 and fg.cumprod(x, -1).dtype == x.dtype
    with pytest.raises(NotImplementedError, match="\"cumsum_out_cpu\" not implemented for 'UInt16'"):
        fg.cumsum(fg.ones(3), 0, dtype=fg.uint16)
    assert fg.cumsum(fg.ones(()), 0, dtype=fg.uint16).dtype == fg.uint16


def test_float16_products_of_empty_tensors():
    for dtype in (fg.float16, fg.bfloat16):
        assert fg.ones(0, dtype=dtype).prod().item() == 1.0
        assert fg.ones(0, 2, dtype=dtype).prod(0).tolist() == [1.0, 1.0]
        assert fg.ones(2, 0, dtype=dtype).prod(1).tolist() == [1.0, 1.0]


def test_vector_norms_of_float8():
    assert float(fg.norm(ones((), "float8_e4m3fn"))) == 1.0
    assert float(fg.linalg.vector_norm(ones((0,), "float8_e5m2"))) == 0.0
    with pytest.raises(NotImplementedError, match="\"norm_cpu\" not implemented for 'Float8_e4m3fn'"):
        fg.linalg.vector_norm(ones((), "float8_e4m3fn"), 2, 0)
    with pytest.raises(NotImplementedError, match="\"abs_cpu\" not implemented for 'Float8_e8m0fnu'"):
        fg.linalg.vector_norm(ones((1,), "float8_e8m0fnu"))
    with pytest.raises(RuntimeError, match="value cannot be converted to type c10::Float8_e8m0fnu without overflow"):
        fg.linalg.vector_norm(ones((2, 0), "float8_e8m0fnu"), 2, 0)


def test_nan_reductions_check_dims_and_dtypes_in_order():
    with pytest.raises(RuntimeError, match="expected input to have floating point or complex dtype but got Byte"):
        fg.nanmean(ones((3,), "uint8"), 1)
    with pytest.raises(IndexError, match="expected to be in range of"):
        fg.nanmean(ones((3,), "complex64"), 1)
    with pytest.raises(IndexError, match="expected to be in range of"):
        fg.nansum(ones((3,), "complex64"), 1)
    with pytest.raises(RuntimeError, match="Promotion for Float8 Types is not supported, attempted to promote "
                                           "Float8_e4m3fn and Long"):
        fg.nanmean(ones((0,), "float8_e4m3fn"))


def test_logsumexp_of_an_empty_float8_goes_straight_to_exp():
    with pytest.raises(NotImplementedError, match="\"exp_vml_cpu\" not implemented for 'Float8_e4m3fn'"):
        fg.logsumexp(ones((0,), "float8_e4m3fn"), 1)


def test_integrals_and_differences_wrap_their_dim():
    for call in (lambda: fg.diff(fg.ones(3), dim=1), lambda: fg.trapezoid(fg.ones(3), dim=1),
                 lambda: fg.cumulative_trapezoid(fg.ones(3), dim=1)):
        with pytest.raises(IndexError, match="expected to be in range of"):
            call()
    got = fg.trapezoid(fg.ones((2, 0), dtype=fg.int32))
    assert got.dtype == fg.int32 and got.tolist() == [0, 0]
    with pytest.raises(RuntimeError, match=r"input.size\(0\) = 2, but got tensor.size\(0\) = 3"):
        fg.diff(fg.ones(2, 2), prepend=fg.ones(3, 1))


def test_roll_of_a_0_dim_complex_tensor_names_the_dim():
    with pytest.raises(IndexError, match="Dimension specified as 0 but tensor has no dimensions"):
        fg.roll(fg.ones((), dtype=fg.complex128), 1, 0)


def test_searchsorted_checks_shapes_before_dtypes():
    with pytest.raises(RuntimeError, match=r"input value can be a scalar only when boundaries tensor dimension is 1, "
                                           r"but we got boundaries tensor dim\(0\) and input value's dim\(0\) numel\(1\)"):
        fg.searchsorted(fg.ones(()), fg.ones(()))
    empty = fg.searchsorted(ones((3,), "uint32"), ones((0, 2), "uint32"))
    assert empty.shape == (0, 2) and empty.dtype == fg.int64
    assert math.isclose(fg.searchsorted(fg.tensor([0.0, 1.0, 2.0]), fg.tensor([1.5])).item(), 2)
