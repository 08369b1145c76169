"""torch.autograd.graph: Node hooks and pre-hooks on many ops, Node.name(), next_functions,
increment_version against saved tensors, saved_tensors_hooks with views."""

from autograd_scenarios import scenario


def _x(m):
    return m.tensor([[0.5, 1.5], [2.0, 0.75]], dtype=m.float64, requires_grad=True)


_NODE_OPS = {
    "mul": lambda m, x: x * 3,
    "matmul": lambda m, x: x @ x,
    "sum": lambda m, x: x.sum(0),
    "view": lambda m, x: x.view(4),
    "index": lambda m, x: x[1],
    "cat": lambda m, x: m.cat([x, x]),
    "softmax": lambda m, x: x.softmax(1),
    "linear": lambda m, x: m.nn.functional.linear(x, x, x[0]),
    "unbind": lambda m, x: x.unbind(0)[1],
    "split": lambda m, x: x.split(1, 1)[1],
    "max_dim": lambda m, x: x.max(1)[0],
    "clone": lambda m, x: x.clone(),
    "to_float": lambda m, x: x.float(),
    "expand": lambda m, x: x[:1].expand(3, 2),
    "where": lambda m, x: m.where(x > 1, x, 0.0),
}


def _make_node_hooks(name, op):
    def run(m):
        x = _x(m)
        y = op(m, x)
        node = y.grad_fn
        calls = []
        node.register_prehook(lambda gout: calls.append(("pre", [None if g is None else g.shape for g in gout])))
        node.register_hook(lambda gin, gout: calls.append(
            ("post", [None if g is None else g.shape for g in gin], [None if g is None else g.shape for g in gout])))
        y.sum().backward()
        return node.name(), [(None if f is None else f.name(), i) for f, i in node.next_functions], calls, x.grad

    run.__name__ = f"node_hooks_{name}"
    return scenario(run)


for _n, _op in _NODE_OPS.items():
    _make_node_hooks(_n, _op)


@scenario
def node_prehook_replaces_grad(m):
    x = _x(m)
    y = x * 2
    y.grad_fn.register_prehook(lambda gout: (gout[0] * 10,))
    y.sum().backward()
    return x.grad


@scenario
def node_hook_replaces_grad_input(m):
    x = _x(m)
    y = x * 2
    y.grad_fn.register_hook(lambda gin, gout: (gin[0] + 1,))
    y.sum().backward()
    return x.grad


@scenario
def node_hook_wrong_count(m):
    x = _x(m)
    y = x * 2
    y.grad_fn.register_prehook(lambda gout: (gout[0], gout[0]))
    y.sum().backward()


@scenario
def node_hook_wrong_type(m):
    x = _x(m)
    y = x * 2
    y.grad_fn.register_hook(lambda gin, gout: (1.0,))
    y.sum().backward()


@scenario
def node_hook_on_accumulate_grad(m):
    x = _x(m)
    y = x * 2
    acc = y.grad_fn.next_functions[0][0]
    calls = []
    acc.register_hook(lambda gin, gout: calls.append((len(gin), len(gout), gout[0].shape)))
    acc.register_prehook(lambda gout: calls.append(("pre", len(gout))))
    y.sum().backward()
    return acc.name(), calls, x.grad


@scenario
def node_hook_handle_remove(m):
    x = _x(m)
    y = x * 2
    calls = []
    h = y.grad_fn.register_hook(lambda *a: calls.append(1))
    h.remove()
    y.sum().backward()
    return calls


@scenario
def node_metadata_dict(m):
    x = _x(m)
    y = x * 2
    y.grad_fn.metadata["k"] = 1
    return y.grad_fn.metadata, (x * 3).grad_fn.metadata


@scenario
def node_next_functions_multi_output(m):
    x = _x(m)
    a, b = x.unbind(1)
    y = a * b
    return [[(None if f is None else f.name(), i) for f, i in n.next_functions]
            for n in (y.grad_fn, a.grad_fn)]


@scenario
def increment_version_breaks_saved(m):
    x = _x(m)
    w = m.ones(2, 2, dtype=m.float64)
    y = x * w
    m.autograd.graph.increment_version(w)
    y.sum().backward()


@scenario
def increment_version_on_list(m):
    a = m.ones(2)
    b = m.ones(2)
    m.autograd.graph.increment_version([a, b])
    return a._version, b._version


@scenario
def increment_version_leaf_output_saved(m):
    x = _x(m)
    y = x.exp()
    m.autograd.graph.increment_version(y)
    y.sum().backward()


@scenario
def saved_hooks_see_view_pack(m):
    packed = []

    def pack(t):
        packed.append((tuple(t.shape), t._base is not None, t.requires_grad))
        return t

    x = _x(m)
    with m.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        v = x[0]
        y = v * v
    y.sum().backward()
    return packed, x.grad


@scenario
def saved_hooks_unpack_returns_view(m):
    x = _x(m)
    with m.autograd.graph.saved_tensors_hooks(lambda t: t.clone(), lambda t: t.view(-1).view(t.shape)):
        y = (x.t() * x.t()).sum()
    y.backward()
    return x.grad


@scenario
def saved_hooks_unpack_wrong_shape(m):
    x = _x(m)
    with m.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t[0]):
        y = (x * x).sum()
    y.backward()


@scenario
def saved_hooks_on_view_of_leaf_inplace(m):
    base = m.ones(2, 2, dtype=m.float64, requires_grad=True).clone()
    seen = []
    with m.autograd.graph.saved_tensors_hooks(lambda t: (seen.append(t._version), t)[1], lambda t: t):
        v = base[0]
        y = v.sin()
    v.mul_(2)
    try:
        y.sum().backward()
    except RuntimeError as e:
        return seen, str(e)[:120]
    return seen


@scenario
def saved_hooks_disable_saved_tensors_hooks(m):
    x = _x(m)
    with m.autograd.graph.disable_saved_tensors_hooks("no hooks here"), \
            m.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        y = x * x
    return y
