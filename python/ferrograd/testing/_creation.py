"""`make_tensor`: random test inputs of a shape and dtype, drawn as PyTorch's
`torch.testing.make_tensor` draws them (same bounds, same calls to the generator, so
the same values under the same seed)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

from .._core import Tensor

__all__ = ["make_tensor"]


def _bounds(dtype, low, high, *, lowest: float, highest: float, default_low: float,
            default_high: float, integral: bool) -> tuple[float, float]:
    """`low`/`high` (or the defaults) checked and clamped to what `dtype` holds; integral
    bounds rounded up, as `randint`'s exclusive high wants."""
    low = default_low if low is None else low
    high = default_high if high is None else high
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        raise ValueError(f"`low` and `high` cannot be NaN, but got low={low} and high={high}")
    if low == high and not integral:
        warnings.warn(
            "Passing `low==high` to `torch.testing.make_tensor` for floating or complex types is "
            "deprecated since 2.1 and will be removed in 2.3. Use `torch.full(...)` instead.",
            FutureWarning, stacklevel=4)
    elif low >= high:
        raise ValueError(f"`low` must be less than `high`, but got {low} >= {high}")
    elif high < lowest or low >= highest:
        raise ValueError(f"The value interval specified by `low` and `high` is [{low}, {high}), but "
                         f"{dtype} only supports [{lowest}, {highest})")
    low, high = min(max(low, lowest), highest), min(max(high, lowest), highest)
    return (math.ceil(low), math.ceil(high)) if integral else (low, high)


def _uniform(t: Tensor, low: float, high: float) -> None:
    import ferrograd as fg

    if high - low >= fg.finfo(t.dtype).max:  # the span itself overflows: draw half, double it
        t.uniform_(low / 2, high / 2).mul_(2)
    else:
        t.uniform_(low, high)


def make_tensor(
    *shape,
    dtype,
    device,
    low: float | None = None,
    high: float | None = None,
    requires_grad: bool = False,
    noncontiguous: bool = False,
    exclude_zero: bool = False,
    memory_format=None,
) -> Tensor:
    """A random tensor for tests (`torch.testing.make_tensor`): floating and complex
    values drawn uniformly from [low, high) (each part of a complex number), integers
    from [low, high), bools at random.

    Args:
        shape: the size, as integers or as one tuple or list.
        dtype: the dtype of the result (required, keyword only).
        device: the device (required, keyword only: PyTorch has no default).
        low: the lower bound, clamped to the dtype's range; None (default) means -9
            (0 for bool).
        high: the upper bound, clamped likewise; None (default) means 9 (10 exclusive
            for integers, 2 for bool).
        requires_grad: make the result a leaf that requires grad (floating and complex
            dtypes only; default False).
        noncontiguous: draw twice the last dimension and return every second element
            (default False).
        exclude_zero: replace zeros by the dtype's smallest positive normal value (1
            for integers); default False.
        memory_format: the memory format of the result (not with `noncontiguous`).
    """
    import ferrograd as fg

    if len(shape) == 1 and isinstance(shape[0], Sequence):
        shape = shape[0]
    shape = tuple(shape)
    if noncontiguous and memory_format is not None:
        raise ValueError(
            "The parameters `noncontiguous` and `memory_format` are mutually exclusive, but got "
            f"noncontiguous={noncontiguous} and memory_format={memory_format}"
        )
    integral = not (dtype.is_floating_point or dtype.is_complex)
    if requires_grad and integral:
        raise ValueError(
            "`requires_grad=True` is not supported for boolean and integral dtypes, but got "
            f"dtype={dtype}"
        )
    noncontiguous = noncontiguous and math.prod(shape) > 1
    if noncontiguous:
        shape = (*shape[:-1], 2 * shape[-1])
    if dtype is fg.bool:
        lo, hi = _bounds(dtype, low, high, lowest=0, highest=2, default_low=0, default_high=2,
                         integral=True)
        result = fg.randint(lo, hi, shape, device=device, dtype=dtype)
    elif integral:
        info = fg.iinfo(dtype)
        # randint draws below 2**63 - 1 at most: int64's highest value is out of reach
        highest = info.max + (1 if dtype is not fg.int64 else 0)
        lo, hi = _bounds(dtype, low, high, lowest=info.min, highest=highest, default_low=-9,
                         default_high=10, integral=True)
        result = fg.randint(lo, hi, shape, device=device, dtype=dtype)
    else:
        info = fg.finfo(dtype)
        lo, hi = _bounds(dtype, low, high, lowest=info.min, highest=info.max, default_low=-9,
                         default_high=9, integral=False)
        result = fg.empty(shape, device=device, dtype=dtype)
        _uniform(fg.view_as_real(result) if dtype.is_complex else result, lo, hi)
    if noncontiguous:
        result = result[..., 1::2]
    elif memory_format is not None:
        result = result.clone(memory_format=memory_format)
    if exclude_zero:
        result[result == 0] = 1 if integral else fg.finfo(dtype).tiny
    if not integral:
        result.requires_grad = requires_grad
    return result
