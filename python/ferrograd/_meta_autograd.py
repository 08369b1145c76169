"""Autograd history for the results of ops on large meta tensors (see `_meta_probe`).

Such a result is made from its shape, not by the op, so the op records nothing; instead
one node is recorded with the name of the node the op recorded on the probes (PyTorch's
`MmBackward0`, `NllLossBackward0`, ...). Its backward gives each input that requires grad a
meta gradient of the input's shape and dtype, which is all a meta gradient holds.
"""

from __future__ import annotations

import functools
from typing import Any

from ._core import Tensor


@functools.cache
def _meta_node(name: str) -> Any:
    from .autograd.function import Function, FunctionMeta

    def forward(ctx, outputs, *inputs):
        ctx.input_layouts = [(tuple(t.shape), t.dtype) for t in inputs]
        if outputs is None:  # in place: the first input is the output
            ctx.mark_dirty(inputs[0])
            return inputs[0]
        return outputs if len(outputs) > 1 else outputs[0]

    def backward(ctx, *grads):
        from ._meta import new_meta

        needs = ctx.needs_input_grad[1:]
        return (None, *(new_meta(shape, dtype) if need else None
                        for (shape, dtype), need in zip(ctx.input_layouts, needs)))

    ns = {"_ferro_node_name": name, "forward": staticmethod(forward), "backward": staticmethod(backward),
          "__module__": __name__}
    return FunctionMeta(name.replace("Backward", "_"), (Function,), ns)


def record(name: str, inputs: list[Tensor], outputs: list[Tensor]) -> list[Tensor]:
    """`outputs` (new meta tensors) as the outputs of a node `name` over `inputs`; the
    floating-point ones require grad."""
    differentiable = [o for o in outputs if o.dtype.is_floating_point or o.dtype.is_complex]
    if not differentiable:
        return outputs
    from ._meta import to_meta_view

    recorded = _meta_node(name).apply(tuple(differentiable), *inputs)
    recorded = list(recorded) if isinstance(recorded, tuple) else [recorded]
    by_id = {}
    for out, new in zip(differentiable, recorded):
        # the core gives the outputs new (plain) Python objects: the layout is kept here
        new = to_meta_view(new)
        new.__dict__.update(out.__dict__)
        by_id[id(out)] = new
    return [by_id.get(id(o), o) for o in outputs]


def record_in_place(name: str, target: Tensor, others: list[Tensor]) -> Tensor:
    """`target`, changed in place by an op over it and `others`: its history becomes a
    node `name` (the same tensor is returned)."""
    return _meta_node(name).apply(None, target, *others)
