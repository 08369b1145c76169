"""Making sparse CSR tensors: `sparse_csr_tensor` (with PyTorch's checks), and the
conversions of dense and sparse COO tensors to CSR (`to_sparse_csr`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _core
from ._core import Tensor
from ._dtype_names import scalar_name
from ._shell_dtypes import refuse
from ._sparse_coo import long_tensor, named
from ._sparse_csr import SparseCsrTensor, make

__all__ = ["sparse_bsc_tensor", "sparse_bsr_tensor", "sparse_compressed_tensor", "sparse_csc_tensor",
           "sparse_csr_tensor"]

_TO_CSR_NODE = "ToSparseCsrBackward0"


def _compressed(rows: np.ndarray, nrows: int) -> np.ndarray:
    """The crow_indices of sorted row indices: where each row's entries start, then nnz."""
    return np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=nrows))]).astype(np.int64)


def dense_to_csr(x: Tensor, dense_dim: int | None = None, *, op: str = "dense_to_sparse_csr",
                 layout: str = "csr") -> SparseCsrTensor:
    """`x.to_sparse_csr(dense_dim)`: the nonzero elements (slices over the last `dense_dim`
    dims) of each matrix over the two dims before them, leading dims as batch dims (each
    batch with as many elements); differentiable in `x`. `layout`: the one asked for
    (`csr`, `csc`, `bsr`, `bsc`), as PyTorch's messages name it; the blocked ones take
    the unsigned dtypes."""
    if x.dim() < 2:  # PyTorch's kernel selects the second column of `x.nonzero()`
        count = int((x.detach() != 0).numpy().sum())
        raise IndexError(f"select(): index 1 out of range for tensor of size [{count}, {x.dim()}] at dimension 1")
    dense_dim = dense_dim or 0
    if not 0 <= dense_dim <= x.dim() - 2:
        raise RuntimeError(f"{op}: dense_dim argument must be in [0,{x.dim() - 2}] range, but {dense_dim} is given")
    nbatch = x.dim() - 2 - dense_dim
    nonzero = (x.detach() != 0).numpy()
    if dense_dim:
        nonzero = nonzero.any(axis=tuple(range(x.dim() - dense_dim, x.dim())))
    batch_shape, (nrows, _) = nonzero.shape[:nbatch], nonzero.shape[nbatch:]
    if nbatch and not int(np.prod(batch_shape)):
        raise RuntimeError(f"to_sparse_{layout}: Expected product of batch dimensions to be non-zero.")
    per_batch = nonzero.reshape(int(np.prod(batch_shape)), *nonzero.shape[nbatch:]).sum(axis=(1, 2))
    if len(set(per_batch.tolist())) > 1:
        raise RuntimeError("Expect the same number of specified elements per batch.")
    if layout in ("csr", "csc"):
        refuse("index_select", x)
    coords = np.nonzero(nonzero)  # row-major: sorted by batch, then row, then column
    nnz = int(per_batch[0]) if per_batch.size else 0
    rows = coords[nbatch].reshape(-1, nnz) if nnz else np.zeros((int(np.prod(batch_shape)), 0), np.int64)
    crow = np.stack([_compressed(r, nrows) for r in rows]) if len(rows) else np.zeros((0, nrows + 1), np.int64)
    col = coords[nbatch + 1]
    values = x[tuple(long_tensor(c) for c in coords)]
    values = values.reshape((*batch_shape, nnz, *x.shape[x.dim() - dense_dim:]))
    out = make(long_tensor(crow.reshape(*batch_shape, nrows + 1)), long_tensor(col.reshape(*batch_shape, nnz)),
               named(values, _TO_CSR_NODE), x.shape)
    if x.requires_grad and not nbatch and not dense_dim:
        out._fg_dense_origin = x  # products pass PyTorch's dense gradient to x whole
    return out


def coo_to_csr(s: Any, target: str = "SparseCsr") -> SparseCsrTensor:
    """A sparse COO matrix (two sparse dims, any dense dims) as CSR, its entries coalesced
    (`target` names the layout asked for in PyTorch's message)."""
    if s.sparse_dim() != 2:
        raise RuntimeError(f"coo_to_{target.replace('Sparse', 'sparse_').lower()}: conversion from Sparse to {target} "
                           "for input tensors with sparse_dim()!=2 is not supported")
    c = s.coalesce()
    rows, col = c._indices().numpy()
    crow = _compressed(rows, s.shape[0])
    return make(long_tensor(crow), long_tensor(col), named(c._fg_values, _TO_CSR_NODE), s.shape)


# ---------------------------------------------------------------------- construction


def _as_tensor(x: Any, dtype=None) -> Tensor:
    from ._creation import tensor

    if not isinstance(x, Tensor):
        return tensor(x, dtype=dtype)
    return x if dtype is None else x.to(dtype)


def _inferred_size(crow: Tensor, col: Tensor, values: Tensor, kind: str = "CSR") -> tuple[int, ...]:
    nbatch = crow.dim() - 1
    nplain = int(col.max().item()) + 1 if col.numel() else 0
    sparse = (crow.shape[-1] - 1, nplain) if kind in ("CSR", "BSR") else (nplain, crow.shape[-1] - 1)
    if kind in ("BSR", "BSC"):  # in blocks
        bh, bw = values.shape[nbatch + 1:nbatch + 3]
        return (*crow.shape[:-1], sparse[0] * bh, sparse[1] * bw, *values.shape[nbatch + 3:])
    return (*crow.shape[:-1], *sparse, *values.shape[nbatch + 1:])


# per layout: the compressed and plain indices' names, what the compressed and plain dims
# are called, the compressed dim's place among the two sparse dims
_NAMES = {"CSR": ("crow_indices", "col_indices", "nrows", "ncols", "rows", 0),
          "CSC": ("ccol_indices", "row_indices", "ncols", "nrows", "columns", 1),
          "BSR": ("crow_indices", "col_indices", "nrows", "ncols", "row blocks", 0),
          "BSC": ("ccol_indices", "row_indices", "ncols", "nrows", "column blocks", 1)}


def _not_satisfied(condition: str) -> RuntimeError:
    return RuntimeError(f"`{condition}` is not satisfied.")


def _check_invariants(crow: Tensor, col: Tensor, values: Tensor, size: tuple[int, ...], kind: str = "CSR") -> None:
    """PyTorch's `_validate_sparse_compressed_tensor_args` for the CSR or CSC layout."""
    cname, pname, ncname, npname, what, at = _NAMES[kind]
    if crow.dtype != col.dtype:
        raise RuntimeError(f"{cname} and {pname} must have the same dtype, bot got "
                           f"{scalar_name(crow.dtype)} and {scalar_name(col.dtype)}, respectively")
    if crow.dtype not in (_core.int32, _core.int64):
        raise RuntimeError(f"{cname} and {pname} dtype must be Int or Long, but got {scalar_name(crow.dtype)}")
    nbatch = crow.dim() - 1
    block = 2 if kind in ("BSR", "BSC") else 0
    dense_dim = values.dim() - nbatch - 1 - block
    if block:  # the checks below count blocks
        for d in (0, 1):
            if size[nbatch + d] % values.shape[nbatch + 1 + d]:
                raise RuntimeError(f"tensor shape[{nbatch + d}] (={size[nbatch + d]}) must be divisible with "
                                   f"blocksize[{d}] (={values.shape[nbatch + 1 + d]}) as defined by values shape")
        size = (*size[:nbatch], size[nbatch] // values.shape[nbatch + 1], size[nbatch + 1] // values.shape[nbatch + 2],
                *size[nbatch + 2:])
    if len(size) != nbatch + 2 + dense_dim:
        raise RuntimeError(f"tensor dimensionality must be sum of batch, base, and dense dimensionalities "
                           f"(={nbatch} + 2 + {dense_dim}) but got {len(size)}")
    ncomp, nplain = size[nbatch + at], size[nbatch + 1 - at]
    if crow.shape[-1] != ncomp + 1:
        raise RuntimeError(f"{cname}.shape[-1] must be equal to the number of {what} + 1 (={ncomp + 1}), "
                           f"but got {crow.shape[-1]}")
    nnz = values.shape[nbatch]
    if col.shape[-1] != nnz:
        raise RuntimeError(f"{pname}.shape[-1] must be equal to nnz (={nnz}) as defined by "
                           f"values.shape[{nbatch}], but got {col.shape[-1]}")
    c, k = crow.numpy().reshape(-1, ncomp + 1), col.numpy().reshape(-1, nnz)
    if ((k < 0) | (k >= nplain)).any():
        raise _not_satisfied(f"0 <= {pname} < {npname}")
    if (c[:, 0] != 0).any():
        raise _not_satisfied(f"{cname}[..., 0] == 0")
    if (c[:, -1] != nnz).any():
        raise _not_satisfied(f"{cname}[..., -1] == nnz")
    steps = np.diff(c, axis=1)
    if ((steps < 0) | (steps > nplain)).any():
        raise _not_satisfied(f"0 <= {cname}[..., 1:] - {cname}[..., :-1] <= {npname}")
    for batch in range(len(c)):
        for start, stop in zip(c[batch, :-1], c[batch, 1:]):
            if (np.diff(k[batch, start:stop]) <= 0).any():
                raise _not_satisfied(f"{pname}[..., {cname}[..., i - 1]:{cname}[..., i]] for all "
                                     f"i = 1, ..., {ncname} are sorted and distinct along the last dimension values")


def _no_derivative(values: Tensor) -> Tensor:
    """`values` behind PyTorch's `NotImplemented` node: the overload without a size has
    no derivative, and a backward pass reaching it fails."""
    def refuse(grad: Tensor) -> None:
        raise RuntimeError("derivative for aten::sparse_compressed_tensor is not implemented")

    out = _core._named_node(values, "NotImplemented")
    out.register_hook(refuse)
    return out


def sparse_csr_tensor(crow_indices, col_indices, values, size=None, *, dtype=None, device=None,
                      pin_memory: bool = False, requires_grad: bool = False,
                      check_invariants: bool | None = None) -> SparseCsrTensor:
    """A sparse CSR tensor from compressed row indices, column indices and values
    (PyTorch's `torch.sparse_csr_tensor`).

    Args:
        crow_indices: where each row's entries start in `col_indices` and `values`, then
            nnz (`*batch x (nrows + 1)`).
        col_indices: the column of each entry (`*batch x nnz`).
        values: the entries (`*batch x nnz x *dense_shape`; a tensor, list or number).
        size: the size; inferred when None (the columns from the largest column index).
        dtype: the values' dtype (default: that of `values`).
        device: the CPU only.
        pin_memory: accepted for PyTorch compatibility.
        requires_grad: whether the result is a leaf that requires grad.
        check_invariants: check the indices against each other and `size` (default:
            `ferrograd.sparse.check_sparse_tensor_invariants.is_enabled()`).
    """
    return _compressed_tensor("CSR", crow_indices, col_indices, values, size, dtype, device, requires_grad,
                              check_invariants)


def sparse_csc_tensor(ccol_indices, row_indices, values, size=None, *, dtype=None, device=None,
                      pin_memory: bool = False, requires_grad: bool = False,
                      check_invariants: bool | None = None) -> Any:
    """A sparse CSC tensor from compressed column indices, row indices and values
    (PyTorch's `torch.sparse_csc_tensor`).

    Args:
        ccol_indices: where each column's entries start in `row_indices` and `values`,
            then nnz (`*batch x (ncols + 1)`).
        row_indices: the row of each entry (`*batch x nnz`).
        values: the entries (`*batch x nnz x *dense_shape`; a tensor, list or number).
        size: the size; inferred when None (the rows from the largest row index).
        dtype: the values' dtype (default: that of `values`).
        device: the CPU only.
        pin_memory: accepted for PyTorch compatibility.
        requires_grad: whether the result is a leaf that requires grad.
        check_invariants: check the indices against each other and `size` (default:
            `ferrograd.sparse.check_sparse_tensor_invariants.is_enabled()`).
    """
    return _compressed_tensor("CSC", ccol_indices, row_indices, values, size, dtype, device, requires_grad,
                              check_invariants)


def sparse_bsr_tensor(crow_indices, col_indices, values, size=None, *, dtype=None, device=None,
                      pin_memory: bool = False, requires_grad: bool = False,
                      check_invariants: bool | None = None) -> Any:
    """A sparse BSR tensor from compressed block-row indices, block-column indices and
    blocks (PyTorch's `torch.sparse_bsr_tensor`).

    Args:
        crow_indices: where each block row's blocks start, then nnz (`*batch x (nrows / blockrows + 1)`).
        col_indices: the block column of each block (`*batch x nnz`).
        values: the blocks (`*batch x nnz x blockrows x blockcols x *dense_shape`).
        size: the size; inferred when None (the block columns from the largest index).
        dtype: the values' dtype (default: that of `values`).
        device: the CPU only.
        pin_memory: accepted for PyTorch compatibility.
        requires_grad: whether the result is a leaf that requires grad.
        check_invariants: check the indices against each other and `size`.
    """
    return _compressed_tensor("BSR", crow_indices, col_indices, values, size, dtype, device, requires_grad,
                              check_invariants)


def sparse_bsc_tensor(ccol_indices, row_indices, values, size=None, *, dtype=None, device=None,
                      pin_memory: bool = False, requires_grad: bool = False,
                      check_invariants: bool | None = None) -> Any:
    """A sparse BSC tensor from compressed block-column indices, block-row indices and
    blocks (PyTorch's `torch.sparse_bsc_tensor`).

    Args:
        ccol_indices: where each block column's blocks start, then nnz.
        row_indices: the block row of each block (`*batch x nnz`).
        values: the blocks (`*batch x nnz x blockrows x blockcols x *dense_shape`).
        size: the size; inferred when None (the block rows from the largest index).
        dtype: the values' dtype (default: that of `values`).
        device: the CPU only.
        pin_memory: accepted for PyTorch compatibility.
        requires_grad: whether the result is a leaf that requires grad.
        check_invariants: check the indices against each other and `size`.
    """
    return _compressed_tensor("BSC", ccol_indices, row_indices, values, size, dtype, device, requires_grad,
                              check_invariants)


_LAYOUT_NAMES = {"strided": "Strided", "sparse_coo": "Sparse", "sparse_csr": "SparseCsr", "sparse_csc": "SparseCsc",
                 "sparse_bsr": "SparseBsr", "sparse_bsc": "SparseBsc", "jagged": "Jagged"}


def sparse_compressed_tensor(compressed_indices, plain_indices, values, size=None, *, dtype=None, layout=None,
                             device=None, pin_memory: bool = False, requires_grad: bool = False,
                             check_invariants: bool | None = None) -> Any:
    """A sparse tensor of a compressed `layout` (PyTorch's `torch.sparse_compressed_tensor`):
    `sparse_csr_tensor`, `sparse_csc_tensor`, `sparse_bsr_tensor` or `sparse_bsc_tensor`
    by the layout.

    Args:
        compressed_indices: where each row (CSR) or column (CSC) starts, then nnz.
        plain_indices: the column (CSR) or row (CSC) of each entry.
        values: the entries (a tensor, list or number).
        size: the size; inferred when None.
        dtype: the values' dtype (default: that of `values`).
        layout: `ferrograd.sparse_csr`, `sparse_csc`, `sparse_bsr` or `sparse_bsc`.
        device: the CPU only.
        pin_memory: accepted for PyTorch compatibility.
        requires_grad: whether the result is a leaf that requires grad.
        check_invariants: check the indices against each other and `size`.
    """
    from . import _memory_format

    if layout is _memory_format.sparse_csr or layout is _memory_format.sparse_csc:
        kind = "CSR" if layout is _memory_format.sparse_csr else "CSC"
        return _compressed_tensor(kind, compressed_indices, plain_indices, values, size, dtype, device,
                                  requires_grad, check_invariants)
    if layout is _memory_format.sparse_bsr or layout is _memory_format.sparse_bsc:
        kind = "BSR" if layout is _memory_format.sparse_bsr else "BSC"
        return _compressed_tensor(kind, compressed_indices, plain_indices, values, size, dtype, device,
                                  requires_grad, check_invariants)
    name = "none" if layout is None else _LAYOUT_NAMES.get(getattr(layout, "_name", ""), str(layout))
    raise RuntimeError(f"sparse_compressed_tensor expected sparse compressed tensor layout but got {name}")


def _compressed_tensor(kind: str, crow_indices, col_indices, values, size, dtype, device, requires_grad: bool,
                       check_invariants: bool | None) -> Any:
    from ._device import check_device
    from ._sparse_coo_create import INVARIANT_CHECKS

    check_device(device)
    cname, pname = _NAMES[kind][:2]
    crow, col, values = _as_tensor(crow_indices), _as_tensor(col_indices), _as_tensor(values, dtype)
    if crow.dim() != col.dim() and (kind == "CSR" or check_invariants or INVARIANT_CHECKS.enabled):
        raise RuntimeError(f"{cname} and {pname} dimensionalities must be equal but got {crow.dim()} and "
                           f"{col.dim()}, respectively")
    nbatch = crow.dim() - 1
    block = 2 if kind in ("BSR", "BSC") else 0
    inferred = size is None
    checked = INVARIANT_CHECKS.enabled if check_invariants is None else check_invariants
    # PyTorch takes a block tensor's values of too few dimensions as they are under a given size
    if values.dim() <= nbatch + block and (inferred or checked or kind == "CSR"):
        raise RuntimeError(f"values must have dimensionality > sum of batch and block dimensionalities "
                           f"(={nbatch} + {block}) but got {values.dim()}")
    if inferred:
        size = _inferred_size(crow, col, values, kind)
    size = tuple(int(n) for n in size)
    if any(n < 0 for n in size):
        raise RuntimeError("numel: integer multiplication overflow")
    if checked:
        _check_invariants(crow, col, values, size, kind)
    if values.requires_grad and inferred:
        values = _no_derivative(values)
    elif values.requires_grad:  # the result is a node of the values' graph, never a leaf
        values = named(values, "SparseCompressedTensorBackward0")
    elif requires_grad:
        if not (values.dtype.is_floating_point or values.dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        values = values.detach().requires_grad_(True)
    if kind != "CSR":
        from ._sparse_bsr import _KINDS

        return make(crow.detach(), col.detach(), values, size, _KINDS[kind])
    return make(crow.detach(), col.detach(), values, size)


# ---------------------------------------------------------------------- factories


def empty_csr(size, dtype=None, requires_grad: bool = False, *, op: str = "zeros", csc: bool = False) -> Any:
    """A CSR (or `csc`) tensor of `size` with no elements, leading dims past the last two
    as batch dims (PyTorch's `zeros(size, layout=sparse_csr)`)."""
    from ._creation import zeros

    shape = tuple(int(n) for n in size)
    if len(shape) < 2:
        raise RuntimeError(f"ferrograd.{op}: Only batched sparse compressed (non-block) tensors are supported, but "
                           f"got size {list(shape)}")
    batch = shape[:-2]
    values = zeros((*batch, 0), dtype=dtype)
    if requires_grad:
        values.requires_grad_(True)
    if csc:
        from ._sparse_csc import SparseCscTensor

        return make(long_tensor(np.zeros((*batch, shape[-1] + 1))), long_tensor(np.zeros((*batch, 0))), values, shape,
                    SparseCscTensor)
    return make(long_tensor(np.zeros((*batch, shape[-2] + 1))), long_tensor(np.zeros((*batch, 0))), values, shape)


def _empty_blocked(like: Any, dtype, requires_grad: bool) -> Any:
    """A blocked tensor like `like` (its size and blocksize) with no blocks."""
    from ._creation import zeros

    nbatch = like._batch_dim()
    batch, values = like._fg_size[:nbatch], like._fg_values
    empty = zeros((*batch, 0, *values.shape[nbatch + 1:]), dtype=dtype)
    if requires_grad:
        empty.requires_grad_(True)
    return make(long_tensor(np.zeros((*batch, like._grid()[like._fg_kind == "BSC"] + 1))),
                long_tensor(np.zeros((*batch, 0))), empty, like._fg_size, type(like))


def csr_factory(name: str, args: tuple, kwargs: dict) -> Any:
    """`zeros`/`empty`/`zeros_like`/`empty_like` with `layout=ferrograd.sparse_csr`, and
    the `*_like` factories of a CSR input: an empty CSR tensor for zeros, one on the
    input's indices for empty, ones and full (PyTorch's)."""
    from ._device import check_device
    from ._sparse_csr import derived, unsupported

    check_device(kwargs.get("device"))
    from . import _memory_format

    dtype, requires_grad = kwargs.get("dtype"), kwargs.get("requires_grad", False)
    layout = kwargs.get("layout")
    if layout is _memory_format.sparse_bsr or layout is _memory_format.sparse_bsc:
        raise RuntimeError(f"{name.removesuffix('_like')}_sparse_compressed expected sparse compressed (non-block) "
                           f"tensor layout but got {_LAYOUT_NAMES[layout._name]}")
    csc = layout is _memory_format.sparse_csc
    if not name.endswith("_like"):
        size = args[0] if len(args) == 1 and not isinstance(args[0], int) else args or kwargs["size"]
        return empty_csr(size, dtype, requires_grad, op=name, csc=csc)
    like = args[0] if args else kwargs["input"]
    dtype = like.dtype if dtype is None else dtype
    if "layout" not in kwargs:
        csc = like.layout is _memory_format.sparse_csc
    if name == "zeros_like" and getattr(like, "_fg_kind", "") in ("BSR", "BSC"):
        return _empty_blocked(like, dtype, requires_grad)
    if name == "zeros_like" or not isinstance(like, SparseCsrTensor):
        return empty_csr(like.shape, dtype, requires_grad, op=name, csc=csc)
    if name not in ("empty_like", "ones_like", "full_like"):
        raise unsupported("uniform_")
    from ._creation import full

    fill = args[1] if len(args) > 1 else kwargs.get("fill_value", 0 if name == "empty_like" else 1)
    values = full(tuple(like._fg_values.shape), fill, dtype=dtype)
    if requires_grad:
        values.requires_grad_(True)
    return derived(like, values)
