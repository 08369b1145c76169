"""The multivariate normal distribution, given by a covariance matrix, a precision
matrix or a lower-triangular scale factor."""

from __future__ import annotations

import math

import ferrograd as _fg
from ferrograd._size import Size

from . import constraints
from .distribution import Distribution
from .utils import lazy_property, standard_normal

_EMPTY = Size()  # the default sample shape

__all__ = ["MultivariateNormal"]


def _matvec(mat, vec):
    return _fg.matmul(mat, vec.unsqueeze(-1)).squeeze(-1)


def _mahalanobis(scale_tril, x):
    """|L⁻¹ x|² over the last dimension, L broadcast over x's batch dimensions."""
    n = x.size(-1)
    shape = _fg.broadcast_shapes(tuple(scale_tril.shape[:-2]), tuple(x.shape[:-1]))
    lower = scale_tril.expand(tuple(shape) + (n, n))
    solved = _fg.linalg.solve_triangular(lower, x.expand(tuple(shape) + (n,)).unsqueeze(-1), upper=False)
    return solved.squeeze(-1).pow(2).sum(-1)


def _precision_to_scale_tril(precision):
    # L with L Lᵀ = P⁻¹, from the Cholesky factor of P with its rows and columns reversed
    flipped = _fg.linalg.cholesky(_fg.flip(precision, (-2, -1)))
    inverse_lower = _fg.transpose(_fg.flip(flipped, (-2, -1)), -2, -1)
    eye = _fg.eye(precision.shape[-1], dtype=precision.dtype)
    return _fg.linalg.solve_triangular(inverse_lower, eye, upper=False)


class MultivariateNormal(Distribution):
    """N(loc, Σ) over vectors; give exactly one of `covariance_matrix` (Σ),
    `precision_matrix` (Σ⁻¹) and `scale_tril` (L with L Lᵀ = Σ).

    Args:
        loc: the mean, at least one-dimensional.
        covariance_matrix: a positive-definite covariance.
        precision_matrix: a positive-definite precision.
        scale_tril: a lower-triangular factor with positive diagonal.
        validate_args: check the parameters and scored values.
    """

    arg_constraints = {  # noqa: RUF012
        "loc": constraints.real_vector,
        "covariance_matrix": constraints.positive_definite,
        "precision_matrix": constraints.positive_definite,
        "scale_tril": constraints.lower_cholesky,
    }
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc, covariance_matrix=None, precision_matrix=None, scale_tril=None,
                 validate_args=None) -> None:
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        given = [(n, m) for n, m in (("scale_tril", scale_tril), ("covariance_matrix", covariance_matrix),
                                     ("precision_matrix", precision_matrix)) if m is not None]
        if len(given) != 1:
            raise ValueError("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.")
        name, matrix = given[0]
        if matrix.dim() < 2:
            raise ValueError(f"{name} matrix must be at least two-dimensional, with optional leading batch dimensions")
        batch_shape = tuple(_fg.broadcast_shapes(tuple(matrix.shape[:-2]), tuple(loc.shape[:-1])))
        setattr(self, name, matrix.expand(batch_shape + (-1, -1)))
        self.loc = loc.expand(batch_shape + (-1,))
        super().__init__(Size(batch_shape), self.loc.shape[-1:], validate_args=validate_args)
        if name == "scale_tril":
            self._unbroadcasted_scale_tril = matrix
        elif name == "covariance_matrix":
            self._unbroadcasted_scale_tril = _fg.linalg.cholesky(matrix)
        else:
            self._unbroadcasted_scale_tril = _precision_to_scale_tril(matrix)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(MultivariateNormal, _instance)
        batch_shape = Size(batch_shape)
        vector = tuple(batch_shape) + tuple(self.event_shape)
        new.loc = self.loc.expand(vector)
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril
        for name in ("covariance_matrix", "scale_tril", "precision_matrix"):
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(vector + tuple(self.event_shape)))
        return self._finish_expand(new, batch_shape, self.event_shape)

    def _matrix_shape(self):
        return tuple(self._batch_shape) + tuple(self._event_shape) * 2

    @lazy_property
    def scale_tril(self):
        return self._unbroadcasted_scale_tril.expand(self._matrix_shape())

    @lazy_property
    def covariance_matrix(self):
        lower = self._unbroadcasted_scale_tril
        return _fg.matmul(lower, lower.mT).expand(self._matrix_shape())

    @lazy_property
    def precision_matrix(self):
        return _fg.cholesky_inverse(self._unbroadcasted_scale_tril).expand(self._matrix_shape())

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        return self._unbroadcasted_scale_tril.pow(2).sum(-1).expand(tuple(self._batch_shape) + tuple(self._event_shape))

    def rsample(self, sample_shape=_EMPTY):
        eps = standard_normal(self._extended_shape(sample_shape), self.loc.dtype)
        return self.loc + _matvec(self._unbroadcasted_scale_tril, eps)

    def _half_log_det(self):
        return self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        m = _mahalanobis(self._unbroadcasted_scale_tril, value - self.loc)
        return -0.5 * (self._event_shape[0] * math.log(2 * math.pi) + m) - self._half_log_det()

    def entropy(self):
        h = 0.5 * self._event_shape[0] * (1.0 + math.log(2 * math.pi)) + self._half_log_det()
        return h if len(self._batch_shape) == 0 else h.expand(tuple(self._batch_shape))
