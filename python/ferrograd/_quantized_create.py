"""Quantized tensors made without quantizing given values, and the quantized-only
functions of the top level: `quantize_per_tensor_dynamic` (parameters chosen from the
input's range, as PyTorch's `ChooseQuantizationParams`), `_empty_affine_quantized`,
`_empty_per_channel_affine_quantized`, `empty_quantized` (PyTorch leaves their values
uninitialized; here the stored integers are zeros), `quantized_max_pool1d` and
`quantized_max_pool2d`."""

from __future__ import annotations

import math
from typing import Any

from . import _core
from ._core import Tensor
from ._quantized_dtypes import QuantizedDtype

__all__ = ["empty_quantized", "quantize_per_tensor_dynamic", "quantized_max_pool1d", "quantized_max_pool2d",
           "quantized_max_pool3d"]

_SMALL_SCALE = 6.1e-05  # FBGEMM's smallest chosen scale (a float32)
_NEEDS_QUANTIZED = "Creation of quantized tensor requires quantized dtype like torch.quint8"


def _shape(size: Any) -> tuple:
    return (size,) if isinstance(size, int) else tuple(size)


def _zeros(shape: tuple, qdtype: QuantizedDtype) -> Tensor:
    from ._creation import zeros

    return zeros(shape, dtype=getattr(_core, qdtype._int_dtype))


def refuse_quantized_dtype(op: str, dtype: Any, size: tuple = ()) -> Any:
    """PyTorch's outcome of the dense factory `op` given a quantized dtype: `empty` (and
    `tensor` of no data) makes a quantized tensor without quantization parameters, whose
    quantizer methods fail; the others raise its errors."""
    from ._sparse_strided import no_kernel

    if op == "zeros":
        raise no_kernel("zero_", "QuantizedCPU")
    if op == "arange":
        raise no_kernel("arange.start_out", "QuantizedCPU")
    if op == "tensor":
        raise RuntimeError("store_scalar: invalid type")
    if op in ("ones", "full"):
        if dtype._per_byte > 1:
            raise NotImplementedError(f"\"Copy\" not implemented for '{dtype._scalar_type}'")
        from ._quantized import unknown_quantizer

        raise unknown_quantizer("qscheme")
    from ._quantized import make

    return make(_zeros(_shape(size), dtype), dtype, None, None, None)


def _empty_affine_quantized(size: Any, *, scale: float = 1.0, zero_point: int = 0, dtype: Any = None,
                            **options: Any) -> Any:
    """A per-tensor quantized tensor of `size` with the given scale and zero point."""
    if not isinstance(dtype, QuantizedDtype):
        raise RuntimeError(_NEEDS_QUANTIZED)  # noqa: TRY004  (PyTorch's type)
    from ._quantized import make
    from ._quantized_dtypes import per_tensor_affine

    return make(_zeros(_shape(size), dtype), dtype, per_tensor_affine, float(scale), int(zero_point))


def _empty_per_channel_affine_quantized(size: Any, *, scales: Tensor, zero_points: Tensor, axis: int,
                                        dtype: Any = None, **options: Any) -> Any:
    """A per-channel quantized tensor of `size` with the given scales, zero points and axis."""
    if not isinstance(dtype, QuantizedDtype):
        raise RuntimeError(_NEEDS_QUANTIZED)  # noqa: TRY004  (PyTorch's type)
    from ._quantized import make
    from ._quantized_dtypes import per_channel_affine

    return make(_zeros(_shape(size), dtype), dtype, per_channel_affine, scales.to(_core.float64),
                zero_points.to(_core.int64), axis)


def empty_quantized(size: Any, qtensor: Tensor, **options: Any) -> Any:
    """A quantized tensor of `size` with `qtensor`'s dtype and quantization.

    Args:
        size: the shape.
        qtensor: the quantized tensor whose quantization the result takes.
        options: PyTorch's `memory_format`, `dtype`, `layout`, `device`, `pin_memory`
            and `requires_grad` keywords (accepted, not used).
    """
    if not getattr(qtensor, "is_quantized", False):
        from ._sparse_strided import no_kernel

        raise no_kernel("empty_quantized", "CPU")
    from ._quantized import make

    return make(_zeros(_shape(size), qtensor.dtype), qtensor.dtype, qtensor._fg_qscheme, qtensor._fg_scale,
                qtensor._fg_zero_point, qtensor._fg_axis)


def _choose_qparams(low: float, high: float, qmin: int, qmax: int, *, symmetric: bool = False) -> tuple[float, int]:
    """FBGEMM's `ChooseQuantizationParams`: the scale and zero point that map
    `[min(low, 0), max(high, 0)]` onto `[qmin, qmax]` (with `symmetric`, a range
    symmetric about 0 and the zero point in the middle)."""
    import numpy as np

    if low > high:
        raise RuntimeError("In ChooseQuantizationParams, min should be less than or equal to max")
    low, high = float(np.float32(min(low, 0.0))), float(np.float32(max(high, 0.0)))
    if symmetric and low < 0 < high:
        half = (qmax - qmin) // 2
        widest = max(abs(low / -(half + 1)), abs(high / half))
        low, high = float(np.float32(widest * -(half + 1))), float(np.float32(widest * half))
    scale = (high - low) / (qmax - qmin)
    if np.float32(scale) == 0 or np.isinf(np.float32(1.0) / np.float32(scale)):
        scale = 0.1
    if scale < _SMALL_SCALE:
        original, scale = scale, float(np.float32(_SMALL_SCALE))
        if low == 0:
            high = scale * (qmax - qmin)
        elif high == 0:
            low = -scale * (qmax - qmin)
        else:
            low, high = low * (scale / original), high * (scale / original)
    from_min, from_max = qmin - low / scale, qmax - high / scale
    min_error = abs(qmin) - abs(low / scale)
    max_error = abs(qmax) - abs(high / scale)
    initial = from_min if min_error < max_error else from_max
    if symmetric and low < 0 < high:
        initial = (qmin + qmax) / 2
    zero_point = qmin if initial < qmin else qmax if initial > qmax else int(np.rint(initial))
    return scale, zero_point


def quantize_per_tensor_dynamic(input: Tensor, dtype: Any, reduce_range: bool) -> Any:
    """`input` quantized per tensor with a scale and zero point chosen to cover its range
    (and 0), as PyTorch's dynamic quantization.

    Args:
        input: a float32 tensor.
        dtype: `ferrograd.quint8` or `ferrograd.qint8`.
        reduce_range: use one bit fewer (values 0..127, or -64..63).
    """
    from ._quantize import quantize_per_tensor

    if getattr(input, "is_quantized", False):
        from ._sparse_strided import no_kernel

        raise no_kernel("quantize_per_tensor_dynamic", "QuantizedCPU")
    if dtype not in _RANGES:
        name = dtype._scalar_type if isinstance(dtype, QuantizedDtype) else str(dtype)
        raise RuntimeError(f"dtype {name}not supported")
    qmin, qmax = _RANGES[dtype][bool(reduce_range)]
    if input.numel() == 0:
        raise RuntimeError("min(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                           "reduction dim with the 'dim' argument.")
    values = input.detach()
    low, high = values.min().item(), values.max().item()
    if math.isnan(low) or math.isnan(high):
        raise RuntimeError("In ChooseQuantizationParams, min should be less than or equal to max")
    scale, zero_point = _choose_qparams(low, high, qmin, qmax)
    return quantize_per_tensor(input, scale, zero_point, dtype)


def _quantized_max_pool(dims: int):
    def pool(input: Tensor, kernel_size: Any, stride: Any = (), padding: Any = 0, dilation: Any = 1,
             ceil_mode: bool = False) -> Any:
        if not getattr(input, "is_quantized", False):
            from ._sparse_strided import no_kernel

            raise no_kernel(f"quantized_max_pool{dims}d", "CPU")
        from .nn import functional as F

        pooled = getattr(F, f"max_pool{dims}d")
        return pooled(input, list(kernel_size), list(stride) or None, padding, dilation, ceil_mode)

    pool.__name__ = pool.__qualname__ = f"quantized_max_pool{dims}d"
    pool.__doc__ = (f"{dims}-D max pooling of a quantized tensor (`nn.functional.max_pool{dims}d`; `stride` empty:"
                    " the kernel size).\n\n    Args:\n        input: the quantized tensor.\n        kernel_size: the "
                    "window.\n        stride: the window's step.\n        padding: the implicit padding.\n        "
                    "dilation: the step between window elements.\n        ceil_mode: round the output size up.\n")
    return pool


quantized_max_pool1d = _quantized_max_pool(1)
quantized_max_pool2d = _quantized_max_pool(2)
quantized_max_pool3d = _quantized_max_pool(3)

_QUANTIZED_OF = {"uint8": "quint8", "int8": "qint8", "int32": "qint32"}


def _quantized_of(ints: Tensor) -> QuantizedDtype:
    from . import _quantized_dtypes

    name = _QUANTIZED_OF.get(repr(ints.dtype).split(".")[-1])
    if name is None:
        raise RuntimeError(_NEEDS_QUANTIZED)
    return getattr(_quantized_dtypes, name)


def _make_per_tensor_quantized_tensor(input: Tensor, scale: float, zero_point: int) -> Any:
    """A per-tensor quantized tensor over the integers `input` (uint8: quint8, int8:
    qint8, int32: qint32) with the given scale and zero point."""
    from ._quantized import make
    from ._quantized_dtypes import per_tensor_affine

    return make(input.detach().clone(), _quantized_of(input), per_tensor_affine, float(scale), int(zero_point))


def _make_per_channel_quantized_tensor(input: Tensor, scale: Tensor, zero_point: Tensor, axis: int) -> Any:
    """A per-channel quantized tensor over the integers `input` with a scale and zero
    point for each index along `axis`."""
    from ._quantized import make
    from ._quantized_dtypes import per_channel_affine

    return make(input.detach().clone(), _quantized_of(input), per_channel_affine, scale.to(_core.float64),
                zero_point.to(_core.int64), axis)


def _ranges() -> dict:
    from ._quantized_dtypes import qint8, quint8

    return {quint8: ((0, 255), (0, 127)), qint8: ((-128, 127), (-64, 63))}


_RANGES = _ranges()
