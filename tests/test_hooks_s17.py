"""Module backward hooks as PyTorch 2.13 runs them: the deprecated non-full hooks
(`register_backward_hook`, `register_module_backward_hook`) see the gradients of the
module's last autograd node; full hooks and pre-hooks fire outer-pre, inner-pre, inner,
outer, also for modules that return their input unchanged. Expected values and texts are
PyTorch's.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import warnings

import pytest
from backend import IS_TORCH, fg

nn = fg.nn
module_py = fg.nn.modules.module
NODES_WARNING = (
    "Using a non-full backward hook when the forward contains multiple autograd Nodes is deprecated and will be "
    "removed in future versions. This hook will be missing some grad_input. Please use "
    "register_full_backward_hook to get the documented behavior."
)


def values(t):
    if t is None:
        return None
    if isinstance(t, tuple):
        return tuple(values(x) for x in t)
    return t.detach().flatten().tolist()


class Scale(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, x):
        return x * self.k


class Mul(nn.Module):
    def forward(self, a, b):
        return a * b


def _set_global_kind(value) -> None:
    if IS_TORCH:
        module_py._global_is_full_backward_hook = value
    else:
        from ferrograd.nn.modules import _global_hooks

        _global_hooks.is_full_backward_hook = value


@pytest.fixture
def sticky_global_kind():
    """The global kind of backward hook (full or not) sticks once chosen, for the whole
    process: start without one and put that back."""
    _set_global_kind(None)
    yield
    _set_global_kind(None)


def recorded(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [(w.category, str(w.message)) for w in caught]


# ---- non-full hooks ---------------------------------------------------------------------
def test_non_full_hook_sees_the_last_node_of_linear():
    lin = nn.Linear(3, 2)
    with fg.no_grad():
        lin.weight.copy_(fg.tensor([[1.0, 2, 3], [4, 5, 6]]))
        lin.bias.copy_(fg.tensor([0.5, -0.5]))
    seen = []
    lin.register_backward_hook(lambda m, gi, go: seen.append((m, values(gi), values(go))))
    x = fg.tensor([[1.0, 2, 3]], requires_grad=True)
    # the weight reaches AddmmBackward0 through TBackward0: "multiple autograd Nodes"
    assert recorded(lambda: lin(x).sum().backward()) == [(FutureWarning, NODES_WARNING)]
    # AddmmBackward0's inputs: bias, x, weight.t()
    assert seen == [(lin, ([1.0, 1.0], [5.0, 7.0, 9.0], [1.0, 1.0, 2.0, 2.0, 3.0, 3.0]), ([1.0, 1.0],))]


def test_non_full_hook_of_sequential_sees_its_last_layer_with_the_warning():
    seq = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
    with fg.no_grad():
        seq[0].weight.copy_(fg.tensor([[1.0, -2, 3], [4, 5, -6]]))
        seq[0].bias.zero_()
    seen = []
    seq.register_backward_hook(lambda m, gi, go: seen.append((values(gi), values(go))))
    x = fg.tensor([[1.0, 2, 3]], requires_grad=True)
    caught = recorded(lambda: (seq(x) * fg.tensor([[2.0, 3]])).sum().backward())
    # the ReLU's node: the second unit (4 + 10 - 18 < 0) passes no gradient
    assert seen == [(([2.0, 0.0],), ([2.0, 3.0],))]
    assert caught == [(FutureWarning, NODES_WARNING)]


def test_non_full_hook_may_replace_the_node_gradients():
    a = fg.tensor([1.0, 2], requires_grad=True)
    m = Scale(2.0)
    m.register_backward_hook(lambda mod, gi, go: (gi[0] * 10, None))  # MulBackward0: (self, other=2.0)
    recorded(lambda: m(a).sum().backward())
    assert a.grad.tolist() == [20.0, 20.0]


def test_non_full_hook_returning_too_few_values_is_named_in_the_error():
    def rep(mod, gi, go):
        return (gi[0],)

    m = Scale(2.0)
    m.register_backward_hook(rep)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = m(fg.tensor([1.0, 2], requires_grad=True))
    with pytest.raises(RuntimeError, match=r"hook 'rep' has returned an incorrect number of values \(got 1, but "
                                           r"expected 2\)"):
        y.sum().backward()


def test_non_full_hook_of_two_inputs_and_of_two_output_nodes():
    m = Mul()
    seen = []
    m.register_backward_hook(lambda mod, gi, go: seen.append((values(gi), values(go))))
    a = fg.tensor([1.0, 2], requires_grad=True)
    b = fg.tensor([3.0, 4], requires_grad=True)
    assert recorded(lambda: m(a, b).sum().backward()) == [(FutureWarning, NODES_WARNING)]
    assert seen == [(([3.0, 4.0], [1.0, 2.0]), ([1.0, 1.0],))]

    class Two(nn.Module):
        def forward(self, a):
            return a * 2, a + 1

    two = Two()
    seen.clear()
    two.register_backward_hook(lambda mod, gi, go: seen.append((values(gi), values(go))))

    def run():
        out = two(a)
        (out[0].sum() + out[1].sum() * 3).backward()

    assert recorded(run) == [(
        FutureWarning,
        ("Using a non-full backward hook when outputs are generated by different autograd Nodes is deprecated and "
        "will be removed in future versions. This hook will be missing some grad_output. Please use "
        "register_full_backward_hook to get the documented behavior."),
    )]
    assert seen == [(([2.0, 2.0], None), ([1.0, 1.0],))]


def test_non_full_hook_of_a_dead_module_raises():
    m = Scale(2.0)
    m.register_backward_hook(lambda *args: None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = m(fg.tensor([1.0], requires_grad=True))
    del m
    with pytest.raises(RuntimeError, match="You are trying to call the hook of a dead Module!"):
        y.sum().backward()


def test_module_backward_hook_for_every_module(sticky_global_kind):
    seen = []
    handle = module_py.register_module_backward_hook(lambda m, gi, go: seen.append((type(m).__name__, values(gi))))
    try:
        with pytest.raises(RuntimeError, match="Cannot use both regular backward hooks and full backward hooks as "
                                               "a global Module hook. Please use only one of them."):
            module_py.register_module_full_backward_hook(lambda *args: None)
        m = Scale(2.0)
        caught = recorded(lambda: m(fg.tensor([1.0, 2], requires_grad=True)).sum().backward())
        assert module_py._global_is_full_backward_hook is False and len(module_py._global_backward_hooks) == 1
    finally:
        handle.remove()
    assert seen == [("Scale", ([2.0, 2.0], None))]
    assert caught == [(FutureWarning, NODES_WARNING)]


def test_module_hook_dicts_and_the_kind_of_backward_hook():
    m = nn.Linear(2, 2)
    assert m._backward_hooks == {} and m._backward_pre_hooks == {} and m._is_full_backward_hook is None
    assert m._forward_hooks_always_called == {} and m._state_dict_hooks == {}
    handle = m.register_full_backward_hook(lambda *args: None)
    assert len(m._backward_hooks) == 1 and m._is_full_backward_hook is True
    handle.remove()
    assert len(m._backward_hooks) == 0 and m._is_full_backward_hook is True
    other = nn.Linear(2, 2)
    other.register_backward_hook(lambda *args: None).remove()
    assert other._is_full_backward_hook is False
    # the kind sticks after the hooks are gone
    with pytest.raises(RuntimeError, match="Cannot use both regular backward hooks and full backward hooks on a "
                                           "single Module. Please use only one of them."):
        other.register_full_backward_hook(lambda *args: None)


# ---- full hooks: order and timing -------------------------------------------------------
def logging_hooks(module, name, log):
    module.register_full_backward_pre_hook(lambda m, go: log.append(("pre", name, values(go))))
    module.register_full_backward_hook(lambda m, gi, go: log.append(("post", name, values(gi), values(go))))


def test_nested_modules_fire_outer_pre_inner_then_outer_post():
    class Outer(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = Scale(2.0)
            self.b = Scale(3.0)

        def forward(self, x):
            return self.b(self.a(x)) + x

    log = []
    outer = Outer()
    logging_hooks(outer, "outer", log)
    logging_hooks(outer.a, "a", log)
    logging_hooks(outer.b, "b", log)
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    outer(x).sum().backward()
    assert log == [
        ("pre", "outer", ([1.0, 1.0],)),
        ("pre", "b", ([1.0, 1.0],)),
        ("post", "b", ([3.0, 3.0],), ([1.0, 1.0],)),
        ("pre", "a", ([3.0, 3.0],)),
        ("post", "a", ([6.0, 6.0],), ([3.0, 3.0],)),
        ("post", "outer", ([7.0, 7.0],), ([1.0, 1.0],)),
    ]
    assert x.grad.tolist() == [7.0, 7.0]


def test_identity_fires_its_pre_hook_before_its_hook():
    log = []
    seq = nn.Sequential(nn.Identity(), Scale(2.0), nn.Identity())
    logging_hooks(seq, "seq", log)
    for name, layer in zip(("id0", "sc", "id2"), seq):
        logging_hooks(layer, name, log)
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    (seq(x) * 5).sum().backward()
    assert log == [
        ("pre", "seq", ([5.0, 5.0],)),
        ("pre", "id2", ([5.0, 5.0],)),
        ("post", "id2", ([5.0, 5.0],), ([5.0, 5.0],)),
        ("pre", "sc", ([5.0, 5.0],)),
        ("post", "sc", ([10.0, 10.0],), ([5.0, 5.0],)),
        ("pre", "id0", ([10.0, 10.0],)),
        ("post", "id0", ([10.0, 10.0],), ([10.0, 10.0],)),
        ("post", "seq", ([10.0, 10.0],), ([5.0, 5.0],)),
    ]


def test_a_module_passing_one_input_through_gets_both_gradients_once():
    class Pass(nn.Module):
        def forward(self, a, b):
            return a, b * 2

    log = []
    p = Pass()
    logging_hooks(p, "pass", log)
    a = fg.tensor([1.0], requires_grad=True)
    b = fg.tensor([2.0], requires_grad=True)
    u, v = p(a, b)
    (u * 3 + v * 4).sum().backward()
    assert log == [("pre", "pass", ([3.0], [4.0])), ("post", "pass", ([3.0], [8.0]), ([3.0], [4.0]))]
    assert (a.grad.tolist(), b.grad.tolist()) == ([3.0], [8.0])


def test_pre_hook_and_hook_replacing_gradients_of_identity():
    idm = nn.Identity()
    seen = []
    idm.register_full_backward_pre_hook(lambda m, go: (go[0] * 10,))
    idm.register_full_backward_hook(lambda m, gi, go: seen.append((values(gi), values(go))) or (gi[0] + 1,))
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    (idm(x) * 5).sum().backward()
    assert seen == [(([50.0, 50.0],), ([50.0, 50.0],))]
    assert x.grad.tolist() == [51.0, 51.0]


def test_hooks_are_those_of_the_call_and_an_unused_output_gets_none():
    class Two(nn.Module):
        def forward(self, x):
            return x * 2, x * 3

    seen = []
    two = Two()
    handle = two.register_full_backward_hook(lambda m, gi, go: seen.append((values(gi), values(go))))
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    a, _ = two(x)
    a.sum().backward()
    assert seen == [(([2.0, 2.0],), ([1.0, 1.0], None))]
    y = nn.Identity()
    later = y.register_full_backward_hook(lambda *args: seen.append("fired"))
    out = y(x)
    later.remove()  # removed after the call: the call still runs it, as PyTorch
    out.sum().backward()
    assert seen[-1] == "fired"
    handle.remove()


def test_wrong_number_of_gradients_from_hooks():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    m = nn.Identity()
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError, match="Backward hook returned an invalid number of grad_input, got 2, but "
                                           "expected 1"):
        m(x).sum().backward()
    m = nn.Identity()
    m.register_full_backward_pre_hook(lambda mod, go: (go[0], go[0]))
    with pytest.raises(RuntimeError, match="Backward pre hook returned an invalid number of grad_output, got 2, "
                                           "but expected 1"):
        m(x).sum().backward()


def test_non_tensor_arguments_are_none_in_grad_input():
    class K(nn.Module):
        def forward(self, x, k, y=None):
            return x * k + y

    seen = []
    m = K()
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((values(gi), values(go))))
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    m(x, 3.0, y=fg.tensor([5.0, 5.0], requires_grad=True)).sum().backward()
    assert seen == [(([3.0, 3.0], None), ([1.0, 1.0],))]


def test_no_input_needing_a_gradient_and_a_dict_output():
    m = Scale(2.0)
    log = []
    logging_hooks(m, "m", log)
    w = fg.tensor([1.0, 2.0], requires_grad=True)
    assert recorded(lambda: (m(fg.ones(2)) * w).sum().backward()) == []
    assert log == []  # the output needs no gradient either: nothing to hook

    class D(nn.Module):
        def forward(self, x):
            return {"y": x * 2}

    d = D()
    logging_hooks(d, "d", log)
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    assert recorded(lambda: d(x)["y"].sum().backward()) == [(
        UserWarning,
        ("For backward hooks to be called, module output should be a Tensor or a tuple of Tensors but received "
        "<class 'dict'>"),
    )]
    assert log == []


def test_hooked_call_output_comes_from_the_hook_node():
    m = nn.Identity()
    m.register_full_backward_pre_hook(lambda mod, go: None)
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = m(x)
    assert y is not x
    assert y.grad_fn.name() == "BackwardHookFunctionBackward"
    assert y.grad_fn.next_functions[0][0].name() == "BackwardHookFunctionBackward"
    with fg.no_grad():
        assert m(x).grad_fn is None


def test_backward_hook_helper_of_utils_hooks():
    log = []
    bw = fg.utils.hooks.BackwardHook(nn.Identity(), [lambda m, gi, go: log.append(("hook", values(gi), values(go)))],
                                     [lambda m, go: log.append(("pre", values(go)))])
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    (a,) = bw.setup_input_hook((x,))
    bw.setup_output_hook(a * 3).sum().backward()
    assert log == [("pre", ([1.0, 1.0],)), ("hook", ([3.0, 3.0],), ([1.0, 1.0],))]
    assert x.grad.tolist() == [3.0, 3.0]


# ---- forward hooks with always_call -------------------------------------------------------
def test_always_call_forward_hooks_run_when_the_call_raises():
    class Bad(nn.Module):
        def forward(self, x):
            raise ValueError("forward failed")

    log = []
    m = Bad()
    m.register_forward_hook(lambda mod, a, out: log.append(("always", out)), always_call=True)
    m.register_forward_hook(lambda mod, a, out: log.append(("plain", out)))
    m.register_forward_hook(lambda mod, a, k, out: log.append(("kwargs", k, out)), with_kwargs=True, always_call=True)

    def boom(mod, a, out):
        raise KeyError("hook failed")

    m.register_forward_hook(boom, always_call=True)
    handle = module_py.register_module_forward_hook(lambda mod, a, out: log.append(("global", type(mod).__name__)),
                                                    always_call=True)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises(ValueError, match="forward failed"):
                m(fg.ones(1))
    finally:
        handle.remove()
    assert log == [("global", "Bad"), ("always", None), ("kwargs", {}, None)]
    assert [str(w.message) for w in caught] == [
        ("module forward hook with ``always_call=True`` raised an exception that was silenced as another error was "
        "raised in forward: 'hook failed'")]


def test_always_call_hook_runs_once_on_success_and_after_a_failing_pre_hook():
    log = []
    good = Scale(2.0)
    handle = good.register_forward_hook(lambda mod, a, out: log.append(out.tolist()), always_call=True)
    good(fg.ones(1))
    assert log == [[2.0]] and len(good._forward_hooks_always_called) == 1
    handle.remove()
    assert len(good._forward_hooks_always_called) == 0

    def failing(mod, args):
        raise RuntimeError("pre failed")

    passing = nn.Identity()
    passing.register_forward_pre_hook(failing)
    passing.register_forward_hook(lambda mod, a, out: log.append(("after", out)), always_call=True)
    with pytest.raises(RuntimeError, match="pre failed"):
        passing(fg.ones(1))
    assert log[-1] == ("after", None)
