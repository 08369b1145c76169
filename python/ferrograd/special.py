"""`ferrograd.special`: PyTorch's `torch.special` functions.

The Bessel, gamma-family, error-function and normal-distribution kernels are in Rust
(`src/kernels/special.rs`); the aliases reuse the top-level functions, so they record
the same grad_fn nodes as in PyTorch (`gammaln` is `LgammaBackward0`, ...).
"""

from __future__ import annotations

import math as _math
from typing import Any as _Any

from . import _core, _mathops
from ._argcheck import need_int as _need_int
from ._core import Tensor
from ._float8_binary import float8_operands
from ._float8_unary import refuse_unary
from ._kernel_names import math_binary as _math_binary
from ._kernel_names import math_round as _math_round
from ._kernel_names import math_unary as _math_unary
from ._kernel_names import special_unary as _special_unary
from ._mathops import _need_tensor
from ._saved_values import keep_number as _keep_number
from ._shell_dtypes import refuse_float8
from ._special_more import (  # the Bessel and Airy functions, the orthogonal polynomials
    airy_ai,
    bessel_j0,
    bessel_j1,
    bessel_y0,
    bessel_y1,
    chebyshev_polynomial_t,
    chebyshev_polynomial_u,
    chebyshev_polynomial_v,
    chebyshev_polynomial_w,
    hermite_polynomial_h,
    hermite_polynomial_he,
    laguerre_polynomial_l,
    legendre_polynomial_p,
    modified_bessel_i0,
    modified_bessel_i1,
    modified_bessel_k0,
    modified_bessel_k1,
    scaled_modified_bessel_k0,
    scaled_modified_bessel_k1,
    shifted_chebyshev_polynomial_t,
    shifted_chebyshev_polynomial_u,
    shifted_chebyshev_polynomial_v,
    shifted_chebyshev_polynomial_w,
    spherical_bessel_j0,
)

__all__ = [
    "airy_ai",
    "bessel_j0",
    "bessel_j1",
    "bessel_y0",
    "bessel_y1",
    "chebyshev_polynomial_t",
    "chebyshev_polynomial_u",
    "chebyshev_polynomial_v",
    "chebyshev_polynomial_w",
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
    "hermite_polynomial_h",
    "hermite_polynomial_he",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "laguerre_polynomial_l",
    "legendre_polynomial_p",
    "log1p",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "modified_bessel_i0",
    "modified_bessel_i1",
    "modified_bessel_k0",
    "modified_bessel_k1",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "round",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
    "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
    "sinc",
    "softmax",
    "spherical_bessel_j0",
    "xlog1py",
    "xlogy",
    "zeta",
]

_NUMBER = (int, float, bool)


def _unary(name: str, doc: str) -> _Any:
    def fn(input: Tensor) -> Tensor:
        _need_tensor("special_" + name, "input", 1, input)
        return _special_unary(name, input)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc + "\n\nArgs:\n    input: the input tensor."
    return fn


i0e = _unary("i0e", "e^-|x| I₀(x), the exponentially scaled Bessel function of order 0.")
i1 = _unary("i1", "The modified Bessel function of the first kind, order 1.")
i1e = _unary("i1e", "e^-|x| I₁(x), the exponentially scaled Bessel function of order 1.")
erfcx = _unary("erfcx", "exp(x²) erfc(x), the scaled complementary error function.")
ndtri = _unary("ndtri", "The standard normal quantile function Φ⁻¹(p).")
log_ndtr = _unary("log_ndtr", "ln Φ(x), accurate in the lower tail.")
entr = _unary("entr", "-x ln x elementwise (0 at 0, -inf below 0).")


def ndtr(input: Tensor) -> Tensor:
    """Φ(x), the standard normal distribution function.

    Args:
        input: the input tensor.
    """
    _need_tensor("special_ndtr", "input", 1, input)
    if input.dtype.is_complex:  # PyTorch's ndtr runs erf, which has no complex kernel
        from ._dtype_names import scalar_name

        raise NotImplementedError(f"\"erf_vml_cpu\" not implemented for '{scalar_name(input.dtype)}'")
    refuse_float8("mul_cpu_reduced_float", input)  # PyTorch's ndtr scales by 1/sqrt(2) first
    from .nn._composite_nodes import add_scalar, mul_scalar

    # PyTorch's composite `(1 + erf(x * M_SQRT1_2)) * 0.5`, node for node: 0 far in the lower tail
    return mul_scalar(add_scalar(mul_scalar(input, _math.sqrt(0.5)).erf(), 1), 0.5)


def _uint64_as_float(value: _Any) -> _Any:
    """An int past int64 (PyTorch holds it as a uint64 Scalar, which these float kernels
    read as its float value) as that float."""
    if type(value) is int and 2**63 <= value < 2**64:
        return float(value)
    return value


def _binary(name: str, core_name: str, doc: str) -> _Any:
    def fn(input: _Any, other: _Any) -> Tensor:
        if not isinstance(input, Tensor) and not isinstance(other, Tensor) or not all(
            isinstance(v, (Tensor, *_NUMBER, complex)) for v in (input, other)
        ):
            from ._parser_check import parser_error

            error = parser_error("special." + name, (input, other), {})
            if error is not None:
                raise error
        if not isinstance(input, Tensor) and not isinstance(other, Tensor):
            raise TypeError(
                f"special_{name}() received an invalid combination of arguments - got "
                f"({type(input).__name__}, {type(other).__name__})"
            )
        for arg, pos, v in (("self", 1, input), ("other", 2, other)):
            if not isinstance(v, (Tensor, *_NUMBER, complex)):  # a complex number is a Number too
                raise TypeError(
                    f"special_{name}(): argument '{arg}' (position {pos}) must be Tensor, not {type(v).__name__}"
                )
        if any(isinstance(v, complex) or isinstance(v, Tensor) and v.dtype.is_complex for v in (input, other)):
            from ._dtype_names import scalar_name

            # no complex kernel: PyTorch names the promoted dtype (ComplexHalf for a half tensor)
            promoted = _core._result_type(input, other)
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{scalar_name(promoted)}'")
        input, other = float8_operands(core_name, input, other)
        out = _core._special_binary(core_name, _uint64_as_float(input), _uint64_as_float(other))
        number = other if not isinstance(other, Tensor) else input
        return out if isinstance(number, Tensor) else _keep_number(out, number)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc + _BINARY_ARGS
    return fn


_BINARY_ARGS = """

Args:
    input: the first operand, a tensor or a number.
    other: the second operand, a tensor or a number; the two broadcast together.
"""

zeta = _binary("zeta", "zeta", "The Hurwitz zeta function ζ(x, q), x = `input`, q = `other`.")
xlog1py = _binary("xlog1py", "xlog1py", "x ln(1 + y) for x = `input`, y = `other`; 0 where x == 0.")


def xlogy(input: _Any, other: _Any) -> Tensor:
    """x ln y for x = `input`, y = `other`; 0 where x == 0.

    Args:
        input: x, a tensor or a number.
        other: y, a tensor or a number; broadcasts with `input`.
    """
    if not isinstance(input, Tensor) and not isinstance(other, Tensor) or not all(
        isinstance(v, (Tensor, *_NUMBER, complex)) for v in (input, other)
    ):
        from ._parser_check import parser_error

        error = parser_error("special.xlogy", (input, other), {})
        if error is not None:
            raise error
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError(f"special_xlogy() received an invalid combination of arguments - got "
                        f"({type(input).__name__}, {type(other).__name__}), but expected one of:\n"
                        " * (Tensor input, Tensor other, *, Tensor out = None)\n"
                        " * (Number self, Tensor other, *, Tensor out = None)\n"
                        " * (Tensor input, Number other, *, Tensor out = None)")
    input, other = float8_operands("xlogy", input, other)
    return _math_binary("xlogy", input, other)


def gammainc(input: Tensor, other: Tensor) -> Tensor:
    """The regularized lower incomplete gamma function P(a, x) (`torch.igamma`).

    Args:
        input: a, the non-negative shape parameter.
        other: x, the non-negative upper limit; broadcasts with `input`.
    """
    _need_tensor("special_gammainc", "input", 1, input)
    return _mathops.igamma(input, other)


def gammaincc(input: Tensor, other: Tensor) -> Tensor:
    """The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x) (`torch.igammac`).

    Args:
        input: a, the non-negative shape parameter.
        other: x, the non-negative lower limit; broadcasts with `input`.
    """
    _need_tensor("special_gammaincc", "input", 1, input)
    return _mathops.igammac(input, other)


def expit(input: Tensor) -> Tensor:
    """The logistic sigmoid 1 / (1 + exp(-x)).

    Args:
        input: the input tensor.
    """
    _need_tensor("special_expit", "input", 1, input)
    refuse_unary("sigmoid", input)  # the core names sigmoid's 8-bit kernel differently
    return input.sigmoid()


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """ln(x / (1 - x)), the inverse of the logistic sigmoid.

    Args:
        input: the input tensor x.
        eps: when given, x is clamped to [eps, 1 - eps] first; None (default) does not
            clamp, so 0 and 1 give -inf and inf.
    """
    return _mathops.logit(input, eps)


def gammaln(input: Tensor) -> Tensor:
    """ln|Γ(x)|.

    Args:
        input: the input tensor.
    """
    return _mathops.lgamma(input)


def digamma(input: Tensor) -> Tensor:
    """ψ(x) = d/dx ln Γ(x), the digamma function.

    Args:
        input: the input tensor.
    """
    return _mathops.digamma(input)


def psi(input: Tensor) -> Tensor:
    """ψ(x), an alias of `digamma` (a function of its own, as PyTorch's is).

    Args:
        input: the input tensor.
    """
    return _mathops.digamma(input)


def polygamma(n: int, input: Tensor) -> Tensor:
    """ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function.

    Args:
        n: the order of the derivative, a non-negative integer.
        input: the input tensor x.
    """
    n = _need_int("special_polygamma", "n", 1, n)
    _need_tensor("special_polygamma", "input", 2, input)
    return _mathops.polygamma(n, input)


def multigammaln(input: Tensor, p: int) -> Tensor:
    """The multivariate log-gamma function of dimension `p`, elementwise.

    Args:
        input: the input tensor; every element must exceed (p - 1) / 2.
        p: the dimension, a positive integer.
    """
    _need_tensor("special_multigammaln", "input", 1, input)
    return _mathops.mvlgamma(input, p)


def i0(input: Tensor) -> Tensor:
    """The modified Bessel function of the first kind, order 0.

    Args:
        input: the input tensor.
    """
    return _mathops.i0(input)


def sinc(input: Tensor) -> Tensor:
    """sin(πx) / (πx), 1 at 0.

    Args:
        input: the input tensor.
    """
    return _mathops.sinc(input)


def erf(input: Tensor) -> Tensor:
    """The error function.

    Args:
        input: the input tensor.
    """
    return _math_unary("erf", input)


def erfc(input: Tensor) -> Tensor:
    """The complementary error function.

    Args:
        input: the input tensor.
    """
    return _math_unary("erfc", input)


def erfinv(input: Tensor) -> Tensor:
    """The inverse error function.

    Args:
        input: the input tensor.
    """
    return _math_unary("erfinv", input)


def exp2(input: Tensor) -> Tensor:
    """2**x.

    Args:
        input: the input tensor.
    """
    refuse_unary("exp2", input)
    return _math_unary("exp2", input)


def expm1(input: Tensor) -> Tensor:
    """exp(x) - 1.

    Args:
        input: the input tensor.
    """
    return _math_unary("expm1", input)


def log1p(input: Tensor) -> Tensor:
    """ln(1 + x).

    Args:
        input: the input tensor.
    """
    return _math_unary("log1p", input)


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """Rounds each element to `decimals` places, halves to even.

    Args:
        input: the input tensor.
        decimals: the number of decimal places (default 0); negative rounds to tens,
            hundreds, ...
    """
    return _math_round(input, decimals)


def logsumexp(input: Tensor, dim: _Any, keepdim: bool = False) -> Tensor:
    """ln Σ exp(x) over `dim`, computed stably.

    Args:
        input: the input tensor.
        dim: the dimension or dimensions to reduce.
        keepdim: keep the reduced dimensions with size 1 (default False).
    """
    return input.logsumexp(dim, keepdim)


def softmax(input: Tensor, dim: int, *, dtype: _Any = None) -> Tensor:
    """The softmax over `dim`: exp(x) / Σ exp(x).

    Args:
        input: the input tensor.
        dim: the dimension along which the results sum to 1.
        dtype: if given, `input` is cast to this dtype first; None keeps its dtype.
    """
    return input.softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int, *, dtype: _Any = None) -> Tensor:
    """The log-softmax over `dim`: x - ln Σ exp(x).

    Args:
        input: the input tensor.
        dim: the dimension along which the softmax is taken.
        dtype: if given, `input` is cast to this dtype first; None keeps its dtype.
    """
    return input.log_softmax(dim, dtype=dtype)


from ._out import SAME as _SAME
from ._out import install as _install_out

_install_out(globals(), ["round"], _SAME)  # PyTorch's round keeps its input's dtype: `out` must have it
_install_out(globals(), [name for name in __all__ if name not in ("softmax", "log_softmax")])  # PyTorch's out= on each

from ._numpy_aliases import install as _install_aliases

_install_aliases(globals(), __all__)  # PyTorch's x= / axis= / keepdims= keywords

from ._argument_types import guard as _guard_argument_types

_guard_argument_types(globals(), "special.")  # PyTorch's parser TypeErrors, checked when a call fails

from ._subclass_dispatch import gate_namespace as _gate_namespace

_gate_namespace(globals())  # last: `__torch_function__` and modes see the outermost functions

from ._native_names import name_namespace as _name_namespace

_name_namespace(globals(), "special")  # PyTorch's names: special_erf of ferrograd._C._special

del annotations  # the __future__ feature, no name of PyTorch's module
