"""Functions PyTorch removed in 1.9 but still names: calling one raises PyTorch's
RuntimeError, saying which `linalg` function replaces it."""

from __future__ import annotations

from typing import NoReturn

__all__ = ["eig", "solve", "symeig"]

_REMOVED = "This function was deprecated since version 1.9 and is now removed. "


def eig(self, eigenvectors: bool = False, *, e=None, v=None) -> NoReturn:
    """Removed: use `linalg.eigvals(A)` for the eigenvalues, `linalg.eig(A)` for both
    (complex results instead of real pairs).

    Args:
        self: a square matrix.
        eigenvectors: whether eigenvectors were wanted.
        e: the old output tensor of eigenvalues.
        v: the old output tensor of eigenvectors.
    """
    raise RuntimeError(
        _REMOVED + "Use linalg.eigvals(A) instead of eig(A) and linalg.eig(A) instead of "
        "eig(A, eigenvectors=True); they return complex tensors rather than real pairs."
    )


def solve(input, A, *, out=None) -> NoReturn:
    """Removed: `solve(B, A).solution` is `linalg.solve(A, B)` (arguments reversed).

    Args:
        input: the right-hand side B.
        A: the matrix.
        out: the old output tuple.
    """
    raise RuntimeError(
        _REMOVED + "Use linalg.solve(A, B) instead of solve(B, A).solution (the arguments are "
        "reversed and no LU factorization is returned; see lu_factor for it)."
    )


def symeig(input, eigenvectors: bool = False, upper: bool = True, *, out=None) -> NoReturn:
    """Removed: use `linalg.eigvalsh(A, UPLO=...)` or `linalg.eigh(A, UPLO=...)`, which
    read the lower triangle by default.

    Args:
        input: a symmetric matrix.
        eigenvectors: whether eigenvectors were wanted.
        upper: which triangle was read.
        out: the old output tuple.
    """
    raise RuntimeError(
        _REMOVED + "Use linalg.eigvalsh(A, UPLO='U' if upper else 'L') instead of symeig(A, upper=upper) "
        "and linalg.eigh(A, UPLO=...) instead of symeig(A, eigenvectors=True)."
    )
