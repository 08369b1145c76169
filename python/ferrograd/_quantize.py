"""`ferrograd.quantize_per_tensor`, `quantize_per_channel` and the dense fake-quantize
functions (`fake_quantize_per_tensor_affine`, `fake_quantize_per_channel_affine`), with
PyTorch's checks and messages. The quantized tensors they make live in `_quantized`,
which (with NumPy) loads on first use."""

from __future__ import annotations

from typing import Any

from . import _core
from ._core import Tensor
from ._quantized_dtypes import QuantizedDtype

__all__ = ["fake_quantize_per_channel_affine", "fake_quantize_per_tensor_affine", "quantize_per_channel",
           "quantize_per_tensor"]


_FUSED = ("quint8", "qint8")  # dtypes whose per-tensor kernel rounds a fused multiply-add


def _scalar_name(dtype: Any) -> str:
    from ._dtype_names import _SCALAR_NAMES, short_name

    return _SCALAR_NAMES.get(short_name(dtype), short_name(dtype))


def _check_dtype(dtype: Any) -> QuantizedDtype:
    if isinstance(dtype, QuantizedDtype):
        return dtype
    if isinstance(dtype, _core.dtype):
        raise RuntimeError(f"ScalarType {_scalar_name(dtype)} is not supported in new_qtensor.")  # noqa: TRY004
    raise TypeError(f"quantize: argument 'dtype' must be torch.dtype, not {type(dtype).__name__}")


def _check_zero_point(op: str, zero_point: int, dtype: QuantizedDtype) -> None:
    if zero_point > dtype._qmax:
        raise RuntimeError(f"{op} zero_point {zero_point} is above upper bound.")
    if zero_point < dtype._qmin:
        raise RuntimeError(f"{op} zero_point {zero_point} is below lower bound.")


def _float_values(input: Tensor, message: str) -> Any:
    if input.dtype != _core.float32:
        from ._dtype_names import _SCALAR_NAMES, short_name

        raise RuntimeError(message + _SCALAR_NAMES.get(short_name(input.dtype), str(input.dtype)))
    return input.detach().numpy()


def _as_scalar(value: Any, kind: type) -> Any:
    return kind(value.item()) if isinstance(value, Tensor) else kind(value)


def quantize_per_tensor(input: Any, scale: Any, zero_point: Any, dtype: Any) -> Any:
    """A float32 tensor quantized with one scale and zero point (PyTorch's
    `per_tensor_affine` scheme): `clamp(zero_point + round(input / scale))`, rounding half
    to even in float32 as PyTorch's CPU kernel does.

    Args:
        input: a float32 tensor, or a list of them (then `scale` and `zero_point` are
            tensors holding one value per tensor, and a tuple of quantized tensors returns).
        scale: the step between representable values (a float or a one-element tensor).
        zero_point: the integer that stands for 0.0 (an int or a one-element tensor).
        dtype: `ferrograd.quint8`, `qint8`, `qint32`, `quint4x2` or `quint2x4`.
    """
    if isinstance(input, (list, tuple)):
        if not isinstance(scale, Tensor) or not isinstance(zero_point, Tensor):
            raise TypeError("quantize_per_tensor(): argument 'scales' must be Tensor")
        scales = scale.float().reshape(-1).tolist()  # read as float32, as PyTorch's
        zero_points = zero_point.reshape(-1).tolist()
        return tuple(quantize_per_tensor(t, scales[i], int(zero_points[i]), dtype) for i, t in enumerate(input))
    if not isinstance(input, Tensor):
        raise TypeError(f"quantize_per_tensor(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if isinstance(zero_point, float) and not isinstance(scale, Tensor):
        raise TypeError("quantize_per_tensor() received an invalid combination of arguments - got (Tensor, float, "
                        "float, torch.dtype)")
    scale_value = _as_scalar(scale, float)
    if isinstance(scale, Tensor):  # a tensor scale is read as float32, as PyTorch's
        import numpy as np

        scale_value = float(np.float32(scale_value))
    zero_point_value = _as_scalar(zero_point, int)
    if getattr(input, "is_quantized", False):
        from ._sparse_strided import no_kernel

        raise no_kernel("quantize_per_tensor", "QuantizedCPU")
    values = _float_values(input, "Quantize only works on Float Tensor, got ")
    qdtype = _check_dtype(dtype)
    _check_zero_point("quantize_tensor_per_tensor_affine", zero_point_value, qdtype)
    from ._creation import tensor
    from ._quantized import make, nan_integer, rounded
    from ._quantized_dtypes import per_tensor_affine

    ints = rounded(values, scale_value, zero_point_value, qdtype._qmin, qdtype._qmax,
                   sub_byte=qdtype._per_byte > 1, nan_to=nan_integer(qdtype), fused=qdtype._name in _FUSED)
    int_dtype = getattr(_core, qdtype._int_dtype)
    return make(tensor(ints.astype(qdtype._int_dtype), dtype=int_dtype).reshape(tuple(input.shape)),
                qdtype, per_tensor_affine, scale_value, zero_point_value)


def quantize_per_channel(input: Tensor, scales: Tensor, zero_points: Tensor, axis: int, dtype: Any) -> Any:
    """A float32 tensor quantized with a scale and zero point for each index along `axis`
    (PyTorch's `per_channel_affine` scheme; `per_channel_affine_float_qparams` when the
    zero points are floats, which are then added before rounding).

    Args:
        input: a float32 tensor.
        scales: one scale per channel (a 1-D tensor of `input.size(axis)` values).
        zero_points: one zero point per channel (integers, or floats).
        axis: the channel dimension (non-negative, below `input.dim()`).
        dtype: `ferrograd.quint8`, `qint8`, `qint32`, `quint4x2` or `quint2x4`.
    """
    for position, (name, value) in enumerate((("input", input), ("scales", scales),
                                              ("zero_points", zero_points)), 1):
        if not isinstance(value, Tensor):
            raise TypeError(f"quantize_per_channel(): argument '{name}' (position {position}) must be Tensor, not "
                            f"{type(value).__name__}")
    values = _float_values(input, "quantize_tensor_per_channel_affine expects a Float Tensor, got ")
    qdtype = _check_dtype(dtype)
    if not 0 <= axis < input.dim():
        raise RuntimeError(f"Channel axis out of range in per channel affine quantization. Got: {axis}"
                           f"Expected: [0, {input.dim()})")
    if scales.numel() != zero_points.numel():
        raise RuntimeError("number of elements in scales and zero_points must match")
    if scales.numel() != input.shape[axis]:
        raise RuntimeError(f"length of scales must equal to channel, expected {input.shape[axis]} got, "
                           f"{scales.numel()}")
    import numpy as np

    from ._creation import tensor
    from ._quantized import _channel_shape, make, nan_integer, rounded
    from ._quantized_dtypes import per_channel_affine, per_channel_affine_float_qparams

    float_zero_points = zero_points.dtype.is_floating_point
    if not float_zero_points and qdtype._per_byte > 1:  # PyTorch's sub-byte kernel takes float zero points only
        raise NotImplementedError(f'"quantize_tensor_per_channel_affine" not implemented for '
                                  f"'{qdtype._scalar_type}'")
    shape = _channel_shape(input.dim(), axis)
    scale_array = scales.detach().to(_core.float64).numpy().reshape(-1)
    if float_zero_points:
        scheme = per_channel_affine_float_qparams
        scale_t = tensor(scale_array.astype(np.float32), dtype=_core.float32)
        zp_t = tensor(zero_points.detach().to(_core.float64).numpy().reshape(-1).astype(np.float32), dtype=_core.float32)
    else:
        scheme = per_channel_affine
        scale_t = tensor(scale_array, dtype=_core.float64)
        zp_t = tensor(zero_points.detach().to(_core.int64).numpy().reshape(-1), dtype=_core.int64)
        for zp in zp_t.tolist():
            _check_zero_point("quantize_tensor_per_channel_affine", zp, qdtype)
    ints = rounded(values, scale_t.numpy().reshape(shape), zp_t.numpy().reshape(shape), qdtype._qmin,
                   qdtype._qmax, float_zero_point=float_zero_points, nan_to=nan_integer(qdtype, True))
    int_dtype = getattr(_core, qdtype._int_dtype)
    return make(tensor(ints.astype(qdtype._int_dtype), dtype=int_dtype).reshape(tuple(input.shape)),
                qdtype, scheme, scale_t, zp_t, axis)


def _check_range(quant_min: int, quant_max: int, zero_points: list) -> None:
    if quant_min > quant_max:
        raise RuntimeError("`quant_min` should be less than or         equal to `quant_max`.")
    if any(not quant_min <= zp <= quant_max for zp in zero_points):
        raise RuntimeError("`zero_point` must be between `quant_min` and `quant_max`.")


def _fake(input: Tensor, values: Any, mask: Any, name: str) -> Tensor:
    """`values` (the fake-quantized input) with PyTorch's straight-through gradient: the
    incoming gradient where `mask` holds (the value was in range), zero elsewhere."""
    from ._creation import tensor

    out = tensor(values, dtype=input.dtype)
    if not input.requires_grad:
        return out
    passed = input.where(tensor(mask), 0.0)
    return _core._named_node(out + (passed - passed.detach()), name)


def fake_quantize_per_tensor_affine(input: Tensor, scale: Any, zero_point: Any, quant_min: int,
                                    quant_max: int) -> Tensor:
    """`input` quantized and dequantized again, as a dense tensor of its dtype:
    `(clamp(round(input / scale) + zero_point, quant_min, quant_max) - zero_point) * scale`;
    the gradient passes where the value was in range (PyTorch's straight-through estimator).

    Args:
        input: a floating-point tensor.
        scale: the quantization step (a float or a one-element tensor).
        zero_point: the integer standing for 0.0 (an int or a one-element tensor).
        quant_min: the smallest quantized integer.
        quant_max: the largest quantized integer.
    """
    import numpy as np

    tensor_qparams = isinstance(scale, Tensor)
    scale_value = np.float32(_as_scalar(scale, float))
    zp = _as_scalar(zero_point, int)
    # a 0-d integer tensor bound is an int to PyTorch's parser
    quant_min, quant_max = (int(b) if isinstance(b, Tensor) else b for b in (quant_min, quant_max))
    _check_range(quant_min, quant_max, [zp])
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"fake_quantize_tensor_cachemask_kernel_type_handling" not implemented for '
                                  f"'{_scalar_name(input.dtype)}'")
    name = ("FakeQuantizePerTensorAffineCachemaskTensorQparamsBackward0" if tensor_qparams
            else "FakeQuantizePerTensorAffineCachemaskBackward0")
    return fake_per_tensor(input, scale_value, zp, quant_min, quant_max, name)[0]


def fake_per_tensor(input: Tensor, scale: Any, zero_point: int, quant_min: int, quant_max: int, name: str) -> tuple:
    """`input` fake-quantized with one float32 `scale` and `zero_point`, with the
    straight-through gradient recorded as the node `name`, and the mask of the values in
    range (as a bool tensor)."""
    import numpy as np

    from ._creation import tensor

    x = input.detach().numpy()
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inv = np.float32(1.0) / scale
        q = zero_point + np.rint(x * (inv if x.dtype == np.float32 else np.float64(inv)))
        q = np.where(np.isnan(q), quant_min, q)  # PyTorch's kernel gives NaN the smallest value
    mask = (quant_min <= q) & (q <= quant_max)
    values = ((np.clip(q, quant_min, quant_max) - zero_point).astype(np.float32) * scale).astype(x.dtype)
    return _fake(input, values, mask, name), tensor(mask)


def _parsed_int(value: Any) -> Any:
    """An int argument as PyTorch's parser reads it: a 0-dim integer tensor is its number."""
    if isinstance(value, Tensor) and value.dim() == 0 and not (
            value.dtype.is_floating_point or value.dtype.is_complex or value.dtype == _core.bool):
        return int(value)
    return value


def fake_quantize_per_channel_affine(input: Tensor, scale: Tensor, zero_point: Tensor, axis: int, quant_min: int,
                                     quant_max: int) -> Tensor:
    """`input` quantized and dequantized with a scale and zero point per index along
    `axis`, as a dense tensor of its dtype; the gradient passes where the value was in
    range (PyTorch's straight-through estimator).

    Args:
        input: a floating-point tensor.
        scale: a float32 tensor of one scale per channel.
        zero_point: an int32 (or floating) tensor of one zero point per channel.
        axis: the channel dimension.
        quant_min: the smallest quantized integer.
        quant_max: the largest quantized integer.
    """
    import numpy as np

    from ._quantized import _channel_shape
    from ._rnn_cell_checks import size_of

    quant_min, quant_max = (_parsed_int(v) for v in (quant_min, quant_max))
    for name, t in (("scale", scale), ("zero_point", zero_point)):
        if t.requires_grad:
            raise RuntimeError(f"The function 'fake_quantize_per_channel_affine_cachemask' is not differentiable "
                               f"with respect to argument '{name}'. This input cannot have requires_grad True.")
    if zero_point.dtype not in (_core.int32, _core.float32, _core.float16):
        raise RuntimeError(f"Zero-point must be Int32, Float or Half, found {_scalar_name(zero_point.dtype)}")
    if scale.dtype not in (_core.float32, _core.bfloat16):
        raise RuntimeError(f"Scale must be Float or BFloat16, found {_scalar_name(scale.dtype)}")
    if scale.dim() != 1:
        raise RuntimeError("scale should be a 1-D tensor")
    if zero_point.dim() != 1:
        raise RuntimeError("zero point should be a 1-D tensor")
    if scale.numel() != zero_point.numel():
        raise RuntimeError("scale and zero-point need to have the same dimensions")
    ndim = input.dim()
    if scale.numel() != size_of(input, axis):
        raise RuntimeError("dimensions of scale and zero-point are not consistent with input tensor")
    if axis < 0:
        raise RuntimeError("`axis` must be between 0 and number of dimensions of input")
    float_zp = zero_point.dtype.is_floating_point
    zps = zero_point.detach().float().numpy()
    # PyTorch range-checks integer zero points only (a floating one is taken as it is)
    _check_range(quant_min, quant_max, [] if float_zp else zps.tolist())
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"fake_quantize_channel_cachemask_cpu_type_handling" not implemented for '
                                  f"'{_scalar_name(input.dtype)}'")
    shape = _channel_shape(ndim, axis)
    x = input.detach().numpy()
    sc = scale.detach().float().numpy().reshape(shape)
    zp = zps.reshape(shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inv = np.float32(1.0) / sc
        product = x * (inv if x.dtype == np.float32 else inv.astype(np.float64))
        q = np.rint(product + zp) if float_zp else zp + np.rint(product)
        q = np.where(np.isnan(q), quant_min, q)
    mask = (quant_min <= q) & (q <= quant_max)
    values = ((np.clip(q, quant_min, quant_max) - zp).astype(np.float32) * sc).astype(x.dtype)
    return _fake(input, values, mask, "FakeQuantizePerChannelAffineCachemaskBackward0")
