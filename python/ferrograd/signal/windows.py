"""`ferrograd.signal.windows`: PyTorch's `torch.signal.windows` (SciPy-style windows of
`M` points). Each is built from a `linspace` as PyTorch builds it, so the values, the
dtypes and, with `requires_grad=True`, the recorded graph are PyTorch's."""

from __future__ import annotations

import math
from collections.abc import Iterable

from .. import _core
from .._core import Tensor

__all__ = [
    "bartlett", "blackman", "cosine", "exponential", "gaussian", "general_cosine",
    "general_hamming", "hamming", "hann", "kaiser", "nuttall",
]


def _fg():
    import ferrograd

    return ferrograd


def _check(name: str, M: int, dtype, layout) -> None:
    if M < 0:
        raise ValueError(f"{name} requires non-negative window length, got M={M}")
    if layout is not None and layout is not _fg().strided:
        raise ValueError(f"{name} is implemented for strided tensors only, got: {layout}")
    if dtype not in (_core.float32, _core.float64):
        raise ValueError(f"{name} expects float32 or float64 dtypes, got: {dtype}")


def _default(dtype):
    return _fg().get_default_dtype() if dtype is None else dtype


def _trivial(M: int, dtype, requires_grad: bool) -> Tensor | None:
    """The window of 0 or 1 point (empty, or a single 1), else None."""
    if M == 0:
        return _fg().empty((0,), dtype=dtype, requires_grad=requires_grad)
    if M == 1:
        return _fg().ones((1,), dtype=dtype, requires_grad=requires_grad)
    return None


def _points(start, end, M: int, dtype, requires_grad: bool) -> Tensor:
    return _fg().linspace(start, end, M, dtype=dtype, requires_grad=requires_grad)


def exponential(M: int, *, center: float | None = None, tau: float = 1.0, sym: bool = True,
                dtype=None, layout=None, device=None, requires_grad: bool = False) -> Tensor:
    """The exponential (Poisson) window: exp(-|n - center| / tau).

    Args:
        M: the number of points.
        center: where the window peaks (the middle by default; only for sym=False).
        tau: the decay, > 0.
        sym: a symmetric window (True) or a periodic one for spectral analysis (False).
        dtype: float32 or float64 (the default dtype by default).
        layout: only the strided layout.
        device: only the CPU.
        requires_grad: record operations on the window's points.
    """
    dtype = _default(dtype)
    _check("exponential", M, dtype, layout)
    if tau <= 0:
        raise ValueError(f"Tau must be positive, got: {tau} instead.")
    if sym and center is not None:
        raise ValueError("Center must be None for symmetric windows")
    if M == 0:
        return _fg().empty((0,), dtype=dtype, requires_grad=requires_grad)
    if center is None:
        center = (M if not sym and M > 1 else M - 1) / 2.0
    rate = 1 / tau
    k = _points(-center * rate, (-center + (M - 1)) * rate, M, dtype, requires_grad)
    return _fg().exp(-_fg().abs(k))


def cosine(M: int, *, sym: bool = True, dtype=None, layout=None, device=None,
           requires_grad: bool = False) -> Tensor:
    """The cosine (sine) window: sin(pi (n + 1/2) / M).

    Args:
        M: the number of points.
        sym: a symmetric window (True) or a periodic one (False).
        dtype: float32 or float64 (the default dtype by default).
        layout: only the strided layout.
        device: only the CPU.
        requires_grad: record operations on the window's points.
    """
    dtype = _default(dtype)
    _check("cosine", M, dtype, layout)
    if M == 0:
        return _fg().empty((0,), dtype=dtype, requires_grad=requires_grad)
    step = math.pi / (M + 1 if not sym and M > 1 else M)
    k = _points(0.5 * step, (0.5 + (M - 1)) * step, M, dtype, requires_grad)
    return _fg().sin(k)


def gaussian(M: int, *, std: float = 1.0, sym: bool = True, dtype=None, layout=None, device=None,
             requires_grad: bool = False) -> Tensor:
    """The Gaussian window: exp(-(n - center)^2 / (2 std^2)).

    Args:
        M: the number of points.
        std: the standard deviation, > 0.
        sym: a symmetric window (True) or a periodic one (False).
        dtype: float32 or float64 (the default dtype by default).
        layout: only the strided layout.
        device: only the CPU.
        requires_grad: record operations on the window's points.
    """
    dtype = _default(dtype)
    _check("gaussian", M, dtype, layout)
    if std <= 0:
        raise ValueError(f"Standard deviation must be positive, got: {std} instead.")
    if M == 0:
        return _fg().empty((0,), dtype=dtype, requires_grad=requires_grad)
    start = -(M if not sym and M > 1 else M - 1) / 2.0
    scale = 1 / (std * math.sqrt(2))
    k = _points(start * scale, (start + (M - 1)) * scale, M, dtype, requires_grad)
    return _fg().exp(-(k**2))


def kaiser(M: int, *, beta: float = 12.0, sym: bool = True, dtype=None, layout=None, device=None,
           requires_grad: bool = False) -> Tensor:
    """The Kaiser window: I0(beta sqrt(1 - (2n/(M-1) - 1)^2)) / I0(beta).

    Args:
        M: the number of points.
        beta: the shape parameter, >= 0.
        sym: a symmetric window (True) or a periodic one (False).
        dtype: float32 or float64 (the default dtype by default).
        layout: only the strided layout.
        device: only the CPU.
        requires_grad: record operations on the window's points.
    """
    fg = _fg()
    dtype = _default(dtype)
    _check("kaiser", M, dtype, layout)
    if beta < 0:
        raise ValueError(f"beta must be non-negative, got: {beta} instead.")
    trivial = _trivial(M, dtype, requires_grad)
    if trivial is not None:
        return trivial
    b = fg.tensor(beta, dtype=dtype)
    start = -b
    step = 2.0 * b / (M if not sym else M - 1)
    end = fg.minimum(b, start + (M - 1) * step)
    k = fg.linspace(start, end, M, dtype=dtype, requires_grad=requires_grad)
    return fg.i0(fg.sqrt(b * b - fg.pow(k, 2))) / fg.i0(b)


def general_cosine(M: int, *, a: Iterable, sym: bool = True, dtype=None, layout=None, device=None,
                   requires_grad: bool = False) -> Tensor:
    """The generalized cosine window: sum_i (-1)^i a[i] cos(2 pi i n / (M - 1)).

    Args:
        M: the number of points.
        a: the coefficients (a list or tuple, not empty).
        sym: a symmetric window (True) or a periodic one (False).
        dtype: float32 or float64 (the default dtype by default).
        layout: only the strided layout.
        device: only the CPU.
        requires_grad: record operations on the window's points.
    """
    fg = _fg()
    dtype = _default(dtype)
    _check("general_cosine", M, dtype, layout)
    trivial = _trivial(M, dtype, requires_grad)
    if trivial is not None:
        return trivial
    if not isinstance(a, Iterable):
        raise TypeError("Coefficients must be a list/tuple")
    if not a:
        raise ValueError("Coefficients cannot be empty")
    step = 2 * math.pi / (M if not sym else M - 1)
    k = _points(0, (M - 1) * step, M, dtype, requires_grad)
    coefficients = fg.tensor([(-1) ** i * w for i, w in enumerate(a)], dtype=dtype,
                             requires_grad=requires_grad)
    i = fg.arange(coefficients.shape[0], dtype=dtype, requires_grad=requires_grad)
    return (coefficients.unsqueeze(-1) * fg.cos(i.unsqueeze(-1) * k)).sum(0)


def general_hamming(M: int, *, alpha: float = 0.54, sym: bool = True, dtype=None, layout=None,
                    device=None, requires_grad: bool = False) -> Tensor:
    """The generalized Hamming window: alpha - (1 - alpha) cos(2 pi n / (M - 1)).

    Args:
        M: the number of points.
        alpha: the window coefficient.
        sym: a symmetric window (True) or a periodic one (False).
        dtype: float32 or float64 (the default dtype by default).
        layout: only the strided layout.
        device: only the CPU.
        requires_grad: record operations on the window's points.
    """
    return general_cosine(M, a=[alpha, 1.0 - alpha], sym=sym, dtype=dtype, layout=layout,
                          device=device, requires_grad=requires_grad)


def hamming(M: int, *, sym: bool = True, dtype=None, layout=None, device=None,
            requires_grad: bool = False) -> Tensor:
    """The Hamming window (general_hamming with alpha=0.54).

    Args:
        M: the number of points.
        sym: a symmetric window (True) or a periodic one (False).
        dtype: float32 or float64 (the default dtype by default).
        layout: only the strided layout.
        device: only the CPU.
        requires_grad: record operations on the window's points.
    """
    return general_hamming(M, sym=sym, dtype=dtype, layout=layout, device=device,
                           requires_grad=requires_grad)


def hann(M: int, *, sym: bool = True, dtype=None, layout=None, device=None,
         requires_grad: bool = False) -> Tensor:
    """The Hann window (general_hamming with alpha=0.5).

    Args:
        M: the number of points.
        sym: a symmetric window (True) or a periodic one (False).
        dtype: float32 or float64 (the default dtype by default).
        layout: only the strided layout.
        device: only the CPU.
        requires_grad: record operations on the window's points.
    """
    return general_hamming(M, alpha=0.5, sym=sym, dtype=dtype, layout=layout, device=device,
                           requires_grad=requires_grad)


def blackman(M: int, *, sym: bool = True, dtype=None, layout=None, device=None,
             requires_grad: bool = False) -> Tensor:
    """The Blackman window (general_cosine with a = [0.42, 0.5, 0.08]).

    Args:
        M: the number of points.
        sym: a symmetric window (True) or a periodic one (False).
        dtype: float32 or float64 (the default dtype by default).
        layout: only the strided layout.
        device: only the CPU.
        requires_grad: record operations on the window's points.
    """
    dtype = _default(dtype)
    _check("blackman", M, dtype, layout)
    return general_cosine(M, a=[0.42, 0.5, 0.08], sym=sym, dtype=dtype, layout=layout,
                          device=device, requires_grad=requires_grad)


def bartlett(M: int, *, sym: bool = True, dtype=None, layout=None, device=None,
             requires_grad: bool = False) -> Tensor:
    """The Bartlett (triangular) window: 1 - |2n/(M-1) - 1|.

    Args:
        M: the number of points.
        sym: a symmetric window (True) or a periodic one (False).
        dtype: float32 or float64 (the default dtype by default).
        layout: only the strided layout.
        device: only the CPU.
        requires_grad: record operations on the window's points.
    """
    dtype = _default(dtype)
    _check("bartlett", M, dtype, layout)
    trivial = _trivial(M, dtype, requires_grad)
    if trivial is not None:
        return trivial
    step = 2 / (M if not sym else M - 1)
    k = _points(-1, -1 + (M - 1) * step, M, dtype, requires_grad)
    return 1 - _fg().abs(k)


def nuttall(M: int, *, sym: bool = True, dtype=None, layout=None, device=None,
            requires_grad: bool = False) -> Tensor:
    """The minimum 4-term Blackman-Harris window of Nuttall.

    Args:
        M: the number of points.
        sym: a symmetric window (True) or a periodic one (False).
        dtype: float32 or float64 (the default dtype by default).
        layout: only the strided layout.
        device: only the CPU.
        requires_grad: record operations on the window's points.
    """
    return general_cosine(M, a=[0.3635819, 0.4891775, 0.1365995, 0.0106411], sym=sym, dtype=dtype,
                          layout=layout, device=device, requires_grad=requires_grad)
