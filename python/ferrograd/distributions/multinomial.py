"""The multinomial distribution: category counts of `total_count` categorical draws."""

from __future__ import annotations

import math

import ferrograd as _fg
from ferrograd._size import Size

from . import constraints
from .binomial import Binomial
from .categorical import Categorical
from .distribution import Distribution
from .utils import broadcast_all

_EMPTY = Size()  # the default sample shape

__all__ = ["Multinomial"]


class Multinomial(Distribution):
    """Counts per category after `total_count` draws from `Categorical(probs, logits)`.

    Args:
        total_count: the number of draws (an int).
        probs: non-negative event weights.
        logits: unnormalized log-probabilities (give exactly one of the two).
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}  # noqa: RUF012

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None) -> None:
        if not isinstance(total_count, int):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        self._categorical = Categorical(probs=probs, logits=logits)
        self._binomial = Binomial(total_count=total_count, probs=self.probs)
        super().__init__(self._categorical.batch_shape, self._categorical.param_shape[-1:],
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Multinomial, _instance)
        batch_shape = Size(batch_shape)
        new.total_count = self.total_count
        new._categorical = self._categorical.expand(batch_shape)
        return self._finish_expand(new, batch_shape, self.event_shape)

    def _new(self, *args, **kwargs):
        return self._categorical._new(*args, **kwargs)

    @constraints.dependent_property(is_discrete=True, event_dim=1)
    def support(self):
        return constraints.multinomial(self.total_count)

    @property
    def logits(self):
        return self._categorical.logits

    @property
    def probs(self):
        return self._categorical.probs

    @property
    def param_shape(self) -> Size:
        return self._categorical.param_shape

    @property
    def mean(self):
        return self.probs * self.total_count

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape=_EMPTY):
        sample_shape = Size(sample_shape)
        drawn = self._categorical.sample(Size((self.total_count,)) + sample_shape)
        order = list(range(1, drawn.dim())) + [0]
        drawn = drawn.permute(tuple(order))
        counts = _fg.zeros(tuple(self._extended_shape(sample_shape)), dtype=drawn.dtype)
        counts.scatter_add_(-1, drawn, _fg.ones_like(drawn))
        return counts.type_as(self.probs)

    def entropy(self):
        n = _fg.tensor(self.total_count)
        term1 = n * self._categorical.entropy() - _fg.lgamma(n + 1)
        support = self._binomial.enumerate_support(expand=False)[1:]
        weights = _fg.exp(self._binomial.log_prob(support)) * _fg.lgamma(support + 1)
        return term1 + weights.sum([0, -1])

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        logits = logits.clone()
        log_factorial_n = _fg.lgamma(value.sum(-1) + 1)
        log_factorial_xs = _fg.lgamma(value + 1).sum(-1)
        logits[(value == 0) & (logits == -math.inf)] = 0  # 0 * log(0) counts as 0
        return log_factorial_n - log_factorial_xs + (logits * value).sum(-1)
