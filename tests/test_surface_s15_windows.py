"""`signal.windows.*`: values, dtypes, recorded graphs and exception types hard-coded from
PyTorch 2.13 (runs against torch with FG_TEST_BACKEND=torch)."""

import numpy as np
import pytest
from backend import fg

W = fg.signal.windows

F64 = [
    ("hann periodic", lambda: W.hann(5, sym=False, dtype=fg.float64),
     [0.0, 0.3454915028125263, 0.9045084971874737, 0.9045084971874737, 0.3454915028125264]),
    ("hamming", lambda: W.hamming(4, dtype=fg.float64),
     [0.08000000000000007, 0.7699999999999999, 0.7699999999999998, 0.08000000000000007]),
    ("bartlett", lambda: W.bartlett(5, dtype=fg.float64), [0.0, 0.5, 1.0, 0.5, 0.0]),
    ("blackman", lambda: W.blackman(6, dtype=fg.float64),
     [-1.3877787807814457e-17, 0.20077014326253045, 0.8492298567374694, 0.8492298567374695,
      0.20077014326253056, -1.3877787807814457e-17]),
    ("cosine", lambda: W.cosine(4, dtype=fg.float64),
     [0.3826834323650898, 0.9238795325112867, 0.9238795325112867, 0.3826834323650899]),
    ("exponential", lambda: W.exponential(5, tau=2.0, dtype=fg.float64),
     [0.36787944117144233, 0.6065306597126334, 1.0, 0.6065306597126334, 0.36787944117144233]),
    ("exponential centred", lambda: W.exponential(5, center=1.0, sym=False, dtype=fg.float64),
     [0.36787944117144233, 1.0, 0.36787944117144233, 0.1353352832366127, 0.049787068367863944]),
    ("gaussian", lambda: W.gaussian(5, std=1.5, dtype=fg.float64),
     [0.41111229050718756, 0.8007374029168081, 1.0, 0.8007374029168081, 0.41111229050718756]),
    ("kaiser", lambda: W.kaiser(5, beta=4.0, dtype=fg.float64),
     [0.08848052607644988, 0.6334317797559347, 1.0, 0.6334317797559347, 0.08848052607644988]),
    ("general_cosine", lambda: W.general_cosine(4, a=[0.5, 0.3, 0.2], dtype=fg.float64),
     [0.4, 0.5499999999999998, 0.5499999999999997, 0.4]),
    ("general_hamming", lambda: W.general_hamming(5, alpha=0.6, sym=False, dtype=fg.float64),
     [0.19999999999999996, 0.476393202250021, 0.9236067977499789, 0.923606797749979, 0.4763932022500211]),
    ("nuttall", lambda: W.nuttall(5, dtype=fg.float64),
     [0.0003628000000000381, 0.22698239999999995, 1.0, 0.2269824000000001, 0.0003628000000000381]),
]


@pytest.mark.parametrize("name,fn,expected", F64, ids=[c[0] for c in F64])
def test_float64_windows(name, fn, expected):
    out = fn()
    assert out.dtype == fg.float64 and out.grad_fn is None and not out.requires_grad
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-13, atol=1e-16)


def test_default_dtype_and_printing():
    out = W.hann(5)
    assert out.dtype == fg.float32
    np.testing.assert_allclose(out.numpy(), [0.0, 0.5, 1.0, 0.5, 0.0], atol=1e-7)
    assert repr(W.hann(3)) == "tensor([0., 1., 0.])"


GRAD = [
    ("hann", lambda: W.hann(4, requires_grad=True), [0.0, 0.75, 0.7499999403953552, 0.0], "SumBackward1"),
    ("bartlett", lambda: W.bartlett(3, requires_grad=True), [0.0, 1.0, 0.0], "RsubBackward1"),
    ("gaussian", lambda: W.gaussian(3, requires_grad=True), [0.6065306663513184, 1.0, 0.6065306663513184],
     "ExpBackward0"),
]


@pytest.mark.parametrize("name,fn,expected,node", GRAD, ids=[c[0] for c in GRAD])
def test_requires_grad_records_the_window_computation(name, fn, expected, node):
    out = fn()
    assert out.requires_grad and not out.is_leaf and out.grad_fn.name() == node
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("fn,length", [
    (lambda: W.kaiser(1, requires_grad=True), 1), (lambda: W.hann(0, requires_grad=True), 0),
])
def test_trivial_windows_are_leaves(fn, length):
    out = fn()
    assert out.is_leaf and out.requires_grad and out.numel() == length


def test_trivial_windows_without_grad():
    assert W.cosine(1).tolist() == [1.0]
    assert W.exponential(0).numel() == 0
    assert W.general_cosine(1, a=[]).tolist() == [1.0]  # the length is checked before the coefficients


ERRORS = [
    ("negative length", lambda: W.hann(-1), ValueError),
    ("integer dtype", lambda: W.hann(4, dtype=fg.int64), ValueError),
    ("half dtype", lambda: W.hann(4, dtype=fg.float16), ValueError),
    ("zero std", lambda: W.gaussian(4, std=0), ValueError),
    ("negative tau", lambda: W.exponential(4, tau=-1), ValueError),
    ("centre of a symmetric window", lambda: W.exponential(4, center=1.0), ValueError),
    ("negative beta", lambda: W.kaiser(4, beta=-1), ValueError),
    ("no coefficients", lambda: W.general_cosine(4, a=[]), ValueError),
    ("coefficients not iterable", lambda: W.general_cosine(4, a=3), TypeError),
    ("float length", lambda: W.hann(4.5), TypeError),
]


@pytest.mark.parametrize("name,fn,error", ERRORS, ids=[c[0] for c in ERRORS])
def test_window_errors(name, fn, error):
    with pytest.raises(error):
        fn()


def test_error_names_the_function_and_length():
    with pytest.raises(ValueError, match="general_cosine requires non-negative window length, got M=-1"):
        W.hann(-1)
