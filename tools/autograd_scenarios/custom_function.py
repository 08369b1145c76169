"""Custom autograd.Function: ctx API, errors, double backward, setup_context."""

from autograd_scenarios import scenario, t


def _double(m):
    class Double(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    return Double


@scenario
def fn_basic_grad_fn_name(m):
    y = _double(m).apply(t(m, [1.0]))
    return y.grad_fn.name(), type(y.grad_fn).__name__, y


@scenario
def fn_next_functions(m):
    x = t(m, [1.0])
    y = _double(m).apply(x * 1)
    return [type(f).__name__ for f, _ in y.grad_fn.next_functions]


@scenario
def fn_mark_dirty(m):
    class AddOne(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    a = t(m, [1.0])
    b = a * 1
    y = AddOne.apply(b)
    y.sum().backward()
    return y is b, b.grad_fn.name(), a.grad, b._version


@scenario
def fn_mark_dirty_leaf_error(m):
    class AddOne(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    AddOne.apply(t(m, [1.0]))


@scenario
def fn_inplace_without_mark_dirty(m):
    class Sneaky(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    a = t(m, [1.0])
    b = a * 1
    y = Sneaky.apply(b)
    return y.grad_fn.name()


@scenario
def fn_mark_non_differentiable(m):
    class Sort(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            v, i = x.sort()
            ctx.mark_non_differentiable(i)
            return v, i

        @staticmethod
        def backward(ctx, gv, gi):
            return gv

    v, i = Sort.apply(t(m, [2.0, 1.0]))
    v.sum().backward()
    return i.requires_grad, v.requires_grad, gi_none(m)


def gi_none(m):
    seen = []

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            z = x * 3
            ctx.mark_non_differentiable(z)
            return y, z

        @staticmethod
        def backward(ctx, gy, gz):
            seen.append(gz)
            return gy

    y, _z = F.apply(t(m, [1.0]))
    y.sum().backward()
    return seen


@scenario
def fn_set_materialize_grads_false(m):
    seen = []

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append((g1, g2))
            return g1 * 2 if g1 is not None else None

    a, _b = F.apply(t(m, [1.0]))
    a.sum().backward()
    return seen


@scenario
def fn_materialize_grads_default(m):
    seen = []

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append((g1, g2))
            return g1

    a, _b = F.apply(t(m, [1.0]))
    a.sum().backward()
    return seen


@scenario
def fn_needs_input_grad(m):
    seen = []

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, y, k):
            seen.append(ctx.needs_input_grad)
            return x * y * k

        @staticmethod
        def backward(ctx, g):
            seen.append(ctx.needs_input_grad)
            return g, None, None

    F.apply(t(m, [1.0]), m.tensor([2.0]), 3).sum().backward()
    return seen


@scenario
def fn_non_tensor_args(m):
    class Scale(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, k, name):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None, None

    x = t(m, [1.0, 2.0])
    Scale.apply(x, 5, "s").sum().backward()
    return x.grad


@scenario
def fn_too_many_grads(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g, g

    F.apply(t(m, [1.0])).sum().backward()


@scenario
def fn_too_few_grads(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return (g,)

    F.apply(t(m, [1.0]), t(m, [2.0])).sum().backward()


@scenario
def fn_extra_none_grads_ok(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2, None, None

    x = t(m, [1.0])
    F.apply(x).sum().backward()
    return x.grad


@scenario
def fn_grad_wrong_shape(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return m.ones(3)

    F.apply(t(m, [1.0, 2.0])).sum().backward()


@scenario
def fn_grad_for_non_tensor_input(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g, m.ones(1)

    F.apply(t(m, [1.0]), 2).sum().backward()


@scenario
def fn_grad_wrong_type(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return 3.0

    F.apply(t(m, [1.0])).sum().backward()


@scenario
def fn_setup_context_style(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(x, k):
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.k = inputs[1]
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * ctx.k * x, None

    x = t(m, [2.0])
    F.apply(x, 3).sum().backward()
    return x.grad


@scenario
def fn_double_backward(m):
    class Cube(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x**2

    x = t(m, [2.0])
    (g,) = m.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    (gg,) = m.autograd.grad(g.sum(), x)
    return g, gg


@scenario
def fn_once_differentiable(m):
    from importlib import import_module

    once = import_module(m.__name__ + ".autograd.function").once_differentiable

    class Sq(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @once
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x

    x = t(m, [3.0])
    (g,) = m.autograd.grad(Sq.apply(x).sum(), x, create_graph=True)
    r = g.requires_grad, g.grad_fn.name() if g.grad_fn is not None else None
    g.sum().backward()
    return r


@scenario
def fn_once_differentiable_plain(m):
    from importlib import import_module

    once = import_module(m.__name__ + ".autograd.function").once_differentiable

    class Sq(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @once
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x

    x = t(m, [3.0])
    Sq.apply(x).sum().backward()
    return x.grad


@scenario
def fn_saved_tensors_after_backward(m):
    ctxs = []

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            ctxs.append(ctx)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    F.apply(t(m, [1.0])).sum().backward()
    return ctxs[0].saved_tensors


@scenario
def fn_save_non_tensor_error(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 3)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g

    F.apply(t(m, [1.0]))


@scenario
def fn_save_none_ok(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, None)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            _a, b = ctx.saved_tensors
            return g * 2 if b is None else g

    x = t(m, [1.0])
    F.apply(x).sum().backward()
    return x.grad


@scenario
def fn_call_directly_error(m):
    _double(m)()(t(m, [1.0]))


@scenario
def fn_instantiate_warning(m):
    return type(_double(m)()).__name__


@scenario
def fn_forward_not_implemented(m):
    class F(m.autograd.Function):
        pass

    F.apply(t(m, [1.0]))


@scenario
def fn_backward_not_implemented(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    F.apply(t(m, [1.0])).sum().backward()


@scenario
def fn_no_grad_inputs_no_grad_fn(m):
    y = _double(m).apply(m.tensor([1.0]))
    return y.requires_grad, y.grad_fn


@scenario
def fn_under_no_grad(m):
    with m.no_grad():
        y = _double(m).apply(t(m, [1.0]))
    return y.requires_grad, y.grad_fn


@scenario
def fn_return_input_unchanged(m):
    class Ident(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 5

    x = t(m, [1.0])
    y = Ident.apply(x)
    y.sum().backward()
    return y is x, y.grad_fn.name(), x.grad


@scenario
def fn_return_view_of_input(m):
    class V(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.view(-1)

        @staticmethod
        def backward(ctx, g):
            return g.view(1, 2)

    x = t(m, [[1.0, 2.0]])
    y = V.apply(x)
    y.sum().backward()
    return y._is_view(), x.grad


@scenario
def fn_view_output_inplace_error(m):
    class V(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.view(-1)

        @staticmethod
        def backward(ctx, g):
            return g.view(1, 2)

    x = t(m, [[1.0, 2.0]])
    V.apply(x).mul_(2)


@scenario
def fn_non_tensor_output(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, 7

        @staticmethod
        def backward(ctx, g, _):
            return g

    y, k = F.apply(t(m, [1.0]))
    return k, y.grad_fn.name()


@scenario
def fn_jvp_forward_ad(m):
    fa = __import__(m.__name__ + ".autograd.forward_ad", fromlist=["x"])

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g

        @staticmethod
        def jvp(ctx, tx):
            (x,) = ctx.saved_tensors
            return 2 * x * tx

    with fa.dual_level():
        d = fa.make_dual(m.tensor([3.0]), m.tensor([1.0]))
        return fa.unpack_dual(F.apply(d)).tangent


@scenario
def fn_jvp_save_for_forward(m):
    fa = __import__(m.__name__ + ".autograd.forward_ad", fromlist=["x"])

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_forward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g

        @staticmethod
        def jvp(ctx, tx):
            (x,) = ctx.saved_tensors
            return 2 * x * tx

    with fa.dual_level():
        d = fa.make_dual(m.tensor([3.0]), m.tensor([1.0]))
        return fa.unpack_dual(F.apply(d)).tangent


@scenario
def fn_jvp_not_implemented(m):
    fa = __import__(m.__name__ + ".autograd.forward_ad", fromlist=["x"])
    with fa.dual_level():
        d = fa.make_dual(m.tensor([3.0]), m.tensor([1.0]))
        return fa.unpack_dual(_double(m).apply(d)).tangent


@scenario
def fn_ctx_saved_tensors_modified_error(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x

    a = t(m, [1.0])
    b = a * 1
    y = F.apply(b)
    b.add_(1)
    y.sum().backward()


@scenario
def fn_vmap_not_supported(m):
    func = __import__(m.__name__ + ".func", fromlist=["vmap"])
    func.vmap(_double(m).apply)(m.ones(2, 2))


@scenario
def fn_grad_fn_metadata(m):
    y = _double(m).apply(t(m, [1.0]))
    y.grad_fn.metadata["k"] = 1
    return y.grad_fn.metadata


@scenario
def fn_ctx_attributes_on_grad_fn(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.k = 4
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g

    y = F.apply(t(m, [1.0]))
    return y.grad_fn.k, y.grad_fn.needs_input_grad


@scenario
def fn_backward_returns_list(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return [g, g]

    x = t(m, [1.0])
    F.apply(x, t(m, [2.0])).sum().backward()
    return x.grad


@scenario
def fn_generate_vmap_rule(m):
    class F(m.autograd.Function):
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return x * 2

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, g):
            return g * 2

    func = __import__(m.__name__ + ".func", fromlist=["vmap"])
    return func.vmap(F.apply)(m.ones(2, 2))


@scenario
def fn_forward_with_kwargs_error(m):
    _double(m).apply(x=t(m, [1.0]))


@scenario
def fn_dirty_tensor_not_input(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            ctx.mark_dirty(y)
            return y

        @staticmethod
        def backward(ctx, g):
            return g

    F.apply(t(m, [1.0]))
