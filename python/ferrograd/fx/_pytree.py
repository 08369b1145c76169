"""`tree_flatten_spec`: the leaves of a pytree in the order a given `TreeSpec` names them
(PyTorch's `torch.fx._pytree`). Code generated for a graph traced with pytree inputs
flattens its arguments with it (`fx_pytree.tree_flatten_spec([x, d], self._in_spec)`)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ..utils._pytree import TreeSpec, is_namedtuple_instance

__all__ = ["register_pytree_flatten_spec", "tree_flatten_spec"]

# node type -> the children of a value of it, in the order the spec lists them
SUPPORTED_NODES: dict[type, Callable[[Any, TreeSpec], list[Any]]] = {}


def register_pytree_flatten_spec(cls: type, flatten_fn_spec: Callable[[Any, TreeSpec], list[Any]],
                                 flatten_fn_exact_match_spec: Callable[[Any, TreeSpec], bool] | None = None) -> None:
    """Registers how a value of type `cls` gives its children for a spec."""
    SUPPORTED_NODES[cls] = flatten_fn_spec


def tree_flatten_spec(pytree: Any, spec: TreeSpec, exact_structural_match: bool = False) -> list[Any]:
    """The leaves of `pytree` at the leaves of `spec` (dict values by the spec's keys,
    sequence items by position)."""
    if spec.is_leaf():
        return [pytree]
    flatten = SUPPORTED_NODES.get(type(pytree))
    if flatten is None and is_namedtuple_instance(pytree):
        flatten = _sequence_children
    if flatten is None:
        raise RuntimeError(
            f"{type(pytree)} does not have a flatten_fn_spec associated with it. Please register one with "
            "ferrograd.fx._pytree.register_pytree_flatten_spec.  If you have serialized your model, make sure that "
            "any custom pytrees have been registered before loading it.")
    children = flatten(pytree, spec)
    if exact_structural_match and len(children) != spec.num_children:
        raise RuntimeError(f"Cannot flatten pytree {pytree}, given spec: {spec}")
    result: list[Any] = []
    for child, child_spec in zip(children, spec.children_specs):
        result += tree_flatten_spec(child, child_spec, exact_structural_match)
    return result


def _sequence_children(value: Any, spec: TreeSpec) -> list[Any]:
    return [value[i] for i in range(spec.num_children)]


def _dict_children(value: Any, spec: TreeSpec) -> list[Any]:
    return [value[k] for k in spec.context]


register_pytree_flatten_spec(list, _sequence_children)
register_pytree_flatten_spec(tuple, _sequence_children)
register_pytree_flatten_spec(dict, _dict_children)
register_pytree_flatten_spec(OrderedDict, _dict_children)
