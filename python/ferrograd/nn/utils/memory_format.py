"""Conv weights to a memory format (`channels_last` for 2-D convolutions,
`channels_last_3d` for 3-D ones), for a module and all its children."""

from __future__ import annotations

from typing import TypeVar

from ..modules.module import Module

_M = TypeVar("_M", bound=Module)

__all__ = ["convert_conv2d_weight_memory_format", "convert_conv3d_weight_memory_format"]


def _convert(module: Module, memory_format, conv_types: tuple[type, ...]) -> None:
    if isinstance(module, conv_types):
        module.weight.data = module.weight.detach().clone(memory_format=memory_format)
    for child in module.children():
        _convert(child, memory_format, conv_types)


def convert_conv2d_weight_memory_format(module: _M, memory_format) -> _M:
    """Stores the weight of every `Conv2d` and `ConvTranspose2d` in `module` (itself
    included) in `memory_format`; values and parameters stay the same.

    Args:
        module: the module to convert, in place.
        memory_format: `channels_last` or `contiguous_format`, for instance.

    Returns:
        `module`.
    """
    from ..modules.conv import Conv2d, ConvTranspose2d

    _convert(module, memory_format, (Conv2d, ConvTranspose2d))
    return module


def convert_conv3d_weight_memory_format(module: _M, memory_format) -> _M:
    """Stores the weight of every `Conv3d` and `ConvTranspose3d` in `module` (itself
    included) in `memory_format`; values and parameters stay the same.

    Args:
        module: the module to convert, in place.
        memory_format: `channels_last_3d` or `contiguous_format`, for instance.

    Returns:
        `module`.
    """
    from ..modules.conv import Conv3d, ConvTranspose3d

    _convert(module, memory_format, (Conv3d, ConvTranspose3d))
    return module
