"""Adadelta with PyTorch's update formulas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._core import float32
from ._hyper import as_real, need_lr, scalar_value
from .optimizer import Optimizer

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Δ = sqrt(E[Δ²] + eps) / sqrt(E[g²] + eps) g; p ← p - lr Δ.

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters.
        lr: scales the update Δ before it is applied (default 1.0).
        rho: the decay rate of the running averages E[g²] and E[Δ²] (default 0.9).
        eps: added inside the square roots for numerical stability (default 1e-6).
        weight_decay: L2 penalty: adds weight_decay * p to the gradient (default 0).
        foreach: accepted for PyTorch compatibility (a kernel choice); the update is the same.
        capturable: accepted for PyTorch compatibility (a CUDA-graph option); no effect.
        maximize: ascend the objective instead of descending it (default False).
        differentiable: accepted for PyTorch compatibility; when True non-leaf parameters
            are allowed, but the step still runs without recording a graph.
    """

    def __init__(self, params, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6, weight_decay: float = 0,
                 foreach: bool | None = None, *, capturable: bool = False, maximize: bool = False,
                 differentiable: bool = False) -> None:
        need_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
            "capturable": capturable, "foreach": foreach, "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adadelta update of every parameter that has a gradient; returns closure()'s loss."""
        from .._creation import tensor, zeros_like

        loss = self._closure_loss(closure)
        with self._step_grad_mode():
            for group in self.param_groups:
                self._check_capturable(group)
                lr, rho, eps = group["lr"], group["rho"], group["eps"]
                weight_decay, maximize = group["weight_decay"], group["maximize"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = tensor(0.0, dtype=float32)
                        state["square_avg"] = zeros_like(p)
                        state["acc_delta"] = zeros_like(p)
                    state["step"].add_(1)
                    grad = p.grad if not maximize else -p.grad
                    if weight_decay != 0:
                        grad = grad.add(p, alpha=weight_decay)
                    p, grad, square_avg, acc_delta = as_real(p, grad, state["square_avg"], state["acc_delta"])
                    square_avg.mul_(rho).add_(grad * (1 - rho) * grad)
                    std = (square_avg + eps).sqrt()
                    delta = (acc_delta + eps).sqrt() / std * grad
                    acc_delta.mul_(rho).add_(delta * (1 - rho) * delta)
                    p.add_(delta, alpha=-scalar_value(lr))
        return loss
