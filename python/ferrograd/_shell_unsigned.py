"""uint16/uint32/uint64 where the core's generic kernels would run but PyTorch's CPU
build has none (`fmax`, `gcd`, ...), or where a signed kernel reads the top bit as a
sign (`signbit`)."""

from __future__ import annotations

from . import _core
from ._dtype_names import scalar_name
from ._shell_dtypes import SHELL_UNSIGNED

SIGNED_TWIN = {_core.uint16: _core.int16, _core.uint32: _core.int32, _core.uint64: _core.int64}
_BINARY_KERNELS = {"fmax": "maximum_cpu", "fmin": "minimum_cpu", "gcd": "gcd_cpu", "lcm": "lcm_cpu"}


def refuse_unsigned_binary(name: str, input, other, inplace: bool = False) -> None:
    """PyTorch's NotImplementedError for `name` when its operands compute in uint16/32/64."""
    kernel = _BINARY_KERNELS.get(name)
    if kernel is None:
        return
    dtypes = [getattr(v, "dtype", None) for v in (input, other)]
    if not any(d in SHELL_UNSIGNED for d in dtypes):
        return
    if name in ("fmax", "fmin") and any(d is not None and d.is_complex for d in dtypes):
        return  # the core refuses a complex operand first
    result = input.dtype if inplace else _core._result_type(input, other)
    if result in SHELL_UNSIGNED:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_name(result)}\'')


def unsigned_signbit(t):
    """`signbit` of an unsigned tensor: never set."""
    return t.new_zeros(tuple(t.shape), dtype=_core.bool)
