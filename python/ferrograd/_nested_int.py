"""The size of a jagged tensor's ragged dim: PyTorch's nested int (`j1`), one per offsets
tensor, kept while that offsets tensor lives."""

from __future__ import annotations

import weakref
from typing import Any

from ._core import Tensor

__all__ = ["NestedInt", "ragged_size"]


class NestedInt:
    """The size of a jagged tensor's ragged dim: PyTorch's nested int, printed `j1`, `j2`,
    ... in the order the offsets it stands for were first seen."""

    _count = 0

    def __init__(self) -> None:
        NestedInt._count += 1
        self.id = NestedInt._count

    def __repr__(self) -> str:
        return f"j{self.id}"

    __str__ = __repr__


# offsets tensor (by id) -> (a weak reference to it, its NestedInt)
_RAGGED_SIZES: dict[int, tuple[Any, NestedInt]] = {}


def ragged_size(offsets: Tensor) -> NestedInt:
    """The nested int of `offsets`: the same one each time the same offsets tensor is used."""
    entry = _RAGGED_SIZES.get(id(offsets))
    if entry is not None and entry[0]() is offsets:
        return entry[1]
    key = id(offsets)
    size = NestedInt()
    _RAGGED_SIZES[key] = (weakref.ref(offsets, lambda _: _RAGGED_SIZES.pop(key, None)), size)
    return size
