"""autograd.functional argument checks and outputs, after PyTorch's test_functional."""

from autograd_scenarios import limitation, scenario


def _af(m):
    return m.autograd.functional


def _narrow3(a):
    return 3 * a.narrow(0, 0, 3)


def _in4(m):
    return m.tensor([0.5, 1.0, 1.5, 2.0])


def _struct(r):
    # what the tests compare: the nesting, the shapes, and whether a graph is attached
    if isinstance(r, tuple):
        return tuple(_struct(e) for e in r)
    return (tuple(r.shape), r.grad_fn is not None, r.requires_grad, str(r.dtype))


@scenario
def af_vjp_inputs_not_tensor(m):
    _af(m).vjp(_narrow3, (_in4(m), 2), m.ones(3))


@scenario
def af_vjp_outputs_not_tensor(m):
    _af(m).vjp(lambda a: (_narrow3(a), "bar"), _in4(m), m.ones(3))


@scenario
def af_vjp_v_none_nonscalar(m):
    _af(m).vjp(_narrow3, _in4(m))


@scenario
def af_vjp_v_two_tensors(m):
    x = _in4(m)
    _af(m).vjp(_narrow3, x, (m.ones_like(x), m.ones_like(x)))


@scenario
def af_vjp_v_wrong_size(m):
    _af(m).vjp(_narrow3, _in4(m), m.ones(2))


@scenario
def af_vjp_ok_values(m):
    return _af(m).vjp(_narrow3, _in4(m), m.ones(3))


@scenario
def af_vjp_strict_detached_output(m):
    _af(m).vjp(lambda a: a.detach(), _in4(m), m.ones(4), strict=True)


@scenario
def af_vjp_nonstrict_detached_output(m):
    return _af(m).vjp(lambda a: a.detach(), _in4(m), m.ones(4), strict=False)


@scenario
def af_vjp_strict_unconnected_requires_grad(m):
    _af(m).vjp(lambda a: a.long().float().requires_grad_().clone(), _in4(m), m.ones(4), strict=True)


@scenario
def af_vjp_nonstrict_unconnected_requires_grad(m):
    return _af(m).vjp(lambda a: a.long().float().requires_grad_().clone(), _in4(m), m.ones(4))


@scenario
def af_vjp_strict_create_graph_independent_jacobian(m):
    x = _in4(m).requires_grad_()
    _af(m).vjp(lambda a: a.clone(), x, m.ones(4), create_graph=True, strict=True)


@scenario
def af_vjp_nonstrict_create_graph_clone(m):
    x = _in4(m).requires_grad_()
    out = _af(m).vjp(lambda a: a.clone(), x, m.ones(4), create_graph=True)
    return out, _struct(out)


@scenario
def af_vjp_under_no_grad(m):
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]])
    with m.no_grad():
        res = _af(m).vjp(lambda a: a.sum(dim=1), x, m.ones(2))
    return res, _struct(res)


@scenario
def af_vjp_under_no_grad_create_graph(m):
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    v = m.ones(2, requires_grad=True)
    with m.no_grad():
        res = _af(m).vjp(lambda a: a.sum(dim=1), x, v, create_graph=True)
    return _struct(res)


@scenario
def af_vjp_tuple_inputs_outputs(m):
    res = _af(m).vjp(lambda x, y: (2 * x + 3 * y, x + y), (m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0])),
                     (m.tensor([1.0, 0.0]), m.tensor([1.0, 0.0])))
    return res, _struct(res)


@scenario
def af_vjp_scalar_expander(m):
    return _af(m).vjp(lambda x: x.unsqueeze(0).repeat(4), m.tensor(2.0), m.ones(4))


@scenario
def af_vjp_scalar_v_default(m):
    return _af(m).vjp(lambda x: x.sum(), m.tensor([[1.0, 2.0], [3.0, 4.0]]))


@scenario
def af_vjp_list_inputs(m):
    res = _af(m).vjp(lambda x, y: x * y, [m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0])], m.ones(2))
    return res, type(res[1]).__name__


@scenario
def af_vjp_create_graph_grad_fn(m):
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=m.double, requires_grad=True)
    v = m.ones(2, dtype=m.double, requires_grad=True)
    res = _af(m).vjp(lambda a: a.sum(dim=1), x, v, create_graph=True)
    return res, res[1].grad_fn.name()


@scenario
def af_jvp_inputs_not_tensor(m):
    _af(m).jvp(lambda a: 3 * a.narrow(0, 0, 3), (_in4(m), 2), m.ones(4))


@scenario
def af_jvp_outputs_not_tensor(m):
    _af(m).jvp(lambda a: (3 * a.narrow(0, 0, 3), "bar"), _in4(m), m.ones(4))


@scenario
def af_jvp_v_none_nonscalar(m):
    _af(m).jvp(_narrow3, _in4(m))


@scenario
def af_jvp_v_two_tensors(m):
    x = _in4(m)
    _af(m).jvp(_narrow3, x, (x, x))


@scenario
def af_jvp_v_wrong_size(m):
    _af(m).jvp(_narrow3, _in4(m), m.ones(3))


@scenario
def af_jvp_ok_values(m):
    return _af(m).jvp(_narrow3, _in4(m), m.ones(4))


@scenario
def af_jvp_strict_detached_output(m):
    _af(m).jvp(lambda a: a.detach(), _in4(m), m.ones(4), strict=True)


@scenario
def af_jvp_nonstrict_detached_output(m):
    return _af(m).jvp(lambda a: a.detach(), _in4(m), m.ones(4))


@scenario
def af_jvp_strict_unconnected(m):
    _af(m).jvp(lambda a: a.long().float().requires_grad_().clone(), _in4(m), m.ones(4), strict=True)


@scenario
def af_jvp_strict_create_graph_independent_jacobian(m):
    x = _in4(m).requires_grad_()
    _af(m).jvp(lambda a: a.clone(), x, m.ones(4), create_graph=True, strict=True)


@scenario
def af_jvp_nonstrict_create_graph_clone(m):
    x = _in4(m).requires_grad_()
    res = _af(m).jvp(lambda a: a.clone(), x, m.ones(4), create_graph=True)
    return res, _struct(res)


@scenario
def af_jvp_under_no_grad(m):
    with m.no_grad():
        res = _af(m).jvp(lambda a: a.sum(dim=1), m.tensor([[1.0, 2.0], [3.0, 4.0]]), m.ones(2, 2))
    return res, _struct(res)


@scenario
def af_jvp_tuple_outputs(m):
    res = _af(m).jvp(lambda x, y: (2 * x + 3 * y, x * y), (m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0])),
                     (m.ones(2), m.tensor([0.0, 1.0])))
    return res, _struct(res)


@scenario
def af_jvp_scalar_input_no_v(m):
    return _af(m).jvp(lambda x: x * 2, m.tensor(3.0))


@scenario
def af_jvp_create_graph_values(m):
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=m.double, requires_grad=True)
    v = m.ones(2, 2, dtype=m.double, requires_grad=True)
    res = _af(m).jvp(lambda a: (a * a).sum(dim=1), x, v, create_graph=True)
    return res, _struct(res)


@scenario
def af_jacobian_inputs_not_tensor(m):
    _af(m).jacobian(_narrow3, (_in4(m), 2))


@scenario
def af_jacobian_outputs_not_tensor(m):
    _af(m).jacobian(lambda a: (_narrow3(a), "bar"), _in4(m))


@scenario
def af_jacobian_values_narrow(m):
    return _af(m).jacobian(_narrow3, _in4(m))


@scenario
def af_jacobian_strict_detached(m):
    _af(m).jacobian(lambda a: a.detach(), _in4(m), strict=True)


@scenario
def af_jacobian_nonstrict_detached(m):
    return _af(m).jacobian(lambda a: a.detach(), _in4(m))


@scenario
def af_jacobian_strict_unconnected(m):
    _af(m).jacobian(lambda a: a.long().float().requires_grad_().clone(), _in4(m), strict=True)


@scenario
def af_jacobian_strict_create_graph_independent(m):
    _af(m).jacobian(lambda a: a.clone(), _in4(m).requires_grad_(), create_graph=True, strict=True)


@scenario
def af_jacobian_nonstrict_create_graph_clone(m):
    res = _af(m).jacobian(lambda a: a.clone(), _in4(m).requires_grad_(), create_graph=True)
    return res, _struct(res)


@scenario
def af_jacobian_tuple_in_tuple_out(m):
    res = _af(m).jacobian(lambda x, y: (2 * x + 3 * y, x * y), (m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0])))
    return res, _struct(res)


@scenario
def af_jacobian_tensor_in_tuple_out(m):
    res = _af(m).jacobian(lambda x: (x.exp(), x.sum()), m.tensor([0.0, 1.0]))
    return res, _struct(res)


@scenario
def af_jacobian_scalar_in_scalar_out(m):
    return _af(m).jacobian(lambda x: x * 3, m.tensor(2.0))


@scenario
def af_jacobian_scalar_in_vector_out(m):
    return _af(m).jacobian(lambda x: x.unsqueeze(0).repeat(3) * m.tensor([1.0, 2.0, 3.0]), m.tensor(2.0))


@scenario
def af_jacobian_2d_input(m):
    return _af(m).jacobian(lambda x: x.sum(dim=0), m.tensor([[1.0, 2.0], [3.0, 4.0]]))


@scenario
def af_jacobian_under_no_grad(m):
    x = m.tensor([1.0, 2.0])
    with m.no_grad():
        res = _af(m).jacobian(lambda a: a.exp(), x)
    return res, _struct(res)


@scenario
def af_jacobian_under_no_grad_create_graph(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    with m.no_grad():
        res = _af(m).jacobian(lambda a: a.exp(), x, create_graph=True)
    return _struct(res)


@scenario
def af_jacobian_vectorize_tuple(m):
    return _af(m).jacobian(lambda x, y: (x * y, x + y), (m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0])),
                           vectorize=True)


@scenario
def af_jacobian_forward_mode_tuple(m):
    return _af(m).jacobian(lambda x, y: (x * y, (x + y).sum()), (m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0])),
                           vectorize=True, strategy="forward-mode")


@scenario
def af_jacobian_forward_mode_create_graph(m):
    _af(m).jacobian(lambda x: x * 2, m.tensor([1.0, 2.0]), vectorize=True, strategy="forward-mode",
                    create_graph=True)


@scenario
def af_jacobian_vectorize_unrelated_output(m):
    return _af(m).jacobian(lambda x, y: x * 2, (m.tensor([1.0, 2.0]), m.tensor([3.0])), vectorize=True)


@scenario
def af_jacobian_vectorize_create_graph(m):
    res = _af(m).jacobian(lambda x: x.exp(), m.tensor([0.0, 1.0], requires_grad=True), vectorize=True,
                          create_graph=True)
    return res, _struct(res)


@scenario
def af_jacobian_vectorize_no_warning(m):
    return _af(m).jacobian(lambda a: (a**2).sum(), m.tensor([1.0, 2.0, 3.0]), vectorize=True)


@scenario
def af_hessian_vectorize_no_warning(m):
    return _af(m).hessian(lambda a: (a**2).sum(), m.tensor([1.0, 2.0, 3.0]), vectorize=True)


@scenario
def af_hessian_inputs_not_tensor(m):
    _af(m).hessian(lambda a: 3 * a.narrow(0, 0, 3).sum(), (_in4(m), 2))


@scenario
def af_hessian_outputs_not_tensor(m):
    _af(m).hessian(lambda a: (3 * a.narrow(0, 0, 3).sum(), "bar"), _in4(m))


@scenario
def af_hessian_two_outputs(m):
    _af(m).hessian(lambda a: (a.sum(), a.sum()), _in4(m))


@scenario
def af_hessian_nonscalar_output(m):
    _af(m).hessian(lambda a: 3 * a.narrow(0, 0, 3), _in4(m))


@scenario
def af_hessian_values(m):
    return _af(m).hessian(lambda a: 3 * a.narrow(0, 0, 3).pow(3).sum(), _in4(m))


@scenario
def af_hessian_strict_detached(m):
    _af(m).hessian(lambda a: a.detach().sum(), _in4(m), strict=True)


@scenario
def af_hessian_strict_unconnected(m):
    _af(m).hessian(lambda a: a.long().float().requires_grad_().clone().sum(), _in4(m), strict=True)


@scenario
def af_hessian_strict_linear(m):
    _af(m).hessian(lambda a: a.sum(), _in4(m), strict=True)


@scenario
def af_hessian_nonstrict_linear(m):
    return _af(m).hessian(lambda a: a.sum(), _in4(m))


@scenario
def af_hessian_strict_vectorize(m):
    _af(m).hessian(lambda a: (a**2).sum(), _in4(m), strict=True, vectorize=True)


@scenario
def af_hessian_bad_outer_strategy(m):
    _af(m).hessian(lambda a: (a**2).sum(), _in4(m), outer_jacobian_strategy="sideways")


@scenario
def af_hessian_forward_outer_no_vectorize(m):
    _af(m).hessian(lambda a: (a**2).sum(), _in4(m), outer_jacobian_strategy="forward-mode")


@scenario
def af_hessian_tuple_inputs(m):
    res = _af(m).hessian(lambda x, y: (x * y.exp()).sum(), (m.tensor([1.0, 2.0]), m.tensor([0.0, 1.0])))
    return res, _struct(res)


@scenario
def af_hessian_scalar_input(m):
    return _af(m).hessian(lambda x: x**3, m.tensor(2.0))


@scenario
def af_hessian_output_scalar_1elem(m):
    return _af(m).hessian(lambda x: (x**3).sum().view(1), m.tensor([1.0, 2.0]))


@scenario
def af_hessian_create_graph(m):
    res = _af(m).hessian(lambda x: (x**3).sum(), m.tensor([1.0, 2.0], requires_grad=True), create_graph=True)
    return res, _struct(res)


@scenario
def af_hessian_under_no_grad(m):
    with m.no_grad():
        res = _af(m).hessian(lambda x: (x**3).sum(), m.tensor([1.0, 2.0]))
    return res, _struct(res)


@scenario
def af_hessian_vectorize_tuple(m):
    return _af(m).hessian(lambda x, y: (x * y.exp()).sum(), (m.tensor([1.0, 2.0]), m.tensor([0.0, 1.0])),
                          vectorize=True)


@scenario
def af_hessian_forward_outer_tuple(m):
    return _af(m).hessian(lambda x, y: (x * y.exp()).sum(), (m.tensor([1.0, 2.0]), m.tensor([0.0, 1.0])),
                          vectorize=True, outer_jacobian_strategy="forward-mode")


def _cubesum(a):
    return 3 * a.narrow(0, 0, 3).pow(3).sum()


@scenario
def af_vhp_inputs_not_tensor(m):
    _af(m).vhp(_cubesum, (_in4(m), 2), m.ones(4))


@scenario
def af_vhp_outputs_not_tensor(m):
    _af(m).vhp(lambda a: (_cubesum(a), "bar"), _in4(m), m.ones(4))


@scenario
def af_vhp_two_outputs(m):
    _af(m).vhp(lambda a: (_cubesum(a), _cubesum(a)), _in4(m), m.ones(4))


@scenario
def af_vhp_nonscalar_output(m):
    _af(m).vhp(_narrow3, _in4(m), m.ones(4))


@scenario
def af_vhp_v_wrong_size(m):
    _af(m).vhp(_cubesum, _in4(m), m.ones(3))


@scenario
def af_vhp_v_none_nonscalar_input(m):
    _af(m).vhp(_cubesum, _in4(m))


@scenario
def af_vhp_v_two_tensors(m):
    _af(m).vhp(_cubesum, _in4(m), (m.ones(4), m.ones(4)))


@scenario
def af_vhp_ok(m):
    return _af(m).vhp(_cubesum, _in4(m), m.ones(4))


@scenario
def af_vhp_strict_detached(m):
    _af(m).vhp(lambda a: a.detach().sum(), _in4(m), m.ones(4), strict=True)


@scenario
def af_vhp_nonstrict_detached(m):
    return _af(m).vhp(lambda a: a.detach().sum(), _in4(m), m.ones(4))


@scenario
def af_vhp_strict_unconnected(m):
    _af(m).vhp(lambda a: a.long().float().requires_grad_().clone().sum(), _in4(m), m.ones(4), strict=True)


@scenario
def af_vhp_strict_linear(m):
    _af(m).vhp(lambda a: a.sum(), _in4(m), m.ones(4), strict=True)


@scenario
def af_vhp_nonstrict_linear(m):
    return _af(m).vhp(lambda a: a.sum(), _in4(m), m.ones(4))


@scenario
def af_vhp_scalar_input(m):
    return _af(m).vhp(lambda x: x**3, m.tensor(2.0))


@scenario
def af_vhp_tuple(m):
    res = _af(m).vhp(lambda x, y: (x * y.exp()).sum(), (m.tensor([1.0, 2.0]), m.tensor([0.0, 1.0])),
                     (m.ones(2), m.tensor([1.0, 0.0])))
    return res, _struct(res)


@scenario
def af_vhp_under_no_grad(m):
    with m.no_grad():
        res = _af(m).vhp(lambda x: (x**3).sum(), m.tensor([1.0, 2.0]), m.ones(2))
    return res, _struct(res)


@scenario
def af_hvp_inputs_not_tensor(m):
    _af(m).hvp(_cubesum, (_in4(m), 2), m.ones(4))


@scenario
def af_hvp_outputs_not_tensor(m):
    _af(m).hvp(lambda a: (_cubesum(a), "bar"), _in4(m), m.ones(4))


@scenario
def af_hvp_two_outputs(m):
    _af(m).hvp(lambda a: (_cubesum(a), _cubesum(a)), _in4(m), m.ones(4))


@scenario
def af_hvp_v_wrong_size(m):
    _af(m).hvp(_cubesum, _in4(m), m.ones(3))


@scenario
def af_hvp_v_none(m):
    _af(m).hvp(_cubesum, _in4(m))


@scenario
@limitation("the core's AsStridedScatterBackward0 (the gradient of a slice) gives its own gradient "
            "as a raw view, not recorded, so hvp's double-backward trick loses v and gives zeros")
def af_hvp_ok(m):
    return _af(m).hvp(_cubesum, _in4(m), m.ones(4))


@scenario
def af_hvp_strict_detached(m):
    _af(m).hvp(lambda a: a.detach().sum(), _in4(m), m.ones(4), strict=True)


@scenario
def af_hvp_strict_unconnected(m):
    _af(m).hvp(lambda a: a.long().float().requires_grad_().clone().sum(), _in4(m), m.ones(4), strict=True)


@scenario
def af_hvp_nonstrict_linear(m):
    return _af(m).hvp(lambda a: a.sum(), _in4(m), m.ones(4))


@scenario
def af_hvp_tuple(m):
    res = _af(m).hvp(lambda x, y: (x * y.exp()).sum(), (m.tensor([1.0, 2.0]), m.tensor([0.0, 1.0])),
                     (m.ones(2), m.tensor([1.0, 0.0])))
    return res, _struct(res)


@scenario
def af_hvp_create_graph(m):
    x = m.tensor([1.0, 2.0], dtype=m.double, requires_grad=True)
    v = m.ones(2, dtype=m.double, requires_grad=True)
    res = _af(m).hvp(lambda a: (a**3).sum(), x, v, create_graph=True)
    return res, _struct(res)


@scenario
def af_hvp_scalar_input(m):
    return _af(m).hvp(lambda x: x**3, m.tensor(2.0))


@scenario
def af_jacobian_output_requires_grad_not_input(m):
    w = m.tensor([2.0], requires_grad=True)
    res = _af(m).jacobian(lambda x: x * w, m.tensor([1.0, 3.0]))
    return res, _struct(res), w.grad
