"""`ferrograd.signal`: PyTorch's `torch.signal` (its window functions)."""

from . import windows

__all__ = ["windows"]
