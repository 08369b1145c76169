"""Flattening parameters into one vector and back (`parameters_to_vector`)."""

from __future__ import annotations

from collections.abc import Iterable

from ..._core import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and concatenated into one 1-D tensor."""
    from ... import cat

    # as PyTorch: a tensor is iterated (its rows are the parameters), each viewed flat
    return cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copies consecutive slices of `vec` into the parameters' data."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    offset = 0
    for p in parameters:  # as PyTorch, a tensor is iterated (its rows are the parameters)
        n = p.numel()
        p.data = vec[offset:offset + n].view_as(p).data
        offset += n
