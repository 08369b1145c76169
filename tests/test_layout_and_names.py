"""Result layouts, double-backward node names and scalars at the edges of their dtypes,
against PyTorch 2.13's CPU behaviour (the strides, names and errors hard-coded here were
observed with it)."""

import ferrograd as torch
import ferrograd.nn.functional as F
import numpy as np
import pytest


def _transposed():
    return torch.tensor(np.arange(24, dtype=np.float32).reshape(4, 6)).t()  # (6, 4) strides (1, 6)


def _channels_last():
    x = torch.tensor(np.random.default_rng(0).standard_normal((2, 3, 4, 5)).astype(np.float32))
    return x.contiguous(memory_format=torch.channels_last)  # strides (60, 1, 15, 3)


def _channels_last_sliced():
    """Channels-last order with a gap in H: PyTorch still suggests channels last."""
    x = torch.tensor(np.random.default_rng(1).standard_normal((2, 3, 8, 5)).astype(np.float32))
    return x.contiguous(memory_format=torch.channels_last)[:, :, ::2]  # strides (120, 1, 30, 3)


# --- memory format of copies that follow their input ------------------------------------


@pytest.mark.parametrize("op", [
    lambda x: x.flip(0), lambda x: x.flip(-1), lambda x: x.sort(-1)[0], lambda x: x.sort(-1)[1],
    lambda x: x.sort(0)[0], lambda x: x.argsort(-1), lambda x: torch.randint_like(x, 5),
])
def test_flip_sort_argsort_randint_like_keep_a_transposed_layout(op):
    x = _transposed()
    assert op(x).stride() == (1, 6)


@pytest.mark.parametrize("op", [
    lambda x: x.flip(0), lambda x: x.sort(-1)[0], lambda x: x.argsort(1), lambda x: x.roll(1, 0),
    lambda x: torch.randint_like(x, 5),
])
def test_flip_sort_roll_keep_channels_last(op):
    assert op(_channels_last()).stride() == (60, 1, 15, 3)


def test_values_follow_the_layout_not_the_memory():
    x = _transposed()
    np.testing.assert_array_equal(x.flip(0).numpy(), np.flip(x.numpy(), 0))
    np.testing.assert_array_equal(x.sort(0)[0].numpy(), np.sort(x.numpy(), 0))
    np.testing.assert_array_equal(x.argsort(0).numpy(), np.argsort(x.numpy(), 0, kind="stable"))
    c = _channels_last()
    np.testing.assert_array_equal(c.roll(1, 0).numpy(), np.roll(c.numpy(), 1, 0))
    np.testing.assert_array_equal(torch.cat([c, c], 1).numpy(), np.concatenate([c.numpy()] * 2, 1))
    np.testing.assert_array_equal(torch.stack([c, c]).numpy(), np.stack([c.numpy()] * 2))


def test_roll_by_zero_and_over_all_elements_is_row_major():
    c = _channels_last()
    assert c.roll(0, 3).stride() == (60, 20, 5, 1)  # one piece is empty: cat is row-major
    assert c.roll(1).stride() == (60, 20, 5, 1)  # rolled flattened


def test_cat_and_stack_of_channels_last_stay_channels_last():
    for c in (_channels_last(), _channels_last_sliced()):
        assert torch.cat([c, c], 0).stride() == (60, 1, 15, 3)
        assert torch.cat([c, c], 1).stride() == (120, 1, 30, 6)
        assert torch.stack([c, c], 0).stride() == (120, 60, 1, 15, 3)
        assert torch.stack([c, c], -1).stride() == (120, 40, 10, 2, 1)
    c = _channels_last()
    assert torch.cat([c, c.contiguous()], 0).stride() == (60, 20, 5, 1)


def test_stack_result_is_not_a_view():
    c = _channels_last().requires_grad_()
    s = torch.stack([c, c])
    assert s._base is None
    assert s.grad_fn.name() == "StackBackward0"
    (g,) = torch.autograd.grad(s.sum(), c)
    np.testing.assert_array_equal(g.numpy(), np.full((2, 3, 4, 5), 2.0, np.float32))


def test_isnan_of_integers_keeps_the_layout():
    x = torch.tensor([[1, 2], [3, 4]]).t()
    assert torch.isnan(x).stride() == (1, 2)
    assert torch.isnan(x.bool()).stride() == (1, 2)


def test_pow_of_a_python_number_base_is_row_major():
    x = _transposed()
    assert (2 ** x).stride() == (4, 1)
    assert torch.pow(2, x).stride() == (4, 1)
    np.testing.assert_allclose((2 ** x).numpy(), 2.0 ** x.numpy(), rtol=1e-6)
    assert torch.pow(torch.tensor(2.0), x).stride() == (1, 6)  # a tensor base follows x


def test_randint_like_bounds_are_checked_against_the_dtype():
    with pytest.raises(RuntimeError, match="to - 1 is out of bounds for bool"):
        torch.randint_like(torch.ones(2, dtype=torch.bool), 5)
    with pytest.raises(RuntimeError, match="to - 1 is out of bounds for signed char"):
        torch.randint_like(torch.ones(2, dtype=torch.int8), 200)
    assert torch.randint_like(torch.ones(2, dtype=torch.bool), 2).dtype == torch.bool


def test_randint_like_draws_in_memory_order():
    torch.manual_seed(0)
    x = torch.zeros(3, 4).t()
    got = torch.randint_like(x, 10)
    # PyTorch 2.13, manual_seed(0): the draws fill the (1, 4)-strided memory in order
    # (a row-major draw of the same seed is [[4, 9, 3], [0, 3, 9], [7, 3, 7], [3, 1, 6]])
    assert got.tolist() == [[4.0, 3.0, 7.0], [9.0, 9.0, 3.0], [3.0, 7.0, 1.0], [0.0, 3.0, 6.0]]


# --- image ops: the format the input suggests -------------------------------------------


@pytest.mark.parametrize("op, strides", [
    (lambda x: F.conv2d(x, torch.ones(4, 3, 3, 3), padding=1), (80, 1, 20, 4)),
    (lambda x: F.max_pool2d(x, 2), (12, 1, 6, 3)),
    (lambda x: F.max_pool2d(x, 2, return_indices=True)[1], (12, 1, 6, 3)),
    (lambda x: F.avg_pool2d(x, 2), (12, 1, 6, 3)),
    (lambda x: F.adaptive_avg_pool2d(x, 1), (3, 1, 3, 3)),
    (lambda x: F.group_norm(x, 3), (60, 1, 15, 3)),
    (lambda x: F.interpolate(x, scale_factor=2), (240, 1, 30, 3)),
    (lambda x: F.interpolate(x, scale_factor=2, mode="bilinear"), (240, 1, 30, 3)),
    (lambda x: F.pad(x, (1, 1, 1, 1)), (126, 1, 21, 3)),
])
def test_image_ops_on_gapped_channels_last_input_give_channels_last(op, strides):
    assert op(_channels_last_sliced()).stride() == strides


@pytest.mark.parametrize("op, strides", [
    (lambda x: F.pad(x, (1, 1, 1, 1)), (126, 1, 21, 3)),
    (lambda x: F.pad(x, (1, 1, 1, 1), mode="reflect"), (126, 1, 21, 3)),
    (lambda x: F.adaptive_avg_pool2d(x, 1), (3, 1, 3, 3)),
    (lambda x: F.adaptive_max_pool2d(x, 1)[0] if isinstance(F.adaptive_max_pool2d(x, 1), tuple)
     else F.adaptive_max_pool2d(x, 1), (3, 1, 3, 3)),
    (lambda x: F.pixel_shuffle(torch.cat([x, x, x, x], 1)[:, :8], 2), (160, 1, 20, 2)),
    (lambda x: F.channel_shuffle(x, 3), (60, 1, 15, 3)),
])
def test_image_ops_on_channels_last_input_give_channels_last(op, strides):
    assert op(_channels_last()).stride() == strides


@pytest.mark.parametrize("make", [
    lambda: _channels_last().transpose(2, 3),  # NCWH in memory: not channels last
    lambda: torch.tensor(np.ones((1, 3, 4, 5), np.float32)).contiguous(
        memory_format=torch.channels_last).expand(2, 3, 4, 5),  # a stride-0 batch dim
])
def test_norms_of_other_layouts_are_row_major(make):
    x = make()
    shape = tuple(x.shape)
    row_major = (shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1)
    assert F.batch_norm(x, torch.zeros(3), torch.ones(3), training=True).stride() == row_major
    assert F.batch_norm(x, torch.zeros(3), torch.ones(3)).stride() == row_major
    assert F.group_norm(x, 3).stride() == row_major
    assert F.channel_shuffle(x, 3).stride() == row_major


def test_relayout_keeps_values_and_the_op_node():
    x = _channels_last_sliced().requires_grad_()
    y = F.max_pool2d(x, 2)
    assert y.grad_fn.name() == "MaxPool2DWithIndicesBackward0"
    ref = x.detach().numpy()[..., :4].reshape(2, 3, 2, 2, 2, 2).max(axis=(3, 5))
    np.testing.assert_array_equal(y.detach().numpy(), ref)
