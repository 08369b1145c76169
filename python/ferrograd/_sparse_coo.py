"""Sparse COO tensors: the `SparseCooTensor` class, its accessors and `coalesce`.

A sparse tensor is a `Tensor` subclass holding three things in its `__dict__`: `indices`
(int64, `sparse_dim x nnz`), `values` (a dense tensor `nnz x *dense_shape`) and the size.
Every sparse op is written with dense ops on `values` (index_put, index_add,
index_select), so gradients flow to `values` through the ordinary engine; a sparse leaf
(`requires_grad=True`) is a leaf `values` tensor, and its `.grad` is that values'
gradient on the leaf's indices: sparse, as in PyTorch.

Methods of Tensor that the class does not define raise PyTorch's NotImplementedError for
a missing SparseCPU kernel (also for the few that PyTorch has and ferrograd does not yet).
The core tensor underneath is an empty 1-D tensor of the values' dtype, its object
tagged with the sparse layout (`Tensor._set_layout`): a binding of the Rust core that
meets a tagged tensor (`dense.mul(sparse)`, `ferrograd.isinf(sparse)`, `ferrograd.cat`)
hands the call to `_layouts`, which runs it here or raises PyTorch's error; the other
bindings take their tensors as `Strided` (`src/python/strided_arg.rs`), which refuses a
tagged one with PyTorch's error. This module loads on first use: nothing here runs for
dense tensors.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from . import _core
from ._core import Tensor
from ._memory_format import sparse_coo
from ._shell_dtypes import refuse_float8
from ._sparse_common import SparseCommon
from ._sparse_strided import no_kernel
from ._subclass_dispatch import _disabled_torch_function_impl

__all__ = ["SparseCooTensor"]

# Object-protocol and bookkeeping names a sparse tensor inherits from Tensor unchanged.
_INHERITED = frozenset({
    "__init__", "__new__", "__hash__", "__getattribute__", "__getattr__", "__setattr__", "__delattr__",
    "__init_subclass__", "__class_getitem__", "__subclasshook__", "__torch_function__", "__sizeof__",
    "__dir__", "__dict__", "__module__", "__doc__", "__weakref__", "__reduce__", "__reduce_ex__",
    "__traverse__", "__clear__", "__array_priority__", "__format__", "__deepcopy__", "__getstate__", "__setstate__",
    "device", "is_cuda", "is_cpu", "is_quantized", "is_meta", "is_mkldnn", "is_nested", "is_sparse_csr",
    "is_xla", "is_xpu", "is_ipu", "is_maia", "is_mps", "is_mtia", "is_vulkan", "itemsize", "dtype",
    "retains_grad", "retain_grad", "register_hook", "is_floating_point", "is_complex", "is_signed",
    "element_size", "get_device", "dim_order", "_version", "name", "output_nr", "_is_inference", "is_inference",
})
# methods whose aten op (the name PyTorch's message gives) is not the method's name
_ATEN_NAMES = {"__setitem__": "index_put_", "mean": "mean.dim",
               "mul_": "mul_.Tensor", "add_": "add_.Tensor", "sub_": "sub_.Tensor",
               "square_": "pow_.Scalar", "narrow": "as_strided"}


_COMPARISONS = frozenset({"lt", "le", "gt", "ge", "eq", "ne"})


def unsupported(op: str) -> NotImplementedError:
    """PyTorch's error for an op without a kernel for sparse tensors."""
    return no_kernel(op, "SparseCPU")


def _refusal(name: str):
    op = _ATEN_NAMES.get(name, name[2:-2] if name.startswith("__") else name)

    def refuse(self, *args, **kwargs):
        if op in _COMPARISONS:  # the overload of the other operand's kind, as PyTorch names it
            raise unsupported(f"{op}.{'Tensor' if args and isinstance(args[0], Tensor) else 'Scalar'}")
        raise unsupported(op)

    refuse.__name__ = name
    return refuse


class SparseCooTensor(SparseCommon, Tensor):
    """A tensor stored as coordinates and values (PyTorch's `torch.sparse_coo` layout).

    Made by `ferrograd.sparse_coo_tensor` or `Tensor.to_sparse()`; prints, checks and
    differentiates as PyTorch's sparse COO tensors do for the ops of the `_sparse_coo_*`
    modules.
    """

    __torch_function__ = _disabled_torch_function_impl
    __hash__ = Tensor.__hash__

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name in _INHERITED or name.startswith("__") or not callable(value) or name in vars(SparseCooTensor) or name in vars(SparseCommon):
            return value
        return _refusal(name).__get__(self) if hasattr(Tensor, name) else value

    # ------------------------------------------------------------------ structure

    def __len__(self) -> int:
        if not self._fg_size:
            raise TypeError("len() of a 0-d tensor")
        return self._fg_size[0]

    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.to_dense())

    is_sparse = property(lambda self: True, doc="True: a sparse COO tensor.")
    layout = property(lambda self: sparse_coo, doc="`ferrograd.sparse_coo`.")

    def sparse_dim(self) -> int:
        return self._fg_indices.shape[0]

    def dense_dim(self) -> int:
        return len(self._fg_size) - self._fg_indices.shape[0]

    def _nnz(self) -> int:
        return self._fg_indices.shape[1]

    def is_coalesced(self) -> bool:
        return self._fg_coalesced

    def _indices(self) -> Tensor:
        return self._fg_indices

    def crow_indices(self) -> Tensor:
        raise RuntimeError("crow_indices expected sparse row compressed tensor layout but got Sparse")

    def col_indices(self) -> Tensor:
        raise RuntimeError("col_indices expected sparse row compressed tensor layout but got Sparse")

    def ccol_indices(self) -> Tensor:
        raise RuntimeError("ccol_indices expected sparse column compressed tensor layout but got Sparse")

    def row_indices(self) -> Tensor:
        raise RuntimeError("row_indices expected sparse column compressed tensor layout but got Sparse")

    def _values(self) -> Tensor:
        return self._fg_values.detach()

    def indices(self) -> Tensor:
        if not self._fg_coalesced:
            raise RuntimeError("Cannot get indices on an uncoalesced tensor, please call .coalesce() first")
        return self._fg_indices

    def values(self) -> Tensor:
        if not self._fg_coalesced:
            raise RuntimeError("Cannot get values on an uncoalesced tensor, please call .coalesce() first")
        return named(self._fg_values, "ValuesBackward0")

    def coalesce(self) -> SparseCooTensor:
        if self._fg_coalesced:
            return self
        out = coalesced(self._fg_indices, self._fg_values, self._fg_size)
        return make(out._fg_indices, named(out._fg_values, "CoalesceBackward0"), out._fg_size, True)

    def to_dense(self, dtype=None, *, masked_grad: bool | None = None) -> Tensor:
        if dtype is not None:
            raise RuntimeError("dtype argument is not supported by sparse_to_dense")
        values = self._fg_values
        if values.dim() == 1:
            refuse_float8("add_dense_sparse_non_hybrid", values)
        if not self._fg_indices.shape[0]:  # no sparse dims: the values summed, in their dtype
            return named(values.sum(0, dtype=values.dtype), "ToDenseBackward0")
        out = zeros(self._fg_size, values.dtype)
        return named(out.index_put(tuple(self._fg_indices.unbind(0)), values, accumulate=True), "ToDenseBackward0")

    def to_sparse(self, sparse_dim: int | None = None, *, layout=None, blocksize=None, dense_dim=None):
        from ._memory_format import sparse_csc, sparse_csr

        if layout is sparse_csr:
            return self.to_sparse_csr()
        if layout is sparse_csc:
            return self.to_sparse_csc()
        if layout is not None and layout._name in ("sparse_bsr", "sparse_bsc"):
            return getattr(self, f"to_{layout._name}")(blocksize)
        if sparse_dim is not None and sparse_dim != self.sparse_dim():
            raise RuntimeError("to_sparse: conversion from Sparse to Sparse with sparse_dim argument "
                               "!=self.sparse_dim() is not supported")
        return self

    to_sparse_coo = to_sparse

    def to_sparse_csr(self, dense_dim: int | None = None) -> Any:
        from ._sparse_csr_create import coo_to_csr

        return coo_to_csr(self)

    def to_sparse_csc(self, dense_dim: int | None = None) -> Any:
        from ._sparse_csc import recompressed
        from ._sparse_csr_create import coo_to_csr

        return recompressed(coo_to_csr(self, "SparseCsc"), "CSC")

    def to_sparse_bsr(self, blocksize: Any, dense_dim: int | None = None) -> Any:
        return self.to_dense().to_sparse_bsr(blocksize, dense_dim)

    def to_sparse_bsc(self, blocksize: Any, dense_dim: int | None = None) -> Any:
        return self.to_dense().to_sparse_bsc(blocksize, dense_dim)

    # ------------------------------------------------------------------ autograd

    @property
    def grad(self) -> SparseCooTensor | None:
        """The gradient of a sparse leaf: sparse, on the leaf's indices (as PyTorch's)."""
        g = self._fg_values.grad
        return None if g is None else make(self._fg_indices, g, self._fg_size, self._fg_coalesced)

    @grad.setter
    def grad(self, value: SparseCooTensor | None) -> None:
        if value is not None and not (isinstance(value, SparseCooTensor)
                                      and value._fg_indices is self._fg_indices):
            raise RuntimeError("assigned grad must be None or a sparse tensor with the indices of this tensor")
        self._fg_values.grad = None if value is None else value._fg_values

    def detach(self) -> SparseCooTensor:
        return make(self._fg_indices, self._fg_values.detach(), self._fg_size, self._fg_coalesced)

    @property
    def data(self) -> SparseCooTensor:
        return self.detach()

    def clone(self, *, memory_format=None) -> SparseCooTensor:
        return make(self._fg_indices.clone(), self._fg_values.clone(), self._fg_size, self._fg_coalesced)

    # ------------------------------------------------------------------ conversions

    def to(self, *args, **kwargs) -> SparseCooTensor:
        from ._to_args import parse_to_args

        kwargs.pop("memory_format", None)
        dtype = parse_to_args(args, kwargs)[1]
        if dtype is None or dtype == self.dtype:
            return self
        values = named(self._fg_values.to(dtype), "ToCopyBackward0")
        return make(self._fg_indices, values, self._fg_size, self._fg_coalesced)

    def type(self, dtype=None, non_blocking: bool = False, **kwargs) -> Any:
        if dtype is None:  # the legacy name, as `ferrograd.sparse.FloatTensor`
            return Tensor.type(self._fg_values).replace("ferrograd.", "ferrograd.sparse.", 1)
        return self.to(dtype)

    def cpu(self, memory_format=None) -> SparseCooTensor:
        return self

    def numpy(self, *, force: bool = False) -> Any:
        raise TypeError("can't convert Sparse layout tensor to numpy. Use Tensor.to_dense() first.")

    def tolist(self) -> Any:
        raise RuntimeError("Cannot access data pointer of Tensor that doesn't have storage")

    data_ptr = tolist

    def item(self) -> Any:
        if self.numel() != 1:
            raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to Scalar")
        if not self._nnz():
            return 0
        values = self._fg_values
        return (values if self.is_coalesced() else values.sum()).reshape(()).item()

    def reshape(self, *shape) -> Tensor:
        raise RuntimeError("reshape is not implemented for sparse tensors")

    def untyped_storage(self) -> Any:
        raise NotImplementedError("Cannot access storage of SparseTensorImpl")

    def is_contiguous(self, memory_format=None) -> bool:
        return False

    def contiguous(self, memory_format=None) -> Tensor:
        raise RuntimeError("unsupported memory format option Contiguous")

    def __reduce_ex__(self, protocol: Any) -> tuple:
        # as PyTorch's `_rebuild_sparse_tensor`: the copy does not require grad
        return (make, (self._fg_indices, self._fg_values.detach(), self._fg_size, self._fg_coalesced))

    def __copy__(self) -> SparseCooTensor:
        return make(*self.__reduce_ex__(2)[1])

    def __repr__(self, *, tensor_contents=None) -> str:
        from ._sparse_coo_repr import format_sparse

        return format_sparse(self)

    __str__ = __repr__


def _cast_method(dtype_name: str):
    def cast(self: SparseCooTensor, memory_format=None) -> SparseCooTensor:
        return self.to(getattr(_core, dtype_name))

    return cast


for _name, _dtype_name in (("float", "float32"), ("double", "float64"), ("long", "int64"), ("int", "int32"),
                           ("half", "float16"), ("bfloat16", "bfloat16"), ("bool", "bool")):
    setattr(SparseCooTensor, _name, _cast_method(_dtype_name))
SparseCooTensor.__module__ = "ferrograd"


def zeros(size, dtype) -> Tensor:
    from ._creation import zeros as dense_zeros

    return dense_zeros(tuple(size), dtype=dtype)


def long_tensor(array: Any) -> Tensor:
    """An int64 tensor of an integer array or list (of any shape, empty included)."""
    from ._creation import tensor

    array = np.asarray(array, dtype=np.int64)
    return tensor(array.reshape(-1), dtype=_core.int64).reshape(array.shape)


def named(t: Tensor, name: str) -> Tensor:
    """`t` behind a pass-through node called `name` (PyTorch's grad_fn name for the op)
    when it requires grad; a result that reuses an input's values is then a new node,
    not that input's leaf."""
    return _core._named_node(t, name) if t.requires_grad else t


def with_node(out: Any, name: str) -> Any:
    """`out` reporting PyTorch's grad_fn `name`: the values of a sparse result, or a dense
    result, behind a pass-through node of that name."""
    if isinstance(out, SparseCooTensor):
        return make(out._fg_indices, named(out._fg_values, name), out._fg_size, out._fg_coalesced)
    return named(out, name) if isinstance(out, Tensor) else out


def node(name: str):
    """Decorates a sparse op so that its result reports PyTorch's grad_fn `name`."""
    def decorate(fn):
        @functools.wraps(fn)
        def op(*args, **kwargs):
            return with_node(fn(*args, **kwargs), name)

        return op

    return decorate


def make(indices: Tensor, values: Tensor, size, is_coalesced: bool) -> SparseCooTensor:
    """A sparse tensor on checked `indices` (int64, 2-D) and `values` (at least 1-D)."""
    from ._creation import empty

    out = Tensor.__new__(SparseCooTensor, empty(0, dtype=values.dtype))
    Tensor._set_layout(out, "sparse_coo")  # the core hands calls meeting this tensor to `_layouts`
    out._fg_indices = indices
    out._fg_values = values
    out._fg_size = tuple(int(n) for n in size)
    out._fg_coalesced = bool(is_coalesced)
    return out


def derived(like: SparseCooTensor, values: Tensor, *, is_coalesced: bool | None = None) -> SparseCooTensor:
    """A sparse tensor with `like`'s indices and size and new `values`."""
    coalesced_flag = like._fg_coalesced if is_coalesced is None else is_coalesced
    return make(like._fg_indices, values, like._fg_size, coalesced_flag)


def coalesced(indices: Tensor, values: Tensor, size) -> SparseCooTensor:
    """Duplicate coordinates summed, coordinates sorted (PyTorch's `coalesce`)."""
    nnz = indices.shape[1]
    coords = indices.numpy().T
    if nnz == 0:
        return make(indices, values, size, True)
    unique, inverse = np.unique(coords, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    merged = zeros((len(unique), *values.shape[1:]), dtype=values.dtype)
    merged = merged.index_add(0, long_tensor(inverse), values)
    new_indices = long_tensor(unique.T.reshape(indices.shape[0], len(unique)))
    return make(new_indices, merged, size, True)


def values_grads(inputs: list, grads_of) -> list:
    """`autograd.grad` with sparse `inputs`: `grads_of` run on each sparse input's values
    (dense inputs as they are), and each such gradient put back on that input's indices."""
    sparse = [isinstance(t, SparseCooTensor) for t in inputs]
    grads = list(grads_of([t._fg_values if s else t for t, s in zip(inputs, sparse)]))
    return [make(t._fg_indices, g, t._fg_size, t._fg_coalesced) if s and g is not None else g
            for t, g, s in zip(inputs, grads, sparse)]


def _refuse_other_operators() -> None:
    """Refusals for the operator slots of Tensor (looked up on the type, past
    `__getattribute__`) that are neither plain object protocol nor written for sparse
    tensors; an op module loaded later overwrites the refusal with its method."""
    for name, value in list(vars(Tensor).items()):
        if name.startswith("__") and callable(value) and name not in _INHERITED and name not in vars(SparseCooTensor):
            setattr(SparseCooTensor, name, _refusal(name))


from . import _sparse_coo_ops, _sparse_coo_products, _sparse_coo_select, _sparse_coo_unary  # noqa: F401  (install the ops)

_refuse_other_operators()
