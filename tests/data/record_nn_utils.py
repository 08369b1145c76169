"""Records tests/data/nn_utils_expected.json with PyTorch: `python tests/data/record_nn_utils.py`."""

import json
import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nn_utils_cases


def main() -> None:
    warnings.simplefilter("ignore")
    out = {}
    for name, run in nn_utils_cases.all_cases(torch).items():
        out[name] = [t.detach().tolist() for t in run()]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_utils_expected.json")
    with open(path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
