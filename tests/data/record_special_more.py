"""Records tests/data/special_more_expected.json with PyTorch:
`python tests/data/record_special_more.py`."""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import special_more_cases as cases


def main() -> None:
    out: dict = {}
    for dt in cases.DTYPES:
        dtype = getattr(torch, dt)
        x = torch.tensor(cases.unary_points(), dtype=dtype)
        for name in cases.UNARY:
            out[f"{name}/{dt}"] = getattr(torch.special, name)(x).tolist()
        xs = torch.tensor(cases.polynomial_points(), dtype=dtype)[:, None]
        ns = torch.tensor(cases.DEGREES, dtype=dtype)[None, :]
        for name in cases.POLYNOMIALS:
            out[f"{name}/{dt}"] = getattr(torch.special, name)(xs, ns).tolist()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "special_more_expected.json")
    with open(path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
