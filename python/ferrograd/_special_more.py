"""PyTorch's `torch.special` Bessel and Airy functions and orthogonal polynomials.

The kernels are in Rust (`src/kernels/bessel.rs`, `src/kernels/orthogonal_polynomials.rs`),
float32 computed in float32 as in PyTorch. As in PyTorch the results never require
grad (the functions are not differentiable), so `out=` is accepted even when an
argument requires grad; float16 and bfloat16 raise NotImplementedError.
"""

from __future__ import annotations

from typing import Any

from . import _core
from ._core import Tensor
from ._dtype_names import scalar_name
from ._out import CAST, write_out

_NUMBER = (int, float, bool, complex)  # a complex one is refused by the kernel

_UNARY = {
    "airy_ai": "Ai(x), the Airy function of the first kind.",
    "bessel_j0": "J₀(x), the Bessel function of the first kind of order 0.",
    "bessel_j1": "J₁(x), the Bessel function of the first kind of order 1.",
    "bessel_y0": "Y₀(x), the Bessel function of the second kind of order 0 (NaN for x < 0).",
    "bessel_y1": "Y₁(x), the Bessel function of the second kind of order 1 (NaN for x < 0).",
    "modified_bessel_i0": "I₀(x), the modified Bessel function of the first kind of order 0.",
    "modified_bessel_i1": "I₁(x), the modified Bessel function of the first kind of order 1.",
    "modified_bessel_k0": "K₀(x), the modified Bessel function of the second kind of order 0.",
    "modified_bessel_k1": "K₁(x), the modified Bessel function of the second kind of order 1.",
    "scaled_modified_bessel_k0": "e^x K₀(x), the exponentially scaled modified Bessel function K₀.",
    "scaled_modified_bessel_k1": "e^x K₁(x), the exponentially scaled modified Bessel function K₁.",
    "spherical_bessel_j0": "j₀(x) = sin(x) / x, the spherical Bessel function of the first kind of order 0.",
}

_POLYNOMIALS = {
    "chebyshev_polynomial_t": "Tₙ(x), the Chebyshev polynomial of the first kind.",
    "chebyshev_polynomial_u": "Uₙ(x), the Chebyshev polynomial of the second kind.",
    "chebyshev_polynomial_v": "Vₙ(x), the Chebyshev polynomial of the third kind.",
    "chebyshev_polynomial_w": "Wₙ(x), the Chebyshev polynomial of the fourth kind.",
    "shifted_chebyshev_polynomial_t": "T*ₙ(x) = Tₙ(2x - 1), the shifted Chebyshev polynomial of the first kind.",
    "shifted_chebyshev_polynomial_u": "U*ₙ(x) = Uₙ(2x - 1), the shifted Chebyshev polynomial of the second kind.",
    "shifted_chebyshev_polynomial_v": "V*ₙ(x) = Vₙ(2x - 1), the shifted Chebyshev polynomial of the third kind.",
    "shifted_chebyshev_polynomial_w": "W*ₙ(x) = Wₙ(2x - 1), the shifted Chebyshev polynomial of the fourth kind.",
    "hermite_polynomial_h": "Hₙ(x), the physicists' Hermite polynomial.",
    "hermite_polynomial_he": "Heₙ(x), the probabilists' Hermite polynomial.",
    "laguerre_polynomial_l": "Lₙ(x), the Laguerre polynomial.",
    "legendre_polynomial_p": "Pₙ(x), the Legendre polynomial.",
}

_OUT_DOC = ("    out: an optional tensor the result is written into and returned (resized when it has no "
            "elements; the result's dtype must cast to its dtype).")

_SIGNATURES = """() received an invalid combination of arguments - got ({got}), but expected one of:
 * (Tensor x, Tensor n, *, Tensor out = None)
 * (Number x, Tensor n, *, Tensor out = None)
 * (Tensor x, Number n, *, Tensor out = None)
"""


def _write(op: str, result: Tensor, out: Any) -> Tensor:
    if out is None:
        return result
    if not isinstance(out, Tensor):
        raise TypeError(f"{op}(): argument 'out' must be Tensor, not {type(out).__name__}")
    return write_out(result, out, CAST)


# PyTorch names the argument of these `x`, of the others `input`
_NAMED_X = frozenset({"airy_ai", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "spherical_bessel_j0"})


def _check_input(op: str, arg: str, value: Any) -> None:
    if not isinstance(value, Tensor):
        raise TypeError(f"{op}(): argument '{arg}' (position 1) must be Tensor, not {type(value).__name__}")


def _refuse_complex(name: str, *operands: Any) -> None:
    """These kernels have no complex form: PyTorch's NotImplementedError names the
    promoted dtype of the operands (a complex number's with the tensor beside it)."""
    complex_dtypes = [v.dtype for v in operands if isinstance(v, Tensor) and v.dtype.is_complex]
    if not complex_dtypes and len(operands) == 2 and complex in (type(operands[0]), type(operands[1])):
        complex_dtypes = [_core._result_type(*operands)]
    if complex_dtypes:
        dtype = complex_dtypes[0] if len(complex_dtypes) == 1 else _core.promote_types(*complex_dtypes)
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{scalar_name(dtype)}'")


def _unary(name: str) -> Any:
    op = "special_" + name
    if name in _NAMED_X:

        def fn(x: Tensor, *, out: Tensor | None = None) -> Tensor:
            _check_input(op, "x", x)
            _refuse_complex(name, x)
            return _write(op, _core._special_more_unary(name, x), out)

        arg = "x"
    else:

        def fn(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # type: ignore[misc]
            _check_input(op, "input", input)
            _refuse_complex(name, input)
            return _write(op, _core._special_more_unary(name, input), out)

        arg = "input"
    fn.__name__ = fn.__qualname__ = name
    fn.__wrapped_out__ = True  # type: ignore[attr-defined]  # takes out= itself
    fn.__doc__ = f"{_UNARY[name]}\n\nArgs:\n    {arg}: the input tensor.\n{_OUT_DOC}\n"
    return fn


def _is_operand(v: Any) -> bool:
    return isinstance(v, (Tensor, *_NUMBER))


def _polynomial(name: str) -> Any:
    op = "special_" + name

    def fn(x: Any, n: Any, *, out: Tensor | None = None) -> Tensor:
        if out is not None and not isinstance(out, Tensor):  # refused by the parser first
            from ._parser_check import parser_error

            raise parser_error("special." + name, (x, n), {"out": out}) or TypeError(
                f"{op}(): argument 'out' must be Tensor, not {type(out).__name__}")
        if not (_is_operand(x) and _is_operand(n)) or not (isinstance(x, Tensor) or isinstance(n, Tensor)):
            got = ", ".join(type(v).__name__ if not isinstance(v, Tensor) else "Tensor" for v in (x, n))
            raise TypeError(op + _SIGNATURES.format(got=got))
        _refuse_complex(name, x, n)
        x, n = (float(v) if type(v) is int and 2**63 <= v < 2**64 else v for v in (x, n))  # PyTorch's uint64 Scalar
        return _write(op, _core._special_more_polynomial(name, x, n), out)

    fn.__name__ = fn.__qualname__ = name
    fn.__wrapped_out__ = True  # type: ignore[attr-defined]  # takes out= itself
    fn.__doc__ = (f"{_POLYNOMIALS[name]}\n\nArgs:\n    x: the points, a tensor or a number.\n"
                  "    n: the degree, a tensor or a number (truncated to an integer; 0 where negative); "
                  f"broadcasts with `x`.\n{_OUT_DOC}\n")
    return fn


airy_ai = _unary("airy_ai")
bessel_j0 = _unary("bessel_j0")
bessel_j1 = _unary("bessel_j1")
bessel_y0 = _unary("bessel_y0")
bessel_y1 = _unary("bessel_y1")
modified_bessel_i0 = _unary("modified_bessel_i0")
modified_bessel_i1 = _unary("modified_bessel_i1")
modified_bessel_k0 = _unary("modified_bessel_k0")
modified_bessel_k1 = _unary("modified_bessel_k1")
scaled_modified_bessel_k0 = _unary("scaled_modified_bessel_k0")
scaled_modified_bessel_k1 = _unary("scaled_modified_bessel_k1")
spherical_bessel_j0 = _unary("spherical_bessel_j0")

chebyshev_polynomial_t = _polynomial("chebyshev_polynomial_t")
chebyshev_polynomial_u = _polynomial("chebyshev_polynomial_u")
chebyshev_polynomial_v = _polynomial("chebyshev_polynomial_v")
chebyshev_polynomial_w = _polynomial("chebyshev_polynomial_w")
shifted_chebyshev_polynomial_t = _polynomial("shifted_chebyshev_polynomial_t")
shifted_chebyshev_polynomial_u = _polynomial("shifted_chebyshev_polynomial_u")
shifted_chebyshev_polynomial_v = _polynomial("shifted_chebyshev_polynomial_v")
shifted_chebyshev_polynomial_w = _polynomial("shifted_chebyshev_polynomial_w")
hermite_polynomial_h = _polynomial("hermite_polynomial_h")
hermite_polynomial_he = _polynomial("hermite_polynomial_he")
laguerre_polynomial_l = _polynomial("laguerre_polynomial_l")
legendre_polynomial_p = _polynomial("legendre_polynomial_p")

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
    "hermite_polynomial_h",
    "hermite_polynomial_he",
    "laguerre_polynomial_l",
    "legendre_polynomial_p",
    "modified_bessel_i0",
    "modified_bessel_i1",
    "modified_bessel_k0",
    "modified_bessel_k1",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
    "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
    "spherical_bessel_j0",
]
