"""Operators of Tensor with NumPy arrays, tensor-likes and uint64-range ints, the
requires_grad setters' argument checks and `__rsub__`'s autograd node, as PyTorch has
them (expected values taken from PyTorch 2.13 with NumPy 2).

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import operator

import numpy as np
import pytest
from backend import MOD, fg

# ---------------------------------------------------------------- NumPy arrays
# PyTorch's operators answer NotImplemented for a NumPy array, 0-dim or not: `x * a`
# is then NumPy's (its result wrapped back into a tensor, NumPy's dtype), `a + x` and
# the orderings are TypeErrors, `x == a` NumPy's elementwise result and `x != a`
# Python's identity test. Per operator and
# side (tensor on the left or right): the result dtype or exception for float32,
# float64 and int64 arrays, each 0-d then 2-d.
EXPECTED = {
    ("add", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("add", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("and_", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'int64', 'int64'),
    ("and_", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("eq", "left"): ('bool', 'bool', 'bool', 'bool', 'bool', 'bool'),
    ("eq", "right"): ('bool', 'bool', 'bool', 'bool', 'bool', 'bool'),
    ("floordiv", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("floordiv", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("ge", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("ge", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("gt", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("gt", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("iadd", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("iadd", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("iand", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'int64', 'int64'),
    ("iand", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("ifloordiv", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("ifloordiv", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("ilshift", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'int64', 'int64'),
    ("ilshift", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("imatmul", "left"): ('ValueError', 'float32', 'ValueError', 'float64', 'ValueError', 'float64'),
    ("imatmul", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("imod", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("imod", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("imul", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("imul", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("ior", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'int64', 'int64'),
    ("ior", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("ipow", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("ipow", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("irshift", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'int64', 'int64'),
    ("irshift", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("isub", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("isub", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("itruediv", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("itruediv", "right"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("ixor", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'int64', 'int64'),
    ("ixor", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("le", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("le", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("lshift", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'int64', 'int64'),
    ("lshift", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("lt", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("lt", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("matmul", "left"): ('ValueError', 'float32', 'ValueError', 'float64', 'ValueError', 'float64'),
    ("matmul", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("mod", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("mod", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("mul", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("mul", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("ne", "left"): ('identity',) * 6,
    ("ne", "right"): ('identity',) * 6,
    ("or_", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'int64', 'int64'),
    ("or_", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("pow", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("pow", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("rshift", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'int64', 'int64'),
    ("rshift", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("sub", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("sub", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
    ("truediv", "left"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("truediv", "right"): ('float32', 'float32', 'float64', 'float64', 'float64', 'float64'),
    ("xor", "left"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'int64', 'int64'),
    ("xor", "right"): ('TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
}
_ARRAY_CASES = [(op, side, dt, nd) for (op, side) in EXPECTED for dt in ("float32", "float64", "int64") for nd in (0, 2)]
_BITWISE = ("and_", "or_", "xor", "lshift", "rshift", "iand", "ior", "ixor", "ilshift", "irshift")


@pytest.mark.parametrize(("op", "side", "dt", "nd"), _ARRAY_CASES)
def test_operators_with_numpy_arrays_are_numpys(op, side, dt, nd):
    arr = np.array(3, dtype=dt) if nd == 0 else np.arange(1, 5, dtype=dt).reshape(2, 2)
    t = fg.tensor([[1, 2], [3, 4]], dtype=fg.int64 if op in _BITWISE else fg.float32)
    expected = EXPECTED[(op, side)][("float32", "float64", "int64").index(dt) * 2 + (nd == 2)]
    f = getattr(operator, op)
    call = (lambda: f(t, arr)) if side == "left" else (lambda: f(arr, t))
    if expected in ("TypeError", "ValueError"):
        with pytest.raises({"TypeError": TypeError, "ValueError": ValueError}[expected]):
            call()
        return
    left, right = (t.numpy().copy(), arr) if side == "left" else (arr, t.numpy().copy())
    result = call()
    if expected == "identity":  # `!=` answered NotImplemented both ways: Python's identity test
        assert result is True
        return
    assert isinstance(result, fg.Tensor)
    assert str(result.dtype) == f"{MOD}.{expected}"
    # an augmented assignment falls back to the operator: NumPy's out-of-place result
    base = op.removeprefix("i")
    base = {"and": "and_", "or": "or_"}.get(base, base)
    # (`a / x` is `x.reciprocal() * a`, rounded in the tensor's dtype first)
    assert np.allclose(result.numpy(), np.asarray(getattr(operator, base)(left, right)), rtol=1e-6)


# ---------------------------------------------------------------- uint64-range ints
AUGMENTED = {"+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
             "**=": operator.ipow}


@pytest.mark.parametrize(("dtype", "op", "value", "expected"), [
    ("float32", "+=", 2**63, [9.223372036854776e18] * 2),
    ("float64", "-=", 2**64 - 1, [-1.8446744073709552e19] * 2),
    ("float64", "*=", 2**63, [9.223372036854776e18, 1.8446744073709552e19]),
    ("float64", "/=", 2**63, [1.0842021724855044e-19, 2.168404344971009e-19]),
    ("float64", "**=", 2**63, [1.0, float("inf")]),
    ("int64", "+=", 2**63, [-9223372036854775807, -9223372036854775806]),
    ("int64", "+=", 2**64 - 1, [0, 1]),
    ("int64", "-=", 2**64 - 1, [2, 3]),
    ("int64", "*=", 2**63, [-9223372036854775808, 0]),
    ("int32", "*=", 2**64 - 1, [-1, -2]),
    ("uint8", "*=", 2**64 - 1, [255, 254]),
])
def test_augmented_assignment_with_uint64_range_ints(dtype, op, value, expected):
    x = fg.tensor([1, 2], dtype=getattr(fg, dtype))
    assert AUGMENTED[op](x, value) is x
    assert x.tolist() == expected


@pytest.mark.parametrize(("dtype", "op", "message"), [
    ("int64", "/=", "result type Float can't be cast to the desired output type Long"),
    ("int64", "**=", "value cannot be converted to type int64_t without overflow"),
    ("bool", "+=", "Promotion for uint16, uint32, uint64 types is not supported, attempted to promote Bool and UInt64"),
    ("bool", "-=", "Subtraction, the `-` operator, with a bool tensor is not supported."),
    ("bool", "**=", "value cannot be converted to type int64_t without overflow"),
])
def test_augmented_assignment_with_uint64_range_ints_refused(dtype, op, message):
    x = fg.tensor([1, 2], dtype=getattr(fg, dtype))
    with pytest.raises(RuntimeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        AUGMENTED[op](x, 2**63)


def test_bool_subtraction_is_refused_before_promotion():
    b = fg.tensor([True])
    for call in (lambda: b - 2**63, lambda: 2**63 - b):
        with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
            call()


# ---------------------------------------------------------------- requires_grad
@pytest.mark.parametrize("value", [1, 0, "a", None, 1.0, [1]])
def test_requires_grad_setter_takes_only_a_bool(value):
    x = fg.ones(2)
    with pytest.raises(RuntimeError, match="^requires_grad must be a bool$"):
        x.requires_grad = value


@pytest.mark.parametrize(("value", "shown"), [(1, "int"), ("a", "str"), (None, "NoneType"), (1.0, "float")])
def test_requires_grad_method_takes_only_a_bool(value, shown):
    with pytest.raises(TypeError, match=rf"^requires_grad_\(\): argument 'requires_grad' \(position 1\) must be bool, not {shown}$"):
        fg.ones(2).requires_grad_(value)
    with pytest.raises(TypeError, match=rf"^requires_grad_\(\): argument 'requires_grad' must be bool, not {shown}$"):
        fg.ones(2).requires_grad_(requires_grad=value)


def test_requires_grad_method_arguments():
    x = fg.ones(2)
    assert x.requires_grad_().requires_grad and not x.requires_grad_(False).requires_grad
    assert x.requires_grad_(requires_grad=True).requires_grad
    with pytest.raises(TypeError, match=r"takes from 0 to 1 positional arguments but 2 were given"):
        x.requires_grad_(True, True)
    with pytest.raises(TypeError, match="got an unexpected keyword argument 'foo'"):
        x.requires_grad_(foo=True)
    with pytest.raises(TypeError, match="got multiple values for argument 'requires_grad'"):
        x.requires_grad_(True, requires_grad=True)


# ---------------------------------------------------------------- __rsub__
@pytest.mark.parametrize("number", [2, 2.5, 2**63])
def test_rsub_of_a_number_records_rsub1(number):
    a = fg.ones(2, requires_grad=True)
    r = a.__rsub__(number)
    assert r.grad_fn.name() == "RsubBackward1"
    assert r.tolist() == [number - 1.0] * 2


# ---------------------------------------------------------------- tensor-likes
class Recorder:
    """Returns what it was called with."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return func, [t.__name__ for t in types], args, kwargs or {}


@pytest.mark.parametrize(("op", "method", "types"), [
    ("+=", "add_", ["Recorder"]), ("-=", "sub_", ["Recorder"]), ("*=", "mul_", ["Recorder"]),
    ("/=", "div_", ["Recorder"]), ("**=", "pow_", ["Tensor", "Recorder"]),
])
def test_augmented_assignment_hands_a_tensor_like_the_inplace_method(op, method, types):
    x = fg.ones(2)
    func, got_types, args, _ = AUGMENTED[op](x, Recorder())
    assert func.__name__ == method and got_types == types  # (PyTorch wraps pow_ in Python)
    assert args[0] is x and isinstance(args[1], Recorder)


def test_reflected_division_hands_a_tensor_like_rdiv():
    x = fg.ones(2)
    func, types, args, _ = Recorder() / x
    assert func is fg.Tensor.__rdiv__ and types == ["Tensor", "Recorder"] and args[0] is x


@pytest.mark.parametrize("index", ["plain", "in a tuple", "in a list"])
def test_indexing_hands_a_tensor_like_getitem(index):
    x = fg.ones(2)
    r = Recorder()
    idx = {"plain": r, "in a tuple": (0, r), "in a list": [r]}[index]
    func, types, args, _ = x[idx]
    assert func is fg.Tensor.__getitem__ and types == ["Recorder"]
    assert args[0] is x and args[1] == idx


def test_setting_items_hands_a_tensor_like_setitem():
    seen = []

    class Taker:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            seen.append((func, args))

    x = fg.ones(2)
    x[Taker()] = 1.0
    x[0] = Taker()
    assert [f for f, _ in seen] == [fg.Tensor.__setitem__] * 2
    assert seen[0][1][2] == 1.0 and isinstance(seen[1][1][2], Taker) and seen[1][1][1] == 0
    assert x.tolist() == [1.0, 1.0]


def test_copy_hands_a_tensor_like_copy():
    x = fg.ones(2)
    func, types, args, _ = x.copy_(Recorder())
    assert func is fg.Tensor.copy_ and types == ["Recorder"] and args[0] is x


def test_indexing_without_tensor_likes_keeps_its_errors():
    with pytest.raises(IndexError):
        fg.ones(2)[object()]
    with pytest.raises(TypeError):
        fg.ones(2).copy_(object())
