"""The fast reduction paths (softmax, max/min/argmax, amax/amin, multi-dim sum/prod,
var/std, logsumexp, cumsum/cumprod) against NumPy float64 on random shapes with odd
lengths, every reduced dim, non-contiguous inputs, NaN/inf and keepdim; gradients by
gradcheck in float64."""

import ferrograd as fg
import numpy as np
import pytest
from ferrograd.autograd import gradcheck

SHAPES = [(7,), (3, 5), (4, 1, 9), (2, 17, 3), (33, 65)]


def cases(seed=0, ties=False):
    """(array, tensor) pairs: contiguous, transposed and strided views of the shapes
    (`ties`: values rounded to halves, so that lanes hold repeats)."""
    rs = np.random.RandomState(seed)
    for shape in SHAPES:
        a = rs.randn(*shape).astype(np.float32)
        if ties:
            a = np.round(a * 2) / 2
        yield a, fg.tensor(a)
        if a.ndim >= 2:
            rev = tuple(range(a.ndim))[::-1]
            yield a, fg.tensor(np.ascontiguousarray(a.transpose(rev))).permute(*rev)
            yield a[:, ::2], fg.tensor(a)[:, ::2]


def np_softmax(a, dim, log):
    a = a.astype(np.float64)
    m = a.max(axis=dim, keepdims=True)
    z = a - m
    s = np.exp(z).sum(axis=dim, keepdims=True)
    return z - np.log(s) if log else np.exp(z) / s


@pytest.mark.parametrize("log", [False, True])
def test_softmax_along_every_dim_matches_numpy(log):
    for a, t in cases():
        for dim in range(a.ndim):
            f = t.log_softmax if log else t.softmax
            got = f(dim).numpy()
            assert got.dtype == np.float32
            np.testing.assert_allclose(got, np_softmax(a, dim, log), rtol=2e-6, atol=1e-7)


def test_softmax_float64_matches_numpy_closely():
    a = np.random.RandomState(1).randn(6, 11, 5)
    t = fg.tensor(a)
    for dim in range(3):
        np.testing.assert_allclose(t.softmax(dim).numpy(), np_softmax(a, dim, False), rtol=1e-13)
        np.testing.assert_allclose(t.log_softmax(dim).numpy(), np_softmax(a, dim, True), rtol=1e-13)


@pytest.mark.parametrize("dim", [0, 1])
def test_softmax_lanes_with_nan_or_inf_are_nan_and_others_untouched(dim):
    a = np.random.RandomState(2).randn(5, 6).astype(np.float32)
    a[2, 3] = np.nan
    a[4, 1] = np.inf
    a[0, 0] = -np.inf
    for log in (False, True):
        t = fg.tensor(a)
        got = (t.log_softmax(dim) if log else t.softmax(dim)).numpy()
        bad_lanes = [2, 4] if dim == 1 else [3, 1]
        for lane in range(a.shape[1 - dim]):
            vals = got[lane] if dim == 1 else got[:, lane]
            if lane in bad_lanes:
                assert np.isnan(vals).all()
            else:
                assert not np.isnan(vals).any()
        finite = got[1] if dim == 1 else got[:, 0]
        want = np_softmax(a, dim, log)
        want = want[1] if dim == 1 else want[:, 0]
        np.testing.assert_allclose(finite, want, rtol=2e-6, atol=1e-7)


def test_softmax_of_all_minus_inf_lane_is_nan():
    t = fg.tensor([[-np.inf, -np.inf], [0.0, 1.0]])
    assert np.isnan(t.softmax(1).numpy()[0]).all()
    assert np.isnan(t.log_softmax(1).numpy()[0]).all()


@pytest.mark.parametrize("log", [False, True])
def test_softmax_backward_matches_the_formula(log):
    rs = np.random.RandomState(3)
    for shape, dim in [((4, 9), 1), ((4, 9), 0), ((3, 5, 7), 1)]:
        a = rs.randn(*shape).astype(np.float32)
        g = rs.randn(*shape).astype(np.float32)
        x = fg.tensor(a, requires_grad=True)
        y = x.log_softmax(dim) if log else x.softmax(dim)
        y.backward(fg.tensor(g))
        yv = np_softmax(a, dim, log)
        if log:
            want = g - np.exp(yv) * g.astype(np.float64).sum(axis=dim, keepdims=True)
        else:
            want = yv * (g - (g * yv).sum(axis=dim, keepdims=True))
        np.testing.assert_allclose(x.grad.numpy(), want, rtol=1e-5, atol=1e-6)
        assert y.grad_fn.name() == ("LogSoftmaxBackward0" if log else "SoftmaxBackward0")


def test_softmax_gradients_pass_gradcheck():
    rs = np.random.RandomState(4)
    x = fg.tensor(rs.randn(3, 4, 5), requires_grad=True)
    for dim in range(3):
        assert gradcheck(lambda v, d=dim: v.softmax(d), (x,))
        assert gradcheck(lambda v, d=dim: v.log_softmax(d), (x,))
        assert gradcheck(lambda v, d=dim: v.logsumexp(d), (x,))


def test_cross_entropy_forward_and_backward_match_numpy():
    rs = np.random.RandomState(5)
    a = rs.randn(16, 10).astype(np.float32)
    target = rs.randint(0, 10, 16)
    x = fg.tensor(a, requires_grad=True)
    loss = fg.nn.functional.cross_entropy(x, fg.tensor(target))
    ls = np_softmax(a, 1, True)
    want = -ls[np.arange(16), target].mean()
    np.testing.assert_allclose(loss.item(), want, rtol=1e-6)
    loss.backward()
    onehot = np.eye(10)[target]
    np.testing.assert_allclose(x.grad.numpy(), (np.exp(ls) - onehot) / 16, rtol=1e-5, atol=1e-7)


def first_extreme(a, dim, is_max):
    """NumPy's argmax/argmin with PyTorch's NaN rule (the first NaN wins)."""
    arg = np.argmax if is_max else np.argmin
    return arg(a, axis=dim)


@pytest.mark.parametrize("is_max", [True, False])
def test_max_min_with_dim_give_first_index_and_values(is_max):
    for a, t in cases(6, ties=True):
        for dim in range(a.ndim):
            for keepdim in (False, True):
                v, i = t.max(dim, keepdim) if is_max else t.min(dim, keepdim)
                want_i = first_extreme(a, dim, is_max)
                want_v = (a.max if is_max else a.min)(axis=dim)
                if keepdim:
                    want_i = np.expand_dims(want_i, dim)
                    want_v = np.expand_dims(want_v, dim)
                np.testing.assert_array_equal(i.numpy(), want_i)
                np.testing.assert_array_equal(v.numpy(), want_v)
                arg = t.argmax(dim, keepdim) if is_max else t.argmin(dim, keepdim)
                np.testing.assert_array_equal(arg.numpy(), want_i)


def test_max_dim_with_nan_picks_the_first_nan():
    a = np.array([[1.0, np.nan, 3.0, np.nan], [5.0, 2.0, 5.0, 1.0]], dtype=np.float32)
    for t in (fg.tensor(a), fg.tensor(np.ascontiguousarray(a.T)).t()):
        v, i = t.max(1)
        assert np.isnan(v.numpy()[0]) and v.numpy()[1] == 5.0
        np.testing.assert_array_equal(i.numpy(), [1, 0])
        v, i = t.min(1)
        np.testing.assert_array_equal(i.numpy(), [1, 3])
        np.testing.assert_array_equal(t.argmax(1).numpy(), [1, 0])
        v, i = t.max(0)
        np.testing.assert_array_equal(i.numpy(), [1, 0, 1, 0])
    assert fg.tensor(a).argmax().item() == 1
    assert np.isnan(fg.tensor(a).max().item())
    assert np.isnan(fg.tensor(a).amax(1).numpy()[0])


def test_max_min_of_integers_and_bools():
    rs = np.random.RandomState(7)
    a = rs.randint(-5, 5, (9, 13))
    t = fg.tensor(a)
    for dim in (0, 1):
        v, i = t.max(dim)
        np.testing.assert_array_equal(v.numpy(), a.max(dim))
        np.testing.assert_array_equal(i.numpy(), a.argmax(dim))
        np.testing.assert_array_equal(t.amin(dim).numpy(), a.min(dim))
    assert t.max().item() == a.max() and t.min().item() == a.min()
    b = fg.tensor(a > 0)
    np.testing.assert_array_equal(b.amax(1).numpy(), (a > 0).max(1))
    np.testing.assert_array_equal(b.amin(0).numpy(), (a > 0).min(0))


def test_amax_amin_over_several_dims_match_numpy():
    rs = np.random.RandomState(8)
    a = rs.randn(5, 6, 7, 3).astype(np.float32)
    t = fg.tensor(a)
    for dims in [(0,), (1, 3), (0, 2), (0, 1, 2, 3), (2, 3), (0, 3)]:
        for keepdim in (False, True):
            np.testing.assert_array_equal(t.amax(dims, keepdim).numpy(), a.max(dims, keepdims=keepdim))
            np.testing.assert_array_equal(t.amin(dims, keepdim).numpy(), a.min(dims, keepdims=keepdim))
    assert t.max().item() == a.max() and t.min().item() == a.min()
    big = rs.randn(300001).astype(np.float32)
    assert fg.tensor(big).max().item() == big.max()
    big[123457] = np.nan
    assert np.isnan(fg.tensor(big).amin().item())


def test_empty_reduction_dims_still_raise():
    e = fg.zeros(3, 0)
    with pytest.raises(IndexError):
        e.max(1)
    with pytest.raises(IndexError):
        e.amax(1)
    with pytest.raises(IndexError):
        e.argmax(1)
    with pytest.raises(RuntimeError):
        e.max()
    np.testing.assert_array_equal(e.amax(0).numpy(), np.zeros(0))


def test_sums_over_several_dims_match_numpy():
    rs = np.random.RandomState(9)
    a = rs.randn(6, 7, 8, 5).astype(np.float32)
    ts = [fg.tensor(a), fg.tensor(np.ascontiguousarray(a.transpose(3, 2, 1, 0))).permute(3, 2, 1, 0)]
    for t in ts:
        for dims in [(0, 2), (1, 3), (0, 1, 3), (0, 3), (1, 2)]:
            for keepdim in (False, True):
                got = t.sum(dims, keepdim)
                assert got.dtype == fg.float32
                want = a.astype(np.float64).sum(dims, keepdims=keepdim)
                np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, atol=1e-6)
                np.testing.assert_allclose(t.mean(dims, keepdim).numpy(), a.astype(np.float64).mean(dims, keepdims=keepdim), rtol=1e-6, atol=1e-7)
    i = fg.tensor(rs.randint(-9, 9, (4, 5, 6)))
    s = i.sum((0, 2))
    assert s.dtype == fg.int64
    np.testing.assert_array_equal(s.numpy(), i.numpy().sum((0, 2)))


def test_products_match_numpy():
    rs = np.random.RandomState(10)
    a = (rs.rand(5, 7, 9) + 0.5).astype(np.float32)
    t = fg.tensor(a)
    for dim in range(3):
        np.testing.assert_allclose(t.prod(dim).numpy(), a.astype(np.float64).prod(dim), rtol=1e-6)
    np.testing.assert_allclose(t.prod().item(), a.astype(np.float64).prod(), rtol=1e-6)
    p = t.permute(2, 1, 0).prod(1)
    np.testing.assert_allclose(p.numpy(), a.astype(np.float64).transpose(2, 1, 0).prod(1), rtol=1e-6)
    b = fg.tensor(np.array([[True, False], [True, True]]))
    assert b.prod(1).dtype == fg.int64
    np.testing.assert_array_equal(b.prod(1).numpy(), [0, 1])
    x = fg.tensor(rs.rand(3, 4) + 0.5, requires_grad=True)
    assert gradcheck(lambda v: v.prod(1), (x,))


@pytest.mark.parametrize("correction", [0, 1])
def test_var_std_over_dims_match_numpy(correction):
    rs = np.random.RandomState(11)
    a = (rs.randn(6, 9, 5) * 3 + 10).astype(np.float32)
    for t in (fg.tensor(a), fg.tensor(np.ascontiguousarray(a.transpose(2, 1, 0))).permute(2, 1, 0)):
        for dims in [None, (0,), (1,), (2,), (0, 2), (1, 2)]:
            kw = {} if dims is None else {"dim": dims}
            got = t.var(correction=correction, **kw).numpy()
            want = a.astype(np.float64).var(axis=dims, ddof=correction)
            np.testing.assert_allclose(got, want, rtol=2e-6)
            np.testing.assert_allclose(t.std(correction=correction, **kw).numpy(), np.sqrt(want), rtol=2e-6)
    x = fg.tensor(rs.randn(4, 5), requires_grad=True)
    assert gradcheck(lambda v: v.std(1), (x,))
    assert gradcheck(lambda v: v.var(0), (x,))


def test_logsumexp_matches_numpy_with_infinities():
    rs = np.random.RandomState(12)
    a = rs.randn(7, 8, 9).astype(np.float32)
    t = fg.tensor(a)
    a64 = a.astype(np.float64)
    for dims in [0, 1, 2, (0, 2), (1, 2)]:
        m = a64.max(axis=dims, keepdims=True)
        want = (m + np.log(np.exp(a64 - m).sum(axis=dims, keepdims=True))).squeeze(axis=dims)
        np.testing.assert_allclose(t.logsumexp(dims).numpy(), want, rtol=1e-6)
    b = np.array([[1.0, np.inf, 0.0], [-np.inf, -np.inf, -np.inf], [np.nan, 1.0, 2.0]], dtype=np.float32)
    got = fg.tensor(b).logsumexp(1).numpy()
    assert got[0] == np.inf and got[1] == -np.inf and np.isnan(got[2])
    got = fg.tensor(np.ascontiguousarray(b.T)).logsumexp(0).numpy()
    assert got[0] == np.inf and got[1] == -np.inf and np.isnan(got[2])


def test_cumsum_cumprod_along_every_dim_match_numpy():
    rs = np.random.RandomState(13)
    for a, t in cases(13):
        for dim in range(a.ndim):
            np.testing.assert_allclose(t.cumsum(dim).numpy(), np.cumsum(a.astype(np.float64), dim), rtol=1e-5, atol=1e-5)
            np.testing.assert_allclose(t.cumprod(dim).numpy(), np.cumprod(a.astype(np.float64), dim), rtol=1e-5, atol=1e-6)
    i = rs.randint(-3, 4, (5, 6))
    for dim in (0, 1):
        got = fg.tensor(i).cumsum(dim)
        assert got.dtype == fg.int64
        np.testing.assert_array_equal(got.numpy(), np.cumsum(i, dim))
        np.testing.assert_array_equal(fg.tensor(i).cumprod(dim).numpy(), np.cumprod(i, dim))


def test_cumsum_accumulates_in_float64_as_pytorch():
    # PyTorch's CPU scan keeps a double running sum: 1e8 + 1 + 1 + 1 + 1 - 1e8 is 4
    t = fg.tensor([1e8, 1.0, 1.0, 1.0, 1.0, -1e8])
    np.testing.assert_array_equal(t.cumsum(0).numpy()[-1], np.float32(4.0))
    np.testing.assert_array_equal(t.reshape(6, 1).expand(6, 3).cumsum(0).numpy()[-1], [4.0, 4.0, 4.0])
    p = fg.tensor([1e20, 1e20, 1e-20, 1e-20]).cumprod(0).numpy()
    assert p[1] == np.inf and p[3] == np.float32(1.0)
    z = fg.tensor([-0.0, 1.0]).cumsum(0).numpy()
    assert not np.signbit(z[0])


def test_norms_match_numpy():
    rs = np.random.RandomState(14)
    a = rs.randn(30, 41).astype(np.float32)
    t = fg.tensor(a)
    np.testing.assert_allclose(t.norm().item(), np.linalg.norm(a.astype(np.float64)), rtol=1e-6)
    for dim in (0, 1):
        np.testing.assert_allclose(t.norm(dim=dim).numpy(), np.linalg.norm(a.astype(np.float64), axis=dim), rtol=1e-6)
        np.testing.assert_allclose(fg.linalg.vector_norm(t, 1, dim=dim).numpy(), np.abs(a.astype(np.float64)).sum(dim), rtol=1e-6)
        np.testing.assert_allclose(fg.linalg.vector_norm(t, float("inf"), dim=dim).numpy(), np.abs(a).max(dim), rtol=0)


def test_half_precision_reductions_keep_their_dtype():
    a = np.random.RandomState(15).randn(4, 6).astype(np.float32)
    for dt in (fg.float16, fg.bfloat16):
        t = fg.tensor(a).to(dt)
        assert t.softmax(1).dtype == dt and t.log_softmax(0).dtype == dt
        assert t.max(1)[0].dtype == dt and t.amax((0, 1)).dtype == dt
        assert t.sum((0, 1)).dtype == dt and t.cumsum(1).dtype == dt
        np.testing.assert_allclose(t.softmax(1).float().numpy(), np_softmax(t.float().numpy(), 1, False), rtol=1e-2, atol=1e-3)
