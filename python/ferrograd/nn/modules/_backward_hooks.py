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

from ..._core import Tensor, is_grad_enabled
from . import _global_hooks

__all__ = ["BackwardHook"]


class BackwardHook:
    """Runs one module call's full backward hooks and pre-hooks.

    Args:
        module: the module called.
        user_hooks: its full backward hooks (global ones first), as at the call.
        user_pre_hooks: its backward pre-hooks, as at the call.
    """

    def __init__(self, module, user_hooks, user_pre_hooks) -> None:
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.module = module
        self.grad_outputs: tuple | None = None
        self.n_outputs = -1
        self.output_tensors_index: list | None = None
        self.n_inputs = -1
        self.input_tensors_index: list | None = None

    @staticmethod
    def _pack_with_none(indices, values, size: int) -> tuple:
        res = [None] * size
        for idx, val in zip(indices, values, strict=True):
            res[idx] = val
        return tuple(res)

    @staticmethod
    def _unpack_none(indices, values) -> tuple:
        return tuple(values[idx] for idx in indices)

    def _set_user_hook(self, grad_fn) -> None:
        def hook(grad_input, _):
            if self.grad_outputs is None:
                # the gradient reached the inputs without passing the outputs (double backward)
                return None
            res = self._pack_with_none(self.input_tensors_index, grad_input, self.n_inputs)
            for user_hook in self.user_hooks:
                out = user_hook(self.module, res, self.grad_outputs)
                if out is None:
                    continue
                if len(out) != len(res):
                    raise RuntimeError("Backward hook returned an invalid number of grad_input, "
                                       f"got {len(out)}, but expected {len(res)}")
                res = out
            self.grad_outputs = None
            return self._unpack_none(self.input_tensors_index, res)

        grad_fn.register_hook(hook)

    def _apply_on_tensors(self, fn, args: tuple):
        """`args` with its tensors passed through one BackwardHookFunction, whose node is
        handed to `fn`, and the tensors' positions; `(args, None)` when no tensor needs a
        gradient."""
        from ._functions import BackwardHookFunction

        tensors_idx = [i for i, arg in enumerate(args) if isinstance(arg, Tensor)]
        tensors = [args[i] for i in tensors_idx]
        if not (any(t.requires_grad for t in tensors) and is_grad_enabled()):
            return args, None
        new_tensors = BackwardHookFunction.apply(*tensors)
        grad_fns = [t.grad_fn for t in new_tensors
                    if t.grad_fn is not None and t.grad_fn.name() == "BackwardHookFunctionBackward"]
        fn(grad_fns[0])
        arg_list = list(args)
        for idx, val in zip(tensors_idx, new_tensors, strict=True):
            arg_list[idx] = val
        out = tuple(arg_list) if type(args) is tuple else type(args)(*arg_list)
        return out, tensors_idx

    def setup_input_hook(self, args: tuple) -> tuple:
        """`args` with the tensors passed through the node that runs the hooks."""
        res, input_idx = self._apply_on_tensors(self._set_user_hook, args)
        self.n_inputs = len(args)
        self.input_tensors_index = input_idx
        return res

    def _output_hook(self, _, grad_output):
        self.grad_outputs = self._pack_with_none(self.output_tensors_index, grad_output, self.n_outputs)
        expected_len = len(self.grad_outputs)
        for user_pre_hook in self.user_pre_hooks:
            hook_grad_outputs = user_pre_hook(self.module, self.grad_outputs)
            if hook_grad_outputs is None:
                continue
            if len(hook_grad_outputs) != expected_len:
                raise RuntimeError("Backward pre hook returned an invalid number of grad_output, "
                                   f"got {len(hook_grad_outputs)}, but expected {expected_len}")
            self.grad_outputs = hook_grad_outputs
        local_grad_outputs = self.grad_outputs
        if self.input_tensors_index is None:
            # no input needs a gradient: the hooks run now, with None for every input
            warnings.warn("Full backward hook is firing when gradients are computed "
                          "with respect to module outputs since no inputs require gradients. See "
                          "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                          "#torch.nn.Module.register_full_backward_hook for more details.",
                          stacklevel=5)
            grad_inputs = self._pack_with_none([], [], self.n_inputs)
            for user_hook in self.user_hooks:
                res = user_hook(self.module, grad_inputs, self.grad_outputs)
                if res is not None and not (isinstance(res, tuple) and all(el is None for el in res)):
                    raise RuntimeError("Backward hook for Modules where no input requires "
                                       "gradient should always return None or None for all gradients.")
            self.grad_outputs = None
        return tuple(local_grad_outputs[i] for i in self.output_tensors_index)  # type: ignore[index]

    def setup_output_hook(self, result):
        """`result` (a tensor or a tuple) with its tensors passed through the node that
        runs the pre-hooks."""
        is_tuple = isinstance(result, tuple)
        args = result if is_tuple else (result,)
        res, output_idx = self._apply_on_tensors(lambda grad_fn: grad_fn.register_hook(self._output_hook), args)
        self.n_outputs = len(args)
        self.output_tensors_index = output_idx
        return res if is_tuple else res[0]


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
