"""The `value` of `addcmul`/`addcdiv` as PyTorch's parser takes it (a Number: a 0-dim
tensor that does not require grad gives its element, a complex needs a complex result),
and the `_saved_*` attributes of their nodes."""

from __future__ import annotations

import functools
from typing import Any

from ._argcheck import real_part_of
from ._core import Tensor, promote_types

_NUMBER = (int, float, bool, complex)


def addc_value(name: str, value: Any, input: Tensor, tensor1: Tensor, tensor2: Tensor) -> Any:
    if isinstance(value, Tensor):
        if value.dim() != 0 or value.requires_grad:
            raise TypeError(f"{name}(): argument 'value' must be Number, not Tensor")
        value = value.item()
    elif not isinstance(value, _NUMBER):
        raise TypeError(f"{name}(): argument 'value' must be Number, not {type(value).__name__}")
    if isinstance(value, complex):
        # converted to the dtype written into: the result's (the input's for the in-place forms)
        result = input.dtype if name.endswith("_") else promote_types(promote_types(input.dtype, tensor1.dtype),
                                                                      tensor2.dtype)
        real_part_of(value, result)
    return value


# which inputs' gradients (by position in the forward's arguments) need each factor
_NEEDED_FOR = {
    "AddcmulBackward0": {1: (2,), 2: (1,)},
    "AddcdivBackward0": {1: (2,), 2: (1, 2)},
}


def _saved_factor(node: Any, position: int) -> Tensor | None:
    needs = node.needs_input_grad
    if not any(needs[i] for i in _NEEDED_FOR[type(node).__name__][position]):
        return None
    return node.saved_tensors[position]


class _RawSavedFactor:
    """`grad_fn._raw_saved_tensor<n>`: the saved factor, unpacked on demand."""

    __slots__ = ("_node", "_position")

    def __init__(self, node: Any, position: int) -> None:
        self._node = node
        self._position = position

    def unpack(self) -> Tensor | None:
        return _saved_factor(self._node, self._position)

    @property
    def data(self) -> Tensor | None:
        return self.unpack()


_RawSavedFactor.__name__ = _RawSavedFactor.__qualname__ = "SavedTensor"
_RawSavedFactor.__module__ = "ferrograd._C._autograd"


def node_attrs() -> dict[str, Any]:
    """The `_saved_*` properties of the AddcmulBackward0/AddcdivBackward0 node classes."""
    attrs: dict[str, Any] = {"_saved_value": property(lambda node: node.value)}
    for position in (1, 2):
        attrs[f"_saved_tensor{position}"] = property(functools.partial(_saved_factor, position=position))
        attrs[f"_raw_saved_tensor{position}"] = property(functools.partial(_RawSavedFactor, position=position))
    return attrs
