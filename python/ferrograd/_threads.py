"""Intra-op and inter-op thread counts, as `torch.set_num_threads` and friends."""

from __future__ import annotations

from ._core import (
    get_num_interop_threads,
    get_num_threads,
    set_num_interop_threads,
    set_num_threads,
)

__all__ = ["get_num_interop_threads", "get_num_threads", "set_num_interop_threads", "set_num_threads"]
