"""autograd.graph: Node API, GradientEdge, multi-grad hooks, metadata, increment_version."""

from autograd_scenarios import scenario, t


@scenario
def node_isinstance(m):
    x = t(m, [1.0])
    g = (x * 2).grad_fn
    node = m.autograd.graph.Node
    return isinstance(g, node), isinstance(g.next_functions[0][0], node), isinstance(3, node)


@scenario
def node_metadata_persistent(m):
    x = t(m, [1.0])
    y = x * 2
    y.grad_fn.metadata["tag"] = "a"
    return y.grad_fn.metadata, type(y.grad_fn.metadata).__name__


@scenario
def node_next_functions_of_leaf_input_without_grad(m):
    x = t(m, [1.0])
    y = x * m.tensor([2.0])
    return [(type(f).__name__, i) for f, i in y.grad_fn.next_functions]


@scenario
def node_next_functions_multi_output(m):
    x = t(m, [3.0, 1.0, 2.0])
    v, _i = x.sort()
    y = v[0] + v[1]
    return [(f.name(), n) for f, n in y.grad_fn.next_functions]


@scenario
def node_next_functions_type(m):
    x = t(m, [1.0])
    return type((x * 2).grad_fn.next_functions).__name__


@scenario
def node_call_directly(m):
    x = t(m, [1.0, 2.0])
    y = x * 3
    return y.grad_fn(m.tensor([1.0, 1.0]))


@scenario
def node_repr_prefix(m):
    x = t(m, [1.0])
    return repr((x * 2).grad_fn).split(" object")[0]


@scenario
def node_equality_same_node(m):
    x = t(m, [1.0])
    y = x * 2
    return y.grad_fn is y.grad_fn, y.grad_fn == y.grad_fn


@scenario
def accumulate_grad_same_object(m):
    x = t(m, [1.0])
    a = (x * 2).grad_fn.next_functions[0][0]
    b = (x * 3).grad_fn.next_functions[0][0]
    return a is b


@scenario
def get_gradient_edge(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    edge = m.autograd.graph.get_gradient_edge(y)
    return type(edge).__name__, edge.node.name(), edge.output_nr


@scenario
def grad_with_gradient_edge(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    z = (y * y).sum()
    edge = m.autograd.graph.get_gradient_edge(y)
    return m.autograd.grad(z, edge)


@scenario
def get_gradient_edge_leaf(m):
    x = t(m, [1.0])
    edge = m.autograd.graph.get_gradient_edge(x)
    return edge.node.name(), edge.output_nr


@scenario
def get_gradient_edge_no_grad(m):
    m.autograd.graph.get_gradient_edge(m.tensor([1.0]))


@scenario
def multi_grad_hook_all(m):
    a = t(m, [1.0])
    b = t(m, [2.0])
    seen = []
    m.autograd.graph.register_multi_grad_hook(
        (a, b), lambda grads: seen.append([None if g is None else g.tolist() for g in grads]))
    (a * 3).sum().backward()
    return seen


@scenario
def multi_grad_hook_any(m):
    a = t(m, [1.0])
    b = t(m, [2.0])
    seen = []
    m.autograd.graph.register_multi_grad_hook((a, b), lambda g: seen.append(g.tolist()),
                                              mode="any")
    (a * 3 + b).sum().backward()
    return seen


@scenario
def multi_grad_hook_bad_mode(m):
    a = t(m, [1.0])
    m.autograd.graph.register_multi_grad_hook((a,), lambda g: None, mode="some")


@scenario
def multi_grad_hook_remove(m):
    a = t(m, [1.0])
    seen = []
    h = m.autograd.graph.register_multi_grad_hook((a,), lambda g: seen.append(1))
    h.remove()
    (a * 3).sum().backward()
    return seen


@scenario
def increment_version(m):
    x = m.tensor([1.0])
    m.autograd.graph.increment_version(x)
    return x._version


@scenario
def increment_version_breaks_backward(m):
    a = t(m, [1.0])
    b = a * 1
    y = b.exp()
    m.autograd.graph.increment_version(y)
    y.sum().backward()


@scenario
def allow_mutation_on_saved(m):
    a = t(m, [1.0, 2.0])
    with m.autograd.graph.allow_mutation_on_saved_tensors():
        b = a * 1
        y = b.pow(2)
        b.add_(1)
        y.sum().backward()
    return a.grad


@scenario
def variable_is_tensor(m):
    v = m.autograd.Variable(m.tensor([1.0]), requires_grad=True)
    return type(v).__name__, v.requires_grad, isinstance(m.tensor(1.0), m.autograd.Variable)


@scenario
def parameter_grad(m):
    p = m.nn.Parameter(m.tensor([1.0, 2.0]))
    (p * p).sum().backward()
    return type(p).__name__, p.grad, p.is_leaf


@scenario
def parameter_non_float_error(m):
    m.nn.Parameter(m.tensor([1, 2]))


@scenario
def module_zero_grad_sets_none(m):
    lin = m.nn.Linear(2, 1)
    lin(m.ones(1, 2)).sum().backward()
    lin.zero_grad()
    return lin.weight.grad


@scenario
def optimizer_step_uses_grad(m):
    p = m.nn.Parameter(m.tensor([1.0, 2.0]))
    opt = m.optim.SGD([p], lr=0.5)
    (p * p).sum().backward()
    opt.step()
    return p


@scenario
def backward_through_view_chain(m):
    x = t(m, [[1.0, 2.0], [3.0, 4.0]])
    y = x.t().reshape(4)[1:3].unsqueeze(0)
    (y * m.tensor([[10.0, 100.0]])).sum().backward()
    return x.grad


@scenario
def backward_broadcast_reduction(m):
    x = t(m, [1.0, 2.0])
    w = t(m, [[1.0], [2.0], [3.0]])
    (x * w).sum().backward()
    return x.grad, w.grad


@scenario
def backward_dtype_promotion(m):
    x = t(m, [1.0, 2.0])
    w = t(m, [3.0, 4.0], dtype=m.float64)
    y = x * w
    y.sum().backward()
    return y.dtype, x.grad, w.grad


@scenario
def backward_int_scalar_mul(m):
    x = t(m, [1.0, 2.0])
    (x * m.tensor([3, 4])).sum().backward()
    return x.grad


@scenario
def grad_of_max_ties(m):
    x = t(m, [2.0, 2.0, 1.0])
    x.max().backward()
    return x.grad


@scenario
def grad_of_amax_ties(m):
    x = t(m, [2.0, 2.0, 1.0])
    x.amax().backward()
    return x.grad


@scenario
def grad_of_abs_at_zero(m):
    x = t(m, [0.0, -1.0])
    x.abs().sum().backward()
    return x.grad


@scenario
def grad_of_relu_at_zero(m):
    x = t(m, [0.0])
    x.relu().sum().backward()
    return x.grad


@scenario
def grad_of_sqrt_at_zero(m):
    x = t(m, [0.0])
    x.sqrt().sum().backward()
    return x.grad


@scenario
def grad_of_norm_at_zero(m):
    x = t(m, [0.0, 0.0])
    x.norm().backward()
    return x.grad


@scenario
def grad_of_clamp_at_bound(m):
    x = t(m, [0.0, 1.0, 2.0])
    x.clamp(0.0, 1.0).sum().backward()
    return x.grad


@scenario
def grad_of_pow_zero_base(m):
    x = t(m, [0.0])
    x.pow(0).sum().backward()
    return x.grad


@scenario
def grad_of_where_nan_branch(m):
    x = t(m, [0.0, 1.0])
    m.where(x > 0, x.log(), m.zeros(2)).sum().backward()
    return x.grad


@scenario
def grad_of_median_ties(m):
    x = t(m, [1.0, 2.0, 2.0, 3.0])
    x.median().backward()
    return x.grad


@scenario
def grad_of_min_dim_ties(m):
    x = t(m, [[1.0, 1.0], [0.0, 2.0]])
    x.min(1).values.sum().backward()
    return x.grad


@scenario
def grad_of_sort_stable(m):
    x = t(m, [2.0, 1.0, 2.0])
    v, _ = x.sort(stable=True)
    (v * m.tensor([1.0, 10.0, 100.0])).sum().backward()
    return x.grad


@scenario
def grad_of_unique_error(m):
    x = t(m, [1.0, 1.0])
    x.unique().sum().backward()


@scenario
def grad_of_argmax_not_differentiable(m):
    x = t(m, [1.0, 2.0])
    return x.argmax().requires_grad


@scenario
def grad_of_round_is_zero(m):
    x = t(m, [1.4, 2.6])
    x.round().sum().backward()
    return x.grad


@scenario
def grad_of_floor_divide(m):
    x = t(m, [3.0])
    (x // 2).sum().backward()
    return x.grad


@scenario
def grad_of_sign(m):
    x = t(m, [3.0, -1.0])
    x.sign().sum().backward()
    return x.grad


@scenario
def grad_of_eq_not_tracked(m):
    x = t(m, [3.0])
    return (x == 3).requires_grad, (x > 0).grad_fn


@scenario
def grad_linalg_det(m):
    x = t(m, [[2.0, 1.0], [1.0, 3.0]])
    m.linalg.det(x).backward()
    return x.grad


@scenario
def grad_linalg_inv(m):
    x = t(m, [[2.0, 1.0], [1.0, 3.0]], dtype=m.float64)
    m.linalg.inv(x).sum().backward()
    return x.grad


@scenario
def grad_embedding(m):
    w = t(m, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    m.nn.functional.embedding(m.tensor([0, 2, 0]), w).sum().backward()
    return w.grad


@scenario
def grad_embedding_padding_idx(m):
    w = t(m, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    m.nn.functional.embedding(m.tensor([0, 2, 0]), w, padding_idx=0).sum().backward()
    return w.grad


@scenario
def grad_index_add_duplicates(m):
    x = t(m, [1.0, 2.0, 3.0])
    y = x[m.tensor([0, 0, 2])]
    (y * m.tensor([1.0, 2.0, 3.0])).sum().backward()
    return x.grad


@scenario
def grad_scatter_add(m):
    x = t(m, [1.0, 2.0, 3.0])
    src = t(m, [5.0, 6.0])
    y = x.scatter_add(0, m.tensor([0, 0]), src)
    (y * m.tensor([1.0, 2.0, 3.0])).sum().backward()
    return x.grad, src.grad, y.grad_fn.name()


@scenario
def grad_index_put_accumulate(m):
    x = t(m, [1.0, 2.0, 3.0])
    v = t(m, [5.0, 6.0])
    y = x.index_put((m.tensor([1, 1]),), v, accumulate=True)
    (y * y).sum().backward()
    return x.grad, v.grad


@scenario
def grad_masked_fill(m):
    x = t(m, [1.0, 2.0, 3.0])
    y = x.masked_fill(m.tensor([True, False, True]), 0.0)
    y.sum().backward()
    return x.grad, y.grad_fn.name()


@scenario
def grad_nll_loss_ignore_index(m):
    x = t(m, [[0.1, 0.9], [0.3, 0.7]])
    m.nn.functional.nll_loss(x.log_softmax(1), m.tensor([1, -100])).backward()
    return x.grad


@scenario
def grad_batch_norm_training(m):
    x = t(m, [[1.0, 2.0], [3.0, 5.0]], dtype=m.float64)
    m.nn.functional.batch_norm(x, None, None, training=True).pow(2).sum().backward()
    return x.grad
