"""`nn.functional.embedding_bag`: sums, means or maxima of bags of embedding rows,
composed from index_select and index_add (gradients reach the rows used)."""

from __future__ import annotations

import warnings

import numpy as np

from .. import _core
from .._core import Tensor
from .._grad_mode import no_grad

__all__ = ["embedding_bag"]


def _renorm_rows(weight: Tensor, input: Tensor, max_norm: float, norm_type: float) -> None:
    """Rescales, in place, the rows of `weight` used by `input` whose norm exceeds max_norm."""
    with no_grad():
        rows = np.unique(np.asarray(input.detach().contiguous().numpy(), dtype=np.int64).reshape(-1))
        for r in rows.tolist():
            norm = float(weight[r].norm(norm_type).item())
            if norm > max_norm:
                weight[r].mul_(max_norm / (norm + 1e-7))


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """Reduces (sum, mean or max) the rows of `weight` picked by each bag of `input`:
    the rows of a 2-D input, or the runs of a 1-D input starting at `offsets`."""
    if weight.dtype == _core.int64 and input.is_floating_point():
        warnings.warn(
            "Argument order of nn.functional.embedding_bag was changed. "
            "Usage `embedding_bag(weight, input, ...)` is deprecated, "
            "and should now be `embedding_bag(input, weight, ...)`.",
            stacklevel=2,
        )
        weight, input = input, weight
    if per_sample_weights is not None and tuple(input.shape) != tuple(per_sample_weights.shape):
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, "
            f"then it must have the same shape as the input ({input.shape})"
        )
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length "
                f"sequences. However, found offsets of type {type(offsets)}"
            )
        starts = np.arange(0, input.numel(), max(input.shape[1], 1), dtype=np.int64)
        if input.shape[1] == 0:
            starts = np.zeros(input.shape[0], dtype=np.int64)
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        starts = np.asarray(offsets.detach().contiguous().numpy(), dtype=np.int64)
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max":
        if scale_grad_by_freq:
            raise ValueError("max mode does not support scaling the gradient by the frequency")
        if sparse:
            raise ValueError("max mode does not support sparse weights")
    if max_norm is not None:
        _renorm_rows(weight, input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' "
            f"(got mode='{mode}'). Please open a feature request on GitHub."
        )
    if input.dtype not in (_core.int64, _core.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; "
            f"but got {input.dtype} instead (while checking arguments for embedding_bag)"
        )
    total = input.numel()
    idx = np.asarray(input.detach().contiguous().numpy(), dtype=np.int64)
    if include_last_offset:  # PyTorch's (double) kernel runs the last bag to the end of the input
        starts = starts[:-1]
        bounds = np.append(starts, total)
    else:
        bounds = np.append(starts, total)
    n_bags = starts.size
    if n_bags and (starts[0] != 0 if total else False):
        raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                           f"position 0. However, got {starts[0]}")
    last = int(np.max(bounds)) if bounds.size else 0
    if last > total:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {total}, but got {last}")
    bad = np.nonzero((idx < 0) | (idx >= weight.shape[0]))[0]
    if bad.size:
        raise RuntimeError(
            f"Index {bad[0]} of input takes value {idx[bad[0]]} which is not in the valid range [0, {weight.shape[0]})"
        )
    from .._creation import tensor, zeros

    bag_of = np.full(total, -1, dtype=np.int64)  # -1: past the last bag (include_last_offset)
    for b in range(n_bags):
        bag_of[bounds[b]: bounds[b + 1]] = b
    keep = bag_of >= 0
    if padding_idx is not None:
        keep &= idx != padding_idx
    rows = weight.index_select(0, input.to(_core.int64))
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.unsqueeze(1)
    d = weight.shape[1]
    if mode == "max":
        out_rows = []
        for b in range(n_bags):
            members = np.nonzero(keep[bounds[b]: bounds[b + 1]])[0] + bounds[b]
            if members.size == 0:
                out_rows.append(zeros(d, dtype=weight.dtype))
            else:
                out_rows.append(rows.index_select(0, tensor(members)).amax(0))
        from .._shape import stack

        return stack(out_rows, 0) if out_rows else zeros((0, d), dtype=weight.dtype)
    kept = np.nonzero(keep)[0]
    sums = zeros((n_bags, d), dtype=weight.dtype).index_add(
        0, tensor(bag_of[kept]), rows.index_select(0, tensor(kept))
    )
    if mode == "sum":
        return sums
    counts = np.bincount(bag_of[kept], minlength=n_bags).astype(np.float64)
    return sums / tensor(np.maximum(counts, 1.0)).to(weight.dtype).unsqueeze(1)
