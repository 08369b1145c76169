"""The negative binomial distribution: failures before `total_count` successes."""

from __future__ import annotations

import ferrograd as _fg
from ferrograd._random_special import poisson
from ferrograd._size import Size

from . import constraints
from .binomial import CountAndProbs
from .gamma import Gamma
from .utils import lazy_property, logits_to_probs, probs_to_logits

__all__ = ["NegativeBinomial"]

_EMPTY = Size()


def _logsigmoid(x):
    from ferrograd.nn import functional as F

    return F.logsigmoid(x)


class NegativeBinomial(CountAndProbs):
    """The number of successes (probability `probs` each) before `total_count`
    failures, drawn as a Poisson with a gamma-distributed rate.

    Args:
        total_count: the number of failures, non-negative (may be fractional).
        probs: the success probability, in [0, 1).
        logits: its log-odds (give exactly one of the two).
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {  # noqa: RUF012
        "total_count": constraints.greater_than_eq(0),
        "probs": constraints.half_open_interval(0.0, 1.0),
        "logits": constraints.real,
    }
    support = constraints.nonnegative_integer

    def __init__(self, total_count, probs=None, logits=None, validate_args=None) -> None:
        self._set_count_and_probs(total_count, probs, logits, validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_count_and_probs(NegativeBinomial, batch_shape, _instance)

    @property
    def mean(self):
        return self.total_count * _fg.exp(self.logits)

    @property
    def mode(self):
        return ((self.total_count - 1) * self.logits.exp()).floor().clamp(min=0.0)

    @property
    def variance(self):
        return self.mean / _fg.sigmoid(-self.logits)

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self) -> Size:
        return self._param.size()

    @lazy_property
    def _gamma(self):
        return Gamma(concentration=self.total_count, rate=_fg.exp(-self.logits), validate_args=False)

    def sample(self, sample_shape=_EMPTY):
        with _fg.no_grad():
            return poisson(self._gamma.sample(sample_shape=sample_shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        unnormalized = self.total_count * _logsigmoid(-self.logits) + value * _logsigmoid(self.logits)
        normalization = (-_fg.lgamma(self.total_count + value) + _fg.lgamma(1.0 + value)
                         + _fg.lgamma(self.total_count))
        normalization = normalization.masked_fill(self.total_count + value == 0.0, 0.0)
        return unnormalized - normalization
