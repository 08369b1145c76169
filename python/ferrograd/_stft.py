"""`stft`: the short-time Fourier transform, as PyTorch computes it (padded signal,
frames of `n_fft` samples every `hop_length`, windowed, then `fft.rfft`/`fft.fft`), so
gradients flow through the frame, window and transform ops."""

from __future__ import annotations

from . import _core
from . import _saved_values as saved_values
from ._argcheck import need_int64, need_int64_elements
from ._core import Tensor
from ._user_warning import triggered_internally, warn_at_caller

__all__ = ["stft"]

_NO_WINDOW = triggered_internally(
    "A window was not provided. A rectangular window will be applied,which is known to cause "
    "spectral leakage. Other windows such as torch.hann_window or torch.hamming_window are "
    "recommended to reduce spectral leakage.To suppress this warning and use a rectangular "
    "window, explicitly set `window=torch.ones(n_fft, device=<device>)`.", "native/SpectralOps.cpp:835")

_REAL_RESULT = triggered_internally(
    "stft with return_complex=False is deprecated. In a future pytorch release, stft will return complex "
    "tensors for all inputs, and return_complex=False will raise an error.\nNote: you can still call "
    "torch.view_as_real on the complex output to recover the old return format.", "native/SpectralOps.cpp:874")


# the overloads of `_VF.stft`, which PyTorch's Python stft calls with these nine arguments
_COMMON = "input:T n_fft:i hop_length:Ni=None win_length:Ni=None window:NT=None"
_ENDING = "normalized:b=False onesided:Nb=None return_complex:Nb=None align_to_window:Nb=None"
_KERNEL_OVERLOADS = (f'{_COMMON} center:b=True pad_mode:s="reflect" {_ENDING}', f"{_COMMON} {_ENDING}")


def _check_kernel_arguments(*args) -> None:
    """The argument types, as the parser of PyTorch's stft kernel checks them (after
    the padding, before anything else). Its refusal of an int past int64 is left to
    the checks below, which come after the padding's own."""
    from ._parser_check import signature_error

    error = signature_error("stft", _KERNEL_OVERLOADS, args, {})
    if isinstance(error, TypeError):
        raise error


# PyTorch's TORCH_WARN_ONCE: each warning once a process
_warned_no_window = False
_warned_real_result = False


def _flag(value) -> str:
    return "None" if value is None else str(int(bool(value)))


def _call_text(x: Tensor, n_fft: int, hop: int, win: int, window, normalized, onesided, return_complex,
               align_to_window) -> str:
    """The call PyTorch's stft prefixes to each of its refusals."""
    shown = "None" if window is None else f"{_type_text(window)}{{{list(window.shape)}}}"
    return (f"stft({_type_text(x)}{list(x.shape)}, n_fft={n_fft}, hop_length={hop}, win_length={win}, "
            f"window={shown}, normalized={_flag(normalized)}, onesided={_flag(onesided)}, "
            f"return_complex={_flag(return_complex)}, align_to_window={_flag(align_to_window)}) : ")


def stft(input: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
         window: Tensor | None = None, center: bool = True, pad_mode: str = "reflect",
         normalized: bool = False, onesided: bool | None = None,
         return_complex: bool | None = None, align_to_window: bool | None = None) -> Tensor:
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
        align_to_window: (only without `center`) start the first frame where the
            window (not the `n_fft` frame) starts: frames of the signal zero-padded by
            `(n_fft - win_length) // 2` on both sides.
    """
    if center and align_to_window is not None:
        raise RuntimeError("stft align_to_window should only be set when center = false")
    if center:
        from .nn import functional as F

        rank, pad = input.dim(), int(n_fft // 2)
        need_int64_elements("pad", "pad", [pad])
        padded = F.pad(input.view([1] * (3 - rank) + list(input.shape)), [pad, pad], pad_mode)
        input = padded.view(list(padded.shape)[len(padded.shape) - rank:])
    _check_kernel_arguments(input, n_fft, hop_length, win_length, window, normalized, onesided, return_complex,
                            align_to_window)
    for value in (n_fft, hop_length, win_length):  # the parser of the kernel's call
        need_int64(value)
    return _kernel(input, n_fft, hop_length, win_length, window, normalized, onesided, return_complex,
                   align_to_window)


def _kernel(x: Tensor, n_fft: int, hop_length, win_length, window, normalized, onesided, return_complex,
            align_to_window) -> Tensor:
    """PyTorch's stft kernel, its checks in its order, on the (padded) signal."""
    from . import fft
    from .nn import functional as F

    global _warned_no_window, _warned_real_result
    if window is None and not _warned_no_window:
        _warned_no_window = True
        warn_at_caller(_NO_WINDOW)
    complex_input = x.dtype.is_complex or (window is not None and window.dtype.is_complex)
    if return_complex is None and not complex_input:
        raise RuntimeError(
            "stft requires the return_complex parameter be given for real inputs, and will further "
            "require that return_complex=True in a future PyTorch release."
        )
    if return_complex is False and not _warned_real_result:
        _warned_real_result = True
        warn_at_caller(_REAL_RESULT)
    hop = hop_length if hop_length is not None else n_fft // 4
    win = win_length if win_length is not None else n_fft
    call = _call_text(x, n_fft, hop, win, window, normalized, onesided, return_complex, align_to_window)
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(call + "expected a tensor of floating point or complex values")
    if x.dim() not in (1, 2):
        raise RuntimeError(call + "expected a 1D or 2D tensor")
    batched = x.dim() == 2
    frames_of = x if batched else x.unsqueeze(0)
    length = frames_of.shape[-1]
    if not 0 < n_fft <= length:  # its message says `<`, its check is `<=`
        raise RuntimeError(call + f"expected 0 < n_fft < {length}, but got n_fft={n_fft}")
    if hop <= 0:
        raise RuntimeError(call + f"expected hop_length > 0, but got hop_length={hop}")
    if not 0 < win <= n_fft:
        raise RuntimeError(call + f"expected 0 < win_length <= n_fft, but got win_length={win}")
    if window is not None and (window.dim() != 1 or window.shape[0] != win):
        raise RuntimeError(call + f"expected a 1D window tensor of size equal to win_length={win}, but got "
                           f"window with size {list(window.shape)}")
    left = (n_fft - win) // 2
    if win < n_fft:
        window = F.pad(window if window is not None else _ones(win, x.dtype), (left, n_fft - win - left))
    if align_to_window:
        frames_of = _aligned(frames_of, n_fft, hop, win, left)
    frames = frames_of.unfold(-1, n_fft, hop)
    if window is not None:
        frames = frames * window
    if onesided is None:
        onesided = not frames.dtype.is_complex
    if onesided and frames.dtype.is_complex:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    if frames.dtype in (_core.float16, _core.bfloat16, _core.complex32):
        from ._dtype_names import scalar_name

        real = frames.dtype if frames.dtype is not _core.complex32 else _core.float16
        raise RuntimeError(f"MKL FFT doesn't support tensors of type: {scalar_name(real)}")
    norm = "ortho" if normalized else "backward"
    spectrum = fft.rfft(frames, dim=-1, norm=norm) if onesided else fft.fft(frames, dim=-1, norm=norm)
    out = _core._named_node(spectrum.transpose(-1, -2), "TransposeBackward1")
    saved_values.keep(out, "TransposeBackward1", {"dim0": spectrum.dim() - 2, "dim1": spectrum.dim() - 1})
    if not batched:
        sizes = tuple(out.shape)
        out = _core._named_node(out.squeeze(0), "SqueezeBackward4")
        saved_values.keep(out, "SqueezeBackward4", {"dim": 0, "self_sym_sizes": sizes})
    return out if return_complex is not False else _core._view_as_real(out)


def _ones(n: int, dtype) -> Tensor:
    from ._creation import ones

    return ones(n, dtype=dtype)


def _aligned(x: Tensor, n_fft: int, hop: int, win: int, left: int) -> Tensor:
    """The signal `align_to_window` frames: zero-padded by `left` on both sides, its
    frame count that of the window (`1 + (L - win_length) // hop`)."""
    from .nn import functional as F

    batch, length = x.shape
    count = 1 + (length - win) // hop
    padded = F.pad(x, (left, left))
    need = (count - 1) * hop + n_fft
    if need > padded.shape[-1]:  # PyTorch's strided view of the padded signal overruns it
        size = x.element_size()
        total = padded.shape[-1]
        raise RuntimeError(
            f"setStorage: sizes [{batch}, {count}, {n_fft}], strides [{total}, {hop}, 1], storage offset 0, "
            f"and itemsize {size} requiring a storage size of {((batch - 1) * total + need) * size} are out "
            f"of bounds for storage of size {batch * total * size}")
    return padded


def _type_text(t: Tensor) -> str:
    """A tensor's type as PyTorch's stft messages name it: its legacy tensor type, or
    the backend type for dtypes without one."""
    from ._dtype_names import checked_type_name

    return checked_type_name(t.dtype)


def _tensor_stft(self: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
                 window: Tensor | None = None, center: bool = True, pad_mode: str = "reflect",
                 normalized: bool = False, onesided: bool | None = None,
                 return_complex: bool | None = None, align_to_window: bool | None = None) -> Tensor:
    return stft(self, n_fft, hop_length, win_length, window, center, pad_mode, normalized, onesided,
                return_complex, align_to_window)


_tensor_stft.__name__ = _tensor_stft.__qualname__ = "stft"
_tensor_stft.__doc__ = stft.__doc__
Tensor.stft = _tensor_stft  # type: ignore[attr-defined]
