"""`ldexp` recorded as PyTorch's `LdexpBackward0`, which saves `other` and the result
(the core's node saves `self` and `other`)."""

from __future__ import annotations

import math
from functools import partial

from . import _core
from ._core import Tensor


def _sum_to(grad: Tensor, shape: tuple) -> Tensor:
    return grad if tuple(grad.shape) == shape else grad.sum_to_size(shape)


def _backward(input_shape: tuple, other_shape: tuple, grads, saved, needs):
    grad = grads[0]
    other, result = saved
    grad_input = grad_other = None
    if needs[0]:
        if other.is_floating_point() or other.is_complex():
            real = grad.real.dtype if grad.is_complex() else grad.dtype
            power = other.to(real).exp2()
        else:
            power = 2**other  # integer arithmetic, as PyTorch's: 0 for a negative exponent
        grad_input = _sum_to(grad * power, input_shape)
    if needs[1]:
        grad_other = _sum_to(grad * result * math.log(2.0), other_shape)
        if grad_other.is_complex() and not other.is_complex():
            grad_other = grad_other.real
        grad_other = grad_other.to(other.dtype)
    return grad_input, grad_other


def ldexp_node(input: Tensor, other: Tensor, compute) -> Tensor:
    """`compute()` (the kernel's result) run without recording, then made the output of
    PyTorch's node."""
    from ._grad_mode import no_grad
    from .nn._composite_nodes import record

    if not (_core.is_grad_enabled() and (input.requires_grad or other.requires_grad)):
        return compute()
    with no_grad():
        out = compute()
    return record("LdexpBackward0", (input, other), out, (("other", other), ("result", out)),
                  partial(_backward, tuple(input.shape), tuple(other.shape)))
