"""`ferrograd.profiler.schedule` and `ProfilerAction`: which steps a profiler skips,
warms up on and records, as PyTorch's."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from enum import Enum

__all__ = ["ProfilerAction", "schedule"]


class ProfilerAction(Enum):
    """What the profiler does during a step."""

    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3
    DEVICE_STOPPED = 4


def schedule(*, wait: int, warmup: int, active: int, repeat: int = 0, skip_first: int = 0,
             skip_first_wait: int = 0) -> Callable[[int], ProfilerAction]:
    """A profiler schedule: skip the first `skip_first` steps, then cycle through `wait`
    idle steps, `warmup` steps and `active` recorded steps (the last one saves, calling
    `on_trace_ready`), `repeat` times (0: until the profiler stops).

    Args:
        wait: idle steps at the start of each cycle.
        warmup: warm-up steps (profiler on, nothing kept).
        active: recorded steps.
        repeat: the number of cycles; 0 for no limit.
        skip_first: steps skipped before the first cycle.
        skip_first_wait: non-zero skips the first cycle's wait.
    """
    if wait < 0 or warmup < 0 or active <= 0 or repeat < 0 or skip_first < 0:
        raise AssertionError(
            f"Invalid profiler schedule arguments. Got wait={wait} (need >= 0), warmup={warmup} (need >= 0), "
            f"active={active} (need > 0), repeat={repeat} (need >= 0), skip_first={skip_first} (need >= 0).")
    if warmup == 0:
        warnings.warn("Profiler won't be using warmup, this can skew profiler results", stacklevel=2)

    def schedule_fn(step: int) -> ProfilerAction:
        if step < 0:
            raise AssertionError(f"Step must be non-negative. Got {step}.")
        if step < skip_first:
            return ProfilerAction.NONE
        step -= skip_first
        if skip_first_wait != 0:
            step += wait
        num_steps = wait + warmup + active
        if repeat > 0 and step / num_steps >= repeat:
            return ProfilerAction.NONE
        mod_step = step % num_steps
        if mod_step < wait:
            return ProfilerAction.NONE
        if mod_step < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if mod_step < num_steps - 1 else ProfilerAction.RECORD_AND_SAVE

    return schedule_fn


def _default_schedule_fn(_: int) -> ProfilerAction:
    """Without a schedule the profiler records every step."""
    return ProfilerAction.RECORD
