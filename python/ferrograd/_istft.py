"""`istft`: the inverse short-time Fourier transform, as PyTorch computes it (inverse
transform of each frame, windowed, overlap-added, divided by the overlap-added squared
window, trimmed), built from differentiable ops."""

from __future__ import annotations

from ._argcheck import need_int64
from ._core import Tensor
from ._user_warning import triggered_internally, warn_at_caller

__all__ = ["istft"]

_NO_WINDOW = triggered_internally(
    "A window was not provided. A rectangular window will be applied.Please provide the same window used by "
    "stft to make the inversion lossless.To suppress this warning and use a rectangular window, explicitly "
    "set `window=torch.ones(n_fft, device=<device>)`.", "native/SpectralOps.cpp:1035")

_SHORT_SIGNAL = triggered_internally(
    "The length of signal is shorter than the length parameter. Result is being padded with zeros in the tail. "
    "Please check your center and hop_length settings.", "native/SpectralOps.cpp:1199")

# PyTorch's TORCH_WARN_ONCE: each warning once a process
_warned_no_window = False
_warned_short_signal = False


def _overlap_add(frames: Tensor, hop: int, total: int) -> Tensor:
    """Frames `(B, n_fft, n_frames)` summed into signals `(B, total)`, frame `t` starting
    at sample `t * hop`."""
    from .nn import functional as F

    n_fft = frames.shape[1]
    out = F.fold(frames, output_size=(1, total), kernel_size=(1, n_fft), stride=(1, hop))
    return out.reshape(frames.shape[0], total)


def istft(input: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
          window: Tensor | None = None, center: bool = True, normalized: bool = False,
          onesided: bool | None = None, length: int | None = None, return_complex: bool = False) -> Tensor:
    """The signal whose `stft` is `input` (least squares for a modified spectrum).

    Args:
        input: the complex spectrum, `(freq, n_frames)` or `(B, freq, n_frames)`.
        n_fft: the frame length used by `stft`.
        hop_length: the step between frames (default `n_fft // 4`).
        win_length: the window length (default `n_fft`).
        window: the window used by `stft`; None for a rectangular one (warns).
        center: whether `stft` padded the signal by `n_fft // 2` on each side.
        normalized: whether `stft` scaled by `n_fft ** -0.5`.
        onesided: whether `input` holds only the non-negative frequencies (default: when
            its frequency dim is not `n_fft`).
        length: the length of the result (trimmed or zero-padded to it).
        return_complex: return a complex signal (for a two-sided, complex spectrum).
    """
    from . import fft

    for value in (n_fft, hop_length, win_length, length):
        need_int64(value)
    global _warned_no_window, _warned_short_signal
    if window is None and not _warned_no_window:
        _warned_no_window = True
        warn_at_caller(_NO_WINDOW)
    if not isinstance(input, Tensor) or not input.dtype.is_complex:
        raise RuntimeError(
            "istft requires a complex-valued input tensor matching the output from stft with return_complex=True."
        )
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    # PyTorch reads sizes -2 and -3 of the input's real view (one more dim) first
    rank = input.dim() + 1
    for d in (-2, -3):
        if d < -rank:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], but got {d})")
    call = _call_text(input, n_fft, hop, win, window, center, normalized, onesided, length, return_complex)
    if input.numel() == 0:
        raise RuntimeError(call + " : input tensor cannot be empty.")
    if rank not in (3, 4):
        raise RuntimeError(call + f" : expected a tensor with 3 or 4 dimensions, but got {rank}")
    n_freq, n_frames = input.shape[-2], input.shape[-1]
    one_sided = onesided if onesided is not None else n_freq != n_fft
    if one_sided and n_freq != _half(n_fft) + 1:
        raise RuntimeError(call + " : expected the frequency dimension (3rd to the last) of the input tensor to match "
                           f"n_fft / 2 + 1 when onesided=True, but got {n_freq}")
    if not one_sided and n_freq != n_fft:
        raise RuntimeError(call + " : expected the frequency dimension (3rd to the last) of the input tensor to match "
                           f"n_fft when onesided=False, but got {n_freq}")
    if not 0 < hop <= win:
        raise RuntimeError(call + " : expected 0 < hop_length <= win_length")
    if not 0 < win <= n_fft:
        raise RuntimeError(call + " : expected 0 < win_length <= n_fft")
    if window is not None and (window.dim() != 1 or window.shape[0] != win):
        raise RuntimeError(call + " : Invalid window shape. window has to be 1D and length of `win_length`")
    spec = input if input.dim() == 3 else input.unsqueeze(0)
    padded = _padded_window(window, win, n_fft, spec.real.dtype)
    norm = "ortho" if normalized else "backward"
    if return_complex:
        if one_sided:
            raise RuntimeError("Cannot have onesided output if window or input is complex")
        frames = fft.ifft(spec, n=n_fft, dim=-2, norm=norm)
    else:
        if window is not None and window.dtype.is_complex:
            raise RuntimeError("Complex windows are incompatible with return_complex=False")
        # a two-sided spectrum of a real signal: its non-negative frequencies
        frames = fft.irfft(spec if one_sided else spec[:, : n_fft // 2 + 1], n=n_fft, dim=-2, norm=norm)
    frames = frames * padded.reshape(n_fft, 1)
    total = n_fft + hop * (n_frames - 1)
    y = _overlap_add_any(frames, hop, total)
    # PyTorch squares the window itself (not its modulus): complex for a complex window
    square = padded * padded
    if not (square.dtype.is_floating_point or square.dtype.is_complex):  # an integer window's, exactly
        square = square._to_dtype(frames.real.dtype)
    envelope = _overlap_add_any(square.reshape(1, n_fft, 1).expand(1, n_fft, n_frames), hop, total)
    start = _half(n_fft) if center else 0
    end = start + length if length is not None else (total - _half(n_fft) if center else total)
    y, envelope = y[:, start:end], envelope[:, start:end]
    if envelope.numel() == 0:  # PyTorch's whole-tensor min of an empty envelope
        raise RuntimeError("min(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                           "reduction dim with the 'dim' argument.")
    if envelope.abs().min().item() < 1e-11:
        raise RuntimeError(call + " window overlap add min: 1\n[ CPUBoolType{} ]")
    y = y / envelope
    if input.dim() == 2:
        y = y.squeeze(0)
    if end > total:
        if not _warned_short_signal:
            _warned_short_signal = True
            warn_at_caller(_SHORT_SIGNAL)
        y = _pad_end(y, end - total)
    return y


def _half(n: int) -> int:
    """`n / 2` as C++ divides (toward zero)."""
    return -(-n // 2) if n < 0 else n // 2


def _padded_window(window: Tensor | None, win: int, n_fft: int, dtype) -> Tensor:
    """The window (ones when none is given) zero-padded to `n_fft`, centred."""
    from ._creation import ones, zeros

    if window is None:
        window = ones(win, dtype=dtype)
    if win == n_fft:
        return window
    left = (n_fft - win) // 2
    return zeros(n_fft, dtype=window.dtype).index_copy(0, _arange(left, left + win), window)


def _overlap_add_any(frames: Tensor, hop: int, total: int) -> Tensor:
    """`_overlap_add` of real or complex frames."""
    if frames.dtype.is_complex:
        return _complex(_overlap_add(frames.real.contiguous(), hop, total),
                        _overlap_add(frames.imag.contiguous(), hop, total))
    return _overlap_add(frames.contiguous(), hop, total)


def _call_text(x: Tensor, n_fft: int, hop: int, win: int, window, center, normalized, onesided, length,
               return_complex) -> str:
    """The call PyTorch's istft names in its refusals."""
    from ._stft import _flag, _type_text

    shown = "None" if window is None else f"{_type_text(window)}{{{list(window.shape)}}}"
    return (f"istft({_type_text(x)}{list(x.shape)}, n_fft={n_fft}, hop_length={hop}, win_length={win}, "
            f"window={shown}, center={_flag(center)}, normalized={_flag(normalized)}, onesided={_flag(onesided)}, "
            f"length={length}, return_complex={_flag(return_complex)})")


def _arange(start: int, end: int) -> Tensor:
    from ._creation import arange

    return arange(start, end)


def _complex(real: Tensor, imag: Tensor) -> Tensor:
    from . import complex as make_complex

    return make_complex(real, imag)


def _pad_end(y: Tensor, extra: int) -> Tensor:
    from .nn import functional as F

    return F.pad(y, (0, extra))


def _tensor_istft(self: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
                  window: Tensor | None = None, center: bool = True, normalized: bool = False,
                  onesided: bool | None = None, length: int | None = None, return_complex: bool = False) -> Tensor:
    return istft(self, n_fft, hop_length, win_length, window, center, normalized, onesided, length, return_complex)


_tensor_istft.__name__ = _tensor_istft.__qualname__ = "istft"
_tensor_istft.__doc__ = istft.__doc__
Tensor.istft = _tensor_istft  # type: ignore[attr-defined]
