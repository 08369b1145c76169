"""Views and in-place operations: CopySlices, AsStrided, version counters, detach_."""

from autograd_scenarios import scenario, t


def _names(y):
    return y.grad_fn.name(), [type(f).__name__ for f, _ in y.grad_fn.next_functions]


@scenario
def inplace_on_view_of_nonleaf_copyslices(m):
    x = t(m, [1.0, 2.0, 3.0])
    y = x * 1
    y[1:].mul_(2)
    y.sum().backward()
    return _names(y), x.grad


@scenario
def inplace_on_view_of_leaf_error(m):
    x = t(m, [1.0, 2.0])
    x[0:1].mul_(2)


@scenario
def inplace_on_view_of_leaf_no_grad(m):
    x = t(m, [1.0, 2.0])
    with m.no_grad():
        x[0:1].mul_(2)
    return x, x.grad_fn, x.is_leaf


@scenario
def view_grad_fn_after_base_inplace(m):
    x = t(m, [1.0, 2.0])
    y = x * 1
    v = y[:1]
    y.mul_(3)
    return v.grad_fn.name(), y.grad_fn.name()


@scenario
def view_inplace_base_grad_fn(m):
    x = t(m, [1.0, 2.0])
    y = x * 1
    v = y.view(2)
    v.add_(1)
    return y.grad_fn.name(), v.grad_fn.name(), v._base is y


@scenario
def setitem_grad(m):
    x = t(m, [1.0, 2.0, 3.0])
    y = x.clone()
    y[0] = 10.0
    y.sum().backward()
    return y.grad_fn.name(), x.grad


@scenario
def setitem_with_grad_value(m):
    x = t(m, [1.0, 2.0, 3.0])
    w = t(m, 5.0)
    y = x.clone()
    y[1] = w * 2
    (y * y).sum().backward()
    return x.grad, w.grad


@scenario
def as_strided_backward_name(m):
    x = t(m, [1.0, 2.0, 3.0, 4.0])
    y = x.as_strided((2,), (2,))
    y.sum().backward()
    return y.grad_fn.name(), x.grad


@scenario
def transpose_inplace_backward(m):
    x = t(m, [[1.0, 2.0], [3.0, 4.0]])
    y = x * 1
    y.t().mul_(m.tensor([[1.0, 2.0], [3.0, 4.0]]))
    y.sum().backward()
    return x.grad


@scenario
def detach_shares_storage_version(m):
    x = t(m, [1.0, 2.0])
    y = x.exp()
    d = y.detach()
    d.zero_()
    y.sum().backward()


@scenario
def detach_inplace_on_view(m):
    x = t(m, [1.0, 2.0])
    v = (x * 1)[:1]
    v.detach_()


@scenario
def detach_inplace_on_nonleaf(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    y.detach_()
    return y.requires_grad, y.is_leaf, y.grad_fn


@scenario
def requires_grad_false_on_nonleaf_error(m):
    x = t(m, [1.0])
    y = x * 2
    y.requires_grad = False


@scenario
def requires_grad_true_on_nonleaf_ok(m):
    x = t(m, [1.0])
    y = x * 2
    y.requires_grad_(True)
    return y.requires_grad


@scenario
def inplace_saved_by_pow(m):
    x = t(m, [1.0, 2.0])
    y = x * 1
    z = y.pow(2)
    y.add_(1)
    z.sum().backward()


@scenario
def inplace_output_saved_by_exp(m):
    x = t(m, [1.0])
    y = x.exp()
    y.mul_(2)
    y.sum().backward()


@scenario
def inplace_not_saved_ok(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    z = y + 1
    y.add_(1)
    z.sum().backward()
    return x.grad


@scenario
def inplace_version_message_full(m):
    x = t(m, [1.0])
    y = x.sigmoid()
    y.add_(1)
    y.backward()


@scenario
def inplace_relu_grad_fn_name(m):
    x = t(m, [-1.0, 2.0])
    y = x * 1
    y.relu_()
    y.sum().backward()
    return y.grad_fn.name(), x.grad


@scenario
def view_of_leaf_is_not_leaf(m):
    x = t(m, [1.0, 2.0])
    v = x.view(2)
    return v.is_leaf, v.grad_fn.name(), v._base is x


@scenario
def unbind_inplace_error(m):
    x = t(m, [[1.0, 2.0], [3.0, 4.0]])
    a, _b = (x * 1).unbind(0)
    a.mul_(2)


@scenario
def split_inplace_error(m):
    x = t(m, [1.0, 2.0, 3.0, 4.0])
    a, _b = (x * 1).split(2)
    a.mul_(2)


@scenario
def view_created_in_no_grad_inplace_error(m):
    x = t(m, [1.0, 2.0])
    y = x * 1
    with m.no_grad():
        v = y[:1]
    v.mul_(2)


@scenario
def detach_view_inplace_version(m):
    x = t(m, [1.0, 2.0])
    d = x.detach()
    d.add_(1)
    return x._version, d._version, x


@scenario
def data_assignment_keeps_grad_fn(m):
    x = t(m, [1.0, 2.0])
    x.data = m.tensor([5.0, 6.0])
    (x * x).sum().backward()
    return x.grad


@scenario
def data_inplace_does_not_bump_version(m):
    x = t(m, [1.0, 2.0])
    y = x.exp()
    y.data.mul_(2)
    y.sum().backward()
    return x.grad


@scenario
def expand_inplace_error(m):
    x = t(m, [1.0])
    y = (x * 1).expand(3)
    y.add_(1)


@scenario
def inplace_on_leaf_requires_grad_false_then_true(m):
    x = m.tensor([1.0, 2.0])
    x.mul_(2)
    x.requires_grad_()
    (x * x).sum().backward()
    return x.grad


@scenario
def clone_grad_fn(m):
    x = t(m, [1.0])
    return x.clone().grad_fn.name(), x.detach().clone().requires_grad
