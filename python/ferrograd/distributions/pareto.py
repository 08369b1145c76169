"""`torch.distributions.pareto`'s name for Pareto (defined in `heavy_tailed.py`)."""

from .heavy_tailed import Pareto

__all__ = ["Pareto"]
