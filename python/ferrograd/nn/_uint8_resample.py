"""`interpolate` of uint8 images, bilinear or bicubic, with or without antialias, as
PyTorch's uint8 kernel computes it (Pillow's algorithm): one dimension at a time (width,
then height), each pass with 16-bit fixed-point weights, rounded and clamped to uint8
before the next pass."""

from __future__ import annotations

from .._numpy import np
from ._antialias import _cubic, _triangle


def _scale(in_size: int, out_size: int, scale_factor, align_corners: bool) -> float:
    if align_corners:
        return (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
    if scale_factor is not None and scale_factor > 0:
        return 1.0 / scale_factor
    return in_size / out_size


def _float_weights(in_size, out_size, scale_factor, align_corners, bicubic, antialias):
    """The (out_size, in_size) float64 weights of one dimension and the largest weight
    PyTorch's precision is chosen from."""
    scale = _scale(in_size, out_size, scale_factor, align_corners)
    interp_size = 4 if bicubic else 2
    w = np.zeros((out_size, in_size), dtype=np.float64)
    w_max = 0.0
    for i in range(out_size):
        if antialias:
            xmin, row = _window_aa(i, in_size, scale, interp_size, bicubic)
            w_max = max([w_max, *row])
        else:
            xmin, row, row_max = _window_plain(i, in_size, scale, interp_size, bicubic, align_corners)
            w_max = max(w_max, row_max)
        w[i, xmin:xmin + len(row)] = row
    return w, w_max


def _window_aa(i, in_size, scale, interp_size, bicubic):
    """Pillow's window: the filter (Keys' a = -0.5) stretched by the downscaling factor,
    cut at the edges and normalised to sum 1."""
    support = interp_size * 0.5 * scale if scale >= 1.0 else interp_size * 0.5
    max_size = int(np.ceil(support)) * 2 + 1
    invscale = 1.0 / scale if scale >= 1.0 else 1.0
    center = scale * (i + 0.5)
    xmin = max(int(center - support + 0.5), 0)
    xsize = min(max(min(int(center + support + 0.5), in_size) - xmin, 0), max_size)
    row = [(_cubic(x, -0.5) if bicubic else _triangle(x))
           for x in ((j + xmin - center + 0.5) * invscale for j in range(xsize))]
    total = sum(row)
    return xmin, ([v / total for v in row] if total != 0.0 else row)


def _window_plain(i, in_size, scale, interp_size, bicubic, align_corners):
    """The float kernel's taps (Keys' a = -0.75 for bicubic), the weights of taps beyond
    an edge added to the edge's, with the running largest weight PyTorch tracks."""
    real = scale * i if align_corners else scale * (i + 0.5) - 0.5
    if not bicubic and real < 0:
        real = 0.0
    index = min(int(np.floor(np.float32(real))), in_size - 1)  # PyTorch floors a float
    lam = min(max(real - index, 0.0), 1.0)
    support = interp_size // 2
    unbound_min = index - support + 1
    xmin = max(unbound_min, 0)
    xsize = min(max(min(index + support + 1, in_size) - xmin, 0), interp_size)
    row = [0.0] * interp_size
    w_max, k = 0.0, 0
    for j in range(interp_size):
        x = (j + 1 - support) - lam
        v = _cubic(x, -0.75) if bicubic else _triangle(x)
        if unbound_min + j <= 0:
            k = 0
        elif unbound_min + j >= in_size - 1:
            k = xsize - 1
        row[k] += v
        w_max = max(w_max, row[k])
        k += 1
    return xmin, row[:xsize], w_max


def _fixed_point(w: np.ndarray, w_max: float) -> tuple[np.ndarray, int]:
    """The weights as int16 scaled by 2**precision, the largest precision that keeps the
    largest weight (doubled) under 2**15."""
    precision = 0
    while precision < 22 and int(0.5 + w_max * (1 << (precision + 1))) < (1 << 15):
        precision += 1
    scaled = w * (1 << precision)
    ints = np.where(scaled < 0, np.trunc(scaled - 0.5), np.trunc(scaled + 0.5)).astype(np.int64)
    return ints, precision


def _pass(x: np.ndarray, w: np.ndarray, w_max: float, axis: int) -> np.ndarray:
    ints, precision = _fixed_point(w, w_max)
    moved = np.moveaxis(x.astype(np.int64), axis, -1)
    acc = moved @ ints.T
    if precision > 0:
        acc = acc + (1 << (precision - 1))
    out = np.clip(acc >> precision, 0, 255).astype(np.uint8)
    return np.moveaxis(out, -1, axis)


def resample_uint8(x: np.ndarray, output_size, scale_factors, align_corners: bool, bicubic: bool,
                   antialias: bool) -> np.ndarray:
    """The (N, C, H, W) uint8 array `x` resampled to `output_size` (H', W')."""
    sf = scale_factors if scale_factors is not None else [None, None]
    out = x
    for axis, k in ((3, 1), (2, 0)):
        if out.shape[axis] == output_size[k]:
            continue  # PyTorch skips a pass that keeps the size
        w, w_max = _float_weights(out.shape[axis], output_size[k], sf[k], align_corners, bicubic, antialias)
        out = _pass(out, w, w_max, axis)
    return np.ascontiguousarray(out)
