"""Python source for a `Graph`, as PyTorch's `CodeGen` writes it: one line per node, each
value dropped (`x = None`) after its last use, operators written as operators."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ._names import Namespace, is_from_ferrograd, qualified_name
from ._stack_traces import summary
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

    from ..utils import _pytree as pytree
    from . import _pytree as fx_pytree

    return {"inf": math.inf, "nan": math.nan, "NoneType": type(None), "ferrograd": ferrograd,
            "device": ferrograd.device, "fx_pytree": fx_pytree, "pytree": pytree}


class _Rendered(str):
    """A value of the output as the generated code writes it (its repr is that text)."""

    def __repr__(self) -> str:
        return str(self)


class CodeGen:
    """How a graph's code begins and returns, and how its inputs and outputs are passed:
    subclass it and `Graph.set_codegen` to change them (PyTorch's `torch.fx.graph.CodeGen`)."""

    def __init__(self) -> None:
        self._func_name = "forward"

    def gen_fn_def(self, free_vars: list[str], maybe_return_annotation: str) -> str:
        """The `def` line, given the placeholders' parameter texts."""
        if not free_vars or free_vars[0] != "self":
            free_vars.insert(0, "self")
        return f"def {self._func_name}({', '.join(free_vars)}){maybe_return_annotation}:"

    def generate_output(self, output_args: Any) -> str:
        """The return statement; `output_args` is the output with each value written as
        the code writes it (its repr)."""
        return f"return {output_args!r}"

    def process_inputs(self, *args: Any) -> Any:
        """The inputs as the graph's placeholders take them (`Interpreter.run`)."""
        return args

    def process_outputs(self, outputs: Any) -> Any:
        """The output as the caller gets it (`Interpreter.run`)."""
        return outputs

    def additional_globals(self) -> list[tuple[str, Any]]:
        """Names the generated code uses beyond the graph's own."""
        return []


class _PyTreeInfo(NamedTuple):
    orig_args: list[str]
    in_spec: Any
    out_spec: Any | None


class _PyTreeCodeGen(CodeGen):
    """The code of a graph traced with pytree inputs (`concrete_args` holding `PH`s): it
    takes the original arguments, flattens them by `self._in_spec` and returns its flat
    outputs rebuilt by `self._out_spec`."""

    def __init__(self, pytree_info: _PyTreeInfo) -> None:
        super().__init__()
        self.pytree_info = pytree_info

    def process_inputs(self, *inputs: Any) -> Any:
        from ..utils._pytree import arg_tree_leaves

        return arg_tree_leaves(*inputs)

    def process_outputs(self, out: Any) -> Any:
        if self.pytree_info is None or self.pytree_info.out_spec is None:
            return out
        from ..utils._pytree import tree_unflatten

        return tree_unflatten(out if isinstance(out, (list, tuple)) else [out], self.pytree_info.out_spec)

    def gen_fn_def(self, free_vars: list[str], maybe_return_annotation: str) -> str:
        if self.pytree_info is None:
            return super().gen_fn_def(free_vars, maybe_return_annotation)
        fn_args = list(self.pytree_info.orig_args)
        if fn_args and fn_args[0] == "self":
            free_vars.insert(0, "self")
        definition = super().gen_fn_def(fn_args[:], maybe_return_annotation)
        if not free_vars:
            return definition
        in_spec = self.pytree_info.in_spec
        signature = f"[{', '.join(fn_args)}], self._in_spec"
        children = in_spec.children_specs
        if (in_spec.type is tuple and in_spec.num_children == 2 and children[0].type is tuple
                and children[1].type is dict):  # (args, kwargs)
            count = children[0].num_children
            kwargs = ", ".join(f"'{k}':{v}" for k, v in zip(children[1].context, fn_args[count:]))
            signature = f"([{', '.join(fn_args[:count])}], {{{kwargs}}}), self._in_spec"
        # `a: T, b = f()` is not Python: the annotations go on a line of their own
        annotated = [v + "; " for v in free_vars if ":" in v]
        if annotated:
            definition += "\n    " + "".join(annotated) + "\n"
        names = [v.split(":")[0] for v in free_vars]
        return definition + f"\n    {', '.join(names)}, = fx_pytree.tree_flatten_spec({signature})"

    def generate_output(self, output_args: Any) -> str:
        if self.pytree_info and self.pytree_info.out_spec:
            return f"return pytree.tree_unflatten({output_args!r}, self._out_spec)"
        return super().generate_output(output_args)


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
    def __init__(self, nodes: list[Node], root_module: str, codegen: CodeGen, verbose: bool = False) -> None:
        self.nodes = nodes
        self.root_module = root_module
        self.codegen = codegen
        self.verbose = verbose
        self.last_summary: str | None = None
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

    def _summarize(self, node: Node) -> None:
        """Where the node was traced from, above its code when that changes (PyTorch's
        verbose code)."""
        if node.op in ("placeholder", "output"):
            return
        text = f"\n# {summary(node.stack_trace) or 'No stacktrace found for following nodes'}\n"
        if text != self.last_summary:
            self.last_summary = text
            self.body.append(text)

    def _rendered(self, arg: Any) -> Any:
        """`arg` with each value (not a plain list, tuple or dict) as its text."""
        if type(arg) in (list, tuple):
            return type(arg)(self._rendered(a) for a in arg)
        if type(arg) is dict:
            return {k: self._rendered(v) for k, v in arg.items()}
        return _Rendered(self.repr(arg))

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
            self.body.append(self.codegen.generate_output(self._rendered(node.args[0])))
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
            if self.verbose:
                self._summarize(node)
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
        for name, value in self.codegen.additional_globals():
            self.add_global(name, value)
        prologue = self.codegen.gen_fn_def(self.free_vars, self.return_annotation)
        code = "".join(self.body).lstrip("\n")
        code = "\n".join("    " + line for line in code.split("\n"))
        return PythonCode(f"\n{wrap_stmts}\n\n{prologue}\n{code}", self.globals)


def python_code(nodes: list[Node], root_module: str, codegen: CodeGen | None = None,
                verbose: bool = False) -> PythonCode:
    return _Writer(nodes, root_module, CodeGen() if codegen is None else codegen, verbose).write()
