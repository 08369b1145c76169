"""`ferrograd.cpu`: PyTorch's `torch.cpu` device module. ferrograd runs on the CPU only,
so the device is always there, always initialized, and there is nothing to wait for."""

from __future__ import annotations

__all__ = ["current_device", "device_count", "is_available", "is_initialized", "set_device", "synchronize"]


def is_available() -> bool:
    """True: the CPU is always available."""
    return True


def is_initialized() -> bool:
    """True: the CPU needs no initialization."""
    return True


def device_count() -> int:
    """1: PyTorch counts the CPU as one device."""
    return 1


def current_device() -> str:
    """The name of the current device, `"cpu"`."""
    return "cpu"


def set_device(device) -> None:
    """Accepted and ignored, as in PyTorch (there is one CPU device).

    Args:
        device: the device to make current.
    """


def synchronize(device=None) -> None:
    """Returns at once: CPU kernels have finished when they return.

    Args:
        device: ignored.
    """
