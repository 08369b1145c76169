"""Python source for a `Graph`, as PyTorch's `CodeGen` writes it: one line per node, each
value dropped (`x = None`) after its last use, operators written as operators."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ._names import Namespace, is_from_ferrograd, qualified_name
from .node import Node, type_repr

_REFLECTABLE = {
    "add": "{} + {}", "sub": "{} - {}", "mul": "{} * {}", "floordiv": "{} // {}", "truediv": "{} / {}",
    "div": "{} / {}", "mod": "{} % {}", "pow": "{} ** {}", "lshift": "{} << {}", "rshift": "{} >> {}",
    "and_": "{} & {}", "or_": "{} | {}", "xor": "{} ^ {}", "getitem": "{}[{}]", "matmul": "{} @ {}",
}
MAGIC_METHODS = {
    "eq": "{} == {}", "ne": "{} != {}", "lt": "{} < {}", "gt": "{} > {}", "le": "{} <= {}", "ge": "{} >= {}",
    "pos": "+{}", "neg": "-{}", "invert": "~{}", **_REFLECTABLE,
}
REFLECTABLE_MAGIC_METHODS = _REFLECTABLE
INPLACE_METHODS = {
    "iadd": "{} += {}", "iand": "{} &= {}", "ifloordiv": "{} //= {}", "ilshift": "{} <<= {}", "imod": "{} %= {}",
    "imul": "{} *= {}", "imatmul": "{} @= {}", "ior": "{} |= {}", "ipow": "{} **= {}", "irshift": "{} >>= {}",
    "isub": "{} -= {}", "itruediv": "{} /= {}", "ixor": "{} ^= {}", "setitem": "{}[{}] = {}",
}


def _custom_builtins() -> dict[str, Any]:
    import ferrograd

    return {"inf": math.inf, "nan": math.nan, "NoneType": type(None), "ferrograd": ferrograd,
            "device": ferrograd.device}


@dataclass
class PythonCode:
    """The source of a graph's function and the globals it runs with."""

    src: str
    globals: dict[str, Any] = field(default_factory=dict)


def format_target(base: str, target: str) -> str:
    """`self.a.b`, with `getattr(..., "0")` for parts that are not identifiers."""
    out = base
    for part in target.split("."):
        out = f"{out}.{part}" if part.isidentifier() else f'getattr({out}, "{part}")'
    return out


def _is_operator(target: Any, table: dict[str, str]) -> bool:
    return getattr(target, "__module__", "") == "_operator" and target.__name__ in table


class _Writer:
    def __init__(self, nodes: list[Node], root_module: str) -> None:
        self.nodes = nodes
        self.root_module = root_module
        self.namespace = Namespace()
        self.globals: dict[str, Any] = {}
        self.wrapped: dict[str, None] = {}
        self.free_vars: list[str] = []
        self.body: list[str] = []
        self.return_annotation = ""
        for name, obj in _custom_builtins().items():
            self.add_global(name, obj)

    def name(self, node: Node) -> str:
        return self.namespace.create_name(node.name, node)

    def add_global(self, name_hint: str, obj: Any) -> str:
        from .. import device

        if obj is not device and callable(obj) and is_from_ferrograd(obj):
            return qualified_name(obj)
        name = self.namespace.create_name(name_hint, obj)
        self.globals.setdefault(name, obj)
        return name

    def type_repr(self, o: Any) -> str:
        return "()" if o == () else self.add_global(type_repr(o), o)

    def repr(self, arg: Any) -> str:
        if isinstance(arg, Node):
            return self.name(arg)
        if isinstance(arg, tuple) and hasattr(arg, "_fields"):
            return f"{self.add_global(qualified_name(type(arg)), type(arg))}{self.repr(tuple(arg))}"
        from .. import Tensor

        if isinstance(arg, Tensor):
            return f"ferrograd.Tensor(size={list(arg.size())}, dtype={str(arg.dtype).split('.')[-1]})"
        if isinstance(arg, tuple):
            return f"({self.repr(arg[0])},)" if len(arg) == 1 else "(" + ", ".join(self.repr(a) for a in arg) + ")"
        if isinstance(arg, list):
            return "[" + ", ".join(self.repr(a) for a in arg) + "]"
        if isinstance(arg, slice):
            return f"slice({self.repr(arg.start)}, {self.repr(arg.stop)}, {self.repr(arg.step)})"
        return repr(arg)

    def format_args(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
        return ", ".join([self.repr(a) for a in args] + [f"{k} = {self.repr(v)}" for k, v in kwargs.items()])

    def emit(self, node: Node) -> None:
        annotation = "" if node.type is None else f" : {self.type_repr(node.type)}"
        lhs = self.name(node) + annotation
        if node.op == "placeholder":
            default = "" if not node.args else f" = {self.repr(node.args[0])}"
            self.free_vars.append(f"{node.target}{annotation}{default}")
            raw_name = node.target.replace("*", "")
            if raw_name != self.name(node):
                self.body.append(f"{self.name(node)} = {raw_name}\n")
            return
        if node.op == "call_method":
            self.body.append(f"{lhs} = {format_target(self.repr(node.args[0]), node.target)}"
                             f"({self.format_args(node.args[1:], node.kwargs)})")
        elif node.op == "call_function":
            self.body.append(self._call_function(node, lhs))
        elif node.op == "call_module":
            self.body.append(f"{lhs} = {format_target(self.root_module, node.target)}"
                             f"({self.format_args(node.args, node.kwargs)})")
        elif node.op == "get_attr":
            self.body.append(f"{lhs} = {format_target(self.root_module, node.target)}")
        elif node.op == "output":
            if node.type is not None:
                self.return_annotation = f" -> {self.type_repr(node.type)}"
            self.body.append(f"return {self.repr(node.args[0])}")
        else:
            raise NotImplementedError(f"node: {node.op} {node.target}")

    def _call_function(self, node: Node, lhs: str) -> str:
        target = node.target
        if _is_operator(target, MAGIC_METHODS):
            return f"{lhs} = {MAGIC_METHODS[target.__name__].format(*(self.repr(a) for a in node.args))}"
        if _is_operator(target, INPLACE_METHODS):
            statement = INPLACE_METHODS[target.__name__].format(*(self.repr(a) for a in node.args))
            return f"{statement};  {lhs} = {self.repr(node.args[0])}"
        global_name = self.add_global(qualified_name(target), target)
        if (global_name == "getattr" and len(node.args) == 2 and isinstance(node.args[1], str)
                and node.args[1].isidentifier()):
            return f"{lhs} = {format_target(self.repr(node.args[0]), node.args[1])}"
        if node.meta.get("is_wrapped", False):
            self.wrapped.setdefault(global_name)
        return f"{lhs} = {global_name}({self.format_args(node.args, node.kwargs)})"

    def write(self) -> PythonCode:
        last_uses: dict[Node, list[Node]] = {}
        seen: set[Node] = set()
        for node in reversed(self.nodes):
            for input_node in node._input_nodes:
                if input_node not in seen:
                    seen.add(input_node)
                    last_uses.setdefault(node, []).append(input_node)
        for node in self.nodes:
            self.emit(node)
            if node.op == "placeholder":
                continue
            if node.op == "output":
                self.body.append("\n")
                continue
            to_delete = list(last_uses.get(node, []))
            if not node.users:
                to_delete.append(node)
            self.body.append(f";  {' = '.join([self.name(n) for n in to_delete] + ['None'])}\n" if to_delete
                             else "\n")
        if not self.body:
            self.body.append("pass\n")
        wrap_stmts = ""
        if self.wrapped:
            from ._symbolic_trace import wrap

            wrap_name = self.add_global("wrap", wrap)
            wrap_stmts = "\n".join(f'{wrap_name}("{name}")' for name in self.wrapped)
        if not self.free_vars or self.free_vars[0] != "self":
            self.free_vars.insert(0, "self")
        prologue = f"def forward({', '.join(self.free_vars)}){self.return_annotation}:"
        code = "".join(self.body).lstrip("\n")
        code = "\n".join("    " + line for line in code.split("\n"))
        return PythonCode(f"\n{wrap_stmts}\n\n{prologue}\n{code}", self.globals)


def python_code(nodes: list[Node], root_module: str) -> PythonCode:
    return _Writer(nodes, root_module).write()
