"""PyTorch's `sym_*` helpers as they behave without symbolic shapes (no torch.compile):
plain Python arithmetic on ints, floats, bools, NumPy scalars and one-element tensors."""

from __future__ import annotations

import builtins
import math

from ._numpy import np

__all__ = ["sym_constrain_range", "sym_constrain_range_for_size", "sym_float", "sym_fresh_size", "sym_int",
           "sym_ite", "sym_max", "sym_min", "sym_not", "sym_sqrt", "sym_sum"]

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def sym_not(a) -> builtins.bool:
    """`not a`, as PyTorch's `sym_not` without symbolic shapes.

    Args:
        a: a bool, a number or a one-element tensor.
    """
    return not a


def sym_float(a) -> builtins.float:
    """`float(a)`, as PyTorch's `sym_float` without symbolic shapes.

    Args:
        a: a number, a string or a one-element tensor.
    """
    return builtins.float(a)


def sym_int(a) -> builtins.int:
    """`int(a)` (floats truncate toward zero), as PyTorch's `sym_int` without symbolic shapes.

    Args:
        a: a number, a string or a one-element tensor.
    """
    return builtins.int(a)


def _numbers() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """The types sym_max/sym_min take, and those among them that make the result float."""
    return (np.integer, np.floating, builtins.int, builtins.float), (np.floating, builtins.float)


def _extremum(pick, a, b):
    allowed, floats = _numbers()
    for value in (a, b):
        if not isinstance(value, allowed):
            raise AssertionError(f"expected {allowed}, got {type(value)}")  # noqa: TRY004  (PyTorch's type)
    if isinstance(a, floats) or isinstance(b, floats):
        return builtins.float(pick(a, b))  # promotes to float whichever side wins
    return pick(a, b)


def sym_max(a, b):
    """The larger of two numbers; a float result when either is a float.

    Args:
        a: an int or float (Python or NumPy).
        b: an int or float (Python or NumPy).
    """
    return _extremum(builtins.max, a, b)


def sym_min(a, b):
    """The smaller of two numbers; a float result when either is a float.

    Args:
        a: an int or float (Python or NumPy).
        b: an int or float (Python or NumPy).
    """
    return _extremum(builtins.min, a, b)


def sym_sum(*args):
    """The sum of the numbers given, as `sym_sum([a, b, c])` or `sym_sum(a, b, c)`.

    Args:
        args: the numbers, or one list or tuple of them.
    """
    values = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args
    return builtins.sum(values)


def sym_sqrt(a) -> builtins.float:
    """`math.sqrt(a)`, a float.

    Args:
        a: a non-negative number or a one-element tensor.
    """
    return math.sqrt(a)


def sym_ite(b, t, f):
    """`t if b else f`.

    Args:
        b: a bool (nothing else, not even a tensor).
        t: the value when `b` is True.
        f: the value when `b` is False, of the type of `t`.
    """
    if not isinstance(b, builtins.bool):
        raise AssertionError(f"expected SymBool or bool, got {type(b)}")  # noqa: TRY004  (PyTorch's type)
    if type(t) is not type(f):
        raise AssertionError(f"type mismatch: {type(t)} vs {type(f)}")
    return t if b else f


def sym_fresh_size(expr):
    """`expr` as a Python number (through a tensor, as PyTorch does).

    Args:
        expr: a number.
    """
    from . import tensor

    return tensor(expr).item()


def _need_int_bound(name: str, value) -> None:
    if value is not None and (isinstance(value, builtins.bool) or not isinstance(value, builtins.int)):
        raise TypeError(f"sym_constrain_range(): argument '{name}' must be int, not {type(value).__name__}")


def _as_int64(size) -> builtins.int:
    """`size` as PyTorch's Scalar converts it to int64 (NaN, infinities and ints past
    int64 do not fit)."""
    number = size.item() if not isinstance(size, (builtins.int, builtins.float)) else size
    if isinstance(number, builtins.float) and not math.isfinite(number) or not _INT64_MIN <= number <= _INT64_MAX:
        raise RuntimeError("value cannot be converted to type int64_t without overflow")
    return builtins.int(number)


def _constrain(size, low: builtins.int, high: builtins.int) -> None:
    from ._core import Tensor

    if not isinstance(size, (builtins.int, builtins.float, Tensor)):
        raise TypeError(
            f"sym_constrain_range(): argument 'size' (position 1) must be Number, not {type(size).__name__}"
        )
    if high < low:
        raise RuntimeError(f"Max must be greater than or equal to min. Got min={low} max={high}")
    value = _as_int64(size)
    if not low <= value <= high:
        raise RuntimeError(f"Invalid value range for {value} between [{low}, {high}].")


def sym_constrain_range(size, *, min=None, max=None) -> None:
    """Checks that `size` (as an int) lies in [min, max]; with concrete values there is
    nothing to constrain, so this only raises RuntimeError when it does not.

    Args:
        size: a number or a one-element tensor.
        min: the lowest allowed value (no bound when None).
        max: the highest allowed value (no bound when None).
    """
    _need_int_bound("min", min)
    _need_int_bound("max", max)
    _constrain(size, _INT64_MIN if min is None else min, _INT64_MAX if max is None else max)


def sym_constrain_range_for_size(size, *, min=None, max=None) -> None:
    """`sym_constrain_range` for a size: `min` defaults to 0.

    Args:
        size: a number or a one-element tensor.
        min: the lowest allowed value (0 when None).
        max: the highest allowed value (no bound when None).
    """
    _need_int_bound("min", min)
    _need_int_bound("max", max)
    _constrain(size, 0 if min is None else min, _INT64_MAX if max is None else max)
