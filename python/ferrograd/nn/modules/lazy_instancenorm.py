"""LazyInstanceNorm1d/2d/3d: InstanceNorm*d whose num_features comes from the first input
(PyTorch's lazy defaults: affine and track_running_stats on)."""

from __future__ import annotations

from .lazy import _LazyNormMixin
from .normalization_more import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d

__all__ = ["LazyInstanceNorm1d", "LazyInstanceNorm2d", "LazyInstanceNorm3d"]


class LazyInstanceNorm1d(_LazyNormMixin, InstanceNorm1d):
    """An InstanceNorm1d whose num_features comes from its first input.

    Args:
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1).
        affine: learn a per-channel scale (weight) and shift (bias) (default False).
        track_running_stats: keep running mean and variance, used in eval mode (default False: always the input's
            own statistics).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C, L) or (C, L); the output has the same shape.
    """

    cls_to_become = InstanceNorm1d


class LazyInstanceNorm2d(_LazyNormMixin, InstanceNorm2d):
    """An InstanceNorm2d whose num_features comes from its first input.

    Args:
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1).
        affine: learn a per-channel scale (weight) and shift (bias) (default False).
        track_running_stats: keep running mean and variance, used in eval mode (default False: always the input's
            own statistics).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C, H, W) or (C, H, W); the output has the same shape.
    """

    cls_to_become = InstanceNorm2d


class LazyInstanceNorm3d(_LazyNormMixin, InstanceNorm3d):
    """An InstanceNorm3d whose num_features comes from its first input.

    Args:
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1).
        affine: learn a per-channel scale (weight) and shift (bias) (default False).
        track_running_stats: keep running mean and variance, used in eval mode (default False: always the input's
            own statistics).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C, D, H, W) or (C, D, H, W); the output has the same shape.
    """

    cls_to_become = InstanceNorm3d
