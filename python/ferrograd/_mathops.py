"""More of PyTorch's math surface: gamma-family and Bessel functions (`lgamma`,
`digamma`, `polygamma`, `mvlgamma`, `i0`, `igamma`, `igammac`), `logit`, `sinc`,
float and integer helpers (`heaviside`, `gcd`, `lcm`, `nextafter`, `ldexp`, `frexp`),
fused updates (`addcmul`, `addcdiv`), NaN-aware reductions (`nansum`, `nanmean`,
`nanmedian`, `nanquantile`), `quantile`, `diff`, `histogram`, `isin`, `vdot`,
`inner`, `combinations`, `tril_indices`/`triu_indices`, `unravel_index`, `logspace`,
`renorm`, `msort` and `cumulative_trapezoid`.

Elementwise special functions compute in Rust (`src/ops/special.rs`); the rest are
compositions of ferrograd ops. Where PyTorch records one node for a composite op
(`AddcmulBackward0`, `NansumBackward0`, `RenormBackward0`, ...), the composition runs
as an autograd Function under that node name with PyTorch's backward formula.
"""

from __future__ import annotations

import builtins
import functools
import itertools
import math
from collections.abc import Sequence
from typing import Any

from . import _core
from . import _mvlgamma_checks as mvlgamma_checks
from . import _saved_values as saved_values
from ._addc_values import addc_converted, addc_number, node_attrs
from ._argcheck import dim_error as _dim_error
from ._argcheck import (
    int_list,
    need_int,
    need_int64,
    need_number,
    need_tensor_method,
)
from ._argcheck import need_tensor as _need_tensor
from ._broadcast_first import refuse_unbroadcastable
from ._core import Tensor
from ._creation import empty as _empty
from ._creation import tensor as _tensor
from ._dtype_names import cpp_name, scalar_name
from ._factory_device import refuse_bad_device
from ._float8_binary import float8_operands, widen_0d_float8
from ._float8_unary import refuse_unary
from ._half_rounding import is_half, logit_values, overwrite, polygamma_values
from ._kernel_names import logit_, special_unary, special_unary_
from ._layouts import strided_only
from ._ldexp_node import ldexp_node
from ._ldexp_values import ldexp_values, refuse_integral_out, write_values
from ._meta_create import meta_aware
from ._numpy import np
from ._python_dtypes import python_type_dtype
from ._reduce import where as _where
from ._return_types import return_types
from ._shape import cat as _cat
from ._shape import stack as _stack
from ._shell_dtypes import is_float8, refuse_complex32, refuse_float8
from ._shell_dtypes import refuse as refuse_shell
from ._shell_unsigned import refuse_unsigned_binary

__all__ = [
    "addcdiv",
    "addcmul",
    "combinations",
    "cumulative_trapezoid",
    "diff",
    "digamma",
    "frexp",
    "frobenius_norm",
    "gcd",
    "heaviside",
    "histogram",
    "i0",
    "igamma",
    "igammac",
    "inner",
    "isin",
    "lcm",
    "ldexp",
    "lgamma",
    "logit",
    "logspace",
    "msort",
    "mvlgamma",
    "nanmean",
    "nanmedian",
    "nanquantile",
    "nansum",
    "nextafter",
    "nuclear_norm",
    "polygamma",
    "quantile",
    "renorm",
    "sinc",
    "tril_indices",
    "triu_indices",
    "unravel_index",
    "vdot",
]

_NUMBER = (int, float, bool)


def _type_name(obj: Any) -> str:
    return type(obj).__name__




_Frexp = return_types.frexp
_Histogram = return_types.histogram
_Nanmedian = return_types.nanmedian


def _sum_to(g: Tensor, shape) -> Tensor:
    """`g` summed down to `shape` (the reverse of broadcasting)."""
    shape = tuple(shape)
    lead = g.dim() - len(shape)
    if lead > 0:
        g = g.sum(tuple(range(lead)))
    dims = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if dims:
        g = g.sum(dims, keepdim=True)
    return g


def _grad_for(g: Tensor | None, t: Any) -> Tensor | None:
    if g is None or not isinstance(t, Tensor):
        return None
    g = _sum_to(g, t.shape)
    if g.dtype.is_complex and not t.dtype.is_complex:
        g = g.real  # a real input of a complex op gets the real part

    return g if g.dtype == t.dtype else g.to(t.dtype)


class _node:
    """An autograd Function recorded as the node `name` (PyTorch's grad_fn name), made on
    first `apply` so that `import ferrograd` does not load `ferrograd.autograd`."""

    def __init__(self, name: str, forward: Any, backward: Any, node_attrs: dict | None = None) -> None:
        self._spec = (name, forward, backward, node_attrs or {})
        self._function: Any = None

    def apply(self, *args: Any) -> Any:
        if self._function is None:
            from .autograd.function import Function, FunctionMeta

            name, forward, backward, node_attrs = self._spec
            ns = {
                "_ferro_node_name": name,
                "_ferro_node_attrs": node_attrs,
                "forward": staticmethod(forward),
                "backward": staticmethod(backward),
                "__module__": __name__,
            }
            self._function = FunctionMeta(name.replace("Backward", "_"), (Function,), ns)
        return self._function.apply(*args)


def _inplace_node(name: str, forward: Any, backward: Any, node_attrs: dict | None = None) -> Any:
    """The in-place form of `_node(name, forward, backward)`: the result is written into
    the first argument, which becomes the node's output (as PyTorch's `op_` records)."""

    def forward_inplace(ctx: Any, input: Tensor, *rest: Any) -> Tensor:
        result = forward(ctx, input.clone(), *rest)
        input.copy_(result)
        ctx.mark_dirty(input)
        return input

    return _node(name, forward_inplace, backward, node_attrs)


# ---- elementwise special functions (Rust kernels) -----------------------------------


def _make_unary(name: str, doc: str):
    def fn(input: Tensor) -> Tensor:
        _need_tensor(name, "input", 1, input)
        refuse_unary(name, input)
        return special_unary(name, input)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


lgamma = _make_unary("lgamma", "Elementwise ln|Γ(input)|, +inf at the poles.\n\nArgs:\n    input: the input tensor.\n")
digamma = _make_unary("digamma", "Elementwise digamma ψ(x) = d/dx ln Γ(x).\n\nArgs:\n    input: the input tensor.\n")
i0 = _make_unary("i0", "Elementwise modified Bessel function of the first kind, order 0.\n\n"
                 "Args:\n    input: the input tensor.\n")
sinc = _make_unary("sinc", "Elementwise normalized sinc, sin(πx) / (πx), 1 at 0.\n\nArgs:\n    input: the input tensor.\n")


def polygamma(n: int, input: Tensor) -> Tensor:
    """Elementwise ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function.

    Args:
        n: the order of the derivative (an int, at least 0).
        input: the input tensor.
    """
    n = need_int("polygamma", "n", 1, n)
    _need_tensor("polygamma", "input", 2, input)
    if n >= 0:  # orders 0 and 1 are digamma's and trigamma's kernels
        refuse_float8({0: "digamma", 1: "trigamma"}.get(n, "polygamma"), input)
    if n > _INT32_MAX:
        return _polygamma_of_wrapped_order(n, input)
    try:
        out = _core._polygamma(n, input)
    except NotImplementedError:
        _refuse_complex_polygamma(n, input)
        raise
    if n >= 2 and is_half(input):
        overwrite(out, polygamma_values(n, input))
    return saved_values.keep_more(out, "PolygammaBackward0", {"n": n})


_INT32_MAX = 2**31 - 1


def _refuse_complex_polygamma(n, input: Tensor) -> None:
    """PyTorch's refusal of a complex input, by the kernel its order runs."""
    if type(n) is int and n >= 0 and isinstance(input, Tensor) and input.dtype.is_complex:
        kernel = {0: "digamma", 1: "trigamma"}.get(n, "polygamma")
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(input.dtype)}'")


def _polygamma_of_wrapped_order(n: int, input: Tensor) -> Tensor:
    """PyTorch's kernel for orders from 2 on takes the order as a C int: past its range
    the order wraps to 32 bits. Order 0 then reads zeta(1, x), infinite (-inf
    everywhere); a negative order reads zeta below 1, NaN; the others are that order's."""
    wrapped = (n + 2**31) % 2**32 - 2**31
    if wrapped >= 1:
        return _core._polygamma(wrapped, input)
    shape_of = _core._polygamma(2, input)
    return shape_of.new_full(tuple(shape_of.shape), -math.inf if wrapped == 0 else math.nan)


def mvlgamma(input: Tensor, p: int) -> Tensor:
    """Elementwise multivariate log-gamma function of dimension `p` (every element must
    exceed (p - 1) / 2).

    Args:
        input: the input tensor.
        p: the number of dimensions (an int, at least 1).
    """
    _need_tensor("mvlgamma", "input", 1, input)
    p = need_int("mvlgamma", "p", 2, p)
    try:
        out = _core._mvlgamma(input, p)
    except NotImplementedError:
        mvlgamma_checks.refuse_complex(input, p)
        raise
    if out.grad_fn is not None:
        from ._saved_values import keep

        keep(out, "MvlgammaBackward0", {"p": p})
    return out


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """Elementwise log-odds ln(x / (1 - x)).

    Args:
        input: the input tensor (probabilities).
        eps: when given, x is first clamped to [eps, 1 - eps]; None for no clamping.
    """
    if eps is not None:
        need_number("logit", "eps", 2, eps)
    _need_tensor("logit", "input", 1, input)
    refuse_unary("logit", input)
    as_float = None if eps is None else float(eps)
    out = _core._logit(input, as_float)
    if is_half(input):
        overwrite(out, logit_values(input, as_float))
    return saved_values.keep_more(out, "LogitBackward0", {"eps": eps})


def _binary_doc(summary: str) -> str:
    return f"{summary}\n\nArgs:\n    input: the first tensor.\n    other: the second tensor, broadcast with `input`.\n"


def _lcm_int32(out: Tensor) -> Tensor:
    """PyTorch's int32 lcm takes `abs(a / gcd * b)` after the product wraps in 32 bits
    (`lcm(2**31 - 1, 2)` is 2); the core wraps the absolute value (-2)."""
    return out.abs_() if out.dtype is _core.int32 else out


def _make_binary(name: str, other_arg: str = "other"):
    def fn(input: Tensor, other: Tensor) -> Tensor:
        _need_tensor(name, "input", 1, input)
        _need_tensor(name, other_arg, 2, other)
        if name != "ldexp":  # PyTorch's ldexp computes `2 ** other` before it broadcasts
            refuse_unbroadcastable(input, other)
        refuse_unsigned_binary(name, input, other)
        input, other = float8_operands(name, input, other)
        if name == "ldexp":
            return ldexp_node(input, other, lambda: ldexp_values(input, other))
        out = _core._special_binary(name, input, other)
        return _lcm_int32(out) if name == "lcm" else out

    fn.__name__ = fn.__qualname__ = name
    return fn


igamma = _make_binary("igamma")
igamma.__doc__ = _binary_doc("The regularized lower incomplete gamma function P(input, other).")
igammac = _make_binary("igammac")
igammac.__doc__ = _binary_doc("The regularized upper incomplete gamma function Q(input, other).")
gcd = _make_binary("gcd")
gcd.__doc__ = _binary_doc("The elementwise greatest common divisor of integer tensors.")
lcm = _make_binary("lcm")
lcm.__doc__ = _binary_doc("The elementwise least common multiple of integer tensors.")
nextafter = _make_binary("nextafter")
nextafter.__doc__ = _binary_doc("The next representable float after `input` towards `other`.")
ldexp = _make_binary("ldexp")
ldexp.__doc__ = _binary_doc("`input * 2**other`.")


def frexp(input: Tensor) -> Any:
    """The decomposition `input = mantissa * 2 ** exponent`, as the named tuple
    `(mantissa, exponent)`: mantissa in the input's dtype with magnitude in [0.5,
    1), exponent int32.

    Args:
        input: a floating-point tensor.
    """
    _need_tensor("frexp", "input", 1, input)
    out = _core._frexp(input)
    refuse_float8("frexp_cpu", input)
    return _Frexp(out)


# ---- heaviside ---------------------------------------------------------------------


class _NoEdge:
    """A tensor passed to a Function as a plain object, so its node gets no edge for it
    (PyTorch's NotImplemented node has edges only for the inputs that require grad)."""

    __slots__ = ("tensor",)

    def __init__(self, tensor: Tensor) -> None:
        self.tensor = tensor


def _heaviside_forward(ctx: Any, input: Any, values: Any) -> Tensor:
    input, values = (v.tensor if isinstance(v, _NoEdge) else v for v in (input, values))
    step = (input > 0).to(input.dtype)
    return _where(input != 0, step, values)


def _heaviside_backward(ctx: Any, grad: Tensor) -> Any:
    raise RuntimeError("derivative for aten::heaviside is not implemented")


_Heaviside = _node("NotImplemented", _heaviside_forward, _heaviside_backward)


def heaviside(input: Tensor, values: Tensor) -> Tensor:
    """The Heaviside step function: 0 where `input < 0`, 1 where `input > 0`, and
    `values` where `input == 0`.

    Args:
        input: the input tensor.
        values: the values used where `input` is zero, a tensor broadcast with `input`
            of the same dtype.
    """
    _need_tensor("heaviside", "input", 1, input)
    _need_tensor("heaviside", "values", 2, values)
    if input.dtype.is_complex or values.dtype.is_complex:
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    if input.dtype != values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    refuse_unbroadcastable(input, values)
    refuse_float8("heaviside_cpu", input)
    refuse_shell("heaviside_cpu", input)
    return _Heaviside.apply(*(v if v.requires_grad else _NoEdge(v) for v in (input, values)))


# ---- addcmul / addcdiv ---------------------------------------------------------------


def _in_opmath(input: Tensor, t1: Tensor, t2: Tensor) -> tuple:
    """The result dtype and the three operands in the dtype PyTorch computes in: the
    result dtype, or float32 for float16/bfloat16 (so the result is rounded once)."""
    dtype = _core._tensors_result_type(input, t1, t2)
    work = _core.float32 if dtype in (_core.float16, _core.bfloat16) else dtype
    return (dtype, *(t if t.dtype == work else t.to(work) for t in (input, t1, t2)))


def _addcmul_forward(ctx: Any, input: Tensor, t1: Tensor, t2: Tensor, value: Any) -> Tensor:
    ctx.save_for_backward(input, t1, t2)
    ctx.value = value
    dtype, x, a, b = _in_opmath(input, t1, t2)
    if not x.dtype.is_floating_point:
        return x + value * a * b
    # PyTorch's kernel: fma(value * t1, t2, input), rounded once
    out = _core._fused_multiply_add(value * a if value != 1 else a, b, x)
    return out if out.dtype == dtype else out.to(dtype)


def _conj(x: Any) -> Any:
    """The complex conjugate of a complex tensor or number (PyTorch's gradients of complex
    products use the conjugated factors); anything real itself."""
    if isinstance(x, Tensor):
        return x.conj() if x.dtype.is_complex else x
    return x.conjugate() if isinstance(x, complex) else x


def _addcmul_backward(ctx: Any, grad: Tensor) -> Any:
    input, t1, t2 = ctx.saved_tensors
    v = ctx.value
    return (
        _grad_for(grad, input),
        _grad_for(grad * _conj(t2 * v), t1) if ctx.needs_input_grad[1] else None,
        _grad_for(grad * _conj(t1 * v), t2) if ctx.needs_input_grad[2] else None,
        None,
    )


def _addcdiv_forward(ctx: Any, input: Tensor, t1: Tensor, t2: Tensor, value: Any) -> Tensor:
    ctx.save_for_backward(input, t1, t2)
    ctx.value = value
    dtype, x, a, b = _in_opmath(input, t1, t2)
    out = x + (value * a if value != 1 else a) / b  # PyTorch's order: (value * t1) / t2
    return out if out.dtype == dtype else out.to(dtype)


def _addcdiv_backward(ctx: Any, grad: Tensor) -> Any:
    input, t1, t2 = ctx.saved_tensors
    v = ctx.value
    return (
        _grad_for(grad, input),
        _grad_for(grad * _conj(v / t2), t1) if ctx.needs_input_grad[1] else None,
        _grad_for(-grad * _conj(v * t1 / (t2 * t2)), t2) if ctx.needs_input_grad[2] else None,
        None,
    )


_Addcmul = _node("AddcmulBackward0", _addcmul_forward, _addcmul_backward, node_attrs())
_Addcdiv = _node("AddcdivBackward0", _addcdiv_forward, _addcdiv_backward, node_attrs())


def _check_addc(name: str, input: Any, t1: Any, t2: Any, value: Any) -> Any:
    """PyTorch's argument checks, in its order up to the shapes; the `value` as a Python
    number (not yet converted for the common dtype)."""
    _need_tensor(name, "input", 1, input)
    _need_tensor(name, "tensor1", 2, t1)
    _need_tensor(name, "tensor2", 3, t2)
    value = addc_number(name, value)
    if name.endswith("_"):
        _refuse_leaf(input)  # autograd's check runs before the op's own
    if name.startswith("addcdiv") and not any(t.dtype.is_floating_point or t.dtype.is_complex for t in (t1, t2)):
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will "
            "perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented "
            "as (input + value * ferrograd.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as "
            "(input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the "
            "latter implementation: (input + value * tensor1 / tensor2), for all dtypes."
        )
    refuse_unbroadcastable(input, t1, t2, out=input if name.endswith("_") else None)
    return value


def _addc_common(name: str, input: Tensor, t1: Tensor, t2: Tensor, value: Any) -> Any:
    """The common dtype's checks (the kernel's, the in-place cast) and `value` converted for it."""
    from ._tensor_api import can_cast

    common = _core._tensors_result_type(input, t1, t2)
    if name.endswith("_") and not can_cast(common, input.dtype):
        raise RuntimeError(
            f"result type {_kernel_name(common)} can't be cast to the desired output type {_kernel_name(input.dtype)}"
        )
    if name.startswith("addcmul") and common == _core.bool:
        raise NotImplementedError("\"addcmul_cpu_out\" not implemented for 'Bool'")
    if name.startswith("addcdiv") and common == _core.complex32:
        raise NotImplementedError("\"addcdiv_cpu_out\" not implemented for 'ComplexHalf'")
    return addc_converted(value, common)


def _addcmul_operands(name: str, input: Any, t1: Any, t2: Any, value: Any) -> tuple:
    """The operands and `value` of `addcmul`/`addcmul_` after PyTorch's checks, in its order."""
    value = _check_addc(name, input, t1, t2, value)
    refuse_shell("addcmul_cpu_out", input, t1, t2)
    input, t1, t2 = widen_0d_float8(input, t1, t2)
    refuse_float8("addcmul_cpu_out", _core._tensors_result_type(input, t1, t2))
    return input, t1, t2, _addc_common(name, input, t1, t2, value)


def _addcdiv_operands(name: str, input: Any, t1: Any, t2: Any, value: Any) -> tuple:
    """The operands and `value` of `addcdiv`/`addcdiv_` after PyTorch's checks, in its order."""
    value = _check_addc(name, input, t1, t2, value)
    refuse_complex32("addcdiv_cpu_out", input, t1, t2)
    input, t1, t2 = widen_0d_float8(input, t1, t2)
    if is_float8(input) or is_float8(t1) or is_float8(t2):
        refuse_float8("addcdiv_cpu_out", _core._tensors_result_type(input, t1, t2))
    return input, t1, t2, _addc_common(name, input, t1, t2, value)


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """`input + value * tensor1 * tensor2`, elementwise with broadcasting.

    Args:
        input: the tensor added to.
        tensor1: the first factor.
        tensor2: the second factor.
        value: multiplier of the product (default 1).
    """
    return _Addcmul.apply(*_addcmul_operands("addcmul", input, tensor1, tensor2, value))


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """`input + value * tensor1 / tensor2`, elementwise with broadcasting (true
    division).

    Args:
        input: the tensor added to.
        tensor1: the dividend.
        tensor2: the divisor.
        value: multiplier of the quotient (default 1).
    """
    return _Addcdiv.apply(*_addcdiv_operands("addcdiv", input, tensor1, tensor2, value))


_AddcmulInplace = _inplace_node("AddcmulBackward0", _addcmul_forward, _addcmul_backward, node_attrs())
_AddcdivInplace = _inplace_node("AddcdivBackward0", _addcdiv_forward, _addcdiv_backward, node_attrs())


def _addc_inplace(name: str):
    node = _AddcmulInplace if name == "addcmul_" else _AddcdivInplace
    operands = _addcmul_operands if name == "addcmul_" else _addcdiv_operands

    def method(self: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
        _, tensor1, tensor2, value = operands(name, self, tensor1, tensor2, value)
        return node.apply(self, tensor1, tensor2, value)

    method.__name__ = method.__qualname__ = name
    return method


def _refuse_leaf(self: Tensor) -> None:
    """PyTorch's refusal to write in place into a leaf that requires grad, or a view of one."""
    if not (self.requires_grad and _core.is_grad_enabled()):
        return
    base = self._base  # a view is judged by its base first, as PyTorch's check_inplace
    if base is not None and base.is_leaf and base.requires_grad:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
    if self.is_leaf:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")


def _check_inplace(self: Tensor, result: Tensor) -> None:
    """PyTorch's checks that an op's `result` may be written into `self`."""
    _refuse_leaf(self)
    if result.shape != self.shape:
        raise RuntimeError(
            f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(result.shape)}"
        )
    from ._tensor_api import can_cast

    # PyTorch's casting rule: no complex into real, no float into integral, no number into bool
    if not can_cast(result.dtype, self.dtype):
        raise RuntimeError(
            f"result type {_kernel_name(result.dtype)} can't be cast to the desired output type "
            f"{_kernel_name(self.dtype)}"
        )


def _kernel_name(d: Any) -> str:
    return scalar_name(d)


# ---- diff --------------------------------------------------------------------------


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None, append: Tensor | None = None) -> Tensor:
    """The n-th forward difference along `dim`: `out[i] = input[i + 1] - input[i]`,
    applied `n` times (bools give xor).

    Args:
        input: the input tensor.
        n: how many times to difference (default 1).
        dim: the dimension along which to difference (default the last).
        prepend: values concatenated before `input` along `dim` first; None for none.
        append: values concatenated after `input` along `dim` first; None for none.
    """
    need_int64(n)
    need_int64(dim)
    need_int("diff", "n", 2, n)
    _need_tensor("diff", "input", 1, input)
    if input.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    from ._shape import _wrap_dim

    parts = [t for t in (prepend, input, append) if t is not None]
    for p in parts:
        if p is input:
            continue
        wrapped = _wrap_dim(dim, input.dim())
        if p.dim() != input.dim():
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        for i in range(p.dim()):
            if i != wrapped and p.shape[i] != input.shape[i]:
                raise RuntimeError(
                    "diff expects the shape of tensor to prepend or append to match that of input except along the "
                    f"differencing dimension; input.size({i}) = {input.shape[i]}, but got tensor.size({i}) = "
                    f"{p.shape[i]}")
    if n == 0:
        # torch ignores prepend/append for n=0 and returns a copy of input (CopyBackwards)
        from ._creation import empty_like

        return empty_like(input).copy_(input)
    dim = _wrap_dim(dim, input.dim())
    x = _cat(parts, dim) if len(parts) > 1 else input
    for _ in range(n):
        length = x.shape[dim]
        if length == 0:
            break
        hi = x.narrow(dim, 1, length - 1)
        lo = x.narrow(dim, 0, length - 1)
        x = hi.logical_xor(lo) if x.dtype == _core.bool else hi - lo
    return x


# ---- NaN-aware reductions -------------------------------------------------------------


def _dims_of(t: Tensor, dim: Any) -> tuple[int, ...]:
    if dim is None:
        return tuple(range(t.dim()))
    if isinstance(dim, int):
        return (dim % builtins.max(t.dim(), 1),)
    return tuple(d % builtins.max(t.dim(), 1) for d in dim)


def _nansum_forward(ctx: Any, input: Tensor, dim: Any, keepdim: bool, dtype: Any) -> Tensor:
    ctx.save_for_backward(input)
    ctx.dim, ctx.keepdim = dim, keepdim
    x = input.nan_to_num(0.0, math.inf, -math.inf) if input.dtype.is_floating_point else input
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        r = x.sum(dtype=dtype) if dtype is not None else x.sum()
        return r.reshape([1] * input.dim()) if keepdim else r
    return x.sum(dim, keepdim=keepdim, dtype=dtype) if dtype is not None else x.sum(dim, keepdim=keepdim)


def _nansum_backward(ctx: Any, grad: Tensor) -> Any:
    (input,) = ctx.saved_tensors
    g = grad
    reduced = ctx.dim is not None and not (isinstance(ctx.dim, (tuple, list)) and len(ctx.dim) == 0)
    if input.dim() and not ctx.keepdim and reduced:
        for d in sorted(_dims_of(input, ctx.dim)):
            g = g.unsqueeze(d)
    g = g.expand(tuple(input.shape))
    mask = input.isnan().logical_not()
    return (g * mask).to(input.dtype), None, None, None


def _saved_self(node: Any) -> Tensor:
    return node.saved_tensors[0]


def _saved_at(index: int, node: Any) -> Tensor:
    return node.saved_tensors[index]


def saved_tensor_attrs(*fields: str) -> dict[str, property]:
    """PyTorch's `_saved_<field>` for a Function node that saved these tensors, in order
    (freed, as theirs, by backward)."""
    return {f"_saved_{field}": property(functools.partial(_saved_at, i)) for i, field in enumerate(fields)}


# PyTorch's `_saved_*` of the nodes these Functions stand for (freed, as theirs, by backward)
_NANSUM_ATTRS = {
    "_saved_dim": property(lambda node: saved_values.c_dims(node.dim)),
    "_saved_keepdim": property(lambda node: node.keepdim),
    "_saved_self": property(_saved_self),
}
_RENORM_ATTRS = {
    "_saved_dim": property(lambda node: saved_values.c_int(node.dim)),
    # the numbers as given (the forward computes with their float values)
    "_saved_maxnorm": property(lambda node: node.__dict__.get("_ferro_given", (node.p, node.maxnorm))[1]),
    "_saved_p": property(lambda node: node.__dict__.get("_ferro_given", (node.p, node.maxnorm))[0]),
    "_saved_self": property(_saved_self),
}
_Nansum = _node("NansumBackward0", _nansum_forward, _nansum_backward, _NANSUM_ATTRS)


def nansum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """The sum of the elements, over all of them or over `dim`, treating NaN as zero.

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions; None for all.
        keepdim: keep reduced dimensions with size 1.
        dtype: the dtype to cast to before reducing, and of the result.
    """
    _need_tensor("nansum", "input", 1, input)
    strided_only(input)
    _check_reduction_dims(input, dim)
    if input.dtype.is_complex:
        raise RuntimeError("nansum on CPU does not support complex inputs")
    dtype = python_type_dtype(dtype)
    if dtype is not None and dtype.is_complex:
        if not input.dtype.is_floating_point:  # PyTorch's nansum of integers is sum
            return input.sum(() if dim is None else dim, keepdim, dtype=dtype)
        raise NotImplementedError(f"\"nansum_cpu\" not implemented for '{scalar_name(dtype)}'")
    if input.dtype == _core.bool and dtype is None:
        dtype = _core.int64
    if dtype is not None and not dtype.is_floating_point and input.requires_grad and _core.is_grad_enabled():
        raise RuntimeError(f"Autograd not support dtype: {scalar_name(dtype)}")
    if is_float8(input):
        if dtype is None or is_float8(dtype):
            if input.numel():
                refuse_float8("nansum_cpu", input)
        else:
            input, dtype = input.to(dtype), None  # PyTorch sums in the wider dtype asked for
    return _Nansum.apply(input, dim, keepdim, dtype)


def _check_reduction_dims(input: Tensor, dim: Any) -> None:
    """The IndexError of a dim out of range, which PyTorch raises before checking dtypes."""
    from ._shape import _wrap_dim

    for d in () if dim is None else dim if isinstance(dim, (list, tuple)) else (dim,):
        if isinstance(d, int):
            _wrap_dim(d, input.dim())


def nanmean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """The mean of the non-NaN elements, over all of them or over `dim`.

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions; None for all.
        keepdim: keep reduced dimensions with size 1.
        dtype: the dtype to cast to before reducing, and of the result.
    """
    _need_tensor("nanmean", "input", 1, input)
    dtype = python_type_dtype(dtype)
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError(
            f"nanmean(): expected input to have floating point or complex dtype but got {_kernel_name(input.dtype)}"
        )
    _check_reduction_dims(input, dim)
    if input.dtype.is_complex:
        raise RuntimeError("nansum on CPU does not support complex inputs")
    if dtype is not None and not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(
            "nanmean(): could not infer output dtype. Optional dtype must be either a floating point or complex "
            f"dtype. Got: {_kernel_name(dtype)}"
        )
    if dtype is not None and dtype.is_complex:  # nansum, which nanmean runs, has no complex kernel
        raise NotImplementedError(f"\"nansum_cpu\" not implemented for '{_kernel_name(dtype)}'")
    if dtype is not None:
        input = input.to(dtype)
    if is_float8(input):
        if input.numel():
            refuse_float8("nansum_cpu", input)
        # the empty sum has no kernel to refuse it; dividing it by the int64 count does
        raise RuntimeError(
            f"Promotion for Float8 Types is not supported, attempted to promote {_kernel_name(input.dtype)} and Long")
    count = input.isnan().logical_not()
    if dim is None:
        return nansum(input, None, keepdim) / count.sum()
    return nansum(input, dim, keepdim) / count.sum(dim, keepdim=keepdim)


def _nan_last_sort(x: Tensor, dim: int) -> tuple[Tensor, Tensor]:
    # ferrograd's (and PyTorch's) ascending sort puts NaN last
    values, indices = x.sort(dim=dim, stable=True)
    return values, indices


def _nanmedian_dim_forward(ctx: Any, input: Tensor, dim: int, keepdim: bool) -> Any:
    x = input if input.dim() > 0 else input.reshape(1)
    d = dim % x.dim()
    values, indices = _nan_last_sort(x, d)
    count = x.isnan().logical_not().sum(d, keepdim=True)
    pos = ((count - 1).clamp(min=0)) // 2
    v = values.gather(d, pos)
    i = indices.gather(d, pos)
    if input.dim() == 0:
        v, i = v.reshape(()), i.reshape(())
    elif not keepdim:
        v, i = v.squeeze(d), i.squeeze(d)
    ctx.shape, ctx.dim, ctx.keepdim, ctx.given_dim = tuple(input.shape), d, keepdim, dim
    ctx.save_for_backward(i)
    ctx.mark_non_differentiable(i)
    return v, i


def _nanmedian_dim_backward(ctx: Any, grad: Tensor, _: Any) -> Any:
    (i,) = ctx.saved_tensors
    if len(ctx.shape) == 0:
        return grad.clone(), None, None
    if not ctx.keepdim:
        grad, i = grad.unsqueeze(ctx.dim), i.unsqueeze(ctx.dim)
    out = grad.new_zeros(ctx.shape).scatter(ctx.dim, i, grad)
    return out, None, None


def _nanmedian_all_forward(ctx: Any, input: Tensor) -> Tensor:
    flat = input.reshape(-1)
    values, _ = _nan_last_sort(flat, 0)
    count = int(flat.isnan().logical_not().sum().item())
    r = values[builtins.max(count - 1, 0) // 2]
    ctx.save_for_backward(input, r)
    return r


def _nanmedian_all_backward(ctx: Any, grad: Tensor) -> Any:
    input, r = ctx.saved_tensors
    # PyTorch's evenly_distribute_backward: shared among the elements equal to the result
    mask = input.isnan() if bool(r.isnan()) else input == r
    return grad * mask / mask.sum()


_NanmedianAll = _node("NanmedianBackward0", _nanmedian_all_forward, _nanmedian_all_backward,
                      saved_tensor_attrs("self", "result"))
_NanmedianDim = _node("NanmedianBackward1", _nanmedian_dim_forward, _nanmedian_dim_backward, {
    **saved_tensor_attrs("indices"),
    "_saved_dim": property(lambda node: saved_values.c_int(node.given_dim)),
    "_saved_keepdim": property(lambda node: node.keepdim),
    "_saved_self_sym_sizes": property(lambda node: node.shape),
})


def nanmedian(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """The lower median of the non-NaN elements: of all of them, or `(values, indices)`
    along `dim`.

    Args:
        input: the input tensor.
        dim: the dimension to reduce; None for all elements (then no indices).
        keepdim: keep the reduced dimension with size 1 (with `dim`).
    """
    if dim is not None:
        need_int("nanmedian", "dim", 2, dim)
    _need_tensor("nanmedian", "input", 1, input)
    kernel = "median_cpu" if dim is None else "median_out"
    if dim is None and input.numel() == 0:
        # NaN (the lowest integer for integer dtypes, true for bool), as PyTorch
        return _core._named_node(input.median(), "NanmedianBackward0") if input.requires_grad else input.median()
    if dim is not None:
        nd = builtins.max(input.dim(), 1)
        if not -nd <= dim < nd:
            raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {dim})")
        if input.dim() > 0 and input.shape[dim] == 0:
            raise IndexError(f"median(): Expected reduction dim {dim % nd} to have non-zero size.")
    # PyTorch's kernel dispatch, after the checks of the dim
    refuse_shell(kernel, input)
    if input.dtype == _core.bool:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    from ._complex import refuse_complex

    refuse_complex(input, kernel)
    refuse_float8(kernel, input)
    if dim is None:
        return _NanmedianAll.apply(input)
    return _Nanmedian(_NanmedianDim.apply(input, dim, keepdim))


# ---- quantile ----------------------------------------------------------------------

_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


# PyTorch's limit on the elements quantile sorts in one row
_QUANTILE_MAX_ROW = 2**24


def _quantile(name: str, input: Tensor, q: Any, dim: int | None, keepdim: bool, interpolation: str, ignore_nan: bool) -> Tensor:
    _need_tensor(name, "input", 1, input)
    if not isinstance(q, (Tensor, float, int)):  # a bool is the number 0 or 1, as in PyTorch
        overloads = "".join(
            f" * (Tensor input, {kind} q, int dim = None, bool keepdim = False, *, str interpolation = \"linear\", "
            "Tensor out = None)\n" for kind in ("Tensor", "float")
        )
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({_type_name(input)}, "
                        f"{_type_name(q)}), but expected one of:\n{overloads}")
    # PyTorch's messages name quantile for nanquantile too; a number q is checked first
    if not isinstance(q, Tensor) and not 0 <= q <= 1:
        raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {float(q):g}")
    if input.numel() == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if input.dtype not in (_core.float32, _core.float64):
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    scalar_q = not isinstance(q, Tensor)
    qt = _tensor([float(q)], dtype=input.dtype) if scalar_q else q
    if qt.dim() > 1:
        raise RuntimeError("quantile() q must be a scalar or 1D tensor")
    if qt.dtype != input.dtype:
        raise RuntimeError("quantile() q tensor must be same dtype as the input tensor")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(
            f"quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but got {interpolation}"
        )
    qv = qt.detach().reshape(-1).tolist()
    if any(not (0 <= v <= 1) for v in qv):
        raise RuntimeError("quantile() q values must be in the range [0, 1]")
    # ATen's quantile_compute, whose ops make PyTorch's graph: the rows sorted with the
    # reduced dim last, the ranks below and above each q gathered, lerp_ between them
    if dim is None:
        n = builtins.max(input.numel(), 1)
        out_shape = [1] * input.dim() if keepdim else []
    else:
        nd = builtins.max(input.dim(), 1)
        if not -nd <= dim < nd:
            raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {dim})")
        d = dim % nd
        n = input.shape[d] if input.dim() > 0 else 1
        out_shape = list(input.shape)
        if input.dim() > 0:
            if keepdim:
                out_shape[d] = 1
            else:
                del out_shape[d]
    if n > _QUANTILE_MAX_ROW:
        raise RuntimeError("quantile() input tensor is too large")  # nanquantile too, as PyTorch
    if dim is None:
        ordered = input.flatten().sort()[0]
    elif d == input.dim() - 1:
        ordered = input.sort()[0]
    else:
        ordered = input.unsqueeze(-1).transpose(d, -1).sort()[0]
    qt = _tensor(float(q), dtype=input.dtype) if scalar_q else q
    out_shape.insert(0, qt.numel())  # q as a 1-D tensor: its values lead the output's dims
    ordered = ordered.view(tuple(out_shape[1:] + [n]))
    if ignore_nan:  # ranks among the non-NaN values; a row of NaN only reads its first, NaN, value
        ranks = qt * (ordered.isnan().logical_not().sum(-1, keepdim=True) - 1)
        ranks = ranks.masked_fill(ranks < 0, 0)
    else:  # a row with NaN reads its last, NaN, value
        from ._shape import broadcast_tensors

        scaled, has_nan = broadcast_tensors(qt * (n - 1), ordered.isnan().any(-1, keepdim=True))
        ranks = scaled.masked_fill(has_nan, n - 1)
    if interpolation == "lower":
        ranks = ranks.floor()
    elif interpolation == "higher":
        ranks = ranks.ceil()
    elif interpolation == "nearest":
        ranks = ranks.round()
    below = ranks.to(_core.int64)
    values = ordered.gather(-1, below)
    if interpolation in ("linear", "midpoint"):
        weights = ranks * 0 + 0.5 if interpolation == "midpoint" else ranks - below
        values.lerp_(ordered.gather(-1, ranks.ceil().to(_core.int64)), weights)
    if qt.dim() > 0:
        saved_values.keep(values.unsqueeze_(0), "UnsqueezeBackward1", {"dim": 0})
        saved_values.keep(values.transpose_(0, -1), "TransposeBackward1", {"dim0": 0, "dim1": saved_values.c_int(-1)})
    sizes = tuple(values.shape)
    # the core's in-place view nodes keep no arguments: PyTorch's are kept here
    saved_values.keep(values.squeeze_(-1), "SqueezeBackward4", {"dim": saved_values.c_int(-1), "self_sym_sizes": sizes})
    return values


def quantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    """The q-th quantiles of `input`, over all elements or along `dim` (a slice
    containing NaN gives NaN).

    Args:
        input: a float32 or float64 tensor.
        q: a probability in [0, 1], or a 1-D tensor of them (then the result has a
            leading dimension of that size).
        dim: the dimension to reduce; None for the flattened input.
        keepdim: keep the reduced dimension with size 1.
        interpolation: how to interpolate between two data points: 'linear' (default),
            'lower', 'higher', 'midpoint' or 'nearest'.
    """
    if dim is not None:
        need_int("quantile", "dim", 3, dim)
    return _quantile("quantile", input, q, dim, keepdim, interpolation, False)


def nanquantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    """The q-th quantiles of `input`, over all elements or along `dim`, ignoring NaN.

    Args:
        input: a float32 or float64 tensor.
        q: a probability in [0, 1], or a 1-D tensor of them (then the result has a
            leading dimension of that size).
        dim: the dimension to reduce; None for the flattened input.
        keepdim: keep the reduced dimension with size 1.
        interpolation: how to interpolate between two data points: 'linear' (default),
            'lower', 'higher', 'midpoint' or 'nearest'.
    """
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, True)


# ---- histogram, isin, index helpers (no gradient) ------------------------------------


def _np(t: Tensor) -> np.ndarray:
    t = t.detach()
    if t.dtype in (_core.float32, _core.float64) or not (t.dtype.is_floating_point or t.dtype.is_complex):
        return t.numpy()  # NumPy holds these dtypes as they are
    return np.asarray(t.tolist())


def _check_bin_edges(input: Tensor, bins: Tensor) -> None:
    """PyTorch's checks of a bin-edge tensor, before the dtype dispatch."""
    if bins.dtype != input.dtype:
        raise RuntimeError(
            "torch.histogramdd: input tensor and bins tensors should have the same dtype, but got input with dtype "
            f"{cpp_name(input.dtype)} and bins for dimension 0 with dtype {cpp_name(bins.dtype)}"
        )
    if bins.dim() != 1:
        raise RuntimeError(f"torch.histogramdd: bins tensor should have one dimension, but got {bins.dim()} "
                           "dimensions in the bins tensor for dimension 0")
    if bins.numel() == 0:
        raise RuntimeError("torch.histogramdd: bins tensor should have at least 1 element, but got 0 elements in the "
                           "bins tensor for dimension 0")
    if bins.numel() == 1:
        raise RuntimeError("torch.histogram(): bins must be > 0, but got 0 for dimension 0")


def histogram(input: Tensor, bins: Any = 100, *, range: Any = None, weight: Tensor | None = None, density: bool = False) -> Any:
    """A histogram of the elements of a float tensor, as `(hist, bin_edges)`.

    Args:
        input: a floating-point tensor.
        bins: the number of equal-width bins (default 100), or a 1-D tensor of
            increasing bin edges.
        range: (min, max) of the bins; None for the minimum and maximum of `input`.
        weight: a tensor shaped like `input` whose values are summed per bin instead of
            counting; None to count.
        density: divide so that the histogram integrates to 1 over the range.
    """
    _need_tensor("histogram", "input", 1, input)
    if range is not None:
        from ._parser_check import float_list_error

        error = float_list_error("histogram", (input,) if bins == 100 else (input, bins), "range", range)
        if error is not None:
            raise error
    if isinstance(bins, bool):
        raise TypeError(
            "histogram() received an invalid combination of arguments - got (Tensor, bool), but expected one of:\n"
            " * (Tensor input, Tensor bins, *, Tensor weight = None, bool density = False, tuple of Tensors out = None)\n"
            " * (Tensor input, int bins = 100, *, tuple of floats range = None, Tensor weight = None, bool density = False,"
            " tuple of Tensors out = None)\n")
    if isinstance(bins, Tensor):
        _check_bin_edges(input, bins)
    kernel = "histogram_cpu" if isinstance(bins, Tensor) else "histogramdd"
    if is_float8(input) and kernel == "histogramdd" and input.numel() == 0:
        kernel = "linspace_cpu"  # no data to bin: PyTorch only spaces the bin edges
    if not input.dtype.is_floating_point or input.dtype in (_core.float16, _core.bfloat16) or is_float8(input):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_kernel_name(input.dtype)}'")
    data = _np(input).reshape(-1)
    w = None
    if weight is not None:
        if weight.dtype != input.dtype:
            raise RuntimeError(
                "torch.histogramdd: if weight tensor is provided, input tensor and weight tensor should have the "
                f"same dtype, but got input({cpp_name(input.dtype)}), and weight({cpp_name(weight.dtype)})"
            )
        if weight.numel() != input.numel():  # PyTorch bins the flattened input, weighted by the flattened weight
            raise RuntimeError(
                "torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor "
                f"excluding its innermost dimension, but got input with shape [{input.numel()}, 1] and weight with "
                f"shape [{weight.numel()}]")
        w = _np(weight).reshape(-1)
    if isinstance(bins, Tensor):
        edges = _np(bins).astype(np.float64)
    else:
        need_int64(bins)
        if bins <= 0:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
        from ._products import _reserve_bin_edges

        _reserve_bin_edges(bins, input.dtype)
        if range is not None:
            if len(range) != 2:
                raise RuntimeError("torch.histogramdd: for a 1-dimensional histogram range should have 2 elements, "
                                   f"but got {len(range)}")
            lo, hi = float(range[0]), float(range[1])
        elif data.size:
            lo, hi = float(data.min()), float(data.max())
        else:
            lo, hi = 0.0, 1.0
        from ._histogramdd import linear_edges

        edges = linear_edges(lo, hi, bins, input.dtype)
    from ._histogramdd import by_search

    # PyTorch's binary search over the edges (unsorted given edges too), the last bin closed
    hist = by_search(data.reshape(-1, 1).astype(np.float64), [edges], None if w is None else w.astype(np.float64),
                     False)
    if density:
        widths = np.diff(edges)
        total = hist.sum()
        hist = hist / (total * widths) if total else hist * np.nan
    d = input.dtype
    return _Histogram((_tensor(hist.tolist(), dtype=d), _tensor(edges.tolist(), dtype=d)))


def _refuse_float8_isin(elements: Any, test_elements: Tensor, assume_unique: bool) -> None:
    """PyTorch's isin of 8-bit floats: it promotes the two dtypes (which fails for a
    pair), then refuses in the kernel it picks: a direct comparison when `test_elements`
    is small for the number of elements (NumPy's rule), else a sort (after `unique`
    unless the values are said to be unique)."""
    count = 1
    if isinstance(elements, Tensor):
        if elements.dtype != test_elements.dtype:
            _core.promote_types(elements.dtype, test_elements.dtype)
        if elements.numel() == 0:
            return
        count = elements.numel()
    sorts = test_elements.numel() >= int(10.0 * count**0.145)
    if not sorts:
        refuse_float8("isin_default_cpu", test_elements)
    refuse_float8("sorting_kernel_method_name" if assume_unique else "unique", test_elements)


def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """A bool tensor shaped like `elements`, True where the element occurs in
    `test_elements`.

    Args:
        elements: a tensor or number.
        test_elements: a tensor or number to look in.
        assume_unique: promise that both hold distinct values (allows a faster path in
            PyTorch; same result here).
        invert: return the negation (True where the element does not occur).
    """
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError(
            f"isin() received an invalid combination of arguments - got ({_type_name(elements)}, {_type_name(test_elements)})"
        )
    for t in (elements, test_elements):
        if isinstance(t, Tensor) and (t.dtype.is_complex or t.dtype == _core.bool):
            raise RuntimeError(f"Unsupported input type encountered for isin(): {_kernel_name(t.dtype)}")
        if isinstance(t, bool):
            raise RuntimeError("Unsupported input type encountered for isin(): Bool")  # noqa: TRY004  (as PyTorch)
        if isinstance(t, complex):  # a number is read as a double, a complex one as a complex double
            raise RuntimeError("Unsupported input type encountered for isin(): ComplexDouble")  # noqa: TRY004
    if isinstance(test_elements, Tensor):  # against a number, PyTorch compares with eq
        for t in (elements, test_elements):
            if isinstance(t, Tensor) and t.dtype in (_core.uint16, _core.uint32, _core.uint64):
                raise NotImplementedError(f"\"isin_default_cpu\" not implemented for '{_kernel_name(t.dtype)}'")
        if is_float8(elements) or is_float8(test_elements):
            _refuse_float8_isin(elements, test_elements, assume_unique)
        if not test_elements.is_contiguous():
            _refuse_unflattenable_test_elements(elements, test_elements)
    if isinstance(elements, Tensor):
        shape = tuple(elements.shape)
        a = _np(elements)
    else:
        shape = ()
        a = np.asarray(elements)
    b = _np(test_elements) if isinstance(test_elements, Tensor) else np.asarray([test_elements])
    r = np.isin(a, b.reshape(-1), invert=invert)
    # reshaped again: an empty nested list keeps no trailing sizes
    return _tensor(np.asarray(r).reshape(shape).tolist(), dtype=_core.bool).reshape(shape)


def _refuse_unflattenable_test_elements(elements: Any, test_elements: Tensor) -> None:
    """PyTorch's kernel for few test elements (numpy's rule: fewer than 10 * n**0.145 for
    n elements) takes them, in the common dtype, as a flat view: where none exists (a
    transposed or expanded tensor) it raises the view's error."""
    n = elements.numel() if isinstance(elements, Tensor) else 1
    if n == 0 or test_elements.numel() >= int(10.0 * n**0.145):
        return
    common = _core._result_type(elements, test_elements)
    (test_elements if test_elements.dtype == common else test_elements.to(common)).view(-1)


def _tri_indices(name: str, row: int, col: int, offset: int, dtype: Any, upper: bool) -> Tensor:
    if dtype is None:
        dtype = _core.int64
    if dtype not in (_core.int64, _core.int32):
        raise NotImplementedError("\"" + name + "\" not implemented for '" + _kernel_name(dtype) + "'")
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    size = row * col - _tril_size(row, col, offset - 1) if upper else _tril_size(row, col, offset)
    out = _empty((2, _wrap_int64(size)), dtype=dtype)  # PyTorch's size errors, before any work
    if out.shape[1] == 0:
        return out
    offset = builtins.max(-row - 1, builtins.min(offset, col + 1))  # the same triangle, no int64 overflow
    if upper:  # row i holds columns max(0, i + offset) .. col - 1
        rows = np.arange(0, builtins.max(0, builtins.min(row, col - offset)), dtype=np.int64)
        first = np.maximum(0, rows + offset)
        counts = col - first
    else:  # row i holds columns 0 .. min(col, i + offset + 1) - 1
        rows = np.arange(builtins.max(0, -offset), row, dtype=np.int64)
        first = np.zeros_like(rows)
        counts = np.minimum(col, rows + offset + 1)
    r = np.repeat(rows, counts)
    starts = np.cumsum(counts) - counts
    c = np.arange(r.size, dtype=np.int64) - np.repeat(starts, counts) + np.repeat(first, counts)
    return _tensor(np.stack([r, c]), dtype=dtype)


def _wrap_int64(n: int) -> int:
    return (n + 2**63) % 2**64 - 2**63


def _tril_size(row: int, col: int, offset: int) -> int:
    """PyTorch's count of lower-triangle entries, in its int64 arithmetic (which wraps)."""
    if row == 0 or col == 0:
        return 0
    offset = _wrap_int64(offset)
    m_first_row = builtins.min(col, 1 + offset) if offset > 0 else builtins.int(_wrap_int64(row + offset) > 0)
    m_last_row = builtins.max(0, builtins.min(col, _wrap_int64(row + offset)))
    n_row_all = builtins.max(0, builtins.min(row, _wrap_int64(row + offset)))
    n_row_trapezoid = m_last_row - m_first_row + 1
    size = _wrap_int64((m_first_row + m_last_row) * n_row_trapezoid) >> 1
    if n_row_all - n_row_trapezoid > 0:
        size = _wrap_int64(size + _wrap_int64((n_row_all - n_row_trapezoid) * col))
    return size


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None, layout: Any = None,
                 requires_grad: bool = False) -> Tensor:
    """The (row, column) indices of the lower triangle of a row × col matrix, as a 2 × N
    tensor in row-major order.

    Args:
        row: the number of rows of the matrix.
        col: the number of columns.
        offset: the diagonal that bounds the triangle: 0 the main one, positive above,
            negative below.
        dtype: int64 (default) or int32.
        device: the device (only the CPU exists).
        layout: ignored (only strided tensors exist).
        requires_grad: refused with True, as for any integer tensor.
    """
    refuse_bad_device("tril_indices", device)
    row, col, offset = (need_int("tril_indices", name, position, value)
                        for position, (name, value) in enumerate((("row", row), ("col", col), ("offset", offset)), 1))
    indices = _tri_indices("tril_indices", row, col, offset, dtype, False)
    if requires_grad:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    return indices


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None, layout: Any = None,
                 requires_grad: bool = False) -> Tensor:
    """The (row, column) indices of the upper triangle of a row × col matrix, as a 2 × N
    tensor in row-major order.

    Args:
        row: the number of rows of the matrix.
        col: the number of columns.
        offset: the diagonal that bounds the triangle: 0 the main one, positive above,
            negative below.
        dtype: int64 (default) or int32.
        device: the device (only the CPU exists).
        layout: ignored (only strided tensors exist).
        requires_grad: refused with True, as for any integer tensor.
    """
    refuse_bad_device("triu_indices", device)
    row, col, offset = (need_int("triu_indices", name, position, value)
                        for position, (name, value) in enumerate((("row", row), ("col", col), ("offset", offset)), 1))
    indices = _tri_indices("triu_indices", row, col, offset, dtype, True)
    if requires_grad:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    return indices


def _unravel_shape(shape: Any) -> tuple[int, ...]:
    """PyTorch's Python checks of `unravel_index`'s shape: an int or a sequence of ints."""
    if isinstance(shape, int):
        return (shape,)
    if not isinstance(shape, Sequence):
        raise TypeError("expected 'shape' to be int or sequence of ints, but got " + str(type(shape)))
    for size in shape:
        if not isinstance(size, int):
            raise TypeError("expected 'shape' sequence to only contain ints, but got " + str(type(size)))
    return tuple(int(s) for s in shape)


def unravel_index(indices: Any, shape: Any) -> tuple[Tensor, ...]:
    """The coordinates, in a tensor of shape `shape`, of each flat (row-major) index.

    Args:
        indices: an integer tensor (or int) of flat indices.
        shape: the shape to unravel into.

    Returns:
        a tuple of int64 tensors shaped like `indices`, one per dimension of `shape`.
    """
    need_tensor_method(indices, "is_complex")  # PyTorch's Python asks `indices.is_complex()` first
    if indices.dtype.is_complex or indices.dtype.is_floating_point or indices.dtype == _core.bool:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    shape = _unravel_shape(shape)
    if any(s < 0 for s in shape):
        raise ValueError("'shape' cannot have negative values, but got " + str(shape))
    flat = _np(indices).astype(np.int64)
    if flat.size and 0 in shape:  # PyTorch's integer `%` by a zero size
        raise RuntimeError("ZeroDivisionError")
    # PyTorch's `indices // stride % size` per dim: indices out of range wrap, unchecked
    strides = [math.prod(shape[i + 1:]) for i in range(len(shape))]
    ishape = tuple(indices.shape)
    if not shape:
        return ()
    coords = np.stack([flat // stride % s if s else flat * 0 for stride, s in zip(strides, shape)], axis=-1)
    # PyTorch stacks the coordinates along a last dim and unbinds it: views of one tensor
    return _tensor(coords.tolist(), dtype=_core.int64).reshape((*ishape, len(shape))).unbind(-1)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """The length-`r` combinations of the elements of a 1-D tensor, one per row (as
    `itertools.combinations`).

    Args:
        input: a 1-D tensor.
        r: the length of each combination (default 2).
        with_replacement: allow an element to repeat within a combination.
    """
    need_int64(r)
    r = builtins.int(r)  # a 0-d integer tensor too
    _need_tensor("combinations", "input", 1, input)
    if input.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input.new_zeros((0,))
    if input.shape[0] > 1 and input.shape[0] ** r >= 2**63:
        # PyTorch spreads r copies of the input over an n**r grid first
        raise RuntimeError("numel: integer multiplication overflow")
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    try:
        rows = list(pick(range(input.shape[0]), r))
        # no combinations: r empty columns, still stacked from input (StackBackward0)
        cols = list(zip(*rows, strict=True)) if rows else [()] * r
    except MemoryError:  # PyTorch's r copies of the input fail to allocate alike
        raise RuntimeError("std::bad_alloc") from None
    return _stack([input[_tensor(list(c), dtype=_core.int64)] for c in cols], 1)


@meta_aware
def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, dtype: Any = None, layout: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    """A 1-D tensor of `steps` points from `base ** start` to `base ** end`, evenly
    spaced in the exponent.

    Args:
        start: the first exponent.
        end: the last exponent.
        steps: the number of points.
        base: the base (default 10).
        dtype: the dtype; None for the default dtype (integer dtypes truncate).
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        requires_grad: whether autograd records operations on the result.
    """
    from ._argcheck import need_int
    from ._creation import _endpoints, check_steps

    need_int("logspace", "steps", 3, steps)
    start, end = _endpoints("logspace", start, end, steps, dtype)
    refuse_complex32("logspace_cpu", dtype)
    check_steps(start, end, int(steps), dtype)
    if int(steps):
        refuse_float8("logspace_cpu", dtype)
    if isinstance(start, complex) or isinstance(end, complex) or (dtype is not None and dtype.is_complex):
        t = _complex_logspace(complex(start), complex(end), int(steps), float(base), dtype)
    elif int(steps) == 1 and dtype is not None and dtype is not _core.bool and all(
            isinstance(v, (int, float)) for v in (start, end)):
        t = _one_power(start, float(base), dtype)
    else:
        from ._creation import few_steps_bounds

        start, end = few_steps_bounds(start, end, int(steps), dtype)
        t = _core._linspace(start, end, int(steps), dtype, float(base))
        if t.dtype is _core.float32 and t.numel() > 1:
            t = _float32_logspace(start, end, t.numel(), float(base))
    if requires_grad:
        t.requires_grad_(True)
    return t


def _one_power(start: Any, base: float, dtype: Any) -> Tensor:
    """`logspace` of one step: PyTorch fills `base ** start`, a double, checked against the
    dtype's range but for the half types' (an integer dtype truncates it)."""
    from ._argcheck import check_scalar_fits
    from ._numpy import np

    with np.errstate(all="ignore"):  # a negative base to a fractional power: NaN, refused by integers
        power = float(np.power(np.float64(base), np.float64(start)))
    if dtype not in (_core.float16, _core.bfloat16):  # the halves compute in float: past their range, inf
        check_scalar_fits(power, dtype)
    if dtype.is_floating_point:
        return _core._linspace(start, start, 1, dtype, base)
    return _core._linspace(int(power), int(power), 1, dtype)


def _float32_logspace(start: Any, end: Any, steps: int, base: float) -> Tensor:
    """A float32 `logspace` as PyTorch's CPU kernel computes it: the ends rounded to
    float32 and their difference taken there, the step and each exponent in double,
    `pow` in double, each power rounded to float32."""
    from ._creation import tensor
    from ._numpy import np

    with np.errstate(over="ignore"):
        first, last = np.float32(start), np.float32(end)
        step = float(last - first) / (steps - 1)
    first, last, half = float(first), float(last), steps // 2

    def power(x: float) -> float:
        try:
            return math.pow(base, x)
        except OverflowError:  # past double's range: C's pow gives inf (-inf for an odd power of a negative base)
            return -math.inf if base < 0 and x.is_integer() and x % 2 == 1 else math.inf
        except ValueError:  # zero to a negative power (inf in C), a negative base to a fractional one (nan)
            return math.inf if base == 0 else math.nan

    values = [power(first + step * i if i < half else last - step * (steps - i - 1)) for i in range(steps)]
    with np.errstate(over="ignore"):
        return tensor(np.asarray(values, dtype=np.float64).astype(np.float32))


def _complex_logspace(start: complex, end: complex, steps: int, base: float, dtype: Any) -> Tensor:
    """A complex `logspace` as PyTorch's CPU kernel computes it, all in the dtype's
    precision: a complex step, the points from the nearer end, and each power taken as
    `exp(x * log(base))` (C's `cpow`)."""
    from ._creation import tensor
    from ._numpy import np

    if dtype is None:
        dtype = _core.complex128 if _core.get_default_dtype() is _core.float64 else _core.complex64
    kind = np.complex64 if dtype is _core.complex64 else np.complex128
    if steps == 1:
        return tensor([_one_complex_power(base, start)], dtype=dtype)
    values = []
    # one scalar at a time: NumPy's array loops may fuse a multiply-add, and round otherwise
    with np.errstate(all="ignore"):  # past the range: inf (and nan), as PyTorch gives
        first, last, log_base = kind(start), kind(end), np.log(kind(base))
        step = (last - first) / kind(max(steps - 1, 1))
        for i in range(steps):
            point = first + step * kind(i) if i < steps // 2 else last - step * kind(steps - 1 - i)
            values.append(complex(np.exp(point * log_base)))
    return tensor(values, dtype=dtype)


def _one_complex_power(base: float, exponent: complex) -> complex:
    """`base ** exponent` in double as C++'s `pow(double, complex)`: a positive base in
    polar form, any other as a complex power."""
    from ._numpy import np

    with np.errstate(all="ignore"):
        if base > 0:
            size, angle = np.power(np.float64(base), exponent.real), exponent.imag * np.log(np.float64(base))
            return complex(size * np.cos(angle), size * np.sin(angle))
        return complex(np.exp(np.complex128(exponent) * np.log(np.complex128(base))))


# ---- vdot, inner, msort, cumulative_trapezoid ------------------------------------------


def _vdot_forward(ctx: Any, input: Tensor, other: Tensor) -> Tensor:
    ctx.save_for_backward(input, other)
    return (input * other).sum(dtype=input.dtype)  # integers keep their dtype, as in PyTorch


def _vdot_backward(ctx: Any, grad: Tensor) -> Any:
    a, b = ctx.saved_tensors
    return (grad * b if ctx.needs_input_grad[0] else None, grad * a if ctx.needs_input_grad[1] else None)


_Vdot = _node("VdotBackward0", _vdot_forward, _vdot_backward)


def vdot(input: Tensor, other: Tensor) -> Tensor:
    """The dot product of two 1-D tensors of the same size and dtype (the first is
    conjugated; all tensors are real here).

    Args:
        input: the first 1-D tensor.
        other: the second 1-D tensor.
    """
    _need_tensor("vdot", "input", 1, input)
    _need_tensor("vdot", "other", 2, other)
    if input.dim() != 1 or other.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.dim()}D and {other.dim()}D tensors")
    if input.dtype != other.dtype:
        raise RuntimeError(
            "dot : expected both vectors to have same dtype, but found "
            f"{_kernel_name(input.dtype)} and {_kernel_name(other.dtype)}"
        )
    if input.shape[0] != other.shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src [{other.shape[0]}] to have "
            f"the same number of elements, but got {input.shape[0]} and {other.shape[0]} elements respectively"
        )
    if input.dtype == _core.bool:
        raise NotImplementedError("\"dot\" not implemented for 'Bool'")
    if input.dtype.is_complex:
        return _core._complex_vdot(input, other)
    refuse_float8("dot", input)
    refuse_shell("dot", input)
    return _Vdot.apply(input, other)


def inner(input: Tensor, other: Tensor) -> Tensor:
    """The inner product over the last dimension of both tensors (a plain product when
    either is 0-d); the result has the other dimensions of `input` then of
    `other`.

    Args:
        input: the first tensor.
        other: the second tensor; its last dimension must match that of `input`.
    """
    _need_tensor("inner", "input", 1, input)
    _need_tensor("inner", "other", 2, other)
    if input.dim() == 0 or other.dim() == 0:
        return input * other
    if input.dtype != other.dtype:
        raise RuntimeError("both inputs should have same dtype")
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(
            "inner() the last dimension must match on both input tensors but got shapes "
            f"{list(input.shape)} and {list(other.shape)}"
        )
    refuse_float8("dot", input)  # PyTorch's inner is a tensordot
    refuse_shell("dot", input)
    if input.dim() == other.dim() == 1 and input.dtype == _core.bool:
        raise NotImplementedError("\"dot\" not implemented for 'Bool'")  # PyTorch's vectors take dot's kernel
    k = input.shape[-1]
    a = input.reshape(-1, k)
    b = other.reshape(-1, k)
    return (a @ b.t()).reshape((*input.shape[:-1], *other.shape[:-1]))


def msort(input: Tensor) -> Tensor:
    """The values of `input` sorted in ascending order along its first dimension (values
    only).

    Args:
        input: the input tensor.
    """
    _need_tensor("msort", "input", 1, input)
    return input.sort(0).values


def cumulative_trapezoid(y: Tensor, x: Any = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The cumulative integral of `y` along `dim` by the trapezoidal rule (one element
    fewer than `y` along `dim`).

    Args:
        y: the values to integrate.
        x: the sample points (a tensor broadcastable with `y`); None for even spacing.
        dx: the spacing of evenly spaced samples (default 1), when `x` is None.
        dim: the dimension to integrate along (default the last).
    """
    need_int64(dim)
    _need_tensor("cumulative_trapezoid", "y", 1, y)
    from ._products import (
        refuse_bool_samples,
        refuse_complex_spacing,
        refuse_zero_dim_samples,
        sample_points,
    )

    refuse_bool_samples("cumulative_trapezoid", y, x)
    refuse_zero_dim_samples("cumulative_trapezoid", y, x, dim)
    from ._shape import _wrap_dim

    n = y.shape[_wrap_dim(dim, y.dim())]
    if isinstance(x, Tensor):
        if dx is not None:
            raise RuntimeError("cumulative_trapezoid: cannot specify both x and dx")
        x = sample_points(x, y, dim)
        m = x.shape[dim]
        spacing = x.narrow(dim, 1, m - 1) - x.narrow(dim, 0, m - 1)
        # PyTorch halves after the running sum, dividing by a scalar (DivBackward1)
        out = ((y.narrow(dim, 1, n - 1) + y.narrow(dim, 0, n - 1)) * spacing).cumsum(dim) / 2
        return _core._named_node(out, "DivBackward1") if out.grad_fn is not None else out
    step = 1 if dx is None else dx
    if x is not None:
        step = x
    refuse_complex_spacing("cumulative_trapezoid", step)
    if n == 0:  # PyTorch's empty result has the dtype of the halved step
        return y.narrow(dim, 0, 0) * (step / 2)
    return ((y.narrow(dim, 1, n - 1) + y.narrow(dim, 0, n - 1)) * (step / 2)).cumsum(dim)


# ---- deprecated norms ------------------------------------------------------------------


def frobenius_norm(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """The Frobenius norm: the square root of the sum of squares over `dim`.

    Args:
        input: the input tensor.
        dim: one or two dimensions to reduce.
        keepdim: keep reduced dimensions with size 1.
    """
    _need_tensor("frobenius_norm", "input", 1, input)
    dims = int_list("frobenius_norm", "dim", 2, dim)
    if len(dims) > 2:
        raise RuntimeError(f"Expected at most 2 dimensions, but got {len(dims)} dimensions instead.")
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. Got "
                           f"{scalar_name(input.dtype)} instead.")
    return input.norm(2, dims, keepdim)


_NUCLEAR_DIMS = (-2, -1)


def nuclear_norm(input: Tensor, dim: Any = _NUCLEAR_DIMS, keepdim: bool = False) -> Tensor:
    """The nuclear norm: the sum of the singular values of the matrices spanned by
    `dim`.

    Args:
        input: a tensor of at least 2 dimensions.
        dim: the two matrix dimensions (default the last two); one int d means (d, d).
        keepdim: keep reduced dimensions with size 1.
    """
    _need_tensor("nuclear_norm", "input", 1, input)
    if isinstance(dim, bool):  # the (input, keepdim) overload
        dim, keepdim = _NUCLEAR_DIMS, dim
    if dim is None:
        from ._parser_check import parser_error

        raise parser_error("nuclear_norm", (input, None), {})
    from . import linalg

    return linalg.matrix_norm(input, "nuc", int_list("nuclear_norm", "dim", 2, dim, size=2), keepdim)


# ---- renorm ------------------------------------------------------------------------


def _renorm_dims(x: Tensor, dim: int) -> tuple[int, ...]:
    d = dim % x.dim()
    return tuple(i for i in range(x.dim()) if i != d)


def _renorm_norm(x: Tensor, p: float, dims: tuple[int, ...]) -> Tensor:
    if math.isinf(p):
        return x.abs().amax(dims, keepdim=True)
    return x.abs().pow(p).sum(dims, keepdim=True).pow(1.0 / p)


def _renorm_forward(ctx: Any, input: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
    ctx.save_for_backward(input)
    ctx.p, ctx.dim, ctx.maxnorm = p, dim, maxnorm
    norm = _renorm_norm(input, p, _renorm_dims(input, dim))
    factor = _where(norm > maxnorm, maxnorm / (norm + 1e-7), norm.new_ones(()))
    return input * factor


def _renorm_backward(ctx: Any, grad: Tensor) -> Any:
    (x,) = ctx.saved_tensors
    p, maxnorm = ctx.p, ctx.maxnorm
    dims = _renorm_dims(x, ctx.dim)
    norm = _renorm_norm(x, p, dims)
    if x.dtype.is_complex:  # the norm is real: so is what flows back into it
        gsum = (x.conj() * grad).sum(dims, keepdim=True).real
    else:
        gsum = (x * grad).sum(dims, keepdim=True)
    # the derivative of the norm, applied to gsum (PyTorch's norm_backward)
    if p == 1:
        nb = x.sgn() * gsum
    elif math.isinf(p):
        mask = x.abs() == norm
        nb = x.sgn() * mask * gsum / mask.sum(dims, keepdim=True)
    else:
        scaled = x * x.abs().pow(p - 2) if p != 2 else x
        nb = _where(norm != 0, scaled * gsum / norm.pow(p - 1), norm * 0)
    invnorm = (norm + 1e-7).reciprocal()
    factor = invnorm * maxnorm
    return _where(norm > maxnorm, factor * (grad - invnorm * nb), grad), None, None, None


def _keep_given_renorm_numbers(out: Tensor, p: Any, maxnorm: Any) -> None:
    if not _core.is_grad_enabled():  # no node (and a no-grad view's grad_fn may raise)
        return
    node = out.grad_fn
    if node is not None and type(node).__name__ == "RenormBackward0":
        node._ferro_given = (p, maxnorm)


_Renorm = _node("RenormBackward0", _renorm_forward, _renorm_backward, _RENORM_ATTRS)


def renorm(input: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
    """`input` with each sub-tensor along `dim` rescaled so that its p-norm is at most
    `maxnorm` (sub-tensors within the bound are unchanged).

    Args:
        input: the input tensor.
        p: the order of the norm.
        dim: the dimension whose slices are normalized one by one.
        maxnorm: the largest norm allowed.
    """
    _need_tensor("renorm", "input", 1, input)
    need_int("renorm", "dim", 3, dim)
    # PyTorch's order of checks: the norm, the bound, the rank, the dim, then the dtype
    if isinstance(p, complex):
        raise RuntimeError("renorm: p must be real-valued")  # noqa: TRY004  (as PyTorch)
    if not p > 0:  # NaN too
        raise RuntimeError("renorm: non-positive-norm not supported")
    if isinstance(maxnorm, complex):
        raise RuntimeError("renorm: maxnorm must be real-valued")  # noqa: TRY004  (as PyTorch)
    if not maxnorm >= 0:  # NaN too
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    if input.dim() <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.dim()} dimensions")
    nd = input.dim()
    if not -nd <= dim < nd:
        raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {dim})")
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{_kernel_name(input.dtype)}"
        )
    if is_float8(input):  # PyTorch promotes the input with its float32 norms
        _core.promote_types(input.dtype, _core.float32)
    if p == math.inf and input.shape[dim % nd] != 0:  # PyTorch's vector_norm over the other dims
        for d in range(nd):
            if d != dim % nd and input.shape[d] == 0:
                raise RuntimeError(f"linalg.vector_norm cannot compute the inf norm on the dimension {d}because this "
                                   "dimension is empty and the operation does not have an identity")
    out = _Renorm.apply(input, float(p), dim, float(maxnorm))
    _keep_given_renorm_numbers(out, p, maxnorm)
    return out


# ---- Tensor methods --------------------------------------------------------------------


def _unary_method(name: str):
    def method(self: Tensor) -> Tensor:
        refuse_unary(name, self)
        return special_unary(name, self)

    method.__name__ = name
    method.__qualname__ = "Tensor." + name
    return method


def _unary_inplace(name: str):
    def method(self: Tensor) -> Tensor:
        refuse_unary(name, self)
        return special_unary_(name, self)

    method.__name__ = name + "_"
    method.__qualname__ = "Tensor." + name + "_"
    return method


def _binary_method(name: str):
    def method(self: Tensor, other: Tensor) -> Tensor:
        _need_tensor(name, "other", 1, other)
        refuse_unbroadcastable(self, other)
        refuse_unsigned_binary(name, self, other)
        self, other = float8_operands(name, self, other)
        if name == "ldexp":
            return ldexp_node(self, other, lambda: ldexp_values(self, other))
        out = _core._special_binary(name, self, other)
        return _lcm_int32(out) if name == "lcm" else out

    method.__name__ = name
    method.__qualname__ = "Tensor." + name
    return method


def _binary_inplace(name: str):
    def method(self: Tensor, other: Tensor) -> Tensor:
        _need_tensor(name + "_", "other", 1, other)
        if name == "ldexp":
            refuse_integral_out(self)
        refuse_unbroadcastable(self, other, out=self)
        refuse_unsigned_binary(name, self, other, inplace=True)
        self, other = float8_operands(name, self, other, inplace=True)
        if name == "ldexp":  # the kernel's values, computed before `self` changes
            values = ldexp_values(self.detach(), other.detach())
        out = _core._special_binary_(name, self, other)
        if name == "ldexp":  # the core's in-place node saves self and other, not the result
            write_values(out, values)
            saved_values.keep_more(out, "LdexpBackward0", {"_fields": ("self", "other")})
        return _lcm_int32(out) if name == "lcm" else out

    method.__name__ = name + "_"
    method.__qualname__ = "Tensor." + name + "_"
    return method


def _polygamma_method(self: Tensor, n: int) -> Tensor:
    return polygamma(n, self)


def _polygamma_inplace(self: Tensor, n: int) -> Tensor:
    if type(n) is int and n > _INT32_MAX and isinstance(self, Tensor) and self.dtype.is_floating_point:
        return self.copy_(_polygamma_of_wrapped_order(n, self))
    values = polygamma_values(n, self) if type(n) is int and n >= 2 and is_half(self) else None
    try:
        out = _core._polygamma_(self, n)
    except NotImplementedError:
        _refuse_complex_polygamma(n, self)
        raise
    if values is not None:
        overwrite(out, values)
    return out


def _mvlgamma_inplace(self: Tensor, p: int) -> Tensor:
    try:
        return _core._mvlgamma_(self, p)
    except (NotImplementedError, RuntimeError):
        mvlgamma_checks.refuse_output(self, p, self)
        raise


def _logit_inplace(self: Tensor, eps: float | None = None) -> Tensor:
    refuse_unary("logit", self)
    eps = None if eps is None else float(eps)
    values = logit_values(self, eps) if is_half(self) else None
    out = logit_(self, eps)
    if values is not None:
        overwrite(out, values)
    return out


_HeavisideInplace = _inplace_node("NotImplemented", _heaviside_forward, _heaviside_backward)
_RenormInplace = _inplace_node("RenormBackward0", _renorm_forward, _renorm_backward, _RENORM_ATTRS)


def _heaviside_inplace(self: Tensor, values: Tensor) -> Tensor:
    _need_tensor("heaviside_", "values", 1, values)
    _check_inplace(self, heaviside(self.detach(), values.detach()))
    return _HeavisideInplace.apply(self, values)


def _renorm_inplace(self: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
    renorm(self.detach(), p, dim, maxnorm)  # the argument checks
    _refuse_leaf(self)
    out = _RenormInplace.apply(self, float(p), dim, float(maxnorm))
    _keep_given_renorm_numbers(out, p, maxnorm)
    return out


def _install() -> None:
    from ._reduce import _as_method

    T = Tensor
    for name in ("lgamma", "digamma", "i0", "sinc"):
        setattr(T, name, _unary_method(name))
        setattr(T, name + "_", _unary_inplace(name))
    for name in ("igamma", "igammac", "gcd", "lcm", "nextafter", "ldexp"):
        setattr(T, name, _binary_method(name))
        setattr(T, name + "_", _binary_inplace(name))
    T.polygamma = _polygamma_method
    T.polygamma_ = _polygamma_inplace
    T.mvlgamma_ = _mvlgamma_inplace
    T.logit_ = _logit_inplace
    for fn in (mvlgamma, logit, frexp, heaviside, addcmul, addcdiv, diff, nansum, nanmean, nanmedian, quantile,
               nanquantile, histogram, vdot, inner, msort, renorm):
        setattr(T, fn.__name__, _as_method(fn))
    T.heaviside_ = _heaviside_inplace
    T.addcmul_ = _addc_inplace("addcmul_")
    T.addcdiv_ = _addc_inplace("addcdiv_")
    T.renorm_ = _renorm_inplace


_install()
