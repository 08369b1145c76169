"""How long `import ferrograd` takes next to `import numpy` and `import torch`, and how
much memory each import adds.

Each measurement runs in a fresh interpreter (`python -c "import X"`), so nothing is
cached in the process; the figure is the best of N runs (the least disturbed by other
load on the machine). The time is taken inside the child around the import statement
(interpreter start-up excluded); the memory is the growth of the child's resident set
(VmRSS) across the import.

    python benches/import_time.py [--runs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
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
t0 = time.perf_counter()
import {module}
t1 = time.perf_counter()
print((t1 - t0) * 1e3, rss_kib() - before)
"""


def measure(module: str, runs: int) -> tuple[float, float]:
    """Best import time (ms) and the RSS it added (MiB) over `runs` fresh interpreters."""
    best_ms, best_rss = float("inf"), 0.0
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", CHILD.format(module=module)], check=True,
                             capture_output=True, text=True).stdout.split()
        ms, rss_kib = float(out[0]), int(out[1])
        if ms < best_ms:
            best_ms, best_rss = ms, rss_kib / 1024
    return best_ms, best_rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    modules = [m for m in ("numpy", "ferrograd", "torch") if importlib.util.find_spec(m) is not None]
    results = {m: measure(m, args.runs) for m in modules}
    if args.json:
        print(json.dumps({m: {"ms": ms, "rss_mib": rss} for m, (ms, rss) in results.items()}))
        return
    base_ms = results["numpy"][0] if "numpy" in results else None
    print(f"best of {args.runs} fresh interpreters, Python {sys.version.split()[0]}")
    print(f"{'import':<12}{'time (ms)':>12}{'x numpy':>10}{'RSS (MiB)':>12}")
    for m, (ms, rss) in results.items():
        ratio = f"{ms / base_ms:.1f}" if base_ms else "-"
        print(f"{m:<12}{ms:>12.1f}{ratio:>10}{rss:>12.1f}")
    if "torch" in results and "ferrograd" in results:
        print(f"torch / ferrograd: {results['torch'][0] / results['ferrograd'][0]:.1f}x the time, "
              f"{results['torch'][1] / max(results['ferrograd'][1], 1e-9):.1f}x the memory")


if __name__ == "__main__":
    main()
