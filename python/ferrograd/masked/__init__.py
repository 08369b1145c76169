"""`ferrograd.masked`: PyTorch's `torch.masked` reductions and normalizations with a
`mask=` argument on strided tensors, and MaskedTensor (`masked_tensor`,
`as_masked_tensor`)."""

from ._ops import *
from .maskedtensor.core import MaskedTensor
from .maskedtensor.creation import as_masked_tensor, is_masked_tensor, masked_tensor

__all__ = [
    "MaskedTensor", "amax", "amin", "argmax", "argmin", "as_masked_tensor", "cumprod", "cumsum",
    "is_masked_tensor", "log_softmax", "logaddexp", "logsumexp", "masked_tensor", "mean", "median", "norm",
    "normalize", "prod", "softmax", "softmin", "std", "sum", "var",
]

