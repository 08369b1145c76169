"""`Tensor.__ipow__` as PyTorch's: written in Python, it wraps `pow_` and carries its
name (`Tensor.__ipow__.__name__ == 'pow_'`), and modes and subclasses are handed it."""

from __future__ import annotations

from typing import Any

from ._core import Tensor

_core_ipow = Tensor._ipow


def _ipow(self: Tensor, other: Any, /, *modulo: None) -> Any:
    return _core_ipow(self, other, *modulo)


_ipow.__name__, _ipow.__qualname__ = "pow_", "TensorBase.pow_"


def install() -> None:
    Tensor.__ipow__ = _ipow
