"""The continuous Bernoulli distribution on [0, 1] (Loaiza-Ganem and Cunningham,
2019), with Taylor expansions near probs = 1/2 where its normalizer is 0/0."""

from __future__ import annotations

import math
from numbers import Number

import ferrograd as _fg
from ferrograd._size import Size

from . import constraints
from .bernoulli import _bce_with_logits, one_of_probs_logits
from .exp_family import ExponentialFamily
from .utils import broadcast_all, clamp_probs, lazy_property, logits_to_probs, probs_to_logits

__all__ = ["ContinuousBernoulli"]

_EMPTY = Size()


class ContinuousBernoulli(ExponentialFamily):
    """Density proportional to p^x (1-p)^(1-x) on [0, 1].

    Args:
        probs: the shape parameter p, in [0, 1].
        logits: its log-odds (give exactly one of the two).
        lims: the interval around 1/2 where Taylor expansions replace the exact forms.
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}  # noqa: RUF012
    support = constraints.unit_interval
    _mean_carrier_measure = 0
    has_rsample = True

    def __init__(self, probs=None, logits=None, lims=(0.499, 0.501), validate_args=None) -> None:
        one_of_probs_logits(probs, logits)
        given = probs if probs is not None else logits
        (param,) = broadcast_all(given)
        if probs is not None:
            if validate_args is not None and not self.arg_constraints["probs"].check(param).all():
                raise ValueError("The parameter probs has invalid values")
            param = clamp_probs(param)
            self.probs = param
        else:
            self.logits = param
        self._param = param
        self._lims = lims
        super().__init__(Size() if isinstance(given, Number) else param.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(ContinuousBernoulli, _instance)
        new._lims = self._lims
        batch_shape = Size(batch_shape)
        for name in ("probs", "logits"):
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(batch_shape))
                new._param = getattr(new, name)
        return self._finish_expand(new, batch_shape)

    def _new(self, *args, **kwargs):
        return self._param.new(*args, **kwargs)

    def _outside_unstable_region(self):
        return _fg.max(_fg.le(self.probs, self._lims[0]), _fg.gt(self.probs, self._lims[1]))

    def _cut_probs(self):
        return _fg.where(self._outside_unstable_region(), self.probs, self._lims[0] * _fg.ones_like(self.probs))

    def _cont_bern_log_norm(self):
        p = self._cut_probs()
        below = _fg.where(_fg.le(p, 0.5), p, _fg.zeros_like(p))
        above = _fg.where(_fg.ge(p, 0.5), p, _fg.ones_like(p))
        exact = _fg.log(_fg.abs(_fg.log1p(-p) - _fg.log(p))) - _fg.where(
            _fg.le(p, 0.5), _fg.log1p(-2.0 * below), _fg.log(2.0 * above - 1.0))
        x = _fg.pow(self.probs - 0.5, 2)
        taylor = math.log(2.0) + (4.0 / 3.0 + 104.0 / 45.0 * x) * x
        return _fg.where(self._outside_unstable_region(), exact, taylor)

    @property
    def mean(self):
        p = self._cut_probs()
        exact = p / (2.0 * p - 1.0) + 1.0 / (_fg.log1p(-p) - _fg.log(p))
        x = self.probs - 0.5
        taylor = 0.5 + (1.0 / 3.0 + 16.0 / 45.0 * _fg.pow(x, 2)) * x
        return _fg.where(self._outside_unstable_region(), exact, taylor)

    @property
    def stddev(self):
        return _fg.sqrt(self.variance)

    @property
    def variance(self):
        p = self._cut_probs()
        exact = p * (p - 1.0) / _fg.pow(1.0 - 2.0 * p, 2) + 1.0 / _fg.pow(_fg.log1p(-p) - _fg.log(p), 2)
        x = _fg.pow(self.probs - 0.5, 2)
        taylor = 1.0 / 12.0 - (1.0 / 15.0 - 128.0 / 945.0 * x) * x
        return _fg.where(self._outside_unstable_region(), exact, taylor)

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self):
        return clamp_probs(logits_to_probs(self.logits, is_binary=True))

    @property
    def param_shape(self) -> Size:
        return self._param.size()

    def sample(self, sample_shape=_EMPTY):
        u = _fg.rand(tuple(self._extended_shape(sample_shape)), dtype=self.probs.dtype)
        with _fg.no_grad():
            return self.icdf(u)

    def rsample(self, sample_shape=_EMPTY):
        return self.icdf(_fg.rand(tuple(self._extended_shape(sample_shape)), dtype=self.probs.dtype))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return -_bce_with_logits(logits, value) + self._cont_bern_log_norm()

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        p = self._cut_probs()
        exact = (_fg.pow(p, value) * _fg.pow(1.0 - p, 1.0 - value) + p - 1.0) / (2.0 * p - 1.0)
        inside = _fg.where(self._outside_unstable_region(), exact, value)
        return _fg.where(_fg.le(value, 0.0), _fg.zeros_like(value),
                         _fg.where(_fg.ge(value, 1.0), _fg.ones_like(value), inside))

    def icdf(self, value):
        p = self._cut_probs()
        exact = (_fg.log1p(-p + value * (2.0 * p - 1.0)) - _fg.log1p(-p)) / (_fg.log(p) - _fg.log1p(-p))
        return _fg.where(self._outside_unstable_region(), exact, value)

    def entropy(self):
        log_q = _fg.log1p(-self.probs)
        log_p = _fg.log(self.probs)
        return self.mean * (log_q - log_p) - self._cont_bern_log_norm() - log_q

    @property
    def _natural_params(self):
        return (self.logits,)

    def _log_normalizer(self, x):
        outside = _fg.max(_fg.le(x, self._lims[0] - 0.5), _fg.gt(x, self._lims[1] - 0.5))
        cut = _fg.where(outside, x, (self._lims[0] - 0.5) * _fg.ones_like(x))
        exact = _fg.log(_fg.abs(_fg.special.expm1(cut))) - _fg.log(_fg.abs(cut))
        taylor = 0.5 * x + _fg.pow(x, 2) / 24.0 - _fg.pow(x, 4) / 2880.0
        return _fg.where(outside, exact, taylor)
