"""Session 31 (lead): complex powers by a Python number as PyTorch's kernels take them
(1, sqrt, rsqrt, reciprocal and products for 0, ±0.5, -1, 2, 3, -2; `cpow` otherwise),
complex division by a real divisor as a complex one (Smith's algorithm), and `exp2`,
`expm1`, `log1p` and `mean` of complex tensors with PyTorch's formulas, so that exact
results print exactly and infinite parts give PyTorch's NaNs."""

import math

import pytest
from backend import fg

INF, NAN = math.inf, math.nan


def pairs(t):
    return [(v.real, v.imag) for v in t.tolist()]


def same(got, want):
    def eq(x, y):
        return (math.isnan(x) and math.isnan(y)) or (x == y and math.copysign(1, x) == math.copysign(1, y))

    assert len(got) == len(want)
    for (gr, gi), (wr, wi) in zip(got, want):
        assert eq(gr, wr) and eq(gi, wi), (got, want)


def test_small_integer_powers_are_products():
    z = fg.tensor([1 + 2j, -0.0 + 1j, 2 - 1j])
    assert repr(z**3) == "tensor([-11.-2.j,  -0.-1.j,   2.-11.j])"
    assert repr(z**-2) == "tensor([-0.1200-0.1600j, -1.0000-0.0000j,  0.1200+0.1600j])"
    assert repr(z**0) == "tensor([1.+0.j, 1.+0.j, 1.+0.j])"
    assert repr(z**0.5) == "tensor([1.2720+0.7862j, 0.7071+0.7071j, 1.4553-0.3436j])"
    assert repr(z**-0.5) == "tensor([0.5689-0.3516j, 0.7071-0.7071j, 0.6509+0.1536j])"


def test_powers_of_infinite_and_nan_parts():
    a = fg.tensor([complex(INF, 0), complex(NAN, 0), complex(-0.0, 2), complex(0, -INF)])
    same(pairs(a**0.5), [(INF, 0.0), (NAN, NAN), (1.0, 1.0), (INF, -INF)])
    same(pairs(a**3), [(NAN, NAN), (NAN, NAN), (0.0, -8.0), (NAN, NAN)])
    same(pairs(a**-2), [(NAN, NAN), (NAN, NAN), (-0.25, -0.0), (NAN, NAN)])
    same(pairs(a**0), [(1.0, 0.0)] * 4)


def test_division_by_a_real_number_is_a_complex_division():
    a = fg.tensor([complex(INF, 0), complex(NAN, 0), complex(-0.0, 2), complex(0, -INF)])
    same(pairs(a / 2), [(INF, NAN), (NAN, NAN), (0.0, 1.0), (NAN, -INF)])
    same(pairs(a.sgn()), [(NAN, NAN), (NAN, NAN), (0.0, 1.0), (NAN, NAN)])
    assert (fg.tensor([1 + 1j]) / 2).dtype == fg.complex64
    assert (fg.tensor(1 + 1j) / 4).dtype == fg.complex64


def test_exp2_expm1_of_infinite_and_nan_parts():
    a = fg.tensor([complex(INF, 0), complex(NAN, 0), complex(-0.0, 2), complex(0, -INF)])
    got = pairs(a.exp2())
    same(got[:2] + got[3:], [(INF, 0.0), (NAN, 0.0), (NAN, NAN)])
    assert got[2] == pytest.approx((0.18345697224140167, 0.9830277562141418), rel=1e-6)
    got = pairs(a.expm1())
    same(got[:2] + got[3:], [(INF, NAN), (NAN, NAN), (NAN, NAN)])
    assert got[2] == pytest.approx((-1.4161467552185059, 0.9092974066734314), rel=1e-6)


def test_log1p_near_zero_keeps_precision():
    x = fg.tensor([0.3 + 0j, 1e-8 + 1e-8j, -1 + 1j], dtype=fg.complex128)
    got = pairs(x.log1p())
    want = [(0.262364264467491, 0.0), (9.999999999999999e-09, 9.999999900000002e-09), (0.0, 1.5707963267948966)]
    for g, w in zip(got, want):
        assert g == pytest.approx(w, rel=1e-14, abs=1e-300)


def test_complex_mean_divides_the_sum():
    same(pairs(fg.tensor([complex(INF, 1), 1 + 1j]).mean().reshape(1)), [(INF, NAN)])
    assert fg.tensor([1 + 1j, 3 - 1j]).mean().item() == 2 + 0j
    assert fg.tensor([1 + 1j], dtype=fg.complex64).mean().dtype == fg.complex64


def test_node_names_and_saved_exponent():
    w = fg.tensor([1 + 2j, 0.5 - 1j], dtype=fg.complex128, requires_grad=True)
    assert type((w**3).grad_fn).__name__ == "PowBackward0"
    assert (w**3).grad_fn._saved_exponent == 3
    assert type((w**0.5).grad_fn).__name__ == "PowBackward0"
    assert type(w.exp2().grad_fn).__name__ == "Exp2Backward0"
    assert type(w.expm1().grad_fn).__name__ == "Expm1Backward0"
    assert type(w.log1p().grad_fn).__name__ == "Log1PBackward0"
    assert type((w / 2).grad_fn).__name__ == "DivBackward0"
    assert type(w.mean().grad_fn).__name__ == "MeanBackward0"
    (w**0).sum().abs().backward()
    assert w.grad.tolist() == [0j, 0j]


@pytest.mark.parametrize("exponent", [3, -2, 0.5, -0.5, -1, 1.5, 2.5])
def test_pow_gradients(exponent):
    w = fg.tensor([1 + 2j, 0.5 - 1j, -1.5 + 0.25j], dtype=fg.complex128, requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: t**exponent, (w,))
    assert fg.autograd.gradgradcheck(lambda t: t**exponent, (w,))


@pytest.mark.parametrize("name", ["exp2", "expm1", "log1p"])
def test_unary_gradients(name):
    w = fg.tensor([1 + 2j, 0.1 - 0.2j, -0.5 + 0.25j], dtype=fg.complex128, requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: getattr(t, name)(), (w,))
    assert fg.autograd.gradgradcheck(lambda t: getattr(t, name)(), (w,))


def test_division_and_mean_gradients():
    w = fg.tensor([1 + 2j, 0.5 - 1j], dtype=fg.complex128, requires_grad=True)
    r = fg.tensor([2.0, -3.0], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(lambda a, b: a / b, (w, r))
    assert fg.autograd.gradcheck(lambda a: a.mean(), (w,))
