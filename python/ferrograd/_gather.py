"""Index-driven selections: gather, index_select and take_along_dim are Rust ops
(`ops::gather`) behind PyTorch's argument type checks; masked_select is composed on the
core's position gather (`take`), NumPy working out which element positions are picked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _core
from . import _saved_values as saved_values
from ._argcheck import need_bool, need_index_tensor, need_int, type_name
from ._argcheck import need_tensor as _need_tensor
from ._core import Tensor
from ._float8_scatter import gather_kernel
from ._infer_size import infer_size
from ._numpy import np
from ._shell_dtypes import is_float8
from ._shell_dtypes import refuse as refuse_shell
from ._shell_unsigned import SIGNED_TWIN

__all__ = ["addmm", "gather", "index_select", "masked_select", "outer", "take_along_dim"]


def _positions(t: Tensor) -> np.ndarray:
    return np.arange(t.numel(), dtype=np.int64).reshape(tuple(t.shape))


_INT64_MIN, _INT64_END = -(2**63), 2**63


def _int_dim(fn: str, dim: Any, position: int = 2) -> int:
    """`dim` as PyTorch's parser reads an int argument (a plain int passes straight)."""
    if type(dim) is int and _INT64_MIN <= dim < _INT64_END:
        return dim
    need_int(fn, "dim", position, dim)
    return int(dim)


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """A new tensor of the slices of `input` along `dim` at the positions `index`, in
    that order.

    Args:
        input: the source tensor.
        dim: the dimension along which slices are picked.
        index: a 1-D (or 0-d) int64 or int32 tensor of positions.
    """
    d = _int_dim("index_select", dim, 1)  # the receiver takes no position
    if not isinstance(index, Tensor):
        need_index_tensor("index_select", index, 2)
    if type(input) is not Tensor and (getattr(input, "is_sparse", False) or getattr(input, "is_quantized", False)):
        return input.index_select(d, index)  # the sparse COO or quantized class's own
    return _index_select(input, d, index)


def _index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    try:
        return _core._index_select(input, dim, index)
    except NotImplementedError:
        if input.dtype not in SIGNED_TWIN or input.dim() <= 1:
            raise
    # PyTorch's index_select copies uint16/32/64 elements of a matrix (or more) as they are
    return _core._index_select(input.view(SIGNED_TWIN[input.dtype]), dim, index).view(input.dtype)


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """Values of `input` picked along `dim` at `index`: for dim 0, `out[i][j] =
    input[index[i][j]][j]`; the result is shaped like `index`.

    Args:
        input: the source tensor.
        dim: the dimension that `index` indexes.
        index: an int64 (or int32) tensor with as many dimensions as `input` (no
            larger in the others).
        sparse_grad: PyTorch gives `input` a sparse gradient when True; ferrograd has no
            sparse tensors, so the gradient is always dense (with the same values).
    """
    d = _int_dim("gather", dim, 1)  # the receiver takes no position
    if not isinstance(index, Tensor):
        need_index_tensor("gather", index, 2)
    if sparse_grad is not False and sparse_grad is not True:
        need_bool("gather", "sparse_grad", None, sparse_grad)
    try:
        return _core._gather(input, d, index, sparse_grad)
    except NotImplementedError as error:
        _rename_float8_kernel(error, input, lambda: gather_kernel(input, d % max(input.dim(), 1), index))
        raise


def _rename_float8_kernel(error: NotImplementedError, input: Tensor, kernel: Callable[[], str]) -> None:
    """The core names one gather kernel when it refuses an 8-bit float; PyTorch's CPU
    build names its expanded-index one where it would take that path (raised here)."""
    generic = "scatter_gather_tensor_cpu"
    if generic in str(error) and is_float8(input):
        name = kernel()
        if name != generic:
            raise NotImplementedError(str(error).replace(generic, name)) from None


def _index_select_method(self: Tensor, dim: int, index: Tensor) -> Tensor:
    d = _int_dim("index_select", dim, 1)  # the receiver takes no position
    if not isinstance(index, Tensor):
        need_index_tensor("index_select", index, 2)
    return _index_select(self, d, index)


def _gather_method(self: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    d = _int_dim("gather", dim, 1)  # the receiver takes no position
    if not isinstance(index, Tensor):
        need_index_tensor("gather", index, 2)
    if sparse_grad is not False and sparse_grad is not True:
        need_bool("gather", "sparse_grad", None, sparse_grad)
    try:
        return _core._gather(self, d, index, sparse_grad)
    except NotImplementedError as error:
        _rename_float8_kernel(error, self, lambda: gather_kernel(self, d % max(self.dim(), 1), index))
        raise


def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """Values of `input` picked along `dim` at `indices` (broadcast with `input` in the
    other dimensions), as from `argsort` or `argmax(keepdim=True)`; indices are read
    modulo the size along `dim`, as PyTorch reads them.

    Args:
        input: the source tensor.
        indices: an int64 tensor of positions along `dim`.
        dim: the dimension to pick along; None to pick from the flattened input.
    """
    if dim is not None:
        dim = _int_dim("take_along_dim", dim)
    if not isinstance(indices, Tensor):
        raise TypeError(
            f"take_along_dim(): argument 'indices' (position 2) must be Tensor, not {type_name(indices)}"
        )
    if dim is not None:
        return _core._take_along_dim(input, indices, dim)
    # PyTorch gathers from the flattened input at the flattened indices
    try:
        return _core._take_along_dim(input, indices, dim)
    except NotImplementedError as error:
        flat = indices.is_contiguous() and input.is_contiguous()
        _rename_float8_kernel(error, input, lambda: "gather_expanded_index" if flat else "scatter_gather_tensor_cpu")
        raise


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
    shape = infer_size(tuple(mask.shape), tuple(input.shape))
    expanded = input.expand(tuple(shape)) if tuple(input.shape) != shape else input
    m = np.broadcast_to(mask.numpy(), shape)
    from ._creation import tensor

    # asarray, not ascontiguousarray, which makes a 0-d array 1-d
    positions = tensor(np.asarray(_positions(expanded)[m], dtype=np.int64, order="C"))
    out = _core._take(expanded, positions, "masked_select")
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
    for name, vector in (("self", input), ("vec2", vec2)):
        if vector.dim() != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {vector.dim()}-D")
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
    from ._products import _fused

    return _fused("addmm", input, mat1, mat2, beta, alpha)


def _install() -> None:
    Tensor.index_select = _index_select_method
    Tensor.gather = _gather_method
    Tensor.take_along_dim = lambda self, indices, dim=None: take_along_dim(self, indices, dim)
    Tensor.masked_select = lambda self, mask: masked_select(self, mask)
    Tensor.outer = lambda self, vec2: outer(self, vec2)
    Tensor.ger = Tensor.outer
    Tensor.addmm = lambda self, mat1, mat2, *, beta=1, alpha=1: addmm(self, mat1, mat2, beta=beta, alpha=alpha)


_install()
