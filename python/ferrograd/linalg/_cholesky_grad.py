"""Gradients of the Cholesky factorization and of `cholesky_inverse` for complex inputs,
with PyTorch's formulas (the core's own node for real inputs agrees with PyTorch; for
complex ones it makes the gradient Hermitian, where PyTorch keeps the imaginary part of
the diagonal term).

    cholesky:          phi = tril(Lᴴ gL);  phi = (phi + tril(phi, -1)ᴴ) / 2;  gA = L⁻ᴴ phi L⁻¹
    cholesky_inverse:  C = A⁻¹ (g + gᴴ) A⁻¹;  gL = -C L  (-U C for the upper factor)

The formulas are written with differentiable ops; under `create_graph` the factor (or
the inverse) is recomputed through the node, so the first derivative's graph reaches
the input through it too.
"""

from __future__ import annotations

from typing import Any

from .. import _core
from .._core import Tensor
from ..autograd.function import Function


def _solve_triangular(A: Tensor, B: Tensor, upper: bool, left: bool) -> Tensor:
    return _core._linalg_solve_triangular(A, B, upper, left, False)


def cholesky_backward(L: Tensor, upper: bool, gL: Tensor) -> Tensor:
    if upper:
        L, gL = L.mH, gL.mH
    phi = (L.mH @ gL).tril()
    phi = 0.5 * (phi + phi.tril(-1).mH)
    phi = _solve_triangular(L.mH, phi, True, True)
    return _solve_triangular(L, phi, False, False)


def _cholesky_node(node_name: str) -> type:
    class CholeskyEx(Function):
        _ferro_node_name = node_name

        @staticmethod
        def forward(ctx: Any, A: Tensor, upper: bool, check_errors: bool, name: str) -> tuple[Tensor, Tensor]:
            L, info = _core._linalg_cholesky_ex(A, upper, check_errors, name)
            ctx.mark_non_differentiable(info)
            ctx.save_for_backward(A, L)
            ctx.upper, ctx.function_name = upper, name
            return L, info

        @staticmethod
        def backward(ctx: Any, gL: Tensor, ginfo: Any) -> tuple[Tensor, None, None, None]:
            A, L = ctx.saved_tensors
            if _core.is_grad_enabled() and A.requires_grad:
                L = CholeskyEx.apply(A, ctx.upper, False, ctx.function_name)[0]
            return cholesky_backward(L, ctx.upper, gL), None, None, None

    CholeskyEx.__name__ = CholeskyEx.__qualname__ = node_name.replace("Backward", "_")
    return CholeskyEx


_NODES: dict[str, type] = {}


def cholesky_ex(A: Tensor, upper: bool, check_errors: bool, name: str, node_name: str) -> tuple[Tensor, Tensor]:
    """(L, info) of a complex A that requires grad, recorded as `node_name`."""
    node = _NODES.get(node_name)
    if node is None:
        node = _NODES[node_name] = _cholesky_node(node_name)
    return node.apply(A, upper, check_errors, name)


class CholeskyInverse(Function):
    """`cholesky_inverse` of a complex factor, with PyTorch's gradient (the whole matrix,
    not only the triangle the forward reads)."""

    _ferro_node_name = "CholeskyInverseBackward0"

    @staticmethod
    def forward(ctx: Any, factor: Tensor, upper: bool) -> Tensor:
        from ._complex import cholesky_inverse

        inverse = cholesky_inverse(factor, upper)
        ctx.save_for_backward(factor, inverse)
        ctx.upper = upper
        return inverse

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple[Tensor, None]:
        factor, inverse = ctx.saved_tensors
        if _core.is_grad_enabled() and factor.requires_grad:
            inverse = CholeskyInverse.apply(factor, ctx.upper)
        common = inverse @ ((g + g.mH) @ inverse)
        return -(factor @ common if ctx.upper else common @ factor), None
