"""How long `import ferrograd` takes next to `import numpy` and `import torch`, and how
much memory each import adds.

Each measurement runs in a fresh interpreter (`python -c "import X"`), so nothing is
cached in the process; the figure is the best of N runs (the least disturbed by other
load on the machine). The time is taken inside the child around the import statement
(interpreter start-up excluded), both as wall time and as the child's CPU time (which a
busy machine disturbs less); the memory is the growth of the child's resident set
(VmRSS) across the import.

Bytecode: NumPy and PyTorch come with their `.pyc` files (pip writes them at install);
an editable ferrograd has none until an import writes them, which
`PYTHONDONTWRITEBYTECODE=1` prevents. So that all three are measured alike, one
untimed import first writes ferrograd's bytecode cache (`__pycache__/`, ignored by git)
with that variable removed; `--no-bytecode-cache` instead measures every import
compiling ferrograd's sources (the first import after an install without `.pyc`).

    python benches/import_time.py [--runs N] [--no-bytecode-cache]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys

CHILD = r"""
import time
def rss_kib():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0
before = rss_kib()
t0, c0 = time.perf_counter(), time.process_time()
import {module}
t1, c1 = time.perf_counter(), time.process_time()
print((t1 - t0) * 1e3, (c1 - c0) * 1e3, rss_kib() - before)
"""


def measure(module: str, runs: int, env: dict[str, str]) -> tuple[float, float, float]:
    """Best import wall time (ms), best CPU time (ms) and the RSS the fastest run added
    (MiB), over `runs` fresh interpreters."""
    best_ms, best_cpu, best_rss = float("inf"), float("inf"), 0.0
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", CHILD.format(module=module)], check=True,
                             capture_output=True, text=True, env=env).stdout.split()
        ms, cpu_ms, rss_kib = float(out[0]), float(out[1]), int(out[2])
        best_cpu = min(best_cpu, cpu_ms)
        if ms < best_ms:
            best_ms, best_rss = ms, rss_kib / 1024
    return best_ms, best_cpu, best_rss


def child_env(bytecode_cache: bool) -> dict[str, str]:
    """The children's environment; with `bytecode_cache`, ferrograd's `.pyc` are written
    once (an untimed import that may write bytecode) and read by every timed run."""
    env = dict(os.environ)
    if bytecode_cache:
        writer = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run([sys.executable, "-c", "import ferrograd"], check=True, env=writer)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        subprocess.run([sys.executable, "-c", _CLEAR_CACHE], check=True, env=env)
    return env


# Removes ferrograd's own __pycache__ folders, so each import compiles its sources.
_CLEAR_CACHE = r"""
import importlib.util, os, shutil
root = os.path.dirname(importlib.util.find_spec("ferrograd").origin)
for folder, dirs, _ in os.walk(root):
    if "__pycache__" in dirs:
        shutil.rmtree(os.path.join(folder, "__pycache__"))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="compile ferrograd's sources in every run (no .pyc)")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    args = parser.parse_args()
    wanted = ("numpy", "ferrograd") if args.no_torch else ("numpy", "ferrograd", "torch")
    modules = [m for m in wanted if importlib.util.find_spec(m) is not None]
    env = child_env(bytecode_cache=not args.no_bytecode_cache)
    results = {m: measure(m, args.runs, env) for m in modules}
    if args.json:
        print(json.dumps({m: {"ms": ms, "cpu_ms": cpu, "rss_mib": rss}
                          for m, (ms, cpu, rss) in results.items()}))
        return
    base = results.get("numpy")
    cache = "compiled in every run" if args.no_bytecode_cache else "bytecode cached"
    print(f"best of {args.runs} fresh interpreters, Python {sys.version.split()[0]}, ferrograd {cache}")
    print(f"{'import':<12}{'time (ms)':>12}{'x numpy':>10}{'CPU (ms)':>12}{'x numpy':>10}{'RSS (MiB)':>12}")
    for m, (ms, cpu, rss) in results.items():
        ratio = f"{ms / base[0]:.2f}" if base else "-"
        cpu_ratio = f"{cpu / base[1]:.2f}" if base else "-"
        print(f"{m:<12}{ms:>12.1f}{ratio:>10}{cpu:>12.1f}{cpu_ratio:>10}{rss:>12.1f}")
    if "torch" in results and "ferrograd" in results:
        print(f"torch / ferrograd: {results['torch'][0] / results['ferrograd'][0]:.1f}x the time, "
              f"{results['torch'][2] / max(results['ferrograd'][2], 1e-9):.1f}x the memory")


if __name__ == "__main__":
    main()
