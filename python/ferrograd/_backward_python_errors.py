"""Python exceptions raised by user code that backward runs (a custom Function's
backward, a saved-tensor unpack hook), kept so they can be raised unchanged.

The core passes such an exception through as a marker error and re-raises the original
at the boundary, but in anomaly mode it appends the forward traceback to the marker's
message first and the original is lost; `_after_backward` then raises the one kept here,
as PyTorch does (it raises the user's exception, not a RuntimeError)."""

from __future__ import annotations

import functools
import threading

_state = threading.local()

# the core's message for "a Python exception passed through" (src/python/errors.rs)
MARKER = "<python exception>"


def remembering(fn):
    """`fn`, keeping any exception it raises for `take()` before passing it on."""

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except BaseException as e:
            _state.last = e
            raise

    return call


def take() -> BaseException | None:
    """The exception kept last on this thread (None when there is none); forgets it."""
    e = getattr(_state, "last", None)
    _state.last = None
    return e
