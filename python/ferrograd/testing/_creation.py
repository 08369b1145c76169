"""`make_tensor`: random test inputs of a shape and dtype (PyTorch's value ranges)."""

from __future__ import annotations

from .._core import Tensor

__all__ = ["make_tensor"]


def make_tensor(
    *shape,
    dtype,
    device=None,
    low: float | None = None,
    high: float | None = None,
    requires_grad: bool = False,
    noncontiguous: bool = False,
    exclude_zero: bool = False,
) -> Tensor:
    """A random tensor for tests (`torch.testing.make_tensor`): floats drawn uniformly
    from [low, high), integers from [low, high), bools at random.

    Args:
        shape: the size, as integers or as one tuple or list.
        dtype: the dtype of the result (required, keyword only).
        device: the device (default: the CPU).
        low: the lower bound; None (default) means -9.
        high: the upper bound; None (default) means 9 (10 exclusive for integers).
        requires_grad: make the result a leaf that requires grad (default False).
        noncontiguous: return a non-contiguous view with the same values layout
            (default False).
        exclude_zero: replace zeros by the dtype's smallest positive normal value (1
            for integers); default False.
    """
    import ferrograd as fg

    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    if low is not None and high is not None and low > high:
        raise ValueError(f"`low` must be less than or equal to `high`, but got {low} > {high}")
    if dtype is fg.bool:
        t = fg.rand(tuple(shape)) < 0.5
    elif dtype.is_floating_point:
        lo, hi = (-9.0 if low is None else low), (9.0 if high is None else high)
        t = (fg.rand(tuple(shape), dtype=dtype) * (hi - lo) + lo).to(dtype)
        if exclude_zero:
            t = fg.where(t == 0, fg.tensor(fg.finfo(dtype).tiny, dtype=dtype), t)
    else:
        lo, hi = (-9 if low is None else int(low)), (10 if high is None else int(high))
        t = fg.randint(lo, hi, shape, dtype=dtype)
        if exclude_zero:
            t = fg.where(t == 0, fg.ones_like(t), t)
    if noncontiguous and t.numel() > 1:
        t = fg.repeat_interleave(t, 2, dim=-1)[..., ::2]
    if requires_grad:
        t.requires_grad_(True)
    return t
