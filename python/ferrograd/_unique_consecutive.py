"""`unique_consecutive`: each run of equal neighbours (elements, or slices along `dim`)
kept once, with the inverse indices and run lengths on request (as `torch.unique_consecutive`)."""

from __future__ import annotations

from typing import Any

from ._argcheck import dim_error as _dim_error
from ._argcheck import need_bool
from ._core import Tensor, bfloat16
from ._numpy import np
from ._reduce import _no_derivative

__all__ = ["unique_consecutive"]


def _runs(rows: np.ndarray) -> np.ndarray:
    """Where a new run starts among the rows of a 2-D array (NaN never equals itself)."""
    starts = np.ones(rows.shape[0], dtype=bool)
    if rows.shape[0] > 1:
        starts[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    return starts


def unique_dim(shape: tuple[int, ...], dim: int) -> int:
    """`dim` wrapped for `unique`/`unique_consecutive` over slices, after PyTorch's
    refusals: a 0-d input has no dim, and of an empty input only `dim` may be empty."""
    if not shape:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    nd = len(shape)
    if not -nd <= dim < nd:
        raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {dim})")
    d = dim % nd
    if 0 in shape:
        if shape[d] != 0:
            raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")
        if sum(1 for n in shape if n == 0) > 1:
            raise RuntimeError("Number of zero sized dimensions is more than one, so unique cannot be applied ")
    return d


def unique_consecutive(input: Tensor, return_inverse: bool = False, return_counts: bool = False, dim: int | None = None) -> Any:
    """The input with consecutive duplicates collapsed (flattened when `dim` is None).

    Args:
        input: the tensor.
        return_inverse: also return, for each element (or slice), the index of its run.
        return_counts: also return each run's length.
        dim: the dim whose slices are compared (None: the flattened elements).
    """
    from ._creation import tensor

    # PyTorch picks its implementation by the truth of the two flags first (an ambiguous
    # tensor there is its RuntimeError), then its C op checks the types
    bool(return_inverse), bool(return_counts)
    if not isinstance(input, Tensor):
        raise TypeError(f"unique_consecutive(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    need_bool("unique_consecutive", "return_inverse", None, return_inverse)
    need_bool("unique_consecutive", "return_counts", None, return_counts)
    from ._complex import refuse_complex

    # PyTorch takes a 1-D input with dim=0 (as given) through its dimless kernel
    kernel = "unique" if dim is None or (input.dim() == 1 and dim == 0) else "unique_dim"
    refuse_complex(input, kernel)
    from ._shell_dtypes import refuse_float8

    refuse_float8(kernel, input)
    values_in = input.detach()
    # NumPy has no bfloat16: compare the (exact) float32 values, converted back at the end
    arr = (values_in.float() if values_in.dtype == bfloat16 else values_in).numpy()
    if dim is None:
        flat = arr.reshape(-1)
        starts = _runs(flat.reshape(-1, 1))
        values = flat[starts]
        inverse_shape = arr.shape
    else:
        d = unique_dim(arr.shape, dim)
        moved = np.moveaxis(arr, d, 0)
        starts = _runs(moved.reshape(moved.shape[0], moved[:1].size))
        values = np.moveaxis(moved[starts], 0, d)
        inverse_shape = (moved.shape[0],)
    out = _no_derivative(tensor(np.ascontiguousarray(values), dtype=input.dtype), input, "UniqueConsecutiveBackward0",
                         "unique_consecutive")
    if not (return_inverse or return_counts):
        return out
    result = [out]
    if return_inverse:
        result.append(tensor((np.cumsum(starts) - 1).reshape(inverse_shape).astype(np.int64)))
    if return_counts:
        first = np.flatnonzero(starts)
        result.append(tensor(np.diff(np.append(first, starts.size)).astype(np.int64)))
    return tuple(result)


def _unique_consecutive_method(self: Tensor, return_inverse: bool = False, return_counts: bool = False, dim: int | None = None) -> Any:
    return unique_consecutive(self, return_inverse, return_counts, dim)


_unique_consecutive_method.__name__ = _unique_consecutive_method.__qualname__ = "unique_consecutive"
_unique_consecutive_method.__doc__ = unique_consecutive.__doc__
Tensor.unique_consecutive = _unique_consecutive_method  # type: ignore[method-assign]
