"""`AdaptiveLogSoftmaxWithLoss`: a head over the frequent classes plus one cluster token per
tail of rarer classes, each tail a low-rank projection (Grave et al.), as PyTorch."""

from __future__ import annotations

import itertools
from collections import namedtuple
from collections.abc import Sequence

from ... import _core
from ..._core import Tensor
from .. import functional as F
from .container import ModuleList, Sequential
from .linear import Linear
from .module import Module

__all__ = ["AdaptiveLogSoftmaxWithLoss"]

_ASMoutput = namedtuple("_ASMoutput", ["output", "loss"])


def _long(values) -> Tensor:
    from ..._creation import tensor

    return tensor(list(values), dtype=_core.int64)


class AdaptiveLogSoftmaxWithLoss(Module):
    """Log-probabilities of targets under the adaptive softmax; `forward` returns (output, loss).

    Args:
        in_features: the number of features of each input row.
        n_classes: the number of classes.
        cutoffs: increasing class indices in [1, n_classes - 1] splitting the classes into the
            head's shortlist and the tail clusters.
        div_value: each further cluster's projection is div_value times narrower (default 4).
        head_bias: give the head a bias (default False).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.
    """

    def __init__(self, in_features: int, n_classes: int, cutoffs: Sequence[int], div_value: float = 4.0,
                 head_bias: bool = False, device=None, dtype=None) -> None:
        super().__init__()
        cutoffs = list(cutoffs)
        if len(cutoffs) == 0:
            raise ValueError("cutoffs should be a sequence of length larger than 0")
        if (cutoffs != sorted(cutoffs) or min(cutoffs) <= 0 or max(cutoffs) > (n_classes - 1)
                or len(set(cutoffs)) != len(cutoffs) or any(int(c) != c for c in cutoffs)):
            raise ValueError(
                "cutoffs should be a sequence of unique, positive integers sorted in an increasing order, where "
                "each value is between 1 and n_classes-1"
            )
        self.in_features = in_features
        self.n_classes = n_classes
        self.cutoffs = [*cutoffs, n_classes]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(self.in_features, self.head_size, bias=self.head_bias, dtype=dtype)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hsz = int(self.in_features // (self.div_value ** (i + 1)))
            osz = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(Sequential(Linear(self.in_features, hsz, bias=False, dtype=dtype),
                                        Linear(hsz, osz, bias=False, dtype=dtype)))

    def reset_parameters(self) -> None:
        """Re-initializes the parameters as the constructor does."""
        self.head.reset_parameters()
        for i2h, h2o in self.tail:
            i2h.reset_parameters()
            h2o.reset_parameters()

    def forward(self, input_: Tensor, target_: Tensor) -> _ASMoutput:
        """(output, loss): the log-probability of each target, and the mean negative of them.

        Args:
            input_: (N, in_features) or (in_features,).
            target_: class indices, (N,) or ().
        """
        from ..._creation import zeros

        targ_dim = target_.dim()
        if targ_dim == 1:
            if input_.size(0) != target_.size(0):
                raise RuntimeError("Input and target should have the same size in the batch dimension.")
            if input_.dim() != 2:
                raise RuntimeError(
                    f"1D target tensor expects 2D input tensors, but found inputs with size {input_.size()}"
                )
        elif targ_dim == 0:
            if input_.dim() != 1:
                raise RuntimeError(
                    f"0D target tensor expects 1D input tensors, but found inputs with size {input_.size()}"
                )
        else:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        is_batched = targ_dim > 0
        input = input_ if is_batched else input_.unsqueeze(0)
        target = target_ if is_batched else target_.unsqueeze(0)
        targets = [int(t) for t in target.tolist()]
        batch_size = len(targets)
        gather = [0] * batch_size
        cluster_part = zeros(batch_size, dtype=input.dtype)
        used_rows = 0
        bounds = [0, *self.cutoffs]
        for i in range(len(bounds) - 1):
            low, high = bounds[i], bounds[i + 1]
            rows = [r for r, t in enumerate(targets) if low <= t < high]
            if not rows:
                continue
            if i == 0:
                for r in rows:
                    gather[r] = targets[r]
            else:
                row_index = _long(rows)
                relative = _long(targets[r] - low for r in rows)
                cluster_output = self.tail[i - 1](input.index_select(0, row_index))
                for r in rows:
                    gather[r] = self.shortlist_size + i - 1
                local = F.log_softmax(cluster_output, dim=1).gather(1, relative.unsqueeze(1)).squeeze(1)
                cluster_part = cluster_part.index_add(0, row_index, local)
            used_rows += len(rows)
        if used_rows != batch_size:
            raise RuntimeError(
                f"Target values should be in [0, {self.n_classes - 1}], but values in range "
                f"[{target.min().item()}, {target.max().item()}] were found. "
            )
        head_logprob = F.log_softmax(self.head(input), dim=1)
        output = cluster_part + head_logprob.gather(1, _long(gather).unsqueeze(1)).squeeze(1)
        loss = (-output).mean()
        if not is_batched:
            output = output.squeeze(0)
        return _ASMoutput(output, loss)

    def _get_full_log_prob(self, input: Tensor, head_output: Tensor) -> Tensor:
        from ..._shape import cat

        head_logprob = F.log_softmax(head_output, dim=1)
        parts = [head_logprob[:, :self.shortlist_size]]
        for i, _ in enumerate(itertools.pairwise(self.cutoffs)):
            cluster_logprob = F.log_softmax(self.tail[i](input), dim=1)
            parts.append(cluster_logprob + head_logprob[:, self.shortlist_size + i].unsqueeze(1))
        return cat(parts, 1)

    def log_prob(self, input: Tensor) -> Tensor:
        """Log-probabilities of every class, (N, n_classes).

        Args:
            input: (N, in_features).
        """
        return self._get_full_log_prob(input, self.head(input))

    def predict(self, input: Tensor) -> Tensor:
        """The most likely class of each row (the full distribution only where the head
        points into a cluster).

        Args:
            input: (N, in_features).
        """
        head_output = self.head(input)
        output = head_output.argmax(dim=1)
        rows = [r for r, c in enumerate(output.tolist()) if c >= self.shortlist_size]
        if not rows:
            return output
        row_index = _long(rows)
        log_prob = self._get_full_log_prob(input.index_select(0, row_index), head_output.index_select(0, row_index))
        best = log_prob.argmax(dim=1).tolist()
        values = output.tolist()
        for r, b in zip(rows, best):
            values[r] = b
        return _long(values)
