"""`arange` with float steps gives PyTorch's float32 and float64 values bit for bit
(recorded from PyTorch 2.13's CPU kernel by data/record_arange_bits.py)."""

import json
from pathlib import Path

import numpy as np
import pytest
from backend import fg

CASES = json.loads((Path(__file__).parent / "data" / "arange_bits_expected.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['dtype']}-{len(c['bits'])}")
def test_arange_float_bits_are_pytorchs(case):
    dtype = getattr(fg, case["dtype"])
    got = np.asarray(fg.arange(case["start"], case["end"], case["step"], dtype=dtype).tolist(),
                     dtype=np.float32 if case["dtype"] == "float32" else np.float64)
    bits = got.view(np.uint32 if case["dtype"] == "float32" else np.uint64).tolist()
    assert bits == case["bits"]


def test_cases_cover_the_paired_vectors_and_the_tail():
    lengths = {len(c["bits"]) for c in CASES}
    assert any(n >= 32 for n in lengths) and any(n % 16 for n in lengths)
