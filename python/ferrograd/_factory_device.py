"""The `device=` of factories that make their result on the CPU whatever they are given:
refused as PyTorch refuses it before making anything (a wrong type, a string naming no
device, a negative index), and a device this build lacks as a CPU-only PyTorch does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._argcheck import type_name
from ._device import device, resolve_device
from ._device_method_args import device_argument


def refuse_bad_device(torch_name: str, value: Any, overloaded: Callable[[], Exception | None] | None = None) -> None:
    """Raises PyTorch's error for the `device` argument `value` of `torch_name` (the name
    its parser's messages give); `overloaded()`, for a function of several overloads, is
    the parser's invalid-combination TypeError for a value of the wrong type."""
    if value is None or isinstance(value, device):
        if value is not None:
            resolve_device(value)
        return
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        error = overloaded() if overloaded is not None else None
        raise error or TypeError(f"{torch_name}(): argument 'device' must be torch.device, not {type_name(value)}")
    parsed = device_argument(torch_name, value, None)
    resolve_device(parsed)
