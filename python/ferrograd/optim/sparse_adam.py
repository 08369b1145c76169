"""SparseAdam: PyTorch's constructor, checks, state and errors (ferrograd has no sparse layout)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._core import Tensor
from .._grad_mode import no_grad
from ._hyper import is_complex
from .optimizer import Optimizer

__all__ = ["SparseAdam"]


class SparseAdam(Optimizer):
    """Masked Adam for gradients of sparse layout (PyTorch's `nn.Embedding(sparse=True)` case).

    ferrograd tensors are always dense (strided), so no gradient it produces is sparse:
    `step()` raises PyTorch's own error for a dense gradient,
    ``RuntimeError("SparseAdam does not support dense gradients, please consider Adam instead")``,
    before touching any state, exactly as PyTorch does for a dense gradient. Construction,
    argument checks, `param_groups`, `repr`, `state_dict`/`load_state_dict` and steps
    where no parameter has a gradient behave as in PyTorch. Use `Adam` for dense gradients.

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters.
        lr: the learning rate (default 1e-3), a float or a one-element tensor.
        betas: the decay rates (β1, β2) of the running averages (default (0.9, 0.999)).
        eps: added to the denominator for numerical stability (default 1e-8).
        maximize: ascend the objective instead of descending it (default False).
    """

    def __init__(self, params, lr: float | Tensor = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, maximize: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "maximize": maximize}
        super().__init__(params, defaults)
        complex_params = []
        for index, param_group in enumerate(self.param_groups):
            for d_index, d_param in enumerate(param_group["params"]):
                if is_complex(d_param):
                    complex_params.append([index, d_index])
        if complex_params:
            raise ValueError(
                f"Complex params at indices {complex_params}: SparseAdam does not support complex parameters"
            )

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Raises PyTorch's dense-gradient error for any parameter with a gradient; returns closure()'s loss."""
        loss = self._closure_loss(closure)
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None and not getattr(p.grad, "is_sparse", False):
                        raise RuntimeError(
                            "SparseAdam does not support dense gradients, please consider Adam instead"
                        )
        return loss
