"""Gradients of the LU factorizations (`linalg.lu`, `linalg.lu_factor(_ex)`).

For a square A = P L U, with incoming gradients gL and gU (PyTorch's formula):
    phi = tril(Lᵀ gL, -1) + triu(gU Uᵀ),   gA = P L⁻ᵀ phi U⁻ᵀ
The formula is written with differentiable ops, so its own derivative is the second
derivative, as in PyTorch. Under `create_graph` the factors are recomputed from the
saved input through `LinalgLu`, so that the graph of the first derivative reaches A
through them too.
"""

from __future__ import annotations

from .. import _core
from .._core import Tensor
from ..autograd.function import Function


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
        ctx.save_for_backward(A, P, L, U)
        return P, L, U

    @staticmethod
    def backward(ctx, gP, gL, gU):
        return _lu_backward(*_factors(ctx), gL, gU)


class LinalgLuFactorEx(Function):
    """(LU, pivots, info) of `linalg.lu_factor_ex` with a gradient for the packed LU."""

    _ferro_node_name = "LinalgLuFactorExBackward0"

    @staticmethod
    def forward(ctx, A):
        LU, pivots, info = _core._linalg_lu_factor_ex(A)
        P, L, U = _core._linalg_lu(A)
        ctx.mark_non_differentiable(pivots, info)
        ctx.save_for_backward(A, P, L, U)
        return LU, pivots, info

    @staticmethod
    def backward(ctx, gLU, gpivots, ginfo):
        return _lu_backward(*_factors(ctx), gLU.tril(-1), gLU.triu())


def _factors(ctx) -> tuple[Tensor, Tensor, Tensor]:
    """(P, L, U) for the backward formula: the saved ones, or under `create_graph`
    ones recomputed from A with a graph back to it."""
    A, P, L, U = ctx.saved_tensors
    if _core.is_grad_enabled() and A.requires_grad:
        return LinalgLu.apply(A)
    return P, L, U
