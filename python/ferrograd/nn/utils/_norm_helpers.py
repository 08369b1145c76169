"""Shared by the weight-norm and spectral-norm utilities."""

from __future__ import annotations

from ..._core import Tensor


def norm_except_dim(v: Tensor, pow: float, dim: int) -> Tensor:
    """The `pow`-norm of `v` over every dim but `dim`, shaped to broadcast against `v`
    (the whole tensor's norm when dim is -1, as PyTorch's norm_except_dim)."""
    if dim == -1:
        return v.norm(pow)
    if dim < 0:
        dim += v.dim()
    others = [d for d in range(v.dim()) if d != dim]
    if not others:
        return v.abs()
    return v.norm(pow, others, keepdim=True)


def weight_norm_value(v: Tensor, g: Tensor, dim: int) -> Tensor:
    """v * (g / ‖v‖) with the norm over every dim but `dim` (PyTorch's _weight_norm)."""
    return v * (g / norm_except_dim(v, 2, dim))


def reshape_weight_to_matrix(weight: Tensor, dim: int) -> Tensor:
    """`weight` as a matrix whose rows run along `dim`."""
    if dim != 0:
        weight = weight.permute(dim, *(d for d in range(weight.dim()) if d != dim))
    return weight.reshape(weight.shape[0], -1)
