"""Pooling, padding and resampling for `nn.functional`.

The kernels and their nodes are native (`_core._max_pool`, `_avg_pool`, ...); this file
turns PyTorch's argument forms (an int or a tuple per spatial dim, `stride=None`,
`output_size` with `None`, `scale_factor`) into per-dim lists and raises PyTorch's errors
for the forms it checks in Python. The 1-d poolings run the 2-d ones on an input with an
extra dim of size 1, as PyTorch does (so their node is `SqueezeBackward1`).
"""

from __future__ import annotations

import math
import numbers

from .. import _core
from .. import _saved_values as saved_values
from .._argcheck import (
    INT64_OVERFLOW,
    check_scalar_fits,
    fits_int64,
    need_int64,
    need_int64_elements,
    need_tensor_method,
)
from .._core import Tensor
from .._dtype_names import scalar_name
from .._float8_fill import check_fill
from .._shell_dtypes import refuse_float8
from . import _complex_kernels, _half_kernels
from ._integer_inputs import is_integral, need_floating_kernel

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "adaptive_max_pool3d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "interpolate",
    "lp_pool1d",
    "lp_pool2d",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "pad",
    "pixel_shuffle",
    "pixel_unshuffle",
    "upsample",
]

_COUNT = {1: "one", 2: "two", 3: "three"}


def _int_tensor(value) -> bool:
    """A one-element integer tensor, which PyTorch's parser takes as an int of a list."""
    return isinstance(value, Tensor) and value.numel() == 1 and not (value.dtype.is_floating_point or
                                                                      value.dtype.is_complex)


def _as_list(value) -> list | None:
    """An int as a one-element list, a sequence as a list, None as None."""
    if value is None:
        return None
    if isinstance(value, numbers.Integral):
        need_int64(value)
        return [int(value)]
    if _int_tensor(value):
        return [int(value)]
    if not hasattr(value, "__iter__"):
        raise TypeError(f"argument must be tuple of ints, not {type(value).__name__}")
    values = [int(v) if _int_tensor(v) else v for v in value]
    for pos, v in enumerate(values):
        if not isinstance(v, numbers.Integral):  # PyTorch's argument parser refuses 2.5, not truncates it
            raise TypeError(f"argument must be tuple of ints, but found element of type {type(v).__name__} at pos {pos}")
        if not fits_int64(v):
            raise TypeError(f"argument failed to unpack the object at pos {pos + 1} with error \"{INT64_OVERFLOW}\"")
    return [int(v) for v in values]


def _per_dim(value, n: int, message: str, allow_empty: bool = False) -> list[int]:
    """One value per spatial dim from an int or an n-sequence; else RuntimeError."""
    values = _as_list(value)
    if values is None:
        values = []
    if allow_empty and not values:
        return []
    if len(values) == 1:
        return values * n
    if len(values) != n:
        raise RuntimeError(message)
    return values


def _pool_lists(op: str, n: int, kernel_size, stride, padding, dilation=None, avg3d=False):
    count = _COUNT[n]
    must = "must be" if avg3d else "must either be"
    kernel = _per_dim(kernel_size, n, f"{op}: kernel_size {must} a single int, or a tuple of {count} ints")
    omitted = "must be omitted" if avg3d else "must either be omitted"
    strides = _per_dim(stride, n, f"{op}: stride {omitted}, a single int, or a tuple of {count} ints", True)
    pads = _per_dim(padding, n, f"{op}: padding {must} a single int, or a tuple of {count} ints")
    dil = None
    if dilation is not None:
        dil = _per_dim(dilation, n, f"{op}: dilation must be either a single int, or a tuple of {count} ints")
    if n > 1:  # PyTorch's 2-d and 3-d kernels take C ints
        _need_c_ints(kernel, strides or [], pads, dil or [])
    return kernel, strides or kernel, pads, dil


def _need_c_ints(*lists: list[int]) -> None:
    if any(not -(2**31) <= v < 2**31 for values in lists for v in values):
        raise RuntimeError("value cannot be converted to type int without overflow")


# --------------------------------------------------------------------------- max pooling


def _native_max_pool(op: str, input, *args):
    """The max pooling kernel; integer inputs (no gradient) pool exactly in float64 and
    keep their dtype, as PyTorch's integer kernels do."""
    if not is_integral(input):
        return _half_kernels.max_pool(input, *args)
    if input.dtype == _core.bool:
        need_floating_kernel(input, op)
    out, indices = _half_kernels.max_pool(input.double(), *args)
    return out.to(input.dtype), indices


def _native_avg_pool(op: str, input, *args):
    """The average pooling kernel; an int64 input averages with C++'s truncating
    division (PyTorch has no kernel for the narrower integers)."""
    if not is_integral(input):
        try:
            return _half_kernels.avg_pool(input, *args)
        except NotImplementedError:
            if isinstance(input, Tensor) and input.dtype.is_complex:  # the core names its own kernel
                raise NotImplementedError(f"\"{op}\" not implemented for '{scalar_name(input.dtype)}'") from None
            raise
    if input.dtype != _core.int64:
        _half_kernels.avg_pool(input.detach().double(), *args)  # PyTorch checks the shape before the dtype
        need_floating_kernel(input, op)
    return _half_kernels.avg_pool(input.double(), *args).trunc().to(input.dtype)


def _keep_pool_args(out, node: str, args: dict) -> None:
    """The arguments PyTorch's pooling node keeps (`_saved_kernel_size`, ...); a stride
    left out is kept as ()."""
    if out.grad_fn is not None and type(out.grad_fn).__name__ == node:
        _core._set_saved_args(out, args)


def _max_pool(op, n, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    kernel, strides, pads, dil = _pool_lists(op, n, kernel_size, stride, padding, dilation)
    out, indices = _native_max_pool(op, input, kernel, strides, pads, dil, bool(ceil_mode))
    given_stride = _as_list(stride) or []
    _keep_pool_args(out, f"MaxPool{n}DWithIndicesBackward0", {
        "ceil_mode": bool(ceil_mode), "dilation": tuple(dil), "kernel_size": tuple(kernel), "padding": tuple(pads),
        "stride": tuple(strides) if given_stride else ()})
    return (out, indices) if return_indices else out


def _keep_avg_pool_args(out, n, kernel, stride, pads, ceil_mode, count_include_pad, divisor_override) -> None:
    given_stride = _as_list(stride) or []
    _keep_pool_args(out, f"AvgPool{n}DBackward0", {
        "ceil_mode": bool(ceil_mode), "count_include_pad": bool(count_include_pad),
        "divisor_override": divisor_override, "kernel_size": tuple(kernel), "padding": tuple(pads),
        "stride": tuple(_per_dim(given_stride, n, "")) if given_stride else ()})


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """2-d max pooling over (N, C, H, W) or (C, H, W)."""
    return _max_pool("max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """3-d max pooling over (N, C, D, H, W) or (C, D, H, W)."""
    if return_indices:  # PyTorch's max_pool3d_with_indices asks `input.is_cuda` first
        need_tensor_method(input, "is_cuda")
    return _max_pool("max_pool3d", 3, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def _one(op: str, name: str, value, allow_empty=False) -> list[int]:
    values = _as_list(value) or []
    if allow_empty and not values:
        return []
    if len(values) != 1:
        raise RuntimeError(f"{op}() argument '{name}' should contain one int (got {len(values)})")
    return values


def _check_max_pool1d(input, kernel, stride, padding, dilation, ceil_mode):
    """PyTorch's checks of `max_pool1d` without indices, in its order and words."""
    if input.dim() not in (2, 3) or any(d == 0 for d in tuple(input.shape)[-2:]):
        raise RuntimeError(
            "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, "
            f"but got:{list(input.shape)}"
        )
    sizes = {"kernel_size": kernel, "stride": stride, "padding": padding, "dilation": dilation}
    forms = {
        "kernel_size": "an int, list of ints or tuple of ints",
        "stride": "None, an int, list of ints, or tuple of ints",
        "padding": "an int, list of ints, or tuple of ints",
        "dilation": "an int, list of ints or tuple of ints",
    }
    for name, values in sizes.items():
        if len(values) != 1 and not (name == "stride" and not values):
            raise RuntimeError(f"max_pool1d() {name} must be {forms[name]} of size 1 but got size {len(values)}")
    k, p, d = kernel[0], padding[0], dilation[0]
    s = stride[0] if stride else k
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got padding={p} and kernel_size={k}")
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    length = input.shape[-1]
    out = (length + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= length + p:
        out -= 1
    if out < 1:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {out}")


def _need_kernel_size(fn: str, kernel_size) -> None:
    """PyTorch's TypeError for a kernel size that is neither an int nor a sequence."""
    if kernel_size is None or isinstance(kernel_size, bool):
        raise TypeError(f"{fn}(): argument 'kernel_size' (position 2) must be tuple of ints, not "
                        f"{type(kernel_size).__name__}")


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """1-d max pooling over (N, C, L) or (C, L)."""
    _need_kernel_size("max_pool1d", kernel_size)
    kernel = _as_list(kernel_size) or []
    strides = _as_list(stride) or []
    pads = _as_list(padding) or []
    dil = _as_list(dilation) or []
    if not return_indices:
        _check_max_pool1d(input, kernel, strides, pads, dil, ceil_mode)
        need_floating_kernel(input, "max_pool1d_impl")
        if input.dtype.is_complex:
            raise NotImplementedError(f"\"max_pool1d_impl\" not implemented for '{scalar_name(input.dtype)}'")
    elif input.dim() not in (2, 3):  # max_pool1d_with_indices checks the dims as a range
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument #1 "
                           "'self' (while checking arguments for max_pool1d)")
    if input.dim() not in (2, 3):
        raise RuntimeError(
            "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, "
            f"but got:{list(input.shape)}"
        )
    sizes = (
        [1, _one("max_pool1d", "kernel_size", kernel)[0]],
        [1, _one("max_pool1d", "stride", strides, True)[0]] if strides else [1, kernel[0]],
        [0, _one("max_pool1d", "padding", pads)[0]],
        [1, _one("max_pool1d", "dilation", dil)[0]],
    )
    if return_indices:  # PyTorch's max_pool2d_with_indices takes them as C ints
        _need_c_ints(*sizes)
    out, indices = _native_max_pool("max_pool2d", input.unsqueeze(-2), *sizes, bool(ceil_mode))
    out = out.squeeze(-2)
    return (out, indices.squeeze(-2)) if return_indices else out


# --------------------------------------------------------------------------- average pooling


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
    """2-d average pooling over (N, C, H, W) or (C, H, W)."""
    kernel, strides, pads, _ = _pool_lists("avg_pool2d", 2, kernel_size, stride, padding)
    if isinstance(input, Tensor) and input.dim() == 0:  # PyTorch reads input.size(-3) first
        raise IndexError("Dimension specified as -3 but tensor has no dimensions")
    out = _native_avg_pool(
        "avg_pool2d", input, kernel, strides, pads, bool(ceil_mode), bool(count_include_pad), divisor_override
    )
    _keep_avg_pool_args(out, 2, kernel, stride, pads, ceil_mode, count_include_pad, divisor_override)
    return out


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
    """3-d average pooling over (N, C, D, H, W) or (C, D, H, W)."""
    kernel, strides, pads, _ = _pool_lists("avg_pool3d", 3, kernel_size, stride, padding, avg3d=True)
    _half_kernels.refuse_half(input, "avg_pool3d_out_frame")  # PyTorch's CPU avg_pool3d has no half kernel
    out = _native_avg_pool(
        "avg_pool3d_out_frame", input, kernel, strides, pads, bool(ceil_mode), bool(count_include_pad), divisor_override
    )
    _keep_avg_pool_args(out, 3, kernel, stride, pads, ceil_mode, count_include_pad, divisor_override)
    return out


def _check_dims_1d(op: str, input: Tensor) -> None:
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument #1 'self' "
            f"(while checking arguments for {op})"
        )


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """1-d average pooling over (N, C, L) or (C, L)."""
    _need_kernel_size("avg_pool1d", kernel_size)
    kernel = _one("avg_pool1d", "kernel_size", kernel_size)
    strides = _one("avg_pool1d", "stride", stride, True) or kernel
    pads = _one("avg_pool1d", "padding", padding)
    _need_c_ints(kernel, strides, pads)
    _check_dims_1d("avg_pool1d", input)
    out = _native_avg_pool(
        "avg_pool2d", input.unsqueeze(-2), [1, kernel[0]], [1, strides[0]], [0, pads[0]], bool(ceil_mode), bool(count_include_pad), None
    )
    return out.squeeze(-2)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """(Σ x^p)^(1/p) over 2-d windows."""
    kh, kw = _per_dim(kernel_size, 2, "lp_pool2d: kernel_size must be an int or a pair")
    if isinstance(norm_type, (int, float)) and abs(norm_type) == math.inf:  # PyTorch's max of magnitudes
        if norm_type > 0:
            return max_pool2d(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
        return -max_pool2d(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    out = avg_pool2d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * out.abs().relu()).mul(kw * kh).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """(Σ x^p)^(1/p) over 1-d windows."""
    if isinstance(norm_type, (int, float)) and abs(norm_type) == math.inf:
        if norm_type > 0:
            return max_pool1d(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
        return -max_pool1d(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    out = avg_pool1d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * out.abs().relu()).mul(kernel_size).pow(1.0 / norm_type)


# --------------------------------------------------------------------------- adaptive pooling


def _reject_bare_bool(op: str, output_size) -> None:
    """PyTorch's parser takes no bool for an int-list argument (inside a list it does)."""
    if isinstance(output_size, bool):
        raise TypeError(f"{op}(): argument 'output_size' (position 2) must be tuple of ints, not bool")


def _output_size(output_size, input: Tensor, n: int, message: str) -> list[int]:
    need_tensor_method(input, "size")  # PyTorch's `_list_with_default(output_size, input.size())`
    if output_size is None:
        raise TypeError("object of type 'NoneType' has no len()")
    _reject_bare_bool(message.split(":")[0].removesuffix("()"), output_size)
    if isinstance(output_size, numbers.Integral):
        need_int64(output_size)  # a lone int is unpacked as one (ValueError), then repeated
        sizes = [output_size] * n
    else:
        sizes = list(output_size)
        need_int64_elements(message.split(":")[0].removesuffix("()"), "output_size", sizes)
        if isinstance(input, Tensor) and input.dim() <= len(sizes):  # PyTorch's _list_with_default
            raise ValueError(f"Input dimension should be at least {len(sizes) + 1}")
        if len(sizes) == 1:
            sizes = sizes * n
    if len(sizes) != n:
        raise RuntimeError(message)
    spatial = tuple(input.shape)[-n:] if input.dim() >= n else (None,) * n
    return [int(s) if s is not None else spatial[i] for i, s in enumerate(sizes)]


def _need_non_batch_sizes(op: str, input) -> None:
    """PyTorch's adaptive max (and 3-d average) kernels refuse an empty non-batch dim."""
    if not isinstance(input, Tensor):
        return
    for d in range(1, input.dim()):
        if input.shape[d] == 0:
            raise RuntimeError(f"{op}(): Expected input to have non-zero size for non-batch dimensions, but input "
                               f"has sizes {list(input.shape)} with dimension {d} being empty")


def _mean_keeping_channels_last(input: Tensor, rank: int) -> Tensor:
    """PyTorch's adaptive average to size one: the mean over the spatial dims, restrided
    (an in-place as_strided node) to channels last when a batched input is laid out so."""
    from ._channels_last import suggests_channels_last

    out = input.mean(tuple(range(-rank + 2, 0)), keepdim=True)
    if input.dim() == rank and suggests_channels_last(input):
        c = out.shape[1]
        out = out.as_strided_(out.shape, (c, 1) + (c,) * (rank - 2))
    return out


def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a given (H, W)."""
    size = _output_size(output_size, input, 2, "adaptive_avg_pool2d: output_size must be 2")
    if isinstance(input, Tensor) and input.dim() == 4 and input.shape[0] == 0 and 0 not in input.shape[1:] \
            and not input.dtype.is_floating_point:
        return input.new_empty((0, input.shape[1], *size))  # an empty batch: PyTorch's kernel never runs
    if size == [1, 1]:
        return _mean_keeping_channels_last(input, 4)
    out = _half_kernels.adaptive_pool(input, size, False)[0]
    return _refusing_empty_backward("adaptive_avg_pool2d", out) if 0 in size else out


def _refusing_empty_backward(op: str, out: Tensor) -> Tensor:
    """PyTorch's backward of an adaptive pool refuses an output with an empty non-batch dim
    (the forward runs); a hook on the output raises its error once a gradient arrives."""
    empty = [d for d in range(1, out.dim()) if out.shape[d] == 0]
    if empty and out.requires_grad:
        message = (f"{op}_backward(): Expected grad_output to have non-zero size for non-batch dimensions, but "
                   f"grad_output has sizes {list(out.shape)} with dimension {empty[0]} being empty")

        def refuse(grad):
            raise RuntimeError(message)

        out.register_hook(refuse)
    return out


def _adaptive_pool3d(op: str, input, size: list[int], is_max: bool):
    try:
        out, indices = _half_kernels.adaptive_pool(input, size, is_max)
    except NotImplementedError as e:  # PyTorch names its 3-d CPU kernels with a suffix
        raise NotImplementedError(str(e).replace(f'"{op}"', f'"{op}_cpu"')) from None
    if 0 in size:
        _refusing_empty_backward(op, out)
    return out, indices


def adaptive_avg_pool3d(input, output_size):
    """Average pooling to a given (D, H, W)."""
    size = _output_size(output_size, input, 3, "adaptive_avg_pool3d: output_size must be 3")
    if isinstance(input, Tensor) and input.dim() in (4, 5):
        _need_non_batch_sizes("adaptive_avg_pool3d", input)
    if size == [1, 1, 1]:
        return _mean_keeping_channels_last(input, 5)
    out = _adaptive_pool3d("adaptive_avg_pool3d", input, size, False)[0]
    if input.dtype in (_core.float16, _core.bfloat16) and out.numel():
        from .._half_rounding import half_values, overwrite
        from ._half_adaptive_avg3d import adaptive_avg3d_values

        overwrite(out, adaptive_avg3d_values(half_values(input), size, input.dtype))
    return out


def adaptive_avg_pool1d(input, output_size):
    """Average pooling to a given length."""
    _reject_bare_bool("adaptive_avg_pool1d", output_size)
    size = _one("adaptive_avg_pool1d", "output_size", output_size)
    _check_dims_1d("adaptive_avg_pool1d", input)
    return adaptive_avg_pool2d(input.unsqueeze(-2), [1, size[0]]).squeeze(-2)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max pooling to a given (H, W)."""
    size = _output_size(output_size, input, 2, "adaptive_max_pool2d(): internal error: output_size.size() must be 2")
    if isinstance(input, Tensor) and input.dim() in (3, 4):
        _need_non_batch_sizes("adaptive_max_pool2d", input)
    out, indices = _half_kernels.adaptive_pool(input, size, True)
    if 0 in size:
        _refusing_empty_backward("adaptive_max_pool2d", out)
    return (out, indices) if return_indices else out


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """Max pooling to a given (D, H, W)."""
    size = _output_size(output_size, input, 3, "adaptive_max_pool3d(): internal error: output_size.size() must be 3")
    if isinstance(input, Tensor) and input.dim() in (4, 5):
        _need_non_batch_sizes("adaptive_max_pool3d", input)
    out, indices = _adaptive_pool3d("adaptive_max_pool3d", input, size, True)
    return (out, indices) if return_indices else out


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Max pooling to a given length."""
    _reject_bare_bool("adaptive_max_pool1d", output_size)
    size = _one("adaptive_max_pool1d", "output_size", output_size)
    _check_dims_1d("adaptive_max_pool1d", input)
    _need_non_batch_sizes("adaptive_max_pool1d", input)
    out, indices = _half_kernels.adaptive_pool(input.unsqueeze(-2), [1, size[0]], True)
    if size[0] == 0:
        _refusing_empty_backward("adaptive_max_pool2d", out)
    out, indices = out.squeeze(-2), indices.squeeze(-2)
    return (out, indices) if return_indices else out


# --------------------------------------------------------------------------- padding

_PAD_MODES = ("constant", "reflect", "replicate", "circular")


def _pad_list(pad) -> list[int]:
    if not isinstance(pad, (tuple, list)):
        raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, not {type(pad).__name__}")
    # PyTorch's int list takes a one-element integer tensor as its value
    values = [int(v.item()) if isinstance(v, Tensor) and v.numel() == 1 and is_integral(v) else v for v in pad]
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise TypeError(
                f"pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type "
                f"{type(v).__name__} at pos {i}"
            )
    need_int64_elements("pad", "pad", values)
    return [int(v) for v in values]


# PyTorch keeps the ints below -2**62 for symbolic sizes: a padding there is refused
_SYMBOLIC_INT_BELOW = -(2**62)


def _refuse_padded_size_overflow(input: Tensor, pads: list[int]) -> None:
    """A padded size past int64 (PyTorch's wraps around into a negative size)."""
    for i in range(min(len(pads) // 2, input.dim())):
        d = input.dim() - 1 - i
        before, after = pads[2 * i], pads[2 * i + 1]
        if not fits_int64(input.shape[d] + before + after):
            raise RuntimeError(
                f"The input size {input.shape[d]}, plus negative padding {before} and {after} resulted in a negative "
                f"output size, which is invalid. Check dimension {d} of your input."
            )


def constant_padded(input: Tensor, pads: list[int], value) -> Tensor:
    """`input` padded by `pads` (last dim first) with the number `value`; as PyTorch's
    fill, a value the input's dtype cannot hold is refused once any padding is added."""
    if any(p < _SYMBOLIC_INT_BELOW for p in pads):
        raise RuntimeError("SymIntArrayRef expected to contain only concrete integers")
    _refuse_padded_size_overflow(input, pads)
    # an int past int64 is a uint64 Scalar in PyTorch (the core takes it as a double)
    fill = float(value) if isinstance(value, int) and 2**63 <= value < 2**64 else value
    out = _core._constant_pad(input, pads, fill)
    saved_values.keep(out, "ConstantPadNdBackward0", {"pad": tuple(saved_values.c_int(p) for p in pads)})
    if isinstance(input, Tensor) and any(p > 0 for p in pads):
        check_scalar_fits(value, input.dtype)
        check_fill(input, 0.0 if value is None else value, out.numel())
    return out


def _parsed_float(value: Tensor) -> float:
    """A 0-d tensor `value` as PyTorch's parser reads a float: one that requires grad is
    refused, a complex one taken for its real part when it has no imaginary one."""
    if value.requires_grad:
        raise TypeError("pad(): argument 'value' (position 4) must be float, not Tensor")
    number = value.item()
    if isinstance(number, complex):
        if number.imag != 0:
            raise RuntimeError("value cannot be converted to type double without overflow")
        number = number.real
    return float(number)


def pad(input: Tensor, pad, mode: str = "constant", value=None) -> Tensor:
    """Pads the last `len(pad) // 2` dims (`pad` lists the last dim first)."""
    pads = _pad_list(pad)
    if mode not in _PAD_MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode != "circular" and any(p < _SYMBOLIC_INT_BELOW for p in pads):
        raise RuntimeError("SymIntArrayRef expected to contain only concrete integers")
    if mode == "constant":
        if isinstance(value, numbers.Real):  # PyTorch's `value` is a float: an int is rounded to one
            value = float(value)
        elif value is not None and not (isinstance(value, Tensor) and value.dim() == 0):
            from .._argcheck import type_name

            raise TypeError(f"pad(): argument 'value' (position 4) must be float, not {type_name(value)}")
        elif isinstance(value, Tensor):
            value = _parsed_float(value)
        return constant_padded(input, pads, value)
    if len(pads) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if len(pads) > 2 * input.dim():
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but got padding length "
            f"{len(pads)} and input of dimension {input.dim()}"
        )
    k = len(pads) // 2
    if not 1 <= k <= 3 or input.dim() not in (k + 1, k + 2):
        raise NotImplementedError(
            f"Padding size {len(pads)} is not supported for {input.dim()}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )
    if mode == "circular":
        return _pad_circular(input, pads)
    if input.dtype in (_core.uint8, _core.int8, _core.int16, _core.int32, _core.int64):
        return _pad_integers(input, pads, mode == "reflect")
    return _complex_kernels.linear_parts(_half_kernels.pad_indexed)(input, pads, mode == "reflect")


def _pad_integers(input: Tensor, pads: list[int], reflect: bool) -> Tensor:
    """Reflect/replicate padding of an integer tensor (PyTorch's kernels take integers;
    ours are floating): the float kernel pads the positions of the elements (exact in
    float64), which then pick the integers."""
    from .._creation import arange

    positions = arange(input.numel(), dtype=_core.float64).reshape(tuple(input.shape))
    picked = _half_kernels.pad_indexed(positions, pads, reflect).to(_core.int64)
    return input.reshape(-1)[picked]


_OVERLAP = (
    "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory "
    "location. Please clone() the tensor before performing the operation."
)


def _pad_circular(input: Tensor, pads: list[int]) -> Tensor:
    """Wraps around, built with slice assignments as PyTorch does (node `CopySlices`)."""
    from .._creation import empty

    k = len(pads) // 2
    lead = input.dim() - k
    shape = list(input.shape)
    out_shape = list(shape)
    for i in range(k):
        d = input.dim() - 1 - i
        before, after = pads[2 * i], pads[2 * i + 1]
        if before > shape[d] or after > shape[d]:
            raise RuntimeError("Padding value causes wrapping around more than once.")
        out_shape[d] = shape[d] + before + after
        if out_shape[d] < 0:
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
    out = empty(out_shape, dtype=input.dtype)
    out_index = [slice(None)] * lead
    in_index = [slice(None)] * lead
    for j in range(k):
        d = lead + j
        i = input.dim() - 1 - d
        before, after = pads[2 * i], pads[2 * i + 1]
        out_index.append(slice(max(before, 0), out_shape[d] - max(after, 0)))
        in_index.append(slice(max(-before, 0), shape[d] - max(-after, 0)))
    _copy_into(out[tuple(out_index)], input[tuple(in_index)])
    for j in range(k):
        d = lead + j
        i = input.dim() - 1 - d
        before, after = pads[2 * i], pads[2 * i + 1]
        size = out_shape[d]
        head = [slice(None)] * d
        if before > 0:
            _copy_wrapped(out, head, 0, size - before - max(after, 0), before)
        if after > 0:
            _copy_wrapped(out, head, size - after, max(before, 0), after)
    return out


def _copy_wrapped(out: Tensor, head: list, to: int, start: int, width: int) -> None:
    """out[..., to:to+width] = out[..., start:start+width] along the dim after `head`, as
    PyTorch's copy_: a slice onto itself is left as it is (a negative pad can make the
    wrapped part the slice itself), one partly overlapping it is refused."""
    if to == start:
        return
    if abs(to - start) < width:
        raise RuntimeError(_OVERLAP)
    out[tuple(head + [slice(to, to + width)])] = out[tuple(head + [slice(start, start + width)])]


def _copy_into(dst: Tensor, src: Tensor) -> None:
    """dst.copy_(src) with PyTorch's message for sizes that do not broadcast."""
    for d in range(dst.dim()):
        if dst.shape[d] != src.shape[d] and src.shape[d] != 1:
            raise RuntimeError(f"The size of tensor a ({dst.shape[d]}) must match the size of tensor b "
                               f"({src.shape[d]}) at non-singleton dimension {d}")
    dst.copy_(src)


# --------------------------------------------------------------------------- resampling

_INTERP_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"
_MODE_RANK = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}


def _interpolate_size(size) -> int:
    """One output size of `interpolate`: an int (PyTorch's kernels refuse anything else)."""
    if isinstance(size, bool) or not hasattr(type(size), "__index__"):
        raise TypeError(f"interpolate(): output size must be int, not {type(size).__name__}")
    return int(size)


def interpolate(
    input: Tensor,
    size=None,
    scale_factor=None,
    mode: str = "nearest",
    align_corners=None,
    recompute_scale_factor=None,
    antialias: bool = False,
) -> Tensor:
    """Resizes the spatial dims of (N, C, ...) by `size` or `scale_factor`."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(
                "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear"
            )
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    spatial = list(input.shape)[2:]
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        scale_factors = None
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got input with spatial "
                    f"dimensions of {spatial} and output size of {size}. Please provide input tensor in "
                    "(N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format."
                )
            output_size = [_interpolate_size(s) for s in size]
        else:
            output_size = [size] * dim  # PyTorch converts a single size after its dim checks
    elif scale_factor is not None:
        output_size = None
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, but got input with "
                    f"spatial dimensions of {spatial} and scale_factor of shape {scale_factor}. Please provide input "
                    "tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format."
                )
            scale_factors = [float(s) for s in scale_factor]
        else:
            scale_factors = [scale_factor] * dim
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor and scale_factors is not None:
        output_size = [math.floor(float(spatial[i]) * float(scale_factors[i])) for i in range(dim)]
        scale_factors = None
    if antialias and not (mode in ("bilinear", "bicubic") and input.dim() == 4):
        raise ValueError(
            "Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D tensor as input"
        )
    if input.dim() not in (3, 4, 5) or mode not in ("nearest", "nearest-exact", "area", *_MODE_RANK):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for the modes: "
            f"{_INTERP_MODES} (got {mode})"
        )
    need = _MODE_RANK.get(mode)
    if need is not None and need != input.dim():
        if mode == "bicubic":
            raise NotImplementedError(
                f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for the modes: "
                f"{_INTERP_MODES} (got {mode})"
            )
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs {need}D input")
    if size is not None and not isinstance(size, (list, tuple)):
        output_size = [_interpolate_size(size)] * dim
    if scale_factors is not None and not isinstance(scale_factor, (list, tuple)):
        if isinstance(scale_factor, (str, bytes)):  # the upsample op's parser takes numbers only
            raise TypeError(f"interpolate(): scale_factor must be a number, not {type(scale_factor).__name__}")
        scale_factors = [float(scale_factor)] * dim
    if output_size is None:
        output_size = [int(spatial[i] * scale_factors[i]) for i in range(dim)]
    if mode != "area":
        refuse_float8(_float8_resample_kernel(mode, input.dim(), antialias), input)
    if input.dtype == _core.uint8 and mode in ("bilinear", "bicubic"):
        return _uint8_resample(input, output_size, scale_factors, bool(align_corners), mode, antialias)
    if antialias:
        from ._antialias import interpolate_aa

        return interpolate_aa(input, output_size, scale_factors, bool(align_corners), mode)
    if mode == "area":
        pool = {1: adaptive_avg_pool1d, 2: adaptive_avg_pool2d, 3: adaptive_avg_pool3d}[dim]
        return pool(input, output_size)
    scales = scale_factors if scale_factors is not None else [None] * dim
    if input.dtype == _core.uint8 and mode in ("nearest", "nearest-exact"):
        # PyTorch has uint8 nearest kernels; picking elements is exact through float32
        return _half_kernels.upsample(input.float(), mode, output_size, scales, False).to(_core.uint8)
    out = _half_kernels.upsample(input, mode, output_size, scales, bool(align_corners))
    return _keep_upsample_args(out, input, mode, output_size, scales, bool(align_corners))


_SCALE_NAMES = {1: ("scales",), 2: ("scales_h", "scales_w"), 3: ("scales_d", "scales_h", "scales_w")}


def _keep_upsample_args(out: Tensor, input: Tensor, mode: str, output_size, scales, align_corners: bool) -> Tensor:
    """The upsampling node keeps PyTorch's `_saved_*`: sizes, scales (None where a size
    was given) and, for the interpolating modes, align_corners."""
    node = out.grad_fn if _core.is_grad_enabled() else None
    if node is None or not type(node).__name__.startswith("Upsample"):
        return out
    values = {"output_size": tuple(int(n) for n in output_size), "self_sym_sizes": tuple(input.shape),
              **dict(zip(_SCALE_NAMES[len(scales)], scales, strict=True))}
    if not mode.startswith("nearest"):
        values["align_corners"] = align_corners
    return saved_values.keep_more(out, type(node).__name__, values)


def _uint8_resample(input: Tensor, output_size, scale_factors, align_corners: bool, mode: str,
                    antialias: bool) -> Tensor:
    """PyTorch's uint8 bilinear/bicubic kernel (fixed-point, one dimension at a time)."""
    from .._creation import tensor
    from ._uint8_resample import resample_uint8

    if min(output_size) <= 0 or min(input.shape[2:]) <= 0:
        raise RuntimeError(
            f"Input and output sizes should be greater than 0, but got input (H: {input.shape[2]}, W: "
            f"{input.shape[3]}) output (H: {output_size[0]}, W: {output_size[1]})"
        )
    values = resample_uint8(input.detach().numpy(), [int(s) for s in output_size], scale_factors, align_corners,
                            mode == "bicubic", bool(antialias))
    return tensor(values, dtype=_core.uint8)


def _float8_resample_kernel(mode: str, rank: int, antialias: bool) -> str:
    """The kernel PyTorch's CPU build stops at for an 8-bit float: the 2-d nearest and
    bilinear resamplings have their own; the others compute their indices first."""
    if antialias:
        return "compute_index_ranges_weights"
    if rank == 4 and mode in ("nearest", "nearest-exact", "bilinear"):
        return f"upsample_{'bilinear' if mode == 'bilinear' else 'nearest'}2d_channels_last"
    if mode == "bicubic":
        return "compute_indices_weights_cubic"
    return "compute_indices_weights_nearest" if mode.startswith("nearest") else "compute_indices_weights_linear"


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated alias of `interpolate`."""
    return interpolate(input, size, scale_factor, mode, align_corners)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C·r², H, W) → (*, C, H·r, W·r)."""
    out = _core._pixel_shuffle(input, int(upscale_factor), False)
    if input.numel():
        refuse_float8("pixel_shuffle", input)
    saved_values.keep(out, "PixelShuffleBackward0", {"upscale_factor": int(upscale_factor)})
    return out


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H·r, W·r) → (*, C·r², H, W); an input without elements comes back as a copy
    of its own shape, as PyTorch's kernel returns it (after the same checks)."""
    out = _core._pixel_shuffle(input, int(downscale_factor), True)
    if input.numel() != 0:
        refuse_float8("pixel_unshuffle", input)
    else:
        copy = input.clone()
        out = _core._named_node(copy, "PixelUnshuffleBackward0") if copy.grad_fn is not None else copy
    saved_values.keep(out, "PixelUnshuffleBackward0", {"downscale_factor": int(downscale_factor)})
    return out
