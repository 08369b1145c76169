"""Deprecated names `nn.utils` still offers, warning as PyTorch does."""

from __future__ import annotations

import warnings

from ..._core import Tensor
from .clip_grad import clip_grad_norm_


def clip_grad_norm(parameters, max_norm: float, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach=None) -> Tensor:
    """Deprecated alias of `clip_grad_norm_` (warns with a FutureWarning).

    Args:
        parameters: a tensor or an iterable of tensors whose `.grad` is changed.
        max_norm: the largest total norm allowed.
        norm_type: the order of the norms (default 2).
        error_if_nonfinite: raise when the total norm is nan or inf (default False).
        foreach: accepted for PyTorch compatibility; no effect.
    """
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)
