"""`_chunk_cat`: PyTorch's private kernel that splits each tensor into `num_chunks`
chunks along `dim` (zero-padded to a multiple of it) and concatenates chunk by chunk:
the result has shape `sizes[:dim] + [num_chunks, total]`. It has no derivative."""

from __future__ import annotations

from ._core import Tensor
from ._grad_mode import no_grad
from ._out_grad import record_not_implemented


def _padded_chunks(t: Tensor, dim: int, num_chunks: int) -> Tensor:
    from .nn import functional as F

    length = t.shape[dim]
    padded_length = (length + num_chunks - 1) // num_chunks * num_chunks
    if padded_length != length:
        pad = [0, 0] * (t.dim() - dim - 1) + [0, padded_length - length]
        t = F.pad(t, pad)
    return t.reshape(*t.shape[:dim], num_chunks, -1)


def _checked_dim(tensors: list, dim: int, num_chunks: int) -> int:
    """`dim` wrapped, after PyTorch's checks of the arguments, in its order."""
    if not tensors:
        raise RuntimeError("_chunk_cat expects a non-empty input tensor list")
    if num_chunks < 1:
        raise RuntimeError("_chunk_cat expects positive num_chunks")
    ranks = {t.dim() for t in tensors}
    if len(ranks) == 1:
        rank = tensors[0].dim()
        if not -rank <= dim < rank:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], "
                             f"but got {dim})")
        dim = dim + rank if dim < 0 else dim
    elif dim < 0:
        raise RuntimeError("_chunk_cat expects non-negative dim when input tensors have different ndims")
    first = tensors[0]
    for t in tensors:
        if t.numel() == 0:
            raise RuntimeError("_chunk_cat expects non-empty tensor")
        if t.dtype != first.dtype:
            raise RuntimeError("_chunk_cat expects all input tensors with the same dtype")
        if t.dim() <= dim:
            raise RuntimeError("_chunk_cat expects dim < ndim for all input tensors")
        if tuple(t.shape[:dim]) != tuple(first.shape[:dim]):
            raise RuntimeError("_chunk_cat expects same sizes of 0,...,dim-1 dimensions for all tensors")
    return dim


def _check_out(result: Tensor, out: Tensor) -> None:
    """PyTorch's refusals of `out`: a dtype the result cannot be cast to (its `cat`'s
    message) and, with grad mode on, an `out` that requires grad."""
    from ._core import is_grad_enabled
    from ._dtype_names import scalar_name
    from ._tensor_api import can_cast

    if isinstance(out, Tensor) and not can_cast(result.dtype, out.dtype):
        raise TypeError(f"ferrograd.cat(): input types can't be cast to the desired output type "
                        f"{scalar_name(out.dtype)}")
    if isinstance(out, Tensor) and out.requires_grad and is_grad_enabled():
        raise RuntimeError("aten::_chunk_cat(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")


def _chunk_cat(tensors, dim: int, num_chunks: int, *, out: Tensor | None = None) -> Tensor:
    """The chunks of each tensor along `dim`, concatenated per chunk.

    Args:
        tensors: a non-empty sequence of tensors of one dtype, equal in dims before `dim`.
        dim: the dim to chunk (wrapped by the first tensor's number of dims).
        num_chunks: how many chunks (positive).
        out: an optional tensor to write the result into.
    """
    tensors = list(tensors)
    dim = _checked_dim(tensors, dim, num_chunks)
    from ._shape import cat

    with no_grad():
        result = cat([_padded_chunks(t.detach(), dim, num_chunks) for t in tensors], dim + 1)
    if out is not None:
        from ._out import write_out

        _check_out(result, out)
        result = write_out(result, out)
    record_not_implemented("_chunk_cat", tensors, result, "_chunk_cat")
    return result
