"""Failure paths that leave no reference cycle behind.

An exception held by a local of a frame on its own traceback (`raise failure` of a
parameter, `raise error from failure` of a local) is a cycle: exception -> traceback ->
frame -> exception. It holds the frames, and the tensors in their locals, until the
cycle collector runs; PyTorch's C++ raises without Python frames and frees the call's
arguments at once. A helper that answers a failed call runs under `drops_own_frames`,
which clears the locals of this package's finished frames on the way out.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep
F = TypeVar("F", bound=Callable[..., Any])


def clear_own_frames(tb: TracebackType | None) -> None:
    """Clears the locals of the frames of this package on `tb` (the user's frames, as a
    tensor-like's `__torch_function__`, keep theirs for a debugger)."""
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(_PACKAGE):
            try:
                tb.tb_frame.clear()
            except RuntimeError:  # a frame still running
                pass
        tb = tb.tb_next


def drops_own_frames(fn: F) -> F:
    """`fn`, a failure path's helper, with the locals of the frames it leaves on the
    traceback of what it raises cleared, and its arguments (the failure among them)
    dropped by this frame."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BaseException as error:
            clear_own_frames(error.__traceback__.tb_next if error.__traceback__ else None)
            raise
        finally:
            del args, kwargs

    return call  # type: ignore[return-value]
