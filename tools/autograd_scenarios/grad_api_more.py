"""More backward / autograd.grad edge cases: double backward without saved tensors,
gradient layout and identity, inputs= with non-leaves, batched grads."""

from autograd_scenarios import accepted, limitation, scenario, t


@scenario
def second_backward_without_saved_tensors(m):
    x = t(m, [1.0, 2.0])
    y = (x + 1).sum()
    y.backward()
    y.backward()
    return x.grad


@scenario
def second_backward_mul_by_python_scalar(m):
    x = t(m, [1.0, 2.0])
    y = (x * 3).sum()
    y.backward()
    y.backward()
    return x.grad


@scenario
def second_backward_view_ops(m):
    x = t(m, [[1.0, 2.0]])
    y = x.t().reshape(2).sum()
    y.backward()
    y.backward()
    return x.grad


@scenario
def backward_one_element_nonscalar(m):
    x = t(m, [2.0])
    (x * x).backward()
    return x.grad


@scenario
def backward_scalar_output_nonscalar_gradient(m):
    x = t(m, [2.0])
    (x * x).sum().backward(m.ones(2))


@scenario
def backward_gradient_as_python_float(m):
    x = t(m, [2.0])
    (x * x).sum().backward(2.0)
    return x.grad


@scenario
def backward_gradient_int_dtype(m):
    x = t(m, [2.0])
    (x * x).backward(m.tensor([2]))
    return x.grad


@scenario
def backward_inputs_nonleaf(m):
    x = t(m, [1.0, 2.0])
    y = x * 2
    (y * y).sum().backward(inputs=[y])
    return y.grad, x.grad


@scenario
def backward_inputs_single_tensor(m):
    x = t(m, [1.0, 2.0])
    (x * x).sum().backward(inputs=x)
    return x.grad


@scenario
def backward_inputs_not_requiring_grad(m):
    x = t(m, [1.0, 2.0])
    (x * x).sum().backward(inputs=[m.tensor([1.0])])


@scenario
def grad_identity_kept_across_accumulation(m):
    x = t(m, [1.0, 2.0])
    (x * 2).sum().backward()
    g = x.grad
    (x * 2).sum().backward()
    return x.grad is g, g


@scenario
def grad_layout_of_noncontiguous_leaf(m):
    x = m.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).t().detach().requires_grad_()
    (x * 2).sum().backward()
    return x.grad.stride(), x.stride()


@scenario
def grad_layout_of_expanded_grad(m):
    x = t(m, [1.0, 2.0])
    x.sum().backward()
    return x.grad.stride(), x.grad


@scenario
def grad_outputs_length_mismatch(m):
    x = t(m, [1.0])
    m.autograd.grad([(x * 2).sum(), (x * 3).sum()], x, grad_outputs=[m.tensor(1.0)])


@scenario
def grad_outputs_none_entry_nonscalar(m):
    x = t(m, [1.0, 2.0])
    m.autograd.grad([x * 2], x, grad_outputs=[None])


@scenario
def grad_is_grads_batched_wrong_shape(m):
    x = t(m, [1.0, 2.0])
    m.autograd.grad(x * x, x, grad_outputs=m.ones(3, 3), is_grads_batched=True)


@scenario
@accepted("batched grads are computed one by one and stacked (PyTorch uses vmap), so the result's grad_fn is StackBackward0")
def grad_is_grads_batched_create_graph(m):
    x = t(m, [1.0, 2.0])
    (g,) = m.autograd.grad(x**3, x, grad_outputs=m.eye(2), is_grads_batched=True,
                           create_graph=True)
    return g.requires_grad, g


@scenario
def grad_inputs_empty(m):
    x = t(m, [1.0])
    m.autograd.grad((x * 2).sum(), [])


@scenario
def grad_non_tensor_input(m):
    x = t(m, [1.0])
    m.autograd.grad((x * 2).sum(), [x, 3])


@scenario
def grad_non_tensor_output(m):
    x = t(m, [1.0])
    m.autograd.grad(3.0, x)


@scenario
def grad_output_is_input(m):
    x = t(m, [1.0, 2.0])
    return m.autograd.grad(x, x, grad_outputs=m.tensor([3.0, 4.0]))


@scenario
def grad_unreachable_nonleaf_input(m):
    x = t(m, [1.0])
    y = x * 2
    z = x * 3
    return m.autograd.grad(z.sum(), [y], allow_unused=True)


@scenario
def grad_of_grad_unused_second_order(m):
    x = t(m, [1.0])
    (g,) = m.autograd.grad((x * 2).sum(), x, create_graph=True)
    return g.requires_grad, m.autograd.grad(g.sum(), x, allow_unused=True)


@scenario
def grad_of_grad_not_requiring_grad_error(m):
    x = t(m, [1.0])
    (g,) = m.autograd.grad((x * 2).sum(), x, create_graph=True)
    m.autograd.grad(g.sum(), x)


@scenario
def hook_modifies_grad_inplace(m):
    x = t(m, [1.0, 2.0])

    def hook(g):
        g.mul_(10)

    x.register_hook(hook)
    (x * 2).sum().backward()
    return x.grad


@scenario
def hook_returns_other_dtype(m):
    x = t(m, [1.0, 2.0])
    x.register_hook(lambda g: g.double())
    (x * 2).sum().backward()
    return x.grad


@scenario
def hook_returns_none_keeps_grad(m):
    x = t(m, [1.0])
    x.register_hook(lambda g: None)
    (x * 2).sum().backward()
    return x.grad


@scenario
def hook_handle_id_increments(m):
    x = t(m, [1.0])
    a = x.register_hook(lambda g: None)
    b = x.register_hook(lambda g: None)
    return b.id - a.id


@scenario
def hook_on_view_of_leaf(m):
    x = t(m, [1.0, 2.0])
    v = x[:1]
    v.register_hook(lambda g: g * 100)
    (v * 2 + x).sum().backward()
    return x.grad


@scenario
def hook_added_during_backward(m):
    x = t(m, [1.0])
    y = x * 2
    calls = []

    def first(g):
        calls.append("first")
        x.register_hook(lambda g: calls.append("late"))

    y.register_hook(first)
    y.sum().backward()
    return calls


@scenario
def requires_grad_returns_self(m):
    x = m.tensor([1.0])
    return x.requires_grad_() is x, x.requires_grad_(False) is x, x.requires_grad


@scenario
def requires_grad_setter_non_bool(m):
    x = m.tensor([1.0])
    x.requires_grad = 1
    return x.requires_grad


@scenario
def requires_grad_kwarg_factory(m):
    return m.zeros(2, requires_grad=True).is_leaf, m.arange(3.0, requires_grad=True).grad_fn


@scenario
def requires_grad_int_factory(m):
    m.arange(3, requires_grad=True)


@scenario
@limitation("the error names ferrograd's Tensor class; PyTorch's getset lives on torch._C.TensorBase")
def grad_fn_setter_error(m):
    x = t(m, [1.0])
    x.grad_fn = None


@scenario
@limitation("the error names ferrograd's Tensor class; PyTorch's getset lives on torch._C.TensorBase")
def is_leaf_setter_error(m):
    x = t(m, [1.0])
    x.is_leaf = False


@scenario
def output_nr_attr(m):
    x = t(m, [3.0, 1.0])
    v, _i = x.sort()
    return x.output_nr, v.output_nr


@scenario
def detach_requires_grad_independent(m):
    x = t(m, [1.0])
    d = x.detach()
    d.requires_grad_()
    (d * 2).sum().backward()
    return x.grad, d.grad


@scenario
def sum_to_size_backward(m):
    x = t(m, [[1.0, 2.0], [3.0, 4.0]])
    y = x.sum_to_size(1, 2)
    y.sum().backward()
    return y.grad_fn.name(), x.grad


@scenario
def zero_grad_leaf_manual(m):
    x = t(m, [1.0])
    (x * 2).sum().backward()
    x.grad.zero_()
    (x * 5).sum().backward()
    return x.grad


@scenario
def backward_on_complex_loss_error(m):
    z = t(m, [1 + 1j])
    (z * z).sum().backward()


@scenario
def backward_complex_to_real_abs_sq(m):
    z = t(m, [1 + 1j, 2 + 0j])
    (z.abs() ** 2).sum().backward()
    return z.grad


@scenario
def backward_complex_angle(m):
    z = t(m, [1 + 1j])
    z.angle().sum().backward()
    return z.grad


@scenario
def backward_complex_real_imag(m):
    z = t(m, [1 + 2j])
    (z.real * 3 + z.imag * 5).sum().backward()
    return z.grad


@scenario
def backward_real_to_complex(m):
    x = t(m, [1.0, 2.0])
    c = m.complex(x, x * 2)
    (c * c.conj()).real.sum().backward()
    return x.grad


@scenario
def backward_conj_view(m):
    z = t(m, [1 + 2j])
    c = z.conj()
    return c.is_conj(), c.grad_fn.name()


@scenario
def backward_polar(m):
    r = t(m, [2.0])
    th = t(m, [0.5])
    m.polar(r, th).real.sum().backward()
    return r.grad, th.grad


@scenario
def grad_complex_grad_output(m):
    z = t(m, [1 + 1j])
    return m.autograd.grad(z * (1 - 1j), z, grad_outputs=m.tensor([1 + 0j]))
