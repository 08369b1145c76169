"""Reductions and scans along a dim: max/min with indices, argmax, var/std, softmax,
logsumexp, cumulative ops, sorting and selection, nonzero, isclose, unique.

Expected values come from NumPy or are PyTorch 2.13's outputs written down; the suite
passes with FG_TEST_BACKEND=torch.
"""

import math

import numpy as np
import pytest
from backend import MOD, fg

D = fg.float64
NAN = float("nan")


def leaf(t):
    return t.detach().to(D).requires_grad_()


def gradcheck(fn, *inputs):
    inputs = tuple(leaf(t) for t in inputs)
    assert fg.autograd.gradcheck(fn, inputs) is True


def gradgradcheck(fn, *inputs):
    inputs = tuple(leaf(t) for t in inputs)
    assert fg.autograd.gradgradcheck(fn, inputs) is True


def name(t):
    return type(t.grad_fn).__name__


def vals(t):
    return t.detach().numpy().tolist()


# Distinct values in a scrambled order: no ties anywhere, so every selection is smooth.
X = [[0.3, -1.2, 0.8, 2.1, -0.5], [1.5, 0.1, -0.4, 0.9, 1.1], [-2.0, 0.6, 1.3, -0.8, 0.2]]
XA = np.array(X)


def x64():
    return fg.tensor(XA)  # float64 from NumPy: exact decimal inputs


# ---- max / min with a dim ----------------------------------------------------------


def test_max_dim_values_indices_and_names():
    r = fg.max(x64(), 1)
    assert vals(r.values) == [2.1, 1.5, 1.3]
    assert vals(r.indices) == [3, 0, 2]
    assert r.indices.dtype == fg.int64
    v, i = x64().min(dim=0)
    assert vals(v) == [-2.0, -1.2, -0.4, -0.8, -0.5]
    assert vals(i) == [2, 0, 1, 2, 0]
    assert type(r).__name__ == "max"
    assert r[0] is r.values or vals(r[0]) == vals(r.values)


def test_max_dim_keepdim_and_negative_dim():
    r = x64().max(-1, keepdim=True)
    assert tuple(r.values.shape) == (3, 1)
    assert tuple(r.indices.shape) == (3, 1)
    assert vals(r.indices) == [[3], [0], [2]]


def test_max_dim_repr():
    r = fg.tensor([[1.0, 3.0, 3.0], [NAN, 2.0, NAN]]).max(1)
    assert repr(r) == (
        f"{MOD}.return_types.max(\nvalues=tensor([3., nan]),\nindices=tensor([1, 0]))"
    )
    r = fg.tensor([[1.0, 2.0]], requires_grad=True).min(1, keepdim=True)
    assert repr(r) == (
        f"{MOD}.return_types.min(\nvalues=tensor([[1.]], grad_fn=<MinBackward0>),\n"
        "indices=tensor([[0]]))"
    )


def test_max_dim_ties_first_and_nan_first():
    r = fg.tensor([3, 1, 3]).max(0)
    assert r.values.item() == 3 and r.indices.item() == 0
    r = fg.tensor([1.0, NAN, 5.0, NAN]).min(0)
    assert math.isnan(r.values.item()) and r.indices.item() == 1


def test_max_dim_bool_int_and_zero_dim():
    r = fg.tensor([[True, False]]).max(1)
    assert r.values.dtype == fg.bool and vals(r.values) == [True]
    r = fg.tensor(5.0).max(0)
    assert r.values.item() == 5.0 and r.indices.item() == 0 and r.values.dim() == 0
    r = fg.tensor([[4, -2], [7, 9]]).min(1)
    assert r.values.dtype == fg.int64 and vals(r.values) == [-2, 7]


def test_max_dim_grad_and_gradcheck():
    x = x64().requires_grad_()
    r = x.max(1)
    assert name(r.values) == "MaxBackward0"
    assert r.indices.grad_fn is None and not r.indices.requires_grad
    r.values.sum().backward()
    assert vals(x.grad) == [[0, 0, 0, 1, 0], [1, 0, 0, 0, 0], [0, 0, 1, 0, 0]]
    assert name(x.min(0).values) == "MinBackward0"
    gradcheck(lambda t: t.max(1).values, x64())
    gradcheck(lambda t: t.min(0, keepdim=True).values, x64())


def test_max_with_other_is_maximum():
    a = fg.tensor([1.0, 5.0])
    b = fg.tensor([3.0, 2.0])
    assert vals(fg.max(a, b)) == [3.0, 5.0]
    assert vals(a.min(b)) == [1.0, 2.0]
    assert fg.max(a).item() == 5.0


def test_max_dim_errors():
    with pytest.raises(IndexError, match=r"max\(\): Expected reduction dim 0 to have non-zero size\."):
        fg.empty(0, 3).max(0)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"):
        fg.ones(2, 3).max(2)
    r = fg.empty(0, 3).max(1)
    assert tuple(r.values.shape) == (0,) and r.indices.dtype == fg.int64


# ---- argmax / argmin -----------------------------------------------------------------


def test_argmax_argmin():
    t = fg.tensor([[1, 5], [7, 2]])
    assert fg.argmax(t).item() == 2
    assert vals(t.argmax(keepdim=True)) == [[2]]
    assert vals(t.argmax(dim=0, keepdim=True)) == [[1, 0]]
    assert vals(fg.argmin(t, 1)) == [0, 1]
    assert t.argmin().item() == 0
    assert fg.tensor([1.0, NAN, NAN]).argmax().item() == 1
    assert fg.tensor([1.0, NAN]).argmin().item() == 1
    assert fg.tensor([2.0, 1.0, 2.0]).argmax().item() == 0
    assert x64().requires_grad_().argmax().dtype == fg.int64


def test_argmax_errors():
    with pytest.raises(IndexError, match=r"argmax\(\): Expected reduction dim to be specified for input.numel\(\) == 0\."):
        fg.empty(0, 3).argmax()
    with pytest.raises(IndexError, match=r"argmin\(\): Expected reduction dim 0 to have non-zero size\."):
        fg.empty(0, 3).argmin(0)


# ---- var / std -----------------------------------------------------------------------


def test_var_std_values():
    x = x64()
    assert np.allclose(vals(x.var()), XA.var(ddof=1))
    assert np.allclose(vals(fg.var(x, 1)), XA.var(axis=1, ddof=1))
    assert np.allclose(vals(x.var(0, unbiased=False)), XA.var(axis=0))
    assert np.allclose(vals(x.std(1, correction=0, keepdim=True)), XA.std(axis=1, keepdims=True))
    assert np.allclose(vals(fg.std(x, dim=(0, 1), correction=2)), np.sqrt(((XA - XA.mean()) ** 2).sum() / 13))
    assert np.allclose(vals(x.var(False)), XA.var())
    assert tuple(x.var(1, keepdim=True).shape) == (3, 1)
    assert x.float().var().dtype == fg.float32


def test_var_edge_cases():
    dof = r"degrees of freedom is <= 0\. Correction should be strictly less than the reduction factor"
    with pytest.warns(UserWarning, match=r"var\(\): " + dof):
        assert math.isnan(fg.ones(1).var().item())
    with pytest.warns(UserWarning, match=r"std\(\): " + dof):
        assert fg.tensor([1.0, 2.0]).std(correction=2).item() == math.inf
    with pytest.warns(UserWarning, match=r"var\(\): " + dof):
        assert math.isnan(fg.empty(0).var().item())


def test_var_mean_std_mean():
    x = x64().requires_grad_()
    v, m = fg.var_mean(x, 1)
    assert np.allclose(vals(v), XA.var(axis=1, ddof=1))
    assert np.allclose(vals(m), XA.mean(axis=1))
    assert name(v) == "VarMeanBackward0" and name(m) == "VarMeanBackward0"
    s, m = fg.std_mean(x, correction=0)
    assert np.allclose(vals(s), XA.std()) and np.allclose(vals(m), XA.mean())
    assert name(s) == "StdMeanBackward0" and s.grad_fn is m.grad_fn
    assert type(fg.var_mean(x)) is tuple


def test_var_std_grad():
    x = x64().requires_grad_()
    assert name(x.var()) == "VarBackward0" and name(x.std(1)) == "StdBackward0"
    x.var(1).sum().backward()
    expected = 2 * (XA - XA.mean(axis=1, keepdims=True)) / 4
    assert np.allclose(vals(x.grad), expected)
    gradcheck(lambda t: t.var(1), x64())
    gradcheck(lambda t: t.std(0, correction=0, keepdim=True), x64())
    gradcheck(lambda t: t.std(), x64())
    gradcheck(lambda t: fg.var_mean(t, 1), x64())
    gradcheck(lambda t: fg.std_mean(t, (0, 1)), x64())
    gradgradcheck(lambda t: t.var(1), x64())


def test_var_integer_error():
    with pytest.raises(RuntimeError, match="std and var only support floating point and complex dtypes"):
        fg.tensor([1, 2]).var()


# ---- softmax / log_softmax / logsumexp --------------------------------------------


def _np_softmax(a, axis):
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_softmax_values():
    x = x64()
    assert np.allclose(vals(x.softmax(1)), _np_softmax(XA, 1))
    assert np.allclose(vals(fg.softmax(x, 0)), _np_softmax(XA, 0))
    assert np.allclose(vals(fg.log_softmax(x, -1)), np.log(_np_softmax(XA, 1)))
    assert np.allclose(vals(x.log_softmax(0)), np.log(_np_softmax(XA, 0)))


def test_softmax_is_stable():
    big = fg.tensor([1000.0, 1001.0, 1002.0])
    assert np.allclose(vals(big.softmax(0)), _np_softmax(np.array([0.0, 1.0, 2.0]), 0), atol=1e-6)
    assert np.allclose(vals(big.log_softmax(0)), np.log(_np_softmax(np.array([0.0, 1.0, 2.0]), 0)), atol=1e-5)
    assert vals(fg.tensor([-math.inf, 0.0]).softmax(0)) == [0.0, 1.0]


def test_softmax_dtype_and_errors():
    r = fg.tensor([1, 2]).softmax(0, dtype=fg.float64)
    assert r.dtype == fg.float64
    assert np.allclose(vals(r), [0.2689414213699951, 0.7310585786300049])
    assert fg.tensor([1.0, 2.0]).softmax(0, dtype=fg.float64).dtype == fg.float64
    with pytest.raises(NotImplementedError, match="\"softmax_lastdim_kernel_impl\" not implemented for 'Long'"):
        fg.tensor([1, 2]).softmax(0)
    with pytest.raises(NotImplementedError, match="\"log_softmax_lastdim_kernel_impl\" not implemented for 'Long'"):
        fg.tensor([1, 2]).log_softmax(0)
    assert tuple(fg.empty(0, 3).softmax(0).shape) == (0, 3)


def test_softmax_grad():
    x = x64().requires_grad_()
    assert name(x.softmax(1)) == "SoftmaxBackward0"
    assert name(fg.log_softmax(x, 1)) == "LogSoftmaxBackward0"
    gradcheck(lambda t: t.softmax(1), x64())
    gradcheck(lambda t: t.log_softmax(0), x64())
    gradgradcheck(lambda t: t.softmax(-1), x64())
    gradgradcheck(lambda t: t.log_softmax(1), x64())


def test_logsumexp():
    x = x64()
    ref = np.log(np.exp(XA).sum(axis=1))
    assert np.allclose(vals(x.logsumexp(1)), ref)
    assert np.allclose(vals(fg.logsumexp(x, (0, 1))), np.log(np.exp(XA).sum()))
    assert tuple(x.logsumexp(0, keepdim=True).shape) == (1, 5)
    assert np.allclose(vals(fg.tensor([1000.0, 1000.0]).logsumexp(0)), 1000 + math.log(2))
    assert fg.tensor([-math.inf, -math.inf]).logsumexp(0).item() == -math.inf
    r = fg.tensor([1, 2]).logsumexp(0)
    assert r.dtype == fg.float32 and abs(r.item() - 2.3132617) < 1e-6
    assert vals(fg.empty(0, 3).logsumexp(0)) == [-math.inf] * 3
    assert name(x.requires_grad_().logsumexp(1)) == "LogsumexpBackward0"
    gradcheck(lambda t: t.logsumexp(1), x64())
    gradcheck(lambda t: t.logsumexp((0, 1), keepdim=True), x64())
    gradgradcheck(lambda t: t.logsumexp(0), x64())


# ---- cumulative ops ------------------------------------------------------------------


def test_cumsum_cumprod_values():
    x = x64()
    assert np.allclose(vals(x.cumsum(1)), np.cumsum(XA, axis=1))
    assert np.allclose(vals(fg.cumsum(x, 0)), np.cumsum(XA, axis=0))
    assert np.allclose(vals(x.cumprod(-1)), np.cumprod(XA, axis=1))
    i = fg.tensor([True, True, False])
    assert i.cumsum(0).dtype == fg.int64 and vals(i.cumsum(0)) == [1, 2, 2]
    assert vals(fg.tensor([3, 4]).cumprod(0)) == [3, 12]
    r = fg.tensor([1, 2]).cumsum(0, dtype=fg.float64)
    assert r.dtype == fg.float64 and vals(r) == [1.0, 3.0]
    assert fg.tensor(3.0).cumsum(0).item() == 3.0


def test_cumsum_cumprod_grad():
    x = x64().requires_grad_()
    assert name(x.cumsum(0)) == "CumsumBackward0"
    assert name(x.cumprod(0)) == "CumprodBackward0"
    gradcheck(lambda t: t.cumsum(1), x64())
    gradcheck(lambda t: t.cumprod(1), x64())
    gradcheck(lambda t: t.cumprod(0), x64())
    gradgradcheck(lambda t: t.cumsum(0), x64())


def test_cumprod_grad_with_zeros():
    x = fg.tensor([2.0, 0.0, 3.0, 4.0], dtype=D, requires_grad=True)
    x.cumprod(0).sum().backward()
    assert vals(x.grad) == [1.0, 32.0, 0.0, 0.0]
    gradcheck(lambda t: t.cumprod(0), fg.tensor([[2.0, 0.0, 3.0], [0.0, 1.5, 0.0]]))


def test_cummax_cummin():
    r = fg.tensor([1.0, 1.0, 0.0]).cummax(0)
    assert vals(r.values) == [1.0, 1.0, 1.0] and vals(r.indices) == [0, 1, 1]
    r = fg.cummin(fg.tensor([1, 1, 0]), 0)
    assert vals(r.values) == [1, 1, 0] and vals(r.indices) == [0, 1, 2]
    r = fg.tensor([1.0, NAN, 2.0, NAN]).cummax(0)
    assert vals(r.indices) == [0, 1, 1, 3]
    assert repr(fg.tensor([2, 1]).cummin(0)) == (
        f"{MOD}.return_types.cummin(\nvalues=tensor([2, 1]),\nindices=tensor([0, 1]))"
    )
    x = x64().requires_grad_()
    assert name(x.cummax(1).values) == "CummaxBackward0"
    assert name(x.cummin(1).values) == "CumminBackward0"
    gradcheck(lambda t: t.cummax(1).values, x64())
    gradcheck(lambda t: t.cummin(0).values, x64())


def test_logcumsumexp():
    x = x64()
    ref = np.log(np.cumsum(np.exp(XA), axis=1))
    assert np.allclose(vals(x.logcumsumexp(1)), ref)
    assert np.allclose(vals(fg.logcumsumexp(fg.tensor([1000.0, 1000.0]), 0)), [1000.0, 1000 + math.log(2)])
    with pytest.raises(NotImplementedError, match="\"logcumsumexp_out_cpu\" not implemented for 'Long'"):
        fg.tensor([1, 2]).logcumsumexp(0)
    assert name(x.requires_grad_().logcumsumexp(0)) == "LogcumsumexpBackward0"
    gradcheck(lambda t: t.logcumsumexp(1), x64())
    gradcheck(lambda t: t.logcumsumexp(0), x64())


# ---- sort / argsort / topk / kthvalue / median / mode ----------------------------------


def test_sort():
    r = x64().sort()
    assert np.allclose(vals(r.values), np.sort(XA, axis=1))
    assert vals(r.indices) == np.argsort(XA, axis=1).tolist()
    r = fg.sort(x64(), 0, descending=True)
    assert vals(r.indices) == np.argsort(-XA, axis=0).tolist()
    r = fg.tensor([1.0, NAN, 2.0, NAN]).sort()
    assert vals(r.indices) == [0, 2, 1, 3]
    r = fg.tensor([1.0, NAN, 2.0, NAN]).sort(descending=True)
    assert vals(r.indices) == [1, 3, 2, 0]
    r = fg.tensor([2, 1, 2, 1, 2]).sort(stable=True)
    assert vals(r.indices) == [1, 3, 0, 2, 4]
    r = fg.tensor([2, 1, 2, 1]).sort(descending=True, stable=True)
    assert vals(r.indices) == [0, 2, 1, 3]
    r = fg.tensor([True, False]).sort()
    assert vals(r.values) == [False, True] and vals(r.indices) == [1, 0]
    assert repr(fg.tensor([2.0, 1.0]).sort()) == (
        f"{MOD}.return_types.sort(\nvalues=tensor([1., 2.]),\nindices=tensor([1, 0]))"
    )
    r = fg.tensor(3.0).sort()
    assert r.values.item() == 3.0 and r.indices.item() == 0
    assert tuple(fg.empty(0).sort().indices.shape) == (0,)


def test_argsort():
    assert vals(x64().argsort()) == np.argsort(XA, axis=1).tolist()
    assert vals(fg.argsort(x64(), dim=0, descending=True)) == np.argsort(-XA, axis=0).tolist()
    assert x64().argsort().dtype == fg.int64


def test_sort_grad():
    x = x64().requires_grad_()
    r = x.sort(1)
    assert name(r.values) == "SortBackward0"
    (r.values * fg.arange(5, dtype=D)).sum().backward()
    assert vals(x.grad) == np.argsort(np.argsort(XA, axis=1), axis=1).astype(float).tolist()
    gradcheck(lambda t: t.sort(1).values, x64())
    gradcheck(lambda t: t.sort(0, descending=True).values, x64())


def test_topk():
    r = x64().topk(2)
    assert vals(r.values) == [[2.1, 0.8], [1.5, 1.1], [1.3, 0.6]]
    assert vals(r.indices) == [[3, 2], [0, 4], [2, 1]]
    r = fg.topk(x64(), 1, dim=0, largest=False)
    assert vals(r.values) == [[-2.0, -1.2, -0.4, -0.8, -0.5]]
    assert vals(r.indices) == [[2, 0, 1, 2, 0]]
    r = fg.tensor([1.0, NAN, 3.0]).topk(2)
    assert math.isnan(vals(r.values)[0]) and vals(r.indices) == [1, 2]
    assert repr(fg.tensor([3, 1, 2]).topk(2)) == (
        f"{MOD}.return_types.topk(\nvalues=tensor([3, 2]),\nindices=tensor([0, 2]))"
    )
    assert tuple(fg.empty(0).topk(0).values.shape) == (0,)
    with pytest.raises(RuntimeError, match="selected index k out of range"):
        fg.ones(3).topk(4)
    with pytest.raises(RuntimeError, match="selected index k out of range"):
        fg.ones(3).topk(-1)
    x = x64().requires_grad_()
    assert name(x.topk(2).values) == "TopkBackward0"
    gradcheck(lambda t: t.topk(3).values, x64())
    gradcheck(lambda t: t.topk(2, 0, largest=False).values, x64())


def test_kthvalue():
    r = x64().kthvalue(2)
    assert vals(r.values) == [-0.5, 0.1, -0.8] and vals(r.indices) == [4, 1, 3]
    r = fg.kthvalue(x64(), 3, 0, True)
    assert vals(r.values) == [[1.5, 0.6, 1.3, 2.1, 1.1]] and vals(r.indices) == [[1, 2, 2, 0, 1]]
    r = fg.tensor([1.0, NAN, 3.0]).kthvalue(3)
    assert math.isnan(r.values.item()) and r.indices.item() == 1
    with pytest.raises(RuntimeError, match=r"kthvalue\(\): selected number k out of range for dimension 0"):
        fg.ones(3).kthvalue(4)
    with pytest.raises(RuntimeError, match=r"kthvalue\(\): selected number k out of range for dimension 0"):
        fg.ones(3).kthvalue(0)
    with pytest.raises(IndexError, match=r"kthvalue\(\): Expected reduction dim 0 to have non-zero size\."):
        fg.empty(0).kthvalue(1)
    x = x64().requires_grad_()
    assert name(x.kthvalue(1).values) == "KthvalueBackward0"
    gradcheck(lambda t: t.kthvalue(2, 1).values, x64())


def test_median():
    assert x64().median().item() == 0.3
    assert fg.median(fg.tensor([4.0, 1.0, 3.0, 2.0])).item() == 2.0
    r = fg.tensor([4.0, 1.0, 3.0, 2.0]).median(0)
    assert r.values.item() == 2.0 and r.indices.item() == 3
    r = x64().median(1, keepdim=True)
    assert vals(r.values) == [[0.3], [0.9], [0.2]] and vals(r.indices) == [[0], [3], [4]]
    assert math.isnan(fg.tensor([1.0, NAN, 3.0, NAN]).median().item())
    r = fg.tensor([1.0, NAN, 3.0, NAN]).median(0)
    assert math.isnan(r.values.item()) and r.indices.item() == 1
    assert math.isnan(fg.empty(0).median().item())
    assert fg.tensor([5, 1, 3]).median().item() == 3
    with pytest.raises(IndexError, match=r"median\(\): Expected reduction dim 0 to have non-zero size\."):
        fg.empty(0, 2).median(0)
    with pytest.raises(NotImplementedError, match="\"median_cpu\" not implemented for 'Bool'"):
        fg.tensor([True, False]).median()
    x = x64().requires_grad_()
    assert name(x.median()) == "MedianBackward0"
    assert name(x.median(0).values) == "MedianBackward1"
    gradcheck(lambda t: t.median(), x64())
    gradcheck(lambda t: t.median(1).values, x64())


def test_mode():
    r = fg.tensor([1, 2, 2, 1, 3]).mode()
    assert r.values.item() == 1 and r.indices.item() == 3
    r = fg.mode(fg.tensor([[3.0, 1.0, 3.0], [2.0, 2.0, 5.0]]), 1)
    assert vals(r.values) == [3.0, 2.0] and vals(r.indices) == [2, 1]
    with pytest.raises(IndexError, match=r"mode\(\): Expected reduction dim 0 to have non-zero size\."):
        fg.empty(0).mode()
    x = fg.tensor([[3.0, 1.0, 3.0], [2.0, 2.0, 5.0]], requires_grad=True)
    r = x.mode(1)
    assert name(r.values) == "ModeBackward0"
    r.values.sum().backward()
    assert vals(x.grad) == [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]


def test_aminmax():
    r = fg.aminmax(x64())
    assert r.min.item() == -2.0 and r.max.item() == 2.1
    r = x64().aminmax(dim=1, keepdim=True)
    assert vals(r.min) == [[-1.2], [-0.4], [-2.0]] and vals(r.max) == [[2.1], [1.5], [1.3]]
    assert repr(fg.tensor([1, 3]).aminmax()) == (
        f"{MOD}.return_types.aminmax(\nmin=tensor(1),\nmax=tensor(3))"
    )
    with pytest.raises(RuntimeError, match=r"aminmax\(\): cannot compute aminmax over an empty dimension as the operation has no identity\."):
        fg.empty(0).aminmax()
    with pytest.raises(IndexError, match="aminmax: Expected reduction dim 0 to have non-zero size."):
        fg.empty(0, 2).aminmax(dim=0)
    x = x64().requires_grad_()
    mn, mx = x.aminmax(dim=0)
    assert name(mn) == "AminmaxBackward0" and mn.grad_fn is mx.grad_fn
    t = fg.tensor([1.0, 3.0, 3.0], requires_grad=True)
    lo, hi = t.aminmax()
    (lo + hi).backward()
    assert vals(t.grad) == [1.0, 0.5, 0.5]
    gradcheck(lambda t: fg.aminmax(t, dim=1), x64())
    gradcheck(lambda t: fg.aminmax(t), x64())


# ---- counting, nonzero, where(cond) ---------------------------------------------------


def test_count_nonzero_and_nonzero():
    t = fg.tensor([[1, 0, 2], [0, 0, 3]])
    assert fg.count_nonzero(t).item() == 3
    assert vals(t.count_nonzero(0)) == [1, 0, 2]
    assert vals(t.count_nonzero(dim=(0, 1))) == 3
    assert fg.count_nonzero(t).dtype == fg.int64
    nz = t.nonzero()
    assert vals(nz) == [[0, 0], [0, 2], [1, 2]] and nz.dtype == fg.int64
    rows, cols = fg.nonzero(t, as_tuple=True)
    assert vals(rows) == [0, 0, 1] and vals(cols) == [0, 2, 2]
    assert tuple(fg.zeros(2, 3).nonzero().shape) == (0, 2)
    assert vals(fg.tensor([0.0, NAN, -1.0]).nonzero()) == [[1], [2]]
    rows, cols = fg.where(t > 1)
    assert vals(rows) == [0, 1] and vals(cols) == [2, 2]
    assert vals(fg.where(t > 1, t, 0)) == [[0, 0, 2], [0, 0, 3]]


# ---- isclose / allclose / equal / unique ------------------------------------------------


def test_isclose_allclose_equal():
    a = fg.tensor([1.0, 2.0, NAN, math.inf, 1e-9])
    b = fg.tensor([1.0 + 1e-7, 2.1, NAN, math.inf, 0.0])
    assert vals(fg.isclose(a, b)) == [True, False, False, True, True]
    assert vals(a.isclose(b, equal_nan=True)) == [True, False, True, True, True]
    assert vals(fg.isclose(a, b, rtol=0.1)) == [True, True, False, True, True]
    assert fg.allclose(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 2.0 + 1e-7])) is True
    assert fg.tensor([1.0]).allclose(fg.tensor([1.1])) is False
    assert fg.allclose(a, b, rtol=0.1, equal_nan=True) is True
    assert vals(fg.isclose(fg.tensor([1, 5]), fg.tensor([1, 6]))) == [True, False]
    with pytest.raises(RuntimeError, match="Float did not match Long"):
        fg.tensor([1.0]).isclose(fg.tensor([1]))
    assert fg.equal(fg.tensor([1, 2]), fg.tensor([1, 2])) is True
    assert fg.tensor([1, 2]).equal(fg.tensor([1, 3])) is False
    assert fg.equal(fg.tensor([1, 2]), fg.tensor([[1, 2]])) is False


def test_unique():
    t = fg.tensor([3, 1, 3, 2])
    assert vals(fg.unique(t)) == [1, 2, 3]
    u, inv, counts = t.unique(return_inverse=True, return_counts=True)
    assert vals(u) == [1, 2, 3] and vals(inv) == [2, 0, 2, 1] and vals(counts) == [1, 1, 2]
    u, counts = fg.unique(fg.tensor([[2.0, 2.0], [1.0, 5.0]]), return_counts=True)
    assert vals(u) == [1.0, 2.0, 5.0] and vals(counts) == [1, 2, 1]
    u, inv = fg.unique(fg.tensor([[2, 2], [1, 5]]), return_inverse=True)
    assert vals(inv) == [[1, 1], [0, 2]] and inv.dtype == fg.int64


# ---- PyTorch's conventions at the edges ------------------------------------------------


def test_sort_stable_overload_node_name():
    x = x64().requires_grad_()
    assert name(x.sort().values) == "SortBackward0"
    assert name(x.sort(stable=True).values) == "SortBackward1"
    assert name(fg.sort(x, stable=False).values) == "SortBackward1"
    gradcheck(lambda t: t.sort(dim=0, stable=True).values, x64())


def test_std_grad_is_zero_where_std_is_zero():
    x = fg.tensor([[1.5], [2.0]], dtype=D, requires_grad=True)
    x.std(1, correction=0).sum().backward()
    assert vals(x.grad) == [[0.0], [0.0]]
    y = fg.tensor(2.0, dtype=D, requires_grad=True)
    fg.std_mean(y, correction=0)[0].backward()
    assert y.grad.item() == 0.0


def test_dtype_errors():
    with pytest.raises(RuntimeError, match="var_mean only support floating point and complex dtypes"):
        fg.var_mean(fg.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="std_mean only support floating point and complex dtypes"):
        fg.std_mean(fg.tensor([True]))
    with pytest.raises(RuntimeError, match=r"argmax\(\): does not support bool input"):
        fg.tensor([True, False]).argmax(0)
    with pytest.raises(RuntimeError, match=r"argmin\(\): does not support bool input"):
        fg.tensor([True, False]).argmin()
    with pytest.raises(RuntimeError, match="topk does not support bool dtypes on CPU"):
        fg.tensor([True, False]).topk(1)
    with pytest.raises(NotImplementedError, match="\"kthvalue_cpu\" not implemented for 'Bool'"):
        fg.tensor([True, False]).kthvalue(1)
    with pytest.raises(NotImplementedError, match="\"median_out\" not implemented for 'Bool'"):
        fg.tensor([True, False]).median(0)
    with pytest.raises(NotImplementedError, match="\"softmax_kernel_impl\" not implemented for 'Long'"):
        fg.ones(2, 3, dtype=fg.int64).softmax(0)
    with pytest.raises(NotImplementedError, match="\"log_softmax_lastdim_kernel_impl\" not implemented for 'Bool'"):
        fg.ones(2, 3, dtype=fg.bool).log_softmax(1)
    with pytest.raises(RuntimeError, match="rtol must be greater than or equal to zero, but got -1"):
        fg.isclose(fg.ones(2), fg.ones(2), rtol=-1)


def test_bool_and_int_selection():
    r = fg.tensor([True, False, True]).max(0)
    assert r.values.item() is True and r.indices.item() == 0
    r = fg.tensor([True, False]).cummax(0)
    assert vals(r.values) == [True, True] and vals(r.indices) == [0, 0]
    r = fg.tensor([3, -1, 2]).sort(descending=True)
    assert vals(r.values) == [3, 2, -1] and r.values.dtype == fg.int64
    lo, hi = fg.tensor([True, False]).aminmax()
    assert lo.item() is False and hi.item() is True
    assert vals(fg.tensor([5, 2, 9]).topk(2, largest=False).indices) == [1, 0]


def test_unique_keeps_nans_apart():
    u, counts = fg.unique(fg.tensor([NAN, 1.0, NAN]), return_counts=True)
    assert vals(counts) == [1, 1, 1]
    assert vals(u)[0] == 1.0 and all(math.isnan(v) for v in vals(u)[1:])


def test_noncontiguous_inputs():
    base = x64()
    t = base.t()
    r = t.max(1)
    assert vals(r.values) == XA.T.max(axis=1).tolist()
    assert vals(r.indices) == XA.T.argmax(axis=1).tolist()
    assert np.allclose(vals(t.softmax(0)), _np_softmax(XA.T, 0))
    assert np.allclose(vals(t.cumsum(1)), np.cumsum(XA.T, axis=1))
    assert vals(t.sort(0).indices) == np.argsort(XA.T, axis=0).tolist()
    assert np.allclose(vals(base[:, ::2].var(1)), XA[:, ::2].var(axis=1, ddof=1))
    gradcheck(lambda a: a.t().sort(0).values, x64())
    gradcheck(lambda a: a[:, 1:4].softmax(0), x64())


def test_second_order_gradients():
    # The backward formulas are ops themselves, so create_graph differentiates them.
    gradgradcheck(lambda t: t.sort(1).values * t, x64())
    gradgradcheck(lambda t: t.max(1).values * t.sum(), x64())
    gradgradcheck(lambda t: t.std(1), x64())
    gradgradcheck(lambda t: fg.var_mean(t, 1), x64())
    gradgradcheck(lambda t: t.cumprod(1), x64())
    gradgradcheck(lambda t: t.logcumsumexp(1), x64())
    gradgradcheck(lambda t: t.topk(2).values ** 2, x64())


def test_zero_dim_nonzero_and_where():
    assert [vals(t) for t in fg.nonzero(fg.tensor(3.0), as_tuple=True)] == [[0]]
    assert [vals(t) for t in fg.nonzero(fg.tensor(0.0), as_tuple=True)] == [[]]
    assert tuple(fg.tensor(5.0).nonzero().shape) == (1, 0)
    assert [vals(t) for t in fg.where(fg.tensor(True))] == [[0]]


FUZZ_SHAPES = [(), (0,), (1,), (4,), (2, 3), (3, 1), (2, 0, 3), (2, 1, 3)]
FUZZ_OPS = [
    lambda t, d: t.max(d),
    lambda t, d: t.min(d, keepdim=True),
    lambda t, d: t.argmax(d),
    lambda t, d: t.argmin(),
    lambda t, d: t.var(d),
    lambda t, d: t.std(d, correction=0),
    lambda t, d: fg.var_mean(t, d),
    lambda t, d: t.softmax(d),
    lambda t, d: t.log_softmax(d),
    lambda t, d: t.logsumexp(d),
    lambda t, d: t.cumsum(d),
    lambda t, d: t.cumprod(d),
    lambda t, d: t.cummax(d),
    lambda t, d: t.cummin(d),
    lambda t, d: t.logcumsumexp(d),
    lambda t, d: t.sort(d),
    lambda t, d: t.argsort(d, descending=True),
    lambda t, d: t.topk(1, d),
    lambda t, d: t.kthvalue(1, d),
    lambda t, d: t.median(d),
    lambda t, d: t.median(),
    lambda t, d: t.mode(d),
    lambda t, d: t.aminmax(dim=d),
    lambda t, d: t.count_nonzero(d),
    lambda t, d: t.nonzero(as_tuple=True),
    lambda t, d: t.unique(return_counts=True),
]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("seed", range(4))
def test_random_programs_give_values_or_clear_errors(seed):
    rng = np.random.default_rng(seed)
    for _ in range(150):
        shape = FUZZ_SHAPES[rng.integers(len(FUZZ_SHAPES))]
        dtype = [fg.float32, fg.float64, fg.int64, fg.bool][rng.integers(4)]
        t = fg.tensor(rng.standard_normal(shape) * 3).to(dtype)
        if dtype.is_floating_point and rng.random() < 0.5:
            t.requires_grad_()
        d = int(rng.integers(-3, 3))
        op = FUZZ_OPS[rng.integers(len(FUZZ_OPS))]
        try:
            r = op(t, d)
            out = r[0] if isinstance(r, tuple) and r else r
            if isinstance(out, fg.Tensor) and out.requires_grad:
                out.sum().backward()
        except (RuntimeError, IndexError, TypeError, ValueError, NotImplementedError) as e:
            assert "internal error" not in str(e), str(e)


def test_scan_dtype_casts_inside_the_op():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    r = x.cumsum(0, dtype=fg.float64)
    assert r.dtype == fg.float64
    assert [type(n[0]).__name__ for n in r.grad_fn.next_functions] == ["AccumulateGrad"]
    s = x.softmax(0, dtype=fg.float64)
    assert [type(n[0]).__name__ for n in s.grad_fn.next_functions] == ["ToCopyBackward0"]
    (r.sum() + x.cumprod(0, dtype=fg.float64).sum()).backward()
    assert x.grad.dtype == fg.float32 and vals(x.grad) == [5.0, 2.0]


def test_kthvalue_index_among_ties_is_pytorchs():
    # PyTorch's CPU quickselect decides which of equal values it reports.
    t = fg.tensor([[2.0, 1.0, 2.0, 0.0, 1.0, 2.0, 1.0, 0.0, 2.0, 1.0], [1.0] * 10])
    expected = {1: [7, 4], 3: [6, 8], 5: [9, 0], 8: [5, 1], 10: [0, 9]}
    for k, idx in expected.items():
        assert vals(t.kthvalue(k, 1).indices) == idx


def test_order_among_ties_is_pytorchs():
    # sort(stable=False) and topk leave equal values where PyTorch's CPU kernels do
    # (libstdc++'s introsort, partial_sort and nth_element).
    a = fg.tensor([float((i * 7) % 3) for i in range(20)])
    asc = [18, 3, 15, 6, 12, 9, 0, 10, 19, 16, 13, 7, 4, 1, 11, 8, 14, 5, 17, 2]
    assert vals(a.sort().indices) == asc
    assert vals(a.argsort()) == asc
    assert vals(a.sort(descending=True).indices) == [2, 17, 5, 14, 8, 11, 10, 19, 16, 13, 7, 4, 1, 0, 9, 12, 6, 15, 3, 18]
    assert vals(a.sort(stable=True).indices) == [0, 3, 6, 9, 12, 15, 18, 1, 4, 7, 10, 13, 16, 19, 2, 5, 8, 11, 14, 17]
    assert vals(a.topk(5).indices) == [5, 11, 8, 14, 17]
    assert vals(a.topk(5, largest=False).indices) == [9, 6, 12, 15, 0]
    assert vals(fg.tensor([float(i % 2) for i in range(200)]).topk(3).indices) == [5, 1, 3]
