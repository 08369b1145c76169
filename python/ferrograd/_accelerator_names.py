"""Top-level names of PyTorch's that ferrograd has elsewhere or only as a type:
`AcceleratorError`, and `DisableTorchFunction` / `DisableTorchFunctionSubclass` (the
switches of `ferrograd._C`)."""

from __future__ import annotations

from ._C import DisableTorchFunction, DisableTorchFunctionSubclass

__all__ = ["AcceleratorError", "DisableTorchFunction", "DisableTorchFunctionSubclass"]


class AcceleratorError(RuntimeError):
    """PyTorch's exception for an error an accelerator reports (ferrograd runs on the CPU
    only and never raises it; code may catch it)."""


AcceleratorError.__module__ = "ferrograd"
