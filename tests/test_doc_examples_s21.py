"""Calls from PyTorch's own docstring examples where ferrograd differed from PyTorch
(found by tools/doc_examples_diff.py), written out directly; expectations are PyTorch's."""

import numpy as np
import pytest
from backend import MOD, fg

assert_close = fg.testing.assert_close


# ---------------------------------------------------------------- testing.assert_close
def test_assert_close_complex_default_tolerances():
    # torch.fft.fft2's example: complex64 compares with float32's rtol 1.3e-6, atol 1e-5
    x = fg.tensor([1 + 1j, 2 - 1j], dtype=fg.complex64)
    assert_close(x, x + 1e-6)
    with pytest.raises(AssertionError, match="Tensor-likes are not close!"):
        assert_close(x, x + 1e-4)
    y = fg.tensor([1 + 1j], dtype=fg.complex128)
    assert_close(y, y * (1 + 1e-8))
    with pytest.raises(AssertionError, match="not close!"):
        assert_close(y, y + 1e-6)


def test_assert_close_one_element_tensor_is_a_tensor_like():
    with pytest.raises(AssertionError) as info:
        assert_close(fg.tensor([1.0]), fg.tensor([2.0]))
    assert str(info.value).startswith("Tensor-likes are not close!\n\nMismatched elements: 1 / 1 (100.0%)")
    with pytest.raises(AssertionError) as info:
        assert_close(fg.tensor(1.0), fg.tensor(2.0))
    assert str(info.value).startswith("Scalars are not close!\n\nExpected 2.0 but got 1.0.")


def test_assert_close_unrelated_types_raise_type_error():
    actual = fg.tensor([1.0, 2.0])
    with pytest.raises(TypeError) as info:
        assert_close(actual.numpy(), actual)
    assert str(info.value) == (
        "No comparison pair was able to handle inputs of type <class 'numpy.ndarray'> and "
        f"<class '{MOD}.Tensor'>.")
    with pytest.raises(TypeError, match="No comparison pair"):
        assert_close(actual, actual.numpy())
    assert_close(fg.nn.Parameter(actual), actual)
    with pytest.raises(TypeError) as info:
        assert_close(fg.nn.Parameter(actual), actual, allow_subclasses=False)
    assert str(info.value) == (
        f"No comparison pair was able to handle inputs of type <class '{MOD}.nn.parameter.Parameter'> "
        f"and <class '{MOD}.Tensor'>.")
    assert_close(np.float64(1.0), 1.0)
    assert_close([actual], (actual,), allow_subclasses=False)
    sparse = fg.tensor([[1.0, 0.0]]).to_sparse()
    assert_close(sparse, fg.tensor([[1.0, 0.0]]), check_layout=False, allow_subclasses=False)
