"""Pooling, padding and resampling kernels for float16/bfloat16 inputs.

PyTorch's CPU kernels take half precision (accumulating in float32); the native kernels
here are float32/float64 only, so a half input runs in float32 and each floating result
is rounded back to the input's dtype, keeping the kernel's node name."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

from .. import _core
from .._core import Tensor

_HALF = (_core.float16, _core.bfloat16)


def _round_back(out, dtype):
    if isinstance(out, tuple):
        return tuple(_round_back(t, dtype) for t in out)
    if not isinstance(out, Tensor) or out.dtype != _core.float32:
        return out  # indices, None
    node = out.grad_fn.name() if out.grad_fn is not None else None
    rounded = out.to(dtype)
    return _core._named_node(rounded, node) if node is not None else rounded


def via_float(kernel: Callable) -> Callable:
    """`kernel(input, *args)`, run in float32 for a half-precision input."""

    def run(input, *args):
        if not isinstance(input, Tensor) or input.dtype not in _HALF:
            return kernel(input, *args)
        return _round_back(kernel(input.float(), *args), input.dtype)

    return run


max_pool = via_float(_core._max_pool)
avg_pool = via_float(_core._avg_pool)
adaptive_pool = via_float(_core._adaptive_pool)
pad_indexed = via_float(_core._pad_indexed)
upsample = via_float(_core._upsample)
im2col = via_float(_core._im2col)
col2im = via_float(_core._col2im)
max_unpool = via_float(_core._max_unpool)


def refuse_half(input, kernel: str) -> None:
    """NotImplementedError for a kernel PyTorch has no half-precision version of."""
    if isinstance(input, Tensor) and input.dtype in _HALF:
        from .._dtype_names import scalar_name

        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(input.dtype)}'")


def upcast_activation(fn: Callable) -> Callable:
    """`fn` computing a half-precision input in float32 and rounding the result once (not
    for in-place calls, nor when a result `dtype` is asked for)."""
    sig = inspect.signature(fn)
    first = next(iter(sig.parameters))

    @functools.wraps(fn)
    def run(*args, **kwargs):
        input = args[0] if args else kwargs.get(first)
        if not isinstance(input, Tensor) or input.dtype not in _HALF:
            return fn(*args, **kwargs)
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError:
            return fn(*args, **kwargs)
        if bound.arguments.get("inplace") or bound.arguments.get("dtype") is not None:
            return fn(*args, **kwargs)
        bound.arguments[first] = input.float()
        return _round_back(fn(*bound.args, **bound.kwargs), input.dtype)

    return run


def install_activations(namespace: dict, names) -> None:
    """Wraps the named functions of `namespace` with `upcast_activation`, in place."""
    for name in names:
        namespace[name] = upcast_activation(namespace[name])
