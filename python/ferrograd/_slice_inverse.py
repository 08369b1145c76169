"""`slice_inverse`: the inverse of taking a slice. Given `self`, a slice of `src`, it
views `self`'s memory with `src`'s sizes, strides and offset, so the result covers the
whole of what was sliced (as PyTorch's view: an alias recorded as
`SliceInverseBackward0`)."""

from __future__ import annotations

from . import _core
from ._argcheck import need_int, need_tensor
from ._core import Tensor

__all__ = ["slice_inverse"]


def slice_inverse(input: Tensor, src: Tensor, dim: int = 0, start: int | None = None, end: int | None = None,
                  step: int = 1) -> Tensor:
    """A view of `input` (a slice of `src`) laid out as `src`: `src`'s sizes, strides
    and storage offset over `input`'s memory.

    Args:
        input: the slice.
        src: the tensor it was sliced from.
        dim: the dimension that was sliced (default 0).
        start: the slice's start, or None.
        end: the slice's end, or None.
        step: the slice's step (default 1).
    """
    need_tensor("slice_inverse", "src", 1, src)
    need_int("slice_inverse", "dim", 2, dim)
    if start is not None:
        need_int("slice_inverse", "start", 3, start)
    if end is not None:
        need_int("slice_inverse", "end", 4, end)
    need_int("slice_inverse", "step", 5, step)
    view = input.as_strided(tuple(src.shape), src.stride(), src.storage_offset())
    if view.grad_fn is None:
        return view
    return _core._named_node(view, "SliceInverseBackward0", view=True)


def _install() -> None:
    def method(self: Tensor, src: Tensor, dim: int = 0, start: int | None = None, end: int | None = None,
               step: int = 1) -> Tensor:
        return slice_inverse(self, src, dim, start, end, step)

    method.__name__ = method.__qualname__ = "slice_inverse"
    method.__doc__ = slice_inverse.__doc__
    Tensor.slice_inverse = method


_install()
