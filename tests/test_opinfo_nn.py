"""Regressions from PyTorch's OpInfo samples for nn.functional ops: expected values and
exception types observed from PyTorch 2.13, hard-coded."""

import ferrograd as torch
import ferrograd.nn.functional as F
import numpy as np
import pytest


def _values(t):
    return np.asarray(t.detach().numpy())


# --------------------------------------------------------------------------- complex inputs


def test_conv1d_complex_matches_pytorch():
    x = torch.tensor([[[1 + 2j, 0 - 1j, 3 + 0j, 2 + 1j]]], dtype=torch.complex64)
    w = torch.tensor([[[1 - 1j, 2 + 0j]]], dtype=torch.complex64)
    b = torch.tensor([0.5 + 1j], dtype=torch.complex64)
    out = F.conv1d(x, w, b)
    assert out.dtype == torch.complex64
    np.testing.assert_allclose(_values(out), [[[3.5 + 0j, 5.5 + 0j, 7.5 + 0j]]], rtol=1e-6)


def test_conv_transpose1d_complex_matches_pytorch():
    x = torch.tensor([[[1 + 2j, 0 - 1j, 3 + 0j, 2 + 1j]]], dtype=torch.complex64)
    w = torch.tensor([[[1 - 1j, 2 + 0j]]], dtype=torch.complex64)
    b = torch.tensor([0.5 + 1j], dtype=torch.complex64)
    out = F.conv_transpose1d(x, w, b)
    np.testing.assert_allclose(_values(out), [[[3.5 + 2j, 1.5 + 4j, 3.5 - 4j, 9.5 + 0j, 4.5 + 3j]]], rtol=1e-6)


def test_conv2d_complex128_unbatched_matches_pytorch():
    x = torch.tensor([[[1 + 1j, 2 - 1j, 0 + 3j], [1 + 0j, -1 + 1j, 2 + 2j], [0 - 2j, 1 + 1j, 1 + 0j]]],
                     dtype=torch.complex128)
    w = torch.tensor([[[[1 + 0j, 0 + 1j], [2 - 1j, 1 + 1j]]]], dtype=torch.complex128)
    out = F.conv2d(x, w)
    assert out.dtype == torch.complex128 and tuple(out.shape) == (1, 2, 2)
    np.testing.assert_allclose(_values(out), [[[2 + 2j, -2 + 6j], [-2 - 3j, 1 + 5j]]])


def test_conv2d_complex_input_with_real_weight_raises():
    x = torch.zeros(1, 1, 3, 3, dtype=torch.complex64)
    with pytest.raises(RuntimeError):
        F.conv2d(x, torch.zeros(1, 1, 2, 2))


def test_unfold_complex_matches_pytorch():
    x = torch.tensor([[[[1 + 1j, 2 - 1j, 0 + 3j], [1 + 0j, -1 + 1j, 2 + 2j], [0 - 2j, 1 + 1j, 1 + 0j]]]],
                     dtype=torch.complex128, requires_grad=True)
    out = F.unfold(x, 2)
    assert out.grad_fn.name() == "Im2ColBackward0"
    np.testing.assert_allclose(_values(out), [[
        [1 + 1j, 2 - 1j, 1 + 0j, -1 + 1j], [2 - 1j, 3j, -1 + 1j, 2 + 2j],
        [1 + 0j, -1 + 1j, -2j, 1 + 1j], [-1 + 1j, 2 + 2j, 1 + 1j, 1 + 0j]]])


@pytest.mark.parametrize("mode,expected", [
    ("reflect", [3 + 0j, -1j, 1 + 2j, -1j, 3 + 0j, 2 + 1j, 3 + 0j]),
    ("replicate", [1 + 2j, 1 + 2j, 1 + 2j, -1j, 3 + 0j, 2 + 1j, 2 + 1j]),
])
def test_pad_complex_matches_pytorch(mode, expected):
    x = torch.tensor([[[1 + 2j, 0 - 1j, 3 + 0j, 2 + 1j]]], dtype=torch.complex64)
    out = F.pad(x, (2, 1), mode=mode)
    assert out.dtype == torch.complex64
    np.testing.assert_allclose(_values(out), [[expected]])


def test_pad_reflect_complex_node_name():
    x = torch.tensor([[[1 + 1j, 2 - 1j, 0 + 3j]]], requires_grad=True)
    assert F.pad(x, (1, 1), mode="reflect").grad_fn.name() == "ReflectionPad1DBackward0"


# --------------------------------------------------------------------------- half precision


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_max_unpool_half_precision(dtype):
    dt = getattr(torch, dtype)
    out = F.max_unpool2d(torch.tensor([[[[1.5, 2.25]]]], dtype=dt), torch.tensor([[[[1, 6]]]]), 2,
                         output_size=(2, 4))
    assert out.dtype == dt
    np.testing.assert_array_equal(_values(out.float()), [[[[0, 1.5, 0, 0], [0, 0, 2.25, 0]]]])
    out1 = F.max_unpool1d(torch.tensor([[[1.5, 2.25]]], dtype=dt), torch.tensor([[[1, 2]]]), 2)
    np.testing.assert_array_equal(_values(out1.float()), [[[0, 1.5, 2.25, 0]]])


def test_rms_norm_float16_computes_in_float32():
    h = torch.tensor([[300.0, -400.0, 2.0]], dtype=torch.float16)  # squares overflow float16
    w = torch.tensor([1.5, -0.5, 2.0], dtype=torch.float16)
    out = F.rms_norm(h, [3], w)
    assert out.dtype == torch.float16
    np.testing.assert_allclose(_values(out.float()), [[1.55859375, 0.69287109375, 0.01385498046875]])
    np.testing.assert_allclose(_values(F.rms_norm(h, [3], eps=0.5).float()),
                               [[1.0390625, -1.3857421875, 0.006927490234375]])


@pytest.mark.parametrize("dtype,expected", [("float16", 0.99951171875), ("bfloat16", 1.0)])
def test_rms_norm_half_default_eps_is_float32s(dtype, expected):
    out = F.rms_norm(torch.tensor([0.01], dtype=getattr(torch, dtype)), [1])
    assert out.float().item() == expected


@pytest.mark.parametrize("dtype,expected", [
    ("bfloat16", [[[0.9921875, -1.09375], [2.953125, 0.94921875]]]),
    ("float16", [[[0.9921875, -1.0947265625], [2.951171875, 0.94921875]]]),
])
def test_scaled_dot_product_attention_half_rounds_once(dtype, expected):
    dt = getattr(torch, dtype)
    q = torch.tensor([[[0.5, 1.25], [2.0, -1.0]]], dtype=dt)
    k = torch.tensor([[[1.5, 0.75], [-0.5, 2.5]]], dtype=dt)
    v = torch.tensor([[[3.0, 1.0], [0.125, -2.0]]], dtype=dt)
    out = F.scaled_dot_product_attention(q, k, v)
    assert out.dtype == dt
    np.testing.assert_array_equal(_values(out.float()), expected)


# --------------------------------------------------------------------------- fractional max pooling


def test_fractional_max_pool2d_window_may_end_at_the_edge():
    x = torch.arange(36.0, dtype=torch.float64).reshape(1, 1, 6, 6).flip(-1).requires_grad_()
    samples = torch.tensor([[[0.3, 0.7]]], dtype=torch.float64)
    out, idx = F.fractional_max_pool2d(x, 4, output_size=3, return_indices=True, _random_samples=samples)
    assert out.grad_fn.name() == "FractionalMaxPool2DBackward0"
    np.testing.assert_array_equal(_values(out), [[[[23, 22, 21], [29, 28, 27], [35, 34, 33]]]])
    np.testing.assert_array_equal(_values(idx), [[[[18, 19, 20], [24, 25, 26], [30, 31, 32]]]])


def test_fractional_max_pool2d_bfloat16():
    x = torch.arange(36.0).reshape(1, 1, 6, 6).flip(-1).to(torch.bfloat16)
    samples = torch.tensor([[[0.3, 0.7]]]).to(torch.bfloat16)
    out, idx = F.fractional_max_pool2d(x, 2, output_size=3, return_indices=True, _random_samples=samples)
    assert out.dtype == torch.bfloat16
    np.testing.assert_array_equal(_values(out.float()), [[[[11, 9, 7], [23, 21, 19], [35, 33, 31]]]])
    np.testing.assert_array_equal(_values(idx), [[[[6, 8, 10], [18, 20, 22], [30, 32, 34]]]])


def test_fractional_max_pool3d_window_must_end_before_the_edge():
    x = torch.arange(216.0).reshape(1, 1, 6, 6, 6)
    with pytest.raises(RuntimeError, match=r"fractional_max_pool3d_out\(\): pool time 4 too large relative to "
                                           r"input time 6"):
        F.fractional_max_pool3d(x, 4, output_size=3, _random_samples=torch.rand(1, 1, 3))


def test_fractional_max_pool3d_empty_batch():
    x = torch.zeros(0, 2, 5, 5, 5, requires_grad=True)
    out = F.fractional_max_pool3d(x, 2, output_size=2)
    assert tuple(out.shape) == (0, 2, 2, 2, 2)
    assert out.grad_fn.name() == "FractionalMaxPool3DBackward0"


# --------------------------------------------------------------------------- normalisation


def test_group_norm_empty_batch():
    x = torch.zeros(0, 4, 3, requires_grad=True)
    out = F.group_norm(x, 2)
    assert tuple(out.shape) == (0, 4, 3)
    out.sum().backward()
    assert tuple(x.grad.shape) == (0, 4, 3)


def test_native_group_norm_statistics_are_differentiable():
    x = torch.tensor([[[1.0, 2.0], [3.0, 5.0]], [[0.5, -1.0], [2.0, 2.0]]], dtype=torch.float64, requires_grad=True)
    w = torch.tensor([1.0, 2.0], dtype=torch.float64)
    _, mean, rstd = torch.native_group_norm(x, w, None, 2, 2, 2, 1, 1e-5)
    assert mean.grad_fn.name() == "NativeGroupNormBackward0" and rstd.requires_grad
    np.testing.assert_allclose(_values(mean), [[2.75], [0.875]])
    np.testing.assert_allclose(_values(rstd), [[0.6761218583631888], [0.8040276533343065]])
    (mean.sum() * 2 + rstd.sum()).backward()
    np.testing.assert_allclose(_values(x.grad), [
        [[0.6352237535069074, 0.5579530372172461], [0.48068232092758467, 0.3261408883482619]],
        [[0.5487286336735383, 0.7436431683676913], [0.3538140989793852, 0.3538140989793852]]])


def test_native_group_norm_empty_batch():
    out, mean, rstd = torch.native_group_norm(torch.zeros(0, 4, 3), None, None, 0, 4, 3, 2, 1e-5)
    assert [tuple(t.shape) for t in (out, mean, rstd)] == [(0, 4, 3), (0, 2), (0, 2)]


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_empty_input_is_a_copy(training):
    x = torch.zeros(0, requires_grad=True)
    out = F.batch_norm(x, torch.zeros(0), torch.zeros(0), training=training)
    assert tuple(out.shape) == (0,)
    assert out.grad_fn.name() == "CloneBackward0"


def test_batch_norm_training_rank_errors():
    with pytest.raises(IndexError):
        F.batch_norm(torch.randn(5), None, None, training=True)
    with pytest.raises(IndexError):
        F.batch_norm(torch.tensor(1.0), None, None, training=True)
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        F.batch_norm(torch.randn(1), None, None, training=True)


# --------------------------------------------------------------------------- argument checks


def test_prelu_two_dim_weight_raises():
    with pytest.raises(RuntimeError, match="prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = 2"):
        F.prelu(torch.randn(2, 2), torch.randn(1, 1))


@pytest.mark.parametrize("margin", [-1.0, 0.0])
def test_triplet_margin_loss_margin_must_be_positive(margin):
    a = torch.randn(3, 4)
    with pytest.raises(ValueError, match=f"margin must be greater than 0, got {margin}"):
        F.triplet_margin_loss(a, a, a, margin=margin)


# --------------------------------------------------------------------------- node names, integer inputs


def test_linear_cross_entropy_with_options_node_names():
    a = torch.tensor([[1.0, 2.0]], requires_grad=True)
    w = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], requires_grad=True)
    opts = torch.nn.LinearCrossEntropyOptions()
    out = F.linear_cross_entropy(a, w, torch.tensor([2]), options=opts)
    assert out.grad_fn.name() == "GeneratedBackwardFor_torch_nn__linear_cross_entropy_batch_chunked_defaultBackward"
    assert out.item() == pytest.approx(0.40760594606399536)
    out = F.linear_cross_entropy(a, w, torch.tensor([2]), reduction="none", options=opts)
    assert out.grad_fn.name() == (
        "GeneratedBackwardFor_torch_nn__linear_cross_entropy_batch_chunked_no_reduction_defaultBackward")
    out = F.linear_cross_entropy(a[0], w, torch.tensor(1), reduction="sum", options=opts)
    assert out.grad_fn.name() == "SqueezeBackward1"
    assert out.item() == pytest.approx(1.4076058864593506)


def test_interpolate_nearest_uint8():
    x = torch.tensor([[[[1, 2], [3, 4]]]], dtype=torch.uint8)
    out = F.interpolate(x, size=(3, 3), mode="nearest")
    assert out.dtype == torch.uint8
    np.testing.assert_array_equal(_values(out), [[[[1, 1, 2], [1, 1, 2], [3, 3, 4]]]])
    exact = F.interpolate(x, size=(3, 3), mode="nearest-exact")
    np.testing.assert_array_equal(_values(exact), [[[[1, 2, 2], [3, 4, 4], [3, 4, 4]]]])
    out1 = F.interpolate(torch.tensor([[[5, 200, 7]]], dtype=torch.uint8), scale_factor=2, mode="nearest")
    np.testing.assert_array_equal(_values(out1), [[[5, 5, 200, 200, 7, 7]]])


def _foreign(module: str, name: str):
    """A stand-in for a PyTorch Python function: it hands unknown tensors to their
    `__torch_function__`, as PyTorch's do."""

    def call(*args):
        return type(args[0]).__torch_function__(call, (type(args[0]),), args, {})

    call.__module__, call.__name__ = module, name
    return call


def test_pytorch_function_given_ferrograd_tensors_runs_ours():
    a = torch.tensor([[0.0, 0.0], [1.0, 1.0]])
    b = torch.tensor([[3.0, 4.0], [1.0, 1.0]])
    out = _foreign("torch", "pairwise_distance")(a, b)  # PyTorch's builtin reports module "torch"
    np.testing.assert_allclose(_values(out), [5.0, 0.0], atol=1e-5)
    with pytest.raises(TypeError, match="no_such_op"):
        _foreign("torch.nn.functional", "no_such_op")(a, b)


def test_triplet_margin_with_distance_loss_foreign_distance_module():
    a = torch.tensor([[0.0, 0.0]])
    dist = _foreign("torch.nn.functional", "pairwise_distance")
    out = F.triplet_margin_with_distance_loss(a, a + 1, a, distance_function=dist)
    assert out.item() == pytest.approx(1.0 + 2 ** 0.5, abs=1e-5)


def test_istft_two_sided_real_signal_keeps_the_non_negative_frequencies():
    # not the transform of a real signal: PyTorch inverts its first n_fft // 2 + 1 bins with irfft
    x = torch.tensor([[1 + 2j, 0.5 - 1j], [2 - 1j, 1 + 1j], [-1 + 0.5j, 3 + 0j], [0 + 1j, -2 - 2j]],
                     dtype=torch.complex128)
    out = torch.istft(x, n_fft=4, hop_length=1, window=torch.ones(4, dtype=torch.float64), onesided=False,
                      center=False)
    assert out.dtype == torch.float64
    np.testing.assert_allclose(_values(out), [1.0, 1.1875, -1.0625, 0.1875, -0.125], atol=1e-12)


def test_multi_head_attention_half_adds_the_mask_in_one_rounding():
    # PyTorch's baddbmm rounds mask + q kᵀ once: 1000.08 + 1.99 -> 1004, not 1000 + 1.99 -> 1000
    bf = torch.bfloat16
    q = torch.tensor([[[31.375]]], dtype=bf)
    k = torch.tensor([[[31.875]], [[0.0]]], dtype=bf)
    v = torch.tensor([[[1.0]], [[-1.0]]], dtype=bf)
    mask = torch.tensor([[1.9921875, 1000.0]], dtype=bf)
    out, weights = F.multi_head_attention_forward(
        q, k, v, 1, 1, torch.ones(3, 1, dtype=bf), torch.zeros(3, dtype=bf), None, None, False, 0.0,
        torch.ones(1, 1, dtype=bf), torch.zeros(1, dtype=bf), attn_mask=mask, training=False)
    assert out.dtype == bf
    assert out.float().item() == 0.9609375
    np.testing.assert_array_equal(_values(weights.float()), [[[0.98046875, 0.0179443359375]]])


def test_batch_norm_bfloat16_rounds_the_batch_statistics_first():
    bf = torch.bfloat16
    x = torch.tensor([[1.0, 2.0], [3.0, 5.0], [-1.0, 0.5]], dtype=bf).reshape(3, 2, 1)
    rm = torch.tensor([0.5, -1.0], dtype=bf)
    rv = torch.tensor([2.0, 3.0], dtype=bf)
    w = torch.tensor([1.5, -2.0], dtype=bf)
    b = torch.tensor([0.25, 1.0], dtype=bf)
    out = F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.3, eps=0.1)
    assert out.dtype == bf
    np.testing.assert_array_equal(_values(out.float()).reshape(-1),
                                  [0.25, 1.53125, 2.0625, -1.640625, -1.5546875, 3.109375])
    np.testing.assert_allclose(_values(rm.float()), [0.6484375, 0.05078125], atol=1e-3)
    np.testing.assert_allclose(_values(rv.float()), [2.59375, 3.671875], atol=2e-2)


def test_batch_norm_half_keeps_the_node_and_gradient_dtype():
    x = torch.tensor([[1.0, 2.0], [3.0, 5.0], [-1.0, 0.5]], dtype=torch.float16, requires_grad=True)
    out = F.batch_norm(x, None, None, training=True)
    assert out.grad_fn.name() == "NativeBatchNormBackward0"
    out.float().sum().backward()
    assert x.grad.dtype == torch.float16


def test_unfold_complex_empty_batch():
    out = F.unfold(torch.zeros(0, 1, 5, 5, dtype=torch.complex64), 2)
    assert tuple(out.shape) == (0, 4, 16) and out.dtype == torch.complex64


@pytest.mark.parametrize("mode", ["reflect", "replicate"])
def test_pad_complex_empty_batch(mode):
    out = F.pad(torch.zeros(0, 1, 4, dtype=torch.complex128), (1, 1), mode=mode)
    assert tuple(out.shape) == (0, 1, 6)


def test_layer_norm_of_one_element_is_exactly_the_bias():
    x = torch.tensor([3.0])
    assert F.layer_norm(x, [1]).item() == 0.0
    assert F.layer_norm(x, [1], torch.tensor([2.0]), torch.tensor([0.5])).item() == 0.5
    assert F.layer_norm(torch.tensor([1000.0]), [1]).item() == 0.0


def test_istft_complex_window_divides_by_the_overlapped_squared_window():
    # PyTorch's envelope is the overlap-add of window ** 2 (complex here), not of |window| ** 2
    x = torch.tensor([[1 + 2j, 0.5 - 1j], [2 - 1j, 1 + 1j], [-1 + 0.5j, 3 + 0j], [0 + 1j, -2 - 2j]],
                     dtype=torch.complex128)
    w = torch.tensor([1 + 1j, 2 - 0.5j, 1.5 + 0j, 0.5 + 0.5j], dtype=torch.complex128)
    out = torch.istft(x, n_fft=4, hop_length=1, window=w, center=False, return_complex=True)
    np.testing.assert_allclose(_values(out), [
        0.5625 + 0.0625j, 0.95 + 0.36666666666666664j, -0.61875 + 0.23125j,
        0.7352941176470589 - 0.19117647058823528j, -0.875 - 1.125j], atol=1e-12)
