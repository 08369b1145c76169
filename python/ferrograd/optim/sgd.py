"""Stochastic gradient descent with PyTorch's update (momentum, dampening, Nesterov)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._hyper import check_fused_param, need_lr, scalar_value
from .optimizer import Optimizer, required

__all__ = ["SGD"]


class SGD(Optimizer):
    """p ← p - lr * g, with optional weight decay, (Nesterov) momentum and maximize.

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters.
        lr: the learning rate (default 1e-3).
        momentum: the momentum factor (default 0: none).
        dampening: scales the new gradient in the momentum buffer by 1 - dampening
            (default 0).
        weight_decay: L2 penalty: adds weight_decay * p to the gradient (default 0).
        nesterov: use Nesterov momentum (needs momentum > 0 and dampening 0).
        maximize: ascend the objective instead of descending it (default False).
        foreach: accepted for PyTorch compatibility (a kernel choice); the update is the same.
        differentiable: accepted for PyTorch compatibility; when True non-leaf parameters
            are allowed, but the step still runs without recording a graph.
        fused: accepted for PyTorch compatibility (a kernel choice); the update is the same.
    """

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None) -> None:
        if lr is not required:
            need_lr(lr, nan_ok=True)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; returns closure()'s loss."""
        loss = self._closure_loss(closure)
        with self._step_grad_mode():
            for group in self.param_groups:
                lr = scalar_value(group["lr"])
                momentum = group["momentum"]
                dampening = group["dampening"]
                weight_decay = group["weight_decay"]
                nesterov = group["nesterov"]
                maximize = group["maximize"]
                fused = group.get("fused")
                for p in group["params"]:
                    grad = p.grad
                    if grad is None:
                        continue
                    if fused:
                        check_fused_param(group, p)
                    if maximize:
                        grad = -grad
                    if weight_decay != 0:
                        grad = grad.add(p, alpha=weight_decay)
                    if momentum != 0:
                        state = self.state[p]
                        buf = state.get("momentum_buffer")
                        if buf is None:
                            buf = grad.detach().clone()
                            state["momentum_buffer"] = buf
                        else:
                            buf.mul_(momentum).add_(grad, alpha=1 - dampening)
                        grad = grad.add(buf, alpha=momentum) if nesterov else buf
                    p.add_(grad, alpha=-lr)
        return loss
