"""The gamma distribution (shape `concentration`, inverse scale `rate`) and its
special case chi-squared."""

from __future__ import annotations

import ferrograd as _fg
from ferrograd._random_special import _standard_gamma
from ferrograd._size import Size

from . import constraints
from .exp_family import ExponentialFamily
from .params import BroadcastParams

_EMPTY = Size()  # the default sample shape

__all__ = ["Chi2", "Gamma"]


class Gamma(BroadcastParams, ExponentialFamily):
    """Density rate^a x^(a-1) exp(-rate x) / Γ(a) for a = `concentration`.

    Args:
        concentration: the shape a, positive.
        rate: the inverse scale, positive.
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}  # noqa: RUF012
    support = constraints.nonnegative
    has_rsample = True
    _mean_carrier_measure = 0
    _param_names = ("concentration", "rate")

    def __init__(self, concentration, rate, validate_args=None) -> None:
        self._set_params((concentration, rate), validate_args)

    @property
    def mean(self):
        return self.concentration / self.rate

    @property
    def mode(self):
        return ((self.concentration - 1) / self.rate).clamp(min=0)

    @property
    def variance(self):
        return self.concentration / self.rate.pow(2)

    def rsample(self, sample_shape=_EMPTY):
        shape = tuple(self._extended_shape(sample_shape))
        value = _standard_gamma(self.concentration.expand(shape)) / self.rate.expand(shape)
        with _fg.no_grad():
            value.detach().clamp_(min=_fg.finfo(value.dtype).tiny)  # a draw of 0 would break log_prob
        return value

    def log_prob(self, value):
        value = _fg.as_tensor(value, dtype=self.rate.dtype)
        if self._validate_args:
            self._validate_sample(value)
        return (_fg.xlogy(self.concentration, self.rate) + _fg.xlogy(self.concentration - 1, value)
                - self.rate * value - _fg.lgamma(self.concentration))

    def entropy(self):
        c = self.concentration
        return c - _fg.log(self.rate) + _fg.lgamma(c) + (1.0 - c) * _fg.digamma(c)

    @property
    def _natural_params(self):
        return (self.concentration - 1, -self.rate)

    def _log_normalizer(self, x, y):
        return _fg.lgamma(x + 1) + (x + 1) * _fg.log(-y.reciprocal())

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return _fg.special.gammainc(self.concentration, self.rate * value)


class Chi2(Gamma):
    """Gamma(df / 2, 1 / 2): the sum of `df` squared standard normals.

    Args:
        df: the degrees of freedom, positive.
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"df": constraints.positive}  # noqa: RUF012

    def __init__(self, df, validate_args=None) -> None:
        super().__init__(0.5 * df, 0.5, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return super().expand(batch_shape, self._get_checked_instance(Chi2, _instance))

    @property
    def df(self):
        return self.concentration * 2
