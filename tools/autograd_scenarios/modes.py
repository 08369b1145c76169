"""Grad modes: no_grad / enable_grad / set_grad_enabled / inference_mode, decorators."""

from autograd_scenarios import accepted, scenario, t


@scenario
def no_grad_decorator(m):
    @m.no_grad()
    def f(x):
        return x * 2

    return f(t(m, [1.0])).requires_grad


@scenario
def no_grad_decorator_bare_class(m):
    @m.no_grad
    def f(x):
        return x * 2

    return f(t(m, [1.0])).requires_grad


@scenario
def enable_grad_decorator(m):
    @m.enable_grad()
    def f(x):
        return x * 2

    with m.no_grad():
        return f(t(m, [1.0])).requires_grad


@scenario
def set_grad_enabled_decorator(m):
    @m.set_grad_enabled(False)
    def f(x):
        return x * 2

    return f(t(m, [1.0])).requires_grad, m.is_grad_enabled()


@scenario
def set_grad_enabled_function_call(m):
    m.set_grad_enabled(False)
    off = m.is_grad_enabled()
    m.set_grad_enabled(True)
    return off, m.is_grad_enabled()


@scenario
def set_grad_enabled_bad_arg(m):
    m.set_grad_enabled("yes")


@scenario
def inference_mode_decorator(m):
    @m.inference_mode()
    def f(x):
        return x * 2

    y = f(m.ones(2))
    return y.is_inference(), m.is_inference_mode_enabled()


@scenario
def inference_mode_false(m):
    with m.inference_mode(False):
        y = t(m, [1.0]) * 2
    return y.requires_grad, y.is_inference()


@scenario
def inference_mode_nested_false(m):
    with m.inference_mode():
        with m.inference_mode(False):
            inner = m.is_inference_mode_enabled()
        outer = m.is_inference_mode_enabled()
    return inner, outer


@scenario
def inference_tensor_flags(m):
    with m.inference_mode():
        x = m.ones(2)
        y = t(m, [1.0]) * 2
    return x.is_inference(), x.requires_grad, y.requires_grad, y.is_inference(), y.grad_fn


@scenario
def inference_tensor_inplace_outside(m):
    with m.inference_mode():
        x = m.ones(2)
    x.add_(1)


@scenario
def inference_tensor_saved_for_backward(m):
    with m.inference_mode():
        x = m.ones(2)
    w = t(m, [1.0, 2.0])
    (w * x).sum().backward()
    return w.grad


@scenario
def inference_tensor_saved_for_backward_error(m):
    with m.inference_mode():
        x = m.ones(2)
    w = t(m, [1.0, 2.0])
    (w * x).sum().backward()
    (x * w).exp()
    return w.grad, x.is_inference()


@scenario
def inference_tensor_used_by_mul_saved(m):
    with m.inference_mode():
        x = m.ones(2)
    w = t(m, [1.0, 2.0])
    y = x.mul(w)
    y.sum().backward()
    return y.grad_fn.name()


@scenario
def inference_tensor_clone_is_normal(m):
    with m.inference_mode():
        x = m.ones(2)
    y = x.clone()
    y.add_(1)
    return y.is_inference(), y


@scenario
def inference_tensor_version_error(m):
    with m.inference_mode():
        x = m.ones(2)
    return x._version


@scenario
def inference_tensor_view_outside_inplace(m):
    with m.inference_mode():
        x = m.ones(2)
    x[0:1].mul_(2)


@scenario
def inference_tensor_requires_grad_inside(m):
    with m.inference_mode():
        x = m.ones(2, requires_grad=True)
        return x.requires_grad, x.is_leaf


@scenario
def inference_tensor_set_data(m):
    with m.inference_mode():
        x = m.ones(2)
    y = m.ones(2)
    y.data = x
    return y.is_inference()


@scenario
def inference_mode_inplace_on_normal(m):
    x = m.ones(2)
    with m.inference_mode():
        x.add_(1)
    return x._version, x.is_inference()


@scenario
def inference_mode_view_of_normal(m):
    x = m.ones(2)
    with m.inference_mode():
        v = x[:1]
    return v.is_inference()


@scenario
def inference_mode_inplace_on_requires_grad(m):
    x = t(m, [1.0])
    with m.inference_mode():
        x.add_(1)
    return x


@scenario
def no_grad_inplace_leaf_ok(m):
    x = t(m, [1.0])
    with m.no_grad():
        x.add_(1)
    return x, x._version


@scenario
@accepted("PyTorch's no_grad keeps one `prev`, so re-entering the same object leaves grad off")
def no_grad_class_is_reentrant(m):
    ng = m.no_grad()
    with ng, ng:
        inner = m.is_grad_enabled()
    return inner, m.is_grad_enabled()


@scenario
def grad_mode_on_generator(m):
    @m.no_grad()
    def gen():
        yield m.is_grad_enabled()
        yield m.is_grad_enabled()

    return list(gen()), m.is_grad_enabled()


@scenario
def set_grad_enabled_clone(m):
    g = m.set_grad_enabled(False)
    c = g.clone()
    m.set_grad_enabled(True)
    return type(c).__name__


@scenario
def no_grad_result_is_leaf(m):
    x = t(m, [1.0])
    with m.no_grad():
        y = x * 2
    return y.is_leaf, y.grad_fn


@scenario
def autograd_grad_mode_module(m):
    return m.autograd.grad_mode.no_grad is m.no_grad, m.autograd.no_grad is m.no_grad


@scenario
def set_multithreading_enabled(m):
    with m.autograd.set_multithreading_enabled(False):
        x = t(m, [1.0])
        (x * 2).sum().backward()
    return x.grad


@scenario
def inference_mode_bad_arg_type(m):
    return m.inference_mode(mode=1).mode if hasattr(m.inference_mode(), "mode") else None


@scenario
def grad_enabled_in_backward_hook(m):
    x = t(m, [1.0])
    seen = []
    x.register_hook(lambda g: seen.append(m.is_grad_enabled()))
    (x * 2).sum().backward()
    return seen


@scenario
def grad_enabled_in_backward_create_graph(m):
    x = t(m, [1.0])
    seen = []
    x.register_hook(lambda g: seen.append(m.is_grad_enabled()))
    m.autograd.grad((x * 2).sum(), x, create_graph=True)
    return seen
