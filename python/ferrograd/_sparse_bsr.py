"""Blocked sparse tensors: BSR and BSC (PyTorch's `torch.sparse_bsr` and
`torch.sparse_bsc` layouts).

A blocked tensor is a compressed tensor over the grid of its blocks: its compressed and
plain indices (`crow_indices`/`col_indices` of BSR, `ccol_indices`/`row_indices` of BSC)
address blocks, and its values hold one `blocksize` block per stored index
(`*batch x nnz x blockrows x blockcols x *dense_shape`). The classes reuse the CSR and
CSC ones' bookkeeping (`_coordinates` gives block coordinates) and write what differs:
the dense form, the COO form (every element of the stored blocks), products (through the
dense form), and PyTorch's refusals of the CSR-only paths.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import Tensor
from ._memory_format import sparse_bsc, sparse_bsr
from ._sparse_coo import long_tensor, named, zeros
from ._sparse_csc import _KINDS, SparseCscTensor, full_sum, radd_dense
from ._sparse_csr import _OWN_NAMES, SparseCsrTensor, _layout_refusal, derived, make, warn_beta_once

__all__ = ["SparseBscTensor", "SparseBsrTensor"]


class SparseBsrTensor(SparseCsrTensor):
    """A tensor stored as compressed rows of blocks (PyTorch's `torch.sparse_bsr` layout).

    Made by `ferrograd.sparse_bsr_tensor`, `Tensor.to_sparse_bsr(blocksize)` or
    `to_sparse(layout=ferrograd.sparse_bsr, blocksize=...)`.
    """

    is_sparse_csr = property(lambda self: False, doc="False: a BSR tensor is not a CSR one.")
    layout = property(lambda self: sparse_bsr, doc="`ferrograd.sparse_bsr`.")
    _fg_layout_name = "SparseBsr"
    _fg_kind = "BSR"
    _fg_index_names = ("crow_indices", "col_indices")

    def dense_dim(self) -> int:
        return self._fg_values.dim() - self._fg_col.dim() - 2

    def _blocksize(self) -> tuple[int, int]:
        nbatch = self._batch_dim()
        return tuple(self._fg_values.shape[nbatch + 1:nbatch + 3])

    def _grid(self) -> tuple[int, int]:
        """The number of block rows and block columns."""
        nbatch, (bh, bw) = self._batch_dim(), self._blocksize()
        return self._fg_size[nbatch] // bh, self._fg_size[nbatch + 1] // bw

    def _element_coordinates(self) -> tuple[tuple[np.ndarray, ...], Tensor]:
        """Every element of the stored blocks, in storage order (block by block, each
        row-major, as PyTorch's COO form lists them): its batch indices, row and column,
        and the values in that order (differentiable)."""
        nbatch, (bh, bw) = self._batch_dim(), self._blocksize()
        *batch, brow, bcol = self._coordinates()
        i, j = np.meshgrid(np.arange(bh), np.arange(bw), indexing="ij")
        rows = (brow[:, None] * bh + i.reshape(1, -1)).reshape(-1)
        cols = (bcol[:, None] * bw + j.reshape(1, -1)).reshape(-1)
        batch = [np.repeat(b, bh * bw) for b in batch]
        values = self._fg_values
        return (*batch, rows, cols), values.reshape((-1, *values.shape[nbatch + 3:]))

    def to_dense(self, dtype=None, *, masked_grad: bool | None = None) -> Tensor:
        if dtype is not None:
            raise RuntimeError("dtype argument is not supported by sparse_csr_to_dense")
        coords, values = self._element_coordinates()
        out = zeros(self._fg_size, values.dtype)
        return named(out.index_put(tuple(long_tensor(c) for c in coords), values, accumulate=True), "ToDenseBackward0")

    def to_sparse(self, sparse_dim: int | None = None, *, layout=None, blocksize=None, dense_dim=None) -> Any:
        from . import _memory_format

        if layout is _memory_format.sparse_bsr:
            return self.to_sparse_bsr(blocksize)
        if layout is _memory_format.sparse_bsc:
            return self.to_sparse_bsc(blocksize)
        if layout is _memory_format.sparse_csr:
            return self.to_sparse_csr()
        if layout is _memory_format.sparse_csc:
            return self.to_sparse_csc()
        if layout is _memory_format.strided:
            return self.to_dense()
        if sparse_dim is not None and sparse_dim != 2:
            raise RuntimeError(f"sparse_compressed_to_sparse: conversion from {self._fg_layout_name} to Sparse with "
                               "sparse_dim argument !=2 is not supported")
        from ._sparse_coo import make as make_coo

        coords, values = self._element_coordinates()
        indices = long_tensor(np.stack(coords) if coords[0].size else np.zeros((len(coords), 0)))
        return make_coo(indices, named(values, "ToSparseBackward1"), self._fg_size, False)

    def to_sparse_csr(self, dense_dim: int | None = None) -> Any:
        raise RuntimeError(f"sparse_compressed_to_sparse_csr: expected SparseCsr or SparseCsc layout but got "
                           f"{self._fg_layout_name}")

    def to_sparse_csc(self, dense_dim: int | None = None) -> Any:
        raise RuntimeError(f"sparse_compressed_to_sparse_csc: expected SparseCsr or SparseCsc layout but got "
                           f"{self._fg_layout_name}")

    def _reblocked(self, kind: str, blocksize: Any) -> Any:
        from ._sparse_csc import recompressed

        asked = list(_blocksize_argument(blocksize, f"to_sparse_{kind.lower()}"))
        if asked != list(self._blocksize()):
            op = f"to_sparse_{kind.lower()}" if kind == self._fg_kind else f"sparse_compressed_to_sparse_{kind.lower()}"
            raise RuntimeError(f"{op}: conversion from {self._fg_layout_name} to Sparse{kind.capitalize()} with "
                               f"blocksize changed from {list(self._blocksize())} to {asked} is not supported")
        return self if kind == self._fg_kind else recompressed(self, kind)

    def to_sparse_bsr(self, blocksize: Any, dense_dim: int | None = None) -> Any:
        return self._reblocked("BSR", blocksize)

    def to_sparse_bsc(self, blocksize: Any, dense_dim: int | None = None) -> Any:
        return self._reblocked("BSC", blocksize)

    def mul(self, other: Any) -> Any:
        if isinstance(other, Tensor) and other.dim() != 0:
            raise RuntimeError(f"empty_sparse_compressed expected sparse compressed (non-block) tensor layout but got "
                               f"{self._fg_layout_name}")
        return derived(self, named(self._fg_values * other, "MulBackward0"))

    __mul__ = __rmul__ = mul

    def add(self, other: Any, *, alpha: Any = 1) -> Any:
        if type(other) is Tensor:
            return self.to_dense().add(other, alpha=alpha)
        if type(other) is type(self) and self._fg_size == other._fg_size and self._blocksize() == other._blocksize() \
                and self._fg_crow.tolist() == other._fg_crow.tolist() and self._fg_col.tolist() == other._fg_col.tolist():
            return derived(self, named(self._fg_values + other._fg_values * alpha, "AddBackward0"))
        if type(other) is type(self):  # other stored blocks: the sum's nonzero blocks
            kind = self._fg_kind.lower()
            return getattr(self.to_dense().add(other.to_dense(), alpha=alpha), f"to_sparse_{kind}")(self._blocksize())
        from ._sparse_csr import unsupported

        raise unsupported("add.Tensor")

    __add__ = add

    def __radd__(self, other: Any) -> Any:
        return radd_dense(self, other)

    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        return full_sum(self, dim, dtype)


class SparseBscTensor(SparseBsrTensor):
    """A tensor stored as compressed columns of blocks (PyTorch's `torch.sparse_bsc`
    layout).

    Made by `ferrograd.sparse_bsc_tensor`, `Tensor.to_sparse_bsc(blocksize)` or
    `to_sparse(layout=ferrograd.sparse_bsc, blocksize=...)`.
    """

    layout = property(lambda self: sparse_bsc, doc="`ferrograd.sparse_bsc`.")
    _fg_layout_name = "SparseBsc"
    _fg_kind = "BSC"
    _fg_index_names = ("ccol_indices", "row_indices")

    ccol_indices = SparseCscTensor.ccol_indices
    row_indices = SparseCscTensor.row_indices
    crow_indices = _layout_refusal("crow_indices", "sparse row compressed tensor layout")
    col_indices = _layout_refusal("col_indices", "sparse row compressed tensor layout")

    def _coordinates(self) -> tuple[np.ndarray, ...]:
        """Per stored block (batch-major, then block-column-major): batch indices, block
        row, block column."""
        *batch, columns, rows = SparseCsrTensor._coordinates(self)
        return (*batch, rows, columns)


for _cls in (SparseBsrTensor, SparseBscTensor):
    _cls.__module__ = "ferrograd"
    _OWN_NAMES[_cls] = frozenset(name for klass in _cls.__mro__[:_cls.__mro__.index(SparseCsrTensor)]
                                 for name in vars(klass))
_KINDS.update({"BSR": SparseBsrTensor, "BSC": SparseBscTensor})


def _blocksize_argument(blocksize: Any, op: str) -> tuple[int, int]:
    if blocksize is None:
        raise RuntimeError(f"{op}: blocksize argument is required")
    if isinstance(blocksize, Tensor) and blocksize.numel() == 1:  # PyTorch's int[2] parser takes one
        blocksize = int(blocksize.item())
    if isinstance(blocksize, int):
        return (blocksize, blocksize)
    blocksize = tuple(int(b) for b in blocksize)
    if len(blocksize) != 2:
        raise RuntimeError(f"dense_to_sparse_{op[-3:]}: blocksize needs to be a tuple of size 2, but got "
                           f"{len(blocksize)}")
    return blocksize


def dense_to_blocked(x: Tensor, blocksize: Any, dense_dim: int | None, kind: str) -> SparseBsrTensor:
    """`x.to_sparse_bsr(blocksize)` (or BSC): the blocks of each matrix over the two dims
    before the last `dense_dim` with a nonzero element, leading dims as batch dims; the
    gradient flows back to `x`."""
    from ._sparse_csr_create import dense_to_csr

    op = f"dense_to_sparse_{kind.lower()}"
    bh, bw = _blocksize_argument(blocksize, op)
    if x.dim() < 2:
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got -2)")
    dd = dense_dim or 0
    n = x.dim()
    for d in (-2 - dd, -1 - dd):  # PyTorch reads the sizes of the block dims first
        if not -n <= d < n:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    if not 0 <= dd <= x.dim() - 2:
        raise RuntimeError(f"{op}: dense_dim argument must be in [0,{x.dim() - 2}] range, but {dd} is given")
    nb = x.dim() - 2 - dd
    shape = tuple(x.shape)
    nrows, ncols = shape[nb], shape[nb + 1]
    if nrows % bh or ncols % bw:
        raise RuntimeError(f"{op}: tensor sparse size ({nrows},{ncols}) must be divisible by given blocksize "
                           f"({bh},{bw})")
    grid = x.reshape((*shape[:nb], nrows // bh, bh, ncols // bw, bw, *shape[nb + 2:]))
    order = (*range(nb), nb, nb + 2, nb + 1, nb + 3, *range(nb + 4, grid.dim()))
    blocks = grid.permute(order)  # *batch x block rows x block columns x bh x bw x *dense
    if kind == "BSC":
        blocks = blocks.transpose(nb, nb + 1)
    warn_beta_once(kind)  # before the CSR form made on the way
    compressed = dense_to_csr(blocks, dd + 2, op=op, layout=kind.lower())
    out = make(compressed._fg_crow, compressed._fg_col, named(compressed._fg_values, f"ToSparse{kind.capitalize()}Backward0"),
               shape, _KINDS[kind])
    if x.requires_grad and not nb and not dd:
        out._fg_dense_origin = x
    return out
