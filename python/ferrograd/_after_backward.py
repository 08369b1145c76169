"""Callbacks that run once the backward pass running now has finished (PyTorch's
`Variable._execution_engine.queue_callback`), per thread."""

from __future__ import annotations

import threading

_state = threading.local()


def queue() -> list:
    """This thread's queue of callbacks waiting for the running backward pass."""
    q = getattr(_state, "queue", None)
    if q is None:
        q = _state.queue = []
    return q


def run(call, *args):
    """`call(*args)` (a backward entry point), then the callbacks queued during it; if it
    raises, those callbacks are dropped."""
    q = queue()
    mark = len(q)
    try:
        result = call(*args)
    except BaseException:
        del q[mark:]
        raise
    while len(q) > mark:
        q.pop(mark)()
    return result
