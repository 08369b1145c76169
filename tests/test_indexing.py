"""Advanced indexing (integer lists/tensors, boolean masks) against NumPy, with gradients."""

import numpy as np
import pytest
from backend import fg

BASE = np.arange(12, dtype=np.float64).reshape(3, 4) - 5.5

INDICES = [
    [0, 2],
    ([0, 2], [1, 3]),
    (slice(None), [3, 0, 0]),
    ([[0], [2]], [1, 2]),
    (Ellipsis, [True, False, True, False]),
    (1, [0, 0, 3]),
    ([1, 2], slice(None, 2)),
]


def as_fg_index(idx):
    if isinstance(idx, tuple):
        return tuple(as_fg_index(i) for i in idx)
    if isinstance(idx, list) and idx and isinstance(idx[0], list):
        return fg.tensor(idx)
    return idx


@pytest.mark.parametrize("idx", INDICES, ids=[repr(i) for i in INDICES])
def test_reading_matches_numpy(idx):
    t = fg.tensor(BASE)
    np.testing.assert_array_equal(t[as_fg_index(idx)].numpy(), BASE[idx])


# (index, result shape) recorded from PyTorch 2.13 on a (2, 3, 4) tensor. PyTorch applies
# integers as `select` before the advanced items, so where advanced dims land is decided
# without them; NumPy's rule differs (`a[0, :, [1, 2]]` is (2, 3) there).
TORCH_PLACEMENT = [
    ((0, slice(None), [1, 2]), (3, 2)),
    ((None, 0, Ellipsis, [1, 2]), (1, 3, 2)),
    ((True, 0, slice(None), [1, 2]), (2, 3)),
    ((0, True, slice(None), [1, 2]), (2, 3)),
    (([1], slice(None), 0), (1, 3)),
    ((0, [1, 2], [0, 1]), (2,)),
    ((0, slice(None), [[1, 2]]), (3, 1, 2)),
    ((slice(1, None), 0, [1, 2]), (1, 2)),
]


@pytest.mark.parametrize("idx,shape", TORCH_PLACEMENT, ids=[repr(i) for i, _ in TORCH_PLACEMENT])
def test_integers_select_before_advanced_indexing(idx, shape):
    base = np.arange(24.0).reshape(2, 3, 4)
    t = fg.tensor(base, requires_grad=True)
    out = t[idx]
    assert tuple(out.shape) == shape
    out.sum().backward()
    # every element picked once per time it appears
    assert t.grad.sum().item() == np.prod(shape)


@pytest.mark.parametrize("idx,message", [
    (([0, 1], slice(None, None, -1)), "step must be greater than zero"),
    ((slice(None, None, -2), [0]), "step must be greater than zero"),
    (([True, False], slice(None, None, 0)), "slice step cannot be zero"),
    ((slice(None, None, 0),), "slice step cannot be zero"),
])
def test_negative_or_zero_step_is_a_value_error(idx, message):
    with pytest.raises(ValueError, match=message):
        fg.zeros(2, 3)[idx]


def test_integer_tensor_index_selects_like_an_int():
    base = np.arange(24.0).reshape(2, 3, 4)
    out = fg.tensor(base)[fg.tensor(1), :, [3, 0]]
    np.testing.assert_array_equal(out.numpy(), base[1][:, [3, 0]])


def test_assignment_uses_the_same_placement():
    t = fg.zeros(2, 3, 4)
    t[0, :, [1, 2]] = fg.arange(6.0).reshape(3, 2)
    want = np.zeros((2, 3, 4))
    want[0][:, [1, 2]] = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(t.numpy(), want)


def test_boolean_mask_and_its_gradient():
    x = fg.tensor(BASE, requires_grad=True)
    picked = x[x > 0]
    np.testing.assert_array_equal(picked.detach().numpy(), BASE[BASE > 0])
    (picked * 3).sum().backward()
    # d/dx of 3 * sum(x[x > 0]) is 3 where x > 0, else 0
    np.testing.assert_array_equal(x.grad.numpy(), np.where(BASE > 0, 3.0, 0.0))


def test_repeated_indices_accumulate_gradients():
    x = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]


def test_second_derivative_through_an_index():
    x = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (g,) = fg.autograd.grad((x[[1, 2]] ** 3).sum(), x, create_graph=True)
    assert g.tolist() == [0.0, 12.0, 27.0]  # 3x² at the picked places
    (h,) = fg.autograd.grad(g.sum(), x)
    assert h.tolist() == [0.0, 12.0, 18.0]  # 6x


def test_out_of_range_index_is_an_index_error():
    with pytest.raises(IndexError, match="out of bounds"):
        fg.ones(3)[[0, 3]]


def test_assignment_through_a_mask_and_a_list():
    t = fg.tensor(BASE)
    t[t < 0] = 0.0
    expected = np.where(BASE < 0, 0.0, BASE)
    np.testing.assert_array_equal(t.numpy(), expected)
    with pytest.raises(RuntimeError, match="dtypes match"):
        t[[0, 2], [1, 1]] = fg.tensor([7.0, 8.0])  # float32 into float64
    t[[0, 2], [1, 1]] = fg.tensor([7.0, 8.0], dtype=fg.float64)
    expected[[0, 2], [1, 1]] = [7.0, 8.0]
    np.testing.assert_array_equal(t.numpy(), expected)


def test_assignment_gradients_reach_both_tensor_and_value():
    x = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = fg.tensor([10.0, 20.0], requires_grad=True)
    m = x * 1
    m[[0, 2]] = v
    assert m.grad_fn.name() == "IndexPutBackward0"
    (m * fg.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert x.grad.tolist() == [0.0, 2.0, 0.0]  # overwritten places get nothing
    assert v.grad.tolist() == [1.0, 3.0]


def test_assignment_into_a_leaf_that_requires_grad_raises():
    x = fg.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x[[0]] = 2.0
