"""`ferrograd.utils._pytree`: nested containers of leaves (PyTorch's pytrees).

A pytree is a leaf, or a node of a registered type (tuple, list, dict, namedtuple,
OrderedDict, defaultdict, deque, or one given to `register_pytree_node`) whose children
are pytrees. `tree_flatten` gives the leaves in order and a `TreeSpec` of the structure;
`tree_unflatten` builds the tree back. Names, specs and error texts are PyTorch's
(its Python implementation); JSON dumping of specs is not provided."""

from __future__ import annotations

import dataclasses
from collections import OrderedDict, defaultdict, deque, namedtuple
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

__all__ = [
    "LeafSpec", "TreeSpec", "arg_tree_leaves", "is_namedtuple", "is_namedtuple_class", "is_namedtuple_instance",
    "is_structseq", "is_structseq_class", "is_structseq_instance",
    "key_get", "keystr", "map_only", "register_pytree_node", "tree_all", "tree_all_only", "tree_any",
    "tree_any_only", "tree_flatten", "tree_flatten_with_path", "tree_is_leaf", "tree_iter", "tree_leaves",
    "tree_leaves_with_path", "tree_map", "tree_map_", "tree_map_only", "tree_map_only_", "tree_map_with_path",
    "tree_structure", "tree_unflatten", "treespec_pprint",
]


class NodeDef(NamedTuple):
    type: Any
    flatten_fn: Callable
    unflatten_fn: Callable
    flatten_with_keys_fn: Callable | None


SUPPORTED_NODES: dict[Any, NodeDef] = {}


def register_pytree_node(cls, flatten_fn: Callable, unflatten_fn: Callable, *, serialized_type_name=None,
                         to_dumpable_context=None, from_dumpable_context=None, flatten_with_keys_fn=None) -> None:
    """Makes instances of `cls` pytree nodes.

    Args:
        cls: the node type.
        flatten_fn: `node -> (children, context)`.
        unflatten_fn: `(children, context) -> node`.
        serialized_type_name: accepted as PyTorch's (specs are not serialized here).
        to_dumpable_context: accepted as PyTorch's.
        from_dumpable_context: accepted as PyTorch's.
        flatten_with_keys_fn: `node -> (list of (key, child), context)`, for the `_with_path` functions.
    """
    if cls in SUPPORTED_NODES:
        raise ValueError(f"{cls} is already registered as pytree node.")
    SUPPORTED_NODES[cls] = NodeDef(cls, flatten_fn, unflatten_fn, flatten_with_keys_fn)


_register_pytree_node = register_pytree_node


# ---- keys of children, for the `_with_path` functions ----------------------------------------
@dataclasses.dataclass(frozen=True)
class SequenceKey:
    idx: int

    def __str__(self) -> str:
        return f"[{self.idx!r}]"

    def get(self, sequence):
        return sequence[self.idx]


@dataclasses.dataclass(frozen=True)
class MappingKey:
    key: Any

    def __str__(self) -> str:
        return f"[{self.key!r}]"

    def get(self, mapping):
        return mapping[self.key]


@dataclasses.dataclass(frozen=True)
class GetAttrKey:
    name: str

    def __str__(self) -> str:
        return f".{self.name}"

    def get(self, obj):
        return getattr(obj, self.name)


def keystr(kp: tuple) -> str:
    """A key path as source text: `['a'][1].b`."""
    return "".join(str(k) for k in kp)


def key_get(obj, kp: tuple):
    """The subtree of `obj` at key path `kp`."""
    for k in kp:
        obj = k.get(obj)
    return obj


# ---- the built-in node types -----------------------------------------------------------------
def is_namedtuple_class(cls) -> bool:
    return (isinstance(cls, type) and issubclass(cls, tuple) and isinstance(getattr(cls, "_fields", None), tuple)
            and callable(getattr(cls, "_make", None)) and callable(getattr(cls, "_asdict", None)))


def is_namedtuple_instance(obj) -> bool:
    return is_namedtuple_class(type(obj))


def is_namedtuple(obj) -> bool:
    """Whether `obj` is a namedtuple class or instance."""
    return is_namedtuple_class(obj if isinstance(obj, type) else type(obj))


def is_structseq_class(cls) -> bool:
    """Whether `cls` is a structseq type (`ferrograd.return_types.max`, `os.stat_result`)."""
    return (isinstance(cls, type) and cls.__bases__ == (tuple,)
            and all(isinstance(getattr(cls, n, None), int)
                    for n in ("n_sequence_fields", "n_fields", "n_unnamed_fields")))


def is_structseq_instance(obj) -> bool:
    return is_structseq_class(type(obj))


def is_structseq(obj) -> bool:
    """Whether `obj` is a structseq class or instance."""
    return is_structseq_class(obj if isinstance(obj, type) else type(obj))


def _sequence_keys(node) -> tuple[list, Any]:
    children, context = SUPPORTED_NODES[_node_type(node)].flatten_fn(node)
    return [(SequenceKey(i), c) for i, c in enumerate(children)], context


def _dict_keys(node) -> tuple[list, Any]:
    return [(MappingKey(k), v) for k, v in node.items()], list(node)


register_pytree_node(tuple, lambda t: (list(t), None), lambda values, _: tuple(values),
                     flatten_with_keys_fn=_sequence_keys)
register_pytree_node(list, lambda t: (list(t), None), lambda values, _: list(values),
                     flatten_with_keys_fn=_sequence_keys)
register_pytree_node(dict, lambda d: (list(d.values()), list(d)), lambda values, keys: dict(zip(keys, values)),
                     flatten_with_keys_fn=_dict_keys)
register_pytree_node(namedtuple, lambda t: (list(t), type(t)), lambda values, cls: cls(*values),
                     flatten_with_keys_fn=lambda t: ([(GetAttrKey(f), v) for f, v in zip(t._fields, t)], type(t)))
register_pytree_node(OrderedDict, lambda d: (list(d.values()), list(d)),
                     lambda values, keys: OrderedDict(zip(keys, values)), flatten_with_keys_fn=_dict_keys)
register_pytree_node(defaultdict, lambda d: (list(d.values()), [d.default_factory, list(d)]),
                     lambda values, ctx: defaultdict(ctx[0], zip(ctx[1], values)),
                     flatten_with_keys_fn=lambda d: ([(MappingKey(k), v) for k, v in d.items()],
                                                     [d.default_factory, list(d)]))
register_pytree_node(deque, lambda d: (list(d), d.maxlen), lambda values, maxlen: deque(values, maxlen=maxlen),
                     flatten_with_keys_fn=_sequence_keys)
BUILTIN_TYPES = frozenset({tuple, list, dict, namedtuple, OrderedDict, defaultdict, deque})
STANDARD_DICT_TYPES = frozenset({dict, OrderedDict, defaultdict})


def _node_type(tree) -> Any:
    cls = type(tree)
    if cls in SUPPORTED_NODES:
        return cls
    if is_namedtuple_class(cls):
        return namedtuple
    if is_structseq_class(cls):
        # a return type (`ferrograd.return_types.max`): a node of its own, as PyTorch registers them
        register_pytree_node(cls, lambda t: (list(t), None), lambda values, _, cls=cls: cls(values),
                             flatten_with_keys_fn=_sequence_keys)
    return cls


def tree_is_leaf(tree, is_leaf: Callable | None = None) -> bool:
    """Whether `tree` is a leaf: not of a registered node type, or `is_leaf(tree)`."""
    if is_leaf is not None and is_leaf(tree):
        return True
    return _node_type(tree) not in SUPPORTED_NODES


# ---- specs ------------------------------------------------------------------------------------
class TreeSpec:
    """The structure of a pytree: the node type, its context (dict keys, namedtuple
    class, ...) and the specs of its children."""

    def __init__(self, type, context, children_specs: list) -> None:
        self.type = type
        self.context = context
        self._children = list(children_specs)
        self.num_children = len(self._children)
        self.num_leaves = sum(c.num_leaves for c in self._children)
        self.num_nodes = 1 + sum(c.num_nodes for c in self._children)

    @property
    def _context(self):
        return self.context

    @property
    def children_specs(self) -> list:
        return self._children

    def children(self) -> list:
        return list(self._children)

    def child(self, index: int) -> TreeSpec:
        return self._children[index]

    def is_leaf(self) -> bool:
        return self.num_nodes == 1 and self.num_leaves == 1

    def __repr__(self, indent: int = 0) -> str:
        inner = ""
        if self._children:
            indent += 2
            inner = self._children[0].__repr__(indent) + ("," if self.num_children > 1 else "")
            inner += ",".join("\n" + " " * indent + c.__repr__(indent) for c in self._children[1:])
        return f"TreeSpec({self.type.__name__}, {self.context}, [{inner}])"

    def __eq__(self, other) -> bool:
        if self is other:
            return True
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (str(self.type) == str(other.type) and self.context == other.context
                and self._children == other._children)

    __hash__ = None  # type: ignore[assignment]

    def flatten_up_to(self, tree) -> list:
        """The subtrees of `tree` at the leaves of this spec."""
        subtrees: list = []
        self._flatten_up_to(tree, subtrees)
        return subtrees

    def _flatten_up_to(self, node, subtrees: list) -> None:
        if self.is_leaf():
            subtrees.append(node)
            return
        node_type = _node_type(node)
        both_dicts = self.type in STANDARD_DICT_TYPES and node_type in STANDARD_DICT_TYPES
        if self.type not in BUILTIN_TYPES:
            if node_type != self.type:
                raise ValueError(f"Type mismatch; expected {self.type!r}, but got {node_type!r}.")
            children, context = SUPPORTED_NODES[node_type].flatten_fn(node)
            if len(children) != self.num_children:
                raise ValueError(f"Node arity mismatch; expected {self.num_children}, but got {len(children)}.")
            if context != self.context:
                raise ValueError(f"Node context mismatch for custom node type {self.type!r}.")
        else:
            if not both_dicts and node_type != self.type:
                raise ValueError(f"Node type mismatch; expected {self.type!r}, but got {node_type!r}.")
            if len(node) != self.num_children:
                raise ValueError(f"Node arity mismatch; expected {self.num_children}, but got {len(node)}.")
            if both_dicts:
                children = _children_by_keys(node, self.context[1] if self.type is defaultdict else self.context)
            else:
                children, context = SUPPORTED_NODES[node_type].flatten_fn(node)
                if node_type is not deque and context != self.context:
                    raise ValueError(f"Node context mismatch for node type {self.type!r}; expected "
                                     f"{self.context!r}, but got {context!r}.")
        for subtree, subspec in zip(children, self._children, strict=True):
            subspec._flatten_up_to(subtree, subtrees)

    def unflatten(self, leaves: Iterable) -> Any:
        """The tree of this structure holding `leaves`."""
        leaves = list(leaves)
        if len(leaves) != self.num_leaves:
            raise ValueError(f"treespec.unflatten(leaves): `leaves` has length {len(leaves)} but the spec refers "
                             f"to a pytree that holds {self.num_leaves} items ({self}).")
        return self._build(iter(leaves))

    def _build(self, leaves: Iterator) -> Any:
        if self.is_leaf():
            return next(leaves)
        children = [c._build(leaves) for c in self._children]
        return SUPPORTED_NODES[self.type].unflatten_fn(children, self.context)


def _children_by_keys(node, expected_keys) -> list:
    got, expected = set(node), set(expected_keys)
    if got != expected:
        message = ""
        if expected - got:
            message += f"; missing key(s): {expected - got}"
        if got - expected:
            message += f"; extra key(s): {got - expected}"
        raise ValueError(f"Node keys mismatch{message}.")
    return [node[k] for k in expected_keys]


class LeafSpec(TreeSpec):
    """The spec of a leaf, printed `*`."""

    def __init__(self) -> None:
        super().__init__(None, None, [])
        self.num_leaves = 1

    def __repr__(self, indent: int = 0) -> str:
        return "*"


_LEAF_SPEC = LeafSpec()


# ---- flattening and mapping -------------------------------------------------------------------
def tree_flatten(tree, is_leaf: Callable | None = None) -> tuple[list, TreeSpec]:
    """The leaves of `tree` in order, and its structure."""
    leaves: list = []
    return leaves, _flatten_into(tree, is_leaf, leaves)


def _flatten_into(node, is_leaf: Callable | None, leaves: list) -> TreeSpec:
    """`tree_flatten`'s walk, appending to `leaves` (a module function: a nested one
    calling itself is a reference cycle, holding the leaves until a collection)."""
    if tree_is_leaf(node, is_leaf):
        leaves.append(node)
        return _LEAF_SPEC
    node_type = _node_type(node)
    children, context = SUPPORTED_NODES[node_type].flatten_fn(node)
    return TreeSpec(node_type, context, [_flatten_into(c, is_leaf, leaves) for c in children])


def tree_unflatten(leaves: Iterable, treespec: TreeSpec) -> Any:
    """The tree of structure `treespec` holding `leaves`."""
    if not isinstance(treespec, TreeSpec):
        raise TypeError(f"Expected `treespec` to be an instance of PyTreeSpec but got item of type {type(treespec)}.")
    return treespec.unflatten(leaves)


def tree_iter(tree, is_leaf: Callable | None = None) -> Iterator:
    """The leaves of `tree`, one at a time."""
    if tree_is_leaf(tree, is_leaf):
        yield tree
        return
    for child in SUPPORTED_NODES[_node_type(tree)].flatten_fn(tree)[0]:
        yield from tree_iter(child, is_leaf)


def tree_leaves(tree, is_leaf: Callable | None = None) -> list:
    return list(tree_iter(tree, is_leaf))


def tree_structure(tree, is_leaf: Callable | None = None) -> TreeSpec:
    return tree_flatten(tree, is_leaf)[1]


def arg_tree_leaves(*args, **kwargs) -> list:
    """The leaves of the positional arguments, then of the keyword arguments' values."""
    return [leaf for arg in (*args, *kwargs.values()) for leaf in tree_iter(arg)]


def tree_map(func: Callable, tree, *rests, is_leaf: Callable | None = None) -> Any:
    """The tree of `func` of each leaf (and of the matching subtrees of `rests`)."""
    leaves, treespec = tree_flatten(tree, is_leaf)
    flat_args = [leaves] + [treespec.flatten_up_to(r) for r in rests]
    return treespec.unflatten(map(func, *flat_args))


def tree_map_(func: Callable, tree, *rests, is_leaf: Callable | None = None) -> Any:
    """Calls `func` on each leaf for its effect; returns `tree`."""
    leaves, treespec = tree_flatten(tree, is_leaf)
    flat_args = [leaves] + [treespec.flatten_up_to(r) for r in rests]
    deque(map(func, *flat_args), maxlen=0)
    return tree


def map_only(type_or_types_or_pred) -> Callable:
    """A decorator: the function applies to leaves of the given type(s) (or that pass the
    predicate) and returns other leaves unchanged."""
    if isinstance(type_or_types_or_pred, (type, tuple)) or type(type_or_types_or_pred).__name__ == "UnionType":
        def pred(x) -> bool:
            return isinstance(x, type_or_types_or_pred)
    elif callable(type_or_types_or_pred):
        pred = type_or_types_or_pred
    else:
        raise TypeError("Argument must be a type, a tuple of types, or a callable.")

    def wrapper(func: Callable) -> Callable:
        def wrapped(x):
            return func(x) if pred(x) else x

        return wrapped

    return wrapper


def tree_map_only(type_or_types_or_pred, func: Callable, tree, is_leaf: Callable | None = None) -> Any:
    return tree_map(map_only(type_or_types_or_pred)(func), tree, is_leaf=is_leaf)


def tree_map_only_(type_or_types_or_pred, func: Callable, tree, is_leaf: Callable | None = None) -> Any:
    return tree_map_(map_only(type_or_types_or_pred)(func), tree, is_leaf=is_leaf)


def tree_all(pred: Callable, tree, is_leaf: Callable | None = None) -> bool:
    return all(map(pred, tree_iter(tree, is_leaf)))


def tree_any(pred: Callable, tree, is_leaf: Callable | None = None) -> bool:
    return any(map(pred, tree_iter(tree, is_leaf)))


def tree_all_only(type_or_types, pred: Callable, tree, is_leaf: Callable | None = None) -> bool:
    return all(pred(x) for x in tree_iter(tree, is_leaf) if isinstance(x, type_or_types))


def tree_any_only(type_or_types, pred: Callable, tree, is_leaf: Callable | None = None) -> bool:
    return any(pred(x) for x in tree_iter(tree, is_leaf) if isinstance(x, type_or_types))


# ---- key paths --------------------------------------------------------------------------------
def _children_with_keys(node) -> tuple[list, Any]:
    node_def = SUPPORTED_NODES[_node_type(node)]
    if node_def.flatten_with_keys_fn is None:
        raise ValueError(f"Did not find a flatten_with_keys_fn for type: {node_def.type}. Please pass a "
                         "flatten_with_keys_fn argument to register_pytree_node.")
    return node_def.flatten_with_keys_fn(node)


def tree_flatten_with_path(tree, is_leaf: Callable | None = None) -> tuple[list, TreeSpec]:
    """The (key path, leaf) pairs of `tree` in order, and its structure."""
    pairs: list = []
    _pairs_into(tree, (), is_leaf, pairs)
    return pairs, tree_structure(tree, is_leaf)


def _pairs_into(node, path: tuple, is_leaf: Callable | None, pairs: list) -> None:
    """`tree_flatten_with_path`'s walk (a module function, as `_flatten_into`)."""
    if tree_is_leaf(node, is_leaf):
        pairs.append((path, node))
        return
    for key, child in _children_with_keys(node)[0]:
        _pairs_into(child, (*path, key), is_leaf, pairs)


def tree_leaves_with_path(tree, is_leaf: Callable | None = None) -> list:
    return tree_flatten_with_path(tree, is_leaf)[0]


def tree_map_with_path(func: Callable, tree, *rests, is_leaf: Callable | None = None) -> Any:
    """The tree of `func(key_path, leaf, *matching subtrees of rests)`."""
    pairs, treespec = tree_flatten_with_path(tree, is_leaf)
    paths, leaves = zip(*pairs, strict=True) if pairs else ((), ())
    flat_rests = [treespec.flatten_up_to(r) for r in rests]
    return treespec.unflatten(func(*xs) for xs in zip(paths, leaves, *flat_rests, strict=True))


class _Asterisk(str):
    def __repr__(self) -> str:
        return "*"


def treespec_pprint(treespec: TreeSpec) -> str:
    """The spec shown as its tree with `*` for each leaf."""
    return repr(tree_unflatten([_Asterisk("*")] * treespec.num_leaves, treespec))
