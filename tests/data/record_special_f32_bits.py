"""Records PyTorch's float32 sinc / digamma / polygamma bits for test_fidelity_more.py.

Run with PyTorch 2.13 installed: python tests/data/record_special_f32_bits.py
"""

import base64
import json
from pathlib import Path

import numpy as np
import torch


def _pack(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode()


def main() -> None:
    rng = np.random.default_rng(2024)
    x = np.concatenate([
        rng.uniform(-10, 10, 1500),
        rng.uniform(1e-4, 40, 1500),
        rng.uniform(-1e3, 1e3, 400),
        np.exp(rng.uniform(-20, 20, 400)),
        np.array([0.0, -0.0, -1.0, -2.0, 1.0, 2.0, 0.5, -0.5, 10.0, 1e-30, 1e30, np.inf, -np.inf]),
    ]).astype(np.float32)
    t = torch.from_numpy(x)
    out = {"input": _pack(x)}
    out["sinc"] = _pack(torch.sinc(t).numpy())
    for n in range(5):
        out[f"polygamma{n}"] = _pack(torch.polygamma(n, t).numpy())
    ints = np.arange(-40, 41, dtype=np.int64)
    out["int_input"] = _pack(ints)
    out["sinc_int"] = _pack(torch.sinc(torch.from_numpy(ints)).numpy())
    out["digamma_int"] = _pack(torch.digamma(torch.from_numpy(ints)).numpy())
    path = Path(__file__).parent / "special_f32_bits.json"
    path.write_text(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
