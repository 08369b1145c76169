"""torch.func transforms: grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, vmap."""

import warnings

from autograd_scenarios import scenario, submodule


def _x(m):
    return m.tensor([1.0, 2.0])


def _s(x):
    return (x**3).sum()


def _f(x):
    return x**2 * x.sum()


@scenario
def func_grad(m):
    return submodule(m, "func").grad(_s)(_x(m))


@scenario
def func_grad_argnums(m):
    return submodule(m, "func").grad(lambda a, b: (a * b).sum(), argnums=(0, 1))(_x(m), _x(m) * 3)


@scenario
def func_grad_has_aux(m):
    return submodule(m, "func").grad(lambda x: (_s(x), x * 2), has_aux=True)(_x(m))


@scenario
def func_grad_nonscalar_error(m):
    submodule(m, "func").grad(_f)(_x(m))


@scenario
def func_grad_bad_argnums(m):
    submodule(m, "func").grad(_s, argnums=2)(_x(m))


@scenario
def func_grad_and_value(m):
    return submodule(m, "func").grad_and_value(_s)(_x(m))


@scenario
def func_grad_of_grad(m):
    fn = submodule(m, "func")
    return fn.grad(lambda x: fn.grad(lambda y: (y**3).sum())(x).sum())(_x(m))


@scenario
def func_grad_int_input(m):
    submodule(m, "func").grad(_s)(m.tensor([1, 2]))


@scenario
def func_grad_aux_not_tuple(m):
    submodule(m, "func").grad(_s, has_aux=True)(_x(m))


@scenario
def func_vjp(m):
    out, fn = submodule(m, "func").vjp(_f, _x(m))
    return out, fn(m.tensor([1.0, 0.0]))


@scenario
def func_vjp_wrong_cotangent_shape(m):
    _out, fn = submodule(m, "func").vjp(_f, _x(m))
    fn(m.ones(3))


@scenario
def func_jvp(m):
    return submodule(m, "func").jvp(_f, (_x(m),), (m.tensor([1.0, 0.0]),))


@scenario
def func_jvp_primals_not_tuple(m):
    submodule(m, "func").jvp(_f, _x(m), m.tensor([1.0, 0.0]))


@scenario
def func_jacrev(m):
    return submodule(m, "func").jacrev(_f)(_x(m))


@scenario
def func_jacfwd(m):
    return submodule(m, "func").jacfwd(_f)(_x(m))


@scenario
def func_jacrev_argnums_tuple(m):
    return submodule(m, "func").jacrev(lambda a, b: a * b, argnums=(0, 1))(_x(m), _x(m))


@scenario
def func_hessian(m):
    return submodule(m, "func").hessian(_s)(_x(m))


@scenario
def func_vmap(m):
    return submodule(m, "func").vmap(lambda r: r.sum())(m.tensor([[1.0, 2.0], [3.0, 4.0]]))


@scenario
def func_vmap_in_dims(m):
    return submodule(m, "func").vmap(lambda a, b: a * b, in_dims=(1, None))(
        m.tensor([[1.0, 2.0], [3.0, 4.0]]), m.tensor(10.0))


@scenario
def func_vmap_size_mismatch(m):
    submodule(m, "func").vmap(lambda a, b: a + b)(m.ones(2, 3), m.ones(3, 3))


@scenario
def func_vmap_of_grad(m):
    fn = submodule(m, "func")
    return fn.vmap(fn.grad(_s))(m.tensor([[1.0, 2.0], [3.0, 4.0]]))


@scenario
def func_vmap_item_error(m):
    submodule(m, "func").vmap(lambda r: r.sum().item())(m.ones(2, 2))


@scenario
def func_grad_item_error(m):
    submodule(m, "func").grad(lambda x: x.sum() * x.sum().item())(_x(m))


@scenario
def func_functional_call(m):
    lin = m.nn.Linear(2, 1)
    params = {"weight": m.tensor([[1.0, 2.0]]), "bias": m.tensor([0.5])}
    return submodule(m, "func").functional_call(lin, params, (m.tensor([[3.0, 4.0]]),))


@scenario
def func_grad_of_functional_call(m):
    fn = submodule(m, "func")
    lin = m.nn.Linear(2, 1)
    params = {"weight": m.tensor([[1.0, 2.0]]), "bias": m.tensor([0.5])}
    x = m.tensor([[3.0, 4.0]])
    return fn.grad(lambda p: fn.functional_call(lin, p, (x,)).sum())(params)


@scenario
def func_linearize(m):
    with warnings.catch_warnings():  # torch's tracing warns about its own graph
        warnings.simplefilter("ignore")
        out, jfn = submodule(m, "func").linearize(_f, _x(m))
    return out, jfn(m.tensor([1.0, 0.0]))
