"""`torch.distributions.beta`'s name for Beta (defined in `dirichlet.py`)."""

from .dirichlet import Beta

__all__ = ["Beta"]
