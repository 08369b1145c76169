"""`torch.distributions.weibull`'s name for Weibull (defined in `heavy_tailed.py`)."""

from .heavy_tailed import Weibull

__all__ = ["Weibull"]
