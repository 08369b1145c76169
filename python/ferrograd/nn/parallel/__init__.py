"""`ferrograd.nn.parallel`: PyTorch's data-parallel wrappers as they behave on a machine
without an accelerator (ferrograd runs on the CPU only)."""

from .data_parallel import DataParallel, data_parallel
from .distributed import DistributedDataParallel

__all__ = ["DataParallel", "DistributedDataParallel", "data_parallel"]
