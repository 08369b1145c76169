"""testing.assert_close: PyTorch's default tolerances per dtype, its options, and its
failure messages word for word (recorded from PyTorch); testing.make_tensor."""

import math

import numpy as np
import pytest
from backend import MOD, fg

assert_close = fg.testing.assert_close


def message(fn):
    with pytest.raises(AssertionError) as info:
        fn()
    return str(info.value)


def test_close_values_pass():
    assert_close(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 2.0 + 1e-6]))
    assert_close(fg.tensor([1.0, 2.0], dtype=fg.float64), fg.tensor([1.0, 2.0 + 1e-7], dtype=fg.float64))
    assert_close(1.0, 1.0 + 1e-9)
    assert_close((1, 2), (1, 2))
    assert_close([fg.tensor(1.0), 2.0], [fg.tensor(1.0), 2.0])
    assert_close({"a": fg.tensor([1, 2])}, {"a": fg.tensor([1, 2])})
    assert_close(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 2.0], dtype=fg.float64), check_dtype=False)
    assert_close(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 2.5]), rtol=0.3, atol=0.0)
    assert_close(fg.tensor([1.0, math.inf]), fg.tensor([1.0, math.inf]))
    assert_close(fg.tensor([1.0, math.nan]), fg.tensor([1.0, math.nan]), equal_nan=True)
    assert_close(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 2.0]).view(2, 1).t().reshape(2))
    assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.0]))


def test_default_tolerances_per_dtype():
    # float32: rtol 1.3e-6, atol 1e-5; float64: 1e-7 both; integers exact.
    assert_close(fg.tensor([0.0]), fg.tensor([9e-6]))
    with pytest.raises(AssertionError):
        assert_close(fg.tensor([0.0]), fg.tensor([2e-5]))
    with pytest.raises(AssertionError):
        assert_close(fg.tensor([0.0], dtype=fg.float64), fg.tensor([2e-7], dtype=fg.float64))
    with pytest.raises(AssertionError):
        assert_close(fg.tensor([10]), fg.tensor([11]))


def test_tensor_mismatch_message():
    got = message(lambda: assert_close(fg.tensor([[1.0, 2.0], [3.0, 4.0]]), fg.tensor([[1.0, 2.0], [3.1, 4.0]])))
    assert got == (
        "Tensor-likes are not close!\n\n"
        "Mismatched elements: 1 / 4 (25.0%)\n"
        "Greatest absolute difference: 0.09999990463256836 at index (1, 0) (up to 1e-05 allowed)\n"
        "Greatest relative difference: 0.032258033752441406 at index (1, 0) (up to 1.3e-06 allowed)"
    )


def test_integer_and_bool_mismatch_messages():
    got = message(lambda: assert_close(fg.tensor([1, 2]), fg.tensor([1, 3])))
    assert got == (
        "Tensor-likes are not equal!\n\n"
        "Mismatched elements: 1 / 2 (50.0%)\n"
        "Greatest absolute difference: 1 at index (1,)\n"
        "Greatest relative difference: 0.3333333432674408 at index (1,)"
    )
    got = message(lambda: assert_close(fg.tensor([True, False]), fg.tensor([True, True])))
    assert got == (
        "Tensor-likes are not equal!\n\n"
        "Mismatched elements: 1 / 2 (50.0%)\n"
        "Greatest absolute difference: 1 at index (1,)\n"
        "Greatest relative difference: 1.0 at index (1,)"
    )


def test_nan_and_inf_messages():
    got = message(lambda: assert_close(fg.tensor([1.0, math.nan]), fg.tensor([1.0, math.nan])))
    assert got == (
        "Tensor-likes are not close!\n\n"
        "Mismatched elements: 1 / 2 (50.0%)\n"
        "Greatest absolute difference: nan at index (1,) (up to 1e-05 allowed)\n"
        "Greatest relative difference: nan at index (1,) (up to 1.3e-06 allowed)"
    )
    got = message(lambda: assert_close(fg.tensor([1.0, math.inf]), fg.tensor([1.0, -math.inf])))
    assert "Greatest absolute difference: inf at index (1,)" in got
    got = message(lambda: assert_close(fg.tensor([0.0, 0.0]), fg.tensor([1.0, 0.0])))
    assert "Greatest relative difference: 1.0 at index (0,) (up to 1.3e-06 allowed)" in got


def test_scalar_messages():
    got = message(lambda: assert_close(1.0, 1.1))
    assert got == (
        "Scalars are not close!\n\n"
        "Expected 1.1 but got 1.0.\n"
        "Absolute difference: 0.10000000000000009 (up to 1e-07 allowed)\n"
        "Relative difference: 0.09090909090909098 (up to 1e-07 allowed)"
    )
    got = message(lambda: assert_close(1, 2))
    assert got == "Scalars are not equal!\n\nExpected 2 but got 1.\nAbsolute difference: 1\nRelative difference: 0.5"
    got = message(lambda: assert_close(fg.tensor(1.0), fg.tensor(2.0)))
    assert got == (
        "Scalars are not close!\n\n"
        "Expected 2.0 but got 1.0.\n"
        "Absolute difference: 1.0 (up to 1e-05 allowed)\n"
        "Relative difference: 0.5 (up to 1.3e-06 allowed)"
    )


def test_nested_containers_name_the_item():
    got = message(lambda: assert_close([fg.tensor(1.0), 2.0], [fg.tensor(1.0), 2.5]))
    assert got.endswith("\n\nThe failure occurred for item [1]")
    got = message(lambda: assert_close({"a": fg.tensor(1.0)}, {"a": fg.tensor(1.5)}))
    assert got.endswith("\n\nThe failure occurred for item ['a']")
    got = message(lambda: assert_close([[fg.tensor(1.0)], [fg.tensor(2.0)]], [[fg.tensor(1.0)], [fg.tensor(2.5)]]))
    assert got.endswith("\n\nThe failure occurred for item [1][0]")
    got = message(lambda: assert_close({"a": fg.tensor(1.0)}, {"b": fg.tensor(1.5)}))
    assert got == "The keys of the mappings do not match:\nMissing keys in the actual mapping: ['b']\nAdditional keys in the actual mapping: ['a']"
    assert message(lambda: assert_close([1.0, 2.0], [1.0, 2.0, 3.0])) == "The length of the sequences mismatch: 2 != 3"


def test_attribute_mismatches():
    got = message(lambda: assert_close(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 2.0], dtype=fg.float64)))
    assert got == f"The values for attribute 'dtype' do not match: {MOD}.float32 != {MOD}.float64."
    got = message(lambda: assert_close(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 2.0, 3.0])))
    assert got == f"The values for attribute 'shape' do not match: {MOD}.Size([2]) != {MOD}.Size([3])."


def test_msg_replaces_or_edits_the_message():
    assert message(lambda: assert_close(fg.tensor([1.0]), fg.tensor([2.0]), msg="boom")) == "boom"
    got = message(lambda: assert_close(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 2.5]), msg=lambda m: "X" + m))
    assert got.startswith("XTensor-likes are not close!")


def test_type_and_value_errors():
    with pytest.raises(TypeError, match="No comparison pair was able to handle inputs of type"):
        assert_close(fg.tensor(1.0), 1.0)
    with pytest.raises(TypeError, match="No comparison pair was able to handle inputs of type"):
        assert_close(fg.tensor([1.0, 2.0]), [1.0, 2.0])
    with pytest.raises(TypeError, match="No comparison pair was able to handle inputs of type"):
        assert_close("a", "a")
    with pytest.raises(ValueError, match="Both 'rtol' and 'atol' must be either specified or omitted, but got no atol."):
        assert_close(fg.tensor([1.0]), fg.tensor([1.0]), rtol=0.1)
    with pytest.raises(ValueError, match="Both 'rtol' and 'atol' must be either specified or omitted, but got no rtol."):
        assert_close(fg.tensor([1.0]), fg.tensor([1.0]), atol=0.1)


def test_make_tensor():
    x = fg.testing.make_tensor(3, 4, dtype=fg.float64, device="cpu", low=-2, high=3)
    assert x.shape == (3, 4) and x.dtype == fg.float64
    assert (x >= -2).all() and (x < 3).all()
    y = fg.testing.make_tensor((5,), dtype=fg.int64, device="cpu", low=0, high=4, exclude_zero=True)
    assert y.dtype == fg.int64 and (y > 0).all() and (y < 4).all()
    b = fg.testing.make_tensor(2, 2, dtype=fg.bool, device="cpu")
    assert b.dtype == fg.bool
    g = fg.testing.make_tensor(2, dtype=fg.float32, device="cpu", requires_grad=True)
    assert g.requires_grad and g.is_leaf


def test_number_types_must_match():
    assert message(lambda: assert_close(1, 1.0)) == "The (d)types do not match: <class 'int'> != <class 'float'>."
    assert_close(1, 1.0, check_dtype=False)
