"""More losses of `nn.functional`: multi-class and multi-label margin, triplet with a
custom distance, and CTC (the alpha recursion in log space), composed from tensor ops."""

from __future__ import annotations

import functools
import math

from .. import _core
from .._argcheck import need_tensor as _need_tensor
from .._core import Tensor
from .._dtype_names import scalar_name
from .._numpy import np
from ._composite_nodes import REDUCTION_ENUM, record_composite
from ._integer_inputs import need_floating_kernel
from ._nondiff_args import refuse_grad

__all__ = [
    "ctc_loss",
    "linear_cross_entropy",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "triplet_margin_with_distance_loss",
]

def _F():
    from . import functional

    return functional


def _size_str(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _scalar_type(dtype) -> str:
    return scalar_name(dtype)


def _check_scalar_type(t: Tensor, dtype) -> None:
    if t.dtype != dtype:
        raise RuntimeError(f"expected scalar type {_scalar_type(dtype)} but found {_scalar_type(t.dtype)}")


def _where(cond, a, b) -> Tensor:
    return _core._where(cond, a, b)


def _const(value, like: Tensor, shape=None) -> Tensor:
    shape = tuple(like.shape) if shape is None else tuple(shape)
    return _core._full(*shape, fill_value=value, dtype=like.dtype)


def _as_numpy_long(t: Tensor) -> np.ndarray:
    return np.asarray(t.detach().contiguous().numpy(), dtype=np.int64)


def _check_target_range(target: Tensor, dim: int) -> None:
    """PyTorch's range check of the class indices (its min and max, as int64), made
    before it reads them as int64."""
    if target.dtype.is_complex:
        raise NotImplementedError(f"\"min_all\" not implemented for '{scalar_name(target.dtype)}'")
    if target.numel() == 0:
        return
    values = target.detach().double().numpy()
    low, high = float(values.min()), float(values.max())
    if not (math.isfinite(low) and math.isfinite(high)):
        raise RuntimeError("value cannot be converted to type int64_t without overflow")
    if int(low) < -1 or int(high) >= dim:
        raise RuntimeError("argument #2 'target' is out of range")


def _check_vector_or_matrix(input: Tensor) -> tuple[int, int]:
    """(frames, classes) of a 0-d, 1-d or 2-d non-empty input; PyTorch's error otherwise."""
    ndim = input.dim()
    ok = ndim == 0 or (ndim == 1 and input.shape[0] != 0) or (ndim == 2 and input.shape[1] != 0)
    if not ok:
        raise RuntimeError(
            f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: {_size_str(input.shape)}"
        )
    nframe = input.shape[0] if ndim == 2 else 1
    dim = 1 if ndim == 0 else input.shape[-1]
    return nframe, dim


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                      size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """Σ_{i≠y} max(0, margin - x[y] + x[i])^p · w[y] / C for each sample.

    Args:
        input: the scores x, (N, C) or (C,).
        target: y, the class index of each sample, (N,) or ().
        p: 1 (default) or 2, the power of the hinge.
        margin: the margin (default 1).
        weight: optional (C,) class weights (default None).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """
    _need_tensor("multi_margin_loss", "input", 1, input)
    _need_tensor("multi_margin_loss", "target", 2, target)
    F = _F()
    reduction = F._reduction(reduction, size_average, reduce)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    refuse_grad("multi_margin_loss", "weight", weight)
    nframe, dim = _check_vector_or_matrix(input)
    if target.dim() > 1 or target.numel() != nframe:
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of input samples "
            f"(batch size). Expected target size [{nframe}], but got {_size_str(target.shape)}. "
            f"Input has shape {_size_str(input.shape)}."
        )
    _check_scalar_type(target, _core.int64)
    if weight is not None:
        if weight.numel() != dim:
            raise RuntimeError(f"inconsistent weight size, expected {dim} but got {_size_str(weight.shape)}")
        _check_scalar_type(weight, input.dtype)
    need_floating_kernel(input, "multi_margin_loss_cpu_kernel")
    t_np = _as_numpy_long(target).reshape(-1)
    if t_np.size and (t_np.min() < 0 or t_np.max() >= dim):
        raise RuntimeError("target out of range")
    from .._creation import tensor

    is_target = np.zeros((nframe, dim), dtype=bool)
    is_target[np.arange(nframe), t_np] = True
    compute = functools.partial(_multi_margin_value, target, tensor(is_target), p, margin, weight, reduction)
    return record_composite("MultiMarginLossBackward0", (input,),
                            lambda out: (("self", input), ("target", target), ("weight", weight)), compute,
                            {"margin": margin, "p": p, "reduction": REDUCTION_ENUM[reduction]})


def _multi_margin_value(target: Tensor, is_target: Tensor, p: int, margin: float, weight: Tensor | None,
                        reduction: str, input: Tensor) -> Tensor:
    nframe, dim = is_target.shape
    x = input.reshape(nframe, dim)
    z = (x - x.gather(1, target.reshape(nframe, 1)) + margin).relu()  # no gradient at 0, as PyTorch's z > 0
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * weight.index_select(0, target.reshape(nframe)).unsqueeze(1)
    z = _where(is_target, _const(0.0, z), z)
    loss = (z.sum(1) / dim).reshape(tuple(target.shape))
    return _F()._reduce(loss, reduction)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                           reduction: str = "mean") -> Tensor:
    """Σ_{j target, i not} max(0, 1 - (x[j] - x[i])) / C; each target row lists class
    indices and ends at the first -1.

    Args:
        input: the scores x, (N, C) or (C,).
        target: the class indices, int64 of input's shape, padded with -1.
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """
    _need_tensor("multilabel_margin_loss", "input", 1, input)
    _need_tensor("multilabel_margin_loss", "target", 2, target)
    F = _F()
    reduction = F._reduction(reduction, size_average, reduce)
    nframe, dim = _check_vector_or_matrix(input)
    if input.dim() <= 1:
        ok = target.dim() <= 1 and target.numel() == dim
    else:
        ok = tuple(target.shape) == tuple(input.shape)
    if not ok:
        raise RuntimeError(
            f"inconsistent target size: {_size_str(target.shape)} for input of size: {_size_str(input.shape)}"
        )
    _check_target_range(target, dim)
    _check_scalar_type(target, _core.int64)
    need_floating_kernel(input, "multilabel_margin_loss_forward_out_frame")
    if input.dtype in (_core.float16, _core.bfloat16):  # PyTorch's CPU kernel has no half version
        raise NotImplementedError(
            f"\"multilabel_margin_loss_forward_out_frame\" not implemented for '{scalar_name(input.dtype)}'")
    t_np = _as_numpy_long(target).reshape(nframe, dim)
    if t_np.size and (t_np.min() < -1 or t_np.max() >= dim):
        raise RuntimeError("argument #2 'target' is out of range")
    valid = np.cumprod(t_np >= 0, axis=1).astype(bool)  # positions before the first -1
    is_target = np.zeros((nframe, dim), dtype=bool)
    rows = np.nonzero(valid)
    is_target[rows[0], t_np[rows]] = True
    from .._creation import tensor

    compute = functools.partial(_multilabel_margin_value, tensor(np.where(valid, t_np, 0)),
                                tensor(valid[:, :, None] & ~is_target[:, None, :]), reduction)
    # PyTorch's node also keeps which classes are targets, as the input's dtype and shape
    targets = tensor(is_target).to(input.dtype).reshape(input.shape)
    return record_composite("MultilabelMarginLossBackward0", (input,),
                            lambda out: (("self", input), ("target", target), ("is_target", targets)), compute,
                            {"reduction": REDUCTION_ENUM[reduction]})


def _multilabel_margin_value(targets: Tensor, mask: Tensor, reduction: str, input: Tensor) -> Tensor:
    nframe, dim = targets.shape
    x = input.reshape(nframe, dim)
    x_targets = x.gather(1, targets)
    pair = (x.unsqueeze(1) - x_targets.unsqueeze(2) + 1).relu()  # [n, j, i]; no gradient at 0 (PyTorch's z > 0)
    loss = _where(mask, pair, _const(0.0, pair)).sum((1, 2)) / dim
    if input.dim() <= 1:
        loss = loss.reshape(())
    return _F()._reduce(loss, reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function=None, margin: float = 1.0, swap: bool = False,
                                      reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) for any distance function d (pairwise by default).

    Args:
        anchor: a.
        positive: p, like a.
        negative: n, like a.
        distance_function: d(x, y) returning a distance per sample; None (default) means
            `pairwise_distance`.
        margin: the margin (default 1).
        swap: use min(d(a, n), d(p, n)) as the negative distance (default False).
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a_dim, p_dim, n_dim = anchor.ndim, positive.ndim, negative.ndim
    if not (a_dim == p_dim and p_dim == n_dim):
        raise RuntimeError(
            f"The anchor, positive, and negative tensors are expected to have "
            f"the same number of dimensions, but got: anchor {a_dim}D, "
            f"positive {p_dim}D, and negative {n_dim}D inputs"
        )
    if distance_function is None:  # the top-level one, whose parser refuses a non-tensor
        from .. import pairwise_distance as distance_function
    dist_pos = distance_function(anchor, positive)
    dist_neg = distance_function(anchor, negative)
    if swap:
        dist_neg = dist_neg.minimum(distance_function(positive, negative))
    loss = (dist_pos - dist_neg + margin).clamp_min(0)
    return _F()._reduce(loss, reduction)


# --------------------------------------------------------------------------- CTC


def _lengths(value, name: str) -> np.ndarray:
    if isinstance(value, Tensor):
        return _as_numpy_long(value).reshape(-1)
    if isinstance(value, (list, tuple)):
        return np.asarray([int(v) for v in value], dtype=np.int64)
    raise TypeError(f"ctc_loss(): argument '{name}' must be a tuple of ints or a Tensor, not {type(value).__name__}")


def _logsumexp_safe(terms: list[Tensor]) -> Tensor:
    """log Σ exp over `terms` (same shapes), -inf where every term is -inf, with finite
    (zero) gradients there instead of NaN."""
    from .._shape import stack

    x = stack(terms, 0)
    m = x.detach().amax(0)
    dead = m == float("-inf")
    m = _where(dead, _const(0.0, m), m)
    s = (x - m).exp().sum(0)
    alive = s > 0
    return _where(alive, _where(alive, s, _const(1.0, s)).log() + m, _const(float("-inf"), s))


class _NanGradWhere:
    """Identity whose gradient is NaN where `mask` (PyTorch's CTC gradient of an
    impossible alignment, when not `zero_infinity`)."""

    @staticmethod
    def apply(x: Tensor, mask: Tensor) -> Tensor:
        from ..autograd import Function

        class NanGrad(Function):
            @staticmethod
            def forward(ctx, value):
                return value.clone()

            @staticmethod
            def backward(ctx, grad):
                return grad.masked_fill(mask, float("nan"))

        return NanGrad.apply(x)


def _ctc_lengths(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity):
    """The lengths as int64 arrays; both tensors (of an integer dtype) or both int
    sequences, as PyTorch's two overloads of `torch.ctc_loss` take them."""
    tensors = [isinstance(v, Tensor) for v in (input_lengths, target_lengths)]
    if tensors[0] != tensors[1] or not all(t or isinstance(v, (list, tuple))
                                           for t, v in zip(tensors, (input_lengths, target_lengths))):
        from .._parser_check import parser_error

        code = {"none": 0, "mean": 1, "sum": 2}[reduction]
        error = parser_error("ctc_loss", (log_probs, targets, input_lengths, target_lengths, blank, code,
                                          zero_infinity), {})
        if error is not None:
            raise error
    for name, value in (("input_lengths", input_lengths), ("target_lengths", target_lengths)):
        if isinstance(value, Tensor) and (value.is_floating_point() or value.is_complex()
                                          or value.dtype == _core.bool):
            raise RuntimeError(f"{name} must be integral")
    return _lengths(input_lengths, "input_lengths"), _lengths(target_lengths, "target_lengths")


_CTC_CHECKING = "(while checking arguments for ctc_loss_allocate_outputs)"


def _ctc_check_sizes(log_probs: Tensor, targets: Tensor, in_len: np.ndarray, tg_len: np.ndarray,
                     blank: int) -> None:
    """PyTorch's `ctc_loss_allocate_outputs` checks, in its order."""
    if log_probs.dim() != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {log_probs.dim()}-dimensional tensor for "
                           f"argument #1 'log_probs' {_CTC_CHECKING}")
    if not 1 <= targets.dim() <= 2:
        raise RuntimeError(f"Expected 1 to 2 dimensions, but got {targets.dim()}-dimensional tensor for "
                           f"argument #2 'targets' {_CTC_CHECKING}")
    t_max, n, c = log_probs.shape
    if not 0 <= blank < c:
        raise RuntimeError("blank must be in label range")
    if in_len.size != n:
        raise RuntimeError("input_lengths must be of size batch_size")
    if tg_len.size != n:
        raise RuntimeError("target_lengths must be of size batch_size")
    for length in tg_len:
        if length < 0:
            raise RuntimeError(f"Expected target_lengths to have value at least 0, but got value {length} "
                               f"{_CTC_CHECKING}")
    expected = int(tg_len.sum()) if targets.dim() == 1 else n
    if targets.shape[0] != expected:
        raise RuntimeError(f"Expected tensor to have size {expected} at dimension 0, but got size "
                           f"{targets.shape[0]} for argument #2 'targets' {_CTC_CHECKING}")
    max_target = int(tg_len.max()) if n else 0
    if targets.dim() == 2 and targets.shape[1] < max_target:
        raise RuntimeError(f"Expected tensor to have size at least {max_target} at dimension 1, but got size "
                           f"{targets.shape[1]} for argument #2 'targets' {_CTC_CHECKING}")
    for length in in_len:
        if length < 0:
            raise RuntimeError(f"Expected input_lengths to have value at least 0, but got value {length} "
                               f"{_CTC_CHECKING}")
        if length > t_max:
            raise RuntimeError(f"Expected input_lengths to have value at most {t_max}, but got value {length} "
                               f"{_CTC_CHECKING}")


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths, target_lengths, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """Connectionist temporal classification loss: -log Σ over the alignments of each
    target, by the alpha (forward) recursion in log space. Its gradient is PyTorch's
    (which assumes `log_probs` came out of log_softmax).

    Args:
        log_probs: (T, N, C) or (T, C) log-probabilities of the C classes (blank included).
        targets: the target sequences: (N, S) padded, or their concatenation (sum of
            target_lengths,).
        input_lengths: the length of each input sequence, (N,) or a sequence of ints.
        target_lengths: the length of each target sequence, (N,) or a sequence of ints.
        blank: the index of the blank label (default 0).
        reduction: 'none', 'mean' (default: each loss divided by its target length, then
            averaged) or 'sum'.
        zero_infinity: replace infinite losses (impossible alignments) and their gradients by
            zero (default False).
    """
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    in_len, tg_len = _ctc_lengths(log_probs, targets, input_lengths, target_lengths, blank, reduction,
                                  zero_infinity)
    batched = log_probs.dim() == 3
    if not batched:  # PyTorch adds the batch dim first
        log_probs = log_probs.unsqueeze(1)
        targets = targets.unsqueeze(0)
    if not log_probs.is_floating_point():
        raise NotImplementedError(f'"ctc_loss_cpu" not implemented for \'{_scalar_type(log_probs.dtype)}\'')
    _ctc_check_sizes(log_probs, targets, in_len, tg_len, blank)
    t_max, n, _ = log_probs.shape
    tg = _as_numpy_long(targets)
    max_target = int(tg_len.max()) if n else 0
    labels = np.full((n, max(max_target, 0)), blank, dtype=np.int64)
    if tg.ndim == 1:
        offset = 0
        for b in range(n):
            labels[b, : tg_len[b]] = tg[offset: offset + tg_len[b]]
            offset += int(tg_len[b])
    else:
        for b in range(n):
            labels[b, : tg_len[b]] = tg[b, : tg_len[b]]
    from .._creation import tensor

    # extended labels: blank, l1, blank, l2, ..., blank
    width = 2 * max_target + 1
    ext = np.full((n, width), blank, dtype=np.int64)
    ext[:, 1::2] = labels
    skip = np.zeros((n, width), dtype=bool)
    skip[:, 3::2] = ext[:, 3::2] != ext[:, 1:-2:2]  # label positions (odd) whose label repeats not
    emissions = log_probs.gather(2, tensor(ext).unsqueeze(0).expand(t_max, n, width))  # (T, N, S')
    neg_inf_col = _const(float("-inf"), log_probs, (n, 1))
    neg_inf_full = _const(float("-inf"), log_probs, (n, width))
    skip_t = tensor(skip)
    start = np.zeros((n, width), dtype=bool)
    start[:, :2] = True
    alpha = _where(tensor(start), emissions.select(0, 0), neg_inf_full)
    for t in range(1, t_max):
        live = in_len > t
        if not live.any():
            break
        shift1 = _core._cat([neg_inf_col, alpha.narrow(1, 0, width - 1)], 1)
        if width > 2:
            shift2 = _core._cat([neg_inf_col, neg_inf_col, alpha.narrow(1, 0, width - 2)], 1)
            shift2 = _where(skip_t, shift2, neg_inf_full)
            terms = [alpha, shift1, shift2]
        else:
            terms = [alpha, shift1]
        step = _logsumexp_safe(terms) + emissions.select(0, t)
        alpha = _where(tensor(live).unsqueeze(1), step, alpha)
    last = tensor(2 * tg_len).unsqueeze(1)
    before = tensor(np.maximum(2 * tg_len - 1, 0)).unsqueeze(1)
    has_labels = tensor(tg_len > 0).unsqueeze(1)
    end_prev = _where(has_labels, alpha.gather(1, before), _const(float("-inf"), log_probs, (n, 1)))
    log_likelihood = _logsumexp_safe([alpha.gather(1, last), end_prev]).squeeze(1)
    if in_len.min(initial=1) == 0:
        empty_in = tensor(in_len == 0)
        ll_empty = _where(tensor(tg_len == 0), _const(0.0, log_likelihood), _const(float("-inf"), log_likelihood))
        log_likelihood = _where(empty_in, ll_empty, log_likelihood)
    loss = log_likelihood.neg()
    # PyTorch's backward adds exp(log_probs) over each sample's frames (the softmax term
    # of the logits' gradient): a zero-valued term with that gradient.
    probs = log_probs.exp()
    frames = tensor(np.arange(t_max)[:, None] < in_len[None, :]).unsqueeze(2)
    extra = _where(frames, probs - probs.detach(), _const(0.0, probs)).sum((0, 2))
    loss = loss + extra
    infinite = loss.detach() == float("inf")
    if zero_infinity:
        loss = _where(infinite, _const(0.0, loss), loss)
    elif loss.requires_grad and bool(infinite.any()):
        loss = _NanGradWhere.apply(loss, infinite)
    if loss.grad_fn is not None:  # zero_infinity is PyTorch's where() after the CTC node
        loss = _core._named_node(loss, "WhereBackward0" if zero_infinity else "CtcLossBackward0")
    if reduction == "mean":
        denom = tensor(np.maximum(tg_len, 1)).to(loss.dtype)
        return (loss / denom).mean()
    if reduction == "sum":
        return loss.sum()
    return loss if batched else loss.squeeze(0)


def linear_cross_entropy(input: Tensor, linear_weight: Tensor, target: Tensor, *, linear_bias: Tensor | None = None,
                         weight: Tensor | None = None, reduction: str = "mean", ignore_index: int | None = None,
                         label_smoothing: float = 0.0, options=None) -> Tensor:
    """cross_entropy(linear(input, linear_weight, linear_bias), target); `linear_weight`
    (C, *K, in_features) gives K-dimensional logits. `options` (PyTorch's chunking of the
    same computation) changes nothing here.

    Args:
        input: the features, (N, in_features) or (in_features,).
        linear_weight: the classifier weight, (C, *K, in_features).
        target: class indices, or class probabilities shaped like the logits.
        linear_bias: an optional (C, *K) bias (default None).
        weight: optional (C,) class weights (default None).
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
        ignore_index: a class index whose targets are skipped; None (default) means -100.
            Not allowed with probability targets.
        label_smoothing: the amount of smoothing towards the uniform distribution, in [0, 1]
            (default 0).
        options: PyTorch's chunking options; accepted, no effect.
    """
    if input.dim() < 1 or input.dim() > 2:
        raise RuntimeError(f"expected input with dimensionality 1 or 2, got {input.dim()}")
    if linear_weight.dim() < 2:
        raise RuntimeError(f"expected linear_weight with dimensionality at least 2, got {linear_weight.dim()}")
    num_batches = tuple(input.shape[:-1])
    in_features = input.shape[-1]
    if in_features != linear_weight.shape[-1]:
        raise RuntimeError(
            "expected equal input and linear_weight last dimensions (in_features), "
            f"got {input.shape[-1]} and {linear_weight.shape[-1]}, respectively"
        )
    num_classes = linear_weight.shape[0]
    out_features = tuple(linear_weight.shape[1:-1])
    if linear_bias is not None and tuple(linear_bias.shape) != (num_classes, *out_features):
        raise RuntimeError(
            f"expected linear_bias shape {(num_classes, *out_features)}, got {tuple(linear_bias.shape)}"
        )
    if len(out_features) > 0 and len(num_batches) == 0:
        raise RuntimeError(
            f"K-dimensional loss defined by linear_weight shape {tuple(linear_weight.shape)} requires"
            f" batched input, (N, {in_features}), got unbatched"
            f" input with shape {tuple(input.shape)}"
        )
    logits_shape = (*num_batches, num_classes, *out_features)
    if tuple(target.shape) == logits_shape and ignore_index is not None:
        raise RuntimeError("ignore_index cannot be specified when target contains probabilities")
    ignore_index = ignore_index if ignore_index is not None else -100
    if options is not None and (out_features or reduction not in {"mean", "sum", "none"} or label_smoothing != 0.0
                                or target.dtype != _core.int64):
        import warnings

        warnings.warn(
            "linear_cross_entropy: ``options`` ignored; chunked path needs "
            "reduction in {'mean','sum','none'}, label_smoothing == 0, target.dtype"
            " == int64, out_features == (). Got "
            f"reduction={reduction!r}, label_smoothing={label_smoothing}, "
            f"target.dtype={target.dtype}, out_features={tuple(out_features)}"
            ", tracing=False, linear_bias.shape="
            f"{tuple(linear_bias.shape) if linear_bias is not None else None}.",
            stacklevel=2,
        )
    total = int(np.prod((num_classes, *out_features)))
    flat_weight = linear_weight.reshape(total, in_features)
    flat_bias = linear_bias.reshape(total) if linear_bias is not None else None
    F = _F()
    if options is not None and not out_features and reduction in {"mean", "sum", "none"} \
            and label_smoothing == 0.0 and target.dtype == _core.int64:
        acc = _accumulation_dtype(options, input.dtype)
        if acc != input.dtype and not (acc == _core.float32 and input.dtype in (_core.float16, _core.bfloat16)):
            raise RuntimeError(
                "linear_cross_entropy supports float32 acc_dtype with float16/bfloat16 inputs, but got "
                f"{acc} acc_dtype and {input.dtype} inputs."
            )
        return _chunked_linear_cross_entropy(input, flat_weight, flat_bias, target, weight, reduction, ignore_index)
    logits = F.linear(input, flat_weight, flat_bias).reshape(logits_shape)
    return F.cross_entropy(logits, target, weight=weight, reduction=reduction, ignore_index=ignore_index,
                           label_smoothing=label_smoothing)


def _accumulation_dtype(options, dtype):
    """The accumulation dtype PyTorch's `options._adjust` resolves: None takes float32 for
    a half input, the input's dtype otherwise, which must then be a floating one (the
    options' ValueError for an integer, bool or complex input)."""
    acc = getattr(options, "acc_dtype", None)
    if acc is not None:
        return acc
    halves = (_core.float16, _core.bfloat16)
    acc = _core.float32 if dtype in halves and getattr(options, "acc_policy", "auto") == "auto" else dtype
    if acc not in (*halves, _core.float32, _core.float64):
        raise ValueError(
            "acc_dtype must be one of {None, torch.float16, torch.bfloat16, torch.float32, torch.float64}, "
            f"got {acc!r}. Pass acc_dtype=None to let the op pick automatically."
        )
    return acc


def _chunked_linear_cross_entropy(input, weight2d, bias, target, weight, reduction, ignore_index) -> Tensor:
    """PyTorch's path with `options`: the same loss from its custom op on a batch (an
    unbatched input gets a batch of one, squeezed off after), with that op's node name.
    The op narrows the targets to each chunk of the batch: targets past the batch have no
    loss (though a mean counts them), too few are its narrow() error (here the batch is one
    chunk)."""
    batched = input.dim() == 2
    x, t = (input, target) if batched else (input.unsqueeze(0), target.unsqueeze(0))
    n = x.shape[0]
    if t.dim() == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if n and t.shape[0] < n:
        raise RuntimeError(f"start (0) + length ({n}) exceeds dimension size ({t.shape[0]}).")
    F = _F()
    if t.shape[0] != n and n and reduction == "mean":
        # PyTorch's op sums the losses of the batch's targets but counts (or weighs) every target
        total = F.cross_entropy(F.linear(x, weight2d, bias), t.narrow(0, 0, n), weight=weight, reduction="sum",
                                ignore_index=ignore_index)
        kept = t[t != ignore_index]
        loss = total / (kept.numel() if weight is None else weight[kept].sum())
    else:
        t = t.narrow(0, 0, n) if t.shape[0] != n else t
        loss = F.cross_entropy(F.linear(x, weight2d, bias), t, weight=weight, reduction=reduction,
                               ignore_index=ignore_index)
    if loss.grad_fn is not None:
        kind = "_no_reduction" if reduction == "none" else ""
        name = f"GeneratedBackwardFor_torch_nn__linear_cross_entropy_batch_chunked{kind}_defaultBackward"
        loss = _core._named_node(loss, name)
    return loss if batched else loss.squeeze(0)
