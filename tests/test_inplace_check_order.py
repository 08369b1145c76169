"""In-place ops as PyTorch runs them: the logical ones outside autograd (values written,
version bumped, history untouched, also on a leaf that requires grad), and the leaf
check before the kernel's own argument checks. Behaviour observed with PyTorch 2.13."""

import ferrograd as fg
import numpy as np
import pytest


@pytest.mark.parametrize("name, args, want", [
    ("logical_and_", ([1.0, 1.0],), [1.0, 0.0]),
    ("logical_or_", ([0.0, 0.0],), [1.0, 0.0]),
    ("logical_xor_", ([1.0, 1.0],), [0.0, 1.0]),
    ("logical_not_", (), [0.0, 1.0]),
])
def test_logical_in_place_on_a_leaf_writes_and_keeps_it_a_leaf(name, args, want):
    x = fg.tensor([0.5, 0.0], requires_grad=True)
    out = getattr(x, name)(*(fg.tensor(a) for a in args))
    assert out is x
    np.testing.assert_array_equal(x.detach().numpy(), want)
    assert x.is_leaf and x.requires_grad and x.grad_fn is None
    assert x._version == 1


def test_logical_in_place_keeps_a_non_leafs_history():
    y = fg.tensor([0.5, 0.0], requires_grad=True) * 2
    y.logical_not_()
    assert y.grad_fn.name() == "MulBackward0"
    assert y._version == 1 and y.requires_grad
    np.testing.assert_array_equal(y.detach().numpy(), [0.0, 1.0])
    y.sum().backward()  # PyTorch runs it: the node saved nothing the write changed


def test_logical_in_place_shape_and_dtype_rules():
    i = fg.tensor([3, 0])
    i.logical_xor_(fg.tensor([1, 1]))
    assert i.dtype == fg.int64 and i.tolist() == [0, 1]
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        fg.ones(2).logical_or_(fg.ones(2, 2))
    with pytest.raises(RuntimeError, match="must match the size"):
        fg.ones(2).logical_or_(fg.ones(3))


def test_leaf_check_comes_before_the_kernels_checks():
    x = fg.tensor([0.5, 1.5], requires_grad=True)
    y = fg.tensor([1.0, 0.0])
    for call in (lambda: x.index_copy_(0, fg.tensor([0]), y),
                 lambda: x.baddbmm_(y, y),
                 lambda: x.addbmm_(y, y)):
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            call()
    with pytest.raises(IndexError):  # not a leaf: the kernel's own check
        fg.ones(2).baddbmm_(y, y)
