"""Shared by tests/test_optim_more.py and tests/data/record_optim_more.py: a small problem,
the optimizer configurations and the scheduler configurations (recorded with PyTorch 2.13)."""

import math

import numpy as np

STEPS = 5


def problem(mod, dtype_name):
    """Two parameters and a non-quadratic loss of them (built without the generator)."""
    dt = getattr(mod, dtype_name)
    w = mod.tensor(np.sin(np.arange(6) * 0.9).reshape(2, 3) * 1.5, dtype=dt, requires_grad=True)
    b = mod.tensor([0.3, -0.7], dtype=dt, requires_grad=True)
    x = mod.tensor(np.cos(np.arange(12) * 0.4).reshape(4, 3), dtype=dt)
    target = mod.tensor(np.sin(np.arange(8) * 0.6).reshape(4, 2), dtype=dt)

    def loss_fn():
        out = (x @ w.t() + b).tanh()
        return ((out - target) ** 2).sum() + 0.1 * (w**4).sum()

    return [w, b], loss_fn


def optimizers(mod):
    o = mod.optim
    return {
        "sgd": lambda p: o.SGD(p, lr=0.05),
        "sgd_momentum": lambda p: o.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01),
        "sgd_nesterov_max": lambda p: o.SGD(p, lr=0.02, momentum=0.8, nesterov=True, maximize=True),
        "adam": lambda p: o.Adam(p, lr=0.05),
        "adam_amsgrad_wd": lambda p: o.Adam(p, lr=0.05, amsgrad=True, weight_decay=0.1, maximize=True),
        "adamw": lambda p: o.AdamW(p, lr=0.05, weight_decay=0.3, amsgrad=True),
        "adagrad": lambda p: o.Adagrad(p, lr=0.1, lr_decay=0.05, initial_accumulator_value=0.2, weight_decay=0.01),
        "rmsprop": lambda p: o.RMSprop(p, lr=0.01),
        "rmsprop_centered_momentum": lambda p: o.RMSprop(p, lr=0.01, centered=True, momentum=0.5, weight_decay=0.1),
        "adadelta": lambda p: o.Adadelta(p, lr=0.5, weight_decay=0.05),
        "adadelta_max": lambda p: o.Adadelta(p, rho=0.8, maximize=True),
        "adamax": lambda p: o.Adamax(p, lr=0.05, weight_decay=0.02),
        "nadam": lambda p: o.NAdam(p, lr=0.05),
        "nadam_decoupled": lambda p: o.NAdam(p, lr=0.05, weight_decay=0.1, momentum_decay=0.01,
                                             decoupled_weight_decay=True),
        "nadam_wd": lambda p: o.NAdam(p, lr=0.05, weight_decay=0.1),
        "radam": lambda p: o.RAdam(p, lr=0.05),
        "radam_decoupled": lambda p: o.RAdam(p, lr=0.05, betas=(0.5, 0.6), weight_decay=0.1,
                                             decoupled_weight_decay=True),
        "rprop": lambda p: o.Rprop(p, lr=0.05),
        "rprop_etas": lambda p: o.Rprop(p, lr=0.1, etas=(0.3, 1.5), step_sizes=(0.01, 0.2)),
        "asgd": lambda p: o.ASGD(p, lr=0.05, t0=2, weight_decay=0.01),
        "asgd_lambd": lambda p: o.ASGD(p, lr=0.05, lambd=0.1, alpha=0.5),
        "lbfgs": lambda p: o.LBFGS(p, lr=0.2, max_iter=4),
        "lbfgs_history": lambda p: o.LBFGS(p, lr=1, max_iter=6, history_size=2),
        "lbfgs_wolfe": lambda p: o.LBFGS(p, max_iter=5, line_search_fn="strong_wolfe"),
    }


def schedulers(mod):
    s = mod.optim.lr_scheduler
    return {
        "step": lambda opt: s.StepLR(opt, step_size=3, gamma=0.5),
        "multistep": lambda opt: s.MultiStepLR(opt, milestones=[2, 5, 5, 9], gamma=0.3),
        "exponential": lambda opt: s.ExponentialLR(opt, gamma=0.9),
        "cosine": lambda opt: s.CosineAnnealingLR(opt, T_max=6, eta_min=0.01),
        "linear": lambda opt: s.LinearLR(opt, start_factor=0.25, end_factor=0.9, total_iters=6),
        "lambda": lambda opt: s.LambdaLR(opt, lambda e: 1.0 / (1 + e)),
        "multiplicative": lambda opt: s.MultiplicativeLR(opt, lambda e: 0.95),
        "constant": lambda opt: s.ConstantLR(opt, factor=0.4, total_iters=4),
        "polynomial": lambda opt: s.PolynomialLR(opt, total_iters=7, power=2.0),
        "warm_restarts": lambda opt: s.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.001),
        "cyclic_triangular": lambda opt: s.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=3),
        "cyclic_tri2": lambda opt: s.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2, step_size_down=3,
                                              mode="triangular2"),
        "cyclic_exp": lambda opt: s.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="exp_range",
                                             gamma=0.9),
        "onecycle_cos": lambda opt: s.OneCycleLR(opt, max_lr=0.5, total_steps=15),
        "onecycle_linear_3phase": lambda opt: s.OneCycleLR(opt, max_lr=[0.5, 0.2], total_steps=15,
                                                           anneal_strategy="linear", three_phase=True,
                                                           pct_start=0.4),
        "onecycle_epochs": lambda opt: s.OneCycleLR(opt, max_lr=0.3, epochs=3, steps_per_epoch=5,
                                                    div_factor=10.0, final_div_factor=100.0),
        "sequential": lambda opt: s.SequentialLR(opt, [s.ConstantLR(opt, factor=0.5, total_iters=2),
                                                       s.ExponentialLR(opt, gamma=0.8)], milestones=[3]),
        "chained": lambda opt: s.ChainedScheduler([s.ConstantLR(opt, factor=0.5, total_iters=2),
                                                   s.ExponentialLR(opt, gamma=0.8)]),
    }


def scheduler_optimizer(mod):
    """SGD with momentum (cycled by CyclicLR/OneCycleLR) over two parameter groups."""
    a = mod.zeros(2, requires_grad=True)
    b = mod.zeros(2, requires_grad=True)
    return mod.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1, momentum=0.9)


PLATEAU_METRICS = [1.0, 0.9, 0.95, 0.95, 0.96, 0.97, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, math.inf]
