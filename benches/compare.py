"""ferrograd against NumPy and PyTorch, in one process, on one thread (two in the rows named
"2 threads").

    python benches/compare.py            # full run (~3 minutes on 2 cores)
    python benches/compare.py --quick    # smoke run (~20 s)
    python benches/compare.py --json out.json --only matmul

Each workload is built once per library (setup is not timed), called once to warm up and to
check its values against the other libraries, then timed in rounds: one round times every
library once, in an order that rotates from round to round, so that a slow spell of the
machine lands on all of them alike. A sample is `number` back-to-back calls timed with
`time.perf_counter_ns` (with the cyclic GC off) and divided by `number`; `number` is chosen
per library so that a sample lasts at least ~1 ms. The table gives the median sample.

The "2 threads" rows repeat the large workloads with 2 intra-op threads everywhere:
ferrograd.set_num_threads(2), torch.set_num_threads(2), and NumPy's BLAS limited to 2 by
threadpoolctl when it is installed (NumPy's own elementwise loops are single-threaded).

The NumPy column is the same math written by hand: the forward pass and, where the workload
has a backward pass, the hand-derived gradient. PyTorch is measured only when it imports;
it is never a dependency. micrograd (Karpathy's scalar autograd engine, `pip install
micrograd`) is measured on the two scalar workloads when it imports. The ratios are
ferrograd's time over the other's: above 1 means ferrograd is slower.
"""

from __future__ import annotations

import os
import sys

# Before NumPy loads: one thread everywhere, and no OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE.
# The machines here set those two for old OpenBLAS builds, and they slow a current NumPy
# (it then runs a generic kernel), so the script re-executes itself once without them.
_DROPPED_ENV = "FERROGRAD_BENCH_DROPPED_ENV"
if "OPENBLAS_CORETYPE" in os.environ and __name__ == "__main__":
    _env = dict(os.environ)
    _dropped = [
        f"{k}={_env.pop(k)}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in _env
    ]
    _env[_DROPPED_ENV] = " ".join(_dropped)
    sys.stdout.flush()
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]], _env)
for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "RAYON_NUM_THREADS",
):
    os.environ[_var] = "1"
# Idle worker threads sleep rather than spin: OpenMP's (PyTorch's) and OpenBLAS's spin for
# a while after each parallel call, and in the interleaved "2 threads" rows that spinning
# takes the second core from whichever library runs next.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

import argparse
import contextlib
import ctypes
import functools
import gc
import json
import math
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ferrograd as fg
import numpy as np

try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None
else:
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set (or parallel work already started)
        pass

fg.set_num_threads(1)  # the 2-thread rows raise it for their workload only

FG, NP, TORCH = "ferrograd", "NumPy", "PyTorch"
F32 = np.float32

try:
    from micrograd.engine import Value as MicrogradValue
except ImportError:  # micrograd is optional too
    MicrogradValue = None
MG = "micrograd"


# --------------------------------------------------------------------------- harness


@dataclass
class Case:
    """One library's take on a workload: `run` is what is timed; `result` gives the values
    of the last run (outputs and gradients, as NumPy arrays) for the cross-check."""

    run: Callable[[], Any]
    result: Callable[[], dict[str, np.ndarray]]


@dataclass
class Workload:
    name: str
    budget_s: float  # time to spend on the timed rounds, all libraries together
    builders: dict[str, Callable[[], Case]]
    rtol: float = 1e-4
    atol: float = 1e-5
    note: str = ""
    threads: int = 1  # intra-op threads for every library during this workload


@dataclass
class Measured:
    name: str
    note: str
    number: dict[str, int] = field(default_factory=dict)
    samples_ns: dict[str, list[float]] = field(default_factory=dict)
    median_ns: dict[str, float] = field(default_factory=dict)
    check: dict[str, str] = field(default_factory=dict)
    error: dict[str, str] = field(default_factory=dict)


def _time_sample(fn: Callable[[], Any], number: int) -> float:
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        t0 = time.perf_counter_ns()
        for _ in range(number):
            fn()
        t1 = time.perf_counter_ns()
    finally:
        if gc_was_on:
            gc.enable()
    return (t1 - t0) / number


def _compare(ref: dict[str, np.ndarray], got: dict[str, np.ndarray], rtol, atol) -> str:
    bad = []
    for key, want in ref.items():
        if key not in got:
            bad.append(f"{key}: missing")
            continue
        have = np.asarray(got[key], dtype=np.float64)
        want = np.asarray(want, dtype=np.float64)
        if have.shape != want.shape:
            bad.append(f"{key}: shape {have.shape} != {want.shape}")
        elif not np.allclose(have, want, rtol=rtol, atol=atol, equal_nan=True):
            err = np.max(np.abs(have - want) / (atol + rtol * np.abs(want)))
            bad.append(f"{key}: off by {err:.3g}x tolerance")
    return "ok" if not bad else "; ".join(bad)


# Multi-threaded samples wait this long first, so that no other library's pool is still
# spinning (PyTorch's OpenMP workers spin up to 200 ms after a parallel region); their
# rounds are capped so the pauses stay affordable.
THREADED_SETTLE_S = 0.25
THREADED_MAX_ROUNDS = 15


def measure(w: Workload, libs: list[str], scale: float, min_rounds: int) -> Measured:
    with thread_limits(w.threads):
        return _measure(w, libs, scale, min_rounds)


@contextlib.contextmanager
def thread_limits(n: int):
    """ferrograd, PyTorch and NumPy's BLAS (through threadpoolctl, when installed) limited
    to `n` intra-op threads; back to one thread after."""
    fg.set_num_threads(n)
    if torch is not None:
        torch.set_num_threads(n)
    limiter: Any = contextlib.nullcontext()
    if n != 1:
        try:
            import threadpoolctl  # optional

            limiter = threadpoolctl.threadpool_limits(limits=n)
        except ImportError:
            pass
    try:
        with limiter:
            yield
    finally:
        fg.set_num_threads(1)
        if torch is not None:
            torch.set_num_threads(1)


def _measure(w: Workload, libs: list[str], scale: float, min_rounds: int) -> Measured:
    m = Measured(w.name, w.note)
    gc.collect()
    cases: dict[str, Case] = {}
    results: dict[str, dict[str, np.ndarray]] = {}
    for lib in libs:
        if lib not in w.builders:
            continue
        try:
            case = w.builders[lib]()
            case.run()  # warm-up, and the values for the check
            results[lib] = case.result()
            cases[lib] = case
        except Exception as e:  # noqa: BLE001 - report a failing library, measure the rest
            m.error[lib] = f"{type(e).__name__}: {e}"
    ref_lib = NP if NP in results else (TORCH if TORCH in results else None)
    for lib, res in results.items():
        if ref_lib is None or lib == ref_lib:
            continue
        m.check[lib] = f"vs {ref_lib}: " + _compare(results[ref_lib], res, w.rtol, w.atol)
    del results
    # Calibrate: `number` calls per sample so that one sample lasts >= ~1 ms.
    per_call: dict[str, float] = {}
    for lib, case in cases.items():
        once = _time_sample(case.run, 1)  # after the warm-up: first calls can be slow
        m.number[lib] = max(1, math.ceil(1e6 / max(once, 1.0)))
        per_call[lib] = once
    round_ns = sum(per_call[lib] * m.number[lib] for lib in cases) or 1.0
    rounds = int(min(500, max(min_rounds, w.budget_s * scale * 1e9 / round_ns)))
    if w.threads > 1:
        rounds = min(rounds, THREADED_MAX_ROUNDS)
    order = list(cases)
    for lib in order:
        m.samples_ns[lib] = []
    for r in range(rounds):
        k = r % len(order)
        for lib in order[k:] + order[:k]:
            if w.threads > 1:
                # The previous library's workers spin after their work (OpenMP's block
                # time, OpenBLAS's thread timeout) and would take a core from this one.
                time.sleep(THREADED_SETTLE_S)
            m.samples_ns[lib].append(_time_sample(cases[lib].run, m.number[lib]))
    for lib, samples in m.samples_ns.items():
        m.median_ns[lib] = statistics.median(samples)
    cases.clear()
    _uniform.cache_clear()
    gc.collect()
    return m


# --------------------------------------------------------------------------- data


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


@functools.cache
def _uniform(shape, seed, lo=-1.0, hi=1.0) -> np.ndarray:
    """Read-only float32 data, made once per workload and shared by its builders."""
    a = _rng(seed).uniform(lo, hi, size=shape).astype(F32)
    a.flags.writeable = False
    return a


def _tt(T, arr: np.ndarray, grad: bool = False):
    """A ferrograd or PyTorch tensor holding a copy of `arr`."""
    t = T.from_numpy(np.array(arr, copy=True))
    return t.requires_grad_() if grad else t


def _np(t) -> np.ndarray:
    return np.array(t.detach().numpy(), copy=True)


# --------------------------------------------------------------------------- workloads
# Each workload has one builder for the tensor libraries (`T` is ferrograd or torch, which
# share the API) and one for NumPy.


def tour_t(T) -> Case:
    x = T.ones(2, 2, requires_grad=True)
    state = {}

    def run():
        x.grad = None
        y = x + 2
        z = y * y * 3
        out = z.mean()
        out.backward()
        state["out"] = out

    return Case(run, lambda: {"out": _np(state["out"]), "x.grad": _np(x.grad)})


def tour_np() -> Case:
    x = np.ones((2, 2), dtype=F32)
    state = {}

    def run():
        y = x + 2
        z = y * y * 3
        out = z.mean()
        # d out / dx = d/dx mean(3 (x+2)^2) = 6 (x+2) / numel
        gx = y * F32(6.0 / x.size)
        state.update(out=out, gx=gx)

    return Case(run, lambda: {"out": np.asarray(state["out"]), "x.grad": state["gx"]})


def add_small_t(T, grad: bool) -> Case:
    a, b = _tt(T, _uniform((2, 2), 1), grad), _tt(T, _uniform((2, 2), 2), grad)
    state = {}

    def run():
        state["c"] = a + b

    return Case(run, lambda: {"c": _np(state["c"])})


def add_small_np() -> Case:
    a, b = _uniform((2, 2), 1), _uniform((2, 2), 2)
    state = {}

    def run():
        state["c"] = a + b

    return Case(run, lambda: {"c": state["c"]})


def add_scalar_t(T) -> Case:
    a, b = T.tensor(0.25, requires_grad=True), T.tensor(-0.5, requires_grad=True)
    state = {}

    def run():
        state["c"] = a + b

    return Case(run, lambda: {"c": _np(state["c"])})


def add_scalar_np() -> Case:
    a, b = F32(0.25), F32(-0.5)
    state = {}

    def run():
        state["c"] = a + b

    return Case(run, lambda: {"c": np.asarray(state["c"])})


def add_scalar_micrograd() -> Case:
    a, b = MicrogradValue(0.25), MicrogradValue(-0.5)
    state = {}

    def run():
        state["c"] = a + b

    return Case(run, lambda: {"c": np.asarray(state["c"].data)})


CHAIN_OPS = 100


def chain_t(T) -> Case:
    x = _tt(T, _uniform(16, 3), grad=True)
    state = {}

    def run():
        x.grad = None
        v = x
        for i in range(CHAIN_OPS):
            k = i % 3
            v = v * 1.0001 if k == 0 else (v + 0.001 if k == 1 else v.tanh())
        out = v.sum()
        out.backward()
        state["out"] = out

    return Case(run, lambda: {"out": _np(state["out"]), "x.grad": _np(x.grad)})


def chain_np() -> Case:
    x = _uniform(16, 3)
    state = {}
    c_mul, c_add = F32(1.0001), F32(0.001)

    def run():
        v = x
        saved = []  # tanh outputs, for d tanh(u)/du = 1 - tanh(u)^2
        for i in range(CHAIN_OPS):
            k = i % 3
            if k == 0:
                v = v * c_mul
            elif k == 1:
                v = v + c_add
            else:
                v = np.tanh(v)
                saved.append(v)
        out = v.sum()
        g = np.ones_like(x)
        for i in reversed(range(CHAIN_OPS)):
            k = i % 3
            if k == 0:
                g = g * c_mul
            elif k == 2:
                t = saved.pop()
                g = g * (1 - t * t)
        state.update(out=out, g=g)

    return Case(run, lambda: {"out": np.asarray(state["out"]), "x.grad": state["g"]})


WIDE = 1 << 24  # 16M float32 = 64 MiB per array


def wide_t(T, backward: bool) -> Case:
    x = _tt(T, _uniform(WIDE, 4))
    w = _tt(T, _uniform(WIDE, 5), grad=True)
    b = _tt(T, _uniform(WIDE, 6), grad=True)
    state = {}

    def run():
        if backward:
            w.grad = None
            b.grad = None
            out = (x * w + b).tanh().sum()
            out.backward()
        else:
            with T.no_grad():
                out = (x * w + b).tanh().sum()
        state["out"] = out

    def result():
        r = {"out": _np(state["out"])}
        if backward:
            r.update({"w.grad": _np(w.grad)[::4099], "b.grad": _np(b.grad)[::4099]})
        return r

    return Case(run, result)


def wide_np(backward: bool) -> Case:
    x, w, b = _uniform(WIDE, 4), _uniform(WIDE, 5), _uniform(WIDE, 6)
    state = {}

    def run():
        t = np.tanh(x * w + b)
        out = t.sum()
        state["out"] = out
        if backward:
            gu = 1 - t * t  # d sum(tanh(u)) / du
            state.update(gw=gu * x, gb=gu)

    def result():
        r = {"out": np.asarray(state["out"])}
        if backward:
            r.update({"w.grad": state["gw"][::4099], "b.grad": state["gb"][::4099]})
        return r

    return Case(run, result)


SUM_N = 4096


def sum0_t(T, backward: bool) -> Case:
    x = _tt(T, _uniform((SUM_N, SUM_N), 7), grad=backward)
    g = _tt(T, _uniform(SUM_N, 8))
    state = {}

    def run():
        if backward:
            x.grad = None
            s = x.sum(0)
            s.backward(g)
        else:
            s = x.sum(0)
        state["s"] = s

    def result():
        r = {"s": _np(state["s"])}
        if backward:
            r["x.grad"] = _np(x.grad)[::97, ::89]
        return r

    return Case(run, result)


def sum0_np(backward: bool) -> Case:
    x, g = _uniform((SUM_N, SUM_N), 7), _uniform(SUM_N, 8)
    state = {}

    def run():
        state["s"] = x.sum(0)
        if backward:
            # the gradient broadcast back over axis 0, materialised as the .grad would be
            state["gx"] = np.broadcast_to(g, x.shape).copy()

    def result():
        r = {"s": state["s"]}
        if backward:
            r["x.grad"] = state["gx"][::97, ::89]
        return r

    return Case(run, result)


def matmul_t(T, n: int, backward: bool) -> Case:
    a = _tt(T, _uniform((n, n), 9), grad=backward)
    b = _tt(T, _uniform((n, n), 10), grad=backward)
    g = _tt(T, _uniform((n, n), 11))
    state = {}

    def run():
        if backward:
            a.grad = None
            b.grad = None
            c = a @ b
            c.backward(g)
        else:
            c = a @ b
        state["c"] = c

    def result():
        r = {"c": _np(state["c"])}
        if backward:
            r.update({"a.grad": _np(a.grad), "b.grad": _np(b.grad)})
        return r

    return Case(run, result)


def matmul_np(n: int, backward: bool) -> Case:
    a, b, g = _uniform((n, n), 9), _uniform((n, n), 10), _uniform((n, n), 11)
    state = {}

    def run():
        state["c"] = a @ b
        if backward:
            state.update(ga=g @ b.T, gb=a.T @ g)

    def result():
        r = {"c": state["c"]}
        if backward:
            r.update({"a.grad": state["ga"], "b.grad": state["gb"]})
        return r

    return Case(run, result)


MLP_IN, MLP_HID, MLP_OUT, MLP_BATCH, LR = 784, 256, 10, 128, 0.01


def _mlp_data():
    x = _uniform((MLP_BATCH, MLP_IN), 12, 0.0, 1.0)
    target = _uniform((MLP_BATCH, MLP_OUT), 13)
    w1 = _uniform((MLP_IN, MLP_HID), 14, -(MLP_IN**-0.5), MLP_IN**-0.5)
    b1 = np.zeros(MLP_HID, F32)
    w2 = _uniform((MLP_HID, MLP_OUT), 15, -(MLP_HID**-0.5), MLP_HID**-0.5)
    b2 = np.zeros(MLP_OUT, F32)
    return x, target, [w1, b1, w2, b2]


def mlp_t(T) -> Case:
    x_np, target_np, params_np = _mlp_data()
    x, target = _tt(T, x_np), _tt(T, target_np)
    params = [_tt(T, p, grad=True) for p in params_np]
    w1, b1, w2, b2 = params
    state = {}

    def run():
        h = (x @ w1 + b1).relu()
        logits = h @ w2 + b2
        loss = ((logits - target) ** 2).mean()
        loss.backward()
        with T.no_grad():
            for p in params:
                p -= LR * p.grad
                p.grad = None
        state["loss"] = loss

    return Case(
        run,
        lambda: {"loss": _np(state["loss"]), "w1": _np(w1)[::7, ::5], "b2": _np(b2)},
    )


def mlp_np() -> Case:
    x, target, params = _mlp_data()
    params = [p.copy() for p in params]  # updated in place by the SGD step
    w1, b1, w2, b2 = params
    state = {}
    lr = F32(LR)

    def run():
        z1 = x @ w1 + b1
        h = np.maximum(z1, 0)
        logits = h @ w2 + b2
        d = logits - target
        loss = (d * d).mean()
        # backward of mean((logits - target)^2) through two affine layers and a relu
        dlogits = d * F32(2.0 / d.size)
        gw2, gb2 = h.T @ dlogits, dlogits.sum(0)
        dz1 = (dlogits @ w2.T) * (z1 > 0)
        gw1, gb1 = x.T @ dz1, dz1.sum(0)
        for p, gp in zip(params, (gw1, gb1, gw2, gb2)):
            p -= lr * gp
        state["loss"] = loss

    return Case(run, lambda: {"loss": np.asarray(state["loss"]), "w1": w1[::7, ::5], "b2": b2})


SCALAR_PARAMS, SCALAR_STEPS = 20, 333  # 3 ops per step: ~1000 nodes


def _scalar_values() -> list[float]:
    return [float(v) for v in _uniform(SCALAR_PARAMS, 16, -0.9, 0.9)]


def scalar_graph_t(T) -> Case:
    ps = [T.tensor(v, requires_grad=True) for v in _scalar_values()]
    state = {}

    def run():
        for p in ps:
            p.grad = None
        v = ps[0]
        for i in range(SCALAR_STEPS):
            v = (v * ps[i % SCALAR_PARAMS] + ps[(i + 7) % SCALAR_PARAMS]).tanh()
        v.backward()
        state["out"] = v

    return Case(
        run,
        lambda: {"out": _np(state["out"]), "grads": np.array([_np(p.grad) for p in ps])},
    )


def scalar_graph_np() -> Case:
    ps = [F32(v) for v in _scalar_values()]
    state = {}
    one = F32(1.0)

    def run():
        v = ps[0]
        tape = []
        for i in range(SCALAR_STEPS):
            t = np.tanh(v * ps[i % SCALAR_PARAMS] + ps[(i + 7) % SCALAR_PARAMS])
            tape.append((v, t))
            v = t
        grads = [F32(0.0)] * SCALAR_PARAMS
        gv = one
        for i in reversed(range(SCALAR_STEPS)):
            v_in, t = tape[i]
            gs = gv * (one - t * t)
            grads[(i + 7) % SCALAR_PARAMS] += gs
            grads[i % SCALAR_PARAMS] += gs * v_in
            gv = gs * ps[i % SCALAR_PARAMS]
        grads[0] += gv  # v started as ps[0]
        state.update(out=v, grads=grads)

    return Case(
        run,
        lambda: {"out": np.asarray(state["out"]), "grads": np.array(state["grads"])},
    )


def _micrograd_tanh(v):
    """tanh as a micrograd node. micrograd 0.1.0 (PyPI) has no tanh (its lecture version
    does): the same node, built the way its own ops are, so the graph matches the others'."""
    t = math.tanh(v.data)
    out = MicrogradValue(t, (v,), "tanh")

    def _backward():
        v.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out


def scalar_graph_micrograd() -> Case:
    ps = [MicrogradValue(v) for v in _scalar_values()]
    state = {}

    def run():
        for p in ps:
            p.grad = 0
        v = ps[0]
        for i in range(SCALAR_STEPS):
            v = _micrograd_tanh(v * ps[i % SCALAR_PARAMS] + ps[(i + 7) % SCALAR_PARAMS])
        # micrograd sorts the graph with a recursive walk, one frame per node of the chain:
        # deeper than Python's default limit of 1000 frames.
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 4 * SCALAR_STEPS + 200))
        try:
            v.backward()
        finally:
            sys.setrecursionlimit(limit)
        state["out"] = v

    return Case(
        run,
        lambda: {"out": np.asarray(state["out"].data), "grads": np.array([p.grad for p in ps])},
    )


def workloads() -> list[Workload]:
    def both(make_t, make_np, **kw) -> dict[str, Callable[[], Case]]:
        b = {FG: lambda: make_t(fg), NP: make_np}
        if torch is not None:
            b[TORCH] = lambda: make_t(torch)
        return b

    ws = [
        Workload("tour: (x+2)²·3 mean, backward (2×2)", 4, both(tour_t, tour_np)),
        Workload(
            "x + y, 2×2, requires_grad",
            3,
            both(lambda T: add_small_t(T, True), add_small_np),
            note="NumPy has no graph: its column is the plain add",
        ),
        Workload("x + y, 2×2, no grad", 3, both(lambda T: add_small_t(T, False), add_small_np)),
        Workload(
            "x + y, scalars (0-dim), requires_grad",
            3,
            {
                **both(add_scalar_t, add_scalar_np),
                **({MG: add_scalar_micrograd} if MicrogradValue is not None else {}),
            },
            note="NumPy: float32 scalars, no graph; micrograd: `Value + Value`",
        ),
        Workload(
            "100 elementwise ops on 16 elements + sum().backward()",
            5,
            both(chain_t, chain_np),
            rtol=1e-3,
        ),
        Workload(
            "(x·w + b).tanh().sum(), 16M f32, forward",
            12,
            both(lambda T: wide_t(T, False), lambda: wide_np(False)),
            rtol=1e-3,
            atol=1e-3,
        ),
        Workload(
            "(x·w + b).tanh().sum(), 16M f32, forward + backward",
            16,
            both(lambda T: wide_t(T, True), lambda: wide_np(True)),
            rtol=1e-3,
            atol=1e-3,
        ),
        Workload(
            "sum(dim=0), 4096×4096 f32, forward",
            8,
            both(lambda T: sum0_t(T, False), lambda: sum0_np(False)),
            rtol=1e-3,
            atol=1e-3,
        ),
        Workload(
            "sum(dim=0), 4096×4096 f32, forward + backward",
            10,
            both(lambda T: sum0_t(T, True), lambda: sum0_np(True)),
            rtol=1e-3,
            atol=1e-3,
        ),
    ]
    for n, budget in ((256, 4), (512, 6), (1024, 12)):
        for backward in (False, True):
            ws.append(
                Workload(
                    f"matmul {n}×{n} f32, " + ("forward + backward" if backward else "forward"),
                    budget * (2 if backward else 1),
                    both(
                        lambda T, n=n, bw=backward: matmul_t(T, n, bw),
                        lambda n=n, bw=backward: matmul_np(n, bw),
                    ),
                    rtol=1e-3,
                    atol=1e-3,
                )
            )
    ws += threaded_workloads(both)
    ws += [
        Workload(
            "MLP 784-256-10, batch 128: forward, MSE, backward, SGD step",
            8,
            both(mlp_t, mlp_np),
            rtol=1e-3,
            atol=1e-5,
        ),
        Workload(
            "scalar graph (~1000 nodes of 0-dim tensors), forward + backward",
            8,
            {
                **both(scalar_graph_t, scalar_graph_np),
                **({MG: scalar_graph_micrograd} if MicrogradValue is not None else {}),
            },
            rtol=1e-3,
            atol=1e-5,
            note="NumPy: float32 scalars, hand-written reverse pass; micrograd: its `Value`"
            " (float64) with a tanh node written the way its own ops are",
        ),
    ]
    return ws


THREADED_NOTE = (
    "2 intra-op threads: ferrograd set_num_threads(2), torch.set_num_threads(2), "
    "NumPy's BLAS limited to 2 by threadpoolctl (NumPy's elementwise ops and sums are "
    "single-threaded)"
)


def threaded_workloads(both) -> list[Workload]:
    """The large elementwise, reduction and 1024 matmul workloads again, on 2 threads."""
    kw = {"rtol": 1e-3, "atol": 1e-3, "threads": 2, "note": THREADED_NOTE}
    return [
        Workload(
            "(x·w + b).tanh().sum(), 16M f32, forward, 2 threads",
            12,
            both(lambda T: wide_t(T, False), lambda: wide_np(False)),
            **kw,
        ),
        Workload(
            "(x·w + b).tanh().sum(), 16M f32, forward + backward, 2 threads",
            16,
            both(lambda T: wide_t(T, True), lambda: wide_np(True)),
            **kw,
        ),
        Workload(
            "sum(dim=0), 4096×4096 f32, forward, 2 threads",
            8,
            both(lambda T: sum0_t(T, False), lambda: sum0_np(False)),
            **kw,
        ),
        Workload(
            "sum(dim=0), 4096×4096 f32, forward + backward, 2 threads",
            10,
            both(lambda T: sum0_t(T, True), lambda: sum0_np(True)),
            **kw,
        ),
        Workload(
            "matmul 1024×1024 f32, forward, 2 threads",
            12,
            both(lambda T: matmul_t(T, 1024, False), lambda: matmul_np(1024, False)),
            **kw,
        ),
        Workload(
            "matmul 1024×1024 f32, forward + backward, 2 threads",
            24,
            both(lambda T: matmul_t(T, 1024, True), lambda: matmul_np(1024, True)),
            **kw,
        ),
    ]


# --------------------------------------------------------------------------- environment


def _openblas_info() -> dict[str, Any]:
    """The OpenBLAS that NumPy loaded: its config string and the kernel (core) it chose."""
    info: dict[str, Any] = {}
    try:
        import threadpoolctl  # optional

        info["threadpoolctl"] = threadpoolctl.threadpool_info()
    except ImportError:
        pass
    paths = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line.split()[-1]
                if "blas" in os.path.basename(p).lower() and p not in paths:
                    paths.append(p)
    except OSError:
        return info
    libs = []
    for p in paths:
        entry: dict[str, Any] = {"path": p}
        try:
            lib = ctypes.CDLL(p)
        except OSError:
            continue
        for key, names in {
            "config": (
                "scipy_openblas_get_config64_",
                "openblas_get_config64_",
                "scipy_openblas_get_config",
                "openblas_get_config",
            ),
            "corename": (
                "scipy_openblas_get_corename64_",
                "openblas_get_corename64_",
                "scipy_openblas_get_corename",
                "openblas_get_corename",
            ),
        }.items():
            for name in names:
                fn = getattr(lib, name, None)
                if fn is not None:
                    fn.restype = ctypes.c_char_p
                    entry[key] = fn().decode()
                    break
        for name in (
            "scipy_openblas_get_num_threads64_",
            "openblas_get_num_threads64_",
            "scipy_openblas_get_num_threads",
            "openblas_get_num_threads",
        ):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.restype = ctypes.c_int
                entry["num_threads"] = fn()
                break
        libs.append(entry)
    info["loaded"] = libs
    return info


def _numpy_blas() -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        out = {k: blas.get(k) for k in ("name", "version", "openblas configuration") if blas.get(k)}
    except (TypeError, AttributeError) as e:  # older NumPy: no mode="dicts"
        out["show_config"] = f"unavailable ({type(e).__name__})"
    out.update(_openblas_info())
    return out


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _dist_version(name: str) -> str:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # noqa: BLE001 - a version string is only informative
        return "?"


def environment() -> dict[str, Any]:
    core = getattr(fg, "_core", None)
    core_path = getattr(core, "__file__", None)
    env = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "nproc": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": _cpu_model(),
        "numpy": np.__version__,
        "numpy_blas": _numpy_blas(),
        "ferrograd": getattr(fg, "__version__", "?"),
        "ferrograd_core": core_path,
        "ferrograd_core_mtime": (
            time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(os.path.getmtime(core_path)))
            if core_path
            else None
        ),
        "torch": torch.__version__ if torch is not None else None,
        "torch_threads": torch.get_num_threads() if torch is not None else None,
        "micrograd": _dist_version("micrograd") if MicrogradValue is not None else None,
        "loadavg_at_start": (
            ", ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
        ),
        "dropped_env": os.environ.get(_DROPPED_ENV, ""),
        "thread_env": {
            k: os.environ.get(k)
            for k in (
                "OMP_NUM_THREADS",
                "OPENBLAS_NUM_THREADS",
                "OMP_WAIT_POLICY",
                "OPENBLAS_THREAD_TIMEOUT",
            )
        },
    }
    return env


# --------------------------------------------------------------------------- report


def fmt_time(ns: float | None) -> str:
    if ns is None:
        return "—"
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.3g} µs"
    if ns < 1e9:
        return f"{ns / 1e6:.3g} ms"
    return f"{ns / 1e9:.3g} s"


def fmt_ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b <= 0:
        return "—"
    r = a / b
    return f"{r:.3g}×"


def table(results: list[Measured]) -> str:
    """The Markdown table; a micrograd column only when some workload measured it."""
    others = [NP, TORCH] + ([MG] if any(MG in m.median_ns for m in results) else [])
    libs = [FG, *others]
    lines = [
        "| workload | " + " | ".join(libs) + " | " + " | ".join(f"fg/{o}" for o in others) + " |",
        "|---|" + "---:|" * (len(libs) + len(others)),
    ]
    for m in results:
        times = {lib: m.median_ns.get(lib) for lib in libs}
        cell = {lib: "error" if lib in m.error else fmt_time(times[lib]) for lib in libs}
        ratios = [fmt_ratio(times[FG], times[o]) for o in others]
        lines.append(f"| {m.name} | " + " | ".join(cell[lib] for lib in libs) + " | "
                     + " | ".join(ratios) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a ~20 s smoke run (few rounds)")
    ap.add_argument("--json", metavar="PATH", help="write every sample and the environment")
    ap.add_argument("--only", metavar="TEXT", help="run the workloads whose name contains TEXT")
    ap.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    args = ap.parse_args(argv)

    libs = [FG, NP] + ([TORCH] if torch is not None and not args.no_torch else [])
    libs += [MG] if MicrogradValue is not None else []
    scale, min_rounds = (0.05, 2) if args.quick else (1.0, 7)
    env = environment()
    blas = env["numpy_blas"]
    loaded = blas.get("loaded") or [{}]
    print(f"# ferrograd vs NumPy vs PyTorch ({'quick' if args.quick else 'full'} run)\n")
    print(
        f"- CPU: {env['cpu']}, nproc {env['nproc']}, load average {env['loadavg_at_start']}; "
        f"Python {env['python']}"
    )
    print(
        f"- NumPy {env['numpy']}, BLAS {blas.get('name', '?')} {blas.get('version', '')}, "
        f"kernel {loaded[0].get('corename', '?')}, {loaded[0].get('num_threads', '?')} thread(s)"
    )
    print(f"- PyTorch {env['torch'] or 'not installed'}, threads {env['torch_threads']}")
    print(f"- micrograd {env['micrograd'] or 'not installed'}")
    print(f"- ferrograd core {env['ferrograd_core']} (built {env['ferrograd_core_mtime']})")
    if env["dropped_env"]:
        print(f"- re-executed without {env['dropped_env']}")
    print(flush=True)

    results: list[Measured] = []
    t_start = time.perf_counter()
    for w in workloads():
        if args.only and args.only.lower() not in w.name.lower():
            continue
        t0 = time.perf_counter()
        m = measure(w, libs, scale, min_rounds)
        results.append(m)
        rounds = len(next(iter(m.samples_ns.values()), []))
        print(
            f"  {w.name}: {rounds} rounds, {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
            flush=True,
        )
    elapsed = time.perf_counter() - t_start

    print(table(results))
    print(
        "\nMedians of interleaved samples, one thread each (two in the rows that say so); "
        "fg/X above 1 means ferrograd is slower."
    )
    notes = [f"- {m.name}: {m.note}" for m in results if m.note]
    if notes:
        print("\n".join(notes))
    problems = [
        f"- {m.name} [{lib}]: {msg}"
        for m in results
        for lib, msg in list(m.error.items()) + list(m.check.items())
        if not msg.endswith(": ok")
    ]
    print("\nValue checks (each library's outputs and gradients against NumPy's): ", end="")
    print("all agree." if not problems else "\n" + "\n".join(problems))
    print(f"\nTotal {elapsed:.0f} s.")

    if args.json:
        payload = {
            "environment": env,
            "quick": args.quick,
            "elapsed_s": elapsed,
            "workloads": [m.__dict__ for m in results],
        }
        with open(args.json, "w") as f:
            json.dump(payload, f, indent=1, default=str)
    return 1 if any(m.error for m in results) else 0


if __name__ == "__main__":
    sys.exit(main())
