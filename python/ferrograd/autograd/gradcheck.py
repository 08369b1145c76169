"""Finite-difference gradient checks (`gradcheck`, `gradgradcheck`)."""

from __future__ import annotations

import numpy as np

from .._core import Tensor


class GradcheckError(RuntimeError):
    """Analytical and numerical gradients disagree."""


def _tuple(x):
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _flat_outputs(fn, inputs):
    out = fn(*inputs)
    return [o for o in _tuple(out) if isinstance(o, Tensor)]


def _numerical_jacobian(fn, inputs, out_index, out_numel, eps):
    """Columns d out / d input_k by central differences, one input element at a time."""
    jac = []
    for inp in inputs:
        if not (isinstance(inp, Tensor) and inp.requires_grad):
            jac.append(None)
            continue
        j = np.zeros((inp.numel(), out_numel))
        flat = inp.detach()
        base = flat.numpy().reshape(-1).copy()
        for k in range(inp.numel()):
            vals = base.copy()
            vals[k] += eps
            flat.copy_(_from(vals.reshape(tuple(inp.shape)), inp))
            plus = _flat_outputs(fn, inputs)[out_index].detach().numpy().reshape(-1).astype(np.float64)
            vals[k] -= 2 * eps
            flat.copy_(_from(vals.reshape(tuple(inp.shape)), inp))
            minus = _flat_outputs(fn, inputs)[out_index].detach().numpy().reshape(-1).astype(np.float64)
            flat.copy_(_from(base.reshape(tuple(inp.shape)), inp))
            j[k] = (plus - minus) / (2 * eps)
        jac.append(j)
    return jac


def _from(values, like):
    from .._creation import tensor

    return tensor(values, dtype=like.dtype)


def _analytical_jacobian(fn, inputs, out_index, out_numel):
    from .. import autograd
    from .._creation import zeros

    diff_inputs = [i for i in inputs if isinstance(i, Tensor) and i.requires_grad]
    jac = [np.zeros((i.numel(), out_numel)) if isinstance(i, Tensor) and i.requires_grad else None for i in inputs]
    out = _flat_outputs(fn, inputs)[out_index]
    for m in range(out_numel):
        g = zeros(out_numel, dtype=out.dtype)
        g[m] = 1
        grads = autograd.grad(out, diff_inputs, g.reshape(tuple(out.shape)), retain_graph=True, allow_unused=True)
        it = iter(grads)
        for idx, inp in enumerate(inputs):
            if jac[idx] is None:
                continue
            gi = next(it)
            if gi is not None:
                jac[idx][:, m] = gi.detach().numpy().reshape(-1)
    return jac


def gradcheck(func, inputs, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, **_unused) -> bool:
    """Compares autograd's gradients of `func` at `inputs` with central differences."""
    inputs = _tuple(inputs)
    outputs = _flat_outputs(func, inputs)
    for oi, out in enumerate(outputs):
        if not out.requires_grad:
            continue
        n = out.numel()
        numerical = _numerical_jacobian(func, inputs, oi, n, eps)
        analytical = _analytical_jacobian(func, inputs, oi, n)
        for k, (a, b) in enumerate(zip(analytical, numerical)):
            if a is None:
                continue
            if not np.allclose(a, b, atol=atol, rtol=rtol):
                if raise_exception:
                    raise GradcheckError(
                        f"Jacobian mismatch for output {oi} with respect to input {k},\n"
                        f"numerical:{b}\nanalytical:{a}\n"
                    )
                return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, raise_exception: bool = True, **_unused) -> bool:
    """Checks second derivatives: gradcheck of the first-order gradient function."""
    from .. import autograd
    from .._creation import randn

    inputs = _tuple(inputs)
    outs = _flat_outputs(func, inputs)
    if grad_outputs is None:
        grad_outputs = [randn(tuple(o.shape), dtype=o.dtype, requires_grad=True) for o in outs]
    grad_outputs = list(_tuple(grad_outputs))
    diff = [i for i in inputs if isinstance(i, Tensor) and i.requires_grad]

    def first_order(*args):
        ins = args[: len(inputs)]
        gos = args[len(inputs):]
        o = _flat_outputs(func, ins)
        d = [i for i in ins if isinstance(i, Tensor) and i.requires_grad]
        gs = autograd.grad(o, d, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    del diff
    return gradcheck(first_order, tuple(inputs) + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
