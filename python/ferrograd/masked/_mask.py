"""The mask plumbing shared by `ferrograd.masked`'s operations: dims in canonical form,
the boolean mask broadcast to the input's shape, and the identity value that stands in
for masked-out elements (so that a plain reduction over the filled tensor gives the
masked result)."""

from __future__ import annotations

import builtins
import math
from typing import Any

from .. import _core
from .._core import Tensor
from .maskedtensor.creation import is_masked_tensor

# dtypes whose sum/prod PyTorch accumulates in int64 when no dtype is given
_PROMOTED_TO_INT64 = frozenset({"uint8", "bool", "int8", "int16", "int32"})


def dtype_name(dtype) -> str:
    return str(dtype).rsplit(".", 1)[-1]


def sum_dtype(input: Tensor, dtype):
    """The result dtype of a masked sum or prod: `dtype`, else the input's, small
    integers and bools widened to int64."""
    if dtype is not None:
        return dtype
    return _core.int64 if dtype_name(input.dtype) in _PROMOTED_TO_INT64 else input.dtype


def canonical_dims(dim, ndim: int) -> tuple[int, ...]:
    """`dim` (None, an int or a sequence of ints) as a sorted tuple of non-negative
    dims; None and `()` mean every dim."""
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return tuple(range(ndim))
    ndim = builtins.max(ndim, 1)
    dims: list[int] = []
    for d in (dim,) if isinstance(dim, builtins.int) else dim:
        if d in dims:
            raise RuntimeError(f"dim={d} appears multiple times in the list of dims")
        if d >= ndim or d < -ndim:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {d})"
            )
        dims.append(d % ndim)
    return tuple(sorted(dims))


def input_mask(input: Tensor, mask: Tensor) -> Tensor:
    """`mask` as a bool tensor of the input's shape (broadcast when smaller)."""
    if tuple(mask.shape) != tuple(input.shape):
        if mask.dim() > input.dim():
            raise IndexError(
                "_input_mask expected broadcastable mask (got mask dimensionality higher than of the input)"
            )
        mask = mask.clone().broadcast_to(input.shape)
    return mask.to(dtype=_core.bool)


def identity(op: str, input: Tensor, ord: Any = 2) -> Tensor | None:
    """The value that leaves reduction `op` unchanged, as a 0-dim tensor of the input's
    dtype (None for mean, var and std, whose identity is undefined)."""
    from .. import tensor

    dtype = input.dtype
    name = dtype_name(dtype)
    is_float = dtype.is_floating_point
    # PyTorch's identities of the max/min family exist for signed integers and uint8 only
    has_int_bound = not is_float and not dtype.is_complex and name != "bool" and (
        not name.startswith("uint") or name == "uint8")
    if dtype.is_complex and op in ("amax", "argmax", "logaddexp", "amin", "argmin"):
        raise TypeError("ferrograd.iinfo() requires an integer input type. Use ferrograd.finfo "
                        "to handle 'ferrograd.iinfo'")
    if op in ("sum", "cumsum"):
        return tensor(0, dtype=dtype)
    if op in ("prod", "cumprod"):
        return tensor(1, dtype=dtype)
    if op in ("amax", "argmax", "logaddexp", "logsumexp"):
        if is_float or (op == "logsumexp" and dtype.is_complex):
            return tensor(-math.inf, dtype=dtype)
        if has_int_bound:
            return tensor(_int_bound(name, low=True), dtype=dtype)
    elif op in ("amin", "argmin"):
        if is_float:
            return tensor(math.inf, dtype=dtype)
        if has_int_bound:
            return tensor(_int_bound(name, low=False), dtype=dtype)
    elif op in ("mean", "var", "std"):
        return None
    elif op == "norm":
        if ord == -math.inf:
            if not is_float:
                raise AssertionError(f"input must be floating point, got {dtype}")
            return tensor(math.inf, dtype=dtype)
        return tensor(0, dtype=dtype)
    elif op == "median":
        return tensor(math.nan, dtype=dtype if is_float else _core.float32)
    raise NotImplementedError(f"identity of {op} on {dtype} input")


def _int_bound(name: str, low: bool) -> int:
    from .._dtype_info import iinfo

    info = iinfo(getattr(_core, name))
    return info.min if low else info.max


def fill_masked(op: str, input: Tensor, mask: Tensor | None, ord: Any = 2) -> Tensor:
    """`input` with its masked-out elements replaced by `op`'s identity (the input
    itself when there is no mask). A MaskedTensor input is filled by its own mask and
    `mask` is ignored, as PyTorch's `_combine_input_and_mask` does; the result is a
    plain tensor."""
    from .. import where

    if is_masked_tensor(input):
        mask = input.get_mask()
        input = input.get_data()
    if mask is None:
        return input
    canonical = input_mask(input, mask)
    return where(canonical, input, identity(op, input, ord))
