"""Records tests/data/nn_expected.json with PyTorch: `python tests/data/record_nn.py`.

The values are PyTorch's outputs and gradients for the cases in nn_cases.py, parameters
after optimizer steps, Linear's initialisation after manual_seed, and init functions.
"""

import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nn_cases

STEPS = 6


def main() -> None:
    out: dict = {"functional": {}, "optim": {}}
    d = nn_cases.inputs(torch)
    for name, (fn, arg) in nn_cases.cases(torch).items():
        x = d[arg].detach().clone().requires_grad_()
        y = fn(x)
        weights = torch.cos(torch.arange(y.numel(), dtype=torch.float64) * 0.37 + 0.2).reshape(y.shape)
        (y * weights).sum().backward()
        out["functional"][name] = {"out": y.detach().tolist(), "grad": x.grad.tolist()}
    for name, make in nn_cases.optimizers(torch).items():
        params, loss_fn = nn_cases.optim_problem(torch)
        opt = make(params)
        losses = []
        for _ in range(STEPS):
            opt.zero_grad()
            loss = loss_fn()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        out["optim"][name] = {"losses": losses, "params": [p.detach().tolist() for p in params]}
    torch.manual_seed(0)
    lin = torch.nn.Linear(4, 3)
    lin64 = torch.nn.Linear(5, 2, dtype=torch.float64)
    out["linear_init"] = {
        "weight": lin.weight.tolist(),
        "bias": lin.bias.tolist(),
        "weight64": lin64.weight.tolist(),
        "bias64": lin64.bias.tolist(),
    }
    init = {}
    torch.manual_seed(1)
    init["uniform"] = torch.nn.init.uniform_(torch.empty(3, 4), -2.0, 0.5).tolist()
    init["normal_small"] = torch.nn.init.normal_(torch.empty(2, 3), 1.5, 0.5).tolist()
    init["normal_large"] = torch.nn.init.normal_(torch.empty(4, 5), -1.0, 2.0).tolist()
    init["normal_small64"] = torch.nn.init.normal_(torch.empty(5, dtype=torch.float64), 0.5, 3.0).tolist()
    init["xavier_uniform"] = torch.nn.init.xavier_uniform_(torch.empty(3, 5), gain=2.0).tolist()
    init["xavier_normal"] = torch.nn.init.xavier_normal_(torch.empty(4, 6)).tolist()
    init["kaiming_uniform"] = torch.nn.init.kaiming_uniform_(torch.empty(3, 2, 2), a=math.sqrt(5)).tolist()
    init["kaiming_normal"] = torch.nn.init.kaiming_normal_(
        torch.empty(4, 3), mode="fan_out", nonlinearity="relu"
    ).tolist()
    init["uniform64"] = torch.nn.init.uniform_(torch.empty(2, 3, dtype=torch.float64), 1.0, 3.0).tolist()
    out["init"] = init
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_expected.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=None)
        f.write("\n")


if __name__ == "__main__":
    main()
