"""Python's number types where PyTorch takes a dtype: `float` is float64, `int` int64,
`bool` bool and `complex` complex128."""

from __future__ import annotations

from typing import Any

from . import _core

PYTHON_TYPE_DTYPES = {float: _core.float64, int: _core.int64, bool: _core.bool, complex: _core.complex128}


def python_type_dtype(value: Any) -> Any:
    """A `dtype=` argument with a Python number type read as its dtype; anything else as given."""
    if isinstance(value, type):
        return PYTHON_TYPE_DTYPES.get(value, value)
    return value
