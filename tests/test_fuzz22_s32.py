"""Bad arguments PyTorch's parser refuses and ferrograd used to take (session 32 fuzz)."""

import pytest
from backend import fg


@pytest.mark.parametrize("call, name", [
    (lambda x: x.add(x, alpha=None), "add"),
    (lambda x: x.sub(x, alpha=None), "sub"),
    (lambda x: x.clone().add_(x, alpha=None), "add_"),
    (lambda x: x.clone().sub_(x, alpha=None), "sub_"),
    (lambda x: fg.add(x, x, alpha=None), "add"),
    (lambda x: fg.sub(x, x, alpha=None), "sub"),
])
def test_alpha_none_is_refused(call, name):
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'alpha' must be Number, not NoneType$"):
        call(fg.ones(2, 3))


@pytest.mark.parametrize("alpha, expected", [(2, [3.0, 3.0]), (0.5, [1.5, 1.5])])
def test_alpha_number_still_taken(alpha, expected):
    x = fg.ones(2)
    assert x.add(x, alpha=alpha).tolist() == expected
    assert fg.add(x, x, alpha=alpha).tolist() == expected


@pytest.mark.parametrize("size", [[1], [2, 3], 2], ids=["one", "two", "zero-dim"])
def test_new_full_refuses_a_tensor_size(size):
    x = fg.ones(2)
    with pytest.raises(TypeError, match=r"^new_full\(\): argument 'size' \(position 1\) must be tuple of ints, not Tensor$"):
        x.new_full(fg.tensor(size), 2.0)


@pytest.mark.parametrize("size", [[2], 2], ids=["one", "zero-dim"])
def test_full_refuses_a_tensor_size(size):
    with pytest.raises(TypeError, match=r"^full\(\): argument 'size' \(position 1\) must be tuple of ints, not Tensor$"):
        fg.full(fg.tensor(size), 1.0)


def test_new_full_and_full_take_sequences():
    assert tuple(fg.ones(2).new_full((2, 3), 2.0).shape) == (2, 3)
    assert tuple(fg.full(fg.Size([2]), 1.0).shape) == (2,)
    # the `*size` methods still take a one-element tensor as an int
    assert tuple(fg.ones(2).new_zeros(fg.tensor([2])).shape) == (2,)


@pytest.mark.parametrize("call, name", [
    (lambda x: x.all(dim=fg.tensor([1])), "all"),
    (lambda x: x.any(dim=fg.tensor([1])), "any"),
    (lambda x: fg.all(x, dim=fg.tensor([1])), "all"),
    (lambda x: fg.any(x, fg.tensor([1])), "any"),
    (lambda x: x.all(dim=fg.tensor(True)), "all"),
])
def test_reduction_refuses_a_tensor_dim_list(call, name):
    with pytest.raises(TypeError, match=rf"^{name}\(\) received an invalid combination of arguments"):
        call(fg.ones(2, 3))


def test_reduction_takes_a_zero_dim_int_tensor_dim():
    x = fg.ones(2, 3)
    assert x.all(dim=fg.tensor(1)).tolist() == [True, True]
    assert fg.any(x, fg.tensor(1)).tolist() == [True, True]
    assert x.count_nonzero(fg.tensor(1)).tolist() == [3, 3]
    assert x.count_nonzero(fg.tensor([1])).tolist() == [3, 3]  # the method's int list takes it
    assert x.any(axis=1).tolist() == [True, True]
