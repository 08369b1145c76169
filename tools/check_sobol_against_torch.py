"""Checks ferrograd.quasirandom.SobolEngine against PyTorch's, bit for bit: the direction
numbers of all 21201 dimensions, and points drawn (plain and scrambled, several dtypes,
repeated draws, draw_base2, fast_forward, reset) for dimensions across the range; prints
how long draw(2**16) takes for dimension 1000 in each library.

Run with a Python that has torch installed (ferrograd itself never imports torch):
    python tools/check_sobol_against_torch.py
"""

from __future__ import annotations

import time

import ferrograd
import numpy as np
import torch

DTYPES = [(None, None), (torch.float32, ferrograd.float32), (torch.float64, ferrograd.float64)]


def same(ours: ferrograd.Tensor, theirs: torch.Tensor, what: str) -> None:
    assert str(ours.dtype).split(".")[1] == str(theirs.dtype).split(".")[1], what
    a, b = ours.numpy(), theirs.numpy()
    assert a.shape == b.shape and np.array_equal(a.view(np.uint8), b.view(np.uint8)), what


def check_engine(dimension: int, scramble: bool, seed: int | None, default_dtype: str) -> None:
    torch.set_default_dtype(getattr(torch, default_dtype))
    ferrograd.set_default_dtype(getattr(ferrograd, default_dtype))
    torch.manual_seed(dimension)
    ferrograd.manual_seed(dimension)
    theirs = torch.quasirandom.SobolEngine(dimension, scramble=scramble, seed=seed)
    ours = ferrograd.quasirandom.SobolEngine(dimension, scramble=scramble, seed=seed)
    what = f"dimension={dimension} scramble={scramble} seed={seed} default={default_dtype}"
    assert repr(ours) == repr(theirs), what
    for name in ("sobolstate", "shift", "quasi"):
        same(getattr(ours, name), getattr(theirs, name), f"{name} of {what}")
    steps = [("draw", 1), ("draw", 1), ("draw", 5), ("ff", 7), ("draw", 3), ("reset", 0), ("draw", 4),
             ("draw_base2", 2), ("ff", 1000), ("draw", 2), ("reset", 0), ("ff", 3), ("draw", 17)]
    for i, (op, n) in enumerate(steps):
        torch_dtype, our_dtype = DTYPES[i % len(DTYPES)]
        if op == "draw":
            same(ours.draw(n, dtype=our_dtype), theirs.draw(n, dtype=torch_dtype), f"{what} step {i}")
        elif op == "draw_base2":
            same(ours.draw_base2(n, dtype=our_dtype), theirs.draw_base2(n, dtype=torch_dtype), f"{what} step {i}")
        elif op == "ff":
            ours.fast_forward(n)
            theirs.fast_forward(n)
        else:
            ours.reset()
            theirs.reset()
        assert ours.num_generated == theirs.num_generated, what
        same(ours.quasi, theirs.quasi, f"quasi of {what} after step {i}")


def main() -> None:
    theirs = torch.quasirandom.SobolEngine(21201)
    ours = ferrograd.quasirandom.SobolEngine(21201)
    same(ours.sobolstate, theirs.sobolstate, "sobolstate of all 21201 dimensions")
    same(ours.draw(300), theirs.draw(300), "300 points of all 21201 dimensions")
    print("direction numbers and 300 points: all 21201 dimensions equal")
    for dimension in (1, 2, 5, 17, 111, 1111, 5000, 21201):
        for scramble, seed in ((False, None), (True, None), (True, 12345)):
            for default_dtype in ("float32", "float64"):
                check_engine(dimension, scramble, seed, default_dtype)
    torch.set_default_dtype(torch.float32)
    ferrograd.set_default_dtype(ferrograd.float32)
    print("engines equal: plain and scrambled, float32/float64/default, draws, ff, reset")

    for name, module in (("torch", torch), ("ferrograd", ferrograd)):
        engine = module.quasirandom.SobolEngine(1000)
        engine.draw()
        start = time.perf_counter()
        engine.draw(2**16)
        print(f"{name}: draw(2**16), dimension 1000: {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
