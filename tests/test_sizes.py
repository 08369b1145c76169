"""Impossible sizes raise RuntimeError naming the size, and the process goes on."""

import pytest
from backend import IS_TORCH, fg


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: fg.empty(10**12), "allocate"),
        (lambda: fg.ones(2**62), "overflow|allocate|invalid"),
        (lambda: fg.ones(2**31, 2**31, 4), "overflow|allocate|invalid"),
        (lambda: fg.zeros(2, -3), "-3|non-negative"),  # ferrograd names the -3
    ],
)
def test_impossible_sizes_raise_runtime_error(make, words):
    with pytest.raises(RuntimeError, match=words):
        make()
    assert (fg.ones(2) + 1).tolist() == [2.0, 2.0]  # later allocations still work


def test_negative_size_is_named():
    # PyTorch's zeros checks its sizes itself ("Dimension size must be non-negative");
    # the other factories name the negative dimension
    with pytest.raises(RuntimeError, match="^zeros: Dimension size must be non-negative.$"):
        fg.zeros(2, -3)
    with pytest.raises(RuntimeError, match="negative dimension -3"):
        fg.ones(2, -3)


def test_repeat_that_overflows_says_so():
    if IS_TORCH:  # PyTorch blames a negative dimension here
        return
    with pytest.raises(RuntimeError, match="overflows"):
        fg.ones(3).repeat(2**62)
