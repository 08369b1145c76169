"""The continuous uniform distribution on [low, high)."""

from __future__ import annotations

import math

import ferrograd as _fg
from ferrograd._size import Size

from . import constraints
from .params import BroadcastParams

_EMPTY = Size()  # the default sample shape

__all__ = ["Uniform"]


class Uniform(BroadcastParams):
    """Uniform on the half-open interval [low, high).

    Args:
        low: the lower bound (inclusive).
        high: the upper bound (exclusive), above `low`.
        validate_args: check the parameters and scored values.
    """

    has_rsample = True
    _param_names = ("low", "high")

    def __init__(self, low, high, validate_args=None) -> None:
        self._set_params((low, high), validate_args)

    @property
    def arg_constraints(self):
        return {"low": constraints.less_than(self.high), "high": constraints.greater_than(self.low)}

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        return constraints.interval(self.low, self.high)

    @property
    def mean(self):
        return (self.high + self.low) / 2

    @property
    def mode(self):
        return math.nan * self.high

    @property
    def stddev(self):
        return (self.high - self.low) / 12**0.5

    @property
    def variance(self):
        return (self.high - self.low).pow(2) / 12

    def rsample(self, sample_shape=_EMPTY):
        u = _fg.rand(tuple(self._extended_shape(sample_shape)), dtype=self.low.dtype)
        return self.low + u * (self.high - self.low)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        inside = self.low.le(value).type_as(self.low).mul(self.high.gt(value).type_as(self.low))
        return _fg.log(inside) - _fg.log(self.high - self.low)

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return ((value - self.low) / (self.high - self.low)).clamp(min=0, max=1)

    def icdf(self, value):
        return value * (self.high - self.low) + self.low

    def entropy(self):
        return _fg.log(self.high - self.low)
