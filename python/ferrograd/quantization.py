"""`torch.quantization`: PyTorch's older name of `ferrograd.ao.quantization`."""

from .ao.quantization import *
from .ao.quantization import __all__  # noqa: F401
