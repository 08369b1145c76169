"""Session 28: complex exp, log, sqrt and the trigonometric and hyperbolic functions and
their inverses give PyTorch's values (the C library's, Annex G's infinities and signed
zeros), as one node each whose gradient is `grad * conj(f'(z))`."""

import cmath
import math

import pytest
from backend import fg

INF = math.inf
NAMES = ["exp", "log", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh",
         "asin", "acos", "atan", "asinh", "acosh", "atanh"]


def parts(t):
    z = complex(t.item())
    return z.real, z.imag


def same(a, b):
    return (a == b and math.copysign(1, a) == math.copysign(1, b)) or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("name, z, want", [
    ("exp", complex(INF, 0.0), (INF, 0.0)),
    ("exp", complex(INF, -0.0), (INF, -0.0)),
    ("sin", complex(0.0, INF), (0.0, INF)),
    ("cos", complex(0.0, INF), (INF, -0.0)),
    ("sinh", complex(0.0, INF), (0.0, math.nan)),
    ("tanh", complex(0.0, math.nan), (0.0, math.nan)),
    ("asinh", complex(0.0, INF), (INF, math.pi / 2)),
    ("atan", complex(0.0, INF), (math.pi / 2, 0.0)),
    ("atanh", complex(0.0, INF), (0.0, math.pi / 2)),
    ("log", complex(0.0, 0.0), (-INF, 0.0)),
    ("sqrt", complex(-4.0, -0.0), (0.0, -2.0)),
])
def test_special_values_follow_the_c_library(name, z, want, dtype):
    got = parts(getattr(fg, name)(fg.tensor([z], dtype=getattr(fg, dtype))))
    for g, w in zip(got, want):
        assert same(g, float(w) if dtype == "complex128" else float(fg.tensor(w).item()))


def test_exact_roots_and_logarithms_in_complex64():
    assert fg.sqrt(fg.tensor([2j, 8j], dtype=fg.complex64)).tolist() == [1 + 1j, 2 + 2j]
    got = fg.log(fg.tensor([1 + 1j], dtype=fg.complex64)).view(fg.float32).tolist()
    assert got == [fg.tensor(0.3465736).item(), fg.tensor(0.7853982).item()]


def test_complex128_acos_of_zero_has_a_positive_zero_imaginary_part():
    re, im = parts(fg.acos(fg.tensor([0j], dtype=fg.complex128)))
    assert re == math.pi / 2 and math.copysign(1, im) == 1.0
    assert math.copysign(1, parts(fg.acos(fg.tensor([0j], dtype=fg.complex64)))[1]) == -1.0


@pytest.mark.parametrize("name", NAMES)
def test_values_match_cmath_away_from_branch_cuts(name):
    zs = [0.3 + 0.4j, -0.7 + 0.2j, 1.5 - 0.6j]
    got = getattr(fg, name)(fg.tensor(zs, dtype=fg.complex128)).tolist()
    for z, g in zip(zs, got):
        assert cmath.isclose(g, getattr(cmath, name)(z), rel_tol=1e-14, abs_tol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_one_node_and_its_gradient(name):
    z = fg.tensor([0.3 + 0.4j, -0.7 + 0.2j, 1.5 - 0.6j], dtype=fg.complex128, requires_grad=True)
    out = getattr(fg, name)(z)
    node = out.grad_fn
    assert node.name() == name.capitalize() + "Backward0"
    assert node.next_functions[0][0].name() == "torch::autograd::AccumulateGrad"
    assert fg.autograd.gradcheck(getattr(fg, name), (z,))


def test_gradients_of_gradients():
    z = fg.tensor([0.3 + 0.4j, -0.7 + 0.2j], dtype=fg.complex128, requires_grad=True)
    for f in (fg.exp, fg.sin, fg.tanh, fg.asin, fg.sqrt):
        assert fg.autograd.gradgradcheck(f, (z,))
