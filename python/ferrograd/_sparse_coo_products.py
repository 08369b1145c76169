"""Matrix products with a sparse COO matrix on the left: sparse @ dense (a dense result,
differentiable in the values and the dense matrix), sparse @ vector, sparse @ sparse (a
coalesced sparse result), and dense @ sparse through the transposes."""

from __future__ import annotations

import numpy as np

from . import _core
from ._core import Tensor
from ._dtype_names import scalar_name
from ._sparse_coo import SparseCooTensor, coalesced, long_tensor, node, with_node, zeros


@node("SparseSparseMatmulBackward0")
def _sparse_sparse_mm(self: SparseCooTensor, other: SparseCooTensor) -> SparseCooTensor:
    """The product of two sparse matrices, coalesced: each stored (i, k) of `self` meets
    each stored (k, j) of `other`, and the products add at (i, j)."""
    for name, m in (("mat1", self), ("mat2", other)):
        if m.sparse_dim() != 2 or m.dense_dim() != 0:
            raise RuntimeError(f"Expected {name}_.dim() == 2 to be true, but got false.  (Could this error message "
                               "be improved?  If so, please report an enhancement request to PyTorch.)")
    (n, k), (k2, m) = self._fg_size, other._fg_size
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")
    if self.dtype != other.dtype:
        raise RuntimeError(f"mat1 dtype {scalar_name(self.dtype)} does not match mat2 dtype "
                           f"{scalar_name(other.dtype)}")
    a, b = self._fg_indices.numpy(), other._fg_indices.numpy()
    by_row: dict[int, list[int]] = {}
    for q, row in enumerate(b[0].tolist()):
        by_row.setdefault(row, []).append(q)
    pairs = [(p, q) for p, col in enumerate(a[1].tolist()) for q in by_row.get(col, ())]
    pa, pb = long_tensor([p for p, _ in pairs]), long_tensor([q for _, q in pairs])
    coords = np.stack([a[0][pa.numpy()], b[1][pb.numpy()]]) if pairs else np.zeros((2, 0), dtype=np.int64)
    products = self._fg_values.index_select(0, pa) * other._fg_values.index_select(0, pb)
    return coalesced(long_tensor(coords), products, (n, m))


def _check_mm(self: SparseCooTensor, dense) -> None:
    if not isinstance(dense, Tensor):
        raise TypeError(f"mm(): argument 'mat2' (position 1) must be Tensor, not {type(dense).__name__}")
    if self.sparse_dim() != 2 or self.dense_dim() != 0:
        raise RuntimeError(f"addmm: matrices expected, got {self.sparse_dim()}D tensor")
    if dense.dim() == 1:
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    if dense.dim() != 2:
        raise RuntimeError(f"addmm: matrices expected, got {dense.dim()}D tensor")
    if dense.shape[0] != self._fg_size[1]:
        raise RuntimeError(f"addmm: Argument #3 (dense): Expected dim 0 size {self._fg_size[1]}, got {dense.shape[0]}")
    if dense.dtype != self.dtype:
        raise RuntimeError(f"expected scalar type {scalar_name(self.dtype)} but found {scalar_name(dense.dtype)}")


def _rows_times(self: SparseCooTensor, dense: Tensor) -> Tensor:
    """sum over k of self[i, k] * dense[k, ...]: each stored value scales its row of
    `dense`, and the products add into the result's row i."""
    rows, cols = self._fg_indices.unbind(0)
    picked = dense.index_select(0, cols)
    scale = self._fg_values.reshape((-1,) + (1,) * (dense.dim() - 1))
    out = zeros((self._fg_size[0], *dense.shape[1:]), _core.promote_types(self.dtype, dense.dtype))
    return out.index_add(0, rows, scale * picked)


def _mm(self: SparseCooTensor, mat2) -> Tensor:
    if isinstance(mat2, SparseCooTensor):
        return _sparse_sparse_mm(self, mat2)
    _check_mm(self, mat2)
    return with_node(_rows_times(self, mat2), "MmBackward0")


def _matmul(self: SparseCooTensor, other) -> Tensor:
    if isinstance(other, Tensor) and not isinstance(other, SparseCooTensor) and other.dim() == 1 \
            and self.sparse_dim() == 2 and self.dense_dim() == 0:
        if other.shape[0] != self._fg_size[1]:
            raise RuntimeError(f"size mismatch, got input ({self._fg_size[0]}), mat ({self._fg_size[0]}x"
                               f"{self._fg_size[1]}), vec ({other.shape[0]})")
        return with_node(_rows_times(self, other), "MvBackward0")
    if isinstance(other, Tensor) and other.dim() > 2:
        raise RuntimeError("expand is unsupported for Sparse tensors")
    return _mm(self, other)


def _rmatmul(self: SparseCooTensor, other) -> Tensor:
    """`other @ self` for a dense `other`, as `(self.t() @ other.t()).t()`."""
    if not isinstance(other, Tensor):
        return NotImplemented
    if other.dim() == 1:
        return _matmul(self.t(), other)
    return _mm(self.t(), other.t()).t()


def _mv(self: SparseCooTensor, vec) -> Tensor:
    if not isinstance(vec, Tensor) or vec.dim() != 1:
        raise RuntimeError("mv: two tensor dim should be 2 and 1, but got SparseTensor Dim: "
                           f"{self.dim()}Tensor Dim: {vec.dim() if isinstance(vec, Tensor) else 0}")
    return _matmul(self, vec)


for _name, _fn in (("mm", _mm), ("matmul", _matmul), ("__matmul__", _matmul), ("__rmatmul__", _rmatmul),
                   ("mv", _mv)):
    setattr(SparseCooTensor, _name, _fn)
