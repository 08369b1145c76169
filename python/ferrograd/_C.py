# ruff: noqa: N999  (PyTorch names this module `torch._C`)
"""The few names PyTorch code reaches under `torch._C` that ferrograd has: the
`__torch_function__` switches and queries, and what modules copied from PyTorch ask
(`_get_tracing_state()`, `_log_api_usage_once`)."""

from __future__ import annotations

from typing import Any

from . import _function_modes
from ._core import LinAlgError as _LinAlgError
from ._core import is_grad_enabled
from ._random import Generator
from ._subclass_dispatch import (
    _disabled,
    _disabled_torch_dispatch_impl,
    _disabled_torch_function_impl,
    _DispatchDisabled,
)

__all__ = [
    "DisableTorchFunction",
    "DisableTorchFunctionSubclass",
    "Generator",
    "_LinAlgError",
    "_disabled_torch_dispatch_impl",
    "_disabled_torch_function_impl",
    "_get_function_stack_at",
    "_get_tracing_state",
    "_has_torch_function",
    "_has_torch_function_unary",
    "_has_torch_function_variadic",
    "_is_torch_function_all_disabled",
    "_is_torch_function_enabled",
    "_is_torch_function_mode_enabled",
    "_len_torch_function_stack",
    "_log_api_usage_once",
    "_pop_torch_function_stack",
    "_push_on_torch_function_stack",
    "_set_grad_enabled",
    "is_grad_enabled",
]

class DisableTorchFunctionSubclass(_DispatchDisabled):
    """While active, tensor subclasses' `__torch_function__` sees no calls (PyTorch's
    C class, which ignores any arguments)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass


class DisableTorchFunction:
    """While active, neither tensor subclasses nor modes see calls (PyTorch's
    `torch._C.DisableTorchFunction`, which ignores any arguments)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __enter__(self) -> None:
        self._switches = (_DispatchDisabled(), _function_modes.ModesOff())
        for switch in self._switches:
            switch.__enter__()

    def __exit__(self, *exc: object) -> None:
        for switch in reversed(self._switches):
            switch.__exit__(*exc)


def _get_tracing_state() -> None:
    """None: nothing is traced (no TorchScript tracer)."""


def _log_api_usage_once(event: str) -> None:
    """Does nothing (PyTorch's usage logging)."""


def _set_grad_enabled(enabled: bool) -> None:
    from ._core import _set_grad_enabled as set_enabled

    set_enabled(bool(enabled))


def _has_torch_function(args: Any) -> bool:
    from .overrides import has_torch_function

    return has_torch_function(args)


def _has_torch_function_unary(obj: Any) -> bool:
    from .overrides import has_torch_function_unary

    return has_torch_function_unary(obj)


def _has_torch_function_variadic(*args: Any) -> bool:
    from .overrides import has_torch_function

    return has_torch_function(args)


def _is_torch_function_enabled() -> bool:
    return not _disabled()


def _is_torch_function_all_disabled() -> bool:
    """Whether `DisableTorchFunction` (not only its Subclass variant) is active."""
    return _function_modes.modes_off()


def _is_torch_function_mode_enabled() -> bool:
    return _function_modes.current_mode() is not None


def _len_torch_function_stack() -> int:
    return len(_function_modes.mode_stack())


def _push_on_torch_function_stack(mode: Any) -> None:
    _function_modes.enter(mode)


def _pop_torch_function_stack() -> Any:
    return _function_modes.exit_()


def _get_function_stack_at(index: int) -> Any:
    stack = _function_modes.mode_stack()
    if not 0 <= index < len(stack):
        raise RuntimeError("Tried to get stack at idx that's too big")
    return stack[index]

