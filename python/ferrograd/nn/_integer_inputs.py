"""What the activations do with integer and bool inputs, as PyTorch's kernels do: most
have no integer kernel (NotImplementedError naming the kernel and the dtype); hardtanh,
relu6 and threshold compute in the input's integer dtype with their bounds truncated
to integers."""

from __future__ import annotations

from .. import _core
from .._argcheck import checked_integer
from .._core import Tensor
from .._dtype_names import scalar_name
from .._shell_dtypes import is_float8


def is_integral(input) -> bool:
    """An integer or bool tensor (complex and floating inputs are not)."""
    return isinstance(input, Tensor) and not (input.dtype.is_floating_point or input.dtype.is_complex)


def need_floating_kernel(input, kernel: str) -> None:
    """PyTorch's dispatch error for a kernel compiled for the usual floating types only
    (not the 8-bit floats)."""
    if is_integral(input) or is_float8(input):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(input.dtype)}'")


def _wrapped_bound(value, input: Tensor) -> int:
    """A Python number converted to the input's integer type as C++ does (see
    `checked_integer`)."""
    return checked_integer(value, input.dtype)


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
    if input.dtype in (_core.bool, _core.uint16, _core.uint32, _core.uint64):
        raise NotImplementedError(f"\"threshold_cpu\" not implemented for '{scalar_name(input.dtype)}'")
    keep = input > _wrapped_bound(threshold, input)
    fill = _wrapped_bound(value, input)
    if inplace:
        return input.masked_fill_(keep.logical_not(), fill)
    return input.masked_fill(keep.logical_not(), fill)


def need_floating_loss(input, target, kernel: str) -> None:
    """A pointwise loss kernel runs in the promoted dtype of its two inputs: floating only."""
    if is_integral(input) and is_integral(target) or is_float8(input) and is_float8(target):
        dtype = _core.promote_types(input.dtype, target.dtype)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(dtype)}'")


def need_result_in_input_dtype(input, target) -> None:
    """Loss kernels that write into a tensor of the input's dtype (huber, soft margin):
    the promoted dtype of input and target must cast to it, as PyTorch's TensorIterator
    checks."""
    if not (isinstance(input, Tensor) and isinstance(target, Tensor)):
        return
    from .._tensor_api import can_cast

    result = _core.promote_types(input.dtype, target.dtype)
    if not can_cast(result, input.dtype):
        raise RuntimeError(f"result type {scalar_name(result)} can't be cast to the desired output type "
                           f"{scalar_name(input.dtype)}")
