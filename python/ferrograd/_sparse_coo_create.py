"""Making sparse COO tensors: `sparse_coo_tensor` (with PyTorch's checks and size
inference) and `Tensor.to_sparse` (`dense_to_sparse`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _core
from ._argcheck import need_int64
from ._core import Tensor
from ._shell_dtypes import refuse, refuse_float8
from ._sparse_coo import SparseCooTensor, long_tensor, make, named

__all__ = ["sparse_coo_tensor"]


class _InvariantChecks:
    """The default of `check_invariants` (`ferrograd.sparse.check_sparse_tensor_invariants`)."""

    enabled = False


INVARIANT_CHECKS = _InvariantChecks()


def dense_to_sparse(x: Tensor, sparse_dim: int, *, given: bool = True) -> SparseCooTensor:
    """`x.to_sparse(sparse_dim)`: the coordinates of the nonzero slices over the first
    `sparse_dim` dims, and those slices (differentiable in `x`). `given`: whether the
    caller named `sparse_dim` (PyTorch's ToSparseBackward0) or not (ToSparseBackward1)."""
    _to_sparse_node = "ToSparseBackward0" if given else "ToSparseBackward1"
    need_int64(sparse_dim)
    if not 0 <= sparse_dim <= x.dim():
        raise RuntimeError(f"dense_to_sparse: sparse_dim argument must be in [0,{x.dim()}] range, but "
                           f"{sparse_dim} is given")
    if sparse_dim == 0 and x.dim() > 0:
        raise RuntimeError("dense_to_sparse: sparse_dim argument must be in >0 when self.dim()>0")
    refuse_float8("nonzero_count_cpu", x)
    refuse("nonzero_count_cpu", x)
    if sparse_dim == 0:  # a 0-d tensor: one value, or none when it is zero
        kept = int(bool(x.detach() != 0))
        return make(long_tensor(np.zeros((0, kept))), named(x.unsqueeze(0)[:kept], _to_sparse_node), x.shape, True)
    nonzero = (x.detach() != 0).numpy()
    if sparse_dim < x.dim():
        nonzero = nonzero.any(axis=tuple(range(sparse_dim, x.dim())))
    coords = np.stack(np.nonzero(nonzero)).astype(np.int64).reshape(sparse_dim, -1)
    indices = long_tensor(coords)
    return make(indices, named(x[tuple(indices.unbind(0))], _to_sparse_node), x.shape, True)


# ---------------------------------------------------------------------- construction


def _as_indices(indices: Any) -> Tensor:
    from ._creation import tensor

    if not isinstance(indices, Tensor):
        indices = tensor(indices, dtype=_core.int64)  # PyTorch reads the data as int64, inferring nothing
    if isinstance(indices, SparseCooTensor):
        raise TypeError("sparse_coo_tensor(): argument 'indices' must be a dense tensor")
    if indices.dim() != 2:
        raise RuntimeError(f"indices must be sparse_dim x nnz, but got: {list(indices.shape)}")
    return indices.detach().to(_core.int64)


def _as_values(values: Any, dtype) -> Tensor:
    from ._creation import tensor

    if not isinstance(values, Tensor):
        values = tensor(values, dtype=dtype)
    elif dtype is not None:
        values = values.to(dtype)
    return values.reshape(1) if values.dim() == 0 else values


def _inferred_size(indices: Tensor, values: Tensor) -> tuple[int, ...]:
    coords = indices.numpy()
    if coords.size and coords.min() < 0:
        row = int(np.argmax((coords < 0).any(axis=1)))
        raise RuntimeError(f"found negative index {int(coords[row].min())} for dim {row}")
    sparse = coords.max(axis=1) + 1 if coords.shape[1] else np.zeros(coords.shape[0], dtype=np.int64)
    return (*(int(n) for n in sparse), *values.shape[1:])


def _check_size(indices: Tensor, values: Tensor, size: tuple[int, ...]) -> None:
    sparse_dim, dense_dim = indices.shape[0], values.dim() - 1
    if len(size) != sparse_dim + dense_dim:
        raise RuntimeError(f"'len(size) == sparse_dim + dense_dim' is not satisfied: len(size) = {len(size)}, "
                           f"sparse_dim = {sparse_dim}, dense_dim = {dense_dim}")
    if any(n < 0 for n in size):
        raise RuntimeError("numel: integer multiplication overflow")
    expected = [values.shape[0], *size[sparse_dim:]]
    if expected != list(values.shape):
        raise RuntimeError(f"values has incorrect size, expected {expected}, got {list(values.shape)}")


def _check_invariants(indices: Tensor, size: tuple[int, ...]) -> None:
    coords = indices.numpy()
    for dim in range(coords.shape[0]):
        row = coords[dim]
        if row.size and row.min() < 0:
            raise RuntimeError(f"found negative index {int(row.min())} for dim {dim}")
        if row.size and row.max() >= size[dim]:
            raise RuntimeError(f"size is inconsistent with indices: for dim {dim}, size is {size[dim]} but "
                               f"found index {int(row.max())}")


def empty_sparse(size, dtype=None, requires_grad: bool = False) -> SparseCooTensor:
    """A sparse tensor of `size` with no entries, every dim sparse (PyTorch's
    `sparse_coo_tensor(size)` and `zeros(size, layout=sparse_coo)`)."""
    from ._creation import zeros

    shape = tuple(int(n) for n in size)
    values = zeros(0, dtype=dtype)
    if requires_grad:
        values.requires_grad_(True)
    return make(long_tensor(np.zeros((len(shape), 0))), values, shape, True)


def empty_sparse_like_factory(name: str, args: tuple, kwargs: dict) -> SparseCooTensor:
    """`zeros`/`empty`/`zeros_like`/`empty_like` called with `layout=ferrograd.sparse_coo`."""
    from ._device import check_device

    check_device(kwargs.get("device"))
    dtype, requires_grad = kwargs.get("dtype"), kwargs.get("requires_grad", False)
    if name.endswith("_like"):
        like = args[0] if args else kwargs["input"]
        return empty_sparse(like.shape, like.dtype if dtype is None else dtype, requires_grad)
    size = args[0] if len(args) == 1 and not isinstance(args[0], int) else args or kwargs["size"]
    return empty_sparse(size, dtype, requires_grad)


_NO_VALUES: Any = object()


def sparse_coo_tensor(indices=_NO_VALUES, values=_NO_VALUES, size=None, *, dtype=None, device=None, pin_memory: bool = False,
                      requires_grad: bool = False, check_invariants: bool | None = None,
                      is_coalesced: bool | None = None) -> SparseCooTensor:
    """A sparse COO tensor with the given coordinates and values (PyTorch's
    `torch.sparse_coo_tensor`).

    Called with a size alone (`sparse_coo_tensor((2, 3))`), an empty sparse tensor of
    that size.

    Args:
        indices: the coordinates, `sparse_dim x nnz` (any integer or float tensor or nested
            list; cast to int64); or the size, when `values` is not given.
        values: the values, `nnz x *dense_shape` (a tensor, list or number).
        size: the size; inferred from the largest index per sparse dim when None.
        dtype: the values' dtype (default: that of `values`).
        device: the CPU only.
        pin_memory: accepted for PyTorch compatibility (must be False).
        requires_grad: whether the result is a leaf that requires grad.
        check_invariants: check that the indices are non-negative and inside `size`
            (default: `ferrograd.sparse.check_sparse_tensor_invariants.is_enabled()`).
        is_coalesced: promise that the coordinates are sorted and unique (default: only
            when nnz <= 1).
    """
    from ._argument_types import before_parser
    from ._device import check_device

    check_device(device)
    if values is _NO_VALUES:
        from ._parser_check import parser_error

        if indices is _NO_VALUES:  # the size alone, by keyword
            if size is None or not isinstance(size, (tuple, list)):  # a lone int only by position
                raise parser_error("sparse_coo_tensor", (), {} if size is None else {"size": size})
            indices = size
        elif size is not None:  # the size given twice
            raise parser_error("sparse_coo_tensor", (indices,), {"size": size})
        if isinstance(indices, int) and not isinstance(indices, bool):
            indices = (indices,)
        elif isinstance(indices, Tensor) and type(indices) is Tensor and indices.numel() == 1 and not (
                indices.dtype.is_floating_point or indices.dtype.is_complex):
            indices = (int(indices.item()),)  # PyTorch's int list parser takes a one-element integer tensor
        if isinstance(indices, (Tensor, bool)) or not all(isinstance(n, int) for n in indices):
            raise TypeError("sparse_coo_tensor(): argument 'size' (position 1) must be tuple of ints, not "
                            f"{type(indices).__name__}")
        _check_numel(indices)
        return empty_sparse(indices, dtype, requires_grad)
    try:
        return _build(indices, values, size, dtype, requires_grad, check_invariants, is_coalesced)
    except RuntimeError as error:  # PyTorch checks these after its parser took `indices` as an object
        raise before_parser(error) from None


def _check_numel(size) -> None:
    """PyTorch's count of a new sparse tensor's elements, multiplied as unsigned 64-bit
    numbers (a negative size is a huge one) that must fit int64."""
    if 0 in size:
        return
    total = 1
    for n in size:
        total *= n % 2**64
        if total >= 2**63:
            raise RuntimeError("numel: integer multiplication overflow")


def _build(indices, values, size, dtype, requires_grad, check_invariants, is_coalesced) -> SparseCooTensor:
    indices = _as_indices(indices)
    values = _as_values(values, dtype)
    if indices.shape[1] != values.shape[0]:
        raise RuntimeError(f"indices and values must have same nnz, but got nnz from indices: {indices.shape[1]}, "
                           f"nnz from values: {values.shape[0]}")
    if size is None:
        size = _inferred_size(indices, values)
    else:
        size = tuple(int(n) for n in size)
        _check_size(indices, values, size)
        if INVARIANT_CHECKS.enabled if check_invariants is None else check_invariants:
            _check_invariants(indices, size)
    if requires_grad:
        if not (values.dtype.is_floating_point or values.dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        values = values.detach().requires_grad_(True)
    else:
        values = named(values, "SparseCooTensorWithDimsAndTensorsBackward0")
    flag = indices.shape[1] <= 1 if is_coalesced is None else is_coalesced
    return make(indices, values, size, flag)
