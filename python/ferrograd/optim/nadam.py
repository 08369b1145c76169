"""NAdam (Adam with Nesterov momentum and momentum decay) with PyTorch's update formulas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._core import float32
from ._hyper import as_real, need_lr
from .optimizer import Optimizer

__all__ = ["NAdam"]


class NAdam(Optimizer):
    """Adam whose step mixes the gradient and the momentum with the μₜ schedule.

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters.
        lr: the learning rate (default 2e-3).
        betas: the decay rates (β1, β2) of the running averages of the gradient and of its
            square (default (0.9, 0.999)).
        eps: added to the denominator for numerical stability (default 1e-8).
        weight_decay: L2 penalty: adds weight_decay * p to the gradient (default 0).
        momentum_decay: ψ of the momentum schedule μₜ = β1 (1 - 0.5 · 0.96^(t ψ))
            (default 4e-3).
        decoupled_weight_decay: decay the parameters directly, as AdamW (default False).
        foreach: accepted for PyTorch compatibility (a kernel choice); the update is the same.
        maximize: ascend the objective instead of descending it (default False).
        capturable: accepted for PyTorch compatibility (a CUDA-graph option); no effect.
        differentiable: accepted for PyTorch compatibility; when True non-leaf parameters
            are allowed, but the step still runs without recording a graph.
    """

    def __init__(self, params, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, momentum_decay: float = 4e-3, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        need_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = {
            "lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "momentum_decay": momentum_decay,
            "decoupled_weight_decay": decoupled_weight_decay, "maximize": maximize, "foreach": foreach,
            "capturable": capturable, "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One NAdam update of every parameter that has a gradient; returns closure()'s loss."""
        from .._creation import ones, tensor, zeros_like

        loss = self._closure_loss(closure)
        with self._step_grad_mode():
            for group in self.param_groups:
                self._check_capturable(group)
                beta1, beta2 = group["betas"]
                lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
                momentum_decay, maximize = group["momentum_decay"], group["maximize"]
                decoupled = group["decoupled_weight_decay"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = tensor(0.0, dtype=float32)
                        state["mu_product"] = ones((), dtype=float32)
                        state["exp_avg"] = zeros_like(p)
                        state["exp_avg_sq"] = zeros_like(p)
                    grad = p.grad if not maximize else -p.grad
                    exp_avg, exp_avg_sq, mu_product = state["exp_avg"], state["exp_avg_sq"], state["mu_product"]
                    state["step"].add_(1)
                    step = state["step"].item()
                    bias_correction2 = 1 - beta2**step
                    if weight_decay != 0:
                        if decoupled:
                            p.mul_(1 - lr * weight_decay)
                        else:
                            grad = grad.add(p, alpha=weight_decay)
                    p, grad, exp_avg, exp_avg_sq = as_real(p, grad, exp_avg, exp_avg_sq)
                    mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
                    mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
                    mu_product.mul_(mu)  # a float32 scalar, as PyTorch keeps it
                    exp_avg.lerp_(grad, 1 - beta1)
                    exp_avg_sq.mul_(beta2).add_(grad * (1 - beta2) * grad)
                    denom = (exp_avg_sq / bias_correction2).sqrt() + eps
                    mu_prod = mu_product.item()
                    mu_product_next = mu_prod * mu_next
                    p.add_(grad * (-lr * (1.0 - mu) / (1.0 - mu_prod)) / denom)
                    p.add_(exp_avg * ((-lr * mu_next) / (1.0 - mu_product_next)) / denom)
        return loss
