"""The 8-bit float dtypes: casts, printing, limits and the kernels PyTorch's CPU build has
for them (expected values and texts are PyTorch 2.13's)."""

import math

import ferrograd as fg
import pytest

FLOAT8 = ["float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu"]
INF, NAN = math.inf, math.nan

SOURCE = [500.0, 470.0, 464.0, 449.0, 1e9, INF, -INF, 60000.0, 57344.0, 61440.0, 1e-10, -0.0,
          2.0**-10, 1.5 * 2.0**-9, 3.0, 0.75]
CAST = {
    "float8_e4m3fn": [448.0, 448.0, 448.0, 448.0, 448.0, 448.0, -448.0, 448.0, 448.0, 448.0, 0.0, -0.0,
                      0.0, 0.00390625, 3.0, 0.75],
    "float8_e5m2": [512.0, 448.0, 448.0, 448.0, INF, INF, -INF, 57344.0, 57344.0, INF, 0.0, -0.0,
                    0.0009765625, 0.0029296875, 3.0, 0.75],
    "float8_e4m3fnuz": [NAN] * 10 + [0.0, 0.0, 0.0009765625, 0.0029296875, 3.0, 0.75],
    "float8_e5m2fnuz": [512.0, 448.0, 448.0, 448.0, NAN, NAN, NAN, 57344.0, 57344.0, NAN, 0.0, 0.0,
                        0.0009765625, 0.0029296875, 3.0, 0.75],
    "float8_e8m0fnu": [512.0, 512.0, 512.0, 512.0, 1073741824.0, NAN, NAN, 65536.0, 65536.0, 65536.0,
                       1.1641532182693481e-10, 5.877471754111438e-39, 0.0009765625, 0.00390625, 4.0, 1.0],
}
FINFO = {
    "float8_e4m3fn": "finfo(resolution=1, min=-448, max=448, eps=0.125, smallest_normal=0.015625, "
                     "tiny=0.015625, dtype=float8_e4m3fn)",
    "float8_e5m2": "finfo(resolution=1, min=-57344, max=57344, eps=0.25, smallest_normal=6.10352e-05, "
                   "tiny=6.10352e-05, dtype=float8_e5m2)",
    "float8_e4m3fnuz": "finfo(resolution=1, min=-240, max=240, eps=0.125, smallest_normal=0.0078125, "
                       "tiny=0.0078125, dtype=float8_e4m3fnuz)",
    "float8_e5m2fnuz": "finfo(resolution=1, min=-57344, max=57344, eps=0.125, smallest_normal=3.05176e-05, "
                       "tiny=3.05176e-05, dtype=float8_e5m2fnuz)",
    "float8_e8m0fnu": "finfo(resolution=1, min=5.87747e-39, max=1.70141e+38, eps=1, "
                      "smallest_normal=5.87747e-39, tiny=5.87747e-39, dtype=float8_e8m0fnu)",
}


def same(a, b):
    return all((math.isnan(x) and math.isnan(y)) or (x == y and math.copysign(1, x) == math.copysign(1, y))
               for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("name", FLOAT8)
def test_casts_round_and_overflow_as_pytorch(name):
    d = getattr(fg, name)
    for source in (fg.float32, fg.float64):
        assert same(fg.tensor(SOURCE, dtype=source).to(d).float().tolist(), CAST[name])
    assert same(fg.tensor(SOURCE, dtype=d).tolist(), CAST[name])


@pytest.mark.parametrize("name", FLOAT8)
def test_dtype_properties_and_limits(name):
    d = getattr(fg, name)
    assert repr(d) == f"ferrograd.{name}"
    assert d.is_floating_point and not d.is_complex and d.itemsize == 1
    assert d.is_signed == (name != "float8_e8m0fnu")
    assert repr(fg.finfo(d)) == FINFO[name]
    assert fg.finfo(d).bits == 8
    t = fg.ones(3, dtype=d)
    assert t.element_size() == 1 and t.nbytes == 3 and t.is_floating_point()
    legacy = "Float8_" + name.split("_", 1)[1]
    assert t.type() == f"ferrograd.{legacy}Tensor"


def test_bits_are_the_formats_encodings():
    assert fg.ones(2, dtype=fg.float8_e4m3fn).view(fg.uint8).tolist() == [56, 56]
    assert fg.ones(2, dtype=fg.float8_e5m2).view(fg.uint8).tolist() == [60, 60]
    assert fg.ones(1, dtype=fg.float8_e8m0fnu).view(fg.uint8).tolist() == [127]
    codes = fg.tensor([56, 200], dtype=fg.uint8)
    assert codes.view(fg.float8_e4m3fn).tolist() == [1.0, -4.0]
    assert codes.view(fg.float8_e5m2).tolist() == [0.5, -8.0]
    assert codes.view(fg.float8_e4m3fnuz).tolist() == [0.5, -2.0]
    assert fg.tensor([-0.0, NAN, -NAN]).to(fg.float8_e4m3fn).view(fg.uint8).tolist() == [128, 127, 255]
    assert fg.tensor([-0.0, NAN]).to(fg.float8_e4m3fnuz).view(fg.uint8).tolist() == [0, 128]


def test_printing():
    x = fg.tensor([0.1, 1.5, -3.0, 500.0, 1e-3, NAN, INF])
    assert repr(x.to(fg.float8_e4m3fn)) == (
        "tensor([ 1.0156e-01,  1.5000e+00, -3.0000e+00,  4.4800e+02,  1.9531e-03,\n"
        "                nan,  4.4800e+02], dtype=ferrograd.float8_e4m3fn)")
    assert repr(x.to(fg.float8_e8m0fnu)) == (
        "tensor([  0.1250,   2.0000,   4.0000, 512.0000,   0.0010,      nan,      nan],\n"
        "       dtype=ferrograd.float8_e8m0fnu)")
    assert repr(fg.zeros(2, dtype=fg.float8_e8m0fnu)) == "tensor([0., 0.], dtype=ferrograd.float8_e8m0fnu)"
    assert repr(fg.tensor([0.5, 0.0], dtype=fg.float8_e8m0fnu)) == (
        "tensor([0.5000, 0.0000], dtype=ferrograd.float8_e8m0fnu)")
    assert repr(fg.tensor([1.0, 2.0, 448.0], dtype=fg.float8_e4m3fn)) == (
        "tensor([  1.,   2., 448.], dtype=ferrograd.float8_e4m3fn)")
    assert str(fg.tensor([1.25, 2.5], dtype=fg.float8_e5m2)) == "tensor([1.2500, 2.5000], dtype=ferrograd.float8_e5m2)"
    assert repr(fg.tensor(2.0, dtype=fg.float8_e4m3fn)) == "tensor(2., dtype=ferrograd.float8_e4m3fn)"


def test_storage_ops_work():
    d = fg.float8_e4m3fn
    a = fg.tensor([1.0, 2.0, -0.5, 0.0], dtype=d)
    assert fg.cat([a, a]).tolist() == [1.0, 2.0, -0.5, 0.0] * 2
    assert fg.stack([a, a]).shape == (2, 4)
    assert a.view(2, 2).t().contiguous().tolist() == [[1.0, -0.5], [2.0, 0.0]]
    assert a.clone().fill_(3).tolist() == [3.0] * 4
    assert a.index_select(0, fg.tensor([0, 2])).tolist() == [1.0, -0.5]
    assert (a * a).tolist() == [1.0, 4.0, 0.25, 0.0] and (a * a).dtype == d
    assert (a == 1.0).tolist() == [True, False, False, False]
    assert a.abs().tolist() == [1.0, 2.0, 0.5, 0.0]
    assert (fg.ones(2, 2, dtype=d) @ fg.ones(2, 2, dtype=d)).tolist() == [[2.0, 2.0], [2.0, 2.0]]
    assert fg.where(fg.tensor([True, False]), a[:2], a[2:]).tolist() == [1.0, 0.0]
    assert fg.eye(2, dtype=d).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert fg.zeros(2, dtype=d).copy_(fg.tensor([3, 4])).tolist() == [3.0, 4.0]
    assert a[1].item() == 2.0 and float(a[1]) == 2.0 and int(a[1]) == 2
    assert fg.result_type(a, 2.0) == d and fg.result_type(a, fg.tensor(2.0)) == d


def test_gradient_flows_through_casts():
    x = fg.ones(2, dtype=fg.float8_e4m3fn, requires_grad=True)
    (x.float() * 2).sum().backward()
    assert x.grad.dtype == fg.float8_e4m3fn and x.grad.tolist() == [2.0, 2.0]
    y = fg.ones(2, requires_grad=True)
    z = y.to(fg.float8_e4m3fn)
    assert type(z.grad_fn).__name__ == "ToCopyBackward0"
    z.float().sum().backward()
    assert y.grad.tolist() == [1.0, 1.0]


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda a: a + a, NotImplementedError, "\"add_stub\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a - a, NotImplementedError, "\"add_stub\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a / a, NotImplementedError, "\"div_cpu\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a * 2.0, NotImplementedError, "\"mul_cpu_reduced_float\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: -a, NotImplementedError, "\"neg_cpu\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a.sum(), NotImplementedError, "\"sum_cpu\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a.mean(), NotImplementedError, "\"sum_cpu\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a.max(), NotImplementedError, "\"max_all\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a.exp(), NotImplementedError, "\"exp_vml_cpu\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a < a.clone(), NotImplementedError, "\"lt_cpu\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a.sort(), NotImplementedError, "\"sorting_kernel_method_name\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a.cumsum(0), NotImplementedError, "\"cumsum_out_cpu\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a.isinf(), NotImplementedError, "\"isinf\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a.clamp(0, 1), NotImplementedError, "\"clamp_scalar_cpu\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: fg.arange(3, dtype=a.dtype), NotImplementedError, "\"arange_cpu\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: fg.randn(3, dtype=a.dtype), NotImplementedError, "\"normal_kernel_cpu\" not implemented for 'Float8_e4m3fn'"),
    (lambda a: a * fg.ones(4), RuntimeError,
     "Promotion for Float8 Types is not supported, attempted to promote Float8_e4m3fn and Float"),
    (lambda a: fg.promote_types(fg.int64, a.dtype), RuntimeError,
     "Promotion for Float8 Types is not supported, attempted to promote Long and Float8_e4m3fn"),
    (lambda a: fg.promote_types(fg.float8_e5m2, a.dtype), RuntimeError,
     "Promotion for Float8 Types is not supported, attempted to promote Float8_e5m2 and Float8_e4m3fn"),
    (lambda a: fg.result_type(a, 2j), RuntimeError, "Unknown Complex ScalarType for Float8_e4m3fn"),
    (lambda a: a.numpy(), TypeError, "Got unsupported ScalarType Float8_e4m3fn"),
])
def test_missing_kernels_raise_as_pytorch(call, error, message):
    a = fg.tensor([1.0, 2.0, -0.5, 0.0], dtype=fg.float8_e4m3fn)
    with pytest.raises(error) as info:
        call(a)
    assert str(info.value) == message


def test_e8m0_has_no_abs():
    with pytest.raises(NotImplementedError, match="\"abs_cpu\" not implemented for 'Float8_e8m0fnu'"):
        fg.ones(2, dtype=fg.float8_e8m0fnu).abs()
    m = fg.ones(2, dtype=fg.float8_e8m0fnu)
    assert (m * m).tolist() == [1.0, 1.0]


def test_reductions_with_a_wider_dtype_run():
    a = fg.tensor([1.0, -2.0, 0.5], dtype=fg.float8_e4m3fn)
    assert a.sum(dtype=fg.float32).item() == -0.5
    assert a.prod(dtype=fg.float32).item() == -1.0
    assert a.cumsum(0, dtype=fg.float32).tolist() == [1.0, -1.0, -0.5]
    assert a.cumprod(0, dtype=fg.float32).tolist() == [1.0, -2.0, -1.0]
    assert abs(a.mean(dtype=fg.float32).item() + 1 / 6) < 1e-7
    with pytest.raises(NotImplementedError, match="\"sum_cpu\" not implemented for 'Float8_e5m2'"):
        a.sum(dtype=fg.float8_e5m2)
    for call in (lambda: a.unique(), lambda: fg.unique_consecutive(a)):
        with pytest.raises(NotImplementedError, match="\"unique\" not implemented for 'Float8_e4m3fn'"):
            call()


def test_frombuffer_reads_the_bytes_as_the_dtype():
    assert fg.frombuffer(bytearray(b"\x38\x40"), dtype=fg.float8_e4m3fn).tolist() == [1.0, 2.0]
    assert fg.frombuffer(bytearray(8), dtype=fg.complex64).tolist() == [0j]


@pytest.mark.parametrize(
    ("call", "kernel"),
    [
        (lambda a, v, b3: a @ v, "addmv_impl_cpu"),
        (lambda a, v, b3: b3 @ b3, "bmm"),
        (lambda a, v, b3: a @ b3, "bmm"),
        (lambda a, v, b3: b3 @ v, "addmv_impl_cpu"),
        (lambda a, v, b3: a * fg.ones(1).to(a.dtype), "mul_cpu_reduced_float"),
        (lambda a, v, b3: a.clone().mul_(fg.ones(1, 1).to(a.dtype)), "mul_cpu_reduced_float"),
        (lambda a, v, b3: a / 2, "div_cpu_reduced_float"),
        (lambda a, v, b3: a / a, "div_cpu"),
        (lambda a, v, b3: a // 2, "div_floor_cpu_reduced_float"),
        (lambda a, v, b3: a.div(2, rounding_mode="trunc"), "div_trunc_cpu_reduced_float"),
        (lambda a, v, b3: 2 / a, "reciprocal_cpu"),
        (lambda a, v, b3: a.sigmoid(), "sigmoid_cpu_reduced_float"),
        (lambda a, v, b3: a.clone().sigmoid_(), "sigmoid_cpu_reduced_float"),
        (lambda a, v, b3: a.clamp(min=a), "maximum_cpu"),
        (lambda a, v, b3: a.clamp_max(a), "minimum_cpu"),
        (lambda a, v, b3: a.clamp(min=a, max=a), "clamp_cpu"),
    ],
)
def test_float8_kernels_pytorch_lacks_are_named(call, kernel):
    # kernels as PyTorch 2.13's CPU build names them
    a = fg.ones(2, 2).to(fg.float8_e4m3fn)
    v = fg.ones(2).to(a.dtype)
    b3 = fg.ones(2, 2, 2).to(a.dtype)
    with pytest.raises(NotImplementedError) as info:
        call(a, v, b3)
    assert str(info.value) == f"\"{kernel}\" not implemented for 'Float8_e4m3fn'"


def test_float8_products_pytorch_has():
    a = fg.ones(2, 2).to(fg.float8_e4m3fn)
    v = fg.ones(2).to(a.dtype)
    assert (a @ a).float().tolist() == [[2.0, 2.0], [2.0, 2.0]]
    assert (v @ a).float().tolist() == [2.0, 2.0]
    assert (fg.ones(2, 2, 2).to(a.dtype) @ a).shape == (2, 2, 2)
    assert (fg.ones(1).to(a.dtype) * a).float().tolist() == [[1.0, 1.0], [1.0, 1.0]]
    e8 = fg.ones(2, 2).to(fg.float8_e8m0fnu)
    with pytest.raises(NotImplementedError, match="addmm_impl_cpu_"):
        e8 @ e8
