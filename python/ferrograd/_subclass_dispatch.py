"""Tensor subclasses and `__torch_function__`, as PyTorch has them.

A subclass of `Tensor` keeps its class through methods, operators, the view properties
and the top-level functions (`type(x + 1) is MyTensor`), and a subclass that defines
`__torch_function__(cls, func, types, args, kwargs)` sees every such call. PyTorch checks
for overriding arguments in C++ on every call. Here a dispatching subclass gets dispatching
wrappers of Tensor's methods when it is defined, and each public function of the
namespaces (`ferrograd`, `nn.functional`, `linalg`, `special`, `fft`) is given a gate when
its module loads: one flag read per call (`LIVE`, and its native mirror for the functions
that are `_core._GatedFunction` objects) until the first dispatching subclass or
`TorchFunctionMode` appears, a look at the arguments after. The namespaces
keep the objects they have from the start, so `func is ferrograd.add` and tables keyed by
functions hold whenever they were made.
Subclasses that set `__torch_function__ = _disabled_torch_function_impl` (as
`nn.Parameter` does) are plain tensors for ops.
"""

from __future__ import annotations

import functools
import inspect
import sys
import threading
import types
import warnings
from collections.abc import Callable
from typing import Any

from ._core import Tensor, _GatedFunction, _set_dispatch_live
from ._function_modes import STANDINS, call_mode, current_mode
from ._tensor_likes import binds_as_method

__all__ = ["_disabled_torch_function_impl"]

class _ThreadState(threading.local):
    disabled = 0  # class defaults: reading an unset one raises nothing


_state = _ThreadState()

# Methods that never dispatch: construction, conversion to Python values, printing,
# pickling and attribute access (PyTorch's default implementation leaves their results
# alone, or they return no tensor).
_NOT_DISPATCHED = frozenset({
    "__init__", "__new__", "__format__", "__hash__", "__getattribute__",
    "__getattr__", "__setattr__", "__delattr__", "__init_subclass__", "__class_getitem__",
    "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__copy__",
    "__sizeof__", "__dir__", "__subclasshook__", "__torch_function__", "__array_wrap__",
    "__dlpack__", "__dlpack_device__", "__iter__", "__buffer__", "__release_buffer__", "__weakref__",
    "__dict__", "__module__", "__doc__", "as_subclass", "_make_subclass", "__torch_dispatch__",
})
# what a subclass ferrograd defines (nested, sparse, meta, masked) still keeps to itself:
# it answers the other methods and properties without its `__torch_function__`
_NOT_DISPATCHED_BY_OWN_CLASSES = frozenset({
    "__repr__", "__str__", "__len__", "__bool__", "__int__", "__float__", "__complex__", "__index__",
    "__contains__", "__array__", "__reversed__", "__deepcopy__", "numpy", "tolist", "item", "data_ptr", "register_hook", "backward",
})
_VIEW_PROPERTIES = ("T", "mT", "H", "mH", "real", "imag", "data", "shape")
# the private properties whose getters PyTorch hands a subclass (its public ones all are)
_DISPATCHED_PRIVATE_PROPERTIES = frozenset({"_backward_hooks", "_base", "_cdata", "_grad", "_grad_fn", "_version",
                                            "_post_accumulate_grad_hooks"})
# getters whose results PyTorch's default `__torch_function__` leaves as they are
_NOWRAP_PROPERTIES = frozenset({"grad", "_grad", "_base"})
# Operators PyTorch hands to `__torch_function__` as the named method (`x + 1` as `add`;
# `x ** y` as its Python `Tensor.__pow__`, named `pow`, which the core's slot cannot be).
_OPERATOR_METHODS = {
    "__add__": "add", "__radd__": "add", "__sub__": "sub", "__mul__": "mul", "__rmul__": "mul",
    "__truediv__": "div", "__mod__": "remainder", "__pow__": "pow", "__matmul__": "matmul",
    "__neg__": "neg", "__abs__": "abs", "__lt__": "lt", "__le__": "le", "__gt__": "gt", "__ge__": "ge",
}
# Operators the core's Tensor dispatches itself when an operand overrides (see
# `_tensor_likes.operator_call`): a subclass keeps Tensor's, so that Python tries its
# reflected operator first only where PyTorch's does (comparisons).
_CORE_OPERATORS = frozenset({
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
    "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__matmul__", "__rmatmul__",
    "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__", "__eq__", "__ne__", "__lt__", "__le__",
    "__gt__", "__ge__",
})
# PyTorch's ignored functions (no tensor argument to dispatch on) that ferrograd has: the
# settings and queries, which modes do not see either, and the factories, which they do
SETTINGS_NAMES = frozenset({
    "typename", "is_tensor", "is_storage", "set_default_tensor_type", "set_default_device", "get_default_device",
    "set_rng_state", "get_rng_state", "manual_seed", "initial_seed", "seed", "save", "load", "set_printoptions",
    "get_default_dtype", "iinfo", "finfo", "is_grad_enabled", "is_inference_mode_enabled", "set_grad_enabled",
    "set_flush_denormal", "get_num_threads", "set_num_threads", "get_num_interop_threads",
    "set_num_interop_threads", "use_deterministic_algorithms", "are_deterministic_algorithms_enabled",
    "set_deterministic_debug_mode", "get_deterministic_debug_mode", "set_float32_matmul_precision",
    "get_float32_matmul_precision", "is_anomaly_enabled", "is_anomaly_check_nan_enabled", "is_autocast_enabled",
    "set_autocast_enabled", "get_autocast_dtype", "set_autocast_dtype", "compile", "vmap", "cond",
    "is_warn_always_enabled", "set_warn_always", "is_deterministic_algorithms_warn_only_enabled",
    "set_default_dtype", "broadcast_shapes", "compiled_with_cxx11_abi",
})
# [0]: whether a call must look for overrides (a dispatching subclass exists or a mode is in
# use); a list so that the gates read it without a global statement. `_set_live` keeps the
# native functions' flag equal to it.
LIVE = [False]
_subclass_seen = False
_modes_in_use = False
MISS = object()  # the gate's answer when no mode or subclass takes the call


def _disabled() -> bool:
    return _state.disabled > 0


class _DispatchDisabled:
    """While the default implementation runs an op, calls inside it do not dispatch
    again (PyTorch's `DisableTorchFunctionSubclass`)."""

    def __enter__(self) -> None:
        _state.disabled += 1

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
    if accessor_name(func) in _NOWRAP_PROPERTIES:
        return ret
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


def _disabled_torch_dispatch_impl(func, types, args=(), kwargs=None):
    """PyTorch's `Tensor.__torch_dispatch__`, of subclasses that take no part in dispatch;
    ferrograd has no dispatcher below Python, so calling it runs `func`."""
    return func(*args, **({} if kwargs is None else kwargs))


def engine_call(func: Callable, args: tuple, kwargs: dict | None) -> Any:
    """`autograd.grad`/`autograd.backward` handed to the `__torch_function__` of a
    subclass ferrograd defines (meta, masked, nested): run as they are, dispatch off, as
    PyTorch's default runs what a subclass's table lacks; MISS for any other function."""
    autograd = sys.modules.get("ferrograd.autograd")
    if autograd is None or (func is not autograd.grad and func is not autograd.backward):
        return MISS
    with _DispatchDisabled():
        return func(*args, **({} if kwargs is None else kwargs))


def _dispatches(cls: type) -> bool:
    return getattr(cls, "__torch_function__", None) is not _disabled_torch_function_impl


_PLAIN_METHOD_WARNING = ("Defining your `__torch_function__` as a plain method is deprecated and will be an error "
                         "in future, please define it as a classmethod.")
_warned_plain_method: list = []  # PyTorch warns once per process


def torch_function_of(kind: type, args: tuple, kwargs: dict | None) -> Callable:
    """The `__torch_function__` a call hands itself to for the arguments of type `kind`:
    the class's, or (defined as a plain method, which PyTorch warns about) the first such
    argument's own."""
    if not isinstance(inspect.getattr_static(kind, "__torch_function__", None), types.FunctionType):
        return kind.__torch_function__
    for value in (*args, *(kwargs or {}).values()):
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if type(item) is kind:
                if not _warned_plain_method:
                    _warned_plain_method.append(True)
                    warnings.warn(_PLAIN_METHOD_WARNING, UserWarning, stacklevel=4)
                return item.__torch_function__
    return kind.__torch_function__


def _dispatching_method(method: Callable, name: str = "") -> Callable:
    """`method` handing its calls to the receiver's `__torch_function__`, the active mode
    first (handed Tensor's attribute `name`, the method's own name by default, which
    comes back to the subclass once the mode runs it)."""
    name = name or method.__name__
    from ._function_modes import _TENSOR_METHODS_IN_PYTHON

    in_python = name in _TENSOR_METHODS_IN_PYTHON

    # what ferrograd's own code reads of a subclass argument dispatches nothing
    quiet_inside = "." in name or name in _NOT_DISPATCHED_BY_OWN_CLASSES

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        cls = type(self)
        if _disabled() or quiet_inside and _inside_ferrograd(sys._getframe(1)):
            return method(self, *args, **kwargs)
        if current_mode() is not None:
            return _mode_first(name, cls, (self, *args), kwargs or None)
        # while modes are in use Tensor's attribute is their stand-in: `func is Tensor.add` holds
        handed = STANDINS.get(name, method) if STANDINS else method
        if in_python and not cls._fg_own_class:
            return _python_method_call(handed, name, cls, (self, *args), kwargs)
        if args or kwargs:
            types = _types_with_arguments(cls, (self, *args), kwargs)
            if types is not None:
                return _first_of(handed, types, (self, *args), kwargs or None)
        result = torch_function_of(cls, (self,), None)(handed, (cls,), (self, *args), kwargs or None)
        if result is NotImplemented:
            from ._tensor_likes import _declined

            raise _declined(f"ferrograd.Tensor.{method.__name__}", [cls])
        return result

    call._fg_dispatch = True  # type: ignore[attr-defined]
    return call


def _inside_ferrograd(frame) -> bool:
    """Whether `frame` runs ferrograd's own code, which stands for PyTorch's C++ when it
    reads a property or a value of a subclass argument (`other.dtype` in `Tensor.dot`):
    PyTorch's reads dispatch nothing."""
    from ._function_modes import PASSING_CODES

    while frame.f_code in PASSING_CODES:
        frame = frame.f_back
    name = frame.f_globals.get("__name__", "")
    return name.startswith("ferrograd.") or name == "ferrograd"


def _python_method_call(method: Callable, name: str, cls: type, args: tuple, kwargs: dict) -> Any:
    """A Tensor method PyTorch writes in Python (`__rsub__`, `split`, `__repr__`) called on
    a subclass: its `handle_torch_function` hands a keyword dict, every default in it."""
    from ._tensor_likes import _as_python_passes

    if isinstance(method, types.FunctionType):
        args, kwargs = _as_python_passes(method, args, kwargs)
    return _first_of(method, python_method_types(name, cls, args, kwargs), args, dict(kwargs))


def python_method_types(name: str, cls: type, args: tuple, kwargs: dict | None) -> list[type]:
    """The types PyTorch's Python method `name` hands: its operators
    (`_handle_torch_function_and_wrap_type_error_to_not_implemented`) look at every
    operand, Tensor among them; the others at the receiver alone."""
    from ._tensor_likes import _OPERATORS_IN_PYTHON, overriding_types

    if name in _OPERATORS_IN_PYTHON:
        return overriding_types(args, kwargs, with_tensors=True)
    return [cls]


def _mode_first(name: str, cls: type, args: tuple, kwargs: dict | None) -> Any:
    """A subclass's method or property getter (`name`: `T.__get__` for T's) called under a
    mode: the mode is handed Tensor's, as PyTorch's modes see every call first."""
    owner, _, accessor = name.partition(".")
    handed = STANDINS.get(name) or getattr(Tensor, owner)
    if accessor and handed is getattr(Tensor, owner):
        handed = getattr(handed, accessor)
    from ._function_modes import _TENSOR_METHODS_IN_PYTHON

    if name in _TENSOR_METHODS_IN_PYTHON:
        from ._tensor_likes import _as_python_passes

        args, kwargs = _as_python_passes(getattr(Tensor, name), args, kwargs) if isinstance(
            getattr(handed, "__wrapped__", handed), types.FunctionType) else (args, dict(kwargs or {}))
        kinds = tuple(python_method_types(name, cls, args, kwargs))
    else:
        kinds = (cls,)
    result = call_mode(handed, kinds, args, kwargs)
    if result is NotImplemented:
        from ._tensor_likes import _declined

        raise _declined(f"ferrograd.Tensor.{name}", [cls], current_mode())
    return result


def _types_with_arguments(cls: type, args: tuple, kwargs: dict) -> list[type] | None:
    """The overriding types of a call of a subclass's method whose arguments add types to
    the receiver's (PyTorch lists them all, a subclass before its base); None when
    they add none."""
    for value in args:
        if type(value) not in _PLAIN_TYPES and value is not args[0]:
            break
    else:
        if not kwargs:
            return None
    from ._tensor_likes import overriding_types

    types = overriding_types(args, kwargs, subclasses=True)
    return None if types == [cls] else types


def _first_of(method: Callable, types: list[type], args: tuple, kwargs: dict) -> Any:
    from ._tensor_likes import _declined, _first_answer

    result = _first_answer(method, types, args, kwargs)
    if result is NotImplemented:
        raise _declined(f"ferrograd.Tensor.{method.__name__}", types)
    return result


def _dispatching_property(descriptor, name: str, setting: bool = False) -> property:
    """A property (`T`, `dtype`, `grad`, ...) whose getter dispatches, handed as PyTorch's
    `Tensor.T.__get__`; `setting`: its setter and deleter too (`Tensor.grad.__set__`)."""

    _ACCESSOR_NAMES[id(descriptor)] = name

    def setter(self, value) -> None:
        descriptor.__set__(self, value)

    def deleter(self) -> None:
        descriptor.__delete__(self)

    has_setter = getattr(descriptor, "fset", None) is not None or (
        not isinstance(descriptor, property) and hasattr(descriptor, "__set__"))
    getter = _dispatching_method(descriptor.__get__, f"{name}.__get__")
    if setting and has_setter:
        setter = _dispatching_method(descriptor.__set__, f"{name}.__set__")
        deleter = _dispatching_method(descriptor.__delete__, f"{name}.__delete__")
    return property(getter, setter if has_setter else None, deleter if has_setter else None, descriptor.__doc__)


# id() of each Tensor property a subclass dispatches -> its name (the descriptors live as long as Tensor)
_ACCESSOR_NAMES: dict[int, str] = {}


def accessor_name(func: Callable) -> str | None:
    """The Tensor property whose getter `func` is (`Tensor.T.__get__`: 'T'); None for any
    other function."""
    if getattr(func, "__name__", None) != "__get__":
        return None
    return _ACCESSOR_NAMES.get(id(getattr(func, "__self__", None)))


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


def _dispatched_properties() -> list[str]:
    """Tensor's properties whose getters and setters PyTorch hands a subclass."""
    return [name for name, value in vars(Tensor).items()
            if isinstance(value, (property, types.GetSetDescriptorType)) and name != "__dict__"
            and (not name.startswith("_") or name in _DISPATCHED_PRIVATE_PROPERTIES)]


# name -> (Tensor's method, its dispatching wrapper): one wrapper serves every subclass
_method_wrappers: dict[str, tuple[Any, Callable]] = {}


def _wrapper_of(name: str) -> Callable:
    from ._function_modes import _MODE_DUNDERS_AS_THEMSELVES, _MODE_DUNDERS_RENAMED

    method = getattr(Tensor, _OPERATOR_METHODS.get(name) or _MODE_DUNDERS_RENAMED.get(name, name))
    cached = _method_wrappers.get(name)
    if cached is None or cached[0] is not method:
        # a dunder PyTorch hands as itself (`__ipow__`) keeps its name, not its method's (`pow_`)
        handed_as = name if name in _MODE_DUNDERS_AS_THEMSELVES else ""
        cached = _method_wrappers[name] = (method, _dispatching_method(method, handed_as))
    return cached[1]


def _init_subclass(cls, **kwargs) -> None:
    super(Tensor, cls).__init_subclass__(**kwargs)
    # a class made by `type(name, bases, dict)` where no `__name__` is global has no `__module__`
    own_class = cls._fg_own_class = getattr(cls, "__module__", "").partition(".")[0] == "ferrograd"
    if not _dispatches(cls):
        return
    not_dispatched = _NOT_DISPATCHED | _NOT_DISPATCHED_BY_OWN_CLASSES if own_class else _NOT_DISPATCHED
    for name, value in list(vars(Tensor).items()):
        if name in not_dispatched or not callable(value) or (name.startswith("_") and not name.startswith("__")):
            continue
        if name in _CORE_OPERATORS and (type(value).__name__ == "wrapper_descriptor"
                                        or getattr(value, "_fg_core_slot", False)):
            continue
        if not _user_defined(cls, name):
            setattr(cls, name, _wrapper_of(name))
    for name in _VIEW_PROPERTIES if own_class else _dispatched_properties():
        descriptor = vars(Tensor).get(name)
        if descriptor is not None and not _user_defined(cls, name):
            setattr(cls, name, _dispatching_property(descriptor, name, setting=not own_class))
    if not _user_defined(cls, "__iter__"):
        cls.__iter__ = _iterate
    # a class that only its own factories instantiate (MaskedTensor) opens the gates when it
    # makes its first instance, so that importing or naming it costs the functions nothing
    if not getattr(cls, "_fg_wraps_functions_when_instantiated", False):
        start_dispatching()


# argument types that never dispatch: a call whose arguments are all of these is looked at once
# (`never_dispatches` in src/python/fast_function.rs is the same set)
_PLAIN_TYPES = frozenset({Tensor, int, float, bool, complex, str, type(None)})


def _overriding_types(args, kwargs) -> tuple[type, ...]:
    """The dispatching subclasses among the arguments and the tensors of sequence
    arguments (one level deep, as PyTorch looks)."""
    for value in args:
        if type(value) not in _PLAIN_TYPES:
            break
    else:
        if not kwargs:
            return ()
    found: list[type] = []

    def note(value) -> None:
        kind = type(value)
        if kind is not Tensor and isinstance(value, Tensor) and kind not in found and _dispatches(kind):
            found.append(kind)

    for value in (*args, *kwargs.values()) if kwargs else args:
        if isinstance(value, (list, tuple)):
            for item in value:
                note(item)
        else:
            note(value)
    return tuple(found)


def _types_for_mode(func: Callable, types: tuple, args: tuple, kwargs: dict) -> tuple:
    """The types a mode (or a subclass) is handed: a function PyTorch writes in Python
    lists Tensor too when a plain tensor is an argument (its `handle_torch_function` does)."""
    from ._tensor_likes import overriding_types, written_in_python

    if _disabled() or not written_in_python(func):
        return types
    return tuple(overriding_types(args, kwargs, with_tensors=True))


def gate(func: Callable, args: tuple, kwargs: dict) -> Any:
    """`func(*args, **kwargs)` as the current `TorchFunctionMode` or an overriding subclass
    among the arguments answers it (`func`: the public function, as the namespace holds
    it); MISS when none takes the call."""
    if id(func) in _NOT_OVERRIDABLE:
        return MISS
    types = () if _disabled() else _overriding_types(args, kwargs)
    if types and id(func) in _DATA_READERS:
        types = tuple(t for t in types if getattr(t, "_fg_own_class", True))
    # the most derived type's implementation first, as PyTorch orders them
    types = tuple(sorted(types, key=lambda t: -len(t.__mro__)))
    mode = current_mode()
    if mode is None and not types:
        return MISS
    if mode is not None:
        refuse_unparsed(func, args, kwargs)
    args, kwargs = _as_handed(func, args, kwargs)
    if mode is not None:
        result = call_mode(func, _types_for_mode(func, types, args, kwargs), args, kwargs)
        if result is not NotImplemented:
            return result
    if types:
        types = _types_for_mode(func, types, args, kwargs)
    for cls in types:
        result = torch_function_of(cls, args, kwargs)(func, types, args, kwargs)
        if result is not NotImplemented:
            return result
    from ._tensor_likes import refused

    raise refused(func, types, mode, args, kwargs)


def refuse_unparsed(func: Callable, args: tuple, kwargs: dict | None) -> None:
    """Raises PyTorch's parser TypeError for a call of the builtin `func` its parser
    refuses, which PyTorch raises before any mode or tensor-like sees the call."""
    from ._out import takes_numbers_as_tensors
    from ._parser_check import parser_error

    key = getattr(func, "_fg_signature_key", None)
    if key is None or takes_numbers_as_tensors(key):
        return
    from ._function_modes import ModesOff

    # the parser takes a tensor-like for a Tensor: a tensor in its place stands for it; what
    # it reads of the tensors (`dim()`) no mode or subclass sees, as PyTorch's C++ reads them
    with ModesOff(), _DispatchDisabled():
        error = parser_error(key, _tensor_likes_as_tensors(args), dict(zip(kwargs, _tensor_likes_as_tensors(
            kwargs.values()), strict=True)) if kwargs else {})
    if isinstance(error, TypeError):
        raise error


def _tensor_likes_as_tensors(values) -> tuple:
    from ._creation import tensor
    from ._tensor_likes import _overrides

    placeholder = tensor(0.0)

    def stand_in(value):
        if isinstance(value, (list, tuple)):
            return type(value)(placeholder if _overrides(v) else v for v in value)
        return placeholder if _overrides(value) else value

    return tuple(stand_in(v) for v in values)


def _as_handed(func: Callable, args: tuple, kwargs: dict | None) -> tuple[tuple, dict | None]:
    """The arguments as PyTorch hands them to `__torch_function__`: a builtin's keywords as
    given, None for none; a function it writes in Python, every default by keyword."""
    from ._tensor_likes import _as_python_passes, written_in_python

    if written_in_python(func):
        return _as_python_passes(func, args, kwargs)
    return args, kwargs or None


# id() of the settings functions no mode sees (they live as long as their module)
_NOT_OVERRIDABLE: set[int] = set()
# id() of the factories that read their data argument as a Python object (`tensor`,
# `as_tensor`): PyTorch hands them to modes with no types and never to a subclass
_DATA_READERS: set[int] = set()
_DATA_READER_NAMES = frozenset({"tensor", "as_tensor", "asarray"})
# the code of wrappers that call `gate` with themselves first (`_argument_types`' checks)
GATED_CODES: set = set()


def gated_function(fn: Callable, home: str, name: str, **twin: Any) -> Callable:
    """`fn` behind the gate, as the native callable the namespace `home` holds under
    `name`: PyTorch's builtins are one native object each, and a Python wrapper here
    costs a frame per call. `twin`: the Tensor method's path (`_function_fast_path`)."""
    call = _GatedFunction(fn, gate, MISS, home, name, binds=binds_as_method(home, name), **twin)
    functools.update_wrapper(call, fn)  # the name, docs, `__wrapped__` (and so the signature)
    call._fg_dispatch = True  # in its `__dict__`, which wrappers of it copy
    call._fg_signature_key = name if home == "ferrograd" else f"{home.removeprefix('ferrograd.')}.{name}"
    return call


def is_gated(value: Any) -> bool:
    return getattr(value, "_fg_dispatch", False) or getattr(value, "__code__", None) in GATED_CODES


def gate_namespace(namespace: dict, not_overridable: frozenset = SETTINGS_NAMES) -> None:
    """Gives each public function of a module's `namespace` (its globals) a gate, once,
    when the module loads: wraps it unless its outermost wrapper calls `gate` itself.
    `not_overridable`: names whose functions no mode or subclass sees (settings)."""
    for name, value in list(namespace.items()):
        if name.startswith("_") or isinstance(value, (type, types.ModuleType)) or not callable(value):
            continue
        if not isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
            continue
        if name in not_overridable:
            _NOT_OVERRIDABLE.add(id(value))
            continue
        if not is_gated(value):
            value = namespace[name] = gated_function(value, namespace["__name__"], name)
        if name in _DATA_READER_NAMES and namespace["__name__"] == "ferrograd":
            _DATA_READERS.add(id(value))


def start_dispatching() -> None:
    """Opens the gates for good: a dispatching subclass exists."""
    global _subclass_seen
    _subclass_seen = True
    _set_live()


def mode_count_changed(modes_in_use: bool) -> None:
    global _modes_in_use
    _modes_in_use = modes_in_use
    _set_live()


def _set_live() -> None:
    LIVE[0] = _modes_in_use or _subclass_seen
    _set_dispatch_live(_subclass_seen, _modes_in_use)  # the flags the native functions read


def _make_subclass(cls, data: Tensor, require_grad: bool = False) -> Tensor:
    """A `cls` instance sharing `data`'s storage, detached, with `requires_grad` set
    (PyTorch's `Tensor._make_subclass`)."""
    from ._tensor_extras import wrapped_as

    if not (isinstance(cls, type) and issubclass(cls, Tensor)):
        raise TypeError("Creating a Tensor subclass from a class that does not inherit from Tensor is not possible. "
                        "Make sure your class inherits from Tensor.")
    out = wrapped_as(data.detach(), cls)
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
    # PyTorch's unary operators are the methods themselves (`Tensor.__neg__ is Tensor.neg`)
    Tensor.__neg__, Tensor.__abs__, Tensor.__pos__ = Tensor.neg, Tensor.abs, Tensor.positive
    from . import _inplace_pow

    _inplace_pow.install()
    Tensor.__torch_function__ = classmethod(_default_torch_function)
    Tensor.__init_subclass__ = classmethod(_init_subclass)
    Tensor._make_subclass = staticmethod(_make_subclass)
    Tensor.__torch_dispatch__ = staticmethod(_disabled_torch_dispatch_impl)
