"""More of `nn.functional`: channel_shuffle, pdist, lp_pool3d, the `*_with_indices`
pooling entry points, the deprecated upsample_* aliases, affine_grid, grid_sample and
fractional max pooling, composed from tensor ops (gathers at integer positions computed
without gradient, weights differentiable)."""

from __future__ import annotations

import functools
import math
import operator
import warnings

from .. import _core
from .. import _saved_values as saved_values
from .._argcheck import need_int, need_int64
from .._argcheck import need_tensor as _need_tensor
from .._core import Tensor
from .._dtype_names import scalar_name
from .._numpy import np
from .._shell_dtypes import is_float8, refuse_float8
from ._composite_nodes import record_composite
from .modules.utils import _ntuple

__all__ = [
    "GRID_SAMPLE_INTERPOLATION_MODES",
    "GRID_SAMPLE_PADDING_MODES",
    "adaptive_max_pool1d_with_indices",
    "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d_with_indices",
    "affine_grid",
    "channel_shuffle",
    "conv_tbc",
    "fractional_max_pool2d",
    "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d",
    "fractional_max_pool3d_with_indices",
    "grid_sample",
    "lp_pool3d",
    "max_pool1d_with_indices",
    "max_pool2d_with_indices",
    "max_pool3d_with_indices",
    "native_channel_shuffle",
    "pdist",
    "upsample_bilinear",
    "upsample_nearest",
]


def _F():
    from . import functional

    return functional


def _size_str(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _where(cond, a, b) -> Tensor:
    return _core._where(cond, a, b)


def _tensor(data) -> Tensor:
    from .._creation import tensor

    return tensor(data)



# --------------------------------------------------------------------------- shuffles and distances


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """(N, g·k, *) → (N, k·g, *): channel i·k + j moves to j·g + i.

    Args:
        input: the input, (N, C, *) with C divisible by `groups`.
        groups: g, the number of groups.
    """
    groups = need_int("channel_shuffle", "groups", 2, groups)
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    if input.dim() <= 2:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with sizes {_size_str(input.shape)}")
    c = input.shape[1]
    if c % groups != 0:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups.")
    return record_composite("ChannelShuffleBackward0", (input,), lambda out: (),
                            functools.partial(_channel_shuffle_value, groups), {"groups": groups})


def _channel_shuffle_value(groups: int, input: Tensor) -> Tensor:
    n, c = input.shape[0], input.shape[1]
    rest = tuple(input.shape[2:])
    return input.reshape((n, groups, c // groups) + rest).transpose(1, 2).reshape((n, c) + rest)


def native_channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """`channel_shuffle` by ATen's native kernel, which has no derivative (its node's
    backward raises, as in PyTorch).

    Args:
        input: the input, (N, C, *).
        groups: the number of groups C is split into.
    """
    from .._toplevel_nn import native_channel_shuffle as native

    return native(input, groups)


def conv_tbc(input: Tensor, weight: Tensor, bias: Tensor, pad: int = 0) -> Tensor:
    """1-d convolution of a (time, batch, channels) input with a (kernel, in, out) weight.

    Args:
        input: the input, (time, batch, in_channels).
        weight: the filters, (kernel, in_channels, out_channels).
        bias: the (out_channels,) bias.
        pad: zeros added on both sides of the time dim (default 0).
    """
    _need_tensor("conv_tbc", "input", 1, input)
    _need_tensor("conv_tbc", "weight", 2, weight)
    _need_tensor("conv_tbc", "bias", 3, bias)
    if input.dim() != 3:
        raise RuntimeError("Input must have 3 dims: time, batch, in_channel")
    if weight.dim() != 3:
        raise RuntimeError("Weight tensor must have 3 dims: kernel_width, in_channels, out_channels.")
    if bias.dim() != 1:
        raise RuntimeError("Bias must be 1-D")
    if input.shape[2] != weight.shape[1]:
        raise RuntimeError("Input dim 2 (input channels) is not == dim 1 in the weight tensor")
    if weight.shape[2] != bias.shape[0]:
        raise RuntimeError("Bias size must equal dim 2 in the weight tensor (output channels).")
    return record_composite("ConvTbcBackward0", (input, weight, bias),
                            lambda out: (("self", input), ("weight", weight), ("bias", bias)),
                            functools.partial(_conv_tbc_value, pad), {"pad": pad})


def _conv_tbc_value(pad: int, input: Tensor, weight: Tensor, bias: Tensor) -> Tensor:
    return _F().conv1d(input.permute(1, 2, 0), weight.permute(2, 1, 0), bias, 1, pad).permute(2, 0, 1)


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """‖x_i - x_j‖_p for every pair of rows i < j, in row-major order.

    Args:
        input: an (N, M) tensor of N row vectors.
        p: the order of the norm (default 2).
    """
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if not input.is_floating_point():
        raise RuntimeError("pdist only supports floating-point dtypes")
    if not p >= 0:  # a NaN too
        raise RuntimeError("pdist only supports non-negative p values")
    if input.dtype in (_core.float16, _core.bfloat16):
        raise NotImplementedError(f"\"pdist\" not implemented for '{'Half' if input.dtype == _core.float16 else 'BFloat16'}'")
    rows = input.shape[0]
    if rows > 1:
        refuse_float8("pdist", input)
    i, j = np.triu_indices(rows, k=1)
    if i.size == 0:  # no pairs: still PyTorch's node, whose gradient is zeros
        return record_composite("PdistBackward0", (input,), lambda out: (("self", input), ("result", out)),
                                lambda x: _core._full(0, fill_value=0.0, dtype=x.dtype) + x.sum() * 0, {"p": float(p)})
    pairs = (_tensor(i), _tensor(j))
    return record_composite("PdistBackward0", (input,), lambda out: (("self", input), ("result", out)),
                            functools.partial(_pdist_value, pairs, p), {"p": float(p)})


def _pdist_value(pairs: tuple[Tensor, Tensor], p: float, input: Tensor) -> Tensor:
    diff = input.index_select(0, pairs[0]) - input.index_select(0, pairs[1])
    if p == 0:  # a count: PyTorch's gradient is zero (not absent)
        return diff.norm(0, 1) + (diff * 0).sum(1)
    if p == math.inf:  # PyTorch's _pdist_backward gives every tied maximum the full gradient
        dist = diff.detach().abs().amax(1, keepdim=True)
        tied = diff.detach().abs() == dist
        return dist.squeeze(1) + ((diff.abs() - dist) * tied).sum(1)
    return diff.norm(p, 1)


# --------------------------------------------------------------------------- pooling entry points


def lp_pool3d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    """(Σ x^p)^(1/p) over 3-d windows.

    Args:
        input: the input, (N, C, D, H, W) or (C, D, H, W).
        norm_type: p, the power.
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        ceil_mode: round the output size up instead of down (default False).
    """
    F = _F()
    kd, kh, kw = _ntuple(3)(kernel_size)
    if norm_type == float("inf"):
        return F.max_pool3d(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == -float("inf"):
        return F.max_pool3d(input.abs().neg(), kernel_size, stride, 0, 1, ceil_mode).neg()
    out = F.avg_pool3d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * out.abs().relu()).mul(kd * kh * kw).pow(1.0 / norm_type)


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """`max_pool1d` returning (values, indices) whatever `return_indices` says.

    Args:
        input: the input, (N, C, *spatial) or (C, *spatial) with 1 spatial dims.
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        padding: implicit -inf padding on both sides (default 0, at most half the kernel).
        dilation: the spacing between window elements (default 1).
        ceil_mode: round the output size up instead of down (default False).
        return_indices: ignored: the indices are always returned.
    """
    return _F().max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """`max_pool2d` returning (values, indices) whatever `return_indices` says.

    Args:
        input: the input, (N, C, *spatial) or (C, *spatial) with 2 spatial dims.
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        padding: implicit -inf padding on both sides (default 0, at most half the kernel).
        dilation: the spacing between window elements (default 1).
        ceil_mode: round the output size up instead of down (default False).
        return_indices: ignored: the indices are always returned.
    """
    return _F().max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """`max_pool3d` returning (values, indices) whatever `return_indices` says.

    Args:
        input: the input, (N, C, *spatial) or (C, *spatial) with 3 spatial dims.
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        padding: implicit -inf padding on both sides (default 0, at most half the kernel).
        dilation: the spacing between window elements (default 1).
        ceil_mode: round the output size up instead of down (default False).
        return_indices: ignored: the indices are always returned.
    """
    _F()._need_method(input, "is_cuda")  # PyTorch's asks whether the input is on CUDA first
    return _F().max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    """`adaptive_max_pool1d` returning (values, indices).

    Args:
        input: the input, (N, C, *spatial) or (C, *spatial) with 1 spatial dims.
        output_size: the output's spatial size, an int or one per dim (None keeps that dim).
        return_indices: ignored: the indices are always returned.
    """
    return _F().adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    """`adaptive_max_pool2d` returning (values, indices).

    Args:
        input: the input, (N, C, *spatial) or (C, *spatial) with 2 spatial dims.
        output_size: the output's spatial size, an int or one per dim (None keeps that dim).
        return_indices: ignored: the indices are always returned.
    """
    return _F().adaptive_max_pool2d(input, output_size, True)


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    """`adaptive_max_pool3d` returning (values, indices).

    Args:
        input: the input, (N, C, *spatial) or (C, *spatial) with 3 spatial dims.
        output_size: the output's spatial size, an int or one per dim (None keeps that dim).
        return_indices: ignored: the indices are always returned.
    """
    return _F().adaptive_max_pool3d(input, output_size, True)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated: `interpolate(mode='nearest')`.

    Args:
        input: the input, (N, C, *spatial).
        size: the output spatial size (give it or `scale_factor`).
        scale_factor: the multiplier of the spatial size.
    """
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return _F().interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated: `interpolate(mode='bilinear', align_corners=True)`.

    Args:
        input: the input, (N, C, H, W).
        size: the output spatial size (give it or `scale_factor`).
        scale_factor: the multiplier of the spatial size.
    """
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return _F().interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# --------------------------------------------------------------------------- affine_grid / grid_sample

GRID_SAMPLE_INTERPOLATION_MODES = {"bilinear": 0, "nearest": 1, "bicubic": 2}
GRID_SAMPLE_PADDING_MODES = {"zeros": 0, "border": 1, "reflection": 2}

_ALIGN_WARNING = (
    "Default grid_sample and affine_grid behavior has changed "
    "to align_corners=False since 1.3.0. Please specify "
    "align_corners=True if the old behavior is desired. "
    "See the documentation of grid_sample for details."
)


def _linspace_from_neg_one(steps: int, align_corners: bool, dtype) -> np.ndarray:
    if steps <= 1:
        return np.zeros(1, dtype=dtype)
    r = np.linspace(-1.0, 1.0, steps, dtype=np.float64)
    if not align_corners:
        r = r * (steps - 1) / steps
    return r.astype(dtype)


def _generator_size(size) -> list[int]:
    """`size` as the parser of PyTorch's `affine_grid_generator` reads an int list: it
    types the first element, then unpacks the rest."""
    sizes = []
    for pos, value in enumerate(size):
        if isinstance(value, Tensor) and value.dim() == 0 and not value.is_floating_point():
            value = int(value.item())
        if not hasattr(type(value), "__index__"):
            if pos == 0:
                raise TypeError("affine_grid_generator(): argument 'size' (position 2) must be tuple of ints, but "
                                f"found element of type {type(value).__name__} at pos 0")
            raise TypeError(f"affine_grid_generator(): argument 'size' failed to unpack the object at pos {pos + 1} "
                            f"with error \"type must be tuple of ints,but got {type(value).__name__}\"")
        sizes.append(operator.index(value))
    return sizes


def affine_grid(theta: Tensor, size, align_corners=None) -> Tensor:
    """Sampling grid (N, H, W, 2) or (N, D, H, W, 3) of the affine maps `theta` applied to
    the normalised [-1, 1] coordinates of an output of `size`.

    Args:
        theta: the affine maps, (N, 2, 3) for 2-d or (N, 3, 4) for 3-d.
        size: the target output size, (N, C, H, W) or (N, C, D, H, W).
        align_corners: True: -1 and 1 are the centres of the corner pixels; False: their
            outer edges. None (default) means False.
    """
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    refuse_float8("linspace_cpu", theta)  # PyTorch spaces the base grid in theta's dtype
    if len(size) == 4:  # checked as given (PyTorch's Python body), read as ints after
        if theta.dim() != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError(
                f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {size}. Got {theta.shape}."
            )
        spatial = size[-2:]
    elif len(size) == 5:
        if theta.dim() != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError(
                f"Expected a batch of 3D affine matrices of shape Nx3x4 for size {size}. Got {theta.shape}."
            )
        spatial = size[-3:]
    else:
        raise NotImplementedError(
            "affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. "
            f"Got size {size}."
        )
    if align_corners and min(spatial) == 1:
        warnings.warn(
            "Since version 1.3.0, affine_grid behavior has changed "
            "for unit-size grids when align_corners=True. "
            "This is not an intended use case of affine_grid. "
            "See the documentation of affine_grid for details.",
            stacklevel=2,
        )
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    size = _generator_size(size)
    spatial = size[-len(spatial):]
    np_dtype = np.float64 if theta.dtype == _core.float64 else np.float32
    axes = [_linspace_from_neg_one(s, bool(align_corners), np_dtype) for s in spatial]  # (D,) H, W
    mesh = np.meshgrid(*axes, indexing="ij")
    # the last coordinate of the grid is x (width), then y (height), then z (depth), then 1
    coords = [mesh[k] for k in reversed(range(len(spatial)))] + [np.ones_like(mesh[0])]
    base = np.stack(coords, -1).reshape(1, -1, len(spatial) + 1)
    n = size[0]
    base_t = _tensor(np.ascontiguousarray(np.broadcast_to(base, (n,) + base.shape[1:]))).to(theta.dtype)
    return record_composite("AffineGridGeneratorBackward0", (theta,), lambda out: (),
                            functools.partial(_affine_grid_value, base_t, tuple([n] + spatial + [len(spatial)])),
                            {"align_corners": bool(align_corners), "size": tuple(size)})


def _affine_grid_value(base: Tensor, shape: tuple, theta: Tensor) -> Tensor:
    return base.bmm(theta.transpose(1, 2)).reshape(shape)


def _reflect(coord: Tensor, twice_low: int, twice_high: int) -> Tensor:
    if twice_low == twice_high:
        return coord * 0
    low = twice_low / 2
    span = (twice_high - twice_low) / 2
    dist = (coord - low).abs()
    flips = (dist.detach() / span).floor()
    extra = dist - flips * span
    even = (flips.remainder(2) == 0)
    return _where(even, extra + low, extra.neg() + (span + low))


def _source_index(coord: Tensor, size: int, padding_mode: str, align_corners: bool) -> Tensor:
    """PyTorch's scalar source index (its 3-d kernel)."""
    if align_corners:
        coord = (coord + 1) / 2 * (size - 1)
    else:
        coord = ((coord + 1) * size - 1) / 2
    if padding_mode == "border":
        coord = _clip(coord, size)
    elif padding_mode == "reflection":
        if align_corners:
            coord = _reflect(coord, 0, 2 * (size - 1))
        else:
            coord = _reflect(coord, -1, 2 * size - 1)
        coord = _clip(coord, size)
    return coord


def _fma64(a: np.ndarray, b: float, c: float) -> np.ndarray:
    """a * b + c with one rounding (Dekker's exact product), as a fused multiply-add."""
    split = 134217729.0  # 2**27 + 1
    def halves(x):
        t = split * x
        hi = t - (t - x)
        return hi, x - hi
    a_hi, a_lo = halves(a)
    b_hi, b_lo = halves(np.float64(b))
    p = a * b
    err = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return (p + c) + err


def _source_index_2d(coord: Tensor, size: int, padding_mode: str, align_corners: bool,
                     exact_nearest: bool = False, unnormalized: bool = False) -> Tensor:
    """PyTorch's vectorised 2-d kernel's source index: the same map with its own rounding
    (it decides which pixel 'nearest' picks at exact half positions). `unnormalized`:
    `coord` is already in pixels; only the padding is applied."""
    if unnormalized:
        pass
    elif align_corners:
        coord = (coord + 1) * ((size - 1) / 2)
    elif exact_nearest:  # float64: PyTorch's kernel fuses (x + 1) * s - 0.5 into one rounding
        shifted = np.asarray((coord.detach() + 1).numpy(), dtype=np.float64)
        coord = _tensor(_fma64(shifted, size / 2, -0.5)).to(coord.dtype)
    else:
        coord = (coord + 1) * (size / 2) - 0.5
    if padding_mode == "border":
        coord = _clip(coord, size)
    elif padding_mode == "reflection":
        twice_span = 2 * (size - 1) if align_corners else 2 * size
        if twice_span == 0:
            coord = coord * 0
        else:
            dist = coord.abs() if align_corners else (coord + 0.5).abs()
            flips = (dist.detach() / twice_span).trunc()
            extra = dist - flips * twice_span
            coord = extra.minimum(extra.neg() + twice_span)
            if not align_corners:
                coord = coord - 0.5
        coord = _clip(coord, size)
    return coord


def _clip(coord: Tensor, size: int) -> Tensor:
    """`coord` clamped to [0, size - 1]; as PyTorch's kernels, a coordinate on a bound
    passes no gradient (only those strictly inside do): its gradient is multiplied by
    0, so that a negative one gives -0 as PyTorch's."""
    clipped = coord.clamp(0, size - 1)
    inside = (coord.detach() > 0).logical_and(coord.detach() < size - 1)
    through = coord.nan_to_num() * inside.to(coord.dtype)  # coord itself inside, ±0 outside
    return through + (clipped - through).detach()


_CUBIC_A = -0.75


def _cubic_weights(t: Tensor) -> list[Tensor]:
    """Keys' cubic convolution weights (A = -0.75) of the taps at -1, 0, 1, 2 for offset t."""
    a = _CUBIC_A

    def near(x):  # |x| <= 1
        return ((x * (a + 2) - (a + 3)) * x) * x + 1

    def far(x):  # 1 < |x| < 2
        return ((x * a - 5 * a) * x + 8 * a) * x - 4 * a

    return [far(t + 1), near(t), near(t.neg() + 1), far(t.neg() + 2)]


def _bicubic(flat_input: Tensor, grid: Tensor, sizes: list, strides: list, padding_mode: str,
             align_corners: bool) -> Tensor:
    """Bicubic grid sampling of (N, C, H·W) at grid (N, P, 2): 4 × 4 taps, each tap's
    index padded (border, reflection) or masked (zeros) on its own, as PyTorch does."""
    n, c, _ = flat_input.shape
    points = grid.shape[1]
    offsets, weights = [], []
    for k, part in enumerate(grid.unbind(-1)):  # each gradient lands whole, -0 kept (no sum with zeros)
        coord = _source_index_2d(part, sizes[k], "zeros", align_corners)
        low = coord.detach().floor()
        offsets.append(low)
        weights.append(_cubic_weights(coord - low))
    out = None
    for j in range(4):  # rows (y)
        for i in range(4):  # columns (x)
            inside = None
            flat = None
            for k, tap in ((0, i), (1, j)):
                idx = offsets[k] + (tap - 1)
                if padding_mode != "zeros":
                    idx = _source_index_2d(idx, sizes[k], padding_mode, align_corners, unnormalized=True)
                ok = (idx >= 0).logical_and(idx <= sizes[k] - 1)
                inside = ok if inside is None else inside.logical_and(ok)
                term = idx.clamp(0, sizes[k] - 1).to(_core.int64) * strides[k]
                flat = term if flat is None else flat + term
            values = flat_input.gather(2, flat.unsqueeze(1).expand(n, c, points))
            w = weights[0][i] * weights[1][j]
            w = _where(inside, w, w.detach() * 0)
            term = _where(inside.unsqueeze(1), values * w.unsqueeze(1), 0.0)  # +0 outside, as PyTorch
            out = term if out is None else out + term
    return out


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear", padding_mode: str = "zeros",
                align_corners=None) -> Tensor:
    """Samples `input` (N, C, [D,] H, W) at the normalised positions `grid`
    (N, [D',] H', W', 2|3), bilinearly or at the nearest pixel, with zero, border or
    reflection padding; differentiable with respect to both.

    Args:
        input: the input, (N, C, H, W) or (N, C, D, H, W).
        grid: the sampling positions in [-1, 1], (N, H', W', 2) or (N, D', H', W', 3), x first.
        mode: 'bilinear' (default; trilinear for 5-D), 'nearest' or 'bicubic'.
        padding_mode: what positions outside the input read: 'zeros' (default), 'border'
            (the nearest edge value) or 'reflection'.
        align_corners: True: -1 and 1 are the centres of the corner pixels; False: their
            outer edges. None (default) means False.
    """
    _need_tensor("grid_sample", "input", 1, input)
    _need_tensor("grid_sample", "grid", 2, grid)
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(
            f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '{mode}'"
        )
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError(
            "nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', "
            f"but got: '{padding_mode}'"
        )
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    if input.dim() == 0 or grid.dim() == 0:  # PyTorch compares input.size(0) with grid.size(0) first
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if input.dim() not in (4, 5) or grid.dim() != input.dim():
        raise RuntimeError(
            "grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but got input "
            f"with sizes {_size_str(input.shape)} and grid with sizes {_size_str(grid.shape)}"
        )
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError(
            "grid_sampler(): expected grid and input to have same batch size, but got input with sizes "
            f"{_size_str(input.shape)} and grid with sizes {_size_str(grid.shape)}"
        )
    nd = input.dim() - 2
    if grid.shape[-1] != nd:
        raise RuntimeError(
            f"grid_sampler(): expected grid to have size {nd} in last dimension, but got grid with sizes "
            f"{_size_str(grid.shape)}"
        )
    from ._loss_extra import _scalar_type

    if not input.is_floating_point() or is_float8(input):  # the input's dtype comes before the grid's
        kernel = "grid_sampler_2d_cpu_kernel_impl" if nd == 2 else "grid_sampler3d_cpu"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_scalar_type(input.dtype)}\'')
    if grid.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {_scalar_type(input.dtype)} but found {_scalar_type(grid.dtype)}")
    if mode == "bicubic" and nd != 2:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    compute = functools.partial(_grid_sample_value, mode, padding_mode, bool(align_corners))
    return record_composite(f"GridSampler{nd}DBackward0", (input, grid),
                            lambda out: (("input", input), ("grid", grid)), compute,
                            {"align_corners": bool(align_corners), "interpolation_mode": _INTERPOLATION[mode],
                             "padding_mode": _PADDING[padding_mode]})


# PyTorch's enums for the node's `_saved_interpolation_mode` and `_saved_padding_mode`
_INTERPOLATION = {"bilinear": 0, "nearest": 1, "bicubic": 2}
_PADDING = {"zeros": 0, "border": 1, "reflection": 2}


def _grid_sample_value(mode: str, padding_mode: str, align_corners: bool, input: Tensor, grid: Tensor) -> Tensor:
    nd = input.dim() - 2
    n, c = input.shape[0], input.shape[1]
    in_sizes = list(input.shape[2:])  # (D,) H, W
    out_sizes = list(grid.shape[1:-1])
    out_numel = int(np.prod(out_sizes))
    flat_input = input.reshape(n, c, -1)
    # axis k of the grid's last dim indexes input dim -(k + 1)
    sizes = [in_sizes[nd - 1 - k] for k in range(nd)]
    strides = [int(np.prod(in_sizes[nd - k:])) for k in range(nd)]
    def source_index(g: Tensor, size: int) -> Tensor:
        if nd == 3:
            return _source_index(g, size, padding_mode, align_corners)
        exact = mode == "nearest" and input.dtype == _core.float64
        return _source_index_2d(g, size, padding_mode, align_corners, exact)

    if mode == "bicubic":
        return _bicubic(flat_input, grid.reshape(n, out_numel, 2), sizes, strides, padding_mode,
                        align_corners).reshape(tuple([n, c] + out_sizes))
    # unbound: each part's gradient lands whole (a -0 is not summed with another part's zeros)
    parts = [p.reshape(n, out_numel) for p in grid.unbind(-1)]
    coords = [source_index(parts[k], sizes[k]) for k in range(nd)]

    def gather(index_parts, weight):
        inside = None
        flat = None
        for k, idx in enumerate(index_parts):
            ok = (idx >= 0).logical_and(idx <= sizes[k] - 1)
            inside = ok if inside is None else inside.logical_and(ok)
            term = idx.clamp(0, sizes[k] - 1).to(_core.int64) * strides[k]
            flat = term if flat is None else flat + term
        values = flat_input.gather(2, flat.unsqueeze(1).expand(n, c, out_numel))
        if weight is None:  # nearest: no gradient to the grid, but a zero one as PyTorch gives
            grid_x = parts[0]
            weight = (grid_x - grid_x.detach()) * 0 + 1
        w = _where(inside, weight, weight.detach() * 0)
        # PyTorch skips the corners outside the input, so they add +0, never -0.
        return _where(inside.unsqueeze(1), values * w.unsqueeze(1), 0.0)

    if mode == "nearest":
        out = gather([coord.detach().round() for coord in coords], None)
    else:
        lows = [coord.detach().floor() for coord in coords]
        fracs = [coord - low for coord, low in zip(coords, lows)]
        out = None
        for corner in range(2 ** nd):
            bits = [(corner >> k) & 1 for k in range(nd)]
            weight = None
            for k in range(nd):
                w = fracs[k] if bits[k] else fracs[k].neg() + 1
                weight = w if weight is None else weight * w
            term = gather([lows[k] + bits[k] for k in range(nd)], weight)
            out = term if out is None else out + term
    return out.reshape(tuple([n, c] + out_sizes))


# --------------------------------------------------------------------------- fractional max pooling


def _bfloat16(value):
    """float32 value(s) rounded to bfloat16 (nearest, ties to even), kept as float32: the
    arithmetic of PyTorch's BFloat16 scalar type, which rounds after every operation."""
    bits = np.asarray(value, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    out = rounded.astype(np.uint32).view(np.float32)
    return out if out.ndim else np.float32(out)


def _sample_arithmetic(dtype):
    """The scalar type PyTorch's kernel computes the window positions in, for an input dtype."""
    if dtype == _core.bfloat16:
        return _bfloat16
    return {_core.float64: np.float64, _core.float16: np.float16}.get(dtype, np.float32)


def _intervals(sample, in_size: int, out_size: int, pool: int, np_dtype) -> np.ndarray:
    seq = np.zeros(out_size, dtype=np.int64)
    if out_size > 1:
        r = np_dtype  # every operation rounds to the kernel's scalar type
        alpha = r(r(in_size - pool) / r(out_size - 1))
        s = r(sample)
        base = int(r(s * alpha))
        for i in range(out_size - 1):
            seq[i] = int(r(r(r(i) + s) * alpha)) - base
    if out_size > 0:
        seq[out_size - 1] = in_size - pool
    return seq


def _fractional_max_pool(input: Tensor, nd: int, kernel_size, output_size, output_ratio, _random_samples):
    name = f"fractional_max_pool{nd}d"
    if output_size is None and output_ratio is None:
        raise ValueError(f"{name} requires specifying either an output_size or an output_ratio")
    if not isinstance(input, Tensor):  # PyTorch's Python reads the input's sizes before its parser runs
        if output_size is None and isinstance(output_ratio, (list, tuple)) and len(output_ratio) <= nd:
            input.size(-nd)  # an ndarray's `size` is an int: not callable
        if _random_samples is None:
            input.dim()
        from .._argcheck import need_tensor

        need_tensor(name, "input", 1, input)
    if input.dim() < nd + 1 and _random_samples is None:  # PyTorch reads sizes to draw the samples
        if input.dim() == 0:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        lo, hi = -max(input.dim(), 1), max(input.dim(), 1) - 1
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {-(nd + 1)})")
    for position, arg, value in ((2, "kernel_size", kernel_size), (3, "output_size", output_size)):
        if isinstance(value, float):  # PyTorch's parser, before the kernel's checks
            raise TypeError(f"{name}(): argument '{arg}' (position {position}) must be tuple of ints, not float")
        need_int64(value)
        if isinstance(value, (list, tuple)) and len(value) != nd:
            count = "Ints" if nd == 2 else "three Ints"
            raise RuntimeError(f"{name}: {arg} must either be a single Int or tuple of {count}")
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"{name}{'_out' if nd == 3 else ''}(): Expected {nd + 1}D or {nd + 2}D tensor, but got: {_size_str(input.shape)}"
        )
    for d in range(1, input.dim()):
        if input.shape[d] == 0:
            raise RuntimeError(f"{name}{'_out' if nd == 3 else ''}(): Expected input to have non-zero size for "
                               f"non-batch dimensions, but got{_size_str(input.shape)} with dimension {d} being empty.")
    in_sizes = list(input.shape[-nd:])
    if output_size is None:
        if not isinstance(output_ratio, (list, tuple)):  # PyTorch's functional takes len() of it
            raise TypeError(f"object of type '{type(output_ratio).__name__}' has no len()")
        ratios = tuple(output_ratio)
        if len(ratios) < nd:  # PyTorch's functional indexes the ratios per dim
            raise IndexError("tuple index out of range")
        if len(ratios) > nd:
            raise ValueError(f"{name} requires output_ratio to either be a single Int or tuple of Ints.")
        output_size = [int(in_sizes[k] * ratios[k]) for k in range(nd)]
    out_sizes = [int(s) for s in _ntuple(nd)(output_size)]
    if min(out_sizes) < 0:
        shape = list(input.shape[:-nd]) + out_sizes
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(out_sizes)}: {shape}")
    pools = [int(s) for s in _ntuple(nd)(kernel_size)]
    labels = ["time", "height", "width"][-nd:]
    for k in range(nd):
        # PyTorch's 2-d kernel lets the last window end at the input's edge, its 3-d one does not
        last_end = out_sizes[k] + pools[k] - 1
        if last_end > in_sizes[k] or (nd == 3 and last_end == in_sizes[k]):
            where = name if nd == 2 else f"{name}_out"
            raise RuntimeError(
                f"{where}(): pool {labels[k]} {pools[k]} too large relative to input {labels[k]} {in_sizes[k]}"
            )
    if input.dtype.is_complex:
        raise NotImplementedError(f"\"{name}_out_frame\" not implemented for '{scalar_name(input.dtype)}'")
    batched = input.dim() == nd + 2
    x = input if batched else input.unsqueeze(0)
    n, c = x.shape[0], x.shape[1]
    if _random_samples is None:
        from .._creation import rand

        _random_samples = rand(n, c, nd, dtype=input.dtype)
    if _random_samples.dim() != 3:
        raise RuntimeError(f"Expect _random_samples to have 3 dimensions, got {_random_samples.dim()}")
    if _random_samples.shape[0] < n:
        raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
    if _random_samples.shape[1] != c:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if _random_samples.shape[2] != nd:
        raise RuntimeError(f"Expect _random_samples.size(2) equals to {nd}; got {_random_samples.shape[2]}.")
    _random_samples = _random_samples[:n]  # extra samples beyond the batch go unused
    np_dtype = _sample_arithmetic(input.dtype)
    samples = np.asarray(_random_samples.detach().float().contiguous().numpy(), dtype=np.float64)
    samples = np_dtype(samples) if np_dtype is _bfloat16 else samples.astype(np_dtype)
    # which sample drives which dim: 2-d uses (width, height), 3-d uses (time, height, width)
    sample_of_dim = [1, 0] if nd == 2 else [0, 1, 2]
    in_strides = [int(np.prod(in_sizes[k + 1:])) for k in range(nd)]
    window = np.stack(np.meshgrid(*[np.arange(p) for p in pools], indexing="ij"), -1).reshape(-1, nd)
    window_offsets = (window * np.asarray(in_strides)).sum(-1)  # (P,)
    out_numel = int(np.prod(out_sizes))
    index = np.zeros((n, c, out_numel, window_offsets.size), dtype=np.int64)
    for b in range(n):
        for ch in range(c):
            seqs = [
                _intervals(samples[b, ch, sample_of_dim[k]], in_sizes[k], out_sizes[k], pools[k], np_dtype)
                for k in range(nd)
            ]
            starts = np.stack(np.meshgrid(*seqs, indexing="ij"), -1).reshape(-1, nd)
            base = (starts * np.asarray(in_strides)).sum(-1)
            index[b, ch] = base[:, None] + window_offsets[None, :]
    flat = x.reshape(n, c, int(np.prod(in_sizes)))
    if window_offsets.size == 0:  # a pool size below 1: PyTorch's max over no element
        return _empty_window_pool(flat, _window_starts(samples, sample_of_dim, in_sizes, out_sizes, pools, np_dtype),
                                  [n, c] + out_sizes, batched, nd)
    idx_t = _tensor(index)
    values = flat.gather(2, idx_t.reshape(n, c, out_numel * window_offsets.size))
    values = values.reshape(n, c, out_numel, window_offsets.size)
    best, arg = values.max(3)
    indices = idx_t.gather(3, arg.unsqueeze(3)).squeeze(3)
    shape = tuple([n, c] + out_sizes)
    best, indices = best.reshape(shape), indices.reshape(shape)
    if best.grad_fn is not None and str(x.dtype).endswith(("float32", "float64")):
        # PyTorch's node, whose backward is itself differentiable (create_graph)
        best = _core._fractional_max_pool_take(x, indices, nd)
    if not batched:
        best, indices = best.squeeze(0), indices.squeeze(0)
    if best.grad_fn is not None and type(best.grad_fn).__name__ != f"FractionalMaxPool{nd}DBackward0":
        best = _core._named_node(best, f"FractionalMaxPool{nd}DBackward0")
    saved_values.keep_more(best, f"FractionalMaxPool{nd}DBackward0", {
        "kernel_size": tuple(pools), "output_size": tuple(out_sizes), "result1": indices, "self": input})
    return best, indices


def _window_starts(samples, sample_of_dim, in_sizes, out_sizes, pools, np_dtype) -> np.ndarray:
    """The flat input position where each output's window starts, shape (n, c, outputs)."""
    n, c = samples.shape[0], samples.shape[1]
    in_strides = [int(np.prod(in_sizes[k + 1:])) for k in range(len(in_sizes))]
    out = np.zeros((n, c, int(np.prod(out_sizes))), dtype=np.int64)
    for b in range(n):
        for ch in range(c):
            seqs = [_intervals(samples[b, ch, sample_of_dim[k]], in_sizes[k], out_sizes[k], pools[k], np_dtype)
                    for k in range(len(in_sizes))]
            starts = np.stack(np.meshgrid(*seqs, indexing="ij"), -1).reshape(-1, len(in_sizes))
            out[b, ch] = (starts * np.asarray(in_strides)).sum(-1)
    return out


def _empty_window_pool(flat: Tensor, starts: np.ndarray, shape: list, batched: bool, nd: int):
    """Every output -inf, its index where its (empty) window starts, as PyTorch's kernel
    leaves them."""
    best = (flat.narrow(2, 0, 1) * 0 - math.inf).expand(tuple(starts.shape)).reshape(tuple(shape))
    indices = _tensor(starts).reshape(tuple(shape))
    if best.grad_fn is not None:
        best = _core._named_node(best, f"FractionalMaxPool{nd}DBackward0")
    if not batched:
        best, indices = best.squeeze(0), indices.squeeze(0)
    return best, indices


def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    """Max over pseudo-random overlapping 2-d windows; (values, flat indices).

    Args:
        input: the input, (N, C, *spatial) or (C, *spatial) with 2 spatial dims.
        kernel_size: the window size, an int or one per spatial dim.
        output_size: the output's spatial size (give it or `output_ratio`).
        output_ratio: the output size as a fraction of the input's, in (0, 1).
        return_indices: ignored: the indices are always returned.
        _random_samples: the (N, C, n) samples in [0, 1) that place the windows; None
            (default) draws them.
    """
    return _fractional_max_pool(input, 2, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    """Max over pseudo-random overlapping 3-d windows; (values, flat indices).

    Args:
        input: the input, (N, C, *spatial) or (C, *spatial) with 3 spatial dims.
        kernel_size: the window size, an int or one per spatial dim.
        output_size: the output's spatial size (give it or `output_ratio`).
        output_ratio: the output size as a fraction of the input's, in (0, 1).
        return_indices: ignored: the indices are always returned.
        _random_samples: the (N, C, n) samples in [0, 1) that place the windows; None
            (default) draws them.
    """
    return _fractional_max_pool(input, 3, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                          _random_samples=None):
    """Max over pseudo-random overlapping 2-d windows (Graham's fractional max pooling).

    Args:
        input: the input, (N, C, *spatial) or (C, *spatial) with 2 spatial dims.
        kernel_size: the window size, an int or one per spatial dim.
        output_size: the output's spatial size (give it or `output_ratio`).
        output_ratio: the output size as a fraction of the input's, in (0, 1).
        return_indices: also return the flat indices of the maxima (default False).
        _random_samples: the (N, C, n) samples in [0, 1) that place the windows; None
            (default) draws them.
    """
    out = _fractional_max_pool(input, 2, kernel_size, output_size, output_ratio, _random_samples)
    return out if return_indices else out[0]


def fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                          _random_samples=None):
    """Max over pseudo-random overlapping 3-d windows.

    Args:
        input: the input, (N, C, *spatial) or (C, *spatial) with 3 spatial dims.
        kernel_size: the window size, an int or one per spatial dim.
        output_size: the output's spatial size (give it or `output_ratio`).
        output_ratio: the output size as a fraction of the input's, in (0, 1).
        return_indices: also return the flat indices of the maxima (default False).
        _random_samples: the (N, C, n) samples in [0, 1) that place the windows; None
            (default) draws them.
    """
    out = _fractional_max_pool(input, 3, kernel_size, output_size, output_ratio, _random_samples)
    return out if return_indices else out[0]

