"""The Laplace (double exponential) distribution."""

from __future__ import annotations

import ferrograd as _fg
from ferrograd._size import Size

from . import constraints
from .params import BroadcastParams

_EMPTY = Size()  # the default sample shape

__all__ = ["Laplace"]


class Laplace(BroadcastParams):
    """Density exp(-|x - loc| / scale) / (2 scale).

    Args:
        loc: the location (mean).
        scale: the scale, positive.
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
        return self.loc

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        return 2 * self.scale.pow(2)

    @property
    def stddev(self):
        return (2**0.5) * self.scale

    def rsample(self, sample_shape=_EMPTY):
        shape = tuple(self._extended_shape(sample_shape))
        u = _fg.empty(shape, dtype=self.loc.dtype).uniform_(_fg.finfo(self.loc.dtype).eps - 1, 1)
        return self.loc - self.scale * u.sign() * _fg.log1p(-u.abs())

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return -_fg.log(2 * self.scale) - _fg.abs(value - self.loc) / self.scale

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 - 0.5 * (value - self.loc).sign() * _fg.expm1(-(value - self.loc).abs() / self.scale)

    def icdf(self, value):
        term = value - 0.5
        return self.loc - self.scale * term.sign() * _fg.log1p(-2 * term.abs())

    def entropy(self):
        return 1 + _fg.log(2 * self.scale)
