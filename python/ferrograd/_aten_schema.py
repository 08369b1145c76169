"""The argument check PyTorch's `torch.ops.aten` operators make before their kernel runs:
each value matched against the operator's schema (`aten::slice.Tensor(Tensor(a) self,
int dim=0, ...)`), with PyTorch's messages for a value of the wrong kind, a missing or
unknown argument, and, for a packet of several overloads, the refusal of each.

A non-optional Tensor argument given None passes the match, as in PyTorch, and is refused
afterwards as the undefined tensor it stands for.
"""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass
from typing import Any

from ._core import Tensor, dtype

_INT64 = (-(2**63), 2**63 - 1)
_OPAQUE = ("Unable to cast Python instance of type {cls} to C++ type '?' (#define "
           "PYBIND11_DETAILED_ERROR_MESSAGES or compile in debug mode for details)")
_PYTHON_NAMES = {"Tensor": "Tensor", "int": "int", "SymInt": "int", "float": "float", "bool": "bool",
                 "ScalarType": "int", "str": "str"}


@dataclass(frozen=True)
class Argument:
    name: str
    base: str  # Tensor, int, SymInt, float, bool, ScalarType, str
    optional: bool
    is_list: bool
    size: int | None  # int[2]: 2
    has_default: bool
    kwarg_only: bool

    def python_type(self) -> str:
        text = _PYTHON_NAMES[self.base]
        text = f"List[{text}]" if self.is_list else text
        return f"Optional[{text}]" if self.optional else text


@dataclass(frozen=True)
class Schema:
    text: str
    name: str  # without the namespace and overload: 'slice'
    arguments: tuple[Argument, ...]

    def positional_count(self) -> int:
        return sum(not a.kwarg_only for a in self.arguments)


_ARGUMENT = re.compile(r"^(\w+)(\([a-z]!?\))?(\[(\d*)\])?(\?)?\s+(\w+)(=.*)?$")


def parse(text: str) -> Schema:
    """`text`, PyTorch's declaration of one overload."""
    head, _, rest = text.partition("(")
    name = head.split("::")[1].split(".")[0]
    inside = rest[: rest.rindex(") ->")]
    arguments, kwarg_only = [], False
    for part in (p.strip() for p in inside.split(",")):
        if part == "*":
            kwarg_only = True
            continue
        m = _ARGUMENT.match(part)
        if m is None:
            raise ValueError(f"unreadable schema argument {part!r}")
        base, _alias, brackets, size, question, arg_name, default = m.groups()
        arguments.append(Argument(arg_name, base, question is not None, brackets is not None,
                                  int(size) if size else None, default is not None, kwarg_only))
    return Schema(text, name, tuple(arguments))


class Refusal(Exception):
    """One schema's refusal of the call (its text is PyTorch's for that schema alone)."""


def _is_int(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, Tensor):
        return value.numel() == 1 and not value.dtype.is_floating_point and not value.dtype.is_complex
    if isinstance(value, int) or hasattr(value, "__index__") and not isinstance(value, (float, complex, str)):
        try:
            number = int(value.__index__())
        except (TypeError, ValueError):
            return False
        return _INT64[0] <= number <= _INT64[1]
    return False


def _is_float(value: Any) -> bool:
    if isinstance(value, Tensor):
        return value.numel() == 1 and not value.dtype.is_complex
    return isinstance(value, numbers.Real)


def _is_bool(value: Any) -> bool:
    if isinstance(value, Tensor):
        return value.numel() == 1
    return isinstance(value, numbers.Real)


def _fits_one(arg: Argument, value: Any) -> bool:
    if arg.base == "Tensor":
        return isinstance(value, Tensor)
    if arg.base in ("int", "SymInt"):
        return _is_int(value)
    if arg.base == "float":
        return _is_float(value)
    if arg.base == "bool":
        return _is_bool(value)
    if arg.base == "ScalarType":
        return isinstance(value, dtype) or isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


def _refusal(schema: Schema, arg: Argument, position: int, value: Any) -> str:
    """Why `value` cannot be `arg` (None when it can)."""
    if value is None and (arg.optional or arg.base == "Tensor" and not arg.is_list):
        return ""
    details = ""
    if arg.is_list:
        if arg.base == "int" and arg.size is not None and _is_int(value):
            return ""  # int[2] takes one int for both
        if not isinstance(value, (list, tuple)) and arg.base == "int" and arg.size is not None:
            details = "Cast error details: " + _OPAQUE.format(cls=type(value))
        elif not isinstance(value, (list, tuple)):
            details = f" Python error details: TypeError: '{type(value).__name__}' object is not iterable"
        else:
            bad = next((v for v in value if not _fits_one(arg, v)), _NO_BAD)
            if bad is _NO_BAD:
                return ""
            details = "Cast error details: " + _OPAQUE.format(cls=type(bad))
    elif _fits_one(arg, value):
        return ""
    elif arg.base == "Tensor":
        details = f"Cast error details: Unable to cast {value} to Tensor"
    else:
        details = "Cast error details: " + _OPAQUE.format(cls=type(value))
    return (f"aten::{schema.name}() Expected a value of type '{arg.python_type()}' for argument '{arg.name}' "
            f"but instead found type '{type(value).__name__}'.\nPosition: {position}\nValue: {value!r}\n"
            f"Declaration: {schema.text}\n{details}")


_NO_BAD = object()


def match(schema: Schema, args: tuple, kwargs: dict) -> None:
    """Raises Refusal unless the call fits `schema`."""
    arguments = schema.arguments
    if len(args) + len(kwargs) > len(arguments):
        raise Refusal(f"aten::{schema.name}() expected at most {len(arguments)} argument(s) but received "
                      f"{len(args) + len(kwargs)} argument(s). Declaration: {schema.text}")
    if len(args) > schema.positional_count():
        raise Refusal(f"aten::{schema.name}() takes {schema.positional_count()} positional argument(s) but "
                      f"{len(args)} was/were given.  Declaration: {schema.text}")
    for position, arg in enumerate(arguments):
        if position < len(args):
            if arg.name in kwargs:
                raise Refusal(f"Argument '{arg.name}' specified both as positional and keyword argument. "
                              f"Schema: {schema.text}")
            value = args[position]
        elif arg.name in kwargs:
            value = kwargs[arg.name]
        elif arg.has_default:
            continue
        else:
            raise Refusal(f"aten::{schema.name}() is missing value for argument '{arg.name}'. "
                          f"Declaration: {schema.text}")
        text = _refusal(schema, arg, position, value)
        if text:
            raise Refusal(text)
    names = {a.name for a in arguments}
    for key in kwargs:
        if key not in names:
            raise Refusal(f"Unknown keyword argument '{key}' for operator 'aten::{schema.name}'. "
                          f"Schema: {schema.text}")


def refuse_undefined(schema: Schema, args: tuple, kwargs: dict) -> None:
    """PyTorch's kernels refuse None where a Tensor is required (the undefined tensor)."""
    for position, arg in enumerate(schema.arguments):
        if arg.base != "Tensor" or arg.optional or arg.is_list:
            continue
        value = args[position] if position < len(args) else kwargs.get(arg.name, _NO_BAD)
        if value is None:
            raise RuntimeError(f"Expected a proper Tensor but got None (or an undefined Tensor in C++) for "
                               f"argument #{position} '{arg.name}'")


def check_overload(schema: Schema, args: tuple, kwargs: dict) -> None:
    """The check of a call of one overload (`aten.slice.Tensor(...)`)."""
    try:
        match(schema, args, kwargs)
    except Refusal as e:
        raise RuntimeError(str(e)) from None
    refuse_undefined(schema, args, kwargs)


def check_packet(schemas: tuple[Schema, ...], args: tuple, kwargs: dict) -> Schema:
    """The overload a call of the packet (`aten._softmax_backward_data(...)`) picks: the
    first whose schema fits; with one overload, as a call of that overload."""
    if len(schemas) == 1:
        check_overload(schemas[0], args, kwargs)
        return schemas[0]
    refusals = []
    for schema in schemas:
        try:
            match(schema, args, kwargs)
        except Refusal as e:
            refusals.append(str(e))
            continue
        refuse_undefined(schema, args, kwargs)
        return schema
    raise RuntimeError("Overloaded torch operator invoked from Python failed to match any schema:\n"
                       + "".join(text + "\n\n" for text in refusals))
