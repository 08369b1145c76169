"""The LKJ distribution over Cholesky factors of correlation matrices (onion method)."""

from __future__ import annotations

import math

import ferrograd as _fg
from ferrograd._size import Size

from . import constraints
from .dirichlet import Beta
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["LKJCholesky"]

_EMPTY = Size()


class LKJCholesky(Distribution):
    """Lower Cholesky factors L of correlation matrices L Lᵀ, with density proportional
    to det(L Lᵀ)^(concentration - 1).

    Args:
        dim: the matrix size, at least 2.
        concentration: the shape, positive (1 is uniform over correlation matrices).
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {"concentration": constraints.positive}  # noqa: RUF012
    support = constraints.corr_cholesky

    def __init__(self, dim, concentration=1.0, validate_args=None) -> None:
        if dim < 2:
            raise ValueError(f"Expected dim to be an integer greater than or equal to 2. Found dim={dim}.")
        self.dim = dim
        (self.concentration,) = broadcast_all(concentration)
        marginal = self.concentration + 0.5 * (self.dim - 2)
        offset = _fg.arange(self.dim - 1, dtype=self.concentration.dtype)
        offset = _fg.cat([offset.new_zeros((1,)), offset])
        self._beta = Beta(offset + 0.5, marginal.unsqueeze(-1) - 0.5 * offset)
        super().__init__(self.concentration.size(), Size((dim, dim)), validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(LKJCholesky, _instance)
        batch_shape = Size(batch_shape)
        new.dim = self.dim
        new.concentration = self.concentration.expand(batch_shape)
        new._beta = self._beta.expand(tuple(batch_shape) + (self.dim,))
        return self._finish_expand(new, batch_shape, self.event_shape)

    def sample(self, sample_shape=_EMPTY):
        y = self._beta.sample(sample_shape).unsqueeze(-1)
        directions = _fg.randn(tuple(self._extended_shape(sample_shape)), dtype=y.dtype).tril(-1)
        on_sphere = directions / directions.norm(dim=-1, keepdim=True)
        on_sphere[..., 0, :].fill_(0.0)
        w = _fg.sqrt(y) * on_sphere
        diagonal = _fg.clamp(1 - _fg.sum(w**2, dim=-1), min=_fg.finfo(w.dtype).tiny).sqrt()
        return w + _fg.diag_embed(diagonal)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        diagonal = value.diagonal(dim1=-1, dim2=-2)[..., 1:]
        order = _fg.arange(2, self.dim + 1)
        order = 2 * (self.concentration - 1).unsqueeze(-1) + self.dim - order
        unnormalized = _fg.sum(order * diagonal.log(), dim=-1)
        dm1 = self.dim - 1
        alpha = self.concentration + 0.5 * dm1
        normalizer = 0.5 * dm1 * math.log(math.pi) + _fg.mvlgamma(alpha - 0.5, dm1) - _fg.lgamma(alpha) * dm1
        return unnormalized - normalizer
