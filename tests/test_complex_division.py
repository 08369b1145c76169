"""Complex division as PyTorch's kernels divide (Smith's algorithm): signed zeros,
infinities, NaNs and quotients whose |b|² would overflow or underflow, in complex128 and
complex64 (values from torch 2.13); gradients by gradcheck."""

from __future__ import annotations

import math

import pytest
from backend import fg

INF = math.inf
NAN = math.nan

# ((a.real, a.imag), (b.real, b.imag), (q.real, q.imag)): PyTorch's a / b in complex128
CASES = [
    ((0.0, NAN), (-1.0, 0.0), (NAN, NAN)),
    ((INF, 3.0), (-1.0, INF), (NAN, NAN)),
    ((0.0, -0.0), (INF, 0.0), (0.0, -0.0)),
    ((-0.0, 3.0), (-1.0, 1.0), (1.5, -1.5)),
    ((0.0, NAN), (0.0, 0.0), (NAN, NAN)),
    ((INF, 0.0), (INF, -0.0), (NAN, NAN)),
    ((-2.0, NAN), (-1.0, 1.0), (NAN, NAN)),
    ((INF, 0.0), (0.0, -0.0), (INF, NAN)),
    ((-2.0, -0.0), (INF, 1.0), (-0.0, 0.0)),
    ((-0.0, -0.0), (-0.0, INF), (0.0, 0.0)),
    ((0.0, 3.0), (-1.0, 0.0), (-0.0, -3.0)),
    ((INF, 0.0), (-1.0, -0.0), (-INF, NAN)),
    ((0.0, 0.0), (INF, 1.0), (0.0, 0.0)),
    ((-2.0, -0.0), (1e-300, INF), (-0.0, 0.0)),
    ((-2.0, NAN), (0.0, -0.0), (-INF, NAN)),
    ((INF, NAN), (-1.0, INF), (NAN, NAN)),
    ((0.0, 0.0), (0.0, -0.0), (NAN, NAN)),
    ((-2.0, NAN), (-1.0, 0.0), (NAN, NAN)),
    ((-0.0, 3.0), (1e-300, 0.0), (0.0, 2.9999999999999996e+300)),
    ((-0.0, -0.0), (1e-300, -0.0), (0.0, -0.0)),
    ((INF, NAN), (0.0, 1.0), (NAN, NAN)),
    ((0.0, 3.0), (INF, 0.0), (0.0, 0.0)),
    ((-2.0, 0.0), (0.0, 1.0), (0.0, 2.0)),
    ((0.0, 0.0), (INF, INF), (NAN, NAN)),
    ((0.0, 0.0), (-1.0, INF), (0.0, -0.0)),
    ((0.0, 0.0), (INF, -0.0), (0.0, 0.0)),
    ((INF, -0.0), (1e-300, -0.0), (INF, NAN)),
    ((0.0, 0.0), (-0.0, 0.0), (NAN, NAN)),
    ((-2.0, -0.0), (INF, INF), (NAN, NAN)),
    ((-0.0, -0.0), (-1.0, 1.0), (-0.0, 0.0)),
    ((-2.0, 3.0), (1e-300, 0.0), (-1.9999999999999998e+300, 2.9999999999999996e+300)),
    ((INF, -0.0), (-1.0, 1.0), (-INF, -INF)),
    ((-0.0, -0.0), (INF, -0.0), (0.0, -0.0)),
    ((-2.0, NAN), (-0.0, 0.0), (-INF, NAN)),
    ((INF, 3.0), (0.0, INF), (NAN, NAN)),
    ((-0.0, -0.0), (1e-300, INF), (-0.0, 0.0)),
    ((-2.0, 0.0), (1e-300, 0.0), (-1.9999999999999998e+300, 0.0)),
    ((-0.0, -0.0), (1e-300, 1.0), (-0.0, 0.0)),
    ((-0.0, -0.0), (INF, 0.0), (-0.0, 0.0)),
    ((-2.0, NAN), (INF, INF), (NAN, NAN)),
    ((-0.0, NAN), (-1.0, 0.0), (NAN, NAN)),
    ((-2.0, 3.0), (INF, -0.0), (-0.0, 0.0)),
    ((INF, 3.0), (-0.0, 0.0), (INF, INF)),
    ((0.0, 3.0), (-1.0, INF), (0.0, -0.0)),
    ((-0.0, 0.0), (INF, INF), (NAN, NAN)),
    ((-0.0, NAN), (-1.0, INF), (NAN, NAN)),
    ((0.0, NAN), (0.0, -0.0), (NAN, NAN)),
    ((-2.0, 0.0), (-1.0, 1.0), (1.0, 1.0)),
    ((INF, 0.0), (1e-300, 0.0), (INF, NAN)),
    ((INF, 0.0), (1e-300, INF), (NAN, NAN)),
    ((-0.0, 0.0), (1e-300, -0.0), (-0.0, 0.0)),
    ((-0.0, NAN), (INF, INF), (NAN, NAN)),
    ((-0.0, NAN), (-0.0, -0.0), (NAN, NAN)),
    ((INF, NAN), (0.0, 0.0), (INF, NAN)),
    ((INF, 0.0), (INF, INF), (NAN, NAN)),
    ((INF, 0.0), (1e-300, 1.0), (INF, -INF)),
    ((-2.0, 3.0), (0.0, -0.0), (-INF, INF)),
    ((INF, NAN), (0.0, -0.0), (INF, NAN)),
    ((0.0, 0.0), (1e-300, -0.0), (0.0, 0.0)),
    ((INF, 0.0), (-0.0, -0.0), (INF, NAN)),
    ((1e+300, 1e+300), (1e+300, 1e+300), (1.0, 0.0)),
    ((1.0, 1.0), (1e-300, 1e-300), (9.999999999999999e+299, 0.0)),
    ((3.0, -4.0), (1e+200, -1e+200), (3.4999999999999996e-200, -5e-201)),
]


def _same(x: float, y: float) -> bool:
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return x == y and math.copysign(1.0, x) == math.copysign(1.0, y)


def test_complex128_quotients_match_pytorch_bit_for_bit():
    a = fg.tensor([complex(*p[0]) for p in CASES], dtype=fg.complex128)
    b = fg.tensor([complex(*p[1]) for p in CASES], dtype=fg.complex128)
    got = (a / b).tolist()
    bad = [(p, q) for p, q in zip(CASES, got) if not (_same(q.real, p[2][0]) and _same(q.imag, p[2][1]))]
    assert bad == []


def test_each_quotient_alone_matches_the_batch():
    a = fg.tensor([complex(*p[0]) for p in CASES[:8]], dtype=fg.complex64)
    b = fg.tensor([complex(*p[1]) for p in CASES[:8]], dtype=fg.complex64)
    batch = (a / b).tolist()
    for i, q in enumerate(batch):
        one = (a[i : i + 1] / b[i : i + 1]).tolist()[0]
        assert _same(one.real, q.real) and _same(one.imag, q.imag)


def test_no_overflow_in_the_denominator():
    big = fg.tensor([1e300 + 1e300j], dtype=fg.complex128)
    assert (big / big).tolist() == [1 + 0j]
    tiny = fg.tensor([1e-30 + 1e-30j], dtype=fg.complex64)
    assert (tiny / tiny).tolist() == [1 + 0j]


@pytest.mark.parametrize("real_side", [None, "numerator", "denominator"])
def test_division_gradients(real_side):
    gen = fg.Generator().manual_seed(0)
    a = fg.randn(3, 2, dtype=fg.complex128, generator=gen)
    b = fg.randn(2, dtype=fg.complex128, generator=gen) + 2
    if real_side == "numerator":
        a = a.real.contiguous()
    elif real_side == "denominator":
        b = b.real.contiguous()
    a.requires_grad_()
    b.requires_grad_()
    assert fg.autograd.gradcheck(lambda x, y: x / y, (a, b))
    if real_side is None:
        assert fg.autograd.gradgradcheck(lambda x, y: x / y, (a, b))
    assert (a / b).grad_fn.name() == "DivBackward0"
