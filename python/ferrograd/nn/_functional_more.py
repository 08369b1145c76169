"""More of `nn.functional`: activations, losses, distances, group_norm, bilinear and
scaled dot-product attention, composed from tensor ops (PyTorch's formulas)."""

from __future__ import annotations

import functools
import math
import warnings
from typing import Any

from .. import _core
from .._activation_node import activation_node
from .._argcheck import (
    need_bool,
    need_int,
    need_int64,
    need_number,
    need_real_scalars,
    need_tensor_method,
)
from .._argcheck import need_tensor as _need_tensor
from .._argument_types import before_parser, compared_before_parser
from .._core import Tensor
from .._dtype_names import scalar_name
from .._grad_mode import no_grad
from .._layouts import strided_only
from .._shell_dtypes import refuse_float8
from ._integer_inputs import (
    integer_threshold,
    is_integral,
    need_floating_kernel,
    need_floating_loss,
    need_result_in_input_dtype,
)
from ._node_names import node_name
from ._nondiff_args import refuse_grad

__all__ = [
    "bilinear",
    "celu",
    "cosine_embedding_loss",
    "cosine_similarity",
    "gaussian_nll_loss",
    "glu",
    "group_norm",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hinge_embedding_loss",
    "huber_loss",
    "kl_div",
    "margin_ranking_loss",
    "mish",
    "multilabel_soft_margin_loss",
    "normalize",
    "pairwise_distance",
    "poisson_nll_loss",
    "prelu",
    "rrelu",
    "scaled_dot_product_attention",
    "selu",
    "soft_margin_loss",
    "softmin",
    "softshrink",
    "softsign",
    "tanhshrink",
    "threshold",
    "triplet_margin_loss",
]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _F():
    from . import functional

    return functional


def _where(cond: Tensor, a, b) -> Tensor:
    return _core._where(cond, a, b)


def _size_str(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


# --------------------------------------------------------------------------- activations


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1)).

    Args:
        input: the input tensor.
        alpha: the α of CELU (default 1).
        inplace: write the result into `input` and return it (default False;
            PyTorch's in-place node is CeluBackward1).
    """
    need_floating_kernel(input, "elu_cpu")
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    return _F()._activation(input, "celu", [alpha], inplace)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale (max(0, x) + min(0, alpha (exp(x) - 1))) with the self-normalising constants
    (PyTorch's elu node, EluBackward0, or EluBackward1 in place).

    Args:
        input: the input tensor.
        inplace: write the result into `input` and return it (default False).
    """
    need_floating_kernel(input, "elu_cpu")
    return _F()._activation(input, "elu", [_SELU_ALPHA, _SELU_SCALE, 1], inplace, "selu_")


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x tanh(softplus(x)).

    Args:
        input: the input tensor.
        inplace: write the result into `input` and return it (default False).
    """
    need_floating_kernel(input, "mish_cpu")
    return _F()._activation(input, "mish", [], inplace)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|).

    Args:
        input: the input tensor.
    """
    return input / (input.abs() + 1)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """0 below -3, 1 above 3, x / 6 + 1/2 between (gradient 1/6 strictly inside).

    Args:
        input: the input tensor.
        inplace: write the result into `input` and return it (default False).
    """
    need_floating_kernel(input, "hardsigmoid_cpu")
    return _F()._activation(input, "hardsigmoid", [], inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x relu6(x + 3) / 6.

    Args:
        input: the input tensor.
        inplace: write the result into `input` and return it (default False).
    """
    need_floating_kernel(input, "hardswish_cpu")
    return _F()._activation(input, "hardswish", [], inplace)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """softmax(-x) along `dim`.

    Args:
        input: the input tensor.
        dim: the dimension along which to normalize (None: PyTorch's legacy choice, 0 for
            0-, 1- and 3-D inputs, else 1, with a warning).
        _stacklevel: the stack level of the warning for `dim=None`.
        dtype: if given, `input` is cast to this dtype first; None keeps its dtype.
    """
    if dim is None:
        dim = _F()._softmax_dim("softmin", input.dim(), _stacklevel)
    negated = -input  # PyTorch negates first: a str or None is Python's TypeError there
    _F()._need_method(negated, "softmax")
    try:
        if dtype is not None:
            from .._reduce import check_softmax_dtype

            check_softmax_dtype("softmax", dtype, negated, dim)
        return _core._softmax(negated, dim, dtype, False)
    except TypeError as failure:
        raise _F().softmax_parser_error("softmax", dim, dtype) or failure from None


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None) -> Tensor:
    """x / max(‖x‖_p, eps) along `dim`.

    Args:
        input: the input tensor.
        p: the order of the norm (default 2).
        dim: the dimension to normalise along (default 1).
        eps: the floor of the norm, avoiding division by zero (default 1e-12).
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return input / denom


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x).

    Args:
        input: the input tensor.
    """
    return input - input.tanh()


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd above lambd, x + lambd below -lambd, 0 between.

    Args:
        input: the input tensor.
        lambd: the threshold, >= 0 (default 0.5).
    """
    need_floating_kernel(input, "softshrink_check")
    limit, name = _SHRINK_LIMITS.get(str(input.dtype).split(".")[-1], (None, ""))
    if isinstance(lambd, complex):
        raise RuntimeError("value cannot be converted to type double without overflow")  # noqa: TRY004 - PyTorch's type
    if limit is not None and not 0 <= float(lambd) <= limit:  # a NaN too
        raise RuntimeError(f"lambda must be in range [0, {limit:g}] for input dtype {name}, but found {float(lambd):g}")
    return activation_node(input, "softshrink", [lambd])


# the largest lambda of softshrink per dtype (PyTorch's check prints it with 6 digits)
_SHRINK_LIMITS = {"float32": (3.4028234663852886e38, "Float"), "float64": (1.7976931348623157e308, "Double"),
                  "float16": (65504.0, "Half"), "bfloat16": (3.3895313892515355e38, "BFloat16")}


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0.

    Args:
        input: the input tensor.
        lambd: the threshold (default 0.5).
    """
    need_number("hardshrink", "lambd", 2, lambd, "Number")
    need_floating_kernel(input, "hardshrink_cpu")
    strided_only(input)
    return activation_node(input, "hardshrink", [lambd])


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else value.

    Args:
        input: the input tensor.
        threshold: the value elements must exceed to be kept.
        value: the replacement of the other elements.
        inplace: write the result into `input` and return it (default False;
            PyTorch's in-place node is ThresholdBackward1).
    """
    if is_integral(input):
        return integer_threshold(input, threshold, value, inplace)
    refuse_float8("threshold_cpu", input)
    if inplace:
        from .._toplevel_nn import threshold_

        return threshold_(input, threshold, value)
    return activation_node(input, "threshold", [threshold, value])


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a sigmoid(b), with a and b the halves of `input` along `dim`."""
    need_tensor_method(input, "dim")  # PyTorch's Python body asks `input.dim()` first
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    if isinstance(dim, Tensor) and dim.dim() != 0:  # unlike other int arguments, no 1-element tensor
        raise TypeError("glu(): argument 'dim' (position 2) must be int, not Tensor")
    dim = need_int("glu", "dim", 2, dim)
    if input.dtype.is_complex:
        raise NotImplementedError(f"\"glu_cpu\" not implemented for '{scalar_name(input.dtype)}'")
    d = _F()._check_dim(input, dim)
    if input.shape[d] % 2 != 0:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {input.shape[d]}")
    need_floating_kernel(input, "glu_cpu")  # integers and 8-bit floats: after the halving check
    return _core._glu(input, dim)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x where x > 0, else weight x (one weight, or one per channel of dim 1).

    Args:
        input: the input, (N, C, *) or any shape with one weight.
        weight: the learned slopes, one element or (C,).
    """
    _need_tensor("prelu", "input", 1, input)
    _need_tensor("prelu", "weight", 2, weight)
    if input.dtype != weight.dtype:
        raise RuntimeError(
            f"prelu: Type promoting not supported. Got {scalar_name(input.dtype)} and {scalar_name(weight.dtype)}"
        )
    need_floating_kernel(input, "prelu_cpu")
    if weight.numel() != 1:
        if input.dim() == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.dim() >= 2 else 1
        if weight.numel() != channels:
            raise RuntimeError(
                "Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                f"{weight.numel()} and channel size = {channels}."
            )
    if weight.dim() > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.dim()}")
    if input.dim() != weight.dim():  # PyTorch's prelu: the weight as (1, C, 1, ...), a recorded view
        shape = [1] * input.dim()
        if input.dim() > 1:
            shape[1] = weight.numel()
        weight = weight.reshape(shape)
    return _core._prelu(input, weight)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """Leaky ReLU with the slope (lower + upper) / 2 (evaluation mode); in training a
    slope drawn from U(lower, upper) for each non-positive element, as PyTorch draws it.

    Args:
        input: the input tensor.
        lower: the lower bound of the random slope (default 1/8).
        upper: the upper bound (default 1/3).
        training: draw random slopes (default False: use their mean).
        inplace: write the result into `input` and return it (default False).
    """
    inplace = bool(inplace)  # PyTorch's body branches on its truth
    need_real_scalars(lower, upper)
    if lower > upper or (inplace and not lower <= upper):  # in place, a NaN bound fails this check
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    for which, bound in (("lower", lower), ("upper", upper)):
        if not inplace and isinstance(bound, (int, float)) and not math.isfinite(bound):
            raise RuntimeError(f"rrelu: {which} bound must be finite, got {bound}")
    if type(input) is not Tensor and input.is_sparse:  # PyTorch's noise buffer is an empty_like
        raise RuntimeError("memory format option is only supported by strided tensors")
    lower, upper = _rrelu_bounds(lower, upper, training)
    if training:
        need_floating_kernel(input, "rrelu_with_noise_out_cpu")
        if input.dtype.is_complex or input.dtype == _core.float16:  # PyTorch's kernel has a bfloat16 form
            raise NotImplementedError(f"\"rrelu_with_noise_out_cpu\" not implemented for '{scalar_name(input.dtype)}'")
        noise = _rrelu_noise(input, lower, upper)
    else:
        need_floating_kernel(input, "leaky_relu_cpu")
        from .._creation import zeros_like

        noise = zeros_like(input)  # unused outside training (PyTorch's is left uninitialised)
    # in place, PyTorch's node is RreluWithNoiseBackward1
    return _core._rrelu_with_noise(input, noise, lower, upper, training, inplace)


def _is_uint64_int(value: Any) -> bool:
    return isinstance(value, int) and 2**63 <= value < 2**64


def _rrelu_bounds(lower: Any, upper: Any, training: bool) -> tuple[Any, Any]:
    """Bounds in [2**63, 2**64), which PyTorch reads as uint64 Scalars, as floats. Outside
    training its slope is the Scalar sum `(lower + upper) / 2`: uint64 has no add kernel
    and promotes with no other integer kind (a float bound makes the sum a float)."""
    wide = [_is_uint64_int(bound) for bound in (lower, upper)]
    if not any(wide):
        return lower, upper
    if not training and all(wide):
        raise NotImplementedError("\"add_stub\" not implemented for 'UInt64'")
    other = upper if wide[0] else lower
    if not training and isinstance(other, int):
        kind = "Bool" if isinstance(other, bool) else "Long"
        raise RuntimeError(f"Promotion for uint16, uint32, uint64 types is not supported, attempted to promote "
                           f"{kind} and UInt64")
    return (float(lower) if wide[0] else lower), (float(upper) if wide[1] else upper)


def _rrelu_noise(input: Tensor, lower: float, upper: float) -> Tensor:
    """The slopes rrelu multiplies by in training: 1 where x > 0, else drawn from
    U(lower, upper), in PyTorch's order of draws."""
    import numpy as np

    x = np.asarray(input.detach().double().contiguous().numpy()).reshape(-1)
    slopes = np.ones(x.shape, dtype=np.float64)
    neg = np.nonzero(x <= 0)[0]
    if neg.size:
        u = np.asarray(_core._rand([int(neg.size)], _core.float64, False).numpy())
        if input.dtype != _core.float64:  # PyTorch converts the bounds to float (opmath) first
            lower, upper = float(np.float32(lower)), float(np.float32(upper))
        slopes[neg] = u * (upper - lower) + lower
    from .._creation import tensor

    return tensor(slopes.reshape(tuple(input.shape)), dtype=input.dtype)


# --------------------------------------------------------------------------- losses


def _reduction(reduction: str, size_average=None, reduce=None) -> str:
    return _F()._reduction(reduction, size_average, reduce)


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    return _F()._reduce(loss, reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight=None) -> Tensor:
    """0.5 d² where |d| < delta, else delta (|d| - delta / 2).

    Args:
        input: the input tensor.
        target: the target, of the same shape as `input`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
        delta: the threshold between the quadratic and linear parts (default 1).
        weight: optional per-element weights multiplying the loss before the reduction.
    """
    _F()._check_same_size(input, target)
    _F()._broadcastable(input, target)
    if weight is None:
        reduction = _reduction(reduction)  # PyTorch validates the reduction before delta
    else:  # PyTorch's weighted path reads the reduction last, once the loss is computed
        need_tensor_method(weight, "size")
        if tuple(weight.shape) != tuple(input.shape):
            raise ValueError("Weights and input must have the same size.")
    need_number("huber_loss", "delta", 4, delta)
    target = _F()._bool_target_as(input, target)
    if not delta > 0:  # NaN too
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    need_floating_loss(input, target, "huber_cpu")
    need_result_in_input_dtype(input, target)
    if input.dtype.is_complex:  # a real result dtype was refused above
        dtype = _core.promote_types(input.dtype, target.dtype)
        raise NotImplementedError(f"\"huber_cpu\" not implemented for '{scalar_name(dtype)}'")
    if weight is None:
        from . import _loss_nodes

        return _loss_nodes.huber(input, target, reduction, delta)
    from . import _loss_nodes

    weighted = _loss_nodes.huber(input, target, "none", delta) * weight
    if not (isinstance(reduction, str) and reduction in ("none", "sum", "mean")):
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")
    return _reduce(weighted, reduction)


def kl_div(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """Pointwise KL divergence t (log t - x) (or exp(t) (t - x) with log_target).

    Args:
        input: log-probabilities x.
        target: probabilities t (or log-probabilities with `log_target`).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none', 'mean' (default; the mean over all elements, not the KL
            divergence), 'batchmean' (the sum divided by the batch size) or 'sum'.
        log_target: `target` holds log-probabilities (default False).
    """
    _need_tensor("kl_div", "input", 1, input)
    _need_tensor("kl_div", "target", 2, target)
    if input.dtype.is_complex or target.dtype.is_complex:
        raise RuntimeError("kl_div: Complex inputs not supported.")
    if size_average is not None or reduce is not None:
        reduction_enum = _F()._legacy_reduction(size_average, reduce)
    else:
        if reduction == "mean":
            from .._user_warning import caller_level

            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the support size."
                "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                stacklevel=caller_level(),  # the user's line, past autocast's wrapper
            )
        reduction_enum = "sum" if reduction == "batchmean" else reduction
        if reduction_enum not in ("none", "mean", "sum"):
            raise ValueError(f"{reduction} is not a valid value for reduction")
    if type(log_target) is not bool:
        need_bool("kl_div", "log_target", None, log_target)
    if not (input.dtype.is_floating_point and target.dtype.is_floating_point):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = target.xlogy(target) - target * input
    out = _reduce(loss, reduction_enum)
    if reduction == "batchmean" and input.dim() != 0:
        out = out / input.shape[0]
    return out


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average=None, eps: float = 1e-8, reduce=None, reduction: str = "mean") -> Tensor:
    """exp(x) - t x (log_input) or x - t log(x + eps), plus Stirling's term when `full`.

    Args:
        input: the expectation of the Poisson distribution (its log with `log_input`).
        target: the samples t.
        log_input: `input` is the log of the rate (default True).
        full: add Stirling's approximation t log t - t + 0.5 log 2πt for t > 1 (default False).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        eps: added inside the log when not `log_input` (default 1e-8).
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """
    _need_tensor("poisson_nll_loss", "input", 1, input)
    _need_tensor("poisson_nll_loss", "target", 2, target)
    if size_average is not None or reduce is not None:
        reduction = _F()._legacy_reduction(size_average, reduce)
    if reduction not in ("none", "mean", "sum"):  # PyTorch's own check (None: TypeError)
        raise ValueError(reduction + " is not a valid value for reduction")
    if type(eps) is not float or type(log_input) is not bool or type(full) is not bool:
        from .._parser_check import parser_error

        # PyTorch's body hands them on by position to its C op, whose parser checks them
        error = parser_error("poisson_nll_loss", (input, target, log_input, full, eps, 1), {})
        if error is not None:
            raise error
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        # Not detached: PyTorch differentiates Stirling's term w.r.t. the target too.
        t = target
        stirling = t * t.log() - t + (t * (2 * math.pi)).log() * 0.5
        loss = loss + stirling.masked_fill(t.detach() <= 1, 0)
    return _reduce(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """0.5 (log(max(var, eps)) + (x - t)² / max(var, eps)) (+ 0.5 log 2π when `full`).

    Args:
        input: the expected values x.
        target: the samples t.
        var: the variances, of input's shape or with one dim of size 1 (or a number).
        full: add the constant 0.5 log 2π (default False).
        eps: the floor of `var` for stability (default 1e-6).
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """
    from .. import any as any_
    from .. import ones_like

    # PyTorch's order: a float var is checked and expanded, anything else goes through
    # `torch.any(var < 0)` (an int or a string is a TypeError there), then the sizes.
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * ones_like(input)
    else:
        with no_grad():
            if bool(any_(var.detach() < 0 if isinstance(var, Tensor) else var < 0)):
                raise ValueError("var has negative entry/entries")
    need_tensor_method(var, "size")
    need_tensor_method(input, "size")
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif input.ndim == var.ndim and sum(v for i, v in zip(input.shape, var.shape) if i != v) == 1:
            pass  # one mismatched dim, of size 1 in var: broadcast
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    # PyTorch's formula: (input - target) ** 2 saves the difference once (4 saved tensors)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """max(0, -y (x1 - x2) + margin).

    Args:
        input1: x1.
        input2: x2, broadcastable with x1.
        target: y, 1 (x1 should rank higher) or -1.
        margin: the margin (default 0).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """
    reduction = _reduction(reduction, size_average, reduce)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():  # PyTorch's Python body, before its op
        raise RuntimeError(
            f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.shape}, input2: {input2.shape}, target: {target.shape} "
        )
    return margin_ranking(input1, input2, target, margin, reduction)


def margin_ranking(input1: Tensor, input2: Tensor, target: Tensor, margin, reduction: str) -> Tensor:
    """ATen's margin_ranking_loss: inputs of any broadcastable shapes, a float margin."""
    for position, name, value in ((1, "input1", input1), (2, "input2", input2), (3, "target", target)):
        _need_tensor("margin_ranking_loss", name, position, value)
    need_number("margin_ranking_loss", "margin", 4, margin)
    if not isinstance(margin, Tensor):
        margin = float(margin)  # the parser's double
    loss = (target.neg() * (input1 - input2) + margin).clamp_min(0)  # in ATen's order
    return _reduce(loss, reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average=None,
                         reduce=None, reduction: str = "mean") -> Tensor:
    """x where y = 1, max(0, margin - x) where y = -1.

    Args:
        input: the distances x.
        target: y, 1 or -1, of input's shape.
        margin: the margin (default 1).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """
    from .._creation import full_like, zeros_like

    reduction = _reduction(reduction, size_average, reduce)
    need_number("hinge_embedding_loss", "margin", 3, margin)
    zero = zeros_like(input)
    # PyTorch's `margin - self` fills a tensor of self's dtype with the margin (an integer
    # input truncates it, a bool one refuses the subtraction)
    margin_clamp = full_like(input, float(margin)).sub(input).clamp_min(0)
    loss = _where(target != 1, margin_clamp, zero) + _where(target != -1, input, zero)
    return _reduce(loss, reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """log(1 + exp(-y x)).

    Args:
        input: the scores x.
        target: y, 1 or -1, of input's shape.
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """
    _need_tensor("soft_margin_loss", "input", 1, input)
    _need_tensor("soft_margin_loss", "target", 2, target)
    reduction = _reduction(reduction, size_average, reduce)
    refuse_grad("soft_margin_loss", "target", target)
    if input.dtype == _core.bool:  # PyTorch negates the input first
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
                           "to invert a mask, use the `~` or `logical_not()` operator instead.")
    need_result_in_input_dtype(input, target)
    _need_input_shape(input, target)
    target = _F()._bool_target_as(input, target)
    from . import _loss_nodes

    return _loss_nodes.soft_margin(input, target, reduction)


def _need_input_shape(input: Tensor, target: Tensor) -> None:
    """PyTorch computes soft_margin_loss in place in a tensor of input's shape: a target
    that broadcasts it to a larger shape is refused."""
    from .._tensor_api import broadcast_shapes

    try:
        shape = list(broadcast_shapes(tuple(input.shape), tuple(target.shape)))
    except RuntimeError:
        return  # the loss's own broadcast raises PyTorch's error
    if shape != list(input.shape):
        raise RuntimeError(f"output with shape {list(input.shape)} doesn't match the broadcast shape {shape}")


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """-(y log σ(x) + (1 - y) log σ(-x)) averaged over the classes.

    Args:
        input: the scores x, (N, C) or (C,).
        target: y, 0 or 1 for each class, of input's shape.
        weight: optional (C,) class weights (default None).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """
    if size_average is not None or reduce is not None:
        reduction = _F()._legacy_reduction(size_average, reduce)
    _need_tensor("log_sigmoid", "input", 1, input)  # PyTorch's first op on it
    logsig = _F().logsigmoid
    loss = (target * logsig(input) + (1 - target) * logsig(input.neg())).neg()
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = loss.sum(dim=class_dim) / input.size(class_dim)
    if reduction not in ("none", "mean", "sum"):  # checked last, as PyTorch does (None: TypeError)
        raise ValueError(reduction + " is not valid")
    return _reduce(loss, reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1.

    Args:
        input1: x1, (N, D) or (D,).
        input2: x2, of the same shape.
        target: y, 1 or -1 for each pair, (N,) or ().
        margin: the margin for dissimilar pairs, in [-1, 1] (default 0).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """
    _need_tensor("cosine_embedding_loss", "input1", 1, input1)
    _need_tensor("cosine_embedding_loss", "input2", 2, input2)
    _need_tensor("cosine_embedding_loss", "target", 3, target)
    reduction = _reduction(reduction, size_average, reduce)
    if target.dim() not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    want = target.dim() + 1
    if input1.dim() != want or input2.dim() != want:
        raise RuntimeError(
            f"{target.dim()}D target tensor expects {want}D input tensors, but found inputs with sizes "
            f"{_size_str(input1.shape)} and {_size_str(input2.shape)}."
        )
    eps = 1e-12
    d = target.dim()
    prod_sum = (input1 * input2).sum(d)
    mag1 = (input1 * input1).sum(d) + eps
    mag2 = (input2 * input2).sum(d) + eps
    cos = prod_sum / (mag1 * mag2).sqrt()
    from .._creation import zeros_like

    zero = zeros_like(cos)
    pos = _where(target == 1, cos.neg() + 1, zero)
    neg = _where(target == -1, (cos - margin).clamp_min(0), zero)
    return _reduce(pos + neg, reduction)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """‖x1 - x2 + eps‖_p over the last dim.

    Args:
        x1: the first batch of vectors, (N, D) or (D,).
        x2: the second, broadcastable with x1.
        p: the order of the norm (default 2).
        eps: added to the difference to avoid a zero norm (default 1e-6).
        keepdim: keep the reduced last dim with size 1 (default False).
    """
    _need_tensor("pairwise_distance", "x1", 1, x1)
    _need_tensor("pairwise_distance", "x2", 2, x2)
    from .._saved_values import c_dims
    from ._composite_nodes import add_scalar, record_composite

    inner = max(x1.dim(), x2.dim()) - 1
    diff = add_scalar(x1 - x2, eps)  # PyTorch's add.Scalar
    return record_composite("NormBackward1", (diff,), lambda out: (("self", diff), ("result", out)),
                            functools.partial(_pairwise_norm, p, inner, keepdim),
                            {"p": float(p), "dim": c_dims((inner,)), "keepdim": keepdim})


def _pairwise_norm(p: float, dim: int, keepdim: bool, diff: Tensor) -> Tensor:
    return diff.abs() if dim < 0 else diff.norm(p, dim, keepdim=keepdim)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """Σ (x1 / max(‖x1‖, eps)) (x2 / max(‖x2‖, eps)) along `dim`."""
    _need_tensor("cosine_similarity", "x1", 1, x1)
    _need_tensor("cosine_similarity", "x2", 2, x2)
    need_int64(dim)
    common = _core.promote_types(x1.dtype, x2.dtype)
    if common.is_complex:
        names = {_core.complex64: "ComplexFloat", _core.complex128: "ComplexDouble"}
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is {names[common]}")
    if not common.is_floating_point:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is {scalar_name(common)}")
    if not eps >= 0:  # NaN too
        raise RuntimeError(f"eps must be non-negative, got: {eps:g}")
    if not x1.dtype.is_floating_point:
        x1 = x1.to(common)
    if not x2.dtype.is_floating_point:
        x2 = x2.to(common)
    # PyTorch broadcasts first, so `dim` refers to the broadcast shape.
    from .._shape import broadcast_tensors

    x1, x2 = broadcast_tensors(x1, x2)
    return ((x1 / _norm_floor(x1, dim, eps)) * (x2 / _norm_floor(x2, dim, eps))).sum(dim)


def _norm_floor(x: Tensor, dim: int, eps: float) -> Tensor:
    """‖x‖ along dim, floored at eps; the floor is applied outside autograd, as PyTorch does."""
    n = x.norm(2, dim, keepdim=True)
    floor = n.detach().clamp_min(eps) - n.detach()
    return n + floor


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average=None, reduce=None,
                        reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)), d the pairwise p-distance.

    Args:
        anchor: a, (N, D) or (D,).
        positive: p, like a.
        negative: n, like a.
        margin: the margin (default 1).
        p: the order of the pairwise distance (default 2).
        eps: added in the pairwise distance for stability (default 1e-6).
        swap: use min(d(a, n), d(p, n)) as the negative distance (default False).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """
    reduction = _reduction(reduction, size_average, reduce)
    if compared_before_parser(lambda: margin <= 0):  # PyTorch's Python body compares first
        raise before_parser(ValueError(f"margin must be greater than 0, got {margin}"))
    return triplet_margin(anchor, positive, negative, margin, p, eps, swap, reduction)


def triplet_margin(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float, p: float, eps: float,
                   swap: bool, reduction: str) -> Tensor:
    """PyTorch's `triplet_margin_loss` op, which takes any margin (its nn.functional
    body refuses one <= 0)."""
    _need_tensor("triplet_margin_loss", "anchor", 1, anchor)
    _need_tensor("triplet_margin_loss", "positive", 2, positive)
    _need_tensor("triplet_margin_loss", "negative", 3, negative)
    a_dim, p_dim, n_dim = anchor.dim(), positive.dim(), negative.dim()
    if not (a_dim == p_dim == n_dim):
        raise RuntimeError(
            f"The anchor, positive, and negative tensors are expected to have the same number of dimensions, "
            f"but got: anchor {a_dim}D, positive {p_dim}D, and negative {n_dim}D inputs"
        )
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_swap = pairwise_distance(positive, negative, p, eps)
        d_neg = d_neg.minimum(d_swap)
    loss = (d_pos + margin - d_neg).clamp_min(0)  # PyTorch's order: a huge eps cancels out
    return _reduce(loss, reduction)


# --------------------------------------------------------------------------- layers


def _verify_group_batch(shape: tuple, num_groups: Any) -> None:
    """PyTorch's Python check (before its parser reads `num_groups`) that each group
    normalises more than one value."""
    sizes: list = []

    def single_value() -> bool:
        sizes.extend([shape[0] * shape[1] // num_groups, num_groups, *shape[2:]])
        count = sizes[0]
        for size in sizes[2:]:
            count *= size
        return count == 1

    if compared_before_parser(single_value):
        raise before_parser(ValueError(f"Expected more than 1 value per channel when training, got input size {sizes}"))


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalises each group of channels (dim 1) of each sample, then scales and shifts per channel.

    Args:
        input: the input, (N, C, *).
        num_groups: the number of groups; C must be divisible by it.
        weight: an optional (C,) scale (default None: 1).
        bias: an optional (C,) shift (default None: 0).
        eps: added to the variance for numerical stability (default 1e-5).
    """
    mixed = check_group_norm(input, num_groups, weight, bias)
    from . import _norm_nodes

    return _norm_nodes.native_group_norm(input, num_groups, weight, bias, eps, mixed)[0]


def check_group_norm(input: Tensor, num_groups: int, weight: Tensor | None, bias: Tensor | None) -> bool:
    """PyTorch's checks of group_norm's arguments; whether the input's dtype is lower than
    the weight's and bias's (a mixed-dtype call)."""
    _F()._need_method(input, "dim")  # PyTorch's group_norm asks for input.dim() first
    if input.dim() < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.dim()}"
        )
    _verify_group_batch(tuple(input.shape), num_groups)
    need_int("group_norm", "num_groups", 2, num_groups)
    for position, name, t in ((3, "weight", weight), (4, "bias", bias)):
        if t is not None:
            _need_tensor("group_norm", name, position, t)
    if num_groups <= 0:
        raise RuntimeError(f"Expected num groups to be greater than 0, got {num_groups}")
    c = input.shape[1]
    if c % num_groups != 0:
        raise RuntimeError(
            f"Expected number of channels in input to be divisible by num_groups, but got input of shape "
            f"{_size_str(input.shape)} and num_groups={num_groups}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            # PyTorch's bias message shows the weight's shape ([0] without a weight)
            shown = t.shape if name == "weight" else (weight.shape if weight is not None else (0,))
            raise RuntimeError(
                f"Expected {name} to be a vector of size equal to the number of channels in input, but got "
                f"{name} of shape {_size_str(shown)} and input of shape {_size_str(input.shape)}"
            )
    from ._mixed_dtype import check_mixed_dtype

    mixed = check_mixed_dtype(input, weight, bias)
    need_floating_kernel(input, "GroupNormKernelImpl")
    if input.dtype.is_complex:
        raise NotImplementedError(f"\"GroupNormKernelImpl\" not implemented for '{scalar_name(input.dtype)}'")
    return mixed


_CPP_TYPE_NAMES = {
    "float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16", "int64": "long int",
    "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool",
    "complex64": "c10::complex<float>", "complex128": "c10::complex<double>",
}


def _cpp_type_name(dtype) -> str:
    """The C++ type name PyTorch's dtype-mismatch messages print (`float`, `long int`)."""
    return _CPP_TYPE_NAMES.get(str(dtype).rsplit(".", 1)[-1], str(dtype))


def _size_at(t: Tensor, d: int) -> int:
    """t.size(d) with PyTorch's IndexError messages (a 0-d tensor has no dimensions)."""
    if t.dim() == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    return t.size(d)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y_o = x1ᵀ W_o x2 + b_o over the last dims.

    Args:
        input1: x1, (*, in1_features).
        input2: x2, (*, in2_features), the same leading dims.
        weight: W, (out_features, in1_features, in2_features).
        bias: an optional (out_features,) bias b (default None).
    """
    _need_tensor("bilinear", "input1", 1, input1)
    _need_tensor("bilinear", "input2", 2, input2)
    _need_tensor("bilinear", "weight", 3, weight)
    named = [("input1", input1), ("input2", input2), ("weight", weight)] + ([("bias", bias)] if bias is not None else [])
    if any(t.dtype != input1.dtype for _, t in named):
        listed = ", ".join(f"{n}: {_cpp_type_name(t.dtype)}" for n, t in named)
        raise RuntimeError(f"All tensors must have the same dtype, got {listed}")
    if input1.dim() != input2.dim():
        raise RuntimeError(
            f"bilinear(): input dimensions do not match: got {input1.dim()} and {input2.dim()}"
        )
    for i in range(input1.dim() - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: got "
                               f"{input1.shape[i]} and {input2.shape[i]}")
    in1, in2 = _size_at(weight, 1), None
    if _size_at(input1, -1) != in1:
        raise RuntimeError(
            f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but expected {in1}"
        )
    in2 = _size_at(weight, 2)
    if _size_at(input2, -1) != in2:
        raise RuntimeError(
            f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but expected {in2}"
        )
    out_f = _size_at(weight, 0)
    if bias is not None and _size_at(bias, 0) != out_f:
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got {bias.shape[0]} but expected {out_f}")
    if weight.dim() != 3:
        raise RuntimeError("number of dimensions must match")
    lead = tuple(input1.shape[:-1])
    x1 = input1.reshape(-1, in1)
    x2 = input2.reshape(-1, in2)
    t = x1.matmul(weight.permute(1, 0, 2).reshape(in1, out_f * in2)).reshape(x1.shape[0], out_f, in2)
    # a second matrix product (not products then a sum), rounded once as PyTorch's
    # float16/bfloat16 kernels round; integers keep their dtype
    out = t.bmm(x2.unsqueeze(-1)).reshape(lead + (out_f,))
    return out if bias is None else out + bias  # PyTorch adds the bias last (AddBackward0)


def _sdpa_node_name(query, key, value, attn_mask=None, dropout_p=0.0, *args, **kwargs) -> str | None:
    """PyTorch's CPU flash kernel takes 4-D inputs without dropout; the math path otherwise."""
    if query.dim() == 4 and key.dim() == 4 and value.dim() == 4 and dropout_p == 0.0:
        if value.shape[-1] != query.shape[-1]:  # the flash kernel needs one head size
            return "UnsafeViewBackward0"
        return "ScaledDotProductFlashAttentionForCpuBackward0"
    return None


@node_name(_sdpa_node_name)
def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(q kᵀ scale + mask) v, with a causal or boolean/additive mask and dropout.

    Args:
        query: q, (*, L, E).
        key: k, (*, S, E).
        value: v, (*, S, Ev).
        attn_mask: an optional mask broadcastable to (*, L, S): boolean (True: may attend)
            or additive floats (default None).
        dropout_p: the dropout probability on the attention weights (default 0).
        is_causal: apply a lower-triangular causal mask (default False; not with `attn_mask`).
        scale: the factor of q kᵀ; None (default) means 1 / sqrt(E).
        enable_gqa: allow fewer key/value heads than query heads (grouped-query attention;
            dim -3); default False.
    """
    _need_tensor("scaled_dot_product_attention", "query", 1, query)
    _need_tensor("scaled_dot_product_attention", "key", 2, key)
    _need_tensor("scaled_dot_product_attention", "value", 3, value)
    from .._creation import ones, zeros

    if query.dtype != key.dtype or query.dtype != value.dtype:
        raise RuntimeError(
            "Expected query, key, and value to have the same dtype, but got query.dtype: "
            f"{_dtype_str(query.dtype)} key.dtype: {_dtype_str(key.dtype)} and value.dtype: "
            f"{_dtype_str(value.dtype)} instead."
        )
    # PyTorch's validate_sdpa_input: the operands' dtypes, their dims, then the mask's dtype
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError(f"Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: "
                           f"{query.dim()} key.dim: {key.dim()} and value.dim: {value.dim()} instead.")
    if attn_mask is not None and attn_mask.dtype != _core.bool and attn_mask.dtype != query.dtype:
        raise RuntimeError(
            "Expected attn_mask dtype to be bool or float or to match query dtype, but got attn_mask.dtype: "
            f"{_dtype_str(attn_mask.dtype)} and  query.dtype: {_dtype_str(query.dtype)} instead."
        )
    from ..backends.cuda import flash_sdp_enabled, math_sdp_enabled

    if not (math_sdp_enabled() or flash_sdp_enabled()):  # the two kernels PyTorch has on the CPU
        raise RuntimeError(
            "No viable backend for scaled_dot_product_attention was found. This is likely due to "
            "turning off both the math kernel and the fused kernels."
        )
    if value.numel() == 0:
        return _attention_of_empty_value(query, key, value)
    if query.dtype in (_core.float16, _core.bfloat16):  # PyTorch's CPU kernels compute these in float32
        mask = attn_mask.float() if attn_mask is not None and attn_mask.dtype == query.dtype else attn_mask
        out = scaled_dot_product_attention(query.float(), key.float(), value.float(), mask, dropout_p, is_causal,
                                           scale, enable_gqa)
        return out.to(query.dtype)
    L, S = query.shape[-2], key.shape[-2]
    scale_factor = 1 / math.sqrt(query.shape[-1]) if scale is None else scale
    bias = None
    if is_causal:
        if attn_mask is not None:
            raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
        allowed = ones(L, S, dtype=_core.bool).tril(0)
        bias = zeros(L, S, dtype=query.dtype).masked_fill(allowed.logical_not(), float("-inf"))
    elif attn_mask is not None:
        if attn_mask.dtype == _core.bool:
            bias = zeros(tuple(attn_mask.shape), dtype=query.dtype).masked_fill(attn_mask.logical_not(), float("-inf"))
        else:
            bias = attn_mask
    if enable_gqa and query.dim() >= 3 and key.shape[-3] != query.shape[-3]:
        hq, hk, hv = query.shape[-3], key.shape[-3], value.shape[-3]
        if hq % hk != 0 or hq % hv != 0:
            raise RuntimeError(
                "Number of heads in key and value must divide the number of heads in query"
            )
        key = key.repeat_interleave(hq // hk, -3)
        value = value.repeat_interleave(hq // hv, -3)
    sq = math.sqrt(abs(scale_factor))
    q = query * (sq if scale_factor >= 0 else -sq)
    attn = q.matmul(key.transpose(-2, -1) * sq)
    if bias is not None:
        attn = attn + bias
    weights = _safe_softmax(attn)
    if dropout_p > 0.0:
        if not dropout_p <= 1.0:  # the kernel's check, worded as C++ prints a double
            raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {float(dropout_p):g}")
        weights = _F().dropout(weights, dropout_p, True)
    return weights.matmul(value)


def _attention_of_empty_value(query: Tensor, key: Tensor, value: Tensor) -> Tensor:
    """PyTorch answers a value with no elements by zeros of shape (*query batch, L, Ev),
    without checking its batch against the query's; in the graph (AddBackward0) when an
    input requires grad."""
    from .._creation import zeros

    out = zeros((*query.shape[:-1], value.shape[-1]), dtype=query.dtype)
    if _core.is_grad_enabled() and (query.requires_grad or key.requires_grad or value.requires_grad):
        none = query.reshape(-1)[:0].sum() + key.reshape(-1)[:0].sum() + value.reshape(-1)[:0].sum()
        out = out + none  # exact: a sum of no elements is 0
    return out


def _safe_softmax(x: Tensor) -> Tensor:
    """softmax along the last dim, 0 (not NaN) on rows that are entirely -inf."""
    dead = (x.detach() == float("-inf")).all(-1, keepdim=True)
    if not bool(dead.any()):
        return _core._softmax(x, -1, None, False)
    zero = _core._full(*tuple(x.shape), fill_value=0.0, dtype=x.dtype)
    out = _core._softmax(_where(dead, zero, x), -1, None, False)
    return _where(dead, zero, out)


def _dtype_str(d) -> str:
    return _cpp_type_name(d)  # PyTorch's C++ names: float, double, long int
