"""`backends.openmp`: OpenMP (ferrograd parallelizes with its own thread pool)."""

__all__ = ["is_available"]


def is_available() -> bool:
    """Whether OpenMP is used: False."""
    return False
