"""The fast paths of session 21's speed work, against values computed by hand: a region
of n threads run by the caller and n - 1 pool threads, the scalar backward engine's
borrowed nodes and saved values, and contiguous layouts of fresh results."""

import math

import numpy as np
import pytest
from backend import fg


@pytest.fixture
def restore_threads():
    before = fg.get_num_threads()
    yield
    fg.set_num_threads(before)


def _data(shape, seed):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, size=shape).astype(np.float32)


# --------------------------------------------------------------------------- threads


@pytest.mark.parametrize("threads", [2, 3])
def test_a_split_product_matches_one_thread_and_numpy(threads, restore_threads):
    # 520 x 600 x 530: more multiply-adds than the GEMM's split threshold, odd edges
    a, b = _data((520, 600), 1), _data((600, 530), 2)
    fa, fb = fg.tensor(a), fg.tensor(b)
    fg.set_num_threads(1)
    one = (fa @ fb).numpy()
    fg.set_num_threads(threads)
    split = (fa @ fb).numpy()
    np.testing.assert_array_equal(split, one)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    np.testing.assert_allclose(split, ref, rtol=1e-4, atol=1e-4)


def test_changing_the_count_between_products_keeps_the_values(restore_threads):
    a, b = _data((512, 512), 3), _data((512, 512), 4)
    fa, fb = fg.tensor(a), fg.tensor(b)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    for n in (2, 1, 3, 2, 4, 2):
        fg.set_num_threads(n)
        assert fg.get_num_threads() == n
        np.testing.assert_allclose((fa @ fb).numpy(), ref, rtol=1e-4, atol=1e-4)


def test_split_elementwise_work_and_its_backward_on_two_threads(restore_threads):
    fg.set_num_threads(2)
    x_np = _data((1 << 19) + 5, 5)
    x = fg.tensor(x_np, requires_grad=True)
    y = (x * 0.5 + 1.0).tanh()
    y.sum().backward()
    t = np.tanh(x_np.astype(np.float64) * 0.5 + 1.0)
    np.testing.assert_allclose(y.detach().numpy(), t, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(x.grad.numpy(), 0.5 * (1 - t * t), rtol=1e-4, atol=1e-6)


# --------------------------------------------------------------------------- scalar graph


def _chain_reference(values, steps):
    """`v = tanh(v * p[i % n] + p[(3 i) % n])` from `v = p[0]` and its gradients, in
    float64 by hand (forward values kept for the reverse pass)."""
    n = len(values)
    grads = [0.0] * n
    tape = []
    v = values[0]
    for i in range(steps):
        p, q = i % n, (3 * i) % n
        y = math.tanh(v * values[p] + values[q])
        tape.append((v, p, q, y))
        v = y
    g = 1.0
    for v_in, p, q, y in reversed(tape):
        d = g * (1 - y * y)
        grads[p] += d * v_in
        grads[q] += d
        g = d * values[p]
    grads[0] += g
    return v, grads


def _chain(params, steps):
    v = params[0]
    for i in range(steps):
        n = len(params)
        v = (v * params[i % n] + params[(3 * i) % n]).tanh()
    return v


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_scalar_graph_backward_matches_the_hand_derivation(dtype):
    values = [0.3, -0.8, 0.55, 0.1, -0.25, 0.9, -0.4]
    params = [fg.tensor(v, dtype=getattr(fg, dtype), requires_grad=True) for v in values]
    out = _chain(params, 60)
    out.backward()
    v_ref, g_ref = _chain_reference(values, 60)
    tol = 1e-4 if dtype == "float32" else 1e-12
    assert abs(out.item() - v_ref) < tol
    for p, g in zip(params, g_ref):
        assert p.grad.shape == ()
        assert abs(p.grad.item() - g) < tol * max(1.0, abs(g))


def test_a_scalar_graph_accumulates_over_passes_and_refuses_a_freed_one():
    values = [0.2, -0.6, 0.75]
    params = [fg.tensor(v, dtype=fg.float64, requires_grad=True) for v in values]
    _, g_ref = _chain_reference(values, 20)
    out = _chain(params, 20)
    out.backward(retain_graph=True)
    out.backward()
    for p, g in zip(params, g_ref):
        assert abs(p.grad.item() - 2 * g) < 1e-12 * max(1.0, abs(g))
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        out.backward()


# --------------------------------------------------------------------------- layouts


@pytest.mark.parametrize(
    "shape",
    [(), (5,), (0, 3), (2, 1, 4), (2, 0, 3), (1, 1, 1, 1, 1, 7), (2, 3, 1, 2, 2, 2, 3)],
)
def test_fresh_results_have_row_major_strides(shape):
    x = fg.ones(shape) + fg.ones(shape)
    expected = []
    acc = 1
    for d in reversed(shape):
        expected.append(acc)
        acc *= max(d, 1)
    assert x.stride() == tuple(reversed(expected))
    assert x.is_contiguous()
    assert tuple(x.shape) == shape
