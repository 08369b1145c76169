"""A plain Tensor's methods and operators hand a call with an argument whose type
overrides `__torch_function__` (a Tensor subclass, or a tensor-like that is no Tensor)
to that type: `type(arg).__torch_function__(Tensor.<method>, types, args, kwargs)`, with
the arguments as given and `types` listing the overriding types, a subclass before its
base. Every expectation here is PyTorch's (the suite runs against it too)."""

from typing import ClassVar

import pytest
from backend import MOD, fg

T = fg.Tensor


class Recorder(T):
    """A subclass that records each call its `__torch_function__` sees."""

    calls: ClassVar[list] = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        Recorder.calls.append((cls, func, types, args, kwargs))
        return super().__torch_function__(func, types, args, kwargs or {})


class Derived(Recorder):
    pass


class Disabled(T):
    __torch_function__ = fg._C._disabled_torch_function_impl


class Inherits(T):
    pass


class Declines(T):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return NotImplemented


class Like:
    """A tensor-like: no Tensor, a `__torch_function__` of its own."""

    calls: ClassVar[list] = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        Like.calls.append((func, types, args, kwargs))
        return "answered"


@pytest.fixture(autouse=True)
def _fresh_records():
    Recorder.calls.clear()
    Like.calls.clear()


def sub(t):
    return t.as_subclass(Recorder)


def only_call():
    assert len(Recorder.calls) == 1, Recorder.calls
    return Recorder.calls[0]


def x22():
    return fg.tensor([[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "eq", "ne", "lt", "le", "gt", "ge", "matmul", "mm",
                                  "maximum", "minimum", "remainder", "floor_divide", "pow", "logical_and",
                                  "logical_or", "logical_xor"])
def test_binary_method_hands_subclass_argument_the_method(name):
    x, s = x22(), sub(fg.tensor([[2.0, 1.0], [1.0, 2.0]]))
    out = getattr(x, name)(s)
    _, func, types, args, kwargs = only_call()
    assert func is getattr(T, name)
    assert types == (Recorder,)
    assert len(args) == 2 and args[0] is x and args[1] is s
    assert kwargs is None
    assert type(out) is Recorder  # the default implementation gives the result the subclass
    expected = getattr(x, name)(s.as_subclass(T))
    assert fg.equal(out.as_subclass(T), expected)


def test_keywords_are_handed_over_as_given():
    x, s = x22(), sub(fg.ones(2, 2))
    out = x.add(s, alpha=2)
    _, func, types, args, kwargs = only_call()
    assert func is T.add and types == (Recorder,) and args == (x, s) and kwargs == {"alpha": 2}
    assert out.tolist() == [[3.0, 4.0], [5.0, 6.0]]
    Recorder.calls.clear()
    x.div(s, rounding_mode="floor")
    assert only_call()[4] == {"rounding_mode": "floor"}


def test_tensor_keyword_of_clamp_dispatches():
    x, s = x22(), sub(fg.full((2, 2), 2.5))
    out = x.clamp(max=s)
    _, func, types, args, kwargs = only_call()
    assert func is T.clamp and types == (Recorder,) and len(args) == 1 and args[0] is x
    assert list(kwargs) == ["max"] and kwargs["max"] is s
    assert type(out) is Recorder and out.tolist() == [[1.0, 2.0], [2.5, 2.5]]


@pytest.mark.parametrize("name", ["add_", "sub_", "mul_", "div_", "copy_", "pow_"])
def test_in_place_method_hands_subclass_argument_the_method(name):
    x, s = x22(), sub(fg.full((2, 2), 2.0))
    out = getattr(x, name)(s)
    _, func, types, args, kwargs = only_call()
    assert func is getattr(T, name) and types == (Recorder,) and args == (x, s) and kwargs is None
    assert type(out) is Recorder


def test_in_place_operator_hands_over_the_in_place_method():
    x, s = x22(), sub(fg.ones(2, 2))
    y = x
    y += s
    _, func, types, args, _ = only_call()
    assert func is T.add_ and types == (Recorder,) and args[0] is x and args[1] is s
    assert type(y) is Recorder and x.tolist() == [[2.0, 3.0], [4.0, 5.0]]


def test_in_power_operator_lists_tensor_too():
    x, s = x22(), sub(fg.full((2, 2), 2.0))
    x **= s
    _, func, types, _, _ = only_call()
    assert func.__name__ == "pow_" and types == (Recorder, T)


def test_masked_fill_with_subclass_mask():
    x, m = x22(), sub(fg.tensor([[True, False], [False, True]]))
    out = x.masked_fill(m, 0.0)
    _, func, types, args, kwargs = Recorder.calls[-1]
    assert kwargs is None
    assert func is T.masked_fill and types == (Recorder,) and args[0] is x and args[1] is m and args[2] == 0.0
    assert type(out) is Recorder and out.tolist() == [[0.0, 2.0], [3.0, 0.0]]


def test_vector_products_with_subclass_operand():
    v, w = fg.tensor([1.0, 2.0]), sub(fg.tensor([3.0, 4.0]))
    out = v.dot(w)
    _, func, types, args, _ = only_call()
    assert func is T.dot and types == (Recorder,) and args == (v, w)
    assert type(out) is Recorder and out.tolist() == 11.0
    Recorder.calls.clear()
    out = x22().mv(w)
    assert only_call()[1] is T.mv and type(out) is Recorder


def test_index_with_subclass_index():
    x, i = x22(), sub(fg.tensor([1, 0]))
    out = x[i]
    _, func, types, args, kwargs = only_call()
    assert func is T.__getitem__ and types == (Recorder,) and args == (x, i) and kwargs is None
    assert type(out) is Recorder and out.tolist() == [[3.0, 4.0], [1.0, 2.0]]


def test_index_tuple_holding_subclass_index():
    x, i = x22(), sub(fg.tensor([1]))
    out = x[0, i]
    _, func, types, args, _ = only_call()
    assert func is T.__getitem__ and types == (Recorder,) and args[0] is x
    assert args[1] == (0, i) or (args[1][0] == 0 and args[1][1] is i)
    assert out.tolist() == [2.0]


def test_setitem_with_subclass_value():
    x, v = x22(), sub(fg.tensor([9.0, 8.0]))
    x[0] = v
    _, func, types, args, kwargs = only_call()
    assert func is T.__setitem__ and types == (Recorder,) and args == (x, 0, v) and kwargs is None
    assert x.tolist() == [[9.0, 8.0], [3.0, 4.0]]


def test_subclass_before_its_base_and_its_handler_first():
    a, b = sub(fg.ones(2)), fg.ones(2).as_subclass(Derived)
    out = a.add(b)
    first = Recorder.calls[0]
    assert first[0] is Derived and first[2] == (Derived, Recorder)
    assert type(out) is Derived
    Recorder.calls.clear()
    fg.ones(2).mul(b)
    assert Recorder.calls[0][0] is Derived and Recorder.calls[0][2] == (Derived,)


def test_subclass_without_override_keeps_its_class():
    out = fg.ones(2).add(fg.ones(2).as_subclass(Inherits))
    assert type(out) is Inherits


def test_disabled_torch_function_computes_plainly():
    out = fg.ones(2).mul(fg.ones(2).as_subclass(Disabled))
    assert type(out) is T and out.tolist() == [1.0, 1.0]


def test_every_handler_declining_raises():
    with pytest.raises(TypeError, match=rf"^Multiple dispatch failed for '{MOD}\.Tensor\.add'; all "
                       r"__torch_function__ handlers returned NotImplemented"):
        fg.ones(2).add(fg.ones(2).as_subclass(Declines))


def test_no_dispatch_inside_an_implementation():
    s = sub(fg.ones(2))
    with fg._C.DisableTorchFunctionSubclass():
        out = fg.ones(2).add(s)
        with pytest.raises(TypeError):
            fg.ones(2).add(Like())
    assert type(out) is T and Recorder.calls == []


@pytest.mark.parametrize("call", [
    lambda x, o: x.mm(o), lambda x, o: x.maximum(o), lambda x, o: x.add_(o), lambda x, o: x.mul_(o),
    lambda x, o: x.copy_(o), lambda x, o: x.logical_and(o), lambda x, o: x.eq(o), lambda x, o: x.matmul(o),
])
def test_tensor_like_argument_takes_the_method(call):
    x, o = x22(), Like()
    assert call(x, o) == "answered"
    func, types, args, kwargs = Like.calls[0]
    assert types == (Like,) and args == (x, o) and kwargs is None
    assert func in (T.mm, T.maximum, T.add_, T.mul_, T.copy_, T.logical_and, T.eq, T.matmul)


def test_tensor_like_keyword_takes_the_method():
    x, o = x22(), Like()
    assert x.clamp(min=o) == "answered"
    func, types, args, kwargs = Like.calls[0]
    assert func is T.clamp and types == (Like,) and args == (x,) and kwargs == {"min": o}


def test_tensor_like_index_takes_getitem():
    x, o = x22(), Like()
    assert x[o] == "answered"
    func, types, args, _ = Like.calls[0]
    assert func is T.__getitem__ and types == (Like,) and args == (x, o)


def test_subclass_and_tensor_like_together():
    x, s, o = x22(), sub(fg.ones(2, 2)), Like()
    assert x.add(s, alpha=o) == "answered"
    assert Like.calls[0][1] == (Recorder, Like)


def test_function_form_dispatches_with_the_function():
    x, s = x22(), sub(fg.ones(2, 2))
    out = fg.mul(x, s)
    _, func, types, args, _ = only_call()
    assert func is fg.mul and types == (Recorder,) and args == (x, s)
    assert type(out) is Recorder


def test_masked_tensor_argument_of_dense_method():
    from importlib import import_module

    masked = import_module(f"{MOD}.masked")
    mt = masked.masked_tensor(fg.tensor([1.0, 2.0]), fg.tensor([True, False]))
    out = fg.ones(2).add(mt)
    assert type(out) is type(mt)
    assert out.get_data()[0].item() == 2.0 and out.get_mask().tolist() == [True, False]


def test_plain_arguments_stay_plain():
    x = x22()
    assert type(x.add(x)) is T and type(x.mul(2)) is T and type(x[0]) is T and type(x.clamp(min=0.5)) is T


@pytest.mark.parametrize(("apply", "name", "first", "with_tensor"), [
    (lambda x, s: x + s, "add", "x", False), (lambda x, s: s + x, "add", "s", False),
    (lambda x, s: x - s, "sub", "x", False), (lambda x, s: x * s, "mul", "x", False),
    (lambda x, s: x / s, "div", "x", False), (lambda x, s: x % s, "remainder", "x", False),
    (lambda x, s: x @ s, "matmul", "x", False), (lambda x, s: x ** s, "pow", "x", True),
    (lambda x, s: x // s, "__floordiv__", "x", True),
    # Python tries a subclass's reflected comparison first
    (lambda x, s: x < s, "gt", "s", False), (lambda x, s: x >= s, "le", "s", False),
    (lambda x, s: x == s, "__eq__", "s", False),
])
def test_operator_hands_over_its_method_with_operands_in_order(apply, name, first, with_tensor):
    x, s = x22(), sub(fg.full((2, 2), 2.0))
    out = apply(x, s)
    _, func, types, args, _ = Recorder.calls[0]
    assert func.__name__ == name
    assert types == ((Recorder, T) if with_tensor else (Recorder,))
    assert args == ((x, s) if first == "x" else (s, x))
    assert type(out) is Recorder


def test_reflected_operator_with_number():
    s = sub(fg.full((2,), 2.0))
    out = 1 - s
    _, func, types, args, _ = only_call()
    assert func is T.__rsub__ and types == (Recorder,) and args == (s, 1)
    assert type(out) is Recorder and out.tolist() == [-1.0, -1.0]


def test_operator_with_tensor_like():
    x, o = x22(), Like()
    assert x + o == "answered" and o - x == "answered"
    (f1, t1, a1, _), (f2, _, a2, _) = Like.calls
    assert f1 is T.add and t1 == (Like,) and a1 == (x, o)
    assert f2 is T.__rsub__ and a2 == (x, o)


def test_reflected_division_hands_over_rdiv():
    s = sub(fg.full((2,), 2.0))
    out = 3 / s
    _, func, types, args, _ = only_call()
    assert func.__name__ == "__rdiv__" and types == (Recorder,) and args == (s, 3)
    assert out.tolist() == [1.5, 1.5]


def test_bitwise_operators_hand_over_their_methods():
    x, s = fg.tensor([True, False]), fg.tensor([True, True]).as_subclass(Recorder)
    x & s
    assert Recorder.calls[0][1].__name__ == "__and__" and Recorder.calls[0][3] == (x, s)
    Recorder.calls.clear()
    out = True | s
    assert Recorder.calls[0][1].__name__ == "bitwise_or" and Recorder.calls[0][3] == (s, True)
    assert type(out) is Recorder


def test_equality_hands_over_eq_but_a_subclass_receivers_own():
    x, s = x22(), sub(fg.ones(2, 2))
    x.__eq__(s)
    _ = s != x
    _ = s == x
    assert [(c[1].__name__, c[3][0] is s) for c in Recorder.calls] == [("eq", False), ("ne", True), ("__eq__", True)]
