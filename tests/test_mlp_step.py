"""The MLP training step of `benches/compare.py` (784-256-10, MSE, SGD under no_grad)
against the same step written by hand in NumPy (float64), and the matrix products it runs
at its shapes: every operand layout (transposed, strided, offset), products written into
fresh buffers that held NaN before, empty and k = 0 products."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from backend import fg

IN, HID, OUT, BATCH, LR = 784, 256, 10, 128, 0.01


def _data(seed=3):
    rng = np.random.default_rng(seed)
    f32 = np.float32
    return (
        rng.uniform(0, 1, (BATCH, IN)).astype(f32),
        rng.uniform(-1, 1, (BATCH, OUT)).astype(f32),
        [
            rng.uniform(-(IN**-0.5), IN**-0.5, (IN, HID)).astype(f32),
            rng.uniform(-0.1, 0.1, HID).astype(f32),
            rng.uniform(-(HID**-0.5), HID**-0.5, (HID, OUT)).astype(f32),
            rng.uniform(-0.1, 0.1, OUT).astype(f32),
        ],
    )


def _numpy_step(x, target, params):
    """One step in float64: the loss, the gradients, the updated parameters."""
    w1, b1, w2, b2 = (p.astype(np.float64) for p in params)
    x, target = x.astype(np.float64), target.astype(np.float64)
    z1 = x @ w1 + b1
    h = np.maximum(z1, 0)
    d = h @ w2 + b2 - target
    loss = (d * d).mean()
    dl = d * (2.0 / d.size)
    dz1 = (dl @ w2.T) * (z1 > 0)
    grads = [x.T @ dz1, dz1.sum(0), h.T @ dl, dl.sum(0)]
    return loss, grads, [p - LR * g for p, g in zip((w1, b1, w2, b2), grads)]


def test_three_steps_match_numpy():
    x_np, t_np, params_np = _data()
    x, target = fg.tensor(x_np), fg.tensor(t_np)
    params = [fg.tensor(p, requires_grad=True) for p in params_np]
    w1, b1, w2, b2 = params
    ref = [p.copy() for p in params_np]
    for _ in range(3):
        h = (x @ w1 + b1).relu()
        logits = h @ w2 + b2
        loss = ((logits - target) ** 2).mean()
        assert type(loss.grad_fn).__name__ == "MeanBackward0"
        assert type(h.grad_fn).__name__ == "ReluBackward0"
        assert type(logits.grad_fn).__name__ == "AddBackward0"
        loss.backward()
        want_loss, want_grads, ref = _numpy_step(x_np, t_np, ref)
        assert abs(loss.item() - want_loss) <= 1e-5 * abs(want_loss)
        for p, g in zip(params, want_grads):
            np.testing.assert_allclose(p.grad.numpy(), g, rtol=1e-4, atol=1e-6)
        with fg.no_grad():
            for p in params:
                p -= LR * p.grad
                p.grad = None
        for p, want in zip(params, ref):
            np.testing.assert_allclose(p.detach().numpy(), want, rtol=1e-4, atol=1e-6)
            assert p.is_leaf and p.requires_grad and p.grad_fn is None


SHAPES = [(128, 784, 256), (784, 128, 256), (128, 256, 10), (256, 128, 10), (128, 10, 256)]


def _layout(a, how):
    """`a` (as values) held in memory transposed, strided or at an offset."""
    if how == "contiguous":
        return fg.tensor(a)
    if how == "transposed":
        return fg.tensor(np.ascontiguousarray(a.T)).t()
    if how == "strided":
        wide = np.zeros((a.shape[0], 2 * a.shape[1]), a.dtype)
        wide[:, ::2] = a
        return fg.tensor(wide)[:, ::2]
    big = np.zeros(a.size + 3, a.dtype)  # at an offset
    big[3:] = a.ravel()
    return fg.tensor(big)[3:].view(*a.shape)


@pytest.mark.parametrize("m,k,n", SHAPES)
@pytest.mark.parametrize("left", ["contiguous", "transposed", "strided", "offset"])
@pytest.mark.parametrize("right", ["contiguous", "transposed"])
def test_products_at_the_steps_shapes_match_numpy(m, k, n, left, right):
    rng = np.random.default_rng(m + k + n)
    a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
    got = (_layout(a, left) @ _layout(b, right)).numpy()
    want = a.astype(np.float64) @ b.astype(np.float64)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4 * np.sqrt(k))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_fresh_product_ignores_what_its_memory_held(dtype):
    # the allocator hands a freed block of the same size to the next result
    np_dtype = getattr(np, dtype)
    a = np.ones((IN, BATCH), np_dtype)
    b = np.ones((BATCH, HID), np_dtype)
    ta, tb = fg.tensor(a), fg.tensor(b)
    for _ in range(3):
        junk = fg.full((IN, HID), float("nan"), dtype=getattr(fg, dtype))
        del junk
        gc.collect()
        c = ta @ tb
        np.testing.assert_array_equal(c.numpy(), np.full((IN, HID), BATCH, np_dtype))
        del c


@pytest.mark.parametrize("m,k,n", [(0, 3, 4), (3, 0, 4), (3, 4, 0), (0, 0, 0)])
def test_empty_products_and_k_zero(m, k, n):
    a = fg.ones(m, k, requires_grad=True)
    b = fg.ones(k, n, requires_grad=True)
    c = a @ b
    assert tuple(c.shape) == (m, n)
    np.testing.assert_array_equal(c.detach().numpy(), np.zeros((m, n), np.float32))
    c.sum().backward()
    assert tuple(a.grad.shape) == (m, k) and tuple(b.grad.shape) == (k, n)
    np.testing.assert_array_equal(a.grad.numpy(), np.zeros((m, k), np.float32))


def test_double_backward_through_the_products():
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=fg.float64, requires_grad=True)
    w = fg.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=fg.float64, requires_grad=True)
    y = ((x @ w) ** 2).sum()
    (gw,) = fg.autograd.grad(y, w, create_graph=True)
    assert type(gw.grad_fn).__name__ == "MmBackward0"
    (ggx,) = fg.autograd.grad(gw.sum(), x)
    want = _ggx(x.detach().numpy(), w.detach().numpy())
    np.testing.assert_allclose(ggx.numpy(), want, rtol=1e-6)


def _ggx(x, w):
    """d/dx of sum(2 x^T (x w)) by central differences in float64."""
    f = lambda x: (2 * x.T @ (x @ w)).sum()
    out = np.zeros_like(x)
    for i in range(2):
        for j in range(2):
            e = np.zeros_like(x)
            e[i, j] = 1e-6
            out[i, j] = (f(x + e) - f(x - e)) / 2e-6
    return out
