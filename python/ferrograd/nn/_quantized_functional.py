"""`nn.functional` on quantized tensors: the activations, pooling, padding and resizing
PyTorch's CPU build has quantized kernels for, and its NotImplementedError for the
others. `install` wraps the functions of the namespace; a call whose input is not
quantized runs the function unchanged.

Pooling and nearest resizing work on the stored integers, the quantization kept: max
pooling picks integers; average pooling averages the integers (padding counts as the
zero point) and rounds half to even; bilinear resizing interpolates the integers in
float32 and requantizes as PyTorch's `upsample_bilinear2d` kernel.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from .._layouts import is_quantized


def _np():
    import numpy as np

    return np


def _qt():
    from .. import _quantized, _quantized_ops

    return _quantized, _quantized_ops


def _float_ints(q: Any, shift: bool = False) -> Any:
    """The stored integers as a float64 tensor (less the zero point when `shift`)."""
    from .. import _core

    ints = q._fg_int.to(_core.float64)
    return ints - q._fg_zero_point if shift else ints


def _from_floats(q: Any, values: Any, shift: bool = False) -> Any:
    """A tensor with `q`'s quantization holding the integers `values` (a float tensor of
    whole numbers, or of shifted averages when `shift`), rounded half to even and clamped."""
    np = _np()
    quantized, ops = _qt()
    array = values.detach().numpy()
    if shift:
        array = np.rint(array) + q._fg_zero_point
    array = np.clip(np.rint(array), q._fg_qdtype._qmin, q._fg_qdtype._qmax)
    return quantized._like(q, ops._ints(array, q))


def _per_tensor(q: Any) -> None:
    _qt()[1]._require_per_tensor(q)


def _refuse(op: str) -> Callable:
    def refuse(a: dict) -> Any:
        from .._sparse_strided import no_kernel

        raise no_kernel(op, "QuantizedCPU")

    return refuse


def _in_place(a: dict, out: Any) -> Any:
    if a.get("inplace"):
        a["input"]._fg_int = out._fg_int
        return a["input"]
    return out


# ---------------------------------------------------------------------- activations

def _hardtanh(a: dict) -> Any:
    return _in_place(a, _qt()[1].clamp(a["input"], a.get("min_val", -1.0), a.get("max_val", 1.0), kernel="qclamp"))


def _hardtanh_(a: dict) -> Any:
    return _hardtanh({**a, "inplace": True})


def _relu6(a: dict) -> Any:
    return _in_place(a, _qt()[1].clamp(a["input"], 0.0, 6.0, kernel="qclamp"))


def _leaky_relu(a: dict) -> Any:
    return _in_place(a, _qt()[1].leaky_relu(a["input"], a.get("negative_slope", 0.01)))


def _hardsigmoid(a: dict) -> Any:
    return _qt()[1].hardsigmoid(a["input"])


def _gelu(a: dict) -> Any:
    return _qt()[1].gelu(a["input"], a.get("approximate", "none"))


def _threshold(a: dict) -> Any:
    if a.get("inplace"):
        return _refuse("threshold.out")(a)
    np = _np()
    q = a["input"]
    threshold, value = np.float32(a["threshold"]), np.float32(a["value"])
    return _qt()[1].requantized(q, "threshold", lambda x: np.where(x > threshold, x, value), q._fg_scale,
                                q._fg_zero_point)


# ---------------------------------------------------------------------- pooling

def _max_pool(dense: str, indices_op: str) -> Callable:
    def pool(a: dict) -> Any:
        q = a["input"]
        if a.get("return_indices"):
            return _refuse(indices_op)(a)
        _per_tensor(q)
        _qt()[1].require_bytes(q, "max_pool3d" if dense.endswith("3d") else "max_pool2d")
        args = {k: v for k, v in a.items() if k not in ("input", "return_indices")}
        return _from_floats(q, _DENSE[dense](_float_ints(q), **args))

    return pool


def _avg_pool(dense: str) -> Callable:
    # PyTorch's 1-d pools run its 2-d kernels, the 3-d adaptive pool its mean
    kernel = {"adaptive_avg_pool3d": "quantized_mean_kernel_impl_cpu"}.get(
        dense, dense.replace("1d", "2d") + "_quantized_cpu")

    def pool(a: dict) -> Any:
        q = a["input"]
        if dense == "avg_pool3d" and q.dim() == 4:  # PyTorch's kernel takes batched input only
            raise RuntimeError("required rank 5 tensor to use channels_last_3d format")
        _per_tensor(q)
        _qt()[1].require_bytes(q, kernel)
        args = {k: v for k, v in a.items() if k != "input"}
        if dense.startswith("adaptive"):  # the stored integers' mean, rounded
            return _from_floats(q, _DENSE[dense](_float_ints(q), **args))
        # padding counts as the zero point: the average of `int - zero_point`, rounded
        # with the zero point added back
        averages = _DENSE[dense](_float_ints(q, True), **args)
        return _from_floats(q, averages + q._fg_zero_point)

    return pool


def _rearranged(name: str) -> Callable:
    def rearrange(a: dict) -> Any:
        q = a["input"]
        _per_tensor(q)
        args = {k: v for k, v in a.items() if k != "input"}
        return _from_floats(q, _DENSE[name](_float_ints(q), **args))

    return rearrange


def _pad(a: dict) -> Any:

    q = a["input"]
    if q._fg_axis is not None:
        raise RuntimeError("Only per-tensor padding is supported.")
    _qt()[1].require_bytes(q, "Copy")
    mode = a.get("mode", "constant")
    value = a.get("value")
    if mode == "constant":
        fill = q._fg_zero_point if value is None else _qt()[1]._quantize_scalar(q, float(value))
        return _from_floats(q, _DENSE["pad"](_float_ints(q), a["pad"], "constant", float(fill)))
    if mode == "replicate":
        return _refuse(f"replication_pad{len(a['pad']) // 2}d.out")(a)
    if mode == "circular":  # PyTorch's result tensor gets no quantizer
        from .._quantized import unknown_quantizer

        raise unknown_quantizer("qscheme")
    return _from_floats(q, _DENSE["pad"](_float_ints(q), a["pad"], mode, value))


# ---------------------------------------------------------------------- resizing

def _interpolate(a: dict) -> Any:

    q = a["input"]
    _per_tensor(q)
    mode = a.get("mode", "nearest")
    spatial = q.dim() - 2
    if mode == "bilinear" and spatial == 2:
        from .._memory_format import channels_last

        # a channels-last input (one channel is both layouts) takes PyTorch's NHWC kernel
        _qt()[1].require_bytes(q, "upsample_bilinear2d_nhwc" if q.is_contiguous(channels_last) else
                               "upsample_bilinear2d")
    elif mode == "nearest" and spatial in (2, 3):
        _qt()[1].require_bytes(q, f"upsample_nearest{spatial}d")
    if mode in ("nearest", "nearest-exact") and spatial in (2, 3):
        return _from_floats(q, _DENSE["interpolate"](_float_ints(q), **{k: v for k, v in a.items()
                                                                            if k != "input"}))
    if mode == "bilinear" and spatial == 2:
        return _bilinear(q, a)
    kind = {"nearest": "nearest", "nearest-exact": "_nearest_exact", "linear": "linear", "bilinear": "bilinear",
            "bicubic": "bicubic", "trilinear": "trilinear", "area": "adaptive_avg_pool"}.get(mode, mode)
    if kind == "adaptive_avg_pool":
        return _avg_pool(f"adaptive_avg_pool{spatial}d")({"input": q, "output_size": _size(q, a)})
    return _refuse(f"upsample_{kind}{spatial}d.out")(a)


def _size(q: Any, a: dict) -> list:
    import math

    if a.get("size") is not None:
        size = a["size"]
        return list(size) if isinstance(size, (list, tuple)) else [size] * (q.dim() - 2)
    factors = a["scale_factor"]
    factors = list(factors) if isinstance(factors, (list, tuple)) else [factors] * (q.dim() - 2)
    return [math.floor(n * f) for n, f in zip(q.shape[2:], factors)]


def _bilinear(q: Any, a: dict) -> Any:
    """PyTorch's quantized bilinear kernel: the four neighbouring integers weighted in
    float32, less the zero point, scaled, and requantized as `zero_point + value / scale`."""
    np = _np()
    align = bool(a.get("align_corners"))
    out_h, out_w = _size(q, a)
    factors = a.get("scale_factor")
    factors = (list(factors) if isinstance(factors, (list, tuple)) else [factors] * 2) if factors is not None else None
    ints = q._fg_int.numpy().astype(np.float32)
    in_h, in_w = ints.shape[2:]

    def axis(in_size: int, out_size: int, factor: Any) -> tuple:
        if align:
            ratio = np.float32((in_size - 1) / (out_size - 1)) if out_size > 1 else np.float32(0)
            source = ratio * np.arange(out_size, dtype=np.float32)
        else:
            use_factor = factor is not None and not a.get("recompute_scale_factor")
            ratio = np.float32(1.0 / factor) if use_factor else np.float32(in_size / out_size)
            source = np.maximum(ratio * (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) - np.float32(0.5),
                                np.float32(0))
        low = source.astype(np.int64)
        step = (low < in_size - 1).astype(np.int64)
        upper = (source - low.astype(np.float32)).astype(np.float32)
        return low, low + step, np.float32(1) - upper, upper

    h0, h1, h0w, h1w = axis(in_h, out_h, factors[0] if factors else None)
    w0, w1, w0w, w1w = axis(in_w, out_w, factors[1] if factors else None)
    hw0, hw1 = h0w[:, None], h1w[:, None]
    top = w0w * ints[:, :, h0][:, :, :, w0] + w1w * ints[:, :, h0][:, :, :, w1]
    bottom = w0w * ints[:, :, h1][:, :, :, w0] + w1w * ints[:, :, h1][:, :, :, w1]
    scale = np.float32(q._fg_scale)
    values = ((hw0 * top + hw1 * bottom) - np.float32(q._fg_zero_point)) * scale
    result = np.rint(np.float32(q._fg_zero_point) + values / scale)
    quantized, ops = _qt()
    qdtype = q._fg_qdtype
    return quantized._like(q, ops._ints(np.clip(result, qdtype._qmin, qdtype._qmax), q))


_DENSE: dict[str, Callable] = {}  # the functions `install` wrapped, which pooling runs on the integers
_QUANTIZED: dict[str, Callable] = {
    "relu6": _relu6, "hardtanh": _hardtanh, "hardtanh_": _hardtanh_, "leaky_relu": _leaky_relu,
    "hardsigmoid": _hardsigmoid, "gelu": _gelu, "threshold": _threshold,
    "elu": _refuse("elu.out"), "hardswish": _refuse("hardswish"), "silu": _refuse("silu.out"),
    "mish": _refuse("mish.out"), "softmax": _refuse("_softmax.out"), "log_softmax": _refuse("_log_softmax.out"),
    "layer_norm": _refuse("native_batch_norm"), "batch_norm": _refuse("native_batch_norm"),
    "max_pool1d": _max_pool("max_pool1d", "max_pool1d_with_indices"),
    "max_pool2d": _max_pool("max_pool2d", "max_pool2d_with_indices.out"),
    "max_pool3d": _max_pool("max_pool3d", "max_pool3d_with_indices.out"),
    "avg_pool1d": _avg_pool("avg_pool1d"), "avg_pool2d": _avg_pool("avg_pool2d"), "avg_pool3d": _avg_pool("avg_pool3d"),
    "adaptive_avg_pool1d": _avg_pool("adaptive_avg_pool1d"), "adaptive_avg_pool2d": _avg_pool("adaptive_avg_pool2d"),
    "adaptive_avg_pool3d": _avg_pool("adaptive_avg_pool3d"),
    "adaptive_max_pool1d": _refuse("adaptive_max_pool2d.out"), "adaptive_max_pool2d": _refuse("adaptive_max_pool2d.out"),
    "adaptive_max_pool3d": _refuse("adaptive_max_pool3d.out"),
    "pad": _pad, "interpolate": _interpolate, "pixel_shuffle": _rearranged("pixel_shuffle"),
    "pixel_unshuffle": _rearranged("pixel_unshuffle"), "channel_shuffle": _rearranged("channel_shuffle"),
}


def quantized_first(fn: Callable, impl: Callable) -> Callable:
    """`fn`, running `impl` (given the bound arguments, defaults included) when the first
    argument is a quantized tensor."""
    sig = inspect.signature(fn)
    first = next(iter(sig.parameters))

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        input = args[0] if args else kwargs.get(first)
        if not is_quantized(input):
            return fn(*args, **kwargs)
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        arguments["input"] = arguments.pop(first)
        return impl(arguments)

    return run


def install(namespace: dict) -> None:
    """Wraps the functions of `namespace` that have a quantized form, in place."""
    for name, impl in _QUANTIZED.items():
        if name in namespace:
            _DENSE[name] = namespace[name]
            namespace[name] = quantized_first(namespace[name], impl)
