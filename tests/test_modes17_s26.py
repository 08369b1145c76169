"""What `__torch_function__` modes and Tensor subclasses are handed, as PyTorch hands it:
Tensor's dunders (indexing, printing, reflected and in-place operators, conversions),
property getters and setters (their `__get__`/`__set__`), `backward`; the keywords a
builtin passes (None for none) and a function written in Python passes (every default);
`out=` given a number; the return types' names in errors; `F.log_softmax` handing a
tensor-like the call."""

import typing

import pytest
from backend import MOD, fg

F = fg.nn.functional


class Recorder(fg.overrides.TorchFunctionMode):
    """Notes each call it is handed and runs it."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.calls.append((func, types, args, kwargs))
        return func(*args, **(kwargs or {}))


class Answering(fg.overrides.TorchFunctionMode):
    """Answers every call with the function it was handed."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        return ("answered", func, args)


class Logged(fg.Tensor):
    log: typing.ClassVar[list] = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        Logged.log.append(func)
        return super().__torch_function__(func, types, args, kwargs)


class TensorLike:
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return ("handled", func, types, args, kwargs)


def _only_call(action):
    mode = Recorder()
    with mode:
        result = action()
    assert len(mode.calls) == 1, [c[0] for c in mode.calls]
    return result, mode.calls[0]


# ---- modes see Tensor's dunders -----------------------------------------------------------------
def test_mode_sees_getitem_with_its_index():
    t = fg.tensor([1.0, 2.0, 3.0])
    result, (func, _, args, kwargs) = _only_call(lambda: t[1])
    assert func is fg.Tensor.__getitem__ or func.__name__ == "__getitem__"
    assert args[0] is t and args[1] == 1 and kwargs is None
    assert result.item() == 2.0


def test_mode_answer_replaces_getitem():
    t = fg.ones(3)
    with Answering():
        got = t[0]
    assert got[0] == "answered" and got[1].__name__ == "__getitem__" and got[2][1] == 0


def test_mode_sees_setitem_with_index_and_value():
    t = fg.zeros(3)
    _, (func, _, args, kwargs) = _only_call(lambda: t.__setitem__(2, 5.0))
    assert func.__name__ == "__setitem__" and args[1:] == (2, 5.0) and kwargs is None
    assert t.tolist() == [0.0, 0.0, 5.0]


@pytest.mark.parametrize("printer", [repr, str])
def test_mode_sees_repr_with_its_keyword(printer):
    t = fg.tensor([1.5])
    text, (func, types, args, kwargs) = _only_call(lambda: printer(t))
    assert func.__name__ == "__repr__" and args == (t,) and kwargs == {"tensor_contents": None}
    assert types == (fg.Tensor,)
    assert text == "tensor([1.5000])"


@pytest.mark.parametrize(("action", "name", "operand"), [
    (lambda t: 1 - t, "__rsub__", 1),
    (lambda t: 1 / t, "__rdiv__", 1),
    (lambda t: 2 ** t, "__rpow__", 2),
    (lambda t: 3 // t, "__rfloordiv__", 3),
    (lambda t: 3 % t, "__rmod__", 3),
    (lambda t: t // 2, "__floordiv__", 2),
    (lambda t: 1 + t, "add", 1),
    (lambda t: 2 * t, "mul", 2),
    (lambda t: t != 1, "ne", 1),
    (lambda t: t == 1, "__eq__", 1),
])
def test_mode_sees_operators_as_pytorch_names_them(action, name, operand):
    t = fg.tensor([1.0, 2.0])
    expected = action(t)
    result, (func, _, args, _) = _only_call(lambda: action(t))
    assert func.__name__ == name and args[0] is t and args[1] == operand
    assert fg.equal(result, expected)


@pytest.mark.parametrize(("action", "name", "operand"), [
    (lambda t: 1 & t, "bitwise_and", 1),
    (lambda t: 6 | t, "bitwise_or", 6),
    (lambda t: 6 ^ t, "bitwise_xor", 6),
    (lambda t: t & 1, "__and__", 1),
    (lambda t: t << 1, "__lshift__", 1),
    (lambda t: 1 << t, "__rlshift__", 1),
])
def test_mode_sees_bitwise_operators(action, name, operand):
    t = fg.tensor([1, 2, 3])
    expected = action(t)
    result, (func, _, args, _) = _only_call(lambda: action(t))
    assert func.__name__ == name and args[0] is t and args[1] == operand
    assert result.tolist() == expected.tolist()


def test_mode_sees_invert_and_pos():
    b = fg.tensor([True, False])
    result, (func, _, args, _) = _only_call(lambda: ~b)
    assert func.__name__ == "__invert__" and args == (b,) and result.tolist() == [False, True]
    t = fg.tensor([-1.0])
    _, (func, _, _, _) = _only_call(lambda: +t)
    assert func.__name__ == "positive"


@pytest.mark.parametrize(("op", "name"), [
    ("__iadd__", "add_"), ("__isub__", "sub_"), ("__imul__", "mul_"), ("__itruediv__", "div_"),
    ("__ifloordiv__", "floor_divide_"), ("__imod__", "remainder_"), ("__ipow__", "pow_"),
])
def test_mode_sees_inplace_operators_as_the_inplace_method(op, name):
    t = fg.tensor([4.0, 6.0])
    result, (func, _, args, _) = _only_call(lambda: getattr(t, op)(2))
    assert func.__name__ == name and args[0] is t and args[1] == 2
    assert result is t


@pytest.mark.parametrize(("action", "name", "expected"), [
    (lambda t: len(t), "__len__", 2),
    (lambda t: bool(t[:1]), "__bool__", True),
    (lambda t: float(t[:1]), "__float__", 3.0),
    (lambda t: int(t[:1]), "__int__", 3),
    (lambda t: 3.0 in t, "__contains__", True),
    (lambda t: t.tolist(), "tolist", [3.0, 4.0]),
    (lambda t: t[:1].item(), "item", 3.0),
    (lambda t: format(t[0], ".1f"), "__format__", "3.0"),
])
def test_mode_sees_conversions(action, name, expected):
    t = fg.tensor([3.0, 4.0])
    mode = Recorder()
    with mode:
        got = action(t)
    assert got == expected
    assert mode.calls[-1][0].__name__ == name


def test_mode_sees_index_conversion():
    i = fg.tensor(1)
    result, (func, _, args, _) = _only_call(lambda: ["a", "b"][i])
    assert result == "b" and func.__name__ == "__index__" and args == (i,)


def test_mode_sees_numpy():
    t = fg.tensor([1.0, 2.0])
    result, (func, _, args, _) = _only_call(lambda: t.numpy())
    assert func.__name__ == "numpy" and args == (t,) and result.tolist() == [1.0, 2.0]


def test_mode_sees_backward_with_its_defaults():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).sum()
    _, (func, types, args, kwargs) = _only_call(lambda: y.backward())
    assert func.__name__ == "backward" and args == (y,) and types == (fg.Tensor,)
    assert kwargs == {"gradient": None, "retain_graph": None, "create_graph": False, "inputs": None}
    assert x.grad.tolist() == [3.0, 3.0]


def test_mode_sees_register_hook():
    x = fg.ones(1, requires_grad=True)

    def hook(g):
        return g

    _, (func, _, args, kwargs) = _only_call(lambda: x.register_hook(hook))
    assert func.__name__ == "register_hook" and args == (x, hook) and kwargs == {}


def test_mode_sees_the_reflected_method_it_can_compare():
    t = fg.ones(2)
    mode = Recorder()
    with mode:
        1 - t
        assert mode.calls[-1][0] is fg.Tensor.__rsub__


# ---- modes see property getters and setters ----------------------------------------------------
@pytest.mark.parametrize("name", ["shape", "T", "dtype", "grad", "data", "requires_grad", "is_leaf", "ndim",
                                  "device", "layout", "grad_fn", "real", "mT", "is_sparse", "nbytes"])
def test_mode_is_handed_the_property_getter(name):
    t = fg.ones(2, 2)
    expected = getattr(t, name)
    mode = Recorder()
    with mode:
        got = getattr(t, name)
        func, _, args, kwargs = mode.calls[0]
        assert func == getattr(fg.Tensor, name).__get__
    assert func.__name__ == "__get__" and args == (t,) and kwargs is None
    assert len(mode.calls) == 1
    assert type(got) is type(expected)


def test_mode_answer_replaces_a_property():
    t = fg.ones(2)
    with Answering():
        got = t.shape
    assert got[0] == "answered" and got[1].__name__ == "__get__" and got[2] == (t,)


@pytest.mark.parametrize(("name", "value"), [("requires_grad", True), ("data", "tensor")])
def test_mode_is_handed_the_property_setter(name, value):
    t = fg.ones(2)
    new = fg.zeros(2) if value == "tensor" else value
    mode = Recorder()
    with mode:
        setattr(t, name, new)
        func, _, args, _ = mode.calls[-1]
        assert func == getattr(fg.Tensor, name).__set__
    assert func.__name__ == "__set__" and args == (t, new)
    assert getattr(t, name) is True if value is True else t.tolist() == [0.0, 0.0]


# ---- subclasses ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["T", "data", "shape", "mT"])
def test_subclass_is_handed_the_property_getter(name):
    s = fg.ones(2, 2).as_subclass(Logged)
    Logged.log.clear()
    got = getattr(s, name)
    assert len(Logged.log) == 1 and Logged.log[0] == getattr(fg.Tensor, name).__get__
    if name != "shape":
        assert type(got) is Logged


@pytest.mark.parametrize(("action", "name"), [
    (lambda b: b + 1, "add"), (lambda b: 1 + b, "add"), (lambda b: 1 - b, "__rsub__"), (lambda b: b.abs(), "abs"),
    (lambda b: fg.abs(b), "abs"), (lambda b: b[0], "__getitem__"), (lambda b: b.sum(), "sum"),
])
def test_subclass_under_mode_mode_first_and_class_kept(action, name):
    b = fg.ones(2).as_subclass(Logged)
    mode = Recorder()
    Logged.log.clear()
    with mode:
        result = action(b)
    assert type(result) is Logged
    assert [c[0].__name__ for c in mode.calls] == [name]
    assert mode.calls[0][1] == (Logged,)
    assert [f.__name__ for f in Logged.log] == [name]


def test_subclass_property_under_mode():
    b = fg.ones(2, 2).as_subclass(Logged)
    mode = Recorder()
    Logged.log.clear()
    with mode:
        result = b.T
    assert type(result) is Logged
    assert [c[0].__name__ for c in mode.calls] == ["__get__"] and mode.calls[0][1] == (Logged,)
    assert Logged.log == [fg.Tensor.T.__get__]


# ---- the keywords handed ----------------------------------------------------------------------------
def test_builtin_hands_none_for_no_keywords():
    assert fg.abs(TensorLike())[4] is None
    assert fg.add(TensorLike(), 1)[4] is None
    assert fg.add(TensorLike(), 1, alpha=2)[4] == {"alpha": 2}
    mode = Recorder()
    t = fg.ones(1)
    with mode:
        fg.abs(t)
        t.abs()
        t.sum(0, keepdim=True)
    assert [c[3] for c in mode.calls] == [None, None, {"keepdim": True}]


def test_subclass_method_hands_none_for_no_keywords():
    seen = []

    class Keywords(fg.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            seen.append(kwargs)
            return super().__torch_function__(func, types, args, kwargs)

    s = fg.ones(1).as_subclass(Keywords)
    fg.abs(s)
    s.abs()
    fg.add(s, 1, alpha=2)
    assert seen == [None, None, {"alpha": 2}]


def test_python_function_hands_its_defaults():
    mode = Recorder()
    t = fg.ones(2)
    with mode:
        F.relu(t)
        F.softmax(t, 0)
    assert mode.calls[0][3] == {"inplace": False}
    assert mode.calls[1][2] == (t,) and mode.calls[1][3] == {"dim": 0, "_stacklevel": 3, "dtype": None}


@pytest.mark.parametrize("dim", [None, 1])
def test_log_softmax_hands_a_tensor_like_the_call(dim):
    kwargs = {} if dim is None else {"dim": dim}
    tag, func, types, args, handed = F.log_softmax(TensorLike(), **kwargs)
    assert tag == "handled" and func is F.log_softmax and types == (TensorLike,) and len(args) == 1
    assert handed == {"dim": dim, "_stacklevel": 3, "dtype": None}


def test_softmax_and_log_softmax_of_tensors_unchanged():
    t = fg.tensor([[1.0, 2.0], [3.0, 5.0]])
    assert fg.allclose(F.log_softmax(t, 1).exp(), F.softmax(t, 1))
    assert F.log_softmax(t, 1).grad_fn is None


# ---- out= given a number -------------------------------------------------------------------------
def test_out_number_is_a_zero_dim_tensor_for_arithmetic():
    t = fg.ones(2)
    for fn in (fg.add, fg.sub, fg.mul, fg.div, fg.true_divide, fg.floor_divide):
        with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired output type Long$"):
            fn(t, 1, out=3)
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired output type Bool$"):
        fg.add(t, 1, out=True)


def test_out_float_on_zero_dim_gives_a_double():
    s = fg.ones(())
    got = fg.add(s, 1, out=3.0)
    assert got.dtype == fg.float64 and got.item() == 2.0
    got = fg.mul(s, 2, out=1j)
    assert got.dtype == fg.complex128 and got.item() == 2 + 0j


def test_out_number_refused_elsewhere():
    with pytest.raises(TypeError, match=r"^sin\(\): argument 'out' must be Tensor, not int$"):
        fg.sin(fg.ones(2), out=3)
    with pytest.raises(TypeError, match=r"^sum\(\): argument 'out' must be Tensor, not float$"):
        fg.sum(fg.ones(2), 0, out=3.0)


# ---- return types --------------------------------------------------------------------------------
def test_return_type_errors_name_the_type_in_full():
    kind = fg.return_types.max
    assert kind.__name__ == "max"
    with pytest.raises(AttributeError, match=rf"^type object '{MOD}.return_types.max' has no attribute '_fields'$"):
        assert kind._fields is None  # never reached: the lookup raises
    with pytest.raises(TypeError, match=rf"^cannot set 'x' attribute of immutable type '{MOD}.return_types.max'$"):
        kind.x = 1
    result = fg.max(fg.tensor([1.0, 3.0]), 0)
    assert type(result) is kind and result.indices.item() == 1


# ---- the parser refuses before a mode or tensor-like sees the call ---------------------------------
def test_mode_does_not_see_a_call_the_parser_refuses():
    mode = Recorder()
    one = fg.ones(1)
    with mode, pytest.raises(TypeError, match=r"^linalg_norm\(\): argument 'input' \(position 1\) must be Tensor, "
                                             r"not int$"):
        fg.linalg.norm(1)
    with mode, pytest.raises(TypeError, match=r"^abs\(\) takes 1 positional argument but 2 were given$"):
        fg.abs(one, one)
    assert mode.calls == []


def test_mode_sees_numbers_where_the_parser_takes_them():
    mode = Recorder()
    with mode:
        got = fg.add(2, fg.ones(1))
    assert got.tolist() == [3.0] and [c[0].__name__ for c in mode.calls] == ["ones", "add"]


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.abs(TensorLike(), TensorLike()), r"^abs\(\) takes 1 positional argument but 2 were given$"),
    (lambda: fg.abs([TensorLike()]), r"^abs\(\): argument 'input' \(position 1\) must be Tensor, not list$"),
])
def test_tensor_like_not_handed_a_call_the_parser_refuses(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_tensor_like_handed_calls_the_parser_takes():
    assert fg.abs(TensorLike())[0] == "handled"
    tag, func, types, args, _ = fg.cat([TensorLike(), fg.ones(1)])
    assert tag == "handled" and func is fg.cat and types == (TensorLike,) and len(args[0]) == 2
