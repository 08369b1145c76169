"""`backends.opt_einsum`: contraction-order optimization for `einsum` (not used)."""

from __future__ import annotations

__all__ = ["enabled", "is_available", "strategy"]

enabled = False
strategy: str | None = None


def is_available() -> bool:
    """Whether the opt_einsum package is used: False."""
    return False
