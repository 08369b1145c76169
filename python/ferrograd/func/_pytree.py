"""The pytrees the function transforms use (`ferrograd.utils._pytree`), and broadcasting a
prefix tree (an `in_dims`/`out_dims` spec) over a full one."""

from __future__ import annotations

from typing import Any

from ..utils._pytree import (
    SUPPORTED_NODES,
    TreeSpec,
    _node_type,
    tree_flatten,
    tree_is_leaf,
    tree_map,
    tree_unflatten,
)

__all__ = ["broadcast_prefix", "tree_flatten", "tree_map", "tree_unflatten"]


def broadcast_prefix(prefix: Any, spec: TreeSpec) -> list | None:
    """One entry of `prefix` per leaf of `spec`: a leaf of the prefix tree (an int or
    None) covers the whole subtree under it. None when the structures do not match."""
    out: list = []
    return out if _broadcast_into(prefix, spec, out) else None


def _broadcast_into(p: Any, s: TreeSpec, out: list) -> bool:
    """`broadcast_prefix`'s walk, appending to `out` (a module function: a nested one
    calling itself is a reference cycle left for the collector at every call)."""
    if tree_is_leaf(p):
        out.extend([p] * s.num_leaves)
        return True
    kind = _node_type(p)
    kids, context = SUPPORTED_NODES[kind].flatten_fn(p)
    if s.is_leaf() or kind is not s.type or len(kids) != s.num_children:
        return False
    if isinstance(p, dict) and list(context) != list(s.context):
        if set(context) != set(s.context):
            return False
        kids = [p[k] for k in s.context]
    return all(_broadcast_into(k, c, out) for k, c in zip(kids, s.children(), strict=True))
