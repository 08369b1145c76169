"""Randomized low-rank SVD and PCA (Halko, Martinsson and Tropp 2009, algorithms 4.4 and
5.1), as PyTorch's `svd_lowrank` and `pca_lowrank` compute them: a random Gaussian
sketch, `niter` subspace iterations re-orthonormalised by QR, then the SVD of the small
projected matrix."""

from __future__ import annotations

from . import _core
from ._core import Tensor

__all__ = ["pca_lowrank", "svd_lowrank"]


def _basis(A: Tensor, q: int, niter: int, M: Tensor | None) -> Tensor:
    """`q` orthonormal columns whose span approximates the range of `A - M`."""
    from . import linalg, randn

    dtype = A.dtype if A.dtype.is_floating_point or A.dtype.is_complex else _core.float32
    sketch = randn(A.shape[-1], q, dtype=dtype)

    def times(op: Tensor, minus: Tensor | None, x: Tensor) -> Tensor:
        return op @ x if minus is None else op @ x - minus @ x

    Q = linalg.qr(times(A, M, sketch)).Q
    for _ in range(niter):
        Q = linalg.qr(times(A.mH, None if M is None else M.mH, Q)).Q
        Q = linalg.qr(times(A, M, Q)).Q
    return Q


def _svd_lowrank(A: Tensor, q: int, niter: int, M: Tensor | None) -> tuple[Tensor, Tensor, Tensor]:
    from . import linalg

    m, n = A.shape[-2:]
    if M is not None:
        M = M.broadcast_to(tuple(A.shape))
    wide = m < n
    if wide:  # work on the tall transpose
        A = A.mH
        M = None if M is None else M.mH
    Q = _basis(A, q, niter, M)
    B = Q.mH @ A if M is None else Q.mH @ A - Q.mH @ M
    U, S, Vh = linalg.svd(B, full_matrices=False)
    U, V = Q @ U, Vh.mH
    return (V, S, U) if wide else (U, S, V)


def svd_lowrank(A: Tensor, q: int | None = 6, niter: int | None = 2,
                M: Tensor | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """`(U, S, V)` with `A ≈ U diag(S) V^H` (of `A - M` when `M` is given), from a random
    sketch of `q` columns: exact when `q` is at least the rank of `A`.

    Args:
        A: the matrix or batch of matrices, `(*, m, n)`.
        q: a slightly overestimated rank of `A` (default 6).
        niter: the number of subspace iterations (default 2).
        M: an optional mean, broadcast to the shape of `A`, subtracted from it.
    """
    return _svd_lowrank(A, 6 if q is None else q, 2 if niter is None else niter, M)


def pca_lowrank(A: Tensor, q: int | None = None, center: bool = True,
                niter: int = 2) -> tuple[Tensor, Tensor, Tensor]:
    """Principal component analysis of the rows of `A` by `svd_lowrank`: `(U, S, V)`,
    the columns of `V` the principal directions, `S ** 2 / (m - 1)` the variances.

    Args:
        A: the data, `(*, m, n)`: m samples of n features.
        q: a slightly overestimated rank (default `min(6, m, n)`).
        center: subtract the column means first.
        niter: the number of subspace iterations (default 2).
    """
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not 0 <= q <= min(m, n):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than min(m, n)={min(m, n)}")
    if not niter >= 0:
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if center:
        A = A - A.mean(dim=(-2,), keepdim=True)
    return _svd_lowrank(A, q, niter, None)
