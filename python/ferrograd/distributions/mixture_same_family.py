"""`MixtureSameFamily`: a categorical mixture of components from one batched
distribution."""

from __future__ import annotations

import ferrograd as _fg
from ferrograd._size import Size

from . import constraints
from .categorical import Categorical
from .distribution import Distribution

_EMPTY = Size()  # the default sample shape

__all__ = ["MixtureSameFamily"]


class MixtureSameFamily(Distribution):
    """Draws a component index from `mixture_distribution`, then a value from that
    component of `component_distribution` (its rightmost batch dimension).

    Args:
        mixture_distribution: a `Categorical` over the components.
        component_distribution: the components, batched over the last batch dimension.
        validate_args: check scored values.
    """

    arg_constraints: dict = {}  # noqa: RUF012
    has_rsample = False

    def __init__(self, mixture_distribution, component_distribution, validate_args=None) -> None:
        self._mixture_distribution = mixture_distribution
        self._component_distribution = component_distribution
        if not isinstance(mixture_distribution, Categorical):
            raise ValueError(" The Mixture distribution needs to be an  instance of torch.distributions.Categorical")  # noqa: TRY004
        if not isinstance(component_distribution, Distribution):
            raise ValueError("The Component distribution needs to be an instance of torch.distributions.Distribution")  # noqa: TRY004
        mdbs = mixture_distribution.batch_shape
        cdbs = component_distribution.batch_shape[:-1]
        for a, b in zip(reversed(mdbs), reversed(cdbs)):
            if a != 1 and b != 1 and a != b:
                raise ValueError(
                    f"`mixture_distribution.batch_shape` ({mdbs}) is not compatible with "
                    f"`component_distribution.batch_shape`({cdbs})"
                )
        km = mixture_distribution.logits.shape[-1]
        kc = component_distribution.batch_shape[-1]
        if km != kc:
            raise ValueError(
                f"`mixture_distribution component` ({km}) does not equal `component_distribution.batch_shape[-1]` "
                f"({kc})"
            )
        self._num_component = km
        self._event_ndims = len(component_distribution.event_shape)
        super().__init__(batch_shape=cdbs, event_shape=component_distribution.event_shape,
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(MixtureSameFamily, _instance)
        batch_shape = Size(batch_shape)
        new._component_distribution = self._component_distribution.expand(
            tuple(batch_shape) + (self._num_component,))
        new._mixture_distribution = self._mixture_distribution.expand(batch_shape)
        new._num_component = self._num_component
        new._event_ndims = self._event_ndims
        return self._finish_expand(new, batch_shape, new._component_distribution.event_shape)

    @constraints.dependent_property
    def support(self):
        return constraints.MixtureSameFamilyConstraint(self._component_distribution.support)

    @property
    def mixture_distribution(self):
        return self._mixture_distribution

    @property
    def component_distribution(self):
        return self._component_distribution

    def _pad(self, x):
        return x.unsqueeze(-1 - self._event_ndims)

    def _pad_mixture_dimensions(self, x):
        batch_ndims = len(self.batch_shape)
        mix_ndims = len(self.mixture_distribution.batch_shape)
        extra = 0 if mix_ndims == 1 else batch_ndims - mix_ndims
        shape = tuple(x.shape)
        return x.reshape(shape[:-1] + (1,) * extra + shape[-1:] + (1,) * self._event_ndims)

    @property
    def mean(self):
        probs = self._pad_mixture_dimensions(self.mixture_distribution.probs)
        return _fg.sum(probs * self.component_distribution.mean, dim=-1 - self._event_ndims)

    @property
    def variance(self):
        probs = self._pad_mixture_dimensions(self.mixture_distribution.probs)
        dim = -1 - self._event_ndims
        within = _fg.sum(probs * self.component_distribution.variance, dim=dim)
        between = _fg.sum(probs * (self.component_distribution.mean - self._pad(self.mean)).pow(2.0), dim=dim)
        return within + between

    def cdf(self, x):
        """The mixture's CDF: the components' CDFs at `x` weighted by the mixture.

        Args:
            x: the points.
        """
        return _fg.sum(self.component_distribution.cdf(self._pad(x)) * self.mixture_distribution.probs, dim=-1)

    def log_prob(self, x):
        """The mixture's log density at `x` (a log-sum-exp over components).

        Args:
            x: the points.
        """
        if self._validate_args:
            self._validate_sample(x)
        per_component = self.component_distribution.log_prob(self._pad(x))
        log_weights = _fg.log_softmax(self.mixture_distribution.logits, dim=-1)
        return _fg.logsumexp(per_component + log_weights, dim=-1)

    def sample(self, sample_shape=_EMPTY):
        with _fg.no_grad():
            gather_dim = len(sample_shape) + len(self.batch_shape)
            event_shape = tuple(self.event_shape)
            index = self.mixture_distribution.sample(sample_shape)
            index_shape = tuple(index.shape)
            drawn = self.component_distribution.sample(sample_shape)
            index = index.reshape(index_shape + (1,) * (len(event_shape) + 1))
            index = index.repeat((1,) * len(index_shape) + (1,) + event_shape)
            return _fg.gather(drawn, gather_dim, index).squeeze(gather_dim)

    def __repr__(self) -> str:
        return f"MixtureSameFamily(\n  {self.mixture_distribution},\n  {self.component_distribution})"
