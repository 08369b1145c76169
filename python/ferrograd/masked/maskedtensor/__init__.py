"""MaskedTensor (`ferrograd.masked.maskedtensor`, PyTorch's `torch.masked.maskedtensor`):
the class is defined when first named, and the top-level functions start dispatching
when the first MaskedTensor is made, so a program that never makes one pays nothing."""

from __future__ import annotations

from typing import Any

from .creation import as_masked_tensor, is_masked_tensor, masked_tensor

__all__ = ["MaskedTensor", "as_masked_tensor", "is_masked_tensor", "masked_tensor"]


def __getattr__(name: str) -> Any:
    if name == "MaskedTensor":
        from .core import MaskedTensor

        return MaskedTensor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
