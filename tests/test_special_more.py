"""`torch.special`'s Bessel and Airy functions and orthogonal polynomials: values
against PyTorch 2.13's, recorded by tests/data/record_special_more.py over the points
of tests/data/special_more_cases.py (dense samples, branch points, 0, negatives, huge
magnitudes, inf, nan), within 2 ulp in float64 and float32; dtypes, broadcasting of
(x, n), Python numbers, out=, errors, and the functions being non-differentiable."""

import json
import os
import sys
import warnings

import numpy as np
import pytest
from backend import IS_TORCH, fg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
import special_more_cases as cases

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "special_more_expected.json")) as _f:
    EXPECTED = json.load(_f)

NP_DTYPES = {"float64": np.float64, "float32": np.float32}


def ulp_distance(actual, expected, dt: str) -> np.ndarray:
    """Ulps between two float arrays of `dt` (0 where both are NaN, huge where one is)."""
    a = np.ascontiguousarray(actual, dtype=NP_DTYPES[dt])
    e = np.ascontiguousarray(expected, dtype=NP_DTYPES[dt])
    ints = np.int64 if dt == "float64" else np.int32
    ia, ie = a.view(ints).astype(np.int64), e.view(ints).astype(np.int64)
    sign_mask = np.int64(np.iinfo(ints).max)
    # a monotonic integer line: negative floats mirrored below zero
    ia = np.where(ia < 0, -(ia & sign_mask), ia)
    ie = np.where(ie < 0, -(ie & sign_mask), ie)
    d = np.abs(ia - ie).astype(np.float64)
    nan_a, nan_e = np.isnan(a), np.isnan(e)
    d[nan_a & nan_e] = 0
    d[nan_a ^ nan_e] = np.inf
    return d


def assert_within_ulps(actual, expected, dt: str, ulps: int = 2) -> None:
    d = ulp_distance(actual, expected, dt)
    bad = np.flatnonzero(d > ulps)
    assert bad.size == 0, (
        f"{bad.size} values off by more than {ulps} ulp, e.g. at flat index {bad[:5].tolist()}: "
        f"got {np.asarray(actual).ravel()[bad[:5]].tolist()}, want {np.asarray(expected).ravel()[bad[:5]].tolist()}"
    )


@pytest.mark.parametrize("dt", cases.DTYPES)
@pytest.mark.parametrize("name", cases.UNARY)
def test_unary_values_match_pytorch(name, dt):
    x = fg.tensor(cases.unary_points(), dtype=getattr(fg, dt))
    r = getattr(fg.special, name)(x)
    assert r.dtype == getattr(fg, dt)
    # the recorded values are PyTorch's on an AVX-512 machine; PyTorch's own float64
    # results on an AVX2-only one differ from them by up to ~1e-13 relative at large x
    assert_within_ulps(r.numpy(), EXPECTED[f"{name}/{dt}"], dt, ulps=8192 if dt == "float64" else 2)


@pytest.mark.parametrize("dt", cases.DTYPES)
@pytest.mark.parametrize("name", cases.POLYNOMIALS)
def test_polynomial_values_match_pytorch(name, dt):
    dtype = getattr(fg, dt)
    xs = fg.tensor(cases.polynomial_points(), dtype=dtype)[:, None]
    ns = fg.tensor(cases.DEGREES, dtype=dtype)[None, :]
    r = getattr(fg.special, name)(xs, ns)
    assert tuple(r.shape) == (len(cases.polynomial_points()), len(cases.DEGREES))
    assert r.dtype == dtype
    assert_within_ulps(r.numpy(), EXPECTED[f"{name}/{dt}"], dt)


def test_table_values():
    # Abramowitz & Stegun tables 9.1, 9.8, 10.4, 10.1
    x = fg.tensor([1.0], dtype=fg.float64)
    S = fg.special
    expected = {
        S.bessel_j0: 0.7651976865579666, S.bessel_j1: 0.4400505857449335, S.bessel_y0: 0.08825696421567696,
        S.bessel_y1: -0.7812128213002887, S.modified_bessel_i0: 1.2660658777520082,
        S.modified_bessel_i1: 0.5651591039924851, S.modified_bessel_k0: 0.42102443824070834,
        S.modified_bessel_k1: 0.6019072301972346, S.airy_ai: 0.1352924163128814,
        S.spherical_bessel_j0: 0.8414709848078965,
    }
    for f, want in expected.items():
        assert abs(f(x).item() - want) <= 4e-16, f.__name__


def test_polynomials_small_degrees_are_the_explicit_polynomials():
    x = np.linspace(-0.9, 0.9, 7)
    t = fg.tensor(x, dtype=fg.float64)
    S = fg.special
    closed = {
        S.chebyshev_polynomial_t: 4 * x**3 - 3 * x, S.chebyshev_polynomial_u: 8 * x**3 - 4 * x,
        S.hermite_polynomial_h: 8 * x**3 - 12 * x, S.hermite_polynomial_he: x**3 - 3 * x,
        S.legendre_polynomial_p: (5 * x**3 - 3 * x) / 2, S.laguerre_polynomial_l: (-x**3 + 9 * x**2 - 18 * x + 6) / 6,
    }
    for f, want in closed.items():
        np.testing.assert_allclose(f(t, 3).numpy(), want, rtol=1e-13, atol=1e-14, err_msg=f.__name__)


@pytest.mark.parametrize("src", ["int64", "int32", "int16", "int8", "uint8", "bool"])
def test_integer_and_bool_inputs_compute_in_the_default_float_dtype(src):
    x = fg.tensor([0, 1, 1], dtype=getattr(fg, src))
    assert fg.special.bessel_j0(x).dtype == fg.float32
    assert fg.special.modified_bessel_k1(x).dtype == fg.float32
    r = fg.special.legendre_polynomial_p(x, fg.tensor([2], dtype=getattr(fg, src)))
    assert r.dtype == fg.float32
    np.testing.assert_allclose(fg.special.bessel_j0(x).numpy(), [1.0, 0.7651977, 0.7651977], rtol=1e-6)


def test_integer_inputs_follow_a_float64_default_dtype():
    old = fg.get_default_dtype()
    fg.set_default_dtype(fg.float64)
    try:
        assert fg.special.bessel_y0(fg.tensor([1, 2])).dtype == fg.float64
        assert fg.special.hermite_polynomial_h(fg.tensor([1, 2]), 3).dtype == fg.float64
    finally:
        fg.set_default_dtype(old)


@pytest.mark.parametrize("half", ["float16", "bfloat16"])
@pytest.mark.parametrize("name", cases.UNARY + cases.POLYNOMIALS)
def test_half_types_are_not_implemented(name, half):
    x = fg.tensor([0.5, 1.0], dtype=getattr(fg, half))
    f = getattr(fg.special, name)
    kernel = {"float16": "Half", "bfloat16": "BFloat16"}[half]
    with pytest.raises(NotImplementedError, match=f'"{name}_cpu" not implemented for \'{kernel}\''):
        f(x) if name in cases.UNARY else f(x, 2)


@pytest.mark.parametrize(
    "x_dt,n_dt,want",
    [("float32", "int64", "float32"), ("float32", "float64", "float64"), ("float64", "float32", "float64"),
     ("int64", "int64", "float32"), ("int32", "float32", "float32"), ("bool", "int64", "float32")],
)
def test_polynomial_result_dtype_promotes_x_and_n(x_dt, n_dt, want):
    r = fg.special.chebyshev_polynomial_t(fg.tensor([1, 0], dtype=getattr(fg, x_dt)),
                                          fg.tensor([3], dtype=getattr(fg, n_dt)))
    assert r.dtype == getattr(fg, want)
    assert r.tolist() == [1.0, 0.0]


def test_polynomial_numbers_on_either_side():
    S = fg.special
    x32 = fg.tensor([0.5], dtype=fg.float32)
    assert S.chebyshev_polynomial_t(x32, 3.5).dtype == fg.float32  # a float number keeps float32
    assert S.chebyshev_polynomial_t(x32, 3.5).tolist() == [-1.0]  # 3.5 truncates to 3
    assert S.chebyshev_polynomial_t(x32, True).tolist() == [0.5]
    r = S.hermite_polynomial_he(0.5, fg.tensor([3, 0, -1]))
    assert r.dtype == fg.float32 and r.tolist() == [-1.375, 1.0, 0.0]
    # a 0-dim float64 x does not promote a 1-dim float32 n (PyTorch's category rule)
    r = S.legendre_polynomial_p(fg.tensor(0.5, dtype=fg.float64), fg.tensor([3.0], dtype=fg.float32))
    assert r.dtype == fg.float32 and r.tolist() == [-0.4375]
    assert S.laguerre_polynomial_l(x=fg.tensor([0.5]), n=3).tolist() == pytest.approx([-0.14583333], rel=1e-6)


def test_polynomials_broadcast_x_and_n():
    x = fg.tensor(np.linspace(-0.9, 0.9, 6).reshape(2, 3))
    n = fg.tensor([0.0, 1.0, 2.0, 9.0]).reshape(4, 1, 1)
    r = fg.special.chebyshev_polynomial_t(x, n)
    assert tuple(r.shape) == (4, 2, 3)
    xs = np.linspace(-0.9, 0.9, 6).reshape(2, 3).astype(np.float32)
    np.testing.assert_allclose(r.numpy()[2], 2 * xs * xs - 1, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(r.numpy()[0], np.ones((2, 3)))
    with pytest.raises(RuntimeError, match="must match the size"):
        fg.special.chebyshev_polynomial_t(fg.ones(2, 3), fg.ones(4))


def test_shapes_are_kept():
    x = fg.tensor(np.linspace(0.1, 3, 24).reshape(2, 3, 4))
    for name in cases.UNARY:
        assert tuple(getattr(fg.special, name)(x).shape) == (2, 3, 4)
    assert tuple(fg.special.bessel_j0(fg.tensor(2.0)).shape) == ()
    assert tuple(fg.special.bessel_j0(fg.ones(0, 3)).shape) == (0, 3)
    t = x.transpose(0, 2)
    np.testing.assert_array_equal(fg.special.bessel_j1(t).numpy(), fg.special.bessel_j1(t.contiguous()).numpy())


@pytest.mark.parametrize("name", cases.UNARY)
def test_unary_argument_errors(name):
    f = getattr(fg.special, name)
    arg = "x" if name in ("airy_ai", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1",
                          "spherical_bessel_j0") else "input"
    with pytest.raises(TypeError, match=rf"special_{name}\(\): argument '{arg}' \(position 1\) must be Tensor, not float"):
        f(3.0)
    with pytest.raises(TypeError):
        f(fg.ones(1), fg.ones(1))
    assert f(**{arg: fg.tensor([1.0])}).shape == (1,)


@pytest.mark.parametrize("name", cases.POLYNOMIALS)
def test_polynomial_argument_errors(name):
    f = getattr(fg.special, name)
    with pytest.raises(TypeError, match=rf"special_{name}\(\) received an invalid combination of arguments"):
        f(0.5, 3)
    with pytest.raises(TypeError, match="invalid combination"):
        f("a", fg.ones(1))
    with pytest.raises(TypeError, match="invalid combination"):
        f(fg.ones(1), None)


@pytest.mark.parametrize("name", cases.UNARY + cases.POLYNOMIALS)
def test_results_do_not_require_grad(name):
    x = fg.tensor([0.5, 1.5], dtype=fg.float64, requires_grad=True)
    f = getattr(fg.special, name)
    r = f(x) if name in cases.UNARY else f(x, 3)
    assert r.requires_grad is False
    assert r.grad_fn is None
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        r.sum().backward()


def test_out_argument():
    S = fg.special
    x = fg.tensor([0.5, 1.0])
    out = fg.empty(2, dtype=fg.float64)
    assert S.bessel_j0(x, out=out) is out
    # computed in float32 (the input's dtype), then written into the float64 out
    assert out.tolist() == S.bessel_j0(x).to(fg.float64).tolist()
    out = fg.empty(0)
    S.chebyshev_polynomial_t(x, 3, out=out)
    assert out.tolist() == [-1.0, 1.0]
    half = fg.empty(2, dtype=fg.float16)
    S.bessel_j0(x, out=half)  # a float16 out of a float32 result is fine
    assert half.dtype == fg.float16
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        S.bessel_j0(x, out=fg.empty(2, dtype=fg.int64))
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        S.legendre_polynomial_p(x, 3, out=fg.empty(2, dtype=fg.int64))
    # not differentiable, so an input that requires grad is no reason to refuse out=
    g = fg.tensor([0.5, 1.0], requires_grad=True)
    out = fg.empty(2)
    S.modified_bessel_i0(g, out=out)
    S.hermite_polynomial_h(g, 2, out=out)
    assert out.requires_grad is False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = fg.empty(5)
        S.airy_ai(x, out=out)  # resized from 5 to 2 (with PyTorch's deprecation warning)
    assert tuple(out.shape) == (2,)


def test_special_values():
    S = fg.special
    inf, nan = float("inf"), float("nan")
    x = fg.tensor([0.0, -1.0, inf, -inf, nan], dtype=fg.float64)
    y0 = S.bessel_y0(x).tolist()
    assert y0[0] == -inf and np.isnan(y0[1]) and np.isnan(y0[4])
    k0 = S.modified_bessel_k0(x).tolist()
    assert k0[0] == inf and np.isnan(k0[1])
    assert np.isnan(S.airy_ai(x).tolist()[2]) and np.isnan(S.airy_ai(x).tolist()[3])
    assert S.spherical_bessel_j0(x).tolist()[2:4] == [0.0, 0.0]
    n = fg.tensor([nan, inf, -inf, 1e30, -2.0], dtype=fg.float64)
    assert S.chebyshev_polynomial_t(fg.tensor(0.5, dtype=fg.float64), n).tolist() == [0.0] * 5
    assert np.isnan(S.hermite_polynomial_h(fg.tensor([0.5], dtype=fg.float32), 129).item())
    assert not np.isnan(S.hermite_polynomial_h(fg.tensor([0.5], dtype=fg.float64), 129).item())


def test_module_exposes_every_function():
    for name in cases.UNARY + cases.POLYNOMIALS:
        assert callable(getattr(fg.special, name))
        if not IS_TORCH:
            assert name in fg.special.__all__
