"""`vmap` (PyTorch's `torch.func.vmap`): maps `func` over a dimension of its inputs.

This runs `func` once per index of the mapped dimension and stacks the results, so the
results and errors match PyTorch's batched evaluation while the speed is that of the
Python loop. `randomness="error"` detects a random op by the default generator's
state moving during a call; `"same"` replays the same random stream for every sample.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .._core import Tensor
from ._forward import _check_randomness, refuse_draws_since
from ._pytree import broadcast_prefix, tree_flatten, tree_unflatten
from ._vmap_refusals import refusing_data_access


def _name(func: Any) -> str:
    if hasattr(func, "__name__"):
        return func.__name__
    if isinstance(func, functools.partial):
        return f"functools.partial({_name(func.func)}, ...)"
    return repr(func)


def _flat_in_dims(func: Callable, in_dims: Any, args: tuple) -> tuple[list, list, Any]:
    name = _name(func)
    if not isinstance(in_dims, (int, tuple)):
        raise ValueError(  # noqa: TRY004 (PyTorch's type)
            f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` to be int or a "
            f"(potentially nested) tuple matching the structure of inputs, got: {type(in_dims)}."
        )
    if len(args) == 0:
        raise ValueError(
            f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are "
            "trying to vmap over a function with no inputs. The latter is unsupported."
        )
    flat_args, spec = tree_flatten(args)
    flat_dims = broadcast_prefix(in_dims, spec)
    if flat_dims is None:
        raise ValueError(
            f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
            f"structure of `inputs`. in_dims has structure {tree_flatten(in_dims)[1]} but inputs "
            f"has structure {spec}."
        )
    for arg, dim in zip(flat_args, flat_dims):
        if dim is None:
            continue
        if not isinstance(dim, int) or isinstance(dim, bool):
            raise ValueError(  # noqa: TRY004 (PyTorch's type)
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={dim} for an input "
                "but in_dim must be either an integer dimension or None."
            )
        if not isinstance(arg, Tensor):
            raise ValueError(  # noqa: TRY004 (PyTorch's type)
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={dim} for an input "
                f"but the input is of type {type(arg)}. We cannot vmap over non-Tensor arguments, "
                "please use None as the respective in_dim"
            )
        if not -arg.dim() <= dim < arg.dim():
            raise ValueError(
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={dim} for some "
                f"input, but that input is a Tensor of dimensionality {arg.dim()} so expected "
                f"in_dim to satisfy -{arg.dim()} <= in_dim < {arg.dim()}."
            )
    return flat_args, flat_dims, spec


def _batch_size(flat_args: list, flat_dims: list) -> int:
    sizes = [a.size(d) for a, d in zip(flat_args, flat_dims) if d is not None]
    if not sizes:
        raise ValueError("vmap: Expected at least one Tensor to vmap over")
    if any(s != sizes[0] for s in sizes):
        raise ValueError(
            "vmap: Expected all tensors to have the same size in the mapped dimension, got sizes "
            f"{sizes} for the mapped dimension"
        )
    return sizes[0]


def _sample(flat_args: list, flat_dims: list, spec: Any, i: int | None) -> tuple:
    """The arguments of sample `i` (for None: zeros shaped like one sample)."""
    out = []
    for a, d in zip(flat_args, flat_dims):
        if d is None:
            out.append(a)
        elif i is None:
            shape = list(a.shape)
            del shape[d]
            out.append(a.new_zeros(shape))
        else:
            out.append(a.select(d, i))
    return tree_unflatten(out, spec)


def _flat_out_dims(func: Callable, out_dims: Any, output: Any) -> tuple[list, list, Any]:
    name = _name(func)
    flat_out, spec = tree_flatten(output)

    def incompatible() -> ValueError:
        return ValueError(
            f"vmap({name}, ..., out_dims={out_dims})(<inputs>): out_dims is not compatible with "
            f"the structure of `outputs`. out_dims has structure {tree_flatten(out_dims)[1]} but "
            f"outputs has structure {spec}."
        )

    if isinstance(output, Tensor):
        if isinstance(out_dims, int) or out_dims is None:
            dims: list | None = [out_dims]
        elif isinstance(out_dims, tuple) and len(out_dims) == 1:
            dims = list(out_dims)
        else:
            raise incompatible()
    else:
        dims = broadcast_prefix(out_dims, spec)
        if dims is None:
            raise incompatible()
    for o, d in zip(flat_out, dims):
        if d is not None and not isinstance(o, Tensor):
            raise ValueError(
                f"vmap({name}, ...): `{name}` must only return Tensors, got type {type(o)}. "
                "Did you mean to set out_dims= to None for output?"
            )
    return flat_out, dims, spec


def _check_out_dims(func: Callable, out_dims: Any) -> None:
    if isinstance(out_dims, int):
        return
    for d in tree_flatten(out_dims)[0]:
        if d is not None and not isinstance(d, int):
            raise ValueError(
                f"vmap({_name(func)}, ..., out_dims={out_dims}): `out_dims` must be an int, None "
                "or a python collection of ints representing where in the outputs the vmapped "
                "dimension should appear."
            )


def _stack(results: list, dim: int, like: Tensor, batch: int) -> Tensor:
    from .._shape import stack

    rank = like.dim() + 1
    if not -rank <= dim < rank:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], but got "
            f"{dim})"
        )
    if batch == 0:
        shape = list(like.shape)
        shape.insert(dim % rank, 0)
        return like.new_zeros(shape)
    return stack(results, dim)


def _same_values(a: Tensor, b: Tensor) -> bool:
    """Elementwise equal, NaN matching NaN."""
    from .._functional import isnan

    return bool(((a == b) | (isnan(a) & isnan(b))).all())


def _check_unmapped(func: Callable, first: Any, samples: list, mapped: list) -> None:
    """An output with out_dim None must not depend on the mapped inputs: refused when it
    shares memory with one of them or differs between samples."""
    if not isinstance(first, Tensor):
        return
    storage = first.untyped_storage().data_ptr()
    varies = any(s.shape != first.shape or not _same_values(s, first) for s in samples[1:])
    if varies or any(a.untyped_storage().data_ptr() == storage for a in mapped):
        name = _name(func)
        raise ValueError(
            f"vmap({name}, ...): `{name}` can not return a BatchedTensor when out_dim is None"
        )


# One entry per running vmap level: whether a later sample follows the current one.
SAMPLES: list[bool] = []


def keeps_graphs() -> bool:
    """Whether `autograd.grad` must keep the graph it differentiates: PyTorch's vmap runs
    one batched backward, ferrograd one per sample, so a graph built outside the mapped
    function is freed only after the last sample."""
    return any(SAMPLES)


def vmap(func: Callable, in_dims: Any = 0, out_dims: Any = 0, randomness: str = "error", *,
         chunk_size: int | None = None) -> Callable:
    """`func` -> a function mapping `func` over dimension `in_dims` of its inputs and
    stacking the results along `out_dims`.

    Args:
        func: a function of tensors (pytrees of them) returning tensors (pytrees).
        in_dims: the mapped dimension of each input: an int for all, or a tuple
            matching the arguments (nested like them), None for an unmapped argument.
        out_dims: where the mapped dimension goes in each output (int, None for an
            output that does not depend on the mapped inputs, or a pytree of those).
        randomness: "error" (default: a random op inside `func` raises), "different"
            (each sample draws its own numbers) or "same" (every sample draws the same).
        chunk_size: accepted for PyTorch compatibility (samples run one at a time);
            must be None or positive.
    """
    from .._random import get_rng_state, set_rng_state

    _check_randomness(randomness)
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size <= 0):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _check_out_dims(func, out_dims)
        flat_args, flat_dims, spec = _flat_in_dims(func, in_dims, args)
        batch = _batch_size(flat_args, flat_dims)
        outputs = []
        start_state = get_rng_state() if randomness != "different" else None
        for i in range(max(batch, 1)):
            if randomness == "same" and start_state is not None:
                set_rng_state(start_state)
            SAMPLES.append(i < batch - 1)
            try:
                with refusing_data_access():
                    outputs.append(func(*_sample(flat_args, flat_dims, spec, i if batch else None),
                                        **kwargs))
            finally:
                SAMPLES.pop()
            if randomness == "error" and i == 0:
                refuse_draws_since(start_state)
        flat_first, dims, out_spec = _flat_out_dims(func, out_dims, outputs[0])
        per_sample = [tree_flatten(o)[0] for o in outputs]
        stacked = []
        mapped = [a for a, d in zip(flat_args, flat_dims) if d is not None]
        for k, (like, dim) in enumerate(zip(flat_first, dims)):
            if dim is None:
                _check_unmapped(func, like, [s[k] for s in per_sample], mapped)
                stacked.append(like)
                continue
            stacked.append(_stack([s[k] for s in per_sample], dim, like, batch))
        return tree_unflatten(stacked, out_spec)

    return wrapper
