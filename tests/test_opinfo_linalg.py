"""Differences from PyTorch found by its OpInfo samples in the products and linear algebra
(addmm family, einsum/bilinear/vdot/tensordot/vecdot, cov, linalg.*): the expected
values, dtypes and exception types were observed from PyTorch and are written here."""

import math
import warnings

import ferrograd as torch
import numpy as np
import pytest


def _close(t, expected, tol=1e-9):
    assert np.allclose(np.asarray(t.detach().tolist()), np.asarray(expected), rtol=tol, atol=tol)


# ---- addmm, addmv, baddbmm, addbmm, addr: beta and alpha as the dtype reads them ----


def test_integer_products_keep_their_dtype_and_truncate_float_scalars():
    i = torch.tensor([[1, 2], [3, 4]], dtype=torch.int8)
    r = torch.addmm(i, i * 10, i, beta=-1.7, alpha=-2.6)
    assert r.dtype == torch.int8
    assert r.tolist() == [[115, 54], [-47, 68]]  # wrapped int8, beta -1 and alpha -2
    v = torch.addmv(torch.tensor([5, 6], dtype=torch.int32), i.int(), torch.tensor([7, 8], dtype=torch.int32),
                    beta=0.6, alpha=2.9)
    assert v.dtype == torch.int32 and v.tolist() == [46, 106]
    b = torch.arange(8, dtype=torch.int16).reshape(2, 2, 2)
    r = torch.baddbmm(b, b, b, beta=2.5, alpha=-1.5)
    assert r.dtype == torch.int16
    assert r.tolist() == [[[-2, -1], [-2, -5]], [[-38, -45], [-54, -65]]]
    r = b.to(torch.uint8)
    s = torch.addbmm(i.to(torch.uint8), r, r, beta=1.9, alpha=3.2)
    assert s.dtype == torch.uint8 and s.tolist() == [[145, 176], [219, 18]]


def test_integer_products_in_place_take_float_scalars():
    x = torch.tensor([5, 6], dtype=torch.int64)
    x.addmv_(torch.tensor([[1, 2], [3, 4]]), torch.tensor([7, 8]), beta=0.6, alpha=2.9)
    assert x.dtype == torch.int64 and x.tolist() == [46, 106]


def test_scalar_that_does_not_fit_the_dtype_is_refused():
    u = torch.ones(2, 2, 2, dtype=torch.uint8)
    with pytest.raises(RuntimeError, match="uint8_t without overflow"):
        torch.addbmm(u[0], u, u, alpha=-2.6)
    f = torch.ones(2, 2)
    with pytest.raises(RuntimeError, match="float without overflow"):
        torch.addmm(f, f, f, beta=1 + 2j)


def test_addr_refuses_float_scalars_for_integral_inputs():
    x = torch.zeros(2, 2, dtype=torch.bool)
    with pytest.raises(RuntimeError, match="argument beta must not be a floating point number"):
        torch.addr(x, x[0], x[0], beta=0.5)
    n = torch.zeros(2, 2, dtype=torch.int64)
    with pytest.raises(RuntimeError, match="argument alpha must not be a floating point number"):
        torch.addr(n, n[0], n[0], beta=2, alpha=1.5)


def test_bool_addr_stays_bool():
    m = torch.tensor([[True, False], [False, False]])
    t = torch.tensor([True, False])
    for beta, alpha, expected in ((3, 2, [[True, True], [False, False]]), (1, 0, [[True, False], [False, False]]),
                                  (0, 2, [[True, True], [False, False]])):
        r = torch.addr(m, t, torch.tensor([True, True]), beta=beta, alpha=alpha)
        assert r.dtype == torch.bool and r.tolist() == expected


def test_complex_beta_and_alpha():
    c = torch.tensor([[1 + 1j, 2], [0, 1j]], dtype=torch.complex128)
    r = torch.addmm(c, c, c, beta=1 + 2j, alpha=2 - 1j)
    assert r.tolist() == [[1 + 7j, 10 + 10j], [0j, -4 + 2j]]
    assert torch.addr(c, c[0], c[1], beta=0.5j, alpha=1 - 1j).tolist() == [[-0.5 + 0.5j, 3j], [0j, 1.5 + 2j]]
    assert torch.addmv(c[0], c, c[1], beta=0, alpha=1j).tolist() == [-2 + 0j, -1j]
    x = c.clone()
    x.addmm_(c, c, beta=1j, alpha=2)
    assert x.tolist() == [[-1 + 5j, 4 + 10j], [0j, -3 + 0j]]
    g = c.clone().requires_grad_()
    assert type(torch.baddbmm(g[None], g[None], g[None], alpha=1j).grad_fn).__name__ == "BaddbmmBackward0"


def test_addbmm_in_place_resizes_a_smaller_input():
    x = torch.full((), 2.0)
    x.addbmm_(torch.ones(2, 1, 2), torch.ones(2, 2, 3), beta=0.5)
    assert x.shape == (1, 3) and x.tolist() == [[5.0, 5.0, 5.0]]
    y = torch.zeros(1)
    y.addbmm_(torch.ones(2, 3, 4), torch.ones(2, 4, 5))
    assert y.shape == (3, 5)
    with pytest.raises(RuntimeError, match="Bad in-place call"):
        torch.zeros(1).baddbmm_(torch.ones(2, 3, 4), torch.ones(2, 4, 5))
    c = torch.zeros(1, dtype=torch.complex64)
    c.addbmm_(torch.ones(2, 3, 4, dtype=torch.complex64), torch.ones(2, 4, 5, dtype=torch.complex64), beta=1 + 2j,
              alpha=2 + 3j)
    assert c.shape == (3, 5) and c[2, 4].item() == 16 + 24j


_B1 = [[[-6.09375, -3.0, -2.609375, -6.4375, -0.400390625], [-2.4375, -3.921875, -6.4375, -2.84375, 1.21875],
        [-3.109375, -1.0078125, -0.890625, 6.75, 0.9140625]],
       [[1.8671875, -2.78125, -4.65625, 2.796875, 0.796875], [3.46875, 0.9765625, -2.65625, 3.234375, 4.40625],
        [-0.703125, -9.0, -5.78125, 0.244140625, -2.46875]],
       [[-3.1875, -0.52734375, 7.53125, -0.2890625, 0.6328125], [-3.09375, 0.796875, 0.1826171875, 0.61328125, -1.90625],
        [-0.443359375, 1.171875, -0.6328125, -0.115234375, 1.8125]],
       [[4.5625, 0.99609375, -7.09375, -0.10205078125, -4.09375], [-2.390625, -4.03125, 1.7109375, 5.90625, -7.15625],
        [6.4375, -2.8125, -0.7421875, -3.984375, -3.328125]]]
_B2 = [[[1.640625, 1.6328125], [1.03125, 4.375], [-2.03125, 0.3984375], [-2.609375, 2.921875], [-5.8125, 6.4375]],
       [[0.375, -5.03125], [1.015625, -2.015625], [-4.15625, 2.921875], [5.21875, -4.65625], [0.478515625, -0.65234375]],
       [[2.640625, 4.75], [3.265625, -3.65625], [0.8203125, 1.21875], [2.140625, -1.7265625], [0.62890625, 5.03125]],
       [[5.3125, -1.984375], [-7.90625, 7.1875], [0.408203125, 1.359375], [-2.578125, -1.1484375],
        [13.3125, -1.609375]]]


def test_bfloat16_addbmm_rounds_after_each_batch():
    b1 = torch.tensor(_B1, dtype=torch.bfloat16)
    b2 = torch.tensor(_B2, dtype=torch.bfloat16)
    inp = torch.tensor([[-11.125, 3.5], [-7.6875, -1.4765625], [6.28125, 10.9375]], dtype=torch.bfloat16)
    expected = [[-12.375, -78.5], [-66.0, -115.5], [18.875, 10.1875]]
    assert torch.addbmm(inp, b1, b2).tolist() == expected
    x = inp.clone()
    x.addbmm_(b1, b2)
    assert x.tolist() == expected


def test_bfloat16_addr_rounds_after_each_step():
    v1 = torch.tensor([1.703125, -2.296875, 3.09375], dtype=torch.bfloat16)
    v2 = torch.tensor([0.8984375, 5.5], dtype=torch.bfloat16)
    s = torch.tensor(3.296875, dtype=torch.bfloat16)
    r = torch.addr(s, v1, v2, beta=0.6, alpha=0.2)
    assert r.dtype == torch.bfloat16
    assert r.tolist() == [[2.296875, 3.875], [1.5703125, -0.546875], [2.546875, 5.40625]]


# ---- einsum, bilinear, vdot, tensordot, vecdot -----------------------------------------


def test_integer_einsum_sums_a_lone_label_in_int64():
    # the ellipsis dim exists in the first operand only: summed there alone (int64)
    a = torch.arange(6, dtype=torch.int32).reshape(1, 2, 3)
    r = torch.einsum("...ik, ...j -> ij", a, torch.tensor([1, 2, 3], dtype=torch.int32))
    assert r.dtype == torch.int64 and r.tolist() == [[3, 6, 9], [12, 24, 36]]
    # a shared label of size 1 is contracted with the others: the dtype stays
    r = torch.einsum("ijk,ik->j", a, torch.tensor([[1, 2, 3]], dtype=torch.int32))
    assert r.dtype == torch.int32 and r.tolist() == [8, 26]


def test_einsum_ends_with_a_view_when_labels_were_summed():
    a = torch.arange(6.0, dtype=torch.float64).reshape(1, 2, 3).requires_grad_()
    r = torch.einsum("...ik, ...j -> ij", a, torch.tensor([1.0, 2, 3], dtype=torch.float64))
    assert type(r.grad_fn).__name__ == "ViewBackward0"
    assert r.tolist() == [[3.0, 6.0, 9.0], [12.0, 24.0, 36.0]]


def test_bilinear_keeps_integer_dtype():
    r = torch.nn.functional.bilinear(torch.tensor([1, 2], dtype=torch.int32), torch.tensor([3, 4, 5], dtype=torch.int32),
                                     torch.arange(12, dtype=torch.int32).reshape(2, 2, 3),
                                     torch.tensor([1, -1], dtype=torch.int32))
    assert r.dtype == torch.int32 and r.tolist() == [115, 329]


def test_bfloat16_bilinear_rounds_each_product_once():
    x1 = torch.tensor([[4.625, -0.87890625, -6.53125], [1.703125, -3.25, -4.1875]], dtype=torch.bfloat16)
    x2 = torch.tensor([[1.2109375, 2.515625, -2.15625, -1.2109375], [-1.7890625, 0.546875, -2.5625, 3.296875]],
                      dtype=torch.bfloat16)
    w = torch.tensor([[[0.5, 2.625, -0.4296875, -0.333984375], [-1.84375, 0.0947265625, -1.4765625, 0.74609375],
                       [-0.69140625, -1.171875, 1.6328125, -1.1875]],
                      [[0.6171875, -1.3515625, -1.71875, -1.6640625], [-4.59375, -3.703125, 5.46875, -1.65625],
                       [-3.96875, 0.56640625, -0.20703125, -1.484375]]], dtype=torch.bfloat16)
    r = torch.nn.functional.bilinear(x1, x2, w)
    assert r.dtype == torch.bfloat16 and r.tolist() == [[77.5, 43.25], [1.1171875, 25.625]]


def test_vdot_keeps_integer_dtype():
    r = torch.vdot(torch.tensor([100, 100], dtype=torch.int8), torch.tensor([3, 3], dtype=torch.int8))
    assert r.dtype == torch.int8 and r.item() == 88
    r = torch.tensor([1000, 100], dtype=torch.int32).vdot(torch.tensor([3, 3], dtype=torch.int32))
    assert r.dtype == torch.int32 and r.item() == 3300


def test_tensordot_sums_a_dim_paired_with_size_one():
    a = torch.tensor([[[2.0]]])
    b = torch.arange(1.0, 5).reshape(2, 1, 2)
    assert torch.tensordot(a, b, dims=[[0, 1], [2, 0]]).tolist() == [[20.0]]
    assert torch.tensordot(b, a, dims=[[2, 0], [0, 1]]).tolist() == [[20.0]]
    r = torch.tensordot(torch.arange(6, dtype=torch.int32).reshape(3, 2), torch.tensor([[2]], dtype=torch.int32),
                        dims=[[0], [1]])
    assert r.dtype == torch.int32 and r.tolist() == [[12], [18]]
    with pytest.raises(RuntimeError, match="contracted dimensions need to match"):
        torch.tensordot(torch.ones(2, 3), torch.ones(3, 2), dims=[[1], [1]])


def test_vecdot_conjugates_x_and_is_vdot_for_vectors():
    x = torch.tensor([1 + 2j, 3 - 1j])
    y = torch.tensor([2 - 1j, 1 + 1j])
    assert torch.linalg.vecdot(x, y).item() == 2 - 1j
    X = torch.tensor([[1 + 2j, 3 - 1j], [1j, 2]])
    Y = torch.tensor([[2 - 1j, 1 + 1j], [1, 1 - 1j]])
    assert torch.linalg.vecdot(X, Y).tolist() == [2 - 1j, 2 - 3j]
    assert torch.linalg.vecdot(X, Y, dim=0).tolist() == [-6j, 4 + 2j]
    v = torch.ones(3, dtype=torch.float64, requires_grad=True)
    assert type(torch.linalg.vecdot(v, v).grad_fn).__name__ == "VdotBackward0"
    assert type(torch.linalg.vecdot(v[None], v).grad_fn).__name__ == "SumBackward1"
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor"):
        torch.linalg.vecdot(torch.ones(3, dtype=torch.int32), torch.ones(3, dtype=torch.int32))


# ---- cov ---------------------------------------------------------------------------------


def test_cov_normalizes_in_the_weights_dtype():
    # float32 weights: the factor 5 - 2 * 12.125 / 5 is rounded to float32, as in PyTorch
    x = torch.tensor([[1.0, 2, 4], [0, 3, -1]], dtype=torch.float64)
    aw = torch.tensor([0.25, 1.75, 3.0], dtype=torch.float32)
    _close(torch.cov(x, correction=2, aweights=aw),
           [[37.58330943850871, -57.24996360145339], [-57.24996360145339, 118.2499248187225]], 1e-12)
    _close(torch.cov(x, correction=1, fweights=torch.tensor([1, 3, 2]), aweights=aw),
           [[1.3410713981203488, -2.405357088239827], [-2.405357088239827, 4.926785602415503]], 1e-12)


def test_cov_result_dtype_promotes_with_the_weights():
    r = torch.cov(torch.tensor([1.0, 2.5], dtype=torch.float16), correction=0, aweights=torch.tensor([0.5, 1.5]))
    assert r.dtype == torch.float32 and r.item() == 0.421875
    r = torch.cov(torch.tensor([1, 2, 4]), fweights=torch.tensor([1, 2, 1]))
    assert r.dtype == torch.float32 and abs(r.item() - 1.5833333731) < 1e-6
    r = torch.cov(torch.tensor([1 + 1j, 2 - 1j], dtype=torch.complex64), correction=0,
                  aweights=torch.tensor([0.5, 1.5]))
    assert r.dtype == torch.complex64 and r.item() == 0.9375 + 0j


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"fweights": torch.ones(4)}, "expected fweights to have integral dtype"),
    ({"fweights": torch.ones(3, dtype=torch.int64)}, "expected fweights to have the same numel"),
    ({"aweights": torch.ones(3)}, "expected aweights to have the same numel"),
    ({"fweights": -torch.ones(4, dtype=torch.int64)}, "fweights cannot be negative"),
    ({"aweights": -torch.ones(4)}, "aweights cannot be negative"),
    ({"aweights": torch.ones(4, dtype=torch.int64)}, "expected aweights to have floating point dtype"),
    ({"aweights": torch.zeros(4)}, "weights sum to zero"),
])
def test_cov_weight_errors(kwargs, message):
    with pytest.raises(RuntimeError, match=message):
        torch.cov(torch.tensor([1.0, 2, 4, 7]), **kwargs)


def test_cov_refuses_bool():
    with pytest.raises(RuntimeError, match="bool dtype is not supported"):
        torch.cov(torch.tensor([True, False]))


# ---- linalg --------------------------------------------------------------------------------


@pytest.mark.parametrize("ord", [math.inf, 1, 2])
def test_matrix_norm_of_empty_matrices_is_zero(ord):
    for keepdim, shape in ((False, ()), (True, (1, 1))):
        r = torch.linalg.norm(torch.zeros(0, 0), ord, keepdim=keepdim)
        assert r.shape == shape and r.sum().item() == 0.0
    x = torch.zeros(2, 0, 3, requires_grad=True)
    r = torch.linalg.matrix_norm(x, ord)
    assert r.shape == (2,) and r.tolist() == [0.0, 0.0]
    assert (r.grad_fn is None) == (ord != 1)  # ord 1 reduces the nonempty dim last: PyTorch's amax node
    with pytest.raises(IndexError, match="amin"):
        torch.linalg.norm(torch.zeros(0, 0), -1)


def test_matrix_rank_takes_a_tolerance_per_matrix():
    A = torch.tensor([[[1.0, 0], [0, 1e-3]], [[2.0, 0], [0, 0.5]], [[1.0, 1], [1, 1]]], dtype=torch.float64)
    assert torch.linalg.matrix_rank(A, atol=torch.tensor([1e-2, 0.6, 0.0])).tolist() == [1, 1, 1]
    assert torch.linalg.matrix_rank(A, rtol=torch.tensor([1e-2, 0.3, 0.0])).tolist() == [1, 1, 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = torch.linalg.matrix_rank(A, atol=torch.tensor([[0.0], [0.7]]))
    assert r.tolist() == [[2, 2, 1], [1, 1, 1]]
    r = torch.linalg.matrix_rank(torch.zeros(0, 5, 5), rtol=torch.zeros(0))
    assert r.shape == (0,) and r.dtype == torch.int64
    assert torch.linalg.matrix_rank(torch.zeros(2, 0, 3)).tolist() == [0, 0]


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_solve_gradient_of_the_factor_is_not_masked(upper):
    L = torch.tensor([[2.0, 0, 0], [0.5, 1.5, 0], [-1, 0.25, 1]], dtype=torch.float64, requires_grad=True)
    B = torch.tensor([[1.0, 2], [0, -1], [3, 1]], dtype=torch.float64, requires_grad=True)
    X = torch.cholesky_solve(B, L.mT if upper else L, upper=upper)
    assert type(X.grad_fn).__name__ == "CholeskySolveBackward0"
    w = torch.tensor([[1.0, -2], [0.5, 3], [2, 1]], dtype=torch.float64)
    gB, gL = torch.autograd.grad((X * w).sum(), [B, L])
    _close(gB, [[1.5538194444444446, -1.2048611111111112], [-0.29861111111111116, 1.6527777777777777],
                [2.4583333333333335, -0.5833333333333333]])
    _close(gL, [[1.2152777777777777, -5.711226851851851, -7.0912905092592595],
                [-2.1944444444444438, 4.150462962962962, -1.5445601851851851],
                [-0.1666666666666643, -6.013888888888889, -14.788194444444446]])


@pytest.mark.parametrize("driver", ["gels", "gelsd"])
def test_lstsq_differentiates_solution_and_residuals(driver):
    A = torch.tensor([[1.0, 2], [3, 4], [5, 7]], dtype=torch.float64, requires_grad=True)
    B = torch.tensor([[1.0, 0], [2, 1], [0, 3]], dtype=torch.float64, requires_grad=True)
    r = torch.linalg.lstsq(A, B, driver=driver)
    assert type(r.solution.grad_fn).__name__ == "LinalgLstsqBackward0"
    assert not r.rank.requires_grad and not r.singular_values.requires_grad
    _close(r.residuals, [3.5, 0.6428571428571436])
    w = torch.tensor([[1.0, -2], [0.5, 3]], dtype=torch.float64)
    loss = (r.solution * w).sum() + (r.residuals * torch.tensor([0.7, -0.4], dtype=torch.float64)).sum()
    gA, gB = torch.autograd.grad(loss, [A, B])
    _close(gA, [[-5.062244897959147, 0.4857142857142649], [22.2775510204082, -15.292857142857162],
                [-11.768367346938708, 8.778571428571379]], 1e-7)
    _close(gB, [[-0.6214285714285707, 8.814285714285713], [2.635714285714286, -2.5571428571428605],
                [-1.2571428571428567, -0.6285714285714268]], 1e-7)


def test_lstsq_gradient_for_a_vector_and_a_wide_matrix():
    A = torch.tensor([[1.0, 2], [3, 4], [5, 7]], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([1.0, 2, 0], dtype=torch.float64, requires_grad=True)
    r = torch.linalg.lstsq(A, b, driver="gelsd")
    gA, gb = torch.autograd.grad(r.solution.sum() + r.residuals.sum(), [A, b])
    _close(gA, [[0.928571428571429, -0.7142857142857166], [3.785714285714284, -3.1428571428571406],
                [-2.357142857142855, 1.9285714285714266]], 1e-7)
    _close(gb, [0.4285714285714297, 3.2857142857142856, -1.8571428571428572], 1e-7)
    W = torch.tensor([[1.0, 2, 0], [3, 4, 1]], dtype=torch.float64, requires_grad=True)
    r = torch.linalg.lstsq(W, torch.tensor([[1.0], [2]], dtype=torch.float64))
    _close(r.solution, [[0.11111111111111109], [0.44444444444444436], [-0.11111111111111074]])
    _close(torch.autograd.grad(r.solution.sum(), W)[0],
           [[0.024691358024692245, 0.5432098765432088, -0.024691358024690913],
            [-0.061728395061727975, -0.35802469135802534, 0.061728395061729224]], 1e-7)


def test_householder_product_of_no_reflectors_is_in_the_graph():
    A = torch.zeros(0, 0, dtype=torch.float64, requires_grad=True)
    tau = torch.zeros(0, dtype=torch.float64, requires_grad=True)
    Q = torch.linalg.householder_product(A, tau)
    assert Q.shape == (0, 0) and type(Q.grad_fn).__name__ == "LinalgHouseholderProductBackward0"


@pytest.mark.parametrize("shape", [(5, 0), (0, 5), (0, 0), (2, 3, 0)])
def test_complex_geqrf_of_empty_matrices(shape):
    a, tau = torch.geqrf(torch.zeros(shape, dtype=torch.complex64))
    assert a.shape == shape and tau.shape == (*shape[:-2], 0) and tau.dtype == torch.complex64


def test_hermitian_ldl_of_complex_matrices():
    H = torch.tensor([[2, 1 - 1j, 0.5j], [1 + 1j, -3, 2], [-0.5j, 2, 1]], dtype=torch.complex128)
    LD, piv = torch.linalg.ldl_factor(H, hermitian=True)
    _close(LD, [[2, 0, 0], [0.5 + 0.5j, -4, 0], [-0.25j, -0.5625 - 0.0625j, 2.15625]], 1e-12)
    assert piv.tolist() == [1, 2, 3] and piv.dtype == torch.int32
    B = torch.tensor([[1, 1j], [2, 0], [0, -1]], dtype=torch.complex128)
    X = torch.linalg.ldl_solve(LD, piv, B, hermitian=True)
    _close(X, [[0.5217391304347826 - 0.2318840579710145j, 0.11594202898550725 + 0.37681159420289856j],
               [-0.14492753623188404 + 0.11594202898550725j, -0.37681159420289856 + 0.08695652173913043j],
               [0.4057971014492754 + 0.028985507246376812j, -0.43478260869565216 - 0.11594202898550725j]], 1e-12)


def test_hermitian_ldl_with_a_two_by_two_pivot():
    H = torch.tensor([[0.01, 3 + 1j, 1], [3 - 1j, 0.02, 2j], [1, -2j, 5]], dtype=torch.complex128)
    LD, piv, info = torch.linalg.ldl_factor_ex(H, hermitian=True)
    assert piv.tolist() == [-2, -2, 3] and info.item() == 0
    _close(LD, [[0.01, 0, 0], [3 - 1j, 0.02, 0],
                [-0.20200404008080158 - 0.6000120002400048j, 0.3000060001200024 + 0.10200204004080081j,
                 5.406008120162403]], 1e-12)
    B = torch.tensor([[1, 1j], [2, 0], [0, -1]], dtype=torch.complex128)
    _close(torch.linalg.ldl_solve(LD, piv, B, hermitian=True),
           [[0.6270926210251762 + 0.2589763036682144j, -0.03736658095784236 + 0.18313324330823735j],
            [0.3126213951423445 - 0.12948815183410717j, 0.18498307404872455 + 0.2586063375201169j],
            [-0.07362326347139238 + 0.07325329732329493j, -0.29596921881647836 + 0.03736658095784236j]], 1e-12)
