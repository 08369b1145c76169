"""`ferrograd.masked`: PyTorch's `torch.masked` reductions and normalizations with a
`mask=` argument on strided tensors, and MaskedTensor (`masked_tensor`,
`as_masked_tensor`; the class itself is defined on first use)."""

from typing import Any

from ._ops import *
from .maskedtensor.creation import as_masked_tensor, is_masked_tensor, masked_tensor

__all__ = [
    "MaskedTensor", "amax", "amin", "argmax", "argmin", "as_masked_tensor", "cumprod", "cumsum",
    "is_masked_tensor", "log_softmax", "logaddexp", "logsumexp", "masked_tensor", "mean", "median", "norm",
    "normalize", "prod", "softmax", "softmin", "std", "sum", "var",
]


def __getattr__(name: str) -> Any:
    if name == "MaskedTensor":
        from .maskedtensor.core import MaskedTensor

        return MaskedTensor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
