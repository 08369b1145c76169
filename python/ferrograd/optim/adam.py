"""Adam and AdamW with PyTorch's update formulas (bias correction, amsgrad, maximize)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._core import Tensor, float32
from ._hyper import as_real, check_fused_param
from .optimizer import Optimizer

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """Adam; `decoupled_weight_decay=True` makes it AdamW.

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters.
        lr: the learning rate (default 1e-3).
        betas: the decay rates (β1, β2) of the running averages of the gradient and of its
            square (default (0.9, 0.999)).
        eps: added to the denominator for numerical stability (default 1e-8).
        weight_decay: L2 penalty: adds weight_decay * p to the gradient (default 0). With decoupled_weight_decay, p is
            shrunk by lr * weight_decay instead.
        amsgrad: use the maximum of the past squared-gradient averages (AMSGrad; default
            False).
        foreach: accepted for PyTorch compatibility (a kernel choice); the update is the same.
        maximize: ascend the objective instead of descending it (default False).
        capturable: accepted for PyTorch compatibility (a CUDA-graph option); no effect.
        differentiable: accepted for PyTorch compatibility; when True non-leaf parameters
            are allowed, but the step still runs without recording a graph.
        fused: accepted for PyTorch compatibility (a kernel choice); the update is the same.
        decoupled_weight_decay: apply the weight decay to the parameters directly, as AdamW
            does (default False).
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError("lr as a Tensor is not supported for capturable=False and foreach=True")
            if lr.numel() != 1:
                raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("decoupled_weight_decay", False)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adam update of every parameter that has a gradient; returns closure()'s loss."""
        from .._creation import tensor, zeros_like

        loss = self._closure_loss(closure)
        with self._step_grad_mode():
            for group in self.param_groups:
                self._check_capturable(group)
                beta1, beta2 = group["betas"]
                lr = group["lr"]
                eps = group["eps"]
                weight_decay = group["weight_decay"]
                amsgrad = group["amsgrad"]
                maximize = group["maximize"]
                decoupled = group["decoupled_weight_decay"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    check_fused_param(group, p)
                    grad = p.grad if not maximize else -p.grad
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = tensor(0.0, dtype=float32)
                        state["exp_avg"] = zeros_like(p)
                        state["exp_avg_sq"] = zeros_like(p)
                        if amsgrad:
                            state["max_exp_avg_sq"] = zeros_like(p)
                    exp_avg = state["exp_avg"]
                    exp_avg_sq = state["exp_avg_sq"]
                    step_t = state["step"]
                    step_t.add_(1)
                    if weight_decay != 0:
                        if decoupled:
                            p.mul_(1 - lr * weight_decay)
                        else:
                            grad = grad.add(p, alpha=weight_decay)
                    p, grad, exp_avg, exp_avg_sq = as_real(p, grad, exp_avg, exp_avg_sq)
                    exp_avg.lerp_(grad, 1 - beta1)
                    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                    step = step_t.item()
                    bias_correction1 = 1 - beta1**step
                    bias_correction2 = 1 - beta2**step
                    step_size = lr / bias_correction1
                    if isinstance(step_size, Tensor):
                        # a tensor lr: PyTorch divides in lr's dtype, then reads the number
                        step_size = step_size.item()
                    bias_correction2_sqrt = bias_correction2**0.5
                    if amsgrad:
                        (max_sq,) = as_real(state["max_exp_avg_sq"])
                        max_sq.copy_(max_sq.maximum(exp_avg_sq))
                        denom = (max_sq.sqrt() / bias_correction2_sqrt).add_(eps)
                    else:
                        denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
                    p.addcdiv_(exp_avg, denom, value=-step_size)
        return loss


class AdamW(Adam):
    """Adam with decoupled weight decay: p ← p (1 - lr wd) before the Adam step.

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters.
        lr: the learning rate (default 1e-3).
        betas: the decay rates (β1, β2) of the running averages of the gradient and of its
            square (default (0.9, 0.999)).
        eps: added to the denominator for numerical stability (default 1e-8).
        weight_decay: the decoupled decay coefficient (default 1e-2).
        amsgrad: use the maximum of the past squared-gradient averages (default False).
        maximize: ascend the objective instead of descending it (default False).
        foreach: accepted for PyTorch compatibility (a kernel choice); the update is the same.
        capturable: accepted for PyTorch compatibility (a CUDA-graph option); no effect.
        differentiable: accepted for PyTorch compatibility; when True non-leaf parameters
            are allowed, but the step still runs without recording a graph.
        fused: accepted for PyTorch compatibility (a kernel choice); the update is the same.
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
