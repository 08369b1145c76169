"""The text of a MaskedTensor, as PyTorch prints it: every element `{:8.4f}` (floats) or
`str` (ints, bools), masked-out elements as `--` padded to the row's widest entry."""

from __future__ import annotations

from ..._core import Tensor

_FLOAT = "{0:8.4f}"


def _element(value) -> str:
    return _FLOAT.format(value) if isinstance(value, float) else str(value)


def _rows(data: Tensor, mask: Tensor) -> str:
    if data.dim() == 1:
        texts = [_element(v) for v in data.tolist()]
        kept = mask.tolist()
        width = max(len(t) if k else 8 for t, k in zip(texts, kept))
        return "[" + ", ".join(t if k else "--".rjust(width) for t, k in zip(texts, kept)) + "]"
    parts = [_rows(data[i], mask[i]) for i in range(data.shape[0])]
    parts = ["\n".join("  " + line for line in p.split("\n")) for p in parts]
    return "[\n" + ",\n".join(parts) + "\n]"


def masked_repr(data: Tensor, mask: Tensor) -> str:
    """`MaskedTensor(...)` for plain `data` and its bool `mask`."""
    if data.dim() == 0:
        kept = bool(mask.item())
        text = _element(data.item()) if kept else "--"
        return f"MaskedTensor({text}, {kept})"
    body = "\n".join("  " + line for line in _rows(data, mask).split("\n"))
    return "MaskedTensor(\n" + body + "\n)"
