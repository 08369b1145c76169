"""The Cauchy (Lorentz) distribution."""

from __future__ import annotations

import math

import ferrograd as _fg
from ferrograd._size import Size

from . import constraints
from .params import BroadcastParams

_EMPTY = Size()  # the default sample shape

__all__ = ["Cauchy"]


class Cauchy(BroadcastParams):
    """The ratio of two independent normals, located at `loc` and scaled by `scale`.

    Args:
        loc: the median.
        scale: the half width at half maximum, positive.
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}  # noqa: RUF012
    support = constraints.real
    has_rsample = True
    _param_names = ("loc", "scale")

    def __init__(self, loc, scale, validate_args=None) -> None:
        self._set_params((loc, scale), validate_args)

    @property
    def mean(self):
        return _fg.full(tuple(self._extended_shape()), math.nan, dtype=self.loc.dtype)

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        return _fg.full(tuple(self._extended_shape()), math.inf, dtype=self.loc.dtype)

    def rsample(self, sample_shape=_EMPTY):
        eps = _fg.empty(tuple(self._extended_shape(sample_shape)), dtype=self.loc.dtype).cauchy_()
        return self.loc + eps * self.scale

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return -math.log(math.pi) - self.scale.log() - (((value - self.loc) / self.scale) ** 2).log1p()

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return _fg.atan((value - self.loc) / self.scale) / math.pi + 0.5

    def icdf(self, value):
        return _fg.tan(math.pi * (value - 0.5)) * self.scale + self.loc

    def entropy(self):
        return math.log(4 * math.pi) + self.scale.log()
