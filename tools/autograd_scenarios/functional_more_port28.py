"""autograd.functional vectorize/forward-mode agreement and more checks, after
PyTorch's test_functional (test_*_vectorize_correctness_*, test_*_err_check)."""

from autograd_scenarios import scenario


def _af(m):
    return m.autograd.functional


def _x(m, *shape, dtype=None):
    n = 1
    for s in shape:
        n *= s
    return (m.arange(float(n), dtype=dtype or m.float64).reshape(shape) / (n + 1) - 0.3)


def _three_ways(m, f, inputs, forward=True):
    af = _af(m)
    out = [af.jacobian(f, inputs), af.jacobian(f, inputs, vectorize=True)]
    if forward:
        out.append(af.jacobian(f, inputs, vectorize=True, strategy="forward-mode"))
    return out


@scenario
def afm_jac_vec_simple(m):
    return _three_ways(m, lambda x: 3 * x**2, _x(m, 2, 3))


@scenario
def afm_jac_vec_multi_input(m):
    return _three_ways(m, lambda x, y: (x.cos() * x) @ y.sin(), (_x(m, 2, 3), _x(m, 3, 2)))


@scenario
def afm_jac_vec_multi_input_multi_output(m):
    return _three_ways(m, lambda x, y: ((x * x) @ y, x @ (x.sum(1) * y), y.sum()), (_x(m, 2, 3), _x(m, 3, 2)))


@scenario
def afm_jac_vec_unrelated_outputs(m):
    return _three_ways(m, lambda x, y: (x, y, x, y), (_x(m, 2), _x(m, 3)))


@scenario
def afm_jac_vec_zero_dim_output(m):
    return _three_ways(m, lambda x, y: (x.sum(), y.sum(), x * y), (_x(m, 3), _x(m, 3) + 1))


@scenario
def afm_jac_vec_zero_dim_input(m):
    return _three_ways(m, lambda x: m.stack([x, x, x]), m.tensor(0.5, dtype=m.float64))


@scenario
def afm_jac_vec_mixed_zero_dim(m):
    return _three_ways(m, lambda x, y: (y.sum(), x * y), (m.tensor(0.5, dtype=m.float64), _x(m, 1)))


@scenario
def afm_jac_vec_different_dtype(m):
    out = _three_ways(m, lambda x, y: ((x * y).float(), (x * y).double()), (_x(m, 3), _x(m, 3) + 1), forward=False)
    fwd = _af(m).jacobian(lambda x, y: ((x * y).float(), (x * y).double()), (_x(m, 3), _x(m, 3) + 1),
                          vectorize=True, strategy="forward-mode")
    return out, [[j.dtype for j in row] for row in fwd]


@scenario
def afm_jac_create_graph_reducer(m):
    x = _x(m, 2, 2).requires_grad_()
    res = _af(m).jacobian(lambda a: a.exp().sum(dim=1), x, create_graph=True)
    return res.shape, res.grad_fn is not None, res.requires_grad


@scenario
def afm_jac_create_graph_vectorize_reducer(m):
    x = _x(m, 2, 2).requires_grad_()
    res = _af(m).jacobian(lambda a: a.exp().sum(dim=1), x, create_graph=True, vectorize=True)
    res.sum().backward()
    return res.shape, res.requires_grad, x.grad


@scenario
def afm_jac_nested_in_graph(m):
    x = _x(m, 2, 2).requires_grad_()
    y = (_x(m, 2, 2) + 0.5).requires_grad_()

    def add_exp_reducer(a, b):
        return (a + b).exp().sum(dim=1)

    xc = x.cos()
    val, jac = _af(m).jacobian(add_exp_reducer, (xc, y), create_graph=True), None
    res = val[0].exp().sum() + val[1].exp().sum() + xc.exp().sum()
    res.backward()
    return x.grad, y.grad, jac


@scenario
def afm_hess_vec_simple(m):
    af = _af(m)
    f = lambda x: (3 * x**2).sum()
    x = _x(m, 2, 3)
    return (af.hessian(f, x), af.hessian(f, x, vectorize=True),
            af.hessian(f, x, vectorize=True, outer_jacobian_strategy="forward-mode"))


@scenario
def afm_hess_vec_multi_input(m):
    af = _af(m)

    def f(x, y, z):
        return ((x.relu() * x) @ y.sin() @ z).sum()

    inp = (_x(m, 2, 3), _x(m, 3, 2), _x(m, 2, 2))
    return af.hessian(f, inp), af.hessian(f, inp, vectorize=True)


@scenario
def afm_hess_vec_unrelated_input(m):
    af = _af(m)
    inp = (_x(m, 2), _x(m, 3))
    f = lambda x, y: (x**2).sum()
    return af.hessian(f, inp), af.hessian(f, inp, vectorize=True)


@scenario
def afm_hess_vec_unrelated_all(m):
    af = _af(m)
    inp = (_x(m, 2), _x(m, 3))
    f = lambda x, y: m.ones([], dtype=m.float64)
    return af.hessian(f, inp), af.hessian(f, inp, vectorize=True)


@scenario
def afm_hess_err_one_elem_nonscalar_view(m):
    return _af(m).hessian(lambda x: x.sum().view(1, 1, 1), _x(m, 2, 2))


@scenario
def afm_hess_err_two_tensor_output(m):
    _af(m).hessian(lambda a: (3 * a.narrow(0, 0, 3), 3 * a.narrow(0, 0, 3)), _x(m, 4), vectorize=True)


@scenario
def afm_hess_err_nonscalar_vectorize(m):
    _af(m).hessian(lambda a: 3 * a.narrow(0, 0, 3), _x(m, 4), vectorize=True)


@scenario
def afm_hess_strict_bar_linear(m):
    _af(m).hessian(lambda a: (3 * a).sum(), _x(m, 4), strict=True)


@scenario
def afm_hess_strict_unconnected_message(m):
    _af(m).hessian(lambda a: a.long().float().requires_grad_().clone().sum(), _x(m, 4), strict=True)


@scenario
def afm_hess_two_inputs_narrow(m):
    return _af(m).hessian(lambda a, b: (3 * b.narrow(0, 0, 3) * a.narrow(0, 0, 3)).sum(), (_x(m, 4), _x(m, 5)))


@scenario
def afm_hess_under_no_grad_create_graph(m):
    x = _x(m, 2, 2)
    with m.no_grad():
        res = _af(m).hessian(lambda a: a.pow(3).sum(), x, create_graph=True)
    return res.grad_fn is not None, res.requires_grad


@scenario
def afm_hess_tuple_no_grad_fn(m):
    res = _af(m).hessian(lambda a, b: (a + b).pow(3).sum(), (_x(m, 2, 2), _x(m, 2, 2)), vectorize=True)
    return [[r.grad_fn for r in row] for row in res], [[tuple(r.shape) for r in row] for row in res]


@scenario
def afm_vhp_v_tuple_with_int(m):
    _af(m).vhp(lambda a: 3 * a.narrow(0, 0, 3).exp().sum(), _x(m, 4), (_x(m, 4), 2))


@scenario
def afm_hvp_v_tuple_with_int(m):
    _af(m).hvp(lambda a: 3 * a.narrow(0, 0, 3).exp().sum(), _x(m, 4), (_x(m, 4), 2))


@scenario
def afm_vjp_v_tuple_with_int(m):
    _af(m).vjp(lambda a: a * 2, _x(m, 4), (_x(m, 4), 2))


@scenario
def afm_jvp_v_tuple_with_int(m):
    _af(m).jvp(lambda a: a * 2, _x(m, 4), (_x(m, 4), 2))


@scenario
def afm_vhp_two_inputs(m):
    return _af(m).vhp(lambda a, b: (3 * b.narrow(0, 0, 3) * a.narrow(0, 0, 3)).sum(), (_x(m, 4), _x(m, 5)),
                      (_x(m, 4) + 1, _x(m, 5) + 1))


@scenario
def afm_jvp_output_structure_tuple_input(m):
    res = _af(m).jvp(lambda x, y: 2 * x + 3 * y, (_x(m, 2), _x(m, 2)), (m.ones(2, dtype=m.float64),
                                                                      m.ones(2, dtype=m.float64)))
    return res


@scenario
def afm_jvp_dtype_mismatch_v(m):
    return _af(m).jvp(lambda x: x * 2, _x(m, 2), m.ones(2))


@scenario
def afm_vjp_dtype_mismatch_v(m):
    return _af(m).vjp(lambda x: x * 2, _x(m, 2), m.ones(2))


@scenario
def afm_jacobian_int_output(m):
    return _af(m).jacobian(lambda x: (x * 2).long(), _x(m, 2))


@scenario
def afm_jacobian_complex_input(m):
    return _af(m).jacobian(lambda x: x * 2, m.tensor([1 + 1j, 2 - 1j]))


@scenario
def afm_jacobian_vectorize_complex(m):
    return _af(m).jacobian(lambda x: x * 2, m.tensor([1 + 1j, 2 - 1j]), vectorize=True)
