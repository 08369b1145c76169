"""`Tensor.__rsub__` and `Tensor.__rtruediv__` as PyTorch's Python methods.

pyo3 serves `__sub__` and `__rsub__` (and `__truediv__`/`__rtruediv__`) through one number
slot, whose method wrappers call it with the operands swapped: an explicit
`x.__rsub__(t)` with a tensor `t` ran `t - x` (`SubBackward0`) where PyTorch's `__rsub__`
is `rsub(x, t)` (`RsubBackward0`), and `x.__rtruediv__(t)` ran `t / x` (`DivBackward0`)
where PyTorch's is `x.reciprocal() * t` (`MulBackward0`). `y - x` with a number `y` keeps
the slot's reflected side."""

from __future__ import annotations

from . import _core
from ._core import Tensor

# the slot's reflected side: `other - self` for any `other` that is not a tensor
_slot_rsub = Tensor.__rsub__


def __rsub__(self: Tensor, other, /):
    if isinstance(other, Tensor):
        return _core._rsub(self, other, 1)
    return _slot_rsub(self, other)


def install() -> None:
    __rsub__.__qualname__ = "Tensor.__rsub__"
    Tensor.__rsub__ = __rsub__
    Tensor.__rtruediv__ = Tensor.__rdiv__  # PyTorch's `__rtruediv__ = __rdiv__`
