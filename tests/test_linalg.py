"""`linalg` and the top-level linear-algebra functions against NumPy (values) and
PyTorch 2.13 (node names, named tuples, errors and their wording), with gradients
checked by finite differences in float64 (second derivatives too)."""

import math

import numpy as np
import pytest
from backend import fg
from hypothesis import given, settings
from hypothesis import strategies as st

LA = fg.linalg
F32, F64 = fg.float32, fg.float64
NP = {F32: np.float32, F64: np.float64}
TOL = {F32: {"rtol": 2e-4, "atol": 2e-4}, F64: {"rtol": 1e-9, "atol": 1e-9}}


def arr(t):
    return t.detach().numpy()


def T(a, dtype=F64, requires_grad=False):
    return fg.tensor(np.asarray(a, dtype=NP[dtype]), dtype=dtype, requires_grad=requires_grad)


def well_conditioned(rng, batch, n):
    """Random matrices plus a multiple of the identity: far from singular."""
    return rng.standard_normal((*batch, n, n)) + 2 * n * np.eye(n)


def spd(rng, batch, n):
    x = rng.standard_normal((*batch, n, n))
    return x @ np.swapaxes(x, -1, -2) + n * np.eye(n)


shapes = st.tuples(st.lists(st.integers(1, 3), max_size=2), st.integers(1, 4), st.integers(0, 2**31))
dtypes = st.sampled_from([F32, F64])


# --- values against NumPy -------------------------------------------------------------


@settings(max_examples=10, deadline=None)
@given(shapes, dtypes)
def test_det_slogdet_inv(shape, dtype):
    batch, n, seed = shape
    a = well_conditioned(np.random.default_rng(seed), batch, n)
    A = T(a, dtype)
    for out in (LA.det(A), fg.det(A), A.det()):
        assert out.dtype == dtype and tuple(out.shape) == tuple(batch)
        np.testing.assert_allclose(arr(out), np.linalg.det(a), rtol=1e-4 if dtype == F32 else 1e-10)
    sign, logabsdet = LA.slogdet(A)
    s_np, l_np = np.linalg.slogdet(a)
    np.testing.assert_array_equal(arr(sign), s_np)
    np.testing.assert_allclose(arr(logabsdet), l_np, **TOL[dtype])
    inv = LA.inv(A)
    assert inv.dtype == dtype and inv.shape == A.shape
    np.testing.assert_allclose(arr(inv), np.linalg.inv(a), **TOL[dtype])
    np.testing.assert_allclose(arr(fg.inverse(A)), np.linalg.inv(a), **TOL[dtype])
    inverse, info = LA.inv_ex(A)
    np.testing.assert_allclose(arr(inverse), np.linalg.inv(a), **TOL[dtype])
    assert tuple(info.shape) == tuple(batch) and not info.any()


@settings(max_examples=10, deadline=None)
@given(shapes, dtypes, st.integers(1, 3))
def test_solve_matches_numpy(shape, dtype, k):
    batch, n, seed = shape
    rng = np.random.default_rng(seed)
    a = well_conditioned(rng, batch, n)
    # B with A's number of dims (never the vector case), broadcast over A's batch
    b = rng.standard_normal((*[1] * len(batch), n, k))
    x = LA.solve(T(a, dtype), T(b, dtype))
    np.testing.assert_allclose(arr(x), np.linalg.solve(a, np.broadcast_to(b, (*batch, n, k))), **TOL[dtype])
    # X A = B
    br = rng.standard_normal((*[1] * len(batch), k, n))
    xr = LA.solve(T(a, dtype), T(br, dtype), left=False)
    np.testing.assert_allclose(arr(xr), br @ np.linalg.inv(a), **TOL[dtype])
    # a vector right-hand side
    v = rng.standard_normal(n)
    xv = LA.solve(T(a, dtype), T(v, dtype))
    assert tuple(xv.shape) == (*batch, n)
    np.testing.assert_allclose(arr(xv), np.linalg.solve(a, np.broadcast_to(v[:, None], (*batch, n, 1)))[..., 0],
                               **TOL[dtype])
    result, _info = LA.solve_ex(T(a, dtype), T(v, dtype))
    np.testing.assert_allclose(arr(result), arr(xv))


def test_solve_batched_vector_rule():
    rng = np.random.default_rng(1)
    a = well_conditioned(rng, (2,), 3)
    b = rng.standard_normal((2, 3))  # A.shape[:-1]: a batch of vectors
    x = LA.solve(T(a), T(b))
    assert tuple(x.shape) == (2, 3)
    np.testing.assert_allclose(arr(x), np.linalg.solve(a, b[..., None])[..., 0])
    assert tuple(LA.solve(T(a), T(rng.standard_normal((3, 2)))).shape) == (2, 3, 2)
    assert tuple(LA.solve(T(a), T(rng.standard_normal((4, 3))), left=False).shape) == (2, 4, 3)


@settings(max_examples=10, deadline=None)
@given(shapes, dtypes)
def test_cholesky(shape, dtype):
    batch, n, seed = shape
    a = spd(np.random.default_rng(seed), batch, n)
    L = LA.cholesky(T(a, dtype))
    np.testing.assert_allclose(arr(L), np.linalg.cholesky(a), **TOL[dtype])
    U = LA.cholesky(T(a, dtype), upper=True)
    np.testing.assert_allclose(arr(U), np.swapaxes(np.linalg.cholesky(a), -1, -2), **TOL[dtype])
    L2, info = LA.cholesky_ex(T(a, dtype))
    np.testing.assert_allclose(arr(L2), arr(L))
    assert not info.any()


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(1, 2), max_size=1), st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**31), dtypes)
def test_qr(batch, m, n, seed, dtype):
    a = np.random.default_rng(seed).standard_normal((*batch, m, n))
    A = T(a, dtype)
    k = min(m, n)
    for mode, (qc, rr) in {"reduced": (k, k), "complete": (m, m)}.items():
        Q, R = LA.qr(A, mode=mode)
        assert tuple(Q.shape) == (*batch, m, qc) and tuple(R.shape) == (*batch, rr, n)
        q, r = arr(Q), arr(R)
        np.testing.assert_allclose(q @ r, a, **TOL[dtype])
        np.testing.assert_allclose(np.swapaxes(q, -1, -2) @ q, np.broadcast_to(np.eye(qc), (*batch, qc, qc)), **TOL[dtype])
        np.testing.assert_array_equal(r, np.triu(r))
        # unique up to the signs of R's rows
        r_np = np.linalg.qr(a, mode=mode)[1]
        np.testing.assert_allclose(np.abs(r), np.abs(r_np), **TOL[dtype])
    Q, R = LA.qr(A, mode="r")
    assert tuple(Q.shape) == (0,)
    np.testing.assert_allclose(np.abs(arr(R)), np.abs(np.linalg.qr(a, mode="r")), **TOL[dtype])


def test_qr_signs_follow_lapack():
    A = fg.tensor([[1.0, 2], [3, 4], [5, 6]], dtype=F64)
    q, r = np.linalg.qr(arr(A))
    Q, R = LA.qr(A)
    np.testing.assert_allclose(arr(Q), q, atol=1e-12)
    np.testing.assert_allclose(arr(R), r, atol=1e-12)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(1, 2), max_size=2), st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**31), dtypes)
def test_svd(batch, m, n, seed, dtype):
    a = np.random.default_rng(seed).standard_normal((*batch, m, n))
    A = T(a, dtype)
    k = min(m, n)
    s_np = np.linalg.svd(a, compute_uv=False)
    np.testing.assert_allclose(arr(LA.svdvals(A)), s_np, **TOL[dtype])
    for full in (True, False):
        U, S, Vh = LA.svd(A, full_matrices=full)
        uc, vr = (m, n) if full else (k, k)
        assert tuple(U.shape) == (*batch, m, uc) and tuple(Vh.shape) == (*batch, vr, n)
        assert U.dtype == dtype and S.dtype == dtype
        np.testing.assert_allclose(arr(S), s_np, **TOL[dtype])
        u, vh = arr(U), arr(Vh)
        np.testing.assert_allclose((u[..., :k] * arr(S)[..., None, :]) @ vh[..., :k, :], a, **TOL[dtype])
        np.testing.assert_allclose(np.swapaxes(u, -1, -2) @ u, np.broadcast_to(np.eye(uc), (*batch, uc, uc)), **TOL[dtype])
        np.testing.assert_allclose(vh @ np.swapaxes(vh, -1, -2), np.broadcast_to(np.eye(vr), (*batch, vr, vr)), **TOL[dtype])
    U, S, V = fg.svd(A)
    assert tuple(V.shape) == (*batch, n, k)
    np.testing.assert_allclose((arr(U) * arr(S)[..., None, :]) @ np.swapaxes(arr(V), -1, -2), a, **TOL[dtype])


@settings(max_examples=10, deadline=None)
@given(shapes, dtypes)
def test_eigh(shape, dtype):
    batch, n, seed = shape
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((*batch, n, n))
    lower = np.tril(x) + np.swapaxes(np.tril(x, -1), -1, -2)  # the symmetric matrix x's lower part defines
    upper = np.triu(x) + np.swapaxes(np.triu(x, 1), -1, -2)
    for uplo, sym in (("L", lower), ("U", upper)):
        w, V = LA.eigh(T(x, dtype), UPLO=uplo)
        np.testing.assert_allclose(arr(w), np.linalg.eigvalsh(sym), **TOL[dtype])
        np.testing.assert_allclose(arr(LA.eigvalsh(T(x, dtype), UPLO=uplo)), np.linalg.eigvalsh(sym), **TOL[dtype])
        v = arr(V)
        np.testing.assert_allclose(np.swapaxes(v, -1, -2) @ sym @ v, np.eye(n) * arr(w)[..., None, :],
                                   rtol=1e-3 if dtype == F32 else 1e-9, atol=1e-3 if dtype == F32 else 1e-9)


def test_pinv_lstsq_rank():
    rng = np.random.default_rng(3)
    for shape in ((4, 3), (3, 5), (2, 4, 4)):
        a = rng.standard_normal(shape)
        np.testing.assert_allclose(arr(LA.pinv(T(a))), np.linalg.pinv(a), atol=1e-10)
        np.testing.assert_allclose(arr(fg.pinverse(T(a))), np.linalg.pinv(a), atol=1e-10)
    low_rank = rng.standard_normal((5, 2)) @ rng.standard_normal((2, 4))
    np.testing.assert_allclose(arr(LA.pinv(T(low_rank))), np.linalg.pinv(low_rank), atol=1e-10)
    assert LA.matrix_rank(T(low_rank)).item() == 2 == np.linalg.matrix_rank(low_rank)
    s = spd(rng, (), 4)
    np.testing.assert_allclose(arr(LA.pinv(T(s), hermitian=True)), np.linalg.inv(s), atol=1e-10)
    assert LA.matrix_rank(T(s), hermitian=True).item() == 4
    ranks = LA.matrix_rank(T(np.stack([low_rank, np.zeros((5, 4))])))
    assert ranks.tolist() == [2, 0] and ranks.dtype == fg.int64
    np.testing.assert_allclose(arr(LA.pinv(T(low_rank), atol=1e30)), np.zeros((4, 5)))
    # lstsq, 'gelsy' on the CPU: empty residuals and singular values, a rank per matrix
    a, b = rng.standard_normal((2, 6, 3)), rng.standard_normal((2, 6, 2))
    solution, residuals, rank, singular_values = LA.lstsq(T(a), T(b))
    np.testing.assert_allclose(arr(solution), np.stack([np.linalg.lstsq(a[i], b[i], rcond=None)[0] for i in range(2)]))
    assert tuple(residuals.shape) == (0,) and tuple(singular_values.shape) == (0,)
    assert rank.tolist() == [3, 3] and rank.dtype == fg.int64
    r = LA.lstsq(T(a[0]), T(b[0]), driver="gelsd")
    _, res_np, _, s_np = np.linalg.lstsq(a[0], b[0], rcond=None)
    np.testing.assert_allclose(arr(r.residuals), res_np)
    np.testing.assert_allclose(arr(r.singular_values), s_np)
    assert r.rank.item() == 3
    v = LA.lstsq(T(a[0]), T(b[0, :, 0])).solution
    np.testing.assert_allclose(arr(v), np.linalg.lstsq(a[0], b[0, :, 0], rcond=None)[0])
    wide = LA.lstsq(T(a[0].T), T(b[0, :3])).solution  # under-determined: the minimum-norm solution
    np.testing.assert_allclose(arr(wide), np.linalg.lstsq(a[0].T, b[0, :3], rcond=None)[0])


def test_matrix_power():
    rng = np.random.default_rng(4)
    a = well_conditioned(rng, (2,), 3)
    for n in (-3, -1, 0, 1, 2, 5):
        np.testing.assert_allclose(arr(LA.matrix_power(T(a), n)), np.linalg.matrix_power(a, n), rtol=1e-10)
        np.testing.assert_allclose(arr(T(a).matrix_power(n)), np.linalg.matrix_power(a, n), rtol=1e-10)
    ints = fg.tensor([[1, 1], [1, 0]])
    assert LA.matrix_power(ints, 10).tolist() == [[89, 55], [55, 34]]


def test_norms():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 4))
    X = T(x)
    for ord in (2, 1, 3.5, 0.5, 0, math.inf, -math.inf, -1):
        np.testing.assert_allclose(LA.vector_norm(X, ord).item(), np.linalg.norm(x.ravel(), ord))
        np.testing.assert_allclose(arr(LA.vector_norm(X, ord, dim=1)), np.linalg.norm(x, ord, axis=1))
    assert tuple(LA.vector_norm(X, 2, dim=(0, 1), keepdim=True).shape) == (1, 1)
    x32 = T(x, F32)
    assert LA.vector_norm(x32, dtype=F64).dtype == F64
    np.testing.assert_allclose(LA.vector_norm(x32, dtype=F64).item(), np.linalg.norm(x.astype(np.float32).ravel()))
    raises(RuntimeError, "linalg.vector_norm: the dtype of the input (Double) should be convertible without narrowing "
           "to the specified dtype (Float)", LA.vector_norm, X, dtype=F32)
    for ord in ("fro", "nuc", math.inf, -math.inf, 1, -1, 2, -2):
        np.testing.assert_allclose(LA.matrix_norm(X, ord).item(), np.linalg.norm(x, ord))
        np.testing.assert_allclose(LA.norm(X, ord).item(), np.linalg.norm(x, ord))
    b = rng.standard_normal((2, 3, 4))
    for ord in ("fro", "nuc", math.inf, 1, -2):
        want = np.linalg.norm(b, ord, axis=(0, 2), keepdims=True)
        got = LA.matrix_norm(T(b), ord, dim=(0, 2), keepdim=True)
        assert tuple(got.shape) == (1, 3, 1)
        np.testing.assert_allclose(arr(got), want)
        np.testing.assert_allclose(arr(LA.matrix_norm(T(b), ord, dim=(2, 0))), np.linalg.norm(b, ord, axis=(2, 0)))
    np.testing.assert_allclose(LA.norm(T(b)).item(), np.linalg.norm(b.ravel()))
    np.testing.assert_allclose(arr(LA.norm(T(b), 3, dim=1)), np.linalg.norm(b, 3, axis=1))
    np.testing.assert_allclose(T(x).norm("nuc").item(), np.linalg.norm(x, "nuc"))
    np.testing.assert_allclose(fg.norm(T(x)).item(), np.linalg.norm(x))
    np.testing.assert_allclose(arr(fg.norm(T(x), 1, dim=0)), np.linalg.norm(x, 1, axis=0))
    np.testing.assert_allclose(fg.dist(T(x), T(2 * x), 3).item(), np.linalg.norm(x.ravel(), 3))


def test_products():
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    np.testing.assert_allclose(arr(LA.cross(T(a), T(b))), np.cross(a, b))
    np.testing.assert_allclose(arr(LA.cross(T(a.T), T(b.T), dim=0)), np.cross(a.T, b.T, axis=0))
    np.testing.assert_allclose(arr(LA.cross(T(a), T(b[:1]))), np.cross(a, b[:1]))
    np.testing.assert_allclose(arr(fg.cross(T(a.T), T(b.T))), np.cross(a.T, b.T, axis=0))  # first dim of size 3
    np.testing.assert_allclose(arr(LA.vecdot(T(a), T(b))), (a * b).sum(-1))
    np.testing.assert_allclose(arr(LA.vecdot(T(a), T(b), dim=0)), (a * b).sum(0))
    ms = [rng.standard_normal(s) for s in ((5,), (5, 2), (2, 7), (7, 3), (3,))]
    np.testing.assert_allclose(LA.multi_dot([T(m) for m in ms]).item(), np.linalg.multi_dot(ms))
    ms2 = [rng.standard_normal(s) for s in ((4, 2), (2, 7), (7, 3))]
    out = LA.multi_dot([T(m) for m in ms2])
    assert tuple(out.shape) == (4, 3)
    np.testing.assert_allclose(arr(out), np.linalg.multi_dot(ms2))
    c = rng.standard_normal((2, 3, 4))
    np.testing.assert_allclose(arr(LA.diagonal(T(c))), np.diagonal(c, axis1=-2, axis2=-1))
    np.testing.assert_allclose(arr(LA.diagonal(T(c), offset=1)), np.diagonal(c, 1, axis1=-2, axis2=-1))


def test_triangular_and_cholesky_helpers():
    rng = np.random.default_rng(7)
    a = np.triu(rng.standard_normal((2, 3, 3))) + 3 * np.eye(3)
    b = rng.standard_normal((2, 3, 2))
    x = LA.solve_triangular(T(a), T(b), upper=True)
    np.testing.assert_allclose(arr(x), np.linalg.solve(a, b))
    junk = a + np.tril(rng.standard_normal((3, 3)), -1)  # only the upper triangle is read
    np.testing.assert_allclose(arr(LA.solve_triangular(T(junk), T(b), upper=True)), np.linalg.solve(a, b))
    xr = LA.solve_triangular(T(a), T(np.swapaxes(b, -1, -2)), upper=True, left=False)
    np.testing.assert_allclose(arr(xr), np.swapaxes(b, -1, -2) @ np.linalg.inv(a))
    unit = np.triu(a, 1) + np.eye(3)
    np.testing.assert_allclose(arr(LA.solve_triangular(T(a), T(b), upper=True, unitriangular=True)),
                               np.linalg.solve(unit, b))
    solution, coef = fg.triangular_solve(T(b), T(a))
    np.testing.assert_allclose(arr(solution), np.linalg.solve(a, b))
    np.testing.assert_array_equal(arr(coef), a)
    sol_t = fg.triangular_solve(T(b), T(a), transpose=True).solution
    np.testing.assert_allclose(arr(sol_t), np.linalg.solve(np.swapaxes(a, -1, -2), b))
    s = spd(rng, (), 3)
    L = np.linalg.cholesky(s)
    np.testing.assert_allclose(arr(fg.cholesky_inverse(T(L))), np.linalg.inv(s))
    np.testing.assert_allclose(arr(fg.cholesky_inverse(T(L.T), upper=True)), np.linalg.inv(s))
    np.testing.assert_allclose(arr(fg.cholesky_solve(T(b[0]), T(L))), np.linalg.solve(s, b[0]))
    np.testing.assert_allclose(arr(fg.cholesky(T(s))), L)


def test_lu_factor():
    rng = np.random.default_rng(8)
    a = rng.standard_normal((2, 4, 4))
    P, L, U = LA.lu(T(a))
    np.testing.assert_allclose(arr(P) @ arr(L) @ arr(U), a)
    LU, pivots = LA.lu_factor(T(a))
    lu = arr(LU)
    np.testing.assert_allclose(np.tril(lu, -1) + np.eye(4), arr(L))
    np.testing.assert_allclose(np.triu(lu), arr(U))
    # pivots: 1-based row swaps, applied in order
    for i in range(2):
        perm = np.arange(4)
        for j, p in enumerate(pivots[i].tolist()):
            perm[[j, p - 1]] = perm[[p - 1, j]]
        np.testing.assert_allclose(a[i][perm], arr(L)[i] @ arr(U)[i])
    # partial pivoting picks the largest magnitude in the column
    assert pivots.tolist()[0][0] == int(np.abs(a[0][:, 0]).argmax()) + 1
    assert len(fg.lu(T(a), get_infos=True)) == 3


def test_top_level_aliases_and_methods():
    rng = np.random.default_rng(9)
    a = well_conditioned(rng, (), 3)
    A = T(a)
    np.testing.assert_allclose(fg.logdet(A).item(), np.log(np.linalg.det(a)))
    assert math.isnan(fg.logdet(T(-np.eye(3))).item())
    assert fg.logdet(T(np.zeros((2, 2)))).item() == -math.inf
    r = fg.slogdet(T(-np.eye(3)))
    assert (r.sign.item(), r.logabsdet.item()) == (-1.0, 0.0)
    np.testing.assert_allclose(A.inverse().numpy(), np.linalg.inv(a))
    np.testing.assert_allclose(fg.matrix_power(A, 2).numpy(), a @ a)
    Q, R = fg.qr(A)
    np.testing.assert_allclose(arr(Q) @ arr(R), a)
    assert fg.qr(T(rng.standard_normal((4, 2))), some=False).Q.shape == (4, 4)
    U, S, V = fg.svd(T(rng.standard_normal((4, 2))), some=False)
    assert tuple(U.shape) == (4, 4) and tuple(S.shape) == (2,) and tuple(V.shape) == (2, 2)
    U, _S, V = fg.svd(T(rng.standard_normal((4, 2))), compute_uv=False)
    assert tuple(U.shape) == (4, 4) and not U.any()
    np.testing.assert_allclose(A.slogdet().logabsdet.item(), np.linalg.slogdet(a)[1])
    np.testing.assert_allclose(A.det().item(), np.linalg.det(a))
    np.testing.assert_allclose(A.pinverse().numpy(), np.linalg.inv(a))
    np.testing.assert_allclose(A.dist(2 * A).item(), np.linalg.norm(a))
    np.testing.assert_allclose(A.norm(1).item(), np.abs(a).sum())
    raises(RuntimeError, "linalg.matrix_norm: Order foo not supported.", fg.norm, A, "foo")
    np.testing.assert_allclose(arr(A.norm(dim=1)), np.linalg.norm(a, axis=1))


def test_empty_matrices():
    assert LA.det(fg.ones(0, 0)).item() == 1.0
    assert tuple(LA.inv(fg.ones(2, 0, 0)).shape) == (2, 0, 0)
    assert tuple(LA.svdvals(fg.ones(3, 0)).shape) == (0,)


# --- named tuples ----------------------------------------------------------------------


def test_named_tuples():
    A = T(spd(np.random.default_rng(10), (), 3))
    cases = [
        (LA.slogdet(A), "linalg_slogdet", ("sign", "logabsdet")),
        (fg.slogdet(A), "slogdet", ("sign", "logabsdet")),
        (LA.inv_ex(A), "linalg_inv_ex", ("inverse", "info")),
        (LA.solve_ex(A, A), "linalg_solve_ex", ("result", "info")),
        (LA.cholesky_ex(A), "linalg_cholesky_ex", ("L", "info")),
        (LA.qr(A), "linalg_qr", ("Q", "R")),
        (fg.qr(A), "qr", ("Q", "R")),
        (LA.svd(A), "linalg_svd", ("U", "S", "Vh")),
        (fg.svd(A), "svd", ("U", "S", "V")),
        (LA.eigh(A), "linalg_eigh", ("eigenvalues", "eigenvectors")),
        (LA.lstsq(A, A), "linalg_lstsq", ("solution", "residuals", "rank", "singular_values")),
        (LA.lu_factor(A), "linalg_lu_factor", ("LU", "pivots")),
        (LA.lu_factor_ex(A), "linalg_lu_factor_ex", ("LU", "pivots", "info")),
        (LA.lu(A), "linalg_lu", ("P", "L", "U")),
        (fg.triangular_solve(A, A), "triangular_solve", ("solution", "cloned_coefficient")),
    ]
    for r, name, fields in cases:
        assert type(r).__name__ == name
        assert isinstance(r, tuple) and len(r) == len(fields)
        for i, f in enumerate(fields):
            assert getattr(r, f) is r[i]
        assert repr(r).startswith(f"{fg.__name__}.return_types.{name}(\n{fields[0]}=")


# --- grad_fn names ---------------------------------------------------------------------


def test_grad_fn_names():
    rng = np.random.default_rng(11)
    A = T(well_conditioned(rng, (), 3), requires_grad=True)
    S = T(spd(rng, (), 3), requires_grad=True)

    def name(t):
        return type(t.grad_fn).__name__

    expected = {
        "LinalgDetBackward0": [LA.det(A), fg.det(A)],
        "LinalgSlogdetBackward0": [*LA.slogdet(A)],
        "LinalgInvExBackward0": [LA.inv(A), LA.inv_ex(A).inverse, fg.inverse(A)],
        "LinalgSolveExBackward0": [LA.solve(A, S), LA.solve(A, S[0]), LA.solve_ex(A, S).result],
        "LinalgCholeskyExBackward0": [LA.cholesky(S), LA.cholesky_ex(S).L, LA.cholesky(S, upper=True)],
        "CholeskyBackward0": [fg.cholesky(S)],
        "LinalgQrBackward0": [*LA.qr(A), *fg.qr(A)],
        "LinalgSvdBackward0": [*LA.svd(A), LA.svdvals(A), *fg.svd(A)[:2]],
        "TransposeBackward0": [fg.svd(A).V],
        "LinalgEighBackward0": [*LA.eigh(S), LA.eigvalsh(S)],
        "LinalgPinvBackward0": [LA.pinv(A), fg.pinverse(A), LA.pinv(S, hermitian=True)],
        "LinalgLstsqBackward0": [LA.lstsq(A, S).solution],
        "LinalgCrossBackward0": [LA.cross(A, S), fg.cross(A, S, dim=0)],
        "LinalgSolveTriangularBackward0": [LA.solve_triangular(A, S, upper=True)],
        "LinalgVectorNormBackward0": [LA.vector_norm(A), LA.norm(A), LA.matrix_norm(A), fg.norm(A, 3)],
        "SumBackward1": [LA.matrix_norm(A, "nuc"), LA.vecdot(A, S)],
        "AmaxBackward0": [LA.matrix_norm(A, 1), LA.matrix_norm(A, 2), LA.matrix_norm(A, math.inf)],
        "AminBackward0": [LA.matrix_norm(A, -1), LA.matrix_norm(A, -2)],
        "DistBackward0": [fg.dist(A, S), fg.dist(A, S, 1)],
        "MmBackward0": [LA.matrix_power(A, 3), LA.matrix_power(A, -2)],
        "CloneBackward0": [LA.matrix_power(A, 1)],
        "CopyBackwards": [LA.matrix_power(A, 0)],
        "DiagonalBackward0": [LA.diagonal(A)],
        "WhereBackward0": [fg.logdet(S)],
        "ViewBackward0": [LA.multi_dot([A, S, A])],
    }
    for node, outs in expected.items():
        for out in outs:
            assert name(out) == node
    assert LA.matrix_rank(A).grad_fn is None


# --- errors -------------------------------------------------------------------------------


def test_linalg_error_class():
    assert issubclass(LA.LinAlgError, RuntimeError)


def raises(exc, match, f, *args, **kw):
    with pytest.raises(exc) as info:
        f(*args, **kw)
    assert str(info.value) == match
    return info.value


def test_singular_errors():
    Z = fg.zeros(3, 3, dtype=F64)
    msg = ("linalg.inv: The diagonal element 1 is zero, the inversion could not be completed because the input "
           "matrix is singular.")
    raises(LA.LinAlgError, msg, LA.inv, Z)
    raises(LA.LinAlgError, msg, fg.inverse, Z)
    raises(LA.LinAlgError, msg, LA.matrix_power, Z, -1)
    batch = fg.stack([fg.eye(3, dtype=F64), Z])
    raises(LA.LinAlgError, "linalg.inv: (Batch element 1): The diagonal element 1 is zero, the inversion could not "
           "be completed because the input matrix is singular.", LA.inv, batch)
    partial = fg.tensor([[1.0, 2.0], [2.0, 4.0]])
    raises(LA.LinAlgError, "linalg.inv: The diagonal element 2 is zero, the inversion could not be completed "
           "because the input matrix is singular.", LA.inv, partial)
    raises(LA.LinAlgError, "torch.linalg.solve: The solver failed because the input matrix is singular.",
           LA.solve, Z, Z)
    _inverse, info = LA.inv_ex(batch)
    raises(LA.LinAlgError, msg.replace("linalg.inv", "linalg.inv_ex"), LA.inv_ex, Z, check_errors=True)
    raises(LA.LinAlgError, "torch.linalg.solve_ex: The solver failed because the input matrix is singular.",
           LA.solve_ex, Z, fg.ones(3, dtype=F64), check_errors=True)
    raises(RuntimeError, "torch.linalg.lu_factor: U[1,1] is zero and using it on lu_solve would result in a division "
           "by zero. If you still want to perform the factorization, consider calling linalg.lu(A, pivot) or "
           "linalg.lu_factor_ex(A, pivot)", LA.lu_factor, fg.zeros(2, 2))
    raises(RuntimeError, "linalg.cross: inputs must have the same number of dimensions.",
           LA.cross, fg.ones(3), fg.ones(2, 3))
    assert info.tolist() == [0, 1]
    assert LA.solve_ex(batch, batch).info.tolist() == [0, 1]


def test_cholesky_errors():
    N = fg.eye(3)
    N[1, 1] = -1
    msg = ("linalg.cholesky: The factorization could not be completed because the input is not positive-definite "
           "(the leading minor of order 2 is not positive-definite).")
    e = raises(LA.LinAlgError, msg, LA.cholesky, N)
    assert isinstance(e, RuntimeError)
    raises(LA.LinAlgError, msg.replace("linalg.cholesky: ", "linalg.cholesky: (Batch element 1): "),
           LA.cholesky, fg.stack([fg.eye(3), N]))
    raises(LA.LinAlgError, msg.replace("linalg.cholesky", "cholesky"), fg.cholesky, N)
    raises(LA.LinAlgError, msg.replace("order 2", "order 1"), LA.cholesky, -fg.eye(3))
    raises(LA.LinAlgError, msg.replace("linalg.cholesky", "linalg.cholesky_ex"), LA.cholesky_ex, N, check_errors=True)
    _L, info = LA.cholesky_ex(fg.stack([fg.eye(3), N, -fg.eye(3)]))
    assert info.tolist() == [0, 2, 1]


def test_shape_and_dtype_errors():
    R = fg.ones(2, 3)
    I = fg.ones(3, 3, dtype=fg.int64)
    for f, name in ((LA.inv, "linalg.inv"), (LA.det, "linalg.det"), (LA.slogdet, "linalg.slogdet"),
                    (LA.cholesky, "linalg.cholesky"), (LA.eigh, "linalg.eigh"), (LA.eigvalsh, "linalg.eigh")):
        raises(RuntimeError, f"{name}: A must be batches of square matrices, but they are 2 by 3 matrices", f, R)
    raises(RuntimeError, "linalg.solve: A must be batches of square matrices, but they are 2 by 3 matrices",
           LA.solve, R, R)
    raises(RuntimeError, "linalg.matrix_power: A must be batches of square matrices, but they are 2 by 3 matrices",
           LA.matrix_power, R, 2)
    for f, name in ((LA.inv, "linalg.inv"), (LA.det, "linalg.det"), (LA.cholesky, "linalg.cholesky"),
                    (LA.qr, "linalg.qr"), (LA.svd, "linalg.svd"), (LA.svdvals, "linalg.svd")):
        raises(RuntimeError, f"{name}: Expected a floating point or complex tensor as input. Got Long", f, I)
    for f, name in ((LA.inv, "linalg.inv"), (LA.det, "linalg.det"), (LA.qr, "linalg.qr"), (LA.svd, "linalg.svd")):
        raises(RuntimeError, f"{name}: The input tensor A must have at least 2 dimensions.", f, fg.ones(3))
    raises(NotImplementedError, "\"linalg_eigh_cpu\" not implemented for 'Long'", LA.eigh, I)
    raises(RuntimeError, "linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x2)",
           LA.solve, fg.eye(3), fg.ones(2, 2))
    raises(RuntimeError, "linalg.solve: Incompatible shapes of A and B for the equation XA = B (3x3 and 3x1)",
           LA.solve, fg.eye(3), fg.ones(3), left=False)
    raises(RuntimeError, "linalg.solve: Expected A and B to have the same dtype, but found A of type Float and B of "
           "type Double instead", LA.solve, fg.eye(3), fg.ones(3, 3, dtype=F64))
    raises(RuntimeError, "qr received unrecognized mode 'foo' but expected one of 'reduced' (default), 'r', or "
           "'complete'", LA.qr, R, mode="foo")
    raises(RuntimeError, "Expected UPLO argument to be 'L' or 'U', but got X", LA.eigh, fg.eye(3), UPLO="X")
    raises(RuntimeError, "linalg.pinv(Long{[3, 3]}): expected a tensor with 2 or more dimensions of float, double, "
           "cfloat or cdouble types", LA.pinv, I)
    raises(RuntimeError, "This function doesn't handle types other than float and double", LA.lstsq, I, I)
    raises(RuntimeError, "torch.linalg.lstsq: input.size(-2) should match other.size(-2)",
           LA.lstsq, fg.eye(3), fg.ones(2, 2))
    raises(RuntimeError, "linalg.cross: inputs dimension -1 must have length 3. Got 2 and 2",
           LA.cross, fg.ones(2, 2), fg.ones(2, 2))
    raises(RuntimeError, "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long",
           LA.vector_norm, I)
    raises(RuntimeError, "linalg.matrix_norm: Expected a floating point or complex tensor as input. Got Long",
           LA.matrix_norm, I)
    raises(RuntimeError, "linalg.matrix_norm: The input tensor A must have at least 2 dimensions.",
           LA.matrix_norm, fg.ones(3))
    raises(RuntimeError, "linalg.matrix_norm: Order 3 not supported.", LA.matrix_norm, R, 3)
    raises(RuntimeError, "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got 3D.",
           LA.norm, fg.ones(2, 2, 2), "fro")
    raises(RuntimeError, "multi_dot(): expected at least 2 tensors but got 1", LA.multi_dot, [R])
    raises(RuntimeError, "multi_dot(): the last tensor must be 1D or 2D but got 3D",
           LA.multi_dot, [R, fg.ones(3, 2, 2)])
    raises(NotImplementedError, "\"triangular_solve_cpu\" not implemented for 'Long'",
           LA.solve_triangular, I, I, upper=True)
    raises(RuntimeError, "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of "
           "elements, but got 3 and 4 elements respectively", LA.vecdot, fg.ones(3), fg.ones(4))


def test_qr_backward_errors():
    A = T(np.random.default_rng(12).standard_normal((4, 3)), requires_grad=True)
    raises(RuntimeError, "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use "
           "linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.",
           lambda: LA.qr(A, mode="r").R.sum().backward())
    raises(RuntimeError, "The QR decomposition is not differentiable when mode='complete' and nrows > ncols.",
           lambda: LA.qr(A, mode="complete").Q.sum().backward())


# --- gradients --------------------------------------------------------------------------


def leaf(a):
    return T(a, F64, requires_grad=True)


def check(f, *inputs, second=True):
    assert fg.autograd.gradcheck(f, inputs)
    if second:
        assert fg.autograd.gradgradcheck(f, inputs)


RNG = np.random.default_rng(13)
SQ = leaf(well_conditioned(RNG, (2,), 3) / 3)
TALL = leaf(RNG.standard_normal((4, 3)))
WIDE = leaf(RNG.standard_normal((2, 4)))
RHS = leaf(RNG.standard_normal((3, 2)))


def sym(x):
    return x @ x.mT + 3 * fg.eye(x.shape[-1], dtype=x.dtype)


def test_grad_det_slogdet_logdet():
    check(LA.det, SQ)
    check(lambda a: LA.slogdet(a).logabsdet, SQ)
    check(lambda a: fg.logdet(sym(a)), SQ)


def test_grad_inv_solve():
    check(LA.inv, SQ)
    check(LA.solve, SQ, RHS)  # broadcasting B over A's batch
    check(lambda a, b: LA.solve(a, b, left=False), SQ, leaf(RNG.standard_normal((4, 3))))
    check(LA.solve, SQ, leaf(RNG.standard_normal(3)))  # vector right-hand side
    check(lambda a: LA.matrix_power(a, -2), SQ)
    check(lambda a: LA.matrix_power(a, 3), SQ)


def test_grad_cholesky_and_triangular():
    check(lambda a: LA.cholesky(sym(a)), SQ)
    check(lambda a: LA.cholesky(sym(a), upper=True), SQ)
    check(lambda a: fg.cholesky_inverse(LA.cholesky(sym(a))), SQ, second=False)
    check(lambda a, b: fg.cholesky_solve(b, LA.cholesky(sym(a))), SQ, RHS, second=False)
    tri = leaf(np.triu(RNG.standard_normal((3, 3))) + 3 * np.eye(3))
    check(lambda a, b: LA.solve_triangular(a, b, upper=True), tri, RHS)
    check(lambda a, b: LA.solve_triangular(a.mT, b.mT, upper=False, left=False), tri, RHS)
    check(lambda a, b: LA.solve_triangular(a, b, upper=True, unitriangular=True), tri, RHS)


def test_grad_qr():
    for a in (TALL, SQ, WIDE):
        check(lambda x: LA.qr(x), a)
    check(lambda x: LA.qr(x, mode="complete"), SQ, second=False)


def test_grad_svd_gauge_invariant():
    for a in (TALL, SQ, WIDE):
        check(LA.svdvals, a)

        def f(x):
            U, S, Vh = LA.svd(x, full_matrices=False)
            return S, U @ Vh, U * U, Vh * Vh  # invariant under the sign of each singular pair

        check(f, a)

    def full(x):
        r = LA.svd(x, full_matrices=True)
        return r.U[..., :3] @ r.Vh

    check(full, TALL, second=False)
    check(lambda x: LA.matrix_norm(x, "nuc"), TALL)
    check(lambda x: LA.matrix_norm(x, 2), SQ)


def test_grad_eigh_gauge_invariant():
    def f(x):
        w, V = LA.eigh(sym(x))
        return w, V * V, (V * w.unsqueeze(-2)) @ V.mT

    check(f, SQ)
    check(lambda x: LA.eigvalsh(sym(x), UPLO="U"), SQ)


def test_grad_pinv_lstsq():
    for a in (TALL, SQ, WIDE):
        check(LA.pinv, a)
    check(lambda x: LA.pinv(sym(x), hermitian=True), SQ, second=False)
    check(lambda a, b: LA.lstsq(a, b).solution, TALL, leaf(RNG.standard_normal((4, 2))))
    check(lambda a, b: LA.lstsq(a, b).solution, TALL, leaf(RNG.standard_normal(4)), second=False)


def test_grad_norms_and_products():
    x = leaf(RNG.standard_normal((3, 4)))
    for ord in (2, 3.5, math.inf, 1):
        check(lambda t, o=ord: LA.vector_norm(t, o, dim=1), x, second=ord not in (math.inf, 1))
    for ord in ("fro", 1, -1, math.inf, -2):
        check(lambda t, o=ord: LA.matrix_norm(t, o), x, second=False)
    a, b = leaf(RNG.standard_normal((4, 3))), leaf(RNG.standard_normal((1, 3)))
    check(LA.cross, a, b)
    check(LA.vecdot, a, b)
    check(lambda p, q: fg.dist(p, q, 3), a, b)
    check(fg.dist, a, b)
    check(lambda p, q, r: LA.multi_dot([p, q.mT, r]), a, b, leaf(RNG.standard_normal((1, 5))))




def test_lu_factorizations_have_first_order_gradients():
    rng = np.random.default_rng(7)
    a = fg.tensor(rng.standard_normal((2, 4, 4)), requires_grad=True)
    assert fg.autograd.gradcheck(lambda x: fg.linalg.lu(x)[1], (a,))
    assert fg.autograd.gradcheck(lambda x: fg.linalg.lu(x)[2], (a,))
    assert fg.autograd.gradcheck(lambda x: fg.linalg.lu_factor(x)[0], (a,))
    p, l, u = fg.linalg.lu(a)
    assert not p.requires_grad
    np.testing.assert_allclose((p @ l @ u).detach().numpy(), a.detach().numpy(), atol=1e-12)
