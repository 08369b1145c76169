"""Hooks for every module (`register_module_forward_hook` and friends, PyTorch's
`torch.nn.modules.module` functions): each call of any module runs them before the
module's own hooks of the same kind."""

from __future__ import annotations

from collections import OrderedDict

__all__ = [
    "register_module_backward_hook",
    "register_module_forward_hook",
    "register_module_forward_pre_hook",
    "register_module_full_backward_hook",
    "register_module_full_backward_pre_hook",
]

forward_pre_hooks: OrderedDict = OrderedDict()
forward_hooks: OrderedDict = OrderedDict()
forward_hooks_with_kwargs: dict = {}
forward_hooks_always_called: dict = {}
backward_pre_hooks: OrderedDict = OrderedDict()
backward_hooks: OrderedDict = OrderedDict()
# whether `backward_hooks` holds full hooks (True), non-full ones (False), or none yet
is_full_backward_hook: bool | None = None


def _handle(hooks: OrderedDict, hook, extra_dict=None):
    from .module import RemovableHandle

    handle = RemovableHandle(hooks, extra_dict=extra_dict)
    hooks[handle.id] = hook
    return handle


def register_module_forward_pre_hook(hook):
    """Registers `hook(module, args)`, called before the `forward` of every module.

    Args:
        hook: may return new args (a tuple, or one value).

    Returns:
        A handle whose `remove()` unregisters the hook.
    """
    return _handle(forward_pre_hooks, hook)


def register_module_forward_hook(hook, *, with_kwargs: bool = False, always_call: bool = False):
    """Registers `hook(module, args, output)`, called after the `forward` of every module.

    Args:
        hook: may return a new output.
        with_kwargs: call `hook(module, args, kwargs, output)` instead.
        always_call: also run when the call raises.

    Returns:
        A handle whose `remove()` unregisters the hook.
    """
    handle = _handle(forward_hooks, hook, extra_dict=[forward_hooks_with_kwargs, forward_hooks_always_called])
    if with_kwargs:
        forward_hooks_with_kwargs[handle.id] = True
    if always_call:
        forward_hooks_always_called[handle.id] = True
    return handle


def register_module_full_backward_pre_hook(hook):
    """Registers `hook(module, grad_output)`, called for every module once the gradients
    with respect to its outputs are known; it may return new grad_output.

    Args:
        hook: the hook.

    Returns:
        A handle whose `remove()` unregisters the hook.
    """
    return _handle(backward_pre_hooks, hook)


def _claim_backward_hooks(full: bool) -> None:
    global is_full_backward_hook
    if is_full_backward_hook is (not full):
        raise RuntimeError(
            "Cannot use both regular backward hooks and full backward hooks as a global Module hook. "
            "Please use only one of them."
        )
    is_full_backward_hook = full


def register_module_full_backward_hook(hook):
    """Registers `hook(module, grad_input, grad_output)`, called for every module once
    the gradients with respect to its inputs are known; it may return new grad_input.

    Args:
        hook: the hook.

    Returns:
        A handle whose `remove()` unregisters the hook.
    """
    _claim_backward_hooks(full=True)
    return _handle(backward_hooks, hook)


def register_module_backward_hook(hook):
    """Registers `hook(module, grad_input, grad_output)` for every module, as
    `Module.register_backward_hook` (deprecated in PyTorch for
    `register_module_full_backward_hook`).

    Args:
        hook: the hook.

    Returns:
        A handle whose `remove()` unregisters the hook.
    """
    _claim_backward_hooks(full=False)
    return _handle(backward_hooks, hook)


def run_always_called_hooks(module, args: tuple, kwargs: dict, result, called: set) -> None:
    """After a call of `module` raised: the `always_call` forward hooks not run yet, the
    global ones first, each failure only warned about (the call's error is what raises)."""
    import warnings

    shared = [(i, h, False, "global module") for i, h in forward_hooks.items() if i in forward_hooks_always_called]
    own = [(i, h, i in module._forward_hooks_with_kwargs, "module") for i, h in module._forward_hooks.items()
           if i in module._forward_hooks_always_called]
    for hook_id, hook, with_kwargs, kind in [*shared, *own]:
        if hook_id in called:
            continue
        try:
            hook_result = hook(module, args, kwargs, result) if with_kwargs else hook(module, args, result)
        except Exception as e:  # noqa: BLE001  (any failure of the hook is only warned about)
            warnings.warn(f"{kind} forward hook with ``always_call=True`` raised an exception that was silenced as "
                          f"another error was raised in forward: {e}", stacklevel=4)
            continue
        if hook_result is not None:
            result = hook_result
