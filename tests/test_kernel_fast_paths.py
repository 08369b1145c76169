"""Values of the SIMD elementwise paths (issue 5) against NumPy / math, on contiguous,
misaligned, strided and transposed inputs; special values as PyTorch gives them."""

import math

import ferrograd as fg
import numpy as np
import pytest

NAN = float("nan")
INF = float("inf")


def _inputs(n=1000, seed=0, scale=10.0):
    rs = np.random.RandomState(seed)
    x = (rs.randn(n) * scale).astype(np.float32)
    x[::7] = np.round(x[::7]) + 0.5  # ties for round()
    x[:12] = [0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, INF, -INF, NAN, 8388607.5, -1e-30]
    return x


def _same(got, want):
    got = np.asarray(got)
    assert got.dtype == want.dtype
    assert got.shape == want.shape
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    ok = ~np.isnan(want)
    assert np.array_equal(got[ok], want[ok])
    # signed zeros kept
    assert np.array_equal(np.signbit(got[ok]), np.signbit(want[ok]))


ROUNDING = [
    ("floor", np.floor),
    ("ceil", np.ceil),
    ("trunc", np.trunc),
    ("round", np.round),  # half to even, as PyTorch
    ("frac", lambda a: a - np.trunc(a)),
]


@pytest.mark.parametrize("name,ref", ROUNDING)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rounding_matches_numpy_for_every_length_and_offset(name, ref, dtype):
    x = _inputs(80).astype(dtype)
    with np.errstate(invalid="ignore"):
        for n in (0, 1, 7, 8, 15, 16, 17, 33, 67):
            for off in (0, 1, 3):
                t = fg.tensor(x)[off : off + n]
                _same(getattr(t, name)().numpy(), ref(x[off : off + n]))


@pytest.mark.parametrize("name,ref", ROUNDING)
def test_rounding_of_strided_and_transposed_inputs(name, ref):
    x = _inputs(600).reshape(20, 30)
    t = fg.tensor(x)
    with np.errstate(invalid="ignore"):
        _same(getattr(t[:, ::3], name)().numpy(), ref(x[:, ::3]))
        out = getattr(t.t(), name)()
        assert out.stride() == (1, 30)  # the transposed layout is kept, as in PyTorch
        _same(out.numpy(), ref(x.T))


def test_sqrt_and_pow_by_roots_and_reciprocals():
    x = np.array([4.0, 2.0, 0.0, -0.0, -1.0, INF, -INF, NAN, 1e-40], dtype=np.float32)
    t = fg.tensor(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        _same(t.sqrt().numpy(), np.sqrt(x))
        # PyTorch computes these powers as sqrt, 1/sqrt, 1/x and 1/(x*x)
        _same((t**0.5).numpy(), np.sqrt(x))
        _same((t**-0.5).numpy(), (np.float32(1) / np.sqrt(x)).astype(np.float32))
        _same((t**-1).numpy(), (np.float32(1) / x).astype(np.float32))
        _same((t**-2).numpy(), (np.float32(1) / (x * x)).astype(np.float32))
    assert (fg.tensor([-0.0]) ** 0.5).tolist() == [-0.0]
    assert math.copysign(1.0, (fg.tensor([-0.0]) ** 0.5).item()) == -1.0
    assert math.isnan((fg.tensor([-INF]) ** 0.5).item())
    assert (fg.tensor([-0.0]) ** -0.5).item() == -INF
    assert (fg.tensor([1, 4]) ** 0.5).tolist() == [1.0, 2.0]
    h = fg.tensor([1.0, 4.0], dtype=fg.float16) ** 0.5
    assert h.dtype == fg.float16 and h.tolist() == [1.0, 2.0]


def test_pow_half_keeps_gradient():
    x = fg.tensor([4.0, 9.0], requires_grad=True)
    y = x**0.5
    assert y.grad_fn.name() == "PowBackward0"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.25, 1.0 / 6.0], rtol=1e-6)


def _ulps(got, want64):
    want = want64.astype(np.float32)
    a = got.view(np.int32).astype(np.int64)
    b = want.view(np.int32).astype(np.int64)
    a = np.where(a < 0, np.int64(-(2**31)) - a, a)
    b = np.where(b < 0, np.int64(-(2**31)) - b, b)
    return np.abs(a - b)


TRIG = [
    ("sin", np.sin, 1e4),
    ("cos", np.cos, 1e4),
    ("tan", np.tan, 100.0),
    ("atan", np.arctan, 100.0),
    ("asin", np.arcsin, 0.5),
    ("acos", np.arccos, 0.5),
    ("erf", np.vectorize(math.erf), 2.0),
]


@pytest.mark.parametrize("name,ref,scale", TRIG)
def test_vectorized_math_within_one_ulp_of_float64(name, ref, scale):
    rs = np.random.RandomState(1)
    x = (rs.randn(5000) * scale).astype(np.float32)
    x = np.concatenate([x, np.float32([0.0, 1e-30, 3.0e7, 1e30, -7.5e5, 1.0, -1.0])])
    x = x[(np.abs(x) <= 1) | (name not in ("asin", "acos"))]
    got = getattr(fg.tensor(x), name)().numpy()
    assert got.dtype == np.float32
    assert _ulps(got, ref(x.astype(np.float64))).max() <= 1


@pytest.mark.parametrize("name,ref,scale", TRIG)
def test_vectorized_math_special_values_and_layouts(name, ref, scale):
    x = np.float32([0.0, -0.0, INF, -INF, NAN, 2.0, -2.0])
    with np.errstate(invalid="ignore"):
        want = ref(x.astype(np.float64)).astype(np.float32)
    got = getattr(fg.tensor(x), name)().numpy()
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    ok = ~np.isnan(want)
    assert np.array_equal(got[ok], want[ok])
    assert np.array_equal(np.signbit(got[:2]), np.signbit(want[:2]))
    m = (np.arange(60, dtype=np.float32).reshape(6, 10) - 30) / 31
    t = fg.tensor(m)
    out = getattr(t.t(), name)()
    assert out.stride() == (1, 10)
    assert _ulps(out.numpy(), ref(m.T.astype(np.float64))).max() <= 1
    assert _ulps(getattr(t[:, 1::3], name)().numpy(), ref(m[:, 1::3].astype(np.float64))).max() <= 1


def test_clamp_bounds_and_nan():
    t = fg.tensor([1.0, NAN, 3.0, -0.0, 0.0])
    assert np.isnan(t.clamp(min=NAN).numpy()).all()
    assert np.isnan(t.clamp(max=NAN).numpy()).all()
    # min > max gives max; NaN elements stay NaN (PyTorch)
    got = t.clamp(min=2.0, max=1.0).numpy()
    assert got[0] == 1.0 and np.isnan(got[1]) and got[2] == 1.0
    z = fg.tensor([-0.0]).clamp(min=0.0, max=0.0)
    assert math.copysign(1.0, z.item()) == -1.0  # an element equal to a bound is kept
    x = _inputs(1003)
    for lo, hi in ((-0.5, 0.5), (None, 2.0), (-3.0, None)):
        got = fg.tensor(x).clamp(lo, hi).numpy()
        want = x.copy()
        if lo is not None:
            want = np.where(want < lo, np.float32(lo), want)
        if hi is not None:
            want = np.where(want > hi, np.float32(hi), want)
        _same(got, want)
    xd = x.astype(np.float64)
    _same(fg.tensor(xd).clamp(-0.1, 0.1).numpy(), np.where(xd < -0.1, -0.1, np.where(xd > 0.1, 0.1, xd)))


def test_maximum_minimum_propagate_nan():
    a = fg.tensor([1.0, NAN, 3.0, -0.0])
    b = fg.tensor([NAN, 2.0, 3.0, 5.0])
    mx, mn = fg.maximum(a, b).numpy(), fg.minimum(a, b).numpy()
    assert np.isnan(mx[:2]).all() and np.isnan(mn[:2]).all()
    assert mx[2:].tolist() == [3.0, 5.0] and mn[2:].tolist() == [3.0, -0.0]
    x = _inputs(1000).reshape(40, 25)
    y = np.flipud(x).copy()
    with np.errstate(invalid="ignore"):
        _same(fg.maximum(fg.tensor(x), fg.tensor(y)).numpy(), np.maximum(x, y))
        _same(fg.minimum(fg.tensor(x), fg.tensor(y)).numpy(), np.minimum(x, y))
        sq = x[:25, :25]
        _same(fg.maximum(fg.tensor(sq), fg.tensor(sq).t()).numpy(), np.maximum(sq, sq.T))


@pytest.mark.parametrize("op", ["__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__"])
def test_comparisons_with_nan_numbers_and_broadcast(op):
    x = _inputs(131)
    y = np.roll(x, 5)
    ref = getattr(np.ndarray, op)
    with np.errstate(invalid="ignore"):
        assert np.array_equal(getattr(fg.tensor(x), op)(fg.tensor(y)).numpy(), ref(x, y))
        assert np.array_equal(getattr(fg.tensor(x), op)(0).numpy(), ref(x, np.float32(0)))
        assert np.array_equal(getattr(fg.tensor(x), op)(NAN).numpy(), ref(x, np.float32(NAN)))
        m = x[:121].reshape(11, 11)
        got = getattr(fg.tensor(m), op)(fg.tensor(m[0]))
        assert got.dtype == fg.bool
        assert np.array_equal(got.numpy(), ref(m, m[0]))
        assert np.array_equal(getattr(fg.tensor(m).t(), op)(fg.tensor(m)).numpy(), ref(m.T, m))
        assert np.array_equal(getattr(fg.tensor(x)[1:], op)(fg.tensor(y)[1:]).numpy(), ref(x[1:], y[1:]))
    assert np.array_equal(getattr(fg.tensor([1, 5, -3]), op)(2).numpy(), ref(np.array([1, 5, -3]), 2))


def test_isnan_fast_path():
    x = _inputs(100)
    assert np.array_equal(fg.tensor(x).isnan().numpy(), np.isnan(x))
    assert np.array_equal(fg.tensor(x.astype(np.float64)).isnan().numpy(), np.isnan(x))


def test_lerp_number_and_tensor_weights():
    rs = np.random.RandomState(2)
    a = rs.randn(257).astype(np.float32)
    e = rs.randn(257).astype(np.float32)
    w = rs.rand(257).astype(np.float32)

    def ref(a, e, w):
        a, e, w = (np.asarray(v, np.float64) for v in (a, e, w))
        return np.where(np.abs(w) < 0.5, a + w * (e - a), e - (e - a) * (1 - w))

    np.testing.assert_allclose(fg.lerp(fg.tensor(a), fg.tensor(e), 0.3).numpy(), ref(a, e, 0.3), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(fg.lerp(fg.tensor(a), fg.tensor(e), 0.8).numpy(), ref(a, e, 0.8), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(
        fg.lerp(fg.tensor(a), fg.tensor(e), fg.tensor(w)).numpy(), ref(a, e, w), rtol=1e-6, atol=1e-7
    )
    # the end point itself at weight 1, exactly
    assert np.array_equal(fg.lerp(fg.tensor(a), fg.tensor(e), 1.0).numpy(), e)
    m = a[:256].reshape(16, 16)
    out = fg.lerp(fg.tensor(m).t(), fg.tensor(m), 0.25)
    np.testing.assert_allclose(out.numpy(), ref(m.T, m, 0.25), rtol=1e-6, atol=1e-7)


def test_addcmul_addcdiv_fused():
    rs = np.random.RandomState(3)
    x, a, b = (rs.randn(3, 1001).astype(np.float32))
    got = fg.addcmul(fg.tensor(x), fg.tensor(a), fg.tensor(b)).numpy()
    # rounded once: float64 product-sum rounded to float32
    want = (x.astype(np.float64) + a.astype(np.float64) * b.astype(np.float64)).astype(np.float32)
    assert np.array_equal(got, want)
    got = fg.addcmul(fg.tensor(x), fg.tensor(a), fg.tensor(b), value=0.5).numpy()
    np.testing.assert_allclose(got, x + 0.5 * a * b, rtol=1e-6, atol=1e-6)
    got = fg.addcdiv(fg.tensor(x), fg.tensor(a), fg.tensor(b) + 3.0).numpy()
    np.testing.assert_allclose(got, x + a / (b + 3.0), rtol=1e-5, atol=1e-5)
    m = x[:1000].reshape(10, 100)
    got = fg.addcmul(fg.tensor(m), fg.tensor(m).t().t(), fg.tensor(m[0])).numpy()
    np.testing.assert_allclose(got, m + m * m[0], rtol=1e-6, atol=1e-6)


def _bf16_bits(x):
    b = x.astype(np.float32).view(np.uint32).astype(np.uint64)
    r = (b + 0x7FFF + ((b >> 16) & 1)) >> 16
    return (r << 16).astype(np.uint32).view(np.float32)


def test_half_and_bfloat16_casts_round_to_nearest_even():
    x = np.float32([1.00390625, 1.01171875, 65520.0, 65519.0, 1e-8, 6e-8, -0.0, INF, 3.0e38, -3.5e38])
    x = np.concatenate([x, _inputs(1002)[12:]])
    h = fg.tensor(x).half()
    assert h.dtype == fg.float16
    with np.errstate(over="ignore"):
        _same(h.float().numpy(), x.astype(np.float16).astype(np.float32))
    b = fg.tensor(x).to(fg.bfloat16).float().numpy()
    assert b[:6].tolist() == [1.0, 1.015625, 65536.0, 65536.0, 1.0011717677116394e-08, 6.007030606269836e-08]
    assert b[9] == -INF  # rounds past the largest bfloat16
    fin = np.isfinite(x)
    assert np.array_equal(b[fin & (np.abs(x) < 3e38)], _bf16_bits(x)[fin & (np.abs(x) < 3e38)])
    t = fg.tensor(x.reshape(-1)[:1000].reshape(20, 50)).t()
    assert t.half().stride() == (1, 50)
    with np.errstate(over="ignore"):
        assert np.array_equal(t.half().float().numpy(), x[:1000].reshape(20, 50).T.astype(np.float16).astype(np.float32))


def test_float_to_int_casts_as_pytorch_on_x86():
    t = fg.tensor([NAN, 1e10, -1e10, INF, -3.7, 2.5])
    assert t.int().tolist() == [-2147483648, -2147483648, -2147483648, -2147483648, -3, 2]
    t = fg.tensor([NAN, 1e20, -1e20, INF, -3.7])
    assert t.long().tolist() == [-(2**63), -(2**63), -(2**63), -(2**63), -3]
    assert fg.tensor([NAN, 1e20, -1e20, INF, -3.7]).to(fg.int16).tolist() == [0, 0, 0, 0, -3]
    x = _inputs(1000)
    fin = np.isfinite(x) & (np.abs(x) < 2**31)
    assert np.array_equal(fg.tensor(x[fin]).int().numpy(), x[fin].astype(np.int32))
    assert np.array_equal(fg.tensor(x[fin]).long().numpy(), x[fin].astype(np.int64))
    i = np.arange(-500, 500, dtype=np.int64) * 12345
    assert np.array_equal(fg.tensor(i).float().numpy(), i.astype(np.float32))
    _same(fg.tensor(x).double().numpy(), x.astype(np.float64))
    _same(fg.tensor(x.astype(np.float64)).float().numpy(), x)
