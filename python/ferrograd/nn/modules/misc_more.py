"""Softmax2d, ChannelShuffle, LPPool3d and FractionalMaxPool2d/3d (PyTorch's arguments
and reprs)."""

from __future__ import annotations

from ..._core import Tensor
from .. import functional as F
from .module import Module
from .pooling import _LPPoolNd
from .utils import _ntuple

__all__ = ["ChannelShuffle", "FractionalMaxPool2d", "FractionalMaxPool3d", "LPPool3d", "Softmax2d"]


class Softmax2d(Module):
    """softmax over the channels (dim -3) of (N, C, H, W) or (C, H, W)."""

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        if input.dim() not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D instead")
        return F.softmax(input, -3)


class ChannelShuffle(Module):
    """Interleaves `groups` groups of channels."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.channel_shuffle(input, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"


class LPPool3d(_LPPoolNd):
    """Power-average pooling over 3-d windows.

    Args:
        norm_type: p, the power.
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        ceil_mode: round the output size up instead of down (default False).

    Shape:
        input (N, C, *S) or (C, *S) with 3 spatial dims S.
    """

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.lp_pool3d(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)


class _FractionalMaxPoolNd(Module):
    _nd = 2

    def __init__(self, kernel_size, output_size=None, output_ratio=None, return_indices: bool = False,
                 _random_samples=None) -> None:
        super().__init__()
        nd = self._nd
        name = type(self).__name__

        ntuple = _ntuple(nd)  # PyTorch's: any iterable, a tensor too, is read as its items

        if nd == 3 and ((isinstance(kernel_size, int) and kernel_size <= 0) or (
                isinstance(kernel_size, (tuple, list)) and not all(k > 0 for k in kernel_size))):
            raise ValueError(f"kernel_size must be greater than 0, but got {kernel_size}")
        self.kernel_size = ntuple(kernel_size)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = ntuple(output_size) if output_size is not None else None
        self.output_ratio = ntuple(output_ratio) if output_ratio is not None else None
        if output_size is None and output_ratio is None:
            raise ValueError(f"{name} requires specifying either an output size, or a pooling ratio")
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")


class FractionalMaxPool2d(_FractionalMaxPoolNd):
    """Max over pseudo-random overlapping 2-d windows.

    Args:
        kernel_size: the window size, an int or one per spatial dim.
        output_size: the output's spatial size (give it or `output_ratio`).
        output_ratio: the output size as a fraction of the input's, in (0, 1).
        return_indices: also return the flat indices of the maxima (default False).
        _random_samples: fixed (N, C, n) samples in [0, 1) that place the windows; None
            (default) draws new ones at each call.

    Shape:
        input (N, C, *S) or (C, *S) with 2 spatial dims S.
    """

    _nd = 2

    def forward(self, input: Tensor):
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.fractional_max_pool2d(input, self.kernel_size, self.output_size, self.output_ratio,
                                       self.return_indices, _random_samples=self._random_samples)


class FractionalMaxPool3d(_FractionalMaxPoolNd):
    """Max over pseudo-random overlapping 3-d windows.

    Args:
        kernel_size: the window size, an int or one per spatial dim.
        output_size: the output's spatial size (give it or `output_ratio`).
        output_ratio: the output size as a fraction of the input's, in (0, 1).
        return_indices: also return the flat indices of the maxima (default False).
        _random_samples: fixed (N, C, n) samples in [0, 1) that place the windows; None
            (default) draws new ones at each call.

    Shape:
        input (N, C, *S) or (C, *S) with 3 spatial dims S.
    """

    _nd = 3

    def forward(self, input: Tensor):
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.fractional_max_pool3d(input, self.kernel_size, self.output_size, self.output_ratio,
                                       self.return_indices, _random_samples=self._random_samples)
