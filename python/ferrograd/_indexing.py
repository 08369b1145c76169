"""Advanced indexing (integer tensors or lists, boolean masks), with gradients.

NumPy works out which elements an index picks, on an array of element positions; the
core then gathers (`take`, `IndexBackward0`) or scatters (`put_`, `IndexPutBackward0`)
those positions, so the result is differentiable."""

from __future__ import annotations

import numpy as np

from . import _core
from ._core import Tensor


def _np_index(idx):
    if isinstance(idx, Tensor):
        if idx.dtype.is_floating_point:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return idx.detach().numpy()
    if isinstance(idx, tuple):
        return tuple(_np_index(i) for i in idx)
    if isinstance(idx, list):
        return np.asarray([_np_index(i) for i in idx]) if idx and isinstance(idx[0], Tensor) else idx
    return idx


def _positions(t: Tensor, idx) -> np.ndarray:
    shape = tuple(t.shape)
    pos = np.arange(t.numel(), dtype=np.int64).reshape(shape)
    try:
        out = pos[_np_index(idx)]
    except IndexError as e:
        msg = str(e).replace("axis", "dimension")
        raise IndexError(msg) from None
    return np.ascontiguousarray(out, dtype=np.int64)


def _as_positions_tensor(pos: np.ndarray) -> Tensor:
    from ._creation import tensor

    return tensor(pos)


def advanced_getitem(t: Tensor, idx) -> Tensor:
    """`t[idx]` where idx holds tensors, lists or masks."""
    return _core._take(t, _as_positions_tensor(_positions(t, idx)))


def advanced_setitem(t: Tensor, idx, value) -> None:
    """`t[idx] = value` where idx holds tensors, lists or masks."""
    _core._put(t, _as_positions_tensor(_positions(t, idx)), value)
