"""The MLP training step of `compare.py` (784-256-10, batch 128, MSE, SGD) broken down
op by op, ferrograd against PyTorch and NumPy, one thread.

    python benches/mlp_step.py              # per-op table and the whole step
    python benches/mlp_step.py --rounds 9

Each op runs alone at the step's shapes, `number` calls per sample, timed in thread CPU
time (`time.thread_time_ns`, so time the process spends descheduled on a busy machine
does not count); the table gives the best sample of `rounds`, libraries interleaved
within each round. The "step" rows time the whole step as compare.py writes it; "sum of
ops" adds the rows above it, so the difference is the graph (recording nodes, the
backward engine, Python).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ.pop("OPENBLAS_CORETYPE", None)
os.environ.pop("OPENBLAS_L2_SIZE", None)

import argparse
import gc
import time
from collections.abc import Callable

import ferrograd as fg
import numpy as np

try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None
else:
    torch.set_num_threads(1)

fg.set_num_threads(1)

IN, HID, OUT, BATCH, LR = 784, 256, 10, 128, 0.01
F32 = np.float32


def _data():
    rng = np.random.default_rng(0)
    u = lambda shape, lo, hi: rng.uniform(lo, hi, shape).astype(F32)
    return {
        "x": u((BATCH, IN), 0.0, 1.0),
        "target": u((BATCH, OUT), -1.0, 1.0),
        "w1": u((IN, HID), -(IN**-0.5), IN**-0.5),
        "b1": np.zeros(HID, F32),
        "w2": u((HID, OUT), -(HID**-0.5), HID**-0.5),
        "b2": np.zeros(OUT, F32),
        "z1": u((BATCH, HID), -1.0, 1.0),
        "g1": u((BATCH, HID), -1.0, 1.0),
        "g2": u((BATCH, OUT), -1.0, 1.0),
    }


def tensor_ops(T, d) -> dict[str, Callable[[], object]]:
    """The step's ops one at a time, for ferrograd or PyTorch (module `T`)."""
    t = {k: T.tensor(v) for k, v in d.items()}
    x, w1, b1, w2, b2, z1, g1, g2 = (t[k] for k in ("x", "w1", "b1", "w2", "b2", "z1", "g1", "g2"))
    h = z1.relu()
    w1g = w1.clone()
    # the graph pieces: each op on inputs that require grad, then backward of its sum
    rg = {k: T.tensor(v, requires_grad=True) for k, v in d.items()}

    def sgd():
        with T.no_grad():
            w1g.sub_(LR * w1)  # what `p -= LR * p.grad` does for w1

    return {
        "x @ w1 (128x784x256)": lambda: x @ w1,
        "+ b1 (128x256)": lambda: z1 + b1,
        "relu": lambda: z1.relu(),
        "h @ w2 (128x256x10)": lambda: h @ w2,
        "+ b2, - target, **2, mean": lambda: ((g2 + b2 - g2) ** 2).mean(),
        "g2 @ w2.T (128x10x256)": lambda: g2 @ w2.t(),
        "h.T @ g2 (256x128x10)": lambda: h.t() @ g2,
        "relu backward (g1 * (z1 > 0))": lambda: g1 * (z1 > 0),
        "x.T @ g1 (784x128x256)": lambda: x.t() @ g1,
        "g1.sum(0)": lambda: g1.sum(0),
        "SGD update of w1 (w1 -= lr * g)": sgd,
        "forward with grad (graph only, tiny)": lambda: (rg["b2"] * 2).sum(),
    }


def numpy_ops(d) -> dict[str, Callable[[], object]]:
    x, w1, b1, w2, b2, z1, g1, g2 = (d[k] for k in ("x", "w1", "b1", "w2", "b2", "z1", "g1", "g2"))
    h = np.maximum(z1, 0)
    w1g = w1.copy()
    lr = F32(LR)

    def sgd():
        w1g.__isub__(lr * w1)

    return {
        "x @ w1 (128x784x256)": lambda: x @ w1,
        "+ b1 (128x256)": lambda: z1 + b1,
        "relu": lambda: np.maximum(z1, 0),
        "h @ w2 (128x256x10)": lambda: h @ w2,
        "+ b2, - target, **2, mean": lambda: ((g2 + b2 - g2) ** 2).mean(),
        "g2 @ w2.T (128x10x256)": lambda: g2 @ w2.T,
        "h.T @ g2 (256x128x10)": lambda: h.T @ g2,
        "relu backward (g1 * (z1 > 0))": lambda: g1 * (z1 > 0),
        "x.T @ g1 (784x128x256)": lambda: x.T @ g1,
        "g1.sum(0)": lambda: g1.sum(0),
        "SGD update of w1 (w1 -= lr * g)": sgd,
    }


def tensor_step(T, d) -> Callable[[], object]:
    """compare.py's step, verbatim."""
    x, target = T.tensor(d["x"]), T.tensor(d["target"])
    params = [T.tensor(d[k], requires_grad=True) for k in ("w1", "b1", "w2", "b2")]
    w1, b1, w2, b2 = params

    def run():
        h = (x @ w1 + b1).relu()
        logits = h @ w2 + b2
        loss = ((logits - target) ** 2).mean()
        loss.backward()
        with T.no_grad():
            for p in params:
                p -= LR * p.grad
                p.grad = None
        return loss

    return run


def numpy_step(d) -> Callable[[], object]:
    x, target = d["x"], d["target"]
    params = [d[k].copy() for k in ("w1", "b1", "w2", "b2")]
    w1, b1, w2, b2 = params
    lr = F32(LR)

    def run():
        z1 = x @ w1 + b1
        h = np.maximum(z1, 0)
        logits = h @ w2 + b2
        dd = logits - target
        loss = (dd * dd).mean()
        dlogits = dd * F32(2.0 / dd.size)
        gw2, gb2 = h.T @ dlogits, dlogits.sum(0)
        dz1 = (dlogits @ w2.T) * (z1 > 0)
        gw1, gb1 = x.T @ dz1, dz1.sum(0)
        for p, gp in zip(params, (gw1, gb1, gw2, gb2)):
            p -= lr * gp
        return loss

    return run


def best_us(fns: dict[str, Callable[[], object]], rounds: int, number: int) -> dict[str, float]:
    """Best thread-CPU time per call, libraries interleaved within each round."""
    best = dict.fromkeys(fns, float("inf"))
    for f in fns.values():
        f()
    gc.disable()
    try:
        for _ in range(rounds):
            for name, f in fns.items():
                t0 = time.thread_time_ns()
                for _ in range(number):
                    f()
                best[name] = min(best[name], (time.thread_time_ns() - t0) / number / 1e3)
    finally:
        gc.enable()
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--number", type=int, default=50)
    args = ap.parse_args()
    d = _data()
    libs = {"fg": tensor_ops(fg, d), "np": numpy_ops(d)}
    steps = {"fg": tensor_step(fg, d), "np": numpy_step(d)}
    if torch is not None:
        libs["torch"] = tensor_ops(torch, d)
        steps["torch"] = tensor_step(torch, d)
    names = list(libs["fg"])
    rows = {}
    for name in names:
        fns = {lib: ops[name] for lib, ops in libs.items() if name in ops}
        rows[name] = best_us(fns, args.rounds, args.number)
    rows["step (compare.py's MLP)"] = best_us(steps, args.rounds, args.number // 2)
    cols = [c for c in ("fg", "torch", "np") if c in libs]
    head = f"| op (µs, thread CPU, best of {args.rounds} x {args.number}) | "
    print(head + " | ".join(cols) + " | fg/torch | fg/np |")
    print("|---|" + "---:|" * (len(cols) + 2))
    for name, r in rows.items():
        cells = [f"{r[c]:.1f}" if c in r else "—" for c in cols]
        ratios = [f"{r['fg'] / r[o]:.2f}x" if o in r else "—" for o in ("torch", "np")]
        print(f"| {name} | " + " | ".join(cells + ratios) + " |")


if __name__ == "__main__":
    main()
