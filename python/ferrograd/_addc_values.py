"""The `value` of `addcmul`/`addcdiv` as PyTorch's parser takes it (a Number: a 0-dim
tensor that does not require grad gives its element, a complex needs a complex result),
and the `_saved_*` attributes of their nodes."""

from __future__ import annotations

import functools
from typing import Any

from ._argcheck import checked_integer, real_part_of
from ._core import Tensor, bfloat16, float16, float32
from ._core import bool as bool_

_NUMBER = (int, float, bool, complex)


def addc_number(name: str, value: Any) -> Any:
    """`value` as PyTorch's parser takes it: a Number, or a 0-dim tensor that does not
    require grad (its element)."""
    if isinstance(value, Tensor):
        if value.dim() != 0 or value.requires_grad:
            raise TypeError(f"{name}(): argument 'value' must be Number, not Tensor")
        return value.item()
    if not isinstance(value, _NUMBER):
        raise TypeError(f"{name}(): argument 'value' must be Number, not {type(value).__name__}")
    return value


def addc_converted(value: Any, common: Any) -> Any:
    """`value` converted as the kernel converts it for the operands' common dtype: to
    the integer dtype itself, to float32 for float16/bfloat16 (the type it computes in)."""
    if common in (float16, bfloat16):
        common = float32
    value = real_part_of(value, common)
    if isinstance(value, (int, float)) and not (common.is_floating_point or common.is_complex or common == bool_):
        value = checked_integer(value, common)
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
