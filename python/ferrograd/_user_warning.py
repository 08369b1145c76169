"""Warnings attributed to the user's line: the first caller outside ferrograd (a call
reaches the code that warns through different wrappers, so no fixed stacklevel fits)."""

from __future__ import annotations

import os
import sys
import warnings

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


# PyTorch's warnings raised in its C++ end with the source line that raised them, as
# its CPU wheels print it (the path of PyTorch's CI checkout).
_ATEN_SOURCES = "/__w/pytorch/pytorch/aten/src/ATen/"


def triggered_internally(message: str, source: str) -> str:
    """`message` with PyTorch's "(Triggered internally at ...)" suffix for the ATen
    source line `source` (`native/Resize.cpp:30`)."""
    return f"{message} (Triggered internally at {_ATEN_SOURCES}{source}.)"


# PyTorch's warning when a copy into a real tensor drops imaginary parts
COMPLEX_TO_REAL = triggered_internally("Casting complex values to real discards the imaginary part",
                                       "native/Copy.cpp:307")


# the messages of PyTorch's TORCH_WARN_ONCE warnings given so far in this process
_warned_once: set[str] = set()


def warn_once_at_caller(message: str) -> None:
    """A warning PyTorch gives once per process (its TORCH_WARN_ONCE), at the user's line."""
    if message not in _warned_once:
        _warned_once.add(message)
        warn_at_caller(message)


def warn_complex_to_real() -> None:
    """PyTorch's complex-to-real cast warning (once per process)."""
    warn_once_at_caller(COMPLEX_TO_REAL)


def warn_at_caller(message: str, category: type[Warning] = UserWarning) -> None:
    warnings.warn(message, category, stacklevel=caller_level())


def caller_level() -> int:
    """The `stacklevel` that names the first caller outside ferrograd, for a
    `warnings.warn` made by this function's caller."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        level, frame = level + 1, frame.f_back
    return level
