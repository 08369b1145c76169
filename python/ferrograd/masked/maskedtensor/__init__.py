"""MaskedTensor (`ferrograd.masked.maskedtensor`, PyTorch's `torch.masked.maskedtensor`):
the class is defined on first use, so a program that never makes one pays nothing for
its `__torch_function__` dispatch."""

from __future__ import annotations

from typing import Any

from .creation import as_masked_tensor, is_masked_tensor, masked_tensor

__all__ = ["MaskedTensor", "as_masked_tensor", "is_masked_tensor", "masked_tensor"]


def __getattr__(name: str) -> Any:
    if name == "MaskedTensor":
        from .core import MaskedTensor

        return MaskedTensor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
