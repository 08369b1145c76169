"""`beta` and `alpha` of the fused products (`addmm`, `baddbmm`, `addbmm`, `addmv`,
`addr`) as PyTorch converts them to the operands' dtype: integer kernels take a float
truncated (addr refuses it), each must fit the dtype, and complex ones are only for
complex operands (computed here by composition, under the fused op's node name)."""

from __future__ import annotations

import math
from numbers import Number

from . import _core
from ._complex import _CPP_NAMES
from ._core import Tensor

_NODE_NAMES = {
    "addmm": "AddmmBackward0", "baddbmm": "BaddbmmBackward0", "addbmm": "AddbmmBackward0",
    "addmv": "AddmvBackward0", "addr": "AddrBackward0",
}

_INT_RANGES = {
    _core.int8: (-(2**7), 2**7 - 1), _core.uint8: (0, 2**8 - 1), _core.int16: (-(2**15), 2**15 - 1),
    _core.int32: (-(2**31), 2**31 - 1), _core.int64: (-(2**63), 2**63 - 1),
}


def _overflow(dtype) -> RuntimeError:
    return RuntimeError(f"value cannot be converted to type {_CPP_NAMES.get(dtype, dtype)} without overflow")


def _integral_scalar(op: str, name: str, value, dtype):
    """`value` as an integer kernel of `dtype` reads it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and op == "addr":
        raise RuntimeError(f"For integral input tensors, argument {name} must not be a floating point number.")
    if dtype == _core.bool:
        return bool(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _overflow(dtype)
        value = int(value)  # C++'s conversion truncates toward zero
    lo, hi = _INT_RANGES[dtype]
    if isinstance(value, int) and not lo <= value <= hi:
        raise _overflow(dtype)
    return value


def convert(op: str, operand: Tensor, beta, alpha, dtype=None):
    """`(beta, alpha)` for the kernel of `operand`'s dtype (or of `dtype`, where the
    kernel runs in a promoted one); complex numbers stay complex only for complex
    operands."""
    if dtype is None:
        dtype = operand.dtype if isinstance(operand, Tensor) else None
    out = []
    for name, value in (("beta", beta), ("alpha", alpha)):
        if op == "addr" and type(value) is bool and dtype is not None and dtype != _core.bool:
            raise RuntimeError(f"Boolean {name} only supported for Boolean results.")
        if isinstance(value, complex) and dtype is not None and not dtype.is_complex:
            if value.imag != 0:
                raise _overflow(dtype)
            value = value.real
        integral = dtype is not None and (dtype in _INT_RANGES or dtype == _core.bool)
        if integral and isinstance(value, Number) and not isinstance(value, complex):
            value = _integral_scalar(op, name, value, dtype)
        out.append(value)
    return out[0], out[1]


def is_narrow_float(t) -> bool:
    return isinstance(t, Tensor) and t.dtype in (_core.float16, _core.bfloat16)


def _rounded(value, dtype) -> float:
    """A number as the narrow `dtype` holds it (PyTorch's kernels convert beta and alpha first)."""
    from ._creation import tensor

    return tensor(float(value)).to(dtype).item()


def narrow_fused(op: str, input: Tensor, a: Tensor, b: Tensor, beta, alpha) -> Tensor:
    """`addbmm` and `addr` of float16/bfloat16 rounded where PyTorch's CPU kernels round:
    addbmm adds one matrix product at a time (each an addmm rounded to the dtype), addr
    rounds after every elementwise step."""
    _core._add_product(op, input.detach(), a.detach(), b.detach(), beta, alpha)  # PyTorch's errors
    if op == "addbmm":
        r = input.expand((a.shape[1], b.shape[2]))
        if a.shape[0] == 0:
            r = r * beta if beta != 0 else r * 0
        for k in range(a.shape[0]):
            r = _core._add_product("addmm", r, a[k], b[k], beta if k == 0 else 1, alpha)
    else:
        dtype = input.dtype
        p = (a.reshape(-1, 1) * _rounded(alpha, dtype)) * b
        r = p if beta == 0 else input * _rounded(beta, dtype) + p
        r = r.expand(p.shape)
    return _core._named_node(r, _NODE_NAMES[op]) if r.grad_fn is not None else r


def _product(op: str, a: Tensor, b: Tensor) -> Tensor:
    if op == "addmm":
        return a.mm(b)
    if op == "baddbmm":
        return a.bmm(b)
    if op == "addbmm":
        return a.bmm(b).sum(0)
    if op == "addmv":
        return a.mv(b)
    return a.reshape(-1, 1) * b


def complex_fused(op: str, input: Tensor, a: Tensor, b: Tensor, beta, alpha) -> Tensor:
    """`beta * input + alpha * product(a, b)` for a complex `beta` or `alpha` (the core
    takes real numbers only), recorded under the fused op's node name."""
    # the real path checks the shapes and dtypes and gives PyTorch's errors
    _core._add_product(op, input, a.detach(), b.detach(), 0, 1)
    r = _product(op, a, b) * alpha
    if beta != 0:
        r = input * beta + r
    return _core._named_node(r, _NODE_NAMES[op]) if r.grad_fn is not None else r
