"""PyTorch's names for dtypes in its messages: ScalarType names (`Float`, `Long`) and
C++ type names (`float`, `long int`)."""

from __future__ import annotations

from typing import Any

_SCALAR_NAMES = {
    "bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long",
    "float16": "Half", "bfloat16": "BFloat16", "float32": "Float", "float64": "Double",
    "complex64": "ComplexFloat", "complex128": "ComplexDouble", "complex32": "ComplexHalf",
    "uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64",
    "float8_e4m3fn": "Float8_e4m3fn", "float8_e5m2": "Float8_e5m2", "float8_e4m3fnuz": "Float8_e4m3fnuz",
    "float8_e5m2fnuz": "Float8_e5m2fnuz", "float8_e8m0fnu": "Float8_e8m0fnu",
}
_CPP_NAMES = {
    "bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int", "int32": "int",
    "int64": "long int", "float16": "c10::Half", "bfloat16": "c10::BFloat16", "float32": "float",
    "float64": "double", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>",
    "complex32": "c10::complex<c10::Half>",
    "uint16": "uint16_t", "uint32": "uint32_t", "uint64": "uint64_t",
    "float8_e4m3fn": "c10::Float8_e4m3fn", "float8_e5m2": "c10::Float8_e5m2",
    "float8_e4m3fnuz": "c10::Float8_e4m3fnuz", "float8_e5m2fnuz": "c10::Float8_e5m2fnuz",
    "float8_e8m0fnu": "c10::Float8_e8m0fnu",
}


def short_name(dtype: Any) -> str:
    """`float32` for `ferrograd.float32`."""
    return str(dtype).rsplit(".", 1)[-1]


def scalar_name(dtype: Any) -> str:
    """PyTorch's ScalarType name of a dtype (`Float`, `Long`), as its messages print it."""
    name = short_name(dtype)
    return _SCALAR_NAMES.get(name, name)


def cpp_name(dtype: Any) -> str | None:
    """The C++ name of a dtype's element type (`float`, `long int`)."""
    return _CPP_NAMES.get(short_name(dtype))


# the dtypes with a legacy tensor type (`ferrograd.FloatTensor`)
_LEGACY_TYPES = {"uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long",
                 "float16": "Half", "float32": "Float", "float64": "Double"}


def checked_type_name(dtype: Any) -> str:
    """A CPU tensor's type as PyTorch's argument checks print it (`toString`): its legacy
    tensor type, else its backend type (`CPUBoolType`)."""
    legacy = _LEGACY_TYPES.get(short_name(dtype))
    return f"ferrograd.{legacy}Tensor" if legacy else f"CPU{scalar_name(dtype)}Type"
