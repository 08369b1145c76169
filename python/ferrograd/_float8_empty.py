"""Reductions of an 8-bit float tensor without elements. PyTorch's CPU build has no
8-bit kernel for them, but reaches none on no elements: the result (zeros, ones, or
nothing) is made without one, so `ones(0, dtype=float8_e4m3fn).sum()` is 0. The core
refuses the dtype first; such a call is redone here on a float32 copy and its
floating results are given the 8-bit dtype back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _core
from ._core import Tensor
from ._shell_dtypes import FLOAT8_DTYPES, refuse_float8

# the reductions that make their result without a kernel on no elements (logsumexp,
# logcumsumexp, aminmax and count_nonzero refuse as for any input)
REDUCTIONS = frozenset({
    "sum", "prod", "nansum", "cumsum", "cumprod", "amax", "amin", "max", "min", "argmax", "argmin",
    "softmax", "log_softmax", "cummax", "cummin", "mode", "mean",
})
# mean sums without a kernel, then refuses its division
_REFUSED_AFTER = {"mean": "div_cpu_reduced_float"}


def without_elements(name: str, fn: Callable, args: tuple, kwargs: dict) -> Any:
    """`fn(*args, **kwargs)` (the reduction `name`) for an 8-bit float input without
    elements, computed in float32; None when the input is not such a tensor."""
    if not args or not isinstance(args[0], Tensor):
        return None
    input = args[0]
    if input.dtype not in FLOAT8_DTYPES or input.numel():
        return None
    dtype = kwargs.get("dtype")
    if name in _REFUSED_AFTER and dtype is None:
        refuse_float8(_REFUSED_AFTER[name], input)
    result_dtype = dtype if dtype in FLOAT8_DTYPES else input.dtype
    if dtype in FLOAT8_DTYPES:
        kwargs = {**kwargs, "dtype": None}
    out = fn(input.float(), *args[1:], **kwargs)
    return _restore(out, result_dtype)


def _restore(out: Any, dtype: Any) -> Any:
    if isinstance(out, Tensor):
        return out.to(dtype) if out.dtype is _core.float32 else out
    if isinstance(out, tuple):
        restored = [_restore(x, dtype) for x in out]
        try:
            return type(out)(restored)  # a tuple, or the (values, indices) return type
        except TypeError:
            return type(out)(*restored)  # a named tuple
    return out
