"""`to_dlpack` and `from_dlpack`, as in `torch.utils.dlpack`."""

from __future__ import annotations

from .._core import Tensor
from .._interop import from_dlpack

__all__ = ["from_dlpack", "to_dlpack"]


def to_dlpack(tensor: Tensor):
    """A legacy DLPack capsule sharing `tensor`'s memory (consumable once). Unlike
    `__dlpack__`, PyTorch's `to_dlpack` exports a tensor that requires grad (its data)."""
    if not isinstance(tensor, Tensor):
        from .._argcheck import type_name

        raise TypeError(
            f"_to_dlpack(): argument 'data' (position 1) must be Tensor, not {type_name(tensor)}"
        )
    if tensor.requires_grad:
        tensor = tensor.detach()
    return tensor.__dlpack__()
