"""`optim`: SGD, Adam, AdamW against PyTorch's parameters after several steps (float64,
tests/data/nn_expected.json, recorded by tests/data/record_nn.py), the Optimizer base
class (groups, state dicts, zero_grad, errors, printing) and the lr schedulers.
"""

import copy
import json
import math
import os
import sys

import numpy as np
import pytest
from backend import fg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
import nn_cases

nn = fg.nn
optim = fg.optim
D = fg.float64

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "nn_expected.json")) as _f:
    EXPECTED = json.load(_f)["optim"]

STEPS = 6


def run(make, steps=STEPS):
    params, loss_fn = nn_cases.optim_problem(fg)
    opt = make(params)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return params, opt, losses, loss_fn


@pytest.mark.parametrize("name", sorted(nn_cases.optimizers(fg)))
def test_updates_match_pytorch(name):
    make = nn_cases.optimizers(fg)[name]
    params, _, losses, _ = run(make)
    e = EXPECTED[name]
    np.testing.assert_allclose(losses, e["losses"], rtol=1e-12, atol=1e-14)
    for p, q in zip(params, e["params"]):
        np.testing.assert_allclose(np.asarray(p.tolist()), np.asarray(q), rtol=1e-12, atol=1e-14)
        assert p.is_leaf and p.requires_grad and p.grad_fn is None


def test_step_with_closure_returns_loss():
    params, loss_fn = nn_cases.optim_problem(fg)
    opt = optim.SGD(params, lr=0.1)

    def closure():
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        return loss

    first = opt.step(closure)
    assert math.isclose(first.item(), EXPECTED["sgd"]["losses"][0], rel_tol=1e-12)
    np.testing.assert_allclose(opt.step(closure).item(), EXPECTED["sgd"]["losses"][1], rtol=1e-12)


def test_parameters_without_grad_are_skipped():
    a = nn.Parameter(fg.tensor([1.0, 2.0]))
    b = nn.Parameter(fg.tensor([3.0]))
    for opt in (optim.SGD([a, b], lr=0.5, momentum=0.9), optim.Adam([a, b])):
        a.grad = fg.tensor([1.0, 1.0])
        b.grad = None
        opt.step()
        assert b.tolist() == [3.0]
        assert len(opt.state) == 1


def test_sgd_state_and_state_dict():
    _, opt, _, _ = run(lambda p: optim.SGD(p, lr=0.1, momentum=0.9))
    sd = opt.state_dict()
    assert sorted(sd) == ["param_groups", "state"]
    assert sd["param_groups"] == [{
        "lr": 0.1, "momentum": 0.9, "dampening": 0, "weight_decay": 0, "nesterov": False,
        "maximize": False, "foreach": None, "differentiable": False, "fused": None, "params": [0, 1],
    }]
    assert sorted(sd["state"]) == [0, 1]
    assert list(sd["state"][0]) == ["momentum_buffer"]
    _, plain, _, _ = run(lambda p: optim.SGD(p, lr=0.1))
    assert plain.state_dict()["state"] == {}


def test_adam_state_dict_keys():
    _, opt, _, _ = run(lambda p: optim.Adam(p, lr=0.05, amsgrad=True))
    sd = opt.state_dict()
    assert list(sd["state"][0]) == ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
    step = sd["state"][0]["step"]
    assert step.dtype == fg.float32 and step.shape == () and step.item() == float(STEPS)
    assert sd["param_groups"][0] == {
        "lr": 0.05, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0, "amsgrad": True,
        "maximize": False, "foreach": None, "capturable": False, "differentiable": False, "fused": None,
        "decoupled_weight_decay": False, "params": [0, 1],
    }
    _, w, _, _ = run(lambda p: optim.AdamW(p), steps=1)
    g = w.state_dict()["param_groups"][0]
    assert g["weight_decay"] == 0.01 and g["decoupled_weight_decay"] is True


@pytest.mark.parametrize("name", ["sgd_momentum", "adam_amsgrad", "adamw"])
def test_load_state_dict_resumes_exactly(name):
    make = nn_cases.optimizers(fg)[name]
    params, opt, _, loss_fn = run(make, steps=3)
    sd = copy.deepcopy(opt.state_dict())
    values = [p.detach().clone() for p in params]
    params2, loss_fn2 = nn_cases.optim_problem(fg)
    with fg.no_grad():
        for p, v in zip(params2, values):
            p.copy_(v)
    opt2 = make(params2)
    opt2.load_state_dict(sd)
    for p_opt in (opt, opt2):
        fn = loss_fn if p_opt is opt else loss_fn2
        for _ in range(STEPS - 3):
            p_opt.zero_grad()
            fn().backward()
            p_opt.step()
    for p, q in zip(params, params2):
        assert p.tolist() == q.tolist()
    for p, q in zip(params2, EXPECTED[name]["params"]):
        np.testing.assert_allclose(np.asarray(p.tolist()), np.asarray(q), rtol=1e-12, atol=1e-14)
    # as in PyTorch, the loaded state tensors are the state dict's own
    key = "momentum_buffer" if name.startswith("sgd") else "exp_avg"
    assert opt2.state[params2[0]][key] is sd["state"][0][key]


def test_load_state_dict_errors():
    a = nn.Parameter(fg.ones(2))
    b = nn.Parameter(fg.ones(2))
    opt = optim.SGD([a, b], lr=0.1)
    with pytest.raises(ValueError, match="loaded state dict has a different number of parameter groups"):
        opt.load_state_dict({"state": {}, "param_groups": []})
    with pytest.raises(ValueError, match="loaded state dict contains a parameter group that doesn't match the "
                                         "size of optimizer's group"):
        opt.load_state_dict({"state": {}, "param_groups": [{"lr": 0.1, "params": [0]}]})


def test_param_groups_and_add_param_group():
    a = nn.Parameter(fg.tensor([1.0]))
    b = nn.Parameter(fg.tensor([1.0]))
    c = nn.Parameter(fg.tensor([1.0]))
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert opt.param_groups[1]["momentum"] == 0.9 and opt.param_groups[1]["params"] == [b]
    assert opt.defaults["lr"] == 0.1
    opt.add_param_group({"params": [c], "lr": 1.0})
    assert [g["params"][0] is p for g, p in zip(opt.param_groups, (a, b, c))] == [True, True, True]
    for p in (a, b, c):
        p.grad = fg.tensor([1.0])
    opt.step()
    assert [a.item(), b.item(), c.item()] == [0.8999999761581421, 0.5, 0.0]
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(TypeError, match="optimizer parameters need to be organized in ordered collections"):
        opt.add_param_group({"params": {nn.Parameter(fg.ones(1))}})
    assert [g["params"] for g in opt.state_dict()["param_groups"]] == [[0], [1], [2]]


def test_zero_grad():
    p = nn.Parameter(fg.tensor([1.0, 2.0]))
    opt = optim.Adam([p])
    (p * p).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert p.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert p.grad is None


def test_optimizer_reprs():
    p = [nn.Parameter(fg.ones(2))]
    assert repr(optim.SGD(p, lr=0.1)) == (
        "SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n    foreach: None\n"
        "    fused: None\n    lr: 0.1\n    maximize: False\n    momentum: 0\n    nesterov: False\n"
        "    weight_decay: 0\n)"
    )
    assert repr(optim.AdamW(p)) == (
        "AdamW (\nParameter Group 0\n    amsgrad: False\n    betas: (0.9, 0.999)\n    capturable: False\n"
        "    decoupled_weight_decay: True\n    differentiable: False\n    eps: 1e-08\n    foreach: None\n"
        "    fused: None\n    lr: 0.001\n    maximize: False\n    weight_decay: 0.01\n)"
    )


@pytest.mark.parametrize(
    "make, exc, msg",
    [
        (lambda p: optim.SGD(p[0]), TypeError,
         "params argument given to the optimizer should be an iterable of Tensors or dicts, but got "),
        (lambda p: optim.SGD([]), ValueError, "optimizer got an empty parameter list"),
        (lambda p: optim.SGD(p, lr=-1), ValueError, "Invalid learning rate: -1"),
        (lambda p: optim.SGD(p, lr=0.1, nesterov=True), ValueError,
         "Nesterov momentum requires a momentum and zero dampening"),
        (lambda p: optim.SGD(p, momentum=-1), ValueError, "Invalid momentum value: -1"),
        (lambda p: optim.SGD(p, weight_decay=-1), ValueError, "Invalid weight_decay value: -1"),
        (lambda p: optim.SGD([1]), TypeError, "optimizer can only optimize Tensors, but one of the params is int"),
        (lambda p: optim.SGD([p[0] * 2]), ValueError, "can't optimize a non-leaf Tensor"),
        (lambda p: optim.Adam(p, lr=-1), ValueError, "Invalid learning rate: -1"),
        (lambda p: optim.Adam(p, betas=(1.0, 0.9)), ValueError, "Invalid beta parameter at index 0: 1.0"),
        (lambda p: optim.Adam(p, betas=(0.9, 1.0)), ValueError, "Invalid beta parameter at index 1: 1.0"),
        (lambda p: optim.Adam(p, eps=-1), ValueError, "Invalid epsilon value: -1"),
        (lambda p: optim.AdamW(p, weight_decay=-1), ValueError, "Invalid weight_decay value: -1"),
    ],
)
def test_optimizer_errors(make, exc, msg):
    p = [nn.Parameter(fg.ones(2))]
    with pytest.raises(exc) as e:
        make(p)
    assert str(e.value).startswith(msg)


def test_module_training_loop_with_adamw():
    fg.manual_seed(0)
    x = fg.linspace(-2, 2, 64).reshape(64, 1)
    y = (x * 1.5).tanh()
    model = nn.Sequential(nn.Linear(1, 16), nn.SiLU(), nn.Linear(16, 1))
    opt = optim.AdamW(model.parameters(), lr=0.02, weight_decay=1e-4)
    first = None
    for _ in range(300):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        first = loss.item() if first is None else first
    assert loss.item() < 2e-3 < first


# --------------------------------------------------------------------------- schedulers


def lrs(make_sched, lr, n):
    opt = optim.SGD([nn.Parameter(fg.ones(2))], lr=lr)
    sched = make_sched(opt)
    out = []
    for _ in range(n):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr()[0])
    assert opt.param_groups[0]["lr"] == out[-1]
    assert opt.param_groups[0]["initial_lr"] == lr
    return out


def test_lr_schedulers_match_pytorch():
    s = optim.lr_scheduler
    assert lrs(lambda o: s.StepLR(o, 2, 0.5), 1.0, 6) == [1.0, 0.5, 0.5, 0.25, 0.25, 0.125]
    assert lrs(lambda o: s.CosineAnnealingLR(o, 4, 0.1), 1.0, 10) == [
        0.8681980515339464, 0.55, 0.23180194846605368, 0.1, 0.2318019484660536, 0.55, 0.8681980515339467,
        1.0000000000000004, 0.8681980515339468, 0.5500000000000004,
    ]
    assert lrs(lambda o: s.ExponentialLR(o, 0.9), 1.0, 3) == [0.9, 0.81, 0.7290000000000001]
    assert lrs(lambda o: s.MultiStepLR(o, [1, 3], 0.1), 1.0, 4) == [
        0.1, 0.1, 0.010000000000000002, 0.010000000000000002,
    ]
    assert lrs(lambda o: s.LambdaLR(o, lambda e: 1 / (e + 1)), 2.0, 3) == [1.0, 0.6666666666666666, 0.5]


def test_rmsprop_and_adagrad_state():
    _, opt, _, _ = run(lambda p: optim.RMSprop(p, lr=0.01, momentum=0.9, centered=True), steps=1)
    assert list(opt.state_dict()["state"][0]) == ["step", "square_avg", "momentum_buffer", "grad_avg"]
    assert opt.defaults == {
        "lr": 0.01, "momentum": 0.9, "alpha": 0.99, "eps": 1e-08, "centered": True, "weight_decay": 0,
        "capturable": False, "foreach": None, "maximize": False, "differentiable": False,
    }
    p = nn.Parameter(fg.ones(2))
    ada = optim.Adagrad([p], initial_accumulator_value=0.5)
    sd = ada.state_dict()
    assert list(sd["state"][0]) == ["step", "sum"]
    assert sd["state"][0]["step"].item() == 0.0 and sd["state"][0]["sum"].tolist() == [0.5, 0.5]
    with pytest.raises(ValueError, match="Invalid alpha value: -1"):
        optim.RMSprop([p], alpha=-1)
    with pytest.raises(ValueError, match="Invalid lr_decay value: -1"):
        optim.Adagrad([p], lr_decay=-1)
    with pytest.raises(ValueError, match="Invalid initial_accumulator_value value: -1"):
        optim.Adagrad([p], initial_accumulator_value=-1)


def test_linear_lr_and_reduce_on_plateau_match_pytorch():
    s = optim.lr_scheduler
    assert lrs(lambda o: s.LinearLR(o, 0.25, 1.0, 4), 1.0, 7) == [0.4375, 0.625, 0.8125, 1.0, 1.0, 1.0, 1.0]
    assert lrs(lambda o: s.LinearLR(o, 1.0, 0.1, 3), 0.5, 5) == [
        0.35, 0.19999999999999998, 0.049999999999999996, 0.049999999999999996, 0.049999999999999996,
    ]
    metrics = [5, 4, 4, 4.1, 4, 4, 3, 3, 3, 3, 3, 3]

    def plateau(make, lr):
        opt = optim.SGD([nn.Parameter(fg.ones(2))], lr=lr)
        sched = make(opt)
        out = []
        for m in metrics:
            opt.step()
            sched.step(m)
            out.append(sched.get_last_lr()[0])
        return out

    assert plateau(lambda o: s.ReduceLROnPlateau(o, patience=1, factor=0.5), 1.0) == [
        1.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.0625, 0.0625,
    ]
    assert plateau(
        lambda o: s.ReduceLROnPlateau(o, mode="max", patience=0, cooldown=2, threshold_mode="abs",
                                      threshold=0.5, min_lr=0.3),
        1.0,
    ) == [1.0] + [0.3] * 11
