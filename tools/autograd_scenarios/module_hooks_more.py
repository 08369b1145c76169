"""nn.Module backward hooks in harder cases: a module called twice, tuple and non-tensor
outputs, in-place ops on hooked outputs, the deprecated register_backward_hook, mixing
hook kinds; multi-grad hooks, gradient edges, raw saved tensors."""

import re

from autograd_scenarios import scenario


@scenario
def module_backward_hook_module_called_twice(m):
    lin = m.nn.Linear(2, 2, bias=False)
    with m.no_grad():
        lin.weight.fill_(1.0)
    seen = []
    lin.register_full_backward_hook(lambda mod, gin, gout: seen.append((gin, gout)))
    x = m.tensor([[1.0, 2.0]], requires_grad=True)
    (lin(x) * 2 + lin(x * 3)).sum().backward()
    return seen, x.grad


@scenario
def module_backward_hook_output_grad_fn_name(m):
    mod = m.nn.Identity()
    mod.register_full_backward_hook(lambda *a: None)
    x = m.tensor([1.0], requires_grad=True)
    y = mod(x * 2)
    return y.grad_fn.name(), [(f.name(), i) for f, i in y.grad_fn.next_functions]


@scenario
def module_backward_hook_tuple_with_non_tensor(m):
    class M(m.nn.Module):
        def forward(self, x):
            return x * 2, 3, None

    mod = M()
    seen = []
    mod.register_full_backward_hook(lambda mod, gin, gout: seen.append((gin, gout)))
    x = m.tensor([1.0, 2.0], requires_grad=True)
    a, b, c = mod(x)
    a.sum().backward()
    return seen, b, c


@scenario
def module_backward_hook_output_modified_inplace(m):
    mod = m.nn.Identity()
    mod.register_full_backward_hook(lambda *a: None)
    x = m.tensor([1.0, -1.0], requires_grad=True)
    y = mod(x * 1)
    y.relu_()
    return y


@scenario
def module_backward_hook_input_modified_inplace_in_forward(m):
    class M(m.nn.Module):
        def forward(self, x):
            return x.mul_(2)

    mod = M()
    mod.register_full_backward_hook(lambda *a: None)
    x = m.tensor([1.0, -1.0], requires_grad=True)
    return mod(x * 1)


@scenario
def module_old_backward_hook_warns(m):
    lin = m.nn.Linear(2, 1)
    seen = []
    lin.register_backward_hook(lambda mod, gin, gout: seen.append(len(gin)))
    x = m.ones(1, 2, requires_grad=True)
    lin(x).sum().backward()
    return seen


@scenario
def module_mixing_old_and_full_backward_hooks(m):
    lin = m.nn.Linear(2, 1)
    lin.register_backward_hook(lambda *a: None)
    lin.register_full_backward_hook(lambda *a: None)
    return lin(m.ones(1, 2, requires_grad=True))


@scenario
def module_full_backward_hook_then_old(m):
    lin = m.nn.Linear(2, 1)
    lin.register_full_backward_hook(lambda *a: None)
    lin.register_backward_hook(lambda *a: None)
    return lin(m.ones(1, 2, requires_grad=True))


@scenario
def module_backward_pre_hook_returns_wrong_count(m):
    mod = m.nn.Identity()
    mod.register_full_backward_pre_hook(lambda mod, gout: (gout[0], gout[0]))
    x = m.tensor([1.0], requires_grad=True)
    mod(x * 2).sum().backward()
    return x.grad


@scenario
def module_backward_hook_kwargs_input(m):
    class M(m.nn.Module):
        def forward(self, x, *, w):
            return x * w

    mod = M()
    seen = []
    mod.register_full_backward_hook(lambda mod, gin, gout: seen.append((gin, gout)))
    x = m.tensor([2.0], requires_grad=True)
    w = m.tensor([3.0], requires_grad=True)
    mod(x, w=w).sum().backward()
    return seen, x.grad, w.grad


@scenario
def module_forward_hook_on_sequential_children(m):
    seq = m.nn.Sequential(m.nn.Identity(), m.nn.ReLU())
    order = []
    for name, child in seq.named_children():
        child.register_forward_hook(lambda mod, a, out, name=name: order.append(name))
    seq.register_forward_hook(lambda *a: order.append("seq"))
    seq(m.ones(1))
    return order


@scenario
def multi_grad_hook_all(m):
    a = m.tensor([1.0], requires_grad=True)
    b = m.tensor([2.0], requires_grad=True)
    seen = []
    m.autograd.graph.register_multi_grad_hook((a, b), lambda grads: seen.append(grads))
    (a * 3).sum().backward()
    return seen


@scenario
def multi_grad_hook_any(m):
    a = m.tensor([1.0], requires_grad=True)
    b = m.tensor([2.0], requires_grad=True)
    seen = []
    m.autograd.graph.register_multi_grad_hook((a, b), lambda g: seen.append(g), mode="any")
    (a * 3 + b).sum().backward()
    return seen


@scenario
def multi_grad_hook_bad_mode(m):
    a = m.tensor([1.0], requires_grad=True)
    return m.autograd.graph.register_multi_grad_hook((a,), lambda g: None, mode="some")


@scenario
def gradient_edge_of_nonleaf(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    edge = m.autograd.graph.get_gradient_edge(y)
    z = (y * y).sum()
    (g,) = m.autograd.grad(z, edge)
    return type(edge).__name__, edge.node.name(), edge.output_nr, g


@scenario
def gradient_edge_of_leaf(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    edge = m.autograd.graph.get_gradient_edge(x)
    return edge.node.name(), edge.output_nr


@scenario
def gradient_edge_without_grad(m):
    return m.autograd.graph.get_gradient_edge(m.ones(2))


@scenario
def raw_saved_tensor_hooks(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    raw = y.grad_fn._raw_saved_self
    seen = []
    raw.register_hooks(lambda t: (seen.append("pack"), t * 1)[1], lambda t: (seen.append("unpack"), t)[1])
    y.sum().backward()
    return type(raw).__name__, seen, x.grad


@scenario
def raw_saved_tensor_hooks_twice(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    raw = y.grad_fn._raw_saved_self
    raw.register_hooks(lambda t: t, lambda t: t)
    raw.register_hooks(lambda t: t, lambda t: t)


@scenario
def raw_saved_tensor_hooks_not_callable(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    try:
        y.grad_fn._raw_saved_self.register_hooks(1, print)
    except TypeError as e:
        return re.sub(" at 0x[0-9a-f]+", "", str(e))


@scenario
def raw_saved_tensor_hooks_one_hook(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    try:
        y.grad_fn._raw_saved_self.register_hooks(print)
    except TypeError as e:
        return re.sub(" at 0x[0-9a-f]+", "", str(e))


@scenario
def post_accumulate_grad_hook_nonleaf(m):
    y = m.ones(2, requires_grad=True) * 2
    y.register_post_accumulate_grad_hook(lambda t: None)


@scenario
def post_accumulate_grad_hook_no_grad(m):
    m.ones(2).register_post_accumulate_grad_hook(lambda t: None)


@scenario
def tensor_register_hook_no_grad(m):
    m.ones(2).register_hook(lambda g: g)


@scenario
def tensor_hook_returns_wrong_shape(m):
    x = m.ones(2, requires_grad=True)
    x.register_hook(lambda g: g.sum())
    (x * 2).sum().backward()
    return x.grad


@scenario
def tensor_hook_returns_wrong_dtype(m):
    x = m.ones(2, requires_grad=True)
    x.register_hook(lambda g: g.double())
    (x * 2).sum().backward()
    return x.grad


@scenario
def nonleaf_hook_returns_wrong_shape(m):
    x = m.ones(2, requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: g[:1])
    (y * 2).sum().backward()
    return x.grad
