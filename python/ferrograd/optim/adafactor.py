"""Adafactor with PyTorch 2.13's update (factored second moment for matrices, relative step size)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._core import Tensor, float32
from .._grad_mode import no_grad
from ._hyper import is_complex, scalar_value
from .optimizer import Optimizer

__all__ = ["Adafactor"]


class Adafactor(Optimizer):
    """Adafactor as PyTorch implements it.

    For a parameter of two or more dimensions the second moment is kept as a row factor
    (mean of g² over the last dim) and a column factor (over the second-to-last dim);
    a vector keeps a full `variance`. Each step:
    beta2 = 1 - t**beta2_decay, rho = min(lr, 1/sqrt(t)), alpha = max(eps2, RMS(p)) * rho,
    p ← p (1 - lr wd), U = g / sqrt(max(V, eps1²)), p ← p - alpha U / max(1, RMS(U) / d).
    `eps1=None` means the parameter dtype's machine epsilon (of the first parameter
    stepped in the group, as PyTorch).

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters.
        lr: the learning rate (default 1e-2), a float or a one-element tensor.
        beta2_decay: the exponent of the β2 schedule 1 - t**beta2_decay (default -0.8).
        eps: (eps1, eps2): eps1 floors the second moment (None: the dtype's machine
            epsilon), eps2 floors the parameter RMS in the step size (default (None, 1e-3)).
        d: the clipping threshold of the update's RMS (default 1.0).
        weight_decay: the decoupled decay coefficient: p ← p (1 - lr wd) (default 0).
        foreach: accepted for PyTorch compatibility (a kernel choice); the update is the same.
        maximize: ascend the objective instead of descending it (default False).
    """

    def __init__(self, params, lr: float | Tensor = 1e-2, beta2_decay: float = -0.8,
                 eps: tuple[float | None, float] = (None, 1e-3), d: float = 1.0, weight_decay: float = 0.0, *,
                 foreach: bool | None = None, maximize: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = {
            "lr": lr,
            "beta2_decay": beta2_decay,
            "eps": eps,
            "d": d,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        from .._creation import tensor

        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            for p in group["params"]:
                p_state = self.state.get(p, [])
                if len(p_state) != 0 and not isinstance(p_state["step"], Tensor):
                    p_state["step"] = tensor(float(p_state["step"]), dtype=float32)

    def _init_state(self, p: Tensor, grad: Tensor) -> dict[str, Any]:
        from .._creation import tensor, zeros_like

        state = self.state[p]
        if len(state) == 0:
            state["step"] = tensor(0.0, dtype=float32)
            if grad.dim() > 1:
                row_shape = list(grad.shape)
                row_shape[-1] = 1
                state["row_var"] = grad.new_zeros(row_shape)
                col_shape = list(grad.shape)
                col_shape[-2] = 1
                state["col_var"] = grad.new_zeros(col_shape)
            else:
                state["variance"] = zeros_like(grad)
        return state

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Adafactor update of every parameter that has a gradient; returns closure()'s loss."""
        from .._dtype_info import finfo

        loss = self._closure_loss(closure)
        with no_grad():
            for group in self.param_groups:
                eps1, eps2 = group["eps"]
                lr = scalar_value(group["lr"])
                d, beta2_decay = group["d"], group["beta2_decay"]
                weight_decay, maximize = group["weight_decay"], group["maximize"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    if is_complex(p):
                        raise RuntimeError("Adafactor does not support complex parameters")
                    state = self._init_state(p, p.grad)
                    grad = p.grad if not maximize else -p.grad
                    if eps1 is None:
                        eps1 = finfo(p.dtype).eps
                    step_t = state["step"]
                    step_t.add_(1)
                    step = step_t.item()
                    one_minus_beta2_t = step**beta2_decay
                    rho_t = min(lr, 1 / (step**0.5))
                    alpha = max(eps2, p.norm(2).item() / (p.numel() ** 0.5)) * rho_t
                    if weight_decay != 0:
                        p.mul_(1 - lr * weight_decay)
                    if grad.dim() > 1:
                        row_var, col_var = state["row_var"], state["col_var"]
                        row_mean = grad.norm(dim=-1, keepdim=True).square_().div_(grad.size(-1))
                        row_var.lerp_(row_mean, one_minus_beta2_t)
                        col_mean = grad.norm(dim=-2, keepdim=True).square_().div_(grad.size(-2))
                        col_var.lerp_(col_mean, one_minus_beta2_t)
                        var_estimate = row_var @ col_var
                        var_estimate.div_(row_var.mean(dim=-2, keepdim=True).clamp_(min=eps1))
                    else:
                        variance = state["variance"]
                        variance.lerp_(grad * grad, one_minus_beta2_t)
                        var_estimate = variance.clone()
                    update = var_estimate.clamp_(min=eps1 * eps1).rsqrt_()
                    update.mul_(grad)
                    denom = max(1.0, update.norm(2).item() / ((update.numel() ** 0.5) * d))
                    p.add_(update, alpha=-alpha / denom)
        return loss
