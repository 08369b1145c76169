"""Functions that run their Tensor method for plain calls (`_function_fast_path`) still
behave as the functions: the same results, the function's errors, and the function (not
the method) handed to `__torch_function__` and modes (expected outcomes from PyTorch 2.13)."""

import ferrograd as fg
import numpy as np
import pytest
from ferrograd import _function_fast_path

F = fg.nn.functional


def test_every_listed_name_is_a_function_and_a_method():
    for namespace, table in ((fg, _function_fast_path.TOP_LEVEL), (F, _function_fast_path.NN_FUNCTIONAL)):
        for name, most in table.items():
            assert callable(getattr(namespace, name)) and callable(getattr(fg.Tensor, name)), name
            assert most[0] in (1, 2, 3) and set(most[1].split()) <= {"dim", "keepdim", "dtype", "alpha"}


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda x, y: fg.add(x, y), [[2.0, 4.0], [6.0, 8.0]]),
        (lambda x, y: fg.mul(x, 2), [[2.0, 4.0], [6.0, 8.0]]),
        (lambda x, y: fg.sum(x, 0), [4.0, 6.0]),
        (lambda x, y: fg.matmul(x, y), [[7.0, 10.0], [15.0, 22.0]]),
        (lambda x, y: fg.transpose(x, 0, 1), [[1.0, 3.0], [2.0, 4.0]]),
        (lambda x, y: F.relu(x - 2), [[0.0, 0.0], [1.0, 2.0]]),
        (lambda x, y: F.softmax(fg.log(x), 1), [[1 / 3, 2 / 3], [3 / 7, 4 / 7]]),
    ],
)
def test_results_are_the_functions(call, expected):
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = call(x, x.clone())
    np.testing.assert_allclose(out.tolist(), expected, rtol=1e-6)


def test_gradients_flow_through_the_method_path():
    x = fg.tensor([0.5, 1.0], requires_grad=True)
    y = fg.sum(fg.mul(fg.tanh(x), 3))
    assert type(y.grad_fn).__name__ == "SumBackward0"
    y.backward()
    t = [0.46211715726000974, 0.7615941559557649]
    assert x.grad.tolist() == pytest.approx([3 * (1 - v * v) for v in t])


@pytest.mark.parametrize(
    ("call", "kind", "message"),
    [
        (lambda x: fg.add(x, fg.ones(3)), RuntimeError,
         "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1"),
        (lambda x: fg.sum(x, dim=5), IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 5)"),
        (lambda x: fg.cos(x, 1), TypeError, "cos() takes 1 positional argument but 2 were given"),
        (lambda x: fg.sum(x, 5), IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 5)"),
        (lambda x: fg.matmul(x, fg.ones(3)), RuntimeError, "size mismatch, got input (2), mat (2x2), vec (3)"),
    ],
)
def test_refused_calls_raise_the_functions_errors(call, kind, message):
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(kind) as caught:
        call(x)
    assert str(caught.value) == message


def test_a_tensor_like_argument_is_handed_the_function():
    seen = []

    class Like:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            seen.append(func)
            return "handled"

    x = fg.ones(2)
    assert fg.add(x, Like()) == "handled"
    assert fg.sub(x, Like()) == "handled"
    assert seen == [fg.add, fg.sub]


def test_a_mode_sees_the_function():
    seen = []

    class Mode(fg.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            seen.append(func)
            return func(*args, **(kwargs or {}))

    x = fg.ones(2)
    with Mode():
        fg.cos(x)
        F.relu(x)
    assert seen == [fg.cos, F.relu]
