"""PyTorch's CPU rule for the norms' parameters (layer_norm, group_norm, batch_norm):
parameters of another dtype than the input are allowed only as float32 beside a
float16/bfloat16 input, and the result keeps the input's dtype."""

from __future__ import annotations

from .. import _core


def check_mixed_dtype(input, *params) -> bool:
    """Raises PyTorch's 'mixed dtype (CPU)' RuntimeError for a bad mix; True when the
    parameters are float32 beside a half-precision input."""
    given = [p for p in params if p is not None]
    if all(p.dtype == input.dtype for p in given):
        return False
    for p in given:
        if p.dtype != _core.float32:
            raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
    if input.dtype not in (_core.float16, _core.bfloat16):
        raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
    return True
