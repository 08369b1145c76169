"""Tensor behaviours from PyTorch's own test files (test_torch.py,
test_tensor_creation_ops.py, test_serialization.py) that differed in ferrograd.
Expected values and exception types are what PyTorch 2.13 does.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import pickle

import pytest
from backend import fg

# --- devices never equal strings ------------------------------------------------------


def test_device_does_not_equal_a_string():
    d = fg.device("cpu")
    assert (d == "cpu") is False
    assert ("cpu" == d) is False
    assert d != "cpu"
    assert d == fg.device("cpu")
    assert hash(d) == hash(fg.device("cpu"))
    assert d != fg.device("cpu", 0)


def test_tensor_device_compares_with_a_device():
    assert fg.ones(1).device == fg.device("cpu")
    assert fg.ones(1).device.type == "cpu"


# --- tensor() of strings: a first-element string reads as one more level ---------------


@pytest.mark.parametrize("data", [["a"], [["a"]], ("a",), ["a", 1]])
def test_tensor_of_a_leading_string_is_a_value_error(data):
    with pytest.raises(ValueError, match="too many dimensions 'str'"):
        fg.tensor(data)


@pytest.mark.parametrize("data", ["a", [1, "a"]])
def test_tensor_of_a_later_or_bare_string_is_a_type_error(data):
    with pytest.raises(TypeError, match="invalid data type 'str'"):
        fg.tensor(data)


# --- pickle keeps the strides and the storage offset ------------------------------------


def _roundtrip(t):
    return pickle.loads(pickle.dumps(t))


def test_pickle_keeps_a_transposes_strides():
    y = _roundtrip(fg.arange(6.0).view(2, 3).t())
    assert y.stride() == (1, 3)
    assert y.tolist() == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]


def test_pickle_keeps_a_slices_offset_and_step():
    y = _roundtrip(fg.arange(6.0)[1::2])
    assert y.stride() == (2,)
    assert y.storage_offset() == 1
    assert y.tolist() == [1.0, 3.0, 5.0]


def test_pickle_keeps_an_expanded_layout():
    y = _roundtrip(fg.ones(1, 3).expand(2, 3))
    assert y.stride() == (0, 1)
    assert y.tolist() == [[1.0] * 3] * 2


def test_pickle_keeps_channels_last():
    x = fg.arange(24.0).view(1, 2, 3, 4).contiguous(memory_format=fg.channels_last)
    y = _roundtrip(x)
    assert y.stride() == (24, 1, 8, 2)
    assert y.tolist() == x.tolist()


def test_pickle_of_a_complex_view_and_requires_grad():
    x = fg.tensor([[1 + 2j, 3 - 1j], [0.5j, 2.0]]).t()
    y = _roundtrip(x)
    assert y.stride() == (1, 2)
    assert y.tolist() == x.tolist()
    z = _roundtrip(fg.ones(2, requires_grad=True))
    assert z.requires_grad and z.is_leaf


# --- in-place addcmul_/addcdiv_ follow PyTorch's casting rule ---------------------------


def test_addcmul_inplace_refuses_an_integer_result_into_bool():
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Bool"):
        fg.tensor([True]).addcmul_(fg.tensor([1]), fg.tensor([1]))


def test_addcmul_inplace_refuses_a_complex_result_into_float():
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Float"):
        fg.tensor([1.0]).addcmul_(fg.tensor([1j]), fg.tensor([1j]))


def test_addcdiv_inplace_refuses_a_complex_result_into_float():
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Float"):
        fg.tensor([1.0]).addcdiv_(fg.tensor([1j]), fg.tensor([1.0]))


def test_addcmul_inplace_still_accepts_castable_operands():
    x = fg.tensor([1, 2], dtype=fg.uint8)
    x.addcmul_(fg.tensor([True, True]), fg.tensor([2, 3], dtype=fg.int32))
    assert x.dtype == fg.uint8
    assert x.tolist() == [3, 5]
    y = fg.tensor([1.0]).addcmul_(fg.tensor([2]), fg.tensor([3]), value=0.5)
    assert y.tolist() == [4.0]
