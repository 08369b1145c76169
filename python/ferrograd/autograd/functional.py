"""Higher-level derivatives of a whole function: `vjp`, `jvp`, `jacobian`, `hessian`,
`vhp`, `hvp` (PyTorch's `torch.autograd.functional`).

Everything is built on `autograd.grad`. `jvp` and `hvp` use the double-backward trick:
the vjp `u -> J^T u` is linear in `u`, so differentiating it with respect to `u` in
direction `v` gives `J v`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _core
from .._core import Tensor
from .._grad_mode import enable_grad, set_grad_enabled

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


# ---- argument shapes -------------------------------------------------------------

def _as_tuple(value: Any, what: str, fn_name: str) -> tuple[bool, tuple]:
    """`(was_a_tuple, value as a tuple)`, refusing anything but tensors."""
    was_tuple = isinstance(value, tuple)
    items = value if was_tuple else (value,)
    for i, el in enumerate(items):
        if not isinstance(el, Tensor):
            where = f"value at index {i}" if was_tuple else f"given {what}"
            raise TypeError(
                f"The {what} given to {fn_name} must be either a Tensor or a tuple of Tensors but "
                f"the {where} has type {type(el)}."
            )
    return was_tuple, items


def _unpack(result: tuple, was_tuple: bool) -> Any:
    return result if was_tuple else result[0]


def _unpack2(result: tuple, outer_tuple: bool, inner_tuple: bool) -> Any:
    if not inner_tuple:
        result = tuple(row[0] for row in result)
    return result if outer_tuple else result[0]


def _prepare(tensors: tuple, create_graph: bool, need_graph: bool) -> tuple:
    """Fresh graph inputs: a differentiable alias when the caller's graph must be kept,
    otherwise a detached copy that requires grad only if `need_graph`."""
    out = []
    for t in tensors:
        if create_graph and t.requires_grad:
            out.append(t.view_as(t))
        else:
            out.append(t.detach().requires_grad_(need_graph))
    return tuple(out)


def _finish(values: tuple, create_graph: bool) -> tuple:
    if values and isinstance(values[0], tuple):
        return tuple(_finish(v, create_graph) for v in values)
    return values if create_graph else tuple(v.detach() for v in values)


def _check_v(v: tuple, like: tuple, like_is_tuple: bool) -> None:
    if len(v) != len(like):
        if like_is_tuple:
            raise RuntimeError(
                f"v is a tuple of invalid length: should be {len(like)} but got {len(v)}."
            )
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (a, b) in enumerate(zip(v, like)):
        if a.size() != b.size():
            where = f"Entry {i} in " if like_is_tuple else ""
            raise RuntimeError(f"{where}v has invalid size: should be {b.size()} but got {a.size()}.")


_STRICT_NEEDS_GRAD = {
    "outputs": lambda i: (
        f"Output {i} of the user-provided function does not require gradients. The outputs "
        "must be computed in a differentiable manner from the input when running in strict mode."
    ),
    "grad_inputs": lambda i: (
        f"The gradient with respect to input {i} is independent of the inputs of the "
        "user-provided function. This is not allowed in strict mode."
    ),
    "jacobian": lambda i: (
        "While computing the hessian, found that the jacobian of the user-provided function "
        f"with respect to input {i} is independent of the input. This is not allowed in "
        "strict mode. You should ensure that your function is twice differentiable and that "
        "the jacobian depends on the inputs (this would be violated by a linear function for "
        "example)."
    ),
    "hessian": lambda i: (
        f"The hessian of the user-provided function with respect to input {i} is independent "
        "of the input. This is not allowed in strict mode. You should ensure that your "
        "function is thrice differentiable and that the hessian depends on the inputs."
    ),
}


def _require_grads(values: tuple, kind: str, strict: bool) -> None:
    """In strict mode, every value must exist and be differentiable."""
    if not strict:
        return
    for i, t in enumerate(values):
        if t is None:
            raise RuntimeError(
                f"The output of the user-provided function is independent of input {i}. "
                "This is not allowed in strict mode."
            )
        if not t.requires_grad:
            raise RuntimeError(_STRICT_NEEDS_GRAD[kind](i))


def _grad(outputs: tuple, inputs: tuple, grad_outputs: tuple | None = None,
          create_graph: bool = False, retain_graph: bool | None = None) -> tuple:
    """`autograd.grad` over the outputs that require grad; all `None` when none does."""
    from . import grad

    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    outs = [o for o, _ in pairs]
    gos = [g for _, g in pairs]
    return grad(outs, inputs, None if all(g is None for g in gos) else gos, retain_graph=retain_graph, create_graph=create_graph,
                allow_unused=True)


_MISSING = {
    "back": lambda i: (
        f"The output of the user-provided function is independent of input {i}. This is not "
        "allowed in strict mode."
    ),
    "back_trick": lambda i: (
        f"The gradient with respect to the input is independent of entry {i} in the "
        "grad_outputs when using the double backward trick to compute forward mode gradients. "
        "This is not allowed in strict mode."
    ),
    "double_back": lambda i: (
        f"The jacobian of the user-provided function is independent of input {i}. This is not "
        "allowed in strict mode."
    ),
    "double_back_trick": lambda i: (
        f"The hessian of the user-provided function is independent of entry {i} in the "
        "grad_jacobian. This is not allowed in strict mode as it prevents from using the double "
        "backward trick to replace forward mode AD."
    ),
}


def _zeros_for_missing(grads: tuple, like: tuple, strict: bool, create_graph: bool,
                       stage: str) -> tuple:
    """Zeros where a gradient is missing (an error in strict mode)."""
    from .._creation import zeros_like

    out = []
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                raise RuntimeError(_MISSING[stage](i))
            g = zeros_like(like[i])
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(
                f"The {what} of the user-provided function is independent of input {i}. This "
                "is not allowed in strict mode when create_graph=True."
            )
        out.append(g)
    return tuple(out)


def _call(func: Callable, inputs: tuple, fn_name: str) -> tuple[bool, tuple]:
    return _as_tuple(func(*inputs), "outputs of the user-provided function", fn_name)


def _single_scalar_output(outputs: tuple, was_tuple: bool, fn_name: str) -> None:
    if was_tuple or not isinstance(outputs[0], Tensor):
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if outputs[0].nelement() != 1:
        raise RuntimeError(
            f"The Tensor returned by the function given to {fn_name} should contain a single "
            "element"
        )


def _result_grad_mode(create_graph: bool) -> bool:
    return True if create_graph else _core.is_grad_enabled()


# ---- the API ---------------------------------------------------------------------

def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """`(func(inputs), v^T J)`: the vector-Jacobian product at `inputs`.

    Args:
        func: a function of tensors returning a tensor or a tuple of tensors.
        inputs: a tensor or a tuple of tensors, the point of evaluation.
        v: the vector, shaped like the outputs (a tensor or a tuple); None is allowed
            when `func` returns one one-element tensor, and means 1.
        create_graph: make the result differentiable, so it can be differentiated again
            (default False: the result is detached).
        strict: raise when an output does not depend on an input, instead of giving
            zeros there (default False).
    """
    with enable_grad():
        inputs_tuple, ins = _as_tuple(inputs, "inputs", "vjp")
        ins = _prepare(ins, create_graph, need_graph=True)
        outputs_tuple, outs = _call(func, ins, "vjp")
        _require_grads(outs, "outputs", strict)
        if v is not None:
            _, v = _as_tuple(v, "v", "vjp")
            v = _prepare(v, create_graph, need_graph=False)
            _check_v(v, outs, outputs_tuple)
        elif len(outs) != 1 or outs[0].nelement() != 1:
            raise RuntimeError(
                "The vector v can only be None if the user-provided function returns a single "
                "Tensor with a single element."
            )
    with set_grad_enabled(_result_grad_mode(create_graph)):
        grads = _grad(outs, ins, v, create_graph=create_graph)
        result = _zeros_for_missing(grads, ins, strict, create_graph, "back")
    return (_unpack(_finish(outs, create_graph), outputs_tuple),
            _unpack(_finish(result, create_graph), inputs_tuple))


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """`(func(inputs), J v)`: the Jacobian-vector product, by double backward.

    Args:
        func: a function of tensors returning a tensor or a tuple of tensors.
        inputs: a tensor or a tuple of tensors, the point of evaluation.
        v: the vector, shaped like the inputs (a tensor or a tuple); None is allowed
            when `inputs` is one one-element tensor, and means 1.
        create_graph: make the result differentiable, so it can be differentiated again
            (default False: the result is detached).
        strict: raise when an output does not depend on an input, instead of giving
            zeros there (default False).
    """
    from .._creation import zeros_like

    with enable_grad():
        inputs_tuple, ins = _as_tuple(inputs, "inputs", "jvp")
        ins = _prepare(ins, create_graph, need_graph=True)
        if v is not None:
            _, v = _as_tuple(v, "v", "jvp")
            v = _prepare(v, create_graph, need_graph=False)
            _check_v(v, ins, inputs_tuple)
        elif len(ins) != 1 or ins[0].nelement() != 1:
            raise RuntimeError(
                "The vector v can only be None if the input to the user-provided function is a "
                "single Tensor with a single element."
            )
        outputs_tuple, outs = _call(func, ins, "jvp")
        _require_grads(outs, "outputs", strict)
        # u is a dummy cotangent: J^T u is linear in u, and d(J^T u)/du . v = J v.
        u = tuple(zeros_like(o, requires_grad=True) for o in outs)
        vjp_of_u = _grad(outs, ins, u, create_graph=True)
        _require_grads(vjp_of_u, "grad_inputs", strict)
    with set_grad_enabled(_result_grad_mode(create_graph)):
        grads = _grad(vjp_of_u, u, v, create_graph=create_graph)
        result = _zeros_for_missing(grads, outs, strict, create_graph, "back_trick")
    return (_unpack(_finish(outs, create_graph), outputs_tuple),
            _unpack(_finish(result, create_graph), outputs_tuple))


def jacobian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:
    """The Jacobian of `func` at `inputs`: entry `[i][j]` has shape
    `outputs[i].shape + inputs[j].shape` (unnested where `func` takes or returns one tensor).

    Args:
        func: a function of tensors returning a tensor or a tuple of tensors.
        inputs: a tensor or a tuple of tensors, the point of evaluation.
        create_graph: make the result differentiable, so it can be differentiated again
            (default False: the result is detached).
        strict: raise when an output does not depend on an input, instead of giving
            zeros there (default False).
        vectorize: accepted for PyTorch compatibility: the rows are computed one by one
            either way (with `strict=True` it raises, as in PyTorch).
        strategy: "reverse-mode" (default) or "forward-mode" (needs `vectorize=True`, as
            in PyTorch; same values, PyTorch's forward-mode nesting).
    """
    from .._creation import zeros_like
    from .._shape import stack

    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            'Otherwise, prefer to use "reverse-mode".'
        )
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                "torch.autograd.functional.jacobian: `create_graph=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                '`create_graph=False` or `strategy="reverse-mode"`.'
            )
        if strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and `strategy=\"forward-mode\"` "
                "are not supported together (yet). Please either set `strict=False` or "
                "`strategy=\"reverse-mode\"`."
            )
        if not vectorize:
            raise NotImplementedError(
                "Computing Jacobian using forward-AD or forward-over-reverse Hessian isonly "
                "implemented for `vectorize=True`."
            )
        return _forward_mode_jacobian(func, inputs)
    with enable_grad():
        inputs_tuple, ins = _as_tuple(inputs, "inputs", "jacobian")
        ins = _prepare(ins, create_graph, need_graph=True)
        outputs_tuple, outs = _call(func, ins, "jacobian")
        _require_grads(outs, "outputs", strict)
        if vectorize and strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are "
                "not supported together. Please either set `strict=False` or "
                "`vectorize=False`."
            )
        if vectorize:
            result = _finish(_joint_vjp_blocks(outs, ins, create_graph, stack), create_graph)
            return _unpack2(result, outputs_tuple, inputs_tuple)
        rows_per_output = []
        for i, out in enumerate(outs):
            rows: list[list[Tensor]] = [[] for _ in ins]
            flat = out.reshape(-1)
            for k in range(out.nelement()):
                grads = _grad((flat[k],), ins, retain_graph=True, create_graph=create_graph)
                for j, (g, inp) in enumerate(zip(grads, ins)):
                    if g is None:
                        if strict:
                            raise RuntimeError(
                                f"Output {i} of the user-provided function is independent of "
                                f"input {j}. This is not allowed in strict mode."
                            )
                        g = zeros_like(inp)
                    elif strict and create_graph and not g.requires_grad:
                        raise RuntimeError(
                            "The jacobian of the user-provided function is independent of "
                            f"input {i}. This is not allowed in strict mode when "
                            "create_graph=True."
                        )
                    rows[j].append(g)
            rows_per_output.append(tuple(
                _stack_rows(rows[j], out, ins[j], stack) for j in range(len(ins))
            ))
        result = _finish(tuple(rows_per_output), create_graph)
    return _unpack2(result, outputs_tuple, inputs_tuple)


def _joint_vjp_blocks(outs: tuple, ins: tuple, create_graph: bool, stack: Any) -> tuple:
    """`vectorize=True`'s Jacobian blocks: as PyTorch's vmapped vjp, each row is one vjp of
    all the outputs at once, the cotangent a row of the identity over their concatenation
    (so the other outputs add their zero contributions, and signed zeros come out as
    PyTorch's); rows are computed one by one, without vmap."""
    from .._creation import zeros_like

    blocks = []
    for i, out in enumerate(outs):
        rows: list[list[Tensor]] = [[] for _ in ins]
        for k in range(out.nelement()):
            cotangents = [zeros_like(o) for o in outs]
            cotangents[i].view(-1)[k] = 1
            grads = _grad(outs, ins, tuple(cotangents), retain_graph=True, create_graph=create_graph)
            for j, (g, inp) in enumerate(zip(grads, ins)):
                rows[j].append(zeros_like(inp) if g is None else g)
        blocks.append(tuple(_stack_rows(rows[j], out, ins[j], stack) for j in range(len(ins))))
    return tuple(blocks)


def _forward_mode_jacobian(func: Callable, inputs: Any, hessian_graph: bool = False) -> Any:
    from ._jacobian_forward import forward_jacobian

    inputs_tuple, ins = _as_tuple(inputs, "inputs", "jacobian")
    outputs_tuple, blocks = forward_jacobian(func, ins, _as_tuple, hessian_graph)
    return _forward_layout(_unpack2(tuple(tuple(row) for row in blocks), outputs_tuple, inputs_tuple), inputs)


def _forward_layout(result: Any, inputs: Any) -> Any:
    """The same Jacobian nested as PyTorch's forward-mode strategy gives it: the blocks
    of one output in a list over a tuple of inputs, and those in a list over a tuple of
    outputs. (The values are the reverse-mode ones: both strategies compute the same
    derivative.)"""
    if not isinstance(inputs, tuple):
        return result
    if isinstance(result, tuple) and result and isinstance(result[0], tuple):
        return [list(row) for row in result]
    return list(result)


def _stack_rows(rows: list, out: Tensor, inp: Tensor, stack: Any) -> Tensor:
    """One Jacobian block from its rows (an empty output has no rows: stack refuses)."""
    return stack(rows, 0).view(tuple(out.shape) + tuple(inp.shape))


def hessian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """The Hessian of a scalar function: entry `[i][j]` has shape
    `inputs[i].shape + inputs[j].shape` (a single tensor for a single input).

    Args:
        func: a function of tensors returning a one-element tensor.
        inputs: a tensor or a tuple of tensors, the point of evaluation.
        create_graph: make the result differentiable, so it can be differentiated again
            (default False: the result is detached).
        strict: raise when an output does not depend on an input, instead of giving
            zeros there (default False).
        vectorize: accepted for PyTorch compatibility; the rows are computed one by one.
        outer_jacobian_strategy: "reverse-mode" (default) or "forward-mode" (needs
            `vectorize=True`).
    """
    inputs_tuple, ins = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def scalar_func(*args: Tensor) -> Tensor:
        out = func(*args)
        was_tuple, outs = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _require_grads(outs, "outputs", strict)
        _single_scalar_output(outs, was_tuple, "hessian")
        return out.squeeze()

    def gradient(*args: Tensor) -> Any:
        g = jacobian(scalar_func, args, create_graph=True)
        _require_grads(g, "jacobian", strict)
        return g

    if outer_jacobian_strategy == "forward-mode" and vectorize and not (create_graph or strict):
        result = _forward_mode_jacobian(gradient, ins, hessian_graph=True)
    else:
        result = jacobian(gradient, ins, create_graph=create_graph, strict=strict,
                          vectorize=vectorize, strategy=outer_jacobian_strategy)
    return _unpack2(result, inputs_tuple, inputs_tuple)


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """`(func(inputs), v^T H)`: the vector-Hessian product of a scalar function.

    Args:
        func: a function of tensors returning a one-element tensor.
        inputs: a tensor or a tuple of tensors, the point of evaluation.
        v: the vector, shaped like the inputs; None is allowed when `inputs` is one
            one-element tensor, and means 1.
        create_graph: make the result differentiable, so it can be differentiated again
            (default False: the result is detached).
        strict: raise when an output does not depend on an input, instead of giving
            zeros there (default False).
    """
    with enable_grad():
        inputs_tuple, ins = _as_tuple(inputs, "inputs", "vhp")
        ins = _prepare(ins, create_graph, need_graph=True)
        v = _hessian_vector(v, ins, inputs_tuple, create_graph, "vhp")
        outputs_tuple, outs = _call(func, ins, "vhp")
        _require_grads(outs, "outputs", strict)
        _single_scalar_output(outs, outputs_tuple, "vhp")
        first = _grad(outs, ins, create_graph=True)
        _require_grads(first, "jacobian", strict)
    with set_grad_enabled(_result_grad_mode(create_graph)):
        grads = _grad(first, ins, v, create_graph=create_graph)
        result = _zeros_for_missing(grads, ins, strict, create_graph, "double_back")
    return (_unpack(_finish(outs, create_graph), outputs_tuple),
            _unpack(_finish(result, create_graph), inputs_tuple))


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """`(func(inputs), H v)`: the Hessian-vector product of a scalar function, by double
    backward.

    Args:
        func: a function of tensors returning a one-element tensor.
        inputs: a tensor or a tuple of tensors, the point of evaluation.
        v: the vector, shaped like the inputs; None is allowed when `inputs` is one
            one-element tensor, and means 1.
        create_graph: make the result differentiable, so it can be differentiated again
            (default False: the result is detached).
        strict: raise when an output does not depend on an input, instead of giving
            zeros there (default False).
    """
    from .._creation import zeros_like

    with enable_grad():
        inputs_tuple, ins = _as_tuple(inputs, "inputs", "hvp")
        ins = _prepare(ins, create_graph, need_graph=True)
        v = _hessian_vector(v, ins, inputs_tuple, create_graph, "hvp")
        outputs_tuple, outs = _call(func, ins, "hvp")
        _require_grads(outs, "outputs", strict)
        _single_scalar_output(outs, outputs_tuple, "hvp")
        first = _grad(outs, ins, create_graph=True)
        _require_grads(first, "jacobian", strict)
        u = tuple(zeros_like(t, requires_grad=True) for t in ins)
        second = _grad(first, ins, u, create_graph=True)
        _require_grads(first, "hessian", strict)
    with set_grad_enabled(_result_grad_mode(create_graph)):
        grads = _grad(second, u, v, create_graph=create_graph)
        result = _zeros_for_missing(grads, ins, strict, create_graph, "double_back_trick")
    return (_unpack(_finish(outs, create_graph), outputs_tuple),
            _unpack(_finish(result, create_graph), inputs_tuple))


def _hessian_vector(v: Any, ins: tuple, inputs_tuple: bool, create_graph: bool,
                    fn_name: str) -> tuple | None:
    if v is None:
        if len(ins) != 1 or ins[0].nelement() != 1:
            raise RuntimeError(
                "The vector v can only be None if the input to the user-provided function is a "
                "single Tensor with a single element."
            )
        return None
    _, v = _as_tuple(v, "v", fn_name)
    v = _prepare(v, create_graph, need_graph=False)
    _check_v(v, ins, inputs_tuple)
    return v
