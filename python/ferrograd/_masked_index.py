"""PyTorch's private masked gathers and scatters (`_unsafe_masked_index` and
`_unsafe_masked_index_put_accumulate`), which decompositions of padding and
interpolation use: indices are clamped into range, and where `mask` is False the
gather gives `fill` and the scatter adds nothing."""

from __future__ import annotations

from . import _core
from ._core import Tensor


def _clamped(self: Tensor, indices) -> tuple:
    return tuple(None if i is None else i.clamp(-self.shape[k], self.shape[k] - 1)
                 for k, i in enumerate(indices))


def _truth(mask: Tensor) -> Tensor:
    """`mask` as bools: PyTorch's kernels read any dtype, nonzero as True."""
    return mask if mask.dtype == _core.bool else mask != 0


def _named(t: Tensor, node: str) -> Tensor:
    return _core._named_node(t, node) if t.grad_fn is not None else t


def _unsafe_masked_index(self: Tensor, mask: Tensor, indices, fill) -> Tensor:
    """`self[indices]` (indices clamped into range) where `mask` holds, `fill` elsewhere.

    Args:
        self: the tensor to read.
        mask: a bool tensor broadcast against the gathered values.
        indices: one index tensor (or None) per leading dim of `self`.
        fill: the value where `mask` is False.
    """
    from ._creation import full

    mask, fill = _truth(mask), full((), fill, dtype=self.dtype)
    if self.numel() == 0 and all(i is not None for i in indices):
        # nothing to read: every index counts as masked out
        from ._tensor_api import broadcast_shapes

        shape = (*broadcast_shapes(*(i.shape for i in indices)), *self.shape[len(indices):])
        return fill.expand(*broadcast_shapes(shape, mask.shape)).clone()
    gathered = self[_clamped(self, indices)]
    return _named(gathered.where(mask, fill), "UnsafeMaskedIndexBackward0")


def _unsafe_masked_index_put_accumulate(self: Tensor, mask: Tensor, indices, values: Tensor) -> Tensor:
    """`self` with `values` added at `indices` (clamped into range) where `mask` holds.

    Args:
        self: the tensor added into (not modified).
        mask: a bool tensor broadcast against `values`.
        indices: one index tensor (or None) per leading dim of `self`.
        values: the values to add.
    """
    from ._creation import zeros_like

    if self.numel() == 0:
        return self.clone()
    kept = values.where(_truth(mask), zeros_like(values))
    result = self.index_put(_clamped(self, indices), kept, accumulate=True)
    return _named(result, "UnsafeMaskedIndexPutAccumulateBackward0")
