"""Gradients of the LU factorizations (`linalg.lu`, `linalg.lu_factor(_ex)`).

For a square A = P L U, with incoming gradients gL and gU (PyTorch's formula):
    phi = tril(Lᴴ gL, -1) + triu(gU Uᴴ),   gA = P L⁻ᴴ phi U⁻ᴴ
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
    m, n = L.shape[-2], U.shape[-1]
    if m == n:
        phi = (L.mH @ gL).tril(-1) + (gU @ U.mH).triu()
        x = _solve_triangular(L.mH, phi, True, True, True)
        x = _solve_triangular(U.mH, x, False, False, False)
        return P @ x
    if m < n:
        return P @ _wide_lu_backward(L, U, gL, gU)
    return P @ _tall_lu_backward(L, U, gL, gU)


def _wide_lu_backward(L: Tensor, U: Tensor, gL: Tensor, gU: Tensor) -> Tensor:
    """m < n, U = [U1 U2] with U1 square (PyTorch's formula):
    gA1 = L^-H [gU1 + tril(Lᴴ gL - gU Uᴴ, -1) U1^-H],  gA2 = L^-H gU2."""
    k = L.shape[-1]
    U1 = U.narrow(-1, 0, k)
    phi = L.mH @ gL - gU.triu() @ U.mH
    x = _solve_triangular(U1.mH, phi.tril(-1), False, False, False)
    x = _core._cat([x + gU.narrow(-1, 0, k).triu(), gU.narrow(-1, k, U.shape[-1] - k)], -1)
    return _solve_triangular(L.mH, x, True, True, True)


def _tall_lu_backward(L: Tensor, U: Tensor, gL: Tensor, gU: Tensor) -> Tensor:
    """m > n, L = [L1; L2] with L1 square (PyTorch's formula):
    gA1 = [gL1 + L1^-H triu(gU Uᴴ - Lᴴ gL)] U^-H,  gA2 = gL2 U^-H."""
    k = U.shape[-2]
    L1 = L.narrow(-2, 0, k)
    phi = gU @ U.mH - L.mH @ gL.tril(-1)
    x = _solve_triangular(L1.mH, phi.triu(), True, True, True)
    x = _core._cat([x + gL.narrow(-2, 0, k).tril(-1), gL.narrow(-2, k, L.shape[-2] - k)], -2)
    return _solve_triangular(U.mH, x, False, False, False)


def _solve_triangular(A: Tensor, B: Tensor, upper: bool, left: bool, unit: bool) -> Tensor:
    return _core._linalg_solve_triangular(A, B, upper, left, unit)


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
        P, L, U = _factors(ctx)
        k = L.shape[-1]
        gL = gLU.narrow(-1, 0, k).tril(-1)
        gU = gLU.narrow(-2, 0, k).triu()
        return _lu_backward(P, L, U, gL, gU)


def _factors(ctx) -> tuple[Tensor, Tensor, Tensor]:
    """(P, L, U) for the backward formula: the saved ones, or under `create_graph`
    ones recomputed from A with a graph back to it."""
    A, P, L, U = ctx.saved_tensors
    if _core.is_grad_enabled() and A.requires_grad:
        return LinalgLu.apply(A)
    return P, L, U
