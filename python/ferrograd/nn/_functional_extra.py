"""More of `nn.functional`: instance/RMS/local-response norms, channel-wise and alpha
dropout, the in-place activations and gumbel_softmax, composed from tensor ops
(PyTorch's formulas, checks and random draws)."""

from __future__ import annotations

import math
import warnings

from .. import _core
from .._argcheck import need_bool, need_real_scalars, need_tensor, need_tensor_method
from .._argument_types import before_parser, compared_before_parser
from .._core import Tensor
from .._dtype_names import scalar_name
from .._grad_mode import no_grad
from .._random_fill import drawn_in_memory_order
from ._integer_inputs import need_floating_kernel

__all__ = [
    "alpha_dropout",
    "celu_",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "elu_",
    "feature_alpha_dropout",
    "gumbel_softmax",
    "hardtanh_",
    "instance_norm",
    "leaky_relu_",
    "local_response_norm",
    "relu_",
    "rms_norm",
    "rrelu_",
    "selu_",
    "threshold_",
]

_SELU_ALPHA_TIMES_SCALE = 1.7580993408473766  # -scale * alpha: the value SELU saturates to


def _F():
    from . import functional

    return functional


# --------------------------------------------------------------------------- normalization


def _verify_spatial_size(size) -> None:
    prod = 1
    for s in list(size)[2:]:
        prod *= s
    if prod == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {size}")


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalises each channel of each sample over its spatial dims (or by the running
    statistics when not `use_input_stats`), then scales and shifts per channel.

    Args:
        input: the input, (N, C, *spatial).
        running_mean: an optional (C,) running mean, updated in place when
            `use_input_stats` (default None).
        running_var: an optional (C,) running variance, updated likewise (default None).
        weight: an optional (C,) scale (default None: 1).
        bias: an optional (C,) shift (default None: 0).
        use_input_stats: normalise by each sample's own statistics (default True).
        momentum: the update factor of the running statistics (default 0.1).
        eps: added to the variance for numerical stability (default 1e-5).
    """
    if use_input_stats:  # PyTorch's Python body checks input.size() before its parser runs
        need_tensor_method(input, "size")
        if isinstance(input, Tensor):
            try:
                _verify_spatial_size(input.shape)
            except ValueError as error:
                raise before_parser(error) from None
    from .._parser_check import parser_error

    error = parser_error("instance_norm", (input, weight, bias, running_mean, running_var, use_input_stats,
                                           momentum, eps, False), {})
    if error is not None:  # PyTorch's parser of torch.instance_norm, which its Python function calls
        raise error
    if input.dtype.is_complex:
        raise NotImplementedError(f"\"batch_norm\" not implemented for '{scalar_name(input.dtype)}'")
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    if input.dim() < 2:
        raise RuntimeError(f"instance_norm: expected at least a 2D input (got {input.dim()}D input)")
    c = input.shape[1]
    # PyTorch repeats each per-channel tensor N times (a 1-d repeat) and checks the sizes
    # in batch_norm, then that the running statistics come together
    for t in (weight, bias, running_mean, running_var):
        if t is not None and t.dim() > 1:
            raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {input.shape[0] * c} elements not {t.numel() * input.shape[0]}")
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be None")
    from ._mixed_dtype import check_mixed_dtype

    need_floating_kernel(input, "batch_norm")
    mixed = check_mixed_dtype(input, weight, bias)
    # PyTorch runs batch_norm on the input viewed as (1, N*C, ...), with each per-channel
    # tensor repeated N times, and views the result back
    from ._norm_nodes import batch_norm

    n = input.shape[0]
    if n * c == 0 and (weight is not None or bias is not None):  # PyTorch's kernel selects weight[0]
        raise IndexError("select(): index 0 out of range for tensor of size [0] at dimension 0")
    flat = input.reshape((1, n * c) + tuple(input.shape[2:]))
    stats = _instance_norm_stats(input, running_mean, running_var)
    repeat = [None if t is None else t.repeat(n) for t in (*stats, weight, bias)]
    if input.dtype in (_core.float16, _core.bfloat16) and not mixed:
        from .functional import _half_batch_norm

        out = _half_batch_norm(flat, *repeat, bool(use_input_stats), momentum, eps)
    else:
        out = batch_norm(flat, *repeat, bool(use_input_stats), momentum, eps, mixed)
    if use_input_stats and running_mean is not None and running_var is not None:
        with no_grad():
            running_mean.copy_(repeat[0].reshape(n, c).mean(0))
            running_var.copy_(repeat[1].reshape(n, c).mean(0))
    return out.view(tuple(input.shape))


def _instance_norm_stats(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None) -> tuple:
    """The running statistics instance_norm's batch_norm runs on: as given when the mean
    has the input's dtype (the variance must then have it too: PyTorch's kernel error),
    otherwise copies in the input's dtype, which PyTorch's update then casts back."""
    if running_mean is None or running_var is None or running_mean.dtype == input.dtype and (
            running_var.dtype == input.dtype):
        return running_mean, running_var
    if running_mean.dtype == input.dtype:
        raise RuntimeError(
            f"expected scalar type {scalar_name(input.dtype)} but found {scalar_name(running_var.dtype)}"
        )
    return tuple((t.real if t.dtype.is_complex else t).to(input.dtype) for t in (running_mean, running_var))


def _shape_str(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def rms_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, eps: float | None = None) -> Tensor:
    """x / sqrt(mean(x²) + eps) over the trailing `normalized_shape` dims, times `weight`.

    Args:
        input: the input tensor.
        normalized_shape: the trailing shape to normalise over, an int or a sequence.
        weight: an optional scale of shape `normalized_shape` (default None).
        eps: added to the mean square; None (default) means the dtype's machine epsilon.
    """
    if isinstance(normalized_shape, int):
        raise TypeError("rms_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not int")
    shape = tuple(int(s) for s in normalized_shape)
    n = len(shape)
    if n == 0:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, "
            "but got normalized_shape = []"
        )
    if weight is not None and tuple(weight.shape) != shape:
        raise RuntimeError(
            f"Expected weight to be of same shape as normalized_shape, but got weight of shape "
            f"{_shape_str(weight.shape)} and normalized_shape = {_shape_str(shape)}"
        )
    if input.dim() < n:
        raise ValueError(f"Input tensor must have at least {n} dimensions, but got {input.dim()}")
    if tuple(input.shape[input.dim() - n:]) != shape:  # PyTorch's message has no comma after `*`
        raise RuntimeError(
            f"Given normalized_shape={_shape_str(shape)}, expected input with shape [*"
            f"{', '.join(str(s) for s in shape)}], but got input of size{list(input.shape)}"
        )
    need_floating_kernel(input, "rms_norm")
    dims = tuple(range(input.dim() - n, input.dim()))
    x = input
    if input.dtype in (_core.float16, _core.bfloat16):  # PyTorch computes in float32, rounding once
        x = input.float()
        weight = weight.float() if weight is not None and weight.dtype == input.dtype else weight
    if eps is None:  # the epsilon of the type computed in (float32 for half precision)
        from .._dtype_info import finfo

        eps = finfo(x.dtype).eps
    out = x * ((x * x).mean(dims, keepdim=True) + eps).rsqrt()
    if weight is not None:
        out = out * weight
    return out if out.dtype == input.dtype else out.to(input.dtype)  # PyTorch keeps the input's dtype


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> Tensor:
    """x / (k + alpha / size · Σ_{nearby channels} x²)^beta.

    Args:
        input: the input, (N, C, *), at least 3-D.
        size: the number of neighbouring channels summed over.
        alpha: the scale of the sum (default 1e-4).
        beta: the exponent (default 0.75).
        k: the additive constant (default 1).
    """
    F = _F()
    dim = input.dim()
    if dim < 3:
        raise ValueError(
            f"Expected 3D or higher dimensionality                          input (got {dim} dimensions)"
        )
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = div.unsqueeze(1)
        div = F.pad(div, (0, 0, size // 2, (size - 1) // 2))
        div = F.avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = tuple(input.shape)
        div = div.reshape(sizes[0], 1, sizes[1], sizes[2], -1)
        div = F.pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = F.avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1)
        div = div.reshape(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


def cross_map_lrn2d(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1) -> Tensor:
    """The legacy (Lua Torch) cross-channel LRN of `nn.CrossMapLRN2d`, window for window."""
    if input.dim() != 4:
        raise ValueError(f"CrossMapLRN2d: Expected input to be 4D, got {input.dim()}D instead.")
    channels = input.shape[1]
    square = input * input
    pre_pad = int((size - 1) / 2 + 1)
    scale = square.select(1, 0) * 0
    for c in range(min(pre_pad, channels)):
        scale = scale + square.select(1, c)
    scales = [scale]
    for c in range(1, channels):
        if c < channels - pre_pad + 1:
            scale = scale + square.select(1, c + pre_pad - 1)
        if c > pre_pad:
            scale = scale - square.select(1, c - pre_pad)
        scales.append(scale)
    from .._shape import stack

    total = stack(scales, 1) * (alpha / size) + k
    return total.pow(-beta) * input


# --------------------------------------------------------------------------- dropout


def _check_p(p: float) -> None:
    if compared_before_parser(lambda: p < 0.0 or p > 1.0):
        raise before_parser(ValueError(f"dropout probability has to be between 0 and 1, but got {p}"))


def _check_floating_result(input: Tensor) -> None:
    """Dropout's float mask cannot be written into an integer tensor (PyTorch's error)."""
    if not input.dtype.is_floating_point:
        names = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
        name = names.get(repr(input.dtype).split(".", 1)[1], repr(input.dtype))
        raise RuntimeError(f"result type Float can't be cast to the desired output type {name}")


def _times_zero(input: Tensor, inplace: bool) -> Tensor:
    """Dropout with p = 1: the input times a zero of its own dtype (integers stay integers)."""
    zero = 0.0 if input.dtype.is_floating_point or input.dtype.is_complex else _core._full(fill_value=0, dtype=input.dtype)
    return input.mul_(zero) if inplace else input * zero


def _dropout_impl(input: Tensor, p: float, training: bool, inplace: bool, feature: bool, alpha: bool) -> Tensor:
    """PyTorch's `_dropout_impl`: a Bernoulli(1 - p) mask (one draw per channel when
    `feature`), rescaled; alpha dropout keeps SELU's mean and variance."""
    if type(training) is not bool:
        kernel = "feature_" * feature + "alpha_" * alpha + "dropout" + "_" * bool(inplace)
        need_bool(kernel, "train", 3, training)
    if not 0 <= p <= 1:  # a NaN passed the Python check; the kernel refuses it, even in eval
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        return _times_zero(input, inplace)
    if feature and input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    # PyTorch draws the noise in the input's dtype (complex has no Bernoulli kernel), then
    # rescales it in place: alpha dropout's `noise - 1` makes a bool noise int64 first
    from .._complex import refuse_complex

    refuse_complex(input, "bernoulli_scalar_cpu_")
    if alpha and input.dtype is _core.bool:
        raise RuntimeError("result type Float can't be cast to the desired output type Long")
    _check_floating_result(input)
    if feature:  # one draw per channel, row-major
        noise = _core._bernoulli_scalar(list(input.shape[:2]) + [1] * (input.dim() - 2), 1.0 - p, input.dtype)
    else:
        noise = drawn_in_memory_order(input, lambda shape: _core._bernoulli_scalar(shape, 1.0 - p, input.dtype))
    if not alpha:
        noise = noise / (1.0 - p)
        return input.mul_(noise) if inplace else input * noise
    a = 1.0 / math.sqrt((_SELU_ALPHA_TIMES_SCALE ** 2 * p + 1) * (1 - p))
    b = (noise - 1) * (_SELU_ALPHA_TIMES_SCALE * a) + _SELU_ALPHA_TIMES_SCALE * a * p
    noise = noise * a
    if inplace:
        return input.mul_(noise).add_(b)
    return input * noise + b


def _unbatched(input: Tensor, inplace: bool, fn):
    """Applies `fn` to `input` with a batch dim of 1 added, then removes it. In place,
    as PyTorch, the dim is added to `input` itself (`unsqueeze_`), so a leaf that
    requires grad is refused even where `fn` writes nothing."""
    if not inplace:
        return fn(input.unsqueeze(0)).squeeze(0)
    fn(input.unsqueeze_(0))
    return input.squeeze_(0)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes whole channels of (N, C, L) or (C, L) with probability p, scaling the rest by 1 / (1 - p).

    Args:
        input: the input, (N, C, L) or (C, L).
        p: the probability of dropping (default 0.5).
        training: apply dropout (default True); when False `input` is returned unchanged.
        inplace: write the result into `input` and return it (default False).
    """
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {inp_dim}D input. "
            "Note that dropout1d exists to provide channel-wise dropout on inputs with 1 "
            "spatial dimension, a channel dimension, and an optional batch dimension "
            "(i.e. 2D or 3D inputs)."
        )

    def apply(x):
        return _dropout_impl(x, p, training, inplace, True, False)

    return apply(input) if inp_dim == 3 else _unbatched(input, inplace, apply)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes whole channels of (N, C, H, W) with probability p, scaling the rest by 1 / (1 - p).

    Args:
        input: the input, (N, C, H, W) (a 3-D input is taken as (N, C, L), with a
            warning, as in PyTorch).
        p: the probability of dropping (default 0.5).
        training: apply dropout (default True); when False `input` is returned unchanged.
        inplace: write the result into `input` and return it (default False).
    """
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {inp_dim}-D input to dropout2d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout2d "
            "exists to provide channel-wise dropout on inputs with 2 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).",
            stacklevel=2,
        )
    if inp_dim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
            "1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
            "is the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2,
        )
    return _dropout_impl(input, p, training, inplace, True, False)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes whole channels of (N, C, D, H, W) with probability p, scaling the rest by 1 / (1 - p).

    Args:
        input: the input, (N, C, D, H, W) or (C, D, H, W).
        p: the probability of dropping (default 0.5).
        training: apply dropout (default True); when False `input` is returned unchanged.
        inplace: write the result into `input` and return it (default False).
    """
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {inp_dim}-D input to dropout3d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout3d "
            "exists to provide channel-wise dropout on inputs with 3 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).",
            stacklevel=2,
        )

    def apply(x):
        return _dropout_impl(x, p, training, inplace, True, False)

    return apply(input) if inp_dim == 5 else _unbatched(input, inplace, apply)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Dropout that keeps the mean and variance of SELU activations (dropped values go to
    SELU's saturation value, then an affine correction).

    Args:
        input: the input tensor.
        p: the probability of dropping (default 0.5).
        training: apply dropout (default False); when False `input` is returned unchanged.
        inplace: write the result into `input` and return it (default False).
    """
    _check_p(p)
    need_tensor("alpha_dropout", "input", 1, input)  # after the Python check of p, as PyTorch's parser
    return _dropout_impl(input, p, training, inplace, False, True)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """`alpha_dropout` with one draw per channel.

    Args:
        input: the input, (N, C, *) or (C, *).
        p: the probability of dropping (default 0.5).
        training: apply dropout (default False); when False `input` is returned unchanged.
        inplace: write the result into `input` and return it (default False).
    """
    _check_p(p)
    need_tensor("feature_alpha_dropout", "input", 1, input)  # after the Python check of p, as PyTorch's parser
    return _dropout_impl(input, p, training, inplace, True, True)


# --------------------------------------------------------------------------- in-place activations


def relu_(input: Tensor) -> Tensor:
    """In-place `relu`.

    Args:
        input: the input tensor.
    """
    return _F().relu(input, inplace=True)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place `elu`.

    Args:
        input: the input tensor.
        alpha: the α of ELU (default 1).
    """
    return _F().elu(input, alpha, inplace=True)  # PyTorch's in-place node, EluBackward1


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place `celu`.

    Args:
        input: the input tensor.
        alpha: the α of CELU (default 1).
    """
    from .._toplevel_nn import celu_ as inplace  # PyTorch's in-place node, CeluBackward1

    return inplace(input, alpha)


def selu_(input: Tensor) -> Tensor:
    """In-place `selu`.

    Args:
        input: the input tensor.
    """
    from .._toplevel_nn import selu_ as inplace  # PyTorch's in-place node, EluBackward1

    return inplace(input)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """In-place `leaky_relu`.

    Args:
        input: the input tensor.
        negative_slope: the slope below zero (default 0.01).
    """
    return _F().leaky_relu(input, negative_slope, inplace=True)  # LeakyReluBackward1


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """In-place `hardtanh`.

    Args:
        input: the input tensor.
        min_val: the lower bound (default -1).
        max_val: the upper bound (default 1).
    """
    need_real_scalars(min_val, max_val)
    return _F().bounded_hardtanh(input, min_val, max_val, inplace=True)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """In-place `threshold`.

    Args:
        input: the input tensor.
        threshold: the value elements must exceed to be kept.
        value: the replacement of the other elements.
    """
    from .._toplevel_nn import threshold_ as inplace  # PyTorch's in-place node, ThresholdBackward1

    return inplace(input, threshold, value)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    """In-place `rrelu`.

    Args:
        input: the input tensor.
        lower: the lower bound of the random slope (default 1/8).
        upper: the upper bound (default 1/3).
        training: draw random slopes (default False: use their mean).
    """
    need_real_scalars(lower, upper)
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    from .._toplevel_nn import rrelu_ as inplace  # PyTorch's in-place node, RreluWithNoiseBackward1

    return inplace(input, lower, upper, training)


# --------------------------------------------------------------------------- gumbel softmax


def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10, dim: int = -1) -> Tensor:
    """softmax((logits + g) / tau) with g ~ Gumbel(0, 1); with `hard`, the one-hot argmax
    in the forward pass and the soft sample's gradient (straight-through).

    Args:
        logits: unnormalised log-probabilities.
        tau: the temperature, > 0 (default 1).
        hard: return one-hot samples with the soft sample's gradient (default False).
        eps: deprecated and unused (a warning says so when it is changed).
        dim: the dimension holding the classes (default -1).
    """
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    from .._creation import empty_like, zeros_like
    from .._memory_format import contiguous_format

    need_tensor("empty_like", "input", 1, logits)
    # PyTorch's legacy_contiguous_format: row-major draws whatever the logits' strides
    gumbels = empty_like(logits, memory_format=contiguous_format).exponential_().log().neg()
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft
