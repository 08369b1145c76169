"""Rprop (resilient backpropagation) with PyTorch's update rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _core
from .._core import float32
from ._hyper import as_real, is_complex, need_lr, scalar_value
from .optimizer import Optimizer

__all__ = ["Rprop"]


class Rprop(Optimizer):
    """Per-element step sizes grown by etaplus while the gradient keeps its sign, shrunk by
    etaminus when it flips (that step then skipped); p ← p - sign(g) step.

    Args:
        params: an iterable of parameters (or of (name, parameter) pairs), or of dicts
            defining parameter groups with their own hyperparameters.
        lr: the initial step size of every element (default 1e-2).
        etas: (etaminus, etaplus), the shrink and growth factors (default (0.5, 1.2)).
        step_sizes: (min, max) bounds of the step sizes (default (1e-6, 50)).
        capturable: accepted for PyTorch compatibility (a CUDA-graph option); no effect.
        foreach: accepted for PyTorch compatibility (a kernel choice); the update is the same.
        maximize: ascend the objective instead of descending it (default False).
        differentiable: accepted for PyTorch compatibility; when True non-leaf parameters
            are allowed, but the step still runs without recording a graph.
    """

    def __init__(self, params, lr: float = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        need_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {
            "lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach, "maximize": maximize,
            "differentiable": differentiable, "capturable": capturable,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Rprop update of every parameter that has a gradient; returns closure()'s loss."""
        from .._creation import full_like, tensor, zeros_like

        loss = self._closure_loss(closure)
        with self._step_grad_mode():
            for group in self.param_groups:
                self._check_capturable(group)
                etaminus, etaplus = group["etas"]
                step_size_min, step_size_max = group["step_sizes"]
                maximize = group["maximize"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = tensor(0.0, dtype=float32)
                        state["prev"] = zeros_like(p)
                        lr = scalar_value(group["lr"])
                        # a complex parameter steps its real and imaginary parts by lr each
                        state["step_size"] = full_like(p, complex(lr, lr) if is_complex(p) else lr)
                    grad = p.grad if not maximize else -p.grad
                    p, grad, prev, step_size = as_real(p, grad, state["prev"], state["step_size"])
                    state["step"].add_(1)
                    sign = (grad * prev).sign()
                    factor = _core._where(sign > 0, full_like(p, etaplus),
                                          _core._where(sign < 0, full_like(p, etaminus), full_like(p, 1.0)))
                    step_size.mul_(factor).clamp_(step_size_min, step_size_max)
                    grad = grad.masked_fill(factor == float(_as_dtype(etaminus, p)), 0)
                    p.add_(grad.sign() * step_size * -1)
                    prev.copy_(grad)
        return loss


def _as_dtype(value: float, like) -> float:
    """`value` rounded to `like`'s dtype (the comparison PyTorch makes in that dtype)."""
    from .._creation import tensor

    return tensor(value, dtype=like.dtype).item()
