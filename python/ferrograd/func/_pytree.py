"""Nested tuples, lists, dicts and namedtuples of leaves (PyTorch's pytrees), as far
as the function transforms need them: flatten, unflatten, and broadcasting a prefix
tree (an `in_dims`/`out_dims` spec) over a full one."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any


def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _children(x: Any) -> tuple[type, Any, list] | None:
    """`(type, context, children)` for a container node, None for a leaf."""
    if _is_namedtuple(x):
        return (type(x), type(x), list(x))
    if isinstance(x, (tuple, list)):
        return (type(x), None, list(x))
    if isinstance(x, dict):
        keys = list(x)
        return (type(x), keys, [x[k] for k in keys])
    return None


class TreeSpec:
    """The structure of a pytree; a leaf's spec is `LEAF` (printed `*`)."""

    def __init__(self, kind: type | None, context: Any, children: list[TreeSpec]) -> None:
        self.type = kind
        self.context = context
        self.children = children
        self.num_leaves = 1 if kind is None else sum(c.num_leaves for c in children)

    def is_leaf(self) -> bool:
        return self.type is None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TreeSpec):
            return NotImplemented
        return (self.type is other.type and self.context == other.context
                and self.children == other.children)

    def __hash__(self) -> int:
        return hash((self.type, len(self.children)))

    def __repr__(self, indent: int = 0) -> str:
        if self.type is None:
            return "*"
        inner = ""
        if self.children:
            indent += 2
            inner = self.children[0].__repr__(indent)
            if len(self.children) > 1:
                inner += ","
            inner += ",".join("\n" + " " * indent + c.__repr__(indent) for c in self.children[1:])
        name = self.type.__name__
        context = self.context.__name__ if isinstance(self.context, type) else self.context
        return f"TreeSpec({name}, {context}, [{inner}])"


LEAF = TreeSpec(None, None, [])


def tree_flatten(tree: Any) -> tuple[list, TreeSpec]:
    """The leaves of `tree` in order, and its structure."""
    leaves: list = []

    def walk(x: Any) -> TreeSpec:
        node = _children(x)
        if node is None:
            leaves.append(x)
            return LEAF
        kind, context, kids = node
        return TreeSpec(kind, context, [walk(k) for k in kids])

    spec = walk(tree)
    return leaves, spec


def tree_unflatten(leaves: list, spec: TreeSpec) -> Any:
    """The tree of structure `spec` holding `leaves`."""
    it = iter(leaves)

    def build(s: TreeSpec) -> Any:
        if s.type is None:
            return next(it)
        kids = [build(c) for c in s.children]
        if isinstance(s.context, type):  # namedtuple, or a return type built from a sequence
            cls = s.context
            return cls._make(kids) if hasattr(cls, "_make") else cls(kids)
        if issubclass(s.type, dict):
            out = OrderedDict() if s.type is OrderedDict else s.type()
            for k, v in zip(s.context, kids):
                out[k] = v
            return out
        return s.type(kids)

    return build(spec)


def tree_map(fn: Any, tree: Any) -> Any:
    leaves, spec = tree_flatten(tree)
    return tree_unflatten([fn(x) for x in leaves], spec)


def broadcast_prefix(prefix: Any, spec: TreeSpec) -> list | None:
    """One entry of `prefix` per leaf of `spec`: a leaf of the prefix tree (an int or
    None) covers the whole subtree under it. None when the structures do not match."""
    out: list = []

    def walk(p: Any, s: TreeSpec) -> bool:
        node = _children(p)
        if node is None:
            out.extend([p] * s.num_leaves)
            return True
        kind, context, kids = node
        if s.type is None or kind is not s.type or len(kids) != len(s.children):
            return False
        if isinstance(p, dict) and list(context) != list(s.context):
            if set(context) != set(s.context):
                return False
            kids = [p[k] for k in s.context]
        return all(walk(k, c) for k, c in zip(kids, s.children))

    return out if walk(prefix, spec) else None
