"""Two-operand math functions with 8-bit floats, as PyTorch's CPU build treats them: it
has no kernel for an 8-bit float result (nor for an in-place write into one), and names
the kernel it stops at; an 8-bit operand that does not decide the result's dtype (a 0-d
tensor beside a float32 one) is simply converted. The core refuses any 8-bit operand,
so such an operand is converted here first."""

from __future__ import annotations

from typing import Any

from . import _core
from ._core import Tensor
from ._shell_dtypes import FLOAT8_DTYPES, is_float8, refuse_float8

_KERNELS = {
    "atan2": "atan2_cpu", "arctan2": "atan2_cpu", "hypot": "hypot_cpu", "logaddexp": "logaddexp_cpu",
    "logaddexp2": "logaddexp2_cpu", "fmax": "fmax_cpu", "fmin": "fmin_cpu", "copysign": "copysign_cpu",
    "fmod": "fmod_cpu", "xlogy": "xlogy_cpu", "xlog1py": "xlog1py_cpu", "zeta": "zeta_cpu",
    "igamma": "igamma_cpu", "igammac": "igammac_cpu", "nextafter": "nextafter_cpu",
    "clamp_min": "maximum_cpu", "clamp_max": "minimum_cpu",
}
# with a number for `other`, these take a scalar kernel
_SCALAR_KERNELS = {"clamp_min": "clamp_min_scalar_cpu", "clamp_max": "clamp_max_scalar_cpu"}


def _refuse_ldexp(input: Any, other: Any) -> None:
    """PyTorch's ldexp: `2 ** other` first (no 8-bit power kernel); with integer
    exponents, a kernel of its own; else the product, which promotes the two dtypes."""
    if is_float8(other):
        refuse_float8("pow", other)
    if is_float8(input) and isinstance(other, Tensor):
        if not (other.dtype.is_floating_point or other.dtype.is_complex):
            refuse_float8("ldexp_cpu", input)
        if input.dim():  # a 0-d 8-bit input takes the power's dtype instead
            _core.promote_types(input.dtype, other.dtype)


def float8_operands(name: str, input: Any, other: Any, inplace: bool = False) -> tuple[Any, Any]:
    """`input` and `other` for the core's `name`: PyTorch's NotImplementedError where the
    result (or, in place, `input`) is an 8-bit float; else any 8-bit tensor converted
    to the result's dtype."""
    if getattr(input, "dtype", None) not in FLOAT8_DTYPES and getattr(other, "dtype", None) not in FLOAT8_DTYPES:
        return input, other  # inline: on every call of these functions
    if name == "ldexp":
        _refuse_ldexp(input, other)
    result = _core._result_type(input, other)  # PyTorch's promotion error for two kinds
    if inplace:
        result = input.dtype
    if result in FLOAT8_DTYPES:
        kernels = _KERNELS if isinstance(other, Tensor) else {**_KERNELS, **_SCALAR_KERNELS}
        if name in kernels:
            refuse_float8(kernels[name], result)
        return input, other
    return tuple(v.to(result) if is_float8(v) else v for v in (input, other))  # type: ignore[return-value]


def widen_0d_float8(*tensors: Tensor) -> tuple[Tensor, ...]:
    """`tensors` (of a three-operand op such as addcmul), each 0-d 8-bit float among
    them converted to the floating dtype the dimensioned ones promote to, as PyTorch's
    promotion lets such a 0-d tensor take (the core refuses any 8-bit operand)."""
    if not any(is_float8(t) for t in tensors):
        return tensors
    dimensioned = [t for t in tensors if t.dim()]
    if not dimensioned or any(is_float8(t) for t in dimensioned):
        return tensors
    dtype = dimensioned[0].dtype
    for t in dimensioned[1:]:
        dtype = _core.promote_types(dtype, t.dtype)
    if not (dtype.is_floating_point or dtype.is_complex):
        return tensors  # the 8-bit float's category is higher: it decides the result
    return tuple(t.to(dtype) if is_float8(t) else t for t in tensors)
