"""Records tests/data/optim_more_expected.json with PyTorch: `python tests/data/record_optim_more.py`."""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optim_more_cases as cases

EPOCHS = 14


def main() -> None:
    out: dict = {"optim": {}, "sched": {}}
    for name, make in cases.optimizers(torch).items():
        for dt in ("float64", "float32"):
            params, loss_fn = cases.problem(torch, dt)
            opt = make(params)
            losses, trail = [], []

            def closure(opt=opt, loss_fn=loss_fn):
                opt.zero_grad()
                loss = loss_fn()
                loss.backward()
                return loss

            for _ in range(cases.STEPS):
                losses.append(float(opt.step(closure).detach()))
                trail.append([p.detach().tolist() for p in params])
            out["optim"][f"{name}/{dt}"] = {"losses": losses, "params": trail}
    for name, make in cases.schedulers(torch).items():
        opt = cases.scheduler_optimizer(torch)
        sched = make(opt)
        lrs, moms = [], []
        for _ in range(EPOCHS):
            lrs.append(sched.get_last_lr())
            moms.append([g.get("momentum") for g in opt.param_groups])
            opt.step()
            sched.step()
        out["sched"][name] = {"lrs": lrs, "momentum": moms}
    opt = cases.scheduler_optimizer(torch)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2, cooldown=1, min_lr=0.02)
    lrs = []
    for m in cases.PLATEAU_METRICS:
        sched.step(m)
        lrs.append(sched.get_last_lr())
    out["sched"]["plateau"] = {"lrs": lrs}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim_more_expected.json")
    with open(path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
