"""Bad calls found by `tools/opinfo_diff.py --mutate` in session 24: ferrograd raises the
exception type PyTorch 2.13 raises (hard-coded here, with a fragment of its message)."""

from __future__ import annotations

import ferrograd as fg
import numpy as np
import pytest
from ferrograd import masked
from ferrograd.nn import functional as F


# ---------------------------------------------------------------- Tensor.__rdiv__ unbound
@pytest.mark.parametrize("self", [None, "s", [1.0], np.ones(3)])
def test_rdiv_of_a_non_tensor_has_no_reciprocal(self):
    # PyTorch's __rdiv__ is `self.reciprocal() * other`
    with pytest.raises(AttributeError, match="has no attribute 'reciprocal'"):
        fg.Tensor.__rdiv__(self, 2)


def test_rdiv_of_a_tensor_divides():
    out = fg.Tensor.__rdiv__(fg.tensor([1.0, 2.0, 4.0]), 2)
    assert out.tolist() == [2.0, 1.0, 0.5]


# ---------------------------------------------------------------- masked layouts
@pytest.mark.parametrize("op", ["argmax", "argmin"])
def test_masked_argmax_of_an_ndarray_reads_its_layout(op):
    with pytest.raises(AttributeError, match="'numpy.ndarray' object has no attribute 'layout'"):
        getattr(masked._ops, op)(np.ones((3, 4), dtype=np.float32), 1)


@pytest.mark.parametrize("op", ["argmax", "argmin"])
def test_masked_argmax_of_a_sparse_tensor_is_refused(op):
    x = fg.tensor([[1.0, 0.0], [0.0, 2.0]]).to_sparse()
    with pytest.raises(ValueError, match=f"masked {op} expects strided tensor"):
        getattr(masked._ops, op)(x, 1)


@pytest.mark.parametrize("other", [None, "s", [1.0], np.ones(4)])
def test_masked_logaddexp_of_a_non_tensor_other_reads_its_layout(other):
    with pytest.raises(AttributeError, match="object has no attribute 'layout'"):
        masked._ops.logaddexp(fg.ones(3, 4), other)


def test_masked_logaddexp_of_a_sparse_operand_is_refused():
    x = fg.ones(2, 2)
    with pytest.raises(ValueError, match="masked logaddexp expects strided tensors"):
        masked._ops.logaddexp(x, x.to_sparse())


# ---------------------------------------------------------------- native_batch_norm
def _bn_args():
    x = fg.randn(3, 5, 4)
    return x, fg.randn(5), fg.randn(5), fg.zeros(5), fg.ones(5)


@pytest.mark.parametrize("bad", [None, "s", [[1.0]]])
def test_native_batch_norm_names_itself_for_a_non_tensor_input(bad):
    _, w, b, rm, rv = _bn_args()
    with pytest.raises(TypeError, match=r"native_batch_norm\(\): argument 'input' \(position 1\) must be Tensor"):
        fg.native_batch_norm(bad, w, b, rm, rv, True, 0.1, 1e-5)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("missing", [3, 4])
def test_native_batch_norm_running_stats_both_or_neither(training, missing):
    args = list(_bn_args())
    args[missing] = None
    with pytest.raises(ValueError, match="running_mean and running_var must either both be None or neither"):
        fg.native_batch_norm(*args, training, 0.1, 1e-5)


def test_native_batch_norm_training_must_be_bool():
    with pytest.raises(TypeError, match="argument 'training' \\(position 6\\) must be bool, not int"):
        fg.native_batch_norm(*_bn_args(), 1, 0.1, 1e-5)


def test_native_batch_norm_refuses_an_empty_input_in_training():
    _, w, b, rm, rv = _bn_args()
    with pytest.raises(RuntimeError, match=r"input tensor must have at least one element, but got input_sizes = \[0, 5, 4\]"):
        fg.native_batch_norm(fg.randn(0, 5, 4), w, b, rm, rv, True, 0.1, 1e-5)
    with pytest.raises(NotImplementedError, match="\"batch_norm\" not implemented for 'Long'"):
        fg.native_batch_norm(fg.zeros(0, 5, 4, dtype=fg.int64), w, b, rm, rv, True, 0.1, 1e-5)
    out, mean, _ = fg.native_batch_norm(fg.randn(0, 5, 4), w, b, rm, rv, False, 0.1, 1e-5)
    assert out.shape == (0, 5, 4) and mean.shape == (0,)


def test_native_batch_norm_of_a_1d_input_reads_dim_1():
    _, w, b, rm, rv = _bn_args()
    with pytest.raises(IndexError, match="Dimension out of range"):
        fg.native_batch_norm(fg.randn(4), w, b, rm, rv, True, 0.1, 1e-5)


def test_native_batch_norm_takes_one_value_per_channel():
    # F.batch_norm's "more than 1 value per channel" check is PyTorch's Python, not the kernel's:
    # the running variance becomes NaN
    _, w, b, rm, rv = _bn_args()
    out, _, _ = fg.native_batch_norm(fg.randn(1, 5, 1), w, b, rm, rv, True, 0.1, 1e-5)
    assert out.shape == (1, 5, 1)
    assert np.isnan(rv.numpy()).all()
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        F.batch_norm(fg.randn(1, 5, 1), fg.zeros(5), fg.ones(5), training=True)


# ---------------------------------------------------------------- constant padding values
@pytest.mark.parametrize(("dtype", "value", "cname"), [
    ("int64", float("nan"), "int64_t"), ("int64", float("inf"), "int64_t"), ("int64", 1e39, "int64_t"),
    ("int64", 2**63, "int64_t"), ("uint8", 300, "uint8_t"), ("uint8", 255.5, "uint8_t"),
    ("uint8", -0.5, "uint8_t"), ("int8", 127.5, "int8_t"), ("int32", 2**31, "int"),
    ("float16", 2**31, "c10::Half"), ("float32", 1e39, "float"), ("bfloat16", 1e39, "c10::BFloat16"),
])
def test_constant_pad_nd_value_out_of_the_dtype_range(dtype, value, cname):
    x = fg.arange(6).reshape(2, 3).to(getattr(fg, dtype))
    with pytest.raises(RuntimeError, match=f"value cannot be converted to type {cname} without overflow"):
        fg.constant_pad_nd(x, (1, 1), value)


@pytest.mark.parametrize(("dtype", "value"), [
    ("uint8", -1), ("uint8", 127.5), ("int64", 2.5), ("bool", 2**63), ("bool", float("nan")),
    ("float32", 2**63), ("float32", float("inf")), ("float32", float("nan")), ("int64", 2**62 + 1),
])
def test_constant_pad_nd_value_in_range(dtype, value):
    x = fg.arange(6).reshape(2, 3).to(getattr(fg, dtype))
    out = fg.constant_pad_nd(x, (1, 1), value)
    assert out.shape == (2, 5) and out.dtype == x.dtype
    if value == 2**62 + 1:
        assert out[0, 0].item() == 2**62 + 1  # a Scalar: an int stays exact


def test_constant_pad_nd_value_is_checked_only_when_padding():
    x = fg.arange(6).reshape(2, 3)
    assert fg.constant_pad_nd(x, (0, 0), float("nan")).shape == (2, 3)
    assert fg.constant_pad_nd(x, (-1, 0), float("nan")).shape == (2, 2)
    with pytest.raises(RuntimeError, match="int64_t without overflow"):
        fg.constant_pad_nd(x[:0], (1, 0), float("nan"))


@pytest.mark.parametrize(("dtype", "value", "refused"), [
    ("uint8", -1, True),  # F.pad's value is a float: a negative one does not wrap into uint8
    ("uint8", 2**64, True), ("int64", 2**63, False), ("int64", -(2**63) - 1, False),
    ("float32", 2**64, False), ("int64", float("nan"), True),
])
def test_functional_pad_value_is_a_float(dtype, value, refused):
    x = fg.arange(6).reshape(2, 3).to(getattr(fg, dtype))
    if refused:
        with pytest.raises(RuntimeError, match="without overflow"):
            F.pad(x, (1, 1), value=value)
    else:
        assert F.pad(x, (1, 1), value=value).shape == (2, 5)


# ---------------------------------------------------------------- segment_reduce's check order
_DIM_CHECK = r"Expected data.dim\(\) >= {}_value.dim\(\) to be true, but got false."


@pytest.mark.parametrize("name", ["lengths", "offsets"])
def test_segment_reduce_of_0dim_data_checks_ranks(name):
    segments = fg.tensor([1, 2, 2]) if name == "lengths" else fg.tensor([0, 1, 3, 5])
    with pytest.raises(RuntimeError, match=_DIM_CHECK.format(name)):
        fg.segment_reduce(fg.tensor(1.0), "max", **{name: segments})


def test_segment_reduce_of_0dim_offsets_checks_the_axis():
    with pytest.raises(RuntimeError, match="Expected axis to be the last dimension of offsets but got 0"):
        fg.segment_reduce(fg.randn(5), "max", offsets=fg.tensor(3))


@pytest.mark.parametrize("name", ["lengths", "offsets"])
def test_segment_reduce_has_no_complex_kernel(name):
    segments = fg.tensor([1, 2, 2]) if name == "lengths" else fg.tensor([0, 1, 3, 5])
    with pytest.raises(NotImplementedError, match="\"_segment_reduce_cpu\" not implemented for 'ComplexFloat'"):
        fg.segment_reduce(fg.randn(5).to(fg.complex64), "mean", **{name: segments})


def test_segment_reduce_checks_in_pytorchs_order():
    x = fg.randn(5)
    with pytest.raises(RuntimeError, match="Either lengths or offsets must be defined"):
        fg.segment_reduce(x, "bad")
    with pytest.raises(RuntimeError, match="indices based reduction is not supported yet"):
        fg.segment_reduce(x, "max", lengths=fg.tensor([5]), indices=fg.tensor([5]))
    with pytest.raises(IndexError, match="Dimension out of range"):
        fg.segment_reduce(x.long(), "max", lengths=fg.tensor([5]), axis=1)


# ---------------------------------------------------------------- max_pool1d with indices
@pytest.mark.parametrize("kwargs", [{"stride": 2**40}, {"stride": 2**31}, {"dilation": 2**31}, {"padding": 2**40}])
def test_max_pool1d_with_indices_takes_c_ints(kwargs):
    x = fg.randn(1, 2, 3)
    with pytest.raises(RuntimeError, match="value cannot be converted to type int without overflow"):
        F.max_pool1d(x, 3, return_indices=True, **kwargs)


def test_max_pool1d_without_indices_takes_a_large_stride():
    assert F.max_pool1d(fg.randn(1, 2, 3), 3, stride=2**40).shape == (1, 2, 1)
    out, idx = F.max_pool1d(fg.randn(1, 2, 3), 3, stride=2**31 - 1, return_indices=True)
    assert out.shape == idx.shape == (1, 2, 1)


# ---------------------------------------------------------------- linspace/logspace of few steps
@pytest.mark.parametrize("fn", ["linspace", "logspace"])
@pytest.mark.parametrize(("start", "end", "steps"), [(2**63, 0, 0), (0, 2**63, 0), (0, 2**63, 1)])
def test_integer_space_of_few_steps_reads_only_start(fn, start, end, steps):
    out = getattr(fg, fn)(start, end, steps, dtype=fg.int64)
    assert out.shape == (steps,) and out.dtype == fg.int64


@pytest.mark.parametrize(("start", "base", "dtype", "cname"), [
    (2**40, 10, "int64", "int64_t"), (400, 10, "int32", "int"), (3, 10, "uint8", "uint8_t"),
    (2.5, -2, "int64", "int64_t"), (400, 2, "float32", "float"),
])
def test_logspace_of_one_step_checks_the_power(start, base, dtype, cname):
    with pytest.raises(RuntimeError, match=f"value cannot be converted to type {cname} without overflow"):
        fg.logspace(start, 0, 1, base=base, dtype=getattr(fg, dtype))


@pytest.mark.parametrize(("start", "base", "dtype", "expected"), [
    (-1, 10, "uint8", 0), (2.5, 2, "int64", 5), (-400, 10, "int8", 0), (400, 2, "float16", float("inf")),
    (3, 10, "int64", 1000),
])
def test_logspace_of_one_step_in_range(start, base, dtype, expected):
    assert fg.logspace(start, 0, 1, base=base, dtype=getattr(fg, dtype)).tolist() == [expected]


# ---------------------------------------------------------------- linear_cross_entropy's chunked path
@pytest.mark.parametrize("dtype", ["int64", "bool", "complex64", "int32"])
def test_linear_cross_entropy_chunked_resolves_the_accumulation_dtype(dtype):
    x, w, t = fg.randn(8, 3).to(getattr(fg, dtype)), fg.randn(4, 3), fg.randint(0, 4, (8,))
    with pytest.raises(ValueError, match=f"acc_dtype must be one of .*got ferrograd.{dtype}"):
        F.linear_cross_entropy(x, w, t, options=fg.nn.LinearCrossEntropyOptions())
    with pytest.raises(RuntimeError, match="supports float32 acc_dtype with float16/bfloat16 inputs"):
        F.linear_cross_entropy(x, w, t, options=fg.nn.LinearCrossEntropyOptions(acc_dtype=fg.float32))


def test_linear_cross_entropy_chunked_accumulates_in_the_input_dtype():
    x, w, t = fg.randn(8, 3), fg.randn(4, 3), fg.randint(0, 4, (8,))
    with pytest.raises(RuntimeError, match="got ferrograd.float64 acc_dtype and ferrograd.float32 inputs"):
        F.linear_cross_entropy(x, w, t, options=fg.nn.LinearCrossEntropyOptions(acc_dtype=fg.float64))
    assert F.linear_cross_entropy(x, w, t, options=fg.nn.LinearCrossEntropyOptions(acc_dtype=fg.float32)).dim() == 0


# ---------------------------------------------------------------- no kernel runs on no elements
@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_empty_integer_tensors_skip_the_kernels_dtype_refusal(dtype):
    dt = getattr(fg, dtype)
    assert fg.randn_like(fg.zeros(0, 5, 0, dtype=dt)).dtype == dt
    assert fg.randn(0, 3, dtype=dt).shape == (0, 3)
    assert fg.bernoulli(fg.zeros(0, 3, dtype=dt)).shape == (0, 3)
    values, vectors = fg.linalg.eigh(fg.zeros(2, 0, 0, dtype=dt))
    assert values.shape == (2, 0) and vectors.shape == (2, 0, 0) and values.dtype == dt
    assert fg.linalg.eigvalsh(fg.zeros(0, 0, dtype=dt)).shape == (0,)


@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_nonempty_integer_tensors_have_no_floating_kernel(dtype):
    dt = getattr(fg, dtype)
    with pytest.raises(NotImplementedError, match="\"normal_kernel_cpu\" not implemented for"):
        fg.randn_like(fg.zeros(2, dtype=dt))
    with pytest.raises(NotImplementedError, match="\"normal_kernel_cpu\" not implemented for"):
        fg.randn(2, dtype=dt)
    with pytest.raises(NotImplementedError, match="\"bernoulli_tensor_cpu_p_\" not implemented for"):
        fg.bernoulli(fg.zeros(2, dtype=dt))
    with pytest.raises(NotImplementedError, match="\"check_uniform_bounds\" not implemented for"):
        fg.rand_like(fg.zeros(0, dtype=dt))  # rand checks its bounds before any kernel


# ---------------------------------------------------------------- instance_norm's running statistics
@pytest.mark.parametrize("dtype", ["float64", "int64", "bool", "complex64"])
def test_instance_norm_running_var_must_match_a_matching_running_mean(dtype):
    x = fg.randn(5, 5, 5)
    rv = fg.ones(5, dtype=getattr(fg, dtype))
    with pytest.raises(RuntimeError, match="expected scalar type Float but found"):
        F.instance_norm(x, fg.zeros(5), rv, momentum=0.5, eps=0.6)


@pytest.mark.parametrize("mean_dtype", ["float64", "int64", "bool", "complex64"])
@pytest.mark.parametrize("var_dtype", ["float32", "int64", "complex64"])
def test_instance_norm_running_stats_of_another_dtype_are_updated_by_a_cast(mean_dtype, var_dtype):
    x = fg.randn(5, 5, 5)
    rm, rv = fg.zeros(5, dtype=getattr(fg, mean_dtype)), fg.ones(5, dtype=getattr(fg, var_dtype))
    out = F.instance_norm(x, rm, rv, momentum=0.5, eps=0.6)
    assert out.shape == (5, 5, 5) and rm.dtype == getattr(fg, mean_dtype) and rv.dtype == getattr(fg, var_dtype)
    if mean_dtype == "float64":
        expected = 0.5 * x.mean((0, 2)).double()
        assert np.allclose(rm.numpy(), expected.numpy(), atol=1e-6)


# ---------------------------------------------------------------- transposed convolution's oneDNN bias
@pytest.mark.parametrize(("dtype", "name"), [("int64", "ferrograd.LongTensor"), ("bool", "CPUBoolType"),
                                             ("float64", "ferrograd.DoubleTensor")])
def test_transposed_convolution_in_a_batch_refuses_a_bias_of_another_dtype(dtype, name):
    x, w, b = fg.randn(2, 2, 4), fg.randn(2, 2, 4), fg.randn(2).to(getattr(fg, dtype))
    message = f"Input type \\(ferrograd.FloatTensor\\) and bias type \\({name}\\) should be the same"
    with pytest.raises(RuntimeError, match=message):
        F.conv_transpose1d(x, w, b)
    with pytest.raises(RuntimeError, match=message):
        F.conv_transpose2d(x.unsqueeze(-1), w.unsqueeze(-1), b, stride=2)
    # the slow kernels add it: a batch of one, an unbatched input, a double input
    assert F.conv_transpose1d(x[:1], w, b).shape == (1, 2, 7)
    assert F.conv_transpose1d(x[0], w, b).shape == (2, 7)
    assert F.conv_transpose1d(x.double(), w.double(), b).dtype == fg.float64


def test_transposed_convolution_checks_the_bias_shape_before_its_dtype():
    x, w = fg.randn(2, 2, 4), fg.randn(2, 2, 4)
    with pytest.raises(RuntimeError, match="expected bias to be 1-dimensional with 2 elements"):
        F.conv_transpose1d(x, w, fg.zeros(4, dtype=fg.int64))


# ---------------------------------------------------------------- fractional max pooling of non-tensors
@pytest.mark.parametrize("nd", [2, 3])
def test_fractional_max_pool_reads_the_sizes_of_a_non_tensor_first(nd):
    pool = getattr(F, f"fractional_max_pool{nd}d")
    array = np.ones((1, 3) + (9,) * nd, dtype=np.float32)
    with pytest.raises(TypeError, match="'int' object is not callable"):  # an ndarray's size is an int
        pool(array, 3, output_ratio=[0.5] * nd)
    with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'size'"):
        pool(None, 3, output_ratio=[0.5] * nd)
    with pytest.raises(AttributeError, match="'list' object has no attribute 'dim'"):
        pool([[1.0]], 3, output_size=2)
    with pytest.raises(TypeError, match=f"fractional_max_pool{nd}d\\(\\): argument 'input' \\(position 1\\) must be "
                                        "Tensor, not numpy.ndarray"):
        pool(array, 3, output_size=2, _random_samples=fg.rand(1, 3, nd))


# ---------------------------------------------------------------- cumsum/cumprod into bool
@pytest.mark.parametrize("fn", ["cumsum", "cumprod"])
@pytest.mark.parametrize("x", [fg.tensor(3), fg.zeros(0, dtype=fg.int64), fg.zeros(2, 0), fg.tensor(2.5)])
def test_scan_of_a_0dim_or_empty_input_into_bool_runs_no_kernel(fn, x):
    assert getattr(fg, fn)(x, 0, dtype=fg.bool).dtype == fg.bool
    assert getattr(fg, fn)(x, 0, out=fg.zeros(tuple(x.shape), dtype=fg.bool)).shape == x.shape


@pytest.mark.parametrize("fn", ["cumsum", "cumprod"])
def test_scan_into_bool_checks_the_dim_first(fn):
    with pytest.raises(IndexError, match="Dimension out of range"):
        getattr(fg, fn)(fg.tensor([1, 2]), 5, dtype=fg.bool)
    with pytest.raises(NotImplementedError, match=f"\"{fn}_out_cpu\" not implemented for 'Bool'"):
        getattr(fg, fn)(fg.tensor([1, 2]), 0, dtype=fg.bool)


# ---------------------------------------------------------------- nansum of integers into out=
@pytest.mark.parametrize("x", [fg.tensor(3), fg.tensor([1, 2]), fg.tensor(True), fg.zeros(0, dtype=fg.int64)])
def test_nansum_of_integers_writes_into_a_bool_out_as_sum(x):
    out = fg.zeros((), dtype=fg.bool)
    assert fg.nansum(x, out=out) is out and out.dtype == fg.bool


def test_nansum_of_floats_has_no_integer_kernel():
    with pytest.raises(NotImplementedError, match="\"nansum_cpu\" not implemented for 'Bool'"):
        fg.nansum(fg.tensor([1.5, 2.0]), out=fg.zeros((), dtype=fg.bool))


# ---------------------------------------------------------------- empty inputs of kernels without their dtype
@pytest.mark.parametrize("dtype", ["int64", "bool", "complex64"])
def test_adaptive_avg_pool_of_an_empty_batch_runs_no_kernel(dtype):
    x = fg.zeros(0, 8, 8, dtype=getattr(fg, dtype))
    assert F.adaptive_avg_pool1d(x, 5).shape == (0, 8, 5)
    assert F.adaptive_avg_pool2d(x.unsqueeze(1), 5).shape == (0, 1, 5, 5)
    with pytest.raises(NotImplementedError, match="\"adaptive_avg_pool2d\" not implemented for"):
        F.adaptive_avg_pool2d(fg.zeros(1, 8, 8, 8, dtype=getattr(fg, dtype)), 5)


@pytest.mark.parametrize("shape", [(0, 3), (3, 0)])
def test_mode_and_cummax_of_an_empty_complex_input_run_no_kernel(shape):
    x = fg.zeros(*shape, dtype=fg.complex64)
    values, indices = fg.cummax(x, 0)
    assert values.shape == shape and values.dtype == fg.complex64 and indices.dtype == fg.int64
    assert fg.cummin(x, 0).values.dtype == fg.complex64
    assert fg.mode(x, 0 if shape == (3, 0) else -1).values.dtype == fg.complex64
    with pytest.raises(NotImplementedError, match="not implemented for 'ComplexFloat'"):
        fg.cummax(fg.zeros(2, 3, dtype=fg.complex64), 0)


@pytest.mark.parametrize(("shape", "kwargs"), [
    ((2, 4), {"groups": 2, "stride": 3, "output_padding": 2, "dilation": 4}),  # unbatched, grouped: oneDNN
    ((2, 2, 4), {"stride": 2, "output_padding": 1}),
])
def test_transposed_convolution_onednn_cases_refuse_the_bias(shape, kwargs):
    groups = kwargs.get("groups", 1)
    w, b = fg.randn(2, 2, 4), fg.randn(2 * groups).to(fg.int64)
    with pytest.raises(RuntimeError, match="should be the same or input should be a MKLDNN tensor"):
        F.conv_transpose1d(fg.randn(*shape), w, b, **kwargs)


def test_transposed_convolution_with_a_big_output_padding_adds_the_bias():
    # output_padding >= stride takes PyTorch's slow kernel, which casts the bias
    x, w = fg.randn(2, 2, 4, 5), fg.randn(2, 2, 4, 5)
    out = F.conv_transpose2d(x, w, fg.ones(4, dtype=fg.int64), stride=[3, 2], output_padding=[1, 2], groups=2,
                             dilation=[1, 3])
    assert out.dtype == fg.float32


def test_linear_cross_entropy_reads_options_by_their_attributes():
    import types

    x, w, t = fg.randn(8, 3), fg.randn(4, 3), fg.randint(0, 4, (8,))
    options = types.SimpleNamespace(acc_dtype=None, acc_policy="auto")
    assert F.linear_cross_entropy(x, w, t, options=options).dim() == 0


@pytest.mark.parametrize("fn", ["linspace", "logspace"])
@pytest.mark.parametrize("steps", [0, 1])
@pytest.mark.parametrize(("start", "end"), [(fg.tensor(3), None), (None, 0), (fg.tensor(3), "s")])
def test_space_of_few_steps_still_refuses_non_numbers(fn, steps, start, end):
    with pytest.raises(TypeError):
        getattr(fg, fn)(start, end, steps, dtype=fg.int64)


@pytest.mark.parametrize(("shape", "dim", "empty"), [((0, 5, 5), 2, 0), ((5, 0, 5), 0, 1)])
def test_renorm_inf_over_an_empty_dim_has_no_identity(shape, dim, empty):
    with pytest.raises(RuntimeError, match=f"cannot compute the inf norm on the dimension {empty}because"):
        fg.renorm(fg.zeros(*shape), float("inf"), dim, 0.5)
    assert fg.renorm(fg.zeros(*shape), 2, dim, 0.5).shape == shape


@pytest.mark.parametrize("value", ["s", None, [1], fg.tensor([2])])
def test_constant_pad_nd_value_is_a_number(value):
    x = fg.arange(6).reshape(2, 3)
    with pytest.raises(TypeError, match="constant_pad_nd\\(\\): argument 'value' \\(position 3\\) must be Number"):
        fg.constant_pad_nd(x, (1, 1), value)


@pytest.mark.parametrize("value", ["s", 2 + 0j, [1], fg.tensor([2])])
def test_functional_pad_value_of_a_non_number(value):
    x = fg.arange(6).reshape(2, 3)
    with pytest.raises(TypeError, match="pad\\(\\): argument 'value' \\(position 4\\) must be float"):
        F.pad(x, (1, 1), value=value)
    assert F.pad(x, (1, 1), value=fg.tensor(2)).shape == (2, 5)


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")
@pytest.mark.parametrize("method", ["cfloat", "cdouble", "chalf"])
def test_complex_casts_take_the_memory_format(method):
    x = fg.randn(2, 3, 2, 3)
    with pytest.raises(RuntimeError, match="required rank 4 tensor to use channels_last format"):
        getattr(x[0], method)(memory_format=fg.channels_last)
    assert getattr(x, method)(memory_format=fg.channels_last).stride() == (18, 1, 9, 3)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_linear_cross_entropy_chunked_narrows_the_targets(reduction):
    w, options = fg.randn(4, 3), fg.nn.LinearCrossEntropyOptions()
    with pytest.raises(RuntimeError, match="narrow\\(\\) cannot be applied to a 0-dim tensor"):
        F.linear_cross_entropy(fg.randn(8, 3), w, fg.tensor(1), reduction=reduction, options=options)
    with pytest.raises(RuntimeError, match="exceeds dimension size \\(3\\)"):
        F.linear_cross_entropy(fg.randn(8, 3), w, fg.randint(0, 4, (3,)), reduction=reduction, options=options)
    # targets past the batch have no loss, though a mean counts them; an empty batch reads none
    x, t = fg.randn(8, 3), fg.randint(0, 4, (9,))
    expected = F.linear_cross_entropy(x, w, t[:8], reduction="sum" if reduction == "mean" else reduction,
                                      options=options)
    if reduction == "mean":
        expected = expected / 9
    got = F.linear_cross_entropy(x, w, t, reduction=reduction, options=options)
    assert np.allclose(got.numpy(), expected.numpy())
    empty = F.linear_cross_entropy(fg.randn(0, 3), w, t, reduction=reduction, options=options)
    assert empty.shape == ((0,) if reduction == "none" else ())


def test_linear_cross_entropy_chunked_mean_weighs_every_target():
    # PyTorch 2.13: x = randn(8, 3), targets [0, 1, 2, 3, 1, 2, 0, 3, 2, 1], class weights 1..4
    x, w = fg.randn(8, 3), fg.randn(4, 3)
    t, cw = fg.tensor([0, 1, 2, 3, 1, 2, 0, 3, 2, 1]), fg.tensor([1.0, 2.0, 3.0, 4.0])
    options = fg.nn.LinearCrossEntropyOptions()
    total = F.linear_cross_entropy(x, w, t[:8], weight=cw, reduction="sum")
    got = F.linear_cross_entropy(x, w, t, weight=cw, options=options)
    assert np.isclose(got.item(), total.item() / cw[t].sum().item(), rtol=1e-5)
    total = F.linear_cross_entropy(x, w, t[:8], ignore_index=1, reduction="sum")
    got = F.linear_cross_entropy(x, w, t, ignore_index=1, options=options)
    assert np.isclose(got.item(), total.item() / 7, rtol=1e-5)
