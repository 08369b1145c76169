"""Gradients against central finite differences, in float64.

``fg.autograd.gradcheck`` compares every backward formula with numerical
differentiation, ``gradgradcheck`` does the same for the backward of the backward
(the formulas are ops themselves, so create_graph works). Inputs are built so that
no point sits on a kink (ties of maximum/amax, zeros of abs/relu, clamp bounds,
remainder's jumps), whatever the random generator gives.

Where a function has a kink, PyTorch picks a value; those conventions are hard-coded
at the end, from PyTorch 2.13.
"""

import math

import numpy as np
import pytest
from backend import fg

D = fg.float64


def seed():
    fg.manual_seed(0)


def leaf(t):
    return t.detach().to(D).requires_grad_()


def rand(*shape):
    return leaf(fg.rand(*shape, dtype=D))


def pos(*shape):
    """In [0.5, 1.5): safe for log, sqrt, division, pow."""
    return leaf(fg.rand(*shape, dtype=D) + 0.5)


def alternating(*shape):
    n = math.prod(shape)
    return (fg.arange(n) % 2 * 2 - 1).reshape(shape).to(D)


def away0(*shape):
    """Magnitude in [0.2, 1.2), alternating signs: no zero of abs or relu nearby."""
    return leaf((fg.rand(*shape, dtype=D) + 0.2) * alternating(*shape))


def spread(*shape, step=0.1):
    """Distinct values at least 0.09 * step/0.1 apart, in a scrambled order:
    k * step + jitter for a permutation k of 0..n-1 (n must be prime to 7)."""
    n = math.prod(shape)
    k = (fg.arange(n) * 7 % n).reshape(shape).to(D)
    return leaf(k * step + 0.03 + fg.rand(*shape, dtype=D) * 0.02)


def check(fn, *inputs):
    inputs = tuple(leaf(t) for t in inputs)
    assert fg.autograd.gradcheck(fn, inputs) is True


# (id, function, input factory) -- each factory returns the inputs as a tuple
CASES = [
    # binary ops, with broadcasting
    ("add", lambda a, b: a + b, lambda: (rand(3, 4), rand(3, 4))),
    ("add_broadcast", lambda a, b: a + b, lambda: (rand(3, 1), rand(4))),
    ("add_alpha", lambda a, b: a.add(b, alpha=2.5), lambda: (rand(3), rand(3))),
    ("sub_broadcast", lambda a, b: a - b, lambda: (rand(2, 1, 3), rand(4, 1))),
    ("mul_broadcast", lambda a, b: a * b, lambda: (rand(3, 1), rand(1, 4))),
    ("mul_scalar_tensor", lambda a, b: a * b, lambda: (rand(()), rand(2, 3))),
    ("div_broadcast", lambda a, b: a / b, lambda: (rand(3, 4), pos(4))),
    ("div_zero_dim", lambda a, b: a / b, lambda: (rand(5), pos(()))),
    ("pow_tensor_exponent", lambda a, b: a**b, lambda: (pos(3, 4), rand(3, 4) * 3 - 1)),
    ("pow_broadcast", lambda a, b: a**b, lambda: (pos(3, 1), rand(4) * 2)),
    # spread() keeps at least 0.03 away from multiples of 0.1 plus 0.05
    ("maximum", lambda a, b: fg.maximum(a, b), lambda: (spread(11), fg.full((11,), 0.5))),
    ("minimum", lambda a, b: fg.minimum(a, b), lambda: (spread(11), fg.full((11,), 0.5))),
    (
        "maximum_broadcast",
        lambda a, b: fg.maximum(a, b),
        lambda: (leaf(fg.tensor([[0.05], [0.35], [0.65]])), leaf(fg.tensor([0.2, 0.5, 0.8, 0.95]))),
    ),
    (
        "minimum_broadcast",
        lambda a, b: fg.minimum(a, b),
        lambda: (leaf(fg.tensor([[0.05], [0.35], [0.65]])), leaf(fg.tensor([0.2, 0.5, 0.8, 0.95]))),
    ),
    ("remainder_scalar", lambda a: a % 1.5, lambda: (spread(13) - 2.0,)),
    (
        "remainder_tensor",
        lambda a, b: a % b,
        lambda: (spread(13) - 2.0, fg.rand(13, dtype=D) * 0.01 + 1.5),
    ),
    # Python scalars on either side
    ("scalar_add", lambda a: a + 2, lambda: (rand(4),)),
    ("scalar_rsub", lambda a: 2 - a, lambda: (rand(4),)),
    ("scalar_rdiv", lambda a: 2 / a, lambda: (pos(4),)),
    ("scalar_pow", lambda a: a**2.5, lambda: (pos(4),)),
    ("scalar_pow_int", lambda a: a**3, lambda: (away0(4),)),
    ("scalar_pow_negative", lambda a: a**-2, lambda: (pos(4),)),
    ("scalar_pow_zero", lambda a: a**0, lambda: (rand(4),)),
    ("scalar_rpow", lambda a: 2**a, lambda: (rand(4),)),
    # unary
    ("neg", lambda a: -a, lambda: (rand(2, 3),)),
    ("exp", lambda a: a.exp(), lambda: (rand(2, 3),)),
    ("log", lambda a: a.log(), lambda: (pos(2, 3),)),
    ("sqrt", lambda a: a.sqrt(), lambda: (pos(2, 3),)),
    ("abs", lambda a: a.abs(), lambda: (away0(2, 3),)),
    ("sin", lambda a: a.sin(), lambda: (away0(2, 3),)),
    ("cos", lambda a: a.cos(), lambda: (away0(2, 3),)),
    ("tanh", lambda a: a.tanh(), lambda: (away0(2, 3),)),
    ("sigmoid", lambda a: a.sigmoid(), lambda: (away0(2, 3),)),
    ("relu", lambda a: a.relu(), lambda: (away0(2, 3),)),
    ("clamp_both", lambda a: a.clamp(0.3, 0.8), lambda: (spread(11),)),
    ("clamp_min", lambda a: a.clamp(min=0.5), lambda: (spread(11),)),
    ("clamp_max", lambda a: a.clamp(max=0.5), lambda: (spread(11),)),
    (
        "clamp_tensor_bounds",
        lambda a, lo: a.clamp(min=lo),
        lambda: (spread(11), fg.full((11,), 0.5)),
    ),
    # reductions
    ("sum", lambda a: a.sum(), lambda: (rand(2, 3, 4),)),
    ("sum_dim", lambda a: a.sum(1), lambda: (rand(2, 3, 4),)),
    ("sum_negative_dim_keepdim", lambda a: a.sum(-1, keepdim=True), lambda: (rand(2, 3, 4),)),
    ("sum_tuple", lambda a: a.sum((0, 2)), lambda: (rand(2, 3, 4),)),
    ("mean", lambda a: a.mean(), lambda: (rand(2, 3),)),
    ("mean_dim_keepdim", lambda a: a.mean(0, keepdim=True), lambda: (rand(2, 3),)),
    ("mean_tuple", lambda a: a.mean((-1, 0)), lambda: (rand(2, 3, 2),)),
    ("prod", lambda a: a.prod(), lambda: (pos(2, 3),)),
    ("prod_dim", lambda a: a.prod(1), lambda: (pos(2, 3),)),
    ("prod_dim_keepdim", lambda a: a.prod(0, keepdim=True), lambda: (away0(3, 2),)),
    ("prod_one_zero", lambda a: a.prod(), lambda: (leaf(fg.tensor([2.0, 0.0, 3.0, 0.5])),)),
    ("prod_two_zeros", lambda a: a.prod(), lambda: (leaf(fg.tensor([2.0, 0.0, 0.0, 0.5])),)),
    (
        "prod_dim_with_zero",
        lambda a: a.prod(1),
        lambda: (leaf(fg.tensor([[2.0, 0.0, 3.0], [1.0, 2.0, 3.0]])),),
    ),
    ("amax", lambda a: a.amax(), lambda: (spread(11),)),
    (
        "amax_dim",
        lambda a: a.amax(0),
        lambda: (spread(13).reshape(1, 13).expand(2, 13) * fg.tensor([[1.0], [-1.0]], dtype=D),),
    ),
    ("amin_dim_keepdim", lambda a: a.amin(-1, keepdim=True), lambda: (spread(11),)),
    ("amax_tuple", lambda a: a.amax((0, 1)), lambda: (spread(11).reshape(11, 1, 1),)),
    ("norm", lambda a: a.norm(), lambda: (rand(3, 4),)),
    ("norm_1", lambda a: a.norm(1), lambda: (away0(3, 4),)),
    ("norm_inf", lambda a: a.norm(float("inf")), lambda: (spread(11) * alternating(11),)),
    ("norm_3", lambda a: a.norm(3), lambda: (away0(3, 4),)),
    ("norm_dim", lambda a: a.norm(dim=1), lambda: (rand(3, 4),)),
    ("norm_dim_keepdim", lambda a: a.norm(2, dim=0, keepdim=True), lambda: (rand(3, 4),)),
    ("norm_3_dim", lambda a: a.norm(3, dim=(0, 1)), lambda: (away0(3, 4),)),
    # matmul
    ("matmul", lambda a, b: a @ b, lambda: (rand(3, 4), rand(4, 2))),
    ("matmul_vector_shapes", lambda a, b: a @ b, lambda: (rand(1, 5), rand(5, 1))),
    ("matmul_transposed", lambda a, b: a.t() @ b, lambda: (rand(4, 3), rand(4, 2))),
    ("matmul_same_input", lambda a: a @ a, lambda: (rand(3, 3),)),
    ("matmul_empty_output", lambda a, b: a @ b, lambda: (rand(0, 3), rand(3, 2))),
    # views
    ("reshape", lambda a: a.reshape(4, 3), lambda: (rand(3, 4),)),
    ("view", lambda a: a.view(-1), lambda: (rand(3, 4),)),
    ("reshape_non_contiguous", lambda a: a.t().reshape(12), lambda: (rand(3, 4),)),
    ("t", lambda a: a.t(), lambda: (rand(3, 4),)),
    ("T", lambda a: a.T, lambda: (rand(3, 4),)),
    ("transpose", lambda a: a.transpose(0, 2), lambda: (rand(2, 3, 4),)),
    ("permute", lambda a: a.permute(2, 0, 1), lambda: (rand(2, 3, 4),)),
    ("squeeze", lambda a: a.squeeze(), lambda: (rand(3, 1, 4, 1),)),
    ("squeeze_dim", lambda a: a.squeeze(1), lambda: (rand(3, 1, 4),)),
    ("unsqueeze", lambda a: a.unsqueeze(1), lambda: (rand(3, 4),)),
    ("expand", lambda a: a.expand(2, 3, 4), lambda: (rand(3, 1),)),
    ("flatten", lambda a: a.flatten(), lambda: (rand(2, 3, 2),)),
    ("contiguous", lambda a: a.t().contiguous(), lambda: (rand(3, 4),)),
    ("clone", lambda a: a.clone(), lambda: (rand(3, 4),)),
    # basic indexing
    ("select", lambda a: a[1], lambda: (rand(3, 4),)),
    ("select_negative", lambda a: a[-1, 2], lambda: (rand(3, 4),)),
    ("slice", lambda a: a[1:3], lambda: (rand(4, 2),)),
    ("slice_step", lambda a: a[:, ::2], lambda: (rand(3, 5),)),
    ("none_index", lambda a: a[None], lambda: (rand(3),)),
    ("ellipsis", lambda a: a[..., 0], lambda: (rand(2, 3, 4),)),
    ("mixed_index", lambda a: a[-1, 1:], lambda: (rand(3, 4),)),
    ("index_chain", lambda a: a.t()[1:, ::2][0], lambda: (rand(3, 4),)),
    # a small network
    (
        "dense_tanh",
        lambda x, w, b: (x @ w + b).tanh().sum(1),
        lambda: (rand(4, 3), rand(3, 5), rand(5)),
    ),
    ("shared_subexpression", lambda a: (a * a + a.exp()) * (a * a), lambda: (rand(5),)),
]


@pytest.mark.parametrize(("fn", "make"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradcheck(fn, make):
    seed()
    check(fn, *make())


def setitem_fn(a, w):
    m = a * 1
    m[0] = w  # CopySlices: a's first row gets no gradient, w gets the rows' sum
    m[1:, 1] = w[0] * 2
    return m * m


def inplace_fn(a, b):
    m = a * 1
    m.mul_(b)
    m.add_(1)
    m.pow_(2)
    m.div_(b)
    return m


def multiple_outputs_fn(a, b):
    return a * b, a.exp() + b


@pytest.mark.parametrize(
    ("fn", "make"),
    [
        (setitem_fn, lambda: (rand(3, 4), rand(4))),
        (inplace_fn, lambda: (rand(3), pos(3))),
        (multiple_outputs_fn, lambda: (rand(3), rand(3))),
    ],
    ids=["setitem", "in_place_chain", "two_outputs"],
)
def test_gradcheck_through_in_place_and_tuples(fn, make):
    seed()
    check(fn, *make())


GRADGRAD = [
    ("mul", lambda a, b: a * b, lambda: (rand(3, 1), rand(4))),
    ("div", lambda a, b: a / b, lambda: (rand(3), pos(3))),
    ("pow_tensor", lambda a, b: a**b, lambda: (pos(4), rand(4) * 2)),
    ("cube", lambda a: a**3, lambda: (away0(4),)),
    ("exp", lambda a: a.exp(), lambda: (rand(4),)),
    ("log", lambda a: a.log(), lambda: (pos(4),)),
    ("sqrt", lambda a: a.sqrt(), lambda: (pos(4),)),
    ("sin", lambda a: a.sin(), lambda: (rand(4),)),
    ("tanh", lambda a: a.tanh(), lambda: (away0(4),)),
    ("sigmoid", lambda a: a.sigmoid(), lambda: (away0(4),)),
    ("matmul", lambda a, b: a @ b, lambda: (rand(2, 3), rand(3, 2))),
    ("mean_dim", lambda a: (a * a).mean(0), lambda: (rand(3, 2),)),
    ("prod", lambda a: a.prod(), lambda: (pos(4),)),
    ("norm", lambda a: a.norm(dim=1), lambda: (rand(2, 3),)),
    ("dense_tanh", lambda x, w: (x @ w).tanh().sum(), lambda: (rand(2, 3), rand(3, 2))),
]


@pytest.mark.parametrize(("fn", "make"), [c[1:] for c in GRADGRAD], ids=[c[0] for c in GRADGRAD])
def test_gradgradcheck(fn, make):
    seed()
    inputs = tuple(leaf(t) for t in make())
    assert fg.autograd.gradgradcheck(fn, inputs) is True


# -- gradcheck itself must catch a wrong gradient ---------------------------------------


def wrong_by_detach(a):
    # value a^2, but autograd sees only one factor: analytical a, numerical 2a
    return a.detach() * a


def wrong_by_hook(a):
    m = a * 2
    m.register_hook(lambda g: g * 3)  # the backward pass triples the true gradient
    return m


@pytest.mark.parametrize("fn", [wrong_by_detach, wrong_by_hook])
def test_gradcheck_detects_a_wrong_gradient(fn):
    seed()
    x = pos(3)
    assert fg.autograd.gradcheck(fn, (x,), raise_exception=False) is False
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        fg.autograd.gradcheck(fn, (x,))


def test_gradgradcheck_detects_a_wrong_gradient():
    seed()
    x = pos(3)
    assert fg.autograd.gradgradcheck(lambda a: a * a * a, (x,)) is True
    # the first derivative's graph misses the detached factor: the second is wrong too
    assert fg.autograd.gradgradcheck(wrong_by_detach, (x,), raise_exception=False) is False


# -- values at kinks: PyTorch's conventions ------------------------------------------------

# (function, input, gradient of fn(x).sum() with respect to x) -- from PyTorch 2.13
KINKS = [
    ("relu_at_zero", lambda x: x.relu(), [0.0, -1.0, 2.0], [0.0, 0.0, 1.0]),
    ("abs_at_zero", lambda x: x.abs(), [0.0, -1.0, 2.0], [0.0, -1.0, 1.0]),
    (
        "clamp_at_bounds",
        lambda x: x.clamp(0, 1),
        [0.0, 1.0, 0.5, -1.0, 2.0],
        [1.0, 1.0, 1.0, 0.0, 0.0],
    ),
    ("clamp_min_at_bound", lambda x: x.clamp(min=0), [0.0, -1.0], [1.0, 0.0]),
    (
        "maximum_tie_splits",
        lambda x: fg.maximum(x, fg.tensor([1.0, 5.0], dtype=D)),
        [1.0, 2.0],
        [0.5, 0.0],
    ),
    (
        "minimum_tie_splits",
        lambda x: fg.minimum(x, fg.tensor([1.0, 0.0], dtype=D)),
        [1.0, 2.0],
        [0.5, 0.0],
    ),
    ("amax_ties_share", lambda x: x.amax(), [1.0, 3.0, 3.0], [0.0, 0.5, 0.5]),
    (
        "amax_dim_ties_share",
        lambda x: x.amax(1),
        [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]],
        [[0.0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]],
    ),
    ("amin_ties_share", lambda x: x.amin(), [1.0, 1.0, 3.0], [0.5, 0.5, 0.0]),
    ("norm_of_zero", lambda x: x.norm(), [0.0, 0.0], [0.0, 0.0]),
    ("norm_1_at_zero", lambda x: x.norm(1), [0.0, -2.0], [0.0, -1.0]),
    ("norm_3_of_zero", lambda x: x.norm(3), [0.0, 0.0], [0.0, 0.0]),
    ("norm_inf_ties_share", lambda x: x.norm(float("inf")), [3.0, -3.0, 1.0], [0.5, -0.5, 0.0]),
    ("sqrt_at_zero", lambda x: x.sqrt(), [0.0], [math.inf]),
    ("log_at_zero", lambda x: x.log(), [0.0], [math.inf]),
    ("reciprocal_at_zero", lambda x: 1 / x, [0.0], [-math.inf]),
    ("pow_zero_exponent_at_zero", lambda x: x**0, [0.0], [0.0]),
    ("square_at_zero", lambda x: x**2, [0.0], [0.0]),
    ("pow_half_at_zero", lambda x: x**0.5, [0.0], [math.inf]),
    ("scalar_base_zero", lambda x: 0**x, [1.0, 2.0], [0.0, 0.0]),
    ("prod_one_zero", lambda x: x.prod(), [2.0, 0.0, 3.0], [0.0, 6.0, 0.0]),
    ("prod_two_zeros", lambda x: x.prod(), [2.0, 0.0, 0.0], [0.0, 0.0, 0.0]),
    ("remainder", lambda x: x % 2, [3.5, -1.0], [1.0, 1.0]),
    ("remainder_divisor", lambda x: fg.tensor([7.0], dtype=D) % x, [2.0], [-3.0]),
    ("sigmoid_saturated", lambda x: x.sigmoid(), [-1000.0, 1000.0], [0.0, 0.0]),
    ("tanh_saturated", lambda x: x.tanh(), [-1000.0, 1000.0], [0.0, 0.0]),
    ("mean_of_empty", lambda x: x.mean(), [], []),
]


@pytest.mark.parametrize(("fn", "x", "grad"), [k[1:] for k in KINKS], ids=[k[0] for k in KINKS])
def test_gradient_at_kinks(fn, x, grad):
    t = fg.tensor(x, dtype=D, requires_grad=True)
    fn(t).sum().backward()
    assert t.grad.shape == t.shape
    np.testing.assert_allclose(np.array(t.grad.tolist()), np.array(grad), rtol=1e-12)


def test_pow_gradients_at_zero_base_and_exponent():
    b = fg.tensor([0.0, 2.0], dtype=D, requires_grad=True)
    e = fg.tensor([2.0, 0.0], dtype=D, requires_grad=True)
    (b**e).sum().backward()
    # d/db = e b^(e-1); d/de = b^e ln b, taken as 0 where b^e = 0
    assert b.grad.tolist() == [0.0, 0.0]
    assert e.grad.tolist() == pytest.approx([0.0, math.log(2.0)])


def test_maximum_tie_gives_half_to_each_input():
    x = fg.tensor([1.0, 2.0], dtype=D, requires_grad=True)
    y = fg.tensor([1.0, 0.0], dtype=D, requires_grad=True)
    fg.maximum(x, y).sum().backward()
    assert x.grad.tolist() == [0.5, 1.0]
    assert y.grad.tolist() == [0.5, 0.0]
