"""Shared by tests/test_nn.py, tests/test_optim.py and tests/data/record_nn.py: the inputs
and the functional cases, built without the random generator, so that PyTorch (which
recorded tests/data/nn_expected.json with record_nn.py) and ferrograd see the same data.
"""

import numpy as np


def inputs(fg):
    """Deterministic float64 inputs and integer targets."""
    D = fg.float64
    x = fg.tensor(np.sin(np.arange(20) * 0.7).reshape(4, 5) * 3, dtype=D)
    w = fg.tensor(np.cos(np.arange(20) * 0.3).reshape(4, 5), dtype=D)
    p = fg.tensor(0.1 + 0.8 * (np.sin(np.arange(20) * 1.3) * 0.5 + 0.5).reshape(4, 5), dtype=D)
    t01 = fg.tensor((np.cos(np.arange(20) * 2.1) * 0.5 + 0.5).reshape(4, 5), dtype=D)
    x3 = fg.tensor(np.sin(np.arange(24) * 0.45).reshape(2, 3, 4) * 2, dtype=D)
    probs = fg.tensor(np.abs(np.cos(np.arange(20) * 0.9)).reshape(4, 5), dtype=D)
    probs = probs / probs.sum(1, keepdim=True)
    return {
        "x": x,
        "w": w,
        "p": p,
        "t01": t01,
        "x3": x3,
        "probs": probs,
        "cls": fg.tensor([1, 0, 4, 2]),
        "cls_ign": fg.tensor([1, -100, 4, 2]),
        "cls3": fg.tensor([[0, 2, 1, 1], [2, 0, 0, 1]]),
        "cw": fg.tensor([0.5, 1.0, 2.0, 1.5, 0.25], dtype=D),
        "lw": fg.tensor(np.linspace(-1, 1, 15).reshape(3, 5), dtype=D),
        "lb": fg.tensor([0.1, -0.2, 0.3], dtype=D),
        "pw": fg.tensor([1.0, 2.0, 0.5, 3.0, 1.5], dtype=D),
    }


def cases(fg):
    """name -> (function of the differentiable input, name of that input in `inputs`)."""
    F = fg.nn.functional
    d = inputs(fg)
    return {
        "relu": (lambda x: F.relu(x), "x"),
        "sigmoid": (lambda x: F.sigmoid(x), "x"),
        "tanh": (lambda x: F.tanh(x), "x"),
        "leaky_relu": (lambda x: F.leaky_relu(x, 0.2), "x"),
        "gelu": (lambda x: F.gelu(x), "x"),
        "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), "x"),
        "silu": (lambda x: F.silu(x), "x"),
        "elu": (lambda x: F.elu(x, 0.7), "x"),
        "softplus": (lambda x: F.softplus(x, beta=2.0, threshold=3.0), "x"),
        "logsigmoid": (lambda x: F.logsigmoid(x), "x"),
        "hardtanh": (lambda x: F.hardtanh(x, -0.5, 1.5), "x"),
        "softmax1": (lambda x: F.softmax(x, dim=1), "x"),
        "softmax0": (lambda x: F.softmax(x, dim=0), "x"),
        "log_softmax1": (lambda x: F.log_softmax(x, dim=1), "x"),
        "log_softmax3d": (lambda x: F.log_softmax(x, dim=-2), "x3"),
        "linear": (lambda x: F.linear(x, d["lw"], d["lb"]), "x"),
        "linear_nobias": (lambda x: F.linear(x, d["lw"]), "x"),
        "mse": (lambda x: F.mse_loss(x, d["w"]), "x"),
        "mse_sum": (lambda x: F.mse_loss(x, d["w"], reduction="sum"), "x"),
        "mse_none": (lambda x: F.mse_loss(x, d["w"], reduction="none"), "x"),
        "l1": (lambda x: F.l1_loss(x, d["w"]), "x"),
        "smooth_l1": (lambda x: F.smooth_l1_loss(x, d["w"], beta=0.5), "x"),
        "ce": (lambda x: F.cross_entropy(x, d["cls"]), "x"),
        "ce_sum": (lambda x: F.cross_entropy(x, d["cls"], reduction="sum"), "x"),
        "ce_none": (lambda x: F.cross_entropy(x, d["cls"], reduction="none"), "x"),
        "ce_weight": (lambda x: F.cross_entropy(x, d["cls"], weight=d["cw"]), "x"),
        "ce_ignore": (lambda x: F.cross_entropy(x, d["cls_ign"]), "x"),
        "ce_smooth": (lambda x: F.cross_entropy(x, d["cls_ign"], label_smoothing=0.1), "x"),
        "ce_smooth_weight": (
            lambda x: F.cross_entropy(x, d["cls_ign"], weight=d["cw"], label_smoothing=0.2),
            "x",
        ),
        "ce_probs": (lambda x: F.cross_entropy(x, d["probs"]), "x"),
        "ce_probs_smooth_weight": (
            lambda x: F.cross_entropy(x, d["probs"], weight=d["cw"], label_smoothing=0.3),
            "x",
        ),
        "ce_kdim": (lambda x: F.cross_entropy(x, d["cls3"]), "x3"),
        "ce_kdim_none": (lambda x: F.cross_entropy(x, d["cls3"], reduction="none"), "x3"),
        "nll": (lambda x: F.nll_loss(F.log_softmax(x, 1), d["cls"]), "x"),
        "nll_weight_ignore": (
            lambda x: F.nll_loss(x, d["cls_ign"], weight=d["cw"], reduction="mean"),
            "x",
        ),
        "bce": (lambda p: F.binary_cross_entropy(p, d["t01"]), "p"),
        "bce_weight_sum": (
            lambda p: F.binary_cross_entropy(p, d["t01"], weight=d["w"], reduction="sum"),
            "p",
        ),
        "bce_logits": (lambda x: F.binary_cross_entropy_with_logits(x, d["t01"]), "x"),
        "bce_logits_pos_weight": (
            lambda x: F.binary_cross_entropy_with_logits(
                x, d["t01"], weight=d["w"], pos_weight=d["pw"], reduction="none"
            ),
            "x",
        ),
    }


def optim_problem(fg):
    """A small least-squares problem: parameters and a loss closure (float64)."""
    D = fg.float64
    a = fg.tensor(np.sin(np.arange(12) * 0.5).reshape(4, 3), dtype=D)
    y = fg.tensor(np.cos(np.arange(4) * 0.8), dtype=D)
    w = fg.tensor([0.3, -0.2, 0.5], dtype=D, requires_grad=True)
    b = fg.tensor([0.1], dtype=D, requires_grad=True)

    def loss_fn():
        r = a.matmul(w) + b - y
        return (r * r).mean() + (w * w * w).sum() * 0.1

    return [w, b], loss_fn


def optimizers(fg):
    """name -> optimizer factory, covering every hyperparameter path."""
    O = fg.optim
    return {
        "sgd": lambda p: O.SGD(p, lr=0.1),
        "sgd_momentum": lambda p: O.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.05),
        "sgd_nesterov": lambda p: O.SGD(p, lr=0.05, momentum=0.8, nesterov=True),
        "sgd_maximize": lambda p: O.SGD(p, lr=0.01, momentum=0.5, maximize=True),
        "adam": lambda p: O.Adam(p, lr=0.05),
        "adam_wd": lambda p: O.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
        "adam_amsgrad": lambda p: O.Adam(p, lr=0.05, amsgrad=True),
        "adam_maximize": lambda p: O.Adam(p, lr=0.01, maximize=True),
        "adamw": lambda p: O.AdamW(p, lr=0.05),
        "adamw_amsgrad": lambda p: O.AdamW(p, lr=0.05, weight_decay=0.2, amsgrad=True),
        "rmsprop": lambda p: O.RMSprop(p, lr=0.01),
        "rmsprop_centered_momentum": lambda p: O.RMSprop(
            p, lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1
        ),
        "rmsprop_maximize": lambda p: O.RMSprop(p, lr=0.001, maximize=True),
        "adagrad": lambda p: O.Adagrad(p, lr=0.1),
        "adagrad_decay": lambda p: O.Adagrad(
            p, lr=0.1, lr_decay=0.1, weight_decay=0.05, initial_accumulator_value=0.2, maximize=True
        ),
    }
