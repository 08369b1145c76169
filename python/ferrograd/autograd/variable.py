"""`Variable` (PyTorch's legacy name for a tensor that records gradients) and the
engine flags code reads (`set_multithreading_enabled`, `is_view_replay_enabled`)."""

from __future__ import annotations

import functools
import operator
import warnings
from collections.abc import Callable
from typing import Any

from .._core import Tensor

__all__ = ["Variable", "is_multithreading_enabled", "is_view_replay_enabled",
           "set_multithreading_enabled"]


class _VariableMeta(type):
    def __instancecheck__(cls, other: Any) -> bool:
        return isinstance(other, Tensor)


class _ImperativeEngine:
    """The object PyTorch keeps as `Variable._execution_engine`: code reaches the running
    backward pass through it."""

    def queue_callback(self, callback: Callable[[], None]) -> None:
        """Runs `callback` once the backward pass running now has finished.

        Args:
            callback: a function of no arguments.
        """
        from .. import _after_backward

        if not _after_backward.in_backward():
            raise RuntimeError("Final callbacks can only be installed during backward pass.")
        _after_backward.queue().append(callback)

    def is_checkpoint_valid(self) -> bool:
        """False inside a backward pass started by `autograd.grad` or `backward(inputs=...)`,
        where a reentrant checkpoint cannot rerun its function."""
        from .. import _after_backward

        return _after_backward.is_checkpoint_valid()


class Variable(metaclass=_VariableMeta):
    """`Variable(data, requires_grad=False)`: a new leaf tensor sharing `data`'s values
    (every tensor is a Variable: `isinstance(t, Variable)` holds).

    Args:
        data: the tensor (None gives an empty float tensor).
        requires_grad: whether the new tensor records gradients (default False).
        volatile: removed in PyTorch (warns, has no effect).
    """

    _execution_engine = _ImperativeEngine()

    def __new__(cls, data: Any = None, requires_grad: bool = False, volatile: bool = False) -> Any:
        from .._creation import tensor

        requires_grad, volatile = _byte_flag(requires_grad), _byte_flag(volatile)
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` "
                          "instead.", UserWarning, stacklevel=2)
        if volatile and requires_grad:
            raise ValueError("Variable can't be volatile and require_grad at the same time!")
        if data is None:
            data = tensor([])
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        from .._creation import _finish

        return _finish(data.detach(), bool(requires_grad))


def _byte_flag(value: Any) -> bool:
    """A flag as PyTorch's C `Variable` parses it: an unsigned byte (`PyArg` "b") taken
    from anything with `__index__`, a one-element integer tensor included."""
    if isinstance(value, Tensor):
        if value.numel() != 1 or value.dtype.is_floating_point or value.dtype.is_complex:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        value = int(value.item())
    if not hasattr(type(value), "__index__"):
        kind = type(value)
        name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
        raise TypeError(f"'{name}' object cannot be interpreted as an integer")
    number = operator.index(value)
    if not -(2**63) <= number < 2**63:
        raise OverflowError("Python int too large to convert to C long")
    if number < 0:
        raise OverflowError("unsigned byte integer is less than minimum")
    if number > 255:
        raise OverflowError("unsigned byte integer is greater than maximum")
    return bool(number)


_MULTITHREADING = [True]


def is_multithreading_enabled() -> bool:
    """Whether the backward pass may run on several threads (a setting read by code;
    ferrograd's backward runs on the calling thread either way)."""
    return _MULTITHREADING[0]


class set_multithreading_enabled:
    """Sets `is_multithreading_enabled()`: as a call, a context manager (restoring the
    previous setting on exit) or a decorator.

    Args:
        mode: the new setting.
    """

    def __init__(self, mode: bool) -> None:
        self.prev = _MULTITHREADING[0]
        self.mode = bool(mode)
        _MULTITHREADING[0] = self.mode

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        _MULTITHREADING[0] = self.prev

    def __call__(self, func: Callable) -> Callable:
        mode = self.mode
        _MULTITHREADING[0] = self.prev

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_multithreading_enabled(mode):
                return func(*args, **kwargs)

        return wrapper

    def clone(self) -> set_multithreading_enabled:
        """A new context manager with the same setting."""
        return set_multithreading_enabled(self.mode)


def is_view_replay_enabled() -> bool:
    """Whether views are replayed instead of taking `as_strided` in backward: False, as
    in PyTorch by default."""
    return False
