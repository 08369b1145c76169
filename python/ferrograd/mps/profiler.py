"""`ferrograd.mps.profiler`: the Metal profiler, which raises without MPS."""

from __future__ import annotations

import contextlib

__all__ = ["is_capturing_metal", "is_metal_capture_enabled", "metal_capture", "profile", "start", "stop"]


def _without_mps(operation: str):
    raise RuntimeError(f"Cannot execute {operation}() without MPS backend.")


def start(mode: str = "interval", wait_until_completed: bool = False) -> None:
    """Starts Metal's signpost tracing: raises without MPS.

    Args:
        mode: 'interval', 'event' or both ('interval,event').
        wait_until_completed: wait for each command buffer to complete.
    """
    _without_mps("profilerStartTrace")


def stop() -> None:
    """Stops Metal's signpost tracing: raises without MPS."""
    _without_mps("profilerStopTrace")


@contextlib.contextmanager
def profile(mode: str = "interval", wait_until_completed: bool = False):
    """Traces its block with Metal's signposts: raises without MPS.

    Args:
        mode: 'interval', 'event' or both ('interval,event').
        wait_until_completed: wait for each command buffer to complete.
    """
    start(mode, wait_until_completed)
    try:
        yield
    finally:
        stop()


def is_metal_capture_enabled() -> bool:
    """Whether Metal capture is enabled: never without MPS."""
    return False


def is_capturing_metal() -> bool:
    """Whether a Metal capture runs: never without MPS."""
    return False


@contextlib.contextmanager
def metal_capture(fname: str):
    """Captures Metal work of its block into `fname`: raises without MPS."""
    _without_mps("startCapture")
    yield
