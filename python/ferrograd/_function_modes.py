"""The stack of active `TorchFunctionMode`s (per thread, as PyTorch's) and how calls
reach them.

Functions and Tensor methods check nothing (Rust methods, or functions that would pay
for it on every call): while any mode is entered (in any thread), the public functions
of the loaded namespaces (`ferrograd`, `nn.functional`, `linalg`, `fft`, `special`) are
replaced by `_subclass_dispatch`'s dispatching wrappers, which ask the current mode first,
and Tensor's public methods and operators by wrappers that do the same. The originals come
back when the last mode exits, so that code outside modes pays nothing and keeps the
functions it holds (`func is ferrograd.add` in a mode compares with the wrapper, which is
what the namespace holds then)."""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable
from typing import Any

from ._core import Tensor

_state = threading.local()
_lock = threading.Lock()
_entered = 0  # modes entered and not exited, all threads together
# (owner, name, original, wrapper) of each function or Tensor method replaced
_replaced: list[tuple[Any, str, Any, Any]] = []
_NAMESPACES = ("ferrograd", "ferrograd.nn.functional", "ferrograd.linalg", "ferrograd.fft", "ferrograd.special")


def mode_stack() -> list:
    stack = getattr(_state, "modes", None)
    if stack is None:
        stack = _state.modes = []
    return stack


def current_mode():
    stack = getattr(_state, "modes", None)
    if not stack or getattr(_state, "off", 0):
        return None
    return stack[-1]


class ModesOff:
    """While active, no mode sees calls (the stack stays as it is)."""

    def __enter__(self) -> None:
        _state.off = getattr(_state, "off", 0) + 1

    def __exit__(self, *exc: object) -> None:
        _state.off -= 1


def push_mode(mode) -> None:
    mode_stack().append(mode)


def pop_mode():
    stack = mode_stack()
    if not stack:
        raise RuntimeError("Trying to pop from an empty mode stack")
    return stack.pop()


def call_mode(func: Callable, types: tuple, args: tuple, kwargs: dict | None) -> Any:
    """`func(*args, **kwargs)` as the current mode answers it, the mode off meanwhile;
    NotImplemented when the mode declines."""
    mode = pop_mode()
    try:
        return mode.__torch_function__(func, types, args, {} if kwargs is None else kwargs)
    finally:
        push_mode(mode)


def enter(mode) -> None:
    global _entered
    with _lock:
        _entered += 1
        if _entered == 1:
            _wrap_namespaces()
            _wrap_tensor_methods()
    push_mode(mode)


def exit_(mode) -> None:
    global _entered
    from . import _subclass_dispatch

    pop_mode()
    with _lock:
        _entered -= 1
        if _entered == 0:
            while _replaced:
                owner, name, original, wrapper = _replaced.pop()
                # a subclass that dispatches has appeared: its wrappers are these, they stay
                keep = owner is not Tensor and _subclass_dispatch._wrapped_functions
                # unless replaced again meanwhile (the profiler)
                if vars(owner).get(name) is wrapper and not keep:
                    setattr(owner, name, original)


def _wrap_namespaces() -> None:
    from ._subclass_dispatch import _wrap_namespace, public_names
    from .overrides import SETTINGS_NAMES

    for module_name in _NAMESPACES:
        module = sys.modules.get(module_name)
        if module is not None:
            names = [n for n in public_names(module) if n not in SETTINGS_NAMES]
            _replaced.extend((module, *entry) for entry in _wrap_namespace(module, names))


def _method_wrapper(method: Callable, public_name: str) -> Callable:
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        if current_mode() is None:
            return method(self, *args, **kwargs)
        result = call_mode(getattr(Tensor, public_name), (), (self, *args), kwargs)
        if result is NotImplemented:
            raise TypeError(f"no implementation found for 'ferrograd.Tensor.{public_name}' on types that "
                            f"implement __torch_function__: [] nor in mode {current_mode()}")
        return result

    return call


def _wrap_tensor_methods() -> None:
    from ._subclass_dispatch import _NOT_DISPATCHED, _OPERATOR_METHODS

    for name, value in list(vars(Tensor).items()):
        if (name in _NOT_DISPATCHED or (name.startswith("_") and not name.startswith("__"))
                or isinstance(value, (classmethod, staticmethod, property)) or not callable(value)):
            continue
        if name.startswith("__") and name not in _OPERATOR_METHODS:
            continue
        wrapper = _method_wrapper(getattr(Tensor, name), _OPERATOR_METHODS.get(name, name))
        setattr(Tensor, name, wrapper)
        _replaced.append((Tensor, name, value, wrapper))
