"""Stack traces of traced nodes (`Tracer.record_stack_traces`): the frames of the user's
code from the first `forward` in, innermost last, as PyTorch records them; and the
one-line summary `print_readable` writes above a node's code."""

from __future__ import annotations

import os
import re
import traceback

_FX_DIR = os.path.dirname(os.path.abspath(__file__))
_PACKAGE_DIR = os.path.dirname(_FX_DIR)
_FRAME = re.compile(r'^File "(.+)", line (\d+), in (.+)$')


def user_stack_trace() -> str | None:
    """The calling code's frames from the first one in a `forward`, without ferrograd's
    own (None when no `forward` is on the stack, as in PyTorch)."""
    frames = traceback.extract_stack()
    first = next((i for i, f in enumerate(frames) if f.name == "forward"), None)
    if first is None:
        return None
    user = [f for f in frames[first:] if not os.path.abspath(f.filename).startswith(_PACKAGE_DIR + os.sep)]
    if not user:
        return None
    return "".join(traceback.StackSummary.from_list(user).format()).strip()


def summary(stack_trace: str | None) -> str | None:
    """`File: path:line in name, code: text` of the innermost frame of a stack trace."""
    if stack_trace is None:
        return None
    lines = stack_trace.strip().split("\n")
    for i in range(len(lines) - 2, -1, -1):
        found = _FRAME.match(lines[i].strip())
        if found:
            file, lineno, name = found.groups()
            return f"File: {file}:{lineno} in {name}, code: {lines[i + 1].strip()}"
    return None
