"""Saved-tensor hooks (`autograd.graph.saved_tensors_hooks`, `save_on_cpu`,
`disable_saved_tensors_hooks`) and `register_multi_grad_hook`."""

from __future__ import annotations

import threading

from .. import _after_backward, _core
from .._backward_python_errors import remembering
from .._core import Tensor

_state = threading.local()


def _disabled_message() -> str | None:
    return getattr(_state, "disabled", None)


def _hooks_active() -> int:
    """How many `saved_tensors_hooks` blocks this thread is inside."""
    return getattr(_state, "depth", 0)


class saved_tensors_hooks:
    """Context manager: every tensor an op saves for backward while it is active is
    passed to `pack_hook`, the graph keeps what that returns, and backward gets the
    tensor back from `unpack_hook(packed)`.

    Args:
        pack_hook: called with the tensor to save (in no-grad mode); returns anything.
        unpack_hook: called with what `pack_hook` returned; must return a tensor.
    """

    def __init__(self, pack_hook, unpack_hook) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self):
        message = _disabled_message()
        if message is not None:
            raise RuntimeError(message)
        _core._push_saved_tensors_hooks(self.pack_hook, remembering(self.unpack_hook))
        _state.depth = _hooks_active() + 1
        return self

    def __exit__(self, *exc) -> None:
        _core._pop_saved_tensors_hooks()
        _state.depth = _hooks_active() - 1


class save_on_cpu(saved_tensors_hooks):
    """Saved tensors kept in CPU memory (where ferrograd's tensors already are).

    Args:
        pin_memory: accepted for PyTorch compatibility (no effect on the CPU).
        device_type: accepted for PyTorch compatibility.
    """

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        def pack_to_cpu(tensor):
            return (tensor.device, tensor.cpu())

        def unpack_from_cpu(packed):
            device, tensor = packed
            return tensor.to(device)

        super().__init__(pack_to_cpu, unpack_from_cpu)


class disable_saved_tensors_hooks:
    """Context manager (also a decorator) under which entering `saved_tensors_hooks`
    raises RuntimeError with `error_message`; entering it inside `saved_tensors_hooks`
    raises that error at once, as in PyTorch."""

    def __init__(self, error_message: str) -> None:
        self.error_message = error_message

    def __enter__(self):
        if _hooks_active():
            raise RuntimeError(self.error_message)
        self._previous = _disabled_message()
        _state.disabled = self.error_message
        return self

    def __exit__(self, *exc) -> None:
        _state.disabled = self._previous

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with disable_saved_tensors_hooks(self.error_message):
                return fn(*args, **kwargs)

        return wrapper


class _MultiHandle:
    __module__ = "ferrograd.autograd.graph"  # where PyTorch's handle class lives (its repr names it)

    def __init__(self, handles) -> None:
        self.handles = handles

    def remove(self) -> None:
        for h in self.handles:
            h.remove()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def register_multi_grad_hook(tensors, fn, *, mode: str = "all"):
    """Registers `fn` on several tensors: with `mode="all"` it is called once per
    backward pass, after the pass, with the list of their gradients (None for those
    the pass did not reach); with `mode="any"` it is called with the first of their
    gradients the pass computes.

    Returns:
        A handle whose `remove()` unregisters the hook.
    """
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    tensors = tuple(tensors)
    count = len(tensors)
    if mode == "any":
        fired = {"pass": None}

        def any_hook(grad):
            current = _core._backward_passes()
            if fired["pass"] != current:
                fired["pass"] = current
                fn(grad)

        return _MultiHandle([t.register_hook(any_hook) for t in tensors if t.requires_grad])

    if any(isinstance(t, Tensor) and not t.requires_grad for t in tensors):
        raise AssertionError("Expected gradient function to be set")  # PyTorch's, from finding the nodes
    has_leaf = any(isinstance(t, Tensor) and t.grad_fn is None for t in tensors)
    pending: dict[int, list] = {}

    def all_hook(index):
        def hook(grad):
            if has_leaf and _after_backward.running_grad():
                raise RuntimeError(
                    "A leaf node was passed to _will_engine_execute_node but we are currently running "
                    "autograd.grad(). This is currently not supported."
                )
            current = _core._backward_passes()
            grads = pending.get(current)
            if grads is None:
                grads = pending[current] = [None] * count

                def flush():
                    fn(pending.pop(current))

                _after_backward.queue().append(flush)
            grads[index] = grad

        return hook

    return _MultiHandle([t.register_hook(all_hook(i)) for i, t in enumerate(tensors) if t.requires_grad])
