"""TestAutograd behaviours not covered elsewhere, after PyTorch's test_autograd."""

from autograd_scenarios import limitation, scenario, t


def _names(fn, depth=4):
    if fn is None or depth == 0:
        return None
    return (fn.name(), [_names(n, depth - 1) for n, _ in fn.next_functions])


@scenario
def ta_grad_nonleaf(m):
    x_init = m.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
    x = x_init
    y = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    grad_output = m.ones(2, 2)

    def fn(x):
        return x**2 + y * x + y**2

    out = []
    for _ in range(3):
        (grad_input,) = m.autograd.grad(fn(x), x, grad_outputs=grad_output, create_graph=True)
        out.append(grad_input.clone().detach())
        x = x + 0.05 * grad_input
    return out, x_init.grad, y.grad


@scenario
def ta_grad_nonleaf_many_outputs(m):
    x = m.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    a, b = x.chunk(2)

    def hook(*grads):
        hook.called = True

    hook.called = False
    x.register_hook(hook)
    go = m.tensor([0.5, 0.25])
    grads = m.autograd.grad([a, b], [a, b], grad_outputs=[go, go])
    return grads, hook.called, x.grad


@scenario
@limitation("the core's engine does not call a tensor hook when its multi-output node's other output alone got a gradient (PyTorch calls it with None)")
def ta_grad_nonleaf_register_hook(m):
    x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x_list = x.unbind()
    x0 = x_list[0]
    hook_results = [None]

    def hook(grad):
        hook_results[0] = grad

    x0.register_hook(hook)
    x_list[0].backward()
    results = [hook_results[0], x.grad]
    x_list[1].backward()
    return results, hook_results, x.grad


@scenario
def ta_hook_none(m):
    # a hook returning None keeps the gradient and runs for every backward
    class MyFunction(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, grad):
            return grad, None

    was_called = [False]

    def hook(grad):
        was_called[0] = True

    x = t(m, [1.0, 2.0])
    y = m.tensor([3.0, 4.0])
    rx, ry = (x * 2, y * 2)
    (rx,) = (MyFunction.apply(x, y),)
    rx.register_hook(hook)
    rx.sum().backward()
    return was_called, x.grad, ry.requires_grad


@scenario
def ta_accumulate_grad_reference(m):
    # accumulation into an existing .grad keeps the same tensor object (no create_graph)
    x = t(m, [1.0, 2.0])
    (x * 2).sum().backward()
    g = x.grad
    (x * 3).sum().backward()
    return g is x.grad, x.grad


@scenario
def ta_accumulate_grad_create_graph_new_object(m):
    x = t(m, [1.0, 2.0])
    (x * 2).sum().backward()
    g = x.grad
    (x * x).sum().backward(create_graph=True)
    return g is x.grad, x.grad.requires_grad, x.grad


@scenario
def ta_accumulate_grad_steals_when_possible(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    y.backward(m.tensor([5.0, 6.0]))
    return x.grad


@scenario
def ta_tensor_hooks_inplace(m):
    a = m.tensor([1.0, 2.0], requires_grad=True).clone()
    calls = []
    a.register_hook(lambda g: calls.append(("before", g.tolist())) or g * 2)
    a.mul_(3)
    a.register_hook(lambda g: calls.append(("after", g.tolist())) or g * 5)
    leaf = a
    leaf.sum().backward()
    return calls


@scenario
def ta_tensor_hooks_inplace_leaf_grad(m):
    x = t(m, [1.0, 2.0])
    a = x.clone()
    order = []
    a.register_hook(lambda g: order.append(1) or g * 2)
    a.add_(1)
    a.register_hook(lambda g: order.append(2) or g * 3)
    a.sum().backward()
    return order, x.grad


@scenario
def ta_tensor_hooks_inplace_over_view(m):
    x = t(m, [1.0, 2.0, 3.0])
    base = x.clone()
    v = base[1:]
    order = []
    base.register_hook(lambda g: order.append(("base", g.tolist())) or g)
    v.register_hook(lambda g: order.append(("view", g.tolist())) or g * 2)
    v.mul_(2)
    base.sum().backward()
    return order, x.grad


@scenario
def ta_retains_grad_inplace(m):
    a = t(m, [1.0, 2.0]).clone()
    a.retain_grad()
    a.mul_(2)
    a.sum().backward()
    return a.grad, a.retains_grad


@scenario
def ta_retains_grad_inplace_twice(m):
    x = t(m, [1.0, 2.0])
    a = x.clone()
    a.retain_grad()
    a.mul_(2)
    a.mul_(3)
    (a * a).sum().backward()
    return a.grad, x.grad


@scenario
def ta_retain_grad_inplace_over_view(m):
    base = t(m, [1.0, 2.0, 3.0]).clone()
    v = base[:2]
    v.retain_grad()
    base.retain_grad()
    v.mul_(2)
    base.sum().backward()
    return v.grad, base.grad


@scenario
def ta_grad_unreachable(m):
    x = t(m, [1.0])
    y = t(m, [2.0])
    z = x * 2
    w = y * 2
    gx, gy = m.autograd.grad(x * 2, [x, y], allow_unused=True)
    try:
        m.autograd.grad(x * 2, [x, y], allow_unused=False)
    except RuntimeError as e:
        return gx, gy, str(e), z.requires_grad, w.requires_grad


@scenario
def ta_grad_unreachable_discovery(m):
    class MyFunc(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, x):
            raise AssertionError("This node should not be executed!")

    x = MyFunc.apply(t(m, [1.0]))
    y = t(m, [1.0])
    (gY,) = m.autograd.grad(x, (y,), allow_unused=True)
    return gY


@scenario
def ta_backward_badcalls(m):
    x = m.ones(1)
    try:
        x.backward()
    except RuntimeError as e:
        return str(e)


@scenario
def ta_grad_badcalls(m):
    x = m.ones(1)
    y = x**2
    out = []
    try:
        m.autograd.grad(x, y)
    except RuntimeError as e:
        out.append(str(e))
    x = m.ones(1, requires_grad=True)
    y = x**2
    m.autograd.grad(y, x)
    try:
        m.autograd.grad(y, x)
    except RuntimeError as e:
        out.append(str(e))
    return out


@scenario
def ta_grad_empty_inputs(m):
    x = m.tensor([1.0], requires_grad=True)
    m.autograd.grad(2 * x, [], grad_outputs=m.tensor([1.0]))


@scenario
@limitation("the core's Node.__call__ refuses a non-tensor argument with the argument parser's message, PyTorch with 'argument 0 is not a Variable'")
def ta_grad_fn_badcalls(m):
    x = m.randn(3, requires_grad=True)
    y = x.exp()
    out = []
    for args in [(), (m.ones(3), m.ones(3))]:
        try:
            y.grad_fn(*args)
        except TypeError as e:
            out.append(("TypeError", str(e)))
        except RuntimeError as e:
            out.append(("RuntimeError", str(e)))
    try:
        y.grad_fn(1)
    except Exception as e:  # noqa: BLE001
        out.append((type(e).__name__, str(e)))
    return out


@scenario
def ta_grad_fn_call_value(m):
    x = t(m, [1.0, 2.0])
    y = x * 3
    return y.grad_fn(m.tensor([1.0, 1.0]))


@scenario
def ta_grad_batched_grad(m):
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = x.clone()
    batched_grad = m.arange(3.0).expand(2, 2, 3).transpose(0, 2)
    (grad,) = m.autograd.grad(out, (x,), (batched_grad,), is_grads_batched=True)
    return grad


@scenario
def ta_grad_batched_grad_two_outputs(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = m.tensor([3.0, 4.0], requires_grad=True)
    out = (x * y, x + y)
    gos = (m.ones(2, 2), m.tensor([[1.0, 0.0], [0.0, 1.0]]))
    return m.autograd.grad(out, (x, y), gos, is_grads_batched=True)


@scenario
def ta_unused_output(m):
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    outputs = x.chunk(2)
    o = outputs[1]
    o = o * 4 + 2
    o.sum().backward()
    return x.grad


@scenario
def ta_sum_to_with_empty_dim_grad(m):
    a = m.tensor([[1.0], [2.0]], requires_grad=True)
    b = m.empty(2, 0, requires_grad=True)
    c = a + b
    c.sum().backward()
    return a.grad, b.grad, c.shape


@scenario
def ta_hessian_vector(m):
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = m.tensor([[0.5, 1.5], [2.5, 3.5]], requires_grad=True)
    z = x**2 + y * x + y**2
    z.backward(m.ones(2, 2), create_graph=True)
    with m.no_grad():
        x_grad = 2 * x + y
        y_grad = x + 2 * y
    ok = (x.grad.detach() == x_grad).all().item(), (y.grad.detach() == y_grad).all().item()
    grad_sum = 2 * x.grad + y.grad
    grad_sum.backward(m.ones(2, 2))
    return ok, x.grad, y.grad


@scenario
def ta_sharded_grad(m):
    leaves = [m.zeros(3, requires_grad=True) for _ in range(3)]
    intermediates = [leaves[i] * i + 1 for i in range(3)]
    loss = sum(v * i for i, v in enumerate(intermediates)).sum()
    intermediates_batch_grad = m.autograd.grad(loss, intermediates)
    m.autograd.backward(intermediates, intermediates_batch_grad)
    return [leaf.grad for leaf in leaves]


@scenario
def ta_select_sum(m):
    x = m.tensor([1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
    s = sum(x[i] for i in range(5))
    s.backward()
    return s, x.grad, s.grad_fn.name()


@scenario
def ta_diagonal_expanded_v(m):
    value = m.tensor(2.0)
    inp = m.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], requires_grad=True)
    v_expanded = value.expand(3)
    (result,) = m.autograd.grad(inp.diagonal(), inp, v_expanded)
    return result


@scenario
def ta_select_expanded_v(m):
    inp = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    v = m.tensor([5.0]).expand(2)
    (result,) = m.autograd.grad(inp[0], inp, v)
    return result


@scenario
def ta_slice_expanded_v(m):
    inp = m.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    v = m.tensor([7.0]).expand(2, 2)
    (result,) = m.autograd.grad(inp[:, 1:], inp, v)
    return result


@scenario
def ta_indexing_duplicates(m):
    x = m.arange(1.0, 17).view(4, 4)
    y = x.clone().requires_grad_()
    idx = m.tensor([1, 1, 3, 2, 1, 2])
    y[idx].sum().backward()
    return y.grad


@scenario
def ta_indexing_duplicates_2d(m):
    y = m.arange(1.0, 17).view(4, 4).requires_grad_()
    idx = m.tensor([[1, 1, 3, 2, 1, 2], [0, 0, 2, 1, 0, 1]])
    y[idx].sum().backward()
    return y.grad


@scenario
def ta_indexing_duplicates_mask(m):
    y = m.arange(1.0, 17).view(4, 4).requires_grad_()
    boolmask = m.tensor([True, False, True, False])
    y[boolmask].sum().backward()
    return y.grad, y[boolmask].grad_fn.name()


@scenario
def ta_indexing_mixed(m):
    y = m.arange(1.0, 25).view(2, 3, 4).requires_grad_()
    z = y[:, m.tensor([0, 2]), 1:3]
    z.sum().backward()
    return z.shape, z.grad_fn.name(), y.grad


@scenario
def ta_index_backward_does_not_save_tensor(m):
    a = m.tensor([1.0, 0.0, 0.0])
    b = m.zeros(3, requires_grad=True)
    tensor = b + 0
    tensor[a != 0] = tensor[a != 0]
    tensor.backward(m.zeros_like(tensor))
    return b.grad


@scenario
def ta_setitem(m):
    x = m.zeros(3, 3)
    y = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[1] = y
    x.sum().backward()
    return y.grad, x.grad_fn.name()


@scenario
def ta_setitem_mask(m):
    mask = m.tensor([[True, False], [False, True]])
    x = m.zeros(2, 2)
    y = m.tensor(5.0, requires_grad=True)
    x[mask] = y
    (x * m.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    return x, y.grad


@scenario
def ta_setitem_tensor_index_inplace_grad(m):
    x = t(m, [1.0, 2.0, 3.0]).clone()
    x[m.tensor([0, 2])] = m.tensor([10.0, 20.0], requires_grad=True)
    return x.grad_fn.name(), _names(x.grad_fn)


@scenario
def ta_requires_grad_inplace(m):
    a = m.randn(5, 5)
    b = m.randn(5, 5, requires_grad=True)
    a += b
    c = m.randn(5, 5)
    d = m.randn(5, 5, requires_grad=True)
    c = c.clone()
    c[1] += d[0]
    return a.requires_grad, c.requires_grad, a.grad_fn.name(), c.grad_fn.name()


@scenario
def ta_no_requires_grad_inplace(m):
    a = m.tensor([1.0, 2.0])
    b = a[:1]
    a.requires_grad_()
    try:
        b.add_(5)
    except RuntimeError as e:
        return str(e)


@scenario
def ta_no_requires_grad_inplace_no_grad(m):
    a = m.tensor([1.0, 2.0])
    b = a[:1]
    a.requires_grad_()
    with m.no_grad():
        b.add_(5)
    return a, b


@scenario
def ta_requires_grad_set_on_view_base(m):
    a = m.tensor([1.0, 2.0])
    b = a[:1]
    a.requires_grad_()
    b.mul_(m.tensor([2.0], requires_grad=True))


@scenario
def ta_attribute_deletion(m):
    x = m.randn((5, 5), requires_grad=True)
    out = []
    for fn in (lambda: delattr(x, "data"), lambda: delattr(x, "grad_fn"), lambda: delattr(x, "_base")):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            out.append((type(e).__name__, str(e)))
    del x.grad
    out.append(x.grad)
    return out


@scenario
def ta_grad_assign_in_no_grad(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    with m.no_grad():
        x.grad = m.tensor([3.0, 4.0])
    return x.grad


@scenario
def ta_duplicate_backward_root(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    b = m.tensor([3.0, 4.0], requires_grad=True)
    x = a * b
    grad_output = m.tensor([0.5, 2.0])
    m.autograd.backward([x, x], [grad_output, grad_output])
    return a.grad, b.grad


@scenario
def ta_backward_no_grad(m):
    a = m.ones(5, requires_grad=True)
    b = a + 2
    with m.no_grad():
        b.backward(m.ones(5))
    return a.grad


@scenario
def ta_backward_twice_with_saved_values(m):
    b = m.tensor([1.0, 2.0], dtype=m.double, requires_grad=True)
    c = m.zeros(2, dtype=m.double)
    c[[1, 1]] = 1
    c = c + b * 3
    c.backward(m.tensor([1.0, 1.0], dtype=m.double))
    c.backward(m.tensor([1.0, 1.0], dtype=m.double))


@scenario
def ta_backward_twice_retained_graph_with_saved_values(m):
    b = m.tensor([1.0, 2.0], dtype=m.double, requires_grad=True)
    c = m.zeros(2, dtype=m.double)
    c[[1, 1]] = b[:1]
    c.backward(m.tensor([1.0, 1.0], dtype=m.double), retain_graph=True)
    c.backward(m.tensor([1.0, 1.0], dtype=m.double))
    return b.grad


@scenario
def ta_backward_twice_without_saved_values(m):
    b = m.tensor([1.0, 2.0], requires_grad=True)
    c = b + 1
    c.backward(m.ones(2))
    c.backward(m.ones(2))
    return b.grad


@scenario
def ta_next_functions(m):
    x = m.randn(5, 5, requires_grad=True)
    y = m.randn(5, 5, requires_grad=True)
    a = x + y
    nf = a.grad_fn.next_functions
    out = [len(nf), type(nf).__name__, nf[0][1], nf[1][1],
           nf[0][0].variable is x, nf[1][0].variable is y]
    a = x + 5
    nf = a.grad_fn.next_functions
    out += [len(nf), nf[0][0].variable is x]
    a = x.detach() + 5
    out.append(a.grad_fn)
    return out


@scenario
def ta_next_functions_none_for_constant(m):
    x = m.randn(2, requires_grad=True)
    y = m.randn(2)
    return _names((x * y).grad_fn), (x * y).grad_fn.next_functions[1]


@scenario
def ta_dep_nograd(m):
    class F1(m.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            out = m.tensor([1.0, 2.0, 3.0])
            ctx.mark_non_differentiable(out)
            return input, out

        @staticmethod
        def backward(ctx, grad_output, ignored):
            return grad_output

    class F2(m.autograd.Function):
        @staticmethod
        def forward(ctx, input, ignored):
            return input

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output, None

    x = m.tensor([2.0, 3.0, 4.0], requires_grad=True)
    a, b = F1.apply(x)
    b = b + 1  # separate F1 from F2 by another op
    c = F2.apply(a, b)
    c.backward(m.ones(c.size()))
    return x.grad, b.requires_grad


@scenario
def ta_saved_variable_version_counter(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    b = m.sigmoid(a)
    saved = b.grad_fn._saved_result
    out = [saved._version == b._version]
    with m.no_grad():
        b.add_(2)
    out += [saved._version == b._version, b._version]
    return out


@scenario
def ta_isolated_node(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = m.tensor([3.0, 4.0], requires_grad=True)
    a = x + y
    b = m.max(a, 0, True)[1].repeat(2).double()
    o = (b + a).sum()
    o.backward()
    return x.grad, y.grad, b.requires_grad


@scenario
def ta_shape(m):
    x = m.randn(3, 4)
    return x.shape, len(x.shape), x.shape[0], x.shape[1], x.shape[-1], x.shape[-2]


@scenario
def ta_type_conversions(m):
    x = m.randn(5, 5)
    out = [type(x.float()).__name__, x.float().dtype, x.int().dtype, x.double().dtype,
           x.type(m.IntTensor).dtype, x.type("torch.DoubleTensor").dtype if m.__name__ == "torch"
           else x.type("ferrograd.DoubleTensor").dtype]
    y = x.double().requires_grad_()
    z = y.float()
    z.sum().backward()
    out += [y.grad.dtype, z.grad_fn.name()]
    return out


@scenario
def ta_type_conversion_to_int_detaches(m):
    y = t(m, [1.5, 2.5])
    z = y.long()
    return z.requires_grad, z.grad_fn, z


@scenario
@limitation('the core does not record that a view came out of a custom Function, so its in-place error is that of a no_grad view')
def ta_inplace_not_requires_grad(m):
    class MyFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, inp):
            return inp.view_as(inp)

        @staticmethod
        def backward(ctx, grad):
            return grad

    a = m.rand(1, 2)
    b = m.rand(1, requires_grad=True)
    view_a = MyFn.apply(a)
    try:
        view_a += b
    except RuntimeError as e:
        return str(e)


@scenario
def ta_inplace_not_requires_grad_base(m):
    a = m.rand(1, 2)
    b = m.rand(1, requires_grad=True)
    view_a = MyFnHolder.get(m).apply(a)
    base = view_a._base
    return base is None, view_a.requires_grad, b.requires_grad


class MyFnHolder:
    @staticmethod
    def get(m):
        class MyFn(m.autograd.Function):
            @staticmethod
            def forward(ctx, inp):
                return inp.view_as(inp)

            @staticmethod
            def backward(ctx, grad):
                return grad

        return MyFn


@scenario
def ta_mark_non_differentiable_mixed(m):
    class MyFunction(m.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            a = input + 1
            b = input + 2
            ctx.mark_non_differentiable(a)
            return a, b

        @staticmethod
        def backward(ctx, grad_a, grad_b):
            return grad_b

    x = m.tensor([1.0, 2.0], requires_grad=True)
    a, b = MyFunction.apply(x)
    out = [a.requires_grad, b.requires_grad]
    b.sum().backward()
    out.append(x.grad)
    return out


@scenario
def ta_mark_non_differentiable_none(m):
    class MyFunction(m.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            output = input.clone()
            ctx.mark_non_differentiable(output)
            return output

        @staticmethod
        def backward(ctx, grad_output):
            return None

    x = m.tensor([1.0, 2.0], requires_grad=True)
    r = MyFunction.apply(x * x)
    (r * x).sum().backward()
    return x.grad


@scenario
def ta_return_duplicate(m):
    class DoubleDuplicate(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            output = x * 2
            return output, output

        @staticmethod
        def backward(ctx, grad1, grad2):
            return grad1 * 2 + grad2 * 2

    x = m.tensor([1.0, 2.0], requires_grad=True)
    a, b = DoubleDuplicate.apply(x)
    (a + b).sum().backward()
    return a is b, x.grad


@scenario
def ta_return_duplicate_inplace(m):
    class DoubleInplace(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x, x

        @staticmethod
        def backward(ctx, grad1, grad2):
            return grad1 * 2 + grad2 * 2

    inp = m.tensor([1.0, 2.0], requires_grad=True)
    try:
        DoubleInplace.apply(inp)
    except RuntimeError as e:
        first = str(e)
    a, b = DoubleInplace.apply(inp.clone())
    (a + b).sum().backward()
    return first, a is b, inp.grad


@scenario
def ta_return_leaf(m):
    class Identity(m.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a, a + b

        @staticmethod
        def backward(ctx, grad_a, grad_b):
            return grad_a + grad_b, grad_b

    hook_called = [False]
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = m.tensor([3.0, 4.0], requires_grad=True)
    q, p = Identity.apply(x, y)

    def hook(grad):
        hook_called[0] = True

    q.register_hook(hook)
    (q + p + x).sum().backward()
    return x.grad, y.grad, hook_called[0], q is x, q.grad_fn.name() if q.grad_fn else None


@scenario
def ta_return_leaf_inplace(m):
    class Inplace(m.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.mark_dirty(a)
            return a.add_(b), b + 2

        @staticmethod
        def backward(ctx, grad_a, grad_b):
            return grad_a, grad_a + grad_b

    x = m.tensor([1.0, 2.0])
    y = m.tensor([3.0, 4.0], requires_grad=True)
    q, _p = Inplace.apply(x, y)
    out = [q is x, q.grad_fn.name(), q.requires_grad]
    q.sum().backward()
    out.append(y.grad)
    return out


@scenario
def ta_leaf_assignment(m):
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]])
    y = m.tensor([5.0, 6.0], requires_grad=True)
    z = m.tensor([7.0, 8.0], requires_grad=True)
    x = x.clone()
    x[0] = y
    x[1] = 2 * z
    out = [x.requires_grad, x.grad_fn.name()]
    x.sum().backward()
    return out, y.grad, z.grad


@scenario
def ta_no_grad_assignment(m):
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = m.tensor([5.0, 6.0])
    with m.no_grad():
        x[0] = y
    return x.requires_grad, x.grad_fn, x


@scenario
def ta_no_grad_modifies_version(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = m.tensor([3.0, 4.0], requires_grad=True)
    z = (x * y).sum()
    with m.no_grad():
        x *= 2
    try:
        z.backward()
    except RuntimeError as e:
        return str(e)


@scenario
def ta_increment_version_once(m):
    a = m.tensor([1.0, 2.0])
    v = a._version
    m.autograd.graph.increment_version(a)
    return a._version - v


@scenario
def ta_backward_copy(m):
    # the grad tensors handed to backward must not be modified in place
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = m.tensor([3.0, 4.0], requires_grad=True)
    a = x + 2
    b = y + 2
    c = x + 2
    add1 = a + b
    add2 = add1 + c
    for _ in range(4):
        a = a * 2
        b = b * 2
        c = c * 2
    branch = a + b + c
    out = add2 + branch
    grad_output = m.ones_like(out)
    out.backward(grad_output)
    return grad_output, x.grad, y.grad


@scenario
def ta_save_none_for_backward(m):
    test_case = []

    class MyFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(None, input, None)
            return input * input

        @staticmethod
        def backward(ctx, grad_out):
            n1, input, n2 = ctx.saved_tensors
            test_case.append((n1, n2))
            return 2 * input * grad_out

    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = MyFn.apply(x)
    y.sum().backward()
    return x.grad, test_case


@scenario
def ta_too_many_grads(m):
    class MyFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            return input

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output, None, None

    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = MyFn.apply(x)
    y.sum().backward()
    return x.grad


@scenario
def ta_pickle_tensor_requires_grad(m):
    import pickle

    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = pickle.loads(pickle.dumps(x))
    return y, y.requires_grad, y.is_leaf


@scenario
def ta_pickle_nonleaf_error(m):
    import pickle

    x = m.tensor([1.0, 2.0], requires_grad=True) * 2
    pickle.dumps(x)


@scenario
def ta_deepcopy_nonleaf_error(m):
    import copy

    x = m.tensor([1.0, 2.0], requires_grad=True) * 2
    copy.deepcopy(x)


@scenario
def ta_deepcopy_leaf_keeps_grad(m):
    import copy

    x = m.tensor([1.0, 2.0], requires_grad=True)
    x.grad = m.tensor([5.0, 6.0])
    y = copy.deepcopy(x)
    return y, y.grad, y.requires_grad, y.grad is x.grad


@scenario
def ta_no_grad_copy(m):
    class MyFunc(m.autograd.Function):
        static_grad_ptr = None

        @staticmethod
        def forward(ctx, inp1, inp2):
            return inp1 + inp2

        @staticmethod
        def backward(ctx, grad):
            MyFunc.static_grad_ptr = grad.data_ptr()
            return grad, grad

    class NonContGradFunc(m.autograd.Function):
        @staticmethod
        def forward(ctx, inp1):
            ctx.size = inp1.size()
            return m.tensor([1.0])

        @staticmethod
        def backward(ctx, grad):
            return m.ones(1).expand(ctx.size)

    a = m.randn(5, 6, requires_grad=True)
    b = m.randn(5, 6, requires_grad=True)
    NonContGradFunc.apply(MyFunc.apply(a, b)).backward()
    out = [a.grad.data_ptr() != MyFunc.static_grad_ptr, b.grad.data_ptr() != MyFunc.static_grad_ptr]
    a.grad = b.grad = None
    MyFunc.apply(a, b)[1][0].backward()
    p_g = MyFunc.static_grad_ptr
    out += [a.grad.data_ptr() == p_g or b.grad.data_ptr() == p_g, a.grad.data_ptr() == b.grad.data_ptr()]
    return out


@scenario
def ta_simple_reentrant(m):
    y_data = m.tensor([[0.5, 1.5], [2.0, 3.0]])

    class Reenter(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            with m.enable_grad():
                ctx.x = x.detach().requires_grad_(True)
                ctx.output_var = ctx.x * y_data
            return ctx.output_var.detach()

        @staticmethod
        def backward(ctx, grad_output):
            with m.enable_grad():
                ctx.output_var.sum().backward()
            return ctx.x.grad * grad_output

    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = Reenter.apply(x)
    out.sum().backward()
    return x.grad


@scenario
def ta_reentrant_child_error(m):
    a = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    c = a * a
    b = m.tensor([1.0, 2.0], requires_grad=True)
    e = b * b
    f = TestErrorHolder.get(m).apply(e)
    reentrant_root = f.sum()

    class ReentrantFunc(m.autograd.Function):
        @staticmethod
        def forward(ctx, inp):
            return inp.clone()

        @staticmethod
        def backward(ctx, grad):
            reentrant_root.backward()
            return grad

    d = ReentrantFunc.apply(c)
    try:
        d.sum().backward()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)


class TestErrorHolder:
    @staticmethod
    def get(m):
        class TestError(m.autograd.Function):
            @staticmethod
            def forward(ctx, inp):
                return inp.clone()

            @staticmethod
            def backward(ctx, grad):
                raise RuntimeError("Simulate error on backward pass")

        return TestError


@scenario
def ta_custom_function_exception(m):
    class SimulateBackwardError(m.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            return input.clone()

        @staticmethod
        def backward(ctx, input):
            raise Exception("Simulate error on backward pass")  # noqa: TRY002 (the test raises a bare Exception)

    t1 = m.tensor([1.0, 2.0], requires_grad=True)
    t2 = m.tensor([3.0, 4.0], requires_grad=True)
    tmp = (t1 + t2) * (t1 + t2)
    t3 = SimulateBackwardError.apply(tmp)
    try:
        t3.sum().backward()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)


@scenario
def ta_unrelated_inputs(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = m.tensor([3.0, 4.0], requires_grad=True)
    return m.autograd.grad(x * x, [x, y], m.ones(2), allow_unused=True)


@scenario
def ta_var_mean_differentiable(m):
    x = m.tensor([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]], requires_grad=True)
    var, mean = m.var_mean(x, dim=1)
    (var + mean).sum().backward()
    return var, mean, var.grad_fn.name(), x.grad


@scenario
def ta_std_mean_differentiable(m):
    x = m.tensor([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]], requires_grad=True)
    std, mean = m.std_mean(x, dim=1, keepdim=True)
    (std * 2 + mean).sum().backward()
    return std, mean, x.grad


@scenario
def ta_mul_out(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    b = m.tensor([3.0, 4.0], requires_grad=True)
    x = m.zeros(2)
    try:
        m.mul(a, b, out=x)
    except RuntimeError as e:
        return str(e)


@scenario
def ta_mul_out_no_grad_inputs(m):
    a = m.tensor([1.0, 2.0])
    b = m.tensor([3.0, 4.0])
    x = m.zeros(2, requires_grad=True)
    try:
        m.mul(a, b, out=x)
    except RuntimeError as e:
        return str(e)


@scenario
def ta_mul_out_result_requires_grad(m):
    a = m.tensor([1.0, 2.0])
    b = m.tensor([3.0, 4.0])
    x = m.zeros(2, requires_grad=True)
    with m.no_grad():
        m.mul(a, b, out=x)
    return x, x.requires_grad


@scenario
@limitation('the gradient of a diagonal reaches the input through AsStridedScatterBackward0 in the core, DiagonalBackwardBackward0 in PyTorch')
def ta_diagonal_derivative_requires_grad(m):
    a = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = m.diagonal(a) ** 2
    c = b.sum()
    (d,) = m.autograd.grad(c, a, retain_graph=True, create_graph=True)
    return d.requires_grad, d, d.grad_fn.name()


@scenario
def ta_pow_zero_tensor_gradient(m):
    def run_test(input_size, exponent):
        input = m.zeros(*input_size, requires_grad=True)
        input.pow(exponent).sum().backward()
        return input.grad.abs().sum().item()

    return [run_test((10,), m.zeros(10)), run_test((10, 10), m.zeros(10, 10)), run_test((10,), 0)]


@scenario
def ta_pow_scalar_base(m):
    a = m.tensor([1.0, 2.0, 3.0], requires_grad=True).double()
    b = m.pow(1, a)
    g = m.autograd.grad(b.sum(), a)
    return b, g, b.grad_fn.name()


@scenario
def ta_norm_subgradient(m):
    def run_test(input_size, norm_deg):
        input = m.zeros(*input_size, requires_grad=True)
        input.norm(norm_deg).backward()
        return input.grad.abs().sum().item()

    return [run_test((10,), 2), run_test((10, 10), 2), run_test((10,), float("inf")), run_test((10,), 1),
            run_test((10,), 1.5), run_test((10,), 0.5)]


@scenario
def ta_norm_inf_subgradient_ties(m):
    a = m.tensor([1.0, -3.0, 3.0], requires_grad=True)
    a.norm(float("inf")).backward()
    return a.grad


@scenario
def ta_sqrt_complex_edge(m):
    a = m.tensor(0.0 + 0j, dtype=m.cdouble, requires_grad=True)
    b = a.sqrt()
    b.backward()
    return a.grad


@scenario
def ta_chain_matmul(m):
    a = m.tensor([[1.0, 2.0]], requires_grad=True)
    b = m.tensor([[3.0], [4.0]], requires_grad=True)
    c = m.tensor([[5.0, 6.0]], requires_grad=True)
    out = m.linalg.multi_dot([a, b, c])
    out.sum().backward()
    return out, a.grad, b.grad, c.grad


@scenario
def ta_multi_dot_vectors(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    b = m.tensor([[3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    c = m.tensor([7.0, 8.0], requires_grad=True)
    out = m.linalg.multi_dot([a, b, c])
    out.backward()
    return out, a.grad, b.grad, c.grad


@scenario
def ta_cdist_grad(m):
    a = m.tensor([[0.0, 0.0], [1.0, 2.0]], requires_grad=True)
    b = m.tensor([[0.0, 0.0], [3.0, 4.0]], requires_grad=True)
    d = m.cdist(a, b)
    d.sum().backward()
    return d, a.grad, b.grad


@scenario
def ta_igamma_grad_other_not_implemented(m):
    a = m.tensor([1.0, 2.0])
    x = m.tensor([0.5, 1.5], requires_grad=True)
    r = m.igamma(a, x)
    r.sum().backward()
    return r, x.grad


@scenario
def ta_igamma_grad_self_not_implemented(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    x = m.tensor([0.5, 1.5])
    r = m.igamma(a, x)
    r.sum().backward()


@scenario
def ta_set_requires_grad_only_for_floats(m):
    out = []
    for dt in (m.int64, m.int32, m.bool, m.uint8):
        a = m.ones(2, dtype=dt)
        try:
            a.requires_grad_()
        except RuntimeError as e:
            out.append(str(e))
    for dt in (m.float16, m.bfloat16, m.cfloat):
        out.append(m.ones(2, dtype=dt).requires_grad_().requires_grad)
    return out


@scenario
def ta_integer_outputs(m):
    inp = m.tensor([[1.5, -2.0], [3.0, 0.5]], requires_grad=True)
    outs = [inp.argmax(), inp.argmin(), inp.argsort(), inp.sign().long(), m.nonzero(inp),
            inp > 0, m.bucketize(inp, m.tensor([0.0, 1.0])), m.searchsorted(m.tensor([0.0, 1.0]), inp)]
    return [(o.dtype, o.requires_grad, o.grad_fn) for o in outs]


@scenario
def ta_integer_output_unique(m):
    inp = m.tensor([1.0, 2.0, 2.0], requires_grad=True)
    u, idx, counts = m.unique(inp, return_inverse=True, return_counts=True)
    return u.requires_grad, idx.requires_grad, counts.requires_grad


@scenario
@limitation("needs the core's engine: torch._C._current_graph_task_id")
def ta_current_graph_task_id(m):
    ids = []
    t_ = m.tensor(1.0, requires_grad=True).clone()

    def hook(_):
        ids.append(m._C._current_graph_task_id())

    t_.register_hook(hook)
    t_.backward(retain_graph=True)
    t_.backward(retain_graph=True)
    return m._C._current_graph_task_id(), ids[0] != ids[1], len(ids)


@scenario
@limitation("needs the core's engine: torch._C._current_autograd_node")
def ta_current_node(m):
    seen = []

    def hook(grad):
        node = m._C._current_autograd_node()
        seen.append(node.name() if node is not None else None)

    x = m.tensor([1.0], requires_grad=True)
    y = x * 2
    y.register_hook(hook)
    y.sum().backward()
    return seen, m._C._current_autograd_node()


@scenario
def ta_grad_mode_restored_reentrant(m):
    class MyFunction(m.autograd.Function):
        @staticmethod
        def forward(ctx, inp):
            return inp.clone()

        @staticmethod
        def backward(ctx, go):
            original = m._C.is_grad_enabled()
            with m.enable_grad():
                inside = m._C.is_grad_enabled()
                x = m.tensor([2.0], requires_grad=True)
                m.autograd.grad(x * x, x)
            return go, original, inside

    state = []

    class Wrap(MyFunction):
        @staticmethod
        def backward(ctx, go):
            original = m._C.is_grad_enabled()
            with m.enable_grad():
                x = m.tensor([2.0], requires_grad=True)
                m.autograd.grad(x * x, x)
            state.append((original, m._C.is_grad_enabled()))
            return go

    inp = m.tensor([1.0], requires_grad=True)
    Wrap.apply(inp).sum().backward()
    Wrap.apply(inp).sum().backward(create_graph=True)
    return state


@scenario
def ta_is_leaf_after_setitem(m):
    x = m.zeros(2)
    x[0] = m.tensor(1.0, requires_grad=True)
    return x.is_leaf, x.requires_grad, x.grad_fn.name()


@scenario
def ta_view_with_multi_output(m):
    x = m.tensor([1.0, 2.0, 3.0, 4.0])
    x_view = x.view_as(x)
    y = x_view.unbind(0)
    return [v._base is x for v in y], y[0]._is_view()


@scenario
def ta_numpy_requires_grad(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    x.numpy()


@scenario
def ta_numpy_force(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    return x.numpy(force=True).tolist()


@scenario
def ta_numpy_detach_ok(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    return x.detach().numpy().tolist()


@scenario
def ta_tolist_requires_grad_ok(m):
    return (t(m, [1.0, 2.0]) * 2).tolist()


@scenario
def ta_function_returns_input(m):
    class MyFunction(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    out = []
    for shape in [(1,), ()]:
        v = m.ones(shape, requires_grad=True)
        MyFunction.apply(v).backward()
        out.append(v.grad)
        v.grad.zero_()
        MyFunction.apply(v.clone()).backward()
        out.append(v.grad)
    return out


@scenario
def ta_function_returns_undefined_tensor(m):
    class MyFunction(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return None

    x = m.ones(1, requires_grad=True)
    MyFunction.apply(x).backward()
    r1 = x.grad
    MyFunction.apply(x**2).backward()
    r2 = x.grad
    MyFunction.apply(x).sum().backward()
    r3 = x.grad
    r4 = m.autograd.grad(MyFunction.apply(x), x, allow_unused=True)[0]
    return r1, r2, r3, r4


@scenario
def ta_materialize_grads(m):
    class MyFunction(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad.tolist() and grad

    class Undef(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, grad):
            return None

    x = m.ones(1, requires_grad=True)
    m.autograd.grad(MyFunction.apply(x.clone()), x, allow_unused=True)
    return Undef.apply(MyFunction.apply(x)).grad_fn.name()


@scenario
def ta_custom_function_cycle_error_free(m):
    import gc
    import weakref

    class MyFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, metadata):
            x = x.clone()
            ctx.meta = metadata
            ctx.save_for_backward(x)
            return x

        @staticmethod
        def backward(ctx, gO):
            (x,) = ctx.saved_tensors
            return gO * x, None

    x = m.tensor([1.0, 2.0], requires_grad=True)
    out = MyFn.apply(x, {})
    ref = weakref.ref(out.grad_fn)
    out.sum().backward()
    r = x.grad
    del out
    gc.collect()
    return r, ref() is None


@scenario
def ta_grad_fn_attr_bindings(m):
    a = m.ones(1, requires_grad=True)
    b = m.zeros(1, requires_grad=True)
    out1 = m.stack([a, b], dim=0)
    out2 = (a * 2) * b
    out = [out2.grad_fn._saved_self is not None, out2.grad_fn._saved_other is b,
           out1.grad_fn._saved_dim, type(out1.grad_fn._saved_dim).__name__]
    c = m.ones(3, 3, requires_grad=True)
    d = c.sum(dim=1, keepdim=True)
    out += [d.grad_fn._saved_dim, d.grad_fn._saved_keepdim, d.grad_fn._saved_self_sym_sizes]
    e = m.nn.functional.pad(c, (1, 2))
    out.append(getattr(e.grad_fn, "_saved_pad", None))
    f = c.max_pool2d if False else m.nn.functional.avg_pool2d(c.unsqueeze(0), 2)
    out.append((f.grad_fn.name(), f.grad_fn._saved_kernel_size, f.grad_fn._saved_stride,
                f.grad_fn._saved_ceil_mode))
    return out


@scenario
def ta_grad_fn_attr_saved_scalar_types(m):
    a = m.ones(2, requires_grad=True)
    out = []
    for y in [a.clamp(min=0.5), a.clamp(max=2), a.pow(2), a.add(a, alpha=2), a * 2.5, a.div(2, rounding_mode=None),
              a.leaky_relu(0.2), a.elu(alpha=0.5), a.hardtanh(-0.5, 0.5) if hasattr(a, "hardtanh")
              else m.nn.functional.hardtanh(a, -0.5, 0.5)]:
        attrs = sorted(k for k in dir(y.grad_fn) if k.startswith("_saved_"))
        out.append((y.grad_fn.name(), [(k, repr(getattr(y.grad_fn, k))) for k in attrs
                                       if k not in ("_saved_self", "_saved_result")]))
    return out


@scenario
def ta_grad_fn_attr_raw_saved_none(m):
    a = m.ones(2, requires_grad=True)
    y = m.nn.functional.linear(a, m.ones(3, 2))
    return y.grad_fn.name(), [k for k in dir(y.grad_fn) if k.startswith(("_saved", "_raw_saved"))]


@scenario
def ta_autograd_inplace_view_of_view(m):
    x = m.zeros(2, 2)
    y = m.ones(2, 2, requires_grad=True)
    v1 = x.narrow(0, 0, 1)
    v2 = v1.narrow(1, 1, 1)
    v2.mul_(y[:1, :1])
    x.sum().backward()
    return x.grad_fn.name(), v1.grad_fn.name(), v2.grad_fn.name(), y.grad


@scenario
def ta_inplace_on_view_weak_grad_fn(m):
    a = m.arange(10.0, requires_grad=True)
    b = a.narrow(0, 0, 2).clone().view(-1)
    b.relu_()
    c = b.clone()
    del b
    import gc
    gc.collect()
    s = c.sum()
    s.backward()
    return s, a.grad


@scenario
def ta_inplace_on_view_backward(m):
    net = m.nn.Sequential(m.nn.InstanceNorm2d(2), m.nn.ReLU(True))
    x = m.tensor([[[[1.0, 2.0], [3.0, 5.0]], [[2.0, 1.0], [0.0, 7.0]]]], requires_grad=True)
    (g,) = m.autograd.grad(net(x).pow(2).sum(), x, create_graph=True)
    gnorm = g.pow(2).sum()
    gnorm.backward()
    return g.grad_fn.name(), x.grad.shape


@scenario
def ta_inplace_on_view_leaf_errors(m):
    x = m.zeros(1, requires_grad=True)
    y = x.view_as(x)
    try:
        y.add_(1)
    except RuntimeError as e:
        return str(e)


@scenario
def ta_inplace_on_view_gradcheck_like(m):
    a = m.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    b = m.tensor([[0.5, 0.25]], requires_grad=True)
    x = a.clone()
    x.narrow(1, 2, 1).narrow(0, 0, 2).mul_(b.t())
    x.sum().backward()
    return x, a.grad, b.grad


@scenario
def ta_inplace_on_view_non_contig(m):
    root = m.ones(2, 3, 2).select(2, 1).t().requires_grad_(True)
    x = root.clone()
    v1 = x.narrow(0, 0, 1)
    v2 = v1.narrow(1, 1, 1)
    v2.mul_(2)
    x.sum().backward()
    return root.grad.tolist(), root.grad.stride()


@scenario
def ta_inplace_on_view_multi_output_unsafe(m):
    a = m.ones(4, requires_grad=True).clone()
    b, _c = a.split(2)
    try:
        b.mul_(2)
    except RuntimeError as e:
        return str(e)


@scenario
def ta_inplace_on_view_multi_output_safe(m):
    a = m.ones(4, requires_grad=True).clone()
    b, _c = a.split(2)
    s1 = b * 2
    with m.no_grad():
        pass
    return s1.grad_fn.name(), b.grad_fn.name()


@scenario
def ta_inplace_on_view_of_multiple_output_view(m):
    a = m.rand(10, 3, requires_grad=True).clone()
    b = a.unbind(0)
    c = b[0].view_as(b[0])
    try:
        c.mul_(2)
    except RuntimeError as e:
        return str(e)


@scenario
def ta_inplace_multiple_output_view_of_view(m):
    a = m.rand(10, 3, requires_grad=True).clone()
    b = a.view_as(a)
    c = b.unbind(0)
    try:
        c[0].mul_(2)
    except RuntimeError as e:
        return str(e)


@scenario
def ta_inplace_on_view_makes_base_require_grad(m):
    a = m.tensor([1.0, 2.0, 3.0])
    b = m.tensor([5.0], requires_grad=True)
    view = a.narrow(0, 1, 1)
    view.copy_(b)
    return a.requires_grad, a.grad_fn.name(), view.grad_fn.name(), a._version


@scenario
def ta_inplace_on_view_python_function(m):
    class PyAdd(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.mark_dirty(x)
            x.add_(y)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    a = m.ones(4, 4, requires_grad=True)
    b = m.full((2, 2), 3.0, requires_grad=True)
    x = a.clone()
    v = x.narrow(1, 2, 2).narrow(0, 0, 2)
    v2 = PyAdd.apply(v, b)
    x.sum().backward()
    return v2 is v, x.grad_fn.name(), v.grad_fn.name(), a.grad.sum(), b.grad
