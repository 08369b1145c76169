"""`ferrograd.nested`: PyTorch's `torch.nested`, batches of tensors of differing sizes
in the strided and jagged layouts (see `ferrograd._nested`)."""

from __future__ import annotations

from .._nested import NestedTensor as NestedTensor
from .._nested_create import (
    as_nested_tensor,
    masked_select,
    narrow,
    nested_tensor,
    nested_tensor_from_jagged,
    to_padded_tensor,
)
from .._nested_ops import OPS as _OPS  # noqa: F401  (the ops of NestedTensor, installed on import)

__all__ = ["as_nested_tensor", "masked_select", "narrow", "nested_tensor", "nested_tensor_from_jagged",
           "to_padded_tensor"]
