"""Session 25 (helper fuzz16): differences from PyTorch (CPU) found by sweeping
`tools/opinfo_diff.py` over complex64/128, bool, uint8, int8/16/32 and float64, and by
a sweep of the binary ops over every pair of dtypes (tensor, 0-dim tensor and Python
scalar operands). Expected values, types and messages are PyTorch's; the file also runs
against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re

import numpy as np
import pytest
from backend import fg


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


# ---- the parser's note under each overload that takes as many arguments ---------------


def test_lerp_method_with_a_number_end_lists_the_overloads_with_notes():
    x = fg.ones(3)
    expected = (
        "lerp() received an invalid combination of arguments - got (int, float), but expected one of:\n"
        " * (Tensor end, Tensor weight)\n"
        "      didn't match because some of the arguments have invalid types: (!int!, !float!)\n"
        " * (Tensor end, Number weight)\n"
        "      didn't match because some of the arguments have invalid types: (!int!, !float!)\n"
    )
    with pytest.raises(TypeError) as info:
        x.lerp(2, 0.5)
    assert str(info.value) == expected


def test_lerp_inplace_with_a_string_weight_marks_only_the_weight():
    x = fg.ones(3)
    with pytest.raises(TypeError) as info:
        x.lerp_(fg.ones(3), "a")
    assert str(info.value) == (
        "lerp_() received an invalid combination of arguments - got (Tensor, str), but expected one of:\n"
        " * (Tensor end, Tensor weight)\n"
        "      didn't match because some of the arguments have invalid types: (Tensor, !str!)\n"
        " * (Tensor end, Number weight)\n"
        "      didn't match because some of the arguments have invalid types: (Tensor, !str!)\n"
    )


def test_lerp_function_with_a_number_end_lists_the_overloads_without_notes():
    # overloads with a keyword-only `out` never count as taking the arguments given
    with pytest.raises(TypeError) as info:
        fg.lerp(fg.ones(3), 2, 0.5)
    assert str(info.value) == (
        "lerp() received an invalid combination of arguments - got (Tensor, int, float), but expected one of:\n"
        " * (Tensor input, Tensor end, Tensor weight, *, Tensor out = None)\n"
        " * (Tensor input, Tensor end, Number weight, *, Tensor out = None)\n"
    )


def test_lerp_with_good_arguments_still_interpolates():
    out = fg.ones(3).lerp(fg.tensor([3.0, 5.0, -1.0]), 0.25)
    assert out.tolist() == [1.5, 2.0, 0.5]


# ---- outer / vdot / inner ----------------------------------------------------------------


@pytest.mark.parametrize(("shapes", "message"), [
    (((3,), ()), "outer: Expected 1-D argument vec2, but got 0-D"),
    (((), (3,)), "outer: Expected 1-D argument self, but got 0-D"),
    (((3,), (2, 2)), "outer: Expected 1-D argument vec2, but got 2-D"),
    (((2, 2), ()), "outer: Expected 1-D argument self, but got 2-D"),
])
def test_outer_names_the_argument_that_is_not_a_vector(shapes, message):
    a, b = (fg.ones(s) for s in shapes)
    with raises(RuntimeError, message):
        fg.outer(a, b)


def test_vdot_of_bool_vectors_has_no_kernel():
    x = fg.tensor([True, False, True])
    with raises(NotImplementedError, "\"dot\" not implemented for 'Bool'"):
        fg.vdot(x, x)


def test_inner_of_bool_vectors_takes_dot_and_of_bool_matrices_addmm():
    v = fg.tensor([True, False, True])
    with raises(NotImplementedError, "\"dot\" not implemented for 'Bool'"):
        fg.inner(v, v)
    m = fg.tensor([[True, False], [True, True]])
    with raises(NotImplementedError, "\"addmm_impl_cpu_\" not implemented for 'Bool'"):
        fg.inner(m, m)


def test_inner_of_int_vectors_still_sums():
    out = fg.inner(fg.tensor([1, 2, 3], dtype=fg.int32), fg.tensor([4, 5, 6], dtype=fg.int32))
    assert out.dtype == fg.int32
    assert out.item() == 32


# ---- dist of integers: norm's message, with the promoted dtype ---------------------------


@pytest.mark.parametrize(("a", "b", "zero_dim", "name"), [
    ("uint8", "uint8", False, "Byte"),
    ("uint8", "int8", False, "Short"),
    ("uint8", "int8", True, "Byte"),
    ("int32", "int64", False, "Long"),
    ("int16", "int32", True, "Short"),
])
def test_dist_of_integer_tensors_refuses_with_norms_message(a, b, zero_dim, name):
    x = fg.tensor([1, 2, 3], dtype=getattr(fg, a))
    y = fg.tensor(2 if zero_dim else [1, 2, 3], dtype=getattr(fg, b))
    with raises(RuntimeError, f"norm(): input dtype should be either floating point or complex. Got {name} instead."):
        fg.dist(x, y)


def test_dist_of_bool_refuses_the_subtraction_first():
    x = fg.tensor([True, False, True])
    with raises(RuntimeError, "Subtraction, the `-` operator, with a bool tensor is not supported."):
        fg.dist(x, fg.tensor([1, 2, 3], dtype=fg.int8))


def test_dist_of_an_int_and_a_float_tensor_still_computes():
    out = fg.dist(fg.tensor([1, 2, 3]), fg.tensor([1.0, 0.0, 3.0]))
    assert out.dtype == fg.float32
    assert out.item() == 2.0


# ---- cross: shapes are checked before dtypes ---------------------------------------------


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda: fg.cross(fg.ones(3), fg.ones(4).int()), RuntimeError,
     "linalg.cross: inputs dimension 0 must have length 3. Got 3 and 4"),
    (lambda: fg.cross(fg.ones(3).bool(), fg.ones(4).bool()), RuntimeError,
     "linalg.cross: inputs dimension 0 must have length 3. Got 3 and 4"),
    (lambda: fg.linalg.cross(fg.ones(3), fg.ones(4).int()), RuntimeError,
     "linalg.cross: inputs dimension -1 must have length 3. Got 3 and 4"),
    (lambda: fg.linalg.cross(fg.ones(3).int(), fg.ones(2, 3)), RuntimeError,
     "linalg.cross: inputs must have the same number of dimensions."),
    (lambda: fg.linalg.cross(fg.ones(3), fg.tensor(2)), RuntimeError,
     "linalg.cross: inputs must have the same number of dimensions."),
    (lambda: fg.linalg.cross(fg.ones(2, 3).bool(), fg.ones(2, 3).bool(), dim=5), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 5)"),
    (lambda: fg.linalg.cross(fg.ones(2, 3), fg.ones(4, 3).int()), RuntimeError,
     "The size of tensor a (2) must match the size of tensor b (4) at non-singleton dimension 0"),
    (lambda: fg.linalg.cross(fg.ones(2, 3), fg.ones(1, 3).int()), RuntimeError,
     "expected scalar type Float but found Int"),
    (lambda: fg.linalg.cross(fg.ones(2, 3).bool(), fg.ones(2, 3).bool()), NotImplementedError,
     "\"cross\" not implemented for 'Bool'"),
])
def test_cross_checks_shapes_before_dtypes(call, kind, message):
    with raises(kind, message):
        call()


# ---- in-place binary ops name PyTorch's kernel ---------------------------------------------


@pytest.mark.parametrize("name", ["atan2", "fmod", "copysign"])
def test_inplace_binary_op_on_complex_names_the_functional_kernel(name):
    x = fg.ones(3, dtype=fg.complex64)
    with raises(NotImplementedError, f"\"{name}_cpu\" not implemented for 'ComplexFloat'"):
        getattr(x, name + "_")(fg.ones(3))


# ---- out= sharing memory with an input, as each kernel checks it ------------------------

OVERLAP = "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location."


def test_gather_takes_out_equal_to_its_index():
    index = fg.tensor([0, 1])
    out = fg.gather(fg.tensor([1, 2, 3]), 0, index, out=index)
    assert out is index
    assert index.tolist() == [1, 2]


def test_gather_refuses_out_partly_overlapping_its_index():
    buffer = fg.tensor([0, 1, 0])
    with raises(RuntimeError, OVERLAP):
        fg.gather(fg.tensor([1, 2, 3]), 0, buffer[1:], out=buffer[:2])


def test_gather_refuses_out_equal_to_its_input():
    x = fg.arange(6.0)
    with raises(RuntimeError, OVERLAP):
        fg.gather(x, 0, fg.tensor([0, 1, 2]), out=x)


def test_kthvalue_refuses_values_equal_to_its_input():
    x = fg.arange(6.0)
    with raises(RuntimeError, OVERLAP):
        fg.kthvalue(x, 5, out=(x, fg.tensor(0)))
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


def test_kthvalue_checks_k_before_the_overlap():
    x = fg.arange(6.0)
    with raises(RuntimeError, "kthvalue(): selected number k out of range for dimension 0"):
        fg.kthvalue(x, 9, out=(x, fg.tensor(0)))


def test_kthvalue_leaves_its_indices_unchecked():
    x = fg.arange(6.0)
    values, indices = fg.kthvalue(x, 2, out=(fg.empty(0), x.long()))
    assert values.item() == 1.0
    assert indices.item() == 1


@pytest.mark.parametrize(("name", "shape"), [
    ("cat", (0, 3)), ("concat", (0, 3)), ("vstack", (0, 3)), ("cat", (0, 3, 0)), ("hstack", (0, 3, 0)),
    ("column_stack", (0, 3, 0)), ("dstack", (0, 3, 0)),
])
def test_cat_family_refuses_an_empty_out_that_is_one_of_its_tensors(name, shape):
    e = fg.empty(shape)
    other = fg.ones(2, 3) if len(shape) == 2 else fg.ones(shape)
    with raises(RuntimeError, OVERLAP):
        getattr(fg, name)([e, other], out=e)


def test_cat_refuses_a_legacy_empty_out_once_another_tensor_counts():
    e = fg.empty(0)
    with raises(RuntimeError, OVERLAP):
        fg.cat([e, fg.ones(2)], out=e)


@pytest.mark.parametrize(("name", "shape"), [("cat", (0,)), ("hstack", (0,)), ("vstack", (2, 0)),
                                             ("column_stack", (0, 2)), ("dstack", (1, 0, 2)),
                                             ("stack", (2, 0))])
def test_cat_family_takes_an_empty_out_among_skipped_or_reshaped_tensors(name, shape):
    e = fg.empty(0)
    out = getattr(fg, name)([e, fg.ones(0)], out=e)
    assert out is e
    assert tuple(e.shape) == shape


def test_cat_family_checks_sizes_before_the_overlap():
    e = fg.empty(0, 3)
    with raises(RuntimeError, "Sizes of tensors must match except in dimension 1. Expected size 0 but got size 2 "
                              "for tensor number 1 in the list."):
        fg.hstack([e, fg.ones(2, 3)], out=e)


# ---- nanquantile's messages name quantile, as PyTorch's ----------------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda x: fg.nanquantile(x.int(), 0.5), "quantile() input tensor must be either float or double dtype"),
    (lambda x: fg.nanquantile(x, 1.5), "quantile() q must be in the range [0, 1] but got 1.5"),
    (lambda x: fg.nanquantile(x, fg.tensor([0.5, 2.0])), "quantile() q values must be in the range [0, 1]"),
    (lambda x: fg.nanquantile(x, fg.tensor([0.5], dtype=fg.float64)),
     "quantile() q tensor must be same dtype as the input tensor"),
    (lambda x: fg.nanquantile(fg.ones(0), 0.5), "quantile() input tensor must be non-empty"),
    (lambda x: fg.nanquantile(x, 0.5, interpolation="foo"),
     "quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but got foo"),
    (lambda x: fg.nanquantile(x, fg.ones(2, 2) * 0.5), "quantile() q must be a scalar or 1D tensor"),
    (lambda x: fg.nanquantile(x, 0.5, out=fg.empty(0, dtype=fg.float64)),
     "quantile() out tensor must be same dtype as the input tensor"),
])
def test_nanquantile_refusals_name_quantile(call, message):
    with raises(RuntimeError, message):
        call(fg.ones(3))


@pytest.mark.parametrize("name", ["quantile", "nanquantile"])
def test_quantile_with_a_string_q_lists_both_overloads(name):
    with pytest.raises(TypeError) as info:
        getattr(fg, name)(fg.ones(3), "a")
    assert str(info.value) == (
        f"{name}() received an invalid combination of arguments - got (Tensor, str), but expected one of:\n"
        " * (Tensor input, Tensor q, int dim = None, bool keepdim = False, *, str interpolation = \"linear\", "
        "Tensor out = None)\n"
        " * (Tensor input, float q, int dim = None, bool keepdim = False, *, str interpolation = \"linear\", "
        "Tensor out = None)\n"
    )


# ---- complex Cholesky gradients: PyTorch's formulas ------------------------------------

HERMITIAN = [[4.0, 1 + 2j, 0.5j], [1 - 2j, 6.0, 1.0], [-0.5j, 1.0, 5.0]]
WEIGHTS = [[1.0, 0.5 - 1j, 2j], [0.25, -1.0 + 0.5j, 1.5], [0.5j, 1 - 1j, -0.75]]
CHOLESKY_GRAD = {
    False: [[0.2109431032 + 0.0538897106j, 0.1366038291 + 0.0818288755j, 0.0483601191 - 0.288067986j],
            [0.0641567553 - 0.1180524124j, -0.2639805822 + 0.0724470739j, 0.256397177 + 0.2249188267j],
            [0.0483601191 + 0.288067986j, 0.256397177 - 0.2249188267j, -0.1708824733 + 0j]],
    True: [[0.234646533 + 0.0863238278j, 0.1357126395 - 0.1213823893j, -0.0950247146 + 0.336932014j],
           [0.2594763907 + 0.1832642649j, -0.2881296068 - 0.1237637512j, 0.371105044 - 0.0044969072j],
           [-0.0950247146 - 0.336932014j, 0.371105044 + 0.0044969072j, -0.1708824733 + 0j]],
}
CHOLESKY_INVERSE_GRAD = [
    [-0.3401639344 + 0.0744535519j, -0.0545332482 + 0.2066935471j, 0.0340421608 - 0.0760132946j],
    [-0.0303961749 - 0.2363387978j, 0.1028766593 - 0.0139467215j, -0.2400316363 - 0.0489335584j],
    [-0.0013661202 + 0.1632513661j, -0.2018357003 + 0.054689953j, 0.2330855939 + 0j]]
CHOLESKY_SOLVE_FACTOR_GRAD = [
    [-0.987704918 + 0.4371584699j, -0.5776136578 + 0.8010746117j, -0.0059958763 + 0.2488288646j],
    [-0.412568306 - 0.9678961749j, 0.650011246 - 0.0919856802j, -0.5696082442 - 0.4916618529j],
    [0.0887978142 + 0.1448087432j, -0.5657040979 + 0.4882919582j, 0j]]


def _close(t, expected):
    np.testing.assert_allclose(np.array(t.detach().tolist()), np.array(expected), rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize(("factor", "node"), [
    (lambda A, upper: fg.linalg.cholesky(A, upper=upper), "LinalgCholeskyExBackward0"),
    (lambda A, upper: fg.linalg.cholesky_ex(A, upper=upper)[0], "LinalgCholeskyExBackward0"),
    (lambda A, upper: fg.cholesky(A, upper=upper), "CholeskyBackward0"),
])
def test_complex_cholesky_gradient_keeps_the_diagonals_imaginary_part(factor, node, upper):
    A = fg.tensor(HERMITIAN, dtype=fg.complex128, requires_grad=True)
    L = factor(A, upper)
    assert L.grad_fn.name() == node
    (grad,) = fg.autograd.grad(L, A, fg.tensor(WEIGHTS, dtype=fg.complex128))
    _close(grad, CHOLESKY_GRAD[upper])


def test_complex_cholesky_second_derivative_goes_through():
    A = fg.tensor(HERMITIAN, dtype=fg.complex128, requires_grad=True)
    (grad,) = fg.autograd.grad(fg.linalg.cholesky(A), A, fg.tensor(WEIGHTS, dtype=fg.complex128), create_graph=True)
    assert grad.requires_grad
    (second,) = fg.autograd.grad(grad.abs().sum(), A)
    assert second.shape == (3, 3)


@pytest.mark.parametrize("upper", [False, True])
def test_complex_cholesky_inverse_gradient_fills_the_whole_matrix(upper):
    L = fg.linalg.cholesky(fg.tensor(HERMITIAN, dtype=fg.complex128))
    factor = (L.mH if upper else L).clone().requires_grad_()
    out = fg.cholesky_inverse(factor, upper=upper)
    assert out.grad_fn.name() == "CholeskyInverseBackward0"
    (grad,) = fg.autograd.grad(out, factor, fg.tensor(WEIGHTS, dtype=fg.complex128))
    expected = np.array(CHOLESKY_INVERSE_GRAD)
    _close(grad, expected.conj().T if upper else expected)


@pytest.mark.parametrize("upper", [False, True])
def test_complex_cholesky_solve_factor_gradient_fills_the_whole_matrix(upper):
    L = fg.linalg.cholesky(fg.tensor(HERMITIAN, dtype=fg.complex128))
    factor = (L.mH if upper else L).clone().requires_grad_()
    rhs = fg.tensor(WEIGHTS, dtype=fg.complex128)[:, :2].clone().requires_grad_()
    out = fg.cholesky_solve(rhs, factor, upper=upper)
    assert out.grad_fn.name() == "CholeskySolveBackward0"
    (_, grad) = fg.autograd.grad(out, (rhs, factor), fg.tensor(HERMITIAN, dtype=fg.complex128)[:, :2])
    expected = np.array(CHOLESKY_SOLVE_FACTOR_GRAD)
    _close(grad, expected.conj().T if upper else expected)


# ---- fftshift of a complex tensor is one roll ----------------------------------------------


def test_complex_fftshift_records_a_roll():
    x = fg.tensor([[1 + 2j, 3 - 1j, 0.5j], [2, 1j, -1]], requires_grad=True)
    y = fg.fft.fftshift(x)
    assert y.grad_fn.name() == "RollBackward0"
    assert y.tolist() == [[-1 + 0j, 2 + 0j, 1j], [0.5j, 1 + 2j, 3 - 1j]]
    (grad,) = fg.autograd.grad(y, x, fg.arange(6.0).reshape(2, 3) * (1 - 1j))
    assert grad.tolist() == [[4 - 4j, 5 - 5j, 3 - 3j], [1 - 1j, 2 - 2j, 0j]]


def test_complex_ifftshift_over_one_dim_records_a_roll():
    y = fg.fft.ifftshift(fg.tensor([[1 + 2j, 3 - 1j, 0.5j], [2, 1j, -1]], requires_grad=True), dim=1)
    assert y.grad_fn.name() == "RollBackward0"
    assert y.tolist() == [[3 - 1j, 0.5j, 1 + 2j], [1j, -1 + 0j, 2 + 0j]]


# ---- prod: a differentiable gradient with zeros, and for complex inputs ---------------------

PROD_CASES = [
    (None, [[0.0, 18.0], [0.0, 0.0]], "ViewBackward0", [[-18.0, 22.125], [-6.0, -4.5]]),
    (0, [[4.5, 6.0], [1.5, 0.0]], "MulBackward0", [[3.0, 0.375], [0.75, -1.5]]),
    (1, [[0.0, 1.5], [6.0, 4.5]], "MulBackward0", [[-1.5, 0.75], [0.375, 3.0]]),
]


@pytest.mark.parametrize(("dim", "first", "first_node", "second"), PROD_CASES)
def test_prod_with_a_zero_has_a_second_derivative(dim, first, first_node, second):
    x = fg.tensor([[1.0, 0.0], [3.0, 4.0]], dtype=fg.float64, requires_grad=True)
    p = x.prod() if dim is None else x.prod(dim)
    assert p.grad_fn.name() == ("ProdBackward0" if dim is None else "ProdBackward1")
    (grad,) = fg.autograd.grad(p, x, fg.ones_like(p) * 1.5, create_graph=True)
    assert grad.tolist() == first
    assert grad.grad_fn.name() == first_node
    (second_grad,) = fg.autograd.grad(grad, x, fg.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=fg.float64))
    assert second_grad.tolist() == second


def test_prod_with_a_zero_keeps_its_saved_values():
    x = fg.tensor([[1.0, 0.0], [3.0, 4.0]], requires_grad=True)
    node = x.prod(0, keepdim=True).grad_fn
    assert node._saved_dim == 0
    assert node._saved_keepdim is True
    assert node._saved_self.shape == (2, 2)
    assert node._saved_result.tolist() == [[3.0, 0.0]]


def test_complex_prod_of_one_element_has_a_second_derivative():
    z = fg.tensor([2.0 + 1j], requires_grad=True)
    (grad,) = fg.autograd.grad(z.prod(), z, fg.tensor(1 - 0.5j), create_graph=True)
    assert grad.tolist() == [1 - 0.5j]
    assert grad.grad_fn.name() == "MulBackward0"
    (second,) = fg.autograd.grad(grad, z, fg.tensor([0.5 + 1j]))
    assert second.tolist() == [0j]


def test_complex_prod_of_an_empty_tensor_records_its_node():
    e = fg.zeros(0, dtype=fg.complex128, requires_grad=True)
    p = e.prod()
    assert p.grad_fn.name() == "ProdBackward0"
    assert p.item() == 1 + 0j
    (grad,) = fg.autograd.grad(p, e, fg.tensor(1 + 0j, dtype=fg.complex128))
    assert grad.shape == (0,)


# ---- complex lstsq: the residuals differentiate too -----------------------------------------


def test_complex_lstsq_residuals_have_the_lstsq_node():
    A = fg.tensor([[1 + 1j, 2, 0.5j], [0, 1 - 1j, 3]], dtype=fg.complex128, requires_grad=True)
    B = fg.tensor([[1j, 2], [1, -1 + 1j]], dtype=fg.complex128, requires_grad=True)
    r = fg.linalg.lstsq(A, B)
    assert [t.requires_grad for t in r] == [True, True, False, False]
    assert r.residuals.grad_fn.name() == "LinalgLstsqBackward0"


def test_complex_lstsq_residuals_gradient():
    A = fg.tensor([[1 + 1j, 2], [0.5j, 1 - 1j], [3, 1]], dtype=fg.complex128, requires_grad=True)
    B = fg.tensor([[1j], [1], [2 - 1j]], dtype=fg.complex128, requires_grad=True)
    r = fg.linalg.lstsq(A, B, driver="gelsd")
    np.testing.assert_allclose(r.residuals.tolist(), [1.6124401913875595], rtol=1e-12)
    grad_a, grad_b = fg.autograd.grad(r.residuals.sum(), (A, B))
    _close(grad_a, [[1.0421006845 + 0.3933060141j, -0.2198209748 - 0.469861038j],
                    [-1.1756141114 + 0.3686728784j, 0.5119846157 + 0.2590600032j],
                    [-0.5399143792 + 0.0203292049j, 0.1867173371 + 0.168677457j]])
    _close(grad_b, [[-1.5885167464 + 0.3157894737j], [1.1674641148 - 1.3588516746j], [0.6507177033 - 0.4401913876j]])


# ---- complex inputs refused by PyTorch's own kernel names ------------------------------------


@pytest.mark.parametrize(("name", "kernel"), [
    ("erf", "erf_vml_cpu"), ("erfc", "erfc_vml_cpu"), ("erfinv", "erfinv_vml_cpu"), ("lgamma", "lgamma_vml_cpu"),
    ("i0", "i0_vml_cpu"), ("round", "round_vml_cpu"), ("digamma", "digamma"),
])
@pytest.mark.parametrize("form", ["function", "method", "inplace"])
def test_complex_unary_refusal_names_pytorchs_kernel(name, kernel, form):
    x = fg.tensor([1 + 1j, 0.5, 2j], dtype=fg.complex64)
    call = {"function": lambda: getattr(fg, name)(x), "method": lambda: getattr(x, name)(),
            "inplace": lambda: getattr(x, name + "_")()}[form]
    with raises(NotImplementedError, f"\"{kernel}\" not implemented for 'ComplexFloat'"):
        call()


def test_complex_logit_inplace_names_the_functional_kernel():
    with raises(NotImplementedError, "\"logit_cpu\" not implemented for 'ComplexFloat'"):
        fg.tensor([1 + 1j], dtype=fg.complex64).logit_()


def test_round_with_decimals_keeps_the_round_cpu_name():
    with raises(NotImplementedError, "\"round_cpu\" not implemented for 'ComplexFloat'"):
        fg.round(fg.tensor([1 + 1j], dtype=fg.complex64), decimals=1)


# ---- ihfftn over one dim is ihfft: a lazy conjugate -----------------------------------------


@pytest.mark.parametrize(("fn", "kwargs", "shape"), [
    ("ihfftn", {"dim": 0}, (2, 3, 4)), ("ihfftn", {"s": [8]}, (2, 3, 5)), ("ihfftn", {"dim": -1}, (2, 3, 3)),
    ("ihfft2", {"dim": (0,)}, (2, 3, 4)),
])
def test_ihfftn_over_one_dim_is_a_conjugate_view(fn, kwargs, shape):
    x = fg.arange(24.0, dtype=fg.float64).reshape(2, 3, 4).requires_grad_()
    y = getattr(fg.fft, fn)(x, **kwargs)
    assert y.grad_fn.name() == "ConjBackward0"
    assert y.is_conj()
    assert tuple(y.shape) == shape


@pytest.mark.parametrize("kwargs", [{}, {"dim": (1, 2)}, {"s": (3, 4)}])
def test_ihfftn_over_several_dims_ends_in_a_c2c_transform(kwargs):
    x = fg.arange(24.0, dtype=fg.float64).reshape(2, 3, 4).requires_grad_()
    y = fg.fft.ihfftn(x, **kwargs)
    assert y.grad_fn.name() == "FftC2CBackward0"
    assert not y.is_conj()


def test_ihfftn_over_one_dim_values():
    y = fg.fft.ihfftn(fg.tensor([1.0, 2.0, 0.0, -1.0], dtype=fg.float64), dim=0)
    np.testing.assert_allclose(np.array(y.resolve_conj().tolist()), [0.5, 0.25 + 0.75j, 0j], atol=1e-15)


# ---- eig / eigvals: a first derivative that can be differentiated again ---------------------

EIG_INPUT = [[2.0, 1.0, 0.5], [0.3, 3.0, 0.2], [0.1, 0.7, 5.0]]


def test_eigvals_second_derivative():
    A = fg.tensor(EIG_INPUT, dtype=fg.float64, requires_grad=True)
    w = fg.linalg.eigvals(A)
    (grad,) = fg.autograd.grad((w * w).real.sum() + w.imag.sum(), A, create_graph=True)
    assert grad.requires_grad
    np.testing.assert_allclose(grad.tolist(), [[4.0, 0.6, 0.2], [2.0, 6.0, 1.4], [1.0, 0.4, 10.0]], atol=1e-12)
    (second,) = fg.autograd.grad((grad.abs() ** 2).sum(), A)
    np.testing.assert_allclose(second.tolist(), [[16.0, 8.0, 4.0], [2.4, 24.0, 1.6], [0.8, 5.6, 40.0]], atol=1e-11)


def test_eig_second_derivative_through_the_eigenvectors_of_a_real_matrix():
    A = fg.tensor(EIG_INPUT, dtype=fg.float64, requires_grad=True)
    L, V = fg.linalg.eig(A)
    (grad,) = fg.autograd.grad((V[0].abs() ** 2).sum() + (L * L).real.sum(), A, create_graph=True)
    (second,) = fg.autograd.grad((grad.abs() ** 2).sum(), A)
    np.testing.assert_allclose(second.tolist(), [[15.11403032, 4.29448657, 4.10490921],
                                                 [5.86944664, 25.34697709, -0.46310681],
                                                 [1.71012523, 7.7913932, 39.53899259]], atol=1e-7)


def test_complex_eigvals_second_derivative():
    A = fg.tensor([[2.0 + 1j, 1.0, 0.5j], [0.3, 3.0 - 1j, 0.2], [0.1j, 0.7, 5.0]], dtype=fg.complex128,
                  requires_grad=True)
    w = fg.linalg.eigvals(A)
    (grad,) = fg.autograd.grad((w * w).real.sum() + w.imag.sum(), A, create_graph=True)
    (second,) = fg.autograd.grad((grad.abs() ** 2).sum(), A)
    np.testing.assert_allclose(np.array(second.tolist()), [[16 + 4j, 8, 4j], [2.4, 24 - 12j, 1.6],
                                                           [0.8j, 5.6, 40 - 4j]], atol=1e-10)


# ---- special.xlog1py / zeta: a complex operand is a Number without a kernel ----------------


@pytest.mark.parametrize(("call", "kernel", "dtype"), [
    (lambda: fg.special.xlog1py(fg.tensor([1.0, 2.0]), 1 + 1j), "xlog1py_cpu", "ComplexFloat"),
    (lambda: fg.special.xlog1py(fg.tensor([1.0, 2.0], dtype=fg.float64), 1j), "xlog1py_cpu", "ComplexDouble"),
    (lambda: fg.special.xlog1py(1j, fg.tensor([1, 2])), "xlog1py_cpu", "ComplexFloat"),
    (lambda: fg.special.zeta(fg.tensor([True, False]), 2j), "zeta_cpu", "ComplexFloat"),
    (lambda: fg.special.zeta(fg.tensor([1.0], dtype=fg.float16), fg.tensor(1j)), "zeta_cpu", "ComplexHalf"),
    (lambda: fg.special.xlog1py(fg.tensor([1.0], dtype=fg.bfloat16), fg.tensor(1j, dtype=fg.complex128)),
     "xlog1py_cpu", "ComplexFloat"),
])
def test_special_binary_refuses_complex_naming_the_promoted_dtype(call, kernel, dtype):
    with raises(NotImplementedError, f"\"{kernel}\" not implemented for '{dtype}'"):
        call()


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.fmod(fg.ones(3, dtype=fg.float16), fg.tensor(1j)), "\"fmod_cpu\" not implemented for 'ComplexHalf'"),
    (lambda: fg.atan2(fg.ones(3, dtype=fg.float64), fg.ones(3, dtype=fg.complex64)),
     "\"atan2_cpu\" not implemented for 'ComplexDouble'"),
    (lambda: fg.ones(3, dtype=fg.complex64).copysign_(fg.ones(3, dtype=fg.float64)),
     "\"copysign_cpu\" not implemented for 'ComplexDouble'"),
    (lambda: fg.ones(3, dtype=fg.complex64).fmod_(fg.ones(3, dtype=fg.complex128)),
     "\"fmod_cpu\" not implemented for 'ComplexDouble'"),
    (lambda: fg.xlogy(fg.ones(3, dtype=fg.bfloat16), fg.tensor(1j, dtype=fg.complex128)),
     "\"xlogy_cpu\" not implemented for 'ComplexFloat'"),
    (lambda: fg.ones(3, dtype=fg.bool).fmod(1 + 1j), "\"fmod_cpu\" not implemented for 'ComplexFloat'"),
])
def test_binary_refusal_names_the_promoted_complex_dtype(call, message):
    with raises(NotImplementedError, message):
        call()
