"""Fast paths behind the op-survey rows (session 14): reductions and scans along the
innermost dim, log1p, addcmul, float casts, binary ops with a transposed operand or two
broadcast scalars, full sums of permuted views, layer_norm's backward. Each is checked
against NumPy in float64 (or hard-coded PyTorch results) on odd sizes, non-contiguous
inputs, NaN/inf and keepdim."""

from __future__ import annotations

import ferrograd as fg
import ferrograd.nn.functional as F
import numpy as np
import pytest
from ferrograd.autograd import gradcheck

rs = np.random.RandomState(14)
SIZES = [1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 64, 67]


def f32(*shape: int) -> np.ndarray:
    return rs.randn(*shape).astype(np.float32)


def ulps(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Distance in float32 units in the last place (NaN against NaN is 0)."""
    def ordered(a):
        i = np.asarray(a, np.float32).view(np.int32).astype(np.int64)
        return np.where(i < 0, np.int64(-(2**31)) - i, i)

    got, want = np.asarray(got, np.float32), np.asarray(want, np.float32)
    both_nan = np.isnan(got) & np.isnan(want)
    return np.where(both_nan, 0, np.abs(ordered(got) - ordered(want)))


# ---- softmax / log_softmax along the innermost dim --------------------------------


def np_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("log", [False, True])
def test_softmax_rows_match_float64(n, log):
    x = f32(5, n) * 3
    got = (fg.tensor(x).log_softmax(1) if log else fg.tensor(x).softmax(1)).numpy()
    want = np_softmax(x, 1)
    want = np.log(want) if log else want
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-7)


@pytest.mark.parametrize("log", [False, True])
def test_softmax_backward_rows_match_the_formula(log):
    x, g = f32(6, 37), f32(6, 37)
    t = fg.tensor(x, requires_grad=True)
    y = t.log_softmax(1) if log else t.softmax(1)
    (y * fg.tensor(g)).sum().backward()
    p = np_softmax(x, 1)
    g64 = g.astype(np.float64)
    if log:
        want = g64 - p * g64.sum(1, keepdims=True)
    else:
        want = p * (g64 - (g64 * p).sum(1, keepdims=True))
    np.testing.assert_allclose(t.grad.numpy(), want, rtol=1e-5, atol=1e-6)
    assert y.grad_fn.name() == ("LogSoftmaxBackward0" if log else "SoftmaxBackward0")


@pytest.mark.parametrize("log", [False, True])
def test_softmax_rows_gradcheck_float64(log):
    x = fg.tensor(rs.randn(3, 11), requires_grad=True)
    assert gradcheck(lambda t: t.log_softmax(1) if log else t.softmax(1), (x,))


def test_softmax_rows_with_nan_or_inf_become_nan():
    x = np.array([[1.0, np.nan, 2.0], [1.0, np.inf, 2.0], [1.0, -np.inf, 2.0]], np.float32)
    got = fg.tensor(x).softmax(1).numpy()
    assert np.isnan(got[0]).all() and np.isnan(got[1]).all()
    np.testing.assert_allclose(got[2], np_softmax(x[2:], 1)[0], rtol=1e-6)


def test_softmax_of_a_transposed_input_along_its_last_dim():
    x = f32(23, 19)
    got = fg.tensor(x).t().softmax(1).numpy()
    np.testing.assert_allclose(got, np_softmax(x.T, 1), rtol=2e-6, atol=2e-7)


# ---- max / amax / argmax along the innermost dim ----------------------------------


@pytest.mark.parametrize("n", SIZES)
def test_max_rows_values_and_first_index(n):
    x = np.round(f32(9, n) * 2)  # ties
    t = fg.tensor(x)
    v, i = t.max(1)
    np.testing.assert_array_equal(v.numpy(), x.max(1))
    np.testing.assert_array_equal(i.numpy(), x.argmax(1))
    v, i = t.min(1, keepdim=True)
    np.testing.assert_array_equal(v.numpy(), x.min(1, keepdims=True))
    np.testing.assert_array_equal(i.numpy(), x.argmin(1)[:, None])
    np.testing.assert_array_equal(t.amax(1).numpy(), x.max(1))
    np.testing.assert_array_equal(t.argmax(1).numpy(), x.argmax(1))


@pytest.mark.parametrize("at", [0, 5, 16, 40])
def test_max_rows_nan_wins_at_its_first_position(at):
    x = f32(3, 41)
    x[1, at] = np.nan
    x[1, 40] = np.nan
    x[2, at] = np.inf
    t = fg.tensor(x)
    v, i = t.max(1)
    assert np.isnan(v.numpy()[1]) and i.numpy()[1] == at
    assert v.numpy()[2] == np.inf and i.numpy()[2] == at
    assert np.isnan(t.amax(1).numpy()[1]) and np.isnan(t.amin(1).numpy()[1])
    assert t.argmin(1).numpy()[1] == at


def test_max_rows_of_integers_and_a_strided_view():
    x = rs.randint(-50, 50, (7, 45)).astype(np.int64)
    np.testing.assert_array_equal(fg.tensor(x).amax(1).numpy(), x.max(1))
    y = f32(8, 66)
    np.testing.assert_array_equal(fg.tensor(y)[:, ::3].max(1)[0].numpy(), y[:, ::3].max(1))


# ---- cumsum / cumprod along the innermost dim -------------------------------------


@pytest.mark.parametrize("rows", [0, 1, 7, 8, 9, 17, 67])
@pytest.mark.parametrize("n", [1, 5, 33])
def test_cumsum_cumprod_rows_are_float64_running_values(rows, n):
    x = (f32(rows, n) * 0.5 + 1).astype(np.float32)
    t = fg.tensor(x)
    # float64 running value, each stored rounded to float32
    np.testing.assert_array_equal(t.cumsum(1).numpy(), np.cumsum(x.astype(np.float64), 1).astype(np.float32))
    np.testing.assert_array_equal(t.cumprod(1).numpy(), np.cumprod(x.astype(np.float64), 1).astype(np.float32))


def test_cumsum_rows_of_int64_and_float64_and_nan():
    x = rs.randint(-9, 9, (11, 13)).astype(np.int64)
    np.testing.assert_array_equal(fg.tensor(x).cumsum(1).numpy(), np.cumsum(x, 1))
    d = rs.randn(10, 9)
    np.testing.assert_array_equal(fg.tensor(d).cumprod(1).numpy(), np.cumprod(d, 1))
    y = f32(9, 6)
    y[3, 2] = np.nan
    got = fg.tensor(y).cumsum(1).numpy()
    assert np.isnan(got[3, 2:]).all() and not np.isnan(got[3, :2]).any()
    assert not np.isnan(np.delete(got, 3, 0)).any()


# ---- log1p ----------------------------------------------------------------------------


def test_log1p_within_four_ulp_of_float64():
    x = np.concatenate([
        rs.rand(20001).astype(np.float32) * 2 - 1,
        (rs.randn(20000) * 30).astype(np.float32),
        np.float32(10.0) ** rs.uniform(-30, 30, 20000).astype(np.float32),
        -np.float32(10.0) ** rs.uniform(-30, -0.01, 20000).astype(np.float32),
    ]).astype(np.float32)
    x = x[x > -1]
    got = fg.tensor(x).log1p().numpy()
    assert ulps(got, np.log1p(x.astype(np.float64))).max() <= 4


def test_log1p_special_values():
    x = np.array([-1.0, -0.0, 0.0, np.inf, -np.inf, np.nan, -1.5, 1e-45, -1e-45, 1e-30], np.float32)
    got = fg.tensor(x).log1p().numpy()
    assert got[0] == -np.inf
    assert np.signbit(got[1]) and got[1] == 0 and not np.signbit(got[2])
    assert got[3] == np.inf
    assert np.isnan(got[4:7]).all()
    np.testing.assert_array_equal(got[7:], x[7:])
    np.testing.assert_array_equal(np.signbit(got[7:]), np.signbit(x[7:]))


def test_log1p_of_float64_float16_and_its_gradient():
    d = rs.rand(50) * 3
    np.testing.assert_allclose(fg.tensor(d).log1p().numpy(), np.log1p(d), rtol=1e-15)
    h = fg.tensor(rs.rand(40).astype(np.float16))
    got = h.log1p()
    assert got.dtype == fg.float16
    np.testing.assert_array_equal(got.numpy(), np.log1p(h.numpy().astype(np.float64)).astype(np.float16))
    t = fg.tensor(d, requires_grad=True)
    assert t.log1p().grad_fn.name() == "Log1PBackward0"
    assert gradcheck(lambda v: v.log1p(), (t,))


# ---- addcmul --------------------------------------------------------------------------


def test_addcmul_is_one_rounding_of_the_float64_value():
    a, b, c = f32(33, 35), f32(33, 35), f32(33, 35)
    got = fg.tensor(c).addcmul(fg.tensor(a), fg.tensor(b)).numpy()
    # a * b is exact in float64, so a*b + c rounds once there, and once more to float32
    want = (a.astype(np.float64) * b + c).astype(np.float32)
    assert ulps(got, want).max() <= 1
    got = fg.tensor(c).addcmul(fg.tensor(a), fg.tensor(b), value=0.5).numpy()
    assert ulps(got, (0.5 * a.astype(np.float64) * b + c).astype(np.float32)).max() <= 1


def test_addcmul_keeps_its_gradients():
    ts = [fg.tensor(rs.randn(4, 5), requires_grad=True) for _ in range(3)]
    out = fg.addcmul(*ts, value=2.0)
    assert out.grad_fn.name() == "AddcmulBackward0"
    assert gradcheck(lambda x, a, b: fg.addcmul(x, a, b, value=2.0), tuple(ts))


# ---- casts ----------------------------------------------------------------------------

# PyTorch 2.x on x86: NaN, infinities and out-of-range floats become the integer's MIN
SPECIAL = np.array([np.nan, np.inf, -np.inf, 3e9, -3e9, 2147483520.0, -2147483648.0, -2.7, 2.7, -0.0, 1e20],
                   np.float32)


def test_float_to_int_casts_truncate_and_give_min_out_of_range():
    x = np.concatenate([SPECIAL, f32(45) * 1e6]).astype(np.float32)
    got = fg.tensor(x).int().numpy()
    assert got.dtype == np.int32
    np.testing.assert_array_equal(
        got[:11], [-2147483648, -2147483648, -2147483648, -2147483648, -2147483648, 2147483520, -2147483648,
                   -2, 2, 0, -2147483648])
    np.testing.assert_array_equal(got[11:], np.trunc(x[11:]).astype(np.int32))
    got = fg.tensor(x).long().numpy()
    m = -(2**63)
    np.testing.assert_array_equal(got[:11], [m, m, m, 3000000000, -3000000000, 2147483520, -2147483648, -2, 2, 0, m])
    np.testing.assert_array_equal(fg.tensor(x.astype(np.float64)).long().numpy(), got)
    np.testing.assert_array_equal(got[11:], np.trunc(x[11:]).astype(np.int64))


@pytest.mark.parametrize("n", [1, 7, 8, 9, 67, 1000])
def test_half_matches_numpy_rounding(n):
    x = np.concatenate([f32(n) * 10.0 ** rs.randint(-9, 6, n), [65504.0, 65520.0, 65519.99, 1e-8, 3e-8]])
    x = x.astype(np.float32)
    got = fg.tensor(x).half().numpy()
    with np.errstate(over="ignore"):
        want = x.astype(np.float16)
    np.testing.assert_array_equal(got.view(np.uint16), want.view(np.uint16))
    assert np.isnan(fg.tensor(np.array([np.nan] * 9, np.float32)).half().numpy()).all()


# ---- binary ops on transposed operands and broadcast scalars -------------------------


@pytest.mark.parametrize("shape", [(40, 40), (33, 67), (100, 37), (3, 500)])
def test_binary_op_with_a_transposed_operand(shape):
    x = f32(*shape)
    y = f32(*shape[::-1])
    got = (fg.tensor(y).t() + fg.tensor(x)).numpy()
    np.testing.assert_array_equal(got, y.T + x)
    got = (fg.tensor(x) * fg.tensor(y).t()).numpy()
    np.testing.assert_array_equal(got, x * y.T)
    sq = f32(50, 50)
    np.testing.assert_array_equal((fg.tensor(sq).t() - fg.tensor(sq)).numpy(), sq.T - sq)
    big = f32(70, 90)
    part = fg.tensor(big)[3:, 5:].t()  # an offset and a column stride wider than the shape
    np.testing.assert_array_equal((part + fg.tensor(big[3:, 5:].T.copy())).numpy(), 2 * big[3:, 5:].T)


def test_binary_op_of_two_broadcast_scalars():
    e = fg.tensor(np.float32(1.5)).expand(300, 600)
    got = e[:, :300] + e[:, 300:]
    assert got.shape == (300, 300)
    np.testing.assert_array_equal(got.numpy(), np.full((300, 300), 3.0, np.float32))
    assert got.is_contiguous()


def test_cat_and_permute_backward_give_ones():
    x = fg.tensor(f32(6, 10), requires_grad=True)
    fg.cat([x, x], 1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full((6, 10), 2.0, np.float32))
    y = fg.tensor(f32(8, 12), requires_grad=True)
    y.reshape(8, 3, 4).permute(2, 0, 1).sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), np.ones((8, 12), np.float32))


def test_full_sum_of_a_permuted_view():
    c = f32(10, 11, 12)
    t = fg.tensor(c).permute(2, 0, 1)
    # float32 sums (as PyTorch's) err in proportion to the sum of magnitudes
    bound = 1e-6 * np.abs(c).astype(np.float64).sum()
    np.testing.assert_allclose(t.sum().item(), c.astype(np.float64).sum(), rtol=0, atol=bound)
    d = rs.randn(9, 13)
    np.testing.assert_allclose(fg.tensor(d).t().sum().item(), d.sum(), rtol=1e-13)
    # not dense: a strided view still sums its own elements only
    half = c[:, ::2].astype(np.float64)
    np.testing.assert_allclose(fg.tensor(c)[:, ::2].sum().item(), half.sum(), rtol=0, atol=bound)


# ---- layer_norm backward ------------------------------------------------------------


@pytest.mark.parametrize("m", [1, 7, 8, 9, 67])
def test_layer_norm_backward_matches_float64(m):
    x, g = f32(5, m), f32(5, m)
    w, b = f32(m), f32(m)
    tx, tw, tb = (fg.tensor(v, requires_grad=True) for v in (x, w, b))
    (F.layer_norm(tx, (m,), tw, tb) * fg.tensor(g)).sum().backward()
    x64, g64, w64 = (v.astype(np.float64) for v in (x, g, w))
    mu = x64.mean(1, keepdims=True)
    rstd = 1 / np.sqrt(x64.var(1, keepdims=True) + 1e-5)
    xhat = (x64 - mu) * rstd
    gh = g64 * w64
    gx = rstd * (gh - gh.mean(1, keepdims=True) - xhat * (gh * xhat).mean(1, keepdims=True))
    np.testing.assert_allclose(tx.grad.numpy(), gx, rtol=2e-4, atol=2e-5)
    np.testing.assert_allclose(tw.grad.numpy(), (g64 * xhat).sum(0), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(tb.grad.numpy(), g64.sum(0), rtol=1e-5, atol=1e-6)


def test_layer_norm_gradcheck_float64():
    x = fg.tensor(rs.randn(3, 13), requires_grad=True)
    w = fg.tensor(rs.randn(13), requires_grad=True)
    assert gradcheck(lambda a, b: F.layer_norm(a, (13,), b), (x, w))


# ---- isclose / allclose -------------------------------------------------------------


def np_isclose_in(dtype, a, b, rtol=1e-5, atol=1e-8, equal_nan=False):
    """PyTorch's composite with every step rounded to `dtype`."""
    a, b = a.astype(dtype), b.astype(dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(a - b)
        near = np.isfinite(diff) & (diff <= dtype(atol) + np.abs(dtype(rtol) * b))
    return (a == b) | near | (equal_nan & np.isnan(a) & np.isnan(b))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_isclose_rounds_each_step_in_the_dtype(dtype):
    b = rs.randn(200_000).astype(dtype)
    a = (b * (1 + rs.choice([-1, 1], b.size) * 1e-5)).astype(dtype)
    a = np.nextafter(a, a + (rs.randint(0, 3, a.size) - 1)).astype(dtype)
    got = fg.isclose(fg.tensor(a), fg.tensor(b)).numpy()
    np.testing.assert_array_equal(got, np_isclose_in(dtype, a, b))
    # PyTorch 2.x's results at one such boundary: True in float32, False in float64
    a1, b1 = np.array([1071256076, 1071256219], np.uint32).view(np.float32)
    assert fg.isclose(fg.tensor([a1]), fg.tensor([b1])).tolist() == [True]
    assert fg.isclose(fg.tensor([a1], dtype=fg.float64), fg.tensor([b1], dtype=fg.float64)).tolist() == [False]


def test_isclose_nan_inf_and_zero_tolerances():
    nan, inf = np.nan, np.inf
    a = np.array([nan, inf, inf, 1.0, -inf, 0.0], np.float32)
    b = np.array([nan, inf, -inf, inf, -inf, -0.0], np.float32)
    assert fg.isclose(fg.tensor(a), fg.tensor(b)).tolist() == [False, True, False, False, True, True]
    assert fg.isclose(fg.tensor(a), fg.tensor(b), equal_nan=True).tolist() == [True, True, False, False, True, True]
    c = np.array([1.0, 1.0 + 1e-7], np.float32)
    assert fg.isclose(fg.tensor(c), fg.tensor(c[::-1].copy()), rtol=0, atol=0).tolist() == [False, False]
    assert fg.allclose(fg.tensor(c), fg.tensor(c[::-1].copy()))
    assert not fg.allclose(fg.tensor(a), fg.tensor(b))


def test_isclose_views_broadcasting_and_integers():
    x = f32(30, 40)
    t = fg.tensor(x)
    np.testing.assert_array_equal(fg.isclose(t.t(), t.t() * 1.0000001).numpy(),
                                  np_isclose_in(np.float32, x.T, x.T * np.float32(1.0000001)))
    got = fg.isclose(t, t[0]).numpy()
    np.testing.assert_array_equal(got, np.broadcast_to(np.arange(30)[:, None] == 0, (30, 40)) | np.isclose(x, x[0]))
    i = fg.tensor(np.array([1, 2, 3]))
    assert fg.isclose(i, fg.tensor(np.array([1, 5, 3]))).tolist() == [True, False, True]


# ---- embedding backward -------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_embedding_backward_adds_rows_in_index_order(dtype):
    table = rs.randn(50, 7).astype(dtype)
    idx = rs.randint(0, 50, (6, 9))
    idx[0, :4] = 3  # repeats
    g = rs.randn(6, 9, 7).astype(dtype)
    w = fg.tensor(table, requires_grad=True)
    (F.embedding(fg.tensor(idx), w) * fg.tensor(g)).sum().backward()
    want = np.zeros_like(table)
    np.add.at(want, idx.reshape(-1), g.reshape(-1, 7))
    np.testing.assert_allclose(w.grad.numpy(), want, rtol=1e-6, atol=1e-6)
    assert w.grad.dtype == w.dtype


def test_embedding_backward_with_padding_and_a_graph():
    w = fg.tensor(rs.randn(10, 3), requires_grad=True)
    idx = fg.tensor(np.array([[1, 2, 1], [0, 2, 9]]))
    F.embedding(idx, w, padding_idx=2).sum().backward()
    want = np.zeros((10, 3))
    for r, c in ((1, 2), (0, 1), (9, 1)):
        want[r] = c
    np.testing.assert_array_equal(w.grad.numpy(), want)
    w.grad = None
    out = F.embedding(idx, w)
    (gw,) = fg.autograd.grad((out * out).sum(), w, create_graph=True)
    assert gw.requires_grad
    gw.sum().backward()
    assert gradcheck(lambda t: F.embedding(idx, t), (w,))
