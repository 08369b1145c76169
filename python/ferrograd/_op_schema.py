"""Operator schemas as PyTorch writes them (`ns::name(Tensor x, *, float alpha=1.) -> Tensor`):
parsing `Library.define`'s text, inferring one from a typed Python function (`custom_op`),
and binding a call's arguments to it with PyTorch's errors."""

from __future__ import annotations

import dataclasses
import inspect
import re
import types
import typing
from collections.abc import Callable, Sequence

from ._core import Tensor

_TYPE_CHECKS = {
    "Tensor": lambda v: isinstance(v, Tensor),
    "SymInt": lambda v: isinstance(v, int),
    "int": lambda v: isinstance(v, int),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "Scalar": lambda v: isinstance(v, (int, float, bool, complex)),
}
_PYTHON_NAMES = {"Tensor": "Tensor", "SymInt": "int", "int": "int", "float": "float", "bool": "bool",
                 "str": "str", "Scalar": "number"}


@dataclasses.dataclass(frozen=True)
class Argument:
    """One argument: its schema type ('Tensor?', 'SymInt[]'), name, default text and
    whether it is keyword-only or written to."""

    type: str
    name: str
    default: str | None = None
    kwarg_only: bool = False
    alias: str | None = None  # 'a1!' for a mutated tensor

    def accepts(self, value) -> bool:
        kind = self.type
        if kind.endswith("?"):
            if value is None:
                return True
            kind = kind[:-1]
        if kind.endswith("[]"):
            return isinstance(value, (list, tuple)) and all(_TYPE_CHECKS[kind[:-2]](v) for v in value)
        return _TYPE_CHECKS[kind](value)

    def __str__(self) -> str:
        kind = self.type if self.alias is None else self.type.replace("Tensor", f"Tensor({self.alias})", 1)
        return f"{kind} {self.name}" + (f"={self.default}" if self.default is not None else "")


@dataclasses.dataclass(frozen=True)
class Schema:
    """An operator's name, arguments and return types."""

    name: str
    arguments: tuple[Argument, ...]
    returns: tuple[str, ...]

    def __str__(self) -> str:
        args, star = [], False
        for a in self.arguments:
            if a.kwarg_only and not star:
                args.append("*")
                star = True
            args.append(str(a))
        if len(self.returns) == 1:
            rets = self.returns[0]
        else:
            rets = "(" + ", ".join(self.returns) + ")"
        return f"{self.name}({', '.join(args)}) -> {rets}"

    def bind(self, args: tuple, kwargs: dict) -> list:
        """The call's values in schema order (defaults filled), checked by type."""
        positional = [a for a in self.arguments if not a.kwarg_only]
        if len(args) > len(positional):
            if len(positional) < len(self.arguments):
                raise RuntimeError(f"{self.name}() takes {len(positional)} positional argument(s) but {len(args)} "
                                   f"was/were given.  Declaration: {self}")
            raise RuntimeError(f"{self.name}() expected at most {len(positional)} argument(s) but received "
                               f"{len(args)} argument(s). Declaration: {self}")
        values = []
        for i, arg in enumerate(self.arguments):
            if i < len(args):
                value = args[i]
            elif arg.name in kwargs:
                value = kwargs[arg.name]
            elif arg.default is not None:
                value = _default_value(arg.default)
            else:
                raise RuntimeError(f"{self.name}() is missing value for argument '{arg.name}'. Declaration: {self}")
            if not arg.accepts(value):
                raise RuntimeError(
                    f"{self.name}() Expected a value of type '{_PYTHON_NAMES.get(arg.type.rstrip('?[]'), arg.type)}' "
                    f"for argument '{arg.name}' but instead found type '{type(value).__name__}'.\n"
                    f"Position: {i}\nValue: {value!r}\nDeclaration: {self}")
            values.append(value)
        unknown = set(kwargs) - {a.name for a in self.arguments}
        if unknown:
            raise RuntimeError(f"Unknown keyword argument '{min(unknown)}' for operator '{self.name}'. "
                               f"Schema: {self}")
        return values


def _default_value(text: str):
    constants = {"None": None, "True": True, "False": False}
    if text in constants:
        return constants[text]
    try:
        return int(text)
    except ValueError:
        return float(text)


_ARGUMENT = re.compile(r"^(?P<type>Tensor|SymInt|int|float|bool|str|Scalar)(?:\((?P<alias>[a-z0-9]+!?)\))?"
                       r"(?P<suffix>\[\]|\?)?\s+(?P<name>[A-Za-z_]\w*)(?:\s*=\s*(?P<default>\S+))?$")
_NAME = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$")


def parse(ns: str, text: str) -> Schema:
    """The schema `Library.define` is given, such as 'add1(Tensor x, *, float k=1.) -> Tensor'."""
    match = re.fullmatch(r"\s*([^(\s]+)\s*\((.*)\)\s*->\s*(.+?)\s*", text)
    if match is None or not _NAME.match(match.group(1)):
        raise RuntimeError(f"Invalid operator schema: {text!r}")
    name, params, returns = match.groups()
    arguments, kwarg_only = [], False
    for piece in (p.strip() for p in params.split(",") if p.strip()):
        if piece == "*":
            kwarg_only = True
            continue
        m = _ARGUMENT.match(piece)
        if m is None:
            raise RuntimeError(f"Invalid argument {piece!r} in operator schema: {text!r}")
        arguments.append(Argument(m["type"] + (m["suffix"] or ""), m["name"], m["default"], kwarg_only, m["alias"]))
    rets = returns.strip()
    rets_tuple = tuple(r.strip() for r in rets[1:-1].split(",") if r.strip()) if rets.startswith("(") else (rets,)
    return Schema(f"{ns}::{name}", tuple(arguments), rets_tuple)


# Python annotation -> schema type, for custom_op's schema inference
def _annotation_types() -> dict:
    # `X | None` equals (and hashes as) typing.Optional[X], so one entry serves both spellings
    table: dict = {Tensor: "Tensor", int: "SymInt", float: "float", bool: "bool", str: "str",
                   int | float | bool: "Scalar"}
    for py, name in [(Tensor, "Tensor"), (int, "SymInt"), (float, "float"), (bool, "bool")]:
        table[py | None] = name + "?"
        for seq in (typing.Sequence, typing.List, Sequence, list):  # noqa: UP006 (spellings users write)
            table[seq[py]] = name + "[]"
    return table


_ARGUMENT_TYPES = _annotation_types()
_RETURN_TYPES = {Tensor: "Tensor", list[Tensor]: "Tensor[]", typing.List[Tensor]: "Tensor[]", int: "SymInt",  # noqa: UP006
                 float: "float", bool: "bool"}


def infer(qualname: str, fn, mutates_args) -> Schema:
    """The schema of a typed Python function, as `custom_op` infers it."""
    sig = inspect.signature(fn)

    def fail(what: str) -> typing.NoReturn:
        raise ValueError(f"infer_schema(func): {what} Got func with signature {sig})")

    arguments: list[Argument] = []
    for p in sig.parameters.values():
        if p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
            fail("We do not support positional-only args, varargs, or varkwargs.")
        if p.annotation is inspect.Parameter.empty:
            fail(f"Parameter {p.name} must have a type annotation.")
        kind = _ARGUMENT_TYPES.get(_resolved(p.annotation, fn))
        if kind is None:
            fail(f"Parameter {p.name} has unsupported type {p.annotation}.")
        default = None if p.default is inspect.Parameter.empty else _default_text(p.default)
        mutated = mutates_args == "unknown" or p.name in mutates_args
        alias = f"a{len(arguments)}!" if mutated and kind.startswith("Tensor") else None
        arguments.append(Argument(kind, p.name, default, p.kind == p.KEYWORD_ONLY, alias))
    if mutates_args != "unknown":
        missing = set(mutates_args) - set(sig.parameters)
        if missing:
            fail(f"{missing} in mutates_args were not found in the custom op's signature. mutates_args should "
                 "contain the names of all args that the custom op mutates, or just the string 'unknown' if you "
                 "don't know.")
    return Schema(qualname, tuple(arguments), _returns(sig.return_annotation, fn, fail))


def _resolved(annotation, fn):
    if isinstance(annotation, str):  # `from __future__ import annotations`
        return eval(annotation, fn.__globals__)
    return annotation


def _default_text(value) -> str:
    if value is None or isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value).rstrip("0") if "." in repr(value) else repr(value)
    return repr(value)


def _returns(annotation, fn, fail: Callable[[str], typing.NoReturn]) -> tuple[str, ...]:
    if annotation is inspect.Signature.empty:
        fail("No return type annotation was provided. Please add one.")
    annotation = _resolved(annotation, fn)
    if annotation is None or annotation is type(None):
        return ()
    if typing.get_origin(annotation) is tuple or isinstance(annotation, types.GenericAlias) and annotation.__origin__ is tuple:
        parts = typing.get_args(annotation)
    else:
        parts = (annotation,)
    out = []
    for part in parts:
        kind = _RETURN_TYPES.get(part)
        if kind is None:
            fail(f"Return has unsupported type {annotation}.")
        out.append(kind)
    return tuple(out)
