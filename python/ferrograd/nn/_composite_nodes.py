"""One PyTorch node for an op computed here in several passes: the forward runs without
recording, then `record` gives its result a single node with PyTorch's name, edges and
saved tensors, whose backward is a Python formula of differentiable ops (so that a
backward with `create_graph=True` can itself be differentiated)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from .. import _core
from .._core import Tensor

REDUCTION_ENUM = {"none": 0, "mean": 1, "sum": 2}


def record(name: str, inputs: Sequence[Tensor | None], out: Tensor, saved: Sequence[tuple[str, Tensor | None]],
           backward: Callable, args: dict | None = None) -> Tensor:
    """Makes `out` (computed without history) the output of node `name`.

    Args:
        name: PyTorch's node name.
        inputs: one entry per edge of PyTorch's node (None for an edge-less slot).
        out: the result.
        saved: (field, tensor) pairs in the order PyTorch's node saves them; a None
            tensor is an optional one PyTorch's node does not save (its `_saved_<field>`
            reads None).
        backward: `backward(grads, saved, needs_input_grad)` -> one gradient per input;
            `saved` holds the non-None tensors of `saved`, unpacked.
        args: the node's non-tensor `_saved_*` values.
    """
    kept = [(field, t) for field, t in saved if t is not None]
    if _core._composite_node(name, list(inputs), [out], [t for _, t in kept], backward):
        info = dict(args or {})
        info["_fields"] = tuple(field for field, _ in kept)
        _core._set_saved_args(out, info)
    return out


def grad_of_reduction(grad: Tensor, reduction: int, numel: int) -> Tensor:
    """The gradient of each element of a pointwise loss before its reduction: for 'mean'
    and 'sum' a 0-d tensor that the caller's product broadcasts (cheaper than expanding)."""
    return grad / numel if reduction == 1 else grad


def sum_to(grad: Tensor, shape: Sequence[int]) -> Tensor:
    """`grad` summed over the dims it was broadcast along, to `shape`."""
    shape = tuple(shape)
    return grad if tuple(grad.shape) == shape else grad.sum_to_size(shape)


def _mul_scalar_backward(factor, grads, saved, needs):
    return (grads[0] * factor,)


def mul_scalar(t: Tensor, factor: float) -> Tensor:
    """`t * factor` as PyTorch's `mul.Scalar` (its `MulBackward1` node), which composite
    ops such as `cross_entropy` use where Python code would make a `MulBackward0`."""
    from .._grad_mode import no_grad

    with no_grad():
        out = t * factor
    return record("MulBackward1", (t,), out, (), functools.partial(_mul_scalar_backward, factor),
                  {"other": factor})


def _div_scalar_backward(divisor, grads, saved, needs):
    return (grads[0] / divisor,)


def div_scalar(t: Tensor, divisor: float) -> Tensor:
    """`t / divisor` as PyTorch's `div.Scalar` (its `DivBackward1` node)."""
    from .._grad_mode import no_grad

    with no_grad():
        out = t / divisor
    return record("DivBackward1", (t,), out, (), functools.partial(_div_scalar_backward, divisor),
                  {"other": divisor})
