"""The stack of active `TorchFunctionMode`s (per thread, as PyTorch's) and how calls
reach them.

The public functions of the namespaces have gates (`_subclass_dispatch.gate`) that ask
the current mode first while any mode is in use (in any thread). Tensor's methods are Rust
methods that check nothing: while any mode is entered, Tensor's public methods and
operators are replaced by wrappers that ask the mode, and the originals come back when
the last mode exits, so that code outside modes pays nothing."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from ._core import Tensor


class _ThreadState(threading.local):
    modes: list | None = None  # class defaults: reading an unset one raises nothing
    off = 0


_state = _ThreadState()
_lock = threading.Lock()
_entered = 0  # modes entered and not exited, all threads together
_pushed = 0  # modes pushed by `with mode:` or `overrides._push_mode` and not popped, all threads
# (owner, name, original, wrapper) of each function or Tensor method replaced
_replaced: list[tuple[Any, str, Any, Any]] = []


def mode_stack() -> list:
    stack = _state.modes
    if stack is None:
        stack = _state.modes = []
    return stack


def current_mode():
    stack = _state.modes
    if not stack or _state.off:
        return None
    return stack[-1]


def modes_off() -> bool:
    """Whether a `ModesOff` (PyTorch's `DisableTorchFunction`) is active in this thread."""
    return _state.off > 0


class ModesOff:
    """While active, no mode sees calls (the stack stays as it is)."""

    def __enter__(self) -> None:
        _state.off += 1

    def __exit__(self, *exc: object) -> None:
        _state.off -= 1


def push_mode(mode) -> None:
    mode_stack().append(mode)


def pop_mode():
    stack = mode_stack()
    if not stack:
        raise RuntimeError("Trying to pop from an empty mode stack")
    return stack.pop()


def _count_pushed(change: int) -> None:
    global _pushed
    from ._subclass_dispatch import mode_count_changed

    with _lock:
        _pushed += change
        mode_count_changed(_pushed > 0)


def push_user_mode(mode) -> None:
    """Pushes `mode` for the functions' gates to see (`overrides._push_mode`)."""
    push_mode(mode)
    _count_pushed(1)


def pop_user_mode():
    mode = pop_mode()
    _count_pushed(-1)
    return mode


def call_mode(func: Callable, types: tuple, args: tuple, kwargs: dict | None) -> Any:
    """`func(*args, **kwargs)` as the current mode answers it, the mode off meanwhile;
    NotImplemented when the mode declines."""
    mode = pop_mode()
    try:
        if _is_classmethod(type(mode)):
            raise RuntimeError("Defining your mode's `__torch_function__` as a classmethod is not supported, "
                               "please make it a plain method")
        return mode.__torch_function__(func, types, args, kwargs)
    finally:
        push_mode(mode)


@functools.cache
def _is_classmethod(kind: type) -> bool:
    """Whether the mode class `kind` defines `__torch_function__` as a classmethod."""
    for klass in kind.__mro__:
        if "__torch_function__" in vars(klass):
            return isinstance(vars(klass)["__torch_function__"], classmethod)
    return False


def enter(mode) -> None:
    global _entered
    with _lock:
        _entered += 1
        if _entered == 1:
            _wrap_tensor_methods()
    push_user_mode(mode)


def exit_(mode) -> None:
    global _entered
    pop_user_mode()
    with _lock:
        _entered -= 1
        if _entered == 0:
            while _replaced:
                owner, name, original, wrapper = _replaced.pop()
                if vars(owner).get(name) is wrapper:  # unless replaced again meanwhile
                    setattr(owner, name, original)


def _method_wrapper(method: Callable, public_name: str) -> Callable:
    is_operator = method.__name__.startswith("__")

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        mode = current_mode()
        if mode is None:
            return method(self, *args, **kwargs)
        result = call_mode(getattr(Tensor, public_name), (), (self, *args), kwargs or None)
        if result is NotImplemented and not is_operator:  # an operator's tells Python to try the other operand
            from ._tensor_likes import _declined

            raise _declined(f"ferrograd.Tensor.{public_name}", [], mode)
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
