"""Tensor's private attributes that code written for PyTorch reads: `_backward_hooks`
and `_post_accumulate_grad_hooks` (None until a hook is registered, then an OrderedDict
of the hooks by handle id), `_grad`, `_grad_fn`, `_cdata`, `_is_zerotensor()`, `_use_count()`.

The hooks themselves live in the Rust core; the dicts list them for reading. A handle's
`remove()` takes the hook out of both. Assigning to `_backward_hooks` changes only the
listing (PyTorch re-registers the hooks of the new dict)."""

from __future__ import annotations

import functools
from collections import OrderedDict

from . import _core, _tensor_api
from ._core import Tensor

_core_register_hook = Tensor.register_hook


class _CoreHook:
    """Looks like a hook dict to `RemovableHandle`: popping it removes the core's hook.
    Slotted without `__weakref__`, so the handle holds it strongly."""

    __slots__ = ("handle",)

    def __init__(self, handle) -> None:
        self.handle = handle

    def pop(self, key, default=None):
        self.handle.remove()
        return default


def _listed(tensor: Tensor, attr: str, hook, core_handle):
    from .utils.hooks import RemovableHandle  # on first use: `import ferrograd` stays light

    hooks = tensor.__dict__.get(attr)
    if hooks is None:
        hooks = tensor.__dict__[attr] = OrderedDict()
    handle = RemovableHandle(hooks, extra_dict=[_CoreHook(core_handle)])
    hooks[handle.id] = hook
    return handle


@functools.wraps(_core_register_hook)
def _register_hook(self: Tensor, hook):
    return _listed(self, "_backward_hooks", hook, _core_register_hook(self, hook))


@functools.wraps(_tensor_api._register_post_accumulate_grad_hook)
def _register_post_accumulate_grad_hook(self: Tensor, hook):
    core_handle = _tensor_api._register_post_accumulate_grad_hook(self, hook)
    return _listed(self, "_post_accumulate_grad_hooks", hook, core_handle)


def _set_grad_fn(self: Tensor, value) -> None:
    if value is not None:
        raise RuntimeError("_grad_fn can be only set to None")
    self.detach_()


def _refuse_grad_fn_deletion(self: Tensor) -> None:
    raise RuntimeError("Deletion of _grad_fn not allowed. Detach tensor instead!")


def _refuse_hooks_deletion(self: Tensor) -> None:
    raise RuntimeError("Deletion of _backwards_hooks not allowed!")


def _set_backward_hooks(self: Tensor, hooks) -> None:
    self.__dict__["_backward_hooks"] = hooks


def install() -> None:
    # the instance's dict holds the hooks once it has some; deleting them is refused
    Tensor._backward_hooks = property(lambda self: self.__dict__.get("_backward_hooks"), _set_backward_hooks,
                                      _refuse_hooks_deletion, "The tensor's hooks by handle id, or None.")
    Tensor._post_accumulate_grad_hooks = None
    Tensor.register_hook = _register_hook
    Tensor.register_post_accumulate_grad_hook = _register_post_accumulate_grad_hook
    Tensor._grad_fn = property(lambda self: self.grad_fn, _set_grad_fn, _refuse_grad_fn_deletion,
                               "`.grad_fn`; setting None detaches the tensor in place.")
    Tensor._grad = vars(Tensor)["grad"]  # the same descriptor: its warning points at the caller
    Tensor._cdata = property(lambda self: id(self), None, None, "An integer that identifies the tensor object.")
    Tensor._is_zerotensor = lambda self: False
    Tensor._use_count = lambda self: _core._use_count(self)

