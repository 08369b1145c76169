"""`ferrograd.utils`: data loading, checkpointing, DLPack, safetensors, hook handles."""

from . import checkpoint, data, deterministic, dlpack, hooks, safetensors
from ._swap import swap_tensors

__all__ = ["checkpoint", "data", "deterministic", "dlpack", "hooks", "safetensors", "swap_tensors"]
