"""Mismatches with PyTorch 2.13 found by differential fuzzing of the autograd API
(backward, grad, hooks, graph nodes, grad modes); each expected value, message or
exception type was observed from PyTorch. Runs against PyTorch too:
``FG_TEST_BACKEND=torch pytest tests/test_differential_autograd.py``."""

import warnings

import pytest
from backend import MOD, fg

FREED = "Trying to backward through the graph a second time"


# ---- grad modes as decorators ---------------------------------------------------


def test_no_grad_and_enable_grad_work_as_bare_decorators():
    @fg.no_grad
    def doubled(x):
        return x * 2

    @fg.enable_grad
    def tripled(x):
        return x * 3

    x = fg.ones(2, requires_grad=True)
    assert doubled(x).requires_grad is False
    with fg.no_grad():
        assert tripled(x).requires_grad is True
    assert doubled.__name__ == "doubled"


def test_inference_mode_works_as_a_bare_decorator():
    @fg.inference_mode
    def doubled(x):
        return x * 2

    out = doubled(fg.ones(2, requires_grad=True))
    assert out.requires_grad is False
    assert out.is_inference() is True


def test_no_grad_on_a_generator_holds_while_the_generator_runs():
    @fg.no_grad()
    def steps(x):
        for i in range(2):
            yield (x * i).requires_grad, fg.is_grad_enabled()

    x = fg.ones(2, requires_grad=True)
    seen = []
    for item in steps(x):
        seen.append((item, fg.is_grad_enabled()))
    assert seen == [((False, False), True), ((False, False), True)]


def test_grad_mode_generator_passes_send_and_return_value():
    @fg.enable_grad()
    def gen():
        got = yield fg.is_grad_enabled()
        yield got, fg.is_grad_enabled()
        return 7

    with fg.no_grad():
        g = gen()
        assert next(g) is True
        assert g.send(3) == (3, True)
        with pytest.raises(StopIteration) as stop:
            next(g)
        assert stop.value.value == 7
        assert fg.is_grad_enabled() is False


def test_decorating_a_class_warns_and_still_applies_the_mode():
    with pytest.warns(FutureWarning, match="Decorating classes is deprecated"):

        @fg.no_grad()
        class Made:
            def __init__(self):
                self.enabled = fg.is_grad_enabled()

    assert Made().enabled is False


# ---- backward: freed graphs, warnings ---------------------------------------------


def test_backward_twice_through_nodes_without_saved_tensors_works():
    x = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x + 1).view(3, 1).sum()
    y.backward()
    y.backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_backward_twice_through_a_saved_tensor_still_raises():
    x = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.exp().sum()
    y.backward()
    with pytest.raises(RuntimeError, match=FREED):
        y.backward()


def test_custom_function_without_saved_tensors_runs_backward_twice():
    class Double(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = Double.apply(x).sum()
    y.backward()
    y.backward()
    assert x.grad.tolist() == [4.0, 4.0]


def test_backward_with_create_graph_warns_about_the_reference_cycle():
    if MOD == "ferrograd":  # PyTorch warns once per process; start this test afresh
        from ferrograd import _after_backward

        _after_backward._create_graph_warned = False
    x = fg.tensor(2.0, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (x**3).backward(create_graph=True)
    texts = [str(w.message) for w in caught]
    assert any(t.startswith("Using backward() with create_graph=True will create a reference cycle")
               for t in texts)
    assert x.grad.item() == 12.0
    x.grad = None  # break the cycle the warning is about


def test_inference_tensor_saved_for_backward_message():
    x = fg.ones(2, requires_grad=True)
    with fg.inference_mode():
        y = x * 2
    with pytest.raises(RuntimeError) as info:
        y * x
    assert str(info.value).endswith(
        f"or use `{MOD}.no_grad()` instead of `{MOD}.inference_mode()`."
    )


def test_modified_saved_tensor_hint_names_check_nan():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation") as info:
        y.sum().backward()
    assert str(info.value).endswith(
        f"with {MOD}.autograd.set_detect_anomaly(True, check_nan=False)."
    )


# ---- in-place on leaves and views --------------------------------------------------


@pytest.mark.parametrize("index", [0, (None,), slice(0, 1)])
def test_setitem_through_a_view_of_a_leaf_names_the_view(index):
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="^a view of a leaf Variable that requires grad"):
        x[index] = 1.0


@pytest.mark.parametrize("index", [slice(None), Ellipsis, [0]])
def test_setitem_of_the_whole_leaf_or_advanced_index_names_the_leaf(index):
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad"):
        x[index] = 1.0


def test_detach_in_place_of_a_view_raises():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    for view in (x[:1], x.view(2), (x * 2)[:1], fg.ones(3)[1:]):
        with pytest.raises(RuntimeError, match="^Can't detach views in-place. Use detach\\(\\) instead."):
            view.detach_()
    y = x * 2
    assert y.detach_() is y
    assert y.requires_grad is False and y.grad_fn is None


# ---- autograd.grad -----------------------------------------------------------------


def test_grad_error_messages():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    w = fg.tensor([3.0, 4.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="^got 2 tensors and 1 gradients$"):
        fg.autograd.grad([x * 2, x * 3], x, grad_outputs=[fg.tensor([1.0, 3.0])])
    with pytest.raises(RuntimeError, match="^One of the differentiated Tensors does not require grad$"):
        fg.autograd.grad((w * 2).sum(), fg.tensor([1.0]))
    with pytest.raises(ValueError) as info:
        fg.autograd.grad((x * 2).sum(), [x, w], materialize_grads=True, allow_unused=False)
    assert str(info.value) == (
        "Expected allow_unused to be True or not passed when materialize_grads=True, "
        "but got: allow_unused=False."
    )


def test_grad_with_batched_grad_outputs():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    w = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x**2
    (g,) = fg.autograd.grad(y, x, grad_outputs=fg.eye(2), is_grads_batched=True, retain_graph=True)
    assert g.tolist() == [[2.0, 0.0], [0.0, 4.0]]
    gx, gw = fg.autograd.grad(y, [x, w], fg.ones(3, 2), is_grads_batched=True,
                              allow_unused=True, retain_graph=True)
    assert gx.tolist() == [[2.0, 4.0]] * 3 and gw is None
    gx, gw = fg.autograd.grad(y, [x, w], fg.ones(3, 2), is_grads_batched=True,
                              materialize_grads=True, retain_graph=True)
    assert gw.tolist() == [0.0, 0.0]
    (g,) = fg.autograd.grad(y.sum(), [x], fg.ones(3), is_grads_batched=True, retain_graph=True)
    assert g.shape == (3, 2)
    (g,) = fg.autograd.grad(y, x, fg.eye(2), is_grads_batched=True, create_graph=True)
    assert g.requires_grad is True
    with pytest.raises(RuntimeError, match="If `is_grads_batched=True`, we interpret the first"):
        fg.autograd.grad(x**2, x, fg.ones(3), is_grads_batched=True)


def test_gradient_edge_of_non_leaf_and_leaf():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    edge = fg.autograd.graph.get_gradient_edge(y)
    assert type(edge).__name__ == "GradientEdge"
    assert edge.node.name() == "MulBackward0" and edge.output_nr == 0
    assert edge.node is y.grad_fn
    (g,) = fg.autograd.grad((y * y).sum(), edge)
    assert g.tolist() == [4.0, 8.0]
    leaf = fg.autograd.graph.get_gradient_edge(x)
    assert leaf.node.name() == "torch::autograd::AccumulateGrad"
    assert leaf.output_nr == 0
    with pytest.raises(RuntimeError, match="It is not possible to get the gradient edge"):
        fg.autograd.graph.get_gradient_edge(fg.ones(2))


def test_increment_version():
    x = fg.tensor([1.0, 2.0])
    fg.autograd.graph.increment_version(x)
    assert x._version == 1
    fg.autograd.graph.increment_version([x, x])
    assert x._version == 3


def test_increment_version_makes_a_saved_tensor_stale():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    fg.autograd.graph.increment_version(y)
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0 instead"):
        y.sum().backward()


# ---- hooks --------------------------------------------------------------------------


def test_node_hook_must_return_a_tuple_of_the_right_length():
    def check(register, hook):
        x = fg.tensor([1.0, 2.0], requires_grad=True)
        y = x * x
        getattr(y.grad_fn, register)(hook)
        y.sum().backward()

    with pytest.raises(RuntimeError) as info:
        check("register_hook", lambda gi, go: (gi[0],))
    assert str(info.value) == (
        "hook '<lambda>' has returned an incorrect number of values (got 1, but expected 2)"
    )

    def prehook(go):
        return (go[0], go[0])

    with pytest.raises(RuntimeError) as info:
        check("register_prehook", prehook)
    assert str(info.value) == (
        "hook 'prehook' has returned an incorrect number of values (got 2, but expected 1)"
    )
    with pytest.raises(TypeError, match="^expected tuple, but hook returned 'list'$"):
        check("register_hook", lambda gi, go: [gi[0], None])
    with pytest.raises(TypeError, match="^expected tuple, but hook returned 'Tensor'$"):
        check("register_prehook", lambda go: go[0])


def test_node_hooks_that_return_right_sized_tuples_replace_gradients():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.grad_fn.register_prehook(lambda go: (go[0] * 0,))
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_tensor_hook_return_checks():
    def myhook(g):
        return fg.ones(3)

    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    y.register_hook(myhook)
    with pytest.raises(RuntimeError, match="^hook 'myhook' has changed the size of value$"):
        y.sum().backward()
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: 3)
    with pytest.raises(TypeError, match="^expected Variable, but hook returned 'int'$"):
        (x * 1).sum().backward()
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g.double())
    with pytest.raises(RuntimeError) as info:
        (x * 1).sum().backward()
    assert str(info.value) == (
        f"hook '<lambda>' has changed the type of value (was {MOD}.FloatTensor got {MOD}.DoubleTensor)"
    )


def test_post_accumulate_grad_hook_must_return_none():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    x.register_post_accumulate_grad_hook(lambda p: p.grad.mul_(10))
    with pytest.raises(RuntimeError, match="^Tensor post accumulate grad hooks should return None.$"):
        (x * 1).sum().backward()


def test_post_accumulate_grad_hook_returning_none_sees_the_grad():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    h = x.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
    (x * 3).sum().backward()
    h.remove()
    (x * 3).sum().backward()
    assert seen == [[3.0, 3.0]]
    assert x.grad.tolist() == [6.0, 6.0]


# ---- graph nodes --------------------------------------------------------------------


def test_node_metadata_persists_across_grad_fn_lookups():
    x = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y.grad_fn.metadata["a"] = 1
    assert y.grad_fn.metadata == {"a": 1}
    assert (x * 3).grad_fn.metadata == {}


# ---- anomaly mode -------------------------------------------------------------------


def test_anomaly_error_is_one_line_and_the_forward_trace_is_a_warning():
    x = fg.tensor([0.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with fg.autograd.detect_anomaly():
            y = x / x
            with pytest.raises(RuntimeError) as info:
                y.sum().backward()
    assert str(info.value) == "Function 'DivBackward0' returned nan values in its 1th output."
    texts = [str(w.message) for w in caught]
    assert texts[0].startswith("Anomaly Detection has been enabled.")
    assert any(t.startswith("Error detected in DivBackward0. Traceback of forward call that caused "
                            "the error:\n") and "test_differential_autograd.py" in t for t in texts)


def test_saved_tensor_attributes_of_common_nodes():
    x = fg.tensor([0.5, 0.25], requires_grad=True)
    w = fg.tensor([3.0, 4.0], requires_grad=True)
    y = x * w
    assert y.grad_fn._saved_self is x and y.grad_fn._saved_other is w
    y = x * 2
    assert y.grad_fn._saved_self is None and y.grad_fn._saved_other.tolist() == 2
    y = fg.tensor([1.0, 2.0]) / w
    assert y.grad_fn._saved_other is w and y.grad_fn._saved_self.tolist() == [1.0, 2.0]
    assert x.sin().grad_fn._saved_self is x
    assert (x**2).grad_fn._saved_self is x
    y = x.exp()
    result = y.grad_fn._saved_result
    assert result.tolist() == y.tolist()
    assert result.grad_fn is y.grad_fn
    y.sum().backward()
    with pytest.raises(RuntimeError, match=FREED):
        _ = y.grad_fn._saved_result


def test_saved_result_after_in_place_change_raises():
    x = fg.tensor([0.5, 0.25], requires_grad=True)
    y = x.sigmoid()
    y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        _ = y.grad_fn.next_functions[0][0]._saved_result


def test_del_grad_clears_it():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    x.grad = fg.zeros(2)
    del x.grad
    assert x.grad is None


def test_set_grad_enabled_needs_a_bool():
    for bad in (0, None):
        with pytest.raises(TypeError, match="^set_grad_enabled\\(\\): argument 'enabled' \\(position 1\\) must be bool, not "):
            fg.set_grad_enabled(bad)
    assert fg.is_grad_enabled() is True


def test_detect_anomaly_without_nan_check_lets_nan_through():
    x = fg.tensor([0.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with fg.autograd.detect_anomaly(check_nan=False):
            assert fg.is_anomaly_check_nan_enabled() is False
            (x / x).sum().backward()
    assert fg.is_anomaly_check_nan_enabled() is True
    assert x.grad.isnan().tolist() == [True]


def test_modified_saved_tensor_in_anomaly_mode_warns_and_gives_the_anomaly_hint():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with fg.autograd.detect_anomaly():
            y = x.exp()
            y.add_(1)
            with pytest.raises(RuntimeError, match="modified by an inplace operation") as info:
                y.sum().backward()
    assert str(info.value).endswith(
        "Hint: the backtrace further above shows the operation that failed to compute its "
        "gradient. The variable in question was changed in there or anywhere later. Good luck!"
    )
    assert any(str(w.message).startswith("Error detected in ExpBackward0.") for w in caught)


def test_allow_mutation_on_saved_tensors_uses_the_values_saved():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    with fg.autograd.graph.allow_mutation_on_saved_tensors() as ctx:
        assert type(ctx).__name__ == "_AllowMutationOnSavedContext"
        y = x.clone()
        z = y.sin()
        y.add_(1)
        z.sum().backward()
    assert x.grad.tolist() == pytest.approx([0.5403023, -0.4161468])
    with fg.autograd.graph.allow_mutation_on_saved_tensors():
        z = x.clone().sin()
    with pytest.raises(AssertionError, match="^Trying to backward outside of the 'allow_mutation_on_saved_tensors'"):
        z.sum().backward()
    with fg.autograd.graph.allow_mutation_on_saved_tensors(), pytest.raises(
        RuntimeError, match="^allow_mutation_on_saved_tensors contexts cannot be nested$"
    ), fg.autograd.graph.allow_mutation_on_saved_tensors():
        pass


def test_float_of_a_tensor_that_requires_grad_warns_once():
    if MOD == "ferrograd":  # PyTorch warns once per process; start this test afresh
        from ferrograd import _scalar_warning

        _scalar_warning._warned = False
    x = fg.tensor(2.0, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert float(x * 2) == 4.0
        assert float(x) == 2.0
        assert int(x) == 2 and x.item() == 2.0
    texts = [str(w.message) for w in caught]
    assert len(texts) == 1
    # PyTorch appends where in its C++ sources it warned
    assert texts[0].startswith(
        "Converting a tensor with requires_grad=True to a scalar may lead to unexpected "
        "behavior.\nConsider using tensor.detach() first."
    )


def test_gradcheck_stays_callable_after_importing_its_module():
    import importlib

    module = importlib.import_module(f"{MOD}.autograd.gradcheck")
    assert issubclass(module.GradcheckError, RuntimeError)
    x = fg.tensor([1.0, 2.0], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(fg.sin, (x,)) is True
    from importlib import import_module

    assert import_module(f"{MOD}.autograd").gradcheck(fg.sin, (x,), fast_mode=True) is True


@pytest.mark.parametrize(
    ("expr", "order"),
    [
        ("x * w", "xw"),
        ("w * x", "wx"),
        ("x + w", "xw"),
        ("x * w + b", "bxw"),
        ("fg.cat([x, w, b])", "xwb"),
        ("fg.stack([b, x])", "bx"),
        ("fg.matmul(x, w)", "xw"),
    ],
)
def test_leaf_hooks_fire_in_the_order_of_the_inputs(expr, order):
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    w = fg.tensor([3.0, 4.0], requires_grad=True)
    b = fg.tensor([5.0, 6.0], requires_grad=True)
    fired = []
    for t, name in ((x, "x"), (w, "w"), (b, "b")):
        t.register_hook(lambda g, name=name: fired.append(name))
    eval(expr).sum().backward()
    assert "".join(fired) == order


def test_tensor_of_a_tensor_advises_detach_clone():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    advice = (
        "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
        "or sourceTensor.detach().clone().requires_grad_(True), rather than "
    )
    with pytest.warns(UserWarning) as caught:
        copy = fg.tensor(x)
    assert [str(w.message) for w in caught] == [advice + f"{MOD}.tensor(sourceTensor)."]
    assert copy.requires_grad is False and copy.tolist() == [1.0, 2.0]
    with pytest.warns(UserWarning) as caught:
        copy = x.new_tensor(x, dtype=fg.float64, requires_grad=True)
    assert [str(w.message) for w in caught] == [advice + "tensor.new_tensor(sourceTensor)."]
    assert copy.dtype == fg.float64 and copy.requires_grad is True and copy.is_leaf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fg.tensor([x[0].item(), 3.0]).tolist() == [1.0, 3.0]
        assert fg.as_tensor(x) is x


def test_a_tensor_cannot_be_its_own_grad():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="^can't assign Variable as its own grad$"):
        x.grad = x
    x.grad = x.detach()  # another tensor over the same storage is fine
    assert x.grad.tolist() == [1.0, 2.0]


def test_hooks_run_with_grad_mode_of_create_graph():
    seen = []

    def hook(g):
        seen.append(fg.is_grad_enabled())

    x = fg.ones(2, requires_grad=True)
    y = x * 2
    y.register_hook(hook)
    x.register_hook(hook)
    y.sum().backward(retain_graph=True)
    assert seen == [False, False]
    seen.clear()
    y.sum().backward(create_graph=True)
    assert seen == [True, True]
