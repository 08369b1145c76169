"""Gradients reaching one node along several paths are summed in place when only the
backward pass holds the running sum (PyTorch's InputBuffer), and a leaf's `.grad` is
accumulated into in place; a gradient anyone else holds is never written into. Tensors
get their version counter on first need: versions, views and `.data` keep PyTorch's
rules."""

import ferrograd as fg
import numpy as np


def test_a_leaf_used_many_times_gets_the_sum_of_its_gradients():
    ps = [fg.tensor(v, requires_grad=True) for v in (0.5, -0.25, 0.75)]
    v = ps[0]
    for i in range(30):
        v = (v * ps[i % 3] + ps[(i + 1) % 3]).tanh()
    v.backward()
    # the same graph in float64 NumPy with a hand-written reverse pass
    vals = [0.5, -0.25, 0.75]
    xs, ys = [], []
    cur = vals[0]
    for i in range(30):
        a, b = vals[i % 3], vals[(i + 1) % 3]
        xs.append(cur)
        cur = np.tanh(np.float32(cur) * np.float32(a) + np.float32(b))
        ys.append(cur)
    grads = [0.0, 0.0, 0.0]
    g = 1.0
    for i in reversed(range(30)):
        d = g * (1 - ys[i] ** 2)
        grads[i % 3] += d * xs[i]
        grads[(i + 1) % 3] += d
        g = d * vals[i % 3]
    grads[0] += g
    got = [p.grad.item() for p in ps]
    np.testing.assert_allclose(got, grads, rtol=1e-4, atol=1e-6)


def test_a_gradient_a_node_hook_keeps_is_not_summed_into():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    a = x.exp()
    b = a * 3
    c = a * 5
    kept = []
    b.grad_fn.register_hook(lambda grad_in, grad_out: kept.append(grad_in[0]))
    (b + c).sum().backward()
    # `a`'s buffer got b's gradient first, then c's: the kept one must not change
    np.testing.assert_array_equal(kept[0].numpy(), [3.0, 3.0])
    np.testing.assert_allclose(x.grad.numpy(), 8 * np.exp([1.0, 2.0]), rtol=1e-6)


def test_grad_is_accumulated_in_place_and_stays_the_same_tensor():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).sum().backward()
    g = x.grad
    version = g._version
    (x * 3).sum().backward()
    assert x.grad is g
    np.testing.assert_array_equal(g.numpy(), [5.0, 5.0])
    assert g._version == version + 1


def test_grad_sums_under_create_graph_are_out_of_place():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward(create_graph=True)
    first = x.grad
    (x * x).sum().backward(create_graph=True)
    assert x.grad is not first
    np.testing.assert_array_equal(first.detach().numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(x.grad.detach().numpy(), [4.0, 8.0])
    x.grad = None  # create_graph leaves a leaf -> grad -> graph -> leaf cycle (as PyTorch)


def test_float64_and_large_gradients_sum_right():
    for dtype, n in ((fg.float64, 5), (fg.float32, 70000)):
        x = fg.ones(n, dtype=dtype, requires_grad=True)
        y = x * 2
        (y + y * 3 + y.exp()).sum().backward()
        want = 2 + 6 + 2 * np.exp(2.0)
        np.testing.assert_allclose(x.grad.numpy(), np.full(n, want), rtol=1e-6)
        assert x.grad.dtype == dtype


def test_versions_of_fresh_results_views_and_data():
    a = fg.ones(3) + 1
    assert a._version == 0
    v = a[1:]
    w = a.view(3)
    d = a.detach()
    data = a.data
    a.add_(1)
    assert (a._version, v._version, w._version, d._version) == (1, 1, 1, 1)
    assert data._version == 0
    v.mul_(2)
    assert (a._version, d._version) == (2, 2)
    data.zero_()
    assert data._version == 1 and a._version == 2
    b = fg.ones(2) * 2
    b2 = b.detach()
    b2.add_(1)
    assert b._version == 1


def test_a_saved_tensor_written_in_place_is_caught():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    try:
        y.sum().backward()
    except RuntimeError as e:
        assert "modified by an inplace operation" in str(e)
    else:
        raise AssertionError("backward through a modified saved tensor must fail")


def test_inference_tensors_keep_their_flag_without_a_counter():
    with fg.inference_mode():
        t = fg.ones(2) + 1
    assert t.is_inference()
    u = fg.ones(2) + 1
    assert not u.is_inference()
    try:
        t.add_(1)
    except RuntimeError as e:
        assert "Inplace update to inference tensor outside InferenceMode" in str(e)
    else:
        raise AssertionError("in-place on an inference tensor outside inference mode")
