"""The stack of active `TorchFunctionMode`s (per thread, as PyTorch's) and how calls
reach them.

Top-level functions reach the mode through the dispatching wrappers of
`_subclass_dispatch` (installed on the first mode). Tensor methods are Rust methods that
check nothing: while any mode is entered (in any thread), Tensor's public methods and
operators are replaced by wrappers that hand the call to the current mode, and put back
when the last mode exits, so that code outside modes pays nothing."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from ._core import Tensor

_state = threading.local()
_lock = threading.Lock()
_entered = 0  # modes entered and not exited, all threads together
# (name, original, wrapper) of each Tensor method replaced
_replaced: list[tuple[str, Any, Any]] = []


def mode_stack() -> list:
    stack = getattr(_state, "modes", None)
    if stack is None:
        stack = _state.modes = []
    return stack


def current_mode():
    stack = getattr(_state, "modes", None)
    return stack[-1] if stack else None


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
    from ._subclass_dispatch import _wrap_functions

    _wrap_functions()
    with _lock:
        _entered += 1
        if _entered == 1:
            _wrap_tensor_methods()
    push_mode(mode)


def exit_(mode) -> None:
    global _entered
    pop_mode()
    with _lock:
        _entered -= 1
        if _entered == 0:
            while _replaced:
                name, original, wrapper = _replaced.pop()
                if vars(Tensor).get(name) is wrapper:  # unless replaced again meanwhile (the profiler)
                    setattr(Tensor, name, original)


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
        _replaced.append((name, value, wrapper))
