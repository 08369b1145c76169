"""Scenarios taken from PyTorch's autograd test-suite (test_autograd.py, the
autograd.functional tests, checkpoint and gradcheck tests), run as our own probes:
custom Functions, hooks, saved tensors, grad modes, in-place checks, gradcheck's
failure reports, reentrant checkpoints. The expected values, types and messages are
what PyTorch 2.13 does.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import importlib
import re
import warnings

import pytest
from backend import MOD, fg

Function = fg.autograd.Function
once_differentiable = fg.autograd.function.once_differentiable


def _graph(fn):
    """`Name(child, child, ...)` for a node and what it leads to (None for no edge)."""
    if fn is None:
        return "None"
    return type(fn).__name__ + "(" + ", ".join(_graph(n) for n, _ in fn.next_functions) + ")"


class _Doubler(Function):
    """y = 2x with an honest backward."""

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2


class _Liar(Function):
    """y = 2x whose backward claims 3."""

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 3


def _gradcheck_error():
    return importlib.import_module(MOD + ".autograd.gradcheck").GradcheckError


def _double(*values):
    return fg.tensor(list(values), dtype=fg.float64, requires_grad=True)


# --- custom Functions ---------------------------------------------------------------------


def test_saved_tensors_keep_leading_and_trailing_nones_in_place():
    seen = []

    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(None, x, None)
            return x * x

        @staticmethod
        def backward(ctx, g):
            first, x, last = ctx.saved_tensors
            seen.append((first, last))
            return 2 * x * g

    x = fg.tensor([3.0, -1.0], requires_grad=True)
    y = Square.apply(x)
    saved = y.grad_fn.saved_tensors
    assert saved[0] is None and saved[2] is None and saved[1].tolist() == [3.0, -1.0]
    y.sum().backward()
    assert seen == [(None, None)]
    assert x.grad.tolist() == [6.0, -2.0]


def test_saved_tensors_with_a_none_between_two_tensors():
    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, None, b)
            return a * b

        @staticmethod
        def backward(ctx, g):
            a, nothing, b = ctx.saved_tensors
            assert nothing is None
            return g * b, g * a

    a = fg.tensor([2.0], requires_grad=True)
    b = fg.tensor([5.0], requires_grad=True)
    Mul.apply(a, b).backward()
    assert (a.grad.item(), b.grad.item()) == (5.0, 2.0)


def test_function_modifying_a_view_in_place_may_return_only_one_tensor():
    class DoubleInPlace(Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x, x

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 2

    leaf = fg.ones(2, 2, dtype=fg.float64, requires_grad=True)
    a, b = DoubleInPlace.apply(leaf.clone())  # not a view: allowed, one tensor twice
    assert a is b and type(a.grad_fn).__name__ == "DoubleInPlaceBackward"
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad has been used in an in-place"):
        DoubleInPlace.apply(leaf)
    with pytest.raises(RuntimeError, match="cannot return more than one Tensor"):
        DoubleInPlace.apply(leaf.clone()[0])


def test_mark_dirty_of_a_tensor_that_is_no_input_warns():
    class Marks(Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            ctx.mark_dirty(y)
            return y

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.warns(UserWarning, match=r"ctx.mark_dirty\(\) received a tensor that was not an input"):
        y = Marks.apply(fg.ones(2, requires_grad=True))
    assert y.grad_fn.name() == "MarksBackward"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Marks.apply(fg.ones(2))  # nothing recorded: no warning


def test_function_returning_its_input_gets_a_new_node():
    class Same(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    for shape in [(1,), ()]:
        v = fg.ones(shape, requires_grad=True)
        out = Same.apply(v)
        assert out is not v and out.grad_fn.name() == "SameBackward"
        out.backward()
        assert v.grad.tolist() == fg.full(shape, 2.0).tolist()


def test_backward_returning_none_leaves_the_input_without_grad():
    class Drops(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return None

    x = fg.ones(1, requires_grad=True)
    Drops.apply(x).backward()
    assert x.grad is None
    Drops.apply(x ** 2).backward()
    assert x.grad is None
    assert fg.autograd.grad(Drops.apply(x), x, allow_unused=True) == (None,)


def test_backward_errors_of_custom_functions():
    class WrongShape(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return fg.ones(10)

    class TooFew(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return (g,)

    class NotATensor(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return 3

    x = fg.ones(5, 5, requires_grad=True)
    with pytest.raises(RuntimeError, match=re.escape(
            "Function WrongShapeBackward returned an invalid gradient at index 0 - got [10] but "
            "expected shape compatible with [5, 5]")):
        WrongShape.apply(x).sum().backward()
    with pytest.raises(RuntimeError, match=re.escape(
            "function TooFewBackward returned an incorrect number of gradients (expected 2, got 1)")):
        TooFew.apply(x, x).sum().backward()
    with pytest.raises(RuntimeError, match=re.escape("expected Variable or None (got int)")):
        NotATensor.apply(x).sum().backward()


def test_backward_may_return_extra_nones():
    class Extra(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g, None, None

    x = fg.ones(2, requires_grad=True)
    Extra.apply(x).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_mark_non_differentiable_outputs_get_zero_gradients():
    seen = []

    class Split(Function):
        @staticmethod
        def forward(ctx, i):
            a, b = i + 1, i + 2
            ctx.mark_non_differentiable(a)
            return a, b

        @staticmethod
        def backward(ctx, ga, gb):
            seen.append((ga.tolist(), gb.tolist()))
            return gb

    x = fg.ones(2, requires_grad=True)
    a, b = Split.apply(x)
    assert (a.requires_grad, a.grad_fn, b.requires_grad) == (False, None, True)
    b.sum().backward()
    assert seen == [([0.0, 0.0], [1.0, 1.0])]
    assert x.grad.tolist() == [1.0, 1.0]


def test_set_materialize_grads_false_passes_none_for_unused_outputs():
    seen = []

    class Pair(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x.clone(), x.clone()

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append(g2)
            return g1

    x = fg.ones(2, requires_grad=True)
    first, _ = Pair.apply(x)
    first.sum().backward()
    assert seen == [None] and x.grad.tolist() == [1.0, 1.0]


def test_once_differentiable_result_refuses_a_second_derivative():
    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            assert not fg.is_grad_enabled()
            x, = ctx.saved_tensors
            return 3 * x * x * g

    x = fg.tensor([2.0], requires_grad=True)
    g, = fg.autograd.grad(Cube.apply(x), x, create_graph=True)
    assert g.tolist() == [12.0] and g.grad_fn is None  # the incoming gradient records nothing
    g, = fg.autograd.grad(Cube.apply(x), x, fg.ones(1, requires_grad=True), create_graph=True)
    assert (g.grad_fn.name(), _graph(g.grad_fn)) == ("torch::autograd::Error", "Error(AccumulateGrad())")
    with pytest.raises(RuntimeError, match="trying to differentiate twice a function that was marked with "
                                           "@once_differentiable"):
        g.backward()


# --- tensor attributes --------------------------------------------------------------------


def test_deleting_autograd_attributes_is_refused():
    x = fg.randn(2, requires_grad=True)
    del x.grad
    assert x.grad is None
    with pytest.raises(RuntimeError, match="Deletion of _grad_fn not allowed. Detach tensor instead!"):
        del x._grad_fn
    with pytest.raises(RuntimeError, match="Deletion of _backwards_hooks not allowed!"):
        del x._backward_hooks
    with pytest.raises(TypeError, match="Variable data has to be a tensor, but got NoneType"):
        x.data = None


def test_backward_hooks_dict_lists_hooks_and_may_be_reassigned():
    x = fg.ones(2, requires_grad=True)
    assert x._backward_hooks is None
    handle = x.register_hook(lambda g: g)
    assert list(x._backward_hooks) == [handle.id]
    handle.remove()
    assert len(x._backward_hooks) == 0
    x._backward_hooks = None
    assert x._backward_hooks is None


def test_numpy_of_a_tensor_that_requires_grad_is_allowed_without_grad_mode():
    x = fg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=re.escape("Can't call numpy() on Tensor that requires grad.")):
        x.numpy()
    with fg.no_grad():
        shared = x.numpy()
    shared[0] = 5.0  # the same memory
    assert x.tolist() == [5.0, 1.0]
    with fg.inference_mode():
        assert x.numpy().tolist() == [5.0, 1.0]


def test_in_place_on_a_view_of_a_leaf_that_started_requiring_grad_later():
    a = fg.randn(2, 3, dtype=fg.complex64)
    view = a[:]
    a.requires_grad = True
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad is being used in an in-place"):
        a.conj_physical_()
    with pytest.raises(RuntimeError, match="^a view of a leaf Variable that requires grad is being used"):
        view.conj_physical_()


# --- graph nodes --------------------------------------------------------------------------


def test_copy_backwards_is_named_by_its_cpp_class():
    a = fg.ones(2, requires_grad=True)
    c = fg.zeros(2)
    c.copy_(a)
    assert (c.grad_fn.name(), type(c.grad_fn).__name__) == ("torch::autograd::CopyBackwards", "CopyBackwards")
    d = fg.zeros(2, 2)
    d[0] = a
    assert (d.grad_fn.name(), type(d.grad_fn).__name__) == ("torch::autograd::CopySlices", "CopySlices")
    x = fg.ones(2, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference-cycle warning comes once per process
        (x ** 2).sum().backward(create_graph=True)
    assert x.grad.grad_fn.name() == "torch::autograd::CopyBackwards"
    x.grad = None  # the graph in .grad holds x: break the cycle


def test_custom_function_gradient_graph_under_create_graph():
    class Combine(Function):
        @staticmethod
        def forward(ctx, t1, scalar, t2):
            ctx.scalar = scalar
            ctx.save_for_backward(t1, t2)
            return t1 + scalar * t2 + t1 * t2

        @staticmethod
        def backward(ctx, g):
            t1, t2 = ctx.saved_tensors
            return g + g * t2, None, g * ctx.scalar + g * t1

    x = fg.ones(2, 2, requires_grad=True)
    y = fg.full((2, 2), 3.0, requires_grad=True)
    Combine.apply(x, 2, y).sum().backward(fg.ones((), requires_grad=True), create_graph=True)
    assert x.grad.tolist() == [[4.0, 4.0], [4.0, 4.0]]
    assert y.grad.tolist() == [[3.0, 3.0], [3.0, 3.0]]
    assert _graph(x.grad.grad_fn).startswith("CopyBackwards(None, AddBackward0(")
    x.grad = y.grad = None  # the graphs in .grad hold x and y: break the cycles


def test_next_functions_and_accumulators():
    x = fg.randn(2, requires_grad=True)
    y = fg.randn(2, requires_grad=True)
    a = x + y
    first, second = a.grad_fn.next_functions
    assert type(first[0]).__name__ == "AccumulateGrad" and first[1] == 0
    assert first[0].variable is x and second[0].variable is y
    assert first[0].name() == "torch::autograd::AccumulateGrad"
    b = a + 5
    assert b.grad_fn.next_functions[0][0] is a.grad_fn and b.grad_fn.next_functions[1:] == ((None, 0),)


def test_calling_a_node_checks_its_argument_count():
    x = fg.full((1,), 3.0, requires_grad=True)
    y = x ** 2
    with pytest.raises(TypeError, match="expected .* arguments, got .* instead"):
        y.grad_fn(x.detach(), x.detach())
    with pytest.raises(TypeError, match="expected .* arguments, got .* instead"):
        y.grad_fn()
    assert y.grad_fn(fg.ones(1)).tolist() == [6.0]


def test_node_hooks_and_prehooks():
    a = fg.ones(2, requires_grad=True)
    y = a * 2
    log = []
    y.grad_fn.register_hook(lambda gi, go: log.append(("hook", gi[0].tolist(), go[0].tolist())))
    y.grad_fn.register_prehook(lambda go: (log.append(("pre", go[0].tolist())), (go[0] * 10,))[1])
    y.sum().backward()
    assert log == [("pre", [1.0, 1.0]), ("hook", [20.0, 20.0], [10.0, 10.0])]
    assert a.grad.tolist() == [20.0, 20.0]


def test_tensor_hooks_before_and_after_an_in_place_op():
    a = fg.tensor(1.0, requires_grad=True)
    b = a.clone()
    log = []
    b.register_hook(lambda g: (log.append(("before", g.item())), g * 3)[1])
    b.mul_(2)
    b.register_hook(lambda g: (log.append(("after", g.item())), g * 5)[1])
    b.backward()
    assert log == [("after", 1.0), ("before", 10.0)]
    assert a.grad.item() == 30.0


def test_tensor_hook_counting_and_removal():
    x = fg.ones(2, requires_grad=True)
    y = (fg.ones(2) * 4).requires_grad_(True)
    counter = [0]

    def bump(inc):
        def hook(grad):
            counter[0] += inc
        return hook

    z = x ** 2 + x * 2 + x * y + y
    x.register_hook(bump(0))
    first = z.register_hook(bump(1))
    z.backward(fg.ones(2), retain_graph=True)
    assert counter[0] == 1
    second = z.register_hook(bump(2))
    z.backward(fg.ones(2), retain_graph=True)
    assert counter[0] == 4
    second.remove()
    z.backward(fg.ones(2), retain_graph=True)
    assert counter[0] == 5
    first.remove()
    z.register_hook(lambda g: g.mul(2))
    y.grad = None
    z.backward(fg.ones(2))
    assert y.grad.tolist() == [4.0, 4.0]


def test_retain_grad_twice_accumulates_and_is_a_no_op_on_leaves():
    inp = fg.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    h = inp * 3
    out = (h * h).sum()
    h.retain_grad()
    h.retain_grad()
    out.backward(retain_graph=True)
    assert h.grad.tolist() == [[6.0, 12.0, 18.0]]
    out.backward(retain_graph=True)
    assert h.grad.tolist() == [[12.0, 24.0, 36.0]]
    inp.grad = None
    inp.retain_grad()
    out.backward()
    assert inp.grad.tolist() == [[18.0, 36.0, 54.0]]
    assert (h.retains_grad, inp.retains_grad, out.retains_grad) == (True, False, False)


# --- backward / grad entry points --------------------------------------------------------


def test_complex_grad_output_for_a_real_output_is_refused():
    a = fg.ones(2, requires_grad=True)
    message = ("For complex Tensors, both grad_output and output are required to have the same dtype. "
               f"Mismatch in dtype: grad_output[0] has a dtype of {MOD}.complex64 and output[0] has a dtype "
               f"of {MOD}.float32.")
    with pytest.raises(RuntimeError, match=re.escape(message)):
        fg.autograd.grad(a * 2, a, fg.ones(2, dtype=fg.complex64))
    with pytest.raises(RuntimeError, match="For complex Tensors, both grad_output and output"):
        (a * 2).backward(fg.ones(2, dtype=fg.complex64))
    b = fg.ones(2, dtype=fg.complex64, requires_grad=True)
    with pytest.raises(RuntimeError, match=re.escape("grad_output[0] has a dtype of " + MOD + ".float32")):
        fg.autograd.grad(b * 2, b, fg.ones(2))
    # a different real dtype is fine
    assert fg.autograd.grad(a * 2, a, fg.ones(2, dtype=fg.float64))[0].dtype == fg.float32


def test_grad_only_inputs_false_warns_future_warning():
    a = fg.ones(2, requires_grad=True)
    with pytest.warns(FutureWarning, match="only_inputs argument is deprecated and is ignored now"):
        g, = fg.autograd.grad((a * 2).sum(), a, only_inputs=False)
    assert g.tolist() == [2.0, 2.0]


def test_backward_inputs_that_do_not_require_grad_are_refused():
    a = fg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="can't retain_grad on Tensor that has requires_grad=False"):
        (a * 2).sum().backward(inputs=[fg.ones(2)])
    with pytest.raises(RuntimeError, match="can't retain_grad on Tensor that has requires_grad=False"):
        fg.autograd.backward([(a * 2).sum()], inputs=[fg.ones(2)])
    with pytest.raises(RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be empty."):
        (a * 2).sum().backward(inputs=[])
    (a * 2).sum().backward(inputs=a)
    assert a.grad.tolist() == [2.0, 2.0]
    with pytest.raises(RuntimeError, match="One of the differentiated Tensors does not require grad"):
        fg.autograd.grad((a * 2).sum(), [fg.ones(2)])


def test_grad_with_unused_inputs():
    x = fg.ones(1, requires_grad=True)
    y = fg.ones(1, requires_grad=True)
    gx, gy = fg.autograd.grad(x * 2, [x, y], allow_unused=True)
    assert gx.tolist() == [2.0] and gy is None
    with pytest.raises(RuntimeError, match="Set allow_unused=True if this is the desired behavior"):
        fg.autograd.grad(x * 2, [x, y])
    gx, gy = fg.autograd.grad(x * 2, [x, y], materialize_grads=True)
    assert gy.tolist() == [0.0]


def test_second_backward_through_freed_graph():
    b = fg.randn(3, requires_grad=True)
    c = b * b
    c.sum().backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        c.sum().backward()
    d = b + 1  # no saved tensors: a second pass works
    d.sum().backward()
    d.sum().backward()


def test_saved_tensor_modified_in_place_is_reported():
    x = fg.ones(2, requires_grad=True)
    y = (fg.ones(2) * 4).requires_grad_()
    z = x * y
    q, w = z + y, z * y
    z.add_(2)
    q.backward(fg.ones(2), retain_graph=True)  # AddBackward0 saved nothing
    with pytest.raises(RuntimeError, match=re.escape(
            "one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: [{MOD}.FloatTensor [2]], which is output 0 of AddBackward0, is at version 1; "
            "expected version 0 instead.").replace("AddBackward0", "Add")):
        w.backward(fg.ones(2))


def test_queue_callback_runs_after_the_pass():
    log = []

    class Records(Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, g):
            fg.autograd.Variable._execution_engine.queue_callback(lambda: log.append("callback"))
            log.append("backward")
            return g

    Records.apply(fg.ones(2, requires_grad=True)).sum().backward()
    assert log == ["backward", "callback"]
    with pytest.raises(RuntimeError, match="Final callbacks can only be installed during backward pass."):
        fg.autograd.Variable._execution_engine.queue_callback(lambda: None)


# --- anomaly detection ---------------------------------------------------------------------


def test_nan_from_a_node_recorded_before_anomaly_mode_warns_without_forward_info():
    class MakesNan(Function):
        @staticmethod
        def forward(ctx, x):
            return x.sum(0, keepdim=True)

        @staticmethod
        def backward(ctx, g):
            out = g.expand(3).clone()
            out[0] = float("nan")
            return out

    out = MakesNan.apply(fg.rand(3, requires_grad=True))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(RuntimeError, match="Function 'MakesNanBackward' returned nan values in its 0th output."), \
                fg.autograd.detect_anomaly():
            out.backward()
    messages = [str(w.message) for w in caught]
    assert any(m.startswith("Error detected in MakesNanBackward. No forward pass information available.")
               for m in messages)


# --- gradcheck ----------------------------------------------------------------------------


def test_gradcheck_reports_nondeterministic_backward():
    class Jitter(Function):
        @staticmethod
        def forward(ctx, x, jitter):
            ctx.jitter = jitter
            return x.clone()

        @staticmethod
        def backward(ctx, g):
            return g * (1 + fg.rand_like(g) * ctx.jitter), None

    x = fg.randn(3, 3, dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: Jitter.apply(t, 0.0), x)
    with pytest.raises(RuntimeError, match="Backward is not reentrant"):
        fg.autograd.gradcheck(lambda t: Jitter.apply(t, 1e-6), x)
    with pytest.raises(RuntimeError, match="The tolerance for nondeterminism was 0.0."):
        fg.autograd.gradcheck(lambda t: Jitter.apply(t, 1e-6), x)
    assert fg.autograd.gradcheck(lambda t: Jitter.apply(t, 1e-6), x, nondet_tol=1e-5)
    assert not fg.autograd.gradcheck(lambda t: Jitter.apply(t, 1e-6), x, raise_exception=False)


def test_gradcheck_requires_backward_to_scale_with_grad_output():
    class AddsNoise(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2 + 1e-3  # the same every time, but not zero for a zero g

    x = _double(1.0, 2.0)
    with pytest.raises(_gradcheck_error(), match="^backward not multiplied by grad_output$"):
        fg.autograd.gradcheck(AddsNoise.apply, x, atol=1e-2)
    assert fg.autograd.gradcheck(_Doubler.apply, x)


def test_gradcheck_mismatch_message_for_real_tensors():
    with pytest.raises(_gradcheck_error()) as info:
        fg.autograd.gradcheck(_Liar.apply, _double(1.0, 2.0))
    assert str(info.value) == (
        "Jacobian mismatch for output 0 with respect to input 0,\n"
        f"numerical:tensor([[2.0000, 0.0000],\n        [0.0000, 2.0000]], dtype={MOD}.float64)\n"
        f"analytical:tensor([[3., 0.],\n        [0., 3.]], dtype={MOD}.float64)\n")


class _ConjBackward(Function):
    """y = x * x whose backward forgets the conjugate."""

    @staticmethod
    def forward(ctx, x):
        return x * x

    @staticmethod
    def backward(ctx, g):
        return g * 2


def test_gradcheck_complex_output_imaginary_part_is_checked_first():
    x = fg.tensor([1 + 2j, 0.5 - 1j], dtype=fg.complex128, requires_grad=True)
    with pytest.raises(_gradcheck_error()) as info:
        fg.autograd.gradcheck(_ConjBackward.apply, x)
    assert str(info.value) == (
        "While considering the imaginary part of complex outputs only, Jacobian mismatch for output 0 "
        "with respect to input 0,\n"
        "numerical:tensor([[ 4.0000+2.0000j,  0.0000+0.0000j],\n"
        f"        [ 0.0000+0.0000j, -2.0000+1.0000j]], dtype={MOD}.complex128)\n"
        "analytical:tensor([[0.+2.j, 0.+0.j],\n"
        f"        [0.+0.j, 0.+2.j]], dtype={MOD}.complex128)\n")


def test_gradcheck_complex_real_part_and_real_input_blocks():
    class ConjBack(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g.conj() * 2

    x = fg.tensor([1 + 2j], dtype=fg.complex128, requires_grad=True)
    with pytest.raises(_gradcheck_error()) as info:
        fg.autograd.gradcheck(lambda t: ConjBack.apply(t) * 1j, x)
    assert str(info.value) == (
        "While considering the real part of complex outputs only, Jacobian mismatch for output 0 with "
        "respect to input 0,\n"
        f"numerical:tensor([[0.-2.0000j]], dtype={MOD}.complex128)\n"
        f"analytical:tensor([[0.+2.j]], dtype={MOD}.complex128)\n")
    # a real input's block stays real, and a real output has no prefix
    y = _double(3.0, 1.0)
    with pytest.raises(_gradcheck_error()) as info:
        fg.autograd.gradcheck(lambda c, r: (c * r).abs() + _ConjBackward.apply(r),
                              (fg.tensor([1 + 2j], dtype=fg.complex128, requires_grad=True), y))
    assert str(info.value).startswith("Jacobian mismatch for output 0 with respect to input 1,\n")
    assert f"dtype={MOD}.float64" in str(info.value)
    assert fg.autograd.gradcheck(lambda t: (t * t.conj()).real, fg.tensor([1 + 2j], dtype=fg.complex128,
                                                                          requires_grad=True))


def test_gradgradcheck_passes_nondet_tol_on():
    class Jitter2(Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, g):
            return Jitter2.apply(g) * (1 + fg.rand_like(g) * 1e-12)

    x = fg.randn(2, 2, dtype=fg.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="Backward is not reentrant"):
        fg.autograd.gradgradcheck(Jitter2.apply, x)
    assert fg.autograd.gradgradcheck(Jitter2.apply, x, nondet_tol=1e-5)


# --- checkpoint ---------------------------------------------------------------------------


def test_reentrant_checkpoint_refuses_grad_and_backward_with_inputs():
    checkpoint = importlib.import_module(MOD + ".utils.checkpoint").checkpoint
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    y = checkpoint(lambda a: a * a, x, use_reentrant=True)
    with pytest.raises(RuntimeError, match="When use_reentrant=True, .* is incompatible with .grad\\(\\) or "
                                           "passing an `inputs` parameter to .backward\\(\\)."):
        fg.autograd.grad(y.sum(), x)
    y = checkpoint(lambda a: a * a, x, use_reentrant=True)
    with pytest.raises(RuntimeError, match="incompatible with .grad"):
        y.sum().backward(inputs=[x])
    y = checkpoint(lambda a: a * a, x, use_reentrant=True)
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]
    x.grad = None
    y = checkpoint(lambda a: a * a, x, use_reentrant=False)
    assert fg.autograd.grad(y.sum(), x)[0].tolist() == [2.0, 4.0]
    assert fg.autograd._is_checkpoint_valid()


# --- autograd.functional ------------------------------------------------------------------


def test_functional_jacobian_hessian_and_products():
    AF = fg.autograd.functional
    x = fg.tensor([1.0, 2.0])
    y = fg.tensor([0.5, -1.0])
    assert AF.jacobian(lambda a: a ** 2 * 3, x).tolist() == [[6.0, 0.0], [0.0, 12.0]]
    ja, jb = AF.jacobian(lambda a, b: a * b, (x, y))
    assert ja.tolist() == [[0.5, 0.0], [0.0, -1.0]] and jb.tolist() == [[1.0, 0.0], [0.0, 2.0]]
    assert AF.hessian(lambda a: (a ** 3).sum(), x).tolist() == [[6.0, 0.0], [0.0, 12.0]]
    out, vjp = AF.vjp(lambda a: a ** 2, x, fg.ones(2))
    assert (out.tolist(), vjp.tolist()) == ([1.0, 4.0], [2.0, 4.0])
    out, hvp = AF.hvp(lambda a: (a ** 3).sum(), x, fg.ones(2))
    assert (out.item(), hvp.tolist()) == (9.0, [6.0, 12.0])
    with pytest.raises(RuntimeError, match="Output 0 of the user-provided function does not require gradients. "
                                           "The outputs must be computed in a differentiable manner"):
        AF.jacobian(lambda a: fg.ones(2), x, strict=True)
    with pytest.raises(RuntimeError, match="Output 0 of the user-provided function is independent of input 1. "
                                           "This is not allowed in strict mode."):
        AF.jacobian(lambda a, b: a * 2, (x, y), strict=True)
    assert AF.jacobian(lambda a: fg.ones(2), x).tolist() == [[0.0, 0.0], [0.0, 0.0]]


# --- grad modes ----------------------------------------------------------------------------


def test_cloning_set_grad_enabled_sets_the_mode_like_a_new_call():
    assert fg.is_grad_enabled()
    ctx = fg.set_grad_enabled(False)
    fg.set_grad_enabled(True)
    try:
        copy = ctx.clone()
        assert copy.mode is False and not fg.is_grad_enabled()
    finally:
        fg.set_grad_enabled(True)

    @fg.set_grad_enabled(False)
    def inside():
        return fg.is_grad_enabled()

    assert inside() is False and fg.is_grad_enabled()
    with fg.set_grad_enabled(False):
        assert not fg.is_grad_enabled()
    assert fg.is_grad_enabled()


def test_grad_mode_is_per_thread_and_decorates_generators():
    import threading

    seen = []
    with fg.no_grad():
        worker = threading.Thread(target=lambda: seen.append(fg.is_grad_enabled()))
        worker.start()
        worker.join()
    assert seen == [True]

    @fg.no_grad()
    def numbers():
        got = yield fg.is_grad_enabled()
        yield got, fg.is_grad_enabled()

    with fg.enable_grad():
        it = numbers()
        assert next(it) is False and fg.is_grad_enabled()
        assert it.send(5) == (5, False)


# --- autograd.graph -----------------------------------------------------------------------


def test_every_grad_fn_is_a_node_custom_functions_included():
    Node = fg.autograd.graph.Node
    a = fg.ones(2, requires_grad=True)
    y = a * 2
    assert isinstance(y.grad_fn, Node) and issubclass(type(y.grad_fn), Node)
    assert isinstance(y.grad_fn.next_functions[0][0], Node)
    d = _Doubler.apply(a)
    assert isinstance(d.grad_fn, Node)
    assert not isinstance(None, Node) and not isinstance(a, Node)


def test_multi_grad_hook_all_mode_refuses_tensors_without_grad():
    with pytest.raises(AssertionError, match="Expected gradient function to be set"):
        fg.autograd.graph.register_multi_grad_hook((fg.ones(2),), lambda grads: None)


def test_multi_grad_hook_all_mode_on_leaves_is_refused_inside_grad():
    a = fg.ones(2, requires_grad=True)
    b = fg.ones(2, requires_grad=True)
    calls = []
    fg.autograd.graph.register_multi_grad_hook((a, b), lambda grads: calls.append(len(grads)))
    with pytest.raises(RuntimeError, match="A leaf node was passed to _will_engine_execute_node but we are "
                                           "currently running autograd.grad\\(\\)"):
        fg.autograd.grad((a * b).sum(), a)
    (a * b).sum().backward()
    assert calls == [2]


def test_multi_grad_hook_all_mode_on_intermediate_tensors():
    a = fg.ones(2, requires_grad=True)
    b, c = a * 2, a * 3
    seen = []
    fg.autograd.graph.register_multi_grad_hook((b, c), lambda grads: seen.append([g.tolist() for g in grads]))
    fg.autograd.grad((b * 5 + c).sum(), a)
    assert seen == [[[5.0, 5.0], [1.0, 1.0]]]
