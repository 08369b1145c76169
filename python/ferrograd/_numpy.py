"""NumPy, imported on first use: `import ferrograd` must not pay NumPy's import.

`np` stands in for the `numpy` module; its first attribute lookup imports NumPy and each
attribute read is then cached on it, so later lookups cost a plain attribute read.
`is_ndarray` answers without importing NumPy (nothing is an array before NumPy loads).
"""

from __future__ import annotations

import sys
import types
from typing import Any

__all__ = ["is_ndarray", "is_numpy_scalar", "np"]


class _LazyNumpy(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        import numpy

        value = getattr(numpy, name)
        setattr(self, name, value)
        return value


np: Any = _LazyNumpy("numpy")


def is_ndarray(value: object) -> bool:
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.ndarray)


def is_numpy_scalar(value: object) -> bool:
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.generic)


def scalar_argument(value: object) -> object:
    """`value`, a NumPy scalar given where PyTorch's parser takes a Scalar, read as that
    parser reads it: an integer one as an int, a `complex128` (a Python complex) as a complex,
    and any other (floats, `bool_`, `complex64`) through `float()`, as a double. Other
    values are returned unchanged."""
    if not is_numpy_scalar(value):
        return value
    numpy = sys.modules["numpy"]
    if isinstance(value, numpy.integer):
        return int(value)
    if isinstance(value, complex):
        return complex(value)
    return float(value)  # NumPy warns (ComplexWarning) when this drops an imaginary part
