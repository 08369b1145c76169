"""PyTorch's shape errors for elementwise operands, raised before any dtype check:
its TensorIterator computes the broadcast shape before it promotes dtypes or picks a
kernel, so operands that do not broadcast are a size mismatch whatever their dtypes."""

from __future__ import annotations

from typing import Any

from ._core import Tensor


def refuse_unbroadcastable(*operands: Any, out: Tensor | None = None) -> None:
    """PyTorch's RuntimeError when the tensors among `operands` do not broadcast, or
    when their broadcast shape is not the shape of `out`, the tensor an in-place op
    writes; nothing otherwise."""
    shapes = [tuple(t.shape) for t in operands if isinstance(t, Tensor)]
    first = shapes[0] if out is None and shapes else tuple(out.shape) if out is not None else ()
    if all(s == first for s in shapes):
        return
    from ._shape import _broadcast_shape

    shape = list(_broadcast_shape(shapes))
    if out is not None and shape != list(out.shape):
        raise RuntimeError(f"output with shape {list(out.shape)} doesn't match the broadcast shape {shape}")


# ops whose refusal of complex operands PyTorch checks before their shapes
_COMPLEX_FIRST = frozenset({"fmax", "fmin"})


def refuse_unbroadcastable_for(name: str, *operands: Any, out: Tensor | None = None) -> None:
    """`refuse_unbroadcastable` for the binary op `name`, unless the op refuses a
    complex operand first (the core's refusal then stands)."""
    if name in _COMPLEX_FIRST and any(isinstance(t, Tensor) and t.dtype.is_complex for t in operands):
        return
    refuse_unbroadcastable(*operands, out=out)
