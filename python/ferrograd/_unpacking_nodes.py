"""`triangular_solve` and `lu_unpack` as PyTorch's single nodes with two differentiable
outputs (`TriangularSolveBackward0`, `LuUnpackBackward0`): the gradients of both outputs
flow into the one node, which saves what PyTorch's saves."""

from __future__ import annotations

import functools

from ._core import Tensor
from .nn._composite_nodes import record


def _triangular_solve_backward(upper: bool, transpose: bool, unitriangular: bool, grads, saved, needs):
    """PyTorch's triangular_solve_backward: the solution's gradient solved back through
    the adjoint system, the cloned coefficient's gradient added to A's as it is."""
    from . import linalg

    grad_x, grad_m = grads
    _b, a, x = saved
    # the forward solved op(A) X = B, op(A) = A^T when transposed: its adjoint is lower
    # exactly when op(A) is upper
    coef = a.mT if transpose else a
    grad_b = linalg.solve_triangular(coef.mH, grad_x, upper=upper == transpose, unitriangular=unitriangular)
    grad_a = None
    if needs[1]:
        grad_a = -x.conj().matmul(grad_b.mT) if transpose else -grad_b.matmul(x.mH)
        grad_a = grad_a.triu(int(unitriangular)) if upper else grad_a.tril(-int(unitriangular))
        grad_a = grad_a + grad_m
    return (grad_b if needs[0] else None, grad_a)


def triangular_solve(b: Tensor, a: Tensor, upper: bool, transpose: bool, unitriangular: bool) -> tuple:
    """`(solution, cloned_coefficient)` of `op(A) X = B`, recorded as PyTorch's node."""
    from . import linalg
    from ._grad_mode import no_grad

    with no_grad():
        coef = a.mT if transpose else a
        x = linalg.solve_triangular(coef, b, upper=upper != transpose, unitriangular=unitriangular)
        clone = a.clone()
    record("TriangularSolveBackward0", (b, a), x,
           (("self", b), ("A", a), ("solution", x)),
           functools.partial(_triangular_solve_backward, upper, transpose, unitriangular),
           {"upper": upper, "transpose": transpose, "unitriangular": unitriangular}, more=(clone,))
    return x, clone


def _lu_unpack_backward(m: int, n: int, grads, saved, needs):
    """PyTorch's lu_unpack_backward: the gradients of L (strictly below the diagonal) and
    of U (on and above it) packed into one matrix of LU's shape."""
    grad_l, grad_u = grads
    k = min(m, n)
    grad_l = grad_l.tril(-1)
    grad_u = grad_u.triu()
    if m == n:
        return (grad_l + grad_u,)
    if m < n:
        return (grad_u + _pad_last(grad_l, n - k),)
    return (grad_l + _pad_rows(grad_u, m - k),)


def _pad_last(t: Tensor, count: int) -> Tensor:
    from ._shape import cat

    return cat([t, t.new_zeros((*t.shape[:-1], count))], -1)


def _pad_rows(t: Tensor, count: int) -> Tensor:
    from ._shape import cat

    return cat([t, t.new_zeros((*t.shape[:-2], count, t.shape[-1]))], -2)


def lu_unpack_factors(lu: Tensor, l_factor: Tensor, u_factor: Tensor) -> None:
    """Makes `L` and `U` (computed from `lu` without history) the two outputs of
    PyTorch's `LuUnpackBackward0`."""
    m, n = lu.shape[-2], lu.shape[-1]
    record("LuUnpackBackward0", (lu,), l_factor, (), functools.partial(_lu_unpack_backward, m, n),
           {"LU_data_sym_argsize_minus_1": n, "LU_data_sym_argsize_minus_2": m}, more=(u_factor,))
