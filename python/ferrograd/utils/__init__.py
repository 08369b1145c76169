"""`ferrograd.utils`: data loading, DLPack, safetensors."""

from . import data, dlpack, safetensors

__all__ = ["data", "dlpack", "safetensors"]
