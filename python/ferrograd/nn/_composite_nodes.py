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
           backward: Callable, args: dict | None = None, in_place: bool = False,
           more: Sequence[Tensor] = ()) -> Tensor:
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
        in_place: `out` is an input just written in place without recording; the node
            takes over its history.
        more: the node's further outputs (PyTorch's differentiable `result1`, ...);
            `backward` then gets one gradient per output, zeros for an unused one.
    """
    kept = [(field, t) for field, t in saved if t is not None]
    if _core._composite_node(name, list(inputs), [out, *more], [t for _, t in kept], backward, in_place):
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


def _add_scalar_backward(grads, saved, needs):
    return (grads[0],)


def add_scalar(t: Tensor, other: float) -> Tensor:
    """`t + other` as PyTorch's `add.Scalar` (its one-edge `AddBackward1` node)."""
    from .._grad_mode import no_grad

    with no_grad():
        out = t + other
    return record("AddBackward1", (t,), out, (), _add_scalar_backward)


def _div_scalar_backward(divisor, grads, saved, needs):
    return (grads[0] / divisor,)


def div_scalar(t: Tensor, divisor: float) -> Tensor:
    """`t / divisor` as PyTorch's `div.Scalar` (its `DivBackward1` node)."""
    from .._grad_mode import no_grad

    with no_grad():
        out = t / divisor
    return record("DivBackward1", (t,), out, (), functools.partial(_div_scalar_backward, divisor),
                  {"other": divisor})


def record_recomputed(name: str, inputs: Sequence[Tensor | None], outs: Sequence[Tensor | None],
                      backward_of: Callable) -> tuple:
    """A multi-pass backward while it is itself recorded (`create_graph=True`), as
    PyTorch's single node (`NativeLayerNormBackwardBackward0`, ...).

    Args:
        name: PyTorch's node name.
        inputs: one entry per edge of PyTorch's node (None for an edge-less slot).
        outs: the backward's results, computed without history (None where not wanted).
        backward_of: `backward_of(*inputs)` -> the same results composed of
            differentiable ops; the node's backward differentiates it (a nested grad).

    Returns `outs`, the present ones now the node's outputs.
    """
    present = [o for o in outs if o is not None]
    kept = [t for t in inputs if t is not None]
    slots = tuple(t is not None for t in inputs)
    wanted = tuple(o is not None for o in outs)
    _core._composite_node(name, list(inputs), present, kept,
                          functools.partial(_recomputed_backward, backward_of, slots, wanted))
    return tuple(outs)


def _recomputed_backward(backward_of: Callable, slots: tuple, wanted: tuple, grads, saved, needs):
    from .._grad_mode import enable_grad
    from ..autograd import grad as autograd_grad

    higher = _core.is_grad_enabled()  # a higher order is recorded: keep the saved graph
    kept = iter(saved)
    args: list[Tensor | None] = []
    for present, need in zip(slots, needs):
        if not present:
            args.append(None)
            continue
        t = next(kept)
        if higher and t.requires_grad:
            # an alias, so that the nested grad stops there: partial derivatives (one
            # input may depend on another), still connected to the graph
            t = t.clone()
        else:
            t = t.detach().requires_grad_(True) if need else t.detach()
        args.append(t)
    with enable_grad():
        results = backward_of(*args)
    produced = [r for r, w in zip(results, wanted) if w]
    pairs = [(r, g) for r, g in zip(produced, grads) if r is not None and r.requires_grad]
    wrt = [a for a, need in zip(args, needs) if need]
    found = list(autograd_grad([r for r, _ in pairs], wrt, [g for _, g in pairs], create_graph=higher,
                               allow_unused=True)) if pairs and wrt else [None] * len(wrt)
    return _per_input(args, needs, found)


def record_composite(name: str, inputs: Sequence[Tensor | None], saved: Callable[[Tensor], Sequence[tuple[str, Tensor | None]]],
                     compute: Callable[..., Tensor], args: dict | None = None) -> Tensor:
    """`compute(*inputs)`, an op composed here of several differentiable ops, recorded as
    PyTorch's single node `name`: edges to `inputs` only and PyTorch's `_saved_*`. The
    composite runs on detached aliases of the inputs, and its graph gives the node's
    backward (as fast as the composite's own); a backward recorded for a higher order
    (`create_graph=True`) differentiates `compute` again on the saved inputs instead.

    Args:
        name: PyTorch's node name.
        inputs: one entry per edge of PyTorch's node (None for an edge-less slot); the
            op's other arguments are bound into `compute`.
        saved: `saved(result)` -> the (field, tensor) pairs PyTorch's node saves.
        compute: the composite, called as `compute(*inputs)` (None slots passed as None).
        args: the node's non-tensor `_saved_*` values.
    """
    if not _core.is_grad_enabled() or not any(t is not None and t.requires_grad for t in inputs):
        return compute(*inputs)
    aliases = tuple(None if t is None else t.detach().requires_grad_(t.requires_grad) for t in inputs)
    inner = compute(*aliases)
    out = inner.detach()
    pairs = saved(out)
    kept = [t for _, t in pairs if t is not None]
    # an input PyTorch saves is read back from the node (its hooks and version checks
    # apply); the others are held by the backward itself
    sources = tuple(None if t is None else next((k for k, s in enumerate(kept) if s is t), None) for t in inputs)
    held = tuple(t if src is None else None for t, src in zip(inputs, sources))
    backward = functools.partial(_composite_backward, compute, sources, held, (aliases, inner))
    return record(name, inputs, out, pairs, backward, args)


def _composite_backward(compute: Callable, sources: tuple, held: tuple, graph: tuple, grads, saved, needs):
    if not _core.is_grad_enabled():  # a plain backward: through the graph the forward built
        return _through_graph(graph, grads[0], needs)
    inputs = [held[i] if src is None else saved[src] for i, src in enumerate(sources)]
    slots = tuple(t is not None for t in inputs)
    return _recomputed_backward(functools.partial(_one_result, compute), slots, (True,), grads,
                                [t for t in inputs if t is not None], needs)


def _through_graph(graph: tuple, grad: Tensor, needs) -> tuple:
    from ..autograd import grad as autograd_grad

    aliases, inner = graph
    wrt = [a for a, need in zip(aliases, needs) if need]
    # kept for another backward (retain_graph), freed with the node
    found = list(autograd_grad([inner], wrt, [grad], retain_graph=True, allow_unused=True)) \
        if wrt and inner.requires_grad else [None] * len(wrt)
    return _per_input(aliases, needs, found)


def _per_input(inputs: Sequence[Tensor], needs, found: list) -> tuple:
    """One gradient per input: the next of `found` for each input that needs one (zeros
    where the graph did not reach it), None for the others."""
    out: list[Tensor | None] = []
    for a, need in zip(inputs, needs):
        if not need:
            out.append(None)
            continue
        g = found.pop(0)
        out.append(g if g is not None else a.new_zeros(a.shape))
    return tuple(out)


def _one_result(compute: Callable, *inputs):
    return (compute(*inputs),)
