"""`interpolate(..., antialias=True)` for bilinear and bicubic: PyTorch's separable
anti-aliased resampling (its `_upsample_*2d_aa`), as two weight matrices.

Each output pixel averages the input pixels under the filter (triangle, or Keys' cubic
with a = -0.5) stretched by the downscaling factor, weights normalised to sum to 1."""

from __future__ import annotations

import functools

from .. import _core
from .._core import Tensor
from .._numpy import np


def _triangle(x: float) -> float:
    x = abs(x)
    return 1.0 - x if x < 1.0 else 0.0


def _cubic(x: float, a: float = -0.5) -> float:
    x = abs(x)
    if x < 1.0:
        return ((a + 2) * x - (a + 3)) * x * x + 1
    if x < 2.0:
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return 0.0


def _weights(in_size: int, out_size: int, scale_factor, align_corners: bool, bicubic: bool):
    """The (out_size, in_size) resampling matrix of one dimension."""
    if align_corners:
        scale = (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
    else:
        scale = 1.0 / scale_factor if scale_factor is not None and scale_factor > 0 else in_size / out_size
    interp_size = 4 if bicubic else 2
    support = interp_size * 0.5 * scale if scale >= 1.0 else interp_size * 0.5
    invscale = 1.0 / scale if scale >= 1.0 else 1.0
    kernel = _cubic if bicubic else _triangle
    w = np.zeros((out_size, in_size), dtype=np.float64)
    for i in range(out_size):
        center = scale * (i + 0.5)
        xmin = max(int(center - support + 0.5), 0)
        xsize = min(int(center + support + 0.5), in_size) - xmin
        row = [kernel((j + xmin - center + 0.5) * invscale) for j in range(max(xsize, 0))]
        total = sum(row)
        if total != 0.0:
            row = [v / total for v in row]
        w[i, xmin:xmin + len(row)] = row
    return w


def interpolate_aa(input: Tensor, output_size: list[int], scale_factors, align_corners: bool, mode: str) -> Tensor:
    """Anti-aliased bilinear/bicubic resampling of a 4-D input to `output_size`."""
    from .._creation import tensor

    if input.dtype == _core.uint8:  # PyTorch's fixed-point uint8 kernel
        from ._pooling import _uint8_resample

        return _uint8_resample(input, output_size, scale_factors, align_corners, mode, True)
    bicubic = mode == "bicubic"
    sf = scale_factors if scale_factors is not None else [None, None]
    wh = tensor(_weights(input.shape[2], output_size[0], sf[0], align_corners, bicubic), dtype=input.dtype)
    ww = tensor(_weights(input.shape[3], output_size[1], sf[1], align_corners, bicubic), dtype=input.dtype)
    from ._composite_nodes import record_composite

    return record_composite("UpsampleBicubic2DAaBackward0" if bicubic else "UpsampleBilinear2DAaBackward0", (input,),
                            lambda out: (), functools.partial(_resampled, wh, ww),
                            {"align_corners": align_corners, "output_size": tuple(output_size), "scales_h": sf[0],
                             "scales_w": sf[1], "self_sym_sizes": tuple(input.shape)})


def _resampled(wh: Tensor, ww: Tensor, input: Tensor) -> Tensor:
    return wh @ (input @ ww.mT)
