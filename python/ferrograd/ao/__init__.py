"""`torch.ao`: the quantization tools (`ferrograd.ao.quantization`)."""

from . import quantization

__all__ = ["quantization"]
