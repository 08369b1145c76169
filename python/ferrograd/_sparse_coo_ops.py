"""The ops of sparse COO tensors that ferrograd has: arithmetic, products, sums,
softmax and transposes, each as PyTorch computes it on a `SparseCooTensor` (indices,
coalesced flag and errors), with its values computed by differentiable dense ops.
"""

from __future__ import annotations

import numpy as np

from . import _core
from ._core import Tensor
from ._dtype_names import scalar_name
from ._shape import cat
from ._sparse_common import wrap_dim
from ._sparse_coo import (
    SparseCooTensor,
    coalesced,
    derived,
    long_tensor,
    make,
    named,
    node,
    unsupported,
    with_node,
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


@node("AddBackward0")
def _add(self: SparseCooTensor, other, *, alpha=1) -> SparseCooTensor:
    if not isinstance(other, SparseCooTensor):
        raise _dense_add_refused()
    return _add_sparse(self, other, alpha)


@node("SubBackward0")
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


@node("MulBackward0")
def _mul_sparse(x: SparseCooTensor, y: SparseCooTensor) -> SparseCooTensor:
    """PyTorch's `sparse_binary_op_intersection` for `x * y`: each entry of the "source"
    operand meets the coalesced value of the other at its coordinate (0 where it has
    none). The other is the coalesced operand when just one is, else the one with more
    entries (x on a tie); the result has the source's entries, only the matching ones
    (and coalesced) when both inputs are coalesced."""
    if x.shape != y.shape or x.sparse_dim() != y.sparse_dim():
        raise RuntimeError("sparse_binary_op_intersection_cpu(): expects sparse inputs with equal dimensionality, "
                           "number of sparse dimensions, and shape of sparse dimensions")
    dense_shape = x._fg_values.shape[1:]
    dtype = _core.promote_types(x.dtype, y.dtype)
    if x._nnz() == 0 or y._nnz() == 0:
        return make(long_tensor(np.zeros((x.sparse_dim(), 0))), zeros((0, *dense_shape), dtype), x._fg_size, True)
    if x._fg_coalesced != y._fg_coalesced:
        probed, source = (x, y) if x._fg_coalesced else (y, x)
    else:
        probed, source = (x, y) if x._nnz() >= y._nnz() else (y, x)
    probed = probed.coalesce()
    where = {c: k for k, c in enumerate(map(tuple, probed._fg_indices.numpy().T.tolist()))}
    found = np.array([where.get(c, -1) for c in map(tuple, source._fg_indices.numpy().T.tolist())])
    both_coalesced = x._fg_coalesced and y._fg_coalesced
    keep = long_tensor(np.flatnonzero(found >= 0) if both_coalesced else np.arange(len(found)))
    padded = cat([probed._fg_values, zeros((1, *dense_shape), probed.dtype)])  # the last row: no match
    met = padded.index_select(0, long_tensor(np.where(found >= 0, found, probed._nnz()))).index_select(0, keep)
    values = source._fg_values.index_select(0, keep) * met
    return make(source._fg_indices.index_select(1, keep), values, x._fg_size, both_coalesced)


def _mul(self: SparseCooTensor, other) -> SparseCooTensor:
    if isinstance(other, SparseCooTensor):
        return _mul_sparse(self, other)
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


def _mul_(self: SparseCooTensor, other) -> SparseCooTensor:
    if not _scalar_or_zero_dim(other):
        raise unsupported("mul_.Tensor")
    self._fg_values.mul_(other)
    return self


def _div_(self: SparseCooTensor, other) -> SparseCooTensor:
    if not _scalar_or_zero_dim(other):
        raise unsupported("div_.Tensor")
    self._fg_values.div_(other)
    return self


def _zero_(self: SparseCooTensor) -> SparseCooTensor:
    """No entries left (the sparse and dense dims stay)."""
    self._fg_indices = long_tensor(np.zeros((self.sparse_dim(), 0)))
    self._fg_values = zeros((0, *self._fg_values.shape[1:]), self.dtype)
    self._fg_coalesced = True
    return self


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
        name = getattr(input, "_fg_layout_name", "Strided")
        raise RuntimeError(f"coalesce expected sparse coordinate tensor layout but got {name}")  # noqa: TRY004 (PyTorch's type)
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
    return with_node(out, "SparseSumBackward0")


def _unsqueeze(self: SparseCooTensor, dim: int) -> SparseCooTensor:
    dim = wrap_dim(dim, self.dim() + 1)
    size = self._fg_size[:dim] + (1,) + self._fg_size[dim:]
    sparse_dim = self.sparse_dim()
    if dim > sparse_dim:
        return make(self._fg_indices, self._fg_values.unsqueeze(dim - sparse_dim + 1), size, self._fg_coalesced)
    indices = long_tensor(np.insert(self._fg_indices.numpy(), dim, 0, axis=0))  # a row of zeros
    return make(indices, named(self._fg_values, "UnsqueezeBackward0"), size, False)


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


# ---------------------------------------------------------------------- transposes


def _transpose(self: SparseCooTensor, dim0: int, dim1: int) -> SparseCooTensor:
    return _swapped(self, dim0, dim1, "TransposeBackward0")


def _swapped(self: SparseCooTensor, dim0: int, dim1: int, node: str) -> SparseCooTensor:
    """`self` with `dim0` and `dim1` swapped; `node` names the gradient node."""
    dim0, dim1 = wrap_dim(dim0, self.dim()), wrap_dim(dim1, self.dim())
    sparse_dim = self.sparse_dim()
    if dim0 < sparse_dim and dim1 < sparse_dim:
        order = list(range(sparse_dim))
        order[dim0], order[dim1] = dim1, dim0
        size = list(self._fg_size)
        size[dim0], size[dim1] = size[dim1], size[dim0]
        return make(self._fg_indices.index_select(0, long_tensor(order)), named(self._fg_values, node), size,
                    self._fg_coalesced and dim0 == dim1)
    if dim0 >= sparse_dim and dim1 >= sparse_dim:
        size = list(self._fg_size)
        size[dim0], size[dim1] = size[dim1], size[dim0]
        values = self._fg_values.transpose(dim0 - sparse_dim + 1, dim1 - sparse_dim + 1)
        return make(self._fg_indices, named(values, node), size, self._fg_coalesced)
    raise RuntimeError(f"sparse transpose: transposed dimensions must be sparse Got sparse_dim: {sparse_dim}, "
                       f"d0: {dim0}, d1: {dim1}")


def _permute(self: SparseCooTensor, *dims) -> SparseCooTensor:
    """Sparse dims reordered among themselves (index rows), dense dims among themselves
    (values dims); PyTorch refuses moving a dim across the two."""
    dims = dims[0] if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
    ndim, sparse_dim = self.dim(), self.sparse_dim()
    order = [wrap_dim(d, ndim) for d in dims]
    if len(order) != ndim or sorted(order) != list(range(ndim)):
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does not match the length "
                           f"of the desired ordering of dimensions i.e. input.dim() = {ndim} is not equal to "
                           f"len(dims) = {len(order)}" if len(order) != ndim else "permute(): duplicate dims are not allowed.")
    if sorted(order[:sparse_dim]) != list(range(sparse_dim)):
        raise RuntimeError("permute(sparse_coo): transpositions between sparse and dense dimensions are not allowed."
                           "Only transpositions within sparse and dense dimensions are supported.")
    size = tuple(self._fg_size[d] for d in order)
    indices = self._fg_indices.index_select(0, long_tensor(order[:sparse_dim]))
    values = self._fg_values.permute([0, *(d - sparse_dim + 1 for d in order[sparse_dim:])])
    flag = self._fg_coalesced and order[:sparse_dim] == list(range(sparse_dim))
    return make(indices, named(values, "PermuteBackward0"), size, flag)


def _in_place(op, name: str):
    """A method that puts `op`'s result in the place of this tensor's contents."""
    def in_place(self: SparseCooTensor, *args, **kwargs) -> SparseCooTensor:
        out = op(self, *args, **kwargs)
        if out.dtype != self.dtype:
            raise RuntimeError(f"Can't convert result type {scalar_name(out.dtype)} to output {scalar_name(self.dtype)} "
                               f"in {name} operation")
        vars(self).update({k: vars(out)[k] for k in ("_fg_indices", "_fg_values", "_fg_size", "_fg_coalesced")})
        return self

    return in_place


def _t(self: SparseCooTensor, node: str = "TBackward0") -> SparseCooTensor:
    if self.sparse_dim() > 2 or self.dense_dim() != 0:
        raise RuntimeError(f"t() expects a tensor with <= 2 sparse and 0 dense dimensions, but got "
                           f"{self.sparse_dim()} sparse and {self.dense_dim()} dense dimensions")
    return _swapped(self, 0, 1 if self.dim() == 2 else 0, node)


def _refused_property(op: str) -> property:
    def get(self):
        raise unsupported(op)

    return property(get)


_METHODS = {
    "add": _add, "__add__": _add, "sub": _sub, "__sub__": _sub, "__radd__": _radd, "__rsub__": _rsub,
    "mul": _mul, "__mul__": _mul, "__rmul__": _mul, "div": _div, "__truediv__": _div,
    "neg": _neg, "__neg__": _neg, "mul_": _mul_, "__imul__": _mul_, "div_": _div_, "__itruediv__": _div_,
    "zero_": _zero_,
    "sum": _sum_method, "transpose": _transpose, "t": lambda self: _t(self), "unbind": _unbind, "new_zeros": _new_zeros,
    "unsqueeze": _unsqueeze, "permute": _permute, "add_": _in_place(_add, "add"),
    "__iadd__": _in_place(_add, "add"), "sub_": _in_place(_sub, "add"), "__isub__": _in_place(_sub, "add"),
    "transpose_": _in_place(_transpose, "transpose"), "t_": _in_place(_t, "t"),
    "__iter__": lambda self: iter(_unbind(self, 0)),
}
for _name, _fn in _METHODS.items():
    setattr(SparseCooTensor, _name, _fn)
SparseCooTensor.T = property(lambda self: _t(self, "PermuteBackward0"), doc="The transpose of a sparse matrix.")  # type: ignore[assignment]
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
