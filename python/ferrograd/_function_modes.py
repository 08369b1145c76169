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
import types
from collections.abc import Callable
from typing import Any

from ._core import Tensor
from ._mode_standins import ModeAccessor, ModeMethod
from ._self_typed_methods import SELF_TYPED_METHODS


class _ThreadState(threading.local):
    modes: list | None = None  # class defaults: reading an unset one raises nothing
    off = 0


_state = _ThreadState()
_lock = threading.Lock()
_entered = 0  # modes entered and not exited, all threads together
_pushed = 0  # modes pushed by `with mode:` or `overrides._push_mode` and not popped, all threads
# (owner, name, original, wrapper) of each function or Tensor method replaced
_replaced: list[tuple[Any, str, Any, Any]] = []
# the code of the wrappers that pass a call on to a subclass's own method or property
PASSING_CODES: set = set()
# Tensor's attribute name ('add', 'T.__get__') -> what stands in for it while modes are in use
STANDINS: dict[str, Any] = {}


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
        raise RuntimeError("trying to pop from empty mode stack")
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
    """Pushes `mode` (`with mode:`, `overrides._push_mode`); the first one in use puts
    the stand-ins of Tensor's methods in place."""
    global _entered
    with _lock:
        _entered += 1
        if _entered == 1:
            _wrap_tensor_methods()
    push_user_mode(mode)


def exit_(mode=None):
    """Pops the top mode, which it returns; the last one takes the stand-ins away."""
    global _entered
    popped = pop_user_mode()
    with _lock:
        _entered -= 1
        if _entered == 0:
            STANDINS.clear()
            while _replaced:
                owner, name, original, wrapper = _replaced.pop()
                if vars(owner).get(name) is wrapper:  # unless replaced again meanwhile
                    setattr(owner, name, original)
    return popped


# Tensor's dunders a mode sees besides the operators of `_subclass_dispatch._OPERATOR_METHODS`:
# handed as themselves, or as the method PyTorch hands (`1 / x` as `__rdiv__`, `x += 1` as `add_`)
_MODE_DUNDERS_AS_THEMSELVES = frozenset({
    "__rsub__", "__rdiv__", "__rpow__", "__rfloordiv__", "__rmod__", "__rmatmul__", "__rlshift__", "__rrshift__",
    "__floordiv__", "__and__", "__or__", "__xor__", "__lshift__", "__rshift__", "__invert__", "__eq__",
    "__iand__", "__ior__", "__ixor__", "__ilshift__", "__irshift__", "__getitem__", "__setitem__", "__repr__",
    "__format__", "__len__", "__contains__", "__deepcopy__", "__array__", "__bool__", "__float__", "__int__",
    "__index__", "__complex__", "__reversed__", "__ipow__",
})
_MODE_DUNDERS_RENAMED = {
    "__rtruediv__": "__rdiv__", "__div__": "div", "__rand__": "bitwise_and", "__ror__": "bitwise_or",
    "__rxor__": "bitwise_xor", "__pos__": "positive", "__ne__": "ne", "__str__": "__repr__", "__iadd__": "add_",
    "__isub__": "sub_", "__imul__": "mul_", "__itruediv__": "div_", "__ifloordiv__": "floor_divide_",
    "__imod__": "remainder_",
}
# methods no subclass's `__torch_function__` is handed here that a mode sees, as PyTorch's does
_MODE_METHODS = frozenset({"numpy", "tolist", "item", "data_ptr", "register_hook", "backward"})
# the Tensor methods PyTorch writes in Python: their `handle_torch_function` hands a mode
# every default by keyword, and Tensor among the types
_TENSOR_METHODS_IN_PYTHON = frozenset({
    "__array__", "__contains__", "__deepcopy__", "__floordiv__", "__format__", "__pow__", "__ipow__", "__len__",
    "__rdiv__",
    "__repr__", "__reversed__", "__rfloordiv__", "__rlshift__", "__rmatmul__", "__rmod__", "__rpow__",
    "__rrshift__", "__rsub__", "backward", "is_shared", "register_hook", "register_post_accumulate_grad_hook",
    "share_memory_", "storage", "unflatten", "dim_order", "module_load", "split", "norm", "lu", "stft", "istft",
    "unique", "unique_consecutive", "resize", "resize_as", "storage_type",
})
# the private properties PyTorch's modes see (its public ones all are)
_MODE_PRIVATE_PROPERTIES = frozenset({"_base", "_cdata", "_version", "_backward_hooks",
                                      "_post_accumulate_grad_hooks"})


def _handed_name(name: str, value: Any) -> str | None:
    """The name of the method a mode is handed for Tensor's attribute `name`; None when
    modes do not see it."""
    from ._subclass_dispatch import _NOT_DISPATCHED, _OPERATOR_METHODS

    if name in _MODE_DUNDERS_AS_THEMSELVES or name in _MODE_METHODS:
        return name
    handed = _MODE_DUNDERS_RENAMED.get(name) or _OPERATOR_METHODS.get(name)
    if handed is not None:
        return handed
    if (name in _NOT_DISPATCHED or name.startswith("_") or isinstance(value, (classmethod, staticmethod, property))
            or not callable(value)):
        return None
    return name


def _without_mode(method: Callable, public_name: str, self: Tensor, args: tuple, kwargs: dict) -> Any:
    """The method as it runs outside modes: a dispatching subclass's own wrapper hands the
    call to its `__torch_function__` (`b + 1` keeps `b`'s class under a mode too)."""
    if type(self) is not Tensor:
        own = getattr(type(self), public_name, None)
        if getattr(own, "_fg_dispatch", False):
            return own(self, *args, **kwargs)
    return method(self, *args, **kwargs)


PASSING_CODES.update((_without_mode.__code__, ModeMethod.__call__.__code__, ModeAccessor.__call__.__code__))


def _types_handed(public_name: str, self: Tensor, args: tuple, kwargs: dict) -> tuple:
    """The types a mode is handed for Tensor's method: the receiver's type for the methods
    PyTorch dispatches on the receiver alone (`abs`, `item`), Tensor counted; else the
    subclasses among the arguments (PyTorch's parser leaves plain tensors out)."""
    if public_name in SELF_TYPED_METHODS:
        return (type(self),)
    if type(self) is Tensor and all(type(value) in _PLAIN_ARGUMENTS for value in args) and not kwargs:
        return ()
    from ._tensor_likes import overriding_types

    return tuple(overriding_types((self, *args), kwargs, subclasses=True))


_PLAIN_ARGUMENTS = frozenset({Tensor, int, float, bool, complex, str, type(None)})


def _method_wrapper(method: Callable, public_name: str) -> Callable:
    is_operator = method.__name__.startswith("__") or public_name.startswith("__")
    # the core's own operators (`__rpow__`) take no keywords
    in_python = (public_name in _TENSOR_METHODS_IN_PYTHON and isinstance(method, types.FunctionType)
                 and not getattr(method, "_fg_core_slot", False))

    def call(self, *args, **kwargs):
        mode = current_mode()
        if mode is None:
            return _without_mode(method, public_name, self, args, kwargs)
        handed = (self, *args), kwargs or None
        # `**` is handed as `pow` (the core's slot cannot carry PyTorch's name) but as the Python operator it is
        if public_name in _TENSOR_METHODS_IN_PYTHON or method.__name__ == "__pow__":
            from ._subclass_dispatch import python_method_types
            from ._tensor_likes import _as_python_passes

            handed = _as_python_passes(method, *handed) if in_python else (handed[0], kwargs)
            kinds: tuple = tuple(python_method_types(method.__name__ if method.__name__ == "__pow__" else public_name,
                                                     type(self), handed[0], handed[1]))
        else:
            kinds = _types_handed(public_name, self, args, kwargs)
        result = call_mode(getattr(Tensor, public_name), kinds, *handed)
        if result is NotImplemented and not is_operator:  # an operator's tells Python to try the other operand
            from ._tensor_likes import _declined

            raise _declined(f"ferrograd.Tensor.{public_name}", [], mode)
        return result

    PASSING_CODES.add(call.__code__)
    return ModeMethod(method, call)


def _mode_property(descriptor: Any, name: str) -> property:
    """Tensor's property `descriptor` (`name`) as modes see it: PyTorch hands them the
    getter (`Tensor.shape.__get__`) and the setter (`Tensor.data.__set__`), with the
    receiver's type."""
    from ._subclass_dispatch import _ACCESSOR_NAMES

    def get(self):
        if current_mode() is None:
            own = replacement if type(self) is Tensor else getattr(type(self), name)
            if own is not replacement:  # a subclass's own, which dispatches
                return own.__get__(self, type(self))
            return descriptor.__get__(self, type(self))
        return call_mode(getter, (type(self),), (self,), None)

    def set_(self, value) -> None:
        if current_mode() is None:
            own = replacement if type(self) is Tensor else getattr(type(self), name)
            (descriptor if own is replacement else own).__set__(self, value)
        else:
            call_mode(setter, (type(self),), (self, value), None)

    def delete(self) -> None:
        descriptor.__delete__(self)

    replacement = property(get, set_, delete, descriptor.__doc__)
    getter, setter = ModeAccessor(descriptor, replacement, "__get__"), ModeAccessor(descriptor, replacement, "__set__")
    STANDINS[f"{name}.__get__"], STANDINS[f"{name}.__set__"] = getter, setter
    _ACCESSOR_NAMES[id(descriptor)] = name
    PASSING_CODES.update((get.__code__, set_.__code__))
    return replacement


def _wrap_tensor_methods() -> None:
    # one stand-in for a method under two names (`__neg__` is `neg`), so that they stay the same object
    by_method: dict[tuple[int, str], ModeMethod] = {}
    for name, value in list(vars(Tensor).items()):
        if isinstance(value, (property, types.GetSetDescriptorType)):
            wrapper = _mode_property(value, name) if not name.startswith("_") or name in _MODE_PRIVATE_PROPERTIES else None
        else:
            handed = _handed_name(name, value)
            wrapper = None
            if handed is not None:
                method = getattr(Tensor, name)
                key = (id(method), handed)
                wrapper = by_method.get(key) or by_method.setdefault(key, _method_wrapper(method, handed))
        if wrapper is not None:
            setattr(Tensor, name, wrapper)
            _replaced.append((Tensor, name, value, wrapper))
            if isinstance(wrapper, ModeMethod):
                STANDINS[name] = wrapper
    if vars(Tensor).get("__iter__") is not None:
        _replace(Tensor, "__iter__", _iterate_under_modes)
    from ._device import device

    # kept once put in place: deleting a class's `__new__` leaves CPython's slot refusing arguments
    if vars(device).get("__new__") is None:
        device.__new__ = staticmethod(_new_device_under_modes)


def _replace(owner: Any, name: str, wrapper: Any) -> None:
    original = vars(owner).get(name)
    setattr(owner, name, wrapper)
    _replaced.append((owner, name, original, wrapper))


def _iterate_under_modes(self):
    """`iter(x)` as PyTorch's Python `Tensor.__iter__`: the mode sees `dim` and `unbind`."""
    if self.dim() == 0:
        raise TypeError("iteration over a 0-d tensor")
    return iter(self.unbind(0))


def _new_device_under_modes(cls, *args, **kwargs):
    """`ferrograd.device(...)` under a mode, which PyTorch hands the mode (its device
    contexts are modes); what the mode answers is the result."""
    if current_mode() is None:
        return object.__new__(cls)
    return call_mode(cls, (), args, kwargs or None)
