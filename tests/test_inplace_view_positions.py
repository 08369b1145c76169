"""Gradients through in-place writes into views (the view's positions in its base are
read off its layout); checked by finite differences and against the same computation
written without in-place ops. Also: `mul`/`div` save an input only for the other's
gradient, as PyTorch, so a later write into it does not break the backward."""

import pytest
from backend import fg


def _write_into_view(view):
    def f(x, v):
        y = x * 1.0
        target = view(y)
        target.mul_(v)
        return (y * y).sum()

    return f


VIEWS = [
    lambda y: y[:, 1],
    lambda y: y[1:, ::2],
    lambda y: y[2],
    lambda y: y.diagonal(),
]


@pytest.mark.parametrize("view_index", range(len(VIEWS)))
def test_gradcheck_through_inplace_view_write(view_index):
    x = fg.randn(4, 4, dtype=fg.float64, requires_grad=True)
    view = VIEWS[view_index]
    v = fg.randn(tuple(view(fg.zeros(4, 4)).shape), dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(_write_into_view(view), (x, v))


def test_gradient_equals_the_out_of_place_form():
    x = fg.randn(5, 6, dtype=fg.float64, requires_grad=True)
    y = x * 2.0
    y[1:4, ::2] += 3.0 * y[1:4, ::2]
    y.pow(2).sum().backward()
    inplace_grad = x.grad.clone()

    x.grad = None
    mask = fg.zeros(5, 6, dtype=fg.float64)
    mask[1:4, ::2] = 1.0
    z = x * 2.0 * (1.0 + 3.0 * mask)
    z.pow(2).sum().backward()
    assert fg.allclose(inplace_grad, x.grad)


def test_mul_and_div_by_a_number_survive_a_later_write_into_the_input():
    x = fg.ones(3, requires_grad=True)
    y = x * 2
    product = 3.0 * y
    quotient = y / 4.0
    y.add_(1)
    (product.sum() + quotient.sum()).backward()
    assert x.grad.tolist() == [6.5, 6.5, 6.5]


def test_mul_still_refuses_a_write_into_an_input_it_needs():
    x = fg.ones(3, requires_grad=True)
    w = fg.ones(3, requires_grad=True)
    y = x * 2
    product = y * w
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        product.sum().backward()
