"""`histogramdd`: the histogram of points in D dimensions (the last dim of the input
holds the coordinates), computed with NumPy on the tensor's values as PyTorch bins them:
equal-width bins from the data's range (or `range`), or given edges; the last bin of each
dim includes its right edge."""

from __future__ import annotations

import math
from typing import Any

from . import _core
from ._argcheck import need_tensor
from ._core import Tensor
from ._dtype_names import cpp_name, scalar_name
from ._numpy import np
from ._return_types import return_types

__all__ = ["histogramdd"]

_HistogramDD = return_types.histogramdd


def _edges(data: np.ndarray, dim: int, bins: Any, range: Any, dtype: Any) -> np.ndarray:
    if isinstance(bins, Tensor):
        if bins.dim() != 1:
            raise RuntimeError(f"torch.histogramdd: bins tensor should have one dimension, but got {bins.dim()} "
                               f"dimensions in the bins tensor for dimension {dim}")
        return bins.detach().double().numpy()
    count = int(bins)
    if count <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {count} for dimension {dim}")
    if range is not None:
        lo, hi = float(range[2 * dim]), float(range[2 * dim + 1])
    elif data.shape[0]:
        lo, hi = float(data[:, dim].min()), float(data[:, dim].max())
    else:
        lo, hi = 0.0, 1.0
    return linear_edges(lo, hi, count, dtype, dim)


def linear_edges(lo: float, hi: float, count: int, dtype: Any, dim: int = 0) -> np.ndarray:
    """The `count + 1` equal-width edges over [lo, hi] (widened by a half on each side
    when they meet), after PyTorch's checks of the range."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histogramdd: dimension {dim}'s range [{lo:g}, {hi:g}] is not finite")
    if lo > hi:
        raise RuntimeError(
            f"torch.histogramdd: min should not exceed max, but got min {lo:g} max {hi:g} for dimension {dim}"
        )
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    from ._creation import linspace

    # PyTorch's linspace in the input's dtype (its float32 steps round as its own)
    return linspace(lo, hi, count + 1, dtype=dtype).numpy().astype(np.float64)


def _upper_bound(edges: np.ndarray, values: np.ndarray) -> np.ndarray:
    """`std::upper_bound(edges, value)` for each value: a binary search that, like
    PyTorch's, also runs (and gives its answer) on edges that are not sorted."""
    first = np.zeros(values.shape, dtype=np.int64)
    count = np.full(values.shape, edges.size, dtype=np.int64)
    while (count > 0).any():
        step = count // 2
        mid = np.minimum(first + step, edges.size - 1)
        right = (count > 0) & ~(values < edges[mid])
        first = np.where(right, first + step + 1, first)
        count = np.where(right, count - step - 1, step)
    return first


def by_search(data: np.ndarray, edges: list[np.ndarray], weights: Any, density: bool) -> np.ndarray:
    """PyTorch's histogram over given edges: a point counts when each coordinate lies
    between its dim's first and last edge, in the bin found by binary search (the last
    bin includes its right edge); the edges need not be increasing."""
    shape = tuple(max(e.size - 1, 0) for e in edges)
    keep = np.ones(data.shape[0], dtype=bool)
    flat = np.zeros(data.shape[0], dtype=np.int64)
    for dim, e in enumerate(edges):
        if e.size == 0:
            keep[:] = False
            break
        x = data[:, dim]
        keep &= (x >= e[0]) & (x <= e[-1])
        with np.errstate(invalid="ignore"):
            increasing = bool((e[1:] >= e[:-1]).all())
        # NumPy's search where it answers as PyTorch's: edges in order (NaN points are dropped)
        pos = (np.searchsorted(e, x, side="right") if increasing else _upper_bound(e, x)) - 1
        pos = np.where(pos == e.size - 1, pos - 1, pos)
        flat = flat * shape[dim] + pos
    hist = np.zeros(int(np.prod(shape)), dtype=np.float64)
    w = np.ones(data.shape[0]) if weights is None else weights
    if hist.size:
        hist = np.bincount(flat[keep], weights=w[keep], minlength=hist.size).astype(np.float64)
    hist = hist.reshape(shape)
    if density:
        hist = hist / hist.sum()
        for dim, e in enumerate(edges):
            view = [1] * len(edges)
            view[dim] = -1
            hist = hist / np.diff(e).reshape(view)
    return hist


_NO_BINS = None  # PyTorch's `histogramdd(x)` without bins is its parser's TypeError
_HISTOGRAMDD_OVERLOADS = "".join(
    f" * (Tensor input, {kind} bins, tuple of floats range = None, Tensor weight = None, bool density = False)\n"
    for kind in ("int", "tuple of ints", "tuple of Tensors"))


def _bins_count(bins: Tensor) -> int:
    """PyTorch's parser reads a 0-dim integer tensor as the count of the int overload; no
    overload takes another lone tensor."""
    if bins.dim() != 0 or bins.dtype.is_floating_point or bins.dtype.is_complex:
        raise TypeError("histogramdd() received an invalid combination of arguments - got (Tensor, Tensor), but "
                        f"expected one of:\n{_HISTOGRAMDD_OVERLOADS}")
    return int(bins.item())


def histogramdd(input: Tensor, bins: Any = _NO_BINS, *, range: Any = None, weight: Tensor | None = None,
                density: bool = False) -> Any:
    """The D-dimensional histogram of the points `input[..., :]`, as `(hist, bin_edges)`
    with one tensor of edges per dimension.

    Args:
        input: a floating tensor whose last dim (of size D) holds the coordinates.
        bins: (required) the number of bins for every dim, one count per dim, or one 1-D tensor of
            increasing edges per dim.
        range: `[min0, max0, min1, max1, ...]` of the bins; None for the data's range.
        weight: a tensor of one weight per point summed per bin instead of counting.
        density: divide so that the histogram integrates to 1.
    """
    need_tensor("histogramdd", "input", 1, input)
    if isinstance(bins, bool) or bins is _NO_BINS:  # PyTorch's binding has no default bins
        got = "Tensor" if bins is _NO_BINS else "Tensor, bool"
        raise TypeError(f"histogramdd() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                        f"{_HISTOGRAMDD_OVERLOADS}")
    if range is not None:
        from ._parser_check import float_list_error

        error = float_list_error("histogramdd", (input, bins), "range", range)
        if error is not None:
            raise error
    if type(bins) is int and input.dim() == 0:  # PyTorch's Python body reads input.size(-1) for int bins
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    if input.dim() < 2:
        raise RuntimeError("torch.histogramdd: input tensor should have at least 2 dimensions")
    if not input.dtype.is_floating_point or input.dtype in (_core.float16, _core.bfloat16):
        raise NotImplementedError(f"\"histogramdd\" not implemented for '{scalar_name(input.dtype)}'")
    d = input.shape[-1]
    if isinstance(bins, Tensor):
        bins = _bins_count(bins)
    data = input.detach().double().reshape(-1, d).numpy()
    per_dim = list(bins) if isinstance(bins, (list, tuple)) else [bins] * d
    if len(per_dim) != d:
        raise RuntimeError("histogramdd: The size of bins must be equal to the innermost dimension of the input.")
    if range is not None and len(range) != 2 * d:
        raise RuntimeError(
            f"torch.histogramdd: for a {d}-dimensional histogram range should have {2 * d} elements, but got "
            f"{len(range)}"
        )
    weights = None
    if weight is not None:
        if weight.dtype != input.dtype:
            raise RuntimeError(
                "torch.histogramdd: if weight tensor is provided, input tensor and weight tensor should have the "
                f"same dtype, but got input({cpp_name(input.dtype)}), and weight({cpp_name(weight.dtype)})"
            )
        if tuple(weight.shape) != tuple(input.shape[:-1]):
            raise RuntimeError(
                "torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor "
                f"excluding its innermost dimension, but got input with shape {list(input.shape)} and weight with "
                f"shape {list(weight.shape)}"
            )
        weights = weight.detach().double().reshape(-1).numpy()
    edges = [_edges(data, i, b, range, input.dtype) for i, b in enumerate(per_dim)]
    hist = by_search(data, edges, weights, density)
    from ._creation import tensor

    dtype = input.dtype
    return _HistogramDD((tensor(hist, dtype=dtype), tuple(tensor(e, dtype=dtype) for e in edges)))
