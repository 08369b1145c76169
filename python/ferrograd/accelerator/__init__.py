"""`ferrograd.accelerator`: PyTorch's device-agnostic accelerator API, as a CPU-only
PyTorch answers it: no accelerator is ever available, the questions answer None / False /
0, and what needs a device raises RuntimeError."""

from __future__ import annotations

import warnings

from .._device import NO_ACCELERATOR
from .._device import device as _device
from . import memory as _memory
from .memory import *  # the memory functions, also at this level as in PyTorch

__all__ = [  # noqa: RUF022 (PyTorch's order)
    "Graph",
    "current_accelerator",
    "current_device_idx",
    "current_device_index",
    "get_device_capability",
    "current_stream",
    "device_count",
    "device_index",
    "is_available",
    "set_device_idx",
    "set_device_index",
    "set_stream",
    "synchronize",
]
__all__ += _memory.__all__


def device_count() -> int:
    """The number of accelerator devices: 0."""
    return 0


def is_available() -> bool:
    """Whether an accelerator can be used: never."""
    return False


def current_accelerator(check_available: bool = False):
    """The accelerator's device type: None, as there is none.

    Args:
        check_available: also require it to be usable (changes nothing here).
    """


def _no_accelerator(*args, **kwargs):
    raise RuntimeError(NO_ACCELERATOR)


def _device_index(device, optional: bool = False) -> int:
    """The index `device` names; a device or a string would have to name the current
    accelerator, and there is none."""
    if isinstance(device, int):
        return device
    if isinstance(device, (str, _device)):
        _device(device)  # a malformed string raises the device parser's error first
        raise RuntimeError("Accelerator expected")  # noqa: TRY004 (PyTorch's type)
    if not optional:
        raise ValueError(f"Expected a ferrograd.device with a specified index or an integer, but got:{device}")
    return current_device_index()


def current_device_index() -> int:
    """The current accelerator device's index: raises, as there is no accelerator."""
    return _no_accelerator()


def current_device_idx() -> int:
    """Deprecated name of `current_device_index`."""
    warnings.warn("Use `current_device_index` instead.", FutureWarning, stacklevel=2)
    return current_device_index()


def set_device_index(device, /) -> None:
    """Makes `device` the current accelerator device: raises, as there is no accelerator.

    Args:
        device: an index, or an accelerator device with an index.
    """
    _device_index(device)
    _no_accelerator()


def set_device_idx(device, /) -> None:
    """Deprecated name of `set_device_index` (warns).

    Args:
        device: an index, or an accelerator device with an index.
    """
    warnings.warn("Use `set_device_index` instead.", FutureWarning, stacklevel=2)
    set_device_index(device)


def get_device_capability(device=None, /) -> dict:
    """The accelerator device's capabilities: raises, as there is no accelerator.

    Args:
        device: the device (an index, a device or a string); None for the current one.
    """
    _device_index(device, optional=True)
    return _no_accelerator()


def current_stream(device=None, /):
    """The accelerator device's current stream: raises, as there is no accelerator.

    Args:
        device: the device (an index, a device or a string); None for the current one.
    """
    _device_index(device, optional=True)
    return _no_accelerator()


def set_stream(stream) -> None:
    """Makes `stream` current: raises, as there is no accelerator.

    Args:
        stream: an accelerator stream.
    """
    _no_accelerator()


def synchronize(device=None, /) -> None:
    """Waits for the accelerator's work: raises, as there is no accelerator.

    Args:
        device: the device (an index, a device or a string); None for the current one.
    """
    _device_index(device, optional=True)
    _no_accelerator()


class device_index:
    """Context manager making device `device` current for its block; with no accelerator
    an index raises on entry, and None switches nothing.

    Args:
        device: a device index, or None for no switch.
    """

    def __init__(self, device: int | None, /) -> None:
        self.idx = device
        self.prev_idx = -1

    def __enter__(self) -> None:
        if self.idx is not None:
            _no_accelerator()

    def __exit__(self, *exc_info: object) -> None:
        return None


class Graph:
    """An accelerator graph capture: raises, as there is no accelerator."""

    def __init__(self, *args, **kwargs) -> None:
        _no_accelerator()
