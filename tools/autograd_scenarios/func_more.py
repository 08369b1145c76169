"""More torch.func options and errors, and nn.Module backward hooks."""

from autograd_scenarios import scenario, submodule


def _x(m):
    return m.tensor([1.0, 2.0])


@scenario
def func_vjp_has_aux(m):
    out, fn, aux = submodule(m, "func").vjp(lambda x: (x * 2, x.sum()), _x(m), has_aux=True)
    return out, fn(m.ones(2)), aux


@scenario
def func_jacrev_has_aux(m):
    return submodule(m, "func").jacrev(lambda x: (x * x, x.sum()), has_aux=True)(_x(m))


@scenario
def func_jacrev_chunk_size(m):
    return submodule(m, "func").jacrev(lambda x: x * x, chunk_size=1)(_x(m))


@scenario
def func_jacrev_chunk_size_zero(m):
    submodule(m, "func").jacrev(lambda x: x * x, chunk_size=0)(_x(m))


@scenario
def func_jacfwd_randomness_error(m):
    submodule(m, "func").jacfwd(lambda x: x * m.rand(2))(_x(m))


@scenario
def func_vmap_out_dims(m):
    return submodule(m, "func").vmap(lambda r: r * 2, out_dims=1)(m.tensor([[1.0, 2.0], [3.0, 4.0]]))


@scenario
def func_vmap_randomness_error(m):
    submodule(m, "func").vmap(lambda r: r + m.rand(2))(m.ones(3, 2))


@scenario
def func_vmap_randomness_same(m):
    m.manual_seed(0)
    out = submodule(m, "func").vmap(lambda r: r * 0 + m.rand(()), randomness="same")(m.ones(3))
    return bool((out == out[0]).all())


@scenario
def func_vmap_in_dims_wrong_length(m):
    submodule(m, "func").vmap(lambda a, b: a + b, in_dims=(0,))(m.ones(2), m.ones(2))


@scenario
def func_vmap_no_tensor_inputs(m):
    submodule(m, "func").vmap(lambda a: a)(3)


@scenario
def func_vmap_nested(m):
    fn = submodule(m, "func")
    return fn.vmap(fn.vmap(lambda a: a.sum()))(m.ones(2, 3, 4))


@scenario
def func_vmap_chunk_size(m):
    return submodule(m, "func").vmap(lambda r: r.sum(), chunk_size=1)(m.ones(3, 2))


@scenario
def func_grad_returns_non_tensor(m):
    submodule(m, "func").grad(lambda x: 3.0)(_x(m))


@scenario
def func_grad_int_output(m):
    submodule(m, "func").grad(lambda x: x.sum().long())(_x(m))


@scenario
def func_grad_argnums_negative(m):
    return submodule(m, "func").grad(lambda a, b: (a * b).sum(), argnums=-1)(_x(m), _x(m) * 5)


@scenario
def func_jvp_wrong_tangent_shape(m):
    submodule(m, "func").jvp(lambda x: x * 2, (_x(m),), (m.ones(3),))


@scenario
def func_jvp_has_aux(m):
    return submodule(m, "func").jvp(lambda x: (x * 2, x.sum()), (_x(m),), (m.ones(2),),
                                    has_aux=True)


@scenario
def func_hessian_of_nonscalar(m):
    return submodule(m, "func").hessian(lambda x: x * x)(_x(m))


@scenario
def func_grad_under_no_grad(m):
    with m.no_grad():
        return submodule(m, "func").grad(lambda x: (x * x).sum())(_x(m))


@scenario
def func_grad_of_requires_grad_input(m):
    x = _x(m).requires_grad_()
    g = submodule(m, "func").grad(lambda x: (x * x).sum())(x)
    return g.requires_grad, g


@scenario
def module_full_backward_hook(m):
    lin = m.nn.Linear(2, 1)
    with m.no_grad():
        lin.weight.copy_(m.tensor([[1.0, 2.0]]))
        lin.bias.zero_()
    seen = []
    lin.register_full_backward_hook(lambda mod, gi, go: seen.append((gi, go)))
    lin(m.tensor([[3.0, 4.0]], requires_grad=True)).sum().backward()
    return seen


@scenario
def module_full_backward_pre_hook(m):
    lin = m.nn.Linear(2, 1)
    seen = []
    lin.register_full_backward_pre_hook(lambda mod, go: seen.append(go))
    lin(m.tensor([[3.0, 4.0]])).sum().backward()
    return seen


@scenario
def module_full_backward_hook_replaces(m):
    lin = m.nn.Linear(2, 1)
    with m.no_grad():
        lin.weight.copy_(m.tensor([[1.0, 2.0]]))
    lin.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 0,))
    x = m.tensor([[3.0, 4.0]], requires_grad=True)
    lin(x).sum().backward()
    return x.grad


@scenario
def module_backward_hook_inplace_error(m):
    relu = m.nn.ReLU(inplace=True)
    relu.register_full_backward_hook(lambda mod, gi, go: None)
    x = m.tensor([[3.0, -4.0]], requires_grad=True)
    relu(x * 1).sum().backward()
    return x.grad


@scenario
def module_legacy_backward_hook_warning(m):
    lin = m.nn.Linear(2, 1)
    lin.register_backward_hook(lambda mod, gi, go: None)
    lin(m.tensor([[3.0, 4.0]])).sum().backward()
    return lin.bias.grad


@scenario
def tensor_hook_on_param(m):
    lin = m.nn.Linear(2, 1)
    lin.weight.register_hook(lambda g: g * 0)
    lin(m.tensor([[3.0, 4.0]])).sum().backward()
    return lin.weight.grad, lin.bias.grad
