"""Loss modules: thin wrappers over `nn.functional`."""

from __future__ import annotations

from ..._core import Tensor
from .. import functional as F
from .module import Module

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
    "SmoothL1Loss",
]


class _Loss(Module):
    reduction: str

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            self.reduction = F._legacy_reduction(size_average, reduce)
        else:
            self.reduction = reduction


class _WeightedLoss(_Loss):
    def __init__(self, weight: Tensor | None = None, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.weight: Tensor | None


class L1Loss(_Loss):
    """Mean absolute error.

    Args:
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.

    Shape:
        input (*), target of the same shape; the loss is a scalar, or (*) for 'none'.
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of `input` against `target`.

        Args:
            input: the prediction.
            target: the target, of input's shape.
        """
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    """Mean squared error.

    Args:
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.

    Shape:
        input (*), target of the same shape; the loss is a scalar, or (*) for 'none'.
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of `input` against `target`.

        Args:
            input: the prediction.
            target: the target, of input's shape.
        """
        return F.mse_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Smooth L1 (Huber-like) loss.

    Args:
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
        beta: the threshold between the quadratic and linear parts (default 1; 0 gives L1).
    """

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of `input` against `target`.

        Args:
            input: the prediction.
            target: the target, of input's shape.
        """
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class NLLLoss(_WeightedLoss):
    """Negative log likelihood of class indices.

    Args:
        weight: optional (C,) class weights (default None).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        ignore_index: a class index whose targets are skipped (default -100).
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none', 'mean' (default; the weighted mean over the non-ignored targets)
            or 'sum'.

    Shape:
        input (N, C), (C,) or (N, C, d1, ...) log-probabilities; target (N,), () or
        (N, d1, ...) class indices.
    """

    def __init__(self, weight: Tensor | None = None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of the log-probabilities `input` at the classes `target`.

        Args:
            input: log-probabilities, (N, C), (C,) or (N, C, d1, ...).
            target: class indices, (N,), () or (N, d1, ...).
        """
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """log_softmax followed by the negative log likelihood (or probability targets).

    Args:
        weight: optional (C,) class weights (default None).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        ignore_index: a class index whose targets are skipped (default -100).
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
        label_smoothing: the amount of smoothing towards the uniform distribution, in [0, 1]
            (default 0).

    Shape:
        input (N, C), (C,) or (N, C, d1, ...) logits; target class indices (N,), () or
        (N, d1, ...), or class probabilities of input's shape.
    """

    def __init__(self, weight: Tensor | None = None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of the logits `input` against `target`.

        Args:
            input: logits, (N, C), (C,) or (N, C, d1, ...).
            target: class indices, or class probabilities of input's shape.
        """
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class BCELoss(_WeightedLoss):
    """Binary cross entropy of probabilities.

    Args:
        weight: optional weights, broadcast to input's shape (default None).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of the probabilities `input` against `target`.

        Args:
            input: probabilities in [0, 1].
            target: targets in [0, 1], of input's shape.
        """
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross entropy of logits (sigmoid inside, stable).

    Args:
        weight: optional weights, broadcast to input's shape (default None).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
        pos_weight: optional weights of the positive term, one per class (last dim).
    """

    def __init__(self, weight: Tensor | None = None, size_average=None, reduce=None, reduction: str = "mean",
                 pos_weight: Tensor | None = None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)
        self.weight: Tensor | None
        self.pos_weight: Tensor | None

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of the logits `input` against `target`.

        Args:
            input: logits.
            target: targets in [0, 1], of input's shape.
        """
        return F.binary_cross_entropy_with_logits(input, target, self.weight, pos_weight=self.pos_weight,
                                                  reduction=self.reduction)
