"""The matrix products PyTorch's CPU build lacks for the 8-bit floats: its matrix-matrix
kernel takes them (but float8_e8m0fnu), its batched, matrix-vector, outer and dot
kernels do not; nor do its matrix-vector kernels take bool or uint16/32/64. Callers refuse after the core's own checks of the shapes, which
PyTorch makes first."""

from __future__ import annotations

from . import _core
from ._dtype_names import scalar_name
from ._shell_dtypes import FLOAT8_DTYPES, SHELL_UNSIGNED, refuse_float8

_KERNELS = {"bmm": "bmm", "baddbmm": "baddbmm", "mv": "addmv_impl_cpu", "addmv": "addmv_impl_cpu",
            "addr": "addr_cpu", "dot": "dot"}
_E8M0_KERNELS = {"mm": "addmm_impl_cpu_", "addmm": "addmm_impl_cpu_", "addbmm": "addmm_impl_cpu_"}


# bool and uint16/32/64 lack the matrix-vector and batched-add kernels too (uint16/32/64
# the outer and dot ones as well)
_BOOL_KERNELS = {"mv": "addmv_impl_cpu", "addmv": "addmv_impl_cpu", "baddbmm": "baddbmm"}
_UNSIGNED_KERNELS = {**_BOOL_KERNELS, "addr": "addr_cpu", "dot": "dot"}
_REFUSING = FLOAT8_DTYPES | SHELL_UNSIGNED | {_core.bool}


def refuse_product(op: str, t, *others) -> None:
    """PyTorch's NotImplementedError for the product `op` of an 8-bit float, bool or
    uint16/32/64 `t` (with the other tensors involved, result included) that its CPU
    build has no kernel for: none when one has no elements, as PyTorch then writes zeros
    without a kernel."""
    if getattr(t, "dtype", None) not in _REFUSING:  # inline: on every product
        return
    if any(not x.numel() for x in (t, *others) if hasattr(x, "numel")):
        return
    if t.dtype not in FLOAT8_DTYPES:
        kernel = (_BOOL_KERNELS if t.dtype is _core.bool else _UNSIGNED_KERNELS).get(op)
        if kernel is not None:
            raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_name(t.dtype)}\'')
        return
    kernel = _KERNELS.get(op)
    if kernel is None and t.dtype is _core.float8_e8m0fnu:
        kernel = _E8M0_KERNELS.get(op)
    if kernel is not None:
        refuse_float8(kernel, t)
