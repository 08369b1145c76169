"""Steady-state and peak memory of a training loop: ferrograd against PyTorch.

Each library trains the benchmark MLP (784-256-10, batch 128, MSE loss) in a fresh
interpreter for N steps (default 10,000) with SGD (momentum 0.9) or Adam, and reports,
from `/proc/self/status`:

- the resident set after the import, after building the model and data, and after
  steps 100, 1,000 and every 1,000 thereafter;
- growth: the resident set at the last step minus at step 1,000 (steady state should
  not grow at all);
- the peak resident set (VmHWM) of the run, and the peak minus the resident set after
  the import (what training itself added on top of the library).

The issue's target reads "peak RSS of a training step no more than PyTorch's minus its
import footprint": the `peak` column of ferrograd against `peak - import` of PyTorch.

    python benches/memory.py [--steps N] [--optim sgd|adam] [--no-torch] [--json FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys

CHILD = r"""
import sys
def status(key):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0
base = status("VmRSS")
import {module} as lib
lib.manual_seed(0)
lib.set_num_threads(1)
after_import = status("VmRSS")
nn = lib.nn
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
if "{optim}" == "adam":
    opt = lib.optim.Adam(model.parameters(), lr=1e-3)
else:
    opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
x = lib.randn(128, 784)
y = lib.randn(128, 10)
loss_fn = nn.MSELoss()
after_setup = status("VmRSS")
marks = []
steps = {steps}
for step in range(1, steps + 1):
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    if step == 100 or step % 1000 == 0:
        marks.append((step, status("VmRSS")))
print(base, after_import, after_setup, status("VmHWM"), float(loss.detach()), marks)
"""


def run(module: str, steps: int, optim: str) -> dict:
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    code = CHILD.format(module=module, steps=steps, optim=optim)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         env=env).stdout.strip()
    base, after_import, after_setup, peak, loss, marks = out.split(" ", 5)
    marks = eval(marks)  # a list of (step, KiB) pairs printed by the child
    by_step = dict(marks)
    first = by_step.get(1000, marks[0][1])
    return {
        "module": module,
        "import_mib": (int(after_import) - int(base)) / 1024,
        "setup_mib": int(after_setup) / 1024,
        "peak_mib": int(peak) / 1024,
        "peak_minus_import_mib": (int(peak) - int(after_import)) / 1024,
        "growth_kib": marks[-1][1] - first,
        "final_loss": float(loss),
        "marks_kib": marks,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--optim", choices=("sgd", "adam"), default="sgd")
    parser.add_argument("--no-torch", action="store_true")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    modules = ["ferrograd"]
    if not args.no_torch and importlib.util.find_spec("torch") is not None:
        modules.append("torch")
    rows = [run(m, args.steps, args.optim) for m in modules]
    print(f"MLP 784-256-10, batch 128, {args.optim}, {args.steps} steps, one thread")
    print("| library | import (MiB) | peak RSS (MiB) | peak - import (MiB) | growth 1k→end (KiB) |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['module']} | {r['import_mib']:.1f} | {r['peak_mib']:.1f} | "
              f"{r['peak_minus_import_mib']:.1f} | {r['growth_kib']} |")
    if len(rows) == 2:
        fg, torch = rows
        budget = torch["peak_mib"] - torch["import_mib"]
        print(f"ferrograd peak {fg['peak_mib']:.1f} MiB against PyTorch's peak minus its import "
              f"{budget:.1f} MiB: {fg['peak_mib'] / budget:.2f}x")
    for r in rows:
        print(r["module"], "RSS (KiB) by step:", r["marks_kib"])
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
