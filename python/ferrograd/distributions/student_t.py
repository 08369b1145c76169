"""Student's t distribution."""

from __future__ import annotations

import math

import ferrograd as _fg
from ferrograd._size import Size

from . import constraints
from .gamma import Chi2
from .params import BroadcastParams
from .utils import broadcast_all, standard_normal

_EMPTY = Size()  # the default sample shape

__all__ = ["StudentT"]


class StudentT(BroadcastParams):
    """loc + scale * Z / sqrt(V / df) for Z standard normal and V ~ Chi2(df).

    Args:
        df: the degrees of freedom, positive.
        loc: the location (default 0).
        scale: the scale, positive (default 1).
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"df": constraints.positive, "loc": constraints.real, "scale": constraints.positive}  # noqa: RUF012
    support = constraints.real
    has_rsample = True
    _param_names = ("df", "loc", "scale")

    def __init__(self, df, loc=0.0, scale=1.0, validate_args=None) -> None:
        self.df, self.loc, self.scale = broadcast_all(df, loc, scale)
        self._chi2 = Chi2(self.df)
        super(BroadcastParams, self).__init__(self.df.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = super().expand(batch_shape, self._get_checked_instance(StudentT, _instance))
        new._chi2 = self._chi2.expand(Size(batch_shape))
        return new

    @property
    def mean(self):
        m = self.loc.clone()
        m[self.df <= 1] = math.nan
        return m

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        m = self.df.clone()
        big = self.df > 2
        m[big] = self.scale[big].pow(2) * self.df[big] / (self.df[big] - 2)
        m[(self.df <= 2) & (self.df > 1)] = math.inf
        m[self.df <= 1] = math.nan
        return m

    def rsample(self, sample_shape=_EMPTY):
        z = standard_normal(self._extended_shape(sample_shape), self.df.dtype)
        v = self._chi2.rsample(sample_shape)
        return self.loc + self.scale * (z * _fg.rsqrt(v / self.df))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        y = (value - self.loc) / self.scale
        norm = (self.scale.log() + 0.5 * self.df.log() + 0.5 * math.log(math.pi) + _fg.lgamma(0.5 * self.df)
                - _fg.lgamma(0.5 * (self.df + 1.0)))
        return -0.5 * (self.df + 1.0) * _fg.log1p(y**2.0 / self.df) - norm

    def entropy(self):
        half = 0.5 * self.df
        half_up = 0.5 * (self.df + 1)
        lbeta = _fg.lgamma(half) + math.lgamma(0.5) - _fg.lgamma(half_up)
        return (self.scale.log() + half_up * (_fg.digamma(half_up) - _fg.digamma(half))
                + 0.5 * self.df.log() + lbeta)
