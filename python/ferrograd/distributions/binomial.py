"""The binomial distribution: successes in `total_count` Bernoulli trials."""

from __future__ import annotations

import ferrograd as _fg
from ferrograd._random_special import binomial
from ferrograd._size import Size

from . import constraints
from .bernoulli import one_of_probs_logits
from .distribution import Distribution
from .utils import broadcast_all, lazy_property, logits_to_probs, probs_to_logits

_EMPTY = Size()  # the default sample shape

__all__ = ["Binomial"]


def _positive_part(x):
    # max(x, 0) with gradient 1/2 at 0, as PyTorch's
    return (x.clamp(min=0) + x - x.clamp(max=0)) / 2


class CountAndProbs(Distribution):
    """The parameters Binomial and NegativeBinomial share: a total count broadcast with
    `probs` or `logits` (exactly one given)."""

    def _set_count_and_probs(self, total_count, probs, logits, validate_args) -> None:
        one_of_probs_logits(probs, logits)
        name = "probs" if probs is not None else "logits"
        count, param = broadcast_all(total_count, probs if probs is not None else logits)
        self.total_count = count.type_as(param)
        setattr(self, name, param)
        self._param = param
        Distribution.__init__(self, param.size(), validate_args=validate_args)

    def _expand_count_and_probs(self, cls, batch_shape, _instance):
        new = self._get_checked_instance(cls, _instance)
        batch_shape = Size(batch_shape)
        new.total_count = self.total_count.expand(batch_shape)
        for name in ("probs", "logits"):
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(batch_shape))
                new._param = getattr(new, name)
        return self._finish_expand(new, batch_shape)

    def _new(self, *args, **kwargs):
        return self._param.new(*args, **kwargs)


class Binomial(CountAndProbs):
    """The number of successes in `total_count` independent trials of success
    probability `probs` (or sigmoid(`logits`)).

    Args:
        total_count: the number of trials (default 1).
        probs: the success probability.
        logits: its log-odds (give exactly one of the two).
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"total_count": constraints.nonnegative_integer, "probs": constraints.unit_interval, "logits": constraints.real}  # noqa: RUF012
    has_enumerate_support = True

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None) -> None:
        self._set_count_and_probs(total_count, probs, logits, validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_count_and_probs(Binomial, batch_shape, _instance)

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self):
        return constraints.integer_interval(0, self.total_count)

    @property
    def mean(self):
        return self.total_count * self.probs

    @property
    def mode(self):
        return ((self.total_count + 1) * self.probs).floor().clamp(max=self.total_count)

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self) -> Size:
        return self._param.size()

    def sample(self, sample_shape=_EMPTY):
        shape = tuple(self._extended_shape(sample_shape))
        with _fg.no_grad():
            return binomial(self.total_count.expand(shape), self.probs.expand(shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        n = self.total_count
        normalizer = (n * _positive_part(self.logits) + n * _fg.log1p(_fg.exp(-_fg.abs(self.logits)))
                      - _fg.lgamma(n + 1))
        return value * self.logits - _fg.lgamma(value + 1) - _fg.lgamma(n - value + 1) - normalizer

    def _homogeneous_count(self, what: str) -> int:
        n = int(self.total_count.max())
        if not self.total_count.min() == n:
            raise NotImplementedError(f"Inhomogeneous total count not supported by `{what}`.")
        return n

    def entropy(self):
        self._homogeneous_count("entropy")
        lp = self.log_prob(self.enumerate_support(False))
        return -(_fg.exp(lp) * lp).sum(0)

    def enumerate_support(self, expand=True):
        n = self._homogeneous_count("enumerate_support")
        values = _fg.arange(1 + n, dtype=self._param.dtype).view((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values
