"""The Dirichlet distribution on the simplex, and Beta (its two-category case)."""

from __future__ import annotations

from numbers import Number

import ferrograd as _fg
from ferrograd import _core
from ferrograd._random_special import _sample_dirichlet
from ferrograd._size import Size

from . import constraints
from .exp_family import ExponentialFamily
from .utils import broadcast_all

__all__ = ["Beta", "Dirichlet"]


def _dirichlet_rsample(concentration):
    drawn = _sample_dirichlet(concentration.detach())
    if not (_core.is_grad_enabled() and concentration.requires_grad):
        return drawn
    from ferrograd._dirichlet_grad import attach_dirichlet

    return attach_dirichlet(concentration, drawn)


class Dirichlet(ExponentialFamily):
    """Density Γ(Σa) / ΠΓ(a_i) Π x_i^(a_i - 1) over the last dimension.

    Args:
        concentration: the concentrations a, positive, at least one-dimensional.
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"concentration": constraints.independent(constraints.positive, 1)}  # noqa: RUF012
    support = constraints.simplex
    has_rsample = True

    def __init__(self, concentration, validate_args=None) -> None:
        if concentration.dim() < 1:
            raise ValueError("`concentration` parameter must be at least one-dimensional.")
        self.concentration = concentration
        super().__init__(concentration.shape[:-1], concentration.shape[-1:], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Dirichlet, _instance)
        batch_shape = Size(batch_shape)
        new.concentration = self.concentration.expand(tuple(batch_shape) + tuple(self.event_shape))
        return self._finish_expand(new, batch_shape, self.event_shape)

    def rsample(self, sample_shape=()):
        return _dirichlet_rsample(self.concentration.expand(tuple(self._extended_shape(sample_shape))))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        c = self.concentration
        return _fg.xlogy(c - 1.0, value).sum(-1) + _fg.lgamma(c.sum(-1)) - _fg.lgamma(c).sum(-1)

    @property
    def mean(self):
        return self.concentration / self.concentration.sum(-1, True)

    @property
    def mode(self):
        excess = (self.concentration - 1).clamp(min=0.0)
        mode = excess / excess.sum(-1, True)
        below_one = (self.concentration < 1).all(dim=-1)
        from ferrograd.nn import functional as F

        mode[below_one] = F.one_hot(mode[below_one].argmax(dim=-1), excess.shape[-1]).to(mode)
        return mode

    @property
    def variance(self):
        total = self.concentration.sum(-1, True)
        return self.concentration * (total - self.concentration) / (total.pow(2) * (total + 1))

    def entropy(self):
        c = self.concentration
        k = c.size(-1)
        total = c.sum(-1)
        return (_fg.lgamma(c).sum(-1) - _fg.lgamma(total) - (k - total) * _fg.digamma(total)
                - ((c - 1.0) * _fg.digamma(c)).sum(-1))

    @property
    def _natural_params(self):
        return (self.concentration,)

    def _log_normalizer(self, x):
        return x.lgamma().sum(-1) - _fg.lgamma(x.sum(-1))


class Beta(ExponentialFamily):
    """Density x^(a-1) (1-x)^(b-1) / B(a, b) on [0, 1].

    Args:
        concentration1: a, positive.
        concentration0: b, positive.
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"concentration1": constraints.positive, "concentration0": constraints.positive}  # noqa: RUF012
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1, concentration0, validate_args=None) -> None:
        if isinstance(concentration1, Number) and isinstance(concentration0, Number):
            pair = _fg.tensor([float(concentration1), float(concentration0)])
        else:
            concentration1, concentration0 = broadcast_all(concentration1, concentration0)
            pair = _fg.stack([concentration1, concentration0], -1)
        self._dirichlet = Dirichlet(pair, validate_args=validate_args)
        super().__init__(self._dirichlet._batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Beta, _instance)
        batch_shape = Size(batch_shape)
        new._dirichlet = self._dirichlet.expand(batch_shape)
        return self._finish_expand(new, batch_shape)

    @property
    def mean(self):
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def mode(self):
        return self._dirichlet.mode[..., 0]

    @property
    def variance(self):
        total = self.concentration1 + self.concentration0
        return self.concentration1 * self.concentration0 / (total.pow(2) * (total + 1))

    def rsample(self, sample_shape=()):
        return self._dirichlet.rsample(sample_shape).select(-1, 0)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return self._dirichlet.log_prob(_fg.stack([value, 1.0 - value], -1))

    def entropy(self):
        return self._dirichlet.entropy()

    @property
    def concentration1(self):
        return self._dirichlet.concentration[..., 0]

    @property
    def concentration0(self):
        return self._dirichlet.concentration[..., 1]

    @property
    def _natural_params(self):
        return (self.concentration1, self.concentration0)

    def _log_normalizer(self, x, y):
        return _fg.lgamma(x) + _fg.lgamma(y) - _fg.lgamma(x + y)
