"""DLPack for the 8-bit floats. DLPack 1.1 gives each format its own type code; the core
exchanges only the older codes, so an 8-bit float crosses as uint8 bytes whose type
code is rewritten in the capsule's DLTensor (a C struct whose layout DLPack fixes)."""

from __future__ import annotations

import ctypes

from . import _core
from ._core import Tensor

# DLPack's DLDataTypeCode of each 8-bit float (dlpack.h, version 1.1)
_CODES = {
    _core.float8_e4m3fn: 10, _core.float8_e4m3fnuz: 11, _core.float8_e5m2: 12, _core.float8_e5m2fnuz: 13,
    _core.float8_e8m0fnu: 14,
}
_DTYPES = {code: dtype for dtype, code in _CODES.items()}
_UINT_CODE = 1  # kDLUInt

# Offset of DLTensor.dtype.code in what each capsule points at: DLTensor starts a legacy
# DLManagedTensor; a DLManagedTensorVersioned puts the version, manager context, deleter
# and flags (8 bytes each) before it. In DLTensor, data (8), device (8) and ndim (4)
# come before dtype.
_CODE_OFFSET = {b"dltensor": 20, b"dltensor_versioned": 32 + 20}

_get_name = ctypes.pythonapi.PyCapsule_GetName
_get_name.restype, _get_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
_get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_get_pointer.restype, _get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]


def _dtype_code(capsule) -> ctypes.c_uint8 | None:
    """The type code of the DLTensor in an unconsumed capsule (writable), or None."""
    if type(capsule).__name__ != "PyCapsule":
        return None
    name = _get_name(capsule)
    offset = _CODE_OFFSET.get(name)
    if offset is None:
        return None
    pointer = _get_pointer(capsule, name)
    if not pointer:
        return None
    code = ctypes.c_uint8.from_address(pointer + offset)
    bits = ctypes.c_uint8.from_address(pointer + offset + 1).value
    return code if bits == 8 else None


def export(t: Tensor, versioned: bool):
    """A capsule of `t`, an 8-bit float tensor, with its format's type code."""
    capsule = _core._to_dlpack(t.view(_core.uint8), versioned)
    code = _dtype_code(capsule)
    if code is not None and code.value == _UINT_CODE:
        code.value = _CODES[t.dtype]
    return capsule


def import_capsule(capsule) -> Tensor:
    """The tensor of a capsule; an 8-bit float one is read as its bytes, then viewed."""
    code = _dtype_code(capsule)
    dtype = _DTYPES.get(code.value) if code is not None else None
    if dtype is None:
        return _core._from_dlpack_capsule(capsule)
    code.value = _UINT_CODE
    return _core._from_dlpack_capsule(capsule).view(dtype)
