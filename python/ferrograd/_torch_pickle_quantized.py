"""Quantized tensors in PyTorch's checkpoint pickle, both ways: PyTorch writes one as
`torch._utils._rebuild_qtensor(storage, offset, size, stride, quantizer_params,
requires_grad, hooks)` over a `torch.QUInt8Storage` (`QInt8Storage`, ..., the sub-byte
dtypes' storages hold the packed bytes), with `quantizer_params` `(torch.per_tensor_affine,
scale, zero_point)` or `(torch.per_channel_affine, scales, zero_points, axis)`."""

from __future__ import annotations

import pickle
from typing import Any

from ._core import Tensor

# quantized dtype name -> (PyTorch's storage class, the dtype its bytes load as)
STORAGES = {"quint8": ("QUInt8Storage", "uint8"), "qint8": ("QInt8Storage", "int8"),
            "qint32": ("QInt32Storage", "int32"), "quint4x2": ("QUInt4x2Storage", "uint8"),
            "quint2x4": ("QUInt2x4Storage", "uint8")}
SCHEMES = ("per_tensor_affine", "per_channel_affine", "per_tensor_symmetric", "per_channel_symmetric",
           "per_channel_affine_float_qparams")


class QuantizedStorage:
    """A storage read for a quantized tensor: its integers and the quantized dtype's name."""

    __slots__ = ("name", "tensor")

    def __init__(self, tensor: Tensor, name: str) -> None:
        self.tensor, self.name = tensor, name


def reduce_args(q: Any, storage_ref: Any, scheme_global: Any) -> tuple:
    """The arguments PyTorch pickles for `q` (its storage given as `storage_ref`)."""
    from collections import OrderedDict

    strides, step = [], 1
    for n in reversed(tuple(q.shape)):
        strides.insert(0, step)
        step *= max(n, 1)
    if q._fg_axis is None:
        params: tuple = (scheme_global("per_tensor_affine"), q._fg_scale, q._fg_zero_point)
    else:  # PyTorch names float-qparams tensors per_channel_affine too
        params = (scheme_global("per_channel_affine"), q._fg_scale, q._fg_zero_point, q._fg_axis)
    return (storage_ref, 0, tuple(q.shape), tuple(strides), params, False, OrderedDict())


def rebuild_qtensor(storage: Any, storage_offset: int, size: Any, stride: Any, quantizer_params: tuple,
                    requires_grad: bool = False, backward_hooks: Any = None) -> Any:
    """The quantized tensor PyTorch's `_rebuild_qtensor` makes."""
    import numpy as np

    from . import _quantized_dtypes
    from ._creation import tensor
    from ._quantized import make
    from ._torch_pickle import _rebuild_tensor_v2

    if not isinstance(storage, QuantizedStorage) or not isinstance(quantizer_params, tuple):
        raise pickle.UnpicklingError("_rebuild_qtensor expects a quantized storage and quantizer parameters")
    qdtype = getattr(_quantized_dtypes, storage.name)
    per_byte = qdtype._per_byte
    if per_byte == 1:
        ints = _rebuild_tensor_v2(storage.tensor, storage_offset, size, stride).clone()
    else:  # the packed values, the first in the low bits
        packed = storage.tensor.numpy().astype(np.uint8)
        bits = 8 // per_byte
        values = (packed[:, None] >> (np.arange(per_byte, dtype=np.uint8) * bits)) & ((1 << bits) - 1)
        count = int(np.prod(size, dtype=np.int64))
        ints = tensor(values.reshape(-1)[:count].astype(np.uint8)).reshape(tuple(size))
    scheme = quantizer_params[0]
    if scheme is _quantized_dtypes.per_tensor_affine:
        _, scale, zero_point = quantizer_params
        return make(ints, qdtype, scheme, float(scale), int(zero_point))
    if scheme is not _quantized_dtypes.per_channel_affine:
        raise pickle.UnpicklingError(f"_rebuild_qtensor: unsupported quantization scheme {scheme!r}")
    _, scales, zero_points, axis = quantizer_params
    if zero_points.dtype.is_floating_point:
        scheme = _quantized_dtypes.per_channel_affine_float_qparams
    return make(ints, qdtype, scheme, scales, zero_points, int(axis))


def allowed_globals() -> dict:
    """The names a checkpoint with quantized tensors uses, for the allow-list unpickler
    (the storages are added there, as `_StorageType`s)."""
    from . import _quantized_dtypes

    allowed: dict = {("torch._utils", "_rebuild_qtensor"): rebuild_qtensor}
    for name in SCHEMES:
        allowed[("torch", name)] = getattr(_quantized_dtypes, name)
    for name in STORAGES:
        allowed[("torch", name)] = getattr(_quantized_dtypes, name)
    return allowed
