"""The first scenarios (session 32): backward, grad, hooks, modes, errors."""

import warnings

from autograd_scenarios import accepted, scenario, t


@scenario
def backward_scalar(m):
    x = t(m, [1.0, 2.0])
    (x * x).sum().backward()
    return x.grad.tolist()


@scenario
def backward_with_gradient(m):
    x = t(m, [1.0, 2.0])
    (x * 3).backward(m.tensor([1.0, 0.5]))
    return x.grad.tolist()


@scenario
def backward_nonscalar_error(m):
    x = t(m, [1.0, 2.0])
    (x * 2).backward()


@scenario
def backward_twice_error(m):
    x = t(m, [1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    y.backward()


@scenario
def backward_retain_graph_accumulates(m):
    x = t(m, [1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return x.grad.tolist()


@scenario
def grad_allow_unused(m):
    x = t(m, [1.0])
    z = t(m, [2.0])
    return m.autograd.grad((x * 2).sum(), (x, z), allow_unused=True)[1]


@scenario
def grad_unused_error(m):
    x = t(m, [1.0])
    z = t(m, [2.0])
    m.autograd.grad((x * 2).sum(), (x, z))


@scenario
def grad_create_graph(m):
    x = t(m, [3.0])
    (g,) = m.autograd.grad((x**3).sum(), x, create_graph=True)
    (g2,) = m.autograd.grad(g.sum(), x)
    return g.tolist(), g2.tolist()


@scenario
def nonleaf_grad_warning(m):
    x = t(m, [1.0])
    y = x * 2
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        _ = y.grad
    return [str(i.message)[:80] for i in w]


@scenario
def leaf_inplace_error(m):
    x = t(m, [1.0])
    x.add_(1)


@scenario
def version_counter_error(m):
    x = t(m, [1.0, 2.0])
    y = x.exp()
    y.add_(1)
    y.sum().backward()


@scenario
def requires_grad_nonleaf_error(m):
    x = t(m, [1.0])
    (x * 2).requires_grad_(False)


@scenario
def grad_fn_name(m):
    x = t(m, [1.0])
    return (x * 2).grad_fn.name(), type((x + 1).grad_fn).__name__


@scenario
def hook_order(m):
    x = t(m, [1.0])
    calls = []
    x.register_hook(lambda g: calls.append(1))
    x.register_hook(lambda g: calls.append(2))
    (x * 2).sum().backward()
    return calls


@scenario
def hook_replacement(m):
    x = t(m, [1.0])
    x.register_hook(lambda g: g * 10)
    (x * 2).sum().backward()
    return x.grad.tolist()


@scenario
def no_grad_flag(m):
    x = t(m, [1.0])
    with m.no_grad():
        y = x * 2
    return y.requires_grad


@scenario
def integer_backward_error(m):
    m.tensor([1, 2], requires_grad=True)


@scenario
def retain_grad_nonleaf(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    y.retain_grad()
    y.sum().backward()
    return y.grad.tolist()


@scenario
def detach_flags(m):
    x = t(m, [1.0])
    d = (x * 2).detach()
    return d.requires_grad, d.is_leaf, d.grad_fn


@scenario
def set_grad_enabled_false(m):
    x = t(m, [1.0])
    with m.set_grad_enabled(False):
        y = x * 2
    return y.requires_grad


@scenario
def enable_grad_inside_no_grad(m):
    x = t(m, [1.0])
    with m.no_grad(), m.enable_grad():
        y = x * 2
    return y.requires_grad


@scenario
def grad_outputs_given(m):
    x = t(m, [1.0, 2.0])
    return m.autograd.grad(x * 3, x, grad_outputs=m.tensor([1.0, 2.0]))[0].tolist()


@scenario
def next_functions_names(m):
    x = t(m, [1.0])
    y = (x * 2).exp()
    return [type(f).__name__ for f, _ in y.grad_fn.next_functions]


@scenario
def accumulate_then_zero(m):
    x = t(m, [1.0])
    (x * 2).sum().backward()
    (x * 2).sum().backward()
    first = x.grad.tolist()
    x.grad.zero_()
    return first, x.grad.tolist()


@scenario
def version_after_inplace(m):
    x = m.tensor([1.0])
    x.add_(1)
    x.mul_(2)
    return x._version


@scenario
def jacobian(m):
    return m.autograd.functional.jacobian(lambda x: x * x, m.tensor([1.0, 2.0])).tolist()


@scenario
def inference_err(m):
    with m.inference_mode():
        x = m.ones(2)
    x.requires_grad_()


@scenario
def custom_fn(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 3, None

    x = t(m, [1.0])
    F.apply(x).sum().backward()


@scenario
@accepted("float32 sin tangent: PyTorch rounds cos 1 ulp differently")
def fwd_ad(m):
    import importlib

    fa = importlib.import_module(m.__name__ + ".autograd.forward_ad")
    with fa.dual_level():
        d = fa.make_dual(m.tensor([1.0]), m.tensor([2.0]))
        return fa.unpack_dual(d.sin()).tangent.tolist()


@scenario
def anomaly_nan(m):
    x = t(m, [0.0])
    with m.autograd.detect_anomaly():
        (x.sqrt() * 0).sum().backward()
    return x.grad.tolist()


@scenario
def gradcheck_ok(m):
    return m.autograd.gradcheck(
        lambda x: x * x, (m.tensor([1.0], dtype=m.float64, requires_grad=True),)
    )


@scenario
def complex_backward_err(m):
    (m.tensor([1 + 1j], requires_grad=True) * 2).sum().backward()
