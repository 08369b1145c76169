"""`masked_tensor` (a leaf, as `ferrograd.tensor`) and `as_masked_tensor` (keeps the
data's autograd history, as `ferrograd.as_tensor`); neither defines the MaskedTensor
class until called."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    from .core import MaskedTensor

__all__ = ["as_masked_tensor", "is_masked_tensor", "masked_tensor"]


def masked_tensor(data: Any, mask: Any, requires_grad: bool = False) -> MaskedTensor:
    """A new leaf MaskedTensor holding a copy of `data`, masked by a copy of `mask`.

    Args:
        data: a strided tensor (float16/32/64, int8/16/32/64 or bool).
        mask: a bool tensor of the data's shape; True marks a specified element.
        requires_grad: whether the result requires grad.
    """
    from .core import MaskedTensor

    return MaskedTensor(data, mask, requires_grad)


def as_masked_tensor(data: Any, mask: Any) -> MaskedTensor:
    """A MaskedTensor holding a copy of `data` that stays in `data`'s autograd graph:
    gradients flow back to `data`.

    Args:
        data: a strided tensor (float16/32/64, int8/16/32/64 or bool).
        mask: a bool tensor of the data's shape.
    """
    from . import core

    core.check_types(data, mask)
    core.warn_prototype(stacklevel=2)
    core.warn_requires_grad(data, stacklevel=2)
    return core.new_masked(data.clone(), mask.clone())


def is_masked_tensor(obj: Any, /) -> TypeGuard[MaskedTensor]:
    """Whether `obj` is a MaskedTensor (False for everything while none has been made)."""
    core = sys.modules.get(f"{__package__}.core")
    return core is not None and isinstance(obj, core.MaskedTensor)
