"""Lead's session-18 fixes: bool `div(rounding_mode='trunc')` has no kernel, and a
complex cumulative product or log-sum-exp over an expanded dim too large for memory
raises PyTorch's allocation error instead of aborting the process."""

from __future__ import annotations

import pytest
from backend import fg


def test_bool_trunc_division_has_no_kernel():
    a = fg.tensor([True, True])
    with pytest.raises(NotImplementedError, match="\"div_trunc_cpu\" not implemented for 'Bool'"):
        fg.div(a, a, rounding_mode="trunc")
    with pytest.raises(NotImplementedError, match="\"div_floor_cpu\" not implemented for 'Bool'"):
        fg.div(a, a, rounding_mode="floor")
    assert fg.div(a, fg.tensor([1, 2]), rounding_mode="trunc").tolist() == [1, 0]


@pytest.mark.parametrize("op", ["cumprod", "logcumsumexp"])
def test_complex_scan_over_a_huge_expanded_dim_raises(op):
    z = fg.zeros(1, dtype=fg.complex64).expand(2**40)
    with pytest.raises(RuntimeError, match="can't allocate memory"):
        getattr(z, op)(0)
