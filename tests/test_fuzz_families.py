"""The structured-op fuzzer: families of ops whose arguments must agree with each other
(matmul shapes, convolution and pooling geometry, linear algebra, gather/scatter indices,
concatenation, Python indexing). Hypothesis draws each case's structure, from valid to
wrong; values come from a seeded NumPy generator (no ties, so max-pooling gradients are
well defined). Each case checks

- forward values and shapes against a NumPy reference written here from PyTorch's rules,
- float64 gradients against central finite differences where the op is differentiable,
- that a case the reference rejects raises a Python ``Exception`` subclass, never the
  boundary's "internal error" (a caught Rust panic).

Bounded profile in every run (``FG_FUZZ_FAMILY_EXAMPLES``, default 200 cases); the long
one with ``pytest -m fuzz`` (``FG_FUZZ_FAMILY_LONG_EXAMPLES``, default 5000).
"""

import os
from collections import Counter

import numpy as np
import pytest
from backend import fg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

F = fg.nn.functional


class Rejected(Exception):
    """The reference says PyTorch raises for this case."""


def _finite_difference(fn, inputs, weights, h=1e-6):
    grads = []
    for k, a in enumerate(inputs):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus = [x.copy() for x in inputs]
            minus = [x.copy() for x in inputs]
            plus[k][idx] += h
            minus[k][idx] -= h
            g[idx] = (np.sum(fn(*plus) * weights) - np.sum(fn(*minus) * weights)) / (2 * h)
        grads.append(g)
    return grads


def check_case(counts, fg_fn, np_fn, inputs, grad_inputs=None, rtol=1e-7, exact=False, label=""):
    """Runs `fg_fn` on tensors made from `inputs` and compares with `np_fn`; then checks
    the gradients of the inputs listed in `grad_inputs` by finite differences."""
    try:
        want = np.asarray(np_fn(*inputs))
        rejected = None
    except Rejected as e:
        want, rejected = None, e
    tensors = [fg.tensor(a) for a in inputs]
    grad_inputs = grad_inputs or []
    for k in grad_inputs:
        tensors[k].requires_grad_()
    try:
        got, err = fg_fn(*tensors), None
    except Exception as e:  # noqa: BLE001 - any Exception subclass is a clear error here
        got, err = None, e
    if err is not None:
        assert "internal error" not in str(err), f"caught panic: {err!r}"
    if rejected is not None:
        assert err is not None, f"{label}: reference rejects ({rejected}), ferrograd returned {got}"
        counts["raised_both"] += 1
        return
    assert err is None, f"{label}: ferrograd raised {err!r}; reference gave shape {want.shape}"
    assert tuple(got.shape) == want.shape, (label, tuple(got.shape), want.shape)
    values = got.detach().numpy()
    if exact:
        assert np.array_equal(values, want), (values, want)
    else:
        assert np.allclose(values, want, rtol=rtol, atol=rtol, equal_nan=True), (values, want)
    counts["forward_checks"] += 1
    if not grad_inputs or want.size == 0 or not np.all(np.isfinite(want)):
        return
    weights = np.linspace(0.5, 1.5, want.size).reshape(want.shape)
    grads = fg.autograd.grad((got * fg.tensor(weights)).sum(), [tensors[k] for k in grad_inputs],
                             allow_unused=True)
    expected = _finite_difference(np_fn, inputs, weights)
    for k, g in zip(grad_inputs, grads):
        g = np.zeros_like(inputs[k]) if g is None else g.numpy()
        assert np.allclose(g, expected[k], rtol=1e-4, atol=1e-5), (g, expected[k])
    counts["gradient_checks"] += 1


def _rng(draw):
    return np.random.default_rng(draw(st.integers(0, 2**32 - 1)))


def _shape(draw, min_rank=0, max_rank=3, max_side=3):
    return tuple(draw(st.lists(st.integers(0, max_side), min_size=min_rank, max_size=max_rank)))


# ---------------------------------------------------------------- matmul
def matmul_case(draw, counts):
    rng = _rng(draw)
    a_shape = _shape(draw, 1, 3)
    if draw(st.integers(0, 3)):  # mostly compatible inner dims
        b_shape = (a_shape[-1],) + _shape(draw, 0, 2)
        if len(b_shape) >= 2 and draw(st.booleans()):
            b_shape = b_shape[1:-1] + (a_shape[-1], b_shape[-1])
    else:
        b_shape = _shape(draw, 1, 3)

    def ref(a, b):
        try:
            return np.matmul(a, b)
        except ValueError as e:
            raise Rejected(str(e)) from None

    inputs = [rng.standard_normal(a_shape), rng.standard_normal(b_shape)]
    check_case(counts, lambda a, b: a @ b, ref, inputs, [0, 1], rtol=1e-9)


# ---------------------------------------------------------------- convolution
def _conv_ref(x, w, stride, padding, dilation, groups):
    n, c, *size = x.shape
    o, cg, *kernel = w.shape
    if c != cg * groups or o % groups or groups < 1:
        raise Rejected("channels and groups do not agree")
    out_size = [(s + 2 * p - d * (k - 1) - 1) // st_ + 1
                for s, p, d, k, st_ in zip(size, padding, dilation, kernel, stride)]
    if any(v < 1 for v in out_size):
        raise Rejected("kernel larger than the padded input")
    pad = [(0, 0), (0, 0)] + [(p, p) for p in padding]
    xp = np.pad(x, pad)
    out = np.zeros((n, o, *out_size))
    og = o // groups
    for g in range(groups):
        xs = xp[:, g * cg:(g + 1) * cg]
        ws = w[g * og:(g + 1) * og]
        for offs in np.ndindex(*kernel):
            window = tuple(slice(k * d, k * d + (m - 1) * st_ + 1, st_)
                           for k, d, m, st_ in zip(offs, dilation, out_size, stride))
            patch = xs[(slice(None), slice(None)) + window]
            out[:, g * og:(g + 1) * og] += np.einsum("nc...,oc->no...", patch,
                                                     ws[(slice(None), slice(None)) + offs])
    return out


def conv_case(draw, counts):
    rng = _rng(draw)
    rank = draw(st.sampled_from([1, 2]))
    groups = draw(st.sampled_from([1, 1, 2]))
    cg = draw(st.integers(1, 2))
    c = cg * groups if draw(st.integers(0, 5)) else cg * groups + 1
    o = groups * draw(st.integers(1, 2))
    n = draw(st.integers(0, 2))
    size = [draw(st.integers(1, 6)) for _ in range(rank)]
    kernel = [draw(st.integers(1, 3)) for _ in range(rank)]
    stride = [draw(st.integers(1, 2)) for _ in range(rank)]
    padding = [draw(st.integers(0, 2)) for _ in range(rank)]
    dilation = [draw(st.integers(1, 2)) for _ in range(rank)]
    x = rng.standard_normal((n, c, *size))
    w = rng.standard_normal((o, cg, *kernel))
    b = rng.standard_normal(o)
    conv = F.conv1d if rank == 1 else F.conv2d

    def ours(x, w, b):
        return conv(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)

    def ref(x, w, b):
        out = _conv_ref(x, w, stride, padding, dilation, groups)
        return out + b.reshape((1, -1) + (1,) * rank)

    check_case(counts, ours, ref, [x, w, b], [0, 1, 2] if n else [], rtol=1e-9)


# ---------------------------------------------------------------- pooling
def pool_case(draw, counts):
    rng = _rng(draw)
    kind = draw(st.sampled_from(["max", "avg"]))
    kernel = [draw(st.integers(1, 3)) for _ in range(2)]
    stride = [draw(st.integers(1, 3)) for _ in range(2)]
    padding = [draw(st.integers(0, 2)) for _ in range(2)]
    dilation = [draw(st.integers(1, 2)) for _ in range(2)] if kind == "max" else [1, 1]
    x = rng.standard_normal((draw(st.integers(1, 2)), draw(st.integers(1, 2)),
                             draw(st.integers(1, 6)), draw(st.integers(1, 6))))

    def ref(x):
        # both checks apply to max pooling: half the kernel, and half the dilated kernel
        if any(p > k // 2 or p > (d * (k - 1) + 1) // 2
               for p, k, d in zip(padding, kernel, dilation)):
            raise Rejected("pad should be at most half of effective kernel size")
        out_size = [(s + 2 * p - d * (k - 1) - 1) // st_ + 1
                    for s, p, d, k, st_ in zip(x.shape[2:], padding, dilation, kernel, stride)]
        if any(v < 1 for v in out_size):
            raise Rejected("output size is too small")
        fill = -np.inf if kind == "max" else 0.0
        xp = np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in padding], constant_values=fill)
        patches = [xp[:, :, i * dilation[0]:i * dilation[0] + (out_size[0] - 1) * stride[0] + 1:
                      stride[0],
                      j * dilation[1]:j * dilation[1] + (out_size[1] - 1) * stride[1] + 1:
                      stride[1]]
                   for i in range(kernel[0]) for j in range(kernel[1])]
        stacked = np.stack(patches)
        return stacked.max(axis=0) if kind == "max" else stacked.mean(axis=0)

    def ours(x):
        if kind == "max":
            return F.max_pool2d(x, kernel, stride, padding, dilation)
        return F.avg_pool2d(x, kernel, stride, padding)

    check_case(counts, ours, ref, [x], [0], rtol=1e-9)


# ---------------------------------------------------------------- linear algebra
def _reconstructed(q, r):
    return (q @ r).abs().sum(-1)


def linalg_case(draw, counts):
    rng = _rng(draw)
    n = draw(st.integers(0, 4))
    batch = _shape(draw, 0, 2, 2)
    a = rng.standard_normal(batch + (n, n)) + 2 * n * np.eye(n)
    if draw(st.integers(0, 5)) == 0 and n >= 2:  # an exactly singular matrix: a zero row
        a[..., 1, :] = 0.0
        singular = True
    else:
        singular = False
    if draw(st.integers(0, 7)) == 0 and n >= 1:  # not square
        a = a[..., :-1, :]
    square = a.shape[-1] == a.shape[-2]
    op = draw(st.sampled_from(["inv", "det", "solve", "slogdet", "cholesky", "eigvalsh",
                               "svdvals", "qr"]))
    k = draw(st.integers(1, 2))
    b = rng.standard_normal(a.shape[:-2] + (a.shape[-2], k))

    def need_square():
        if not square:
            raise Rejected("not square")

    def need_regular():
        need_square()
        if singular and a.size:
            raise Rejected("singular")

    def spd(m):
        return m @ np.swapaxes(m, -1, -2) + np.eye(m.shape[-1])

    fg_ops = {
        "inv": lambda m: fg.linalg.inv(m),
        "det": lambda m: fg.linalg.det(m),
        "solve": lambda m, r: fg.linalg.solve(m, r),
        "slogdet": lambda m: fg.linalg.slogdet(m)[1],
        "cholesky": lambda m: fg.linalg.cholesky(m @ m.mT + fg.eye(m.shape[-1],
                                                                   dtype=fg.float64)),
        "eigvalsh": lambda m: fg.linalg.eigvalsh(m + m.mT),
        "svdvals": lambda m: fg.linalg.svdvals(m),
        "qr": lambda m: _reconstructed(*fg.linalg.qr(m)),
    }

    def ref(m, r=None):
        if op == "inv":
            need_regular()
            return np.linalg.inv(m)
        if op == "det":
            need_square()
            return np.linalg.det(m)
        if op == "solve":
            need_regular()
            return np.linalg.solve(m, r)
        if op == "slogdet":
            need_square()
            if singular and m.size:  # log|det| = -inf: no gradient to check
                raise Rejected("skip")
            return np.linalg.slogdet(m)[1]
        try:
            if op == "cholesky":
                return np.linalg.cholesky(spd(m))
            if op == "eigvalsh":
                return np.linalg.eigvalsh(m + np.swapaxes(m, -1, -2))
        except ValueError as e:  # the shapes do not broadcast
            raise Rejected(str(e)) from None
        if op == "svdvals":
            return np.linalg.svd(m, compute_uv=False)
        return np.abs(m).sum(-1)  # Q @ R reconstructs m

    if op == "slogdet" and singular and a.size:
        return
    smooth = op not in ("svdvals", "qr", "eigvalsh") and not singular
    inputs = [a, b] if op == "solve" else [a]
    grads = list(range(len(inputs))) if smooth else []
    check_case(counts, fg_ops[op], ref, inputs, grads, rtol=1e-8)


# ---------------------------------------------------------------- gather / scatter
def gather_case(draw, counts):
    rng = _rng(draw)
    shape = _shape(draw, 1, 3, 3)
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    size = shape[dim]
    op = draw(st.sampled_from(["gather", "scatter_add", "index_select", "take_along_dim"]))
    idx_shape = tuple(draw(st.integers(0, s)) if d != dim % len(shape) else draw(st.integers(0, 3))
                      for d, s in enumerate(shape))
    high = size + (1 if draw(st.integers(0, 6)) == 0 else 0)
    index = rng.integers(0, max(high, 1), idx_shape) if high else np.zeros(idx_shape, np.int64)
    bad = bool(index.size) and (size == 0 or index.max() >= size)
    x = rng.standard_normal(shape)
    d = dim % len(shape)

    def picked(ix):
        grid = list(np.indices(ix.shape, sparse=True))
        grid[d] = ix
        return tuple(grid)

    if op == "gather":
        def ref(x):
            if bad:
                raise Rejected("index out of range")
            return x[picked(index)]
        check_case(counts, lambda t: t.gather(dim, fg.tensor(index)), ref, [x], [0])
    elif op == "scatter_add":
        src = rng.standard_normal(idx_shape)

        def ref(x, s):
            if bad:
                raise Rejected("index out of range")
            out = x.copy()
            np.add.at(out, picked(index), s)
            return out
        check_case(counts, lambda t, s: t.scatter_add(dim, fg.tensor(index), s), ref, [x, src],
                   [0, 1])
    elif op == "index_select":
        flat = index.reshape(-1)

        def ref(x):
            if flat.size and (size == 0 or flat.max() >= size):
                raise Rejected("index out of range")
            return np.take(x, flat, axis=d)
        check_case(counts, lambda t: t.index_select(dim, fg.tensor(flat)), ref, [x], [0])
    else:
        full = rng.integers(0, max(size, 1), shape[:d] + (idx_shape[d],) + shape[d + 1:])

        def ref(x):
            if size == 0 and full.size:
                raise Rejected("index out of range")
            return np.take_along_axis(x, full, axis=d)
        check_case(counts, lambda t: fg.take_along_dim(t, fg.tensor(full), dim), ref, [x], [0])


# ---------------------------------------------------------------- cat / stack
def cat_case(draw, counts):
    rng = _rng(draw)
    base = _shape(draw, 1, 3, 3)
    op = draw(st.sampled_from(["cat", "stack"]))
    dim = draw(st.integers(-len(base) - 1, len(base)))
    count = draw(st.integers(1, 3))
    shapes = []
    for _ in range(count):
        s = list(base)
        if op == "cat" and -len(base) <= dim < len(base):
            s[dim] = draw(st.integers(0, 3))
        if draw(st.integers(0, 7)) == 0:
            s = list(_shape(draw, 1, 3, 3))
        shapes.append(tuple(s))
    if (0,) in shapes:  # PyTorch's legacy rule skips 1-D empty inputs: not modelled here
        return
    inputs = [rng.standard_normal(s) for s in shapes]

    def ref(*arrays):
        try:
            if op == "stack":
                return np.stack(arrays, axis=dim)
            if not -arrays[0].ndim <= dim < arrays[0].ndim:
                raise Rejected("dim out of range")
            return np.concatenate(arrays, axis=dim)
        except (ValueError, np.exceptions.AxisError) as e:
            raise Rejected(str(e)) from None

    fn = fg.cat if op == "cat" else fg.stack
    check_case(counts, lambda *ts: fn(list(ts), dim), ref, inputs, list(range(count)))


# ---------------------------------------------------------------- Python indexing
def _index_item(draw, size, rng):
    kind = draw(st.sampled_from(["int", "slice", "slice", "none", "list", "mask"]))
    if kind == "int":
        return draw(st.integers(-size - 1, size))
    if kind == "slice":
        start = draw(st.one_of(st.none(), st.integers(-size - 2, size + 2)))
        stop = draw(st.one_of(st.none(), st.integers(-size - 2, size + 2)))
        step = draw(st.one_of(st.none(), st.integers(-1, 3).filter(bool)))
        return slice(start, stop, step)
    if kind == "none":
        return None
    if kind == "list":
        n = draw(st.integers(1, 3))
        return [draw(st.integers(-size, max(size - 1, -size))) for _ in range(n)] if size else [0]
    return rng.random(size) < 0.5


def _torch_index_ref(a, key):
    """PyTorch's indexing in NumPy: a negative step raises; integers select first, then the
    advanced items (lists, masks) index what is left, placed by NumPy's adjacency rule."""
    items = list(key)
    if any(isinstance(i, slice) and i.step is not None and i.step < 0 for i in items):
        raise Rejected("negative step")
    if sum(i is Ellipsis for i in items) == 1:
        used = sum(0 if i is None or i is Ellipsis else
                   (i.ndim if isinstance(i, np.ndarray) else 1) for i in items)
        at = next(k for k, i in enumerate(items) if i is Ellipsis)
        items[at:at + 1] = [slice(None)] * max(a.ndim - used, 0)
    dim = 0
    for i in items:  # NumPy takes an empty mask for any dim; PyTorch's must match the dim
        if isinstance(i, np.ndarray) and i.dtype == bool and i.size == 0 and dim < a.ndim and a.shape[dim] != 0:
            raise Rejected("the shape of the mask does not match the indexed dim")
        dim += 0 if i is None else (i.ndim if isinstance(i, np.ndarray) else 1)
    try:
        basic = tuple(i if isinstance(i, (int, slice)) or i is None else slice(None)
                      for i in items
                      for _ in range(i.ndim if isinstance(i, np.ndarray) else 1))
        selected = a[basic]
        rest = tuple(slice(None) if i is None or isinstance(i, slice) else i
                     for i in items if not isinstance(i, int))
        if not any(isinstance(i, (list, np.ndarray)) for i in rest):
            return selected
        if selected.size == 0:  # PyTorch checks no index bounds when nothing is read
            rest = _in_bounds(selected, rest)
        return selected[rest]
    except IndexError as e:
        raise Rejected(str(e)) from None


def _in_bounds(selected, rest):
    """`rest` with its integer lists clipped into the dims they index (a dim of size 0
    keeps its list, and PyTorch's error)."""
    clipped, d = [], 0
    for i in rest:
        if isinstance(i, list) or (isinstance(i, np.ndarray) and i.dtype != bool):
            size = selected.shape[d]
            clipped.append(np.clip(np.asarray(i), -size, size - 1) if size else i)
            d += 1
        else:
            clipped.append(i)
            d += i.ndim if isinstance(i, np.ndarray) else 1
    return tuple(clipped)


def indexing_case(draw, counts):
    rng = _rng(draw)
    shape = _shape(draw, 1, 3, 4)
    items = [_index_item(draw, shape[min(k, len(shape) - 1)], rng)
             for k in range(draw(st.integers(1, len(shape))))]
    if draw(st.integers(0, 4)) == 0:
        items.insert(draw(st.integers(0, len(items))), Ellipsis)
    key = tuple(items)
    a = rng.standard_normal(shape)

    def convert(item):
        return fg.tensor(item) if isinstance(item, np.ndarray) else item

    check_case(counts, lambda t: t[tuple(convert(i) for i in key)],
               lambda x: _torch_index_ref(x, key), [a], [0], exact=True,
               label=f"{shape}[{key}]")


FAMILIES = {
    "matmul": matmul_case,
    "conv": conv_case,
    "pool": pool_case,
    "linalg": linalg_case,
    "gather": gather_case,
    "cat": cat_case,
    "indexing": indexing_case,
}


def run_families(max_examples):
    counts = Counter()

    @settings(max_examples=max_examples, deadline=None, derandomize=bool(os.environ.get("CI")),
              suppress_health_check=list(HealthCheck), database=None)
    @given(st.data())
    def prop(data):
        family = data.draw(st.sampled_from(sorted(FAMILIES)))
        counts["cases"] += 1
        counts[family] += 1
        FAMILIES[family](data.draw, counts)

    prop()
    print(f"\nfamily fuzz counts: {dict(counts)} (mismatches and crashes: 0)")
    return counts


def test_fuzz_families_bounded_profile():
    n = int(os.environ.get("FG_FUZZ_FAMILY_EXAMPLES", "200"))
    counts = run_families(n)
    assert counts["cases"] >= n
    assert counts["forward_checks"] > 0
    assert counts["gradient_checks"] > 0
    assert counts["raised_both"] > 0


@pytest.mark.fuzz
def test_fuzz_families_long_profile():
    n = int(os.environ.get("FG_FUZZ_FAMILY_LONG_EXAMPLES", "5000"))
    counts = run_families(n)
    assert counts["cases"] >= n
