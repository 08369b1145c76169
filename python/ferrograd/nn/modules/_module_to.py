"""`Module.to`'s arguments, read as PyTorch reads them: a device, a dtype, a tensor whose
dtype to take, `non_blocking` and the keyword `memory_format`."""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

from ..._core import Tensor
from ..._core import dtype as _dtype
from ..._device import device as _device

_COMPLEX_WARNING = (
    "Complex modules are a new feature under active development whose design may change, and some "
    "modules might not work as expected when using complex tensors as parameters or buffers."
)

_NO_COPY = ".to() does not accept copy argument"


class ToTarget(NamedTuple):
    device: Any
    dtype: _dtype | None
    non_blocking: bool
    memory_format: Any


def _is_device(a: Any) -> bool:
    return isinstance(a, (str, _device))


def _positional(args: tuple) -> tuple[Any, _dtype | None, bool] | None:
    """(device, dtype, non_blocking) from the positional forms, or None if none fits."""
    rest = list(args)
    device = dtype = None
    if rest and isinstance(rest[0], Tensor):
        dtype = rest.pop(0).dtype
    elif rest and isinstance(rest[0], _dtype):
        dtype = rest.pop(0)
    elif rest and (rest[0] is None or _is_device(rest[0])):
        device = rest.pop(0)
        if rest and (rest[0] is None or isinstance(rest[0], _dtype)):
            dtype = rest.pop(0)
    if len(rest) == 2 and all(isinstance(a, bool) for a in rest):
        raise RuntimeError(_NO_COPY)  # (non_blocking, copy)
    if not rest:
        return device, dtype, False
    if len(rest) == 1 and isinstance(rest[0], bool):
        return device, dtype, rest[0]
    return None


def parse_to(args: tuple, kwargs: dict) -> ToTarget:
    """Reads `Module.to(*args, **kwargs)`; a bad combination raises Tensor.to's TypeError."""
    kwargs = dict(kwargs)
    if "copy" in kwargs:
        raise RuntimeError(_NO_COPY)
    memory_format = kwargs.pop("memory_format", None)
    parsed = _positional(args)
    if parsed is None or set(kwargs) - {"device", "dtype", "non_blocking"}:
        from ..._creation import empty

        empty(0).to(*args, **kwargs)  # raises the argument error PyTorch prints
        raise TypeError(f"to() received an invalid combination of arguments: {args!r}, {kwargs!r}")
    device, dtype, non_blocking = parsed
    device = kwargs.get("device", device)
    dtype = kwargs.get("dtype", dtype)
    if dtype is not None:
        if not (dtype.is_floating_point or dtype.is_complex):
            raise TypeError(f"nn.Module.to only accepts floating point or complex dtypes, but got desired dtype={dtype}")
        if dtype.is_complex:
            warnings.warn(_COMPLEX_WARNING, stacklevel=3)
    return ToTarget(device, dtype, bool(kwargs.get("non_blocking", non_blocking)), memory_format)


def convert(t: Tensor, target: ToTarget) -> Tensor:
    """One parameter or buffer moved to the target: only floating and complex tensors change
    dtype."""
    dtype = target.dtype if (t.dtype.is_floating_point or t.dtype.is_complex) else None
    if target.device is not None:
        t = t.to(target.device)
    if dtype is not None and t.dtype is not dtype:
        t = t.to(dtype)
    if target.memory_format is not None and t.dim() in (4, 5):
        t = t.to(memory_format=target.memory_format)
    return t
