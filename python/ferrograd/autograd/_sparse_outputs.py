"""`autograd.grad` from sparse (COO or CSR) outputs given a gradient of the same
sparsity: a sparse tensor's graph runs through its stored values, so such an output is
differentiated as its values with the gradient's values. (PyTorch passes a dense
gradient, or one with other stored positions, back whole for many ops, which values
cannot carry: those calls are still refused.)"""

from __future__ import annotations

from typing import Any


def _parts(t: Any) -> tuple | None:
    """The index tensors of a COO or CSR tensor, or None for any other tensor."""
    held = getattr(t, "__dict__", {})
    if "_fg_indices" in held:
        return ("coo", held["_fg_indices"])
    if "_fg_crow" in held and "_fg_col" in held:
        return (type(t).__name__, held["_fg_crow"], held["_fg_col"])
    return None


def _same_sparsity(o: Any, g: Any) -> bool:
    po, pg = _parts(o), _parts(g)
    if po is None or pg is None or po[0] != pg[0] or tuple(o.shape) != tuple(g.shape):
        return False
    if po[0] == "coo" and not (o.is_coalesced() and g.is_coalesced()):
        return False
    return all(a.shape == b.shape and bool((a == b).all()) for a, b in zip(po[1:], pg[1:]))


def as_values(outs: list, gos: list) -> tuple[list, list]:
    """`outs` with each sparse output whose gradient has its sparsity replaced by its
    values, and that gradient by the gradient's values."""
    new_outs, new_gos = [], []
    for o, g in zip(outs, gos):
        if _parts(o) is not None and _same_sparsity(o, g):
            o, g = o._fg_values, g._fg_values
        new_outs.append(o)
        new_gos.append(g)
    return new_outs, new_gos
