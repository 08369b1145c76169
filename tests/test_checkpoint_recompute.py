"""`utils.checkpoint(..., use_reentrant=False)` as PyTorch 2.13 runs it: the outputs keep
their own graph, the tensors the checkpointed ops save are not kept but recomputed by
rerunning the function once per backward pass (values observed in PyTorch)."""

import math

import ferrograd as fg
import numpy as np
import pytest

D = fg.float64
X = [0.5, 1.0, 2.0]


def expected_grad(v):
    """d/dv of exp(sin(v)) * v."""
    return math.exp(math.sin(v)) * (math.cos(v) * v + 1)


def counted(runs):
    def f(a):
        runs.append(1)
        return a.sin().exp() * a

    return f


def test_outputs_keep_their_own_grad_fn():
    x = fg.tensor(X, dtype=D, requires_grad=True)
    y = fg.utils.checkpoint.checkpoint(counted([]), x, use_reentrant=False)
    assert type(y.grad_fn).__name__ == "MulBackward0"
    assert [type(n).__name__ for n, _ in y.grad_fn.next_functions] == ["ExpBackward0", "AccumulateGrad"]


def test_each_backward_reruns_the_function_once():
    runs = []
    x = fg.tensor(X, dtype=D, requires_grad=True)
    y = fg.utils.checkpoint.checkpoint(counted(runs), x, use_reentrant=False)
    assert len(runs) == 1
    y.sum().backward(retain_graph=True)
    assert len(runs) == 2
    np.testing.assert_allclose(x.grad.numpy(), [expected_grad(v) for v in X], rtol=1e-12)
    y.sum().backward()
    assert len(runs) == 3
    np.testing.assert_allclose(x.grad.numpy(), [2 * expected_grad(v) for v in X], rtol=1e-12)


def test_the_graph_holds_no_saved_bytes_for_the_checkpointed_ops():
    x = fg.ones(1000, dtype=D, requires_grad=True)
    before = fg.autograd.graph_stats()["saved_bytes"]
    plain = x.sin().exp() * x
    held_plain = fg.autograd.graph_stats()["saved_bytes"] - before
    del plain
    y = fg.utils.checkpoint.checkpoint(counted([]), x, use_reentrant=False)
    held_checkpointed = fg.autograd.graph_stats()["saved_bytes"] - before
    assert held_plain >= 3 * 8000  # sin's input, exp's result, the product's operands
    assert held_checkpointed == 0
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [expected_grad(1.0)] * 1000, rtol=1e-12)


def test_parameters_used_inside_get_gradients_without_inputs_that_require_grad():
    w = fg.tensor([2.0], dtype=D, requires_grad=True)
    z = fg.utils.checkpoint.checkpoint(lambda a: (a * w).tanh(), fg.ones(3, dtype=D), use_reentrant=False)
    assert type(z.grad_fn).__name__ == "TanhBackward0" and z.requires_grad
    z.sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), [3 * (1 - math.tanh(2.0) ** 2)], rtol=1e-12)


def test_random_ops_draw_the_same_numbers_in_the_rerun():
    fg.manual_seed(0)
    x = fg.ones(64, dtype=D, requires_grad=True)
    y = fg.utils.checkpoint.checkpoint(
        lambda a: fg.nn.functional.dropout(a * 3, 0.5) * a, x, use_reentrant=False)
    kept = (y != 0).numpy()
    y.sum().backward()
    # d/da of dropout(3a) * a = mask * 2 * 3a * 2 at a = 1 where kept (scale 1 / (1 - 0.5))
    np.testing.assert_array_equal(x.grad.numpy(), np.where(kept, 12.0, 0.0))


def test_fewer_saved_tensors_in_the_rerun_is_an_error():
    calls = []

    def shrinking(a):
        calls.append(1)
        return a.exp().exp() if len(calls) == 1 else a.exp() + 1

    x = fg.tensor(X, dtype=D, requires_grad=True)
    with pytest.raises(RuntimeError, match="different number of tensors"):
        fg.utils.checkpoint.checkpoint(shrinking, x, use_reentrant=False).sum().backward()
