"""f32 GEMM in all four operand layouts (`A @ B`, `A @ Bᵀ`, `Aᵀ @ B`, `Aᵀ @ Bᵀ`) on 1 and
2 threads, ferrograd against NumPy, in one process.

    python benches/gemm_layouts.py                # 1024³, best of 7
    python benches/gemm_layouts.py --size 512 --repeats 9 --threads 2

Every round times each (library, layout, thread count) once, ferrograd's calls first; a
sample is the best of a few back-to-back calls (wall clock). OpenBLAS's worker threads
keep spinning for a while after a threaded NumPy call returns, which takes the second core
from whatever runs next, so the round sleeps `--gap` seconds after NumPy's calls before
ferrograd's (`--gap 0` shows the effect). The table gives each one's best sample,
the speedup from 1 to N threads, ferrograd's time over NumPy's at N threads, and each
library's best process CPU time (all threads) at N threads over its time on 1: above 1 is
work the split adds (waiting, packing twice, cache misses), which a busy machine hides
less than it hides wall-clock speedups.
"""

from __future__ import annotations

import os
import sys

if "OPENBLAS_CORETYPE" in os.environ and __name__ == "__main__":
    env = {
        k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
    }
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]], env)

import argparse
import time

import ferrograd as fg
import numpy as np
from threadpoolctl import threadpool_limits

LAYOUTS = ("A @ B", "A @ B.T", "A.T @ B", "A.T @ B.T")


def operands(side: int, layout: str, lib: str):
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (side, side)).astype(np.float32)
    b = rng.uniform(-1, 1, (side, side)).astype(np.float32)
    if lib == "ferrograd":
        a, b = fg.from_numpy(a), fg.from_numpy(b)
    left = a.T if layout.startswith("A.T") else a
    right = b.T if layout.endswith("B.T") else b
    return lambda: left @ right


def sample(fn, calls: int) -> tuple[float, float]:
    """The best wall time and the best process CPU time (all threads) of `calls` calls."""
    wall = cpu = float("inf")
    for _ in range(calls):
        t0, c0 = time.perf_counter_ns(), time.process_time_ns()
        fn()
        wall = min(wall, time.perf_counter_ns() - t0)
        cpu = min(cpu, time.process_time_ns() - c0)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--calls", type=int, default=3)
    ap.add_argument("--gap", type=float, default=0.5, help="seconds between NumPy and ferrograd")
    args = ap.parse_args()
    fns = {
        (lib, layout): operands(args.size, layout, lib)
        for lib in ("ferrograd", "numpy")
        for layout in LAYOUTS
    }
    best: dict[tuple[str, str, int], float] = {}
    cpu: dict[tuple[str, str, int], float] = {}
    for _ in range(args.repeats):
        time.sleep(args.gap)
        for (lib, layout), fn in fns.items():
            for threads in (1, args.threads):
                fg.set_num_threads(threads)
                with threadpool_limits(limits=threads, user_api="blas"):
                    fn()
                    t, c = sample(fn, args.calls)
                key = (lib, layout, threads)
                best[key] = min(best.get(key, t), t)
                cpu[key] = min(cpu.get(key, c), c)
    fg.set_num_threads(1)
    n = args.threads
    print(f"{args.size}³ f32, best of {args.repeats}×{args.calls}, times in ms")
    print(
        f"| layout | fg 1 | fg {n} | fg speedup | np 1 | np {n} | np speedup | fg/np at {n} "
        f"| fg CPU {n}/1 | np CPU {n}/1 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for layout in LAYOUTS:
        f1, fn_ = best[("ferrograd", layout, 1)], best[("ferrograd", layout, n)]
        n1, nn = best[("numpy", layout, 1)], best[("numpy", layout, n)]
        print(
            f"| {layout} | {f1 / 1e6:.2f} | {fn_ / 1e6:.2f} | {f1 / fn_:.2f}× | {n1 / 1e6:.2f} "
            f"| {nn / 1e6:.2f} | {n1 / nn:.2f}× | {fn_ / nn:.2f}× "
            f"| {cpu[('ferrograd', layout, n)] / cpu[('ferrograd', layout, 1)]:.2f} "
            f"| {cpu[('numpy', layout, n)] / cpu[('numpy', layout, 1)]:.2f} |"
        )


if __name__ == "__main__":
    main()
