"""`DistributedDataParallel`: it needs a default process group, which ferrograd (one
process, no `distributed` package) never has, so building one raises PyTorch's error for
an uninitialized group."""

from __future__ import annotations

from typing import Any

from ..modules.module import Module

__all__ = ["DistributedDataParallel"]


class DistributedDataParallel(Module):
    """Refuses to be built: there is no process group to synchronize over."""

    def __init__(self, module: Module, *args: Any, **kwargs: Any) -> None:
        raise ValueError("Default process group has not been initialized, please make sure to call init_process_group.")
