"""`stft`: the short-time Fourier transform, as PyTorch computes it (padded signal,
frames of `n_fft` samples every `hop_length`, windowed, then `fft.rfft`/`fft.fft`), so
gradients flow through the frame, window and transform ops."""

from __future__ import annotations

import warnings

from . import _core
from ._argcheck import need_int64, need_int64_elements
from ._core import Tensor
from ._shell_dtypes import SHELL_UNSIGNED

__all__ = ["stft"]

_NO_WINDOW = (
    "A window was not provided. A rectangular window will be applied,which is known to cause "
    "spectral leakage. Other windows such as torch.hann_window or torch.hamming_window are "
    "recommended to reduce spectral leakage.To suppress this warning and use a rectangular "
    "window, explicitly set `window=torch.ones(n_fft, device=<device>)`."
)


# the overloads of `_VF.stft`, which PyTorch's Python stft calls with these nine arguments
_COMMON = "input:T n_fft:i hop_length:Ni= win_length:Ni= window:NT="
_ENDING = "normalized:b= onesided:Nb= return_complex:Nb= align_to_window:Nb="
_KERNEL_OVERLOADS = (f"{_COMMON} center:b= pad_mode:s= {_ENDING}", f"{_COMMON} {_ENDING}")


def _check_kernel_arguments(*args) -> None:
    """The argument types, as the parser of PyTorch's stft kernel checks them (after
    the padding, before anything else). Its refusal of an int past int64 is left to
    the checks below, which come after the padding's own."""
    from ._parser_check import signature_error

    error = signature_error("stft", _KERNEL_OVERLOADS, (*args, None), {})
    if isinstance(error, TypeError):
        raise error


def stft(input: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
         window: Tensor | None = None, center: bool = True, pad_mode: str = "reflect",
         normalized: bool = False, onesided: bool | None = None,
         return_complex: bool | None = None) -> Tensor:
    """The short-time Fourier transform of a 1-D signal or a batch of them: shape
    `(n_fft // 2 + 1, n_frames)` (one-sided) or `(n_fft, n_frames)`, batch dim first.

    Args:
        input: the signal, `(L,)` or `(B, L)`, real or complex.
        n_fft: the frame length and transform size.
        hop_length: the step between frames (default `n_fft // 4`).
        win_length: the window length (default `n_fft`), zero-padded to `n_fft` centred.
        window: the window, of `win_length` samples; None for a rectangular one.
        center: pad the signal by `n_fft // 2` on both sides (mode `pad_mode`) first.
        pad_mode: the padding mode when `center` ("reflect", "constant", ...).
        normalized: scale by `n_fft ** -0.5`.
        onesided: keep only the non-negative frequencies (default for real inputs).
        return_complex: must be given for real inputs: True for a complex result,
            False for its real view (a trailing dim of 2).
    """
    from . import fft
    from .nn import functional as F

    if center:  # PyTorch's stft computes its padding, int(n_fft // 2), before any other check
        input.dim()
        int(n_fft // 2)
    _check_kernel_arguments(input, n_fft, hop_length, win_length, window, normalized, onesided, return_complex)
    complex_input = input.dtype.is_complex or (window is not None and window.dtype.is_complex)
    if return_complex is None:
        if not complex_input:
            raise RuntimeError(
                "stft requires the return_complex parameter be given for real inputs, and will further "
                "require that return_complex=True in a future PyTorch release."
            )
        return_complex = True
    if not return_complex:
        warnings.warn(
            "stft with return_complex=False is deprecated. In a future pytorch release, stft will "
            "return complex tensors for all inputs, and return_complex=False will raise an error.\n"
            "Note: you can still call torch.view_as_real on the complex output to recover the old "
            "return format.",
            UserWarning,
            stacklevel=2,
        )
    if input.dim() not in (1, 2):
        raise RuntimeError(f"stft: expected a 1D or 2D tensor, but got {input.dim()}D tensor")
    hop = hop_length if hop_length is not None else n_fft // 4
    win = win_length if win_length is not None else n_fft
    if window is None:
        warnings.warn(_NO_WINDOW, UserWarning, stacklevel=2)
    batched = input.dim() == 2
    x = input if batched else input.unsqueeze(0)
    integral = not (x.dtype.is_floating_point or x.dtype.is_complex)
    # PyTorch pads integers too (bool and uint16/32/64 have no padding kernel)
    pads_integers = integral and x.dtype is not _core.bool and x.dtype not in SHELL_UNSIGNED
    if center and not pads_integers:
        pad = n_fft // 2
        x = F.pad(x.unsqueeze(0), (pad, pad), mode=pad_mode).squeeze(0)
    if center:
        need_int64_elements("pad", "pad", [n_fft // 2])
    for value in (n_fft, hop_length, win_length):  # the parser of the kernel's call
        need_int64(value)
    if integral:
        shape = list(input.shape)
        if center:
            shape[-1] += 2 * (n_fft // 2)
        args = (f"{_type_text(x)}{shape}, n_fft={n_fft}, hop_length={hop}, win_length={win}, "
                f"window={'None' if window is None else f'{_type_text(window)}{{{list(window.shape)}}}'}, "
                f"normalized={int(bool(normalized))}, onesided={'None' if onesided is None else int(bool(onesided))}, "
                f"return_complex={int(bool(return_complex))}, align_to_window=None")
        raise RuntimeError(f"stft({args}) : expected a tensor of floating point or complex values")
    length = x.shape[-1]
    if not 0 < n_fft <= length:
        raise RuntimeError(f"stft: expected 0 < n_fft <= {length}, but got n_fft={n_fft}")
    if hop <= 0:
        raise RuntimeError(f"stft: expected hop_length > 0, but got hop_length={hop}")
    if not 0 < win <= n_fft:
        raise RuntimeError(f"stft: expected 0 < win_length <= n_fft, but got win_length={win}")
    frames = x.unfold(-1, n_fft, hop)
    if window is not None:
        if window.dim() != 1 or window.shape[0] != win:
            raise RuntimeError(
                f"stft: expected a 1D window tensor of size equal to win_length={win}, but got "
                f"window with size {list(window.shape)}"
            )
        if win < n_fft:
            left = (n_fft - win) // 2
            window = F.pad(window, (left, n_fft - win - left))
        frames = frames * window
    elif win < n_fft:
        left = (n_fft - win) // 2
        frames = frames[..., left:left + win]
        frames = F.pad(frames, (left, n_fft - win - left))
    if onesided is None:
        onesided = not complex_input
    norm = "ortho" if normalized else "backward"
    spectrum = fft.rfft(frames, dim=-1, norm=norm) if onesided else fft.fft(frames, dim=-1, norm=norm)
    out = _core._named_node(spectrum.transpose(-1, -2), "TransposeBackward1")
    if not batched:
        out = _core._named_node(out.squeeze(0), "SqueezeBackward4")
    return out if return_complex else _core._view_as_real(out)


def _type_text(t: Tensor) -> str:
    """A tensor's type as PyTorch's messages name it: its legacy tensor type, or the
    backend type for dtypes without one."""
    from ._dtype_names import scalar_name
    from ._tensor import _LEGACY_NAMES

    if t.dtype is _core.bool or t.dtype in SHELL_UNSIGNED:
        return f"CPU{scalar_name(t.dtype)}Type"
    return "ferrograd." + _LEGACY_NAMES[repr(t.dtype).split(".", 1)[1]]


def _tensor_stft(self: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
                 window: Tensor | None = None, center: bool = True, pad_mode: str = "reflect",
                 normalized: bool = False, onesided: bool | None = None,
                 return_complex: bool | None = None) -> Tensor:
    return stft(self, n_fft, hop_length, win_length, window, center, pad_mode, normalized, onesided,
                return_complex)


_tensor_stft.__name__ = _tensor_stft.__qualname__ = "stft"
_tensor_stft.__doc__ = stft.__doc__
Tensor.stft = _tensor_stft  # type: ignore[attr-defined]
