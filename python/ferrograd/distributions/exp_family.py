"""`ExponentialFamily`: distributions whose density is exp(<t(x), θ> - F(θ) + k(x)); the
entropy and the KL divergence within one family follow from the log-normalizer F."""

from __future__ import annotations

import ferrograd as _fg

from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """Base of the exponential-family distributions (subclasses give
    `_natural_params`, `_log_normalizer` and `_mean_carrier_measure`).

    Args:
        batch_shape: the shape over which parameters are batched.
        event_shape: the shape of one sample.
        validate_args: check parameters and scored values.
    """

    @property
    def _natural_params(self) -> tuple:
        raise NotImplementedError

    def _log_normalizer(self, *natural_params):
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self) -> float:
        raise NotImplementedError

    def entropy(self):
        """The entropy, from the gradient of the log-normalizer (Bregman divergence)."""
        result = -self._mean_carrier_measure
        params = [p.detach().requires_grad_() for p in self._natural_params]
        normalizer = self._log_normalizer(*params)
        grads = _fg.autograd.grad(normalizer.sum(), params, create_graph=True)
        result = result + normalizer
        for p, g in zip(params, grads):
            result = result - p * g
        return result
