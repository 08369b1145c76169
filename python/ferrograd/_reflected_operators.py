"""The reflected operators PyTorch writes in Python (`Tensor.__rsub__`, `__rpow__`,
`__rmod__`, `__rmatmul__`, `__rfloordiv__`): called unbound on something that is no
tensor (`Tensor.__rpow__(2, t)`) they run their function on the arguments as given, and
answer NotImplemented where it raises TypeError, where the core's slot methods would
refuse the receiver."""

from __future__ import annotations

from collections.abc import Callable

from ._core import Tensor

# name -> the function PyTorch's method calls, of (self, other)
_WRITTEN_IN_PYTHON: dict[str, Callable] = {
    "__rsub__": lambda self, other: _top().rsub(self, other),
    "__rpow__": lambda self, other: _top().pow(other, self),
    "__rmod__": lambda self, other: _top().remainder(other, self),
    "__rmatmul__": lambda self, other: _top().matmul(other, self),
    "__rfloordiv__": lambda self, other: _top().floor_divide(other, self),
}


def _top():
    import ferrograd

    return ferrograd


def _receiver_checked(name: str, slot: Callable, function: Callable) -> Callable:
    def unbound_call(self, other):
        try:
            return function(self, other)
        except TypeError:
            return NotImplemented

    def operator(self, other, /):
        return slot(self, other) if isinstance(self, Tensor) else unbound_call(self, other)

    def ternary_operator(self, other, mod=None, /):  # `__rpow__`, as the core's slot
        return slot(self, other, mod) if isinstance(self, Tensor) else unbound_call(self, other)

    chosen = ternary_operator if name == "__rpow__" else operator
    chosen.__name__, chosen.__qualname__ = name, f"Tensor.{name}"
    # still the core's operator to the subclass and mode machinery
    chosen._fg_core_slot = True
    return chosen


def install() -> None:
    for name, function in _WRITTEN_IN_PYTHON.items():
        slot = vars(Tensor).get(name)
        if type(slot).__name__ == "wrapper_descriptor":  # the core's, not yet wrapped
            setattr(Tensor, name, _receiver_checked(name, slot, function))
