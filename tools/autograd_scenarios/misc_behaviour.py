"""Mixed autograd behaviours: nesting, modes around backward, repeated passes."""

from autograd_scenarios import scenario, submodule, t


@scenario
def backward_inside_no_grad(m):
    x = t(m, [1.0, 2.0])
    y = (x * x).sum()
    with m.no_grad():
        y.backward()
    return x.grad


@scenario
def grad_inside_inference_mode(m):
    x = t(m, [1.0, 2.0])
    y = (x * x).sum()
    with m.inference_mode():
        return m.autograd.grad(y, x)


@scenario
def enable_grad_inside_inference_mode(m):
    with m.inference_mode(), m.enable_grad():
        x = m.ones(2, requires_grad=True)
        y = x * 2
    return y.requires_grad, y.is_inference(), y.grad_fn


@scenario
def nested_grad_in_custom_backward(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.clone()

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            with m.enable_grad():
                xx = x.detach().requires_grad_()
                (gx,) = m.autograd.grad((xx**3).sum(), xx)
            return g * gx

    x = t(m, [1.0, 2.0])
    F.apply(x).sum().backward()
    return x.grad


@scenario
def hooks_fire_each_pass(m):
    x = t(m, [1.0])
    y = x * 2
    calls = []
    y.register_hook(lambda g: calls.append(g.item()))
    z = (y * 3).sum()
    z.backward(retain_graph=True)
    z.backward()
    return calls, x.grad


@scenario
def backward_on_tensor_from_no_grad(m):
    x = t(m, [1.0])
    with m.no_grad():
        y = x * 2
    y.sum().backward()


@scenario
def checkpoint_dropout_rng_preserved(m):
    cp = submodule(m, "utils.checkpoint")
    m.manual_seed(0)
    x = t(m, [1.0, 2.0, 3.0, 4.0])

    def f(a):
        return m.nn.functional.dropout(a, 0.5, training=True) * a

    y = cp.checkpoint(f, x, use_reentrant=False)
    y.sum().backward()
    return bool(((x.grad == 0) == (y == 0)).all())


@scenario
def checkpoint_preserve_rng_false_warning(m):
    cp = submodule(m, "utils.checkpoint")
    x = t(m, [1.0])
    y = cp.checkpoint(lambda a: a * 2, x, use_reentrant=False, preserve_rng_state=False)
    y.sum().backward()
    return x.grad


@scenario
def checkpoint_no_grad_inputs_reentrant_warning(m):
    cp = submodule(m, "utils.checkpoint")
    lin = m.nn.Linear(2, 1)
    y = cp.checkpoint(lin, m.ones(1, 2), use_reentrant=True)
    return y.requires_grad


@scenario
def jacobian_create_graph_backward(m):
    x = t(m, [1.0, 2.0])
    j = m.autograd.functional.jacobian(lambda a: a**3, x, create_graph=True)
    j.sum().backward()
    return x.grad


@scenario
def module_requires_grad_false(m):
    lin = m.nn.Linear(2, 1)
    lin.requires_grad_(False)
    x = t(m, [[1.0, 2.0]])
    lin(x).sum().backward()
    return lin.weight.grad, x.grad is not None


@scenario
def version_error_in_anomaly_mode(m):
    x = t(m, [1.0, 2.0])
    with m.autograd.detect_anomaly():
        y = x.exp()
        y.add_(1)
        y.sum().backward()


@scenario
def multi_grad_hook_unused_tensor(m):
    a = t(m, [1.0])
    b = t(m, [2.0])
    seen = []
    m.autograd.graph.register_multi_grad_hook(
        (a, b), lambda gs: seen.append([g is None for g in gs]))
    (a * 2).sum().backward(inputs=[a])
    return seen


@scenario
def backward_inputs_with_hook_on_other(m):
    a = t(m, [1.0])
    b = t(m, [2.0])
    calls = []
    b.register_hook(lambda g: calls.append("b"))
    (a * b).sum().backward(inputs=[a])
    return calls, a.grad, b.grad


@scenario
def grad_of_leaf_through_clone_inplace(m):
    x = t(m, [1.0, 2.0])
    y = x.clone()
    y.mul_(y)
    y.sum().backward()
    return x.grad


@scenario
def inplace_on_input_of_mul_by_scalar_ok(m):
    x = t(m, [1.0, 2.0])
    y = x * 1
    z = y * 3
    y.add_(1)
    z.sum().backward()
    return x.grad


@scenario
def inplace_twice_version_message(m):
    x = t(m, [1.0])
    y = x * 1
    z = y * y
    y.add_(1)
    y.add_(1)
    z.sum().backward()


@scenario
def zero_grad_set_to_none_false(m):
    lin = m.nn.Linear(1, 1)
    lin(m.ones(1, 1)).sum().backward()
    lin.zero_grad(set_to_none=False)
    return lin.weight.grad, lin.bias.grad


@scenario
def parameter_grad_after_two_optim_steps(m):
    p = m.nn.Parameter(m.tensor([1.0]))
    opt = m.optim.SGD([p], lr=0.1, momentum=0.9)
    for _ in range(2):
        opt.zero_grad()
        (p * p).sum().backward()
        opt.step()
    return p


@scenario
def clip_grad_norm(m):
    p = m.nn.Parameter(m.tensor([3.0, 4.0]))
    (p * p).sum().backward()
    total = m.nn.utils.clip_grad_norm_([p], 1.0)
    return total, p.grad


@scenario
def clip_grad_value(m):
    p = m.nn.Parameter(m.tensor([3.0, -4.0]))
    (p * p).sum().backward()
    m.nn.utils.clip_grad_value_([p], 5.0)
    return p.grad


@scenario
def clip_grad_norm_nonfinite(m):
    p = m.nn.Parameter(m.tensor([1.0]))
    p.grad = m.tensor([float("inf")])
    m.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)


@scenario
def grad_of_detached_param_none(m):
    p = m.nn.Parameter(m.tensor([1.0]))
    (p.detach() * 2).sum()
    return p.grad


@scenario
def backward_reentrant_in_hook(m):
    x = t(m, [2.0])
    inner = []

    def hook(g):
        w = t(m, [3.0])
        (w * w).sum().backward()
        inner.append(w.grad.item())

    y = x * 2
    y.register_hook(hook)
    y.sum().backward()
    return inner, x.grad
