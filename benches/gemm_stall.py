"""f32 GEMM on 1 and 2 threads while another process busy-spins on one core: how much a
stalled thread costs a threaded product, ferrograd (one build, or two side by side)
against NumPy.

    python benches/gemm_stall.py                          # the ferrograd that imports
    python benches/gemm_stall.py --before /tmp/old        # and another build, alternating
    python benches/gemm_stall.py --size 512 --repeats 9

`--before DIR` names a folder holding another `ferrograd` package (say main's, copied with
its built extension): each round then runs one child process per build, in alternating
order, so both see the same machine. A child times, for each layout (`A @ B`, `A @ Bᵀ`,
`Aᵀ @ B`, `Aᵀ @ Bᵀ`), ferrograd and NumPy (threadpoolctl) on 1 and 2 threads, first with
nothing else started ("quiet"), then while a child of its own spins in a Python loop pinned
to the last CPU it may use ("spin"). Each of `--calls` back-to-back calls is a sample
(wall clock); after NumPy's threaded calls the child sleeps `--gap` seconds, since
OpenBLAS's worker keeps spinning for a while after them. On a machine busy with other
work, `--nice -20` raises the children and their spinner above it (within its cgroup),
and `--rt` (root) runs them round-robin real-time, above all of it, the spinner one
priority above the children's threads: with `--duty 2,2` it takes its core 2 ms of every
4, so the thread that shares that core stalls for 2 ms at a time, as behind OpenBLAS's
worker after NumPy's threaded call (which spins in bursts for ~100 ms).

With the spinner on one of two cores, a product whose threads share their work can use
one core and part of the other: 2 threads under the spinner should take at most one
thread's time (1/1.5 of it where the scheduler shares the core finely); a product that
waits for its slower thread takes longer. The table gives each median over all calls of
all rounds (and the mean, which shows the stalls a median skips), the spin/quiet ratio
and each build's 2-thread time under the spinner over its 1-thread quiet time.
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
import json
import statistics
import subprocess
import time

LAYOUTS = ("A @ B", "A @ B.T", "A.T @ B", "A.T @ B.T")
CONDITIONS = ("quiet", "spin")


SPIN = """
import sys, time
spin, rest = float(sys.argv[1]) / 1e3, float(sys.argv[2]) / 1e3
while True:
    t = time.perf_counter()
    while time.perf_counter() - t < spin:
        pass
    if rest:
        time.sleep(rest)
"""


def spinner(args: argparse.Namespace) -> subprocess.Popen:
    """A child process spinning in a Python loop on the last CPU this process may use
    (`--duty`: spinning `spin` ms, then sleeping `rest` ms, over and over)."""
    spin, rest = args.duty.split(",")
    proc = subprocess.Popen([sys.executable, "-c", SPIN, spin, rest])
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(proc.pid, {max(os.sched_getaffinity(0))})
    if args.rt:  # above the children's threads: it takes its core whenever it spins
        os.sched_setscheduler(proc.pid, os.SCHED_RR, os.sched_param(2))
    time.sleep(0.2)
    return proc


def child(args: argparse.Namespace) -> None:
    """Times every (library, layout, threads, condition) once; prints JSON."""
    # before NumPy starts OpenBLAS's threads and ferrograd its pool: they inherit these
    if args.nice:
        os.nice(args.nice)
    if args.rt:
        os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(1))
    if args.path:
        sys.path.insert(0, args.path)
    import ferrograd as fg
    import numpy as np
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (args.size, args.size)).astype(np.float32)
    b = rng.uniform(-1, 1, (args.size, args.size)).astype(np.float32)
    fa, fb = fg.from_numpy(a), fg.from_numpy(b)

    def product(lib: str, layout: str):
        x, y = (fa, fb) if lib == "ferrograd" else (a, b)
        left = x.T if layout.startswith("A.T") else x
        right = y.T if layout.endswith("B.T") else y
        return lambda: left @ right

    def times(fn) -> list[float]:
        fn()
        out = []
        for _ in range(args.calls):
            t0 = time.perf_counter_ns()
            fn()
            out.append((time.perf_counter_ns() - t0) / 1e6)
        return out

    out = {}
    for cond in CONDITIONS:
        spin = spinner(args) if cond == "spin" else None
        try:
            for lib in ("ferrograd", "numpy"):
                for layout in LAYOUTS:
                    fn = product(lib, layout)
                    for threads in (1, 2):
                        fg.set_num_threads(threads)
                        with threadpool_limits(limits=threads, user_api="blas"):
                            out[f"{lib}|{layout}|{threads}|{cond}"] = times(fn)
                        if lib == "numpy" and threads == 2:
                            time.sleep(args.gap)
                time.sleep(args.gap)
        finally:
            if spin is not None:
                spin.kill()
                spin.wait()
    fg.set_num_threads(1)
    print(json.dumps(out))


def run_child(args: argparse.Namespace, path: str | None) -> dict[str, list[float]]:
    cmd = [sys.executable, os.path.abspath(__file__), "--child", "--size", str(args.size)]
    cmd += ["--calls", str(args.calls), "--gap", str(args.gap), "--nice", str(args.nice)]
    cmd += ["--duty", args.duty]
    cmd += ["--rt"] if args.rt else []
    if path:
        cmd += ["--path", path]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--calls", type=int, default=5)
    ap.add_argument("--gap", type=float, default=0.3, help="seconds after NumPy's threaded calls")
    ap.add_argument("--before", help="folder holding another ferrograd package")
    ap.add_argument(
        "--nice", type=int, default=0, help="niceness change for the children (-20: root only)"
    )
    ap.add_argument(
        "--rt", action="store_true", help="run the children and their spinner SCHED_RR (root)"
    )
    ap.add_argument(
        "--duty", default="1000,0", help="the spinner's SPIN,REST milliseconds (default: no rest)"
    )
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)
    builds = {"after": None} if args.before is None else {"before": args.before, "after": None}
    samples: dict[str, list[dict[str, list[float]]]] = {name: [] for name in builds}
    t0 = time.time()
    load0 = os.getloadavg()[0]
    for r in range(args.repeats):
        order = list(builds) if r % 2 == 0 else list(builds)[::-1]
        for name in order:
            samples[name].append(run_child(args, builds[name]))
    load1 = os.getloadavg()[0]

    def calls(name: str, key: str) -> list[float]:
        return [t for s in samples[name] for t in s[key]]

    def med(name: str, key: str) -> float:
        return statistics.median(calls(name, key))

    def mean(name: str, key: str) -> float:
        return statistics.mean(calls(name, key))

    print(
        f"{args.size}³ f32, {args.repeats} rounds × {args.calls} calls, ms: median (mean); "
        f"{time.time() - t0:.0f} s, load average {load0:.1f} -> {load1:.1f}"
    )
    print(
        "| layout | build | fg 1T quiet | fg 2T quiet | fg 2T spin | fg 2T spin/quiet "
        "| fg 2T spin / 1T quiet | np 2T spin | fg/np 2T spin |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for layout in LAYOUTS:
        for name in builds:
            k = f"ferrograd|{layout}"
            f1, f2, fs = (f"{k}|1|quiet", f"{k}|2|quiet", f"{k}|2|spin")
            ns = f"numpy|{layout}|2|spin"
            print(
                f"| {layout} | {name} | {med(name, f1):.2f} ({mean(name, f1):.2f}) "
                f"| {med(name, f2):.2f} ({mean(name, f2):.2f}) "
                f"| {med(name, fs):.2f} ({mean(name, fs):.2f}) "
                f"| {med(name, fs) / med(name, f2):.2f} | {med(name, fs) / med(name, f1):.2f} "
                f"| {med(name, ns):.2f} | {med(name, fs) / med(name, ns):.2f} |"
            )
    if "before" in builds:
        print("\nafter/before per round, each round's median call (2 threads; median of rounds):")
        m = statistics.median
        for layout in LAYOUTS:
            key = f"ferrograd|{layout}|2|spin"
            pairs = list(zip(samples["after"], samples["before"]))
            ratios = [m(a[key]) / m(b[key]) for a, b in pairs]
            quiet = f"ferrograd|{layout}|2|quiet"
            q = [m(a[quiet]) / m(b[quiet]) for a, b in pairs]
            print(
                f"  {layout}: spin {statistics.median(ratios):.2f} "
                f"({', '.join(f'{x:.2f}' for x in ratios)}); quiet {statistics.median(q):.2f}"
            )


if __name__ == "__main__":
    main()
