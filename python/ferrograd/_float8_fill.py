"""PyTorch's overflow check when it fills an 8-bit float tensor with a number: its
vectorized fill converts the value with a range check (one element is written without
it), so a value past the format's largest finite one, an infinity where the format has
none, or a float8_e8m0fnu value below its smallest (zero and negatives included) is a
RuntimeError rather than a saturated or rounded fill."""

from __future__ import annotations

import math

from . import _core
from ._core import Tensor
from ._dtype_info import finfo
from ._dtype_names import cpp_name
from ._shell_dtypes import is_float8


def check_fill(t: Tensor, value, numel: int | None = None) -> None:
    """PyTorch's RuntimeError for filling `t` (or `numel` elements of its dtype) with the
    number `value`, if any."""
    numel = t.numel() if numel is None else numel
    if not is_float8(t) or numel == 1 or not isinstance(value, (bool, int, float)):
        return
    value = float(value)
    if math.isnan(value):
        return
    info = finfo(t.dtype)
    if math.isinf(value):
        overflows = t.dtype is not _core.float8_e5m2  # the one 8-bit format with infinities
    else:
        overflows = value > info.max or value < info.min
    if overflows:
        raise RuntimeError(f"value cannot be converted to type {cpp_name(t.dtype)} without overflow")
