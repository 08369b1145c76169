"""PyTorch's refusal of a requires-grad tensor in an argument its kernel has no
derivative for (a loss's target or class weights), raised when the loss is built."""

from __future__ import annotations

from .. import _core
from .._core import Tensor


def refuse_grad(function: str, argument: str, value) -> None:
    """RuntimeError, as PyTorch's autograd kernel raises, when `value` requires grad
    while grad mode is on."""
    if isinstance(value, Tensor) and value.requires_grad and _core.is_grad_enabled():
        raise RuntimeError(
            f"The function '{function}' is not differentiable with respect to argument '{argument}'. "
            "This input cannot have requires_grad True."
        )
