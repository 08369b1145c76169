"""`ferrograd.func`: `functional_call` (PyTorch's `torch.func.functional_call`)."""

from __future__ import annotations

from .nn.utils.stateless import functional_call_dicts as functional_call

__all__ = ["functional_call"]
