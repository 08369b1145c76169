"""The reparameterization gradient of Dirichlet draws: each coordinate x ~ Beta(a, b)
with b = total - a moves with a so that its Beta CDF stays fixed, giving
d x / d a = -(∂I_x(a, b)/∂a) / (pdf(x) (1 - x)) (the regularized incomplete beta I
evaluated by its continued fraction, its a-derivative by a central difference)."""

from __future__ import annotations

import math

from . import _core
from ._core import Tensor

_TINY = 1e-300


def _continued_fraction(a: float, b: float, x: float) -> float:
    """Lentz's evaluation of the continued fraction of I_x(a, b)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 500):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < 1e-16:
            break
    return h


def _log_front(a: float, b: float, x: float) -> float:
    """log(x^a (1-x)^b / B(a, b))."""
    return math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)


def _incomplete_beta(a: float, b: float, x: float) -> float:
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(_log_front(a, b, x)) * _continued_fraction(a, b, x) / a
    return 1.0 - math.exp(_log_front(a, b, x)) * _continued_fraction(b, a, 1.0 - x) / b


def _grad_one(x: float, a: float, total: float) -> float:
    b = total - a
    if not (0.0 < x < 1.0) or a <= 0.0 or b <= 0.0:
        return 0.0
    h = 1e-5 * a
    d_cdf = (_incomplete_beta(a + h, b, x) - _incomplete_beta(a - h, b, x)) / (2.0 * h) if a > h else 0.0
    # pdf(x) * x * (1 - x) = exp(_log_front)
    pdf_times = math.exp(_log_front(a, b, x))
    return -d_cdf * x / pdf_times


def _dirichlet_grad(x: Tensor, alpha: Tensor, total: Tensor) -> Tensor:
    """d x / d alpha for each Dirichlet coordinate `x` of concentration `alpha` among
    concentrations summing to `total` (PyTorch's `_dirichlet_grad`)."""
    import numpy as np

    import ferrograd

    from ._creation import tensor

    xs, alphas, totals = ferrograd.broadcast_tensors(x.detach(), alpha.detach(), total.detach())
    triples = zip(*(t.contiguous().numpy().astype(np.float64).reshape(-1).tolist() for t in (xs, alphas, totals)))
    grads = np.asarray([_grad_one(*t) for t in triples], dtype=np.float64).reshape(tuple(xs.shape))
    return tensor(grads, dtype=x.dtype)


def attach_dirichlet(concentration: Tensor, drawn: Tensor) -> Tensor:
    """`drawn` as a function of `concentration` whose backward is PyTorch's
    `grad * (g - sum(x * g))` with `grad` from `_dirichlet_grad`."""
    total = concentration.detach().sum(-1, True).expand_as(concentration)
    slope = _dirichlet_grad(drawn, concentration, total)
    shift = (concentration - concentration.detach()) * slope
    x = drawn.detach()
    return _core._named_node(drawn + (shift - x * shift.sum(-1, True)), "_DirichletBackward")
