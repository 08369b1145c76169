"""`to_dlpack` and `from_dlpack`, as in `torch.utils.dlpack`."""

from __future__ import annotations

from .._core import Tensor
from .._interop import from_dlpack

__all__ = ["from_dlpack", "to_dlpack"]


def to_dlpack(tensor: Tensor):
    """A legacy DLPack capsule sharing `tensor`'s memory (consumable once)."""
    return tensor.__dlpack__()
