"""Behaviours taken from PyTorch's own test files (test_reductions.py,
test_sort_and_select.py, test_binary_ufuncs.py, test_unary_ufuncs.py), checked against
PyTorch 2.13 on the CPU: the cases that differed in ferrograd. Expected values are
PyTorch's, written out.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import math

import numpy as np
import pytest
from backend import fg


def _message(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value), str(info.value)


def _first_line(fn):
    kind, text = _message(fn)
    return kind, text.splitlines()[0]


# --- the argument parser's words for a call Python itself would refuse ------------------


@pytest.mark.parametrize(("call", "expected"), [
    (lambda t: fg.cumsum(t), 'cumsum() missing 1 required positional arguments: "dim"'),
    (lambda t: fg.logsumexp(t), 'logsumexp() missing 1 required positional arguments: "dim"'),
    (lambda t: fg.kthvalue(t), 'kthvalue() missing 1 required positional arguments: "k"'),
    (lambda t: fg.cumsum(t, keepdim=True), 'cumsum() missing 1 required positional arguments: "dim"'),
    (lambda t: fg.cumsum(t, foo=1, dim=None), "cumsum(): argument 'dim' must be int, not NoneType"),
    (lambda t: fg.median(t, None), "median(): argument 'dim' (position 2) must be int, not NoneType"),
    (lambda t: t.median(None), "median(): argument 'dim' (position 1) must be int, not NoneType"),
    (lambda t: fg.nanmedian(t, dim=[0]), "nanmedian(): argument 'dim' must be int, not list"),
    (lambda t: fg.logsumexp(t, None), "logsumexp(): argument 'dim' (position 2) must be tuple of ints, not NoneType"),
])
def test_missing_and_mistyped_arguments_read_as_pytorchs_parser(call, expected):
    assert _message(lambda: call(fg.ones(3))) == (TypeError, expected)


@pytest.mark.parametrize(("call", "expected"), [
    (lambda t: fg.narrow(t, 0), ("narrow() received an invalid combination of arguments - got (Tensor, int), "
                                "but expected one of:")),
    (lambda t: fg.max(t, dim=None, keepdim=True), ("max() received an invalid combination of arguments - got "
                                                  "(Tensor, keepdim=bool, dim=NoneType), but expected one of:")),
    (lambda t: fg.max(t, [0]), ("max() received an invalid combination of arguments - got (Tensor, list), "
                               "but expected one of:")),
    (lambda t: fg.min(t, dim=(0,)), ("min() received an invalid combination of arguments - got (Tensor, dim=tuple), "
                                    "but expected one of:")),
    (lambda t: fg.prod(t, None), ("prod() received an invalid combination of arguments - got (Tensor, NoneType), "
                                 "but expected one of:")),
    (lambda t: t.prod(dim=None), ("prod() received an invalid combination of arguments - got (dim=NoneType, ), "
                                 "but expected one of:")),
])
def test_overload_mismatches_name_the_keywords_last_first(call, expected):
    assert _first_line(lambda: call(fg.ones(3))) == (TypeError, expected)


# --- reductions (test_reductions.py) ------------------------------------------------------


def test_logsumexp_over_no_dims_without_keepdim_fails_as_pytorch():
    # PyTorch adds the kept-dim maxima back in place into the smaller result
    assert _message(lambda: fg.logsumexp(fg.ones(2, 3), [])) == (
        RuntimeError, "output with shape [] doesn't match the broadcast shape [1, 1]")
    assert _message(lambda: fg.logsumexp(fg.ones(3), ())) == (
        RuntimeError, "output with shape [] doesn't match the broadcast shape [1]")
    assert fg.logsumexp(fg.ones(2, 3), [], keepdim=True).tolist() == [[2.7917594909667969]]
    assert fg.logsumexp(fg.ones(0, 3), []).tolist() == -math.inf
    assert fg.logsumexp(fg.tensor(2.0), []).tolist() == 2.0


@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_cummax_of_a_scalar_names_its_dims(name):
    assert _message(lambda: getattr(fg, name)(fg.tensor(1.0), 1)) == (
        IndexError, f"{name}(): Expected reduction dim -1 or 0 for scalar but got 1")
    assert _message(lambda: getattr(fg.tensor(1.0), name)(-2)) == (
        IndexError, f"{name}(): Expected reduction dim -1 or 0 for scalar but got -2")
    assert _message(lambda: fg.cumsum(fg.tensor(1.0), 1)) == (
        IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 1)")


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: fg.norm(fg.ones(2, 3, 4), dim=[0, 1, 2]), "linalg.matrix_norm: dim must be a 2-tuple. Got 0 1 2"),
    (lambda: fg.ones(2, 3, 4, 5).norm(dim=[3, 0, 2]), "linalg.matrix_norm: dim must be a 2-tuple. Got 3 0 2"),
    (lambda: fg.norm(fg.ones(2, 3, 4), p="fro", dim=[0, 1, 1]), "linalg.matrix_norm: dim must be a 2-tuple. Got 0 1 1"),
    (lambda: fg.ones(2, 3, 4).norm(p="nuc"), "linalg.matrix_norm: dim must be a 2-tuple. Got 0 1 2"),
    (lambda: fg.ones(2, 3).norm(p="nuc", dim=0), "linalg.matrix_norm: dim must be a 2-tuple. Got 0"),
    (lambda: fg.ones(2, 3).norm(p="abc", dim=1), "linalg.matrix_norm: Order abc not supported."),
    (lambda: fg.linalg.matrix_norm(fg.ones(3), 3), "linalg.matrix_norm: Order 3 not supported."),
    (lambda: fg.linalg.matrix_norm(fg.ones(2, 3, 4), dim=(0, 1, 2)), "linalg.matrix_norm: dim must be a 2-tuple. Got 0 1 2"),
])
def test_norm_hands_named_and_many_dim_norms_to_matrix_norm(call, expected):
    assert _message(call) == (RuntimeError, expected)


def test_norm_fro_over_at_most_two_dims_is_the_two_norm():
    assert fg.ones(2, 3).norm(p="fro", dim=0).tolist() == [1.4142135381698608] * 3
    assert fg.norm(fg.ones(2, 3), p="nuc", keepdim=True).shape == (1, 1)


# --- sorting and selection (test_sort_and_select.py) --------------------------------------


@pytest.mark.parametrize(("call", "kind", "expected"), [
    (lambda: fg.unique(fg.tensor(3), dim=0), IndexError, "Dimension specified as 0 but tensor has no dimensions"),
    (lambda: fg.unique(fg.tensor(3), dim=-1), IndexError, "Dimension specified as -1 but tensor has no dimensions"),
    (lambda: fg.unique_consecutive(fg.tensor(3), dim=0), IndexError,
     "Dimension specified as 0 but tensor has no dimensions"),
    (lambda: fg.unique(fg.empty(0, 0), dim=0), RuntimeError,
     "Number of zero sized dimensions is more than one, so unique cannot be applied "),
    (lambda: fg.unique(fg.empty(2, 0, 3), dim=0), RuntimeError,
     "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied"),
    (lambda: fg.unique_consecutive(fg.empty(2, 0, 0), dim=0), RuntimeError,
     "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied"),
    (lambda: fg.unique(fg.ones(2), dim=1), IndexError,
     "Dimension out of range (expected to be in range of [-1, 0], but got 1)"),
])
def test_unique_over_a_dim_refuses_as_pytorch(call, kind, expected):
    assert _message(call) == (kind, expected)


def test_unique_over_the_one_empty_dim():
    values, inverse, counts = fg.unique(fg.empty(2, 0, 3), dim=1, return_inverse=True, return_counts=True)
    assert values.shape == (2, 0, 3) and inverse.tolist() == [] and counts.tolist() == []
    assert fg.unique(fg.empty(2, 0), dim=1).shape == (2, 0)


def test_searchsorted_follows_pytorchs_comparisons_with_nan_and_unsorted_boundaries():
    nan, inf = math.nan, math.inf
    assert fg.searchsorted(fg.tensor([1.0, 3, nan]), fg.tensor([nan, 2.0, inf])).tolist() == [3, 1, 3]
    assert fg.searchsorted(fg.tensor([1.0, 3, nan]), fg.tensor([nan, 2.0, inf]), right=True).tolist() == [3, 1, 3]
    got = fg.searchsorted(fg.tensor([2.0, 3.0, 0.0]), fg.tensor([inf, 2.0, 2.0, 1.0]), right=True)
    assert got.tolist() == [3, 1, 1, 0]
    got = fg.searchsorted(fg.tensor([[2.0, 3.0, 0.0], [nan, 1, 2]]), fg.tensor([[2.0, 1.0], [1.0, nan]]))
    assert got.tolist() == [[0, 0], [1, 3]]
    assert fg.bucketize(fg.tensor([nan, 1.0]), fg.tensor([0.0, 2.0])).tolist() == [2, 1]


def test_searchsorted_of_bools_is_not_implemented():
    assert _message(lambda: fg.searchsorted(fg.tensor([False, True]), True)) == (
        NotImplementedError, "\"searchsorted_out_cpu\" not implemented for 'Bool'")
    assert fg.searchsorted(fg.tensor([False, True]), fg.tensor([0.5])).tolist() == [1]
    assert fg.bucketize(fg.tensor([True]), fg.tensor([0, 1])).tolist() == [1]


@pytest.mark.parametrize(("call", "got"), [
    (lambda: fg.searchsorted(fg.tensor([0.0, 1.0]), fg.tensor([2.0]), out=fg.empty(1, dtype=fg.int32)), ("Int", False)),
    (lambda: fg.searchsorted(fg.tensor([0.0, 1.0]), fg.tensor([2.0]), out_int32=True, out=fg.empty(1, dtype=fg.int64)),
     ("Long", True)),
    (lambda: fg.bucketize(fg.tensor([2.0]), fg.tensor([0.0, 1.0]), out=fg.empty(1)), ("Float", False)),
])
def test_searchsorted_out_of_the_wrong_index_dtype(call, got):
    dtype, flag = got
    assert _message(call) == (RuntimeError, (
        "torch.searchsorted(): output tensor's dtype is wrong, it can only be Int(int32) or Long(int64) depending on "
        f"whether out_int32 flag is True, but we got output tensor's dtype {dtype} and out_int32 flag is {flag}"))


def test_searchsorted_warns_once_per_process_of_each_noncontiguous_input():
    import subprocess
    import sys

    code = (
        "import warnings, backend\nfg = backend.fg\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    for _ in range(2):\n"
        "        fg.searchsorted(fg.arange(10.)[::2], fg.tensor([[3., 5.], [1., 9.]]).t())\n"
        "    fg.bucketize(fg.tensor([[3., 5.], [1., 9.]]).t(), fg.arange(10.)[::2])\n"
        "for w in caught:\n    print(w.message)\n"
    )
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([here, *sys.path]))
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                           check=True).stdout.splitlines()
    tail = ("this will lower the performance due to extra data copy when converting non-contiguous tensor to "
            "contiguous, please use contiguous {} tensor if possible. This message will only appear once per "
            "program. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/BucketizationUtils.h:{}.)")
    assert lines == [
        "torch.searchsorted(): input value tensor is non-contiguous, " + tail.format("input value", 32),
        "torch.searchsorted(): boundary tensor is non-contiguous, " + tail.format("boundary", 38),
    ]


# --- histograms ---------------------------------------------------------------------------


def test_histogram_edges_are_pytorchs_float32_linspace():
    edges = fg.histogram(fg.tensor([1.0, 2, 1]), bins=100).bin_edges
    assert [edges[i].item() for i in (19, 31, 44)] == [1.1899999380111694, 1.309999942779541, 1.4399999380111694]
    hist, edges = fg.histogram(fg.tensor([1.0, 2, 1]), bins=5)
    assert hist.tolist() == [2.0, 0.0, 0.0, 0.0, 1.0]
    assert edges.tolist() == [1.0, 1.2000000476837158, 1.399999976158142, 1.600000023841858, 1.7999999523162842, 2.0]


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: fg.histogram(fg.tensor([1.0, math.nan]), bins=2), "torch.histogramdd: dimension 0's range [nan, nan] is not finite"),
    (lambda: fg.histogram(fg.tensor([1.0, math.inf]), bins=2), "torch.histogramdd: dimension 0's range [1, inf] is not finite"),
    (lambda: fg.histogram(fg.tensor([1.0]), bins=2, range=(math.nan, 2.0)),
     "torch.histogramdd: dimension 0's range [nan, 2] is not finite"),
    (lambda: fg.histc(fg.tensor([1.0]), bins=0), "torch.histogram(): bins must be > 0, but got 0 for dimension 0"),
    (lambda: fg.histc(fg.tensor([1.0]), bins=-1), "torch.histogram(): bins must be > 0, but got -1 for dimension 0"),
])
def test_histogram_refusals(call, expected):
    assert _message(call) == (RuntimeError, expected)


def test_histogram_skips_nan_inside_a_given_range():
    hist, edges = fg.histogram(fg.tensor([1.0, math.nan]), bins=2, range=(0.0, 2.0))
    assert hist.tolist() == [0.0, 1.0] and edges.tolist() == [0.0, 1.0, 2.0]


# --- unary and binary ufuncs (test_unary_ufuncs.py, test_binary_ufuncs.py) ---------------


@pytest.mark.parametrize(("call", "kernel"), [
    (lambda x: fg.erf(x), "erf_vml_cpu"),
    (lambda x: x.erfc(), "erfc_vml_cpu"),
    (lambda x: x.erfinv_(), "erfinv_vml_cpu"),
    (lambda x: fg.lgamma(x), "lgamma_vml_cpu"),
    (lambda x: fg.special.gammaln(x), "lgamma_vml_cpu"),
    (lambda x: fg.digamma(x), "digamma"),
    (lambda x: fg.special.psi(x), "digamma"),
    (lambda x: x.i0_(), "i0_vml_cpu"),
    (lambda x: fg.round(x), "round_vml_cpu"),
    (lambda x: fg.round(x, decimals=0), "round_vml_cpu"),
    (lambda x: fg.special.round(x), "round_vml_cpu"),
    (lambda x: fg.round(x, decimals=1), "round_cpu"),
    (lambda x: x.logit_(), "logit_cpu"),
    (lambda x: fg.special.i0e(x), "i0e_cpu"),
])
def test_complex_refusals_name_pytorchs_kernels(call, kernel):
    assert _message(lambda: call(fg.tensor([1j]))) == (
        NotImplementedError, f"\"{kernel}\" not implemented for 'ComplexFloat'")


def test_round_with_zero_decimals_keeps_its_node():
    x = fg.ones(2, requires_grad=True)
    assert fg.round(x, decimals=0).grad_fn.name() == "RoundBackward1"
    assert fg.round(x).grad_fn.name() == "RoundBackward0"


def test_rsub_of_a_number_lists_its_overloads():
    assert _first_line(lambda: fg.rsub(3, fg.ones(2))) == (
        TypeError, "rsub() received an invalid combination of arguments - got (int, Tensor), but expected one of:")


# --- more reductions ------------------------------------------------------------------------


def test_max_and_min_of_all_complex_elements_name_their_kernel():
    assert _message(lambda: fg.max(fg.tensor([1j]))) == (
        NotImplementedError, "\"max_all\" not implemented for 'ComplexFloat'")
    assert _message(lambda: fg.tensor([1j], dtype=fg.complex128).min()) == (
        NotImplementedError, "\"min_all\" not implemented for 'ComplexDouble'")
    assert _message(lambda: fg.max(fg.tensor([1j]), 0)) == (RuntimeError, "max(): does not support complex input")


@pytest.mark.parametrize("out_dtype", ["int64", "bool"])
def test_logsumexp_out_must_be_floating(out_dtype):
    dtype = getattr(fg, out_dtype)
    name = {"int64": "Long", "bool": "Bool"}[out_dtype]
    for x in (fg.tensor([1, 2]), fg.tensor([1.0, 2.0])):
        assert _message(lambda x=x: fg.logsumexp(x, 0, out=fg.empty((), dtype=dtype))) == (
            RuntimeError, f"logsumexp(): Expected floating point type for result tensor, but got: {name}")
    out = fg.empty((), dtype=fg.float64)
    assert fg.logsumexp(fg.tensor([1.0, 2.0]), 0, out=out) is out
    assert out.item() == pytest.approx(2.3132616875182226)


def test_quantile_sorts_at_most_two_to_the_24_per_row():
    assert fg.quantile(fg.ones(2**24), 0.5).item() == 1.0
    for fn in (fg.quantile, fg.nanquantile):
        assert _message(lambda fn=fn: fn(fg.ones(2**24 + 1), 0.5)) == (
            RuntimeError, "quantile() input tensor is too large")
    assert _message(lambda: fg.quantile(fg.ones(2**24 + 1, 1), 0.5, dim=0)) == (
        RuntimeError, "quantile() input tensor is too large")
    assert fg.quantile(fg.ones(2**24 + 1, 1), 0.5, dim=1).shape == (2**24 + 1,)
    # the q range and dtype checks come first
    assert _message(lambda: fg.quantile(fg.ones(2**24 + 1), 1.5)) == (
        RuntimeError, "quantile() q must be in the range [0, 1] but got 1.5")


@pytest.mark.parametrize("name", ["fmod", "xlogy", "copysign"])
def test_a_complex_scalar_refusal_names_the_promoted_dtype(name):
    fn = getattr(fg, name)
    assert _message(lambda: fn(fg.tensor([1, 0]), 1j)) == (
        NotImplementedError, f"\"{name}_cpu\" not implemented for 'ComplexFloat'")
    assert _message(lambda: fn(fg.tensor([1.0], dtype=fg.float16), 1j)) == (
        NotImplementedError, f"\"{name}_cpu\" not implemented for 'ComplexHalf'")
    assert _message(lambda: fn(fg.tensor([1.0], dtype=fg.float64), 1j)) == (
        NotImplementedError, f"\"{name}_cpu\" not implemented for 'ComplexDouble'")


def test_xlogy_of_a_complex_scalar_and_tensor():
    assert _message(lambda: fg.xlogy(1j, fg.tensor([True]))) == (
        NotImplementedError, "\"xlogy_cpu\" not implemented for 'ComplexFloat'")


def test_argsort_with_too_many_arguments_counts_the_required_keyword():
    assert _message(lambda: fg.argsort(fg.ones(3), 0, True, True)) == (
        TypeError, "argsort() takes from 2 to 1 positional arguments but 4 were given")


@pytest.mark.parametrize("value", [1.5, "tensor"])
def test_searchsorted_of_a_scalar_needs_one_dimensional_boundaries(value):
    value = fg.tensor(1.5) if value == "tensor" else value
    assert _message(lambda: fg.searchsorted(fg.tensor([[1.0, 2.0]]), value)) == (RuntimeError, (
        "torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension is 1, but we got "
        "boundaries tensor dim(2) and input value's dim(0) numel(1)"))


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: fg.frexp(fg.tensor([1.0]), out=(fg.empty(1, dtype=fg.float64), fg.empty(1, dtype=fg.int32))),
     "torch.frexp() expects mantissa to have dtype float but got double"),
    (lambda: fg.frexp(fg.tensor([1.0]), out=(fg.empty(1), fg.empty(1, dtype=fg.int64))),
     "torch.frexp() expects exponent to have int dtype but got long int"),
    (lambda: fg.frexp(fg.tensor([1]), out=(fg.empty(1), fg.empty(1, dtype=fg.int32))),
     "torch.frexp() only supports floating-point dtypes"),
])
def test_frexp_out_in_its_own_words(call, expected):
    assert _message(call) == (RuntimeError, expected)


def test_frexp_out_of_the_right_dtypes_is_written():
    mantissa, exponent = fg.empty(0), fg.empty(0, dtype=fg.int32)
    got = fg.frexp(fg.tensor([1.0, 8.0]), out=(mantissa, exponent))
    assert got[0] is mantissa and mantissa.tolist() == [0.5, 0.5] and exponent.tolist() == [1, 4]


# --- out= of the reductions with values and indices -----------------------------------------


def _wrong_pair():
    return fg.empty(0, dtype=fg.int32), fg.empty(0, dtype=fg.int16)


@pytest.mark.parametrize(("name", "expected"), [
    ("kthvalue", "output values must be of same type as input"),
    ("median", ("Expected tensor for argument #1 'indices' to have scalar type Long; but got torch.ShortTensor instead "
               "(while checking arguments for median)")),
    ("nanmedian", ("Expected tensor for argument #1 'indices' to have scalar type Long; but got torch.ShortTensor "
                  "instead (while checking arguments for median)")),
    ("mode", "expected scalar type 'Float' but got 'Int' for values output"),
    ("cummax", "expected scalar_type Float but found Int"),
    ("cummin", "expected scalar_type Float but found Int"),
])
def test_values_and_indices_out_checked_in_each_kernels_words(name, expected):
    x = fg.arange(6.0).reshape(2, 3)
    args = (x, 1, 1) if name == "kthvalue" else (x, 1)
    assert _message(lambda: getattr(fg, name)(*args, out=_wrong_pair())) == (RuntimeError, expected)


@pytest.mark.parametrize(("call", "expected"), [
    (lambda x: fg.kthvalue(x, 1, out=(fg.empty(0), fg.empty(0))), "output indices must be of scalar type Long"),
    (lambda x: fg.median(x, 1, out=(fg.empty(0, dtype=fg.bfloat16), fg.empty(0, dtype=fg.int64))),
     ("Expected tensor for 'values' to have the same type as tensor for argument #2 'self'; but type CPUBFloat16Type "
     "does not equal torch.FloatTensor (while checking arguments for median)")),
    (lambda x: fg.median(x, 1, out=(fg.empty(0), fg.empty(0, dtype=fg.bool))),
     ("Expected tensor for argument #1 'indices' to have scalar type Long; but got CPUBoolType instead (while "
     "checking arguments for median)")),
    (lambda x: fg.mode(x, 1, out=(fg.empty(0), fg.empty(0))), "expected scalar type 'Long' but got 'Float' for indices output"),
    (lambda x: fg.cummin(x, 1, out=(fg.empty(0), fg.empty(0))), "expected scalar_type Long but found Float"),
    (lambda x: fg.amin(x, 0, out=fg.empty(3, dtype=fg.int64)),
     "Expected the dtype for input and out to match, but got Float for input's dtype and Long for out's dtype."),
    (lambda x: fg.amax(x.long(), 0, out=fg.empty(3)),
     "Expected the dtype for input and out to match, but got Long for input's dtype and Float for out's dtype."),
])
def test_more_out_dtype_refusals(call, expected):
    assert _message(lambda: call(fg.arange(6.0).reshape(2, 3))) == (RuntimeError, expected)


@pytest.mark.parametrize(("call", "count"), [
    (lambda x, E: fg.max(x, 0, out=(E(3), E(3), E(3))), 3),
    (lambda x, E: fg.sort(x, 0, out=(E(3),)), 1),
    (lambda x, E: fg.kthvalue(x, 1, 0, out=[E(3)]), 1),
])
def test_values_and_indices_out_needs_two_tensors(call, count):
    assert _message(lambda: call(fg.arange(6.0).reshape(2, 3), fg.empty)) == (
        TypeError, f"expected tuple of 2 elements but got {count}")


def test_out_pairs_of_the_right_dtypes_are_written():
    x = fg.arange(6.0).reshape(2, 3)
    values, indices = fg.empty(0), fg.empty(0, dtype=fg.int64)
    got = fg.cummax(x, 1, out=(values, indices))
    assert got.values is values and values.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert indices.tolist() == [[0, 1, 2], [0, 1, 2]]
    out = fg.empty(3)
    assert fg.amax(x, 0, out=out) is out and out.tolist() == [3.0, 4.0, 5.0]


def test_argsort_takes_out_only_with_stable():
    x = fg.tensor([3.0, 1.0, 2.0])
    assert _first_line(lambda: fg.argsort(x, 0, out=fg.empty(0, dtype=fg.int64))) == (
        TypeError, ("argsort() received an invalid combination of arguments - got (Tensor, int, out=Tensor), "
                   "but expected one of:"))
    out = fg.empty(0, dtype=fg.int64)
    assert fg.argsort(x, stable=False, out=out) is out and out.tolist() == [1, 2, 0]


# --- masks (test_torch.py: masked_fill / masked_scatter) -----------------------------------


@pytest.mark.parametrize(("mask_dtype", "name"), [("uint8", "unsigned char"), ("int64", "long int"), ("int16", "short int")])
@pytest.mark.parametrize("value", [1.0, "tensor"])
def test_masked_fill_refuses_a_non_bool_mask_in_cpp_words(mask_dtype, name, value):
    value = fg.tensor(1.0) if value == "tensor" else value
    mask = fg.tensor([1, 0, 1], dtype=getattr(fg, mask_dtype))
    for call in (lambda: fg.zeros(3).masked_fill(mask, value), lambda: fg.zeros(3).masked_fill_(mask, value)):
        assert _message(call) == (RuntimeError, f"masked_fill_ only supports boolean masks, but got mask with dtype {name}")


def test_masked_fill_value_dims_come_before_the_mask_dtype():
    mask = fg.tensor([1, 0, 1], dtype=fg.int16)
    assert _message(lambda: fg.zeros(3).masked_fill(mask, fg.tensor([1.0]))) == (
        RuntimeError, "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s).")


def test_masked_fill_names_the_mask_first_when_the_shapes_clash():
    assert _message(lambda: fg.zeros(3).masked_fill(fg.tensor([True, False]), 1.0)) == (
        RuntimeError, "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0")
    assert _message(lambda: fg.zeros(2, 3).masked_fill(fg.ones(4, 1, 2, dtype=fg.bool), 1.0)) == (
        RuntimeError, "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 2")
    assert _message(lambda: fg.zeros(3).masked_fill(fg.tensor([1, 0], dtype=fg.uint8), 1.0)) == (
        RuntimeError, "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0")


def test_masked_scatter_warns_of_a_byte_mask_before_refusing_it():
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kind, text = _message(lambda: fg.zeros(3).masked_scatter_(fg.tensor([1, 0, 1], dtype=fg.uint8), fg.arange(2.0)))
    assert (kind, text) == (RuntimeError, "masked_scatter_ only supports boolean masks, but got mask with dtype Byte")
    assert [str(w.message) for w in caught] == [
        ("masked_scatter_ received a mask with dtype torch.uint8, this behavior is now deprecated,please use a mask "
        "with dtype torch.bool instead. (Triggered internally at "
        "/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:3130.)")]
    assert caught[0].filename == __file__


@pytest.mark.parametrize("name", ["std", "var", "std_mean", "var_mean"])
@pytest.mark.parametrize(("call", "got"), [
    (lambda f, x: f(x, 1, unbiased="a"), "(Tensor, int, unbiased=str)"),
    (lambda f, x: f(x, 1, "a"), "(Tensor, int, str)"),
    (lambda f, x: f(x, unbiased=1), "(Tensor, unbiased=int)"),
    (lambda f, x: f(x, 1, np.bool_(True)), "(Tensor, int, numpy.bool)"),
])
def test_var_and_std_take_only_a_bool_unbiased(name, call, got):
    assert _first_line(lambda: call(getattr(fg, name), fg.ones(2, 3))) == (
        TypeError, f"{name}() received an invalid combination of arguments - got {got}, but expected one of:")


@pytest.mark.parametrize("name", ["std", "var"])
def test_var_and_std_methods_name_the_arguments_after_self(name):
    assert _first_line(lambda: getattr(fg.ones(2, 3), name)(1, unbiased="a")) == (
        TypeError, f"{name}() received an invalid combination of arguments - got (int, unbiased=str), but expected one of:")


def test_histogram_over_unsorted_edges_searches_as_pytorch():
    hist, edges = fg.histogram(fg.tensor([1.0, 2.0]), fg.tensor([2.0, 0.0]))
    assert hist.tolist() == [0.0] and edges.tolist() == [2.0, 0.0]
    hist, _ = fg.histogram(fg.tensor([0.0, 1.0, 1.0, 0.5, 2.0]), fg.tensor([1.0, 0.5, 2.0]),
                           weight=fg.tensor([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert hist.tolist() == [0.0, 10.0]


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: fg.histogram(fg.tensor([1.0, 2.0]), 2, range=(0.0, 4.0, 5.0)),
     "torch.histogramdd: for a 1-dimensional histogram range should have 2 elements, but got 3"),
    (lambda: fg.histogramdd(fg.tensor([[math.nan, 1.0]]), bins=[2, 2]),
     "torch.histogramdd: dimension 0's range [nan, nan] is not finite"),
    (lambda: fg.histogramdd(fg.ones(2, 2), bins=[2, 2], range=[0.0, math.inf, 0.0, 1.0]),
     "torch.histogramdd: dimension 0's range [0, inf] is not finite"),
    (lambda: fg.histogramdd(fg.ones(2, 2), bins=[2, 2], range=[1.0, 0.0, 0.0, 1.0]),
     "torch.histogramdd: min should not exceed max, but got min 1 max 0 for dimension 0"),
    (lambda: fg.histogramdd(fg.ones(2, 2), bins=[0, 2]), "torch.histogram(): bins must be > 0, but got 0 for dimension 0"),
    (lambda: fg.histogram(fg.tensor([1.0, 2.0]), 2, out=(fg.empty(0, dtype=fg.float64), fg.empty(0, dtype=fg.float64))),
     "torch.histogram: input tensor and hist tensor should have the same dtype, but got input float and hist double"),
    (lambda: fg.histogram(fg.tensor([1.0, 2.0]), 2, out=(fg.empty(0), fg.empty(0, dtype=fg.float64))),
     ("torch.histogram: input tensor and bin_edges tensor should have the same dtype, but got input float and "
     "bin_edges double for dimension 0")),
])
def test_more_histogram_refusals(call, expected):
    assert _message(call) == (RuntimeError, expected)


def test_histogramdd_edges_are_pytorchs_float32_linspace():
    edges = fg.histogramdd(fg.tensor([[1.0, 2.0]]), bins=[100, 100]).bin_edges
    assert edges[0][19].item() == 0.6899999976158142


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: fg.tensor([True]).clamp_(0, 1), "result type Long can't be cast to the desired output type bool"),
    (lambda: fg.tensor([1], dtype=fg.int8).clamp_(0.5, 1),
     "result type Float can't be cast to the desired output type signed char"),
    (lambda: fg.tensor([1]).clip_(0.5, 2), "result type Float can't be cast to the desired output type long int"),
    (lambda: fg.tensor([1]).clamp_min_(0.5), "result type Float can't be cast to the desired output type long int"),
    (lambda: fg.clamp_(fg.tensor([1]), max=0.5), "result type Float can't be cast to the desired output type long int"),
    (lambda: fg.tensor([1]).clamp_(1j), "result type ComplexFloat can't be cast to the desired output type long int"),
    # a tensor bound runs the elementwise kernel, which names the dtype its own way
    (lambda: fg.tensor([True]).clamp_(fg.tensor(0), None), "result type Long can't be cast to the desired output type Bool"),
    (lambda: fg.tensor([1]).clamp_(fg.tensor([0.5])), "result type Float can't be cast to the desired output type Long"),
])
def test_clamp_in_place_refuses_a_bound_in_pytorchs_words(call, expected):
    assert _message(call) == (RuntimeError, expected)


def test_clamp_in_place_still_clamps():
    x = fg.tensor([-1.0, 0.5, 3.0])
    assert x.clamp_(0, 1) is x and x.tolist() == [0.0, 0.5, 1.0]
    assert fg.tensor([5]).clamp_max_(2).tolist() == [2]


def test_nansum_of_integers_into_a_complex_dtype_is_their_sum():
    x = fg.tensor([[1, 2], [3, 4]])
    got = fg.nansum(x, dtype=fg.complex64)
    assert got.dtype == fg.complex64 and got.item() == 10 + 0j
    got = fg.nansum(x, 1, True, dtype=fg.complex128)
    assert got.shape == (2, 1) and got.tolist() == [[3 + 0j], [7 + 0j]]
    assert _message(lambda: fg.nansum(x.float(), dtype=fg.complex64)) == (
        NotImplementedError, "\"nansum_cpu\" not implemented for 'ComplexFloat'")


def test_norm_of_integers_refuses_the_input_before_a_complex_dtype():
    assert _message(lambda: fg.tensor([1, 2]).norm(dtype=fg.complex64)) == (
        RuntimeError, "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long")
    assert _message(lambda: fg.ones(2).norm(dtype=fg.complex64)) == (
        RuntimeError, "linalg.vector_norm: dtype should be real for real inputs, but got ComplexFloat")


def test_ndtr_is_pytorchs_composite_one_plus_erf():
    got = fg.special.ndtr(fg.tensor([-10.0, -8.5, -3.3, 0.7, 40.0], dtype=fg.float64)).tolist()
    assert got == [0.0, 0.0, 0.0004834241423837815, 0.758036347776927, 1.0]
    got = fg.special.ndtr(fg.tensor([-10.0, -3.3, 0.7], dtype=fg.float16)).tolist()
    assert got == [0.0, 0.00048828125, 0.7578125]


def test_special_namespace_exposes_no_helpers():
    public = {n for n in dir(fg.special) if not n.startswith("_")}
    assert not public & {"Any", "annotations", "install", "math", "need_int"}
    assert {"ndtr", "erf", "logsumexp", "zeta"} <= public


@pytest.mark.parametrize(("call", "expected"), [
    (lambda x: fg.special.gammainc(x, 2), "special_gammainc(): argument 'other' (position 2) must be Tensor, not int"),
    (lambda x: fg.special.gammaincc(x, 2), "special_gammaincc(): argument 'other' (position 2) must be Tensor, not int"),
    (lambda x: fg.special.logit(x, x), "special_logit(): argument 'eps' (position 2) must be float, not Tensor"),
    (lambda x: fg.special.logit(2, x), "special_logit(): argument 'input' (position 1) must be Tensor, not int"),
    (lambda x: fg.special.multigammaln(x, x), "special_multigammaln(): argument 'p' (position 2) must be int, not Tensor"),
])
def test_special_functions_refuse_arguments_under_their_own_names(call, expected):
    assert _message(lambda: call(fg.ones(2))) == (TypeError, expected)


def test_searchsorted_into_int32_needs_boundaries_shorter_than_int32_max():
    boundaries = fg.zeros(1, dtype=fg.int8).expand(2**31 - 1)
    assert _message(lambda: fg.searchsorted(boundaries, fg.tensor([1], dtype=fg.int8), out_int32=True)) == (
        RuntimeError, ("torch.searchsorted(): the size of boundaries' last dimension should be less than 2147483647, "
                      "but we got 2147483647"))



def _wrapped(value, depth):
    for _ in range(depth):
        value = [value]
    return value


def test_tolist_past_numpys_64_dims():
    assert fg.ones([1] * 65).tolist() == _wrapped(1.0, 65)
    got = fg.arange(4.0).reshape([2, 2] + [1] * 64).tolist()
    assert got == [[_wrapped(0.0, 64), _wrapped(1.0, 64)], [_wrapped(2.0, 64), _wrapped(3.0, 64)]]


def test_lerp_out_takes_any_dtype_the_result_casts_to():
    x = fg.tensor([1.0, 2.0])
    for dtype in (fg.float64, fg.float16, fg.complex64):
        out = fg.empty(2, dtype=dtype)
        assert fg.lerp(x, x, 0.5, out=out) is out and out.dtype == dtype and out.tolist() == [1.0, 2.0]
    assert _message(lambda: fg.lerp(x, x, 0.5, out=fg.empty(2, dtype=fg.int64))) == (
        RuntimeError, "result type Float can't be cast to the desired output type Long")


def test_lerp_out_with_a_weight_tensor_of_some_dims_keeps_the_input_dtype():
    x = fg.tensor([1.0, 2.0])
    for weight in (fg.tensor([0.5]), fg.tensor([0.5, 0.5])):
        assert _message(lambda w=weight: fg.lerp(x, x, w, out=fg.zeros(2, dtype=fg.float64))) == (
            RuntimeError, "Found dtype Double but expected Float")
    out = fg.zeros(2, dtype=fg.float64)
    assert fg.lerp(x, x, fg.tensor(0.5), out=out) is out and out.tolist() == [1.0, 2.0]


@pytest.mark.parametrize(("call", "expected"), [
    (lambda x: fg.histc(x, bins=2.5), "histc(): argument 'bins' must be int, not float"),
    (lambda x: fg.histc(x, 2.5), "histc(): argument 'bins' (position 2) must be int, not float"),
    (lambda x: x.histc(2.5), "histc(): argument 'bins' (position 1) must be int, not float"),
    (lambda x: x.histc(bins=True), "histc(): argument 'bins' must be int, not bool"),
])
def test_histc_names_a_bins_keyword_without_a_position(call, expected):
    assert _message(lambda: call(fg.tensor([1.0, 2.0]))) == (TypeError, expected)
