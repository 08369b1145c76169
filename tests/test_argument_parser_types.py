"""PyTorch's argument parser checks every argument's type before an op runs and raises
TypeError when no overload takes the call. The exception types below were observed with
PyTorch 2.13 for the same calls; shapes and values are checked against NumPy."""

import ferrograd as torch
import ferrograd.nn.functional as F
import numpy as np
import pytest
from ferrograd._parser_check import parser_error


def _x():
    return torch.tensor(np.arange(6.0).reshape(2, 3))


# (call, a fragment of PyTorch's message): each is TypeError in PyTorch
TYPE_ERRORS = [
    (lambda x: x.std(correction="a"), "std()"),
    (lambda x: torch.einsum(1, x), "argument 'equation' (position 1) must be str, not int"),
    (lambda x: torch.einsum(None, x), "must be str, not NoneType"),
    (lambda x: x.matrix_power(x), "matrix_power"),
    (lambda x: x.cholesky("sum"), ""),
    (lambda x: x.roll((-1, 1), torch.zeros(0, dtype=torch.int8)), "'dims' (position 2) must be tuple of ints"),
    (lambda x: torch.fft.ifftshift(x, torch.zeros(1, 2) > 0), "'dim' (position 2) must be tuple of ints"),
    (lambda x: torch.special.logsumexp((1, 3), x), "special_logsumexp()"),
    (lambda x: F.avg_pool2d(torch.ones(3, 2, 2), None, True), "'kernel_size' (position 2)"),
    (lambda x: torch.max_pool2d(torch.ones(2), None), "'kernel_size' (position 2)"),
    (lambda x: F.hinge_embedding_loss(torch.ones(1, 3) > 0, torch.ones(0, 3, 3) > 0, torch.ones(3)),
     "'margin' (position 3) must be float, not Tensor"),
    (lambda x: F.rms_norm(torch.ones(2), torch.ones(3, 2)), "'normalized_shape' (position 2)"),
    (lambda x: F.layer_norm(torch.ones(1), torch.ones(3)), "'normalized_shape' (position 2)"),
    (lambda x: x.index_add(0, torch.tensor([0, 1]), x, alpha="a"), ""),
    (lambda x: x.lu(torch.ones(2) > 0), ""),
    (lambda x: torch.ones(0, 2, 2).cholesky_inverse(torch.ones(2)), "'upper' (position 1) must be bool"),
    (lambda x: torch.combinations(torch.ones(2, 3, 1), torch.int32), "'r' (position 2) must be int"),
    (lambda x: torch.bincount(torch.zeros(0, dtype=torch.int32), [0, 1, 3], -7), "'weights' (position 2)"),
    (lambda x: x.sum_to_size(0, torch.ones(2, 2, 0), x), "sum_to_size()"),
    (lambda x: x.istft(True), "'n_fft' (position 1) must be int, not bool"),
    (lambda x: x.unique(sorted="a"), "_unique2(): argument 'sorted' must be bool, not str"),
    (lambda x: x.unique(dim=0, return_counts=1), "unique_dim(): argument 'return_counts' must be bool, not int"),
    (lambda x: x.unique_consecutive((1, 1)), "'return_inverse' must be bool, not tuple"),
    (lambda x: x.is_pinned([1]), "'device' (position 1) must be torch.device, not list"),
    (lambda x: x.new_tensor(2, None), "positional argument"),
    (lambda x: x.split(torch.tensor([1, 1])), "'split_sizes' (position 2) must be tuple of ints, not Tensor"),
    (lambda x: torch.mul((1, 0), x), "argument 'input' (position 1) must be Tensor, not tuple"),
    (lambda x: torch.multiply((1, 0), True), "multiply() received an invalid combination of arguments - got (tuple, bool)"),
    (lambda x: torch.remainder((2, 1), torch.ones(1)), "remainder()"),
    (lambda x: x.remainder([1]), "remainder()"),
    (lambda x: x.flip(torch.tensor([0.5, 1.0])), "flip()"),
    (lambda x: x.nanmedian(torch.tensor([0, 1])), "nanmedian(): argument 'dim'"),
    (lambda x: torch.select("mean", (2, 1), None), "select()"),
    (lambda x: torch.atleast_3d([], x, x), "expected Tensor as element 0"),
    (lambda x: torch.fft.fftfreq(0, torch.ones(0, 1)), "fft_fftfreq(): argument 'd' (position 2) must be float"),
    (lambda x: torch.cholesky(torch.ones(0, 0), torch.tensor(1)), "'upper' (position 2) must be bool"),
    (lambda x: torch.flip(x, torch.zeros(0, dtype=torch.int64)), "'dims' (position 2) must be tuple of ints"),
    (lambda x: torch.trapz(x, -0.0), "trapz()"),
    (lambda x: F.max_pool3d([], [3, 1], []), "argument 'input' (position 1) must be Tensor, not list"),
    (lambda x: x.max(torch.ones(1, 2), torch.ones(3, 1)), "max()"),
    (lambda x: torch.max(x, torch.ones(2), []), "max()"),
    (lambda x: x.cuda([3, 2]), "torch.device"),
    (lambda x: torch.ones(1, 0).cholesky(None), "'upper' (position 1) must be bool, not NoneType"),
    (lambda x: x.max(torch.tensor(0), 1.5), "'keepdim' (position 2) must be bool, not float"),
    (lambda x: torch.special.softmax([0], x), "special_softmax()"),
    (lambda x: torch.transpose(torch.float32, torch.float16, (-1, 1)), "transpose()"),
]


@pytest.mark.parametrize("call,fragment", TYPE_ERRORS, ids=[f"case{i}" for i in range(len(TYPE_ERRORS))])
def test_a_wrongly_typed_argument_is_a_type_error(call, fragment):
    with pytest.raises(TypeError) as info:
        call(_x())
    assert fragment in str(info.value)


# PyTorch's Python functions that use the input before any type check: AttributeError
ATTRIBUTE_ERRORS = [
    lambda x: F.softmax(None, x),
    lambda x: F.log_softmax([1], 0),
    lambda x: F.softmin(3, 0),
    lambda x: F.group_norm(3, 1),
    lambda x: F.instance_norm(torch.float32, 0.5),
    lambda x: F.max_pool3d_with_indices([], 2),
    lambda x: F.max_unpool1d(0.5, x, 2),
    lambda x: F.max_unpool1d(x, 0.5, 2),
    lambda x: F.max_unpool2d(0.5, x, 2),
]


@pytest.mark.parametrize("call", ATTRIBUTE_ERRORS, ids=[f"case{i}" for i in range(len(ATTRIBUTE_ERRORS))])
def test_python_level_functions_touch_their_input_first(call):
    with pytest.raises(AttributeError):
        call(_x())


# PyTorch's unique and unique_consecutive test their flags' truth before anything else
def test_ambiguous_flags_are_runtime_errors_first():
    x = _x()
    with pytest.raises(RuntimeError, match="ambiguous"):
        x.unique_consecutive(x, x)
    with pytest.raises(RuntimeError, match="ambiguous"):
        torch.unique_consecutive((1, 1), torch.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="ambiguous"):
        x.unique(torch.tensor([0, 1]), x)
    with pytest.raises(TypeError):
        F.softmin("mean", x)  # PyTorch negates first: Python's TypeError for a str
    # nn.functional's `if inplace:` comes before its C op's type checks
    with pytest.raises(RuntimeError, match="ambiguous"):
        F.hardswish(torch.complex64, torch.zeros(0, dtype=torch.bool))
    with pytest.raises(RuntimeError, match="ambiguous"):
        F.celu(3, 1, torch.ones(1, 2))
    with pytest.raises(TypeError):
        F.hardswish(torch.complex64, True)
    # stft computes its padding from n_fft before its other checks
    with pytest.raises(TypeError):
        torch.ones(3, 2).stft([])
    with pytest.raises(TypeError):
        torch.stft(torch.ones(1, 1), 1j, torch.ones(()))


# calls whose argument types PyTorch takes: they keep their own outcome
def test_good_types_keep_their_own_errors():
    x = _x()
    with pytest.raises(IndexError):
        x.std(dim=5)
    with pytest.raises(AttributeError):
        F.softmax(3)  # PyTorch's Python softmax asks the int for its dims first
    with pytest.raises(RuntimeError):
        torch.einsum("ij", torch.ones(3))


def test_good_types_still_work():
    x = _x()
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(x.flip(torch.tensor([0])).numpy(), a[::-1])  # a one-element int tensor
    assert tuple(x.view(3, 2).shape) == (3, 2)
    assert [tuple(p.shape) for p in x.split(torch.tensor(1))] == [(1, 3), (1, 3)]
    assert x.is_pinned("cpu") is False
    np.testing.assert_array_equal(x.amax(None).numpy(), a.max())  # None stands for an int list's default
    np.testing.assert_array_equal(x.roll(1, None).numpy(), np.roll(a, 1))
    np.testing.assert_array_equal(torch.mul(2, x).numpy(), 2 * a)
    np.testing.assert_array_equal(torch.remainder(2, x + 1).numpy(), np.remainder(2, a + 1))
    assert x.new_tensor(2, dtype=torch.int64).dtype == torch.int64
    np.testing.assert_allclose(torch.trapz(x, x).numpy(), np.trapezoid(a, a))
    np.testing.assert_allclose(torch.fft.fftfreq(3, torch.tensor(0.5)).numpy(), np.fft.fftfreq(3, 0.5))
    assert tuple(F.max_pool1d(torch.ones(1, 4), 2, None).shape) == (1, 2)
    values, counts = x.unique(sorted=True, return_counts=True)
    np.testing.assert_array_equal(values.numpy(), np.unique(a))
    np.testing.assert_array_equal(counts.numpy(), np.ones(6))


# the parser's replay, on signatures from the table
def test_one_plausible_overload_names_the_argument():
    error = parser_error("Tensor.nanmedian", (torch.ones(2),), {})
    assert isinstance(error, TypeError)
    assert str(error) == "nanmedian(): argument 'dim' (position 1) must be int, not Tensor"


def test_several_plausible_overloads_list_the_signatures():
    error = parser_error("Tensor.std", (), {"correction": "a"})
    assert str(error).startswith(
        "std() received an invalid combination of arguments - got (correction=str, ), but expected one of:\n * ("
    )


def test_keyword_and_positional_count_errors():
    assert "unexpected keyword argument 'bogus'" in str(parser_error("Tensor.flip", ((0,),), {"bogus": 1}))
    assert str(parser_error("Tensor.matrix_power", (2, 3), {})) == (
        "matrix_power() takes 1 positional argument but 2 were given"
    )


def test_types_the_parser_takes_give_no_error():
    x = torch.ones(2, 3)
    assert parser_error("Tensor.std", (0,), {"correction": 1, "keepdim": True}) is None
    assert parser_error("Tensor.view", (2, 3), {}) is None  # loose ints for the one int list
    assert parser_error("Tensor.flip", (torch.tensor([0]),), {}) is None
    assert parser_error("Tensor.sum", (torch.tensor(0),), {}) is None  # a 0-dim int tensor is an int
    assert parser_error("std", (x,), {"dim": None}) is None
    assert parser_error("not_a_torch_function", (), {}) is None


def test_an_int_list_refuses_a_later_non_int():
    error = parser_error("Tensor.view", (2, 3.0), {})
    assert isinstance(error, TypeError)
    assert parser_error("zeros", (2, True), {}) is None  # a bool past the first element reads as an int
