"""`torch.distributions.kumaraswamy`'s name for Kumaraswamy (defined in `heavy_tailed.py`)."""

from .heavy_tailed import Kumaraswamy

__all__ = ["Kumaraswamy"]
