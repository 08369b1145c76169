"""Lazy modules: `in_features` / `in_channels` / `num_features` taken from the first input,
after which the module becomes its plain class (`LazyLinear` -> `Linear`)."""

from __future__ import annotations

from ..._core import Tensor
from ..._grad_mode import no_grad
from .. import init
from .._uninitialized import UninitializedBuffer, UninitializedParameter, is_lazy
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .linear import Linear
from .normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d

__all__ = [
    "LazyBatchNorm1d",
    "LazyBatchNorm2d",
    "LazyBatchNorm3d",
    "LazyConv1d",
    "LazyConv2d",
    "LazyConv3d",
    "LazyConvTranspose1d",
    "LazyConvTranspose2d",
    "LazyConvTranspose3d",
    "LazyLinear",
]


def _infer_parameters(module, args, kwargs=None):
    """The forward pre-hook: shapes the parameters from the first input, then retires itself."""
    kwargs = kwargs if kwargs else {}
    module.initialize_parameters(*args, **kwargs)
    if module.has_uninitialized_params():
        raise RuntimeError(f"module {module._get_name()} has not been fully initialized")
    module._initialize_hook.remove()
    delattr(module, "_initialize_hook")
    if module.cls_to_become is not None:
        module.__class__ = module.cls_to_become


class LazyModuleMixin:
    """Registers the pre-hook that materialises the parameters on the first call; a
    state_dict loaded before that gives them its shapes."""

    cls_to_become: type | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._initialize_hook = self.register_forward_pre_hook(_infer_parameters, with_kwargs=True)

    def has_uninitialized_params(self) -> bool:
        tensors = list(self._parameters.values()) + list(self._buffers.values())
        return any(is_lazy(t) for t in tensors)

    def initialize_parameters(self, *args, **kwargs) -> None:
        """Gives the uninitialized parameters their shapes from the first input."""
        raise NotImplementedError(f"initialize_parameters is not implemented for {self.__class__.__name__}")

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs):
        for name, t in list(self._parameters.items()) + list(self._buffers.items()):
            key = prefix + name
            if key in state_dict and t is not None and is_lazy(t) and not is_lazy(state_dict[key]):
                with no_grad():
                    t.materialize(tuple(state_dict[key].shape))
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)


class LazyLinear(LazyModuleMixin, Linear):
    """A Linear whose in_features is the last dim of its first input.

    Args:
        out_features: the size of each output's last dim.
        bias: learn an additive bias (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
    """

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(0, 0, False)
        self.weight = UninitializedParameter(dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)

    def reset_parameters(self) -> None:
        """Re-initializes the parameters as the constructor does."""
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor) -> None:
        """Gives the uninitialized parameters their shapes from the first input."""
        if self.has_uninitialized_params():
            with no_grad():
                self.in_features = input.shape[-1]
                self.weight.materialize((self.out_features, self.in_features))
                if self.bias is not None:
                    self.bias.materialize((self.out_features,))
                self.reset_parameters()


class _LazyConvMixin(LazyModuleMixin):
    def _lazy_setup(self, out_channels: int, bias: bool, dtype) -> None:
        self.weight = UninitializedParameter(dtype=dtype)
        self.out_channels = out_channels
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)

    def reset_parameters(self) -> None:
        """Re-initializes the parameters as the constructor does."""
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()

    def _get_in_channels(self, input: Tensor) -> int:
        unbatched = self._nd + 1  # type: ignore[attr-defined]
        batched = unbatched + 1
        if input.dim() not in (unbatched, batched):
            raise RuntimeError(
                f"Expected {unbatched}D (unbatched) or {batched}D (batched) input to {self.__class__.__name__}, "
                f"but got input of size: {input.shape}"
            )
        return input.shape[1] if input.dim() == batched else input.shape[0]

    def initialize_parameters(self, input: Tensor, *args, **kwargs) -> None:
        """Gives the uninitialized parameters their shapes from the first input."""
        if self.has_uninitialized_params():
            self.in_channels = self._get_in_channels(input)
            if self.in_channels % self.groups != 0:
                raise ValueError("in_channels must be divisible by groups")
            if self.transposed:
                shape = (self.in_channels, self.out_channels // self.groups, *self.kernel_size)
            else:
                shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
            with no_grad():
                self.weight.materialize(shape)
                if self.bias is not None:
                    self.bias.materialize((self.out_channels,))
            self.reset_parameters()


class _LazyConv(_LazyConvMixin):
    def __init__(self, out_channels: int, kernel_size, stride=1, padding=0, dilation=1, groups: int = 1,
                 bias: bool = True, padding_mode: str = "zeros", device=None, dtype=None) -> None:
        super().__init__(0, 0, kernel_size, stride, padding, dilation, groups, False, padding_mode)
        self._lazy_setup(out_channels, bias, dtype)


class _LazyConvTranspose(_LazyConvMixin):
    def __init__(self, out_channels: int, kernel_size, stride=1, padding=0, output_padding=0, groups: int = 1,
                 bias: bool = True, dilation=1, padding_mode: str = "zeros", device=None, dtype=None) -> None:
        super().__init__(0, 0, kernel_size, stride, padding, output_padding, groups, False, dilation, padding_mode)
        self._lazy_setup(out_channels, bias, dtype)


class LazyConv1d(_LazyConv, Conv1d):
    """A Conv1d whose in_channels comes from its first input.

    Args:
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
    """

    cls_to_become = Conv1d


class LazyConv2d(_LazyConv, Conv2d):
    """A Conv2d whose in_channels comes from its first input.

    Args:
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
    """

    cls_to_become = Conv2d


class LazyConv3d(_LazyConv, Conv3d):
    """A Conv3d whose in_channels comes from its first input.

    Args:
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
    """

    cls_to_become = Conv3d


class LazyConvTranspose1d(_LazyConvTranspose, ConvTranspose1d):
    """A ConvTranspose1d whose in_channels comes from its first input.

    Args:
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
    """

    cls_to_become = ConvTranspose1d


class LazyConvTranspose2d(_LazyConvTranspose, ConvTranspose2d):
    """A ConvTranspose2d whose in_channels comes from its first input.

    Args:
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
    """

    cls_to_become = ConvTranspose2d


class LazyConvTranspose3d(_LazyConvTranspose, ConvTranspose3d):
    """A ConvTranspose3d whose in_channels comes from its first input.

    Args:
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
    """

    cls_to_become = ConvTranspose3d


class _LazyNormMixin(LazyModuleMixin):
    def __init__(self, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None) -> None:
        from ..._core import int64
        from ..._creation import tensor

        super().__init__(0, eps, momentum, False, False)
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = UninitializedParameter(dtype=dtype)
            self.bias = UninitializedParameter(dtype=dtype)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(dtype=dtype)
            self.running_var = UninitializedBuffer(dtype=dtype)
            self.num_batches_tracked = tensor(0, dtype=int64)

    def reset_parameters(self) -> None:
        """Re-initializes the parameters as the constructor does."""
        if not self.has_uninitialized_params() and self.num_features != 0:
            with no_grad():
                if self.track_running_stats:
                    self.running_mean.zero_()
                    self.running_var.fill_(1)
                    self.num_batches_tracked.zero_()
            if self.affine:
                init.ones_(self.weight)
                init.zeros_(self.bias)

    def initialize_parameters(self, input: Tensor) -> None:
        """Gives the uninitialized parameters their shapes from the first input."""
        if self.has_uninitialized_params():
            self.num_features = input.shape[1]
            with no_grad():
                if self.affine:
                    self.weight.materialize((self.num_features,))
                    self.bias.materialize((self.num_features,))
                if self.track_running_stats:
                    self.running_mean.materialize((self.num_features,))
                    self.running_var.materialize((self.num_features,))
            self.reset_parameters()


class LazyBatchNorm1d(_LazyNormMixin, BatchNorm1d):
    """A BatchNorm1d whose num_features comes from its first input.

    Args:
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1); None uses the
            cumulative average (each batch weighs 1 / num_batches_tracked).
        affine: learn a per-channel scale (weight) and shift (bias) (default True).
        track_running_stats: keep running mean and variance, used in eval mode (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C) or (N, C, L); the output has the same shape.
    """

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyNormMixin, BatchNorm2d):
    """A BatchNorm2d whose num_features comes from its first input.

    Args:
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1); None uses the
            cumulative average (each batch weighs 1 / num_batches_tracked).
        affine: learn a per-channel scale (weight) and shift (bias) (default True).
        track_running_stats: keep running mean and variance, used in eval mode (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C, H, W); the output has the same shape.
    """

    cls_to_become = BatchNorm2d


class LazyBatchNorm3d(_LazyNormMixin, BatchNorm3d):
    """A BatchNorm3d whose num_features comes from its first input.

    Args:
        eps: added to the variance for numerical stability (default 1e-5).
        momentum: the update factor of the running statistics (default 0.1); None uses the
            cumulative average (each batch weighs 1 / num_batches_tracked).
        affine: learn a per-channel scale (weight) and shift (bias) (default True).
        track_running_stats: keep running mean and variance, used in eval mode (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (N, C, D, H, W); the output has the same shape.
    """

    cls_to_become = BatchNorm3d
