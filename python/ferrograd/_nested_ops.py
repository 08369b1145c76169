"""The ops of nested tensors: `dispatch` (called by `NestedTensor.__torch_function__`)
runs the op of `OPS` named as the called method or function, or raises PyTorch's error
for that op on the nested tensor's layout. Elementwise ops run once on the data
tensor; the others run on the data where the ragged structure allows and on each
component (views of the data) where it does not, so gradients reach the components.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._core import Tensor
from ._memory_format import jagged, strided
from ._nested import NestedTensor, make_jagged, rebuild, unsupported, with_data, wrap_dim
from ._nested_structure import (
    matmul,
    reshape,
    scaled_dot_product_attention,
    transpose,
    unsqueeze,
)
from ._shape import stack
from ._subclass_dispatch import accessor_name

__all__ = ["OPS", "dispatch"]

# ops PyTorch's strided nested tensors have; jagged ones have all of the elementwise ops
_STRIDED_UNARY = frozenset({
    "abs", "neg", "sin", "cos", "tanh", "sqrt", "relu", "sgn", "silu", "gelu", "logical_not", "isnan", "isinf",
    "positive", "conj", "softsign", "dropout", "abs_", "relu_", "tanh_", "neg_", "zero_", "clone", "detach"})
_JAGGED_UNARY_MISSING = frozenset({"abs_", "hardswish", "logsigmoid", "bitwise_not"})
_UNARY = _STRIDED_UNARY | frozenset({
    "exp", "log", "tan", "sigmoid", "rsqrt", "sign", "floor", "ceil", "round", "trunc", "reciprocal", "square",
    "log1p", "expm1", "erf", "frac", "asin", "acos", "atan", "sinh", "cosh", "log2", "log10", "exp2", "nan_to_num",
    "signbit", "angle", "isfinite", "softplus", "hardtanh", "leaky_relu", "elu", "mish", "hardsigmoid", "selu",
    "sin_", "cos_", "exp_", "sigmoid_", "sqrt_", "hardswish", "logsigmoid", "bitwise_not", "float", "double",
    "half", "bool", "long", "int"})
_STRIDED_BINARY_NESTED = frozenset({"add", "sub", "mul", "div", "add_", "mul_", "masked_fill"})
_STRIDED_BINARY_SCALAR = frozenset({"add", "sub", "mul", "div", "eq", "gt", "ge", "add_", "mul_"})
_BINARY = _STRIDED_BINARY_NESTED | _STRIDED_BINARY_SCALAR | frozenset({
    "pow", "maximum", "minimum", "ne", "lt", "le", "remainder", "fmod", "atan2", "logical_and", "logical_or",
    "logical_xor", "sub_", "div_", "true_divide"})
# `number <op> nested` PyTorch's strided layout lacks, by the aten op it runs as
_STRIDED_REFLECTED_MISSING = {"sub": "rsub.Scalar", "div": "reciprocal", "pow": "pow.Scalar"}
# operator methods by the op they run (a reflected one with its operands swapped back)
_REFLECTED = {"__radd__": "add", "__rmul__": "mul", "__rsub__": "sub", "__rtruediv__": "div", "__rdiv__": "div",
              "__rpow__": "pow",
              "__iadd__": "add_", "__imul__": "mul_", "__isub__": "sub_", "__itruediv__": "div_",
              "__truediv__": "div", "__eq__": "eq", "__ne__": "ne", "__pow__": "pow", "__and__": "logical_and",
              "__matmul__": "matmul", "__rmatmul__": "matmul"}


def _same_structure(name: str, a: NestedTensor, b: NestedTensor) -> None:
    if a.layout is not b.layout or a.layout is strided and a._fg_sizes != b._fg_sizes:
        if a.layout is strided and b.layout is strided:
            raise RuntimeError(f"{name} does not support broadcasting when given a NestedTensor")
        raise RuntimeError("Internal error: NestedTensorImpl doesn't support sizes. Please file an issue.")
    if a.layout is jagged and (a._fg_j is not b._fg_j or a._fg_ragged != b._fg_ragged
                               or a._fg_data.shape != b._fg_data.shape):
        raise RuntimeError(f"cannot call binary pointwise function {name}.Tensor with inputs of shapes "
                           f"{a._size_text()} and {b._size_text()}")


def _with_dense(func: Callable, name: str, nt: NestedTensor, dense: Tensor, rest: tuple, kwargs: dict, swap: bool):
    """`func` between a jagged nested tensor and a dense tensor that broadcasts to it: over
    the inner dims only (on the values), or per batch entry (the dense dim 0 the batch)."""
    def call(x, y):
        return func(y, x, *rest, **kwargs) if swap else func(x, y, *rest, **kwargs)

    full = dense.reshape([1] * (nt.dim() - dense.dim()) + list(dense.shape)) if dense.dim() <= nt.dim() else None
    if full is not None and full.shape[nt._fg_ragged] == 1:
        if full.shape[0] == 1:
            return with_data(nt, call(nt._fg_data, full.squeeze(0)))
        if full.shape[0] == nt.size(0):
            return rebuild(nt, [call(c, d) for c, d in zip(nt.unbind(), full.unbind(0))])
    shapes = (f"ferrograd.Size([{', '.join(str(s) for s in nt._jagged_size())}])", f"{dense.shape}")
    raise RuntimeError(f"cannot call binary pointwise function {name}.Tensor with inputs of shapes "
                       f"{shapes[1] if swap else shapes[0]} and {shapes[0] if swap else shapes[1]}")


def _binary(func: Callable, name: str, args: tuple, kwargs: dict) -> Any:
    a, b, rest = args[0], args[1] if len(args) > 1 else kwargs.pop("other"), args[2:]
    swap = not isinstance(a, NestedTensor)
    nt, other = (b, a) if swap else (a, b)
    if isinstance(other, NestedTensor):
        if nt.layout is strided and name not in _STRIDED_BINARY_NESTED:
            raise RuntimeError(f"{name} does not support nested tensor as other value.") if name == "eq" \
                else unsupported(_overload(name, "Tensor"), strided)
        _same_structure(name, a, b)
        out = func(a._fg_data, b._fg_data, *rest, **kwargs)
    elif isinstance(other, Tensor) and other.dim() > 0:
        if nt.layout is strided and swap and name == "eq":
            raise RuntimeError("eq does not support nested tensor as other value.")
        if nt.layout is strided:
            kinds = "a non-nested self and nested other" if swap else "a nested self and non-nested other"
            raise RuntimeError(f"Expected both self and other to be nested, but got {kinds}")
        return _in_place_result(name, nt, _with_dense(func, name, nt, other, rest, kwargs, swap))
    else:
        kind = "Tensor" if isinstance(other, Tensor) else "Scalar"
        if swap and nt.layout is strided and name in _STRIDED_REFLECTED_MISSING:
            raise unsupported(_STRIDED_REFLECTED_MISSING[name], strided)
        if nt.layout is strided and (name not in _STRIDED_BINARY_SCALAR or kind == "Tensor" and name in ("gt", "ge")):
            raise unsupported(_overload(name, kind), strided)
        out = _reflected(nt._fg_data, name, other) if swap else func(nt._fg_data, other, *rest, **kwargs)
    return _in_place_result(name, nt, out)


def _reflected(data: Tensor, name: str, number: Any) -> Tensor:
    """`number <op> data`, as Python's reflected operator runs it."""
    dunder = {"add": "__radd__", "mul": "__rmul__", "sub": "__rsub__", "div": "__rtruediv__", "pow": "__rpow__"}
    return getattr(data, dunder[name])(number)


def _overload(name: str, other: str) -> str:
    """The aten overload PyTorch names for a binary op with a tensor or scalar `other`."""
    if name == "pow":
        return f"pow.Tensor_{other}" if other == "Scalar" else "pow.Tensor_Tensor"
    if name in ("ne", "lt", "le", "gt", "ge", "eq", "remainder"):
        return f"{name}.{other}"
    return f"{name}.Tensor" if name.endswith("_") else name


def _in_place_result(name: str, nt: NestedTensor, out: Any) -> Any:
    if name.endswith("_"):
        return nt
    return out if isinstance(out, NestedTensor) else with_data(nt, out)


def _extreme(func: Callable, name: str, args: tuple, kwargs: dict) -> Any:
    """`max`/`min` over all elements (jagged; PyTorch's strided layout has no kernel)."""
    nt = args[0]
    if nt.layout is strided or len(args) > 1 or kwargs:
        raise unsupported(name, nt.layout)
    return func(nt._fg_data)


def _squeeze(func: Callable, name: str, args: tuple, kwargs: dict) -> NestedTensor:
    nt = args[0]
    dim = _argument(args, kwargs, 1, "dim")
    if dim is None:
        if nt.layout is jagged:
            raise unsupported("squeeze", jagged)
        raise RuntimeError("squeeze(): For nested tensors, squeeze without the dim argument is not supported at the "
                           "moment, however you can use squeeze(Tensor self, int dim) instead if you need this "
                           "feature, please open an issue on github describing your use case.")
    d = wrap_dim(dim, nt.dim())
    if d == 0 or nt.layout is jagged and d == nt._fg_ragged:
        raise RuntimeError("squeeze(): For nested tensors, squeezing dimension 0 is not supported at the moment if "
                           "you need this feature, please open an issue on github describing your use case.")
    if nt.layout is strided:
        return rebuild(nt, [c.squeeze(d - 1) for c in nt.unbind()])
    ragged = nt._fg_ragged - (1 if d < nt._fg_ragged and nt.size(d) == 1 else 0)
    return make_jagged(nt._fg_data.squeeze(d - 1), nt._fg_offsets, nt._fg_lengths, ragged)


def _unary(func: Callable, name: str, args: tuple, kwargs: dict) -> Any:
    nt = args[0]
    if nt.layout is strided and name not in _STRIDED_UNARY or nt.layout is jagged and name in _JAGGED_UNARY_MISSING:
        raise unsupported(name, nt.layout)
    out = func(nt._fg_data, *args[1:], **kwargs)
    return nt if name.endswith("_") else with_data(nt, out)


def _argument(args: tuple, kwargs: dict, index: int, name: str, default: Any = None) -> Any:
    return args[index] if len(args) > index else kwargs.get(name, default)


def _softmax(func: Callable, name: str, args: tuple, kwargs: dict) -> NestedTensor:
    nt, dim, dtype = args[0], _argument(args, kwargs, 1, "dim"), kwargs.get("dtype")
    if nt.layout is strided and name != "softmax":
        raise unsupported("_log_softmax", strided)
    d = wrap_dim(dim, nt.dim())
    if d == 0:
        if nt.layout is strided:
            raise RuntimeError("Cannot apply softmax across nested dimension 0")
        raise RuntimeError(f"{name}(): not supported when reducing across the batch dimension for NestedTensor")
    if nt.layout is jagged and d != nt._fg_ragged:
        return with_data(nt, getattr(nt._fg_data, name)(d - 1, dtype=dtype))
    return rebuild(nt, [getattr(c, name)(d - 1, dtype=dtype) for c in nt.unbind()])


def _dims(dim: Any, ndim: int) -> list[int]:
    dims = [dim] if isinstance(dim, int) else list(dim)
    return sorted({wrap_dim(d, ndim) for d in dims})


def _reduce(func: Callable, name: str, args: tuple, kwargs: dict) -> Any:
    nt = args[0]
    dim = _argument(args, kwargs, 1, "dim")
    keepdim = bool(_argument(args, kwargs, 2, "keepdim", False))
    dtype = kwargs.get("dtype")
    if nt.layout is strided:
        return _strided_sum(nt, name, dim, keepdim, dtype)
    data = nt._fg_data
    if dim is None or isinstance(dim, (list, tuple)) and not dim:
        return getattr(data, name)(dtype=dtype)
    dims, ragged = _dims(dim, nt.dim()), nt._fg_ragged
    if 0 in dims and ragged not in dims:
        raise RuntimeError(f"{name}(): reducing along the batch dimension but not the ragged dimension is not "
                           "supported for nested tensors")
    if ragged in dims:
        if 0 in dims:  # the batch and ragged dims together: the values reduced over the ragged dim
            inner = [d - 1 for d in dims if d != 0]
            out = getattr(data, name)(inner, keepdim=keepdim, dtype=dtype)
            return out.unsqueeze(0) if keepdim else out
        inner = [d - 1 for d in dims]
        return stack([getattr(c, name)(inner, keepdim=keepdim, dtype=dtype) for c in nt.unbind()])
    out = getattr(data, name)([d - 1 for d in dims], keepdim=keepdim, dtype=dtype)
    shift = 0 if keepdim else sum(d < ragged for d in dims)
    return make_jagged(out, nt._fg_offsets, nt._fg_lengths, ragged - shift)


def _strided_sum(nt: NestedTensor, name: str, dim: Any, keepdim: bool, dtype: Any) -> NestedTensor:
    if name != "sum" or dim is None:
        raise unsupported(name if dim is None else f"{name}.dim", strided)
    dims = _dims(dim, nt.dim())
    if dims != [nt.dim() - 1]:
        raise RuntimeError(f"NestedTensor can only be reduced across the last dimension for now got dimension {dim} "
                           "instead.")
    if not keepdim:
        raise RuntimeError("NestedTensor always requires keepdim=True for now.")
    if dtype is not None:
        raise RuntimeError("NestedTensor does not support dtype argument for now.")
    return rebuild(nt, [c.sum(-1, keepdim=True) for c in nt.unbind()])


def _narrow(func: Callable, name: str, args: tuple, kwargs: dict) -> NestedTensor:
    nt, dim, start, length = args[0], args[1], args[2], args[3]
    if nt.layout is jagged:
        raise unsupported("narrow", jagged)
    if dim != 0:
        raise RuntimeError(f"narrow(): only dim=0 supported for nested tensors, but got: {dim}")
    return rebuild(nt, nt.unbind()[start:start + length])


OPS: dict[str, Callable] = {}
OPS.update({name: _unary for name in _UNARY})
OPS.update({name: _binary for name in _BINARY})
OPS.update({"softmax": _softmax, "log_softmax": _softmax, "sum": _reduce, "mean": _reduce, "narrow": _narrow,
            "transpose": transpose, "swapaxes": transpose, "reshape": reshape, "view": reshape,
            "unsqueeze": unsqueeze, "matmul": matmul, "bmm": matmul, "linear": matmul,
            "scaled_dot_product_attention": scaled_dot_product_attention, "max": _extreme, "min": _extreme,
            "squeeze": _squeeze})


def _op_name(func: Callable) -> str:
    """The op a method or function runs (ferrograd names a few of its methods
    `_round_method`, `_square`)."""
    name = accessor_name(func) or getattr(func, "__name__", "").removesuffix("_method")
    return name[1:] if name.startswith("_") and not name.startswith("__") else name


def dispatch(func: Callable, args: tuple, kwargs: dict) -> Any:
    name = _op_name(func)
    name = _REFLECTED.get(name, name)
    op = OPS.get(name)
    if op is None:
        nested = next(a for a in (*args, *kwargs.values()) if isinstance(a, NestedTensor))
        raise unsupported(name.strip("_"), nested.layout)
    if name in _REFLECTED.values() and len(args) > 1 and getattr(func, "__name__", "").startswith("__r"):
        args = (args[1], args[0], *args[2:])  # `2 - nt` arrives as nt.__rsub__(2)
    if op is _binary or op is _unary:
        return op(_plain(func, name), name, args, kwargs)
    return op(func, name, args, kwargs)


def _plain(func: Callable, name: str) -> Callable:
    """The op to run on dense tensors: a reflected operator as its named method."""
    if _op_name(func) != name:
        return getattr(Tensor, name)
    return func


def _renamed(name: str, method: Callable) -> Callable:
    """`method` dispatching under the name `name` it has on Tensor."""
    def op(*args, **kwargs):
        return method(*args, **kwargs)

    def call(self, *args, **kwargs):
        return dispatch(op, (self, *args), kwargs)

    op.__name__ = call.__name__ = name
    return call


def _install_renamed_methods() -> None:
    """Tensor methods whose function has another name (`masked_select` is a lambda,
    `round` is `_round_method`) dispatch on a nested tensor under their attribute's name,
    so that ops and PyTorch's messages name them right."""
    for name, value in list(vars(Tensor).items()):
        wrapper = vars(NestedTensor).get(name)
        if name.startswith("_") or not callable(value) or not getattr(wrapper, "_fg_dispatch", False):
            continue
        if _op_name(value) != name:
            setattr(NestedTensor, name, _renamed(name, value))


_install_renamed_methods()
