"""Gradients that follow PyTorch's own formulas where they differ from the textbook ones
(checked against NumPy evaluations of PyTorch's formula), and edge cases of values."""

import math

import numpy as np
import pytest
from backend import fg


def test_cholesky_inverse_gradient_is_pytorchs_unmasked_formula():
    # PyTorch: grad_L = -(C^{-1} (G + G^T) C^{-1}) L with C = L L^T, on every entry of the
    # input (it does not zero the upper triangle the forward never reads)
    rng = np.random.default_rng(3)
    a = rng.standard_normal((3, 3))
    lower = np.linalg.cholesky(a @ a.T + 3 * np.eye(3))
    full = lower + np.triu(rng.standard_normal((3, 3)), 1)  # garbage above the diagonal
    g = rng.standard_normal((3, 3))
    for upper in (False, True):
        x = full.T if upper else full
        factor = lower.T if upper else lower
        t = fg.tensor(x.tolist(), dtype=fg.float64, requires_grad=True)
        out = fg.cholesky_inverse(t, upper=upper)
        assert type(out.grad_fn).__name__ == "CholeskyInverseBackward0"
        out.backward(fg.tensor(g.tolist(), dtype=fg.float64))
        c_inv = np.linalg.inv(factor.T @ factor if upper else factor @ factor.T)
        common = c_inv @ (g + g.T) @ c_inv
        expected = -(x @ common) if upper else -(common @ x)
        assert np.allclose(out.detach().numpy(), c_inv, rtol=1e-10, atol=1e-12)
        assert np.allclose(t.grad.numpy(), expected, rtol=1e-9, atol=1e-12)


def test_cholesky_inverse_gradcheck_on_triangular_inputs():
    lower = fg.tensor([[2.0, 0.0], [0.5, 1.5]], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: fg.cholesky_inverse(t.tril()), (lower,))


def test_logit_with_a_negative_eps_clamps_nothing_and_its_gradient_is_nan_outside():
    x = fg.tensor([0.2, 0.5, 2.0, -1.0], requires_grad=True)
    out = x.logit(-1.0)
    out.sum().backward()
    g = x.grad.tolist()
    assert math.isclose(g[0], 1 / (0.2 * 0.8), rel_tol=1e-6) and g[1] == 4.0
    assert math.isnan(g[2]) and math.isnan(g[3])
    assert math.isnan(out[2].item()) and math.isnan(out[3].item())


def test_nansum_and_nanmean_of_a_0d_tensor_along_dim_0_backpropagate():
    for op in ("nansum", "nanmean"):
        x = fg.tensor(1.5, requires_grad=True)
        getattr(x, op)(0).backward()
        assert x.grad.item() == 1.0


def test_histogram_of_no_elements_spans_zero_to_one():
    hist, edges = fg.histogram(fg.zeros(0, 3), bins=4)
    assert hist.tolist() == [0.0] * 4
    assert edges.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_integer_tensors_to_negative_integer_powers_raise_for_every_width():
    for dtype in (fg.uint8, fg.int8, fg.int16, fg.int32, fg.int64):
        with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
            fg.tensor([2, 3], dtype=dtype) ** -1


def test_flip_of_a_0d_tensor_is_the_tensor():
    x = fg.tensor(1.5, requires_grad=True)
    y = x.flip(0)
    assert y.item() == 1.5 and tuple(y.shape) == ()
    y.backward()
    assert x.grad.item() == 1.0


def test_copy_of_a_number_fills_the_tensor_in_its_dtype():
    x = fg.ones(2, 3)
    assert x.copy_(2.5).tolist() == [[2.5] * 3] * 2
    assert fg.ones(2, dtype=fg.int64).copy_(2.7).tolist() == [2, 2]
    y = fg.ones(2, requires_grad=True) * 1
    assert type(y.copy_(3).grad_fn).__name__ == "CopyBackwards"
    with pytest.raises(TypeError, match="must be Tensor"):
        x.copy_("a")


def test_inplace_inverse_hyperbolic_aliases_record_pytorchs_underivable_node():
    for alias, node in (("arcsinh_", "AsinhBackward1"), ("arccosh_", "AcoshBackward1"), ("arctanh_", "AtanhBackward1")):
        x = fg.tensor([1.5, 2.0] if alias == "arccosh_" else [0.25, 0.5], requires_grad=True)
        y = getattr(x * 1, alias)()
        assert type(y.grad_fn).__name__ == node
        with pytest.raises(NotImplementedError):
            y.sum().backward()


def test_ldexp_keeps_the_promoted_float_dtype_and_pytorchs_integer_power_gradient():
    x = fg.tensor([1.0, 1.0, 1.0, 1.0], requires_grad=True)
    out = fg.ldexp(x, fg.tensor([-1, -2, 0, 3]))
    assert out.tolist() == [0.5, 0.25, 1.0, 8.0] and out.dtype == fg.float32
    out.sum().backward()
    # PyTorch differentiates through 2**other in integer arithmetic: 0 for negative exponents
    assert x.grad.tolist() == [0.0, 0.0, 1.0, 8.0]
    half = fg.tensor([1.0, 1.0], dtype=fg.float16)
    assert fg.ldexp(half, fg.tensor([1, 2])).dtype == fg.float16
    assert fg.ldexp(half, fg.tensor([1.0, 2.0])).dtype == fg.float32
    assert fg.ldexp(fg.tensor([1, 2]), fg.tensor([1, 2])).dtype == fg.float32
    assert fg.ldexp(fg.tensor([1.0], dtype=fg.float64), fg.tensor([1])).dtype == fg.float64
    y = fg.tensor([1.0, 1.0], requires_grad=True)
    e = fg.tensor([-1.0, 2.0], requires_grad=True)
    fg.ldexp(y, e).sum().backward()
    assert y.grad.tolist() == [0.5, 4.0]
    assert np.allclose(e.grad.tolist(), [0.5 * math.log(2), 4 * math.log(2)])
