"""`utils.checkpoint` (PyTorch's `torch.utils.checkpoint`): activation checkpointing.

`checkpoint(fn, *args)` keeps `fn`'s inputs but not the intermediate tensors its ops
save for backward; the backward pass runs `fn` again (with the random state of the first
run) to get them back. Gradients equal those of running `fn` directly, for the arguments
and for the parameters `fn` uses. With `use_reentrant=True` the call is one
`CheckpointFunctionBackward` node; without, the outputs keep their own graph and only
the saved tensors are recomputed (saved-tensor hooks), as in PyTorch.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import Any

from ..autograd.function import Function
from . import _checkpoint_helpers as _helpers
from ._checkpoint_helpers import *  # PyTorch's helper names

__all__ = ["CheckpointFunction", "checkpoint", "checkpoint_sequential"]
__all__ += _helpers.__all__
for _cls in (_helpers.CheckpointError, _helpers.CheckpointPolicy, _helpers.DefaultDeviceType):
    _cls.__module__ = __name__  # where PyTorch's live (their reprs name it)

_USE_REENTRANT_WARNING = (
    "ferrograd.utils.checkpoint: the use_reentrant parameter should be passed explicitly. Starting "
    "in PyTorch 2.9, calling checkpoint without use_reentrant will raise an exception. "
    "use_reentrant=False is recommended, but if you need to preserve the current default "
    "behavior, you can pass use_reentrant=True. Refer to docs for more details on the "
    "differences between the two variants."
)
_SEQUENTIAL_USE_REENTRANT_WARNING = (
    "ferrograd.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be passed "
    "explicitly. In version 2.9 we will raise an exception if use_reentrant is not passed. "
    "use_reentrant=False is recommended, but if you need to preserve the current default "
    "behavior, you can pass use_reentrant=True. Refer to docs for more details on the "
    "differences between the two variants."
)


class CheckpointFunction(Function):
    """The node standing for a checkpointed call (`CheckpointFunctionBackward`)."""

    @staticmethod
    def forward(ctx: Any, run_function: Callable, preserve_rng_state: bool, kwargs: dict,
                *args: Any) -> Any:
        """Runs `run_function` without a graph, saving its inputs (and the random state).

        Args:
            ctx: the context object.
            run_function: the checkpointed function.
            preserve_rng_state: restore the random state before the rerun.
            kwargs: keyword arguments for `run_function`.
            args: its positional arguments.
        """
        from .._core import Tensor
        from ..random import get_rng_state

        ctx.run_function = run_function
        ctx.kwargs = kwargs
        ctx.rng_state = get_rng_state() if preserve_rng_state else None
        ctx.tensor_positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        ctx.other_args = [None if isinstance(a, Tensor) else a for a in args]
        ctx.save_for_backward(*(a for a in args if isinstance(a, Tensor)))
        return run_function(*args, **kwargs)

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """Reruns the function with a graph and differentiates through it.

        Args:
            ctx: the context object.
            grad_outputs: the gradient of each output.
        """
        from .. import _after_backward
        from .._core import Tensor
        from .._grad_mode import enable_grad
        from ..autograd import backward as run_backward
        from ..random import fork_rng, set_rng_state

        if not _after_backward.is_checkpoint_valid():
            raise RuntimeError(
                "When use_reentrant=True, ferrograd.utils.checkpoint is incompatible with .grad() or "
                "passing an `inputs` parameter to .backward(). To resolve this error, you can either "
                "set use_reentrant=False, or call .backward() without passing the `inputs` argument."
            )

        args = list(ctx.other_args)
        inputs = []
        for pos, saved in zip(ctx.tensor_positions, ctx.saved_tensors):
            fresh = saved.detach().requires_grad_(saved.requires_grad)
            args[pos] = fresh
            inputs.append(fresh)
        with fork_rng(enabled=ctx.rng_state is not None), enable_grad():
            if ctx.rng_state is not None:
                set_rng_state(ctx.rng_state)
            outputs = ctx.run_function(*args, **ctx.kwargs)
        if isinstance(outputs, Tensor):
            outputs = (outputs,)
        pairs = [(o, g) for o, g in zip(outputs, grad_outputs)
                 if isinstance(o, Tensor) and o.requires_grad and g is not None]
        if not pairs:
            raise RuntimeError(
                "none of output has requires_grad=True, this checkpoint() is not necessary"
            )
        run_backward([o for o, _ in pairs], [g for _, g in pairs])
        grads: list[Any] = [None] * len(args)
        for pos, fresh in zip(ctx.tensor_positions, inputs):
            grads[pos] = fresh.grad
        return (None, None, None, *grads)


def checkpoint(function: Callable, *args: Any, use_reentrant: bool | None = None,
               context_fn: Callable | None = None, determinism_check: str = "default",
               debug: bool = False, preserve_rng_state: bool = True, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)`, computed without keeping its intermediate results:
    backward recomputes them.

    Args:
        function: the function to checkpoint.
        args: its positional arguments.
        use_reentrant: pass it explicitly (None warns, as PyTorch does, and means True);
            with True, keyword arguments for `function` are refused.
        context_fn: accepted for PyTorch compatibility; ignored.
        determinism_check: accepted for PyTorch compatibility; ignored.
        debug: accepted for PyTorch compatibility; ignored.
        preserve_rng_state: rerun with the random state of the first run (default True),
            so random ops (dropout) draw the same numbers.
        kwargs: keyword arguments for `function` (only with `use_reentrant=False`).
    """
    from .. import _core
    from .._core import Tensor

    del context_fn, determinism_check, debug
    if use_reentrant is None:
        warnings.warn(_USE_REENTRANT_WARNING, UserWarning, stacklevel=2)
        use_reentrant = True
    if use_reentrant and kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    if not _core.is_grad_enabled():
        return function(*args, **kwargs)
    if use_reentrant:
        if not any(isinstance(a, Tensor) and a.requires_grad for a in args):
            warnings.warn("None of the inputs have requires_grad=True. Gradients will be None",
                          UserWarning, stacklevel=2)
        return CheckpointFunction.apply(function, preserve_rng_state, kwargs, *args)
    return _checkpoint_without_reentrant(function, preserve_rng_state, kwargs, args)


class _Holder:
    """What the graph keeps of one tensor a checkpointed op saved: its position in the
    order the ops saved them."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


class _Recomputation:
    """The saved tensors of one checkpointed call, recomputed on the first unpack of a
    backward pass and dropped once each was handed out."""

    def __init__(self, function: Callable, args: tuple, kwargs: dict, rng_state: Any) -> None:
        self.function = function
        self.args = args
        self.kwargs = kwargs
        self.rng_state = rng_state
        self.packed = 0
        self.values: list | None = None
        self.left = 0

    def pack(self, tensor: Any) -> _Holder:
        del tensor  # recomputed when backward needs it
        self.packed += 1
        return _Holder(self.packed - 1)

    def unpack(self, holder: _Holder) -> Any:
        if self.values is None:
            self.values = self._recompute()
            self.left = len(self.values)
        if holder.index >= len(self.values):
            raise RuntimeError(
                "ferrograd.utils.checkpoint: A different number of tensors was saved during the "
                f"original forward and recomputation.\nNumber of tensors saved during forward: "
                f"{self.packed}\nNumber of tensors saved during recomputation: {len(self.values)}")
        value = self.values[holder.index]
        self.left -= 1
        if self.left <= 0:
            self.values = None  # a retained graph recomputes on its next backward
        return value

    def _recompute(self) -> list:
        from .._grad_mode import enable_grad
        from ..autograd.saved_hooks import saved_tensors_hooks
        from ..random import fork_rng, set_rng_state

        values: list = []

        def keep(tensor: Any) -> None:
            values.append(tensor.detach() if tensor.requires_grad else tensor)

        def refuse(_: Any) -> Any:
            raise RuntimeError("ferrograd.utils.checkpoint: a recomputed tensor was unpacked")

        with fork_rng(enabled=self.rng_state is not None), enable_grad(), \
                saved_tensors_hooks(keep, refuse):
            if self.rng_state is not None:
                set_rng_state(self.rng_state)
            self.function(*self.args, **self.kwargs)
        return values


def _checkpoint_without_reentrant(function: Callable, preserve_rng_state: bool, kwargs: dict,
                                  args: tuple) -> Any:
    """PyTorch's non-reentrant variant: `function` runs once with its graph recorded as
    usual, but every tensor its ops save for backward is replaced by a placeholder; the
    first backward that needs one reruns `function` (with the random state of the first
    run) and takes the saved tensors from the rerun. Outputs keep their own grad_fn, so
    `autograd.grad`, parameters inside `function` and double backward work as without
    checkpointing."""
    from ..autograd.saved_hooks import saved_tensors_hooks
    from ..random import get_rng_state

    frame = _Recomputation(function, args, kwargs, get_rng_state() if preserve_rng_state else None)
    with saved_tensors_hooks(frame.pack, frame.unpack):
        return function(*args, **kwargs)


def checkpoint_sequential(functions: Any, segments: int, input: Any,
                          use_reentrant: bool | None = None, **kwargs: Any) -> Any:
    """Runs a sequence of modules (or an `nn.Sequential`) in `segments` checkpointed
    chunks; the last chunk runs normally.

    Args:
        functions: an `nn.Sequential` or a list of modules/functions run one after another.
        segments: the number of chunks.
        input: the input of the first function.
        use_reentrant: as in `checkpoint` (None warns and means True).
        kwargs: `preserve_rng_state`, passed on to `checkpoint`.
    """
    if use_reentrant is None:
        warnings.warn(_SEQUENTIAL_USE_REENTRANT_WARNING, UserWarning, stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    funcs: list = list(functions.children()) if hasattr(functions, "children") else list(functions)
    size = len(funcs) // segments
    end = -1

    def run(start: int, stop: int, fns: Iterable) -> Callable:
        chunk = list(fns)[start:stop + 1]

        def forward(x: Any) -> Any:
            for f in chunk:
                x = f(x)
            return x

        return forward

    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run(start, end, funcs), input, use_reentrant=use_reentrant,
                           preserve_rng_state=preserve)
    return run(end + 1, len(funcs) - 1, funcs)(input)
