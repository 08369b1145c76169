"""`ferrograd.special`: PyTorch's `torch.special` functions.

The Bessel, gamma-family, error-function and normal-distribution kernels are in Rust
(`src/kernels/special.rs`); the aliases reuse the top-level functions, so they record
the same grad_fn nodes as in PyTorch (`gammaln` is `LgammaBackward0`, ...).
"""

from __future__ import annotations

import math
from typing import Any

from . import _core, _mathops
from ._core import Tensor
from ._mathops import _need_tensor, _node

__all__ = [
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfcx",
    "erfinv",
    "exp2",
    "expit",
    "expm1",
    "gammainc",
    "gammaincc",
    "gammaln",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "log1p",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "round",
    "sinc",
    "softmax",
    "xlog1py",
    "xlogy",
    "zeta",
]

_NUMBER = (int, float, bool)


def _unary(name: str, doc: str) -> Any:
    def fn(input: Tensor) -> Tensor:
        _need_tensor("special_" + name, "input", 1, input)
        return _core._special_unary(name, input)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


i0e = _unary("i0e", "e^-|x| I₀(x), the exponentially scaled Bessel function of order 0.")
i1 = _unary("i1", "The modified Bessel function of the first kind, order 1.")
i1e = _unary("i1e", "e^-|x| I₁(x), the exponentially scaled Bessel function of order 1.")
erfcx = _unary("erfcx", "exp(x²) erfc(x), the scaled complementary error function.")
ndtri = _unary("ndtri", "The standard normal quantile function Φ⁻¹(p).")
log_ndtr = _unary("log_ndtr", "ln Φ(x), accurate in the lower tail.")
entr = _unary("entr", "-x ln x elementwise (0 at 0, -inf below 0).")


def _ndtr_forward(ctx: Any, input: Tensor) -> Tensor:
    if not input.dtype.is_floating_point:
        input = input.to(_core.get_default_dtype())
    ctx.save_for_backward(input)
    return (-input * math.sqrt(0.5)).erfc() * 0.5


def _ndtr_backward(ctx: Any, grad: Tensor) -> Any:
    (x,) = ctx.saved_tensors
    return grad * (x * x * -0.5).exp() * (1.0 / math.sqrt(2.0 * math.pi))


# PyTorch's ndtr is a composite whose last op is a scalar product (MulBackward1)
_Ndtr = _node("MulBackward1", _ndtr_forward, _ndtr_backward)


def ndtr(input: Tensor) -> Tensor:
    """Φ(x), the standard normal distribution function."""
    _need_tensor("special_ndtr", "input", 1, input)
    return _Ndtr.apply(input)


def _binary(name: str, core_name: str, doc: str) -> Any:
    def fn(input: Any, other: Any) -> Tensor:
        if not isinstance(input, Tensor) and not isinstance(other, Tensor):
            raise TypeError(
                f"special_{name}() received an invalid combination of arguments - got "
                f"({type(input).__name__}, {type(other).__name__})"
            )
        for arg, pos, v in (("self", 1, input), ("other", 2, other)):
            if not isinstance(v, (Tensor, *_NUMBER)):
                raise TypeError(
                    f"special_{name}(): argument '{arg}' (position {pos}) must be Tensor, not {type(v).__name__}"
                )
        return _core._special_binary(core_name, input, other)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


zeta = _binary("zeta", "zeta", "The Hurwitz zeta function ζ(x, q).")
xlog1py = _binary("xlog1py", "xlog1py", "x ln(1 + y), 0 where x == 0.")


def xlogy(input: Any, other: Any) -> Tensor:
    """x ln y, 0 where x == 0."""
    return _core._math_binary("xlogy", input, other)


def gammainc(input: Tensor, other: Tensor) -> Tensor:
    """The regularized lower incomplete gamma function (`torch.igamma`)."""
    return _mathops.igamma(input, other)


def gammaincc(input: Tensor, other: Tensor) -> Tensor:
    """The regularized upper incomplete gamma function (`torch.igammac`)."""
    return _mathops.igammac(input, other)


def expit(input: Tensor) -> Tensor:
    """The logistic sigmoid."""
    _need_tensor("special_expit", "input", 1, input)
    return input.sigmoid()


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """ln(x / (1 - x)), with x clamped to [eps, 1 - eps] when given."""
    return _mathops.logit(input, eps)


def gammaln(input: Tensor) -> Tensor:
    """ln|Γ(x)|."""
    return _mathops.lgamma(input)


def digamma(input: Tensor) -> Tensor:
    """ψ(x)."""
    return _mathops.digamma(input)


psi = digamma


def polygamma(n: int, input: Tensor) -> Tensor:
    """ψ⁽ⁿ⁾(x)."""
    return _mathops.polygamma(n, input)


def multigammaln(input: Tensor, p: int) -> Tensor:
    """The multivariate log-gamma function of dimension `p`."""
    return _mathops.mvlgamma(input, p)


def i0(input: Tensor) -> Tensor:
    """The modified Bessel function of the first kind, order 0."""
    return _mathops.i0(input)


def sinc(input: Tensor) -> Tensor:
    """sin(πx) / (πx)."""
    return _mathops.sinc(input)


def erf(input: Tensor) -> Tensor:
    """The error function."""
    return _core._math_unary("erf", input)


def erfc(input: Tensor) -> Tensor:
    """The complementary error function."""
    return _core._math_unary("erfc", input)


def erfinv(input: Tensor) -> Tensor:
    """The inverse error function."""
    return _core._math_unary("erfinv", input)


def exp2(input: Tensor) -> Tensor:
    """2**x."""
    return _core._math_unary("exp2", input)


def expm1(input: Tensor) -> Tensor:
    """exp(x) - 1."""
    return _core._math_unary("expm1", input)


def log1p(input: Tensor) -> Tensor:
    """ln(1 + x)."""
    return _core._math_unary("log1p", input)


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """Rounds half to even to `decimals` places."""
    return _core._math_round(input, decimals)


def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """ln Σ exp(x) over `dim`."""
    return input.logsumexp(dim, keepdim)


def softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """The softmax over `dim`."""
    return input.softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """The log-softmax over `dim`."""
    return input.log_softmax(dim, dtype=dtype)
