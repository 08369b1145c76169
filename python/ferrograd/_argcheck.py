"""Argument checks shared by the Python-level ops: a value of the wrong kind gets the
TypeError PyTorch's argument parser raises for the same call, naming the function, the
argument, its position and what was passed."""

from __future__ import annotations

import operator
from typing import Any

from ._core import Tensor
from ._core import bool as bool_
from ._numpy import is_numpy_scalar, scalar_argument

_HEAP_TYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE


def type_name(value: Any) -> str:
    """The type's name as PyTorch's parser prints it (`int`, `NoneType`, `Tensor`,
    `ferrograd.dtype`, `numpy.ndarray`)."""
    if isinstance(value, Tensor):
        kind = type(value)  # a subclass by its own name (`Parameter`), as PyTorch's tp_name;
        return kind.__dict__.get("_parser_type_name", kind.__name__)  # ours stand for plain tensors
    kind = type(value)
    module = kind.__module__
    if module.startswith("ferrograd"):
        return f"ferrograd.{kind.__name__}"
    if module == "builtins" or kind.__flags__ & _HEAP_TYPE:
        return kind.__name__  # a class written in Python: its C name has no module
    return f"{module}.{kind.__name__}"


def need_tensor(fn: str, arg: str, position: int, value: Any) -> None:
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{fn}(): argument '{arg}' (position {position}) must be Tensor, not {type_name(value)}"
        )


def need_tensor_method(value: Any, method: str) -> None:
    """What PyTorch's Python code meets when it calls `value.method()` on something that is
    not a tensor: the AttributeError of a missing attribute, or the TypeError of one that
    cannot be called (a NumPy array's `size` is an int)."""
    if isinstance(value, Tensor):
        return
    from ._argument_types import before_parser  # such a failure stands where a parser check follows

    try:
        attribute = getattr(value, method)
    except AttributeError as error:
        raise before_parser(error) from None
    if not callable(attribute):
        raise before_parser(TypeError(f"'{type(attribute).__name__}' object is not callable"))


def need_tensor_self(op: str, self: Any) -> None:
    """The TypeError of a Tensor method called unbound on something else
    (`Tensor.uniform_(None)`), as Python words it for PyTorch's C methods."""
    if not isinstance(self, Tensor):
        raise TypeError(f"descriptor '{op}' for 'Tensor' objects doesn't apply to a '{type_name(self)}' object")


def need_index_tensor(fn: str, index: Any, position: int | None = None) -> None:
    """The `index` argument of the index ops (its position where it was given by one)."""
    if not isinstance(index, Tensor):
        where = "" if position is None else f" (position {position})"
        raise TypeError(f"{fn}(): argument 'index'{where} must be Tensor, not {type_name(index)}")


def need_int(fn: str, arg: str, position: int, value: Any) -> int:
    """An int, or anything with `__index__` that is not a many-element tensor (PyTorch
    takes a one-element integer tensor where an int is expected), but not a bool;
    returns it as a Python int."""
    if isinstance(value, Tensor):
        dtype = value.dtype
        ok = value.numel() == 1 and not (dtype.is_floating_point or dtype.is_complex or dtype == bool_)
    else:
        ok = not isinstance(value, bool) and _indexes(value)
    if not ok:
        raise TypeError(f"{fn}(): argument '{arg}' (position {position}) must be int, not {type_name(value)}")
    need_int64(value)
    return int(value.item()) if isinstance(value, Tensor) else operator.index(value)


def _indexes(value: Any) -> bool:
    """Whether `value` converts to an index (a NumPy array has `__index__` that refuses
    all but 0-d integer arrays)."""
    try:
        operator.index(value)
    except TypeError:
        return False
    return True


def need_number(fn: str, arg: str, position: int, value: Any, kind: str = "float") -> None:
    """A Python number (or a 0-dim tensor, which PyTorch converts; one of more dims is
    refused even with one element)."""
    if kind == "Number" and type(value) is int:
        unpack_scalar_int(value)  # PyTorch's Scalar: int64, else uint64, else OverflowError
    if isinstance(value, (int, float)) or (isinstance(value, Tensor) and value.dim() == 0):
        return
    if is_numpy_scalar(value) and value.dtype.kind in "biuf":  # the parser reads NumPy's real numbers too
        return
    if kind == "Number" and isinstance(value, complex):
        return
    raise TypeError(f"{fn}(): argument '{arg}' (position {position}) must be {kind}, not {type_name(value)}")


def need_bool(fn: str, arg: str, position: int | None, value: Any) -> None:
    """A bool; `position` None for a keyword-only argument (PyTorch's message then names
    no position)."""
    if not isinstance(value, bool):
        where = "" if position is None else f" (position {position})"
        raise TypeError(f"{fn}(): argument '{arg}'{where} must be bool, not {type_name(value)}")


def need_int_sequence(fn: str, arg: str, position: int, value: Any) -> None:
    """A tuple or list of ints where PyTorch's parser takes no single int. Other iterables
    are refused as PyTorch refuses them (an endless one would otherwise never return)."""
    not_a_list = not isinstance(value, (tuple, list, Tensor))
    if not_a_list or isinstance(value, (int, float, Tensor)) and not (isinstance(value, Tensor) and value.dim() == 1):
        raise TypeError(
            f"{fn}(): argument '{arg}' (position {position}) must be tuple of ints, not {type_name(value)}"
        )
    if isinstance(value, (tuple, list)) and value and isinstance(value[0], bool):  # only the first is checked
        raise TypeError(
            f"{fn}(): argument '{arg}' (position {position}) must be tuple of ints, but found element of type bool "
            "at pos 0"
        )


def need_int_elements(fn: str, arg: str, position: int, values: Any) -> None:
    """PyTorch's TypeError for a tuple/list of ints holding something else (a bool only
    counts at position 0, where the parser looks at it)."""
    if not isinstance(values, (tuple, list)):
        return
    for pos, value in enumerate(values):
        bad = isinstance(value, bool) if pos == 0 else False
        if bad or not (isinstance(value, (int, Tensor)) or hasattr(type(value), "__index__")):
            raise TypeError(f"{fn}(): argument '{arg}' (position {position}) must be tuple of ints, but found "
                            f"element of type {type_name(value)} at pos {pos}")
    need_int64_elements(fn, arg, values)


def need_tensor_list(values: Any, argument: int = 0) -> None:
    """Every element of a tensor-list argument is a tensor."""
    for i, value in enumerate(values):
        if not isinstance(value, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument {argument}, but got {type_name(value)}")


# PyTorch's argument parser reads ints as int64: a Python int past that range is its
# ValueError for a lone int and its TypeError for an element of an int list.
INT64_OVERFLOW = "Overflow when unpacking long long"


def fits_int64(value: Any) -> bool:
    """Whether an int (Python's, or a NumPy integer) fits int64; any other value passes."""
    if is_numpy_scalar(value):
        value = scalar_argument(value)
    return not isinstance(value, int) or -(2**63) <= value < 2**63


def need_int64(value: Any) -> None:
    """A lone int argument (dim, size, count) as PyTorch's parser unpacks it."""
    if not fits_int64(value):
        raise ValueError(INT64_OVERFLOW)


def need_int64_elements(fn: str, arg: str, values: Any) -> None:
    """The elements of an int list argument as PyTorch's parser unpacks them (its
    message counts positions from 1)."""
    if isinstance(values, (tuple, list)):
        for pos, value in enumerate(values):
            if not fits_int64(value):
                raise TypeError(f"{fn}(): argument '{arg}' failed to unpack the object at pos {pos + 1} "
                                f"with error \"{INT64_OVERFLOW}\"")


# the range PyTorch's checked conversion of a Python number accepts, and the C++ type
# its overflow error names; uint8 also takes the negatives that wrap into its range
_INT_RANGES = {
    "uint8": (-255, 255, "uint8_t"), "int8": (-(2**7), 2**7 - 1, "int8_t"),
    "int16": (-(2**15), 2**15 - 1, "int16_t"), "int32": (-(2**31), 2**31 - 1, "int"),
    "int64": (-(2**63), 2**63 - 1, "int64_t"),
}


def checked_integer(value: Any, dtype: Any) -> int:
    """A Python number converted to an integer dtype as PyTorch's checked conversion does:
    truncated, wrapped into uint8's range, its RuntimeError outside the type's range (NaN
    and infinities included)."""
    name = repr(dtype).split(".")[-1]
    if name in _INT_RANGES:
        low, high, cname = _INT_RANGES[name]
        if not low <= value <= high:  # NaN compares false: refused too
            raise RuntimeError(f"value cannot be converted to type {cname} without overflow")
    number = int(value)
    return number % 256 if name == "uint8" else number


# the largest finite value of each narrow float dtype and the C++ type PyTorch names
_FLOAT_LIMITS = {
    "float16": (65504.0, "c10::Half"), "bfloat16": (3.3895313892515355e38, "c10::BFloat16"),
    "float32": (3.4028234663852886e38, "float"),
}


def check_scalar_fits(value: Any, dtype: Any) -> None:
    """PyTorch's checked conversion of a Python number (a Scalar: int64 or double) into
    `dtype`, as its fills do: the RuntimeError naming the C++ type when the value is out of
    the type's range. An int wraps into uint8 from its negatives; a float does not, and
    NaN or an infinity fits no integer type; floats keep infinities and NaN; bool and
    complex dtypes take any number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    name = repr(dtype).split(".")[-1]
    if name in _INT_RANGES:
        low, high, cname = _INT_RANGES[name]
        if isinstance(value, float):  # compared as doubles, as c10's overflows<To, double>
            low, high = (0.0 if name == "uint8" else float(low)), float(high)
        if not low <= value <= high:  # NaN compares false: refused too
            raise RuntimeError(f"value cannot be converted to type {cname} without overflow")
    elif name in _FLOAT_LIMITS:
        limit, cname = _FLOAT_LIMITS[name]
        if abs(value) > limit and abs(value) != float("inf"):
            raise RuntimeError(f"value cannot be converted to type {cname} without overflow")


def real_part_of(value: Any, dtype: Any) -> Any:
    """A Python complex given for a real dtype as PyTorch's checked conversion takes it:
    its real part, or the overflow RuntimeError naming the C++ type when the imaginary
    part is not 0 (a bool dtype takes any complex)."""
    if not isinstance(value, complex) or dtype.is_complex or dtype == bool_:
        return value
    if value.imag != 0:
        name = repr(dtype).split(".")[-1]
        cname = _INT_RANGES[name][2] if name in _INT_RANGES else _FLOAT_LIMITS.get(name, (0, "double"))[1]
        raise RuntimeError(f"value cannot be converted to type {cname} without overflow")
    return value.real


def need_real_scalars(*values: Any) -> None:
    """PyTorch's error reading a complex Scalar as a double (`rrelu(lower=1j)`)."""
    if any(type(v) is complex for v in values):
        raise RuntimeError("value cannot be converted to type double without overflow")


def unpack_scalar_int(value: int) -> int:
    """A Python int operand as PyTorch's Scalar holds it: int64, or uint64 above that
    range; an int past both does not convert (OverflowError, as Python's own unpacking)."""
    if value < -(2**63):
        raise OverflowError("can't convert negative int to unsigned")
    if value >= 2**64:
        raise OverflowError("int too big to convert")
    return value


def wrap_int_to(value: int, dtype: Any) -> int:
    """An int scalar cast to the integer `dtype` as C casts it (modulo the width, two's
    complement for the signed ones), as PyTorch casts a scalar operand to an integer
    result dtype."""
    bits = dtype.itemsize * 8
    value %= 2**bits
    signed = dtype.is_signed
    return value - 2**bits if signed and value >= 2 ** (bits - 1) else value


def dim_error(dim: Any, message: str) -> Exception:
    """The exception for a dim outside a tensor's range: PyTorch's parser already refuses
    one past int64 (ValueError) before the op sees it (IndexError)."""
    if not fits_int64(dim):
        return ValueError(INT64_OVERFLOW)
    return IndexError(message)


class _Omitted:
    """An optional argument left out, where PyTorch's parser refuses it given as None
    (its repr keeps the signature's look)."""

    def __repr__(self) -> str:
        return "None"


OMITTED = _Omitted()


def int_list(fn: str, arg: str, position: int, value: Any, size: int = 1) -> tuple:
    """An int-list argument as PyTorch's parser reads it: a tuple or list, or one int (a
    one-element integer tensor is one) repeated `size` times."""
    if isinstance(value, (tuple, list)):
        return tuple(value)
    if isinstance(value, Tensor):
        dtype = value.dtype
        ok = value.numel() == 1 and not (dtype.is_floating_point or dtype.is_complex or dtype == bool_)
    else:
        ok = not isinstance(value, bool) and hasattr(type(value), "__index__")
    if not ok:
        raise TypeError(f"{fn}(): argument '{arg}' (position {position}) must be tuple of ints, not {type_name(value)}")
    need_int64(value)
    return (int(value.item()) if isinstance(value, Tensor) else operator.index(value),) * size
