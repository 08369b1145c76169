"""Sizes, huge values and Python integers as PyTorch 2.13 (CPU) handles them; the expected
values and exception types were observed from PyTorch."""

import warnings

import ferrograd as torch
import numpy as np
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


# ---- Python ints in [2**63, 2**64): PyTorch's uint64 scalar ------------------------------

def test_uint64_int_wraps_against_integer_tensors():
    a = torch.tensor([1, 2])
    assert (a + 2**63).tolist() == [-2**63 + 1, -2**63 + 2]
    assert (a - 2**63).tolist() == [-2**63 + 1, -2**63 + 2]
    assert (a * 2**63).tolist() == [-2**63, 0]
    assert (2**63 - a).tolist() == [2**63 - 1, 2**63 - 2]
    assert (torch.tensor([4, 2]) // 2**63).tolist() == [-1, -1]
    assert (a == 2**63).tolist() == [False, False]
    assert (a != 2**63).tolist() == [True, True]
    assert (a < 2**63).tolist() == [False, False]
    assert (torch.tensor([1, 2], dtype=torch.uint8) + 2**63).tolist() == [1, 2]
    assert (torch.tensor([1, 2], dtype=torch.int8) * 2**63).tolist() == [0, 0]
    assert (a.max() + 2**63).item() == -2**63 + 2


def test_uint64_int_is_its_value_against_float_tensors_and_in_true_division():
    f = torch.tensor([1.0, 2.0])
    assert (f + 2**63).tolist() == [2.0**63, 2.0**63]
    assert (f * 2**63).tolist() == [2.0**63, 2.0**64]
    assert (f == 2**63).tolist() == [False, False]
    assert (torch.tensor([1, 2]) / 2**63).tolist() == [2.0**-63, 2.0**-62]
    assert f.clone().fill_(2**63).tolist() == [2.0**63, 2.0**63]
    assert torch.full((2,), 2**63, dtype=torch.float64).tolist() == [2.0**63, 2.0**63]


def test_uint64_int_refusals():
    with pytest.raises(RuntimeError, match="Bool and UInt64"):
        torch.tensor([True]) + 2**63
    with pytest.raises(RuntimeError):
        torch.tensor([1, 2]).fill_(2**63)
    with pytest.raises(RuntimeError):
        torch.full((2,), 2**63)
    with pytest.raises(OverflowError):
        torch.tensor([1, 2]) + 2**64
    with pytest.raises(OverflowError):
        torch.tensor([1, 2]) + (-2**63 - 1)
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        torch.tensor([1, 2**63])
    assert torch.tensor([1.5, 2**63]).tolist() == [1.5, 2.0**63]


# ---- int() of float tensors ---------------------------------------------------------------

def test_int_of_a_float_tensor_is_python_int_of_the_float():
    assert int(torch.tensor(1e20)) == 100000002004087734272
    assert int(torch.tensor(-3.9)) == -3
    with pytest.raises(OverflowError):
        int(torch.tensor(float("inf")))
    with pytest.raises(ValueError):
        int(torch.tensor(float("nan")))
    with pytest.raises(ValueError):
        int(torch.tensor([1, 2]))


# ---- sizes given as ranges, arrays, NumPy integers --------------------------------------

@pytest.mark.parametrize("call", [
    lambda: torch.zeros(range(3)),
    lambda: torch.empty(range(3)),
    lambda: torch.rand(range(2)),
    lambda: torch.zeros(np.array([2, 3])),
    lambda: torch.full(range(2), 1.0),
    lambda: torch.full(2, 1.0),
    lambda: torch.full(np.array([2, 3]), 1.0),
    lambda: torch.zeros(6).reshape(range(1, 3)),
    lambda: torch.zeros(2).expand(range(2, 4)),
    lambda: torch.zeros(2).repeat(range(2, 4)),
    lambda: torch.zeros(2, 3).permute(range(1, -1, -1)),
])
def test_sizes_pytorch_parser_refuses(call):
    with pytest.raises(TypeError):
        call()


def test_size_type_error_names_the_element():
    with pytest.raises(TypeError, match=r"zeros\(\): argument 'size' \(position 1\) must be tuple of ints, but found "
                                        r"element of type float at pos 0"):
        torch.zeros((2.0, 3))
    with pytest.raises(TypeError, match="found element of type list at pos 0"):
        torch.zeros([[2]])
    with pytest.raises(TypeError, match="must be tuple of ints, not range"):
        torch.zeros(range(3))


def test_numpy_integer_sizes_are_accepted():
    assert torch.ones(np.array(3)).shape == (3,)
    assert torch.zeros(2).repeat(np.int64(2)).tolist() == [0.0] * 4
    assert torch.zeros(2).repeat((np.int64(2), 1)).shape == (2, 2)
    assert torch.zeros(np.int64(2), 3).shape == (2, 3)


# ---- huge sizes: PyTorch's storage errors, counted in bytes of the dtype ----------------

@pytest.mark.parametrize("call, message", [
    (lambda: torch.empty(2**40), "you tried to allocate 4398046511104 bytes"),
    (lambda: torch.empty(2**40, dtype=torch.float64), "you tried to allocate 8796093022208 bytes"),
    (lambda: torch.ones(2**40, dtype=torch.int16), "you tried to allocate 2199023255552 bytes"),
    (lambda: torch.zeros(3).new_empty(2**40), "you tried to allocate 4398046511104 bytes"),
    (lambda: torch.empty(2**61, dtype=torch.bool), "you tried to allocate 2305843009213693952 bytes"),
    (lambda: torch.empty(2**62), r"Storage size calculation overflowed with sizes=\[4611686018427387904\]"),
    (lambda: torch.zeros((0, 2**62, 2**62)), "Stride calculation overflowed"),
    (lambda: torch.empty(-1), "negative dimension -1"),
    (lambda: torch.arange(2**40), "you tried to allocate 8796093022208 bytes"),
    (lambda: torch.arange(0.0, 2**40), "you tried to allocate 4398046511104 bytes"),
])
def test_huge_sizes_raise_pytorchs_errors(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


# ---- tril_indices / triu_indices: PyTorch's int64 size rule -----------------------------

def test_tri_indices_with_huge_arguments():
    assert torch.triu_indices(2**63 - 1, 2).tolist() == [[0, 0, 1], [0, 1, 1]]
    assert torch.tril_indices(3, 3, 2**62).tolist() == [[0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 1, 2, 0, 1, 2, 0, 1, 2]]
    assert torch.tril_indices(3, 3, -2**62).tolist() == [[], []]
    with pytest.raises(RuntimeError, match=r"negative dimension -3: \[2, -3\]"):
        torch.tril_indices(2**63 - 1, 2)
    with pytest.raises(RuntimeError, match=r"Storage size calculation overflowed with sizes=\[2, 2305843010287435776\]"):
        torch.tril_indices(2**31, 2**31)


@pytest.mark.parametrize("row, col, offset", [(4, 5, -2), (4, 5, 1), (3, 1, 0), (5, 2, -1), (0, 3, 0), (3, 3, 7)])
def test_tri_indices_match_numpy(row, col, offset):
    r, c = np.tril_indices(row, offset, col)
    assert torch.tril_indices(row, col, offset).tolist() == [r.tolist(), c.tolist()]
    r, c = np.triu_indices(row, offset, col)
    assert torch.triu_indices(row, col, offset).tolist() == [r.tolist(), c.tolist()]


# ---- index dtypes --------------------------------------------------------------------------

def test_int32_indices_are_taken_and_other_integer_dtypes_refused():
    x = torch.arange(10.0)
    i32 = torch.tensor([3, 1], dtype=torch.int32)
    assert x.index_select(0, i32).tolist() == [3.0, 1.0]
    assert x.gather(0, i32).tolist() == [3.0, 1.0]
    assert x.take_along_dim(i32).tolist() == [3.0, 1.0]
    with pytest.raises(RuntimeError, match="int32 or int64"):
        x.index_select(0, torch.tensor([1], dtype=torch.int16))
    with pytest.raises(RuntimeError, match="int32/int64"):
        x.gather(0, torch.tensor([1], dtype=torch.uint8))
    with pytest.raises(IndexError):
        x.index_select(0, torch.tensor([10], dtype=torch.int32))


# ---- indexing with ints past int64 ------------------------------------------------------

def test_slices_clamp_bounds_past_int64_and_int_indices_overflow():
    x = torch.arange(10)
    assert x[-2**63:2**63].tolist() == list(range(10))
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        x[2**63]
    with pytest.raises(IndexError):
        x[2**62]


def test_view_and_reshape_refuse_shapes_whose_count_overflows():
    for op in ("view", "reshape"):
        with pytest.raises(RuntimeError, match="numel: integer multiplication overflow"):
            getattr(torch.zeros(0), op)(2**62, 2**62, 0)
        with pytest.raises(RuntimeError):
            getattr(torch.zeros(6), op)(2**62, 2**62)
    assert torch.zeros(0).view(0, 2**62, 2**62).shape == (0, 2**62, 2**62)
