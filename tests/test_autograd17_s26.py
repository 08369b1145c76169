"""Session 26 (helper autograd17): more scenarios of PyTorch's autograd suite (inference
mode, saved-tensor hooks, anomaly mode, grad-mode objects, the abstract `Node`, hooks and
gradient accumulation), each checked against hand-computed values and PyTorch's messages.

Run with ``FG_TEST_BACKEND=torch`` to see that every expectation is PyTorch's.
"""

import numpy as np
import pytest
from backend import fg

INFERENCE_WRITE = "Inplace update to inference tensor outside InferenceMode is not allowed"


def _inference_ones(n):
    with fg.inference_mode():
        return fg.ones(n)


# ---- inference mode --------------------------------------------------------------


def test_inference_tensor_resize_to_a_new_shape_is_refused_outside_the_mode():
    c = _inference_ones(2)
    assert c.resize_(2) is c  # the same shape writes nothing: allowed
    with pytest.raises(RuntimeError, match=INFERENCE_WRITE):
        c.resize_(3)
    # as in PyTorch, the error comes when the write is counted, after it is done
    assert tuple(c.shape) == (3,)
    with pytest.raises(RuntimeError, match=INFERENCE_WRITE):
        c.resize_as_(fg.ones(4))
    assert tuple(c.shape) == (4,)


def test_inference_tensor_resize_inside_the_mode_is_allowed():
    c = _inference_ones(2)
    with fg.inference_mode():
        c.resize_(3)
    assert tuple(c.shape) == (3,)
    assert c[:2].tolist() == [1.0, 1.0]


def test_inference_tensor_set_is_refused_outside_the_mode():
    c = _inference_ones(2)
    with pytest.raises(RuntimeError, match=INFERENCE_WRITE):
        c.set_(fg.zeros(3))
    assert c.tolist() == [0.0, 0.0, 0.0]  # done before the error, as in PyTorch
    with fg.inference_mode():
        c.set_(fg.full((2,), 4.0))
    assert c.tolist() == [4.0, 4.0]


def test_inference_tensor_in_place_ops_and_version_counter():
    with pytest.raises(RuntimeError, match=INFERENCE_WRITE):
        _inference_ones(2).add_(1)
    with pytest.raises(RuntimeError, match=INFERENCE_WRITE):
        _inference_ones(2).view(2).mul_(2)
    c = _inference_ones(2)
    with pytest.raises(RuntimeError, match="Inference tensors do not track version counter"):
        _ = c._version
    with fg.inference_mode():
        c.add_(1)
    assert c.tolist() == [2.0, 2.0]


def test_inference_tensor_cannot_be_saved_for_backward():
    c = _inference_ones(2)
    x = fg.tensor([2.0, 3.0], requires_grad=True)
    (c + x).sum().backward()  # add saves nothing: allowed
    assert x.grad.tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="Inference tensors cannot be saved for backward"):
        c * x


def test_results_made_in_inference_mode():
    x = fg.ones(2, requires_grad=True)
    with fg.inference_mode():
        y = x * 2
        v = x.view(2)
    assert (y.requires_grad, y.is_inference(), y.grad_fn) == (False, True, None)
    assert not x.is_inference()
    # a view of a normal tensor made in the mode stays a normal tensor
    assert (v.is_inference(), v.requires_grad) == (False, True)
    c = _inference_ones(2)
    assert c.detach().is_inference() and not c.clone().is_inference()


def test_inference_mode_false_inside_inference_mode_records_again():
    with fg.inference_mode():
        with fg.inference_mode(False):
            assert not fg.is_inference_mode_enabled()
            x = fg.ones(2, requires_grad=True)
            y = x * 2
        assert fg.is_inference_mode_enabled()
    assert (y.requires_grad, y.is_inference(), y.grad_fn.name()) == (True, False, "MulBackward0")


def test_requires_grad_on_an_inference_tensor_is_refused_for_leaves_only_outside():
    c = _inference_ones(2)
    with pytest.raises(RuntimeError, match="Setting requires_grad=True on inference tensor outside InferenceMode"):
        c.requires_grad_()


# ---- saved-tensor hooks ------------------------------------------------------------


def _identity_hooks():
    return fg.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t)


def test_disable_saved_tensors_hooks_inside_active_hooks_raises_its_message():
    disable = fg.autograd.graph.disable_saved_tensors_hooks
    with _identity_hooks():
        with pytest.raises(RuntimeError, match="^no hooks here$"), disable("no hooks here"):
            pass
        # the failed attempt disabled nothing
        with _identity_hooks():
            pass
    with disable("outer"):
        with disable("inner"), pytest.raises(RuntimeError, match="^inner$"), _identity_hooks():
            pass
        with pytest.raises(RuntimeError, match="^outer$"), _identity_hooks():
            pass
    with _identity_hooks():
        pass


def test_innermost_saved_tensors_hooks_pack_what_is_saved():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    with _identity_hooks(), fg.autograd.graph.saved_tensors_hooks(lambda t: t * 3, lambda t: t):
        y = x * x
    y.sum().backward()
    # each factor's saved copy is tripled: d(x*x)/dx = 3x + 3x
    assert x.grad.tolist() == [6.0, 12.0]


def test_unpack_hook_returning_no_tensor_is_a_type_error():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    with fg.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: 1):
        y = x * x
    with pytest.raises(TypeError, match="Output of saved tensor unpack_hook expected to be a Tensor but got result of type int"):
        y.sum().backward()


def test_saved_tensor_hooks_registered_on_one_raw_saved_tensor():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x.pow(2)
    raw = y.grad_fn._raw_saved_self
    raw.register_hooks(lambda t: t * 3, lambda t: t)
    with pytest.raises(RuntimeError, match="saved tensor whose hooks have already been set"):
        raw.register_hooks(lambda t: t, lambda t: t)
    y.sum().backward()
    assert x.grad.tolist() == [6.0, 12.0]  # 2 * (3x)
    with pytest.raises(RuntimeError, match="Calling register_hooks on a saved tensor after it has been freed"):
        raw.register_hooks(lambda t: t, lambda t: t)


# ---- grad mode and anomaly mode ------------------------------------------------------


def test_set_grad_enabled_needs_its_mode():
    with pytest.raises(TypeError, match=r"set_grad_enabled.__init__\(\) missing 1 required positional argument: 'mode'"):
        fg.set_grad_enabled()
    assert fg.is_grad_enabled()
    with pytest.raises(TypeError, match=r"argument 'enabled' \(position 1\) must be bool, not int"):
        fg.set_grad_enabled(1)
    assert fg.is_grad_enabled()


def test_set_detect_anomaly_checks_its_arguments_before_changing_anything():
    for args, what in [(("on",), "'enabled' (position 1) must be bool, not str"),
                       ((True, 1), "'check_nan' (position 2) must be bool, not int")]:
        with pytest.raises(TypeError) as info:
            fg.autograd.set_detect_anomaly(*args)
        assert str(info.value) == f"set_anomaly_enabled(): argument {what}"
        assert not fg.is_anomaly_enabled()
        assert fg.is_anomaly_check_nan_enabled()


def test_set_detect_anomaly_as_a_function_and_as_a_context_manager():
    fg.autograd.set_detect_anomaly(True, check_nan=False)
    try:
        assert fg.is_anomaly_enabled() and not fg.is_anomaly_check_nan_enabled()
        with fg.autograd.set_detect_anomaly(False):
            assert not fg.is_anomaly_enabled() and fg.is_anomaly_check_nan_enabled()
        assert fg.is_anomaly_enabled() and not fg.is_anomaly_check_nan_enabled()
    finally:
        fg.autograd.set_detect_anomaly(False)
    assert not fg.is_anomaly_enabled() and fg.is_anomaly_check_nan_enabled()


def test_detect_anomaly_checks_check_nan_when_entered_and_is_no_decorator():
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        mode = fg.autograd.detect_anomaly(check_nan=1)
    with pytest.raises(TypeError, match=r"argument 'check_nan' \(position 2\) must be bool, not int"), mode:
        pass
    assert not fg.is_anomaly_enabled()
    with pytest.warns(UserWarning):
        mode = fg.autograd.detect_anomaly(check_nan=False)
    with mode:
        assert fg.is_anomaly_enabled() and not fg.is_anomaly_check_nan_enabled()
    assert not fg.is_anomaly_enabled() and fg.is_anomaly_check_nan_enabled()
    with pytest.raises(TypeError, match="'detect_anomaly' object is not callable"):
        mode(lambda: None)


# ---- the abstract Node ---------------------------------------------------------------


def test_node_is_abstract_with_pytorchs_abstract_methods():
    node = fg.autograd.graph.Node
    assert sorted(node.__abstractmethods__) == [
        "_input_metadata", "_register_hook_dict", "_sequence_nr", "metadata", "name",
        "next_functions", "register_hook", "register_prehook",
    ]

    class Incomplete(node):
        pass

    with pytest.raises(TypeError, match="Can't instantiate abstract class Incomplete"):
        Incomplete()


def test_every_grad_fn_and_accumulator_is_a_node_but_tensors_are_not():
    node = fg.autograd.graph.Node
    x = fg.ones(2, requires_grad=True)
    y = x * 2
    assert isinstance(y.grad_fn, node)
    assert isinstance(y.grad_fn.next_functions[0][0], node)
    assert isinstance(_Square.apply(x).grad_fn, node)
    assert not isinstance(x, node) and not issubclass(int, node)


# ---- hooks, retain_grad and gradient accumulation ---------------------------------


def test_hook_handle_as_a_context_manager_removes_the_hook():
    x = fg.ones(2, requires_grad=True)
    y = x * 2
    with y.register_hook(lambda g: g * 100):
        pass
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_tensor_hooks_before_and_after_retain_grad_in_order():
    x = fg.ones(2, requires_grad=True)
    y = x * 2
    seen = []
    y.register_hook(lambda g: seen.append(("first", g.tolist())) or g * 2)
    y.retain_grad()
    y.register_hook(lambda g: seen.append(("second", g.tolist())) or g * 3)
    y.sum().backward()
    # retain_grad sees the gradient after every tensor hook, wherever it was added
    assert seen == [("first", [1.0, 1.0]), ("second", [2.0, 2.0])]
    assert y.grad.tolist() == [6.0, 6.0]
    assert x.grad.tolist() == [12.0, 12.0]


def test_retain_grad_follows_a_direct_in_place_op():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.mul_(3)
    y.sum().backward()
    assert y.grad.tolist() == [1.0, 1.0]
    assert x.grad.tolist() == [6.0, 6.0]


def test_accumulator_hooks_and_prehook_replacing_the_gradient():
    x = fg.ones(2, requires_grad=True)
    x.register_hook(lambda g: g * 2)
    accumulator = (x * 1).grad_fn.next_functions[0][0]
    assert accumulator.name() == "torch::autograd::AccumulateGrad"
    accumulator.register_prehook(lambda grads: (grads[0] * 10,))
    (x * 3).sum().backward()
    assert x.grad.tolist() == [60.0, 60.0]


def test_post_accumulate_grad_hook_sees_each_accumulated_grad():
    x = fg.ones(2, requires_grad=True)
    seen = []
    x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.tolist()))
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert seen == [[3.0, 3.0], [6.0, 6.0]]
    fg.autograd.grad((x * 3).sum(), x)  # autograd.grad accumulates nothing
    assert len(seen) == 2
    with pytest.raises(RuntimeError, match="post accumulate grad hooks cannot be registered on non-leaf tensors"):
        (x * 1).register_post_accumulate_grad_hook(lambda t: None)


def test_backward_takes_the_incoming_gradient_then_accumulates_in_place():
    x = fg.ones(2, requires_grad=True)
    g0 = fg.tensor([7.0, 7.0])
    (x * 1).backward(g0)
    first = x.grad
    assert first.tolist() == [7.0, 7.0]
    (x * 1).backward(fg.ones(2))
    assert x.grad is first
    assert x.grad.tolist() == [8.0, 8.0]


def test_grad_of_an_unreachable_input():
    x = fg.ones(2, requires_grad=True)
    a = x * 2
    b = a * 3
    with pytest.raises(RuntimeError, match="The differentiated Tensor at index 1 appears to not have been used"):
        fg.autograd.grad(a.sum(), [x, b], retain_graph=True)
    gx, gb = fg.autograd.grad(a.sum(), [x, b], allow_unused=True)
    assert gx.tolist() == [2.0, 2.0] and gb is None
    gx, gb = fg.autograd.grad((x * 2).sum(), [x, b], materialize_grads=True)
    assert gx.tolist() == [2.0, 2.0] and gb.tolist() == [0.0, 0.0]


def test_grad_with_batched_grad_outputs():
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    (jac,) = fg.autograd.grad(y, x, fg.eye(2), is_grads_batched=True)
    np.testing.assert_allclose(jac.numpy(), np.diag([2.0, 4.0]))


def test_gradient_edge_as_an_input_of_grad():
    x = fg.ones(2, requires_grad=True)
    y = x * 2
    edge = fg.autograd.graph.get_gradient_edge(y)
    assert (edge.node.name(), edge.output_nr) == ("MulBackward0", 0)
    (g,) = fg.autograd.grad((y * 3).sum(), edge)
    assert g.tolist() == [3.0, 3.0]
    (g,) = fg.autograd.grad((x * 5).sum(), fg.autograd.graph.get_gradient_edge(x))
    assert g.tolist() == [5.0, 5.0]
    with pytest.raises(RuntimeError, match="It is not possible to get the gradient edge for a Tensor that does not require gradients"):
        fg.autograd.graph.get_gradient_edge(fg.ones(2))


def test_multi_grad_hook_modes():
    a = fg.ones(2, requires_grad=True)
    b = fg.ones(2, requires_grad=True)
    seen = []
    handle = fg.autograd.graph.register_multi_grad_hook((a, b), lambda grads: seen.append([g is None for g in grads]))
    (a * 2).sum().backward()
    handle.remove()
    (a * 2).sum().backward()
    assert seen == [[False, True]]
    firsts = []
    fg.autograd.graph.register_multi_grad_hook((a, b), lambda g: firsts.append(g.tolist()), mode="any")
    (a * 2 + b * 3).sum().backward()
    assert len(firsts) == 1 and firsts[0] in ([2.0, 2.0], [3.0, 3.0])
    with pytest.raises(ValueError, match="Expects mode to be one of"):
        fg.autograd.graph.register_multi_grad_hook((a,), lambda g: None, mode="some")


# ---- views and in-place ---------------------------------------------------------


def test_in_place_on_views_of_views_reaches_the_base():
    a = fg.ones(2, 3, requires_grad=True)
    b = a.clone()
    b.narrow(1, 1, 2).select(0, 1).mul_(5)
    b.sum().backward()
    assert a.grad.tolist() == [[1.0, 1.0, 1.0], [1.0, 5.0, 5.0]]
    assert b.grad_fn.name() == "torch::autograd::CopySlices"


def test_in_place_on_a_view_makes_a_plain_base_require_grad():
    a = fg.ones(2, 2)
    w = fg.tensor([2.0, 3.0], requires_grad=True)
    v = a[0]
    v.mul_(w)
    assert a.requires_grad and a.grad_fn.name() == "torch::autograd::CopySlices"
    assert v.grad_fn.name() == "AsStridedBackward0" and v._base is a
    a.sum().backward()
    assert w.grad.tolist() == [1.0, 1.0]


def test_copy_into_a_plain_tensor_of_another_dtype_carries_the_gradient():
    a = fg.ones(3, dtype=fg.float64)
    src = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    a.copy_(src)
    assert a.grad_fn.name() == "torch::autograd::CopyBackwards"
    (a * 2).sum().backward()
    assert src.grad.dtype == fg.float32 and src.grad.tolist() == [2.0, 2.0, 2.0]


# ---- custom Functions ---------------------------------------------------------------


class _Square(fg.autograd.Function):
    @staticmethod
    def forward(x):
        return x * x

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g


def test_function_with_setup_context_under_backward_and_func_grad():
    x = fg.tensor([1.0, 3.0], requires_grad=True)
    y = _Square.apply(x)
    assert y.grad_fn.name() == "_SquareBackward"
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 6.0]
    g = fg.func.grad(lambda t: _Square.apply(t).sum())(fg.tensor([1.0, 3.0]))
    assert g.tolist() == [2.0, 6.0]


def test_function_returning_non_tensors_among_its_outputs():
    class Mixed(fg.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2, 5, None

        @staticmethod
        def backward(ctx, g, g_int, g_none):
            return g * 2

    a = fg.ones(2, requires_grad=True)
    y, n, m = Mixed.apply(a)
    y.sum().backward()
    assert (n, m) == (5, None)
    assert a.grad.tolist() == [2.0, 2.0]


# ---- arguments kept on nodes ----------------------------------------------------


def test_constant_pad_node_keeps_its_pad_list():
    a = fg.ones(2, 2, requires_grad=True)
    out = fg.nn.functional.pad(a, (1, -1, 2, 0), value=3.0)
    assert out.grad_fn.name() == "ConstantPadNdBackward0"
    # a negative pad shows as its unsigned 64-bit pattern, as PyTorch's node shows it
    assert out.grad_fn._saved_pad == (1, 2**64 - 1, 2, 0)
    assert fg.constant_pad_nd(a, [1, 1]).grad_fn._saved_pad == (1, 1)
    assert fg.nn.ConstantPad2d(1, 2.0)(a).grad_fn._saved_pad == (1, 1, 1, 1)


# ---- callbacks queued on the engine ------------------------------------------------


def _queue(callback):
    fg.autograd.Variable._execution_engine.queue_callback(callback)


def test_a_queued_callback_may_queue_another_which_runs_last():
    order = []
    x = fg.ones(2, requires_grad=True)

    def hook(g):
        def first():
            order.append("first")
            _queue(lambda: order.append("queued by first"))

        _queue(first)
        _queue(lambda: order.append("second"))
        return g

    y = x * 2
    y.register_hook(hook)
    y.sum().backward()
    assert order == ["first", "second", "queued by first"]
    with pytest.raises(RuntimeError, match="Final callbacks can only be installed during backward pass"):
        _queue(lambda: None)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_queued_callbacks_run_in_grad_mode_only_when_the_pass_creates_a_graph():
    modes = []
    x = fg.ones(2, requires_grad=True)

    def hook(g):
        _queue(lambda: modes.append(fg.is_grad_enabled()))
        return g

    for create_graph in (False, True):
        y = x * 2
        y.register_hook(hook)
        fg.autograd.grad(y.sum(), x, create_graph=create_graph)
        y = x * 2
        y.register_hook(hook)
        total = y.sum()
        with fg.no_grad():
            fg.autograd.backward(total, create_graph=create_graph)
    assert modes == [False, False, True, True]


def test_a_failing_callback_drops_the_rest_of_the_queue():
    order = []
    x = fg.ones(2, requires_grad=True)

    def boom():
        raise ValueError("boom")

    def hook(g):
        _queue(boom)
        _queue(lambda: order.append("after"))
        return g

    y = x * 2
    y.register_hook(hook)
    with pytest.raises(ValueError, match="boom"):
        y.sum().backward()
    (x * 2).sum().backward()
    assert order == []
    assert x.grad.tolist() == [4.0, 4.0]
