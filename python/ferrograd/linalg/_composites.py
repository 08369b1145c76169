"""`linalg.cond`, `tensorinv`, `tensorsolve` and `vander`: compositions of other ops,
as in PyTorch, whose result carries the node of PyTorch's last op."""

from __future__ import annotations

import math
from typing import Any

from .. import _core
from .._argcheck import need_int64
from .._core import Tensor


def _prod(xs) -> int:
    p = 1
    for x in xs:
        p *= x
    return p


def _ord_text(ord: Any) -> str:
    """The order as PyTorch's C++ prints it in the name of the function."""
    if isinstance(ord, float) and math.isfinite(ord):
        return f"{ord:f}"
    if isinstance(ord, float):
        return "inf" if ord > 0 else "-inf"
    return str(ord)


def _empty_result(A: Tensor) -> Tensor:
    from .._creation import zeros

    return zeros(A.shape[:-2], dtype=A.dtype.to_real())  # a norm ratio: real for complex input


def cond(input: Tensor, p: Any = None, *, out=None) -> Tensor:
    """The condition number of each matrix in the norm `p`: ‖A‖ ‖A⁻¹‖, or for p = 2 / -2
    (and None) the ratio of the largest and smallest singular values (any shape then).
    A singular matrix gives inf (nan for p = None, ±2 and 'nuc', as PyTorch).

    Args:
        input: a matrix or batch of matrices, shape (*, m, n); square unless p is None or ±2.
        p: None (default, 2), 2, -2, 'fro', 'nuc', inf, -inf, 1 or -1.
        out: an optional tensor the result is written into and returned.
    """
    from . import inv_ex, matrix_norm, svdvals

    A = input
    if isinstance(p, str):
        _square(A, f"linalg.cond(ord={p})")
        if p not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
        if A.numel() == 0:
            return _empty_result(A)
        if p == "nuc":
            s = svdvals(A)
            return s.sum(-1) * s.reciprocal().sum(-1)
        return _with_inverse(A, p, inv_ex, matrix_norm)
    if A.dim() < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    ord = 2 if p is None else p
    if ord not in (2, -2, 1, -1, math.inf, -math.inf):
        text = f"{ord:g}" if isinstance(ord, float) else str(ord)
        raise RuntimeError(f"linalg.cond got an invalid norm type: {text}")
    if A.numel() == 0:
        return _empty_result(A)
    if abs(ord) == 2:
        s = svdvals(A)
        big, small = s.narrow(-1, 0, 1), s.narrow(-1, s.shape[-1] - 1, 1)
        r = small / big if ord == -2 else big / small
        return r.squeeze(-1)
    _square(A, f"linalg.cond(ord={_ord_text(ord)})")
    return _with_inverse(A, ord, inv_ex, matrix_norm)


def _square(A: Tensor, f: str) -> None:
    if A.dim() < 2:
        raise RuntimeError(f"{f}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"{f}: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices")


def _with_inverse(A: Tensor, ord: Any, inv_ex, matrix_norm) -> Tensor:
    inverse, info = inv_ex(A)
    singular = (info > 0).unsqueeze(-1).unsqueeze(-1)
    inverse = inverse.masked_fill(singular, math.inf)
    r = matrix_norm(A, ord) * matrix_norm(inverse, ord)
    return r.nan_to_num(math.inf, math.inf, -math.inf)


def tensorinv(A: Tensor, ind: int = 2, *, out=None) -> Tensor:
    """The inverse of `A` for `tensordot(A, ·, ind)`: A is seen as a square matrix of
    shape (prod(A.shape[:ind]), prod(A.shape[ind:])); the result has shape
    A.shape[ind:] + A.shape[:ind].

    Args:
        A: the tensor to invert.
        ind: how many leading dimensions index the rows (default 2), positive.
        out: an optional tensor the result is written into and returned.
    """
    from . import _renamed, inv

    need_int64(ind)
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    if ind > A.dim():  # PyTorch slices A's sizes at ind unchecked
        raise RuntimeError(f"ArrayRef: invalid slice, N = {ind}; size = {A.dim()}")
    rows, cols = list(A.shape[:ind]), list(A.shape[ind:])
    n, m = _prod(rows), _prod(cols)
    if n != m:
        raise RuntimeError(
            "Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), "
            f"but got {m} != {n}")
    r = _renamed(inv, "linalg.inv:", "inv:", A.reshape(n, m)).reshape((*cols, *rows))  # PyTorch's name for it
    return _core._named_node(r, "ReshapeAliasBackward0")


def tensorsolve(A: Tensor, B: Tensor, dims=None, *, out=None) -> Tensor:
    """X with `tensordot(A, X, X.ndim) = B`: A seen as a square matrix whose rows are
    indexed by B's shape; X has shape A.shape[B.ndim:].

    Args:
        A: the coefficients, shape B.shape + X.shape.
        B: the right-hand side.
        dims: dimensions of A moved to the end first (default None).
        out: an optional tensor the result is written into and returned.
    """
    from . import solve

    if dims is not None:
        dims = tuple(dims)
        A = A.movedim(dims, tuple(range(A.dim() - len(dims), A.dim())))
    shape = list(A.shape[B.dim():])
    n, m = _prod(shape), _prod(B.shape)
    if n != m:
        raise RuntimeError(
            "Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
            f"prod(self.shape[:other.ndim]), but got {n} != {m}")
    return solve(A.reshape(n, n), B.flatten()).view(tuple(shape))


_VANDER_DTYPES = ("float16", "bfloat16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64",
                  "complex64", "complex128")


def vander(x: Tensor, *, N: int | None = None) -> Tensor:
    """The Vandermonde matrix of each vector in `x` (its last dimension), with increasing
    powers x^0 ... x^(N-1) as columns; integers give int64.

    Args:
        x: a tensor of shape (*, n), float or integer (not bool).
        N: the number of columns (default n), greater than 1.
    """
    from .._creation import ones_like
    from .._shape import cat

    need_int64(N)
    name = repr(x.dtype).split(".", 1)[1]
    if name not in _VANDER_DTYPES:
        from . import _kernel_name

        raise RuntimeError(
            f"linalg.vander supports floating point, complex, and integer tensors, but got {_kernel_name(x)}")
    x_ = x.unsqueeze(-1) if x.dim() == 0 else x
    n = x_.shape[-1] if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    shape = (*x_.shape, n - 1)
    if x.dtype.is_complex:
        # the complex running product allocates without the core's memory check (a size
        # memory cannot hold aborts the process): the result's allocation checks it first
        from .._creation import empty

        empty(tuple(shape), dtype=x.dtype)
    powers = x_.unsqueeze(-1).expand(tuple(shape)).cumprod(-1)
    ones = ones_like(powers.narrow(-1, 0, 1))
    return cat([ones, powers], -1)
