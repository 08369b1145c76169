"""`get_total_norm` and `clip_grads_with_norm_`: the two halves of `clip_grad_norm_`."""

from __future__ import annotations

import math

from ..._core import Tensor
from ..._grad_mode import no_grad

__all__ = ["clip_grads_with_norm_", "get_total_norm"]


def get_total_norm(tensors, norm_type: float = 2.0, error_if_nonfinite: bool = False, foreach=None) -> Tensor:
    """The `norm_type`-norm of the per-tensor norms of `tensors`.

    Args:
        tensors: a tensor or an iterable of tensors (usually gradients).
        norm_type: the order of the norms (default 2; inf for the largest absolute value).
        error_if_nonfinite: raise RuntimeError when the total norm is nan or inf (default
            False).
        foreach: accepted for PyTorch compatibility (a kernel choice); no effect.
    """
    from ..._creation import tensor
    from ..._shape import stack

    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if len(tensors) == 0:
        return tensor(0.0)
    with no_grad():
        norms = [t.norm(norm_type) for t in tensors]
        dtype = norms[0].dtype
        for n in norms[1:]:
            if n.dtype.itemsize > dtype.itemsize:
                dtype = n.dtype
        stacked = stack([n.to(dtype) for n in norms])
        total_norm = stacked.amax() if norm_type == math.inf else stacked.norm(norm_type)
    if error_if_nonfinite and not math.isfinite(total_norm.item()):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it cannot be "
            "clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
            "`error_if_nonfinite=False`"
        )
    return total_norm


def clip_grads_with_norm_(parameters, max_norm: float, total_norm: Tensor, foreach=None) -> None:
    """Scales every gradient by min(1, max_norm / (total_norm + 1e-6)), in place.

    Args:
        parameters: a tensor or an iterable of tensors whose `.grad` is changed; those
            without a gradient are skipped.
        max_norm: the largest total norm allowed.
        total_norm: the total norm of the gradients, as `get_total_norm` returns it.
        foreach: accepted for PyTorch compatibility (a kernel choice); no effect.
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    max_norm = float(max_norm)
    if len(grads) == 0:
        return
    with no_grad():
        clip_coef = max_norm / (total_norm + 1e-6)
        clamped = clip_coef.clamp(max=1.0)
        for g in grads:
            g.mul_(clamped.to(g.dtype))
