"""Grad-mode context managers and decorators. Switching happens in Rust, so a
KeyboardInterrupt cannot leave tracking switched off."""

from __future__ import annotations

import functools

from ._core import _GradModeContext


class _DecoratorContext(_GradModeContext):
    def __call__(self, func):
        mode = self

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with mode.clone():
                return func(*args, **kwargs)

        return wrapper

    def clone(self):
        """A new context manager of the same kind and setting."""
        return type(self)()


class no_grad(_DecoratorContext):
    """Disables gradient recording inside the block (also a decorator)."""

    def __new__(cls, *args, **kwargs):
        return super().__new__(cls, False)

    def __init__(self) -> None:
        pass


class enable_grad(_DecoratorContext):
    """Enables gradient recording inside the block (also a decorator)."""

    def __new__(cls, *args, **kwargs):
        return super().__new__(cls, True)

    def __init__(self) -> None:
        pass


class set_grad_enabled(_DecoratorContext):
    """Sets grad mode; works as a function, a context manager and a decorator."""

    def __new__(cls, mode: bool = True):
        from . import _core

        self = super().__new__(cls, bool(mode))
        self._prev = _core._set_grad_enabled(bool(mode))
        self._mode = bool(mode)
        return self

    def __init__(self, mode: bool = True) -> None:
        pass

    def __call__(self, func):
        from . import _core

        # Used as a decorator, the mode applies inside the function only.
        _core._set_grad_enabled(self._prev)
        return super().__call__(func)

    def __enter__(self):
        super().__enter__()

    def __exit__(self, *exc):
        from . import _core

        super().__exit__(*exc)
        _core._set_grad_enabled(self._prev)
        return False

    def __repr__(self) -> str:
        return f"ferrograd.autograd.grad_mode.set_grad_enabled(mode={self._mode})"

    def clone(self):
        """A new context manager of the same kind and setting."""
        from . import _core

        c = set_grad_enabled(self._mode)
        _core._set_grad_enabled(self._prev)
        return c


class inference_mode(_DecoratorContext):
    """Disables gradient recording (ferrograd's inference mode is no_grad)."""

    def __new__(cls, mode: bool = True):
        self = super().__new__(cls, not mode, bool(mode))
        self._mode = bool(mode)
        return self

    def __init__(self, mode: bool = True) -> None:
        pass

    def clone(self):
        """A new context manager of the same kind and setting."""
        return inference_mode(self._mode)


for _cls in (no_grad, enable_grad, set_grad_enabled, inference_mode):
    _cls.__module__ = "ferrograd.autograd.grad_mode"
