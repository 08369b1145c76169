"""`torch.distributions.relaxed_categorical`'s name for ExpRelaxedCategorical, RelaxedOneHotCategorical (defined in `relaxed.py`)."""

from .relaxed import ExpRelaxedCategorical, RelaxedOneHotCategorical

__all__ = ["ExpRelaxedCategorical", "RelaxedOneHotCategorical"]
