"""What the activations do with integer and bool inputs, as PyTorch's kernels do: most
have no integer kernel (NotImplementedError naming the kernel and the dtype); hardtanh,
relu6 and threshold compute in the input's integer dtype with their bounds truncated
to integers."""

from __future__ import annotations

from .. import _core
from .._core import Tensor
from .._dtype_names import scalar_name


def is_integral(input) -> bool:
    """An integer or bool tensor (complex and floating inputs are not)."""
    return isinstance(input, Tensor) and not (input.dtype.is_floating_point or input.dtype.is_complex)


def need_floating_kernel(input, kernel: str) -> None:
    """PyTorch's dispatch error for a kernel compiled for floating types only."""
    if is_integral(input):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(input.dtype)}'")


def _wrapped_bound(value, input: Tensor) -> int:
    """A Python number converted to the input's integer type as C++ does: truncated,
    and wrapped into uint8's range."""
    bound = int(value)
    return bound % 256 if input.dtype == _core.uint8 else bound


def integer_hardtanh(input: Tensor, min_val, max_val, inplace: bool) -> Tensor:
    """hardtanh of an integer tensor: a clamp to the truncated bounds, keeping the dtype."""
    if input.dtype == _core.bool:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    low, high = int(min_val), int(max_val)
    if input.dtype == _core.uint8 and (low < 0 or high < 0):
        raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
    return input.clamp_(low, high) if inplace else input.clamp(low, high)


def integer_threshold(input: Tensor, threshold, value, inplace: bool) -> Tensor:
    """threshold of an integer tensor: `value` where not above `threshold`, both
    converted to the input's dtype first."""
    if input.dtype == _core.bool:
        raise NotImplementedError("\"threshold_cpu\" not implemented for 'Bool'")
    keep = input > _wrapped_bound(threshold, input)
    fill = _wrapped_bound(value, input)
    if inplace:
        return input.masked_fill_(keep.logical_not(), fill)
    return input.masked_fill(keep.logical_not(), fill)


def need_floating_loss(input, target, kernel: str) -> None:
    """A pointwise loss kernel runs in the promoted dtype of its two inputs: floating only."""
    if is_integral(input) and is_integral(target):
        dtype = _core.promote_types(input.dtype, target.dtype)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(dtype)}'")
