"""`ferrograd.utils`: data loading, checkpointing, DLPack, safetensors, hook handles."""

from . import checkpoint, data, dlpack, hooks, safetensors

__all__ = ["checkpoint", "data", "dlpack", "hooks", "safetensors"]
