"""`Tensor.to`'s arguments read as PyTorch's parser reads them: three signatures, tried
in order, (device, dtype, non_blocking, copy), (dtype, non_blocking, copy) and
(tensor, non_blocking, copy); a call that fits none is its TypeError listing them.

As in PyTorch, a Python type stands for a dtype (`to(float)` is float64) and a Python
bool, float or complex for a tensor whose dtype is taken (`to(2.0)` is float64), while an
int is a device index."""

from __future__ import annotations

from typing import Any

from . import _core
from ._argcheck import need_int64
from ._core import Tensor
from ._device import device as _device
from ._python_dtypes import PYTHON_TYPE_DTYPES

_SIGNATURES = (
    ("device", "dtype", "non_blocking", "copy"),
    ("dtype", "non_blocking", "copy"),
    ("tensor", "non_blocking", "copy"),
)

_SCALAR_DTYPES = {bool: _core.bool, float: _core.float64, complex: _core.complex128}


def _as_device(value: Any) -> tuple[bool, Any]:
    if value is None or isinstance(value, (str, _device)):
        return True, value
    if isinstance(value, bytes):
        return True, value.decode()
    if isinstance(value, int) and not isinstance(value, bool):
        need_int64(value)
        if value < 0:
            raise RuntimeError("Device index must not be negative")
        return True, value
    return False, None


def _as_dtype(value: Any, optional: bool) -> tuple[bool, Any]:
    if isinstance(value, _core.dtype) or (optional and value is None):
        return True, value
    if isinstance(value, type) and value in PYTHON_TYPE_DTYPES:
        return True, PYTHON_TYPE_DTYPES[value]
    return False, None


def _as_tensor_dtype(value: Any) -> tuple[bool, Any]:
    if isinstance(value, Tensor):
        return True, value.dtype
    if type(value) in _SCALAR_DTYPES:
        return True, _SCALAR_DTYPES[type(value)]
    if isinstance(value, int):
        return True, _core.int64
    return False, None


def _fit(names: tuple, args: tuple, kwargs: dict) -> dict | None:
    """The arguments by name if they fit this signature, else None."""
    if len(args) > len(names):
        return None
    given = dict(zip(names, args))
    for k, v in kwargs.items():
        if k not in names or k in given:
            return None
        given[k] = v
    if names[0] != "device" and names[0] not in given:
        return None
    out: dict = {}
    for name, value in given.items():
        if name == "device":
            ok, out[name] = _as_device(value)
        elif name == "dtype":
            ok, out[name] = _as_dtype(value, names[0] == "device")
        elif name == "tensor":
            ok, out["dtype"] = _as_tensor_dtype(value)
        else:
            ok, out[name] = type(value) is bool, value
        if not ok:
            return None
    return out


def _describe(value: Any) -> str:
    if isinstance(value, _core.dtype):
        return "ferrograd.dtype"
    if isinstance(value, _device):
        return "ferrograd.device"
    return type(value).__name__


def _no_fit(args: tuple, kwargs: dict) -> TypeError:
    got = [_describe(a) for a in args] + [f"{k}={_describe(v)}" for k, v in kwargs.items()]
    shown = ", ".join(got) + (", " if kwargs and not args else "")
    tail = ", *, ferrograd.memory_format memory_format = None)"
    return TypeError(
        f"to() received an invalid combination of arguments - got ({shown}), but expected one of:\n"
        " * (ferrograd.device device = None, ferrograd.dtype dtype = None, bool non_blocking = False, "
        f"bool copy = False{tail}\n"
        f" * (ferrograd.dtype dtype, bool non_blocking = False, bool copy = False{tail}\n"
        f" * (Tensor tensor, bool non_blocking = False, bool copy = False{tail}\n"
    )


def parse_to_args(args: tuple, kwargs: dict) -> tuple[Any, Any, bool]:
    """(device, dtype, copy) of a `Tensor.to` call (`memory_format` taken out already)."""
    if len(args) > 4:
        raise TypeError(f"to() takes from 0 to 4 positional arguments but {len(args)} were given")
    for names in _SIGNATURES:
        fitted = _fit(names, args, kwargs)
        if fitted is not None:
            return fitted.get("device"), fitted.get("dtype"), fitted.get("copy", False)
    raise _no_fit(args, kwargs)
