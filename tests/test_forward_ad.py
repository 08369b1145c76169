"""`autograd.forward_ad` (dual tensors) and the forward-mode strategies of
`autograd.functional.jacobian`/`hessian`: tangents against closed forms (NumPy),
levels, and PyTorch's errors."""

import math

import numpy as np
import pytest
from backend import fg

fwAD = fg.autograd.forward_ad
AF = fg.autograd.functional
D = fg.float64
P = [1.0, 2.0, 3.0]
T = [1.0, 0.0, 2.0]


def t(values, **kw):
    return fg.tensor(values, dtype=D, **kw)


def close(a, b, tol=1e-12):
    return np.allclose(np.asarray(a.detach().tolist()), np.asarray(b), atol=tol, rtol=tol)


def test_tangents_of_ops():
    p, tan = t(P), t(T)
    with fwAD.dual_level():
        d = fwAD.make_dual(p, tan)
        u = fwAD.unpack_dual(d * 2)
        assert close(u.primal, [2.0, 4.0, 6.0]) and close(u.tangent, [2.0, 0.0, 4.0])
        assert close(u[0], [2.0, 4.0, 6.0]) and len(u) == 2
        s = fwAD.unpack_dual(d.sin().sum())
        assert math.isclose(s.primal.item(), float(np.sin(P).sum()), rel_tol=1e-12)
        assert math.isclose(s.tangent.item(), float(np.cos(P) @ np.array(T)), rel_tol=1e-12)
        e = fwAD.unpack_dual((d * d).exp())
        assert close(e.tangent, np.exp(np.square(P)) * 2 * np.array(P) * np.array(T))
        m = fwAD.unpack_dual(d.reshape(3, 1) @ d.reshape(1, 3))
        outer = np.outer(T, P) + np.outer(P, T)
        assert close(m.tangent, outer)


def test_two_duals_and_direct_unpack():
    a, b = t(P), t([4.0, 5.0, 6.0])
    ta, tb = t(T), t([1.0, 1.0, 1.0])
    with fwAD.dual_level():
        da, db = fwAD.make_dual(a, ta), fwAD.make_dual(b, tb)
        out = fwAD.unpack_dual(da * db)
        assert close(out.tangent, np.array(T) * [4.0, 5.0, 6.0] + np.array(P))
        direct = fwAD.unpack_dual(da)
        assert direct.tangent is ta and close(direct.primal, P)


def test_non_dual_and_outside_level():
    p, tan = t(P), t(T)
    assert fwAD.unpack_dual(p).tangent is None
    assert fwAD.unpack_dual(3).primal == 3 and fwAD.unpack_dual(3).tangent is None
    with fwAD.dual_level():
        d = fwAD.make_dual(p, tan)
        assert fwAD.unpack_dual(p).tangent is None
        assert fwAD.unpack_dual(fg.ones(3)).tangent is None
        e = d * 3
    assert fwAD.unpack_dual(e).tangent is None
    assert close(fwAD.unpack_dual(e).primal, [3.0, 6.0, 9.0])
    assert not p.requires_grad and not tan.requires_grad
    assert type(fwAD.unpack_dual(p)).__name__ == "UnpackedDualTensor"
    assert fwAD.UnpackedDualTensor._fields == ("primal", "tangent")


def test_levels():
    assert fwAD.enter_dual_level() == 0
    with pytest.raises(RuntimeError, match="Nested forward mode AD is not supported at the moment"):
        fwAD.enter_dual_level()
    fwAD.exit_dual_level()
    with pytest.raises(RuntimeError, match="Dual level must be a positive number."):
        fwAD.exit_dual_level()

    @fwAD.dual_level()
    def inside():
        return fwAD.unpack_dual(fwAD.make_dual(t(P), t(T)) * 5).tangent

    assert close(inside(), [5.0, 0.0, 10.0])


def test_make_dual_errors():
    p = t(P)
    with pytest.raises(RuntimeError, match="Trying to create a dual Tensor for forward AD but no level exists"):
        fwAD.make_dual(p, p)
    with fwAD.dual_level():
        with pytest.raises(RuntimeError, match="Trying to set a forward gradient that has a different size"):
            fwAD.make_dual(p, fg.ones(2, dtype=D))
        with pytest.raises(ValueError, match="Expected primal to be floating point or complex, but got"):
            fwAD.make_dual(fg.tensor([1, 2]), fg.tensor([1, 2]))
        with pytest.raises(RuntimeError, match="Invalid level given to _make_dual"):
            fwAD.make_dual(p, p, level=5)


def test_dual_of_a_tensor_that_requires_grad_keeps_reverse_mode():
    w = t([1.0, 2.0], requires_grad=True)
    with fwAD.dual_level():
        d = fwAD.make_dual(w, fg.ones(2, dtype=D))
        y = (d ** 2).sum()
        out = fwAD.unpack_dual(y)
        assert out.tangent.item() == 6.0 and out.tangent.requires_grad
        y.backward()
    assert w.grad.tolist() == [2.0, 4.0]


def test_functional_jacobian_forward_mode():
    p, q = t([1.0, 2.0]), t([3.0, 4.0])
    jac = AF.jacobian(lambda x: x ** 2, p, strategy="forward-mode", vectorize=True)
    assert close(jac, [[2.0, 0.0], [0.0, 4.0]])
    both = AF.jacobian(lambda x, y: x * y, (p, q), strategy="forward-mode", vectorize=True)
    assert isinstance(both, list) and close(both[0], np.diag([3.0, 4.0])) and close(both[1], np.diag([1.0, 2.0]))
    nested = AF.jacobian(lambda x, y: (x * y, x.sum()), (p, q), strategy="forward-mode", vectorize=True)
    assert isinstance(nested, list) and isinstance(nested[1], list) and close(nested[1][1], [0.0, 0.0])
    outs = AF.jacobian(lambda x: (x ** 2, x.sum()), p, strategy="forward-mode", vectorize=True)
    assert isinstance(outs, tuple) and close(outs[1], [1.0, 1.0])
    with pytest.raises(NotImplementedError, match="only implemented for `vectorize=True`"):
        AF.jacobian(lambda x: x ** 2, p, strategy="forward-mode")
    with pytest.raises(NotImplementedError, match="`create_graph=True` and `strategy=\"forward-mode\"`"):
        AF.jacobian(lambda x: x ** 2, p, strategy="forward-mode", vectorize=True, create_graph=True)
    h = AF.hessian(lambda x: (x ** 3).sum(), t(P), outer_jacobian_strategy="forward-mode", vectorize=True)
    assert close(h, np.diag(6 * np.array(P)))


def test_functional_jvp_hvp_vhp():
    p, v = t(P), t(T)
    out, jv = AF.jvp(lambda x: x.sin(), p, v)
    assert close(out, np.sin(P)) and close(jv, np.cos(P) * np.array(T))
    _, hv = AF.hvp(lambda x: (x ** 3).sum(), p, v)
    _, vh = AF.vhp(lambda x: (x ** 3).sum(), p, v)
    assert close(hv, 6 * np.array(P) * np.array(T)) and close(vh, 6 * np.array(P) * np.array(T))


def test_tangents_under_an_outer_no_grad():
    with fg.no_grad():
        with fwAD.dual_level():
            d = fwAD.make_dual(t(P), t(T))
            assert close(fwAD.unpack_dual(d.sin()).tangent, np.cos(P) * np.array(T))
        assert not fg.is_grad_enabled()
    assert fg.is_grad_enabled()


def test_forward_mode_jacobian_refuses_strict():
    with pytest.raises(RuntimeError, match="`strict=True` and `strategy=\"forward-mode\"` are not supported together"):
        AF.jacobian(lambda x: x ** 2, t(P), strategy="forward-mode", vectorize=True, strict=True)


def test_tangent_is_differentiable_with_respect_to_the_primal():
    def tangent_of_sin(w):
        with fwAD.dual_level():
            return fwAD.unpack_dual(fwAD.make_dual(w, t(T)).sin()).tangent

    assert fg.autograd.gradcheck(tangent_of_sin, (t([0.3, -1.2, 2.0], requires_grad=True),))
