"""Sparse CSC tensors (PyTorch's `torch.sparse_csc` layout), and what moves a compressed
tensor between the CSR and CSC layouts: conversions and transposes.

A CSC tensor is a `SparseCsrTensor` whose compressed indices run over the columns: the
class keeps the compressed indices (`ccol_indices`, `*batch x (ncols + 1)`) in `_fg_crow`
and the plain ones (`row_indices`, `*batch x nnz`) in `_fg_col`, so every CSR method that
reads a tensor through `_coordinates` (to_dense, products, select, ...) serves both.
Transposing the two sparse dims of either layout keeps the indices and values and flips
the layout, as PyTorch does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import Tensor
from ._memory_format import sparse_csc
from ._sparse_common import wrap_dim
from ._sparse_coo import long_tensor, named
from ._sparse_csr import (
    _OWN_NAMES,
    SparseCsrTensor,
    _layout_refusal,
    derived,
    make,
    unsupported,
    warn_beta_once,
)

__all__ = ["SparseCscTensor"]



def radd_dense(s: SparseCsrTensor, other: Any) -> Any:
    """`dense + s` for the compressed layouts other than CSR: dense, as PyTorch's."""
    if type(other) is Tensor:
        return other.add(s.to_dense())
    raise unsupported("radd")


def full_sum(s: SparseCsrTensor, dim: Any, dtype: Any) -> Tensor:
    """`s.sum()` for the compressed layouts other than CSR, which PyTorch sums only whole."""
    if dim is not None:
        raise RuntimeError("Currently the only compressed sparse format supported for sum.dim_IntList is CSR, "
                           f"but got layout {s._fg_layout_name}")
    return SparseCsrTensor.sum(s, dtype=dtype)

class SparseCscTensor(SparseCsrTensor):
    """A tensor stored as compressed columns (PyTorch's `torch.sparse_csc` layout).

    Made by `ferrograd.sparse_csc_tensor`, `Tensor.to_sparse_csc()`,
    `to_sparse(layout=ferrograd.sparse_csc)` or the transpose of a CSR matrix.
    """

    is_sparse_csr = property(lambda self: False, doc="False: a CSC tensor is not a CSR one.")
    layout = property(lambda self: sparse_csc, doc="`ferrograd.sparse_csc`.")
    _fg_layout_name = "SparseCsc"
    _fg_kind = "CSC"
    _fg_index_names = ("ccol_indices", "row_indices")

    def ccol_indices(self) -> Tensor:
        return self._fg_crow

    def row_indices(self) -> Tensor:
        return self._fg_col

    crow_indices = _layout_refusal("crow_indices", "sparse row compressed tensor layout")
    col_indices = _layout_refusal("col_indices", "sparse row compressed tensor layout")
    indices = _layout_refusal("indices")
    coalesce = _layout_refusal("coalesce")
    is_coalesced = _layout_refusal("is_coalesced")

    def _coordinates(self) -> tuple[np.ndarray, ...]:
        """Per stored element (batch-major, then column-major): batch indices, row, column."""
        *batch, columns, rows = super()._coordinates()
        return (*batch, rows, columns)

    def mul(self, other: Any) -> Any:
        if isinstance(other, Tensor) and other.dim() != 0:  # PyTorch multiplies tensors through CSR results
            raise RuntimeError("Expected result Tensor to be of format CSR")
        return derived(self, named(self._fg_values * other, "MulBackward0"))

    __mul__ = __rmul__ = mul

    def add(self, other: Any, *, alpha: Any = 1) -> Any:
        from ._sparse_csr_create import coo_to_csr

        if isinstance(other, Tensor) and type(other) is Tensor:
            return self.to_dense().add(other, alpha=alpha)
        if isinstance(other, SparseCscTensor) and not (self._batch_dim() or self.dense_dim()):
            if self.shape != other.shape:
                raise RuntimeError(f"ferrograd.add: Expected input tensors to have the same shape, but got tensor "
                                   f"`self` with shape {list(self.shape)} and tensor `other` with shape "
                                   f"{list(other.shape)}")
            total = recompressed(coo_to_csr(self.to_sparse().add(other.to_sparse(), alpha=alpha)), "CSC")
            return derived(total, named(total._fg_values, "AddBackward0"))
        if isinstance(other, SparseCsrTensor):
            raise RuntimeError("crow_indices expected sparse row compressed tensor layout but got SparseCsc")  # noqa: TRY004
        raise unsupported("add.Tensor")

    __add__ = add

    def __radd__(self, other: Any) -> Any:
        return radd_dense(self, other)

    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        return full_sum(self, dim, dtype)


SparseCscTensor.__module__ = "ferrograd"
_OWN_NAMES[SparseCscTensor] = frozenset(vars(SparseCscTensor))

_KINDS = {"CSR": SparseCsrTensor, "CSC": SparseCscTensor}


def _compressed(index: np.ndarray, n: int) -> np.ndarray:
    """The compressed indices of sorted indices into `n` rows (or columns): where each
    one's entries start, then nnz."""
    return np.concatenate([[0], np.cumsum(np.bincount(index, minlength=n))]).astype(np.int64)


def recompressed(s: SparseCsrTensor, kind: str) -> SparseCsrTensor:
    """`s` (CSR or CSC, any batch and dense dims) in the other layout `kind`: the entries
    sorted by the new compressed index, then the plain one; differentiable in the values."""
    *batch, rows, cols = s._coordinates()
    nbatch, nnz = s._batch_dim(), s._nnz()
    nrows, ncols = s._grid()
    flat_batch = np.ravel_multi_index(batch, s._fg_size[:nbatch]) if nbatch else np.zeros(len(rows), np.int64)
    major, minor, n = (rows, cols, nrows) if kind in ("CSR", "BSR") else (cols, rows, ncols)
    order = np.lexsort((minor, major, flat_batch))
    nb = int(np.prod(s._fg_size[:nbatch], dtype=np.int64))
    major, minor = major[order].reshape(nb, nnz), minor[order].reshape(nb, nnz)
    compressed = np.stack([_compressed(m, n) for m in major]) if nb else np.zeros((0, n + 1), np.int64)
    values = s._fg_values
    flat = values.reshape((-1, *values.shape[nbatch + 1:]))
    moved = flat.index_select(0, long_tensor(order)).reshape(tuple(values.shape))
    batch_shape = tuple(s._fg_size[:nbatch])
    out = make(long_tensor(compressed.reshape(*batch_shape, n + 1)), long_tensor(minor.reshape(*batch_shape, nnz)),
               named(moved, f"ToSparse{kind.capitalize()}Backward0"), s._fg_size, _KINDS[kind])
    out._fg_dense_from = (s, lambda dense: dense)
    return out


def transposed(s: SparseCsrTensor, dim0: int, dim1: int, node: str) -> Any:
    """`s.transpose(dim0, dim1)`: of the two sparse dims, the same indices and values in
    the other layout (CSR <-> CSC); of two batch dims, those dims of every part. PyTorch
    transposes no hybrid tensor (one with dense dims)."""
    ndim, nbatch, dense_dim = s.dim(), s._batch_dim(), s.dense_dim()
    dim0, dim1 = wrap_dim(dim0, ndim), wrap_dim(dim1, ndim)
    if dim0 == dim1:
        return s

    def kind(d: int) -> str:
        return "Batch" if d < nbatch else "Sparse" if d < nbatch + 2 else "Dense"

    if dense_dim:
        raise RuntimeError("transpose(): hybrid sparse compressed tensors with dense dimensions are not supported")
    if kind(dim0) != kind(dim1):
        raise RuntimeError(f"transpose(): can only transpose dimensions of the same type (Batch, Sparse, Dense), got "
                           f"{dim0}({kind(dim0)}) and {dim1}({kind(dim1)})")
    size = list(s._fg_size)
    size[dim0], size[dim1] = size[dim1], size[dim0]
    if kind(dim0) == "Sparse":
        other = _KINDS[{"CSR": "CSC", "CSC": "CSR", "BSR": "BSC", "BSC": "BSR"}[s._fg_kind]]
        values = s._fg_values
        if s._fg_kind in ("BSR", "BSC"):  # each block transposed
            values = values.transpose(-2, -1)
        out = make(s._fg_crow, s._fg_col, named(values, node), size, other)
    else:  # two batch dims
        out = make(s._fg_crow.transpose(dim0, dim1), s._fg_col.transpose(dim0, dim1),
                   named(s._fg_values.transpose(dim0, dim1), node), size, type(s))
    out._fg_dense_from = (s, lambda dense: dense.transpose(dim0, dim1))
    return out


def dense_to_csc(x: Tensor, dense_dim: int | None = None, *, op: str = "dense_to_sparse_csc") -> SparseCscTensor:
    """`x.to_sparse_csc(dense_dim)`: the CSR form of `x` with its two sparse dims swapped,
    read as CSC (the same indices and values); differentiable in `x`."""
    from ._sparse_csr_create import dense_to_csr

    if x.dim() < 2:
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    dd = dense_dim or 0
    if not 0 <= dd <= x.dim() - 2:
        raise RuntimeError(f"{op}: dense_dim argument must be in [0,{x.dim() - 2}] range, but {dd} is given")
    nbatch = x.dim() - 2 - dd
    warn_beta_once("CSC")  # before the CSR form made on the way
    swapped = dense_to_csr(x.transpose(nbatch, nbatch + 1), dense_dim, op=op, layout="csc")
    out = make(swapped._fg_crow, swapped._fg_col, named(swapped._fg_values, "ToSparseCscBackward0"), x.shape,
               SparseCscTensor)
    if x.requires_grad and not nbatch and not dd:
        out._fg_dense_origin = x
    return out
