"""Tensor subclasses and `__torch_function__`, as PyTorch has them.

A subclass of `Tensor` keeps its class through methods, operators, the view properties
and the top-level functions (`type(x + 1) is MyTensor`), and a subclass that defines
`__torch_function__(cls, func, types, args, kwargs)` sees every such call. PyTorch checks
for overriding arguments in C++ on every call; here nothing is checked until a subclass
that dispatches is defined: its class gets dispatching wrappers of Tensor's methods, and
the top-level functions of `ferrograd` and `ferrograd.nn.functional` are wrapped then.
Subclasses that set `__torch_function__ = _disabled_torch_function_impl` (as
`nn.Parameter` does) are plain tensors for ops.
"""

from __future__ import annotations

import functools
import sys
import threading
import types
from collections.abc import Callable
from typing import Any

from ._core import Tensor
from ._function_modes import call_mode, current_mode

__all__ = ["_disabled_torch_function_impl"]

_state = threading.local()

# Methods that never dispatch: construction, conversion to Python values, printing,
# pickling and attribute access (PyTorch's default implementation leaves their results
# alone, or they return no tensor).
_NOT_DISPATCHED = frozenset({
    "__init__", "__new__", "__repr__", "__str__", "__format__", "__hash__", "__getattribute__",
    "__getattr__", "__setattr__", "__delattr__", "__init_subclass__", "__class_getitem__",
    "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__deepcopy__", "__copy__",
    "__sizeof__", "__dir__", "__subclasshook__", "__torch_function__", "__array__", "__array_wrap__",
    "__dlpack__", "__dlpack_device__", "__len__", "__bool__", "__int__", "__float__", "__complex__",
    "__index__", "__iter__", "__contains__", "__buffer__", "__release_buffer__", "__weakref__",
    "__dict__", "__module__", "__doc__", "as_subclass", "_make_subclass", "numpy", "tolist", "item",
    "data_ptr", "register_hook", "backward",
})
_VIEW_PROPERTIES = ("T", "mT", "H", "mH", "real", "imag", "data", "shape")
# Operators PyTorch hands to `__torch_function__` as the named method (`x + 1` as `add`).
_OPERATOR_METHODS = {
    "__add__": "add", "__radd__": "add", "__sub__": "sub", "__mul__": "mul", "__rmul__": "mul",
    "__truediv__": "div", "__mod__": "remainder", "__pow__": "pow", "__matmul__": "matmul",
    "__neg__": "neg", "__abs__": "abs", "__lt__": "lt", "__le__": "le", "__gt__": "gt", "__ge__": "ge",
}
_wrapped_functions = False


def _disabled() -> bool:
    return getattr(_state, "disabled", 0) > 0


class _DispatchDisabled:
    """While the default implementation runs an op, calls inside it do not dispatch
    again (PyTorch's `DisableTorchFunctionSubclass`)."""

    def __enter__(self) -> None:
        _state.disabled = getattr(_state, "disabled", 0) + 1

    def __exit__(self, *exc) -> None:
        _state.disabled -= 1


def _convert(ret: Any, cls: type) -> Any:
    if cls is Tensor:
        return ret
    if isinstance(ret, Tensor) and not isinstance(ret, cls):
        return ret.as_subclass(cls)
    if isinstance(ret, (tuple, list)):
        items = [_convert(r, cls) for r in ret]
        make = getattr(type(ret), "_make", None)
        return make(items) if make is not None else type(ret)(items)
    return ret


def _default_torch_function(cls, func, types, args=(), kwargs=None):
    """Runs `func` and gives its tensor results the class `cls` (PyTorch's
    `Tensor.__torch_function__`)."""
    if kwargs is None:
        kwargs = {}
    if not all(issubclass(cls, t) for t in types):
        return NotImplemented
    func = _own_counterpart(func)
    with _DispatchDisabled():
        ret = func(*args, **kwargs)
    return _convert(ret, cls)


def _own_counterpart(func: Callable) -> Callable:
    """A function of PyTorch itself (whose Python functions hand tensors they do not know,
    ours included, to `__torch_function__`) as ferrograd's function of the same name;
    calling PyTorch's again would only dispatch back here."""
    module = getattr(func, "__module__", None) or ""
    if module != "torch" and not module.startswith("torch."):
        return func
    name = getattr(func, "__name__", "")
    # builtins report module "torch" and a C++ class as qualname: look for the name itself
    for where in ("ferrograd" + module[len("torch"):], "ferrograd", "ferrograd.nn.functional"):
        target = getattr(sys.modules.get(where), name, None)
        if callable(target):
            return target
    raise TypeError(f"{module}.{name} was given ferrograd tensors and ferrograd has no function of that "
                    "name to run instead")


def _disabled_torch_function_impl(func, types, args=(), kwargs=None):
    """`__torch_function__` of subclasses whose ops return plain tensors."""
    with _DispatchDisabled():
        return func(*args, **({} if kwargs is None else kwargs))


def _dispatches(cls: type) -> bool:
    return getattr(cls, "__torch_function__", None) is not _disabled_torch_function_impl


def _dispatching_method(method: Callable) -> Callable:
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        cls = type(self)
        if _disabled():
            return method(self, *args, **kwargs)
        return cls.__torch_function__(method, (cls,), (self, *args), kwargs)

    call._fg_dispatch = True  # type: ignore[attr-defined]
    return call


def _dispatching_property(descriptor, name: str) -> property:
    """A view property (`T`, `real`, `data`, ...) whose getter dispatches; setting it
    (`x.data = y`) does not."""

    def __get__(self):
        return descriptor.__get__(self, type(self))

    __get__.__name__ = name

    def setter(self, value) -> None:
        descriptor.__set__(self, value)

    has_setter = getattr(descriptor, "fset", None) is not None or (
        not isinstance(descriptor, property) and hasattr(descriptor, "__set__"))
    return property(_dispatching_method(__get__), setter if has_setter else None, None, descriptor.__doc__)


def _iterate(self):
    if self.dim() == 0:
        raise TypeError("iteration over a 0-d tensor")
    return iter(self.unbind(0))


def _user_defined(cls: type, name: str) -> bool:
    for base in cls.__mro__:
        if base is Tensor:
            return False
        value = base.__dict__.get(name)
        if value is not None and not getattr(getattr(value, "fget", value), "_fg_dispatch", False):
            return True
    return False


def _init_subclass(cls, **kwargs) -> None:
    super(Tensor, cls).__init_subclass__(**kwargs)
    if not _dispatches(cls):
        return
    for name, value in list(vars(Tensor).items()):
        if name in _NOT_DISPATCHED or not callable(value) or (name.startswith("_") and not name.startswith("__")):
            continue
        if not _user_defined(cls, name):
            setattr(cls, name, _dispatching_method(getattr(Tensor, _OPERATOR_METHODS.get(name, name))))
    for name in _VIEW_PROPERTIES:
        descriptor = vars(Tensor).get(name)
        if descriptor is not None and not _user_defined(cls, name):
            setattr(cls, name, _dispatching_property(descriptor, name))
    if not _user_defined(cls, "__iter__"):
        cls.__iter__ = _iterate
    # a class that only its own factories instantiate (MaskedTensor) wraps the functions
    # when it makes its first instance, so that importing or naming it costs nothing
    if not getattr(cls, "_fg_wraps_functions_when_instantiated", False):
        _wrap_functions()


def _overriding_types(args, kwargs) -> tuple[type, ...]:
    """The dispatching subclasses among the arguments and the tensors of sequence
    arguments (one level deep, as PyTorch looks)."""
    found: list[type] = []

    def note(value) -> None:
        kind = type(value)
        if kind is not Tensor and isinstance(value, Tensor) and kind not in found and _dispatches(kind):
            found.append(kind)

    for value in (*args, *kwargs.values()):
        if isinstance(value, (list, tuple)):
            for item in value:
                note(item)
        else:
            note(value)
    return tuple(found)


def _dispatching_function(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def call(*args, **kwargs):
        if current_mode() is not None:
            result = call_mode(call, (), args, kwargs)
            if result is not NotImplemented:
                return result
        if not _disabled():
            types = _overriding_types(args, kwargs)
            if types:
                # the most derived type's implementation first, as PyTorch orders them
                for cls in sorted(types, key=lambda t: -len(t.__mro__)):
                    # `func is ferrograd.add` holds: the wrapper is what the namespace has
                    result = cls.__torch_function__(call, types, args, kwargs)
                    if result is not NotImplemented:
                        return result
                names = ", ".join(t.__name__ for t in types)
                raise TypeError(f"no implementation found for '{fn.__name__}' on types that implement "
                                f"__torch_function__: [{names}]")
        return fn(*args, **kwargs)

    call._fg_dispatch = True  # type: ignore[attr-defined]
    return call


def _wrap_namespace(module, names) -> list[tuple[str, Any, Any]]:
    """Replaces the module's functions `names` by dispatching wrappers; returns
    (name, original, wrapper) for each."""
    replaced = []
    for name in names:
        value = module.__dict__.get(name)
        if (callable(value) and not isinstance(value, type) and not getattr(value, "_fg_dispatch", False)
                and not isinstance(value, types.ModuleType)):
            wrapper = _dispatching_function(value)
            setattr(module, name, wrapper)
            replaced.append((name, value, wrapper))
    return replaced


def public_names(module) -> list[str]:
    return [n for n in vars(module) if not n.startswith("_")]


def _wrap_functions() -> None:
    """Wraps the top-level functions once, when the first dispatching subclass appears."""
    global _wrapped_functions
    if _wrapped_functions:
        return
    _wrapped_functions = True
    package = sys.modules["ferrograd"]
    replaced = _wrap_namespace(package, public_names(package))
    from .nn import functional

    _wrap_namespace(functional, public_names(functional))
    # `ferrograd.functional` re-exports package functions: its names stay the package's
    aliases = sys.modules.get("ferrograd.functional")
    if aliases is not None:
        wrappers = {id(original): wrapper for _, original, wrapper in replaced}
        for name, value in list(vars(aliases).items()):
            if id(value) in wrappers:
                setattr(aliases, name, wrappers[id(value)])


def _make_subclass(cls, data: Tensor, require_grad: bool = False) -> Tensor:
    """A `cls` instance sharing `data`'s storage, detached, with `requires_grad` set
    (PyTorch's `Tensor._make_subclass`)."""
    out = data.detach().as_subclass(cls)
    out.requires_grad_(require_grad)
    return out


def _name_methods() -> None:
    """Names each Tensor method that is a lambda or a private helper after its attribute,
    as `__torch_function__` handlers and error messages see it (PyTorch's
    `Tensor.gather.__name__` is 'gather'); an alias keeps the first name it got."""
    named: set[int] = set()
    for name, value in list(vars(Tensor).items()):
        if isinstance(value, types.FunctionType) and id(value) not in named:
            named.add(id(value))
            # public functions installed as methods too (`Tensor.absolute = absolute`) keep theirs
            if value.__name__ != name and value.__name__.startswith(("_", "<lambda>")):
                value.__name__, value.__qualname__ = name, f"Tensor.{name}"


def install() -> None:
    _name_methods()
    Tensor.__torch_function__ = classmethod(_default_torch_function)
    Tensor.__init_subclass__ = classmethod(_init_subclass)
    Tensor._make_subclass = staticmethod(_make_subclass)
