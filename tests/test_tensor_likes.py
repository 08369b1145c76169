"""Objects that are not tensors but define `__torch_function__` (PyTorch's "Extending torch
with a Tensor-like type"): ferrograd's functions, operators and methods hand them the call.
The ScalarTensor below is the example of PyTorch's documentation.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import pytest
from backend import MOD, fg

F = fg.nn.functional
HANDLED = {}


def implements(func):
    def register(impl):
        HANDLED[func] = impl
        return impl

    return register


class ScalarTensor:
    """An N x N diagonal matrix of one value, that `mean` and `add` know."""

    def __init__(self, n, value):
        self._n, self._value = n, value

    def tensor(self):
        return self._value * fg.eye(self._n)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func not in HANDLED or not all(issubclass(t, (fg.Tensor, ScalarTensor)) for t in types):
            return NotImplemented
        return HANDLED[func](*args, **(kwargs or {}))


@implements(fg.mean)
def _mean(input):
    return float(input._value) / input._n


@implements(fg.add)
def _add(input, other, alpha=1):
    as_tensor = [a.tensor() if isinstance(a, ScalarTensor) else a for a in (input, other)]
    return fg.add(*as_tensor, alpha=alpha)  # a call made inside __torch_function__ runs normally


class Recorder:
    """Returns what it was called with."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return func, types, args, kwargs or {}


def test_the_documented_scalar_tensor():
    assert fg.mean(ScalarTensor(5, 2)) == 0.4
    r = fg.add(ScalarTensor(2, 2), fg.ones(2, 2), alpha=3)
    assert r.tolist() == [[5.0, 3.0], [3.0, 5.0]]


def test_a_function_no_type_implements_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match=rf"^Multiple dispatch failed for '{MOD}\.exp'; all __torch_function__ "
                                        r"handlers returned NotImplemented:\n\n  - tensor subclass <class "
                                        r"'.*ScalarTensor'>\n\nFor more information"):
        fg.exp(ScalarTensor(2, 1))


def test_an_operator_every_type_declines_is_pythons_type_error():
    with pytest.raises(TypeError, match="unsupported operand type"):
        fg.ones(1) - ScalarTensor(2, 1)


@pytest.mark.parametrize(("call", "func", "n_args"), [
    (lambda t: fg.add(t, 2), "add", 2),
    (lambda t: fg.add(fg.ones(2), t, alpha=2), "add", 2),
    (lambda t: fg.mean(t), "mean", 1),
    (lambda t: fg.exp(t), "exp", 1),
    (lambda t: fg.matmul(t, t), "matmul", 2),
    (lambda t: fg.sum(t), "sum", 1),
    (lambda t: fg.reshape(t, (2,)), "reshape", 2),
    (lambda t: fg.where(fg.ones(2) > 0, t, fg.ones(2)), "where", 3),
    (lambda t: fg.cat([t, fg.ones(1)]), "cat", 1),
    (lambda t: fg.stack([t]), "stack", 1),
    (lambda t: fg.ones_like(t), "ones_like", 1),
    (lambda t: fg.zeros_like(t), "zeros_like", 1),
    (lambda t: fg.clamp(t, 0, 1), "clamp", 3),
    (lambda t: fg.maximum(t, fg.ones(1)), "maximum", 2),
    (lambda t: fg.sigmoid(t), "sigmoid", 1),
    (lambda t: fg.flatten(t), "flatten", 1),
    (lambda t: F.relu(t), "relu", 1),
    (lambda t: F.linear(t, fg.ones(2, 2)), "linear", 2),
    (lambda t: F.gelu(t), "gelu", 1),
])
def test_functions_hand_a_tensor_like_the_call(call, func, n_args):
    got_func, types, args, _ = call(Recorder())
    assert got_func.__name__ == func and types == (Recorder,) and len(args) == n_args


@pytest.mark.parametrize(("call", "public"), [
    (lambda t: fg.mean(t), lambda: fg.mean),
    (lambda t: fg.add(t, 1), lambda: fg.add),
    (lambda t: fg.linalg.norm(t), lambda: fg.linalg.norm),
    (lambda t: F.relu(t), lambda: F.relu),
    (lambda t: fg.cat([t]), lambda: fg.cat),
])
def test_the_function_handed_over_is_the_public_one(call, public):
    assert call(Recorder())[0] is public()


def test_keyword_arguments_are_handed_over():
    _, _, args, kwargs = fg.add(fg.ones(1), Recorder(), alpha=2)
    assert kwargs == {"alpha": 2} and isinstance(args[0], fg.Tensor)


@pytest.mark.parametrize(("expr", "method"), [
    (lambda x, t: x + t, "add"), (lambda x, t: t + x, "add"), (lambda x, t: x - t, "sub"),
    (lambda x, t: x * t, "mul"), (lambda x, t: t * x, "mul"), (lambda x, t: x / t, "div"),
    (lambda x, t: t - x, "__rsub__"),
])
def test_operators_hand_a_tensor_like_the_tensor_method(expr, method):
    x = fg.ones(1)
    func, _, args, _ = expr(x, Recorder())
    assert func is getattr(fg.Tensor, method)
    assert args[0] is x and isinstance(args[1], Recorder)


def test_the_most_derived_type_is_asked_first():
    class Base:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return "base"

    class Derived(Base):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return "derived"

    assert fg.add(Base(), Derived()) == "derived"


def test_a_type_answering_not_implemented_passes_the_call_on():
    class Declines:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return NotImplemented

    assert fg.add(Declines(), Recorder())[0] is fg.add


def test_objects_without_torch_function_get_the_usual_errors():
    class Plain:
        pass

    with pytest.raises(TypeError, match=r"mean\(\): argument 'input' \(position 1\) must be Tensor, not Plain"):
        fg.mean(Plain())
    with pytest.raises(TypeError, match="unsupported operand"):
        fg.ones(1) + Plain()


def test_tensors_still_compute():
    assert fg.add(fg.ones(2), 1).tolist() == [2.0, 2.0]
    assert fg.linalg.norm(fg.tensor([3.0, 4.0])).item() == 5.0
