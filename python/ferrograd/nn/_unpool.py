"""`max_unpool1d/2d/3d`, with PyTorch's order of checks: its Python works out and checks
the output size from whatever numbers it is given (floats included), then its C
argument parser reads the int lists handed to the kernel (`output_size`, and in 3-d
`stride` and `padding`) and raises its TypeErrors.
"""

from __future__ import annotations

import numbers
from typing import Any

from .. import _core
from .._argcheck import INT64_OVERFLOW, fits_int64, need_tensor_method, type_name
from .._argument_types import before_parser
from .._core import Tensor
from .._dtype_names import scalar_name
from .._toplevel_misc import alert_not_deterministic
from . import _half_kernels

__all__ = ["max_unpool1d", "max_unpool2d", "max_unpool3d"]


def _per_dim(value: Any, n: int) -> tuple:
    """PyTorch's `_single`/`_pair`/`_triple`: a number repeated, a sequence as it is
    (of any length: the output size is worked out per kernel entry, indexing the others)."""
    return tuple(value) if hasattr(value, "__iter__") else (value,) * n


_LENGTH_WORDS = {2: "two elements (height, width)", 3: "three elements (depth, height, width)"}


def _check_lengths(n: int, indices: Tensor, size: list, strides=None, pads=None) -> None:
    """The kernel's checks of its int lists' lengths, which follow its check of the
    indices' dtype."""
    if indices.dtype is not _core.int64:
        tail = "" if n == 3 else f" but got: {scalar_name(indices.dtype)}"  # the 3-d kernel names no dtype
        raise RuntimeError(f"elements in indices should be type int64{tail}")
    words = _LENGTH_WORDS[n]
    if len(size) != n:
        raise RuntimeError(f"There should be exactly {words} in output_size, but got {len(size)} elements.")
    for name, values in (("stride", strides), ("padding", pads)):
        if values is not None and len(values) != n:
            raise RuntimeError(f"There should be exactly {words} in {name}, but got: {len(values)} elements.")


def _output_size(input: Tensor, kernel: tuple, stride: tuple, padding: tuple, output_size: Any) -> list:
    n = len(kernel)
    shape = tuple(input.shape)
    try:  # PyTorch's Python indexes each list per kernel entry
        default = [(shape[-n + d] - 1) * stride[d] + kernel[d] - 2 * padding[d] for d in range(n)]
    except IndexError as failure:
        raise before_parser(failure) from None
    sizes = default
    if output_size is not None:
        sizes = output_size[2:] if len(output_size) == n + 2 else output_size
        if len(sizes) != n:
            raise before_parser(ValueError(f"output_size should be a sequence containing {n} or {n + 2} elements, "
                                           f"but it has a length of '{len(sizes)}'"))
        for d in range(n):
            low, high = default[d] - stride[d], default[d] + stride[d]
            if not low < sizes[d] < high:
                raise before_parser(ValueError(f'invalid output_size "{sizes}" (dim {d} must be between {low} and {high})'))
    for d, size in enumerate(sizes):
        if size < 0:
            raise before_parser(ValueError("max_unpooling: output_size must contain non-negative spatial dimensions, "
                                           f"but got output_size[{d}]={size}"))
    return list(sizes)


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral)


def _parse_int_lists(fn: str, lists: list[tuple[str, int, list]]) -> list[list[int]]:
    """The int lists as PyTorch's parser reads them: matching the signature looks at each
    list's first element; the C++ call then unpacks the arguments right to left."""
    for arg, position, values in lists:
        if values and (not _is_int(values[0]) or isinstance(values[0], bool)):
            raise TypeError(f"{fn}(): argument '{arg}' (position {position}) must be tuple of ints, but found "
                            f"element of type {type_name(values[0])} at pos 0")
    for arg, _, values in reversed(lists):
        for pos, value in enumerate(values):
            error = None
            if not _is_int(value):
                error = f"type must be tuple of ints,but got {type_name(value)}"
            elif not fits_int64(value):
                error = INT64_OVERFLOW
            if error is not None:
                raise TypeError(f"{fn}(): argument '{arg}' failed to unpack the object at pos {pos + 1} with error "
                                f"\"{error}\"")
    return [[int(v) for v in values] for _, _, values in lists]


def _need_sizes(*values_and_methods) -> None:
    """PyTorch's max_unpool calls `input.size()` (and, in 1-d, `indices.unsqueeze()`)
    first: anything but a tensor there fails as that call does."""
    for value, method in values_and_methods:
        need_tensor_method(value, method)


def _lists(n: int, kernel_size, stride, padding) -> tuple[tuple, tuple, tuple]:
    kernel = _per_dim(kernel_size, n)
    strides = kernel if stride is None else _per_dim(stride, n)
    return kernel, strides, _per_dim(padding, n)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of max_pool1d (run as max_unpool2d over an extra dim of size 1)."""
    alert_not_deterministic("max_unpooling2d_forward_out")
    _need_sizes((input, "size"), (indices, "unsqueeze"))
    kernel, strides, pads = _lists(1, kernel_size, stride, padding)
    sizes = _output_size(input, kernel, strides, pads, output_size) + [1]
    (size,) = _parse_int_lists("max_unpool2d", [("output_size", 3, sizes)])
    _check_lengths(2, indices, size)
    return _half_kernels.max_unpool(input.unsqueeze(-1), indices.unsqueeze(-1), size).squeeze(-1)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of max_pool2d: each value put back where its index says, zeros elsewhere."""
    alert_not_deterministic("max_unpooling2d_forward_out")
    _need_sizes((input, "size"))
    kernel, strides, pads = _lists(2, kernel_size, stride, padding)
    sizes = _output_size(input, kernel, strides, pads, output_size)
    (size,) = _parse_int_lists("max_unpool2d", [("output_size", 3, sizes)])
    _check_lengths(2, indices, size)
    return _half_kernels.max_unpool(input, indices, size)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of max_pool3d."""
    alert_not_deterministic("max_unpooling3d_forward_out")
    _need_sizes((input, "size"))
    kernel, strides, pads = _lists(3, kernel_size, stride, padding)
    sizes = _output_size(input, kernel, strides, pads, output_size)
    size, stride_list, padding_list = _parse_int_lists(
        "max_unpool3d", [("output_size", 3, sizes), ("stride", 4, strides), ("padding", 5, pads)]
    )
    _check_lengths(3, indices, size, stride_list, padding_list)
    return _half_kernels.max_unpool(input, indices, size)
