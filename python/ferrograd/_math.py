"""Elementwise math: rounding, exponentials and logarithms, trigonometric, hyperbolic
and error functions, two-operand functions (`atan2`, `hypot`, `copysign`, `logaddexp`,
`fmod`, `lerp`, `float_power`, `xlogy`, `fmax`, `fmin`, `clamp_min`, `clamp_max`) and
tests of values (`isinf`, `isfinite`, `signbit`, `nan_to_num`, ...).

Each exists as `ferrograd.name(...)` and as a Tensor method, with the in-place
`name_` method where PyTorch has one. The computing is in Rust (`src/ops/math.rs`);
this module adds PyTorch's argument rules.
"""

from __future__ import annotations

import re
from typing import Any

from . import _core
from . import _saved_values as saved_values
from ._argcheck import need_number, real_part_of
from ._argcheck import need_tensor as _need_tensor
from ._broadcast_first import refuse_unbroadcastable, refuse_unbroadcastable_for
from ._core import Tensor
from ._dtype_names import scalar_name
from ._float8_binary import float8_operands
from ._float8_unary import refuse_unary
from ._kernel_names import (
    math_binary,
    math_binary_,
    math_round,
    math_round_,
    math_unary,
    math_unary_,
)
from ._shell_dtypes import FLOAT8_DTYPES, SHELL_DTYPES, refuse_complex32, refuse_float8
from ._shell_unsigned import refuse_unsigned_binary, unsigned_signbit

# one-tensor functions: name -> whether PyTorch has the in-place `name_` method
_UNARY = {
    "floor": True,
    "ceil": True,
    "fix": True,
    "frac": True,
    "sgn": True,
    "rsqrt": True,
    "log1p": True,
    "expm1": True,
    "log2": True,
    "log10": True,
    "exp2": True,
    "tan": True,
    "sinh": True,
    "cosh": True,
    "asin": True,
    "arcsin": True,
    "acos": True,
    "arccos": True,
    "atan": True,
    "arctan": True,
    "asinh": True,
    "arcsinh": True,
    "acosh": True,
    "arccosh": True,
    "atanh": True,
    "arctanh": True,
    "deg2rad": True,
    "rad2deg": True,
    "erf": True,
    "erfc": True,
    "erfinv": True,
    "isinf": False,
    "isfinite": False,
    "isposinf": False,
    "isneginf": False,
    "isreal": False,
    "signbit": False,
}

# two-operand functions: name -> (other may be a number, input may be a number,
# PyTorch has the in-place `name_` method)
_BINARY = {
    "atan2": (False, False, True),
    "arctan2": (False, False, True),
    "hypot": (False, False, True),
    "logaddexp": (False, False, False),
    "logaddexp2": (False, False, False),
    "fmax": (False, False, False),
    "fmin": (False, False, False),
    "copysign": (True, False, True),
    "fmod": (True, False, True),
    "clamp_min": (True, False, True),
    "clamp_max": (True, False, True),
    "xlogy": (True, True, True),
    "float_power": (True, True, True),
}

_NUMBER = (int, float, bool, complex)

# what each function computes, the first line of its docstring
_SUMMARIES = {
    "floor": "Elementwise rounding down (integers come back unchanged).",
    "ceil": "Elementwise rounding up (integers come back unchanged).",
    "trunc": "Elementwise rounding toward zero.",
    "fix": "Elementwise rounding toward zero (`trunc` under its NumPy name).",
    "frac": "Elementwise fractional part, `input - trunc(input)`, with the input's sign.",
    "sgn": "Elementwise sign: -1, 0 or 1 (for real inputs the same as `sign`).",
    "rsqrt": "Elementwise reciprocal square root, `1 / sqrt(input)`; integers give a float result.",
    "log1p": "Elementwise `log(1 + input)`, accurate for small inputs; integers give a float result.",
    "expm1": "Elementwise `exp(input) - 1`, accurate for small inputs; integers give a float result.",
    "log2": "Elementwise base-2 logarithm; integers give a float result.",
    "log10": "Elementwise base-10 logarithm; integers give a float result.",
    "exp2": "Elementwise `2 ** input`; integers give a float result.",
    "tan": "Elementwise tangent (radians); integers give a float result.",
    "sinh": "Elementwise hyperbolic sine; integers give a float result.",
    "cosh": "Elementwise hyperbolic cosine; integers give a float result.",
    "asin": "Elementwise arcsine, in radians (NaN outside [-1, 1]).",
    "arcsin": "Elementwise arcsine, in radians (NaN outside [-1, 1]); alias of `asin`.",
    "acos": "Elementwise arccosine, in radians (NaN outside [-1, 1]).",
    "arccos": "Elementwise arccosine, in radians (NaN outside [-1, 1]); alias of `acos`.",
    "atan": "Elementwise arctangent, in radians.",
    "arctan": "Elementwise arctangent, in radians; alias of `atan`.",
    "asinh": "Elementwise inverse hyperbolic sine.",
    "arcsinh": "Elementwise inverse hyperbolic sine; alias of `asinh`.",
    "acosh": "Elementwise inverse hyperbolic cosine (NaN below 1).",
    "arccosh": "Elementwise inverse hyperbolic cosine (NaN below 1); alias of `acosh`.",
    "atanh": "Elementwise inverse hyperbolic tangent (NaN outside [-1, 1]).",
    "arctanh": "Elementwise inverse hyperbolic tangent (NaN outside [-1, 1]); alias of `atanh`.",
    "deg2rad": "Elementwise conversion of angles from degrees to radians.",
    "rad2deg": "Elementwise conversion of angles from radians to degrees.",
    "erf": "Elementwise Gauss error function.",
    "erfc": "Elementwise complementary error function, `1 - erf(input)`.",
    "erfinv": "Elementwise inverse error function (defined on [-1, 1]).",
    "isinf": "A bool tensor, True where `input` is +inf or -inf.",
    "isfinite": "A bool tensor, True where `input` is neither infinite nor NaN.",
    "isposinf": "A bool tensor, True where `input` is +inf.",
    "isneginf": "A bool tensor, True where `input` is -inf.",
    "isreal": "A bool tensor, True where `input` has no imaginary part (always, for real dtypes).",
    "signbit": "A bool tensor, True where the sign bit of `input` is set (-0.0 included).",
    "atan2": "Elementwise arctangent of `input / other` in radians, using both signs for the quadrant.",
    "arctan2": "Elementwise arctangent of `input / other` in radians, quadrant-aware; alias of `atan2`.",
    "hypot": "Elementwise `sqrt(input ** 2 + other ** 2)` without overflow.",
    "logaddexp": "Elementwise `log(exp(input) + exp(other))`, computed stably.",
    "logaddexp2": "Elementwise `log2(2 ** input + 2 ** other)`, computed stably.",
    "fmax": "Elementwise maximum that ignores NaN (NaN only where both are NaN).",
    "fmin": "Elementwise minimum that ignores NaN (NaN only where both are NaN).",
    "copysign": "Elementwise magnitude of `input` with the sign of `other`; a float result.",
    "fmod": "Elementwise C-style remainder of `input / other`: it takes the dividend's sign.",
    "clamp_min": "Elementwise `max(input, other)`: `input` limited from below by `other`.",
    "clamp_max": "Elementwise `min(input, other)`: `input` limited from above by `other`.",
    "xlogy": "Elementwise `input * log(other)`, 0 where `input` is 0 (unless `other` is NaN).",
    "float_power": "Elementwise `input ** other` computed in double precision (float64 or complex128).",
}


def _lowered(summary: str) -> str:
    return summary[0].lower() + summary[1:]


def _binary_args(number_other: bool, number_input: bool, receiver: bool) -> str:
    """The `Args:` section of a two-operand function (`receiver`: its method form)."""
    other = "a tensor or number" if number_other else "a tensor"
    lines = [] if receiver else [f"    input: {'a tensor or number' if number_input else 'a tensor'}."]
    lines.append(f"    other: {other}, broadcast with the {'tensor' if receiver else 'input'}.")
    return "Args:\n" + "\n".join(lines) + "\n"


def _type_name(obj) -> str:
    return type(obj).__name__




def _check_other(fn: str, other, number_ok: bool, position: int) -> None:
    if isinstance(other, Tensor):
        return
    if number_ok and isinstance(other, _NUMBER):
        return
    what = "Tensor or Number" if number_ok else "Tensor"
    raise TypeError(
        f"{fn}(): argument 'other' (position {position}) must be {what}, not {_type_name(other)}"
    )


def _float8_value_test(name: str, t: Tensor) -> Tensor | None:
    """isinf/isfinite where PyTorch has them for an 8-bit float: float8_e5m2 (the one
    with infinities) tests its values; float8_e8m0fnu counts every value finite."""
    if name in ("isinf", "isfinite") and t.dtype is _core.float8_e5m2:
        return _core._math_unary(name, t.detach().float())
    if name == "isfinite" and t.dtype is _core.float8_e8m0fnu:
        return t.new_ones(tuple(t.shape), dtype=_core.bool)
    return None


def _float8_unary(name: str, t: Tensor) -> Tensor:
    """`name` of an 8-bit float tensor: PyTorch's refusal, or the value tests it has."""
    refuse_unary(name, t)
    tested = _float8_value_test(name, t)
    return tested if tested is not None else _core._math_unary(name, t)


def _shell_unary(name: str, t: Tensor) -> Tensor:
    if t.dtype in FLOAT8_DTYPES:
        return _float8_unary(name, t)
    if name == "signbit":
        return unsigned_signbit(t)
    return math_unary(name, t)


def _make_unary(name: str):
    def fn(input: Tensor) -> Tensor:
        _need_tensor(name, "input", 1, input)
        if input.dtype in SHELL_DTYPES:
            return _shell_unary(name, input)
        return math_unary(name, input)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"{_SUMMARIES[name]}\n\nArgs:\n    input: the input tensor.\n"
    return fn


def _make_unary_method(name: str):
    def method(self: Tensor) -> Tensor:
        if self.dtype in SHELL_DTYPES:
            return _shell_unary(name, self)
        return math_unary(name, self)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = _SUMMARIES[name].replace("`input`", "this tensor")
    return method


# In-place ops whose derivative PyTorch does not implement: their node is
# `<Op>Backward1`, and backward through it raises NotImplementedError.
_NO_INPLACE_DERIVATIVE = {"asinh": "asinh", "atanh": "atanh", "acosh": "acosh",
                          "arcsinh": "asinh", "arctanh": "atanh", "arccosh": "acosh"}
_no_derivative_nodes: dict = {}


def _no_inplace_derivative(name: str):
    node = _no_derivative_nodes.get(name)
    if node is None:
        from ._mathops import _node

        def backward(ctx, grad):
            raise NotImplementedError(f"the derivative for 'inplace version of {name}' is not implemented.")

        node = _node(f"{name.capitalize()}Backward1", lambda ctx, x: math_unary(name, x), backward)
        _no_derivative_nodes[name] = node
    return node


def _make_unary_inplace(name: str):
    def method(self: Tensor) -> Tensor:
        if self.dtype in FLOAT8_DTYPES:
            refuse_unary(name, self)
        if name in _NO_INPLACE_DERIVATIVE and self.requires_grad and _core.is_grad_enabled():
            node = _no_inplace_derivative(_NO_INPLACE_DERIVATIVE[name])
            return _core._inplace_call(name + "_", self, False, node.apply)
        return math_unary_(name, self)

    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = f"In-place `{name}`: {_lowered(_SUMMARIES[name])}"
    return method


def _make_binary(name: str, number_other: bool, number_input: bool):
    def fn(input, other) -> Tensor:
        if not isinstance(input, Tensor):
            if not (number_input and isinstance(input, _NUMBER) and isinstance(other, Tensor)):
                from ._parser_check import parser_error

                raise parser_error(name, (input, other), {}) or TypeError(
                    f"{name}() received an invalid combination of arguments - got ({_type_name(input)}, {_type_name(other)})"
                )
        else:
            _check_other(name, other, number_other, 2)
        refuse_unbroadcastable_for(name, input, other)
        if getattr(input, "dtype", None) in SHELL_DTYPES or getattr(other, "dtype", None) in SHELL_DTYPES:
            refuse_unsigned_binary(name, input, other)
            input, other = float8_operands(name, input, other)
        return math_binary(name, input, other)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"{_SUMMARIES[name]}\n\n{_binary_args(number_other, number_input, False)}"
    return fn


def _make_binary_method(name: str, number_other: bool):
    def method(self: Tensor, other) -> Tensor:
        _check_other(name, other, number_other, 1)
        refuse_unbroadcastable_for(name, self, other)
        if self.dtype in SHELL_DTYPES or getattr(other, "dtype", None) in SHELL_DTYPES:
            refuse_unsigned_binary(name, self, other)
            self, other = float8_operands(name, self, other)
        return math_binary(name, self, other)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"{_SUMMARIES[name]}\n\n{_binary_args(number_other, False, True)}"
    return method


def _make_binary_inplace(name: str, number_other: bool):
    def method(self: Tensor, other) -> Tensor:
        _check_other(name + "_", other, number_other, 1)
        try:
            refuse_unbroadcastable_for(name, self, other, out=self)
        except RuntimeError:
            if name == "float_power":  # PyTorch checks the base's dtype first
                _refuse_float_power_base(self, other)
            raise
        if self.dtype in SHELL_DTYPES or getattr(other, "dtype", None) in SHELL_DTYPES:
            refuse_unsigned_binary(name, self, other, inplace=True)
            self, other = float8_operands(name, self, other, inplace=True)
        return math_binary_(name, self, other)

    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = f"In-place `{name}`: {_lowered(_SUMMARIES[name])}\n\n{_binary_args(number_other, False, True)}"
    return method


def _refuse_float_power_base(self: Tensor, exponent) -> None:
    complex_ = self.dtype.is_complex or (exponent.dtype.is_complex if isinstance(exponent, Tensor)
                                         else isinstance(exponent, complex))
    needed = _core.complex128 if complex_ else _core.float64
    if self.dtype != needed:
        raise RuntimeError(f"the base given to float_power_ has dtype {scalar_name(self.dtype)} but the operation's "
                           f"result requires dtype {scalar_name(needed)}")


_WHOLE = object()  # round() without decimals (an explicit None is PyTorch's TypeError)


def _check_decimals(decimals) -> None:
    if decimals is not _WHOLE and (isinstance(decimals, bool) or not hasattr(type(decimals), "__index__")):
        raise TypeError(f"round(): argument 'decimals' must be int, not {type(decimals).__name__}")


def round(input: Tensor, *, decimals: Any = _WHOLE) -> Tensor:
    """Elementwise rounding to the nearest integer, ties to even.

    Args:
        input: the input tensor.
        decimals: round to this many decimal places instead (negative: to tens,
            hundreds, ...); None for whole numbers.
    """
    _need_tensor("round", "input", 1, input)
    _check_decimals(decimals)
    if decimals is _WHOLE:
        refuse_unary("round", input)
        return math_unary("round", input)
    return math_round(input, decimals)


def _round_method(self: Tensor, *, decimals: Any = _WHOLE) -> Tensor:
    return round(self, decimals=decimals)


def _round_inplace(self: Tensor, *, decimals: Any = _WHOLE) -> Tensor:
    _check_decimals(decimals)
    if decimals is _WHOLE:
        refuse_unary("round", self)
        return math_unary_("round", self)
    return math_round_(self, decimals)


def positive(input: Tensor) -> Tensor:
    """`+input`: the tensor itself (bool tensors are refused, as in PyTorch).

    Args:
        input: the input tensor.
    """
    _need_tensor("positive", "input", 1, input)
    if input.dtype == _core.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def _lerp_weight(weight):
    """A Python int past int64 as PyTorch's uint64 scalar: its value, as a float (the
    kernels are floating); past uint64, Python's overflow error."""
    if isinstance(weight, int) and not isinstance(weight, bool) and not -(2**63) <= weight < 2**63:
        if weight < 0:
            raise OverflowError("can't convert negative int to unsigned")
        if weight >= 2**64:
            raise OverflowError("int too big to convert")
        return float(weight)
    return weight


def lerp(input: Tensor, end: Tensor, weight) -> Tensor:
    """Linear interpolation `input + weight * (end - input)`, with broadcasting.

    Args:
        input: the start tensor.
        end: the end tensor.
        weight: the interpolation weight, a number or tensor.
    """
    _check_lerp_arguments("lerp", (input, end, weight))
    _check_lerp_dtypes(input, end, weight)
    refuse_unbroadcastable(input, end, weight)
    refuse_float8(_lerp_kernel(weight), input)
    out = _core._math_lerp(input, end, _lerp_weight(_scalar_weight(weight, input)))
    return out if isinstance(weight, Tensor) else saved_values.keep_number(out, weight)


def _scalar_weight(weight, input: Tensor):
    """A number weight as the kernel reads it, in the input's dtype (a complex one's
    imaginary part refused for a real input)."""
    return real_part_of(weight, input.dtype) if type(weight) is complex else weight


def _lerp_kernel(weight) -> str:
    return "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"


def _check_lerp_dtypes(input: Tensor, end: Tensor, weight) -> None:
    """PyTorch's refusal of an `end` (or a weight tensor with dimensions) of another
    dtype than `input`, which it checks before shapes and kernels, naming the dtypes
    as C++ does (`long int`)."""
    from ._clamp_inplace import _typeid_name

    for name, other in (("end", end), ("weight", weight)):
        if isinstance(other, Tensor) and other.dtype != input.dtype and (name == "end" or other.dim()):
            raise RuntimeError(f"expected dtype {_typeid_name(input.dtype)} for `{name}` but got dtype "
                               f"{_typeid_name(other.dtype)}")


def _check_lerp_arguments(qualified: str, args: tuple) -> None:
    """PyTorch's parser error when no overload of lerp (a tensor end with a tensor or
    number weight) takes the arguments."""
    *tensors, weight = args
    if all(isinstance(t, Tensor) for t in tensors) and isinstance(weight, (Tensor, *_NUMBER)):
        return
    from ._parser_check import parser_error

    error = parser_error(qualified, args, {})
    if error is not None:
        raise error


def _lerp_inplace(self: Tensor, end: Tensor, weight) -> Tensor:
    _check_lerp_arguments("Tensor.lerp_", (end, weight))
    _check_lerp_dtypes(self, end, weight)
    refuse_unbroadcastable(self, end, weight, out=self)
    refuse_float8(_lerp_kernel(weight), self)
    return _core._math_lerp_(self, end, _lerp_weight(_scalar_weight(weight, self)))


def nan_to_num(
    input: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """A copy of `input` with NaN, +inf and -inf replaced by finite numbers.

    Args:
        input: the input tensor.
        nan: what replaces NaN (default 0).
        posinf: what replaces +inf; None for the dtype's largest finite value.
        neginf: what replaces -inf; None for the dtype's lowest finite value.
    """
    for arg, value in (("nan", nan), ("posinf", posinf), ("neginf", neginf)):
        if value is not None:
            need_number("nan_to_num", arg, 2, value)
    _need_tensor("nan_to_num", "input", 1, input)
    refuse_complex32("nan_to_num", input)
    if input.dtype.is_complex and input.requires_grad and _core.is_grad_enabled():
        raise RuntimeError("nan_to_num does not support automatic differentiation for outputs with complex dtype.")
    if input.dtype.is_complex:  # PyTorch replaces in the real and the imaginary part alike
        return _nan_to_num_parts(input.clone(), nan, posinf, neginf)
    return _core._math_nan_to_num(input, nan, posinf, neginf)


def _nan_to_num_inplace(
    self: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    if self.dtype.is_complex:
        return _nan_to_num_parts(self, nan, posinf, neginf)
    return _core._math_nan_to_num_(self, nan, posinf, neginf)


def _nan_to_num_parts(z: Tensor, nan: float, posinf: float | None, neginf: float | None) -> Tensor:
    """`nan_to_num_` of a complex tensor: of its real and imaginary parts, in place."""
    if z.numel() == 0:  # the imaginary view of an empty tensor starts past its storage
        return z
    for part in (z.real, z.imag):
        _core._math_nan_to_num_(part, nan, posinf, neginf)
    return z


def fix(input: Tensor) -> Tensor:
    """Elementwise rounding toward zero (`trunc` under its NumPy name).

    Args:
        input: the input tensor.
    """
    _need_tensor("fix", "input", 1, input)
    refuse_unary("fix", input)
    return math_unary("fix", input)


floor = _make_unary("floor")
ceil = _make_unary("ceil")
frac = _make_unary("frac")
sgn = _make_unary("sgn")
rsqrt = _make_unary("rsqrt")
log1p = _make_unary("log1p")
expm1 = _make_unary("expm1")
log2 = _make_unary("log2")
log10 = _make_unary("log10")
exp2 = _make_unary("exp2")
tan = _make_unary("tan")
sinh = _make_unary("sinh")
cosh = _make_unary("cosh")
asin = _make_unary("asin")
arcsin = _make_unary("arcsin")
acos = _make_unary("acos")
arccos = _make_unary("arccos")
atan = _make_unary("atan")
arctan = _make_unary("arctan")
asinh = _make_unary("asinh")
arcsinh = _make_unary("arcsinh")
acosh = _make_unary("acosh")
arccosh = _make_unary("arccosh")
atanh = _make_unary("atanh")
arctanh = _make_unary("arctanh")
deg2rad = _make_unary("deg2rad")
rad2deg = _make_unary("rad2deg")
erf = _make_unary("erf")
erfc = _make_unary("erfc")
erfinv = _make_unary("erfinv")
isinf = _make_unary("isinf")
isfinite = _make_unary("isfinite")
isposinf = _make_unary("isposinf")
isneginf = _make_unary("isneginf")
isreal = _make_unary("isreal")
signbit = _make_unary("signbit")
atan2 = _make_binary("atan2", *_BINARY["atan2"][:2])
arctan2 = _make_binary("arctan2", *_BINARY["arctan2"][:2])
hypot = _make_binary("hypot", *_BINARY["hypot"][:2])
logaddexp = _make_binary("logaddexp", *_BINARY["logaddexp"][:2])
logaddexp2 = _make_binary("logaddexp2", *_BINARY["logaddexp2"][:2])
fmax = _make_binary("fmax", *_BINARY["fmax"][:2])
fmin = _make_binary("fmin", *_BINARY["fmin"][:2])
copysign = _make_binary("copysign", *_BINARY["copysign"][:2])
fmod = _make_binary("fmod", *_BINARY["fmod"][:2])
clamp_min = _make_binary("clamp_min", *_BINARY["clamp_min"][:2])
clamp_max = _make_binary("clamp_max", *_BINARY["clamp_max"][:2])
xlogy = _make_binary("xlogy", *_BINARY["xlogy"][:2])
float_power = _make_binary("float_power", *_BINARY["float_power"][:2])


def _renamed_doc(doc: str, second: str) -> str:
    return re.sub(r"\bother\b", second, doc)


# PyTorch names the second operand of these `min`, `max` and `exponent`; the generic
# forms above are wrapped so that keyword calls with those names work.
_clamp_min, _clamp_max, _float_power = clamp_min, clamp_max, float_power


def clamp_min(input: Tensor, min) -> Tensor:
    return _clamp_min(input, min)


def clamp_max(input: Tensor, max) -> Tensor:
    return _clamp_max(input, max)


def float_power(input, exponent) -> Tensor:
    input, exponent = (_double_of_big_int(v) for v in (input, exponent))
    return _float_power(*_doubled_shells(input, _int_as_double(exponent)))


def _int_as_double(value):
    """An int exponent as the double PyTorch's float_power passes on (its node's
    `_saved_exponent` shows 2.0 for 2); anything else as it is."""
    return float(value) if type(value) is int and -(2**63) <= value < 2**63 else value


def _doubled_shells(input, exponent) -> tuple:
    """The operands, a uint16/32/64 or 8-bit float tensor among them converted to the
    dtype float_power computes in (float64, complex128 beside a complex operand), as
    PyTorch converts both before its `pow`, which then never sees those dtypes."""
    tensors = [v for v in (input, exponent) if isinstance(v, Tensor)]
    if not any(t.dtype in SHELL_DTYPES for t in tensors):
        return input, exponent
    complex_ = any(t.dtype.is_complex for t in tensors) or any(isinstance(v, complex) for v in (input, exponent))
    dtype = _core.complex128 if complex_ else _core.float64
    return tuple(v.to(dtype) if isinstance(v, Tensor) and v.dtype in SHELL_DTYPES else v for v in (input, exponent))


def _double_of_big_int(value):
    """An int past int64 as the double PyTorch computes with (when an unsigned 64-bit
    Scalar holds it); anything else as it is."""
    if type(value) is not int or -(2**63) <= value < 2**63:
        return value
    from ._functional import need_unsigned_64

    need_unsigned_64(value)
    return float(value)


clamp_min.__doc__ = _renamed_doc(_clamp_min.__doc__ or "", "min")
clamp_max.__doc__ = _renamed_doc(_clamp_max.__doc__ or "", "max")
float_power.__doc__ = _renamed_doc(_float_power.__doc__ or "", "exponent")

__all__ = [
    "acos",
    "acosh",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "ceil",
    "clamp_max",
    "clamp_min",
    "copysign",
    "cosh",
    "deg2rad",
    "erf",
    "erfc",
    "erfinv",
    "exp2",
    "expm1",
    "fix",
    "float_power",
    "floor",
    "fmax",
    "fmin",
    "fmod",
    "frac",
    "hypot",
    "isfinite",
    "isinf",
    "isneginf",
    "isposinf",
    "isreal",
    "lerp",
    "log1p",
    "log2",
    "log10",
    "logaddexp",
    "logaddexp2",
    "nan_to_num",
    "positive",
    "rad2deg",
    "round",
    "rsqrt",
    "sgn",
    "signbit",
    "sinh",
    "tan",
    "xlogy",
]


def _positive_method(self: Tensor) -> Tensor:
    return positive(self)


def _lerp_method(self: Tensor, end: Tensor, weight) -> Tensor:
    _check_lerp_arguments("Tensor.lerp", (end, weight))
    return lerp(self, end, weight)


def _nan_to_num_method(
    self: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    return nan_to_num(self, nan, posinf, neginf)


def _install() -> None:
    T = Tensor
    for name, has_inplace in _UNARY.items():
        setattr(T, name, _make_unary_method(name))
        if has_inplace:
            setattr(T, name + "_", _make_unary_inplace(name))
    for name, (num_other, _, has_inplace) in _BINARY.items():
        setattr(T, name, _make_binary_method(name, num_other))
        if has_inplace:
            setattr(T, name + "_", _make_binary_inplace(name, num_other))
    T.trunc_ = _make_unary_inplace("trunc")
    T.round = _round_method
    T.round_ = _round_inplace
    T.positive = _positive_method
    T.lerp = _lerp_method
    T.lerp_ = _lerp_inplace
    T.nan_to_num = _nan_to_num_method
    T.nan_to_num_ = _nan_to_num_inplace
    T.square_ = lambda self: self.pow_(2)
    _name_second_operands(T)
    from . import _clamp_inplace

    _clamp_inplace.install(T)


def _name_second_operands(T) -> None:
    """The methods of `clamp_min`, `clamp_max` and `float_power` (and their in-place
    forms) take PyTorch's keyword for the second operand."""
    generic = {name: getattr(T, name) for name in
               ("clamp_min", "clamp_min_", "clamp_max", "clamp_max_", "float_power", "float_power_")}

    def clamp_min(self: Tensor, min) -> Tensor:
        return generic["clamp_min"](self, min)

    def clamp_min_(self: Tensor, min) -> Tensor:
        return generic["clamp_min_"](self, min)

    def clamp_max(self: Tensor, max) -> Tensor:
        return generic["clamp_max"](self, max)

    def clamp_max_(self: Tensor, max) -> Tensor:
        return generic["clamp_max_"](self, max)

    def float_power(self: Tensor, exponent) -> Tensor:
        return generic["float_power"](*_doubled_shells(self, _int_as_double(exponent)))

    def float_power_(self: Tensor, exponent) -> Tensor:
        return generic["float_power_"](self, exponent)

    seconds = {"clamp_min": "min", "clamp_max": "max", "float_power": "exponent"}
    for method in (clamp_min, clamp_min_, clamp_max, clamp_max_, float_power, float_power_):
        name = method.__name__
        method.__qualname__ = name
        method.__doc__ = _renamed_doc(generic[name].__doc__ or "", seconds[name.rstrip("_")])
        setattr(T, name, method)


_install()
