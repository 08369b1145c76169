"""Sparse CSR tensors: the `SparseCsrTensor` class, its accessors and conversions.

Built as `_sparse_coo` builds COO tensors: a `Tensor` subclass holding its parts in its
`__dict__`: `crow_indices` (`*batch x (nrows + 1)`), `col_indices` (`*batch x nnz`),
`values` (`*batch x nnz x *dense_shape`) and the size. Ops are written with dense ops on
`values`, so gradients flow to `values` through the ordinary engine; a CSR leaf is a
leaf `values` tensor. Methods of Tensor the class does not define raise PyTorch's
NotImplementedError for a missing SparseCsrCPU kernel.

The core tensor underneath is an empty 1-D tensor of the values' dtype tagged with the
sparse COO layout tag: the compiled core knows no CSR tag, and any tag makes its
bindings hand a call meeting this tensor to `_layouts` (which sends it to this class's
methods or raises the SparseCsrCPU error) instead of computing on the empty stand-in.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _core
from ._core import Tensor
from ._memory_format import sparse_csr
from ._sparse_common import SparseCommon
from ._sparse_coo import long_tensor, named, zeros
from ._sparse_strided import no_kernel
from ._subclass_dispatch import _disabled_torch_function_impl

__all__ = ["SparseCsrTensor"]

# Object-protocol and bookkeeping names a CSR tensor inherits from Tensor unchanged.
_INHERITED = frozenset({
    "__init__", "__new__", "__hash__", "__getattribute__", "__getattr__", "__setattr__", "__delattr__",
    "__init_subclass__", "__class_getitem__", "__subclasshook__", "__torch_function__", "__sizeof__",
    "__dir__", "__dict__", "__module__", "__doc__", "__weakref__", "__reduce__", "__reduce_ex__",
    "__traverse__", "__clear__", "__array_priority__", "__format__", "__getstate__", "__setstate__",
    "device", "is_cuda", "is_cpu", "is_quantized", "is_meta", "is_mkldnn", "is_nested", "is_sparse",
    "is_xla", "is_xpu", "is_ipu", "is_maia", "is_mps", "is_mtia", "is_vulkan", "itemsize", "dtype",
    "retains_grad", "retain_grad", "register_hook", "is_floating_point", "is_complex", "is_signed",
    "element_size", "get_device", "_version", "name", "output_nr", "_is_inference", "is_inference",
})
# methods whose aten op (the name PyTorch's message gives) is not the method's name
_ATEN_NAMES = {"cumsum": "cumsum.out", "__setitem__": "index_put_", "nan_to_num": "nan_to_num.out",
               "nan_to_num_": "nan_to_num.out"}


def unsupported(op: str) -> NotImplementedError:
    """PyTorch's error for an op without a kernel for sparse CSR tensors."""
    return no_kernel(op, "SparseCsrCPU")


def _refusal(name: str):
    op = _ATEN_NAMES.get(name, name[2:-2] if name.startswith("__") else name)

    def refuse(self, *args, **kwargs):
        raise unsupported(op)

    refuse.__name__ = name
    return refuse


def _layout_refusal(accessor: str, expected: str = "sparse coordinate tensor layout"):
    def refuse(self, *args, **kwargs):
        raise RuntimeError(f"{accessor} expected {expected} but got {self._fg_layout_name}")

    refuse.__name__ = accessor
    return refuse


class SparseCsrTensor(SparseCommon, Tensor):
    """A tensor stored as compressed rows (PyTorch's `torch.sparse_csr` layout).

    Made by `ferrograd.sparse_csr_tensor`, `Tensor.to_sparse_csr()` or
    `to_sparse(layout=ferrograd.sparse_csr)`.
    """

    __torch_function__ = _disabled_torch_function_impl
    __hash__ = Tensor.__hash__

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        if name in _INHERITED or name.startswith("__") or not callable(value) or name in vars(SparseCsrTensor) or \
                name in vars(SparseCommon) or name in _OWN_NAMES.get(type(self), ()):
            return value
        return _refusal(name).__get__(self) if hasattr(Tensor, name) else value

    # ------------------------------------------------------------------ structure

    def __len__(self) -> int:
        return self._fg_size[0]

    is_sparse_csr = property(lambda self: True, doc="True: a sparse CSR tensor.")
    layout = property(lambda self: sparse_csr, doc="`ferrograd.sparse_csr`.")
    # how PyTorch's messages name the layout, and the names of the compressed and plain indices
    _fg_compressed = True
    _fg_layout_name = "SparseCsr"
    _fg_kind = "CSR"
    _fg_index_names = ("crow_indices", "col_indices")

    def sparse_dim(self) -> int:
        return 2

    def dense_dim(self) -> int:
        return self._fg_values.dim() - self._fg_col.dim()

    def _batch_dim(self) -> int:
        return self._fg_crow.dim() - 1

    def _grid(self) -> tuple[int, int]:
        """The number of rows and columns the indices address."""
        nbatch = self._batch_dim()
        return self._fg_size[nbatch], self._fg_size[nbatch + 1]

    def _nnz(self) -> int:
        return self._fg_col.shape[-1]

    def crow_indices(self) -> Tensor:
        return self._fg_crow

    def col_indices(self) -> Tensor:
        return self._fg_col

    ccol_indices = _layout_refusal("ccol_indices", "sparse column compressed tensor layout")
    row_indices = _layout_refusal("row_indices", "sparse column compressed tensor layout")

    def values(self) -> Tensor:
        return named(self._fg_values, "ValuesBackward0")

    indices = _layout_refusal("indices")
    coalesce = _layout_refusal("coalesce")
    is_coalesced = _layout_refusal("is_coalesced")

    def _coordinates(self) -> tuple[np.ndarray, ...]:
        """Per stored element (batch-major): its batch indices, row and column."""
        crow = self._fg_crow.numpy().astype(np.int64)
        col = self._fg_col.numpy().astype(np.int64)
        batch_shape, nnz = crow.shape[:-1], col.shape[-1]
        batches = int(np.prod(batch_shape))  # given, not inferred: there may be no entries
        crow, col = crow.reshape(batches, crow.shape[-1]), col.reshape(batches, nnz)
        # entry p lies in the row whose span crow[i]:crow[i + 1] holds it
        rows = np.stack([np.searchsorted(c[1:], np.arange(nnz), side="right") for c in crow]) if len(crow) \
            else col
        batch = np.unravel_index(np.repeat(np.arange(len(crow)), nnz), batch_shape) if batch_shape else ()
        return (*batch, rows.reshape(-1), col.reshape(-1))

    def to_dense(self, dtype=None, *, masked_grad: bool | None = None) -> Tensor:
        if dtype is not None:
            raise RuntimeError("dtype argument is not supported by sparse_csr_to_dense")
        values = self._fg_values
        flat = values.reshape((-1, *values.shape[self._fg_col.dim():]))
        out = zeros(self._fg_size, values.dtype)
        coords = tuple(long_tensor(c) for c in self._coordinates())
        return named(out.index_put(coords, flat, accumulate=True), "ToDenseBackward0")

    def to_sparse(self, sparse_dim: int | None = None, *, layout=None, blocksize=None, dense_dim=None) -> Any:
        from . import _memory_format

        if layout is _memory_format.sparse_csr:
            return self.to_sparse_csr()
        if layout is _memory_format.sparse_csc:
            return self.to_sparse_csc()
        if layout is _memory_format.sparse_bsr:
            return self.to_sparse_bsr(blocksize)
        if layout is _memory_format.sparse_bsc:
            return self.to_sparse_bsc(blocksize)
        if layout is _memory_format.strided:
            return self.to_dense()
        if sparse_dim is not None and sparse_dim != 2:
            raise RuntimeError(f"sparse_compressed_to_sparse: conversion from {self._fg_layout_name} to Sparse with "
                               "sparse_dim argument !=2 is not supported")
        if self.dense_dim():
            # the COO form of a hybrid tensor: through the dense one
            return self.to_dense().to_sparse(self.dim() - self.dense_dim())
        from ._sparse_coo import make

        # the entries in storage order (batch-major, then compressed, then plain index)
        indices = long_tensor(np.stack(self._coordinates()).reshape(self.dim(), -1))
        values = self._fg_values.reshape(-1)
        return make(indices, named(values, "ToSparseBackward1"), self._fg_size, self._fg_kind == "CSR")

    def to_sparse_coo(self) -> Any:
        return self.to_sparse()

    def to_sparse_csr(self, dense_dim: int | None = None) -> SparseCsrTensor:
        if self._fg_kind == "CSR":
            if dense_dim is not None:
                raise RuntimeError(f"to_sparse_csr: conversion from {self._fg_layout_name} to SparseCsr with dense_dim "
                                   "argument given is not supported")
            return self
        from ._sparse_csc import recompressed

        return recompressed(self, "CSR")

    def to_sparse_csc(self, dense_dim: int | None = None) -> Any:
        if self._fg_kind == "CSC":
            if dense_dim is not None:
                raise RuntimeError(f"to_sparse_csc: conversion from {self._fg_layout_name} to SparseCsc with dense_dim "
                                   "argument given is not supported")
            return self
        from ._sparse_csc import recompressed

        return recompressed(self, "CSC")

    def to_sparse_bsr(self, blocksize: Any, dense_dim: int | None = None) -> Any:
        return self.to_dense().to_sparse_bsr(blocksize, dense_dim)

    def to_sparse_bsc(self, blocksize: Any, dense_dim: int | None = None) -> Any:
        return self.to_dense().to_sparse_bsc(blocksize, dense_dim)

    def t(self) -> Any:
        if self.dim() > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.dim()}D")
        from ._sparse_csc import transposed

        return transposed(self, 0, 1, "TBackward0")

    def transpose(self, dim0: int, dim1: int) -> Any:
        from ._sparse_csc import transposed

        return transposed(self, dim0, dim1, "TransposeBackward0")

    swapaxes = swapdims = transpose

    @property
    def mT(self) -> Any:
        return self.transpose(-2, -1)

    @property
    def T(self) -> Any:
        raise unsupported("as_strided")

    def t_(self) -> Any:
        raise RuntimeError(f"ferrograd.transpose_: in-place transposition is not supported for {self._fg_layout_name} "
                           "layout")

    def transpose_(self, dim0: int, dim1: int) -> Any:
        return self.t_()

    # ------------------------------------------------------------------ autograd

    @property
    def grad(self) -> Any:
        """The gradient of a leaf, as PyTorch's: dense where a product (`mm`, `addmm`,
        `mv`, `sum`) reached it, else a tensor of this layout on the leaf's indices (ops
        on the stored values); both add up to a dense one."""
        g = self._fg_values.grad
        dense = self._dense_grad()
        if dense is None:
            return None if g is None else derived(self, g)
        return dense if g is None else dense + derived(self, g).to_dense()

    @grad.setter
    def grad(self, value: Any) -> None:
        self._fg_dense_grad = None
        held = self.__dict__.get("_fg_carrier")
        if held is not None:
            held[0].grad = None
        if value is None or type(value) is Tensor:
            self._fg_values.grad = None
            self._fg_dense_grad = value
        else:
            self._fg_values.grad = value._fg_values

    def _dense_grad(self) -> Tensor | None:
        """The dense part of a leaf's gradient: what reached its carriers."""
        parts = [self.__dict__.get("_fg_dense_grad")]
        held = self.__dict__.get("_fg_carrier")
        if held is not None:
            parts.append(held[0].grad)
        parts = [p for p in parts if p is not None]
        return None if not parts else parts[0] if len(parts) == 1 else parts[0] + parts[1]

    def _dense_operand(self) -> Tensor | None:
        """For the products whose PyTorch derivative is dense: a dense tensor equal to
        `to_dense()` that carries that dense gradient (to the dense tensor this one was
        converted from, or, for a leaf, a dense leaf (the carrier) whose `grad` is the
        dense part of this one's); None where no gradient is wanted (or only the stored
        values' is known, as for tensors made from values)."""
        origin = self.__dict__.get("_fg_dense_origin")
        if origin is not None:
            return origin
        source = self.__dict__.get("_fg_dense_from")
        if source is not None:  # a transpose or change of layout of a tensor that has one
            parent, relate = source
            carrier = parent._dense_operand()
            return None if carrier is None else relate(carrier)
        values = self._fg_values
        if not (values.requires_grad and values.is_leaf):
            return None
        held = self.__dict__.get("_fg_carrier")
        if held is not None and held[1] == values._version:
            return held[0]
        if held is not None and held[0].grad is not None:  # values changed in place: a new carrier
            self._fg_dense_grad = held[0].grad if self.__dict__.get("_fg_dense_grad") is None \
                else self._fg_dense_grad + held[0].grad
        from ._grad_mode import no_grad

        with no_grad():
            dense = self.to_dense()
        dense.requires_grad_(True)
        self._fg_carrier = (dense, values._version)
        return dense

    def detach(self) -> SparseCsrTensor:
        return derived(self, self._fg_values.detach())

    @property
    def data(self) -> SparseCsrTensor:
        return self.detach()

    def clone(self, *, memory_format=None) -> SparseCsrTensor:
        return make(self._fg_crow.clone(), self._fg_col.clone(), self._fg_values.clone(), self._fg_size, type(self))

    # ------------------------------------------------------------------ conversions

    def to(self, *args, **kwargs) -> SparseCsrTensor:
        from ._to_args import parse_to_args

        kwargs.pop("memory_format", None)
        dtype = parse_to_args(args, kwargs)[1]
        if dtype is None or dtype == self.dtype:
            return self
        return derived(self, named(self._fg_values.to(dtype), "ToCopyBackward0"))

    def type(self, dtype=None, non_blocking: bool = False, **kwargs) -> Any:
        if dtype is None:
            raise RuntimeError("Unimplemented backend SparseCsrCPU")
        return self.to(dtype)

    def cpu(self, memory_format=None) -> SparseCsrTensor:
        return self

    def numpy(self, *, force: bool = False) -> Any:
        raise TypeError(f"can't convert {self._fg_layout_name} layout tensor to numpy. Use Tensor.to_dense() first.")

    def tolist(self) -> Any:
        raise RuntimeError("Cannot access data pointer of Tensor that doesn't have storage")

    data_ptr = tolist

    def stride(self, dim: int | None = None) -> Any:
        raise RuntimeError(f"Sparse {self._fg_kind} tensors do not have strides")

    def is_contiguous(self, memory_format=None) -> bool:
        raise RuntimeError(f"Sparse {self._fg_kind} tensors do not have is_contiguous")

    def reshape(self, *shape) -> Tensor:
        raise RuntimeError(f"Sparse {self._fg_kind} tensors do not have is_contiguous")

    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        raise unsupported("_local_scalar_dense")

    def item(self) -> Any:
        if self.numel() != 1:
            raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to Scalar")
        raise unsupported("_local_scalar_dense")

    def detach_(self) -> SparseCsrTensor:
        self._fg_values = self._fg_values.detach()
        return self

    def __deepcopy__(self, memo: Any) -> Any:
        raise NotImplementedError("Cannot access storage of SparseCsrTensorImpl")

    def __reduce_ex__(self, protocol: Any) -> tuple:
        return (remake, (self._fg_crow, self._fg_col, self._fg_values.detach(), self._fg_size, self._fg_kind))

    def __copy__(self) -> SparseCsrTensor:
        return remake(*self.__reduce_ex__(2)[1])

    def zero_(self) -> SparseCsrTensor:
        """No stored elements left (PyTorch's)."""
        from ._creation import zeros

        nbatch = self._batch_dim()
        batch = self._fg_size[:nbatch]
        values = self._fg_values
        self._fg_crow = zeros((*batch, self._fg_crow.shape[-1]), dtype=self._fg_crow.dtype)
        self._fg_col = zeros((*batch, 0), dtype=self._fg_col.dtype)
        self._fg_values = zeros((*batch, 0, *values.shape[nbatch + 1:]), dtype=values.dtype) \
            .requires_grad_(values.requires_grad and values.is_leaf)
        return self

    def fill_(self, value: Any) -> SparseCsrTensor:
        """Every stored element set to `value`."""
        self._fg_values.fill_(value)
        return self

    def __repr__(self, *, tensor_contents=None) -> str:
        from ._sparse_csr_repr import format_csr

        return format_csr(self, *self._fg_index_names, self.layout._name)

    __str__ = __repr__


def _cast_method(dtype_name: str):
    def cast(self: SparseCsrTensor, memory_format=None) -> SparseCsrTensor:
        return self.to(getattr(_core, dtype_name))

    return cast


for _name, _dtype_name in (("float", "float32"), ("double", "float64"), ("long", "int64"), ("int", "int32"),
                           ("half", "float16"), ("bfloat16", "bfloat16"), ("bool", "bool")):
    setattr(SparseCsrTensor, _name, _cast_method(_dtype_name))
SparseCsrTensor.__module__ = "ferrograd"


def make(crow: Tensor, col: Tensor, values: Tensor, size, cls: type | None = None) -> SparseCsrTensor:
    """A CSR tensor on checked parts (of class `cls`: a CSC one on compressed columns)."""
    from ._creation import empty

    out = Tensor.__new__(cls or SparseCsrTensor, empty(0, dtype=values.dtype))
    Tensor._set_layout(out, "sparse_coo")  # the core's only Python-layout tag; see the module docstring
    out._fg_crow = crow
    out._fg_col = col
    out._fg_values = values
    out._fg_size = tuple(int(n) for n in size)
    warn_beta_once(getattr(out, "_fg_kind", "CSR"))
    return out


_beta_warned = False


def warn_beta_once(kind: str) -> None:
    """PyTorch's warning (once per process, naming the first compressed layout made)
    that its compressed sparse support is in beta."""
    global _beta_warned
    if _beta_warned:
        return
    _beta_warned = True
    from ._user_warning import triggered_internally, warn_at_caller

    warn_at_caller(triggered_internally(
        f"Sparse {kind} tensor support is in beta state. If you miss a functionality in the sparse tensor "
        "support, please submit a feature request to https://github.com/pytorch/pytorch/issues.",
        "SparseCsrTensorImpl.cpp:49"))


def input_grads(inputs: list, grads_of) -> list:
    """`autograd.grad` with sparse `inputs` (COO or compressed): `grads_of` run on each
    one's values (and a compressed leaf's carrier, which takes the dense gradient of its
    products), dense inputs as they are; a gradient of values only is put back on the
    input's indices, one that reached the carrier is dense (PyTorch's)."""
    from ._sparse_coo import SparseCooTensor
    from ._sparse_coo import make as make_coo

    flat, spans = [], []
    for t in inputs:
        spans.append(len(flat))
        if isinstance(t, SparseCsrTensor):
            held = t.__dict__.get("_fg_carrier")
            flat += [t._fg_values] + ([held[0]] if held is not None else [])
        else:
            flat.append(t._fg_values if isinstance(t, SparseCooTensor) else t)
    spans.append(len(flat))
    grads = list(grads_of(flat))
    out = []
    for k, t in enumerate(inputs):
        g, extra = grads[spans[k]], grads[spans[k] + 1:spans[k + 1]]
        if isinstance(t, SparseCooTensor):
            out.append(None if g is None else make_coo(t._fg_indices, g, t._fg_size, t._fg_coalesced))
        elif isinstance(t, SparseCsrTensor):
            dense = extra[0] if extra and extra[0] is not None else None
            values = None if g is None else derived(t, g)
            out.append(values if dense is None else dense if values is None else dense + values.to_dense())
        else:
            out.append(g)
    return out


def remake(crow: Tensor, col: Tensor, values: Tensor, size, kind: str) -> SparseCsrTensor:
    """A compressed tensor of the layout `kind` ("CSR", "CSC", "BSR", "BSC") on its parts:
    what unpickling calls."""
    from ._sparse_bsr import _KINDS

    return make(crow, col, values, size, _KINDS[kind])


def derived(like: SparseCsrTensor, values: Tensor) -> SparseCsrTensor:
    """A tensor of `like`'s layout with its indices and size and new `values`."""
    return make(like._fg_crow, like._fg_col, values, like._fg_size, type(like))


# the methods a subclass (the CSC layout's) defines itself, past SparseCsrTensor's
_OWN_NAMES: dict[type, frozenset] = {}


def _refuse_other_operators() -> None:
    """Refusals for Tensor's operator slots (looked up on the type) that are neither
    object protocol nor written for CSR tensors."""
    for name, value in list(vars(Tensor).items()):
        if name.startswith("__") and callable(value) and name not in _INHERITED and name not in vars(SparseCsrTensor):
            setattr(SparseCsrTensor, name, _refusal(name))


from . import _sparse_csr_ops, _sparse_csr_unary

_sparse_csr_ops.install()
_sparse_csr_unary.install()

_refuse_other_operators()
