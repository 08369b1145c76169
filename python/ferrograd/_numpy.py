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
