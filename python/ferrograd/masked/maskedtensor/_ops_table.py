"""The ops a MaskedTensor supports, looked up by name from `__torch_function__`, with
PyTorch's rules (`torch/masked/maskedtensor/{unary,binary,passthrough,_ops_refs}.py`):

- unary ops apply to the data and keep the mask;
- binary ops need equal masks when both sides are MaskedTensors, and take the mask of
  the MaskedTensor side (broadcast to the result);
- shape ops (view, transpose, select, indexing, cat, ...) apply to data and mask alike;
- reductions are in `_reductions`.

Any other op raises PyTorch's TypeError for an op MaskedTensor does not implement.
"""

from __future__ import annotations

import warnings
from typing import Any

from ..._core import Tensor
from ..._subclass_dispatch import MISS, _DispatchDisabled, accessor_name, engine_call
from . import _grad_reach, _reductions
from .core import MaskedTensor, wrap

_UNARY = frozenset({
    "abs", "absolute", "acos", "arccos", "acosh", "arccosh", "angle", "asin", "arcsin", "asinh", "arcsinh",
    "atan", "arctan", "atanh", "arctanh", "bitwise_not", "ceil", "clamp", "clip", "conj_physical", "cos", "cosh",
    "deg2rad", "digamma", "erf", "erfc", "erfinv", "exp", "exp2", "expm1", "fix", "floor", "frac", "lgamma",
    "log", "log10", "log1p", "log2", "logit", "i0", "isnan", "nan_to_num", "neg", "negative", "positive", "pow",
    "rad2deg", "reciprocal", "round", "rsqrt", "sigmoid", "sign", "sgn", "signbit", "sin", "sinc", "sinh",
    "sqrt", "square", "tan", "tanh", "trunc",
})
_UNARY_INPLACE = frozenset(n + "_" for n in _UNARY - {"angle", "positive", "signbit", "isnan"})
_BINARY = frozenset({
    "add", "atan2", "arctan2", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift",
    "bitwise_right_shift", "div", "divide", "floor_divide", "fmod", "logaddexp", "logaddexp2", "mul", "multiply",
    "nextafter", "remainder", "sub", "subtract", "true_divide", "eq", "ne", "le", "ge", "greater", "greater_equal",
    "gt", "less_equal", "lt", "less", "maximum", "minimum", "fmax", "fmin", "not_equal",
})
_BINARY_INPLACE = frozenset(
    n + "_" for n in _BINARY - {"logaddexp", "logaddexp2", "fmin", "minimum", "maximum", "fmax"})
# ops whose result is the data's and the mask's through the same call
_PASSTHROUGH = frozenset({
    "select", "transpose", "swapaxes", "swapdims", "split", "chunk", "t", "narrow", "__getitem__", "expand",
    "expand_as", "view", "view_as", "reshape", "reshape_as", "flatten", "unflatten", "cat", "concat",
    "concatenate", "unsqueeze", "unfold", "stack",
})
# ops that return no tensor: asked of the data
_METADATA = frozenset({
    "size", "dim", "ndimension", "numel", "nelement", "stride", "is_contiguous", "element_size",
    "is_floating_point", "is_complex", "is_signed", "get_device", "storage_offset", "is_same_size",
})
# dtype/device conversions: the data converts, the mask stays bool
_CONVERSIONS = frozenset({
    "to", "float", "double", "half", "bfloat16", "int", "long", "short", "char", "byte", "bool", "cpu", "type_as",
    "type",
})
# keyword arguments of unary ops that PyTorch's MaskedTensor refuses (keyword-only in aten)
_KEYWORD_ONLY = frozenset({"decimals"})
# method and operator names as the op they are
_ALIASES = {
    "__abs__": "abs", "__neg__": "neg", "__pos__": "positive", "__invert__": "bitwise_not",
    "__and__": "bitwise_and", "__rand__": "bitwise_and", "__or__": "bitwise_or", "__ror__": "bitwise_or",
    "__xor__": "bitwise_xor", "__rxor__": "bitwise_xor", "__lshift__": "bitwise_left_shift",
    "__rshift__": "bitwise_right_shift", "__floordiv__": "floor_divide", "__eq__": "eq", "__ne__": "ne",
    "__iadd__": "add_", "__isub__": "sub_", "__imul__": "mul_", "__itruediv__": "div_",
    "__ifloordiv__": "floor_divide_", "__imod__": "remainder_", "__iand__": "bitwise_and_",
    "__ior__": "bitwise_or_", "__ixor__": "bitwise_xor_", "__ilshift__": "bitwise_left_shift_",
    "__irshift__": "bitwise_right_shift_", "__ipow__": "pow_", "__pow__": "pow",
}
# reflected operators (`2 / x`): Python's symbol of each, for the error of those PyTorch refuses
_REFLECTED = {"__rtruediv__": "/", "__rdiv__": "/", "__rmod__": "%", "__rfloordiv__": "//", "__rsub__": "-",
              "__rpow__": "** or pow()", "__rmatmul__": "@", "__rlshift__": "<<", "__rrshift__": ">>"}
# reflected operators computed with a number on the left (PyTorch computes `2 / x`, and
# fails with an AttributeError inside its own code on the others)
_REFLECTED_WITH_NUMBERS = frozenset({"__rtruediv__", "__rdiv__", "__rmod__", "__rfloordiv__", "__rlshift__",
                                     "__rrshift__"})


def not_implemented(op: str) -> TypeError:
    """PyTorch's warning and error for an op MaskedTensor does not implement."""
    warnings.warn(
        f"{op} is not implemented in __torch_dispatch__ for MaskedTensor.\n"
        "If you would like this operator to be supported, please file an issue for a feature request at "
        "https://github.com/pytorch/maskedtensor/issues with a minimal reproducible code snippet.\n"
        "In the case that the semantics for the operator are not trivial, it would be appreciated "
        "to also include a proposal for the semantics.", UserWarning, stacklevel=4)
    return TypeError(
        f"Multiple dispatch failed for 'ferrograd._ops.aten.{op}.default'; all __torch_dispatch__ handlers "
        f"returned NotImplemented:\n\n  - tensor subclass {MaskedTensor}\n\n"
        "For more information, try re-running with TORCH_LOGS=not_implemented")


def _map(value: Any, part) -> Any:
    if isinstance(value, MaskedTensor):
        return part(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_map(v, part) for v in value)
    return value


def _data(value: Any) -> Any:
    return _map(value, MaskedTensor.get_data)


def _mask(value: Any) -> Any:
    return _map(value, MaskedTensor.get_mask)


def _wrap_each(data: Any, mask: Any) -> Any:
    if isinstance(data, (list, tuple)):
        return type(data)(_wrap_each(d, m) for d, m in zip(data, mask))
    return wrap(data, mask)


def _in_place(func, args: tuple, kwargs: dict) -> MaskedTensor:
    """Runs `func` on the MaskedTensor's own data; the mask stays."""
    with _DispatchDisabled():
        func(args[0], *_data(args[1:]), **_data(kwargs))
    return args[0]


def _unary(name: str, func, args: tuple, kwargs: dict) -> MaskedTensor:
    if _KEYWORD_ONLY.intersection(kwargs):
        raise ValueError("MaskedTensor unary ops require that len(kwargs) == 0. "
                         "If you need support for this, please open an issue on Github.")
    if any(isinstance(a, Tensor) for a in (*args[1:], *kwargs.values())):
        raise TypeError("MaskedTensor unary ops do not support additional Tensor arguments")
    if name in _UNARY_INPLACE:
        return _in_place(func, args, kwargs)
    return wrap(func(args[0].get_data(), *args[1:], **kwargs), args[0].get_mask())


def _masks_match(a: Any, b: Any) -> bool:
    if not (isinstance(a, MaskedTensor) and isinstance(b, MaskedTensor)):
        return True
    mask_a, mask_b = a.get_mask(), b.get_mask()
    return mask_a.dim() == mask_b.dim() and bool(mask_a.eq(mask_b).all())


def _binary(name: str, func, args: tuple, kwargs: dict) -> MaskedTensor:
    if kwargs:
        raise ValueError("len(kwargs) must equal 0")
    if any(isinstance(a, Tensor) for a in args[2:]):
        raise TypeError("MaskedTensor binary ops do not support Tensor arguments aside from the lhs and rhs")
    if not _masks_match(args[0], args[1]):
        raise ValueError("Input masks must match. If you need support for this, please open an issue on Github.")
    if name in _BINARY_INPLACE:
        return _in_place(func, args, kwargs)
    result = func(*_data(args))
    mask = (args[0] if isinstance(args[0], MaskedTensor) else args[1]).get_mask()
    return wrap(result, mask.expand_as(result))


def _reflected(name: str, func, args: tuple, kwargs: dict) -> MaskedTensor:
    """`other OP x` for a MaskedTensor `x` (Python asks `x` first when `other` is a plain
    tensor): computed with a tensor on the left, refused as PyTorch refuses it otherwise."""
    self, other = args[0], args[1]
    symbol = _REFLECTED[name]
    if name in ("__rpow__", "__rmatmul__") or not (isinstance(other, Tensor) or name in _REFLECTED_WITH_NUMBERS):
        raise TypeError(f"unsupported operand type(s) for {symbol}: '{type(other).__name__}' and 'MaskedTensor'")
    result = func(self.get_data(), _data(other))
    return wrap(result, self.get_mask().expand_as(result))


def _passthrough(name: str, func, args: tuple, kwargs: dict) -> Any:
    data = func(*_data(args), **_data(kwargs))
    mask = func(*_mask(args), **_mask(kwargs))
    return _wrap_each(data, mask)


def _where(name: str, func, args: tuple, kwargs: dict) -> MaskedTensor:
    if len(args) != 3 or kwargs:
        raise ValueError(f"__torch_function__, ferrograd.where: len(args) must be 3 but got {len(args)}")
    from ... import where

    # the method is `x.where(condition, y)`
    condition, x, y = (args[1], args[0], args[2]) if func is Tensor.where else args
    condition = _data(condition)

    def mask_of(t: Any) -> Any:
        if isinstance(t, MaskedTensor):
            return t.get_mask()
        return t.new_ones(t.shape, dtype=condition.dtype) if isinstance(t, Tensor) else True

    return wrap(where(condition, _data(x), _data(y)), where(condition, mask_of(x), mask_of(y)))


def _softmax(name: str, func, args: tuple, kwargs: dict) -> MaskedTensor:
    """Softmax over the specified elements; masked-out ones hold 0, and rows with none
    specified NaN, as PyTorch's `_masked_softmax` leaves them."""
    input = args[0]
    data, mask = input.get_data(), input.get_mask()
    return wrap(func(data.masked_fill(~mask, float("-inf")), *args[1:], **kwargs), mask)


def _metadata(name: str, func, args: tuple, kwargs: dict) -> Any:
    return func(*_data(args), **_data(kwargs))


def _conversion(name: str, func, args: tuple, kwargs: dict) -> Any:
    result = func(*_data(args), **_data(kwargs))
    return result if isinstance(result, str) else wrap(result, args[0].get_mask())  # `x.type()` is a name


def _flag(name: str, func, args: tuple, kwargs: dict) -> MaskedTensor | None:
    """`requires_grad_` and `retain_grad`: set on the MaskedTensor itself."""
    with _DispatchDisabled():
        func(*args, **kwargs)
    return args[0] if name == "requires_grad_" else None


def _data_op(name: str, func, args: tuple, kwargs: dict) -> MaskedTensor:
    """`detach`, `clone`, `contiguous`, `ones_like`: on the data; the mask is copied
    by clone and made contiguous by contiguous."""
    mask = args[0].get_mask()
    mask = mask.clone() if name == "clone" else mask.contiguous() if name == "contiguous" else mask
    return wrap(func(args[0].get_data(), *args[1:], **kwargs), mask)


def _to_dense(name: str, func, args: tuple, kwargs: dict) -> MaskedTensor:
    return args[0]  # strided already


def _copy(name: str, func, args: tuple, kwargs: dict) -> MaskedTensor:
    return _in_place(func, args, kwargs)


_HANDLERS: dict[str, Any] = {}
for _names, _handler in (
        (_UNARY | _UNARY_INPLACE, _unary), (_BINARY | _BINARY_INPLACE, _binary), (_PASSTHROUGH, _passthrough),
        (_reductions.NAMES, _reductions.reduce), (_METADATA, _metadata), (_CONVERSIONS, _conversion),
        (_REFLECTED, _reflected), ({"where"}, _where), ({"softmax"}, _softmax),
        ({"requires_grad_", "retain_grad"}, _flag), ({"detach", "clone", "contiguous", "ones_like"}, _data_op),
        ({"copy_"}, _copy), ({"to_dense"}, _to_dense)):
    for _name in _names:
        _HANDLERS[_name] = _handler


# how the results of each kind of op depend on its inputs' elements (see `_grad_reach`)
_REACH_KINDS = {
    _passthrough: _grad_reach.MAPPED, _reductions.reduce: _grad_reach.REDUCED,
    **dict.fromkeys((_unary, _binary, _reflected, _where, _softmax, _conversion, _data_op), _grad_reach.ELEMENTWISE),
}


def _method_names() -> dict[int, str]:
    """Tensor's methods by identity: several are helpers whose `__name__` is not the
    method's (`Tensor.clone` is `_clone_method`)."""
    names: dict[int, str] = {}
    for name, value in vars(Tensor).items():
        if callable(value) and (id(value) not in names or names[id(value)].startswith("_")):
            names[id(value)] = name
    return names


_METHOD_NAMES = _method_names()


def apply(func, args: tuple, kwargs: dict) -> Any:
    """The result of the op `func` (a Tensor method or a ferrograd function) on
    arguments that include a MaskedTensor."""
    result = engine_call(func, args, kwargs)
    if result is not MISS:
        return result
    raw = _METHOD_NAMES.get(id(func)) or accessor_name(func) or str(getattr(func, "__name__", ""))
    name = _ALIASES.get(raw, raw)
    handler = _HANDLERS.get(name)
    if handler is None:
        raise not_implemented(name)
    result = handler(name, func, args, kwargs)
    kind = _REACH_KINDS.get(handler)
    if kind is not None:
        _grad_reach.track(kind, func, args, kwargs, result)
    return result
