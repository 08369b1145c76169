"""In-place ops PyTorch runs on expanded tensors (a dim of stride 0 and size > 1, where
several elements share one memory location) instead of refusing them as other in-place
ops do: an elementwise op (`threshold_`) acts on the shared elements once, and the
masked writes (`tril_`, `triu_`, `masked_fill_`) write a location when any element on
it is selected."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from . import _core
from ._core import Tensor


def is_expanded(t: Any) -> bool:
    return isinstance(t, Tensor) and any(
        stride == 0 and size > 1 for size, stride in zip(t.shape, t.stride())
    )


def _expanded_dims(t: Tensor) -> list[int]:
    return [d for d, (size, stride) in enumerate(zip(t.shape, t.stride())) if stride == 0 and size > 1]


def shared_elements(t: Tensor) -> Tensor:
    """The view of `t` holding each memory location once (its expanded dims cut to 1)."""
    for d in _expanded_dims(t):
        t = t.narrow(d, 0, 1)
    return t


def _write_where_any(t: Tensor, mask: Tensor, value: Any) -> Tensor:
    """Writes `value` to each location of `t` that some selected element lies on."""
    dims = _expanded_dims(t)
    hit = mask.expand(tuple(t.shape))
    if dims:
        hit = hit.any(dim=tuple(dims), keepdim=True)
    shared_elements(t).masked_fill_(hit, value)
    return t


def _diagonal(diagonal: int = 0) -> int:
    return diagonal


def tri_inplace(original: Callable, upper: bool) -> Callable:
    """`tril_`/`triu_` that on an expanded tensor writes only the zeros, as PyTorch's."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if not is_expanded(self) or self.dim() < 2:
            return original(self, *args, **kwargs)  # as given: the parser's message tells keywords apart
        diagonal = _diagonal(*args, **kwargs)
        from ._creation import ones

        rows, cols = self.shape[-2], self.shape[-1]
        square = ones(rows, cols, dtype=self.dtype)
        kept = square.triu(diagonal) if upper else square.tril(diagonal)
        return _write_where_any(self, kept == 0, 0)

    method.__name__ = method.__qualname__ = original.__name__
    part = "upper" if upper else "lower"
    method.__doc__ = (
        f"In place, keeps the {part} triangle of the last two dims and zeroes the rest; returns this tensor.\n\n"
        "Args:\n    diagonal: which diagonal bounds the triangle (0 the main one, positive above it).\n"
    )
    return method


def masked_fill_inplace(original: Callable) -> Callable:
    """`masked_fill_` that on an expanded tensor warns and writes, as PyTorch's."""

    def method(self: Tensor, mask: Any, value: Any) -> Tensor:
        if not is_expanded(self) or not isinstance(mask, Tensor) or isinstance(value, Tensor):
            return original(self, mask, value)
        warnings.warn(
            "Use of masked_fill_ on expanded tensors is deprecated. Please clone() the tensor before performing "
            "this operation. This also applies to advanced indexing e.g. tensor[mask] = scalar",
            UserWarning,
            stacklevel=2,
        )
        if mask.dtype is not _core.bool:
            return original(self, mask, value)  # the dtype error comes from the op itself
        return _write_where_any(self, mask, value)

    method.__name__ = method.__qualname__ = original.__name__
    method.__doc__ = original.__doc__
    return method


def install() -> None:
    Tensor.tril_ = tri_inplace(Tensor.tril_, upper=False)
    Tensor.triu_ = tri_inplace(Tensor.triu_, upper=True)
    Tensor.masked_fill_ = masked_fill_inplace(Tensor.masked_fill_)
