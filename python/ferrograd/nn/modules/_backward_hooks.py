"""Module backward hooks (`register_full_backward_hook`, `register_full_backward_pre_hook`).

As in PyTorch, each tensor input of the call passes through an identity node, so the
gradient seen for it is the one flowing out of this module only; the output tensors
report their gradients (grad_output). The pre-hooks run once every output gradient is
known, the hooks once every input gradient is (or at once, with `(None, ...)`, when no
input requires grad)."""

from __future__ import annotations

import warnings

from ..._core import Tensor, is_grad_enabled
from . import _global_hooks


class _CallState:
    def __init__(self, module, n_inputs: int, waiting_inputs: int) -> None:
        self.module = module
        self.grad_inputs: list = [None] * n_inputs
        self.waiting_inputs = waiting_inputs
        self.grad_outputs: list = []
        self.waiting_outputs = 0

    def input_grad(self, k: int, grad: Tensor):
        self.grad_inputs[k] = grad
        self.waiting_inputs -= 1
        if self.waiting_inputs == 0:
            new = self._run_hooks()
            if new is not None:
                return new[k]
        return None

    def output_grad(self, k: int, grad: Tensor):
        self.grad_outputs[k] = grad
        self.waiting_outputs -= 1
        if self.waiting_outputs != 0:
            return None
        replaced = None
        for hook in _global_hooks.of(self.module, "_backward_pre_hooks", _global_hooks.backward_pre_hooks):
            result = hook(self.module, tuple(self.grad_outputs))
            if result is not None:
                self.grad_outputs = list(result) if isinstance(result, (tuple, list)) else [result]
                replaced = self.grad_outputs[k]
        if self.waiting_inputs == 0 and _global_hooks.of(self.module, "_backward_hooks", _global_hooks.backward_hooks):
            # nothing below needs a gradient: the hooks run now, as PyTorch warns
            warnings.warn(
                "Full backward hook is firing when gradients are computed with respect to module outputs since no "
                "inputs require gradients. See https://docs.pytorch.org/docs/main/generated/"
                "torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details.",
                stacklevel=2,
            )
            self._run_hooks()
        return replaced

    def _run_hooks(self):
        grad_inputs = tuple(self.grad_inputs)
        for hook in _global_hooks.of(self.module, "_backward_hooks", _global_hooks.backward_hooks):
            result = hook(self.module, grad_inputs, tuple(self.grad_outputs))
            if result is not None:
                grad_inputs = tuple(result) if isinstance(result, (tuple, list)) else (result,)
        return grad_inputs if grad_inputs is not tuple(self.grad_inputs) else None


def has_backward_hooks(module) -> bool:
    return bool(module.__dict__.get("_backward_hooks") or module.__dict__.get("_backward_pre_hooks")
                or _global_hooks.backward_hooks or _global_hooks.backward_pre_hooks)


def wrap_inputs(module, args: tuple):
    """(args with identity nodes on the tensors that require grad, the call's state),
    or (args, None) when no hook applies."""
    if not has_backward_hooks(module) or not is_grad_enabled():
        return args, None
    positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
    needing = [i for i in positions if args[i].requires_grad]
    state = _CallState(module, len(positions), len(needing))
    new_args = list(args)
    for k, i in enumerate(positions):
        if args[i].requires_grad:
            new_args[i] = args[i].view_as(args[i])
            new_args[i].register_hook(lambda g, k=k: state.input_grad(k, g))
    return tuple(new_args), state


def watch_outputs(state, result):
    """Registers the output-gradient hooks of the call; returns `result` unchanged."""
    if state is None:
        return result
    outs = result if isinstance(result, tuple) else (result,)
    state.grad_outputs = [None] * len(outs)
    tensors = [k for k, o in enumerate(outs) if isinstance(o, Tensor) and o.requires_grad]
    state.waiting_outputs = len(tensors)
    for k in tensors:
        outs[k].register_hook(lambda g, k=k: state.output_grad(k, g))
    return result


def _first_tensor(value):
    if isinstance(value, Tensor):
        return value
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        for v in value:
            found = _first_tensor(v)
            if found is not None:
                return found
    return None


def attach_non_full_hooks(module, args: tuple, result):
    """`register_backward_hook`'s hooks: on the grad_fn of the first output tensor, as
    PyTorch does, with its FutureWarning where that node does not see the whole module."""
    output = _first_tensor(result)
    grad_fn = None if output is None else output.grad_fn
    if grad_fn is None:
        return result
    for hook in module.__dict__["_non_full_backward_hooks"].values():
        grad_fn.register_hook(lambda grad_inputs, grad_outputs, hook=hook: hook(module, grad_inputs, grad_outputs))
    _warn_if_partial(args, result, grad_fn)
    return result


_PARTIAL = (
    "Using a non-full backward hook when {} is deprecated and will be removed in future versions. "
    "This hook will be missing some {}. Please use register_full_backward_hook to get the documented behavior."
)


def _warn_if_partial(args: tuple, result, grad_fn) -> None:
    outputs = (result,) if isinstance(result, Tensor) else result
    if not (isinstance(outputs, tuple) and all(isinstance(r, Tensor) for r in outputs)):
        message = _PARTIAL.format("the module does not return a single Tensor or a tuple of Tensors", "grad_output")
    elif not all(isinstance(a, Tensor) for a in args):
        message = _PARTIAL.format("the module does not take a single Tensor or a tuple of Tensors", "grad_input")
    else:
        output_nodes = {r.grad_fn for r in outputs if r.grad_fn is not None}
        if len(output_nodes) > 1:
            message = _PARTIAL.format("outputs are generated by different autograd Nodes", "grad_output")
        elif {a.grad_fn for a in args if a.grad_fn is not None} != {n for n, _ in grad_fn.next_functions}:
            message = _PARTIAL.format("the forward contains multiple autograd Nodes", "grad_input")
        else:
            return
    warnings.warn(message, FutureWarning, stacklevel=3)
