"""Session 31 (helper mutate21): bad calls derived from PyTorch's OpInfo samples by
`tools/opinfo_diff.py --mutate` where ferrograd raised another exception, raised where
PyTorch answers, or answered where PyTorch raises. Expected types, messages, shapes and
values are PyTorch's; the file also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import math
import re
import warnings

import pytest
from backend import MOD, fg

F = fg.nn.functional


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


def shapes(results):
    return [tuple(t.shape) for t in results]


# ---- lu_unpack reads the first min(m, n) pivots ----------------------------------------


def test_lu_unpack_ignores_pivots_past_min_m_n():
    lu = fg.arange(15.0).reshape(3, 5)
    P = fg.lu_unpack(lu, fg.tensor([2, 3, 3, 1, 1], dtype=fg.int32))[0]
    assert P.tolist() == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]


@pytest.mark.parametrize(("shape", "pivots", "expected"), [
    ((0, 5), [1, 2, 3], [(0, 0), (0, 0), (0, 5)]),
    ((2, 0, 5), [[1, 2, 3], [1, 2, 3]], [(2, 0, 0), (2, 0, 0), (2, 0, 5)]),
    ((5, 0), [3, 3, 3], [(5, 5), (5, 0), (0, 0)]),
])
def test_lu_unpack_of_an_empty_factor_reads_no_pivot(shape, pivots, expected):
    assert shapes(fg.lu_unpack(fg.zeros(shape), fg.tensor(pivots, dtype=fg.int32))) == expected


def test_lu_unpack_pivot_out_of_range_message():
    with raises(RuntimeError, "pivots passed to lu_unpack must be between 1 and LU.size(-2) inclusive."
                              "Did you properly pass the result of lu_factor?"):
        fg.lu_unpack(fg.zeros(3, 5), fg.tensor([5, 1, 1], dtype=fg.int32))


# ---- cholesky and hermitian pinv answer an empty input first ------------------------------


@pytest.mark.parametrize(("shape", "dtype"), [((0, 5), "float32"), ((2, 0, 5), "float32"), ((0,), "float32"),
                                              ((0, 5), "int64"), ((0, 3, 3), "bool")])
def test_cholesky_of_an_empty_input_is_an_empty_copy(shape, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cholesky is deprecated
        out = fg.cholesky(fg.zeros(shape, dtype=getattr(fg, dtype)), upper=True)
    assert (tuple(out.shape), out.dtype) == (shape, getattr(fg, dtype))


def test_cholesky_of_an_empty_input_is_in_the_graph():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = fg.cholesky(fg.zeros(2, 0, 5, requires_grad=True))
    assert type(out.grad_fn).__name__ == "CholeskyBackward0"
    assert out.stride() == (5, 5, 1)


@pytest.mark.parametrize(("shape", "expected"), [((0, 5), (5, 0)), ((5, 0), (0, 5)), ((2, 0, 3), (2, 3, 0))])
def test_hermitian_pinv_of_an_empty_input(shape, expected):
    out = fg.linalg.pinv(fg.zeros(shape, requires_grad=True), hermitian=True)
    assert tuple(out.shape) == expected
    assert type(out.grad_fn).__name__ == "LinalgPinvBackward0"


@pytest.mark.parametrize("dtype", ["float32", "complex64"])
def test_hermitian_pinv_of_a_non_square_matrix_names_eigh(dtype):
    with raises(RuntimeError, "linalg.eigh: A must be batches of square matrices, but they are 2 by 3 matrices"):
        fg.linalg.pinv(fg.zeros(2, 3, dtype=getattr(fg, dtype)), hermitian=True)


def test_hermitian_pinv_checks_the_dtype_before_the_square_shape():
    with raises(RuntimeError, "linalg.pinv(Long{[2, 3]}): expected a tensor with 2 or more dimensions of float, "
                              "double, cfloat or cdouble types"):
        fg.linalg.pinv(fg.zeros(2, 3, dtype=fg.int64), hermitian=True)


# ---- tensorinv with ind past the dims ----------------------------------------------------


@pytest.mark.parametrize(("shape", "ind", "message"), [
    ((), 3, "ArrayRef: invalid slice, N = 3; size = 0"),
    ((4,), 3, "ArrayRef: invalid slice, N = 3; size = 1"),
    ((), 1, "ArrayRef: invalid slice, N = 1; size = 0"),
    ((), 0, "Expected a strictly positive integer for 'ind', but got 0"),
])
def test_tensorinv_with_ind_past_the_dims(shape, ind, message):
    with raises(RuntimeError, message):
        fg.linalg.tensorinv(fg.ones(shape), ind=ind)


# ---- torch._segment_reduce is segment_reduce ---------------------------------------------


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"data": None}, "segment_reduce(): argument 'data' (position 1) must be Tensor, not NoneType"),
    ({"data": "abc"}, "segment_reduce(): argument 'data' (position 1) must be Tensor, not str"),
    ({"axis": 2.5}, "segment_reduce(): argument 'axis' must be int, not float"),
    ({"lengths": [1, 2, 1, 1]}, "segment_reduce(): argument 'lengths' must be Tensor, not list"),
])
def test_private_segment_reduce_checks_its_arguments(kwargs, message):
    call = {"data": fg.ones(5), "axis": 0, "lengths": fg.tensor([1, 2, 1, 1])} | kwargs
    data = call.pop("data")
    with raises(TypeError, message):
        fg._segment_reduce(data, "max", **call)


# ---- combinations, index_fill, index_reduce ------------------------------------------------


def test_combinations_past_memory_is_a_bad_alloc():
    with raises(RuntimeError, "std::bad_alloc"):
        fg.combinations(fg.ones(1), r=2**40)


def set_storage(sizes, strides, needed):
    return (f"setStorage: sizes {sizes}, strides {strides}, storage offset 0, and itemsize 4 requiring a storage "
            f"size of {needed} are out of bounds for storage of size 0")


@pytest.mark.parametrize(("make", "dim", "message"), [
    (lambda: fg.zeros(0), 0, set_storage([1], [0], 4)),
    (lambda: fg.zeros(0, 2), 0, set_storage([1, 2], [0, 1], 8)),
    (lambda: fg.zeros(2, 0), 1, set_storage([2, 1], [1, 0], 8)),
])
def test_index_fill_into_an_empty_dim(make, dim, message):
    with raises(RuntimeError, message):
        fg.index_fill(make(), dim, fg.tensor([0]), -8.4)


def test_index_fill_along_a_dim_of_empty_slices_passes():
    assert tuple(fg.index_fill(fg.zeros(0, 2), 1, fg.tensor([0]), 1.0).shape) == (0, 2)
    assert tuple(fg.zeros(4, 3)[1:1].index_fill_(1, fg.tensor([0]), 1.0).shape) == (0, 3)


def test_index_fill_in_place_restrides_within_the_storage_of_a_view():
    with raises(IndexError, "index 0 is out of bounds for dimension 0 with size 0"):
        fg.zeros(4, 3)[1:1].index_fill_(0, fg.tensor([0]), 1.0)


def test_index_fill_names_a_negative_index_as_given():
    with raises(IndexError, "index -5 is out of bounds for dimension 0 with size 3"):
        fg.index_fill(fg.zeros(3), 0, fg.tensor([-5]), 1.0)


@pytest.mark.parametrize("reduce", ["amax", "mean", "prod"])
def test_index_reduce_without_self_fills_first(reduce):
    with raises(RuntimeError, set_storage([1], [0], 4)):
        fg.zeros(0).index_reduce(0, fg.tensor([0]), fg.ones(1), reduce, include_self=False)
    with raises(IndexError, "index 5 is out of bounds for dimension 0 with size 3"):
        fg.zeros(3, 2).index_reduce(0, fg.tensor([5]), fg.ones(1, 2), reduce, include_self=False)
    with raises(IndexError, "index out of range in self"):
        fg.zeros(3).index_reduce(0, fg.tensor([5]), fg.ones(1), reduce, include_self=True)


def test_index_reduce_into_an_empty_dim_selects_first():
    with raises(IndexError, "select(): index 0 out of range for tensor of size [0, 2] at dimension 0"):
        fg.zeros(0, 2).index_reduce(0, fg.tensor([0]), fg.ones(1, 2), "amax")


# ---- pooling and padding -----------------------------------------------------------------


@pytest.mark.parametrize(("kernel", "indices"), [(-3, [0, 12, 108, 120]), (0, [0, 9, 81, 90]),
                                                 ((3, -3), [0, 12, 54, 66])])
def test_fractional_max_pool2d_with_a_pool_below_one(kernel, indices):
    x = fg.arange(2 * 9 * 9.0).reshape(1, 2, 9, 9).requires_grad_()
    out, idx = F.fractional_max_pool2d(x, kernel, output_size=2, return_indices=True,
                                       _random_samples=fg.full((1, 2, 2), 0.3))
    assert out.tolist() == [[[[-math.inf] * 2] * 2] * 2]
    assert idx[0, 0].flatten().tolist() == indices
    assert type(out.grad_fn).__name__ == "FractionalMaxPool2DBackward0"


def test_fractional_max_pool3d_with_a_pool_below_one():
    x = fg.arange(2 * 5 * 5 * 5.0).reshape(2, 5, 5, 5)
    out, idx = F.fractional_max_pool3d(x, [2, 2, -3], output_size=2, return_indices=True,
                                       _random_samples=fg.full((1, 2, 3), 0.3))
    assert tuple(out.shape) == (2, 2, 2, 2)
    assert bool((out == -math.inf).all())
    assert idx[0].flatten().tolist() == [0, 8, 15, 23, 75, 83, 90, 98]


@pytest.mark.parametrize(("shape", "pads", "expected"), [((0, 3, 3), [1, -3], (0, 3, 1)),
                                                         ((1, 3, 3), [1, -3], (1, 3, 1))])
def test_circular_pad_wrapping_onto_itself(shape, pads, expected):
    assert tuple(F.pad(fg.zeros(shape), pads, "circular").shape) == expected


def test_circular_pad_size_mismatch_message():
    with raises(RuntimeError, "The size of tensor a (0) must match the size of tensor b (2) at non-singleton "
                              "dimension 2"):
        F.pad(fg.zeros(0, 3, 3), [1, -4], "circular")


# ---- products and attention --------------------------------------------------------------


@pytest.mark.parametrize(("mat", "vec"), [((6, 11), (10,)), ((5, 10), (0,)), ((5, 10), (11,))])
def test_addmv_size_message_of_a_0dim_input(mat, vec):
    with raises(IndexError, "Dimension specified as 0 but tensor has no dimensions"):
        fg.addmv(fg.tensor(1.0), fg.ones(mat), fg.ones(vec))


@pytest.mark.parametrize(("input", "mat", "vec", "beta", "expected"), [
    ([2.0], (0, 10), (10,), 1, [2.0]),
    ([2.0], (3, 0), (0,), 1, [2.0]),
    ([2.0], (0, 0), (0,), 3, [6.0]),
    ([2.0], (0, 10), (10,), 0, []),
])
def test_addmv_of_an_empty_matrix_is_beta_times_input(input, mat, vec, beta, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert fg.addmv(fg.tensor(input), fg.ones(mat), fg.ones(vec), beta=beta).tolist() == expected


def test_addmv_of_an_empty_matrix_keeps_a_0dim_input():
    out = fg.addmv(fg.tensor(2.0), fg.ones(0, 10), fg.ones(10))
    assert (tuple(out.shape), out.item()) == ((), 2.0)
    out = fg.addmv(fg.tensor([2.0], requires_grad=True), fg.ones(0, 10), fg.ones(10), beta=3)
    assert type(out.grad_fn).__name__ == "AddmvBackward0"


@pytest.mark.parametrize(("value", "expected"), [((0, 6, 8), (4, 3, 8)), ((0, 6, 5), (4, 3, 5)),
                                                 ((4, 0, 8), (4, 3, 8)), ((3, 0, 6, 8), (4, 3, 8))])
def test_attention_of_an_empty_value_is_zeros(value, expected):
    out = F.scaled_dot_product_attention(fg.ones(4, 3, 8), fg.ones(4, 6, 8), fg.ones(value), is_causal=True)
    assert tuple(out.shape) == expected
    assert bool((out == 0).all())


def test_attention_of_an_empty_value_is_in_the_graph():
    out = F.scaled_dot_product_attention(fg.ones(4, 3, 8, requires_grad=True), fg.ones(4, 6, 8), fg.ones(0, 6, 8))
    assert type(out.grad_fn).__name__ == "AddBackward0"


def test_attention_still_refuses_a_key_of_another_batch():
    with raises(RuntimeError, "The size of tensor a (4) must match the size of tensor b (0) at non-singleton "
                              "dimension 0"):
        F.scaled_dot_product_attention(fg.ones(4, 3, 8), fg.ones(0, 6, 8), fg.ones(4, 6, 8))


# ---- batch norm of a 0-dim input ---------------------------------------------------------

SMALL_VECTOR = ("SmallVector unable to grow. Requested capacity (18446744073709551615) is larger than maximum "
                "value for size type (4294967295)")


@pytest.mark.parametrize(("input", "stats", "training", "kind", "message"), [
    (lambda: fg.tensor(1.0), (0,), False, RuntimeError, SMALL_VECTOR),
    (lambda: fg.tensor(1), (0,), False, RuntimeError, SMALL_VECTOR),
    (lambda: fg.tensor(1.0), (2,), False, RuntimeError, "running_mean should contain 0 elements not 2"),
    (lambda: fg.ones(3, dtype=fg.int64), (0,), False, NotImplementedError,
     "\"batch_norm\" not implemented for 'Long'"),
    (lambda: fg.ones(3, dtype=fg.int64), (0,), True, IndexError,
     "Dimension out of range (expected to be in range of [-1, 0], but got 1)"),
    (lambda: fg.ones(3), (0,), False, IndexError,
     "Dimension out of range (expected to be in range of [-1, 0], but got 1)"),
])
def test_functional_batch_norm_of_few_dims(input, stats, training, kind, message):
    with raises(kind, message):
        F.batch_norm(input(), fg.zeros(stats), fg.zeros(stats), training=training)


@pytest.mark.parametrize("training", [True, False])
def test_native_batch_norm_of_a_0dim_input(training):
    with raises(RuntimeError, SMALL_VECTOR):
        fg.native_batch_norm(fg.tensor(1.0), fg.ones(1), None, fg.zeros(0), fg.zeros(0), training, 0.5, 0.6)


# ---- broadcast_shapes prints the argument as given ------------------------------------------


@pytest.mark.parametrize(("other", "shown"), [([5], "[5]"), ((5,), "(5,)"), (5, "(5,)"),
                                              ([3, 5], "[3, 5]")])
def test_broadcast_shapes_message_shows_the_argument(other, shown):
    with raises(RuntimeError, f"Attempting to broadcast a dimension of length 5 at -1! Mismatching argument at "
                              f"index 1 had {shown}; but expected shape should be broadcastable to [5, 2]"):
        fg.broadcast_shapes([5, 2], other)


def test_broadcast_shapes_message_shows_a_size():
    with raises(RuntimeError, f"Attempting to broadcast a dimension of length 5 at -1! Mismatching argument at "
                              f"index 1 had {MOD}.Size([5]); but expected shape should be broadcastable to [5, 2]"):
        fg.broadcast_shapes([5, 2], fg.Size([5]))


# ---- native_batch_norm, linspace / logspace step counts -------------------------------------


def test_native_batch_norm_reads_the_first_values_of_longer_statistics():
    x = fg.arange(2 * 5 * 3.0).reshape(2, 5, 3)
    running_mean, running_var = fg.zeros(6), fg.ones(6)
    out = fg.native_batch_norm(x, fg.arange(1.0, 7.0), fg.arange(0.0, 6.0) / 10, running_mean, running_var,
                               True, 0.5, 1e-5)
    assert tuple(out[0].shape) == (2, 5, 3)
    assert out[1].tolist() == [8.5, 11.5, 14.5, 17.5, 20.5]
    assert running_mean.tolist() == [4.25, 5.75, 7.25, 8.75, 10.25, 0.0]
    assert running_var.tolist()[5] == 1.0


@pytest.mark.parametrize("fn", ["linspace", "logspace"])
@pytest.mark.parametrize("dtype", ["complex64", "int64", "float32"])
def test_space_refuses_a_negative_step_count(fn, dtype):
    with raises(RuntimeError, "number of steps must be non-negative"):
        getattr(fg, fn)(0, -3, -1, dtype=getattr(fg, dtype))


@pytest.mark.parametrize("fn", ["linspace", "logspace"])
@pytest.mark.parametrize("dtype", ["complex64", "float32"])
def test_space_of_too_many_steps_is_refused_before_computing(fn, dtype):
    with raises(RuntimeError, "Storage size calculation overflowed with sizes=[4611686018427387904]"):
        getattr(fg, fn)(0, -3, 2**62, dtype=getattr(fg, dtype))


def test_float32_logspace_past_memory_asks_for_float32_bytes():
    with pytest.raises(RuntimeError, match="you tried to allocate 4398046511104 bytes"):
        fg.logspace(0, -3, 2**40)


# ---- mean(out=) of a complex input, convolution bias with a padding string --------------------


def complex_matrix():
    return fg.tensor([[1 + 2j, 3 - 1j], [2 + 0j, 1j]], dtype=fg.complex64)


@pytest.mark.parametrize(("kwargs", "out_dtype", "expected"), [
    ({"dim": 0}, "float64", [1.5, 1.5]),
    ({"dim": 0}, "float16", [1.5, 1.5]),
    ({"dim": [0, 1]}, "float32", 1.5),
    ({"dim": None}, "float32", 1.5),
])
def test_mean_of_complex_into_a_real_out_keeps_the_real_part(kwargs, out_dtype, expected):
    shape = () if isinstance(expected, float) else (2,)
    out = fg.empty(shape, dtype=getattr(fg, out_dtype))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the cast warning comes once a process
        result = fg.mean(complex_matrix(), **kwargs, out=out)
    assert result is out
    assert out.tolist() == expected


@pytest.mark.parametrize(("args", "out_dtype", "message"), [
    ((0,), "int64", "result type Float can't be cast to the desired output type Long"),
    ((0,), "bool", "result type Float can't be cast to the desired output type Bool"),
    ((), "float32", "mean.dtype_out(): input types can't be cast to the desired output type Float"),
])
def test_mean_of_complex_into_an_out_it_cannot_take(args, out_dtype, message):
    with raises(RuntimeError, message):
        fg.mean(complex_matrix(), *args, out=fg.empty((2,) if args else (), dtype=getattr(fg, out_dtype)))


def test_full_mean_into_an_integral_out_is_refused_before_reducing():
    with raises(RuntimeError, "mean.dtype_out(): input types can't be cast to the desired output type Long"):
        fg.mean(fg.ones(2, dtype=fg.float64), out=fg.empty((), dtype=fg.int64))
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        fg.mean(fg.ones(2, dtype=fg.float64), 0, out=fg.empty((), dtype=fg.int64))


@pytest.mark.parametrize(("padding", "weight", "expected"), [("same", (1, 1), [1, 1, 1, 1]),
                                                             ("valid", (1, 1), [1, 1, 1, 1]),
                                                             ("same", (2, 2), [4, 4, 4, 2])])
def test_integer_convolution_with_a_padding_string_adds_the_bias_as_an_integer(padding, weight, expected):
    out = F.conv2d(fg.ones(1, 1, 4, 4, dtype=fg.int64), fg.ones(1, 1, *weight, dtype=fg.int64),
                   fg.tensor([0.5]), padding=padding)
    assert out.dtype == fg.int64
    assert out[0, 0, 0].tolist() == expected


def test_convolution_with_a_padding_string_takes_a_complex_bias_of_a_real_input():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = F.conv2d(fg.ones(1, 1, 4, 4), fg.ones(1, 1, 1, 1), fg.tensor([0.5j]), padding="same")
    assert out.dtype == fg.float32
    assert out[0, 0, 0].tolist() == [1.0, 1.0, 1.0, 1.0]


def test_integer_convolution_with_numeric_padding_still_refuses_a_float_bias():
    with raises(RuntimeError, "Input type (long int) and bias type (float) should be the same"):
        F.conv2d(fg.ones(1, 1, 4, 4, dtype=fg.int64), fg.ones(1, 1, 1, 1, dtype=fg.int64), fg.tensor([0.5]))


@pytest.mark.parametrize(("values", "expected"), [([1 + 2j, 3 - 1j], 2.27429), ([1j, 0j], 0.43198),
                                                  ([1 + 0j, 3 + 0j], 3.12693)])
def test_logsumexp_of_complex_into_a_real_out(values, expected):
    out = fg.empty(())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fg.logsumexp(fg.tensor(values), 0, out=out)
    assert round(out.item(), 5) == expected


def test_logsumexp_of_complex_into_a_real_out_takes_the_real_part_of_the_sum():
    out = fg.empty(())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fg.logsumexp(fg.tensor([1 + 2j]), 0, out=out)
    assert math.isnan(out.item())  # exp(2j) has a negative real part


@pytest.mark.parametrize(("value", "kind", "message"), [
    (1j, RuntimeError, "index_fill_(): Converting complex Scalar to non-complex type is not supported"),
    (lambda: fg.ones(2), RuntimeError,
     "index_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s)."),
])
def test_index_fill_checks_the_value_before_the_index(value, kind, message):
    value = value() if callable(value) else value
    with raises(kind, message):
        fg.zeros(3).index_fill(0, fg.tensor([5]), value)
    with raises(kind, message):
        fg.zeros(0).index_fill(0, fg.tensor([0]), value)


def test_index_fill_checks_the_value_range_before_the_index():
    with raises(RuntimeError, "value cannot be converted to type int8_t without overflow"):
        fg.zeros(3, dtype=fg.int8).index_fill(0, fg.tensor([5]), 1000)


@pytest.mark.parametrize(("n", "expected"), [
    (2**40, [-math.inf] * 3),
    (2**32, [-math.inf] * 3),
    (2**31 + 1, "nan"),
    (2**32 + 2, [-16.829, -0.404, -0.236]),
    (2**32 + 1, [4.935, 0.645, 9.379]),
])
def test_polygamma_order_past_a_c_int_wraps(n, expected):
    out = fg.polygamma(n, fg.tensor([0.5, 2.0, -1.5]))
    if expected == "nan":
        assert all(math.isnan(v) for v in out.tolist())
    else:
        assert [v if math.isinf(v) else round(v, 3) for v in out.tolist()] == expected


def test_polygamma_in_place_with_an_order_past_a_c_int():
    assert fg.tensor([0.5, 2.0]).polygamma_(2**40).tolist() == [-math.inf, -math.inf]
    with raises(RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation."):
        fg.ones(2, requires_grad=True).polygamma_(2**40)


def identity_and_other():
    return fg.tensor([[1.0, 0.0], [0.0, 1.0]]), fg.tensor([[1.0, -1.0, 0.0], [2.0, 0.0, 3.0]])


@pytest.mark.parametrize("call", [
    lambda a, b: fg.addmm(fg.ones(2, 3), a, b, alpha=math.inf),
    lambda a, b: fg.addmm(fg.ones(2, 3, dtype=fg.float64), a.double(), b.double(), alpha=-math.inf),
    lambda a, b: fg.addbmm(fg.ones(2, 3), a[None], b[None], alpha=math.inf),
    lambda a, b: fg.ones(2, 3).addmm_(a, b, alpha=math.inf),
])
def test_blas_products_scale_mat1_by_a_non_finite_alpha(call):
    out = call(*identity_and_other())
    assert all(math.isnan(v) for v in out.flatten().tolist())


def test_other_products_apply_a_non_finite_alpha_to_the_sums():
    a, b = identity_and_other()
    assert fg.baddbmm(fg.ones(1, 2, 3), a[None], b[None], alpha=math.inf)[0, 0, :2].tolist() == [math.inf, -math.inf]
    half = fg.addmm(fg.ones(2, 3, dtype=fg.float16), a.half(), b.half(), alpha=math.inf)
    assert half[0, :2].tolist() == [math.inf, -math.inf]


# ---- out= dtypes of diff and the index ops, normal's and bce's in-place dtypes -----------------


@pytest.mark.parametrize(("input", "out_dtype", "message"), [
    (lambda: fg.tensor([True, False, True]), "float32", "expected scalar_type Bool but found Float"),
    (lambda: fg.ones(3), "float64", "expected scalar_type Float but found Double"),
])
def test_diff_of_order_zero_needs_an_out_of_the_input_dtype(input, out_dtype, message):
    with raises(RuntimeError, message):
        fg.diff(input(), n=0, out=fg.empty(3, dtype=getattr(fg, out_dtype)))


def test_diff_of_order_one_casts_into_out():
    assert fg.diff(fg.tensor([True, False, True]), out=fg.empty(2)).tolist() == [1.0, 1.0]


@pytest.mark.parametrize(("call", "message"), [
    (lambda out: fg.index_add(fg.tensor([1.0]), 0, fg.tensor([5]), fg.tensor([1.0]), out=out),
     "Expected out tensor to have dtype float, but got double instead"),
    (lambda out: fg.index_copy(fg.tensor([1.0]), 0, fg.tensor([0.0]), fg.tensor([1.0]), out=out),
     "Expected out tensor to have dtype float, but got double instead"),
    (lambda out: fg.index_reduce(fg.tensor([1.0]), 0, fg.tensor([0]), fg.tensor([1.0]), "prod", out=out),
     "Expected out tensor to have dtype float, but got double instead"),
    (lambda out: fg.index_add(fg.tensor([1.0]), 0, fg.tensor([0]), fg.tensor([1.0], dtype=fg.float64), out=out),
     "index_add_(): self (Float) and source (Double) must have the same scalar type"),
    (lambda out: fg.index_reduce(fg.tensor([1.0]), 0, fg.tensor([0]), fg.tensor([1.0]), "foo", out=out),
     "index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got foo."),
])
def test_index_ops_need_an_out_of_self_dtype(call, message):
    with raises(RuntimeError, message):
        call(fg.empty(1, dtype=fg.float64))


def test_normal_keeps_the_dtype_of_mean():
    out = fg.normal(fg.tensor([0.5, 1.0]), fg.tensor([0.3, 0.2], dtype=fg.float64))
    assert out.dtype == fg.float32
    assert fg.normal(fg.tensor([0.5], dtype=fg.complex64), fg.tensor([0.3], dtype=fg.float64)).dtype == fg.complex64


@pytest.mark.parametrize("call", [
    lambda: fg.normal(fg.tensor([0.5, 1.0], dtype=fg.float64), fg.tensor([-0.3, 0.2], dtype=fg.complex64)),
    lambda: fg.normal(0.5, fg.tensor([0.3, 0.2], dtype=fg.complex64)),
])
def test_normal_refuses_a_complex_std(call):
    with raises(RuntimeError, "normal expects standard deviation to be non-complex"):
        call()


def test_bce_with_logits_keeps_a_complex_target_dtype():
    loss = F.binary_cross_entropy_with_logits(fg.tensor([0.5], dtype=fg.float64), fg.tensor([0.3 + 0j]))
    assert loss.dtype == fg.complex64


@pytest.mark.parametrize("kwargs", [{"weight": lambda: fg.tensor([2.0j])}, {"pos_weight": lambda: fg.tensor([2.0j])}])
def test_bce_with_logits_refuses_complex_weights_of_a_real_loss(kwargs):
    kwargs = {k: v() for k, v in kwargs.items()}
    with raises(RuntimeError, "result type ComplexFloat can't be cast to the desired output type Float"):
        F.binary_cross_entropy_with_logits(fg.tensor([0.5]), fg.tensor([0.3]), **kwargs)
