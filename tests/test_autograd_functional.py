"""`autograd.functional` (vjp, jvp, jacobian, hessian, vhp, hvp) against Jacobians and
Hessians written out by hand with NumPy, and `autograd.gradcheck`/`gradgradcheck`'s own
behaviour (messages, warnings, tolerances). Passes with FG_TEST_BACKEND=torch.
"""

import re
import warnings

import numpy as np
import pytest
from backend import MOD, fg

D = fg.float64
F = fg.autograd.functional

XV = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])
YV = np.array([0.3, -0.7, 1.1])


def t(values, requires_grad=False):
    return fg.tensor(np.asarray(values, dtype=np.float64), dtype=D, requires_grad=requires_grad)


def near(tensor, expected, tol=1e-10):
    got = tensor.detach().numpy()
    expected = np.asarray(expected, dtype=np.float64)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)


def row_exp_sum(a):
    return a.exp().sum(dim=1)


def row_exp_sum_jacobian():
    """d(sum_j exp(x_ij))/dx_kl = [i == k] exp(x_kl), shape (2, 2, 3)."""
    j = np.zeros((2, 2, 3))
    for i in range(2):
        j[i, i] = np.exp(XV[i])
    return j


def pair(a, b):
    """(sum_i a_ij b_j, 3 a^2)."""
    return (a * b).sum(0), a.pow(2) * 3


def cubic(a, b):
    """sum a^3 b (b broadcast over rows) + sum b^2."""
    return (a.pow(3) * b).sum() + (b * b).sum()


def cubic_hessian():
    """Blocks of the Hessian of `cubic`, by hand."""
    haa = np.zeros((2, 3, 2, 3))
    hab = np.zeros((2, 3, 3))
    hbb = 2 * np.eye(3)
    for i in range(2):
        for j in range(3):
            haa[i, j, i, j] = 6 * XV[i, j] * YV[j]
            hab[i, j, j] = 3 * XV[i, j] ** 2
    hba = np.transpose(hab, (2, 0, 1))
    return haa, hab, hba, hbb


# ---- vjp / jvp ------------------------------------------------------------------------

def test_vjp_single_input():
    v = np.array([1.0, -2.0])
    out, g = F.vjp(row_exp_sum, t(XV), t(v))
    near(out, np.exp(XV).sum(1))
    near(g, np.einsum("i,ikl->kl", v, row_exp_sum_jacobian()))
    assert not out.requires_grad and not g.requires_grad


def test_vjp_tuple_inputs_and_outputs():
    v0, v1 = np.array([1.0, 2.0, -1.0]), np.ones((2, 3))
    outs, (ga, gb) = F.vjp(pair, (t(XV), t(YV)), (t(v0), t(v1)))
    assert isinstance(outs, tuple) and len(outs) == 2
    near(outs[0], (XV * YV).sum(0))
    near(ga, YV * v0[None, :] + 6 * XV * v1)
    near(gb, (XV * v0[None, :]).sum(0))


def test_vjp_of_a_scalar_needs_no_v():
    out, g = F.vjp(lambda a: (a * a).sum(), t(YV))
    near(out, (YV * YV).sum())
    near(g, 2 * YV)


def test_vjp_create_graph_keeps_the_graph():
    x = t(YV, requires_grad=True)
    out, g = F.vjp(lambda a: (a.pow(3)).sum(), x, create_graph=True)
    assert out.requires_grad and g.requires_grad
    (gg,) = fg.autograd.grad(g.sum(), x)
    near(gg, 6 * YV)


def test_vjp_fills_zeros_for_an_unused_input():
    out, (ga, gb) = F.vjp(lambda a, b: a * 2, (t(YV), t(YV)), t(np.ones(3)))
    near(out, 2 * YV)
    near(ga, 2 * np.ones(3))
    near(gb, np.zeros(3))


def test_jvp_single_and_tuple():
    v = np.ones((2, 3))
    out, jv = F.jvp(row_exp_sum, t(XV), t(v))
    near(out, np.exp(XV).sum(1))
    near(jv, np.einsum("ikl,kl->i", row_exp_sum_jacobian(), v))
    va, vb = np.ones((2, 3)), np.array([1.0, 0.0, -1.0])
    outs, (j0, j1) = F.jvp(pair, (t(XV), t(YV)), (t(va), t(vb)))
    near(outs[1], 3 * XV**2)
    near(j0, (va * YV[None, :]).sum(0) + (XV * vb[None, :]).sum(0))
    near(j1, 6 * XV * va)


def test_jvp_create_graph():
    x = t(YV, requires_grad=True)
    out, jv = F.jvp(lambda a: a.pow(3), x, t(np.ones(3)), create_graph=True)
    assert out.requires_grad and jv.requires_grad
    near(jv, 3 * YV**2)


# ---- jacobian / hessian -----------------------------------------------------------

def test_jacobian_single():
    j = F.jacobian(row_exp_sum, t(XV))
    assert tuple(j.shape) == (2, 2, 3) and j.dtype == D
    near(j, row_exp_sum_jacobian())
    assert not j.requires_grad


def test_jacobian_tuple_in_tuple_out():
    (j00, j01), (j10, j11) = F.jacobian(pair, (t(XV), t(YV)))
    e00 = np.zeros((3, 2, 3))
    e01 = np.zeros((3, 3))
    e10 = np.zeros((2, 3, 2, 3))
    for j in range(3):
        e00[j, :, j] = YV[j]
        e01[j, j] = XV[:, j].sum()
        for i in range(2):
            e10[i, j, i, j] = 6 * XV[i, j]
    near(j00, e00)
    near(j01, e01)
    near(j10, e10)
    near(j11, np.zeros((2, 3, 3)))


def test_jacobian_single_input_tuple_output():
    j_sin, j_sum = F.jacobian(lambda a: (a.sin(), a.sum()), t(YV))
    near(j_sin, np.diag(np.cos(YV)))
    near(j_sum, np.ones(3))


def test_jacobian_tuple_input_single_output():
    ja, jb = F.jacobian(lambda a, b: a * b, (t(YV), t(YV[::-1].copy())))
    near(ja, np.diag(YV[::-1]))
    near(jb, np.diag(YV))


def test_jacobian_create_graph_and_vectorize():
    x = t(XV, requires_grad=True)
    j = F.jacobian(row_exp_sum, x, create_graph=True)
    assert j.requires_grad
    near(j, row_exp_sum_jacobian())
    near(F.jacobian(row_exp_sum, t(XV), vectorize=True), row_exp_sum_jacobian())
    near(F.jacobian(row_exp_sum, t(XV), strategy="reverse-mode"), row_exp_sum_jacobian())


def test_hessian_single_and_tuple():
    h = F.hessian(lambda a: a.pow(3).sum(), t(YV))
    near(h, np.diag(6 * YV))
    (haa, hab), (hba, hbb) = F.hessian(cubic, (t(XV), t(YV)))
    eaa, eab, eba, ebb = cubic_hessian()
    near(haa, eaa)
    near(hab, eab)
    near(hba, eba)
    near(hbb, ebb)


def test_hessian_create_graph():
    x = t(YV, requires_grad=True)
    h = F.hessian(lambda a: a.pow(4).sum(), x, create_graph=True)
    assert h.requires_grad
    near(h, np.diag(12 * YV**2))


def test_hvp_and_vhp():
    va, vb = np.ones((2, 3)), np.array([1.0, 2.0, -1.0])
    eaa, eab, eba, ebb = cubic_hessian()
    expect_a = np.einsum("ijkl,kl->ij", eaa, va) + np.einsum("ijk,k->ij", eab, vb)
    expect_b = np.einsum("kij,ij->k", eba, va) + ebb @ vb
    out, (ha, hb) = F.hvp(cubic, (t(XV), t(YV)), (t(va), t(vb)))
    near(out, (XV**3 * YV).sum() + (YV * YV).sum())
    near(ha, expect_a)
    near(hb, expect_b)
    out, (ha, hb) = F.vhp(cubic, (t(XV), t(YV)), (t(va), t(vb)))
    near(ha, expect_a)  # the Hessian is symmetric
    near(hb, expect_b)
    out, hv = F.vhp(cubic, (t(XV), t(YV)), (t(va), t(vb)), create_graph=True)
    assert out.requires_grad and hv[0].requires_grad


# ---- errors ----------------------------------------------------------------------

def size(*dims):
    return f"{MOD}.Size({list(dims)})"


def test_vjp_errors():
    with pytest.raises(RuntimeError, match="The vector v can only be None if the user-provided function returns a single Tensor with a single element."):
        F.vjp(row_exp_sum, t(XV))
    with pytest.raises(RuntimeError, match=re.escape(f"v has invalid size: should be {size(2)} but got {size(3)}.")):
        F.vjp(row_exp_sum, t(XV), t(np.ones(3)))
    with pytest.raises(RuntimeError, match=re.escape("v is a tuple of invalid length: should be 2 but got 1.")):
        F.vjp(pair, (t(XV), t(YV)), (t(np.ones(3)),))
    with pytest.raises(TypeError, match="The inputs given to vjp must be either a Tensor or a tuple of Tensors but the given inputs has type <class 'list'>."):
        F.vjp(row_exp_sum, [t(XV)])
    with pytest.raises(TypeError, match="but the value at index 1 has type <class 'int'>."):
        F.vjp(row_exp_sum, (t(XV), 3))
    with pytest.raises(RuntimeError, match="The output of the user-provided function is independent of input 1. This is not allowed in strict mode."):
        F.vjp(lambda a, b: a.sum() * 2, (t(YV), t(YV)), strict=True)


def test_jvp_errors():
    with pytest.raises(RuntimeError, match="The vector v can only be None if the input to the user-provided function is a single Tensor with a single element."):
        F.jvp(row_exp_sum, t(XV))
    with pytest.raises(RuntimeError, match="The output of the user-provided function is independent of input 1. This is not allowed in strict mode."):
        F.jvp(lambda a, b: a.sum() * 2, (t(YV), t(YV)), (t(YV), t(YV)), strict=True)


def test_jacobian_errors():
    with pytest.raises(RuntimeError, match="Output 0 of the user-provided function is independent of input 1. This is not allowed in strict mode."):
        F.jacobian(lambda a, b: a * 2, (t(YV), t(YV)), strict=True)
    with pytest.raises(RuntimeError, match="Output 0 of the user-provided function does not require gradients."):
        F.jacobian(lambda a: fg.ones(2), t(YV), strict=True)
    with pytest.raises(RuntimeError, match="`strict=True` and `vectorized=True` are not supported together."):
        F.jacobian(row_exp_sum, t(XV), strict=True, vectorize=True)
    with pytest.raises(AssertionError, match='Expected strategy to be either "forward-mode" or "reverse-mode".'):
        F.jacobian(row_exp_sum, t(XV), strategy="sideways")
    with pytest.raises(NotImplementedError, match="only implemented for `vectorize=True`"):
        F.jacobian(row_exp_sum, t(XV), strategy="forward-mode")


def test_hessian_hvp_vhp_errors():
    with pytest.raises(RuntimeError, match="The Tensor returned by the function given to hessian should contain a single element"):
        F.hessian(row_exp_sum, t(XV))
    with pytest.raises(RuntimeError, match="While computing the hessian, found that the jacobian of the user-provided function with respect to input 0 is independent of the input."):
        F.hessian(lambda a: a.sum() * 2, t(YV), strict=True)
    with pytest.raises(RuntimeError, match="The Tensor returned by the function given to hvp should contain a single element"):
        F.hvp(row_exp_sum, t(XV), t(np.ones((2, 3))))
    with pytest.raises(RuntimeError, match="The vector v can only be None if the input to the user-provided function is a single Tensor with a single element."):
        F.hvp(lambda a: a.sum(), t(XV))
    with pytest.raises(RuntimeError, match="The function given to vhp should return a single Tensor"):
        F.vhp(lambda a: (a.sum(),), t(XV), t(np.ones((2, 3))))


# ---- gradcheck / gradgradcheck ----------------------------------------------------

class WrongExp(fg.autograd.Function):
    """exp with a gradient 10% too large."""

    @staticmethod
    def forward(ctx, a):
        y = a.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y * 1.1


class FlatSecond(fg.autograd.Function):
    """x^3 whose backward is right once but not differentiable (detached)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a**3

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * 3 * a.detach() ** 2


def test_gradcheck_reports_the_mismatch():
    x = t([0.5, -1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError) as info:
        fg.autograd.gradcheck(WrongExp.apply, (x,))
    assert type(info.value).__name__ == "GradcheckError"
    message = str(info.value)
    assert message.startswith("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor([[1.6487, 0.0000, 0.0000],")
    assert "analytical:tensor([[1.8136, 0.0000, 0.0000]," in message
    assert message.endswith(f"dtype={MOD}.float64)\n")


def test_gradcheck_raise_exception_and_tolerances():
    x = t([0.5, -1.0, 2.0], requires_grad=True)
    assert fg.autograd.gradcheck(WrongExp.apply, (x,), raise_exception=False) is False
    assert fg.autograd.gradcheck(WrongExp.apply, (x,), atol=1.0, rtol=0.2) is True
    assert fg.autograd.gradcheck(lambda a: a.exp(), (x,), eps=1e-4, atol=1e-6)


def test_gradcheck_warns_for_single_precision_and_needs_an_input_requiring_grad():
    x32 = fg.tensor([0.5, -1.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert fg.autograd.gradcheck(lambda a: a.exp(), (x32,), eps=1e-3, atol=1e-2, rtol=1e-2)
    messages = [str(w.message) for w in caught if w.category is UserWarning]
    assert (
        "Input #0 requires gradient and is not a double precision floating point or complex. This "
        "check will likely fail if all the inputs are not of double precision floating point or "
        "complex. "
    ) in messages
    with pytest.raises(ValueError, match="gradcheck expects at least one input tensor to require gradient, but none of them have requires_grad=True."):
        fg.autograd.gradcheck(lambda a: a.exp(), (t([0.5]),))


def test_gradcheck_outputs_that_do_not_require_grad():
    x = t([0.5, -1.0, 2.0], requires_grad=True)
    assert fg.autograd.gradcheck(lambda a: (a * 2, a.detach() * 3), (x,))
    assert fg.autograd.gradcheck(lambda a: a.argmax(), (x,))
    with pytest.raises(RuntimeError, match="Numerical gradient for function expected to be zero"):
        fg.autograd.gradcheck(lambda a: a.detach() * 2, (x,))


def test_gradgradcheck():
    x = t([0.5, -1.0, 2.0], requires_grad=True)
    assert fg.autograd.gradcheck(FlatSecond.apply, (x,))
    with pytest.raises(RuntimeError, match="Jacobian mismatch for output 0 with respect to input 0"):
        fg.autograd.gradgradcheck(FlatSecond.apply, (x,))
    assert fg.autograd.gradgradcheck(FlatSecond.apply, (x,), raise_exception=False) is False
    assert fg.autograd.gradgradcheck(lambda a: (a**3).sum(), (x,))
    y = t([1.0, 2.0, 3.0], requires_grad=True)
    assert fg.autograd.gradgradcheck(lambda a, b: a * b.sin(), (x, y), (t(np.ones(3)),))


def test_jacobian_of_an_empty_output_is_refused_like_stack():
    with pytest.raises(RuntimeError, match="stack expects a non-empty TensorList"):
        F.jacobian(lambda a: a[:0], t(YV))
