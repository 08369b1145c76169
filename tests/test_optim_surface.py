"""The rest of PyTorch 2.13's torch.optim: Adafactor, Muon, SparseAdam, swa_utils,
swap_in_optimizer_params_and_state, and the deprecated nn.init aliases. Trajectories and
values are recorded from PyTorch by tests/data/record_optim_surface.py (problems in
tests/data/optim_surface_cases.py)."""

import copy
import os
import sys
import warnings

import numpy as np
import pytest
from backend import IS_TORCH, fg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
import optim_surface_cases as cases
import optim_surface_expected as expected

MOD_NAME = "torch" if IS_TORCH else "ferrograd"


def _params():
    return [fg.nn.Parameter(fg.ones(2, 2))]


# ---------------------------------------------------------------- names


def test_every_torch_optim_name_exists():
    public = {n for n in dir(fg.optim) if not n.startswith("_")}
    assert set(expected.OPTIM_NAMES) <= public
    assert set(expected.SWA_NAMES) <= set(dir(fg.optim.swa_utils))
    assert set(expected.INIT_NAMES) <= set(dir(fg.nn.init))
    for name in ["Adafactor", "Muon", "SparseAdam"]:
        assert issubclass(getattr(fg.optim, name), fg.optim.Optimizer)


@pytest.mark.parametrize("name", sorted(expected.GROUP_KEYS))
def test_param_group_keys_reprs_and_state_dict_layout(name):
    opt = getattr(fg.optim, name)(_params())
    assert list(opt.param_groups[0]) == expected.GROUP_KEYS[name]
    assert repr(opt).replace(f"{MOD_NAME}.", "") == expected.REPRS[name]
    sd = opt.state_dict()
    assert list(sd) == ["state", "param_groups"]
    if name == "Adagrad":  # fills its state in the constructor
        assert list(sd["state"]) == [0] and list(sd["state"][0]) == ["step", "sum"]
    else:
        assert sd["state"] == {}
    assert list(sd["param_groups"][0]) == expected.GROUP_KEYS[name][1:] + ["params"]
    assert sd["param_groups"][0]["params"] == [0]


def test_new_optimizer_reprs():
    p = _params()
    assert repr(fg.optim.Adafactor(p)) == (
        "Adafactor (\nParameter Group 0\n    beta2_decay: -0.8\n    d: 1.0\n    eps: (None, 0.001)\n"
        "    foreach: None\n    lr: 0.01\n    maximize: False\n    weight_decay: 0.0\n)"
    )
    assert repr(fg.optim.Muon(p)) == (
        "Muon (\nParameter Group 0\n    adjust_lr_fn: None\n    eps: 1e-07\n    lr: 0.001\n    momentum: 0.95\n"
        "    nesterov: True\n    ns_coefficients: (3.4445, -4.775, 2.0315)\n    ns_steps: 5\n    weight_decay: 0.1\n)"
    )
    assert repr(fg.optim.SparseAdam(p)) == (
        "SparseAdam (\nParameter Group 0\n    betas: (0.9, 0.999)\n    eps: 1e-08\n    lr: 0.001\n"
        "    maximize: False\n)"
    )


# ---------------------------------------------------------------- Adafactor


@pytest.mark.parametrize("case", sorted(cases.ADAFACTOR))
def test_adafactor_trajectory_matches_pytorch(case):
    got = cases.adafactor_trajectory(fg, cases.ADAFACTOR[case])
    for step_got, step_exp in zip(got, expected.ADAFACTOR[case], strict=True):
        for a, e in zip(step_got, step_exp, strict=True):
            np.testing.assert_allclose(a, e, rtol=1e-12, atol=1e-14)


def test_adafactor_state_layout_and_round_trip():
    W = fg.tensor(cases.W0, dtype=fg.float64, requires_grad=True)
    b = fg.tensor([0.25, -0.5], dtype=fg.float64, requires_grad=True)
    opt = fg.optim.Adafactor([W, b], lr=0.1)

    def step(o, ps):
        o.zero_grad()
        ((ps[0] ** 2).sum() + (ps[1] ** 3).sum()).backward()
        o.step()

    for _ in range(2):
        step(opt, [W, b])
    sd = opt.state_dict()
    assert sorted(sd["state"][0]) == ["col_var", "row_var", "step"]
    assert sorted(sd["state"][1]) == ["step", "variance"]
    assert list(sd["state"][0]["row_var"].shape) == [2, 1]
    assert list(sd["state"][0]["col_var"].shape) == [1, 3]
    assert sd["state"][0]["step"].item() == 2.0 and sd["state"][0]["step"].dtype == fg.float32
    W2 = W.detach().clone().requires_grad_()
    b2 = b.detach().clone().requires_grad_()
    opt2 = fg.optim.Adafactor([W2, b2], lr=0.1)
    opt2.load_state_dict(copy.deepcopy(sd))
    step(opt, [W, b])
    step(opt2, [W2, b2])
    assert W2.tolist() == W.tolist() and b2.tolist() == b.tolist()


def test_adafactor_errors():
    p = _params()
    cases_ = [
        ({"lr": -1.0}, "Learning rate should be >= 0 but is: -1.0"),
        ({"beta2_decay": 0.5}, "beta2_decay should be <= 0 but is: 0.5"),
        ({"eps": (-1.0, 1e-3)}, "epsilon1 should be >= 0 but is: -1.0"),
        ({"eps": (None, -1.0)}, "epsilon2 should be >= 0 but is: -1.0"),
        ({"d": 0.5}, "Clipping threshold d should be >= 1 but is: 0.5"),
        ({"weight_decay": -0.1}, "weight_decay should be >= 0 but is: -0.1"),
        ({"lr": fg.tensor([0.1, 0.2])}, "Tensor lr must be 1-element"),
    ]
    for kwargs, msg in cases_:
        with pytest.raises(ValueError, match=msg.replace("(", r"\(").replace(")", r"\)")):
            fg.optim.Adafactor(p, **kwargs)


def test_adafactor_tensor_lr_steps_like_a_float():
    a = fg.tensor([1.0, -2.0], dtype=fg.float64, requires_grad=True)
    b = fg.tensor([1.0, -2.0], dtype=fg.float64, requires_grad=True)
    oa = fg.optim.Adafactor([a], lr=fg.tensor(0.25, dtype=fg.float64))
    ob = fg.optim.Adafactor([b], lr=0.25)
    for o, p in ((oa, a), (ob, b)):
        (p**2).sum().backward()
        o.step()
    assert a.tolist() == b.tolist()


# ---------------------------------------------------------------- Muon


@pytest.mark.parametrize("case", sorted(cases.MUON))
def test_muon_trajectory_matches_pytorch(case):
    got = cases.muon_trajectory(fg, *cases.MUON[case])
    for a, e in zip(got, expected.MUON[case], strict=True):
        # The Newton-Schulz iteration runs in bfloat16, as in PyTorch.
        np.testing.assert_allclose(a, e, rtol=0, atol=1e-12)


def test_muon_state_and_round_trip():
    W = fg.tensor(cases.W0, dtype=fg.float64, requires_grad=True)
    opt = fg.optim.Muon([W], lr=0.02)

    def step(o, w):
        o.zero_grad()
        ((w - 1) ** 2).sum().backward()
        o.step()

    step(opt, W)
    sd = opt.state_dict()
    assert list(sd["state"][0]) == ["momentum_buffer"]
    assert sd["state"][0]["momentum_buffer"].dtype == fg.float64
    W2 = W.detach().clone().requires_grad_()
    opt2 = fg.optim.Muon([W2], lr=0.02)
    opt2.load_state_dict(copy.deepcopy(sd))
    step(opt, W)
    step(opt2, W2)
    assert W2.tolist() == W.tolist()


def test_muon_errors():
    p = _params()
    for kwargs, msg in [
        ({"lr": -1.0}, "Learning rate should be >= 0 but is: -1.0"),
        ({"momentum": -0.5}, "momentum should be >= 0 but is: -0.5"),
        ({"weight_decay": -0.5}, "weight decay should be >= 0 but is: -0.5"),
        ({"adjust_lr_fn": "bogus"}, "Adjust learning rate function bogus is not supported"),
    ]:
        with pytest.raises(ValueError, match=msg):
            fg.optim.Muon(p, **kwargs)
    with pytest.raises(ValueError, match="Muon only supports 2D parameters whereas we found a parameter with size"):
        fg.optim.Muon([fg.nn.Parameter(fg.ones(3))])
    W = fg.nn.Parameter(fg.ones(2, 2))
    opt = fg.optim.Muon([W], ns_steps=100)
    W.sum().backward()
    with pytest.raises(ValueError, match="Number of steps must be less than 100 for computational efficiency"):
        opt.step()
    opt = fg.optim.Muon([W], ns_coefficients=(1.0, 2.0))
    with pytest.raises(ValueError, match="Coefficients must be a tuple of exactly 3 values"):
        opt.step()


def test_muon_returns_the_closure_loss_and_skips_params_without_grad():
    W = fg.nn.Parameter(fg.ones(2, 3))
    V = fg.nn.Parameter(fg.ones(2, 3))
    opt = fg.optim.Muon([W, V], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (W * fg.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]])).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert loss.detach().item() == 7.0
    assert V.tolist() == [[1.0] * 3] * 2
    assert len(opt.state) == 1


# ---------------------------------------------------------------- SparseAdam


def test_sparse_adam_rejects_dense_gradients_like_pytorch():
    w = fg.nn.Parameter(fg.ones(3))
    opt = fg.optim.SparseAdam([w])
    assert opt.step() is None  # no gradient: nothing to do
    (w * 2).sum().backward()
    with pytest.raises(RuntimeError, match="SparseAdam does not support dense gradients, please consider Adam instead"):
        opt.step()
    assert len(opt.state) == 0
    assert opt.state_dict() == {"state": {}, "param_groups": [
        {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08, "maximize": False, "params": [0]}]}


def test_sparse_adam_errors():
    p = _params()
    for kwargs, msg in [
        ({"lr": 0.0}, "Invalid learning rate: 0.0"),
        ({"eps": 0.0}, "Invalid epsilon value: 0.0"),
        ({"betas": (1.0, 0.9)}, "Invalid beta parameter at index 0: 1.0"),
        ({"betas": (0.9, -0.1)}, "Invalid beta parameter at index 1: -0.1"),
        ({"lr": fg.tensor([0.1, 0.2])}, "Tensor lr must be 1-element"),
    ]:
        with pytest.raises(ValueError, match=msg):
            fg.optim.SparseAdam(p, **kwargs)


# ---------------------------------------------------------------- swa_utils


@pytest.mark.parametrize("kind", cases.AVERAGED)
def test_averaged_model_matches_pytorch(kind):
    averaged = cases.averaged_model(fg, kind)
    sd = averaged.state_dict()
    exp = expected.AVERAGED[kind]
    assert list(sd) == list(exp)
    for name, value in exp.items():
        np.testing.assert_allclose(np.asarray(sd[name].tolist(), dtype=float), np.asarray(value, dtype=float),
                                   rtol=1e-13, atol=1e-14)
    assert sd["n_averaged"].dtype == fg.int64


def test_averaged_model_module_and_errors():
    m = cases.model(fg)
    s = fg.optim.swa_utils
    a = s.AveragedModel(m)
    assert isinstance(a, fg.nn.Module)
    assert a.module is not m and repr(a).startswith("AveragedModel(\n  (module): Sequential(")
    x = fg.tensor(cases.X, dtype=fg.float64)
    m.eval()
    a.eval()
    np.testing.assert_allclose(a(x).tolist(), m(x).tolist(), rtol=1e-15)
    with pytest.raises(AssertionError, match="Only one of avg_fn and multi_avg_fn should be provided"):
        s.AveragedModel(m, avg_fn=s.get_swa_avg_fn(), multi_avg_fn=s.get_swa_multi_avg_fn())
    for make in (s.get_ema_avg_fn, s.get_ema_multi_avg_fn):
        with pytest.raises(ValueError, match=r"Invalid decay value 1.5 provided. Please provide a value in \[0,1\] range."):
            make(1.5)


def test_swa_and_ema_functions():
    s = fg.optim.swa_utils
    avg = fg.tensor([1.0, 2.0], dtype=fg.float64)
    cur = fg.tensor([3.0, 6.0], dtype=fg.float64)
    assert s.get_swa_avg_fn()(avg, cur, 1).tolist() == [2.0, 4.0]
    assert s.get_ema_avg_fn(0.5)(avg, cur, 7).tolist() == [2.0, 4.0]
    lst = [avg.clone()]
    s.get_ema_multi_avg_fn(0.75)(lst, [cur], 0)
    assert lst[0].tolist() == [1.5, 3.0]
    lst = [avg.clone()]
    s.get_swa_multi_avg_fn()(lst, [cur], 3)
    assert lst[0].tolist() == [1.5, 3.0]
    lst = [fg.tensor([4.0, 8.0], dtype=fg.float64)]
    s.get_swa_multi_avg_fn()(lst, [fg.tensor([8.0, 16.0], dtype=fg.float64)], fg.tensor(3))
    assert lst[0].tolist() == [5.0, 10.0]
    with pytest.raises(RuntimeError):  # an integer tensor with a float alpha
        s.get_swa_multi_avg_fn()([fg.tensor([4, 8])], [fg.tensor([8, 16])], 3)


def test_update_bn_matches_pytorch():
    got = cases.update_bn_result(fg)
    np.testing.assert_allclose(got[0], expected.UPDATE_BN[0], rtol=1e-13)
    np.testing.assert_allclose(got[1], expected.UPDATE_BN[1], rtol=1e-13)
    assert got[2:] == expected.UPDATE_BN[2:]  # batches counted, training flag and momentum restored


def test_update_bn_without_batch_norm_is_a_no_op():
    lin = fg.nn.Linear(2, 2)
    before = lin.weight.tolist()
    fg.optim.swa_utils.update_bn([fg.ones(1, 2)], lin)
    assert lin.weight.tolist() == before


@pytest.mark.parametrize("case", sorted(cases.SWALR))
def test_swalr_sequences_match_pytorch(case):
    got = cases.swalr_sequence(fg, cases.SWALR[case])
    np.testing.assert_allclose(got, expected.SWALR[case], rtol=1e-14)


def test_swalr_state_dict_errors_and_warning():
    s = fg.optim.swa_utils
    opt = cases.two_group_sgd(fg)
    sched = s.SWALR(opt, swa_lr=0.05, anneal_strategy="linear")
    assert [g["swa_lr"] for g in opt.param_groups] == [0.05, 0.05]
    sd = sched.state_dict()
    assert "optimizer" not in sd and "anneal_func" not in sd
    assert sd["_anneal_strategy"] == "linear" and sd["anneal_epochs"] == 10
    sched2 = s.SWALR(cases.two_group_sgd(fg), swa_lr=0.5)
    sched2.load_state_dict(sd)
    assert sched2.anneal_func(0.25) == 0.25
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        sched.get_lr()
    with pytest.raises(ValueError, match="anneal_strategy must be one of 'cos' or 'linear', instead got exp"):
        s.SWALR(cases.two_group_sgd(fg), swa_lr=0.1, anneal_strategy="exp")
    with pytest.raises(ValueError, match="anneal_epochs must be equal or greater than 0, got -1"):
        s.SWALR(cases.two_group_sgd(fg), swa_lr=0.1, anneal_epochs=-1)
    with pytest.raises(ValueError, match="swa_lr must have the same length as optimizer.param_groups"):
        s.SWALR(cases.two_group_sgd(fg), swa_lr=[0.1, 0.2, 0.3])


# ---------------------------------------------------------------- swap_in_optimizer_params_and_state


def _enter_and_leave(opt, params, osd):
    with fg.optim.swap_in_optimizer_params_and_state(opt, params, osd):
        pass


def test_swap_in_optimizer_params_and_state():
    w = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    opt = fg.optim.SGD([w], lr=0.5, momentum=0.5)
    with pytest.raises(RuntimeError, match="requires initialized optimizer state"):
        _enter_and_leave(opt, {"w": w}, opt.state_dict())
    w.sum().backward()
    opt.step()
    assert w.tolist() == [0.5, 1.5]
    other = fg.tensor([10.0, 20.0], dtype=fg.float64, requires_grad=True)
    other.grad = fg.tensor([2.0, 2.0], dtype=fg.float64)
    osd = copy.deepcopy(opt.state_dict())
    osd["param_groups"][0]["lr"] = 1.0
    with fg.optim.swap_in_optimizer_params_and_state(opt, {"w": other}, osd):
        assert opt.param_groups[0]["params"][0] is other
        assert opt.param_groups[0]["lr"] == 1.0
        opt.step()
    # momentum buffer 1 → 0.5·1 + 2 = 2.5, updated in place in the swapped-in state
    assert other.tolist() == [7.5, 17.5]
    assert osd["state"][0]["momentum_buffer"].tolist() == [2.5, 2.5]
    assert opt.param_groups[0]["params"][0] is w and opt.param_groups[0]["lr"] == 0.5
    assert opt.state[w]["momentum_buffer"].tolist() == [1.0, 1.0]
    bad = copy.deepcopy(opt.state_dict())
    bad["param_groups"][0]["extra"] = 1
    with pytest.raises(RuntimeError, match="param group keys to exactly match"):
        _enter_and_leave(opt, {"w": other}, bad)
    with pytest.raises(RuntimeError, match="different number of parameter groups"):
        _enter_and_leave(opt, {"w": other}, {"state": {}, "param_groups": []})


# ---------------------------------------------------------------- nn.init deprecated aliases


@pytest.mark.parametrize("name,args", [
    ("uniform", ()), ("normal", ()), ("constant", (0.5,)), ("eye", ()), ("dirac", ()),
    ("xavier_uniform", ()), ("xavier_normal", ()), ("kaiming_uniform", ()), ("kaiming_normal", ()),
    ("orthogonal", ()), ("sparse", (0.5,)),
])
def test_deprecated_init_aliases_warn_and_fill(name, args):
    shape = (2, 2, 3) if name == "dirac" else (3, 3)
    t = fg.zeros(*shape)
    fn = getattr(fg.nn.init, name)
    assert fn.__name__ == name
    with pytest.warns(FutureWarning, match=f"`nn.init.{name}` is now deprecated in favor of `nn.init.{name}_`."):
        out = fn(t, *args)
    assert out is t
    if name == "constant":
        assert t.tolist() == [[0.5] * 3] * 3
    if name == "eye":
        assert t.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    if name in ("uniform", "normal", "xavier_uniform", "orthogonal"):
        assert float((t != 0).sum()) == 9


def test_deprecated_init_alias_draws_like_the_new_name():
    fg.manual_seed(3)
    a = fg.nn.init.kaiming_uniform_(fg.empty(4, 5), a=0.1)
    fg.manual_seed(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        b = fg.nn.init.kaiming_uniform(fg.empty(4, 5), a=0.1)
    assert a.tolist() == b.tolist()


# ---------------------------------------------------------------- hooks and named parameters


def test_optimizer_hooks_run_in_pytorchs_order():
    from importlib import import_module

    optimizer_module = import_module(fg.__name__ + ".optim.optimizer")
    log = []
    w = fg.nn.Parameter(fg.ones(2))
    opt = fg.optim.Adam([w], lr=0.1)
    h = opt.register_step_pre_hook(lambda o, a, k: log.append("pre"))
    opt.register_step_post_hook(lambda o, a, k: log.append("post"))
    g = optimizer_module.register_optimizer_step_pre_hook(lambda o, a, k: log.append("global pre"))
    opt.register_state_dict_pre_hook(lambda o: log.append("sd pre"))
    opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1})
    opt.register_load_state_dict_pre_hook(lambda o, sd: log.append("load pre"))
    opt.register_load_state_dict_post_hook(lambda o: log.append("load post 2"))
    opt.register_load_state_dict_post_hook(lambda o: log.append("load post 1"), prepend=True)
    w.sum().backward()
    opt.step()
    h.remove()
    g.remove()
    opt.step()
    sd = opt.state_dict()
    assert sd["extra"] == 1
    opt.load_state_dict(sd)
    assert log == ["global pre", "pre", "post", "post", "sd pre", "load pre", "load post 1", "load post 2"]
    opt.register_step_pre_hook(lambda o, a, k: 5)
    with pytest.raises(RuntimeError, match="must return None or a tuple of \\(new_args, new_kwargs\\), but got 5"):
        opt.step()


def test_named_parameters_keep_their_names():
    w = fg.nn.Parameter(fg.ones(2))
    v = fg.nn.Parameter(fg.ones(2))
    opt = fg.optim.SGD([("w", w), ("v", v)], lr=0.1)
    assert opt.param_groups[0]["params"][0] is w
    assert list(opt.param_groups[0])[:2] == ["params", "param_names"]
    assert opt.param_groups[0]["param_names"] == ["w", "v"]
    sd = opt.state_dict()
    assert sd["param_groups"][0]["param_names"] == ["w", "v"] and sd["param_groups"][0]["params"] == [0, 1]
    assert "    param_names: ['w', 'v']\n" in repr(opt)
    with pytest.raises(ValueError, match="all optimizer params should be with/without names. Some param names are missing"):
        fg.optim.SGD([("w", w), v])
    with pytest.raises(ValueError, match="cannot add param group without names to the optimizer"):
        opt.add_param_group({"params": [fg.nn.Parameter(fg.ones(1))]})


@pytest.mark.parametrize("make", [
    lambda o: fg.optim.lr_scheduler.StepLR(o, 2),
    lambda o: fg.optim.lr_scheduler.LambdaLR(o, lambda e: 0.5),
    lambda o: fg.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, 3),
    lambda o: fg.optim.lr_scheduler.OneCycleLR(o, 1.0, total_steps=10),
    lambda o: fg.optim.swa_utils.SWALR(o, swa_lr=0.1),
])
def test_get_lr_outside_step_warns_and_step_does_not(make):
    opt = fg.optim.SGD([fg.zeros(1, requires_grad=True)], lr=0.5, momentum=0.9)
    sched = make(opt)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step()
        sched.step()
    assert sched.state_dict()["_get_lr_called_within_step"] is False
    with pytest.warns(UserWarning, match="To get the last learning rate computed by the scheduler, please use"):
        sched.get_lr()


def test_old_scheduler_base_name_still_subclasses():
    class Halving(fg.optim.lr_scheduler._LRScheduler):
        def get_lr(self):
            return [group["lr"] * 0.5 for group in self.optimizer.param_groups] if self.last_epoch > 0 else [1.0]

    opt = fg.optim.SGD([fg.zeros(1, requires_grad=True)], lr=1.0)
    sched = Halving(opt)
    assert issubclass(fg.optim.lr_scheduler._LRScheduler, fg.optim.lr_scheduler.LRScheduler)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sched.get_lr()  # a user's get_lr does not warn
        opt.step()
        sched.step()
    assert sched.get_last_lr() == [0.5]
