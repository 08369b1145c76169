"""More loss and distance modules: thin wrappers over `nn.functional`."""

from __future__ import annotations

from ..._core import Tensor
from .. import functional as F
from .loss import _Loss, _WeightedLoss
from .module import Module

__all__ = [
    "CosineEmbeddingLoss",
    "CosineSimilarity",
    "GaussianNLLLoss",
    "HingeEmbeddingLoss",
    "HuberLoss",
    "KLDivLoss",
    "MarginRankingLoss",
    "MultiLabelSoftMarginLoss",
    "PairwiseDistance",
    "PoissonNLLLoss",
    "SoftMarginLoss",
    "TripletMarginLoss",
]


class HuberLoss(_Loss):
    """0.5 d² inside delta, delta (|d| - delta / 2) outside.

    Args:
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
        delta: the threshold between the quadratic and linear parts (default 1).
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        if not isinstance(delta, (float, int)):
            raise TypeError(f"delta must be a float or int, got: {type(delta)}")
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of `input` against `target`.

        Args:
            input: the prediction.
            target: the target, of input's shape.
        """
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class KLDivLoss(_Loss):
    """Kullback–Leibler divergence of log-probabilities `input` from `target`.

    Args:
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none', 'mean' (default; the mean over all elements), 'batchmean' (the
            sum divided by the batch size: the KL divergence) or 'sum'.
        log_target: `target` holds log-probabilities (default False).
    """

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean", log_target: bool = False) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The divergence of `input` from `target`.

        Args:
            input: log-probabilities.
            target: probabilities (log-probabilities with `log_target`).
        """
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class PoissonNLLLoss(_Loss):
    """Negative log likelihood of a Poisson target.

    Args:
        log_input: the input is the log of the rate: loss exp(x) - t x; False: x - t log(x + eps)
            (default True).
        full: add Stirling's approximation of log(t!) (default False).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        eps: added inside the log when not `log_input` (default 1e-8).
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """

    def __init__(self, log_input: bool = True, full: bool = False, size_average=None, eps: float = 1e-8,
                 reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input = log_input
        self.full = full
        self.eps = eps

    def forward(self, log_input: Tensor, target: Tensor) -> Tensor:
        """The loss of the predicted rate against `target`.

        Args:
            log_input: the prediction (the log of the rate when `log_input` is set).
            target: the observed counts.
        """
        return F.poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full, eps=self.eps,
                                  reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    """Negative log likelihood of a Gaussian target with predicted variance.

    Args:
        full: add the constant 0.5 log 2π (default False).
        eps: the floor of the variance for stability (default 1e-6).
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(None, None, reduction)
        self.full = full
        self.eps = eps

    def forward(self, input: Tensor, target: Tensor, var) -> Tensor:
        """The loss of the Gaussian prediction (input, var) at `target`.

        Args:
            input: the expected values.
            target: the samples.
            var: the variances, of input's shape or with one dim of size 1 (or a number).
        """
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps, reduction=self.reduction)


class MarginRankingLoss(_Loss):
    """max(0, -y (x1 - x2) + margin).

    Args:
        margin: the margin (default 0).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """

    def __init__(self, margin: float = 0.0, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        """The loss of the ranking pairs.

        Args:
            input1: x1.
            input2: x2.
            target: y, 1 or -1.
        """
        return F.margin_ranking_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """x where y = 1, max(0, margin - x) where y = -1.

    Args:
        margin: the margin (default 1).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """

    def __init__(self, margin: float = 1.0, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of the distances `input`.

        Args:
            input: the distances x.
            target: y, 1 or -1, of input's shape.
        """
        return F.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class SoftMarginLoss(_Loss):
    """log(1 + exp(-y x)).

    Args:
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of the scores `input`.

        Args:
            input: the scores x.
            target: y, 1 or -1, of input's shape.
        """
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """Multi-label one-versus-all logistic loss.

    Args:
        weight: optional (C,) class weights (default None).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of the scores `input`.

        Args:
            input: scores, (N, C) or (C,).
            target: 0 or 1 for each class, of input's shape.
        """
        return F.multilabel_soft_margin_loss(input, target, weight=self.weight, reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    """1 - cos where y = 1, max(0, cos - margin) where y = -1.

    Args:
        margin: the margin for dissimilar pairs, in [-1, 1] (default 0).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """

    def __init__(self, margin: float = 0.0, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        """The loss of the pairs.

        Args:
            input1: x1, (N, D) or (D,).
            input2: x2, of the same shape.
            target: y, 1 or -1 for each pair.
        """
        return F.cosine_embedding_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class TripletMarginLoss(_Loss):
    """max(0, margin + d(a, p) - d(a, n)).

    Args:
        margin: the margin (default 1).
        p: the order of the pairwise distance (default 2).
        eps: added in the pairwise distance for stability (default 1e-6).
        swap: use min(d(a, n), d(p, n)) as the negative distance (default False).
        size_average: deprecated (use `reduction`); when it or `reduce` is not None, False
            means 'sum' and True or None 'mean'.
        reduce: deprecated (use `reduction`); False means 'none', overriding `size_average`.
        reduction: 'none' (the per-element loss), 'mean' (default) or 'sum'.
    """

    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6, swap: bool = False,
                 size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got {margin} instead")
        self.margin = margin
        self.p = p
        self.eps = eps
        self.swap = swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        """The loss of the triplets.

        Args:
            anchor: a, (N, D) or (D,).
            positive: p, like a.
            negative: n, like a.
        """
        return F.triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p, eps=self.eps,
                                     swap=self.swap, reduction=self.reduction)


class CosineSimilarity(Module):
    """Cosine similarity along `dim`.

    Args:
        dim: the dimension holding the vectors (default 1).
        eps: the floor of the norms, avoiding division by zero (default 1e-8).
    """

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        """x1 · x2 / (‖x1‖ ‖x2‖) along `dim`.

        Args:
            x1: the first tensor.
            x2: the second, broadcastable with x1.
        """
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """p-norm distance over the last dim.

    Args:
        p: the order of the norm (default 2).
        eps: added to the difference to avoid a zero norm (default 1e-6).
        keepdim: keep the reduced last dim with size 1 (default False).
    """

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        """‖x1 - x2 + eps‖_p over the last dim.

        Args:
            x1: (N, D) or (D,).
            x2: broadcastable with x1.
        """
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
