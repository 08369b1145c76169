"""Quantized tensors: the `QuantizedTensor` class, quantizing, dequantizing and printing.

A quantized tensor is a `Tensor` subclass holding in its `__dict__` the stored integers
(`_fg_int`, a dense int8/uint8/int32 tensor, one element per value: the sub-byte dtypes
are packed only by `int_repr()`), its quantized dtype and its quantization parameters
(a scale and zero point, or per-channel scales, zero points and axis). The core tensor
underneath is an empty stand-in tagged as a Python layout (`Tensor._set_layout`), so a
binding of the Rust core that meets one hands the call to `_layouts`, which runs it here
or raises PyTorch's error. Methods of Tensor the class does not write raise PyTorch's
NotImplementedError for an op without a QuantizedCPU kernel.

Rounding is PyTorch's (FBGEMM's): `nearbyint(x * (1.0f / scale) + zero_point)` in float32
(round half to even, the zero point added first; for the sub-byte dtypes after
rounding), clamped to the dtype's range.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _core
from ._core import Tensor
from ._quantized_dtypes import (
    QuantizedDtype,
    per_channel_affine_float_qparams,
    qscheme,
)
from ._sparse_strided import no_kernel
from ._subclass_dispatch import _disabled_torch_function_impl

__all__ = ["QuantizedTensor"]

# Object-protocol and bookkeeping names a quantized tensor inherits from Tensor unchanged.
_INHERITED = frozenset({
    "__init__", "__new__", "__hash__", "__getattribute__", "__getattr__", "__setattr__", "__delattr__",
    "__init_subclass__", "__class_getitem__", "__subclasshook__", "__torch_function__", "__sizeof__",
    "__dir__", "__dict__", "__module__", "__doc__", "__weakref__", "__format__", "__getstate__", "__setstate__",
    "device", "is_cuda", "is_cpu", "is_meta", "is_mkldnn", "is_nested", "is_sparse_csr", "is_xla", "is_xpu",
    "is_ipu", "is_maia", "is_mps", "is_mtia", "is_vulkan", "itemsize", "retains_grad", "register_hook",
    "is_complex", "get_device", "_version", "name", "output_nr", "_is_inference", "is_inference",
    "requires_grad_", "grad_fn", "requires_grad", "grad", "is_leaf", "cpu",
})
# methods whose aten op (the name PyTorch's message gives) is not `<name>.out`
_ATEN_NAMES = {"sum": "sum.IntList_out", "isnan": "isnan", "mm": "mm.out", "max": "_max_all.out", "__setitem__": "index_put_", "new_zeros": "zero_", "argsort": "sort.stable",
               "std": "std.correction", "var": "var.correction", "__invert__": "bitwise_not.out",
               "__neg__": "neg.out", "__abs__": "abs.out", "__pow__": "pow.Tensor_Scalar_out",
               "quantize_per_tensor": "quantize_per_tensor", "quantize_per_channel": "quantize_per_channel",
               "unique": "_unique2", "take": "take", "roll": "roll", "softmax": "_softmax.out",
               "log_softmax": "_log_softmax.out", "kthvalue": "kthvalue.values", "median": "median",
               "where": "where.self", "sigmoid_": "sigmoid.out", "tanh_": "tanh.out", "square": "pow.Tensor_Scalar_out", "matmul": "mm.out", "__matmul__": "mm.out", "nonzero": "nonzero", "aminmax": "aminmax.out", "hardswish": "hardswish"}
# binary ops whose dense operand PyTorch's type promotion refuses beside a quantized one
_PROMOTING = frozenset({"add", "sub", "mul", "div", "true_divide", "atan2", "maximum", "minimum", "pow", "remainder",
                        "fmod", "rsub", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
                        "__truediv__", "__rtruediv__", "__pow__", "__rpow__", "__mod__", "__rmod__"})
_ARITHMETIC = frozenset({"add", "sub", "mul", "div", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__",
                         "__rmul__", "__truediv__", "__rtruediv__", "add_", "sub_", "mul_", "div_", "__iadd__",
                         "__isub__", "__imul__", "__itruediv__"})
_EMPTY_STRIDED = ("empty_strided not supported on quantized tensors yet see "
                  "https://github.com/pytorch/pytorch/issues/74540")
_NEEDS_QUANTIZED = "Creation of quantized tensor requires quantized dtype like torch.quint8"
_PER_TENSOR_ONLY = ("Expected quantizer->qscheme() == kPerTensorAffine to be true, but got false.  "
                    "(Could this error message be improved?  If so, please report an enhancement request to PyTorch.)")
_PER_CHANNEL_ONLY = ("Expected quantizer->qscheme() == kPerChannelAffine || quantizer->qscheme() == "
                     "kPerChannelAffineFloatQParams to be true, but got false.  (Could this error message be "
                     "improved?  If so, please report an enhancement request to PyTorch.)")


# methods a tensor made without quantization parameters (`empty(..., dtype=qint8)`) still runs
_WITHOUT_QUANTIZER = frozenset({"int_repr", "size", "dim", "numel", "nelement", "stride", "element_size",
                                "is_contiguous", "is_floating_point", "is_signed", "requires_grad_", "get_device",
                                "type", "detach", "register_hook"})


def unknown_quantizer(call: str) -> RuntimeError:
    """PyTorch's internal assert for a quantized tensor without a quantizer (made by
    `empty` with a quantized dtype), naming the quantizer method called."""
    line = 441 if call == "dequantize" else 447
    return RuntimeError(f'false INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/ATen/quantized/'
                        f'Quantizer.cpp":{line}, please report a bug to PyTorch. cannot call {call} on UnknownQuantizer')


def promote_error(first: Any, second: Any) -> RuntimeError:
    """PyTorch's error for a binary op mixing a quantized tensor and a dense one."""
    from ._dtype_names import _SCALAR_NAMES, short_name

    def scalar_name(t: Any) -> str:
        if isinstance(t.dtype, QuantizedDtype):
            return t.dtype._scalar_type
        return _SCALAR_NAMES.get(short_name(t.dtype), short_name(t.dtype))

    return RuntimeError("promoteTypes with quantized numbers is not handled yet; figure out what the correct rules "
                        f"should be, offending types: {scalar_name(first)} {scalar_name(second)}")


def dense_method(name: str, tensor: Tensor, other: Any) -> Any:
    """`tensor.<name>(other)` for a dense `tensor` and a quantized `other` (the core
    hands it here): PyTorch's type-promotion error for the elementwise ops, else its
    error for an op without a QuantizedCPU kernel."""
    if name.removesuffix("_") in _PROMOTING:
        raise promote_error(tensor, other)
    raise unsupported(name)


def aten_name(name: str) -> str:
    """The aten op PyTorch's QuantizedCPU error names for the Tensor method `name`."""
    if name in _ATEN_NAMES:
        return _ATEN_NAMES[name]
    op = name[2:-2] if name.startswith("__") else name
    op = {"truediv": "div", "radd": "add", "rsub": "sub", "rmul": "mul", "iadd": "add_", "isub": "sub_",
          "imul": "mul_", "itruediv": "div_"}.get(op, op)
    return op if op.endswith("_") else f"{op}.out"


def unsupported(name: str) -> NotImplementedError:
    """PyTorch's error for the method `name` without a kernel for quantized tensors."""
    return no_kernel(aten_name(name), "QuantizedCPU")


def _refusal(name: str):
    def refuse(self, *args, **kwargs):
        if (name in _PROMOTING and args and isinstance(args[0], Tensor)
                and not getattr(args[0], "is_quantized", False)):
            raise promote_error(args[0], self) if name.startswith("__r") else promote_error(self, args[0])
        if name in _ARITHMETIC and args and not isinstance(args[0], Tensor):
            raise RuntimeError(_EMPTY_STRIDED)  # a scalar operand: PyTorch fails making the result
        raise unsupported(name)

    refuse.__name__ = name
    return refuse


class QuantizedTensor(Tensor):
    """A quantized tensor (`ferrograd.quantize_per_tensor`, `quantize_per_channel`):
    integers with a scale and zero point (one each, or one per channel along an axis),
    standing for `(int - zero_point) * scale`. Prints, dequantizes and refuses ops as
    PyTorch's quantized CPU tensors do."""

    __torch_function__ = _disabled_torch_function_impl
    __hash__ = Tensor.__hash__
    _fg_quantized = True  # `_layouts.is_quantized`

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if (callable(value) and name not in _WITHOUT_QUANTIZER and not name.startswith("_")
                and object.__getattribute__(self, "__dict__").get("_fg_qscheme", 1) is None):
            error = unknown_quantizer("dequantize" if name == "dequantize" else "qscheme")

            def refuse(*args: Any, **kwargs: Any) -> Any:
                raise error

            return refuse
        if name in _INHERITED or name.startswith("__") or not callable(value) or name in vars(QuantizedTensor):
            return value
        return _refusal(name).__get__(self) if hasattr(Tensor, name) else value

    # ------------------------------------------------------------------ structure

    dtype = property(lambda self: self._fg_qdtype, doc="The quantized dtype (`ferrograd.qint8`, ...).")
    is_quantized = property(lambda self: True, doc="True.")
    is_sparse = property(lambda self: False, doc="False: a quantized tensor is strided.")
    shape = property(lambda self: self._fg_int.shape, doc="The size, as `size()`.")
    ndim = property(lambda self: self._fg_int.dim(), doc="The number of dimensions.")
    nbytes = property(lambda self: self.numel() * self._fg_qdtype.itemsize, doc="Bytes of the stored values.")

    @property
    def layout(self) -> Any:
        """`ferrograd.strided`, as PyTorch's."""
        from ._memory_format import strided

        return strided

    @property
    def T(self) -> QuantizedTensor:
        """The dimensions reversed."""
        return self.permute(*range(self.dim() - 1, -1, -1))

    def size(self, dim: int | None = None) -> Any:
        return self._fg_int.size() if dim is None else self._fg_int.size(dim)

    def dim(self) -> int:
        return self._fg_int.dim()

    def numel(self) -> int:
        return self._fg_int.numel()

    nelement = numel

    def stride(self, dim: int | None = None) -> Any:
        return self._fg_int.stride() if dim is None else self._fg_int.stride(dim)

    def element_size(self) -> int:
        return self._fg_qdtype.itemsize

    def is_floating_point(self) -> bool:
        return False

    def is_signed(self) -> bool:
        raise RuntimeError("isSignedType not supported for quantized types")

    def is_contiguous(self, memory_format: Any = None) -> bool:
        if memory_format is None:
            return self._fg_int.is_contiguous()
        return self._fg_int.is_contiguous(memory_format=memory_format)

    def __len__(self) -> int:
        if not self.dim():
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __bool__(self) -> bool:
        return bool(self.dequantize())

    # ------------------------------------------------------------------ parameters

    def qscheme(self) -> qscheme:
        return self._fg_qscheme

    def q_scale(self) -> float:
        if self._fg_axis is not None:
            raise RuntimeError(_PER_TENSOR_ONLY)
        return self._fg_scale

    def q_zero_point(self) -> int:
        if self._fg_axis is not None:
            raise RuntimeError(_PER_TENSOR_ONLY)
        return self._fg_zero_point

    def q_per_channel_scales(self) -> Tensor:
        if self._fg_axis is None:
            raise RuntimeError(_PER_CHANNEL_ONLY)
        return self._fg_scale

    def q_per_channel_zero_points(self) -> Tensor:
        if self._fg_axis is None:
            raise RuntimeError(_PER_CHANNEL_ONLY)
        return self._fg_zero_point

    def q_per_channel_axis(self) -> int:
        if self._fg_axis is None:
            raise RuntimeError(_PER_CHANNEL_ONLY)
        return self._fg_axis

    # ------------------------------------------------------------------ values

    def int_repr(self) -> Tensor:
        per_byte = self._fg_qdtype._per_byte
        if per_byte == 1:
            return self._fg_int.clone()
        from ._creation import tensor

        # PyTorch packs sub-byte values along the flattened tensor, the first in the low bits
        flat = self._fg_int.numpy().reshape(-1).astype(np.uint16)
        padded = np.zeros(-(-flat.size // per_byte) * per_byte, dtype=np.uint16)
        padded[:flat.size] = flat
        bits = 8 // per_byte
        groups = padded.reshape(-1, per_byte) << (np.arange(per_byte, dtype=np.uint16) * bits)
        return tensor(groups.sum(axis=1).astype(np.uint8), dtype=_core.uint8)

    def dequantize(self) -> Tensor:
        from ._creation import tensor

        return tensor(dequantized(self), dtype=_core.float32)

    def item(self) -> float:
        return self.dequantize().item()

    def tolist(self) -> Any:
        raise RuntimeError("load_scalar: invalid type")

    def numpy(self, *, force: bool = False) -> Any:
        raise TypeError(f"Got unsupported ScalarType {self._fg_qdtype._scalar_type}")

    def to(self, *args: Any, **kwargs: Any) -> QuantizedTensor:
        from ._to_args import parse_to_args

        kwargs.pop("memory_format", None)
        kwargs.pop("copy", None)
        kwargs.pop("non_blocking", None)
        if any(isinstance(a, QuantizedDtype) and a is not self._fg_qdtype for a in (*args, *kwargs.values())):
            raise RuntimeError("Expected self.scalar_type() == src.scalar_type() to be true, but got false.  (Could "
                               "this error message be improved?  If so, please report an enhancement request to "
                               "PyTorch.)")
        dtype = parse_to_args(tuple(a for a in args if not isinstance(a, QuantizedDtype)),
                              {k: v for k, v in kwargs.items() if not isinstance(v, QuantizedDtype)})[1]
        if dtype is None:
            return self
        raise RuntimeError(_NEEDS_QUANTIZED)

    def _cast(self, *args: Any, **kwargs: Any) -> Tensor:
        raise RuntimeError(_NEEDS_QUANTIZED)

    float = double = half = bfloat16 = long = int = short = char = byte = bool = _cast

    def type(self, dtype: Any = None, non_blocking: bool = False, **kwargs: Any) -> Any:
        if dtype is None:
            return f"ferrograd.quantized.{self._fg_qdtype._scalar_type}Tensor"
        return self.to(dtype)

    # ------------------------------------------------------------------ copies and shapes

    def clone(self, *, memory_format: Any = None) -> QuantizedTensor:
        if memory_format is None:
            return _like(self, self._fg_int.clone())
        return _like(self, self._fg_int.clone(memory_format=memory_format))

    def detach(self) -> QuantizedTensor:
        return _like(self, self._fg_int)

    def detach_(self) -> QuantizedTensor:
        return self

    def __iter__(self) -> Any:
        if not self.dim():
            raise TypeError("iteration over a 0-d tensor")
        return iter([self[i] for i in range(self.shape[0])])

    @property
    def data(self) -> QuantizedTensor:
        return self.detach()

    def contiguous(self, memory_format: Any = None) -> QuantizedTensor:
        if memory_format is not None:
            if self.is_contiguous(memory_format):
                return self
            return _like(self, self._fg_int.contiguous(memory_format=memory_format))
        return self if self.is_contiguous() else _like(self, self._fg_int.contiguous())

    def _per_tensor_view(self, op: str, *args: Any, **kwargs: Any) -> QuantizedTensor:
        if self._fg_axis is not None:  # a per-channel tensor's strides must stay uniform
            raise RuntimeError("Setting strides is possible only on uniformly quantized tensor")
        return _like(self, getattr(self._fg_int, op)(*args, **kwargs))

    def permute(self, *dims: Any) -> QuantizedTensor:
        return self._per_tensor_view("permute", *dims)

    def transpose(self, dim0: int, dim1: int) -> QuantizedTensor:
        return self._per_tensor_view("transpose", dim0, dim1)

    def t(self) -> QuantizedTensor:
        return self._per_tensor_view("t")

    def _quantized_values(self, values: Any) -> Tensor:
        """The stored integers of float `values` (broadcast to this tensor's shape) under
        this tensor's quantization."""
        from ._creation import tensor

        array = np.broadcast_to(np.asarray(values, dtype=np.float32), tuple(self.shape))
        qdtype = self._fg_qdtype
        if self._fg_axis is None:
            scale, zero_point = self._fg_scale, self._fg_zero_point
        else:
            shape = _channel_shape(self.dim(), self._fg_axis)
            scale = self._fg_scale.numpy().reshape(shape)
            zero_point = self._fg_zero_point.numpy().reshape(shape)
        ints = rounded(array, scale, zero_point, qdtype._qmin, qdtype._qmax,
                       float_zero_point=self._fg_qscheme is per_channel_affine_float_qparams,
                       sub_byte=qdtype._per_byte > 1, nan_to=nan_integer(qdtype, self._fg_axis is not None))
        return tensor(ints.astype(qdtype._int_dtype), dtype=self._fg_int.dtype).reshape(tuple(self.shape))

    def fill_(self, value: Any) -> QuantizedTensor:
        """Every element set to `value` quantized.

        Args:
            value: a number or a one-element float tensor.
        """
        number = value.item() if isinstance(value, Tensor) else value
        self._fg_int = self._quantized_values(number)
        return self

    def copy_(self, src: Any, non_blocking: bool = False) -> QuantizedTensor:
        """`src`'s values: a float32 tensor quantized with this tensor's parameters, or a
        quantized one's integers and parameters (as PyTorch's quantized copy).

        Args:
            src: the source tensor.
            non_blocking: ignored.
        """
        if getattr(src, "is_quantized", False):
            if src.dtype is not self._fg_qdtype:
                raise RuntimeError("Quantized Copy only works with same qtype")
            self._fg_int = src._fg_int.expand(tuple(self.shape)).clone()
            self._fg_qscheme, self._fg_scale = src._fg_qscheme, src._fg_scale
            self._fg_zero_point, self._fg_axis = src._fg_zero_point, src._fg_axis
            return self
        if src.dtype != _core.float32:
            raise RuntimeError("Quantized copy only works with kFloat as source Tensor")
        self._fg_int = self._quantized_values(src.detach().numpy())
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        if self._fg_axis is not None:
            raise unsupported("__setitem__")
        part = self[index]
        number = value.detach().numpy() if isinstance(value, Tensor) else value
        ints = self._fg_int.clone()
        ints[index] = part._quantized_values(number)
        self._fg_int = ints

    def new_tensor(self, data: Any, *args: Any, **kwargs: Any) -> Tensor:
        raise RuntimeError("store_scalar: invalid type")

    def __reduce_ex__(self, protocol: Any) -> tuple:
        return (make, (self._fg_int, self._fg_qdtype, self._fg_qscheme, self._fg_scale, self._fg_zero_point,
                       self._fg_axis))

    def __copy__(self) -> QuantizedTensor:
        return self.detach()

    def __deepcopy__(self, memo: Any) -> QuantizedTensor:
        return self.clone()

    def __repr__(self, *, tensor_contents: Any = None) -> str:
        return format_quantized(self)

    __str__ = __repr__


QuantizedTensor.__module__ = "ferrograd"


def make(ints: Tensor, qdtype: QuantizedDtype, scheme: qscheme, scale: Any, zero_point: Any,
         axis: int | None = None) -> QuantizedTensor:
    """A quantized tensor over the stored integers `ints` (one element per value)."""
    from ._creation import empty

    if qdtype._per_byte == 1:
        _warn_deprecated()

    out = Tensor.__new__(QuantizedTensor, empty(0, dtype=getattr(_core, qdtype._int_dtype)))
    Tensor._set_layout(out, "sparse_coo")  # the core hands calls meeting this tensor to `_layouts`
    out._fg_int = ints
    out._fg_qdtype = qdtype
    out._fg_qscheme = scheme
    out._fg_scale = scale
    out._fg_zero_point = zero_point
    out._fg_axis = axis
    return out


_DEPRECATED = ("ferrograd.quantize_per_tensor, ferrograd.quantize_per_channel and other quantized tensor creation "
               "functions that produce tensors with dtype ferrograd.quint8, ferrograd.qint8, and ferrograd.qint32 are "
               "deprecated and will be "
               "removed in a future PyTorch release. Please see https://github.com/pytorch/pytorch/issues/184982 for "
               "more information.")
_deprecation_warned = False


def _warn_deprecated() -> None:
    """PyTorch's deprecation of the 8- and 32-bit quantized dtypes: once per process."""
    global _deprecation_warned
    if not _deprecation_warned:
        _deprecation_warned = True
        from ._user_warning import triggered_internally, warn_at_caller

        warn_at_caller(triggered_internally(_DEPRECATED, "quantized/Quantizer.cpp:111"))


def _like(q: QuantizedTensor, ints: Tensor) -> QuantizedTensor:
    return make(ints, q._fg_qdtype, q._fg_qscheme, q._fg_scale, q._fg_zero_point, q._fg_axis)


def _channel_shape(ndim: int, axis: int) -> tuple:
    return tuple(-1 if d == axis else 1 for d in range(ndim))


def dequantized(q: QuantizedTensor) -> np.ndarray:
    """The float32 values of `q`, computed as PyTorch's CPU kernels do."""
    if q._fg_qscheme is None:
        raise unknown_quantizer("dequantize")
    ints = q._fg_int.numpy().astype(np.int64)
    if q._fg_axis is None:
        diff = ints - q._fg_zero_point
        return np.float32(q._fg_scale) * diff.astype(np.float32)
    _check_channels(q)
    shape = _channel_shape(ints.ndim, q._fg_axis)
    scales = q._fg_scale.numpy().reshape(shape)
    zero_points = q._fg_zero_point.numpy().reshape(shape)
    if q._fg_qscheme is not per_channel_affine_float_qparams and q._fg_qdtype._per_byte > 1:
        raise NotImplementedError(f'"dequantize_tensor_per_channel_affine" not implemented for '
                                  f"'{q._fg_qdtype._scalar_type}'")
    if q._fg_qscheme is per_channel_affine_float_qparams:
        return ((ints.astype(np.float32) - zero_points.astype(np.float32)) * scales.astype(np.float32))
    diff = ints.astype(np.float32) - zero_points.astype(np.float32)
    return (diff.astype(np.float64) * scales.astype(np.float64)).astype(np.float32)


def _check_channels(q: QuantizedTensor) -> None:
    """PyTorch's errors for a per-channel tensor whose view no longer has one scale per
    channel (its views keep the scales of the tensor they view)."""
    ndim, axis, count = q.dim(), q._fg_axis, q._fg_scale.numel()
    if not 0 <= axis < ndim:
        raise RuntimeError(f"Channel axis out of range in per channel affine dequantization. Got:{axis} Expected: "
                           f"[0, {ndim})")
    if count != q.shape[axis]:
        raise RuntimeError(f"length of scales must equal to channel, expected {q.shape[axis]} got, {count}")


def nan_integer(qdtype: QuantizedDtype, per_channel: bool = False) -> int:
    """The integer PyTorch's CPU kernel stores for NaN: the largest of the 8-bit dtypes
    (0 with a scale per channel), the smallest of qint32 and the sub-byte ones."""
    if qdtype._name in ("qint8", "quint8"):
        return 0 if per_channel else qdtype._qmax
    return qdtype._qmin


def rounded(x: np.ndarray, scale: Any, zero_point: Any, qmin: int, qmax: int, *, float_zero_point: bool = False,
            sub_byte: bool = False, nan_to: int = 0, fused: bool = False) -> np.ndarray:
    """The integers `x` (float32) quantizes to, as PyTorch's CPU kernels compute them in
    float32: `nearbyint(x * (1.0f / scale) + zero_point)` (FBGEMM's legacy rounding: the
    zero point added before rounding half to even; with `fused`, the product and sum
    rounded once, as the fused multiply-add of its 8-bit per-tensor kernel),
    `zero_point + nearbyint(x * (1.0f / scale))` for the sub-byte dtypes; clamped to
    `[qmin, qmax]`."""
    scale = np.asarray(scale, dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if float_zero_point or sub_byte:
            scale = np.where(scale == 0, np.float32(1.0), scale)
        inv = np.float32(1.0) / scale
        if sub_byte:
            values = np.rint(x * inv).astype(np.float64) + np.asarray(zero_point, dtype=np.float64)
        elif fused:  # float32 products are exact in float64: one rounding to float32
            exact = np.asarray(x, dtype=np.float64) * inv.astype(np.float64) + np.asarray(zero_point, np.float64)
            values = np.rint(exact.astype(np.float32)).astype(np.float64)
        else:
            values = np.rint(x * inv + np.asarray(zero_point, dtype=np.float32)).astype(np.float64)
    values = np.where(np.isnan(values), nan_to, values)
    if float_zero_point or sub_byte:  # PyTorch's lrintf: the smallest long when out of range
        longs = np.where(np.abs(values) < 2.0**63, values, -(2.0**63)).astype(np.int64)
        # the per-channel kernel keeps its low 32 bits
        values = longs.astype(np.int32) if float_zero_point else longs
    return np.clip(values, qmin, qmax).astype(np.int64)


def format_quantized(q: QuantizedTensor) -> str:
    """The repr of a quantized tensor, as PyTorch's `_tensor_str` writes it: the
    dequantized values, then the size, dtype, scheme and quantization parameters."""
    from . import _printing

    opener = "tensor("
    indent = len(opener)
    if q._fg_qscheme is None:
        raise unknown_quantizer("qscheme")
    values = dequantized(q)
    body = "[]" if values.size == 0 else _printing._format_body(values, "float32", indent)
    suffixes = [f"size={tuple(q.shape)}", f"dtype={q.dtype!r}", f"quantization_scheme={q.qscheme()!r}"]
    if q._fg_axis is None:
        suffixes += [f"scale={q._fg_scale}", f"zero_point={q._fg_zero_point}"]
    else:
        suffixes += [f"scale={q._fg_scale}", f"zero_point={q._fg_zero_point}", f"axis={q._fg_axis}"]
    return _printing._append_suffixes(opener + body, suffixes, indent)


def quantized_like(q: QuantizedTensor, name: str, value: Any, dtype: Any = None) -> QuantizedTensor:
    """`zeros_like`/`ones_like`/`empty_like` of a quantized tensor: one with its
    quantization holding `value` (PyTorch fills through `fill_`; `zero_`, which zeros_like
    uses, has no quantized kernel); `empty_like` stores zeros. Another `dtype` is
    PyTorch's error."""
    if dtype is not None and dtype is not q.dtype:
        from ._dtype_names import _CPP_NAMES, short_name

        specified = _CPP_NAMES.get(short_name(dtype), short_name(dtype))
        raise RuntimeError("It is currently not supported to specify a dtype that doesn't match the input tensor's "
                           f"dtype via empty_like.  Specified: {specified} Input tensor's dtype: "
                           f"c10::{q.dtype._name}")
    if name == "zeros_like":
        raise no_kernel("zero_", "QuantizedCPU")
    out = _like(q, q._fg_int.new_zeros(tuple(q.shape)))
    return out if value is None else out.fill_(value)


def quantized_cat(tensors: list, dim: int) -> QuantizedTensor:
    """`cat` of quantized tensors (per-tensor, one dtype), as PyTorch's `quantized_cat`:
    the values joined and quantized with the first tensor's scale and zero point."""
    first = tensors[0]
    if not all(getattr(t, "is_quantized", False) for t in tensors):
        raise no_kernel("qscheme", "CPU")  # PyTorch asks every operand for its scheme
    if any(t._fg_axis is not None for t in tensors):
        raise RuntimeError("Only per-tensor quantization is supported in 'cat'!")
    if any(t.dtype is not first.dtype for t in tensors):
        raise RuntimeError("All dtypes must be the same.")
    from ._creation import tensor
    from ._shape import cat

    same = all(t._fg_scale == first._fg_scale and t._fg_zero_point == first._fg_zero_point for t in tensors)
    if same:
        return _like(first, cat([t._fg_int for t in tensors], dim))
    values = cat([tensor(dequantized(t), dtype=_core.float32) for t in tensors], dim)
    out = _like(first, cat([t._fg_int for t in tensors], dim))
    out._fg_int = out._quantized_values(values.numpy())
    return out


def _refuse_other_operators() -> None:
    """Refusals for the operator slots of Tensor (looked up on the type, past
    `__getattribute__`) that are neither plain object protocol nor written here."""
    for name, value in list(vars(Tensor).items()):
        if name.startswith("__") and callable(value) and name not in _INHERITED and name not in vars(QuantizedTensor):
            setattr(QuantizedTensor, name, _refusal(name))


_refuse_other_operators()


def _install_ops() -> None:
    from ._quantized_ops import install

    install(QuantizedTensor)


_install_ops()
