"""The image ops whose output PyTorch lays out in the memory format its input suggests:
channels last (NHWC strides; NDHWC for 5-D) when the input's strides order the dims as
channels last does, gaps allowed (`suggest_memory_format`), else row-major. The kernels
here write row-major results; other layouts are copied into that format, recorded under
the op's own node name."""

from __future__ import annotations

import functools
from typing import Any

from .._core import Tensor

FOLLOWS_SUGGESTED_FORMAT = (
    "conv2d", "conv_transpose2d", "batch_norm", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d",
    "adaptive_max_pool2d", "lp_pool2d", "interpolate", "upsample", "upsample_nearest", "upsample_bilinear",
    "pad", "pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "group_norm", "instance_norm",
    "max_pool3d", "conv3d",
)
# PyTorch's results of these are row-major whatever the input's layout
ALWAYS_ROW_MAJOR = ("instance_norm",)
# ... and of these, channels last only for a 4-D input (a 2-D op sees a 5-D one as a batch)
ONLY_4D = ("conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d",
           "adaptive_max_pool2d", "lp_pool2d", "pixel_shuffle", "pixel_unshuffle")
# ... and of these only for a 5-D input; max_pool3d pools a 4-D one as a batch of one
ONLY_5D = ("conv3d", "max_pool3d")
UNBATCHED_AS_BATCH = ("max_pool3d",)
# the convolutions whose layout their weight's suggestion also decides
WEIGHT_SUGGESTS = ("conv2d", "conv3d", "conv_transpose2d")

# dims innermost first in PyTorch's channels-last check, per rank
_CHANNELS_LAST_ORDER = {4: (1, 3, 2, 0), 5: (1, 4, 3, 2, 0)}


def suggests_channels_last(t: Any) -> bool:
    """PyTorch's `suggest_memory_format(t) != contiguous_format` for a 4-D or 5-D tensor."""
    if not isinstance(t, Tensor) or t.dim() not in _CHANNELS_LAST_ORDER:
        return False
    return _channels_last_layout(tuple(t.shape), t.stride())


def _channels_last_layout(shape: tuple, strides: tuple) -> bool:
    if strides[1] == 0:
        return False
    smallest = 0
    for d in _CHANNELS_LAST_ORDER[len(shape)]:
        if shape[d] == 0 or strides[d] < smallest or (d == 0 and smallest == strides[1]):
            return False
        smallest = strides[d] * shape[d] if shape[d] > 1 else strides[d]
    return True


def _channels_last_strides(shape: tuple) -> tuple:
    """PyTorch's channels-last strides (size-1 dims included) of a 4-D or 5-D shape."""
    order = (0, *range(2, len(shape)), 1)  # outermost first
    strides = [0] * len(shape)
    step = 1
    for d in reversed(order):
        strides[d] = step
        step *= shape[d]
    return tuple(strides)


def _in_format(out: Tensor, channels_last: bool) -> Tensor:
    from .. import _memory_format

    if not channels_last:
        if out.is_contiguous():
            return out
        fmt = _memory_format.contiguous_format
    else:
        if out.stride() == _channels_last_strides(tuple(out.shape)):
            return out
        fmt = _memory_format.channels_last if out.dim() == 4 else _memory_format.channels_last_3d
    node = out.grad_fn.name() if out.grad_fn is not None else "CloneBackward0"
    return _memory_format._relayout(out, fmt, node)


def _unbatched_channels_last(out: Tensor) -> Tensor:
    """A (C, D, H, W) result laid out as channels-last-3d of its batch of one."""
    from .. import _memory_format

    packed = out.permute(1, 2, 3, 0)
    if packed.is_contiguous():
        return out
    node = out.grad_fn.name() if out.grad_fn is not None else "CloneBackward0"
    return _memory_format._layout_copy(node).apply(out, (1, 2, 3, 0), (3, 0, 1, 2))


def following_suggested_format(fn, name: str):
    """`fn` whose tensor results of the input's rank take the memory format it suggests."""
    ranks = (4,) if name in ONLY_4D else (5,) if name in ONLY_5D else (4, 5)

    @functools.wraps(fn)
    def call(input, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pixel_") and isinstance(input, Tensor) and input.dim() == 5 \
                and suggests_channels_last(input):
            raise RuntimeError("Unsupported memory format. Supports only ChannelsLast, Contiguous")
        out = fn(input, *args, **kwargs)
        if name in UNBATCHED_AS_BATCH and isinstance(input, Tensor) and input.dim() == 4 \
                and _channels_last_layout((1, *input.shape), (input.numel(), *input.stride())):
            if isinstance(out, tuple):
                return type(out)(_unbatched_channels_last(o) for o in out)
            return _unbatched_channels_last(out)
        if not isinstance(input, Tensor) or input.dim() not in ranks:
            return out
        circular = name == "pad" and (args[1:2] or [kwargs.get("mode", "constant")])[0] == "circular"
        channels_last = name not in ALWAYS_ROW_MAJOR and not circular and suggests_channels_last(input)
        if name in WEIGHT_SUGGESTS and not channels_last:  # a channels-last weight makes the output so
            weight = args[0] if args else kwargs.get("weight")
            channels_last = isinstance(weight, Tensor) and weight.dim() == input.dim() \
                and suggests_channels_last(weight)

        def fit(o: Any) -> Any:
            if isinstance(o, Tensor) and o.dim() == input.dim():
                return _in_format(o, channels_last)
            return o

        if isinstance(out, tuple):  # (values, indices) of the pools
            return type(out)(fit(o) for o in out)
        return fit(out)

    return call


def install(namespace: dict[str, Any]) -> None:
    for name in FOLLOWS_SUGGESTED_FORMAT:
        if callable(namespace.get(name)):
            namespace[name] = following_suggested_format(namespace[name], name)
