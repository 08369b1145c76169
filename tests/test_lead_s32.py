"""`alpha=` of add/sub refuses None and non-numbers as PyTorch's parser does (explicit
None was read as the default 1), in method, in-place and function forms."""

import pytest
from backend import fg


@pytest.mark.parametrize("name", ["add", "sub", "add_", "sub_"])
def test_method_refuses_none_alpha(name):
    x = fg.ones(2, 2)
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'alpha' must be Number, not NoneType$"):
        getattr(x, name)(fg.ones(2, 2), alpha=None)
    assert x.tolist() == [[1.0, 1.0], [1.0, 1.0]]


@pytest.mark.parametrize(("name", "alpha", "kind"), [("add", "a", "str"), ("add_", "a", "str"), ("sub", [1], "list")])
def test_method_names_the_alpha_type(name, alpha, kind):
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'alpha' must be Number, not {kind}$"):
        getattr(fg.ones(2), name)(fg.ones(2), alpha=alpha)


@pytest.mark.parametrize("name", ["add", "sub"])
def test_function_refuses_none_alpha(name):
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'alpha' must be Number, not NoneType$"):
        getattr(fg, name)(fg.ones(2), fg.ones(2), alpha=None)
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'alpha' must be Number, not NoneType$"):
        getattr(fg, name)(fg.ones(2), 2, alpha=None)


def test_subtract_none_alpha_is_a_parser_error():
    with pytest.raises(TypeError, match=r"^subtract\(\) received an invalid combination of arguments"):
        fg.subtract(fg.ones(2), fg.ones(2), alpha=None)


def test_given_alpha_still_scales():
    x = fg.tensor([1.0, 2.0])
    assert x.add(fg.tensor([1.0, 1.0]), alpha=2).tolist() == [3.0, 4.0]
    assert x.sub(3, alpha=0.5).tolist() == [-0.5, 0.5]
    y = fg.tensor([4, 5])
    y.sub_(fg.tensor([1, 2]), alpha=2)
    assert y.tolist() == [2, 1]
    assert fg.add(fg.tensor([1, 2]), fg.tensor([3, 4]), alpha=3).tolist() == [10, 14]
