"""Session 23 differences from PyTorch (CPU) found by `tools/fuzz_api.py` in the
namespaces other than Tensor. Expected types and messages are PyTorch's; the file also
runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re

import numpy as np
import pytest
from backend import fg

X = [[0.5, -1.0, 2.0], [3.0, 0.0, -2.5]]


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


# ---- adaptive pooling: no bool, and no None, for output_size ---------------------------


@pytest.mark.parametrize("name", ["adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
                                  "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d"])
def test_adaptive_pool_refuses_a_bool_output_size(name):
    with raises(TypeError, f"{name}(): argument 'output_size' (position 2) must be tuple of ints, not bool"):
        getattr(fg.nn.functional, name)(fg.tensor(X), True)


@pytest.mark.parametrize("name", ["adaptive_avg_pool2d", "adaptive_max_pool3d"])
def test_adaptive_pool_refuses_a_none_output_size(name):
    with raises(TypeError, "object of type 'NoneType' has no len()"):
        getattr(fg.nn.functional, name)(fg.tensor(X), None)


def test_adaptive_pool_takes_a_bool_inside_a_list():
    out = fg.nn.functional.adaptive_max_pool2d(fg.tensor([X]), [2, True])
    assert tuple(out.shape) == (1, 2, 1)
    assert out.flatten().tolist() == [2.0, 3.0]


# ---- fft: no bool for n, s or dim; a 0-dim int tensor is a dim --------------------------


@pytest.mark.parametrize(("name", "args", "kwargs", "message"), [
    ("fft", (True,), {}, "fft_fft(): argument 'n' (position 2) must be int, not bool"),
    ("irfft", (2, True), {}, "fft_irfft(): argument 'dim' (position 3) must be int, not bool"),
    ("hfft", (), {"n": True}, "fft_hfft(): argument 'n' must be int, not bool"),
    ("irfftn", (True,), {}, "fft_irfftn(): argument 's' (position 2) must be tuple of ints, not bool"),
    ("fft2", (None, [True]), {},
     "fft_fft2(): argument 'dim' (position 3) must be tuple of ints, but found element of type bool at pos 0"),
    ("fftshift", (True,), {}, "fft_fftshift(): argument 'dim' (position 2) must be tuple of ints, not bool"),
    ("ifftshift", (), {"dim": True}, "fft_ifftshift(): argument 'dim' must be tuple of ints, not bool"),
])
def test_fft_refuses_bool_sizes_and_dims(name, args, kwargs, message):
    with raises(TypeError, message):
        getattr(fg.fft, name)(fg.tensor(X), *args, **kwargs)


def test_fftshift_takes_a_0dim_int_tensor_dim():
    assert fg.fft.fftshift(fg.tensor(X), fg.tensor(1)).tolist() == [[2.0, 0.5, -1.0], [-2.5, 3.0, 0.0]]
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)"):
        fg.fft.ifftshift(fg.tensor(X), fg.tensor(2))


@pytest.mark.parametrize("name", ["irfft2", "hfft2", "irfftn", "hfftn"])
def test_c2r_transforms_refuse_an_empty_dim(name):
    with raises(RuntimeError, "Invalid number of data points (0) specified"):
        getattr(fg.fft, name)(fg.zeros(0, 3))


# ---- linalg: keyword-only N of vander, no None for the old positional tolerances -------


def test_linalg_vander_takes_n_by_keyword_only():
    with raises(TypeError, "vander() takes 1 positional argument but 2 were given"):
        fg.linalg.vander(fg.tensor([1.0, 2.0]), 3)
    assert fg.linalg.vander(fg.tensor([1.0, 2.0]), N=3).tolist() == [[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]]


@pytest.mark.parametrize("name", ["pinv", "matrix_rank"])
def test_linalg_refuses_a_none_positional_tolerance(name):
    with raises(TypeError, f"linalg_{name}() received an invalid combination of arguments - got (Tensor, NoneType"):
        getattr(fg.linalg, name)(fg.tensor(X), None)


def test_pinv_with_one_tolerance_per_matrix():
    a = fg.tensor(X)
    # atol 0.5 keeps both singular values (4.34..., 2.27...), atol 3.0 only the largest
    out = fg.linalg.pinv(a, atol=fg.tensor([0.5, 3.0]))
    assert tuple(out.shape) == (2, 3, 2)
    assert [round(v, 4) for v in out[0].flatten().tolist()] == [0.2673, 0.2581, -0.2249, -0.0516, 0.3207, -0.0903]
    assert [round(v, 4) for v in out[1].flatten().tolist()] == [-0.0498, 0.1581, -0.0055, 0.0175, 0.0549, -0.1741]


def test_pinv_with_a_tolerance_tensor_broadcasts_its_shape():
    out = fg.linalg.pinv(fg.tensor(X), fg.tensor([[1, 0, 1], [0, 1, 0]]))
    assert tuple(out.shape) == (2, 3, 3, 2)
    assert out[0, 1].allclose(fg.linalg.pinv(fg.tensor(X)), atol=1e-6)


def test_hermitian_pinv_with_one_tolerance_per_matrix():
    h = fg.tensor([[2.0, 1.0], [1.0, -3.0]])
    out = fg.linalg.pinv(h, atol=fg.tensor([0.5, 2.5]), hermitian=True)
    assert [round(v, 4) for v in out[1].flatten().tolist()] == [-0.0112, 0.0582, 0.0582, -0.302]


# ---- arguments PyTorch's parser or Python code refuses or takes ----------------------


def test_gelu_takes_approximate_by_keyword_only():
    with raises(TypeError, "gelu() takes 1 positional argument but 2 were given"):
        fg.nn.functional.gelu(fg.tensor(X), "tanh")
    assert round(fg.nn.functional.gelu(fg.tensor([1.0]), approximate="tanh").item(), 4) == 0.8412


@pytest.mark.parametrize("name", ["GRU", "LSTM"])
def test_gated_rnns_take_a_bool_hidden_size(name):
    rnn = getattr(fg.nn, name)(3, True)
    assert rnn.hidden_size is True
    assert tuple(rnn.weight_hh_l0.shape)[1] == 1


def test_rnn_with_a_bool_hidden_size_fails_in_empty():
    with raises(TypeError, "empty(): argument 'size' (position 1) must be tuple of ints, but found element of type bool"):
        fg.nn.RNN(3, True)


@pytest.mark.parametrize("inputs", [None, True, 3])
def test_gradcheck_wraps_a_lone_non_tensor_input(inputs):
    with raises(ValueError, "gradcheck expects at least one input tensor to require gradient"):
        fg.autograd.gradcheck(lambda t: t, inputs)


def test_finfo_refuses_none():
    with raises(TypeError, "finfo(): argument 'type' (position 1) must be"):
        fg.finfo(None)
    assert fg.finfo().bits == 32


@pytest.mark.parametrize("args", [(None,), (None, "x"), ("x", None)])
def test_where_refuses_a_none_operand(args):
    x = fg.tensor(X)
    with raises(TypeError, "where() received an invalid combination of arguments - got (Tensor, "):
        fg.where(x > 0, *[x if a == "x" else a for a in args])


def test_squeeze_copy_refuses_a_none_dim():
    with raises(TypeError, "squeeze_copy() received an invalid combination of arguments - got (Tensor, NoneType)"):
        fg.squeeze_copy(fg.tensor(X), None)
    assert tuple(fg.squeeze_copy(fg.ones(2, 1)).shape) == (2,)


def test_channel_shuffle_takes_a_0dim_int_tensor_group_count():
    x = fg.arange(4.0).reshape(1, 4, 1)
    assert fg.channel_shuffle(x, fg.tensor(2)).flatten().tolist() == [0.0, 2.0, 1.0, 3.0]
    with raises(RuntimeError, "channel_shuffle expects input with > 2 dims, but got input with sizes [2, 3]"):
        fg.nn.functional.channel_shuffle(fg.tensor(X), fg.tensor(2))
    with raises(TypeError, "channel_shuffle(): argument 'groups' (position 2) must be int, not bool"):
        fg.channel_shuffle(x, True)


# ---- torch.binary_cross_entropy_with_logits: ATen's loss, shaped like the target --------

Y = [[0.0, 1.0, 1.0], [0.0, 0.5, 1.0]]


def test_aten_bce_with_logits_broadcasts_the_input_to_the_target():
    out = fg.binary_cross_entropy_with_logits(fg.tensor(X)[0], fg.tensor(Y))
    assert [round(v, 4) for v in out.flatten().tolist()] == [0.9741, 1.3133, 0.1269, 0.9741, 0.8133, 0.1269]
    total = fg.binary_cross_entropy_with_logits(fg.tensor(X)[0], fg.tensor(Y), reduction=2)
    assert round(total.item(), 4) == 4.3285


@pytest.mark.parametrize(("input_rows", "target", "kwargs", "message"), [
    (2, [0.3], {}, "output with shape [] doesn't match the broadcast shape [2, 3]"),
    (2, Y[0], {}, "output with shape [3] doesn't match the broadcast shape [2, 3]"),
    (1, Y, {"pos_weight": [1.0, 2.0, 3.0]}, "output with shape [3] doesn't match the broadcast shape [2, 3]"),
])
def test_aten_bce_with_logits_refuses_a_target_the_input_would_grow(input_rows, target, kwargs, message):
    x = fg.tensor(X) if input_rows == 2 else fg.tensor(X)[0]
    t = fg.tensor(target[0]) if target == [0.3] else fg.tensor(target)
    with raises(RuntimeError, message):
        fg.binary_cross_entropy_with_logits(x, t, **{k: fg.tensor(v) for k, v in kwargs.items()})


def test_aten_bce_with_logits_refuses_integer_logits_first():
    with raises(NotImplementedError, "\"log_sigmoid_cpu\" not implemented for 'Long'"):
        fg.binary_cross_entropy_with_logits(fg.tensor(2), fg.tensor(Y))


# ---- int-list and int arguments given as one-element integer tensors --------------------


def test_deprecated_norms_read_int_lists_as_pytorch_parser():
    x = fg.tensor(X)
    assert [round(v, 4) for v in fg.frobenius_norm(x, fg.tensor(1)).tolist()] == [2.2913, 3.9051]
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)"):
        fg.frobenius_norm(x, fg.tensor(2))
    with raises(TypeError, "frobenius_norm(): argument 'dim' (position 2) must be tuple of ints, not Tensor"):
        fg.frobenius_norm(x, fg.zeros(0, 3))
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got -3)"):
        fg.nuclear_norm(x, -3)
    with raises(RuntimeError, "linalg.matrix_norm: dims must be different. Got (1, 1)"):
        fg.nuclear_norm(x, 1)
    with raises(TypeError, "nuclear_norm() received an invalid combination of arguments - got (Tensor, NoneType)"):
        fg.nuclear_norm(x, None)
    assert round(fg.nuclear_norm(x, True).item(), 4) == 6.0803


def test_hash_tensor_reads_a_none_dim_as_every_dim():
    x = fg.tensor(X)
    assert fg.hash_tensor(x, None).item() == 4619567317775286272
    assert fg.hash_tensor(x, fg.tensor(1)).tolist() == [13839561654909534208, 9226749736575303680]


def test_histogramdd_takes_a_0dim_int_tensor_bin_count():
    hist, _edges = fg.histogramdd(fg.tensor(X), fg.tensor(2))
    assert tuple(hist.shape) == (2, 2, 2)
    with raises(TypeError, "histogramdd() received an invalid combination of arguments - got (Tensor, Tensor)"):
        fg.histogramdd(fg.tensor(X), fg.tensor(2.0))


def test_randint_like_takes_a_0dim_tensor_high():
    assert fg.randint_like(fg.tensor(X), fg.tensor(1.5)).tolist() == [[0.0] * 3] * 2
    with raises(RuntimeError, "high must be a scalar tensor and on CPU"):
        fg.randint_like(fg.tensor(X), fg.tensor([1]))


def test_split_truncates_a_one_element_tensor_size():
    assert [tuple(p.shape) for p in fg.split(fg.tensor(X), fg.tensor(1.5))] == [(1, 3), (1, 3)]
    assert [tuple(p.shape) for p in fg.tensor(X).split(fg.tensor(2.5))] == [(2, 3)]


# ---- autograd: Variable's byte flags, grad-mode decorators ------------------------------


@pytest.mark.parametrize(("flag", "kind", "message"), [
    (None, TypeError, "'NoneType' object cannot be interpreted as an integer"),
    ("abc", TypeError, "'str' object cannot be interpreted as an integer"),
    (2.5, TypeError, "'float' object cannot be interpreted as an integer"),
    (-3, OverflowError, "unsigned byte integer is less than minimum"),
    (256, OverflowError, "unsigned byte integer is greater than maximum"),
    (2**63, OverflowError, "Python int too large to convert to C long"),
    ("X", TypeError, "only integer tensors of a single element can be converted to an index"),
])
def test_variable_parses_requires_grad_as_a_byte(flag, kind, message):
    x = fg.tensor(X)
    with raises(kind, message):
        fg.autograd.Variable(x, x if flag == "X" else flag)


def test_variable_takes_an_int_requires_grad_and_refuses_volatile_with_it():
    x = fg.tensor(X)
    assert fg.autograd.Variable(x, 1).requires_grad
    assert fg.autograd.Variable(x, fg.tensor(2)).requires_grad
    assert not fg.autograd.Variable(x, 0).requires_grad
    with raises(ValueError, "Variable can't be volatile and require_grad at the same time!"), pytest.warns(UserWarning):
        fg.autograd.Variable(x, True, True)


def test_enable_grad_takes_none_as_no_function():
    with fg.enable_grad(None):
        assert fg.is_grad_enabled()


def test_inference_mode_decorates_anything_but_a_bool():
    wrapped = fg.inference_mode(None)
    assert callable(wrapped) and not isinstance(wrapped, fg.inference_mode)
    with raises(TypeError, "'NoneType' object is not callable"):
        wrapped()


# ---- an array argument is a type error, not NumPy's truth-value error ------------------


def test_array_arguments_fail_pytorch_parser():
    x = fg.tensor(X)
    a = np.array(X, dtype=np.float32)
    with raises(TypeError, "promote_types(): argument 'type1' (position 1) must be"):
        fg.promote_types(a, x)
    with raises(TypeError, "view_copy() received an invalid combination of arguments - got (Tensor, numpy.ndarray)"):
        fg.view_copy(x, a)
    with raises(TypeError, "linalg_vector_norm(): argument 'ord' (position 2) must be Number, not numpy.ndarray"):
        fg.norm(x, a)
    with raises(TypeError, "linalg_vector_norm(): argument 'ord' (position 2) must be Number, not numpy.ndarray"):
        fg.nn.functional.normalize(x, a)
    assert round(fg.norm(fg.ones(2, 3), np.float32(3)).item(), 4) == 1.8171


# ---- device(type, index) as PyTorch's parser reads it -----------------------------------


@pytest.mark.parametrize(("args", "kind", "message"), [
    ((), TypeError, "device() received an invalid combination of arguments - got (), but expected one of:"),
    (("cpu", True), TypeError, "device(): argument 'index' (position 2) must be int, not bool"),
    (("cpu", 1.5), TypeError, "device(): argument 'index' (position 2) must be int, not float"),
    (("cpu", "X"), TypeError, "device(): argument 'index' (position 2) must be int, not Tensor"),
    (("cpu", -1), RuntimeError, "Device index must not be negative"),
    (("cpu", 2**63), ValueError, "Overflow when unpacking long long"),
    ((2**63,), ValueError, "Overflow when unpacking long long"),
    ((-3,), RuntimeError, "Device index must not be negative"),
    ((3, 1), TypeError, "device(): argument 'type' (position 1) must be str, not int"),
    (("cpu:0", 1), RuntimeError, "type (string) must not include an index because index was passed explicitly: cpu:0"),
])
def test_device_checks_its_type_and_index(args, kind, message):
    with raises(kind, message):
        fg.device(*[fg.tensor(X) if a == "X" else a for a in args])


def test_device_takes_a_one_element_int_tensor_index():
    assert fg.device("cpu", fg.tensor(1)).index == 1
    assert fg.device("cpu", None).index is None


# ---- top-level Python checks --------------------------------------------------------------


def test_unravel_index_checks_the_shape_type():
    with raises(TypeError, "expected 'shape' to be int or sequence of ints, but got <class '"):
        fg.unravel_index(fg.tensor([1, 2]), fg.tensor([2, 3]))
    with raises(TypeError, "expected 'shape' sequence to only contain ints, but got <class 'float'>"):
        fg.unravel_index(fg.tensor([1, 2]), [2, 3.0])
    assert [t.tolist() for t in fg.unravel_index(fg.tensor([1, 2]), (True, 2))] == [[0, 0], [1, 0]]


@pytest.mark.parametrize("value", [None, "abc", 3, []])
def test_from_dlpack_refuses_a_non_capsule_as_an_invalid_capsule(value):
    with raises(RuntimeError, "from_dlpack received an invalid capsule."):
        fg.from_dlpack(value)


def test_pinv_tolerance_tensors_are_checked_before_use():
    x = fg.tensor(X)
    with raises(RuntimeError, "torch.linalg.pinv: rcond tensor of complex type is not supported. Got ComplexFloat"):
        fg.linalg.pinv(x, x.to(fg.complex64))
    with raises(RuntimeError, "The function 'linalg_pinv' is not differentiable with respect to argument 'rtol'."):
        fg.linalg.pinv(x, x.clone().requires_grad_())
    with fg.no_grad():
        assert tuple(fg.linalg.pinv(x, x.clone().requires_grad_()).shape) == (2, 3, 3, 2)
    assert tuple(fg.linalg.pinv(fg.zeros(0, 3), x).shape) == (3, 0)  # no singular values: no batch


def test_split_copy_takes_only_an_integer_tensor_size():
    with raises(TypeError, "split_copy(): argument 'split_size' (position 2) must be int, not Tensor"):
        fg.split_copy(fg.tensor(X), fg.tensor(1.5))
    assert len(fg.split_copy(fg.tensor(X), fg.tensor(1))) == 2


def test_rfftfreq_of_a_negative_length_counts_as_c_division():
    assert fg.fft.rfftfreq(-3).tolist() == []
    assert fg.fft.rfftfreq(-1).tolist() == [0.0]
    with raises(RuntimeError, "Trying to create tensor with negative dimension -1: [-1]"):
        fg.fft.rfftfreq(-4)


@pytest.mark.parametrize("min_val", [float("inf"), 2**63, 3.0, "T1.5"])
def test_hardtanh_inplace_takes_bounds_out_of_order(min_val):
    x = fg.tensor(X)
    out = fg.nn.functional.hardtanh_(x, fg.tensor(1.5) if min_val == "T1.5" else min_val)
    assert out is x
    assert x.tolist() == [[1.0] * 3] * 2


def test_hardtanh_inplace_with_bounds_out_of_order_passes_no_gradient():
    x = fg.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    fg.nn.functional.hardtanh_(x * 1, 3.0, 1.0).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 0.0]]
    with raises(ValueError, "min_val cannot be greater than max_val"):
        fg.nn.functional.hardtanh(x, 3.0, 1.0)


def test_special_binary_ops_take_an_int_past_int64_as_its_float():
    x = fg.tensor(X)
    out = fg.special.xlog1py(x, 2**63)
    assert [round(v, 3) for v in out.flatten().tolist()[:4]] == [21.834, -43.668, 87.337, 131.005]
    z = fg.special.zeta(x, 2**63)
    assert z.dtype == fg.float32
    assert [round(v * 1e19, 3) for v in z.flatten().tolist()[2:3]] == [1.084]


# ---- nn: kernels PyTorch has (rrelu in bfloat16) or lacks (narrow-int transposed convs) ---


@pytest.mark.parametrize(("dtype", "kind"), [("uint8", "Byte"), ("int8", "Char"), ("int16", "Short"), ("int32", "Int")])
def test_transposed_conv_of_a_narrow_int_input_has_no_kernel(dtype, kind):
    x = fg.ones(1, 2, 3, dtype=getattr(fg, dtype))
    with raises(NotImplementedError, f"\"slow_conv_transpose2d_out_cpu\" not implemented for '{kind}'"):
        fg.nn.functional.conv_transpose1d(x, fg.ones(2, 3, 1))
    with raises(NotImplementedError, f"\"slow_conv_transpose3d_out_cpu\" not implemented for '{kind}'"):
        fg.nn.functional.conv_transpose3d(x[..., None, None], fg.ones(2, 3, 1, 1, 1))


def test_rrelu_trains_in_bfloat16():
    fg.manual_seed(0)
    out = fg.nn.functional.rrelu(fg.tensor(X).bfloat16(), training=True)
    assert out.dtype == fg.bfloat16
    assert [round(v, 4) for v in out.float().flatten().tolist()] == [0.5, -0.3262, 2.0, 3.0, 0.0, -0.5508]
    with raises(NotImplementedError, "\"rrelu_with_noise_out_cpu\" not implemented for 'Half'"):
        fg.nn.functional.rrelu(fg.tensor(X).half(), training=True)


def test_disable_torch_function_contexts_ignore_arguments():
    assert type(fg.DisableTorchFunction(None, 3, x=1)).__name__ == "DisableTorchFunction"
    with fg.DisableTorchFunctionSubclass(None) as entered:
        assert entered is None
    assert type(fg.DisableTorchFunctionSubclass()).__name__ == "DisableTorchFunctionSubclass"


def test_untyped_storage_takes_a_0dim_int_tensor_size():
    assert len(fg.UntypedStorage(fg.tensor(2))) == 2
    with raises(RuntimeError, "UntypedStorage(): Expected a sequence type, but got Tensor"):
        fg.UntypedStorage(fg.tensor(2.0))


@pytest.mark.parametrize("pad", [[], [1, 1], 1])
def test_constant_pad_nd_refuses_a_tensor_pad(pad):
    with raises(TypeError, "constant_pad_nd(): argument 'pad' (position 2) must be tuple of ints, not Tensor"):
        fg.constant_pad_nd(fg.tensor(X), fg.tensor(pad) if pad else fg.zeros(0, 3))


# ---- unfold/fold: PyTorch's Python `_pair`, then its parser's int list ---------------------


@pytest.mark.parametrize(("kernel_size", "kind", "message"), [
    (True, TypeError, ("im2col(): argument 'kernel_size' (position 2) must be tuple of ints, but found element of "
                      "type bool at pos 0")),
    (1.5, TypeError, ("im2col(): argument 'kernel_size' (position 2) must be tuple of ints, but found element of "
                     "type float at pos 0")),
    ("T", TypeError, "iteration over a 0-d tensor"),
    ((2,), RuntimeError, "It is expected kernel_size equals to 2, but got size 1"),
])
def test_unfold_reads_kernel_size_as_pytorch(kernel_size, kind, message):
    with raises(kind, message):
        fg.nn.functional.unfold(fg.ones(1, 2, 3, 3), fg.tensor(2) if kernel_size == "T" else kernel_size)


def test_unfold_and_fold_take_a_bool_past_the_first_element():
    assert tuple(fg.nn.functional.unfold(fg.ones(1, 2, 3, 3), [2, True]).shape) == (1, 4, 6)
    with raises(TypeError, "col2im(): argument 'kernel_size' (position 3) must be tuple of ints, but found element "
                           "of type bool at pos 0"):
        fg.nn.functional.fold(fg.ones(1, 8, 4), (3, 3), True)


# ---- nn.functional: PyTorch's Python checks run before its parser ------------------------


@pytest.mark.parametrize("name", ["dropout", "alpha_dropout", "feature_alpha_dropout", "hardtanh"])
def test_a_many_element_tensor_bound_fails_before_the_input_type_check(name):
    with raises(RuntimeError, "Boolean value of Tensor with more than one value is ambiguous"):
        getattr(fg.nn.functional, name)(None, fg.tensor(X))


@pytest.mark.parametrize("name", ["alpha_dropout", "feature_alpha_dropout"])
def test_alpha_dropouts_refuse_a_non_tensor_input_after_checking_p(name):
    with raises(TypeError, f"{name}(): argument 'input' (position 1) must be Tensor, not list"):
        getattr(fg.nn.functional, name)([1.0, 2.0])
    with raises(ValueError, "dropout probability has to be between 0 and 1, but got 2"):
        getattr(fg.nn.functional, name)([1.0, 2.0], 2)


def test_glu_asks_the_input_its_dim_first():
    with raises(AttributeError, "'NoneType' object has no attribute 'dim'"):
        fg.nn.functional.glu(None, fg.tensor(X))
    with raises(RuntimeError, "glu does not support scalars because halving size must be even"):
        fg.nn.functional.glu(fg.tensor(1.5), fg.tensor(X))
    with raises(TypeError, "glu(): argument 'dim' (position 2) must be int, not numpy.ndarray"):
        fg.nn.functional.glu(fg.tensor(X), np.ones(3))


def test_instance_norm_checks_the_spatial_size_before_the_running_stats():
    with raises(ValueError, "Expected more than 1 spatial element when training, got input size"):
        fg.nn.functional.instance_norm(fg.tensor(X), "abc")


@pytest.mark.parametrize(("num_groups", "kind", "message"), [
    ("many", RuntimeError, "Boolean value of Tensor with more than one value is ambiguous"),
    (0, ZeroDivisionError, "division"),
    (4, ValueError, "Expected more than 1 value per channel when training, got input size [1, 4, 1]"),
    (-3, RuntimeError, "Expected num groups to be greater than 0, got -3"),
])
def test_group_norm_verifies_the_batch_before_reading_num_groups(num_groups, kind, message):
    groups = fg.tensor([[1, 2, 3], [4, 5, 6]]) if num_groups == "many" else num_groups
    with raises(kind, message):
        fg.nn.functional.group_norm(fg.ones(1, 4, 1) if num_groups == 4 else fg.ones(2, 4, 3), groups)


@pytest.mark.parametrize(("size", "kind", "message"), [
    ("abc", NotImplementedError, "affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms"),
    ((1, 1, 2.0, 2), TypeError, "affine_grid_generator(): argument 'size' failed to unpack the object at pos 3"),
    ((1.0, 1, 2, 2), TypeError, ("affine_grid_generator(): argument 'size' (position 2) must be tuple of ints, but "
                                "found element of type float at pos 0")),
])
def test_affine_grid_checks_size_as_given_then_as_ints(size, kind, message):
    theta = fg.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    with raises(kind, message):
        fg.nn.functional.affine_grid(theta, size, False)
    assert tuple(fg.nn.functional.affine_grid(theta, (1, 1, fg.tensor(2), 2), False).shape) == (1, 2, 2, 2)


@pytest.mark.parametrize("name", ["dropout", "hardtanh", "alpha_dropout", "relu"])
def test_too_many_arguments_fail_in_python_before_inplace_is_tested(name):
    x = fg.tensor(X)
    with raises(TypeError, f"{name}() takes from 1 to"):
        getattr(fg.nn.functional, name)(*[x] * 7)


def test_glu_takes_a_0dim_int_tensor_dim_only():
    x = fg.tensor(X).T
    assert tuple(fg.nn.functional.glu(x, fg.tensor(1)).shape) == (3, 1)
    with raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)"):
        fg.nn.functional.glu(x, fg.tensor(2))
    with raises(TypeError, "glu(): argument 'dim' (position 2) must be int, not Tensor"):
        fg.nn.functional.glu(x, fg.tensor([1]))


# ---- nn modules --------------------------------------------------------------------------


@pytest.mark.parametrize(("dtype", "kind"), [("bool", "Bool"), ("complex64", "ComplexFloat")])
def test_embedding_bag_of_2d_input_makes_its_offsets_in_the_input_dtype(dtype, kind):
    with raises(NotImplementedError, f"\"arange_cpu\" not implemented for '{kind}'"):
        fg.nn.EmbeddingBag(10, 3)(fg.ones(2, 3, dtype=getattr(fg, dtype)))


@pytest.mark.parametrize(("dtype", "kind", "message"), [
    ("complex64", NotImplementedError, "\"min_all\" not implemented for 'ComplexFloat'"),
    ("uint8", RuntimeError, "argument #2 'target' is out of range"),
    ("float32", RuntimeError, "expected scalar type Long but found Float"),
])
def test_multilabel_margin_loss_checks_the_target_range_before_its_dtype(dtype, kind, message):
    target = fg.tensor([[1, 0, -1], [2, -1, 0]]).to(getattr(fg, dtype))
    with raises(kind, message):
        fg.nn.functional.multilabel_margin_loss(fg.tensor(X), target)


def test_parameter_dict_stores_each_pair_before_checking_the_next():
    with raises(TypeError, "Index given to ParameterDict cannot be used as a key as it is not a string (type is 'int')"):
        fg.nn.ParameterDict([[1, 2], [3]])
    assert list(fg.nn.ParameterDict(["ab", "cd"]).keys()) == ["a", "c"]


def test_poisson_draws_in_bfloat16_as_in_float32():
    rates = fg.tensor([[0.5, 1.0, 2.0], [3.0, 0.0, 25.0]])
    fg.manual_seed(0)
    out = fg.poisson(rates.bfloat16())
    assert out.dtype == fg.bfloat16
    assert out.tolist() == [[2.0, 3.0, 2.0], [2.0, 0.0, 27.0]]
    with raises(RuntimeError, "invalid Poisson rate, expected rate to be non-negative"):
        fg.poisson(fg.tensor([0.5, -1.0]).bfloat16())


@pytest.mark.parametrize(("name", "kernel"), [("_standard_gamma", "gamma_cpu"), ("_sample_dirichlet", "dirichlet")])
def test_gamma_samplers_have_no_bfloat16_kernel(name, kernel):
    with raises(NotImplementedError, f"\"{kernel}\" not implemented for 'BFloat16'"):
        getattr(fg, name)(fg.tensor([[0.5, 1.0], [2.0, 3.0]]).bfloat16())


# ---- top-level leftovers -------------------------------------------------------------------


@pytest.mark.parametrize("size", [float("nan"), float("inf"), 2**63])
def test_sym_constrain_range_refuses_a_size_past_int64(size):
    with raises(RuntimeError, "value cannot be converted to type int64_t without overflow"):
        fg.sym_constrain_range(size)
    with raises(RuntimeError, "value cannot be converted to type int64_t without overflow"):
        fg.sym_constrain_range_for_size(size)


@pytest.mark.parametrize("tensors", [[], ()])
def test_dequantize_of_a_list_has_no_cpu_kernel(tensors):
    with raises(NotImplementedError, "There were no tensor arguments to this function"):
        fg.dequantize(tensors)


def test_get_device_module_is_looked_up_by_a_hashable_device():
    with raises(TypeError, "unhashable type: 'list'"):
        fg.get_device_module([])
    assert fg.get_device_module("cpu") is fg.cpu


@pytest.mark.parametrize("name", ["Event", "Stream"])
@pytest.mark.parametrize(("device", "kind", "message"), [
    (2**63, ValueError, "Overflow when unpacking long long"),
    (-3, RuntimeError, "Device index must not be negative"),
    (3, RuntimeError, "Cannot access accelerator device when none is available."),
    (True, TypeError, "(): argument 'device' (position 1) must be"),
])
def test_streams_and_events_read_a_device_as_pytorch(name, device, kind, message):
    with raises(kind, message):
        getattr(fg, name)(device)


def test_polynomials_take_an_int_past_int64_as_its_float():
    x = fg.tensor(X)
    assert fg.special.chebyshev_polynomial_t(x, 2**63).tolist() == fg.special.chebyshev_polynomial_t(
        x, float(2**63)).tolist()
    out = fg.special.hermite_polynomial_h(2**63, fg.tensor([0.0, 1.0]))
    assert out.tolist() == [1.0, 2 * 2.0**63]


def test_a_failure_inside_the_op_still_gets_pytorch_parser_error():
    with raises(TypeError, "linalg_lu() takes 1 positional argument but 2 were given"):
        fg.linalg.lu(fg.ones(2, 2, dtype=fg.int64), fg.tensor(X))
