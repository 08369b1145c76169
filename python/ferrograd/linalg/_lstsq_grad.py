"""The gradient of `linalg.lstsq` (`LinalgLstsqBackward0`), as PyTorch defines it: the
solution differentiates as `pinv(A) @ B`, the residuals `sum(|A X - B|^2)` (which exist
only for full-rank tall A, where `A^H (A X - B) = 0`) at the solution."""

from __future__ import annotations

from typing import Any

from .._core import Tensor

_Lstsq: Any = None


def attach(A: Tensor, B: Tensor, vector: bool, outputs: tuple) -> tuple:
    """`outputs` (solution, residuals, rank, singular_values) recorded as one node whose
    solution and residuals differentiate to `A` and `B`."""
    global _Lstsq
    if _Lstsq is None:
        from .._mathops import _node, saved_tensor_attrs

        # PyTorch's node saves A, B and the solution
        _Lstsq = _node("LinalgLstsqBackward0", _forward, _backward, saved_tensor_attrs("self", "b", "solution"))
    x, resid, rank, sv = outputs
    # the computed outputs travel in a tuple: not tensor arguments, so no edges of the node
    x, resid = _Lstsq.apply(A, B, vector, (x.detach(), resid.detach()))
    return x, resid, rank, sv  # rank and singular values are not differentiable


def _forward(ctx: Any, A: Tensor, B: Tensor, vector: bool, computed: tuple):
    x, resid = computed
    solution = x.clone()
    # The residuals' gradient uses the solution: saved as the output it is, so that a
    # second backward differentiates through it too.
    ctx.save_for_backward(A, B, solution)
    ctx.vector = vector
    return solution, resid.clone()


def _pinv_backward(grad: Tensor, pinv_a: Tensor, A: Tensor) -> Tensor:
    """The gradient of `pinv(A)` for the incoming gradient `grad` (PyTorch's pinv_backward)."""
    m, n = A.shape[-2], A.shape[-1]
    pinv_ah, grad_h = pinv_a.mH, grad.mH
    if m <= n:
        k = grad_h @ pinv_a
        k_pinv_ah = k @ pinv_ah
        return -(pinv_a @ k).mH + k_pinv_ah - (A @ pinv_a) @ k_pinv_ah + (pinv_ah @ pinv_a) @ (grad_h - k @ A)
    k = pinv_a @ grad_h
    pinv_ah_k = pinv_ah @ k
    return -(k @ pinv_a).mH + (grad_h - A @ k) @ pinv_a @ pinv_ah + pinv_ah_k - pinv_ah_k @ pinv_a @ A


def _backward(ctx: Any, g_x: Tensor | None, g_resid: Tensor | None) -> Any:
    from .._mathops import _grad_for
    from . import pinv

    A, B, x = ctx.saved_tensors
    need_a, need_b = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
    if ctx.vector:
        B, x = B.unsqueeze(-1), x.unsqueeze(-1)
        g_x = None if g_x is None else g_x.unsqueeze(-1)
    grad_a = grad_b = None
    if g_x is not None:
        pinv_a = pinv(A)
        if need_a:
            grad_a = _pinv_backward(g_x @ B.mH, pinv_a, A)
        if need_b:
            grad_b = pinv_a.mH @ g_x
    if g_resid is not None and g_resid.numel() and x.numel():
        weighted = (A @ x - B) * g_resid.unsqueeze(-2) * 2
        grad_a = _add(grad_a, weighted @ x.mH if need_a else None)
        grad_b = _add(grad_b, -weighted if need_b else None)
    if ctx.vector and grad_b is not None:
        grad_b = grad_b.squeeze(-1)
    A0, B0, _ = ctx.saved_tensors
    return _grad_for(grad_a, A0) if need_a else None, _grad_for(grad_b, B0) if need_b else None, None, None


def _add(a: Tensor | None, b: Tensor | None) -> Tensor | None:
    if a is None:
        return b
    return a if b is None else a + b
