"""`ferrograd.accelerator.memory`: the accelerator's memory statistics; with no
accelerator each raises RuntimeError, as in a CPU-only PyTorch."""

from __future__ import annotations

from collections import OrderedDict

from .._device import NO_ACCELERATOR

__all__ = [
    "empty_cache",
    "empty_host_cache",
    "get_memory_info",
    "max_memory_allocated",
    "max_memory_reserved",
    "memory_allocated",
    "memory_reserved",
    "memory_stats",
    "reset_accumulated_memory_stats",
    "reset_peak_memory_stats",
]


def _no_accelerator():
    raise RuntimeError(NO_ACCELERATOR)


def empty_cache() -> None:
    """Frees the accelerator's cached memory: raises, as there is no accelerator."""
    _no_accelerator()


def empty_host_cache() -> None:
    """Frees the accelerator's cached pinned host memory: raises, as there is none."""
    _no_accelerator()


def memory_stats(device_index=None, /) -> OrderedDict:
    """The accelerator's memory statistics: raises, as there is no accelerator.

    Args:
        device_index: the device (an index, a device or a string); None for the current one.
    """
    return _no_accelerator()


def memory_allocated(device_index=None, /) -> int:
    """Bytes held by accelerator tensors: raises, as there is no accelerator.

    Args:
        device_index: the device (an index, a device or a string); None for the current one.
    """
    return _no_accelerator()


def max_memory_allocated(device_index=None, /) -> int:
    """The peak of `memory_allocated`: raises, as there is no accelerator.

    Args:
        device_index: the device (an index, a device or a string); None for the current one.
    """
    return _no_accelerator()


def memory_reserved(device_index=None, /) -> int:
    """Bytes the accelerator's allocator holds: raises, as there is no accelerator.

    Args:
        device_index: the device (an index, a device or a string); None for the current one.
    """
    return _no_accelerator()


def max_memory_reserved(device_index=None, /) -> int:
    """The peak of `memory_reserved`: raises, as there is no accelerator.

    Args:
        device_index: the device (an index, a device or a string); None for the current one.
    """
    return _no_accelerator()


def reset_accumulated_memory_stats(device_index=None, /) -> None:
    """Resets the accumulated statistics: raises, as there is no accelerator.

    Args:
        device_index: the device (an index, a device or a string); None for the current one.
    """
    _no_accelerator()


def reset_peak_memory_stats(device_index=None, /) -> None:
    """Resets the peak statistics: raises, as there is no accelerator.

    Args:
        device_index: the device (an index, a device or a string); None for the current one.
    """
    _no_accelerator()


def get_memory_info(device_index=None, /) -> tuple[int, int]:
    """(free, total) bytes of the accelerator device: raises, as there is no accelerator.

    Args:
        device_index: the device (an index, a device or a string); None for the current one.
    """
    from . import _device_index

    _device_index(device_index, optional=True)
    return _no_accelerator()
