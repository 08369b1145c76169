"""`Linear`, `Identity`, `Flatten`, `Unflatten`, `Dropout`."""

from __future__ import annotations

import math

from ..._argcheck import dim_error as _dim_error
from ..._core import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Bilinear", "Dropout", "Flatten", "Identity", "Linear", "Unflatten"]


class Identity(Module):
    """Returns its input."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return input


class Linear(Module):
    """y = x Wᵀ + b, initialised as PyTorch does (same numbers for the same seed).

    Args:
        in_features: the size of each input's last dim.
        out_features: the size of each output's last dim.
        bias: learn an additive bias b (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input (*, in_features) -> output (*, out_features).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        from ..._creation import empty

        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(empty((out_features, in_features), dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(empty(out_features, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-initialises the parameters as PyTorch does at construction."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Flatten(Module):
    """Flattens dims start_dim..end_dim."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        if input.dim() == 0:  # a 0-d input has only dim 0 (or -1), as in PyTorch
            for d in (self.start_dim, self.end_dim):
                if not -1 <= d <= 0:
                    raise _dim_error(d, f"Dimension out of range (expected to be in range of [-1, 0], but got {d})")
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


def _require_int_sequence(sizes) -> None:
    if not isinstance(sizes, (tuple, list)):
        raise TypeError(f"unflattened_size must be a tuple of ints, but found type {type(sizes).__name__}")
    for idx, elem in enumerate(sizes):
        if not isinstance(elem, int):
            raise TypeError(
                f"unflattened_size must be tuple of ints, but found element of type {type(elem).__name__} at pos {idx}"
            )


class Unflatten(Module):
    """Splits dim `dim` into `unflattened_size`."""

    def __init__(self, dim: int, unflattened_size) -> None:
        super().__init__()
        _require_int_sequence(unflattened_size)
        self.dim = dim
        self.unflattened_size = unflattened_size  # kept as given: a list prints as a list

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return input.unflatten(self.dim, tuple(self.unflattened_size))

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class Dropout(Module):
    """Zeroes elements with probability p in training mode, scaling the rest by 1/(1-p).

    Args:
        p: the probability of zeroing an element (default 0.5).
        inplace: overwrite the input with the result (default False).
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        """Applies the module to `input` (see the class docstring).

        Args:
            input: the input tensor.
        """
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Bilinear(Module):
    """y = x1ᵀ A x2 + b, initialised as PyTorch does.

    Args:
        in1_features: the size of the first input's last dim.
        in2_features: the size of the second input's last dim.
        out_features: the size of the output's last dim.
        bias: learn an additive bias b (default True).
        device: the device of the parameters (the CPU); None (default) means the CPU.
        dtype: the dtype of the parameters; None (default) means the default dtype.

    Shape:
        input1 (*, in1_features), input2 (*, in2_features) -> output (*, out_features).
    """

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True,
                 device=None, dtype=None) -> None:
        super().__init__()
        from ..._creation import empty

        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        self.weight = Parameter(empty((out_features, in1_features, in2_features), dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-initialises the parameters as PyTorch does at construction."""
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        """x1ᵀ A x2 + b for each pair of rows.

        Args:
            input1: x1, (*, in1_features).
            input2: x2, (*, in2_features), the same leading dims.
        """
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )
