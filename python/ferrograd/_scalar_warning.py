"""PyTorch's one-time warning for `float(t)` / `complex(t)` of a tensor that requires
grad (the Python number is cut from the graph)."""

from __future__ import annotations

from ._user_warning import warn_at_caller

_warned = False


def warn_if_requires_grad(t) -> None:
    """Warns once per process, as PyTorch does, when `t` requires grad and grad mode is
    on (under `no_grad`, as in an optimizer's step, the number is what was asked for)."""
    from . import _core

    global _warned
    if _warned or not t.requires_grad or not _core.is_grad_enabled():
        return
    _warned = True
    warn_at_caller(
        "Converting a tensor with requires_grad=True to a scalar may lead to unexpected "
        "behavior.\nConsider using tensor.detach() first. (Triggered internally at "
        "/__w/pytorch/pytorch/torch/csrc/autograd/generated/python_variable_methods.cpp:822.)")
