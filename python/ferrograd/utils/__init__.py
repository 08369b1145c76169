"""`ferrograd.utils`: data loading, checkpointing, DLPack, safetensors, hook handles."""

from . import checkpoint, data, dlpack, hooks, safetensors
from ._swap import swap_tensors

__all__ = ["checkpoint", "data", "dlpack", "hooks", "safetensors", "swap_tensors"]
