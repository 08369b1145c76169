"""Property tests of every core op's forward against NumPy.

Random shapes with broadcasting (0 to 4 dims, sides 0 to 5, zero-size included),
dtypes float32 / float64 / int64 / bool where the op takes them, values that include
negative, tiny, huge, NaN and infinite numbers. The result dtype must follow
PyTorch's promotion rule (``dtype_rules``); inputs are cast to that dtype before the
NumPy reference runs, as PyTorch does. Which dtype combinations raise is PyTorch
2.13's behaviour.

The number of examples is a knob: ``FG_HYPOTHESIS_EXAMPLES`` (default 60).
"""

import contextlib
import math
import operator
import os
import warnings

import numpy as np
import pytest
from backend import fg
from dtype_rules import NP, category, float_op_type, result_type, true_divide_type
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

SETTINGS = settings(
    max_examples=int(os.environ.get("FG_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    database=None,  # nothing written to the working tree
    derandomize=bool(os.environ.get("CI")),  # CI replays a fixed set; local runs explore
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

DTYPES = ("float32", "float64", "int64", "bool")
FG_DTYPE = {"float32": fg.float32, "float64": fg.float64, "int64": fg.int64, "bool": fg.bool}
INT_MIN = -(2**63) + 1  # -2**63 itself is left out: its negation and abs overflow
INT_MAX = 2**63 - 1


# -- strategies -----------------------------------------------------------------------------

SPECIAL = [0.0, -0.0, 1.0, -1.0, math.nan, math.inf, -math.inf]


def wide_floats(dtype):
    """Anything: negative, tiny (subnormal), huge, NaN, infinities."""
    width = 32 if dtype == "float32" else 64
    info = np.finfo(dtype)
    edges = [float(info.tiny), float(info.max), -float(info.max), float(info.eps)]
    return st.one_of(st.floats(width=width), st.sampled_from(SPECIAL + edges))


def moderate_floats(dtype, bound=1e3):
    """Finite values of moderate size, plus NaN and infinities, for reductions."""
    width = 32 if dtype == "float32" else 64
    return st.one_of(
        st.floats(-bound, bound, width=width),
        st.sampled_from(SPECIAL),
    )


def norm_floats(dtype):
    """Moderate values whose cubes neither overflow nor underflow: PyTorch's norms
    do not rescale, so the result for 1e-200 ** 2 is implementation-defined."""
    width = 32 if dtype == "float32" else 64
    return st.one_of(
        st.floats(2.0**-20, 1e3, width=width),
        st.floats(-1e3, -(2.0**-20), width=width),
        st.sampled_from(SPECIAL),
    )


def elements(dtype, kind="wide"):
    if dtype == "bool":
        return st.booleans()
    if dtype == "int64":
        if kind == "wide":
            return st.one_of(st.integers(INT_MIN, INT_MAX), st.integers(-10, 10))
        return st.integers(-1000, 1000)
    if kind == "wide":
        return wide_floats(dtype)
    if kind == "norm":
        return norm_floats(dtype)
    if kind == "finite":
        return st.floats(-100, 100, width=32 if dtype == "float32" else 64)
    return moderate_floats(dtype)


def arrays(dtype, shape, kind="wide"):
    return hnp.arrays(NP[dtype], shape, elements=elements(dtype, kind))


shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)
broadcast_pairs = hnp.mutually_broadcastable_shapes(
    num_shapes=2, min_dims=0, max_dims=4, min_side=0, max_side=5
)
dtypes = st.sampled_from(DTYPES)
float_dtypes = st.sampled_from(("float32", "float64"))


def python_scalars(kind, exact_in_float32=False):
    if kind == "bool":
        return st.booleans()
    if kind == "int":
        bound = 2**24 if exact_in_float32 else 2**31
        return st.integers(-bound, bound)
    return st.one_of(st.floats(width=32 if exact_in_float32 else 64), st.sampled_from(SPECIAL))


# -- comparison -----------------------------------------------------------------------------


def tolerance(dtype, transcendental=False):
    if dtype == "float32":
        return 1e-5 if transcendental else 1e-6
    if dtype == "float64":
        return 1e-12 if transcendental else 1e-14
    return 0.0


def assert_close(actual, expected, dtype, rtol=None, atol=None):
    """Equal NaN positions, equal infinities, the rest within atol + rtol |expected|.

    atol may be an array (one bound per element); the smallest normal number is
    always added, so that a kernel flushing subnormals to zero still passes.
    """
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape
    if category(dtype) < 2:
        np.testing.assert_array_equal(actual, expected.astype(NP[dtype]))
        return
    a = actual.astype(np.float64)
    with np.errstate(all="ignore"):
        e = expected.astype(NP[dtype]).astype(np.float64)  # the reference, rounded
    rtol = tolerance(dtype) if rtol is None else rtol
    atol = float(np.finfo(dtype).tiny) + (0.0 if atol is None else atol)
    nan_a, nan_e = np.isnan(a), np.isnan(e)
    assert np.array_equal(nan_a, nan_e), f"NaN at different places:\n{a.tolist()}\n{e.tolist()}"
    inf_e = np.isinf(e)
    assert np.array_equal(np.isinf(a), inf_e), (
        f"inf at different places:\n{a.tolist()}\n{e.tolist()}"
    )
    assert np.array_equal(a[inf_e], e[inf_e]), f"infinities differ:\n{a.tolist()}\n{e.tolist()}"
    with np.errstate(all="ignore"):
        bound = np.broadcast_to(atol, e.shape) + rtol * np.abs(e)
        ok = np.abs(a - e) <= bound
    ok |= nan_e | inf_e
    assert ok.all(), f"mismatch:\nactual   {a[~ok].tolist()}\nexpected {e[~ok].tolist()}"


def to_fg(arr):
    return fg.tensor(arr)


def fg_result(t, dtype):
    assert t.dtype == FG_DTYPE[dtype], f"dtype {t.dtype}, expected {dtype}"
    return t.numpy()


@contextlib.contextmanager
def quiet():
    """NumPy warns about overflow and invalid values that are the point of the test."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def kind_of(arr):
    return "dim" if arr.ndim > 0 else "zero"


# -- binary ops -----------------------------------------------------------------------------


def np_pow(a, b, dtype):
    if dtype == "bool":
        return np.power(a.astype(np.int64), b.astype(np.int64)).astype(np.bool_)
    return np.power(a, b)


def np_floor_divide(a, b, dtype):
    if dtype == "bool":
        raise AssertionError("unreachable")
    return np.floor_divide(a, b)


BINARY = {
    "add": (operator.add, lambda a, b, dt: np.add(a, b)),
    "sub": (operator.sub, lambda a, b, dt: np.subtract(a, b)),
    "mul": (operator.mul, lambda a, b, dt: np.multiply(a, b)),
    "div": (operator.truediv, lambda a, b, dt: np.true_divide(a, b)),
    "floor_divide": (operator.floordiv, np_floor_divide),
    "remainder": (operator.mod, lambda a, b, dt: np.remainder(a, b)),
    "pow": (operator.pow, np_pow),
    "maximum": (lambda a, b: fg.maximum(a, b), lambda a, b, dt: np.maximum(a, b)),
    "minimum": (lambda a, b: fg.minimum(a, b), lambda a, b, dt: np.minimum(a, b)),
}
METHODS = {
    "add": "add",
    "sub": "sub",
    "mul": "mul",
    "div": "div",
    "floor_divide": "floor_divide",
    "remainder": "remainder",
    "pow": "pow",
    "maximum": "maximum",
    "minimum": "minimum",
}
COMPARE = {
    "eq": (operator.eq, np.equal),
    "ne": (operator.ne, np.not_equal),
    "lt": (operator.lt, np.less),
    "le": (operator.le, np.less_equal),
    "gt": (operator.gt, np.greater),
    "ge": (operator.ge, np.greater_equal),
}


def binary_result_dtype(op, rt):
    return true_divide_type(rt) if op == "div" else rt


def binary_raises(op, a_dtype, b_dtype, rt, scalar_side=None):
    """PyTorch 2.13: which dtype combinations raise (scalar_side: which operand is a
    Python scalar, if any)."""
    if op == "sub":
        return a_dtype == "bool" or b_dtype == "bool"
    if op in ("floor_divide", "remainder"):
        return rt == "bool"
    if op == "pow":
        # bool ** bool raises, except a bool tensor to a Python bool power
        return rt == "bool" and scalar_side != "right"
    return False


def reference(op, a, b, rt):
    """NumPy on inputs already cast to the computation dtype."""
    _, np_fn = BINARY[op]
    dt = binary_result_dtype(op, rt)
    with quiet():
        a = np.asarray(a).astype(NP[dt])
        b = np.asarray(b).astype(NP[dt])
        return np.asarray(np_fn(a, b, dt)).astype(NP[dt])


def needs_assumptions(op, a_cast, b_cast, dt):
    """Cases left to the deterministic tests: integer division by zero raises,
    integer powers with negative exponents truncate. And one case left out: PyTorch's
    vectorized fmod returns NaN when the quotient a / b overflows (a single element
    gets the right answer), so remainder is not checked there."""
    if category(dt) < 2 and op in ("floor_divide", "remainder"):
        assume(not np.any(b_cast == 0))
    if category(dt) < 2 and op == "pow":
        assume(not np.any(b_cast < 0))
    if category(dt) == 2 and op == "remainder":
        with quiet():
            a, b = np.broadcast_arrays(a_cast, b_cast)
            overflow = np.isfinite(a) & np.isfinite(b) & np.isinf(a / b)
        assume(not overflow.any())


@SETTINGS
@given(
    op=st.sampled_from(sorted(BINARY)),
    a_dtype=dtypes,
    b_dtype=dtypes,
    shapes_=broadcast_pairs,
    data=st.data(),
)
def test_binary_tensor_tensor(op, a_dtype, b_dtype, shapes_, data):
    sa, sb = shapes_.input_shapes
    a = data.draw(arrays(a_dtype, sa), label="a")
    b = data.draw(arrays(b_dtype, sb), label="b")
    rt = result_type((kind_of(a), a_dtype), (kind_of(b), b_dtype))
    dt = binary_result_dtype(op, rt)
    fg_fn, _ = BINARY[op]
    ta, tb = to_fg(a), to_fg(b)
    if binary_raises(op, a_dtype, b_dtype, rt):
        with pytest.raises(RuntimeError):
            fg_fn(ta, tb)
        return
    with quiet():
        needs_assumptions(op, np.asarray(a).astype(NP[dt]), np.asarray(b).astype(NP[dt]), dt)
    out = fg_fn(ta, tb)
    assert out.shape == shapes_.result_shape
    expected = reference(op, a, b, rt)
    rtol = tolerance(dt, transcendental=op == "pow")
    assert_close(fg_result(out, dt), expected, dt, rtol=rtol)
    # the method spelling is the same op
    method = getattr(ta, METHODS[op])(tb)
    assert_close(fg_result(method, dt), expected, dt, rtol=rtol)


@SETTINGS
@given(
    op=st.sampled_from(sorted(set(BINARY) - {"maximum", "minimum"})),
    t_dtype=dtypes,
    s_kind=st.sampled_from(("bool", "int", "float")),
    shape=shapes,
    tensor_on_left=st.booleans(),
    data=st.data(),
)
def test_binary_tensor_python_scalar(op, t_dtype, s_kind, shape, tensor_on_left, data):
    t = data.draw(arrays(t_dtype, shape), label="t")
    rt = result_type((kind_of(t), t_dtype), ("scalar", s_kind))
    dt = binary_result_dtype(op, rt)
    # a float32 power takes exponents that float32 holds exactly: PyTorch rounds a
    # Python exponent to float32 in its vectorized loop but not in its scalar loop
    # (0 ** 1e-50 is 1 or 0, (-1) ** 16777217 is 1 or -1, depending on the length)
    exact = op == "pow" and tensor_on_left and dt == "float32"
    s = data.draw(python_scalars(s_kind, exact), label="s")
    fg_fn, _ = BINARY[op]
    tt = to_fg(t)
    s_dtype = {"bool": "bool", "int": "int64", "float": "float64"}[s_kind]
    if tensor_on_left:
        lhs, rhs, np_l, np_r = tt, s, t, np.asarray(s)
        raises = binary_raises(op, t_dtype, s_dtype, rt, scalar_side="right")
    else:
        lhs, rhs, np_l, np_r = s, tt, np.asarray(s), t
        raises = binary_raises(op, s_dtype, t_dtype, rt, scalar_side="left")
    if raises:
        with pytest.raises(RuntimeError):
            fg_fn(lhs, rhs)
        return
    with quiet():
        np_l_cast = np.asarray(np_l).astype(NP[dt])
        np_r_cast = np.asarray(np_r).astype(NP[dt])
    if op == "pow" and tensor_on_left and category(rt) < 2 and s < 0:
        # a negative Python exponent for an integer tensor is an error
        with pytest.raises(RuntimeError, match="Integers to negative integer powers"):
            fg_fn(lhs, rhs)
        return
    needs_assumptions(op, np_l_cast, np_r_cast, dt)
    out = fg_fn(lhs, rhs)
    assert out.shape == shape
    with quiet():
        if op == "div" and not tensor_on_left:
            # PyTorch defines scalar / tensor as scalar * tensor.reciprocal() (its node
            # is MulBackward0): 1 / subnormal overflows to inf, 0 * inf is NaN
            expected = np_l_cast * (np.asarray(1, dtype=NP[dt]) / np_r_cast)
        else:
            expected = reference(op, np_l_cast, np_r_cast, rt)
    rtol = tolerance(dt, transcendental=op == "pow")
    assert_close(fg_result(out, dt), np.broadcast_to(expected, shape), dt, rtol=rtol)


@SETTINGS
@given(
    op=st.sampled_from(sorted(COMPARE)),
    a_dtype=dtypes,
    b_dtype=dtypes,
    shapes_=broadcast_pairs,
    data=st.data(),
)
def test_comparisons(op, a_dtype, b_dtype, shapes_, data):
    sa, sb = shapes_.input_shapes
    a = data.draw(arrays(a_dtype, sa), label="a")
    b = data.draw(arrays(b_dtype, sb), label="b")
    rt = result_type((kind_of(a), a_dtype), (kind_of(b), b_dtype))
    py_fn, np_fn = COMPARE[op]
    ta, tb = to_fg(a), to_fg(b)
    # both operands are compared in the promoted dtype (an int64 and a float32
    # compare as float32)
    with quiet():
        expected = np_fn(a.astype(NP[rt]), b.astype(NP[rt]))
    for out in (py_fn(ta, tb), getattr(ta, op)(tb), getattr(fg, op)(ta, tb)):
        assert out.shape == shapes_.result_shape
        np.testing.assert_array_equal(fg_result(out, "bool"), expected)


@SETTINGS
@given(
    op=st.sampled_from(sorted(COMPARE)),
    t_dtype=dtypes,
    s_kind=st.sampled_from(("bool", "int", "float")),
    shape=shapes,
    data=st.data(),
)
def test_comparisons_with_python_scalar(op, t_dtype, s_kind, shape, data):
    t = data.draw(arrays(t_dtype, shape), label="t")
    s = data.draw(python_scalars(s_kind), label="s")
    rt = result_type((kind_of(t), t_dtype), ("scalar", s_kind))
    py_fn, np_fn = COMPARE[op]
    with quiet():
        expected = np_fn(t.astype(NP[rt]), np.asarray(s).astype(NP[rt]))
    out = py_fn(to_fg(t), s)
    np.testing.assert_array_equal(fg_result(out, "bool"), expected)


# -- unary ops ------------------------------------------------------------------------------


def sigmoid(x):
    with np.errstate(all="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


# name: (ferrograd call, NumPy reference in float64, floating function?, raises on bool?)
UNARY = {
    "neg": (lambda t: -t, np.negative, False, True),
    "abs": (lambda t: t.abs(), np.abs, False, True),
    "relu": (lambda t: t.relu(), lambda x: np.maximum(x, 0), False, True),
    "exp": (lambda t: t.exp(), np.exp, True, False),
    "log": (lambda t: t.log(), np.log, True, False),
    "sqrt": (lambda t: t.sqrt(), np.sqrt, True, False),
    "sin": (lambda t: t.sin(), np.sin, True, False),
    "cos": (lambda t: t.cos(), np.cos, True, False),
    "tanh": (lambda t: t.tanh(), np.tanh, True, False),
    "sigmoid": (lambda t: t.sigmoid(), sigmoid, True, False),
}
FUNCTIONS = {
    "neg": "neg",
    "abs": "abs",
    "relu": "relu",
    "exp": "exp",
    "log": "log",
    "sqrt": "sqrt",
    "sin": "sin",
    "cos": "cos",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
}


@SETTINGS
@given(op=st.sampled_from(sorted(UNARY)), dtype=dtypes, shape=shapes, data=st.data())
def test_unary(op, dtype, shape, data):
    x = data.draw(arrays(dtype, shape), label="x")
    fg_fn, np_fn, floating, bool_raises = UNARY[op]
    t = to_fg(x)
    if dtype == "bool" and bool_raises:
        with pytest.raises(RuntimeError):
            fg_fn(t)
        return
    dt = float_op_type(dtype) if floating else dtype
    with np.errstate(all="ignore"):
        if category(dt) == 2:
            src = x.astype(NP[dt]).astype(np.float64)  # the input as the op sees it
            expected = np.asarray(np_fn(src)).astype(NP[dt])
        else:
            expected = np.asarray(np_fn(x.astype(np.int64))).astype(NP[dt])
    for out in (fg_fn(t), getattr(fg, FUNCTIONS[op])(t)):
        assert out.shape == shape
        assert_close(fg_result(out, dt), expected, dt, rtol=tolerance(dt, transcendental=floating))


bounds = st.one_of(st.none(), st.integers(-5, 5), st.floats(-5, 5))


@SETTINGS
@given(
    dtype=st.sampled_from(("float32", "float64", "int64")),
    shape=shapes,
    lo=bounds,
    hi=bounds,
    data=st.data(),
)
def test_clamp(dtype, shape, lo, hi, data):
    assume(lo is not None or hi is not None)
    x = data.draw(arrays(dtype, shape), label="x")
    operands = [(kind_of(x), dtype)]
    operands += [("scalar", type(v).__name__) for v in (lo, hi) if v is not None]
    dt = result_type(*operands)
    xs = x.astype(NP[dt])
    expected = xs
    with np.errstate(all="ignore"):
        if lo is not None:
            expected = np.maximum(expected, np.asarray(lo).astype(NP[dt]))
        if hi is not None:
            expected = np.minimum(expected, np.asarray(hi).astype(NP[dt]))
    t = to_fg(x)
    for out in (t.clamp(min=lo, max=hi), fg.clamp(t, lo, hi)):
        assert out.shape == shape
        assert_close(fg_result(out, dt), np.asarray(expected), dt)


def test_clamp_min_above_max_gives_max():
    t = fg.tensor([-1.0, 0.5, 3.0])
    assert t.clamp(min=2.0, max=1.0).tolist() == [1.0, 1.0, 1.0]


def test_clamp_without_bounds_raises():
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
        fg.ones(2).clamp()


# -- matmul ---------------------------------------------------------------------------------


@SETTINGS
@given(
    dtype=st.sampled_from(("float32", "float64", "int64")),
    n=st.integers(0, 5),
    k=st.integers(0, 5),
    m=st.integers(0, 5),
    data=st.data(),
)
def test_matmul_2d(dtype, n, k, m, data):
    kind = "finite" if dtype != "int64" else "moderate"
    a = data.draw(arrays(dtype, (n, k), kind), label="a")
    b = data.draw(arrays(dtype, (k, m), kind), label="b")
    out = to_fg(a) @ to_fg(b)
    assert out.shape == (n, m)
    if dtype == "int64":
        np.testing.assert_array_equal(fg_result(out, dtype), a @ b)
        return
    expected = a.astype(np.float64) @ b.astype(np.float64)
    scale = np.abs(a.astype(np.float64)) @ np.abs(b.astype(np.float64))
    eps = float(np.finfo(dtype).eps)
    assert_close(fg_result(out, dtype), expected, dtype, rtol=2 * eps, atol=(k + 1) * eps * scale)


# -- reductions -----------------------------------------------------------------------------


@st.composite
def reduction_dims(draw, ndim, allow_tuple=True):
    """None, an int (possibly negative), or a tuple of distinct dims."""
    rank = max(ndim, 1)  # a 0-dim tensor accepts dim 0 and -1
    choices = ["none", "int"] + (["tuple"] if allow_tuple else [])
    how = draw(st.sampled_from(choices))
    if how == "none":
        return None
    if how == "int":
        return draw(st.integers(-rank, rank - 1))
    axes = draw(st.lists(st.integers(0, rank - 1), min_size=1, max_size=rank, unique=True))
    return tuple(a - rank if draw(st.booleans()) else a for a in axes)


def normalize(dim, ndim):
    if dim is None:
        return tuple(range(ndim))
    dims = dim if isinstance(dim, tuple) else (dim,)
    if ndim == 0:
        return ()
    return tuple(sorted(d % ndim for d in dims))


def reduce_np(fn, x, dim, keepdim):
    """Apply a NumPy reduction over the normalized dims, PyTorch's keepdim rules
    (a 0-dim input stays 0-dim)."""
    axes = normalize(dim, x.ndim)
    if x.ndim == 0:
        return np.asarray(fn(x.reshape(1), axis=(0,), keepdims=False))
    return np.asarray(fn(x, axis=axes, keepdims=bool(keepdim and dim is not None)))


def call_reduction(t, name, dim, keepdim, **kw):
    method = getattr(t, name)
    if dim is None:
        return method(**kw)
    return method(dim=dim, keepdim=keepdim, **kw)


def reduced_is_empty(x, dim):
    axes = normalize(dim, x.ndim)
    return x.ndim > 0 and any(x.shape[a] == 0 for a in axes)


SUM_LIKE = {
    "sum": np.sum,
    "mean": np.mean,
}


@SETTINGS
@given(
    name=st.sampled_from(sorted(SUM_LIKE)),
    dtype=dtypes,
    shape=shapes,
    keepdim=st.booleans(),
    data=st.data(),
)
def test_sum_mean(name, dtype, shape, keepdim, data):
    x = data.draw(arrays(dtype, shape, "moderate"), label="x")
    dim = data.draw(reduction_dims(len(shape)), label="dim")
    t = to_fg(x)
    if name == "mean" and category(dtype) < 2:
        with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype"):
            call_reduction(t, name, dim, keepdim)
        return
    out = call_reduction(t, name, dim, keepdim)
    if category(dtype) < 2:  # sums of ints and bools are int64, wrapping like NumPy's
        expected = reduce_np(np.sum, x.astype(np.int64), dim, keepdim)
        np.testing.assert_array_equal(fg_result(out, "int64"), expected)
        return
    x64 = x.astype(np.float64)
    with quiet(), np.errstate(all="ignore"):
        expected = reduce_np(SUM_LIKE[name], x64, dim, keepdim)
        count = max(x.size // max(expected.size, 1), 1)
        scale = reduce_np(np.sum if name == "sum" else np.mean, np.abs(x64), dim, keepdim)
    eps = float(np.finfo(dtype).eps)
    atol = (count + 1) * eps * np.nan_to_num(scale, nan=0.0)
    assert_close(fg_result(out, dtype), expected, dtype, rtol=4 * eps, atol=atol)


prod_elements = {
    "float32": st.one_of(
        st.just(0.0),
        st.floats(0.5, 2.0, width=32),
        st.floats(-2.0, -0.5, width=32),
        st.sampled_from([math.nan, math.inf, -math.inf]),
    ),
    "float64": st.one_of(
        st.just(0.0),
        st.floats(0.5, 2.0),
        st.floats(-2.0, -0.5),
        st.sampled_from([math.nan, math.inf, -math.inf]),
    ),
    "int64": st.integers(INT_MIN, INT_MAX),
    "bool": st.booleans(),
}


@SETTINGS
@given(
    dtype=dtypes,
    shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=3),
    keepdim=st.booleans(),
    data=st.data(),
)
def test_prod(dtype, shape, keepdim, data):
    # factors in [0.5, 2] (and 0, NaN, inf): no overflow or underflow partway through,
    # so the order of multiplication does not matter; int64 products wrap like NumPy's
    x = data.draw(hnp.arrays(NP[dtype], shape, elements=prod_elements[dtype]), label="x")
    dim = data.draw(reduction_dims(len(shape), allow_tuple=False), label="dim")
    out = call_reduction(to_fg(x), "prod", dim, keepdim)
    if category(dtype) < 2:
        with np.errstate(all="ignore"):
            expected = reduce_np(np.prod, x.astype(np.int64), dim, keepdim)
        np.testing.assert_array_equal(fg_result(out, "int64"), expected)
        return
    with np.errstate(all="ignore"):
        expected = reduce_np(np.prod, x.astype(np.float64), dim, keepdim)
    eps = float(np.finfo(dtype).eps)
    assert_close(fg_result(out, dtype), expected, dtype, rtol=(x.size + 2) * eps)


MINMAX = {"amax": np.max, "amin": np.min}


LOGICAL = {"all": np.all, "any": np.any}


@SETTINGS
@given(
    name=st.sampled_from(sorted(LOGICAL)),
    dtype=dtypes,
    shape=shapes,
    keepdim=st.booleans(),
    data=st.data(),
)
def test_all_any(name, dtype, shape, keepdim, data):
    x = data.draw(arrays(dtype, shape), label="x")
    dim = data.draw(reduction_dims(len(shape)), label="dim")
    out = call_reduction(to_fg(x), name, dim, keepdim)
    expected = reduce_np(LOGICAL[name], x, dim, keepdim)  # NaN counts as true
    np.testing.assert_array_equal(fg_result(out, "bool"), expected)
    assert out.shape == expected.shape


def np_norm(p):
    def fn(x, axis, keepdims):
        a = np.abs(x)
        if p == math.inf:
            return np.max(a, axis=axis, keepdims=keepdims)
        if p == 1:
            return np.sum(a, axis=axis, keepdims=keepdims)
        return np.sum(a**p, axis=axis, keepdims=keepdims) ** (1.0 / p)

    return fn


@SETTINGS
@given(
    p=st.sampled_from([1, 2, math.inf, 3]),
    dtype=float_dtypes,
    shape=shapes,
    keepdim=st.booleans(),
    data=st.data(),
)
def test_norm(p, dtype, shape, keepdim, data):
    x = data.draw(arrays(dtype, shape, "norm"), label="x")
    dim = data.draw(reduction_dims(len(shape)), label="dim")
    t = to_fg(x)
    if p == math.inf and ((dim is None and x.size == 0) or reduced_is_empty(x, dim)):
        with pytest.raises(RuntimeError, match="inf norm"):
            call_reduction(t, "norm", dim, keepdim, p=p)
        return
    out = call_reduction(t, "norm", dim, keepdim, p=p)
    with np.errstate(all="ignore"):
        expected = reduce_np(np_norm(p), x.astype(np.float64), dim, keepdim)
    eps = float(np.finfo(dtype).eps)
    rtol = 0.0 if p == math.inf else (x.size + 10) * eps
    assert_close(fg_result(out, dtype), expected, dtype, rtol=rtol)


def test_norm_default_is_2_norm():
    t = fg.tensor([[3.0, 4.0], [0.0, 0.0]])
    assert t.norm().item() == 5.0
    assert t.norm(dim=1).tolist() == [5.0, 0.0]
    assert t.norm(1).item() == 7.0
    assert t.norm(float("inf")).item() == 4.0


def test_reduction_dim_errors():
    x = fg.ones(2, 3)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.sum(2)
    with pytest.raises(RuntimeError, match="appears multiple times"):
        x.sum((0, -2))
    with pytest.raises(IndexError, match="Dimension out of range"):
        fg.tensor(1.0).sum(1)


@SETTINGS
@given(dtype=float_dtypes, shape=shapes, data=st.data())
def test_clamp_with_tensor_bounds(dtype, shape, data):
    x = data.draw(arrays(dtype, shape, "moderate"), label="x")
    lo = data.draw(arrays(dtype, shape, "finite"), label="lo")
    out = to_fg(x).clamp(min=to_fg(lo))
    with np.errstate(all="ignore"):
        assert_close(fg_result(out, dtype), np.maximum(x, lo), dtype)


@SETTINGS
@given(
    name=st.sampled_from(sorted(MINMAX)),
    dtype=dtypes,
    shape=shapes,
    keepdim=st.booleans(),
    data=st.data(),
)
def test_amax_amin(name, dtype, shape, keepdim, data):
    x = data.draw(arrays(dtype, shape), label="x")
    dim = data.draw(reduction_dims(len(shape)), label="dim")
    t = to_fg(x)
    if (dim is None and x.size == 0) or reduced_is_empty(x, dim):
        # no identity to start from: PyTorch raises (IndexError for an empty dim)
        with pytest.raises((IndexError, RuntimeError)):
            call_reduction(t, name, dim, keepdim)
        return
    out = call_reduction(t, name, dim, keepdim)
    expected = reduce_np(MINMAX[name], x, dim, keepdim)  # NaN propagates in both
    assert_close(fg_result(out, dtype), expected, dtype, rtol=0.0, atol=0.0)


def test_reductions_of_empty_tensors():
    e = fg.ones(0, 3)
    assert e.sum().item() == 0.0
    assert e.prod().item() == 1.0
    assert math.isnan(e.mean().item())
    assert e.all().item() is True
    assert e.any().item() is False
    assert e.norm().item() == 0.0
    assert e.sum(0).tolist() == [0.0, 0.0, 0.0]
    assert e.amax(1).shape == (0,)
    with pytest.raises(RuntimeError):
        e.amax()
    with pytest.raises(IndexError):
        e.amax(0)
