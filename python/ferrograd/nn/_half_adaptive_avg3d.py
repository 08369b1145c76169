"""`adaptive_avg_pool3d` of float16/bfloat16 as PyTorch's CPU kernel computes it: each
window summed in the half type (depth, then height, then width, every addition
rounded), the sum divided by the window's depth, height and width in turn, each
division rounded."""

from __future__ import annotations

import itertools

from .._half_rounding import round_to
from .._numpy import np


def _windows(in_size: int, out_size: int):
    index = np.arange(out_size)
    starts = (index * in_size) // out_size
    ends = -((-(index + 1) * in_size) // out_size)
    return starts, ends - starts


def adaptive_avg3d_values(x, output_size, dtype):
    """The (*, D', H', W') float32 array of the result for the (*, D, H, W) float32 array
    `x` holding `dtype` values."""
    (sd, kd), (sh, kh), (sw, kw) = (_windows(x.shape[-3 + i], output_size[i]) for i in range(3))
    acc = np.zeros((*x.shape[:-3], *output_size), dtype=np.float32)
    for a, b, c in itertools.product(range(kd.max()), range(kh.max()), range(kw.max())):
        d_idx, h_idx, w_idx = np.minimum(sd + a, x.shape[-3] - 1), np.minimum(sh + b, x.shape[-2] - 1), \
            np.minimum(sw + c, x.shape[-1] - 1)
        picked = x[..., d_idx[:, None, None], h_idx[None, :, None], w_idx[None, None, :]]
        inside = (a < kd)[:, None, None] & (b < kh)[None, :, None] & (c < kw)[None, None, :]
        acc = np.where(inside, round_to(acc + picked, dtype), acc)
    out = round_to(acc / kd[:, None, None].astype(np.float32), dtype)
    out = round_to(out / kh[None, :, None].astype(np.float32), dtype)
    return round_to(out / kw[None, None, :].astype(np.float32), dtype)
