"""`get_device_module`: the `ferrograd.<device type>` module of a device."""

from __future__ import annotations

__all__ = ["get_device_module"]


def get_device_module(device=None):
    """The module of a device's type: `ferrograd.cpu` for the CPU (and for None, as no
    accelerator exists), `ferrograd.cuda` for CUDA.

    Args:
        device: a device, a device string, or None.
    """
    import ferrograd

    hash(device)  # PyTorch's lookup is cached by argument: an unhashable one is a TypeError
    if isinstance(device, ferrograd.device):
        name = device.type
    elif isinstance(device, str):
        name = ferrograd.device(device).type
    elif device is None:
        name = "cpu"
    else:
        raise RuntimeError(f"Invalid value of device '{device}', expect torch.device, str, or None")
    module = getattr(ferrograd, name, None)
    if module is None:
        raise RuntimeError(
            f"Device '{name}' does not have a corresponding module registered as 'torch.{name}'."
        )
    return module
