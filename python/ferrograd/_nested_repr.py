"""How nested tensors print: the strided layout as `nested_tensor([...])` with each
component's repr, the jagged one as `NestedTensor(size=(2, j1, 3), offsets=...)`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._memory_format import strided

if TYPE_CHECKING:
    from ._nested import NestedTensor

__all__ = ["jagged_repr", "strided_repr"]


def _grad_suffix(nt: NestedTensor) -> str:
    if nt.grad_fn is not None:
        return f", grad_fn=<{type(nt.grad_fn).__name__}>" if nt.layout is strided else f", grad_fn={nt.grad_fn}"
    return ", requires_grad=True" if nt.requires_grad else ""


def strided_repr(nt: NestedTensor) -> str:
    rows = []
    for c in nt.unbind():
        text = repr(c.detach())
        if nt.requires_grad:
            text = text[:-1] + ", requires_grad=True)"
        rows.append("  " + text.replace("\n", "\n  "))
    return "nested_tensor([\n" + ",\n".join(rows) + "\n]" + _grad_suffix(nt) + ")"


def jagged_repr(nt: NestedTensor) -> str:
    return (f"NestedTensor(size={nt._size_text()}, offsets={nt._fg_offsets!r}{_grad_suffix(nt)}, "
            f"contiguous={nt.is_contiguous()})")
