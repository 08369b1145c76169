"""index_select, gather, take_along_dim, masked_select, outer, addmm: values against
NumPy, gradients by finite differences, errors as PyTorch's."""

import numpy as np
import pytest
from backend import fg

BASE = np.array([[1.5, -2.0, 3.0], [0.5, 0.0, -1.0]])


def test_values_match_numpy():
    x = fg.tensor(BASE)
    np.testing.assert_array_equal(x.index_select(1, fg.tensor([2, 0])).numpy(), BASE[:, [2, 0]])
    idx = np.array([[0, 0], [2, 1]])
    np.testing.assert_array_equal(
        x.gather(1, fg.tensor(idx)).numpy(), np.take_along_axis(BASE, idx, axis=1)
    )
    np.testing.assert_array_equal(
        fg.take_along_dim(x, fg.tensor([0, 5])).numpy(), BASE.reshape(-1)[[0, 5]]
    )
    np.testing.assert_array_equal(x.masked_select(x > 0).numpy(), BASE[BASE > 0])
    np.testing.assert_array_equal(
        fg.outer(fg.tensor([1.0, 2.0]), fg.tensor([3.0, 4.0, 5.0])).numpy(),
        np.outer([1.0, 2.0], [3.0, 4.0, 5.0]),
    )
    np.testing.assert_allclose(
        fg.addmm(fg.ones(2, 2, dtype=fg.float64), x, x.t(), beta=0.5, alpha=2).numpy(),
        0.5 + 2 * BASE @ BASE.T,
    )


@pytest.mark.parametrize(
    "fn",
    [
        lambda a: a.index_select(1, fg.tensor([2, 2, 0])),
        lambda a: a.gather(0, fg.tensor([[1, 0, 1], [0, 0, 1]])),
        lambda a: a.masked_select(a > 0.5),
        lambda a: fg.addmm(a[:, :2], a, a.t()),
    ],
)
def test_gradients(fn):
    a = fg.tensor(BASE + 0.25, requires_grad=True)
    assert fg.autograd.gradcheck(fn, (a,))


def test_out_of_range_indices_raise_runtime_error():
    x = fg.tensor(BASE)
    with pytest.raises(RuntimeError, match="out of DATA bounds"):
        x.index_select(1, fg.tensor([5]))
    with pytest.raises(RuntimeError, match="out of bounds for dimension 1"):
        x.gather(1, fg.tensor([[0, 7]]))
