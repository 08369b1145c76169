"""Ops of sparse CSR tensors: products with a dense matrix or vector (a dense result,
differentiable in the CSR values and the dense operand) and `addmm`; `mul` by a number or
a dense tensor (a CSR result on the same indices) or by another CSR matrix; `add` of two
CSR matrices; the full `sum`; `select` and integer indexing."""

from __future__ import annotations

from numbers import Number
from typing import Any

from . import _core
from ._core import Tensor
from ._dtype_names import scalar_name
from ._sparse_coo import long_tensor, named, zeros


def _is_csr(x: Any) -> bool:
    return isinstance(x, Tensor) and type(x) is not Tensor and getattr(type(x), "_fg_compressed", False)


def _rows_times(self, dense: Tensor) -> Tensor:
    """sum over k of self[i, k] * dense[k, ...]: each stored value scales its column's
    row of `dense`, and the products add into the result's row i. Where PyTorch's
    gradient of self is dense (a leaf, a tensor converted from a dense one), the product
    of self's dense form, which carries it."""
    if self._fg_kind == "BSC":
        raise RuntimeError("addmm: computation on CPU is not implemented for Strided + SparseBsc @ Strided")
    carrier = self._dense_operand()
    if carrier is None and self._fg_kind == "BSR":
        carrier = self.to_dense()
    if carrier is not None:
        return carrier.mm(dense) if dense.dim() == 2 else carrier.mv(dense)
    rows, cols = (long_tensor(c) for c in self._coordinates())
    scale = self._fg_values.reshape((-1,) + (1,) * (dense.dim() - 1))
    out = zeros((self._fg_size[0], *dense.shape[1:]), _core.promote_types(self.dtype, dense.dtype))
    return out.index_add(0, rows, scale * dense.index_select(0, cols))


def _check_matrix(self) -> None:
    """Products take a plain matrix: no batch or dense dims."""
    if self._batch_dim() or self.dense_dim():
        from ._sparse_csr import unsupported

        raise unsupported("addmm")


def _check_mm(self, dense: Any) -> None:
    if not isinstance(dense, Tensor):
        raise TypeError(f"mm(): argument 'mat2' (position 1) must be Tensor, not {type(dense).__name__}")
    _check_matrix(self)
    if dense.dim() == 1:
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    if dense.dim() != 2:
        raise RuntimeError(f"addmm: matrices expected, got {dense.dim()}D tensor")
    if dense.dtype != self.dtype:
        raise RuntimeError(f"expected scalar type {scalar_name(self.dtype)} but found {scalar_name(dense.dtype)}")
    (n, k), (k2, m) = self._fg_size, dense.shape
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")


def _sparse_product(self, other: Any) -> Any:
    """The product of two compressed matrices: CSR (PyTorch's), through the dense forms."""
    from ._sparse_csr import unsupported

    if self.dim() != 2 or other.dim() != 2 or self._fg_kind in ("BSR", "BSC") or other._fg_kind in ("BSR", "BSC"):
        raise unsupported("addmm")
    if self._fg_size[1] != other._fg_size[0]:
        n, k = self._fg_size
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {other._fg_size[0]}x"
                           f"{other._fg_size[1]})")
    return self.to_dense().mm(other.to_dense()).to_sparse_csr()


def _mm(self, mat2: Any) -> Tensor:
    if _is_csr(mat2):
        return _sparse_product(self, mat2)
    _check_mm(self, mat2)
    return named(_rows_times(self, mat2), "MmBackward0")


def _matmul(self, other: Any) -> Tensor:
    if isinstance(other, Tensor) and not _is_csr(other) and other.dim() == 1:
        _check_matrix(self)
        if other.dtype != self.dtype:
            raise RuntimeError(f"expected scalar type {scalar_name(self.dtype)} but found "
                               f"{scalar_name(other.dtype)}")
        if other.shape[0] != self._fg_size[1]:
            raise RuntimeError(f"size mismatch, got input ({self._fg_size[0]}), mat ({self._fg_size[0]}x"
                               f"{self._fg_size[1]}), vec ({other.shape[0]})")
        return named(_rows_times(self, other), "MvBackward0")
    if _is_csr(other):
        return _sparse_product(self, other)
    if isinstance(other, Tensor) and other.dim() > 2:
        raise RuntimeError("expand is unsupported for SparseCsr tensors")
    return _mm(self, other)


def _rmatmul(self, other: Any) -> Any:
    """`dense @ self`, as `(self^T @ dense^T)^T` computed from the dense form's product."""
    if not isinstance(other, Tensor):
        return NotImplemented
    return other.mm(self)


def addmm(input: Tensor, mat1: Any, mat2: Tensor, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """`beta * input + alpha * (mat1 @ mat2)` for a CSR `mat1` and dense `mat2`."""
    _check_mm(mat1, mat2)
    product = _rows_times(mat1, mat2)
    scaled = product if alpha == 1 else product * alpha
    out = scaled if beta == 0 else (input if beta == 1 else input * beta) + scaled
    return named(out, "AddmmBackward0")


def _mul(self, other: Any) -> Any:
    """`self * other` for a number, a 0-d tensor or a dense tensor of self's size: a CSR
    tensor on self's indices."""
    from ._sparse_csr import derived, unsupported

    if isinstance(other, Tensor) and other.dim() != 0:
        if self._batch_dim() or self.dense_dim():  # PyTorch multiplies through COO, 2-D only
            raise RuntimeError("coo_to_sparse_csr: conversion from Sparse to SparseCsr for input tensors with "
                               "sparse_dim()!=2 is not supported")
        if _is_csr(other):
            from ._sparse_csr_create import coo_to_csr

            product = coo_to_csr(self.to_sparse() * other.to_sparse())
            return derived(product, named(product._fg_values, "MulBackward0"))
        if type(other) is not Tensor:
            raise unsupported("mul.Tensor")
        if tuple(other.shape) != self._fg_size:
            raise RuntimeError(f"sparse_mask(): operands have incompatible sizes; self has size {list(other.shape)} "
                               f"but mask has size {list(self._fg_size)}")
        # a dense factor counts at the stored elements only (PyTorch masks it by self)
        picked = other[tuple(long_tensor(c) for c in self._coordinates())]
        return derived(self, named(self._fg_values * picked, "MulBackward0"))
    if not isinstance(other, (Number, Tensor)):
        return NotImplemented
    return derived(self, named(self._fg_values * other, "MulBackward0"))


def _add(self, other: Any, *, alpha: Any = 1) -> Any:
    """`self + alpha * other` for another CSR matrix: the union of the stored elements
    (through COO, as PyTorch adds CSR tensors), values of shared ones added."""
    from ._sparse_csr import unsupported
    from ._sparse_csr_create import coo_to_csr

    if type(other) is Tensor:  # a dense sum (PyTorch's)
        return self.to_dense().add(other, alpha=alpha)
    if not _is_csr(other) or self._batch_dim() or self.dense_dim():
        raise unsupported("add.Tensor")
    if self.shape != other.shape:
        raise RuntimeError(f"ferrograd.add: Expected input tensors to have the same shape, but got tensor `self` "
                           f"with shape {list(self.shape)} and tensor `other` with shape {list(other.shape)}")
    total = coo_to_csr(self.to_sparse().add(other.to_sparse(), alpha=alpha))
    return _with_node(total, "AddBackward0")


def _radd(self, other: Any) -> Any:
    """`other + self` for a dense `other`: dense, as PyTorch's."""
    from ._sparse_csr import unsupported

    if type(other) is Tensor:
        return other.add(self.to_dense())
    raise unsupported("radd")


def _with_node(t: Any, name: str) -> Any:
    from ._sparse_csr import derived

    return derived(t, named(t._fg_values, name))


def _sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """The sum of all the elements (zeros add nothing): of the stored values."""
    from ._sparse_csr import unsupported

    if dim is not None:
        if not keepdim:
            raise RuntimeError("reduction operations on CSR tensors with keepdim=False is unsupported")
        raise unsupported("sum.dim_IntList")
    carrier = self._dense_operand()  # PyTorch's gradient of a sum is dense
    values = self._fg_values if carrier is None else carrier
    values = values if dtype is None else values.to(dtype)
    return named(values.sum(), "SumBackward0")


def _mul_(self, other: Any) -> Any:
    from ._sparse_csr import unsupported

    if isinstance(other, Tensor) and other.dim() != 0:
        raise unsupported("mul_.Tensor")
    self._fg_values.mul_(other)
    return self


def install() -> None:
    from ._sparse_csr import SparseCsrTensor

    for name, fn in (("mm", _mm), ("matmul", _matmul), ("__matmul__", _matmul), ("__rmatmul__", _rmatmul),
                     ("mv", _matmul), ("mul", _mul), ("__mul__", _mul), ("__rmul__", _mul),
                     ("mul_", _mul_), ("__imul__", _mul_), ("add", _add), ("__add__", _add), ("__radd__", _radd),
                     ("sum", _sum),
                     ("select", _select), ("__getitem__", _getitem)):
        setattr(SparseCsrTensor, name, fn)


def _select(self, dim: int, index: int) -> Any:
    """A slice at `index` of `dim`: of a batch dim, the CSR matrix there; of a matrix
    dim, a 1-D sparse COO tensor (PyTorch's), through the COO form."""
    from ._sparse_common import wrap_dim
    from ._sparse_csr import derived, make

    dim = wrap_dim(dim, self.dim())
    if not -self._fg_size[dim] <= index < self._fg_size[dim]:
        raise IndexError(f"index {index} is out of bounds for dimension {dim} with size {self._fg_size[dim]}")
    if dim < self._batch_dim():
        part = make(self._fg_crow.select(dim, index), self._fg_col.select(dim, index),
                    self._fg_values.select(dim, index), self._fg_size[:dim] + self._fg_size[dim + 1:], type(self))
        return derived(part, named(part._fg_values, "SelectBackward0"))
    from ._sparse_coo import with_node

    return with_node(self.to_sparse().select(dim, index), "SelectBackward0")


def _getitem(self, key: Any) -> Any:
    """Integer indexes (and full slices `:` before them): `select` per integer; one
    element is a dense 0-d tensor, as PyTorch's."""
    from ._sparse_csr import unsupported

    keys = key if isinstance(key, tuple) else (key,)
    if not all(isinstance(k, int) and not isinstance(k, bool) or k == slice(None) for k in keys):
        if any(isinstance(k, slice) for k in keys):
            raise RuntimeError(f"Sparse {self._fg_kind} tensors do not have strides")
        raise unsupported("index.Tensor")
    if len(keys) == self.dim() and all(isinstance(k, int) for k in keys):
        return named(self.to_dense()[keys], "SelectBackward0")
    out, dim = self, 0
    for k in keys:
        if isinstance(k, int):
            out = out.select(dim, k)
        else:
            dim += 1
    return out
