"""`backends.mkldnn`: oneDNN settings (ferrograd's own kernels; the flag is kept)."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager

from ._flags import override

__all__ = ["enabled", "flags", "is_available"]

enabled = True


def is_available() -> bool:
    """Whether oneDNN (MKL-DNN) kernels are used: False (ferrograd has its own)."""
    return False


def flags(enabled: bool = False, deterministic: bool = False) -> AbstractContextManager[None]:
    """Sets the `enabled` flag inside a `with` block, restoring it after.

    Args:
        enabled: the `enabled` flag.
        deterministic: accepted for PyTorch compatibility; ignored.
    """
    del deterministic
    return override(sys.modules[__name__], enabled=enabled)
