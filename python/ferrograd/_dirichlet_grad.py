"""The reparameterization gradient of Dirichlet draws: each coordinate x ~ Beta(a, b)
with b = total - a moves with a so that its Beta CDF stays fixed,
d x / d a = -(∂I_x(a, b)/∂a) / (pdf(x) (1 - x)). PyTorch approximates it in four
regimes (series near x = 0 and x = 1, Rice's saddle point for large a and b, a rational
fit elsewhere; a few parts in a thousand), and so do we, so that gradients match its."""

from __future__ import annotations

import math

from . import _core
from ._core import Tensor
from ._gamma_grad import _digamma

# PyTorch's rational correction: _FIT[numerator or denominator][power of u][power of a] holds
# the cubic in b's coefficients
_FIT = (
    (((1.003668233, -0.01061107488, -0.0657888334, 0.01201642863),
      (0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033),
      (-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013)),
     ((0.221950385, -0.3187676331, 0.01799915743, 0.01074823814),
      (-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057),
      (0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05)),
     ((-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565),
      (0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181),
      (0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05))),
    (((1, -0.02924021934, -0.04438342661, 0.007285809825),
      (0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521),
      (-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149)),
     ((0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273),
      (0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956),
      (-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05)),
     ((0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05),
      (0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05),
      (-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06))),
)


def _power(base: float, exponent: float) -> float:
    try:
        return math.pow(base, exponent)
    except (OverflowError, ValueError):
        return math.nan


def _alpha_small(x: float, alpha: float, beta: float) -> float:
    """Taylor series in x for x near 0."""
    factor = _digamma(alpha) - _digamma(alpha + beta) - math.log(x)
    numer = 1.0
    series = numer / alpha * (factor + 1 / alpha)
    for i in range(1, 11):
        numer *= (i - beta) * x / i
        denom = alpha + i
        series += numer / denom * (factor + 1 / denom)
    result = x * _power(1 - x, -beta) * series
    return 0.0 if math.isnan(result) else result


def _beta_small(x: float, alpha: float, beta: float) -> float:
    """The gradient with respect to beta, Taylor series in x for x near 0."""
    factor = _digamma(alpha + beta) - _digamma(beta)
    numer, betas, dbetas, series = 1.0, 1.0, 0.0, factor / alpha
    for i in range(1, 9):
        numer *= -x / i
        dbetas = dbetas * (beta - i) + betas
        betas = betas * (beta - i)
        series += numer / (alpha + i) * (dbetas + factor * betas)
    result = -_power(1 - x, 1 - beta) * series
    return 0.0 if math.isnan(result) else result


def _alpha_mid(x: float, alpha: float, beta: float) -> float:
    """Rice's saddle-point expansion for large alpha and beta."""
    total = alpha + beta
    mean = alpha / total
    std = math.sqrt(alpha * beta / (total + 1)) / total
    if mean - 0.1 * std <= x <= mean + 0.1 * std:
        # the expansion's singularity at x = mean, replaced by its limit
        poly = 47 * x * (beta * beta) * (beta * beta) + alpha * (
            (43 + 20 * (16 + 27 * beta) * x) * (beta * beta) * beta + alpha * (
                3 * (59 + 180 * beta - 90 * x) * (beta * beta) + alpha * (
                    (453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (8 * (1 - x) * (135 * beta - 11)))))
        prefactor_num = (1 + 12 * alpha) * (1 + 12 * beta) / (total * total)
        prefactor_den = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total)
        return prefactor_num / (1 - x) * poly / prefactor_den
    prefactor = -x / math.sqrt(2 * alpha * beta / total)
    stirling = ((1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha)) * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta))
                / (1 + 1 / (12 * total) + 1 / (288 * total * total)))
    term1_num = 2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * (beta * beta)
    axbx = alpha * (x - 1) + beta * x
    term1 = term1_num / (math.sqrt(2 * alpha / beta) * total**1.5 * axbx * axbx)
    term2 = 0.5 * math.log(alpha / (total * x))
    term3 = math.sqrt(8 * alpha * beta / total) / (beta * x + alpha * (x - 1))
    term4 = _power(beta * math.log(beta / (total * (1 - x))) + alpha * math.log(alpha / (total * x)), -1.5)
    return stirling * prefactor * (term1 + term2 * (term3 + (term4 if x < mean else -term4)))


def _rational_fit(x: float, alpha: float, total: float) -> float:
    u = math.log(x)
    a = math.log(alpha) - u
    b = math.log(total) - a
    p = q = 0.0
    for i, pow_u in enumerate((1.0, u, u * u)):
        for j, pow_a in enumerate((1.0, a, a * a)):
            (p0, p1, p2, p3), (q0, q1, q2, q3) = _FIT[0][i][j], _FIT[1][i][j]
            p += pow_u * pow_a * (p0 + b * (p1 + b * (p2 + b * p3)))
            q += pow_u * pow_a * (q0 + b * (q1 + b * (q2 + b * q3)))
    return p / q * x * (_digamma(total) - _digamma(alpha)) / (total - alpha)


def _grad_one(x: float, alpha: float, total: float) -> float:
    """PyTorch's `dirichlet_grad_one`."""
    beta = total - alpha
    boundary = total * x * (1 - x)
    try:
        if x <= 0.5 and boundary < 2.5:
            return _alpha_small(x, alpha, beta)
        if x >= 0.5 and boundary < 0.75:
            return -_beta_small(1 - x, beta, alpha)
        if alpha > 6 and beta > 6:
            return _alpha_mid(x, alpha, beta)
        return _rational_fit(x, alpha, total)
    except (ValueError, ZeroDivisionError, OverflowError):
        return math.nan


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
