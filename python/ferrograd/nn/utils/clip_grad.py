"""Gradient clipping with PyTorch's formulas (in place, under no_grad)."""

from __future__ import annotations

import math

from ..._core import Tensor
from ..._grad_mode import no_grad

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _grads(parameters) -> list[Tensor]:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                    foreach=None) -> Tensor:
    """Scales all gradients by max_norm / (total_norm + 1e-6) when that is below 1; returns
    the total norm (the norm of the per-gradient norms).

    Args:
        parameters: a tensor or an iterable of tensors whose `.grad` is changed; those
            without a gradient are skipped.
        max_norm: the largest total norm allowed.
        norm_type: the order of the norms (default 2; inf for the largest absolute value).
        error_if_nonfinite: raise RuntimeError when the total norm is nan or inf, instead
            of scaling by it (default False).
        foreach: accepted for PyTorch compatibility (a kernel choice); no effect.
    """
    from ..._creation import tensor

    grads = _grads(parameters)
    max_norm = float(max_norm)
    norm_type = float(norm_type)
    if len(grads) == 0:
        return tensor(0.0)
    with no_grad():
        norms = [g.detach().norm(norm_type) for g in grads]
        dtype = grads[0].dtype
        stacked = tensor([n.item() for n in norms], dtype=dtype)
        total_norm = stacked.amax() if norm_type == math.inf else stacked.norm(norm_type)
        total = total_norm.item()
        if error_if_nonfinite and not math.isfinite(total):
            raise RuntimeError(
                f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it cannot "
                "be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
                "`error_if_nonfinite=False`"
            )
        clip_coef = (total_norm + 1e-6).reciprocal() * max_norm
        clip_coef_clamped = clip_coef.clamp(max=1.0)
        for g in grads:
            g.mul_(clip_coef_clamped.to(g.dtype))
    return total_norm


def clip_grad_value_(parameters, clip_value: float, foreach=None) -> None:
    """Clamps every gradient to [-clip_value, clip_value] in place.

    Args:
        parameters: a tensor or an iterable of tensors whose `.grad` is changed; those
            without a gradient are skipped (RuntimeError when none has one, as PyTorch).
        clip_value: the bound of the absolute value of each gradient element.
        foreach: accepted for PyTorch compatibility (a kernel choice); no effect.
    """
    clip_value = float(clip_value)
    grads = _grads(parameters)
    if not grads:  # PyTorch groups the gradients by device first, which fails on none
        raise RuntimeError("Expected !nested_tensorlist[0].empty() to be true, but got false.  (Could this error "
                           "message be improved?  If so, please report an enhancement request to PyTorch.)")
    with no_grad():
        for g in grads:
            g.clamp_(-clip_value, clip_value)
