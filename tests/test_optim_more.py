"""More optimizers and schedulers: several steps on a small problem (float64 and float32)
and learning-rate sequences, against values recorded from PyTorch 2.13 by
tests/data/record_optim_more.py (cases in tests/data/optim_more_cases.py); reprs, state
dicts, parameter groups, errors."""

import copy
import json
import math
import os
import sys

import numpy as np
import pytest
from backend import fg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
import optim_more_cases as cases

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "optim_more_expected.json")) as _f:
    EXPECTED = json.load(_f)

OPTIMIZERS = cases.optimizers(fg)
SCHEDULERS = cases.schedulers(fg)
TOL = {"float64": (1e-9, 1e-12), "float32": (2e-5, 2e-6)}
# L-BFGS divides by small curvature products, which amplifies the last-bit differences of
# dot products summed in another order than PyTorch's BLAS.
LBFGS_TOL = {"float64": (1e-8, 1e-11), "float32": (5e-3, 1e-3)}


@pytest.mark.parametrize("dt", ["float64", "float32"])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_steps_match_pytorch(name, dt):
    params, loss_fn = cases.problem(fg, dt)
    opt = OPTIMIZERS[name](params)
    exp = EXPECTED["optim"][f"{name}/{dt}"]
    rtol, atol = (LBFGS_TOL if name.startswith("lbfgs") else TOL)[dt]

    def closure():
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        return loss

    for k in range(cases.STEPS):
        loss = float(opt.step(closure).detach())
        assert loss == pytest.approx(exp["losses"][k], rel=rtol * 10, abs=atol)
        for p, e in zip(params, exp["params"][k]):
            np.testing.assert_allclose(np.asarray(p.detach().tolist()), np.asarray(e), rtol=rtol, atol=atol)
        assert p.dtype == getattr(fg, dt)


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_scheduler_sequences_match_pytorch(name):
    opt = cases.scheduler_optimizer(fg)
    sched = SCHEDULERS[name](opt)
    exp = EXPECTED["sched"][name]
    for k in range(len(exp["lrs"])):
        np.testing.assert_allclose(sched.get_last_lr(), exp["lrs"][k], rtol=1e-12, atol=1e-15)
        moms = [g.get("momentum") for g in opt.param_groups]
        np.testing.assert_allclose(moms, exp["momentum"][k], rtol=1e-12, atol=1e-15)
        opt.step()
        sched.step()


def test_reduce_lr_on_plateau_matches_pytorch():
    opt = cases.scheduler_optimizer(fg)
    sched = fg.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2, cooldown=1, min_lr=0.02)
    for m, e in zip(cases.PLATEAU_METRICS, EXPECTED["sched"]["plateau"]["lrs"]):
        sched.step(m)
        np.testing.assert_allclose(sched.get_last_lr(), e, rtol=1e-12)


def test_reprs():
    p = [fg.nn.Parameter(fg.ones(2))]
    o = fg.optim
    assert repr(o.Adadelta(p)) == (
        "Adadelta (\nParameter Group 0\n    capturable: False\n    differentiable: False\n    eps: 1e-06\n"
        "    foreach: None\n    lr: 1.0\n    maximize: False\n    rho: 0.9\n    weight_decay: 0\n)"
    )
    assert repr(o.Rprop(p)) == (
        "Rprop (\nParameter Group 0\n    capturable: False\n    differentiable: False\n    etas: (0.5, 1.2)\n"
        "    foreach: None\n    lr: 0.01\n    maximize: False\n    step_sizes: (1e-06, 50)\n)"
    )
    assert repr(o.LBFGS(p)) == (
        "LBFGS (\nParameter Group 0\n    history_size: 100\n    line_search_fn: None\n    lr: 1\n    max_eval: 25\n"
        "    max_iter: 20\n    tolerance_change: 1e-09\n    tolerance_grad: 1e-07\n)"
    )
    assert repr(o.NAdam(p)) == (
        "NAdam (\nParameter Group 0\n    betas: (0.9, 0.999)\n    capturable: False\n"
        "    decoupled_weight_decay: False\n    differentiable: False\n    eps: 1e-08\n    foreach: None\n"
        "    lr: 0.002\n    maximize: False\n    momentum_decay: 0.004\n    weight_decay: 0\n)"
    )
    assert repr(o.ASGD(p)) == (
        "ASGD (\nParameter Group 0\n    alpha: 0.75\n    capturable: False\n    differentiable: False\n"
        "    foreach: None\n    lambd: 0.0001\n    lr: 0.01\n    maximize: False\n    t0: 1000000.0\n"
        "    weight_decay: 0\n)"
    )
    assert sorted(o.Adamax(p).defaults) == ["betas", "capturable", "differentiable", "eps", "foreach", "lr",
                                            "maximize", "weight_decay"]
    assert sorted(o.RAdam(p).defaults) == ["betas", "capturable", "decoupled_weight_decay", "differentiable",
                                           "eps", "foreach", "lr", "maximize", "weight_decay"]


def test_state_dict_round_trip_continues_identically():
    for name in ["nadam", "asgd", "rprop", "adamax", "adadelta", "radam"]:
        params, loss_fn = cases.problem(fg, "float64")
        opt = OPTIMIZERS[name](params)
        for _ in range(2):
            opt.zero_grad()
            loss_fn().backward()
            opt.step()
        sd = opt.state_dict()
        assert sorted(sd) == ["param_groups", "state"]
        assert sd["param_groups"][0]["params"] == [0, 1]
        params2 = [p.detach().clone().requires_grad_() for p in params]
        opt2 = OPTIMIZERS[name](params2)
        opt2.load_state_dict(copy.deepcopy(sd))  # state_dict() shares the live state tensors
        for ps, o in ((params, opt), (params2, opt2)):
            o.zero_grad()
            loss = ((ps[0] ** 2).sum() + ps[1].sum())
            loss.backward()
            o.step()
        # Loading casts the float32 scalar state (NAdam's mu_product) to the parameters' dtype,
        # as PyTorch does, so the continuation agrees to rounding.
        for a, b in zip(params, params2):
            np.testing.assert_allclose(np.asarray(a.tolist()), np.asarray(b.tolist()), rtol=1e-8)


def test_add_param_group_and_zero_grad():
    a = fg.zeros(2, requires_grad=True)
    b = fg.zeros(2, requires_grad=True)
    opt = fg.optim.NAdam([a], lr=0.1)
    opt.add_param_group({"params": [b], "lr": 0.5})
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert opt.param_groups[1]["momentum_decay"] == 0.004
    (a.sum() + b.sum()).backward()
    opt.zero_grad(set_to_none=False)
    assert a.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert a.grad is None and b.grad is None
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [a]})


def test_errors():
    p = [fg.zeros(1, requires_grad=True)]
    with pytest.raises(ValueError, match="Invalid rho value: 1.5"):
        fg.optim.Adadelta(p, rho=1.5)
    with pytest.raises(ValueError, match="Invalid eta values: 1.5, 1.2"):
        fg.optim.Rprop(p, etas=(1.5, 1.2))
    with pytest.raises(ValueError, match="Invalid momentum_decay value: -1"):
        fg.optim.NAdam(p, momentum_decay=-1)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1: 1.0"):
        fg.optim.RAdam(p, betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="LBFGS doesn't support per-parameter options"):
        fg.optim.LBFGS([{"params": p}, {"params": [fg.zeros(1, requires_grad=True)]}])
    q = fg.zeros(1, requires_grad=True)
    opt = fg.optim.LBFGS([q], line_search_fn="bogus")

    def closure():
        opt.zero_grad()
        loss = ((q - 1) ** 2).sum()
        loss.backward()
        return loss

    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        opt.step(closure)


def test_lbfgs_converges_on_a_quadratic():
    x = fg.tensor([3.0, -2.0], dtype=fg.float64, requires_grad=True)
    opt = fg.optim.LBFGS([x], line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = ((x - fg.tensor([1.0, 2.0], dtype=fg.float64)) ** 2 * fg.tensor([1.0, 10.0], dtype=fg.float64)).sum()
        loss.backward()
        return loss

    opt.step(closure)
    np.testing.assert_allclose(x.detach().tolist(), [1.0, 2.0], atol=1e-6)
    assert opt.state[x]["func_evals"] > 1 and opt.state[x]["n_iter"] >= 1


def test_scheduler_state_dict_and_last_lr():
    opt = cases.scheduler_optimizer(fg)
    s = fg.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.5, total_steps=10)
    for _ in range(3):
        opt.step()
        s.step()
    sd = s.state_dict()
    assert "optimizer" not in sd and sd["last_epoch"] == 3
    assert s.get_last_lr() == [g["lr"] for g in opt.param_groups]
    with pytest.raises(ValueError, match="Tried to step 11 times. The specified number of total steps is 10"):
        for _ in range(8):
            opt.step()
            s.step()
    assert math.isfinite(s.get_last_lr()[0])


def test_scheduler_warns_when_stepped_before_the_optimizer():
    import warnings

    opt = cases.scheduler_optimizer(fg)
    s = fg.optim.lr_scheduler.StepLR(opt, step_size=2)
    with pytest.warns(UserWarning, match="Detected call of `lr_scheduler.step\\(\\)` before `optimizer.step\\(\\)`"):
        s.step()
    opt = cases.scheduler_optimizer(fg)
    s = fg.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step()
        s.step()
    assert s.get_last_lr() == [0.05, 0.025]
