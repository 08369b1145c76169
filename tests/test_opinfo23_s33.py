"""Session 33 (opinfo23): PyTorch's OpInfo samples over the dtypes beyond the default
sweep (the narrow integers, float16, bfloat16, complex128); expectations are PyTorch's."""

from backend import fg

_IMAGE = [[[[0, 40, 80, 120, 160, 200, 240, 255], [255, 10, 20, 30, 40, 50, 60, 70],
            [5, 15, 25, 35, 45, 55, 65, 75], [100, 90, 80, 70, 60, 50, 40, 30]]]]


def test_upsample_bilinear2d_aa_uint8_uses_the_fixed_point_kernel():
    x = fg.tensor(_IMAGE, dtype=fg.uint8)
    out = fg.ops.aten._upsample_bilinear2d_aa(x, [3, 3], False, None, None)
    assert out.dtype == fg.uint8
    assert out.tolist() == [[[[56, 109, 178], [51, 38, 62], [67, 58, 48]]]]


def test_upsample_bicubic2d_aa_uint8_uses_the_fixed_point_kernel():
    x = fg.tensor(_IMAGE, dtype=fg.uint8)
    out = fg.ops.aten._upsample_bicubic2d_aa(x, [2, 5], False, None, None)
    assert out.tolist() == [[[[76, 38, 83, 123, 154], [67, 46, 47, 47, 47]]]]


def _half_transposed_conv_operands():
    x = ((fg.arange(18.0) % 7 - 3) * 1.7).reshape(1, 2, 3, 3).half()
    w = ((fg.arange(36.0) % 5 - 2) * 0.9).reshape(2, 2, 3, 3).half()
    return x, w, fg.tensor([0.1, -0.3]).half()


def test_conv_transpose2d_float16_rounds_each_kernel_offset_as_pytorch():
    x, w, b = _half_transposed_conv_operands()
    out = fg.nn.functional.conv_transpose2d(x, w, b)
    assert out.dtype == fg.float16
    assert out.tolist() == [[
        [[7.75390625, 7.75390625, 10.8125, 4.69140625, -2.9609375],
         [0.0999755859375, -4.484375, -10.6015625, -18.265625, 13.8671875],
         [-13.671875, 0.1038818359375, 29.15625, 7.75, -13.671875],
         [13.875, 7.74609375, -48.875, 7.75, 13.875],
         [-10.609375, 7.75390625, 13.875, -2.9609375, -2.9609375]],
        [[-9.4765625, 1.2314453125, 4.29296875, 7.34765625, 4.2890625],
         [2.759765625, 2.759765625, -1.8310546875, -12.53125, -15.6015625],
         [10.4140625, -26.296875, 7.34765625, 22.65625, 5.81640625],
         [8.8828125, 18.0625, -3.36328125, -33.96875, 2.7578125],
         [-12.5390625, -3.359375, 13.4765625, 5.8203125, -0.300048828125]]]]


def test_conv_transpose2d_float16_keeps_its_graph_and_version():
    x, w, b = _half_transposed_conv_operands()
    x.requires_grad_(True)
    out = fg.nn.functional.conv_transpose2d(x, w, b)
    assert type(out.grad_fn).__name__ == "ConvolutionBackward0"
    assert out._version == 0
    out.sum().backward()
    assert x.grad.dtype == fg.float16
    assert x.grad[0, 0].tolist() == [[-2.69921875, -2.69921875, -2.69921875]] * 3


def test_softmax_backward_data_bfloat16_rounds_once():
    grad = fg.tensor([[1.6484375, -4.125, 6.59375, 2.46875]], dtype=fg.bfloat16)
    out = fg.tensor([[0.07421875, 0.22265625, 0.033447265625, 0.66796875]], dtype=fg.bfloat16)
    result = fg.ops.aten._softmax_backward_data(grad, out, -1, fg.bfloat16)
    assert result.dtype == fg.bfloat16
    assert result.tolist() == [[0.042724609375, -1.15625, 0.1845703125, 0.93359375]]


def _pool_input(dtype):
    return ((fg.arange(2 * 7 * 9 * 11.0) * 0.37) % 5 - 2.5).reshape(1, 2, 7, 9, 11).to(dtype)


def test_adaptive_avg_pool3d_bfloat16_sums_in_bfloat16():
    out = fg.nn.functional.adaptive_avg_pool3d(_pool_input(fg.bfloat16), [2, 2, 2])
    assert out.dtype == fg.bfloat16
    assert out.flatten().tolist() == [
        0.052490234375, 0.0291748046875, -0.001495361328125, 0.01483154296875, 0.0250244140625,
        0.000782012939453125, -0.0286865234375, -0.014404296875, 0.004119873046875, -0.0206298828125,
        -0.051513671875, 0.0089111328125, 0.019287109375, -0.0059814453125, 0.005950927734375,
        0.0220947265625]


def test_adaptive_avg_pool3d_float16_sums_in_float16_and_keeps_its_graph():
    x = _pool_input(fg.float16).requires_grad_(True)
    out = fg.nn.functional.adaptive_avg_pool3d(x, [2, 2, 2])
    assert type(out.grad_fn).__name__ == "AdaptiveAvgPool3DBackward0"
    assert out._version == 0
    assert out.flatten().tolist()[:6] == [
        0.051666259765625, 0.0265655517578125, -0.0016679763793945312, 0.014892578125, 0.0249176025390625,
        -0.00014650821685791016]


def test_logit_float16_rounds_each_step_in_float16():
    x = fg.tensor([0.496337890625, 0.489990234375, 0.896484375, 0.0, 1.0], dtype=fg.float16)
    assert fg.logit(x).tolist() == [-0.01525115966796875, -0.039337158203125, 2.16015625, float("-inf"), float("inf")]
    assert fg.logit(x, 0.2).tolist() == [
        -0.01525115966796875, -0.039337158203125, 1.3857421875, -1.38671875, 1.3857421875]


def test_logit_inplace_bfloat16_rounds_each_step_in_bfloat16():
    y = fg.tensor([0.3046875, 0.625, 0.5546875], dtype=fg.bfloat16)
    y.logit_(0.001)
    assert y.tolist() == [-0.828125, 0.5078125, 0.216796875]


def _group_norm_operands():
    x = ((fg.arange(24.0) * 0.77) % 3 - 1.2).reshape(2, 4, 3).half() * 3 + 1
    w = fg.tensor([0.5, -1.25, 2.0, 0.75]).half()
    return x, w, fg.tensor([0.1, 0.2, -0.3, 0.4]).half()


def test_group_norm_float16_computes_in_float32_and_rounds_once():
    x, w, b = _group_norm_operands()
    out = fg.nn.functional.group_norm(x, 2, w, b, eps=0.5)
    assert out.flatten().tolist() == [
        -0.451171875, 0.0076904296875, 0.466064453125, -1.8623046875, 1.45703125, 0.31201171875,
        -0.12127685546875, 1.7138671875, -3.599609375, -0.1494140625, 0.53857421875, 1.2255859375,
        -0.450927734375, 0.00774383544921875, 0.466552734375, -1.861328125, 1.458984375, 0.3115234375,
        -0.12139892578125, 1.7119140625, -3.599609375, -0.149658203125, 0.53857421875, 1.2265625]


def test_group_norm_float16_gradient_computes_in_float32():
    x, w, b = _group_norm_operands()
    x.requires_grad_(True)
    out = fg.nn.functional.group_norm(x, 2, w, b, eps=0.5)
    out.backward(fg.arange(24.0).reshape(2, 4, 3).half())
    assert x.grad.dtype == fg.float16
    assert x.grad.flatten().tolist() == [
        0.89599609375, 1.091796875, 1.2880859375, -0.60009765625, -1.0888671875, -1.587890625, 0.52978515625,
        1.6708984375, 1.4599609375, -1.865234375, -1.220703125, -0.576171875, 4.22265625, 5.12109375,
        6.0234375, -3.50390625, -6.03515625, -5.828125, 3.556640625, 5.19921875, 3.53125, -5.24609375,
        -4.09765625, -2.947265625]


def test_polygamma_bfloat16_rounds_zeta_before_the_factorial():
    x = fg.tensor([3.390625, 2.265625, 3.171875, 0.5], dtype=fg.bfloat16)
    assert fg.polygamma(4, x).tolist() == [-0.078125, -0.49609375, -0.1064453125, -776.0]


def test_polygamma_inplace_float16_rounds_zeta_before_the_factorial():
    y = fg.tensor([0.39306640625, 14.140625, 1.5], dtype=fg.float16)
    y.polygamma_(4)
    assert y.tolist() == [-2564.0, -0.00017309188842773438, -3.474609375]


def _renorm_rows(dtype):
    return fg.tensor([[1.5, -2.25, 0.75], [0.1, 0.2, 0.3], [3.0, 4.0, -1.0]]).to(dtype)


def test_embedding_renorm_float16_casts_the_factor_to_float16():
    x = _renorm_rows(fg.float16)
    fg.embedding_renorm_(x, fg.tensor([0, 2, 2]), 1.0, 2.0)
    assert x.tolist() == [[0.5341796875, -0.80126953125, 0.26708984375],
                          [0.0999755859375, 0.199951171875, 0.300048828125],
                          [0.58837890625, 0.78466796875, -0.1961669921875]]


def test_embedding_max_norm_bfloat16_casts_the_factor_to_bfloat16():
    out = fg.nn.functional.embedding(fg.tensor([2, 0]), _renorm_rows(fg.bfloat16), max_norm=1.0)
    assert out.tolist() == [[0.58984375, 0.78515625, -0.1962890625], [0.53125, -0.80078125, 0.265625]]
