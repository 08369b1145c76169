"""Custom autograd Functions (`autograd.Function`): forward/backward and setup_context
styles, the context's API, error messages, grad_fn objects, double backward.

Every expected value is math (derivatives written out by hand) or PyTorch 2.13's
behaviour, and the file passes with FG_TEST_BACKEND=torch.
"""

import math
import re

import pytest
from backend import MOD, fg

D = fg.float64
Function = fg.autograd.Function
once_differentiable = fg.autograd.function.once_differentiable


def leaf(values):
    return fg.tensor(values, dtype=D, requires_grad=True)


def close(t, values, tol=1e-12):
    got = t.detach().reshape(-1).tolist()
    assert len(got) == len(values)
    for a, b in zip(got, values):
        assert abs(a - b) <= tol * max(1.0, abs(b)), (got, values)


class Exp(Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * x**2 * g


class SinCos(Function):
    """Two outputs."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin(), x.cos()

    @staticmethod
    def backward(ctx, gs, gc):
        (x,) = ctx.saved_tensors
        return gs * x.cos() - gc * x.sin()


class Scale(Function):
    """A tensor and a number argument; the number gets no gradient."""

    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return x * k

    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None


class MulNew(Function):
    """The forward + setup_context style."""

    @staticmethod
    def forward(x, y, k=2.0):
        return x * y * k

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, y, k = inputs
        ctx.save_for_backward(x, y)
        ctx.k = k

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * y * ctx.k, g * x * ctx.k, None


X = [0.5, -1.0, 2.0]


# ---- values and gradients ----------------------------------------------------------

def test_custom_exp_forward_and_backward():
    x = leaf(X)
    y = Exp.apply(x)
    close(y, [math.exp(v) for v in X])
    y.sum().backward()
    close(x.grad, [math.exp(v) for v in X])


def test_gradcheck_on_custom_functions():
    x = leaf(X)
    assert fg.autograd.gradcheck(Exp.apply, (x,))
    assert fg.autograd.gradcheck(Cube.apply, (x,))
    assert fg.autograd.gradcheck(SinCos.apply, (x,))
    assert fg.autograd.gradcheck(lambda a: Scale.apply(a, 3.0), (x,))
    assert fg.autograd.gradcheck(MulNew.apply, (x, leaf([1.5, 0.25, -0.75])))


def test_gradgradcheck_on_custom_functions():
    x = leaf(X)
    assert fg.autograd.gradgradcheck(Exp.apply, (x,))
    assert fg.autograd.gradgradcheck(Cube.apply, (x,))
    assert fg.autograd.gradgradcheck(SinCos.apply, (x,))


def test_two_outputs_get_their_gradients():
    x = leaf(X)
    s, c = SinCos.apply(x)
    (2 * s + 3 * c).sum().backward()
    close(x.grad, [2 * math.cos(v) - 3 * math.sin(v) for v in X])
    assert s.grad_fn is c.grad_fn
    assert type(s.grad_fn).__name__ == "SinCosBackward"


def test_non_tensor_argument_and_output():
    class WithInfo(Function):
        @staticmethod
        def forward(ctx, x, n):
            return x * n, n + 1, "label"

        @staticmethod
        def backward(ctx, g, g_int, g_str):
            assert g_int is None and g_str is None
            return g * 5, None

    x = leaf(X)
    y, m, label = WithInfo.apply(x, 5)
    assert (m, label) == (6, "label")
    y.sum().backward()
    close(x.grad, [5.0, 5.0, 5.0])


def test_setup_context_style_with_keyword_and_default():
    x, y = leaf(X), leaf([1.0, 2.0, 3.0])
    out = MulNew.apply(x, y, k=3.0)
    close(out, [1.5, -6.0, 18.0])
    out.sum().backward()
    close(x.grad, [3.0, 6.0, 9.0])
    close(y.grad, [1.5, -3.0, 6.0])
    x.grad = None
    MulNew.apply(x, y).sum().backward()  # the default k=2 reaches setup_context
    close(x.grad, [2.0, 4.0, 6.0])


def test_needs_input_grad_and_forward_runs_without_recording():
    seen = {}

    class Probe(Function):
        @staticmethod
        def forward(ctx, a, b, n):
            seen["needs"] = ctx.needs_input_grad
            seen["grad_enabled"] = fg.is_grad_enabled()
            return a + b

        @staticmethod
        def backward(ctx, g):
            return g, g, None

    Probe.apply(leaf(X), fg.ones(3, dtype=D), 3)
    assert seen == {"needs": (True, False, False), "grad_enabled": False}


def test_no_input_requires_grad_gives_no_graph():
    y = Exp.apply(fg.tensor(X, dtype=D))
    assert y.grad_fn is None and not y.requires_grad
    with fg.no_grad():
        y = Exp.apply(leaf(X))
    assert y.grad_fn is None and not y.requires_grad


def test_backward_returning_too_many_nones_is_accepted():
    class ExtraNones(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2, None, None

    x = leaf(X)
    ExtraNones.apply(x).sum().backward()
    close(x.grad, [2.0, 2.0, 2.0])


def test_gradient_broadcast_to_the_input_is_summed():
    class Broadcasting(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return fg.ones(2, 3, dtype=D)

    x = leaf(X)
    Broadcasting.apply(x).sum().backward()
    close(x.grad, [2.0, 2.0, 2.0])


def test_input_returned_unchanged_is_a_new_tensor_with_the_functions_history():
    class Identity(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 3

    x = leaf(X)
    y = Identity.apply(x)
    assert y is not x and x.is_leaf
    assert type(y.grad_fn).__name__ == "IdentityBackward"
    y.sum().backward()
    close(x.grad, [3.0, 3.0, 3.0])
    plain = fg.tensor(X, dtype=D)
    assert Identity.apply(plain) is not plain


# ---- the context --------------------------------------------------------------------

def test_ctx_attributes_and_saved_tensors_through_grad_fn():
    x = leaf(X)
    y = Scale.apply(x, 2.5)
    assert y.grad_fn.k == 2.5
    assert y.grad_fn.needs_input_grad == (True, False)
    z = Exp.apply(x)
    (saved,) = z.grad_fn.saved_tensors
    close(saved, [math.exp(v) for v in X])


def test_save_for_backward_keeps_none_and_refuses_other_objects():
    class SavesNone(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, None)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            x, nothing = ctx.saved_tensors
            assert nothing is None
            return g * 2 + x * 0

    x = leaf(X)
    SavesNone.apply(x).sum().backward()
    close(x.grad, [2.0, 2.0, 2.0])

    class SavesInt(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(3)
            return x * 2

    with pytest.raises(TypeError, match="save_for_backward can only save variables, but argument 0 is of type int"):
        SavesInt.apply(x)


def test_saved_tensors_are_freed_after_backward():
    x = leaf(X)
    y = Exp.apply(x)
    y.sum().backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        _ = y.grad_fn.saved_tensors
    with pytest.raises(RuntimeError, match="Specify retain_graph=True"):
        y.sum().backward()


def test_retain_graph_allows_a_second_backward():
    x = leaf(X)
    y = Exp.apply(x)
    y.sum().backward(retain_graph=True)
    y.sum().backward()
    close(x.grad, [2 * math.exp(v) for v in X])


def test_modifying_a_saved_input_in_place_is_caught():
    x = leaf(X)
    b = x * 1
    y = Cube.apply(b)
    b.add_(1)
    msg = (
        f"one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{MOD}.DoubleTensor [3]], which is output 0 of Add, is at version 1; "
        f"expected version 0 instead."
    )
    with pytest.raises(RuntimeError, match=re.escape(msg)):
        y.sum().backward()


def test_modifying_a_saved_output_in_place_is_caught():
    x = leaf(X)
    y = Exp.apply(x * 1)
    y.mul_(2)
    msg = f"[{MOD}.DoubleTensor [3]], which is output 0 of Exp, is at version 1; expected version 0"
    with pytest.raises(RuntimeError, match=re.escape(msg)):
        y.sum().backward()


def test_mark_non_differentiable():
    class SortLike(Function):
        @staticmethod
        def forward(ctx, x):
            values = x * 2
            flags = x * 0
            ctx.mark_non_differentiable(flags)
            return values, flags

        @staticmethod
        def backward(ctx, g, g_flags):
            assert g_flags.tolist() == [0.0, 0.0, 0.0]
            return g * 2

    x = leaf(X)
    values, flags = SortLike.apply(x)
    assert values.requires_grad and not flags.requires_grad
    assert flags.grad_fn is None
    values.sum().backward()
    close(x.grad, [2.0, 2.0, 2.0])


def test_integer_outputs_are_not_differentiable():
    class WithMask(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, (x > 0).long()

        @staticmethod
        def backward(ctx, g, g_mask):
            assert g_mask.dtype == fg.int64 and g_mask.tolist() == [0, 0, 0]
            return g * 2

    x = leaf(X)
    y, mask = WithMask.apply(x)
    assert not mask.requires_grad and mask.tolist() == [1, 0, 1]
    y.sum().backward()
    close(x.grad, [2.0, 2.0, 2.0])


def test_set_materialize_grads_false_passes_none():
    seen = []

    class Two(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append((g1 is None, g2 is None))
            return g2 * 3

    x = leaf(X)
    Two.apply(x)[1].sum().backward()
    assert seen == [(True, False)]
    close(x.grad, [3.0, 3.0, 3.0])


def test_mark_dirty_in_place_function():
    class DoubleInPlace(Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = leaf(X)
    b = x * 1
    out = DoubleInPlace.apply(b)
    assert out is b
    assert b._version == 2
    assert type(b.grad_fn).__name__ == "DoubleInPlaceBackward"
    close(b, [1.0, -2.0, 4.0])
    (b * b).sum().backward()
    close(x.grad, [8 * v for v in X])
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad has been used in an in-place operation."):
        DoubleInPlace.apply(leaf(X))


def test_mark_dirty_on_a_tensor_not_returned():
    class Forgets(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(RuntimeError, match="Some elements marked as dirty during the forward method were not returned as output."):
        Forgets.apply(leaf(X) * 1)


def test_saved_tensors_during_forward_is_empty():
    seen = []

    class Peek(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            seen.append(ctx.saved_tensors)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    Peek.apply(leaf(X))
    assert seen == [()]


# ---- errors from backward -------------------------------------------------------------

def make(backward, n_args=1):
    def forward(ctx, x, *rest):
        return x * 2

    return type("Bad", (Function,), {"forward": staticmethod(forward), "backward": staticmethod(backward)})


def test_wrong_number_of_gradients():
    bad = make(lambda ctx, g: g)
    with pytest.raises(RuntimeError, match=re.escape("function BadBackward returned an incorrect number of gradients (expected 2, got 1)")):
        bad.apply(leaf(X), 1.0).sum().backward()


def test_gradient_for_a_non_tensor_input():
    bad = make(lambda ctx, g: (g, g))
    msg = ("function BadBackward returned a gradient different than None at position 2, but the "
           "corresponding forward input was not a Variable")
    with pytest.raises(RuntimeError, match=re.escape(msg)):
        bad.apply(leaf(X), 1.0).sum().backward()


def test_gradient_of_the_wrong_shape():
    bad = make(lambda ctx, g: g[:2])
    msg = "Function BadBackward returned an invalid gradient at index 0 - got [2] but expected shape compatible with [3]"
    with pytest.raises(RuntimeError, match=re.escape(msg)):
        bad.apply(leaf(X)).sum().backward()


def test_gradient_that_is_not_a_tensor():
    bad = make(lambda ctx, g: 3)
    with pytest.raises(RuntimeError, match=re.escape("expected Variable or None (got int)")):
        bad.apply(leaf(X)).sum().backward()


def test_exception_in_backward_keeps_its_type():
    class Oops(KeyError):
        pass

    def backward(ctx, g):
        raise Oops("boom")

    bad = make(backward)
    with pytest.raises(Oops, match="boom"):
        bad.apply(leaf(X)).sum().backward()
    x = leaf(X)
    with pytest.raises(Oops):
        fg.autograd.grad(bad.apply(x).sum(), x)


def test_missing_forward_or_backward():
    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    with pytest.raises(NotImplementedError, match="You must implement either the backward or vjp method"):
        NoBackward.apply(leaf(X)).sum().backward()

    class NoForward(Function):
        pass

    with pytest.raises(NotImplementedError, match="You must implement the forward function for custom autograd.Function."):
        NoForward.apply(leaf(X))


def test_legacy_instance_call_is_refused():
    with pytest.warns(DeprecationWarning, match="should not be instantiated"):
        fn = Exp()
    with pytest.raises(RuntimeError, match="Legacy autograd function with non-static forward method is deprecated."):
        fn(leaf(X))


# ---- grad_fn objects --------------------------------------------------------------

def test_grad_fn_class_name_repr_and_next_functions():
    x = leaf(X)
    y = Scale.apply(x * 1, 2.0)
    fn = y.grad_fn
    assert type(fn).__name__ == "ScaleBackward"
    assert fn.name() == "ScaleBackward"
    assert re.fullmatch(rf"<{MOD}\.autograd\.function\.ScaleBackward object at 0x[0-9a-f]+>", repr(fn))
    assert "grad_fn=<ScaleBackward>" in repr(y)
    assert y.grad_fn is fn
    ((mul, nr),) = fn.next_functions
    assert type(mul).__name__ == "MulBackward0" and nr == 0
    assert isinstance(fn, fg.autograd.function.FunctionCtx)
    assert isinstance(fn, fg.autograd.function.BackwardCFunction)
    assert Scale._backward_cls is type(fn)


def test_next_functions_of_an_input_that_needs_no_grad():
    class Add(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, g):
            return g, g

    x = leaf(X)
    y = Add.apply(x, fg.ones(3, dtype=D))
    (acc, _), (none, nr) = y.grad_fn.next_functions
    assert type(acc).__name__ == "AccumulateGrad" and acc.variable is x
    assert none is None and nr == 0


def test_hooks_on_a_function_node():
    x = leaf(X)
    y = Exp.apply(x)
    seen = []
    y.grad_fn.register_prehook(lambda gout: seen.append(("pre", gout[0].tolist())))
    y.grad_fn.register_hook(lambda gin, gout: seen.append(("post", len(gin))))
    y.sum().backward()
    assert seen == [("pre", [1.0, 1.0, 1.0]), ("post", 1)]


def test_function_ctx_is_public():
    ctx = fg.autograd.function.FunctionCtx()
    ctx.save_for_backward(fg.ones(2))
    ctx.set_materialize_grads(False)
    assert ctx.materialize_grads is False


# ---- higher order -----------------------------------------------------------------

def test_double_backward_through_a_function():
    x = leaf(X)
    (g,) = fg.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    close(g, [3 * v * v for v in X])
    assert g.requires_grad
    (gg,) = fg.autograd.grad(g.sum(), x)
    close(gg, [6 * v for v in X])


def test_backward_create_graph_records_the_backward_ops():
    x = leaf(X)
    Cube.apply(x).sum().backward(create_graph=True)
    assert x.grad.requires_grad
    (gg,) = fg.autograd.grad(x.grad.sum(), x)
    close(gg, [6 * v for v in X])
    # x -> x.grad -> its graph -> the context's saved x is the cycle PyTorch's warning
    # names; resetting .grad breaks it, as the warning recommends.
    x.grad = None


def test_autograd_grad_through_two_outputs():
    x = leaf(X)
    s, _c = SinCos.apply(x)
    (g,) = fg.autograd.grad(s.sum(), x)
    close(g, [math.cos(v) for v in X])


def test_once_differentiable():
    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**2

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            assert not fg.is_grad_enabled()
            return 2 * x * g

    x = leaf(X)
    (g,) = fg.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
    close(g, [2 * v for v in X])
    assert not g.requires_grad  # the incoming gradient did not require grad
    go = fg.ones(3, dtype=D, requires_grad=True)
    (g,) = fg.autograd.grad(Square.apply(x), x, go, create_graph=True)
    assert g.requires_grad
    assert type(g.grad_fn).__name__ == "Error"
    with pytest.raises(RuntimeError, match="trying to differentiate twice a function that was marked with @once_differentiable"):
        g.sum().backward()


def test_the_same_tensor_returned_twice_is_the_later_output():
    seen = []

    class Twice(Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            return y, y

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append((g1.tolist(), g2.tolist()))
            return g1 + g2

    x = leaf(X)
    a, b = Twice.apply(x)
    assert a is b
    (a.sum() + 3 * b.sum()).backward()
    assert seen == [([0.0, 0.0, 0.0], [4.0, 4.0, 4.0])]
    close(x.grad, [4.0, 4.0, 4.0])


def test_needs_input_grad_under_no_grad():
    seen = []

    class Probe(Function):
        @staticmethod
        def forward(ctx, x):
            seen.append(ctx.needs_input_grad)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    with fg.no_grad():
        Probe.apply(leaf(X))
    assert seen == [(True,)]


def test_gradient_of_another_dtype_is_cast_to_the_input():
    class Single(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g.float()

    x = leaf(X)
    Single.apply(x).sum().backward()
    assert x.grad.dtype == D


def test_metadata_dict():
    y = Exp.apply(leaf(X))
    assert y.grad_fn.metadata == {}
    y.grad_fn.metadata["k"] = 1
    assert y.grad_fn.metadata == {"k": 1}
