"""RMSprop and Adagrad with PyTorch's update formulas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._core import float32
from ._hyper import as_real, check_fused_param, need_lr
from .optimizer import Optimizer

__all__ = ["Adagrad", "RMSprop"]


class RMSprop(Optimizer):
    """p ← p - lr g / (sqrt(E[g²] (- E[g]² if centered)) + eps), with optional momentum.

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters.
        lr: the learning rate (default 1e-2).
        alpha: the smoothing constant of the running average E[g²] (default 0.99).
        eps: added to the denominator for numerical stability (default 1e-8).
        weight_decay: L2 penalty: adds weight_decay * p to the gradient (default 0).
        momentum: the momentum factor (default 0: none).
        centered: normalize by the estimated variance E[g²] - E[g]² (default False).
        capturable: accepted for PyTorch compatibility (a CUDA-graph option); no effect.
        foreach: accepted for PyTorch compatibility (a kernel choice); the update is the same.
        maximize: ascend the objective instead of descending it (default False).
        differentiable: accepted for PyTorch compatibility; when True non-leaf parameters
            are allowed, but the step still runs without recording a graph.
    """

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8, weight_decay: float = 0,
                 momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        need_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {
            "lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
            "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach, "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One RMSprop update of every parameter that has a gradient; returns closure()'s loss."""
        from .._creation import tensor, zeros_like

        loss = self._closure_loss(closure)
        with self._step_grad_mode():
            for group in self.param_groups:
                self._check_capturable(group)
                lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
                weight_decay, momentum = group["weight_decay"], group["momentum"]
                centered, maximize = group["centered"], group["maximize"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    grad = p.grad if not maximize else -p.grad
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = tensor(0.0, dtype=float32)
                        state["square_avg"] = zeros_like(p)
                        if momentum > 0:
                            state["momentum_buffer"] = zeros_like(p)
                        if centered:
                            state["grad_avg"] = zeros_like(p)
                    state["step"].add_(1)
                    if weight_decay != 0:
                        grad = grad.add(p, alpha=weight_decay)
                    p, grad, square_avg = as_real(p, grad, state["square_avg"])
                    square_avg.mul_(alpha).add_(grad * (1 - alpha) * grad)
                    if centered:
                        (grad_avg,) = as_real(state["grad_avg"])
                        grad_avg.add_((grad - grad_avg) * (1 - alpha))
                        avg = (square_avg - grad_avg * grad_avg).sqrt()
                    else:
                        avg = square_avg.sqrt()
                    avg = avg.add_(eps)
                    if momentum > 0:
                        (buf,) = as_real(state["momentum_buffer"])
                        buf.mul_(momentum).add_(grad / avg)
                        p.add_(buf, alpha=-lr)
                    else:
                        p.add_(grad * (-lr) / avg)
        return loss


class Adagrad(Optimizer):
    """p ← p - clr g / (sqrt(Σ g²) + eps), clr = lr / (1 + (step - 1) lr_decay).

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters.
        lr: the learning rate (default 1e-2).
        lr_decay: the learning-rate decay (default 0).
        weight_decay: L2 penalty: adds weight_decay * p to the gradient (default 0).
        initial_accumulator_value: the starting value of the sum of squared gradients
            (default 0).
        eps: added to the denominator for numerical stability (default 1e-10).
        foreach: accepted for PyTorch compatibility (a kernel choice); the update is the same.
        maximize: ascend the objective instead of descending it (default False).
        differentiable: accepted for PyTorch compatibility; when True non-leaf parameters
            are allowed, but the step still runs without recording a graph.
        fused: accepted for PyTorch compatibility (a kernel choice); the update is the same.
    """

    def __init__(self, params, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        from .._creation import full_like, tensor

        need_lr(lr)
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {
            "lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value, "foreach": foreach, "maximize": maximize,
            "differentiable": differentiable, "fused": fused,
        }
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = tensor(0.0, dtype=float32)
                state["sum"] = full_like(p, group["initial_accumulator_value"])

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adagrad update of every parameter that has a gradient; returns closure()'s loss."""
        loss = self._closure_loss(closure)
        with self._step_grad_mode():
            for group in self.param_groups:
                self._check_capturable(group)
                lr, lr_decay, eps = group["lr"], group["lr_decay"], group["eps"]
                weight_decay, maximize = group["weight_decay"], group["maximize"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    check_fused_param(group, p)
                    grad = p.grad if not maximize else -p.grad
                    state = self.state[p]
                    state["step"].add_(1)
                    step = state["step"].item()
                    if weight_decay != 0:
                        grad = grad.add(p, alpha=weight_decay)
                    clr = lr / (1 + (step - 1) * lr_decay)
                    p, grad, total = as_real(p, grad, state["sum"])
                    total.add_(grad * grad)
                    std = total.sqrt().add_(eps)
                    p.add_(grad * (-clr) / std)
        return loss
