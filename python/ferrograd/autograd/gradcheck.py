"""Finite-difference gradient checks (`gradcheck`, `gradgradcheck`).

Jacobians are laid out as PyTorch prints them: one row per input element, one column
per output element.
"""

from __future__ import annotations

import sys
import types
import warnings

from .._core import Tensor
from .._numpy import np

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """Analytical and numerical gradients disagree."""


def _tuple(x):
    """PyTorch's `_as_tuple`: a tuple or list as a tuple, anything else as a 1-tuple."""
    if isinstance(x, (tuple, list)):
        return tuple(x)
    return (x,)


def _flat_outputs(fn, inputs):
    out = fn(*inputs)
    outs = tuple(out) if isinstance(out, (tuple, list)) else (out,)
    for o in outs:
        if not isinstance(o, Tensor):
            # PyTorch reads `requires_grad` of every output
            raise AttributeError(f"'{type(o).__name__}' object has no attribute 'requires_grad'")  # noqa: TRY004
        if _sparse(o):
            raise ValueError("Sparse output is not supported at gradcheck yet. Please call to_dense(masked_grad=...) "
                             "on the output of fn for gradcheck.")
    return list(outs)


def _from(values, like):
    from .._creation import tensor

    return tensor(values, dtype=like.dtype)


def _outputs_at(fn, inputs, flat, base, k, value):
    """The flat outputs of `fn` with element `k` of the input `flat` set to `value`."""
    vals = base.copy()
    vals[k] = value
    flat.copy_(_from(vals.reshape(tuple(flat.shape)), flat))
    # copies: an output may be a view of the input, which the next step overwrites
    return [o.detach().numpy().reshape(-1).copy() for o in _flat_outputs(fn, inputs)]


def _numerical_jacobians(fn, inputs, eps):
    """For each input that requires grad, `(in_numel, out_numel)` central differences
    for every output; `None` for the other inputs."""
    jacs = []
    for inp in inputs:
        if not (isinstance(inp, Tensor) and inp.requires_grad):
            jacs.append(None)
            continue
        # `.data` has its own version counter: perturbing it leaves saved tensors valid.
        flat = inp.data
        base = flat.numpy().reshape(-1).copy()
        per_output = None
        for k in range(inp.numel()):
            # PyTorch's steps: x - eps, then x + eps, each rounded to the input's dtype;
            # the difference and its quotient in the output's dtype
            minus, plus = (_outputs_at(fn, inputs, flat, base, k, base[k] + step)
                           for step in (-eps, eps))
            flat.copy_(_from(base.reshape(tuple(inp.shape)), inp))
            if per_output is None:
                per_output = [np.zeros((inp.numel(), p.size)) for p in plus]
            for j, (p, m) in enumerate(zip(plus, minus)):
                if p.dtype == np.bool_:
                    raise RuntimeError(
                        "Subtraction, the `-` operator, with two bool tensors is not supported. "
                        "Use the `^` or `logical_xor()` operator instead."
                    )
                per_output[j][k] = (p - m) / (2 * eps)
        if per_output is None:  # an empty input
            per_output = [np.zeros((0, o.numel())) for o in _flat_outputs(fn, inputs)]
        jacs.append(per_output)
    return jacs


def _analytical_jacobian(out, inputs):
    """Rows d out / d input, one backward per output element."""
    from .. import autograd
    from .._creation import zeros

    diff_inputs = [i for i in inputs if isinstance(i, Tensor) and i.requires_grad]
    n = out.numel()
    jac = [np.zeros((i.numel(), n)) if isinstance(i, Tensor) and i.requires_grad else None
           for i in inputs]
    for m in range(n):
        g = zeros(n, dtype=out.dtype)
        g[m] = 1
        grads = autograd.grad(out, diff_inputs, g.reshape(tuple(out.shape)), retain_graph=True,
                              allow_unused=True)
        it = iter(grads)
        for idx in range(len(inputs)):
            if jac[idx] is None:
                continue
            gi = next(it)
            if gi is not None:
                jac[idx][:, m] = gi.detach().numpy().reshape(-1)
    return jac


def _forward_jacobians(fn, inputs, k):
    """Rows d out / d input `k` by forward mode, one dual evaluation per input element."""
    from .._creation import zeros_like
    from . import forward_ad

    inp = inputs[k]
    per_output = None
    for m in range(inp.numel()):
        tangent = zeros_like(inp).detach()
        tangent.view(-1)[m] = 1
        with forward_ad.dual_level():
            duals = list(inputs)
            duals[k] = forward_ad.make_dual(inp.detach(), tangent)
            outs = _flat_outputs(fn, duals)
            rows = []
            for o in outs:
                t = forward_ad.unpack_dual(o).tangent
                rows.append(np.zeros(o.numel()) if t is None else t.detach().numpy().reshape(-1))
        if per_output is None:
            per_output = [np.zeros((inp.numel(), o.numel())) for o in outs]
        for j, row in enumerate(rows):
            per_output[j][m] = row
    return per_output


def _as_tensor(a, like):
    from .._creation import tensor

    return tensor(a, dtype=like.dtype)


def _fail(message, raise_exception):
    if raise_exception:
        raise GradcheckError(message)
    return False


def _check_inputs(inputs):
    needs = [i for i in inputs if isinstance(i, Tensor) and i.requires_grad]
    if not needs:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them "
            "have requires_grad=True."
        )
    for idx, inp in enumerate(inputs):
        if isinstance(inp, Tensor) and inp.requires_grad and str(inp.dtype) != "ferrograd.float64":
            warnings.warn(
                f"Input #{idx} requires gradient and is not a double precision floating point "
                "or complex. This check will likely fail if all the inputs are not of double "
                "precision floating point or complex. ",
                UserWarning,
                stacklevel=3,
            )


def _sparse(x) -> bool:
    return isinstance(x, Tensor) and type(x) is not Tensor and (
        getattr(type(x), "_fg_compressed", False) or getattr(x, "is_sparse", False))


def _on_values(func, inputs):
    """`func` and `inputs` with each sparse input (COO or compressed) read as its stored
    values: what finite differences perturb, as PyTorch's gradcheck of a sparse input
    does (where PyTorch's analytical gradient is dense, its stored elements)."""
    if not any(_sparse(i) for i in inputs):
        return func, inputs
    from .._core import _named_node

    sparse = [_sparse(i) for i in inputs]
    values = tuple(i._fg_values.detach().clone().requires_grad_(i.requires_grad) if s else i
                   for i, s in zip(inputs, sparse, strict=True))

    def rebuilt(template, v):
        from .._sparse_coo import derived as coo_derived
        from .._sparse_csr import derived as compressed_derived

        # a node over the values (not a leaf), so products route their gradient to them
        node = _named_node(v, "AliasBackward0") if v.requires_grad else v
        return (coo_derived if template.is_sparse else compressed_derived)(template, node)

    def values_func(*xs):
        return func(*(rebuilt(i, x) if s else x for i, x, s in zip(inputs, xs, sparse, strict=True)))

    return values_func, values


def _realified(func, inputs):
    """`func` and `inputs` with every complex tensor read as real (re, im) pairs: the
    Jacobian of the real view holds both Wirtinger derivatives PyTorch checks."""
    from .._complex import view_as_complex, view_as_real

    is_complex = [isinstance(i, Tensor) and i.dtype.is_complex for i in inputs]
    reals = tuple(
        view_as_real(i.detach().resolve_conj()).clone().requires_grad_(i.requires_grad) if c else i
        for i, c in zip(inputs, is_complex, strict=True)
    )

    def real_func(*xs):
        zs = [view_as_complex(x) if c else x for x, c in zip(xs, is_complex, strict=True)]
        out = func(*zs)
        if not isinstance(out, (Tensor, tuple, list)):
            return out  # refused by `_flat_outputs`
        real_func.complex_outputs = [isinstance(o, Tensor) and o.dtype.is_complex for o in _tuple(out)]
        outs = tuple(
            view_as_real(o.resolve_conj()) if isinstance(o, Tensor) and o.dtype.is_complex else o
            for o in _tuple(out)
        )
        return outs[0] if isinstance(out, Tensor) else outs

    real_func.complex_outputs = []
    return real_func, reals


def _complex_block(jac, input_complex: bool, output_complex: bool, part: str):
    """One block of a realified Jacobian (rows: input elements, re and im interleaved
    for a complex input; columns likewise for the outputs) as PyTorch reports it: one
    column per element of the real or imaginary part of a complex output, and
    d/dx + 1j d/dy per element of a complex input."""
    if output_complex:
        jac = jac[:, 1::2] if part == "imaginary" else jac[:, 0::2]
    if input_complex:
        jac = jac[0::2] + 1j * jac[1::2]
    return jac


def gradcheck(func, inputs, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, nondet_tol: float = 0.0,
              check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
              check_batched_grad: bool = False, check_batched_forward_grad: bool = False,
              check_forward_ad: bool = False, check_backward_ad: bool = True,
              fast_mode: bool = False, masked=None) -> bool:
    """Compares autograd's gradients of `func` at `inputs` with central differences:
    `|analytical - numerical| <= atol + rtol * |numerical|` element by element.

    Inputs that require grad should be float64: a warning says when one is not.

    Args:
        func: a function of the inputs returning a tensor or a tuple of tensors.
        inputs: a tensor or a tuple of arguments to `func`; the tensors that require
            grad are perturbed.
        eps: the finite-difference step (default 1e-6).
        atol: the absolute tolerance (default 1e-5).
        rtol: the relative tolerance (default 1e-3).
        raise_exception: True (default): raise `GradcheckError` naming the first
            mismatching Jacobian; False: return False instead.
        nondet_tol: how far apart two backward passes over the same gradients may be
            (default 0.0: identical); further apart fails as "not reentrant".
        check_undefined_grad: accepted for PyTorch compatibility; not checked.
        check_grad_dtypes: accepted for PyTorch compatibility; not checked.
        check_batched_grad: accepted for PyTorch compatibility; not checked.
        check_batched_forward_grad: accepted for PyTorch compatibility; not checked.
        check_forward_ad: also compare the Jacobians forward mode (`forward_ad`) computes
            (default False).
        check_backward_ad: compare the Jacobians backward mode computes (default True).
        fast_mode: compare `v^T J u` for random unit vectors instead of whole Jacobians
            (backward mode; PyTorch's vectors, so its numbers on a failure).
        masked: accepted for PyTorch compatibility; ignored.

    Returns:
        True when every Jacobian matches.
    """
    if not (check_forward_ad or check_backward_ad):
        raise AssertionError("Expected at least one of check_forward_ad or check_backward_ad to be True")
    inputs = _tuple(inputs)
    func, inputs = _on_values(func, inputs)
    input_dtypes = [i.dtype if isinstance(i, Tensor) else None for i in inputs]
    func, inputs = _realified(func, inputs)
    _check_inputs(inputs)
    numerical = _numerical_jacobians(func, inputs, eps)
    outputs = _flat_outputs(func, inputs)
    if not any(o.requires_grad for o in outputs):
        # PyTorch's numerical Jacobians leave out integral outputs
        inexact = [o.is_floating_point() or o.is_complex() for o in outputs]
        for per_output in numerical:
            if per_output is not None and any(np.any(j != 0) for j, keep in zip(per_output, inexact) if keep):
                return _fail("Numerical gradient for function expected to be zero", raise_exception)
        return True
    def mismatch(mode: str, oi: int, k: int, a, b) -> bool:
        like = inputs[k]
        return _fail(
            f"Jacobian {mode}mismatch for output {oi} with respect to input {k},\n"
            f"numerical:{_as_tensor(b, like)}\nanalytical:{_as_tensor(a, like)}\n",
            raise_exception,
        )

    if check_backward_ad and fast_mode:
        from ._gradcheck_fast import fast_mismatch

        message = fast_mismatch(func, inputs, outputs, numerical, eps, atol, rtol)
        if message is not None:
            return _fail(message, raise_exception)
    elif check_backward_ad:
        input_complex = [d is not None and d.is_complex for d in input_dtypes]
        output_complex = list(func.complex_outputs)
        any_complex = any(input_complex) or any(output_complex)
        jacobians = []
        for oi, out in enumerate(outputs):
            if not out.requires_grad:
                jacobians.append(None)
                continue
            analytical = _analytical_jacobian(out, inputs)
            jacobians.append(analytical)
            # PyTorch runs each backward twice: results further apart than nondet_tol fail
            again = _analytical_jacobian(out, inputs)
            if not all(a is None or a.size == 0 or np.abs(a - b).max() <= nondet_tol
                       for a, b in zip(analytical, again)):
                return _fail(
                    "Backward is not reentrant, i.e., running backward with same input and grad_output "
                    "multiple times gives different values, although analytical gradient matches "
                    f"numerical gradient.The tolerance for nondeterminism was {nondet_tol}.",
                    raise_exception,
                )
            if any_complex:
                continue  # compared below, part by part
            for k, (a, per_output) in enumerate(zip(analytical, numerical)):
                if a is not None and not np.allclose(a, per_output[oi], atol=atol, rtol=rtol):
                    return mismatch("", oi, k, a, per_output[oi])
        # PyTorch checks the imaginary parts of complex outputs, then the real parts
        for part in (("imaginary", "real") if any(output_complex) else ("real",)) if any_complex else ():
            for oi, analytical in enumerate(jacobians):
                if analytical is None:
                    continue
                out_c = oi < len(output_complex) and output_complex[oi]
                for k, (a, per_output) in enumerate(zip(analytical, numerical)):
                    if a is None:
                        continue
                    a = _complex_block(a, input_complex[k], out_c, part)
                    b = _complex_block(per_output[oi], input_complex[k], out_c, part)
                    if not np.allclose(a, b, atol=atol, rtol=rtol):
                        from .._creation import tensor

                        prefix = f"While considering the {part} part of complex outputs only, " if out_c else ""
                        dtype = input_dtypes[k] if input_complex[k] else inputs[k].dtype
                        return _fail(
                            f"{prefix}Jacobian mismatch for output {oi} with respect to input {k},\n"
                            f"numerical:{tensor(b, dtype=dtype)}\nanalytical:{tensor(a, dtype=dtype)}\n",
                            raise_exception,
                        )
    if check_forward_ad:
        forward = [None if n is None else _forward_jacobians(func, inputs, k)
                   for k, n in enumerate(numerical)]
        for oi, out in enumerate(outputs):
            if not out.requires_grad:
                continue
            for k, (a, per_output) in enumerate(zip(forward, numerical)):
                if a is not None and not np.allclose(a[oi], per_output[oi], atol=atol, rtol=rtol):
                    return mismatch("computed with forward mode ", oi, k, a[oi], per_output[oi])
    if check_backward_ad:
        message = _zero_grad_output_message(outputs, inputs)
        if message is not None:
            return _fail(message, raise_exception)
    return True


def _zero_grad_output_message(outputs, inputs):
    """PyTorch's last check: zero gradients of the outputs give zero (or no) gradients of
    the inputs, of their dtype and size; what is wrong otherwise."""
    from .. import autograd
    from .._creation import zeros_like

    outs = [o for o in outputs if o.requires_grad]
    diff = [i for i in inputs if isinstance(i, Tensor) and i.requires_grad]
    if not outs or not diff:
        return None
    try:
        grads = autograd.grad(outs, diff, [zeros_like(o) for o in outs], allow_unused=True)
    except RuntimeError:
        # PyTorch would raise here; ferrograd's backward of linalg.svd(full_matrices=True)
        # still refuses all-zero gradients of U and Vh (a core bug), which gradcheck's
        # Jacobian checks above never meet
        return None
    for g, d in zip(grads, diff):
        if g is None:
            continue
        if g.dtype != d.dtype:
            return "grad is incorrect type"
        if g.shape != d.shape:
            return "grad is incorrect size"
        if not bool(g.eq(0).all()):
            return "backward not multiplied by grad_output"
    return None


def gradgradcheck(func, inputs, grad_outputs=None, *, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, gen_non_contig_grad_outputs: bool = False,
                  raise_exception: bool = True, nondet_tol: float = 0.0,
                  check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
                  check_batched_grad: bool = False, check_fwd_over_rev: bool = False,
                  check_rev_over_rev: bool = True, fast_mode: bool = False, masked=None) -> bool:
    """Checks second derivatives: `gradcheck` of the function
    `(inputs, grad_outputs) -> autograd.grad(func(inputs), inputs, grad_outputs)`.

    Args:
        func: a function of the inputs returning a tensor or a tuple of tensors.
        inputs: a tensor or a tuple of arguments to `func`.
        grad_outputs: the gradients of the outputs, one per output that requires grad;
            None (default) draws random ones (`testing.make_tensor` in [-1, 1), as
            PyTorch draws them) that require grad.
        eps: the finite-difference step (default 1e-6).
        atol: the absolute tolerance (default 1e-5).
        rtol: the relative tolerance (default 1e-3).
        gen_non_contig_grad_outputs: make the drawn grad_outputs non-contiguous.
        raise_exception: True (default): raise `GradcheckError` on a mismatch; False:
            return False instead.
        nondet_tol: how far apart two backward passes over the same gradients may be
            (default 0.0), as for `gradcheck`.
        check_undefined_grad: accepted for PyTorch compatibility; not checked.
        check_grad_dtypes: accepted for PyTorch compatibility; not checked.
        check_batched_grad: accepted for PyTorch compatibility; not checked.
        check_fwd_over_rev: accepted for PyTorch compatibility; forward mode over the
            first derivatives is not checked.
        check_rev_over_rev: accepted for PyTorch compatibility; reverse over reverse is
            always checked (one of the two must be True, as in PyTorch).
        fast_mode: compare `v^T J u` projections, as `gradcheck(fast_mode=True)`.
        masked: accepted for PyTorch compatibility; ignored.

    Returns:
        True when every second-order Jacobian matches.
    """
    from .. import autograd
    from .._core import float64
    from ..testing import make_tensor

    if not (check_fwd_over_rev or check_rev_over_rev):
        raise AssertionError("Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True")
    for flag, name in ((check_undefined_grad, "check_undefined_grad"), (check_batched_grad, "check_batched_grad")):
        if flag and not check_rev_over_rev:
            raise AssertionError(f"Setting {name}=True requires check_rev_over_rev to be True")
    inputs = _tuple(inputs)
    if grad_outputs is None:
        outs = _flat_outputs(func, inputs)
        grad_outputs = [
            make_tensor(tuple(o.shape), device="cpu", dtype=o.dtype if o.is_floating_point() or o.is_complex()
                        else float64, low=-1, high=1, requires_grad=True,
                        noncontiguous=gen_non_contig_grad_outputs)
            for o in outs if o.requires_grad
        ]
    grad_outputs = tuple(_tuple(grad_outputs))
    n_in = len(inputs)

    def first_order(*args):
        ins = args[:n_in]
        gos = args[n_in:]
        outs = [o for o in _flat_outputs(func, ins) if o.requires_grad]
        diff = [i for i in ins if isinstance(i, Tensor) and i.requires_grad]
        grads = autograd.grad(outs, diff, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_order, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, fast_mode=fast_mode, nondet_tol=nondet_tol)


class _CallableModule(types.ModuleType):
    """This module, callable as `gradcheck`: importing `autograd.gradcheck` (for
    `GradcheckError`, say) binds the package attribute `gradcheck` to the module, and
    `ferrograd.autograd.gradcheck(fn, inputs)` must still run the check as in PyTorch."""

    def __call__(self, *args, **kwargs):
        return gradcheck(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
