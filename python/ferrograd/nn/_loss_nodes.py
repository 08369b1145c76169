"""Pointwise losses as PyTorch's single nodes (`MseLossBackward0`, ...): the forward runs
without recording, the backward is PyTorch's formula composed of differentiable ops.
The callers in `functional` check the arguments first."""

from __future__ import annotations

import functools

from .. import _core
from .._core import Tensor
from .._grad_mode import no_grad
from ._composite_nodes import REDUCTION_ENUM, grad_of_reduction, record, record_recomputed, sum_to


def _reduced(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def broadcast_pair(input: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
    """PyTorch's losses broadcast input and target (expand nodes) before their kernel."""
    if tuple(input.shape) == tuple(target.shape):
        return input, target
    from .._shape import broadcast_tensors

    a, b = broadcast_tensors(input, target)
    return a, b


def _pair_backward(grad_of_diff, reduction: int, grads, saved, needs, double=None):
    """Gradients of a loss of `d = self - target` elementwise: `grad_of_diff(d, ...)`
    for self and its negation for target. While recorded (`create_graph=True`) and given
    `double` (node name, derivative of grad_of_diff), each gradient is PyTorch's single
    node over (grad, self, target) (`MseLossBackwardBackward0`, ...), the target's with
    self and target swapped, as PyTorch's formula."""
    self, target = saved[0], saved[1]
    if double is not None and _core.is_grad_enabled():
        name, slope_of_diff = double
        node = functools.partial(_pair_grad_node, name, grad_of_diff, slope_of_diff, reduction, grads[0])
        return (node(self, target) if needs[0] else None, node(target, self) if needs[1] else None)
    g = grad_of_reduction(grads[0], reduction, self.numel())
    gd = grad_of_diff(self - target) * g
    return (gd if needs[0] else None, gd.neg() if needs[1] else None)


def _pair_grad_node(name: str, grad_of_diff, slope_of_diff, reduction: int, grad: Tensor, a: Tensor,
                    b: Tensor) -> Tensor:
    """`grad * grad_of_diff(a - b)` (grad / numel for 'mean') as node `name` over (grad, a, b)."""
    with no_grad():
        out = grad_of_diff(a - b) * grad_of_reduction(grad, reduction, a.numel())
    return record(name, (grad, a, b), out, (("grad_output", grad), ("self", a), ("target", b)),
                  functools.partial(_pair_grad_node_backward, name, grad_of_diff, slope_of_diff, reduction),
                  {"reduction": reduction})


def _pair_grad_node_backward(name: str, grad_of_diff, slope_of_diff, reduction: int, grads, saved, needs):
    """Of `grad * grad_of_diff(a - b)`: the grad's (summed back to its shape), and
    ± grad * slope_of_diff(a - b) for a and b."""
    gg = grads[0]
    grad, a, b = saved
    d = a - b
    d_grad = d_a = d_b = None
    if needs[0]:
        d_grad = sum_to(grad_of_reduction(gg * grad_of_diff(d), reduction, a.numel()), grad.shape)
    if needs[1] or needs[2]:
        curve = gg * slope_of_diff(d) * grad_of_reduction(grad, reduction, a.numel())
        d_a = curve if needs[1] else None
        d_b = curve.neg() if needs[2] else None
    return d_grad, d_a, d_b


def _mse_grad(d: Tensor) -> Tensor:
    return d * 2


def _mse_slope(d: Tensor) -> Tensor:
    return d.new_full((), 2.0)


def _mse_backward(reduction: int, grads, saved, needs):
    if not _core.is_grad_enabled():  # one pass, unless this backward is itself recorded
        fused = _core._mse_backward(grads[0], saved[0], saved[1], reduction)
        if fused is not None:
            return (fused if needs[0] else None, fused.neg() if needs[1] else None)
    return _pair_backward(_mse_grad, reduction, grads, saved, needs, ("MseLossBackwardBackward0", _mse_slope))


def mse(input: Tensor, target: Tensor, reduction: str) -> Tensor:
    input, target = broadcast_pair(input, target)
    r = REDUCTION_ENUM[reduction]
    out = _core._mse_forward(input, target, r)
    if out is None:
        with no_grad():
            d = input - target
            out = _reduced(d * d, reduction)
    return record("MseLossBackward0", (input, target), out, (("self", input), ("target", target)),
                  functools.partial(_mse_backward, r), {"reduction": r})


def _smooth_l1_grad(beta: float, d: Tensor) -> Tensor:
    return (d / beta).clamp(-1.0, 1.0)


def _smooth_l1_slope(beta: float, d: Tensor) -> Tensor:
    """1/beta inside (-beta, beta), 0 outside (PyTorch's smooth_l1_loss_double_backward)."""
    with no_grad():
        return _core._where(d.abs() < beta, d.new_full((), 1.0 / beta), d.new_zeros(()))


def _huber_slope(delta: float, d: Tensor) -> Tensor:
    """1 inside [-delta, delta], 0 outside (PyTorch's huber_loss_double_backward)."""
    with no_grad():
        return _core._where(d.abs() <= delta, d.new_ones(()), d.new_zeros(()))


def smooth_l1(input: Tensor, target: Tensor, reduction: str, beta: float) -> Tensor:
    input, target = broadcast_pair(input, target)
    with no_grad():
        d = (input - target).abs()
        out = _reduced(_core._where(d < beta, d * d * (0.5 / beta), d - 0.5 * beta), reduction)
    r = REDUCTION_ENUM[reduction]
    return record("SmoothL1LossBackward0", (input, target), out, (("self", input), ("target", target)),
                  functools.partial(_pair_backward, functools.partial(_smooth_l1_grad, beta), r,
                                    double=("SmoothL1LossBackwardBackward0",
                                            functools.partial(_smooth_l1_slope, beta))),
                  {"beta": beta, "reduction": r})


def _huber_grad(delta: float, d: Tensor) -> Tensor:
    return d.clamp(-delta, delta)


def huber(input: Tensor, target: Tensor, reduction: str, delta: float) -> Tensor:
    input, target = broadcast_pair(input, target)
    with no_grad():
        d = input - target
        ad = d.abs()
        # PyTorch's kernel writes the loss in a tensor like `input`: input's dtype
        loss = _core._where(ad < delta, d * d * 0.5, (ad - 0.5 * delta) * delta).to(input.dtype)
        out = _reduced(loss, reduction)
    r = REDUCTION_ENUM[reduction]
    return record("HuberLossBackward0", (input, target), out, (("self", input), ("target", target)),
                  functools.partial(_pair_backward, functools.partial(_huber_grad, delta), r,
                                    double=("HuberLossBackwardBackward0", functools.partial(_huber_slope, delta))),
                  {"delta": delta, "reduction": r})


def _soft_margin_grad(reduction: int, grad: Tensor, self: Tensor, target: Tensor) -> Tensor:
    g = grad_of_reduction(grad, reduction, self.numel())
    return (target.neg() * self).sigmoid() * target.neg() * g


def _soft_margin_backward(reduction: int, grads, saved, needs):
    self, target = saved
    if not _core.is_grad_enabled():
        return (_soft_margin_grad(reduction, grads[0], self, target),)
    # recorded: PyTorch's single node over (grad, self)
    with no_grad():
        out = _soft_margin_grad(reduction, grads[0], self, target)
    return (record("SoftMarginLossBackwardBackward0", (grads[0], self), out,
                   (("grad_output", grads[0]), ("self", self), ("target", target)),
                   functools.partial(_soft_margin_double_backward, reduction), {"reduction": reduction}),)


def _soft_margin_double_backward(reduction: int, grads, saved, needs):
    """Of `-t sigmoid(-t x) g`: the grad's (summed back), and t² s (1 - s) g for x."""
    gg = grads[0]
    grad, self, target = saved
    d_grad = d_self = None
    if needs[0]:
        d_grad = sum_to(_soft_margin_grad(reduction, gg, self, target), grad.shape)
    if needs[1]:
        s = (target.neg() * self).sigmoid()
        d_self = gg * target * target * s * (1 - s) * grad_of_reduction(grad, reduction, self.numel())
    return d_grad, d_self


def soft_margin(input: Tensor, target: Tensor, reduction: str) -> Tensor:
    with no_grad():
        # PyTorch multiplies in place into a tensor of input's dtype
        out = _reduced((input * target).to(input.dtype).neg().exp().log1p(), reduction)
    r = REDUCTION_ENUM[reduction]
    # PyTorch's node has no edge to the target
    return record("SoftMarginLossBackward0", (input,), out, (("self", input), ("target", target)),
                  functools.partial(_soft_margin_backward, r), {"reduction": r})


_BCE_EPSILON = 1e-12


def _bce_self_grad(reduction: int, weight: Tensor | None, grad: Tensor, self: Tensor, target: Tensor) -> tuple:
    g = grad_of_reduction(grad, reduction, self.numel())
    if weight is not None:
        g = g * weight
    return ((self - target) / ((1 - self) * self).clamp(min=_BCE_EPSILON) * g,)


def _bce_backward(reduction: int, grads, saved, needs):
    self, target = saved[0], saved[1]
    weight = saved[2] if len(saved) > 2 else None
    g = grad_of_reduction(grads[0], reduction, self.numel())
    if weight is not None:
        g = g * weight
    grad_self = grad_target = None
    if needs[0] and _core.is_grad_enabled():  # recorded: PyTorch's single node over (grad, self, target)
        self_grad = functools.partial(_bce_self_grad, reduction, weight)
        with no_grad():
            value = self_grad(grads[0], self, target)
        grad_self = record_recomputed("BinaryCrossEntropyBackwardBackward0", (grads[0], self, target), value,
                                      self_grad)[0]
    elif needs[0]:
        grad_self = (self - target) / ((1 - self) * self).clamp(min=_BCE_EPSILON) * g
    if needs[1]:
        grad_target = ((1 - self).log() - self.log()) * g
    return grad_self, grad_target


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None, reduction: str) -> Tensor:
    if weight is not None and tuple(weight.shape) != tuple(target.shape):
        # PyTorch expands the weight to the broadcast shape before its kernel (and saves it so)
        from .._tensor_api import broadcast_shapes

        weight = weight.expand(tuple(broadcast_shapes(tuple(target.shape), tuple(weight.shape))))
    with no_grad():
        log_x = input.log().clamp(min=-100)
        log_1mx = (1 - input).log().clamp(min=-100)
        loss = (target * log_x + (1 - target) * log_1mx).neg()
        if weight is not None:
            loss = loss * weight
        out = _reduced(loss, reduction)
    r = REDUCTION_ENUM[reduction]
    return record("BinaryCrossEntropyBackward0", (input, target), out,
                  (("self", input), ("target", target), ("weight", weight)),
                  functools.partial(_bce_backward, r), {"reduction": r})


def _bce_logits_backward(reduction: int, has_weight: bool, grads, saved, needs):
    self, target = saved[0], saved[1]
    rest = list(saved[2:])
    weight = rest.pop(0) if has_weight else None
    pos_weight = rest.pop(0) if rest else None
    g = grad_of_reduction(grads[0], reduction, self.numel())
    if weight is not None:
        g = g * weight
    grad_self = grad_target = None
    if needs[0]:
        if pos_weight is not None:
            t = pos_weight * target
            grad_self = ((t + 1 - target) * self.sigmoid() - t) * g
        else:
            grad_self = (self.sigmoid() - target) * g
    if needs[1]:
        from .functional import logsigmoid

        if pos_weight is not None:
            grad_target = (logsigmoid(self.neg()) - logsigmoid(self) * pos_weight) * g
        else:
            grad_target = self.neg() * g
    return sum_to(grad_self, self.shape) if grad_self is not None else None, grad_target


def _refuse_in_place_cast(into, other) -> None:
    """The refusal of an in-place op on a tensor of dtype `into` by one of dtype `other`."""
    promoted = _core.promote_types(into, other)
    if promoted != into and promoted.is_complex and not into.is_complex:
        from .._dtype_names import scalar_name

        raise RuntimeError(f"result type {scalar_name(promoted)} can't be cast to the desired output type "
                           f"{scalar_name(into)}")


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None,
                                     pos_weight: Tensor | None, reduction: str) -> Tensor:
    from .functional import logsigmoid

    with no_grad():
        log_sig = logsigmoid(input)
        if pos_weight is not None:
            log_weight = (pos_weight - 1) * target + 1
            _refuse_in_place_cast(log_sig.dtype, log_weight.dtype)  # PyTorch scales log_sig in place
            loss = (1 - target) * input - log_weight * log_sig
        else:
            loss = (1 - target) * input - log_sig
        if weight is not None:
            _refuse_in_place_cast(target.dtype, weight.dtype)
            loss = loss * weight
        if (target.dtype.is_floating_point or target.dtype.is_complex) and loss.dtype != target.dtype:
            # PyTorch's kernel writes the loss in place into `1 - target`: target's dtype
            loss = loss.to(target.dtype)
        out = _reduced(loss, reduction)
    r = REDUCTION_ENUM[reduction]
    return record("BinaryCrossEntropyWithLogitsBackward0", (input, target), out,
                  (("self", input), ("target", target), ("weight", weight), ("pos_weight", pos_weight)),
                  functools.partial(_bce_logits_backward, r, weight is not None), {"reduction": r})


def _nll_backward(reduction: int, ignore_index: int, has_weight: bool, grads, saved, needs):
    """The gradient lands on the target class of each kept sample: -w[t] g (/ total)."""
    from .._creation import arange

    self, target, total = saved[0], saved[1], saved[-1]
    if _core.is_grad_enabled():  # recorded: PyTorch's single node over (grad, self)
        with no_grad():
            out = _nll_backward(reduction, ignore_index, has_weight, grads, saved, needs)[0]
        name = "NllLossBackwardBackward0" if self.dim() <= 2 else "NllLoss2DBackwardBackward0"
        return (record(name, (grads[0], self), out, (("target", target),) + ((("weight", saved[2]),) if has_weight else ()),
                       functools.partial(_nll_double_backward, reduction, ignore_index, has_weight, tuple(self.shape)),
                       {"ignore_index": ignore_index, "reduction": reduction}),)
    weight = saved[2] if has_weight else None
    fused = _core._nll_backward(grads[0], self, target, weight, total, ignore_index, reduction)
    if fused is not None:
        return (fused,)
    class_dim = 0 if self.dim() == 1 else 1
    n_classes = self.shape[class_dim]
    with no_grad():
        keep = (target.reshape(()) if self.dim() == 1 else target) != ignore_index
        safe = target.reshape(keep.shape).masked_fill(keep.logical_not(), 0)
        coef = keep.to(self.dtype)
        if has_weight:
            coef = coef * saved[2][safe]
        classes = [1] * self.dim()
        classes[class_dim] = n_classes
        hit = (safe.unsqueeze(class_dim) == arange(n_classes).reshape(classes)).logical_and(keep.unsqueeze(class_dim))
        zero = self.new_zeros(())
    g = grads[0]
    if reduction == 1:
        g = g / total  # where every target is ignored, 0/0 goes nowhere: `hit` is all False
    return (_core._where(hit, (coef * g).neg().unsqueeze(class_dim), zero),)


def _nll_double_backward(reduction: int, ignore_index: int, has_weight: bool, self_shape: tuple, grads, saved,
                         needs):
    """Linear in grad: its gradient is nll_loss of the incoming gradient; self's is 0."""
    target = saved[0]
    weight = saved[1] if has_weight else None
    d_grad = nll(grads[0], target, weight, ignore_index, _REDUCTION_NAMES[reduction]) if needs[0] else None
    return d_grad, (grads[0].new_zeros(self_shape) if needs[1] else None)


_REDUCTION_NAMES = {v: k for k, v in REDUCTION_ENUM.items()}


def nll(input: Tensor, target: Tensor, weight: Tensor | None, ignore_index: int, reduction: str) -> Tensor:
    """PyTorch's nll_loss node: `NllLossBackward0` for (C,) and (N, C) inputs; others are
    viewed as (N, C, 1, L) for `NllLoss2DBackward0` (a 4-D input as it is)."""
    name = "NllLossBackward0" if input.dim() <= 2 else "NllLoss2DBackward0"
    out_shape = None
    if input.dim() == 3 or input.dim() > 4:
        out_shape = tuple(target.shape)
        input = input.reshape(input.shape[0], input.shape[1], 1, -1)
        target = target.reshape(target.shape[0], 1, -1)
    class_dim = 0 if input.dim() == 1 else 1
    r = REDUCTION_ENUM[reduction]
    fused = _core._nll_forward(input, target, weight, ignore_index, r)
    if fused is not None:
        out, total = fused
    else:
        out, total = _nll_composed(input, target, weight, ignore_index, reduction, class_dim)
    from .._saved_values import c_int

    out = record(name, (input,), out,
                 (("self", input), ("target", target), ("weight", weight), ("total_weight", total)),
                 functools.partial(_nll_backward, r, ignore_index, weight is not None),
                 {"ignore_index": c_int(ignore_index), "reduction": r})
    return out if out_shape is None or reduction != "none" else out.view(out_shape)


def _nll_composed(input: Tensor, target: Tensor, weight: Tensor | None, ignore_index: int, reduction: str,
                  class_dim: int) -> tuple[Tensor, Tensor]:
    """(loss, total weight) of the kept targets, composed of ops (dtypes the kernel lacks)."""
    with no_grad():
        # one sample: a (1,) target picks as a 0-d one and the loss is 0-d
        keep = (target.reshape(()) if input.dim() == 1 else target) != ignore_index
        safe = target.reshape(keep.shape).masked_fill(keep.logical_not(), 0)
        if safe.numel():
            lo, hi = int(safe.min()), int(safe.max())
            if lo < 0 or hi >= input.shape[class_dim]:
                raise IndexError(f"Target {hi if hi >= input.shape[class_dim] else lo} is out of bounds.")
        picked = input.gather(class_dim, safe.unsqueeze(class_dim)).squeeze(class_dim)
        w = keep.to(input.dtype)
        if weight is not None:
            w = w * weight[safe]
        loss = picked.neg() * w
        if reduction == "none":
            out = loss.masked_fill(keep.logical_not(), 0.0)  # ignored targets give +0, never -0
            total = input.new_zeros(())
        else:
            total = w.sum()
            out = loss.sum() if reduction == "sum" else loss.sum() / total
    return out, total
