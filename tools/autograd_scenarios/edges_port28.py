"""Gradient edges, input metadata and post-accumulate hooks, after PyTorch's
test_autograd (test_grad_to_node*, test_gradient_edge_*, test_post_accumulate_grad_hook_*)."""

from autograd_scenarios import limitation, scenario


def _edge(m, t):
    return m.autograd.graph.get_gradient_edge(t)


def _GE(m):
    return m.autograd.graph.GradientEdge


@scenario
def ge_grad_to_node_clone(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    out = x.clone() * 3
    return m.autograd.grad(out.sum(), _edge(m, x)), m.autograd.grad(out.sum(), x)


@scenario
def ge_grad_to_node_nonleaf(m):
    x = m.tensor([1.0, 2.0], requires_grad=True).clone()
    out = x.clone() * 3
    return m.autograd.grad(out.sum(), _edge(m, x))


@scenario
def ge_grad_to_node_var_mean_output(m):
    x = m.tensor([1.0, 2.0], requires_grad=True).clone()
    x = m.var_mean(x)[1]
    out = x.clone() * 3
    return m.autograd.grad(out.sum(), _edge(m, x)), m.autograd.grad(out.sum(), x)


@scenario
def ge_grad_to_node_custom_function(m):
    class Clone(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, g):
            return g.clone()

    x = Clone.apply(m.tensor([1.0, 2.0], requires_grad=True))
    out = x * x
    return m.autograd.grad(out.sum(), _edge(m, x)), m.autograd.grad(out.sum(), x)


@scenario
@limitation("needs the core: grad/backward to a GradientEdge's node input; ferrograd differentiates with respect to the tensor the edge was taken from (user-made edges are refused)")
def ge_grad_to_node_set(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    x_edge = _edge(m, x)
    out = x.clone()
    with m.no_grad():
        x.set_(m.tensor([3.0, 4.0]))
    err = None
    try:
        m.autograd.grad(out.sum(), x)
    except RuntimeError as e:
        err = str(e)
    return err, m.autograd.grad(out.sum(), x_edge)


@scenario
@limitation("needs the core: grad/backward to a GradientEdge's node input; ferrograd differentiates with respect to the tensor the edge was taken from (user-made edges are refused)")
def ge_grad_to_node_inplace(m):
    x = m.tensor([1.0, 2.0], requires_grad=True).clone()
    x_edge = _edge(m, x)
    x *= 2
    return m.autograd.grad(x.sum(), (x_edge, x))


@scenario
@limitation("needs the core: grad/backward to a GradientEdge's node input; ferrograd differentiates with respect to the tensor the edge was taken from (user-made edges are refused)")
def ge_grad_to_node_multi(m):
    x = m.tensor([1.0, 2.0], requires_grad=True).clone()
    y = m.tensor([3.0, 4.0], requires_grad=True).clone()
    out = x * y
    edges = (_GE(m)(x.grad_fn, x.output_nr), _GE(m)(y.grad_fn, y.output_nr))
    return m.autograd.grad(out.sum(), edges)


@scenario
@limitation("needs the core: grad/backward to a GradientEdge's node input; ferrograd differentiates with respect to the tensor the edge was taken from (user-made edges are refused)")
def ge_grad_to_node_materialize_error(m):
    x = m.tensor([1.0, 2.0], requires_grad=True).clone()
    y = m.tensor([3.0, 4.0], requires_grad=True).clone()
    edge_y = _GE(m)(y.grad_fn, y.output_nr)
    out = x.clone()
    r = m.autograd.grad(out.sum(), (x, edge_y), allow_unused=True)
    try:
        m.autograd.grad(out.sum(), (x, edge_y), allow_unused=True, materialize_grads=True)
    except RuntimeError as e:
        return r, str(e)


@scenario
@limitation("needs the core: grad/backward to a GradientEdge's node input; ferrograd differentiates with respect to the tensor the edge was taken from (user-made edges are refused)")
def ge_grad_to_node_materialize_edge_first_ok(m):
    x = m.tensor([1.0, 2.0], requires_grad=True).clone()
    edge_x = _GE(m)(x.grad_fn, x.output_nr)
    y = m.tensor([3.0, 4.0], requires_grad=True).clone()
    out = x.clone()
    return m.autograd.grad(out.sum(), (edge_x, y), allow_unused=True, materialize_grads=True)


@scenario
@limitation("needs the core: grad/backward to a GradientEdge's node input; ferrograd differentiates with respect to the tensor the edge was taken from (user-made edges are refused)")
def ge_backward_to_node(m):
    x0 = m.tensor([1.0, 2.0], requires_grad=True)
    x = x0.clone()
    edge_x = _GE(m)(x.grad_fn, x.output_nr)
    y0 = m.tensor([3.0, 4.0], requires_grad=True)
    y = y0.clone()
    edge_y = _GE(m)(y.grad_fn, y.output_nr)
    out = (x * 2).clone()
    m.autograd.backward(out.sum(), inputs=(edge_x, y), retain_graph=True)
    m.autograd.backward(out.sum(), inputs=(x, edge_y), retain_graph=True)
    m.autograd.backward(out.sum(), inputs=(edge_x, edge_y))
    return x0.grad, y0.grad, x.grad, y.grad


@scenario
def ge_input_metadata(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = m.tensor([3.0, 4.0], requires_grad=True)
    z = x * y
    md = z.grad_fn._input_metadata[0]
    b = m.ones(3, 3, requires_grad=True)
    var, _ = m.var_mean(b, dim=0)
    md0, md1 = var.grad_fn._input_metadata[0], var.grad_fn._input_metadata[1]
    return md.shape, md.dtype, md0.shape, md1.shape, len(var.grad_fn._input_metadata)


@scenario
@limitation("a custom Function's node (the core's _FunctionBase) keeps no metadata of its forward outputs: no _input_metadata")
def ge_input_metadata_custom_function(m):
    class Test(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    x = Test.apply(m.ones(3, 3, requires_grad=True))
    md = x.grad_fn._input_metadata[0]
    return md.shape, md.dtype


@scenario
def ge_input_metadata_fields(m):
    z = m.ones(2, requires_grad=True) * 2
    md = z.grad_fn._input_metadata[0]
    return (md.shape, md.dtype, str(md.device), md.is_nested_tensor, md.is_cpp_nested_tensor,
            type(md).__name__)


def _fn_edge(m, x, reduce=True):
    tmp = x.sin().cos()
    if reduce:
        tmp = tmp.sum()
    out = tmp.exp().clone().sin().sum()
    return out, _edge(m, tmp)


@scenario
def ge_gradient_edge_output_two_steps(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    out, tmp_edge = _fn_edge(m, x)
    (tmp_grad,) = m.autograd.grad(out, (tmp_edge,))
    (x_grad,) = m.autograd.grad(tmp_edge, (x,), grad_outputs=(tmp_grad,))
    out, _ = _fn_edge(m, x)
    return x_grad, m.autograd.grad(out, (x,))


@scenario
def ge_gradient_edge_output_nonscalar_error(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    _, tmp_edge = _fn_edge(m, x, reduce=False)
    m.autograd.grad(tmp_edge, (x,))


@scenario
def ge_gradient_edge_output_scalar_ok(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    _, tmp_edge = _fn_edge(m, x)
    return m.autograd.grad(tmp_edge, (x,))


@scenario
def ge_gradient_edge_output_wrong_size(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    _, tmp_edge = _fn_edge(m, x)
    m.autograd.grad(tmp_edge, (x,), grad_outputs=m.tensor([1.0, 2.0, 3.0, 4.0]))


@scenario
def ge_gradient_edge_output_wrong_dtype(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    _, tmp_edge = _fn_edge(m, x)
    m.autograd.grad(tmp_edge, (x,), grad_outputs=m.tensor(1.0, dtype=m.complex64))


@scenario
def ge_gradient_edge_backward_matches_grad(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    _, tmp_edge = _fn_edge(m, x)
    m.autograd.backward(tmp_edge, retain_graph=True)
    g1 = x.grad.clone()
    x.grad = None
    m.autograd.backward((tmp_edge,), retain_graph=True)
    return g1, x.grad, m.autograd.grad(tmp_edge, (x,), retain_graph=True)


@scenario
def ge_gradient_edge_mixed_with_tensor(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    _, tmp_edge1 = _fn_edge(m, x)
    out2, _ = _fn_edge(m, x)
    (ref,) = m.autograd.grad((tmp_edge1, out2), (x,), retain_graph=True)
    m.autograd.backward((tmp_edge1, out2), retain_graph=True)
    return ref, x.grad


@scenario
def ge_gradient_edge_backward_wrong_shape(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    _, tmp_edge = _fn_edge(m, x)
    m.autograd.backward(tmp_edge, inputs=(x,), grad_tensors=m.tensor([1.0, 2.0, 3.0, 4.0]))


@scenario
def ge_gradient_edge_graph_ownership(m):
    class Clone(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, gX):
            return gX.clone()

    leaf = m.tensor([1.5], requires_grad=True)
    inp = leaf.clone()
    out = inp.clone()
    edge = _edge(m, out)
    m.autograd.backward(edge)
    del out
    m.autograd.backward(edge)
    g1 = leaf.grad.clone()
    out = Clone.apply(inp)
    edge = _edge(m, out)
    m.autograd.backward(edge)
    del out
    m.autograd.backward(edge)
    return g1, leaf.grad


@scenario
def ge_gradient_edge_repr_fields(m):
    x = m.tensor([1.0], requires_grad=True)
    y = x * 2
    e = _edge(m, y)
    return type(e).__name__, e.node.name(), e.output_nr, len(e), e[1]


@scenario
def ge_get_gradient_edge_of_view(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    v = x[1:]
    e = _edge(m, v)
    return e.node.name(), e.output_nr


@scenario
def pah_multiple_hooks_in_order(m):
    def hook1(t_):
        t_.sub_(t_.grad)

    def hook2(t_):
        t_.mul_(4.0)

    tensor = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    tensor.register_post_accumulate_grad_hook(hook1)
    tensor.register_post_accumulate_grad_hook(hook2)
    tensor.sum().backward()
    return tensor


@scenario
def pah_multiple_tensors(m):
    def hook(t_):
        t_.sub_(t_.grad)

    t1 = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    t2 = m.tensor([4.0, 5.0], requires_grad=True)
    t1.register_post_accumulate_grad_hook(hook)
    t2.register_post_accumulate_grad_hook(hook)
    t1.sum().backward()
    t2.sum().backward()
    return t1, t2


@scenario
def pah_returns_not_none(m):
    tensor = m.ones(2, 3, requires_grad=True)
    tensor.register_post_accumulate_grad_hook(lambda t_: t_.grad)
    tensor.sum().backward()


@scenario
def pah_e2e_optimizer_in_backward(m):
    m.manual_seed(0)
    model = m.nn.Linear(3, 2)
    with m.no_grad():
        model.weight.copy_(m.tensor([[0.1, 0.2, 0.3], [-0.1, 0.0, 0.5]]))
        model.bias.copy_(m.tensor([0.05, -0.05]))
    inp = m.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
    optims = {}

    def optim_step_hook(param):
        optims[param].step()
        optims[param].zero_grad()

    handles = []
    for p in model.parameters():
        optims[p] = m.optim.SGD([p], lr=0.1)
        handles.append(p.register_post_accumulate_grad_hook(optim_step_hook))
    for _ in range(3):
        model(inp).sum().backward()
    after = [p.detach().clone() for p in model.parameters()]
    for h in handles:
        h.remove()
    model(inp).sum().backward()
    return after, [p.grad for p in model.parameters()]


@scenario
def pah_on_non_leaf_message(m):
    leaf = m.rand(3, requires_grad=True)
    (2.0 * leaf).register_post_accumulate_grad_hook(lambda t_: None)


@scenario
def pah_with_retain_graph_runs_each_time(m):
    calls = []
    x = m.tensor([1.0, 2.0], requires_grad=True)
    x.register_post_accumulate_grad_hook(lambda t_: calls.append(t_.grad.tolist()))
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return calls


@scenario
def pah_not_called_by_autograd_grad(m):
    calls = []
    x = m.tensor([1.0, 2.0], requires_grad=True)
    x.register_post_accumulate_grad_hook(lambda t_: calls.append(1))
    g = m.autograd.grad((x * x).sum(), x)
    return calls, g


@scenario
def pah_order_vs_tensor_hook(m):
    calls = []
    x = m.tensor([1.0, 2.0], requires_grad=True)
    x.register_post_accumulate_grad_hook(lambda t_: calls.append(("post", t_.grad.tolist())))
    x.register_hook(lambda g: calls.append(("pre", g.tolist())) or g * 2)
    (x * 3).sum().backward()
    return calls
