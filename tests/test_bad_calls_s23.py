"""Bad calls (and good ones that went wrong) found by `tools/opinfo_diff.py --mutate`
(session 23). Exception types, shapes and message fragments are PyTorch's; the file
also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re

import numpy as np
import pytest
from backend import fg


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


def shapes(pieces):
    return [tuple(p.shape) for p in pieces]


# ---- a NumPy integer is a number of sections, not an index ---------------------------------


@pytest.mark.parametrize(
    "count", [np.int64(2), np.int32(2), np.array(2)], ids=["int64", "int32", "0d-array"]
)
def test_tensor_split_reads_a_numpy_integer_as_the_number_of_sections(count):
    assert shapes(fg.tensor_split(fg.ones(5, 5), count)) == [(3, 5), (2, 5)]
    assert shapes(fg.ones(5, 5).tensor_split(count, 1)) == [(5, 3), (5, 2)]


def test_tensor_split_refuses_a_float_array_as_sections():
    with pytest.raises(TypeError, match="tensor_split"):
        fg.tensor_split(fg.ones(5, 5), np.array(2.0))


def test_hsplit_checks_divisibility_for_a_numpy_integer():
    assert shapes(fg.hsplit(fg.ones(4, 4), np.int64(2))) == [(4, 2), (4, 2)]
    with raises(RuntimeError, "not divisible by the split_size 3"):
        fg.ones(4, 4, 4).dsplit(np.int64(3))


@pytest.mark.parametrize("sections", [np.array(2), np.array([1, 2])], ids=["0d-array", "1d-array"])
def test_hsplit_refuses_an_array_for_either_overload(sections):
    with raises(TypeError, "hsplit() received an invalid combination of arguments"):
        fg.hsplit(fg.ones(4, 4), sections)


def test_hsplit_refuses_a_1d_tensor_but_takes_a_0d_one():
    assert shapes(fg.hsplit(fg.ones(4, 4), fg.tensor(2))) == [(4, 2), (4, 2)]
    with raises(TypeError, "hsplit() received an invalid combination of arguments"):
        fg.hsplit(fg.ones(4, 4), fg.tensor([1, 2]))


# ---- smooth_l1_loss promotes a bool input as it does a bool target --------------------------


def test_smooth_l1_loss_promotes_a_bool_input_to_the_target_dtype():
    loss = fg.nn.functional.smooth_l1_loss(
        fg.ones(3, dtype=fg.bool), fg.zeros(3, dtype=fg.float64), reduction="none", beta=0.5
    )
    assert loss.dtype == fg.float64
    assert loss.tolist() == [0.75, 0.75, 0.75]


def test_smooth_l1_loss_with_beta_zero_still_refuses_a_bool_input():
    with raises(RuntimeError, "Subtraction, the `-` operator, with a bool tensor is not supported"):
        fg.nn.functional.smooth_l1_loss(fg.ones(3, dtype=fg.bool), fg.zeros(3), beta=0.0)


# ---- functions forwarding to a method a NumPy array has too -----------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("transpose", (0, 1)),
        ("swapaxes", (0, 1)),
        ("swapdims", (0, 1)),
        ("alpha_dropout", (0.5, True)),
        ("alpha_dropout_", (0.5, True)),
        ("feature_alpha_dropout", (0.5, True)),
        ("feature_dropout", (0.5, True)),
        ("feature_dropout_", (0.5, True)),
    ],
)
def test_functions_refuse_a_numpy_array_as_input(name, args):
    with raises(
        TypeError, f"{name}(): argument 'input' (position 1) must be Tensor, not numpy.ndarray"
    ):
        getattr(fg, name)(np.ones((2, 3)), *args)


def test_transpose_still_takes_a_tensor():
    assert tuple(fg.transpose(fg.ones(2, 3), 0, 1).shape) == (3, 2)
    assert tuple(fg.swapaxes(fg.ones(2, 3), 1, 0).shape) == (3, 2)


@pytest.mark.parametrize("value", [np.ones(2), None, [1.0]], ids=["ndarray", "None", "list"])
def test_to_dlpack_refuses_what_is_not_a_tensor(value):
    with raises(TypeError, "_to_dlpack(): argument 'data' (position 1) must be Tensor, not"):
        fg.utils.dlpack.to_dlpack(value)
