"""`ferrograd.sparse`: PyTorch's `torch.sparse` functions for sparse COO tensors."""

from __future__ import annotations

from .._core import Tensor
from .._sparse_coo_ops import sparse_softmax, sparse_sum

__all__ = ["mm", "softmax", "sum"]


def sum(input: Tensor, dim=None, dtype=None) -> Tensor:
    """The sum of a sparse tensor: over all elements (a dense 0-d tensor) or over `dim`
    (a sparse tensor, or a dense one once every sparse dim is summed).

    Args:
        input: a sparse COO tensor.
        dim: a dim or tuple of dims; None sums everything.
        dtype: the dtype to cast the values to before summing.
    """
    return sparse_sum(input, dim, dtype)


def mm(mat1: Tensor, mat2: Tensor, reduce: str | None = None) -> Tensor:
    """The matrix product of a sparse COO matrix and a dense matrix (or of two dense
    matrices); the gradient reaches both the sparse values and the dense matrix.

    Args:
        mat1: a 2-D sparse COO tensor (or a dense matrix).
        mat2: a dense matrix.
        reduce: PyTorch's CSR-only reduction ("sum", "mean", "amax", "amin"); not supported.
    """
    if reduce is not None:
        raise NotImplementedError("ferrograd.sparse.mm: reduce= needs a sparse CSR input, which ferrograd lacks")
    return mat1.mm(mat2)


def softmax(input: Tensor, dim: int, dtype=None) -> Tensor:
    """Softmax over the stored values of a sparse COO tensor that share every other
    coordinate (entries not stored count as minus infinity).

    Args:
        input: a sparse COO tensor of floating dtype.
        dim: the dim to normalize along.
        dtype: the dtype to cast the values to first.
    """
    return sparse_softmax(input, dim, dtype)


