"""Calls a random-argument fuzzer found to end in an internal error, a hang or an abort,
each pinned to PyTorch's behaviour for the same call (recorded from PyTorch 2.13)."""

import pytest
from backend import fg


def test_slice_scatter_into_a_0_dim_tensor_raises_index_error():
    with pytest.raises(IndexError, match="slice\\(\\) cannot be applied to a 0-dim tensor."):
        fg.slice_scatter(fg.tensor(1.0), fg.tensor(2.0))
    # checked before the step
    with pytest.raises(IndexError, match="0-dim"):
        fg.slice_scatter(fg.tensor(1.0), fg.tensor(2.0), step=0)


def test_pixel_shuffle_factor_whose_square_overflows_raises_value_error():
    img = fg.ones(1, 1, 4, 4)
    with pytest.raises(ValueError, match="upscale factor is too large, \\(upscale_factor\\)\\^2 overflowed: "
                                         "upscale_factor=1099511627776"):
        fg.nn.functional.pixel_shuffle(img, 2**40)
    with pytest.raises(RuntimeError, match="not divisible by 1099511627776"):
        fg.nn.functional.pixel_unshuffle(img, 2**40)


def test_mvlgamma_of_a_huge_order_fails_at_once_instead_of_looping():
    with pytest.raises(RuntimeError, match="allocate"):
        fg.mvlgamma(fg.ones(3, dtype=fg.float64) * 10, 2**40)
    # a large but reasonable order still computes: sum of lgamma(x - j/2) + p(p-1)/4 ln(pi)
    import math

    p, x = 40, 30.0
    want = sum(math.lgamma(x - j / 2) for j in range(p)) + p * (p - 1) / 4 * math.log(math.pi)
    got = fg.mvlgamma(fg.tensor([x], dtype=fg.float64), p).item()
    assert got == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("make", [
    lambda: fg.ones(1).expand(2**62, 2**62),
    lambda: fg.ones(1).expand(2**62, 2**62, 0),
    lambda: fg.ones(1).as_strided((2**62, 2), (0, 0)),
    lambda: fg.ones(3).expand(2, 3).repeat_interleave(2**62),
])
def test_views_whose_element_count_overflows_int64_are_refused(make):
    with pytest.raises(RuntimeError, match="numel: integer multiplication overflow|allocate"):
        make()


def test_views_of_huge_but_representable_size_exist():
    v = fg.ones(1).expand(2**62, 1)
    assert v.shape == (2**62, 1)
    assert v.numel() == 2**62
    assert fg.ones(1).expand(0, 2**62, 2**62).numel() == 0
