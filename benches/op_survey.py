"""One op at a time: ferrograd against PyTorch (and NumPy where it has the same op) on
1000x1000 float32 (forward) and on the layers of a training step (forward + backward).

    python benches/op_survey.py                 # every op (~2 minutes)
    python benches/op_survey.py softmax cumsum  # ops whose name contains a word given

`compare.py` times whole workloads against the issue's targets; this survey looks for the
single op that falls off a fast path (a kernel that walks elements one by one, a copy in
float64, a composition of several passes). One thread everywhere; each op is timed in
rounds that alternate the libraries, and a row gives the best round of each. Rows where
ferrograd takes more than twice the fastest other library are marked `<<`.
PyTorch is measured only when it imports; it is never a dependency.
"""

from __future__ import annotations

import os
import sys

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ[_var] = "1"

import time
from collections.abc import Callable
from dataclasses import dataclass

import ferrograd as fg
import ferrograd.nn.functional as fg_F
import numpy as np

try:
    import torch
    import torch.nn.functional as torch_F

    torch.set_num_threads(1)
except ImportError:  # PyTorch is optional
    torch = None
fg.set_num_threads(1)

rs = np.random.RandomState(0)
SQUARE = rs.randn(1000, 1000).astype(np.float32)
POSITIVE = rs.rand(1000, 1000).astype(np.float32) + 0.1
INTS = rs.randint(-100, 100, (1000, 1000)).astype(np.int64)
CUBE = rs.randn(100, 100, 100).astype(np.float32)
ROWS = rs.randint(0, 1000, 1000)
BATCH = rs.randn(512, 1024).astype(np.float32)
CLASSES = rs.randint(0, 1024, 512)
IMAGES = rs.randn(16, 32, 28, 28).astype(np.float32)
KERNELS = (rs.randn(32, 32, 3, 3) * 0.1).astype(np.float32)
WEIGHT = (rs.randn(1024, 1024) * 0.03).astype(np.float32)


class Lib:
    """One library's names, as the op table uses them."""

    def __init__(self, name: str, mod, functional) -> None:
        self.name, self.mod, self.F = name, mod, functional


@dataclass
class Case:
    """`f(L, *tensors)`, the tensors made once (untimed) from `inputs`: arrays, or
    `(array, True)` for a leaf that requires grad. With `backward`, the timed call is
    `f(...).sum().backward()`."""

    f: Callable
    inputs: tuple
    backward: bool = False

    def thunk(self, L: Lib) -> Callable[[], object]:
        tensors = [
            L.mod.tensor(a[0], requires_grad=True) if isinstance(a, tuple) else L.mod.tensor(a)
            for a in self.inputs
        ]
        f = self.f
        if self.backward:
            return lambda: f(L, *tensors).sum().backward()
        return lambda: f(L, *tensors)


def on(f: Callable, *inputs) -> Case:
    return Case(f, inputs or (SQUARE,))


def method(name: str, src: np.ndarray = SQUARE, *args) -> Case:
    return Case(lambda L, x: getattr(x, name)(*args), (src,))


def trained(f: Callable, *inputs) -> Case:
    """`f(L, ...).sum().backward()`; by default on a (512, 1024) batch that requires grad."""
    return Case(f, inputs or ((BATCH, True),), backward=True)


FORWARD: dict[str, Case] = {
    **{m: method(m) for m in ("abs", "neg", "exp", "sin", "cos", "tan", "tanh", "sigmoid", "relu",
                              "erf", "atan", "floor", "ceil", "round", "trunc", "sign")},
    **{f"{m}(positive)": method(m, POSITIVE) for m in ("sqrt", "rsqrt", "log", "log1p", "reciprocal")},
    "x * x": on(lambda L, x: x * x),
    "x / 1.7": on(lambda L, x: x / 1.7),
    "x ** 0.5 (positive)": on(lambda L, p: p**0.5, POSITIVE),
    "clamp(-0.5, 0.5)": method("clamp", SQUARE, -0.5, 0.5),
    "maximum(x, x.t())": on(lambda L, x: L.mod.maximum(x, x.t())),
    "x > 0": on(lambda L, x: x > 0),
    "where(x > 0, x, 0)": on(lambda L, x: L.mod.where(x > 0, x, 0.0)),
    "lerp(x, x, 0.3)": on(lambda L, x: L.mod.lerp(x, x, 0.3)),
    "addcmul(x, x)": on(lambda L, x: x.addcmul(x, x)),
    "isclose(x, x)": on(lambda L, x: L.mod.isclose(x, x)),
    "x.half()": method("half"),
    "x.int()": method("int"),
    "x.double()": method("double"),
    **{f"{m}()": method(m) for m in ("sum", "max", "std", "norm")},
    **{f"{m}(1)": method(m, SQUARE, 1) for m in ("sum", "mean", "max", "amax", "argmax", "min", "prod",
                                                   "var", "logsumexp", "softmax", "log_softmax", "cumsum",
                                                   "cumprod", "sort")},
    **{f"{m}(0)": method(m, SQUARE, 0) for m in ("sum", "max", "softmax", "cumsum")},
    "norm(dim=1)": on(lambda L, x: x.norm(dim=1)),
    "topk(10, 1)": method("topk", SQUARE, 10, 1),
    "median(1)": method("median", SQUARE, 1),
    "sum((0, 2)) of 100^3": on(lambda L, c: c.sum((0, 2)), CUBE),
    "unique (int64)": on(lambda L, i: i.unique(), INTS),
    "t().contiguous()": on(lambda L, x: x.t().contiguous()),
    "permute(2,0,1) of 100^3": on(lambda L, c: c.permute(2, 0, 1).contiguous(), CUBE),
    "x.t() + x": on(lambda L, x: x.t() + x),
    "flip(1)": method("flip", SQUARE, 1),
    "roll(3, 1)": method("roll", SQUARE, 3, 1),
    "repeat(2, 1)": method("repeat", SQUARE, 2, 1),
    "tril()": method("tril"),
    "cat([x, x])": on(lambda L, x: L.mod.cat([x, x])),
    "x[:, ::2].clone()": on(lambda L, x: x[:, ::2].clone()),
    "x[x > 0]": on(lambda L, x: x[x > 0]),
    "x[rows]": on(lambda L, x, i: x[i], SQUARE, ROWS),
    "x[:, rows]": on(lambda L, x, i: x[:, i], SQUARE, ROWS),
    "index_select(0, rows)": on(lambda L, x, i: x.index_select(0, i), SQUARE, ROWS),
    "gather(1, idx)": on(lambda L, x, i: x.gather(1, i), SQUARE, np.abs(INTS) % 1000),
    "randn(1000, 1000)": on(lambda L, _: L.mod.randn(1000, 1000)),
    "linspace(0, 1, 1e6)": on(lambda L, _: L.mod.linspace(0, 1, 1_000_000)),
    "zeros(1000, 1000)": on(lambda L, _: L.mod.zeros(1000, 1000)),
    "x @ x[0] (mv)": on(lambda L, x: x @ x[0]),
    "bmm 32 x 64x64": on(lambda L, b: b @ b, rs.randn(32, 64, 64).astype(np.float32)),
    "x @ x (1000^3)": on(lambda L, x: x @ x),
}

NUMPY_FORWARD: dict[str, Callable[[], object]] = {
    "abs": lambda: np.abs(SQUARE), "exp": lambda: np.exp(SQUARE), "sin": lambda: np.sin(SQUARE),
    "floor": lambda: np.floor(SQUARE), "sqrt(positive)": lambda: np.sqrt(POSITIVE),
    "x > 0": lambda: SQUARE > 0, "clamp(-0.5, 0.5)": lambda: np.clip(SQUARE, -0.5, 0.5),
    "sum()": lambda: SQUARE.sum(), "sum(1)": lambda: SQUARE.sum(1), "max(1)": lambda: SQUARE.max(1),
    "cumsum(1)": lambda: np.cumsum(SQUARE, 1), "flip(1)": lambda: np.flip(SQUARE, 1).copy(),
    "t().contiguous()": lambda: np.ascontiguousarray(SQUARE.T), "x[rows]": lambda: SQUARE[ROWS],
    "x @ x (1000^3)": lambda: SQUARE @ SQUARE,
}

BACKWARD: dict[str, Case] = {
    **{f"{m} + backward": trained(lambda L, x, m=m: getattr(x, m)()) for m in ("relu", "sigmoid", "tanh", "exp")},
    "gelu + backward": trained(lambda L, x: L.F.gelu(x)),
    "x + bias + backward": trained(lambda L, x: x + x[0]),
    "max(1) + backward": trained(lambda L, x: x.max(1)[0]),
    "softmax(1) + backward": trained(lambda L, x: x.softmax(1)),
    "log_softmax(1) + backward": trained(lambda L, x: x.log_softmax(1)),
    "cross_entropy + backward": trained(lambda L, x, t: L.F.cross_entropy(x, t), (BATCH, True), CLASSES),
    "layer_norm + backward": trained(lambda L, x: L.F.layer_norm(x, (1024,))),
    "clamp + backward": trained(lambda L, x: x.clamp(-1, 1)),
    "cat + backward": trained(lambda L, x: L.mod.cat([x, x], 1)),
    "x[:, ::2] + backward": trained(lambda L, x: x[:, ::2]),
    "permute + backward": trained(lambda L, x: x.reshape(512, 32, 32).permute(2, 0, 1)),
    "norm(dim=1) + backward": trained(lambda L, x: x.norm(dim=1)),
    "linear 1024->1024 + backward": trained(
        lambda L, x, w, b: L.F.linear(x, w, b), (BATCH, True), (WEIGHT, True), (np.zeros(1024, np.float32), True)
    ),
    "conv2d 32->32 3x3 + backward": trained(
        lambda L, x, w: L.F.conv2d(x, w, padding=1), (IMAGES, True), (KERNELS, True)
    ),
    "max_pool2d + backward": trained(lambda L, x: L.F.max_pool2d(x, 2), (IMAGES, True)),
    "batch_norm + backward": trained(
        lambda L, x, w, b: L.F.batch_norm(x, None, None, w, b, training=True),
        (IMAGES, True), (np.ones(32, np.float32), True), (np.zeros(32, np.float32), True),
    ),
    "embedding + backward": trained(
        lambda L, e, i: L.F.embedding(i, e),
        (rs.randn(10000, 128).astype(np.float32), True), rs.randint(0, 10000, (64, 50)),
    ),
}


def best_of_rounds(thunks: dict[str, Callable[[], object]], rounds: int = 5) -> dict[str, float]:
    """Seconds per call of each thunk: the best of `rounds` rounds that alternate them."""
    for f in thunks.values():
        f()  # warm-up (and first-call setup)
    number = {}
    for name, f in thunks.items():
        start = time.perf_counter()
        f()
        number[name] = max(1, min(50, int(0.02 / max(time.perf_counter() - start, 1e-7))))
    best = dict.fromkeys(thunks, float("inf"))
    for _ in range(rounds):
        for name, f in thunks.items():
            start = time.perf_counter()
            for _ in range(number[name]):
                f()
            best[name] = min(best[name], (time.perf_counter() - start) / number[name])
    return best


def survey(table: dict[str, Case], numpy_table: dict[str, Callable[[], object]], words: list[str]) -> None:
    libs = [Lib("ferrograd", fg, fg_F)] + ([Lib("PyTorch", torch, torch_F)] if torch is not None else [])
    print(f"| op | {' | '.join(L.name for L in libs)} | NumPy | fg / fastest other |")
    print("|---|" + "---:|" * (len(libs) + 2))
    for name, case in table.items():
        if words and not any(w in name for w in words):
            continue
        thunks = {L.name: case.thunk(L) for L in libs}
        if name in numpy_table:
            thunks["NumPy"] = numpy_table[name]
        times = best_of_rounds(thunks)
        others = [v for k, v in times.items() if k != "ferrograd"]
        ratio = times["ferrograd"] / min(others) if others else float("nan")
        cells = [f"{times[L.name] * 1e3:.3f} ms" for L in libs]
        cells.append(f"{times['NumPy'] * 1e3:.3f} ms" if "NumPy" in times else "—")
        flag = " <<" if ratio > 2 else ""
        print(f"| {name} | {' | '.join(cells)} | {ratio:.2f}×{flag} |", flush=True)


if __name__ == "__main__":
    words = sys.argv[1:]
    print("Forward, 1000x1000 float32 unless named, one thread\n")
    survey(FORWARD, NUMPY_FORWARD, words)
    print("\nForward + sum().backward(), one thread\n")
    survey(BACKWARD, {}, words)
