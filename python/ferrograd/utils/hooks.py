"""`ferrograd.utils.hooks`: the handle every `register_*_hook` returns, as PyTorch's.

Tensor and graph-node hooks live in the Rust core and return its own handle class (also
named `ferrograd.utils.hooks.RemovableHandle`); it is registered here as a virtual
subclass, so `isinstance(handle, RemovableHandle)` holds for every hook handle."""

from __future__ import annotations

import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Self

from .. import _core

__all__ = ["RemovableHandle", "unserializable_hook", "warn_if_has_hooks"]


def __getattr__(name: str) -> Any:
    if name == "BackwardHook":  # defined with the module machinery, which imports this module
        from ..nn.modules._backward_hooks import BackwardHook

        return BackwardHook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _ref(d: Any) -> Callable[[], Any]:
    """A weak reference to `d` where its type allows one (OrderedDict), else a strong one."""
    try:
        return weakref.ref(d)
    except TypeError:
        return lambda: d


class _HandleMeta(type):
    """Counts the core's hook handles as instances (and the class as a subclass)."""

    def __instancecheck__(cls, obj: object) -> bool:
        return type.__instancecheck__(cls, obj) or isinstance(obj, _core.RemovableHandle)

    def __subclasscheck__(cls, other: type) -> bool:
        return type.__subclasscheck__(cls, other) or issubclass(other, _core.RemovableHandle)


class RemovableHandle(metaclass=_HandleMeta):
    """Removes a hook from `hooks_dict` (and from each `extra_dict`) by its id.

    Args:
        hooks_dict: the dict of hooks by id; held weakly where it can be.
        extra_dict: a dict or a list of dicts whose entry under the same id goes too.
    """

    id: int
    next_id: int = 0

    def __init__(self, hooks_dict: Any, *, extra_dict: Any = None) -> None:
        self.hooks_dict_ref = _ref(hooks_dict)
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        extras = [extra_dict] if isinstance(extra_dict, dict) else (extra_dict or [])
        self.extra_dict_ref: tuple = tuple(_ref(d) for d in extras)

    def remove(self) -> None:
        """Unregisters the hook; a second call does nothing."""
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            d = ref()
            if d is not None:
                d.pop(self.id, None)

    def __getstate__(self):
        return (self.hooks_dict_ref(), self.id, tuple(ref() for ref in self.extra_dict_ref))

    def __setstate__(self, state) -> None:
        self.hooks_dict_ref = _ref(OrderedDict() if state[0] is None else state[0])
        self.id = state[1]
        RemovableHandle.next_id = max(RemovableHandle.next_id, self.id + 1)
        extras = state[2] if len(state) > 2 and state[2] is not None else ()
        self.extra_dict_ref = tuple(_ref(d) for d in extras)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *args: object) -> None:
        self.remove()


def unserializable_hook(f: Callable) -> Callable:
    """Marks `f` as a hook that `warn_if_has_hooks` need not warn about.

    Args:
        f: the hook.
    """
    f.__torch_unserializable__ = True  # type: ignore[attr-defined]
    return f


def warn_if_has_hooks(tensor: Any) -> None:
    """Warns, per backward hook of `tensor` not marked `unserializable_hook`, that
    serializing the tensor drops it.

    Args:
        tensor: a tensor.
    """
    for hook in (getattr(tensor, "_backward_hooks", None) or {}).values():
        if not hasattr(hook, "__torch_unserializable__"):
            warnings.warn(
                f"backward hook {hook!r} on tensor will not be serialized.  If this is "
                "expected, you can decorate the function with @ferrograd.utils.hooks.unserializable_hook "
                "to suppress this warning",
                stacklevel=2,
            )
