"""Session 32 (helper mutate22): bad calls derived from PyTorch's OpInfo samples by
`tools/opinfo_diff.py --mutate` where ferrograd answered where PyTorch raises, or raised
where PyTorch answers. Expected types, messages and shapes are PyTorch's; the file also
runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re

import pytest
from backend import fg

F = fg.nn.functional


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


def pool_backward(shape, grad_dtype=None, self_dtype=None):
    x = fg.arange(float(shape[0] * 2 * 3 * 6)).reshape(*shape)
    out, indices = F.max_pool2d(x, 3, 2, 0, 1, True, True)
    grad = fg.ones_like(out, dtype=grad_dtype or fg.float32)
    return fg.ops.aten.max_pool2d_with_indices_backward(
        grad, x.to(self_dtype or fg.float32), [3], [2], [0], [1], True, indices)


@pytest.mark.parametrize("dtype, name", [
    (fg.int64, "Long"), (fg.int32, "Int"), (fg.uint8, "Byte"), (fg.bool, "Bool"),
    (fg.complex64, "ComplexFloat"),
])
def test_max_pool2d_backward_refuses_non_float_dtypes(dtype, name):
    with raises(NotImplementedError, f"\"max_pool2d_backward\" not implemented for '{name}'"):
        pool_backward((1, 2, 3, 6), dtype, dtype)


@pytest.mark.parametrize("grad_dtype, self_dtype, message", [
    (fg.float32, fg.int64, "expected dtype long int for `gradOutput` but got dtype float"),
    (fg.int64, fg.float32, "expected dtype float for `gradOutput` but got dtype long int"),
])
def test_max_pool2d_backward_refuses_mismatched_grad_dtype(grad_dtype, self_dtype, message):
    with raises(RuntimeError, message):
        pool_backward((1, 2, 3, 6), grad_dtype, self_dtype)


@pytest.mark.parametrize("dtype", [fg.float64, fg.float16, fg.bfloat16])
def test_max_pool2d_backward_keeps_float_dtypes(dtype):
    assert pool_backward((1, 2, 3, 6), dtype, dtype).dtype == dtype


def test_max_pool2d_backward_of_an_empty_batch_is_empty():
    grad = pool_backward((0, 2, 3, 6))
    assert tuple(grad.shape) == (0, 2, 3, 6)


def test_max_pool2d_backward_adds_at_the_chosen_positions():
    grad = pool_backward((1, 2, 3, 6))
    assert grad.sum(dim=(2, 3)).tolist() == [[3.0, 3.0]]
    assert grad[0, 0, 2].tolist() == [0.0, 0.0, 1.0, 0.0, 1.0, 1.0]
