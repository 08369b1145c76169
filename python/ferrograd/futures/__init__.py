"""`ferrograd.futures`: PyTorch's `Future`, a value that arrives later, with callbacks.

A future completes once, by `set_result` or `set_exception`; `wait` blocks until then.
Callbacks run in the thread that completes it (at once if it already has). A `then`
callback that raises leaves its future failed with PyTorch's RuntimeError ("Got the
following error when running the callback: ..."), while `set_exception` stores the
exception itself, which `wait` and `value` raise as it is.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from .._device import device as _device

__all__ = ["Future", "collect_all", "wait_all"]

T = TypeVar("T")
S = TypeVar("S")

_COMPLETED_TWICE = ("Attempting to mark a completed Future as complete again. "
                    "Note that a Future can only be marked completed once.")


def _callback_error(error: BaseException) -> RuntimeError:
    """PyTorch's report of a callback that raised: the error, then the Python stack from
    where it was raised outwards."""
    lines = []
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    frame, lineno = (tb.tb_frame, tb.tb_lineno) if tb is not None else (None, 0)
    while frame is not None:
        lines.append(f"  {frame.f_code.co_filename}({lineno}): {frame.f_code.co_name}\n")
        frame = frame.f_back
        lineno = frame.f_lineno if frame is not None else 0
    return RuntimeError(f"Got the following error when running the callback: {type(error).__name__}: {error}"
                        "\n\nAt:\n" + "".join(lines))


def _check_callable(method: str, callback: Any, future: Future, returns: str) -> None:
    if not callable(callback):
        raise TypeError(
            f"{method}(): incompatible function arguments. The following argument types are supported:\n"
            f"    1. (self: ferrograd._C.Future, arg0: collections.abc.Callable) -> {returns}\n\n"
            f"Invoked with: {future!r}, {callback!r}"
        )


class Future(Generic[T]):
    """A result that becomes available later.

    Args:
        devices: the devices whose tensors the value may hold; each needs an index
            ('cpu:0'), and only CPU-like devices exist in this build.
    """

    def __init__(self, *, devices: list | None = None) -> None:
        for d in devices or []:
            d = _device(d)
            if d.index is None:
                raise ValueError(f"Expected devices to have indices, got {d}")
            if d.type not in ("cpu", "meta"):
                raise RuntimeError(f"ferrograd is not linked with support for {d.type} devices")
        self._condition = threading.Condition()
        self._completed = False
        self._value: Any = None
        self._error: BaseException | None = None  # a failed callback (PyTorch's real error)
        self._raise_value: Callable[[Any], None] | None = None  # set_exception's unwrapping
        self._callbacks: list[Callable[[Future], None]] = []

    def __reduce__(self):
        raise RuntimeError("Can not pickle ferrograd.futures.Future")

    def done(self) -> bool:
        """Whether the future has completed (with a value or an error)."""
        return self._completed

    def wait(self) -> T:
        """Blocks until the future completes; returns its value or raises its error."""
        with self._condition:
            self._condition.wait_for(lambda: self._completed)
        return self.value()

    def value(self) -> T:
        """The value of a completed future (raises its error); does not block."""
        if not self._completed:
            raise RuntimeError("value() called on a Future that is not completed; use wait()")
        if self._error is not None:
            raise self._error
        if self._raise_value is not None:
            self._raise_value(self._value)
        return self._value

    def then(self, callback: Callable[[Future[T]], S]) -> Future[S]:
        """A new future completed with `callback(self)` once this one completes; if the
        callback raises, the new future fails with a RuntimeError naming its error.

        Args:
            callback: a function of this future.
        """
        _check_callable("then", callback, self, "ferrograd._C.Future")
        child: Future[S] = Future()

        def run(parent: Future) -> None:
            try:
                result = callback(parent)
            except Exception as error:  # noqa: BLE001 (any failure goes to the child)
                child._complete(error=_callback_error(error))
            else:
                child.set_result(result)

        self._on_completion(run)
        return child

    def add_done_callback(self, callback: Callable[[Future[T]], None]) -> None:
        """Runs `callback(self)` once the future completes; an error it raises is
        printed to stderr and dropped.

        Args:
            callback: a function of this future.
        """
        _check_callable("add_done_callback", callback, self, "None")

        def run(parent: Future) -> None:
            try:
                callback(parent)
            except Exception as error:  # noqa: BLE001 (PyTorch logs and drops it)
                sys.stderr.write(str(_callback_error(error)))

        self._on_completion(run)

    def set_result(self, result: T) -> None:
        """Completes the future with `result` and runs its callbacks.

        Args:
            result: the value.
        """
        self._complete(value=result)

    def set_exception(self, result: T) -> None:
        """Completes the future with the exception `result`, which `wait` and `value`
        raise.

        Args:
            result: an Exception.
        """
        if not isinstance(result, Exception):
            raise AssertionError(f"{result} is of type {type(result)}, not an Exception.")  # noqa: TRY004

        def raise_it(exception):
            raise exception

        self._complete(value=result, raise_value=raise_it)

    def _complete(self, value: Any = None, error: BaseException | None = None,
                  raise_value: Callable[[Any], None] | None = None) -> None:
        with self._condition:
            if self._completed:
                raise RuntimeError(_COMPLETED_TWICE)
            self._value, self._error = value, error
            if raise_value is not None:
                self._raise_value = raise_value
            self._completed = True
            callbacks, self._callbacks = self._callbacks, []
            self._condition.notify_all()
        for run in callbacks:
            run(self)

    def _on_completion(self, run: Callable[[Future], None]) -> None:
        with self._condition:
            if not self._completed:
                self._callbacks.append(run)
                return
        run(self)


def collect_all(futures: list[Future]) -> Future[list[Future]]:
    """A future of the list `futures`, completed when all of them are; it fails at once
    with the error of a failed `then` callback, and its value raises the first exception
    (in list order) that one of them was completed with by `set_exception`.

    Args:
        futures: the futures to gather.
    """
    futures = list(futures)
    for f in futures:
        if not isinstance(f, Future):
            raise TypeError(
                "_collect_all(): incompatible function arguments. The following argument types are supported:\n"
                "    1. (arg0: collections.abc.Sequence[ferrograd._C.Future]) -> ferrograd._C.Future\n\n"
                f"Invoked with: {futures!r}"
            )
    gathered: Future[list[Future]] = Future()
    remaining = [len(futures)]
    lock = threading.Lock()

    def raise_first_exception(value: list[Future]) -> None:
        for f in value:
            if f._raise_value is not None:
                f._raise_value(f._value)

    def one_done(f: Future) -> None:
        with lock:
            if gathered._completed:
                return
            remaining[0] -= 1
            if f._error is not None:
                gathered._complete(error=f._error)
            elif remaining[0] == 0:
                gathered._complete(value=futures, raise_value=raise_first_exception)

    if not futures:
        gathered.set_result([])
    for f in futures:
        f._on_completion(one_done)
    return gathered


def wait_all(futures: list[Future]) -> list:
    """Waits for all `futures` and returns their values (raising the first error).

    Args:
        futures: the futures to wait for.
    """
    return [f.wait() for f in collect_all(futures).wait()]
