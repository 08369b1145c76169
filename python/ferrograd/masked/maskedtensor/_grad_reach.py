"""Which elements of a MaskedTensor leaf each result depends on (its "reach"), so that
the leaf's gradient is masked as PyTorch's is: PyTorch runs backward on MaskedTensors,
and the backward of an indexing op (`m[1:]`, `m.select(0, 2)`) pads the gradient's mask
with False, so `m[1:].sum().backward()` leaves `m.grad` masked out on row 0. Here the
gradients are plain tensors, so each result of an op on a leaf that requires grad
carries, per leaf, the flat positions in the leaf of its elements (a "map", which
indexing narrows as it narrows the data) or, after a reduction or a mix of several
sources, just the set of positions. `backward` on a MaskedTensor then records the
positions it reached on each leaf, and the leaf's `grad` is masked by them.
"""

from __future__ import annotations

from typing import Any

from ... import _core
from ..._core import Tensor
from ..._subclass_dispatch import _DispatchDisabled
from .core import MaskedTensor

_REACH = "_masked_reach"  # on a result: {id(leaf): (leaf, positions, is_map)}
REACHED = "_masked_grad_reached"  # on a leaf: bool, its shape, the elements backward reached

# how each kind of op's results depend on its inputs' elements
MAPPED = "mapped"  # the same elements, moved (indexing, views, cat): the op runs on the maps
ELEMENTWISE = "elementwise"  # each result element on the same input element
REDUCED = "reduced"  # on any of them


def _leaf_reach(t: MaskedTensor) -> dict:
    with _DispatchDisabled():
        if not (t.is_leaf and t.requires_grad):
            return {}
    from ... import arange

    positions = arange(t.numel()).view(tuple(t.shape))
    return {id(t): (t, positions, True)}


def reach_of(t: Any) -> dict:
    if not isinstance(t, MaskedTensor):
        return {}
    found = t.__dict__.get(_REACH)
    return _leaf_reach(t) if found is None else found


def _masked_inputs(args: tuple, kwargs: dict) -> list[MaskedTensor]:
    found = []
    for value in (*args, *kwargs.values()):
        for v in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(v, MaskedTensor):
                found.append(v)
    return found


def _as_set(reach: dict) -> dict:
    return {k: (leaf, positions.reshape(-1), False) for k, (leaf, positions, _) in reach.items()}


def _union(reaches: list[dict]) -> dict:
    out: dict = {}
    for reach in reaches:
        for key, (leaf, positions, _) in _as_set(reach).items():
            if key in out:
                from ... import cat

                positions = cat([out[key][1], positions])
            out[key] = (leaf, positions, False)
    return out


def _same(reaches: list[dict]) -> bool:
    first = reaches[0]
    return all(r.keys() == first.keys() and all(
        r[k][2] and first[k][2] and r[k][1].shape == first[k][1].shape and bool(r[k][1].eq(first[k][1]).all())
        for k in r) for r in reaches[1:])


def _mapped(func, args: tuple, kwargs: dict, source: MaskedTensor, reach: dict) -> list[dict]:
    """The reach of each result of a moving op on one MaskedTensor: the op on its maps."""
    def swap(value: Any, positions: Tensor) -> Any:
        if value is source:
            return positions
        if isinstance(value, (list, tuple)):
            return type(value)(swap(v, positions) for v in value)
        return value

    per_output: list[dict] = []
    for key, (leaf, positions, _) in reach.items():
        with _DispatchDisabled():
            moved = func(*swap(args, positions), **{k: swap(v, positions) for k, v in kwargs.items()})
        for i, m in enumerate(moved if isinstance(moved, (list, tuple)) else [moved]):
            if len(per_output) <= i:
                per_output.append({})
            per_output[i][key] = (leaf, m, True)
    return per_output


def track(kind: str, func, args: tuple, kwargs: dict, result: Any) -> None:
    """Sets the reach of each MaskedTensor in `result` (an op's) from its inputs'."""
    inputs = _masked_inputs(args, kwargs)
    reaches = [reach_of(t) for t in inputs]
    if not any(reaches):
        return
    outputs = list(result) if isinstance(result, (list, tuple)) else [result]
    maps = all(positions_is_map for r in reaches for _, _, positions_is_map in r.values())
    if kind == MAPPED and len(inputs) == 1 and maps:
        per_output = _mapped(func, args, kwargs, inputs[0], reaches[0])
    elif kind == ELEMENTWISE and maps and _same(reaches):
        per_output = [{k: (leaf, positions.expand_as(out), True) if positions.dim() <= out.dim() else
                       (leaf, positions.reshape(-1), False)
                       for k, (leaf, positions, _) in reaches[0].items()} for out in outputs]
    else:
        per_output = [_union(reaches)] * len(outputs)
    for out, reach in zip(outputs, per_output):
        if isinstance(out, MaskedTensor) and not any(out is t for t in inputs):
            out.__dict__[_REACH] = reach


def record_backward(outputs: list[Any]) -> None:
    """Marks on each leaf the elements a backward from `outputs` reached."""
    for reach in (reach_of(t) for t in outputs):
        for leaf, positions, _ in reach.values():
            reached = leaf.__dict__.get(REACHED)
            if reached is None:
                reached = _core._full(*leaf.shape, fill_value=False, dtype=_core.bool)
            reached.view(-1)[positions.reshape(-1)] = True
            leaf.__dict__[REACHED] = reached


def reached_by(leaf: MaskedTensor, outputs: list[Any]) -> Tensor | None:
    """The elements of `leaf` that `outputs` depend on (None: not known)."""
    found = [r[id(leaf)][1] for r in (reach_of(t) for t in outputs) if id(leaf) in r]
    if not found:
        return None
    reached = _core._full(*leaf.shape, fill_value=False, dtype=_core.bool)
    for positions in found:
        reached.view(-1)[positions.reshape(-1)] = True
    return reached
