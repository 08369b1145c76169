"""The backward of activations, pools, losses and norms while it is itself recorded
(`create_graph=True`): one node named as PyTorch's (`LeakyReluBackwardBackward0`, ...)
with an edge to the saved input, so that the gradient requires grad as PyTorch's does,
and second/third derivatives of the right values. Names and edges were read from
PyTorch 2.x; values come from closed forms (NumPy) or numerical differences."""

from __future__ import annotations

import math

import ferrograd as fg
import ferrograd.nn.functional as F
import numpy as np
import pytest
from ferrograd.autograd import gradcheck, gradgradcheck

ACC = "torch::autograd::AccumulateGrad"
# away from every kink (0, ±3, ±0.5, bounds, thresholds)
POINTS = [-4.1, -2.2, -1.1, -0.6, -0.17, 0.21, 0.55, 1.6, 2.4, 7.3]


def _x(values=POINTS, shape=None):
    a = np.array(values, dtype=np.float64)
    return fg.tensor(a if shape is None else a.reshape(shape), requires_grad=True)


def _names(node):
    return [None if n is None else n.name() for n, _ in node.next_functions]


def _grad(y, inputs, **kw):
    return fg.autograd.grad(y, inputs, create_graph=True, **kw)


# (function, PyTorch's node of the recorded backward)
ACTIVATIONS = {
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.1), "LeakyReluBackwardBackward0"),
    "hardtanh": (lambda x: F.hardtanh(x, -0.75, 1.25), "HardtanhBackwardBackward0"),
    "relu6": (F.relu6, "HardtanhBackwardBackward0"),
    "softshrink": (lambda x: F.softshrink(x, 0.3), "SoftshrinkBackwardBackward0"),
    "hardshrink": (lambda x: F.hardshrink(x, 0.3), "HardshrinkBackwardBackward0"),
    "threshold": (lambda x: F.threshold(x, 0.1, 20.0), "ThresholdBackwardBackward0"),
    "rrelu_eval": (lambda x: F.rrelu(x, training=False), "RreluWithNoiseBackwardBackward0"),
    "rrelu_train": (lambda x: F.rrelu(x, training=True), "RreluWithNoiseBackwardBackward0"),
    "gelu": (F.gelu, "GeluBackwardBackward0"),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), "GeluBackwardBackward0"),
    "elu": (lambda x: F.elu(x, 0.7), "EluBackwardBackward0"),
    "selu": (F.selu, "EluBackwardBackward0"),
    "celu": (lambda x: F.celu(x, 1.5), "EluBackwardBackward0"),
    "softplus": (lambda x: F.softplus(x, 2.0, 3.0), "SoftplusBackwardBackward0"),
    "logsigmoid": (F.logsigmoid, "LogSigmoidBackwardBackward0"),
    "hardswish": (F.hardswish, "HardswishBackwardBackward0"),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_gradient_is_one_node_that_requires_grad(name):
    fn, node = ACTIVATIONS[name]
    x = _x()
    g, = _grad(fn(x).sum(), x)
    assert g.requires_grad
    assert g.grad_fn.name() == node
    assert _names(g.grad_fn) == [None, ACC]  # the incoming gradient (ones) has no history


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_gradient_with_history_keeps_both_edges(name):
    fn, node = ACTIVATIONS[name]
    x = _x()
    y = fn(x)
    g, = _grad((y * y).sum(), x)
    assert g.grad_fn.name() == node
    assert _names(g.grad_fn) == ["AddBackward0", ACC]


@pytest.mark.parametrize("name", sorted(set(ACTIVATIONS) - {"rrelu_train"}))
def test_activation_gradgradcheck(name):
    fn, _ = ACTIVATIONS[name]
    assert gradgradcheck(fn, (_x(),))
    assert gradgradcheck(lambda x: fn(x) * fn(x), (_x(),))


@pytest.mark.parametrize(
    ("call", "node"),
    [
        (lambda x: F.elu(x * 1, inplace=True), "EluBackwardBackward0"),
        (lambda x: F.celu(x * 1, inplace=True), "EluBackwardBackward0"),
        (lambda x: F.selu(x * 1, inplace=True), "EluBackwardBackward0"),
        (lambda x: F.leaky_relu(x * 1, inplace=True), "LeakyReluBackwardBackward0"),
        (lambda x: F.threshold(x * 1, 0.1, 2.0, inplace=True), "ThresholdBackwardBackward0"),
        (lambda x: F.hardtanh(x * 1, inplace=True), "HardtanhBackwardBackward0"),
        (lambda x: F.hardswish(x * 1, inplace=True), "HardswishBackwardBackward0"),
        (lambda x: F.rrelu(x * 1, training=False, inplace=True), "RreluWithNoiseBackwardBackward0"),
    ],
)
def test_in_place_activation_gradient_nodes(call, node):
    x = _x()
    g, = _grad(call(x).sum(), x)
    assert g.requires_grad
    assert g.grad_fn.name() == "MulBackward0"
    assert _names(g.grad_fn) == [node, None]


def test_in_place_elu_second_derivative_from_its_result():
    # elu_ keeps its result y; below 0 its derivative is y + alpha, whose own is 1
    x = _x()
    g, = _grad(F.elu(x * 1, alpha=0.7, inplace=True).sum(), x)
    h, = fg.autograd.grad(g.sum(), x)
    a = np.array(POINTS)
    np.testing.assert_allclose(h.numpy(), np.where(a < 0, 0.7 * np.exp(a), 0.0), rtol=1e-12)


def test_hardsigmoid_gradient_is_pytorchs_not_implemented_node():
    x = _x()
    g, = _grad(F.hardsigmoid(x).sum(), x)
    assert g.requires_grad
    assert g.grad_fn.name() == "torch::autograd::NotImplemented"
    assert _names(g.grad_fn) == [ACC]  # only the inputs that need a gradient
    with pytest.raises(RuntimeError, match="derivative for aten::hardsigmoid_backward is not implemented"):
        g.sum().backward()
    y = F.hardsigmoid(x)
    g, = _grad((y * y).sum(), x)
    assert _names(g.grad_fn) == ["AddBackward0", ACC]


def test_leaky_relu_gradient_penalty_runs():
    # the case: a gradient penalty through a piecewise-linear activation
    x = _x()
    w = fg.tensor(np.linspace(-1.0, 1.0, 10), requires_grad=True)
    g, = _grad(F.leaky_relu(x * w, 0.2).sum(), x)
    g.norm().backward()
    slope = np.where(np.array(POINTS) * np.linspace(-1, 1, 10) > 0, 1.0, 0.2)
    expected = slope * np.linspace(-1, 1, 10)
    expected_w = slope * expected / np.linalg.norm(expected)  # d|g|/dw with g = slope * w
    np.testing.assert_allclose(w.grad.numpy(), expected_w, rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), np.zeros(10), atol=0)


def test_first_order_gradients_record_nothing():
    x = _x()
    for fn in (lambda t: F.leaky_relu(t), F.gelu, lambda t: F.max_pool2d(t.reshape(1, 1, 2, 5), (1, 2))):
        g, = fg.autograd.grad(fn(x).sum(), x)
        assert g.grad_fn is None
        assert not g.requires_grad


def _phi(a):
    return np.exp(-0.5 * a * a) / math.sqrt(2 * math.pi)


def _sig(a):
    return 1 / (1 + np.exp(-a))


# d²/dx² and d³/dx³ of each activation, in closed form
CLOSED_FORMS = {
    "gelu": (F.gelu, lambda a: _phi(a) * (2 - a * a), lambda a: _phi(a) * (a**3 - 4 * a)),
    "softplus": (F.softplus, lambda a: _sig(a) * (1 - _sig(a)),
                 lambda a: _sig(a) * (1 - _sig(a)) * (1 - 2 * _sig(a))),
    "elu": (lambda x: F.elu(x, 0.7), lambda a: np.where(a < 0, 0.7 * np.exp(a), 0.0),
            lambda a: np.where(a < 0, 0.7 * np.exp(a), 0.0)),
    "logsigmoid": (F.logsigmoid, lambda a: -_sig(a) * (1 - _sig(a)),
                   lambda a: -_sig(a) * (1 - _sig(a)) * (1 - 2 * _sig(a))),
}


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_second_and_third_derivatives_match_closed_forms(name):
    fn, second, third = CLOSED_FORMS[name]
    x = _x()
    g, = _grad(fn(x).sum(), x)
    h, = _grad(g.sum(), x)
    k, = fg.autograd.grad(h.sum(), x)
    a = np.array(POINTS)
    np.testing.assert_allclose(h.detach().numpy(), second(a), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(k.numpy(), third(a), rtol=1e-10, atol=1e-14)


def test_gelu_tanh_second_derivative_matches_differences():
    x = _x()
    g, = _grad(F.gelu(x, approximate="tanh").sum(), x)
    h, = fg.autograd.grad(g.sum(), x)

    def gelu_tanh_prime(a):
        u = math.sqrt(2 / math.pi) * (a + 0.044715 * a**3)
        t = np.tanh(u)
        du = math.sqrt(2 / math.pi) * (1 + 3 * 0.044715 * a * a)
        return 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * du

    a, e = np.array(POINTS), 1e-6
    np.testing.assert_allclose(h.numpy(), (gelu_tanh_prime(a + e) - gelu_tanh_prime(a - e)) / (2 * e), atol=1e-8)


def test_prelu_gradient_node_and_values():
    x = _x(shape=(2, 5))
    w = fg.tensor([0.25], dtype=fg.float64)
    g, = _grad(F.prelu(x, w).sum(), x)
    assert g.requires_grad
    assert g.grad_fn.name() == "PreluKernelBackwardBackward0"
    assert _names(g.grad_fn) == [None, ACC, None]
    w = fg.tensor([0.25], dtype=fg.float64, requires_grad=True)
    y = F.prelu(x, w)
    gx, gw = _grad((y * y).sum(), (x, w))
    assert gx.grad_fn.name() == "PreluKernelBackwardBackward0"
    edges = _names(gx.grad_fn)
    assert edges[:2] == ["AddBackward0", ACC]
    assert edges[2] is not None  # PyTorch's goes through a view of the weight
    # loss = Σ_{x<0} w² x² + Σ_{x>0} x²: d²/dw dx = 4 w x below 0
    h, = fg.autograd.grad(gw.sum(), x)
    a = np.array(POINTS).reshape(2, 5)
    np.testing.assert_allclose(h.numpy(), np.where(a < 0, 4 * 0.25 * a, 0.0), rtol=1e-12)
    x2 = _x(shape=(5, 2))
    w2 = fg.tensor([0.3, -0.2], dtype=fg.float64, requires_grad=True)
    assert gradgradcheck(F.prelu, (x2, w2))
    assert gradgradcheck(lambda a, b: F.prelu(a, b) ** 2, (x2, w2))


# ----------------------------------------------------------------------------- pools

POOLS = {
    "max_pool2d": (lambda x: F.max_pool2d(x, 2), (2, 3, 4, 4), "MaxPool2DWithIndicesBackwardBackward0"),
    "avg_pool2d": (lambda x: F.avg_pool2d(x, 2), (2, 3, 4, 4), "AvgPool2DBackwardBackward0"),
    "adaptive_avg_pool2d": (lambda x: F.adaptive_avg_pool2d(x, (2, 3)), (2, 3, 5, 7),
                            "AdaptiveAvgPool2DBackwardBackward0"),
    "adaptive_max_pool2d": (lambda x: F.adaptive_max_pool2d(x, (2, 3)), (2, 3, 5, 7),
                            "AdaptiveMaxPool2DBackwardBackward0"),
}


def _pool_input(shape):
    n = int(np.prod(shape))
    # distinct values (no ties for the max pools)
    values = np.random.default_rng(0).permutation(n) / n - 0.5
    return fg.tensor(values.reshape(shape), requires_grad=True)


@pytest.mark.parametrize("name", sorted(POOLS))
def test_pool_gradient_is_one_node_that_requires_grad(name):
    fn, shape, node = POOLS[name]
    x = _pool_input(shape)
    g, = _grad(fn(x).sum(), x)
    assert g.requires_grad
    assert g.grad_fn.name() == node
    assert _names(g.grad_fn) == [None, ACC]
    h, = fg.autograd.grad((g * g).sum(), x)  # the pool's input gets a zero gradient
    assert not h.numpy().any()
    y = fn(x)
    g, = _grad((y * y).sum(), x)
    assert _names(g.grad_fn) == ["AddBackward0", ACC]


@pytest.mark.parametrize(
    ("fn", "shape"),
    [
        (lambda x: F.max_pool1d(x, 2), (2, 3, 6)),
        (lambda x: F.avg_pool1d(x, 2), (2, 3, 6)),
        (lambda x: F.adaptive_avg_pool1d(x, 3), (2, 3, 7)),
        (lambda x: F.adaptive_max_pool1d(x, 3), (2, 3, 7)),
    ],
)
def test_pool1d_gradient_requires_grad(fn, shape):
    x = _pool_input(shape)
    g, = _grad(fn(x).sum(), x)
    assert g.requires_grad
    assert g.grad_fn.name() == "SqueezeBackward1"


@pytest.mark.parametrize("name", sorted(POOLS))
def test_pool_gradgradcheck(name):
    fn, shape, _ = POOLS[name]
    x = _pool_input(shape)
    assert gradgradcheck(lambda t: fn(t) * fn(t), (x,))


# ----------------------------------------------------------------------------- losses


def _target(shape, seed=1):
    return fg.tensor(np.random.default_rng(seed).uniform(-1, 1, shape), requires_grad=True)


@pytest.mark.parametrize(
    ("loss", "node"),
    [
        (lambda x, t: F.mse_loss(x, t), "MseLossBackwardBackward0"),
        (lambda x, t: F.mse_loss(x, t, reduction="none"), "MseLossBackwardBackward0"),
        (lambda x, t: F.smooth_l1_loss(x, t, beta=0.7), "SmoothL1LossBackwardBackward0"),
        (lambda x, t: F.huber_loss(x, t, delta=0.6, reduction="sum"), "HuberLossBackwardBackward0"),
    ],
)
def test_pair_loss_gradients_are_one_node_each(loss, node):
    x, t = _x(shape=(2, 5)), _target((2, 5))
    y = loss(x, t)
    gx, gt = _grad(y.sum(), (x, t))
    for g in (gx, gt):
        assert g.requires_grad
        assert g.grad_fn.name() == node
        assert _names(g.grad_fn) == [None, ACC, ACC]
    assert gradgradcheck(loss, (x, t))
    assert gradgradcheck(lambda a, b: loss(a, b) ** 2, (x, t))


def test_mse_loss_second_derivatives():
    x, t = _x(shape=(2, 5)), _target((2, 5))
    gx, = _grad(F.mse_loss(x, t), x)
    hx, ht = fg.autograd.grad(gx.sum(), (x, t))
    np.testing.assert_allclose(hx.numpy(), np.full((2, 5), 0.2))  # 2 / numel
    np.testing.assert_allclose(ht.numpy(), np.full((2, 5), -0.2))


def test_soft_margin_loss_gradient_node():
    x = _x(shape=(2, 5))
    t = fg.tensor(np.sign(np.random.default_rng(2).uniform(-1, 1, (2, 5))))
    g, = _grad(F.soft_margin_loss(x, t), x)
    assert g.grad_fn.name() == "SoftMarginLossBackwardBackward0"
    assert _names(g.grad_fn) == [None, ACC]
    h, = fg.autograd.grad(g.sum(), x)
    s = _sig(-t.numpy() * np.array(POINTS).reshape(2, 5))
    np.testing.assert_allclose(h.numpy(), s * (1 - s) / 10, rtol=1e-12)
    assert gradgradcheck(lambda a: F.soft_margin_loss(a, t) ** 2, (x,))


TARGET = [0, 3, 1, 4]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss_gradient_node(reduction):
    x = _x(np.linspace(-2, 2, 20), shape=(4, 5))
    target = fg.tensor(TARGET)
    weight = fg.tensor([1.0, 2.0, 0.5, 1.5, 3.0], dtype=fg.float64)
    g, = _grad(F.nll_loss(x, target, weight=weight, reduction=reduction).sum(), x)
    assert g.requires_grad
    assert g.grad_fn.name() == "NllLossBackwardBackward0"
    assert _names(g.grad_fn) == [None, ACC]
    assert gradgradcheck(lambda a: F.nll_loss(a, target, weight=weight, reduction=reduction) ** 2, (x,))


def test_cross_entropy_and_nll2d_gradient_nodes():
    x = _x(np.linspace(-2, 2, 20), shape=(4, 5))
    g, = _grad(F.cross_entropy(x, fg.tensor(TARGET)), x)
    assert g.grad_fn.name() == "LogSoftmaxBackwardDataBackward0"
    assert _names(g.grad_fn) == ["NllLossBackwardBackward0", "LogSoftmaxBackward0"]
    x3 = _x(np.linspace(-2, 2, 24), shape=(2, 3, 4))
    target = fg.tensor([[0, 1, 2, 1], [0, 0, 2, 0]])
    g, = _grad(F.nll_loss(x3, target), x3)
    assert g.grad_fn.name() == "ViewBackward0"
    assert _names(g.grad_fn) == ["NllLoss2DBackwardBackward0"]
    assert gradgradcheck(lambda a: F.cross_entropy(a, target) ** 2, (x3,))


def test_binary_cross_entropy_gradient_node():
    x = _x(shape=(2, 5))
    p = fg.tensor(np.random.default_rng(3).uniform(0.1, 0.9, (2, 5)), requires_grad=True)
    g, = _grad(F.binary_cross_entropy(fg.sigmoid(x), p), x)
    inner = g.grad_fn.next_functions[0][0]
    assert inner.name() == "BinaryCrossEntropyBackwardBackward0"
    assert _names(inner) == [None, "SigmoidBackward0", ACC]
    w = fg.tensor(np.linspace(0.5, 1.5, 10).reshape(2, 5))
    assert gradgradcheck(lambda a, b: F.binary_cross_entropy(fg.sigmoid(a), b, weight=w) ** 2, (x, p))


# ----------------------------------------------------------------------------- norms

X34 = np.random.default_rng(0).uniform(-2, 2, (3, 4))


def test_layer_norm_gradient_node_and_second_derivative():
    x = fg.tensor(X34, requires_grad=True)
    y = F.layer_norm(x, (4,))
    g, = _grad((y * y * y).sum(), x)
    assert g.grad_fn.name() == "NativeLayerNormBackwardBackward0"
    assert _names(g.grad_fn) == ["AddBackward0", ACC, None, None, None, None]
    h, = _grad((g * g).sum(), x)
    # PyTorch's values
    np.testing.assert_allclose(h.detach().numpy().reshape(-1)[:4],
                               [-14.346184984143099, 6.518798063896741, 8.583806606282277, -0.7564196860359091],
                               rtol=1e-10)


def test_layer_norm_affine_gradients_and_third_order():
    x = fg.tensor(X34, requires_grad=True)
    w = fg.tensor([0.7, 1.1, 1.3, 0.9], dtype=fg.float64, requires_grad=True)
    b = fg.tensor([0.1, -0.2, 0.3, 0.0], dtype=fg.float64, requires_grad=True)
    y = F.layer_norm(x, (4,), w, b)
    gs = _grad((y * y * y).sum(), (x, w, b))
    for g in gs:
        assert g.grad_fn.name() == "NativeLayerNormBackwardBackward0"
        assert _names(g.grad_fn) == ["AddBackward0", ACC, None, None, ACC, ACC]
    assert gradgradcheck(lambda a, c, d: F.layer_norm(a, (4,), c, d) ** 2, (x, w, b))

    # third order: the second derivative's own gradient, against its differences
    def second(a):
        g, = _grad((F.layer_norm(a, (4,), w, b) ** 3).sum(), a)
        return _grad((g * g).sum(), a)[0]

    assert gradcheck(second, (fg.tensor(X34, requires_grad=True),))


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradient_node(training):
    x = fg.tensor(np.random.default_rng(0).uniform(-2, 2, (4, 3, 2)), requires_grad=True)
    w = fg.tensor([0.7, 1.1, 1.3], dtype=fg.float64, requires_grad=True)
    b = fg.tensor([0.1, -0.2, 0.3], dtype=fg.float64, requires_grad=True)
    mean, var = fg.tensor([0.1, 0.2, -0.3], dtype=fg.float64), fg.tensor([1.5, 0.7, 1.1], dtype=fg.float64)
    g, = _grad(F.batch_norm(x, mean, var, training=training).sum(), x)
    assert g.requires_grad
    assert g.grad_fn.name() == "NativeBatchNormBackwardBackward0"
    assert _names(g.grad_fn) == [None, ACC, None, None, None]
    y = F.batch_norm(x, mean, var, w, b, training=training)
    gs = _grad((y * y * y).sum(), (x, w, b))
    for g in gs:
        assert g.grad_fn.name() == "NativeBatchNormBackwardBackward0"
        assert _names(g.grad_fn) == ["AddBackward0", ACC, ACC, None, None]
    assert gradgradcheck(lambda a, c, d: F.batch_norm(a, mean, var, c, d, training=training) ** 2, (x, w, b))
