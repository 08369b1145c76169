"""PyTorch's one-time warning for `float(t)` / `complex(t)` of a tensor that requires
grad (the Python number is cut from the graph)."""

from __future__ import annotations

import warnings

_warned = False


def warn_if_requires_grad(t) -> None:
    """Warns once per process, as PyTorch does, when `t` requires grad."""
    global _warned
    if _warned or not t.requires_grad:
        return
    _warned = True
    warnings.warn(
        "Converting a tensor with requires_grad=True to a scalar may lead to unexpected "
        "behavior.\nConsider using tensor.detach() first.",
        UserWarning,
        stacklevel=3,
    )
