"""`ferrograd.masked`: PyTorch's `torch.masked` reductions and normalizations with a
`mask=` argument, on strided tensors (MaskedTensor is not provided)."""

from ._ops import *
from ._ops import __all__ as __all__
