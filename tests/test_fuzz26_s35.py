"""Bad arguments PyTorch refuses in its own words where ferrograd did otherwise (session 35 fuzz)."""

import re

import pytest
from backend import fg


def _raises(exc, text, call):
    with pytest.raises(exc, match="^" + re.escape(text) + "$"):
        call()


# ---- addr names the vector that is not 1-D

def test_addr_names_the_vector_that_is_not_one_dimensional():
    sq = fg.ones(3, 3)
    _raises(RuntimeError, "addr: Expected 1-D argument vec2, but got 0-D", lambda: sq.addr(fg.ones(3), fg.tensor(1.0)))
    _raises(RuntimeError, "addr: Expected 1-D argument vec2, but got 2-D", lambda: fg.addr(sq, fg.ones(3), fg.ones(4, 5)))
    _raises(RuntimeError, "addr: Expected 1-D argument vec2, but got 2-D", lambda: sq.addr_(fg.ones(3), fg.ones(4, 5)))
    _raises(RuntimeError, "addr: Expected 1-D argument vec1, but got 0-D", lambda: sq.addr(fg.tensor(1.0), fg.ones(3)))


# ---- baddbmm expands its input to the result's shape first

def test_baddbmm_expands_the_input_first():
    b3 = fg.ones(2, 3, 3)
    expanded = ("The expanded size of the tensor (0) must match the existing size (2) at non-singleton dimension 0.  "
                "Target sizes: [0, 3, 3].  Tensor sizes: [2, 3, 3]")
    _raises(RuntimeError, expanded, lambda: b3.baddbmm_(fg.zeros(0, 3, 3), b3))
    _raises(RuntimeError, expanded, lambda: b3.baddbmm(fg.zeros(0, 3, 3), b3))
    wider = ("The expanded size of the tensor (5) must match the existing size (3) at non-singleton dimension 1.  "
             "Target sizes: [4, 5, 3].  Tensor sizes: [2, 3, 3]")
    _raises(RuntimeError, wider, lambda: b3.baddbmm_(fg.ones(4, 5), b3))
    _raises(RuntimeError, wider, lambda: b3.baddbmm(fg.ones(4, 5), b3))
    three = ("The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  "
             "Target sizes: [3, 3, 3].  Tensor sizes: [2, 3, 3]")
    _raises(RuntimeError, three, lambda: b3.baddbmm_(fg.ones(3, 3, 3), b3))
    _raises(RuntimeError, three, lambda: fg.baddbmm(b3, fg.ones(3, 3, 3), b3))


def test_baddbmm_in_place_needs_batch2s_dtype():
    b3 = fg.ones(2, 3, 3)
    _raises(RuntimeError, "Bad in-place call: input tensor dtype float and output tensor dtype long int should match",
            lambda: b3.baddbmm_(b3, b3.long()))
    _raises(RuntimeError, "Input dtypes must be the same, got: input float, batch1: long int, batch2: float",
            lambda: b3.baddbmm_(b3.long(), b3))
    _raises(RuntimeError, "expected scalar type Float but found Long", lambda: b3.baddbmm(b3, b3.long()))
    assert b3.long().baddbmm_(b3.long(), b3.long()).tolist()[0][0] == [4, 4, 4]


# ---- float_power_ checks its base's dtype before broadcasting

def test_float_power_inplace_checks_the_base_dtype_first():
    x = fg.ones(2, 3)
    _raises(RuntimeError, "the base given to float_power_ has dtype Float but the operation's result requires dtype Double",
            lambda: fg.tensor(1.5).float_power_(x))
    _raises(RuntimeError, "the base given to float_power_ has dtype Long but the operation's result requires dtype Double",
            lambda: fg.tensor(2).float_power_(x))
    _raises(RuntimeError, "output with shape [] doesn't match the broadcast shape [2, 3]",
            lambda: fg.tensor(2.0, dtype=fg.float64).float_power_(x))


# ---- mvlgamma's own composition words its refusals

def test_mvlgamma_refusals():
    xc = fg.ones(2, 3, dtype=fg.complex64)
    xi = fg.ones(2, 3, dtype=fg.int64)
    arange = "\"arange_cpu\" not implemented for 'ComplexFloat'"
    _raises(NotImplementedError, arange, lambda: xc.mvlgamma(1))
    _raises(NotImplementedError, arange, lambda: xc.mvlgamma_(1))
    _raises(NotImplementedError, arange, lambda: fg.special.multigammaln(xc, 1))
    _raises(NotImplementedError, arange, lambda: fg.mvlgamma(xc, 1, out=xc))
    _raises(RuntimeError, "p has to be greater than or equal to 1", lambda: xc.mvlgamma(0))
    cast = "mvlgamma: result type Long can't be cast to the desired output type Float"
    _raises(RuntimeError, cast, lambda: xi.mvlgamma_(1))
    _raises(RuntimeError, cast, lambda: fg.mvlgamma(xi, 1, out=xi))
    _raises(RuntimeError, "mvlgamma: result type Float can't be cast to the desired output type Float",
            lambda: fg.mvlgamma(fg.ones(2, 3), 1, out=xi))
    assert xi.mvlgamma(1).tolist() == [[0.0] * 3] * 2


# ---- kernels named as PyTorch names them for a complex input

def test_complex_inputs_refused_by_pytorchs_kernels():
    xc = fg.ones(2, 3, dtype=fg.complex64)
    x = fg.ones(2, 3)
    atan2 = "\"atan2_cpu\" not implemented for 'ComplexFloat'"
    for call in (lambda: fg.arctan2(xc, xc), lambda: xc.arctan2(x), lambda: x.arctan2(xc), lambda: xc.arctan2_(xc)):
        _raises(NotImplementedError, atan2, call)
    _raises(NotImplementedError, "\"digamma\" not implemented for 'ComplexFloat'", lambda: xc.polygamma(0))
    _raises(NotImplementedError, "\"trigamma\" not implemented for 'ComplexFloat'", lambda: xc.polygamma(1))
    _raises(NotImplementedError, "\"trigamma\" not implemented for 'ComplexFloat'", lambda: xc.polygamma_(1))
    _raises(NotImplementedError, "\"polygamma\" not implemented for 'ComplexFloat'", lambda: fg.polygamma(3, xc))
    _raises(NotImplementedError, "\"hardshrink_cpu\" not implemented for 'ComplexFloat'", lambda: xc.hardshrink())
    _raises(NotImplementedError, "\"hardshrink_cpu\" not implemented for 'ComplexFloat'", lambda: fg.hardshrink(xc))
    _raises(NotImplementedError, "\"aminmax_cpu\" not implemented for 'ComplexFloat'", lambda: xc.histc())
    _raises(NotImplementedError, "\"histogram_cpu\" not implemented for 'ComplexFloat'",
            lambda: fg.histc(xc, bins=4, min=0, max=1))
    _raises(NotImplementedError, "\"histogram_cpu\" not implemented for 'Long'", lambda: fg.ones(3).long().histc())


# ---- quantile checks a number q first, printed as C++ prints a double

@pytest.mark.parametrize("call, got", [
    (lambda: fg.quantile(fg.zeros(0), 2.0), "2"),
    (lambda: fg.quantile(fg.ones(2, dtype=fg.int64), 2.0), "2"),
    (lambda: fg.quantile(fg.ones(2), 2.0, interpolation="bogus"), "2"),
    (lambda: fg.quantile(fg.ones(2), 1.1), "1.1"),
    (lambda: fg.ones(2).quantile(-1), "-1"),
    (lambda: fg.ones(2).nanquantile(2**63), "9.22337e+18"),
    (lambda: fg.nanquantile(fg.ones(2), 1.0000001), "1"),
])
def test_quantile_checks_a_number_q_first(call, got):
    _raises(RuntimeError, f"quantile() q must be in the range [0, 1] but got {got}", call)


def test_quantile_tensor_q_out_of_range():
    _raises(RuntimeError, "quantile() q values must be in the range [0, 1]",
            lambda: fg.quantile(fg.ones(2), fg.tensor(2.0)))


# ---- kron and isin of views PyTorch cannot flatten

VIEW_ERROR = ("view size is not compatible with input tensor's size and stride (at least one dimension spans across "
              "two contiguous subspaces). Use .reshape(...) instead.")


def _transposed(rows, cols):
    return fg.arange(rows * cols).reshape(cols, rows).t().float()


def test_kron_of_a_transposed_tensor_fails_as_pytorchs_view():
    b = fg.ones(2, 3)
    for call in (lambda: fg.kron(_transposed(2, 3), b), lambda: fg.kron(b, _transposed(2, 3)),
                 lambda: _transposed(2, 3).kron(fg.ones(3)),
                 lambda: fg.kron(_transposed(2, 3).requires_grad_(), b)):
        _raises(RuntimeError, VIEW_ERROR, call)
    assert fg.kron(fg.ones(2, 3)[:, ::2], b).shape == (4, 6)
    assert fg.kron(fg.ones(3).expand(2, 3), b).shape == (4, 9)


def test_isin_of_few_unflattenable_test_elements_fails_as_pytorchs_view():
    b = fg.ones(2, 3)
    for call in (lambda: fg.isin(b, _transposed(2, 3)), lambda: fg.isin(fg.ones(1000), _transposed(2, 3)),
                 lambda: fg.isin(2.0, _transposed(2, 3)), lambda: fg.isin(b, fg.ones(3).expand(2, 3)),
                 lambda: fg.isin(b.long(), _transposed(2, 3))):
        _raises(RuntimeError, VIEW_ERROR, call)
    # many test elements take the sorting path; a copy to the common dtype is contiguous
    assert fg.isin(_transposed(40, 30), _transposed(20, 30)).shape == (40, 30)
    assert fg.isin(b, fg.ones(3).long().expand(2, 3)).all()
    assert fg.isin(_transposed(2, 3), b).shape == (2, 3)
    assert fg.isin(b, fg.ones(4)[::2]).all()


# ---- matrix_power copies its result into `out` for n = 0, 1 and powers of two from 4

def test_matrix_power_copies_into_any_castable_out():
    sq = fg.ones(3, 3) + fg.eye(3)
    for n, first in ((0, 1.0), (1, 2.0), (4, 86.0)):
        out = fg.empty(0, dtype=fg.float64)
        assert fg.matrix_power(sq, n, out=out) is out and out[0, 0].item() == first
    assert fg.matrix_power(sq, 4, out=fg.empty(0, dtype=fg.complex64)).dtype == fg.complex64
    assert fg.linalg.matrix_power(sq, 1, out=fg.empty(0, dtype=fg.float64)).tolist()[0] == [2.0, 1.0, 1.0]
    _raises(RuntimeError, "Expected out tensor to have dtype float, but got double instead",
            lambda: fg.matrix_power(sq, 3, out=fg.empty(0, dtype=fg.float64)))
    _raises(RuntimeError, "matrix_power: Expected result to be safely castable from Float dtype, but got result "
            "with dtype Long", lambda: fg.matrix_power(sq, 0, out=fg.empty(0, dtype=fg.int64)))


# ---- matrix_rank of a dtype it has no kernel for: the default rtol's epsilon, else the decomposition

@pytest.mark.parametrize("call, exc, text", [
    (lambda sq: fg.linalg.matrix_rank(sq.half()), RuntimeError,
     "This function doesn't handle types other than float and double"),
    (lambda sq: fg.linalg.matrix_rank(sq.half(), atol=0.1), RuntimeError,
     "This function doesn't handle types other than float and double"),
    (lambda sq: fg.linalg.matrix_rank(sq.half(), tol=0.1), NotImplementedError,
     "\"linalg_svd_cpu\" not implemented for 'Half'"),
    (lambda sq: fg.linalg.matrix_rank(sq.bfloat16(), atol=0.1, rtol=0.0), NotImplementedError,
     "\"linalg_svd_cpu\" not implemented for 'BFloat16'"),
    (lambda sq: fg.linalg.matrix_rank(sq.half(), tol=0.1, hermitian=True), NotImplementedError,
     "\"linalg_eigh_cpu\" not implemented for 'Half'"),
    (lambda sq: fg.linalg.matrix_rank(sq.long(), rtol=0.1), RuntimeError,
     "linalg.svd: Expected a floating point or complex tensor as input. Got Long"),
    (lambda sq: fg.linalg.matrix_rank(sq.long(), rtol=0.1, hermitian=True), NotImplementedError,
     "\"linalg_eigh_cpu\" not implemented for 'Long'"),
    (lambda sq: fg.linalg.matrix_rank(fg.ones(3).half()), RuntimeError,
     "torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions."),
    (lambda sq: fg.linalg.matrix_rank(fg.ones(0, 3).half()), RuntimeError,
     "This function doesn't handle types other than float and double"),
])
def test_matrix_rank_refuses_dtypes_in_pytorchs_order(call, exc, text):
    _raises(exc, text, lambda: call(fg.ones(3, 3)))


def test_matrix_rank_of_an_empty_matrix_with_rtol_needs_no_kernel():
    assert fg.linalg.matrix_rank(fg.ones(0, 3).long(), rtol=0.1).item() == 0


# ---- group_norm's bias message shows the weight's shape, as PyTorch's does

def test_group_norm_bias_message_shows_the_weights_shape():
    x = fg.ones(2, 3)
    text = ("Expected bias to be a vector of size equal to the number of channels in input, but got bias of shape {} "
            "and input of shape [2, 3]")
    _raises(RuntimeError, text.format("[0]"), lambda: fg.group_norm(x, 1, bias=fg.ones(4)))
    _raises(RuntimeError, text.format("[0]"), lambda: fg.nn.functional.group_norm(x, 1, bias=fg.ones(2, 3)))
    _raises(RuntimeError, text.format("[3]"), lambda: fg.group_norm(x, 1, fg.ones(3), bias=fg.ones(4)))
    _raises(RuntimeError, "Expected weight to be a vector of size equal to the number of channels in input, but got "
            "weight of shape [4] and input of shape [2, 3]", lambda: fg.group_norm(x, 1, fg.ones(4), bias=fg.ones(3)))


# ---- convolutions check the bias's dtype first

@pytest.mark.parametrize("call, text", [
    (lambda b3: fg.conv1d(b3, b3, bias=fg.ones(2, 3).long()), "Input type (float) and bias type (long int)"),
    (lambda b3: fg.conv1d(b3, fg.ones(2, 3), bias=fg.ones(2).long()), "Input type (float) and bias type (long int)"),
    (lambda b3: fg.conv1d(b3, b3, bias=fg.ones(2).double(), groups=0), "Input type (float) and bias type (double)"),
    (lambda b3: fg.conv1d(fg.ones(3), b3, bias=fg.ones(2).half()), "Input type (float) and bias type (c10::Half)"),
    (lambda b3: fg.conv1d(b3.half(), b3.half(), bias=fg.ones(2)), "Input type (c10::Half) and bias type (float)"),
    (lambda b3: fg.nn.functional.conv2d(fg.ones(1, 2, 3, 3), fg.ones(2, 2, 1, 1), bias=fg.ones(3).long()),
     "Input type (float) and bias type (long int)"),
])
def test_convolution_checks_the_bias_dtype_first(call, text):
    _raises(RuntimeError, text + " should be the same", lambda: call(fg.ones(2, 3, 3)))


def test_convolution_bias_shape_and_same_padding():
    b3 = fg.ones(2, 3, 3)
    _raises(RuntimeError, "Given weight of size [2, 3, 3], expected bias to be 1-dimensional with 2 elements, but got "
            "bias of size [2, 3] instead", lambda: fg.conv1d(b3, b3, bias=fg.ones(2, 3)))
    _raises(RuntimeError, "Given weight of size [2, 3, 3], expected bias to be 1-dimensional with 2 elements, but got "
            "bias of size [3] instead", lambda: fg.conv1d(b3, b3, bias=fg.ones(3).long(), padding="same"))


def test_embedding_names_a_bool_index_by_its_backend_type():
    _raises(RuntimeError, "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, "
            "Int; but got CPUBoolType instead (while checking arguments for embedding)",
            lambda: fg.embedding(fg.ones(2, 3), fg.ones(2, 3) > 0))


# ---- tensordot names the contracted dims as counted from the end

def test_tensordot_names_dims_as_given():
    x = fg.ones(2, 3)
    text = "contracted dimensions need to match, but first has size {} in dim {} and second has size {} in dim 0"
    _raises(RuntimeError, text.format(0, -2, 2), lambda: fg.tensordot(fg.zeros(0, 3), x))
    _raises(RuntimeError, text.format(5, -1, 2), lambda: fg.tensordot(fg.ones(4, 5), x, dims=1))
    _raises(RuntimeError, text.format(3, 1, 4), lambda: fg.tensordot(x, fg.ones(4, 5), dims=([1], [0])))
    assert fg.tensordot(x, fg.ones(3, 4), dims=1).shape == (2, 4)


# ---- broadcasting refusals name the last mismatching dim

def test_masked_select_and_bce_with_logits_name_the_last_mismatching_dim():
    x = fg.ones(2, 3)
    _raises(RuntimeError, "The size of tensor a (3) must match the size of tensor b (5) at non-singleton dimension 1",
            lambda: fg.masked_select(fg.ones(4, 5), x > 0))
    _raises(RuntimeError, "The size of tensor a (5) must match the size of tensor b (3) at non-singleton dimension 2",
            lambda: fg.ones(3, 2, 3).masked_select(fg.ones(4, 5) > 0))
    _raises(RuntimeError, "The size of tensor a (2) must match the size of tensor b (0) at non-singleton dimension 0",
            lambda: fg.binary_cross_entropy_with_logits(fg.zeros(0, 3), x))
    _raises(RuntimeError, "The size of tensor a (3) must match the size of tensor b (5) at non-singleton dimension 1",
            lambda: fg.binary_cross_entropy_with_logits(fg.ones(4, 5), x))


def test_index_select_checks_outs_dtype_after_its_index():
    x, xi = fg.ones(2, 3), fg.ones(2, 3, dtype=fg.int64)
    same = "index_select(): self and result must have the same scalar type"
    _raises(RuntimeError, same, lambda: fg.index_select(x, 0, fg.tensor([0]), out=xi))
    _raises(RuntimeError, same, lambda: fg.index_select(x, 0, fg.tensor([5]), out=xi))
    _raises(RuntimeError, same, lambda: fg.index_select(x, 0, fg.tensor([0]), out=fg.empty(0, dtype=fg.float64)))
    _raises(RuntimeError, "index_select(): Expected dtype int32 or int64 for index",
            lambda: fg.index_select(x, 0, fg.tensor([0.0]), out=xi))
    _raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 5)",
            lambda: fg.index_select(x, 5, fg.tensor([0]), out=xi))


# ---- the parser's words for Tensor.masked_fill_, Tensor.split and Tensor.repeat

def test_masked_fill_inplace_parser_error_names_the_inplace_method():
    x = fg.ones(2, 3)
    with pytest.raises(TypeError, match=r"^masked_fill_\(\) received an invalid combination of arguments - got \(str, int\)"):
        x.masked_fill_("abc", 1)
    with pytest.raises(TypeError, match=r"^masked_fill_\(\) received an invalid combination of arguments - got \(Tensor, str\)"):
        x.masked_fill_(x > 0, "a")
    assert x.masked_fill_(x > 0, 2.0).sum().item() == 12.0


SPLIT_LISTING = (
    "split() received an invalid combination of arguments - got (Tensor, {}, {}), but expected one of:\n"
    " * (Tensor input, int split_size, int dim = 0)\n"
    "      didn't match because some of the arguments have invalid types: (Tensor, {}, {})\n"
    " * (Tensor input, tuple of ints split_size, int dim = 0)\n"
    "      didn't match because some of the arguments have invalid types: (Tensor, !{}!, {})\n")


def test_tensor_split_with_an_int_size_is_refused_as_vf_split():
    x = fg.ones(2, 3)
    _raises(TypeError, SPLIT_LISTING.format("bool", "int", "!bool!", "!int!", "bool", "!int!"), lambda: x.split(True, 1))
    _raises(TypeError, SPLIT_LISTING.format("int", "str", "int", "!str!", "int", "!str!"), lambda: x.split(1, dim="1"))
    _raises(TypeError, SPLIT_LISTING.format("int", "str", "int", "!str!", "int", "!str!"),
            lambda: x.split(fg.tensor(1.5), "s"))
    _raises(TypeError, "split_with_sizes(): argument 'dim' (position 3) must be int, not str",
            lambda: x.split([1, 1], dim="1"))
    _raises(TypeError, "split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, not float",
            lambda: x.split(1.5))


@pytest.mark.parametrize("args, kwargs, text", [
    (([1.5],), {}, "argument 'repeats' (position 1) must be tuple of ints, but found element of type float at pos 0"),
    ((1.5,), {}, "argument 'repeats' (position 1) must be tuple of ints, not float"),
    (("ab",), {}, "argument 'repeats' (position 1) must be tuple of ints, not str"),
    ((1, 1.5), {}, ("argument 'repeats' failed to unpack the object at pos 2 with error \"type must be tuple of "
                    "ints,but got float\"")),
    (([True],), {}, "argument 'repeats' (position 1) must be tuple of ints, but found element of type bool at pos 0"),
    ((), {"repeats": 1.5}, "argument 'repeats' must be tuple of ints, not float"),
])
def test_tensor_repeat_refusals_name_the_method(args, kwargs, text):
    _raises(TypeError, "repeat(): " + text, lambda: fg.ones(2, 3).repeat(*args, **kwargs))


# ---- nn.functional: messages in ATen's words and order

def test_nn_functional_refusals_in_atens_words():
    F, x = fg.nn.functional, fg.ones(2, 3)
    _raises(RuntimeError, "label_smoothing must be between 0.0 and 1.0. Got: 9.22337e+18",
            lambda: F.cross_entropy(x, fg.tensor([0, 1]), label_smoothing=2**63))
    _raises(RuntimeError, "label_smoothing must be between 0.0 and 1.0. Got: 1.5",
            lambda: F.cross_entropy(x, fg.tensor([0, 1]), label_smoothing=1.5))
    _raises(RuntimeError, "The size of tensor a (0) must match the size of tensor b (2) at non-singleton dimension 0",
            lambda: F.margin_ranking_loss(x, x, fg.zeros(0, 3)))
    _raises(RuntimeError, "The size of tensor a (5) must match the size of tensor b (3) at non-singleton dimension 1",
            lambda: F.margin_ranking_loss(x, x, fg.ones(4, 5)))
    _raises(NotImplementedError, "\"avg_pool3d_out_frame\" not implemented for 'ComplexFloat'",
            lambda: F.avg_pool3d(fg.ones(1, 1, 2, 2, 2, dtype=fg.complex64), 1))
    _raises(NotImplementedError, "\"avg_pool2d\" not implemented for 'ComplexFloat'",
            lambda: F.avg_pool1d(fg.ones(1, 1, 4, dtype=fg.complex64), 2))
    _raises(IndexError, "Dimension specified as -1 but tensor has no dimensions",
            lambda: F.multilabel_soft_margin_loss(fg.tensor(1.5), x))
    loss = F.margin_ranking_loss(fg.tensor([1.0, 2.0]), fg.tensor([2.0, 0.0]), fg.tensor([1.0, -1.0]), margin=0.5)
    assert loss.item() == 2.0
