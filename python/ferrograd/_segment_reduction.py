"""`segment_reduce`: reductions over consecutive segments of a dim, the segments given by
their lengths (or by offsets), as PyTorch's: an empty segment gives `initial`, or the
reduction's identity (0 for sum, 1 for prod, NaN for mean, -inf/inf for max/min)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

from . import _core
from ._argcheck import check_scalar_fits, real_part_of
from ._core import Tensor
from ._mathops import _node
from ._numpy import np

__all__ = ["_segment_reduce", "segment_reduce"]

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


def _reduce_row(data: Tensor, starts: np.ndarray, counts: np.ndarray, reduce: str, axis: int,
                initial: Any) -> Tensor:
    shape = list(data.shape)
    if not len(counts):
        shape[axis] = 0
        return data.new_empty(tuple(shape))
    del shape[axis]
    parts = []
    for start, n in zip(starts.tolist(), counts.tolist()):
        if n == 0:
            fill = _EMPTY[reduce] if initial is None else initial
            parts.append(data.new_full(tuple(shape), fill))
        else:
            parts.append(_one_segment(data.narrow(axis, start, n), reduce, axis, initial))
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
        offsets: where each segment starts along `axis` instead of `lengths`, and where
            the last one ends (one more than segments); taken over `lengths`.
        axis: the dim of `data` split into segments (`lengths.dim() - 1`).
        unsafe: skip the checks that the lengths are not negative and cover the dim.
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
    from ._dtype_names import scalar_name

    if segments.dtype.is_floating_point or segments.dtype.is_complex:
        raise NotImplementedError(
            f"\"_segment_reduce_lengths_cpu_kernel1\" not implemented for '{scalar_name(segments.dtype)}'"
        )
    if not data.dtype.is_floating_point:
        raise NotImplementedError(f"\"_segment_reduce_cpu\" not implemented for '{scalar_name(data.dtype)}'")
    if offsets is not None:
        starts, counts = _offset_segments(data, offsets, axis)
    else:
        starts, counts = _length_segments(data, lengths, axis, unsafe)
    if (counts < 0).any():
        raise RuntimeError("Expected segment_length >= 0 to be true, but got false.  (Could this error message be "
                           "improved?  If so, please report an enhancement request to PyTorch.)")
    initial = _initial_value(initial, data.dtype)
    if _core.is_grad_enabled() and data.requires_grad:
        return _SegmentReduce.apply(data, starts, counts, reduce, axis, initial)
    return _segments_reduced(data, starts, counts, reduce, axis, initial)


def _offset_segments(data: Tensor, offsets: Tensor, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Each segment's start and length from `offsets` (PyTorch checks nothing more)."""
    bounds = np.asarray(offsets.tolist(), dtype=np.int64).reshape(tuple(offsets.shape))
    if bounds.shape[-1] == 0:
        shape = list(data.shape)
        shape[axis] = -1
        raise RuntimeError(f"Trying to create tensor with negative dimension -1: {shape}")
    return bounds[..., :-1], bounds[..., 1:] - bounds[..., :-1]


def _length_segments(data: Tensor, lengths: Tensor, axis: int, unsafe: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each segment's start and length from `lengths`, checked unless `unsafe`."""
    counts = np.asarray(lengths.tolist(), dtype=np.int64).reshape(tuple(lengths.shape))
    if not unsafe:
        if counts.size == 0:
            raise RuntimeError("min(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                               "reduction dim with the 'dim' argument.")
        if (counts < 0).any():
            raise RuntimeError("lengths contains negative value!")
        if (counts.sum(-1) != data.shape[axis]).any():
            raise RuntimeError(
                "segment_reduce(): Expected all rows of lengths along axis to sum to data.size(lengths.dim()-1) "
                "when !unsafe."
            )
    return np.cumsum(counts, -1) - counts, counts


def _initial_value(initial: Any, dtype) -> Any:
    """`initial` as PyTorch converts it to the data's dtype."""
    if initial is not None:
        initial = real_part_of(initial, dtype)
        check_scalar_fits(initial, dtype)
    return initial


def _segments_reduced(data: Tensor, starts: np.ndarray, counts: np.ndarray, reduce: str, axis: int,
                      initial: Any) -> Tensor:
    outs = []
    for row in itertools.product(*(range(s) for s in counts.shape[:-1])):
        row_data = data
        for i in row:
            row_data = row_data[i]
        outs.append(_reduce_row(row_data, starts[row], counts[row], reduce, axis - len(row), initial))
    if not counts.shape[:-1]:
        return outs[0]
    if not outs:
        shape = list(data.shape)
        shape[axis] = counts.shape[-1]
        return data.new_empty(tuple(shape))
    from . import stack

    return stack(outs).reshape(tuple(counts.shape[:-1]) + tuple(outs[0].shape))


def _as_blocks(t: Tensor, axis: int) -> np.ndarray:
    """`t` as a float array shaped (dims before `axis`, `axis`, dims after)."""
    work = np.float64 if t.dtype == _core.float64 else np.float32
    values = np.asarray((t if t.dtype == _core.float64 else t.float()).detach().numpy(), dtype=work)
    shape = tuple(t.shape)
    return values.reshape(math.prod(shape[:axis]), shape[axis], math.prod(shape[axis + 1:]))


def _extreme_grad(seg: np.ndarray, result: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """PyTorch's max/min gradient: each element equal to the result (or NaN) takes the
    gradient; where several do, the positive shares are split evenly among them."""
    hit = np.isnan(seg) | (seg == result)
    part = np.where(hit, grad, 0).astype(seg.dtype)
    count = hit.sum(0)
    return np.where((count >= 2) & (part > 0), part / np.maximum(count, 1), part)


def _prod_grad(seg: np.ndarray, result: np.ndarray, grad: np.ndarray, initial: Any,
               rounded: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """PyTorch's prod gradient: (grad * result) / x, with grad * (`initial` times the
    others) where x is 0 or NaN; each step rounds to the data's dtype (`rounded`)."""
    part = rounded(rounded(grad * result) / seg)
    for j in np.nonzero((np.isnan(seg) | (seg == 0)).any(1))[0]:
        others = np.full_like(result, 1.0 if initial is None else initial)
        for k in range(seg.shape[0]):
            if k != j:
                others = rounded(others * seg[k])
        part[j] = np.where(np.isnan(seg[j]) | (seg[j] == 0), rounded(grad * others), part[j])
    return part


def _rounding(dtype) -> Callable[[np.ndarray], np.ndarray]:
    """Rounds float32 work values to `dtype` where it is narrower (float16, bfloat16)."""
    if dtype not in (_core.float16, _core.bfloat16):
        return lambda a: a
    from ._creation import as_tensor

    return lambda a: np.asarray(as_tensor(np.asarray(a, dtype=np.float32)).to(dtype).float().numpy())


def _segment_grad(grad: Tensor, out: Tensor, data: Tensor, starts: np.ndarray, counts: np.ndarray, reduce: str,
                  axis: int, initial: Any) -> Tensor:
    """The gradient of `data` by PyTorch's segment-reduction backward (its CPU kernel)."""
    x, g, res = _as_blocks(data, axis), _as_blocks(grad, axis), _as_blocks(out, axis)
    starts, counts = starts.reshape(x.shape[0], -1), counts.reshape(x.shape[0], -1)
    gi = np.zeros_like(x)
    rounded = _rounding(data.dtype)
    with np.errstate(all="ignore"):
        for o in range(x.shape[0]):
            for s, (start, n) in enumerate(zip(starts[o].tolist(), counts[o].tolist())):
                if n == 0:
                    continue
                seg = x[o, start:start + n]
                if reduce in ("max", "min"):
                    part = _extreme_grad(seg, res[o, s], g[o, s])
                elif reduce == "prod":
                    part = _prod_grad(seg, res[o, s], g[o, s], initial, rounded)
                else:
                    part = g[o, s] / n if reduce == "mean" else g[o, s]
                gi[o, start:start + n] = part
    from ._creation import as_tensor

    return as_tensor(gi.reshape(tuple(data.shape))).to(data.dtype)


def _segment_forward(ctx: Any, data: Tensor, *segments: Any) -> Tensor:
    out = _segments_reduced(data, *segments)
    ctx.save_for_backward(data, out)
    ctx.segments = segments
    return out


def _segment_backward(ctx: Any, grad: Tensor) -> tuple:
    data, out = ctx.saved_tensors
    return (_SegmentGrad.apply(grad, out, data, *ctx.segments),) + (None,) * len(ctx.segments)


def _segment_grad_forward(ctx: Any, grad: Tensor, out: Tensor, data: Tensor, *segments: Any) -> Tensor:
    return _segment_grad(grad, out, data, *segments)


def _segment_grad_backward(ctx: Any, *grads: Any) -> Any:
    raise RuntimeError("derivative for aten::_segment_reduce_backward is not implemented")


_SegmentReduce = _node("SegmentReduceBackward0", _segment_forward, _segment_backward)
# PyTorch's segment-reduction backward has no derivative of its own
_SegmentGrad = _node("NotImplemented", _segment_grad_forward, _segment_grad_backward)

# PyTorch's `torch._segment_reduce` is the same function
_segment_reduce = segment_reduce
