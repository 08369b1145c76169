"""`ferrograd.overrides`: PyTorch's helpers for `__torch_function__` (Python API overrides).

`has_torch_function*` tell whether arguments take over a call; `handle_torch_function`
hands the call to them (and to an active `TorchFunctionMode` first);
`wrap_torch_function` does both for a function of yours. `TorchFunctionMode` sees every
call of a `ferrograd`, `ferrograd.nn.functional`, `linalg`, `fft` or `special` function
made while it is active (but the settings and queries among `get_ignored_functions()`),
and the calls of Tensor methods and operators. `get_overridable_functions`,
`get_ignored_functions` and `get_testing_overrides` list what ferrograd has of PyTorch's
sets (`get_testing_overrides` gives each function a dummy `lambda *args, **kwargs: -1`).
`enable_reentrant_dispatch` refuses to enter, as PyTorch's does outside a
`__torch_dispatch__` (ferrograd has no dispatcher below Python)."""

from __future__ import annotations

import collections
import contextlib
import functools
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from . import _function_modes
from ._core import Tensor
from ._function_modes import current_mode, mode_stack
from ._subclass_dispatch import SETTINGS_NAMES, _disabled, _disabled_torch_function_impl

__all__ = [
    "BaseTorchFunctionMode",
    "TorchFunctionMode",
    "enable_reentrant_dispatch",
    "get_default_nowrap_functions",
    "get_ignored_functions",
    "get_overridable_functions",
    "get_testing_overrides",
    "handle_torch_function",
    "has_torch_function",
    "has_torch_function_unary",
    "has_torch_function_variadic",
    "is_tensor_like",
    "is_tensor_method_or_property",
    "resolve_name",
    "wrap_torch_function",
]

_NAMESPACES = ("ferrograd", "ferrograd.nn.functional", "ferrograd.linalg", "ferrograd.fft", "ferrograd.special")
_FACTORY_NAMES = (
    "can_cast", "promote_types", "result_type", "from_numpy", "frombuffer", "as_tensor", "tensor", "asarray",
    "empty", "empty_strided", "zeros", "ones", "full", "arange", "range", "linspace", "logspace", "eye", "rand",
    "randn", "randint", "randperm", "tril_indices", "triu_indices", "hann_window", "hamming_window",
    "bartlett_window", "blackman_window", "kaiser_window", "cudnn_convolution",
)

# settings PyTorch writes as plain Python functions: no mode sees them, and
# `get_ignored_functions` does not list them either
_PLAIN_PYTHON_NAMES = frozenset({"set_default_dtype", "compiled_with_cxx11_abi"})


# ---- does an argument take the call? -----------------------------------------------------------
def _overloads(value: Any) -> bool:
    """An argument other than a plain Tensor (or Parameter) whose type has its own
    `__torch_function__` (none while `DisableTorchFunctionSubclass` is active)."""
    kind = type(value)
    if kind is Tensor or _disabled():
        return False
    impl = getattr(kind, "__torch_function__", None)
    return impl is not None and getattr(impl, "__func__", impl) is not _disabled_torch_function_impl


def has_torch_function(relevant_args: Iterable[Any]) -> bool:
    """Whether a mode is active or an argument (not a plain Tensor or Parameter)
    defines `__torch_function__`.

    Args:
        relevant_args: the arguments to check.
    """
    try:
        relevant_args = tuple(relevant_args)
    except TypeError:
        raise TypeError("expected a sequence") from None
    return current_mode() is not None or any(_overloads(a) for a in relevant_args)


def has_torch_function_unary(obj: Any) -> bool:
    """`has_torch_function((obj,))`."""
    return current_mode() is not None or _overloads(obj)


def has_torch_function_variadic(*args: Any) -> bool:
    """`has_torch_function(args)`."""
    return has_torch_function(args)


def is_tensor_like(inp: Any) -> bool:
    """Whether `inp` is a Tensor or has a `__torch_function__` (a type counts too)."""
    return type(inp) is Tensor or hasattr(inp, "__torch_function__")


def _get_overloaded_args(relevant_args: Iterable[Any]) -> list:
    """The arguments whose type defines `__torch_function__`, one per type, a subclass
    before its base, else in order (plain tensors included, as PyTorch's)."""
    types: set = set()
    found: list = []
    for arg in relevant_args:
        kind = type(arg)
        impl = getattr(kind, "__torch_function__", None)
        if kind in types or impl is None or getattr(impl, "__func__", impl) is _disabled_torch_function_impl:
            continue
        types.add(kind)
        index = next((i for i, old in enumerate(found) if issubclass(kind, type(old))), len(found))
        found.insert(index, arg)
    return found


def handle_torch_function(public_api: Callable, relevant_args: Iterable[Any], *args, **kwargs) -> Any:
    """The result of the active mode's, else the first overriding argument's,
    `__torch_function__(public_api, types, args, kwargs)` that is not NotImplemented.

    Args:
        public_api: the function called (what the implementations are handed).
        relevant_args: the arguments that may override it.
        *args: the call's positional arguments.
        **kwargs: the call's keyword arguments.

    Raises:
        TypeError: every implementation returned NotImplemented.
    """
    overloaded_args = _get_overloaded_args(relevant_args)
    types = tuple(type(a) for a in overloaded_args)
    if current_mode() is not None:
        with _pop_mode_temporarily() as mode:
            result = mode.__torch_function__(public_api, types, args, kwargs)
        if result is not NotImplemented:
            return result
    for arg in overloaded_args:
        result = arg.__torch_function__(public_api, types, args, kwargs)
        if result is not NotImplemented:
            return result
    func_name = f"{public_api.__module__}.{public_api.__name__}"
    message = (f"no implementation found for '{func_name}' on types that implement __torch_function__: "
               f"{[type(a) for a in overloaded_args]}")
    if current_mode() is not None:
        message += f" nor in mode {current_mode()}"
    raise TypeError(message)


def wrap_torch_function(dispatcher: Callable) -> Callable:
    """A decorator: the function hands its calls to `handle_torch_function` when the
    arguments `dispatcher(*args, **kwargs)` picks override it.

    Args:
        dispatcher: takes the function's arguments, returns the relevant ones.
    """

    def inner(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapped(*args, **kwargs):
            relevant_args = dispatcher(*args, **kwargs)
            if has_torch_function(relevant_args):
                return handle_torch_function(wrapped, relevant_args, *args, **kwargs)
            return func(*args, **kwargs)

        return wrapped

    return inner


# ---- modes ---------------------------------------------------------------------------------------
class TorchFunctionMode:
    """While active (`with MyMode():`), every ferrograd function call and Tensor method
    call is handed to `__torch_function__(func, types, args, kwargs)`; inside it the mode
    is off, so calling `func(*args, **kwargs)` runs the function (or the next mode)."""

    inner: TorchFunctionMode

    def __init__(self) -> None:
        pass

    def __torch_function__(self, func, types, args=(), kwargs=None):
        raise NotImplementedError

    def __enter__(self):
        _function_modes.enter(self)
        return self

    def __exit__(self, exc_type, exc_val, exc_tb) -> None:
        _function_modes.exit_(self)

    @classmethod
    def push(cls, *args, **kwargs):
        warnings.warn("`Mode.push()` is no longer necessary and can be replaced with just `with Mode()`",
                      stacklevel=2)
        return cls(*args, **kwargs)


class BaseTorchFunctionMode(TorchFunctionMode):
    """A mode that runs every function unchanged: subclass it to override a few."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        return func(*args, **({} if kwargs is None else kwargs))


def _get_current_function_mode():
    return current_mode()


def _get_current_function_mode_stack() -> list:
    return list(mode_stack())


def _is_torch_function_mode_enabled() -> bool:
    return current_mode() is not None


def _len_torch_function_stack() -> int:
    return len(mode_stack())


def _push_mode(mode: TorchFunctionMode) -> None:
    _function_modes.enter(mode)


def _pop_mode() -> TorchFunctionMode:
    return _function_modes.exit_()


@contextlib.contextmanager
def _pop_mode_temporarily() -> Iterator[TorchFunctionMode]:
    old = _function_modes.pop_mode()  # out of sight meanwhile, as the mode itself is while it runs
    try:
        yield old
    finally:
        _function_modes.push_mode(old)


# ---- what can be overridden ---------------------------------------------------------------------
def _namespaces() -> list:
    import ferrograd.fft
    import ferrograd.linalg
    import ferrograd.nn.functional
    import ferrograd.special  # noqa: F401

    return [sys.modules[name] for name in _NAMESPACES]


def _public_functions(module) -> Iterator[Callable]:
    for name in dir(module):
        value = getattr(module, name, None)
        if name.startswith("_") or isinstance(value, type) or not callable(value):
            continue
        if type(value).__name__ == "module" or getattr(value, "__module__", "") == "typing":
            continue
        yield value


def get_ignored_functions() -> set:
    """The public functions that cannot be overridden (they take no tensor to dispatch on)."""
    package = sys.modules["ferrograd"]
    names = (*(SETTINGS_NAMES - _PLAIN_PYTHON_NAMES), *_FACTORY_NAMES)
    ignored = {getattr(package, name) for name in names if callable(getattr(package, name, None))}
    ignored.update(getattr(Tensor, name) for name in ("__new__", "__init_subclass__", "__subclasshook__",
                                                          "as_subclass", "_make_subclass", "__torch_function__"))
    return ignored


def get_overridable_functions() -> dict:
    """{namespace: its functions that `__torch_function__` can override}, Tensor's
    methods under `ferrograd.Tensor`."""
    ignored = get_ignored_functions()
    out: dict = collections.defaultdict(list)
    for module in _namespaces():
        out[module] = [f for f in _public_functions(module) if f not in ignored]
    methods = []
    for name, value in vars(Tensor).items():
        if name in ("__new__", "__init_subclass__", "__torch_function__", "__class__", "__dict__", "__doc__"):
            continue
        if isinstance(value, property) or hasattr(value, "__get__") and not callable(value):
            methods.append(value.__get__)
        elif callable(value) and value not in ignored:
            methods.append(getattr(Tensor, name))
    out[Tensor] = methods
    return out


def get_default_nowrap_functions() -> set:
    """The getters the default `Tensor.__torch_function__` leaves unwrapped (they hand back
    a tensor stored on the tensor, whose identity must hold: `a.grad is a.grad`)."""
    return {Tensor._base.__get__, Tensor.grad.__get__, Tensor._grad.__get__}


@contextlib.contextmanager
def enable_reentrant_dispatch() -> Iterator[None]:
    """PyTorch's context for re-entering its dispatcher from a `__torch_dispatch__`, which
    ferrograd has none of: entered anywhere else it is PyTorch's RuntimeError."""
    raise RuntimeError("Accessing torch dispatch state outside of '__torch_dispatch__' is not allowed.")
    yield  # a generator, for contextmanager


def is_tensor_method_or_property(func: Callable) -> bool:
    """Whether `func` is a Tensor method or a property getter (`Tensor.shape.__get__`)."""
    return func in get_overridable_functions()[Tensor] or getattr(func, "__name__", None) == "__get__"


def get_testing_overrides() -> dict:
    """{overridable function: a dummy of it returning -1}, for testing overrides."""
    return {f: (lambda *args, **kwargs: -1) for fs in get_overridable_functions().values() for f in fs}


def resolve_name(f: Callable) -> str | None:
    """The public name of a function (`"ferrograd.add"`, `"ferrograd.Tensor.add"`), or None."""
    if getattr(f, "__name__", None) == "__get__":
        owner = getattr(f, "__self__", None)
        for name, value in vars(Tensor).items():
            if value is owner:
                return f"ferrograd.Tensor.{name}.__get__"
        return None
    name = getattr(f, "__name__", None)
    if name is None:
        return None
    from ._native_names import public_name

    native = public_name(getattr(f, "__module__", None) or "", name)  # linalg_norm of ferrograd._C._linalg
    if native is not None:
        return native
    if getattr(Tensor, name, None) is f:
        return f"ferrograd.Tensor.{name}"
    for namespace in _NAMESPACES:
        if getattr(sys.modules.get(namespace), name, None) is f:
            return f"{namespace}.{name}"
    return None
