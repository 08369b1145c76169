"""The arguments of `Tensor.cuda`/`xpu`/`ipu`/`mtia` read as PyTorch's parser reads
`(device=None, non_blocking=False, *, memory_format=None)`: types, arity and the device
(a string is parsed, an index must fit int64 and not be negative) are checked before the
method says its backend is missing, so a bad argument fails with PyTorch's exception."""

from __future__ import annotations

from typing import Any

from ._argcheck import need_int64, type_name
from ._device import NO_ACCELERATOR, device
from ._numpy import np

_SIGNATURE = ("(torch.device device = None, bool non_blocking = False, *, "
              "torch.memory_format memory_format = None)")
# how each method names its device type when handed another one
_LABELS = {"cuda": "cuda", "xpu": "xpu", "ipu": "ipu", "mtia": "MTIA"}


def _refuse(op: str, name: str, position: int | None, kind: str, value: Any) -> TypeError:
    where = f" (position {position})" if position is not None else ""
    return TypeError(f"{op}(): argument '{name}'{where} must be {kind}, not {type_name(value)}")


def _arity_error(op: str, args: tuple, kwargs: dict) -> TypeError | None:
    if len(args) + len(kwargs) > 3:
        got = ", ".join([type_name(a) for a in args] + [f"{k}={type_name(v)}" for k, v in kwargs.items()])
        return TypeError(f"{op}() received an invalid combination of arguments - got ({got}), "
                         f"but expected {_SIGNATURE}")
    for key in kwargs:
        if key not in ("device", "non_blocking", "memory_format"):
            return TypeError(f"{op}() got an unexpected keyword argument '{key}'")
    if len(args) > 2:
        return TypeError(f"{op}() takes from 0 to 2 positional arguments but {len(args)} were given")
    return None


def device_argument(op: str, value: Any, position: int | None) -> Any:
    """A `Device?` argument as PyTorch's parser reads it: None, a device, a parsed string
    or a non-negative int64 index (returned as an int); anything else is its TypeError."""
    if value is None or isinstance(value, device):
        return value
    if isinstance(value, str):
        return device(value)  # PyTorch's RuntimeError for a string that names no device
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        need_int64(int(value))
        if value < 0:
            raise RuntimeError("Device index must not be negative")
        return int(value)
    raise _refuse(op, "device", position, "torch.device", value)


def check_device_method(op: str, args: tuple, kwargs: dict) -> None:
    """Raises what PyTorch raises for these arguments before the backend check: a
    TypeError of the parser, a device string's or index's error, or, for a device that
    is not of this method's type, `Invalid device` (an index: no accelerator)."""
    error = _arity_error(op, args, kwargs)
    if error is not None:
        raise error
    given = dict(zip(("device", "non_blocking"), args))
    positions = {name: i + 1 for i, name in enumerate(given)}
    given.update(kwargs)
    dev = device_argument(op, given.get("device"), positions.get("device"))
    blocking = given.get("non_blocking", False)
    if not isinstance(blocking, bool):
        raise _refuse(op, "non_blocking", positions.get("non_blocking"), "bool", blocking)
    memory_format = given.get("memory_format")
    if memory_format is not None and type_name(memory_format) != "ferrograd.memory_format":
        raise _refuse(op, "memory_format", None, "torch.memory_format", memory_format)
    if isinstance(dev, int):
        raise RuntimeError(NO_ACCELERATOR)  # noqa: TRY004 (PyTorch's type)
    if dev is not None and dev.type != op:
        raise RuntimeError(f"Invalid device, must be {_LABELS[op]} device")
