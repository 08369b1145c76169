"""`backends.cpu`: what the CPU offers."""

__all__ = ["get_cpu_capability"]


def get_cpu_capability() -> str:
    """The vector instruction set ferrograd's kernels use: "DEFAULT" (portable code
    that the compiler vectorizes)."""
    return "DEFAULT"
