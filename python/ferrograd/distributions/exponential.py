"""The exponential distribution with rate `rate`."""

from __future__ import annotations

import ferrograd as _fg
from ferrograd._size import Size

from . import constraints
from .exp_family import ExponentialFamily
from .params import BroadcastParams

_EMPTY = Size()  # the default sample shape

__all__ = ["Exponential"]


class Exponential(BroadcastParams, ExponentialFamily):
    """Density rate * exp(-rate * x) on x >= 0.

    Args:
        rate: the rate (inverse scale), positive.
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"rate": constraints.positive}  # noqa: RUF012
    support = constraints.nonnegative
    has_rsample = True
    _mean_carrier_measure = 0
    _param_names = ("rate",)

    def __init__(self, rate, validate_args=None) -> None:
        self._set_params((rate,), validate_args)

    @property
    def mean(self):
        return self.rate.reciprocal()

    @property
    def mode(self):
        return _fg.zeros_like(self.rate)

    @property
    def stddev(self):
        return self.rate.reciprocal()

    @property
    def variance(self):
        return self.rate.pow(-2)

    def rsample(self, sample_shape=_EMPTY):
        shape = tuple(self._extended_shape(sample_shape))
        return _fg.empty(shape, dtype=self.rate.dtype).exponential_() / self.rate

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return self.rate.log() - self.rate * value

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return 1 - _fg.exp(-self.rate * value)

    def icdf(self, value):
        return -_fg.log1p(-value) / self.rate

    def entropy(self):
        return 1.0 - _fg.log(self.rate)

    @property
    def _natural_params(self):
        return (-self.rate,)

    def _log_normalizer(self, x):
        return -_fg.log(-x)
