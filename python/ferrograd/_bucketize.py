"""searchsorted's binary search and its once-per-process warnings, as PyTorch's CPU
kernel has them: NumPy's search sorts NaN last, while PyTorch's comparisons
(`!(mid >= v)`, `!(mid > v)`) send a NaN value past every boundary."""

from __future__ import annotations

from typing import Any

from ._core import Tensor
from ._numpy import np
from ._user_warning import triggered_internally, warn_at_caller


def search_rows(seq: np.ndarray, vals: np.ndarray, right: bool) -> np.ndarray:
    """The insertion index of each of `vals` in the 1-D `seq` (an unsorted `seq` too
    answers as PyTorch's, whose search NumPy's does not follow there)."""
    if seq.shape[0] == 0:
        return np.zeros(vals.shape, dtype=np.int64)
    if _sorted(seq):  # NumPy's search answers as PyTorch's there (a NaN value goes last in both)
        return np.searchsorted(seq, vals, side="right" if right else "left")
    lo = np.zeros(vals.shape, dtype=np.int64)
    hi = np.full(vals.shape, seq.shape[0], dtype=np.int64)
    with np.errstate(invalid="ignore"):
        while True:
            open_ = lo < hi
            if not open_.any():
                return lo
            mid = (lo + hi) >> 1
            at = seq[np.minimum(mid, seq.shape[0] - 1)]
            step_right = ~(at > vals) if right else ~(at >= vals)
            lo = np.where(open_ & step_right, mid + 1, lo)
            hi = np.where(open_ & ~step_right, mid, hi)


def _sorted(seq: np.ndarray) -> bool:
    """Whether `seq` is non-decreasing without NaN."""
    with np.errstate(invalid="ignore"):
        return bool((seq[1:] >= seq[:-1]).all()) and not (seq.dtype.kind in "fc" and np.isnan(seq[0]))


_warned: set[str] = set()

_NONCONTIGUOUS = (
    "torch.searchsorted(): {what} tensor is non-contiguous, this will lower the performance due to extra data copy "
    "when converting non-contiguous tensor to contiguous, please use contiguous {what} tensor if possible. This "
    "message will only appear once per program."
)


def warn_noncontiguous(boundaries: Any, values: Any) -> None:
    """PyTorch's TORCH_WARN_ONCE for each non-contiguous input it copies."""
    for what, t, line in (("input value", values, 32), ("boundary", boundaries, 38)):
        if isinstance(t, Tensor) and not t.is_contiguous() and what not in _warned:
            _warned.add(what)
            warn_at_caller(triggered_internally(_NONCONTIGUOUS.format(what=what),
                                                f"native/BucketizationUtils.h:{line}"))
