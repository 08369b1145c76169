"""PyTorch's top-level forms of the neural-network functions (`torch.conv2d`,
`torch.dropout`, `torch.layer_norm`, `torch.embedding`, ...).

They keep the ATen signatures, which differ from `nn.functional` in places: dropout
takes a required `train`, `batch_norm` puts the affine parameters first, `embedding`
takes the weight first, losses take `reduction` as an int (0 none, 1 mean, 2 sum) that
is 0 when left out (PyTorch's binding does not reduce then), pools return values only.
`nn.functional` loads on the first call, not at import.
"""

from __future__ import annotations

import builtins
import numbers
import warnings

from ._activation_node import activation_node
from ._argcheck import need_int64, need_int64_elements, need_number
from ._argcheck import need_tensor as _need_tensor
from ._core import Tensor, bfloat16, float16, float32, float64
from ._dtype_names import scalar_name

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_max_pool1d",
    "affine_grid_generator",
    "alpha_dropout",
    "alpha_dropout_",
    "avg_pool1d",
    "batch_norm",
    "bilinear",
    "binary_cross_entropy_with_logits",
    "celu",
    "celu_",
    "channel_shuffle",
    "constant_pad_nd",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_tbc",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "convolution",
    "cosine_embedding_loss",
    "cosine_similarity",
    "ctc_loss",
    "dropout",
    "dropout_",
    "embedding",
    "embedding_bag",
    "feature_alpha_dropout",
    "feature_alpha_dropout_",
    "feature_dropout",
    "feature_dropout_",
    "grid_sampler",
    "grid_sampler_2d",
    "grid_sampler_3d",
    "group_norm",
    "hardshrink",
    "hinge_embedding_loss",
    "instance_norm",
    "kl_div",
    "layer_norm",
    "margin_ranking_loss",
    "max_pool1d",
    "max_pool1d_with_indices",
    "max_pool2d",
    "max_pool3d",
    "native_channel_shuffle",
    "pairwise_distance",
    "pdist",
    "pixel_shuffle",
    "pixel_unshuffle",
    "poisson_nll_loss",
    "prelu",
    "rms_norm",
    "rrelu",
    "rrelu_",
    "selu",
    "selu_",
    "threshold",
    "threshold_",
    "triplet_margin_loss",
]


def _F():
    from .nn import functional

    return functional


def _extra():
    from .nn import _functional_extra

    return _functional_extra


_REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}
_INTERPOLATION_MODES = {0: "bilinear", 1: "nearest", 2: "bicubic"}
_PADDING_MODES = {0: "zeros", 1: "border", 2: "reflection"}


def _int_arg(fn: str, arg: str, pos: int, value) -> int:
    """The parser's int: a Python or NumPy int, or a 0-dim integer tensor."""
    from ._parser_check import is_parser_int

    if not is_parser_int(value):
        raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be int, not {type(value).__name__}")
    return builtins.int(value)


def _reduction(fn: str, pos: int, value) -> str:
    """ATen's reduction: 1 mean, 2 sum, anything else no reduction."""
    return _REDUCTIONS.get(_int_arg(fn, "reduction", pos, value), "none")


def _need_floating(input: Tensor, kernel: str) -> None:
    if isinstance(input, Tensor) and not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(input.dtype)}'")


def _value_errors_as_runtime_errors(call):
    """nn.functional's Python checks raise ValueError where ATen raises RuntimeError."""
    try:
        return call()
    except ValueError as error:
        raise RuntimeError(str(error)) from None


def _check_p(p) -> None:
    if p < 0 or p > 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")


def _stride(stride):
    """ATen's empty `stride` (its default) means the kernel size."""
    if stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0):
        return None
    return stride


# ---- convolution -------------------------------------------------------------------


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """1-D convolution (as `nn.functional.conv1d`).

    Args:
        input: the input, (N, C_in, L) or (C_in, L).
        weight: the filters, (C_out, C_in / groups, kL).
        bias: an optional bias of C_out values.
        stride: the step of the kernel (int or 1-tuple).
        padding: implicit zero padding on both sides (int, 1-tuple, 'valid' or 'same').
        dilation: the spacing between kernel elements.
        groups: the number of blocked connections from input to output channels.
    """
    return _F().conv1d(input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """2-D convolution (as `nn.functional.conv2d`).

    Args:
        input: the input, (N, C_in, H, W) or (C_in, H, W).
        weight: the filters, (C_out, C_in / groups, kH, kW).
        bias: an optional bias of C_out values.
        stride: the step of the kernel (int or pair).
        padding: implicit zero padding (int, pair, 'valid' or 'same').
        dilation: the spacing between kernel elements.
        groups: the number of blocked connections from input to output channels.
    """
    return _F().conv2d(input, weight, bias, stride, padding, dilation, groups)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """3-D convolution (as `nn.functional.conv3d`).

    Args:
        input: the input, (N, C_in, D, H, W) or (C_in, D, H, W).
        weight: the filters, (C_out, C_in / groups, kD, kH, kW).
        bias: an optional bias of C_out values.
        stride: the step of the kernel (int or triple).
        padding: implicit zero padding (int, triple, 'valid' or 'same').
        dilation: the spacing between kernel elements.
        groups: the number of blocked connections from input to output channels.
    """
    return _F().conv3d(input, weight, bias, stride, padding, dilation, groups)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """1-D transposed convolution (as `nn.functional.conv_transpose1d`).

    Args:
        input: the input, (N, C_in, L) or (C_in, L).
        weight: the filters, (C_in, C_out / groups, kL).
        bias: an optional bias of C_out values.
        stride: the step of the kernel.
        padding: the implicit padding removed from both sides of the output.
        output_padding: extra size added to one side of the output.
        groups: the number of blocked connections from input to output channels.
        dilation: the spacing between kernel elements.
    """
    return _F().conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups, dilation)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """2-D transposed convolution (as `nn.functional.conv_transpose2d`).

    Args:
        input: the input, (N, C_in, H, W) or (C_in, H, W).
        weight: the filters, (C_in, C_out / groups, kH, kW).
        bias: an optional bias of C_out values.
        stride: the step of the kernel.
        padding: the implicit padding removed from both sides of the output.
        output_padding: extra size added to one side of each output dimension.
        groups: the number of blocked connections from input to output channels.
        dilation: the spacing between kernel elements.
    """
    return _F().conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """3-D transposed convolution (as `nn.functional.conv_transpose3d`).

    Args:
        input: the input, (N, C_in, D, H, W) or (C_in, D, H, W).
        weight: the filters, (C_in, C_out / groups, kD, kH, kW).
        bias: an optional bias of C_out values.
        stride: the step of the kernel.
        padding: the implicit padding removed from both sides of the output.
        output_padding: extra size added to one side of each output dimension.
        groups: the number of blocked connections from input to output channels.
        dilation: the spacing between kernel elements.
    """
    return _F().conv_transpose3d(input, weight, bias, stride, padding, output_padding, groups, dilation)


def convolution(input: Tensor, weight: Tensor, bias: Tensor | None, stride, padding, dilation, transposed: bool,
                output_padding, groups: int) -> Tensor:
    """The general convolution of ATen: a 1-, 2- or 3-D convolution (by the weight's
    dimensions), transposed or not.

    Args:
        input: the input, (N, C_in, *spatial).
        weight: the filters, (C_out, C_in / groups, *kernel), or (C_in, C_out / groups,
            *kernel) when transposed.
        bias: an optional bias of C_out values, or None.
        stride: the step of the kernel, one int per spatial dimension.
        padding: the padding, one int per spatial dimension.
        dilation: the spacing between kernel elements, one int per spatial dimension.
        transposed: whether the convolution is transposed.
        output_padding: extra output size of a transposed convolution, one int per
            spatial dimension.
        groups: the number of blocked connections from input to output channels.
    """
    spatial = weight.dim() - 2
    if spatial not in (1, 2, 3):
        raise RuntimeError(
            f"Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: {list(input.shape)}"
        )
    F = _F()
    if transposed:
        fn = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[spatial - 1]
        return fn(input, weight, bias, stride, padding, output_padding, groups, dilation)
    fn = (F.conv1d, F.conv2d, F.conv3d)[spatial - 1]
    return fn(input, weight, bias, stride, padding, dilation, groups)


def conv_tbc(input: Tensor, weight: Tensor, bias: Tensor, pad: int = 0) -> Tensor:
    """1-D convolution of a (time, batch, channels) input (as `nn.functional.conv_tbc`).

    Args:
        input: the input, (T, N, C_in).
        weight: the filters, (k, C_in, C_out).
        bias: the bias, C_out values.
        pad: the zero padding on both ends of the time dimension.
    """
    return _F().conv_tbc(input, weight, bias, pad)


# ---- dropout -----------------------------------------------------------------------


def dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """Zeroes elements with probability `p` and scales the rest by 1 / (1 - p) when
    `train`; otherwise returns `input`.

    Args:
        input: the input tensor.
        p: the probability of dropping, in [0, 1].
        train: whether to apply dropout.
    """
    _check_p(p)
    return _F().dropout(input, p, train, False)


def dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """In-place `dropout`.

    Args:
        input: the tensor to overwrite.
        p: the probability of dropping, in [0, 1].
        train: whether to apply dropout.
    """
    if not isinstance(input, Tensor):  # the parser's check comes before p's
        raise TypeError(f"dropout_(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    _check_p(p)
    return _F().dropout(input, p, train, True)


def alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """Alpha dropout (keeps SELU's mean and variance) when `train`; otherwise returns
    `input`.

    Args:
        input: the input tensor.
        p: the probability of dropping, in [0, 1].
        train: whether to apply dropout.
    """
    _check_p(p)
    return _extra()._dropout_impl(input, p, train, False, False, True)


def alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """In-place `alpha_dropout`.

    Args:
        input: the tensor to overwrite.
        p: the probability of dropping, in [0, 1].
        train: whether to apply dropout.
    """
    _check_p(p)
    return _extra()._dropout_impl(input, p, train, True, False, True)


def feature_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """Dropout of whole channels (one draw per (batch, channel) pair of an (N, C, *)
    input) when `train`; otherwise returns `input`.

    Args:
        input: the input, at least 2-D.
        p: the probability of dropping, in [0, 1].
        train: whether to apply dropout.
    """
    _check_p(p)
    return _extra()._dropout_impl(input, p, train, False, True, False)


def feature_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """In-place `feature_dropout`.

    Args:
        input: the tensor to overwrite, at least 2-D.
        p: the probability of dropping, in [0, 1].
        train: whether to apply dropout.
    """
    _check_p(p)
    return _extra()._dropout_impl(input, p, train, True, True, False)


def feature_alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """Alpha dropout of whole channels when `train`; otherwise returns `input`.

    Args:
        input: the input, at least 2-D.
        p: the probability of dropping, in [0, 1].
        train: whether to apply dropout.
    """
    _check_p(p)
    return _extra()._dropout_impl(input, p, train, False, True, True)


def feature_alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """In-place `feature_alpha_dropout`.

    Args:
        input: the tensor to overwrite, at least 2-D.
        p: the probability of dropping, in [0, 1].
        train: whether to apply dropout.
    """
    _check_p(p)
    return _extra()._dropout_impl(input, p, train, True, True, True)


# ---- normalisation -----------------------------------------------------------------


def _int_list(fn: str, arg: str, pos: int, value) -> list:
    if isinstance(value, (tuple, list)) or (isinstance(value, Tensor) and value.dim() == 1):
        return [int(v) for v in value]
    if hasattr(value, "__len__") and not isinstance(value, (str, bytes)):
        return [int(v) for v in value]
    raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be tuple of ints, not {type(value).__name__}")


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-05, cudnn_enable: bool = True) -> Tensor:
    """Normalises over the trailing `normalized_shape` dimensions (as
    `nn.functional.layer_norm`).

    Args:
        input: the input tensor.
        normalized_shape: the trailing shape normalised over (a sequence of ints).
        weight: an optional scale of shape `normalized_shape`.
        bias: an optional shift of shape `normalized_shape`.
        eps: added to the variance (default 1e-5).
        cudnn_enable: ignored (no cuDNN here).
    """
    need_int64_elements("layer_norm", "normalized_shape", normalized_shape)
    shape = _int_list("layer_norm", "normalized_shape", 2, normalized_shape)
    return _F().layer_norm(input, shape, weight, bias, eps)


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-05, cudnn_enabled: bool = True) -> Tensor:
    """Normalises each group of channels of an (N, C, *) input (as
    `nn.functional.group_norm`).

    Args:
        input: the input, (N, C, *).
        num_groups: the number of groups C is divided into.
        weight: an optional per-channel scale.
        bias: an optional per-channel shift.
        eps: added to the variance (default 1e-5).
        cudnn_enabled: ignored (no cuDNN here).
    """
    if isinstance(input, Tensor) and input.dim() < 2:  # ATen reads the batch and channel sizes first
        if input.dim() == 0:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    need_int64(num_groups)
    if num_groups <= 0:
        raise RuntimeError(f"Expected num groups to be greater than 0, got {num_groups}")
    return _F().group_norm(input, num_groups, weight, bias, eps)


def batch_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None, running_mean: Tensor | None,
               running_var: Tensor | None, training: bool, momentum: float, eps: float,
               cudnn_enabled: bool) -> Tensor:
    """Batch normalisation in ATen's argument order (as `nn.functional.batch_norm`).

    Args:
        input: the input, (N, C, *).
        weight: an optional per-channel scale, or None.
        bias: an optional per-channel shift, or None.
        running_mean: the running mean (updated in training), or None.
        running_var: the running variance (updated in training), or None.
        training: use the batch statistics (and update the running ones).
        momentum: the weight of the new statistics in the running ones.
        eps: added to the variance.
        cudnn_enabled: ignored (no cuDNN here).
    """
    if not training:
        if running_mean is None:
            raise RuntimeError("running_mean must be defined in evaluation mode")
        if running_var is None:
            raise RuntimeError("running_var must be defined in evaluation mode")
    return _F().batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None, running_mean: Tensor | None,
                  running_var: Tensor | None, use_input_stats: bool, momentum: float, eps: float,
                  cudnn_enabled: bool) -> Tensor:
    """Instance normalisation in ATen's argument order (as
    `nn.functional.instance_norm`).

    Args:
        input: the input, (N, C, *).
        weight: an optional per-channel scale, or None.
        bias: an optional per-channel shift, or None.
        running_mean: the running mean, or None.
        running_var: the running variance, or None.
        use_input_stats: normalise with each instance's statistics.
        momentum: the weight of the new statistics in the running ones.
        eps: added to the variance.
        cudnn_enabled: ignored (no cuDNN here).
    """
    return _F().instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def rms_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, eps: float | None = None) -> Tensor:
    """Root-mean-square normalisation over the trailing `normalized_shape` dimensions
    (as `nn.functional.rms_norm`).

    Args:
        input: the input tensor.
        normalized_shape: the trailing shape normalised over (a sequence of ints).
        weight: an optional scale of shape `normalized_shape`.
        eps: added to the mean square; None for the dtype's machine epsilon.
    """
    shape = _int_list("rms_norm", "normalized_shape", 2, normalized_shape)
    return _F().rms_norm(input, shape, weight, eps)


# ---- embedding, shuffles, distances ------------------------------------------------


def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1, scale_grad_by_freq: bool = False,
              sparse: bool = False) -> Tensor:
    """The rows of `weight` at `indices` (note the order: weight first, unlike
    `nn.functional.embedding`).

    Args:
        weight: the embedding matrix, (num_embeddings, embedding_dim).
        indices: an integer tensor of row indices.
        padding_idx: the row that gets no gradient; negative for none (default -1).
        scale_grad_by_freq: scale gradients by the inverse frequency of the indices.
        sparse: must be False (sparse gradients are not supported).
    """
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    rows = weight.shape[0]
    pad = padding_idx if 0 <= padding_idx < rows else None
    return _F().embedding(indices, weight, pad, None, 2.0, scale_grad_by_freq, sparse)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """Rearranges (*, C r², H, W) into (*, C, H r, W r).

    Args:
        input: the input tensor.
        upscale_factor: the factor r.
    """
    return _F().pixel_shuffle(input, upscale_factor)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """Rearranges (*, C, H r, W r) into (*, C r², H, W).

    Args:
        input: the input tensor.
        downscale_factor: the factor r.
    """
    return _F().pixel_unshuffle(input, downscale_factor)


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Interleaves the channels of (N, C, *) split into `groups` groups.

    Args:
        input: the input tensor.
        groups: the number of groups C is split into.
    """
    return _F().channel_shuffle(input, groups)


def native_channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """`channel_shuffle` by ATen's native kernel, which has no derivative: a result that
    requires grad carries PyTorch's `NotImplemented` node, whose backward raises.

    Args:
        input: the input tensor.
        groups: the number of groups C is split into.
    """
    from ._core import is_grad_enabled

    if not (input.requires_grad and is_grad_enabled()):
        return _F().channel_shuffle(input, groups)
    return _NativeChannelShuffle.apply(input, groups)


def _native_channel_shuffle_forward(ctx, input: Tensor, groups: int) -> Tensor:
    return _F().channel_shuffle(input, groups)


def _native_channel_shuffle_backward(ctx, grad: Tensor):
    raise RuntimeError("derivative for aten::native_channel_shuffle is not implemented")


def _make_native_channel_shuffle():
    from ._mathops import _node

    return _node("NotImplemented", _native_channel_shuffle_forward, _native_channel_shuffle_backward)


_NativeChannelShuffle = _make_native_channel_shuffle()


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    """The p-norm distances between each pair of rows of an (N, M) input, upper
    triangle in row order.

    Args:
        input: the input, (N, M).
        p: the norm degree (default 2).
    """
    return _F().pdist(input, p)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-06, keepdim: bool = False) -> Tensor:
    """The p-norm of x1 - x2 + eps over the last dimension.

    Args:
        x1: the first input.
        x2: the second input, broadcastable to x1.
        p: the norm degree (default 2).
        eps: added to the difference (default 1e-6).
        keepdim: keep the reduced dimension.
    """
    _need_tensor("pairwise_distance", "x1", 1, x1)
    _need_tensor("pairwise_distance", "x2", 2, x2)
    return _F().pairwise_distance(x1, x2, p, eps, keepdim)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-08) -> Tensor:
    """The cosine of the angle between x1 and x2 along `dim`.

    Args:
        x1: the first input.
        x2: the second input, broadcastable to x1.
        dim: the dimension of the vectors (default 1).
        eps: the lower bound of each norm (default 1e-8).
    """
    _need_tensor("cosine_similarity", "x1", 1, x1)
    _need_tensor("cosine_similarity", "x2", 2, x2)
    return _F().cosine_similarity(x1, x2, dim, eps)


# ---- activations -------------------------------------------------------------------


def celu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1)).

    Args:
        input: the input tensor.
        alpha: the scale of the negative part (default 1).
    """
    _need_floating(input, "elu_cpu")
    return _F().celu(input, alpha)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place `celu`.

    Args:
        input: the tensor to overwrite.
        alpha: the scale of the negative part (default 1).
    """
    _need_floating(input, "elu_cpu")
    return _F().celu(input, alpha, inplace=True)


def selu(input: Tensor) -> Tensor:
    """scale (max(0, x) + min(0, alpha (exp(x) - 1))) with SELU's constants.

    Args:
        input: the input tensor.
    """
    _need_floating(input, "elu_cpu")
    return _F().selu(input)


def selu_(input: Tensor) -> Tensor:
    """In-place `selu`.

    Args:
        input: the tensor to overwrite.
    """
    _need_floating(input, "elu_cpu")
    return _F().selu(input, inplace=True)


def rrelu(input: Tensor, lower: float = 0.125, upper: float = 1.0 / 3.0, training: bool = False,
          generator=None) -> Tensor:
    """Randomised leaky ReLU: negative slopes drawn uniformly in [lower, upper] when
    training, their mean otherwise.

    Args:
        input: the input tensor.
        lower: the lowest slope (default 1/8).
        upper: the highest slope (default 1/3).
        training: draw random slopes (default False).
        generator: the random generator to draw from; None for the default one.
    """
    from ._random import using

    _need_floating(input, "leaky_relu_cpu")
    with using(generator):
        return _F().rrelu(input, lower, upper, training)


def rrelu_(input: Tensor, lower: float = 0.125, upper: float = 1.0 / 3.0, training: bool = False,
           generator=None) -> Tensor:
    """In-place `rrelu`.

    Args:
        input: the tensor to overwrite.
        lower: the lowest slope (default 1/8).
        upper: the highest slope (default 1/3).
        training: draw random slopes (default False).
        generator: the random generator to draw from; None for the default one.
    """
    from ._random import using

    _need_floating(input, "leaky_relu_cpu")
    with using(generator):
        return _F().rrelu(input, lower, upper, training, inplace=True)


def threshold(input: Tensor, threshold: float, value: float) -> Tensor:
    """x where x > threshold, else `value`.

    Args:
        input: the input tensor.
        threshold: the threshold.
        value: the replacement of the values not above it.
    """
    return _F().threshold(input, threshold, value)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """In-place `threshold`.

    Args:
        input: the tensor to overwrite.
        threshold: the threshold.
        value: the replacement of the values not above it.
    """
    from ._expanded_inplace import is_expanded, shared_elements
    from ._shell_dtypes import refuse_float8

    refuse_float8("threshold_cpu", input)
    if is_expanded(input):  # PyTorch thresholds each shared memory location once
        threshold_(shared_elements(input), threshold, value)
        return input
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        return _F().threshold(input, threshold, value, inplace=True)

    return activation_node(input, "threshold", [threshold, value], "threshold_")


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0.

    Args:
        input: the input tensor.
        lambd: the half-width of the zeroed band (default 0.5).
    """
    need_number("hardshrink", "lambd", 2, lambd, "Number")
    _need_floating(input, "hardshrink_cpu")
    return _F().hardshrink(input, lambd)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """max(0, x) + weight min(0, x), with one learnt slope or one per channel.

    Args:
        input: the input tensor.
        weight: the slopes, 1 value or one per channel (dimension 1).
    """
    _need_tensor("prelu", "input", 1, input)
    _need_tensor("prelu", "weight", 2, weight)
    return _F().prelu(input, weight)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x1ᵀ A x2 + b for each output feature.

    Args:
        input1: the first input, (*, in1).
        input2: the second input, (*, in2).
        weight: the forms, (out, in1, in2).
        bias: an optional bias of `out` values.
    """
    return _F().bilinear(input1, input2, weight, bias)


# ---- pooling -----------------------------------------------------------------------


def max_pool1d(input: Tensor, kernel_size, stride=(), padding=0, dilation=1, ceil_mode: bool = False) -> Tensor:
    """1-D max pooling; the values only.

    Args:
        input: the input, (N, C, L) or (C, L).
        kernel_size: the window size.
        stride: the window step; empty (the default) for the kernel size.
        padding: implicit negative-infinity padding on both sides.
        dilation: the spacing between window elements.
        ceil_mode: round the output size up instead of down.
    """
    return _F().max_pool1d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)


def max_pool1d_with_indices(input: Tensor, kernel_size, stride=(), padding=0, dilation=1,
                            ceil_mode: bool = False) -> tuple[Tensor, Tensor]:
    """1-D max pooling; (values, indices of the maxima in the input's last dimension).

    Args:
        input: the input, (N, C, L) or (C, L).
        kernel_size: the window size.
        stride: the window step; empty (the default) for the kernel size.
        padding: implicit negative-infinity padding on both sides.
        dilation: the spacing between window elements.
        ceil_mode: round the output size up instead of down.
    """
    return _F().max_pool1d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode, True)


def max_pool2d(input: Tensor, kernel_size, stride=(), padding=0, dilation=1, ceil_mode: bool = False) -> Tensor:
    """2-D max pooling; the values only.

    Args:
        input: the input, (N, C, H, W) or (C, H, W).
        kernel_size: the window size.
        stride: the window step; empty (the default) for the kernel size.
        padding: implicit negative-infinity padding on both sides.
        dilation: the spacing between window elements.
        ceil_mode: round the output size up instead of down.
    """
    return _F().max_pool2d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)


def max_pool3d(input: Tensor, kernel_size, stride=(), padding=0, dilation=1, ceil_mode: bool = False) -> Tensor:
    """3-D max pooling; the values only.

    Args:
        input: the input, (N, C, D, H, W) or (C, D, H, W).
        kernel_size: the window size.
        stride: the window step; empty (the default) for the kernel size.
        padding: implicit negative-infinity padding on both sides.
        dilation: the spacing between window elements.
        ceil_mode: round the output size up instead of down.
    """
    return _F().max_pool3d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)


def avg_pool1d(input: Tensor, kernel_size, stride=(), padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """1-D average pooling.

    Args:
        input: the input, (N, C, L) or (C, L).
        kernel_size: the window size.
        stride: the window step; empty (the default) for the kernel size.
        padding: implicit zero padding on both sides.
        ceil_mode: round the output size up instead of down.
        count_include_pad: count the padding in the divisor.
    """
    return _F().avg_pool1d(input, kernel_size, _stride(stride), padding, ceil_mode, count_include_pad)


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """1-D average pooling to a given output length.

    Args:
        input: the input, (N, C, L) or (C, L).
        output_size: the output length.
    """
    return _F().adaptive_avg_pool1d(input, output_size)


def adaptive_max_pool1d(input: Tensor, output_size) -> tuple[Tensor, Tensor]:
    """1-D max pooling to a given output length; (values, indices).

    Args:
        input: the input, (N, C, L) or (C, L).
        output_size: the output length.
    """
    return _F().adaptive_max_pool1d(input, output_size, True)


# ---- losses ------------------------------------------------------------------------


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths, target_lengths, blank: int = 0,
             reduction: int = 0, zero_infinity: bool = False) -> Tensor:
    """The connectionist temporal classification loss (as `nn.functional.ctc_loss`).

    Args:
        log_probs: the log-probabilities, (T, N, C) or (T, C).
        targets: the target sequences, padded (N, S) or concatenated.
        input_lengths: the length of each input (ints or a tensor).
        target_lengths: the length of each target (ints or a tensor).
        blank: the blank label (default 0).
        reduction: 0 none, 1 mean (over target lengths, then the batch), 2 sum;
            0 when left out, as PyTorch's binding.
        zero_infinity: replace infinite losses (and their gradients) by zero.
    """
    return _F().ctc_loss(log_probs, targets, input_lengths, target_lengths, blank,
                         _reduction("ctc_loss", 6, reduction), zero_infinity)


def kl_div(input: Tensor, target: Tensor, reduction: int = 0, *, log_target: bool = False) -> Tensor:
    """The Kullback-Leibler divergence loss with `input` as log-probabilities.

    Args:
        input: the log-probabilities.
        target: the target probabilities (log-probabilities if `log_target`).
        reduction: 0 none, 1 mean, 2 sum; 0 when left out, as PyTorch's binding.
        log_target: whether `target` holds log-probabilities.
    """
    mode = _reduction("kl_div", 3, reduction)
    with warnings.catch_warnings():  # nn.functional's warning about 'mean' is not ATen's
        warnings.simplefilter("ignore")
        return _F().kl_div(input, target, reduction=mode, log_target=log_target)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        reduction: int = 0) -> Tensor:
    """max(0, -target (input1 - input2) + margin).

    Args:
        input1: the first scores.
        input2: the second scores.
        target: 1 or -1, which input should rank higher.
        margin: the margin (default 0).
        reduction: 0 none, 1 mean, 2 sum; 0 when left out, as PyTorch's binding.
    """
    from .nn._functional_more import margin_ranking

    return margin_ranking(input1, input2, target, margin, _reduction("margin_ranking_loss", 5, reduction))


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, reduction: int = 0) -> Tensor:
    """x where target is 1, max(0, margin - x) where it is -1.

    Args:
        input: the input (distances).
        target: 1 or -1.
        margin: the margin (default 1).
        reduction: 0 none, 1 mean, 2 sum; 0 when left out, as PyTorch's binding.
    """
    return _F().hinge_embedding_loss(input, target, margin,
                                     reduction=_reduction("hinge_embedding_loss", 4, reduction))


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool, full: bool, eps: float,
                     reduction: int) -> Tensor:
    """The negative log-likelihood of a Poisson target.

    Args:
        input: the rate (its log if `log_input`).
        target: the counts.
        log_input: whether `input` is the log of the rate.
        full: add Stirling's approximation of log(target!).
        eps: added to the rate inside the log when not `log_input`.
        reduction: 0 none, 1 mean, 2 sum.
    """
    return _F().poisson_nll_loss(input, target, log_input, full, eps=eps,
                                 reduction=_reduction("poisson_nll_loss", 6, reduction))


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     pos_weight: Tensor | None = None, reduction: int = 0) -> Tensor:
    """Binary cross entropy of sigmoid(input) against `target`, computed stably.

    Args:
        input: the logits.
        target: the targets in [0, 1].
        weight: an optional rescaling weight, broadcast to the input.
        pos_weight: an optional weight of the positive class.
        reduction: 0 none, 1 mean, 2 sum; 0 when left out, as PyTorch's binding.
    """
    mode = _reduction("binary_cross_entropy_with_logits", 5, reduction)
    # PyTorch's binding parses its arguments first; nn.functional's body reads target.size()
    _need_tensor("binary_cross_entropy_with_logits", "target", 2, target)
    if isinstance(input, Tensor) and tuple(input.shape) != tuple(target.shape):
        return _bce_with_logits_broadcast(input, target, weight, pos_weight, mode)
    return _value_errors_as_runtime_errors(lambda: _F().binary_cross_entropy_with_logits(
        input, target, weight, reduction=mode, pos_weight=pos_weight))


def _need_inplace_broadcast(out_shape, other_shape) -> None:
    """PyTorch's error of an in-place op whose operand would grow its output."""
    from ._infer_size import infer_size

    shape = infer_size(tuple(out_shape), tuple(other_shape))
    if shape != tuple(out_shape):
        raise RuntimeError(f"output with shape {list(out_shape)} doesn't match the broadcast shape {list(shape)}")


def _bce_with_logits_broadcast(input: Tensor, target: Tensor, weight, pos_weight, mode: str) -> Tensor:
    """ATen's composite, which (unlike nn.functional) takes an input of another shape: the
    loss has the target's shape, built in place, so the input must broadcast to it."""
    log_sigmoid = _F().logsigmoid(input)
    if pos_weight is not None:
        log_weight = (pos_weight - 1) * target + 1
        _need_inplace_broadcast(log_sigmoid.shape, log_weight.shape)
        log_sigmoid = log_sigmoid * log_weight
    _need_inplace_broadcast(target.shape, input.shape)
    _need_inplace_broadcast(target.shape, log_sigmoid.shape)
    loss = (1 - target) * input - log_sigmoid
    if weight is not None:
        _need_inplace_broadcast(loss.shape, weight.shape)
        loss = loss * weight
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[mode]


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          reduction: int = 0) -> Tensor:
    """1 - cos(x1, x2) where target is 1, max(0, cos(x1, x2) - margin) where it is -1.

    Args:
        input1: the first inputs, (N, D) or (D).
        input2: the second inputs, like input1.
        target: 1 or -1 per pair.
        margin: the margin (default 0).
        reduction: 0 none, 1 mean, 2 sum; 0 when left out, as PyTorch's binding.
    """
    return _F().cosine_embedding_loss(input1, input2, target, margin,
                                      reduction=_reduction("cosine_embedding_loss", 5, reduction))


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2.0,
                        eps: float = 1e-06, swap: bool = False, reduction: int = 0) -> Tensor:
    """max(margin + d(a, p) - d(a, n), 0) with the p-norm distance d; any margin, as
    PyTorch's op (its nn.functional form refuses one <= 0).

    Args:
        anchor: the anchors.
        positive: the positive examples.
        negative: the negative examples.
        margin: the margin (default 1).
        p: the norm degree (default 2).
        eps: added to the differences (default 1e-6).
        swap: use the smaller of d(a, n) and d(p, n).
        reduction: 0 none, 1 mean, 2 sum; 0 when left out, as PyTorch's binding.
    """
    from ._parser_check import is_parser_float

    if not all(is_parser_float(v) for v in (margin, p, eps)):
        # nn.functional's body would compare a tensor margin; the guard words the parser's error
        raise TypeError("a float argument is not a float")
    from .amp.autocast_mode import keep_float32
    from .nn._functional_more import triplet_margin

    return keep_float32(triplet_margin)(anchor, positive, negative, margin, p, eps, swap,
                          _reduction("triplet_margin_loss", 8, reduction))


# ---- padding and sampling ----------------------------------------------------------


def constant_pad_nd(input: Tensor, pad, value=0) -> Tensor:
    """Pads (or crops, for negative amounts) the trailing dimensions with `value`.

    Args:
        input: the input tensor.
        pad: (before, after) amounts, last dimension first.
        value: the fill value (default 0).
    """
    if isinstance(pad, Tensor):  # PyTorch's SymInt list takes no tensor, not even a 0-dim one
        raise TypeError("constant_pad_nd(): argument 'pad' (position 2) must be tuple of ints, not Tensor")
    pad = list(pad)
    if len(pad) % 2 != 0:
        raise RuntimeError(f"Length of pad must be even but instead it equals {len(pad)}")
    if not isinstance(value, numbers.Number) and not (isinstance(value, Tensor) and value.dim() == 0):
        from ._argcheck import type_name

        raise TypeError(f"constant_pad_nd(): argument 'value' (position 3) must be Number, not {type_name(value)}")
    if isinstance(value, complex):
        return _pad_with_complex(input, pad, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # a Scalar: an int stays exact
        from .nn._pooling import _pad_list, constant_padded

        return constant_padded(input, _pad_list(pad), value)
    return _F().pad(input, pad, "constant", value)


def _pad_with_complex(input: Tensor, pad: list, value: complex) -> Tensor:
    """`constant_pad_nd` with a complex fill: a real input takes it as a real number
    (PyTorch's error when its imaginary part is not 0); a complex input gets the padding
    filled with it, as one `ConstantPadNdBackward0`."""
    from . import _core
    from ._complex import real_number_of

    if not (isinstance(input, Tensor) and input.dtype.is_complex):
        dtype = input.dtype if isinstance(input, Tensor) else None
        return _F().pad(input, pad, "constant", real_number_of(value, dtype))
    padded = _F().pad(input, pad, "constant", 0)
    border = _F().pad(input.new_zeros(tuple(input.shape)), pad, "constant", 1)
    out = padded + border * value
    if out.grad_fn is not None:
        out = _core._named_node(out, "ConstantPadNdBackward0", False)
    return out


def grid_sampler(input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int,
                 align_corners: bool) -> Tensor:
    """`nn.functional.grid_sample` with ATen's integer modes.

    Args:
        input: the input, (N, C, H, W) or (N, C, D, H, W).
        grid: the sampling points in [-1, 1], (N, H_out, W_out, 2) or (N, D_out, H_out,
            W_out, 3).
        interpolation_mode: 0 bilinear, 1 nearest, 2 bicubic.
        padding_mode: 0 zeros, 1 border, 2 reflection.
        align_corners: whether -1 and 1 are the centres (True) or the outer edges of the
            corner pixels.
    """
    mode = _INTERPOLATION_MODES.get(_int_arg("grid_sampler", "interpolation_mode", 3, interpolation_mode))
    padding = _PADDING_MODES.get(_int_arg("grid_sampler", "padding_mode", 4, padding_mode))
    if mode is None or padding is None:
        raise RuntimeError(f"grid_sampler(): unknown interpolation mode {interpolation_mode} "
                           f"or padding mode {padding_mode}")
    return _F().grid_sample(input, grid, mode, padding, align_corners)


def _grid_sampler_nd(nd: int, input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int,
                     align_corners: bool) -> Tensor:
    if any(isinstance(t, Tensor) and t.dim() == 0 for t in (input, grid)):
        # PyTorch reads both batch sizes first
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    for t in (input, grid):
        if isinstance(t, Tensor) and t.dim() != nd + 2:
            raise RuntimeError(
                f"grid_sampler(): expected {nd + 2}D input and grid with same number of dimensions, but got "
                f"input with sizes {list(input.shape)} and grid with sizes {list(grid.shape)}")
    return grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners)


def grid_sampler_2d(input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int,
                    align_corners: bool) -> Tensor:
    """`grid_sampler` of a 4-D input at a 4-D grid.

    Args:
        input: the input, (N, C, H, W).
        grid: the sampling points in [-1, 1], (N, H_out, W_out, 2).
        interpolation_mode: 0 bilinear, 1 nearest, 2 bicubic (4-D input only).
        padding_mode: 0 zeros, 1 border, 2 reflection.
        align_corners: whether -1 and 1 are the centres (True) or the outer edges of the
            corner pixels.
    """
    return _grid_sampler_nd(2, input, grid, interpolation_mode, padding_mode, align_corners)


def grid_sampler_3d(input: Tensor, grid: Tensor, interpolation_mode: int, padding_mode: int,
                    align_corners: bool) -> Tensor:
    """`grid_sampler` of a 5-D input at a 5-D grid.

    Args:
        input: the input, (N, C, D, H, W).
        grid: the sampling points in [-1, 1], (N, D_out, H_out, W_out, 3).
        interpolation_mode: 0 bilinear, 1 nearest, 2 bicubic (4-D input only).
        padding_mode: 0 zeros, 1 border, 2 reflection.
        align_corners: whether -1 and 1 are the centres (True) or the outer edges of the
            corner pixels.
    """
    return _grid_sampler_nd(3, input, grid, interpolation_mode, padding_mode, align_corners)


def affine_grid_generator(theta: Tensor, size, align_corners: bool) -> Tensor:
    """The sampling grid of the affine maps `theta` (as `nn.functional.affine_grid`).

    Args:
        theta: the maps, (N, 2, 3) or (N, 3, 4).
        size: the output size (N, C, H, W) or (N, C, D, H, W).
        align_corners: whether -1 and 1 are the centres of the corner pixels.
    """
    return _value_errors_as_runtime_errors(lambda: _F().affine_grid(theta, list(size), align_corners))


def _tensor_hardshrink(self: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0 (as `torch.Tensor.hardshrink`).

    Args:
        lambd: the half-width of the zeroed band (default 0.5).
    """
    return hardshrink(self, lambd)


def _tensor_prelu(self: Tensor, weight: Tensor) -> Tensor:
    """max(0, x) + weight min(0, x) (as `torch.Tensor.prelu`).

    Args:
        weight: the slopes, 1 value or one per channel (dimension 1).
    """
    return prelu(self, weight)


_tensor_hardshrink.__name__ = _tensor_hardshrink.__qualname__ = "hardshrink"
_tensor_prelu.__name__ = _tensor_prelu.__qualname__ = "prelu"
Tensor.hardshrink = _tensor_hardshrink  # type: ignore[attr-defined]
Tensor.prelu = _tensor_prelu  # type: ignore[attr-defined]


_BAG_MODES = {0: "sum", 1: "mean", 2: "max"}


def embedding_bag(weight: Tensor, indices: Tensor, offsets: Tensor, scale_grad_by_freq: bool = False, mode: int = 0,
                  sparse: bool = False, per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Sums, means or maxima of bags of embedding rows, in ATen's form: (output,
    offset2bag, bag_size, max_indices).

    offset2bag gives the bag of each index (empty for sums), bag_size the number of
    non-padding indices of each bag (zeros for sums), max_indices the row of each
    maximum for mode 2 (bag_size again for means, zeros for sums), as PyTorch's kernel.

    Args:
        weight: the embedding matrix, (num_embeddings, embedding_dim).
        indices: a 1-D integer tensor of row indices, the bags one after another.
        offsets: the start of each bag in `indices` (1-D integer tensor).
        scale_grad_by_freq: scale gradients by the inverse frequency of the indices.
        mode: 0 sum, 1 mean, 2 max.
        sparse: must be False (sparse gradients are not supported).
        per_sample_weights: optional weights of the indices (sum mode only).
        include_last_offset: `offsets` has one more entry, the end of the last bag.
        padding_idx: a row excluded from the bags; None for none.
    """
    import numpy as np

    from ._creation import tensor, zeros

    if not isinstance(offsets, Tensor):
        raise TypeError(f"embedding_bag(): argument 'offsets' (position 3) must be Tensor, not {type(offsets).__name__}")
    name = _BAG_MODES.get(_int_arg("embedding_bag", "mode", 5, mode))
    if name is None:
        raise RuntimeError(f"embedding_bag: unknown mode {mode}")
    if per_sample_weights is not None and name != "sum":
        raise RuntimeError("embedding_bag: per_sample_weights only supported with mode='sum'")
    rows = weight.shape[0]
    pad = padding_idx + rows if padding_idx is not None and padding_idx < 0 else padding_idx
    output = _F().embedding_bag(indices, weight, offsets, None, 2, scale_grad_by_freq, name, sparse,
                                per_sample_weights, include_last_offset, pad)
    starts = [int(v) for v in offsets.tolist()]
    bags = len(starts) - 1 if include_last_offset else len(starts)
    idx = [int(v) for v in indices.reshape(-1).tolist()]
    kind = indices.dtype
    # PyTorch's fast sum path (float rows with unit stride) leaves offset2bag empty
    fast_sum = name == "sum" and weight.dtype in (float32, float16, bfloat16) and (weight.dim() < 2 or weight.stride(1) == 1)
    ends = starts[1:bags] + [len(idx)]  # the last bag runs to the end, whatever a last offset says
    offset2bag = np.zeros(0 if fast_sum else len(idx), dtype=np.int64)
    sizes = np.zeros(bags, dtype=np.int64)
    members: list[list[int]] = []
    for b in range(bags):
        lo, hi = starts[b], min(ends[b], len(idx))
        if not fast_sum:
            offset2bag[lo:hi] = b
        kept = [i for i in idx[lo:hi] if i != pad]
        if name != "sum":
            sizes[b] = len(kept)
        members.append(kept)
    if name == "sum":
        return output, tensor(offset2bag, dtype=kind), zeros(bags, dtype=kind), zeros(bags, dtype=kind)
    if name == "mean":
        return output, tensor(offset2bag, dtype=kind), tensor(sizes, dtype=kind), tensor(sizes, dtype=kind)
    values = np.asarray(weight.detach().to(float64).numpy())
    arg = np.zeros((bags, values.shape[1]), dtype=np.int64)
    for b, kept in enumerate(members):
        if kept:
            arg[b] = np.asarray(kept)[np.argmax(values[kept], axis=0)]
    return output, tensor(offset2bag, dtype=kind), tensor(sizes, dtype=kind), tensor(arg, dtype=kind)
