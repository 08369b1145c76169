"""`grad`, `grad_and_value`, `vjp`, `jacrev`: reverse-mode transforms (PyTorch's
`torch.func`), over ferrograd's graph (see `_wrapping`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .._core import Tensor
from .._grad_mode import enable_grad
from ._pytree import tree_flatten, tree_unflatten
from ._wrapping import (
    Level,
    Release,
    check_tensor,
    check_tensor_tree,
    grad_enabled,
    normalize_argnums,
    replace_args,
    select_args,
    stand_in,
)


def autograd_grad(outputs: list, inputs: list, grad_outputs: list | None) -> list:
    """Differentiable gradients of `outputs` w.r.t. `inputs`, zeros where unused."""
    from .._creation import zeros_like
    from ..autograd import grad as _grad

    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    grads: Any = [None] * len(inputs)
    if pairs and inputs:
        grads = _grad([o for o, _ in pairs], inputs, [g for _, g in pairs], retain_graph=True,
                      create_graph=True, allow_unused=True)
    return [zeros_like(x) if g is None else g for g, x in zip(grads, inputs)]


class Traced:
    """One run of `func` with stand-ins for the differentiated arguments."""

    def __init__(self, func: Callable, args: tuple, kwargs: dict, argnums: Any) -> None:
        self.level = Level()
        self.release = Release(grad_enabled(), self.level)
        # None: all the positional arguments, none at all included (vjp's primals)
        self.argnums = tuple(range(len(args))) if argnums is None else normalize_argnums(argnums, len(args))
        diff, self.in_spec = tree_flatten(select_args(args, self.argnums))
        with enable_grad(), self.level:
            self.inputs = [stand_in(check_tensor(x), self.level) for x in diff]
            new = tree_unflatten(self.inputs, self.in_spec)
            self.output = func(*replace_args(args, self.argnums, new), **kwargs)

    def grads(self, outputs: list, cotangents: list | None) -> Any:
        with enable_grad():
            flat = autograd_grad(outputs, self.inputs, cotangents)
        return tree_unflatten(flat, self.in_spec)


def _split_aux(output: Any, has_aux: bool, api: str) -> tuple[Any, Any]:
    if not has_aux:
        return output, None
    if not (isinstance(output, tuple) and len(output) == 2):
        raise RuntimeError(
            f"{api}: output of function f should be a tuple: (output, aux) if has_aux is True"
        )
    check_tensor_tree(output[1])
    return output


def grad_and_value(func: Callable, argnums: int | tuple[int, ...] = 0,
                   has_aux: bool = False) -> Callable:
    """`func` -> a function returning `(gradient, value)` of the scalar `func` with
    respect to the arguments `argnums` (`(gradient, (value, aux))` with `has_aux`).

    Args:
        func: a function returning a 0-dim floating-point tensor.
        argnums: which positional argument to differentiate (an int), or several (a
            tuple: the gradient is then a tuple); each argument a pytree of tensors.
        has_aux: `func` returns `(output, aux)`; `aux` (tensors) is passed through.
    """
    api = "grad_and_value(f)(*args)"

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        run = Traced(func, args, kwargs, argnums)
        output, aux = _split_aux(run.output, has_aux, api)
        if not isinstance(output, Tensor):
            raise RuntimeError(f"{api}: Expected f(*args) to return a Tensor, got {type(output)}")  # noqa: TRY004 (PyTorch's type)
        if output.dim() != 0:
            raise RuntimeError(
                f"{api}: Expected f(*args) to return a scalar Tensor, got tensor with "
                f"{output.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs instead?"
            )
        usable = output.dtype.is_floating_point or output.dtype.is_complex
        grads = run.grads([output] if usable else [], None)
        grads = run.release.tree(grads)
        value = run.release.tensor(output)
        if has_aux:
            return grads, (value, run.release.tree(aux))
        return grads, value

    return wrapper


def grad(func: Callable, argnums: int | tuple[int, ...] = 0, has_aux: bool = False) -> Callable:
    """`func` -> a function returning the gradient of the scalar `func` with respect to
    the arguments `argnums` (a tuple of them for a tuple; each one a pytree like the
    argument). An argument the output does not depend on gets zeros.

    Args:
        func: a function returning a 0-dim floating-point tensor.
        argnums: which positional argument to differentiate (an int) or several (a tuple).
        has_aux: `func` returns `(output, aux)`; the result is then `(gradient, aux)`.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        grads, value = grad_and_value(func, argnums, has_aux)(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads

    return wrapper


def _check_outputs(flat: list, api: str) -> None:
    if (len(flat) == 1 and flat[0] is None) or not flat:
        raise RuntimeError(
            f"{api}: Expected f to be a function that has non-empty output (got output = {flat})"
        )
    for o in flat:
        if not isinstance(o, Tensor):
            raise RuntimeError(  # noqa: TRY004 (PyTorch's type)
                f"{api}: expected f(*primals) to return only tensors, got unsupported type {type(o)}"
            )


def _check_differentiable_outputs(flat: list) -> None:
    for o in flat:
        if not (o.dtype.is_floating_point or o.dtype.is_complex):
            raise RuntimeError(
                "vjp(f, ...): All outputs of f must be floating-point or complex Tensors, got "
                f"Tensor with dtype {o.dtype}"
            )


def _refuse_complex_args(args: tuple) -> None:
    """jacrev's check, over every positional argument (differentiated or not)."""
    for i, x in enumerate(tree_flatten(args)[0]):
        if isinstance(x, Tensor) and x.is_complex():
            raise RuntimeError(
                f"jacrev: Expected all inputs to be real but received complex tensor at flattened input idx: {i}"
            )


def vjp(func: Callable, *primals: Any, has_aux: bool = False) -> tuple:
    """`(func(*primals), vjp_fn)` (plus `aux` with `has_aux`): `vjp_fn(cotangents)`
    returns the tuple of vector-Jacobian products, one per primal.

    Args:
        func: a function of the primals returning a pytree of floating-point tensors.
        primals: the point of evaluation (pytrees of tensors).
        has_aux: `func` returns `(output, aux)`; `aux` is returned third.
    """
    api = "vjp(f, *primals)"
    run = Traced(func, primals, {}, None)
    output, aux = _split_aux(run.output, has_aux, api)
    flat_out, out_spec = tree_flatten(output)
    _check_outputs(flat_out, api)
    _check_differentiable_outputs(flat_out)

    def vjp_fn(cotangents: Any, retain_graph: bool = True, create_graph: bool | None = None) -> Any:
        flat_ct, ct_spec = tree_flatten(cotangents)
        if ct_spec != out_spec:
            raise RuntimeError(
                "Expected pytree structure of cotangents to be the same as pytree structure of "
                f"outputs to the function. cotangents: {_pprint(ct_spec)}, primal output: "
                f"{_pprint(out_spec)}"
            )
        release = Release(grad_enabled(), run.level)
        result = run.grads(flat_out, flat_ct)
        return release.tree(result)

    released = run.release.tree(output)
    if has_aux:
        return released, vjp_fn, run.release.tree(aux)
    return released, vjp_fn


def _pprint(spec: Any) -> str:
    from ._pytree import tree_unflatten as unflatten

    class _Star:
        def __repr__(self) -> str:
            return "*"

    return repr(unflatten([_Star()] * spec.num_leaves, spec))


def _basis_row(outputs: list, i: int, k: int) -> list:
    """The cotangents of all `outputs` for row `k` of output `i`: PyTorch's jacrev takes
    each row as one vjp of every output (the others' zeros added, as its signed zeros show)."""
    from .._creation import zeros_like

    cotangents = [zeros_like(o) for o in outputs]
    cotangents[i].view(-1)[k] = 1
    return cotangents


def jacobian_blocks(rows: list, out: Tensor, inputs: list) -> list:
    """Per input, the Jacobian block `out.shape + input.shape` from per-element rows."""
    from .._shape import stack

    blocks = []
    for j, x in enumerate(inputs):
        if out.numel() == 0 or not rows:
            blocks.append(x.new_zeros(tuple(out.shape) + tuple(x.shape)))
        else:
            blocks.append(stack([r[j] for r in rows], 0).reshape(tuple(out.shape) + tuple(x.shape)))
    return blocks


def jacrev(func: Callable, argnums: int | tuple[int, ...] = 0, *, has_aux: bool = False,
           chunk_size: int | None = None) -> Callable:
    """`func` -> a function returning the Jacobian of `func` with respect to the
    arguments `argnums`, computed row by row with reverse mode. The result nests like
    the outputs of `func`, then like the differentiated arguments; each block has shape
    `output.shape + input.shape`.

    Args:
        func: a function returning a pytree of tensors.
        argnums: which positional argument to differentiate (an int) or several (a tuple).
        has_aux: `func` returns `(output, aux)`; the result is then `(jacobian, aux)`.
        chunk_size: accepted for PyTorch compatibility (rows are computed one at a time);
            must be None or positive.
    """
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _refuse_complex_args(args)
        run = Traced(func, args, kwargs, argnums)
        output, aux = _split_aux(run.output, has_aux, "vjp(f, *primals)")
        flat_out, out_spec = tree_flatten(output)
        _check_outputs(flat_out, "vjp(f, *primals)")
        _check_differentiable_outputs(flat_out)
        per_output = []
        for i, out in enumerate(flat_out):
            with enable_grad():
                rows = [autograd_grad(flat_out, run.inputs, _basis_row(flat_out, i, k)) for k in range(out.numel())]
            blocks = [run.release.tensor(b) for b in jacobian_blocks(rows, out, run.inputs)]
            per_output.append(tree_unflatten(blocks, run.in_spec))
        result = tree_unflatten(per_output, out_spec)
        if has_aux:
            return result, run.release.tree(aux)
        return result

    return wrapper
