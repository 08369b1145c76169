"""`segment_reduce`: reductions over consecutive segments of a dim, the segments given by
their lengths (or by offsets), as PyTorch's: an empty segment gives `initial`, or the
reduction's identity (0 for sum, 1 for prod, NaN for mean, -inf/inf for max/min)."""

from __future__ import annotations

import itertools
import math
from typing import Any

from . import _core
from ._core import Tensor

__all__ = ["segment_reduce"]

_EMPTY = {"sum": 0.0, "prod": 1.0, "mean": math.nan, "max": -math.inf, "min": math.inf}


def _folded_stepwise(seg: Tensor, reduce: str, axis: int, initial: Any) -> Tensor:
    """Sum, product or mean of one segment folded one element at a time in its own dtype,
    as PyTorch's CPU kernel does: in float16/bfloat16 every step rounds, where a `sum`
    accumulating in float32 rounds once (and differs by an ulp)."""
    if initial is None:
        initial = 1.0 if reduce == "prod" else 0.0
    shape = list(seg.shape)
    del shape[axis]
    acc = seg.new_full(tuple(shape), initial)
    for k in range(seg.shape[axis]):
        acc = acc * seg.select(axis, k) if reduce == "prod" else acc + seg.select(axis, k)
    return acc / seg.shape[axis] if reduce == "mean" else acc


def _one_segment(seg: Tensor, reduce: str, axis: int, initial: Any) -> Tensor:
    """The reduction of one non-empty segment along `axis` (removed)."""
    if reduce in ("sum", "prod", "mean") and seg.dtype in (_core.float16, _core.bfloat16):
        return _folded_stepwise(seg, reduce, axis, initial)
    if reduce == "sum":
        out = seg.sum(axis)
        return out if initial is None else out + initial
    if reduce == "prod":
        out = seg.prod(axis)
        return out if initial is None else out * initial
    if reduce == "mean":
        if initial is None:
            return seg.mean(axis)
        return (seg.sum(axis) + initial) / seg.shape[axis]
    out = seg.amax(axis) if reduce == "max" else seg.amin(axis)
    if initial is None:
        return out
    bound = out.new_full(tuple(out.shape), initial)
    return out.maximum(bound) if reduce == "max" else out.minimum(bound)


def _reduce_row(data: Tensor, lengths: list[int], reduce: str, axis: int, initial: Any) -> Tensor:
    parts = []
    start = 0
    for n in lengths:
        if n == 0:
            shape = list(data.shape)
            del shape[axis]
            fill = _EMPTY[reduce] if initial is None else initial
            parts.append(data.new_full(tuple(shape), fill))
        else:
            parts.append(_one_segment(data.narrow(axis, start, n), reduce, axis, initial))
        start += n
    from . import stack

    return stack(parts, axis)


def segment_reduce(data: Tensor, reduce: str, *, lengths: Tensor | None = None, indices: Tensor | None = None,
                   offsets: Tensor | None = None, axis: int = 0, unsafe: bool = False,
                   initial: Any = None) -> Tensor:
    """Reduces consecutive segments of `data` along `axis`.

    Args:
        data: the values, floating.
        reduce: 'sum', 'prod', 'mean', 'max' ('amax') or 'min' ('amin').
        lengths: the integer lengths of the segments, along the last dim of `lengths`
            (its leading dims match those of `data` before `axis`).
        indices: unsupported, as in PyTorch.
        offsets: the segment boundaries instead of `lengths` (one more than segments).
        axis: the dim of `data` split into segments (`lengths.dim() - 1`).
        unsafe: skip the check that the lengths cover the dim.
        initial: the start value of every segment's reduction (the value of an empty one).
    """
    # PyTorch's checks in its order: the axis, indices, lengths or offsets, the reduction,
    # the segments tensor's rank and axis, then the kernels' dtypes
    rank = max(data.dim(), 1)
    if not -rank <= axis < rank:
        from ._argcheck import dim_error

        raise dim_error(axis, f"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], "
                              f"but got {axis})")
    axis %= rank
    if indices is not None:
        raise RuntimeError("segment_reduce(): indices based reduction is not supported yet.")
    if lengths is None and offsets is None:
        raise RuntimeError("segment_reduce(): Either lengths or offsets must be defined.")
    reduce = {"amax": "max", "amin": "min"}.get(reduce, reduce)
    if reduce not in _EMPTY:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    name, segments = ("offsets", offsets) if offsets is not None else ("lengths", lengths)
    if data.dim() < segments.dim():
        raise RuntimeError(f"Expected data.dim() >= {name}_value.dim() to be true, but got false.  (Could this error "
                           "message be improved?  If so, please report an enhancement request to PyTorch.)")
    if axis != segments.dim() - 1:
        raise RuntimeError(f"segment_reduce(): Expected axis to be the last dimension of {name} but got {axis}.")
    if segments.dtype.is_floating_point or segments.dtype.is_complex:
        from ._dtype_names import scalar_name

        raise NotImplementedError(
            f"\"_segment_reduce_lengths_cpu_kernel1\" not implemented for '{scalar_name(segments.dtype)}'"
        )
    if not data.dtype.is_floating_point:
        from ._dtype_names import scalar_name

        raise NotImplementedError(f"\"_segment_reduce_cpu\" not implemented for '{scalar_name(data.dtype)}'")
    if offsets is not None and lengths is None:
        lengths = offsets.narrow(-1, 1, offsets.shape[-1] - 1) - offsets.narrow(-1, 0, offsets.shape[-1] - 1)
    assert lengths is not None
    counts = lengths.tolist()
    rows = list(itertools.product(*(range(s) for s in lengths.shape[:-1])))
    for row in rows:
        row_counts = counts
        for i in row:
            row_counts = row_counts[i]
        if any(n < 0 for n in row_counts):
            raise RuntimeError("lengths contains negative value!")
        if not unsafe and sum(row_counts) != data.shape[axis]:
            raise RuntimeError(
                "segment_reduce(): Expected all rows of lengths along axis to sum to data.size(lengths.dim()-1) "
                "when !unsafe."
            )
    outs = []
    for row in rows:
        row_counts, row_data = counts, data
        for i in row:
            row_counts, row_data = row_counts[i], row_data[i]
        outs.append(_reduce_row(row_data, row_counts, reduce, axis - len(row), initial))
    from . import stack

    out = outs[0] if not lengths.shape[:-1] else stack(outs).reshape(
        tuple(lengths.shape[:-1]) + tuple(outs[0].shape))
    return _core._named_node(out, "SegmentReduceBackward0") if out.grad_fn is not None else out
