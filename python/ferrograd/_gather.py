"""Index-driven selections composed on the core's position gather (`take`): NumPy works
out which element positions are picked, the core gathers them with a gradient."""

from __future__ import annotations

from . import _core
from . import _saved_values as saved_values
from ._argcheck import dim_error as _dim_error
from ._argcheck import need_index_tensor, need_int
from ._argcheck import need_tensor as _need_tensor
from ._core import Tensor
from ._dtype_names import scalar_name
from ._memory_format import _row_major_strides
from ._numpy import np
from ._shell_dtypes import refuse as refuse_shell
from ._shell_dtypes import refuse_complex32

__all__ = ["addmm", "gather", "index_select", "masked_select", "outer", "take_along_dim"]


def _positions(t: Tensor) -> np.ndarray:
    return np.arange(t.numel(), dtype=np.int64).reshape(tuple(t.shape))


def _positions_along(shape: tuple, d: int, picks: np.ndarray) -> np.ndarray:
    """The row-major positions in a tensor of `shape` of the elements picked along dim
    `d` by `picks` (shaped like the result; the other dims' coordinates are the result's
    own), built from the result's coordinates alone."""
    strides = _row_major_strides(shape)
    pos = picks.astype(np.int64, copy=False) * strides[d]
    for k, n in enumerate(picks.shape):
        if k != d and n > 1:
            coord = np.arange(n, dtype=np.int64).reshape((n,) + (1,) * (picks.ndim - k - 1)) * strides[k]
            pos = pos + coord
    return np.broadcast_to(pos, picks.shape)


def _index_array(index: Tensor, what: str) -> np.ndarray:
    need_index_tensor(what, index)
    if index.dtype not in (_core.int64, _core.int32):  # PyTorch takes int32 indices too
        allowed = "int32/int64" if what == "gather" else "int32 or int64"
        raise RuntimeError(f"{what}(): Expected dtype {allowed} for index")
    return index.numpy().astype(np.int64)


def _dim(t: Tensor, dim: int) -> int:
    n = max(t.dim(), 1)
    if not -n <= dim < n:
        raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


# the kernels PyTorch names when they have no case for a shell unsigned dtype
_SHELL_KERNELS = {"index_select": "index_select", "gather": "scatter_gather_tensor_cpu"}


def _take(t: Tensor, pos: np.ndarray, op: str) -> Tensor:
    from ._creation import tensor

    if op in _SHELL_KERNELS:
        refuse_shell(_SHELL_KERNELS[op], t)
    if op == "gather":
        refuse_complex32("scatter_gather_tensor_cpu", t)

    # asarray, not ascontiguousarray, which makes a 0-d array 1-d
    return _core._take(t, tensor(np.asarray(pos, dtype=np.int64, order="C")), op)


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """A new tensor of the slices of `input` along `dim` at the positions `index`, in
    that order.

    Args:
        input: the source tensor.
        dim: the dimension along which slices are picked.
        index: a 1-D (or 0-d) int64 tensor of positions.
    """
    need_int("index_select", "dim", 2, dim)
    need_index_tensor("index_select", index)
    # PyTorch checks the dim, then the index's rank, then its dtype
    d = _dim(input, dim)
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    idx = _index_array(index, "index_select")
    if input.dim() == 0 and idx.size > 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)")
    size = input.shape[d] if input.dim() else 1
    if size == 0 and input.dim() > 1 and idx.size:
        raise RuntimeError("index_select(): self indexing axis dim should be positive")
    bad = idx.reshape(-1)[(idx.reshape(-1) < 0) | (idx.reshape(-1) >= size)]
    if bad.size:
        # PyTorch's kernels word it apart: vectors and dim 0 of a non-empty tensor, or the rest
        if input.dim() <= 1 or (d == 0 and input.numel() > 0):
            raise IndexError("index out of range in self")
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={int(bad[0])} axis_dim={size}")
    if input.dim() == 0:
        out = np.zeros((), dtype=np.int64)
    else:
        shape = tuple(input.shape)
        picks = idx.reshape((1,) * d + (-1,) + (1,) * (len(shape) - d - 1))
        out = _positions_along(shape, d, np.broadcast_to(picks, shape[:d] + (idx.size,) + shape[d + 1:]))
    result = _take(input, out, "index_select")
    if result.grad_fn is not None:
        saved_values.keep(result, "IndexSelectBackward0",
                          {"dim": saved_values.c_int(dim), "index": index, "self_sym_sizes": tuple(input.shape)})
    return result


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """Values of `input` picked along `dim` at `index`: for dim 0, `out[i][j] =
    input[index[i][j]][j]`; the result is shaped like `index`.

    Args:
        input: the source tensor.
        dim: the dimension that `index` indexes.
        index: an int64 tensor with as many dimensions as `input` (no larger in the
            others).
        sparse_grad: PyTorch gives `input` a sparse gradient when True; ferrograd has no
            sparse tensors, so the gradient is always dense (with the same values).
    """
    need_int("gather", "dim", 2, dim)
    need_index_tensor("gather", index)
    d = _dim(input, dim)
    idx = _index_array(index, "gather")
    if idx.ndim != input.dim() and not (idx.ndim <= 1 and input.dim() <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    shape = tuple(input.shape) if input.dim() else (1,)
    for k in range(idx.ndim):
        if k != d and idx.shape[k] > shape[k]:
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {list(idx.shape)} to be no "
                f"larger than self {list(shape)} apart from dimension {d}"
            )
    size = shape[d]
    if idx.size and (idx.min() < 0 or idx.max() >= size):  # PyTorch's gather takes no negative index
        raise RuntimeError(f"index {int(idx.max() if idx.max() >= size else idx.min())} is out of bounds for dimension {d} with size {size}")
    if idx.ndim == 0 or input.dim() == 0:  # a vector or a scalar: the index is the position
        result = _take(input, idx if input.dim() else np.zeros_like(idx), "gather")
    else:
        result = _take(input, _positions_along(tuple(input.shape), d, idx), "gather")
    if result.grad_fn is not None:
        saved_values.keep(result, "GatherBackward0", {"dim": saved_values.c_int(dim), "index": index,
                                                      "self": input, "sparse_grad": sparse_grad})
    return result


def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """Values of `input` picked along `dim` at `indices` (broadcast with `input` in the
    other dimensions), as from `argsort` or `argmax(keepdim=True)`.

    Args:
        input: the source tensor.
        indices: an int64 tensor of positions along `dim`.
        dim: the dimension to pick along; None to pick from the flattened input.
    """
    if dim is not None:
        need_int("take_along_dim", "dim", 2, dim)
    if isinstance(indices, Tensor) and indices.dtype not in (_core.int64, _core.int32):
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got {scalar_name(indices.dtype)}")
    idx = _index_array(indices, "take_along_dim")
    pos = _positions(input)
    if dim is None:
        return _take(input, pos.reshape(-1)[idx.reshape(-1)], "gather")
    if input.dim() != indices.dim():
        raise RuntimeError(
            "torch.take_along_dim(): input and indices should have the same number of dimensions, but got "
            f"{input.dim()} dimensions for input, and {indices.dim()} dimensions for indices"
        )
    if input.dim() == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = _dim(input, dim)
    for k, (a, b) in enumerate(zip(pos.shape, idx.shape, strict=True)):
        if k != d and a != b and 1 not in (a, b):
            raise RuntimeError(f"The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton dimension {k}")
    return _take(input, np.take_along_axis(pos, idx, axis=d), "gather")


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """The elements of `input` where `mask` is True, as a new 1-D tensor.

    Args:
        input: the source tensor.
        mask: a bool tensor broadcastable with `input`.
    """
    refuse_shell("masked_select", input)
    _need_tensor("masked_select", "input", 1, input)
    _need_tensor("masked_select", "mask", 2, mask)
    if mask.dtype is not _core.bool:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = np.broadcast_shapes(tuple(input.shape), tuple(mask.shape))
    expanded = input.expand(tuple(shape)) if tuple(input.shape) != shape else input
    m = np.broadcast_to(mask.numpy(), shape)
    out = _take(expanded, _positions(expanded)[m], "masked_select")
    if out.grad_fn is not None:
        saved_values.keep(out, "MaskedSelectBackward0", {"mask": mask, "self": input})
    return out


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """The outer product of two 1-D tensors: `out[i][j] = input[i] * vec2[j]`.

    Args:
        input: the first 1-D tensor.
        vec2: the second 1-D tensor.
    """
    _need_tensor("outer", "input", 1, input)
    _need_tensor("outer", "vec2", 2, vec2)
    if input.dim() != 1 or vec2.dim() != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {input.dim()}-D")
    # as PyTorch composes it: a reshaped column times the row (vec2 itself is saved)
    return input.reshape(input.shape[0], 1) * vec2


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """`beta * input + alpha * (mat1 @ mat2)`, with `input` broadcast to the product's
    shape (one `AddmmBackward0` node).

    Args:
        input: the tensor added, broadcastable to (n, p).
        mat1: an (n, m) matrix.
        mat2: an (m, p) matrix.
        beta: multiplier of `input` (default 1; 0 ignores its values, NaN included).
        alpha: multiplier of the product (default 1).
    """
    return _core._add_product("addmm", input, mat1, mat2, beta, alpha)


def _install() -> None:
    Tensor.index_select = lambda self, dim, index: index_select(self, dim, index)
    Tensor.gather = lambda self, dim, index, *, sparse_grad=False: gather(self, dim, index)
    Tensor.take_along_dim = lambda self, indices, dim=None: take_along_dim(self, indices, dim)
    Tensor.masked_select = lambda self, mask: masked_select(self, mask)
    Tensor.outer = lambda self, vec2: outer(self, vec2)
    Tensor.ger = Tensor.outer
    Tensor.addmm = lambda self, mat1, mat2, *, beta=1, alpha=1: addmm(self, mat1, mat2, beta=beta, alpha=alpha)


_install()
