"""autograd.grad and Tensor.backward: arguments, accumulation, errors."""

from autograd_scenarios import scenario, t


@scenario
def grad_materialize_grads(m):
    x = t(m, [1.0])
    z = t(m, [2.0, 3.0])
    return m.autograd.grad((x * 2).sum(), (x, z), materialize_grads=True)


@scenario
def grad_materialize_without_allow_unused(m):
    x = t(m, [1.0])
    z = t(m, [2.0])
    return m.autograd.grad((x * 2).sum(), (x, z), allow_unused=False, materialize_grads=True)


@scenario
def grad_only_inputs_false_warns(m):
    x = t(m, [1.0])
    return m.autograd.grad((x * 2).sum(), x, only_inputs=False)


@scenario
def grad_grad_outputs_none_scalar(m):
    x = t(m, [2.0])
    return m.autograd.grad((x * x).sum(), x, grad_outputs=None)


@scenario
def grad_grad_outputs_shape_mismatch(m):
    x = t(m, [1.0, 2.0])
    m.autograd.grad(x * 2, x, grad_outputs=m.ones(3))


@scenario
def grad_grad_outputs_dtype_mismatch(m):
    x = t(m, [1.0, 2.0])
    return m.autograd.grad(x * 2, x, grad_outputs=m.ones(2, dtype=m.float64))


@scenario
def grad_nonscalar_no_grad_outputs(m):
    x = t(m, [1.0, 2.0])
    m.autograd.grad(x * 2, x)


@scenario
def grad_is_grads_batched(m):
    x = t(m, [1.0, 2.0])
    y = x * x
    return m.autograd.grad(y, x, grad_outputs=m.eye(2), is_grads_batched=True)


@scenario
def grad_multiple_outputs(m):
    x = t(m, [1.0, 2.0])
    a, b = (x * 2).sum(), (x * x).sum()
    return m.autograd.grad([a, b], x)


@scenario
def grad_multiple_outputs_with_grad_outputs(m):
    x = t(m, [1.0, 2.0])
    a, b = (x * 2).sum(), (x * x).sum()
    return m.autograd.grad([a, b], [x], grad_outputs=[m.tensor(1.0), m.tensor(2.0)])


@scenario
def grad_input_not_requiring_grad(m):
    x = t(m, [1.0])
    z = m.tensor([1.0])
    m.autograd.grad((x * 2).sum(), z)


@scenario
def grad_output_not_requiring_grad(m):
    x = t(m, [1.0])
    m.autograd.grad(m.tensor(1.0), x)


@scenario
def grad_does_not_touch_dot_grad(m):
    x = t(m, [1.0])
    m.autograd.grad((x * 2).sum(), x)
    return x.grad


@scenario
def grad_of_nonleaf_input(m):
    x = t(m, [1.0, 2.0])
    y = x * 3
    return m.autograd.grad((y * y).sum(), y)


@scenario
def grad_retain_graph_false_second_call(m):
    x = t(m, [1.0])
    y = (x.exp()).sum()
    m.autograd.grad(y, x)
    m.autograd.grad(y, x)


@scenario
def grad_create_graph_result_requires_grad(m):
    x = t(m, [2.0])
    (g,) = m.autograd.grad((x * x).sum(), x, create_graph=True)
    return g.requires_grad, g.grad_fn.name()


@scenario
def grad_without_create_graph_is_plain(m):
    x = t(m, [2.0])
    (g,) = m.autograd.grad((x * x).sum(), x)
    return g.requires_grad, g.grad_fn


@scenario
def grad_tuple_return_type(m):
    x = t(m, [2.0])
    return type(m.autograd.grad((x * x).sum(), [x])).__name__


@scenario
def grad_same_input_twice(m):
    x = t(m, [2.0])
    return m.autograd.grad((x * x).sum(), [x, x])


@scenario
def backward_inputs_argument(m):
    x = t(m, [1.0])
    z = t(m, [2.0])
    (x * z).sum().backward(inputs=[x])
    return x.grad, z.grad


@scenario
def backward_empty_inputs_error(m):
    x = t(m, [1.0])
    (x * 2).sum().backward(inputs=[])


@scenario
def backward_gradient_wrong_shape(m):
    x = t(m, [1.0, 2.0])
    (x * 2).backward(m.ones(3))


@scenario
def backward_on_leaf_without_grad(m):
    m.tensor([1.0]).sum().backward()


@scenario
def backward_on_leaf_itself(m):
    x = t(m, 3.0)
    x.backward()
    return x.grad


@scenario
def backward_create_graph_warns(m):
    x = t(m, [2.0])
    (x * x).sum().backward(create_graph=True)
    r = x.grad.requires_grad, x.grad.grad_fn.name()
    x.grad = None
    return r


@scenario
def autograd_backward_function(m):
    x = t(m, [1.0, 2.0])
    m.autograd.backward([(x * 2).sum(), (x * x).sum()])
    return x.grad


@scenario
def autograd_backward_grad_tensors(m):
    x = t(m, [1.0, 2.0])
    m.autograd.backward(x * 2, grad_tensors=m.tensor([1.0, 10.0]))
    return x.grad


@scenario
def grad_accumulates_across_backwards(m):
    x = t(m, [1.0, 2.0])
    (x * 2).sum().backward()
    g1 = x.grad.clone()
    (x * x).sum().backward()
    return g1, x.grad


@scenario
def grad_assign_wrong_shape(m):
    x = t(m, [1.0, 2.0])
    x.grad = m.ones(3)


@scenario
def grad_assign_wrong_dtype(m):
    x = t(m, [1.0, 2.0])
    x.grad = m.ones(2, dtype=m.float64)


@scenario
def grad_assign_non_tensor(m):
    x = t(m, [1.0, 2.0])
    x.grad = [1.0, 2.0]


@scenario
def grad_assign_then_backward_accumulates(m):
    x = t(m, [1.0, 2.0])
    x.grad = m.tensor([10.0, 10.0])
    (x * 2).sum().backward()
    return x.grad


@scenario
def grad_set_none(m):
    x = t(m, [1.0])
    (x * 2).sum().backward()
    x.grad = None
    return x.grad


@scenario
def backward_through_shared_subexpression(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    (y * y + y).sum().backward()
    return x.grad


@scenario
def backward_int_tensor_result(m):
    x = t(m, [1.0, 2.0])
    (x * 2).long().sum().backward()


@scenario
def integer_requires_grad_attr(m):
    x = m.tensor([1, 2])
    x.requires_grad = True


@scenario
def complex_grad_conj(m):
    z = t(m, [1 + 2j, 3 - 1j])
    (z * z.conj()).real.sum().backward()
    return z.grad


@scenario
def complex_grad_abs(m):
    z = t(m, [3 + 4j])
    z.abs().sum().backward()
    return z.grad


@scenario
def complex_grad_of_real_loss(m):
    z = t(m, [1 + 1j])
    (z * (2 + 1j)).real.sum().backward()
    return z.grad


@scenario
def complex_backward_explicit_gradient(m):
    z = t(m, [1 + 1j, 2 - 1j])
    (z * 2).backward(m.tensor([1 + 0j, 0 + 1j]))
    return z.grad


@scenario
def complex_view_as_real_grad(m):
    z = t(m, [1 + 2j])
    m.view_as_real(z).pow(2).sum().backward()
    return z.grad
