"""Problems shared by tests/test_optim_surface.py and its recorder (record_optim_surface.py);
`mod` is ferrograd or torch."""

W0 = [[0.5, -1.25, 0.375], [0.75, 0.125, -0.625]]
X = [[1.0, 2.0, -1.0], [0.5, -0.25, 0.75], [-1.5, 0.25, 0.5], [0.25, 0.5, 0.125]]
STEPS = 4

ADAFACTOR = {
    "default": {},
    "options": {"lr": 0.5, "weight_decay": 0.1, "maximize": True, "d": 1.5, "eps": (1e-20, 1e-2),
                "beta2_decay": -0.5},
}
# (options, whether the matrix is tall: rows > cols takes the transposed Newton-Schulz path)
MUON = {
    "default": ({"lr": 0.02}, False),
    "plain_rms": ({"lr": 0.05, "nesterov": False, "adjust_lr_fn": "match_rms_adamw", "momentum": 0.8}, False),
    "tall": ({"lr": 0.05, "ns_steps": 3, "weight_decay": 0.0}, True),
}
AVERAGED = ["swa", "swa_buffers", "ema", "swa_multi", "ema_multi_buffers"]
SWALR = {
    "cos": {"swa_lr": 0.05, "anneal_epochs": 3},
    "linear": {"swa_lr": [0.05, 0.2], "anneal_epochs": 4, "anneal_strategy": "linear"},
    "no_anneal": {"swa_lr": 0.01, "anneal_epochs": 0},
}


def adafactor_trajectory(mod, options: dict) -> list:
    """Parameters after each step on a polynomial loss (exact gradients, float64)."""
    W = mod.tensor(W0, dtype=mod.float64, requires_grad=True)
    b = mod.tensor([0.25, -0.5], dtype=mod.float64, requires_grad=True)
    x = mod.tensor(X, dtype=mod.float64)
    opt = mod.optim.Adafactor([W, b], **options)
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = ((x @ W.T + b) ** 2).sum() + (W**3).sum() + (b**3).sum()
        loss.backward()
        opt.step()
        out.append([W.tolist(), b.tolist()])
    return out


def muon_trajectory(mod, options: dict, tall: bool) -> list:
    """The matrix after each step of loss = sum(W * C) + |W|²/2 (gradient C + W, exact)."""
    w0 = [list(r) for r in zip(*W0)] if tall else W0
    W = mod.tensor(w0, dtype=mod.float64, requires_grad=True)
    c = mod.tensor(w0, dtype=mod.float64).flip(0) * 0.5
    opt = mod.optim.Muon([W], **options)
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = (W * c).sum() + 0.5 * (W * W).sum()
        loss.backward()
        opt.step()
        out.append(W.tolist())
    return out


def model(mod):
    m = mod.nn.Sequential(mod.nn.Linear(3, 2), mod.nn.BatchNorm1d(2)).double()
    with mod.no_grad():
        m[0].weight.copy_(mod.tensor(W0, dtype=mod.float64))
        m[0].bias.copy_(mod.tensor([0.25, -0.5], dtype=mod.float64))
    return m


def averaged_model(mod, kind: str):
    """An AveragedModel of `model` after 4 updates (parameters moved and BatchNorm run between)."""
    s = mod.optim.swa_utils
    options = {
        "swa": {},
        "swa_buffers": {"use_buffers": True},
        "ema": {"avg_fn": s.get_ema_avg_fn(0.9)},
        "swa_multi": {"multi_avg_fn": s.get_swa_multi_avg_fn()},
        "ema_multi_buffers": {"multi_avg_fn": s.get_ema_multi_avg_fn(0.75), "use_buffers": True},
    }[kind]
    m = model(mod)
    averaged = s.AveragedModel(m, **options)
    x = mod.tensor(X, dtype=mod.float64)
    for i in range(4):
        with mod.no_grad():
            for p in m.parameters():
                p.mul_(1.5).add_(0.25 * (i + 1))
        m(x)
        averaged.update_parameters(m)
    return averaged


def update_bn_result(mod) -> list:
    a = averaged_model(mod, "swa")
    x = mod.tensor(X, dtype=mod.float64)
    a.eval()
    mod.optim.swa_utils.update_bn([x, [x * 2, 0], (x - 1,)], a)
    bn = a.module[1]
    return [bn.running_mean.tolist(), bn.running_var.tolist(), bn.num_batches_tracked.item(), a.training,
            bn.momentum]


def two_group_sgd(mod):
    return mod.optim.SGD([{"params": [mod.zeros(1, requires_grad=True)]},
                          {"params": [mod.zeros(1, requires_grad=True)], "lr": 0.1}], lr=0.5)


def swalr_sequence(mod, options: dict) -> list:
    opt = two_group_sgd(mod)
    sched = mod.optim.swa_utils.SWALR(opt, **options)
    seq = [sched.get_last_lr()]
    for _ in range(6):
        opt.step()
        sched.step()
        seq.append(sched.get_last_lr())
    return seq
