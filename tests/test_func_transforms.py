"""`func` transforms (`grad`, `grad_and_value`, `vjp`, `jvp`, `jacrev`, `jacfwd`,
`hessian`, `linearize`, `vmap`): values against closed forms (NumPy), composition,
pytrees, argnums, `requires_grad` of results and inputs, and PyTorch's errors."""

import gc
import math

import numpy as np
import pytest
from backend import fg

F = fg.func
D = fg.float64
XS = [1.0, 2.0, 3.0]
YS = [4.0, 5.0, 6.0]


def t(values, **kw):
    return fg.tensor(values, dtype=D, **kw)


def close(a, b, tol=1e-12):
    return np.allclose(np.asarray(a.detach().tolist() if hasattr(a, "detach") else a),
                       np.asarray(b), atol=tol, rtol=tol)


# ---- grad / grad_and_value ------------------------------------------------------

def test_grad_of_cube_and_argnums():
    x, y = t(XS), t(YS)
    assert close(F.grad(lambda a: (a ** 3).sum())(x), 3 * np.array(XS) ** 2)
    gx, gy = F.grad(lambda a, b: (a * b).sum(), argnums=(0, 1))(x, y)
    assert close(gx, YS) and close(gy, XS)
    (only_y,) = F.grad(lambda a, b: (a * b).sum(), argnums=(1,))(x, y)
    assert close(only_y, XS)
    assert close(F.grad(lambda a, b: (a * b).sum(), argnums=-1)(x, y), XS)


def test_grad_and_value_and_aux():
    x = t(XS)
    g, v = F.grad_and_value(lambda a: (a ** 3).sum())(x)
    assert close(g, [3.0, 12.0, 27.0]) and v.item() == 36.0
    g, (v, aux) = F.grad_and_value(lambda a: ((a ** 2).sum(), a * 10), has_aux=True)(x)
    assert close(g, [2.0, 4.0, 6.0]) and v.item() == 14.0 and close(aux, [10.0, 20.0, 30.0])
    g, aux = F.grad(lambda a: ((a ** 2).sum(), {"m": a.mean()}), has_aux=True)(x)
    assert close(g, [2.0, 4.0, 6.0]) and aux["m"].item() == 2.0


def test_grad_on_pytrees_and_unused_inputs():
    x, y = t(XS), t(YS)
    g = F.grad(lambda d: (d["a"] * d["b"]).sum())({"a": x, "b": y})
    assert set(g) == {"a", "b"} and close(g["a"], YS) and close(g["b"], XS)
    g = F.grad(lambda p: (p[0] * 2).sum())((x, y))
    assert isinstance(g, tuple) and close(g[0], [2.0] * 3) and close(g[1], [0.0] * 3)
    assert close(F.grad(lambda a: (a * 0).sum() + 1)(x), [0.0] * 3)
    assert close(F.grad(lambda a: a.sum().long())(fg.tensor([1.0, 2.0])), [0.0, 0.0])


def test_grad_does_not_leak_requires_grad():
    x = t(XS)
    g = F.grad(lambda a: (a ** 2).sum())(x)
    assert not g.requires_grad and not x.requires_grad and x.grad is None
    with fg.no_grad():
        g = F.grad(lambda a: (a ** 3).sum())(x)
    assert close(g, [3.0, 12.0, 27.0]) and not g.requires_grad


def test_grad_keeps_closure_differentiable():
    x = t(XS)
    w = t([1.0, 1.0, 2.0], requires_grad=True)
    g = F.grad(lambda a: (a * w).sum())(x)
    assert g.requires_grad and close(g, [1.0, 1.0, 2.0])
    g.sum().backward()
    assert close(w.grad, [1.0, 1.0, 1.0])
    with fg.no_grad():
        assert not F.grad(lambda a: (a * w).sum())(x).requires_grad


def test_grad_of_grad_and_closures_over_outer_inputs():
    assert F.grad(F.grad(lambda a: a ** 3))(t(2.0)).item() == 12.0
    x, y = t(XS), t(YS)
    out = F.grad(lambda b: F.grad(lambda a: (a * a * b).sum())(x).sum())(y)
    assert close(out, [2.0, 4.0, 6.0]) and not out.requires_grad
    third = F.grad(F.grad(F.grad(lambda a: a.sin())))(t(0.5))
    assert math.isclose(third.item(), -math.cos(0.5), rel_tol=1e-12)


def test_nested_stand_ins_stay_private_once_their_transform_is_collected():
    x, y = t(XS), t(YS)

    def outer(b):
        inner = F.grad(lambda a: (a * a * b).sum())(x)
        gc.collect()  # the inner transform's objects are gone before the outer walks
        return inner.sum()

    out = F.grad(outer)(y)
    assert close(out, [2.0, 4.0, 6.0]) and not out.requires_grad


@pytest.mark.parametrize("call, exc, text", [
    (lambda x: F.grad(lambda a: a)(x), RuntimeError, "Expected f(*args) to return a scalar Tensor, got tensor with 1 dims"),
    (lambda x: F.grad(lambda a: (a ** 2).sum(), argnums=1)(x), RuntimeError, "Got argnum=1, but only 1 positional inputs"),
    (lambda x: F.grad(lambda a: 3.0)(x), RuntimeError, "Expected f(*args) to return a Tensor, got <class 'float'>"),
    (lambda x: F.grad(lambda a: (a ** 2).sum())(3.0), ValueError, "Thing passed to transform API must be Tensor, got <class 'float'>"),
    (lambda x: F.grad(lambda a: ((a ** 2).sum(), 1), has_aux=True)(x), RuntimeError, "Expected tensors, got unsupported type <class 'int'>"),
    (lambda x: F.grad(lambda a: (a ** 2).sum(), has_aux=True)(x), RuntimeError, "output of function f should be a tuple: (output, aux) if has_aux is True"),
    (lambda x: F.grad(lambda a: a.sum())(fg.tensor([1, 2])), RuntimeError, "only Tensors of floating point dtype can require gradients"),
    (lambda x: F.grad(lambda a: a.sum(), argnums=())(x), RuntimeError, "argnums must be non-empty"),
    (lambda x: F.grad(lambda a: a.sum(), argnums=(0, 0))(x), RuntimeError, "argnums elements must be unique, got (0, 0)"),
    (lambda x: F.grad(lambda a: a.sum(), argnums=1.0)(x), RuntimeError, "argnums must be int or Tuple[int, ...], got: <class 'float'>"),
    (lambda x: F.grad(lambda a: a.sum())(), RuntimeError, "Got argnum=0, but only 0 positional inputs"),
])
def test_grad_errors(call, exc, text):
    with pytest.raises(exc) as info:
        call(t(XS))
    assert text in str(info.value)


# ---- vjp / jvp / linearize ----------------------------------------------------------

def test_vjp_values_structure_and_reuse():
    x, y = t(XS), t(YS)
    out, fn = F.vjp(lambda a: a ** 2, x)
    assert close(out, [1.0, 4.0, 9.0]) and not out.requires_grad
    (g,) = fn(fg.ones(3, dtype=D))
    assert close(g, [2.0, 4.0, 6.0])
    (g,) = fn(t([1.0, 0.0, 2.0]))  # callable again
    assert close(g, [2.0, 0.0, 12.0]) and not g.requires_grad
    out, fn = F.vjp(lambda a, b: {"p": a * b, "s": a.sum()}, x, y)
    ga, gb = fn({"p": fg.ones(3, dtype=D), "s": t(1.0)})
    assert close(ga, np.array(YS) + 1) and close(gb, XS)
    out, fn, aux = F.vjp(lambda a: (a.sin(), a.cos()), x, has_aux=True)
    assert close(aux, np.cos(XS)) and close(fn(t(YS))[0], np.cos(XS) * np.array(YS))


def test_vjp_errors():
    x = t(XS)
    _, fn = F.vjp(lambda a: a ** 2, x)
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        fn(fg.ones(2, dtype=D))
    with pytest.raises(RuntimeError, match="Expected pytree structure of cotangents"):
        fn((fg.ones(3, dtype=D),))
    with pytest.raises(RuntimeError, match=r"vjp\(f, \*primals\): output of function f should be a tuple"):
        F.vjp(lambda a: a ** 2, x, has_aux=True)
    with pytest.raises(RuntimeError, match="expected f\\(\\*primals\\) to return only tensors, got unsupported type <class 'float'>"):
        F.vjp(lambda a: 3.0, x)
    with pytest.raises(ValueError, match="Thing passed to transform API must be Tensor"):
        F.vjp(lambda a: a, 3.0)


def test_jvp_values_and_zero_tangent_outputs():
    x, y = t(XS), t(YS)
    out, tan = F.jvp(lambda a: a ** 2, (x,), (fg.ones(3, dtype=D),))
    assert close(out, [1.0, 4.0, 9.0]) and close(tan, [2.0, 4.0, 6.0])
    out, tan = F.jvp(lambda a: a.exp().sum(), (x,), (y,))
    assert math.isclose(tan.item(), float(np.exp(XS) @ np.array(YS)), rel_tol=1e-12)
    _, tan = F.jvp(lambda a, b: (a * b, b), (x, y), (y, x))
    assert close(tan[0], np.array(YS) ** 2 + np.array(XS) ** 2) and close(tan[1], XS)
    _, tan = F.jvp(lambda a, b: fg.ones(3, dtype=D), (x, y), (y, x))
    assert close(tan, [0.0] * 3)
    _, tan = F.jvp(lambda d: d["a"].sin() * d["b"], ({"a": x, "b": y},), ({"a": y, "b": x},))
    expected = np.cos(XS) * np.array(YS) * np.array(YS) + np.sin(XS) * np.array(XS)
    assert close(tan, expected)
    out, tan, aux = F.jvp(lambda a: (a * 3, a.sum()), (x,), (y,), has_aux=True)
    assert close(tan, np.array(YS) * 3) and aux.item() == 6.0
    assert not out.requires_grad and not tan.requires_grad


def test_jvp_of_grad_is_a_hessian_vector_product():
    x, v = t(XS), t(YS)
    _, hv = F.jvp(F.grad(lambda a: (a ** 3).sum()), (x,), (v,))
    assert close(hv, 6 * np.array(XS) * np.array(YS))


@pytest.mark.parametrize("call, text", [
    (lambda x: F.jvp(lambda a: a, x, x), "Expected primals to be a tuple"),
    (lambda x: F.jvp(lambda a: a, (x,), x), "Expected primals and tangents to have the same python structure"),
    (lambda x: F.jvp(lambda a: a, (x,), (fg.ones(2, dtype=D),)), "Trying to set a forward gradient that has a different size"),
    (lambda x: F.jvp(lambda a: 3.0, (x,), (x,)), "expected f(*primals) to return only tensors, got unsupported type <class 'float'>"),
    (lambda x: F.jvp(lambda a: a, (), ()), "Expected primals to contain at least one Tensor"),
    (lambda x: F.jvp(lambda a: (a, "s"), (x,), (x,), has_aux=True), "Expected tensors, got unsupported type <class 'str'>"),
])
def test_jvp_errors(call, text):
    with pytest.raises(RuntimeError) as info:
        call(t(XS))
    assert text in str(info.value)


def test_linearize():
    x = t(XS)
    out, jvp_fn = F.linearize(lambda a: a.sin(), x)
    assert close(out, np.sin(XS))
    assert close(jvp_fn(fg.ones(3, dtype=D)), np.cos(XS))
    assert close(jvp_fn(t(YS)), np.cos(XS) * np.array(YS))
    with pytest.raises(RuntimeError, match="tangent:0 with shape"):
        jvp_fn(fg.ones(2, dtype=D))


# ---- jacrev / jacfwd / hessian --------------------------------------------------------

@pytest.mark.parametrize("jac", ["jacrev", "jacfwd"])
def test_jacobians(jac):
    J = getattr(F, jac)
    x, y = t(XS), t(YS)
    assert close(J(lambda a: a ** 2)(x), np.diag(2 * np.array(XS)))
    assert close(J(lambda a: a.sum())(x), [1.0] * 3)
    assert J(lambda a: a ** 2)(t(2.0)).item() == 4.0
    (da, db), (sa, sb) = J(lambda a, b: (a * b, a.sum()), argnums=(0, 1))(x, y)
    assert close(da, np.diag(YS)) and close(db, np.diag(XS))
    assert close(sa, [1.0] * 3) and close(sb, [0.0] * 3)
    d = J(lambda p: p["a"] * p["b"])({"a": x, "b": y})
    assert close(d["a"], np.diag(YS)) and close(d["b"], np.diag(XS))
    out = J(lambda a: {"p": a ** 2, "q": a.sum()})(x)
    assert out["p"].shape == (3, 3) and out["q"].shape == (3,)
    m = fg.arange(6, dtype=D).reshape(2, 3)
    assert J(lambda a: a @ a.T)(m).shape == (2, 2, 2, 3)
    jac_, aux = J(lambda a: (a.exp(), a.sum()), has_aux=True)(x)
    assert close(jac_, np.diag(np.exp(XS))) and aux.item() == 6.0
    assert not J(lambda a: a ** 2)(x).requires_grad


def test_jacobian_errors():
    x = t(XS)
    with pytest.raises(RuntimeError, match=r"vjp\(f, \*primals\): expected f\(\*primals\) to return only tensors"):
        F.jacrev(lambda a: 3)(x)
    with pytest.raises(RuntimeError, match=r"jvp\(f, primals, tangents\): expected f\(\*primals\) to return only tensors"):
        F.jacfwd(lambda a: 3)(x)
    with pytest.raises(RuntimeError, match="Only allowed values for randomness are 'error', 'different', or 'same'. Got x"):
        F.jacfwd(lambda a: a, randomness="x")(x)
    with pytest.raises(ValueError, match="jacrev: `chunk_size` should be greater than 0."):
        F.jacrev(lambda a: a, chunk_size=0)


def test_hessian_and_compositions():
    x, y = t(XS), t(YS)
    assert close(F.hessian(lambda a: (a ** 3).sum())(x), np.diag(6 * np.array(XS)))
    assert close(F.hessian(lambda a: a.sin().sum())(x), np.diag(-np.sin(XS)))
    (hxx, hxy), (hyx, hyy) = F.hessian(lambda a, b: (a ** 2 * b).sum(), argnums=(0, 1))(x, y)
    assert close(hxx, np.diag(2 * np.array(YS))) and close(hxy, np.diag(2 * np.array(XS)))
    assert close(hyx, np.diag(2 * np.array(XS))) and close(hyy, np.zeros((3, 3)))
    assert close(F.jacrev(F.grad(lambda a: (a ** 3).sum()))(x), np.diag(6 * np.array(XS)))
    assert close(F.jacrev(F.jacrev(lambda a: (a ** 3).sum()))(x), np.diag(6 * np.array(XS)))
    batch = fg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=D)
    assert close(F.vmap(F.grad(lambda a: (a ** 3).sum()))(batch), 3 * np.array([[1, 4], [9, 16]]))
    assert close(F.vmap(F.jacrev(lambda a: a.sin()))(batch)[1], np.diag(np.cos([3.0, 4.0])))


# ---- vmap -----------------------------------------------------------------------------

def test_vmap_values_and_dims():
    m = fg.arange(12, dtype=D).reshape(3, 4)
    assert close(F.vmap(lambda a: a.sum())(m), [6.0, 22.0, 38.0])
    assert close(F.vmap(lambda a: a.sum(), in_dims=1)(m), [12.0, 15.0, 18.0, 21.0])
    assert close(F.vmap(lambda a: a.sum(), in_dims=-1)(m), [12.0, 15.0, 18.0, 21.0])
    assert F.vmap(lambda a: a * 2, out_dims=1)(m).shape == (4, 3)
    assert F.vmap(lambda a: a, out_dims=-1)(fg.ones(2, 3, 4)).shape == (3, 4, 2)
    out = F.vmap(lambda a, b: a @ b, in_dims=(0, None))(fg.ones(2, 3, 4), fg.ones(4, 5))
    assert out.shape == (2, 3, 5) and close(out, np.full((2, 3, 5), 4.0))
    assert close(F.vmap(F.vmap(lambda a: a.sum()))(fg.ones(2, 3, 4)), np.full((2, 3), 4.0))
    assert close(F.vmap(fg.sum, in_dims=1)(fg.ones(2, 3)), [2.0, 2.0, 2.0])
    assert F.vmap(lambda a: fg.zeros(2))(fg.ones(3, 1)).shape == (3, 2)
    assert F.vmap(lambda a: a + 1)(fg.ones(0, 2)).shape == (0, 2)
    assert F.vmap(lambda a: a, out_dims=1)(fg.ones(0, 2)).shape == (2, 0)
    assert close(F.vmap(lambda a, k: a * k, in_dims=(0, None))(m, 2), 2 * np.arange(12).reshape(3, 4))


def test_vmap_pytrees_and_none_out_dims():
    d = {"a": fg.ones(2, 3), "b": fg.ones(3)}
    assert F.vmap(lambda p: p["a"] + p["b"], in_dims=({"a": 0, "b": None},))(d).shape == (2, 3)
    a, rest = F.vmap(lambda p: (p[0] * 2, {"z": p[1]}), in_dims=((0, 1),), out_dims=(1, {"z": 0}))(
        (fg.ones(2, 3), fg.ones(3, 2)))
    assert a.shape == (3, 2) and rest["z"].shape == (2, 3)
    out = F.vmap(lambda a: {"a": a, "b": (a, a * 2)})(fg.ones(2, 3))
    assert out["b"][1].shape == (2, 3) and close(out["b"][1], np.full((2, 3), 2.0))
    c, mapped = F.vmap(lambda a: (fg.ones(3), a), out_dims=(None, 0))(fg.arange(6.0).reshape(2, 3))
    assert c.shape == (3,) and mapped.shape == (2, 3)
    _, nan = F.vmap(lambda a: (a, fg.tensor([float("nan"), 1.0])), out_dims=(0, None))(fg.ones(3, 2))
    assert math.isnan(nan[0].item()) and nan[1].item() == 1.0


def test_vmap_randomness():
    with pytest.raises(RuntimeError, match="vmap: called random operation while in randomness error mode"):
        F.vmap(lambda a: fg.rand(3))(fg.ones(2, 3))
    same = F.vmap(lambda a: a + fg.rand(3), randomness="same")(fg.zeros(2, 3))
    assert same[0].tolist() == same[1].tolist()
    different = F.vmap(lambda a: a + fg.rand(3), randomness="different")(fg.zeros(2, 3))
    assert different.shape == (2, 3)


@pytest.mark.parametrize("call, exc, text", [
    (lambda: F.vmap(lambda a, b: a + b)(fg.ones(2, 3), fg.ones(3, 3)), ValueError,
     "vmap: Expected all tensors to have the same size in the mapped dimension, got sizes [2, 3] for the mapped dimension"),
    (lambda: F.vmap(lambda a: a, in_dims=2)(fg.ones(2, 3)), ValueError,
     "vmap(<lambda>, in_dims=2, ...)(<inputs>): Got in_dim=2 for some input, but that input is a Tensor of dimensionality 2 so expected in_dim to satisfy -2 <= in_dim < 2."),
    (lambda: F.vmap(lambda a: a, in_dims=(0, 0))(fg.ones(2, 3)), ValueError,
     "in_dims is not compatible with the structure of `inputs`"),
    (lambda: F.vmap(lambda a: a, in_dims=[0])(fg.ones(2, 3)), ValueError,
     "vmap(<lambda>, in_dims=[0], ...)(<inputs>): expected `in_dims` to be int or a (potentially nested) tuple matching the structure of inputs, got: <class 'list'>."),
    (lambda: F.vmap(lambda a: a, in_dims=None)(fg.ones(2, 3)), ValueError, "got: <class 'NoneType'>"),
    (lambda: F.vmap(lambda a: 3.0)(fg.ones(2, 3)), ValueError,
     "vmap(<lambda>, ...): `<lambda>` must only return Tensors, got type <class 'float'>. Did you mean to set out_dims= to None for output?"),
    (lambda: F.vmap(lambda a: None)(fg.ones(2, 3)), ValueError, "got type <class 'NoneType'>"),
    (lambda: F.vmap(lambda a: a)(3.0), ValueError,
     "Got in_dim=0 for an input but the input is of type <class 'float'>. We cannot vmap over non-Tensor arguments, please use None as the respective in_dim"),
    (lambda: F.vmap(lambda a: a)(fg.tensor(3.0)), ValueError, "expected in_dim to satisfy -0 <= in_dim < 0."),
    (lambda: F.vmap(lambda a: a)(), ValueError,
     "vmap(<lambda>)(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are trying to vmap over a function with no inputs. The latter is unsupported."),
    (lambda: F.vmap(lambda a: a, in_dims=None)(fg.ones(2, 3)), ValueError, "expected `in_dims` to be int"),
    (lambda: F.vmap(lambda a: a, in_dims=(None,))(fg.ones(2, 3)), ValueError, "vmap: Expected at least one Tensor to vmap over"),
    (lambda: F.vmap(lambda a: a, out_dims=2)(fg.ones(2, 3)), IndexError, "Dimension out of range"),
    (lambda: F.vmap(lambda a: a, out_dims=(0, 0))(fg.ones(2, 3)), ValueError, "out_dims is not compatible with the structure of `outputs`"),
    (lambda: F.vmap(lambda a: a, out_dims=None)(fg.ones(2, 3)), ValueError,
     "vmap(<lambda>, ...): `<lambda>` can not return a BatchedTensor when out_dim is None"),
    (lambda: F.vmap(lambda a: a, randomness="foo")(fg.ones(2, 3)), RuntimeError,
     "Only allowed values for randomness are 'error', 'different', or 'same'. Got foo"),
    (lambda: F.vmap(lambda a: a, chunk_size=0)(fg.ones(2, 3)), ValueError, "vmap: chunk_size should be None or greater than 0. (got 0)"),
])
def test_vmap_errors(call, exc, text):
    with pytest.raises(exc) as info:
        call()
    assert text in str(info.value)


def test_vmap_of_grad_keeps_gradients_to_closures():
    w = t([2.0, 3.0], requires_grad=True)
    out = F.vmap(lambda a: (a * w).sum())(fg.ones(4, 2, dtype=D))
    out.sum().backward()
    assert close(w.grad, [4.0, 4.0])


def test_functional_call_still_exported():
    lin = fg.nn.Linear(2, 1)
    params = {"weight": fg.ones(1, 2), "bias": fg.zeros(1)}
    assert F.functional_call(lin, params, (fg.ones(3, 2),)).tolist() == [[2.0], [2.0], [2.0]]


def test_stack_module_state_and_ensembling():
    fg.manual_seed(0)
    models = [fg.nn.Linear(3, 2) for _ in range(4)]
    params, buffers = F.stack_module_state(models)
    assert set(params) == {"weight", "bias"} and buffers == {}
    assert params["weight"].shape == (4, 2, 3) and params["weight"].is_leaf and params["weight"].requires_grad
    x = fg.randn(5, 3)
    out = F.vmap(lambda p, b, d: F.functional_call(models[0], (p, b), (d,)), (0, 0, None))(params, buffers, x)
    assert out.shape == (4, 5, 2)
    assert np.allclose(out[2].tolist(), models[2](x).tolist(), atol=1e-6)
    with pytest.raises(RuntimeError, match="stack_module_state: Expected at least one model, got 0."):
        F.stack_module_state([])
    with pytest.raises(RuntimeError, match="Expected all models to be of the same class."):
        F.stack_module_state([fg.nn.Linear(1, 1), fg.nn.Tanh()])


def test_per_sample_gradients_with_functional_call():
    fg.manual_seed(0)
    model = fg.nn.Linear(3, 1).double()
    x, y = fg.randn(5, 3, dtype=D), fg.ones(5, dtype=D)
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss(p, xi, yi):
        return ((F.functional_call(model, p, (xi.unsqueeze(0),)) - yi) ** 2).sum()

    per_sample = F.vmap(F.grad(loss), in_dims=(None, 0, 0))(params, x, y)
    assert per_sample["weight"].shape == (5, 1, 3) and per_sample["bias"].shape == (5, 1)
    w, b = params["weight"].tolist()[0], params["bias"].item()
    for i in range(5):
        xi = x[i].tolist()
        residual = 2 * (sum(wj * xj for wj, xj in zip(w, xi)) + b - 1.0)
        assert np.allclose(per_sample["weight"][i, 0].tolist(), [residual * xj for xj in xi], atol=1e-12)
        assert abs(per_sample["bias"][i, 0].item() - residual) < 1e-12


def test_vmap_non_tensor_outputs_with_none_out_dims():
    out, three = F.vmap(lambda a: (a, 3), out_dims=(0, None))(fg.ones(2, 3))
    assert out.shape == (2, 3) and three == 3
    assert F.vmap(lambda a: (a, None), out_dims=(0, None))(fg.ones(2, 3))[1] is None
    assert F.vmap(lambda a: 3, out_dims=None)(fg.ones(2, 3)) == 3
    assert F.vmap(lambda a: a.sum(), out_dims=(0,))(fg.ones(2, 3)).tolist() == [3.0, 3.0]
    with pytest.raises(ValueError, match="`out_dims` must be an int, None or a python collection of ints"):
        F.vmap(lambda a: a, out_dims=1.5)(fg.ones(2, 3))


def test_functionalize_and_batch_norm_replacement():
    f = F.functionalize(lambda a: a.clone().add_(1) * 2)
    assert f(fg.ones(2)).tolist() == [4.0, 4.0]
    with pytest.raises(RuntimeError, match="received invalid argument for remove=x"):
        F.functionalize(lambda a: a, remove="x")
    net = fg.nn.Sequential(fg.nn.Linear(2, 3), fg.nn.BatchNorm1d(3))
    assert F.replace_all_batch_norm_modules_(net) is net
    bn = net[1]
    assert bn.running_mean is None and bn.running_var is None and not bn.track_running_stats
    assert net(fg.ones(4, 2)).shape == (4, 3)


def test_every_transform_works_under_no_grad():
    x, v = t(XS), t([1.0, 0.0, 1.0])
    with fg.no_grad():
        out, fn = F.vjp(lambda a: a.sin(), x)
        assert close(fn(v)[0], np.cos(XS) * np.array([1.0, 0.0, 1.0])) and not out.requires_grad
        assert close(F.jvp(lambda a: a.sin(), (x,), (v,))[1], np.cos(XS) * np.array([1.0, 0.0, 1.0]))
        assert close(F.jacrev(lambda a: a ** 2)(x), np.diag(2 * np.array(XS)))
        assert close(F.jacfwd(lambda a: a ** 2)(x), np.diag(2 * np.array(XS)))
        assert close(F.hessian(lambda a: (a ** 3).sum())(x), np.diag(6 * np.array(XS)))
        assert close(F.vmap(F.grad(lambda a: (a ** 2).sum()))(x.reshape(3, 1)), [[2.0], [4.0], [6.0]])
        _, jvp_fn = F.linearize(lambda a: a.exp(), x)
        assert close(jvp_fn(v), np.exp(XS) * np.array([1.0, 0.0, 1.0]))
        assert F.grad(F.grad(lambda a: a ** 3))(t(2.0)).item() == 12.0
    _, fn = F.vjp(lambda a: a.sin(), x)
    with fg.no_grad():
        assert close(fn(v)[0], np.cos(XS) * np.array([1.0, 0.0, 1.0]))


def test_jvp_tangent_dtype_follows_the_tangents():
    out, tan = F.jvp(lambda a: a ** 2, (fg.tensor([1.0, 2.0]),), (fg.ones(2, dtype=D),))
    assert out.dtype == fg.float32 and tan.dtype == D and tan.tolist() == [2.0, 4.0]


def test_vmap_random_streams_match_pytorch_for_small_draws():
    fg.manual_seed(0)
    different = F.vmap(lambda a: a + fg.rand(3), randomness="different")(fg.zeros(2, 3))
    assert np.allclose(different.tolist(), [[0.4963, 0.7682, 0.0885], [0.1320, 0.3074, 0.6341]], atol=1e-4)
    fg.manual_seed(0)
    same = F.vmap(lambda a: a + fg.rand(3), randomness="same")(fg.zeros(2, 3))
    assert np.allclose(same.tolist(), [[0.4963, 0.7682, 0.0885]] * 2, atol=1e-4)
    assert abs(fg.rand(1).item() - 0.1320) < 1e-4
    fg.manual_seed(0)
    dropped = F.vmap(lambda a: fg.nn.functional.dropout(a, 0.5), randomness="different")(fg.ones(2, 4))
    assert dropped.tolist() == [[0.0, 0.0, 2.0, 0.0], [0.0, 0.0, 2.0, 2.0]]


def test_transform_results_are_differentiable_by_autograd():
    a = t([0.5, -1.0, 2.0], requires_grad=True)
    assert fg.autograd.gradcheck(lambda v: F.grad(lambda b: (b.sin() * b).sum())(v), (a,))
    assert fg.autograd.gradcheck(lambda v: F.jacrev(lambda b: b.exp() * b.sum())(v), (a,))
    assert fg.autograd.gradcheck(lambda v: F.jvp(lambda b: b.tanh(), (v,), (fg.ones(3, dtype=D),))[1], (a,))
    assert fg.autograd.gradcheck(lambda v: F.vmap(lambda r: (r ** 2).sum())(v.reshape(3, 1)), (a,))
    assert fg.autograd.gradcheck(lambda v: F.vjp(lambda b: b.sin(), v)[1](fg.ones(3, dtype=D))[0], (a,))


def test_namedtuples_and_return_types_are_pytrees():
    from collections import namedtuple

    m = fg.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    best = F.vmap(lambda r: r.max(0))(m)
    assert type(best).__name__ == "max" and best.values.tolist() == [3.0, 5.0] and best.indices.tolist() == [0, 1]
    ordered = F.vmap(fg.sort)(m)
    assert ordered.values.tolist() == [[1.0, 2.0, 3.0], [0.0, 4.0, 5.0]]
    Pair = namedtuple("Pair", "a b")
    assert F.vmap(lambda p: p.a + p.b)(Pair(m, m)).tolist() == (2 * m).tolist()
    g = F.grad(lambda p: (p.a * p.b).sum())(Pair(m, 2 * m))
    assert isinstance(g, Pair) and g.a.tolist() == (2 * m).tolist() and g.b.tolist() == m.tolist()
