"""Sizes, huge values and Python integers as PyTorch 2.13 (CPU) handles them; the expected
values and exception types were observed from PyTorch."""

import warnings

import ferrograd as torch
import pytest

# ---- arange: int64 lengths in exact integer arithmetic ----------------------------------

@pytest.mark.parametrize("args, expected", [
    ((2**62, 2**62 + 5), [2**62 + i for i in range(5)]),
    ((-2**63, -2**63 + 3), [-2**63, -2**63 + 1, -2**63 + 2]),
    ((2**62, 2**62 + 10, 3), [2**62, 2**62 + 3, 2**62 + 6, 2**62 + 9]),
    ((2**62 + 10, 2**62, -3), [2**62 + 10, 2**62 + 7, 2**62 + 4, 2**62 + 1]),
    ((2**63 - 3, 2**63 - 1), [2**63 - 3, 2**63 - 2]),
    ((2**53, 2**53 + 3), [2**53, 2**53 + 1, 2**53 + 2]),
    ((-2**63, 2**63 - 1, 2**62), []),  # PyTorch's length wraps around in int64
    ((0, 10, 2**63 - 1), []),  # and here
])
def test_integer_arange_length_is_exact(args, expected):
    t = torch.arange(*args)
    assert t.dtype == torch.int64
    assert t.tolist() == expected


def test_arange_of_float_bounds_as_int64_truncates_them():
    assert torch.arange(0.5, dtype=torch.int64).tolist() == []
    assert torch.arange(0.5, 3.7, dtype=torch.int64).tolist() == [0, 1, 2]
    assert torch.arange(-0.5, 3, dtype=torch.int64).tolist() == [0, 1, 2]


def test_arange_narrow_integer_dtypes_take_the_float_length_and_wrap():
    assert torch.arange(0.5, 3.7, dtype=torch.int32).tolist() == [0, 1, 2, 3]
    assert torch.arange(0, 1000, 300, dtype=torch.int8).tolist() == [0, 44, 88, -124]
    assert torch.arange(0, 300, 100, dtype=torch.uint8).tolist() == [0, 100, 200]


@pytest.mark.parametrize("args, message", [
    ((0, 10, 0), "step must be nonzero"),
    ((0, 1, float("nan")), "step must be nonzero"),
    ((0, 10, -1), "upper bound and lower bound inconsistent with step sign"),
    ((10, 0, 1), "upper bound and lower bound inconsistent with step sign"),
    ((0, float("nan")), "unsupported range: 0 -> nan"),
    ((0, float("inf")), "unsupported range: 0 -> inf"),
    ((0, 1e20), "invalid size, possible overflow?"),
    ((0, 1, 1e-20), "invalid size, possible overflow?"),
    ((0, 2**63 - 1, 2**62), "invalid size, possible overflow?"),
    ((0, 2**62), "Storage size calculation overflowed"),
])
def test_arange_refusals(args, message):
    with pytest.raises(RuntimeError, match=message.replace("?", r"\?")):
        torch.arange(*args)


def test_arange_float_bound_too_big_for_int64():
    with pytest.raises(RuntimeError, match="int64_t without overflow"):
        torch.arange(1e300, 1.1e300, 1e299, dtype=torch.int64)


# ---- range (deprecated) ----------------------------------------------------------------

def _range(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch.range(*args, **kwargs)


def test_range_float_length_in_float64_and_int_length_exact():
    t = _range(2**62, 2**62 + 3)
    assert t.dtype == torch.float32 and t.tolist() == [float(2**62)]
    assert _range(2**62, 2**62 + 3, dtype=torch.int64).tolist() == [2**62 + i for i in range(4)]
    assert _range(0.5, 3.2, dtype=torch.int64).tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("args, message", [
    ((0, 5, 0), "step must be nonzero"),
    ((0, 1, float("nan")), "step must be nonzero"),
    ((0, 5, -1), "upper bound and lower bound inconsistent with step sign"),
    ((0, float("nan")), "unsupported range: 0 -> nan"),
    ((0, 2**62), "Storage size calculation overflowed"),
])
def test_range_refusals(args, message):
    with pytest.raises(RuntimeError, match=message):
        _range(*args)


# ---- linspace / logspace ----------------------------------------------------------------

def test_linspace_refuses_non_scalar_tensor_bounds():
    with pytest.raises(RuntimeError, match="0-dimensional start and end tensors, but got start with 1 dimension"):
        torch.linspace(torch.tensor([0.0]), 1, 3)
    assert torch.linspace(torch.tensor(0.0), torch.tensor(1.0), 3).tolist() == [0.0, 0.5, 1.0]


@pytest.mark.parametrize("fn", [torch.linspace, torch.logspace])
def test_spaces_refuse_float_steps_and_negative_steps(fn):
    with pytest.raises(TypeError):
        fn(0, 1, 1.5)
    with pytest.raises(RuntimeError, match="number of steps must be non-negative"):
        fn(0, 1, -1)
