"""`nonzero_static` (the nonzero indices padded or cut to a fixed count) and
`get_device` (-1: every tensor is on the CPU)."""

from __future__ import annotations

from . import _core
from ._argcheck import need_int, need_tensor
from ._core import Tensor

__all__ = ["get_device", "nonzero_static"]


def nonzero_static(input: Tensor, *, size: int, fill_value: int = -1) -> Tensor:
    """The indices of the nonzero elements as `nonzero` gives them, cut to `size` rows or
    padded with rows of `fill_value` up to it.

    Args:
        input: the input tensor.
        size: the number of rows of the result, >= 0.
        fill_value: the value of the padding rows (default -1).
    """
    need_tensor("nonzero_static", "input", 1, input)
    need_int("nonzero_static", "size", 2, size)
    if size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    found = _core._nonzero(input)
    if found.shape[0] >= size:
        return found[:size].contiguous()
    pad = _core._full(size - found.shape[0], input.dim(), fill_value=fill_value, dtype=_core.int64)
    return _core._cat([found, pad], 0)


def get_device(input: Tensor, /) -> int:
    """The index of the tensor's device: -1 for the CPU (every ferrograd tensor).

    Args:
        input: the tensor.
    """
    need_tensor("get_device", "input", 1, input)
    return -1


def _install() -> None:
    Tensor.nonzero_static = lambda self, *, size, fill_value=-1: nonzero_static(self, size=size, fill_value=fill_value)


_install()
