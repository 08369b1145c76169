"""Complex `slogdet` and singular values. The singular values come from the real
matrix [[X, -Y], [Y, X]] of A = X + iY, which has each of A's twice, so autograd
follows from the real SVD; `slogdet` runs LAPACK's complex LU through NumPy, with
PyTorch's gradient formula."""

from __future__ import annotations

from typing import Any

from .. import _core
from .._core import Tensor
from .._mathops import _node
from .._numpy import np


def complex_svdvals(A: Tensor) -> Tensor:
    """The singular values of each complex matrix (real, non-increasing)."""
    from .._shape import cat

    X, Y = A.real, A.imag
    embedded = cat([cat([X, -Y], -1), cat([Y, X], -1)], -2)
    s = _core._linalg_svd(embedded, False, True)[1]
    # the pair of equal values averaged: its gradient is then the pair's shared one
    values = (s[..., 0::2] + s[..., 1::2]) / 2
    if values.grad_fn is None:
        return values
    return _core._named_node(values, "LinalgSvdBackward0")  # PyTorch's node for any dtype


def _check_square(A: Tensor) -> None:
    if A.dim() < 2:
        raise RuntimeError("linalg.slogdet: The input tensor A must have at least 2 dimensions.")
    m, n = A.shape[-2], A.shape[-1]
    if m != n:
        raise RuntimeError(f"linalg.slogdet: A must be batches of square matrices, but they are {m} by {n} matrices")


def _values(t: Tensor) -> np.ndarray:
    return np.asarray(t.detach().resolve_conj().numpy())


def _slogdet_forward(ctx: Any, A: Tensor) -> tuple[Tensor, Tensor]:
    from .._creation import tensor

    sign, logabs = np.linalg.slogdet(_values(A))
    sign_t = tensor(np.asarray(sign), dtype=A.dtype)
    logabs_t = tensor(np.asarray(logabs), dtype=A.dtype.to_real())
    ctx.save_for_backward(A, sign_t)
    return sign_t, logabs_t


def _slogdet_backward(ctx: Any, grad_sign: Tensor | None, grad_logabs: Tensor | None) -> Tensor:
    """PyTorch's formula: g A^{-H} with g = grad_logabs + i Im(grad_sign conj(sign)),
    written with differentiable ops (a double backward goes through it)."""
    from .._creation import zeros

    A, sign = ctx.saved_tensors
    g = zeros(tuple(sign.shape), dtype=A.dtype)
    if grad_logabs is not None:
        g = g + grad_logabs.to(A.dtype)
    if grad_sign is not None:
        g = g + 1j * (grad_sign * sign.conj()).imag
    return g[..., None, None] * _complex_inverse(A).mH


def _complex_inverse(A: Tensor) -> Tensor:
    """inv(A) for complex A, differentiably, through the real matrix [[X, -Y], [Y, X]]
    (whose inverse is [[P, -Q], [Q, P]] for inv(A) = P + iQ); a singular A falls back to
    its pseudo-inverse, without history."""
    from .._complex import complex as make_complex
    from .._creation import tensor
    from .._shape import cat
    from . import inv

    n = A.shape[-1]
    X, Y = A.real, A.imag
    embedded = cat([cat([X, -Y], -1), cat([Y, X], -1)], -2)
    try:
        inverse = inv(embedded)
    except RuntimeError:
        return tensor(np.linalg.pinv(_values(A)), dtype=A.dtype)
    return make_complex(inverse[..., :n, :n], inverse[..., n:, :n])


_Slogdet = _node("LinalgSlogdetBackward0", _slogdet_forward, _slogdet_backward)


def complex_slogdet(A: Tensor) -> tuple[Tensor, Tensor]:
    """(sign, logabsdet) of each complex square matrix (`LinalgSlogdetBackward0`)."""
    _check_square(A)
    if A.requires_grad and _core.is_grad_enabled():
        return tuple(_Slogdet.apply(A))
    ctx = _NoContext()
    return _slogdet_forward(ctx, A)


class _NoContext:
    def save_for_backward(self, *tensors: Tensor) -> None:
        pass
