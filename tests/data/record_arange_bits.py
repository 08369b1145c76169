"""Records PyTorch's float32/float64 `arange` bit patterns for random (start, end, step)
into arange_bits_expected.json (run with torch installed; the tests only read the JSON)."""

import json
import random
from pathlib import Path

import numpy as np
import torch


def cases():
    rng = random.Random(2026)
    for dtype in ("float32", "float64"):
        for _ in range(40):
            start = rng.uniform(-1000, 1000) * rng.choice([1.0, 1e-3])
            step = rng.choice([1, -1]) * 10 ** rng.uniform(-3, 1.5)
            n = rng.randint(1, 90)
            yield dtype, start, start + step * n - step * 0.5, step


def main():
    out = []
    for dtype, start, end, step in cases():
        values = torch.arange(start, end, step, dtype=getattr(torch, dtype)).numpy()
        bits = values.view(np.uint32 if dtype == "float32" else np.uint64).tolist()
        out.append({"dtype": dtype, "start": start, "end": end, "step": step, "bits": bits})
    Path(__file__).with_name("arange_bits_expected.json").write_text(json.dumps(out))


if __name__ == "__main__":
    main()
