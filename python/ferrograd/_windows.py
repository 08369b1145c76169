"""Window functions (`hann_window`, `hamming_window`, `bartlett_window`,
`blackman_window`, `kaiser_window`) computed step by step as PyTorch's CPU kernels do
(`arange` in the result dtype, then each scalar step rounded to that dtype, the
scalars themselves rounded to float16/bfloat16 for those dtypes; Kaiser's Bessel
function by Cephes' Chebyshev series with the multiply-adds fused as in PyTorch's
build). Bartlett windows, float64 Kaiser windows and every float16/bfloat16 window agree
with PyTorch's bit for bit (float32 Kaiser windows of thousands of points can differ by
an ulp or two at a few points); float32 and float64 cosine windows can differ in the
last bit where PyTorch's vectorised cosine (SLEEF) rounds differently from the C
library's.
"""

from __future__ import annotations

import builtins
import math

from . import _core
from ._argcheck import need_int64
from ._core import Tensor
from ._grad_mode import no_grad
from ._numpy import np

__all__ = ["bartlett_window", "blackman_window", "hamming_window", "hann_window", "kaiser_window"]


def _check_length(fn: str, window_length) -> int:
    if isinstance(window_length, builtins.bool) or not isinstance(window_length, builtins.int):
        # PyTorch takes a 0-dim integer tensor as an int, not a bool or a 1-element one
        integer_scalar = (isinstance(window_length, Tensor) and window_length.dim() == 0
                          and not window_length.dtype.is_floating_point and not window_length.dtype.is_complex
                          and window_length.dtype != _core.bool)
        if not integer_scalar and (isinstance(window_length, (builtins.bool, Tensor))
                                   or not hasattr(window_length, "__index__")):
            raise TypeError(
                f"{fn}(): argument 'window_length' (position 1) must be int, not {type(window_length).__name__}"
            )
        window_length = window_length.__index__()
    return window_length


def _dtype_name(dtype) -> str:
    names = {
        "float32": "float",
        "float64": "double",
        "float16": "c10::Half",
        "bfloat16": "c10::BFloat16",
        "int64": "long int",
        "int32": "int",
        "int16": "short int",
        "int8": "signed char",
        "uint8": "unsigned char",
        "bool": "bool",
    }
    short = repr(dtype).split(".", 1)[-1]
    return names.get(short, short)


def _start(fn: str, window_length, dtype, device, requires_grad, periodic=True, layout=None, pin_memory=False):
    """Checks as PyTorch's `window_function_checks`; returns (length, dtype, early result)."""
    from . import get_default_dtype
    from ._device import check_device

    if not isinstance(periodic, builtins.bool):
        raise TypeError(f"{fn}() received an invalid combination of arguments - got "
                        f"({type(window_length).__name__}, {type(periodic).__name__}), but expected "
                        "(int window_length, bool periodic, *, torch.dtype dtype = None, ...)")
    from ._memory_format import sparse_coo
    from ._python_dtypes import python_type_dtype

    check_device(device)
    window_length = _check_length(fn, window_length)
    dtype = python_type_dtype(dtype)  # `float` is float64, as in PyTorch's parser
    if layout is sparse_coo:
        # only hann_window's options still say when the dtype is the default one
        shown = (_dtype_name(dtype) if dtype is not None
                 else _dtype_name(get_default_dtype()) + (" (default)" if fn == "hann_window" else ""))
        raise RuntimeError(f"{fn} is not implemented for sparse types, got: "
                           + _options_text(dtype, shown, layout, pin_memory))
    dtype = dtype if dtype is not None else get_default_dtype()
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(f"{fn} expects floating point dtypes, got: "
                           + _options_text(dtype, _dtype_name(dtype), layout, pin_memory))
    if window_length < 0:
        raise RuntimeError(f"{fn} requires non-negative window_length, got window_length={window_length}")
    if pin_memory:  # the checks passed: PyTorch's allocation refuses it
        from ._factory_kwargs import NO_PINNED_MEMORY

        raise RuntimeError(NO_PINNED_MEMORY)
    early = None
    if window_length == 0:
        early = _core._full(0, fill_value=0, dtype=dtype)
    elif window_length == 1:
        early = _core._full(1, fill_value=1, dtype=dtype)
    elif dtype.is_complex:  # PyTorch's checks let complex dtypes through to its arange
        from ._dtype_names import scalar_name

        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{scalar_name(dtype)}'")
    if early is not None and requires_grad:
        early.requires_grad_(True)
    return window_length, dtype, early


def _options_text(dtype, shown_dtype: str, layout, pin_memory) -> str:
    """PyTorch's `TensorOptions` as its window checks print them."""
    from ._memory_format import sparse_coo, strided

    layout_text = {None: "Strided (default)", strided: "Strided", sparse_coo: "Sparse"}.get(layout, layout)
    return (f"TensorOptions(dtype={shown_dtype}, device=cpu, layout={layout_text}, requires_grad=false (default), "
            f"pinned_memory={'true' if pin_memory else 'false'}, memory_format=(nullopt))")


def _finish(window: Tensor, periodic: bool, requires_grad: bool) -> Tensor:
    if periodic:
        window = window.narrow(0, 0, window.shape[0] - 1)
    window = window.contiguous()
    if requires_grad:
        window.requires_grad_(True)
    return window


def _scalar(value: float, dtype):
    """A scalar operand as PyTorch's window kernels see it: a Python float for float32
    and float64, a value rounded to the dtype first for the half types."""
    if dtype in (_core.float32, _core.float64):
        return builtins.float(value)
    from ._creation import tensor

    return tensor(builtins.float(value), dtype=dtype)


def _arange(n: int, dtype) -> Tensor:
    from ._creation import arange

    return arange(n, dtype=dtype)


def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54, beta: float = 0.46, *,
                   dtype=None, layout=None, device=None, pin_memory: bool = False,
                   requires_grad: bool = False) -> Tensor:
    """The generalised Hamming window `alpha - beta * cos(2 pi n / (N - 1))`, with
    N = window_length + 1 when periodic (the last point dropped) and window_length
    otherwise.

    Args:
        window_length: the number of points, non-negative.
        periodic: whether the window is periodic (for spectral analysis) rather than
            symmetric (default True).
        alpha: the constant term (default 0.54).
        beta: the cosine coefficient (default 0.46).
        dtype: a floating dtype; None for the default dtype.
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        pin_memory: ignored.
        requires_grad: whether autograd records operations on the result.
    """
    return _hamming("hamming_window", window_length, periodic, alpha, beta, dtype, device, requires_grad, layout,
                    pin_memory)


def _hamming(fn, window_length, periodic, alpha, beta, dtype, device, requires_grad, layout, pin_memory) -> Tensor:
    n, dtype, early = _start(fn, window_length, dtype, device, requires_grad, periodic, layout, pin_memory)
    if early is not None:
        return early
    if periodic:
        n += 1
    with no_grad():
        window = _arange(n, dtype)
        window = window.mul(_scalar(math.pi * 2.0 / builtins.float(n - 1), dtype)).cos()
        window = window.mul(_scalar(-builtins.float(beta), dtype)).add(_scalar(alpha, dtype))
    return _finish(window, periodic, requires_grad)


def hann_window(window_length: int, periodic: bool = True, *, dtype=None, layout=None, device=None,
                pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    """The Hann window `0.5 - 0.5 cos(2 pi n / (N - 1))`, with N = window_length + 1
    when periodic (the last point dropped) and window_length otherwise.

    Args:
        window_length: the number of points, non-negative.
        periodic: whether the window is periodic (for spectral analysis) rather than
            symmetric (default True).
        dtype: a floating dtype; None for the default dtype.
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        pin_memory: ignored.
        requires_grad: whether autograd records operations on the result.
    """
    need_int64(window_length)
    return _hamming("hann_window", window_length, periodic, 0.5, 0.5, dtype, device, requires_grad, layout, pin_memory)


def bartlett_window(window_length: int, periodic: bool = True, *, dtype=None, layout=None, device=None,
                    pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    """The Bartlett (triangular) window `1 - |2n / (N - 1) - 1|`, with N =
    window_length + 1 when periodic (the last point dropped) and window_length otherwise.

    Args:
        window_length: the number of points, non-negative.
        periodic: whether the window is periodic (for spectral analysis) rather than
            symmetric (default True).
        dtype: a floating dtype; None for the default dtype.
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        pin_memory: ignored.
        requires_grad: whether autograd records operations on the result.
    """
    n, dtype, early = _start("bartlett_window", window_length, dtype, device, requires_grad, periodic, layout, pin_memory)
    if early is not None:
        return early
    if periodic:
        n += 1
    from ._shape import cat

    with no_grad():
        window = _arange(n, dtype).mul(_scalar(2.0 / builtins.float(n - 1), dtype))
        first_half = ((n - 1) >> 1) + 1
        rising = window.narrow(0, 0, first_half)
        falling = window.narrow(0, first_half, n - first_half).mul(-1).add(2)
        window = cat([rising, falling])
    return _finish(window, periodic, requires_grad)


def blackman_window(window_length: int, periodic: bool = True, *, dtype=None, layout=None, device=None,
                    pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    """The Blackman window `0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1))`,
    with N = window_length + 1 when periodic (the last point dropped) and window_length
    otherwise.

    Args:
        window_length: the number of points, non-negative.
        periodic: whether the window is periodic (for spectral analysis) rather than
            symmetric (default True).
        dtype: a floating dtype; None for the default dtype.
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        pin_memory: ignored.
        requires_grad: whether autograd records operations on the result.
    """
    n, dtype, early = _start("blackman_window", window_length, dtype, device, requires_grad, periodic, layout, pin_memory)
    if early is not None:
        return early
    if periodic:
        n += 1
    with no_grad():
        base = _arange(n, dtype).mul(_scalar(math.pi / builtins.float(n - 1), dtype))
        window = (base.mul(4).cos().mul(_scalar(0.08, dtype)) - base.mul(2).cos().mul(0.5)) + _scalar(0.42, dtype)
    return _finish(window, periodic, requires_grad)


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *, dtype=None, layout=None,
                  device=None, pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    """The Kaiser window `I0(beta sqrt(1 - ((n - a) / a)^2)) / I0(beta)` with a = (N - 1) / 2,
    N = window_length + 1 when periodic (the last point dropped) and window_length
    otherwise; I0 is the modified Bessel function of order 0.

    Args:
        window_length: the number of points, non-negative.
        periodic: whether the window is periodic (for spectral analysis) rather than
            symmetric (default True).
        beta: the shape parameter (default 12).
        dtype: a floating dtype; None for the default dtype.
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        pin_memory: ignored.
        requires_grad: whether autograd records operations on the result.
    """
    n, dtype, early = _start("kaiser_window", window_length, dtype, device, requires_grad, periodic, layout, pin_memory)
    if early is not None:
        return early
    if periodic:
        n += 1
    from ._creation import tensor

    # PyTorch's kernel works in the dtype's "opmath" type: float32 for the half types
    ct = np.float64 if dtype == _core.float64 else np.float32
    positions = np.arange(n, dtype=np.float64)
    if dtype not in (_core.float32, _core.float64):
        positions = np.asarray(_arange(n, dtype).to(_core.float64).numpy())  # arange rounded to the dtype
    a = positions.astype(ct)
    alpha = ct((n - 1) / 2.0)
    b = ct(beta)
    ratio = (a - alpha) / alpha
    values = _i0(b * np.sqrt(np.abs(_fma(-ratio, ratio, ct(1), ct))), ct) / _i0(np.asarray([b], dtype=ct), ct)
    window = tensor(values.astype(ct)).to(dtype)
    return _finish(window, periodic, requires_grad)


# Cephes' Chebyshev coefficients of exp(-x) I0(x) on [0, 8] (A) and of
# exp(-x) sqrt(x) I0(x) on (8, inf) (B), as PyTorch's `calc_i0` uses them.
_I0_A = (
    -4.4153416464793395e-18,
    3.3307945188222384e-17,
    -2.431279846547955e-16,
    1.715391285555133e-15,
    -1.1685332877993451e-14,
    7.676185498604936e-14,
    -4.856446783111929e-13,
    2.95505266312964e-12,
    -1.726826291441556e-11,
    9.675809035373237e-11,
    -5.189795601635263e-10,
    2.6598237246823866e-09,
    -1.300025009986248e-08,
    6.046995022541919e-08,
    -2.670793853940612e-07,
    1.1173875391201037e-06,
    -4.4167383584587505e-06,
    1.6448448070728896e-05,
    -5.754195010082104e-05,
    0.00018850288509584165,
    -0.0005763755745385824,
    0.0016394756169413357,
    -0.004324309995050576,
    0.010546460394594998,
    -0.02373741480589947,
    0.04930528423967071,
    -0.09490109704804764,
    0.17162090152220877,
    -0.3046826723431984,
    0.6767952744094761,
)
_I0_B = (
    -7.233180487874754e-18,
    -4.830504485944182e-18,
    4.46562142029676e-17,
    3.461222867697461e-17,
    -2.8276239805165836e-16,
    -3.425485619677219e-16,
    1.7725601330565263e-15,
    3.8116806693526224e-15,
    -9.554846698828307e-15,
    -4.150569347287222e-14,
    1.54008621752141e-14,
    3.8527783827421426e-13,
    7.180124451383666e-13,
    -1.7941785315068062e-12,
    -1.3215811840447713e-11,
    -3.1499165279632416e-11,
    1.1889147107846439e-11,
    4.94060238822497e-10,
    3.3962320257083865e-09,
    2.266668990498178e-08,
    2.0489185894690638e-07,
    2.8913705208347567e-06,
    6.889758346916825e-05,
    0.0033691164782556943,
    0.8044904110141088,
)


def _two_sum(a, b):
    """(s, e) with s = fl(a + b) and s + e = a + b exactly (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _two_prod(a, b):
    """(p, e) with p = fl(a * b) and p + e = a * b exactly (Dekker, Veltkamp split)."""
    p = a * b

    def split(x):
        c = x * 134217729.0  # 2**27 + 1
        hi = c - (c - x)
        return hi, x - hi

    ah, al = split(a)
    bh, bl = split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _round_to_odd(h, low):
    """h + low rounded to odd (h = fl(h + low)): h moves one ulp towards low when the
    sum is inexact and h's last bit is even."""
    even = (h.view(np.int64) & 1) == 0
    toward = np.where(low > 0, np.inf, -np.inf)
    return np.where((low != 0) & even, np.nextafter(h, toward), h)


def _fma(a, b, c, ct):
    """a * b + c rounded once to `ct`, as the contracted multiply-add of PyTorch's
    compiled kernel (rounding to odd makes the emulation exact: Boldo and Melquiond).
    Where an operand or the result is infinite the error terms are NaN, and the plain
    `a * b + c` is the fused result."""
    with np.errstate(invalid="ignore", over="ignore"):
        if ct is np.float32:
            s, e = _two_sum(a.astype(np.float64) * b.astype(np.float64), np.asarray(c, dtype=np.float64))
            fused = _round_to_odd(s, e).astype(np.float32)
        else:
            ph, pl = _two_prod(a, b)
            uh, ul = _two_sum(np.asarray(c, dtype=np.float64) + np.zeros_like(ph), ph)
            vh, vl = _two_sum(ul, pl)
            fused = uh + _round_to_odd(vh, vl)
        plain = (np.asarray(a, dtype=np.float64) * b + c).astype(fused.dtype)
    return np.where(np.isfinite(fused), fused, plain)


def _chbevl(x, coefficients, ct):
    b0 = np.full_like(x, coefficients[0])
    b1 = np.zeros_like(x)
    b2 = b1
    for c in coefficients[1:]:
        b2 = b1
        b1 = b0
        b0 = _fma(x, b1, -b2, ct) + ct(c)
    return ct(0.5) * (b0 - b2)


def _i0(x, ct):
    """I0 elementwise in the NumPy float type `ct`, each step rounded as PyTorch's
    scalar `calc_i0` (its `exp` is the C library's, here Python's `math.exp`)."""
    x = np.abs(np.asarray(x, dtype=ct))
    exp = np.asarray([math.exp(v) for v in x.astype(np.float64)], dtype=np.float64).astype(ct)
    small = x <= ct(8.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        near = exp * _chbevl(x / ct(2.0) - ct(2.0), _I0_A, ct)
        far = exp * _chbevl(ct(32.0) / x - ct(2.0), _I0_B, ct) / np.sqrt(x)
    return np.where(small, near, far).astype(ct)
