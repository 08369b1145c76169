"""`utils.checkpoint` (PyTorch's `torch.utils.checkpoint`): activation checkpointing.

`checkpoint(fn, *args)` runs `fn` without recording its graph, keeping only its
inputs; the backward pass runs `fn` again (with the random state of the first run) to
rebuild the graph and differentiates through it. Gradients equal those of running `fn`
directly, for the arguments and for the parameters `fn` uses.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import Any

from ..autograd.function import Function

__all__ = ["checkpoint", "checkpoint_sequential"]

_USE_REENTRANT_WARNING = (
    "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. Starting "
    "in PyTorch 2.9, calling checkpoint without use_reentrant will raise an exception. "
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
        from .._core import Tensor
        from .._grad_mode import enable_grad
        from ..autograd import backward as run_backward
        from ..random import fork_rng, set_rng_state

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


class _RecomputeFunction(Function):
    """The node of a non-reentrant checkpoint (`_RecomputeFunctionBackward`)."""

    @staticmethod
    def forward(ctx: Any, run_function: Callable, rng_state: Any, kwargs: dict, results: list,
                num_args: int, *args_and_leaves: Any) -> Any:
        """Hands back the results computed already and keeps what the rerun needs.

        Args:
            ctx: the context object.
            run_function: the checkpointed function.
            rng_state: the random state of the first run (None: not restored).
            kwargs: keyword arguments for `run_function`.
            results: the results of the first run, without their graph.
            num_args: how many of `args_and_leaves` are the positional arguments.
            args_and_leaves: the arguments, then the parameters the function uses.
        """
        from .._core import Tensor

        args = args_and_leaves[:num_args]
        ctx.run_function = run_function
        ctx.rng_state = rng_state
        ctx.kwargs = kwargs
        ctx.num_args = num_args
        ctx.tensor_positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        ctx.other_args = [None if isinstance(a, Tensor) else a for a in args]
        ctx.leaves = args_and_leaves[num_args:]
        ctx.save_for_backward(*(a for a in args if isinstance(a, Tensor)))
        outs = tuple(r.view_as(r) if isinstance(r, Tensor) else r for r in results)
        return outs[0] if len(outs) == 1 else outs

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """Reruns the function with a graph and differentiates it with respect to the
        arguments and the parameters.

        Args:
            ctx: the context object.
            grad_outputs: the gradient of each output.
        """
        from .. import _core
        from .._core import Tensor
        from .._grad_mode import enable_grad
        from ..autograd import grad as autograd_grad
        from ..random import fork_rng, set_rng_state

        create_graph = bool(_core.is_grad_enabled())
        args = list(ctx.other_args)
        fresh_inputs = []
        for pos, saved in zip(ctx.tensor_positions, ctx.saved_tensors):
            # under create_graph the rerun stays connected to the caller's graph, so the
            # gradients can be differentiated again
            if create_graph and saved.requires_grad:
                fresh = saved.view_as(saved)
            else:
                fresh = saved.detach().requires_grad_(saved.requires_grad)
            args[pos] = fresh
            fresh_inputs.append(fresh)
        with fork_rng(enabled=ctx.rng_state is not None), enable_grad():
            if ctx.rng_state is not None:
                set_rng_state(ctx.rng_state)
            outputs = ctx.run_function(*args, **ctx.kwargs)
            if isinstance(outputs, Tensor):
                outputs = (outputs,)
            pairs = [(o, g) for o, g in zip(outputs, grad_outputs)
                     if isinstance(o, Tensor) and o.requires_grad and g is not None]
            wanted = [t for t in (*fresh_inputs, *ctx.leaves) if t.requires_grad]
            grads = iter(autograd_grad([o for o, _ in pairs], wanted, [g for _, g in pairs],
                                       create_graph=create_graph, allow_unused=True)
                         if pairs and wanted else [None] * len(wanted))
        per_input: dict[int, Any] = {id(t): next(grads) for t in wanted}
        arg_grads: list[Any] = [None] * ctx.num_args
        for pos, fresh in zip(ctx.tensor_positions, fresh_inputs):
            arg_grads[pos] = per_input.get(id(fresh))
        leaf_grads = [per_input.get(id(leaf)) for leaf in ctx.leaves]
        return (None, None, None, None, None, *arg_grads, *leaf_grads)


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
    return _checkpoint_through_leaves(function, preserve_rng_state, kwargs, args)


def _graph_leaves(outputs: list, skip: set[int]) -> list:
    """The leaves that require grad under `outputs`' graphs (tensors not in `skip`)."""
    seen: dict[int, Any] = {}
    leaves: dict[int, Any] = {}
    stack = [o.grad_fn for o in outputs if o.grad_fn is not None]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen[id(node)] = node
        if type(node).__name__ == "AccumulateGrad":
            leaf = node.variable
            if id(leaf) not in skip:
                leaves[id(leaf)] = leaf
            continue
        stack.extend(n for n, _ in node.next_functions)
    return list(leaves.values())


def _checkpoint_through_leaves(function: Callable, preserve_rng_state: bool, kwargs: dict,
                               args: tuple) -> Any:
    """The non-reentrant variant: one run with a graph finds the parameters `function`
    uses; its results are kept without that graph, and the node takes the arguments and
    those parameters as inputs, so their gradients flow through the engine
    (`autograd.grad` included) even when no argument requires grad."""
    from .._core import Tensor
    from .._grad_mode import enable_grad
    from ..random import get_rng_state

    rng_state = get_rng_state() if preserve_rng_state else None
    with enable_grad():
        outputs = function(*args, **kwargs)
    flat = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    tensors = [o for o in flat if isinstance(o, Tensor)]
    leaves = _graph_leaves(tensors, {id(a) for a in args if isinstance(a, Tensor)})
    kept = [o.detach() if isinstance(o, Tensor) else o for o in flat]
    del outputs, tensors
    result = _RecomputeFunction.apply(function, rng_state, kwargs, kept, len(args), *args, *leaves)
    if not isinstance(result, tuple):
        result = (result,)
    return result[0] if len(kept) == 1 and len(result) == 1 else result


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
        warnings.warn(_USE_REENTRANT_WARNING, UserWarning, stacklevel=2)
        use_reentrant = True
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
                           preserve_rng_state=kwargs.get("preserve_rng_state", True))
    return run(end + 1, len(funcs) - 1, funcs)(input)
