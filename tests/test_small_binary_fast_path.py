"""Small contiguous same-shape float operands take a short path in add/sub/mul/div;
these check it gives what the general path gives (NumPy as the oracle)."""

import ferrograd as fg
import numpy as np
import pytest

OPS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(OPS))
def test_values_match_numpy_at_offsets(name, dtype):
    rng = np.random.default_rng(7)
    a = rng.standard_normal(13).astype(dtype)
    b = rng.standard_normal(13).astype(dtype) + 3
    ta, tb = fg.tensor(a), fg.tensor(b)
    got = getattr(fg, name)(ta[2:9], tb[5:12])
    want = OPS[name](a[2:9], b[5:12])
    assert got.dtype == ta.dtype
    assert got.shape == (7,)
    np.testing.assert_array_equal(got.numpy(), want)


def test_empty_views_past_the_start_of_their_storage():
    x = fg.ones(5)[3:3]
    y = fg.ones(5, dtype=fg.float64)[4:4]
    assert (x + x).shape == (0,)
    assert (y * y).shape == (0,)
    assert (y / y).dtype == fg.float64


def test_special_values_propagate():
    a = fg.tensor([0.0, -0.0, float("inf"), float("nan"), 1.0])
    b = fg.tensor([0.0, 0.0, float("inf"), 1.0, -0.0])
    got = (a / b).numpy()
    want = np.array([0.0, -0.0, np.inf, np.nan, 1.0], dtype=np.float32) / np.array(
        [0.0, 0.0, np.inf, 1.0, -0.0], dtype=np.float32
    )
    np.testing.assert_array_equal(got, want)
    assert np.signbit((a - b).numpy()[1]) == np.signbit(np.float32(-0.0) - np.float32(0.0))


def test_gradients_flow_through_the_short_path():
    a = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = fg.tensor([4.0, 5.0, 6.0], requires_grad=True)
    (a * b - a / b).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [4 - 1 / 4, 5 - 1 / 5, 6 - 1 / 6], rtol=1e-6)
    np.testing.assert_allclose(b.grad.numpy(), [1 + 1 / 16, 2 + 2 / 25, 3 + 3 / 36], rtol=1e-6)
