"""`lobpcg`: the k largest (or smallest) eigenpairs of a symmetric positive definite
matrix, optionally of the generalized problem A x = λ B x.

PyTorch iterates LOBPCG from a random start until the residuals fall under `tol`; here
the eigenpairs come from a dense symmetric eigendecomposition (`linalg.eigh`, after a
Cholesky reduction when B is given): the values LOBPCG converges to, exact up to
rounding, at O(m³) cost. The arguments are checked as PyTorch checks them, and the random
start PyTorch draws is drawn too, so the generator's stream stays the same as PyTorch's.
Eigenvectors are unique only up to sign, and the signs are eigh's."""

from __future__ import annotations

from typing import Any

from . import _core
from ._core import Tensor
from ._lobpcg_checks import first_iteration, merge_ortho_options

__all__ = ["lobpcg"]


def _floating_dtype(A: Tensor) -> Any:
    return A.dtype if A.dtype in (_core.float16, _core.float32, _core.float64) else _core.float32


def lobpcg(A: Tensor, k: int | None = None, B: Tensor | None = None, X: Tensor | None = None,
           n: int | None = None, iK: Tensor | None = None, niter: int | None = None,
           tol: float | None = None, largest: bool | None = None, method: str | None = None,
           tracker: Any = None, ortho_iparams: dict | None = None, ortho_fparams: dict | None = None,
           ortho_bparams: dict | None = None) -> tuple[Tensor, Tensor]:
    """The `k` largest (or smallest) eigenvalues of the symmetric matrix `A` (batched over
    leading dims) and their eigenvectors, in PyTorch's order: descending for the
    largest, ascending for the smallest.

    Args:
        A: a symmetric (m, m) matrix, or a batch of them.
        k: the number of eigenpairs; None for X's columns, or 1.
        B: a symmetric positive definite matrix of A's shape for the generalized problem
            A x = λ B x; None for the identity.
        X: a starting guess (m, n) whose column count sets `n`; only its shape is used.
        n: the size of the subspace PyTorch iterates in (k by default); LOBPCG needs
            m >= 3n, which is checked.
        iK: PyTorch's preconditioner; accepted, not needed by the direct solve.
        niter: PyTorch's iteration limit; accepted, not needed by the direct solve.
        tol: PyTorch's residual tolerance; accepted (the direct solve is exact to rounding).
        largest: True (default) for the largest eigenvalues, False for the smallest.
        method: "ortho" or "basic" in PyTorch; accepted, the result is the same.
        tracker: PyTorch's per-iteration callback; not called (there are no iterations).
        ortho_iparams: integer options of the "ortho" method; accepted.
        ortho_fparams: float options of the "ortho" method; accepted.
        ortho_bparams: bool options of the "ortho" method; accepted.

    Returns:
        (E, X): eigenvalues of shape (*, k) and eigenvectors of shape (*, m, k).
    """
    from . import linalg, randn

    if A.requires_grad or (B is not None and B.requires_grad):
        A = (A + A.mT) / 2  # PyTorch symmetrizes first, so that the gradient is symmetric
        B = None if B is None else (B + B.mT) / 2
    if A.shape[-2] != A.shape[-1]:
        raise AssertionError(f"A must be square, got shape {A.shape}")
    if B is not None and A.shape != B.shape:
        raise AssertionError(f"A and B must have same shape, got {A.shape} vs {B.shape}")
    dtype = _floating_dtype(A)
    if tol is None and dtype not in (_core.float32, _core.float64):
        raise KeyError(dtype)  # PyTorch looks the default tolerance up in a float32/float64 table
    m = A.shape[-1]
    k = (1 if X is None else X.shape[-1]) if k is None else k
    n = (k if n is None else n) if X is None else X.shape[-1]
    if m < 3 * n:
        raise ValueError(f"LOBPCG algorithm is not applicable when the number of A rows (={m}) is smaller "
                         f"than 3 x the number of requested eigenpairs (={n})")
    merge_ortho_options(method, ortho_iparams, ortho_fparams, ortho_bparams)
    batch = tuple(A.shape[:-2])
    count = 1
    for size in batch:
        count *= size
    if X is None:
        # PyTorch's random starting blocks, one per matrix
        starts = [randn((m, n), dtype=dtype) for _ in range(count)]
        start = starts[0] if starts else None
    else:
        start = X.reshape((count, *X.shape[-2:]))[0] if batch else X
        if not (start.dim() == 2 and tuple(start.shape) == (m, n)):
            name = "X_" if batch else "X"
            raise AssertionError(f"{name} shape mismatch: got {start.shape}, expected {(m, n)}")
    if start is not None:
        first_A = A.reshape((count, m, m))[0] if batch else A
        first_B = None if B is None else B.reshape((count, m, m))[0] if batch else B
        first_iteration(first_A, first_B, start, n, tol, largest, niter, tracker)
    A = A.to(dtype)
    if B is None:
        values, vectors = linalg.eigh(A)
    else:
        L = linalg.cholesky(B.to(dtype))
        reduced = linalg.solve_triangular(L, linalg.solve_triangular(L, A, upper=False).mT, upper=False).mT
        values, Y = linalg.eigh(reduced)
        vectors = linalg.solve_triangular(L.mT, Y, upper=True)
    if largest is None or largest:
        return values[..., m - k:].flip(-1), vectors[..., m - k:].flip(-1)
    return values[..., :k], vectors[..., :k]
