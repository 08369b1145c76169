"""`+=`, `-=`, `*=`, `/=` and `add_`/`sub_` written straight into the tensor when nothing
is recorded (an optimizer step under no_grad), against NumPy: values, the version
counter, views and shared memory, the same tensor on both sides, and the recorded path
left as it was (grad_fn names, errors)."""

from __future__ import annotations

import operator

import numpy as np
import pytest
from backend import fg

OPS = {
    "iadd": (operator.iadd, np.add),
    "isub": (operator.isub, np.subtract),
    "imul": (operator.imul, np.multiply),
    "itruediv": (operator.itruediv, np.divide),
}


def _arrays(n, dtype, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-2, 2, n).astype(dtype)
    b = rng.uniform(0.5, 2, n).astype(dtype) * rng.choice([-1, 1], n).astype(dtype)
    return a, b


@pytest.mark.parametrize("name", sorted(OPS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [1, 7, 64, 1000, 300_001])
def test_values_match_numpy_bit_for_bit(name, dtype, n):
    op, ref = OPS[name]
    a, b = _arrays(n, dtype)
    t, u = fg.tensor(a), fg.tensor(b)
    v0 = t._version
    with fg.no_grad():
        r = op(t, u)
    assert r is t
    want = ref(a, b)
    np.testing.assert_array_equal(t.numpy(), want)
    assert t._version == v0 + 1
    np.testing.assert_array_equal(u.numpy(), b)  # the operand is untouched


@pytest.mark.parametrize("name", sorted(OPS))
def test_the_same_tensor_on_both_sides(name):
    op, ref = OPS[name]
    a, _ = _arrays(50, np.float32, 1)
    t = fg.tensor(a)
    with fg.no_grad():
        op(t, t)
    np.testing.assert_array_equal(t.numpy(), ref(a, a))


def test_sgd_update_of_a_parameter_and_its_views():
    w = fg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    (w * w).sum().backward()
    view = w.detach()[1]
    with fg.no_grad():
        w -= 0.5 * w.grad
    np.testing.assert_array_equal(w.detach().numpy(), [[0.0, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(view.numpy(), [0.0, 0.0])  # shares w's memory
    assert w.requires_grad and w.is_leaf and w.grad_fn is None


def test_a_row_of_a_matrix_updated_in_place_and_a_strided_one():
    m = fg.tensor(np.arange(12, dtype=np.float32).reshape(3, 4))
    with fg.no_grad():
        row = m[1]
        row += fg.tensor([10.0, 20.0, 30.0, 40.0])
        col = m[:, 2]  # not contiguous: the general path
        col *= fg.tensor([2.0, 3.0, 4.0])
    want = np.arange(12, dtype=np.float32).reshape(3, 4)
    want[1] += [10, 20, 30, 40]
    want[:, 2] *= [2, 3, 4]
    np.testing.assert_array_equal(m.numpy(), want)


def test_broadcast_and_promoted_operands_keep_their_results():
    t = fg.tensor([[1.0, 2.0], [3.0, 4.0]])
    t += fg.tensor([1.0, -1.0])
    t -= fg.tensor([[1, 1], [1, 1]])  # int64 operand
    t *= 2
    np.testing.assert_array_equal(t.numpy(), [[2.0, 0.0], [6.0, 4.0]])
    assert t.dtype == fg.float32


def test_add_and_sub_methods_with_and_without_alpha():
    t = fg.tensor([1.0, 2.0, 3.0])
    u = fg.tensor([0.5, 0.25, 4.0])
    assert t.add_(u) is t
    np.testing.assert_array_equal(t.numpy(), np.float32([1.5, 2.25, 7.0]))
    t.sub_(u, alpha=2)
    np.testing.assert_array_equal(t.numpy(), np.float32([0.5, 1.75, -1.0]))
    t.sub_(u)
    np.testing.assert_array_equal(t.numpy(), np.float32([0.0, 1.5, -5.0]))


def test_recorded_in_place_ops_keep_their_nodes():
    x = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    y += fg.tensor([1.0, 1.0, 1.0])
    assert type(y.grad_fn).__name__ == "AddBackward0"
    y *= fg.tensor([2.0, 3.0, 4.0])
    assert type(y.grad_fn).__name__ == "MulBackward0"
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 3.0, 4.0])


def test_a_leaf_that_requires_grad_is_still_refused():
    w = fg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w -= fg.tensor([1.0, 1.0])


def test_an_operand_that_requires_grad_is_recorded():
    t = fg.tensor([1.0, 2.0])
    u = fg.tensor([3.0, 4.0], requires_grad=True)
    t += u
    assert t.requires_grad and type(t.grad_fn).__name__ == "AddBackward0"
    t.sum().backward()
    np.testing.assert_array_equal(u.grad.numpy(), [1.0, 1.0])


def test_partial_overlap_is_refused():
    base = fg.arange(6, dtype=fg.float32)
    with pytest.raises(RuntimeError, match="unsupported operation"):
        base[1:] += base[:-1]


def test_a_tensor_saved_for_backward_reports_the_write():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()  # saves its output
    with fg.no_grad():
        alias = y.detach()  # shares y's memory and version counter
        alias += fg.tensor([1.0, 1.0])
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
