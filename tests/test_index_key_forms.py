"""Index keys and size arguments PyTorch accepts in forms NumPy does not (values and
exception types observed from PyTorch 2.13)."""

import ferrograd as fg
import numpy as np
import pytest


def _x():
    return fg.arange(24.0).reshape(2, 3, 4)


@pytest.mark.parametrize(
    ("key", "shape"),
    [
        ((..., ...), (2, 3, 4)),
        ((..., 0, ...), (2, 3)),
        ((0, ..., ...), (3, 4)),
        ((..., None, ...), (2, 3, 4, 1)),
        ((..., [0], ...), (2, 3, 1)),
        (([0], ..., ...), (1, 3, 4)),
    ],
)
def test_later_ellipses_are_ignored(key, shape):
    x = _x()
    got = x[key]
    assert tuple(got.shape) == shape
    first = key.index(...)
    numpy_key = tuple(k for i, k in enumerate(key) if k is not ... or i == first)
    np.testing.assert_array_equal(got.numpy(), np.arange(24.0).reshape(2, 3, 4)[numpy_key])


def test_setitem_with_two_ellipses_writes_the_first_expansion():
    x = _x()
    x[..., 0, ...] = 5
    expected = np.arange(24.0).reshape(2, 3, 4)
    expected[..., 0] = 5
    np.testing.assert_array_equal(x.numpy(), expected)


@pytest.mark.parametrize(("key", "kind"), [("a", "str"), ((0, "a"), "str"), (b"a", "bytes")])
def test_string_index_is_a_type_error(key, kind):
    with pytest.raises(TypeError, match=f"invalid data type '{kind}'"):
        _x()[key]


def test_float_index_is_an_index_error():
    with pytest.raises(IndexError, match=r"valid indices \(got float\)"):
        _x()[1.5]


@pytest.mark.parametrize("size", [fg.tensor(6), fg.tensor([6])])
def test_one_element_integer_tensor_is_a_size(size):
    x = fg.arange(6)
    assert tuple(x.view(size).shape) == (6,)
    assert tuple(x.reshape(size).shape) == (6,)
    assert tuple(fg.zeros(size).shape) == (6,)


def test_float_tensor_is_not_a_size():
    with pytest.raises(TypeError):
        fg.arange(6).view(fg.tensor(6.0))


@pytest.mark.parametrize("dim", [0, -1, 2])
def test_size_of_a_dim_of_a_zero_dim_tensor_is_an_index_error(dim):
    with pytest.raises(IndexError, match=f"Dimension specified as {dim} but tensor has no dimensions"):
        fg.tensor(1.0).size(dim)


def test_flatten_of_a_zero_dim_tensor_checks_its_dims():
    x = fg.tensor(1.0)
    assert tuple(x.flatten(0, 0).shape) == (1,)
    assert tuple(x.flatten(-1).shape) == (1,)
    with pytest.raises(IndexError, match=r"expected to be in range of \[-1, 0\], but got 1"):
        x.flatten(1)
    with pytest.raises(IndexError, match=r"expected to be in range of \[-1, 0\], but got -2"):
        x.flatten(-2)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_creation_without_a_size_is_a_type_error(name):
    with pytest.raises(TypeError, match=f'{name}\\(\\) missing 1 required positional arguments: "size"'):
        getattr(fg, name)()
    assert tuple(getattr(fg, name)(()).shape) == ()


@pytest.mark.parametrize("name", ["rand", "randn"])
def test_random_creation_without_a_size_is_a_type_error(name):
    with pytest.raises(TypeError, match=f"{name}\\(\\) received an invalid combination of arguments"):
        getattr(fg, name)()
    assert tuple(getattr(fg, name)(size=()).shape) == ()


@pytest.mark.parametrize("scalar", [np.bool_(True), np.bool_(False), np.float64(1.0)])
def test_numpy_bool_and_float_scalars_are_not_indices(scalar):
    x = fg.arange(3.0)
    name = type(scalar).__name__
    with pytest.raises(IndexError, match=f"valid indices \\(got numpy.{name}\\)"):
        x[scalar]
    with pytest.raises(IndexError, match=f"valid indices \\(got numpy.{name}\\)"):
        x[scalar] = 5.0
    assert x.tolist() == [0.0, 1.0, 2.0]


def test_numpy_zero_dim_bool_array_still_indexes_as_a_mask():
    assert tuple(fg.arange(3.0)[np.array(True)].shape) == (1, 3)


def test_lone_int_or_slice_of_a_zero_dim_tensor():
    x = fg.tensor(3.0)
    with pytest.raises(IndexError, match=r"invalid index of a 0-dim tensor\. Use `tensor.item\(\)`"):
        x[0]
    for key in (slice(1, None), slice(None, None, 1)):
        with pytest.raises(IndexError, match=r"slice\(\) cannot be applied to a 0-dim tensor\."):
            x[key]
        with pytest.raises(IndexError, match=r"slice\(\) cannot be applied to a 0-dim tensor\."):
            x[key] = 2.0
    with pytest.raises(ValueError, match="step must be greater than zero"):
        x[::-1]
    with pytest.raises(ValueError, match="step must be greater than zero"):
        x[::-1] = 2.0
    # inside a tuple PyTorch counts the indexed dims first
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 0"):
        x[None, 1:]
