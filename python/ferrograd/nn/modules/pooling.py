"""Pooling, unpooling, upsampling and pixel-shuffle modules, with PyTorch's reprs."""

from __future__ import annotations

from ..._core import Tensor
from .. import functional as F
from .module import Module
from .utils import _ntuple

__all__ = [
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveAvgPool3d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "LPPool1d",
    "LPPool2d",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "MaxUnpool1d",
    "MaxUnpool2d",
    "MaxUnpool3d",
    "PixelShuffle",
    "PixelUnshuffle",
    "Upsample",
    "UpsamplingBilinear2d",
    "UpsamplingNearest2d",
]



class _MaxPoolNd(Module):
    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )

    def _args(self):
        return self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode, self.return_indices


class MaxPool1d(_MaxPoolNd):
    """1-d max pooling.

    Args:
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        padding: implicit -inf padding on both sides (default 0, at most half the kernel).
        dilation: the spacing between window elements (default 1).
        return_indices: also return the flat indices of the maxima, for MaxUnpool
            (default False).
        ceil_mode: round the output size up instead of down (default False).

    Shape:
        input (N, C, *S) or (C, *S) with 1 spatial dims S.
    """

    def forward(self, input: Tensor):
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.max_pool1d(input, *self._args())


class MaxPool2d(_MaxPoolNd):
    """2-d max pooling.

    Args:
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        padding: implicit -inf padding on both sides (default 0, at most half the kernel).
        dilation: the spacing between window elements (default 1).
        return_indices: also return the flat indices of the maxima, for MaxUnpool
            (default False).
        ceil_mode: round the output size up instead of down (default False).

    Shape:
        input (N, C, *S) or (C, *S) with 2 spatial dims S.
    """

    def forward(self, input: Tensor):
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.max_pool2d(input, *self._args())


class MaxPool3d(_MaxPoolNd):
    """3-d max pooling.

    Args:
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        padding: implicit -inf padding on both sides (default 0, at most half the kernel).
        dilation: the spacing between window elements (default 1).
        return_indices: also return the flat indices of the maxima, for MaxUnpool
            (default False).
        ceil_mode: round the output size up instead of down (default False).

    Shape:
        input (N, C, *S) or (C, *S) with 3 spatial dims S.
    """

    def forward(self, input: Tensor):
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.max_pool3d(input, *self._args())


class _MaxUnpoolNd(Module):
    _n = 1

    def __init__(self, kernel_size, stride=None, padding=0) -> None:
        super().__init__()
        self.kernel_size = _ntuple(self._n)(kernel_size)
        self.stride = _ntuple(self._n)(stride if stride is not None else kernel_size)
        self.padding = _ntuple(self._n)(padding)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    """The inverse of MaxPool1d.

    Args:
        kernel_size: the window size of the pooling being inverted.
        stride: its stride; None (default) means kernel_size.
        padding: its padding (default 0).

    Shape:
        input (N, C, *S) or (C, *S) with 1 spatial dims S.
    """

    _n = 1

    def forward(self, input: Tensor, indices: Tensor, output_size=None) -> Tensor:
        """Scatters `input` to the positions `indices` of a zero tensor.

        Args:
            input: the pooled values.
            indices: the flat indices the max pooling returned, of input's shape.
            output_size: the size of the result (to undo a pooling that rounded down); None
                (default) computes it from kernel_size, stride and padding.
        """
        return F.max_unpool1d(input, indices, self.kernel_size, self.stride, self.padding, output_size)


class MaxUnpool2d(_MaxUnpoolNd):
    """The inverse of MaxPool2d.

    Args:
        kernel_size: the window size of the pooling being inverted.
        stride: its stride; None (default) means kernel_size.
        padding: its padding (default 0).

    Shape:
        input (N, C, *S) or (C, *S) with 2 spatial dims S.
    """

    _n = 2

    def forward(self, input: Tensor, indices: Tensor, output_size=None) -> Tensor:
        """Scatters `input` to the positions `indices` of a zero tensor.

        Args:
            input: the pooled values.
            indices: the flat indices the max pooling returned, of input's shape.
            output_size: the size of the result (to undo a pooling that rounded down); None
                (default) computes it from kernel_size, stride and padding.
        """
        return F.max_unpool2d(input, indices, self.kernel_size, self.stride, self.padding, output_size)


class MaxUnpool3d(_MaxUnpoolNd):
    """The inverse of MaxPool3d.

    Args:
        kernel_size: the window size of the pooling being inverted.
        stride: its stride; None (default) means kernel_size.
        padding: its padding (default 0).

    Shape:
        input (N, C, *S) or (C, *S) with 3 spatial dims S.
    """

    _n = 3

    def forward(self, input: Tensor, indices: Tensor, output_size=None) -> Tensor:
        """Scatters `input` to the positions `indices` of a zero tensor.

        Args:
            input: the pooled values.
            indices: the flat indices the max pooling returned, of input's shape.
            output_size: the size of the result (to undo a pooling that rounded down); None
                (default) computes it from kernel_size, stride and padding.
        """
        return F.max_unpool3d(input, indices, self.kernel_size, self.stride, self.padding, output_size)


class AvgPool1d(Module):
    """1-d average pooling.

    Args:
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        padding: zeros added on both sides of each spatial dim (default 0).
        ceil_mode: round the output size up instead of down (default False).
        count_include_pad: count the padding zeros in the averages' divisors (default True).

    Shape:
        input (N, C, *S) or (C, *S) with 1 spatial dims S.
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False, count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size = _ntuple(1)(kernel_size)
        self.stride = _ntuple(1)(stride if stride is not None else kernel_size)
        self.padding = _ntuple(1)(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)


class _AvgPoolNd(Module):
    def __init__(
        self, kernel_size, stride=None, padding=0, ceil_mode: bool = False, count_include_pad: bool = True, divisor_override=None
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def _args(self):
        return self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad, self.divisor_override


class AvgPool2d(_AvgPoolNd):
    """2-d average pooling.

    Args:
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        padding: zeros added on both sides of each spatial dim (default 0).
        ceil_mode: round the output size up instead of down (default False).
        count_include_pad: count the padding zeros in the averages' divisors (default True).
        divisor_override: divide every window's sum by this instead (default None).

    Shape:
        input (N, C, *S) or (C, *S) with 2 spatial dims S.
    """

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.avg_pool2d(input, *self._args())


class AvgPool3d(_AvgPoolNd):
    """3-d average pooling.

    Args:
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        padding: zeros added on both sides of each spatial dim (default 0).
        ceil_mode: round the output size up instead of down (default False).
        count_include_pad: count the padding zeros in the averages' divisors (default True).
        divisor_override: divide every window's sum by this instead (default None).

    Shape:
        input (N, C, *S) or (C, *S) with 3 spatial dims S.
    """

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.avg_pool3d(input, *self._args())


class _LPPoolNd(Module):
    def __init__(self, norm_type: float, kernel_size, stride=None, ceil_mode: bool = False) -> None:
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        return (
            f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
            f"ceil_mode={self.ceil_mode}"
        )


class LPPool1d(_LPPoolNd):
    """Power-average pooling over 1-d windows.

    Args:
        norm_type: p, the power.
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        ceil_mode: round the output size up instead of down (default False).

    Shape:
        input (N, C, *S) or (C, *S) with 1 spatial dims S.
    """

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.lp_pool1d(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)


class LPPool2d(_LPPoolNd):
    """Power-average pooling over 2-d windows.

    Args:
        norm_type: p, the power.
        kernel_size: the window size, an int or one per spatial dim.
        stride: the step of the windows; None (default) means kernel_size.
        ceil_mode: round the output size up instead of down (default False).

    Shape:
        input (N, C, *S) or (C, *S) with 2 spatial dims S.
    """

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.lp_pool2d(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)


class _AdaptivePoolNd(Module):
    def __init__(self, output_size, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePoolNd):
    """Average pooling to a fixed length.

    Args:
        output_size: the output's spatial size, an int or one per dim (None keeps that dim).

    Shape:
        input (N, C, *S) or (C, *S) with 1 spatial dims S.
    """

    def __init__(self, output_size) -> None:
        super().__init__(output_size)
        del self.return_indices

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(AdaptiveAvgPool1d):
    """Average pooling to a fixed (H, W).

    Args:
        output_size: the output's spatial size, an int or one per dim (None keeps that dim).

    Shape:
        input (N, C, *S) or (C, *S) with 2 spatial dims S.
    """

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.adaptive_avg_pool2d(input, self.output_size)


class AdaptiveAvgPool3d(AdaptiveAvgPool1d):
    """Average pooling to a fixed (D, H, W).

    Args:
        output_size: the output's spatial size, an int or one per dim (None keeps that dim).

    Shape:
        input (N, C, *S) or (C, *S) with 3 spatial dims S.
    """

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.adaptive_avg_pool3d(input, self.output_size)


class AdaptiveMaxPool1d(_AdaptivePoolNd):
    """Max pooling to a fixed length.

    Args:
        output_size: the output's spatial size, an int or one per dim (None keeps that dim).
        return_indices: also return the flat indices of the maxima, for MaxUnpool
            (default False).

    Shape:
        input (N, C, *S) or (C, *S) with 1 spatial dims S.
    """

    def forward(self, input: Tensor):
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.adaptive_max_pool1d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptivePoolNd):
    """Max pooling to a fixed (H, W).

    Args:
        output_size: the output's spatial size, an int or one per dim (None keeps that dim).
        return_indices: also return the flat indices of the maxima, for MaxUnpool
            (default False).

    Shape:
        input (N, C, *S) or (C, *S) with 2 spatial dims S.
    """

    def forward(self, input: Tensor):
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.adaptive_max_pool2d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool3d(_AdaptivePoolNd):
    """Max pooling to a fixed (D, H, W).

    Args:
        output_size: the output's spatial size, an int or one per dim (None keeps that dim).
        return_indices: also return the flat indices of the maxima, for MaxUnpool
            (default False).

    Shape:
        input (N, C, *S) or (C, *S) with 3 spatial dims S.
    """

    def forward(self, input: Tensor):
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.adaptive_max_pool3d(input, self.output_size, self.return_indices)


class Upsample(Module):
    """`F.interpolate` as a module.

    Args:
        size: the output's spatial size, an int or one per dim (give it or `scale_factor`).
        scale_factor: the multiplier of the spatial size, a float or one per dim.
        mode: 'nearest' (default), 'linear', 'bilinear', 'bicubic', 'trilinear', 'area' or
            'nearest-exact'.
        align_corners: for the linear modes: align the corner pixels' centres (default None,
            meaning False).
        recompute_scale_factor: compute the sampling from the output size rather than from
            `scale_factor` (default None).
    """

    def __init__(self, size=None, scale_factor=None, mode: str = "nearest", align_corners=None, recompute_scale_factor=None) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.interpolate(
            input, self.size, self.scale_factor, self.mode, self.align_corners, recompute_scale_factor=self.recompute_scale_factor
        )

    def extra_repr(self) -> str:
        if self.scale_factor is not None:
            info = "scale_factor=" + repr(self.scale_factor)
        else:
            info = "size=" + repr(self.size)
        return info + ", mode=" + repr(self.mode)


class UpsamplingNearest2d(Upsample):
    """Nearest-neighbour 2-d upsampling.

    Args:
        size: the output's spatial size, an int or one per dim (give it or `scale_factor`).
        scale_factor: the multiplier of the spatial size, a float or one per dim.
    """

    def __init__(self, size=None, scale_factor=None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Bilinear 2-d upsampling with aligned corners.

    Args:
        size: the output's spatial size, an int or one per dim (give it or `scale_factor`).
        scale_factor: the multiplier of the spatial size, a float or one per dim.
    """

    def __init__(self, size=None, scale_factor=None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


class PixelShuffle(Module):
    """(*, C·r², H, W) → (*, C, H·r, W·r).

    Args:
        upscale_factor: r, the factor by which H and W grow.
    """

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """(*, C, H·r, W·r) → (*, C·r², H, W).

    Args:
        downscale_factor: r, the factor by which H and W shrink.
    """

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"
