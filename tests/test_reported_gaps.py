"""Small differences from PyTorch reported while porting code: each case recorded from
PyTorch 2.13."""

import warnings

import pytest
from backend import fg

NON_LEAF = "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed"


def test_randint_takes_high_and_size_as_keywords():
    fg.manual_seed(0)
    t = fg.randint(high=10, size=(32,))
    assert tuple(t.shape) == (32,) and t.dtype == fg.int64
    assert 0 <= int(t.min()) and int(t.max()) < 10
    fg.manual_seed(0)
    assert fg.randint(10, (32,)).tolist() == t.tolist()
    fg.manual_seed(0)
    assert fg.randint(0, 10, (32,)).tolist() == t.tolist()
    with pytest.raises(TypeError):
        fg.randint(high=10)


def test_reading_grad_of_a_non_leaf_warns():
    x = fg.ones(2, requires_grad=True)
    y = x * 2
    with pytest.warns(UserWarning, match=NON_LEAF):
        assert y.grad is None


@pytest.mark.parametrize("case", ["leaf", "retained", "no_grad_tensor"])
def test_no_warning_for_leaves_or_retained_grads(case):
    x = fg.ones(2, requires_grad=True)
    t = {"leaf": lambda: x, "retained": lambda: x * 2, "no_grad_tensor": lambda: fg.ones(2)}[case]()
    if case == "retained":
        t.retain_grad()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert t.grad is None
