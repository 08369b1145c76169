"""Channel-wise and alpha dropout modules (PyTorch's arguments and reprs)."""

from __future__ import annotations

from ..._core import Tensor
from .. import functional as F
from .module import Module

__all__ = ["AlphaDropout", "Dropout1d", "Dropout2d", "Dropout3d", "FeatureAlphaDropout"]


class _DropoutNd(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_DropoutNd):
    """Zeroes whole channels of (N, C, L) or (C, L) in training mode.

    Args:
        p: the probability of zeroing an element (default 0.5).
        inplace: overwrite the input with the result (default False).
    """

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zeroes whole channels of (N, C, H, W) in training mode.

    Args:
        p: the probability of zeroing an element (default 0.5).
        inplace: overwrite the input with the result (default False).
    """

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Zeroes whole channels of (N, C, D, H, W) in training mode.

    Args:
        p: the probability of zeroing an element (default 0.5).
        inplace: overwrite the input with the result (default False).
    """

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Dropout that keeps SELU's self-normalising mean and variance.

    Args:
        p: the probability of zeroing an element (default 0.5).
        inplace: overwrite the input with the result (default False).
    """

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels.

    Args:
        p: the probability of zeroing an element (default 0.5).
        inplace: overwrite the input with the result (default False).
    """

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.feature_alpha_dropout(input, self.p, self.training)
