"""gather, index_select and take_along_dim as Rust ops: values against NumPy over
shapes, dims, strided inputs and indices and every dtype; gradients (and their
gradients) by finite differences; node names and saved values, and errors, as
PyTorch 2.13 gives them."""

import numpy as np
import pytest
from backend import fg
from ferrograd.autograd import gradcheck, gradgradcheck
from hypothesis import given, settings
from hypothesis import strategies as st

DTYPES = [
    fg.bool, fg.uint8, fg.int8, fg.int16, fg.int32, fg.int64, fg.float16, fg.bfloat16,
    fg.float32, fg.float64, fg.complex64, fg.complex128,
]


def _source(shape, dtype, rng):
    """A tensor of `dtype` with small integer values (exact in every dtype) and the
    float64/complex128 NumPy array of the same values."""
    values = rng.integers(0, 2 if dtype is fg.bool else 9, size=shape).astype(np.float64)
    if dtype.is_complex:
        values = values + 1j * rng.integers(0, 9, size=shape)
    return fg.tensor(values).to(dtype), values


def _as_numpy(t):
    """A result as float64 (complex128) NumPy values, whatever its dtype."""
    if t.dtype.is_complex:
        return t.to(fg.complex128).numpy()
    return t.to(fg.float64).numpy()


def _strided(t, how):
    """`t` itself, or a non-contiguous tensor with the same values."""
    if how == "transposed" and t.dim() >= 2:
        return t.transpose(0, 1).contiguous().transpose(0, 1)
    if how == "sliced":
        # every other element of a tensor twice as long along the last dim
        wide = fg.stack([t, t], dim=-1).reshape(*t.shape[:-1], 2 * t.shape[-1]) if t.dim() else t
        return wide[..., ::2] if t.dim() else t
    return t


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("layout", ["contiguous", "transposed", "sliced"])
def test_gather_matches_numpy_for_every_dtype_and_layout(dtype, layout):
    rng = np.random.default_rng(0)
    x, values = _source((4, 5, 3), dtype, rng)
    x = _strided(x, layout)
    assert x.is_contiguous() == (layout == "contiguous")
    for dim in range(3):
        shape = [3, 4, 2]
        idx = rng.integers(0, values.shape[dim], size=shape)
        index = _strided(fg.tensor(idx), layout)
        got = fg.gather(x, dim, index)
        assert got.dtype == dtype
        assert tuple(got.shape) == tuple(shape)
        # the index is smaller than the input in the other dims
        expected = _numpy_gather(values, dim, idx)
        np.testing.assert_array_equal(_as_numpy(got), expected)


def _numpy_gather(values, dim, idx):
    """NumPy's gather: the index picks along `dim`; the other coordinates are its own."""
    coords = list(np.indices(idx.shape, sparse=True))
    coords[dim] = idx
    return values[tuple(coords)]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("layout", ["contiguous", "transposed", "sliced"])
def test_index_select_matches_numpy_take(dtype, layout):
    rng = np.random.default_rng(1)
    x, values = _source((4, 5, 3), dtype, rng)
    x = _strided(x, layout)
    for dim in range(-3, 3):
        picks = rng.integers(0, values.shape[dim], size=6)
        for index in (fg.tensor(picks), fg.tensor(picks).to(fg.int32), fg.tensor(np.repeat(picks, 2))[::2]):
            got = x.index_select(dim, index)
            assert got.dtype == dtype
            np.testing.assert_array_equal(_as_numpy(got), np.take(values, picks, axis=dim))


def test_index_select_of_a_0d_index_keeps_the_dim():
    x = fg.arange(12.0).reshape(3, 4)
    got = x.index_select(1, fg.tensor(2))
    assert tuple(got.shape) == (3, 1)
    np.testing.assert_array_equal(got.numpy(), [[2.0], [6.0], [10.0]])
    scalar = fg.tensor(5.0).index_select(0, fg.tensor([0]))
    assert tuple(scalar.shape) == ()
    assert scalar.item() == 5.0


def test_gather_of_vectors_and_scalars():
    v = fg.tensor([1.0, 2.0, 3.0])
    assert fg.gather(v, 0, fg.tensor(2)).item() == 3.0
    assert tuple(fg.gather(v, 0, fg.tensor(2)).shape) == ()
    np.testing.assert_array_equal(fg.gather(fg.tensor(5.0), 0, fg.tensor([0, 0])).numpy(), [5.0, 5.0])
    assert tuple(fg.gather(fg.tensor(5.0), 0, fg.tensor([], dtype=fg.int64)).shape) == (0,)
    assert tuple(fg.gather(fg.zeros(3, 0), 1, fg.zeros(3, 0, dtype=fg.int64)).shape) == (3, 0)


def test_gather_of_an_empty_index_checks_nothing_more():
    # PyTorch returns the empty result before the index's dtype, rank and sizes are checked
    x = fg.zeros(2, 3, requires_grad=True)
    got = fg.gather(x, 1, fg.zeros(0, 4, 5))
    assert tuple(got.shape) == (0, 4, 5)
    assert got.dtype == fg.float32
    assert type(got.grad_fn).__name__ == "GatherBackward0"
    got.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((2, 3)))
    assert tuple(fg.gather(fg.zeros(2, 3, dtype=fg.uint16), 1, fg.zeros(0, dtype=fg.int64)).shape) == (0,)


def test_index_select_copies_rows_of_a_large_contiguous_matrix():
    x = fg.tensor(np.arange(100 * 100, dtype=np.float32).reshape(100, 100))
    got = x.index_select(0, fg.tensor([99, 0, 42]))
    np.testing.assert_array_equal(got.numpy(), np.arange(10000, dtype=np.float32).reshape(100, 100)[[99, 0, 42]])


@pytest.mark.parametrize("dtype", [fg.float32, fg.int64, fg.complex64, fg.bool], ids=str)
def test_take_along_dim_broadcasts_like_numpy(dtype):
    rng = np.random.default_rng(2)
    x, values = _source((1, 4, 3), dtype, rng)
    idx = rng.integers(0, 4, size=(5, 2, 1))
    got = fg.take_along_dim(x, fg.tensor(idx), 1)
    assert tuple(got.shape) == (5, 2, 3)
    np.testing.assert_array_equal(_as_numpy(got), np.take_along_axis(values, idx, axis=1))
    # the method form, a negative dim
    np.testing.assert_array_equal(_as_numpy(x.take_along_dim(fg.tensor(idx), dim=-2)),
                                  np.take_along_axis(values, idx, axis=1))


def test_take_along_dim_without_dim_picks_from_the_flattened_input():
    x = fg.arange(12.0).reshape(3, 4)
    got = fg.take_along_dim(x, fg.tensor([[11, 0], [5, 5]]))
    np.testing.assert_array_equal(got.numpy(), [11.0, 0.0, 5.0, 5.0])
    # int32 indices are taken without a dim (PyTorch gathers the flattened input)
    np.testing.assert_array_equal(fg.take_along_dim(x, fg.tensor([3], dtype=fg.int32)).numpy(), [3.0])


def test_take_along_dim_reads_indices_modulo_the_size():
    # PyTorch 2.13: 9 -> 1, -9 -> 3, -1 -> 3 along a dim of 4
    x = fg.arange(12.0).reshape(3, 4).requires_grad_()
    got = fg.take_along_dim(x, fg.tensor([[9], [-9], [-1]]), 1)
    np.testing.assert_array_equal(got.detach().numpy(), [[1.0], [7.0], [11.0]])
    assert tuple(got.grad_fn._saved_index.tolist()) == ([1], [3], [3])


def test_argsort_then_take_along_dim_sorts():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((4, 6))
    x = fg.tensor(a)
    np.testing.assert_array_equal(fg.take_along_dim(x, x.argsort(dim=1), 1).numpy(), np.sort(a, axis=1))


# --- gradients -----------------------------------------------------------------


def _f64(shape, seed=0):
    return fg.tensor(np.random.default_rng(seed).standard_normal(shape), requires_grad=True)


GRAD_CASES = {
    "gather dim 0": lambda a: fg.gather(a, 0, fg.tensor([[2, 0, 2, 1], [1, 1, 0, 0]])),
    "gather dim 1 repeats": lambda a: a.gather(1, fg.tensor([[3, 3], [0, 3], [1, 2]])),
    "gather transposed": lambda a: a.t().gather(0, fg.tensor([[3, 0, 1], [2, 2, 2]])),
    "index_select dim 0": lambda a: a.index_select(0, fg.tensor([2, 0, 2])),
    "index_select dim -1 strided": lambda a: a.t().contiguous().t().index_select(-1, fg.tensor([3, 1, 1, 0])),
    "index_select int32": lambda a: a.index_select(1, fg.tensor([1, 1], dtype=fg.int32)),
    "take_along_dim broadcast": lambda a: fg.take_along_dim(a, fg.tensor([[0], [3], [2]]), 1),
    "take_along_dim flat": lambda a: fg.take_along_dim(a, fg.tensor([11, 0, 0, 7])),
}


@pytest.mark.parametrize("name", list(GRAD_CASES))
def test_gradcheck_and_gradgradcheck_in_float64(name):
    a = _f64((3, 4))
    assert gradcheck(GRAD_CASES[name], (a,))
    assert gradgradcheck(GRAD_CASES[name], (a,))


def test_complex_gradient_scatters_back():
    x = fg.tensor(np.array([[1 + 2j, 3 - 1j], [0.5j, 2.0]]), requires_grad=True)
    y = x.gather(1, fg.tensor([[1, 1], [0, 1]]))
    y.backward(fg.ones_like(y))
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 2], [1, 1]])


def test_gradient_sums_repeated_picks():
    x = fg.zeros(2, 3, dtype=fg.float64, requires_grad=True)
    x.index_select(1, fg.tensor([2, 2, 0])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, 0.0, 2.0], [1.0, 0.0, 2.0]])


# --- nodes ---------------------------------------------------------------------


def test_gather_node_and_its_saved_values():
    x = _f64((3, 4))
    i = fg.tensor([[0, 2], [1, 1], [3, 3]])
    y = fg.gather(x, -1, i)
    node = y.grad_fn
    assert type(node).__name__ == "GatherBackward0"
    assert node._saved_dim == 2**64 - 1  # PyTorch shows an int64 -1 as its unsigned bits
    assert node._saved_sparse_grad is False
    assert node._saved_self is x
    assert node._saved_index is i
    assert fg.gather(x, 1, i, sparse_grad=True).grad_fn._saved_sparse_grad is True


def test_index_select_node_and_its_saved_values():
    x = _f64((3, 4))
    i = fg.tensor([2, 0])
    node = x.index_select(0, i).grad_fn
    assert type(node).__name__ == "IndexSelectBackward0"
    assert node._saved_dim == 0
    assert node._saved_self_sym_sizes == (3, 4)
    assert node._saved_index is i


def test_take_along_dim_nodes_as_pytorch_records_them():
    x = _f64((3, 4))
    node = fg.take_along_dim(x, fg.tensor([[1], [2], [3]]), -1).grad_fn
    assert type(node).__name__ == "GatherBackward0"
    assert node._saved_dim == 1  # the wrapped dim
    assert [type(n).__name__ for n, _ in node.next_functions] == ["ExpandBackward0"]
    flat = fg.take_along_dim(x, fg.tensor([1, 2])).grad_fn
    assert type(flat).__name__ == "GatherBackward0"
    assert [type(n).__name__ for n, _ in flat.next_functions] == ["ViewBackward0"]


def test_double_backward_nodes():
    x = _f64((3, 4))
    v = _f64((3, 2), seed=1)
    (g,) = fg.autograd.grad(x.gather(1, fg.tensor([[0, 2], [1, 1], [3, 3]])), x, v, create_graph=True)
    assert type(g.grad_fn).__name__ == "ScatterAddBackward0"
    w = _f64((2, 4), seed=2)
    (g,) = fg.autograd.grad(x.index_select(0, fg.tensor([2, 0])), x, w, create_graph=True)
    assert type(g.grad_fn).__name__ == "IndexAddBackward0"


def test_no_node_without_grad():
    assert fg.gather(fg.ones(2, 2), 0, fg.tensor([[0, 1]])).grad_fn is None
    with fg.no_grad():
        assert _f64((2, 2)).index_select(0, fg.tensor([1])).grad_fn is None


# --- errors (types and messages as PyTorch 2.13's) -----------------------------

X = fg.zeros(3, 4)

ERRORS = [
    (lambda: fg.gather(X, 2, fg.tensor([[0]])), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    (lambda: fg.gather(X, 1, fg.tensor([[0.0]])), RuntimeError, "gather(): Expected dtype int32/int64 for index"),
    (lambda: fg.gather(X, 1, fg.tensor([[0]], dtype=fg.int16)), RuntimeError,
     "gather(): Expected dtype int32/int64 for index"),
    (lambda: fg.gather(X, 1, fg.tensor([0])), RuntimeError,
     "Index tensor must have the same number of dimensions as input tensor"),
    (lambda: fg.gather(X, 1, fg.zeros(4, 1, dtype=fg.int64)), RuntimeError,
     "Size does not match at dimension 0 expected index [4, 1] to be no larger than self [3, 4] apart from dimension 1"),
    (lambda: fg.gather(X, 1, fg.tensor([[1, -2], [7, 0]])), RuntimeError,
     "index -2 is out of bounds for dimension 1 with size 4"),
    (lambda: fg.gather(X, 0, fg.tensor([[0, 7], [-1, 0]])), RuntimeError,
     "index 7 is out of bounds for dimension 0 with size 3"),
    (lambda: fg.gather(X.to(fg.uint16), 1, fg.tensor([[7]])), NotImplementedError,
     "\"scatter_gather_tensor_cpu\" not implemented for 'UInt16'"),
    (lambda: fg.gather(X.to(fg.complex32), 1, fg.tensor([[1]])), NotImplementedError,
     "\"scatter_gather_tensor_cpu\" not implemented for 'ComplexHalf'"),
    (lambda: fg.gather(X, 1, [[0]]), TypeError, "gather(): argument 'index' (position 3) must be Tensor, not list"),
    (lambda: fg.gather(X, 1.5, fg.tensor([[0]])), TypeError,
     "gather(): argument 'dim' (position 2) must be int, not float"),
    (lambda: X.index_select(2, fg.tensor([0])), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    (lambda: X.index_select(0, fg.tensor([[0]])), IndexError, "index_select(): Index is supposed to be a vector"),
    (lambda: X.index_select(0, fg.tensor([0.0])), RuntimeError,
     "index_select(): Expected dtype int32 or int64 for index"),
    (lambda: fg.tensor(5.0).index_select(0, fg.tensor([0, 0])), RuntimeError,
     "index_select(): Index to scalar can have only 1 value, got 2 value(s)"),
    (lambda: fg.tensor(5.0).index_select(0, fg.tensor([], dtype=fg.int64)), RuntimeError,
     "index_select(): Index to scalar can have only 1 value, got 0 value(s)"),
    (lambda: fg.zeros(0, 3).index_select(0, fg.tensor([0])), RuntimeError,
     "index_select(): self indexing axis dim should be positive"),
    (lambda: X.index_select(0, fg.tensor([1, -2, 7])), IndexError, "index out of range in self"),
    (lambda: X.index_select(1, fg.tensor([1, -2, 7, 0])), RuntimeError,
     "INDICES element is out of DATA bounds, id=-2 axis_dim=4"),
    (lambda: fg.zeros(2, 3, 4).index_select(2, fg.tensor([9])), IndexError, "index out of range in self"),
    (lambda: fg.zeros(2, 3, 4).index_select(1, fg.tensor([9])), RuntimeError,
     "INDICES element is out of DATA bounds, id=9 axis_dim=3"),
    (lambda: fg.zeros(2, 0, 3).index_select(0, fg.tensor([9])), RuntimeError,
     "INDICES element is out of DATA bounds, id=9 axis_dim=2"),
    (lambda: fg.gather(X, 5, fg.zeros(0, dtype=fg.int64)), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 5)"),
    (lambda: X.to(fg.uint16).index_select(1, fg.tensor([7])), RuntimeError,
     "INDICES element is out of DATA bounds, id=7 axis_dim=4"),
    (lambda: X[0].to(fg.uint16).index_select(0, fg.tensor([1])), NotImplementedError,
     "\"index_select\" not implemented for 'UInt16'"),
    (lambda: fg.take_along_dim(X, fg.tensor([-1])), RuntimeError,
     "index -1 is out of bounds for dimension 0 with size 12"),
    (lambda: fg.take_along_dim(X, fg.tensor([1.0])), RuntimeError, "gather(): Expected dtype int32/int64 for index"),
    (lambda: fg.take_along_dim(X, fg.tensor([1.0]), 0), RuntimeError,
     ("torch.take_along_dim(): input and indices should have the same number of dimensions, but got 2 dimensions "
      "for input, and 1 dimensions for indices")),
    (lambda: fg.take_along_dim(X, fg.tensor([[1]], dtype=fg.int32), 1), RuntimeError,
     "torch.take_along_dim(): dtype of indices should be Long but got Int"),
    (lambda: fg.take_along_dim(fg.tensor(1.0), fg.tensor(0), 0), IndexError,
     "Dimension specified as 0 but tensor has no dimensions"),
    (lambda: fg.take_along_dim(fg.tensor(1.0), fg.tensor(0), -1), IndexError,
     "Dimension specified as 0 but tensor has no dimensions"),
    (lambda: fg.take_along_dim(fg.tensor(1.0), fg.tensor(0), 5), IndexError,
     "Dimension out of range (expected to be in range of [-1, 0], but got 5)"),
    (lambda: fg.take_along_dim(fg.zeros(2, 3, 4), fg.zeros(3, 4, 1, dtype=fg.int64), 2), RuntimeError,
     "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"),
    (lambda: fg.take_along_dim(fg.zeros(3, 0), fg.zeros(3, 1, dtype=fg.int64), 1), RuntimeError,
     "ZeroDivisionError"),
    (lambda: fg.take_along_dim(X, [1]), TypeError,
     "take_along_dim(): argument 'indices' (position 2) must be Tensor, not list"),
    (lambda: fg.take_along_dim(X.t(), fg.tensor([1])), RuntimeError, "view size is not compatible"),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_as_pytorch(case):
    fn, kind, message = ERRORS[case]
    with pytest.raises(kind) as info:
        fn()
    assert type(info.value) is kind
    assert message in str(info.value)


# --- properties ----------------------------------------------------------------


@st.composite
def _gather_cases(draw):
    ndim = draw(st.integers(1, 4))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim)))
    dim = draw(st.integers(-ndim, ndim - 1))
    index_shape = tuple(draw(st.integers(0 if k == dim % ndim else 1, n if k != dim % ndim else 5))
                        for k, n in enumerate(shape))
    seed = draw(st.integers(0, 2**16))
    transpose = draw(st.booleans()) and ndim >= 2
    return shape, dim, index_shape, seed, transpose


@settings(max_examples=60, deadline=None)
@given(_gather_cases())
def test_gather_property_against_numpy(case):
    shape, dim, index_shape, seed, transpose = case
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(shape)
    idx = rng.integers(0, shape[dim], size=index_shape)
    x = fg.tensor(values)
    index = fg.tensor(idx)
    if transpose:
        x = x.transpose(0, -1).contiguous().transpose(0, -1)
        index = index.transpose(0, -1).contiguous().transpose(0, -1)
    np.testing.assert_array_equal(fg.gather(x, dim, index).numpy(), _numpy_gather(values, dim % len(shape), idx))


@settings(max_examples=60, deadline=None)
@given(_gather_cases(), st.integers(0, 6))
def test_index_select_property_against_numpy(case, count):
    shape, dim, _, seed, transpose = case
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(shape)
    picks = rng.integers(0, shape[dim], size=count)
    x = fg.tensor(values)
    if transpose:
        x = x.transpose(0, -1).contiguous().transpose(0, -1)
    np.testing.assert_array_equal(x.index_select(dim, fg.tensor(picks)).numpy(), np.take(values, picks, axis=dim))
