"""saved_tensors_hooks, save_on_cpu, grad_fn._saved_* and _raw_saved_* attributes."""

from autograd_scenarios import scenario, t


@scenario
def saved_tensors_hooks_pack_unpack(m):
    log = []

    def pack(x):
        log.append(("pack", tuple(x.shape)))
        return x

    def unpack(x):
        log.append(("unpack", tuple(x.shape)))
        return x

    a = t(m, [1.0, 2.0])
    with m.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = (a * a).sum()
    y.backward()
    return log, a.grad


@scenario
def saved_tensors_hooks_modify(m):
    a = t(m, [1.0, 2.0])
    with m.autograd.graph.saved_tensors_hooks(lambda x: x * 10, lambda x: x):
        y = a.pow(2).sum()
    y.backward()
    return a.grad


@scenario
def saved_tensors_hooks_pack_returns_inplace_error(m):
    def pack(x):
        x.mul_(2)
        return x

    a = t(m, [1.0, 2.0])
    with m.autograd.graph.saved_tensors_hooks(pack, lambda x: x):
        y = (a * 1).exp()
    return y


@scenario
def saved_tensors_hooks_nested(m):
    log = []
    a = t(m, [1.0])
    outer = m.autograd.graph.saved_tensors_hooks(lambda x: log.append("o") or x, lambda x: x)
    inner = m.autograd.graph.saved_tensors_hooks(lambda x: log.append("i") or x, lambda x: x)
    with outer, inner:
        y = a.exp()
    return log, y.grad_fn.name()


@scenario
def saved_tensors_hooks_disable(m):
    hooks = m.autograd.graph.saved_tensors_hooks(lambda x: x, lambda x: x)
    with m.autograd.graph.disable_saved_tensors_hooks("no hooks here"), hooks:
        pass


@scenario
def save_on_cpu_backward(m):
    a = t(m, [1.0, 2.0])
    with m.autograd.graph.save_on_cpu(pin_memory=False):
        y = (a * a).sum()
    y.backward()
    return a.grad


@scenario
def saved_self_mul(m):
    a = t(m, [1.0])
    b = t(m, [2.0])
    y = a * b
    return y.grad_fn._saved_self, y.grad_fn._saved_other


@scenario
def saved_result_exp(m):
    a = t(m, [0.0])
    return a.exp().grad_fn._saved_result


@scenario
def saved_after_backward_error(m):
    a = t(m, [1.0])
    y = a.exp()
    y.sum().backward()
    return y.grad_fn._saved_result


@scenario
def saved_scalar_attrs_pow(m):
    a = t(m, [2.0])
    g = a.pow(3).grad_fn
    return g._saved_exponent, g._saved_self


@scenario
def saved_dim_attrs_sum(m):
    a = t(m, [[1.0, 2.0]])
    g = a.sum(1, keepdim=True).grad_fn
    return g._saved_dim, g._saved_keepdim, g._saved_self_sym_sizes


@scenario
def raw_saved_register_hooks(m):
    a = t(m, [1.0, 2.0])
    y = a.exp()
    y.grad_fn._raw_saved_result.register_hooks(lambda x: x * 0, lambda x: x)
    y.sum().backward()
    return a.grad


@scenario
def raw_saved_type(m):
    a = t(m, [1.0])
    return type(a.exp().grad_fn._raw_saved_result).__name__


@scenario
def saved_tensor_is_same_object_for_input(m):
    a = t(m, [1.0])
    b = t(m, [2.0])
    g = (a * b).grad_fn
    return g._saved_self is a, g._saved_other.equal(b)


@scenario
def saved_output_is_new_object(m):
    a = t(m, [1.0])
    y = a.exp()
    r = y.grad_fn._saved_result
    return r is y, r.equal(y), r.grad_fn.name()


@scenario
def saved_attr_unknown(m):
    a = t(m, [1.0])
    return (a * 2).grad_fn._saved_nothing


@scenario
def saved_optional_none(m):
    a = t(m, [1.0, 2.0])
    g = a.clamp(min=0.0).grad_fn
    return g._saved_min, g._saved_max


@scenario
def saved_tensors_hooks_unpack_wrong_shape(m):
    a = t(m, [1.0, 2.0])
    with m.autograd.graph.saved_tensors_hooks(lambda x: x, lambda x: m.ones(3)):
        y = a.exp().sum()
    y.backward()
    return a.grad


@scenario
def saved_tensors_hooks_on_custom_function(m):
    log = []

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x

    a = t(m, [3.0])
    with m.autograd.graph.saved_tensors_hooks(lambda x: log.append("p") or x,
                                              lambda x: log.append("u") or x):
        y = F.apply(a)
    y.sum().backward()
    return log, a.grad
