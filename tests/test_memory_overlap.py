"""PyTorch's refusal of in-place writes that read part of what they write (values and
exception types observed from PyTorch 2.13)."""

import ferrograd as fg
import pytest

OVERLAP = "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location"


@pytest.mark.parametrize("write", [
    lambda x: x[1:].add_(x[:-1]),
    lambda x: x[1:].mul_(x[:-1]),
    lambda x: x[:-1].sub_(x[1:]),
    lambda x: x[1:].div_(x[:-1]),
    lambda x: x[1:].pow_(x[:-1]),
    lambda x: x[1:].copy_(x[:-1]),
    lambda x: x[:-1].copy_(x[1:]),
    lambda x: x.add_(x[0]),
    lambda x: x.add_(x[:1]),
    lambda x: x.view(5, 1).add_(x.view(1, 5)[:, :1]),
    lambda x: x.clamp_(x[:1], x[-1:]),
    lambda x: x[1:].atan2_(x[:-1]),
    lambda x: x[1:].lerp_(x[:-1], 0.5),
    lambda x: x.__setitem__(slice(1, None), x[:-1]),
    lambda x: x.__setitem__(fg.tensor([0, 1]), x[3:]),
    lambda x: x.index_copy_(0, fg.tensor([0, 1]), x[1:3]),
    lambda x: x.index_add_(0, fg.tensor([1, 2]), x[:2]),
    lambda x: x.scatter_(0, fg.tensor([1, 2]), x),
    lambda x: fg.mul(x[1:], 2, out=x[:-1]),
    lambda x: fg.exp(x[1:], out=x[:-1]),
])
def test_partial_overlap_is_refused_and_nothing_is_written(write):
    x = fg.arange(5.0)
    with pytest.raises(RuntimeError, match=OVERLAP):
        write(x)
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_augmented_assignment_on_an_overlapping_slice():
    x = fg.arange(5.0)
    with pytest.raises(RuntimeError, match=OVERLAP):
        x[1:] += x[:-1]


def test_transpose_overlaps_before_the_shapes_are_compared():
    y = fg.arange(6.0).reshape(2, 3)
    with pytest.raises(RuntimeError, match=OVERLAP):
        y.t().add_(y)
    x = fg.arange(4.0).reshape(2, 2)
    with pytest.raises(RuntimeError, match=OVERLAP):
        x.add_(x.t())
    with pytest.raises(RuntimeError, match=OVERLAP):
        x.copy_(x.t())


@pytest.mark.parametrize(("write", "expected"), [
    (lambda x: x.add_(x), [0.0, 2.0, 4.0, 6.0, 8.0]),
    (lambda x: x.__setitem__(slice(None), x), [0.0, 1.0, 2.0, 3.0, 4.0]),
    (lambda x: fg.add(x, x, out=x), [0.0, 2.0, 4.0, 6.0, 8.0]),
    (lambda x: x.copy_(x.flip(0)), [4.0, 3.0, 2.0, 1.0, 0.0]),
    (lambda x: x.masked_fill_(x > 2, x[0]), [0.0, 1.0, 2.0, 0.0, 0.0]),
    (lambda x: x[:2].add_(x[3:]), [3.0, 5.0, 2.0, 3.0, 4.0]),
    (lambda x: fg.sum(x, 0, keepdim=True, out=x[:1]), [10.0, 1.0, 2.0, 3.0, 4.0]),
])
def test_full_overlap_disjoint_views_and_strided_views_are_allowed(write, expected):
    x = fg.arange(5.0)
    write(x)
    assert x.tolist() == expected
