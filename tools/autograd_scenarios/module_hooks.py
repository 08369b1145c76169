"""nn.Module hooks: forward pre/post (with kwargs, prepend, always_call), full backward and
backward pre hooks, global module hooks, state_dict and load_state_dict hooks."""

from autograd_scenarios import scenario


def _lin(m):
    lin = m.nn.Linear(2, 2)
    with m.no_grad():
        lin.weight.copy_(m.tensor([[1.0, 2.0], [3.0, 4.0]]))
        lin.bias.copy_(m.tensor([0.5, -0.5]))
    return lin


@scenario
def module_forward_pre_hook_replaces_input(m):
    lin = _lin(m)
    seen = []
    lin.register_forward_pre_hook(lambda mod, args: (seen.append(type(args).__name__), (args[0] * 2,))[1])
    return seen, lin(m.ones(1, 2))


@scenario
def module_forward_pre_hook_single_value_is_wrapped(m):
    lin = _lin(m)
    lin.register_forward_pre_hook(lambda mod, args: args[0] + 1)
    return lin(m.ones(1, 2))


@scenario
def module_forward_hook_replaces_output(m):
    lin = _lin(m)
    seen = []
    lin.register_forward_hook(lambda mod, args, out: (seen.append(len(args)), out * 10)[1])
    return seen, lin(m.ones(1, 2))


@scenario
def module_forward_hooks_with_kwargs(m):
    class M(m.nn.Module):
        def forward(self, x, scale=1.0):
            return x * scale

    mod = M()
    seen = []
    mod.register_forward_pre_hook(lambda mod, args, kwargs: (seen.append(sorted(kwargs)), (args, {"scale": 3.0}))[1],
                                  with_kwargs=True)
    mod.register_forward_hook(lambda mod, args, kwargs, out: (seen.append(kwargs), out + 1)[1], with_kwargs=True)
    return mod(m.ones(2), scale=2.0), seen


@scenario
def module_forward_pre_hook_with_kwargs_bad_return(m):
    mod = m.nn.Identity()
    mod.register_forward_pre_hook(lambda mod, args, kwargs: args, with_kwargs=True)
    return mod(m.ones(2))


@scenario
def module_forward_hooks_prepend_order(m):
    mod = m.nn.Identity()
    order = []
    mod.register_forward_hook(lambda *a: order.append("a"))
    mod.register_forward_hook(lambda *a: order.append("b"), prepend=True)
    mod.register_forward_pre_hook(lambda *a: order.append("pa"))
    mod.register_forward_pre_hook(lambda *a: order.append("pb"), prepend=True)
    mod(m.ones(1))
    return order


@scenario
def module_forward_hook_always_call_on_error(m):
    class Bad(m.nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    mod = Bad()
    called = []
    mod.register_forward_hook(lambda *a: called.append("always"), always_call=True)
    mod.register_forward_hook(lambda *a: called.append("normal"))
    try:
        mod(m.ones(1))
    except ValueError as e:
        return called, str(e)
    return called


@scenario
def module_forward_hook_handle_remove(m):
    mod = m.nn.Identity()
    h = mod.register_forward_hook(lambda mod, a, out: out * 0)
    h.remove()
    return mod(m.ones(2)), len(mod._forward_hooks)


@scenario
def module_full_backward_hook_sees_grads(m):
    lin = _lin(m)
    seen = []
    lin.register_full_backward_hook(lambda mod, gin, gout: seen.append((gin, gout)))
    x = m.tensor([[1.0, -1.0]], requires_grad=True)
    lin(x).sum().backward()
    return seen, x.grad


@scenario
def module_full_backward_hook_input_without_grad(m):
    lin = _lin(m)
    seen = []
    lin.register_full_backward_hook(lambda mod, gin, gout: seen.append((gin, gout)))
    lin(m.tensor([[1.0, -1.0]])).sum().backward()
    return seen, lin.weight.grad


@scenario
def module_full_backward_hook_replaces_grad_input(m):
    lin = _lin(m)
    lin.register_full_backward_hook(lambda mod, gin, gout: (gin[0] * 0 + 7,))
    x = m.tensor([[1.0, -1.0]], requires_grad=True)
    lin(x).sum().backward()
    return x.grad, lin.weight.grad


@scenario
def module_full_backward_hook_wrong_count(m):
    lin = _lin(m)
    lin.register_full_backward_hook(lambda mod, gin, gout: (gin[0], gin[0]))
    x = m.tensor([[1.0, -1.0]], requires_grad=True)
    lin(x).sum().backward()
    return x.grad


@scenario
def module_full_backward_hook_two_inputs(m):
    class Two(m.nn.Module):
        def forward(self, a, b):
            return a * b, a + b

    mod = Two()
    seen = []
    mod.register_full_backward_hook(lambda mod, gin, gout: seen.append((len(gin), len(gout), gin, gout)))
    a = m.tensor([2.0], requires_grad=True)
    b = m.tensor([3.0])
    p, s = mod(a, b)
    (p * 5 + s).sum().backward()
    return seen, a.grad


@scenario
def module_full_backward_pre_hook_replaces_grad_output(m):
    lin = _lin(m)
    seen = []
    lin.register_full_backward_pre_hook(lambda mod, gout: (seen.append(gout), (gout[0] * 2,))[1])
    x = m.tensor([[1.0, -1.0]], requires_grad=True)
    lin(x).sum().backward()
    return seen, x.grad, lin.bias.grad


@scenario
def module_backward_hooks_order(m):
    mod = m.nn.Identity()
    order = []
    mod.register_full_backward_hook(lambda *a: order.append("hook"))
    mod.register_full_backward_pre_hook(lambda *a: order.append("pre"))
    mod.register_full_backward_pre_hook(lambda *a: order.append("pre0"), prepend=True)
    x = m.tensor([1.0], requires_grad=True)
    (mod(x) * 2).sum().backward()
    return order, x.grad


@scenario
def module_full_backward_hook_output_is_view_inplace(m):
    class Inplace(m.nn.Module):
        def forward(self, x):
            return x.relu_()

    mod = Inplace()
    mod.register_full_backward_hook(lambda *a: None)
    x = m.tensor([1.0, -1.0], requires_grad=True)
    return mod(x * 1).sum()


@scenario
def module_full_backward_hook_no_grad_output(m):
    mod = m.nn.Identity()
    seen = []
    mod.register_full_backward_hook(lambda mod, gin, gout: seen.append(1))
    with m.no_grad():
        y = mod(m.ones(2, requires_grad=True))
    return y.requires_grad, seen


@scenario
def module_global_forward_hooks(m):
    mm = __import__(m.__name__ + ".nn.modules.module", fromlist=["x"])
    order = []
    h1 = mm.register_module_forward_pre_hook(lambda mod, a: order.append("gpre"))
    h2 = mm.register_module_forward_hook(lambda mod, a, out: order.append("gpost"))
    mod = m.nn.Identity()
    mod.register_forward_hook(lambda *a: order.append("post"))
    mod.register_forward_pre_hook(lambda *a: order.append("pre"))
    try:
        mod(m.ones(1))
    finally:
        h1.remove()
        h2.remove()
    return order


@scenario
def module_global_full_backward_hook(m):
    mm = __import__(m.__name__ + ".nn.modules.module", fromlist=["x"])
    seen = []
    h = mm.register_module_full_backward_hook(lambda mod, gin, gout: seen.append((type(mod).__name__, gout)))
    try:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        (m.nn.Identity()(x) * 3).sum().backward()
    finally:
        h.remove()
    return seen


@scenario
def module_state_dict_post_hook_edits(m):
    lin = _lin(m)

    def hook(mod, sd, prefix, local_metadata):
        sd[prefix + "extra"] = m.tensor(1.0)

    lin._register_state_dict_hook(hook)
    return sorted(lin.state_dict())


@scenario
def module_state_dict_pre_hook(m):
    seq = m.nn.Sequential(m.nn.Linear(1, 1))
    seen = []
    seq[0].register_state_dict_pre_hook(lambda mod, prefix, keep_vars: seen.append((prefix, keep_vars)))
    seq.state_dict(keep_vars=True)
    return seen


@scenario
def module_state_dict_post_hook_public(m):
    lin = _lin(m)
    seen = []
    lin.register_state_dict_post_hook(lambda mod, sd, prefix, meta: seen.append((sorted(sd), prefix)))
    lin.state_dict(prefix="p.")
    return seen


@scenario
def module_load_state_dict_pre_hook(m):
    lin = _lin(m)
    seen = []

    def hook(mod, state_dict, prefix, local_metadata, strict, missing, unexpected, error_msgs):
        seen.append((prefix, strict, sorted(state_dict)))
        state_dict[prefix + "bias"] = m.tensor([9.0, 9.0])

    lin.register_load_state_dict_pre_hook(hook)
    lin.load_state_dict({"weight": m.zeros(2, 2), "bias": m.zeros(2)})
    return seen, lin.bias.detach()


@scenario
def module_load_state_dict_post_hook_clears_missing(m):
    lin = _lin(m)
    seen = []

    def hook(mod, keys):
        seen.append((list(keys.missing_keys), list(keys.unexpected_keys)))
        keys.missing_keys.clear()

    lin.register_load_state_dict_post_hook(hook)
    res = lin.load_state_dict({"weight": m.zeros(2, 2)}, strict=True)
    return seen, res


@scenario
def module_load_state_dict_post_hook_returns_value(m):
    lin = _lin(m)
    lin.register_load_state_dict_post_hook(lambda mod, keys: 1)
    return lin.load_state_dict(lin.state_dict())
