"""Random in-place fills under autograd, as PyTorch: a leaf that requires grad refuses
(before drawing), a tensor with history gets the op's own node with a zero gradient.
Node names and values recorded from PyTorch 2.13."""

import pytest
from backend import fg

CASES = [
    ("exponential_", (), "ExponentialBackward0"),
    ("bernoulli_", (), "BernoulliBackward2"),
    ("bernoulli_", (0.3,), "BernoulliBackward2"),
    ("random_", (), "RandomBackward2"),
    ("random_", (5,), "RandomBackward1"),
    ("random_", (1, 5), "RandomBackward0"),
    ("uniform_", (), "UniformBackward0"),
    ("normal_", (), "NormalBackward0"),
    ("cauchy_", (), "CauchyBackward0"),
    ("log_normal_", (), "LogNormalBackward0"),
    ("geometric_", (0.3,), "GeometricBackward0"),
]
LEAF_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."


@pytest.mark.parametrize("op,args,node", CASES)
def test_leaf_refuses_without_drawing(op, args, node):
    fg.manual_seed(0)
    leaf = fg.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        getattr(leaf, op)(*args)
    assert leaf.detach().tolist() == [1.0, 1.0, 1.0]
    # the generator did not move: seed 0's first rand(1) in PyTorch
    assert fg.rand(1).item() == pytest.approx(0.49625658988952637, abs=0)


@pytest.mark.parametrize("op,args,node", CASES)
def test_tensor_with_history_gets_the_ops_node_and_zero_gradient(op, args, node):
    x = fg.ones(3, requires_grad=True)
    y = x * 2
    result = getattr(y, op)(*args)
    assert result is y
    assert type(y.grad_fn).__name__ == node
    assert y._version == 1
    (y * 3).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_bernoulli_with_tensor_probabilities_node():
    y = fg.ones(3, requires_grad=True) * 1
    y.bernoulli_(fg.full((3,), 0.3))
    assert type(y.grad_fn).__name__ == "BernoulliBackward1"


def test_values_under_autograd_are_pytorchs_stream():
    fg.manual_seed(0)
    y = fg.ones(4, requires_grad=True) * 1
    y.exponential_()
    expected = [3.508326292037964, 1.2303847074508667, 0.615044116973877, 2.535118579864502]
    assert y.detach().tolist() == pytest.approx(expected, rel=1e-7)


def test_leaf_under_no_grad_fills_in_place():
    x = fg.ones(3, requires_grad=True)
    with fg.no_grad():
        x.uniform_(2.0, 3.0)
    assert x.requires_grad and x.grad_fn is None
    assert all(2.0 <= v < 3.0 for v in x.detach().tolist())


def test_leaf_error_comes_before_argument_checks():
    leaf = fg.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError) as info:
        leaf.exponential_(-1.0)
    assert str(info.value) == LEAF_ERROR
