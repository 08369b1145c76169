"""batch_norm's fused kernel (training and evaluation, forward and backward) against a
NumPy reference of PyTorch's formulas, on every input rank, with and without the affine
parameters and running statistics."""

import ferrograd as fg
import ferrograd.nn.functional as F
import numpy as np
import pytest

SHAPES = [(5, 3), (4, 3, 7), (2, 3, 5, 4), (3, 2, 2, 3, 2)]


def reference(x, w, b, mean, var, eps):
    shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    return (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * w.reshape(shape) + b.reshape(shape)


def batch_stats(x):
    axes = (0, *range(2, x.ndim))
    return x.mean(axes), x.var(axes)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [fg.float32, fg.float64])
def test_training_forward_and_running_statistics(shape, dtype):
    rs = np.random.RandomState(len(shape))
    x = rs.randn(*shape) * 3 + 1
    w, b = rs.rand(shape[1]) + 0.5, rs.randn(shape[1])
    rm, rv = rs.randn(shape[1]), rs.rand(shape[1]) + 0.5
    running_mean, running_var = fg.tensor(rm, dtype=dtype), fg.tensor(rv, dtype=dtype)
    out = F.batch_norm(fg.tensor(x, dtype=dtype), running_mean, running_var, fg.tensor(w, dtype=dtype),
                       fg.tensor(b, dtype=dtype), training=True, momentum=0.3, eps=1e-3)
    mean, var = batch_stats(x)
    tol = 1e-5 if dtype == fg.float32 else 1e-12
    assert out.dtype == dtype and tuple(out.shape) == shape
    np.testing.assert_allclose(out.numpy(), reference(x, w, b, mean, var, 1e-3), rtol=tol, atol=tol)
    count = x.size // shape[1]
    np.testing.assert_allclose(running_mean.numpy(), 0.7 * rm + 0.3 * mean, rtol=tol, atol=tol)
    np.testing.assert_allclose(running_var.numpy(), 0.7 * rv + 0.3 * var * count / (count - 1), rtol=tol, atol=tol)


@pytest.mark.parametrize("shape", SHAPES)
def test_evaluation_uses_the_running_statistics(shape):
    rs = np.random.RandomState(7)
    x = rs.randn(*shape)
    rm, rv = rs.randn(shape[1]), rs.rand(shape[1]) + 0.1
    w, b = rs.randn(shape[1]), rs.randn(shape[1])
    out = F.batch_norm(fg.tensor(x), fg.tensor(rm), fg.tensor(rv), fg.tensor(w), fg.tensor(b), eps=1e-5)
    np.testing.assert_allclose(out.numpy(), reference(x, w, b, rm, rv, 1e-5), rtol=1e-12, atol=1e-12)
    plain = F.batch_norm(fg.tensor(x), fg.tensor(rm), fg.tensor(rv))
    np.testing.assert_allclose(plain.numpy(), reference(x, np.ones_like(w), np.zeros_like(b), rm, rv, 1e-5),
                               rtol=1e-12, atol=1e-12)


def numpy_gradients(x, w, g, eps, training, rm=None, rv=None):
    """d(sum(g * batch_norm(x)))/d(x, w, b) from the closed forms."""
    axes = (0, *range(2, x.ndim))
    shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    mean, var = batch_stats(x) if training else (rm, rv)
    invstd = 1 / np.sqrt(var + eps)
    xhat = (x - mean.reshape(shape)) * invstd.reshape(shape)
    gw, gb = (g * xhat).sum(axes), g.sum(axes)
    gxhat = g * w.reshape(shape)
    if not training:
        return gxhat * invstd.reshape(shape), gw, gb
    m = x.size / x.shape[1]
    gx = invstd.reshape(shape) * (gxhat - gxhat.sum(axes).reshape(shape) / m
                                  - xhat * (gxhat * xhat).sum(axes).reshape(shape) / m)
    return gx, gw, gb


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("dtype", [fg.float32, fg.float64])
def test_gradients_match_the_closed_forms(shape, training, dtype):
    rs = np.random.RandomState(3)
    x, g = rs.randn(*shape) * 2, rs.randn(*shape)
    w, b = rs.rand(shape[1]) + 0.5, rs.randn(shape[1])
    rm, rv = rs.randn(shape[1]), rs.rand(shape[1]) + 0.5
    xt, wt, bt = (fg.tensor(a, dtype=dtype, requires_grad=True) for a in (x, w, b))
    out = F.batch_norm(xt, fg.tensor(rm, dtype=dtype), fg.tensor(rv, dtype=dtype), wt, bt, training=training,
                       eps=1e-4)
    out.backward(fg.tensor(g, dtype=dtype))
    tol = 2e-4 if dtype == fg.float32 else 1e-10
    for got, want in zip((xt.grad, wt.grad, bt.grad), numpy_gradients(x, w, g, 1e-4, training, rm, rv)):
        assert got.dtype == dtype
        np.testing.assert_allclose(got.numpy(), want, rtol=tol, atol=tol)


def test_gradcheck_and_gradgradcheck_in_float64():
    rs = np.random.RandomState(11)
    x = fg.tensor(rs.randn(4, 3, 5), requires_grad=True)
    w = fg.tensor(rs.rand(3) + 0.5, requires_grad=True)
    b = fg.tensor(rs.randn(3), requires_grad=True)

    def f(x, w, b):
        return F.batch_norm(x, None, None, w, b, training=True)

    assert fg.autograd.gradcheck(f, (x, w, b))
    assert fg.autograd.gradgradcheck(f, (x, w, b))


def test_the_node_keeps_the_batch_statistics_of_the_kernel():
    x = fg.tensor([[1.0, 2.0], [3.0, 6.0]], requires_grad=True)
    node = F.batch_norm(x, None, None, training=True, eps=0.0).grad_fn
    assert node.name() == "NativeBatchNormBackward0"
    np.testing.assert_allclose(node._saved_result1.numpy(), [2.0, 4.0])
    np.testing.assert_allclose(node._saved_result2.numpy(), [1.0, 0.5])


def test_a_channels_last_input_keeps_its_layout():
    x = fg.randn(2, 3, 4, 5).contiguous(memory_format=fg.channels_last).requires_grad_()
    out = F.batch_norm(x, None, None, training=True)
    assert out.is_contiguous(memory_format=fg.channels_last)
    rowmajor = F.batch_norm(x.detach().contiguous(), None, None, training=True)
    np.testing.assert_allclose(out.detach().numpy(), rowmajor.numpy(), rtol=1e-5, atol=1e-6)
