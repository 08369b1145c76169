"""`_core._activation` with PyTorch's Scalar parsing of its parameters: a 0-dim tensor
counts as the number it holds (`F.elu(x, torch.tensor(1.5))`); any other tensor is left
for the core to refuse with its TypeError."""

from __future__ import annotations

from . import _core
from ._core import Tensor


def scalar_params(args: list) -> list:
    return [a.item() if isinstance(a, Tensor) and a.dim() == 0 else a for a in args]


def activation_node(input: Tensor, kind: str, args: list, inplace_op: str | None = None) -> Tensor:
    """`kind(input, *args)` as one node; written into `input` as `inplace_op` when given."""
    if inplace_op is None:
        return _core._activation(input, kind, scalar_params(args))
    return _core._activation(input, kind, scalar_params(args), inplace_op)
