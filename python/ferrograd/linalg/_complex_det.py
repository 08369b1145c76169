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
    return (s[..., 0::2] + s[..., 1::2]) / 2


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
    """PyTorch's formula: g A^{-H} with g = grad_logabs + i Im(grad_sign conj(sign))."""
    from .._creation import tensor

    A, sign = ctx.saved_tensors
    g = np.zeros(tuple(sign.shape), dtype=np.complex128)
    if grad_logabs is not None:
        g = g + _values(grad_logabs)
    if grad_sign is not None:
        g = g + 1j * np.imag(_values(grad_sign) * np.conj(_values(sign)))
    a = _values(A)
    try:
        inverse = np.linalg.inv(a)
    except np.linalg.LinAlgError:
        inverse = np.linalg.pinv(a)
    grad = g[..., None, None] * np.conj(np.swapaxes(inverse, -2, -1))
    return tensor(grad, dtype=A.dtype)


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
