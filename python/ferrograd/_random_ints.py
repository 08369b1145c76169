"""Integers uniform in [from, to), as PyTorch's `random_from_to` draws them for
`randint`, `randint_like` and `Tensor.random_(from, to)`: a floating dtype first moves
the bounds to values it holds (`update_from`/`update_to`), the bounds are checked
against the dtype (a floating dtype warns past its exact integers), and each element
takes one 32-bit draw, or one 64-bit draw when the range is 2**28 or more."""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._dtype_names import cpp_name
from ._shell_dtypes import refuse_float8
from ._user_warning import triggered_internally, warn_at_caller

__all__ = ["check_random_bounds", "random_from_to"]

# 64-bit draws from this range up: PyTorch allows about 5% skew from `%` on 32 bits
_WIDE_RANGE = 1 << 28

# the mantissa digits of each floating dtype, and the name PyTorch's messages give it
_DIGITS = {"float16": (11, "c10::Half"), "bfloat16": (8, "c10::BFloat16"), "float32": (24, "float"),
           "float64": (53, "double")}


def _digits(dtype) -> tuple[int, str] | None:
    return _DIGITS.get(repr(dtype).split(".", 1)[1])


def _as_dtype_int(value: int, dtype) -> int:
    """`value` rounded to `dtype` and back to an integer (PyTorch's static_casts)."""
    from ._creation import tensor

    rounded = tensor(value, dtype=_core.int64).to(dtype).item()
    # past the dtype's range: x86's conversion of infinity to int64 gives its lowest value
    return int(rounded) if abs(rounded) != float("inf") else -(2**63)


def _update_from(low: int, dtype, digits: int) -> int:
    """The lowest bound at or above `low` that rounds to itself in `dtype`."""
    rounded = _as_dtype_int(low + 1, dtype)
    if rounded < low:
        return rounded + (1 << (abs(low + 1).bit_length() - 1 - digits + 1))
    return low


def _update_to(high: int, dtype, digits: int) -> int:
    """The highest bound at or below `high` whose predecessor rounds to itself in `dtype`."""
    rounded = _as_dtype_int(high - 1, dtype)
    if rounded >= high:
        return rounded - (1 << (abs(high - 1).bit_length() - 1 - digits + 1))
    return high


def check_random_bounds(dtype, low: int, high: int, *, warn: bool = True) -> None:
    """PyTorch's check that `from` (`low`) and `to - 1` (`high`) fit the dtype (named
    as C++ names it); with `warn`, a floating dtype warns when one is past its exact
    integers."""
    from ._dtype_info import finfo, iinfo

    if dtype is _core.bool:
        lo, hi = 0, 1
    elif dtype.is_floating_point:
        lo, hi = -finfo(dtype).max, finfo(dtype).max
    elif dtype.is_complex:
        raise RuntimeError("check_random_bounds handles only integral, floating-point and boolean types")
    else:
        lo, hi = iinfo(dtype).min, iinfo(dtype).max
    for name, value in (("from", low), ("to - 1", high)):
        if not lo <= value <= hi:
            raise RuntimeError(f"{name} is out of bounds for {cpp_name(dtype)}")
    floating = _digits(dtype)
    if floating is None or not warn:
        return
    digits, type_name = floating
    for name, value, line in (("from", low, 110), ("to - 1", high, 111)):
        if not -(1 << digits) <= value <= 1 << digits:
            warn_at_caller(triggered_internally(
                f"{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations {type_name} can "
                "support discrete uniform distribution only within this range. This warning will become an error in "
                "version 1.7 release, please fix the code in advance", f"native/DistributionTemplates.h:{line}"))


def random_from_to(low: int, high: int, shape: list, dtype) -> Tensor:
    """A tensor of `shape` and `dtype` holding integers uniform in [low, high), drawn from
    the current generator."""
    refuse_float8("random_update_from_to", dtype)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    floating = _digits(dtype)
    if floating is not None:
        low, high = _update_from(low, dtype, floating[0]), _update_to(high, dtype, floating[0])
        if low >= high:
            raise RuntimeError("random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, "
                               f"but got from={low} >= to={high}")
    check_random_bounds(dtype, low, high - 1)
    if high - low < _WIDE_RANGE:
        return _core._randint(low, high, list(shape), dtype)
    return _wide_draws(low, high, shape).to(dtype)


def _wide_draws(low: int, high: int, shape: list) -> Tensor:
    """int64 values low + (64-bit draw % range), the high word drawn first."""
    import math

    import numpy as np

    from ._creation import tensor

    n = math.prod(shape)
    words = np.frombuffer(_core._random_u32(2 * n), dtype="<u4").astype(np.uint64).reshape(n, 2)
    draws = (words[:, 0] << np.uint64(32)) | words[:, 1]
    offsets = draws % np.uint64(high - low)
    # low + offset wraps in int64 as PyTorch's sum does (it always lands in [low, high))
    values = (offsets + np.uint64(low % (1 << 64))).view(np.int64)
    return tensor(values.reshape(tuple(shape)), dtype=_core.int64)
