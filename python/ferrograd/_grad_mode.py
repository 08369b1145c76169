"""Grad-mode context managers and decorators. Switching happens in Rust, so a
KeyboardInterrupt cannot leave tracking switched off."""

from __future__ import annotations

import functools
import inspect
import sys
import warnings

from ._core import _GradModeContext


def _wrap_generator(mode, func):
    """Run every step of the generator ``func`` makes under a fresh copy of
    ``mode`` (PyTorch does the same: the mode holds while the generator runs,
    not while the caller consumes its values)."""

    @functools.wraps(func)
    def generator_wrapper(*args, **kwargs):
        gen = func(*args, **kwargs)
        try:
            with mode.clone():
                response = gen.send(None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:
                    with mode.clone():
                        gen.close()
                    raise
                except BaseException:  # noqa: BLE001 - passed on into the generator
                    with mode.clone():
                        response = gen.throw(sys.exception())
                else:
                    with mode.clone():
                        response = gen.send(request)
        except StopIteration as stop:
            return stop.value

    return generator_wrapper


class _DecoratorContext(_GradModeContext):
    def __call__(self, func):
        mode = self
        if inspect.isclass(func):
            warnings.warn(
                "Decorating classes is deprecated and will be disabled in future "
                "versions. You should only decorate functions or methods. To preserve "
                "the current behavior of class decoration, you can directly decorate "
                "the `__init__` method and nothing else.",
                FutureWarning,
                stacklevel=2,
            )
            cls = func

            def func(*args, **kwargs):
                return cls(*args, **kwargs)

        if inspect.isgeneratorfunction(func):
            return _wrap_generator(mode, func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with mode.clone():
                return func(*args, **kwargs)

        return wrapper

    def clone(self):
        """A new context manager of the same kind and setting."""
        return type(self)()


class _BareDecoratorContext(_DecoratorContext):
    """A mode usable as ``@mode``, ``@mode()`` or ``with mode():``, setting grad mode
    to ``_enabled``."""

    _enabled: bool

    def __new__(cls, orig_func=None):
        if orig_func is not None:
            return cls()(orig_func)
        return super().__new__(cls, cls._enabled)

    def __init__(self, orig_func=None) -> None:
        pass


class no_grad(_BareDecoratorContext):
    """Disables gradient recording inside the block (also a decorator, with or
    without parentheses).

    Args:
        orig_func: the function being decorated when used as ``@no_grad`` (without
            parentheses); None otherwise.
    """

    _enabled = False

    def __init__(self) -> None:
        self.prev = False  # as PyTorch's: the grad mode the latest `with` found

    def __enter__(self):
        from . import _core

        self.prev = _core.is_grad_enabled()
        return super().__enter__()


class enable_grad(_BareDecoratorContext):
    """Enables gradient recording inside the block (also a decorator, with or
    without parentheses).

    Args:
        orig_func: the function being decorated when used as ``@enable_grad`` (without
            parentheses); None otherwise.
    """

    _enabled = True


class set_grad_enabled(_DecoratorContext):
    """Sets grad mode; works as a function, a context manager and a decorator."""

    _NO_MODE = object()

    def __new__(cls, mode: bool = _NO_MODE):
        from . import _core

        if mode is cls._NO_MODE:  # PyTorch's class takes the mode in `__init__`
            raise TypeError("set_grad_enabled.__init__() missing 1 required positional argument: 'mode'")
        if not isinstance(mode, bool):
            raise TypeError(
                "set_grad_enabled(): argument 'enabled' (position 1) must be bool, not "
                f"{type(mode).__name__}"
            )
        self = super().__new__(cls, mode)
        self.prev = _core._set_grad_enabled(bool(mode))
        self.mode = bool(mode)
        return self

    def __init__(self, mode: bool = _NO_MODE) -> None:
        pass

    def __call__(self, func):
        from . import _core

        # Used as a decorator, the mode applies inside the function only.
        _core._set_grad_enabled(self.prev)
        return super().__call__(func)

    def __enter__(self):
        super().__enter__()

    def __exit__(self, *exc):
        from . import _core

        super().__exit__(*exc)
        _core._set_grad_enabled(self.prev)
        return False

    def __repr__(self) -> str:
        return f"ferrograd.autograd.grad_mode.set_grad_enabled(mode={self.mode})"

    def clone(self):
        """A new context manager of the same kind and setting; like any
        `set_grad_enabled(mode)` call, making it sets grad mode (as PyTorch's does)."""
        return set_grad_enabled(self.mode)


class inference_mode(_DecoratorContext):
    """Disables gradient recording (ferrograd's inference mode is no_grad)."""

    def __new__(cls, mode: bool = True):
        if not isinstance(mode, bool):
            return cls()(mode)  # used as a bare decorator: ``@inference_mode`` (None too, as PyTorch's)
        self = super().__new__(cls, not mode, bool(mode))
        self.mode = bool(mode)
        return self

    def __init__(self, mode: bool = True) -> None:
        pass

    def clone(self):
        """A new context manager of the same kind and setting."""
        return inference_mode(self.mode)


for _cls in (no_grad, enable_grad, set_grad_enabled, inference_mode):
    _cls.__module__ = "ferrograd.autograd.grad_mode"
