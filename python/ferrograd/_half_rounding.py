"""Emulating PyTorch's CPU kernels that compute in float16/bfloat16 arithmetic (each
operation rounded), not in float32 with one rounding at the end: values are carried in
float32 NumPy arrays and rounded to the half type after every step, and the kernel's
result (with its graph) gets the emulated values written into its memory."""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._numpy import np


def round_to(values, dtype):
    """float32 `values` rounded to float16 or bfloat16 (to nearest, ties to even), held
    in float32."""
    values = np.asarray(values, dtype=np.float32)
    if dtype == _core.float16:
        with np.errstate(over="ignore"):  # beyond float16's range is inf, as a cast in PyTorch
            return values.astype(np.float16).astype(np.float32)
    bits = values.view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000).astype(np.uint32).view(np.float32)
    return np.where(np.isnan(values), values, rounded)


def half_values(t: Tensor):
    """The float16/bfloat16 tensor `t` as a float32 NumPy array."""
    return t.detach().float().numpy()


def overwrite(out: Tensor, values) -> None:
    """Writes float32 `values` (already representable in `out`'s half dtype) into `out`'s
    own memory, so that its graph and version stay the kernel's."""
    target = out.detach()
    if out.dtype == _core.float16:
        target.numpy()[...] = values.astype(np.float16)
    else:
        bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32) >> 16
        target.view(_core.int16).numpy()[...] = bits.astype(np.uint16).view(np.int16)


def is_half(t) -> bool:
    return isinstance(t, Tensor) and t.dtype in (_core.float16, _core.bfloat16) and t.numel() > 0


def logit_values(input: Tensor, eps: float | None):
    """`logit` of a float16/bfloat16 tensor as PyTorch's CPU kernel computes it: eps, the
    clamp bounds, 1 - x and the quotient each rounded to the half type, the log of the
    quotient rounded once."""
    from ._grad_mode import no_grad

    with no_grad():
        x = input.detach()
        if eps is not None:
            low = x.new_full((), eps)
            x = x.clamp(low, 1 - low)
        return half_values((x / (1 - x)).log())


def polygamma_values(n: int, input: Tensor):
    """`polygamma(n, x)`, n >= 2, of a float16/bfloat16 tensor as PyTorch's CPU kernel
    computes it: ±n! (exp of lgamma, in float32) times zeta(n + 1, x), the zeta rounded
    to the half type first."""
    from . import special
    from ._grad_mode import no_grad

    with no_grad():
        x = input.detach().float()
        factorial = x.new_full((), float(n + 1)).lgamma().exp()
        zeta = round_to(special.zeta(x.new_full((), float(n + 1)), x).numpy(), input.dtype)
        sign = 1.0 if n % 2 else -1.0
        return round_to(np.float32(sign) * factorial.numpy() * zeta, input.dtype)
