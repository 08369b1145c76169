"""Optimizer hooks as PyTorch has them: per-optimizer step / state_dict / load_state_dict
pre- and post-hooks, and the global step hooks of every optimizer."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from itertools import chain
from typing import Any

from ..autograd.profiler import record_function
from ..nn.modules.module import RemovableHandle

__all__ = ["OptimizerHooks", "register_optimizer_step_post_hook", "register_optimizer_step_pre_hook"]

_global_optimizer_pre_hooks: OrderedDict[int, Callable] = OrderedDict()
_global_optimizer_post_hooks: OrderedDict[int, Callable] = OrderedDict()


def register_optimizer_step_pre_hook(hook: Callable) -> RemovableHandle:
    """`hook(optimizer, args, kwargs)` runs before every optimizer's `step` (it may return new (args, kwargs))."""
    handle = RemovableHandle(_global_optimizer_pre_hooks)
    _global_optimizer_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook: Callable) -> RemovableHandle:
    """`hook(optimizer, args, kwargs)` runs after every optimizer's `step`."""
    handle = RemovableHandle(_global_optimizer_post_hooks)
    _global_optimizer_post_hooks[handle.id] = hook
    return handle


def _add(hooks: OrderedDict, hook: Callable, prepend: bool) -> RemovableHandle:
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


class OptimizerHooks:
    """The hook registries and the `step` wrapper; `Optimizer` derives from this."""

    # hook(optimizer, args, kwargs) -> None or (new_args, new_kwargs); hook(optimizer, args, kwargs) -> None
    OptimizerPreHook = Callable[[Any, tuple, dict], tuple[tuple, dict] | None]
    OptimizerPostHook = Callable[[Any, tuple, dict], None]

    _optimizer_step_pre_hooks: OrderedDict[int, Callable]
    _optimizer_step_post_hooks: OrderedDict[int, Callable]
    _optimizer_state_dict_pre_hooks: OrderedDict[int, Callable]
    _optimizer_state_dict_post_hooks: OrderedDict[int, Callable]
    _optimizer_load_state_dict_pre_hooks: OrderedDict[int, Callable]
    _optimizer_load_state_dict_post_hooks: OrderedDict[int, Callable]

    def _init_hooks(self) -> None:
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        self._patch_step_function()

    def _ensure_hooks(self) -> None:
        """Optimizers restored by pickling from an older layout get empty registries."""
        if "_optimizer_step_pre_hooks" not in self.__dict__:
            self._init_hooks()

    def _patch_step_function(self) -> None:
        self._zero_grad_profile_name = f"Optimizer.zero_grad#{self.__class__.__name__}.zero_grad"
        cls = self.__class__
        step = getattr(cls, "step")  # noqa: B009 (defined by Optimizer, not by this mixin)
        if not getattr(step, "hooked", None):
            wrapped = self.profile_hook_step(step)
            wrapped.hooked = True  # type: ignore[attr-defined]
            setattr(cls, "step", wrapped)  # noqa: B010

    @staticmethod
    def profile_hook_step(func: Callable) -> Callable:
        """Wraps a `step` so that the global and per-optimizer step hooks run around it."""

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            self = args[0]
            self._ensure_hooks()
            # the step's range in a profile, named as PyTorch names it
            with record_function(f"Optimizer.step#{self.__class__.__name__}.step"):
                for pre_hook in chain(_global_optimizer_pre_hooks.values(), self._optimizer_step_pre_hooks.values()):
                    result = pre_hook(self, args, kwargs)
                    if result is not None:
                        if isinstance(result, tuple) and len(result) == 2:
                            args, kwargs = result
                        else:
                            raise RuntimeError(
                                f"{func} must return None or a tuple of (new_args, new_kwargs), but got {result}."
                            )
                out = func(*args, **kwargs)
                self._optimizer_step_code()
                for post_hook in chain(self._optimizer_step_post_hooks.values(),
                                       _global_optimizer_post_hooks.values()):
                    post_hook(self, args, kwargs)
                return out

        return wrapper

    def _optimizer_step_code(self) -> None:
        """Entry point for profilers, called after each `step` (empty, as in PyTorch)."""

    def register_step_pre_hook(self, hook: Callable) -> RemovableHandle:
        """`hook(optimizer, args, kwargs)` before this optimizer's `step`; may return new (args, kwargs)."""
        self._ensure_hooks()
        return _add(self._optimizer_step_pre_hooks, hook, False)

    def register_step_post_hook(self, hook: Callable) -> RemovableHandle:
        """`hook(optimizer, args, kwargs)` after this optimizer's `step`."""
        self._ensure_hooks()
        return _add(self._optimizer_step_post_hooks, hook, False)

    def register_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """`hook(optimizer)` before `state_dict()` builds its dict."""
        self._ensure_hooks()
        return _add(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """`hook(optimizer, state_dict)` after `state_dict()`; a returned dict replaces it."""
        self._ensure_hooks()
        return _add(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """`hook(optimizer, state_dict)` before `load_state_dict`; a returned dict is loaded instead."""
        self._ensure_hooks()
        return _add(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """`hook(optimizer)` after `load_state_dict`."""
        self._ensure_hooks()
        return _add(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    def _run_state_dict_pre_hooks(self) -> None:
        self._ensure_hooks()
        for hook in self._optimizer_state_dict_pre_hooks.values():
            hook(self)

    def _run_state_dict_post_hooks(self, state_dict: dict[str, Any]) -> dict[str, Any]:
        for hook in self._optimizer_state_dict_post_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def _run_load_state_dict_pre_hooks(self, state_dict: dict[str, Any]) -> dict[str, Any]:
        self._ensure_hooks()
        for hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def _run_load_state_dict_post_hooks(self) -> None:
        for hook in self._optimizer_load_state_dict_post_hooks.values():
            hook(self)
