"""PyTorch's deprecated argument orders, still accepted with a UserWarning: a Number
`alpha` before `other` (`x.add(2, y)`, `x.sub_(2, y)`) and a Number `value` before the
two tensors (`addcmul(x, 2, a, b)`, `x.addcdiv_(2, a, b)`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ._core import Tensor
from ._user_warning import warn_at_caller

_NUMBERS = (bool, int, float, complex)


# PyTorch warns once per process, for whichever deprecated order is used first.
_warned = False


def warn_once(message: str) -> None:
    """Warns at the user's line unless a deprecated order already did."""
    global _warned
    if _warned:
        return
    _warned = True
    warn_at_caller(message)


def _warn(old: str, new: str) -> None:
    warn_once(
        f"This overload of {old.split('(')[0]} is deprecated:\n\t{old}\n"
        f"Consider using one of the following signatures instead:\n\t{new}"
    )


def _alpha_first(name: str, method: Callable) -> Callable:
    """`x.add(Number alpha, other)` as `x.add(other, alpha=alpha)`."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 2 and isinstance(args[0], _NUMBERS) and not kwargs:
            _warn(f"{name}(Number alpha, Tensor other)", f"{name}(Tensor other, *, Number alpha = 1)")
            return method(self, args[1], alpha=args[0])
        return method(self, *args, **kwargs)

    return wrapper


def _value_first(name: str, fn: Callable, with_input: bool) -> Callable:
    """`addcmul(x, Number value, a, b)` / `x.addcmul(Number value, a, b)` as the call
    with `value=` by keyword."""
    lead = "Tensor input, " if with_input else ""
    tail = ", *, Tensor out = None" if with_input else ""
    keyword_tail = ", Tensor out = None" if with_input else ""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # args[0] is the input, or self for a method
        if len(args) == 4 and isinstance(args[1], _NUMBERS) and "value" not in kwargs:
            _warn(
                f"{name}({lead}Number value, Tensor tensor1, Tensor tensor2{tail})",
                f"{name}({lead}Tensor tensor1, Tensor tensor2, *, Number value = 1{keyword_tail})",
            )
            return fn(args[0], args[2], args[3], value=args[1], **kwargs)
        return fn(*args, **kwargs)

    return wrapper


def _without_alpha_first(name: str, method: Callable) -> Callable:
    """`x.subtract(Number alpha, other)`: PyTorch's parser refuses the order `sub` takes;
    `x.subtract(Number other, Number alpha)` is its overload with alpha by position."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 2 and isinstance(args[0], _NUMBERS) and isinstance(args[1], _NUMBERS):
            return method(self, args[0], alpha=args[1], **kwargs)
        if len(args) == 2 and isinstance(args[1], Tensor):
            from ._parser_check import parser_error

            error = parser_error(f"Tensor.{name}", args, kwargs)
            if error is not None:
                raise error
        return method(self, *args, **kwargs)

    return wrapper


def install(namespace: dict) -> None:
    for name in ("add", "sub", "add_", "sub_"):
        setattr(Tensor, name, _alpha_first(name, getattr(Tensor, name)))
    for name in ("subtract", "subtract_"):
        setattr(Tensor, name, _without_alpha_first(name, getattr(Tensor, name)))
    for name in ("addcmul", "addcdiv", "addcmul_", "addcdiv_"):
        setattr(Tensor, name, _value_first(name, getattr(Tensor, name), with_input=False))
    for name in ("addcmul", "addcdiv"):
        namespace[name] = _value_first(name, namespace[name], with_input=True)
