"""Making sparse CSR tensors: `sparse_csr_tensor` (with PyTorch's checks), and the
conversions of dense and sparse COO tensors to CSR (`to_sparse_csr`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _core
from ._core import Tensor
from ._dtype_names import scalar_name
from ._sparse_coo import long_tensor, named
from ._sparse_csr import SparseCsrTensor, make

__all__ = ["sparse_csr_tensor"]

_TO_CSR_NODE = "ToSparseCsrBackward0"


def _compressed(rows: np.ndarray, nrows: int) -> np.ndarray:
    """The crow_indices of sorted row indices: where each row's entries start, then nnz."""
    return np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=nrows))]).astype(np.int64)


def dense_to_csr(x: Tensor, dense_dim: int | None = None, *, op: str = "dense_to_sparse_csr") -> SparseCsrTensor:
    """`x.to_sparse_csr(dense_dim)`: the nonzero elements (slices over the last `dense_dim`
    dims) of each matrix over the two dims before them, leading dims as batch dims (each
    batch with as many elements); differentiable in `x`."""
    if x.dim() < 2:  # PyTorch's kernel asks for the second dim of the size first
        raise IndexError(f"select(): index 1 out of range for tensor of size [0, {x.dim()}] at dimension 1")
    dense_dim = dense_dim or 0
    if not 0 <= dense_dim <= x.dim() - 2:
        raise RuntimeError(f"{op}: dense_dim argument must be in [0,{x.dim() - 2}] range, but {dense_dim} is given")
    nbatch = x.dim() - 2 - dense_dim
    nonzero = (x.detach() != 0).numpy()
    if dense_dim:
        nonzero = nonzero.any(axis=tuple(range(x.dim() - dense_dim, x.dim())))
    batch_shape, (nrows, _) = nonzero.shape[:nbatch], nonzero.shape[nbatch:]
    per_batch = nonzero.reshape(-1, *nonzero.shape[nbatch:]).sum(axis=(1, 2))
    if len(set(per_batch.tolist())) > 1:
        raise RuntimeError("Expect the same number of specified elements per batch.")
    coords = np.nonzero(nonzero)  # row-major: sorted by batch, then row, then column
    nnz = int(per_batch[0]) if per_batch.size else 0
    rows = coords[nbatch].reshape(-1, nnz) if nnz else np.zeros((int(np.prod(batch_shape)), 0), np.int64)
    crow = np.stack([_compressed(r, nrows) for r in rows]) if len(rows) else np.zeros((0, nrows + 1), np.int64)
    col = coords[nbatch + 1]
    values = x[tuple(long_tensor(c) for c in coords)]
    values = values.reshape((*batch_shape, nnz, *x.shape[x.dim() - dense_dim:]))
    out = make(long_tensor(crow.reshape(*batch_shape, nrows + 1)), long_tensor(col.reshape(*batch_shape, nnz)),
               named(values, _TO_CSR_NODE), x.shape)
    if x.requires_grad and not nbatch and not dense_dim:
        out._fg_dense_origin = x  # products pass PyTorch's dense gradient to x whole
    return out


def coo_to_csr(s: Any) -> SparseCsrTensor:
    """A sparse COO matrix (two sparse dims, any dense dims) as CSR, its entries coalesced."""
    if s.sparse_dim() != 2:
        raise RuntimeError("coo_to_sparse_csr: conversion from Sparse to SparseCsr for input tensors with "
                           "sparse_dim()!=2 is not supported")
    c = s.coalesce()
    rows, col = c._indices().numpy()
    crow = _compressed(rows, s.shape[0])
    return make(long_tensor(crow), long_tensor(col), named(c._fg_values, _TO_CSR_NODE), s.shape)


# ---------------------------------------------------------------------- construction


def _as_tensor(x: Any, dtype=None) -> Tensor:
    from ._creation import tensor

    if not isinstance(x, Tensor):
        return tensor(x, dtype=dtype)
    return x if dtype is None else x.to(dtype)


def _inferred_size(crow: Tensor, col: Tensor, values: Tensor) -> tuple[int, ...]:
    nbatch = crow.dim() - 1
    ncols = int(col.max().item()) + 1 if col.numel() else 0
    return (*crow.shape[:-1], crow.shape[-1] - 1, ncols, *values.shape[nbatch + 1:])


def _not_satisfied(condition: str) -> RuntimeError:
    return RuntimeError(f"`{condition}` is not satisfied.")


def _check_invariants(crow: Tensor, col: Tensor, values: Tensor, size: tuple[int, ...]) -> None:
    """PyTorch's `_validate_sparse_compressed_tensor_args` for the CSR layout."""
    if crow.dtype != col.dtype:
        raise RuntimeError(f"crow_indices and col_indices must have the same dtype, bot got "
                           f"{scalar_name(crow.dtype)} and {scalar_name(col.dtype)}, respectively")
    if crow.dtype not in (_core.int32, _core.int64):
        raise RuntimeError(f"crow_indices and col_indices dtype must be Int or Long, but got {scalar_name(crow.dtype)}")
    nbatch = crow.dim() - 1
    dense_dim = values.dim() - nbatch - 1
    if len(size) != nbatch + 2 + dense_dim:
        raise RuntimeError(f"tensor dimensionality must be sum of batch, base, and dense dimensionalities "
                           f"(={nbatch} + 2 + {dense_dim}) but got {len(size)}")
    nrows, ncols = size[nbatch], size[nbatch + 1]
    if crow.shape[-1] != nrows + 1:
        raise RuntimeError(f"crow_indices.shape[-1] must be equal to the number of rows + 1 (={nrows + 1}), "
                           f"but got {crow.shape[-1]}")
    nnz = values.shape[nbatch]
    if col.shape[-1] != nnz:
        raise RuntimeError(f"col_indices.shape[-1] must be equal to nnz (={nnz}) as defined by "
                           f"values.shape[{nbatch}], but got {col.shape[-1]}")
    c, k = crow.numpy().reshape(-1, nrows + 1), col.numpy().reshape(-1, nnz)
    if ((k < 0) | (k >= ncols)).any():
        raise _not_satisfied("0 <= col_indices < ncols")
    if (c[:, 0] != 0).any():
        raise _not_satisfied("crow_indices[..., 0] == 0")
    if (c[:, -1] != nnz).any():
        raise _not_satisfied("crow_indices[..., -1] == nnz")
    steps = np.diff(c, axis=1)
    if ((steps < 0) | (steps > ncols)).any():
        raise _not_satisfied("0 <= crow_indices[..., 1:] - crow_indices[..., :-1] <= ncols")
    for batch in range(len(c)):
        for start, stop in zip(c[batch, :-1], c[batch, 1:]):
            if (np.diff(k[batch, start:stop]) <= 0).any():
                raise _not_satisfied("col_indices[..., crow_indices[..., i - 1]:crow_indices[..., i]] for all "
                                     "i = 1, ..., nrows are sorted and distinct along the last dimension values")


def _no_derivative(values: Tensor) -> Tensor:
    """`values` behind PyTorch's `NotImplemented` node: the overload without a size has
    no derivative, and a backward pass reaching it fails."""
    def refuse(grad: Tensor) -> None:
        raise RuntimeError("derivative for aten::sparse_compressed_tensor is not implemented")

    out = _core._named_node(values, "NotImplemented")
    out.register_hook(refuse)
    return out


def sparse_csr_tensor(crow_indices, col_indices, values, size=None, *, dtype=None, device=None,
                      pin_memory: bool = False, requires_grad: bool = False,
                      check_invariants: bool | None = None) -> SparseCsrTensor:
    """A sparse CSR tensor from compressed row indices, column indices and values
    (PyTorch's `torch.sparse_csr_tensor`).

    Args:
        crow_indices: where each row's entries start in `col_indices` and `values`, then
            nnz (`*batch x (nrows + 1)`).
        col_indices: the column of each entry (`*batch x nnz`).
        values: the entries (`*batch x nnz x *dense_shape`; a tensor, list or number).
        size: the size; inferred when None (the columns from the largest column index).
        dtype: the values' dtype (default: that of `values`).
        device: the CPU only.
        pin_memory: accepted for PyTorch compatibility.
        requires_grad: whether the result is a leaf that requires grad.
        check_invariants: check the indices against each other and `size` (default:
            `ferrograd.sparse.check_sparse_tensor_invariants.is_enabled()`).
    """
    from ._device import check_device
    from ._sparse_coo_create import INVARIANT_CHECKS

    check_device(device)
    crow, col, values = _as_tensor(crow_indices), _as_tensor(col_indices), _as_tensor(values, dtype)
    if crow.dim() != col.dim():
        raise RuntimeError(f"crow_indices and col_indices dimensionalities must be equal but got {crow.dim()} and "
                           f"{col.dim()}, respectively")
    nbatch = crow.dim() - 1
    if values.dim() <= nbatch:
        raise RuntimeError(f"values must have dimensionality > sum of batch and block dimensionalities "
                           f"(={nbatch} + 0) but got {values.dim()}")
    inferred = size is None
    if inferred:
        size = _inferred_size(crow, col, values)
    size = tuple(int(n) for n in size)
    if any(n < 0 for n in size):
        raise RuntimeError("numel: integer multiplication overflow")
    if INVARIANT_CHECKS.enabled if check_invariants is None else check_invariants:
        _check_invariants(crow, col, values, size)
    if values.requires_grad and inferred:
        values = _no_derivative(values)
    elif values.requires_grad:  # the result is a node of the values' graph, never a leaf
        values = named(values, "SparseCompressedTensorBackward0")
    elif requires_grad:
        if not (values.dtype.is_floating_point or values.dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        values = values.detach().requires_grad_(True)
    return make(crow.detach(), col.detach(), values, size)


# ---------------------------------------------------------------------- factories


def empty_csr(size, dtype=None, requires_grad: bool = False, *, op: str = "zeros") -> SparseCsrTensor:
    """A CSR tensor of `size` with no elements, leading dims past the last two as batch
    dims (PyTorch's `zeros(size, layout=sparse_csr)`)."""
    from ._creation import zeros

    shape = tuple(int(n) for n in size)
    if len(shape) < 2:
        raise RuntimeError(f"ferrograd.{op}: Only batched sparse compressed (non-block) tensors are supported, but "
                           f"got size {list(shape)}")
    batch = shape[:-2]
    values = zeros((*batch, 0), dtype=dtype)
    if requires_grad:
        values.requires_grad_(True)
    return make(long_tensor(np.zeros((*batch, shape[-2] + 1))), long_tensor(np.zeros((*batch, 0))), values, shape)


def csr_factory(name: str, args: tuple, kwargs: dict) -> Any:
    """`zeros`/`empty`/`zeros_like`/`empty_like` with `layout=ferrograd.sparse_csr`, and
    the `*_like` factories of a CSR input: an empty CSR tensor for zeros, one on the
    input's indices for empty, ones and full (PyTorch's)."""
    from ._device import check_device
    from ._sparse_csr import derived, unsupported

    check_device(kwargs.get("device"))
    dtype, requires_grad = kwargs.get("dtype"), kwargs.get("requires_grad", False)
    if not name.endswith("_like"):
        size = args[0] if len(args) == 1 and not isinstance(args[0], int) else args or kwargs["size"]
        return empty_csr(size, dtype, requires_grad, op=name)
    like = args[0] if args else kwargs["input"]
    dtype = like.dtype if dtype is None else dtype
    if name == "zeros_like" or not isinstance(like, SparseCsrTensor):
        return empty_csr(like.shape, dtype, requires_grad, op=name)
    if name not in ("empty_like", "ones_like", "full_like"):
        raise unsupported("uniform_")
    from ._creation import full

    fill = args[1] if len(args) > 1 else kwargs.get("fill_value", 0 if name == "empty_like" else 1)
    values = full(tuple(like._fg_values.shape), fill, dtype=dtype)
    if requires_grad:
        values.requires_grad_(True)
    return derived(like, values)
