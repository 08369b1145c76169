"""`ferrograd.random` (PyTorch's `torch.random`): the default generator's seeding and
state, and `fork_rng` to draw numbers without disturbing the stream outside."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ._random import (
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)

__all__ = ["default_generator", "fork_rng", "get_rng_state", "initial_seed",
           "manual_seed", "seed", "set_rng_state", "thread_safe_generator"]


def thread_safe_generator() -> Any:
    """The generator a DataLoader thread worker should draw from, or None (the default
    generator). ferrograd's DataLoader loads in the calling thread, so this is None."""
    from .utils.data import get_worker_info

    info = get_worker_info()
    if info is not None and getattr(info, "worker_method", None) == "thread":
        rng = getattr(info, "rng", None)
        if rng is not None:
            return rng.torch_generator
    return None


@contextlib.contextmanager
def fork_rng(devices: Any = None, enabled: bool = True, _caller: str = "fork_rng",
             _devices_kw: str = "devices", device_type: Any = None) -> Iterator[None]:
    """Runs the block on a fork of the random streams: the default generator's state is
    restored when the block ends.

    Args:
        devices: accelerator devices whose streams to fork (there are none: ignored).
        enabled: False makes this a no-op.
        _caller: the name used in PyTorch's warnings; unused.
        _devices_kw: the keyword name used in PyTorch's warnings; unused.
        device_type: the accelerator type (there is none: ignored).
    """
    del devices, _caller, _devices_kw, device_type
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)
