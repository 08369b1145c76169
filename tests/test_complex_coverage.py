"""Complex tensors through the rest of the op surface: indexing and selection, scatter,
`where`, variance, batched products, scans, more elementwise functions, shape ops,
pickling, and PyTorch's errors for ops without complex kernels. Expected values come
from NumPy's complex arithmetic or were recorded from PyTorch 2.13."""

import copy
import io
import pickle
import warnings

import numpy as np
import pytest
from backend import MOD, fg

C64, C128 = fg.complex64, fg.complex128

Z = np.array([1 + 2j, 3j, -1 + 0.5j, 0.25 - 1j])
W = np.array([0.5 - 1j, 2 + 0j, 1j, -0.75 + 0.25j])
# off every branch cut of the inverse functions and logarithms
G = np.array([0.3 + 0.4j, -0.5 + 0.2j, 0.7 - 0.6j, 0.2 + 0.1j])
M = np.array([[1 + 2j, 3j, 0.5], [-1j, 2 - 1j, 1 + 1j]])


def arr(t):
    return t.detach().resolve_conj().numpy()


def close(t, expected, tol=1e-6):
    np.testing.assert_allclose(arr(t), np.asarray(expected), rtol=tol, atol=tol)


def leaf(values, dtype=C128):
    return fg.tensor(values, dtype=dtype, requires_grad=True)


def node(t):
    return type(t.grad_fn).__name__


def gradcheck(fn, *inputs):
    assert fg.autograd.gradcheck(fn, inputs)


# ---- where, indexing and selection ---------------------------------------------------


def test_where_picks_complex_values():
    z, w = leaf(Z), leaf(W)
    out = fg.where(z.abs() > 1.5, z, w)
    close(out, np.where(np.abs(Z) > 1.5, Z, W))
    assert out.dtype == C128 and node(out) == "WhereBackward0"
    close(fg.where(z.abs() > 1.5, z, 0), np.where(np.abs(Z) > 1.5, Z, 0))
    close(z.where(z.abs() > 1.5, w), np.where(np.abs(Z) > 1.5, Z, W))
    gradcheck(lambda a, b: fg.where(a.abs() > 1.5, a, b * b), z, w)


def test_where_promotes_real_and_complex64():
    z = fg.tensor(Z, dtype=C64)
    out = fg.where(fg.tensor([True, False, True, False]), z, fg.tensor([1.0, 2.0, 3.0, 4.0]))
    assert out.dtype == C64
    close(out, [Z[0], 2, Z[2], 4])


def test_advanced_indexing_reads():
    z = leaf(Z)
    idx = fg.tensor([0, -1, 0])
    close(z[idx], Z[[0, -1, 0]])
    assert node(z[idx]) == "IndexBackward0"
    mask = z.abs() > 1.5
    close(z[mask], Z[np.abs(Z) > 1.5])
    m = fg.tensor(M)
    close(m[:, fg.tensor([2, 0])], M[:, [2, 0]])
    close(m[fg.tensor([1, 0]), fg.tensor([0, 2])], M[[1, 0], [0, 2]])
    gradcheck(lambda a: a[fg.tensor([0, 2, 2])] * a[a.abs() > 1.5].sum(), z)


def test_advanced_indexing_writes():
    z = fg.tensor(Z)
    z[fg.tensor([0, 2])] = fg.tensor([5j, 6 + 0j], dtype=C128)
    expected = Z.copy()
    expected[[0, 2]] = [5j, 6]
    close(z, expected)
    z[z.abs() > 5.5] = 1j
    expected[np.abs(expected) > 5.5] = 1j
    close(z, expected)
    w = leaf(W)

    def write(a, b):
        c = a * 1
        c[fg.tensor([1, 3])] = b[:2]
        return c

    out = write(leaf(Z), w)
    assert node(out) == "IndexPutBackward0"
    gradcheck(write, leaf(Z), w)
    put = fg.tensor(Z).index_put((fg.tensor([0, 0]),), fg.tensor([1j, 2j], dtype=C128), accumulate=True)
    close(put, [Z[0] + 3j, *Z[1:]])


def test_take_gather_index_select():
    z = leaf(Z)
    i = fg.tensor([3, 0, 3])
    cases = {
        "TakeBackward0": (fg.take(z, i), Z[[3, 0, 3]]),
        "IndexSelectBackward0": (fg.index_select(z, 0, i), Z[[3, 0, 3]]),
        "GatherBackward0": (fg.gather(z, 0, i), Z[[3, 0, 3]]),
        "MaskedSelectBackward0": (fg.masked_select(z, z.abs() > 1.5), Z[np.abs(Z) > 1.5]),
    }
    for name, (out, expected) in cases.items():
        close(out, expected)
        assert out.dtype == C128 and node(out) == name
    m = fg.tensor(M)
    close(fg.take_along_dim(m, fg.tensor([[2], [0]]), 1), [[M[0, 2]], [M[1, 0]]])
    gradcheck(lambda a: fg.gather(a, 0, i) + fg.take(a, i) + a.index_select(0, i), z)
    gradcheck(lambda a: fg.masked_select(a, a.abs() > 1.5), z)


def test_scatter_family_values():
    z, w = fg.tensor(Z), fg.tensor(W)
    i = fg.tensor([1, 1, 0, 3])
    e = Z.copy()
    np.add.at(e, [1, 1, 0, 3], W)
    close(fg.scatter_add(z, 0, i, w), e)
    close(z.index_add(0, i, w), e)
    e = Z.copy()
    e[[1, 0, 3]] = W[[1, 2, 3]]
    close(z.scatter(0, i, w), e)
    close(z.index_fill(0, fg.tensor([2]), 1j), [Z[0], Z[1], 1j, Z[3]])
    close(z.index_copy(0, fg.tensor([3, 0]), w[:2]), [W[1], Z[1], Z[2], W[0]])
    close(z.put(fg.tensor([2]), w[:1]), [Z[0], Z[1], W[0], Z[3]])
    mask = fg.tensor([True, False, True, False])
    close(z.masked_scatter(mask, w), [W[0], Z[1], W[1], Z[3]])
    prod = Z.copy()
    prod[1] *= W[0] * W[1]
    prod[0] *= W[2]
    prod[3] *= W[3]
    close(z.scatter_reduce(0, i, w, "prod"), prod)
    mean = Z.copy()
    mean[1] = (Z[1] + W[0] + W[1]) / 3
    mean[0] = (Z[0] + W[2]) / 2
    mean[3] = (Z[3] + W[3]) / 2
    close(z.scatter_reduce(0, i, w, "mean"), mean)
    close(z.scatter_reduce(0, i, w, "sum", include_self=False), [W[2], W[0] + W[1], Z[2], W[3]])


def test_scatter_family_gradients_and_nodes():
    z, w = leaf(Z), leaf(W)
    i = fg.tensor([1, 1, 0, 3])
    assert node(fg.scatter_add(z, 0, i, w)) == "ScatterAddBackward0"
    assert node(z.index_add(0, i, w)) == "IndexAddBackward0"
    assert node(z.scatter(0, i, w)) == "ScatterBackward0"
    assert node(z.put(fg.tensor([2]), w[:1])) == "PutBackward0"
    unique = fg.tensor([2, 1, 0, 3])
    gradcheck(lambda a, b: fg.scatter_add(a, 0, i, b) * a, z, w)
    gradcheck(lambda a, b: a.scatter(0, unique, b) + a.index_add(0, i, b), z, w)
    gradcheck(lambda a, b: a.masked_scatter(fg.tensor([True, False, True, False]), b), z, w)


def test_scatter_reduce_amax_refused():
    z = fg.tensor(Z)
    with pytest.raises(NotImplementedError):
        z.scatter_reduce(0, fg.tensor([0, 0, 1, 1]), z, "amax")


def test_masked_fill_complex():
    z = leaf(Z)
    mask = z.abs() > 1.5
    out = z.masked_fill(mask, 2 - 1j)
    close(out, np.where(np.abs(Z) > 1.5, 2 - 1j, Z))
    assert node(out) == "MaskedFillBackward0"
    v = fg.tensor(0.5j, dtype=C128, requires_grad=True)
    out = z.masked_fill(mask, v)
    close(out, np.where(np.abs(Z) > 1.5, 0.5j, Z))
    assert node(out) == "MaskedFillBackward1"
    gradcheck(lambda a, b: a.masked_fill(a.abs() > 1.5, b), z, v)
    c = fg.tensor(Z)
    c.masked_fill_(mask, 1j)
    close(c, np.where(np.abs(Z) > 1.5, 1j, Z))
    with pytest.raises(RuntimeError):
        fg.zeros(4).masked_fill(mask, 1j)


# ---- variance, standard deviation ----------------------------------------------------


def test_var_std_are_real():
    z = fg.tensor(Z, dtype=C64)
    v = z.var()
    assert v.dtype == fg.float32 and v.shape == ()
    close(v, np.var(Z, ddof=1), 1e-5)
    close(z.std(), np.std(Z, ddof=1), 1e-5)
    m = fg.tensor(M)
    out = m.var(1, correction=0, keepdim=True)
    assert out.dtype == fg.float64 and out.shape == (2, 1)
    close(out, np.var(M, axis=1, keepdims=True))
    close(m.std(0, unbiased=False), np.std(M, axis=0))
    close(fg.var(m, (0, 1)), np.var(M, ddof=1))


def test_var_mean_std_mean():
    m = leaf(M)
    var, mean = fg.var_mean(m, 0)
    close(var, np.var(M, axis=0, ddof=1))
    close(mean, M.mean(0))
    assert var.dtype == fg.float64 and mean.dtype == C128
    assert node(var) == node(mean) == "VarMeanBackward0"
    std, mean = fg.std_mean(m)
    close(std, np.std(M, ddof=1))
    assert node(std) == "StdMeanBackward0"


def test_var_std_gradients():
    m = leaf(M)
    assert node(m.var()) == "VarBackward0" and node(m.std(1)) == "StdBackward0"
    gradcheck(lambda a: a.var(), m)
    gradcheck(lambda a: a.std(1, keepdim=True), m)
    gradcheck(lambda a: fg.var_mean(a, 0, correction=0)[0], m)
    # the variance's gradient is 2 (z - mean) / (n - 1), as PyTorch's convention gives
    z = leaf(Z)
    z.var().backward()
    close(z.grad, 2 * (Z - Z.mean()) / 3)


# ---- batched products ----------------------------------------------------------------


def test_bmm_matmul_einsum():
    a = M.reshape(1, 2, 3)
    b = np.conj(M).T.reshape(1, 3, 2)
    ta, tb = leaf(a), leaf(b)
    out = fg.bmm(ta, tb)
    close(out, a @ b)
    assert out.dtype == C128 and node(out) == "BmmBackward0"
    out = fg.matmul(ta, tb)
    close(out, a @ b)
    assert node(out) == "UnsafeViewBackward0"
    close(fg.einsum("bij,bjk->bik", ta, tb), a @ b)
    close(fg.matmul(ta.expand(3, 2, 3), tb[0]), np.broadcast_to(a, (3, 2, 3)) @ b[0])
    gradcheck(lambda x, y: fg.bmm(x, y), ta, tb)
    gradcheck(lambda x, y: fg.matmul(x.expand(2, 2, 3), y[0]), ta, tb)


def test_mv_and_add_products():
    m, z = leaf(M), leaf(Z[:3])
    out = fg.mv(m, z)
    close(out, M @ Z[:3])
    assert node(out) == "MvBackward0"
    sq = leaf(M[:, :2])
    out = fg.addmm(sq, sq, sq, beta=2)
    close(out, 2 * M[:, :2] + M[:, :2] @ M[:, :2])
    assert node(out) == "AddmmBackward0"
    out = fg.baddbmm(sq[None], sq[None], sq[None])
    close(out, M[None, :, :2] + M[None, :, :2] @ M[None, :, :2])
    assert node(out) == "BaddbmmBackward0"
    gradcheck(lambda a, v: fg.mv(a, v), m, z)
    gradcheck(lambda a: fg.addmm(a, a, a), sq)
    gradcheck(lambda a: fg.baddbmm(a[None], a[None], a[None]), sq)


# ---- scans and log-sum-exp ------------------------------------------------------------


def test_cumulative_ops():
    z = leaf(Z)
    cases = {
        "CumsumBackward0": (z.cumsum(0), np.cumsum(Z)),
        "CumprodBackward0": (z.cumprod(0), np.cumprod(Z)),
        "LogcumsumexpBackward0": (z.logcumsumexp(0), np.log(np.cumsum(np.exp(Z)))),
    }
    for name, (out, expected) in cases.items():
        assert out.dtype == C128 and node(out) == name
        close(out, expected)
    m = fg.tensor(M)
    close(m.cumsum(1), np.cumsum(M, 1))
    close(fg.cumprod(m, 0), np.cumprod(M, 0))
    close(fg.tensor(1 + 2j).cumsum(0), 1 + 2j)
    gradcheck(lambda a: a.cumsum(0) * a.cumprod(0), z)
    gradcheck(lambda a: a.logcumsumexp(0), z)


def test_logsumexp_complex():
    m = leaf(M)
    out = m.logsumexp(1)
    assert out.dtype == C128 and node(out) == "LogsumexpBackward0"
    close(out, np.log(np.exp(M).sum(1)))
    close(fg.logsumexp(m, (0, 1), keepdim=True), np.log(np.exp(M).sum()).reshape(1, 1))
    gradcheck(lambda a: a.logsumexp(0), m)


# ---- elementwise functions -----------------------------------------------------------

UNARY = {
    "sinh": (np.sinh, "SinhBackward0"),
    "cosh": (np.cosh, "CoshBackward0"),
    "tan": (np.tan, "TanBackward0"),
    "asin": (np.arcsin, "AsinBackward0"),
    "acos": (np.arccos, "AcosBackward0"),
    "atan": (np.arctan, "AtanBackward0"),
    "asinh": (np.arcsinh, "AsinhBackward0"),
    "acosh": (np.arccosh, "AcoshBackward0"),
    "atanh": (np.arctanh, "AtanhBackward0"),
    "log2": (np.log2, "Log2Backward0"),
    "log10": (np.log10, "Log10Backward0"),
    "log1p": (np.log1p, "Log1PBackward0"),
    "expm1": (np.expm1, "Expm1Backward0"),
    "exp2": (np.exp2, "Exp2Backward0"),
    "rsqrt": (lambda v: 1 / np.sqrt(v), "RsqrtBackward0"),
    "sigmoid": (lambda v: 1 / (1 + np.exp(-v)), "SigmoidBackward0"),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_functions(name):
    ref, node_name = UNARY[name]
    z = leaf(G)
    out = getattr(fg, name)(z)
    assert out.dtype == C128 and node(out) == node_name
    close(out, ref(G), 1e-9)
    close(getattr(fg.tensor(G, dtype=C64), name)(), ref(G), 1e-5)
    gradcheck(getattr(fg, name), z)
    c = fg.tensor(G)
    getattr(c, name + "_")()
    close(c, ref(G), 1e-9)


def test_value_tests():
    v = np.array([1 + 1j, complex(np.inf, 0), complex(0, np.nan), 2 + 0j, complex(1, -np.inf)])
    z = fg.tensor(v)
    assert fg.isfinite(z).tolist() == np.isfinite(v).tolist()
    assert fg.isinf(z).tolist() == np.isinf(v).tolist()
    assert fg.isnan(z).tolist() == np.isnan(v).tolist()
    assert fg.isreal(z).tolist() == np.isreal(v).tolist()


def test_binary_functions():
    z, w = leaf(Z), leaf(W)
    out = fg.logaddexp(z, w)
    assert node(out) == "LogaddexpBackward0"
    close(out, np.log(np.exp(Z) + np.exp(W)))
    out = fg.lerp(z, w, 0.25)
    assert node(out) == "LerpBackward0"
    close(out, Z + 0.25 * (W - Z))
    close(fg.lerp(z, w, w), Z + W * (W - Z))
    out = fg.ldexp(z, fg.tensor([1, 2, 0, -1]))
    assert node(out) == "LdexpBackward0"
    close(out, Z * 2.0 ** np.array([1, 2, 0, -1]))
    out = fg.addcdiv(z, z, w, value=2)
    close(out, Z + 2 * Z / W)
    out = 1 - z
    assert node(out) == "RsubBackward1"
    close(out, 1 - Z)
    close(fg.rsub(z, w), W - Z)
    gradcheck(lambda a, b: fg.logaddexp(a, b) + fg.lerp(a, b, 0.3), z, w)


# ---- shape ops -----------------------------------------------------------------------


def test_repeat_tile_tril_triu():
    z, m = leaf(Z), leaf(M)
    out = z.repeat(2, 1)
    assert node(out) == "RepeatBackward0"
    close(out, np.tile(Z, (2, 1)))
    close(z.tile((3,)), np.tile(Z, 3))
    out = m.tril()
    assert node(out) == "TrilBackward0"
    close(out, np.tril(M))
    out = m.triu(1)
    assert node(out) == "TriuBackward0"
    close(out, np.triu(M, 1))
    close(fg.tril(m, -1), np.tril(M, -1))
    gradcheck(lambda a: a.repeat(2, 2), m)
    gradcheck(lambda a: a.tril() + a.triu(1), m)


def test_conjugate_transposes():
    m = leaf(M)
    close(m.mH, np.conj(M).T)
    close(m.H, np.conj(M).T)
    close(m.adjoint(), np.conj(M).T)
    assert node(m.mH) == "ConjBackward0"
    close(fg.tensor(M.real).mH, M.real.T)


def test_cov_corrcoef_complex():
    c = fg.cov(fg.tensor(M))
    assert c.dtype == C128
    close(c, np.cov(M))
    r = fg.corrcoef(fg.tensor(M))
    expected = np.corrcoef(M)
    close(r, np.clip(expected.real, -1, 1) + 1j * np.clip(expected.imag, -1, 1))


def test_zero_dim_reductions():
    z = leaf(1 + 2j)
    out = z.mean()
    assert out.shape == () and node(out) == "MeanBackward0"
    close(out, 1 + 2j)
    out = z.prod(0)
    assert out.shape == () and node(out) == "ProdBackward1"
    close(out, 1 + 2j)
    close(fg.tensor(Z).prod(0, keepdim=True), [np.prod(Z)])


def test_fill_with_complex_tensor():
    z = leaf(Z)
    v = fg.tensor(1 - 1j, dtype=C128, requires_grad=True)
    out = fg.fill(z, v)
    assert node(out) == "FillBackward1"
    close(out, np.full(4, 1 - 1j))
    gradcheck(lambda a, b: fg.fill(a, b), z, v)


# ---- Python conversions, pickling, creation --------------------------------------------


def test_scalar_conversions():
    assert complex(fg.tensor([1 + 2j])) == 1 + 2j
    assert complex(fg.tensor(2.5)) == 2.5 + 0j
    assert bool(fg.tensor(1j)) and not bool(fg.tensor(0j))
    with pytest.raises(ValueError):
        complex(fg.tensor(Z))
    with pytest.raises(IndexError):
        fg.tensor(1j).stride(0)


def test_numpy_scalars_keep_their_dtype():
    assert fg.tensor(np.complex128(1 + 2j)).dtype == C128
    assert fg.tensor(np.complex64(1 + 2j)).dtype == C64
    assert fg.tensor(np.float64(1.5)).dtype == fg.float64
    assert fg.tensor(np.float16(1.5)).dtype == fg.float16
    assert fg.tensor(np.int32(3)).dtype == fg.int32
    assert fg.tensor(np.complex128(1j)).item() == 1j


@pytest.mark.parametrize("dtype", [C64, C128])
def test_pickle_and_save_round_trip(dtype):
    z = fg.tensor(M, dtype=dtype)
    back = pickle.loads(pickle.dumps(z))
    assert back.dtype == dtype and back.shape == (2, 3)
    close(back, M)
    grad_leaf = pickle.loads(pickle.dumps(fg.tensor(Z, dtype=dtype, requires_grad=True)))
    assert grad_leaf.requires_grad
    close(copy.deepcopy(z.t()), M.T)
    buf = io.BytesIO()
    fg.save({"z": z, "view": z[:, 1]}, buf)
    buf.seek(0)
    loaded = fg.load(buf)
    assert loaded["z"].dtype == dtype
    close(loaded["z"], M)
    close(loaded["view"], M[:, 1])
    assert np.asarray(z.t().numpy()).tolist() == M.T.astype(np.complex128).tolist()


def test_printing_odd_shapes():
    assert repr(fg.tensor(Z)[:0]) == f"tensor([], dtype={MOD}.complex128)"
    assert repr(fg.zeros(2, 0, dtype=C64)) == "tensor([], size=(2, 0), dtype=" + MOD + ".complex64)"
    long = repr(fg.tensor([1 + 2j, 3j]).repeat(600))
    assert long.startswith("tensor([1.+2.j, 0.+3.j, 1.+2.j,") and "..." in long
    assert repr(fg.tensor([[1.5 - 1j]])) == "tensor([[1.5000-1.j]])"


# ---- PyTorch's errors for ops without complex kernels -----------------------------------

REFUSED_RUNTIME = {
    "sort": lambda z: fg.sort(z),
    "argsort": lambda z: z.argsort(),
    "msort": lambda z: fg.msort(z),
    "topk": lambda z: z.topk(1),
    "argmax": lambda z: z.argmax(),
    "argmin_dim": lambda z: z.argmin(0),
    "max_dim": lambda z: z.max(0),
    "min_dim": lambda z: z.min(0),
    "maximum": lambda z: fg.maximum(z, z),
    "minimum": lambda z: fg.minimum(z, z),
    "fmax": lambda z: fg.fmax(z, z),
    "fmin": lambda z: fg.fmin(z, z),
    "deg2rad": lambda z: z.deg2rad(),
    "rad2deg": lambda z: z.rad2deg(),
    "isposinf": lambda z: z.isposinf(),
    "isneginf": lambda z: z.isneginf(),
    "nansum": lambda z: fg.nansum(z),
    "heaviside": lambda z: fg.heaviside(z, z),
    "isin": lambda z: fg.isin(z, z),
    "nanmean": lambda z: z.nanmean(),
    "nan_to_num_grad": lambda z: z.requires_grad_().nan_to_num(),
    "cosine_similarity": lambda z: fg.nn.functional.cosine_similarity(z, z, dim=0),
    "kl_div": lambda z: fg.nn.functional.kl_div(z, z),
    "scatter_reduce_grad": lambda z: z.requires_grad_().scatter_reduce(0, fg.tensor([0, 0, 1, 1]), z, "sum"),
}

REFUSED_NOT_IMPLEMENTED = {
    "clamp": lambda z: z.clamp(0, 1),
    "clamp_min": lambda z: z.clamp_min(0),
    "clamp_max_tensor": lambda z: z.clamp_max(z),
    "clamp_": lambda z: z.clone().clamp_(max=1),
    "relu": lambda z: fg.relu(z),
    "sign": lambda z: z.sign(),
    "signbit": lambda z: z.signbit(),
    "floor": lambda z: z.floor(),
    "ceil": lambda z: z.ceil(),
    "trunc": lambda z: z.trunc(),
    "max": lambda z: z.max(),
    "amax": lambda z: z.amax(),
    "cummax": lambda z: z.cummax(0),
    "kthvalue": lambda z: z.kthvalue(1),
    "median": lambda z: z.median(),
    "lt": lambda z: z < 1,
    "erf": lambda z: z.erf(),
    "remainder": lambda z: z % 2,
    "unique": lambda z: fg.unique(z),
    "bincount": lambda z: z.bincount(),
    "searchsorted": lambda z: fg.searchsorted(z, z),
    "histc": lambda z: z.histc(),
    "mse_loss": lambda z: fg.nn.functional.mse_loss(z, z),
    "smooth_l1_loss": lambda z: fg.nn.functional.smooth_l1_loss(z, z),
    "layer_norm": lambda z: fg.nn.functional.layer_norm(z, (4,)),
    "dropout": lambda z: fg.nn.functional.dropout(z, 0.5),
    "unique_consecutive": lambda z: fg.unique_consecutive(z),
    "nanmedian": lambda z: z.nanmedian(),
    "bitwise_not": lambda z: z.bitwise_not(),
    "repeat_interleave_counts": lambda z: fg.repeat_interleave(z),
    "logit": lambda z: z.logit(),
    "lgamma": lambda z: z.lgamma(),
    "digamma": lambda z: z.digamma(),
    "i0": lambda z: z.i0(),
}


@pytest.mark.parametrize("name", sorted(REFUSED_RUNTIME))
def test_refused_with_runtime_error(name):
    with pytest.raises(RuntimeError) as info:
        REFUSED_RUNTIME[name](fg.tensor(Z))
    assert not isinstance(info.value, NotImplementedError)


@pytest.mark.parametrize("name", sorted(REFUSED_NOT_IMPLEMENTED))
def test_refused_with_not_implemented_error(name):
    with pytest.raises(NotImplementedError):
        REFUSED_NOT_IMPLEMENTED[name](fg.tensor(Z))


def test_refusal_messages():
    z = fg.tensor(Z, dtype=C64)
    with pytest.raises(RuntimeError, match="^ Sort does not support complex dtypes on CPU$"):
        fg.sort(z)
    with pytest.raises(RuntimeError, match=r"^argmax\(\): does not support complex input$"):
        z.argmax()
    with pytest.raises(RuntimeError, match="^maximum not implemented for complex tensors.$"):
        fg.maximum(z, z)
    with pytest.raises(NotImplementedError, match="^clamp is not supported for complex types$"):
        z.clamp(min=0)


def test_dlpack_shares_complex_memory():
    a = Z.copy()
    t = fg.from_dlpack(a)
    assert t.dtype == C128
    close(t, Z)
    a[0] = 7 - 1j
    assert t[0].item() == 7 - 1j
    m = fg.tensor(M, dtype=C64)
    np.testing.assert_array_equal(np.from_dlpack(m), M.astype(np.complex64))
    np.testing.assert_array_equal(np.from_dlpack(m.t()), M.T.astype(np.complex64))


def test_cross_product_gradient():
    a, b = leaf(Z[:3]), leaf(W[:3])
    out = fg.linalg.cross(a, b)
    close(out, np.cross(Z[:3], W[:3]))
    assert node(out) == "LinalgCrossBackward0"
    gradcheck(lambda x, y: fg.linalg.cross(x, y), a, b)


def test_masked_fill_gradient_through_real_number_fill():
    z = leaf(Z)
    out = z.masked_fill(fg.tensor([True, False, False, True]), 0)
    close(out, [0, Z[1], Z[2], 0])
    gradcheck(lambda a: a.masked_fill(fg.tensor([True, False, False, True]), 2), z)


def test_index_reduce_refused():
    z = fg.tensor(Z)
    with warnings.catch_warnings(), pytest.raises(NotImplementedError):
        warnings.simplefilter("ignore")  # index_reduce's beta warning comes once a process
        z.index_reduce(0, fg.tensor([0, 0, 1, 1]), z, "prod")


@pytest.mark.parametrize("dtype", [fg.float64, C128])
def test_zero_dim_selections(dtype):
    z = fg.tensor(1.5, dtype=dtype, requires_grad=True)
    i0 = fg.zeros((), dtype=fg.int64)
    out = fg.gather(z, 0, i0)
    assert out.shape == () and node(out) == "GatherBackward0"
    assert fg.gather(z, 0, fg.zeros(2, dtype=fg.int64)).shape == (2,)
    assert fg.index_select(z, 0, fg.tensor([0])).shape == ()
    assert fg.take(z, i0).shape == () and node(fg.take(z, i0)) == "TakeBackward0"
    close(fg.take(z, fg.tensor([0, 0])), [1.5, 1.5])
    with pytest.raises(IndexError):
        fg.take_along_dim(z, i0, 0)


def test_vander_and_gradient_complex():
    z = fg.tensor(Z)
    v = fg.vander(z, 3)
    assert v.dtype == C128
    close(v, np.vander(Z, 3))
    (g,) = fg.gradient(z)
    close(g, np.gradient(Z))


def test_float_power_and_sinc_complex():
    out = fg.float_power(fg.tensor(G, dtype=C64), 2)
    assert out.dtype == C128
    close(out, G**2)
    close(fg.float_power(fg.tensor([1.0, 2.0]), fg.tensor([1j, 2j])), np.array([1.0, 2.0]) ** np.array([1j, 2j]))
    c = fg.tensor(G)
    c.float_power_(2)
    close(c, G**2)
    with pytest.raises(RuntimeError):
        fg.tensor(G, dtype=C64).float_power_(2)
    z = leaf(G)
    out = fg.sinc(z)
    assert out.dtype == C128 and node(out) == "SincBackward0"
    close(out, np.sinc(G))
    close(fg.sinc(fg.tensor([0j, 0.5 + 0j])), [1, np.sinc(0.5)])
    gradcheck(fg.sinc, z)


def test_complex_numbers_written_into_real_tensors():
    with pytest.raises(RuntimeError, match="^value cannot be converted to type float without overflow$"):
        fg.zeros(2).fill_(1j)
    assert fg.zeros(2).fill_(1 + 0j).tolist() == [1.0, 1.0]
    assert fg.zeros(2, dtype=fg.bool).fill_(1j).tolist() == [True, True]
    with pytest.raises(RuntimeError, match="int64_t"):
        fg.zeros(2, dtype=fg.int64).fill_(2j)
    assert fg.full((2,), 1 + 0j, dtype=fg.float64).tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError):
        fg.zeros(2).index_fill(0, fg.tensor([0]), 1j)
    assert fg.zeros(2).masked_fill(fg.tensor([True, False]), 1 + 0j).tolist() == [1.0, 0.0]
    with pytest.raises(RuntimeError):
        fg.full_like(fg.zeros(2), fg.tensor(1 + 2j))


def test_zero_dim_tensors_as_fill_values():
    out = fg.full((2,), fg.tensor(1 + 2j))
    assert out.dtype == C64 and out.tolist() == [1 + 2j, 1 + 2j]
    assert fg.full_like(fg.zeros(2, dtype=C128), fg.tensor(2.0)).tolist() == [2 + 0j, 2 + 0j]
    with pytest.raises(TypeError):
        fg.full((2,), fg.tensor([2.0]))


def test_scans_with_a_dtype():
    out = fg.tensor(Z, dtype=C64).cumsum(0, dtype=C128)
    assert out.dtype == C128
    close(out, np.cumsum(Z))
    out = fg.tensor([1.0, 2.0, 3.0]).cumprod(0, dtype=C64)
    assert out.dtype == C64
    close(out, [1, 2, 6])


@pytest.mark.parametrize("p", [1, 2, 3, float("inf")])
def test_renorm_complex(p):
    m = leaf(M)
    out = m.renorm(p, 0, 1.5)
    assert out.dtype == C128 and node(out) == "RenormBackward0"
    norms = np.linalg.norm(M, ord=p, axis=1, keepdims=True)
    close(out, np.where(norms > 1.5, M * 1.5 / (norms + 1e-7), M))
    gradcheck(lambda a: a.renorm(p, 0, 1.5), m)


@pytest.mark.parametrize("ord", ["fro", 1, -1, float("inf"), -float("inf")])
def test_matrix_norm_complex(ord):
    m = leaf(M)
    out = fg.linalg.matrix_norm(m, ord)
    assert out.dtype == fg.float64
    close(out, np.linalg.norm(M, ord))
    gradcheck(lambda a: fg.linalg.matrix_norm(a, ord), m)


def test_addcmul_addcdiv_gradients():
    z, w = leaf(Z), leaf(W)
    out = fg.addcmul(z, z, w, value=0.5)
    assert node(out) == "AddcmulBackward0"
    close(out, Z + 0.5 * Z * W)
    gradcheck(lambda a, b: fg.addcmul(a, a, b, value=0.5), z, w)
    gradcheck(lambda a, b: fg.addcdiv(a, b, a + 2, value=2), z, w)
    gradcheck(lambda a, b: fg.addcmul(a, b, fg.tensor([1.0, 2.0, 3.0, 4.0], dtype=fg.float64)), z, w)
