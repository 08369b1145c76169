"""Pytree arguments of a traced function: `PH` marks the leaves of a `concrete_args`
value that stay inputs (`concrete_args={"d": {"a": PH, "b": PH}}`). Each leaf becomes a
placeholder `d_1`, `d_2`, ...; the graph then takes the flat leaves, and its code (a
`_PyTreeCodeGen`) takes the original arguments and flattens them by an input spec, and
returns its flat outputs rebuilt by an output spec, as PyTorch's tracer does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..utils import _pytree as pytree
from ._codegen import _PyTreeCodeGen, _PyTreeInfo
from .graph import Graph

__all__ = ["PH", "PHBase", "PHWithMeta"]


class PHBase:
    """The type of `PH`, the leaf of a concrete argument that stays a placeholder."""

    def __repr__(self) -> str:
        return "PH"


PH = PHBase()


class PHWithMeta(PHBase):
    """A `PH` whose attributes (set by the user) are copied onto its placeholder node."""

    def __init__(self, ph_key: str | None = None) -> None:
        super().__init__()
        self.ph_key = ph_key  # a key the user can find the node by


def transfer_attrs(fr: Any, to: Any) -> None:
    """Copies the user's attributes of a placeholder marker onto its node."""
    for attr_name in dir(fr):
        attr_val = getattr(fr, attr_name)
        if not callable(attr_val) and not attr_name.startswith("__") and not hasattr(to, attr_name):
            setattr(to, attr_name, attr_val)


def placeholders_for(value: Any, make_leaf: Callable[[Any, int], Any]) -> Any:
    """`value` (a concrete argument) with each leaf replaced by `make_leaf(leaf, count)`,
    `count` numbering the leaves from 1."""
    count = 0

    def replace(leaf: Any) -> Any:
        nonlocal count
        count += 1
        return make_leaf(leaf, count)

    return pytree.tree_map(replace, value)


def flattening(graph: Graph, call: Callable[..., Any], args: list[Any], orig_args: list[str]) -> tuple[
        Callable[..., Any], list[Any]]:
    """`call` and its arguments, or, where an argument is a pytree holding placeholders,
    a call taking the flat leaves and returning its flat outputs (the graph's codegen
    records both specs)."""
    flat_args, in_spec = pytree.tree_flatten(tuple(args))
    if all(child.is_leaf() for child in in_spec.children_specs):
        return call, args
    codegen = _PyTreeCodeGen(_PyTreeInfo(orig_args, in_spec, None))
    graph._codegen = codegen

    def flat_call(*leaves: Any) -> list[Any]:
        out, out_spec = pytree.tree_flatten(call(*pytree.tree_unflatten(list(leaves), in_spec)))
        codegen.pytree_info = codegen.pytree_info._replace(out_spec=out_spec)
        return out

    return flat_call, flat_args
