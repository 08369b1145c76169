"""Session 20 Rust-side differences from PyTorch 2.13 (CPU): in-place writes into an empty
view whose offset lies past its storage, copies of huge expanded tensors, the reflected
operators' nodes and NotImplemented answers, a custom Function's input returned as-is,
matmul's dtype messages per rank, complex `logsumexp` of a 0-dim or empty reduction, and
`vector_norm` of one element. Expected values, node names, types and messages are
PyTorch's; the file also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re

import pytest
from backend import IS_TORCH, fg


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


def node(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


# ---- in-place writes into an empty view past its storage ---------------------------------

def empty_imag(dtype=fg.complex64):
    """`.imag` of an empty complex tensor: storage offset 1 in an empty storage."""
    return fg.ones(1, 0, 3, dtype=dtype).imag


IN_PLACE = {
    "add_": lambda v: v.add_(1),
    "add_tensor": lambda v: v.add_(fg.ones(3)),
    "sub_": lambda v: v.sub_(1),
    "mul_": lambda v: v.mul_(2),
    "div_": lambda v: v.div_(2),
    "iadd": lambda v: v.__iadd__(1),
    "zero_": lambda v: v.zero_(),
    "fill_": lambda v: v.fill_(2),
    "copy_": lambda v: v.copy_(fg.ones(1, 0, 3)),
    "clamp_": lambda v: v.clamp_(0, 1),
    "exp_": lambda v: v.exp_(),
    "neg_": lambda v: v.neg_(),
    "abs_": lambda v: v.abs_(),
    "sqrt_": lambda v: v.sqrt_(),
    "sigmoid_": lambda v: v.sigmoid_(),
    "relu_": lambda v: v.relu_(),
    "floor_": lambda v: v.floor_(),
    "pow_": lambda v: v.pow_(2),
    "lerp_": lambda v: v.lerp_(fg.ones(3), 0.5),
    "addcmul_": lambda v: v.addcmul_(fg.ones(3), fg.ones(3)),
    "masked_fill_": lambda v: v.masked_fill_(fg.ones(3, dtype=fg.bool), 1),
    "uniform_": lambda v: v.uniform_(),
    "nan_to_num_": lambda v: v.nan_to_num_(),
}


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_ops_on_an_empty_view_past_its_storage(name):
    v = empty_imag()
    assert v.storage_offset() == 1
    out = IN_PLACE[name](v)
    assert out is v
    assert tuple(v.shape) == (1, 0, 3) and v.storage_offset() == 1


def test_float64_in_place_ops_on_an_empty_view_past_its_storage():
    v = empty_imag(fg.complex128)
    v.add_(1).mul_(fg.ones(3, dtype=fg.float64)).copy_(fg.ones(1, 0, 3, dtype=fg.float64))
    assert tuple(v.shape) == (1, 0, 3) and v.storage_offset() == 1


def test_reading_an_empty_view_past_its_storage():
    v = empty_imag()
    assert tuple(v.clone().shape) == (1, 0, 3)
    assert tuple((v + 1).exp().shape) == (1, 0, 3)
    assert v.sum().item() == 0.0


def test_copies_of_huge_expanded_tensors_are_refused_as_pytorch():
    oom = "DefaultCPUAllocator: can't allocate memory: you tried to allocate"
    for how in ("contiguous", "clone"):
        with raises(RuntimeError, f"{oom} 8796093022208 bytes"):
            getattr(fg.ones(1, dtype=fg.complex64).expand(2**40), how)()
        with raises(RuntimeError, f"{oom} 4611686018427387904 bytes"):
            getattr(fg.ones(1, dtype=fg.bool).expand(2**62), how)()
    with raises(RuntimeError, "Storage size calculation overflowed with sizes=[4611686018427387904]"):
        fg.ones(1).expand(2**62).contiguous()
    with raises(RuntimeError, "Storage size calculation overflowed with sizes=[2305843009213693952]"):
        fg.ones(1, dtype=fg.complex64).expand(2**61).contiguous()
    # an elementwise op on two broadcast single values (the process aborted before)
    with raises(RuntimeError, f"{oom} 4398046511104 bytes"):
        fg.ones(1).expand(2**40) * 2


# ---- reflected operators ---------------------------------------------------------------

def leaf(*values):
    return fg.tensor(list(values), requires_grad=True)


def test_reflected_operators_record_pytorchs_nodes():
    x, t = leaf(2.0, 3.0), leaf(1.0, 4.0)
    assert node(x.__rsub__(2.5)) == "RsubBackward1" and node(2.5 - x) == "RsubBackward1"
    assert node(x.__rpow__(t)) == "PowBackward1" and node(x.__rdiv__(t)) == "MulBackward0"
    assert node(x.__rmod__(t)) == "RemainderBackward1"
    assert (2.5 - x).tolist() == [0.5, -0.5] and (t - x).tolist() == [-1.0, 1.0]
    assert node(t - x) == "SubBackward0" and node(6 / x) == "MulBackward0"
    assert (6 / x).tolist() == [3.0, 2.0] and (x / t).tolist() == [2.0, 0.75]


def test_a_number_modulo_a_tensor_has_no_derivative():
    x = leaf(2.0, 3.0)
    for r in (2.5 % x, x.__rmod__(2), fg.remainder(2.5, x), 2.5 // x):
        assert node(r) == "NotImplemented"
        assert len(r.grad_fn.next_functions) == 1
    assert (2.5 % x).tolist() == [0.5, 2.5]
    with raises(RuntimeError, "derivative for aten::remainder is not implemented"):
        (2.5 % x).sum().backward()
    assert node(fg.tensor(2.5) % x) == "RemainderBackward1"
    assert len((x // fg.tensor(2.0)).grad_fn.next_functions) == 1
    assert len((x // leaf(1.0, 1.0)).grad_fn.next_functions) == 2


@pytest.mark.parametrize("name", ["__rsub__", "__rtruediv__", "__rpow__", "__rfloordiv__", "__rmod__",
                                  "__rlshift__", "__rrshift__", "__rand__", "__ror__", "__rxor__"])
def test_reflected_operators_answer_not_implemented_for_bad_operands(name):
    x = fg.tensor([2, 3])
    for bad in ("a", None, [1.0, 2.0]):
        assert getattr(fg.Tensor, name)(x, bad) is NotImplemented


def test_shifts_by_a_tensor_from_a_number():
    x = fg.tensor([2, 3])
    assert fg.Tensor.__rlshift__(x, 3).tolist() == [12, 24]
    assert (3 << x).tolist() == [12, 24] and (64 >> x).tolist() == [16, 8]


# ---- where an in-place write happened ------------------------------------------------------

@pytest.mark.parametrize("name", ["relu", "hardtanh", "dropout", "threshold"])
def test_the_last_in_place_write_names_the_users_line(name):
    F = fg.nn.functional
    write = {
        "relu": lambda y: F.relu(y, inplace=True),
        "hardtanh": lambda y: F.hardtanh(y, inplace=True),
        "dropout": lambda y: F.dropout(y, 0.5, True, inplace=True),
        "threshold": lambda y: F.threshold(y, 0.0, 0.0, inplace=True),
    }[name]
    y = fg.ones(3, requires_grad=True).exp()  # ExpBackward0 saves its output
    write(y)  # ferrograd's Python layer (C++ in PyTorch) writes in place
    with raises(RuntimeError, "is at version 1; expected version 0 instead") as info:
        y.sum().backward()
    if not IS_TORCH:  # PyTorch does not say where (its anomaly mode does)
        place = re.search(r"last modified in place by \w+ at (.*):(\d+)\.", "\n".join(info.value.__notes__))
        assert place and place.group(1) == __file__
        assert int(place.group(2)) == write.__code__.co_firstlineno  # the line calling F


# ---- a custom Function returning its input as-is ---------------------------------------

class Identity(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x

    @staticmethod
    def backward(ctx, g):
        return g * 2


def test_an_input_returned_as_is_is_a_view_of_it():
    x = fg.ones(3, requires_grad=True)
    y = Identity.apply(x)
    assert y is not x and y._is_view() and y._base is x
    assert node(y) == "IdentityBackward" and y.requires_grad and not y.is_leaf
    with fg.no_grad():
        x.add_(1)
    assert (x._version, y._version) == (1, 1)
    (g,) = fg.autograd.grad(Identity.apply(x).sum(), x)
    assert g.tolist() == [2.0, 2.0, 2.0]
    with raises(RuntimeError, "Output 0 of Identity is a view and is being modified inplace. This view was "
                "created inside a custom Function (or because an input was returned as-is)"):
        y.add_(1)


def test_an_input_view_returned_as_is_shares_its_base():
    base = fg.ones(4, requires_grad=True) * 1
    v = base[1:3]
    y = Identity.apply(v)
    assert y._is_view() and y._base is base and node(y) == "IdentityBackward"
    plain = fg.ones(3)
    r = Identity.apply(plain)
    assert r._is_view() and r._base is plain and r.grad_fn is None


# ---- matmul's dtype messages ------------------------------------------------------------

F32, F64, I64, I32 = fg.float32, fg.float64, fg.int64, fg.int32


def product(a_shape, a_dtype, b_shape, b_dtype):
    return fg.ones(*a_shape, dtype=a_dtype) @ fg.ones(*b_shape, dtype=b_dtype)


@pytest.mark.parametrize("a_shape,b_shape,message", [
    ((3,), (3,), "dot : expected both vectors to have same dtype, but found Float and Double"),
    ((2, 3), (3,), "addmv input tensors must have the same dtype, but got Double, Float, and Double"),
    ((2, 2, 3), (3,), "addmv input tensors must have the same dtype, but got Double, Float, and Double"),
    ((3,), (3, 2), "expected m1 and m2 to have the same dtype, but got: float != double"),
    ((2, 3), (3, 2), "expected m1 and m2 to have the same dtype, but got: float != double"),
    ((2, 2, 3), (3, 2), "expected m1 and m2 to have the same dtype, but got: float != double"),
    ((2, 2, 3), (2, 3, 2), "expected scalar type Float but found Double"),
    ((2, 3), (2, 3, 2), "expected scalar type Float but found Double"),
    ((3,), (2, 3, 2), "expected scalar type Float but found Double"),
    ((4, 1, 2, 3), (3, 3, 2), "expected scalar type Float but found Double"),
])
def test_matmul_dtype_messages_per_rank(a_shape, b_shape, message):
    with raises(RuntimeError, message):
        product(a_shape, F32, b_shape, F64)


def test_product_functions_dtype_messages():
    with raises(RuntimeError, "dot : expected both vectors to have same dtype, but found Long and Float"):
        fg.dot(fg.ones(3, dtype=I64), fg.ones(3))
    with raises(RuntimeError, "addmv input tensors must have the same dtype, but got Long, Float, and Long"):
        fg.mv(fg.ones(2, 3), fg.ones(3, dtype=I64))
    with raises(RuntimeError, "expected m1 and m2 to have the same dtype, but got: long int != float"):
        fg.mm(fg.ones(2, 3, dtype=I64), fg.ones(3, 2))
    with raises(RuntimeError, "expected m1 and m2 to have the same dtype, but got: c10::Half != c10::BFloat16"):
        fg.mm(fg.ones(2, 3, dtype=fg.float16), fg.ones(3, 2, dtype=fg.bfloat16))
    with raises(RuntimeError, "expected m1 and m2 to have the same dtype, but got: unsigned char != signed char"):
        fg.mm(fg.ones(2, 3, dtype=fg.uint8), fg.ones(3, 2, dtype=fg.int8))
    with raises(RuntimeError, "expected scalar type Int but found Double"):
        fg.bmm(fg.ones(2, 2, 3, dtype=I32), fg.ones(2, 3, 2, dtype=F64))
    with raises(NotImplementedError, "\"bmm\" not implemented for 'Bool'"):
        fg.bmm(fg.ones(2, 2, 3, dtype=fg.bool), fg.ones(2, 3, 2))
    with raises(RuntimeError, "expected scalar type Float but found Bool"):
        fg.bmm(fg.ones(2, 2, 3), fg.ones(2, 3, 2, dtype=fg.bool))
    with raises(RuntimeError, "dot : expected both vectors to have same dtype, but found ComplexFloat and Float"):
        fg.dot(fg.ones(3, dtype=fg.complex64), fg.ones(3))
    with raises(RuntimeError, "expected m1 and m2 to have the same dtype, but got: c10::complex<float> != float"):
        fg.mm(fg.ones(2, 3, dtype=fg.complex64), fg.ones(3, 2))


# ---- complex logsumexp, vector_norm of one element ---------------------------------------

def test_complex_logsumexp_of_a_0_dim_tensor_checks_its_dim():
    z = fg.tensor(1 + 2j)
    assert fg.logsumexp(z, 0).item() == 1 + 2j and fg.logsumexp(z, -1).item() == 1 + 2j
    with raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 1)"):
        fg.logsumexp(z, 1)


def test_complex_logsumexp_of_an_empty_reduction_is_minus_infinity():
    r = fg.logsumexp(fg.zeros(0, dtype=fg.complex64), 0)
    assert r.dtype == fg.complex64 and r.item() == complex(float("-inf"), 0.0)
    r = fg.logsumexp(fg.zeros(2, 0, dtype=fg.complex128), 1)
    assert r.dtype == fg.complex128 and r.tolist() == [complex(float("-inf"), 0.0)] * 2
    assert tuple(fg.logsumexp(fg.zeros(0, 2, dtype=fg.complex64), 1).shape) == (0,)


@pytest.mark.parametrize("order", [2.0**40, 2.0**50, -(2.0**41), float("nan"), 1e300, 0.5, 3.0])
def test_vector_norm_of_one_element_is_its_absolute_value(order):
    for dtype in (fg.float32, fg.float64):
        for v in (0.5, 3.0, -2.0):
            assert fg.linalg.vector_norm(fg.tensor([v], dtype=dtype), order).item() == abs(v)
        assert fg.linalg.vector_norm(fg.tensor([3.0 + 4j]), order).item() == 5.0
        r = fg.linalg.vector_norm(fg.tensor([[3.0], [-0.5]], dtype=dtype), order, dim=1)
        assert r.tolist() == [3.0, 0.5]


def test_vector_norm_of_more_elements_keeps_its_order():
    assert fg.linalg.vector_norm(fg.tensor([3.0, 4.0]), 2.0**40).item() == float("inf")
    r = fg.linalg.vector_norm(fg.tensor([[3.0], [0.5]], dtype=fg.float64), 0.5, dim=(0, 1))
    assert r.item() == pytest.approx(5.949489742783177, rel=1e-15)
    assert fg.linalg.vector_norm(fg.tensor([3.0, 0.0]), float("nan")).isnan().item()
    assert fg.linalg.vector_norm(fg.tensor([3.0]), 0).item() == 1.0
    x = fg.tensor([3.0], requires_grad=True)
    fg.linalg.vector_norm(x, 0.5).backward()
    assert x.grad.tolist() == pytest.approx([1.0])
