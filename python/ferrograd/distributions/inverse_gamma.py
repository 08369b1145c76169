"""`torch.distributions.inverse_gamma`'s name for InverseGamma (defined in `heavy_tailed.py`)."""

from .heavy_tailed import InverseGamma

__all__ = ["InverseGamma"]
