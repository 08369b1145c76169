"""Records tests/data/nn_transformer_expected.json with PyTorch: `python tests/data/record_nn_transformer.py`."""

import json
import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nn_transformer_cases as cases


def main() -> None:
    warnings.simplefilter("ignore")
    out: dict = {"cases": {}, "inference": {}, "reprs": {}, "state_dict_keys": {}}
    for name, run in cases.cases(torch).items():
        m, inputs, y = run()
        weights = torch.cos(torch.arange(y.numel(), dtype=torch.float64) * 0.37 + 0.2).reshape(y.shape)
        (y * weights).sum().backward()
        out["cases"][name] = {
            "out": y.detach().tolist(),
            "input_grads": [x.grad.tolist() for x in inputs],
            "param_grads": {k: p.grad.tolist() for k, p in m.named_parameters()},
        }
    for name, run in cases.inference_cases(torch).items():
        out["inference"][name] = run().tolist()
    for name, m in cases.reprs(torch).items():
        out["reprs"][name] = repr(m)
        out["state_dict_keys"][name] = list(m.state_dict().keys())
    out["seeded"] = {name: {k: v.tolist() for k, v in m.state_dict().items()}
                     for name, m in cases.seeded(torch).items()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_transformer_expected.json")
    with open(path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
