"""The reparameterization gradient of standard gamma draws, d x / d alpha with the
CDF held fixed, in PyTorch's three regimes: a series for small x, Rice's saddle-point
expansion for large alpha, and a bivariate rational fit elsewhere (accurate to a few
parts in a thousand, as PyTorch's)."""

from __future__ import annotations

import math

from . import _core
from ._core import Tensor

_COEF_UV = (
    [0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084],
    [0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915, -0.00058392623],
    [0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326, 0.00085092367,
     -1.5247877e-07],
)


def _digamma(x: float) -> float:
    result = 0.0
    while x < 6.0:
        result -= 1.0 / x
        x += 1.0
    inv = 1.0 / x
    inv2 = inv * inv
    return result + math.log(x) - 0.5 * inv - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (
        1 / 240 - inv2 / 132))))


def _grad_one(alpha: float, x: float) -> float:
    if x < 0.8:
        numer, denom = 1.0, alpha
        series1, series2 = numer / denom, numer / (denom * denom)
        for i in range(1, 6):
            numer *= -x / i
            denom += 1
            series1 += numer / denom
            series2 += numer / (denom * denom)
        pow_x_alpha = x**alpha
        pdf = x ** (alpha - 1) * math.exp(-x)
        cdf = pow_x_alpha * series1
        cdf_alpha = (math.log(x) - _digamma(alpha)) * cdf - pow_x_alpha * series2
        result = -cdf_alpha / pdf
        return 0.0 if math.isnan(result) else result
    if alpha > 8.0:
        if 0.9 * alpha <= x <= 1.1 * alpha:
            numer_1 = 1 + 24 * alpha * (1 + 12 * alpha)
            numer_2 = 1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - 65 * x * x / alpha + alpha * (107 + 3600 * x)
            denom = 1244160 * (alpha * alpha) * (alpha * alpha)
            return numer_1 * numer_2 / denom
        denom = math.sqrt(8 * alpha)
        term2 = denom / (alpha - x)
        term3 = (x - alpha - alpha * math.log(x / alpha)) ** -1.5
        term23 = term2 - term3 if x < alpha else term2 + term3
        term1 = math.log(x / alpha) * term23 - math.sqrt(2 / alpha) * (alpha + x) / ((alpha - x) * (alpha - x))
        stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha))
        return -stirling * x * term1 / denom
    u = math.log(x / alpha)
    v = math.log(alpha)
    c = [c0 + u * (c1 + u * c2) for c0, c1, c2 in zip(*_COEF_UV)]
    p = c[0] + v * (c[1] + v * (c[2] + v * c[3]))
    q = c[4] + v * (c[5] + v * (c[6] + v * c[7]))
    return math.exp(p / q)


def standard_gamma_grad(alpha: Tensor, x: Tensor) -> Tensor:
    """d x / d alpha for standard gamma draws `x` of concentration `alpha`."""
    import numpy as np

    import ferrograd

    from ._creation import tensor

    a, v = ferrograd.broadcast_tensors(alpha.detach(), x.detach())
    pairs = zip(a.contiguous().numpy().astype(np.float64).reshape(-1).tolist(),
                v.contiguous().numpy().astype(np.float64).reshape(-1).tolist())
    grads = np.asarray([_grad_one(p, q) for p, q in pairs], dtype=np.float64).reshape(tuple(a.shape))
    return tensor(grads, dtype=alpha.dtype)


def attach_standard_gamma(alpha: Tensor, drawn: Tensor) -> Tensor:
    """`drawn` as a function of `alpha` whose gradient is `standard_gamma_grad`."""
    slope = standard_gamma_grad(alpha, drawn)
    linked = drawn + (alpha - alpha.detach()) * slope
    return _core._named_node(linked, "StandardGammaBackward0")
