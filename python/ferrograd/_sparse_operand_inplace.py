"""A dense tensor's in-place add/sub/mul with a sparse operand (`dense.add_(sparse)`),
which PyTorch writes into the dense tensor. The core refuses the sparse tensor's empty
stand-in; once it did, the operand is densified and the call made again."""

from __future__ import annotations

from typing import Any

# the in-place methods PyTorch runs with a sparse COO operand; a CSR one only for add_
_COO_OPERAND = frozenset({"add_", "sub_", "subtract_", "mul_", "multiply_"})


def _layout(value: Any) -> str | None:
    if getattr(type(value), "_fg_compressed", False):
        return "csr" if type(value).__name__ == "SparseCsrTensor" else "compressed"
    if "_fg_indices" in getattr(value, "__dict__", {}):
        return "coo"
    return None


def retried(name: str, self: Any, args: tuple, kwargs: dict) -> Any:
    """`self.<name>(dense operand, ...)` where the call had a sparse operand PyTorch takes
    there (of `self`'s shape); None for any other call."""
    if name not in _COO_OPERAND or not args or _layout(self) is not None:
        return None
    other = args[0]
    layout = _layout(other)
    if layout is None or (layout != "coo" and name != "add_") or tuple(other.shape) != tuple(self.shape):
        return None
    return getattr(self, name)(other.to_dense(), *args[1:], **kwargs)
