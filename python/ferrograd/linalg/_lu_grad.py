"""Gradients of the LU factorizations (`linalg.lu`, `linalg.lu_factor(_ex)`).

For a square A = P L U, with incoming gradients gL and gU (PyTorch's formula):
    phi = tril(Lᵀ gL, -1) + triu(gU Uᵀ),   gA = P L⁻ᵀ phi U⁻ᵀ
Once differentiable for now: a second derivative raises instead of coming out wrong.
"""

from __future__ import annotations

from .. import _core
from .._core import Tensor
from ..autograd.function import Function, once_differentiable


def _lu_backward(P: Tensor, L: Tensor, U: Tensor, gL: Tensor, gU: Tensor) -> Tensor:
    if L.shape[-2] != U.shape[-1]:
        raise RuntimeError("linalg.lu: the derivative of the LU factorization of a non-square matrix is not "
                           "implemented in ferrograd")
    phi = (L.mT @ gL).tril(-1) + (gU @ U.mT).triu()
    x = _core._linalg_solve_triangular(L.mT, phi, True, True, True)
    x = _core._linalg_solve_triangular(U.mT, x, False, False, False)
    return P @ x


class LinalgLu(Function):
    """(P, L, U) of `linalg.lu` with a gradient for L and U."""

    _ferro_node_name = "LinalgLuBackward0"

    @staticmethod
    def forward(ctx, A):
        P, L, U = _core._linalg_lu(A)
        ctx.mark_non_differentiable(P)
        ctx.save_for_backward(P, L, U)
        return P, L, U

    @staticmethod
    @once_differentiable
    def backward(ctx, gP, gL, gU):
        P, L, U = ctx.saved_tensors
        return _lu_backward(P, L, U, gL, gU)


class LinalgLuFactorEx(Function):
    """(LU, pivots, info) of `linalg.lu_factor_ex` with a gradient for the packed LU."""

    _ferro_node_name = "LinalgLuFactorExBackward0"

    @staticmethod
    def forward(ctx, A):
        LU, pivots, info = _core._linalg_lu_factor_ex(A)
        P, L, U = _core._linalg_lu(A)
        ctx.mark_non_differentiable(pivots, info)
        ctx.save_for_backward(P, L, U)
        return LU, pivots, info

    @staticmethod
    @once_differentiable
    def backward(ctx, gLU, gpivots, ginfo):
        P, L, U = ctx.saved_tensors
        return _lu_backward(P, L, U, gLU.tril(-1), gLU.triu())
