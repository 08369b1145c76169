"""`finfo` and `iinfo`: numeric limits of dtypes, with PyTorch's field names."""

from __future__ import annotations

from ._argcheck import OMITTED
from ._core import dtype
from ._numpy import np
from ._parser_check import signature_error
from ._python_dtypes import python_type_dtype

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


def _parsed_type(name: str, overloads: tuple[str, ...], args: tuple, kwargs: dict) -> object:
    """The dtype in `type` as PyTorch's parser reads it (a Python number type as its
    dtype; OMITTED when the empty overload took the call); its TypeError otherwise."""
    if len(args) == 1 and not kwargs and isinstance(args[0], dtype):  # the common call
        return args[0]
    error = signature_error(name, overloads, args, kwargs)
    if error is not None:
        raise TypeError(str(error).replace("torch.dtype", "ferrograd.dtype"))
    return python_type_dtype(args[0] if args else kwargs.get("type", OMITTED))


class _DtypeInfo:
    """What `finfo` and `iinfo` share: read-only fields, equality by dtype, and, like
    PyTorch's C types, no hash, no pickling, no subclasses and no instance dict."""

    __slots__ = ("_key", "_limits")
    _FIELDS: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs) -> None:
        if cls.__module__ != __name__:
            base = next(b for b in cls.__mro__[1:] if b.__module__ == "ferrograd")
            raise TypeError(f"type 'ferrograd.{base.__qualname__}' is not an acceptable base type")
        super().__init_subclass__(**kwargs)

    def _set(self, key: object, **limits: object) -> None:
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_limits", limits)

    def _type_name(self) -> str:
        return f"ferrograd.{type(self).__qualname__}"

    def __getattr__(self, name: str) -> object:
        if name in type(self)._FIELDS:
            return self._limits[name]
        raise AttributeError(f"'{self._type_name()}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: object) -> None:
        if name in type(self)._FIELDS:
            raise AttributeError(f"attribute '{name}' of '{self._type_name()}' objects is not writable")
        raise AttributeError(f"'{self._type_name()}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        self.__setattr__(name, None)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _DtypeInfo):
            return NotImplemented
        return self._key is other._key

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, _DtypeInfo):
            return NotImplemented
        return self._key is not other._key

    def __hash__(self) -> int:
        raise TypeError(f"unhashable type: '{self._type_name()}'")

    def __reduce_ex__(self, protocol: object) -> object:
        raise TypeError(f"cannot pickle '{self._type_name()}' object")

    def __dir__(self) -> list[str]:
        return sorted({*object.__dir__(self), *type(self)._FIELDS} - {"_key", "_limits", "_set", "_type_name"})


class finfo(_DtypeInfo):
    """The machine limits of a floating-point dtype: `bits`, `eps`, `max`, `min`, `tiny`
    (= `smallest_normal`) and `resolution`.

    Args:
        type: a floating-point dtype; left out for the default dtype (None is refused).
    """

    __slots__ = ()
    _FIELDS = ("bits", "dtype", "eps", "max", "min", "resolution", "smallest_normal", "tiny")

    def __init__(self, *args: object, **kwargs: object) -> None:
        from . import get_default_dtype

        d = _parsed_type("finfo", ("type:d", ""), args, kwargs)
        if d is OMITTED:
            d = get_default_dtype()
        if isinstance(d, dtype) and d.is_complex:  # the limits of its real and imaginary parts
            d = d.to_real()
        if not (isinstance(d, dtype) and d.is_floating_point):  # a quantized dtype too
            raise TypeError("ferrograd.finfo() requires a floating point input type. Use "
                            "ferrograd.iinfo to handle 'ferrograd.finfo'")
        name = repr(d).split(".")[1]
        self._set(d, dtype=name, **_float_limits(name))

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
            f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, "
            f"dtype={self.dtype})"
        )


def _float_limits(name: str) -> dict[str, object]:
    if name == "bfloat16":
        return {"bits": _BFLOAT16["bits"], "eps": _BFLOAT16["eps"], "max": _BFLOAT16["max"],
                "min": -_BFLOAT16["max"], "tiny": _BFLOAT16["tiny"], "smallest_normal": _BFLOAT16["tiny"],
                "resolution": _BFLOAT16["resolution"]}
    if name in _FLOAT8:
        limits = _FLOAT8[name]
        return {"bits": 8, "eps": limits["eps"], "max": limits["max"], "min": limits.get("min", -limits["max"]),
                "tiny": limits["tiny"], "smallest_normal": limits["tiny"], "resolution": 1.0}
    info = np.finfo(name)
    return {"bits": int(info.bits), "eps": float(info.eps), "max": float(info.max), "min": float(info.min),
            "tiny": float(info.tiny), "smallest_normal": float(info.smallest_normal),
            "resolution": 10.0 ** -int(info.precision)}


class iinfo(_DtypeInfo):
    """The limits of an integer dtype: `bits`, `min` and `max`.

    Args:
        type: an integer dtype (not bool).
    """

    __slots__ = ()
    _FIELDS = ("bits", "dtype", "max", "min")

    def __init__(self, *args: object, **kwargs: object) -> None:
        type = _parsed_type("iinfo", ("type:d",), args, kwargs)
        if hasattr(type, "_scalar_type"):  # a quantized dtype: the limits of its stored integers
            info = np.iinfo(type._int_dtype)
            self._set(type, bits=int(info.bits), max=int(info.max), min=int(info.min))
            return
        name = repr(type).split(".")[1]
        if name == "bool":
            raise TypeError("ferrograd.bool is not supported by ferrograd.iinfo")
        if type.is_floating_point or type.is_complex:
            raise TypeError("ferrograd.iinfo() requires an integer input type. Use "
                            "ferrograd.finfo to handle 'ferrograd.iinfo'")
        info = np.iinfo(name)
        self._set(type, dtype=name, bits=int(info.bits), max=int(info.max), min=int(info.min))

    def __getattr__(self, name: str) -> object:
        if name == "dtype" and "dtype" not in self._limits:  # PyTorch's name lookup has no quantized case
            raise NotImplementedError(f"\"dtype\" not implemented for '{self._key._scalar_type}'")
        return super().__getattr__(name)

    def __repr__(self) -> str:
        return f"iinfo(min={float(self.min):g}, max={float(self.max):g}, dtype={self.dtype})"


# PyTorch's repr of the classes: <class 'torch.finfo'>, <class 'torch.iinfo'>
finfo.__module__ = "ferrograd"
iinfo.__module__ = "ferrograd"
