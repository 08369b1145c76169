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


class _CpuAmp:
    """`ferrograd.cpu.amp`: PyTorch's deprecated CPU spellings of `ferrograd.amp`."""

    @staticmethod
    def autocast(enabled: bool = True, dtype=None, cache_enabled: bool = True):
        """`ferrograd.amp.autocast("cpu", ...)` (deprecated spelling: warns).

        Args:
            enabled: whether autocast is on in the block.
            dtype: bfloat16 (default) or float16.
            cache_enabled: accepted for PyTorch compatibility.
        """
        import warnings

        from .amp import autocast

        warnings.warn("`torch.cpu.amp.autocast(args...)` is deprecated. Please use "
                      "`torch.amp.autocast('cpu', args...)` instead.", FutureWarning, stacklevel=2)
        return autocast("cpu", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)

    @staticmethod
    def GradScaler(init_scale: float = 2.0**16, growth_factor: float = 2.0, backoff_factor: float = 0.5,
                   growth_interval: int = 2000, enabled: bool = True):
        """`ferrograd.amp.GradScaler("cpu", ...)` (deprecated spelling: warns).

        Args:
            init_scale: the first scale.
            growth_factor: the scale's growth factor.
            backoff_factor: the scale's backoff factor.
            growth_interval: clean steps between growths.
            enabled: whether the scaler scales.
        """
        import warnings

        from .amp import GradScaler

        warnings.warn("`torch.cpu.amp.GradScaler(args...)` is deprecated. Please use "
                      "`torch.amp.GradScaler('cpu', args...)` instead.", FutureWarning, stacklevel=2)
        return GradScaler("cpu", init_scale, growth_factor, backoff_factor, growth_interval, enabled)


amp = _CpuAmp()
