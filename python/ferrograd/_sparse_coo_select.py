"""`select`, `index_select`, `narrow_copy` and integer indexing (`s[0]`, `s[0, 1]`) of sparse COO
tensors, as PyTorch does them: selecting along a sparse dim keeps the stored entries on that coordinate
(duplicates included) and drops the dim; once no sparse dim is left the result is the
dense sum of those entries. Slices and tensor indices are refused as PyTorch refuses
them (`aten::as_strided`)."""

from __future__ import annotations

import numpy as np

from ._core import Tensor
from ._sparse_common import wrap_dim
from ._sparse_coo import SparseCooTensor, long_tensor, make, node, unsupported


@node("SelectBackward0")
def _select(self: SparseCooTensor, dim: int, index: int) -> Tensor:
    dim = wrap_dim(dim, self.dim())
    size = self._fg_size[dim]
    if not -size <= index < size:
        raise IndexError(f"index {index} is out of bounds for dimension {dim} with size {size}")
    index %= size
    sparse_dim = self.sparse_dim()
    if dim >= sparse_dim:
        values = self._fg_values.select(dim - sparse_dim + 1, index)
        return make(self._fg_indices, values, self._fg_size[:dim] + self._fg_size[dim + 1:], self._fg_coalesced)
    coords = self._fg_indices.numpy()
    kept = long_tensor(np.flatnonzero(coords[dim] == index))
    values = self._fg_values.index_select(0, kept)
    if sparse_dim == 1:
        return values.sum(0)
    rows = long_tensor([d for d in range(sparse_dim) if d != dim])
    indices = self._fg_indices.index_select(0, rows).index_select(1, kept)
    return make(indices, values, self._fg_size[:dim] + self._fg_size[dim + 1:], kept.shape[0] <= 1)


def _index_select(self: SparseCooTensor, dim: int, index: Tensor) -> SparseCooTensor:
    """The entries whose coordinate along `dim` is in `index`, renumbered by position in
    `index` (an entry picked twice appears twice), grouped by that position as PyTorch's
    kernel lists them."""
    dim = wrap_dim(dim, self.dim())
    sparse_dim = self.sparse_dim()
    if dim >= sparse_dim:
        values = self._fg_values.index_select(dim - sparse_dim + 1, index)
        size = self._fg_size[:dim] + (len(index),) + self._fg_size[dim + 1:]
        return make(self._fg_indices, values, size, self._fg_coalesced)
    wanted = index.reshape(-1).tolist()
    size = self._fg_size[dim]
    for k in wanted:
        if not -size <= k < size:
            raise IndexError(f"index_select(): index contains {k} that is out of range for tensor of size "
                             f"{list(self._fg_size)} at dimension {dim}")
    coords = self._fg_indices.numpy()
    picked = [np.flatnonzero(coords[dim] == k % size) for k in wanted]
    entries = np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)
    positions = np.repeat(np.arange(len(wanted)), [len(p) for p in picked])
    new_coords = coords[:, entries].copy()
    new_coords[dim] = positions
    values = self._fg_values.index_select(0, long_tensor(entries))
    new_size = self._fg_size[:dim] + (len(wanted),) + self._fg_size[dim + 1:]
    return make(long_tensor(new_coords), values, new_size, len(entries) <= 1)


@node("NarrowCopyBackward0")
def _narrow_copy(self: SparseCooTensor, dim: int, start: int, length: int) -> SparseCooTensor:
    """The entries with coordinate in [start, start + length) along `dim`, shifted to
    start at 0 (a dense dim narrows the values)."""
    dim = wrap_dim(dim, self.dim())
    size = self._fg_size[dim]
    if start < 0 or length < 0 or start + length > size:
        raise RuntimeError("Invalid range to narrow. range(start, start+length) must be a subset of "
                           f"range(0, {size}).")
    new_size = self._fg_size[:dim] + (length,) + self._fg_size[dim + 1:]
    sparse_dim = self.sparse_dim()
    if dim >= sparse_dim:
        values = self._fg_values.narrow(dim - sparse_dim + 1, start, length)
        return make(self._fg_indices, values, new_size, self._fg_coalesced)
    coords = self._fg_indices.numpy()
    kept = np.flatnonzero((coords[dim] >= start) & (coords[dim] < start + length))
    new_coords = coords[:, kept].copy()
    new_coords[dim] -= start
    values = self._fg_values.index_select(0, long_tensor(kept))
    return make(long_tensor(new_coords), values, new_size, self._fg_coalesced)


def _getitem(self: SparseCooTensor, key) -> Tensor:
    keys = key if isinstance(key, tuple) else (key,)
    if not all(isinstance(k, int) and not isinstance(k, bool) for k in keys) or len(keys) > self.dim():
        raise unsupported("as_strided")
    out: Tensor = self
    for k in keys:
        out = out.select(0, k)
    return out


SparseCooTensor.select = _select
SparseCooTensor.index_select = _index_select
SparseCooTensor.narrow_copy = _narrow_copy
SparseCooTensor.__getitem__ = _getitem
