"""Elementwise math: values against NumPy, `math` or constants recorded from PyTorch 2.13,
dtypes, grad_fn names, errors, in-place forms, and gradients checked numerically."""

import math

import numpy as np
import pytest
from backend import fg

D = fg.float64
NAN, INF = math.nan, math.inf

# ---- one-tensor float functions ---------------------------------------------------

_erf = np.vectorize(math.erf)
_erfc = np.vectorize(math.erfc)

# name -> (reference on float64 arrays, sample values inside the domain)
GENERAL = [-2.5, -1.0, -0.3, 0.0, 0.7, 1.0, 3.25]
UNIT = [-0.99, -0.5, 0.0, 0.25, 0.9]  # inside (-1, 1)
POSITIVE = [1e-3, 0.5, 1.0, 2.0, 1e4]
ABOVE_ONE = [1.0, 1.5, 10.0, 1e6]
FLOAT_UNARY = {
    "rsqrt": (lambda a: 1 / np.sqrt(a), POSITIVE),
    "log1p": (np.log1p, [-0.5, 1e-10, 0.0, 2.0, 1e5]),
    "expm1": (np.expm1, GENERAL + [1e-10]),
    "log2": (np.log2, POSITIVE),
    "log10": (np.log10, POSITIVE),
    "exp2": (np.exp2, GENERAL),
    "tan": (np.tan, GENERAL),
    "sinh": (np.sinh, GENERAL),
    "cosh": (np.cosh, GENERAL),
    "asin": (np.arcsin, UNIT),
    "arcsin": (np.arcsin, UNIT),
    "acos": (np.arccos, UNIT),
    "arccos": (np.arccos, UNIT),
    "atan": (np.arctan, GENERAL),
    "arctan": (np.arctan, GENERAL),
    "asinh": (np.arcsinh, GENERAL + [1e10, -1e-10]),
    "arcsinh": (np.arcsinh, GENERAL),
    "acosh": (np.arccosh, ABOVE_ONE),
    "arccosh": (np.arccosh, ABOVE_ONE),
    "atanh": (np.arctanh, UNIT),
    "arctanh": (np.arctanh, UNIT),
    "erf": (_erf, GENERAL + [1e-8, 6.0]),
    "erfc": (_erfc, GENERAL + [5.0, 10.0]),
    "deg2rad": (np.deg2rad, GENERAL + [180.0]),
    "rad2deg": (np.rad2deg, GENERAL + [math.pi]),
}

GRAD_FN = {
    "floor": "FloorBackward0",
    "ceil": "CeilBackward0",
    "round": "RoundBackward0",
    "trunc": "TruncBackward0",
    "fix": "TruncBackward0",
    "frac": "FracBackward0",
    "sgn": "SgnBackward0",
    "rsqrt": "RsqrtBackward0",
    "log1p": "Log1PBackward0",
    "expm1": "Expm1Backward0",
    "log2": "Log2Backward0",
    "log10": "Log10Backward0",
    "exp2": "Exp2Backward0",
    "tan": "TanBackward0",
    "sinh": "SinhBackward0",
    "cosh": "CoshBackward0",
    "asin": "AsinBackward0",
    "arcsin": "AsinBackward0",
    "acos": "AcosBackward0",
    "arccos": "AcosBackward0",
    "atan": "AtanBackward0",
    "arctan": "AtanBackward0",
    "asinh": "AsinhBackward0",
    "arcsinh": "AsinhBackward0",
    "acosh": "AcoshBackward0",
    "arccosh": "AcoshBackward0",
    "atanh": "AtanhBackward0",
    "arctanh": "AtanhBackward0",
    "erf": "ErfBackward0",
    "erfc": "ErfcBackward0",
    "erfinv": "ErfinvBackward0",
    "deg2rad": "Deg2RadBackward0",
    "rad2deg": "Rad2DegBackward0",
    "nan_to_num": "NanToNumBackward0",
}


def t64(xs):
    """A float64 tensor holding exactly these Python floats."""
    return fg.tensor(np.array(xs, dtype=np.float64))


def leaf(values_, dtype=D):
    return fg.tensor(np.array(values_, dtype=np.float64)).to(dtype).requires_grad_()


def values(t):
    return np.asarray(t.detach().tolist(), dtype=np.float64)


@pytest.mark.parametrize("name", sorted(FLOAT_UNARY))
def test_float_unary_values_float64(name):
    ref, xs = FLOAT_UNARY[name]
    out = getattr(fg, name)(t64(xs))
    assert out.dtype == D
    np.testing.assert_allclose(values(out), ref(np.array(xs)), rtol=1e-14, atol=1e-300)


@pytest.mark.parametrize("name", sorted(FLOAT_UNARY))
def test_float_unary_values_float32_and_method(name):
    ref, xs = FLOAT_UNARY[name]
    x = fg.tensor(xs)
    out = getattr(x, name)()
    assert out.dtype == fg.float32
    expected = ref(np.array(xs, dtype=np.float32).astype(np.float64))
    np.testing.assert_allclose(values(out), expected, rtol=2e-6, atol=1e-30)


@pytest.mark.parametrize("name", sorted(FLOAT_UNARY) + ["erfinv"])
@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_float_unary_integer_inputs_give_default_dtype(name, dtype):
    x = fg.tensor([1, 0], dtype=getattr(fg, dtype))
    out = getattr(fg, name)(x)
    assert out.dtype == fg.float32
    same = getattr(fg, name)(fg.tensor([1.0, 0.0]))
    assert values(out).tolist() == pytest.approx(values(same).tolist(), nan_ok=True)
    fg.set_default_dtype(D)
    try:
        assert getattr(fg, name)(x).dtype == D
    finally:
        fg.set_default_dtype(fg.float32)


def test_nan_and_inf_propagate():
    x = t64([NAN, INF, -INF])
    # PyTorch 2.13 CPU, float64
    expected = {
        "rsqrt": [NAN, 0.0, NAN],
        "log1p": [NAN, INF, NAN],
        "expm1": [NAN, INF, -1.0],
        "log2": [NAN, INF, NAN],
        "exp2": [NAN, INF, 0.0],
        "tan": [NAN, NAN, NAN],
        "sinh": [NAN, INF, -INF],
        "cosh": [NAN, INF, INF],
        "atan": [NAN, math.pi / 2, -math.pi / 2],
        "asinh": [NAN, INF, -INF],
        "acosh": [NAN, INF, NAN],
        "erf": [NAN, 1.0, -1.0],
        "erfc": [NAN, 0.0, 2.0],
        "erfinv": [NAN, NAN, NAN],
    }
    for name, want in expected.items():
        got = values(getattr(fg, name)(x))
        np.testing.assert_array_equal(got, np.array(want), err_msg=name)
    edges = t64([0.0, -0.0, -1.0, 1.0, 2.0])
    np.testing.assert_array_equal(values(fg.rsqrt(edges)), [INF, -INF, NAN, 1.0, 1 / math.sqrt(2)])
    np.testing.assert_array_equal(values(fg.atanh(edges)), [0.0, -0.0, -INF, INF, NAN])
    np.testing.assert_allclose(values(fg.log1p(edges)), [0.0, -0.0, -INF, math.log(2), math.log(3)], rtol=1e-15)
    assert np.signbit(values(fg.log1p(edges))[1])


def test_erfinv_values():
    xs = [0.0, 0.5, -0.9, 1.0, -1.0, 1.5, 0.999999, -0.3]
    # torch.erfinv in PyTorch 2.13
    want64 = [0.0, 0.4769362762044699, -1.1630871536766743, INF, -INF, NAN, 3.458910737275499]
    out = fg.erfinv(t64(xs))
    # near ±1 erfinv is ill-conditioned: an ulp of erf moves the result by ~1e-11
    np.testing.assert_allclose(values(out)[:6], want64[:6], rtol=1e-15)
    np.testing.assert_allclose(values(out)[6], want64[6], rtol=1e-11)
    # erf(erfinv(y)) == y
    assert values(out)[7] == pytest.approx(-0.2724627147267543, rel=1e-15)
    np.testing.assert_allclose(_erf(values(out)[[0, 1, 2, 6, 7]]), np.array(xs)[[0, 1, 2, 6, 7]], rtol=1e-15)
    want32 = [0.0, 0.4769362807273865, -1.1630871295928955, INF, -INF, NAN, 3.4570746421813965]
    np.testing.assert_allclose(values(fg.erfinv(fg.tensor(xs[:7])))[:7], want32, rtol=1e-7)


def test_erf_accuracy_float64():
    xs = np.linspace(-6, 6, 241)
    got = values(fg.erf(t64(xs.tolist())))
    np.testing.assert_allclose(got, _erf(xs), rtol=1e-15, atol=1e-300)
    got = values(fg.erfc(t64(xs.tolist())))
    np.testing.assert_allclose(got, _erfc(xs), rtol=1e-14, atol=1e-300)


# ---- rounding --------------------------------------------------------------------

ROUNDING = [-2.5, -1.5, -0.5, -0.3, 0.0, -0.0, 0.5, 1.5, 2.5, 2.7, NAN, INF, -INF]


@pytest.mark.parametrize(
    "name,ref",
    [
        ("floor", np.floor),
        ("ceil", np.ceil),
        ("round", np.round),
        ("trunc", np.trunc),
        ("fix", np.trunc),
        ("frac", lambda a: a - np.trunc(a)),
        # sgn(NaN) and sgn(-0.0) are +0.0
        ("sgn", lambda a: np.nan_to_num(np.sign(a), nan=0.0) + 0.0),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rounding_values(name, ref, dtype):
    out = getattr(fg, name)(fg.tensor(np.array(ROUNDING, dtype=dtype)))
    assert out.dtype == getattr(fg, dtype)
    with np.errstate(invalid="ignore"):
        want = ref(np.array(ROUNDING, dtype=dtype)).astype(np.float64)
    np.testing.assert_array_equal(values(out), want)
    real = ~np.isnan(want)
    np.testing.assert_array_equal(np.signbit(values(out))[real], np.signbit(want)[real])


@pytest.mark.parametrize("name", ["floor", "ceil", "round", "trunc", "fix", "sgn"])
def test_rounding_keeps_integers(name):
    out = getattr(fg, name)(fg.tensor([3, -2, 0]))
    assert out.dtype == fg.int64
    assert out.tolist() == ([1, -1, 0] if name == "sgn" else [3, -2, 0])


@pytest.mark.parametrize(
    "name,kernel",
    [("floor", "floor_vml_cpu"), ("ceil", "ceil_vml_cpu"), ("round", "round_vml_cpu"), ("fix", "trunc_vml_cpu")],
)
def test_rounding_refuses_bool(name, kernel):
    with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'Bool\''):
        getattr(fg, name)(fg.tensor([True]))


def test_frac_refuses_integers_and_sgn_keeps_bool():
    with pytest.raises(NotImplementedError, match="\"frac_cpu\" not implemented for 'Long'"):
        fg.frac(fg.tensor([1, 2]))
    out = fg.sgn(fg.tensor([True, False]))
    assert out.dtype == fg.bool and out.tolist() == [True, False]


def test_round_decimals():
    x = fg.tensor([1.25, 2.5, -0.5, 1234.5678, 0.125])
    # PyTorch 2.13 (float32)
    assert fg.round(x, decimals=-2).tolist() == [0.0, 0.0, -0.0, 1200.0, 0.0]
    assert fg.round(x, decimals=2).tolist() == [1.25, 2.5, -0.5, 1234.5699462890625, 0.11999999731779099]
    x64 = t64([1.25, 2.5, 0.125, -1234.5678])
    assert x.round(decimals=1).tolist() == [1.2000000476837158, 2.5, -0.5, 1234.5999755859375, 0.10000000149011612]
    assert fg.round(x64, decimals=1).tolist() == [1.2, 2.5, 0.1, -1234.6]
    assert fg.round(x64, decimals=-1).tolist() == [0.0, 0.0, 0.0, -1230.0]
    with pytest.raises(NotImplementedError, match="\"round_cpu\" not implemented for 'Long'"):
        fg.round(fg.tensor([15]), decimals=-1)
    with pytest.raises(TypeError):
        x.round(1)  # decimals is keyword-only
    a = fg.tensor([0.5, 1.5], requires_grad=True)
    assert type(fg.round(a, decimals=0).grad_fn).__name__ == "RoundBackward1"
    assert type(fg.round(a).grad_fn).__name__ == "RoundBackward0"


# ---- grad_fn names and gradients -------------------------------------------------


@pytest.mark.parametrize("name", sorted(GRAD_FN))
def test_grad_fn_names(name):
    x = leaf([0.5, 0.25])
    y = getattr(fg, name)(x)
    assert type(y.grad_fn).__name__ == GRAD_FN[name]
    assert y.requires_grad


def test_rounding_gradients_are_zero_and_frac_passes_through():
    x = leaf([0.3, -1.7, 2.5])
    for name in ["floor", "ceil", "round", "trunc", "fix", "sgn"]:
        (g,) = fg.autograd.grad(getattr(fg, name)(x).sum(), x)
        assert g.shape == (3,) and bool((g == 0).all()), name
    (g,) = fg.autograd.grad(fg.frac(x).sum(), x)
    assert g.tolist() == [1.0, 1.0, 1.0]
    (g,) = fg.autograd.grad(fg.round(x, decimals=1).sum(), x)
    assert bool((g == 0).all())


# name -> sample inputs away from kinks and domain edges
DIFFERENTIABLE_UNARY = {
    "rsqrt": [0.4, 1.3, 2.0],
    "log1p": [-0.5, 0.2, 3.0],
    "expm1": [-1.2, 0.1, 2.0],
    "log2": [0.4, 1.3, 5.0],
    "log10": [0.4, 1.3, 5.0],
    "exp2": [-1.2, 0.1, 2.0],
    "tan": [-1.2, 0.1, 1.0],
    "sinh": [-1.2, 0.1, 2.0],
    "cosh": [-1.2, 0.1, 2.0],
    "asin": [-0.8, 0.1, 0.6],
    "acos": [-0.8, 0.1, 0.6],
    "atan": [-1.2, 0.1, 2.0],
    "asinh": [-1.2, 0.1, 2.0],
    "acosh": [1.2, 1.7, 3.0],
    "atanh": [-0.8, 0.1, 0.6],
    "erf": [-1.2, 0.1, 2.0],
    "erfc": [-1.2, 0.1, 2.0],
    "erfinv": [-0.8, 0.1, 0.95],
    "deg2rad": [-1.2, 0.1, 2.0],
    "rad2deg": [-1.2, 0.1, 2.0],
    "frac": [-1.2, 0.1, 2.3],
    "nan_to_num": [-1.2, 0.1, 2.3],
}


@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE_UNARY))
def test_gradcheck_unary(name):
    x = leaf(DIFFERENTIABLE_UNARY[name])
    fn = getattr(fg, name)
    assert fg.autograd.gradcheck(fn, (x,))
    assert fg.autograd.gradgradcheck(fn, (x,))


def test_gradient_values_unary():
    x = leaf([0.5])
    cases = {
        "rsqrt": -0.5 * 0.5**-1.5,
        "log2": 1 / (0.5 * math.log(2)),
        "exp2": 2**0.5 * math.log(2),
        "tan": 1 / math.cos(0.5) ** 2,
        "asin": 1 / math.sqrt(0.75),
        "acos": -1 / math.sqrt(0.75),
        "atanh": 1 / 0.75,
        "erf": 2 / math.sqrt(math.pi) * math.exp(-0.25),
        "erfc": -2 / math.sqrt(math.pi) * math.exp(-0.25),
        "deg2rad": math.pi / 180,
    }
    for name, want in cases.items():
        (g,) = fg.autograd.grad(getattr(fg, name)(x).sum(), x)
        assert g.tolist()[0] == pytest.approx(want, rel=1e-14), name


def test_gradient_float32_keeps_dtype():
    x = fg.tensor([0.5, 0.7], requires_grad=True)
    fg.erf(x).sum().backward()
    assert x.grad.dtype == fg.float32
    np.testing.assert_allclose(values(x.grad), 2 / np.sqrt(np.pi) * np.exp(-np.array([0.5, 0.7]) ** 2), rtol=1e-6)


# ---- in-place forms --------------------------------------------------------------


@pytest.mark.parametrize("name", ["floor", "ceil", "round", "trunc", "fix", "frac", "rsqrt", "log1p", "expm1",
                                  "log2", "log10", "exp2", "tan", "sinh", "cosh", "asin", "arcsin", "acos",
                                  "arccos", "atan", "arctan", "asinh", "arcsinh", "atanh", "arctanh", "erf",
                                  "erfc", "erfinv", "sgn", "deg2rad", "rad2deg"])
def test_inplace_matches_out_of_place(name):
    base = [0.3, -0.6, 0.9]
    x = t64(base)
    expected = getattr(fg, name)(x).tolist()
    v = x._version
    r = getattr(x, name + "_")()
    assert r is x
    assert x._version > v
    assert x.tolist() == pytest.approx(expected, nan_ok=True)


def test_inplace_history_and_errors():
    a = leaf([0.3, 0.6])
    b = a * 1
    b.sin_() if hasattr(b, "sin_") else None
    c = a * 2
    c.erf_()
    assert type(c.grad_fn).__name__ == "ErfBackward0"
    c.sum().backward()
    np.testing.assert_allclose(values(a.grad), 4 / np.sqrt(np.pi) * np.exp(-(np.array([0.6, 1.2]) ** 2)), rtol=1e-14)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place operation."):
        a.log2_()
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        fg.tensor([1, 2]).log2_()
    x = fg.tensor([1.5, -2.5])
    assert x.square_() is x and x.tolist() == [2.25, 6.25]
    i = fg.tensor([2, -3])
    i.floor_()
    assert i.tolist() == [2, -3] and i.dtype == fg.int64
    x = fg.tensor([1.25, 2.5])
    assert x.round_(decimals=1) is x and x.tolist() == [1.2000000476837158, 2.5]
    x.round_()
    assert x.tolist() == [1.0, 2.0]


def test_inplace_on_view_updates_base():
    base = t64([[0.1, 0.2], [0.3, 0.4]])
    base[1].exp2_()
    assert base[0].tolist() == [0.1, 0.2]
    assert base[1].tolist() == pytest.approx([2**0.3, 2**0.4], rel=1e-15)


# ---- two operands ----------------------------------------------------------------

A = [0.5, -1.5, 0.0, -0.0, 2.0, 3.0]
B = [0.7, 2.0, -1.0, 1.0, -0.0, 3.0]


@pytest.mark.parametrize(
    "name,ref",
    [
        ("atan2", np.arctan2),
        ("arctan2", np.arctan2),
        ("hypot", np.hypot),
        ("copysign", np.copysign),
        ("logaddexp", np.logaddexp),
        ("logaddexp2", np.logaddexp2),
        ("fmod", np.fmod),
        ("fmax", np.fmax),
        ("fmin", np.fmin),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_binary_values(name, ref, dtype):
    d = getattr(fg, dtype)
    a, b = fg.tensor(np.array(A, dtype=dtype)), fg.tensor(np.array(B, dtype=dtype))
    out = getattr(fg, name)(a, b)
    assert out.dtype == d
    with np.errstate(all="ignore"):
        want = ref(np.array(A, dtype=dtype), np.array(B, dtype=dtype)).astype(np.float64)
    rtol = 1e-15 if dtype == "float64" else 1e-6
    np.testing.assert_allclose(values(out), want, rtol=rtol)
    np.testing.assert_array_equal(np.signbit(values(out)), np.signbit(want))
    np.testing.assert_allclose(values(getattr(a, name)(b)), want, rtol=rtol)


def test_binary_broadcast_and_special_values():
    a = t64([[1.0], [-2.0]])
    b = t64([3.0, -4.0, 0.5])
    assert fg.atan2(a, b).shape == (2, 3)
    np.testing.assert_allclose(values(fg.hypot(a, b)), np.hypot([[1.0], [-2.0]], [3.0, -4.0, 0.5]), rtol=1e-15)
    inf = t64([INF, -INF, 1.0, INF])
    other = t64([INF, -INF, NAN, NAN])
    np.testing.assert_array_equal(values(fg.logaddexp(inf, other)), [INF, -INF, NAN, NAN])
    np.testing.assert_array_equal(values(fg.logaddexp2(inf, other)), [INF, -INF, NAN, NAN])
    # hypot(inf, nan) is inf (C99)
    assert fg.hypot(fg.tensor([INF]), fg.tensor([NAN])).tolist() == [INF]
    nan = fg.tensor([1.0, NAN, NAN])
    other = fg.tensor([NAN, 2.0, NAN])
    assert values(fg.fmax(nan, other)).tolist()[:2] == [1.0, 2.0]
    assert math.isnan(fg.fmin(nan, other).tolist()[2])
    big = t64([1000.0, -1000.0])
    np.testing.assert_allclose(values(fg.logaddexp(big, big)), [1000 + math.log(2), -1000 + math.log(2)], rtol=1e-15)


def test_binary_dtypes():
    i = fg.tensor([1, 2])
    j = fg.tensor([3, -1])
    for name in ["atan2", "copysign", "xlogy"]:
        assert getattr(fg, name)(i, j).dtype == fg.float32, name
        assert getattr(fg, name)(i.bool(), j.bool()).dtype == fg.float32, name
    assert fg.copysign(i, -1).tolist() == [-1.0, -2.0]
    assert fg.fmod(fg.tensor([5, -5]), 3).tolist() == [2, -2]
    assert fg.fmod(fg.tensor([5, -5]), 3).dtype == fg.int64
    assert fg.fmod(fg.tensor([5, -5]), 2.5).dtype == fg.float32
    assert fg.fmod(fg.tensor([5.0, -5.0]), fg.tensor([2, 3])).tolist() == [1.0, -2.0]
    assert fg.fmax(i, j).tolist() == [3, 2] and fg.fmax(i, j).dtype == fg.int64
    assert fg.fmin(i.bool(), j.bool()).dtype == fg.bool
    assert fg.hypot(fg.tensor([3.0]), fg.tensor([4], dtype=fg.int64)).tolist() == [5.0]
    assert fg.hypot(fg.tensor([1.0]), t64([1.0])).dtype == D
    assert fg.float_power(fg.tensor([2.0]), 2).dtype == D
    assert fg.float_power(fg.tensor([2]), fg.tensor([3])).tolist() == [8.0]
    assert fg.float_power(2, fg.tensor([0.5])).dtype == D
    assert fg.float_power(fg.tensor([2.0]), -1).tolist() == [0.5]
    assert fg.tensor([4.0]).float_power(0.5).tolist() == [2.0]


def test_binary_errors():
    with pytest.raises(NotImplementedError, match="\"hypot_cpu\" not implemented for 'Long'"):
        fg.hypot(fg.tensor([1]), fg.tensor([2]))
    with pytest.raises(NotImplementedError, match="\"logaddexp_cpu\" not implemented for 'Long'"):
        fg.logaddexp(fg.tensor([1]), fg.tensor([2]))
    with pytest.raises(NotImplementedError, match="\"logaddexp2_cpu\" not implemented for 'Bool'"):
        fg.logaddexp2(fg.tensor([True]), fg.tensor([False]))
    with pytest.raises(NotImplementedError, match="\"fmod_cpu\" not implemented for 'Bool'"):
        fg.fmod(fg.tensor([True]), fg.tensor([True]))
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        fg.fmod(fg.tensor([5, -5]), fg.tensor([0, 3]))
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        fg.fmod(fg.tensor([5]), 0)
    assert all(math.isnan(v) for v in fg.fmod(fg.tensor([5.0, -5.0]), 0).tolist())
    for name in ["atan2", "hypot", "logaddexp", "logaddexp2", "fmax", "fmin"]:
        with pytest.raises(TypeError, match=f"{name}\\(\\): argument 'other' \\(position 2\\) must be Tensor, not float"):
            getattr(fg, name)(fg.tensor([1.0]), 2.0)
        with pytest.raises(TypeError, match=f"{name}\\(\\): argument 'other' \\(position 1\\) must be Tensor, not float"):
            getattr(fg.tensor([1.0]), name)(2.0)
    with pytest.raises(TypeError):
        fg.float_power(2, 3)
    with pytest.raises(TypeError):
        fg.copysign(2.0, fg.tensor([1.0]))
    with pytest.raises(RuntimeError, match="The size of tensor a \\(2\\) must match the size of tensor b \\(3\\)"):
        fg.atan2(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 2.0, 3.0]))


def test_xlogy():
    x = fg.tensor([0.0, 0.0, 1.0, 2.0, 0.0])
    y = fg.tensor([0.0, NAN, 0.0, 3.0, INF])
    out = values(fg.xlogy(x, y))
    np.testing.assert_array_equal(out[:3], [0.0, NAN, -INF])
    assert out[3] == pytest.approx(2 * math.log(3), rel=1e-6)
    assert out[4] == 0.0
    assert fg.xlogy(fg.tensor([0, 1]), 3).tolist() == [0.0, pytest.approx(math.log(3), rel=1e-6)]
    assert fg.xlogy(3, fg.tensor([0, 1])).tolist() == [-INF, 0.0]
    assert fg.tensor([2.0]).xlogy(2).tolist() == [pytest.approx(2 * math.log(2), rel=1e-6)]


def test_binary_grad_fn_names():
    a = leaf([0.5, 1.5])
    b = leaf([0.7, -1.5])
    cases = [
        (fg.atan2(a, b), "Atan2Backward0"),
        (fg.arctan2(a, b), "Atan2Backward0"),
        (fg.hypot(a, b), "HypotBackward0"),
        (fg.copysign(a, b), "CopysignBackward0"),
        (fg.copysign(a, -2.0), "CopysignBackward1"),
        (fg.logaddexp(a, b), "LogaddexpBackward0"),
        (fg.logaddexp2(a, b), "Logaddexp2Backward0"),
        (fg.fmod(a, b), "FmodBackward1"),
        (fg.fmod(a, 2.0), "FmodBackward0"),
        (fg.xlogy(a, b), "XlogyBackward0"),
        (fg.xlogy(2.0, b), "XlogyBackward1"),
        (fg.xlogy(a, 2.0), "XlogyBackward2"),
        (fg.fmax(a, b), "FmaxBackward0"),
        (fg.fmin(a, b), "FminBackward0"),
        (fg.float_power(a, b), "PowBackward1"),
        (fg.float_power(a, 2), "PowBackward0"),
        (fg.float_power(2, b), "PowBackward2"),
        (fg.lerp(a, b, 0.3), "LerpBackward0"),
        (fg.lerp(a, b, leaf([0.2, 0.8])), "LerpBackward1"),
        (fg.clamp_min(a, 1.0), "ClampMinBackward0"),
        (fg.clamp_max(a, 1.0), "ClampMaxBackward0"),
        (fg.clamp_min(a, b), "ClampMinBackward1"),
        (fg.clamp_max(a, b), "ClampMaxBackward1"),
    ]
    for out, name in cases:
        assert type(out.grad_fn).__name__ == name


BINARY_GRAD = {
    "atan2": lambda a, b: fg.atan2(a, b),
    "atan2_broadcast": lambda a, b: fg.atan2(a.reshape(3, 1), b),
    "hypot": lambda a, b: fg.hypot(a, b),
    "copysign": lambda a, b: fg.copysign(a, b),
    "copysign_number": lambda a, b: fg.copysign(a, -1.5) * b,
    "logaddexp": lambda a, b: fg.logaddexp(a, b),
    "logaddexp2": lambda a, b: fg.logaddexp2(a, b),
    "fmod": lambda a, b: fg.fmod(a * 3, b),
    "fmod_number": lambda a, b: fg.fmod(a * 3, 0.7) * b,
    "xlogy": lambda a, b: fg.xlogy(a, b.abs()),
    "xlogy_number_self": lambda a, b: fg.xlogy(2.5, b.abs()) * a,
    "xlogy_number_other": lambda a, b: fg.xlogy(a, 2.5) * b,
    "fmax": lambda a, b: fg.fmax(a, b),
    "fmin": lambda a, b: fg.fmin(a, b),
    "float_power": lambda a, b: fg.float_power(a.abs(), b),
    "float_power_number": lambda a, b: fg.float_power(a, 3) + fg.float_power(2.0, b),
    "lerp_number": lambda a, b: fg.lerp(a, b, 0.3) + fg.lerp(a, b, 0.8),
    "lerp_tensor": lambda a, b: fg.lerp(a, b, a * b),
    "lerp_broadcast": lambda a, b: fg.lerp(a.reshape(3, 1), b, b[:1]),
    "clamp_min": lambda a, b: fg.clamp_min(a, b),
    "clamp_max": lambda a, b: fg.clamp_max(a, b),
    "clamp_number": lambda a, b: fg.clamp_min(a, 0.1) + fg.clamp_max(b, 0.1),
}


@pytest.mark.parametrize("name", sorted(BINARY_GRAD))
def test_gradcheck_binary(name):
    # no ties between a and b, no zero of b, no jump of fmod, |a| and |b| away from 0.1
    a = leaf([0.55, -1.3, 1.85])
    b = leaf([1.2, 0.4, -0.75])
    fn = BINARY_GRAD[name]
    assert fg.autograd.gradcheck(fn, (a, b))
    assert fg.autograd.gradgradcheck(fn, (a, b))


def test_binary_gradient_conventions():
    # PyTorch 2.13: fmax/fmin ties and clamp_min/max ties go to the input
    a = leaf([1.0, 2.0, 3.0])
    b = leaf([1.0, NAN, 0.0])
    ga, gb = fg.autograd.grad(fg.fmax(a, b).sum(), (a, b))
    assert ga.tolist() == [1.0, 1.0, 1.0] and gb.tolist() == [0.0, 0.0, 0.0]
    ga, gb = fg.autograd.grad(fg.fmin(b, a).sum(), (a, b))
    assert ga.tolist() == [0.0, 1.0, 0.0] and gb.tolist() == [1.0, 0.0, 1.0]
    c = leaf([1.0, 2.0])
    m = leaf([1.0, 1.0])
    gc, gm = fg.autograd.grad(fg.clamp_min(c, m).sum(), (c, m))
    assert gc.tolist() == [1.0, 1.0] and gm.tolist() == [0.0, 0.0]
    (gc,) = fg.autograd.grad(fg.clamp_max(c, 1.0).sum(), c)
    assert gc.tolist() == [1.0, 0.0]
    # copysign: zero gradient where the input is 0, none for the sign source
    x = leaf([0.0, -2.0, 3.0])
    s = leaf([-1.0, 1.0, -1.0])
    gx, gs = fg.autograd.grad(fg.copysign(x, s).sum(), (x, s))
    assert gx.tolist() == [0.0, -1.0, -1.0] and gs.tolist() == [0.0, 0.0, 0.0]
    # xlogy: d/dx is log(y), taken as 0 where x == 0 and y <= 0
    x = leaf([0.0, 2.0, 0.0, 0.0])
    y = leaf([3.0, 3.0, 0.0, -1.0])
    gx, gy = fg.autograd.grad(fg.xlogy(x, y).sum(), (x, y))
    assert gx.tolist() == [pytest.approx(math.log(3), rel=1e-15)] * 2 + [0.0, 0.0]
    assert gy.tolist()[:2] == [0.0, pytest.approx(2 / 3, rel=1e-15)]
    # broadcast gradients are reduced and cast back
    f = fg.tensor([[0.5], [1.5]], requires_grad=True)
    g = leaf([0.7, 0.2, -0.4])
    fg.atan2(f, g).sum().backward()
    assert f.grad.shape == (2, 1) and f.grad.dtype == fg.float32
    assert g.grad.shape == (3,) and g.grad.dtype == D


# ---- lerp ------------------------------------------------------------------------


def test_lerp_values_and_dtypes():
    a = fg.tensor([1.0, 2.0])
    b = fg.tensor([3.0, 5.0])
    assert fg.lerp(a, b, 0.5).tolist() == [2.0, 3.5]
    assert a.lerp(b, fg.tensor([0.0, 1.0])).tolist() == [1.0, 5.0]
    assert fg.lerp(a, b, 2).tolist() == [5.0, 8.0]
    # PyTorch 2.13: the two formulas meet at 0.5
    assert fg.lerp(a, fg.tensor([[1.0], [2.0]]), fg.tensor([0.2, 0.9])).tolist() == [
        [1.0, 1.100000023841858],
        [1.2000000476837158, 2.0],
    ]
    assert fg.lerp(fg.tensor([1.0, INF]), fg.tensor([2.0, 3.0]), fg.tensor([0.2, 0.9])).tolist() == [
        1.2000000476837158,
        INF,
    ]
    assert all(math.isnan(v) for v in fg.lerp(a, b, NAN).tolist())
    # a 0-dim weight of another dtype is accepted
    assert fg.lerp(a.double(), b.double(), fg.tensor(0.5)).tolist() == [2.0, 3.5]
    assert fg.lerp(a, b, fg.tensor(1)).tolist() == [3.0, 5.0]
    x = fg.tensor([1.0, 2.0])
    assert x.lerp_(b, 0.25) is x and x.tolist() == [1.5, 2.75]


def test_lerp_errors():
    a = fg.tensor([1.0, 2.0])
    b = fg.tensor([3.0, 5.0])
    with pytest.raises(RuntimeError, match="expected dtype float for `end` but got dtype double"):
        fg.lerp(a, b.double(), 0.5)
    with pytest.raises(RuntimeError, match="expected dtype float for `weight` but got dtype double"):
        fg.lerp(a, b, t64([0.2, 0.3]))
    with pytest.raises(RuntimeError, match="expected dtype float for `weight` but got dtype long int"):
        fg.lerp(a, b, fg.tensor([1, 2]))
    with pytest.raises(NotImplementedError, match="\"lerp_kernel_scalar\" not implemented for 'Long'"):
        fg.lerp(fg.tensor([1, 0]), fg.tensor([2, 1]), 0.5)
    with pytest.raises(NotImplementedError, match="\"lerp_kernel_tensor\" not implemented for 'Long'"):
        fg.lerp(fg.tensor([1, 0]), fg.tensor([2, 1]), fg.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="output with shape \\[1\\] doesn't match the broadcast shape \\[2\\]"):
        fg.tensor([1.0]).lerp_(b, 0.5)
    with pytest.raises(TypeError):
        fg.lerp(a, 2.0, 0.5)


def test_lerp_gradients():
    a, b, w = leaf([1.0, 2.0]), leaf([3.0, 5.0]), leaf([0.25, 0.75])
    ga, gb, gw = fg.autograd.grad(fg.lerp(a, b, w).sum(), (a, b, w))
    assert ga.tolist() == [0.75, 0.25] and gb.tolist() == [0.25, 0.75] and gw.tolist() == [2.0, 3.0]
    w0 = fg.tensor(0.5, dtype=fg.float32, requires_grad=True)
    (gw0,) = fg.autograd.grad(fg.lerp(a, b, w0).sum(), (w0,))
    assert gw0.dtype == fg.float32 and gw0.shape == () and gw0.item() == 5.0


# ---- float_power in place, copysign/fmod/xlogy/atan2 in place --------------------


def test_binary_inplace():
    x = t64([2.0, 3.0])
    assert x.float_power_(2) is x and x.tolist() == [4.0, 9.0]
    with pytest.raises(
        RuntimeError,
        match="the base given to float_power_ has dtype Float but the operation's result requires dtype Double",
    ):
        fg.tensor([1.0]).float_power_(2)
    with pytest.raises(RuntimeError, match="has dtype Long but"):
        fg.tensor([1]).float_power_(2)
    y = fg.tensor([5.0, -5.0])
    y.fmod_(3)
    assert y.tolist() == [2.0, -2.0]
    y.copysign_(fg.tensor([-1.0, 1.0]))
    assert y.tolist() == [-2.0, 2.0]
    y.atan2_(fg.tensor([1.0, 1.0]))
    assert y.tolist() == pytest.approx([math.atan2(-2, 1), math.atan2(2, 1)], rel=1e-6)
    y.arctan2_(fg.tensor([1.0, 1.0]))
    z = fg.tensor([3.0, 4.0])
    z.hypot_(fg.tensor([4.0, 3.0]))
    assert z.tolist() == [5.0, 5.0]
    z.xlogy_(2)
    assert z.tolist() == pytest.approx([5 * math.log(2)] * 2, rel=1e-6)
    z.clamp_min_(4.0)
    z.clamp_max_(fg.tensor([3.5, 10.0]))
    assert z.tolist() == [3.5, 4.0]
    i = fg.tensor([7, -7])
    i.fmod_(4)
    assert i.tolist() == [3, -3]
    with pytest.raises(RuntimeError):
        fg.tensor([1, 2]).atan2_(fg.tensor([1, 1]))
    leaf_ = leaf([1.0])
    w = leaf_ * 1
    w.fmod_(0.3)
    assert type(w.grad_fn).__name__ == "FmodBackward0"
    for name in ["logaddexp_", "fmax_", "fmin_"]:
        assert not hasattr(fg.tensor([1.0]), name)


# ---- clamp_min / clamp_max -------------------------------------------------------


def test_clamp_min_max_values():
    x = fg.tensor([0.5, 1.5, NAN])
    assert fg.clamp_min(x, 1.0).tolist()[:2] == [1.0, 1.5]
    assert math.isnan(fg.clamp_min(x, 1.0).tolist()[2])
    assert x.clamp_max(1.0).tolist()[:2] == [0.5, 1.0]
    assert fg.clamp_min(x, fg.tensor([0.7, 0.2, 0.0])).tolist()[:2] == [0.699999988079071, 1.5]
    out = fg.clamp_min(fg.tensor([1, 2]), 1.5)
    assert out.dtype == fg.float32 and out.tolist() == [1.5, 2.0]
    assert fg.clamp_max(fg.tensor([1, 5]), 3).tolist() == [1, 3]
    with pytest.raises(TypeError):
        fg.clamp_min(x, None)
    # bool tensors compute in the promoted dtype (PyTorch 2.13)
    b = fg.tensor([True, False, True, False])
    assert fg.clamp_min(b, 2).tolist() == [2, 2, 2, 2] and fg.clamp_min(b, 2).dtype == fg.int64
    assert fg.clamp_max(b, 2.5).dtype == fg.float32
    assert fg.clamp_max(b, fg.tensor([False, True, False, True])).tolist() == [False, False, False, False]
    assert fg.clamp_min(b, fg.tensor([1.5, -2.0, 0.5, 3.0])).tolist() == [1.5, 0.0, 1.0, 3.0]


# ---- tests of values -------------------------------------------------------------

SPECIAL = [1.0, -0.0, 0.0, -2.5, NAN, INF, -INF]


@pytest.mark.parametrize(
    "name,ref",
    [
        ("isinf", np.isinf),
        ("isfinite", np.isfinite),
        ("isposinf", np.isposinf),
        ("isneginf", np.isneginf),
        ("isreal", np.isreal),
        ("signbit", np.signbit),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_value_tests_floats(name, ref, dtype):
    t = fg.tensor(SPECIAL, dtype=getattr(fg, dtype))
    out = getattr(fg, name)(t)
    assert out.dtype == fg.bool
    assert out.tolist() == ref(np.array(SPECIAL)).tolist()
    assert getattr(t, name)().tolist() == out.tolist()
    assert not out.requires_grad


def test_value_tests_integers_and_bools():
    i = fg.tensor([-1, 0, 3])
    assert fg.isinf(i).tolist() == [False] * 3
    assert fg.isfinite(i).tolist() == [True] * 3
    assert fg.isposinf(i).tolist() == [False] * 3
    assert fg.isreal(i).tolist() == [True] * 3
    assert fg.signbit(i).tolist() == [True, False, False]
    b = fg.tensor([True, False])
    assert fg.signbit(b).tolist() == [False, False]
    assert fg.isfinite(b).tolist() == [True, True]
    assert fg.isneginf(b).tolist() == [False, False]
    # NaN's sign bit as created by PyTorch is clear
    assert fg.signbit(fg.tensor([NAN])).tolist() == [False]


def test_nan_to_num():
    x = fg.tensor([NAN, INF, -INF, 1.0])
    assert fg.nan_to_num(x).tolist() == [0.0, 3.4028234663852886e38, -3.4028234663852886e38, 1.0]
    x64 = t64([NAN, INF, -INF, 1.0])
    assert fg.nan_to_num(x64).tolist() == [0.0, 1.7976931348623157e308, -1.7976931348623157e308, 1.0]
    assert fg.nan_to_num(x, nan=2.0, posinf=3, neginf=-4).tolist() == [2.0, 3.0, -4.0, 1.0]
    assert x.nan_to_num(posinf=1e300).tolist()[1] == INF  # rounds to float32
    out = fg.nan_to_num(fg.tensor([1, 2]), nan=1.5)
    assert out.dtype == fg.int64 and out.tolist() == [1, 2]
    assert fg.nan_to_num(fg.tensor([True])).tolist() == [True]
    y = fg.tensor([NAN, 2.0])
    assert y.nan_to_num_(nan=-1.0) is y and y.tolist() == [-1.0, 2.0]
    g = leaf([NAN, INF, -INF, 1.5])
    out = fg.nan_to_num(g)
    assert type(out.grad_fn).__name__ == "NanToNumBackward0"
    out.sum().backward()
    assert g.grad.tolist() == [0.0, 0.0, 0.0, 1.0]


# ---- positive, fix, square -------------------------------------------------------


def test_positive_fix_square():
    x = fg.tensor([1.5, -2.5], requires_grad=True)
    assert fg.positive(x) is x
    assert x.positive() is x
    with pytest.raises(RuntimeError, match="The `\\+` operator, on a bool tensor is not supported."):
        fg.positive(fg.tensor([True]))
    assert fg.fix(x).tolist() == [1.0, -2.0]
    assert x.fix().tolist() == [1.0, -2.0]
    assert type(fg.square(x).grad_fn).__name__ == "PowBackward0"
    assert fg.square(fg.tensor([True])).dtype == fg.int64
    t = fg.tensor([1.7, -2.5])
    t.fix_()
    assert t.tolist() == [1.0, -2.0]
    t = fg.tensor([1.7, -2.5])
    t.trunc_()
    assert t.tolist() == [1.0, -2.0]


# ---- PyTorch's conventions at edges ----------------------------------------------


def test_edge_conventions():
    # fmax/fmin keep the input on ties, signed zeros included (PyTorch 2.13)
    assert np.signbit(values(fg.fmax(fg.tensor([-0.0]), fg.tensor([0.0])))).tolist() == [True]
    assert np.signbit(values(fg.fmin(fg.tensor([0.0]), fg.tensor([-0.0])))).tolist() == [False]
    # atan2's gradient is 0 where both operands are 0
    x, y = leaf([0.0, -0.0, 1.0]), leaf([0.0, -0.0, -1.0])
    gx, gy = fg.autograd.grad(fg.atan2(x, y).sum(), (x, y))
    assert gx.tolist() == [0.0, 0.0, -0.5] and gy.tolist() == [0.0, 0.0, -0.5]
    assert np.signbit(values(gx)).tolist() == [False, True, True]
    # logaddexp2(a, a) = a + 1 up to rounding of 1/ln 2, as in PyTorch
    assert fg.logaddexp2(fg.tensor([-1.0]), fg.tensor([-1.0])).tolist() == [-1.0601922895148164e-08]
    assert fg.logaddexp2(t64([-1.0]), t64([-1.0])).tolist() == [-4.756597398230631e-17]
    # lerp is fused (PyTorch's vectorized kernel): no rounding of weight * (end - start)
    a = fg.tensor(np.array([0.1, 1e8], dtype=np.float32))
    b = fg.tensor(np.array([0.3, -1e8], dtype=np.float32))
    assert fg.lerp(a, b, 0.3).tolist() == [0.1600000113248825, 39999996.0]
    assert fg.lerp(a, b, 0.7).tolist() == [0.24000000953674316, -39999996.0]
    # copysign takes the sign bit of NaN too
    assert fg.copysign(fg.tensor([1.0, 1.0]), fg.tensor([NAN, -NAN])).tolist() == [1.0, -1.0]


def test_saved_tensors_as_pytorch():
    """Only what a gradient formula reads is saved: modifying anything else in place
    leaves the backward working; modifying a saved tensor is an error."""
    modified = "one of the variables needed for gradient computation has been modified by an inplace operation"
    a, b = leaf([0.5, 1.5]), leaf([0.7, -1.2])
    y = fg.atan2(a, b)
    y.mul_(2)  # atan2 saves its inputs, not its result
    y.sum().backward()
    c = a * 1
    z = fg.fmod(c, 0.4)
    c.add_(1)  # a number divisor: nothing saved
    z.sum().backward()
    c = a * 1
    w = fg.lerp(c, b * 1, 0.3)
    c.add_(1)  # a number weight: nothing saved
    w.sum().backward()
    c = a * 0.5
    e = fg.erfinv(c)
    e.add_(1)  # erfinv saves its input
    e.sum().backward()
    c = a * 0.5
    e = fg.erfinv(c)
    c.add_(1)
    with pytest.raises(RuntimeError, match=modified):
        e.sum().backward()
    h = fg.hypot(a, b)
    h.mul_(2)  # hypot saves its result
    with pytest.raises(RuntimeError, match=modified):
        h.sum().backward()
    c = a * 1
    z = fg.fmod(c, b)
    c.add_(1)  # a tensor divisor: both saved
    with pytest.raises(RuntimeError, match=modified):
        z.sum().backward()
