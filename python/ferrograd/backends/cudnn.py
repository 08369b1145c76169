"""`backends.cudnn`: cuDNN settings (cuDNN is not available; the flags are kept)."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager

from ._flags import override

__all__ = ["allow_tf32", "benchmark", "benchmark_limit", "deterministic", "enabled", "flags",
           "is_available", "version"]

enabled = True
benchmark = False
benchmark_limit = 10
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    """Whether cuDNN can be used: False (CPU only)."""
    return False


def version() -> int | None:
    """cuDNN's version: None, as it is not available."""
    return _VERSION


_VERSION = None


def flags(enabled: bool = False, benchmark: bool = False, benchmark_limit: int | None = 10,
          deterministic: bool = False, allow_tf32: bool = True) -> AbstractContextManager[None]:
    """Sets the cuDNN flags inside a `with` block, restoring them after.

    Args:
        enabled: the `enabled` flag.
        benchmark: the `benchmark` flag.
        benchmark_limit: the `benchmark_limit` setting.
        deterministic: the `deterministic` flag.
        allow_tf32: the `allow_tf32` flag.
    """
    return override(sys.modules[__name__], enabled=enabled, benchmark=benchmark,
                    benchmark_limit=benchmark_limit, deterministic=deterministic,
                    allow_tf32=allow_tf32)


