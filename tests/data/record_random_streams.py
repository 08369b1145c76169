"""Records tests/data/random_expected.json with PyTorch: `python tests/data/record_random_streams.py`."""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import random_cases


def main() -> None:
    out = {}
    for name, fn in random_cases.cases().items():
        for n in random_cases.SIZES:
            for dt in random_cases.DTYPES:
                torch.manual_seed(7)
                t = fn(torch, n, dt)
                out[f"{name}/{n}/{dt}"] = {"values": t.tolist(), "dtype": str(t.dtype).split(".")[1]}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "random_expected.json")
    with open(path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
