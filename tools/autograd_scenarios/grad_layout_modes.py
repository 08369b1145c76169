"""The layout of accumulated `.grad` (PyTorch's gradient layout contract), requires_grad_ /
detach_ / retain_grad edge cases, grad-mode decorators on generators, set_grad_enabled as
a function, inference tensors in autograd, retain_graph errors."""

from autograd_scenarios import limitation, scenario


def _leaf(m, make):
    x = make(m.arange(12, dtype=m.float64).reshape(3, 4))
    return x.requires_grad_()


def _layout(m, make, backward_twice=False, create_graph=False):
    x = _leaf(m, make)
    (x * 2).sum().backward(create_graph=create_graph)
    first = x.grad.stride(), x.grad.is_contiguous()
    if backward_twice:
        (x * 3).sum().backward(create_graph=create_graph)
    return first, x.grad.shape, x.grad.stride(), x.grad.detach()


@scenario
def grad_layout_transposed_leaf(m):
    return _layout(m, lambda t: t.t())


@scenario
def grad_layout_transposed_leaf_accumulated(m):
    return _layout(m, lambda t: t.t(), backward_twice=True)


@scenario
def grad_layout_transposed_leaf_create_graph(m):
    return _layout(m, lambda t: t.t(), backward_twice=True, create_graph=True)


@scenario
def grad_layout_sliced_leaf(m):
    return _layout(m, lambda t: t[:, ::2])


@scenario
def grad_layout_permuted_3d_leaf(m):
    return _layout(m, lambda t: t.reshape(2, 3, 2).permute(2, 0, 1))


@scenario
def grad_layout_expanded_leaf(m):
    return _layout(m, lambda t: t[:1].expand(3, 4))


@scenario
def grad_layout_channels_last_leaf(m):
    return _layout(m, lambda t: t.reshape(1, 3, 2, 2).contiguous(memory_format=m.channels_last))


@scenario
def grad_layout_grad_of_transposed_output(m):
    x = m.zeros(3, 4, dtype=m.float64, requires_grad=True)
    x.t().backward(m.ones(4, 3, dtype=m.float64))
    return x.grad.stride()


@limitation("accumulating into a .grad whose strides differ from the leaf's: PyTorch's AccumulateGrad warns "
            "once per site (UserWarning: grad and param do not obey the gradient layout contract...); the core's "
            "engine accumulates silently")
@scenario
def grad_layout_user_grad_kept(m):
    x = m.zeros(3, 4, dtype=m.float64, requires_grad=True)
    x.grad = m.zeros(4, 3, dtype=m.float64).t()
    (x * 2).sum().backward()
    return x.grad.stride(), x.grad.detach()


@scenario
def grad_layout_autograd_grad_transposed(m):
    x = _leaf(m, lambda t: t.t())
    (g,) = m.autograd.grad((x * 2).sum(), x)
    return g.stride()


@scenario
def requires_grad_on_nonleaf_false(m):
    x = m.ones(2, requires_grad=True)
    y = x * 2
    y.requires_grad_(False)
    return y


@scenario
def requires_grad_on_int_tensor(m):
    return m.ones(2, dtype=m.int64).requires_grad_()


@scenario
def requires_grad_setter_on_nonleaf(m):
    y = m.ones(2, requires_grad=True) * 2
    y.requires_grad = False
    return y


@scenario
def detach_inplace_on_view(m):
    x = m.ones(2, 2, requires_grad=True)
    v = x[0]
    return v.detach_()


@scenario
def detach_inplace_on_view_no_grad_base(m):
    x = m.ones(2, 2)
    v = x[0]
    v.detach_()
    return v.requires_grad, v._base is x


@scenario
def detach_inplace_nonleaf(m):
    x = m.ones(2, requires_grad=True)
    y = x * 2
    y.detach_()
    return y.requires_grad, y.grad_fn, y.is_leaf


@scenario
def retain_grad_on_leaf_is_noop(m):
    x = m.ones(2, requires_grad=True)
    x.retain_grad()
    (x * 2).sum().backward()
    return x.retains_grad, x.grad


@scenario
def retain_grad_without_requires_grad(m):
    return m.ones(2).retain_grad()


@scenario
def retain_grad_twice_and_view(m):
    x = m.ones(2, 2, requires_grad=True)
    y = x * 2
    v = y[0]
    v.retain_grad()
    v.retain_grad()
    y.retain_grad()
    (v * 3).sum().backward()
    return v.grad, y.grad, v.retains_grad


@scenario
def retain_grad_then_inplace(m):
    x = m.ones(2, requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.mul_(3)
    y.sum().backward()
    return y.grad, x.grad


@scenario
def no_grad_decorates_generator(m):
    @m.no_grad()
    def gen():
        for _ in range(2):
            yield m.is_grad_enabled()
        yield m.is_grad_enabled()

    out = []
    for v in gen():
        out.append((v, m.is_grad_enabled()))
    return out


@scenario
def enable_grad_decorates_generator_inside_no_grad(m):
    @m.enable_grad()
    def gen():
        yield m.is_grad_enabled()

    with m.no_grad():
        return [(v, m.is_grad_enabled()) for v in gen()]


@scenario
def no_grad_generator_send_and_close(m):
    @m.no_grad()
    def gen():
        got = yield m.is_grad_enabled()
        yield got, m.is_grad_enabled()

    g = gen()
    first = next(g)
    second = g.send(5)
    g.close()
    return first, second, m.is_grad_enabled()


@scenario
def inference_mode_decorates_generator(m):
    @m.inference_mode()
    def gen():
        yield m.is_inference_mode_enabled()

    return [(v, m.is_inference_mode_enabled()) for v in gen()]


@scenario
def set_grad_enabled_as_function(m):
    m.set_grad_enabled(False)
    try:
        y = m.ones(2, requires_grad=True) * 2
        state = m.is_grad_enabled()
    finally:
        m.set_grad_enabled(True)
    return y.requires_grad, state


@scenario
def set_grad_enabled_function_then_context(m):
    m.set_grad_enabled(False)
    try:
        with m.set_grad_enabled(True):
            inside = m.is_grad_enabled()
        after = m.is_grad_enabled()
    finally:
        m.set_grad_enabled(True)
    return inside, after


@scenario
def set_grad_enabled_decorator(m):
    @m.set_grad_enabled(False)
    def f():
        return m.is_grad_enabled()

    return f(), m.is_grad_enabled()


@scenario
def set_grad_enabled_bad_arg(m):
    return m.set_grad_enabled("yes")


@scenario
def no_grad_bad_decorator_use(m):
    @m.no_grad
    def f():
        return m.is_grad_enabled()

    return f()


@scenario
def inference_tensor_in_autograd_save(m):
    with m.inference_mode():
        w = m.ones(2)
    x = m.ones(2, requires_grad=True)
    return (x * w).sum()


@scenario
def inference_tensor_requires_grad_then_backward(m):
    with m.inference_mode():
        w = m.ones(2)
    w.requires_grad_()
    (w * 2).sum().backward()
    return w.grad, w.is_inference()


@scenario
def inference_tensor_inplace_outside(m):
    with m.inference_mode():
        w = m.ones(2)
    w.add_(1)
    return w


@scenario
def inference_tensor_view_outside(m):
    with m.inference_mode():
        w = m.ones(2, 2)
    v = w[0]
    return v.is_inference(), v.requires_grad


@scenario
def inference_mode_false_inside(m):
    with m.inference_mode(), m.inference_mode(False):
        y = m.ones(2, requires_grad=True) * 2
    return y.requires_grad, y.is_inference(), y.grad_fn is not None


@scenario
def inference_tensor_clone_normal(m):
    with m.inference_mode():
        w = m.ones(2)
    c = w.clone()
    return c.is_inference(), c.requires_grad_().requires_grad


@scenario
def retain_graph_second_backward_message(m):
    x = m.ones(2, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


@scenario
def retain_graph_saved_output_message(m):
    x = m.ones(2, requires_grad=True)
    y = x.exp().sum()
    y.backward()
    y.backward()


@scenario
def retain_graph_access_saved_after_free(m):
    x = m.ones(2, requires_grad=True)
    y = x * x
    y.sum().backward()
    return y.grad_fn._saved_self


@scenario
def retain_graph_autograd_grad_twice(m):
    x = m.ones(2, requires_grad=True)
    y = (x.sin() * 2).sum()
    m.autograd.grad(y, x)
    return m.autograd.grad(y, x)


@scenario
def retain_graph_true_then_false(m):
    x = m.ones(2, requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return x.grad
