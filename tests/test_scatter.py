"""The scatter family (scatter, scatter_add, scatter_reduce, index_add, index_copy,
index_fill, index_reduce, masked_scatter, put, take): values against NumPy, gradients by
finite differences (and PyTorch's recorded gradients for ties and zeros), node names and
errors as PyTorch's."""

import warnings

import numpy as np
import pytest
from backend import fg
from hypothesis import given, settings
from hypothesis import strategies as st

X = np.array([[1.0, 2.0, 2.0, 0.0], [3.0, 0.0, 1.0, 2.0], [2.0, 2.0, 5.0, 0.0]])
SRC = np.array([[2.0, 0.0, 1.0, 0.0], [2.0, 3.0, 0.0, 0.0]])
IDX = np.array([[0, 1, 2, 0], [2, 0, 1, 1]])


def t(a, grad=False):
    return fg.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def i64(a):
    return fg.tensor(np.asarray(a, dtype=np.int64))


def node(y):
    return type(y.grad_fn).__name__


def scatter_positions(shape, dim, idx):
    """For each index element, the row-major position it addresses (NumPy reference)."""
    grid = np.indices(idx.shape)
    grid[dim] = idx
    return np.ravel_multi_index(tuple(grid), shape)


def np_scatter_reduce(x, dim, idx, src, reduce, include_self=True):
    out = x.copy().reshape(-1)
    pos = scatter_positions(x.shape, dim, idx).reshape(-1)
    vals = src[tuple(slice(0, n) for n in idx.shape)].reshape(-1)
    ufunc = {"sum": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum, "mean": np.add}[reduce]
    if not include_self:
        start = {"sum": 0.0, "mean": 0.0, "prod": 1.0, "amax": -np.inf, "amin": np.inf}[reduce]
        out[pos] = start
    ufunc.at(out, pos, vals)
    if reduce == "mean":
        count = np.zeros(out.size)
        np.add.at(count, pos, 1)
        count += include_self
        touched = np.zeros(out.size, bool)
        touched[pos] = True
        out[touched] = out[touched] / count[touched]
    return out.reshape(x.shape)


# --- values ---------------------------------------------------------------------------


def test_scatter_writes_src_and_value():
    got = fg.scatter(t(X), 0, i64(IDX[:1]), t(SRC))
    want = X.copy()
    want[IDX[0], np.arange(4)] = SRC[0]
    np.testing.assert_array_equal(got.numpy(), want)
    got = t(X).scatter(1, i64([[3], [0], [1]]), 9.5)
    want = X.copy()
    want[[0, 1, 2], [3, 0, 1]] = 9.5
    np.testing.assert_array_equal(got.numpy(), want)
    got = t(X).scatter(1, i64([[3], [0], [1]]), value=-1.0)
    want[[0, 1, 2], [3, 0, 1]] = -1.0
    np.testing.assert_array_equal(got.numpy(), want)


def test_scatter_legacy_reduce():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = t(X).scatter(0, i64(IDX), t(SRC), reduce="add")
        np.testing.assert_array_equal(got.numpy(), np_scatter_reduce(X, 0, IDX, SRC, "sum"))
        got = t(X).scatter(0, i64(IDX), 2.0, reduce="multiply")
    want = X.copy().reshape(-1)
    np.multiply.at(want, scatter_positions(X.shape, 0, IDX).reshape(-1), 2.0)
    np.testing.assert_array_equal(got.numpy(), want.reshape(X.shape))


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_scatter_reduce_matches_numpy(reduce, include_self, dim):
    idx = IDX if dim == 0 else np.array([[0, 3, 3], [1, 1, 1]])
    got = t(X).scatter_reduce(dim, i64(idx), t(SRC), reduce, include_self=include_self)
    np.testing.assert_allclose(got.numpy(), np_scatter_reduce(X, dim % 2, idx, SRC, reduce, include_self))


def test_scatter_add_matches_add_at():
    got = fg.scatter_add(t(X), 0, i64(IDX), t(SRC))
    want = X.copy()
    np.add.at(want, (IDX, np.arange(4)[None, :].repeat(2, 0)), SRC)
    np.testing.assert_array_equal(got.numpy(), want)


def test_integer_mean_rounds_down_and_bool_sum_is_or():
    got = fg.tensor([-5, 3]).scatter_reduce(0, i64([0, 0]), fg.tensor([0, 0]), "mean")
    assert got.tolist() == [-2, 3]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = fg.tensor([5, 7]).index_reduce(0, i64([0, 0]), fg.tensor([-3, 4]), "mean")
    assert got.tolist() == [2, 7]
    got = fg.tensor([True, False]).scatter_add(0, i64([1]), fg.tensor([True]))
    assert got.tolist() == [True, True]


@settings(max_examples=30, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    data=st.data(),
)
def test_scatter_add_and_reduce_on_random_shapes(shape, data):
    rng = np.random.default_rng(len(shape) * 7 + shape[0])
    dim = data.draw(st.integers(0, len(shape) - 1))
    idx_shape = [data.draw(st.integers(1, s)) if k != dim else data.draw(st.integers(1, 5)) for k, s in enumerate(shape)]
    src_shape = [s + data.draw(st.integers(0, 1)) for s in idx_shape]
    x = rng.standard_normal(shape)
    src = rng.standard_normal(src_shape)
    idx = rng.integers(0, shape[dim], idx_shape)
    got = t(x).scatter_add(dim, i64(idx), t(src))
    np.testing.assert_allclose(got.numpy(), np_scatter_reduce(x, dim, idx, src, "sum"), rtol=1e-12)
    reduce = data.draw(st.sampled_from(["prod", "mean", "amax", "amin"]))
    got = t(x).scatter_reduce(dim, i64(idx), t(src), reduce, include_self=False)
    np.testing.assert_allclose(got.numpy(), np_scatter_reduce(x, dim, idx, src, reduce, False), rtol=1e-12)


def test_index_ops_match_numpy():
    src = np.arange(8.0).reshape(2, 4)
    got = t(X).index_add(0, i64([2, 2]), t(src), alpha=2)
    want = X.copy()
    np.add.at(want, [2, 2], 2 * src)
    np.testing.assert_array_equal(got.numpy(), want)
    got = fg.index_copy(t(X), 0, i64([2, 0]), t(src))
    want = X.copy()
    want[[2, 0]] = src
    np.testing.assert_array_equal(got.numpy(), want)
    got = t(X).index_fill(1, i64([0, -1]), 7.0)
    want = X.copy()
    want[:, [0, 3]] = 7.0
    np.testing.assert_array_equal(got.numpy(), want)
    got = t(X).index_fill(0, i64([1]), t(4.5))
    want = X.copy()
    want[1] = 4.5
    np.testing.assert_array_equal(got.numpy(), want)


@pytest.mark.parametrize("reduce", ["prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_index_reduce_matches_numpy(reduce, include_self):
    src = np.array([[2.0, -1.0, 4.0, 0.5], [3.0, 5.0, -2.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = t(X).index_reduce(0, i64([1, 1]), t(src), reduce, include_self=include_self)
    idx = np.array([[1, 1, 1, 1], [1, 1, 1, 1]])
    np.testing.assert_allclose(got.numpy(), np_scatter_reduce(X, 0, idx, src, reduce, include_self))


def test_masked_scatter_put_take():
    mask = X > 1.5
    source = np.arange(20.0)
    got = t(X).masked_scatter(fg.tensor(mask), t(source))
    want = X.copy()
    want[mask] = source[: mask.sum()]
    np.testing.assert_array_equal(got.numpy(), want)
    row_mask = np.array([True, False, False, True])
    got = t(X).masked_scatter(fg.tensor(row_mask), t(source))
    want = X.copy()
    want[np.broadcast_to(row_mask, X.shape)] = source[:6]
    np.testing.assert_array_equal(got.numpy(), want)
    wide = fg.tensor([[False, True], [True, True]])
    got = t([1.0, 2.0]).masked_scatter(wide, t([5.0, 6.0, 7.0]))
    np.testing.assert_array_equal(got.numpy(), [[1.0, 5.0], [6.0, 7.0]])
    got = t(X).put(i64([0, -1, 5]), t([10.0, 20.0, 30.0]))
    want = X.copy().reshape(-1)
    want[[0, -1, 5]] = [10.0, 20.0, 30.0]
    np.testing.assert_array_equal(got.numpy(), want.reshape(X.shape))
    got = t(X).put(i64([1, 1, 2]), t([1.0, 2.0, 3.0]), accumulate=True)
    want = X.copy().reshape(-1)
    np.add.at(want, [1, 1, 2], [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(got.numpy(), want.reshape(X.shape))
    got = fg.take(t(X), i64([[0, -1], [5, 5]]))
    np.testing.assert_array_equal(got.numpy(), X.reshape(-1)[[[0, -1], [5, 5]]])


def test_in_place_forms_change_the_tensor_and_return_it():
    x = t(X)
    assert x.scatter_(0, i64(IDX), t(SRC)) is x
    np.testing.assert_array_equal(x.numpy(), fg.scatter(t(X), 0, i64(IDX), t(SRC)).numpy())
    x = t(X)
    x.index_add_(1, i64([0]), t(np.ones((3, 1))))
    np.testing.assert_array_equal(x.numpy()[:, 0], X[:, 0] + 1)
    x = t(X)
    x.put_(i64([0]), t([-3.0]))
    assert x.numpy()[0, 0] == -3.0
    x = t(X)
    x.index_fill_(0, i64([0]), 0.0)
    x.masked_scatter_(fg.tensor(X > 4), t([8.0]))
    x.scatter_add_(0, i64([[0]]), t([[1.0]]))
    x.scatter_reduce_(1, i64([[0]]), t([[5.0]]), "amax")
    x.index_copy_(0, i64([1]), t(np.zeros((1, 4))))
    want = X.copy()
    want[0] = 0.0
    want[2, 2] = 8.0
    want[0, 0] = 5.0
    want[1] = 0.0
    np.testing.assert_array_equal(x.numpy(), want)


def test_zero_dim_input():
    got = fg.tensor(2.0).scatter(0, fg.tensor(0), fg.tensor(5.0))
    assert got.shape == () and got.item() == 5.0
    got = fg.tensor(2.0).index_add(0, fg.tensor(0), fg.tensor(5.0))
    assert got.item() == 7.0


# --- gradients ------------------------------------------------------------------------


def gradcheck(fn, *inputs):
    assert fg.autograd.gradcheck(fn, inputs)


def test_gradcheck_scatter_family():
    rng = np.random.default_rng(1)
    x = t(rng.standard_normal((3, 4)), True)
    s = t(rng.standard_normal((2, 4)), True)
    idx, j = i64(IDX), i64([0, 2])
    gradcheck(lambda a, b: a.scatter(0, idx, b), x, s)
    gradcheck(lambda a: a.scatter(0, idx, 1.5), x)
    gradcheck(lambda a, b: a.scatter_add(0, idx, b), x, s)
    gradcheck(lambda a, b: a.index_add(0, j, b, alpha=-2.0), x, s)
    gradcheck(lambda a, b: a.index_copy(0, j, b), x, s)
    gradcheck(lambda a: a.index_fill(1, j, -1.0), x)
    gradcheck(lambda a, v: a.index_fill(1, j, v), x, t(3.0, True))
    gradcheck(lambda a, b: a.masked_scatter(fg.tensor(X > 1.5), b), x, t(rng.standard_normal(9), True))
    gradcheck(lambda a, b: a[0].masked_scatter(fg.tensor(X > 1.5), b), x, t(rng.standard_normal(9), True))
    distinct = i64([[0, 5, 7, -1], [1, 2, 3, 4]])
    gradcheck(lambda a, b: a.put(distinct, b), x, s)
    gradcheck(lambda a, b: a.put(idx, b, accumulate=True), x, s)
    gradcheck(lambda a: a.take(i64([[0, 11], [3, 3]])), x)
    gradcheck(lambda a, b: a.clone().scatter_(0, idx, b), x, s)


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_gradcheck_scatter_reduce(reduce, include_self):
    rng = np.random.default_rng(2)
    x = t(rng.standard_normal((3, 4)), True)
    s = t(rng.standard_normal((2, 4)), True)
    gradcheck(lambda a, b: a.scatter_reduce(0, i64(IDX), b, reduce, include_self=include_self), x, s)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if reduce != "sum":
            gradcheck(lambda a, b: a.index_reduce(0, i64([0, 0]), b, reduce, include_self=include_self), x, s)


def test_gradgradcheck_scatter_reduce():
    rng = np.random.default_rng(3)
    x = t(rng.standard_normal((3, 4)), True)
    s = t(rng.standard_normal((2, 4)), True)
    assert fg.autograd.gradgradcheck(lambda a, b: a.scatter_reduce(0, i64(IDX), b, "prod"), (x, s))
    assert fg.autograd.gradgradcheck(lambda a, b: a.scatter_reduce(0, i64(IDX), b, "mean"), (x, s))
    assert fg.autograd.gradgradcheck(lambda a, b: a.scatter_reduce(0, i64(IDX), b, "amax"), (x, s))
    assert fg.autograd.gradgradcheck(lambda a, b: a.index_add(0, i64([0, 2]), b), (x, s))
    assert fg.autograd.gradgradcheck(lambda a, b: a.masked_scatter(a > 0, b), (x, t(rng.standard_normal(12), True)))


# PyTorch's gradients where finite differences do not apply: ties (amax/amin share the
# gradient evenly) and zeros (prod uses the product of the others).
@pytest.mark.parametrize(
    "reduce, include_self, grad_self, grad_src",
    [
        ("amax", True,
         [[0.0, 0.0, 1.0, 0.5], [1.0, 0.5, 1.0, 1.0], [0.5, 1.0, 1.0, 1.0]],
         [[1.0, 0.5, 0.0, 0.5], [0.5, 1.0, 0.0, 0.0]]),
        ("amax", False,
         [[0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0]],
         [[1.0, 0.5, 1.0, 0.5], [0.5, 1.0, 1.0, 1.0]]),
        ("amin", True,
         [[1.0, 1.0, 1.0, 0.5], [1.0, 0.5, 0.0, 0.0], [0.5, 1.0, 0.0, 1.0]],
         [[0.0, 0.5, 1.0, 0.5], [0.5, 0.0, 1.0, 1.0]]),
        ("amin", False,
         [[0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0]],
         [[1.0, 0.5, 1.0, 0.5], [0.5, 1.0, 1.0, 1.0]]),
        ("prod", True,
         [[2.0, 3.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0], [2.0, 1.0, 1.0, 1.0]],
         [[1.0, 0.0, 5.0, 0.0], [2.0, 2.0, 1.0, 2.0]]),
        ("prod", False,
         [[0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0]],
         [[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]]),
    ],
)
def test_ties_and_zeros_get_pytorchs_gradient(reduce, include_self, grad_self, grad_src):
    x, s = t(X, True), t(SRC, True)
    x.scatter_reduce(0, i64(IDX), s, reduce, include_self=include_self).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), grad_self)
    np.testing.assert_allclose(s.grad.numpy(), grad_src)


# --- node names -----------------------------------------------------------------------


def test_node_names():
    x, s = t(X, True), t(SRC, True)
    idx, j = i64(IDX), i64([0, 2])
    assert node(x.scatter(0, idx, s)) == "ScatterBackward0"
    assert node(x.scatter(0, idx, 1.0)) == "ScatterBackward1"
    assert node(x.scatter_add(0, idx, s)) == "ScatterAddBackward0"
    assert node(x.scatter_reduce(0, idx, s, "amax")) == "ScatterReduceBackward0"
    assert node(x.index_add(0, j, s)) == "IndexAddBackward0"
    assert node(x.index_copy(0, j, s)) == "IndexCopyBackward0"
    assert node(x.index_fill(0, j, 1.0)) == "IndexFillBackward0"
    assert node(x.index_fill(0, j, t(1.0, True))) == "IndexFillBackward1"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert node(x.index_reduce(0, j, s, "prod")) == "IndexReduceBackward0"
        assert node(x.scatter(0, idx, s, reduce="add")) == "NotImplemented"
    assert node(x.masked_scatter(fg.tensor(X > 1), s)) == "MaskedScatterBackward0"
    assert node(x.put(idx, s)) == "PutBackward0"
    assert node(x.take(idx)) == "TakeBackward0"
    y = x.clone()
    y.scatter_(0, idx, s)
    assert node(y) == "ScatterBackward0"
    y.index_fill_(0, j, 2.0)
    assert node(y) == "IndexFillBackward0"


def test_legacy_reduce_has_no_derivative():
    x = t(X, True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = x.scatter(0, i64(IDX), 2.0, reduce="multiply")
    with pytest.raises(RuntimeError, match="derivative for aten::scatter is not implemented"):
        y.sum().backward()


def test_in_place_on_leaf_is_refused():
    x = t(X, True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.scatter_(0, i64(IDX), 1.0)


# --- errors ---------------------------------------------------------------------------


def test_errors():
    x, s = t(X), t(SRC)
    idx, j = i64(IDX), i64([0, 2])
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"):
        x.scatter(2, idx, s)
    with pytest.raises(RuntimeError, match="^index 3 is out of bounds for dimension 0 with size 3$"):
        x.scatter(0, idx + 3, s)
    with pytest.raises(RuntimeError, match="^index -4 is out of bounds for dimension 0 with size 3$"):
        x.scatter_add(0, idx - 4, s)
    with pytest.raises(RuntimeError, match=r"scatter\(\): Expected dtype int32/int64 for index"):
        x.scatter(0, fg.tensor(IDX.astype(np.float32)), s)
    with pytest.raises(RuntimeError, match=r"scatter\(\): Expected self.dtype to be equal to src.dtype"):
        x.scatter(0, idx, s.float())
    with pytest.raises(RuntimeError, match=r"Expected index \[4, 4\] to be no larger than self \[3, 4\] apart from dimension 0 and to be no larger size than src \[2, 4\]"):
        x.scatter(0, fg.zeros(4, 4, dtype=fg.int64), s)
    with pytest.raises(RuntimeError, match="Index tensor must have the same number of dimensions as self tensor"):
        x.scatter(0, idx[0], s)
    with pytest.raises(RuntimeError, match="reduce argument must be either sum, prod, mean, amax or amin, got foo"):
        x.scatter_reduce(0, idx, s, "foo")
    with pytest.raises(RuntimeError, match="reduce argument must be either add or multiply."):
        x.scatter(0, idx, s, reduce="mean")
    with pytest.raises(RuntimeError, match="^index 5 is out of bounds for dimension 0 with size 3$"):
        x.index_add(0, j + 5, s)
    with pytest.raises(RuntimeError, match=r"index_add_\(\): Number of indices \(2\) should be equal to source.size\(dim\): \(1\), for dim: 0"):
        x.index_add(0, j, s[:1])
    with pytest.raises(RuntimeError, match=r"index_add_\(\): self \(Double\) and source \(Float\) must have the same scalar type"):
        x.index_add(0, j, s.float())
    with pytest.raises(RuntimeError, match=r"source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = \[3, 4\] source.shape = \[2, 3\]"):
        x.index_add(0, j, s[:, :3])
    with pytest.raises(IndexError, match=r"index_copy_\(\): index 4 is out of bounds for dimension 0 with size 3"):
        x.index_copy(0, j + 4, s)
    with pytest.raises(RuntimeError, match=r"index_copy_\(\): Expected a long tensor for index, but got Float"):
        x.index_copy(0, fg.tensor([0.0, 2.0]), s)
    with pytest.raises(IndexError, match=r"index_fill_\(\): Expected dtype int64 for index."):
        x.index_fill(0, fg.tensor([0.0]), 1.0)
    with pytest.raises(IndexError, match="index 7 is out of bounds for dimension 0 with size 3"):
        x.index_fill(0, j + 7, 1.0)
    with pytest.raises(RuntimeError, match="index_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension"):
        x.index_fill(0, j, fg.ones(2, dtype=fg.float64))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError, match=r"index_reduce\(\): Expected reduce to be one of prod, mean, amax or amin but got sum."):
            x.index_reduce(0, j, s, "sum")
        with pytest.raises(IndexError, match="index out of range in self"):
            x.index_reduce(0, j + 7, s, "prod")
    with pytest.raises(RuntimeError, match="masked_scatter_ only supports boolean masks, but got mask with dtype Long"):
        x.masked_scatter(i64(X > 1), s)
    with pytest.raises(RuntimeError, match="Number of elements of source < number of ones in mask"):
        x.masked_scatter(fg.tensor(X > -1), s)
    with pytest.raises(IndexError, match="out of range: tried to access index 20 on a tensor of 12 elements."):
        x.take(idx + 20)
    with pytest.raises(IndexError, match="out of range: tried to access index 20 on a tensor of 12 elements."):
        x.put(idx + 20, s)
    with pytest.raises(RuntimeError, match=r"take\(\): Expected a long tensor for index, but got Float"):
        x.take(fg.tensor([0.0]))
    with pytest.raises(RuntimeError, match=r"put_\(\): self and source expected to have the same dtype, but got self.dtype = Double and source.dtype = Float"):
        x.put(idx, s.float())
    with pytest.raises(IndexError, match=r"put_\(\): Expected source and index to have the same number of elements, but got source.numel\(\) = 4, index.numel\(\) = 8"):
        x.put(idx, s[0])
    with pytest.raises(NotImplementedError, match="scatter_gather_tensor_cpu_reduce_mean"):
        fg.tensor([True, False]).scatter_reduce(0, i64([0, 0]), fg.tensor([True, True]), "mean")
