"""The copy and creation fast paths: flip, roll, repeat, tril/triu, cat and strided
clones through the run-copying kernel; `t[idx]` on one dim; randn's and linspace's
values; mv and bmm through their direct kernels.

Values are checked against NumPy on random shapes, dims, dtypes and strides (empty and
size-1 dims included); memory formats, exact values and errors are PyTorch's (observed
with PyTorch 2.x and hard-coded here)."""

import numpy as np
import pytest
from backend import fg

RS = np.random.RandomState(1234)

DTYPES = [
    (fg.float32, np.float32),
    (fg.float64, np.float64),
    (fg.int64, np.int64),
    (fg.int32, np.int32),
    (fg.int16, np.int16),
    (fg.uint8, np.uint8),
    (fg.bool, np.bool_),
    (fg.float16, np.float16),
]


def values(shape, np_dtype):
    if np_dtype == np.bool_:
        return RS.rand(*shape) > 0.5
    return (RS.rand(*shape) * 100).astype(np_dtype)


def random_view(ndim, np_dtype):
    """(ferrograd view, the same view in NumPy): a random shape (some dims 0 or 1),
    then maybe a transpose, a stepped slice or a reversal-free expand."""
    shape = [int(RS.choice([0, 1, 2, 3, 5, 8])) if RS.rand() < 0.2 else int(RS.randint(1, 9))
             for _ in range(ndim)]
    base = values(shape, np_dtype)
    t = fg.tensor(base)
    a = base
    kind = RS.randint(4)
    if kind == 1 and ndim >= 2:
        d0, d1 = RS.choice(ndim, 2, replace=False)
        t, a = t.transpose(int(d0), int(d1)), np.swapaxes(a, d0, d1)
    elif kind == 2 and ndim >= 1:
        d = int(RS.randint(ndim))
        sl = [slice(None)] * ndim
        sl[d] = slice(None, None, 2)
        t, a = t[tuple(sl)], a[tuple(sl)]
    elif kind == 3 and ndim >= 1 and 1 in shape:
        d = shape.index(1)
        new = list(shape)
        new[d] = 4
        t, a = t.expand(*new), np.broadcast_to(a, new)
    return t, a


def assert_same(t, expected):
    got = t.numpy()
    assert got.dtype == expected.dtype
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("fg_dtype,np_dtype", DTYPES)
def test_flip_roll_repeat_match_numpy_on_random_views(fg_dtype, np_dtype):
    for _ in range(40):
        ndim = int(RS.randint(1, 5))
        t, a = random_view(ndim, np_dtype)
        dims = [int(d) for d in RS.choice(ndim, int(RS.randint(1, ndim + 1)), replace=False)]
        assert_same(t.flip(dims), np.flip(a, dims))
        shifts = [int(s) for s in RS.randint(-11, 12, len(dims))]
        assert_same(t.roll(shifts, dims), np.roll(a, shifts, dims))
        assert_same(t.roll(shifts[0]), np.roll(a, shifts[0]))
        reps = [int(r) for r in RS.randint(0, 4, ndim + int(RS.randint(0, 2)))]
        assert_same(t.repeat(*reps), np.tile(a, reps))


@pytest.mark.parametrize("fg_dtype,np_dtype", DTYPES)
def test_tril_triu_match_numpy_on_random_views(fg_dtype, np_dtype):
    for _ in range(30):
        t, a = random_view(int(RS.randint(2, 5)), np_dtype)
        k = int(RS.randint(-6, 7))
        assert_same(t.tril(k), np.tril(a, k))
        assert_same(t.triu(k), np.triu(a, k))
        assert t.tril(k).is_contiguous()


@pytest.mark.parametrize("fg_dtype,np_dtype", DTYPES)
def test_cat_and_clone_of_random_views_match_numpy(fg_dtype, np_dtype):
    for _ in range(30):
        ndim = int(RS.randint(1, 4))
        t, a = random_view(ndim, np_dtype)
        assert_same(t.clone(), np.ascontiguousarray(a))
        assert_same(t.contiguous(), np.ascontiguousarray(a))
        d = int(RS.randint(ndim))
        other_shape = list(a.shape)
        other_shape[d] = int(RS.randint(0, 4))
        b = values(other_shape, np_dtype)
        u = fg.tensor(b)
        if RS.rand() < 0.5 and ndim >= 2:  # the same values through a transposed storage
            e = 1 - d if ndim == 2 else (d + 1) % ndim
            u = fg.tensor(np.ascontiguousarray(np.swapaxes(b, d, e))).transpose(d, e)
        assert_same(fg.cat([t, u, t], d), np.concatenate([a, b, a], d))


def test_cat_of_mixed_dtypes_promotes():
    a = fg.tensor([[1, 2], [3, 4]], dtype=fg.int32)
    b = fg.tensor([[0.5, 1.5]], dtype=fg.float64)
    out = fg.cat([a.t(), b])
    assert out.dtype == fg.float64
    np.testing.assert_array_equal(out.numpy(), [[1, 3], [2, 4], [0.5, 1.5]])


def test_memory_formats_of_copies():
    # a dense permuted input: flip and clone keep its strides, roll/repeat/tril do not
    x = fg.randn(2, 3, 4, 5).permute(0, 2, 3, 1)
    assert x.flip(1).stride() == (60, 5, 1, 20)
    assert x.clone().stride() == (60, 5, 1, 20)
    assert x.roll(1, 2).stride() == (60, 15, 3, 1)
    assert x.repeat(1, 1, 1, 1).stride() == (60, 15, 3, 1)
    assert x.tril().stride() == (60, 15, 3, 1)
    y = fg.randn(6, 4).t()
    assert y.flip(0).stride() == (1, 4)
    assert y[:, ::2].clone().stride() == (1, 4)
    assert y.tril().stride() == (6, 1)
    assert y.roll(1, 0).stride() == (6, 1)


def test_transposed_clone_matches_numpy_for_odd_sizes():
    for shape in [(1, 7), (37, 65), (64, 64), (3, 129, 33)]:
        a = RS.randn(*shape).astype(np.float32)
        t = fg.tensor(a)
        np.testing.assert_array_equal(t.transpose(-1, -2).contiguous().numpy(), np.swapaxes(a, -1, -2))
        np.testing.assert_array_equal(t.transpose(0, -1).contiguous().numpy(), np.swapaxes(a, 0, -1))


def test_gradients_of_flip_roll_repeat_tril():
    a = RS.randn(3, 4)
    w = RS.randn(3, 4)
    x = fg.tensor(a, requires_grad=True)
    for make, grad in [
        (lambda t: t.flip(0, 1), np.flip(w, (0, 1))),
        (lambda t: t.roll((1, -2), (0, 1)), np.roll(w, (-1, 2), (0, 1))),
        (lambda t: t.tril(-1), np.tril(w, -1)),
        (lambda t: t.triu(1), np.triu(w, 1)),
    ]:
        out = make(x)
        out.backward(fg.tensor(w))
        np.testing.assert_allclose(x.grad.numpy(), grad)
        x.grad = None
    out = x.repeat(2, 1, 3)
    assert out.grad_fn.name() == "RepeatBackward0"
    w3 = RS.randn(2, 3, 12)
    out.backward(fg.tensor(w3))
    np.testing.assert_allclose(x.grad.numpy(), w3.reshape(2, 3, 3, 4).sum((0, 2)))
    assert x.flip(0).grad_fn.name() == "FlipBackward0"
    assert x.roll(1, 0).grad_fn.name() == "RollBackward0"
    assert x.tril().grad_fn.name() == "TrilBackward0"
    assert fg.cat([x, x]).grad_fn.name() == "CatBackward0"


@pytest.mark.parametrize("index_dtype", [fg.int64, fg.int32])
def test_index_on_one_dim_matches_numpy(index_dtype):
    for _ in range(40):
        ndim = int(RS.randint(1, 4))
        t, a = random_view(ndim, np.float32)
        if a.size == 0:
            continue
        d = int(RS.randint(ndim))
        n = a.shape[d]
        idx = RS.randint(-n, n, [(0,), (7,), (2, 3)][RS.randint(3)])
        key = (slice(None),) * d + (fg.tensor(idx, dtype=index_dtype),)
        np_key = (slice(None),) * d + (idx,)
        if RS.rand() < 0.5:
            key += (slice(None),) * (ndim - d - 1)
            np_key += (slice(None),) * (ndim - d - 1)
        out = t[key[0] if len(key) == 1 else key]
        assert_same(out, a[np_key])
        if t.is_contiguous():
            assert out.is_contiguous()


def test_index_on_one_dim_gradient_accumulates_repeats():
    a = RS.randn(5, 4)
    x = fg.tensor(a, requires_grad=True)
    idx = np.array([[4, 0], [4, -1]])
    out = x[:, fg.tensor([1, 1, 3])]
    assert out.grad_fn.name() == "IndexBackward0"
    w = RS.randn(5, 3)
    out.backward(fg.tensor(w))
    want = np.zeros((5, 4))
    np.add.at(want, (slice(None), [1, 1, 3]), w)
    np.testing.assert_allclose(x.grad.numpy(), want)
    x.grad = None
    out = x[fg.tensor(idx)]
    w = RS.randn(2, 2, 4)
    out.backward(fg.tensor(w))
    want = np.zeros((5, 4))
    np.add.at(want, idx.reshape(-1) % 5, w.reshape(4, 4))
    np.testing.assert_allclose(x.grad.numpy(), want)


def test_index_on_one_dim_errors_are_pytorchs():
    z = fg.arange(12.0).reshape(3, 4)
    with pytest.raises(IndexError, match="index 3 is out of bounds for dimension 0 with size 3"):
        z[fg.tensor([0, 3])]
    with pytest.raises(IndexError, match="index -5 is out of bounds for dimension 0 with size 4"):
        z[:, fg.tensor([-5])]
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 2"):
        z[:, fg.tensor([0]).int(), :]
    assert tuple(z[fg.tensor([], dtype=fg.int64)].shape) == (0, 4)


def hexes(t, idx):
    return [float.hex(float(t[i])) for i in idx]


def test_randn_values_are_pytorchs():
    fg.manual_seed(7)
    a = fg.randn(37)
    assert hexes(a, [0, 5, 15, 16, 20, 36]) == [
        "-0x1.a3e8ac0000000p-1", "0x1.23fe5a0000000p-2", "0x1.1715100000000p+0",
        "-0x1.9529820000000p+0", "0x1.966a5c0000000p-3", "-0x1.9c9b960000000p-4"]
    fg.manual_seed(7)
    assert hexes(fg.randn(5), range(5)) == [
        "-0x1.2ca2e80000000p-3", "0x1.92811c0000000p-1", "0x1.e4c5ce0000000p-1",
        "-0x1.1d45a60000000p+0", "0x1.b0d7a00000000p+0"]


def test_linspace_values_are_pytorchs_bit_for_bit():
    l32 = fg.linspace(-3.7, 11.3, 100003)
    assert hexes(l32, [0, 1, 17, 50000, 50001, 50002, 77777, 100001, 100002]) == [
        "-0x1.d9999a0000000p+1", "-0x1.d994b00000000p+1", "-0x1.d9460c0000000p+1",
        "0x1.e6617a0000000p+1", "0x1.e6666a0000000p+1", "0x1.e66b540000000p+1",
        "0x1.fdd8240000000p+2", "0x1.6998600000000p+3", "0x1.69999a0000000p+3"]
    l = fg.linspace(0, 1, 1000000)
    assert hexes(l, [1, 333333, 499999, 500000, 999998]) == [
        "0x1.0c6f8c0000000p-20", "0x1.5555560000000p-2", "0x1.ffffe00000000p-2",
        "0x1.0000100000000p-1", "0x1.ffffde0000000p-1"]
    l64 = fg.linspace(-2.5, 9.25, 1001, dtype=fg.float64)
    assert hexes(l64, [3, 499, 500, 501, 998]) == [
        "-0x1.3b7ced916872bp+1", "0x1.ae7ef9db22d0ep+1", "0x1.b000000000000p+1",
        "0x1.b1810624dd2f2p+1", "0x1.273f7ced91687p+3"]


@pytest.mark.parametrize("fg_dtype,np_dtype,tol", [
    (fg.float32, np.float32, 1e-4), (fg.float64, np.float64, 1e-12), (fg.int64, np.int64, 0)])
def test_mv_matches_numpy_for_each_layout(fg_dtype, np_dtype, tol):
    for m, k in [(1, 1), (5, 3), (33, 70), (0, 4), (4, 0), (100, 17)]:
        a = (RS.randn(m, k) * 4).astype(np_dtype)
        v = (RS.randn(2 * k) * 4).astype(np_dtype)
        for mat, np_mat in [
            (fg.tensor(a), a),
            (fg.tensor(np.ascontiguousarray(a.T)).t(), a),
            (fg.tensor(np.repeat(a, 2, 1))[:, ::2], a),
        ]:
            got = mat @ fg.tensor(v)[::2]
            np.testing.assert_allclose(got.numpy(), np_mat @ v[::2], rtol=tol, atol=tol)


def test_mv_gradients():
    a, v = RS.randn(4, 3), RS.randn(3)
    x, y = fg.tensor(a, requires_grad=True), fg.tensor(v, requires_grad=True)
    out = fg.mv(x, y)
    assert out.grad_fn.name() == "MvBackward0"
    w = RS.randn(4)
    out.backward(fg.tensor(w))
    np.testing.assert_allclose(x.grad.numpy(), np.outer(w, v))
    np.testing.assert_allclose(y.grad.numpy(), a.T @ w)


@pytest.mark.parametrize("fg_dtype,np_dtype,tol", [
    (fg.float32, np.float32, 1e-4), (fg.float64, np.float64, 1e-12), (fg.int32, np.int32, 0)])
def test_bmm_matches_numpy_for_batch_strides(fg_dtype, np_dtype, tol):
    for b, m, k, n in [(32, 8, 8, 8), (3, 1, 5, 2), (0, 2, 2, 2), (4, 3, 0, 2), (2, 17, 9, 33)]:
        a = (RS.randn(b, m, k) * 3).astype(np_dtype)
        c = (RS.randn(b, n, k) * 3).astype(np_dtype)
        ta = fg.tensor(a)
        tc = fg.tensor(c).transpose(1, 2)
        want = a @ np.swapaxes(c, 1, 2)
        np.testing.assert_allclose(fg.bmm(ta, tc).numpy(), want, rtol=tol, atol=tol)
        if b > 0:
            # one matrix broadcast over the batch (batch stride 0)
            one = fg.tensor(a[:1]).expand(b, m, k)
            np.testing.assert_allclose(fg.bmm(one, tc).numpy(), a[:1] @ np.swapaxes(c, 1, 2),
                                       rtol=tol, atol=tol)


def test_bmm_float16_and_gradients():
    a, c = RS.randn(3, 2, 4), RS.randn(3, 4, 5)
    out16 = fg.bmm(fg.tensor(a, dtype=fg.float16), fg.tensor(c, dtype=fg.float16))
    assert out16.dtype == fg.float16
    np.testing.assert_allclose(out16.numpy().astype(np.float64), a @ c, rtol=2e-2, atol=2e-2)
    x, y = fg.tensor(a, requires_grad=True), fg.tensor(c, requires_grad=True)
    out = fg.bmm(x, y)
    assert out.grad_fn.name() == "BmmBackward0"
    w = RS.randn(3, 2, 5)
    out.backward(fg.tensor(w))
    np.testing.assert_allclose(x.grad.numpy(), w @ np.swapaxes(c, 1, 2))
    np.testing.assert_allclose(y.grad.numpy(), np.swapaxes(a, 1, 2) @ w)
