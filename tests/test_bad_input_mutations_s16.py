"""Bad calls found by `tools/opinfo_diff.py --mutate` over the OpInfo ops beyond the 110
most used (session 16): `out=` of ops PyTorch composes of others, argument kinds checked
before an op runs, dtypes a kernel refuses, infinite parameters of the samplers.
Exception types and message fragments are PyTorch 2.13's; the file also runs against
PyTorch (`FG_TEST_BACKEND=torch`)."""

import math
import re

import numpy as np
import pytest
from backend import fg

F = fg.nn.functional


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


# ---- out= of composite ops: the differentiable result is copied into out ------------------

def test_quantile_out_records_the_copy_and_passes_the_gradient_back():
    x = fg.tensor([1.0, 3.0, 2.0], requires_grad=True)
    out = fg.empty(())
    fg.quantile(x, 0.5, out=out)
    assert out.item() == 2.0
    assert out.requires_grad and type(out.grad_fn).__name__ == "CopyBackwards"
    out.backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0]  # the median is the element 2.0


def test_linalg_norm_out_records_the_copy_and_passes_the_gradient_back():
    x = fg.tensor([3.0, 4.0], requires_grad=True)
    out = fg.empty(())
    fg.linalg.norm(x, out=out)
    assert out.item() == pytest.approx(5.0)
    assert type(out.grad_fn).__name__ == "CopyBackwards"
    out.backward()
    assert x.grad.tolist() == pytest.approx([0.6, 0.8])  # d|x|/dx = x / |x|


@pytest.mark.parametrize("name", ["matrix_norm", "cond", "tensorinv"])
def test_linalg_composites_take_an_input_requiring_grad_with_out(name):
    a = (fg.eye(4) * 2).requires_grad_()
    expected = {"matrix_norm": 4.0, "cond": 1.0}
    if name == "tensorinv":
        out = fg.empty(4, 4)
        fg.linalg.tensorinv(a, ind=1, out=out)
        assert out.tolist() == (fg.eye(4) * 0.5).tolist()
    else:
        out = fg.empty(())
        getattr(fg.linalg, name)(a, out=out)
        assert out.item() == pytest.approx(expected[name])
    assert type(out.grad_fn).__name__ == "CopyBackwards"


def test_special_ndtr_out_takes_an_input_requiring_grad():
    out = fg.empty(1)
    fg.special.ndtr(fg.zeros(1, requires_grad=True), out=out)
    assert out.tolist() == [0.5]
    assert type(out.grad_fn).__name__ == "CopyBackwards"


COPIES_TAKING_GRAD = {
    "as_strided_copy": (lambda x, out: fg.as_strided_copy(x, (2,), (2,), out=out), [0.0, 2.0]),
    "view_copy": (lambda x, out: fg.view_copy(x, (2, 2), out=out), [[0.0, 1.0], [2.0, 3.0]]),
    "permute_copy": (lambda x, out: fg.permute_copy(x.view(2, 2), (1, 0), out=out), [[0.0, 2.0], [1.0, 3.0]]),
}


@pytest.mark.parametrize("name", sorted(COPIES_TAKING_GRAD))
def test_copy_ops_write_an_input_requiring_grad_into_out(name):
    call, expected = COPIES_TAKING_GRAD[name]
    x = fg.arange(4.0).requires_grad_()
    out = fg.empty(0)
    call(x, out)
    assert out.tolist() == expected


def test_eigvals_out_takes_an_input_requiring_grad():
    out = fg.empty(2, dtype=fg.complex64)
    fg.linalg.eigvals(fg.diag(fg.tensor([1.0, 2.0])).requires_grad_(), out=out)
    assert sorted(v.real for v in out.tolist()) == [1.0, 2.0]


def test_histc_writes_into_an_out_requiring_grad():
    out = fg.zeros(4, requires_grad=True)
    fg.histc(fg.tensor([0.0, 1.0, 1.0, 3.0]), 4, 0, 4, out=out)
    assert out.tolist() == [1.0, 2.0, 0.0, 1.0]


OUT_REFUSED = [
    ("angle out requiring grad", lambda: fg.angle(fg.ones(3), out=fg.zeros(3, requires_grad=True)), "angle()"),
    ("complex input requiring grad",
     lambda: fg.complex(fg.ones(3, requires_grad=True), fg.ones(3), out=fg.empty(3, dtype=fg.complex64)),
     "complex()"),
    ("polar input requiring grad",
     lambda: fg.polar(fg.ones(3), fg.ones(3, requires_grad=True), out=fg.empty(3, dtype=fg.complex64)),
     "polar()"),
]


@pytest.mark.parametrize("case", OUT_REFUSED, ids=[c[0] for c in OUT_REFUSED])
def test_out_is_refused_while_gradients_are_recorded(case):
    _, call, name = case
    with raises(RuntimeError, f"{name}: functions with out=... arguments don't support automatic differentiation"):
        call()


# ---- argument kinds PyTorch's parser refuses before the op runs --------------------------------

WRONG_KIND = [
    ("diff float dim with n=0", lambda: fg.diff(fg.ones(3), 0, 2.5),
     "diff(): argument 'dim' (position 3) must be int, not float"),
    ("isin None elements", lambda: fg.isin(None, fg.ones(3)),
     "isin() received an invalid combination of arguments - got (NoneType, Tensor)"),
    ("isin str test_elements", lambda: fg.isin(fg.ones(3), "abc"),
     "isin() received an invalid combination of arguments - got (Tensor, str)"),
    ("isin list test_elements", lambda: fg.isin(fg.ones(3), [1.0]),
     "isin() received an invalid combination of arguments - got (Tensor, list)"),
    ("isin ndarray test_elements", lambda: fg.isin(fg.ones(3), np.ones(3)),
     "isin() received an invalid combination of arguments - got (Tensor, numpy.ndarray)"),
    ("searchsorted str values", lambda: fg.searchsorted(fg.ones(3), "abc"),
     "searchsorted() received an invalid combination of arguments - got (Tensor, str)"),
    ("bucketize str input", lambda: fg.bucketize("abc", fg.ones(3)),
     "bucketize() received an invalid combination of arguments - got (str, Tensor)"),
    ("cumulative_trapezoid None x", lambda: fg.cumulative_trapezoid(fg.ones(3), None),
     "cumulative_trapezoid() received an invalid combination of arguments - got (Tensor, NoneType)"),
    ("logspace ndarray start", lambda: fg.logspace(np.ones(()), fg.ones(()), 3),
     "logspace() received an invalid combination of arguments - got (numpy.ndarray, Tensor, int)"),
    ("linalg.diagonal ndarray", lambda: fg.linalg.diagonal(np.ones((3, 3))),
     "linalg_diagonal(): argument 'A' (position 1) must be Tensor, not numpy.ndarray"),
    ("pixel_unshuffle float factor", lambda: F.pixel_unshuffle(fg.ones(1, 4, 4, 4), 2.5),
     "pixel_unshuffle(): argument 'downscale_factor' (position 2) must be int, not float"),
    ("rms_norm ndarray weight", lambda: F.rms_norm(fg.ones(2, 3), [3], np.ones(3, dtype=np.float32)),
     "rms_norm(): argument 'weight' (position 3) must be Tensor, not numpy.ndarray"),
    ("glu float dim", lambda: F.glu(fg.ones(4), 2.5), "glu(): argument 'dim' (position 2) must be int, not float"),
    ("glu nan dim", lambda: F.glu(fg.ones(4), math.nan), "glu(): argument 'dim' (position 2) must be int, not float"),
    ("instance_norm str running_mean",
     lambda: F.instance_norm(fg.ones(5, 5, 5), running_mean="abc", running_var=fg.ones(5)),
     "instance_norm(): argument 'running_mean' (position 4) must be Tensor, not str"),
    ("instance_norm list weight", lambda: F.instance_norm(fg.ones(5, 5, 5), weight=[1.0] * 5),
     "instance_norm(): argument 'weight' (position 2) must be Tensor, not list"),
    ("instance_norm ndarray bias", lambda: F.instance_norm(fg.ones(5, 5, 5), bias=np.ones(5, dtype=np.float32)),
     "instance_norm(): argument 'bias' (position 3) must be Tensor, not numpy.ndarray"),
]


def test_isin_still_takes_a_number_on_either_side():
    assert fg.isin(fg.tensor([1.0, 2.0]), 1.0).tolist() == [True, False]
    assert fg.isin(2.0, fg.tensor([1.0, 2.0])).item() is True


# ---- values and dtypes PyTorch refuses ---------------------------------------------------------

RUNTIME_ERRORS = [
    ("trapezoid bool y", lambda: fg.trapezoid(fg.ones(3, dtype=fg.bool)),
     "trapezoid: received a bool input for `y`, but bool is not supported"),
    ("trapezoid bool x", lambda: fg.trapezoid(fg.ones(3), fg.ones(3, dtype=fg.bool)),
     "trapezoid: received a bool input for `x` or `y`, but bool is not supported"),
    ("cumulative_trapezoid bool y", lambda: fg.cumulative_trapezoid(fg.ones(3, dtype=fg.bool)),
     "cumulative_trapezoid: received a bool input for `y`, but bool is not supported"),
    ("histc nan min", lambda: fg.histc(fg.ones(3), 10, math.nan, 10), "torch.histc: range of [nan, 10] is not finite"),
    ("histc inf max", lambda: fg.histc(fg.ones(3), 10, 0, math.inf), "torch.histc: range of [0, inf] is not finite"),
    ("huber_loss int input", lambda: F.huber_loss(fg.ones(3, dtype=fg.int64), fg.ones(3)),
     "result type Float can't be cast to the desired output type Long"),
    ("huber_loss complex target", lambda: F.huber_loss(fg.ones(3), fg.ones(3, dtype=fg.complex64)),
     "result type ComplexFloat can't be cast to the desired output type Float"),
    ("soft_margin_loss int input", lambda: F.soft_margin_loss(fg.ones(3, dtype=fg.int64), fg.ones(3)),
     "result type Float can't be cast to the desired output type Long"),
    ("soft_margin_loss bool input", lambda: F.soft_margin_loss(fg.ones(3, dtype=fg.bool), fg.ones(3)),
     "Negation, the `-` operator, on a bool tensor is not supported."),
]


NOT_IMPLEMENTED = [
    ("instance_norm complex", lambda: F.instance_norm(fg.ones(5, 5, 5, dtype=fg.complex64)),
     "\"batch_norm\" not implemented for 'ComplexFloat'"),
    ("smooth_l1_loss complex target", lambda: F.smooth_l1_loss(fg.ones(3), fg.ones(3, dtype=fg.complex64)),
     "\"smooth_l1_cpu\" not implemented for 'ComplexFloat'"),
    ("multi_margin_loss long", lambda: F.multi_margin_loss(fg.ones(2, 3, dtype=fg.int64), fg.zeros(2, dtype=fg.int64)),
     "\"multi_margin_loss_cpu_kernel\" not implemented for 'Long'"),
    ("multi_margin_loss bool", lambda: F.multi_margin_loss(fg.ones(2, 3, dtype=fg.bool), fg.zeros(2, dtype=fg.int64)),
     "\"multi_margin_loss_cpu_kernel\" not implemented for 'Bool'"),
    ("multilabel_margin_loss long",
     lambda: F.multilabel_margin_loss(fg.ones(2, 3, dtype=fg.int64), fg.zeros(2, 3, dtype=fg.int64)),
     "\"multilabel_margin_loss_forward_out_frame\" not implemented for 'Long'"),
    ("conv1d bool", lambda: F.conv1d(fg.ones(1, 1, 2, dtype=fg.bool), fg.ones(1, 1, 1)),
     "\"slow_conv2d_cpu\" not implemented for 'Bool'"),
    ("conv2d bool", lambda: F.conv2d(fg.ones(1, 1, 2, 2, dtype=fg.bool), fg.ones(1, 1, 1, 1)),
     "\"slow_conv2d_cpu\" not implemented for 'Bool'"),
    ("conv3d bool", lambda: F.conv3d(fg.ones(1, 1, 2, 2, 2, dtype=fg.bool), fg.ones(1, 1, 1, 1, 1)),
     "\"slow_conv3d_cpu\" not implemented for 'Bool'"),
    ("conv_transpose1d bool", lambda: F.conv_transpose1d(fg.ones(1, 3, 4, dtype=fg.bool), fg.ones(3, 3, 3)),
     "\"slow_conv_transpose2d_out_cpu\" not implemented for 'Bool'"),
    ("conv_transpose3d bool",
     lambda: F.conv_transpose3d(fg.ones(1, 1, 2, 2, 2, dtype=fg.bool), fg.ones(1, 1, 1, 1, 1)),
     "\"slow_conv_transpose3d_out_cpu\" not implemented for 'Bool'"),
    ("grid_sample long", lambda: F.grid_sample(fg.ones(1, 1, 2, 2, dtype=fg.int64), fg.zeros(1, 2, 2, 2),
                                               align_corners=False),
     "\"grid_sampler_2d_cpu_kernel_impl\" not implemented for 'Long'"),
    ("grid_sample 3-d long", lambda: F.grid_sample(fg.ones(1, 1, 2, 2, 2, dtype=fg.int64), fg.zeros(1, 2, 2, 2, 3),
                                                   align_corners=False),
     "\"grid_sampler3d_cpu\" not implemented for 'Long'"),
    ("special.bessel_j0 complex", lambda: fg.special.bessel_j0(fg.ones(3, dtype=fg.complex64)),
     "\"bessel_j0_cpu\" not implemented for 'ComplexFloat'"),
    ("special.chebyshev_polynomial_t complex n",
     lambda: fg.special.chebyshev_polynomial_t(fg.ones(3), fg.ones(3, dtype=fg.complex128)),
     "\"chebyshev_polynomial_t_cpu\" not implemented for 'ComplexDouble'"),
    ("special.zeta complex", lambda: fg.special.zeta(fg.ones(3, dtype=fg.complex64), 2.0),
     "\"zeta_cpu\" not implemented for 'ComplexFloat'"),
    ("special.xlog1py complex", lambda: fg.special.xlog1py(fg.ones(3, dtype=fg.complex64), fg.ones(3)),
     "\"xlog1py_cpu\" not implemented for 'ComplexFloat'"),
    # softmax into an integer dtype: the kernel of the last dim or of another
    ("softmax last dim", lambda: fg.softmax(fg.ones(3, dtype=fg.int64), 0, dtype=fg.int64),
     "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'"),
    ("softmax inner dim", lambda: fg.softmax(fg.ones(2, 3, dtype=fg.int64), 0, dtype=fg.int64),
     "\"softmax_kernel_impl\" not implemented for 'Long'"),
    ("F.softmax long dtype", lambda: F.softmax(fg.ones(3, dtype=fg.int64), 0, dtype=fg.int64),
     "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'"),
    ("F.log_softmax int dtype", lambda: F.log_softmax(fg.ones(3, 2), -2, dtype=fg.int32),
     "\"log_softmax_kernel_impl\" not implemented for 'Int'"),
    ("masked.softmax of integers", lambda: fg.masked.softmax(fg.ones(3, dtype=fg.int64), 0),
     "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'"),
    ("masked.log_softmax of integers", lambda: fg.masked.log_softmax(fg.ones(2, 3, dtype=fg.int64), 1),
     "\"log_softmax_lastdim_kernel_impl\" not implemented for 'Long'"),
    # kernels dispatched on the dtype of out=
    ("nansum into long", lambda: fg.nansum(fg.ones(3), out=fg.empty((), dtype=fg.int64)),
     "\"nansum_cpu\" not implemented for 'Long'"),
    ("nanmean into bool", lambda: fg.nanmean(fg.ones(3), out=fg.empty((), dtype=fg.bool)),
     "\"nansum_cpu\" not implemented for 'Bool'"),
    ("normal into long", lambda: fg.normal(fg.ones(3), fg.ones(3), out=fg.empty(3, dtype=fg.int64)),
     "\"normal_kernel_cpu\" not implemented for 'Long'"),
    ("normal of numbers into long", lambda: fg.normal(0.0, 1.0, (3,), out=fg.empty(3, dtype=fg.int64)),
     "\"normal_kernel_cpu\" not implemented for 'Long'"),
    ("fractional_max_pool2d complex",
     lambda: F.fractional_max_pool2d(fg.ones(1, 3, 9, 9, dtype=fg.complex64), 3, output_size=2),
     "\"fractional_max_pool2d_out_frame\" not implemented for 'ComplexFloat'"),
    ("fractional_max_pool3d complex",
     lambda: F.fractional_max_pool3d(fg.ones(1, 3, 9, 9, 9, dtype=fg.complex64), 2, output_size=2),
     "\"fractional_max_pool3d_out_frame\" not implemented for 'ComplexFloat'"),
]

REFUSED = ([(TypeError, case) for case in WRONG_KIND] + [(RuntimeError, case) for case in RUNTIME_ERRORS]
           + [(NotImplementedError, case) for case in NOT_IMPLEMENTED])


@pytest.mark.parametrize(("kind", "case"), REFUSED, ids=[case[0] for _, case in REFUSED])
def test_a_refused_call_raises_pytorchs_exception_type_and_message(kind, case):
    _, call, message = case
    with raises(kind, message):
        call()


def test_grid_sample_compares_the_grid_dtype_after_the_input_kernel():
    with raises(RuntimeError, "expected scalar type Float but found Long"):
        F.grid_sample(fg.ones(1, 1, 2, 2), fg.zeros(1, 2, 2, 2, dtype=fg.int64), align_corners=False)


@pytest.mark.parametrize("dtype", ["bool", "int64"])
def test_transposed_convolution_adds_a_bias_of_another_real_dtype(dtype):
    x, w = fg.ones(1, 3, 4), fg.ones(3, 3, 3)
    out = F.conv_transpose1d(x, w, fg.ones(3, dtype=getattr(fg, dtype)))
    assert out.dtype == fg.float32
    assert out[0, 0].tolist() == [4.0, 7.0, 10.0, 10.0, 7.0, 4.0]  # 3, 6, 9, 9, 6, 3 plus the bias 1


def test_transposed_convolution_refuses_a_complex_bias_of_a_real_input():
    with raises(RuntimeError, "result type ComplexFloat can't be cast to the desired output type Float"):
        F.conv_transpose2d(fg.ones(1, 3, 4, 4), fg.ones(3, 3, 3, 3), fg.ones(3, dtype=fg.complex64))


# ---- samplers with infinite or huge parameters -------------------------------------------------

def test_log_normal_past_the_double_range_is_inf():
    assert fg.ones(3).log_normal_(2**40, 0.25).tolist() == [math.inf] * 3
    assert fg.ones(3).log_normal_(math.inf, 0.25).tolist() == [math.inf] * 3


def test_cauchy_with_an_infinite_median_is_inf():
    assert fg.ones(3).cauchy_(math.inf, 0.5).tolist() == [math.inf] * 3


def test_log_normal_keeps_pytorchs_stream_for_finite_parameters():
    fg.manual_seed(3)
    values = fg.ones(3, dtype=fg.float64).log_normal_(0.5, 1.5).tolist()
    assert values == [5.500913212789491, 2.1430929512703156, 1.8841318212801506]  # PyTorch 2.13, seed 3


# ---- parser checks of the pooling sizes, slice steps -----------------------------------------



def test_an_integer_out_takes_nansum_of_integers():
    out = fg.empty((), dtype=fg.int64)
    fg.nansum(fg.tensor([1, 2, 3]), out=out)
    assert out.item() == 6


@pytest.mark.parametrize("arg", ["kernel_size", "output_size"])
def test_fractional_max_pool_sizes_must_be_ints(arg):
    sizes = {"kernel_size": 3, "output_size": 2}
    sizes[arg] = 2.5
    with raises(TypeError, f"fractional_max_pool2d(): argument '{arg}' (position {2 if arg == 'kernel_size' else 3}) "
                           "must be tuple of ints, not float"):
        F.fractional_max_pool2d(fg.ones(1, 3, 9, 9), sizes["kernel_size"], output_size=sizes["output_size"])


@pytest.mark.parametrize("step", [0, -3])
def test_slice_scatter_refuses_a_step_below_one(step):
    with raises(RuntimeError, "slice step must be positive"):
        fg.slice_scatter(fg.ones(4, 4), fg.ones(4, 4), 0, 0, 4, step)
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 5)"):
        fg.slice_scatter(fg.ones(4, 4), fg.ones(4, 4), 5, 0, 4, step)


@pytest.mark.parametrize("name", ["cauchy_", "exponential_", "geometric_", "log_normal_", "normal_", "uniform_"])
@pytest.mark.parametrize("value", [None, "abc", [1.0], np.ones(3, dtype=np.float32)],
                         ids=["None", "str", "list", "ndarray"])
def test_a_sampler_called_unbound_on_a_non_tensor_is_a_type_error(name, value):
    kind = "numpy.ndarray" if isinstance(value, np.ndarray) else type(value).__name__
    with raises(TypeError, f"descriptor '{name}' for '"):
        getattr(fg.Tensor, name)(value, 0.5)
    with pytest.raises(TypeError, match=f"objects doesn't apply to a '{re.escape(kind)}' object"):
        getattr(fg.Tensor, name)(value, 0.5)


@pytest.mark.parametrize("axis", [1, -2, 2**40])
def test_segment_reduce_refuses_an_axis_out_of_range(axis):
    with raises(IndexError, f"Dimension out of range (expected to be in range of [-1, 0], but got {axis})"):
        fg.segment_reduce(fg.ones(5), "max", lengths=fg.tensor([1, 1, 1, 2]), axis=axis)
    assert fg.segment_reduce(fg.ones(5), "max", lengths=fg.tensor([1, 1, 1, 2]), axis=-1).tolist() == [1.0] * 4


def test_softmax_checks_the_dim_before_the_dtype():
    with raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 4)"):
        fg.softmax(fg.ones(3), 4, dtype=fg.int64)
