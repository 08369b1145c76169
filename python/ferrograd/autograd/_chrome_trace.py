"""Profiles as Chrome trace JSON (the Kineto layout PyTorch writes), for chrome://tracing
and Perfetto."""

from __future__ import annotations

import json
import os
import socket
from typing import Any


def write_chrome_trace(events, path: str, metadata: dict | None = None, trace_id: str = "",
                       record_shapes: bool = False) -> None:
    """Writes `events` (FunctionEvents) to `path`: one complete ("X") event per op or range."""
    pid = os.getpid()
    trace_events: list[dict[str, Any]] = []
    for evt in events:
        args: dict[str, Any] = {"External id": evt.id, "Record function id": 0, "Ev Idx": len(trace_events)}
        if not evt.is_user_annotation:
            args["Sequence number"] = max(evt.sequence_nr, 0)
            args["Fwd thread id"] = 0
        if evt.input_shapes:
            args["Input Dims"] = evt.input_shapes
        trace_events.append({
            "ph": "X", "cat": "user_annotation" if evt.is_user_annotation else "cpu_op", "name": evt.trace_name,
            "pid": pid, "tid": evt.thread, "ts": evt.time_range.start, "dur": evt.time_range.elapsed_us(),
            "args": args,
        })
    trace_events.append({"ph": "M", "name": "process_name", "pid": pid, "tid": 0, "args": {"name": "python"}})
    trace: dict[str, Any] = {"schemaVersion": 1, "deviceProperties": [], "trace_id": trace_id,
                             "record_shapes": int(record_shapes), "host_name": socket.gethostname(),
                             "displayTimeUnit": "ms", "traceEvents": trace_events, "traceName": path}
    trace.update(metadata or {})
    with open(path, "w") as f:
        json.dump(trace, f)
