"""The ops of sparse COO tensors that ferrograd has: arithmetic, products, sums,
softmax and transposes, each as PyTorch computes it on a `SparseCooTensor` (indices,
coalesced flag and errors), with its values computed by differentiable dense ops.
"""

from __future__ import annotations

import numpy as np

from . import _core
from ._core import Tensor
from ._sparse_coo import (
    SparseCooTensor,
    alias,
    coalesced,
    derived,
    long_tensor,
    make,
    unsupported,
    wrap_dim,
    zeros,
)

_NUMBER = (bool, int, float, complex)


# ---------------------------------------------------------------------- add / sub


def _merge_positions(a: np.ndarray, b: np.ndarray) -> tuple[list[int], list[int], list[int]]:
    """PyTorch's two-pointer merge of two coordinate lists (`add_out_sparse_contiguous`):
    the lesser coordinate goes first, equal ones share a slot. Returns each entry's slot
    in the result, for `a` and for `b`, and the source column of each slot."""
    a_rows, b_rows = [tuple(c) for c in a.T], [tuple(c) for c in b.T]
    pos_a, pos_b, picked = [], [], []
    i = j = 0
    while i < len(a_rows) or j < len(b_rows):
        if i >= len(a_rows):
            cmp = -1
        elif j >= len(b_rows):
            cmp = 1
        else:
            cmp = 1 if a_rows[i] < b_rows[j] else -1 if a_rows[i] > b_rows[j] else 0
        slot = len(picked)
        if cmp >= 0:
            pos_a.append(slot)
            picked.append(("a", i))
            i += 1
        if cmp <= 0:
            pos_b.append(slot)
            if cmp < 0:
                picked.append(("b", j))
            j += 1
    return pos_a, pos_b, picked


def _add_sparse(self: SparseCooTensor, other: SparseCooTensor, alpha) -> SparseCooTensor:
    if self.shape != other.shape:
        raise RuntimeError(f"add: expected sizes of 'self' and 'other' to match, but {list(self.shape)} != "
                           f"{list(other.shape)}")
    if self.sparse_dim() != other.sparse_dim():
        raise RuntimeError(f"Expected same number of sparse dimensions, got {self.sparse_dim()} and "
                           f"{other.sparse_dim()}")
    dtype = _core.promote_types(self.dtype, other.dtype)
    if other._nnz() == 0:
        return derived(self, self._fg_values.to(dtype))
    if self._nnz() == 0:
        return derived(other, other._fg_values.to(dtype) * alpha)
    a, b = self._fg_indices.numpy(), other._fg_indices.numpy()
    pos_a, pos_b, picked = _merge_positions(a, b)
    columns = np.array([a[:, k] if side == "a" else b[:, k] for side, k in picked]).T
    values = zeros((len(picked), *self._fg_values.shape[1:]), dtype)
    values = values.index_add(0, long_tensor(pos_a), self._fg_values.to(dtype))
    values = values.index_add(0, long_tensor(pos_b), other._fg_values.to(dtype), alpha=alpha)
    flag = self._fg_coalesced and other._fg_coalesced
    return make(long_tensor(columns).reshape(a.shape[0], len(picked)), values, self._fg_size, flag)


def _dense_add_refused() -> RuntimeError:
    return RuntimeError("add(sparse, dense) is not supported. Use add(dense, sparse) instead.")


def _add(self: SparseCooTensor, other, *, alpha=1) -> SparseCooTensor:
    if not isinstance(other, SparseCooTensor):
        raise _dense_add_refused()
    return _add_sparse(self, other, alpha)


def _sub(self: SparseCooTensor, other, *, alpha=1) -> SparseCooTensor:
    if not isinstance(other, SparseCooTensor):
        raise _dense_add_refused()
    return _add_sparse(self, other, -alpha)


def _dense_plus(self: SparseCooTensor, other, sign: int) -> Tensor:
    """`other + sign * self` for a dense `other`: a dense result, as PyTorch's."""
    if not isinstance(other, Tensor) or tuple(other.shape) != self._fg_size:
        shape = list(other.shape) if isinstance(other, Tensor) else []
        raise RuntimeError(f"add: expected 'self' and 'other' to have same size, but self has size {shape} while "
                           f"other has size {list(self._fg_size)} (FYI: dense-sparse addition does not currently "
                           "support broadcasting)")
    return other + self.to_dense() if sign > 0 else other - self.to_dense()


def _radd(self: SparseCooTensor, other) -> Tensor:
    if isinstance(other, _NUMBER):
        raise _dense_add_refused()
    return _dense_plus(self, other, 1)


def _rsub(self: SparseCooTensor, other) -> Tensor:
    return _dense_plus(self, other, -1)


# ---------------------------------------------------------------------- scaling


def _scalar_or_zero_dim(other) -> bool:
    return isinstance(other, _NUMBER) or (isinstance(other, Tensor) and not isinstance(other, SparseCooTensor)
                                          and other.dim() == 0)


def _mul(self: SparseCooTensor, other) -> SparseCooTensor:
    if _scalar_or_zero_dim(other):
        return derived(self, self._fg_values * other)
    if isinstance(other, Tensor) and not isinstance(other, SparseCooTensor) and tuple(other.shape) == self._fg_size:
        picked = other[tuple(self._fg_indices.unbind(0))]
        return derived(self, self._fg_values * picked)
    raise unsupported("mul.Tensor")


def _div(self: SparseCooTensor, other) -> SparseCooTensor:
    if not _scalar_or_zero_dim(other):
        raise RuntimeError("Sparse division requires a scalar or zero-dim dense tensor divisor (got shape "
                           f"{list(other.shape) if isinstance(other, Tensor) else []} for divisor)")
    return derived(self, self._fg_values / other)


def _neg(self: SparseCooTensor) -> SparseCooTensor:
    return derived(self, -self._fg_values)


# ---------------------------------------------------------------------- products


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
        raise RuntimeError(f"mat1 dtype {_scalar_name(self.dtype)} does not match mat2 dtype "
                           f"{_scalar_name(other.dtype)}")
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
        raise RuntimeError(f"expected scalar type {_scalar_name(self.dtype)} but found {_scalar_name(dense.dtype)}")


def _scalar_name(dtype) -> str:
    from ._dtype_names import scalar_name

    return scalar_name(dtype)


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
    return _rows_times(self, mat2)


def _matmul(self: SparseCooTensor, other) -> Tensor:
    if isinstance(other, Tensor) and not isinstance(other, SparseCooTensor) and other.dim() == 1 \
            and self.sparse_dim() == 2 and self.dense_dim() == 0:
        if other.shape[0] != self._fg_size[1]:
            raise RuntimeError(f"size mismatch, got input ({self._fg_size[0]}), mat ({self._fg_size[0]}x"
                               f"{self._fg_size[1]}), vec ({other.shape[0]})")
        return _rows_times(self, other)
    if isinstance(other, Tensor) and other.dim() > 2:
        raise RuntimeError("expand is unsupported for Sparse tensors")
    return _mm(self, other)


def _rmatmul(self: SparseCooTensor, other) -> Tensor:
    """`other @ self` for a dense `other`, as `(self.t() @ other.t()).t()`."""
    if not isinstance(other, Tensor):
        return NotImplemented
    if other.dim() == 1:
        return _matmul(_t(self), other)
    return _mm(_t(self), other.t()).t()


# ---------------------------------------------------------------------- sums


def _sum_dims(self: SparseCooTensor, dim) -> list[int]:
    dims = [dim] if isinstance(dim, int) else list(dim)
    wrapped = [wrap_dim(d, self.dim()) for d in dims]
    for d in wrapped:
        if wrapped.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return wrapped


def sparse_sum(input: SparseCooTensor, dim=None, dtype=None, keepdim: bool = False) -> Tensor:
    """`torch.sparse.sum`: over all elements (a dense 0-d tensor), or over `dim`: a sparse
    tensor, dense once every sparse dim is summed. `keepdim` (of `Tensor.sum`) puts each
    summed dim back with size 1, as `unsqueeze` does (a new sparse dim where it lands
    among the sparse ones)."""
    if not isinstance(input, SparseCooTensor):
        raise RuntimeError("coalesce expected sparse coordinate tensor layout but got Strided")  # noqa: TRY004 (PyTorch's type)
    values = input._fg_values if dtype is None else input._fg_values.to(dtype)
    if dim is None:
        return values.sum()
    dims = _sum_dims(input, dim)
    sparse_dim = input.sparse_dim()
    dense_axes = tuple(d - sparse_dim + 1 for d in dims if d >= sparse_dim)
    kept = [d for d in range(sparse_dim) if d not in dims]
    if not kept:
        out: Tensor = values.sum((0, *dense_axes))
    else:
        size = [n for d, n in enumerate(input._fg_size) if d not in dims]
        out = coalesced(input._fg_indices.index_select(0, long_tensor(kept)),
                        values.sum(dense_axes) if dense_axes else values, size)
    for d in sorted(dims) if keepdim else ():
        out = out.unsqueeze(d)
    return out


def _unsqueeze(self: SparseCooTensor, dim: int) -> SparseCooTensor:
    dim = wrap_dim(dim, self.dim() + 1)
    size = self._fg_size[:dim] + (1,) + self._fg_size[dim:]
    sparse_dim = self.sparse_dim()
    if dim > sparse_dim:
        return make(self._fg_indices, self._fg_values.unsqueeze(dim - sparse_dim + 1), size, self._fg_coalesced)
    indices = long_tensor(np.insert(self._fg_indices.numpy(), dim, 0, axis=0))  # a row of zeros
    return make(indices, alias(self._fg_values), size, False)


def _sum_method(self: SparseCooTensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    if dim is None and keepdim:  # PyTorch's parser: no overload takes keepdim alone
        raise TypeError("sum() received an invalid combination of arguments - got (keepdim=bool, ), but expected "
                        "one of:")
    return sparse_sum(self, dim, dtype, keepdim)


def _unbind(self: SparseCooTensor, dim: int = 0) -> tuple:
    dim = wrap_dim(dim, self.dim())
    return tuple(self.select(dim, k) for k in range(self._fg_size[dim]))


def _new_zeros(self: SparseCooTensor, *size, dtype=None, device=None, requires_grad: bool = False,
               layout=None, pin_memory: bool = False) -> SparseCooTensor:
    """An all-zero sparse tensor (no entries) with every dim sparse, as PyTorch's."""
    shape = tuple(int(n) for n in (size[0] if len(size) == 1 and isinstance(size[0], (tuple, list)) else size))
    values = zeros((0,), self.dtype if dtype is None else dtype).requires_grad_(requires_grad)
    return make(long_tensor(np.zeros((len(shape), 0))), values, shape, True)


def sparse_softmax(input: SparseCooTensor, dim: int, dtype=None) -> SparseCooTensor:
    """`torch.sparse.softmax`: softmax over the stored values that share every other
    coordinate (unstored entries count as -inf, i.e. are left out)."""
    if not isinstance(input, SparseCooTensor):
        raise unsupported("_sparse_softmax")
    if dtype is not None:
        input = input.to(dtype)
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise NotImplementedError(f"\"softmax\" not implemented for '{_scalar_name(input.dtype)}'")
    dim = wrap_dim(dim, input.dim())
    src = input.coalesce()
    values, sparse_dim = src._fg_values, src.sparse_dim()
    if dim >= sparse_dim:
        return derived(src, values.softmax(dim - sparse_dim + 1), is_coalesced=True)
    if src._nnz() == 0:
        return src
    others = np.delete(src._fg_indices.numpy(), dim, axis=0).T
    _, group = np.unique(others, axis=0, return_inverse=True)
    group = group.reshape(-1)
    groups = int(group.max()) + 1
    detached = values.detach().numpy()
    peak = np.full((groups, *detached.shape[1:]), -np.inf, dtype=detached.dtype)
    np.maximum.at(peak, group, detached)
    from ._creation import tensor

    group_t = long_tensor(group)
    shifted = (values - tensor(peak).index_select(0, group_t)).exp()
    total = zeros((groups, *values.shape[1:]), values.dtype).index_add(0, group_t, shifted)
    return derived(src, shifted / total.index_select(0, group_t), is_coalesced=True)


# ---------------------------------------------------------------------- transposes


def _transpose(self: SparseCooTensor, dim0: int, dim1: int) -> SparseCooTensor:
    dim0, dim1 = wrap_dim(dim0, self.dim()), wrap_dim(dim1, self.dim())
    sparse_dim = self.sparse_dim()
    if dim0 < sparse_dim and dim1 < sparse_dim:
        order = list(range(sparse_dim))
        order[dim0], order[dim1] = dim1, dim0
        size = list(self._fg_size)
        size[dim0], size[dim1] = size[dim1], size[dim0]
        return make(self._fg_indices.index_select(0, long_tensor(order)), alias(self._fg_values), size,
                    self._fg_coalesced and dim0 == dim1)
    if dim0 >= sparse_dim and dim1 >= sparse_dim:
        size = list(self._fg_size)
        size[dim0], size[dim1] = size[dim1], size[dim0]
        values = self._fg_values.transpose(dim0 - sparse_dim + 1, dim1 - sparse_dim + 1)
        return make(self._fg_indices, values, size, self._fg_coalesced)
    raise RuntimeError(f"sparse transpose: transposed dimensions must be sparse Got sparse_dim: {sparse_dim}, "
                       f"d0: {dim0}, d1: {dim1}")


def _t(self: SparseCooTensor) -> SparseCooTensor:
    if self.sparse_dim() > 2 or self.dense_dim() != 0:
        raise RuntimeError(f"t() expects a tensor with <= 2 sparse and 0 dense dimensions, but got "
                           f"{self.sparse_dim()} sparse and {self.dense_dim()} dense dimensions")
    return _transpose(self, 0, 1) if self.dim() == 2 else _transpose(self, 0, 0)


def _refused_property(op: str) -> property:
    def get(self):
        raise unsupported(op)

    return property(get)


_METHODS = {
    "add": _add, "__add__": _add, "sub": _sub, "__sub__": _sub, "__radd__": _radd, "__rsub__": _rsub,
    "mul": _mul, "__mul__": _mul, "__rmul__": _mul, "div": _div, "__truediv__": _div,
    "neg": _neg, "__neg__": _neg, "mm": _mm, "matmul": _matmul, "__matmul__": _matmul, "__rmatmul__": _rmatmul,
    "sum": _sum_method, "transpose": _transpose, "t": _t, "unbind": _unbind, "new_zeros": _new_zeros,
    "unsqueeze": _unsqueeze,
    "__iter__": lambda self: iter(_unbind(self, 0)),
}
for _name, _fn in _METHODS.items():
    setattr(SparseCooTensor, _name, _fn)
SparseCooTensor.T = property(_t, doc="The transpose of a sparse matrix.")  # type: ignore[assignment]
SparseCooTensor.mT = SparseCooTensor.T  # type: ignore[assignment]
for _name, _op in (("H", "adjoint"), ("mH", "adjoint"), ("real", "view_as_real"), ("imag", "imag"),
                   ("_base", "_base")):
    setattr(SparseCooTensor, _name, _refused_property(_op))
SparseCooTensor._shape_tuple = property(lambda self: self._fg_size)  # type: ignore[assignment]


def _nbytes(self: SparseCooTensor) -> int:
    raise RuntimeError("nbytes is not defined for sparse tensors.  If you want the size of the constituent "
                       "tensors, add the nbytes of the indices and values.  If you want the size of the  "
                       "equivalent dense tensor, multiply numel() by element_size()")


SparseCooTensor.nbytes = property(_nbytes)  # type: ignore[assignment]
