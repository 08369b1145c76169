"""The one-hot categorical distribution: a `Categorical` draw written as a one-hot
vector; and its straight-through variant with a surrogate gradient."""

from __future__ import annotations

import ferrograd as _fg
from ferrograd._size import Size

from . import constraints
from .categorical import Categorical
from .distribution import Distribution

_EMPTY = Size()  # the default sample shape

__all__ = ["OneHotCategorical", "OneHotCategoricalStraightThrough"]


def _one_hot(index, n):
    from ferrograd.nn import functional as F

    return F.one_hot(index, n)


class OneHotCategorical(Distribution):
    """One-hot vectors of length K, hot at an index drawn from `Categorical(probs, logits)`.

    Args:
        probs: non-negative event weights.
        logits: unnormalized log-probabilities (give exactly one of the two).
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}  # noqa: RUF012
    support = constraints.one_hot
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None) -> None:
        self._categorical = Categorical(probs, logits)
        super().__init__(self._categorical.batch_shape, self._categorical.param_shape[-1:],
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(OneHotCategorical, _instance)
        batch_shape = Size(batch_shape)
        new._categorical = self._categorical.expand(batch_shape)
        return self._finish_expand(new, batch_shape)

    def _new(self, *args, **kwargs):
        return self._categorical._new(*args, **kwargs)

    @property
    def _param(self):
        return self._categorical._param

    @property
    def probs(self):
        return self._categorical.probs

    @property
    def logits(self):
        return self._categorical.logits

    @property
    def mean(self):
        return self._categorical.probs

    @property
    def mode(self):
        probs = self._categorical.probs
        return _one_hot(probs.argmax(-1), probs.shape[-1]).to(probs)

    @property
    def variance(self):
        p = self._categorical.probs
        return p * (1 - p)

    @property
    def param_shape(self) -> Size:
        return self._categorical.param_shape

    def sample(self, sample_shape=_EMPTY):
        index = self._categorical.sample(Size(sample_shape))
        return _one_hot(index, self._categorical._num_events).to(self._categorical.probs)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return self._categorical.log_prob(value.max(-1)[1])

    def entropy(self):
        return self._categorical.entropy()

    def enumerate_support(self, expand=True):
        n = self.event_shape[0]
        values = _fg.eye(n, dtype=self._param.dtype).view((n,) + (1,) * len(self.batch_shape) + (n,))
        return values.expand((n,) + tuple(self.batch_shape) + (n,)) if expand else values


class OneHotCategoricalStraightThrough(OneHotCategorical):
    """`OneHotCategorical` whose `rsample` passes the gradient of the probabilities
    straight through the discrete draw.

    Args:
        probs: non-negative event weights.
        logits: unnormalized log-probabilities (give exactly one of the two).
        validate_args: check the parameters and scored values.
    """

    has_rsample = True

    def rsample(self, sample_shape=_EMPTY):
        drawn = self.sample(sample_shape)
        probs = self._categorical.probs
        return drawn + (probs - probs.detach())
