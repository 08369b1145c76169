"""PyTorch's global registration hooks (`register_module_buffer_registration_hook` and
its module and parameter kin, functions of `torch.nn.modules.module`): each runs when
any module registers a buffer, child module or parameter, and may replace it."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

__all__ = [
    "register_module_buffer_registration_hook",
    "register_module_module_registration_hook",
    "register_module_parameter_registration_hook",
]

buffer_hooks: OrderedDict = OrderedDict()
module_hooks: OrderedDict = OrderedDict()
parameter_hooks: OrderedDict = OrderedDict()


def _register(hooks: OrderedDict, hook):
    from ...utils.hooks import RemovableHandle

    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    return handle


def register_module_buffer_registration_hook(hook):
    """Registers `hook(module, name, buffer)`, called when any module registers a buffer;
    a value it returns is registered instead.

    Args:
        hook: the hook.

    Returns:
        A handle whose `remove()` unregisters the hook.
    """
    return _register(buffer_hooks, hook)


def register_module_module_registration_hook(hook):
    """Registers `hook(module, name, submodule)`, called when any module registers a
    child module; a value it returns is registered instead.

    Args:
        hook: the hook.

    Returns:
        A handle whose `remove()` unregisters the hook.
    """
    return _register(module_hooks, hook)


def register_module_parameter_registration_hook(hook):
    """Registers `hook(module, name, param)`, called when any module registers a
    parameter (not None); a value it returns is registered instead.

    Args:
        hook: the hook.

    Returns:
        A handle whose `remove()` unregisters the hook.
    """
    return _register(parameter_hooks, hook)


def run(hooks: OrderedDict, module, name: str, value: Any) -> Any:
    """`value` as the hooks leave it, each seeing the previous one's replacement."""
    for hook in hooks.values():
        output = hook(module, name, value)
        if output is not None:
            value = output
    return value
