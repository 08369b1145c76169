"""Profiling results as PyTorch's `torch.autograd.profiler_util` has them: one
`FunctionEvent` per recorded op or `record_function` range, an `EventList` of them that
builds the parent/child tree from the time ranges, and `FunctionEventAvg` totals per key.
Times are microseconds (floats), as in PyTorch.
"""

from __future__ import annotations

import enum
import itertools
from collections import defaultdict, namedtuple
from operator import attrgetter
from typing import Any, Self

__all__ = ["DeviceType", "EventList", "FormattedTimesMixin", "FunctionEvent", "FunctionEventAvg", "Interval",
           "Kernel"]


class DeviceType(enum.Enum):
    """Where an event ran (PyTorch's `torch.autograd.DeviceType`); ferrograd runs on the CPU."""

    CPU = 0


def _format_time(time_us: float) -> str:
    """`time_us` as PyTorch prints it: 3 decimals in s, ms or us."""
    if time_us >= 1e6:
        return f"{time_us / 1e6:.3f}s"
    if time_us >= 1e3:
        return f"{time_us / 1e3:.3f}ms"
    return f"{time_us:.3f}us"


def _format_time_share(time_us: float, total_time_us: float) -> str:
    if total_time_us == 0:
        return "NaN"
    return f"{time_us * 100.0 / total_time_us:.2f}%"


def _format_memory(nbytes: int) -> str:
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if abs(nbytes) >= size:
            return f"{nbytes * 1.0 / size:.2f} {unit}"
    return f"{nbytes} B"


def _time_formatter(name: str) -> property:
    return property(lambda self: _format_time(getattr(self, name)))


class FormattedTimesMixin:
    """The `*_str` and per-call (`cpu_time`, `device_time`) views shared by
    `FunctionEvent` and `FunctionEventAvg`."""

    cpu_time_str = _time_formatter("cpu_time")
    device_time_str = _time_formatter("device_time")
    cpu_time_total_str = _time_formatter("cpu_time_total")
    device_time_total_str = _time_formatter("device_time_total")
    self_cpu_time_total_str = _time_formatter("self_cpu_time_total")
    self_device_time_total_str = _time_formatter("self_device_time_total")

    @property
    def cpu_time(self) -> float:
        """Average CPU time per call, in microseconds."""
        return 0.0 if self.count == 0 else 1.0 * self.cpu_time_total / self.count  # type: ignore[attr-defined]

    @property
    def device_time(self) -> float:
        """Average device time per call (always 0 on ferrograd's CPU)."""
        return 0.0 if self.count == 0 else 1.0 * self.device_time_total / self.count  # type: ignore[attr-defined]


class Interval:
    """A time range `[start, end)` in microseconds."""

    def __init__(self, start: float, end: float) -> None:
        self.start = start
        self.end = end

    def elapsed_us(self) -> float:
        """The length of the interval."""
        return self.end - self.start


Kernel = namedtuple("Kernel", ["name", "device", "duration"])


class FunctionEvent(FormattedTimesMixin):
    """One recorded call: an op (`aten::add`) or a `record_function` range.

    Args:
        id: the event's number, in start order.
        name: the op (`aten::add`) or range name.
        thread: the small number of the thread that ran it (1 for the first one profiled).
        start_us: the start, in microseconds from the profiler's start.
        end_us: the end, likewise.
        overload_name: the op's overload ("" when not recorded).
        fwd_thread: the thread of the forward op (for backward events).
        input_shapes: one shape per input (`[]` for non-tensors), when shapes are recorded.
        stack: the calling Python frames, innermost first, when stacks are recorded.
        scope: PyTorch's RecordScope number (0 for ops, 7 for `record_function` ranges).
        use_device: the device profiled besides the CPU (None).
        cpu_memory_usage: bytes allocated, when memory is profiled.
        device_memory_usage: device bytes allocated (0).
        is_async: whether it started and ended on different threads.
        is_remote: whether it ran on another node.
        sequence_nr: the autograd sequence number (-1 for ranges).
        node_id: the distributed node (-1).
        device_type: where it ran (`DeviceType.CPU`).
        device_index: the device's index (0).
        is_legacy: whether the legacy profiler made it (False).
        flops: estimated floating-point operations, when known.
        trace_name: the name in Chrome traces (`ProfilerStep#3` where the name is `ProfilerStep*`).
        concrete_inputs: the inputs' values, when recorded.
        kwinputs: the keyword inputs, when recorded.
        is_user_annotation: whether it is a `record_function` range.
    """

    def __init__(self, id: int, name: str, thread: int, start_us: float, end_us: float, overload_name: str = "",
                 fwd_thread: int | None = None, input_shapes: list | None = None, stack: list | None = None,
                 scope: int = 0, use_device: str | None = None, cpu_memory_usage: int = 0,
                 device_memory_usage: int = 0, is_async: bool = False, is_remote: bool = False,
                 sequence_nr: int = -1, node_id: int = -1, device_type: DeviceType = DeviceType.CPU,
                 device_index: int = 0, is_legacy: bool = False, flops: int | None = None,
                 trace_name: str | None = None, concrete_inputs: list | None = None,
                 kwinputs: dict | None = None, is_user_annotation: bool = False) -> None:
        self.id = id
        self.node_id = node_id
        self.name = name
        self.overload_name = overload_name
        self.trace_name = name if trace_name is None else trace_name
        self.time_range = Interval(start_us, end_us)
        self.thread = thread
        self.fwd_thread = fwd_thread
        self.kernels: list[Kernel] = []
        self.count = 1
        self.cpu_children: list[FunctionEvent] = []
        self.cpu_parent: FunctionEvent | None = None
        self.input_shapes = [] if input_shapes is None else input_shapes
        self.concrete_inputs = [] if concrete_inputs is None else concrete_inputs
        self.kwinputs = {} if kwinputs is None else kwinputs
        self.stack = [] if stack is None else stack
        self.scope = scope
        self.use_device = use_device
        self.cpu_memory_usage = cpu_memory_usage
        self.device_memory_usage = device_memory_usage
        self.is_async = is_async
        self.is_remote = is_remote
        self.sequence_nr = sequence_nr
        self.device_type = device_type
        self.device_index = device_index
        self.device_resource_id = thread
        self.is_legacy = is_legacy
        self.flops = flops
        self.is_user_annotation = is_user_annotation
        self.self_cpu_percent: Any = -1
        self.total_cpu_percent: Any = -1
        self.total_device_percent: Any = -1

    def append_kernel(self, name: str, device: int, duration: float) -> None:
        """Adds a device kernel launched by this event: its `name`, `device` index and `duration` (us)."""
        self.kernels.append(Kernel(name, device, duration))

    def append_cpu_child(self, child: FunctionEvent) -> None:
        """Adds `child`, a direct child (an event whose range lies inside this one's)."""
        self.cpu_children.append(child)

    def set_cpu_parent(self, parent: FunctionEvent) -> None:
        """Sets `parent`, the innermost event whose range holds this one's."""
        self.cpu_parent = parent

    @property
    def self_cpu_memory_usage(self) -> int:
        """Bytes allocated by this event itself, its children's left out."""
        if self.is_async:
            return 0
        return self.cpu_memory_usage - sum(child.cpu_memory_usage for child in self.cpu_children)

    @property
    def self_device_memory_usage(self) -> int:
        """Always 0: ferrograd allocates no device memory."""
        return 0

    @property
    def cpu_time_total(self) -> float:
        """The event's whole duration, in microseconds."""
        return self.time_range.elapsed_us()

    @property
    def self_cpu_time_total(self) -> float:
        """The duration minus its direct children's durations."""
        if self.is_async:
            return 0
        return self.cpu_time_total - sum(child.cpu_time_total for child in self.cpu_children)

    @property
    def device_time_total(self) -> float:
        """Always 0: ferrograd runs no device kernels."""
        return 0

    @property
    def self_device_time_total(self) -> float:
        """Always 0: ferrograd runs no device kernels."""
        return 0

    @property
    def key(self) -> str:
        """What `key_averages` groups by: the name."""
        return self.name

    def __repr__(self) -> str:
        device_name = self.use_device
        return (
            f"<FunctionEvent id={self.id} name={self.name} overload_name={self.overload_name} "
            f"device_type={self.device_type} node_id={self.node_id} cpu_time={self.cpu_time_str} "
            f"start_us={self.time_range.start} end_us={self.time_range.end} "
            f"cpu_children={[child.id for child in self.cpu_children]} {device_name}_time={self.device_time_str} "
            f"name={self.name} thread={self.thread} input_shapes={self.input_shapes} "
            f"cpu_memory_usage={self.cpu_memory_usage} {device_name}_memory_usage={self.device_memory_usage} "
            f"is_async={self.is_async} is_remote={self.is_remote} seq_nr={self.sequence_nr} "
            f"is_legacy={self.is_legacy}>"
        )


class FunctionEventAvg(FormattedTimesMixin):
    """Totals over the events that share a key (`EventList.key_averages`)."""

    def __init__(self) -> None:
        self.key: str | None = None
        self.count = 0
        self.node_id = 0
        self.is_async = False
        self.is_remote = False
        self.use_device: str | None = None
        self.cpu_time_total: float = 0
        self.device_time_total: float = 0
        self.self_cpu_time_total: float = 0
        self.self_device_time_total: float = 0
        self.input_shapes: Any = None
        self.overload_name: str | None = None
        self.stack: list | None = None
        self.scope: int | None = None
        self.cpu_memory_usage = 0
        self.device_memory_usage = 0
        self.self_cpu_memory_usage = 0
        self.self_device_memory_usage = 0
        self.cpu_children: list[FunctionEvent] | None = None
        self.cpu_parent: FunctionEvent | None = None
        self.device_type = DeviceType.CPU
        self.is_legacy = False
        self.is_user_annotation = False
        self.flops: int | None = 0

    def add(self, other: FunctionEvent | FunctionEventAvg) -> FunctionEventAvg:
        """Adds `other`'s times, memory and count (the first one added also gives its key)."""
        if not isinstance(other, (FunctionEvent, FunctionEventAvg)):
            raise AssertionError("Expected other to be a FunctionEvent or FunctionEventAvg")  # noqa: TRY004
        if self.key is None:
            for name in ("key", "node_id", "is_async", "is_remote", "cpu_parent", "cpu_children", "overload_name",
                         "input_shapes", "stack", "scope", "device_type", "is_legacy", "use_device",
                         "is_user_annotation"):
                setattr(self, name, getattr(other, name))
        if other.key != self.key:
            raise AssertionError(f"Expected keys to match, but got {other.key} vs {self.key}")
        self.cpu_time_total += other.cpu_time_total
        self.device_time_total += other.device_time_total
        self.self_cpu_time_total += other.self_cpu_time_total
        self.self_device_time_total += other.self_device_time_total
        self.cpu_memory_usage += other.cpu_memory_usage
        self.device_memory_usage += other.device_memory_usage
        self.self_cpu_memory_usage += other.self_cpu_memory_usage
        self.self_device_memory_usage += other.self_device_memory_usage
        self.count += other.count
        if self.flops is None:
            self.flops = other.flops
        elif other.flops is not None:
            self.flops += other.flops
        return self

    def __iadd__(self, other: FunctionEvent | FunctionEventAvg) -> Self:
        return self.add(other)

    def __repr__(self) -> str:
        device_name = self.use_device or "cuda"
        return (
            f"<FunctionEventAvg key={self.key} self_cpu_time={self.self_cpu_time_total_str} "
            f"cpu_time={self.cpu_time_str}  self_{device_name}_time={self.self_device_time_total_str} "
            f"{device_name}_time={self.device_time_str} input_shapes={self.input_shapes} "
            f"cpu_memory_usage={self.cpu_memory_usage} {device_name}_memory_usage={self.device_memory_usage}>"
        )


class EventList(list):
    """A list of `FunctionEvent` (or `FunctionEventAvg`) with PyTorch's analysis helpers.

    Args:
        use_device: the device profiled besides the CPU (None on ferrograd).
        profile_memory: whether memory was profiled (adds the memory columns to tables).
        with_flops: whether FLOPs were estimated.
    """

    def __init__(self, *args, use_device: str | None = None, profile_memory: bool = False,
                 with_flops: bool = False) -> None:
        super().__init__(*args)
        self._use_device = use_device
        self._profile_memory = profile_memory
        self._with_flops = with_flops
        self._tree_built = False

    def _build_tree(self) -> None:
        self._populate_cpu_children()
        self._remove_dup_nodes()
        self._tree_built = True

    def __str__(self) -> str:
        return self.table()

    def _remove_dup_nodes(self) -> None:
        """Merges an event into its parent of the same name when it is the only child
        (a function that only calls its own implementation), as PyTorch does."""
        while True:
            to_delete = set()
            for idx, evt in enumerate(self):
                parent = evt.cpu_parent
                if parent is not None and parent.name == evt.name and len(parent.cpu_children) == 1:
                    parent.cpu_children = evt.cpu_children
                    parent.kernels = evt.kernels
                    for child in evt.cpu_children:
                        child.cpu_parent = parent
                    to_delete.add(idx)
            if not to_delete:
                return
            kept = [evt for idx, evt in enumerate(self) if idx not in to_delete]
            self.clear()
            self.extend(kept)

    def _populate_cpu_children(self) -> None:
        """Links each event to the innermost event of its thread whose range holds it."""
        events = sorted((evt for evt in self if not evt.is_async), key=attrgetter("thread"))
        for _, thread_events in itertools.groupby(events, key=lambda evt: (evt.thread, evt.node_id)):
            open_events: list[FunctionEvent] = []
            for event in sorted(thread_events, key=lambda evt: (evt.time_range.start, -evt.time_range.end)):
                while open_events:
                    parent = open_events[-1]
                    if event.time_range.start >= parent.time_range.end or event.time_range.end > parent.time_range.end:
                        open_events.pop()
                    else:
                        parent.append_cpu_child(event)
                        event.set_cpu_parent(parent)
                        break
                open_events.append(event)

    @property
    def self_cpu_time_total(self) -> float:
        """The sum of the events' self CPU times, in microseconds."""
        return sum(event.self_cpu_time_total for event in self)

    def table(self, sort_by: str | None = None, row_limit: int = 100, max_src_column_width: int = 75,
              max_name_column_width: int = 55, max_shapes_column_width: int = 80, header: str | None = None,
              top_level_events_only: bool = False, time_unit: str | None = None) -> str:
        """The events as PyTorch's text table.

        Args:
            sort_by: an attribute to sort by, largest first (`cpu_time_total`,
                `self_cpu_time_total`, `cpu_time`, `count`, `cpu_memory_usage`, ...); by
                default the recorded order.
            row_limit: the most rows printed (-1: all).
            max_src_column_width: the widest source-location column.
            max_name_column_width: the widest name column.
            max_shapes_column_width: the widest input-shapes column.
            header: a line printed above the table.
            top_level_events_only: only events without a parent.
            time_unit: `"s"`, `"ms"` or `"us"` for every time; by default each picks its own.
        """
        from ._profiler_table import build_table

        return build_table(self, sort_by=sort_by, row_limit=row_limit, max_src_column_width=max_src_column_width,
                           max_name_column_width=max_name_column_width,
                           max_shapes_column_width=max_shapes_column_width, header=header,
                           profile_memory=self._profile_memory, with_flops=self._with_flops,
                           top_level_events_only=top_level_events_only, time_unit=time_unit)

    def export_chrome_trace(self, path: str) -> None:
        """Writes the events as a Chrome trace (JSON) to `path`, for chrome://tracing or Perfetto.

        Args:
            path: the file to write.
        """
        from ._chrome_trace import write_chrome_trace

        write_chrome_trace(self, path)

    def supported_export_stacks_metrics(self) -> list[str]:
        """The metrics `export_stacks` accepts."""
        return ["self_cpu_time_total", "self_cuda_time_total", "self_xpu_time_total", "self_privateuse1_time_total"]

    def export_stacks(self, path: str, metric: str) -> None:
        """Writes one line per event with a recorded stack: the frames (outermost first,
        `;`-separated) and the metric's value (flame-graph input).

        Args:
            path: the file to write.
            metric: one of `supported_export_stacks_metrics()`.
        """
        if metric not in self.supported_export_stacks_metrics():
            raise ValueError("metric should be one of: " + str(self.supported_export_stacks_metrics()))
        translate = str.maketrans(" ;\t\n", "____")
        attribute = metric.replace("cuda", "device").replace("xpu", "device").replace("privateuse1", "device")
        with open(path, "w") as f:
            for evt in self:
                value = int(getattr(evt, attribute))
                if evt.stack and value > 0:
                    frames = ";".join(entry.translate(translate) for entry in reversed(evt.stack))
                    f.write(f"{frames} {value}\n")

    def key_averages(self, group_by_input_shapes: bool = False, group_by_stack_n: int = 0,
                     group_by_overload_name: bool = False) -> EventList:
        """One `FunctionEventAvg` per event name (and, when asked, per input shapes,
        top stack frames or overload name).

        Args:
            group_by_input_shapes: also group by the recorded input shapes.
            group_by_stack_n: also group by the innermost `n` recorded stack frames.
            group_by_overload_name: also group by overload name.
        """
        if not self._tree_built:
            raise AssertionError("Expected tree to be built before calling key_averages")
        stats: dict[tuple, FunctionEventAvg] = defaultdict(FunctionEventAvg)
        for evt in self:
            key = [str(evt.key), str(evt.node_id), str(evt.device_type), str(evt.is_legacy),
                   str(evt.is_user_annotation)]
            if group_by_overload_name:
                key.append(evt.overload_name)
            if group_by_input_shapes:
                key.append(str(evt.input_shapes))
            if group_by_stack_n > 0:
                key += evt.stack[:group_by_stack_n]
            stats[tuple(key)].add(evt)
        averages = EventList(stats.values(), use_device=self._use_device, profile_memory=self._profile_memory,
                             with_flops=self._with_flops)
        for avg in averages:
            avg.stack = avg.stack[:group_by_stack_n]
            if not group_by_input_shapes:
                avg.input_shapes = ""
            if not group_by_overload_name:
                avg.overload_name = ""
        return averages

    def total_average(self) -> FunctionEventAvg:
        """One `FunctionEventAvg` keyed "Total" summing every event."""
        total = FunctionEventAvg()
        for evt in self:
            total += evt
            total.key = None
        total.key = "Total"
        return total
