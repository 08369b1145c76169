"""`finfo` and `iinfo`: numeric limits of dtypes, with PyTorch's field names."""

from __future__ import annotations

import numpy as np

from ._core import dtype

_NP = {"float32": np.float32, "float64": np.float64, "int64": np.int64, "bool": np.bool_}


class finfo:
    """Machine limits of a floating-point dtype."""

    def __init__(self, type: dtype | None = None) -> None:
        from . import get_default_dtype

        d = type if type is not None else get_default_dtype()
        if not d.is_floating_point:
            raise TypeError(f"finfo expects a floating point dtype, got {d}")
        info = np.finfo(_NP[repr(d).split(".")[1]])
        self.dtype = repr(d).split(".")[1]
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = float(info.tiny)
        self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -int(info.precision)

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
            f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, "
            f"dtype={self.dtype})"
        )


class iinfo:
    """Limits of an integer dtype."""

    def __init__(self, type: dtype) -> None:
        name = repr(type).split(".")[1]
        if name == "bool" or type.is_floating_point:
            raise TypeError(f"iinfo expects an integer dtype, got {type}")
        info = np.iinfo(_NP[name])
        self.dtype = name
        self.bits = int(info.bits)
        self.max = int(info.max)
        self.min = int(info.min)

    def __repr__(self) -> str:
        return f"iinfo(min={float(self.min):g}, max={float(self.max):g}, dtype={self.dtype})"
