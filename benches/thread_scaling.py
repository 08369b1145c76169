"""ferrograd on 1 thread against N threads, kernel by kernel, over a range of sizes: where
splitting work across the intra-op threads starts to pay off.

    python benches/thread_scaling.py              # 2 threads, sizes 2^12 .. 2^24
    python benches/thread_scaling.py --threads 4 --max-log2 22 --repeats 9

For each size, the 1-thread and the N-thread call are timed in alternation (`repeats`
samples each, each sample a loop lasting >= ~2 ms), and the table gives the medians, the
speedup, and the per-element (or per multiply-add) cost on one thread.
"""

from __future__ import annotations

import argparse
import statistics
import time

import ferrograd as fg
import numpy as np


def _sample(fn, number: int) -> float:
    t0 = time.perf_counter_ns()
    for _ in range(number):
        fn()
    return (time.perf_counter_ns() - t0) / number


def _timed(fn, threads: int, repeats: int) -> tuple[float, float]:
    fg.set_num_threads(1)
    fn()
    number = max(1, int(2e6 / max(_sample(fn, 1), 1.0)))
    one, many = [], []
    for _ in range(repeats):
        fg.set_num_threads(1)
        one.append(_sample(fn, number))
        fg.set_num_threads(threads)
        many.append(_sample(fn, number))
    fg.set_num_threads(1)
    return statistics.median(one), statistics.median(many)


def kernels(n: int):
    rng = np.random.default_rng(0)
    x = fg.from_numpy(rng.uniform(-1, 1, n).astype(np.float32))
    y = fg.from_numpy(rng.uniform(-1, 1, n).astype(np.float32))
    cols = min(1024, n)
    m = fg.from_numpy(rng.uniform(-1, 1, (n // cols, cols)).astype(np.float32))
    side = max(16, round(n ** (1 / 2)) // 16 * 16)  # matmul side with side² ≈ n
    a = fg.from_numpy(rng.uniform(-1, 1, (side, side)).astype(np.float32))
    return {
        "add": (lambda: x + y, n),
        "mul scalar": (lambda: x * 3.0, n),
        "tanh": (lambda: x.tanh(), n),
        "sum": (lambda: x.sum(), n),
        "sum(dim=0)": (lambda: m.sum(0), n),
        "sum(dim=1)": (lambda: m.sum(1), n),
        f"matmul side≈√n ({side})": (lambda: a @ a, side**3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--min-log2", type=int, default=12)
    ap.add_argument("--max-log2", type=int, default=24)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    print(f"| kernel | n | 1 thread | {args.threads} threads | speedup | ns per unit (1 thread) |")
    print("|---|---:|---:|---:|---:|---:|")
    for k in range(args.min_log2, args.max_log2 + 1, 1):
        for name, (fn, units) in kernels(1 << k).items():
            if args.only and args.only not in name:
                continue
            t1, tn = _timed(fn, args.threads, args.repeats)
            print(
                f"| {name} | 2^{k} | {t1 / 1e3:.1f} µs | {tn / 1e3:.1f} µs | {t1 / tn:.2f}× "
                f"| {t1 / units:.3f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
