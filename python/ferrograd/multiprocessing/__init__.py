"""`ferrograd.multiprocessing`: Python's `multiprocessing` with PyTorch's additions
(sharing-strategy settings, `spawn` / `start_processes` of `fn(i, *args)` workers).

Tensors sent through queues and pipes travel as pickles (a copy); the sharing strategy is
recorded for PyTorch's API but no shared-memory transport is involved.
"""

import multiprocessing
import sys
from multiprocessing import *

from .spawn import (  # noqa: F401  (PyTorch's names, outside its __all__)
    ENV_VAR_PARALLEL_START,
    ProcessContext,
    ProcessExitedException,
    ProcessRaisedException,
    SpawnContext,
    spawn,
    start_processes,
)

__all__ = ["set_sharing_strategy", "get_sharing_strategy", "get_all_sharing_strategies"]  # noqa: RUF022 (PyTorch's order)
__all__ += multiprocessing.__all__  # type: ignore[attr-defined]

if sys.platform in ("darwin", "win32"):
    _all_sharing_strategies = {"file_system"}
    _sharing_strategy = "file_system"
else:
    _all_sharing_strategies = {"file_descriptor", "file_system"}
    _sharing_strategy = "file_descriptor"


def set_sharing_strategy(new_strategy: str) -> None:
    """Sets the strategy for sharing CPU tensors between processes.

    Args:
        new_strategy: one of `get_all_sharing_strategies()`.
    """
    global _sharing_strategy
    if new_strategy not in _all_sharing_strategies:
        raise AssertionError(
            f"invalid sharing strategy {new_strategy!r}, expected one of {_all_sharing_strategies}"
        )
    _sharing_strategy = new_strategy


def get_sharing_strategy() -> str:
    """The current strategy for sharing CPU tensors."""
    return _sharing_strategy


def get_all_sharing_strategies() -> set[str]:
    """The sharing strategies this system supports."""
    return _all_sharing_strategies

