"""Complex dtypes (complex64, complex128): creation, views, printing, casts, arithmetic,
reductions and gradients, against NumPy and values recorded from PyTorch 2.13."""

import warnings

import numpy as np
import pytest
from backend import MOD, fg

C64, C128 = fg.complex64, fg.complex128


def arr(t):
    return t.detach().numpy()


def close(t, expected, tol=1e-6):
    np.testing.assert_allclose(arr(t), np.asarray(expected), rtol=tol, atol=tol)


# ---- dtypes and creation ------------------------------------------------------------


def test_dtype_objects():
    assert fg.cfloat is C64 and fg.cdouble is C128
    assert C64.is_complex and C128.is_complex and not fg.float32.is_complex
    assert not C64.is_floating_point
    assert C64.itemsize == 8 and C128.itemsize == 16
    assert C64.to_real() == fg.float32 and C128.to_real() == fg.float64
    assert fg.float64.to_complex() == C128 and fg.float32.to_complex() == C64
    assert repr(C64) == f"{MOD}.complex64"


def test_tensor_infers_complex_from_python_numbers():
    z = fg.tensor([1 + 2j, 3j])
    assert z.dtype == C64 and z.is_complex() and fg.is_complex(z)
    assert fg.tensor([1, 1j]).dtype == C64
    assert fg.tensor(1j).dtype == C64
    assert fg.tensor([1 + 2j], dtype=C128).dtype == C128
    old = fg.get_default_dtype()
    fg.set_default_dtype(fg.float64)
    try:
        assert fg.tensor(1j).dtype == C128
    finally:
        fg.set_default_dtype(old)


def test_creation_with_complex_dtype():
    assert fg.zeros(2, 3, dtype=C64).tolist() == [[0j] * 3] * 2
    assert fg.ones(2, dtype=C128).tolist() == [1 + 0j, 1 + 0j]
    assert fg.full((2,), 2, dtype=C64).tolist() == [2 + 0j, 2 + 0j]
    assert fg.empty(2, dtype=C64).shape == (2,)
    assert fg.zeros_like(fg.tensor([1j])).dtype == C64
    assert fg.eye(2, dtype=C64).tolist() == [[1 + 0j, 0j], [0j, 1 + 0j]]
    with pytest.raises(NotImplementedError):
        fg.arange(3, dtype=C64)


def test_full_random_and_conversions():
    f = fg.full((2,), 1 + 1j)
    assert f.dtype == C64 and f.tolist() == [1 + 1j, 1 + 1j]
    fg.manual_seed(0)
    r = fg.randn(1000, dtype=C64)
    assert r.dtype == C64 and r.shape == (1000,)
    assert abs(float((r.abs() ** 2).mean()) - 1.0) < 0.15
    u = fg.rand(5, dtype=C128)
    assert u.dtype == C128 and bool(((u.real >= 0) & (u.real < 1) & (u.imag >= 0)).all())
    x = fg.tensor([1.0, 2.0])
    assert x.cfloat().dtype == C64 and x.cdouble().dtype == C128
    assert fg.tensor([1j]).type() == f"{MOD}.ComplexFloatTensor"
    assert fg.finfo(C64).eps == fg.finfo(fg.float32).eps
    z = fg.zeros(2, dtype=C64)
    z[0] = 1 + 2j
    z.real = fg.tensor([5.0, 6.0])
    assert z.tolist() == [5 + 2j, 6 + 0j]


def test_item_tolist_numpy():
    z = fg.tensor([[1 + 2j, -3j]])
    assert z[0, 0].item() == 1 + 2j
    assert z.tolist() == [[1 + 2j, -3j]]
    a = z.numpy()
    assert a.dtype == np.complex64
    np.testing.assert_array_equal(a, np.array([[1 + 2j, -3j]], dtype=np.complex64))


def test_from_numpy_shares_memory():
    a = np.array([1 + 2j, 3 - 4j], dtype=np.complex128)
    t = fg.from_numpy(a)
    assert t.dtype == C128
    t.real[0] = 9.0
    assert a[0] == 9 + 2j
    b = fg.tensor(np.array([1j, 2], dtype=np.complex64))
    assert b.dtype == C64 and b.tolist() == [1j, 2 + 0j]


# ---- views --------------------------------------------------------------------------


def test_view_as_real_and_complex_share_memory():
    z = fg.tensor([1 + 2j, 3 - 4j])
    r = fg.view_as_real(z)
    assert r.shape == (2, 2) and r.dtype == fg.float32 and r.stride() == (2, 1)
    r[1, 1] = 5.0
    assert z[1].item() == 3 + 5j
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=fg.float64)
    c = fg.view_as_complex(x)
    assert c.dtype == C128 and c.shape == (2,)
    x[0, 0] = 7.0
    assert c[0].item() == 7 + 2j


def test_view_errors():
    with pytest.raises(RuntimeError, match="view_as_real is only supported for complex tensors"):
        fg.view_as_real(fg.ones(2))
    with pytest.raises(RuntimeError, match="last dimension of size 2"):
        fg.view_as_complex(fg.ones(3))
    with pytest.raises(RuntimeError, match="last dimension with stride 1"):
        fg.view_as_complex(fg.ones(2, 2).t())
    with pytest.raises(RuntimeError, match="stride divisible by 2"):
        fg.view_as_complex(fg.ones(3, 3)[:, :2])
    with pytest.raises(RuntimeError, match="storage_offset divisible by 2"):
        fg.view_as_complex(fg.ones(5)[1:].view(2, 2))
    with pytest.raises(RuntimeError):
        fg.view_as_complex(fg.ones(2, dtype=fg.int64))


def test_real_imag_are_writable_views():
    z = fg.tensor([1 + 2j, 3 - 4j])
    assert z.real.tolist() == [1.0, 3.0] and z.imag.tolist() == [2.0, -4.0]
    assert z.real.dtype == fg.float32
    z.imag[0] = 10.0
    z.real.mul_(2)
    assert z.tolist() == [2 + 10j, 6 - 4j]
    x = fg.ones(2)
    assert x.real is x
    with pytest.raises(RuntimeError, match="imag is not implemented for tensors with non-complex dtypes"):
        _ = x.imag


def test_complex_and_polar():
    re = fg.tensor([1.0, 2.0], dtype=fg.float64)
    im = fg.tensor([3.0, -1.0], dtype=fg.float64)
    assert fg.complex(re, im).tolist() == [1 + 3j, 2 - 1j]
    assert fg.complex(re, im).dtype == C128
    with pytest.raises(RuntimeError, match="Expected object of scalar type"):
        fg.complex(fg.ones(2), fg.ones(2, dtype=fg.float64))
    with pytest.raises(RuntimeError, match="Expected both inputs to be Half, Float or Double"):
        fg.complex(fg.ones(2, dtype=fg.int64), fg.ones(2, dtype=fg.int64))
    p = fg.polar(fg.tensor([2.0, 1.0], dtype=fg.float64), fg.tensor([0.0, np.pi / 2], dtype=fg.float64))
    close(p, [2 + 0j, 1j], 1e-12)


def test_conj_abs_angle():
    z = fg.tensor([3 + 4j, -1 - 1j])
    assert z.conj().tolist() == [3 - 4j, -1 + 1j]
    assert fg.conj_physical(z).tolist() == [3 - 4j, -1 + 1j]
    assert fg.conj(z).tolist() == [3 - 4j, -1 + 1j]
    assert fg.real(z).tolist() == [3.0, -1.0] and fg.imag(z).tolist() == [4.0, -1.0]
    assert z.resolve_conj().tolist() == z.tolist()
    a = z.abs()
    assert a.dtype == fg.float32
    close(a, [5.0, np.sqrt(2)])
    close(z.angle(), np.angle(np.array([3 + 4j, -1 - 1j])))


# ---- casts ----------------------------------------------------------------------------


def test_casts_both_ways(monkeypatch):
    # PyTorch warns about complex-to-real casts once per process: forget earlier ones
    monkeypatch.setattr("ferrograd._user_warning._warned_once", set())
    x = fg.tensor([1.5, -2.0])
    z = x.to(C64)
    assert z.dtype == C64 and z.tolist() == [1.5 + 0j, -2 + 0j]
    assert z.to(C128).dtype == C128
    with pytest.warns(UserWarning, match="Casting complex values to real discards the imaginary part"):
        r = fg.tensor([1 + 5j, 2 - 1j]).to(fg.float32)
    assert r.tolist() == [1.0, 2.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert fg.tensor([2.7 + 1j]).to(fg.int64).tolist() == [2]


def test_type_promotion():
    assert fg.promote_types(C64, fg.float64) == C128
    assert fg.promote_types(C64, fg.int64) == C64
    assert fg.promote_types(C128, fg.float32) == C128
    assert fg.result_type(fg.ones(2), 1j) == C64
    assert fg.result_type(fg.ones(2, dtype=fg.float64), 1j) == C128
    assert fg.result_type(fg.ones(2, dtype=fg.int64), 1j) == C64
    assert (fg.ones(2, dtype=fg.float64) + fg.tensor([1j])).dtype == C128
    assert (fg.tensor([1j]) + fg.tensor(2.0, dtype=fg.float64)).dtype == C64


# ---- printing -------------------------------------------------------------------------


def test_repr_matches_torch():
    assert repr(fg.tensor([1 + 2j, 3j])) == "tensor([1.+2.j, 0.+3.j])"
    assert repr(fg.tensor([1 + 2j, 3j], dtype=C128)) == f"tensor([1.+2.j, 0.+3.j], dtype={MOD}.complex128)"
    assert repr(fg.tensor(1.5 - 2j)) == "tensor(1.5000-2.j)"
    assert repr(fg.zeros(0, dtype=C64)) == f"tensor([], dtype={MOD}.complex64)"
    assert repr(fg.tensor([1e10 + 1j, 1e-5j])) == "tensor([1.0000e+10+1.0000e+00j, 0.0000e+00+1.0000e-05j])"
    assert repr(fg.tensor([[1.2345 + 2j, -3j], [0.5 - 0.25j, -0.0 - 0.0j]])) == (
        "tensor([[1.2345+2.0000j, -0.0000-3.0000j],\n        [0.5000-0.2500j, -0.0000+0.0000j]])"
    )
    assert repr(fg.tensor([1 + 2j, 3j], requires_grad=True)) == "tensor([1.+2.j, 0.+3.j], requires_grad=True)"
    assert repr(fg.tensor([1 + 2j] * 12)) == (
        "tensor([1.+2.j, 1.+2.j, 1.+2.j, 1.+2.j, 1.+2.j, 1.+2.j, 1.+2.j, 1.+2.j, 1.+2.j, 1.+2.j,\n"
        "        1.+2.j, 1.+2.j])"
    )


def test_repr_with_float64_default():
    old = fg.get_default_dtype()
    fg.set_default_dtype(fg.float64)
    try:
        assert repr(fg.tensor([1j])) == "tensor([0.+1.j])"
        assert repr(fg.tensor([1j], dtype=C64)) == f"tensor([0.+1.j], dtype={MOD}.complex64)"
    finally:
        fg.set_default_dtype(old)


# ---- shape ops, comparison, reductions -------------------------------------------------


def test_shape_ops_keep_values():
    a = np.array([[1 + 2j, 3 - 1j, 0.5j], [2, -1 - 1j, 4 + 4j]], dtype=np.complex64)
    z = fg.tensor(a)
    np.testing.assert_array_equal(arr(z.t()), a.T)
    np.testing.assert_array_equal(arr(z.reshape(3, 2)), a.reshape(3, 2))
    np.testing.assert_array_equal(arr(z.t().contiguous()), a.T)
    np.testing.assert_array_equal(arr(z.t().reshape(-1)), a.T.reshape(-1))
    np.testing.assert_array_equal(arr(z.clone()), a)
    np.testing.assert_array_equal(arr(z[:, 1:]), a[:, 1:])
    np.testing.assert_array_equal(arr(fg.cat([z, z], 1)), np.concatenate([a, a], 1))
    np.testing.assert_array_equal(arr(fg.cat([z, z.t().contiguous().t()], 0)), np.concatenate([a, a], 0))
    np.testing.assert_array_equal(arr(fg.stack([z, z], -1)), np.stack([a, a], -1))
    np.testing.assert_array_equal(arr(z.flip(1)), a[:, ::-1])
    np.testing.assert_array_equal(arr(z.roll(1, 1)), np.roll(a, 1, 1))
    np.testing.assert_array_equal(arr(z.unsqueeze(0).expand(2, 2, 3)), np.broadcast_to(a, (2, 2, 3)))


def test_equality_and_closeness():
    a = fg.tensor([1 + 1j, 0j, 2j])
    b = fg.tensor([1 + 1j, 1 + 0j, 2j])
    assert (a == b).tolist() == [True, False, True]
    assert (a != b).tolist() == [False, True, False]
    assert fg.allclose(a, a + 1e-9j)
    assert fg.isclose(a, b).tolist() == [True, False, True]
    assert fg.isclose(fg.tensor([1j, 1 + 1j]), fg.tensor([2j, 1 + 1j])).tolist() == [False, True]
    nan = complex(float("nan"), 0)
    assert fg.isclose(fg.tensor([nan]), fg.tensor([nan]), equal_nan=True).tolist() == [True]
    with pytest.raises(NotImplementedError):
        _ = a < b


def test_sum_mean_prod():
    a = np.array([[1 + 2j, 3 - 1j], [2, -1 - 1j]], dtype=np.complex128)
    z = fg.tensor(a)
    close(z.sum(), a.sum(), 1e-12)
    close(z.sum(0), a.sum(0), 1e-12)
    close(z.mean(), a.mean(), 1e-12)
    close(z.mean(1, keepdim=True), a.mean(1, keepdims=True), 1e-12)
    close(z.prod(), a.prod(), 1e-12)
    close(z.prod(1), a.prod(1), 1e-12)
    assert z.sum().dtype == C128


# ---- arithmetic -----------------------------------------------------------------------

A = np.array([1 + 2j, -0.5 + 0.25j, 3 - 1j], dtype=np.complex128)
B = np.array([2 - 1j, 3j, -1 + 0.5j], dtype=np.complex128)


def test_binary_arithmetic_vs_numpy():
    a, b = fg.tensor(A), fg.tensor(B)
    close(a + b, A + B, 1e-12)
    close(a - b, A - B, 1e-12)
    close(a * b, A * B, 1e-12)
    close(a / b, A / B, 1e-12)
    close(-a, -A, 1e-12)
    close(a * 2, A * 2, 1e-12)
    close(a + 1j, A + 1j, 1e-12)
    close(2j * a, 2j * A, 1e-12)
    close(1 / a, 1 / A, 1e-12)
    close(a - fg.tensor([1.0, 2.0, 3.0], dtype=fg.float64), A - [1, 2, 3], 1e-12)
    m = fg.tensor(A.reshape(3, 1)) * fg.tensor(B.reshape(1, 3))
    close(m, A.reshape(3, 1) * B.reshape(1, 3), 1e-12)


def test_inplace_arithmetic():
    a = fg.tensor(A)
    a += fg.tensor(B)
    a *= 1j
    close(a, (A + B) * 1j, 1e-12)


def test_elementwise_functions_vs_numpy():
    a = fg.tensor(A)
    close(a.exp(), np.exp(A), 1e-12)
    close(a.log(), np.log(A), 1e-12)
    close(a.sqrt(), np.sqrt(A), 1e-12)
    close(a.reciprocal(), 1 / A, 1e-12)
    close(a**2, A**2, 1e-12)
    close(a**0.5, A**0.5, 1e-12)
    close(a ** fg.tensor(B), A**B, 1e-12)
    close(a.sin(), np.sin(A), 1e-12)
    close(a.cos(), np.cos(A), 1e-12)
    close(a.tanh(), np.tanh(A), 1e-12)
    close(a.sgn(), A / np.abs(A), 1e-12)
    assert fg.tensor([0j]).sgn().tolist() == [0j]


def test_products_vs_numpy():
    m = (A.reshape(3, 1) * B.reshape(1, 3) + 1).astype(np.complex128)
    x, y = fg.tensor(m), fg.tensor(m.T.copy())
    close(x @ y, m @ m.T, 1e-12)
    close(fg.mm(x, y), m @ m.T, 1e-12)
    close(x @ fg.tensor(A), m @ A, 1e-12)
    close(fg.dot(fg.tensor(A), fg.tensor(B)), np.dot(A, B), 1e-12)
    close(fg.vdot(fg.tensor(A), fg.tensor(B)), np.vdot(A, B), 1e-12)
    n = fg.linalg.vector_norm(fg.tensor(A))
    assert n.dtype == fg.float64
    close(n, np.linalg.norm(A), 1e-12)


# ---- autograd --------------------------------------------------------------------------


def grad_of(f):
    z = fg.tensor([1 + 2j, -0.5 + 0.25j], dtype=C128, requires_grad=True)
    f(z).backward()
    return z.grad.tolist()


W = [2 - 1j, 3j]


def test_gradients_follow_torch_convention():
    w = fg.tensor(W, dtype=C128)
    assert grad_of(lambda z: (z * z.conj()).real.sum()) == [2 + 4j, -1 + 0.5j]
    np.testing.assert_allclose(
        grad_of(lambda z: z.abs().sum()),
        [0.4472135954999579 + 0.8944271909999159j, -0.8944271909999159 + 0.4472135954999579j],
    )
    assert grad_of(lambda z: fg.view_as_real(z).sum()) == [1 + 1j, 1 + 1j]
    assert grad_of(lambda z: (z * w).real.sum()) == [2 + 1j, -3j]
    assert grad_of(lambda z: (z * w).imag.sum()) == [-1 + 2j, 3 + 0j]
    np.testing.assert_allclose(grad_of(lambda z: (z / w).abs().sum()), [0.2 + 0.4j, -0.2981423969999719 + 0.14907119849998596j])
    np.testing.assert_allclose(
        grad_of(lambda z: z.exp().real.sum()),
        [-1.1312043837568135 - 2.4717266720048188j, 0.5876750903439226 - 0.15005808662216327j],
    )
    np.testing.assert_allclose(grad_of(lambda z: (z**2).imag.sum()), [4 + 2j, 0.5 - 1j])
    np.testing.assert_allclose(
        grad_of(lambda z: z.angle().sum()), [-0.4 + 0.2j, -0.8 - 1.6j], rtol=1e-12
    )


def test_backward_of_complex_scalar_is_refused():
    z = fg.tensor([1 + 2j], requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for real scalar outputs"):
        (z * 2).sum().backward()


def test_grad_fn_names():
    z = fg.tensor([1 + 2j, 3j], requires_grad=True)
    w = fg.tensor([2 + 1j, 1j])
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    names = {
        "real": z.real,
        "view_as_real": fg.view_as_real(z),
        "mul": z * w,
        "add": z + w,
        "sub": z - w,
        "div": z / w,
        "neg": -z,
        "sum": z.sum(),
        "mean": z.mean(),
        "abs": z.abs(),
        "angle": z.angle(),
        "exp": z.exp(),
        "conj_physical": z.conj_physical(),
        "sgn": z.sgn(),
        "pow": z**2,
        "to": x.to(C64),
        "complex": fg.complex(x, x),
        "polar": fg.polar(x, x),
        "view_as_complex": fg.view_as_complex(fg.stack([x, x], -1)),
        "cat": fg.cat([z, z]),
        "mm": z.reshape(1, 2) @ w.reshape(2, 1),
    }
    got = {k: type(v.grad_fn).__name__ for k, v in names.items()}
    assert got == {
        "real": "SelectBackward0",
        "view_as_real": "ViewAsRealBackward0",
        "mul": "MulBackward0",
        "add": "AddBackward0",
        "sub": "SubBackward0",
        "div": "DivBackward0",
        "neg": "NegBackward0",
        "sum": "SumBackward0",
        "mean": "MeanBackward0",
        "abs": "AbsBackward0",
        "angle": "AngleBackward0",
        "exp": "ExpBackward0",
        "conj_physical": "ConjPhysicalBackward0",
        "sgn": "SgnBackward0",
        "pow": "PowBackward0",
        "to": "ToCopyBackward0",
        "complex": "ComplexBackward0",
        "polar": "PolarBackward0",
        "view_as_complex": "ViewAsComplexBackward0",
        "cat": "CatBackward0",
        "mm": "MmBackward0",
    }


def zleaf(*shape, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.uniform(0.5, 1.5, shape) + 1j * rng.uniform(0.5, 1.5, shape)
    return fg.tensor(v, dtype=C128, requires_grad=True)


GRADCHECK = {
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "add_sub": lambda a, b: a + 2 * b - a * 1j,
    "exp": lambda a, b: a.exp(),
    "log": lambda a, b: a.log(),
    "sqrt": lambda a, b: a.sqrt(),
    "reciprocal": lambda a, b: a.reciprocal(),
    "pow_scalar": lambda a, b: a**3,
    "pow_tensor": lambda a, b: a**b,
    "sin_cos_tanh": lambda a, b: a.sin() + a.cos() * a.tanh(),
    "abs": lambda a, b: a.abs(),
    "angle": lambda a, b: a.angle(),
    "sgn": lambda a, b: a.sgn(),
    "conj": lambda a, b: a.conj_physical() * b,
    "real_imag": lambda a, b: a.real * b.imag,
    "view_as_real": lambda a, b: fg.view_as_real(a * b),
    "sum_mean": lambda a, b: (a * b).sum() + a.mean(),
    "prod": lambda a, b: a.prod(),
    "matmul": lambda a, b: a.reshape(2, 2) @ b.reshape(2, 2),
    "vdot": lambda a, b: fg.vdot(a, b),
    "norm": lambda a, b: fg.linalg.vector_norm(a),
    "cat_flip": lambda a, b: fg.cat([a, b.flip(0)]),
}


@pytest.mark.parametrize("name", sorted(GRADCHECK))
def test_gradcheck(name):
    a, b = zleaf(4, seed=1), zleaf(4, seed=2)
    assert fg.autograd.gradcheck(GRADCHECK[name], (a, b))


def test_gradcheck_real_to_complex():
    x = fg.tensor([0.3, 1.2], dtype=fg.float64, requires_grad=True)
    y = fg.tensor([0.7, -0.4], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(lambda a, b: fg.complex(a, b) * (1 + 2j), (x, y))
    assert fg.autograd.gradcheck(lambda a, b: fg.polar(a, b), (x, y))
    assert fg.autograd.gradcheck(lambda a, b: a.to(C128) * b, (x, y))
    assert fg.autograd.gradcheck(lambda a, b: fg.view_as_complex(fg.stack([a, b], -1)).abs(), (x, y))


REFUSED = {
    "max": lambda z: z.max(),
    "min": lambda z: z.min(),
    "amax": lambda z: z.amax(),
    "floor": lambda z: z.floor(),
    "trunc": lambda z: z.trunc(),
    "relu": lambda z: z.relu(),
    "sign": lambda z: z.sign(),
    "atan2": lambda z: fg.atan2(z, z),
    "remainder": lambda z: z % 2,
    "floor_divide": lambda z: z // 2,
    "lt": lambda z: z < 1,
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_ops_without_complex_support_raise(name):
    with pytest.raises(NotImplementedError):
        REFUSED[name](fg.tensor([1 + 1j, 2j]))


def test_unsupported_ops_raise():
    z = fg.tensor([1 + 1j])
    with pytest.raises(NotImplementedError):
        z.max()
    assert not z.is_conj()
