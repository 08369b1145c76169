"""Operands for the piecewise activations written with `where`, so that their values and
gradients follow PyTorch's kernels at NaN, ±inf and -0.

PyTorch's kernels test the "other" branch (`x <= 0 ? f(x) : x`), so a NaN takes the identity
branch and passes its gradient; and a branch not taken must not see values (inf, NaN) whose
derivative would turn the zero gradient `where` sends it into NaN."""

from __future__ import annotations

from .. import _core
from .._core import Tensor


def where_else_zero(cond: Tensor, input: Tensor) -> Tensor:
    """`input` where `cond`, 0 elsewhere: a safe operand for a branch taken only on `cond`."""
    from .._creation import zeros_like

    return _core._where(cond, input, zeros_like(input))


def elu_like(input: Tensor, alpha: float, input_scale: float = 1.0, scale: float = 1.0) -> Tensor:
    """scale * x for x > 0 (and NaN), else (alpha * scale) * expm1(x * input_scale), the
    two coefficients applied as one, as PyTorch's elu kernel; -0 stays -0."""
    nonpos = input <= 0
    x = where_else_zero(nonpos, input)
    if input_scale != 1.0:
        x = x * input_scale
    pos = input * scale if scale != 1.0 else input
    return _core._where(nonpos, x.expm1() * (alpha * scale), pos)
