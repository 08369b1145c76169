"""The sparse-tensor methods of a strided (dense) tensor: `to_sparse`/`to_sparse_coo`
make a sparse COO tensor (loading `_sparse_coo` on first use), `to_sparse_csr` (and
`to_sparse(layout=sparse_csr)`) a sparse CSR one, `sparse_dim`/`dense_dim`
describe a dense tensor as PyTorch does, and the sparse-only accessors raise PyTorch's
errors for a strided input."""

from __future__ import annotations

import inspect
from typing import Any

from . import _core
from ._core import Tensor


def _refuse_complex_grad(self: Tensor, out: Tensor, op: str) -> Tensor:
    """`out`, unless it would be a complex result of `op` to differentiate, which PyTorch's
    conversions to sparse layouts refuse."""
    if self.dtype.is_complex and self.requires_grad and _core.is_grad_enabled():
        raise RuntimeError(f"{op} does not support automatic differentiation for outputs with complex dtype.")
    return out


def _to_sparse(self: Tensor, sparse_dim: int | None = None, *, layout=None, blocksize=None, dense_dim=None):
    """A sparse COO copy: the coordinates of the nonzero elements (of the nonzero slices
    over the first `sparse_dim` dims) and their values; the gradient flows back to `self`.

    Args:
        sparse_dim: how many leading dims are sparse (default: all).
        layout: `ferrograd.sparse_coo` or None; `ferrograd.strided` returns `self`.
        blocksize: for blocked sparse layouts, which ferrograd lacks.
        dense_dim: how many trailing dims stay dense (the other way to give sparse_dim).
    """
    from . import _memory_format
    from ._sparse_coo_create import dense_to_sparse

    if blocksize is not None:
        _check_blocksize(blocksize, layout)
    if layout is _memory_format.strided:
        return self
    if layout is _memory_format.sparse_csr:
        from ._sparse_csr_create import dense_to_csr

        return _refuse_complex_grad(self, dense_to_csr(self, dense_dim, op="dense_to_sparse"), "_to_sparse")
    if layout is _memory_format.sparse_csc:
        from ._sparse_csc import dense_to_csc

        return _refuse_complex_grad(self, dense_to_csc(self, dense_dim, op="dense_to_sparse"), "_to_sparse")
    if layout is _memory_format.sparse_bsr or layout is _memory_format.sparse_bsc:
        if blocksize is None:
            name = "SparseBsr" if layout is _memory_format.sparse_bsr else "SparseBsc"
            raise RuntimeError(f"dense_to_sparse: conversion from Strided to {name} without blocksize argument given "
                               "is not supported")
        from ._sparse_bsr import dense_to_blocked

        kind = "BSR" if layout is _memory_format.sparse_bsr else "BSC"
        return _refuse_complex_grad(self, dense_to_blocked(self, blocksize, dense_dim, kind), "_to_sparse")
    if layout is not None and layout is not _memory_format.sparse_coo:
        raise NotImplementedError(f"to_sparse: layout {layout} is not supported")
    given = sparse_dim is not None or dense_dim is not None
    if sparse_dim is None:
        sparse_dim = self.dim() - (dense_dim or 0)
    return _refuse_complex_grad(self, dense_to_sparse(self, sparse_dim, given=given), "_to_sparse")


def _check_blocksize(blocksize: Any, layout: Any) -> None:
    """PyTorch's checks of a `to_sparse` blocksize (two positive ints; a lone int, or a
    one-element tensor, stands for both), which only the blocked layouts take."""
    from . import _memory_format as formats

    if isinstance(blocksize, Tensor) and blocksize.numel() == 1 or isinstance(blocksize, int):
        blocksize = [int(blocksize)] * 2
    sizes = [int(b) for b in blocksize]
    prefix = "to_sparse" if layout is formats.strided else "dense_to_sparse"
    if len(sizes) != 2:
        raise RuntimeError(f"{prefix}: blocksize needs to be a tuple of size 2, but got {len(sizes)}")
    if min(sizes) <= 0:
        raise RuntimeError(f"{prefix}: blocksize needs to be positive, but got {sizes}")
    if layout is formats.sparse_bsr or layout is formats.sparse_bsc:
        return
    names = {formats.strided: "Strided", formats.sparse_csr: "SparseCsr", formats.sparse_csc: "SparseCsc"}
    raise RuntimeError(f"{prefix}: conversion from Strided to {names.get(layout, 'Sparse')} with blocksize argument "
                       "given is not supported")


def _to_sparse_coo(self: Tensor) -> Tensor:
    """A sparse COO copy with every dim sparse (`to_sparse()`)."""
    return _to_sparse(self)


def _to_sparse_csr(self: Tensor, dense_dim: int | None = None) -> Tensor:
    """A sparse CSR copy: the nonzero elements of each matrix over the last two dims (the
    two before the last `dense_dim`), leading dims as batch dims; the gradient flows back
    to `self`.

    Args:
        dense_dim: how many trailing dims stay dense (default 0).
    """
    from ._sparse_csr_create import dense_to_csr

    return _refuse_complex_grad(self, dense_to_csr(self, dense_dim), "_to_sparse_csr")


def _to_sparse_csc(self: Tensor, dense_dim: int | None = None) -> Tensor:
    """A sparse CSC copy: the nonzero elements of each matrix over the last two dims (the
    two before the last `dense_dim`), stored by columns, leading dims as batch dims; the
    gradient flows back to `self`.

    Args:
        dense_dim: how many trailing dims stay dense (default 0).
    """
    from ._sparse_csc import dense_to_csc

    return _refuse_complex_grad(self, dense_to_csc(self, dense_dim), "_to_sparse_csc")


def _to_sparse_bsr(self: Tensor, blocksize: Any = None, dense_dim: int | None = None) -> Tensor:
    """A sparse BSR copy: the `blocksize` blocks with a nonzero element of each matrix
    over the last two dims (the two before the last `dense_dim`), leading dims as batch
    dims; the gradient flows back to `self`.

    Args:
        blocksize: the rows and columns of a block (a pair, or one int for both).
        dense_dim: how many trailing dims stay dense (default 0).
    """
    from ._sparse_bsr import dense_to_blocked

    if blocksize is None:
        raise TypeError('to_sparse_bsr() missing 1 required positional arguments: "blocksize"')
    return _refuse_complex_grad(self, dense_to_blocked(self, blocksize, dense_dim, "BSR"), "_to_sparse_bsr")


def _to_sparse_bsc(self: Tensor, blocksize: Any = None, dense_dim: int | None = None) -> Tensor:
    """A sparse BSC copy: the `blocksize` blocks with a nonzero element, stored by block
    columns; the gradient flows back to `self`.

    Args:
        blocksize: the rows and columns of a block (a pair, or one int for both).
        dense_dim: how many trailing dims stay dense (default 0).
    """
    from ._sparse_bsr import dense_to_blocked

    if blocksize is None:
        raise TypeError('to_sparse_bsc() missing 1 required positional arguments: "blocksize"')
    return _refuse_complex_grad(self, dense_to_blocked(self, blocksize, dense_dim, "BSC"), "_to_sparse_bsc")


def _sparse_mask(self: Tensor, mask: Tensor) -> Tensor:
    """The entries of this dense tensor at the coordinates of the sparse `mask`, as a
    sparse tensor with `mask`'s indices (the gradient flows back to `self`).

    Args:
        mask: a sparse COO tensor of this tensor's size.
    """
    if not getattr(mask, "is_sparse", False):
        raise no_kernel("sparse_mask")
    if tuple(self.shape) != tuple(mask.shape):
        raise RuntimeError(f"sparse_mask(): operands have incompatible sizes; self has size {list(self.shape)} but "
                           f"mask has size {list(mask.shape)}")
    from ._sparse_coo import make

    indices = mask._indices()
    return make(indices, self[tuple(indices.unbind(0))], mask.shape, mask.is_coalesced())


def _sparse_dim(self: Tensor) -> int:
    """0: a strided tensor has no sparse dims."""
    return 0


def _dense_dim(self: Tensor) -> int:
    """Every dim of a strided tensor is dense."""
    return self.dim()


_TAKES_NOTHING = inspect.Signature([inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)])


def _layout_refusal(accessor: str, expected: str):
    def refuse(self: Tensor, *args, **kwargs):
        if args or kwargs:  # PyTorch's method takes nothing: Python's refusal, naming its class
            from ._parser_check import no_arguments_error

            raise no_arguments_error(f"TensorBase.{accessor}", args, kwargs)  # type: ignore[misc]
        raise RuntimeError(f"{accessor} expected {expected} but got Strided")

    refuse.__name__ = accessor
    refuse.__signature__ = _TAKES_NOTHING  # type: ignore[attr-defined]  # the extra arguments are only refused
    refuse.__doc__ = f"For sparse tensors only: PyTorch's RuntimeError for a strided tensor ({accessor})."
    return refuse


def no_kernel(op: str, backend: str = "CPU") -> NotImplementedError:
    """PyTorch's error for an op without a kernel for the backend (`CPU`: strided
    tensors, `SparseCPU`: sparse COO ones)."""
    return NotImplementedError(
        f"Could not run 'aten::{op}' with arguments from the '{backend}' backend. This could be because the operator "
        "doesn't exist for this backend, or was omitted during the selective/custom build process (if using "
        "custom build).")


def _no_strided_kernel(op: str):
    def refuse(self: Tensor):
        raise no_kernel(op)

    refuse.__name__ = op
    refuse.__doc__ = f"For sparse tensors only: PyTorch's NotImplementedError for a strided tensor ({op})."
    return refuse


def install() -> None:
    T = Tensor
    T.to_sparse = _to_sparse
    T.to_sparse_coo = _to_sparse_coo
    T.to_sparse_csr = _to_sparse_csr
    T.to_sparse_csc = _to_sparse_csc
    T.to_sparse_bsr = _to_sparse_bsr
    T.to_sparse_bsc = _to_sparse_bsc
    T.sparse_dim = _sparse_dim
    T.sparse_mask = _sparse_mask
    T.dense_dim = _dense_dim
    for op in ("_nnz", "_indices", "_values"):
        setattr(T, op, _no_strided_kernel(op))
    coordinate = "sparse coordinate tensor layout"
    for accessor, expected in (("indices", coordinate), ("coalesce", coordinate), ("is_coalesced", coordinate),
                               ("values", "sparse tensor layout"),
                               ("crow_indices", "sparse row compressed tensor layout"),
                               ("col_indices", "sparse row compressed tensor layout"),
                               ("ccol_indices", "sparse column compressed tensor layout"),
                               ("row_indices", "sparse column compressed tensor layout")):
        setattr(T, accessor, _layout_refusal(accessor, expected))
