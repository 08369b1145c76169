"""`Graph`: the ordered nodes of a traced program, the calls that add, move and erase
them, `lint`, `eliminate_dead_code`, and its text (`str(graph)`, `print_tabular`)."""

from __future__ import annotations

import contextlib
import copy
import importlib
import inspect
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from . import _codegen
from ._codegen import CodeGen, PythonCode, _PyTreeCodeGen, _PyTreeInfo  # noqa: F401  (PyTorch's names here)
from ._names import Namespace, snake_case
from .node import Node, map_arg


class _NodeList:
    """The nodes of a graph in order (or reversed), safe to erase from while iterating."""

    def __init__(self, graph: Graph, reverse: bool = False) -> None:
        self.graph = graph
        self.reverse = reverse

    def __len__(self) -> int:
        return self.graph._len

    def __iter__(self) -> Iterator[Node]:
        root = self.graph._root
        step = "_prev" if self.reverse else "_next"
        cur = getattr(root, step)
        while cur is not root:
            following = getattr(cur, step)
            if not cur._erased:
                yield cur
            cur = following

    def __reversed__(self) -> _NodeList:
        return _NodeList(self.graph, not self.reverse)


class Graph:
    """The nodes of an FX program, in execution order; `str(graph)` prints them one a line."""

    def __init__(self, owning_module: Any | None = None, tracer_cls: type | None = None) -> None:
        self._root = Node(self, "", "root", "", (), {})
        self._used_names: dict[str, int] = {}
        self._insert: Callable[[Node], None] = self._root.prepend
        self._len = 0
        self._graph_namespace = Namespace()
        self._owning_module = owning_module
        self._tracer_cls = tracer_cls
        self._codegen = _codegen.CodeGen()

    def __getstate__(self) -> dict[str, Any]:
        # the owning module pickles the graph, not the other way round
        return {k: v for k, v in self.__dict__.items() if k not in ("_owning_module", "_insert")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._owning_module = None
        self._insert = self._root.prepend

    @property
    def owning_module(self) -> Any | None:
        return self._owning_module

    @owning_module.setter
    def owning_module(self, module: Any | None) -> None:
        self._owning_module = module

    @property
    def nodes(self) -> _NodeList:
        return _NodeList(self)

    @property
    def output_node(self) -> Node:
        return next(iter(reversed(self.nodes)))

    def find_nodes(self, *, op: str, target: Any | None = None, sort: bool = True) -> list[Node]:
        return [n for n in self.nodes if n.op == op and (target is None or n.target == target)]

    # ---- making nodes -------------------------------------------------------------------------
    def create_node(self, op: str, target: Any, args: tuple[Any, ...] | None = None,
                    kwargs: dict[str, Any] | None = None, name: str | None = None,
                    type_expr: Any | None = None) -> Node:
        """Make a node and insert it at the current insert point."""
        args = () if not args else args
        kwargs = {} if not kwargs else kwargs
        if not isinstance(args, tuple):
            raise AssertionError(f"args must be a tuple, got {type(args)}")  # noqa: TRY004  (PyTorch's type)
        if not isinstance(kwargs, dict):
            raise AssertionError(f"kwargs must be a dict, got {type(kwargs)}")  # noqa: TRY004  (PyTorch's type)
        candidate = name if name is not None else self._target_to_str(target)
        node = Node(self, self._graph_namespace.create_name(candidate, None), op, target, args, kwargs, type_expr)
        self._graph_namespace._obj_to_name[node] = node.name
        self._insert(node)
        self._len += 1
        return node

    @staticmethod
    def _target_to_str(target: Any) -> str:
        if callable(target):
            op = target.__name__
        else:
            op = target
            if op.startswith("__") and op.endswith("__") and len(op) > 4:
                op = op[2:-2]
        return snake_case(op)

    def placeholder(self, name: str, type_expr: Any | None = None,
                    default_value: Any = inspect.Signature.empty) -> Node:
        args = () if default_value is inspect.Signature.empty else (default_value,)
        return self.create_node("placeholder", name, args=args, type_expr=type_expr)

    def get_attr(self, qualified_name: str, type_expr: Any | None = None) -> Node:
        module = self.owning_module
        if module is not None and not _has_qualified_attr(module, qualified_name):
            warnings.warn("Attempted to insert a get_attr Node with no underlying reference in the owning "
                          "GraphModule! Call GraphModule.add_submodule to add the necessary submodule, "
                          "GraphModule.add_parameter to add the necessary Parameter, or nn.Module.register_buffer "
                          "to add the necessary buffer", stacklevel=2)
        return self.create_node("get_attr", qualified_name, type_expr=type_expr)

    def call_module(self, module_name: str, args: tuple[Any, ...] | None = None,
                    kwargs: dict[str, Any] | None = None, type_expr: Any | None = None) -> Node:
        module = self.owning_module
        if module is not None and not _has_qualified_attr(module, module_name):
            warnings.warn("Attempted to insert a call_module Node with no underlying reference in the owning "
                          "GraphModule! Call GraphModule.add_submodule to add the necessary submodule", stacklevel=2)
        return self.create_node("call_module", module_name, args, kwargs, type_expr=type_expr)

    def call_method(self, method_name: str, args: tuple[Any, ...] | None = None,
                    kwargs: dict[str, Any] | None = None, type_expr: Any | None = None) -> Node:
        return self.create_node("call_method", method_name, args, kwargs, type_expr=type_expr)

    def call_function(self, the_function: Callable[..., Any], args: tuple[Any, ...] | None = None,
                      kwargs: dict[str, Any] | None = None, type_expr: Any | None = None) -> Node:
        return self.create_node("call_function", the_function, args, kwargs, type_expr=type_expr)

    def output(self, result: Any, type_expr: Any | None = None) -> Node:
        return self.create_node("output", "output", (result,), type_expr=type_expr)

    def node_copy(self, node: Node, arg_transform: Callable[[Node], Any] = lambda x: x) -> Node:
        """Copy `node` (from any graph) into this one, its inputs mapped by `arg_transform`."""
        args = map_arg(node.args, arg_transform)
        kwargs = map_arg(node.kwargs, arg_transform)
        result = self.create_node(node.op, node.target, args, kwargs, node.name, node.type)
        result.meta = copy.copy(node.meta)
        return result

    def graph_copy(self, g: Graph, val_map: dict[Node, Node], return_output_node: bool = False) -> Any:
        """Copy every node of `g` but its output into this graph; returns the output value."""
        for node in g.nodes:
            if node in val_map:
                continue
            if node.op == "output":
                result = map_arg(node.args[0], lambda n: val_map[n])
                return (result, node) if return_output_node else result
            val_map[node] = self.node_copy(node, lambda n: val_map[n])
        return None

    def __deepcopy__(self, memo: dict[int, Any]) -> Graph:
        g = Graph(tracer_cls=self._tracer_cls)
        g._codegen = copy.deepcopy(self._codegen, memo)
        output_vals = g.graph_copy(self, val_map={}, return_output_node=True)
        if output_vals is not None:
            value, old_output = output_vals
            g.output(value, type_expr=getattr(old_output, "type", None))
        return g

    # ---- moving and erasing -------------------------------------------------------------------
    def inserting_before(self, n: Node | None = None) -> contextlib.AbstractContextManager[None]:
        """New nodes go just before `n` (at the start of the graph when None) inside the block."""
        if n is None:
            return self.inserting_after(self._root)
        if n.graph is not self:
            raise AssertionError("Node to insert before is not in graph.")
        return self._inserting_with(n.prepend)

    def inserting_after(self, n: Node | None = None) -> contextlib.AbstractContextManager[None]:
        """New nodes go just after `n` (at the end of the graph when None) inside the block."""
        if n is None:
            return self.inserting_before(self._root)
        if n.graph is not self:
            raise AssertionError("Node to insert after is not in graph.")
        return self._inserting_with(n.append)

    @contextlib.contextmanager
    def _inserting_with(self, insert: Callable[[Node], None]) -> Iterator[None]:
        saved, self._insert = self._insert, insert
        try:
            yield
        finally:
            self._insert = saved

    def erase_node(self, to_erase: Node) -> None:
        if to_erase.users:
            raise RuntimeError(f"Tried to erase Node {to_erase} but it still had {len(to_erase.users)} "
                               f"users in the graph: {to_erase.users}!")
        if to_erase.graph is not self:
            raise RuntimeError(f"Attempting to remove {to_erase} from wrong graph!")
        if to_erase._erased:
            warnings.warn(f"erase_node({to_erase}) on an already erased node", stacklevel=2)
            return
        to_erase._remove_from_list()
        to_erase._erased = True
        self._len -= 1
        to_erase._update_args_kwargs(map_arg(to_erase._args, lambda n: None),
                                     map_arg(to_erase._kwargs, lambda n: None))

    def eliminate_dead_code(self, is_impure_node: Callable[[Node], bool] | None = None) -> bool:
        """Erase the nodes without users and without side effects; True when any went."""
        self.lint()
        impure = is_impure_node or (lambda node: node.is_impure())
        changed = False
        for node in reversed(self.nodes):
            if not impure(node) and not node.users:
                self.erase_node(node)
                changed = True
        return changed

    # ---- checks and text ----------------------------------------------------------------------
    def lint(self) -> None:
        """Check that every node belongs here, reads only earlier nodes, and names are unique."""
        seen_values: set[Node] = set()
        seen_names: set[str] = set()
        for node in self.nodes:
            if node.op not in ("placeholder", "call_method", "call_module", "call_function", "get_attr", "output"):
                raise RuntimeError(f"Node {node} had unknown opcode {node.op}!")
            if node.graph is not self:
                raise RuntimeError(f"Node '{node}' does not belong to this Graph!")
            for arg in node._input_nodes:
                context = f" of Node '{node}' "
                if arg.graph is not self:
                    raise RuntimeError(f"Argument '{arg}'{context}does not belong to this Graph, but was used as an "
                                       "argument! If you are copying nodes from another graph, make sure to use "
                                       f"``arg_transform`` on node_copy() to remap values\n{self}")
                if arg not in seen_values:
                    raise RuntimeError(f"Argument '{arg}'{context}was used before it has been defined! Please check "
                                       f"that Nodes in the graph are topologically ordered\n{self}")
            if node.name in seen_names:
                raise RuntimeError(f"Node redefined name {node.name}!")
            seen_values.add(node)
            seen_names.add(node.name)
        if self.owning_module is not None:
            for node in self.nodes:
                if node.op in ("get_attr", "call_module") and not _has_qualified_attr(self.owning_module, node.target):
                    raise RuntimeError(f"Node {node} target {node.target} references nonexistent attribute "
                                       f"{node.target.split('.')[-1]} of {type(self.owning_module).__name__}")

    def python_code(self, root_module: str, *, verbose: bool = False, include_stride: bool = False,
                    include_device: bool = False, colored: bool = False) -> _codegen.PythonCode:
        """The graph's source as a `forward` whose `self` is `root_module`, and its globals.

        Args:
            root_module: the name the code uses for the module (`"self"`).
            verbose: also write, above the lines of each node, where it was traced from.
            include_stride: accepted (the types of traced nodes carry no strides here).
            include_device: accepted (the types of traced nodes carry no devices here).
            colored: accepted (no colors are written).
        """
        return _codegen.python_code(list(self.nodes), root_module, self._codegen, verbose=verbose)

    def set_codegen(self, codegen: _codegen.CodeGen) -> None:
        """Generate this graph's code with `codegen` (a `CodeGen`)."""
        self._codegen = codegen

    def process_inputs(self, *args: Any) -> Any:
        """The arguments as the placeholders take them (the codegen's `process_inputs`)."""
        return self._codegen.process_inputs(*args)

    def process_outputs(self, out: Any) -> Any:
        """The output as the caller gets it (the codegen's `process_outputs`)."""
        return self._codegen.process_outputs(out)

    def print_tabular(self) -> None:
        try:
            tabulate = importlib.import_module("tabulate").tabulate
        except ImportError:
            print("`print_tabular` relies on the library `tabulate`, which could not be found on this machine. "
                  "Run `pip install tabulate` to install the library.")
            raise
        node_specs = [[n.op, n.name, n.target, n.args, n.kwargs] for n in self.nodes]
        print(tabulate(node_specs, headers=["opcode", "name", "target", "args", "kwargs"]))

    def __str__(self) -> str:
        # PyTorch passes an empty list, so the placeholders print as nodes and the signature stays "()"
        placeholder_names: list[str] = []
        node_strs = [node.format_node(placeholder_names) for node in self.nodes]
        text = f"graph({', '.join(placeholder_names)}):"
        return text + "".join("\n    " + s for s in node_strs if s)


def _has_qualified_attr(module: Any, qualified_name: str) -> bool:
    for atom in qualified_name.split("."):
        if not hasattr(module, atom):
            return False
        module = getattr(module, atom)
    return True
