"""`ferrograd.profiler.profile`: PyTorch's step-scheduled profiler over the autograd one."""

from __future__ import annotations

import enum
import os
import warnings
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, Self

from ..autograd import profiler as prof
from ..autograd.profiler_util import EventList
from ._schedule import ProfilerAction, _default_schedule_fn

__all__ = ["ProfilerActivity", "profile", "supported_activities", "tensorboard_trace_handler"]


class ProfilerActivity(enum.Enum):
    """The kinds of activity a profiler can trace (ferrograd traces the CPU)."""

    CPU = 0
    XPU = 1
    CUDA = 2
    HPU = 3
    MTIA = 4
    PrivateUse1 = 5


def supported_activities() -> set[ProfilerActivity]:
    """The activities this build can trace: the CPU."""
    return {ProfilerActivity.CPU}


def _parse_activities(activities: Iterable) -> set[ProfilerActivity]:
    parsed: set[ProfilerActivity] = set()
    for item in activities:
        keys = list(item) if isinstance(item, dict) else [item]
        if not isinstance(item, (ProfilerActivity, dict)):
            raise TypeError(f"Expected ProfilerActivity or dict, got {type(item)}")
        for key in keys:
            if key in parsed:
                raise ValueError(f"Activity {key} specified more than once")
            parsed.add(key)
    return parsed


class _KinetoProfile:
    """The start/stop/export half of `profile`, without steps or a schedule."""

    def __init__(self, *, activities: Iterable | None = None, record_shapes: bool = False,
                 profile_memory: bool = False, with_stack: bool = False, with_flops: bool = False,
                 with_modules: bool = False, experimental_config: Any = None, execution_trace_observer: Any = None,
                 acc_events: bool = False, custom_trace_id_callback: Callable[[], str] | None = None,
                 post_processing_timeout_s: float | None = None) -> None:
        self.activities = supported_activities() if activities is None else _parse_activities(activities)
        if ProfilerActivity.CPU not in self.activities:
            raise AssertionError("No valid profiler activities found")
        self.record_shapes = record_shapes
        self.with_flops = with_flops
        self.profile_memory = profile_memory
        self.with_stack = with_stack
        self.with_modules = with_modules
        self.experimental_config = experimental_config
        self.execution_trace_observer = execution_trace_observer
        self.acc_events = acc_events
        self.custom_trace_id_callback = custom_trace_id_callback
        self.post_processing_timeout_s = post_processing_timeout_s
        self.profiler: prof.profile | None = None
        self.use_device = None
        self.preset_metadata: dict[str, str] = {}
        self._trace_metadata: dict[str, str] = {}

    def start(self) -> None:
        """Starts recording."""
        self.prepare_trace()
        self.start_trace()

    def stop(self) -> None:
        """Stops recording."""
        self.stop_trace()

    def prepare_trace(self) -> None:
        """Makes the autograd profiler of the next cycle (kept when acc_events)."""
        if self.profiler is None or not self.acc_events:
            self.profiler = prof.profile(record_shapes=self.record_shapes, with_flops=self.with_flops,
                                         profile_memory=self.profile_memory, with_stack=self.with_stack,
                                         with_modules=self.with_modules, use_kineto=True,
                                         acc_events=self.acc_events,
                                         custom_trace_id_callback=self.custom_trace_id_callback,
                                         post_processing_timeout_s=self.post_processing_timeout_s)
        self.profiler._prepare_trace()

    def start_trace(self) -> None:
        """Starts recording on the prepared profiler."""
        if self.profiler is None:
            raise AssertionError("Profiler must be initialized before starting trace")
        self.profiler._start_trace()

    def stop_trace(self) -> None:
        """Stops recording."""
        if self.profiler is None:
            raise AssertionError("Profiler must be initialized before stopping trace")
        self.profiler.__exit__(None, None, None)

    def export_chrome_trace(self, path: str, use_python_export: bool = False) -> None:
        """Writes the last cycle's events as a Chrome trace (JSON) to `path`."""
        if self.profiler is None:
            raise AssertionError("Profiler must be initialized before exporting chrome trace")
        self.profiler.export_chrome_trace(path, {**self.preset_metadata, **self._trace_metadata})

    def export_stacks(self, path: str, metric: str = "self_cpu_time_total") -> None:
        """Writes the recorded stacks with `metric` per line to `path` (needs with_stack=True)."""
        if self.profiler is None:
            raise AssertionError("Profiler must be initialized before exporting stacks")
        self.profiler.export_stacks(path, metric)

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0,
                     group_by_overload_name: bool = False) -> EventList:
        if self.profiler is None:
            raise AssertionError("Profiler must be initialized before getting key averages")
        return self.profiler.key_averages(group_by_input_shape, group_by_stack_n, group_by_overload_name)

    key_averages.__doc__ = prof.profile.key_averages.__doc__

    def events(self) -> EventList:
        """The unaggregated events of the last cycle."""
        if self.profiler is None:
            raise AssertionError("Profiler must be initialized before accessing events")
        return self.profiler.function_events

    def add_metadata(self, key: str, value: str) -> None:
        """Adds a string entry to the exported trace."""
        self._trace_metadata[key] = f'"{value}"'

    def add_metadata_json(self, key: str, value: str) -> None:
        """Adds an entry (a JSON text) to the exported trace."""
        self._trace_metadata[key] = value

    def preset_metadata_json(self, key: str, value: str) -> None:
        """Adds an entry (a JSON text) to the trace of every cycle."""
        self.preset_metadata[key] = value


class profile(_KinetoProfile):
    """PyTorch's profiler: records the ops of the thread that starts it, on the steps the
    schedule chooses, and calls `on_trace_ready(prof)` at the end of each recorded cycle.

    Args:
        activities: what to trace; ferrograd traces `ProfilerActivity.CPU`.
        schedule: step -> ProfilerAction (see `ferrograd.profiler.schedule`); by default
            every step is recorded.
        on_trace_ready: called with the profiler when a cycle's recording is done.
        record_shapes: record input shapes.
        profile_memory: record output bytes.
        with_stack: record the calling Python frames.
        with_flops: accepted for PyTorch's signature.
        with_modules: accepted for PyTorch's signature.
        experimental_config: accepted for PyTorch's signature.
        execution_trace_observer: accepted for PyTorch's signature.
        acc_events: keep the events of every cycle.
        use_cuda: deprecated; ferrograd has no CUDA.
        custom_trace_id_callback: gives the trace id of each cycle.
        post_processing_timeout_s: accepted for PyTorch's signature.
    """

    def __init__(self, *, activities: Iterable | None = None,
                 schedule: Callable[[int], ProfilerAction] | None = None,
                 on_trace_ready: Callable[..., Any] | None = None, record_shapes: bool = False,
                 profile_memory: bool = False, with_stack: bool = False, with_flops: bool = False,
                 with_modules: bool = False, experimental_config: Any = None, execution_trace_observer: Any = None,
                 acc_events: bool = False, use_cuda: bool | None = None,
                 custom_trace_id_callback: Callable[[], str] | None = None,
                 post_processing_timeout_s: float | None = None) -> None:
        if use_cuda is not None:
            warnings.warn("`use_cuda` is deprecated, use `activities` argument instead", FutureWarning,
                          stacklevel=2)
        if activities is not None and not any(
                isinstance(item, (ProfilerActivity, dict)) and item for item in activities):
            raise AssertionError("No valid profiler activities found")
        super().__init__(activities=activities, record_shapes=record_shapes, profile_memory=profile_memory,
                         with_stack=with_stack, with_flops=with_flops, with_modules=with_modules,
                         experimental_config=experimental_config,
                         execution_trace_observer=execution_trace_observer, acc_events=acc_events,
                         custom_trace_id_callback=custom_trace_id_callback,
                         post_processing_timeout_s=post_processing_timeout_s)
        self.schedule = schedule if schedule else _default_schedule_fn
        self.record_steps = bool(schedule)
        self.on_trace_ready = on_trace_ready
        self.step_num = 0
        self.step_rec_fn: prof.record_function | None = None
        self.current_action = self._scheduled(self.step_num)
        self._prev_schedule_action = self.current_action
        A = ProfilerAction
        warn = partial(warnings.warn, stacklevel=3)
        self.action_map: dict[tuple[ProfilerAction, ProfilerAction | None], list[Callable[[], Any]]] = {
            (A.NONE, A.NONE): [],
            (A.NONE, A.WARMUP): [self.prepare_trace],
            (A.NONE, A.RECORD): [self.prepare_trace, self.start_trace],
            (A.NONE, A.RECORD_AND_SAVE): [self.prepare_trace, self.start_trace],
            (A.WARMUP, A.NONE): [partial(warn, "Incorrect schedule: WARMUP followed by NONE"), self.start_trace,
                                 self.stop_trace],
            (A.WARMUP, A.WARMUP): [],
            (A.WARMUP, A.RECORD): [self.start_trace],
            (A.WARMUP, A.RECORD_AND_SAVE): [self.start_trace],
            (A.RECORD, A.NONE): [partial(warn, "Incorrect schedule: RECORD followed by NONE"), self.stop_trace],
            (A.RECORD, A.WARMUP): [partial(warn, "Incorrect schedule: RECORD followed by WARMUP"), self.stop_trace],
            (A.RECORD, A.RECORD): [],
            (A.RECORD, A.RECORD_AND_SAVE): [],
            (A.RECORD_AND_SAVE, A.NONE): [self.stop_trace, self._trace_ready],
            (A.RECORD_AND_SAVE, A.WARMUP): [self.stop_trace, self._trace_ready, self.prepare_trace],
            (A.RECORD_AND_SAVE, A.RECORD): [self.stop_trace, self._trace_ready, self.prepare_trace,
                                            self.start_trace],
            (A.RECORD_AND_SAVE, A.RECORD_AND_SAVE): [self.stop_trace, self._trace_ready, self.prepare_trace,
                                                     self.start_trace],
            (A.WARMUP, None): [self.start_trace, self.stop_trace],
            (A.RECORD, None): [self.stop_trace, self._trace_ready],
            (A.RECORD_AND_SAVE, None): [self.stop_trace, self._trace_ready],
        }

    def _scheduled(self, step: int) -> ProfilerAction:
        action = self.schedule(step)
        if action == ProfilerAction.DEVICE_STOPPED:
            raise ValueError("ProfilerAction.DEVICE_STOPPED is set internally by the profiler and must not be "
                             "returned by a user-provided schedule")
        return action

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, exc_type, exc_val, exc_tb) -> None:
        self.stop()

    def start(self) -> None:
        """Starts profiling at the current step."""
        self._transit_action(ProfilerAction.NONE, self.current_action)
        if self.record_steps:
            self.step_rec_fn = prof.record_function("ProfilerStep#" + str(self.step_num))
            self.step_rec_fn.__enter__()

    def stop(self) -> None:
        """Stops profiling (saving the cycle in progress)."""
        if self.record_steps and self.step_rec_fn:
            self.step_rec_fn.__exit__(None, None, None)
            self.step_rec_fn = None
        self._transit_action(self.current_action, None)
        self.current_action = self._prev_schedule_action

    def step(self) -> None:
        """Signals that the next step starts: moves along the schedule."""
        if self.record_steps and self.step_rec_fn:
            self.step_rec_fn.__exit__(None, None, None)
            self.step_rec_fn = None
        prev_action = self.current_action
        self.step_num += 1
        self.current_action = self._scheduled(self.step_num)
        self._prev_schedule_action = self.current_action
        self._transit_action(prev_action, self.current_action)
        if self.record_steps:
            self.step_rec_fn = prof.record_function("ProfilerStep#" + str(self.step_num))
            self.step_rec_fn.__enter__()

    def set_custom_trace_id_callback(self, callback: Callable[[], str]) -> None:
        """Sets `callback`, which gives the trace id of each cycle."""
        self.custom_trace_id_callback = callback

    def get_trace_id(self) -> str | None:
        """The current cycle's trace id."""
        return None if self.profiler is None else self.profiler.trace_id

    def _trace_ready(self) -> None:
        if self.on_trace_ready:
            self.on_trace_ready(self)

    def _transit_action(self, prev_action: ProfilerAction, current_action: ProfilerAction | None) -> None:
        for action in self.action_map.get((prev_action, current_action), []):
            action()


def tensorboard_trace_handler(dir_name: str, worker_name: str | None = None, use_gzip: bool = False,
                              use_python_export: bool = False) -> Callable[[Any], None]:
    """An `on_trace_ready` that writes each cycle's trace into `dir_name` as
    `<worker_name>.<time_ns>.pt.trace.json` (gzipped with use_gzip), for TensorBoard.

    Args:
        dir_name: the folder (made if missing).
        worker_name: the file prefix; `<hostname>_<pid>` by default.
        use_gzip: write `.json.gz`.
        use_python_export: accepted for PyTorch's signature.
    """
    import socket
    import time

    def handler_fn(profiler) -> None:
        nonlocal worker_name
        if not os.path.isdir(dir_name):
            try:
                os.makedirs(dir_name, exist_ok=True)
            except Exception as e:
                raise RuntimeError("Can't create directory: " + dir_name) from e
        if not worker_name:
            worker_name = f"{socket.gethostname()}_{os.getpid()}"
        file_name = f"{worker_name}.{time.time_ns()}.pt.trace.json"
        path = os.path.join(dir_name, file_name)
        profiler.export_chrome_trace(path)
        if use_gzip:
            import gzip

            with open(path, "rb") as fin, gzip.open(path + ".gz", "wb") as fout:
                fout.writelines(fin)
            os.remove(path)

    return handler_fn
