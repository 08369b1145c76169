"""`ferrograd.autograd.grad_mode`: the grad-mode context managers (as in PyTorch)."""

from .._grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled
from .variable import set_multithreading_enabled

__all__ = ["enable_grad", "inference_mode", "no_grad", "set_grad_enabled",
           "set_multithreading_enabled"]
