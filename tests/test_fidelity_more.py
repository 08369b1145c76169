"""Smaller fidelity gaps, each checked against values recorded from PyTorch 2.13:
`embedding_bag` with include_last_offset, the NumPy-style keywords of
`torch.special` functions, float32 sinc / digamma / polygamma bit for bit (recorded by
data/record_special_f32_bits.py), and `linalg.matrix_exp` of a batch."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from backend import fg

F = fg.nn.functional

# ---- embedding_bag(include_last_offset=True) ----------------------------------------

W = (np.arange(20, dtype=np.float64).reshape(5, 4) / 7).tolist()
IDX = [0, 1, 2, 3, 4, 1]

# (offsets, mode) -> (output * 7 summed over each row, weight.grad[:, 0]); float64.
BAG_CASES = {
    ((0, 2, 4, 6), "sum"): ([28.0, 92.0, 92.0], [1.0, 2.0, 1.0, 1.0, 1.0]),
    ((0, 2, 4, 6), "mean"): ([14.0, 46.0, 46.0], [0.5, 1.0, 0.5, 0.5, 0.5]),
    ((0, 2, 4, 6), "max"): ([22.0, 54.0, 70.0], [0.0, 1.0, 0.0, 1.0, 1.0]),
    # the last bag runs to the end of the indices, whatever the last offset says
    ((0, 2, 4, 5), "sum"): ([28.0, 92.0, 92.0], [1.0, 2.0, 1.0, 1.0, 1.0]),
    ((0, 2, 4, 5), "mean"): ([14.0, 46.0, 46.0], [0.5, 1.0, 0.5, 0.5, 0.5]),
    ((0, 2, 4, 5), "max"): ([22.0, 54.0, 70.0], [0.0, 1.0, 0.0, 1.0, 1.0]),
    ((0, 3), "sum"): ([212.0], [1.0, 2.0, 1.0, 1.0, 1.0]),
    ((0, 3), "max"): ([70.0], [0.0, 0.0, 0.0, 0.0, 1.0]),
    ((0, 2, 2, 6), "mean"): ([14.0, 0.0, 46.0], [0.5, 0.75, 0.25, 0.25, 0.25]),
    ((0, 2, 2, 6), "max"): ([22.0, 0.0, 70.0], [0.0, 1.0, 0.0, 0.0, 1.0]),
}


@pytest.mark.parametrize("case", sorted(BAG_CASES))
def test_embedding_bag_include_last_offset(case):
    offsets, mode = case
    w = fg.tensor(W, dtype=fg.float64, requires_grad=True)
    out = F.embedding_bag(fg.tensor(IDX), w, fg.tensor(list(offsets)), mode=mode, include_last_offset=True)
    assert type(out.grad_fn).__name__ == "EmbeddingBagBackward0"
    out.sum().backward()
    sums, grad0 = BAG_CASES[case]
    np.testing.assert_allclose((out.detach().sum(1) * 7).numpy(), sums, atol=1e-9)
    np.testing.assert_allclose(w.grad[:, 0].numpy(), grad0, atol=1e-12)


def test_embedding_bag_aten_form_last_bag_to_end():
    w = fg.tensor(W, dtype=fg.float64, requires_grad=True)
    out, offset2bag, bag_size, max_indices = fg.embedding_bag(
        w, fg.tensor(IDX), fg.tensor([0, 2, 4, 5]), False, 1, False, None, True
    )
    np.testing.assert_allclose((out.detach().sum(1) * 7).numpy(), [14.0, 46.0, 46.0], atol=1e-9)
    assert offset2bag.tolist() == [0, 0, 1, 1, 2, 2]
    assert bag_size.tolist() == [2, 2, 2]
    assert max_indices.tolist() == [2, 2, 2]


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_module_include_last_offset(mode):
    expected = {  # recorded from torch.nn.EmbeddingBag
        "sum": ([[0.571429, 0.857143, 1.142857], [2.857143, 3.142857, 3.428571], [2.857143, 3.142857, 3.428571]],
                [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]),
        "mean": ([[0.285714, 0.428571, 0.571429], [1.428571, 1.571429, 1.714286], [1.428571, 1.571429, 1.714286]],
                 [[0.5, 0.5, 0.5], [1.0, 1.0, 1.0], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]),
        "max": ([[0.571429, 0.714286, 0.857143], [1.714286, 1.857143, 2.0], [2.285714, 2.428571, 2.571429]],
                [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]),
    }[mode]
    m = fg.nn.EmbeddingBag(5, 3, mode=mode, include_last_offset=True)
    with fg.no_grad():
        m.weight.copy_(fg.tensor([row[:3] for row in W], dtype=fg.float32))
    out = m(fg.tensor(IDX), fg.tensor([0, 2, 4, 6]))
    assert out.shape == (3, 3) and out.dtype == fg.float32
    out.sum().backward()
    np.testing.assert_allclose(out.detach().numpy(), expected[0], atol=1e-5)
    np.testing.assert_allclose(m.weight.grad.numpy(), expected[1], atol=1e-6)


@pytest.mark.parametrize("offsets, rows", [([0], 0), ([0, 0], 1)])
def test_embedding_bag_empty_indices_stay_in_graph(offsets, rows):
    w = fg.tensor(W, dtype=fg.float64, requires_grad=True)
    out = F.embedding_bag(fg.tensor([], dtype=fg.int64), w, fg.tensor(offsets), mode="mean",
                          include_last_offset=True)
    assert tuple(out.shape) == (rows, 4)
    assert type(out.grad_fn).__name__ == "EmbeddingBagBackward0"
    out.sum().backward()
    assert w.grad.tolist() == [[0.0] * 4] * 5


def test_embedding_bag_include_last_offset_errors():
    w = fg.tensor(W, dtype=fg.float64)
    with pytest.raises(RuntimeError, match="include_last_offset: number of offset should be at least 1"):
        F.embedding_bag(fg.tensor(IDX), w, fg.tensor([], dtype=fg.int64), include_last_offset=True)
    with pytest.raises(RuntimeError, match=r"offsets\[-1\] can not be greater than input's length 6"):
        F.embedding_bag(fg.tensor(IDX), w, fg.tensor([0, 2, 7]), include_last_offset=True)
    with pytest.raises(RuntimeError, match=r"offsets\[0\] has to be 0"):
        F.embedding_bag(fg.tensor(IDX), w, fg.tensor([1, 3, 6]), include_last_offset=True)
    with pytest.raises(RuntimeError, match="to have the same type as tensor for argument #1 'per_sample_weights'"):
        F.embedding_bag(fg.tensor(IDX), w, fg.tensor([0, 2, 6]), mode="sum", include_last_offset=True,
                        per_sample_weights=fg.ones(6))


def test_embedding_bag_gradcheck_include_last_offset():
    def f(w, psw):
        return F.embedding_bag(fg.tensor(IDX), w, fg.tensor([0, 2, 4, 6]), mode="sum",
                               per_sample_weights=psw, include_last_offset=True)

    w = fg.tensor(W, dtype=fg.float64, requires_grad=True)
    psw = fg.tensor([0.5, 1.5, -1.0, 2.0, 0.25, 1.0], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(f, (w, psw))


# ---- torch.special keywords ---------------------------------------------------------

X = [0.25, 0.75]
UNARY_INPUT = ["bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "digamma", "entr", "erf", "erfc",
               "erfcx", "erfinv", "exp2", "expit", "expm1", "gammaln", "i0", "i0e", "i1", "i1e", "log1p",
               "log_ndtr", "logit", "modified_bessel_i0", "modified_bessel_i1", "modified_bessel_k0",
               "modified_bessel_k1", "ndtr", "ndtri", "psi", "round", "sinc"]
X_ONLY = ["airy_ai", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "spherical_bessel_j0"]
POLYNOMIALS = ["chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
               "chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
               "laguerre_polynomial_l", "legendre_polynomial_p", "shifted_chebyshev_polynomial_t",
               "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
               "shifted_chebyshev_polynomial_w"]


@pytest.mark.parametrize("name", UNARY_INPUT)
@pytest.mark.parametrize("keyword", ["input", "x", "a", "x1"])
def test_special_unary_keywords(name, keyword):
    t = fg.tensor(X, dtype=fg.float64)
    f = getattr(fg.special, name)
    assert fg.equal(f(**{keyword: t}), f(t))


@pytest.mark.parametrize("name", UNARY_INPUT[:5])
def test_special_input_given_twice(name):
    t = fg.tensor(X, dtype=fg.float64)
    with pytest.raises(TypeError):
        getattr(fg.special, name)(input=t, x=t)


@pytest.mark.parametrize("name", X_ONLY)
def test_special_x_named_functions(name):
    t = fg.tensor(X, dtype=fg.float64)
    f = getattr(fg.special, name)
    assert fg.equal(f(x=t), f(t))
    with pytest.raises(TypeError):
        f(input=t)


@pytest.mark.parametrize("name", POLYNOMIALS)
def test_special_polynomial_keywords(name):
    t = fg.tensor(X, dtype=fg.float64)
    n = fg.tensor([2.0, 3.0], dtype=fg.float64)
    f = getattr(fg.special, name)
    assert fg.equal(f(x=t, n=n), f(t, n))
    with pytest.raises(TypeError):
        f(input=t, n=n)


@pytest.mark.parametrize("name", ["gammainc", "gammaincc", "xlog1py", "xlogy", "zeta"])
def test_special_binary_keywords(name):
    t = fg.tensor([1.5, 2.5], dtype=fg.float64)
    o = fg.tensor([2.0, 3.0], dtype=fg.float64)
    f = getattr(fg.special, name)
    want = f(t, o)
    assert fg.equal(f(input=t, other=o), want)
    assert fg.equal(f(x=t, other=o), want)
    assert fg.equal(f(x1=t, x2=o), want)
    assert fg.equal(f(t, x2=o), want)


def test_special_reduction_keywords():
    t = fg.tensor([[0.5, 1.5], [2.0, -1.0]], dtype=fg.float64)
    assert fg.equal(fg.special.logsumexp(x=t, axis=1, keepdims=True), fg.special.logsumexp(t, 1, True))
    assert fg.equal(fg.special.softmax(x=t, axis=0), fg.special.softmax(t, 0))
    assert fg.equal(fg.special.log_softmax(a=t, dim=1), fg.special.log_softmax(t, 1))
    assert fg.equal(fg.special.polygamma(1, x=t + 3), fg.special.polygamma(1, t + 3))
    assert fg.equal(fg.special.multigammaln(x=t + 3, p=2), fg.special.multigammaln(t + 3, 2))
    assert fg.equal(fg.special.round(x=t, decimals=1), fg.special.round(t, decimals=1))
    assert fg.equal(fg.special.logit(x=t / 4 + 0.5, eps=0.1), fg.special.logit(t / 4 + 0.5, 0.1))


def test_special_keyword_values():
    # recorded from torch.special
    t = fg.tensor([0.0, 1.0], dtype=fg.float64)
    np.testing.assert_allclose(fg.special.expit(x=t).numpy(), [0.5, 0.7310585786300049], rtol=1e-15)
    np.testing.assert_allclose(fg.special.bessel_j0(input=t).numpy(), [1.0, 0.7651976865579666], rtol=1e-15)
    np.testing.assert_allclose(fg.special.xlogy(input=t, other=t + 1).numpy(), [0.0, 0.6931471805599453],
                               rtol=1e-15)


# ---- float32 sinc / digamma / polygamma bit for bit ---------------------------------

BITS = json.loads((Path(__file__).parent / "data" / "special_f32_bits.json").read_text())


def _unpack(key, dtype):
    return np.frombuffer(base64.b64decode(BITS[key]), dtype=dtype)


def _assert_same_bits(got, want):
    got = np.ascontiguousarray(got, dtype=np.float32)
    both_nan = np.isnan(got) & np.isnan(want)
    differ = (got.view(np.int32) != want.view(np.int32)) & ~both_nan
    assert not differ.any(), f"{differ.sum()} differ, first at {np.flatnonzero(differ)[:5]}"


def test_sinc_float32_bits():
    x = _unpack("input", np.float32)
    out = fg.sinc(fg.tensor(x))
    assert out.dtype == fg.float32
    _assert_same_bits(out.numpy(), _unpack("sinc", np.float32))


@pytest.mark.parametrize("n", range(5))
def test_polygamma_float32_bits(n):
    x = _unpack("input", np.float32)
    out = fg.polygamma(n, fg.tensor(x))
    assert out.dtype == fg.float32
    _assert_same_bits(out.numpy(), _unpack(f"polygamma{n}", np.float32))


def test_digamma_float32_bits():
    x = _unpack("input", np.float32)
    _assert_same_bits(fg.digamma(fg.tensor(x)).numpy(), _unpack("polygamma0", np.float32))
    _assert_same_bits(fg.special.psi(fg.tensor(x)).numpy(), _unpack("polygamma0", np.float32))


def test_integer_inputs_compute_in_float32():
    ints = _unpack("int_input", np.int64)
    s = fg.sinc(fg.tensor(ints))
    d = fg.digamma(fg.tensor(ints))
    assert s.dtype == fg.float32 and d.dtype == fg.float32
    _assert_same_bits(s.numpy(), _unpack("sinc_int", np.float32))
    _assert_same_bits(d.numpy(), _unpack("digamma_int", np.float32))


def test_sinc_digamma_gradcheck():
    x = fg.tensor([0.3, -1.7, 2.5, 4.0], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(fg.sinc, (x,))
    assert fg.autograd.gradcheck(fg.digamma, (x,))
    assert fg.autograd.gradcheck(lambda t: fg.polygamma(2, t), (x,))


# ---- linalg.matrix_exp of a batch ---------------------------------------------------

MEXP_BATCH = [[[0.0, 1e-09, 0.0], [0.0, 0.0, 2e-09], [0.0, 0.0, 0.0]], [[1e-05, 0.0002, 0.0], [0.0, -0.0001, 0.0001], [0.0003, 0.0, 0.0]], [[0.01, 0.02, -0.01], [0.0, 0.005, 0.01], [0.02, 0.0, -0.01]], [[0.1, -0.2, 0.05], [0.03, 0.0, 0.1], [-0.1, 0.2, 0.04]], [[0.3, 0.2, -0.4], [0.1, -0.2, 0.3], [0.2, 0.1, 0.1]], [[1.5, -2.0, 0.5], [0.3, 1.0, -1.0], [-0.7, 2.0, 0.4]], [[10.0, -3.0, 1.0], [2.0, -5.0, 4.0], [0.5, 3.0, 2.0]]]
MEXP_BATCH_F64 = [[[1.0, 1.0000000000000003e-09, 9.999999999999997e-19], [0.0, 1.0, 2.0000000000000005e-09], [0.0, 0.0, 1.0]], [[1.0000100000510004, 0.00019999100030337576, 9.999700007584181e-09], [1.4999550011376272e-08, 0.9999000050008334, 9.999500016668749e-05], [0.00030000150000507493, 2.999910002275255e-08, 1.0000000000009999]], [[1.0099505029133402, 0.020149919076563126, -0.009899668954768619], [0.00010016604772168319, 1.0050131891919205, 0.00997479349055988], [0.0199996700049806, 0.00020033209544336643, 0.9899508329083591]], [[1.0996575364575252, -0.20542132732192347, 0.04322715376269041], [0.02635581112562923, 1.0074348444969379, 0.1029728629534711], [-0.10428385941601795, 0.2148605018522608, 1.0488337491123338]], [[1.3124126491147547, 0.18976987182341093, -0.4545447420950519], [0.13774493502497975, 0.8433454694453866, 0.2632248081784792], [0.2487023706041631, 0.11631493546834265, 1.07442527828891]], [[2.6359968352721665, -3.2981138130697296, 2.856203307002208], [1.380318931280746, -0.16811224471120167, -0.8676435012522583], [-0.4562771925219434, 3.5064907211450893, -0.5219968190022677]], [[15444.741652032464, -3086.4282806788237, 408.6310943331722], [2677.7971863456505, -530.0557923514466, 84.07854593326844], [2064.850544845893, -402.0748399698754, 82.21541245159993]]]
MEXP_BATCH_F32 = [[[1.0, 9.999999717180685e-10, 9.999999424161284e-19], [0.0, 1.0, 1.999999943436137e-09], [0.0, 0.0, 1.0]], [[1.0000098943710327, 0.0001999910018639639, 9.999700623097851e-09], [1.4999548270111518e-08, 0.9998999834060669, 9.999499889090657e-05], [0.00030000152764841914, 2.9999096540223036e-08, 1.0]], [[1.0099505186080933, 0.020149918273091316, -0.009899670258164406], [0.00010016601299867034, 1.005013346672058, 0.009974793531000614], [0.0199996717274189, 0.00020033205510117114, 0.9899508953094482]], [[1.099657654762268, -0.2054213583469391, 0.04322716221213341], [0.026355810463428497, 1.0074348449707031, 0.10297286510467529], [-0.10428386181592941, 0.21486049890518188, 1.0488337278366089]], [[1.3124126195907593, 0.1897698938846588, -0.4545447528362274], [0.1377449333667755, 0.8433452844619751, 0.2632248103618622], [0.24870237708091736, 0.11631494760513306, 1.0744253396987915]], [[2.6359970569610596, -3.29811429977417, 2.856203079223633], [1.3803191184997559, -0.16811281442642212, -0.8676435947418213], [-0.45627719163894653, 3.506490707397461, -0.5219964385032654]], [[15444.740234375, -3086.427734375, 408.6312255859375], [2677.797119140625, -530.0556640625, 84.07856750488281], [2064.850341796875, -402.0747375488281, 82.21542358398438]]]


@pytest.mark.parametrize("dtype, expected, tol", [
    ("float64", "MEXP_BATCH_F64", 1e-10),
    ("float32", "MEXP_BATCH_F32", 2e-6),
])
def test_matrix_exp_batch_of_every_degree(dtype, expected, tol):
    a = fg.tensor(MEXP_BATCH, dtype=getattr(fg, dtype))
    out = fg.linalg.matrix_exp(a)
    assert out.shape == (7, 3, 3)
    np.testing.assert_allclose(out.numpy(), globals()[expected], rtol=tol, atol=tol)
    # a batch with two leading dims, in another order
    perm = [6, 2, 4, 0, 5, 1]
    twod = fg.linalg.matrix_exp(a[perm].reshape(2, 3, 3, 3))
    np.testing.assert_allclose(twod.reshape(6, 3, 3).numpy(), np.asarray(globals()[expected])[perm],
                               rtol=tol, atol=tol)


def test_matrix_exp_batch_gradients():
    a = fg.tensor(MEXP_BATCH, dtype=fg.float64)[[2, 4, 5]].clone().requires_grad_()
    out = fg.linalg.matrix_exp(a)
    assert type(out.grad_fn).__name__ == "LinalgMatrixExpBackward0"
    assert fg.autograd.gradcheck(fg.linalg.matrix_exp, (a,))


def test_matrix_exp_large_batch():
    rng = np.random.default_rng(7)
    a = rng.standard_normal((1000, 3, 3)) * rng.uniform(1e-6, 4.0, (1000, 1, 1))
    out = fg.linalg.matrix_exp(fg.tensor(a))
    assert out.shape == (1000, 3, 3)
    # exp(A) exp(-A) = I
    back = fg.linalg.matrix_exp(fg.tensor(-a))
    np.testing.assert_allclose((out @ back).numpy(), np.broadcast_to(np.eye(3), (1000, 3, 3)), atol=1e-8)
