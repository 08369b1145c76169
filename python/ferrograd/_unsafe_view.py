"""PyTorch's `_unsafe_view`: a reshape that composite ops (kron, einsum) record as one
`UnsafeViewBackward0` node over its input, and whose result is not a view of it."""

from __future__ import annotations

from functools import partial

from . import _core
from ._core import Tensor


def _backward(shape: tuple, grads, saved, needs):
    return (grads[0].reshape(shape),)


def unsafe_view(t: Tensor, shape: tuple) -> Tensor:
    """`t` reshaped to `shape`; when the op is recorded, a fresh tensor (not a view of
    `t`) whose node is PyTorch's `UnsafeViewBackward0`."""
    if not (t.requires_grad and _core.is_grad_enabled()):
        return t.reshape(shape)
    from ._grad_mode import no_grad
    from .nn._composite_nodes import record

    with no_grad():
        out = t.reshape(shape).clone()
    return record("UnsafeViewBackward0", (t,), out, (), partial(_backward, tuple(t.shape)),
                  {"self_sym_sizes": tuple(t.shape)})
