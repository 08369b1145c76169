"""`finfo` and `iinfo`: numeric limits of dtypes, with PyTorch's field names."""

from __future__ import annotations

from ._argcheck import OMITTED
from ._core import dtype
from ._numpy import np

# NumPy has no bfloat16: its limits (8 exponent bits like float32, 7 mantissa bits).
_BFLOAT16 = {
    "bits": 16,
    "eps": 0.0078125,
    "max": 3.3895313892515355e38,
    "tiny": 1.1754943508222875e-38,
    "resolution": 0.01,
}


# NumPy has no 8-bit floats: PyTorch's limits for them (bits 8, resolution 1). e8m0fnu
# holds only positive powers of two, so its `min` is its smallest value.
_FLOAT8 = {
    "float8_e4m3fn": {"eps": 0.125, "max": 448.0, "tiny": 0.015625},
    "float8_e5m2": {"eps": 0.25, "max": 57344.0, "tiny": 6.103515625e-05},
    "float8_e4m3fnuz": {"eps": 0.125, "max": 240.0, "tiny": 0.0078125},
    "float8_e5m2fnuz": {"eps": 0.125, "max": 57344.0, "tiny": 3.0517578125e-05},
    "float8_e8m0fnu": {"eps": 1.0, "max": 2.0**127, "tiny": 2.0**-127, "min": 2.0**-127},
}


def _check_is_dtype(name: str, value: object) -> None:
    if not isinstance(value, dtype):
        raise TypeError(f"{name}(): argument 'type' (position 1) must be ferrograd.dtype, "
                        f"not {value.__class__.__name__}")


class finfo:
    """The machine limits of a floating-point dtype: `bits`, `eps`, `max`, `min`, `tiny`
    (= `smallest_normal`) and `resolution`.

    Args:
        type: a floating-point dtype; left out for the default dtype (None is refused).
    """

    def __init__(self, type: dtype | None = OMITTED) -> None:
        from . import get_default_dtype

        d = type if type is not OMITTED else get_default_dtype()
        _check_is_dtype("finfo", d)
        if d.is_complex:  # the limits of its real and imaginary parts
            d = d.to_real()
        if not d.is_floating_point:
            raise TypeError("ferrograd.finfo() requires a floating point input type. Use "
                            "ferrograd.iinfo to handle 'ferrograd.finfo'")
        self.dtype = repr(d).split(".")[1]
        if self.dtype == "bfloat16":
            self.bits = _BFLOAT16["bits"]
            self.eps = _BFLOAT16["eps"]
            self.max = _BFLOAT16["max"]
            self.min = -_BFLOAT16["max"]
            self.tiny = self.smallest_normal = _BFLOAT16["tiny"]
            self.resolution = _BFLOAT16["resolution"]
            return
        if self.dtype in _FLOAT8:
            limits = _FLOAT8[self.dtype]
            self.bits = 8
            self.eps = limits["eps"]
            self.max = limits["max"]
            self.min = limits.get("min", -limits["max"])
            self.tiny = self.smallest_normal = limits["tiny"]
            self.resolution = 1.0
            return
        info = np.finfo(self.dtype)
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
    """The limits of an integer dtype: `bits`, `min` and `max`.

    Args:
        type: an integer dtype (not bool).
    """

    def __init__(self, type: dtype) -> None:
        if hasattr(type, "_scalar_type"):  # a quantized dtype: the limits of its stored integers
            info = np.iinfo(type._int_dtype)
            self.bits, self.max, self.min = int(info.bits), int(info.max), int(info.min)
            self._quantized = type._scalar_type
            return
        _check_is_dtype("iinfo", type)
        name = repr(type).split(".")[1]
        if name == "bool":
            raise TypeError("ferrograd.bool is not supported by ferrograd.iinfo")
        if type.is_floating_point or type.is_complex:
            raise TypeError("ferrograd.iinfo() requires an integer input type. Use "
                            "ferrograd.finfo to handle 'ferrograd.iinfo'")
        info = np.iinfo(name)
        self.dtype = name
        self.bits = int(info.bits)
        self.max = int(info.max)
        self.min = int(info.min)

    def __getattr__(self, name: str) -> str:
        if name == "dtype" and "_quantized" in vars(self):  # PyTorch's name lookup has no quantized case
            raise NotImplementedError(f"\"dtype\" not implemented for '{self._quantized}'")
        raise AttributeError(f"'iinfo' object has no attribute '{name}'")

    def __repr__(self) -> str:
        return f"iinfo(min={float(self.min):g}, max={float(self.max):g}, dtype={self.dtype})"


# PyTorch's repr of the classes: <class 'torch.finfo'>, <class 'torch.iinfo'>
finfo.__module__ = "ferrograd"
iinfo.__module__ = "ferrograd"
