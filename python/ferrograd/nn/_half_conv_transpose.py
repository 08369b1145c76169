"""The values of a float16 transposed convolution as PyTorch's CPU kernel rounds them.

PyTorch's slow_conv_transpose kernels multiply in float32 and store the columns (one
per kernel offset) as float16, then scatter them into the output one kernel offset at a
time (col2im), each addition rounded to float16, and add the bias last. Rounding once
at the end, as the float32 kernel here does, differs from that by a few ulps where
kernel offsets overlap."""

from __future__ import annotations

import itertools

from .._numpy import np


def half_conv_transpose_values(x, w, bias, stride, padding, output_padding, groups, dilation, out_shape):
    """The float16 (N, C_out, *out) result of input `x` (N, C_in, *in) and weight `w`
    (C_in, C_out / groups, *kernel), NumPy arrays; `bias` a (C_out,) array or None."""
    nd = x.ndim - 2
    n, c_in = x.shape[:2]
    spatial, kernel = x.shape[2:], w.shape[2:]
    out_spatial = tuple(out_shape[2:])
    cin_g, cout_g = c_in // groups, w.shape[1]
    out = np.zeros(tuple(out_shape), dtype=np.float16)
    for g in range(groups):
        xg = x[:, g * cin_g:(g + 1) * cin_g].reshape(n, cin_g, -1).astype(np.float64)
        wg = w[g * cin_g:(g + 1) * cin_g].reshape(cin_g, cout_g, -1).astype(np.float64)
        columns = np.einsum("ncs,cok->noks", xg, wg).astype(np.float16).reshape(n, cout_g, *kernel, *spatial)
        target = out[:, g * cout_g:(g + 1) * cout_g]
        for offset in itertools.product(*(range(k) for k in kernel)):
            dst, src = [], []
            for i in range(nd):
                pos = np.arange(spatial[i]) * stride[i] - padding[i] + offset[i] * dilation[i]
                inside = (pos >= 0) & (pos < out_spatial[i])
                dst.append(pos[inside])
                src.append(np.flatnonzero(inside))
            where = (slice(None), slice(None), *np.ix_(*dst))
            target[where] = target[where] + columns[(slice(None), slice(None), *offset, *np.ix_(*src))]
    if bias is not None:
        out = out + bias.astype(np.float16).reshape(-1, *([1] * nd))
    return out
