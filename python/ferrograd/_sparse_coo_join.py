"""`cat` and `stack` of sparse COO tensors (PyTorch's `cat_sparse`): joined along a sparse
dim, the coordinates of each input are shifted past the ones before it; along a dense
dim, each input's values are padded with zeros to the joined size. The result is not
marked coalesced, as PyTorch's; gradients flow to every input's values."""

from __future__ import annotations

import numpy as np

from ._core import Tensor
from ._shape import cat
from ._sparse_common import wrap_dim
from ._sparse_coo import SparseCooTensor, long_tensor, make, with_node, zeros


def _check_joinable(tensors: list[SparseCooTensor], dim: int) -> None:
    first = tensors[0]
    for position, t in enumerate(tensors[1:], 1):
        if t.sparse_dim() != first.sparse_dim() or t.dense_dim() != first.dense_dim():
            raise RuntimeError(
                f"concatenating sparse tensors requires the same sparse_dim and dense_dim, but tensor 0 has "
                f"sparse_dim {first.sparse_dim()} and dense_dim {first.dense_dim()} while tensor {position} has "
                f"sparse_dim {t.sparse_dim()} and dense_dim {t.dense_dim()}")
        if t.dim() != first.dim() or any(a != b for d, (a, b) in enumerate(zip(t.shape, first.shape)) if d != dim):
            raise RuntimeError(
                f"All tensors must have the same shape: {list(first.shape)} (except in the concatenating dimension), "
                f"but found shape: {list(t.shape)} at position {position}")


def _padded(values: Tensor, axis: int, before: int, after: int) -> Tensor:
    """`values` with `before` and `after` zero slices around it along `axis`."""
    def block(n: int) -> Tensor:
        shape = list(values.shape)
        shape[axis] = n
        return zeros(shape, values.dtype)

    return cat([block(before), values, block(after)], axis)


def sparse_cat(tensors: list[SparseCooTensor], dim: int) -> SparseCooTensor:
    """The sparse tensors joined along `dim`."""
    first = tensors[0]
    dim = wrap_dim(dim, first.dim())
    _check_joinable(tensors, dim)
    size = list(first.shape)
    size[dim] = sum(t.shape[dim] for t in tensors)
    sparse_dim = first.sparse_dim()
    offsets = np.cumsum([0] + [t.shape[dim] for t in tensors])
    coords = []
    for t, offset in zip(tensors, offsets):
        rows = t._fg_indices.numpy().copy()
        if dim < sparse_dim:
            rows[dim] += offset
        coords.append(rows)
    if dim < sparse_dim:
        values = cat([t._fg_values for t in tensors], 0)
    else:  # a dense dim: axis 0 of the values counts the entries
        axis = dim - sparse_dim + 1
        values = cat([_padded(t._fg_values, axis, int(offset), size[dim] - int(offset) - t.shape[dim])
                      for t, offset in zip(tensors, offsets)], 0)
    indices = long_tensor(np.concatenate(coords, axis=1).reshape(sparse_dim, -1))
    return with_node(make(indices, values, size, False), "CatBackward0")


def sparse_stack(tensors: list[SparseCooTensor], dim: int) -> SparseCooTensor:
    """The sparse tensors, all of one shape, joined along a new dim `dim`."""
    first = tensors[0]
    for position, t in enumerate(tensors[1:], 1):
        if tuple(t.shape) != tuple(first.shape):
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(first.shape)} at entry 0 "
                               f"and {list(t.shape)} at entry {position}")
    dim = wrap_dim(dim, first.dim() + 1)
    joined = sparse_cat([t.unsqueeze(dim) for t in tensors], dim)
    return with_node(joined, "StackBackward0")
