"""ASGD (averaged stochastic gradient descent) with PyTorch's update rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._core import float32
from ._hyper import need_lr
from .optimizer import Optimizer

__all__ = ["ASGD"]


class ASGD(Optimizer):
    """SGD with a decaying step ηₜ and a running average `ax` of the iterates after t0.

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters.
        lr: the initial learning rate η₀ (default 1e-2).
        lambd: the decay term of the step size (default 1e-4).
        alpha: the power of the step-size decay (default 0.75).
        t0: the step at which averaging starts (default 1e6).
        weight_decay: L2 penalty: adds weight_decay * p to the gradient (default 0).
        foreach: accepted for PyTorch compatibility (a kernel choice); the update is the same.
        maximize: ascend the objective instead of descending it (default False).
        differentiable: accepted for PyTorch compatibility; when True non-leaf parameters
            are allowed, but the step still runs without recording a graph.
        capturable: accepted for PyTorch compatibility (a CUDA-graph option); no effect.
    """

    def __init__(self, params, lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75, t0: float = 1e6,
                 weight_decay: float = 0, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        need_lr(lr)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay, "foreach": foreach,
            "maximize": maximize, "differentiable": differentiable, "capturable": capturable,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One ASGD update of every parameter that has a gradient; returns closure()'s loss."""
        from .._creation import ones, tensor, zeros, zeros_like

        loss = self._closure_loss(closure)
        with self._step_grad_mode():
            for group in self.param_groups:
                self._check_capturable(group)
                lr, lambd, alpha, t0 = group["lr"], group["lambd"], group["alpha"], group["t0"]
                weight_decay, maximize = group["weight_decay"], group["maximize"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if len(state) == 0:
                        # float32 scalars, as PyTorch keeps them (eta's value is lr rounded).
                        state["step"] = zeros((), dtype=float32)
                        state["eta"] = tensor(float(lr), dtype=float32)
                        state["mu"] = ones((), dtype=float32)
                        state["ax"] = zeros_like(p)
                    grad = p.grad if not maximize else -p.grad
                    state["step"].add_(1)
                    if weight_decay != 0:
                        grad = grad.add(p, alpha=weight_decay)
                    eta = state["eta"].item()
                    p.mul_(1 - lambd * eta)
                    p.add_(grad, alpha=-eta)
                    mu = state["mu"]
                    if mu.item() != 1:
                        state["ax"].add_((p - state["ax"]) * mu)
                    else:
                        state["ax"].copy_(p)
                    step = state["step"].item()
                    state["eta"].copy_(tensor(lr / ((1 + lambd * lr * step) ** alpha), dtype=float32))
                    state["mu"].copy_(tensor(1 / max(1, step - t0), dtype=float32))
        return loss
