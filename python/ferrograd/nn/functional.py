"""`nn.functional`: activations, dropout, losses and `linear`.

softmax and log_softmax are native ops with PyTorch's nodes; the losses and most
activations are composed from tensor ops (numerically stable), so their `grad_fn` names
are those of the composing ops rather than PyTorch's fused nodes.
"""

from __future__ import annotations

import math
import operator
import warnings
from collections.abc import Callable
from typing import Any

from .. import _core, _tensor_likes
from .._activation_node import activation_node
from .._argcheck import dim_error as _dim_error
from .._argcheck import need_bool, need_int64_elements, need_tensor_method
from .._argument_types import before_parser, compared_before_parser
from .._core import Tensor
from .._float8_unary import refuse_unary as _refuse_unary
from .._grad_mode import no_grad
from .._layouts import strided_only
from .._random_fill import drawn_in_memory_order
from .._shell_dtypes import is_float8 as _is_float8
from .._shell_dtypes import refuse_float8 as _refuse_float8
from .._tensor_likes import dispatching_first
from ._batch_norm_checks import zero_dim_input_error as _zero_dim_input_error
from ._integer_inputs import integer_hardtanh, is_integral, need_floating_kernel, need_floating_loss
from ._mixed_dtype import check_mixed_dtype
from ._nondiff_args import refuse_grad

__all__ = [
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "dropout",
    "elu",
    "embedding",
    "gelu",
    "hardtanh",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "logsigmoid",
    "mse_loss",
    "nll_loss",
    "one_hot",
    "relu",
    "relu6",
    "sigmoid",
    "silu",
    "smooth_l1_loss",
    "softmax",
    "softplus",
    "tanh",
]


# --------------------------------------------------------------------------- helpers


def _legacy_reduction(size_average, reduce) -> str:
    """The `reduction` that the deprecated pair means, with PyTorch's warning."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{reduction}' instead.",
        UserWarning,
        stacklevel=3,
    )
    return reduction


def _reduction(reduction: str, size_average=None, reduce=None) -> str:
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _full_like_scalar(t: Tensor, value) -> Tensor:
    return _core._full(*tuple(t.shape), fill_value=value, dtype=t.dtype)


def _log1p(x: Tensor) -> Tensor:
    return x.log1p()


def _erf(x: Tensor) -> Tensor:
    return x.erf()


def _softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    """PyTorch's legacy dim for `dim=None`, with its warning at `stacklevel` as PyTorch
    counts it (3: the caller of F.softmax), past any wrapper of ours; a `stacklevel` that is
    not an int is refused by `warnings.warn`'s own check, as in PyTorch."""
    from .._user_warning import caller_level

    if not -(2**63) <= operator.index(stacklevel) < 2**63:  # warnings.warn's C ssize_t
        raise OverflowError("Python int too large to convert to C ssize_t")
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument.",
        stacklevel=caller_level() + operator.index(stacklevel) - 3,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax_parser_error(name: str, dim, dtype) -> Exception | None:
    """PyTorch's parser error for `input.softmax(dim, dtype)` (which F.softmax calls),
    where a body here refused a type in its own words."""
    from .._parser_check import parser_error

    return parser_error("Tensor." + name, (dim,), {} if dtype is None else {"dtype": dtype})


def _check_dim(t: Tensor, dim: int) -> int:
    n = max(t.dim(), 1)
    if not -n <= dim < n:
        raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


# --------------------------------------------------------------------------- layers


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """`input @ weight.T + bias`."""
    if bias is not None and not isinstance(bias, Tensor):
        _need_tensor("linear", "bias", 3, bias)
    try:
        return _linear(input, weight, bias)
    except (AttributeError, TypeError, RuntimeError):
        _check_linear(input, weight)  # PyTorch's error when the arguments are the problem
        raise


def _linear(input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    if _core._autocast_cpu_dtype() is not None:  # cast before the transpose, as PyTorch's linear
        from ..amp.autocast_mode import cast_for_autocast

        input, weight, bias = cast_for_autocast((input, weight, bias))
    if bias is not None and weight.dim() == 2 and input.dim() >= 1:
        # PyTorch's fused paths: addmm for a matrix, addmm on a contiguous input's
        # (-1, in_features) view for other ranks, viewed back
        if input.dim() == 2:
            return bias.addmm(input, weight.t())
        if input.is_contiguous():
            out = bias.addmm(input.reshape(-1, input.shape[-1]), weight.t())
            return out.view((*input.shape[:-1], weight.shape[0]))
    out = input.matmul(weight.t())
    if bias is not None:
        if bias.dtype != out.dtype:  # PyTorch's addmm refuses it rather than promote
            raise RuntimeError(f"self and mat2 must have the same dtype, but got {scalar_name(bias.dtype)} and "
                               f"{scalar_name(out.dtype)}")
        out = out + bias
    return out


def _check_linear(input: Tensor, weight: Tensor) -> None:
    _need_tensor("linear", "input", 1, input)
    _need_tensor("linear", "weight", 2, weight)
    if input.dim() == 0 or weight.dim() == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {input.dim()}D and "
                           f"{weight.dim()}D")
    if input.dim() >= 1 and weight.dim() >= 1 and input.shape[-1] != weight.shape[-1]:
        rows = math.prod(tuple(input.shape[:-1])) if input.dim() > 1 else 1
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{input.shape[-1]} and "
            f"{weight.shape[-1]}x{weight.shape[0] if weight.dim() > 1 else 1})"
        )


# --------------------------------------------------------------------------- activations


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0).

    Args:
        input: the input tensor.
        inplace: write the result into `input` and return it (default False).
    """
    if inplace:
        return input.relu_()
    return input.relu()


def _activation(input: Tensor, kind: str, args: list, inplace: bool = False, op: str = "") -> Tensor:
    """`kind` as one node (PyTorch's), written into `input` when `inplace` (`op` names the
    in-place op, `kind + "_"` by default)."""
    strided_only(input, in_place=inplace)
    if inplace:
        return activation_node(input, kind, args, op or kind + "_")
    return activation_node(input, kind, args)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6).

    Args:
        input: the input tensor.
        inplace: write the result into `input` and return it (default False).
    """
    if is_integral(input):
        return integer_hardtanh(input, 0, 6, inplace)
    if input.dtype.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")
    _refuse_float8("clamp_scalar_cpu", input)
    return _activation(input, "hardtanh", [0, 6], inplace, "hardtanh_")


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """x clamped to [min_val, max_val] (no gradient at the bounds themselves, unlike clamp).

    Args:
        input: the input tensor.
        min_val: the lower bound (default -1).
        max_val: the upper bound (default 1).
        inplace: write the result into `input` and return it (default False).
    """
    if compared_before_parser(lambda: min_val > max_val):
        raise before_parser(ValueError("min_val cannot be greater than max_val"))
    return bounded_hardtanh(input, min_val, max_val, inplace)


def bounded_hardtanh(input: Tensor, min_val, max_val, inplace: bool = False) -> Tensor:
    """`hardtanh` without nn.functional's Python check of the bounds' order (ATen's
    `hardtanh_` has none: min_val above max_val gives max_val everywhere)."""
    if is_integral(input):
        return integer_hardtanh(input, min_val, max_val, inplace)
    if input.dtype.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")
    # PyTorch's clamp: all NaN for a NaN bound, all max_val for bounds out of order
    if min_val > max_val or any(isinstance(v, float) and math.isnan(v) for v in (min_val, max_val)):
        lo, hi = (v.item() if isinstance(v, Tensor) else v for v in (min_val, max_val))
        return input.clamp_(lo, hi) if inplace else input.clamp(lo, hi)
    _refuse_float8("clamp_scalar_cpu", input)
    return _activation(input, "hardtanh", [min_val, max_val], inplace)


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + exp(-x)).

    Args:
        input: the input tensor.
    """
    _refuse_unary("sigmoid", input)  # the core names sigmoid's 8-bit kernel differently
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent.

    Args:
        input: the input tensor.
    """
    return input.tanh()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope * x.

    Args:
        input: the input tensor.
        negative_slope: the slope below zero (default 0.01).
        inplace: write the result into `input` and return it (default False;
            PyTorch's in-place node is LeakyReluBackward1).
    """
    need_floating_kernel(input, "leaky_relu_cpu")
    return _activation(input, "leaky_relu", [negative_slope], inplace)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha * (exp(x) - 1).

    Args:
        input: the input tensor.
        alpha: the α of ELU (default 1).
        inplace: write the result into `input` and return it (default False;
            PyTorch's in-place node is EluBackward1).
    """
    need_floating_kernel(input, "elu_cpu")
    return _activation(input, "elu", [alpha, 1, 1], inplace)


def gelu(input: Tensor, *, approximate: str = "none") -> Tensor:
    """x * Φ(x), exactly (`approximate='none'`) or with the tanh approximation.

    Args:
        input: the input tensor.
        approximate: 'none' (default) or 'tanh'.
    """
    need_floating_kernel(input, "GeluKernelImpl")
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _core._activation(input, "gelu" if approximate == "none" else "gelu_tanh", [])


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x).

    Args:
        input: the input tensor.
        inplace: write the result into `input` and return it (default False).
    """
    if input.dtype.is_complex:
        if inplace:
            return _core._inplace_call("silu_", input, True, _complex_silu_node)
        if input.requires_grad and _core.is_grad_enabled():
            raise RuntimeError("silu does not support automatic differentiation for outputs with complex dtype.")
        return _complex_silu(input)
    need_floating_kernel(input, "silu_cpu")
    return _activation(input, "silu", [], inplace)


def _complex_silu(z: Tensor) -> Tensor:
    return z / (1 + (-z).exp())  # PyTorch's complex kernel


def _complex_silu_node(z: Tensor) -> Tensor:
    """silu_ of a complex tensor as PyTorch's `SiluBackward0`, whose gradient is
    grad * s (1 + z (1 - s)) with s = sigmoid(z), not conjugated (autograd's rule for a
    holomorphic function would conjugate it, so the derivative enters as a constant)."""
    value = _complex_silu(z.detach())
    if not (z.requires_grad and _core.is_grad_enabled()):
        return value
    s = 1 / (1 + (-z.detach()).exp())
    slope = (s * (1 + z.detach() * (1 - s))).conj()
    return _core._named_node(value + slope * (z - z.detach()), "SiluBackward0")


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x), stable for large |x|.

    Args:
        input: the input tensor.
    """
    need_floating_kernel(input, "log_sigmoid_cpu")
    return _core._activation(input, "log_sigmoid", [])


def softplus(input: Tensor, beta: float = 1, threshold: float = 20) -> Tensor:
    """log(1 + exp(beta * x)) / beta, linear where beta * x > threshold.

    Args:
        input: the input tensor.
        beta: the β of the formula (default 1).
        threshold: above this value of beta * x the result is x (default 20).
    """
    need_floating_kernel(input, "softplus_cpu")
    _refuse_float8("softplus_cpu", input)
    return activation_node(input, "softplus", [beta, threshold])


def _need_method(input: object, name: str) -> None:
    """PyTorch's Python function calls `input.<name>(...)`: anything but a tensor fails
    as that call does."""
    need_tensor_method(input, name)


def _softmax_to_tensor_like(fn: Callable, input: Any, dim, _stacklevel: int, dtype) -> Any:
    """What a tensor-like `input` answers for `fn` (softmax, log_softmax), which PyTorch's
    Python hands it before reading `dim`; MISS when `input` is none."""
    types = _tensor_likes.overriding_types((input,), None)
    if not types:
        return _tensor_likes.MISS
    kwargs = {"dim": dim, "_stacklevel": _stacklevel, "dtype": dtype}
    return _tensor_likes.dispatch_python(fn, f"nn.functional.{fn.__name__}", types, (input,), kwargs)


def _softmax_checked(name: str, input: Tensor, dim, stacklevel: int, dtype, log: bool) -> Tensor:
    """`softmax`/`log_softmax` of a tensor: the legacy dim choice, then the kernel, with
    PyTorch's parser error where the kernel refused an argument's type."""
    if dim is None:
        dim = _softmax_dim(name, input.dim(), stacklevel)
    _need_method(input, name)
    try:
        if dtype is not None:
            from .._reduce import check_softmax_dtype

            check_softmax_dtype(name, dtype, input, dim)
        return _core._softmax(input, dim, dtype, log)
    except TypeError as failure:
        raise softmax_parser_error(name, dim, dtype) or failure from None


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """exp(x) / sum(exp(x)) along `dim`, computed stably (`SoftmaxBackward0`).

    Args:
        input: the input tensor.
        dim: the dimension along which to normalize (None: PyTorch's legacy choice, 0 for
            0-, 1- and 3-D inputs, else 1, with a warning).
        _stacklevel: the stack level of the warning for `dim=None`.
        dtype: if given, `input` is cast to this dtype first; None keeps its dtype.
    """
    if not isinstance(input, Tensor):
        handed = _softmax_to_tensor_like(softmax, input, dim, _stacklevel, dtype)
        if handed is not _tensor_likes.MISS:
            return handed
    return _softmax_checked("softmax", input, dim, _stacklevel, dtype, False)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """log(softmax(x)) along `dim`, computed stably (`LogSoftmaxBackward0`).

    Args:
        input: the input tensor.
        dim: the dimension along which to normalize (None: PyTorch's legacy choice, 0 for
            0-, 1- and 3-D inputs, else 1, with a warning).
        _stacklevel: the stack level of the warning for `dim=None`.
        dtype: if given, `input` is cast to this dtype first; None keeps its dtype.
    """
    if not isinstance(input, Tensor):
        handed = _softmax_to_tensor_like(log_softmax, input, dim, _stacklevel, dtype)
        if handed is not _tensor_likes.MISS:
            return handed
    return _softmax_checked("log_softmax", input, dim, _stacklevel, dtype, True)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes elements with probability p and scales the rest by 1 / (1 - p) (training only).

    Args:
        input: the input tensor.
        p: the probability of dropping (default 0.5).
        training: apply dropout (default True); when False `input` is returned unchanged.
        inplace: write the result into `input` and return it (default False).
    """
    if compared_before_parser(lambda: p < 0.0 or p > 1.0):
        raise before_parser(ValueError(f"dropout probability has to be between 0 and 1, but got {p}"))
    _need_tensor("dropout", "input", 1, input)
    if type(training) is not bool:
        need_bool("dropout_" if inplace else "dropout", "train", 3, training)
    if not 0.0 <= p <= 1.0:  # NaN passed the check above; PyTorch's kernel refuses it
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        from ._functional_extra import _times_zero

        return _times_zero(input, inplace)
    from .._complex import refuse_complex
    from ._functional_extra import _check_floating_result

    refuse_complex(input, "bernoulli_scalar_cpu_")
    _check_floating_result(input)
    # PyTorch's CPU dropout: a Bernoulli(1 - p) mask (double-precision draws), divided by 1 - p.
    q = 1.0 - p
    noise = drawn_in_memory_order(input, lambda shape: _core._bernoulli_scalar(shape, q, input.dtype)) / q
    return input.mul_(noise) if inplace else input * noise


# --------------------------------------------------------------------------- losses


def _check_same_size(input: Tensor, target: Tensor) -> None:
    for value in (target, input):
        if not isinstance(value, Tensor):
            value.size()  # PyTorch's Python compares target.size() with input.size() first
    if tuple(target.shape) != tuple(input.shape):
        from .._user_warning import caller_level

        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
            "This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            stacklevel=caller_level(),  # the user's line, past autocast's wrapper
        )


def _broadcastable(input: Tensor, target: Tensor) -> None:
    """PyTorch broadcasts input and target before it reads `reduction`, so a shape
    mismatch is reported first."""
    if tuple(target.shape) != tuple(input.shape):
        from .._shape import broadcast_tensors

        broadcast_tensors(input, target)


def _bool_target_as(input: Tensor, target: Tensor) -> Tensor:
    """A bool target promoted to the input's floating dtype, as the loss kernels do."""
    if target.dtype == _core.bool and input.dtype.is_floating_point:
        return target.to(input.dtype)
    return target


def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
             weight=None) -> Tensor:
    """Mean squared error.

    Args:
        input: the input tensor.
        target: the target, of the same shape as `input`.
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
        weight: optional per-element weights multiplying the loss before the reduction.
    """
    if not (isinstance(input, Tensor) and isinstance(target, Tensor)):
        from .. import _tensor_likes

        types = _tensor_likes.overriding_types((input, target, weight), None, with_tensors=True)
        if any(not issubclass(kind, Tensor) for kind in types):  # PyTorch's Python hands a tensor-like the call first
            kwargs = {"size_average": size_average, "reduce": reduce, "reduction": reduction, "weight": weight}
            return _tensor_likes.dispatch_python(mse_loss, "nn.functional.mse_loss", types, (input, target), kwargs)
    _check_same_size(input, target)
    _broadcastable(input, target)
    reduction = _reduction(reduction, size_average, reduce)
    target = _bool_target_as(input, target)
    if input.dtype == _core.bool and target.dtype.is_floating_point:  # promoted likewise
        input = input.to(target.dtype)
    from .._complex import refuse_complex

    refuse_complex(input, "mse_cpu")
    refuse_complex(target, "mse_cpu")
    need_floating_loss(input, target, "mse_cpu")
    if weight is None:
        from . import _loss_nodes

        return _loss_nodes.mse(input, target, reduction)
    from ._loss_nodes import broadcast_pair

    a, b = broadcast_pair(input, target)
    return _weighted_reduce((a - b).pow(2), input, weight, reduction)


@dispatching_first("nn.functional.l1_loss")
def l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
            weight=None) -> Tensor:
    """Mean absolute error.

    Args:
        input: the input tensor.
        target: the target, of the same shape as `input`.
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
        weight: optional per-element weights multiplying the loss before the reduction.
    """
    _check_same_size(input, target)
    _broadcastable(input, target)
    reduction = _reduction(reduction, size_average, reduce)
    from ._loss_nodes import broadcast_pair

    a, b = broadcast_pair(input, target)
    if weight is None:
        return _reduce((a - b).abs(), reduction)
    return _weighted_reduce((a - b).abs(), input, weight, reduction)


def _weighted_reduce(loss: Tensor, input: Tensor, weight: Tensor, reduction: str) -> Tensor:
    """PyTorch's weighted mse/l1: the weighted mean divides by the sum of the weights."""
    if tuple(weight.size()) != tuple(input.size()):
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    if reduction == "mean":
        return loss.sum() / weight.sum()
    return _reduce(loss, reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """Huber-like loss: 0.5 d² / beta where |d| < beta, else |d| - 0.5 beta.

    Args:
        input: the input tensor.
        target: the target, of the same shape as `input`.
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
        beta: the threshold between the quadratic and linear parts (default 1; 0 gives L1).
    """
    _check_same_size(input, target)
    _broadcastable(input, target)
    reduction = _reduction(reduction, size_average, reduce)
    target = _bool_target_as(input, target)
    compared_before_parser(lambda: beta == 0.0)  # PyTorch's Python body tests it first (l1 for 0)
    need_number("smooth_l1_loss", "beta", 4, beta)
    if not beta >= 0:  # NaN too
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    need_floating_loss(input, target, "smooth_l1_cpu")
    from .._complex import refuse_complex

    refuse_complex(input, "smooth_l1_cpu")
    refuse_complex(target, "smooth_l1_cpu")
    if beta == 0.0:
        d = (input - target).abs()
        return _reduce(d, reduction)
    from . import _loss_nodes

    # the smooth L1 kernel (beta > 0) promotes a bool input too; L1 above subtracts first
    input = _bool_target_as(target, input)
    return _loss_nodes.smooth_l1(input, target, reduction, beta)


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
             ignore_index: int = -100, reduce=None, reduction: str = "mean") -> Tensor:
    """Negative log likelihood of class indices, given log-probabilities `input`.

    Args:
        input: log-probabilities, (N, C), (C,) or (N, C, d1, ...).
        target: class indices, (N,), () or (N, d1, ...).
        weight: optional (C,) class weights (default None).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        ignore_index: a class index whose targets are skipped (default -100).
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none', 'mean' (default; the weighted mean over the non-ignored targets)
            or 'sum'.
    """
    _need_tensor("nll_loss", "input", 1, input)
    _need_tensor("nll_loss", "target", 2, target)
    if weight is not None:
        _need_tensor("nll_loss_nd", "weight", 3, weight)
    reduction = _reduction(reduction, size_average, reduce)
    need_int("nll_loss_nd", "ignore_index", 5, ignore_index)
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    target_batch = target.shape[0] if target.dim() > 0 else 0  # PyTorch reads size 0 of a 0-d target as 0
    if input.dim() != 1 and input.shape[0] != target_batch:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({target_batch}).")
    if input.dim() <= 2 and target.dim() > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.dim() == 1 and target.dim() == 1 and target.shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.numel()}")
    spatial = input.dim() > 2
    if input.dim() != 4 and spatial and tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(
            f"Expected target size {_size_str((input.shape[0],) + tuple(input.shape[2:]))}, got {_size_str(target.shape)}"
        )
    refuse_grad("nll_loss2d_forward" if spatial else "nll_loss_forward", "weight", weight)
    if target.dtype is _core.uint8:
        target = target.long()
    if target.dtype is not _core.int64:
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_type_name(target.dtype)}")
    n_classes = input.shape[1] if input.dim() > 1 else input.shape[0]
    # the kernels' own checks: the weight's shape first, then the input's dtype, the weight's last
    if not spatial and weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes but got "
            f"weight tensor of shape: {_size_str(weight.shape)}"
        )
    if not spatial and (not input.dtype.is_floating_point or _is_float8(input)):
        raise NotImplementedError(f"\"nll_loss_out_frame\" not implemented for '{scalar_name(input.dtype)}'")
    if input.dim() == 4 and target.dim() != 3:  # other spatial inputs are reshaped to 4-d first
        raise RuntimeError(
            f"only batches of spatial targets supported (3D tensors) but got targets of dimension: {target.dim()}")
    if spatial and weight is not None and weight.numel() != n_classes:
        raise RuntimeError("weight tensor should be defined either for all or no classes")
    if input.dim() == 4 and tuple(target.shape[1:]) != tuple(input.shape[2:]):
        # the 2-d kernel's own check and words
        raise RuntimeError(f"size mismatch (got input: {_size_str(input.shape)} , target: {_size_str(target.shape)}")
    if spatial and not input.dtype.is_floating_point:
        raise NotImplementedError(
            f"\"nll_loss2d_forward_out_frame\" not implemented for '{scalar_name(input.dtype)}'")
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {scalar_name(input.dtype)} but found {scalar_name(weight.dtype)}")
    _refuse_float8("nll_loss2d_forward_out_frame", input)  # a spatial input (smaller ones are refused above)
    from . import _loss_nodes

    return _loss_nodes.nll(input, target, weight, ignore_index, reduction)


def _type_name(d) -> str:
    return scalar_name(d)


def _size_str(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


@dispatching_first("nn.functional.cross_entropy")
def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                  ignore_index: int = -100, reduce=None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """log_softmax over the class dim, then nll_loss (class indices) or the
    cross entropy with class probabilities (a float target of the input's shape).

    Args:
        input: logits, (N, C), (C,) or (N, C, d1, ...).
        target: class indices (N,), () or (N, d1, ...), or class probabilities of input's shape.
        weight: optional (C,) class weights (default None).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        ignore_index: a class index whose targets are skipped (default -100).
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
        label_smoothing: the amount of smoothing towards the uniform distribution, in [0, 1]
            (default 0).
    """
    from ._composite_nodes import div_scalar, mul_scalar

    _need_tensor("cross_entropy_loss", "input", 1, input)
    _need_tensor("cross_entropy_loss", "target", 2, target)
    reduction = _reduction(reduction, size_average, reduce)
    if weight is not None and not isinstance(weight, Tensor):
        raise TypeError(f"cross_entropy_loss(): argument 'weight' (position 3) must be Tensor, not {type(weight).__name__}")
    need_int("cross_entropy_loss", "ignore_index", 5, ignore_index)
    need_number("cross_entropy_loss", "label_smoothing", 6, label_smoothing)
    if label_smoothing > 0.0 and not label_smoothing <= 1.0:  # ATen checks a smoothing it applies
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {float(label_smoothing):g}")
    if tuple(target.shape) == tuple(input.shape) and not target.dtype.is_floating_point:
        raise RuntimeError(
            f"Expected floating point type for target with class probabilities, got {scalar_name(target.dtype)}")
    if input.dim() == 0:  # ATen reads the class dim, 1, of a 0-dim input
        if tuple(target.shape) == ():
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    class_dim = 0 if input.dim() == 1 else 1
    n_classes = input.shape[class_dim]
    logp = log_softmax(input, class_dim)
    wshape = [1] * input.dim()
    wshape[class_dim] = n_classes
    if target.dtype.is_floating_point and tuple(target.shape) == tuple(input.shape):
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
            raise RuntimeError(
                f"cross_entropy: weight tensor should be defined either for all {n_classes} classes or no classes "
                f"but got weight tensor of shape: {_size_str(weight.shape)}")
        t = target
        if label_smoothing > 0.0:
            t = t * (1 - label_smoothing) + label_smoothing / n_classes
        prod = logp * t
        if weight is not None:
            prod = prod * weight.reshape(wshape)
        if reduction == "none":
            return prod.sum(class_dim).neg()
        if reduction == "sum":
            return prod.sum().neg()
        # PyTorch divides by the count as a Scalar (its `div.Scalar` node)
        return div_scalar(prod.sum().neg(), input.numel() // n_classes)
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if not label_smoothing > 0.0:  # NaN too: no smoothing
        return nll
    ignore = target == ignore_index
    if weight is not None:
        smooth = (logp * weight.reshape(wshape)).sum(class_dim).neg()
    else:
        smooth = logp.sum(class_dim).neg()
    smooth = smooth.masked_fill(ignore, 0.0)
    if reduction == "mean":
        if weight is not None:
            safe = target.masked_fill(ignore, 0)
            denom = (weight[safe] * ignore.logical_not().to(weight.dtype)).sum()
        else:
            denom = ignore.logical_not().sum()
        ret = smooth.sum() / denom
    elif reduction == "sum":
        ret = smooth.sum()
    else:
        ret = smooth
    return mul_scalar(nll, 1 - label_smoothing) + mul_scalar(ret, label_smoothing / n_classes)


def _need_sizes(target, input) -> None:
    """PyTorch's binary cross entropies compare `target.size()` with `input.size()` first."""
    need_tensor_method(target, "size")
    need_tensor_method(input, "size")


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                         reduce=None, reduction: str = "mean") -> Tensor:
    """-(t log x + (1 - t) log(1 - x)), each log clamped at -100 as PyTorch does.

    Args:
        input: probabilities x in [0, 1].
        target: t in [0, 1], of input's shape.
        weight: optional weights, broadcast to input's shape (default None).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """
    reduction = _reduction(reduction, size_average, reduce)
    _need_sizes(target, input)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}) is "
            "deprecated. Please ensure they have the same size."
        )
    if target.dtype != input.dtype:
        raise RuntimeError(f"Found dtype {scalar_name(target.dtype)} but expected {scalar_name(input.dtype)}")
    refuse_grad("binary_cross_entropy", "weight", weight)
    _refuse_float8("binary_cross_entropy", input)
    with no_grad():
        d = input.detach()
        if bool(((d < 0).logical_or(d > 1)).any()):
            raise RuntimeError("all elements of input should be between 0 and 1")
    from . import _loss_nodes

    return _loss_nodes.binary_cross_entropy(input, target, weight, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average=None, reduce=None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """BCE of sigmoid(input), computed stably as (1 - t) x - w_pos(t) log σ(x).

    Args:
        input: logits x.
        target: t in [0, 1], of input's shape.
        weight: optional weights, broadcast to input's shape (default None).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
        pos_weight: optional weights of the positive term, one per class (last dim).
    """
    reduction = _reduction(reduction, size_average, reduce)
    _need_sizes(target, input)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    # the C op's parser, which takes both weights by position
    for name, position, value in (("weight", 3, weight), ("pos_weight", 4, pos_weight)):
        if value is not None:
            _need_tensor("binary_cross_entropy_with_logits", name, position, value)
    if not (target.dtype.is_floating_point or target.dtype.is_complex):
        raise RuntimeError(f"result type Float can't be cast to the desired output type {scalar_name(target.dtype)}")
    refuse_grad("binary_cross_entropy_with_logits", "weight", weight)
    refuse_grad("binary_cross_entropy_with_logits", "pos_weight", pos_weight)
    from . import _loss_nodes

    return _loss_nodes.binary_cross_entropy_with_logits(input, target, weight, pos_weight, reduction)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 one-hot encoding along a new last dim.

    Args:
        tensor: int64 class indices, any shape.
        num_classes: the number of classes; -1 (default) means the largest index + 1.
    """
    from .._creation import arange

    need_int("one_hot", "num_classes", 2, num_classes)
    if tensor.dtype is not _core.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if tensor.numel() == 0:
        if num_classes <= 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
    else:
        if int(tensor.min()) < 0:
            raise RuntimeError("Class values must be non-negative.")
        if num_classes == -1:
            num_classes = int(tensor.max()) + 1
        elif int(tensor.max()) >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    return (tensor.unsqueeze(-1) == arange(num_classes)).to(_core.int64)


# --------------------------------------------------------------------------- embedding, normalisation


@dispatching_first("nn.functional.embedding")
def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm=None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of `weight` at the int64 indices `input`; no gradient reaches row padding_idx.

    Args:
        input: int64 indices, any shape.
        weight: the (num_embeddings, embedding_dim) table.
        padding_idx: a row that gets no gradient (default None).
        max_norm: when given, rows looked up with a larger norm are rescaled to this norm,
            in place in `weight`.
        norm_type: the p of the norm for `max_norm` (default 2).
        scale_grad_by_freq: divide the gradient of each row by its count in the batch
            (default False).
        sparse: accepted for PyTorch compatibility; the gradient is always dense.
    """
    pad = _embedding_padding_row(weight, padding_idx)
    if max_norm is not None:  # PyTorch renormalises before torch.embedding checks anything
        from ._embedding_bag import embedding_renorm_

        input = input.contiguous()
        embedding_renorm_(weight.detach(), input, max_norm, norm_type)
    from .._parser_check import parser_error

    # then PyTorch's parser of torch.embedding(weight, indices, ...), which its Python calls
    error = parser_error("embedding", (weight, input, pad, scale_grad_by_freq, sparse), {})
    if error is not None:
        raise error
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    if input.dtype is _core.int32:
        input = input.long()
    if input.dtype is not _core.int64:
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; "
            f"but got {checked_type_name(input.dtype)} instead (while checking arguments for embedding)"
        )
    if input.numel() and bool(((input < 0).logical_or(input >= weight.shape[0])).any()):
        _refuse_out_of_range(input, weight)
    from . import _norm_nodes

    return _norm_nodes.embedding(input, weight, pad, scale_grad_by_freq, sparse)


def _embedding_padding_row(weight: Tensor, padding_idx):
    """PyTorch's Python checks of `padding_idx`, made before any argument's type is: the
    row it names (-1 for none), a negative one counted from the end."""
    if padding_idx is None:
        return -1
    if padding_idx > 0:
        if not padding_idx < weight.size(0):
            raise AssertionError("Padding_idx must be within num_embeddings")
    elif padding_idx < 0:
        if not padding_idx >= -weight.size(0):
            raise AssertionError("Padding_idx must be within num_embeddings")
        return weight.size(0) + padding_idx
    return padding_idx


def _refuse_out_of_range(input: Tensor, weight: Tensor) -> None:
    """PyTorch's error for an index out of `weight`'s rows: its kernel words it
    differently for an empty table and for rows of no elements."""
    rows = weight.shape[0]
    if rows == 0:
        raise RuntimeError("index_select(): self indexing axis dim should be positive")
    if weight.shape[1] == 0:
        flat = input.reshape(-1).tolist()
        bad = next(i for i in flat if not 0 <= i < rows)
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={rows}")
    raise IndexError("index out of range in self")


def _layer_norm_is_plain(input, normalized_shape, weight, bias) -> bool:
    """Whether a layer_norm call passes every check below as it stands (the common case,
    decided without them): float32/float64 tensors, an int tuple or list matching the
    input's trailing dims, parameters of that shape and the input's dtype."""
    if type(input) is not Tensor or type(normalized_shape) not in (tuple, list):
        return False
    dtype = input.dtype
    if dtype is not _core.float32 and dtype is not _core.float64:
        return False
    n = len(normalized_shape)
    if n == 0 or input.dim() < n or any(type(s) is not int for s in normalized_shape):
        return False
    shape = input.shape[input.dim() - n:]
    if shape != tuple(normalized_shape):
        return False
    for p in (weight, bias):
        if p is not None and (type(p) is not Tensor or p.dtype is not dtype or p.shape != shape):
            return False
    return True


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """(x - mean) / sqrt(var + eps) over the trailing dims, then * weight + bias.

    Args:
        input: the input tensor.
        normalized_shape: the trailing shape to normalise over, an int or a sequence.
        weight: an optional scale of shape `normalized_shape` (default None).
        bias: an optional shift of shape `normalized_shape` (default None).
        eps: added to the variance for numerical stability (default 1e-5).
    """
    if _layer_norm_is_plain(input, normalized_shape, weight, bias):
        from . import _norm_nodes

        return _norm_nodes.layer_norm(input, tuple(normalized_shape), weight, bias, eps, False)
    need_int64_elements("layer_norm", "normalized_shape", normalized_shape)
    _need_tensor("layer_norm", "input", 1, input)
    from .._complex import refuse_complex

    refuse_complex(input, "LayerNormKernelImpl")
    if isinstance(normalized_shape, int):
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not int")
    shape = tuple(normalized_shape)
    n = len(shape)
    if n == 0:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, "
            "but got normalized_shape = []"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                f"{_size_str(t.shape)} and normalized_shape = {_size_str(shape)}"
            )
    if tuple(input.shape[input.dim() - n:]) != shape or input.dim() < n:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [*, "
            f"{', '.join(str(s) for s in shape)}], but got input of size{list(input.shape)}"
        )
    mixed = check_mixed_dtype(input, weight, bias)
    need_floating_kernel(input, "LayerNormKernelImpl")
    from . import _norm_nodes

    return _norm_nodes.layer_norm(input, shape, weight, bias, eps, mixed)


def _check_batch_size(size) -> None:
    """PyTorch's F.batch_norm check, made before any other in training mode."""
    if len(size) == 0:
        raise IndexError("tuple index out of range")  # PyTorch reads size[0]
    count = 1
    for i, s in enumerate(size):
        if i != 1:
            count *= s
    if count == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {size}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalises each channel (dim 1) by the batch statistics (training) or the running ones.

    Args:
        input: the input, (N, C, *).
        running_mean: the (C,) running mean, updated in place in training (or None).
        running_var: the (C,) running variance, updated likewise (or None).
        weight: an optional (C,) scale (default None: 1).
        bias: an optional (C,) shift (default None: 0).
        training: use and update the batch statistics (default False: use the running ones).
        momentum: the update factor of the running statistics (default 0.1).
        eps: added to the variance for numerical stability (default 1e-5).
    """
    if training and not isinstance(input, Tensor):
        try:  # PyTorch checks the batch size first, so a non-tensor fails on `.size()`
            input.size()
        except (AttributeError, TypeError) as error:
            raise before_parser(error) from None
    _need_tensor("batch_norm", "input", 1, input)
    for position, name, stat in ((2, "weight", weight), (3, "bias", bias), (4, "running_mean", running_mean),
                                 (5, "running_var", running_var)):
        if stat is not None:
            _need_tensor("batch_norm", name, position, stat)
    if training:
        _check_batch_size(input.shape)
    return _batch_norm_kernel(input, running_mean, running_var, weight, bias, training, momentum, eps)


def _batch_norm_kernel(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
                      weight: Tensor | None, bias: Tensor | None, training: bool, momentum: float,
                      eps: float) -> Tensor:
    """`batch_norm` past the checks PyTorch's Python function makes (tensor arguments, more
    than one value per channel in training): its kernel's checks and the computation, as
    `torch.native_batch_norm` reaches them."""
    if input.numel() == 0:  # PyTorch returns a copy (in the graph), before checking the other arguments
        out = input.clone()
        if weight is not None:
            out = out * weight[0]
        if bias is not None:
            out = out + bias[0]
        return out
    c = input.shape[1] if input.dim() > 1 else 0
    for name, stat in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                       ("bias", bias)):
        if stat is None and not training and name.startswith("running"):
            raise RuntimeError(f"{name} must be defined in evaluation mode")
        if stat is not None and stat.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {stat.numel()}")
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be None")
    if input.dim() == 0:  # PyTorch's order: the sizes of the statistics, this, then the dtype
        raise _zero_dim_input_error()
    if training and input.dim() < 2:  # the batch statistics are taken over every dim but 1
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    need_floating_kernel(input, "batch_norm")
    if input.dtype.is_complex:
        raise NotImplementedError(f"\"batch_norm\" not implemented for '{scalar_name(input.dtype)}'")
    if input.dim() < 2:  # the kernel reads the channel count from dim 1
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    mixed = check_mixed_dtype(input, weight, bias, running_mean, running_var)
    if not training:
        for name, stat in (("running_mean", running_mean), ("running_var", running_var)):
            if stat is None:
                raise RuntimeError(f"{name} must be defined in evaluation mode")
    from . import _norm_nodes

    if input.dtype in (_core.float16, _core.bfloat16) and not mixed:
        return _half_batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)
    return _norm_nodes.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps, mixed)


def _half_batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps) -> Tensor:
    """batch_norm of a half-precision input with half-precision parameters as PyTorch's CPU
    kernel computes it: in float32, from the batch mean and 1/std rounded to the input's
    dtype (training) or from the running statistics, rounding the output once. The graph
    and the running statistics' update come from the float32 batch_norm."""
    from . import _norm_nodes

    def wide(t):
        return t.float() if t is not None else None

    x = input.float()
    mean32, var32 = wide(running_mean), wide(running_var)
    graph = _norm_nodes.batch_norm(x, mean32, var32, wide(weight), wide(bias), training, momentum, eps, False)
    channel = (1, -1) + (1,) * (input.dim() - 2)
    with no_grad():
        if training:
            dims = (0, *range(2, input.dim()))
            mean = x.mean(dims).to(input.dtype).float()
            invstd = (1 / (x.var(dims, unbiased=False) + eps).sqrt()).to(input.dtype).float()
            if running_mean is not None:
                running_mean.data.copy_(mean32)  # as PyTorch's kernel: the version stays
                running_var.data.copy_(var32)
        else:
            mean, invstd = running_mean.float(), 1 / (running_var.float() + eps).sqrt()
        alpha = invstd * weight.float() if weight is not None else invstd
        beta = -mean * alpha if bias is None else bias.float() - mean * alpha
        exact = x * alpha.reshape(channel) + beta.reshape(channel)
    out = exact + (graph - graph.detach())  # exact's values (adding zeros), graph's gradient
    rounded = out.to(input.dtype)
    return _core._named_node(rounded, "NativeBatchNormBackward0") if rounded.grad_fn is not None else rounded


# --------------------------------------------------------------------------- more (activations, losses, attention)

from ._attention import multi_head_attention_forward
from ._embedding_bag import embedding_bag
from ._functional_more import *

__all__ += [
    "bilinear", "celu", "cosine_embedding_loss", "cosine_similarity", "embedding_bag", "gaussian_nll_loss", "glu",
    "group_norm", "hardshrink", "hardsigmoid", "hardswish", "hinge_embedding_loss", "huber_loss", "kl_div", "margin_ranking_loss",
    "mish", "multi_head_attention_forward", "multilabel_soft_margin_loss", "normalize", "pairwise_distance",
    "poisson_nll_loss", "prelu", "rrelu", "scaled_dot_product_attention", "selu", "soft_margin_loss", "softmin",
    "softshrink", "softsign", "tanhshrink", "threshold", "triplet_margin_loss",
]
# conv*, conv_transpose*, unfold, fold
from . import _functional_conv
from ._functional_conv import *

__all__ += _functional_conv.__all__
# instance/RMS/LRN norms, channel/alpha dropout, in-place activations; more losses; sampling
from . import _functional_extra, _loss_extra, _sampling_extra
from ._functional_extra import *
from ._loss_extra import *
from ._pooling import *  # pooling, padding, resampling
from ._sampling_extra import *
from ._unpool import *  # max_unpool1d/2d/3d

__all__ += _functional_extra.__all__ + _loss_extra.__all__ + _sampling_extra.__all__

from .._argcheck import need_int, need_number
from .._argcheck import need_tensor as _need_tensor
from .._dtype_names import checked_type_name, scalar_name
from .._out import EXACT, SAME, install
from . import (
    _channels_last,
    grad,  # noqa: F401  (PyTorch's `F.grad` is the `nn.grad` module)
)

# activations of half-precision inputs compute in float32 and round once, as PyTorch's CPU kernels
from ._half_kernels import install_activations

install_activations(globals(), (
    "celu", "elu", "gelu", "glu", "hardshrink", "hardsigmoid", "hardswish", "hardtanh", "leaky_relu", "log_softmax",
    "logsigmoid", "mish", "normalize", "relu6", "selu", "silu", "softmax", "softmin", "softplus", "softshrink",
    "threshold",
))

# the functions whose PyTorch forms take out=
install(globals(), ("gelu", "hardshrink", "softplus", "softshrink"), SAME)  # out of the input's dtype
install(globals(), ("avg_pool2d", "avg_pool3d", "linear"), EXACT)  # ...likewise, worded otherwise
install(globals(), ("logsigmoid", "normalize"))
_channels_last.install(globals())  # conv/pool/norm results keep a channels-last input's layout

from . import _quantized_functional

_quantized_functional.install(globals())  # quantized inputs take PyTorch's quantized kernels

from ..amp.autocast_mode import keep_float32 as _keep_float32

for _loss in ("binary_cross_entropy", "binary_cross_entropy_with_logits", "cosine_embedding_loss", "cross_entropy",
              "hinge_embedding_loss", "huber_loss", "kl_div", "l1_loss", "margin_ranking_loss", "mse_loss",
              "multi_margin_loss", "multilabel_margin_loss", "nll_loss", "poisson_nll_loss", "smooth_l1_loss",
              "soft_margin_loss", "triplet_margin_loss"):
    globals()[_loss] = _keep_float32(globals()[_loss])  # PyTorch's CPU autocast runs them in float32
del _loss

from .._argument_types import guard as _guard_argument_types

_guard_argument_types(globals(), "nn.functional.")  # PyTorch's TypeError for a non-tensor input

from .. import _function_fast_path
from .._subclass_dispatch import gate_namespace as _gate_namespace

_function_fast_path.install(globals(), _function_fast_path.NN_FUNCTIONAL)  # F.relu(x) runs x.relu()
_gate_namespace(globals())  # last: `__torch_function__` and modes see the outermost functions

# PyTorch's functional module exposes the override helpers too (after the gates: no mode sees them)
from ..overrides import (  # noqa: F401
    handle_torch_function,
    has_torch_function,
    has_torch_function_unary,
    has_torch_function_variadic,
)
