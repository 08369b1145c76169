"""Session 31 (helper fuzz21): bad calls PyTorch refuses that were taken, and refusals
of another type, found by `tools/fuzz_calls18.py`. An int list takes None only where its
default is the empty list; a function writing several results refuses a lone `out`
tensor with its parser's TypeError (before any gradient check) and a tuple of another
length with PyTorch's words; the orthogonal polynomials refuse a complex number as their
kernel does. Expected types and messages are PyTorch's; the file also runs against
PyTorch (`FG_TEST_BACKEND=torch`)."""

import re

import pytest
from backend import fg

F = fg.nn.functional


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


def data():
    return fg.tensor([[3.0, -0.25, 0.75], [1.5, 0.5, -0.5]])


def square():
    return fg.tensor([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]])


def image():
    return fg.ones(1, 1, 4, 4)


# ---- an int list takes None only where its default is the empty list ---------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.fft.fft2(data(), dim=None), "fft_fft2(): argument 'dim' must be tuple of ints, not NoneType"),
    (lambda: fg.fft.rfft2(data(), dim=None), "fft_rfft2(): argument 'dim' must be tuple of ints, not NoneType"),
    (lambda: fg.fft.ihfft2(data(), dim=None), "fft_ihfft2(): argument 'dim' must be tuple of ints, not NoneType"),
    (lambda: fg.max_pool2d(image(), 2, 1, None),
     "max_pool2d(): argument 'padding' (position 4) must be tuple of ints, not NoneType"),
    (lambda: F.avg_pool2d(image(), 2, 1, None),
     "avg_pool2d(): argument 'padding' (position 4) must be tuple of ints, not NoneType"),
    (lambda: F.max_pool1d(data(), 2, 1, 0, None),
     "max_pool1d(): argument 'dilation' (position 5) must be tuple of ints, not NoneType"),
])
def test_int_list_with_a_default_refuses_none(call, message):
    with raises(TypeError, message):
        call()


@pytest.mark.parametrize(("call", "shape"), [
    (lambda: fg.amax(data(), None), ()),
    (lambda: data().amin(None), ()),
    (lambda: fg.roll(data(), 1, None), (2, 3)),
    (lambda: fg.max_pool2d(image(), 2, None), (1, 1, 2, 2)),
    (lambda: F.avg_pool2d(image(), 2, None), (1, 1, 2, 2)),
])
def test_int_list_defaulting_to_empty_takes_none(call, shape):
    assert tuple(call().shape) == shape


# ---- out= of a function writing several results ------------------------------------------


def grad_data():
    return data().requires_grad_()


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.topk(data(), 1, out=grad_data()), "topk(): argument 'out' must be tuple of Tensors, not Tensor"),
    (lambda: fg.aminmax(data(), out=grad_data()), "aminmax(): argument 'out' must be tuple of Tensors, not Tensor"),
    (lambda: fg.frexp(data(), out=grad_data()), "frexp(): argument 'out' must be tuple of Tensors, not Tensor"),
    (lambda: fg.kthvalue(data(), 1, out=grad_data()),
     "kthvalue(): argument 'out' must be tuple of Tensors, not Tensor"),
    (lambda: fg.linalg.eigh(square(), out=grad_data()),
     "linalg_eigh(): argument 'out' must be tuple of Tensors, not Tensor"),
    (lambda: fg.linalg.qr(square(), out=grad_data()),
     "linalg_qr(): argument 'out' must be tuple of Tensors, not Tensor"),
    (lambda: fg.linalg.slogdet(square(), out=grad_data()),
     "linalg_slogdet(): argument 'out' must be tuple of Tensors, not Tensor"),
    (lambda: fg.topk(data(), 1, out=data()), "topk(): argument 'out' must be tuple of Tensors, not Tensor"),
    (lambda: fg.linalg.eigh(square(), out=data()),
     "linalg_eigh(): argument 'out' must be tuple of Tensors, not Tensor"),
    (lambda: fg.aminmax(data(), out=data()), "aminmax(): argument 'out' must be tuple of Tensors, not Tensor"),
    (lambda: fg.linalg.qr(square(), out=(data(), data(), data())), "expected tuple of 2 elements but got 3"),
    (lambda: fg.frexp(data(), out=[data()]), "expected tuple of 2 elements but got 1"),
    (lambda: fg.linalg.svd(square(), out=[data()]), "expected tuple of 3 elements but got 1"),
])
def test_several_results_refuse_a_lone_out(call, message):
    with raises(TypeError, message):
        call()


def test_several_results_take_a_tuple_out():
    values, indices = fg.empty(0), fg.empty(0, dtype=fg.int64)
    fg.topk(data(), 1, out=(values, indices))
    assert values.tolist() == [[3.0], [1.5]]
    assert indices.tolist() == [[0], [0]]


# ---- the orthogonal polynomials refuse a complex number as their kernel does -------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.special.chebyshev_polynomial_t(1j, data()),
     "\"chebyshev_polynomial_t_cpu\" not implemented for 'ComplexFloat'"),
    (lambda: fg.special.chebyshev_polynomial_u(data().double(), 1j),
     "\"chebyshev_polynomial_u_cpu\" not implemented for 'ComplexDouble'"),
    (lambda: fg.special.hermite_polynomial_h(1j, data().long()),
     "\"hermite_polynomial_h_cpu\" not implemented for 'ComplexFloat'"),
    (lambda: fg.special.legendre_polynomial_p(data() > 0, 1j),
     "\"legendre_polynomial_p_cpu\" not implemented for 'ComplexFloat'"),
    (lambda: fg.special.laguerre_polynomial_l(data().long(), 1j),
     "\"laguerre_polynomial_l_cpu\" not implemented for 'ComplexFloat'"),
])
def test_polynomials_refuse_a_complex_number(call, message):
    with raises(NotImplementedError, message):
        call()


# ---- a complex number where PyTorch reads a real one -------------------------------------

DOUBLE = "value cannot be converted to type double without overflow"
FLOAT = "value cannot be converted to type float without overflow"
VECTOR_ORDER = "linalg.vector_norm: Expected a non-complex scalar as the order of norm."


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.histc(data(), min=1j), DOUBLE),
    (lambda: data().histc(max=1j), DOUBLE),
    (lambda: fg.std(data(), correction=1j), DOUBLE),
    (lambda: data().var(correction=1j), DOUBLE),
    (lambda: fg.var_mean(data(), correction=1j), DOUBLE),
    (lambda: fg.range(1j, 3), DOUBLE),
    (lambda: fg.range(0, 3, 1j), DOUBLE),
    (lambda: F.rrelu(data(), lower=1j), DOUBLE),
    (lambda: F.rrelu(data(), upper=1j, inplace=True), DOUBLE),
    (lambda: F.rrelu_(data(), lower=1j), DOUBLE),
    (lambda: F.hardtanh_(data(), min_val=1j), DOUBLE),
    (lambda: fg.index_add(data(), 0, fg.tensor([0, 1]), data(), alpha=1j), FLOAT),
    (lambda: data().index_add_(0, fg.tensor([0, 1]), data(), alpha=1j), FLOAT),
    (lambda: fg.index_add(data().double(), 0, fg.tensor([0, 1]), data().double(), alpha=1j), DOUBLE),
    (lambda: fg.fill(data(), 1j), FLOAT),
    (lambda: fg.lerp(data(), data(), 1j), FLOAT),
    (lambda: data().lerp_(data(), 1j), FLOAT),
    (lambda: fg.dist(data(), data(), p=1j), VECTOR_ORDER),
    (lambda: fg.linalg.vector_norm(data(), ord=1j), VECTOR_ORDER),
    (lambda: F.normalize(data(), p=1j), VECTOR_ORDER),
    (lambda: fg.linalg.norm(data(), 1j), "linalg.matrix_norm: Expected a non-complex scalar as the order of norm."),
    (lambda: fg.renorm(data(), 1j, 0, 1.0), "renorm: p must be real-valued"),
    (lambda: fg.renorm(data(), 1.0, 0, 1j), "renorm: maxnorm must be real-valued"),
    (lambda: fg.renorm(data(), -1.0, 0, 1j), "renorm: non-positive-norm not supported"),
    (lambda: fg.rsub(data(), data(), alpha=1j),
     "For non-complex input tensors, argument alpha must not be a complex number."),
    (lambda: fg.dist(data().long(), data().long(), p=1j),
     "norm(): input dtype should be either floating point or complex. Got Long instead."),
])
@pytest.mark.filterwarnings("ignore:.*range is deprecated")
def test_complex_number_for_a_real_one(call, message):
    with raises(RuntimeError, message):
        call()


def test_complex_number_with_no_imaginary_part_is_read_as_real():
    assert fg.fill(data(), 2 + 0j).tolist() == [[2.0] * 3] * 2
    assert fg.lerp(fg.zeros(2), fg.ones(2), 0.5 + 0j).tolist() == [0.5, 0.5]
    assert fg.index_add(fg.zeros(2), 0, fg.tensor([1]), fg.ones(1), alpha=3 + 0j).tolist() == [0.0, 3.0]
    assert fg.rsub(fg.ones(2, dtype=fg.complex64), 2, alpha=1j).tolist() == [2 - 1j, 2 - 1j]


def test_normalize_refuses_an_order_tensor_of_many_elements():
    with raises(TypeError, "linalg_vector_norm(): argument 'ord' (position 2) must be Number, not Tensor"):
        F.normalize(data(), p=fg.tensor([1.0, 2.0]))


# ---- Tensor methods taking nothing, and size lists given twice ---------------------------


@pytest.mark.parametrize(("name", "args", "kwargs", "message"), [
    ("absolute_", (1,), {}, "Tensor.absolute_() takes no arguments (1 given)"),
    ("sin_", (1, 2), {}, "Tensor.sin_() takes no arguments (2 given)"),
    ("frexp", (1,), {}, "Tensor.frexp() takes no arguments (1 given)"),
    ("floor", (1,), {}, "Tensor.floor() takes no arguments (1 given)"),
    ("msort", (), {"dim": 0}, "Tensor.msort() takes no keyword arguments"),
    ("angle", (1,), {"out": 1}, "Tensor.angle() takes no keyword arguments"),
    ("slogdet", (1,), {}, "Tensor.slogdet() takes no arguments (1 given)"),
])
def test_method_taking_nothing_refuses_arguments(name, args, kwargs, message):
    # called as a bound method (PyTorch names `TensorBase` for a call `x.sin_(1)`)
    method = getattr(data(), name)
    with raises(TypeError, message):
        method(*args, **kwargs)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: data().flip([0], dims=[0]), "flip() got multiple values for argument 'dims'"),
    (lambda: data().tile([1, 1], dims=[1, 1]), "tile() got multiple values for argument 'dims'"),
    (lambda: data().repeat(1, 1, repeats=[1, 1]), "repeat() got multiple values for argument 'repeats'"),
])
def test_size_list_given_twice(call, message):
    with raises(TypeError, message):
        call()


# ---- out= under autograd names the op PyTorch's out= kernel belongs to -------------------


@pytest.mark.parametrize(("call", "op"), [
    (lambda out: fg.absolute(data(), out=out), "abs"),
    (lambda out: fg.arccos(data(), out=out), "acos"),
    (lambda out: fg.clip(data(), 0, 1, out=out), "clamp"),
    (lambda out: fg.max(data(), data(), out=out), "maximum"),
    (lambda out: fg.vstack([data(), data()], out=out), "cat"),
    (lambda out: fg.square(data(), out=out), "pow"),
    (lambda out: fg.linalg.det(square(), out=out), "_linalg_det"),
    (lambda out: fg.linalg.vecdot(data(), data(), out=out), "sum"),
    (lambda out: fg.special.expit(data(), out=out), "sigmoid"),
    (lambda out: fg.special.zeta(data(), data(), out=out), "special_zeta"),
    (lambda out: fg.arange(3, out=out), "aten::arange"),
    (lambda out: fg.zeros(3, out=out), "aten::zeros"),
])
def test_out_requiring_grad_names_the_kernel(call, op):
    with raises(RuntimeError, f"{op}(): functions with out=... arguments don't support automatic "
                              "differentiation, but one of the arguments requires grad."):
        call(grad_data())


# ---- the parser's listing: an empty overload, the out tensor among the types got ---------


def test_empty_overload_gets_a_note():
    with raises(TypeError, "squeeze_() received an invalid combination of arguments - got (str), but expected one of:\n"
                           " * ()\n      didn't match because some of the arguments have invalid types: (!str!)\n"
                           " * (int dim)\n      didn't match because some of the arguments have invalid types: (!str!)\n"
                           " * (tuple of ints dim)\n"
                           "      didn't match because some of the arguments have invalid types: (!str!)\n"):
        data().squeeze_("1")


def test_deprecated_order_lists_the_out_tensor():
    x = data()
    with raises(TypeError, "addmm() received an invalid combination of arguments - got (str, Tensor, Tensor, Tensor, "
                           "out=Tensor), but expected one of:\n"
                           " * (Tensor input, Tensor mat1, Tensor mat2, *, Number beta = 1, Number alpha = 1, "
                           "Tensor out = None)\n"
                           " * (Tensor input, Tensor mat1, Tensor mat2, torch.dtype out_dtype, *, Number beta = 1, "
                           "Number alpha = 1, Tensor out = None)\n"):
        fg.addmm("abc", x, x.t(), x, out=x)


# ---- a negative device index; the polynomials' out; a transform's out dtype --------------


@pytest.mark.parametrize("call", [
    lambda: fg.zeros(2, device=-2),
    lambda: fg.arange(3, device=-1),
    lambda: fg.tensor([1.0], device=-2),
    lambda: fg.full((2,), 1.0, device=-2),
    lambda: fg.zeros_like(data(), device=-2),
])
def test_negative_device_index(call):
    with raises(RuntimeError, "Device index must not be negative"):
        call()


POLYNOMIAL_LISTING = (" * (Tensor x, Tensor n, *, Tensor out = None)\n * (Number x, Tensor n, *, Tensor out = None)\n"
                      " * (Tensor x, Number n, *, Tensor out = None)\n")


@pytest.mark.parametrize(("call", "got"), [
    (lambda: fg.special.chebyshev_polynomial_t(data(), data(), out="abc"), "(Tensor, Tensor, out=str)"),
    (lambda: fg.special.chebyshev_polynomial_t(2, data(), out=[data()]), "(int, Tensor, out=list)"),
])
def test_polynomial_out_of_the_wrong_type(call, got):
    name = "special_chebyshev_polynomial_t"
    with raises(TypeError, f"{name}() received an invalid combination of arguments - got {got}, but expected one of:\n"
                           + POLYNOMIAL_LISTING):
        call()


@pytest.mark.parametrize(("call", "message"), [
    (lambda out: fg.fft.fft(data(), out=out.long()), "fft expects a complex output tensor, but got Long"),
    (lambda out: fg.fft.fft2(data(), out=out), "fftn expects a complex output tensor, but got Float"),
    (lambda out: fg.fft.ifft2(data(), out=out.requires_grad_()), "fftn expects a complex output tensor, but got Float"),
    (lambda out: fg.fft.rfft2(data(), out=out.double()), "rfftn expects a complex output tensor, but got Double"),
    (lambda out: fg.fft.ihfft2(data(), out=out), "ihfftn expects a complex output tensor, but got Float"),
    (lambda out: fg.fft.irfft(data(), out=out.to(fg.complex64)),
     "irfft expects a floating point output tensor, but got ComplexFloat"),
    (lambda out: fg.fft.hfft2(data(), out=out > 0), "hfftn expects a floating point output tensor, but got Bool"),
])
def test_transform_out_dtype(call, message):
    with raises(RuntimeError, message):
        call(fg.zeros(1))


# ---- arguments taken here that PyTorch refuses -------------------------------------------


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda: fg.angle(data(), out=[data()]), TypeError, "angle(): argument 'out' must be Tensor, not list"),
    (lambda: fg.norm(data(), out=[data()]), TypeError, "linalg_vector_norm(): argument 'out' must be Tensor, not list"),
    (lambda: fg.tensordot(data(), data().t(), out=[data()]), TypeError,
     "tensordot(): argument 'out' must be Tensor, not list"),
    (lambda: fg.isin(data(), 1j), RuntimeError, "Unsupported input type encountered for isin(): ComplexDouble"),
    (lambda: fg.isin(1j, data()), RuntimeError, "Unsupported input type encountered for isin(): ComplexDouble"),
    (lambda: fg.bucketize(1j, fg.tensor([1.0, 2.0])), NotImplementedError,
     "\"searchsorted_out_cpu\" not implemented for 'ComplexFloat'"),
    (lambda: fg.searchsorted(fg.tensor([1.0, 2.0], dtype=fg.float64), 1j), NotImplementedError,
     "\"searchsorted_out_cpu\" not implemented for 'ComplexDouble'"),
    (lambda: F.huber_loss(data(), data(), delta=float("nan")), RuntimeError,
     "huber_loss does not support non-positive values for delta."),
    (lambda: F.smooth_l1_loss(data(), data(), beta=float("nan")), RuntimeError,
     "smooth_l1_loss does not support negative values for beta."),
    (lambda: F.margin_ranking_loss(data(), data(), data(), margin=data().long()), TypeError,
     "margin_ranking_loss(): argument 'margin' (position 4) must be float, not Tensor"),
    (lambda: F.margin_ranking_loss(data(), data(), data(), margin=1j), TypeError,
     "margin_ranking_loss(): argument 'margin' (position 4) must be float, not complex"),
    (lambda: fg.index_add(data(), 0, fg.tensor([0, 1]), data(), out=data().double()), RuntimeError,
     "Expected out tensor to have dtype float, but got double instead"),
    (lambda: fg.index_copy(data(), 0, fg.tensor([0, 1]), data(), out=data().long()), RuntimeError,
     "Expected out tensor to have dtype float, but got long int instead"),
    (lambda: fg.tensor([1.0], pin_memory=None), TypeError, "tensor(): argument 'pin_memory' must be bool, not NoneType"),
    (lambda: fg.tensor([1.0], pin_memory=2), TypeError, "tensor(): argument 'pin_memory' must be bool, not int"),
])
def test_refused_as_pytorch_refuses(call, kind, message):
    with raises(kind, message):
        call()


RAND_LISTING = (
    " * (tuple of ints size, *, torch.Generator generator, Tensor out = None, torch.dtype dtype = None, "
    "torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False)\n"
    " * (tuple of ints size, *, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
    "torch.device device = None, bool pin_memory = False, bool requires_grad = False)\n")


@pytest.mark.parametrize(("call", "got"), [
    (lambda: fg.rand([2], layout="abc"), "rand() received an invalid combination of arguments - got (list, layout=str)"),
    (lambda: fg.randn(2, 3, layout=1), "randn() received an invalid combination of arguments - got (int, int, layout=int)"),
    (lambda: fg.rand([2], dtype="float32"), "rand() received an invalid combination of arguments - got (list, dtype=str)"),
    (lambda: fg.randn([2], generator=None, dtype=1),
     "randn() received an invalid combination of arguments - got (list, dtype=int, generator=NoneType)"),
])
def test_samplers_refuse_a_dtype_or_layout_of_another_type(call, got):
    with raises(TypeError, got + ", but expected one of:\n" + RAND_LISTING):
        call()


# ---- the scatter family's refusals, loss and pooling arguments ---------------------------


def index():
    return fg.tensor([0, 1])


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda: data().index_add_(fg.tensor(1.5), index(), data()), TypeError,
     "index_add_(): argument 'dim' (position 1) must be int, not Tensor"),
    (lambda: data().index_add_(0, index(), "abc"), TypeError,
     "index_add_(): argument 'source' (position 3) must be Tensor, not str"),
    (lambda: data().index_add_(0, index(), data(), alpha=fg.tensor([1.0, 2.0])), TypeError,
     "index_add_(): argument 'alpha' must be Number, not Tensor"),
    (lambda: data().scatter_add_(data().long(), fg.zeros(2, 3).long(), data()), TypeError,
     "scatter_add_(): argument 'dim' (position 1) must be int, not Tensor"),
    (lambda: F.cross_entropy(data(), index(), "abc"), TypeError,
     "cross_entropy_loss(): argument 'weight' (position 3) must be Tensor, not str"),
    (lambda: F.cross_entropy(data(), index(), 1), TypeError,
     "cross_entropy_loss(): argument 'weight' (position 3) must be Tensor, not int"),
    (lambda: F.huber_loss(data(), data(), delta=fg.tensor([1.0, 2.0])), TypeError,
     "huber_loss(): argument 'delta' (position 4) must be float, not Tensor"),
    (lambda: F.scaled_dot_product_attention(image(), image(), image(), dropout_p=float("inf")), RuntimeError,
     "dropout probability has to be between 0 and 1, but got inf"),
    (lambda: F.scaled_dot_product_attention(image(), image(), image(), dropout_p=2**63), RuntimeError,
     "dropout probability has to be between 0 and 1, but got 9.22337e+18"),
    (lambda: F.max_pool2d(image(), 1, 1, fg.tensor([1])), RuntimeError,
     "pad should be at most half of effective kernel size, but got pad=1, kernel_size=1 and dilation=1"),
])
def test_refused_in_pytorch_s_words(call, kind, message):
    with raises(kind, message):
        call()


@pytest.mark.parametrize(("call", "shape"), [
    (lambda: F.max_pool2d(image(), fg.tensor([2])), (1, 1, 2, 2)),
    (lambda: F.max_pool2d(image(), 2, 1, [fg.tensor(0), 0]), (1, 1, 3, 3)),
    (lambda: F.avg_pool1d(data(), 2, fg.tensor([1])), (2, 2)),
])
def test_pooling_takes_one_element_integer_tensors(call, shape):
    assert tuple(call().shape) == shape


# ---- nn.functional refusals in PyTorch's words --------------------------------------------


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda: F.softmax(data(), "1"), TypeError, "softmax(): argument 'dim' (position 1) must be int, not str"),
    (lambda: F.softmin(data(), 1.5), TypeError, "softmax(): argument 'dim' (position 1) must be int, not float"),
    (lambda: F.log_softmax(data(), [1]), TypeError, "log_softmax(): argument 'dim' (position 1) must be int, not list"),
    (lambda: F.softmax(data(), 1, dtype="a"), TypeError, "softmax(): argument 'dtype' must be torch.dtype, not str"),
    (lambda: F.cross_entropy("a", data()), TypeError,
     "cross_entropy_loss(): argument 'input' (position 1) must be Tensor, not str"),
    (lambda: F.multilabel_soft_margin_loss("a", data()), TypeError,
     "log_sigmoid(): argument 'input' (position 1) must be Tensor, not str"),
    (lambda: F.l1_loss(data(), data(), weight="a"), AttributeError, "'str' object has no attribute 'size'"),
    (lambda: F.linear(fg.tensor(1.0), square()), RuntimeError,
     "both arguments to linear need to be at least 1D, but they are 0D and 2D"),
    (lambda: F.normalize(data(), p=[0.5]), TypeError,
     "linalg_vector_norm(): argument 'ord' (position 2) must be Number, not list"),
    (lambda: F.smooth_l1_loss(data(), data(), beta="a"), TypeError,
     "smooth_l1_loss(): argument 'beta' (position 4) must be float, not str"),
])
def test_functional_refusals(call, kind, message):
    with raises(kind, message):
        call()


# ---- hot functions give the parser's error once their body failed ------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.softmax("abc", 1), "softmax(): argument 'input' (position 1) must be Tensor, not str"),
    (lambda: fg.log_softmax(data(), "a"), "log_softmax(): argument 'dim' (position 2) must be int, not str"),
    (lambda: fg.bmm(data(), "abc"), "bmm(): argument 'mat2' (position 2) must be Tensor, not str"),
    (lambda: fg.mm("a", data()), "mm(): argument 'input' (position 1) must be Tensor, not str"),
    (lambda: fg.sum(data(), 1, dtype="a"), "sum(): argument 'dtype' must be torch.dtype, not str"),
])
def test_hot_function_refusals(call, message):
    with raises(TypeError, message):
        call()


def test_mean_over_float_dims_lists_its_overloads():
    with raises(TypeError, "mean() received an invalid combination of arguments - got (Tensor, list), but expected one of:\n"
                           " * (Tensor input, *, torch.dtype dtype = None, Tensor out = None)\n"
                           " * (Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, "
                           "Tensor out = None)\n"):
        fg.mean(data(), [1.5])


def test_unary_operator_stays_its_method():
    assert fg.Tensor.__pos__ is fg.Tensor.positive
    assert (+data()).tolist() == data().tolist()


# ---- out= overlapping itself or an input, out= of the composite samplers -----------------

INTERNAL = ("unsupported operation: more than one element of the written-to tensor refers to a single memory "
            "location. Please clone() the tensor before performing the operation.")
PARTIAL = ("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single "
           "memory location. Please clone() the tensor before performing the operation.")


def vector():
    return fg.tensor([1.0, 2.0, 3.0])


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.outer(vector(), vector(), out=fg.ones(1).expand(3)), INTERNAL),
    (lambda: fg.addr(square(), vector(), vector(), out=fg.ones(1).expand(3)), INTERNAL),
    (lambda: fg.diff(data(), out=fg.ones(1).expand(3)), INTERNAL),
])
def test_out_overlapping_itself(call, message):
    with raises(RuntimeError, message):
        call()


@pytest.mark.filterwarnings("ignore:.*ger is deprecated")
@pytest.mark.filterwarnings("ignore:An output with one or more elements was resized")
@pytest.mark.parametrize("op", [fg.outer, fg.ger, fg.kron])
def test_out_aliasing_an_input_of_a_product(op):
    v = vector()
    with raises(RuntimeError, PARTIAL):
        op(v, v, out=v)


@pytest.mark.parametrize("call", [
    lambda out: fg.randn([2, 3], out=out),
    lambda out: fg.rand([2, 3], generator=None, out=out),
])
def test_composite_sampler_resizes_out_first(call):
    with raises(RuntimeError, "cannot resize variables that require grad"):
        call(fg.ones(2, 3).requires_grad_())


# ---- casts and the in-place scatter family name themselves as PyTorch ---------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: data().float(bogus_kw=1), "float() got an unexpected keyword argument 'bogus_kw'"),
    (lambda: data().masked_scatter_("abc", data()),
     "masked_scatter_(): argument 'mask' (position 1) must be Tensor, not str"),
    (lambda: data().put_("abc", data()), "put_(): argument 'index' (position 1) must be Tensor, not str"),
    (lambda: data().index_copy_(0, "abc", data()), "index_copy_(): argument 'index' (position 2) must be Tensor, not str"),
])
def test_methods_name_themselves(call, message):
    with raises(TypeError, message):
        call()


# ---- products refuse operands of two dtypes in PyTorch's words ----------------------------


@pytest.mark.filterwarnings("ignore:This overload of add")
@pytest.mark.filterwarnings("ignore:.*is deprecated")
@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.addmm(2, square(), 2, square().long(), square()),
     "mat1 and mat2 must have the same dtype, but got Long and Float"),
    (lambda: square().addmm_(2, square().long(), square()),
     "mat1 and mat2 must have the same dtype, but got Long and Float"),
    (lambda: fg.baddbmm(2, fg.ones(2, 3, 3), 2, fg.ones(2, 3, 3).long(), fg.ones(2, 3, 3)),
     "Input dtypes must be the same, got: input float, batch1: long int, batch2: float"),
    (lambda: fg.tensordot(data().long(), data()), "both inputs should have same dtype"),
    (lambda: fg.tensordot(data(), data().long(), dims=1), "both inputs should have same dtype"),
    (lambda: fg.cholesky_solve(square().long(), square()),
     "Expected b and A to have the same dtype, but found b of type Long and A of type Float instead."),
    (lambda: square().cholesky_solve(square().long()),
     "Expected b and A to have the same dtype, but found b of type Float and A of type Long instead."),
])
def test_products_of_two_dtypes(call, message):
    with raises(RuntimeError, message):
        call()


# ---- where, mul, index_put, dropout_, hash_tensor ------------------------------------------

WHERE_LISTING = (" * (Tensor condition)\n * (Tensor condition, Tensor input, Tensor other, *, Tensor out = None)\n"
                 " * (Tensor condition, Number self, Tensor other)\n")


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda: fg.mul("abc", data()), TypeError, "mul(): argument 'input' (position 1) must be Tensor, not str"),
    (lambda: fg.index_put(data(), None, data()), TypeError,
     "index_put(): argument 'indices' (position 2) must be tuple of Tensors, not NoneType"),
    (lambda: data().index_put(None, data()), TypeError,
     "index_put(): argument 'indices' (position 1) must be tuple of Tensors, not NoneType"),
    (lambda: fg.dropout_("abc", 0.5, True), TypeError,
     "dropout_(): argument 'input' (position 1) must be Tensor, not str"),
    (lambda: fg.hash_tensor(data(), mode=100), RuntimeError, "Unknown hash_tensor mode: 100"),
])
def test_refused_in_pytorch_s_words_too(call, kind, message):
    with raises(kind, message):
        call()


def test_where_refuses_a_string_operand_with_its_listing():
    with pytest.raises(TypeError) as caught:
        fg.where(data() > 0, "abc", data())
    assert str(caught.value).startswith(
        "where() received an invalid combination of arguments - got (Tensor, str, Tensor), but expected one of:\n"
        + WHERE_LISTING + "      didn't match because some of the arguments have invalid types: (Tensor, !str!, Tensor)\n")


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda: F.triplet_margin_loss(data(), data(), data(), margin=fg.tensor([1.0, 2.0])), RuntimeError,
     "Boolean value of Tensor with more than one value is ambiguous"),
    (lambda: F.triplet_margin_loss(data(), data(), data(), margin="a"), TypeError,
     "'<=' not supported between instances of 'str' and 'int'"),
    (lambda: F.smooth_l1_loss(data(), data(), beta=fg.tensor([1.0, 2.0])), RuntimeError,
     "Boolean value of Tensor with more than one value is ambiguous"),
])
def test_python_bodies_compare_before_the_parser(call, kind, message):
    with raises(kind, message):
        call()


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda: F.conv1d(fg.ones(1, 1, 4).to(fg.complex64), fg.ones(1, 1, 2)), RuntimeError,
     f"Input type (CPUComplexFloatType) and weight type ({fg.__name__}.FloatTensor) should be the same"),
    (lambda: F.conv2d(fg.ones(1, 1, 4, 4).to(fg.complex128), fg.ones(1, 1, 2, 2)), RuntimeError,
     f"Input type (CPUComplexDoubleType) and weight type ({fg.__name__}.FloatTensor) should be the same"),
    (lambda: F.normalize(data(), dim="1"), TypeError,
     "linalg_vector_norm(): argument 'dim' (position 3) must be tuple of ints, not str"),
    (lambda: data().norm(2, [1.5]), TypeError,
     "linalg_vector_norm(): argument 'dim' (position 3) must be tuple of ints, but found element of type float at pos 0"),
])
def test_conv_and_norm_refusals(call, kind, message):
    with raises(kind, message):
        call()


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda: fg.linalg.norm(square(), 0.1234567), RuntimeError, "linalg.matrix_norm: Order 0.123457 not supported."),
    (lambda: fg.linalg.matrix_norm(square(), 2**63), RuntimeError,
     "linalg.matrix_norm: Order 9.22337e+18 not supported."),
])
def test_matrix_norm_order_printed_as_a_double(call, kind, message):
    with raises(kind, message):
        call()


@pytest.mark.parametrize(("call", "start"), [
    (lambda: fg.special.xlog1py(2, "abc"),
     "special_xlog1py() received an invalid combination of arguments - got (int, str), but expected one of:\n"),
    (lambda: fg.special.xlogy(data(), "a"),
     "special_xlogy() received an invalid combination of arguments - got (Tensor, str), but expected one of:\n"),
    (lambda: fg.linalg.matrix_norm("abc", 2),
     "linalg_matrix_norm() received an invalid combination of arguments - got (str, int), but expected one of:\n"),
])
def test_several_overloads_listed(call, start):
    with pytest.raises(TypeError) as caught:
        call()
    assert str(caught.value).startswith(start)


def test_nonzero_static_takes_out():
    out = fg.zeros(0, dtype=fg.int64)
    assert fg.nonzero_static(data() > 1, size=3, out=out) is out
    assert out.tolist() == [[0, 0], [1, 0], [-1, -1]]
    with raises(RuntimeError, "nonzero_static: Expected out tensor to have scalar type Long but got scalar typeFloat"):
        fg.nonzero_static(data(), size=4, out=fg.zeros(2))
    with raises(RuntimeError, "aten::nonzero_static(): functions with out=... arguments don't support automatic "
                              "differentiation, but one of the arguments requires grad."):
        fg.nonzero_static(data(), size=4, out=fg.zeros(2).requires_grad_())


def test_triangular_solve_refuses_half_a_beside_another_dtype():
    with raises(NotImplementedError, "\"triangular_solve_cpu\" not implemented for 'Half'"):
        fg.linalg.solve_triangular(square().half(), square(), upper=True)


@pytest.mark.parametrize("softmax", [F.softmax, F.log_softmax, F.softmin])
def test_softmax_stacklevel_past_ssize_t(softmax):
    with raises(OverflowError, "Python int too large to convert to C ssize_t"):
        softmax(data(), _stacklevel=2**63)
