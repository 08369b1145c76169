"""Arguments PyTorch's parser refuses that the bodies here would take: anything but a bool
where it parses a bool (a body tests its truth: `ceil_mode="no"`, `keepdim=None`), a bool
or a float where it parses an int or a list of ints (`stride=True`, `kernel_size=[True]`),
an int past int64 there, a string or a tensor where it parses a dtype, a layout or a memory
format, a tensor where it parses an int or int list (`size=torch.tensor([2])`).

`spec(qualified)` lists, from PyTorch's signatures, where a function takes such arguments;
`suspect(spec, args, kwargs)` is the quick test a guarded function runs on every call (a
type lookup per argument given), and only a call it flags pays for the parser check
(`_parser_check`), which decides.
"""

from __future__ import annotations

import inspect
from typing import Any

from ._core import Tensor

# the types a kind's argument may have without a parser check
_TAKEN = {"b": (bool,), "i": (int,), "f": (float, int), "I": (int, list, tuple), "d": (), "Y": (), "M": ()}
# the types a test suspects (a NumPy value, a tensor, ... is left to the body, but for a
# bool, which the parser takes of no other type, and for a dtype, layout or memory format)
_PLAIN = frozenset({bool, int, float, complex, str, list, tuple, type(None)})
_PLAIN_NOT_INT = _PLAIN - {int}
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
# the types passed without a closer look: a float (an int may be past int64, a list hold anything)
_QUICK = {"b": (bool,), "i": (), "f": (float,), "I": (), "d": (), "Y": (), "M": ()}


def spec(qualified: str) -> tuple[tuple, dict] | None:
    """The arguments of `qualified` to test, by position (None where there is none) and
    by name, each (name, kind, None taken); None when it has none."""
    from ._parser_check import _overloads

    entry = _overloads(qualified)
    if entry is None:
        return None
    by_position: dict[int, tuple] = {}
    by_name: dict[str, tuple] = {}
    for params in entry[1]:
        for position, param in enumerate(params):
            kinds = param.kinds.replace("N", "")
            kind = "I" if kinds in ("I", "Ii") else kinds
            if kind not in _TAKEN:
                continue
            test = (param.name, kind, "N" in param.kinds or param.name == "out")
            by_name[param.name] = test
            if not param.keyword_only:
                by_position.setdefault(position, test)
    if not by_name:
        return None
    positions = tuple(by_position.get(k) for k in range(max(by_position, default=-1) + 1))
    return positions, by_name


def suspect(tests: tuple, args: tuple, kwargs: dict) -> str | None:
    """The name of an argument `tests` names whose type PyTorch's parser may refuse."""
    by_position, by_name = tests
    for test, value in zip(by_position, args):
        if test is not None and type(value) not in _QUICK[test[1]] and _suspect(test, value):
            return test[0]
    for name, value in kwargs.items():
        test = by_name.get(name)
        if test is not None and type(value) not in _QUICK[test[1]] and _suspect(test, value):
            return name
    return None


def _suspect(test: tuple, value: Any) -> bool:
    _, kind, none = test
    if value is None and none:
        return False
    kind_of = type(value)
    if kind_of not in _TAKEN[kind]:
        # a tensor where an int or int list is parsed: only a one-element integer one is an int
        return kind_of in _PLAIN or kind == "b" or kind in "dYMiI" and isinstance(value, Tensor)
    if kind_of is int:
        return kind != "f" and not _INT64_MIN <= value <= _INT64_MAX
    return kind == "I" and kind_of is not int and any(
        type(v) in _PLAIN_NOT_INT or type(v) is int and not _INT64_MIN <= v <= _INT64_MAX for v in value
    )


def refusal(error: Exception | None, name: str) -> Exception | None:
    """The parser's `error` where it refuses the suspect argument `name` (the body's own
    checks answer for a call refused for its count of arguments)."""
    if error is None:
        return None
    text = str(error)
    named = f"'{name}'" in text or " received an invalid combination of arguments" in text
    return error if named or isinstance(error, ValueError) else None


def positional(fn: Any, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """`fn`'s arguments, defaults filled in, all by position: as PyTorch's Python bodies
    hand them to the C op whose parser refuses them (`argument 'ceil_mode' (position 6)`)."""
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return args, kwargs
    bound.apply_defaults()
    return tuple(bound.arguments.values()), {}
