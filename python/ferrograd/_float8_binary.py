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


def float8_operands(name: str, input: Any, other: Any, inplace: bool = False) -> tuple[Any, Any]:
    """`input` and `other` for the core's `name`: PyTorch's NotImplementedError where the
    result (or, in place, `input`) is an 8-bit float; else any 8-bit tensor converted
    to the result's dtype."""
    if getattr(input, "dtype", None) not in FLOAT8_DTYPES and getattr(other, "dtype", None) not in FLOAT8_DTYPES:
        return input, other  # inline: on every call of these functions
    result = _core._result_type(input, other)  # PyTorch's promotion error for two kinds
    if inplace:
        result = input.dtype
    if result in FLOAT8_DTYPES:
        kernels = _KERNELS if isinstance(other, Tensor) else {**_KERNELS, **_SCALAR_KERNELS}
        if name in kernels:
            refuse_float8(kernels[name], result)
        return input, other
    return tuple(v.to(result) if is_float8(v) else v for v in (input, other))  # type: ignore[return-value]
