"""`ferrograd.compiler` (PyTorch's `torch.compiler`): ferrograd runs eagerly, so
`compile` returns the function or module itself and nothing is ever being compiled."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["compile", "disable", "is_compiling", "is_dynamo_compiling", "is_exporting",
           "reset"]


def compile(model: Any = None, *, fullgraph: bool = False, dynamic: bool | None = None,
            backend: Any = "inductor", mode: str | None = None, options: dict | None = None,
            disable: bool = False, **kwargs: Any) -> Any:
    """`model` itself (eager execution: same results, same parameters and state dict);
    without `model`, a decorator doing the same. Defined at the top level as
    `ferrograd.compile`.

    Args:
        model: the function or module to compile; None returns a decorator.
        fullgraph: accepted for PyTorch compatibility; ignored.
        dynamic: accepted for PyTorch compatibility; ignored.
        backend: accepted for PyTorch compatibility; ignored.
        mode: accepted for PyTorch compatibility; ignored.
        options: accepted for PyTorch compatibility; ignored.
        disable: accepted for PyTorch compatibility (nothing is compiled either way).
        kwargs: other keywords of PyTorch's (`name`, `recompile_limit`, ...), ignored.
    """
    del fullgraph, dynamic, backend, mode, options, disable, kwargs
    if model is None:
        return lambda fn: fn
    if not callable(model):
        raise AssertionError(  # noqa: TRY004 (PyTorch's type)
            f"A callable function is expected, but {type(model)} is provided.")
    return model


def disable(fn: Callable | None = None, recursive: bool = True, *, reason: str | None = None) -> Any:
    """Marks `fn` as not to be compiled: returns it unchanged (or, without `fn`, a
    decorator that does).

    Args:
        fn: the function.
        recursive: accepted for PyTorch compatibility; ignored.
        reason: accepted for PyTorch compatibility; ignored.
    """
    del recursive, reason
    return (lambda f: f) if fn is None else fn


def is_compiling() -> bool:
    """Whether code is being traced by the compiler: always False."""
    return False


def is_dynamo_compiling() -> bool:
    """Whether code is being traced by TorchDynamo: always False."""
    return False


def is_exporting() -> bool:
    """Whether code is being exported: always False."""
    return False


def reset() -> None:
    """Clears the compiler's caches (there are none)."""
