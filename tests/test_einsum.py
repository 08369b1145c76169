"""einsum against np.einsum (hypothesis over equations and shapes), its gradients and
errors; the products built beside it (tensordot, the fused addmm family, multi_dot,
kron, cdist, ...) and the counting functions, against NumPy."""

import importlib
import string
import warnings

import numpy as np
import pytest
from backend import IS_TORCH, fg
from hypothesis import given, settings
from hypothesis import strategies as st

multi_dot = fg.linalg.multi_dot if IS_TORCH else importlib.import_module("ferrograd._multi_dot").multi_dot


def t(a, grad=False):
    return fg.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def node(y):
    return type(y.grad_fn).__name__


def rand(*shape, seed=0):
    return np.random.default_rng(seed + sum(shape)).standard_normal(shape)


# --- einsum ---------------------------------------------------------------------------

EQUATIONS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ii", [(3, 3)]),
    ("ii->i", [(3, 3)]),
    ("ij->ji", [(2, 3)]),
    ("ij,ij->", [(2, 3), (2, 3)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("...ij,...jk", [(2, 1, 3, 4), (5, 4, 2)]),
    ("i,j", [(3,), (4,)]),
    ("ijk,jil->kl", [(2, 3, 4), (3, 2, 5)]),
    ("a,b,c", [(2,), (3,), (4,)]),
    ("ab,bc,cd->ad", [(2, 3), (3, 4), (4, 5)]),
    ("iij->j", [(2, 2, 3)]),
    ("ijk->", [(2, 3, 4)]),
    ("i...->...", [(2, 3)]),
    ("bA", [(2, 3)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("ab,ab,ab->a", [(2, 3), (2, 3), (2, 3)]),
    ("i,->i", [(3,), ()]),
    ("iji->j", [(2, 3, 2)]),
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]),
    (" i j , j k -> k i ", [(2, 3), (3, 4)]),
]


@pytest.mark.parametrize("eq, shapes", EQUATIONS)
def test_einsum_matches_numpy(eq, shapes):
    arrays = [rand(*s, seed=k) for k, s in enumerate(shapes)]
    got = fg.einsum(eq, *[t(a) for a in arrays])
    want = np.einsum(eq.replace(" ", ""), *arrays)
    assert tuple(got.shape) == want.shape
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-12)


def test_einsum_takes_a_list_of_operands_and_broadcasts_size_one():
    a, b = rand(2, 3), rand(3, 4)
    np.testing.assert_allclose(fg.einsum("ij,jk->ik", [t(a), t(b)]).numpy(), a @ b)
    x, y = rand(2, 1), rand(2, 3)
    np.testing.assert_allclose(fg.einsum("ij,ij->ij", t(x), t(y)).numpy(), x * y)


@pytest.mark.parametrize("eq, shapes", [e for e in EQUATIONS if e[1][0] != ()])
def test_einsum_gradcheck(eq, shapes):
    tensors = [t(rand(*s, seed=k), True) for k, s in enumerate(shapes)]
    assert fg.autograd.gradcheck(lambda *xs: fg.einsum(eq, *xs), tuple(tensors))


def test_einsum_gradgradcheck():
    a, b = t(rand(2, 3), True), t(rand(3, 4), True)
    assert fg.autograd.gradgradcheck(lambda x, y: fg.einsum("ij,jk->ik", x, y), (a, b))


def test_einsum_long_thin_chain():
    # Contracted in the cheap order this never builds the 1500 x 1500 intermediate.
    a, b, c = rand(1500, 2), rand(2, 1500, seed=1), rand(1500, 3, seed=2)
    got = fg.einsum("ij,jk,kl->il", t(a), t(b), t(c))
    np.testing.assert_allclose(got.numpy(), a @ (b @ c), rtol=1e-9)


@pytest.mark.parametrize(
    "fn, shapes",
    [
        (lambda i, a, b: fg.addmm(i, a, b, beta=0.5, alpha=2), [(3,), (2, 4), (4, 3)]),
        (lambda i, a, b: fg.addbmm(i, a, b), [(3, 5), (2, 3, 4), (2, 4, 5)]),
        (lambda a, b, c: fg.einsum("ab,bc,cd->ad", a, b, c), [(2, 3), (3, 4), (4, 2)]),
    ],
)
def test_products_gradgradcheck(fn, shapes):
    tensors = tuple(t(rand(*s, seed=k), True) for k, s in enumerate(shapes))
    assert fg.autograd.gradgradcheck(fn, tensors)


def test_einsum_node_names():
    a = t(rand(3, 3), True)
    assert node(fg.einsum("ij,jk->ik", a, a)) == "ViewBackward0"
    assert node(fg.einsum("ii", a)) == "SumBackward1"
    assert node(fg.einsum("ij->ji", a)) == "PermuteBackward0"
    assert node(fg.einsum("i,j", a[0], a[1])) == "MulBackward0"


LABELS = string.ascii_lowercase[:6]


@st.composite
def einsum_problems(draw):
    sizes = {c: draw(st.integers(1, 3)) for c in LABELS}
    n_ops = draw(st.integers(1, 3))
    terms = [draw(st.lists(st.sampled_from(LABELS), min_size=0, max_size=3)) for _ in range(n_ops)]
    used = sorted({c for term in terms for c in term})
    explicit = draw(st.booleans())
    out = draw(st.permutations(used)) if explicit else None
    if out is not None:
        out = out[: draw(st.integers(0, len(out)))]
    eq = ",".join("".join(term) for term in terms) + ("" if out is None else "->" + "".join(out))
    shapes = [tuple(sizes[c] for c in term) for term in terms]
    return eq, shapes


@settings(max_examples=60, deadline=None)
@given(einsum_problems())
def test_einsum_random_equations(problem):
    eq, shapes = problem
    arrays = [rand(*s, seed=k) for k, s in enumerate(shapes)]
    got = fg.einsum(eq, *[t(a) for a in arrays])
    want = np.einsum(eq, *arrays)
    assert tuple(got.shape) == want.shape
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(
    "eq, shapes, message",
    [
        ("ij,jk", [(2, 3)], "einsum(): fewer operands were provided than specified in the equation"),
        ("ij", [(2, 3), (3, 4)], "einsum(): more operands were provided than specified in the equation"),
        ("ijk", [(2, 3)], "einsum(): the number of subscripts in the equation (3) does not match the number of dimensions (2) for operand 0 and no ellipsis was given"),
        ("i1", [(2, 3)], "einsum(): invalid subscript given at index 1 in the equation string, subscripts must be in [a-zA-Z]"),
        ("ij->ii", [(2, 3)], "einsum(): output subscript i appears more than once in the output"),
        ("ij->k", [(2, 3)], "einsum(): output subscript k does not appear in the equation for any input operand"),
        ("ij,jk->ik", [(2, 3), (4, 3)], "einsum(): subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3"),
        ("ii->i", [(2, 3)], "einsum(): subscript i is repeated for operand 0 but the sizes don't match, 3 != 2"),
        ("ij..,jk", [(2, 3), (3, 4)], "einsum(): found '.' for operand 0 that is not part of any ellipsis"),
        ("...ij...", [(2, 3)], "einsum(): found '.' for operand 0 for which an ellipsis was already found"),
    ],
)
def test_einsum_errors(eq, shapes, message):
    with pytest.raises(RuntimeError) as info:
        fg.einsum(eq, *[t(rand(*s)) for s in shapes])
    assert str(info.value) == message


def test_einsum_operand_errors():
    with pytest.raises(RuntimeError, match="^expected scalar type Double but found Float$"):
        fg.einsum("i,i", fg.ones(2, dtype=fg.float64), fg.ones(2))
    with pytest.raises(ValueError, match="must specify the equation string and at least one operand"):
        fg.einsum("i")
    with pytest.raises(RuntimeError) as info:
        fg.einsum("...i,...i->...", fg.ones(2, 3), fg.ones(4, 3))
    assert str(info.value) == (
        "einsum(): dimension 0 covered by ellipsis in operand 1has size 4 which does not broadcast "
        "with previously seen ellipsis with size 2 for the respective dimension"
    )


@st.composite
def ellipsis_problems(draw):
    batch = draw(st.lists(st.integers(1, 3), min_size=0, max_size=2))
    m, k, n = (draw(st.integers(1, 3)) for _ in range(3))
    # each operand may drop leading batch dims or have size 1 there (broadcasting)
    shapes = []
    for inner in ((m, k), (k, n)):
        b = batch[draw(st.integers(0, len(batch))):]
        b = [1 if draw(st.booleans()) else s for s in b]
        shapes.append((*b, *inner))
    return shapes


@settings(max_examples=30, deadline=None)
@given(ellipsis_problems())
def test_einsum_ellipsis_broadcasting(shapes):
    arrays = [rand(*s, seed=k) for k, s in enumerate(shapes)]
    got = fg.einsum("...ij,...jk->...ik", *[t(a) for a in arrays])
    want = np.einsum("...ij,...jk->...ik", *arrays)
    assert tuple(got.shape) == want.shape
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-12)


# --- fused products -------------------------------------------------------------------


def test_fused_products_values_and_nodes():
    i2, a, b = rand(2, 3), rand(2, 4), rand(4, 3)
    got = fg.addmm(t(i2, True), t(a, True), t(b, True), beta=0.5, alpha=2)
    np.testing.assert_allclose(got.detach().numpy(), 0.5 * i2 + 2 * a @ b)
    assert node(got) == "AddmmBackward0"
    assert node(t(i2, True).addmm(t(a), t(b))) == "AddmmBackward0"
    nan = np.full((2, 3), np.nan)
    np.testing.assert_allclose(fg.addmm(t(nan), t(a), t(b), beta=0).numpy(), a @ b)
    bi, b1, b2 = rand(2, 3, 5), rand(2, 3, 4), rand(2, 4, 5)
    got = fg.baddbmm(t(bi, True), t(b1), t(b2), alpha=3)
    np.testing.assert_allclose(got.detach().numpy(), bi + 3 * b1 @ b2)
    assert node(got) == "BaddbmmBackward0"
    got = fg.addbmm(t(rand(3, 5), True), t(b1), t(b2), beta=2)
    np.testing.assert_allclose(got.detach().numpy(), 2 * rand(3, 5) + (b1 @ b2).sum(0))
    assert node(got) == "AddbmmBackward0"
    m, v = rand(3, 4), rand(4)
    got = t(rand(3), True).addmv(t(m), t(v))
    np.testing.assert_allclose(got.detach().numpy(), rand(3) + m @ v)
    assert node(got) == "AddmvBackward0"
    got = fg.addr(t(rand(3, 4), True), t(rand(3)), t(rand(4)), alpha=-1)
    np.testing.assert_allclose(got.detach().numpy(), rand(3, 4) - np.outer(rand(3), rand(4)))
    assert node(got) == "AddrBackward0"


@pytest.mark.parametrize(
    "fn, shapes",
    [
        (lambda i, a, b: fg.addmm(i, a, b, beta=0.5, alpha=2), [(3,), (2, 4), (4, 3)]),
        (lambda i, a, b: fg.baddbmm(i, a, b, alpha=-1.5), [(2, 3, 5), (2, 3, 4), (2, 4, 5)]),
        (lambda i, a, b: fg.addbmm(i, a, b, beta=2), [(3, 5), (2, 3, 4), (2, 4, 5)]),
        (lambda i, a, b: fg.addmv(i, a, b), [(3,), (3, 4), (4,)]),
        (lambda i, a, b: fg.addr(i, a, b, beta=0), [(3, 4), (3,), (4,)]),
        (lambda a, b: fg.tensordot(a, b, dims=([0, 2], [2, 0])), [(2, 3, 4), (4, 5, 2)]),
        (lambda a, b, c: multi_dot([a, b, c]), [(3,), (3, 4), (4,)]),
        (lambda a, b: fg.kron(a, b), [(2, 3), (2, 3, 2)]),
        (lambda a, b: fg.cartesian_prod(a, b), [(2,), (3,)]),
        (lambda a, b: fg.cdist(a, b), [(3, 4), (5, 4)]),
        (lambda a, b: fg.cdist(a, b, p=1.0), [(3, 4), (5, 4)]),
        (lambda a, b: fg.cdist(a, b, p=3.0), [(2, 3, 4), (2, 5, 4)]),
        (lambda a, b: fg.cdist(a, b), [(30, 2), (3, 2)]),
        (lambda y: fg.trapezoid(y, dim=0), [(5, 3)]),
        (lambda y, x: fg.trapezoid(y, x), [(2, 5), (5,)]),
        (lambda x: fg.cov(x), [(3, 5)]),
        (lambda x: fg.corrcoef(x), [(3, 5)]),
        (lambda x: fg.diag_embed(x, 1), [(2, 3)]),
        (lambda a, b: fg.block_diag(a, b), [(2, 3), (1, 2)]),
    ],
)
def test_products_gradcheck(fn, shapes):
    tensors = tuple(t(rand(*s, seed=k), True) for k, s in enumerate(shapes))
    assert fg.autograd.gradcheck(fn, tensors)


def test_cdist_node_names_and_values():
    a, b = rand(3, 4), rand(5, 4)
    got = fg.cdist(t(a, True), t(b))
    want = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    np.testing.assert_allclose(got.detach().numpy(), want)
    assert node(got) == "CdistBackward0"
    np.testing.assert_allclose(fg.cdist(t(a), t(b), p=1).numpy(), np.abs(a[:, None] - b[None]).sum(-1))
    np.testing.assert_allclose(fg.cdist(t(a), t(b), p=float("inf")).numpy(), np.abs(a[:, None] - b[None]).max(-1))
    big = rand(30, 4)
    got = fg.cdist(t(big, True), t(b))
    np.testing.assert_allclose(got.detach().numpy(), np.sqrt(((big[:, None] - b[None]) ** 2).sum(-1)), rtol=1e-6)
    assert node(got) == "ViewBackward0"


def test_tensordot_kron_multi_dot_values():
    a, b = rand(2, 3, 4), rand(3, 4, 5)
    np.testing.assert_allclose(fg.tensordot(t(a), t(b)).numpy(), np.tensordot(a, b))
    np.testing.assert_allclose(fg.tensordot(t(a), t(b), dims=0).numpy(), np.tensordot(a, b, 0))
    np.testing.assert_allclose(fg.tensordot(t(a), t(b), dims=fg.tensor([[1], [0]])).numpy(), np.tensordot(a, b, ([1], [0])))
    x, y = rand(2, 3), rand(3, 2)
    np.testing.assert_allclose(fg.kron(t(x), t(y)).numpy(), np.kron(x, y))
    ms = [rand(10, 3), rand(3, 40), rand(40, 2), rand(2, 7)]
    got = multi_dot([t(m) for m in ms])
    np.testing.assert_allclose(got.numpy(), np.linalg.multi_dot(ms))
    assert node(multi_dot([t(m, True) for m in ms])) == "ViewBackward0"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(fg.chain_matmul(*[t(m) for m in ms]).numpy(), np.linalg.multi_dot(ms))
    np.testing.assert_array_equal(
        fg.cartesian_prod(fg.tensor([1, 2]), fg.tensor([3, 4, 5])).numpy(),
        [[1, 3], [1, 4], [1, 5], [2, 3], [2, 4], [2, 5]],
    )


def test_statistics_match_numpy():
    x = rand(3, 6)
    np.testing.assert_allclose(fg.cov(t(x)).numpy(), np.cov(x))
    np.testing.assert_allclose(fg.cov(t(x), correction=0).numpy(), np.cov(x, bias=True))
    fw, aw = np.array([1, 2, 1, 3, 1, 2]), np.array([0.5, 1.0, 2.0, 1.0, 0.3, 0.7])
    np.testing.assert_allclose(
        fg.cov(t(x), fweights=fg.tensor(fw), aweights=t(aw)).numpy(), np.cov(x, fweights=fw, aweights=aw)
    )
    np.testing.assert_allclose(fg.corrcoef(t(x)).numpy(), np.corrcoef(x))
    y = rand(7)
    np.testing.assert_allclose(fg.trapezoid(t(y)).numpy(), np.trapezoid(y))
    np.testing.assert_allclose(fg.trapz(t(y), dx=0.5).numpy(), np.trapezoid(y, dx=0.5))
    xs = np.cumsum(np.abs(rand(7, seed=3)))
    np.testing.assert_allclose(fg.trapezoid(t(y), t(xs)).numpy(), np.trapezoid(y, xs))
    v = np.array([1.0, 2.0, -1.5])
    np.testing.assert_allclose(fg.vander(t(v)).numpy(), np.vander(v))
    np.testing.assert_allclose(fg.vander(t(v), N=4, increasing=True).numpy(), np.vander(v, 4, increasing=True))


def test_counting_functions():
    v = fg.tensor([1.0, 2.0, 1.0, 2.5, 7.0, -1.0])
    assert fg.histc(v, bins=4, min=0, max=3).tolist() == [0.0, 2.0, 1.0, 1.0]
    assert fg.histc(v, bins=4).tolist() == [1.0, 4.0, 0.0, 1.0]
    assert fg.bincount(fg.tensor([0, 1, 1, 3])).tolist() == [1, 2, 0, 1]
    assert fg.bincount(fg.tensor([0, 1, 1, 3]), minlength=6).tolist() == [1, 2, 0, 1, 0, 0]
    w = fg.bincount(fg.tensor([0, 1, 1, 3]), weights=fg.tensor([0.5, 1.0, 1.0, 2.0]))
    assert w.tolist() == [0.5, 2.0, 0.0, 2.0] and w.dtype == fg.float32
    bounds = fg.tensor([1, 3, 5, 7, 9])
    assert fg.bucketize(fg.tensor([1, 5, 9, 10]), bounds).tolist() == [0, 2, 4, 5]
    assert fg.bucketize(fg.tensor([1, 5, 9, 10]), bounds, right=True).tolist() == [1, 3, 5, 5]
    seq = fg.tensor([[1, 3, 5], [2, 4, 6]])
    assert fg.searchsorted(seq, fg.tensor([[3, 6], [1, 7]])).tolist() == [[1, 3], [0, 3]]
    assert fg.searchsorted(seq, fg.tensor([[3, 6], [1, 7]]), side="right").tolist() == [[2, 3], [0, 3]]
    assert fg.searchsorted(fg.tensor([1, 3, 5]), 4).item() == 2


def test_product_errors():
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x2\)"):
        fg.addmm(fg.randn(2, 2), fg.randn(2, 3), fg.randn(4, 2))
    with pytest.raises(RuntimeError, match="contracted dimensions need to match, but first has size 3 in dim 1 and second has size 4 in dim 0"):
        fg.tensordot(fg.randn(2, 3), fg.randn(4, 3), dims=([1], [0]))
    with pytest.raises(RuntimeError, match="tensordot expects dims >= 0, but got dims=-1"):
        fg.tensordot(fg.randn(2, 3), fg.randn(4, 3), dims=-1)
    with pytest.raises(RuntimeError, match="cdist only supports at least 2D tensors, X1 got: 1D"):
        fg.cdist(fg.randn(3), fg.randn(3, 3))
    with pytest.raises(RuntimeError, match="X1 and X2 must have the same number of columns. X1: 2 X2: 3"):
        fg.cdist(fg.randn(3, 2), fg.randn(3, 3))
    with pytest.raises(RuntimeError, match="cdist only supports non-negative p values"):
        fg.cdist(fg.randn(3, 2), fg.randn(3, 2), p=-1)
    with pytest.raises(RuntimeError, match="bincount only supports 1-d non-negative integral inputs."):
        fg.bincount(fg.tensor([-1, 2]))
    with pytest.raises(NotImplementedError, match="\"histogram_cpu\" not implemented for 'Long'"):
        fg.histc(fg.tensor([1, 2]), bins=3)
    with pytest.raises(RuntimeError, match=r"multi_dot\(\): expected at least 2 tensors but got 1"):
        multi_dot([fg.randn(2, 3)])
    with pytest.raises(RuntimeError, match=r"multi_dot\(\): tensors 0 and 1 with shapes \[2, 3\] and \[4, 3\] cannot be multiplied"):
        multi_dot([fg.randn(2, 3), fg.randn(4, 3)])


def test_fused_products_in_place():
    x = t(rand(2, 3), True) * 1
    a, b = t(rand(2, 4), True), t(rand(4, 3), True)
    want = 0.5 * x.detach().numpy() + 2 * a.detach().numpy() @ b.detach().numpy()
    assert x.addmm_(a, b, beta=0.5, alpha=2) is x
    np.testing.assert_allclose(x.detach().numpy(), want)
    assert node(x) == "AddmmBackward0"
    x.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), 2 * np.ones((2, 3)) @ b.detach().numpy().T)
    v = t(rand(3), True) * 1
    v.addmv_(t(rand(3, 4)), t(rand(4)))
    assert node(v) == "AddmvBackward0"
    m = t(rand(3, 4), True) * 1
    m.addr_(t(rand(3)), t(rand(4)))
    assert node(m) == "AddrBackward0"
    bb = t(rand(2, 3, 5), True) * 1
    bb.baddbmm_(t(rand(2, 3, 4)), t(rand(2, 4, 5)))
    assert node(bb) == "BaddbmmBackward0"
    with pytest.raises(RuntimeError, match=r"Bad in-place call: input tensor size \[2, 2\] and output tensor size \[3, 2\] should match"):
        fg.ones(2, 2).addmm_(fg.ones(3, 2), fg.ones(2, 2))
