"""Tensor hooks, Node hooks, handles, post-accumulate hooks."""

from autograd_scenarios import scenario, t


@scenario
def hook_handle_remove(m):
    x = t(m, [1.0])
    calls = []
    h = x.register_hook(lambda g: calls.append("a"))
    h.remove()
    (x * 2).sum().backward()
    return calls, x.grad


@scenario
def hook_handle_remove_twice(m):
    x = t(m, [1.0])
    h = x.register_hook(lambda g: None)
    h.remove()
    h.remove()
    return type(h).__name__


@scenario
def hook_handle_context_manager(m):
    x = t(m, [1.0])
    calls = []
    with x.register_hook(lambda g: calls.append(1)):
        (x * 2).sum().backward()
    (x * 2).sum().backward()
    return calls


@scenario
def hook_on_nonleaf_changes_upstream(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    y.register_hook(lambda g: g * 0 + 1)
    (y * 5).sum().backward()
    return x.grad


@scenario
def hook_sees_grad_value(m):
    x = t(m, [1.0, 2.0])
    seen = []
    x.register_hook(lambda g: seen.append(g.clone()))
    (x * x).sum().backward()
    return seen


@scenario
def hook_chain_replacement(m):
    x = t(m, [1.0])
    x.register_hook(lambda g: g * 2)
    x.register_hook(lambda g: g + 1)
    (x * 3).sum().backward()
    return x.grad


@scenario
def hook_on_no_grad_tensor_error(m):
    m.tensor([1.0]).register_hook(lambda g: g)


@scenario
def hook_wrong_shape_return(m):
    x = t(m, [1.0, 2.0])
    x.register_hook(lambda g: m.ones(3))
    (x * 2).sum().backward()


@scenario
def hook_wrong_type_return(m):
    x = t(m, [1.0, 2.0])
    x.register_hook(lambda g: 3)
    (x * 2).sum().backward()


@scenario
def post_accumulate_grad_hook(m):
    x = t(m, [1.0, 2.0])
    seen = []
    x.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.clone()))
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    return seen


@scenario
def post_accumulate_grad_hook_nonleaf_error(m):
    x = t(m, [1.0])
    (x * 2).register_post_accumulate_grad_hook(lambda p: None)


@scenario
def post_accumulate_grad_hook_no_grad_error(m):
    m.tensor([1.0]).register_post_accumulate_grad_hook(lambda p: None)


@scenario
def post_accumulate_grad_hook_return_ignored(m):
    x = t(m, [1.0])
    x.register_post_accumulate_grad_hook(lambda p: m.tensor([100.0]))
    (x * 3).sum().backward()
    return x.grad


@scenario
def post_accumulate_grad_hook_can_zero(m):
    x = t(m, [1.0])

    def hook(p):
        p.grad = None

    x.register_post_accumulate_grad_hook(hook)
    (x * 3).sum().backward()
    return x.grad


@scenario
def node_hook(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    seen = []
    y.grad_fn.register_hook(lambda gi, go: seen.append((len(gi), len(go), go[0].clone())))
    y.sum().backward()
    return seen


@scenario
def node_hook_replaces_grad_inputs(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    y.grad_fn.register_hook(lambda gi, go: (gi[0] * 10, gi[1]))
    y.sum().backward()
    return x.grad


@scenario
def node_prehook(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    y.grad_fn.register_prehook(lambda go: (go[0] * 5,))
    y.sum().backward()
    return x.grad


@scenario
def node_prehook_handle_remove(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    h = y.grad_fn.register_prehook(lambda go: (go[0] * 5,))
    h.remove()
    y.sum().backward()
    return x.grad


@scenario
def node_hook_wrong_count(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    y.grad_fn.register_hook(lambda gi, go: (gi[0],) * 3)
    y.sum().backward()


@scenario
def node_prehook_wrong_count(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    y.grad_fn.register_prehook(lambda go: (go[0], go[0]))
    y.sum().backward()


@scenario
def accumulate_grad_node_hook(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    acc = y.grad_fn.next_functions[0][0]
    seen = []
    acc.register_hook(lambda gi, go: seen.append((gi, go[0].clone())))
    y.sum().backward()
    return type(acc).__name__, seen


@scenario
def accumulate_grad_variable(m):
    x = t(m, [1.0, 2.0])
    acc = (x * 2).grad_fn.next_functions[0][0]
    return acc.variable is x, acc.name()


@scenario
def hook_order_tensor_vs_node(m):
    x = t(m, [1.0])
    y = x * 2
    calls = []
    y.register_hook(lambda g: calls.append("tensor"))
    y.grad_fn.register_prehook(lambda go: calls.append("pre"))
    y.grad_fn.register_hook(lambda gi, go: calls.append("post"))
    (y * 1).sum().backward()
    return calls


@scenario
def retain_grad_then_hook_order(m):
    x = t(m, [1.0])
    y = x * 2
    y.register_hook(lambda g: g * 3)
    y.retain_grad()
    (y * 1).sum().backward()
    return y.grad, x.grad


@scenario
def retain_grad_before_hook(m):
    x = t(m, [1.0])
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g * 3)
    (y * 1).sum().backward()
    return y.grad, x.grad


@scenario
def retain_grad_on_leaf_noop(m):
    x = t(m, [1.0])
    x.retain_grad()
    (x * 2).sum().backward()
    return x.retains_grad, x.grad


@scenario
def retain_grad_no_grad_error(m):
    m.tensor([1.0]).retain_grad()


@scenario
def retains_grad_flag(m):
    x = t(m, [1.0])
    y = x * 2
    before = y.retains_grad
    y.retain_grad()
    return before, y.retains_grad


@scenario
def retain_grad_accumulates(m):
    x = t(m, [1.0])
    y = x * 2
    y.retain_grad()
    (y * 3).sum().backward(retain_graph=True)
    (y * 3).sum().backward()
    return y.grad


@scenario
def nonleaf_grad_warning_full(m):
    x = t(m, [1.0])
    return (x * 2).grad


@scenario
def nonleaf_grad_after_retain_no_warning(m):
    x = t(m, [1.0])
    y = x * 2
    y.retain_grad()
    return y.grad


@scenario
def hooks_dict_nonempty(m):
    x = t(m, [1.0])
    x.register_hook(lambda g: g)
    return len(x._backward_hooks)


@scenario
def grad_fn_hooks_listing(m):
    x = t(m, [1.0])
    y = x * 2
    y.grad_fn.register_hook(lambda gi, go: None)
    y.grad_fn.register_prehook(lambda go: None)
    return len(y.grad_fn._forward_hooks) if hasattr(y.grad_fn, "_forward_hooks") else "none"
