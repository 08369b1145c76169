"""The values of PyTorch's `ldexp`, whose kernel depends on the operands' dtypes.

A floating `input` with an integer (or bool) `other` takes C's `ldexp(x, int(other))`:
the result keeps `input`'s dtype, `other` is narrowed to 32 bits first (`2**35` acts
as 0) and `x * 2**n` is exact wherever it is representable. Any other pair multiplies
by `2 ** other`, computed as `pow(2.0, other)` for an integer or float32 `input` and in
`input`'s own dtype otherwise (a 0-dim float64 two, so a bfloat16 `other` is raised in
double precision).
"""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._creation import tensor
from ._dtype_names import scalar_name
from ._half_rounding import overwrite
from ._shape import _broadcast_shape
from ._user_warning import triggered_internally, warn_at_caller

_FLOATING = (_core.float16, _core.bfloat16, _core.float32, _core.float64)

_HALVES = (_core.float16, _core.bfloat16)
_WIDE = (_core.float64, _core.complex64, _core.complex128)
# beyond these a float32 (or narrower) value times 2**n is 0 or inf whatever it was
_NARROW_LIMIT = 400
# a float64 is scaled in three steps of a power that stays a normal float64
_STEP = 1022


def takes_int_exponent(input: Tensor, other: Tensor) -> bool:
    return input.dtype in _FLOATING and not (other.is_floating_point() or other.is_complex())


def refuse_integral_out(out: Tensor) -> None:
    if not (out.is_floating_point() or out.is_complex()):
        raise RuntimeError(f"ldexp can't be cast to the desired output type {scalar_name(out.dtype)}")


def _pow2(input: Tensor, other: Tensor) -> Tensor:
    if input.dtype is _core.float32 or not (input.is_floating_point() or input.is_complex()):
        return 2.0**other
    return tensor(2.0, dtype=input.dtype).pow(other)


def _scaled(x: Tensor, n: Tensor, dtype) -> Tensor:
    """`x * 2**n` in `dtype`, for `x` and `n` (whole numbers) in float64: exact until
    the one rounding to `dtype`, unless a step of a float64 falls below the normal range."""
    if dtype is not _core.float64:
        return (x * 2.0 ** n.clamp(-_NARROW_LIMIT, _NARROW_LIMIT)).to(dtype)
    n = n.clamp(-3 * _STEP, 3 * _STEP)
    for _ in range(3):
        step = n.clamp(-_STEP, _STEP)
        x = x * 2.0**step
        n = n - step
    return x


def ldexp_values(input: Tensor, other: Tensor) -> Tensor:
    """PyTorch's `ldexp(input, other)`, computed without recording a graph. The core's
    kernel (`input * 2**other`, the power a float32) gives it for a float32 input and
    for a float exponent, except a half-precision one raised in float64 or complex."""
    dtype, exponent_dtype = input.dtype, other.dtype
    integral = not (other.is_floating_point() or other.is_complex())
    if integral and exponent_dtype is _core.bool and dtype in _FLOATING:
        raise NotImplementedError('"ldexp_cpu_exp" not implemented for \'Bool\'')
    if dtype is _core.float32 or input.is_meta or other.is_meta or (
            not integral and not (exponent_dtype in _HALVES and dtype in _WIDE)
            or integral and dtype not in _FLOATING and not input.is_complex()):
        return _core._special_binary("ldexp", input, other)
    shape = _broadcast_shape([tuple(input.shape), tuple(other.shape)])
    if not takes_int_exponent(input, other):
        return input * _pow2(input, other)
    if tuple(shape) != tuple(input.shape) and input.numel() != 0:
        # the kernel writes into `empty_like(input)`, which it resizes
        warn_at_caller(triggered_internally(
            f"An output with one or more elements was resized since it had shape {list(input.shape)}, "
            f"which does not match the required output shape {list(shape)}. This behavior is "
            "deprecated, and in a future PyTorch release outputs will not be resized unless they have "
            "zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, to zero "
            "elements with t.resize_(0).", "native/Resize.cpp:30"))
    exponent = other.to(_core.int32).to(_core.float64)
    return _scaled(input.to(_core.float64), exponent, input.dtype)


def write_values(out: Tensor, values: Tensor) -> None:
    """Puts `values` into `out`'s memory without a new version, after the core's
    in-place kernel recorded `out`'s graph."""
    if out.dtype in (_core.float16, _core.bfloat16):
        overwrite(out, values.to(_core.float32).numpy())
    else:
        out.detach().numpy()[...] = values.to(out.dtype).numpy()
