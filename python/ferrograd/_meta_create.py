"""Factories on the meta device: `meta_aware` makes a factory give a meta tensor when
asked for `device='meta'` (or when the meta device is the default one).

A factory asked for a small tensor runs on the CPU (its checks, dtype and strides are
the real ones) and its result becomes a meta tensor; one asked for a large tensor runs
with the size's dimensions set to 0, for the dtype and the checks of the other
arguments, and the meta tensor gets the size asked for. `_meta` loads only then.
"""

from __future__ import annotations

import functools
import math
import threading

from . import _device
from ._device import default_type, is_meta

_state = threading.local()
_SIZED = frozenset({"empty", "zeros", "ones", "rand", "randn"})


# factories whose `requires_grad` PyTorch's parser takes as a bool only (not None)
_PLAIN_BOOL_REQUIRES_GRAD = frozenset({"tensor", "range", "sparse_coo_tensor"})


def meta_aware(fn):
    """`fn` (a factory with a `device` keyword), giving meta tensors on the meta device.
    Being every factory's entry, it also refuses a `requires_grad` that is not a bool (nor
    None, the default), as PyTorch's argument parser does (before anything is made)."""
    name = fn.__name__

    @functools.wraps(fn)
    def call(*args, **kwargs):
        if "requires_grad" in kwargs and type(kwargs["requires_grad"]) is not bool:
            if kwargs["requires_grad"] is None and name not in _PLAIN_BOOL_REQUIRES_GRAD:  # None: the default
                kwargs["requires_grad"] = False
                return call(*args, **kwargs)
            kind = type(kwargs["requires_grad"]).__name__
            raise TypeError(f"{name}(): argument 'requires_grad' must be bool, not {kind}")
        device = kwargs.get("device")
        if device is None:
            if (not _device.meta_default_seen or default_type() == "cpu" or getattr(_state, "creating", False)
                    or _inside_op()):
                return fn(*args, **kwargs)
        elif device == "cpu" or not is_meta(device):
            return fn(*args, **kwargs)
        return _create(fn, args, kwargs)

    return call


def _inside_op() -> bool:
    from ._subclass_dispatch import _disabled

    return _disabled()


def _create(fn, args, kwargs):
    from ._meta import SMALL, new_meta, to_meta

    kwargs = dict(kwargs)
    kwargs.pop("device", None)
    requires_grad = kwargs.pop("requires_grad", False)
    name = fn.__name__
    shape = _requested_shape(name, args, kwargs)
    _state.creating = True
    try:
        if shape is None or math.prod(shape) <= SMALL:
            made = fn(*args, **kwargs)
            stride = _given_stride(name, args, kwargs)  # kept even where not dense
            out = to_meta(made) if stride is None else new_meta(made.shape, made.dtype, stride)
        else:
            if any(s < 0 for s in shape):
                raise RuntimeError(f"Trying to create tensor with negative dimension {min(shape)}: {list(shape)}")
            small = fn(*_without_size(name, args, kwargs, len(shape)), **kwargs)
            stride = _given_stride(name, args, kwargs)
            out = new_meta(shape, small.dtype, stride)
    finally:
        _state.creating = False
    if requires_grad:
        if not (out.dtype.is_floating_point or out.dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        out.requires_grad_(True)
    return out


def _requested_shape(name: str, args, kwargs) -> tuple[int, ...] | None:
    from ._core import Tensor
    from ._creation import _sizes

    if name in _SIZED:
        if "size" in kwargs:
            return _sizes((kwargs["size"],))
        return _sizes(args) if args else None
    if name in ("full", "empty_strided"):
        size = args[0] if args else kwargs.get("size")
    elif name == "randint":
        size = kwargs.get("size", args[-1] if args and isinstance(args[-1], (tuple, list)) else None)
    elif name in ("linspace", "logspace"):
        size = args[2] if len(args) > 2 else kwargs.get("steps")
    elif name == "arange":
        return _arange_length(args, kwargs)
    elif name.endswith("_like"):
        source = args[0] if args else kwargs.get("input")
        return tuple(source.shape) if isinstance(source, Tensor) else None
    else:
        return None
    if isinstance(size, int):
        return (size,)
    return tuple(size) if isinstance(size, (tuple, list)) else None


def _arange_bounds(args, kwargs) -> tuple:
    bounds = dict(zip(("start", "end", "step") if len(args) > 1 else ("end",), args))
    bounds.update((k, kwargs[k]) for k in ("start", "end", "step") if k in kwargs)
    return bounds.get("start", 0), bounds.get("end"), bounds.get("step", 1)


def _arange_length(args, kwargs) -> tuple[int] | None:
    """`arange`'s length, as PyTorch computes it; None where the bounds are not plain
    numbers (the CPU call checks them)."""
    start, end, step = _arange_bounds(args, kwargs)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, end, step)) or not step:
        return None
    if all(isinstance(v, int) for v in (start, end, step)):
        return (max(-((start - end) // step), 0),)  # exact for integers past 2**53
    return (max(math.ceil((end - start) / step), 0),)


def _without_size(name: str, args, kwargs, ndim: int) -> tuple:
    """The arguments with the size's dimensions set to 0 (`kwargs` is changed in place)."""
    from . import _core

    if name == "arange":
        start, _, step = _arange_bounds(args, kwargs)
        for k in ("start", "end", "step"):
            kwargs.pop(k, None)
        return (start, start, step)
    if name in ("linspace", "logspace"):
        kwargs.pop("steps", None)
        return (*args[:2], 0, *args[3:])

    empty = (0,) * ndim
    if name.endswith("_like"):
        source = args[0] if args else kwargs.pop("input")
        return (_core._full(*empty, fill_value=0, dtype=source.dtype), *args[1:])
    if "size" in kwargs:
        kwargs["size"] = empty
        return args
    if name in _SIZED:
        return (empty,)
    if name == "randint":
        return (*args[:-1], empty)
    return (empty, *args[1:])


def _given_stride(name: str, args, kwargs):
    if name != "empty_strided":
        return None
    return tuple(args[1] if len(args) > 1 else kwargs["stride"])
