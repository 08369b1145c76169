"""Records tests/data/nn_more_expected.json with PyTorch: `python tests/data/record_nn_more.py`."""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nn_more_cases


def main() -> None:
    out: dict = {"functional": {}, "modules": {}}
    d = nn_more_cases.inputs(torch)
    for name, (fn, arg) in nn_more_cases.functional_cases(torch).items():
        x = d[arg].detach().clone().requires_grad_()
        y = fn(x)
        weights = torch.cos(torch.arange(y.numel(), dtype=torch.float64) * 0.37 + 0.2).reshape(y.shape)
        (y * weights).sum().backward()
        out["functional"][name] = {"out": y.detach().tolist(), "grad": x.grad.tolist()}
    for name, run in nn_more_cases.seeded_modules(torch).items():
        torch.manual_seed(0)
        m, res = run()
        out["modules"][name] = {
            "params": {k: v.detach().tolist() for k, v in m.named_parameters()},
            "out": nn_more_cases.flatten(res),
        }
    out["init"] = {}
    torch.manual_seed(0)
    w = torch.empty(20, dtype=torch.float64)
    torch.nn.init.trunc_normal_(w, mean=0.5, std=2.0, a=-1.0, b=3.0)
    out["init"]["trunc_normal"] = w.tolist()
    torch.manual_seed(0)
    w = torch.empty(3, 5, dtype=torch.float64)
    torch.nn.init.orthogonal_(w, gain=2.0)
    out["init"]["orthogonal"] = w.tolist()
    torch.manual_seed(0)
    w = torch.empty(10, 3, dtype=torch.float64)
    torch.nn.init.sparse_(w, sparsity=0.3, std=0.5)
    out["init"]["sparse"] = w.tolist()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_more_expected.json")
    with open(path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
