"""vmap refuses `.item()` and data-dependent control flow (`bool(t)`) in the mapped
function, as PyTorch does: its batched tensors have no single value. ferrograd runs the
samples one at a time, so the refusal covers calls made from the user's code (not from
ferrograd's own)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from .._core import Tensor

ITEM = (
    "vmap: It looks like you're calling .item() on a Tensor. We don't support vmap over "
    "calling .item() on a Tensor, please try to rewrite what you're doing with other "
    "operations. If error is occurring somewhere inside PyTorch internals, please file a "
    "bug report."
)
CONTROL_FLOW = (
    "vmap: It looks like you're attempting to use a Tensor in some data-dependent control "
    "flow. We don't support that yet, please file an issue at "
    "https://github.com/pytorch/pytorch/issues ."
)

_active = 0


def _called_from_user_code() -> bool:
    caller = sys._getframe(2).f_globals.get("__name__", "")
    return not (caller == "ferrograd" or caller.startswith("ferrograd."))


def vmap_active() -> bool:
    """Whether a `vmap`ped function is running."""
    return _active > 0


@contextlib.contextmanager
def refusing_data_access() -> Iterator[None]:
    """While active, `.item()` and `bool()` called from user code raise PyTorch's error."""
    global _active
    if _active:
        _active += 1
        try:
            yield
        finally:
            _active -= 1
        return
    item, as_bool = Tensor.item, Tensor.__bool__

    def refused_item(self):
        if _called_from_user_code():
            raise RuntimeError(ITEM)
        return item(self)

    def refused_bool(self):
        if _called_from_user_code():
            raise RuntimeError(CONTROL_FLOW)
        return as_bool(self)

    _active = 1
    Tensor.item, Tensor.__bool__ = refused_item, refused_bool
    try:
        yield
    finally:
        Tensor.item, Tensor.__bool__ = item, as_bool
        _active = 0
