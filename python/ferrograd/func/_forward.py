"""`jvp`, `linearize`, `jacfwd`, `hessian` (PyTorch's `torch.func`).

Jacobian-vector products use the double-vjp trick over the reverse-mode graph: for a
dummy cotangent `u`, `g(u) = J^T u` is linear in `u`, so the gradient of `g` with
respect to `u` in the direction `t` is `J t`. That is exact for every op whose
backward is itself differentiable.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .. import _core
from .._core import Tensor
from .._grad_mode import enable_grad
from ._pytree import tree_flatten, tree_unflatten
from ._reverse import Traced, _check_outputs, _split_aux, autograd_grad, jacobian_blocks
from ._wrapping import Release, grad_enabled

JVP = "jvp(f, primals, tangents)"


class Linearized:
    """`func` traced at the primals, with `J^T u` recorded for a dummy `u` per output,
    ready to push tangents through."""

    def __init__(self, func: Callable, primals: tuple, has_aux: bool) -> None:
        self.run = Traced(func, primals, {}, tuple(range(len(primals))))
        output, self.aux = _split_aux(self.run.output, has_aux, JVP)
        self.flat_out, self.out_spec = tree_flatten(output)
        _check_outputs(self.flat_out, JVP)
        with enable_grad():
            level = self.run.level
            self.dummies = [
                level.tag(o.detach().new_zeros(o.shape).requires_grad_(o.requires_grad))
                if o.dtype.is_floating_point else None for o in self.flat_out
            ]
            used = [(o, u) for o, u in zip(self.flat_out, self.dummies) if u is not None]
            self.vjp_of_dummies = autograd_grad([o for o, _ in used], self.run.inputs,
                                                [u for _, u in used])

    def push(self, flat_tangents: list) -> list:
        """`J t` per output, zeros where an output does not depend on the inputs."""
        from .._creation import zeros_like

        tangents = [t.to(x.dtype) if t.dtype != x.dtype else t
                    for t, x in zip(flat_tangents, self.run.inputs)]
        live = [u for u in self.dummies if u is not None and u.requires_grad]
        with enable_grad():
            pushed = autograd_grad(self.vjp_of_dummies, live, tangents) if live else []
        by_dummy = {id(u): p for u, p in zip(live, pushed)}
        release = Release(grad_enabled(), self.run.level)
        wider = [t.dtype for t, x in zip(flat_tangents, self.run.inputs) if t.dtype != x.dtype]
        out = []
        for o, u in zip(self.flat_out, self.dummies):
            t = by_dummy.get(id(u)) if u is not None else None
            t = zeros_like(o) if t is None else t
            if wider and t.dtype.is_floating_point:
                t = t.to(_promoted([t.dtype, *wider]))
            out.append(release.tensor(t))
        return out

    def primal_outputs(self) -> Any:
        return tree_unflatten([self.run.release.tensor(o) for o in self.flat_out], self.out_spec)


def _promoted(dtypes: list) -> Any:
    """The dtype tangents of mixed dtypes promote to (a float64 tangent of a float32
    primal gives float64 tangents, as in PyTorch)."""
    from .._core import promote_types

    out = dtypes[0]
    for d in dtypes[1:]:
        out = promote_types(out, d)
    return out


def _check_jvp_args(primals: Any, tangents: Any) -> tuple[list, list]:
    if not isinstance(primals, tuple):
        raise RuntimeError(  # noqa: TRY004 (PyTorch's type)
            f"{JVP}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals)."
        )
    flat_p, p_spec = tree_flatten(primals)
    flat_t, t_spec = tree_flatten(tangents)
    if p_spec != t_spec:
        raise RuntimeError(
            f"{JVP}: Expected primals and tangents to have the same python structure. For "
            "example, if primals is a tuple of 3 tensors, tangents also must be. Got primals "
            f"with structure {p_spec} and tangents with structure {t_spec}"
        )
    for name, flat in (("primals", flat_p), ("tangents", flat_t)):
        if not flat:
            raise RuntimeError(f"{JVP}: Expected {name} to contain at least one Tensor.")
        for x in flat:
            if not isinstance(x, Tensor):
                raise RuntimeError(f"{JVP}: Expected {name} to only contain Tensors, got {type(x)}")  # noqa: TRY004 (PyTorch's type)
    for p, t in zip(flat_p, flat_t):
        if tuple(p.shape) != tuple(t.shape):
            raise RuntimeError(
                "Trying to set a forward gradient that has a different size than that of the "
                f"original Tensor, this is not supported. Tensor is of size {list(p.shape)} while "
                f"the given forward gradient is of size {list(t.shape)}."
            )
    return flat_p, flat_t


def jvp(func: Callable, primals: Any, tangents: Any, *, strict: bool = False,
        has_aux: bool = False) -> tuple:
    """`(func(*primals), J tangents)` (plus `aux` with `has_aux`): the
    Jacobian-vector product of `func` at `primals`.

    Args:
        func: a function of the primals returning a pytree of tensors.
        primals: a tuple of the arguments (pytrees of tensors).
        tangents: the direction, structured like `primals`, each tensor shaped like its
            primal.
        strict: accepted for PyTorch compatibility (an output independent of the
            inputs gets a zero tangent).
        has_aux: `func` returns `(output, aux)`; `aux` is returned third.
    """
    _, flat_t = _check_jvp_args(primals, tangents)
    lin = Linearized(func, primals, has_aux)
    tangent_out = tree_unflatten(lin.push(flat_t), lin.out_spec)
    primal_out = _aliased(lin.primal_outputs())
    if has_aux:
        return primal_out, tangent_out, lin.run.release.tree(lin.aux)
    return primal_out, tangent_out


def _aliased(outputs: Any) -> Any:
    """Each output that records gradients as an alias of itself: PyTorch's jvp hands its
    primal outputs back through `AliasBackward0`."""
    flat, spec = tree_flatten(outputs)
    flat = [_core._named_node(o, "AliasBackward0") if isinstance(o, Tensor) and o.requires_grad
            else o for o in flat]
    return tree_unflatten(flat, spec)


def linearize(func: Callable, *primals: Any) -> tuple[Any, Callable]:
    """`(func(*primals), jvp_fn)`: `jvp_fn(*tangents)` gives the Jacobian-vector
    product at `primals` without running `func` again.

    Args:
        func: a function of the primals returning a pytree of tensors.
        primals: the point of evaluation (pytrees of tensors).
    """
    lin = Linearized(func, primals, False)
    flat_p, p_spec = tree_flatten(primals)
    shapes = [tuple(p.shape) for p in flat_p]
    dtypes = [p.dtype for p in flat_p]

    def jvp_fn(*tangents: Any) -> Any:
        flat_t, t_spec = tree_flatten(tangents)
        if t_spec != p_spec:
            raise RuntimeError(
                f"Expected the tangents {t_spec} to have the same argspec as the primals {p_spec}"
            )
        for idx, t in enumerate(flat_t):
            if tuple(t.shape) != shapes[idx]:
                raise RuntimeError(
                    f"tangent:{idx} with shape {t.shape} in flattened pytree doesn't match the "
                    f"shape {flat_p[idx].shape} of the corresponding primal."
                )
            if t.dtype != dtypes[idx]:
                raise RuntimeError(
                    f"tangent:{idx} with dtype {t.dtype} in flattened pytree doesn't match the "
                    f"dtype {dtypes[idx]} of the corresponding primal."
                )
        return tree_unflatten(lin.push(flat_t), lin.out_spec)

    return lin.primal_outputs(), jvp_fn


def _check_randomness(randomness: str) -> None:
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(
            "Only allowed values for randomness are 'error', 'different', or 'same'. Got "
            f"{randomness}"
        )


def rng_state_if(randomness: str) -> Tensor | None:
    """The default generator's state, kept where `randomness="error"` must refuse a draw."""
    from .._random import get_rng_state

    return get_rng_state() if randomness == "error" else None


def refuse_draws_since(start_state: Tensor | None) -> None:
    """PyTorch's vmap error when the generator moved since `start_state` (restored first)."""
    from .._random import get_rng_state, set_rng_state

    if start_state is None or bool((get_rng_state() == start_state).all()):
        return
    set_rng_state(start_state)
    raise RuntimeError(
        "vmap: called random operation while in randomness error mode. Please either use the "
        "'same' or 'different' randomness flags on vmap or perform the randomness operation "
        "out of vmap"
    )


def jacfwd(func: Callable, argnums: int | tuple[int, ...] = 0, has_aux: bool = False, *,
           randomness: str = "error") -> Callable:
    """`func` -> a function returning the Jacobian of `func` with respect to the
    arguments `argnums`, nested like `jacrev`'s result (same values; PyTorch's
    forward-mode error messages).

    Args:
        func: a function returning a pytree of tensors.
        argnums: which positional argument to differentiate (an int) or several (a tuple).
        has_aux: `func` returns `(output, aux)`; the result is then `(jacobian, aux)`.
        randomness: "error" (default), "different" or "same", checked as PyTorch does.
    """
    from .._creation import zeros_like

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _check_randomness(randomness)
        start_state = rng_state_if(randomness)  # PyTorch runs `func` under vmap
        run = Traced(func, args, kwargs, argnums)
        refuse_draws_since(start_state)
        output, aux = _split_aux(run.output, has_aux, JVP)
        flat_out, out_spec = tree_flatten(output)
        _check_outputs(flat_out, JVP)
        with enable_grad():
            rows_per_out = []
            for out in flat_out:
                flat = out.reshape(-1)
                rows_per_out.append(
                    [autograd_grad([flat[k]], run.inputs, None) for k in range(out.numel())]
                    if out.dtype.is_floating_point else
                    [[zeros_like(x) for x in run.inputs] for _ in range(out.numel())]
                )
        per_output = []
        for out, rows in zip(flat_out, rows_per_out):
            blocks = [run.release.tensor(b) for b in jacobian_blocks(rows, out, run.inputs)]
            per_output.append(tree_unflatten(blocks, run.in_spec))
        result = tree_unflatten(per_output, out_spec)
        if has_aux:
            return result, run.release.tree(aux)
        return result

    return wrapper


def hessian(func: Callable, argnums: int | tuple[int, ...] = 0) -> Callable:
    """`func` -> a function returning the Hessian of the scalar `func` with respect to
    the arguments `argnums` (`jacfwd(jacrev(func, argnums), argnums)`).

    Args:
        func: a function returning a 0-dim tensor.
        argnums: which positional argument to differentiate (an int) or several (a tuple).
    """
    from ._reverse import jacrev

    return jacfwd(jacrev(func, argnums), argnums)
