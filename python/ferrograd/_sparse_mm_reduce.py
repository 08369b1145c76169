"""`sparse.mm(csr, dense, reduce=...)`: each output row reduces, over the stored entries
of that row of the CSR matrix, the products `value * dense[col]` ("sum", "mean",
"amax"/"max", "amin"/"min"); a row without stored entries is zero. Written with dense
ops on the CSR values, so gradients reach both operands."""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._memory_format import strided

_REDUCTIONS = {"sum": "sum", "mean": "mean", "amax": "amax", "max": "amax", "amin": "amin", "min": "amin"}


def sparse_mm_reduce(mat1: Tensor, mat2: Tensor, reduce: str) -> Tensor:
    from ._creation import arange, zeros
    from ._dtype_names import scalar_name

    if mat2.layout != strided:
        raise RuntimeError(f"Expected tensor to have Strided Layout, but got tensor with {_layout_name(mat2)} "
                           "Layout (while checking arguments for sparse_mm_reduce)")
    if mat2.dtype != mat1.dtype:
        raise RuntimeError(f"Expected tensor for argument #1 'other' to have scalar type {scalar_name(mat1.dtype)}; "
                           f"but got {_legacy_name(mat2.dtype)} instead (while checking arguments for "
                           "sparse_mm_reduce)")
    rows, cols = mat1.shape[0], mat1.shape[1]
    if mat2.dim() == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if mat2.dim() != 2 or mat2.shape[0] != cols:
        raise RuntimeError(f"Expected a tensor of dimension 2 and tensor.size[0] == {cols} but got: dimension "
                           f"{mat2.dim()} and tensor.size[0] = {mat2.shape[0] if mat2.dim() else 0}")
    kind = _REDUCTIONS.get(reduce)
    if kind is None:
        raise RuntimeError(f"reduce argument must be either sum, mean, amax or amin, got {reduce}")
    crow, col, values = mat1.crow_indices(), mat1.col_indices(), mat1._fg_values
    counts = crow[1:] - crow[:-1]
    row_of = arange(rows).repeat_interleave(counts) if rows else crow[:0]
    products = values.unsqueeze(1) * mat2.index_select(0, col)
    width = mat2.shape[1]
    base = zeros((rows, width), dtype=products.dtype)
    if kind in ("sum", "mean"):
        out = base.index_add(0, row_of, products)
        if kind == "mean":
            out = out / counts.clamp(min=1).unsqueeze(1).to(out.dtype)
    else:
        # started from the identity (+-inf), not zeros: scatter_reduce's gradient would
        # share a tie with a starting zero even when it is excluded
        start = base.fill_(float("inf") if kind == "amin" else float("-inf"))
        index = row_of.unsqueeze(1).expand(-1, width)
        reduced = start.scatter_reduce(0, index, products, kind, include_self=False)
        out = reduced.where((counts > 0).unsqueeze(1), zeros((), dtype=reduced.dtype))
    return _core._named_node(out, "SparseMmReduceImplBackward0") if out.grad_fn is not None else out


def _layout_name(t: Tensor) -> str:
    return {"sparse_csr": "SparseCsr", "sparse_coo": "Sparse"}.get(str(t.layout).split(".")[-1], "Strided")


def _legacy_name(dtype) -> str:
    from ._dtype_names import scalar_name

    return f"torch.{scalar_name(dtype)}Tensor".replace("torch.", "ferrograd.")
