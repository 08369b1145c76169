"""`ferrograd.cuda.amp`: PyTorch's deprecated CUDA spellings of `ferrograd.amp`. Each
warns (FutureWarning) and then behaves as the `ferrograd.amp` form for device 'cuda',
which on a build without CUDA disables itself with a warning."""

from __future__ import annotations

import functools
import warnings
from importlib.util import find_spec
from typing import Any

from .._core import float16
from ..amp.autocast_mode import autocast as _autocast
from ..amp.autocast_mode import custom_bwd as _custom_bwd
from ..amp.autocast_mode import custom_fwd as _custom_fwd
from ..amp.grad_scaler import GradScaler as _GradScaler

__all__ = ["GradScaler", "amp_definitely_not_available", "autocast", "custom_bwd", "custom_fwd"]


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"`ferrograd.cuda.amp.{old}` is deprecated. Please use `{new}` instead.",
                  FutureWarning, stacklevel=3)


class autocast(_autocast):
    """`ferrograd.amp.autocast("cuda", ...)` under its deprecated name.

    Args:
        enabled: whether autocast is on (it is disabled anyway without CUDA).
        dtype: the lower-precision dtype (float16).
        cache_enabled: accepted for PyTorch compatibility.
    """

    def __init__(self, enabled: bool = True, dtype: Any = float16, cache_enabled: bool = True) -> None:
        _deprecated("autocast(args...)", "ferrograd.amp.autocast('cuda', args...)")
        super().__init__("cuda", enabled=enabled, dtype=dtype, cache_enabled=cache_enabled)


def custom_fwd(fwd=None, *, cast_inputs=None):
    """`ferrograd.amp.custom_fwd(..., device_type='cuda')` under its deprecated name.

    Args:
        fwd: the forward method.
        cast_inputs: the dtype to run forward in inside autocast, or None.
    """
    _deprecated("custom_fwd(args...)", "ferrograd.amp.custom_fwd(args..., device_type='cuda')")
    return functools.partial(_custom_fwd, device_type="cuda")(fwd=fwd, cast_inputs=cast_inputs)


def custom_bwd(bwd):
    """`ferrograd.amp.custom_bwd(..., device_type='cuda')` under its deprecated name.

    Args:
        bwd: the backward method.
    """
    _deprecated("custom_bwd(args...)", "ferrograd.amp.custom_bwd(args..., device_type='cuda')")
    return functools.partial(_custom_bwd, device_type="cuda")(bwd)


class GradScaler(_GradScaler):
    """`ferrograd.amp.GradScaler("cuda", ...)` under its deprecated name (disabled
    without CUDA, with a warning).

    Args:
        init_scale: the first scale.
        growth_factor: the scale's factor after `growth_interval` clean steps.
        backoff_factor: the scale's factor after a step that found inf/NaN.
        growth_interval: clean steps between two growths.
        enabled: False makes every method a pass-through.
    """

    def __init__(self, init_scale: float = 2.0**16, growth_factor: float = 2.0, backoff_factor: float = 0.5,
                 growth_interval: int = 2000, enabled: bool = True) -> None:
        _deprecated("GradScaler(args...)", "ferrograd.amp.GradScaler('cuda', args...)")
        super().__init__("cuda", init_scale=init_scale, growth_factor=growth_factor,
                         backoff_factor=backoff_factor, growth_interval=growth_interval, enabled=enabled)


def amp_definitely_not_available() -> bool:
    """True unless CUDA or torch_xla is there (CUDA never is)."""
    return not find_spec("torch_xla")
