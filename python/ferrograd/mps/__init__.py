"""`ferrograd.mps`: Apple's Metal backend, as PyTorch on Linux has it: not available,
no devices, and each operation that needs the backend raises RuntimeError."""

from __future__ import annotations

import os

from . import profiler

__all__ = [  # noqa: RUF022 (PyTorch's order)
    "compile_shader",
    "load_metallib",
    "device_count",
    "get_rng_state",
    "manual_seed",
    "seed",
    "set_rng_state",
    "synchronize",
    "empty_cache",
    "set_per_process_memory_fraction",
    "current_allocated_memory",
    "driver_allocated_memory",
    "Event",
    "profiler",
    "recommended_max_memory",
    "is_available",
]


def _without_mps(operation: str):
    raise RuntimeError(f"Cannot execute {operation}() without MPS backend.")


def device_count() -> int:
    """The number of MPS devices: 0."""
    return 0


def is_available() -> bool:
    """Whether MPS can be used: never on this build."""
    return False


def manual_seed(seed: int) -> None:
    """Seeds the MPS generator with `seed`: a build without MPS ignores it."""


def seed() -> None:
    """Seeds the MPS generator randomly: raises without MPS."""
    _without_mps("getDefaultGenerator")


def get_rng_state(device="mps"):
    """The MPS generator's state (of `device`): raises without MPS."""
    return _without_mps("getDefaultGenerator")


def set_rng_state(new_state, device="mps") -> None:
    """Sets the MPS generator's state (of `device`) to `new_state`: raises without MPS."""
    _without_mps("getDefaultGenerator")


def synchronize() -> None:
    """Waits for the MPS device: raises without MPS."""
    _without_mps("deviceSynchronize")


def empty_cache() -> None:
    """Frees MPS's cached memory: raises without MPS."""
    _without_mps("emptyCache")


def set_per_process_memory_fraction(fraction) -> None:
    """Caps the MPS memory this process may use, as a fraction (0 to 2) of the
    recommended maximum: raises without MPS, after checking `fraction`.

    Args:
        fraction: a float in [0, 2].
    """
    if not isinstance(fraction, float):
        raise TypeError("Invalid type for fraction argument, must be `float`")
    if fraction < 0 or fraction > 2:
        raise ValueError(f"Invalid fraction value: {fraction}. Allowed range: 0~2")
    _without_mps("setMemoryFraction")


def current_allocated_memory() -> int:
    """Bytes held by MPS tensors: raises without MPS."""
    return _without_mps("getCurrentAllocatedMemory")


def driver_allocated_memory() -> int:
    """Bytes the Metal driver holds for this process: raises without MPS."""
    return _without_mps("getDriverAllocatedMemory")


def recommended_max_memory() -> int:
    """Metal's recommended working-set size: raises without MPS."""
    return _without_mps("getRecommendedMaxMemory")


def compile_shader(source: str):
    """Compiles Metal shader source: raises, as MPS is not available."""
    raise RuntimeError("MPS is not available")


def load_metallib(source):
    """Loads a compiled Metal library from `source` (bytes or a path): raises, as MPS is
    not available."""
    if not isinstance(source, (bytes, bytearray, str, os.PathLike)):
        raise TypeError(f"expected bytes or path, got {type(source).__name__}")
    raise RuntimeError("MPS is not available")


class Event:
    """An MPS event: raises without MPS.

    Args:
        enable_timing: whether the event records time.
    """

    def __init__(self, enable_timing: bool = False) -> None:
        _without_mps("acquireEvent")
