"""`ferrograd.utils`: data loading, checkpointing, DLPack, safetensors."""

from . import checkpoint, data, dlpack, safetensors

__all__ = ["checkpoint", "data", "dlpack", "safetensors"]
