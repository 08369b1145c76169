"""What a `TorchFunctionMode` and a subclass's `__torch_function__` are handed for the
operators PyTorch writes in Python (`**`, `**=`, the reflected ones): `pow` and
`Tensor.__ipow__` (named `pow_`), every operand's type (Tensor among them), an empty
keyword dict; the unary operators are the methods (`Tensor.__neg__ is Tensor.neg`)."""

import pytest
from backend import fg
from test_modes17_s26 import Recorder
from test_modes18_s27 import Logged

T = fg.Tensor


class Plain(T):
    pass


def made(kind=T):
    out = fg.arange(1.0, 5.0).reshape(2, 2)
    return out if kind is T else out.as_subclass(kind)


def recorded(action):
    mode = Recorder()
    with mode:
        result = action()
    return result, mode.calls


def only(calls):
    assert len(calls) == 1, [c[0] for c in calls]
    return calls[0]


# ---- under a mode --------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", [T, Plain])
@pytest.mark.parametrize("other", ["tensor", 2])
def test_mode_is_handed_pow_with_every_operand(kind, other):
    a = made(kind)
    b = made() if other == "tensor" else other
    result, calls = recorded(lambda: a ** b)
    func, types, args, kwargs = only(calls)
    assert func.__name__ == "pow"
    expected = (kind, T) if kind is not T and other == "tensor" else (kind,)
    assert types == expected and args[0] is a and args[1] is b and kwargs == {}
    assert type(result) is kind


@pytest.mark.parametrize("kind", [T, Plain])
def test_mode_is_handed_ipow_itself(kind):
    a, b = made(kind), made()
    result, calls = recorded(lambda: a.__ipow__(b))
    func, types, args, kwargs = only(calls)
    assert func == T.__ipow__ and func.__name__ == "pow_" and func != T.pow_
    assert types == ((kind, T) if kind is not T else (T,)) and args == (a, b) and kwargs == {}
    assert result is a and a.tolist() == [[1.0, 4.0], [27.0, 256.0]]


@pytest.mark.parametrize(("action", "name"), [
    (lambda a, b: b.__rmatmul__(a), "__rmatmul__"),
    (lambda a, b: a // b, "__floordiv__"),
    (lambda a, b: b.__rsub__(a), "__rsub__"),
    (lambda a, b: a.__rpow__(b), "__rpow__"),
])
def test_mode_lists_every_operand_of_a_python_operator(action, name):
    a, b = made(Plain), made()
    _, calls = recorded(lambda: action(a, b))
    func, types, _, kwargs = only(calls)
    assert func == getattr(T, name) and types == (Plain, T) and kwargs == {}


@pytest.mark.parametrize(("action", "method"), [
    (lambda a: -a, "neg"), (lambda a: abs(a), "abs"), (lambda a: +a, "positive")])
def test_unary_operators_are_the_methods(action, method):
    assert getattr(T, {"neg": "__neg__", "abs": "__abs__", "positive": "__pos__"}[method]) is getattr(T, method)
    a = made()
    _, calls = recorded(lambda: action(a))
    func, types, args, kwargs = only(calls)
    assert func == getattr(T, method) and types == (T,) and args == (a,) and kwargs is None


def test_mode_sees_the_same_unary_method_under_both_names():
    a = made()
    seen = []

    class Compare(fg.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            seen.append((func == T.__neg__, func == T.neg))
            return func(*args, **(kwargs or {}))

    with Compare():
        _ = -a
        a.neg()
    assert seen == [(True, True), (True, True)]


# ---- a subclass's __torch_function__ -------------------------------------------------------------
@pytest.mark.parametrize("swap", [False, True])
def test_subclass_is_handed_pow_with_every_operand(swap):
    s, t = made(Logged), made()
    Logged.log.clear()
    result = t ** s if swap else s ** t
    func, types, args, kwargs = only(Logged.log)
    assert func.__name__ == "pow"
    assert types == (Logged, T) and kwargs == {}
    assert args == ((t, s) if swap else (s, t))
    assert type(result) is Logged


def test_subclass_is_handed_pow_with_a_number():
    s = made(Logged)
    Logged.log.clear()
    s ** 2
    func, types, args, kwargs = only(Logged.log)
    assert func.__name__ == "pow" and types == (Logged,) and args == (s, 2) and kwargs == {}


@pytest.mark.parametrize("swap", [False, True])
def test_subclass_is_handed_ipow_itself(swap):
    s, t = made(Logged), made()
    target, other = (t, s) if swap else (s, t)
    Logged.log.clear()
    target **= other
    func, types, args, kwargs = only(Logged.log)
    assert func == T.__ipow__ and func.__name__ == "pow_"
    assert types == (Logged, T) and kwargs == {}
    assert args[0] is (t if swap else s) and args[1] is other


def test_subclass_is_handed_ipow_with_a_number():
    s = made(Logged)
    Logged.log.clear()
    s **= 2
    func, types, args, kwargs = only(Logged.log)
    assert func == T.__ipow__ and types == (Logged,) and args == (s, 2) and kwargs == {}
    assert s.tolist() == [[1.0, 4.0], [9.0, 16.0]] and type(s) is Logged


@pytest.mark.parametrize(("action", "method"), [(lambda a: -a, "neg"), (lambda a: abs(a), "abs")])
def test_subclass_unary_operators_hand_the_method(action, method):
    s = made(Logged)
    Logged.log.clear()
    result = action(s)
    func, types, args, kwargs = only(Logged.log)
    assert func is getattr(T, method) and types == (Logged,) and args == (s,) and kwargs is None
    assert type(result) is Logged


def test_reflected_pow_with_a_number_hands_rpow():
    s = made(Logged)
    Logged.log.clear()
    result = 2 ** s
    func, types, args, kwargs = only(Logged.log)
    assert func == T.__rpow__ and types == (Logged,) and args == (s, 2) and kwargs == {}
    assert result.tolist() == [[2.0, 4.0], [8.0, 16.0]]


def test_ipow_that_fails_is_not_implemented():
    t = made()
    assert T.__ipow__(t, "x") is NotImplemented
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*\*=: 'Tensor' and 'str'"):
        t **= "x"


@pytest.mark.parametrize(("action", "name", "rest"), [
    (lambda a: a < made(), "lt", "tensor"), (lambda a: 2 > a, "lt", 2), (lambda a: a != 2, "ne", 2),
    (lambda a: a @ made(), "matmul", "tensor"), (lambda a: a[0], "__getitem__", 0),
])
def test_mode_sees_the_other_operators_as_their_methods(action, name, rest):
    a = made()
    _, calls = recorded(lambda: action(a))
    func, types, args, kwargs = calls[-1]
    assert func == getattr(T, name) and types == () and args[0] is a and kwargs is None
    assert args[1] == rest if rest != "tensor" else type(args[1]) is T


def test_mode_sees_setitem_with_its_value():
    a = made()
    _, calls = recorded(lambda: a.__setitem__(0, 5.0))
    func, types, args, kwargs = only(calls)
    assert func == T.__setitem__ and types == () and args == (a, 0, 5.0) and kwargs is None
    assert a.tolist() == [[5.0, 5.0], [3.0, 4.0]]
