"""`backends.mkl`: Intel MKL (not used)."""

__all__ = ["is_available"]


def is_available() -> bool:
    """Whether MKL is used: False (ferrograd has its own kernels)."""
    return False
