"""`Tensor.shape` and `Tensor.size()` give `ferrograd.Size` objects with PyTorch's
behaviour (a tuple subclass: indexing gives ints, slicing gives a Size)."""

import gc
import pickle
import sys

import ferrograd as fg
import pytest


def test_shape_is_a_size_tuple_of_ints():
    s = fg.ones(2, 3, 4).shape
    assert type(s) is fg.Size and isinstance(s, tuple)
    assert repr(s) == "ferrograd.Size([2, 3, 4])" and str(s) == repr(s)
    assert s == (2, 3, 4) and hash(s) == hash((2, 3, 4))
    assert [type(d) for d in s] == [int, int, int]
    assert fg.ones(2, 3, 4).size() == s and type(fg.ones(2, 3, 4).size()) is fg.Size


def test_zero_dim_and_empty_shapes():
    assert fg.tensor(1.0).shape == () and type(fg.tensor(1.0).shape) is fg.Size
    assert repr(fg.tensor(1.0).shape) == "ferrograd.Size([])"
    assert fg.zeros(0, 5).shape == (0, 5)


def test_indexing_and_slicing():
    s = fg.ones(2, 3, 4).shape
    assert s[0] == 2 and s[-1] == 4 and type(s[1]) is int
    assert s[1:] == (3, 4) and type(s[1:]) is fg.Size
    assert type(s[::-1]) is fg.Size and s[::-1] == (4, 3, 2)
    with pytest.raises(IndexError):
        s[3]
    with pytest.raises(TypeError):
        s["a"]


def test_arithmetic_and_pickling_keep_the_class():
    s = fg.ones(2, 3).shape
    assert type(s + (5,)) is fg.Size and s + (5,) == (2, 3, 5)
    assert type(s * 2) is fg.Size and s * 2 == (2, 3, 2, 3)
    assert s.numel() == 6
    back = pickle.loads(pickle.dumps(s))
    assert type(back) is fg.Size and back == s


def test_shape_objects_are_freed():
    x = fg.ones(2, 3)
    s = x.shape
    assert sys.getrefcount(s) == 2  # `s` and the call's argument
    before = len(gc.get_objects())
    for _ in range(1000):
        _ = x.shape
    assert len(gc.get_objects()) - before < 50
