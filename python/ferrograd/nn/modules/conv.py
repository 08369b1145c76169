"""Convolution layers: `Conv1d/2d/3d`, `ConvTranspose1d/2d/3d`, `Unfold`, `Fold`.

Constructor arguments, checks, default initialisation (the same numbers as PyTorch
after the same `manual_seed`) and reprs are PyTorch's.
"""

from __future__ import annotations

import math

from ..._core import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module
from .utils import _ntuple

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "Fold", "Unfold"]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")



class _ConvNd(Module):
    """What the convolution layers share: parameters, their initialisation, the repr."""

    _nd = 0
    _fn_name = ""

    @property
    def _fn(self):
        # looked up on each call: a tensor subclass that dispatches wraps nn.functional's
        # functions once it is defined (see `_subclass_dispatch`)
        return getattr(F, self._fn_name)

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride, padding, dilation,
                 transposed: bool, output_padding, groups: int, bias: bool, padding_mode: str,
                 device=None, dtype=None) -> None:
        super().__init__()
        from ..._creation import empty

        nd = self._nd
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        kernel_size = _ntuple(nd)(kernel_size)
        stride = _ntuple(nd)(stride)
        dilation = _ntuple(nd)(dilation)
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                valid = {"same", "valid"}  # printed as a set: its order follows the hash seed, as PyTorch's
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {valid}")
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        else:
            padding = _ntuple(nd)(padding)
        if padding_mode not in _PADDING_MODES:
            modes = {"zeros", "reflect", "replicate", "circular"}  # a set: printed in PyTorch's hash order
            raise ValueError(f"padding_mode must be one of {modes}, but got padding_mode='{padding_mode}'")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.transposed = transposed
        self.output_padding = _ntuple(nd)(output_padding)
        self.groups = groups
        self.padding_mode = padding_mode
        self._reversed_padding_repeated_twice = self._pad_amounts()
        if transposed:
            shape = (in_channels, out_channels // groups, *kernel_size)
        else:
            shape = (out_channels, in_channels // groups, *kernel_size)
        self.weight = Parameter(empty(shape, dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(empty(out_channels, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def _pad_amounts(self) -> tuple[int, ...] | list[int]:
        """F.pad's amounts (last dim first, before/after) for the non-zero padding modes."""
        nd = len(self.kernel_size)
        if not isinstance(self.padding, str):
            return tuple(p for p in reversed(self.padding) for _ in range(2))
        out = [0, 0] * nd
        if self.padding == "same":
            for i, (d, k) in enumerate(zip(reversed(self.dilation), reversed(self.kernel_size))):
                total = d * (k - 1)
                out[2 * i] = total // 2
                out[2 * i + 1] = total - total // 2
        return out

    def reset_parameters(self) -> None:
        """Re-initialises the parameters as PyTorch does at construction."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if isinstance(self.padding, str) or any(p != 0 for p in self.padding):
            s += f", padding={self.padding}"
        if any(d != 1 for d in self.dilation):
            s += f", dilation={self.dilation}"
        if any(p != 0 for p in self.output_padding):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class _Conv(_ConvNd):
    _fn_name = "conv1d"

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device=None,
                 dtype=None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, False, 0, groups,
                         bias, padding_mode, device, dtype)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        if self.padding_mode != "zeros":
            pad = getattr(F, "pad", None)
            if pad is None:
                raise NotImplementedError(
                    f"padding_mode='{self.padding_mode}' needs ferrograd.nn.functional.pad, which is not available"
                )
            padded = pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            return self._fn(padded, weight, bias, self.stride, 0, self.dilation, self.groups)
        return self._fn(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return self._conv_forward(input, self.weight, self.bias)


class Conv1d(_Conv):
    """1-d convolution over `[N, C_in, L]` input.

    Args:
        in_channels: C_in, the number of input channels.
        out_channels: C_out, the number of output channels.
        kernel_size: the size of the filters, an int or one per spatial dim.
        stride: the step of the windows, an int or one per spatial dim (default 1).
        padding: zeros (or `padding_mode` values) added on both sides: an int, one per
            spatial dim, 'valid' (none) or 'same' (output as large as the input; stride 1);
            default 0.
        dilation: the spacing between kernel elements (default 1).
        groups: split the channels into this many independent groups; both channel counts
            must be divisible by it (default 1).
        bias: learn an additive bias per output channel (default True).
        padding_mode: 'zeros' (default), 'reflect', 'replicate' or 'circular'.
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C_in, L) or (C_in, L) -> output (N, C_out, *) or (C_out, *).
        Weight (C_out, C_in / groups, *kernel_size).
    """

    _nd = 1
    _fn_name = "conv1d"


class Conv2d(_Conv):
    """2-d convolution over `[N, C_in, H, W]` input.

    Args:
        in_channels: C_in, the number of input channels.
        out_channels: C_out, the number of output channels.
        kernel_size: the size of the filters, an int or one per spatial dim.
        stride: the step of the windows, an int or one per spatial dim (default 1).
        padding: zeros (or `padding_mode` values) added on both sides: an int, one per
            spatial dim, 'valid' (none) or 'same' (output as large as the input; stride 1);
            default 0.
        dilation: the spacing between kernel elements (default 1).
        groups: split the channels into this many independent groups; both channel counts
            must be divisible by it (default 1).
        bias: learn an additive bias per output channel (default True).
        padding_mode: 'zeros' (default), 'reflect', 'replicate' or 'circular'.
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C_in, H, W) or (C_in, H, W) -> output (N, C_out, *) or (C_out, *).
        Weight (C_out, C_in / groups, *kernel_size).
    """

    _nd = 2
    _fn_name = "conv2d"


class Conv3d(_Conv):
    """3-d convolution over `[N, C_in, D, H, W]` input.

    Args:
        in_channels: C_in, the number of input channels.
        out_channels: C_out, the number of output channels.
        kernel_size: the size of the filters, an int or one per spatial dim.
        stride: the step of the windows, an int or one per spatial dim (default 1).
        padding: zeros (or `padding_mode` values) added on both sides: an int, one per
            spatial dim, 'valid' (none) or 'same' (output as large as the input; stride 1);
            default 0.
        dilation: the spacing between kernel elements (default 1).
        groups: split the channels into this many independent groups; both channel counts
            must be divisible by it (default 1).
        bias: learn an additive bias per output channel (default True).
        padding_mode: 'zeros' (default), 'reflect', 'replicate' or 'circular'.
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C_in, D, H, W) or (C_in, D, H, W) -> output (N, C_out, *) or (C_out, *).
        Weight (C_out, C_in / groups, *kernel_size).
    """

    _nd = 3
    _fn_name = "conv3d"


class _ConvTranspose(_ConvNd):
    _fn_name = "conv_transpose1d"

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 output_padding=0, groups: int = 1, bias: bool = True, dilation=1, padding_mode: str = "zeros",
                 device=None, dtype=None) -> None:
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {self.__class__.__name__}')
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, True, output_padding,
                         groups, bias, padding_mode, device, dtype)

    def _output_padding(self, input: Tensor, output_size) -> list[int]:
        """The output_padding that gives `output_size` (PyTorch's rule), or the module's."""
        nd = self._nd
        if output_size is None:
            return list(self.output_padding)
        batched = input.dim() == nd + 2
        non_spatial = 2 if batched else 1
        if len(output_size) == non_spatial + nd:  # the caller's sequence, sliced: it prints as given
            output_size = output_size[non_spatial:]
        if len(output_size) != nd:
            raise ValueError(
                f"ConvTranspose{nd}D: for {input.dim()}D input, output_size must have {nd} or "
                f"{non_spatial + nd} elements (got {len(output_size)})"
            )
        smallest, largest = [], []
        for d in range(nd):
            size = ((input.size(d + non_spatial) - 1) * self.stride[d] - 2 * self.padding[d]
                    + self.dilation[d] * (self.kernel_size[d] - 1) + 1)
            smallest.append(size)
            largest.append(size + self.stride[d] - 1)
        for size, lo, hi in zip(output_size, smallest, largest):
            if size < lo or size > hi:
                raise ValueError(
                    f"requested an output size of {output_size}, but valid sizes range from {smallest} to "
                    f"{largest} (for an input of {input.size()[2:]})"  # [2:] even unbatched, as PyTorch
                )
        return [output_size[d] - smallest[d] for d in range(nd)]

    def forward(self, input: Tensor, output_size=None) -> Tensor:
        """Applies the transposed convolution to `input`.

        Args:
            input: (N, C_in, *spatial) or (C_in, *spatial).
            output_size: the wanted output size (the spatial dims, optionally led by the batch
                and channel dims); it picks output_padding. None (default) uses the
                constructor's output_padding.
        """
        output_padding = self._output_padding(input, output_size)
        return self._fn(input, self.weight, self.bias, self.stride, self.padding, output_padding, self.groups,
                        self.dilation)


class ConvTranspose1d(_ConvTranspose):
    """1-d transposed convolution over `[N, C_in, L]` input.

    Args:
        in_channels: C_in, the number of input channels.
        out_channels: C_out, the number of output channels.
        kernel_size: the size of the filters, an int or one per spatial dim.
        stride: the step of the windows, an int or one per spatial dim (default 1).
        padding: dilation * (kernel_size - 1) - padding zeros are added on both sides of
            the input (default 0).
        output_padding: extra size added to one side of each output dim (default 0).
        groups: split the channels into this many independent groups (default 1).
        bias: learn an additive bias per output channel (default True).
        dilation: the spacing between kernel elements (default 1).
        padding_mode: only 'zeros' (default) is accepted.
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C_in, L) or (C_in, L) -> output (N, C_out, *) or (C_out, *).
        Weight (C_in, C_out / groups, *kernel_size).
    """

    _nd = 1
    _fn_name = "conv_transpose1d"


class ConvTranspose2d(_ConvTranspose):
    """2-d transposed convolution over `[N, C_in, H, W]` input.

    Args:
        in_channels: C_in, the number of input channels.
        out_channels: C_out, the number of output channels.
        kernel_size: the size of the filters, an int or one per spatial dim.
        stride: the step of the windows, an int or one per spatial dim (default 1).
        padding: dilation * (kernel_size - 1) - padding zeros are added on both sides of
            the input (default 0).
        output_padding: extra size added to one side of each output dim (default 0).
        groups: split the channels into this many independent groups (default 1).
        bias: learn an additive bias per output channel (default True).
        dilation: the spacing between kernel elements (default 1).
        padding_mode: only 'zeros' (default) is accepted.
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C_in, H, W) or (C_in, H, W) -> output (N, C_out, *) or (C_out, *).
        Weight (C_in, C_out / groups, *kernel_size).
    """

    _nd = 2
    _fn_name = "conv_transpose2d"


class ConvTranspose3d(_ConvTranspose):
    """3-d transposed convolution over `[N, C_in, D, H, W]` input.

    Args:
        in_channels: C_in, the number of input channels.
        out_channels: C_out, the number of output channels.
        kernel_size: the size of the filters, an int or one per spatial dim.
        stride: the step of the windows, an int or one per spatial dim (default 1).
        padding: dilation * (kernel_size - 1) - padding zeros are added on both sides of
            the input (default 0).
        output_padding: extra size added to one side of each output dim (default 0).
        groups: split the channels into this many independent groups (default 1).
        bias: learn an additive bias per output channel (default True).
        dilation: the spacing between kernel elements (default 1).
        padding_mode: only 'zeros' (default) is accepted.
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C_in, D, H, W) or (C_in, D, H, W) -> output (N, C_out, *) or (C_out, *).
        Weight (C_in, C_out / groups, *kernel_size).
    """

    _nd = 3
    _fn_name = "conv_transpose3d"


class Unfold(Module):
    """Extracts sliding local blocks of a batched image as columns (`F.unfold`).

    Args:
        kernel_size: the size of the blocks, an int or a pair.
        dilation: the spacing between block elements (default 1).
        padding: zeros added on both sides of each spatial dim (default 0).
        stride: the step of the blocks (default 1).

    Shape:
        input (N, C, H, W) or (C, H, W) -> output (N, C·∏kernel_size, L), L the number of blocks.
    """

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.padding = padding
        self.stride = stride

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
                f"stride={self.stride}")


class Fold(Module):
    """Sums sliding local blocks back into an image (`F.fold`).

    Args:
        output_size: the spatial size (H, W) of the output, an int or a pair.
        kernel_size: the size of the blocks, an int or a pair.
        dilation: the spacing between block elements (default 1).
        padding: the implicit zero padding on both sides, removed from the output (default 0).
        stride: the step of the blocks (default 1).

    Shape:
        input (N, C·∏kernel_size, L) or unbatched -> output (N, C, *output_size).
    """

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1) -> None:
        super().__init__()
        self.output_size = output_size
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.padding = padding
        self.stride = stride

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")
