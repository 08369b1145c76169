"""p-norm gradients at zero entries and zero norms: expected values are PyTorch 2.13's
(the session-17 dtype sweep found them)."""

import pytest
from backend import fg


@pytest.mark.parametrize(
    ("p", "expected"),
    [(0.5, [0.0, 2.4142135623730949, -1.7071067811865475]),
     (1.5, [0.0, 0.6392340078652324, -0.9040134034531213]),
     (3.0, [0.0, 0.23112042478354459, -0.92448169913417837])],
)
def test_p_norm_gradient_is_zero_at_zero_entries(p, expected):
    x = fg.tensor([0.0, 1.0, -2.0], dtype=fg.float64, requires_grad=True)
    fg.linalg.vector_norm(x, p).backward()
    assert x.grad.tolist() == pytest.approx(expected, rel=1e-12)


def test_p_norm_gradient_of_a_zero_row_is_zero():
    x = fg.tensor([[0.0, 1.0], [0.0, 0.0]], dtype=fg.float64, requires_grad=True)
    fg.linalg.vector_norm(x, 0.5, dim=1).sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0], [0.0, 0.0]]


def test_p_norm_second_derivative_at_zero_norm():
    x = fg.zeros(5, dtype=fg.float64, requires_grad=True)
    (g,) = fg.autograd.grad(fg.linalg.norm(x, 3.5), x, create_graph=True)
    (gg,) = fg.autograd.grad(g.sum(), x)
    assert g.tolist() == [0.0] * 5
    assert gg.tolist() == [0.0] * 5

