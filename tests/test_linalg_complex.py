"""`ferrograd.linalg` on complex64/complex128: values against NumPy's LAPACK, dtypes,
batching and errors as PyTorch 2.13 gives them (observed there and written down here),
gradients by `gradcheck` (finite differences in the conjugate-Wirtinger convention)."""

import ferrograd as fg
import numpy as np
import pytest
from ferrograd.autograd import gradcheck, gradgradcheck

L = fg.linalg
DTYPES = [(fg.complex64, np.complex64, 1e-4), (fg.complex128, np.complex128, 1e-10)]


def rand(*shape, dtype=np.complex128, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


def hermitian_pd(*shape, dtype=np.complex128, seed=0):
    x = rand(*shape, dtype=np.complex128, seed=seed)
    h = x @ np.conj(np.swapaxes(x, -1, -2)) + shape[-1] * np.eye(shape[-1])
    return h.astype(dtype)


def arr(t):
    return np.asarray(t.detach().resolve_conj().numpy())


def close(t, expected, tol):
    np.testing.assert_allclose(arr(t), expected, rtol=tol * 10, atol=tol * 10)


def name_of(dtype):
    return str(dtype).split(".")[-1]


# --- forwards ------------------------------------------------------------------------


@pytest.mark.parametrize("fdt,ndt,tol", DTYPES)
def test_det_inv_solve_match_numpy(fdt, ndt, tol):
    a, b = rand(2, 3, 3, dtype=ndt), rand(2, 3, 2, dtype=ndt, seed=1)
    d = L.det(fg.tensor(a))
    assert d.dtype == fdt and tuple(d.shape) == (2,)
    close(d, np.linalg.det(a), tol)
    close(L.inv(fg.tensor(a)), np.linalg.inv(a), tol)
    close(L.solve(fg.tensor(a), fg.tensor(b)), np.linalg.solve(a, b), tol)
    x, info = L.inv_ex(fg.tensor(a))
    assert info.dtype == fg.int32 and info.tolist() == [0, 0]
    close(x, np.linalg.inv(a), tol)


@pytest.mark.parametrize("fdt,ndt,tol", DTYPES)
def test_slogdet_matches_numpy(fdt, ndt, tol):
    a = rand(2, 3, 3, dtype=ndt)
    sign, logabs = L.slogdet(fg.tensor(a))
    assert sign.dtype == fdt and logabs.dtype == fdt.to_real()
    expected_sign, expected_log = np.linalg.slogdet(a)
    close(sign, expected_sign, tol)
    close(logabs, expected_log, tol)
    sign, logabs = L.slogdet(fg.zeros(3, 3, dtype=fdt))
    assert sign.item() == 0 and logabs.item() == -np.inf


@pytest.mark.parametrize("fdt,ndt,tol", DTYPES)
def test_solve_vector_and_right_side(fdt, ndt, tol):
    a, v = rand(2, 3, 3, dtype=ndt), rand(2, 3, dtype=ndt, seed=1)
    x = L.solve(fg.tensor(a), fg.tensor(v))
    assert tuple(x.shape) == (2, 3)
    close(x, np.linalg.solve(a, v[..., None])[..., 0], tol)
    b = rand(4, 3, dtype=ndt, seed=2)
    x = L.solve(fg.tensor(a), fg.tensor(b), left=False)  # X A = B, broadcast over A's batch
    close(x, np.swapaxes(np.linalg.solve(np.swapaxes(a, -1, -2), b.T), -1, -2), tol)


@pytest.mark.parametrize("fdt,ndt,tol", DTYPES)
def test_cholesky_lower_and_upper(fdt, ndt, tol):
    h = hermitian_pd(2, 3, 3, dtype=ndt)
    lower = np.linalg.cholesky(h)
    close(L.cholesky(fg.tensor(h)), lower, tol)
    close(L.cholesky(fg.tensor(h), upper=True), np.conj(np.swapaxes(lower, -1, -2)), tol)
    factor, info = L.cholesky_ex(fg.tensor(h))
    assert factor.dtype == fdt and info.tolist() == [0, 0]


@pytest.mark.parametrize("dtype", [fg.float64, fg.complex128])
def test_cholesky_upper_reads_the_upper_triangle(dtype):
    # PyTorch (LAPACK potrf with 'U'): the 100 below the diagonal is never read
    a = fg.tensor([[4.0, 1.0], [100.0, 5.0]], dtype=dtype)
    np.testing.assert_allclose(arr(L.cholesky(a, upper=True)), [[2.0, 0.5], [0.0, np.sqrt(4.75)]])
    with pytest.raises(L.LinAlgError, match="leading minor of order 2"):
        L.cholesky(a.mT.contiguous(), upper=True)


def test_cholesky_reads_one_triangle_and_the_real_diagonal():
    h = hermitian_pd(3, 3)
    messy = np.tril(h) + np.triu(rand(3, 3, seed=5), 1) + 1j * np.diag([1.0, 2.0, 3.0])
    close(L.cholesky(fg.tensor(messy)), np.linalg.cholesky(h), 1e-10)


@pytest.mark.parametrize("fdt,ndt,tol", DTYPES)
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_values_vectors_and_phase(fdt, ndt, tol, uplo):
    h = hermitian_pd(2, 4, 4, dtype=ndt)
    w, v = L.eigh(fg.tensor(h), UPLO=uplo)
    assert w.dtype == fdt.to_real() and v.dtype == fdt
    close(w, np.linalg.eigvalsh(h), tol)
    close(L.eigvalsh(fg.tensor(h), UPLO=uplo), np.linalg.eigvalsh(h), tol)
    vn = arr(v)
    close(v @ fg.diag_embed(w.to(fdt)) @ v.mH, h, tol * 10)
    # LAPACK's tridiagonal reduction leaves the first row (lower) or last row (upper) real
    row = vn[..., 0, :] if uplo == "L" else vn[..., -1, :]
    assert np.abs(row.imag).max() < tol * 100


@pytest.mark.parametrize("fdt,ndt,tol", DTYPES)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (3, 3)])
def test_svd_values_reconstruction_and_phase(fdt, ndt, tol, shape):
    a = rand(2, *shape, dtype=ndt)
    u, s, vh = L.svd(fg.tensor(a), full_matrices=False)
    assert s.dtype == fdt.to_real() and u.dtype == fdt and vh.dtype == fdt
    close(s, np.linalg.svd(a, compute_uv=False), tol)
    close(L.svdvals(fg.tensor(a)), np.linalg.svd(a, compute_uv=False), tol)
    close((u * s.to(fdt).unsqueeze(-2)) @ vh, a, tol * 10)
    # LAPACK's bidiagonalization: Vh's first column real when m >= n, U's first row otherwise
    edge = arr(vh)[..., :, 0] if shape[0] >= shape[1] else arr(u)[..., 0, :]
    assert np.abs(edge.imag).max() < tol * 100
    uf, _, vhf = L.svd(fg.tensor(a))
    k = min(shape)
    assert tuple(uf.shape) == (2, shape[0], shape[0]) and tuple(vhf.shape) == (2, shape[1], shape[1])
    eye_m = np.broadcast_to(np.eye(shape[0]), (2, *shape[:1] * 2))
    close(uf.mH @ uf, eye_m, tol * 10)
    assert k == s.shape[-1]


@pytest.mark.parametrize("fdt,ndt,tol", DTYPES)
@pytest.mark.parametrize("shape", [(5, 3), (3, 3), (3, 5)])
def test_qr_equals_lapack(fdt, ndt, tol, shape):
    a = rand(*shape, dtype=ndt)
    q, r = L.qr(fg.tensor(a))
    nq, nr = np.linalg.qr(a)  # LAPACK's geqrf: R with a real diagonal, the same signs
    close(q, nq, tol)
    close(r, nr, tol)
    qc, rc = L.qr(fg.tensor(a), mode="complete")
    assert tuple(qc.shape) == (shape[0], shape[0]) and tuple(rc.shape) == shape
    close(qc @ rc, a, tol * 10)
    q0, r0 = L.qr(fg.tensor(a), mode="r")
    assert tuple(q0.shape) == (0,)
    close(r0, nr, tol)


@pytest.mark.parametrize("fdt,ndt,tol", DTYPES)
def test_lu_factor_lu_and_lu_solve(fdt, ndt, tol):
    a, b = rand(2, 3, 3, dtype=ndt), rand(2, 3, 2, dtype=ndt, seed=1)
    p, lo, up = L.lu(fg.tensor(a))
    close(p @ lo @ up, a, tol * 10)
    assert np.allclose(np.tril(arr(up), -1), 0) and np.allclose(np.diagonal(arr(lo), 0, -2, -1), 1)
    lu, piv = L.lu_factor(fg.tensor(a))
    assert lu.dtype == fdt and piv.dtype == fg.int32 and tuple(piv.shape) == (2, 3)
    close(L.lu_solve(lu, piv, fg.tensor(b)), np.linalg.solve(a, b), tol)
    close(L.lu_solve(lu, piv, fg.tensor(b), adjoint=True),
          np.linalg.solve(np.conj(np.swapaxes(a, -1, -2)), b), tol)
    bt = np.swapaxes(b, -1, -2).copy()
    expected = np.swapaxes(np.linalg.solve(np.swapaxes(a, -1, -2), np.swapaxes(bt, -1, -2)), -1, -2)
    close(L.lu_solve(lu, piv, fg.tensor(bt), left=False), expected, tol)


@pytest.mark.parametrize("fdt,ndt,tol", DTYPES)
def test_lu_of_a_wide_matrix(fdt, ndt, tol):
    a = rand(3, 5, dtype=ndt)
    p, lo, up = L.lu(fg.tensor(a))
    assert tuple(lo.shape) == (3, 3) and tuple(up.shape) == (3, 5)
    close(p @ lo @ up, a, tol * 10)


@pytest.mark.parametrize("fdt,ndt,tol", DTYPES)
def test_solve_triangular(fdt, ndt, tol):
    a = np.triu(rand(3, 3, dtype=ndt)) + 3 * np.eye(3, dtype=ndt)
    b = rand(2, 3, 2, dtype=ndt, seed=1)
    close(L.solve_triangular(fg.tensor(a), fg.tensor(b), upper=True), np.linalg.solve(a, b), tol)
    lo = a.T.copy()
    bt = np.swapaxes(b, -1, -2).copy()
    x = L.solve_triangular(fg.tensor(lo), fg.tensor(bt), upper=False, left=False)
    close(x @ fg.tensor(lo), bt, tol * 10)
    unit = L.solve_triangular(fg.tensor(a), fg.tensor(b), upper=True, unitriangular=True)
    a1 = a.copy()
    np.fill_diagonal(a1, 1)
    close(unit, np.linalg.solve(a1, b), tol)


@pytest.mark.parametrize("fdt,ndt,tol", DTYPES)
def test_pinv_lstsq_rank(fdt, ndt, tol):
    a, b = rand(5, 3, dtype=ndt), rand(5, 2, dtype=ndt, seed=1)
    close(L.pinv(fg.tensor(a)), np.linalg.pinv(a), tol)
    close(L.pinv(fg.tensor(a.T.copy())), np.linalg.pinv(a.T), tol)
    h = hermitian_pd(3, 3, dtype=ndt)
    close(L.pinv(fg.tensor(h), hermitian=True), np.linalg.pinv(h), tol)
    sol = L.lstsq(fg.tensor(a), fg.tensor(b))
    close(sol.solution, np.linalg.lstsq(a, b, rcond=None)[0], tol)
    assert sol.rank.dtype == fg.int64 and sol.rank.item() == 3
    assert sol.residuals.dtype == fdt.to_real() and tuple(sol.residuals.shape) == (0,)
    full = L.lstsq(fg.tensor(a), fg.tensor(b), driver="gelsd")
    assert full.singular_values.dtype == fdt.to_real()
    close(full.residuals, np.linalg.lstsq(a, b, rcond=None)[1], tol)
    low_rank = a[:, :1] @ rand(1, 3, dtype=ndt, seed=3)
    rank = L.matrix_rank(fg.tensor(low_rank))
    assert rank.dtype == fg.int64 and rank.item() == 1


@pytest.mark.parametrize("fdt,ndt,tol", DTYPES)
def test_matrix_exp(fdt, ndt, tol):
    a = rand(2, 3, 3, dtype=ndt) * 0.7
    w, v = np.linalg.eig(a.astype(np.complex128))
    expected = v @ (np.exp(w)[..., None] * np.linalg.inv(v))
    out = L.matrix_exp(fg.tensor(a))
    assert out.dtype == fdt
    close(out, expected, tol)


def test_householder_product_is_lapack_q():
    a = rand(4, 3)
    # NumPy's raw mode returns geqrf's reflectors (transposed) and tau
    h, tau = np.linalg.qr(a, mode="raw")
    q = L.householder_product(fg.tensor(h.T.copy()), fg.tensor(tau))
    close(q, np.linalg.qr(a)[0], 1e-10)


@pytest.mark.parametrize("upper", [False, True])
def test_older_cholesky_functions(upper):
    h, b = hermitian_pd(2, 3, 3), rand(2, 3, 2, seed=1)
    factor = fg.cholesky(fg.tensor(h), upper=upper)
    lower = np.linalg.cholesky(h)
    close(factor, np.conj(np.swapaxes(lower, -1, -2)) if upper else lower, 1e-10)
    close(fg.cholesky_solve(fg.tensor(b), factor, upper=upper), np.linalg.solve(h, b), 1e-10)
    close(fg.cholesky_inverse(factor[0], upper=upper), np.linalg.inv(h[0]), 1e-10)


def test_older_svd_returns_v_not_its_adjoint():
    a = rand(4, 3)
    u, s, v = fg.svd(fg.tensor(a))
    assert tuple(v.shape) == (3, 3) and s.dtype == fg.float64
    close((u * s.to(fg.complex128).unsqueeze(-2)) @ v.mH, a, 1e-10)


def test_logdet_is_complex_log_of_det():
    a = rand(2, 3, 3)
    out = fg.logdet(fg.tensor(a))
    assert out.dtype == fg.complex128
    d = np.linalg.det(a)
    close(out, np.log(np.abs(d)) + 1j * np.angle(d), 1e-10)


def test_ormqr_and_vander():
    a, c = rand(4, 3), rand(4, 2, seed=1)
    h, tau = np.linalg.qr(a, mode="raw")
    q = np.linalg.qr(a, mode="complete")[0]
    geqrf_out = fg.tensor(h.T.copy())
    close(fg.ormqr(geqrf_out, fg.tensor(tau), fg.tensor(c)), q @ c, 1e-10)
    close(fg.ormqr(geqrf_out, fg.tensor(tau), fg.tensor(c), transpose=True), q.conj().T @ c, 1e-10)
    close(fg.ormqr(geqrf_out, fg.tensor(tau), fg.tensor(c.T.copy()), left=False), c.T @ q, 1e-10)
    close(fg.ormqr(geqrf_out, fg.tensor(tau), fg.tensor(c.T.copy()), left=False, transpose=True),
          c.T @ q.conj().T, 1e-10)
    x = np.array([1 + 1j, 2 - 0.5j, -1j])
    v = L.vander(fg.tensor(x))
    assert v.dtype == fg.complex128
    close(v, np.vander(x, increasing=True), 1e-12)


def test_ldl_factor_of_a_complex_symmetric_matrix_as_lapack():
    a = np.array([[0, 2 + 1j, 1], [2 + 1j, 0, 3j], [1, 3j, 1]])
    ld, pivots = L.ldl_factor(fg.tensor(a))
    # PyTorch's (LAPACK zsytrf) output: a 2x2 block first, swapped with row 2
    assert pivots.dtype == fg.int32 and pivots.tolist() == [-2, -2, 3]
    close(ld, [[0, 0, 0], [2 + 1j, 0, 0], [0.6 + 1.2j, 0.4 - 0.2j, -0.2 - 2.4j]], 1e-12)
    b = np.array([[1], [2j], [3]])
    close(L.ldl_solve(ld, pivots, fg.tensor(b)), np.linalg.solve(a, b), 1e-12)
    ld, pivots = L.ldl_factor(fg.tensor(np.array([[4, 1 + 1j], [1 + 1j, 3]], dtype=np.complex64)))
    assert ld.dtype == fg.complex64 and pivots.tolist() == [1, 2]
    close(ld, [[4, 0], [0.25 + 0.25j, 3 - 0.5j]], 1e-6)
    # hermitian=True reads the lower triangle as Hermitian (LAPACK zhetrf; PyTorch's output)
    ld, pivots = L.ldl_factor(fg.tensor(a), hermitian=True)
    assert pivots.tolist() == [-2, -2, 3]
    close(ld, [[0, 0, 0], [2 + 1j, 0, 0], [-0.6 + 1.2j, 0.4 - 0.2j, 2.2]], 1e-12)


@pytest.mark.parametrize("fn", [
    lambda t: L.det(t), lambda t: L.inv(t), lambda t: L.cholesky(t), lambda t: L.eigvalsh(t),
    lambda t: L.svdvals(t), lambda t: L.qr(t).R, lambda t: L.lu_factor(t).LU,
])
def test_empty_batches_keep_their_shapes(fn):
    out = fn(fg.zeros(0, 3, 3, dtype=fg.complex128))
    assert out.shape[0] == 0


def test_zero_size_matrices():
    assert L.det(fg.zeros(2, 0, 0, dtype=fg.complex64)).tolist() == [1 + 0j, 1 + 0j]
    assert tuple(L.inv(fg.zeros(0, 0, dtype=fg.complex128)).shape) == (0, 0)


# --- errors (PyTorch's types) ---------------------------------------------------------


def test_singular_and_not_positive_definite_raise_linalg_error():
    s = fg.zeros(2, 2, dtype=fg.complex128)
    with pytest.raises(L.LinAlgError, match="diagonal element 1 is zero"):
        L.inv(s)
    with pytest.raises(L.LinAlgError, match="input matrix is singular"):
        L.solve(s, s)
    with pytest.raises(L.LinAlgError, match="leading minor of order 1"):
        L.cholesky(s)
    with pytest.raises(RuntimeError, match=r"U\[1,1\] is zero"):
        L.lu_factor(s)
    _, info = L.inv_ex(s)
    assert info.item() == 1
    _, info = L.cholesky_ex(s)
    assert info.item() == 1
    batched = np.stack([np.eye(2), np.zeros((2, 2))]).astype(np.complex64)
    with pytest.raises(L.LinAlgError, match=r"\(Batch element 1\)"):
        L.inv(fg.tensor(batched))
    assert L.det(s).item() == 0


@pytest.mark.parametrize("fn", [L.det, L.inv, L.cholesky, L.eigh, L.slogdet])
def test_non_square_raises_runtime_error(fn):
    with pytest.raises(RuntimeError, match="A must be batches of square matrices, but they are 2 by 3"):
        fn(fg.zeros(2, 3, dtype=fg.complex128))


def test_mixed_dtypes_raise_runtime_error():
    a = fg.eye(2, dtype=fg.complex128)
    with pytest.raises(RuntimeError, match="found A of type ComplexDouble and B of type Double"):
        L.solve(a, fg.eye(2, dtype=fg.float64))
    # solve_triangular solves in A's dtype instead (PyTorch copies B into its result)
    assert L.solve_triangular(a, fg.eye(2, dtype=fg.complex64), upper=True).dtype == fg.complex128


def test_one_dimensional_input_raises_runtime_error():
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        L.qr(fg.zeros(3, dtype=fg.complex64))


# --- gradients -------------------------------------------------------------------------


def leaf(a):
    return fg.tensor(a).requires_grad_()


def herm(x):
    return x @ x.mH + 3 * fg.eye(x.shape[-1], dtype=x.dtype)


def projector(v):
    """The projector onto the first eigenvector: free of its phase."""
    return v[..., :1] @ v[..., :1].mH


def u_vh(usv):
    """U Vh over the thin factors: free of the singular vectors' phases."""
    u, s, vh = usv
    k = s.shape[-1]
    return u[..., :k] @ vh[..., :k, :]


GRADS = {
    "inv": (lambda a: L.inv(a), [(2, 3, 3)], "LinalgInvExBackward0"),
    "solve": (lambda a, b: L.solve(a, b), [(2, 3, 3), (3, 2)], "LinalgSolveExBackward0"),
    "solve_vector": (lambda a, b: L.solve(a, b), [(3, 3), (3,)], "LinalgSolveExBackward0"),
    "solve_right": (lambda a, b: L.solve(a, b, left=False), [(3, 3), (2, 3)], "LinalgSolveExBackward0"),
    "det": (lambda a: L.det(a), [(2, 3, 3)], "LinalgDetBackward0"),
    "cholesky": (lambda x: L.cholesky(herm(x)), [(3, 3)], "LinalgCholeskyExBackward0"),
    "cholesky_upper": (lambda x: L.cholesky(herm(x), upper=True), [(3, 3)], "LinalgCholeskyExBackward0"),
    "eigvalsh": (lambda x: L.eigvalsh(herm(x)), [(3, 3)], "LinalgEighBackward0"),
    "eigh_abs_vectors": (lambda x: L.eigh(herm(x)).eigenvectors.abs(), [(3, 3)], "AbsBackward0"),
    "eigh_projector": (lambda x: projector(L.eigh(herm(x)).eigenvectors), [(3, 3)], "MmBackward0"),
    "svdvals": (lambda x: L.svdvals(x), [(4, 3)], "LinalgSvdBackward0"),
    "svd_abs_tall": (lambda x: L.svd(x, full_matrices=False).U.abs(), [(5, 3)], "AbsBackward0"),
    "svd_uvh_wide": (lambda x: u_vh(L.svd(x, full_matrices=False)), [(3, 5)], "MmBackward0"),
    "svd_uvh_full": (lambda x: u_vh(L.svd(x)), [(3, 3)], "MmBackward0"),
    "qr_tall": (lambda x: L.qr(x).Q, [(4, 3)], "LinalgQrBackward0"),
    "qr_r_square": (lambda x: L.qr(x).R, [(3, 3)], "LinalgQrBackward0"),
    "qr_wide": (lambda x: L.qr(x).Q, [(3, 5)], "LinalgQrBackward0"),
    "qr_wide_r": (lambda x: L.qr(x).R, [(3, 5)], "LinalgQrBackward0"),
    "solve_triangular": (lambda a, b: L.solve_triangular(a.triu() + 3 * fg.eye(3, dtype=a.dtype), b, upper=True),
                         [(3, 3), (3, 2)], "LinalgSolveTriangularBackward0"),
    "pinv": (lambda a: L.pinv(a), [(3, 5)], "LinalgPinvBackward0"),
    "pinv_tall": (lambda a: L.pinv(a), [(5, 3)], "LinalgPinvBackward0"),
    "lstsq": (lambda a, b: L.lstsq(a, b).solution, [(5, 3), (5, 2)], "LinalgLstsqBackward0"),
    "matrix_exp": (lambda a: L.matrix_exp(a), [(3, 3)], "LinalgMatrixExpBackward0"),
    "lu": (lambda a: L.lu(a).U, [(3, 3)], "LinalgLuBackward0"),
    "lu_lower_wide": (lambda a: L.lu(a).L, [(3, 5)], "LinalgLuBackward0"),
    "lu_tall": (lambda a: L.lu(a).U, [(5, 3)], "LinalgLuBackward0"),
    "lu_factor": (lambda a: L.lu_factor(a).LU, [(2, 3, 3)], "LinalgLuFactorExBackward0"),
    "lu_solve": (lambda a, b: L.lu_solve(*L.lu_factor(a), b, adjoint=True), [(3, 3), (3, 2)], "LinalgLuSolveBackward0"),
    "slogdet": (lambda a: L.slogdet(a).logabsdet, [(2, 3, 3)], "LinalgSlogdetBackward0"),
    "slogdet_sign": (lambda a: L.slogdet(a).sign, [(3, 3)], "LinalgSlogdetBackward0"),
    "householder_product": (lambda a, t: L.householder_product(a, t), [(4, 3), (2,)],
                            "LinalgHouseholderProductBackward0"),
    "older_cholesky": (lambda x: fg.cholesky(herm(x)), [(3, 3)], "CholeskyBackward0"),
    "cholesky_solve": (lambda b, x: fg.cholesky_solve(b, L.cholesky(herm(x))), [(3, 2), (3, 3)],
                       "CholeskySolveBackward0"),
    "cholesky_inverse": (lambda x: fg.cholesky_inverse(L.cholesky(herm(x)), upper=False), [(3, 3)],
                         "CholeskyInverseBackward0"),
    "logdet": (lambda a: fg.logdet(a), [(3, 3)], "AddBackward0"),
}


@pytest.mark.parametrize("name", list(GRADS))
def test_gradcheck_complex128(name):
    f, shapes, node = GRADS[name]
    inputs = [leaf(rand(*s, seed=i)) for i, s in enumerate(shapes)]
    assert gradcheck(f, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)
    assert f(*inputs).grad_fn.name() == node


@pytest.mark.parametrize("name", ["inv", "solve", "solve_vector", "solve_right", "det", "slogdet", "cholesky",
                                  "cholesky_upper", "older_cholesky", "eigvalsh", "svdvals", "qr_tall", "qr_wide",
                                  "qr_wide_r", "pinv", "solve_triangular", "lu"])
def test_gradgradcheck_complex128(name):
    f, shapes, _ = GRADS[name]
    inputs = [leaf(rand(*s, seed=i)) for i, s in enumerate(shapes)]
    assert gradgradcheck(f, inputs, eps=1e-6, atol=1e-4, rtol=1e-3)


def test_eigh_phase_dependent_loss_is_refused():
    x = leaf(rand(3, 3))
    v = L.eigh(herm(x)).eigenvectors
    with pytest.raises(RuntimeError, match="specified up to multiplication by"):
        v[1, 1].real.backward()


def test_svd_phase_dependent_loss_is_refused():
    x = leaf(rand(4, 3))
    u = L.svd(x, full_matrices=False).U
    with pytest.raises(RuntimeError, match="specified up to multiplication by"):
        u[1, 1].real.backward()


def test_qr_mode_r_is_not_differentiable():
    x = leaf(rand(3, 3))
    with pytest.raises(RuntimeError, match="mode='r'"):
        L.qr(x, mode="r").R.abs().sum().backward()


def test_det_gradient_formula():
    a = rand(3, 3)
    x = leaf(a)
    L.det(x).real.backward()
    # Re(det) changes by Re(det tr(A^{-1} dA)): its dRe + i dIm is conj(det) A^{-H}
    expected = np.conj(np.linalg.det(a)) * np.linalg.inv(a).conj().T
    np.testing.assert_allclose(arr(x.grad), expected, rtol=1e-8)


@pytest.mark.parametrize("dtype", [fg.float64, fg.complex128])
def test_det_gradient_at_a_singular_matrix(dtype):
    # PyTorch: zero without create_graph; with it, the adjugate (its SVD form)
    x = fg.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=dtype, requires_grad=True)
    L.det(x).real.backward() if dtype.is_complex else L.det(x).backward()
    assert arr(x.grad).tolist() == [[0, 0], [0, 0]]
    x = fg.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=dtype, requires_grad=True)
    d = L.det(x)
    (g,) = fg.autograd.grad(d.real if dtype.is_complex else d, x, create_graph=True)
    np.testing.assert_allclose(arr(g), [[4, -2], [-2, 1]], atol=1e-12)
    (gg,) = fg.autograd.grad(g.abs().sum(), x)
    np.testing.assert_allclose(arr(gg), [[1, 1], [1, 1]], atol=1e-12)


def test_det_double_backward_of_an_invertible_complex_matrix():
    x = fg.tensor([[1.0, 2j], [2.0, 4.0]], dtype=fg.complex128, requires_grad=True)
    (g,) = fg.autograd.grad(L.det(x).real, x, create_graph=True)
    np.testing.assert_allclose(arr(g), [[4, -2], [2j, 1]], atol=1e-12)
