"""PyTorch's top-level forms of the packed-factorization functions (`torch.geqrf`,
`torch.orgqr`, `torch.ormqr`, `torch.lu_solve`, `torch.lu_unpack`, `torch.matrix_exp`),
their Tensor methods, and the removed `torch.matrix_rank` / `torch.lstsq`, which raise."""

from __future__ import annotations

from typing import Any

from ._argcheck import need_tensor as _need_tensor
from ._core import Tensor
from ._linalg_aliases import linalg
from ._user_warning import triggered_internally, warn_once_at_caller


def _factorizations() -> Any:
    from .linalg import _factorizations as module

    return module


def matrix_exp(input: Tensor) -> Tensor:
    """e^A of each square matrix (as `linalg.matrix_exp`).

    Args:
        input: a square matrix or batch of them, float32 or float64.
    """
    return linalg.matrix_exp(input)


def geqrf(input: Tensor, *, out=None) -> Any:
    """(a, tau): QR in LAPACK's Householder form (see `linalg.householder_product`).

    Args:
        input: a matrix or batch of matrices, float32 or float64.
        out: an optional tuple of tensors the results are written into.
    """
    return _factorizations().geqrf(input)


def orgqr(input: Tensor, input2: Tensor) -> Tensor:
    """Q from `geqrf`'s reflectors (as `linalg.householder_product`).

    Args:
        input: the reflectors, shape (*, m, n) with m >= n.
        input2: their scalars tau, shape (*, k) with k <= n.
    """
    _need_tensor("orgqr", "input", 1, input)
    _need_tensor("orgqr", "input2", 2, input2)
    return linalg.householder_product(input, input2)


def ormqr(input: Tensor, input2: Tensor, input3: Tensor, left: bool = True, transpose: bool = False, *,
          out=None) -> Tensor:
    """Q C, Qᵀ C, C Q or C Qᵀ with Q given by `geqrf`'s reflectors.

    Args:
        input: the reflectors.
        input2: their scalars tau.
        input3: the matrix C.
        left: multiply from the left (default True).
        transpose: use Qᵀ (default False).
        out: an optional tensor the result is written into and returned.
    """
    _need_tensor("ormqr", "input", 1, input)
    _need_tensor("ormqr", "input2", 2, input2)
    _need_tensor("ormqr", "input3", 3, input3)
    return _factorizations().ormqr(input, input2, input3, left, transpose)


def lu_solve(b: Tensor, LU_data: Tensor, LU_pivots: Tensor, *, out=None) -> Tensor:
    """X with A X = b from `linalg.lu_factor`'s (LU, pivots) of A (the older argument order of
    `linalg.lu_solve`).

    Args:
        b: the right-hand side, shape (*, n, k).
        LU_data: the packed factors, shape (*, n, n).
        LU_pivots: the 1-based row swaps, int32.
        out: an optional tensor the result is written into and returned.
    """
    _need_tensor("lu_solve", "b", 1, b)
    _need_tensor("lu_solve", "LU_data", 2, LU_data)
    _need_tensor("lu_solve", "LU_pivots", 3, LU_pivots)
    warn_once_at_caller(_LU_SOLVE_DEPRECATED)
    return linalg.lu_solve(LU_data, LU_pivots, b)


_LU_SOLVE_DEPRECATED = triggered_internally(
    "ferrograd.lu_solve is deprecated in favor of ferrograd.linalg.lu_solveand will be removed in a future PyTorch "
    "release.\nNote that ferrograd.linalg.lu_solve has its arguments reversed.\nX = ferrograd.lu_solve(B, LU, pivots)\n"
    "should be replaced with\nX = ferrograd.linalg.lu_solve(LU, pivots, B)",
    "native/BatchLinearAlgebra.cpp:2230",
)


def lu_unpack(LU_data: Tensor, LU_pivots: Tensor, unpack_data: bool = True, unpack_pivots: bool = True, *,
              out=None) -> Any:
    """(P, L, U) with A = P L U from `linalg.lu_factor`'s packed factors.

    Args:
        LU_data: the packed factors, shape (*, m, n).
        LU_pivots: the 1-based row swaps, int32.
        unpack_data: compute L and U (default True).
        unpack_pivots: compute P (default True).
        out: an optional tuple of tensors the results are written into.
    """
    _need_tensor("lu_unpack", "LU_data", 1, LU_data)
    _need_tensor("lu_unpack", "LU_pivots", 2, LU_pivots)
    return _factorizations().lu_unpack(LU_data, LU_pivots, unpack_data, unpack_pivots)


def matrix_rank(input: Tensor, tol=None, symmetric: bool = False, *, out=None) -> Tensor:
    """Removed from PyTorch: raises, pointing at `linalg.matrix_rank`.

    Args:
        input: the matrix (unused).
        tol: the old tolerance (unused).
        symmetric: the old name of `hermitian` (unused).
        out: unused.
    """
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed.\n"
        "Please use the `torch.linalg.matrix_rank` function instead. "
        "The parameter 'symmetric' was renamed in `torch.linalg.matrix_rank()` to 'hermitian'.")


def lstsq(input: Tensor, A: Tensor, *, out=None) -> Any:
    """Removed from PyTorch: raises, pointing at `linalg.lstsq`.

    Args:
        input: the right-hand side B of the old argument order (unused).
        A: the matrix (unused).
        out: unused.
    """
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. "
        "`torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n"
        "`torch.linalg.lstsq` has reversed arguments and does not return the QR decomposition in "
        "the returned tuple (although it returns other information about the problem).\n\n"
        "To get the QR decomposition consider using `torch.linalg.qr`.\n\n"
        "The returned solution in `torch.lstsq` stored the residuals of the solution in the "
        "last m - n columns of the returned value whenever m > n. In torch.linalg.lstsq, "
        "the residuals are in the field 'residuals' of the returned named tuple.\n\n"
        "The unpacking of the solution, as in\n"
        "X, _ = torch.lstsq(B, A).solution[:A.size(1)]\n"
        "should be replaced with:\n"
        "X = torch.linalg.lstsq(A, B).solution")


def _tensor_ormqr(self: Tensor, input2: Tensor, input3: Tensor, left: bool = True, transpose: bool = False) -> Tensor:
    return ormqr(self, input2, input3, left, transpose)


def _tensor_lu_solve(self: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
    return lu_solve(self, LU_data, LU_pivots)


def _tensor_lstsq(self: Tensor, other: Tensor) -> Any:
    """Removed from PyTorch: raises, pointing at `linalg.lstsq`.

    Args:
        other: the matrix A of the old argument order (unused).
    """
    return lstsq(self, other)


def _install() -> None:
    T = Tensor
    T.matrix_exp = matrix_exp
    T.geqrf = geqrf
    T.orgqr = orgqr
    T.ormqr = _tensor_ormqr
    T.lu_solve = _tensor_lu_solve
    T.lstsq = _tensor_lstsq


_install()

__all__ = ["geqrf", "lstsq", "lu_solve", "lu_unpack", "matrix_exp", "matrix_rank", "orgqr", "ormqr"]
