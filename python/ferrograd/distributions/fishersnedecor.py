"""`torch.distributions.fishersnedecor`'s name for FisherSnedecor (defined in `fisher_snedecor.py`)."""

from .fisher_snedecor import FisherSnedecor

__all__ = ["FisherSnedecor"]
