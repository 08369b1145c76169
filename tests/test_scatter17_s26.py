"""PyTorch's scatter/gather, segment-reduction and view-op scenarios (the public-API
parts of its test_scatter_gather, test_segment_reductions and test_view_ops): values
against NumPy or hand-worked constants, the checks' order and messages, gradients,
node names, which ops return views and what their strides are."""

import itertools
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from backend import MOD, fg

NAN, INF = float("nan"), float("inf")


def i64(a):
    return fg.tensor(np.asarray(a, dtype=np.int64))


def raises(exc, fragment, fn):
    with pytest.raises(exc) as info:
        fn()
    assert fragment in str(info.value), str(info.value)


def scatter_np(x, dim, idx, src, reduce, include_self=True):
    """NumPy reference of scatter_reduce (and of scatter / scatter_add)."""
    out = x.copy()
    hits = {}
    for pos in itertools.product(*(range(n) for n in idx.shape)):
        target = list(pos)
        target[dim] = idx[pos]
        hits.setdefault(tuple(target), []).append(src[pos])
    for target, values in hits.items():
        vals = ([x[target]] if include_self else []) + values
        if reduce == "sum":
            out[target] = np.sum(vals, dtype=x.dtype)
        elif reduce == "prod":
            out[target] = np.prod(vals, dtype=x.dtype)
        elif reduce == "amax":
            out[target] = np.max(vals)
        elif reduce == "amin":
            out[target] = np.min(vals)
        elif reduce == "mean":
            total = np.sum(vals, dtype=np.float64)
            out[target] = total / len(vals) if x.dtype.kind == "f" else np.floor_divide(total, len(vals))
        else:  # replace: the last write wins (unique indices in the callers)
            out[target] = values[-1]
    return out


# ---- scatter / scatter_add / scatter_reduce ----------------------------------------

X = np.arange(12.0, dtype=np.float32).reshape(3, 4)
IDX = np.array([[0, 2], [1, 0], [3, 3]])
SRC = (np.arange(9.0, dtype=np.float32) + 10).reshape(3, 3)

SCATTERS = {
    "scatter": lambda x, i, s: x.scatter(1, i, s),
    "scatter_add": lambda x, i, s: x.scatter_add(1, i, s),
    "scatter_reduce": lambda x, i, s: x.scatter_reduce(1, i, s, "mean", include_self=False),
    "scatter_add_reduce": lambda x, i, s: x.scatter(1, i, s, reduce="add"),
}


@pytest.mark.filterwarnings("ignore:The reduce argument")
@pytest.mark.parametrize("op", sorted(SCATTERS))
@pytest.mark.parametrize("index", [
    np.zeros(0, dtype=np.int64), np.zeros((0, 2, 2), dtype=np.int64), np.zeros(0, dtype=np.int16),
    np.zeros(0, dtype=np.float32),
])
def test_an_empty_index_skips_the_index_dtype_and_shape_checks(op, index):
    out = SCATTERS[op](fg.tensor(X), fg.tensor(index), fg.ones(1))
    np.testing.assert_array_equal(out.numpy(), X)


@pytest.mark.filterwarnings("ignore:The reduce argument")
@pytest.mark.parametrize("op, node", [
    ("scatter", "ScatterBackward0"), ("scatter_add", "ScatterAddBackward0"),
    ("scatter_reduce", "ScatterReduceBackward0"),
])
def test_an_empty_index_still_records_the_node(op, node):
    x = fg.tensor(X, requires_grad=True)
    out = SCATTERS[op](x, i64([]), fg.ones(1))
    assert out.grad_fn.name() == node
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.ones((3, 4)))


def test_an_empty_index_still_checks_the_dim_and_the_src_dtype():
    x = fg.tensor(X)
    raises(IndexError, "expected to be in range of [-2, 1], but got 5", lambda: x.scatter(5, i64([]), fg.ones(1)))
    raises(RuntimeError, "scatter(): Expected self.dtype to be equal to src.dtype",
           lambda: x.scatter(1, i64([]), fg.ones(1, dtype=fg.int32)))
    raises(RuntimeError, "reduce argument must be either sum, prod, mean, amax or amin, got bad",
           lambda: x.scatter_reduce(1, i64([]), fg.ones(1), "bad"))


@pytest.mark.parametrize("op", ["scatter", "scatter_add"])
def test_a_src_lacking_an_index_dim_is_an_index_error(op):
    # the size loop reads src.size(1) of a 1-D src before the rank check
    raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
           lambda: SCATTERS[op](fg.tensor(X), fg.tensor(IDX), fg.ones(9)))


@pytest.mark.parametrize("src_shape, index_shape", [((2,), (3, 2)), ((3, 3, 1), (3, 2)), ((9,), (4, 2)),
                                                    ((), (3, 2))])
def test_a_src_of_another_rank_is_refused(src_shape, index_shape):
    raises(RuntimeError, "Index tensor must have the same number of dimensions as src tensor",
           lambda: fg.tensor(X).scatter(1, fg.zeros(index_shape, dtype=fg.int64), fg.ones(src_shape)))


def test_a_0d_src_too_small_is_named_by_its_empty_shape():
    raises(RuntimeError, "apart from dimension 0 and to be no larger size than src []",
           lambda: fg.zeros(3).scatter(0, i64([1, 2]), fg.tensor(1.0)))
    np.testing.assert_array_equal(fg.zeros(3).scatter_add(0, i64([1]), fg.tensor(1.0)).numpy(), [0, 1, 0])


def test_scatter_checks_the_dim_then_the_index_dtype_then_the_src_dtype():
    x = fg.tensor(X)
    src = fg.ones(2, 9, dtype=fg.int32)
    raises(IndexError, "but got 7", lambda: x.scatter(7, fg.zeros(3, 2, dtype=fg.int64), src))
    raises(RuntimeError, "scatter(): Expected dtype int32/int64 for index",
           lambda: x.scatter(1, fg.zeros(3, 2, dtype=fg.int16), src))
    raises(RuntimeError, "scatter(): Expected self.dtype to be equal to src.dtype",
           lambda: x.scatter(1, fg.zeros(3, 2, dtype=fg.int64), src))


@pytest.mark.filterwarnings("ignore:The reduce argument")
def test_the_reduction_is_checked_after_the_shapes_and_before_the_bounds():
    x = fg.tensor(X)
    raises(RuntimeError, "reduce argument must be either add or multiply.",
           lambda: x.scatter(1, i64([[7]]), fg.ones(1, 1), reduce="bad"))
    raises(RuntimeError, "reduce argument must be either add or multiply.",
           lambda: x.scatter(1, i64([[7]]), 1.0, reduce="bad"))
    raises(RuntimeError, "reduce argument must be either sum, prod, mean, amax or amin, got bad",
           lambda: x.scatter_reduce(1, i64([[9]]), fg.ones(1, 1), "bad"))
    raises(RuntimeError, "Index tensor must have the same number of dimensions as self tensor",
           lambda: x.scatter_reduce(1, i64([[[0]]]), fg.ones(1, 1), "bad"))
    raises(IndexError, "but got 9", lambda: x.scatter_reduce(9, i64([[0]]), fg.ones(1, 1), "bad"))
    raises(RuntimeError, "scatter(): Expected self.dtype to be equal to src.dtype",
           lambda: x.scatter_reduce(1, i64([[0]]), fg.ones(1, 1, dtype=fg.int32), "bad"))
    raises(RuntimeError, "index 9 is out of bounds for dimension 1 with size 4",
           lambda: x.scatter_reduce(1, i64([[9]]), fg.ones(1, 1), "amax"))


@pytest.mark.filterwarnings("ignore:The reduce argument")
@pytest.mark.parametrize("call", [
    lambda x, i, s, o: fg.scatter(x, 0, i, s, out=o),
    lambda x, i, s, o: fg.scatter(x, 0, i, 2.0, out=o),
    lambda x, i, s, o: fg.scatter(x, 0, i, s, reduce="add", out=o),
    lambda x, i, s, o: fg.scatter_add(x, 0, i, s, out=o),
    lambda x, i, s, o: fg.scatter_reduce(x, 0, i, s, "sum", out=o),
])
def test_out_must_have_the_inputs_dtype_exactly(call):
    x, i, s = fg.arange(4.0), i64([1, 1]), fg.tensor([5.0, 6.0])
    raises(RuntimeError, "Expected out tensor to have dtype float, but got double instead",
           lambda: call(x, i, s, fg.empty(4, dtype=fg.float64)))
    raises(RuntimeError, "Expected out tensor to have dtype float, but got long int instead",
           lambda: call(x, i, s, fg.empty(4, dtype=fg.int64)))
    out = fg.empty(4)
    assert call(x, i, s, out) is out


def test_the_tensor_src_reduce_warning_is_given_once_at_the_callers_line():
    script = textwrap.dedent(f"""
        import warnings
        import {MOD} as m
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            x = m.zeros(3)
            x.scatter(0, m.tensor([1]), m.ones(1), reduce="add")
            m.scatter(x, 0, m.tensor([1]), m.ones(1), reduce="multiply")
            x.scatter(0, m.tensor([1]), 2.0, reduce="add")
        print(len(seen), seen[0].lineno, seen[0].category.__name__)
        print(str(seen[0].message))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=dict(os.environ),
                          check=True)
    count, line, category = done.stdout.splitlines()[0].split()
    assert (count, line, category) == ("1", "7", "UserWarning")
    assert done.stdout.splitlines()[1].startswith(
        "The reduce argument of torch.scatter with Tensor src is deprecated and will be removed")


@pytest.mark.filterwarnings("ignore:The reduce argument")
def test_the_legacy_reductions_record_pytorchs_not_implemented_node():
    x = fg.ones(3, requires_grad=True)
    out = x.scatter(0, i64([1, 1]), 2.0, reduce="multiply")
    np.testing.assert_array_equal(out.detach().numpy(), [1, 4, 1])
    assert out.grad_fn.name() == "torch::autograd::NotImplemented"
    assert type(out.grad_fn).__name__ == "NotImplemented"
    raises(RuntimeError, "derivative for aten::scatter is not implemented", lambda: out.sum().backward())


def test_heavisides_node_is_named_as_pytorchs_too():
    y = fg.heaviside(fg.ones(2, requires_grad=True), fg.ones(2))
    assert y.grad_fn.name() == "torch::autograd::NotImplemented"


INT_DTYPES = ["int64", "int32", "int16", "int8", "uint8"]


@pytest.mark.parametrize("dtype", ["float32", "float64", *INT_DTYPES])
@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_matches_numpy(dtype, reduce, include_self):
    rng = np.random.default_rng(17)
    base = rng.integers(1, 6, (4, 5)).astype(dtype)
    idx = rng.integers(0, 4, (6, 3))
    src = rng.integers(1, 6, (7, 4)).astype(dtype)
    out = fg.tensor(base).scatter_reduce(0, fg.tensor(idx), fg.tensor(src), reduce, include_self=include_self)
    assert out.dtype == getattr(fg, dtype)
    expected = scatter_np(base, 0, idx, src[:6, :3], reduce, include_self)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


def test_an_integer_mean_rounds_down():
    out = i64([0, 0]).scatter_reduce(0, i64([0, 0, 1]), i64([-3, 0, -5]), "mean")
    np.testing.assert_array_equal(out.numpy(), [-1, -3])


@pytest.mark.parametrize("include_self", [True, False])
def test_amax_and_amin_propagate_nan_and_infinities(include_self):
    idx = i64([0, 0, 1, 1, 2, 2])
    high = fg.zeros(3).scatter_reduce(0, idx, fg.tensor([1, NAN, -INF, -INF, 2, INF]), "amax",
                                      include_self=include_self)
    np.testing.assert_array_equal(high.numpy(), [NAN, 0 if include_self else -INF, INF])
    low = fg.zeros(3).scatter_reduce(0, idx, fg.tensor([1, NAN, -2, -INF, INF, INF]), "amin",
                                     include_self=include_self)
    np.testing.assert_array_equal(low.numpy(), [NAN, -INF, 0 if include_self else INF])


@pytest.mark.parametrize("size", [[50, 17], [50, 1], [10, 8, 7], [6, 3, 4, 5]])
def test_an_expanded_index_scatters_and_gathers_as_its_contiguous_copy(size):
    rng = np.random.default_rng(len(size))
    base = rng.standard_normal(size)
    rows = rng.integers(0, size[0], [12] + [1] * (len(size) - 1))
    rows[(rows > 1) & (rows < 4)] = 0  # some rows get nothing
    idx = np.broadcast_to(rows, [12] + size[1:])
    src = rng.standard_normal([12] + size[1:])
    index = fg.tensor(rows).expand(*([12] + size[1:]))
    assert all(stride == 0 for stride, n in zip(index.stride()[1:], size[1:]) if n > 1)
    x, s = fg.tensor(base), fg.tensor(src)
    np.testing.assert_allclose(x.scatter_add(0, index, s).numpy(), scatter_np(base, 0, idx, src, "sum"))
    for reduce in ["sum", "prod", "mean", "amax", "amin"]:
        for include_self in [True, False]:
            out = x.scatter_reduce(0, index, s, reduce, include_self=include_self)
            np.testing.assert_allclose(out.numpy(), scatter_np(base, 0, idx, src, reduce, include_self))
    np.testing.assert_array_equal(fg.gather(x, 0, index).numpy(), np.take_along_axis(base, idx, 0))


def test_scatter_add_accumulates_a_repeated_index():
    ones = fg.ones(30, 40)
    idx = fg.zeros(30, 40, dtype=fg.int64)
    np.testing.assert_array_equal(fg.zeros(30, 40).scatter_add_(0, idx, ones)[0].numpy(), np.full(40, 30.0))
    np.testing.assert_array_equal(fg.zeros(30, 40).scatter_add_(1, idx, ones)[:, 0].numpy(), np.full(30, 40.0))


def test_in_place_scatters_write_through_non_contiguous_tensors():
    x = fg.zeros(4, 3).t()
    x.scatter_(1, i64([[0, 3], [1, 2], [2, 0]]), fg.arange(6.0).reshape(3, 2))
    assert x.stride() == (1, 3)
    np.testing.assert_array_equal(x.numpy(), [[0, 0, 0, 1], [0, 2, 3, 0], [5, 0, 4, 0]])
    y = fg.zeros(4, 6)[:, ::2]
    y.scatter_add_(0, i64([[0, 3, 3], [0, 0, 1]]), fg.ones(2, 3))
    np.testing.assert_array_equal(y.numpy(), [[2, 1, 0], [0, 0, 1], [0, 0, 0], [0, 1, 1]])


def test_gather_of_bools_and_of_an_empty_index():
    out = fg.gather(fg.tensor([[False, True], [True, True]]), 1, i64([[0, 0], [1, 0]]))
    np.testing.assert_array_equal(out.numpy(), [[False, False], [True, True]])
    x = fg.rand(10, 5, requires_grad=True)
    picked = fg.gather(x, -1, fg.zeros(3, 0, dtype=fg.int64))
    assert tuple(picked.shape) == (3, 0) and picked.grad_fn.name() == "GatherBackward0"
    picked.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((10, 5)))
    # an empty index needs no dtype or rank of its own
    assert tuple(fg.gather(fg.tensor(X), 1, fg.zeros(0, 2, 1, dtype=fg.int16)).shape) == (0, 2, 1)


# ---- segment_reduce -----------------------------------------------------------------

DATA_1D = [1, NAN, 3, 4, 5, 5]
LENGTHS_1D = [1, 2, 3, 0]
# reduction: (initial, values, gradient of the sum of the values); the initial sets the
# value of the empty segment and starts every other
CASES_1D = {
    "max": (0, [1, NAN, 5, 0], [1, 1, 0, 0, 0.5, 0.5]),
    "mean": (0, [1, NAN, 14 / 3, 0], [1, 0.5, 0.5, 1 / 3, 1 / 3, 1 / 3]),
    "min": (1000, [1, NAN, 4, 1000], [1, 1, 0, 1, 0, 0]),
    "sum": (0, [1, NAN, 14, 0], [1, 1, 1, 1, 1, 1]),
    "prod": (2, [2, NAN, 200, 2], [2, 6, NAN, 50, 40, 40]),
}


@pytest.mark.parametrize("reduce", sorted(CASES_1D))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("lengths_dtype", ["int32", "int64"])
@pytest.mark.parametrize("axis", [0, -1])
@pytest.mark.parametrize("unsafe", [True, False])
def test_segment_reduce_of_1d_data(reduce, dtype, lengths_dtype, axis, unsafe):
    initial, values, grad = CASES_1D[reduce]
    data = fg.tensor(DATA_1D, dtype=getattr(fg, dtype), requires_grad=True)
    lengths = fg.tensor(LENGTHS_1D, dtype=getattr(fg, lengths_dtype))
    out = fg.segment_reduce(data=data, reduce=reduce, lengths=lengths, axis=axis, unsafe=unsafe, initial=initial)
    assert out.dtype == data.dtype and out.grad_fn.name() == "SegmentReduceBackward0"
    np.testing.assert_allclose(out.detach().numpy(), values, rtol=1e-6)
    out.sum().backward()
    np.testing.assert_allclose(data.grad.numpy(), grad, rtol=1e-6)


def test_segment_reduce_without_initial_fills_empty_segments_with_the_identity():
    lengths = i64(LENGTHS_1D)
    for reduce, empty in [("max", -INF), ("min", INF), ("sum", 0), ("prod", 1), ("mean", NAN)]:
        out = fg.segment_reduce(fg.tensor(DATA_1D), reduce, lengths=lengths)
        np.testing.assert_array_equal(out.numpy()[3], empty)


DATA_2D = [[1, 1], [NAN, 1], [3, NAN], [4, 1], [3, 2], [2, 3]]
CASES_2D = {
    "max": (0, [[1, 1], [NAN, NAN], [4, 3], [0, 0]], [[1, 1], [1, 0], [0, 1], [1, 0], [0, 0], [0, 1]]),
    "min": (1000, [[1, 1], [NAN, NAN], [2, 1], [1000, 1000]], [[1, 1], [1, 0], [0, 1], [0, 1], [0, 0], [1, 0]]),
    "prod": (2, [[2, 2], [NAN, NAN], [48, 12], [2, 2]],
             [[2, 2], [6, NAN], [NAN, 2], [12, 12], [16, 6], [24, 4]]),
    "mean": (0, [[1, 1], [NAN, NAN], [3, 2], [0, 0]], [[1, 1], [0.5, 0.5], [0.5, 0.5]] + [[1 / 3, 1 / 3]] * 3),
}


@pytest.mark.parametrize("reduce", sorted(CASES_2D))
def test_segment_reduce_of_2d_data_along_dim_0(reduce):
    initial, values, grad = CASES_2D[reduce]
    data = fg.tensor(DATA_2D, dtype=fg.float64, requires_grad=True)
    out = fg.segment_reduce(data, reduce, lengths=i64(LENGTHS_1D), initial=initial)
    np.testing.assert_allclose(out.detach().numpy(), values)
    out.sum().backward()
    np.testing.assert_allclose(data.grad.numpy(), grad)


def segment_np(data, starts, counts, axis, reduce, initial):
    """NumPy reference: the reduction of each segment along `axis` (leading dims match
    those of `starts`)."""
    data = np.asarray(data, dtype=np.float64)
    outer = starts.shape[:-1]
    out = np.empty(outer + (starts.shape[-1],) + data.shape[axis + 1:])
    for row in itertools.product(*(range(n) for n in outer)):
        for k, (s, n) in enumerate(zip(starts[row], counts[row])):
            seg = data[row][s:s + n]
            empty = {"sum": 0.0, "prod": 1.0, "mean": NAN, "max": -INF, "min": INF}[reduce]
            first = empty if initial is None else initial
            if n == 0:
                out[row + (k,)] = first
            elif reduce == "mean":
                out[row + (k,)] = (seg.sum(0) + (0 if initial is None else initial)) / n
            else:
                fold = {"sum": np.add, "prod": np.multiply, "max": np.maximum, "min": np.minimum}[reduce]
                out[row + (k,)] = fold(fold.reduce(seg, 0), first)
    return out


SCATTER_CASES = [
    ([1, 2, 3, 4, 5, 6], [0, 2, 5, 5, 6]),
    ([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]], [0, 2, 5, 5, 6]),
    ([[1, 3, 5, 7, 9, 11], [2, 4, 6, 8, 10, 12]], [[0, 2, 5, 5, 6], [0, 3, 5, 6, 6]]),
    ([[[1, 2], [3, 4], [5, 6]], [[7, 9], [10, 11], [12, 13]]], [[0, 2, 3, 3], [0, 1, 1, 3]]),
    ([[1, 3], [2, 4]], [[0, 2], [0, 2]]),
]


@pytest.mark.parametrize("case", range(len(SCATTER_CASES)))
@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "max", "min"])
@pytest.mark.parametrize("initial", [None, 1])
def test_segment_reduce_by_lengths_and_by_offsets(case, reduce, initial):
    data, indptr = SCATTER_CASES[case]
    bounds = np.asarray(indptr)
    axis = bounds.ndim - 1
    expected = segment_np(data, bounds[..., :-1], np.diff(bounds, axis=-1), axis, reduce, initial)
    lengths = fg.tensor(np.diff(bounds, axis=-1))
    by_lengths = fg.segment_reduce(fg.tensor(data, dtype=fg.float64), reduce, lengths=lengths, axis=axis,
                                   unsafe=True, initial=initial)
    by_offsets = fg.segment_reduce(fg.tensor(data, dtype=fg.float64), reduce, offsets=i64(indptr), axis=axis,
                                   initial=initial)
    np.testing.assert_allclose(by_lengths.numpy(), expected)
    np.testing.assert_allclose(by_offsets.numpy(), expected)


def test_offsets_are_where_the_segments_start():
    data = fg.tensor([1.0, 2.0, 3.0, 4.0])
    # the segments need not start at 0 nor cover the data; PyTorch checks neither
    np.testing.assert_array_equal(fg.segment_reduce(data, "sum", offsets=i64([1, 2, 4])).numpy(), [2, 7])
    assert tuple(fg.segment_reduce(data, "sum", offsets=i64([0])).shape) == (0,)
    # offsets win over lengths
    both = fg.segment_reduce(data, "mean", lengths=i64([1, 3]), offsets=i64([0, 2, 4]))
    np.testing.assert_array_equal(both.numpy(), [1.5, 3.5])
    raises(RuntimeError, "Trying to create tensor with negative dimension -1: [-1]",
           lambda: fg.segment_reduce(data, "sum", offsets=fg.tensor([], dtype=fg.int64)))


@pytest.mark.parametrize("call", [
    lambda d: fg.segment_reduce(d, "sum", offsets=i64([0, 3, 1, 4])),
    lambda d: fg.segment_reduce(d, "sum", lengths=i64([5, -1]), unsafe=True),
])
def test_a_negative_segment_fails_the_kernels_check(call):
    raises(RuntimeError, "Expected segment_length >= 0 to be true, but got false.", lambda: call(fg.ones(4)))


def test_the_lengths_checks_when_not_unsafe():
    data = fg.ones(4)
    raises(RuntimeError, "lengths contains negative value!",
           lambda: fg.segment_reduce(data, "sum", lengths=i64([5, -1])))
    raises(RuntimeError, "Expected all rows of lengths along axis to sum to data.size(lengths.dim()-1) when !unsafe.",
           lambda: fg.segment_reduce(data, "sum", lengths=i64([1, 2])))
    raises(RuntimeError, "min(): Expected reduction dim to be specified for input.numel() == 0.",
           lambda: fg.segment_reduce(data, "sum", lengths=fg.tensor([], dtype=fg.int64)))
    assert tuple(fg.segment_reduce(data, "sum", lengths=fg.tensor([], dtype=fg.int64), unsafe=True).shape) == (0,)


def test_ties_share_only_a_positive_gradient():
    data = fg.tensor([5.0, 5.0, 1.0, 2.0, 2.0, 2.0], requires_grad=True)
    out = fg.segment_reduce(data, "max", lengths=i64([3, 3]))
    out.backward(fg.tensor([-1.0, 3.0]))
    np.testing.assert_array_equal(data.grad.numpy(), [-1, -1, 0, 1, 1, 1])


def test_the_prod_gradient_at_zeros_and_nan_uses_the_others_and_initial():
    data = fg.tensor([0.0, 5.0, 0.0, 2.0, NAN, 2.0], requires_grad=True)
    out = fg.segment_reduce(data, "prod", lengths=i64([3, 3]), initial=2.0)
    np.testing.assert_array_equal(out.detach().numpy(), [0, NAN])
    out.backward(fg.tensor([-1.0, 3.0]))
    np.testing.assert_array_equal(data.grad.numpy(), [0, 0, 0, NAN, 24, NAN])


def test_the_half_prod_gradient_rounds_each_step():
    data = fg.tensor([200.0, 300.0], dtype=fg.float16, requires_grad=True)
    out = fg.segment_reduce(data, "prod", lengths=i64([2]))
    out.backward(fg.tensor([2.0], dtype=fg.float16))
    # grad * result overflows float16 before the division
    np.testing.assert_array_equal(data.grad.float().numpy(), [INF, INF])


def test_the_node_has_only_data_for_input_and_no_derivative_of_its_own():
    x = fg.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    out = fg.segment_reduce(x, "max", offsets=i64([0, 3, 4]))
    assert [type(n).__name__ for n, _ in out.grad_fn.next_functions] == ["AccumulateGrad"]
    grad, = fg.autograd.grad(out.sum(), x, create_graph=True)
    np.testing.assert_array_equal(grad.detach().numpy(), [0, 0, 1, 1])
    assert grad.grad_fn.name() == "torch::autograd::NotImplemented"
    raises(RuntimeError, "derivative for aten::_segment_reduce_backward is not implemented",
           lambda: grad.sum().backward())


def test_private_segment_reduce_is_the_function():
    out = fg._segment_reduce(fg.tensor([1.0, 2.0, 3.0, 4.0]), "sum", lengths=i64([1, 3]))
    np.testing.assert_array_equal(out.numpy(), [1, 9])


def test_a_complex_initial_must_be_real():
    data, lengths = fg.tensor([1.0, 2.0]), i64([1, 1])
    raises(RuntimeError, "value cannot be converted to type float without overflow",
           lambda: fg.segment_reduce(data, "sum", lengths=lengths, initial=1 + 1j))
    np.testing.assert_array_equal(fg.segment_reduce(data, "sum", lengths=lengths, initial=1 + 0j).numpy(), [2, 3])


# ---- views ----------------------------------------------------------------------------


def is_view_of(base, other):
    return (other._is_view() and other is not base and other._base is base
            and base.untyped_storage().data_ptr() == other.untyped_storage().data_ptr())


def layout(t):
    return tuple(t.shape), t.stride(), t.storage_offset()


VIEWS = {
    # name: (shape of the base, the view, where the view is written, where that lands,
    #        the view's shape, strides and storage offset)
    "diagonal": ((5, 5), lambda t: fg.diagonal(t), 0, (0, 0), ((5,), (6,), 0)),
    "diagonal_offset": ((3, 3, 3), lambda t: fg.diagonal(t, offset=1, dim1=1, dim2=2), (0, 0), (0, 0, 1),
                        ((3, 2), (9, 4), 1)),
    "select": ((5, 5), lambda t: t.select(0, 2), 0, (2, 0), ((5,), (1,), 10)),
    "expand": ((5, 1), lambda t: t.expand(5, 5), (2, 2), (2, 0), ((5, 5), (1, 0), 0)),
    "narrow": ((5, 5), lambda t: fg.narrow(t, 1, 2, 2), (0, 0), (0, 2), ((5, 2), (5, 1), 2)),
    "permute": ((5, 5), lambda t: t.permute(1, 0), (0, 1), (1, 0), ((5, 5), (1, 5), 0)),
    "swapdims_": ((5, 5), lambda t: t.view_as(t).swapdims_(0, 1), (0, 1), (1, 0), ((5, 5), (1, 5), 0)),
    "t_": ((5, 5), lambda t: t.view_as(t).t_(), (0, 1), (1, 0), ((5, 5), (1, 5), 0)),
    "mH": ((5, 5), lambda t: t.mH, (0, 1), (1, 0), ((5, 5), (1, 5), 0)),
    "unfold": ((10,), lambda t: t.unfold(0, 3, 2), (1, 0), 2, ((4, 3), (2, 1), 0)),
    "squeeze": ((5, 1, 5), lambda t: fg.squeeze(t), (0, 1), (0, 0, 1), ((5, 5), (5, 1), 0)),
    "unsqueeze_": ((5, 5), lambda t: t.view_as(t).unsqueeze_(1), (0, 0, 1), (0, 1), ((5, 1, 5), (5, 5, 1), 0)),
    "as_strided_": ((5, 5), lambda t: t.view_as(t).as_strided_((25,), (1,)), 6, (1, 1), ((25,), (1,), 0)),
    "reshape": ((5, 5), lambda t: fg.reshape(t, (25,)), 6, (1, 1), ((25,), (1,), 0)),
    "flatten": ((1, 2, 3, 4), lambda t: t.flatten(), 0, (0, 0, 0, 0), ((24,), (1,), 0)),
    "unflatten": ((4, 6), lambda t: t.unflatten(1, (2, 3)), (1, 1, 2), (1, 5), ((4, 2, 3), (6, 3, 1), 0)),
    "movedim": ((3, 3), lambda t: fg.movedim(t, (0, 1), (1, 0)), (0, 1), (1, 0), ((3, 3), (1, 3), 0)),
    "newaxis": ((5, 5), lambda t: t[None, :2, 3], (0, 0), (0, 3), ((1, 2), (25, 5), 3)),
    "steps": ((5, 5), lambda t: t[::2, 1::2], (1, 1), (2, 3), ((3, 2), (10, 2), 1)),
    "hsplit": ((4, 4, 4), lambda t: fg.hsplit(t, 2)[1], (2, 0, 2), (2, 2, 2), ((4, 2, 4), (16, 4, 1), 8)),
    "dsplit": ((4, 4, 4), lambda t: fg.dsplit(t, 2)[1], (2, 2, 0), (2, 2, 2), ((4, 4, 2), (16, 4, 1), 2)),
    "unbind": ((5, 5), lambda t: fg.unbind(t)[3], 0, (3, 0), ((5,), (1,), 15)),
}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_ops_return_views_that_share_writes(name):
    shape, make, at, lands, expected = VIEWS[name]
    base = fg.ones(*shape)
    view = make(base)
    assert is_view_of(base, view)
    assert layout(view) == expected
    view[at] = 0
    assert base[lands].item() == 0


def test_a_view_as_complex_of_a_0d_tensor_is_refused_by_its_rank():
    raises(RuntimeError, "Input tensor must have one or more dimensions", lambda: fg.view_as_complex(fg.tensor(2.0)))
    raises(RuntimeError, "Input tensor must have one or more dimensions",
           lambda: fg.view_as_complex_copy(fg.tensor(2.0)))
    # the dtype is checked first
    raises(RuntimeError, "only supported for half, float and double tensors, but got a tensor of scalar type: Long",
           lambda: fg.view_as_complex(fg.tensor(2)))


def test_view_as_complex_and_real_are_views():
    t = fg.zeros(3, 2, 2)
    c = fg.view_as_complex(t)
    assert is_view_of(t, c) and layout(c) == ((3, 2), (2, 1), 0)
    raises(RuntimeError, "Tensor must have a last dimension with stride 1",
           lambda: fg.view_as_complex(t.transpose(1, 2)))
    raises(RuntimeError, "Tensor must have a stride divisible by 2 for all but last dimension",
           lambda: fg.view_as_complex(fg.randn(3, 3).as_strided((2, 2), (1, 1))))
    empty = fg.tensor([])
    assert is_view_of(empty, fg.view_as_complex(empty.reshape(0, 2)))
    z = fg.tensor(2 + 3j)
    r = fg.view_as_real(z)
    assert is_view_of(z, r) and layout(r) == ((2,), (1,), 0)
    np.testing.assert_array_equal(r.numpy(), [2, 3])


def test_the_imaginary_part_of_a_conjugate_is_a_negative_view():
    t = fg.ones(4, 5, dtype=fg.complex64)
    v = t.conj()
    assert is_view_of(t, v) and v.is_conj()
    im = v.imag
    assert is_view_of(t, im) and im.is_neg() and layout(im) == ((4, 5), (10, 2), 1)
    raises(RuntimeError, "has negative bit set", lambda: im.numpy())
    raises(RuntimeError, "not supported for conjugate view tensors", lambda: v.view(fg.float64))


def test_reshape_and_flatten_copy_only_when_they_must():
    t = fg.ones(5, 5)
    copied = fg.reshape(t.t(), (25,))
    assert not copied._is_view() and copied._base is None
    copied[6] = 0
    assert t[1, 1].item() == 1
    assert t.contiguous() is t and t.flatten(1, 1) is t
    assert not fg.ones(2, 3, 2, 3).transpose(2, 3).flatten(1, 3)._is_view()
    # dims that keep their layout merge without a copy
    strided = fg.ones(720).as_strided((2, 3, 2, 3, 5, 4), (6, 2, 15, 5, 1, 0))
    merged = strided.flatten(0, 1).flatten(1, 3)
    assert merged._base is strided._base and layout(merged) == ((6, 30, 4), (2, 1, 0), 0)
    y = fg.randn(4, 4, 4)[:, 0, :]
    assert y.reshape(2, 2, 4).data_ptr() == y.data_ptr() and y.reshape(-1).data_ptr() != y.data_ptr()


def test_view_refuses_sizes_its_strides_cannot_express():
    t = fg.rand(4, 2, 5, 1, 6, 2, 9, 3).transpose(-1, 2).transpose(-2, 3)
    assert layout(t.view(8, 1, 3, 3, 3, 4, 1, 3, 5))[1] == (1620, 3, 1, 9, 3, 81, 81, 27, 324)
    for sizes in [(-1,), (24, 9, 6, 2, 1, 5), (8, 3, 9, 6, 10), (8, 3, 54, 2, 1, 5)]:
        with pytest.raises(RuntimeError, match=r"view size is not compatible with input tensor's size and stride "
                           r"\(at least one dimension spans across two contiguous subspaces\). Use .reshape"):
            t.view(*sizes)
        assert not t.reshape(*sizes)._is_view()
    raises(RuntimeError, "because the unspecified dimension size -1 can be any value and is ambiguous",
           lambda: fg.empty(0).view(3, 0, -1, 0))
    expanded = fg.zeros(3, 1).expand(3, 4)
    assert layout(expanded.view(3, 2, 2)) == ((3, 2, 2), (1, 0, 0), 0)
    raises(RuntimeError, "view size is not compatible", lambda: expanded.view(12))


@pytest.mark.parametrize("make", [
    lambda x: x.view(12), lambda x: x[0], lambda x: x.t(), lambda x: x.unsqueeze(0),
    lambda x: x.diagonal(), lambda x: x.view_as(x),
])
def test_in_place_on_a_view_of_a_leaf_is_refused(make):
    leaf = fg.ones(3, 4, requires_grad=True)
    raises(RuntimeError, "a view of a leaf Variable that requires grad is being used in an in-place operation.",
           lambda: make(leaf).mul_(2))


@pytest.mark.parametrize("split, name", [
    (lambda x: x.unbind(), "Unbind"), (lambda x: x.split(2), "Split"), (lambda x: x.chunk(2), "Split"),
])
def test_in_place_on_one_of_several_output_views_is_refused(split, name):
    x = fg.ones(3, 4, requires_grad=True) * 1
    raises(RuntimeError, f"Output 0 of {name} is a view and is being modified inplace. This view is the output of "
           "a function that returns multiple views.", lambda: split(x)[0].mul_(2))


def test_writing_a_view_records_copy_slices_on_its_base():
    leaf = fg.ones(3, 4, requires_grad=True)
    x = leaf * 1
    v = x[1:, ::2]
    v.mul_(3)
    assert x.grad_fn.name() == "torch::autograd::CopySlices"
    assert v.grad_fn.name() == "AsStridedBackward0" and (x._version, v._version) == (1, 1)
    x.sum().backward()
    np.testing.assert_array_equal(leaf.grad.numpy(), [[1, 1, 1, 1], [3, 1, 3, 1], [3, 1, 3, 1]])


@pytest.mark.parametrize("op, node, is_view", [
    ("reshape_copy", "UnsafeViewBackward0", False), ("unflatten", "ViewBackward0", True),
    ("T", "PermuteBackward0", True), ("mT", "TransposeBackward0", True), ("chunk", "SplitBackward0", True),
    ("split_sizes", "SplitWithSizesBackward0", True), ("tensor_split", "SliceBackward0", True),
    ("squeeze_all", "SqueezeBackward0", True), ("ellipsis", "AliasBackward0", True),
    ("narrow_copy", "NarrowCopyBackward0", False), ("unfold", "UnfoldBackward0", True),
])
def test_view_nodes(op, node, is_view):
    x = fg.ones(3, 4, requires_grad=True) * 1
    make = {
        "reshape_copy": lambda: x.t().reshape(12), "unflatten": lambda: x.unflatten(1, (2, 2)),
        "T": lambda: x.T, "mT": lambda: x.mT, "chunk": lambda: x.chunk(2)[1], "split_sizes": lambda: x.split([1, 2])[1],
        "tensor_split": lambda: x.tensor_split(2)[0], "squeeze_all": lambda: x[None].squeeze(),
        "ellipsis": lambda: x[...], "narrow_copy": lambda: x.narrow_copy(1, 1, 2), "unfold": lambda: x.unfold(1, 2, 1),
    }[op]
    out = make()
    assert out.grad_fn.name() == node and out._is_view() == is_view and (out._base is x) == is_view


def test_tensor_split_gives_numpys_pieces_as_views():
    a = fg.arange(10)
    for sections in [3, 7, 10]:
        parts = fg.tensor_split(a, sections)
        assert all(is_view_of(a, p) for p in parts)
        expected = np.array_split(np.arange(10), sections)
        assert [p.tolist() for p in parts] == [e.tolist() for e in expected]
    raises(RuntimeError, "number of sections must be larger than 0, got -1", lambda: fg.tensor_split(a, -1))
    raises(RuntimeError, "tensor_split expected tensor_indices_or_sections to have dtype of long, but got Float",
           lambda: fg.tensor_split(a, fg.tensor(1.1)))


@pytest.mark.parametrize("shape", [(1.1,), (2.0,)])
def test_size_refuses_floats_naming_itself(shape):
    raises(TypeError, f"{MOD}.Size() takes an iterable of 'int' (item 0 is 'float')", lambda: fg.Size(shape))
    raises(TypeError, f"{MOD}.Size() takes an iterable of 'int' (item 0 is 'float')",
           lambda: fg.broadcast_shapes(shape))


def test_transposes_of_the_wrong_rank_name_their_rule():
    raises(RuntimeError, "tensor.H is only supported on matrices (2-D tensors). Got 3-D tensor. For batches of "
           "matrices, consider using tensor.mH", lambda: fg.zeros(2, 3, 4).H)
    raises(RuntimeError, "tensor.adjoint() is only supported on matrices or batches of matrices. Got 1-D tensor.",
           lambda: fg.zeros(2).adjoint())
    with pytest.warns(UserWarning, match="Tensor.H is deprecated on 0-D tensors. Consider using x.conj()"):
        h = fg.zeros((), dtype=fg.complex64).H
    assert h.is_conj() and h.shape == ()
    assert h._is_view()


@pytest.mark.parametrize("dtype, cname", [("float32", "float"), ("float64", "double"), ("float16", "c10::Half"),
                                          ("int64", "int64_t"), ("int16", "int16_t")])
def test_a_complex_value_scatters_into_a_real_tensor_only_when_real(dtype, cname):
    x = fg.zeros(3, dtype=getattr(fg, dtype))
    raises(RuntimeError, f"value cannot be converted to type {cname} without overflow",
           lambda: x.scatter(0, i64([1]), 2j))
    np.testing.assert_array_equal(x.scatter(0, i64([1]), 3 + 0j).numpy(), [0, 3, 0])
    # a bool tensor takes any number
    np.testing.assert_array_equal(fg.zeros(3, dtype=fg.bool).scatter(0, i64([1]), 2j).numpy(), [False, True, False])
