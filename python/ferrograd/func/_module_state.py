"""`stack_module_state`: the parameters and buffers of several same-shaped modules
stacked along a new dimension 0, for ensembling with `vmap` and `functional_call`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._core import Tensor


def _stacked_leaf(tensors: Sequence[Tensor], name: str) -> Tensor:
    from .._shape import stack

    flags = {t.requires_grad for t in tensors}
    if len(flags) > 1:
        raise RuntimeError(f"Expected {name} from each model to have the same .requires_grad")
    out = stack(list(tensors))
    return out.detach().requires_grad_() if flags == {True} else out


def stack_module_state(models: Sequence[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """`(params, buffers)`: each a dict from the state-dict name to the stack of that
    tensor over `models`; stacked parameters are new leaves that require grad.

    Args:
        models: modules of one class, all in training mode or all in eval mode.
    """
    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if len({m.training for m in models}) > 1:
        raise RuntimeError(
            "stack_module_state: Expected all models to have the same training/eval mode."
        )
    if any(type(m) is not type(models[0]) for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")
    all_params = [dict(m.named_parameters()) for m in models]
    all_buffers = [dict(m.named_buffers()) for m in models]
    params = {k: _stacked_leaf([p[k] for p in all_params], k) for k in all_params[0]}
    buffers = {k: _stacked_leaf([b[k] for b in all_buffers], k) for k in all_buffers[0]}
    return params, buffers
