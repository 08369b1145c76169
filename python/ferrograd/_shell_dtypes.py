"""The "shell" dtypes (uint16, uint32, uint64 and the 8-bit floats): PyTorch gives them
storage, casts and a few kernels; the ops without one raise NotImplementedError naming it."""

from __future__ import annotations

from . import _core
from ._dtype_names import scalar_name

SHELL_UNSIGNED = frozenset({_core.uint16, _core.uint32, _core.uint64})
FLOAT8_DTYPES = frozenset({
    _core.float8_e4m3fn, _core.float8_e5m2, _core.float8_e4m3fnuz, _core.float8_e5m2fnuz, _core.float8_e8m0fnu,
})
SHELL_DTYPES = SHELL_UNSIGNED | FLOAT8_DTYPES


def refuse_complex32(kernel: str, *tensors) -> None:
    """PyTorch's NotImplementedError for `kernel`, which its CPU build lacks for
    complex32, when a tensor (or dtype) is complex32."""
    for t in tensors:
        dtype = getattr(t, "dtype", t)
        if dtype is _core.complex32:
            raise NotImplementedError(f'"{kernel}" not implemented for \'ComplexHalf\'')


def refuse(kernel: str, *tensors) -> None:
    """PyTorch's NotImplementedError for `kernel` when a tensor (or dtype) is uint16/32/64."""
    for t in tensors:
        dtype = t if isinstance(t, _core.dtype) else getattr(t, "dtype", None)
        if dtype in SHELL_UNSIGNED:
            raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_name(dtype)}\'')


def is_float8(t) -> bool:
    """Whether `t` (a tensor or a dtype) is one of the 8-bit floats."""
    return getattr(t, "dtype", t) in FLOAT8_DTYPES


def refuse_float8(kernel: str, *tensors) -> None:
    """PyTorch's NotImplementedError for `kernel` when a tensor (or dtype) is an 8-bit
    float."""
    for t in tensors:
        dtype = getattr(t, "dtype", t)
        if dtype in FLOAT8_DTYPES:
            raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_name(dtype)}\'')
