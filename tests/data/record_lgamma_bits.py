"""Records PyTorch's float32/float64 `lgamma` bit patterns on a spread of inputs into
lgamma_bits_expected.json (run with torch installed; the tests only read the JSON)."""

import json
from pathlib import Path

import numpy as np
import torch


def inputs() -> np.ndarray:
    rng = np.random.default_rng(2026)
    parts = [
        rng.uniform(-8, 8, 300),
        rng.uniform(0.5, 3.0, 300),  # around the zeros at 1 and 2
        np.exp(rng.uniform(-40, 40, 300)),
        -np.exp(rng.uniform(-20, 5, 100)),
        np.array([0.5, 1.0, 2.0, 3.0, 1e-300, 1e300, 171.5, 2.5e305]),
    ]
    return np.concatenate(parts)


def main():
    x = inputs()
    out = {"inputs": x.tolist()}
    for dtype, view in (("float64", np.uint64), ("float32", np.uint32)):
        values = torch.lgamma(torch.tensor(x, dtype=getattr(torch, dtype))).numpy()
        out[dtype] = values.view(view).tolist()
    Path(__file__).with_name("lgamma_bits_expected.json").write_text(json.dumps(out))


if __name__ == "__main__":
    main()
