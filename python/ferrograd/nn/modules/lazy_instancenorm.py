"""LazyInstanceNorm1d/2d/3d: InstanceNorm*d whose num_features comes from the first input
(PyTorch's lazy defaults: affine and track_running_stats on)."""

from __future__ import annotations

from .lazy import _LazyNormMixin
from .normalization_more import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d

__all__ = ["LazyInstanceNorm1d", "LazyInstanceNorm2d", "LazyInstanceNorm3d"]


class LazyInstanceNorm1d(_LazyNormMixin, InstanceNorm1d):
    """An InstanceNorm1d whose num_features comes from its first input."""

    cls_to_become = InstanceNorm1d


class LazyInstanceNorm2d(_LazyNormMixin, InstanceNorm2d):
    """An InstanceNorm2d whose num_features comes from its first input."""

    cls_to_become = InstanceNorm2d


class LazyInstanceNorm3d(_LazyNormMixin, InstanceNorm3d):
    """An InstanceNorm3d whose num_features comes from its first input."""

    cls_to_become = InstanceNorm3d
