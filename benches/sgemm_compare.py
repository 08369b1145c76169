"""f32 GEMM on one thread: ferrograd's kernel and matrixmultiply (through
`examples/sgemm_compare.rs`) against NumPy's BLAS, measured in the same minutes.

    cargo build --release --example sgemm_compare
    python benches/sgemm_compare.py [--rounds 7] [--repeat 3] [SHAPE ...]

Each repeat runs the Rust binary (which interleaves its two kernels round by round) and
then NumPy; every figure is the best GFLOP/s over all rounds and repeats, from thread CPU
time (so other processes on a shared machine inflate it less). Shapes as the example's:
`MxKxN`, with `nt` (B column-major, `x @ W.T`) or `tn` (A column-major, `g.T @ x`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"
# An old-OpenBLAS setting: without it NumPy picks its best kernel.
if "OPENBLAS_CORETYPE" in os.environ:
    del os.environ["OPENBLAS_CORETYPE"]
    os.environ.pop("OPENBLAS_L2_SIZE", None)
    os.execv(sys.executable, [sys.executable, *sys.argv])

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "examples" / "sgemm_compare"


def operands(spec: str) -> tuple[np.ndarray, np.ndarray]:
    cut = min((spec.index(c) for c in "nt" if c in spec), default=len(spec))
    m, k, n = (int(d) for d in spec[:cut].split("x"))
    layout = spec[cut:]
    rng = np.random.default_rng(0)
    a = (
        rng.random((k, m), dtype=np.float32).T
        if layout == "tn"
        else rng.random((m, k), dtype=np.float32)
    )
    b = (
        rng.random((n, k), dtype=np.float32).T
        if layout == "nt"
        else rng.random((k, n), dtype=np.float32)
    )
    return a, b


def numpy_gflops(spec: str, rounds: int) -> float:
    a, b = operands(spec)
    flops = 2.0 * a.shape[0] * a.shape[1] * b.shape[1]
    reps = max(1, int(2e8 / flops))
    out = np.empty((a.shape[0], b.shape[1]), dtype=np.float32)
    best = float("inf")
    for _ in range(rounds):
        t = time.thread_time()
        for _ in range(reps):
            np.matmul(a, b, out=out)
        best = min(best, (time.thread_time() - t) / reps)
    return flops / best / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("shapes", nargs="*")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--binary", type=Path, default=BINARY)
    args = parser.parse_args()
    best: dict[str, dict[str, float]] = {}
    for _ in range(args.repeat):
        run = subprocess.run(
            [str(args.binary), str(args.rounds), *args.shapes],
            check=True,
            capture_output=True,
            text=True,
        )
        for line in run.stdout.splitlines():
            spec, *pairs = line.split()
            row = best.setdefault(spec, {})
            for name, value in zip(pairs[::2], pairs[1::2]):
                row[name] = max(row.get(name, 0.0), float(value))
        for spec, row in best.items():
            row["numpy"] = max(row.get("numpy", 0.0), numpy_gflops(spec, args.rounds))
    print("| shape | ferrograd | matrixmultiply | NumPy | fg/NumPy time | fg/matrixmultiply time |")
    print("|---|---:|---:|---:|---:|---:|")
    for spec, row in best.items():
        fg, mm, nps = row["ferrograd"], row["matrixmultiply"], row["numpy"]
        print(f"| {spec} | {fg:.1f} | {mm:.1f} | {nps:.1f} | {nps / fg:.2f}× | {mm / fg:.2f}× |")
    print("(GFLOP/s, best of rounds × repeats, one thread)")


if __name__ == "__main__":
    main()
