"""The image ops whose output PyTorch lays out like a channels-last input (NHWC
strides): convolutions, batch norm, pooling and resampling. The kernels here write
row-major results; a channels-last input gets its result copied into that layout,
recorded under the op's own node name."""

from __future__ import annotations

import functools
from typing import Any

from .._core import Tensor

KEEPS_CHANNELS_LAST = (
    "conv2d", "conv_transpose2d", "batch_norm", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d",
    "adaptive_max_pool2d", "interpolate", "upsample", "upsample_nearest", "upsample_bilinear",
)


def _is_channels_last(t: Any) -> bool:
    from .._memory_format import channels_last

    return (isinstance(t, Tensor) and t.dim() == 4 and not t.is_contiguous()
            and t.is_contiguous(memory_format=channels_last))


def _to_channels_last(out: Tensor) -> Tensor:
    from .. import _memory_format

    _, c, h, w = out.shape
    if out.stride() == (c * h * w, 1, w * c, c):  # NHWC strides, size-1 dims included
        return out
    if out.grad_fn is None:
        return out.contiguous(memory_format=_memory_format.channels_last)
    return _memory_format._relayout(out, _memory_format.channels_last, out.grad_fn.name())


def keeping_channels_last(fn):
    """`fn` whose tensor results follow a channels-last first argument's layout."""

    @functools.wraps(fn)
    def call(input, *args: Any, **kwargs: Any) -> Any:
        out = fn(input, *args, **kwargs)
        if not _is_channels_last(input):
            return out
        if isinstance(out, tuple):  # (values, indices) of the pools
            return type(out)(_to_channels_last(o) if isinstance(o, Tensor) else o for o in out)
        return _to_channels_last(out) if isinstance(out, Tensor) else out

    return call


def install(namespace: dict[str, Any]) -> None:
    for name in KEEPS_CHANNELS_LAST:
        if callable(namespace.get(name)):
            namespace[name] = keeping_channels_last(namespace[name])
