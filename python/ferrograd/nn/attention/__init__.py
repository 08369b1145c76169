"""`ferrograd.nn.attention`: choosing the kernel of `scaled_dot_product_attention`.

On the CPU PyTorch runs its math kernel or its CPU flash kernel; ferrograd computes the
same attention either way, so the choice matters only as PyTorch's does: with neither
MATH nor FLASH_ATTENTION enabled the call raises RuntimeError."""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Iterable, Iterator

from ...backends import cuda as _cuda

__all__ = ["WARN_FOR_UNFUSED_KERNELS", "SDPBackend", "sdpa_kernel"]

WARN_FOR_UNFUSED_KERNELS = False


class SDPBackend(enum.Enum):
    """The kernels of scaled dot product attention."""

    ERROR = -1
    MATH = 0
    FLASH_ATTENTION = 1
    EFFICIENT_ATTENTION = 2
    CUDNN_ATTENTION = 3
    OVERRIDEABLE = 4

    def __int__(self) -> int:
        return self.value

    def __index__(self) -> int:
        return self.value


# backends.cuda's flag name per backend, in PyTorch's default priority order
_FLAGS = {
    SDPBackend.CUDNN_ATTENTION: "cudnn",
    SDPBackend.FLASH_ATTENTION: "flash",
    SDPBackend.EFFICIENT_ATTENTION: "mem_efficient",
    SDPBackend.MATH: "math",
    SDPBackend.OVERRIDEABLE: "overrideable",
}


def _cur_sdpa_kernel_backends(with_priority: bool = False) -> list[SDPBackend]:
    return [b for b, flag in _FLAGS.items() if _cuda._SDP[flag]]


def _sdpa_kernel(backends: Iterable[SDPBackend], set_priority: bool = False) -> None:
    chosen = set(backends)
    for b, flag in _FLAGS.items():
        _cuda._SDP[flag] = b in chosen


@contextlib.contextmanager
def sdpa_kernel(backends: list[SDPBackend] | SDPBackend, set_priority: bool = False) -> Iterator[dict]:
    """Enables only `backends` for `scaled_dot_product_attention` inside the block.

    Args:
        backends: a backend or a list of them.
        set_priority: whether the list's order is a priority order (accepted; one kernel
            runs here).
    """
    if not isinstance(backends, (list, SDPBackend)):
        raise AssertionError(  # noqa: TRY004  (PyTorch's type)
            "Backend must be an instance of SDPBackend or a list of SDPBackend instances, "
            f"got {type(backends).__name__}"
        )
    chosen = [backends] if isinstance(backends, SDPBackend) else list(dict.fromkeys(backends))
    previous = _cur_sdpa_kernel_backends(with_priority=set_priority)
    try:
        _sdpa_kernel(chosen, set_priority)
        yield {}
    finally:
        _sdpa_kernel(previous, set_priority)
