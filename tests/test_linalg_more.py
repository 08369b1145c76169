"""The rest of `torch.linalg` (matrix_exp, cond, householder_product, tensorinv,
tensorsolve, vander, lu_solve, ldl_factor/ldl_solve) and the top-level / Tensor forms
(matrix_exp, geqrf, orgqr, ormqr, lu_solve, lu_unpack), against values recorded from
PyTorch 2.13 and NumPy, with PyTorch's node names, errors and gradients (float64
finite differences, second derivatives too)."""

import math

import numpy as np
import pytest
from backend import fg

LA = fg.linalg
F32, F64 = fg.float32, fg.float64
NP = {F32: np.float32, F64: np.float64}


def arr(t):
    return t.detach().numpy()


def T(a, dtype=F64, requires_grad=False):
    return fg.tensor(np.asarray(a, dtype=NP[dtype]), dtype=dtype, requires_grad=requires_grad)


def node(t):
    return type(t.grad_fn).__name__


M3 = [[0.5, -1.2, 0.3], [0.8, 0.1, -0.7], [-0.4, 0.9, 0.6]]
G = [[2, -1, 0.5], [1, 3, -2], [4, 0, 1], [1.5, -0.5, 2]]
C = [[1.0, 2], [3, 4], [5, 6], [7, 8]]
S = [[0, 2, 1, 0.5], [2, 0, 3, 1], [1, 3, 1, -2], [0.5, 1, -2, 4]]
SPD = [[4, 1, 0.5, 0.2], [1, 5, 1, 0.3], [0.5, 1, 6, 1], [0.2, 0.3, 1, 7]]
B3 = [[1.0, -1], [2, 0.5], [0, 3]]
R35 = [[1.0, 2, 3, 4, 5], [0, 1, 2, 0, 1], [2, 2, 1, -1, 0]]
# matrix_exp of M3 times these: each picks another degree of the Taylor polynomial.
SCALES = [1e-17, 1e-9, 1e-5, 0.01, 0.1, 0.3, 1.0, 5.0]

# Recorded from PyTorch 2.13 (CPU, LAPACK).
M6 = [[0, 3, 8, -4, 9, 4], [3, 1, -7, -4, 3, 0], [8, -7, 1, -1, -1, -1], [-4, -4, -1, 1, 10, -2],
      [9, 3, -1, 10, -1, -2], [4, 0, -1, -2, -2, 1]]
LDL_M6 = ([[0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [9.0, -1.0, 0.0, 0.0, 0.0, 0.0],
           [-0.012345679012345684, 0.8888888888888888, 9.691358024691358, 0.0, 0.0, 0.0],
           [1.0617283950617282, -0.4444444444444444, -1.0254777070063694, -8.203821656050954, 0.0, 0.0],
           [0.37037037037037035, 0.3333333333333333, -0.6038216560509555, -15.630573248407643, -4.644585987261147,
            0.0],
           [-0.1728395061728395, 0.4444444444444444, -0.7363057324840765, 0.24217302132496482, 0.28813412735674226,
            0.37420000494205463]], [-5, -5, 4, -5, -5, 6])
MEXP_F64 = [[[1.0, -1.2000000000000001e-17, 3.0000000000000002e-18], [8e-18, 1.0, -7e-18], [-4e-18, 9.000000000000001e-18, 1.0]], [[1.0000000005, -1.200000000225e-09, 3.00000000585e-10], [8.000000003800001e-10, 1.0000000001, -7.00000000125e-10], [-3.9999999986000006e-10, 9.000000005550001e-10, 1.0000000006]], [[1.0000049999585, -1.2000022499666e-05, 3.0000585001279995e-06], [8.000037999869334e-06, 1.0000009999209998, -7.000012499802666e-06], [-3.9999859998026674e-06, 9.000055499904e-06, 1.0000059999804998]], [[1.0049582931164587, -0.012022165008325123, 0.0030586274504302152], [0.0080378685410021, 1.0009207849514996, -0.007012302091755271], [-0.003985802458765546, 0.00905540303588881, 1.0059803455856728]], [[1.0456458757051081, -0.12190622390310268, 0.03597233441926171], [0.08366141459639811, 1.0018922955708902, -0.07104700202334079], [-0.038400717915030455, 0.09544431459171754, 1.057896501525405]], [[1.107340933376176, -0.37046882316301566, 0.14561747687281856], [0.27003370688196293, 0.9537802498639285, -0.21548033276610823], [-0.10193867007061484, 0.31656812745348634, 1.1583860153163854]], [[0.929296536157322, -1.013946704106772, 0.9413404307956046], [0.9751727220699513, 0.2010426675436264, -0.5833382516891297], [-0.05828756373239308, 1.2629347567410583, 1.2755993159151482]], [[7.633345820288293, 0.16157193674165615, 2.131948664346896], [0.8372283148198532, 6.454668863864697, 0.1199280936966095], [0.9371735381279696, 1.4657089183574277, 8.44670656412649]]]
MEXP_F32 = [[[1.0, -1.2000000136174153e-17, 3.0000000340435383e-18], [8.00000036650964e-18, 1.0, -7.000000217298358e-18], [-4.00000018325482e-18, 8.999999688540309e-18, 1.0]], [[1.0, -1.1999999882661427e-09, 2.999999970665357e-10], [8.000000106811456e-10, 1.0, -7.000000024071085e-10], [-4.000000053405728e-10, 9.000000189551827e-10, 1.0]], [[1.0000050067901611, -1.2000023161817808e-05, 3.0000585411471548e-06], [8.000038178579416e-06, 1.0000009536743164, -7.000012374192011e-06], [-3.999985892733093e-06, 9.000055797514506e-06, 1.0000059604644775]], [[1.0049582719802856, -0.012022164650261402, 0.0030586274806410074], [0.00803786888718605, 1.0009207725524902, -0.0070123025216162205], [-0.0039858026430010796, 0.00905540306121111, 1.005980372428894]], [[1.0456457138061523, -0.12190620601177216, 0.03597235307097435], [0.08366141468286514, 1.001892328262329, -0.07104699313640594], [-0.03840070217847824, 0.09544432163238525, 1.057896375656128]], [[1.1073410511016846, -0.3704688549041748, 0.14561748504638672], [0.27003368735313416, 0.9537802338600159, -0.21548032760620117], [-0.1019386574625969, 0.31656813621520996, 1.158385992050171]], [[0.9292967319488525, -1.013946771621704, 0.9413405656814575], [0.9751726984977722, 0.20104265213012695, -0.5833382606506348], [-0.05828768014907837, 1.2629348039627075, 1.2755993604660034]], [[7.633349418640137, 0.1615757942199707, 2.1319494247436523], [0.837226390838623, 6.454672813415527, 0.11993080377578735], [0.9371761679649353, 1.4657076597213745, 8.446710586547852]]]
GEQRF = ([[-4.8218253804964775, -0.0518475847365214, -1.2443420336765103], [0.14658833145436248, -3.2011422692465556, 2.363067771684105], [0.5863533258174499, 0.08768783785214182, -1.4551713334359375], [0.21988249718154373, -0.04597979270788727, 0.7641747770485529]], [1.41478067789217, 1.9805837468313183, 1.2626556848335697])
GEQRF_WIDE = ([[-2.29128784747792, 0.8728715609439697, -3.7097041340118695, -1.9639610121239315], [-0.23303027798233603, -3.638419332360584, -1.439662325754188, 0.6282162876018274], [0.11651513899116801, -0.3021594271359728, 1.0795682590273208, 1.499400359760168]], [1.8728715609439694, 1.8326760878128596, 0.0])
HH = [[-0.19999999999999996, -1.08, -4.8], [-1.2, -0.4800000000000001, -4.8], [-4.8, -4.32, -18.2], [-1.7999999999999998, -1.4200000000000002, -7.199999999999999]]
ORMQR = [[[202.36, 232.76], [193.16000000000003, 221.56], [781.94, 896.04], [257.64000000000004, 294.74]], [[-40.4, -48.4], [-34.059999999999995, -41.36], [252.10999999999999, 308.15999999999997], [768.15, 937.4]], [[-40.4, -34.059999999999995, 252.10999999999999, 768.15], [-48.4, -41.36, 308.15999999999997, 937.4]], [[202.36, 193.16, 781.94, 257.64], [232.76, 221.56, 896.04, 294.74]]]
LDL_S = ([[0.0, 0.0, 0.0, 0.0], [2.0, 0.0, 0.0, 0.0], [1.5, 0.5, 3.5, 0.0], [0.5, 0.25, -0.9285714285714285, -5.017857142857142]], [-2, -2, 4, 4])
LDL_SOLVE_S = [[3.551601423487545, 3.715302491103203], [1.1601423487544484, 1.5302491103202847], [-1.4626334519572954, -1.309608540925267], [0.2846975088967971, 0.49822064056939497]]
LDL_P = ([[4.0, 0.0, 0.0, 0.0], [0.25, 4.75, 0.0, 0.0], [0.125, 0.18421052631578946, 5.776315789473684, 0.0], [0.05, 0.05263157894736842, 0.16082004555808654, 6.827448747152619]], [1, 2, 3, 4])
LDL_SOLVE_P = [[0.02397531070147635, 0.22162982734172992], [0.41907081491367093, 0.550798231712403], [0.6125148052381348, 0.7214213028609558], [0.8938526983067815, 1.0098590374509968]]
LUS = [[[3.284132841328413, 2.749077490774907], [0.7872078720787207, 2.6814268142681423], [1.008610086100861, 2.8105781057810573]], [[0.3567035670356704, 1.8327183271832719], [2.250922509225092, -0.8487084870848711], [2.447724477244772, 3.0934809348093477]], [[0.3567035670356704, 2.250922509225092, 2.447724477244772], [1.8327183271832719, -0.8487084870848711, 3.0934809348093477]], [[3.284132841328413, 0.7872078720787207, 1.008610086100861], [2.749077490774907, 2.6814268142681423, 2.8105781057810573]]]
UNPACK = [[[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0], [0.625, 1.0, 0.0], [-0.5, -0.7524752475247526, 1.0]], [[0.8, 0.1, -0.7], [0.0, -1.2625, 0.7374999999999999], [0.0, 0.0, 0.804950495049505]]]
LU_PIV = [2, 2, 3]
UNPACK_WIDE = [[[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 1.0, 1.0]], [[2.0, 2.0, 1.0, -1.0, 0.0], [0.0, 1.0, 2.0, 0.0, 1.0], [0.0, 0.0, 0.5, 4.5, 4.0]]]
UNPACK_TALL = [[[0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0]], [[1.0, 0.0, 0.0], [0.6000000000000001, 1.0, 0.0], [0.2, -0.14285714285714288, 1.0], [0.8, -0.5714285714285715, -0.19999999999999996], [0.4, 0.42857142857142855, 0.7333333333333333]], [[5.0, 1.0, 0.0], [0.0, 1.4, 1.0], [0.0, 0.0, 2.142857142857143]]]
COND_NONE = 3.8662325806172158
COND_2 = 3.8662325806172158
COND_M2 = 0.2586497266132803
COND_FRO = 5.24315016137467
COND_NUC = 12.255211220354623
COND_1 = 6.521525215252152
COND_M1 = 2.8339483394833946
COND_INF = 6.125461254612545
COND_MINF = 2.38130381303813
COND_RECT = [5.688424592221165, 0.17579559749591916]


# --- matrix_exp -----------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [F32, F64])
def test_matrix_exp_matches_torch_at_every_degree(dtype):
    ref = MEXP_F64 if dtype == F64 else MEXP_F32
    eps = 1e-12 if dtype == F64 else 2e-6
    for scale, want in zip(SCALES, ref, strict=True):
        A = T(np.asarray(M3) * scale, dtype)
        for out in (LA.matrix_exp(A), fg.matrix_exp(A), A.matrix_exp()):
            assert out.dtype == dtype and tuple(out.shape) == (3, 3)
            np.testing.assert_allclose(arr(out), want, rtol=eps, atol=eps * np.abs(want).max())


def test_matrix_exp_batched_and_small():
    A = T(np.stack([np.asarray(M3) * s for s in SCALES]).reshape(2, 4, 3, 3))
    np.testing.assert_allclose(arr(LA.matrix_exp(A)).reshape(8, 3, 3), MEXP_F64, rtol=1e-12, atol=1e-12)
    one = T([[[0.5]], [[-2.0]]])
    np.testing.assert_allclose(arr(LA.matrix_exp(one)), np.exp([[[0.5]], [[-2.0]]]))
    empty = LA.matrix_exp(T(np.zeros((2, 0, 0))))
    assert tuple(empty.shape) == (2, 0, 0)
    # a diagonal matrix: the exponential of the diagonal
    d = LA.matrix_exp(T(np.diag([1.0, -0.5, 3.0])))
    np.testing.assert_allclose(arr(d), np.diag(np.exp([1.0, -0.5, 3.0])), rtol=1e-13)


def test_matrix_exp_errors():
    with pytest.raises(RuntimeError, match="A must be batches of square matrices, but they are 2 by 3"):
        LA.matrix_exp(T(np.zeros((2, 3))))
    with pytest.raises(RuntimeError, match="must have at least 2 dimensions"):
        fg.matrix_exp(T([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor as input. Got Long"):
        LA.matrix_exp(fg.ones(3, 3, dtype=fg.int64))


def test_matrix_exp_gradients():
    for scale in (0.01, 0.3, 1.0, 3.0):
        A = T(np.asarray(M3) * scale, requires_grad=True)
        assert node(LA.matrix_exp(A)) == "LinalgMatrixExpBackward0"
        assert fg.autograd.gradcheck(LA.matrix_exp, (A,))
    A = T(np.asarray(M3) * 0.7, requires_grad=True)
    assert fg.autograd.gradgradcheck(LA.matrix_exp, (A,))
    one = T([[[0.5]]], requires_grad=True)
    assert node(LA.matrix_exp(one)) == "LinalgMatrixExpBackward0"
    assert fg.autograd.gradcheck(LA.matrix_exp, (one,))


# --- cond -----------------------------------------------------------------------------


def test_cond_values():
    A = T(M3)
    for p, want in [(None, COND_NONE), (2, COND_2), (-2, COND_M2), ("fro", COND_FRO), ("nuc", COND_NUC),
                    (1, COND_1), (-1, COND_M1), (math.inf, COND_INF), (-math.inf, COND_MINF)]:
        got = LA.cond(A, p)
        assert got.dtype == F64 and got.dim() == 0
        assert got.item() == pytest.approx(want, rel=1e-12), p
    r = T(R35)
    assert LA.cond(r).item() == pytest.approx(COND_RECT[0], rel=1e-12)
    assert LA.cond(r, -2).item() == pytest.approx(COND_RECT[1], rel=1e-12)
    batch = LA.cond(T(np.stack([M3, np.eye(3)]), F32), 1)
    assert batch.dtype == F32 and tuple(batch.shape) == (2,)
    np.testing.assert_allclose(arr(batch), [COND_1, 1.0], rtol=1e-5)


def test_cond_singular_and_empty():
    z = fg.zeros(3, 3, dtype=F64)
    assert LA.cond(z, "fro").item() == math.inf
    assert LA.cond(z, 1).item() == math.inf
    assert math.isnan(LA.cond(z).item())
    assert math.isnan(LA.cond(z, "nuc").item())
    mixed = LA.cond(fg.stack([fg.zeros(2, 2), fg.eye(2)]), 1)
    assert mixed.tolist() == [math.inf, 1.0]
    e = LA.cond(fg.zeros(2, 0, 0))
    assert e.tolist() == [0.0, 0.0]


def test_cond_errors():
    rect = fg.zeros(2, 3)
    for p, text in [("fro", "fro"), (1, "1"), (math.inf, "inf"), (-1, "-1"), (1.0, "1.000000")]:
        with pytest.raises(RuntimeError, match=rf"linalg.cond\(ord={text}\): A must be batches of square"):
            LA.cond(rect, p)
    with pytest.raises(RuntimeError, match="linalg.cond got an invalid norm type: 3"):
        LA.cond(fg.eye(3), 3)
    with pytest.raises(RuntimeError, match="linalg.cond got an invalid norm type: abc"):
        LA.cond(fg.eye(3), "abc")
    with pytest.raises(RuntimeError, match="linalg.cond: The input tensor must have at least 2 dimensions."):
        LA.cond(fg.ones(3))
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor as input. Got Long"):
        LA.cond(fg.ones(3, 3, dtype=fg.int64))
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor as input. Got Long"):
        LA.cond(fg.ones(3, 3, dtype=fg.int64), 1)


def test_cond_gradients():
    A = T(M3, requires_grad=True)
    names = {None: "SqueezeBackward1", -2: "SqueezeBackward1", "fro": "NanToNumBackward0",
             "nuc": "MulBackward0", 1: "NanToNumBackward0", -math.inf: "NanToNumBackward0"}
    for p, name in names.items():
        assert node(LA.cond(A, p)) == name, p
    # (PyTorch's backward through the norms of the inverse fails: it masks the inverse in place.)
    for p in (None, -2, "nuc"):
        assert fg.autograd.gradcheck(lambda x, p=p: LA.cond(x, p), (A,))
    assert fg.autograd.gradgradcheck(lambda x: LA.cond(x), (A,))


# --- householder_product, geqrf, ormqr ------------------------------------------------


@pytest.mark.parametrize("dtype", [F32, F64])
def test_geqrf_matches_lapack(dtype):
    tol = {"rtol": 1e-12, "atol": 1e-13} if dtype == F64 else {"rtol": 1e-5, "atol": 1e-6}
    for src, (want_a, want_tau) in ((G, GEQRF), (np.asarray(G).T, GEQRF_WIDE)):
        A = T(src, dtype)
        for a, tau in (fg.geqrf(A), A.geqrf()):
            assert a.dtype == dtype and tau.dtype == dtype
            np.testing.assert_allclose(arr(a), want_a, **tol)
            np.testing.assert_allclose(arr(tau), want_tau, **tol)
    res = fg.geqrf(T(G))
    assert type(res).__name__ == "geqrf" and res.a.shape == (4, 3) and res.tau.shape == (3,)


def test_geqrf_batched_rebuilds_qr():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 5, 3))
    a, tau = fg.geqrf(T(x))
    assert tuple(a.shape) == (2, 5, 3) and tuple(tau.shape) == (2, 3)
    q = LA.householder_product(a, tau)
    np.testing.assert_allclose(arr(q @ a.triu()[..., :3, :]), x, atol=1e-12)
    np.testing.assert_allclose(arr(q.mT @ q), np.broadcast_to(np.eye(3), (2, 3, 3)), atol=1e-12)


def test_geqrf_errors_and_no_derivative():
    with pytest.raises(RuntimeError, match="torch.geqrf: input must have at least 2 dimensions."):
        fg.geqrf(fg.ones(3))
    with pytest.raises(NotImplementedError, match="\"geqrf_cpu\" not implemented for 'Long'"):
        fg.geqrf(fg.ones(3, 3, dtype=fg.int64))
    A = T(G, requires_grad=True)
    a, tau = fg.geqrf(A)
    assert node(a) == "GeqrfBackward0" and node(tau) == "GeqrfBackward0"
    with pytest.raises(NotImplementedError, match="the derivative for 'geqrf' is not implemented."):
        a.sum().backward()
    e = fg.geqrf(fg.zeros(0, 3))
    assert tuple(e.a.shape) == (0, 3) and tuple(e.tau.shape) == (0,)


def test_householder_product_and_orgqr():
    A = T(G)
    tau = T([1.2, 0.4])
    for q in (LA.householder_product(A, tau), fg.orgqr(A, tau), A.orgqr(tau)):
        assert tuple(q.shape) == (4, 3)
        np.testing.assert_allclose(arr(q), HH, rtol=1e-12, atol=1e-13)
    none = LA.householder_product(T(np.ones((3, 2))), T(np.zeros(0)))
    np.testing.assert_array_equal(arr(none), np.eye(3, 2))


def test_householder_product_errors():
    f = LA.householder_product
    with pytest.raises(RuntimeError, match="input must have at least 2 dimensions"):
        f(fg.ones(3), fg.ones(2))
    with pytest.raises(RuntimeError, match=r"input.shape\[-2\] must be greater than or equal to input.shape\[-1\]"):
        f(fg.ones(2, 3), fg.ones(2))
    with pytest.raises(RuntimeError, match=r"input.shape\[-1\] must be greater than or equal to tau.shape\[-1\]"):
        f(fg.ones(3, 3), fg.ones(4))
    with pytest.raises(RuntimeError, match="Expected tau to have one dimension less than input"):
        f(fg.ones(2, 3, 3), fg.ones(2))
    with pytest.raises(RuntimeError, match="Expected batch dimensions of tau to be equal to input.shape"):
        f(fg.ones(2, 3, 3), fg.ones(3, 2))
    with pytest.raises(RuntimeError, match="tau dtype Double does not match input dtype Float"):
        f(fg.ones(3, 3), fg.ones(2, dtype=F64))
    with pytest.raises(NotImplementedError, match="\"orgqr_cpu\" not implemented for 'Long'"):
        f(fg.ones(3, 3, dtype=fg.int64), fg.ones(2, dtype=fg.int64))


def test_householder_product_gradients():
    A = T(G, requires_grad=True)
    tau = T([1.2, 0.4, 0.9], requires_grad=True)
    assert node(LA.householder_product(A, tau)) == "LinalgHouseholderProductBackward0"
    assert fg.autograd.gradcheck(LA.householder_product, (A, tau))
    assert fg.autograd.gradgradcheck(LA.householder_product, (A, tau))


def test_ormqr_values():
    A, tau, c = T(G), T([1.2, 0.4, 1.5]), T(C)
    cases = [(c, True, False), (c, True, True), (c.mT, False, False), (c.mT, False, True)]
    for (other, left, transpose), want in zip(cases, ORMQR, strict=True):
        for out in (fg.ormqr(A, tau, other, left, transpose), A.ormqr(tau, other, left, transpose)):
            np.testing.assert_allclose(arr(out), want, rtol=1e-12)
    # Q from geqrf applied to the identity is the full Q
    a, t = fg.geqrf(T(G))
    q = fg.ormqr(a, t, T(np.eye(4)))
    np.testing.assert_allclose(arr(q[:, :3]), arr(LA.householder_product(a, t)), atol=1e-13)


def test_ormqr_errors_and_gradients():
    A, tau, c = T(G), T([1.2, 0.4, 1.5]), T(C)
    with pytest.raises(RuntimeError, match="torch.ormqr: input must have at least 2 dimensions."):
        fg.ormqr(T([1.0, 2]), tau, c)
    with pytest.raises(RuntimeError, match="torch.ormqr: other must have at least 2 dimensions."):
        fg.ormqr(A, tau, T([1.0, 2, 3, 4]))
    with pytest.raises(RuntimeError, match=r"tau.shape\[-1\] must be equal to min\(other.shape\[-2\]"):
        fg.ormqr(A, T([1.0, 2]), c)
    with pytest.raises(RuntimeError, match="Expected input and tau to have the same dtype"):
        fg.ormqr(A, T([1.0, 2, 3], F32), c)
    with pytest.raises(RuntimeError, match="Expected batch dimensions of tau to be equal"):
        fg.ormqr(T(np.ones((2, 4, 3))), T(np.ones((1, 3))), T(np.ones((2, 4, 2))))
    with pytest.raises(NotImplementedError, match="\"ormqr_cpu\" not implemented for 'Long'"):
        fg.ormqr(fg.ones(4, 3, dtype=fg.int64), fg.ones(3, dtype=fg.int64), fg.ones(4, 2, dtype=fg.int64))
    A, tau, c = T(G, requires_grad=True), T([1.2, 0.4, 1.5], requires_grad=True), T(C, requires_grad=True)
    assert node(fg.ormqr(A, tau, c)) == "OrmqrBackward0"
    assert fg.autograd.gradcheck(lambda a, t, o: fg.ormqr(a, t, o, True, True), (A, tau, c))
    assert fg.autograd.gradcheck(lambda a, t, o: fg.ormqr(a, t, o.mT, False, False), (A, tau, c))


# --- lu_solve, lu_unpack ------------------------------------------------------------


@pytest.mark.parametrize("dtype", [F32, F64])
def test_lu_solve_all_forms(dtype):
    tol = {"rtol": 1e-12, "atol": 1e-13} if dtype == F64 else {"rtol": 1e-5, "atol": 1e-5}
    LU, piv = LA.lu_factor(T(M3, dtype))
    assert piv.tolist() == LU_PIV
    b = T(B3, dtype)
    forms = [(b, True, False), (b, True, True), (b.mT, False, False), (b.mT, False, True)]
    for (rhs, left, adjoint), want in zip(forms, LUS, strict=True):
        x = LA.lu_solve(LU, piv, rhs, left=left, adjoint=adjoint)
        assert x.dtype == dtype
        np.testing.assert_allclose(arr(x), want, **tol)
    np.testing.assert_allclose(arr(fg.lu_solve(b, LU, piv)), LUS[0], **tol)
    np.testing.assert_allclose(arr(b.lu_solve(LU, piv)), LUS[0], **tol)


def test_lu_solve_broadcasts():
    LU, piv = LA.lu_factor(T(M3))
    b = T(np.stack([B3, np.asarray(B3) * 2, np.asarray(B3) * -1]))
    x = LA.lu_solve(LU, piv, b)
    assert tuple(x.shape) == (3, 3, 2)
    np.testing.assert_allclose(arr(x), np.stack([LUS[0], np.asarray(LUS[0]) * 2, np.asarray(LUS[0]) * -1]),
                               rtol=1e-12, atol=1e-13)


def test_lu_solve_errors():
    LU, piv = LA.lu_factor(T(M3, F32))
    b = T(B3, F32)
    cases = [
        ((LU, piv, T(np.ones((4, 2)), F32)), {}, r"Incompatible shapes of A and B for the equation AX = B \(3x3 and 4x2\)"),
        ((LU, piv, b), {"left": False}, r"Incompatible shapes of A and B for the equation XA = B \(3x3 and 3x2\)"),
        ((T(np.ones((3, 4)), F32), piv, b), {}, "A must be batches of square matrices, but they are 3 by 4"),
        ((LU, piv.long(), b), {}, "pivots should be a Tensor of scalar type torch.int32"),
        ((LU, piv[:2], b), {}, "Number of pivots per batch should be same as the dimension of the matrix"),
        ((LU, piv, T([1.0, 2, 3], F32)), {}, "The input tensor B must have at least 2 dimensions."),
        ((LU, piv, T(B3, F64)), {}, ("Expected LU and B to have the same dtype, but found LU of type Float and B of "
                                    "type Double instead")),
        ((LU.long(), piv, b.long()), {}, "Expected a floating point or complex tensor as input. Got Long"),
    ]
    for args, kw, text in cases:
        with pytest.raises(RuntimeError, match=text):
            LA.lu_solve(*args, **kw)


def test_lu_solve_gradients():
    LU, piv = LA.lu_factor(T(M3))
    LU = LU.detach().requires_grad_()
    b = T(B3, requires_grad=True)
    assert node(LA.lu_solve(LU, piv, b)) == "LinalgLuSolveBackward0"
    for left in (True, False):
        for adjoint in (False, True):
            def f(lu, rhs, left=left, adjoint=adjoint):
                return LA.lu_solve(lu, piv, rhs if left else rhs.mT, left=left, adjoint=adjoint)

            assert fg.autograd.gradcheck(f, (LU, b))
    assert fg.autograd.gradgradcheck(lambda lu, rhs: LA.lu_solve(lu, piv, rhs), (LU, b))


def test_lu_unpack():
    LU, piv = LA.lu_factor(T(M3))
    res = fg.lu_unpack(LU, piv)
    assert type(res).__name__ == "lu_unpack"
    for got, want in zip(res, UNPACK, strict=True):
        np.testing.assert_allclose(arr(got), want, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(arr(res.P @ res.L @ res.U), M3, atol=1e-14)
    for src, ref in ((R35, UNPACK_WIDE), (np.asarray(R35).T, UNPACK_TALL)):
        lu, pv = LA.lu_factor(T(src))
        for got, want in zip(fg.lu_unpack(lu, pv), ref, strict=True):
            assert tuple(got.shape) == np.asarray(want).shape
            np.testing.assert_allclose(arr(got), want, rtol=1e-13, atol=1e-15)
    P, L, U = fg.lu_unpack(LU, piv, unpack_data=False)
    assert tuple(L.shape) == (0,) and tuple(U.shape) == (0,) and tuple(P.shape) == (3, 3)
    P, L, U = fg.lu_unpack(LU, piv, unpack_pivots=False)
    assert tuple(P.shape) == (0,) and tuple(L.shape) == (3, 3)
    batch = fg.lu_unpack(*LA.lu_factor(T(np.stack([M3, np.eye(3)]))))
    assert tuple(batch.P.shape) == (2, 3, 3)
    np.testing.assert_array_equal(arr(batch.P[1]), np.eye(3))


def test_lu_unpack_errors_and_gradients():
    LU, piv = LA.lu_factor(T(M3))
    with pytest.raises(RuntimeError, match="LU_pivots is expected to be a contiguous tensor of torch.int32 dtype"):
        fg.lu_unpack(LU, piv.long())
    with pytest.raises(RuntimeError, match="Expected tensor with 2 or more dimensions. Got size: \\[3\\] instead"):
        fg.lu_unpack(LU[0], piv)
    LU = LU.detach().requires_grad_()
    with pytest.raises(IndexError, match="Dimension out of range"):
        fg.lu_unpack(LU[0], piv)
    P, L, U = fg.lu_unpack(LU, piv)
    assert P.grad_fn is None and node(L) == "LuUnpackBackward0" and node(U) == "LuUnpackBackward0"
    assert fg.autograd.gradcheck(lambda x: fg.lu_unpack(x, piv)[1], (LU,))
    assert fg.autograd.gradcheck(lambda x: fg.lu_unpack(x, piv)[2], (LU,))
    assert fg.autograd.gradgradcheck(lambda x: fg.lu_unpack(x, piv)[1], (LU,))


# --- ldl_factor, ldl_solve ----------------------------------------------------------


@pytest.mark.parametrize("dtype", [F32, F64])
def test_ldl_factor_matches_sytrf(dtype):
    tol = {"rtol": 1e-12, "atol": 1e-13} if dtype == F64 else {"rtol": 1e-5, "atol": 1e-5}
    for src, (want_ld, want_piv), want_x in ((S, LDL_S, LDL_SOLVE_S), (SPD, LDL_P, LDL_SOLVE_P)):
        A = T(src, dtype)
        res = LA.ldl_factor(A)
        assert type(res).__name__ == "linalg_ldl_factor"
        assert res.LD.dtype == dtype and res.pivots.dtype == fg.int32
        assert res.pivots.tolist() == want_piv
        np.testing.assert_allclose(arr(res.LD), want_ld, **tol)
        x = LA.ldl_solve(res.LD, res.pivots, T(C, dtype))
        np.testing.assert_allclose(arr(x), want_x, **tol)
        for hermitian in (True, False):
            ex = LA.ldl_factor_ex(A, hermitian=hermitian)
            assert type(ex).__name__ == "linalg_ldl_factor_ex" and ex.info.item() == 0
            assert ex.pivots.tolist() == want_piv


def test_ldl_with_row_swaps_in_both_block_sizes():
    A = T(M6)
    LD, piv = LA.ldl_factor(A)
    assert piv.tolist() == LDL_M6[1]
    np.testing.assert_allclose(arr(LD), LDL_M6[0], rtol=1e-12, atol=1e-13)
    b = np.arange(12.0).reshape(6, 2)
    np.testing.assert_allclose(arr(LA.ldl_solve(LD, piv, T(b))), np.linalg.solve(M6, b), rtol=1e-10, atol=1e-12)


def test_ldl_batched_and_broadcast_solve():
    A = T(np.stack([S, SPD]))
    LD, piv = LA.ldl_factor(A)
    assert tuple(LD.shape) == (2, 4, 4) and piv.tolist() == [LDL_S[1], LDL_P[1]]
    x = LA.ldl_solve(LD, piv, T(C))
    np.testing.assert_allclose(arr(x), [LDL_SOLVE_S, LDL_SOLVE_P], rtol=1e-12)
    np.testing.assert_allclose(arr(A @ x), np.broadcast_to(C, (2, 4, 2)), atol=1e-12)
    rng = np.random.default_rng(1)
    m = rng.standard_normal((3, 6, 6))
    sym = m + np.swapaxes(m, -1, -2)
    LD, piv = LA.ldl_factor(T(sym))
    b = rng.standard_normal((6, 3))
    np.testing.assert_allclose(arr(LA.ldl_solve(LD, piv, T(b))), np.linalg.solve(sym, b), rtol=1e-9, atol=1e-10)


def test_ldl_errors_and_no_derivative():
    with pytest.raises(RuntimeError, match="A must be batches of square matrices, but they are 2 by 3"):
        LA.ldl_factor(fg.ones(2, 3))
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor as input. Got Long"):
        LA.ldl_factor(fg.ones(3, 3, dtype=fg.int64))
    z = LA.ldl_factor_ex(fg.zeros(3, 3))
    assert z.info.item() == 1 and z.pivots.tolist() == [1, 2, 3]
    LD, piv = LA.ldl_factor(T(SPD))
    with pytest.raises(RuntimeError, match="Incompatible matrix sizes for torch.linalg.ldl_solve: each A matrix is "
                                           "4 by 4 but each b matrix is 3 by 2"):
        LA.ldl_solve(LD, piv, T(np.ones((3, 2))))
    with pytest.raises(IndexError, match="Dimension out of range"):
        LA.ldl_solve(LD, piv, T(np.ones(4)))
    with pytest.raises(RuntimeError, match="Expected b and A to have the same dtype"):
        LA.ldl_solve(LD, piv, T(np.ones((4, 2)), F32))
    x = LA.ldl_solve(LD, piv.long(), T(C))
    np.testing.assert_allclose(arr(x), LDL_SOLVE_P, rtol=1e-12)
    A = T(SPD, requires_grad=True)
    LD, piv = LA.ldl_factor(A)
    assert node(LD) == "NotImplemented" and piv.grad_fn is None
    with pytest.raises(RuntimeError, match="derivative for aten::linalg_ldl_factor_ex is not implemented"):
        LD.sum().backward()


# --- tensorinv, tensorsolve, vander -----------------------------------------------------


def test_tensorinv():
    rng = np.random.default_rng(2)
    a = rng.standard_normal((4, 6, 8, 3)) + 0.0
    a = (a.reshape(24, 24) + 8 * np.eye(24)).reshape(4, 6, 8, 3)
    inv = LA.tensorinv(T(a), ind=2)
    assert tuple(inv.shape) == (8, 3, 4, 6)
    np.testing.assert_allclose(arr(inv), np.linalg.tensorinv(a, ind=2), rtol=1e-10, atol=1e-12)
    one = LA.tensorinv(T(np.asarray(M3)), ind=1)
    np.testing.assert_allclose(arr(one), np.linalg.inv(M3), rtol=1e-12)
    with pytest.raises(RuntimeError, match="Expected a strictly positive integer for 'ind', but got 0"):
        LA.tensorinv(T(np.eye(4)), ind=0)
    with pytest.raises(RuntimeError, match=r"prod\(self.shape\[ind:\]\) == prod\(self.shape\[:ind\]\), but got "
                                           "144 != 4"):
        LA.tensorinv(T(a), ind=1)
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor as input. Got Long"):
        LA.tensorinv(fg.ones(4, 4, dtype=fg.int64), ind=1)
    with pytest.raises(LA.LinAlgError):
        LA.tensorinv(fg.zeros(4, 4), ind=1)
    x = T(np.asarray(M3), requires_grad=True)
    assert node(LA.tensorinv(x, ind=1)) == "ReshapeAliasBackward0"
    assert fg.autograd.gradcheck(lambda t: LA.tensorinv(t.reshape(3, 1, 3), ind=2), (x,))


def test_tensorsolve():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((6, 2, 3)) + np.eye(6).reshape(6, 2, 3) * 4
    b = rng.standard_normal(6)
    x = LA.tensorsolve(T(a), T(b))
    assert tuple(x.shape) == (2, 3)
    np.testing.assert_allclose(arr(x), np.linalg.tensorsolve(a, b), rtol=1e-10)
    a2 = np.moveaxis(a, 0, 2)  # (2, 3, 6)
    x2 = LA.tensorsolve(T(a2), T(b), dims=(0, 1))
    np.testing.assert_allclose(arr(x2), np.linalg.tensorsolve(a2, b, axes=(0, 1)), rtol=1e-10)
    with pytest.raises(RuntimeError, match=r"prod\(self.shape\[other.ndim:\]\) == prod\(self.shape\[:other.ndim\]\), "
                                           "but got 6 != 8"):
        LA.tensorsolve(T(np.ones((2, 3, 6))), T(np.ones((2, 4))))
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor as input. Got Long"):
        LA.tensorsolve(fg.ones(6, 2, 3, dtype=fg.int64), fg.ones(6, dtype=fg.int64))
    A, B = T(a, requires_grad=True), T(b, requires_grad=True)
    assert node(LA.tensorsolve(A, B)) == "ViewBackward0"
    assert fg.autograd.gradcheck(LA.tensorsolve, (A, B))


def test_linalg_vander():
    x = T([1.0, 2, 3])
    np.testing.assert_array_equal(arr(LA.vander(x)), np.vander([1.0, 2, 3], increasing=True))
    np.testing.assert_array_equal(arr(LA.vander(x, N=5)), np.vander([1.0, 2, 3], 5, increasing=True))
    b = LA.vander(T([[1.0, 2], [3, -1]], F32))
    assert b.dtype == F32 and tuple(b.shape) == (2, 2, 2)
    np.testing.assert_array_equal(arr(b), [[[1, 1], [1, 2]], [[1, 3], [1, -1]]])
    i = LA.vander(fg.arange(3, dtype=fg.int32))
    assert i.dtype == fg.int64 and i.tolist() == [[1, 0, 0], [1, 1, 1], [1, 2, 4]]
    for bad in ({"N": 1}, {"N": 0}):
        with pytest.raises(RuntimeError, match="N must be greater than 1."):
            LA.vander(x, **bad)
    with pytest.raises(RuntimeError, match="N must be greater than 1."):
        LA.vander(T(2.0))
    with pytest.raises(RuntimeError, match="linalg.vander supports floating point, complex, and integer tensors, "
                                           "but got Bool"):
        LA.vander(fg.tensor([True, False]))
    xg = T([1.0, 2, 3], requires_grad=True)
    assert node(LA.vander(xg)) == "CatBackward0"
    assert fg.autograd.gradcheck(lambda t: LA.vander(t, N=4), (xg,))
    assert fg.autograd.gradgradcheck(lambda t: LA.vander(t, N=4), (xg,))


# --- removed functions ----------------------------------------------------------------


def test_top_level_vander_nodes():
    x = T([1.0, 2, 3], requires_grad=True)
    assert node(fg.vander(x)) == "FlipBackward0"
    inc = fg.vander(x, increasing=True)
    assert node(inc) == "CopySlices"
    np.testing.assert_array_equal(arr(inc), np.vander([1.0, 2, 3], increasing=True))
    assert fg.vander(x, N=1).grad_fn is None
    # (PyTorch's own backward of torch.vander fails: its kernel writes the powers in place.)


def test_removed_functions_raise():
    with pytest.raises(RuntimeError, match="Please use the `torch.linalg.matrix_rank` function instead"):
        fg.matrix_rank(fg.eye(3))
    with pytest.raises(RuntimeError, match="`torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`"):
        fg.eye(3).lstsq(fg.eye(3))
    with pytest.raises(RuntimeError, match="This function was deprecated since version 1.9 and is now removed"):
        fg.lstsq(fg.eye(3), fg.eye(3))


def test_second_derivative_through_stacked_views():
    # the reflectors are read as A[..., i + 1:, i]: a slice, then a select of it
    a = T(np.arange(12.0).reshape(4, 3) / 7, requires_grad=True)
    assert fg.autograd.gradgradcheck(lambda x: x[1:, 0], (a,))
    assert fg.autograd.gradgradcheck(lambda x: x.narrow(0, 1, 3).narrow(1, 1, 2), (a,))


def test_linalg_error_class_is_named_as_pytorch_names_it():
    import importlib

    err = fg.linalg.LinAlgError
    assert err is importlib.import_module(fg.__name__ + "._C")._LinAlgError
    assert repr(err) == f"<class '{fg.__name__}._C._LinAlgError'>"
    assert err.__name__ == "_LinAlgError" and issubclass(err, RuntimeError)


def test_lu_with_infos_is_a_named_result_printed_as_pytorch():
    a = fg.tensor([[4.0, 3.0], [6.0, 3.0]])
    r = fg.lu(a, get_infos=True)
    assert type(r).__name__ == "_lu_with_info"
    assert r.pivots.tolist() == [2, 2] and r.info.item() == 0
    np.testing.assert_allclose(r.LU.numpy(), [[6.0, 3.0], [2.0 / 3.0, 1.0]], rtol=1e-6)
    assert repr(r).startswith("ferrograd.return_types._lu_with_info(\nLU=tensor(")
    assert type(fg.lu(a)) is tuple  # without infos PyTorch returns a plain pair
