"""Session 27 parity fixes in the core: promotion of unsigned tensors with complex
numbers, the bool subtraction check first, uint64 conversions past int64, matrix-vector
products without a kernel, acosh below 1, float16 roots and clamp bounds in the dtype."""

import math

import pytest
from backend import fg

SUB_BOOL = "Subtraction, the `-` operator, with a bool tensor is not supported"


@pytest.mark.parametrize("dtype", ["uint16", "uint32", "uint64"])
def test_an_unsigned_tensor_takes_a_complex_number_dtype(dtype):
    u = fg.tensor([0, 1, 2], dtype=getattr(fg, dtype))
    assert (u + 1j).dtype == fg.complex64
    assert (u + 1j).tolist() == [1j, 1 + 1j, 2 + 1j]
    assert (u * fg.tensor(2 + 1j, dtype=fg.complex128)).dtype == fg.complex128
    with pytest.raises(RuntimeError, match="Promotion for uint16, uint32, uint64 types"):
        fg.promote_types(getattr(fg, dtype), fg.complex64)


def test_bool_subtraction_is_refused_before_promotion():
    u = fg.tensor([1, 2], dtype=fg.uint16)
    for call in (lambda: u - True, lambda: fg.sub(u, True), lambda: True - u,
                 lambda: u - fg.tensor([True, False])):
        with pytest.raises(RuntimeError, match=SUB_BOOL):
            call()


def test_uint64_past_int64_does_not_convert_to_an_int():
    big = fg.tensor(2**63 + 5, dtype=fg.uint64)
    for convert in (int, bool, lambda t: t.__index__()):
        with pytest.raises(RuntimeError, match="value cannot be converted to type int64_t without overflow"):
            convert(big)
    assert big.item() == 2**63 + 5
    assert int(fg.tensor(7, dtype=fg.uint64)) == 7


@pytest.mark.parametrize("name", ["bool", "uint16", "uint32", "uint64"])
def test_matrix_times_vector_has_no_kernel_for_bool_and_wide_unsigned(name):
    dtype = getattr(fg, name)
    m, v = fg.ones(2, 3, dtype=dtype), fg.ones(3, dtype=dtype)
    kernel = {"bool": "Bool", "uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64"}[name]
    for call in (lambda: m @ v, lambda: fg.ones(2, 2, 3, dtype=dtype) @ v):
        with pytest.raises(NotImplementedError, match=f'"addmv_impl_cpu" not implemented for \'{kernel}\''):
            call()
    with pytest.raises(NotImplementedError, match=f'"addmm_impl_cpu_" not implemented for \'{kernel}\''):
        v @ m.T


def test_acosh_below_one_is_nan():
    out = fg.tensor([-128.0, -1.0, -1e30, 0.5, 1.0]).acosh().tolist()
    assert all(math.isnan(v) for v in out[:4]) and out[4] == 0.0
    ints = fg.tensor([-127, 3], dtype=fg.int8).acosh().tolist()
    assert math.isnan(ints[0]) and ints[1] == pytest.approx(math.acosh(3), rel=1e-6)
    assert math.isnan(fg.tensor([-1e300], dtype=fg.float64).acosh().item())


def test_float16_square_roots_follow_pow():
    h = fg.tensor([-0.0, -math.inf, 4.0], dtype=fg.float16)
    root = h.pow(0.5).tolist()
    assert root == [0.0, math.inf, 2.0] and math.copysign(1, root[0]) == 1
    assert h.pow(-0.5).tolist() == [math.inf, 0.0, 0.5]
    # bfloat16 and float32 keep sqrt's signed zero and NaN
    b = h.to(fg.bfloat16).pow(0.5).tolist()
    assert math.copysign(1, b[0]) == -1 and math.isnan(b[1])


def test_clamp_casts_its_bounds_to_the_dtype():
    u = fg.tensor([0, 1, 2, 200], dtype=fg.uint8)
    assert u.clamp(-1, 2).tolist() == [2, 2, 2, 2]
    assert u.clamp(min=-1).tolist() == [255, 255, 255, 255]
    assert u.clamp(min=-200).tolist() == [56, 56, 56, 200]
    with pytest.raises(RuntimeError, match="value cannot be converted to type uint8_t without overflow"):
        u.clamp(min=-256)
    w = fg.tensor([0, 1, 2], dtype=fg.uint16)
    assert w.clamp(min=-0.5, max=1.5).tolist() == [0.0, 1.0, 1.5]
    assert w.clamp(min=-0.5).dtype == fg.float32
    with pytest.raises(NotImplementedError, match="\"clamp_min_scalar_cpu\" not implemented for 'UInt16'"):
        w.clamp(min=1)


def test_sign_of_complex_names_sgn():
    with pytest.raises(RuntimeError, match=r"Unlike NumPy, \w+\.sign is not intended to support complex numbers"):
        fg.tensor([1j]).sign()


def test_float32_transforms_compute_in_float_like_pocketfft():
    # float twiddles make the radix-3 and radix-5 butterflies exact, as PyTorch's are
    for n in (3, 5, 6, 9, 15):
        out = fg.fft.fft(fg.ones(n))
        assert out[1:].abs().max().item() == 0.0, n
        assert "e-" not in repr(out) and "e+" not in repr(out), repr(out)
    assert fg.fft.fftn(fg.ones(2, 3)).abs()[0, 1:].max().item() == 0.0
    assert fg.fft.fft(fg.ones(4, dtype=fg.float64)).abs()[1:].max().item() == 0.0


def test_real_signal_spectra_are_real_at_zero_and_nyquist():
    for n in (10, 12):
        spectrum = fg.fft.fft(fg.arange(float(n)))
        assert spectrum[0].imag.item() == 0.0 and spectrum[n // 2].imag.item() == 0.0
        half = fg.fft.rfft(fg.arange(float(n)))
        assert half[-1].imag.item() == 0.0
    two = fg.fft.rfftn(fg.arange(12.0).reshape(3, 4))
    assert two.shape == (3, 3)


def test_bessel_i_near_the_largest_double():
    x = fg.tensor([1e308, -1e308], dtype=fg.float64)
    assert fg.i0(x).tolist() == [math.inf, math.inf]
    assert fg.special.i1(x).tolist() == [math.inf, -math.inf]
    want = 1 / math.sqrt(2 * math.pi) / 1e154
    assert fg.special.i0e(x).tolist() == pytest.approx([want, want], rel=1e-12)


@pytest.mark.filterwarnings("ignore:Casting complex values")
def test_complex_to_uint32_converts_in_blocks_of_four_as_pytorch():
    # out-of-range values: 2**31 in the vectorised blocks, 0 in the scalar tail
    def pattern(dtype, n):
        out = fg.full((n,), math.nan, dtype=dtype).to(fg.uint32).tolist()
        return "".join("V" if v == 2**31 else "S" if v == 0 else "?" for v in out)

    assert pattern(fg.complex64, 4) == "SSSS"
    assert pattern(fg.complex64, 9) == "V" * 8 + "S"
    assert pattern(fg.complex64, 16) == "V" * 12 + "S" * 4
    assert pattern(fg.complex128, 8) == "V" * 8
    assert pattern(fg.complex128, 7) == "VVVVSSS"
    assert fg.tensor([3e9 + 1j] * 5).to(fg.uint32).tolist() == [3000000000] * 5


def test_an_ellipsis_standing_for_no_dim_keeps_advanced_indices_adjacent():
    x = fg.arange(6.0).reshape(2, 3, 1)
    got = x[:, fg.tensor([False, True, True]), ..., [0]]
    assert tuple(got.shape) == (2, 2) and got.tolist() == [[1.0, 2.0], [4.0, 5.0]]
    assert tuple(fg.zeros(0, 2, 1)[:, fg.tensor([False, True]), ..., [0]].shape) == (0, 1)
    # an ellipsis that stands for dims still separates them
    y = fg.arange(24.0).reshape(2, 3, 4)
    assert tuple(y[[0, 1], ..., [1, 2]].shape) == (2, 3)


def test_a_complex_activation_parameter_does_not_convert():
    x = fg.ones(3)
    for call, ctype in ((lambda: fg.threshold(x, 1j, 0.0), "float"),
                        (lambda: fg.nn.functional.hardshrink(x, 1j), "float"),
                        (lambda: fg.nn.functional.celu(x, 1j), "double"),
                        (lambda: fg.threshold(x.double(), 1j, 0.0), "double")):
        with pytest.raises(RuntimeError, match=f"value cannot be converted to type {ctype} without overflow"):
            call()


def test_scalar_activation_parameters_are_numbers_in_messages():
    F = fg.nn.functional
    x = fg.ones(3)
    with pytest.raises(TypeError, match=r"leaky_relu\(\): argument 'negative_slope' \(position 2\) must be Number, not str"):
        F.leaky_relu(x, "a")
    with pytest.raises(TypeError, match=r"softplus\(\): argument 'beta' \(position 2\) must be Number, not str"):
        F.softplus(x, "a")
    for call, ctype in ((lambda: F.elu(x, alpha=1j), "float"), (lambda: F.leaky_relu(x, 1j), "float"),
                        (lambda: F.softshrink(x, 1j), "double"), (lambda: F.elu(x.double(), 1j), "double")):
        with pytest.raises(RuntimeError, match=f"value cannot be converted to type {ctype} without overflow"):
            call()


def test_in_place_writes_through_real_views_of_complex_tensors_differentiate():
    # loss = sum(2 re(y) + 3 im(y)) with re(y[0]) overwritten: d/dx = dre + i dim
    x = fg.tensor([1 + 2j, 3 - 1j], requires_grad=True)
    y = x.clone()
    y.real[0] = 5.0
    (y.real * 2 + y.imag * 3).sum().backward()
    assert x.grad.tolist() == [3j, 2 + 3j]
    # y = x with its imaginary parts raised: |y|^2 = re^2 + im^2, d/dx = 2 re + 2i im
    x = fg.tensor([1 + 2j, 3 - 1j], requires_grad=True)
    y = x.clone()
    y.imag.add_(fg.tensor([1.0, 2.0], requires_grad=True))
    (y * y.conj()).real.sum().backward()
    assert x.grad.tolist() == [2 + 6j, 6 + 2j]
    # the wrapped op's formula runs on the real slice: re(y) doubled, loss |y|
    x = fg.tensor([3 + 4j, 0 + 1j], requires_grad=True)
    y = x * 1
    y.real.mul_(2)
    y.abs().sum().backward()
    assert y.grad_fn.name().endswith("CopySlices")
    # d|y|/dx with y = 2 re + i im: (2 * 2 re / |y|) + i (im / |y|)
    want0 = complex(2 * 6 / 52 ** 0.5, 4 / 52 ** 0.5)
    assert abs(x.grad[0].item() - want0) < 1e-6 and abs(x.grad[1].item() - 1j) < 1e-6


def test_retain_grad_follows_a_write_through_a_view():
    a = fg.ones(3, requires_grad=True)
    b = a * 2
    b.retain_grad()
    b[0].mul_(3)
    b.sum().backward()
    assert b.grad.tolist() == [1.0, 1.0, 1.0]  # the gradient of b's new values
    assert a.grad.tolist() == [6.0, 2.0, 2.0]


def test_a_no_grad_view_of_a_plain_tensor_is_not_rebased():
    base = fg.ones(3)
    with fg.no_grad():
        v = base[:2]
    with pytest.raises(RuntimeError, match=r"^A view was created in no_grad mode and is being modified inplace with grad mode enabled"):
        v.mul_(fg.ones(2, requires_grad=True))


def test_a_node_hook_cannot_replace_a_none_gradient():
    a = fg.ones(2, requires_grad=True)
    c = a * 2 + fg.ones(2)
    c.grad_fn.register_hook(lambda grad_inputs, grad_outputs: (grad_inputs[0], fg.ones(2)))
    with pytest.raises(RuntimeError, match="can't replace a None gradient with a non-None value"):
        c.sum().backward()
