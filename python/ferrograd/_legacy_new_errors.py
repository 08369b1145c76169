"""PyTorch's TypeError when no overload of the legacy constructors (`Tensor(...)`,
`FloatTensor(...)`, its `new()`) takes the arguments.

PyTorch's message lists the five overloads and explains the mismatch under those whose
argument count, as its message formatter counts them (the `*` counts), equals the
number of arguments given."""

from __future__ import annotations

from typing import Any

from ._argcheck import type_name

# each overload as printed, with the count PyTorch's formatter gives it
_OVERLOADS = (
    ("(*, ferrograd.device device = None)", 2),
    ("(ferrograd.Storage storage)", 1),
    ("(Tensor other)", 1),
    ("(tuple of ints size, *, ferrograd.device device = None)", 3),
    ("(object data, *, ferrograd.device device = None)", 3),
)


def _described(value: Any) -> str:
    """An argument as the mismatch explanation shows it (`list of [int, float]`)."""
    if isinstance(value, list):
        return f"list of [{', '.join(type_name(v) for v in value)}]"
    if isinstance(value, tuple):
        return f"tuple of ({', '.join(type_name(v) for v in value)})"
    return type_name(value)


def invalid_combination(args: tuple, kwargs: dict) -> TypeError:
    """PyTorch's "new() received an invalid combination of arguments" for this call."""
    given = [type_name(a) for a in args] + [f"{k}={type_name(v)}" for k, v in kwargs.items()]
    got = ", ".join(given) + (", " if kwargs and not args else "")
    lines = [f"new() received an invalid combination of arguments - got ({got}), but expected one of:"]
    for overload, count in _OVERLOADS:
        lines.append(f" * {overload}")
        if count != len(args) + len(kwargs):
            continue
        if kwargs:
            lines.append(f"      didn't match because some of the keywords were incorrect: {', '.join(kwargs)}")
        else:
            shown = ", ".join(f"!{_described(a)}!" for a in args)
            lines.append(f"      didn't match because some of the arguments have invalid types: ({shown})")
    return TypeError("\n".join(lines) + "\n")


def _is_size(value: Any) -> bool:
    """An int (a NumPy integer too), not a bool, as the sizes overload reads its first."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or hasattr(type(value), "__index__") and not hasattr(value, "__len__")


def check_new_args(args: tuple, kwargs: dict, keywords: tuple[str, ...]) -> None:
    """Raises PyTorch's TypeError for arguments no overload takes: a keyword other than
    `keywords`, or several positional arguments not led by an int (the sizes overload
    takes a bool or anything else only after an int)."""
    if any(k not in keywords for k in kwargs) or len(args) > 1 and not _is_size(args[0]):
        raise invalid_combination(args, kwargs)
