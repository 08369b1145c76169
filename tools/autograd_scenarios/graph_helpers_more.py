"""More of autograd.graph's helpers, backward(inputs=), retain_graph with hooks, grads
of views of leaves, sparse and complex gradients, saved numbers after backward."""

from autograd_scenarios import limitation, scenario, submodule, t


def _saved_after_backward(y, field):
    node = y.grad_fn
    before = getattr(node, field)
    y.sum().backward()
    return before, getattr(node, field)


@scenario
def saved_number_xlogy_after_backward(m):
    return _saved_after_backward(m.xlogy(t(m, [1.0, 2.0]), 2.0), "_saved_other")


@scenario
def saved_number_rxlogy_after_backward(m):
    return _saved_after_backward(m.xlogy(3, t(m, [1.0, 2.0])), "_saved_self")


@scenario
def saved_number_pow_function_after_backward(m):
    return _saved_after_backward(m.pow(2.5, t(m, [1.0, 2.0])), "_saved_self")


@scenario
def saved_number_lerp_after_backward(m):
    x = t(m, [1.0, 2.0])
    return _saved_after_backward(x.lerp(x * 3, 0.25), "_saved_weight")


@scenario
def saved_number_xlog1py_after_backward(m):
    return _saved_after_backward(m.special.xlog1py(2, t(m, [1.0, 2.0])), "_saved_self")


@scenario
def multi_grad_hook_all_partial_grads(m):
    a, b = t(m, [1.0, 2.0]), t(m, [3.0])
    seen = []
    m.autograd.graph.register_multi_grad_hook(
        (a, b), lambda grads: seen.append([None if g is None else g.tolist() for g in grads]))
    (a * 2).sum().backward()
    return seen


@scenario
def multi_grad_hook_any_fires_once(m):
    a, b = t(m, [1.0]), t(m, [3.0])
    seen = []
    m.autograd.graph.register_multi_grad_hook((a, b), lambda g: seen.append(g.tolist()), mode="any")
    (a * b).sum().backward()
    return seen


@scenario
def multi_grad_hook_each_backward(m):
    a = t(m, [1.0])
    seen = []
    m.autograd.graph.register_multi_grad_hook((a,), lambda grads: seen.append(len(grads)))
    y = a * 2
    y.backward(retain_graph=True)
    y.backward()
    return seen


@scenario
def multi_grad_hook_no_grad_tensor(m):
    try:
        m.autograd.graph.register_multi_grad_hook((m.tensor([1.0]),), lambda g: None)
    except Exception as e:  # noqa: BLE001 - the error is the result
        return type(e).__name__, str(e)
    return "registered"


@scenario
def allow_mutation_on_saved_values(m):
    with m.autograd.graph.allow_mutation_on_saved_tensors():
        a = t(m, [1.0, 2.0])
        b = a.clone()
        out = (b ** 2).sum()
        b.sin_()
        out.backward()
        return a.grad, b


@scenario
def allow_mutation_on_saved_outside_backward_error(m):
    with m.autograd.graph.allow_mutation_on_saved_tensors():
        a = t(m, [1.0, 2.0])
        b = a.clone()
        out = (b ** 2).sum()
        b.mul_(2)
    try:
        out.backward()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)[:120]
    return a.grad


@scenario
def increment_version_counts(m):
    x = m.tensor([1.0])
    v0 = x._version
    m.autograd.graph.increment_version(x)
    m.autograd.graph.increment_version([x, x])
    return v0, x._version


@scenario
def backward_inputs_nonleaf(m):
    x = t(m, [1.0, 2.0])
    h = x * 3
    h.retain_grad()
    (h ** 2).sum().backward(inputs=[h])
    return h.grad, x.grad


@scenario
def backward_inputs_tensor_not_list(m):
    x, w = t(m, [1.0, 2.0]), t(m, [3.0, 4.0])
    (x * w).sum().backward(inputs=w)
    return x.grad, w.grad


@scenario
def backward_inputs_unrelated(m):
    x, z = t(m, [1.0]), t(m, [2.0])
    try:
        (x * 2).sum().backward(inputs=[z])
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return x.grad, z.grad


@scenario
def backward_inputs_non_requires_grad(m):
    x = t(m, [1.0])
    try:
        (x * 2).sum().backward(inputs=[m.tensor([1.0])])
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return x.grad


@scenario
def retain_graph_hook_fires_each_time(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    calls = []
    y.register_hook(lambda g: calls.append(g.tolist()))
    z = y.sum()
    z.backward(retain_graph=True)
    z.backward(retain_graph=True)
    return calls, x.grad


@scenario
def retain_graph_removed_hook(m):
    x = t(m, [1.0])
    y = x * 2
    calls = []
    h = y.register_hook(lambda g: calls.append(1) or g * 10)
    y.backward(retain_graph=True)
    h.remove()
    y.backward()
    return calls, x.grad


@scenario
def retain_graph_node_prehook(m):
    x = t(m, [1.0])
    y = x.exp()
    y.grad_fn.register_prehook(lambda gout: (gout[0] * 2,))
    y.backward(retain_graph=True)
    y.backward()
    return x.grad


@scenario
def grad_of_view_of_leaf(m):
    x = t(m, [1.0, 2.0, 3.0])
    v = x[1:]
    return m.autograd.grad((v * v).sum(), v)


@scenario
def grad_of_leaf_through_view(m):
    x = t(m, [[1.0, 2.0], [3.0, 4.0]])
    v = x.t()
    (v * m.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    return x.grad


@scenario
def grad_view_of_leaf_requires_grad_attrs(m):
    x = t(m, [1.0, 2.0])
    v = x.view(2, 1)
    return v.is_leaf, v.requires_grad, v.grad_fn.name(), v._base is x


@scenario
def grad_view_of_leaf_inplace_error(m):
    x = t(m, [1.0, 2.0])
    try:
        x[0].mul_(2)
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return "ok"


@scenario
def grad_of_unrelated_view(m):
    x = t(m, [1.0, 2.0])
    v = x[:1]
    try:
        return m.autograd.grad((x * 2).sum(), v)
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)


@scenario
def complex_grad_abs(m):
    z = m.tensor([3 + 4j, 1 - 1j], requires_grad=True)
    z.abs().sum().backward()
    return z.grad


@scenario
def complex_grad_real_imag(m):
    z = m.tensor([1 + 2j], requires_grad=True)
    (z.real * 2 + z.imag * 3).sum().backward()
    return z.grad


@scenario
def complex_grad_of_real_to_complex(m):
    x = t(m, [1.0, 2.0])
    (m.view_as_complex(x.view(1, 2)) * (1 + 1j)).real.sum().backward()
    return x.grad


@scenario
def complex_backward_nonscalar_error(m):
    z = m.tensor([1 + 2j], requires_grad=True)
    try:
        (z * 2).sum().backward()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return z.grad


@limitation("the core's engine takes only dense (strided) gradients, so embedding(sparse=True) "
            "gives the weight a dense gradient")
@scenario
def sparse_grad_embedding(m):
    w = t(m, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    out = m.nn.functional.embedding(m.tensor([0, 2, 0]), w, sparse=True)
    out.sum().backward()
    g = w.grad
    return g.layout, g.is_sparse, g.to_dense()


@scenario
def sparse_grad_mm(m):
    s = m.tensor([[0.0, 2.0], [3.0, 0.0]]).to_sparse().requires_grad_()
    d = t(m, [[1.0, 2.0], [3.0, 4.0]])
    m.sparse.mm(s, d).sum().backward()
    return s.grad.layout, s.grad.to_dense(), d.grad


@scenario
def function_vjp_jvp_names(m):
    fn = submodule(m, "autograd.function").Function
    return hasattr(fn, "vjp"), hasattr(fn, "jvp"), fn.vjp is fn.backward


@scenario
def function_vjp_style_backward(m):
    class Double(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def vjp(ctx, g):
            return g * 2

    x = t(m, [1.0, 3.0])
    Double.apply(x).sum().backward()
    return x.grad


@scenario
def function_jvp_not_implemented(m):
    class Double(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    fwad = submodule(m, "autograd.forward_ad")
    x = m.tensor([1.0])
    try:
        with fwad.dual_level():
            Double.apply(fwad.make_dual(x, m.tensor([1.0])))
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)[:200]
    return "ok"


@scenario
def function_backward_and_vjp_both(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

        @staticmethod
        def vjp(ctx, g):
            return g * 3

    x = t(m, [1.0])
    try:
        F.apply(x).sum().backward()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return x.grad


@scenario
def saved_number_rpow_operator_after_backward(m):
    return _saved_after_backward(2 ** t(m, [1.0, 2.0]), "_saved_self")


def _graph(node, depth=3):
    if node is None or depth == 0:
        return None if node is None else node.name()
    return node.name(), [_graph(f, depth - 1) for f, _ in node.next_functions]


@scenario
def masked_scatter_inplace_graph(m):
    x = t(m, [1.0, 2.0, 3.0])
    y = x * 1
    y.masked_scatter_(m.tensor([True, False, True]), x * 10)
    g = _graph(y.grad_fn, 2)
    y.sum().backward()
    return g, x.grad


@scenario
def kron_vector_graph(m):
    a, b = t(m, [1.0, 2.0]), t(m, [3.0, 4.0, 5.0])
    y = m.kron(a, b)
    g = _graph(y.grad_fn)
    y.pow(2).sum().backward()
    return g, a.grad, b.grad


@scenario
def ldexp_float_exponent_graph(m):
    x, e = t(m, [1.0, 2.0]), t(m, [0.5, -1.0])
    y = m.ldexp(x, e)
    g = _graph(y.grad_fn)
    y.sum().backward()
    return g, x.grad, e.grad


@scenario
def disable_saved_tensors_hooks_message(m):
    with m.autograd.graph.disable_saved_tensors_hooks("no hooks here"):
        try:
            with m.autograd.graph.saved_tensors_hooks(lambda x: x, lambda x: x):
                pass
        except Exception as e:  # noqa: BLE001
            return type(e).__name__, str(e)
    return "ok"


@scenario
def saved_tensors_hooks_with_retain_graph(m):
    calls = []
    x = t(m, [1.0, 2.0])
    with m.autograd.graph.saved_tensors_hooks(lambda v: calls.append("pack") or v,
                                              lambda v: calls.append("unpack") or v):
        y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return calls, x.grad


@scenario
def gradient_edge_backward_inputs(m):
    x = t(m, [1.0, 2.0])
    h = x * 3
    edge = m.autograd.graph.get_gradient_edge(h)
    out = (h ** 2).sum()
    (g,) = m.autograd.grad(out, edge)
    return g
