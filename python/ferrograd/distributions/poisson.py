"""The Poisson distribution."""

from __future__ import annotations

import ferrograd as _fg
from ferrograd._random_special import poisson
from ferrograd._size import Size

from . import constraints
from .exp_family import ExponentialFamily
from .params import BroadcastParams
from .utils import broadcast_all

_EMPTY = Size()  # the default sample shape

__all__ = ["Poisson"]


class Poisson(BroadcastParams, ExponentialFamily):
    """P(k) = rate^k exp(-rate) / k! on the non-negative integers.

    Args:
        rate: the mean, non-negative.
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"rate": constraints.nonnegative}  # noqa: RUF012
    support = constraints.nonnegative_integer
    _param_names = ("rate",)

    def __init__(self, rate, validate_args=None) -> None:
        self._set_params((rate,), validate_args)

    @property
    def mean(self):
        return self.rate

    @property
    def mode(self):
        return self.rate.floor()

    @property
    def variance(self):
        return self.rate

    def sample(self, sample_shape=_EMPTY):
        with _fg.no_grad():
            return poisson(self.rate.expand(tuple(self._extended_shape(sample_shape))))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        rate, value = broadcast_all(self.rate, value)
        return value.xlogy(rate) - rate - (value + 1).lgamma()

    @property
    def _natural_params(self):
        return (_fg.log(self.rate),)

    def _log_normalizer(self, x):
        return _fg.exp(x)
