"""`ferrograd.autograd.profiler`: PyTorch's autograd profiler.

    with ferrograd.autograd.profiler.profile(record_shapes=True) as prof:
        with ferrograd.autograd.profiler.record_function("my_block"):
            y = x @ w
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=10))

Ops are recorded under PyTorch's names (`x + y` as `aten::add`, `x @ w` as
`aten::matmul`), with the time each took; `record_function` adds named ranges around them.
"""

from __future__ import annotations

import functools
import warnings
from time import perf_counter_ns
from typing import Any, Self

from . import _profiler_session
from .profiler_util import EventList, FunctionEvent, FunctionEventAvg

__all__ = ["EventList", "FunctionEvent", "FunctionEventAvg", "emit_itt", "emit_nvtx", "profile", "record_function"]


class profile:
    """Records the ops run (by the thread that enters it) inside its `with` block.

    Args:
        enabled: False makes it a no-op.
        use_cuda: deprecated; ferrograd has no CUDA, so it only warns.
        use_device: a device to time as well; ferrograd has only the CPU, so any device only warns.
        record_shapes: record each op's input shapes (`FunctionEvent.input_shapes`).
        with_flops: accepted for PyTorch's signature; implies record_shapes.
        profile_memory: record the bytes of each op's outputs (`cpu_memory_usage`).
        with_stack: record the Python frames that called each op (`FunctionEvent.stack`).
        with_modules: accepted for PyTorch's signature.
        use_kineto: accepted for PyTorch's signature.
        use_cpu: must be True: ferrograd only profiles the CPU.
        experimental_config: accepted for PyTorch's signature.
        acc_events: keep the events of earlier start/stop cycles.
        custom_trace_id_callback: gives the trace id of each cycle.
        post_processing_timeout_s: accepted for PyTorch's signature; must not be negative.
        activity_filters: accepted for PyTorch's signature.
    """

    def __init__(self, enabled: bool = True, *, use_cuda: bool = False, use_device: str | None = None,
                 record_shapes: bool = False, with_flops: bool = False, profile_memory: bool = False,
                 with_stack: bool = False, with_modules: bool = False, use_kineto: bool = False,
                 use_cpu: bool = True, experimental_config: Any = None, acc_events: bool = False,
                 custom_trace_id_callback: Any = None, post_processing_timeout_s: float | None = None,
                 activity_filters: dict | None = None) -> None:
        self.enabled = enabled
        if not enabled:
            return
        if use_cuda:
            warnings.warn("The attribute `use_cuda` will be deprecated soon, please use ``use_device = 'cuda'`` "
                          "instead.", FutureWarning, stacklevel=2)
            use_device = "cuda"
        if use_device is not None:
            warnings.warn(f"{use_device.upper()} is not available, disabling {use_device.upper()} profiling",
                          stacklevel=2)
        if not use_cpu:
            raise AssertionError("No activities specified for the profiler")
        if post_processing_timeout_s is not None and post_processing_timeout_s < 0:
            raise ValueError("post_processing_timeout_s must be non-negative")
        self.use_cuda = False
        self.use_device: str | None = None
        self.record_shapes = record_shapes or with_flops
        self.with_flops = with_flops
        self.profile_memory = profile_memory
        self.with_stack = with_stack
        self.with_modules = with_modules
        self.use_cpu = use_cpu
        self.acc_events = acc_events
        self.experimental_config = experimental_config
        self.custom_trace_id_callback = custom_trace_id_callback
        self.post_processing_timeout_s = post_processing_timeout_s
        self.activity_filters = activity_filters or {}
        self.entered = False
        self.trace_id = ""
        self._session: _profiler_session.Session | None = None
        self._function_events: EventList | None = None
        self._old_function_events: EventList | None = None
        self.profiling_start_time_ns = 0
        self.profiling_end_time_ns = 0

    def __enter__(self) -> profile | None:
        if not self.enabled:
            return None
        if self.entered:
            raise RuntimeError("Profiler context manager is not reentrant")
        self._prepare_trace()
        self._start_trace()
        return self

    def _prepare_trace(self) -> None:
        self.entered = True
        if self.custom_trace_id_callback is not None:
            self.trace_id = self.custom_trace_id_callback()
        else:
            import uuid

            self.trace_id = f"{uuid.uuid4().int:032X}"

    def _start_trace(self) -> None:
        self.entered = True
        session = _profiler_session.Session(record_shapes=self.record_shapes, with_stack=self.with_stack,
                                            profile_memory=self.profile_memory)
        _profiler_session.start(session)
        self._session = session
        self.profiling_start_time_ns = session.start_ns

    def __exit__(self, exc_type, exc_val, exc_tb) -> bool:
        if not self.enabled:
            return False
        if self._function_events and self.acc_events:
            self._old_function_events = self._function_events
        self._function_events = None
        session = self._session
        if session is not None:
            _profiler_session.stop(session)
            self.profiling_end_time_ns = session.end_ns
        if self.acc_events:
            self._ensure_function_events()
        return False

    def _ensure_function_events(self) -> None:
        if self._function_events is not None:
            return
        session = self._session
        if session is None or session.end_ns == 0:  # not finished: nothing to report yet
            self._function_events = EventList(profile_memory=getattr(self, "profile_memory", False))
            self._function_events._tree_built = True
            return
        self._function_events = session.events(self.use_device)
        if self._old_function_events and self.acc_events:
            self._function_events.extend(self._old_function_events)
            self._old_function_events = None

    def __repr__(self) -> str:
        if self._session is None or self._session.end_ns == 0:
            return "<unfinished ferrograd.autograd.profile>"
        return repr(self.function_events)

    def __str__(self) -> str:
        if self._session is None or self._session.end_ns == 0:
            return "<unfinished ferrograd.autograd.profile>"
        return str(self.function_events)

    @property
    def function_events(self) -> EventList:
        """Every recorded event (a FunctionEvent per op call or range), in start order."""
        if self._function_events is None:
            self._ensure_function_events()
        assert self._function_events is not None
        return self._function_events

    def table(self, sort_by: str | None = None, row_limit: int = 100, max_src_column_width: int = 75,
              max_name_column_width: int = 55, max_shapes_column_width: int = 80, header: str | None = None,
              top_level_events_only: bool = False) -> str:
        """The events as PyTorch's table (see `EventList.table` for `sort_by`, `row_limit`,
        `max_src_column_width`, `max_name_column_width`, `max_shapes_column_width`, `header`
        and `top_level_events_only`)."""
        return self.function_events.table(sort_by=sort_by, row_limit=row_limit,
                                          max_src_column_width=max_src_column_width,
                                          max_name_column_width=max_name_column_width,
                                          max_shapes_column_width=max_shapes_column_width, header=header,
                                          top_level_events_only=top_level_events_only)

    def export_chrome_trace(self, path: str, metadata: dict | None = None, use_python_export: bool = False) -> None:
        """Writes the events as a Chrome trace (JSON) to `path`.

        Args:
            path: the file to write.
            metadata: extra top-level entries for the trace.
            use_python_export: accepted for PyTorch's signature.
        """
        from ._chrome_trace import write_chrome_trace

        write_chrome_trace(self.function_events, path, metadata=metadata, trace_id=self.trace_id,
                           record_shapes=self.record_shapes)

    def export_stacks(self, path: str, metric: str = "self_cpu_time_total") -> None:
        """Writes the recorded stacks with `metric` per line to `path` (needs with_stack=True)."""
        if not self.with_stack:
            raise AssertionError("export_stacks() requires with_stack=True")
        self.function_events.export_stacks(path, metric)

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0,
                     group_by_overload_name: bool = False) -> EventList:
        """Totals per op name.

        Args:
            group_by_input_shape: also group by the recorded input shapes.
            group_by_stack_n: also group by the innermost `n` recorded stack frames.
            group_by_overload_name: also group by overload name.
        """
        return self.function_events.key_averages(group_by_input_shape, group_by_stack_n, group_by_overload_name)

    def total_average(self) -> FunctionEventAvg:
        """Totals over every event."""
        return self.function_events.total_average()

    @property
    def self_cpu_time_total(self) -> float:
        """The sum of every event's self CPU time, in microseconds."""
        return self.function_events.self_cpu_time_total


class record_function:
    """A named range in the profile, as a context manager or a decorator; a no-op when
    no profiler runs on the calling thread.

    Args:
        name: the range's name in the profile.
        args: extra text kept with the range (PyTorch's `args`).
    """

    def __init__(self, name: str, args: str | None = None) -> None:
        self.name = name
        self.args = args
        self.run_callbacks_on_exit = True
        self._session: _profiler_session.Session | None = None
        self._start_ns = 0

    def __enter__(self) -> Self:
        if not isinstance(self.name, str):
            raise RuntimeError(  # noqa: TRY004 (PyTorch's type)
                f"record_function() expected a value of type 'str' for argument 'name' but instead "
                               f"found type '{type(self.name).__name__}'.")
        self._session = _profiler_session.current()
        self._start_ns = perf_counter_ns()
        return self

    def __exit__(self, exc_type, exc_value, traceback) -> None:
        session, self._session = self._session, None
        if session is not None and self.run_callbacks_on_exit and _profiler_session.active.get(session.thread) is session:
            session.add(self.name, self._start_ns, perf_counter_ns(), is_user_annotation=True)

    def __call__(self, func):
        @functools.wraps(func)
        def wrapped(*args, **kwargs):
            with record_function(self.name, self.args):
                return func(*args, **kwargs)

        return wrapped


class _CpuOnlyAnnotation:
    """Shared by emit_nvtx and emit_itt: PyTorch's annotation context managers, which
    ferrograd (CPU only, no NVTX or ITT) accepts being entered and exited, recording
    nothing."""

    _name = ""

    def __init__(self, enabled: bool = True, record_shapes: bool = False) -> None:
        self.enabled = enabled
        self.entered = False
        self.record_shapes = record_shapes

    def __enter__(self):
        if not self.enabled:
            return None
        if self.entered:
            raise RuntimeError(f"{self._name} annotation context manager is not reentrant")
        self.entered = True
        return self

    def __exit__(self, exc_type, exc_val, exc_tb) -> bool:
        self.entered = False
        return False


class emit_nvtx(_CpuOnlyAnnotation):
    """PyTorch's NVTX ranges around each op, for nvprof; ferrograd runs on the CPU, where
    it annotates nothing.

    Args:
        enabled: False makes it a no-op.
        record_shapes: accepted for PyTorch's signature.
    """

    _name = "NVTX"


class emit_itt(_CpuOnlyAnnotation):
    """PyTorch's Intel ITT ranges around each op, for VTune; ferrograd has no ITT, so it
    annotates nothing.

    Args:
        enabled: False makes it a no-op.
        record_shapes: accepted for PyTorch's signature.
    """

    _name = "ITT"
