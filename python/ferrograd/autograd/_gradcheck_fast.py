"""`gradcheck(fast_mode=True)`: PyTorch's check of `v^T J u` for random unit vectors
`u` (per input) and `v` (per output) drawn from a fresh `Generator`, so the numbers in
its failure message are PyTorch's. On a mismatch the message adds the slow-mode
Jacobians, as PyTorch's does."""

from __future__ import annotations

from .._core import Tensor
from .._numpy import np

_SLOW_WOULD_PASS = """
Fast gradcheck failed but element-wise differences are small. This means that the
test might've passed in slow_mode!

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck:

If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `fast_mode=False` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_fast_mode=False`
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_fast_mode=False`
""".strip()


def _unit_vectors(tensors: list[Tensor], generator) -> list[Tensor]:
    from .._creation import rand

    vectors = []
    for t in tensors:
        vec = rand(t.numel(), generator=generator).to(t.dtype)
        vectors.append(vec / vec.norm())
    return vectors


def _running_sum(t: Tensor) -> Tensor:
    """The sum of a short vector added left to right in float64, then rounded to its
    dtype: the digits PyTorch's sum and dot print for the few elements of a test input."""
    from .._creation import tensor

    values = t.detach().numpy().astype(np.float64)
    return tensor(np.cumsum(values)[-1] if values.size else 0, dtype=t.dtype)


def _directional_differences(func, inputs: tuple, k: int, u: Tensor, eps: float) -> list[Tensor]:
    """(f(x + eps u) - f(x - eps u)) / (2 eps) per output, flat, with input `k` as x."""
    from .gradcheck import _flat_outputs

    flat = inputs[k].data
    orig = flat.clone()
    delta = u.reshape(tuple(flat.shape)) * eps
    sides = []
    for moved in (orig - delta, orig + delta):
        flat.copy_(moved)
        sides.append([o.detach().clone() for o in _flat_outputs(func, inputs)])
    flat.copy_(orig)
    return [((b - a) / (2 * eps)).reshape(-1) for a, b in zip(*sides)]


def _slow_mode_report(a: np.ndarray, n: np.ndarray, like: Tensor, atol: float, rtol: float) -> str:
    from .gradcheck import _as_tensor

    numerical, analytical = _as_tensor(n, like), _as_tensor(a, like)
    max_diff = (numerical - analytical).abs().max()
    text = (
        "\nThe above quantities relating the numerical and analytical jacobians are computed \n"
        "in fast mode. See: https://github.com/pytorch/pytorch/issues/53876 for more background \n"
        "about fast mode. Below, we recompute numerical and analytical jacobians in slow mode:\n\n"
        f"Numerical:\n {numerical}\nAnalytical:\n{analytical}\n\n"
        f"The max per-element difference (slow mode) is: {max_diff}.\n"
    )
    if np.allclose(a, n, rtol=rtol, atol=atol):
        text += _SLOW_WOULD_PASS
    return text


def fast_mismatch(func, inputs: tuple, outputs: list, numerical: list, eps: float, atol: float,
                  rtol: float) -> str | None:
    """The message of the first input/output pair whose `v^T J u` disagree; None if none."""
    from .. import autograd
    from .._creation import zeros
    from .._random import Generator
    from .gradcheck import _analytical_jacobian

    diff_inputs = [k for k, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    diff_outputs = [o for o in outputs if o.requires_grad]
    generator = Generator()
    us = _unit_vectors([inputs[k] for k in diff_inputs], generator)
    vs = _unit_vectors(diff_outputs, generator)
    numerical_vju = []
    for k, u in zip(diff_inputs, us):
        ju = [d for d, o in zip(_directional_differences(func, inputs, k, u, eps), outputs)
              if o.is_floating_point() or o.is_complex()]
        numerical_vju.append([_running_sum(v * j) for v, j in zip(vs, ju)])
    analytical_vju = []
    for out, v in zip(diff_outputs, vs):
        grads = autograd.grad(out, [inputs[k] for k in diff_inputs], v.reshape(tuple(out.shape)),
                              retain_graph=True, allow_unused=True)
        analytical_vju.append([
            _running_sum((zeros(u.numel(), dtype=u.dtype) if g is None else g.reshape(-1)) * u)
            for g, u in zip(grads, us)
        ])
    for i, (k, u) in enumerate(zip(diff_inputs, us)):
        for j, (out, v) in enumerate(zip(diff_outputs, vs)):
            a, n = analytical_vju[j][i], numerical_vju[i][j]
            scaled_atol = atol * float(u.sum()) * float(v.sum())
            if bool((a - n).abs() <= scaled_atol + rtol * n.abs()):
                continue
            slow_a = _analytical_jacobian(out, inputs)[k]
            slow_n = numerical[k][next(m for m, o in enumerate(outputs) if o is out)]
            return (f"Jacobian mismatch for output {j} with respect to input {i},\n"
                    f"numerical:{n}\nanalytical:{a}\n"
                    + _slow_mode_report(slow_a, slow_n, inputs[k], atol, rtol))
    return None
