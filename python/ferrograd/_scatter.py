"""The scatter family (`scatter`, `scatter_add`, `scatter_reduce`, `index_add`,
`index_copy`, `index_fill`, `index_reduce`, `masked_scatter`, `put`) and `take`.

PyTorch's argument rules and messages live here; NumPy works out which element of the
output each value lands on (row-major positions), and the core combines the values with
the op's reduction and records the op's node (`src/ops/scatter.rs`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Number

from . import _core
from . import _saved_values as saved_values
from ._argcheck import checked_integer, need_index_tensor, real_part_of
from ._argcheck import dim_error as _dim_error
from ._argcheck import need_tensor as _need_tensor
from ._core import Tensor
from ._dtype_names import scalar_name
from ._float8_scatter import refuse_index_add, refuse_index_reduce, refuse_scatter
from ._masked_scatter_node import masked_scatter_node
from ._numpy import is_ndarray, np
from ._parser_check import parser_error
from ._shell_dtypes import SHELL_UNSIGNED, is_float8, refuse_complex32, refuse_float8
from ._shell_dtypes import refuse as refuse_shell
from ._shell_unsigned import SIGNED_TWIN
from ._user_warning import triggered_internally, warn_once_at_caller

__all__ = [
    "index_add",
    "index_copy",
    "index_fill",
    "index_reduce",
    "masked_scatter",
    "put",
    "scatter",
    "scatter_add",
    "scatter_reduce",
    "take",
]

def _type_name(t: Tensor) -> str:
    return scalar_name(t.dtype)


def _is_index_dtype(t: Tensor) -> bool:
    return str(t.dtype).endswith(("int64", "int32"))


def _index_values(index: Tensor) -> np.ndarray:
    return np.asarray(index.numpy(), dtype=np.int64)


def _dim(ndim: int, dim: int) -> int:
    if isinstance(dim, bool) or not hasattr(type(dim), "__index__"):
        raise TypeError(f"argument 'dim' (position 1) must be int, not {type(dim).__name__}")
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def _shape(t: Tensor) -> tuple[int, ...]:
    """The shape with a 0-dim tensor counted as 1-D (PyTorch's rule for these ops)."""
    return tuple(t.shape) if t.dim() else (1,)


def _strides(shape: tuple[int, ...]) -> list[int]:
    out, acc = [], 1
    for s in reversed(shape):
        out.append(acc)
        acc *= s
    return out[::-1]


def _positions_along(shape: tuple[int, ...], dim: int, idx: np.ndarray) -> np.ndarray:
    """Row-major positions in `shape` of the cells of an `idx`-shaped grid whose
    coordinate along `dim` is replaced by `idx` (the others are the grid's own)."""
    strides = _strides(shape)
    pos = idx.astype(np.int64) * strides[dim]
    for k, size in enumerate(idx.shape):
        if k != dim:
            view = [1] * idx.ndim
            view[k] = size
            pos = pos + np.arange(size, dtype=np.int64).reshape(view) * strides[k]
    return np.ascontiguousarray(pos, dtype=np.int64)


def _pos_tensor(pos: np.ndarray) -> Tensor:
    from ._creation import as_tensor

    # ascontiguousarray makes a 0-dim array 1-dim: the shape is restored
    return as_tensor(np.ascontiguousarray(pos, dtype=np.int64).reshape(pos.shape))


def _check_bounds(idx: np.ndarray, size: int, dim: int, exc: type[Exception] = RuntimeError, prefix: str = "") -> None:
    bad = idx[(idx < 0) | (idx >= size)]
    if bad.size:
        raise exc(f"{prefix}index {int(bad.flat[0])} is out of bounds for dimension {dim} with size {size}")


def _empty_slices(shape: tuple, dim: int) -> bool:
    """Whether the slices along `dim` hold no elements (PyTorch's kernels then check no
    index: `zeros(3, 0).index_add(0, tensor([5]), zeros(1, 0))` passes)."""
    return len(shape) > 1 and math.prod(shape[:dim] + shape[dim + 1:]) == 0


def _wrap_negative(idx: np.ndarray, size: int, dim: int) -> np.ndarray:
    bad = idx[(idx < -size) | (idx >= size)]
    if bad.size:  # PyTorch names the index as given
        raise IndexError(f"index {int(bad.flat[0])} is out of bounds for dimension {dim} with size {size}")
    return np.where(idx < 0, idx + size, idx)


def _check_fill_restride(input: Tensor, d: int, count: int, inplace: bool) -> None:
    """PyTorch's index_fill restrides its self to size 1 and stride 0 along `d`; a self
    with no slices along `d` (storage of no bytes when out of place, a fresh clone) then
    fails that restriding when any index is given."""
    shape = list(input.shape)
    if not shape or shape[d] != 0 or count == 0:
        return
    sizes, strides = list(shape), list(input.stride())
    sizes[d], strides[d] = 1, 0
    offset = input.storage_offset() if inplace else 0
    available = input.untyped_storage().nbytes() if inplace else 0
    itemsize = input.element_size()
    needed = 0 if 0 in sizes else itemsize * (offset + 1 + sum((n - 1) * st for n, st in zip(sizes, strides)))
    if needed > available:
        raise RuntimeError(
            f"setStorage: sizes {sizes}, strides {strides}, storage offset {offset}, and itemsize {itemsize} "
            f"requiring a storage size of {needed} are out of bounds for storage of size {available}")


def _flat_input(t: Tensor) -> Tensor:
    return t.reshape(1) if t.dim() == 0 else t


def _float8_refusal(input: Tensor, refuse: Callable[[], None]) -> Callable[[], None] | None:
    return refuse if is_float8(input) else None


def _refuse_overlap(inplace: bool, input: Tensor, source) -> None:
    """PyTorch's in-place scatters refuse a source sharing memory with what they write."""
    if inplace and isinstance(source, Tensor):
        _core._check_mem_overlap(input, source, True)


# the kernels PyTorch names when they have no case for a shell unsigned dtype (the
# scatter ops name scatter_gather_tensor_cpu or scatter_gather_scalar_cpu)
_SHELL_KERNELS = {
    "index_add": "index_add_", "put": "take_put_cpu", "index_copy": "index_copy_cpu",
    "index_fill": "index_fill_cpu", "index_fill_tensor": "index_fill_cpu", "masked_scatter": "masked_scatter",
}


def _shell_kernel(op: str, input: Tensor, values, reduce: str, include_self: bool) -> str:
    """The kernel PyTorch names when it refuses `op` for a uint16/32/64 `input`."""
    if op == "index_add" and input.dim() > 1:
        return "scatter_gather_tensor_cpu"  # PyTorch adds into a matrix with scatter_add
    if op == "scatter_reduce":
        if not include_self:
            return "scatter_reduce_exclude_input_init"
        if reduce in ("mean", "amax", "amin"):
            return f"scatter_gather_tensor_cpu_reduce_{reduce}"
    if op == "index_reduce":
        if not include_self:
            return "index_reduce_func_exclude_input_init"
        if input.dim() <= 1:
            return "index_func_"
        return {"mean": "add_stub", "amax": "maximum_cpu", "amin": "minimum_cpu"}[reduce]
    default = "scatter_gather_tensor_cpu" if isinstance(values, Tensor) else "scatter_gather_scalar_cpu"
    return _SHELL_KERNELS.get(op, default)


def _unsigned_index_prod(input: Tensor, pos: np.ndarray, values: Tensor, inplace: bool) -> Tensor:
    """index_reduce's product of uint16/32/64 (PyTorch has that kernel): the same bits as
    the wrapping product of the signed type of that width."""
    twin = SIGNED_TWIN[input.dtype]
    run = _core._scatter_ if inplace else _core._scatter
    out = run("index_reduce", input.view(twin), _pos_tensor(pos), values.view(twin), "prod", True)
    return input if inplace else out.view(input.dtype)


def _run(op: str, input: Tensor, pos: np.ndarray, values, reduce: str = "replace", include_self: bool = True,
         inplace: bool = False) -> Tensor:
    if input.dtype in SHELL_UNSIGNED:
        if op == "index_reduce" and reduce == "prod" and include_self and input.dim() > 1:
            return _unsigned_index_prod(input, pos, values, inplace)
        refuse_shell(_shell_kernel(op, input, values, reduce, include_self), input)
    if op not in ("index_add", "index_copy", "index_fill", "index_fill_tensor"):
        # PyTorch's CPU build has index_add/copy/fill for complex32, not these
        default = "scatter_gather_tensor_cpu" if isinstance(values, Tensor) else "scatter_gather_scalar_cpu"
        refuse_complex32(_SHELL_KERNELS.get(op, default), input)
    if inplace:
        return _core._scatter_(op, input, _pos_tensor(pos), values, reduce, include_self)
    return _core._scatter(op, input, _pos_tensor(pos), values, reduce, include_self)


# --- scatter, scatter_add, scatter_reduce ---------------------------------------------

_SCATTER_REDUCE = {"sum": "sum", "prod": "prod", "mean": "mean", "amax": "amax", "amin": "amin",
                   "max": "amax", "min": "amin"}
_LEGACY_REDUCE = {"add": "sum", "multiply": "prod"}


def _src_too_small(idx_shape: tuple[int, ...], src: Tensor) -> bool:
    """Whether `src` is smaller than the index in some dimension; like PyTorch, a
    dimension the index has and a 1-D or larger `src` lacks is an IndexError."""
    for k, size in enumerate(idx_shape):
        if src.dim() and k >= src.dim():
            n = src.dim()
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {k})")
        if size > (src.shape[k] if src.dim() else 1):
            return True
    return False


def _scatter_positions(input: Tensor, dim: int, index: Tensor, src: Tensor | None,
                       refuse_dtype: Callable[[], None] | None = None,
                       reduce_error: str | None = None) -> tuple[np.ndarray, int]:
    """The flat positions `index` writes, after PyTorch's checks in its order (an empty
    index skips those of its dtype and shape); `reduce_error` is raised where PyTorch
    refuses the reduction, `refuse_dtype` runs where its kernel would refuse the dtype
    (both before the bounds)."""
    need_index_tensor("scatter", index)
    d = _dim(input.dim(), dim)
    empty = index.numel() == 0
    if not empty and not _is_index_dtype(index):
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    if src is not None and src.dtype != input.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    shape = _shape(input)
    idx = np.zeros(0, dtype=np.int64) if empty else _index_values(index)
    if idx.ndim == 0:
        idx = idx.reshape(1)
    if not empty:
        _check_scatter_shapes(shape, d, idx.shape, src)
    if reduce_error is not None:
        raise RuntimeError(reduce_error)
    if empty:
        return idx, d
    if refuse_dtype is not None:
        refuse_dtype()
    _check_bounds(idx, shape[d], d)
    return _positions_along(shape, d, idx), d


def _check_scatter_shapes(shape: tuple[int, ...], d: int, idx_shape: tuple[int, ...], src: Tensor | None) -> None:
    if len(idx_shape) != len(shape):
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    too_big = any(k != d and idx_shape[k] > shape[k] for k in range(len(idx_shape)))
    if src is None:
        if too_big:
            raise RuntimeError(
                f"Expected index {list(idx_shape)} to be no larger than self {list(shape)} apart from dimension {d}"
            )
        return
    too_big = too_big or _src_too_small(idx_shape, src)
    if max(src.dim(), 1) != len(idx_shape):
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    if too_big:
        raise RuntimeError(
            f"Expected index {list(idx_shape)} to be no larger than self {list(shape)} apart from dimension {d} "
            f"and to be no larger size than src {list(src.shape)}"
        )


def _src_part(src: Tensor, idx_shape: tuple[int, ...]) -> Tensor:
    """The leading `idx_shape` block of `src` (the part that is scattered)."""
    src = _flat_input(src)
    if tuple(src.shape) == idx_shape:
        return src
    return src[tuple(slice(0, n) for n in idx_shape)]


# PyTorch's warning for `scatter(..., src, reduce=...)`
_REDUCE_DEPRECATED = triggered_internally(
    "The reduce argument of torch.scatter with Tensor src is deprecated and will be removed in a future PyTorch "
    "release. Use torch.scatter_reduce instead for more reduction options.", "native/TensorAdvancedIndexing.cpp:225")


def _scatter_impl(input: Tensor, dim: int, index: Tensor, src, value, reduce, inplace: bool) -> Tensor:
    if src is None and value is None:
        raise TypeError("scatter() missing 1 required positional argument: 'src' or 'value'")
    if src is None:
        src = value
    if is_ndarray(src):  # PyTorch's parser takes a NumPy scalar as a Number, not an array
        kwargs = {} if reduce is None else {"reduce": reduce}
        raise parser_error("scatter", (input, dim, index, src), kwargs) or TypeError("scatter(): invalid src")
    is_tensor = isinstance(src, Tensor)
    if reduce is not None and is_tensor:  # PyTorch's meta function warns before any check
        warn_once_at_caller(_REDUCE_DEPRECATED)
    bad_reduce = reduce is not None and reduce not in _LEGACY_REDUCE
    pos, _ = _scatter_positions(input, dim, index, src if is_tensor else None,
                                _float8_refusal(input, lambda: refuse_scatter(input, dim, index, src)),
                                "reduce argument must be either add or multiply." if bad_reduce else None)
    if is_tensor:
        values = _src_part(src, pos.shape) if pos.size else src.reshape(-1)[:0]
        op = "scatter"
    else:
        src = real_part_of(src, input.dtype)
        _core._check_scalar(src, input.dtype)
        values, op = src, "scatter_value"
    _refuse_overlap(inplace, input, src)
    if reduce is not None:
        return _run("scatter_legacy", input, pos, values, _LEGACY_REDUCE[reduce], True, inplace)
    out = _run(op, input, pos, values, inplace=inplace)
    if out.grad_fn is not None:
        saved_values.keep(out, "ScatterBackward0" if is_tensor else "ScatterBackward1",
                          {"dim": saved_values.c_int(dim), "index": index})
    return out


def scatter(input: Tensor, dim: int, index: Tensor, src=None, *, value=None, reduce: str | None = None) -> Tensor:
    """A copy of `input` with values written along `dim` at `index`: for dim 0,
    `out[index[i][j]][j] = src[i][j]`.

    Args:
        input: the tensor written into.
        dim: the dimension that `index` indexes.
        index: an int64 tensor of positions along `dim`, with as many dimensions as
            `input`.
        src: the values, a tensor (at least as large as `index`) or a number.
        value: a number to write instead of `src`.
        reduce: None to overwrite, or 'add' / 'multiply' to combine with the values
            there (PyTorch's older form).
    """
    return _scatter_impl(input, dim, index, src, value, reduce, False)


def _scatter_add_impl(input: Tensor, dim: int, index: Tensor, src: Tensor, inplace: bool, src_at: int = 4) -> Tensor:
    _need_tensor("scatter_add_" if inplace else "scatter_add", "src", src_at, src)
    pos, _ = _scatter_positions(input, dim, index, src,
                                _float8_refusal(input, lambda: refuse_scatter(input, dim, index, src, "add")))
    values = _src_part(src, pos.shape) if pos.size else src.reshape(-1)[:0]
    _refuse_overlap(inplace, input, src)
    out = _run("scatter_add", input, pos, values, "sum", True, inplace)
    if out.grad_fn is not None:
        saved_values.keep(out, "ScatterAddBackward0", {"dim": saved_values.c_int(dim), "index": index})
    return out


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of `input` with the values of `src` added along `dim` at `index`: for dim
    0, `out[index[i][j]][j] += src[i][j]` (repeated positions accumulate).

    Args:
        input: the tensor added into.
        dim: the dimension that `index` indexes.
        index: an int64 tensor of positions along `dim`, with as many dimensions as
            `input`.
        src: the values, a tensor of the dtype of `input`.
    """
    return _scatter_add_impl(input, dim, index, src, False)


def _scatter_reduce_impl(input, dim, index, src, reduce, include_self, inplace, src_at: int = 4) -> Tensor:
    _need_tensor("scatter_reduce_" if inplace else "scatter_reduce", "src", src_at, src)
    bad_reduce = reduce not in _SCATTER_REDUCE
    pos, _ = _scatter_positions(
        input, dim, index, src,
        _float8_refusal(input, lambda: refuse_scatter(input, dim, index, src, _SCATTER_REDUCE[reduce], include_self)),
        f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}" if bad_reduce else None)
    if input.dtype.is_complex and _core.is_grad_enabled() and (input.requires_grad or src.requires_grad):
        raise RuntimeError("scatter_reduce does not support automatic differentiation for outputs with complex dtype.")
    values = _src_part(src, pos.shape) if pos.size else src.reshape(-1)[:0]
    _refuse_overlap(inplace, input, src)
    return _run("scatter_reduce", input, pos, values, _SCATTER_REDUCE[reduce], include_self, inplace)


def scatter_reduce(input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """A copy of `input` with the values of `src` combined into the positions along
    `dim` given by `index`.

    Args:
        input: the tensor reduced into.
        dim: the dimension that `index` indexes.
        index: an int64 tensor of positions along `dim`, with as many dimensions as
            `input`.
        src: the values, a tensor of the dtype of `input`.
        reduce: how values meeting at one position combine: 'sum', 'prod', 'mean',
            'amax' or 'amin'.
        include_self: whether the values already in `input` take part in the reduction
            (default True).
    """
    return _scatter_reduce_impl(input, dim, index, src, reduce, include_self, False)


# --- index_add, index_copy, index_fill, index_reduce ----------------------------------


def _index_vector(index: Tensor, op: str) -> np.ndarray:
    need_index_tensor(op, index)
    return _index_values(index).reshape(-1)


def _slices_positions(shape: tuple[int, ...], d: int, idx: np.ndarray) -> np.ndarray:
    """Positions of the slices `input.select(d, i)` for each `i` in `idx`, laid out like
    a source of shape `shape` with `len(idx)` along `d`."""
    grid = list(shape)
    grid[d] = idx.size
    view = [1] * len(shape)
    view[d] = idx.size
    return _positions_along(shape, d, np.broadcast_to(idx.reshape(view), grid))


def _check_index_func_source(input: Tensor, d: int, numel: int, source: Tensor, op: str) -> None:
    """`source` against `input` as PyTorch's `index_func_meta_impl` checks it for
    index_add and index_reduce, in its order (a 0-dim tensor counts as one slice)."""
    if not (d == 0 or d < source.dim()):
        raise RuntimeError(f"{op}(): Indexing dim {d} is out of bounds of the source tensor with dim {source.dim()}")
    if numel != (1 if source.dim() == 0 else source.shape[d]):
        if source.dim() == 0:  # PyTorch's message reads source.size(dim) of the 0-dim source
            raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
        raise RuntimeError(
            f"{op}(): Number of indices ({numel}) should be equal to source.size(dim): ({source.shape[d]}), for dim: {d}"
        )
    self_sizes, source_sizes = list(input.shape), list(source.shape)
    if source.dim() != 0 and input.dim() != 0:
        del self_sizes[d], source_sizes[d]
    if self_sizes != source_sizes:
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified dimension. "
            f"Got self.shape = {list(input.shape)} source.shape = {list(source.shape)}"
        )


def _check_index_copy_ranks(input: Tensor, numel: int, source: Tensor) -> None:
    """The first of PyTorch's index_copy checks of `source`, before the dtype checks."""
    if source.dim() == 0 and numel != 1:
        raise IndexError(f"index_copy_(): When source is scalar, index should have one element (got {numel})")
    if source.dim() != input.dim() and source.dim() != 0 and input.dim() != 0:
        raise IndexError(
            "index_copy_(): When source and destination are not scalars, their dimensionality must match. "
            f"Source dimensionality ({source.dim()}), destination dimensionality ({input.dim()})"
        )


def _check_index_copy_slices(input: Tensor, d: int, numel: int, source: Tensor) -> None:
    """The rest of PyTorch's index_copy checks of `source`: slice shapes, then count."""
    self_sliced, source_sliced = list(input.shape), list(source.shape)
    if self_sliced:
        del self_sliced[d]
    if source_sliced:
        del source_sliced[d]
    if self_sliced != source_sliced:
        shown = (" ".join(str(n) for n in sizes) for sizes in (self_sliced, source_sliced))
        raise RuntimeError(
            "index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: "
            f"{next(shown)} at dimension {d} and source slice shape: {next(shown)} at dimension 0."
        )
    if source.dim() != 0 and numel != source.shape[d]:
        raise IndexError(f"index_copy_(): Number of indices ({numel}) should be equal to source.size(dim) "
                         f"({source.shape[d]})")


def _index_add_impl(input, dim, index, source, alpha, inplace) -> Tensor:
    d = _dim(input.dim(), dim)
    need_index_tensor("index_add", index)
    if index.dim() > 1:
        raise IndexError(
            f"index_add_(): Index is supposed to be a vector, but got dim: {index.dim()} with type: "
            f"{_type_name(index)} and size: {list(index.shape)}"
        )
    if not _is_index_dtype(index):
        raise RuntimeError(f"index_add_(): Expected dtype int32/int64 for index but got: {_type_name(index)}")
    idx = _index_vector(index, "index_add")
    if source.dtype != input.dtype:
        raise RuntimeError(
            f"index_add_(): self ({_type_name(input)}) and source ({_type_name(source)}) must have the same scalar type"
        )
    _check_index_func_source(input, d, idx.size, source, "index_add_")
    if is_float8(input):
        refuse_index_add(input, d, idx.size, source, alpha)
    shape = _shape(input)
    if input.dim() <= 1 and ((idx < 0) | (idx >= (shape[d] if shape else 1))).any():
        raise IndexError("index out of range in self")  # PyTorch's kernel for vectors words it so
    values = _flat_input(source)
    if input.dim() > 1 and input.numel() == 0:
        idx, values = idx[:0], values[:0]  # PyTorch's kernel returns before it reads an index
    _check_bounds(idx, shape[d], d)
    _refuse_overlap(inplace, input, source)
    alpha = real_part_of(alpha, input.dtype)  # PyTorch converts alpha to the input's dtype
    integral = not (input.dtype.is_floating_point or input.dtype.is_complex or input.dtype == _core.bool)
    if integral and isinstance(alpha, (int, float)):
        alpha = checked_integer(alpha, input.dtype)  # PyTorch converts alpha to the integer dtype
    given_alpha = alpha
    if alpha != 1:
        values = values * alpha
    out = _run("index_add", input, _slices_positions(shape, d, idx), values, "sum", True, inplace)
    return saved_values.keep_more(out, "IndexAddBackward0", {
        "alpha": given_alpha, "dim": saved_values.c_int(dim), "index": index, "source": source,
        "source_dim": source.dim()})


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha=1) -> Tensor:
    """A copy of `input` with `alpha * source` added to the slices along `dim` picked by
    `index` (repeated indices accumulate).

    Args:
        input: the tensor added into.
        dim: the dimension along which slices are picked.
        index: a 1-D int64 tensor: slice i of `source` goes to slice `index[i]` of
            `input`.
        source: the values, with `len(index)` slices along `dim`.
        alpha: multiplier of `source` (default 1).
    """
    return _index_add_impl(input, dim, index, source, alpha, False)


def _index_copy_impl(input, dim, index, source, inplace) -> Tensor:
    if inplace:
        from ._mathops import _refuse_leaf

        _refuse_leaf(input)  # autograd's check comes before the kernel's
    d = _dim(input.dim(), dim)
    need_index_tensor("index_copy", index)
    if index.dim() > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {index.dim()})")
    _check_index_copy_ranks(input, index.numel(), source)
    if index.dtype is not _core.int64:
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got {_type_name(index)}")
    idx = _index_vector(index, "index_copy")
    if source.dtype != input.dtype:
        raise RuntimeError(
            "index_copy_(): self and source expected to have the same dtype, but got (self) "
            f"{_type_name(input)} and (source) {_type_name(source)}"
        )
    _check_index_copy_slices(input, d, idx.size, source)
    if is_float8(input):
        _refuse_overlap(inplace, input, source)
        refuse_float8("index_copy_cpu", input)
    shape = _shape(input)
    if input.dim() == 1 and input.numel() == 0 and idx.size:
        size = input.element_size()  # PyTorch's kernel restrides the empty self before reading an index
        raise RuntimeError(f"setStorage: sizes [1], strides [0], storage offset 0, and itemsize {size} requiring a "
                           f"storage size of {size} are out of bounds for storage of size 0")
    if not _empty_slices(shape, d):
        _check_bounds(idx, shape[d], d, IndexError, "index_copy_(): ")
    _refuse_overlap(inplace, input, source)
    return _run("index_copy", input, _slices_positions(shape, d, idx), _flat_input(source), inplace=inplace)


def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of `input` with the slices along `dim` picked by `index` replaced by those
    of `source`.

    Args:
        input: the tensor copied into.
        dim: the dimension along which slices are picked.
        index: a 1-D int64 tensor: slice i of `source` goes to slice `index[i]` of
            `input`.
        source: the values, with `len(index)` slices along `dim`.
    """
    return _index_copy_impl(input, dim, index, source, False)


def _unique_slices(idx: np.ndarray, shape: tuple[int, ...], d: int) -> np.ndarray:
    """The slices index_fill fills: a slice named twice is filled once (its value's
    gradient counts it once)."""
    return idx[:0] if _empty_slices(shape, d) else np.unique(_wrap_negative(idx, shape[d], d))


def _index_fill_impl(input, dim, index, value, inplace) -> Tensor:
    if isinstance(index, Tensor) and index.dtype is not _core.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    d = _dim(input.dim(), dim)
    idx = _index_vector(index, "index_fill")
    if index.dim() > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    shape = _shape(input)
    op = "index_fill"
    complex_value = isinstance(value, complex) or isinstance(value, Tensor) and value.dtype.is_complex
    if complex_value and not input.dtype.is_complex:
        raise RuntimeError("index_fill_(): Converting complex Scalar to non-complex type is not supported")
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(
                f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.dim()} dimension(s)."
            )
        if value.requires_grad:
            op = "index_fill_tensor"
        else:
            value = value.item()
    elif not isinstance(value, Number):
        raise TypeError(f"index_fill(): argument 'value' must be Number, not {type(value).__name__}")
    _check_fill_restride(input, d, idx.size, inplace)
    if input.dtype in SHELL_UNSIGNED:  # PyTorch refuses the dtype before the value
        refuse_shell(_SHELL_KERNELS[op], input)
    refuse_float8("index_fill_cpu", input)  # before the bounds, too
    if not isinstance(value, Tensor):
        _core._check_scalar(value, input.dtype)
    if not is_float8(input):
        idx = _unique_slices(idx, shape, d)  # the bounds last, in the kernel
    out = _run(op, input, _slices_positions(shape, d, idx), value, inplace=inplace)
    node = "IndexFillBackward1" if op == "index_fill_tensor" else "IndexFillBackward0"
    return saved_values.keep_more(out, node, {"dim": saved_values.c_int(dim), "index": index})


def index_fill(input: Tensor, dim: int, index: Tensor, value) -> Tensor:
    """A copy of `input` with the slices along `dim` picked by `index` set to `value`.

    Args:
        input: the tensor filled.
        dim: the dimension along which slices are picked.
        index: a 1-D (or 0-d) int64 tensor of positions along `dim`.
        value: a number or 0-d tensor.
    """
    return _index_fill_impl(input, dim, index, value, False)


_INDEX_REDUCE = ("prod", "mean", "amax", "amin")


_warned_index_reduce_beta = False


def _index_reduce_impl(input, dim, index, source, reduce, include_self, inplace) -> Tensor:
    global _warned_index_reduce_beta
    if not _warned_index_reduce_beta:  # PyTorch's TORCH_WARN_ONCE: once a process
        _warned_index_reduce_beta = True
        from ._user_warning import triggered_internally, warn_at_caller

        warn_at_caller(triggered_internally("index_reduce() is in beta and the API may change at any time.",
                                            "native/TensorAdvancedIndexing.cpp:1523"))
    if reduce not in _INDEX_REDUCE:
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}.")
    d = _dim(input.dim(), dim)
    need_index_tensor("index_reduce", index)
    if index.dim() > 1:
        raise IndexError(
            f"index_reduce_(): Index is supposed to be a vector, but got dim: {index.dim()} with type: "
            f"{_type_name(index)} and size: {list(index.shape)}"
        )
    if not _is_index_dtype(index):
        raise RuntimeError(f"index_reduce_(): Expected dtype int32/int64 for index but got: {_type_name(index)}")
    idx = _index_vector(index, "index_reduce")
    from ._complex import refuse_complex

    refuse_complex(input, "index_func_")
    if source.dtype != input.dtype:
        raise RuntimeError(
            f"index_reduce_(): self ({_type_name(input)}) and source ({_type_name(source)}) must have the same scalar type"
        )
    _check_index_func_source(input, d, idx.size, source, "index_reduce_")
    if is_float8(input):
        refuse_index_reduce(input, reduce, include_self)
    shape = _shape(input)
    _check_reduce_slices(input, d, idx, include_self, inplace)
    if idx.size and (idx.min() < 0 or idx.max() >= shape[d]):
        raise IndexError("index out of range in self")
    pos = _slices_positions(shape, d, idx)
    _refuse_overlap(inplace, input, source)
    return _run("index_reduce", input, pos, _flat_input(source), reduce, include_self, inplace)


def _check_reduce_slices(input: Tensor, d: int, idx: np.ndarray, include_self: bool, inplace: bool) -> None:
    """PyTorch's index_reduce without include_self first fills the picked slices of self
    (out of place, a fresh copy) with the reduction's start value by index_fill, with its checks;
    with include_self, its kernel for a self of more dims selects the first slice of an
    empty dim before any bounds check."""
    if not input.dim():
        return
    size = input.shape[d]
    if not include_self:
        _check_fill_restride(input, d, idx.size, inplace)
        _wrap_negative(idx, size, d)
    elif input.dim() > 1 and size == 0 and idx.size:
        raise IndexError(f"select(): index {int(idx.flat[0])} out of range for tensor of size {list(input.shape)} "
                         f"at dimension {d}")


def index_reduce(input: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *,
                 include_self: bool = True) -> Tensor:
    """A copy of `input` with the slices of `source` combined into the slices along
    `dim` picked by `index`.

    Args:
        input: the tensor reduced into.
        dim: the dimension along which slices are picked.
        index: a 1-D int64 tensor: slice i of `source` goes to slice `index[i]` of
            `input`.
        source: the values, with `len(index)` slices along `dim`.
        reduce: how slices meeting at one position combine: 'prod', 'mean', 'amax' or
            'amin'.
        include_self: whether the values already in `input` take part in the reduction
            (default True).
    """
    return _index_reduce_impl(input, dim, index, source, reduce, include_self, False)


# --- masked_scatter, put, take ----------------------------------------------------------


def _masked_scatter_impl(input, mask, source, inplace) -> Tensor:
    _need_tensor("masked_scatter", "mask", 2, mask)
    _need_tensor("masked_scatter", "source", 3, source)
    if mask.dtype is _core.uint8:
        from ._user_warning import triggered_internally, warn_at_caller

        warn_at_caller(triggered_internally(
            "masked_scatter_ received a mask with dtype torch.uint8, this behavior is now deprecated,please use a mask "
            "with dtype torch.bool instead.", "native/TensorAdvancedIndexing.cpp:3130"))
    if mask.dtype is not _core.bool:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype {_type_name(mask)}")
    if source.dtype != input.dtype:
        raise RuntimeError(
            "masked_scatter: expected self and source to have same dtypes but got"
            f"{_type_name(input)} and {_type_name(source)}"
        )
    given = input
    shape = tuple(input.shape)
    if inplace:
        mask.expand(shape)  # PyTorch's error for a mask that does not expand to self
    else:
        # Out of place, self and mask broadcast together.
        try:
            wide = np.broadcast_shapes(shape, tuple(mask.shape))
        except ValueError:
            wide = shape
        if wide != shape:
            input, shape = input.expand(tuple(wide)), wide
    try:
        m = np.broadcast_to(mask.numpy(), shape)
    except ValueError:
        a, b = list(mask.shape), list(shape)
        for k in range(1, max(len(a), len(b)) + 1):
            x = a[-k] if k <= len(a) else 1
            y = b[-k] if k <= len(b) else 1
            if x != y and 1 not in (x, y):
                raise RuntimeError(
                    f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton dimension "
                    f"{max(len(a), len(b)) - k}"
                ) from None
        raise
    refuse_float8("masked_scatter", input)
    pos = np.flatnonzero(m)
    if pos.size > source.numel():
        raise RuntimeError("Number of elements of source < number of ones in mask")
    return masked_scatter_node(given, mask, source, lambda: _run(
        "masked_scatter", input, pos, source.reshape(-1)[: pos.size], inplace=inplace), inplace)


def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """A copy of `input` whose elements where `mask` is True are taken from `source`, in
    row-major order.

    Args:
        input: the tensor written into.
        mask: a bool tensor broadcastable to `input`.
        source: the values, with at least as many elements as `mask` has True.
    """
    _need_tensor("masked_scatter", "input", 1, input)
    _need_tensor("masked_scatter", "mask", 2, mask)
    _need_tensor("masked_scatter", "source", 3, source)
    return _masked_scatter_impl(input, mask, source, False)


def _flat_index(input: Tensor, index: Tensor, op: str) -> np.ndarray:
    if index.dtype is not _core.int64:
        raise RuntimeError(f"{op}(): Expected a long tensor for index, but got {_type_name(index)}")
    idx = _index_values(index).reshape(-1)
    n = input.numel()
    if n == 0 and idx.size:
        raise IndexError("take(): tried to take from an empty tensor" if op == "take" else
                         "put_(): Tried to put elements into an empty tensor")
    bad = idx[(idx < -n) | (idx >= n)]
    if bad.size:
        raise IndexError(f"out of range: tried to access index {int(bad[0])} on a tensor of {n} elements.")
    return np.where(idx < 0, idx + n, idx)


def _put_impl(input, index, source, accumulate, inplace, kernel_checked: bool = False) -> Tensor:
    """`put`; `kernel_checked` for index_put's accumulation, whose caller has refused the
    dtypes its kernel lacks."""
    if not accumulate:  # duplicate positions make the written value unspecified
        from ._toplevel_misc import alert_not_deterministic

        alert_not_deterministic("put_")
    _need_tensor("put", "index", 2, index)
    _need_tensor("put", "source", 3, source)
    if not kernel_checked and is_float8(input) and index.dtype is _core.int64 and source.dtype == input.dtype \
            and 0 < index.numel() == source.numel():
        _refuse_overlap(inplace, input, source)
        refuse_float8("take_put_cpu", input)  # before the bounds
    if index.dtype is not _core.int64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {_type_name(index)}")
    if source.dtype != input.dtype:
        raise RuntimeError(
            "put_(): self and source expected to have the same dtype, but got self.dtype = "
            f"{_type_name(input)} and source.dtype = {_type_name(source)}"
        )
    if source.numel() != index.numel():
        raise IndexError(
            "put_(): Expected source and index to have the same number of elements, but got source.numel() = "
            f"{source.numel()}, index.numel() = {index.numel()}"
        )
    idx = _flat_index(input, index, "put_")  # the bounds, checked as the kernel runs
    _refuse_overlap(inplace, input, source)
    return _run("put", input, idx, source.reshape(-1), "sum" if accumulate else "replace", True, inplace)


def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """A copy of `input` with the elements of `source` written at the flat positions
    `index` (as if `input` were 1-D).

    Args:
        input: the tensor written into.
        index: an int64 tensor of flat positions (negative counts from the end).
        source: the values, with as many elements as `index`.
        accumulate: add the values to those there instead of overwriting them.
    """
    return _put_impl(input, index, source, accumulate, False)


def take(input: Tensor, index: Tensor) -> Tensor:
    """The elements of `input` at the flat positions `index` (as if `input` were 1-D),
    shaped like `index`.

    Args:
        input: the source tensor.
        index: an int64 tensor of flat positions (negative counts from the end).
    """
    _need_tensor("take", "input", 1, input)
    _need_tensor("take", "index", 2, index)
    if index.dtype is _core.int64 and index.numel():
        refuse_float8("take_cpu", input)  # before the bounds
    idx = _flat_index(input, index, "take").reshape(tuple(index.shape))
    refuse_shell("take_cpu", input)
    refuse_complex32("take_cpu", input)
    out = _core._take_flat(input, _pos_tensor(idx))
    return saved_values.keep_more(out, "TakeBackward0", {"index": index, "self": input})


# what a method's body raises for an argument of a type PyTorch's parser refuses first
_PARSER_REFUSED = (TypeError, AttributeError, RuntimeError, ValueError, IndexError)


def _parser_refusal(qualified: str, args: tuple, kwargs: dict, failure: Exception) -> Exception:
    """PyTorch's parser error for a failed call of these methods (too hot to be wrapped
    by `_argument_types`: the check runs on the error path only), else `failure`."""
    from ._parser_check import parser_error

    return parser_error(qualified, args, kwargs) or failure


def _methods(inplace: bool) -> dict:
    """The Tensor methods, in place or not (PyTorch's signatures)."""

    suffix = "_" if inplace else ""

    def scatter(self, dim, index, src=None, *, value=None, reduce=None):
        try:
            return _scatter_impl(self, dim, index, src, value, reduce, inplace)
        except _PARSER_REFUSED as failure:
            given = {k: v for k, v in (("value", value), ("reduce", reduce)) if v is not None}
            raise _parser_refusal("Tensor.scatter" + suffix, (dim, index) + ((src,) if src is not None else ()),
                                  given, failure) from failure

    def scatter_add(self, dim, index, src):
        try:
            return _scatter_add_impl(self, dim, index, src, inplace, src_at=3)
        except _PARSER_REFUSED as failure:
            raise _parser_refusal("Tensor.scatter_add" + suffix, (dim, index, src), {}, failure) from failure

    def scatter_reduce(self, dim, index, src, reduce, *, include_self=True):
        return _scatter_reduce_impl(self, dim, index, src, reduce, include_self, inplace, src_at=3)

    def index_add(self, dim, index, source, *, alpha=1):
        try:
            return _index_add_impl(self, dim, index, source, alpha, inplace)
        except _PARSER_REFUSED as failure:
            given = {} if type(alpha) is int and alpha == 1 else {"alpha": alpha}
            raise _parser_refusal("Tensor.index_add" + suffix, (dim, index, source), given, failure) from failure

    def index_copy(self, dim, index, source):
        try:
            return _index_copy_impl(self, dim, index, source, inplace)
        except _PARSER_REFUSED as failure:
            raise _parser_refusal("Tensor.index_copy" + suffix, (dim, index, source), {}, failure) from failure

    def index_fill(self, dim, index, value):
        return _index_fill_impl(self, dim, index, value, inplace)

    def index_reduce(self, dim, index, source, reduce, *, include_self=True):
        return _index_reduce_impl(self, dim, index, source, reduce, include_self, inplace)

    def masked_scatter(self, mask, source):
        try:
            return _masked_scatter_impl(self, mask, source, inplace)
        except _PARSER_REFUSED as failure:
            raise _parser_refusal("Tensor.masked_scatter" + suffix, (mask, source), {}, failure) from failure

    def put(self, index, source, accumulate=False):
        try:
            return _put_impl(self, index, source, accumulate, inplace)
        except _PARSER_REFUSED as failure:
            given = {} if accumulate is False else {"accumulate": accumulate}
            raise _parser_refusal("Tensor.put" + suffix, (index, source), given, failure) from failure

    return {
        "scatter": scatter,
        "scatter_add": scatter_add,
        "scatter_reduce": scatter_reduce,
        "index_add": index_add,
        "index_copy": index_copy,
        "index_fill": index_fill,
        "index_reduce": index_reduce,
        "masked_scatter": masked_scatter,
        "put": put,
    }


def _install() -> None:
    for suffix, inplace in (("", False), ("_", True)):
        for name, fn in _methods(inplace).items():
            fn.__name__ = fn.__qualname__ = name + suffix
            setattr(Tensor, name + suffix, fn)

    def take(self, index):
        return _take_method(self, index)

    Tensor.take = take


_take_method = take

_install()
