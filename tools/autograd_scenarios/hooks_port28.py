"""Hook ordering between tensor hooks, node hooks and accumulate-grad hooks, after
PyTorch's test_autograd (test_prehook_ordering, test_hook_edge_case_when_called_with_grad...)."""

from autograd_scenarios import limitation, scenario


@scenario
def hk_post_accumulate_grad_hook_ordering(m):
    tensor = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    acc_grad = tensor.view_as(tensor).grad_fn.next_functions[0][0]
    tensor.register_hook(lambda g: g.sub(2.0))
    acc_grad.register_prehook(lambda gO: (gO[0].div(5.0),))
    tensor.register_post_accumulate_grad_hook(lambda t_: t_.grad.add_(0.5))

    def acc_post(grad_in, grad_out):
        tensor.grad = grad_out[0].mul(10)

    acc_grad.register_hook(acc_post)
    tensor.sum().backward()
    return tensor.grad


@scenario
def hk_hook_with_no_name(m):
    class MyHookClass:
        def __call__(self, grad):
            return grad.clone() * 3

    x0 = m.tensor([1.0, 2.0], requires_grad=True)
    x = x0.clone()
    x.register_hook(MyHookClass())
    x.sum().backward()
    return x0.grad


def _prehook_setup(m, log):
    def hook1(g):
        log.append(1)
        return g * 3

    def hook2(gs):
        log.append(2)
        return tuple(g * 2 for g in gs)

    a = m.tensor(1.0, requires_grad=True)
    b = a.clone()
    b.grad_fn.register_prehook(hook2)
    b.register_hook(hook1)
    b.grad_fn.register_prehook(hook2)
    acc = b.grad_fn.next_functions[0][0]
    a.register_hook(hook1)
    acc.register_prehook(hook2)
    a.register_hook(hook1)
    return a, b


@scenario
def hk_prehook_ordering_backward(m):
    log = []
    a, b = _prehook_setup(m, log)
    b.sum().backward(retain_graph=True)
    return log, a.grad


@scenario
def hk_prehook_ordering_grad(m):
    log = []
    a, b = _prehook_setup(m, log)
    g = m.autograd.grad(b.sum(), inputs=(a,), retain_graph=True)
    return log, g


@scenario
@limitation("the core's engine captures a non-leaf backward input's gradient after its grad_fn's pre-hooks ran; PyTorch captures it before them (as retain_grad does)")
def hk_prehook_ordering_backward_inputs_nonleaf(m):
    log = []
    a, b = _prehook_setup(m, log)
    b.sum().backward(inputs=(b,))
    return log, b.grad, a.grad


@scenario
def hk_retains_grad_observes_tensor_prehook(m):
    a = m.tensor(1.0, requires_grad=True)
    b = a.clone()
    b.register_hook(lambda g: g * 2)
    b.retain_grad()
    b.register_hook(lambda g: g * 2)
    b.clone().backward()
    r1 = b.grad.item()
    a = m.tensor(1.0, requires_grad=True)
    b = a.clone()
    b.retain_grad()
    b.register_hook(lambda g: g * 2)
    b.clone().backward()
    return r1, b.grad.item(), a.grad.item()


@scenario
def hk_accumulate_grad_posthooks_observe_tensor_prehook(m):
    seen = []
    a = m.tensor(1.0, requires_grad=True)
    b = a.clone()
    acc = b.grad_fn.next_functions[0][0]
    acc.register_hook(lambda gI, gO: seen.append(("post", [g.item() for g in gI], len(gO))))
    acc.register_prehook(lambda gO: seen.append(("pre", [g.item() for g in gO])))
    a.register_hook(lambda g: g * 2)
    b.backward()
    return seen


@scenario
def hk_accumulate_grad_posthooks_should_not_execute(m):
    def tensor_prehook(g):
        raise RuntimeError("tensor hook ran")

    def posthook(gO, gI):
        raise RuntimeError("post hook ran")

    a = m.tensor(1.0, requires_grad=True)
    a.register_hook(tensor_prehook)
    b = m.tensor(1.0, requires_grad=True)
    c = a.clone()
    acc = c.grad_fn.next_functions[0][0]
    acc.register_hook(posthook)
    out = a + b + c
    out.sum().backward(inputs=[b])
    return b.grad, a.grad


def _hook_counts(m, run):
    a = m.tensor(1.0, requires_grad=True)
    b = a * 2
    c = b * 2
    counts = {"tensor": 0, "pre": 0, "post": 0}

    def tensor_prehook(g):
        counts["tensor"] += 1

    def prehook(g):
        counts["pre"] += 1

    def posthook(gI, gO):
        counts["post"] += 1

    a.register_hook(tensor_prehook)
    b.register_hook(tensor_prehook)
    acc = b.grad_fn.next_functions[0][0]
    acc.register_hook(posthook)
    acc.register_prehook(prehook)
    b.grad_fn.register_hook(posthook)
    b.grad_fn.register_prehook(prehook)
    run(a, b, c)
    return counts


@scenario
@limitation("the core's engine runs the pre-hooks of the node behind a grad() input; PyTorch runs only the tensor hooks there, the node does not execute")
def hk_edge_case_grad_to_b(m):
    return _hook_counts(m, lambda a, b, c: m.autograd.grad(c, inputs=(b), retain_graph=True))


@scenario
def hk_edge_case_grad_to_a_b(m):
    return _hook_counts(m, lambda a, b, c: m.autograd.grad(c, inputs=(a, b), retain_graph=True))


@scenario
def hk_edge_case_backward(m):
    return _hook_counts(m, lambda a, b, c: c.backward(retain_graph=True))


@scenario
def hk_edge_case_backward_inputs(m):
    return _hook_counts(m, lambda a, b, c: c.backward(inputs=(a, b), retain_graph=True))


@scenario
def hk_hooks_counter_and_remove(m):
    x = m.ones(2, 2, requires_grad=True)
    y = (m.ones(2, 2) * 4).requires_grad_(True)
    counter = [0]

    def bw_hook(inc, grad):
        counter[0] += inc

    z = x**2 + x * 2 + x * y + y
    x.register_hook(lambda *args: bw_hook(0, *args))
    test = z.register_hook(lambda *args: bw_hook(1, *args))
    z.backward(m.ones(2, 2), retain_graph=True)
    out = [counter[0]]
    test2 = z.register_hook(lambda *args: bw_hook(2, *args))
    z.backward(m.ones(2, 2), retain_graph=True)
    out.append(counter[0])
    test2.remove()
    z.backward(m.ones(2, 2), retain_graph=True)
    out.append(counter[0])
    test.remove()
    z.register_hook(lambda g: g.mul(2))
    with m.no_grad():
        y.grad.zero_()
    z.backward(m.ones(2, 2), retain_graph=True)
    out.append(y.grad)
    y.register_hook(lambda g: g.mul(2))
    with m.no_grad():
        y.grad.zero_()
    z.backward(m.ones(2, 2))
    out.append(y.grad)
    return out


def _mul2(m, custom):
    if not custom:
        return lambda x: x * 2

    class Mul2(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, gO):
            return gO * 2

    return Mul2.apply


def _grad_fn_prehooks(m, custom):
    a = m.tensor([1.0], requires_grad=True)
    b = _mul2(m, custom)(a)
    post = []
    pre = [0]

    def posthook(grad_input, grad_output):
        post.append((pre[0], grad_output[0].item(), grad_input[0].item()))
        return grad_input

    def prehook(grad_output):
        pre[0] += 1
        return (grad_output[0] * 2,)

    b.grad_fn.register_hook(posthook)
    b.grad_fn.register_hook(posthook)
    b.grad_fn.register_prehook(prehook)
    b.grad_fn.register_prehook(lambda x: None)
    b.grad_fn.register_prehook(prehook)
    b.grad_fn.register_prehook(prehook)
    b.grad_fn.register_prehook(lambda x: x)
    b.grad_fn.register_prehook(lambda x: None)
    b.sum().backward()
    return post, pre[0], a.grad


@scenario
def hk_grad_fn_prehooks_builtin(m):
    return _grad_fn_prehooks(m, False)


@scenario
def hk_grad_fn_prehooks_custom(m):
    return _grad_fn_prehooks(m, True)


@scenario
def hk_grad_fn_prehook_returns_none_keeps(m):
    for custom in (False, True):
        a = m.tensor([1.0, 2.0], requires_grad=True)
        b = _mul2(m, custom)(a)
        b.grad_fn.register_prehook(lambda gO: None)
        b.sum().backward()
    return a.grad


@scenario
def hk_grad_fn_prehook_wrong_count_custom(m):
    a = m.tensor([1.0], requires_grad=True)
    b = _mul2(m, True)(a)
    b.grad_fn.register_prehook(lambda gO: (gO[0], gO[0]))
    b.sum().backward()


@scenario
def hk_grad_fn_posthook_custom_replaces(m):
    a = m.tensor([1.0], requires_grad=True)
    b = _mul2(m, True)(a)
    b.grad_fn.register_hook(lambda gI, gO: (gI[0] * 10,))
    b.sum().backward()
    return a.grad


@scenario
def hk_grad_fn_posthook_custom_wrong_count(m):
    a = m.tensor([1.0], requires_grad=True)
    b = _mul2(m, True)(a)
    b.grad_fn.register_hook(lambda gI, gO: (gI[0], gI[0]))
    b.sum().backward()


@scenario
def hk_custom_node_hook_handle_remove(m):
    calls = []
    a = m.tensor([1.0], requires_grad=True)
    b = _mul2(m, True)(a)
    h = b.grad_fn.register_prehook(lambda gO: calls.append("pre"))
    h2 = b.grad_fn.register_hook(lambda gI, gO: calls.append("post"))
    h.remove()
    h2.remove()
    b.sum().backward()
    return calls, a.grad


@scenario
def hk_tensor_hook_on_custom_output(m):
    a = m.tensor([1.0], requires_grad=True)
    b = _mul2(m, True)(a)
    b.register_hook(lambda g: g * 5)
    b.sum().backward()
    return a.grad


@scenario
def hk_remove_hook_inside_hook(m):
    calls = []
    x = m.tensor([1.0], requires_grad=True)
    y = x * 2
    handles = []

    def hook(g):
        calls.append(1)
        handles[0].remove()

    handles.append(y.register_hook(hook))
    y.backward(retain_graph=True)
    y.backward()
    return calls
