"""A leaf's first `.grad` is the incoming gradient itself only when nothing else holds
it (PyTorch's AccumulateGrad steals an unshared gradient and copies a shared one), and
in-place writes of a fresh result land in the tensor without changing other tensors."""

import ferrograd as fg
import numpy as np


def test_a_gradient_the_caller_passed_is_copied_into_grad():
    x = fg.ones(3, requires_grad=True)
    g = fg.full((3,), 2.0)
    x.backward(g)
    assert x.grad is not g
    assert x.grad.data_ptr() != g.data_ptr()
    g += 1
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0, 2.0])


def test_a_gradient_a_hook_returned_and_still_holds_is_copied():
    x = fg.ones(3, requires_grad=True)
    h = fg.full((3,), 5.0)
    x.register_hook(lambda g: h)
    (x * 2).sum().backward()
    assert x.grad.data_ptr() != h.data_ptr()
    h += 1
    np.testing.assert_array_equal(x.grad.numpy(), [5.0, 5.0, 5.0])


def test_gradients_of_a_training_step_are_right_and_independent():
    w = fg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = fg.tensor([0.5, -0.5], requires_grad=True)
    x = fg.tensor([[1.0, -1.0], [2.0, 0.5]])
    loss = (x @ w + b).relu().sum()
    loss.backward()
    np.testing.assert_allclose(w.grad.numpy(), [[2.0, 2.0], [0.5, 0.5]])
    np.testing.assert_allclose(b.grad.numpy(), [1.0, 1.0])
    assert w.grad.data_ptr() != b.grad.data_ptr()
    first = w.grad.clone()
    (x @ w + b).relu().sum().backward()  # accumulates into the stored gradient
    np.testing.assert_allclose(w.grad.numpy(), 2 * first.numpy())


def test_post_accumulate_hook_sees_the_stored_gradient():
    x = fg.ones(2, requires_grad=True)
    seen = []
    x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.clone()))
    (x * 3).sum().backward()
    np.testing.assert_array_equal(seen[0].numpy(), [3.0, 3.0])
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])


def test_grad_of_a_transposed_use_follows_the_leafs_strides():
    w = fg.ones(2, 2, requires_grad=True)
    (w.t() * 1).sum().backward()
    assert w.grad.stride() == (2, 1)
    np.testing.assert_array_equal(w.grad.numpy(), np.ones((2, 2)))


def test_sgd_step_in_place_updates_only_the_parameter():
    p = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (p * p).sum().backward()
    g = p.grad
    with fg.no_grad():
        p -= 0.5 * p.grad
    np.testing.assert_allclose(p.detach().numpy(), [0.0, 0.0, 0.0])
    np.testing.assert_allclose(g.numpy(), [2.0, 4.0, 6.0])
    assert p._version == 1


def test_in_place_write_into_a_slice_leaves_the_rest():
    base = fg.arange(8.0)
    view = base[2:6]
    view *= fg.full((4,), 10.0)
    np.testing.assert_array_equal(base.numpy(), [0, 1, 20, 30, 40, 50, 6, 7])


def test_fused_activation_backwards_match_their_formulas():
    rng = np.random.default_rng(3)
    values = rng.standard_normal(67).astype(np.float32)
    values[::9] = 0.0
    upstream = rng.standard_normal(67).astype(np.float32)
    for name, formula in [
        ("relu", lambda y: (y > 0).astype(np.float32)),
        ("tanh", lambda y: 1 - y * y),
        ("sigmoid", lambda y: y * (1 - y)),
    ]:
        x = fg.tensor(values, requires_grad=True)
        y = getattr(x, name)()
        y.backward(fg.tensor(upstream))
        want = upstream * formula(y.detach().numpy())
        np.testing.assert_allclose(x.grad.numpy(), want, rtol=1e-6, atol=1e-7, err_msg=name)
