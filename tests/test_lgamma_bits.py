"""`lgamma` within a unit or two in the last place of PyTorch's CPU values (its vectorized
kernel is SLEEF's; ferrograd calls the C library's float64 `lgamma`, rounded once for
float32), with the same infinities, recorded by tests/data/record_lgamma_bits.py."""

import json
import platform
from pathlib import Path

import numpy as np
import pytest
from backend import fg

DATA = json.loads((Path(__file__).parent / "data" / "lgamma_bits_expected.json").read_text())


@pytest.mark.parametrize(("dtype", "ints", "max_ulp", "rtol"), [
    ("float64", np.int64, 2, 1e-12),
    ("float32", np.int32, 1, 1e-6),
])
def test_lgamma_is_within_a_few_ulp_of_pytorch(dtype, ints, max_ulp, rtol):
    x = fg.tensor(DATA["inputs"], dtype=getattr(fg, dtype))
    got = np.asarray(fg.lgamma(x).numpy())
    want = np.asarray(DATA[dtype], dtype=np.uint64).astype(ints.__name__.replace("int", "uint"))
    want = want.view(getattr(np, dtype))
    assert np.array_equal(np.isfinite(got), np.isfinite(want))
    finite = np.isfinite(want)
    if platform.libc_ver()[0] == "glibc":
        ulps = np.abs(got.view(ints).astype(np.int64) - want.view(ints).astype(np.int64))[finite]
        assert ulps.max() <= max_ulp
    else:
        np.testing.assert_allclose(got[finite], want[finite], rtol=rtol, atol=1e-15)
