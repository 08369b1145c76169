"""Views and in-place on views, after PyTorch's test_autograd (test_autograd_simple_views_python,
test_autograd_inplace_views_creation_meta, test_inplace_on_view_*)."""

from autograd_scenarios import scenario


def _try(fn):
    try:
        r = fn()
        return ("ok", r.grad_fn.name() if r.grad_fn is not None else None)
    except RuntimeError as e:
        return ("err", str(e)[:160])


@scenario
def vw_creation_meta_no_grad_view_inplace(m):
    a = m.ones(2, 2, requires_grad=True).clone()
    with m.no_grad():
        v = a.view(4)
    return _try(lambda: v.mul_(2))


@scenario
def vw_creation_meta_no_grad_view_inplace_in_no_grad(m):
    a = m.ones(2, 2, requires_grad=True).clone()
    with m.no_grad():
        v = a.view(4)
        v.mul_(2)
    return a.grad_fn.name(), v.requires_grad, v.grad_fn


@scenario
def vw_creation_meta_multi_output_each(m):
    out = []
    for op in ("unbind", "split", "chunk", "split_with_sizes"):
        a = m.ones(4, 2, requires_grad=True).clone()
        if op == "unbind":
            views = a.unbind(0)
        elif op == "split":
            views = a.split(2)
        elif op == "chunk":
            views = a.chunk(2)
        else:
            views = a.split_with_sizes([1, 3])
        out.append((op, _try(lambda views=views: views[0].mul_(2))))
    return out


@scenario
def vw_creation_meta_multi_output_view_of_view(m):
    a = m.ones(4, 2, requires_grad=True).clone()
    v = a.unbind(0)[1].view(2)
    return _try(lambda: v.add_(1))


@scenario
def vw_creation_meta_leaf_view_inplace(m):
    a = m.ones(4, requires_grad=True)
    v = a[1:]
    return _try(lambda: v.add_(1))


@scenario
def vw_creation_meta_leaf_view_inplace_no_grad(m):
    a = m.ones(4, requires_grad=True)
    v = a[1:]
    with m.no_grad():
        v.add_(1)
    return a, v.grad_fn.name()


@scenario
def vw_simple_views_grad(m):
    a = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    outs = {}
    for name, fn in [("narrow", lambda t_: t_.narrow(0, 0, 1)), ("t", lambda t_: t_.t()), ("expand", lambda t_: t_[0].expand(3, 2)),
                     ("diagonal", lambda t_: t_.diagonal()), ("unsqueeze", lambda t_: t_.unsqueeze(0)),
                     ("squeeze", lambda t_: t_.unsqueeze(0).squeeze(0)), ("select", lambda t_: t_.select(1, 1)),
                     ("as_strided", lambda t_: t_.as_strided((2,), (3,))), ("unfold", lambda t_: t_.unfold(1, 1, 1)),
                     ("movedim", lambda t_: t_.movedim(0, 1)), ("view_as_real", lambda t_: m.view_as_real(t_.to(m.cfloat)))]:
        a.grad = None
        y = fn(a)
        (y * m.arange(1.0, y.numel() + 1).view(y.shape)).sum().backward()
        outs[name] = (y.grad_fn.name(), y._is_view(), a.grad.tolist())
    return outs


@scenario
def vw_inplace_on_view_then_base_grad(m):
    a = m.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    b = a.clone()
    v = b.view(2, 2)[1]
    v.mul_(m.tensor([5.0, 6.0], requires_grad=True))
    b.sum().backward()
    return b.grad_fn.name(), v.grad_fn.name(), a.grad


@scenario
def vw_inplace_on_view_of_view_chain(m):
    a = m.arange(8.0, requires_grad=True)
    b = a.clone()
    v1 = b.view(2, 4)
    v2 = v1[:, 1:3]
    v3 = v2.t()
    v3.mul_(10)
    (b * m.arange(8.0)).sum().backward()
    return b, a.grad, [x.grad_fn.name() for x in (b, v1, v2, v3)]


@scenario
def vw_inplace_on_base_then_view_grad_fn(m):
    a = m.arange(4.0, requires_grad=True)
    b = a.clone()
    v = b[1:3]
    b.mul_(2)
    return v.grad_fn.name(), v._version, b._version


@scenario
def vw_inplace_base_saved_by_view_user(m):
    a = m.arange(1.0, 5.0, requires_grad=True)
    b = a.clone()
    v = b[1:3]
    w = v.exp()
    b.add_(1)
    try:
        w.sum().backward()
    except RuntimeError as e:
        return str(e)


@scenario
def vw_detach_of_view_then_inplace(m):
    a = m.arange(4.0, requires_grad=True)
    b = a.clone()
    v = b[1:3].detach()
    v.mul_(2)
    b.sum().backward()
    return b, a.grad, v._is_view(), v._base is b


@scenario
def vw_data_of_view(m):
    a = m.arange(4.0, requires_grad=True)
    v = a[1:3]
    d = v.data
    return d._is_view(), d.requires_grad, d._base is a


@scenario
def vw_view_of_inplace_result_backward(m):
    a = m.tensor([1.0, -2.0, 3.0], requires_grad=True)
    b = a * 1
    c = b.relu_()
    d = c.view(3, 1)
    d.sum().backward()
    return c is b, c.grad_fn.name(), a.grad


@scenario
def vw_setitem_on_view(m):
    a = m.zeros(3, 3, requires_grad=True)
    b = a.clone()
    b[1][1:] = m.tensor([5.0, 6.0], requires_grad=True)
    b.sum().backward()
    return b, a.grad, b.grad_fn.name()


@scenario
def vw_resize_requires_grad_error(m):
    a = m.ones(3, requires_grad=True)
    try:
        a.resize_(4)
    except RuntimeError as e:
        return str(e)


@scenario
def vw_resize_as_nonleaf_error(m):
    a = m.ones(3, requires_grad=True) * 2
    try:
        a.resize_(4)
    except RuntimeError as e:
        return str(e)


@scenario
def vw_set_on_requires_grad_leaf(m):
    a = m.ones(3, requires_grad=True)
    try:
        a.set_(m.zeros(2))
    except RuntimeError as e:
        return str(e)


@scenario
def vw_view_dtype_requires_grad(m):
    a = m.ones(2, requires_grad=True)
    try:
        return a.view(m.int32)
    except RuntimeError as e:
        return str(e)


@scenario
def vw_view_dtype_same_size_float(m):
    a = m.ones(2, requires_grad=True)
    try:
        return a.view(m.float32).grad_fn.name()
    except RuntimeError as e:
        return str(e)


@scenario
def vw_unsafe_view_chain(m):
    a = m.ones(2, 3, requires_grad=True)
    y = (a * 2).reshape(6)
    z = a.t().reshape(6)
    return y.grad_fn.name(), z.grad_fn.name(), y._is_view(), z._is_view()


@scenario
def vw_expand_inplace_error(m):
    a = m.ones(1, requires_grad=True).clone()
    e = a.expand(3)
    try:
        e.add_(1)
    except RuntimeError as err:
        return str(err)


@scenario
def vw_real_imag_inplace(m):
    z = m.tensor([1 + 2j, 3 + 4j], requires_grad=True)
    w = z.clone()
    w.imag.mul_(2)
    m.view_as_real(w).sum().backward()
    return w, z.grad, w.grad_fn.name()
