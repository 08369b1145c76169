"""A 2-thread f32 GEMM right after an idle gap, as `compare.py` times its threaded rows
(it sleeps 0.25 s before each sample), and back to back: ferrograd (one build, or two side
by side) against NumPy, in one process.

    python benches/gemm_idle.py                     # the ferrograd that imports
    python benches/gemm_idle.py --before /tmp/old   # and another build, alternating
    python benches/gemm_idle.py --size 512 --rounds 20 --gap 0.1

Each round runs one child process per build (alternating which goes first); a child times
`a @ b` (`--size`³, `--threads` threads) for ferrograd and NumPy (threadpoolctl), each call
after `--gap` seconds of sleep ("idle"), then `--calls` calls in a row of which the first
is dropped ("back to back"). Besides the wall time it records the CPU time the calling
thread spent in the call and the whole process's: their difference is what the other
threads did, so a worker that starts late shows as a small share of the work. The table
gives medians over all rounds' calls and ferrograd's time over NumPy's.
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
import resource
import statistics
import subprocess
import time

LIBS = ("ferrograd", "numpy")
CONDITIONS = ("idle", "back to back")


def child(args: argparse.Namespace) -> None:
    if args.path:
        sys.path.insert(0, args.path)
    import ferrograd as fg
    import numpy as np
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (args.size, args.size)).astype(np.float32)
    b = rng.uniform(-1, 1, (args.size, args.size)).astype(np.float32)
    fa, fb = fg.from_numpy(a), fg.from_numpy(b)
    fns = {"ferrograd": lambda: fa @ fb, "numpy": lambda: a @ b}

    def timed(fn) -> tuple[float, float, float, int, int]:
        """Wall, calling-thread CPU and process CPU time of one call (ms), the page faults
        the process took in it and how often the calling thread blocked (voluntary context
        switches: a futex wait, a sleep)."""
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        v0 = resource.getrusage(resource.RUSAGE_THREAD).ru_nvcsw
        t0, c0, p0 = time.perf_counter_ns(), time.thread_time_ns(), time.process_time_ns()
        fn()
        t1, c1, p1 = time.perf_counter_ns(), time.thread_time_ns(), time.process_time_ns()
        v1 = resource.getrusage(resource.RUSAGE_THREAD).ru_nvcsw
        f1 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        return (t1 - t0) / 1e6, (c1 - c0) / 1e6, (p1 - p0) / 1e6, f1 - f0, v1 - v0

    out: dict[str, list[tuple[float, float, float, int, int]]] = {}
    fg.set_num_threads(args.threads)
    with threadpool_limits(limits=args.threads):
        for fn in fns.values():
            fn()
        for r in range(args.idle_calls):
            order = LIBS if r % 2 == 0 else LIBS[::-1]
            for lib in order:
                time.sleep(args.gap)
                out.setdefault(f"{lib}|idle", []).append(timed(fns[lib]))
        for lib in LIBS:
            time.sleep(args.gap)
            runs = [timed(fns[lib]) for _ in range(args.calls)]
            out[f"{lib}|back to back"] = runs[1:]
    print(json.dumps(out))


def run_child(args: argparse.Namespace, path: str | None) -> dict[str, list[list[float]]]:
    cmd = [sys.executable, os.path.abspath(__file__), "--child", "--size", str(args.size)]
    cmd += ["--threads", str(args.threads), "--gap", str(args.gap)]
    cmd += ["--calls", str(args.calls), "--idle-calls", str(args.idle_calls)]
    if path:
        cmd += ["--path", path]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--gap", type=float, default=0.25, help="idle seconds before a call")
    ap.add_argument("--rounds", type=int, default=4, help="child processes per build")
    ap.add_argument("--idle-calls", type=int, default=8, help="idle calls per child")
    ap.add_argument("--calls", type=int, default=9, help="back-to-back calls per child")
    ap.add_argument("--before", help="folder holding another ferrograd package")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)
    builds = {"after": None} if args.before is None else {"before": args.before, "after": None}
    got: dict[str, dict[str, list[list[float]]]] = {name: {} for name in builds}
    for r in range(args.rounds):
        names = list(builds) if r % 2 == 0 else list(builds)[::-1]
        for name in names:
            for key, calls in run_child(args, builds[name]).items():
                got[name].setdefault(key, []).extend(calls)

    def med(name: str, key: str, field: int) -> float:
        return statistics.median(call[field] for call in got[name][key])

    def mean(name: str, key: str, field: int) -> float:
        return statistics.fmean(call[field] for call in got[name][key])

    print(
        f"{args.size}³ f32, {args.threads} threads, gap {args.gap} s, {args.rounds} rounds; "
        "medians (ms): wall, the other threads' CPU (process CPU - caller's); page faults\n"
        "and the calling thread's blocking waits per call (means)"
    )
    print(
        f"{'build':8} {'condition':13} {'fg wall':>8} {'fg other':>9} {'faults':>6} {'waits':>5} "
        f"{'np wall':>8} {'np other':>9} {'faults':>6} {'waits':>5} {'fg/np':>6}"
    )
    for name in builds:
        for cond in CONDITIONS:
            fk, nk = f"ferrograd|{cond}", f"numpy|{cond}"
            fw, nw = med(name, fk, 0), med(name, nk, 0)
            fo = statistics.median(c[2] - c[1] for c in got[name][fk])
            no = statistics.median(c[2] - c[1] for c in got[name][nk])
            ff, nf = mean(name, fk, 3), mean(name, nk, 3)
            fv, nv = mean(name, fk, 4), mean(name, nk, 4)
            print(
                f"{name:8} {cond:13} {fw:8.2f} {fo:9.2f} {ff:6.1f} {fv:5.2f} "
                f"{nw:8.2f} {no:9.2f} {nf:6.1f} {nv:5.2f} {fw / nw:6.2f}"
            )


if __name__ == "__main__":
    main()
