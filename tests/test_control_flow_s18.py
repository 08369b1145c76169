"""`while_loop` run eagerly with PyTorch's checks, and `random.thread_safe_generator`
outside DataLoader thread workers."""

from __future__ import annotations

import numpy as np
import pytest
from backend import fg


def _below_three(i, x):
    return i < 3


def _double(i, x):
    return i + 1, x * 2


def test_while_loop_runs_the_body_until_the_condition_fails():
    i, x = fg.while_loop(_below_three, _double, (fg.tensor(0), fg.ones(2)))
    assert int(i) == 3
    np.testing.assert_array_equal(x.numpy(), [8.0, 8.0])
    count, y = fg.while_loop(_below_three, _double, (0, fg.ones(2)))
    assert count == 3
    assert isinstance(count, int)
    np.testing.assert_array_equal(y.numpy(), [8.0, 8.0])


def test_while_loop_gradient_and_no_iteration():
    x = fg.ones(2, requires_grad=True)
    _, y = fg.while_loop(_below_three, _double, (fg.tensor(0), x))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [8.0, 8.0])
    i, z = fg.while_loop(lambda i, x: i > 5, _double, (fg.tensor(0), x))
    assert int(i) == 0
    assert z is not x
    np.testing.assert_array_equal(z.detach().numpy(), [1.0, 1.0])


def _tensor_pair():
    return (fg.tensor(0), fg.ones(2))


@pytest.mark.parametrize(
    ("cond_fn", "body_fn", "make_carried"),
    [
        (_below_three, 3, lambda: (1,)),
        (lambda i, x: (i < 3).float(), _double, _tensor_pair),
        (_below_three, lambda i, x: (i + 1,), _tensor_pair),
        (_below_three, lambda i, x: (i + 1, x.sum()), _tensor_pair),
    ],
)
def test_while_loop_bad_arguments_raise_runtime_error(cond_fn, body_fn, make_carried):
    with pytest.raises(RuntimeError):
        fg.while_loop(cond_fn, body_fn, make_carried())


def test_thread_safe_generator_is_none_outside_thread_workers():
    assert fg.random.thread_safe_generator() is None


def test_while_loop_refuses_leaves_other_than_tensors_and_ints():
    with pytest.raises(AssertionError, match="can only be of"):
        fg.while_loop(_below_three, _double, (1.5, "x"))
