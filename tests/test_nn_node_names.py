"""`grad_fn` names of nn.functional ops composed from several ops, recorded from PyTorch
2.13; gradients through the named node are unchanged."""

import numpy as np
import pytest
from backend import fg

F = fg.nn.functional


def _x():
    return fg.tensor([[0.2, 0.7, 0.1], [0.3, 0.3, 0.4]], requires_grad=True)


Y = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]

CASES = {
    "MseLossBackward0": lambda x: F.mse_loss(x, fg.tensor(Y)),
    "SmoothL1LossBackward0": lambda x: F.smooth_l1_loss(x, fg.tensor(Y)),
    "HuberLossBackward0": lambda x: F.huber_loss(x, fg.tensor(Y), reduction="none"),
    "BinaryCrossEntropyBackward0": lambda x: F.binary_cross_entropy(x, fg.tensor(Y)),
    "BinaryCrossEntropyWithLogitsBackward0":
        lambda x: F.binary_cross_entropy_with_logits(x, fg.tensor(Y), reduction="sum"),
    "NllLossBackward0": lambda x: F.cross_entropy(x, fg.tensor([1, 0])),
    "NllLoss2DBackward0": lambda x: F.nll_loss(x.reshape(2, 3, 1, 1), fg.tensor([[[1]], [[0]]])),
    "SoftMarginLossBackward0": lambda x: F.soft_margin_loss(x, fg.tensor(Y)),
    "NativeLayerNormBackward0": lambda x: F.layer_norm(x, (3,)),
    "NativeBatchNormBackward0": lambda x: F.batch_norm(x, None, None, training=True),
    "NativeGroupNormBackward0": lambda x: F.group_norm(x.reshape(2, 3, 1), 1),
    "GeluBackward0": lambda x: F.gelu(x, approximate="tanh"),
    "SiluBackward0": F.silu,
    "EluBackward0": F.selu,
    "LeakyReluBackward0": lambda x: F.leaky_relu(x, 0.2),
    "SoftplusBackward0": lambda x: F.softplus(x, beta=2.0),
    "HardtanhBackward0": F.relu6,
    "HardswishBackward0": F.hardswish,
    "HardsigmoidBackward0": F.hardsigmoid,
    "MishBackward0": F.mish,
    "CeluBackward0": lambda x: F.celu(x, alpha=2.0),
    "LogSigmoidBackward0": F.logsigmoid,
    "GluBackward0": lambda x: F.glu(x[:, :2]),
    "PreluKernelBackward0": lambda x: F.prelu(x, fg.tensor([0.25])),
    "SoftshrinkBackward0": lambda x: F.softshrink(x, 0.25),
    "HardshrinkBackward0": lambda x: F.hardshrink(x, 0.25),
    "ThresholdBackward0": lambda x: F.threshold(x, 0.25, 0.0),
    "NormBackward1": lambda x: F.pairwise_distance(x, fg.tensor(Y)),
    "EmbeddingBackward0": lambda x: F.embedding(fg.tensor([1, 0, 1]), x),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_composite_reports_pytorchs_node_name(name):
    x = _x()
    out = CASES[name](x)
    assert type(out.grad_fn).__name__ == name
    out.sum().backward()
    assert x.grad is not None and tuple(x.grad.shape) == (2, 3)


def test_named_node_keeps_the_gradient():
    x = _x()
    F.mse_loss(x, fg.tensor(Y)).backward()
    want = 2 * (np.array([[0.2, 0.7, 0.1], [0.3, 0.3, 0.4]]) - np.array(Y)) / 6
    np.testing.assert_allclose(x.grad.numpy(), want, rtol=1e-6)


def test_no_node_without_grad():
    x = fg.tensor([[0.2, 0.7, 0.1]])
    assert F.mse_loss(x, fg.zeros(1, 3)).grad_fn is None


def test_mse_loss_is_twice_differentiable_through_the_named_node():
    x = fg.tensor([0.5, -1.0], dtype=fg.float64, requires_grad=True)
    (g,) = fg.autograd.grad(F.mse_loss(x, fg.zeros(2, dtype=fg.float64)), x, create_graph=True)
    (h,) = fg.autograd.grad(g.sum(), x)
    np.testing.assert_allclose(h.numpy(), [1.0, 1.0])


def test_node_hook_receives_the_gradients_of_the_node_outputs():
    x = fg.ones(2, requires_grad=True)
    y = (x * 3).sum()
    seen = []
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: seen.append(
        (len(grad_inputs), [tuple(g.shape) for g in grad_outputs], float(grad_outputs[0]))))
    y.backward(fg.tensor(2.0))
    assert seen == [(1, [()], 2.0)]
