"""PyTorch's node names for functions composed here from several ops: `mse_loss` built
from `sub`, `mul` and `mean` reports `MseLossBackward0` as its `grad_fn`, as in PyTorch,
through one pass-through node on top of the composition."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

from .. import _core
from .._core import Tensor


def node_name(name: str | Callable[..., str | None],
              saved: Callable[[dict], dict] | None = None):
    """Decorates a composite function so its result's `grad_fn` is called `name` (or what
    `name(*args, **kwargs)` returns; None keeps the composition's own node). `saved` maps
    the bound arguments (defaults applied) to the node's `_saved_*` values."""

    def decorate(fn):
        signature = inspect.signature(fn) if saved is not None else None

        @functools.wraps(fn)
        def named(*args, **kwargs):
            out = fn(*args, **kwargs)
            if not isinstance(out, Tensor) or not out.requires_grad or out.grad_fn is None:
                return out
            if any(out is a for a in args) or any(out is v for v in kwargs.values()):
                return out  # in place: the input keeps its own history
            wanted = name(*args, **kwargs) if callable(name) else name
            if wanted is None:
                return out
            if out.grad_fn.name() != wanted:
                out = _core._named_node(out, wanted)
            if signature is not None:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                _core._set_saved_args(out, saved(bound.arguments))
            return out

        return named

    return decorate

