"""The ops PyTorch's CPU build runs on quantized tensors beyond `_quantized`'s basics:
shape ops and selections over the stored integers (the quantization kept), reductions
(`mean`, `max`, `min`, `sort`, `topk`), the activations with a quantized kernel, and
comparisons. `install` puts them on `QuantizedTensor`.

PyTorch requantizes an activation's float result with fixed output parameters (sigmoid:
scale 1/256, zero point 0, or -128 for qint8; tanh: scale 2/256, zero point 128 for quint8)
or the input's. Its vectorized kernels compute in float32 over whole vectors of 64 values
and the scalar path on the rest; the two round differently at exact halves, so
`_requantized` follows each on its part of the flattened tensor.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from . import _core
from ._core import Tensor
from ._quantized import (
    _PER_TENSOR_ONLY,
    QuantizedTensor,
    _like,
    dequantized,
    make,
    nan_integer,
    promote_error,
    rounded,
    unknown_quantizer,
    unsupported,
)
from ._quantized_dtypes import QuantizedDtype, per_tensor_affine

_UNIFORM_ONLY = "Setting strides is possible only on uniformly quantized tensor"
_VECTOR_LANES = 64  # the values one vectorized step of PyTorch's kernels takes (AVX-512)


def _require_per_tensor(q: QuantizedTensor) -> None:
    if q._fg_qscheme is None:
        raise unknown_quantizer("qscheme")
    if q._fg_axis is not None:
        raise RuntimeError(_PER_TENSOR_ONLY)


def require_bytes(q: QuantizedTensor, kernel: str) -> None:
    """PyTorch's error for its quantized `kernel`, which has no case for the sub-byte dtypes."""
    if q._fg_qdtype._per_byte > 1:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{q._fg_qdtype._scalar_type}'")


def _ints(values: np.ndarray, q: QuantizedTensor) -> Tensor:
    from ._creation import tensor

    return tensor(values.astype(q._fg_qdtype._int_dtype), dtype=q._fg_int.dtype)


def _quantize_scalar(q: QuantizedTensor, value: float) -> int:
    """`value` quantized with `q`'s scale and zero point (PyTorch's `quantize_val`)."""
    qdtype = q._fg_qdtype
    return int(rounded(np.float32(value), q._fg_scale, q._fg_zero_point, qdtype._qmin, qdtype._qmax,
                       nan_to=nan_integer(qdtype)))


def _wrap(q: QuantizedTensor, result: Any) -> Any:
    """The integers (or a sequence of them) `result` as tensors with `q`'s quantization."""
    if isinstance(result, (tuple, list)):
        return tuple(_like(q, r) for r in result)
    return _like(q, result)


# ---------------------------------------------------------------------- shapes and selections

def _integer_view(name: str):
    """The method `name` run on the stored integers, the quantization kept; for a
    per-channel tensor, the ops that keep channels apart follow them (`channel_view`),
    the others raise PyTorch's error."""
    def method(self: QuantizedTensor, *args: Any, **kwargs: Any) -> Any:
        if self._fg_axis is not None:
            if name == "index_select":
                raise RuntimeError("Only per_tensor quantized quantized tensors are supported by index_select.")
            if name not in _CHANNEL_VIEWS:
                raise RuntimeError(_UNIFORM_ONLY)
            return channel_view(self, name, *args, **kwargs)
        return _wrap(self, getattr(self._fg_int, name)(*args, **kwargs))

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"`Tensor.{name}` over the stored integers, the quantization kept."
    return method


def channel_view(q: QuantizedTensor, name: str, *args: Any, **kwargs: Any) -> Any:
    """`Tensor.<name>` of a per-channel tensor: the op runs on the integers and on a map
    of each element's channel; a result whose channels run along one dimension is
    per-channel along it, one holding a single channel is per-tensor with its scale and
    zero point, any other PyTorch's error."""
    from ._creation import arange

    shape = [1] * q.dim()
    shape[q._fg_axis] = -1
    channels = arange(q.shape[q._fg_axis]).reshape(shape).expand(tuple(q.shape)).contiguous()
    ints = getattr(q._fg_int, name)(*args, **kwargs)
    mapped = getattr(channels, name)(*args, **kwargs)
    if isinstance(ints, (tuple, list)):
        return tuple(_channel_result(q, i, m) for i, m in zip(ints, mapped))
    return _channel_result(q, ints, mapped)


def _channel_result(q: QuantizedTensor, ints: Tensor, channels: Tensor) -> QuantizedTensor:
    array = channels.numpy()
    if array.size == 0:
        return _like(q, ints)
    varying = [d for d in range(array.ndim) if array.shape[d] > 1 and np.any(np.diff(array, axis=d) != 0)]
    if not varying:
        channel = int(array.reshape(-1)[0])
        return make(ints, q._fg_qdtype, per_tensor_affine, float(q._fg_scale[channel].item()),
                    int(q._fg_zero_point[channel].item()))
    if len(varying) > 1:
        raise RuntimeError(_UNIFORM_ONLY)
    from ._creation import tensor

    axis = varying[0]
    index = [0] * array.ndim
    index[axis] = slice(None)
    ids = tensor(array[tuple(index)].astype(np.int64))
    return make(ints, q._fg_qdtype, q._fg_qscheme, q._fg_scale.index_select(0, ids),
                q._fg_zero_point.index_select(0, ids), axis)


def _shifted_axis(self: QuantizedTensor, ints: Tensor, axis: int) -> QuantizedTensor:
    return make(ints, self._fg_qdtype, self._fg_qscheme, self._fg_scale, self._fg_zero_point, axis)


def _channel_following(name: str):
    def method(self: QuantizedTensor, *args: Any, **kwargs: Any) -> Any:
        if self._fg_axis is not None and name in _SAME_QUANTIZER:
            # PyTorch's view keeps the quantizer: the scales no longer match a reshaped axis
            return _shifted_axis(self, getattr(self._fg_int, name)(*args, **kwargs), self._fg_axis)
        if self._fg_axis is not None:
            return channel_view(self, name, *args, **kwargs)
        return _wrap(self, getattr(self._fg_int, name)(*args, **kwargs))

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"`Tensor.{name}` over the stored integers, the quantization kept (per channel followed)."
    return method


def masked_fill(self: QuantizedTensor, mask: Tensor, value: Any) -> QuantizedTensor:
    return self.clone().masked_fill_(mask, value)


def masked_fill_(self: QuantizedTensor, mask: Tensor, value: Any) -> QuantizedTensor:
    if self._fg_axis is not None:
        raise RuntimeError("masked_fill__quantized_cpu for quantized tensors is currently only supported for per "
                           "tensor quantized tensors")
    require_bytes(self, "copy_kernel")
    number = value.item() if isinstance(value, Tensor) else value
    self._fg_int = self._fg_int.masked_fill(mask, _quantize_scalar(self, number))
    return self


def resize_(self: QuantizedTensor, *size: Any, memory_format: Any = None) -> QuantizedTensor:
    if self._fg_axis is not None:
        raise RuntimeError("Can only resize quantized tensors with per-tensor schemes!")
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
    values = self._fg_int.numpy().reshape(-1)
    count = int(np.prod(shape, dtype=np.int64))
    grown = np.zeros(count, dtype=values.dtype)  # new storage holds zeros (PyTorch's is uninitialized)
    grown[:min(count, values.size)] = values[:count]
    self._fg_int = _ints(grown.reshape(shape), self)
    return self


# ---------------------------------------------------------------------- reductions

def _innermost(dims: list, ndim: int) -> bool:
    ordered = sorted((d % ndim for d in dims), reverse=True)
    return not ordered or (ordered[0] == ndim - 1 and all(a - b == 1 for a, b in itertools.pairwise(ordered)))


def mean(self: QuantizedTensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> QuantizedTensor:
    """The mean, quantized with the input's parameters: over the innermost dimensions
    the stored integers' mean rounded (PyTorch's fast path), else the float mean
    requantized."""
    _require_per_tensor(self)
    if dtype is not None and not isinstance(dtype, QuantizedDtype):
        from ._quantize import _scalar_name

        raise RuntimeError(f"ScalarType {_scalar_name(dtype)} is not supported in new_qtensor.")
    dims = [] if dim is None else [dim] if isinstance(dim, int) else list(dim)
    ndim = self.dim()
    qdtype = self._fg_qdtype
    if _innermost(dims, ndim):
        require_bytes(self, "quantized_mean_kernel_impl_cpu")
        axes = tuple(d % ndim for d in dims) if dims else tuple(range(ndim))
        ints = self._fg_int.numpy().astype(np.float64).mean(axis=axes, keepdims=keepdim)
        values = np.clip(np.rint(ints), qdtype._qmin, qdtype._qmax)
        return _like(self, _ints(np.asarray(values), self))
    from ._creation import tensor

    floats = tensor(dequantized(self), dtype=_core.float32).mean(dims, keepdim).numpy()
    ints = rounded(floats, self._fg_scale, self._fg_zero_point, qdtype._qmin, qdtype._qmax, nan_to=nan_integer(qdtype),
                   fused=qdtype._name in ("quint8", "qint8"))  # requantized by quantize_per_tensor
    return _like(self, _ints(ints, self))


def std(self: QuantizedTensor, *args: Any, **kwargs: Any) -> QuantizedTensor:
    """The standard deviation of the values, quantized with the input's parameters."""
    from ._creation import tensor

    _require_per_tensor(self)
    require_bytes(self, "quantized_std_kernel_impl_cpu")
    qdtype = self._fg_qdtype
    floats = tensor(dequantized(self), dtype=_core.float32).std(*args, **kwargs).numpy()
    ints = rounded(floats, self._fg_scale, self._fg_zero_point, qdtype._qmin, qdtype._qmax, nan_to=nan_integer(qdtype))
    return _like(self, _ints(ints, self))


def _extreme(name: str, message: str):
    def method(self: QuantizedTensor, *args: Any, **kwargs: Any) -> Any:
        if self._fg_axis is not None:
            raise RuntimeError(message)
        if args and isinstance(args[0], Tensor) or "other" in kwargs:
            raise unsupported("maximum" if name == "max" else "minimum")
        result = getattr(self._fg_int, name)(*args, **kwargs)
        if isinstance(result, Tensor):
            return _like(self, result)
        return type(result)((_like(self, result.values), result.indices))

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"`Tensor.{name}` of the stored integers (the scale is positive), the quantization kept."
    return method


def _ordered(name: str, per_channel_error: str):
    def method(self: QuantizedTensor, *args: Any, **kwargs: Any) -> Any:
        if self._fg_axis is not None:
            raise RuntimeError(per_channel_error)
        if name == "topk":
            require_bytes(self, "qtopk_cpu")
        result = getattr(self._fg_int, name)(*args, **kwargs)
        if name == "argsort":
            return result
        return type(result)((_like(self, result.values), result.indices))

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"`Tensor.{name}` of the stored integers, the quantization kept."
    return method


# ---------------------------------------------------------------------- activations

def requantized(self: QuantizedTensor, kernel: str, fn: Any, scale: float, zero_point: int, *,
                premultiplied: bool = True) -> QuantizedTensor:
    """`fn` of the dequantized values (float32 arrays) quantized with `scale` and
    `zero_point`, rounding as PyTorch's kernels on each part of the flattened tensor:
    the vectorized part dequantizes as `int * scale + (-zero_point * scale)` in one
    rounding (`premultiplied`) and adds the zero point after rounding; the scalar rest
    computes `(int - zero_point) * scale` and rounds `zero_point + value / scale`.
    `kernel` names PyTorch's kernel in its error for a sub-byte dtype."""
    _require_per_tensor(self)
    require_bytes(self, kernel)
    qdtype = self._fg_qdtype
    ints = self._fg_int.numpy().astype(np.int64).reshape(-1)
    in_scale = np.float32(self._fg_scale)
    in_zp = self._fg_zero_point
    inverse = np.float32(1.0) / np.float32(scale)
    split = ints.size - ints.size % _VECTOR_LANES
    head, tail = ints[:split], ints[split:]
    if premultiplied:
        head_x = (head * np.float64(in_scale) + np.float64(np.float32(in_scale * np.float32(-in_zp)))).astype(np.float32)
    else:
        head_x = (head - in_zp).astype(np.float32) * in_scale
    with np.errstate(over="ignore", invalid="ignore"):
        head_q = np.rint(np.asarray(fn(head_x), dtype=np.float32) * inverse) + zero_point
        tail_x = (tail - in_zp).astype(np.float32) * in_scale
        tail_q = np.rint(np.float32(zero_point) + np.asarray(fn(tail_x), dtype=np.float32) * inverse)
    values = np.clip(np.nan_to_num(np.concatenate([head_q, tail_q]).astype(np.float64), nan=nan_integer(qdtype)),
                     qdtype._qmin, qdtype._qmax)
    ints_out = _ints(values.reshape(tuple(self.shape)), self)
    return make(ints_out, qdtype, per_tensor_affine, scale, zero_point)


def _unit_range(q: QuantizedTensor) -> tuple[float, int]:
    """The output scale and zero point of PyTorch's sigmoid and hardsigmoid."""
    if q._fg_qdtype._name == "qint32":
        return 2.0 ** -32, 0
    return 1.0 / 256, -128 if q._fg_qdtype._name == "qint8" else 0


def sigmoid(self: QuantizedTensor) -> QuantizedTensor:
    scale, zero_point = _unit_range(self)
    return requantized(self, "qsigmoid", lambda x: np.float32(1) / (np.float32(1) + np.exp(-x)), scale,
                       zero_point, premultiplied=False)


def tanh(self: QuantizedTensor) -> QuantizedTensor:
    name = self._fg_qdtype._name
    scale = 2.0 ** -31 if name == "qint32" else 2.0 / 256
    return requantized(self, "qtanh", np.tanh, scale, 128 if name == "quint8" else 0)


def hardsigmoid(self: QuantizedTensor) -> QuantizedTensor:
    scale, zero_point = _unit_range(self)
    return requantized(self, "qhardsigmoid", lambda x: np.minimum(np.maximum(x + np.float32(3), np.float32(0)),
                                                                  np.float32(6)) / np.float32(6), scale, zero_point)


def leaky_relu(self: QuantizedTensor, negative_slope: float = 0.01) -> QuantizedTensor:
    slope = np.float32(negative_slope)
    return requantized(self, "leaky_qrelu", lambda x: np.where(x > 0, x, x * slope), self._fg_scale,
                       self._fg_zero_point)


def gelu(self: QuantizedTensor, approximate: str = "none") -> QuantizedTensor:
    from ._creation import tensor

    _require_per_tensor(self)
    kind = "gelu" if approximate == "none" else "gelu_tanh"

    def fn(x: np.ndarray) -> np.ndarray:
        return _core._activation(tensor(x, dtype=_core.float32), kind, []).numpy()

    return requantized(self, "qgelu", fn, float(np.float32(self._fg_scale)), self._fg_zero_point)


def clamp(self: QuantizedTensor, min: Any = None, max: Any = None, *, kernel: str = "clamp") -> QuantizedTensor:
    """The stored integers clamped to the bounds quantized (PyTorch's `qclamp`; `kernel`
    names it in the error for a sub-byte dtype)."""
    _require_per_tensor(self)
    require_bytes(self, kernel)
    for bound in (min, max):
        if isinstance(bound, Tensor):
            raise promote_error(self, bound)
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    ints = self._fg_int
    if min is not None:
        ints = ints.clamp(min=_quantize_scalar(self, min))
    if max is not None:
        ints = ints.clamp(max=_quantize_scalar(self, max))
    return _like(self, ints)


def clamp_(self: QuantizedTensor, min: Any = None, max: Any = None) -> QuantizedTensor:
    # PyTorch has no in-place quantized clamp (hardtanh_ is one); a float bound fails its type promotion first
    if any(isinstance(bound, float) for bound in (min, max)):
        from ._creation import tensor

        raise promote_error(self, tensor(0.0))
    raise unsupported("clamp")


def _one_bound(name: str):
    def method(self: QuantizedTensor, bound: Any) -> QuantizedTensor:
        if isinstance(bound, (float, Tensor)):  # PyTorch's type promotion refuses it first
            from ._creation import tensor

            raise promote_error(self, bound if isinstance(bound, Tensor) else tensor(0.0))
        raise unsupported(name)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"PyTorch has no quantized `{name}` (its errors)."
    return method


def relu(self: QuantizedTensor) -> QuantizedTensor:
    """Negative values set to zero: the stored integers clamped below at the zero point."""
    _require_per_tensor(self)
    require_bytes(self, "qrelu")
    return _like(self, self._fg_int.clamp(min=self._fg_zero_point))


def relu_(self: QuantizedTensor) -> QuantizedTensor:
    _require_per_tensor(self)
    require_bytes(self, "qrelu")
    self._fg_int = self._fg_int.clamp(min=self._fg_zero_point)
    return self


# ---------------------------------------------------------------------- comparisons

def _compare(name: str):
    def method(self: QuantizedTensor, other: Any) -> Tensor:
        from ._creation import tensor

        if other is None and name in ("eq", "ne"):  # Python's fallback for `q == None`
            return name == "ne"

        mine = tensor(dequantized(self), dtype=_core.float32)
        if getattr(other, "is_quantized", False):
            other = tensor(dequantized(other), dtype=_core.float32)
        return getattr(mine, name)(other)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"`{name}` of the dequantized values, a bool tensor."
    return method


def equal(self: QuantizedTensor, other: Any) -> bool:
    """Whether `other` is a quantized tensor of the same dtype, scheme, parameters, size
    and stored integers (PyTorch's `equal_quantized_cpu`)."""
    if not getattr(other, "is_quantized", False):
        return False
    if self._fg_qdtype is not other._fg_qdtype or self._fg_qscheme is not other._fg_qscheme:
        return False
    if self._fg_axis is None:
        same_params = (self._fg_scale == other._fg_scale and self._fg_zero_point == other._fg_zero_point)
    else:
        same_params = (self._fg_axis == other._fg_axis and self._fg_scale.shape == other._fg_scale.shape
                       and bool((self._fg_scale == other._fg_scale).all())
                       and bool((self._fg_zero_point == other._fg_zero_point).all()))
    return bool(same_params and self.shape == other.shape and bool((self._fg_int == other._fg_int).all()))


_COMPARISONS = {"eq": "eq", "ne": "ne", "lt": "lt", "le": "le", "gt": "gt", "ge": "ge", "__eq__": "eq",
                "__ne__": "ne", "__lt__": "lt", "__le__": "le", "__gt__": "gt", "__ge__": "ge", "greater": "gt",
                "greater_equal": "ge", "less": "lt", "less_equal": "le", "not_equal": "ne"}
# the views PyTorch runs on a per-channel tensor (others refuse: its strides must be uniform)
_CHANNEL_VIEWS = frozenset({"select", "chunk", "split", "tensor_split", "hsplit", "vsplit", "dsplit", "unbind",
                            "expand", "expand_as", "view_as", "reshape_as", "ravel"})
_SAME_QUANTIZER = frozenset({"view", "reshape", "flatten", "ravel", "view_as", "reshape_as"})
_INTEGER_VIEWS = ("select", "index_select", "chunk", "split", "tensor_split", "hsplit", "vsplit", "dsplit", "unbind",
                  "expand", "expand_as", "view_as", "reshape_as", "ravel", "movedim", "moveaxis", "swapaxes",
                  "swapdims", "repeat", "flip", "fliplr", "flipud", "unfold", "diag", "as_strided")


def install(cls: type) -> None:
    """Put the ops on the quantized tensor class."""
    for name in _INTEGER_VIEWS:
        setattr(cls, name, _channel_following(name) if name in _SAME_QUANTIZER else _integer_view(name))
    for name in ("unsqueeze", "squeeze", "narrow", "view", "reshape", "flatten", "__getitem__"):
        setattr(cls, name, _channel_following(name))
    for name in ("masked_fill", "masked_fill_", "resize_", "mean", "std", "sigmoid",
                 "tanh", "clamp", "clamp_", "relu", "relu_", "equal"):
        setattr(cls, name, globals()[name])
    cls.clip = clamp
    cls.clip_ = clamp_
    cls.clamp_min = _one_bound("clamp_min")
    cls.clamp_max = _one_bound("clamp_max")
    cls.mT = property(lambda self: self.transpose(-2, -1), doc="The last two dimensions swapped.")
    for name in ("max", "min"):
        setattr(cls, name, _extreme(name, f"{name.capitalize()} operator for quantized tensors only works for per "
                                          "tensor quantized tensors. Please open an issue on "
                                          "https://github.com/pytorch/pytorch/issues if you need per channel "
                                          f"quantized tensor support."))
    cls.sort = _ordered("sort", _PER_TENSOR_ONLY)
    cls.argsort = _ordered("argsort", _PER_TENSOR_ONLY)
    cls.topk = _ordered("topk", "Top-K is only supported on per-tensor quantization")
    for name, op in _COMPARISONS.items():
        setattr(cls, name, _compare(op))
