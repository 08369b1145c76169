"""nn.Module registration hooks, global backward pre hooks, load_state_dict variants,
zero_grad, and hook handles' extra dicts."""

from autograd_scenarios import scenario


def _mm(m):
    return __import__(m.__name__ + ".nn.modules.module", fromlist=["x"])


@scenario
def module_global_full_backward_pre_hook(m):
    seen = []
    h = _mm(m).register_module_full_backward_pre_hook(lambda mod, gout: seen.append((type(mod).__name__, gout)))
    try:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        (m.nn.Identity()(x) * 3).sum().backward()
    finally:
        h.remove()
    return seen, x.grad


@scenario
def module_global_backward_hook_replaces(m):
    h = _mm(m).register_module_full_backward_hook(lambda mod, gin, gout: (gin[0] * 0 + 5,))
    try:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        (m.nn.Identity()(x) * 3).sum().backward()
    finally:
        h.remove()
    return x.grad


@scenario
def module_registration_hooks(m):
    mm = _mm(m)
    seen = []
    hs = [
        mm.register_module_buffer_registration_hook(lambda mod, name, buf: seen.append(("buffer", name))),
        mm.register_module_parameter_registration_hook(lambda mod, name, p: seen.append(("param", name))),
        mm.register_module_module_registration_hook(lambda mod, name, sub: seen.append(("module", name))),
    ]
    try:
        mod = m.nn.Module()
        mod.register_buffer("b", m.zeros(1))
        mod.w = m.nn.Parameter(m.zeros(1))
        mod.sub = m.nn.Identity()
        mod.register_parameter("p", None)
    finally:
        for h in hs:
            h.remove()
    return seen


@scenario
def module_registration_hook_replaces_buffer(m):
    h = _mm(m).register_module_buffer_registration_hook(lambda mod, name, buf: buf + 1)
    try:
        mod = m.nn.Module()
        mod.register_buffer("b", m.zeros(1))
    finally:
        h.remove()
    return mod.b


@scenario
def module_forward_hook_non_tensor_output(m):
    class M(m.nn.Module):
        def forward(self, x):
            return {"a": x, "b": 1}

    mod = M()
    seen = []
    mod.register_full_backward_hook(lambda mod, gin, gout: seen.append(gout))
    x = m.ones(2, requires_grad=True)
    out = mod(x)
    out["a"].sum().backward()
    return sorted(out), seen, x.grad


@scenario
def module_backward_hook_no_inputs_require_grad(m):
    lin = m.nn.Linear(2, 1)
    seen = []
    lin.register_full_backward_hook(lambda mod, gin, gout: seen.append(gin))
    lin(m.ones(1, 2)).sum().backward()
    return seen


@scenario
def module_backward_hook_under_no_grad(m):
    lin = m.nn.Linear(2, 1)
    lin.register_full_backward_hook(lambda *a: None)
    with m.no_grad():
        y = lin(m.ones(1, 2, requires_grad=True))
    return y.requires_grad, y.grad_fn


@scenario
def module_load_state_dict_assign(m):
    lin = m.nn.Linear(2, 1)
    w = m.ones(1, 2, dtype=m.float64)
    lin.load_state_dict({"weight": w, "bias": m.zeros(1, dtype=m.float64)}, assign=True)
    return lin.weight.dtype, type(lin.weight).__name__, lin.weight.requires_grad


@scenario
def module_load_state_dict_strict_errors(m):
    lin = m.nn.Linear(2, 1)
    return lin.load_state_dict({"weight": m.ones(1, 2), "extra": m.ones(1)})


@scenario
def module_load_state_dict_shape_error(m):
    lin = m.nn.Linear(2, 1)
    return lin.load_state_dict({"weight": m.ones(2, 2), "bias": m.ones(1)})


@scenario
def module_load_state_dict_non_strict(m):
    lin = m.nn.Linear(2, 1)
    return lin.load_state_dict({"weight": m.ones(1, 2), "extra": m.ones(1)}, strict=False)


@scenario
def module_load_state_dict_pre_hook_with_module(m):
    lin = m.nn.Linear(2, 1)
    seen = []

    def hook(mod, state_dict, prefix, *rest):
        seen.append((type(mod).__name__, prefix, len(rest)))

    lin._register_load_state_dict_pre_hook(hook, with_module=True)
    lin.load_state_dict(lin.state_dict())
    return seen


@scenario
def module_state_dict_hook_returning_dict(m):
    lin = m.nn.Linear(2, 1)
    lin._register_state_dict_hook(lambda mod, sd, prefix, meta: {"only": m.zeros(1)})
    return sorted(lin.state_dict())


@scenario
def module_state_dict_metadata(m):
    seq = m.nn.Sequential(m.nn.Linear(2, 1), m.nn.BatchNorm1d(1))
    sd = seq.state_dict()
    return sorted(sd), dict(sd._metadata)


@scenario
def module_zero_grad_set_to_none_false(m):
    lin = m.nn.Linear(2, 1)
    lin(m.ones(1, 2)).sum().backward()
    lin.zero_grad(set_to_none=False)
    g1 = lin.weight.grad
    lin.zero_grad()
    return g1, lin.weight.grad


@scenario
def module_hook_handle_extra_dict(m):
    mod = m.nn.Identity()
    h = mod.register_forward_hook(lambda *a: None, always_call=True)
    inside = (h.id in mod._forward_hooks, h.id in mod._forward_hooks_always_called)
    h.remove()
    return inside, (h.id in mod._forward_hooks, h.id in mod._forward_hooks_always_called)


@scenario
def module_forward_hook_with_kwargs_handle(m):
    mod = m.nn.Identity()
    h = mod.register_forward_hook(lambda mod, args, kwargs, out: None, with_kwargs=True)
    inside = h.id in mod._forward_hooks_with_kwargs
    h.remove()
    return inside, h.id in mod._forward_hooks_with_kwargs


@scenario
def module_backward_hook_after_forward_registered(m):
    mod = m.nn.Identity()
    x = m.ones(2, requires_grad=True)
    y = mod(x * 2)
    seen = []
    mod.register_full_backward_hook(lambda *a: seen.append(1))
    y.sum().backward()
    return seen, y.grad_fn.name()


@scenario
def module_requires_grad_and_train_flags(m):
    seq = m.nn.Sequential(m.nn.Linear(1, 1), m.nn.Dropout())
    seq.requires_grad_(False)
    seq.eval()
    return [p.requires_grad for p in seq.parameters()], [c.training for c in seq.children()]
