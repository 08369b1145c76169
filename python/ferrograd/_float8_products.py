"""The matrix products PyTorch's CPU build lacks for the 8-bit floats: its matrix-matrix
kernel takes them (but float8_e8m0fnu), its batched, matrix-vector, outer and dot
kernels do not. Callers refuse after the core's own checks of the shapes, which
PyTorch makes first."""

from __future__ import annotations

from . import _core
from ._shell_dtypes import FLOAT8_DTYPES, refuse_float8

_KERNELS = {"bmm": "bmm", "baddbmm": "baddbmm", "mv": "addmv_impl_cpu", "addmv": "addmv_impl_cpu",
            "addr": "addr_cpu", "dot": "dot"}
_E8M0_KERNELS = {"mm": "addmm_impl_cpu_", "addmm": "addmm_impl_cpu_", "addbmm": "addmm_impl_cpu_"}


def refuse_product(op: str, t, *others) -> None:
    """PyTorch's NotImplementedError for the product `op` of an 8-bit float `t` (with
    the other tensors involved, result included): none when one has no elements, as
    PyTorch then writes zeros without a kernel."""
    if getattr(t, "dtype", None) not in FLOAT8_DTYPES:  # inline: on every product
        return
    if any(not x.numel() for x in (t, *others) if hasattr(x, "numel")):
        return
    kernel = _KERNELS.get(op)
    if kernel is None and t.dtype is _core.float8_e8m0fnu:
        kernel = _E8M0_KERNELS.get(op)
    if kernel is not None:
        refuse_float8(kernel, t)
