"""Module backward hooks, as PyTorch runs them.

Full hooks (`register_full_backward_hook`, `register_full_backward_pre_hook`): the tensor
inputs of a call pass through one `BackwardHookFunction` node and its tensor outputs
through another (PyTorch's `torch.utils.hooks.BackwardHook`). The pre-hooks run when the
output node runs, once every output gradient is in; the hooks run when the input node
runs, with the gradients flowing out of this module only. So nested modules fire
outer-pre, inner-pre, inner, outer, and a module that returns its input unchanged
(`nn.Identity`) still fires its pre-hooks before its hooks.

Non-full hooks (`register_backward_hook`, deprecated): hung on the grad_fn of the first
output tensor, they see that one node's gradients, with PyTorch's FutureWarning where
that node is not the whole module."""

from __future__ import annotations

import warnings
import weakref

from ..._core import Tensor, is_grad_enabled
from . import _global_hooks

__all__ = ["BackwardHook"]


class _TensorPositions:
    """Where the tensors sit in one tuple of call arguments or results."""

    def __init__(self, size: int, positions: list[int] | None) -> None:
        self.size = size
        self.positions = positions  # None when no tensor needed a gradient (no node was made)

    def widen(self, grads) -> tuple:
        """Gradients of the tensors only -> one entry per position, None elsewhere."""
        full: list = [None] * self.size
        for position, grad in zip(self.positions or (), grads, strict=True):
            full[position] = grad
        return tuple(full)

    def narrow(self, full) -> tuple:
        return tuple(full[position] for position in self.positions or ())


def _through_one_node(values: tuple, on_backward) -> tuple[tuple, _TensorPositions]:
    """`values` with its tensors passed through one BackwardHookFunction node whose hook is
    `on_backward`; nothing is made when no tensor needs a gradient."""
    positions = [i for i, v in enumerate(values) if isinstance(v, Tensor)]
    if not (is_grad_enabled() and any(values[i].requires_grad for i in positions)):
        return values, _TensorPositions(len(values), None)
    from ._functions import BackwardHookFunction

    passed = BackwardHookFunction.apply(*(values[i] for i in positions))
    node = next(t.grad_fn for t in passed
                if t.grad_fn is not None and t.grad_fn.name() == "BackwardHookFunctionBackward")
    node.register_hook(on_backward)
    replaced = list(values)
    for position, tensor in zip(positions, passed, strict=True):
        replaced[position] = tensor
    rebuilt = tuple(replaced) if type(values) is tuple else type(values)(*replaced)
    return rebuilt, _TensorPositions(len(values), positions)


def _weakly(method):
    """`method` (bound) called through a weak reference to its object: a no-op once the
    object is gone."""
    ref = weakref.WeakMethod(method)

    def hook(grad_inputs, grad_outputs):  # named as PyTorch's: errors about its result quote the name
        alive = ref()
        return None if alive is None else alive(grad_inputs, grad_outputs)

    return hook


def _check_count(returned, expected: tuple, hook_kind: str, grads: str) -> None:
    if len(returned) != len(expected):
        raise RuntimeError(f"{hook_kind} returned an invalid number of {grads}, "
                           f"got {len(returned)}, but expected {len(expected)}")


class BackwardHook:
    """Runs one module call's full backward hooks and pre-hooks (the constructor and
    `setup_input_hook` / `setup_output_hook` are those of PyTorch's class of this name).

    Args:
        module: the module called.
        user_hooks: its full backward hooks (global ones first), as at the call.
        user_pre_hooks: its backward pre-hooks, as at the call.
    """

    def __init__(self, module, user_hooks, user_pre_hooks) -> None:
        self.module = module
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        # grad_output after the pre-hooks, from the output node until the input node runs
        self.grad_outputs: tuple | None = None
        self._inputs = _TensorPositions(0, None)
        self._outputs = _TensorPositions(0, None)

    def setup_input_hook(self, args: tuple) -> tuple:
        """`args` with its tensors passed through the node that runs the hooks.

        That node holds this object weakly: it lies deep in the graph, where the garbage
        collector cannot see what its hooks hold, so a strong reference would make
        `module.out = module(x)` a cycle never collected. The output node (or its
        pre-hooks' absence, in `_output_node_missing`) keeps this object alive for as
        long as the hooks can run: without it `grad_outputs` is never set and the input
        node has nothing to do."""
        args, self._inputs = _through_one_node(args, _weakly(self._at_input_node))
        return args

    def setup_output_hook(self, result):
        """`result` (a tensor or a tuple) with its tensors passed through the node that
        runs the pre-hooks."""
        single = not isinstance(result, tuple)
        passed, self._outputs = _through_one_node((result,) if single else result, self._at_output_node)
        return passed[0] if single else passed

    def _at_output_node(self, _grad_inputs, grad_outputs):
        grads = self._outputs.widen(grad_outputs)
        for pre_hook in self.user_pre_hooks:
            returned = pre_hook(self.module, grads)
            if returned is not None:
                _check_count(returned, grads, "Backward pre hook", "grad_output")
                grads = returned
        if self._inputs.positions is None:
            self._run_hooks_without_inputs(grads)
        else:
            self.grad_outputs = grads
        return self._outputs.narrow(grads)

    def _run_hooks_without_inputs(self, grad_outputs: tuple) -> None:
        warnings.warn("Full backward hook is firing when gradients are computed "
                      "with respect to module outputs since no inputs require gradients. See "
                      "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                      "#torch.nn.Module.register_full_backward_hook for more details.",
                      stacklevel=6)
        no_grads = self._inputs.widen(())
        for hook in self.user_hooks:
            returned = hook(self.module, no_grads, grad_outputs)
            if returned is not None and not (isinstance(returned, tuple) and all(g is None for g in returned)):
                raise RuntimeError("Backward hook for Modules where no input requires "
                                   "gradient should always return None or None for all gradients.")

    def _at_input_node(self, grad_inputs, _grad_outputs):
        if self.grad_outputs is None:
            return None  # reached without passing this call's outputs (e.g. double backward)
        grads = self._inputs.widen(grad_inputs)
        for hook in self.user_hooks:
            returned = hook(self.module, grads, self.grad_outputs)
            if returned is not None:
                _check_count(returned, grads, "Backward hook", "grad_input")
                grads = returned
        self.grad_outputs = None
        return self._inputs.narrow(grads)


def backward_hooks(module) -> tuple[list, list]:
    """(full, non-full) backward hooks of a call of `module`, the global ones first
    (PyTorch's `Module._get_backward_hooks`)."""
    full: list = []
    non_full: list = []
    shared = list(_global_hooks.backward_hooks.values())
    (full if _global_hooks.is_full_backward_hook else non_full).extend(shared)
    own = module.__dict__.get("_backward_hooks")
    if own:
        (full if module.__dict__.get("_is_full_backward_hook") else non_full).extend(own.values())
    return full, non_full


def backward_pre_hooks(module) -> list:
    own = module.__dict__.get("_backward_pre_hooks")
    return [*_global_hooks.backward_pre_hooks.values(), *(own.values() if own else ())]


def attach_non_full_hooks(module, hooks: list, args: tuple, result) -> None:
    """Hangs `hooks` on the grad_fn of the first tensor of `result`, as PyTorch does."""
    var = result
    while not isinstance(var, Tensor):
        var = next(v for v in var.values() if isinstance(v, Tensor)) if isinstance(var, dict) else var[0]
    grad_fn = var.grad_fn
    if grad_fn is None:
        return
    from .module import _WrappedHook

    for hook in hooks:
        grad_fn.register_hook(_WrappedHook(hook, module))
    _warn_if_partial(args, result, grad_fn)


def _deprecated(what: str, missing: str, advice: bool = True) -> None:
    tail = " Please use register_full_backward_hook to get the documented behavior." if advice else ""
    warnings.warn(f"{what} is deprecated and will be removed in future versions. This hook will be missing "
                  f"{missing}.{tail}", FutureWarning, stacklevel=4)


def _warn_if_partial(inputs: tuple, result, grad_fn) -> None:
    """PyTorch's `Module._maybe_warn_non_full_backward_hook`."""
    if isinstance(result, Tensor):
        result = (result,)
    elif not (isinstance(result, tuple) and all(isinstance(r, Tensor) for r in result)):
        _deprecated("Using non-full backward hooks on a Module that does not return a single Tensor or a tuple "
                    "of Tensors", "some of the grad_output")
        return
    if not all(isinstance(i, Tensor) for i in inputs):
        _deprecated("Using non-full backward hooks on a Module that does not take as input a single Tensor or a "
                    "tuple of Tensors", "some of the grad_input")
        return
    out_grad_fn = {r.grad_fn for r in result if r.grad_fn is not None}
    if not out_grad_fn or (len(out_grad_fn) == 1 and grad_fn not in out_grad_fn):
        _deprecated("Using a non-full backward hook when outputs are nested in python data structure",
                    "some grad_output", advice=False)
    elif len(out_grad_fn) > 1:
        _deprecated("Using a non-full backward hook when outputs are generated by different autograd Nodes",
                    "some grad_output")
    elif {i.grad_fn for i in inputs if i.grad_fn is not None} != {n for n, _ in grad_fn.next_functions}:
        _deprecated("Using a non-full backward hook when the forward contains multiple autograd Nodes",
                    "some grad_input")
