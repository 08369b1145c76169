"""PyTorch's argument-parser TypeErrors, decided from its signatures.

PyTorch checks every argument's type against each overload of a C-bound function before
the op runs; when no overload takes the call it raises TypeError (`x.std(correction='a')`,
`torch.einsum(1, x)`). Here the ops check as they go, so a call with a wrongly typed
argument can fail later with another exception. `parser_error` replays PyTorch's check
from the signatures in `_torch_signatures` (generated from PyTorch's stubs); it runs only
after a call failed, so a good call pays nothing for it.
"""

from __future__ import annotations

import functools
from typing import Any

from ._argcheck import INT64_OVERFLOW, fits_int64, type_name
from ._core import Tensor
from ._core import bool as dtype_bool
from ._core import dtype as dtype_
from ._numpy import is_numpy_scalar, np
from ._quantized_dtypes import QuantizedDtype
from ._torch_signature_names import NO_ARGUMENTS

# how PyTorch's messages name each kind
_KIND_NAMES = {
    "T": "Tensor", "I": "tuple of ints", "L": "tuple of Tensors", "F": "tuple of floats",
    "n": "Number", "f": "float", "i": "int", "b": "bool", "s": "str", "d": "torch.dtype",
    "E": "ellipsis", "N": "None", "D": "torch.device", "Y": "torch.layout",
    "M": "torch.memory_format", "G": "torch.Generator", "P": "tuple of Scalars", "R": "torch.Storage",
}
_KIND_ORDER = "TDILFPnfibsdYMGER"
_CLASS_KINDS = {"Y": "ferrograd.layout", "M": "ferrograd.memory_format", "G": "Generator"}


class _Param:
    __slots__ = ("default", "has_default", "keyword_only", "kinds", "name")

    def __init__(self, text: str) -> None:
        self.keyword_only = text.startswith("*")
        spec, equals, default = text.lstrip("*").partition("=")
        self.has_default = bool(equals)
        self.default = default  # the default as PyTorch's listing shows it, where a spec gives it
        name, _, kinds = spec.partition(":")
        self.name = name
        # an `out` tensor is optional wherever PyTorch takes it
        self.kinds = kinds + "N" if name == "out" else kinds

    def type_text(self) -> str:
        for kind in _KIND_ORDER:
            if kind in self.kinds:
                return _KIND_NAMES[kind]
        return "object"


@functools.cache
def _overloads(qualified: str) -> tuple[str, tuple[tuple[_Param, ...], ...], int] | None:
    """PyTorch's name for `qualified`, its overloads (those it lists first, then its hidden
    ones) and how many it lists."""
    from ._torch_signatures import SIGNATURES

    entry = SIGNATURES.get(qualified)
    if entry is None:
        return None
    torch_name, specs = entry
    return torch_name, *_parsed(tuple(_with_requires_grad(s) for s in specs))


def _parsed(specs: tuple[str, ...]) -> tuple[tuple[tuple[_Param, ...], ...], int]:
    overloads = tuple(tuple(_Param(p) for p in s.lstrip("|").split()) for s in specs)
    return overloads, sum(not s.startswith("|") for s in specs)


def _with_requires_grad(overload: str) -> str:
    """A factory's overload with the `requires_grad` PyTorch's parser adds to every one
    (the signatures read from operator schemas, `fft.fftfreq`'s, lack it)."""
    if "*pin_memory:" in overload and "requires_grad:" not in overload:
        return f"{overload} *requires_grad:Nb=False"
    return overload


def is_parser_int(value: Any) -> bool:
    """PyTorch's `int`: a Python or NumPy int (not a bool), or a 0-dim integer tensor
    (what has `__index__`; `tensor([1])` and a bool tensor are refused)."""
    if isinstance(value, Tensor):
        dtype = value.dtype
        return value.dim() == 0 and not (dtype.is_floating_point or dtype.is_complex or dtype == dtype_bool)
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _is_list_int(value: Any) -> bool:
    """An element of PyTorch's `tuple of ints`: an int, anything with `__index__` but a
    bool, or a one-element integer (or bool) tensor."""
    if isinstance(value, Tensor):
        dtype = value.dtype
        return value.numel() == 1 and not (dtype.is_floating_point or dtype.is_complex)
    if isinstance(value, np.ndarray):  # its `__index__` takes a 0-dim integer array only
        return value.ndim == 0 and value.dtype.kind in "iu"
    return not isinstance(value, (bool, np.bool_)) and hasattr(type(value), "__index__")


def is_parser_float(value: Any) -> bool:
    """PyTorch's `float`: a Python or NumPy real number, or a 0-dim tensor that does not
    require grad."""
    return isinstance(value, (int, float, np.integer, np.floating)) or _is_scalar_tensor(value)


def _is_scalar_tensor(value: Any) -> bool:
    return isinstance(value, Tensor) and value.dim() == 0 and not value.requires_grad


def _matches(kind: str, value: Any, sized: bool) -> bool:
    if kind == "a":
        return True
    if kind == "T":
        return isinstance(value, Tensor)
    if kind == "N":
        return value is None
    if kind == "i":
        return _is_list_int(value) if sized else is_parser_int(value)
    if kind == "f":
        return is_parser_float(value)
    if kind == "n":
        return isinstance(value, (int, float, complex, np.integer, np.floating, np.bool_)) or (
            _is_scalar_tensor(value)
        )
    if kind == "b":
        return isinstance(value, bool)  # PyTorch's parser takes no NumPy bool for a bool
    if kind == "s":
        return isinstance(value, str)
    if kind == "d":
        # by identity: `in` would compare an array elementwise
        return (isinstance(value, (dtype_, QuantizedDtype))
                or any(value is kind for kind in (int, float, bool, complex)))
    if kind == "E":
        return value is Ellipsis
    if kind == "D":
        return isinstance(value, (str, int)) or type_name(value) == "ferrograd.device"
    if kind in _CLASS_KINDS:
        return type_name(value) == _CLASS_KINDS[kind]
    if kind == "I":
        # the parser matches on the first element; unpacking the rest then refuses a
        # non-int (TypeError too), though a bool past the first reads as an int
        return isinstance(value, (tuple, list)) and (len(value) == 0 or _is_list_int(value[0])) and all(
            isinstance(v, (bool, np.bool_)) or _is_list_int(v) for v in value[1:]
        )
    if kind == "L":
        return isinstance(value, (tuple, list)) and all(v is None or isinstance(v, Tensor) for v in value)
    if kind == "F":
        # matched on the first element (a real or complex number); unpacking the rest
        # then refuses what is not a real number (`_float_list_error`)
        return isinstance(value, (tuple, list)) and (len(value) == 0 or _is_float_element(value[0], complex_ok=True))
    if kind == "P":
        return isinstance(value, (tuple, list))
    return True


def _is_float_element(value: Any, complex_ok: bool = False) -> bool:
    """An element of PyTorch's `tuple of floats`: a Python or NumPy number (a bool too)."""
    kinds = (int, float, complex, np.number, np.bool_) if complex_ok else (int, float, np.integer, np.floating, np.bool_)
    return isinstance(value, kinds)


def _takes(param: _Param, value: Any) -> bool:
    sized = "I" in param.kinds  # `int[1]`: a lone int is taken as a list
    return any(_matches(kind, value, sized) for kind in param.kinds)


class _Mismatch(Exception):
    pass


class _Thrown(Exception):
    """An error PyTorch's parser raises at once, whatever the other overloads take."""


def _bind(torch_name: str, params: tuple[_Param, ...], args: tuple, kwargs: dict) -> list[tuple[_Param, Any]]:
    """The (parameter, value) pairs of the call; raises `_Mismatch` (carrying the
    TypeError PyTorch gives for this overload alone) when the overload does not take it."""
    bound = []
    positional = [p for p in params if not p.keyword_only]
    if len(positional) == 1 and positional[0].kinds == "I" and args and (
        len(args) > 1 or _is_list_int(args[0])
    ):
        args = (tuple(args),)  # `x.view(2, 3)`: loose ints for the one int list
    if len(args) > len(positional):
        n = len(positional)
        least = sum(not p.has_default for p in params)  # a required keyword-only one counts too
        if least != n:
            raise _Mismatch(TypeError(f"{torch_name}() takes from {least} to {n} positional arguments but {len(args)} "
                                      "were given"))
        raise _Mismatch(TypeError(
            f"{torch_name}() takes {n} positional argument{'' if n == 1 else 's'} but {len(args)} "
            f"{'was' if len(args) == 1 else 'were'} given"
        ))
    unpacking: TypeError | None = None
    for position, param in enumerate(params):
        if position < len(args) and not param.keyword_only:
            value, where = args[position], f" (position {position + 1})"
        elif param.name in kwargs:
            value, where = kwargs[param.name], ""
        elif param.has_default:
            continue
        else:
            raise _Mismatch(_missing(torch_name, params[position:]))
        if param.kinds == "L" and isinstance(value, (tuple, list)):
            for k, item in enumerate(value):
                if item is not None and not isinstance(item, Tensor):
                    raise _Thrown(TypeError(f"expected Tensor as element {k} in argument {position}, but got "
                                            f"{type_name(item)}"))
        if not _takes(param, value):
            refusal = _refusal(param, value, by_keyword=not where)
            if refusal.startswith("failed"):
                # an int list whose first element matched: PyTorch picks the overload, then
                # fails to unpack it (naming no position) once every argument matched
                unpacking = unpacking or TypeError(f"{torch_name}(): argument '{param.name}' {refusal}")
                continue
            raise _Mismatch(TypeError(f"{torch_name}(): argument '{param.name}'{where} {refusal}"))
        bound.append((param, value))
    names = [p.name for p in params]
    for key in kwargs:  # PyTorch looks at the keywords left once every parameter is read
        if key not in names:
            raise _Mismatch(TypeError(f"{torch_name}() got an unexpected keyword argument '{key}'"))
        if names.index(key) < len(args):
            raise _Mismatch(TypeError(f"{torch_name}() got multiple values for argument '{key}'"))
    if unpacking is not None:
        raise _Thrown(unpacking)
    return bound


def _missing(torch_name: str, rest: tuple[_Param, ...]) -> TypeError:
    """PyTorch's TypeError for a required argument not given: it names every required
    parameter from there on, and its plural is inverted (`1 required positional arguments`)."""
    names = [f'"{p.name}"' for p in rest if not p.has_default]
    plural = "s" if len(names) == 1 else ""
    return TypeError(f"{torch_name}() missing {len(names)} required positional argument{plural}: {', '.join(names)}")


def _overflow(torch_name: str, bound: list[tuple[_Param, Any]]) -> Exception | None:
    """PyTorch's error unpacking an int past int64 once an overload took the call: a
    lone int's ValueError, an int list element's TypeError naming its place; a float
    list's element that is no real number, by its place counted from 1."""
    for param, value in bound:
        if "F" in param.kinds and isinstance(value, (tuple, list)):
            bad = next((pos for pos, v in enumerate(value, start=1) if not _is_float_element(v)), None)
            if bad is not None:
                return TypeError(f"{torch_name}(): argument '{param.name}' must be tuple of floats, but found element "
                                 f"of type {type_name(value[bad - 1])} at pos {bad}")
        if "n" in param.kinds and type(value) is int and not fits_int64(value):
            if 0 <= value < 2**64:
                continue
            # a Number past int64 is read as uint64, which these are not
            return OverflowError("can't convert negative int to unsigned" if value < 0 else "int too big to convert")
        if ("i" in param.kinds or "I" in param.kinds) and _past_int64(value):
            return ValueError(INT64_OVERFLOW)
        if "I" in param.kinds and isinstance(value, (tuple, list)):
            for pos, v in enumerate(value, start=1):
                if _past_int64(v):
                    return TypeError(f"{torch_name}(): argument '{param.name}' failed to unpack the object at pos "
                                     f"{pos} with error \"{INT64_OVERFLOW}\"")
    return None


def _past_int64(value: Any) -> bool:
    """A Python or NumPy int (`np.uint64(2**64 - 1)`) that PyTorch's int64 cannot hold."""
    return (type(value) is int or is_numpy_scalar(value)) and not fits_int64(value)


def _refusal(param: _Param, value: Any, by_keyword: bool = False) -> str:
    """PyTorch's words for what is wrong with `value` (an int list's first bad element
    by its place, which a keyword argument's message leaves out)."""
    if param.type_text() == "tuple of ints" and isinstance(value, (tuple, list)) and value:
        if not _is_list_int(value[0]):
            if by_keyword:
                return f"must be tuple of ints, not {type_name(value)}"
            return f"must be tuple of ints, but found element of type {type_name(value[0])} at pos 0"
        for pos, v in enumerate(value[1:], start=2):
            if not (isinstance(v, (bool, np.bool_)) or _is_list_int(v)):
                return (f"failed to unpack the object at pos {pos} with error "
                        f"\"type must be tuple of ints,but got {type_name(v)}\"")
    return f"must be {param.type_text()}, not {type_name(value)}"


def _signature_text(params: tuple[_Param, ...]) -> str:
    parts: list[str] = []
    for slot in _slots(params):
        if slot is None:
            parts.append("*")
        else:
            default = slot.default or ("None" if slot.name == "out" else "")
            parts.append(f"{slot.type_text()} {slot.name}" + (f" = {default}" if default else ""))
    return "(" + ", ".join(parts) + ")"


def _slots(params: tuple[_Param, ...]) -> list[_Param | None]:
    """The parameters with None for the `*` before the first keyword-only one: PyTorch
    reads its listing back split at each ", ", so the marker is a slot there too."""
    slots: list[_Param | None] = list(params)
    marker = next((i for i, p in enumerate(params) if p.keyword_only), None)
    if marker is not None:
        slots.insert(marker, None)
    return slots


# PyTorch splits an empty listing, `()`, into one nameless slot that takes nothing
_EMPTY_SLOT = _Param(":")


def _slot_name(slot: _Param | None) -> str:
    """A slot's name as PyTorch reads its listing back: the text after the last space, a
    defaulted parameter's default."""
    if slot is None:
        return "*"
    default = slot.default or ("None" if slot.name == "out" else "")
    return default if slot.has_default and default else slot.name


def _unmatched_keywords(slots: list, kwargs: dict) -> list[str]:
    """The keywords PyTorch's listing check finds no place for among the last slots."""
    names = {_slot_name(s) for s in slots[max(0, len(slots) - len(kwargs)):]}
    return [k for k in reversed(kwargs) if k not in names]


def _described(slots: list, args: tuple, kwargs: dict) -> str:
    """The arguments' types, each an ill-typed one's between `!`s (a keyword's by the
    slot at its place)."""
    shown = []
    for i in range(len(args) + len(kwargs)):
        slot = slots[i] if i < len(slots) else None
        if i < len(args):
            value, name = args[i], ""
        else:
            name = _slot_name(slot)
            value, name = kwargs[name], f"{name}="
        text = f"{name}{_type_text(value)}"
        shown.append(text if i < len(slots) and _named_type(slot, value) else f"!{text}!")
    if not args:  # as in `_got_text`
        return "(" + "".join(f"{t}, " for t in shown) + ")"
    return "(" + ", ".join(shown) + ")"


def _mismatch_line(params: tuple[_Param, ...], args: tuple, kwargs: dict) -> str:
    """PyTorch's note under an overload with as many slots as there are arguments: the
    keywords it has no place for, else the arguments, the ill-typed ones marked."""
    slots = _slots(params) or [_EMPTY_SLOT]
    if len(args) + len(kwargs) != len(slots):
        return ""
    unmatched = _unmatched_keywords(slots, kwargs)
    if unmatched:
        return f"      didn't match because some of the keywords were incorrect: {', '.join(unmatched)}\n"
    return f"      didn't match because some of the arguments have invalid types: {_described(slots, args, kwargs)}\n"


def _named_type(param: _Param | None, value: Any) -> bool:
    """That note's own test: the value's type name against the parameter's type as the
    signature prints it (a float parameter takes an int too; `Number`, an int list, a
    parameter printed with its default or the `*` take nothing)."""
    if param is None or param.has_default:
        return False
    expected, got = param.type_text(), type_name(value)
    return got in ("float", "int") if expected == "float" else got == expected


def _type_text(value: Any) -> str:
    """A value's type as that note writes it: a tuple or list with its elements' types."""
    if isinstance(value, (tuple, list)):
        inner = ", ".join(type_name(v) for v in value)
        if isinstance(value, tuple):
            return f"tuple of ({inner}{',' if len(value) == 1 else ''})"
        return f"list of [{inner}]"
    return type_name(value)


def _got_text(args: tuple, kwargs: dict) -> str:
    # PyTorch lists the keywords last given first
    named = [f"{k}={type_name(v)}" for k, v in reversed(kwargs.items())]
    if not args:  # PyTorch's wording ends each keyword with ", " when no argument is positional
        return "(" + "".join(f"{n}, " for n in named) + ")"
    return "(" + ", ".join([type_name(a) for a in args] + named) + ")"


def parser_error(qualified: str, args: tuple, kwargs: dict) -> Exception | None:
    """PyTorch's TypeError for `qualified(*args, **kwargs)` (`Tensor.std` with args
    after self, `linalg.norm`, ...) when no overload takes those argument types (its
    ValueError when one does but an int is past int64); None when one takes them all or
    the function is not one PyTorch binds in C."""
    entry = _overloads(qualified)
    if entry is None:
        return None
    if qualified.startswith("Tensor.") and qualified[7:] in NO_ARGUMENTS:
        return no_arguments_error(qualified, args, kwargs)
    return _overloads_error(*entry, args, kwargs)


def no_arguments_error(qualified: str, args: tuple, kwargs: dict) -> TypeError | None:
    """A Tensor method taking nothing is bound as Python's no-argument method, which
    words its refusal itself (keywords first), naming the class as a bound method does
    (`getattr(x, "abs")(1)`; a call `x.abs(1)` names PyTorch's base class `TensorBase`)."""
    name = qualified
    if kwargs:
        return TypeError(f"{name}() takes no keyword arguments")
    if args:
        return TypeError(f"{name}() takes no arguments ({len(args)} given)")
    return None


def float_list_error(qualified: str, args: tuple, name: str, value: Any) -> Exception | None:
    """`parser_error` for a call whose keyword `name` is a float list (`range=`), where
    that list's elements are not all real numbers; None where they are."""
    if isinstance(value, (tuple, list)) and all(_is_float_element(v) for v in value):
        return None
    return parser_error(qualified, args, {name: value})


def refusal(qualified: str, args: tuple, kwargs: dict, failure: Exception) -> Exception:
    """`parser_error`, else `failure`: for the hot functions that are not wrapped by
    `_argument_types`, whose bodies consult the parser only once they failed."""
    return parser_error(qualified, args, kwargs) or failure


def signature_error(torch_name: str, specs: tuple[str, ...], args: tuple, kwargs: dict) -> Exception | None:
    """`parser_error` for overloads given here (as `_torch_signatures` writes them): the
    kernels PyTorch's Python functions call through `_VF`, which that table lacks."""
    return _overloads_error(torch_name, *_parsed(specs), args, kwargs)


def _overloads_error(torch_name: str, overloads, shown: int, args: tuple, kwargs: dict) -> Exception | None:
    failures = []
    for params in overloads:
        try:
            bound = _bind(torch_name, params, args, kwargs)
        except _Mismatch as mismatch:
            failures.append(mismatch.args[0])
        except _Thrown as thrown:
            return thrown.args[0]
        else:
            return _overflow(torch_name, bound)
    if len(overloads) == 1:
        return failures[0]
    # PyTorch names the argument when one listed overload alone takes that many arguments
    count = len(args) + len(kwargs)
    plausible = [f for p, f in zip(overloads[:shown], failures)
                 if sum(not q.has_default for q in p) <= count <= len(p)]
    if len(plausible) == 1:
        return plausible[0]
    head = f"{torch_name}() received an invalid combination of arguments - "
    if shown == 1:
        return TypeError(head + _one_listed(overloads[0], args, kwargs))
    listing = "".join(f" * {_signature_text(p)}\n{_mismatch_line(p, args, kwargs)}" for p in overloads[:shown])
    return TypeError(f"{head}got {_got_text(args, kwargs)}, but expected one of:\n{listing}")


def _one_listed(params: tuple[_Param, ...], args: tuple, kwargs: dict) -> str:
    """PyTorch's words where it lists one overload (the others hidden)."""
    slots = _slots(params)
    unmatched = _unmatched_keywords(slots, kwargs)
    if unmatched:
        return f"got unrecognized keyword arguments: {', '.join(unmatched)}"
    matched = len(args) + len(kwargs) == len(slots)
    got = _described(slots, args, kwargs) if matched else _got_text(args, kwargs)
    return f"got {got}, but expected {_signature_text(params)}"
