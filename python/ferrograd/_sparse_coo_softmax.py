"""`ferrograd.sparse.softmax` and `log_softmax` of sparse COO tensors: over the stored
values that share every other coordinate, computed with differentiable dense ops on the
values of the coalesced tensor."""

from __future__ import annotations

import numpy as np

from ._core import Tensor
from ._dtype_names import scalar_name
from ._sparse_common import wrap_dim
from ._sparse_coo import (
    SparseCooTensor,
    derived,
    long_tensor,
    unsupported,
    with_node,
    zeros,
)


def sparse_softmax(input: SparseCooTensor, dim: int, dtype=None, *, log: bool = False) -> SparseCooTensor:
    """`torch.sparse.softmax` (`log_softmax` with `log`): softmax over the stored values
    that share every other coordinate (unstored entries count as -inf, i.e. are left
    out), on the coalesced tensor."""
    out = _softmax(input, dim, dtype, log)
    return with_node(out, "SparseLogSoftmaxBackward0" if log else "SparseSoftmaxBackward0")


def _softmax(input: SparseCooTensor, dim: int, dtype, log: bool) -> SparseCooTensor:
    """The values of `sparse_softmax`."""
    name = "log_softmax" if log else "softmax"
    if not isinstance(input, SparseCooTensor):
        raise unsupported(f"_sparse_{name}")
    if dtype is not None:
        input = input.to(dtype)
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise NotImplementedError(f"\"{name}\" not implemented for '{scalar_name(input.dtype)}'")
    dim = wrap_dim(dim, input.dim())
    src = input.coalesce()
    values, sparse_dim = src._fg_values, src.sparse_dim()
    if dim >= sparse_dim:
        return derived(src, getattr(values, name)(dim - sparse_dim + 1), is_coalesced=True)
    if src._nnz() == 0:
        return derived(src, values, is_coalesced=True)
    others = np.delete(src._fg_indices.numpy(), dim, axis=0).T
    group = np.unique(others, axis=0, return_inverse=True)[1].reshape(-1) if others.shape[1] else \
        np.zeros(len(others), dtype=np.int64)
    groups = int(group.max()) + 1
    detached = values.detach().numpy()
    peak = np.full((groups, *detached.shape[1:]), -np.inf, dtype=detached.dtype)
    np.maximum.at(peak, group, detached)  # per group, subtracted before exp for range
    group_t = long_tensor(group)
    shifted = values - _dense(peak).index_select(0, group_t)
    total = zeros((groups, *values.shape[1:]), values.dtype).index_add(0, group_t, shifted.exp())
    per_entry = total.index_select(0, group_t)
    out = shifted - per_entry.log() if log else shifted.exp() / per_entry
    return derived(src, out, is_coalesced=True)


def _dense(array: np.ndarray) -> Tensor:
    from ._creation import tensor

    return tensor(array)
