"""Hyperparameter helpers shared by the optimizers added for PyTorch 2.13's surface."""

from __future__ import annotations

from .._core import Tensor


def scalar_value(x):
    """A tensor hyperparameter (1-element, e.g. a tensor lr) as a Python number; others as they are."""
    return x.item() if isinstance(x, Tensor) else x


def need_lr(lr, nan_ok: bool = False) -> None:
    """PyTorch's constructor checks of a learning rate: a tensor of one element, >= 0
    (SGD's check, `lr < 0`, lets NaN through)."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if lr < 0.0 if nan_ok else not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def is_complex(t: Tensor) -> bool:
    return bool(getattr(t.dtype, "is_complex", False))


def as_real(*tensors: Tensor) -> tuple[Tensor, ...]:
    """PyTorch updates a complex parameter as pairs of reals: each complex tensor (the
    parameter, its gradient, its state) as its `view_as_real` view, which writes through;
    real tensors as they are."""
    if not is_complex(tensors[0]):  # a real parameter's gradient and state are real too
        return tensors
    from .._complex import view_as_real

    return tuple(view_as_real(t.resolve_conj()) if is_complex(t) else t for t in tensors)


def check_fused_param(group: dict, p: Tensor) -> None:
    """PyTorch's fused kernels take floating-point parameters only (checked at the step)."""
    if group.get("fused") and not p.dtype.is_floating_point:
        raise RuntimeError(
            "`fused=True` requires all the params to be floating point Tensors of supported "
            "devices: ['mps', 'cuda', 'xpu', 'hpu', 'cpu', 'mtia', 'privateuseone'] but "
            f"{p.dtype} and {p.device.type}"
        )
