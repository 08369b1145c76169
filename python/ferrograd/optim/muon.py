"""Muon: momentum SGD whose update is orthogonalized by a Newton-Schulz iteration (PyTorch 2.13's form)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .._core import Tensor
from .._grad_mode import no_grad
from ._hyper import is_complex, scalar_value
from .optimizer import Optimizer

__all__ = ["Muon"]

# Keller Jordan's constants, which PyTorch uses as its defaults.
EPS = 1e-7
DEFAULT_A = 3.4445
DEFAULT_B = -4.7750
DEFAULT_C = 2.0315
DEFAULT_NS_STEPS = 5


def _addmm_bf16(input: Tensor, mat1: Tensor, mat2: Tensor, beta: float, alpha: float = 1.0) -> Tensor:
    """beta·input + alpha·(mat1 @ mat2) for bfloat16 operands, accumulated in float32 and rounded
    to bfloat16 once, as PyTorch's CPU addmm does (the products of bfloat16 values are exact in float32)."""
    return (input.float() * beta + (mat1.float() @ mat2.float()) * alpha).bfloat16()


def _zeropower_via_newtonschulz(grad: Tensor, ns_coefficients: tuple[float, float, float], ns_steps: int,
                                eps: float) -> Tensor:
    """Approximately orthogonalizes `grad` (U S V^T → U S' V^T, S' near 1) with the quintic
    iteration X ← a X + (b A + c A²) X, A = X X^T, run in bfloat16 as PyTorch does."""
    if ns_steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    if len(grad.shape) != 2:
        raise ValueError("Input tensor gradient must be a 2D matrix")
    if len(ns_coefficients) != 3:
        raise ValueError("Coefficients must be a tuple of exactly 3 values")
    a, b, c = ns_coefficients
    tall = grad.size(0) > grad.size(1)
    ortho = grad.bfloat16()
    if tall:
        ortho = ortho.T
    # In place, as PyTorch: for a bfloat16 input `bfloat16()` is the input itself.
    ortho.div_(ortho.norm().clamp(min=eps))
    for _ in range(ns_steps):
        gram = ortho @ ortho.T
        gram_update = _addmm_bf16(gram, gram, gram, beta=b, alpha=c)
        ortho = _addmm_bf16(ortho, gram_update, ortho, beta=a)
    return ortho.T if tall else ortho


def _adjust_lr(lr: float, adjust_lr_fn: str | None, param_shape) -> float:
    rows, cols = param_shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        ratio = math.sqrt(max(1, rows / cols))
    elif adjust_lr_fn == "match_rms_adamw":
        ratio = 0.2 * math.sqrt(max(rows, cols))
    else:
        ratio = 1.0
    return lr * ratio


class Muon(Optimizer):
    """Muon for 2-D parameters: B ← μ B + (1-μ)·g (a lerp), update = NS(g.lerp(B, μ) if nesterov else B),
    p ← p (1 - lr wd) - adjusted_lr · update, adjusted_lr = lr·sqrt(max(1, rows/cols)) ("original")
    or lr·0.2·sqrt(max(rows, cols)) ("match_rms_adamw").

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters; each must be 2-D.
        lr: the learning rate (default 1e-3), a float or a one-element tensor.
        weight_decay: the decoupled decay coefficient (default 0.1).
        momentum: μ, the momentum factor (default 0.95).
        nesterov: orthogonalize the Nesterov-style lookahead instead of the buffer
            (default True).
        ns_coefficients: (a, b, c) of the quintic Newton–Schulz iteration (default
            (3.4445, -4.775, 2.0315)).
        eps: the floor of the norm the update is divided by before Newton–Schulz
            (default 1e-7).
        ns_steps: the number of Newton–Schulz iterations (default 5).
        adjust_lr_fn: 'original' (default when None) or 'match_rms_adamw', as above.
    """

    def __init__(self, params, lr: float | Tensor = 1e-3, weight_decay: float = 0.1, momentum: float = 0.95,
                 nesterov: bool = True,
                 ns_coefficients: tuple[float, float, float] = (DEFAULT_A, DEFAULT_B, DEFAULT_C),
                 eps: float = EPS, ns_steps: int = DEFAULT_NS_STEPS, adjust_lr_fn: str | None = None) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ["original", "match_rms_adamw"]:
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        defaults = {
            "lr": lr,
            "weight_decay": weight_decay,
            "momentum": momentum,
            "nesterov": nesterov,
            "ns_coefficients": ns_coefficients,
            "eps": eps,
            "ns_steps": ns_steps,
            "adjust_lr_fn": adjust_lr_fn,
        }
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError(
                        f"Muon only supports 2D parameters whereas we found a parameter with size: {p.size()}"
                    )

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Muon update of every parameter that has a gradient; returns closure()'s loss."""
        from .._creation import zeros_like

        loss = self._closure_loss(closure)
        with no_grad():
            for group in self.param_groups:
                lr = scalar_value(group["lr"])
                weight_decay, momentum = group["weight_decay"], group["momentum"]
                with_grad = [p for p in group["params"] if p.grad is not None]
                for p in with_grad:
                    if is_complex(p):
                        raise RuntimeError("Muon does not support complex parameters")
                    state = self.state[p]
                    if "momentum_buffer" not in state:
                        state["momentum_buffer"] = zeros_like(p.grad)
                for p in with_grad:
                    grad = p.grad
                    if grad.ndim != 2:
                        raise ValueError("Param gradient must be a 2D matrix")
                    buf = self.state[p]["momentum_buffer"]
                    buf.lerp_(grad, 1 - momentum)
                    update = grad.lerp(buf, momentum) if group["nesterov"] else buf
                    update = _zeropower_via_newtonschulz(update, group["ns_coefficients"], group["ns_steps"],
                                                         group["eps"])
                    adjusted_lr = _adjust_lr(lr, group["adjust_lr_fn"], p.shape)
                    p.mul_(1 - lr * weight_decay)
                    # Cast first: the bfloat16 update is scaled in the parameter's precision, as in PyTorch.
                    p.add_(update.to(p.dtype), alpha=-adjusted_lr)
        return loss
