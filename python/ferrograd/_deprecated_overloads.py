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


# the parser's line in PyTorch's CPU wheels, which its deprecation warnings end with
_PARSER_SOURCE = "/__w/pytorch/pytorch/torch/csrc/utils/python_arg_parser.cpp:1841"


def _warn(old: str, new: str) -> None:
    warn_once(
        f"This overload of {old.split('(')[0]} is deprecated:\n\t{old}\n"
        f"Consider using one of the following signatures instead:\n\t{new} (Triggered internally at {_PARSER_SOURCE}.)"
    )


# what a deprecated order's call refused by PyTorch's parser can raise here instead
_FAILURES = (TypeError, AttributeError, RuntimeError, ValueError, IndexError)


def _parsed_as_deprecated(qualified: str, call: Callable[[], Any], args: tuple, kwargs: dict,
                          operands: tuple = ()) -> Any:
    """`call()`, the call rewritten from a deprecated order; where it fails, PyTorch's
    parser's error for the call as given (it refuses a badly typed argument before
    reading the call as the hidden deprecated overload), else its product's refusal of
    the `operands` (input, first, second) where given."""
    try:
        return call()
    except _FAILURES as failure:
        from ._parser_check import parser_error
        from ._product_errors import refusal

        error = parser_error(qualified, args, kwargs)
        if error is None and operands and isinstance(failure, RuntimeError):
            error = refusal(qualified.rpartition(".")[2], operands)
        if error is None:
            raise
        raise error from failure


def _extraction_refused(failure: TypeError, qualified: str, args: tuple, kwargs: dict) -> Exception | None:
    """PyTorch's parser error for a call the core refused in its own words: a bare
    extraction message ("'str' object is not an instance of 'Tensor'"), a kind PyTorch
    never names ("must be Tensor or Number") or another op's name (`sub()` under
    `subtract`)."""
    from ._parser_check import _overloads, parser_error
    from ._parser_position import words_as_the_parser

    text = str(failure)
    entry = _overloads(qualified)
    own = text.startswith(f"{entry[0]}()") if entry else True
    if words_as_the_parser(text) and own and "must be Tensor or Number" not in text:
        return None
    return parser_error(qualified, args, kwargs)


def _alpha_first(name: str, method: Callable) -> Callable:
    """`x.add(Number alpha, other)` as `x.add(other, alpha=alpha)`."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 2 and isinstance(args[0], _NUMBERS) and not kwargs:
            _warn(f"{name}(Number alpha, Tensor other)", f"{name}(Tensor other, *, Number alpha = 1)")
            return method(self, args[1], alpha=args[0])
        try:
            return method(self, *args, **kwargs)
        except TypeError as failure:
            error = _extraction_refused(failure, f"Tensor.{name}", args, kwargs)
            if error is None:
                raise
            raise error from failure

    return wrapper


def _value_first(name: str, fn: Callable, with_input: bool) -> Callable:
    """`addcmul(x, Number value, a, b)` / `x.addcmul(Number value, a, b)` as the call
    with `value=` by keyword."""
    lead = "Tensor input, " if with_input else ""
    qualified = name if with_input else f"Tensor.{name}"
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
            return _parsed_as_deprecated(qualified, lambda: fn(args[0], args[2], args[3], value=args[1], **kwargs),
                                         args[1:] if not with_input else args, kwargs)
        try:
            return fn(*args, **kwargs)
        except TypeError as failure:
            error = _extraction_refused(failure, qualified, args[1:] if not with_input else args, kwargs)
            if error is None:
                raise
            raise error from failure

    return wrapper


def _without_alpha_first(name: str, method: Callable) -> Callable:
    """`x.subtract(Number alpha, other)`: PyTorch's parser refuses the order `sub` takes;
    `x.subtract(Number other, Number alpha)` is its overload with alpha by position."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 2 and isinstance(args[0], _NUMBERS) and isinstance(args[1], _NUMBERS):
            return method(self, args[0], alpha=args[1], **kwargs)
        if len(args) == 2 and isinstance(args[1], Tensor) or kwargs.get("alpha", 1) is None:
            from ._parser_check import parser_error

            error = parser_error(f"Tensor.{name}", args, kwargs)
            if error is not None:
                raise error
        try:
            return method(self, *args, **kwargs)
        except TypeError as failure:
            error = _extraction_refused(failure, f"Tensor.{name}", args, kwargs)
            if error is None:
                raise
            raise error from failure

    return wrapper


# the products PyTorch still takes with Number `beta` (and `alpha`) first, their operands'
# names, and whether their function also takes an `out_dtype` overload it lists
_SCALED_PRODUCTS = {
    "addmm": ("mat1", "mat2", True), "baddbmm": ("batch1", "batch2", True), "addbmm": ("batch1", "batch2", False),
    "addmv": ("mat", "vec", False), "addr": ("vec1", "vec2", False),
}


def _scales_first(name: str, fn: Callable, method: bool) -> Callable:
    """`addmm(Number beta, input, Number alpha, mat1, mat2)`, `addmm(Number beta, input,
    mat1, mat2)` and the methods' `x.addmm(beta, alpha, mat1, mat2)`, `x.addmm(beta,
    mat1, mat2)`: PyTorch's deprecated orders, as the call with `beta=` / `alpha=`."""
    first, second, with_dtype = _SCALED_PRODUCTS[name.rstrip("_")]
    operands = f"Tensor {first}, Tensor {second}"
    if method:
        lead, tail, keyword_tail = "", "", ""
    else:
        lead, tail, keyword_tail = "Tensor input, ", ", *, Tensor out = None", ", Tensor out = None"
    new = f"{name}({lead}{operands}, *, Number beta = 1, Number alpha = 1{keyword_tail})"
    if with_dtype and not method:
        new += f"\n\t{name}({lead}{operands}, torch.dtype out_dtype, *, Number beta = 1, Number alpha = 1{keyword_tail})"
    beta_at = 1 if method else 0
    qualified = f"Tensor.{name}" if method else name

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if len(args) > 2 and isinstance(args[beta_at], _NUMBERS) and "beta" not in kwargs:
            # the input (or self), then alpha and the operands or the operands alone
            head, rest = args[1 - beta_at:2 - beta_at], args[2:]
            parsed = args[1:] if method else args
            if len(rest) == 3 and isinstance(rest[0], _NUMBERS) and "alpha" not in kwargs:
                _warn(f"{name}(Number beta, {lead}Number alpha, {operands}{tail})", new)
                return _parsed_as_deprecated(
                    qualified, lambda: fn(*head, *rest[1:], beta=args[beta_at], alpha=rest[0], **kwargs), parsed, kwargs,
                    (*head, *rest[1:]))
            if len(rest) == 2 and isinstance(head[0], Tensor):
                _warn(f"{name}(Number beta, {lead}{operands}{tail})", new)
                return _parsed_as_deprecated(qualified, lambda: fn(*head, *rest, beta=args[beta_at], **kwargs), parsed,
                                             kwargs, (*head, *rest))
        try:
            return fn(*args, **kwargs)
        except TypeError as failure:
            error = _extraction_refused(failure, qualified, args[1:] if method else args, kwargs)
            if error is None:
                raise
            raise error from failure
        except RuntimeError as failure:
            from ._product_errors import refusal

            given = [*args[:3], *(kwargs.get(k) for k in ("input", first, second)[len(args):])]
            error = refusal(name, tuple(given))
            if error is None:
                raise
            raise error from failure

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
    for name in _SCALED_PRODUCTS:
        namespace[name] = _scales_first(name, namespace[name], method=False)
        for method in (name, name + "_"):
            setattr(Tensor, method, _scales_first(method, getattr(Tensor, method), method=True))
