"""More torch.func behaviours, after functorch's test_eager_transforms."""

from autograd_scenarios import accepted, scenario, submodule


def _fn(m):
    return submodule(m, "func")


@scenario
def fe_grad_inplace_on_view(m):
    def f(x):
        y = x.clone()
        y[0].mul_(3)
        return y.sum()

    return _fn(m).grad(f)(m.tensor([1.0, 2.0]))


@scenario
def fe_grad_inplace_on_input(m):
    def f(x):
        x = x * 1
        x.sin_()
        return x.sum()

    return _fn(m).grad(f)(m.tensor([0.0, 1.0]))


@scenario
def fe_grad_of_vjp(m):
    def f(x):
        _, vjp_fn = _fn(m).vjp(m.sin, x)
        (g,) = vjp_fn(m.ones_like(x))
        return g.sum()

    return _fn(m).grad(f)(m.tensor([0.5, 1.0]))


@scenario
def fe_vjp_of_grad(m):
    out, vjp_fn = _fn(m).vjp(_fn(m).grad(lambda x: (x**3).sum()), m.tensor([1.0, 2.0]))
    return out, vjp_fn(m.ones(2))


@scenario
def fe_jvp_of_grad(m):
    return _fn(m).jvp(_fn(m).grad(lambda x: (x**3).sum()), (m.tensor([1.0, 2.0]),), (m.ones(2),))


@scenario
def fe_grad_of_jvp(m):
    def f(x):
        _, t_ = _fn(m).jvp(m.sin, (x,), (m.ones_like(x),))
        return t_.sum()

    return _fn(m).grad(f)(m.tensor([0.5, 1.0]))


@scenario
def fe_jacrev_of_jacrev(m):
    return _fn(m).jacrev(_fn(m).jacrev(lambda x: (x**3).sum()))(m.tensor([1.0, 2.0]))


@scenario
def fe_jacfwd_of_jacrev(m):
    return _fn(m).jacfwd(_fn(m).jacrev(lambda x: x.sin().sum()))(m.tensor([0.5, 1.0]))


@scenario
def fe_grad_argnums_tuple_with_kwargs(m):
    return _fn(m).grad(lambda x, y, *, s: (x * y * s).sum(), argnums=(0, 1))(m.tensor([1.0]), m.tensor([2.0]), s=3.0)


@scenario
def fe_grad_has_aux_nested_outputs(m):
    g, aux = _fn(m).grad(lambda x: (x.sum(), (x * 2, [x.exp()])), has_aux=True)(m.tensor([0.0, 1.0]))
    return g, aux


@scenario
def fe_grad_has_aux_output_not_tuple(m):
    _fn(m).grad(lambda x: x.sum(), has_aux=True)(m.tensor([0.0, 1.0]))


@scenario
def fe_grad_and_value_argnums(m):
    return _fn(m).grad_and_value(lambda x, y: (x * y).sum(), argnums=1)(m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0]))


@scenario
def fe_vjp_has_aux_wrong(m):
    _fn(m).vjp(lambda x: x, m.tensor([1.0]), has_aux=True)


@scenario
def fe_jvp_has_aux_wrong(m):
    _fn(m).jvp(lambda x: x, (m.tensor([1.0]),), (m.tensor([1.0]),), has_aux=True)


@scenario
def fe_jvp_non_tensor_primal(m):
    _fn(m).jvp(lambda x: x, (1.0,), (1.0,))


@scenario
def fe_jvp_primals_list(m):
    _fn(m).jvp(lambda x: x, [m.tensor([1.0])], [m.tensor([1.0])])


@scenario
def fe_vmap_kwarg_in_dims_wrong_type(m):
    _fn(m).vmap(lambda x: x, in_dims=[0])(m.ones(2))


@scenario
def fe_vmap_out_dims_wrong_length(m):
    _fn(m).vmap(lambda x: (x, x), out_dims=(0, 0, 0))(m.ones(2))


@scenario
def fe_vmap_out_dims_out_of_range(m):
    _fn(m).vmap(lambda x: x, out_dims=3)(m.ones(2, 2))


@scenario
def fe_vmap_nested_in_dims(m):
    f = _fn(m).vmap(_fn(m).vmap(lambda a, b: a * b, in_dims=(0, None)), in_dims=(None, 0))
    return f(m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0, 5.0]))


@scenario
def fe_vmap_tuple_in_dims_pytree(m):
    return _fn(m).vmap(lambda x, p: x + p[0] * p[1], in_dims=(0, (None, 0)))(
        m.ones(3, 2), (m.tensor([1.0, 2.0]), m.arange(6.0).view(3, 2)))


@scenario
@accepted("vmap runs the samples one at a time and stacks them: a batched result's grad_fn is StackBackward0")
def fe_vmap_grad_of_module(m):
    lin = m.nn.Linear(2, 1)
    with m.no_grad():
        lin.weight.copy_(m.tensor([[1.0, -1.0]]))
        lin.bias.zero_()
    params = dict(lin.named_parameters())

    def loss(p, x):
        return _fn(m).functional_call(lin, p, (x,)).pow(2).sum()

    grads = _fn(m).vmap(_fn(m).grad(loss), in_dims=(None, 0))(params, m.tensor([[1.0, 2.0], [3.0, 1.0]]))
    return {k: v for k, v in sorted(grads.items())}


@scenario
def fe_jacrev_chunk_size_values(m):
    return _fn(m).jacrev(lambda x: x.exp(), chunk_size=2)(m.tensor([0.0, 1.0, 2.0]))


@scenario
def fe_hessian_of_linear(m):
    return _fn(m).hessian(lambda x: (x * 3).sum())(m.tensor([1.0, 2.0]))


@scenario
def fe_grad_requires_grad_param_closure(m):
    w = m.tensor([2.0, 3.0], requires_grad=True)
    g = _fn(m).grad(lambda x: (x * w).sum())(m.tensor([1.0, 1.0]))
    return g, g.requires_grad, g.grad_fn is not None
