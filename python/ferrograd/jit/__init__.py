"""`ferrograd.jit` (PyTorch's `torch.jit`): TorchScript is not available, so `script`
and `trace` return the function or module itself, which runs eagerly with the same
results; the decorators (`ignore`, `unused`, `export`) leave functions unchanged."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, Final

__all__ = ["Final", "annotate", "export", "fork", "ignore", "is_scripting", "is_tracing", "script",
           "trace", "trace_module", "unused", "wait"]


def fork(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Runs `func(*args, **kwargs)` and returns a completed `ferrograd.futures.Future`
    holding its result (PyTorch's eager `fork` also runs the call at once; only
    TorchScript runs it asynchronously).

    Args:
        func: the callable to run.
        args: its positional arguments.
        kwargs: its keyword arguments.
    """
    from ..futures import Future

    future: Future = Future()
    future.set_result(func(*args, **kwargs))
    return future


def wait(future: Any) -> Any:
    """The result of a `fork`ed call (its `Future`'s value, waited for).

    Args:
        future: the `Future` that `fork` returned.
    """
    return future.wait()


def script(obj: Any, optimize: Any = None, _frames_up: int = 0, _rcb: Any = None,
           example_inputs: Any = None) -> Any:
    """`obj` itself: a function or module that runs eagerly (PyTorch compiles it to
    TorchScript; `torch.jit.script` is deprecated there).

    Args:
        obj: the function, module or class.
        optimize: accepted for PyTorch compatibility; ignored.
        _frames_up: accepted for PyTorch compatibility; ignored.
        _rcb: accepted for PyTorch compatibility; ignored.
        example_inputs: accepted for PyTorch compatibility; ignored.
    """
    del optimize, _frames_up, _rcb, example_inputs
    warnings.warn("`torch.jit.script` is deprecated. Please switch to `torch.compile` or "
                  "`torch.export`.", DeprecationWarning, stacklevel=2)
    return obj


def trace(func: Any, example_inputs: Any = None, optimize: Any = None, check_trace: bool = True,
          check_inputs: Any = None, check_tolerance: float = 1e-5, strict: bool = True,
          _force_outplace: bool = False, _module_class: Any = None, _compilation_unit: Any = None,
          example_kwarg_inputs: Any = None, _store_inputs: bool = True) -> Any:
    """`func` itself, after checking that it runs on `example_inputs` (PyTorch records
    the ops of that run).

    Args:
        func: the function or module.
        example_inputs: a tensor or a tuple of arguments to run `func` on once.
        optimize: accepted for PyTorch compatibility; ignored.
        check_trace: accepted for PyTorch compatibility; ignored.
        check_inputs: accepted for PyTorch compatibility; ignored.
        check_tolerance: accepted for PyTorch compatibility; ignored.
        strict: accepted for PyTorch compatibility; ignored.
        _force_outplace: accepted for PyTorch compatibility; ignored.
        _module_class: accepted for PyTorch compatibility; ignored.
        _compilation_unit: accepted for PyTorch compatibility; ignored.
        example_kwarg_inputs: keyword arguments for the example run.
        _store_inputs: accepted for PyTorch compatibility; ignored.
    """
    del optimize, check_trace, check_inputs, check_tolerance, strict, _force_outplace
    del _module_class, _compilation_unit, _store_inputs
    warnings.warn("`torch.jit.trace` is deprecated. Please switch to `torch.compile` or "
                  "`torch.export`.", DeprecationWarning, stacklevel=2)
    if example_inputs is not None or example_kwarg_inputs is not None:
        args = example_inputs if isinstance(example_inputs, tuple) else (
            () if example_inputs is None else (example_inputs,))
        func(*args, **(example_kwarg_inputs or {}))
    return func


def trace_module(mod: Any, inputs: dict, **kwargs: Any) -> Any:
    """`mod` itself, after running each named method on its example inputs.

    Args:
        mod: the module.
        inputs: method name -> example arguments (a tensor or a tuple).
        kwargs: the other keywords of `trace`, ignored.
    """
    del kwargs
    for name, args in inputs.items():
        getattr(mod, name)(*(args if isinstance(args, tuple) else (args,)))
    return mod


def ignore(drop: Any = False, **kwargs: Any) -> Any:
    """Decorator leaving a function to Python (it always is): returns it unchanged.

    Args:
        drop: the function (bare decorator use) or the legacy `drop` flag.
        kwargs: accepted for PyTorch compatibility; ignored.
    """
    del kwargs
    if callable(drop):
        return drop
    return lambda fn: fn


def unused(fn: Callable) -> Callable:
    """Decorator marking a function unused by the compiler: returns it unchanged.

    Args:
        fn: the function.
    """
    return fn


def export(fn: Callable) -> Callable:
    """Decorator marking a method as a compilation entry point: returns it unchanged.

    Args:
        fn: the method.
    """
    return fn


def annotate(the_type: Any, the_value: Any) -> Any:
    """`the_value` (a type hint for the compiler).

    Args:
        the_type: the type, ignored.
        the_value: the value returned.
    """
    del the_type
    return the_value


def is_scripting() -> bool:
    """Whether code runs under TorchScript: always False."""
    return False


def is_tracing() -> bool:
    """Whether code runs under the tracer: always False."""
    return False


