"""Padding modules (constant, zero, reflection, replication, circular), with PyTorch's
reprs."""

from __future__ import annotations

from ..._core import Tensor
from .. import functional as F
from .module import Module
from .utils import _ntuple

__all__ = [
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReflectionPad3d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ReplicationPad3d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
]


class _PadNd(Module):
    _n = 1
    _mode = "constant"

    def __init__(self, padding) -> None:
        super().__init__()
        # PyTorch's `_pair`/`_quadruple`/`_ntuple(6)`: any iterable (a tensor too) is read
        # as its items, so a 0-dim tensor is refused
        self.padding = _ntuple(2 * self._n)(padding)

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dim with a constant.

    Args:
        padding: an int for the same size on every side, or the 2-tuple (left, right).
        value: the fill value.

    Shape:
        input (N, C, *S) or (C, *S) with 1 padded dim; each padded dim grows by its
        two paddings.
    """

    _n = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last two dims with a constant.

    Args:
        padding: an int for the same size on every side, or the 4-tuple (left, right, top, bottom).
        value: the fill value.

    Shape:
        input (N, C, *S) or (C, *S) with 2 padded dims; each padded dim grows by its
        two paddings.
    """

    _n = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last three dims with a constant.

    Args:
        padding: an int for the same size on every side, or the 6-tuple (left, right, top, bottom, front, back).
        value: the fill value.

    Shape:
        input (N, C, *S) or (C, *S) with 3 padded dims; each padded dim grows by its
        two paddings.
    """

    _n = 3


class ZeroPad1d(ConstantPad1d):
    """Pads the last dim with zeros.

    Args:
        padding: an int for the same size on every side, or the 2-tuple (left, right).

    Shape:
        input (N, C, *S) or (C, *S) with 1 padded dim; each padded dim grows by its
        two paddings.
    """

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pads the last two dims with zeros.

    Args:
        padding: an int for the same size on every side, or the 4-tuple (left, right, top, bottom).

    Shape:
        input (N, C, *S) or (C, *S) with 2 padded dims; each padded dim grows by its
        two paddings.
    """

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad3d(ConstantPad3d):
    """Pads the last three dims with zeros.

    Args:
        padding: an int for the same size on every side, or the 6-tuple (left, right, top, bottom, front, back).

    Shape:
        input (N, C, *S) or (C, *S) with 3 padded dims; each padded dim grows by its
        two paddings.
    """

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ReflectionPad1d(_PadNd):
    """Pads the last dim with its reflection.

    Args:
        padding: an int for the same size on every side, or the 2-tuple (left, right).

    Shape:
        input (N, C, *S) or (C, *S) with 1 padded dim; each padded dim grows by its
        two paddings.
    """

    _n, _mode = 1, "reflect"


class ReflectionPad2d(_PadNd):
    """Pads the last two dims with their reflection.

    Args:
        padding: an int for the same size on every side, or the 4-tuple (left, right, top, bottom).

    Shape:
        input (N, C, *S) or (C, *S) with 2 padded dims; each padded dim grows by its
        two paddings.
    """

    _n, _mode = 2, "reflect"


class ReflectionPad3d(_PadNd):
    """Pads the last three dims with their reflection.

    Args:
        padding: an int for the same size on every side, or the 6-tuple (left, right, top, bottom, front, back).

    Shape:
        input (N, C, *S) or (C, *S) with 3 padded dims; each padded dim grows by its
        two paddings.
    """

    _n, _mode = 3, "reflect"


class ReplicationPad1d(_PadNd):
    """Pads the last dim by repeating its edge.

    Args:
        padding: an int for the same size on every side, or the 2-tuple (left, right).

    Shape:
        input (N, C, *S) or (C, *S) with 1 padded dim; each padded dim grows by its
        two paddings.
    """

    _n, _mode = 1, "replicate"


class ReplicationPad2d(_PadNd):
    """Pads the last two dims by repeating their edges.

    Args:
        padding: an int for the same size on every side, or the 4-tuple (left, right, top, bottom).

    Shape:
        input (N, C, *S) or (C, *S) with 2 padded dims; each padded dim grows by its
        two paddings.
    """

    _n, _mode = 2, "replicate"


class ReplicationPad3d(_PadNd):
    """Pads the last three dims by repeating their edges.

    Args:
        padding: an int for the same size on every side, or the 6-tuple (left, right, top, bottom, front, back).

    Shape:
        input (N, C, *S) or (C, *S) with 3 padded dims; each padded dim grows by its
        two paddings.
    """

    _n, _mode = 3, "replicate"


class _CircularPadNd(_PadNd):
    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        n = self._n
        if input.dim() not in (n + 1, n + 2):  # PyTorch's CircularPadNd._check_input_dim
            raise ValueError(f"expected {n + 1}D or {n + 2}D input (got {input.dim()}D input)")
        return F.pad(input, self.padding, self._mode)


class CircularPad1d(_CircularPadNd):
    """Pads the last dim by wrapping around.

    Args:
        padding: an int for the same size on every side, or the 2-tuple (left, right).

    Shape:
        input (N, C, *S) or (C, *S) with 1 padded dim; each padded dim grows by its
        two paddings.
    """

    _n, _mode = 1, "circular"


class CircularPad2d(_CircularPadNd):
    """Pads the last two dims by wrapping around.

    Args:
        padding: an int for the same size on every side, or the 4-tuple (left, right, top, bottom).

    Shape:
        input (N, C, *S) or (C, *S) with 2 padded dims; each padded dim grows by its
        two paddings.
    """

    _n, _mode = 2, "circular"


class CircularPad3d(_CircularPadNd):
    """Pads the last three dims by wrapping around.

    Args:
        padding: an int for the same size on every side, or the 6-tuple (left, right, top, bottom, front, back).

    Shape:
        input (N, C, *S) or (C, *S) with 3 padded dims; each padded dim grows by its
        two paddings.
    """

    _n, _mode = 3, "circular"
