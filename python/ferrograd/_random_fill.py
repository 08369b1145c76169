"""Writing freshly drawn values into a tensor in place, as PyTorch's random in-place ops
(`uniform_`, `exponential_`, ...) do under autograd: a leaf that requires grad refuses,
and a tensor with history gets the op's own node (`UniformBackward0`, ...), whose
gradient is zero."""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._grad_mode import no_grad


def refuse_grad_leaf(self: Tensor) -> None:
    """PyTorch's error for an in-place op on a leaf that requires grad, raised before
    anything is drawn (so the generator does not move)."""
    if _core.is_grad_enabled() and self.requires_grad and self.is_leaf:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")


def fill_drawn(self: Tensor, values: Tensor, op: str, node: str) -> Tensor:
    """Writes `values` into `self` as the random in-place op `op` (node `node`); returns
    `self`."""
    if not (_core.is_grad_enabled() and self.requires_grad):
        with no_grad():
            self.copy_(values)
        return self
    from ._creation import ones

    drawn = values.to(self.dtype).detach()
    keep = ones(tuple(self.shape), dtype=_core.bool)

    def named(stand_in: Tensor) -> Tensor:
        # where() passes no gradient to the unselected stand-in: PyTorch's zeros_like(grad)
        return _core._named_node(drawn.where(keep, stand_in), node)

    return _core._inplace_call(op, self, False, named)


def memory_order(t: Tensor) -> tuple[Tensor, list[int]]:
    """`t` with its dimensions permuted outermost-in-memory first, and the permutation
    that undoes it: PyTorch's kernels walk a strided tensor in memory order, so a
    transposed tensor receives its draws column by column."""
    order = memory_dims(t)
    if order == sorted(order):
        return t, order
    undo = [order.index(d) for d in range(t.dim())]
    return t.permute(order), undo


def memory_dims(t: Tensor) -> list[int]:
    """`t`'s dimensions, outermost in memory first (in order for a contiguous tensor)."""
    if t.is_contiguous():
        return list(range(t.dim()))
    return sorted(range(t.dim()), key=lambda d: -t.stride(d) if t.shape[d] != 1 else 0)


def in_memory_order(self: Tensor, values: Tensor) -> Tensor:
    """`values`, drawn one after another (their row-major order), placed so that the k-th
    draw lands on the k-th element of `self` in memory, as PyTorch's kernels write them."""
    ordered, undo = memory_order(self)
    return values.reshape(tuple(ordered.shape)).permute(undo)
def drawn_in_memory_order(t: Tensor, draw) -> Tensor:
    """`draw(shape)` (fresh row-major draws) laid out as `t` is: the k-th draw lands on
    `t`'s k-th element in memory, as in PyTorch's noise made by `empty_like(t)`, which
    keeps the strides of a dense tensor only (an expanded one gets row-major noise)."""
    ordered, undo = memory_order(t)
    if not _dense(ordered):
        return draw(list(t.shape))
    return draw(list(ordered.shape)).permute(undo)


def _dense(t: Tensor) -> bool:
    """Whether `t`'s elements fill their memory without gaps or overlap, in row-major order."""
    expected = 1
    for size, stride in zip(reversed(t.shape), reversed(t.stride()), strict=True):
        if size != 1:
            if stride != expected:
                return False
            expected *= size
    return True


def fill_drawn_in_memory_order(self: Tensor, values: Tensor, op: str, node: str) -> Tensor:
    """`fill_drawn` of values drawn one per element in draw order: the k-th draw lands on
    the k-th element of `self` in memory order, as PyTorch's kernels write a transposed
    tensor."""
    ordered, undo = memory_order(self)
    return fill_drawn(self, values.reshape(tuple(ordered.shape)).permute(undo), op, node)


def fill_by(self: Tensor, draw, op: str, node: str) -> Tensor:
    """`draw(t)` fills `t` in place: run on `self` itself when no history is recorded,
    else on a detached copy written back as `op`."""
    refuse_grad_leaf(self)
    if not (_core.is_grad_enabled() and self.requires_grad):
        with no_grad():
            draw(memory_order(self)[0])
        return self
    ordered, undo = memory_order(self.detach())
    scratch = ordered.clone()
    with no_grad():
        draw(scratch)
    return fill_drawn(self, scratch.permute(undo), op, node)
