"""`serialization`'s load and save settings (PyTorch's names): the byte order assumed for
files without a `byteorder` record, whether CRC32s are computed on save, and the mmap
flags of `load(mmap=True)`. ferrograd records them; its files always carry their byte
order, and its mapped loads are private copies."""

from __future__ import annotations

import enum
import mmap
from typing import Any

__all__ = [
    "LoadEndianness",
    "get_crc32_options",
    "get_default_load_endianness",
    "get_default_mmap_options",
    "set_crc32_options",
    "set_default_load_endianness",
    "set_default_mmap_options",
]

_SETTINGS: dict[str, Any] = {"endianness": None, "crc32": True, "mmap_flags": mmap.MAP_PRIVATE}


class LoadEndianness(enum.Enum):
    """The byte order to assume for a file that does not record its own."""

    NATIVE = 1
    LITTLE = 2
    BIG = 3


def get_default_load_endianness() -> LoadEndianness | None:
    """The fallback byte order for loading (None: native)."""
    return _SETTINGS["endianness"]


def set_default_load_endianness(endianness: LoadEndianness | None) -> None:
    """Sets the fallback byte order for loading files that do not record one.

    Args:
        endianness: a `LoadEndianness`, or None for native.
    """
    if not isinstance(endianness, LoadEndianness) and endianness is not None:
        raise TypeError("Invalid argument type in function set_default_load_endianness")
    _SETTINGS["endianness"] = endianness


def get_crc32_options() -> bool:
    """Whether `save` computes a CRC32 for each record (default True)."""
    return _SETTINGS["crc32"]


def set_crc32_options(compute_crc32: bool) -> None:
    """Sets whether `save` computes a CRC32 for each record.

    Args:
        compute_crc32: compute them.
    """
    _SETTINGS["crc32"] = compute_crc32


def get_default_mmap_options() -> int:
    """The mmap flags of `load(mmap=True)` (default `mmap.MAP_PRIVATE`)."""
    return _SETTINGS["mmap_flags"]


class set_default_mmap_options:  # PyTorch's name: used as a function or as a context manager
    """Sets the mmap flags of `load(mmap=True)`, for good or, used as a context manager,
    for the block.

    Args:
        flags: `mmap.MAP_PRIVATE` or `mmap.MAP_SHARED`.
    """

    def __init__(self, flags: int) -> None:
        if flags not in (mmap.MAP_PRIVATE, mmap.MAP_SHARED):
            raise ValueError("Invalid argument in function set_default_mmap_options, "
                             f"expected mmap.MAP_PRIVATE or mmap.MAP_SHARED, but got {flags}")
        self.prev = _SETTINGS["mmap_flags"]
        _SETTINGS["mmap_flags"] = flags

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        _SETTINGS["mmap_flags"] = self.prev
