"""`EventList.table`: PyTorch's profiler summary table, column for column."""

from __future__ import annotations

from .profiler_util import EventList, _format_memory, _format_time, _format_time_share

_COLUMN_WIDTH = 12
_SPACING = 2


def _in_unit(time_us: float, default: str, time_unit: str | None) -> str:
    if time_unit == "s":
        return f"{time_us / 1e6:.3f}s"
    if time_unit == "ms":
        return f"{time_us / 1e3:.3f}ms"
    if time_unit == "us":
        return f"{time_us:.3f}us"
    return default


def _trim_path(path: str, width: int) -> str:
    if len(path) > width:
        path = path[len(path) - width:]
        if len(path) > 3:
            path = "..." + path[3:]
    return path


def _truncate(name: str, width: int | None) -> str:
    if width is not None and len(name) >= width - 3:
        return name[: width - 3] + "..."
    return name


def build_table(events, sort_by=None, header=None, row_limit=100, max_src_column_width=75, max_name_column_width=55,
                max_shapes_column_width=80, with_flops=False, profile_memory=False, top_level_events_only=False,
                time_unit=None) -> str:
    """The summary table of `events` (FunctionEvent or FunctionEventAvg), as PyTorch prints it."""
    if len(events) == 0:
        return ""
    use_device = events[0].use_device
    has_input_shapes = any(evt.input_shapes is not None and len(evt.input_shapes) > 0 for evt in events)
    has_overload_names = any(evt.overload_name is not None and len(evt.overload_name) > 0 for evt in events)
    if sort_by is not None:
        attribute = sort_by.replace("cuda", "device").replace("xpu", "device").replace("privateuse1", "device")
        events = EventList(sorted(events, key=lambda evt: getattr(evt, attribute), reverse=True),
                           use_device=use_device, profile_memory=profile_memory, with_flops=with_flops)

    name_width = max(len(evt.key) for evt in events) + 4
    if max_name_column_width is not None:
        name_width = min(name_width, max_name_column_width)
    shapes_width = max(len(str(evt.input_shapes)) for evt in events) + 4
    if max_shapes_column_width is not None:
        shapes_width = min(shapes_width, max_shapes_column_width)
    stacks = [evt.stack for evt in events if evt.stack]
    src_width = 0
    if stacks:
        src_width = max(len(entry) for stack in stacks for entry in stack) + 4
        if max_src_column_width is not None:
            src_width = min(src_width, max_src_column_width)

    headers = ["Name"] + (["Overload Name"] if has_overload_names else [])
    headers += ["Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg"]
    if profile_memory:
        headers += ["CPU Mem", "Self CPU Mem"]
    headers.append("# of Calls")
    append_node_id = any(evt.node_id != -1 for evt in events)
    if append_node_id:
        headers.append("Node ID")

    widths = [name_width] + ([name_width] if has_overload_names else [])
    widths += [_COLUMN_WIDTH] * (len(headers) - len(widths))
    directions = [">"] * len(widths)
    if has_input_shapes:
        headers.append("Input Shapes")
        widths.append(shapes_width)
        directions.append(">")
    if stacks:
        headers.append("Source Location")
        widths.append(src_width)
        directions.append("<")
    flops_scale = 1.0
    raw_flops = [evt.flops for evt in events if evt.flops] if with_flops else []
    if raw_flops:
        flops_scale, flops_header = _flops_scale(min(raw_flops))
        headers.append(f"Total {flops_header}")
        widths.append(_COLUMN_WIDTH)
        directions.append(">")
    row_format = "".join("{: " + d + str(w) + "}" + " " * _SPACING for d, w in zip(directions, widths))
    header_sep = "".join("-" * w + " " * _SPACING for w in widths)
    line_length = sum(w + _SPACING for w in widths) - _SPACING

    total_self_cpu = sum(evt.self_cpu_time_total for evt in events)
    lines = []
    if header is not None:
        lines += ["=" * line_length, header]
    if top_level_events_only:
        lines += ["=" * line_length, "This report only display top-level ops statistics"]
    lines += [header_sep, row_format.format(*headers), header_sep]

    shown = 0
    for evt in events:
        if shown == row_limit:
            break
        if top_level_events_only and evt.cpu_parent is not None:
            continue
        shown += 1
        evt.self_cpu_percent = _format_time_share(evt.self_cpu_time_total, total_self_cpu)
        evt.total_cpu_percent = _format_time_share(evt.cpu_time_total, total_self_cpu) if not evt.is_async else 0
        row = [_truncate(evt.key, max_name_column_width)]
        if has_overload_names:
            row.append(_truncate(evt.overload_name, max_name_column_width))
        row += [evt.self_cpu_percent, _in_unit(evt.self_cpu_time_total, evt.self_cpu_time_total_str, time_unit),
                evt.total_cpu_percent, _in_unit(evt.cpu_time_total, evt.cpu_time_total_str, time_unit),
                _in_unit(evt.cpu_time, evt.cpu_time_str, time_unit)]
        if profile_memory:
            row += [_format_memory(evt.cpu_memory_usage), _format_memory(evt.self_cpu_memory_usage)]
        row.append(evt.count)
        if append_node_id:
            row.append(evt.node_id)
        if has_input_shapes:
            row.append(str(evt.input_shapes)[:shapes_width])
        if raw_flops:
            row.append("--" if not evt.flops else f"{evt.flops * flops_scale:8.3f}")
        if stacks:
            row.append(_trim_path(evt.stack[0], src_width) if evt.stack else "")
        lines.append(row_format.format(*row))
        if stacks:
            blank = [""] * (len(headers) - 1)
            for entry in evt.stack[1:]:
                lines.append(row_format.format(*blank, _trim_path(entry, src_width)))
            lines.append(row_format.format(*blank, ""))
    lines.append(header_sep)
    lines.append(f"Self CPU time total: {_in_unit(total_self_cpu, _format_time(total_self_cpu), time_unit)}")
    return "".join(line + "\n" for line in lines)


def _flops_scale(flops: int) -> tuple[float, str]:
    import math

    names = ["FLOPs", "KFLOPs", "MFLOPs", "GFLOPs", "TFLOPs", "PFLOPs"]
    level = int(max(0, min(math.log10(flops) / 3, float(len(names) - 1))))
    return 10 ** (level * -3.0), names[level]
