"""A program fuzzer: hypothesis writes random op programs over random shapes and values,
runs each on ferrograd and on a NumPy model of PyTorch's semantics, and checks

- forward values and result dtypes against NumPy (NaN, inf, huge and tiny values
  included; float64/32/16 and int64/32/16/8, uint8 inputs, sometimes mixed, with
  PyTorch's type promotion and integer wrap-around modelled here),
- gradients against central finite differences (float64, smooth programs),
- that a program NumPy rejects (shapes that do not broadcast, dims out of range, empty
  reductions without identity) raises a Python ``Exception`` subclass in ferrograd too,
  and that no error is the boundary's "internal error" (a caught Rust panic).

The bounded profile runs in every test run (``FG_FUZZ_EXAMPLES``, default 300 programs);
the long one runs on demand: ``pytest -m fuzz`` (``FG_FUZZ_LONG_EXAMPLES``, default 20000).
Both print their counts (``-s``).
"""

import os
import warnings
from collections import Counter

import numpy as np
import pytest
from backend import fg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def _sigmoid(a):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-a))


def _swap(a):
    return a if a.ndim == 0 else np.swapaxes(a, 0, -1)


# name: (arity, ferrograd form, NumPy form, smooth, takes ints)
OPS = {
    "neg": (1, lambda a: -a, np.negative, True, True),
    "exp": (1, lambda a: a.exp(), np.exp, True, False),
    "tanh": (1, lambda a: a.tanh(), np.tanh, True, False),
    "sigmoid": (1, lambda a: a.sigmoid(), _sigmoid, True, False),
    "sin": (1, lambda a: a.sin(), np.sin, True, False),
    "square": (1, lambda a: a * a, lambda a: a * a, True, True),
    "abs": (1, lambda a: a.abs(), np.abs, False, True),
    "relu": (1, lambda a: a.relu(), lambda a: np.where(a <= 0, np.zeros_like(a), a), False, True),
    "transpose": (1, lambda a: a.transpose(0, -1), _swap, True, True),
    "flatten": (1, lambda a: a.reshape(-1), lambda a: a.reshape(-1), True, True),
    "unsqueeze": (1, lambda a: a.unsqueeze(0), lambda a: a[None], True, True),
    "step_slice": (1, lambda a: a[::2] if a.dim() else a, lambda a: a[::2] if a.ndim else a,
                   True, True),
    "add": (2, lambda a, b: a + b, np.add, True, True),
    "sub": (2, lambda a, b: a - b, np.subtract, True, True),
    "mul": (2, lambda a, b: a * b, np.multiply, True, True),
    "maximum": (2, lambda a, b: fg.maximum(a, b), np.maximum, False, True),
}
REDUCTIONS = ("sum", "mean", "amax")
FLOATS = (np.float64, np.float32, np.float16)
INTS = (np.int64, np.int32, np.int16, np.int8, np.uint8)
TOL = {np.float64: 1e-9, np.float32: 1e-5, np.float16: 4e-3}


def _category(dt):
    return 2 if np.dtype(dt).kind == "f" else 1


def _promote_pair(x, y):
    x, y = np.dtype(x), np.dtype(y)
    if _category(x) != _category(y):
        return x if _category(x) > _category(y) else y
    if {x, y} == {np.dtype(np.int8), np.dtype(np.uint8)}:
        return np.dtype(np.int16)
    return x if x.itemsize >= y.itemsize else y


def torch_result_type(*arrays):
    """PyTorch's promotion: dimensioned tensors decide, unless a 0-dim tensor is of a
    higher category (float over int), which then decides among the 0-dim ones."""
    dims = [a.dtype for a in arrays if a.ndim]
    zero = [a.dtype for a in arrays if not a.ndim]
    if not dims:
        dims, zero = zero, []
    result = dims[0]
    for d in dims[1:]:
        result = _promote_pair(result, d)
    higher = [d for d in zero if _category(d) > _category(result)]
    if higher:
        result = higher[0]
        for d in higher[1:]:
            result = _promote_pair(result, d)
    return np.dtype(result)


def _compute_dtype(dt):
    dt = np.dtype(dt)
    if dt.kind != "f":
        return np.int64  # integer results wrap around like PyTorch's
    return np.float32 if dt == np.float16 else dt  # half ops run in float and round


def np_apply(f, *arrays):
    """`f` on arrays of PyTorch dtypes, with PyTorch's result dtype and rounding."""
    out = torch_result_type(*arrays)
    comp = _compute_dtype(out)
    with np.errstate(all="ignore"):
        return np.asarray(f(*[a.astype(comp) for a in arrays])).astype(out)
SPECIALS = [np.nan, np.inf, -np.inf, 1e300, -1e300, 1e-300, -0.0, 0.0, 5e-324]


def _np_reduce(kind, a, dim):
    if kind == "mean" and a.dtype.kind != "f":
        raise ValueError("mean(): could not infer output dtype")
    out = np.int64 if kind == "sum" and a.dtype.kind != "f" else a.dtype
    return np.asarray(_np_reduce_values(kind, a.astype(_compute_dtype(a.dtype)), dim)).astype(out)


def _np_reduce_values(kind, a, dim):
    if a.ndim == 0:  # PyTorch treats a 0-dim tensor as having one dim of size 1
        if dim not in (0, -1):
            raise IndexError("dim out of range")
        return a.copy() if kind != "amax" or a.size else np.max(a)
    fn = {"sum": np.sum, "mean": np.mean, "amax": np.max}[kind]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the mean of an empty slice is NaN
        return fn(a, axis=dim)


@st.composite
def shapes(draw, max_rank=3):
    return tuple(draw(st.lists(st.integers(0, 3), max_size=max_rank)))


def _compatible(draw, base):
    # broadcast-compatible with `base` (most of the time) or a random shape
    if draw(st.integers(0, 9)) == 0:
        return draw(shapes())
    drop = draw(st.integers(0, len(base)))
    return tuple(1 if draw(st.booleans()) else d for d in base[drop:])


@st.composite
def arrays(draw, shape, dtype, special):
    n = int(np.prod(shape))
    if np.dtype(dtype).kind != "f":
        low = 0 if dtype == np.uint8 else -50
        vals = draw(st.lists(st.integers(low, 50), min_size=n, max_size=n))
    else:
        elem = st.floats(-3, 3, allow_nan=False, width=64)
        if special:
            elem = st.one_of(elem, st.sampled_from(SPECIALS))
        vals = draw(st.lists(elem, min_size=n, max_size=n))
    with np.errstate(over="ignore", under="ignore"):  # 1e300 becomes inf in float32
        return np.array(vals, dtype=dtype).reshape(shape)


def _to_fg(draw, arr, requires_grad):
    """A ferrograd tensor equal to `arr`, sometimes a non-contiguous view."""
    layout = draw(st.sampled_from(["plain", "transposed", "strided"]))
    if layout == "transposed" and arr.ndim >= 2:
        t = fg.tensor(np.ascontiguousarray(np.swapaxes(arr, 0, -1))).transpose(0, -1)
    elif layout == "strided" and arr.ndim >= 1:
        wide = np.repeat(arr, 2, axis=0)
        t = fg.tensor(wide)[::2]
    else:
        t = fg.tensor(arr)
    if requires_grad:
        t = t.detach().requires_grad_()
    return t


def _close(got, want, dtype, scale=1.0):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return False
    if np.dtype(dtype).kind != "f":
        return np.array_equal(got, want)
    tol = TOL[np.dtype(dtype).type]
    return np.allclose(got, want, rtol=tol, atol=tol * scale, equal_nan=True)


def _finite_difference(program, arrays_in, weights, h=1e-6):
    grads = []
    for k, a in enumerate(arrays_in):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus = [x.copy() for x in arrays_in]
            minus = [x.copy() for x in arrays_in]
            plus[k][idx] += h
            minus[k][idx] -= h
            g[idx] = (np.sum(program(plus) * weights) - np.sum(program(minus) * weights)) / (2 * h)
        grads.append(g)
    return grads


ALL_DTYPES = (np.float64, np.float64, np.float32, np.float16) + INTS


def run_program(data, counts):
    draw = data.draw
    dtype = draw(st.one_of(st.just(np.float64), st.sampled_from(ALL_DTYPES)))  # half float64
    is_float = np.dtype(dtype).kind == "f"
    special = is_float and draw(st.integers(0, 3)) == 0
    base = draw(shapes())
    n_inputs = draw(st.integers(1, 3))
    in_shapes = [base] + [_compatible(draw, base) for _ in range(n_inputs - 1)]
    # mostly one dtype; sometimes mixed, to exercise PyTorch's promotion rules
    # (the program starts from the last input: it has the drawn dtype, which picks the ops)
    dtypes = [dtype if draw(st.integers(0, 3)) else draw(st.sampled_from(ALL_DTYPES))
              for _ in range(n_inputs - 1)] + [dtype]
    ins_np = [draw(arrays(s, d, special and np.dtype(d).kind == "f"))
              for s, d in zip(in_shapes, dtypes)]
    wants_grad = all(d == np.float64 for d in dtypes) and not special
    ins_fg = [_to_fg(draw, a, wants_grad) for a in ins_np]

    steps = []
    n_steps = draw(st.integers(1, 5))
    for _ in range(n_steps):
        if draw(st.integers(0, 4)) == 0:
            steps.append(("reduce", draw(st.sampled_from(REDUCTIONS)), draw(st.integers(-4, 3))))
        else:
            names = [k for k, v in OPS.items() if is_float or v[4]]
            steps.append(("op", draw(st.sampled_from(names)), draw(st.integers(0, 99)),
                          draw(st.integers(0, 99))))

    scale = [1.0]

    def run_np(values):
        values = list(values)
        for step in steps:
            if step[0] == "reduce":
                values.append(_np_reduce(step[1], values[-1], step[2]))
            else:
                arity, _, f, _, _ = OPS[step[1]]
                args = [values[-1]] if arity == 1 else [values[-1], values[step[2] % len(values)]]
                values.append(np_apply(f, *args))
            finite = np.abs(values[-1][np.isfinite(values[-1])].astype(np.float64))
            scale[0] = max(scale[0], float(finite.max()) if finite.size else 0.0)
        return values[-1]

    try:
        want = run_np(ins_np)
        np_error = None
    except (ValueError, IndexError) as e:
        want, np_error = None, e

    values = list(ins_fg)
    try:
        for step in steps:
            if step[0] == "reduce":
                kind, dim = step[1], step[2]
                values.append(getattr(values[-1], kind)(dim))
            else:
                arity, f, _, _, _ = OPS[step[1]]
                args = [values[-1]] if arity == 1 else [values[-1], values[step[2] % len(values)]]
                values.append(f(*args))
        got, fg_error = values[-1], None
    except Exception as e:  # noqa: BLE001 - any Exception subclass is a clear error here
        got, fg_error = None, e

    if fg_error is not None:
        assert "internal error" not in str(fg_error), f"caught panic: {fg_error!r}"
    if np_error is not None:
        assert fg_error is not None, f"NumPy raised {np_error!r}, ferrograd returned {got}"
        counts["raised_both"] += 1
        return
    assert fg_error is None, f"ferrograd raised {fg_error!r}; NumPy gave {want!r}"
    assert tuple(got.shape) == want.shape, (tuple(got.shape), want.shape)
    assert str(got.dtype).split(".")[-1] == want.dtype.name, (got.dtype, want.dtype, steps)
    assert _close(got.detach().numpy(), want, want.dtype, scale[0]), (got, want, steps)
    counts["forward_checks"] += 1

    smooth = all(s[0] == "op" and OPS[s[1]][3] or s[0] == "reduce" and s[1] != "amax"
                 for s in steps)
    if not (wants_grad and smooth and got.requires_grad and got.numel() > 0):
        return
    if not np.all(np.isfinite(want)) or np.max(np.abs(want)) > 1e4:
        return
    weights = np.linspace(0.5, 1.5, want.size).reshape(want.shape)
    grads = fg.autograd.grad((got * fg.tensor(weights)).sum(), ins_fg, allow_unused=True)
    expected = _finite_difference(run_np, ins_np, weights)
    for g, e in zip(grads, expected):
        g = np.zeros_like(e) if g is None else g.numpy()
        assert np.allclose(g, e, rtol=1e-4, atol=1e-5), (g, e, steps)
    counts["gradient_checks"] += 1


def run_fuzz(max_examples):
    counts = Counter()

    @settings(max_examples=max_examples, deadline=None, derandomize=bool(os.environ.get("CI")),
              suppress_health_check=list(HealthCheck), database=None)
    @given(st.data())
    def prop(data):
        counts["programs"] += 1
        run_program(data, counts)

    prop()
    print(f"\nfuzz counts: {dict(counts)} (mismatches and crashes: 0)")
    return counts


def test_fuzz_bounded_profile():
    n = int(os.environ.get("FG_FUZZ_EXAMPLES", "300"))
    counts = run_fuzz(n)
    assert counts["programs"] >= n
    # the generator reaches all three kinds of check
    assert counts["forward_checks"] > 0
    assert counts["gradient_checks"] > 0
    assert counts["raised_both"] > 0


@pytest.mark.fuzz
def test_fuzz_long_profile():
    n = int(os.environ.get("FG_FUZZ_LONG_EXAMPLES", "20000"))
    counts = run_fuzz(n)
    assert counts["programs"] >= n
