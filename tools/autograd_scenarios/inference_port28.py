"""Inference mode, after PyTorch's TestAutogradInferenceMode."""

from autograd_scenarios import limitation, scenario


def _flags(m, t_):
    return (t_.is_inference(), t_.requires_grad, t_.grad_fn.name() if t_.grad_fn is not None else None,
            t_._is_view(), t_.is_leaf)


@scenario
def inf_existing_autograd_session(m):
    s = m.ones(1, 2, 3, requires_grad=True)
    a = s.clone()
    out = a * a
    with m.inference_mode():
        a.add_(2)
    try:
        out.backward(m.ones_like(out))
    except RuntimeError as e:
        return str(e)


@scenario
def inf_tensor_in_inf_mode_functional_op(m):
    with m.inference_mode():
        for requires_grad in (True, False):
            c = m.ones(1, 2, 3, requires_grad=requires_grad)
            f = c * c
            func_out = m.nn.functional.relu(c)
            return _flags(m, f), _flags(m, func_out)


@scenario
def inf_tensor_in_inf_mode_inplace_op(m):
    out = []
    with m.inference_mode():
        for requires_grad in (True, False):
            c = m.ones(1, 2, 3, requires_grad=requires_grad)
            try:
                c.add_(1)
                out.append(("ok", _flags(m, c)))
            except RuntimeError as e:
                out.append(str(e))
            d = m.ones(2)
            d.relu_()
            out.append(_flags(m, d))
    return out


@scenario
@limitation('the core makes a view of an inference tensor a tracked view (PyTorch: inference tensors keep no view metadata, the view does not require grad)')
def inf_tensor_in_inf_mode_view_op(m):
    with m.inference_mode():
        c = m.ones(1, 2, 3, requires_grad=True)
        view_out = c.view(-1)
        return _flags(m, view_out), view_out._base is c


@scenario
@limitation('the core records ops on an inference tensor that requires grad, outside inference mode (PyTorch: no autograd meta, the result is a plain leaf) and refuses to save it')
def inf_tensor_in_normal_mode_functional_op(m):
    with m.inference_mode():
        c = m.ones(1, 2, 3, requires_grad=True)
    f = c * c
    return _flags(m, f)


@scenario
def inf_tensor_in_normal_mode_inplace_op(m):
    with m.inference_mode():
        c = m.ones(1, 2, 3)
    try:
        c.add_(1)
    except RuntimeError as e:
        return str(e)


@scenario
def inf_tensor_in_normal_mode_inplace_op_under_no_grad(m):
    with m.inference_mode():
        c = m.ones(1, 2, 3)
    with m.no_grad():
        try:
            c.add_(1)
        except RuntimeError as e:
            return str(e)


@scenario
@limitation('the core makes a view of an inference tensor a tracked view (PyTorch: inference tensors keep no view metadata, the view does not require grad)')
def inf_tensor_in_normal_mode_view_op(m):
    with m.inference_mode():
        c = m.ones(1, 2, 3, requires_grad=True)
    out = c.view(-1)
    return _flags(m, out)


@scenario
def inf_normal_tensor_inplace_output_in_inference_mode(m):
    a = m.ones(1, 2, 3, requires_grad=True)
    b = a.clone()
    with m.inference_mode():
        b.add_(1)
        inside = _flags(m, b)
        b.add_(1)
    after = _flags(m, b)
    with m.inference_mode():
        b.add_(1)
    return inside, after, b._version


@scenario
def inf_normal_tensor_inplace_output_in_normal_mode(m):
    a = m.ones(1, 2, 3, requires_grad=True)
    b = a.clone()
    with m.inference_mode():
        b.add_(1)
    b.add_(1)
    return _flags(m, b)


@scenario
def inf_normal_tensor_view_output_in_inference_mode(m):
    a = m.ones(1, 2, 3, requires_grad=True)
    with m.inference_mode():
        out = a.view(-1)
        inside = _flags(m, out)
        out2 = out.view(-1)
        inside2 = _flags(m, out2)
    return inside, inside2


@scenario
def inf_normal_tensor_view_output_in_normal_mode(m):
    a = m.ones(1, 2, 3, requires_grad=True)
    with m.inference_mode():
        out = a.view(-1)
    after = _flags(m, out)
    out2 = out.view(-1)
    return after, _flags(m, out2)


@scenario
@limitation("the core marks views made in inference mode as no_grad views: PyTorch's in-place error names inference mode")
def inf_view_made_in_inference_inplace_outside(m):
    a = m.ones(1, 2, 3, requires_grad=True).clone()
    with m.inference_mode():
        out = a.view(-1)
    try:
        out.add_(1)
    except RuntimeError as e:
        return str(e)


@scenario
def inf_mix_inference_and_normal_functional_op(m):
    s = m.ones(1, 2, 3, requires_grad=True)
    with m.inference_mode():
        c = m.ones(1, 2, 3, requires_grad=True)
    out = c.add(s)
    mul = c.mul(s)
    return _flags(m, out), _flags(m, mul), out.grad_fn.next_functions[0][0]


@scenario
def inf_mix_inference_and_normal_inplace_op(m):
    a = m.ones(1, 2, 3, requires_grad=True)
    with m.inference_mode():
        c = m.ones(1, 2, 3)
    b = a.clone()
    try:
        b.mul_(c)
    except RuntimeError as e:
        return str(e)


@scenario
def inf_mix_inference_and_normal_inplace_op_ok_no_grad(m):
    a = m.ones(1, 2, 3)
    with m.inference_mode():
        c = m.ones(1, 2, 3)
    a.mul_(c)
    return _flags(m, a)


@scenario
@limitation('the core makes a view of an inference tensor a tracked view (PyTorch: inference tensors keep no view metadata, the view does not require grad)')
def inf_mix_inference_and_normal_view_op(m):
    with m.inference_mode():
        c = m.ones(1, 2, 3)
    b = c.view_as(c)
    return _flags(m, b)


@scenario
@limitation("the core marks views made in inference mode as no_grad views: PyTorch's in-place error names inference mode")
def inf_handle_direct_view_on_rebase(m):
    a = m.ones(1, 2, 3, requires_grad=True)
    b = a.clone()
    with m.inference_mode():
        view_out = b.view(-1)
    try:
        view_out.add_(a.view(-1))
    except RuntimeError as e:
        return str(e)


@scenario
@limitation("the core marks views made in inference mode as no_grad views: PyTorch's in-place error names inference mode")
def inf_handle_indirect_view_on_rebase(m):
    a = m.ones(1, 2, 3, requires_grad=True)
    b = a.clone()
    with m.inference_mode():
        view_out = b.view(-1)
    b.add_(a)
    try:
        return view_out.grad_fn.name()
    except RuntimeError as e:
        return str(e)


@scenario
def inf_create_autograd_graph_in_inference_mode(m):
    for requires_grad in (True, False):
        s = m.ones(1, 2, 3, requires_grad=requires_grad)
        with m.inference_mode():
            out = s * s
            out2 = out.sum()
    return _flags(m, out), _flags(m, out2)


@scenario
def inf_mode_context_nesting_flags(m):
    out = []
    with m.inference_mode():
        out.append((m.is_grad_enabled(), m.is_inference_mode_enabled()))
        with m.inference_mode(False):
            out.append((m.is_grad_enabled(), m.is_inference_mode_enabled()))
            with m.no_grad():
                out.append((m.is_grad_enabled(), m.is_inference_mode_enabled()))
        out.append((m.is_grad_enabled(), m.is_inference_mode_enabled()))
    out.append((m.is_grad_enabled(), m.is_inference_mode_enabled()))
    return out


@scenario
def inf_mode_decorator_with_and_without_args(m):
    @m.inference_mode()
    def f1(x):
        return x * 2

    @m.inference_mode
    def f2(x):
        return x * 2

    @m.inference_mode(mode=False)
    def f3(x):
        return x * 2

    x = m.ones(1, requires_grad=True)
    return [_flags(m, f(x)) for f in (f1, f2, f3)]


@scenario
def inf_mode_generator_decorator(m):
    @m.inference_mode()
    def gen():
        yield m.is_inference_mode_enabled()
        yield m.is_inference_mode_enabled()

    return list(gen()), m.is_inference_mode_enabled()


@scenario
def inf_tensor_item_and_numpy(m):
    with m.inference_mode():
        c = m.ones(2) * 3
    return c.sum().item(), c.numpy().tolist(), c.tolist()


@scenario
def inf_tensor_clone_and_detach_flags(m):
    with m.inference_mode():
        c = m.ones(2)
    return _flags(m, c.clone()), _flags(m, c.detach()), c.clone().is_inference()


@scenario
def inf_tensor_param_error(m):
    with m.inference_mode():
        c = m.ones(2)
    p = m.nn.Parameter(c)
    return _flags(m, p)


@scenario
def inf_module_forward_in_inference(m):
    lin = m.nn.Linear(2, 1)
    with m.inference_mode():
        y = lin(m.ones(1, 2))
    return _flags(m, y)


@scenario
def inf_tensor_version_access(m):
    with m.inference_mode():
        c = m.ones(2)
    try:
        return c._version
    except RuntimeError as e:
        return str(e)


@scenario
def inf_tensor_backward_through_saved_error(m):
    with m.inference_mode():
        c = m.ones(2)
    a = m.ones(2, requires_grad=True)
    try:
        (a * c).sum().backward()
        r1 = a.grad
    except RuntimeError as e:
        r1 = str(e)
    try:
        y = c * a
        y.exp().sum().backward()
        r2 = a.grad
    except RuntimeError as e:
        r2 = str(e)
    return r1, r2
