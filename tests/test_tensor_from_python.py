"""`tensor(data)` from Python numbers and nested lists: dtype inference, shapes, values and
PyTorch's errors, on the direct path (lists of floats, ints or bools) and the general one
(mixed kinds, ragged lists, narrow dtypes). Expectations recorded from PyTorch 2.13."""

import math

import pytest
from backend import fg


@pytest.mark.parametrize(("data", "dtype", "shape", "values"), [
    (0.5, "float32", (), 0.5),
    (3, "int64", (), 3),
    (True, "bool", (), True),
    (-(2**63), "int64", (), -(2**63)),
    ([1.0, 2.0, 3.0], "float32", (3,), [1.0, 2.0, 3.0]),
    ([[1.0, 2.0], [3.0, 4.0]], "float32", (2, 2), [[1.0, 2.0], [3.0, 4.0]]),
    ([1, 2.5], "float32", (2,), [1.0, 2.5]),
    ([[1, 2], [3, 4]], "int64", (2, 2), [[1, 2], [3, 4]]),
    ([True, False], "bool", (2,), [True, False]),
    ([True, 1], "int64", (2,), [1, 1]),
    ((1.0, 2.0), "float32", (2,), [1.0, 2.0]),
    ([[1.0, 2.0], (3.0, 4.0)], "float32", (2, 2), [[1.0, 2.0], [3.0, 4.0]]),
    ([[[1.0]]], "float32", (1, 1, 1), [[[1.0]]]),
    ([], "float32", (0,), []),
    ([[]], "float32", (1, 0), [[]]),
    ([0.1, 1e40], "float32", (2,), [0.10000000149011612, math.inf]),
])
def test_inferred_dtype_shape_and_values(data, dtype, shape, values):
    t = fg.tensor(data)
    assert t.dtype == getattr(fg, dtype)
    assert tuple(t.shape) == shape
    assert t.tolist() == values


@pytest.mark.parametrize(("data", "dtype", "values"), [
    ([0.1, 0.2], "float64", [0.1, 0.2]),
    ([1, 2], "float64", [1.0, 2.0]),
    ([1.7, -1.7], "int64", [1, -1]),
    ([1.5, 0.0], "bool", [True, False]),
    ([300, 1], "int16", [300, 1]),
    ([2**70], "float64", [1.1805916207174113e21]),
    ([-(2**70)], "float32", [-1.1805916207174113e21]),
    ([2**63], "bool", [True]),
])
def test_explicit_dtype(data, dtype, values):
    t = fg.tensor(data, dtype=getattr(fg, dtype))
    assert t.dtype == getattr(fg, dtype)
    assert t.tolist() == values


def test_float64_default_keeps_every_bit_of_python_floats():
    before = fg.get_default_dtype()
    fg.set_default_dtype(fg.float64)
    try:
        assert fg.tensor(0.1).item() == 0.1
        assert fg.tensor([[0.1, 0.7]]).tolist() == [[0.1, 0.7]]
        assert fg.tensor([0.1]).dtype == fg.float64
    finally:
        fg.set_default_dtype(before)


@pytest.mark.parametrize(("data", "dtype", "name"), [
    ([1e40], "int64", "int64"),
    ([math.nan], "int32", "int32"),
    ([math.inf], "uint8", "uint8"),
    ([1e10], "int32", "int32"),
    ([300.0], "uint8", "uint8"),
])
def test_numbers_a_dtype_cannot_hold_raise(data, dtype, name):
    with pytest.raises(RuntimeError, match=f"value cannot be converted to type {name} without overflow"):
        fg.tensor(data, dtype=getattr(fg, dtype))


@pytest.mark.parametrize("data", [2**63, [2**63], [[1], [2**64]]])
def test_ints_past_int64_raise(data):
    with pytest.raises((ValueError, RuntimeError), match="Overflow"):
        fg.tensor(data)


def test_ragged_lists_raise_with_the_first_length_that_differs():
    with pytest.raises(ValueError, match=r"expected sequence of length 2 at dim 1 \(got 1\)"):
        fg.tensor([[1.0, 2.0], [3.0]])


def test_requires_grad_on_a_list():
    t = fg.tensor([1.0, 2.0], requires_grad=True)
    (t * t).sum().backward()
    assert t.grad.tolist() == [2.0, 4.0]
