"""Adamax (Adam with the infinity norm) with PyTorch's update formulas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._core import float32
from ._hyper import as_real, need_lr
from .optimizer import Optimizer

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """m ← lerp(m, g, 1 - β1); u ← max(β2 u, |g| + eps); p ← p - lr / (1 - β1ᵗ) m / u.

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters.
        lr: the learning rate (default 2e-3).
        betas: (β1, β2), the decay of the gradient's running average and of the
            infinity norm (default (0.9, 0.999)).
        eps: added to the infinity norm for numerical stability (default 1e-8).
        weight_decay: L2 penalty: adds weight_decay * p to the gradient (default 0).
        foreach: accepted for PyTorch compatibility (a kernel choice); the update is the same.
        maximize: ascend the objective instead of descending it (default False).
        differentiable: accepted for PyTorch compatibility; when True non-leaf parameters
            are allowed, but the step still runs without recording a graph.
        capturable: accepted for PyTorch compatibility (a CUDA-graph option); no effect.
    """

    def __init__(self, params, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        need_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
            "maximize": maximize, "differentiable": differentiable, "capturable": capturable,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adamax update of every parameter that has a gradient; returns closure()'s loss."""
        from .._creation import tensor, zeros_like

        loss = self._closure_loss(closure)
        with self._step_grad_mode():
            for group in self.param_groups:
                self._check_capturable(group)
                beta1, beta2 = group["betas"]
                lr, eps = group["lr"], group["eps"]
                weight_decay, maximize = group["weight_decay"], group["maximize"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = tensor(0.0, dtype=float32)
                        state["exp_avg"] = zeros_like(p)
                        state["exp_inf"] = zeros_like(p)
                    grad = p.grad if not maximize else -p.grad
                    state["step"].add_(1)
                    if weight_decay != 0:
                        grad = grad.add(p, alpha=weight_decay)
                    p, grad, exp_avg, exp_inf = as_real(p, grad, state["exp_avg"], state["exp_inf"])
                    exp_avg.lerp_(grad, 1 - beta1)
                    exp_inf.copy_((exp_inf * beta2).maximum(grad.abs() + eps))
                    clr = lr / (1 - beta1 ** state["step"].item())
                    p.add_(exp_avg * (-clr) / exp_inf)
        return loss
