"""`prod`'s node where the core's differs from PyTorch's: a floating input holding a zero
(the core's product of the other elements is not differentiable, so a second derivative
is lost) and complex inputs (the same, and an empty one records no node at all).

PyTorch's gradient: `grad * conj(result / input)` without zeros; with them, each element's
product of the others from exclusive cumulative products taken from both ends, all with
differentiable ops, so that the first derivative has a graph of its own.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from . import _core
from ._core import Tensor


def wants_own_node(x: Tensor, dtype: Any) -> bool:
    """Whether `x.prod(...)` records this node: gradients flow into a complex `x`, or a
    floating one with a zero, and no `dtype` casts it first."""
    if dtype is not None or not x.requires_grad or not _core.is_grad_enabled():
        return False
    if x.dtype.is_complex:
        return True
    return x.dtype.is_floating_point and bool((x == 0).any())


def _others_product(grad: Tensor, x: Tensor, dim: int) -> Tensor:
    """grad times the product of the other elements along `dim`."""
    from ._creation import ones
    from ._shape import cat

    if x.numel() == 0:
        return grad.expand_as(x)
    n = x.shape[dim]
    shape = list(x.shape)
    shape[dim] = 1
    one = ones(shape, dtype=grad.dtype)
    before = cat([one, x.narrow(dim, 0, n - 1)], dim).cumprod(dim)
    after = cat([one, x.narrow(dim, 1, n - 1).flip(dim)], dim).cumprod(dim).flip(dim)
    return grad * (before * after).conj()


def _backward(dim: int | None, keepdim: bool, grads: tuple, saved: tuple, needs: tuple) -> tuple:
    (grad,), (x, result) = grads, saved
    if x.dim() == 0:
        return (grad,)
    if dim is None:
        if bool((x == 0).any()):
            return (_others_product(grad, x.contiguous().view(-1), 0).view_as(x),)
        return (grad * (result / x).conj(),)
    dim %= x.dim()
    if not keepdim:
        grad, result = grad.unsqueeze(dim), result.unsqueeze(dim)
    if bool((x == 0).any()):
        return (_others_product(grad, x, dim),)
    return (grad * (result / x).conj(),)


def prod(x: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    """`x.prod()` (dim None) or `x.prod(dim, keepdim)` recorded as PyTorch's node, which
    saves the input and the result."""
    from ._grad_mode import no_grad
    from ._saved_values import c_int
    from .nn._composite_nodes import record

    with no_grad():
        out = x.prod() if dim is None else x.prod(dim, keepdim)
    if dim is None:
        return record("ProdBackward0", (x,), out, (("self", x), ("result", out)), partial(_backward, None, False))
    return record("ProdBackward1", (x,), out, (("self", x), ("result", out)), partial(_backward, dim, keepdim),
                  {"dim": c_int(dim), "keepdim": keepdim})
