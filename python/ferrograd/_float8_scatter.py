"""The kernel PyTorch's CPU build names when it refuses an 8-bit float in the
scatter/gather family. Most ops name one kernel each, but gather, scatter_add,
scatter_reduce and index_add take a faster "expanded index" path (a dim-0 index that is
broadcast along the other dims, over contiguous tensors) whose kernel has its own name."""

from __future__ import annotations

from ._core import Tensor
from ._shell_dtypes import refuse_float8

# scatter-like ops take the expanded path only from this many elements per index row
_SCATTER_ROW_THRESHOLD = 16


def _expanded_index(written: Tensor, dim: int, index: Tensor, read: Tensor, scatter_like: bool) -> bool:
    if dim != 0 or 0 in (written.numel(), index.numel(), read.numel()):
        return False
    if 0 in (written.dim(), index.dim(), read.dim()):
        return False
    if any(read.shape[k] != index.shape[k] for k in range(1, index.dim())):
        return False
    if scatter_like and index.numel() // index.shape[0] < _SCATTER_ROW_THRESHOLD:
        return False
    strides = index.stride()
    if strides[0] != 1 or any(s != 0 for s in strides[1:]):
        return False
    return written.is_contiguous() and read.is_contiguous()


def gather_kernel(input: Tensor, dim: int, index: Tensor) -> str:
    return "gather_expanded_index" if _expanded_index(input, dim, index, input, False) else "scatter_gather_tensor_cpu"


def refuse_scatter(input: Tensor, dim: int, index: Tensor, src, reduce: str | None = None,
                   include_self: bool = True) -> None:
    """PyTorch's refusal of scatter / scatter_add / scatter_reduce for an 8-bit float
    `input` (none when `index` is empty: the kernel is not reached). `reduce` is None for
    scatter, "add" for scatter_add, else scatter_reduce's reduction."""
    if index.numel() == 0:
        return
    if not isinstance(src, Tensor):
        kernel = "scatter_gather_scalar_cpu"
    elif reduce is None:
        kernel = "scatter_gather_tensor_cpu"
    elif _expanded_index(input, dim, index, src, True):
        kernel = "scatter_add_expanded_index" if reduce == "add" else "scatter_reduce_expanded_index"
    elif reduce == "add":
        kernel = "scatter_gather_tensor_cpu"
    elif not include_self:
        kernel = "scatter_reduce_exclude_input_init"
    elif reduce in ("mean", "amax", "amin"):
        kernel = f"scatter_gather_tensor_cpu_reduce_{reduce}"
    else:
        kernel = "scatter_gather_tensor_cpu"
    refuse_float8(kernel, input)


def refuse_index_add(input: Tensor, dim: int, numel: int, source: Tensor, alpha) -> None:
    """index_add of an 8-bit float: a vector takes PyTorch's own kernel; a matrix or more
    goes through scatter_add (or, with an alpha, an add per slice)."""
    if input.dim() <= 1:
        refuse_float8("index_add_", input)
    elif numel and source.numel():
        if alpha != 1:
            refuse_float8("add_stub", input)
        elif dim == 0 and source.numel() // source.shape[0] >= _SCATTER_ROW_THRESHOLD \
                and input.is_contiguous() and source.is_contiguous():
            refuse_float8("scatter_add_expanded_index", input)
        else:
            refuse_float8("scatter_gather_tensor_cpu", input)


# index_reduce of a matrix or more combines whole slices with these kernels (prod has one)
_SLICE_KERNELS = {"mean": "add_stub", "amax": "maximum_cpu", "amin": "minimum_cpu"}


def refuse_index_reduce(input: Tensor, reduce: str, include_self: bool) -> None:
    if not include_self:
        refuse_float8("index_reduce_func_exclude_input_init", input)
    elif input.dim() <= 1:
        refuse_float8("index_func_", input)
    elif reduce in _SLICE_KERNELS:
        refuse_float8(_SLICE_KERNELS[reduce], input)
