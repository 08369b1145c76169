"""The generalized Pareto distribution (peaks over a threshold)."""

from __future__ import annotations

import math
from numbers import Real

import ferrograd as _fg
from ferrograd._size import Size

from . import constraints
from .params import BroadcastParams

__all__ = ["GeneralizedPareto"]

_EMPTY = Size()


class GeneralizedPareto(BroadcastParams):
    """Survival function (1 + c z)^(-1/c) for z = (x - loc) / scale (exp(-z) at c = 0).

    Args:
        loc: the location.
        scale: the scale, positive.
        concentration: the shape c.
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {  # noqa: RUF012
        "loc": constraints.real,
        "scale": constraints.positive,
        "concentration": constraints.real,
    }
    has_rsample = True
    _param_names = ("loc", "scale", "concentration")

    def __init__(self, loc, scale, concentration, validate_args=None) -> None:
        self._set_params((loc, scale, concentration), validate_args)

    def _safe_concentration(self):
        at_zero = _fg.isclose(self.concentration, _fg.tensor(0.0))
        return at_zero, _fg.where(at_zero, _fg.ones_like(self.concentration), self.concentration)

    def _z(self, x):
        return (x - self.loc) / self.scale

    def rsample(self, sample_shape=_EMPTY):
        return self.icdf(_fg.rand(tuple(self._extended_shape(sample_shape)), dtype=self.loc.dtype))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        z = self._z(value)
        at_zero, c = self._safe_concentration()
        y = 1 / c + _fg.ones_like(z)
        nonzero = _fg.where(y == 0, y, y * _fg.log1p(c * z))
        log_scale = math.log(self.scale) if isinstance(self.scale, Real) else self.scale.log()
        return -log_scale - _fg.where(at_zero, z, nonzero)

    def log_survival_function(self, value):
        """log(1 - cdf(value)).

        Args:
            value: the points.
        """
        if self._validate_args:
            self._validate_sample(value)
        z = self._z(value)
        at_zero, c = self._safe_concentration()
        return _fg.where(at_zero, -z, -_fg.log1p(c * z) / c)

    def log_cdf(self, value):
        """log cdf(value).

        Args:
            value: the points.
        """
        return _fg.log1p(-_fg.exp(self.log_survival_function(value)))

    def cdf(self, value):
        return _fg.exp(self.log_cdf(value))

    def icdf(self, value):
        c = self.concentration
        at_zero = _fg.isclose(c, _fg.zeros_like(c))
        safe = _fg.where(at_zero, _fg.ones_like(c), c)
        log_u = _fg.log1p(-value)
        return _fg.where(at_zero, self.loc - self.scale * log_u,
                         self.loc + self.scale / safe * _fg.expm1(-safe * log_u))

    @property
    def mean(self):
        valid = self.concentration < 1
        c = _fg.where(valid, self.concentration, 0.5)
        return _fg.where(valid, self.loc + self.scale / (1 - c), math.nan)

    @property
    def variance(self):
        valid = self.concentration < 0.5
        c = _fg.where(valid, self.concentration, 0.25)
        return _fg.where(valid, self.scale**2 / ((1 - c) ** 2 * (1 - 2 * c)), math.nan)

    def entropy(self):
        return _fg.broadcast_to(_fg.log(self.scale) + self.concentration + 1, tuple(self._batch_shape))

    @property
    def mode(self):
        return self.loc

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        upper = _fg.where(self.concentration < 0, self.loc - self.scale / self.concentration, math.inf)
        return constraints.interval(self.loc, upper)
