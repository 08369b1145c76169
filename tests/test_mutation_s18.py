"""Session 18 differences from PyTorch 2.13 (CPU) found by `tools/opinfo_diff.py --mutate`
over every OpInfo: what the `out=` form of a function does when an argument requires
grad (which depends on the arguments), `bernoulli` into integer and bool `out`, the
unbatched in-place channel dropouts, `masked_scatter_`'s expand error, an empty
`pixel_unshuffle`, int arguments past int64, huge bin counts, and the exception types
of some bad calls. Expected values, node names, types and messages are PyTorch's; the
file also runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re

import numpy as np
import pytest
from backend import fg

F = fg.nn.functional
BIG = 2**63  # past int64: PyTorch's parser refuses it where it reads an int
OUT_REFUSED = "(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad."
LEAF = "a leaf Variable that requires grad is being used in an in-place operation."


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


def node(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


def leaf(*shape, dtype=None):
    return fg.ones(*shape, dtype=dtype or fg.float32, requires_grad=True)


# ---- 1. out= while an argument requires grad: the path depends on the arguments ----------

def test_out_of_a_composite_copies_its_differentiable_result():
    a = fg.eye(6).reshape(2, 3, 6).requires_grad_()
    assert node(fg.linalg.tensorsolve(a, fg.ones(2, 3), out=fg.zeros(6))) == "CopyBackwards"
    x = fg.eye(3, requires_grad=True)
    # with a tolerance PyTorch composes pinv of other ops; the positional rcond too
    assert node(fg.linalg.pinv(x, atol=0.1, out=fg.zeros(3, 3))) == "CopyBackwards"
    assert node(fg.linalg.pinv(x, 0.1, out=fg.zeros(3, 3))) == "CopyBackwards"
    r = fg.linalg.matrix_power(x, 1, out=fg.zeros(3, 3))  # the input, copied
    assert node(r) == "CopyBackwards"
    r.sum().backward()
    assert x.grad.tolist() == fg.ones(3, 3).tolist()
    with raises(RuntimeError, LEAF):  # the copy into a leaf out that requires grad
        fg.linalg.tensorsolve(a, fg.ones(2, 3), out=fg.zeros(6, requires_grad=True))


def test_matrix_power_out_follows_n():
    x = (fg.eye(2) * 2).requires_grad_()
    r = fg.matrix_power(x, 0, out=fg.zeros(2, 2))  # the identity, copied: no graph
    assert node(r) is None and r.tolist() == [[1.0, 0.0], [0.0, 1.0]]
    with raises(RuntimeError, LEAF):
        fg.linalg.matrix_power(fg.eye(2), 0, out=fg.zeros(2, 2, requires_grad=True))
    for n in (2, 3, -2):
        with raises(RuntimeError, "matmul" + OUT_REFUSED):
            fg.linalg.matrix_power(x, n, out=fg.zeros(2, 2))
    with raises(RuntimeError, "linalg_inv_ex" + OUT_REFUSED):
        fg.linalg.matrix_power(x, -1, out=fg.zeros(2, 2))


def test_out_kernels_without_a_derivative_record_not_implemented():
    x = leaf(4)
    # ifft/ihfft of a real signal end in conj_physical's out= kernel
    for fn in (fg.fft.ifft, fg.fft.ihfft):
        r = fn(x, out=fg.zeros(0, dtype=fg.complex64))
        assert node(r) == "NotImplemented"
        with raises(RuntimeError, "derivative for aten::conj_physical is not implemented"):
            r.abs().sum().backward()
    with raises(RuntimeError, "aten::conj_physical" + OUT_REFUSED):
        fg.fft.ifft(fg.ones(4), out=fg.zeros(4, dtype=fg.complex64, requires_grad=True))
    ld, piv = fg.linalg.ldl_factor(fg.eye(3))
    r = fg.linalg.ldl_solve(ld, piv, leaf(3, 3), out=fg.zeros(3, 3))
    assert node(r) == "NotImplemented"
    with raises(RuntimeError, "derivative for aten::linalg_ldl_solve is not implemented"):
        r.sum().backward()
    for fn in (fg.linspace, fg.logspace):
        r = fn(fg.tensor(0.0, requires_grad=True), fg.tensor(1.0), 3, out=fg.zeros(3))
        assert node(r) == "NotImplemented"
        with raises(RuntimeError, f"derivative for aten::{fn.__name__} is not implemented"):
            r.sum().backward()


@pytest.mark.parametrize("call, kernel", [
    (lambda: fg.fft.fft(leaf(4), out=fg.zeros(0, dtype=fg.complex64)), "_fft_r2c"),
    (lambda: fg.fft.fft(leaf(4, dtype=fg.complex64), out=fg.zeros(0, dtype=fg.complex64)), "_fft_c2c"),
    (lambda: fg.fft.ifft(leaf(4, dtype=fg.complex64), out=fg.zeros(0, dtype=fg.complex64)), "_fft_c2c"),
    (lambda: fg.fft.rfft2(leaf(4, 4), out=fg.zeros(0, dtype=fg.complex64)), "_fft_r2c"),
    (lambda: fg.fft.fftn(leaf(4, 4), out=fg.zeros(0, dtype=fg.complex64)), "_fft_c2c"),
    (lambda: fg.fft.ihfft2(leaf(4, 4), out=fg.zeros(0, dtype=fg.complex64)), "_fft_c2c"),
    (lambda: fg.fft.irfft(leaf(4, dtype=fg.complex64), out=fg.zeros(0)), "_fft_c2r"),
    (lambda: fg.fft.hfftn(leaf(4, 4, dtype=fg.complex64), out=fg.zeros(0)), "_fft_c2r"),
    (lambda: fg.linalg.pinv(fg.eye(3, requires_grad=True), out=fg.zeros(3, 3)), "linalg_pinv"),
    (lambda: fg.linalg.pinv(fg.eye(3), hermitian=True, out=fg.zeros(3, 3, requires_grad=True)), "linalg_pinv"),
    (lambda: fg.inner(fg.tensor(2.0, requires_grad=True), fg.ones(3), out=fg.zeros(0)), "mul"),
    (lambda: fg.inner(fg.ones(3), fg.tensor(2.0, requires_grad=True), out=fg.zeros(0)), "mul"),
])
def test_out_kernels_that_refuse_name_the_kernel_pytorch_runs(call, kernel):
    with raises(RuntimeError, kernel + OUT_REFUSED):
        call()


def test_inner_of_vectors_still_copies_into_out():
    assert node(fg.inner(leaf(3), fg.ones(3), out=fg.zeros(0))) == "CopyBackwards"


def test_out_routes_read_operands_given_by_keyword():
    with raises(RuntimeError, "mul" + OUT_REFUSED):
        fg.inner(input=fg.tensor(2.0, requires_grad=True), other=fg.ones(3), out=fg.zeros(0))
    with raises(RuntimeError, "_fft_c2c" + OUT_REFUSED):
        fg.fft.ifft(input=leaf(4, dtype=fg.complex64), out=fg.zeros(0, dtype=fg.complex64))


# ---- 2. bernoulli draws straight into an out of any real dtype --------------------------

@pytest.mark.parametrize("dtype, expected", [
    ("int64", [1, 0, 1, 1, 1, 0]), ("int32", [1, 0, 1, 1, 1, 0]), ("uint8", [1, 0, 1, 1, 1, 0]),
    ("bool", [True, False, True, True, True, False]), ("float64", [1.0, 0.0, 1.0, 1.0, 1.0, 0.0]),
])
def test_bernoulli_writes_its_draws_into_an_integer_or_bool_out(dtype, expected):
    fg.manual_seed(0)
    out = fg.empty(6, dtype=getattr(fg, dtype))
    r = fg.bernoulli(fg.full((6,), 0.5), out=out)
    assert r is out and r.dtype == getattr(fg, dtype) and r.tolist() == expected


def test_bernoulli_refuses_a_complex_out():
    with raises(NotImplementedError, "\"bernoulli_tensor_cpu_self_\" not implemented for 'ComplexFloat'"):
        fg.bernoulli(fg.full((3,), 0.5), out=fg.empty(3, dtype=fg.complex64))


# ---- 3. in place: unbatched channel dropout goes through unsqueeze_ ---------------------

@pytest.mark.parametrize("fn, shape", [(F.dropout1d, (2, 3)), (F.dropout3d, (2, 2, 2, 2))])
@pytest.mark.parametrize("p, training", [(0.0, True), (0.5, False), (0.5, True)])
def test_unbatched_inplace_channel_dropout_refuses_a_leaf(fn, shape, p, training):
    with raises(RuntimeError, LEAF):
        fn(leaf(*shape), p=p, training=training, inplace=True)


@pytest.mark.parametrize("fn, shape", [(F.dropout1d, (2, 3)), (F.dropout3d, (2, 2, 2, 2))])
def test_unbatched_inplace_channel_dropout_returns_its_input_with_its_shape(fn, shape):
    x = fg.ones(*shape) * 1
    r = fn(x, p=0.0, training=True, inplace=True)
    assert r is x and tuple(r.shape) == shape and r.sum().item() == float(np.prod(shape))


def test_masked_scatter_inplace_mask_must_expand_to_self():
    with raises(RuntimeError, "The expanded size of the tensor (1) must match the existing size (4) at "
                              "non-singleton dimension 0.  Target sizes: [1, 3].  Tensor sizes: [4, 3]"):
        fg.ones(1, 3).masked_scatter_(fg.ones(4, 3, dtype=fg.bool), fg.ones(12))
    with raises(RuntimeError, "The size of tensor a (4) must match the size of tensor b (2) at non-singleton "
                              "dimension 0"):
        fg.ones(2, 3).masked_scatter(fg.ones(4, 3, dtype=fg.bool), fg.ones(12))


def test_pixel_unshuffle_of_an_empty_input_keeps_its_shape():
    x = fg.zeros(0, 1, 6, 6, requires_grad=True)
    r = F.pixel_unshuffle(x, 3)
    assert tuple(r.shape) == (0, 1, 6, 6) and node(r) == "PixelUnshuffleBackward0"
    assert tuple(F.pixel_shuffle(fg.zeros(0, 9, 2, 2), 3).shape) == (0, 1, 6, 6)
    with raises(RuntimeError, "pixel_unshuffle expects height to be divisible by downscale_factor"):
        F.pixel_unshuffle(fg.zeros(0, 1, 5, 6), 3)


# ---- 4. int arguments past int64, huge bin counts, size lists of the wrong length -------

@pytest.mark.parametrize("call", [
    lambda: fg.hsplit(fg.ones(6), BIG),
    lambda: fg.vsplit(fg.ones(6, 5), BIG),
    lambda: fg.dsplit(fg.ones(5, 5, 6), BIG),
    lambda: fg.unsafe_chunk(fg.ones(5, 5), 5, BIG),
    lambda: F.channel_shuffle(fg.ones(1, 4, 2, 2), BIG),
    lambda: fg.linalg.tensorinv(fg.ones(2, 2, 3, 12, 1), ind=BIG),
    lambda: fg.linalg.vander(fg.ones(3), N=BIG),
    lambda: F.cosine_similarity(fg.ones(5, 5), fg.ones(5, 5), dim=BIG),
    lambda: fg.hash_tensor(fg.ones(()), dim=BIG),
    lambda: fg.gradient(fg.ones(5), edge_order=BIG),
    lambda: fg.histogram(fg.ones(3), BIG),
    lambda: fg.linalg.vecdot(fg.ones(3), fg.ones(3), dim=BIG),
    lambda: F.fractional_max_pool2d(fg.ones(1, 3, 9, 9), BIG, output_size=2),
    lambda: F.fractional_max_pool2d(fg.ones(1, 3, 9, 9), 3, output_size=BIG),
])
def test_an_int_past_int64_is_the_parsers_value_error(call):
    with raises(ValueError, "Overflow when unpacking long long"):
        call()


@pytest.mark.parametrize("call", [lambda: fg.histc(fg.ones(3), 2**40), lambda: fg.histogram(fg.ones(3), 2**40)])
def test_a_bin_count_memory_cannot_hold_is_the_allocators_error(call):
    # PyTorch allocates the bins + 1 float32 edges first
    with raises(RuntimeError, "you tried to allocate 4398046511108 bytes"):
        call()


def test_fractional_max_pool_sizes_of_the_wrong_length():
    with raises(RuntimeError, "fractional_max_pool2d: output_size must either be a single Int or tuple of Ints"):
        F.fractional_max_pool2d(fg.ones(1, 3, 9, 9), 3, output_size=[2, 3, 2])
    with raises(RuntimeError, "fractional_max_pool3d: kernel_size must either be a single Int or tuple of three Ints"):
        F.fractional_max_pool3d(fg.ones(2, 3, 5, 5, 5), [2, 2, 2, 2], output_size=2)


# ---- 5. exception types of bad calls -----------------------------------------------------

def test_trapezoid_rules_of_0_dim_sample_points_broadcast_as_pytorch():
    msg = "The size of tensor a (2) must match the size of tensor b (0) at non-singleton dimension 1"
    for fn in (fg.trapezoid, fg.trapz, fg.cumulative_trapezoid):
        with raises(RuntimeError, msg):
            fn(fg.ones(2, 3), fg.tensor(1.0))
    # x of fewer dims than y gets leading dims of size 1
    y = fg.tensor([[1.0, 2.0, 4.0], [0.0, 1.0, 1.0]])
    assert fg.trapezoid(y, fg.tensor([[0.0, 1.0, 3.0]])).tolist() == [7.5, 2.5]


def test_trapezoid_rules_of_0_dim_values_raise_index_error():
    with raises(IndexError, "Dimension specified as -1 but tensor has no dimensions"):
        fg.trapezoid(fg.tensor(1.0))
    with raises(IndexError, "Dimension specified as 0 but tensor has no dimensions"):
        fg.trapezoid(fg.tensor(1.0), fg.ones(2, 3))
    with raises(IndexError, "slice() cannot be applied to a 0-dim tensor."):
        fg.cumulative_trapezoid(fg.tensor(1.0), fg.ones(2, 3))
    with raises(IndexError, "slice() cannot be applied to a 0-dim tensor."):
        fg.cumulative_trapezoid(fg.tensor(1.0), dim=1)
    with raises(IndexError, "Dimension specified as 1 but tensor has no dimensions"):
        fg.trapezoid(fg.tensor(1.0), dim=1)
    for fn in (fg.trapezoid, fg.cumulative_trapezoid):  # with sample points, dim is wrapped first
        with raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 1)"):
            fn(fg.tensor(1.0), fg.ones(2, 3), dim=1)


def test_searchsorted_refuses_0_dim_boundaries():
    with raises(RuntimeError, "torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 "
                              "dimension"):
        fg.searchsorted(fg.tensor(1.0), fg.ones(3))


@pytest.mark.parametrize("b_dtype, a_dtype, names", [
    ("int64", "float32", ("Long", "Float")), ("float32", "complex64", ("Float", "ComplexFloat")),
])
def test_triangular_solve_refuses_mixed_dtypes(b_dtype, a_dtype, names):
    with raises(RuntimeError, f"Expected b and A to have the same dtype, but found b of type {names[0]} and A of "
                              f"type {names[1]} instead."):
        fg.triangular_solve(fg.ones(3, 1, dtype=getattr(fg, b_dtype)), fg.eye(3, dtype=getattr(fg, a_dtype)))


@pytest.mark.parametrize("call, kernel", [
    (lambda x: F.huber_loss(x, fg.ones(3)), "huber_cpu"),
    (lambda x: fg.special.ndtr(x), "erf_vml_cpu"),
    (lambda x: F.rrelu(x, training=True), "rrelu_with_noise_out_cpu"),
])
def test_kernels_without_a_complex_form_refuse_complex_input(call, kernel):
    with raises(NotImplementedError, f"\"{kernel}\" not implemented for 'ComplexFloat'"):
        call(fg.ones(3, dtype=fg.complex64))


def test_renorm_refuses_a_nan_p():
    with raises(RuntimeError, "renorm: non-positive-norm not supported"):
        fg.renorm(fg.ones(2, 2), float("nan"), 0, 1.0)


def test_resize_as_function_refuses_a_non_tensor_template():
    with raises(TypeError, "resize_as_(): argument 'the_template' (position 2) must be Tensor, not numpy.ndarray"):
        fg.resize_as_(fg.ones(3), np.ones(3))


@pytest.mark.parametrize("start, end, step, kind, message", [
    (-1, 2, 0, RuntimeError, "step must be nonzero"),
    (-1, 2, float("nan"), RuntimeError, "step must be nonzero"),
    (-1, 2, 0.5, ValueError, "step must be nonzero"),  # truncates to 0 in the binding
    (2, 2.5, -1, RuntimeError, "upper bound and lower bound inconsistent with step sign"),
    (2, -3, float("inf"), RuntimeError, "upper bound and lower bound inconsistent with step sign"),
    (-1, 2, float("inf"), RuntimeError, "value cannot be converted to type int64_t without overflow"),
])
def test_integer_arange_checks_its_range_in_pytorchs_order(start, end, step, kind, message):
    with raises(kind, message):
        fg.arange(start, end, step, dtype=fg.int64)


def test_integer_arange_of_float_bounds_still_truncates():
    assert fg.arange(0, 5, 2.5, dtype=fg.int64).tolist() == [0, 2, 4]
    assert fg.arange(0.5, 3.7, 1, dtype=fg.int64).tolist() == [0, 1, 2]


@pytest.mark.parametrize("dtype, value, cname", [
    ("int64", float("inf"), "int64_t"), ("int64", float("nan"), "int64_t"), ("int64", 2**63, "int64_t"),
    ("int32", 2**40, "int"), ("uint8", 1e10, "uint8_t"), ("int16", float("inf"), "int16_t"),
])
def test_addcmul_converts_value_to_an_integer_dtype_checked(dtype, value, cname):
    x = fg.ones(2, dtype=getattr(fg, dtype))
    message = f"value cannot be converted to type {cname} without overflow"
    with raises(RuntimeError, message):
        fg.addcmul(x, x, x, value=value)
    with raises(RuntimeError, message):
        x.addcmul_(x, x, value=value)


@pytest.mark.parametrize("alpha", [float("inf"), float("nan"), 2**63])
def test_integer_index_add_converts_alpha_checked(alpha):
    x = fg.ones(3, dtype=fg.int64)
    with raises(RuntimeError, "value cannot be converted to type int64_t without overflow"):
        fg.index_add(x, 0, fg.tensor([0]), fg.ones(1, dtype=fg.int64), alpha=alpha)
    # a float alpha is truncated
    assert fg.index_add(x, 0, fg.tensor([0, 2]), fg.full((2,), 2, dtype=fg.int64), alpha=2.5).tolist() == [5, 1, 5]


def test_addcmul_wraps_a_negative_value_into_uint8():
    x = fg.ones(2, dtype=fg.uint8)
    assert fg.addcmul(x, x, x, value=-3).tolist() == [254, 254]  # 1 + 253


def test_block_diag_promotes_as_pytorchs_result_type_of_a_list():
    # 0-dim blocks decide the dtype only when of a higher category
    assert fg.block_diag(fg.tensor(1.0, dtype=fg.float64), fg.ones(2, 5, dtype=fg.complex64)).dtype == fg.complex64
    assert fg.block_diag(fg.tensor(1.0, dtype=fg.float64), fg.ones(2, 2)).dtype == fg.float32
    assert fg.block_diag(fg.tensor(1.0, dtype=fg.float64), fg.ones(2, 2, dtype=fg.int32)).dtype == fg.float64
    assert fg.block_diag(fg.ones(1, 2, dtype=fg.float64), fg.ones(2, 2)).dtype == fg.float64
    x = fg.tensor(2.0, dtype=fg.float64, requires_grad=True)
    out = fg.block_diag(x, fg.ones(2, 2))
    assert out.tolist() == [[2.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 1.0, 1.0]]
    out.sum().backward()
    assert x.grad.dtype == fg.float64 and x.grad.item() == 1.0


def test_complex_vander_of_a_size_memory_cannot_hold_raises_instead_of_aborting():
    # PyTorch allocates the N - 1 running powers: (2**40 - 1) complex64 elements
    with raises(RuntimeError, "you tried to allocate 8796093022200 bytes"):
        fg.linalg.vander(fg.ones((), dtype=fg.complex64), N=2**40)
    assert fg.linalg.vander(fg.tensor([1 + 1j, 2]), N=3).tolist() == [[1, 1 + 1j, 2j], [1, 2, 4]]


@pytest.mark.filterwarnings("ignore:.*is deprecated on 0-D tensors")
def test_conjugate_transposes_of_a_complex_0d_tensor_are_its_conjugate():
    # PyTorch's deprecated 0-d case is `x.conj()`: the tensor itself only when real
    x = fg.tensor(1 + 2j, requires_grad=True)
    for view in (x.H, x.mH, x.adjoint()):
        assert view.item() == 1 - 2j and node(view) == "ConjBackward0"
    x.H.real.backward()
    assert x.grad.item() == 1 + 0j


def test_tensordot_with_dim_lists_refuses_a_non_tensor_as_the_parser():
    with raises(TypeError, "tensordot(): argument 'input' (position 1) must be Tensor, not NoneType"):
        fg.tensordot(None, fg.ones(2, 2), dims=[[0], [1]])
    with raises(TypeError, "tensordot(): argument 'other' (position 2) must be Tensor, not numpy.ndarray"):
        fg.tensordot(fg.ones(2, 2), np.ones((2, 2)), dims=([0], [1]))
    with raises(AttributeError, "'list' object has no attribute 'dim'"):  # an int dims reads b.dim() first
        fg.tensordot(fg.ones(2, 2), [[1.0]], dims=1)


def test_index_fill_refuses_a_complex_0_dim_tensor_value_for_a_real_tensor():
    # it dropped the imaginary part and filled 0
    for value in (fg.tensor(1j), fg.tensor(1j, requires_grad=True)):
        with raises(RuntimeError, "index_fill_(): Converting complex Scalar to non-complex type is not supported"):
            fg.index_fill(fg.ones(3), 0, fg.tensor([0]), value)
    x = fg.ones(3, dtype=fg.complex64).index_fill_(0, fg.tensor([0]), fg.tensor(2j))
    assert x.tolist() == [2j, 1, 1]
