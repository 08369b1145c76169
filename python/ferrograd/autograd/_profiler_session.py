"""Which threads are being profiled, and what each collects.

As in PyTorch, a profiler records the ops of the thread that started it, and only those:
ops that other threads run meanwhile are not recorded (they may start their own
profiler). A second profiler on a thread that already has one raises RuntimeError.
The op wrappers are installed when the first profiler starts and removed when the last
one stops, so ops cost nothing extra while no profiler runs.
"""

from __future__ import annotations

import os
import sys
import threading
from time import perf_counter_ns
from typing import Any, NamedTuple

from .profiler_util import EventList, FunctionEvent

_lock = threading.Lock()
# thread ident -> the Session collecting that thread's events; read without the lock by
# the op wrappers (a dict lookup is atomic)
active: dict[int, Session] = {}
_thread_numbers: dict[int, int] = {}

USER_SCOPE = 7  # PyTorch's RecordScope.USER_SCOPE, the scope of record_function ranges
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class _Record(NamedTuple):
    name: str
    start_ns: int
    end_ns: int
    input_shapes: list | None
    stack: list | None
    memory: int
    is_user_annotation: bool
    scope: int


def _thread_number(ident: int) -> int:
    """A small number per thread (1 for the first one profiled), as PyTorch numbers them."""
    with _lock:
        return _thread_numbers.setdefault(ident, len(_thread_numbers) + 1)


def _caller_stack() -> list[str]:
    """The Python frames outside ferrograd, innermost first, as `file(line): function`."""
    frames = []
    frame: Any = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not os.path.abspath(filename).startswith(_PACKAGE_DIR):
            frames.append(f"{filename}({frame.f_lineno}): {frame.f_code.co_name}")
        frame = frame.f_back
    return frames


class Session:
    """The events one running profiler collects on its thread."""

    def __init__(self, *, record_shapes: bool, with_stack: bool, profile_memory: bool) -> None:
        self.record_shapes = record_shapes
        self.with_stack = with_stack
        self.profile_memory = profile_memory
        self.thread = threading.get_ident()
        self.records: list[tuple] = []
        self.start_ns = 0
        self.end_ns = 0
        self.in_backward = False  # a backward call inside another is timed by the outer one

    def add(self, name: str, start_ns: int, end_ns: int, input_shapes: list | None = None, memory: int = 0,
            is_user_annotation: bool = False, scope: int = 0) -> None:
        """Records one finished op or range."""
        stack = _caller_stack() if self.with_stack else None
        if is_user_annotation:
            scope = USER_SCOPE
        # a plain tuple (a _Record once read back): this runs on every profiled op
        self.records.append((name, start_ns, end_ns, input_shapes, stack, memory, is_user_annotation, scope))

    def events(self, use_device: str | None = None) -> EventList:
        """The records as FunctionEvents in start order, times in microseconds from the start."""
        thread = _thread_number(self.thread)
        ordered = sorted(map(_Record._make, self.records), key=lambda r: (r.start_ns, -r.end_ns))
        events = EventList(
            (FunctionEvent(id=i, name=_wildcard(r.name), thread=thread, start_us=(r.start_ns - self.start_ns) / 1000,
                           end_us=(r.end_ns - self.start_ns) / 1000, input_shapes=r.input_shapes, stack=r.stack,
                           scope=r.scope, use_device=use_device,
                           cpu_memory_usage=r.memory, sequence_nr=-1 if r.is_user_annotation else 0,
                           trace_name=r.name, is_user_annotation=r.is_user_annotation)
             for i, r in enumerate(ordered, start=1)),
            use_device=use_device, profile_memory=self.profile_memory)
        events._build_tree()
        return events


def _wildcard(name: str) -> str:
    # step ranges are totalled together in tables, as PyTorch does
    return "ProfilerStep*" if name.startswith("ProfilerStep#") else name


def current() -> Session | None:
    """The session profiling the calling thread, if any."""
    return active.get(threading.get_ident())


def start(session: Session) -> None:
    """Starts `session` on the calling thread (installing the op wrappers if it is the first)."""
    from . import _profiler_ops

    with _lock:
        if session.thread in active:
            raise RuntimeError("Profiler is already enabled on this thread.")
        if not active:
            _profiler_ops.install(active)
        session.start_ns = perf_counter_ns()
        active[session.thread] = session


def stop(session: Session) -> None:
    """Stops `session` (removing the op wrappers if no other profiler runs)."""
    from . import _profiler_ops

    with _lock:
        if active.get(session.thread) is not session:
            return
        session.end_ns = perf_counter_ns()
        del active[session.thread]
        if not active:
            _profiler_ops.uninstall()
