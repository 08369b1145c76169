"""`masked.*` reductions and normalizations: values, dtypes, grad_fn names, gradients and
exception types hard-coded from PyTorch 2.13 (runs against torch with FG_TEST_BACKEND=torch)."""

import math

import numpy as np
import pytest
from backend import fg

M = fg.masked
inf, nan = math.inf, math.nan


def _x():
    return fg.tensor([[1.0, -2, 3, 0.5], [4, 5, -6, 2]], dtype=fg.float64, requires_grad=True)


def _mask():
    return fg.tensor([[True, False, True, True], [False, False, False, False]])


def _ints():
    return fg.tensor([[3, 1, 2], [7, 7, 0]]), fg.tensor([[True, True, False], [False, True, True]])


def _check(out, expected, dtype, node):
    assert out.dtype == dtype
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-12, atol=0)
    assert (out.grad_fn.name() if out.grad_fn is not None else None) == node


CASES = [
    ("sum", lambda x, m: M.sum(x, 1, mask=m), [4.5, 0.0], "SumBackward1"),
    ("sum all", lambda x, m: M.sum(x, mask=m), 4.5, "SumBackward1"),
    ("prod", lambda x, m: M.prod(x, 1, mask=m), [1.5, 1.0], "ProdBackward1"),
    ("prod keepdim", lambda x, m: M.prod(x, (0, 1), keepdim=True, mask=m), [[1.5]], "ProdBackward1"),
    ("cumsum", lambda x, m: M.cumsum(x, 1, mask=m), [[1, 1, 4, 4.5], [0, 0, 0, 0]], "CumsumBackward0"),
    ("cumprod", lambda x, m: M.cumprod(x, 1, mask=m), [[1, 1, 3, 1.5], [1, 1, 1, 1]], "CumprodBackward0"),
    ("amax", lambda x, m: M.amax(x, 1, mask=m), [3.0, -inf], "AmaxBackward0"),
    ("amin", lambda x, m: M.amin(x, 1, mask=m), [0.5, inf], "AminBackward0"),
    ("argmax", lambda x, m: M.argmax(x, 1, mask=m), [2.0, 0.0], None),
    ("argmin", lambda x, m: M.argmin(x, 1, mask=m), [3.0, 0.0], None),
    ("mean", lambda x, m: M.mean(x, 1, mask=m), [1.5, nan], "DivBackward0"),
    ("median", lambda x, m: M.median(x, 1, mask=m), [1.0, nan], "NanmedianBackward1"),
    ("logsumexp", lambda x, m: M.logsumexp(x, 1, mask=m), [3.196734096919617, -inf], "LogsumexpBackward0"),
    ("norm", lambda x, m: M.norm(x, 2.0, 1, mask=m), [3.2015621187164243, 0.0], "LinalgVectorNormBackward0"),
    ("norm -inf", lambda x, m: M.norm(x, -inf, 1, mask=m), [0.5, inf], "LinalgVectorNormBackward0"),
    ("var", lambda x, m: M.var(x, 1, mask=m), [1.75, nan], "DivBackward0"),
    ("var biased", lambda x, m: M.var(x, 1, unbiased=False, mask=m), [1.1666666666666667, nan], "DivBackward0"),
    ("std", lambda x, m: M.std(x, 1, correction=0, mask=m), [1.0801234497346435, nan], "SqrtBackward0"),
    ("softmax", lambda x, m: M.softmax(x, 1, mask=m),
     [[0.11116562230242114, 0, 0.8214090194651259, 0.06742535823245292], [nan] * 4], "SoftmaxBackward0"),
    ("log_softmax", lambda x, m: M.log_softmax(x, 1, mask=m),
     [[-2.196734096919617, -inf, -0.19673409691961713, -2.696734096919617], [nan] * 4], "LogSoftmaxBackward0"),
    ("softmin", lambda x, m: M.softmin(x, 1, mask=m),
     [[0.3591881057825386, 0, 0.04861082403130226, 0.5922010701861591], [nan] * 4], "SoftmaxBackward0"),
    ("normalize", lambda x, m: M.normalize(x, 2.0, 1, mask=m),
     [[0.31234752377721214, 0, 0.9370425713316364, 0.15617376188860607], [0, 0, 0, 0]], "DivBackward0"),
    ("logaddexp", lambda x, m: M.logaddexp(x, x * 2, input_mask=m, other_mask=fg.tensor([True, False, False, True])),
     [[2.313261687518223, -inf, 3.0, 1.4740769841801067], [8.0, -inf, -inf, 4.0]], "LogaddexpBackward0"),
    ("sum without mask", lambda x, m: M.sum(x, 0), [5.0, 3.0, -3.0, 2.5], "SumBackward1"),
    ("mean without mask", lambda x, m: M.mean(x), 0.9375, "DivBackward0"),
    ("broadcast mask", lambda x, m: M.sum(x, 1, mask=fg.tensor([True, False, False, True])), [1.5, 6.0],
     "SumBackward1"),
    ("sum dtype", lambda x, m: M.sum(x, 1, mask=m, dtype=fg.float32), [4.5, 0.0], "SumBackward1"),
]


@pytest.mark.parametrize("name,fn,expected,node", CASES, ids=[c[0] for c in CASES])
def test_masked_float64_values_and_nodes(name, fn, expected, node):
    dtype = fg.float32 if name == "sum dtype" else fg.float64
    _check(fn(_x(), _mask()), expected, dtype, node)


def test_masked_amax_with_dtype_casts_after_reducing():
    out = M.amax(_x(), 1, mask=_mask(), dtype=fg.float32)
    _check(out, [3.0, -inf], fg.float32, "ToCopyBackward0")


def test_masked_gradients():
    x = _x()
    M.sum(x, 1, mask=_mask()).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1, 0, 1, 1], [0, 0, 0, 0]])
    x = _x()
    M.softmax(x, 1, mask=_mask())[0, 0].backward()
    np.testing.assert_allclose(
        x.grad.numpy(), [[0.09880782672053659, 0, -0.09131244481366228, -0.007495381906874303], [0, 0, 0, 0]],
        rtol=1e-12, atol=1e-15)
    x = _x()
    M.var(x, 1, mask=_mask())[0].backward()
    np.testing.assert_allclose(x.grad.numpy(), [[-0.5, 0, 1.5, -1.0], [nan] * 4], rtol=1e-12)


INT_CASES = [
    ("sum int64", lambda i, m: M.sum(i, 1, mask=m), [4, 7], "int64"),
    ("sum int8 widens", lambda i, m: M.sum(i.to(fg.int8), 1, mask=m), [4, 7], "int64"),
    ("sum bool", lambda i, m: M.sum(m, 1, mask=m), [2, 2], "int64"),
    ("prod int32 widens", lambda i, m: M.prod(i.int(), 1, mask=m), [3, 0], "int64"),
    ("amax", lambda i, m: M.amax(i, 1, mask=m), [3, 7], "int64"),
    ("amin uint8", lambda i, m: M.amin(i.to(fg.uint8), 1, mask=m), [1, 0], "uint8"),
    ("median", lambda i, m: M.median(i, 1, mask=m), [1, 0], "int64"),
    ("var", lambda i, m: M.var(i, 1, mask=m), [2.0, 24.5], "float32"),
    ("std dtype", lambda i, m: M.std(i, 1, mask=m, dtype=fg.float64), [1.414213562373095, 4.949747468305833],
     "float64"),
    ("logsumexp keeps int", lambda i, m: M.logsumexp(i, 1, mask=m), [3, 7], "int64"),
    ("argmax", lambda i, m: M.argmax(i, 1, mask=m), [0, 1], "int64"),
    ("mean dtype", lambda i, m: M.mean(i, 1, mask=m, dtype=fg.float64), [2.0, 3.5], "float64"),
    ("cumsum dtype", lambda i, m: M.cumsum(i, 1, mask=m, dtype=fg.float32), [[3, 4, 4], [0, 7, 7]], "float32"),
]


@pytest.mark.parametrize("name,fn,expected,dtype", INT_CASES, ids=[c[0] for c in INT_CASES])
def test_masked_integer_inputs(name, fn, expected, dtype):
    out = fn(*_ints())
    assert out.dtype == getattr(fg, dtype)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)


def test_fully_masked_integer_amax_is_the_minimum():
    i, _ = _ints()
    out = M.amax(i, 1, mask=fg.zeros(2, 3, dtype=fg.bool))
    assert out.tolist() == [-9223372036854775808, -9223372036854775808]


def test_masked_sum_prints_as_pytorch():
    out = M.sum(_x(), 1, mask=_mask())
    assert repr(out) == "tensor([4.5000, 0.0000], dtype=MOD.float64, grad_fn=<SumBackward1>)".replace(
        "MOD", fg.__name__)


ERRORS = [
    ("mean of ints", lambda x, m, i, mi: M.mean(i, 1, mask=mi), ValueError),
    ("median fully masked ints", lambda x, m, i, mi: M.median(i, 1, mask=fg.zeros(2, 3, dtype=fg.bool)), ValueError),
    ("repeated dim", lambda x, m, i, mi: M.sum(x, (1, 1), mask=m), RuntimeError),
    ("dim too large", lambda x, m, i, mi: M.sum(x, 2, mask=m), IndexError),
    ("dim too small", lambda x, m, i, mi: M.sum(x, -3, mask=m), IndexError),
    ("mask of more dims", lambda x, m, i, mi: M.sum(x, 1, mask=fg.ones(1, 2, 4, dtype=fg.bool)), IndexError),
    ("mask not broadcastable", lambda x, m, i, mi: M.sum(x, 1, mask=fg.ones(3, dtype=fg.bool)), RuntimeError),
    ("amax of bool", lambda x, m, i, mi: M.amax(mi, 1, mask=mi), NotImplementedError),
    ("amax of uint16", lambda x, m, i, mi: M.amax(i.to(fg.uint16), 1, mask=mi), NotImplementedError),
    ("amax of complex", lambda x, m, i, mi: M.amax(x.detach().to(fg.complex64), 1, mask=m), TypeError),
    ("unbiased and correction", lambda x, m, i, mi: M.var(x, 1, unbiased=True, correction=1, mask=m),
     AssertionError),
    ("norm -inf of ints", lambda x, m, i, mi: M.norm(i, -inf, 1, mask=mi), AssertionError),
    ("softmax dim", lambda x, m, i, mi: M.softmax(x, 2, mask=m), IndexError),
]


@pytest.mark.parametrize("name,fn,error", ERRORS, ids=[c[0] for c in ERRORS])
def test_masked_errors(name, fn, error):
    i, mi = _ints()
    with pytest.raises(error):
        fn(_x(), _mask(), i, mi)
