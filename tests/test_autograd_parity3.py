"""Autograd parity with PyTorch 2.13, third round (values and behaviour observed there,
hard-coded): a custom Function's graph freed by reference counting alone, `_raw_saved_*`
saved tensors with their own hooks, node names and `_saved_*` values.

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import gc
import weakref

import pytest
from backend import IS_TORCH, fg

D = fg.float64


# --- a custom Function's node and context are freed without the cycle collector -----

class Marker:
    """A weakly referenceable object to hang on a context."""


class Square(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g


class ExpSavingOutput(fg.autograd.Function):
    @staticmethod
    def forward(x):
        return x.exp()

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(output)

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y


class DoubleInPlace(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return 2 * g


class ExpAndMask(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        mask = (x > 0).to(D)
        ctx.mark_non_differentiable(mask)
        ctx.save_for_backward(x)
        return x.exp(), mask

    @staticmethod
    def backward(ctx, g, _g_mask):
        (x,) = ctx.saved_tensors
        return g * x.exp()


class SquareOnce(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    @fg.autograd.function.once_differentiable
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g


@pytest.fixture
def no_gc():
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def mark(node):
    """Hangs a marker on `node` (the context) and returns a weak reference to it."""
    marker = Marker()
    node.marker = marker
    return weakref.ref(marker)


def live_nodes():
    return 0 if IS_TORCH else fg.autograd.graph_stats()["live_nodes"]


def test_function_context_freed_with_its_output(no_gc):
    x = fg.ones(3, dtype=D, requires_grad=True)
    y = Square.apply(x * 1)
    ref = mark(y.grad_fn)
    del y
    assert ref() is None
    assert live_nodes() == 0


def test_function_context_saving_its_output_freed_after_backward(no_gc):
    x = fg.ones(3, dtype=D, requires_grad=True)
    y = ExpSavingOutput.apply(x)
    ref = mark(y.grad_fn)
    z = y * 2
    del y
    assert ref() is not None  # z's graph still holds the node
    z.sum().backward()
    del z
    assert ref() is None
    assert x.grad.tolist() == [2 * 2.718281828459045] * 3


def test_function_grad_fn_kept_by_python_alone(no_gc):
    x = fg.ones(3, dtype=D, requires_grad=True)
    y = ExpSavingOutput.apply(x * 1)
    node = y.grad_fn
    ref = mark(node)
    del y
    # the context keeps its node: the graph behind it is still there
    assert type(node.next_functions[0][0]).__name__ == "MulBackward0"
    assert node.name() == "ExpSavingOutputBackward"
    (saved,) = node.saved_tensors
    assert saved.grad_fn is node
    del saved
    del node
    assert ref() is None
    assert live_nodes() == 0


def test_function_output_taken_back_from_the_context_keeps_it(no_gc):
    x = fg.ones(3, dtype=D, requires_grad=True)
    node = ExpSavingOutput.apply(x).grad_fn
    ref = mark(node)
    (saved,) = node.saved_tensors
    del node
    assert ref() is not None
    assert saved.grad_fn.marker is ref()
    saved.sum().backward()
    assert x.grad.tolist() == [2.718281828459045] * 3
    del saved
    assert ref() is None


def test_function_double_backward_then_freed(no_gc):
    x = fg.ones(3, dtype=D, requires_grad=True)
    y = Square.apply(x * 1)
    ref = mark(y.grad_fn)
    (g,) = fg.autograd.grad(y.sum(), x, create_graph=True)
    g.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]
    del y, g
    assert ref() is None


def test_function_mark_dirty_and_non_differentiable_freed(no_gc):
    x = fg.ones(3, dtype=D, requires_grad=True)
    h = x.clone()
    y = DoubleInPlace.apply(h)
    dirty_ref = mark(y.grad_fn)
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]
    del y, h
    assert dirty_ref() is None

    y, mask = ExpAndMask.apply(x)
    ref = mark(y.grad_fn)
    assert mask.requires_grad is False
    del y
    assert ref() is None
    del mask


def test_function_once_differentiable_freed_and_still_refuses(no_gc):
    x = fg.ones(3, dtype=D, requires_grad=True)
    y = SquareOnce.apply(x)
    ref = mark(y.grad_fn)
    seed = fg.ones(3, dtype=D, requires_grad=True)
    (g,) = fg.autograd.grad(y, x, seed, create_graph=True)
    with pytest.raises(RuntimeError, match="once_differentiable"):
        g.sum().backward()
    del y, g
    assert ref() is None


def test_function_with_a_node_hook_freed_after_a_retained_backward(no_gc):
    x = fg.ones(3, dtype=D, requires_grad=True)
    y = Square.apply(x * 3)
    ref = mark(y.grad_fn)
    calls = []
    y.grad_fn.register_hook(lambda grad_in, grad_out: calls.append(len(grad_in)))
    y.sum().backward(retain_graph=True)
    assert x.grad.tolist() == [18.0, 18.0, 18.0]
    assert calls == [1]
    assert ref() is not None
    del y
    assert ref() is None
    assert live_nodes() == 0


# --- `_raw_saved_*`: the saved tensor itself, with its own pack/unpack hooks ----------

def pair():
    a = fg.tensor([1.0, 2.0, 3.0], dtype=D, requires_grad=True)
    b = fg.tensor([4.0, 5.0, 6.0], dtype=D, requires_grad=True)
    return a, b


def test_raw_saved_attributes_are_saved_tensor_objects():
    a, b = pair()
    node = (a * b).grad_fn
    names = [k for k in dir(node) if "saved" in k]
    assert names == ["_raw_saved_other", "_raw_saved_self", "_saved_other", "_saved_self"]
    raw = node._raw_saved_self
    assert type(raw).__module__ == f"{'torch' if IS_TORCH else 'ferrograd'}._C._autograd"
    assert type(raw).__name__ == "SavedTensor"
    assert raw.unpack() is a
    assert "_raw_saved_result" in dir(a.exp().grad_fn)


def test_raw_saved_register_hooks_packs_now_and_unpacks_for_backward():
    a, b = pair()
    y = a * b
    calls = []

    def pack(t):
        calls.append("pack")
        return t

    def unpack(t):
        calls.append("unpack")
        return t * 10

    y.grad_fn._raw_saved_self.register_hooks(pack, unpack)
    assert calls == ["pack"]
    y.sum().backward()
    assert calls == ["pack", "unpack"]
    assert b.grad.tolist() == [10.0, 20.0, 30.0]  # d/db (a*b) with a unpacked as 10a
    assert a.grad.tolist() == [4.0, 5.0, 6.0]


def test_raw_saved_pack_sees_an_output_without_history():
    a, _ = pair()
    seen = []
    y = a.exp()
    y.grad_fn._raw_saved_result.register_hooks(
        lambda t: seen.append((t.grad_fn, t.requires_grad)) or t, lambda t: t)
    assert seen == [(None, False)]


def test_raw_saved_register_hooks_errors():
    a, b = pair()
    y = a * b
    raw = y.grad_fn._raw_saved_self
    with pytest.raises(TypeError, match="incompatible function arguments"):
        raw.register_hooks(lambda t: t)
    with pytest.raises(TypeError, match="incompatible function arguments"):
        raw.register_hooks(1, 2)
    raw.register_hooks(lambda t: t, lambda t: t)
    with pytest.raises(RuntimeError, match="hooks have already been set"):
        raw.register_hooks(lambda t: t, lambda t: t)

    with fg.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        y = a * b
    with pytest.raises(RuntimeError, match="hooks have already been set"):
        y.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda t: t)

    y = a * b
    raw = y.grad_fn._raw_saved_self
    y.sum().backward()
    with pytest.raises(RuntimeError, match="after it has been freed"):
        raw.register_hooks(lambda t: t, lambda t: t)

    y = a * b
    with pytest.raises(ZeroDivisionError):
        y.grad_fn._raw_saved_self.register_hooks(lambda t: 1 / 0, lambda t: t)

    y = a * b
    y.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda t: 5)
    with pytest.raises(TypeError, match="unpack_hook expected to be a Tensor but got result of type int"):
        _ = y.grad_fn._saved_self


def test_saved_alpha_of_add_and_sub():
    a, b = pair()
    assert (a + b).grad_fn._saved_alpha == 1
    assert (a - b).grad_fn._saved_alpha == 1
    assert fg.add(a, b, alpha=2).grad_fn._saved_alpha == 2
    assert fg.sub(a, b, alpha=3).grad_fn._saved_alpha == 3


# --- node names and `_saved_*` values -----------------------------------------------

def test_div_with_rounding_mode_passed_is_div_backward2():
    a, b = pair()
    assert type(fg.div(a, b).grad_fn).__name__ == "DivBackward0"
    assert type(a.div(b).grad_fn).__name__ == "DivBackward0"
    for y in (fg.div(a, b, rounding_mode=None), a.div(b, rounding_mode=None),
              a.divide(b, rounding_mode=None)):
        node = y.grad_fn
        assert type(node).__name__ == "DivBackward2"
        assert node._saved_rounding_mode is None
        assert node._saved_self is a
        assert node._saved_other is b
        assert y.tolist() == [0.25, 0.4, 0.5]
    y = fg.div(a, b, rounding_mode=None)
    y.sum().backward()
    assert a.grad.tolist() == [0.25, 0.2, 1 / 6]
    assert b.grad.tolist() == [-1 / 16, -2 / 25, -3 / 36]
    node = fg.div(a, 2.0, rounding_mode=None).grad_fn
    assert type(node).__name__ == "DivBackward2"
    assert node._saved_self is None
    assert node._saved_other.item() == 2.0


def test_div_with_a_rounding_mode_saves_both_operands():
    a, b = pair()
    node = fg.div(a, b, rounding_mode="trunc").grad_fn
    assert type(node).__name__ == "DivBackward2"
    assert node._saved_rounding_mode == "trunc"
    assert node._saved_self is a
    assert node._saved_other is b
    assert fg.div(a, b, rounding_mode="floor").grad_fn._saved_rounding_mode == "floor"
    packs = []
    with fg.autograd.graph.saved_tensors_hooks(lambda t: packs.append(1) or t, lambda t: t):
        fg.div(a, b, rounding_mode="trunc")
    assert len(packs) == 2


def test_div_rejects_an_unknown_keyword():
    a, b = pair()
    with pytest.raises(TypeError):
        a.div(b, mode="trunc")


def test_var_and_std_correction_when_dim_is_passed_as_none():
    x = fg.tensor([[1.0, 2.0], [3.0, 5.0]], dtype=D, requires_grad=True)
    # (call, _saved_correction, _saved_dim) as PyTorch's nodes report them
    cases = [
        (lambda: x.var(), None, None),
        (lambda: x.var(None), 1, None),
        (lambda: x.var(dim=None), 1, None),
        (lambda: fg.var(x, None), 1, None),
        (lambda: x.std(None, keepdim=True), 1, None),
        (lambda: x.var(None, unbiased=False), 0, None),
        (lambda: x.var(None, False), 0, None),
        (lambda: x.var(0), 1, (0,)),
        (lambda: x.var(unbiased=True), 1, None),
        (lambda: x.var(correction=0), 0, None),
        (lambda: x.std(), None, None),
        (lambda: x.var(None, correction=2), 2, None),
        (lambda: x.var(keepdim=True), None, None),
    ]
    for call, correction, dim in cases:
        node = call().grad_fn
        assert node._saved_correction == correction
        assert node._saved_dim == dim


def test_selection_nodes_keep_their_dim():
    x = fg.tensor([[3.0, 1.0, 2.0, 0.5], [0.0, -1.0, 4.0, 2.0], [1.0, 1.0, 1.0, 7.0]],
                  dtype=D, requires_grad=True)
    for node, name in ((x.kthvalue(2, 1)[0].grad_fn, "KthvalueBackward0"),
                       (x.median(1)[0].grad_fn, "MedianBackward1"),
                       (x.mode(1)[0].grad_fn, "ModeBackward0")):
        assert type(node).__name__ == name
        assert node._saved_dim == 1
        assert node._saved_keepdim is False
        assert node._saved_self_sym_sizes == (3, 4)
    node = x.kthvalue(1, 0, keepdim=True)[0].grad_fn
    assert (node._saved_dim, node._saved_keepdim) == (0, True)
    assert x.cummax(1)[0].grad_fn._saved_dim == 1
    # the dim as given: PyTorch shows a negative int64 through its unsigned bits
    assert x.cummin(-2)[0].grad_fn._saved_dim == 2**64 - 2
    assert x.kthvalue(2, -1)[0].grad_fn._saved_dim == 2**64 - 1
    assert x.median(-1)[0].grad_fn._saved_dim == 2**64 - 1
    assert x.mode()[0].grad_fn._saved_dim == 2**64 - 1


def test_out_refusal_names_the_kernel_pytorch_runs():
    a, b = pair()
    cases = [
        (lambda o: fg.norm(a, dim=0, out=o), "linalg_vector_norm"),
        (lambda o: fg.linalg.vector_norm(a, out=o), "linalg_vector_norm"),
        (lambda o: fg.outer(a, b, out=o), "mul"),
        (lambda o: fg.sin(a, out=o), "sin"),
        (lambda o: fg.add(a, b, out=o), "add"),
    ]
    for call, name in cases:
        with pytest.raises(RuntimeError) as info:
            call(fg.empty(0, dtype=D))
        assert str(info.value) == (
            f"{name}(): functions with out=... arguments don't support automatic differentiation, "
            "but one of the arguments requires grad."
        )


def test_clamp_with_one_tensor_bound_shows_none_for_the_other():
    a, b = pair()
    bound = fg.tensor([2.0, 2.0, 2.0], dtype=D)
    node = a.clamp(min=bound).grad_fn
    assert type(node).__name__ == "ClampBackward0"
    assert node._saved_max is None
    assert node._saved_min is bound
    assert node._saved_self is a
    node = a.clamp(max=bound).grad_fn
    assert node._saved_min is None
    assert node._saved_max is bound
    node = a.clamp(bound, b).grad_fn
    assert node._saved_min is bound
    assert node._saved_max is b
    node = a.clamp(min=1.5).grad_fn
    assert type(node).__name__ == "ClampBackward1"
    assert (node._saved_min, node._saved_max) == (1.5, None)


def test_func_jvp_hands_primal_outputs_back_through_alias_backward():
    a, _ = pair()
    out, tangent = fg.func.jvp(lambda x: x.sin(), (a,), (fg.ones(3, dtype=D),))
    assert type(out.grad_fn).__name__ == "AliasBackward0"
    assert type(out.grad_fn.next_functions[0][0]).__name__ == "SinBackward0"
    assert type(tangent.grad_fn).__name__ == "MulBackward0"
    out.sum().backward()
    assert a.grad.tolist() == a.detach().cos().tolist()
    outs, _ = fg.func.jvp(lambda x: (x.sin(), x * 2), (a,), (fg.ones(3, dtype=D),))
    assert [type(o.grad_fn).__name__ for o in outs] == ["AliasBackward0", "AliasBackward0"]
    out, _ = fg.func.jvp(lambda x: x.sin(), (a.detach(),), (fg.ones(3, dtype=D),))
    assert out.grad_fn is None


def test_outer_is_a_reshaped_column_times_the_row():
    # PyTorch 2.13: input.reshape(n, 1) * vec2, so vec2 is saved (and reached) as it is
    a = fg.ones(3, requires_grad=True)
    b = fg.ones(4, requires_grad=True)
    g = fg.outer(a, b).grad_fn
    assert g.name() == "MulBackward0"
    assert tuple(g._saved_self.shape) == (3, 1)
    assert tuple(g._saved_other.shape) == (4,)
    assert [type(f).__name__ for f, _ in g.next_functions] == ["ViewBackward0", "AccumulateGrad"]
    strided = fg.ones(6, requires_grad=True)[::2]
    assert type(fg.outer(strided, b).grad_fn.next_functions[0][0]).__name__ == "ReshapeAliasBackward0"
