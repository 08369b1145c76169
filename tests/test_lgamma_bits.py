"""`lgamma` gives PyTorch's CPU bits in float64 where the C library is glibc's (which
PyTorch's kernel calls) and agrees to ~1 ulp elsewhere; recorded by
tests/data/record_lgamma_bits.py."""

import json
import platform
from pathlib import Path

import numpy as np
from backend import fg

DATA = json.loads((Path(__file__).parent / "data" / "lgamma_bits_expected.json").read_text())


def test_float64_lgamma_matches_pytorch():
    x = fg.tensor(DATA["inputs"], dtype=fg.float64)
    got = np.asarray(fg.lgamma(x).numpy())
    want = np.asarray(DATA["float64"], dtype=np.uint64).view(np.float64)
    if platform.libc_ver()[0] == "glibc":
        mismatched = [(v, g, w) for v, g, w in zip(DATA["inputs"], got.tolist(), want.tolist())
                      if g != w and not (np.isnan(g) and np.isnan(w))]
        assert mismatched == []
    else:
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
