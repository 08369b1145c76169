"""Indexing with tensors or lists (advanced indexing). Reading works for tensors that
do not require grad; the differentiable version comes with the ops issue."""

from __future__ import annotations

import numpy as np


def _np_index(idx):
    from ._core import Tensor

    if isinstance(idx, Tensor):
        return idx.numpy()
    if isinstance(idx, tuple):
        return tuple(_np_index(i) for i in idx)
    return idx


def advanced_getitem(t, idx):
    """`t[idx]` where idx holds tensors, lists or masks."""
    from ._creation import tensor

    if t.requires_grad:
        raise NotImplementedError(
            "indexing with tensors or lists on a tensor that requires grad is not supported yet"
        )
    values = t.numpy()
    try:
        out = values[_np_index(idx)]
    except IndexError as e:
        raise IndexError(str(e)) from None
    return tensor(np.asarray(out))


def advanced_setitem(t, idx, value):
    """`t[idx] = value` where idx holds tensors, lists or masks."""
    from ._core import Tensor
    from ._creation import tensor

    if t.requires_grad:
        raise NotImplementedError(
            "index assignment with tensors or lists on a tensor that requires grad is not supported yet"
        )
    values = t.numpy()
    values[_np_index(idx)] = value.numpy() if isinstance(value, Tensor) else value
    t.copy_(tensor(values))
