"""`backends.mps`: Apple's Metal backend (not available)."""

__all__ = ["is_available", "is_built"]


def is_available() -> bool:
    """Whether MPS can be used: False."""
    return False


def is_built() -> bool:
    """Whether ferrograd was built with MPS: False."""
    return False
