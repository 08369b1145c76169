"""autograd.functional: jacobian, hessian, vjp, jvp, hvp, vhp and their options."""

from autograd_scenarios import scenario


def _x(m):
    return m.tensor([1.0, 2.0])


def _f(x):
    return x**2 * x.sum()


def _s(x):
    return (x**3).sum()


@scenario
def af_jacobian_tuple_inputs(m):
    return m.autograd.functional.jacobian(lambda a, b: a * b, (_x(m), m.tensor([3.0, 4.0])))


@scenario
def af_jacobian_create_graph(m):
    j = m.autograd.functional.jacobian(_f, _x(m).requires_grad_(), create_graph=True)
    return j.requires_grad, j


@scenario
def af_jacobian_strict_independent(m):
    m.autograd.functional.jacobian(lambda x: m.ones(2), _x(m), strict=True)


@scenario
def af_jacobian_nonstrict_independent(m):
    return m.autograd.functional.jacobian(lambda x: m.ones(2), _x(m))


@scenario
def af_jacobian_vectorize(m):
    return m.autograd.functional.jacobian(_f, _x(m), vectorize=True)


@scenario
def af_jacobian_forward_mode(m):
    return m.autograd.functional.jacobian(_f, _x(m), vectorize=True, strategy="forward-mode")


@scenario
def af_jacobian_forward_mode_needs_vectorize(m):
    m.autograd.functional.jacobian(_f, _x(m), strategy="forward-mode")


@scenario
def af_jacobian_bad_strategy(m):
    m.autograd.functional.jacobian(_f, _x(m), strategy="sideways")


@scenario
def af_jacobian_strict_vectorize_error(m):
    m.autograd.functional.jacobian(_f, _x(m), strict=True, vectorize=True)


@scenario
def af_jacobian_non_tensor_output(m):
    m.autograd.functional.jacobian(lambda x: 3.0, _x(m))


@scenario
def af_jacobian_non_tensor_input(m):
    m.autograd.functional.jacobian(_f, [1.0, 2.0])


@scenario
def af_jacobian_multi_output(m):
    return m.autograd.functional.jacobian(lambda x: (x * 2, x.sum()), _x(m))


@scenario
def af_hessian(m):
    return m.autograd.functional.hessian(_s, _x(m))


@scenario
def af_hessian_nonscalar_error(m):
    m.autograd.functional.hessian(lambda x: x * x, _x(m))


@scenario
def af_hessian_tuple(m):
    return m.autograd.functional.hessian(lambda a, b: (a * b).sum(), (_x(m), m.tensor([3.0, 4.0])))


@scenario
def af_hessian_outer_jacobian_strategy(m):
    return m.autograd.functional.hessian(_s, _x(m), vectorize=True,
                                         outer_jacobian_strategy="forward-mode")


@scenario
def af_vjp(m):
    return m.autograd.functional.vjp(_f, _x(m), m.tensor([1.0, 0.0]))


@scenario
def af_vjp_scalar_no_v(m):
    return m.autograd.functional.vjp(_s, _x(m))


@scenario
def af_vjp_nonscalar_no_v(m):
    m.autograd.functional.vjp(_f, _x(m))


@scenario
def af_vjp_v_wrong_shape(m):
    m.autograd.functional.vjp(_f, _x(m), m.ones(3))


@scenario
def af_vjp_strict(m):
    m.autograd.functional.vjp(lambda x: m.ones(2), _x(m), m.ones(2), strict=True)


@scenario
def af_vjp_create_graph(m):
    out, g = m.autograd.functional.vjp(_f, _x(m).requires_grad_(), m.ones(2), create_graph=True)
    return out.requires_grad, g.requires_grad, g


@scenario
def af_jvp(m):
    return m.autograd.functional.jvp(_f, _x(m), m.tensor([1.0, 0.0]))


@scenario
def af_jvp_no_v_nonscalar_input(m):
    m.autograd.functional.jvp(_f, _x(m))


@scenario
def af_jvp_strict(m):
    m.autograd.functional.jvp(lambda x: m.ones(2), _x(m), m.ones(2), strict=True)


@scenario
def af_hvp(m):
    return m.autograd.functional.hvp(_s, _x(m), m.tensor([1.0, 1.0]))


@scenario
def af_vhp(m):
    return m.autograd.functional.vhp(_s, _x(m), m.tensor([1.0, 1.0]))


@scenario
def af_hvp_nonscalar_error(m):
    m.autograd.functional.hvp(_f, _x(m), m.ones(2))


@scenario
def af_vhp_create_graph(m):
    out, h = m.autograd.functional.vhp(_s, _x(m).requires_grad_(), m.ones(2), create_graph=True)
    return out.requires_grad, h.requires_grad, h


@scenario
def af_hvp_strict_linear(m):
    m.autograd.functional.hvp(lambda x: x.sum(), _x(m), m.ones(2), strict=True)


@scenario
def af_hvp_linear_nonstrict(m):
    return m.autograd.functional.hvp(lambda x: x.sum(), _x(m), m.ones(2))


@scenario
def af_jacobian_int_input(m):
    m.autograd.functional.jacobian(lambda x: x * 2, m.tensor([1, 2]))


@scenario
def af_jacobian_does_not_leak_requires_grad(m):
    x = _x(m)
    m.autograd.functional.jacobian(_f, x)
    return x.requires_grad, x.grad
