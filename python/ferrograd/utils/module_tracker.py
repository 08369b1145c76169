"""`ModuleTracker`: which modules are running now, forward or backward, as PyTorch's
`torch.utils.module_tracker`."""

from __future__ import annotations

import logging
import weakref
from typing import Self

from .. import _after_backward
from .._core import Tensor
from ..autograd.graph import register_multi_grad_hook
from ..nn.modules.module import register_module_forward_hook, register_module_forward_pre_hook
from ._pytree import tree_flatten

logger = logging.getLogger(__name__)

__all__ = ["ModuleTracker"]


class ModuleTracker:
    """A context manager that keeps `parents`, the set of the names of the modules whose
    forward (or backward) is running now, "Global" always included. A module is named by
    its path from the first module seen above it ("Net.encoder.0"; a module called on its
    own is named by its class). `is_bw` tells whether a backward pass is running; after a
    backward, `parents` is reset to {"Global"}.
    """

    parents: set[str]

    def __init__(self) -> None:
        self.parents = {"Global"}
        self._known_modules: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._seen_modules: weakref.WeakSet = weakref.WeakSet()
        self._has_callback = False
        self._hooks: list = []

    def _reset_after_backward(self) -> None:
        if self._has_callback:
            return

        def reset() -> None:
            self.parents = {"Global"}
            self._has_callback = False

        _after_backward.queue().append(reset)
        self._has_callback = True

    @property
    def is_bw(self) -> bool:
        """Whether a backward pass is running now."""
        return _after_backward.in_backward()

    def _name(self, mod) -> str:
        if mod not in self._known_modules:
            self._known_modules[mod] = type(mod).__name__
        name = self._known_modules[mod]
        if mod not in self._seen_modules:
            for child_name, child in mod.named_children():
                self._known_modules[child] = f"{name}.{child_name}"
                self._name(child)
            self._seen_modules.add(mod)
        return name

    def _enter(self, name: str, is_bw: bool):
        def enter(*args) -> None:
            if is_bw:
                self._reset_after_backward()
            if name in self.parents:
                logger.info("The module hierarchy tracking seems to be broken as this Module was already "
                            "entered. %s during %s", name, "backward" if is_bw else "forward")
            self.parents.add(name)

        return enter

    def _leave(self, name: str, is_bw: bool):
        def leave(*args) -> None:
            if name in self.parents:
                self.parents.remove(name)
            else:
                logger.info("The Module hierarchy tracking is confused as we're exiting a Module that was "
                            "never entered. %s during %s", name, "backward" if is_bw else "forward")

        return leave

    def _hook_grads_of(self, values, on_grads) -> None:
        # A module's backward begins when its outputs' gradients are computed and ends when
        # its inputs' are. PyTorch waits for all of them ("all" mode, during the pass); our
        # "all" mode reports after the pass, so the first gradient decides ("any" mode), the
        # same for modules of one input and one output.
        tensors = [a for a in tree_flatten(values)[0] if isinstance(a, Tensor) and a.requires_grad]
        if tensors:
            self._hooks.append(register_multi_grad_hook(tensors, on_grads, mode="any"))

    def _fw_pre_hook(self, mod, input) -> None:
        name = self._name(mod)
        self._enter(name, False)()
        self._hook_grads_of(input, self._leave(name, True))

    def _fw_post_hook(self, mod, input, output) -> None:
        name = self._name(mod)
        self._leave(name, False)()
        self._hook_grads_of(output, self._enter(name, True))

    def __enter__(self) -> Self:
        self._fw_pre_handle = register_module_forward_pre_hook(self._fw_pre_hook)
        self._fw_post_handle = register_module_forward_hook(self._fw_post_hook)
        return self

    def __exit__(self, *args) -> None:
        self._fw_pre_handle.remove()
        self._fw_post_handle.remove()
        for hook in self._hooks:
            hook.remove()
        self._hooks.clear()
