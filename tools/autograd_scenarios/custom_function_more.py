"""More custom Function corners: None outputs, views, dirty inputs, hooks on its node."""

from autograd_scenarios import scenario, t


@scenario
def fn_returns_none_output(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, None

        @staticmethod
        def backward(ctx, g, g2):
            return g * 2

    y, n = F.apply(t(m, [1.0]))
    y.sum().backward()
    return n, y.grad_fn.name()


@scenario
def fn_output_is_two_same_tensor(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            return y, y

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 + g2

    x = t(m, [1.0])
    a, b = F.apply(x)
    (a + b).sum().backward()
    return a is b, x.grad


@scenario
def fn_node_register_hook(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = t(m, [1.0])
    y = F.apply(x)
    seen = []
    y.grad_fn.register_hook(lambda gi, go: seen.append((gi[0].item(), go[0].item())))
    y.grad_fn.register_prehook(lambda go: (go[0] * 10,))
    y.sum().backward()
    return seen, x.grad


@scenario
def fn_apply_on_view_input_inplace(m):
    class AddOne(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    base = t(m, [1.0, 2.0]) * 1
    v = base[:1]
    AddOne.apply(v)
    base.sum().backward()
    return base.grad_fn.name(), v.grad_fn.name()


@scenario
def fn_save_output_then_inplace_error(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    y = F.apply(t(m, [1.0]))
    y.add_(1)
    y.sum().backward()


@scenario
def fn_save_intermediate_warns(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            tmp = x * 3
            ctx.save_for_backward(tmp)
            return tmp * 2

        @staticmethod
        def backward(ctx, g):
            (tmp,) = ctx.saved_tensors
            return g * tmp

    x = t(m, [1.0])
    F.apply(x).sum().backward()
    return x.grad


@scenario
def fn_requires_grad_of_outputs_nondiff_input(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y, y.clone()

        @staticmethod
        def backward(ctx, g1, g2):
            return g1, g2

    a, b = F.apply(t(m, [1.0]), m.tensor([2.0]))
    return a.requires_grad, b.requires_grad, b.grad_fn is not None


@scenario
def fn_integer_output_not_requiring_grad(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x.long()

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2

    a, b = F.apply(t(m, [1.0]))
    a.sum().backward()
    return b.requires_grad, b.grad_fn


@scenario
def fn_backward_gets_none_for_int_output(m):
    seen = []

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x.long()

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append(g2)
            return g1 * 2

    a, _b = F.apply(t(m, [1.0]))
    a.sum().backward()
    return seen


@scenario
def fn_nested_apply(m):
    class Inner(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    class Outer(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return Inner.apply(x) + 1

        @staticmethod
        def backward(ctx, g):
            return g * 5

    x = t(m, [1.0])
    y = Outer.apply(x)
    y.sum().backward()
    return y.grad_fn.name(), x.grad


@scenario
def fn_mark_non_differentiable_input_error(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_non_differentiable(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    y = F.apply(t(m, [1.0]))
    return y.requires_grad


@scenario
def fn_materialize_grads_false_all_none(m):
    seen = []

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append((g1 is None, g2 is None))
            return g2

    _a, b = F.apply(t(m, [1.0]))
    b.sum().backward()
    return seen


@scenario
def fn_double_backward_through_saved_output(m):
    class Exp(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    x = t(m, [0.0])
    (g,) = m.autograd.grad(Exp.apply(x).sum(), x, create_graph=True)
    (gg,) = m.autograd.grad(g.sum(), x)
    return g, gg
