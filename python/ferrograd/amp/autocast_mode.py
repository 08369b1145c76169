"""The `autocast` context manager and the thread's autocast state functions."""

from __future__ import annotations

import functools
import threading
import warnings
from collections.abc import Callable
from typing import Any, Self

from .. import _core
from .._argcheck import type_name

__all__ = ["autocast", "custom_bwd", "custom_fwd", "is_autocast_available"]

_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga",
                 "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")
_CPU_DTYPES = ("bfloat16", "float16")
_CPU_DTYPE_ERROR = ("In CPU autocast, but the target dtype is not supported. Disabling autocast.\n"
                    "CPU Autocast only supports dtypes of ferrograd.bfloat16, ferrograd.float16 currently.")

# the dtype autocast("cpu") uses when none is given (`set_autocast_dtype` changes it)
_default_cpu_dtype: list = []


def _check_device_type(device_type: Any) -> str:
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")  # noqa: TRY004
    if device_type not in _DEVICE_TYPES:
        raise RuntimeError(
            "Expected one of " + ", ".join(_DEVICE_TYPES) + f" device type at start of device string: {device_type}")
    return device_type


def default_cpu_dtype() -> Any:
    return _default_cpu_dtype[0] if _default_cpu_dtype else _core.bfloat16


def is_autocast_available(device_type: str) -> bool:
    """Whether autocast can be used for `device_type` (as PyTorch's CPU build answers).

    Args:
        device_type: a device type such as "cpu" or "cuda".
    """
    return _check_device_type(device_type) in ("cpu", "cuda", "xpu", "mps", "hpu", "xla", "mtia", "maia",
                                              "privateuseone", "ipu")


class autocast:
    """Runs the ops in its block in mixed precision (the CPU only: autocast for another
    device type warns and does nothing, as PyTorch without that device does).

    Args:
        device_type: "cpu" (another type disables autocast with a warning).
        dtype: bfloat16 (default) or float16; another dtype disables autocast with a warning.
        enabled: False makes the block run in full precision (also inside another autocast).
        cache_enabled: accepted for PyTorch compatibility (casts are not cached).
    """

    def __init__(self, device_type: str, dtype: Any = None, enabled: bool = True,
                 cache_enabled: bool | None = None) -> None:
        self.device = _check_device_type(device_type)
        self.fast_dtype = default_cpu_dtype() if dtype is None else dtype
        self._enabled = bool(enabled)
        self._cache_enabled = True if cache_enabled is None else bool(cache_enabled)
        if self.device != "cpu":
            if self._enabled:
                kind = "CUDA" if self.device == "cuda" else self.device
                warnings.warn(f"{kind} is not available or torch_xla is imported. Disabling autocast.",
                              UserWarning, stacklevel=2)
            self._enabled = False
        elif self._enabled and str(self.fast_dtype).rsplit(".", 1)[-1] not in _CPU_DTYPES:
            warnings.warn(_CPU_DTYPE_ERROR, UserWarning, stacklevel=2)
            self._enabled = False
        self._previous: list = []

    def __enter__(self) -> Self:
        if self.device == "cpu":
            self._previous.append(_core._set_autocast_cpu(self.fast_dtype if self._enabled else None))
        return self

    def __exit__(self, *exc: object) -> bool:
        if self.device == "cpu":
            _core._set_autocast_cpu(self._previous.pop())
        return False

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            with autocast(self.device, self.fast_dtype, self._enabled, self._cache_enabled):
                return fn(*args, **kwargs)

        return run


def _need_str(fn: str, device_type: Any) -> None:
    """The parser's TypeError of PyTorch's C-bound autocast queries (the `autocast` class
    raises a ValueError of its own instead)."""
    if not isinstance(device_type, str):
        raise TypeError(f"{fn}(): argument 'device_type' (position 1) must be str, not {type_name(device_type)}")


_NO_DEVICE = object()  # `is_autocast_enabled()` asks about CUDA; an explicit None is refused


def is_autocast_enabled(device_type: Any = _NO_DEVICE) -> bool:
    """Whether autocast is on in this thread for `device_type` (none given: CUDA, which
    a CPU-only build never has on).

    Args:
        device_type: the device type to ask about.
    """
    if device_type is _NO_DEVICE:
        return "cuda" in _other_devices_on()
    _need_str("is_autocast_enabled", device_type)
    if _check_device_type(device_type) != "cpu":
        return device_type in _other_devices_on()
    return _core._autocast_cpu_dtype() is not None


def get_autocast_dtype(device_type: str) -> Any:
    """The dtype autocast uses for `device_type` (bfloat16 on the CPU unless set).

    Args:
        device_type: the device type.
    """
    _need_str("get_autocast_dtype", device_type)
    if _check_device_type(device_type) != "cpu":
        return _core.float16 if device_type == "cuda" else _core.bfloat16
    return _core._autocast_cpu_dtype() or default_cpu_dtype()


def set_autocast_enabled(device_type: Any = _NO_DEVICE, enabled: Any = _NO_DEVICE) -> None:
    """Turns autocast on (with its current dtype) or off for this thread; only the CPU's
    switch changes how ops run, another device type's is only recorded.

    Args:
        device_type: the device type; PyTorch's older one-argument form
            `set_autocast_enabled(enabled)` sets CUDA's switch.
        enabled: on or off.
    """
    if (device_type is _NO_DEVICE) != (enabled is _NO_DEVICE):  # the (bool enabled) overload
        value = enabled if device_type is _NO_DEVICE else device_type
        _need_bool("set_autocast_enabled", "enabled", 1, value)
        _other_devices_switch("cuda", value)
        return
    if device_type is _NO_DEVICE:
        raise TypeError(
            "set_autocast_enabled() received an invalid combination of arguments - got (), but expected one of:\n"
            " * (str device_type, bool enabled)\n * (bool enabled)\n"
        )
    _need_str("set_autocast_enabled", device_type)
    _need_bool("set_autocast_enabled", "enabled", 2, enabled)
    if _check_device_type(device_type) == "cpu":
        _core._set_autocast_cpu(get_autocast_dtype("cpu") if enabled else None)
    else:
        _other_devices_switch(device_type, enabled)


def _need_bool(fn: str, name: str, position: int, value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be bool, not {type_name(value)}")


# the device types other than the CPU whose autocast switch is on, per thread
_switches = threading.local()


def _other_devices_on() -> set:
    on = getattr(_switches, "on", None)
    if on is None:
        on = _switches.on = set()
    return on


def _other_devices_switch(device_type: str, enabled: bool) -> None:
    if enabled:
        _other_devices_on().add(device_type)
    else:
        _other_devices_on().discard(device_type)


def set_autocast_dtype(device_type: str, dtype: Any) -> None:
    """The dtype `autocast(device_type)` uses when none is given.

    Args:
        device_type: the device type ("cpu" takes effect).
        dtype: bfloat16 or float16.
    """
    _need_str("set_autocast_dtype", device_type)
    if not isinstance(dtype, _core.dtype):
        raise TypeError(f"set_autocast_dtype(): argument 'dtype' (position 2) must be torch.dtype, not {type_name(dtype)}")
    if _check_device_type(device_type) == "cpu":
        _default_cpu_dtype[:] = [dtype]
        if _core._autocast_cpu_dtype() is not None:
            _core._set_autocast_cpu(dtype)


def _cast_floating(value: Any, dtype: Any) -> Any:
    if isinstance(value, _core.Tensor) and value.dtype.is_floating_point and value.dtype is not _core.float64:
        return value.to(dtype)
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_floating(v, dtype) for v in value)
    if isinstance(value, dict):
        return {k: _cast_floating(v, dtype) for k, v in value.items()}
    return value


def custom_fwd(fwd: Callable | None = None, *, device_type: str = "cpu", cast_inputs: Any = None) -> Callable:
    """Decorator for a custom Function's `forward`: with `cast_inputs`, runs it with
    autocast off and its floating-point tensors cast to that dtype when called inside
    autocast.

    Args:
        fwd: the forward method.
        device_type: the device type.
        cast_inputs: the dtype to run forward in, or None to keep the caller's autocast.
    """
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)

    @functools.wraps(fwd)
    def forward(*args: Any, **kwargs: Any) -> Any:
        if cast_inputs is None or not is_autocast_enabled(device_type):
            return fwd(*args, **kwargs)
        with autocast(device_type, enabled=False):
            return fwd(*_cast_floating(args, cast_inputs), **_cast_floating(kwargs, cast_inputs))

    return forward


def custom_bwd(bwd: Callable | None = None, *, device_type: str = "cpu") -> Callable:
    """Decorator for a custom Function's `backward` (runs it as the forward ran).

    Args:
        bwd: the backward method.
        device_type: the device type.
    """
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)
    return bwd


def cast_for_autocast(values: tuple) -> tuple:
    """`values` with their floating-point tensors (not float64) cast to the thread's
    autocast dtype."""
    dtype = _core._autocast_cpu_dtype()
    return values if dtype is None else _cast_floating(values, dtype)


def keep_float32(fn: Callable) -> Callable:
    """`fn` (a loss PyTorch's CPU autocast runs in float32) with its half-precision
    tensor arguments cast to float32 while autocast is on."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if _core._autocast_cpu_dtype() is None:
            return fn(*args, **kwargs)
        return fn(*_cast_floating(args, _core.float32), **_cast_floating(kwargs, _core.float32))

    return run


def _deprecated(old: str, new: str, line: int) -> None:
    warnings.warn(f"ferrograd.{old} is deprecated. Please use ferrograd.{new} instead. (Triggered internally at "
                  f"/__w/pytorch/pytorch/torch/csrc/autograd/init.cpp:{line}.)", DeprecationWarning, stacklevel=3)


def is_autocast_cpu_enabled() -> bool:
    """Deprecated form of `is_autocast_enabled("cpu")`."""
    _deprecated("is_autocast_cpu_enabled()", "is_autocast_enabled('cpu')", 883)
    return is_autocast_enabled("cpu")


def get_autocast_cpu_dtype() -> Any:
    """Deprecated form of `get_autocast_dtype("cpu")`."""
    _deprecated("get_autocast_cpu_dtype()", "get_autocast_dtype('cpu')", 1016)
    return get_autocast_dtype("cpu")


def set_autocast_cpu_enabled(enabled: bool) -> None:
    """Deprecated form of `set_autocast_enabled("cpu", enabled)`.

    Args:
        enabled: on or off.
    """
    if not isinstance(enabled, bool):
        raise TypeError(f"enabled must be a bool (got {type_name(enabled)})")
    _deprecated("set_autocast_cpu_enabled(enabled)", "set_autocast_enabled('cpu', enabled)", 874)
    set_autocast_enabled("cpu", enabled)


def set_autocast_cpu_dtype(dtype: Any) -> None:
    """Deprecated form of `set_autocast_dtype("cpu", dtype)`.

    Args:
        dtype: bfloat16 or float16.
    """
    if not isinstance(dtype, _core.dtype):
        raise TypeError(f"dtype must be a torch.dtype (got {type_name(dtype)})")
    _deprecated("set_autocast_cpu_dtype(dtype)", "set_autocast_dtype('cpu', dtype)", 967)
    set_autocast_dtype("cpu", dtype)


_cache_enabled = [True]


def is_autocast_cache_enabled() -> bool:
    """Whether autocast may cache casts (the switch is kept; casts are never cached)."""
    return _cache_enabled[0]


def set_autocast_cache_enabled(enabled: bool) -> None:
    """Sets the autocast cast-cache switch that `is_autocast_cache_enabled` reports.

    Args:
        enabled: the new setting.
    """
    if not isinstance(enabled, bool):
        raise TypeError(f"enabled must be a bool (got {type_name(enabled)})")
    _cache_enabled[0] = enabled


def clear_autocast_cache() -> None:
    """Nothing to clear: casts are not cached."""
