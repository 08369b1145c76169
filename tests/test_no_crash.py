"""Random programs over every dtype and awkward shapes (empty, broadcast, views) must give
a value or a clear Python exception, never a panic turned into an internal error."""

import random

import numpy as np
import pytest
from backend import IS_TORCH, fg

DTYPES = ["float32", "float64", "int64", "bool"]
SHAPES = [(), (0,), (1,), (3,), (2, 3), (3, 1), (1, 3), (2, 0, 3), (2, 1, 3)]
UNARY = ["neg", "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "sign",
         "trunc", "reciprocal", "sum", "mean", "prod", "amax", "amin", "all", "any", "norm",
         "t", "flatten", "clone", "contiguous", "float", "double", "long", "bool", "max", "min",
         "tolist", "item", "squeeze", "detach"]
BINARY = ["__add__", "__sub__", "__mul__", "__truediv__", "__floordiv__", "__mod__", "__pow__",
          "__matmul__", "__and__", "__or__", "__xor__", "__lt__", "__eq__", "maximum",
          "minimum", "__radd__", "__rsub__", "__rtruediv__", "__rpow__"]
INDICES = [0, -1, 5, slice(None), slice(1, None, 2), None, Ellipsis, (0, 0), (slice(None), 0),
           (None, Ellipsis, 0)]
EXPECTED = (RuntimeError, TypeError, ValueError, IndexError, NotImplementedError,
            AttributeError, AssertionError)


def make(rng, shape, dtype, requires_grad):
    t = fg.tensor(np.random.default_rng(rng.randrange(1 << 30)).standard_normal(shape) * 3)
    t = t.to(getattr(fg, dtype))
    if requires_grad and t.dtype.is_floating_point:
        t.requires_grad_()
    return t


def one_program(rng):
    a = make(rng, rng.choice(SHAPES), rng.choice(DTYPES), rng.random() < 0.5)
    kind = rng.random()
    if kind < 0.35:
        r = getattr(a, rng.choice(UNARY))()
    elif kind < 0.7:
        other = rng.choice([make(rng, rng.choice(SHAPES), rng.choice(DTYPES), rng.random() < 0.5),
                            2, 2.5, True, -1, 0, 0.0])
        r = getattr(a, rng.choice(BINARY))(other)
    elif kind < 0.85:
        d = rng.randint(-3, 3)
        op = rng.choice(["sum", "mean", "prod", "amax", "norm", "unsqueeze", "squeeze",
                         "select", "transpose", "all"])
        if op == "select":
            r = a.select(d, rng.randint(-3, 3))
        elif op == "transpose":
            r = a.transpose(d, rng.randint(-3, 3))
        elif op == "norm":
            r = a.norm(rng.choice([0, 1, 2, 3, float("inf")]), dim=d)
        else:
            r = getattr(a, op)(d)
    else:
        idx = rng.choice(INDICES)
        if rng.random() < 0.5:
            r = a[idx]
        else:
            with fg.no_grad():
                a[idx] = rng.choice([1, 2.5, make(rng, rng.choice(SHAPES), rng.choice(DTYPES), False)])
            r = a
    if isinstance(r, fg.Tensor) and r.requires_grad:
        (r.sum() if r.numel() != 1 else r).backward()
    repr(r)


@pytest.mark.parametrize("seed", range(4))
def test_random_programs_raise_only_clear_exceptions(seed):
    rng = random.Random(seed)
    crashes = []
    for _ in range(600):
        try:
            one_program(rng)
        except EXPECTED as e:
            if "internal error" in str(e):
                crashes.append(f"{type(e).__name__}: {e}")
    assert crashes == []


def test_a_panic_in_the_core_becomes_runtime_error():
    if IS_TORCH:
        return
    from ferrograd import _core

    with pytest.raises(RuntimeError, match="internal error in _panic_for_test: deliberate panic"):
        _core._panic_for_test()
    # the library stays usable
    assert (fg.ones(2) + 1).tolist() == [2.0, 2.0]


def test_a_caught_panic_prints_nothing_to_stderr():
    if IS_TORCH:
        return
    import os
    import subprocess
    import sys

    code = (
        "from ferrograd import _core\n"
        "try:\n    _core._panic_for_test()\nexcept RuntimeError as e:\n    print(e)\n"
    )
    env = dict(os.environ, RUST_BACKTRACE="1")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    assert "deliberate panic" in done.stdout
    assert "panicked" not in done.stderr, done.stderr[-2000:]
