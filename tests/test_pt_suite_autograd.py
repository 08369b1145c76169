"""Autograd behaviours from PyTorch's own test files (test_autograd.py and friends) that
differed in ferrograd: hook return values, gradient-list lengths, multi-grad hooks.
Expected values and exception types are what PyTorch 2.13 does.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import pytest
from backend import fg


def _leaf():
    return fg.tensor([1.0, 2.0], requires_grad=True)


# --- post-accumulate-grad hooks: what they may return ------------------------------------


def test_post_accumulate_hook_may_return_the_tensor_itself():
    x = _leaf()
    x.register_post_accumulate_grad_hook(lambda t: t)
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_post_accumulate_hook_returning_a_number_is_a_type_error():
    x = _leaf()
    x.register_post_accumulate_grad_hook(lambda t: 5)
    with pytest.raises(TypeError, match="hook returned 'int'"):
        (x * 3).sum().backward()


def test_post_accumulate_hook_returning_another_tensor_is_refused():
    x = _leaf()
    x.register_post_accumulate_grad_hook(lambda t: fg.zeros(2))
    with pytest.raises(RuntimeError, match="should return None"):
        (x * 3).sum().backward()


# --- gradient lists longer than the tensors: extra entries are dropped (zip) ------------


def test_backward_ignores_gradients_past_the_last_tensor():
    x = _leaf()
    fg.autograd.backward([(x * 2).sum()], [None, None])
    assert x.grad.tolist() == [2.0, 2.0]


def test_backward_still_refuses_too_few_gradients():
    x = _leaf()
    with pytest.raises(RuntimeError, match="got 2 tensors and 1 gradients"):
        fg.autograd.backward([(x * 2).sum(), (x * 3).sum()], [None])


def test_grad_ignores_grad_outputs_past_the_last_output():
    x = _leaf()
    (g,) = fg.autograd.grad([(x * 2).sum()], x, [None, None])
    assert g.tolist() == [2.0, 2.0]


# --- register_multi_grad_hook hands a list --------------------------------------------


def test_multi_grad_hook_all_mode_receives_a_list():
    x = _leaf()
    w = fg.tensor([3.0, 4.0], requires_grad=True)
    seen = []
    fg.autograd.graph.register_multi_grad_hook((x, w), seen.append)
    (x * w).sum().backward()
    (grads,) = seen
    assert type(grads) is list
    assert [g.tolist() for g in grads] == [[3.0, 4.0], [1.0, 2.0]]


def test_multi_grad_hook_all_mode_marks_unreached_tensors_none():
    x = _leaf()
    w = fg.tensor([3.0, 4.0], requires_grad=True)
    seen = []
    fg.autograd.graph.register_multi_grad_hook((x, w), seen.append)
    (x * 2).sum().backward()
    (grads,) = seen
    assert type(grads) is list
    assert grads[0].tolist() == [2.0, 2.0]
    assert grads[1] is None
