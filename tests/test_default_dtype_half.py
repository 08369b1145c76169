"""`set_default_dtype` with the half-precision floats, as PyTorch allows: Python floats,
float creation functions and int-with-float promotion then give that dtype. Expected
values recorded from PyTorch 2.13."""

import pytest
from backend import fg


@pytest.fixture(params=["float16", "bfloat16"])
def half_default(request):
    dtype = getattr(fg, request.param)
    before = fg.get_default_dtype()
    fg.set_default_dtype(dtype)
    try:
        yield dtype
    finally:
        fg.set_default_dtype(before)


def test_creation_follows_the_half_default(half_default):
    assert fg.get_default_dtype() == half_default
    assert fg.tensor([1.5]).dtype == half_default
    assert fg.ones(2).dtype == half_default
    assert fg.zeros(2, 3).dtype == half_default
    assert fg.arange(0.0, 2).dtype == half_default
    assert fg.rand(2).dtype == half_default
    assert fg.tensor(1).dtype == fg.int64


def test_arithmetic_and_promotion_under_the_half_default(half_default):
    assert (fg.tensor([1.5]) + 1).tolist() == [2.5]
    assert (fg.tensor([1, 2]) * 0.5).dtype == half_default
    assert fg.tensor([2, 4]).float().dtype == fg.float32


def test_repr_has_no_dtype_suffix_under_the_half_default(half_default):
    assert repr(fg.tensor([2.5])) == "tensor([2.5000])"


def test_integer_default_is_refused():
    with pytest.raises(TypeError, match="only floating-point types are supported as the default type"):
        fg.set_default_dtype(fg.int32)
