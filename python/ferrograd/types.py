"""`ferrograd.types`: the type aliases of PyTorch's `torch.types`, for annotations.

There are no symbolic sizes here (nothing traces shapes), so the `Sym*` members of
PyTorch's aliases are left out: `IntLikeType` is `int`, `py_sym_types` is empty."""

# ruff: noqa: PYI042, PYI047  (PyTorch's private alias names, kept for code that imports them)

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import IO, TypeAlias

from . import Size, Storage, Tensor, device, dtype, layout
from .autograd.graph import GradientEdge

__all__ = [
    "BoolLikeType", "Device", "FileLike", "FloatLikeType", "IntLikeType", "Number", "Storage",
    "py_sym_types",
]

_int: TypeAlias = int
_float: TypeAlias = float
_bool: TypeAlias = bool
_complex: TypeAlias = complex
_str: TypeAlias = str
_bytes: TypeAlias = bytes
_dtype: TypeAlias = dtype
_device: TypeAlias = device
_layout: TypeAlias = layout
_size: TypeAlias = Size | list[int] | tuple[int, ...]
_symsize: TypeAlias = _size

_TensorOrTensors: TypeAlias = Tensor | Sequence[Tensor]
_TensorOrOptionalTensors: TypeAlias = Tensor | Sequence[Tensor | None]
_TensorOrTensorsOrGradEdge: TypeAlias = (
    Tensor | Sequence[Tensor] | GradientEdge | Sequence[GradientEdge]
)

IntLikeType: TypeAlias = int
FloatLikeType: TypeAlias = float
BoolLikeType: TypeAlias = bool
py_sym_types: tuple[type, ...] = ()

Number: TypeAlias = int | float | bool
_Number = (int, float, bool)
FileLike: TypeAlias = str | os.PathLike[str] | IO[bytes]
Device: TypeAlias = device | str | int | None
