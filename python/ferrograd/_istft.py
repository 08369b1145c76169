"""`istft`: the inverse short-time Fourier transform, as PyTorch computes it (inverse
transform of each frame, windowed, overlap-added, divided by the overlap-added squared
window, trimmed), built from differentiable ops."""

from __future__ import annotations

import warnings

from ._argcheck import need_int64
from ._core import Tensor

__all__ = ["istft"]

_NO_WINDOW = (
    "A window was not provided. A rectangular window will be applied.Please provide the same window used by "
    "stft to make the inversion lossless.To suppress this warning and use a rectangular window, explicitly "
    "set `window=torch.ones(n_fft, device=<device>)`."
)


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
    from ._creation import ones, zeros

    if not isinstance(input, Tensor) or not input.dtype.is_complex:
        raise RuntimeError(
            "istft requires a complex-valued input tensor matching the output from stft with return_complex=True."
        )
    for value in (n_fft, hop_length, win_length):
        need_int64(value)
    # PyTorch reads sizes -2 and -3 of the input's real view (one more dim) first
    rank = input.dim() + 1
    for d in (-2, -3):
        if d < -rank:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], but got {d})")
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    if input.dim() not in (2, 3):
        raise RuntimeError(f"istft expected a batch of 2D tensors, but got input with {input.dim()} dimensions")
    if not 0 < win <= n_fft:
        raise RuntimeError(f"istft expected 0 < win_length <= n_fft, but got win_length={win}")
    if hop <= 0:
        raise RuntimeError(f"istft expected hop_length to be positive, but got hop_length={hop}")
    batched = input.dim() == 3
    spec = input if batched else input.unsqueeze(0)
    n_freq, n_frames = spec.shape[-2], spec.shape[-1]
    one_sided = onesided if onesided is not None else n_freq != n_fft
    if one_sided and n_freq != n_fft // 2 + 1:
        raise RuntimeError(
            "istft expected the frequency dimension (3rd to the last) of the input tensor to match n_fft / 2 + 1 "
            f"when onesided=True, but got {n_freq}"
        )
    if not one_sided and n_freq != n_fft:
        raise RuntimeError(
            "istft expected the frequency dimension (3rd to the last) of the input tensor to match n_fft when "
            f"onesided=False, but got {n_freq}"
        )
    real_dtype = spec.real.dtype
    if window is None:
        warnings.warn(_NO_WINDOW, UserWarning, stacklevel=2)
        window = ones(win, dtype=real_dtype)
    elif window.dim() != 1 or window.shape[0] != win:
        raise RuntimeError(
            f"Invalid window shape. window has to be 1D and length of `win_length` but got window with shape "
            f"{list(window.shape)} and win_length={win}"
        )
    if win < n_fft:
        left = (n_fft - win) // 2
        window = zeros(n_fft, dtype=window.dtype).index_copy(0, _arange(left, left + win), window)
    norm = "ortho" if normalized else "backward"
    if one_sided:
        if return_complex:
            raise RuntimeError("cannot have onesided output if window or input is complex")
        frames = fft.irfft(spec, n=n_fft, dim=-2, norm=norm)
    elif return_complex:
        frames = fft.ifft(spec, n=n_fft, dim=-2, norm=norm)
    else:  # PyTorch keeps the non-negative frequencies of a two-sided spectrum for a real signal
        frames = fft.irfft(spec[:, : n_fft // 2 + 1], n=n_fft, dim=-2, norm=norm)
    frames = frames * window.reshape(n_fft, 1)
    total = n_fft + hop * (n_frames - 1)
    if frames.dtype.is_complex:
        y = _complex(_overlap_add(frames.real.contiguous(), hop, total),
                          _overlap_add(frames.imag.contiguous(), hop, total))
    else:
        y = _overlap_add(frames, hop, total)
    # PyTorch squares the window itself (not its modulus): complex for a complex window
    square = (window * window).reshape(1, n_fft, 1).expand(1, n_fft, n_frames).contiguous()
    if square.dtype.is_complex:
        envelope = _complex(_overlap_add(square.real.contiguous(), hop, total),
                            _overlap_add(square.imag.contiguous(), hop, total))
    else:
        envelope = _overlap_add(square, hop, total)
    start = n_fft // 2 if center else 0
    end = start + length if length is not None else (total - n_fft // 2 if center else total)
    end = min(end, total)
    y = y[:, start:end]
    envelope = envelope[:, start:end]
    if envelope.numel() and envelope.abs().min().item() < 1e-11:
        raise RuntimeError(
            f"istft(window overlap add min: {envelope.abs().min().item():g}): window overlap add min must be "
            "greater than 1e-11 (the NOLA condition)"
        )
    y = y / envelope
    if length is not None and y.shape[-1] < length:
        y = _pad_end(y, length - y.shape[-1])
    return y if batched else y.squeeze(0)


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
