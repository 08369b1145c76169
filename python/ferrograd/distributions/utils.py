"""Helpers shared by the distribution families: broadcasting parameters, converting
between probabilities and logits, and a cached property."""

from __future__ import annotations

import math
from functools import update_wrapper
from numbers import Number

import ferrograd as _fg
from ferrograd._core import Tensor

__all__ = [
    "broadcast_all",
    "clamp_probs",
    "lazy_property",
    "logits_to_probs",
    "probs_to_logits",
    "tril_matrix_to_vec",
    "vec_to_tril_matrix",
]


def broadcast_all(*values):
    """Numbers become tensors (of the first tensor's dtype, else the default dtype), then
    everything is broadcast to one shape.

    Args:
        values: tensors and numbers.
    """
    if not all(isinstance(v, (Tensor, Number)) for v in values):
        raise ValueError(
            "Input arguments must all be instances of numbers.Number, torch.Tensor or objects implementing "
            "__torch_function__."
        )
    dtype = next((v.dtype for v in values if isinstance(v, Tensor)), _fg.get_default_dtype())
    tensors = [v if isinstance(v, Tensor) else _fg.tensor(v, dtype=dtype) for v in values]
    return _fg.broadcast_tensors(*tensors)


def standard_normal(shape, dtype) -> Tensor:
    """N(0, 1) draws of `shape` from the default generator (PyTorch's `normal_` stream)."""
    return _fg.empty(tuple(shape), dtype=dtype).normal_()


def sum_rightmost(value: Tensor, dim: int) -> Tensor:
    """`value` summed over its `dim` rightmost dimensions."""
    if dim == 0:
        return value
    return value.reshape(tuple(value.shape[: value.dim() - dim]) + (-1,)).sum(-1)


def logits_to_probs(logits, is_binary: bool = False):
    """Probabilities from logits: the sigmoid (binary) or the softmax over the last dim.

    Args:
        logits: the logits.
        is_binary: whether they are log-odds of binary events.
    """
    if is_binary:
        return _fg.sigmoid(logits)
    return _fg.softmax(logits, dim=-1)


def clamp_probs(probs):
    """Probabilities kept one machine epsilon away from 0 and 1.

    Args:
        probs: the probabilities.
    """
    eps = _fg.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs, is_binary: bool = False):
    """Logits from probabilities (log-odds when binary, else log-probabilities).

    Args:
        probs: the probabilities.
        is_binary: whether they are probabilities of binary events.
    """
    p = clamp_probs(probs)
    if is_binary:
        return _fg.log(p) - _fg.log1p(-p)
    return _fg.log(p)


class lazy_property:
    """A property computed on first access (with gradients recorded) and then stored
    on the instance; read on the class it is the property itself.

    Args:
        wrapped: the getter.
    """

    def __init__(self, wrapped):
        self.wrapped = wrapped
        update_wrapper(self, wrapped)  # type: ignore[arg-type]

    def __get__(self, instance, obj_type=None):
        if instance is None:
            return self
        with _fg.enable_grad():
            value = self.wrapped(instance)
        instance.__dict__[self.wrapped.__name__] = value
        return value


HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def _tril_mask(n: int, diag: int):
    rows = _fg.arange(n)
    return rows < rows.view(-1, 1) + (diag + 1)


def tril_matrix_to_vec(mat, diag: int = 0):
    """The entries on and below diagonal `diag` of (batched) square matrices, row by
    row, as vectors.

    Args:
        mat: the matrices.
        diag: the last diagonal kept (0 the main one, -1 below it).
    """
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    return mat[..., _tril_mask(n, diag)]


def vec_to_tril_matrix(vec, diag: int = 0):
    """The inverse of `tril_matrix_to_vec`: square matrices, zero above diagonal `diag`.

    Args:
        vec: the vectors.
        diag: the last diagonal filled.
    """
    # positive root of D^2 + (1 + 2 diag) D - |diag| (diag + 1) - 2 len = 0
    b = 1 + 2 * diag
    n = (-b + (b**2 + 8 * vec.shape[-1] + 4 * abs(diag) * (diag + 1)) ** 0.5) / 2
    if round(n) - n > _fg.finfo(vec.dtype).eps:
        raise ValueError(
            f"The size of last dimension is {vec.shape[-1]} which cannot be expressed as the lower triangular part "
            "of a square D x D matrix."
        )
    n = round(n)
    mat = vec.new_zeros(tuple(vec.shape[:-1]) + (n, n))
    mat[..., _tril_mask(n, diag)] = vec
    return mat
