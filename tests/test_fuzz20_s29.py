"""Session 29 (helper fuzz20): bad calls PyTorch refuses that were taken, and refusals
worded otherwise, found by `tools/fuzz_calls18.py`. `lobpcg` raises what PyTorch's first
LOBPCG step raises on a bad argument; flags, `alpha=None`, an SVD `driver=`, a negative
`eps`, a complex `dx` are refused; a keyword int list's refusal names no element; the
deprecated argument orders and the methods built on functions give a bare extraction
message way to PyTorch's parser error. Expected types and messages are PyTorch's; the
file also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re
import warnings

import pytest
from backend import fg

F = fg.nn.functional


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


def spd():
    return fg.eye(3) * 4 + fg.ones(3, 3)


def data():
    return fg.tensor([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])


def square():
    return fg.tensor([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]])


# ---- lobpcg: the errors of PyTorch's first iteration --------------------------------------


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda: fg.lobpcg(spd().long()), RuntimeError,
     "expected m1 and m2 to have the same dtype, but got: long int != float"),
    (lambda: fg.lobpcg(spd(), B=fg.eye(3, dtype=fg.float64)), RuntimeError,
     "expected m1 and m2 to have the same dtype, but got: double != float"),
    (lambda: fg.lobpcg(spd(), X=fg.ones(3, 1, dtype=fg.float64)), RuntimeError,
     "expected m1 and m2 to have the same dtype, but got: float != double"),
    (lambda: fg.lobpcg(fg.stack([spd(), spd()]).long()), RuntimeError,
     "expected m1 and m2 to have the same dtype, but got: long int != float"),
    (lambda: fg.lobpcg(spd(), niter="abc"), TypeError, "unsupported operand type(s) for -: 'str' and 'int'"),
    (lambda: fg.lobpcg(spd(), niter=fg.ones(2, 3, dtype=fg.int64)), RuntimeError,
     "Boolean value of Tensor with more than one value is ambiguous"),
    (lambda: fg.lobpcg(spd(), tol="abc"), TypeError, "'<' not supported between instances of 'Tensor' and 'str'"),
    (lambda: fg.lobpcg(spd(), tol=1j), NotImplementedError, "\"lt_cpu\" not implemented for 'ComplexFloat'"),
    (lambda: fg.lobpcg(spd(), tol=fg.ones(2, 3, dtype=fg.int64)), RuntimeError,
     "Boolean value of Tensor with more than one value is ambiguous"),
    (lambda: fg.lobpcg(spd(), tracker="abc"), TypeError, "'str' object is not callable"),
    (lambda: fg.lobpcg(spd(), tracker=fg.ones(2)), TypeError, "'Tensor' object is not callable"),
    (lambda: fg.lobpcg(spd(), ortho_iparams="abc"), ValueError,
     "dictionary update sequence element #0 has length 1; 2 is required"),
    (lambda: fg.lobpcg(spd(), ortho_fparams=1j), TypeError, "'complex' object is not iterable"),
    (lambda: fg.lobpcg(spd(), ortho_bparams=fg.ones(2, 3)), ValueError,
     "dictionary update sequence element #0 has length 3; 2 is required"),
])
def test_lobpcg_bad_arguments(call, kind, message):
    with raises(kind, message):
        call()


def test_lobpcg_order_of_its_checks():
    # the products come before the convergence test, which comes before niter
    with raises(RuntimeError, "expected m1 and m2 to have the same dtype, but got: long int != float"):
        fg.lobpcg(spd().long(), tol="abc")
    with raises(TypeError, "'<' not supported between instances of 'Tensor' and 'str'"):
        fg.lobpcg(spd(), tol="abc", niter="abc")
    # the "ortho" options are merged before anything runs; "basic" takes none
    with raises(ValueError, "dictionary update sequence element #0 has length 1; 2 is required"):
        fg.lobpcg(spd(), tol="abc", ortho_iparams="abc")
    values, vectors = fg.lobpcg(spd(), method="basic", ortho_iparams="abc")
    assert values.shape == (1,) and vectors.shape == (3, 1)


def test_lobpcg_good_arguments_still_solve():
    values, vectors = fg.lobpcg(spd(), niter=5, tol=1e-3, ortho_iparams={"ortho_i_max": 2}, largest=True)
    assert abs(float(values[0]) - 7.0) < 1e-3
    residual = spd() @ vectors - vectors * values
    assert float(residual.abs().max()) < 1e-3


# ---- flags, alpha=None and other arguments PyTorch refuses --------------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda x: x.gather(0, fg.zeros(2, 3, dtype=fg.int64), sparse_grad="abc"),
     "gather(): argument 'sparse_grad' must be bool, not str"),
    (lambda x: x.gather(0, fg.zeros(2, 3, dtype=fg.int64), sparse_grad=None),
     "gather(): argument 'sparse_grad' must be bool, not NoneType"),
    (lambda x: fg.gather(x, 0, fg.zeros(2, 3, dtype=fg.int64), sparse_grad=1),
     "gather(): argument 'sparse_grad' must be bool, not int"),
    (lambda x: x.topk(1, sorted="abc"), "topk(): argument 'sorted' must be bool, not str"),
    (lambda x: x.topk(1, 0, True, 2), "topk(): argument 'sorted' (position 4) must be bool, not int"),
    (lambda x: x.topk(1, largest=None), "topk(): argument 'largest' must be bool, not NoneType"),
    (lambda x: fg.topk(x, 1, sorted=[True]), "topk(): argument 'sorted' must be bool, not list"),
])
def test_flag_types(call, message):
    with raises(TypeError, message):
        call(data())


def test_flags_taken_as_bools():
    x = data()
    index = fg.tensor([[1, 0, 1]])
    assert fg.equal(x.gather(0, index, sparse_grad=False), fg.tensor([[4.0, -2.0, -6.0]]))
    assert fg.equal(x.topk(1, sorted=False).values, fg.tensor([[3.0], [5.0]]))


SUBTRACT_LISTING = (
    "subtract() received an invalid combination of arguments - got (Tensor, Tensor, alpha=NoneType), but expected "
    "one of:\n * (Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)\n"
    " * (Tensor input, Number other, Number alpha = 1)\n"
    "      didn't match because some of the keywords were incorrect: alpha\n"
)


def test_alpha_none_refused_by_subtract_and_rsub():
    x = data()
    with raises(TypeError, SUBTRACT_LISTING):
        fg.subtract(x, x, alpha=None)
    with pytest.raises(TypeError, match=r"^subtract_\(\) received an invalid combination of arguments - got "
                                        r"\(Tensor, alpha=NoneType\)"):
        x.clone().subtract_(x, alpha=None)
    with pytest.raises(TypeError, match=r"^rsub\(\) received an invalid combination of arguments - got "
                                        r"\(Tensor, int, alpha=NoneType\)"):
        fg.rsub(x, 2, alpha=None)


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda x: fg.linalg.svd(x, driver="gesvd"), RuntimeError,
     "torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with cuSOLVER backend."),
    (lambda x: fg.linalg.svdvals(x, driver="bogus"), RuntimeError,
     "torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with cuSOLVER backend."),
    (lambda x: fg.linalg.svd(x, driver=1), TypeError, "linalg_svd(): argument 'driver' must be str, not int"),
    (lambda x: F.cosine_similarity(x, x, eps=float("nan")), RuntimeError, "eps must be non-negative, got: nan"),
    (lambda x: fg.cosine_similarity(x, x, 1, -1), RuntimeError, "eps must be non-negative, got: -1"),
    (lambda x: F.cosine_similarity(x.long(), x.long(), eps=-1), RuntimeError,
     "expected common dtype to be floating point, yet common dtype is Long"),
    (lambda x: fg.trapezoid(x, dx=1j), RuntimeError, "trapezoid: Currently, we only support dx as a real number."),
    (lambda x: fg.cumulative_trapezoid(x, dx=True), RuntimeError,
     "cumulative_trapezoid: Currently, we only support dx as a real number."),
    (lambda x: F.poisson_nll_loss(x, x, eps="abc"), TypeError,
     "poisson_nll_loss(): argument 'eps' (position 5) must be float, not str"),
    (lambda x: F.poisson_nll_loss(x, x, eps=None), TypeError,
     "poisson_nll_loss(): argument 'eps' (position 5) must be float, not NoneType"),
    (lambda x: fg.linalg.matrix_exp(square(), out=fg.empty(3, 3)), TypeError,
     "linalg_matrix_exp() got an unexpected keyword argument 'out'"),
    (lambda x: x.type(fg.float64, memory_format="abc"), TypeError,
     "type(): argument 'memory_format' must be torch.memory_format, not str"),
    (lambda x: x.type(memory_format=1), TypeError, "type(): argument 'memory_format' must be torch.memory_format, not int"),
    (lambda x: x.type(fg.float64, non_blocking="a"), TypeError, "type(): argument 'non_blocking' must be bool, not str"),
    (lambda x: x.type(fg.float64, "a"), TypeError, "type(): argument 'non_blocking' (position 2) must be bool, not str"),
    (lambda x: x.type(None, False, 3), TypeError, "type() takes from 0 to 2 positional arguments but 3 were given"),
])
def test_refused_arguments(call, kind, message):
    with raises(kind, message):
        call(data())


def test_arguments_still_taken():
    x = data()
    assert fg.equal(fg.trapz(x, dx=True), fg.trapezoid(x, dx=1.0))
    assert fg.trapezoid(fg.ones(2, 0), dx=1j).shape == (2,)
    assert fg.equal(F.poisson_nll_loss(x.exp(), x.exp(), eps=1), F.poisson_nll_loss(x.exp(), x.exp(), eps=1.0))
    assert x.type(fg.float64, non_blocking=True, memory_format=fg.contiguous_format).dtype == fg.float64
    assert x.type(fg.float64, memory_format=None).dtype == fg.float64
    assert fg.linalg.svd(x, driver=None).S.shape == (2,)


# ---- int lists by keyword; PyTorch's names for the pooling ops with indices ---------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda x: fg.max_pool1d_with_indices(x, 2, stride=[1.5]),
     "max_pool1d_with_indices(): argument 'stride' must be tuple of ints, not list"),
    (lambda x: fg.max_pool1d_with_indices(x, 2, [1.5]),
     ("max_pool1d_with_indices(): argument 'stride' (position 3) must be tuple of ints, but found element of type "
     "float at pos 0")),
    (lambda x: fg.max_pool1d_with_indices(x, 2, padding=((1,),)),
     "max_pool1d_with_indices(): argument 'padding' must be tuple of ints, not tuple"),
    (lambda x: fg.max_pool1d_with_indices(x, 2, stride=[1, 1.5]),
     ("max_pool1d_with_indices(): argument 'stride' failed to unpack the object at pos 2 with error \"type must be "
     "tuple of ints,but got float\"")),
    (lambda x: F.max_pool1d_with_indices(x, 2, stride=[1.5]),
     ("max_pool1d_with_indices(): argument 'stride' (position 3) must be tuple of ints, but found element of type "
     "float at pos 0")),
    (lambda x: F.max_pool1d_with_indices("abc", 2),
     "max_pool1d_with_indices(): argument 'input' (position 1) must be Tensor, not str"),
    (lambda x: F.max_pool2d_with_indices(x.unsqueeze(0), 2, stride=[None]),
     ("max_pool2d_with_indices(): argument 'stride' (position 3) must be tuple of ints, but found element of type "
     "NoneType at pos 0")),
])
def test_int_list_refusals(call, message):
    with raises(TypeError, message):
        call(fg.ones(1, 2, 4))


# methods PyTorch binds with one signature, where its stubs give several: it names the argument
@pytest.mark.parametrize(("call", "message"), [
    (lambda x: x.hash_tensor(dim=[1.5]), "hash_tensor(): argument 'dim' must be tuple of ints, not list"),
    (lambda x: x.hash_tensor(dim=((1,),)), "hash_tensor(): argument 'dim' must be tuple of ints, not tuple"),
    (lambda x: x.new_ones([2], dtype="abc"), "new_ones(): argument 'dtype' must be torch.dtype, not str"),
])
def test_methods_of_one_signature(call, message):
    with raises(TypeError, message):
        call(data())


# ---- deprecated orders and methods: PyTorch's parser error, not the core's words ---------


# two overloads listed: the deprecated one PyTorch hides is not
ADDMM_LISTING = (
    "addmm() received an invalid combination of arguments - got (int, str, int, Tensor, Tensor), but expected one "
    "of:\n * (Tensor input, Tensor mat1, Tensor mat2, *, Number beta = 1, Number alpha = 1, Tensor out = None)\n"
    " * (Tensor input, Tensor mat1, Tensor mat2, torch.dtype out_dtype, *, Number beta = 1, Number alpha = 1, "
    "Tensor out = None)\n"
)
SORT_LISTING = (
    "sort() received an invalid combination of arguments - got (dim=str, ), but expected one of:\n"
    " * (*, bool stable, int dim = -1, bool descending = False)\n * (int dim = -1, bool descending = False)\n"
)


@pytest.mark.parametrize(("call", "message"), [
    (lambda x, v: fg.addr(1, "abc", 1, v, v), "addr() takes 3 positional arguments but 5 were given"),
    (lambda x, v: fg.addmm(1, "abc", 1, x, x), ADDMM_LISTING),
    (lambda x, v: fg.addcmul(x, 1, "abc", x), "addcmul() takes 3 positional arguments but 4 were given"),
    (lambda x, v: x.addcmul(1, "abc", x), "addcmul() takes 2 positional arguments but 3 were given"),
    (lambda x, v: x.addmm("abc", x), "addmm(): argument 'mat1' (position 1) must be Tensor, not str"),
    (lambda x, v: x.clone().addmm_(x, "abc"), "addmm_(): argument 'mat2' (position 2) must be Tensor, not str"),
    (lambda x, v: x.addcmul("abc", x), "addcmul(): argument 'tensor1' (position 1) must be Tensor, not str"),
    (lambda x, v: x.add("abc"), "add(): argument 'other' (position 1) must be Tensor, not str"),
    (lambda x, v: x.clone().sub_([1.0]), "sub_(): argument 'other' (position 1) must be Tensor, not list"),
    (lambda x, v: fg.add(x, "abc"), "add(): argument 'other' (position 2) must be Tensor, not str"),
    (lambda x, v: fg.sub(x, None), "sub(): argument 'other' (position 2) must be Tensor, not NoneType"),
    (lambda x, v: x.sort(dim="abc"), SORT_LISTING),
])
def test_parser_errors_of_rewritten_calls(call, message):
    x, v = fg.ones(3, 3), fg.ones(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(TypeError) as caught:
            call(x, v)
    assert str(caught.value) == message


def test_deprecated_orders_still_taken():
    x, v = fg.ones(3, 3), fg.ones(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert fg.equal(fg.addr(2, x, 3, v, v), fg.full((3, 3), 5.0))
        assert fg.equal(fg.addcmul(x, 2, x, x), fg.full((3, 3), 3.0))
        assert fg.equal(x.addmm(2, 1, x, x), fg.full((3, 3), 5.0))


# ---- addmm / baddbmm: PyTorch's order and words for mismatched operands ------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda x, b: fg.addmm(x.long(), x, x), "self and mat2 must have the same dtype, but got Long and Float"),
    (lambda x, b: fg.addmm(x, fg.tensor(1.0), x.long()), "self and mat2 must have the same dtype, but got Float and Long"),
    (lambda x, b: x.addmm(x.double(), x), "mat1 and mat2 must have the same dtype, but got Double and Float"),
    (lambda x, b: fg.addmm(x, mat1=x.double(), mat2=x), "mat1 and mat2 must have the same dtype, but got Double and Float"),
    (lambda x, b: fg.addmm(x, fg.tensor(1), x), "mat1 and mat2 must have the same dtype, but got Long and Float"),
    (lambda x, b: fg.addmm(x, fg.ones(3), x), "mat1 must be a matrix, got 1-D tensor"),
    (lambda x, b: x.clone().addmm_(x, fg.ones(1, 3, 3)), "mat2 must be a matrix, got 3-D tensor"),
    (lambda x, b: fg.baddbmm(b.long(), b, b), "Input dtypes must be the same, got: input long int, batch1: float, batch2: float"),
    (lambda x, b: b.baddbmm(b.half(), b), "Input dtypes must be the same, got: input float, batch1: c10::Half, batch2: float"),
    (lambda x, b: fg.baddbmm(b, x.bool(), b), "Input dtypes must be the same, got: input float, batch1: bool, batch2: float"),
])
def test_product_operand_refusals(call, message):
    with raises(RuntimeError, message):
        call(fg.ones(3, 3), fg.ones(1, 3, 3))


def test_products_of_one_dtype_still_computed():
    x = fg.ones(3, 3)
    assert fg.equal(fg.addmm(x.long(), x.long(), x.long()), fg.full((3, 3), 4, dtype=fg.int64))
    assert fg.equal(fg.baddbmm(fg.ones(1, 3, 3), fg.ones(1, 3, 3), fg.ones(1, 3, 3)), fg.full((1, 3, 3), 4.0))
