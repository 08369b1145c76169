"""complex32 (chalf), complex leftovers (norms, clamp, logspace, memory order, slogdet,
nuclear norm, geqrf) and the `view_as_*_copy` functions. Expected values and exception
types were observed from PyTorch 2.13 on CPU and are written out here."""

import math
import pickle

import ferrograd as fg
import numpy as np
import pytest
from ferrograd.autograd import gradcheck


def x32():
    return fg.tensor([1 + 2j, 3 - 1j, -0.5 + 0.25j], dtype=fg.complex32)


def y32():
    return fg.tensor([2 + 1j, 1 + 1j, 1 - 1j], dtype=fg.complex32)


def z128(requires_grad=False):
    return fg.tensor([[1 + 2j, -3 + 0.5j], [0.25 - 1j, 2 + 2j]], dtype=fg.complex128, requires_grad=requires_grad)


def assert_complex_close(t, expected, rtol=1e-6, atol=1e-6):
    np.testing.assert_allclose(np.array(t.tolist(), dtype=np.complex128), np.array(expected), rtol=rtol, atol=atol)


# ---- complex32: the dtype ---------------------------------------------------------


def test_complex32_dtype_attributes():
    assert repr(fg.complex32) == "ferrograd.complex32"
    assert fg.chalf is fg.complex32
    assert fg.complex32.itemsize == 4
    assert fg.complex32.is_complex and not fg.complex32.is_floating_point
    assert fg.complex32.is_signed
    assert fg.complex32.to_real() is fg.float16
    assert fg.float16.to_complex() is fg.complex32
    assert pickle.loads(pickle.dumps(fg.complex32)) is fg.complex32


def test_complex32_tensor_basics():
    x = x32()
    assert x.dtype is fg.complex32
    assert x.element_size() == 4 and x.itemsize == 4
    assert x.is_complex() and not x.is_floating_point()
    assert x.type() == "ferrograd.ComplexHalfTensor"
    assert x.tolist() == [1 + 2j, 3 - 1j, -0.5 + 0.25j]
    assert x[1].item() == 3 - 1j


def test_complex32_factories_and_casts():
    assert fg.zeros(2, dtype=fg.complex32).tolist() == [0j, 0j]
    assert fg.ones(2, dtype=fg.complex32).tolist() == [1 + 0j, 1 + 0j]
    assert fg.full((2,), 1 + 1j, dtype=fg.complex32).tolist() == [1 + 1j, 1 + 1j]
    assert fg.randn(3, dtype=fg.complex32).dtype is fg.complex32
    assert fg.rand(3, dtype=fg.complex32).dtype is fg.complex32
    assert fg.ones(2).chalf().dtype is fg.complex32
    c = fg.tensor([1.5 + 2j]).to(fg.complex32)
    assert c.dtype is fg.complex32 and c.tolist() == [1.5 + 2j]
    assert x32().to(fg.complex64).tolist() == [1 + 2j, 3 - 1j, -0.5 + 0.25j]
    assert x32().to(fg.int64).tolist() == [1, 3, 0]
    assert fg.complex(fg.ones(2, dtype=fg.float16), fg.ones(2, dtype=fg.float16)).dtype is fg.complex32


def test_complex32_rounds_to_half_precision():
    # 0.1 is not a float16: both parts round to 0.0999755859375
    v = fg.tensor([0.1 + 0.1j], dtype=fg.complex32).tolist()[0]
    assert v == complex(0.0999755859375, 0.0999755859375)
    with pytest.raises(RuntimeError, match="without overflow"):
        fg.full((1,), 70000, dtype=fg.complex32)


def test_complex32_arithmetic_values():
    x, y = x32(), y32()
    for out, expected in [
        (x + y, [3 + 3j, 4 + 0j, 0.5 - 0.75j]),
        (x - y, [-1 + 1j, 2 - 2j, -1.5 + 1.25j]),
        (x * y, [5j, 4 + 2j, -0.25 + 0.75j]),
        (-x, [-1 - 2j, -3 + 1j, 0.5 - 0.25j]),
        (x.conj(), [1 - 2j, 3 + 1j, -0.5 - 0.25j]),
        (x * 1j, [-2 + 1j, 1 + 3j, -0.25 - 0.5j]),
        (fg.add(x, y, alpha=2), [5 + 4j, 5 + 1j, 1.5 - 1.75j]),
        (1 - x, [-2j, -2 + 1j, 1.5 - 0.25j]),
        (fg.addcmul(x, x, y), [1 + 7j, 7 + 1j, -0.75 + 1j]),
    ]:
        assert out.dtype is fg.complex32
        assert out.tolist() == expected
    a = x.abs()
    assert a.dtype is fg.float16
    assert a.tolist() == [2.236328125, 3.162109375, 0.55908203125]
    assert x.sgn().tolist() == [0.447265625 + 0.89453125j, 0.94873046875 - 0.316162109375j, -0.89453125 + 0.447265625j]


def test_complex32_layout_ops():
    x, y = x32(), y32()
    assert fg.cat([x, y]).dtype is fg.complex32
    assert fg.stack([x, y]).shape == (2, 3)
    r = fg.view_as_real(x)
    assert r.dtype is fg.float16 and r.shape == (3, 2)
    assert r.tolist() == [[1.0, 2.0], [3.0, -1.0], [-0.5, 0.25]]
    back = fg.view_as_complex(fg.ones(2, 2, dtype=fg.float16))
    assert back.dtype is fg.complex32 and back.tolist() == [1 + 1j, 1 + 1j]
    assert x.real.dtype is fg.float16 and x.real.tolist() == [1.0, 3.0, -0.5]
    assert (x == y).tolist() == [False, False, False]
    assert x.roll(1).tolist() == [-0.5 + 0.25j, 1 + 2j, 3 - 1j]
    assert fg.where(fg.tensor([True, False, True]), x, y).tolist() == [1 + 2j, 1 + 1j, -0.5 + 0.25j]
    assert x.sum(dtype=fg.complex64).item() == 3.5 + 1.25j


@pytest.mark.parametrize(
    "op, kernel",
    [
        (lambda x: x / x, "div_cpu"),
        (lambda x: x.sum(), "sum_cpu"),
        (lambda x: x.mean(), "sum_cpu"),
        (lambda x: x.prod(), "prod_out_cpu"),
        (lambda x: x.exp(), "exp"),
        (lambda x: x.sqrt(), "sqrt"),
        (lambda x: x.log(), "log"),
        (lambda x: x.sin(), "sin"),
        (lambda x: x.reciprocal(), "reciprocal_cpu"),
        (lambda x: x**2, "pow"),
        (lambda x: x.cumsum(0), "cumsum_out_cpu"),
        (lambda x: x.flip(0), "flip_cpu"),
        (lambda x: x.angle(), "angle"),
        (lambda x: fg.equal(x, x), "equal_cpu"),
        (lambda x: x.reshape(1, 3) @ x.reshape(3, 1), "addmm_impl_cpu_"),
        (lambda x: fg.gather(x, 0, fg.tensor([0])), "scatter_gather_tensor_cpu"),
        (lambda x: x.nan_to_num(), "nan_to_num"),
    ],
)
def test_complex32_ops_without_a_kernel_raise_not_implemented(op, kernel):
    with pytest.raises(NotImplementedError, match="ComplexHalf") as info:
        op(x32())
    assert kernel in str(info.value)


@pytest.mark.parametrize(
    "make, kernel",
    [
        (lambda: fg.arange(3, dtype=fg.complex32), "arange_cpu"),
        (lambda: fg.linspace(0, 1, 3, dtype=fg.complex32), "linspace_cpu"),
        (lambda: fg.logspace(0, 1, 3, dtype=fg.complex32), "logspace_cpu"),
        (lambda: fg.eye(2, dtype=fg.complex32), "eye"),
    ],
)
def test_complex32_factories_without_a_kernel(make, kernel):
    with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for .ComplexHalf.'):
        make()


def test_complex32_numpy_and_fft_refuse():
    with pytest.raises(TypeError, match="Got unsupported ScalarType ComplexHalf"):
        x32().numpy()
    with pytest.raises(RuntimeError, match="MKL FFT doesn't support tensors of type: Half"):
        fg.fft.fft(x32())


def test_complex32_promotion():
    half = fg.ones(2, dtype=fg.float16)
    assert (half + fg.ones(2, dtype=fg.complex64)).dtype is fg.complex64
    assert (half + 1j).dtype is fg.complex32
    assert (half * fg.tensor(1j)).dtype is fg.complex32
    assert (fg.ones(2, dtype=fg.bfloat16) + 1j).dtype is fg.complex64
    assert (x32() + fg.ones(3)).dtype is fg.complex64
    assert (x32() + fg.ones(3, dtype=fg.float16)).dtype is fg.complex32
    assert (x32() + fg.ones(3, dtype=fg.int64)).dtype is fg.complex32
    assert (x32() + fg.tensor(1j)).dtype is fg.complex32
    assert fg.result_type(half, 1j) is fg.complex32
    assert fg.promote_types(fg.complex32, fg.float16) is fg.complex32
    assert fg.promote_types(fg.complex32, fg.bfloat16) is fg.complex64
    assert fg.promote_types(fg.complex32, fg.float64) is fg.complex128
    assert fg.promote_types(fg.complex32, fg.int64) is fg.complex32
    with pytest.raises(RuntimeError, match="ComplexHalf and UInt16"):
        fg.promote_types(fg.complex32, fg.uint16)


def test_complex32_printing():
    assert repr(x32()) == (
        "tensor([ 1.0000+2.0000j,  3.0000-1.0000j, -0.5000+0.2500j],\n       dtype=ferrograd.complex32)"
    )
    assert repr(x32()[0]) == "tensor(1.+2.j, dtype=ferrograd.complex32)"
    assert repr(fg.tensor([1000 + 2j, 3 - 1j], dtype=fg.complex32)) == (
        "tensor([1000.+2.j,    3.-1.j], dtype=ferrograd.complex32)"
    )
    t = fg.tensor([1.5 + 2j], dtype=fg.complex32, requires_grad=True) * 2
    assert repr(t) == "tensor([3.+4.j], dtype=ferrograd.complex32, grad_fn=<MulBackward0>)"


def test_complex32_gradient_of_a_product():
    a = x32().requires_grad_()
    out = a * a
    assert type(out.grad_fn).__name__ == "MulBackward0"
    fg.view_as_real(out).float().sum().backward()
    assert a.grad.dtype is fg.complex32
    assert a.grad.tolist() == [6 - 2j, 4 + 8j, -0.5 - 1.5j]


# ---- complex leftovers ---------------------------------------------------------------


def z64():
    return fg.tensor([[1 + 2j, -3 + 0.5j], [0.25 - 1j, 2 + 2j]], dtype=fg.complex64)


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, 4.828301906585693),
        ({"p": 1}, 9.136652946472168),
        ({"p": math.inf}, 3.041381359100342),
        ({"p": -math.inf}, 1.0307763814926147),
        ({"p": 0}, 4.0),
        ({"p": 3}, 3.979809522628784),
        ({"p": "fro"}, 4.828301906585693),
        ({"p": "nuc"}, 5.481236457824707),
    ],
)
def test_norm_of_complex_values(kwargs, expected):
    out = fg.norm(z64(), **kwargs)
    assert out.dtype is fg.float32 and out.shape == ()
    assert out.item() == pytest.approx(expected, rel=1e-6)


def test_norm_of_complex_dims_and_dtype():
    assert fg.norm(z64(), dim=1).tolist() == pytest.approx([3.7749173641204834, 3.0103986263275146], rel=1e-6)
    kept = fg.norm(z64(), p=2, dim=0, keepdim=True)
    assert kept.shape == (1, 2)
    wide = fg.norm(z64(), dtype=fg.complex128)
    assert wide.dtype is fg.float64 and wide.item() == pytest.approx(4.828301978956992, rel=1e-12)
    with pytest.raises(RuntimeError, match="dtype should be complex for complex inputs, but got Double"):
        fg.norm(z64(), dtype=fg.float64)


def test_nansum_and_nanmean_refuse_complex():
    for f in (fg.nansum, fg.nanmean):
        with pytest.raises(RuntimeError, match="nansum on CPU does not support complex inputs"):
            f(z64())


def test_clamp_with_complex_bounds():
    with pytest.raises(RuntimeError, match="value cannot be converted to type double without overflow"):
        fg.clamp(fg.ones(2), 1j)
    with pytest.raises(RuntimeError, match="value cannot be converted to type double without overflow"):
        fg.clamp(fg.ones(2), max=1j)
    assert fg.ones(2).clamp(min=2 + 0j).tolist() == [2.0, 2.0]
    for call in (
        lambda: fg.clamp(fg.ones(2, dtype=fg.int64), 1j),
        lambda: fg.clamp(z64(), 0, 1),
        lambda: z64().clamp(1j),
        lambda: fg.clamp_min(fg.ones(2), 1j),
        lambda: z64().clamp_(0, 1),
    ):
        with pytest.raises(NotImplementedError, match="clamp is not supported for complex types"):
            call()
    with pytest.raises(NotImplementedError, match='"maximum_cpu" not implemented for .ComplexFloat.'):
        fg.clamp(fg.ones(2), fg.zeros(2, dtype=fg.complex64))


def test_complex_logspace():
    assert_complex_close(fg.logspace(0, 1, 3, dtype=fg.complex64), [1, 3.1622776985168457, 10])
    assert_complex_close(
        fg.logspace(0, 1 + 1j, 3, dtype=fg.complex64),
        [1, 1.288018822669983 + 2.888080358505249j, -6.682015419006348 + 7.439803123474121j],
        rtol=1e-6,
    )
    start_complex = fg.logspace(1j, 2, 3)
    assert start_complex.dtype is fg.complex64
    assert_complex_close(
        start_complex,
        [-0.6682015657424927 + 0.7439802885055542j, 4.073072910308838 + 9.132911682128906j, 100],
        rtol=1e-6,
    )
    base2 = fg.logspace(0, 2, 4, base=2, dtype=fg.complex128)
    assert_complex_close(base2, [1, 1.5874010519681994, 2.5198420997897464, 4], rtol=1e-14)
    assert fg.logspace(0, 400, 2, dtype=fg.complex128).tolist() == [1 + 0j, complex(math.inf, 0)]


@pytest.mark.parametrize(
    "op",
    [
        lambda z: z * z,
        lambda z: z + 1,
        lambda z: z / 2,
        lambda z: -z,
        lambda z: z.exp(),
        lambda z: z.sqrt(),
        lambda z: z.sin(),
        lambda z: z.sigmoid(),
        lambda z: z.conj_physical(),
        lambda z: z.sgn(),
        lambda z: z.flip(0),
        lambda z: z.isnan(),
        lambda z: z == z.conj(),
    ],
)
def test_complex_results_follow_a_transposed_input(op):
    out = op(z128().t())
    assert out.stride() == (1, 2)


def test_polar_and_complex_follow_their_inputs_memory_order():
    r, theta = fg.ones(3, 2).t(), fg.zeros(3, 2).t()
    assert fg.polar(r, theta).stride() == (1, 2)
    assert fg.complex(r, theta).stride() == (1, 2)
    assert fg.polar(fg.ones(3, 1), fg.zeros(1, 2)).stride() == (2, 1)
    # angle's real result is row-major
    assert z128().t().angle().stride() == (2, 1)


def test_transposed_complex_product_keeps_gradients():
    z = z128(requires_grad=True)
    out = z.t() * 2
    assert type(out.grad_fn).__name__ == "MulBackward0"
    fg.view_as_real(out).sum().backward()
    assert z.grad.tolist() == [[2 + 2j, 2 + 2j], [2 + 2j, 2 + 2j]]


def test_complex_slogdet_values_and_gradients():
    sign, logabs = fg.linalg.slogdet(z128())
    assert sign.dtype is fg.complex128 and logabs.dtype is fg.float64
    assert sign.item() == pytest.approx(-0.5199469468957453 + 0.8541985556144385j, rel=1e-12)
    assert logabs.item() == pytest.approx(1.2136442857475014, rel=1e-12)
    z = z128(requires_grad=True)
    sign, logabs = fg.linalg.slogdet(z)
    assert type(sign.grad_fn).__name__ == "LinalgSlogdetBackward0"
    (sign.real * 2 + sign.imag * 3 + logabs).backward()
    assert_complex_close(
        z.grad,
        [
            [2.8673060241852957 + 0.16741204817114475j, 0.5899361445882256 - 0.8646433735258152j],
            [1.645580722966058 + 2.613525301269099j, 2.1923325301817576 - 0.5912674699179653j],
        ],
        rtol=1e-10,
    )
    batched = fg.linalg.slogdet(fg.stack([z128(), z128() * 1j]))
    assert_complex_close(batched[0], [-0.5199469468957453 + 0.8541985556144385j, 0.5199469468957453 - 0.8541985556144384j])
    assert gradcheck(lambda a: fg.linalg.slogdet(a)[1], (z128(requires_grad=True),))
    assert gradcheck(lambda a: fg.linalg.slogdet(a)[0], (z128(requires_grad=True),))


def test_complex_nuclear_and_spectral_norms():
    nuc = fg.linalg.matrix_norm(z128(), ord="nuc")
    assert nuc.dtype is fg.float64
    assert nuc.item() == pytest.approx(5.481236722576222, rel=1e-12)
    assert fg.nuclear_norm(z128(), keepdim=True).shape == (1, 1)
    assert fg.linalg.matrix_norm(z128(), ord=2).item() == pytest.approx(4.776609765437566, rel=1e-12)
    assert fg.linalg.matrix_norm(z128(), ord=-2).item() == pytest.approx(0.7046269571386569, rel=1e-12)
    assert fg.linalg.svdvals(z128()).tolist() == pytest.approx([4.776609765437566, 0.7046269571386569], rel=1e-12)
    z = z128(requires_grad=True)
    fg.linalg.matrix_norm(z, ord="nuc").backward()
    assert_complex_close(
        z.grad,
        [
            [0.30440269265604303 + 0.8662809590877574j, -0.3677664019433512 + 0.14711959158244903j],
            [-0.3168883604935929 + 0.23765114687168626j, 0.5817026933356995 + 0.7104404802235351j],
        ],
        rtol=1e-9,
    )
    assert gradcheck(lambda a: fg.linalg.matrix_norm(a, ord="nuc"), (z128(requires_grad=True),))


def test_complex_geqrf_values_and_layout():
    a, tau = fg.geqrf(z128())
    assert a.dtype is fg.complex128 and a.stride() == (1, 2)
    assert_complex_close(
        a,
        [
            [-2.462214450449026 + 0j, 1.4214846311870666 - 3.6552461944810286j],
            [-0.07096087024719405 - 0.2478408751931368j, -1.3669516088841362 + 0j],
        ],
        rtol=1e-10,
    )
    assert_complex_close(tau, [1.4061384660534477 + 0.8122769321068953j, 1.4801982345513156 + 0.8771599942620499j])
    with pytest.raises(RuntimeError, match="geqrf does not support automatic differentiation"):
        fg.geqrf(z128(requires_grad=True))
    real, _ = fg.geqrf(fg.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    assert real.stride() == (1, 3)
    batched, _ = fg.geqrf(fg.ones(2, 3, 2, dtype=fg.complex64))
    assert batched.stride() == (6, 1, 3)


# ---- the *_copy functions -----------------------------------------------------------


def test_view_as_real_copy():
    z = fg.tensor([1 + 2j, 3 - 4j], requires_grad=True)
    out = fg.view_as_real_copy(z * 1)
    assert out.tolist() == [[1.0, 2.0], [3.0, -4.0]]
    assert out.is_contiguous() and not out._is_view()
    assert type(out.grad_fn).__name__ == "ViewAsRealBackward0_copy"
    out.sum().backward()
    assert z.grad.tolist() == [1 + 1j, 1 + 1j]
    wide = fg.view_as_real_copy(fg.ones(3, 4, dtype=fg.complex64).t())
    assert wide.stride() == (6, 2, 1)
    with pytest.raises(RuntimeError, match="view_as_real is only supported for complex tensors"):
        fg.view_as_real_copy(fg.ones(2))


def test_view_as_complex_copy():
    base = fg.tensor([[1.0, 2.0], [3.0, 4.0]])
    out = fg.view_as_complex_copy(base)
    assert out.tolist() == [1 + 2j, 3 + 4j]
    out[0] = 0
    assert base.tolist() == [[1.0, 2.0], [3.0, 4.0]]  # a copy, not a view
    assert fg.view_as_complex_copy(fg.ones(2, 2, dtype=fg.float16)).dtype is fg.complex32
    with pytest.raises(RuntimeError, match="view_as_complex_copy does not support automatic differentiation"):
        fg.view_as_complex_copy(fg.ones(2, 2, requires_grad=True))
    with fg.no_grad():
        assert fg.view_as_complex_copy(fg.ones(2, 2, requires_grad=True)).tolist() == [1 + 1j, 1 + 1j]
    with pytest.raises(RuntimeError, match="last dimension of size 2"):
        fg.view_as_complex_copy(fg.ones(2, 3))
    with pytest.raises(RuntimeError, match="view_as_complex is only supported for half, float and double tensors"):
        fg.view_as_complex_copy(fg.ones(2, 2, dtype=fg.int64))


@pytest.mark.parametrize(
    "name, message",
    [
        ("ccol_indices_copy", "ccol_indices expected sparse column compressed tensor layout but got Strided"),
        ("col_indices_copy", "col_indices expected sparse row compressed tensor layout but got Strided"),
        ("crow_indices_copy", "crow_indices expected sparse row compressed tensor layout but got Strided"),
        ("indices_copy", "indices expected sparse coordinate tensor layout but got Strided"),
        ("row_indices_copy", "row_indices expected sparse column compressed tensor layout but got Strided"),
        ("values_copy", "values expected sparse tensor layout but got Strided"),
    ],
)
def test_sparse_accessor_copies_refuse_strided_tensors(name, message):
    with pytest.raises(RuntimeError) as info:
        getattr(fg, name)(fg.ones(2))
    assert str(info.value) == message


def test_the_first_complex32_tensor_warns_once_per_process():
    import subprocess
    import sys

    script = (
        "import warnings, ferrograd as fg\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    fg.zeros(2)\n"
        "    assert not w\n"
        "    a = fg.zeros(2, dtype=fg.complex32)\n"
        "    b = fg.ones(2).to(fg.complex32) + a\n"
        "print(len(w), w[0].category.__name__, w[0].lineno, str(w[0].message))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # PyTorch 2.13: one UserWarning from the line that made the first complex32 tensor
    assert done.stdout.strip() == (
        "1 UserWarning 6 ComplexHalf support is experimental and many operators don't support it yet. "
        "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/EmptyTensor.cpp:54.)"
    )
