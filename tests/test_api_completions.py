"""Smaller pieces of PyTorch's API: bitwise functions and shifts, BatchNorm2d/3d,
parameters as one vector, repeat_interleave by a tensor, unique along a dim, and the
argument order of narrow's checks."""

import numpy as np
import pytest
from backend import fg


def test_shifts_follow_pytorch_for_every_amount():
    a = fg.tensor([1, -8, 5])
    b = fg.tensor([1, 2, 70])
    assert (a << b).tolist() == [2, -32, 0]
    assert (a >> b).tolist() == [0, -2, 0]
    assert fg.bitwise_left_shift(a, -1).tolist() == [0, 0, 0]
    assert (a >> -1).tolist() == [0, -1, 0]
    assert a.bitwise_right_shift(1).tolist() == [0, -4, 2]


def test_left_shift_wraps_in_the_result_width():
    out = fg.tensor([1, 2], dtype=fg.int8) << 7
    assert out.dtype == fg.int8
    assert out.tolist() == [-128, 0]
    assert (fg.tensor([3], dtype=fg.uint8) >> 1).tolist() == [1]


def test_shifting_floats_is_not_implemented():
    with pytest.raises(NotImplementedError, match="lshift_cpu"):
        fg.ones(2) << 1


def test_bitwise_functions_and_methods():
    x = fg.tensor([12, 10])
    y = fg.tensor([10, 6])
    assert fg.bitwise_and(x, y).tolist() == [8, 2]
    assert fg.bitwise_or(x, y).tolist() == [14, 14]
    assert x.bitwise_xor(y).tolist() == [6, 12]
    assert fg.bitwise_not(fg.tensor([1, 2])).tolist() == [-2, -3]
    assert fg.bitwise_and(fg.tensor([True, False]), fg.tensor([True, True])).tolist() == [True, False]


@pytest.mark.parametrize("cls, shape", [("BatchNorm2d", (4, 3, 2, 5)), ("BatchNorm3d", (2, 3, 2, 2, 3))])
def test_batch_norm_2d_and_3d_normalise_each_channel(cls, shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    m = getattr(fg.nn, cls)(3, dtype=fg.float64)
    assert repr(m) == f"{cls}(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    out = m(fg.tensor(x)).detach().numpy()
    axes = (0, *range(2, len(shape)))
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 1e-5), rtol=1e-10, atol=1e-10)
    n = x.size // 3
    np.testing.assert_allclose(m.running_mean.numpy(), 0.1 * mean.reshape(-1), rtol=1e-12)
    np.testing.assert_allclose(m.running_var.numpy(), 0.9 + 0.1 * var.reshape(-1) * n / (n - 1), rtol=1e-12)
    with pytest.raises(ValueError, match="expected"):
        m(fg.ones(2, 3))


def test_parameters_to_vector_and_back():
    lin = fg.nn.Linear(2, 3)
    vec = fg.nn.utils.parameters_to_vector(lin.parameters())
    assert vec.shape == (9,)
    assert vec[:6].tolist() == lin.weight.reshape(-1).tolist()
    fg.nn.utils.vector_to_parameters(fg.arange(9.0), lin.parameters())
    assert lin.weight.tolist() == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    assert lin.bias.tolist() == [6.0, 7.0, 8.0]


def test_repeat_interleave_by_a_tensor_of_counts():
    x = fg.tensor([3.0, 4.0], requires_grad=True)
    y = x.repeat_interleave(fg.tensor([1, 2]))
    assert y.tolist() == [3.0, 4.0, 4.0]
    assert type(y.grad_fn).__name__ == "IndexSelectBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 2.0]
    m = fg.tensor([[1, 2], [3, 4]])
    assert fg.repeat_interleave(m, fg.tensor([2, 1]), dim=0).tolist() == [[1, 2], [1, 2], [3, 4]]
    assert fg.repeat_interleave(fg.tensor([2, 3])).tolist() == [0, 0, 1, 1, 1]
    with pytest.raises(RuntimeError, match="repeats must have the same size as input along dim"):
        fg.repeat_interleave(m, fg.tensor([1, 2, 3]), dim=0)


def test_unique_along_a_dim():
    t = fg.tensor([[1, 2], [1, 2], [0, 4]])
    values, inverse, counts = fg.unique(t, dim=0, return_inverse=True, return_counts=True)
    assert values.tolist() == [[0, 4], [1, 2]]
    assert inverse.tolist() == [1, 1, 0]
    assert counts.tolist() == [1, 2]
    assert fg.unique(t, dim=1).tolist() == [[1, 2], [1, 2], [0, 4]]


def test_narrow_checks_the_length_before_the_start():
    with pytest.raises(RuntimeError, match="narrow\\(\\): length must be non-negative"):
        fg.ones(3).narrow(0, 5, -1)
    with pytest.raises(IndexError, match="start out of range"):
        fg.ones(3).narrow(0, 5, 1)


def test_relu_of_bool_is_a_runtime_error():
    with pytest.raises(RuntimeError, match="Boolean inputs not supported for relu"):
        fg.relu(fg.tensor([True]))


def test_numpy_ufuncs_on_tensors_give_tensors():
    a = np.ones(2)
    t = fg.tensor([0.0, 1.0], dtype=fg.float64)
    for out, want in [(np.exp(t), np.exp([0.0, 1.0])), (np.add(a, t), [1.0, 2.0]), (t + a, [1.0, 2.0])]:
        assert isinstance(out, fg.Tensor)
        np.testing.assert_allclose(out.numpy(), want)
