"""`ferrograd.profiler`: PyTorch's profiler API (`torch.profiler`).

    with ferrograd.profiler.profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        with ferrograd.profiler.record_function("model_inference"):
            model(inputs)
    print(prof.key_averages().table(sort_by="cpu_time_total", row_limit=10))
"""

from __future__ import annotations

from ..autograd.profiler import record_function
from ..autograd.profiler_util import DeviceType
from ._schedule import ProfilerAction, schedule
from .profiler import (
    ProfilerActivity,
    profile,
    supported_activities,
    tensorboard_trace_handler,
)
from .profiler import (
    _KinetoProfile as _KinetoProfile,
)

__all__ = [
    "DeviceType",
    "ProfilerAction",
    "ProfilerActivity",
    "kineto_available",
    "profile",
    "record_function",
    "schedule",
    "supported_activities",
    "tensorboard_trace_handler",
]


def kineto_available() -> bool:
    """Whether the Kineto tracing library is built in: no, ferrograd records ops itself."""
    return False
