"""Autograd behaviours matched to PyTorch 2.13 CPU: a leaf's `.grad` under create_graph,
non-tensor `_saved_*` attributes of nodes, calling a node, custom Functions under
forward AD. Every expected value was observed with torch (the suite also runs with
FG_TEST_BACKEND=torch).
"""

import gc
import warnings

import numpy as np
import pytest
from backend import fg

U64 = 2**64  # PyTorch shows a negative int64 argument as its unsigned bits


def leaf(values):
    return fg.tensor(values, requires_grad=True)


@pytest.fixture(autouse=True)
def _collect_cycles():
    # create_graph makes a cycle through a leaf's .grad, a held Function context one
    # through its node: free them so later tests see no stray graphs
    yield
    gc.collect()


def backward_quietly(y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # create_graph's reference-cycle warning
        y.backward(**kwargs)


# --- a leaf's .grad with and without create_graph ---------------------------------


def test_first_grad_under_create_graph_is_a_recorded_copy():
    x = leaf([1.0, 2.0])
    backward_quietly((x * x).sum(), create_graph=True)
    g = x.grad
    assert type(g.grad_fn).__name__ == "CopyBackwards"
    assert g.requires_grad and not g.is_leaf
    first, second = g.grad_fn.next_functions
    assert first == (None, 0)
    assert type(second[0]).__name__ == "AddBackward0"  # x * x: two paths summed
    assert g.tolist() == [2.0, 4.0]
    x.grad = None


def test_second_create_graph_backward_adds_out_of_place():
    x = leaf([1.0, 2.0])
    backward_quietly((x * x).sum(), create_graph=True)
    g1 = x.grad
    ptr = g1.data_ptr()
    backward_quietly((x * x).sum(), create_graph=True)
    g2 = x.grad
    assert g2 is not g1 and g2.data_ptr() != ptr
    assert type(g2.grad_fn).__name__ == "AddBackward0"
    assert g2.tolist() == [4.0, 8.0]
    assert g1.tolist() == [2.0, 4.0]  # the first grad is untouched
    x.grad = None


def test_plain_backward_after_create_graph_accumulates_in_place():
    x = leaf([1.0, 2.0])
    backward_quietly((x * x).sum(), create_graph=True)
    g1 = x.grad
    backward_quietly((x * x).sum())
    assert x.grad is g1
    assert g1.tolist() == [4.0, 8.0]
    assert type(g1.grad_fn).__name__ == "CopyBackwards"
    x.grad = None


def test_create_graph_after_plain_backward_replaces_the_grad():
    x = leaf([1.0, 2.0])
    backward_quietly((x * x).sum())
    g1 = x.grad
    backward_quietly((x * x).sum(), create_graph=True)
    assert x.grad is not g1
    assert type(x.grad.grad_fn).__name__ == "AddBackward0"
    assert x.grad.tolist() == [4.0, 8.0]
    x.grad = None


def test_plain_backwards_accumulate_in_place():
    x = leaf([1.0, 2.0])
    backward_quietly((x * x).sum())
    g1 = x.grad
    ptr = g1.data_ptr()
    backward_quietly((x * x).sum())
    assert x.grad is g1 and x.grad.data_ptr() == ptr
    assert x.grad.grad_fn is None and not x.grad.requires_grad


@pytest.mark.parametrize("make", [lambda x: (x * 3).sum(), lambda x: x.sum()])
def test_create_graph_grad_without_history_has_no_grad_fn(make):
    x = leaf([1.0, 2.0])
    backward_quietly(make(x), create_graph=True)
    assert x.grad.grad_fn is None and not x.grad.requires_grad


# --- non-tensor _saved_* attributes ------------------------------------------------


def saved_args(node):
    out = {}
    for name in dir(node):
        if name.startswith("_saved_"):
            value = getattr(node, name)
            if not isinstance(value, fg.Tensor):
                out[name[len("_saved_"):]] = value
    return out


X = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]

SAVED_CASES = [
    (lambda x: x.pow(2), "PowBackward0", {"exponent": 2}),
    (lambda x: x.pow(2.5), "PowBackward0", {"exponent": 2.5}),
    (lambda x: x.pow(-1), "PowBackward0", {"exponent": -1}),
    (lambda x: x.sum(), "SumBackward0", {"self_sym_sizes": (2, 3)}),
    (lambda x: x.sum(1), "SumBackward1",
     {"dim": (1,), "keepdim": False, "self_sym_sizes": (2, 3)}),
    (lambda x: x.sum([-1, 0]), "SumBackward1",
     {"dim": (U64 - 1, 0), "keepdim": False, "self_sym_sizes": (2, 3)}),
    (lambda x: x.mean(), "MeanBackward0", {"self_sym_numel": 6, "self_sym_sizes": (2, 3)}),
    (lambda x: x.mean(-1, True), "MeanBackward1",
     {"dim": (U64 - 1,), "keepdim": True, "self_sym_numel": 6, "self_sym_sizes": (2, 3)}),
    (lambda x: x.view(6), "ViewBackward0", {"self_sym_sizes": (2, 3)}),
    (lambda x: x.reshape(3, 2), "ViewBackward0", {"self_sym_sizes": (2, 3)}),
    (lambda x: x.transpose(-1, 0), "TransposeBackward0", {"dim0": U64 - 1, "dim1": 0}),
    (lambda x: x.t(), "TBackward0", {}),
    (lambda x: x.permute(-1, 0), "PermuteBackward0", {"dims": (U64 - 1, 0)}),
    (lambda x: x[1], "SelectBackward0", {"dim": 0, "index": 1, "self_sym_sizes": (2, 3)}),
    (lambda x: x.select(-1, -1), "SelectBackward0",
     {"dim": U64 - 1, "index": U64 - 1, "self_sym_sizes": (2, 3)}),
    (lambda x: x[:, 1:], "SliceBackward0",
     {"dim": 1, "end": 2**63 - 1, "self_sym_sizes": (2, 3), "start": 1, "step": 1}),
    (lambda x: x[:, :-1], "SliceBackward0",
     {"dim": 1, "end": U64 - 1, "self_sym_sizes": (2, 3), "start": 0, "step": 1}),
    (lambda x: x[:, ::2], "SliceBackward0",
     {"dim": 1, "end": 2**63 - 1, "self_sym_sizes": (2, 3), "start": 0, "step": 2}),
    (lambda x: x[:1].expand(4, 3), "ExpandBackward0", {"self_sym_sizes": (1, 3)}),
    (lambda x: x.unsqueeze(-1), "UnsqueezeBackward0", {"dim": U64 - 1}),
    (lambda x: x[:1].squeeze(0), "SqueezeBackward1", {"dim": 0, "self_sym_sizes": (1, 3)}),
    (lambda x: x[:1].squeeze(), "SqueezeBackward0", {"self_sym_sizes": (1, 3)}),
    (lambda x: x.clamp(-1.5, 2), "ClampBackward1", {"max": 2, "min": -1.5}),
    (lambda x: x.clamp(max=2.0), "ClampBackward1", {"max": 2.0, "min": None}),
    (lambda x: x.softmax(-1), "SoftmaxBackward0", {"dim": U64 - 1}),
    (lambda x: x.log_softmax(0), "LogSoftmaxBackward0", {"dim": 0}),
    (lambda x: x.cumsum(1), "CumsumBackward0", {"dim": 1}),
    (lambda x: fg.cat([x, x], -1), "CatBackward0", {"dim": U64 - 1}),
    (lambda x: fg.stack([x, x]), "StackBackward0", {"dim": 0}),
    (lambda x: x + x, "AddBackward0", {"alpha": 1}),
    (lambda x: fg.add(x, x, alpha=2.5), "AddBackward0", {"alpha": 2.5}),
    (lambda x: x.sub(x, alpha=3), "SubBackward0", {"alpha": 3}),
    (lambda x: x.clone(), "CloneBackward0", {}),
    (lambda x: 1 - x, "RsubBackward1", {"alpha": 1}),
    (lambda x: x.max(1)[0], "MaxBackward0",
     {"dim": 1, "keepdim": False, "self_sym_sizes": (2, 3)}),
    (lambda x: x.amax(1), "AmaxBackward0", {"dim": (1,), "keepdim": False}),
    (lambda x: x.prod(1), "ProdBackward1", {"dim": 1, "keepdim": False}),
    (lambda x: x.logsumexp(1), "LogsumexpBackward0", {"dim": (1,), "keepdim": False}),
    (lambda x: x.split(1)[0], "SplitBackward0",
     {"dim": 0, "self_sym_sizes": (2, 3), "split_size": 1}),
    (lambda x: x.unbind(0)[1], "UnbindBackward0", {"dim": 0}),
    (lambda x: x.repeat(2, 1), "RepeatBackward0", {"repeats": (2, 1), "self_sym_sizes": (2, 3)}),
    (lambda x: x.roll(1, 0), "RollBackward0", {"dims": (0,), "shifts": (1,)}),
    (lambda x: x.flip(0), "FlipBackward0", {"dims": (0,)}),
    (lambda x: x.tril(), "TrilBackward0", {"diagonal": 0}),
    (lambda x: x.unfold(1, 2, 1), "UnfoldBackward0",
     {"dimension": 1, "self_sym_sizes": (2, 3), "size": 2, "step": 1}),
    (lambda x: x.topk(2)[0], "TopkBackward0", {"dim": U64 - 1, "self_sym_sizes": (2, 3)}),
    (lambda x: x.sort(1)[0], "SortBackward0", {"dim": 1, "self_sym_sizes": (2, 3)}),
    (lambda x: fg.nn.functional.relu6(x), "HardtanhBackward0", {"max_val": 6, "min_val": 0}),
    (lambda x: fg.nn.functional.hardtanh(x, -2, 3), "HardtanhBackward0",
     {"max_val": 3, "min_val": -2}),
    (lambda x: fg.nn.functional.leaky_relu(x, 0.1), "LeakyReluBackward0",
     {"negative_slope": 0.1}),
    (lambda x: fg.nn.functional.elu(x, 0.5), "EluBackward0",
     {"alpha": 0.5, "input_scale": 1, "scale": 1}),
    (lambda x: fg.nn.functional.gelu(x, approximate="tanh"), "GeluBackward0",
     {"approximate": "tanh"}),
    (lambda x: fg.nn.functional.mse_loss(x, fg.zeros(2, 3), reduction="sum"),
     "MseLossBackward0", {"reduction": 2}),
]


@pytest.mark.parametrize("op,name,expected", SAVED_CASES)
def test_saved_non_tensor_arguments(op, name, expected):
    y = op(leaf(X))
    assert type(y.grad_fn).__name__ == name
    got = saved_args(y.grad_fn)
    assert got == expected
    for key, value in expected.items():
        assert type(got[key]) is type(value), key


def test_saved_input_of_a_composed_function_is_the_input():
    x = leaf(X)
    y = fg.nn.functional.leaky_relu(x, 0.2)
    assert y.grad_fn._saved_self is x
    target = fg.ones(2, 3)
    loss = fg.nn.functional.mse_loss(x, target)
    assert loss.grad_fn._saved_self is x and loss.grad_fn._saved_target is target
    assert fg.nn.functional.silu(x).grad_fn._saved_self is x


def test_saved_arguments_survive_backward():
    x = leaf(X)
    y = x.sum(1)
    y.sum().backward()
    assert y.grad_fn._saved_dim == (1,)
    assert y.grad_fn._saved_self_sym_sizes == (2, 3)


# --- calling a node ----------------------------------------------------------------


def test_calling_a_two_input_node_gives_a_tuple():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    gx, gw = (x * w).grad_fn(fg.ones(2))
    assert gx.tolist() == [3.0, 4.0] and gw.tolist() == [1.0, 2.0]
    # run under grad mode: the saved inputs require grad, so the results have history
    assert type(gx.grad_fn).__name__ == "MulBackward0"


def test_calling_a_one_input_node_gives_a_tensor():
    x = leaf([1.0, 2.0])
    g = x.sum().grad_fn(fg.tensor(1.0))
    assert isinstance(g, fg.Tensor)
    assert g.tolist() == [1.0, 1.0] and not g.requires_grad
    e = x.exp().grad_fn(fg.ones(2))
    np.testing.assert_allclose(e.detach().numpy(), np.exp([1.0, 2.0]), rtol=1e-6)


def test_calling_a_node_gives_none_for_an_input_without_an_edge():
    x = leaf([1.0, 2.0])
    gx, other = (x + 1).grad_fn(fg.ones(2))
    assert gx.tolist() == [1.0, 1.0] and other is None


def test_calling_a_node_with_none_gives_none():
    assert leaf([1.0, 2.0]).sum().grad_fn(None) is None


def test_calling_a_multi_output_node_takes_one_grad_per_output():
    x = leaf([1.0, 2.0])
    a, _ = x.unbind(0)
    g = a.grad_fn(fg.tensor(1.0), fg.tensor(2.0))
    assert g.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("args", [(), (1.0, 1.0)])
def test_calling_a_node_with_the_wrong_number_of_grads_raises(args):
    y = leaf([1.0, 2.0]).sum()
    grads = tuple(fg.tensor(a) for a in args)
    with pytest.raises(TypeError, match=f"expected 1 arguments, got {len(args)} instead"):
        y.grad_fn(*grads)


def test_calling_an_accumulator_adds_into_grad():
    x = leaf([1.0, 2.0])
    acc = x.view(2).grad_fn.next_functions[0][0]
    assert acc(fg.ones(2)) == ()
    assert x.grad.tolist() == [1.0, 1.0]


def test_calling_a_node_after_its_saved_tensors_were_freed_raises():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    y = x * w
    y.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.grad_fn(fg.ones(2))


# --- custom Functions under forward AD ---------------------------------------------


class Square(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.x, ctx.k = x, k
        return x * x * k

    @staticmethod
    def backward(ctx, g):
        return 2 * ctx.x * g * ctx.k, None

    @staticmethod
    def jvp(ctx, tx, tk):
        assert tk is None  # a number argument has no tangent
        return 100 * ctx.x * tx  # deliberately not the true derivative


class Double(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2


class SumAndScale(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x + y, x * y

    @staticmethod
    def backward(ctx, a, b):
        return a, b

    @staticmethod
    def jvp(ctx, tx, ty):
        return tx + (ty if ty is not None else 0), 7 * tx


def test_forward_ad_uses_the_functions_jvp():
    fwad = fg.autograd.forward_ad
    with fwad.dual_level():
        d = fwad.make_dual(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 0.5]))
        y = Square.apply(d, 3.0)
        primal, tangent = fwad.unpack_dual(y)
        assert primal.tolist() == [3.0, 12.0]
        assert tangent.tolist() == [100.0, 100.0]
        z = fwad.unpack_dual(y.sin()).tangent  # the jvp's tangent flows on
        np.testing.assert_allclose(z.numpy(), np.cos([3.0, 12.0]) * 100.0, rtol=1e-5)


def test_forward_ad_jvp_with_two_outputs():
    fwad = fg.autograd.forward_ad
    with fwad.dual_level():
        d = fwad.make_dual(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 0.5]))
        a, b = SumAndScale.apply(d, fg.ones(2))
        assert fwad.unpack_dual(a).tangent.tolist() == [1.0, 0.5]
        assert fwad.unpack_dual(b).tangent.tolist() == [7.0, 3.5]


def test_forward_ad_without_jvp_raises():
    fwad = fg.autograd.forward_ad
    with fwad.dual_level():
        d = fwad.make_dual(fg.tensor([1.0, 2.0]), fg.tensor([1.0, 0.5]))
        with pytest.raises(NotImplementedError, match="You must implement the jvp function"):
            Double.apply(d)
        # inputs without tangents do not need a jvp
        assert Double.apply(fg.ones(2)).tolist() == [2.0, 2.0]


# --- vmap refusals, gradcheck of non-tensor outputs ---------------------------------


VMAP_ITEM = "vmap: It looks like you're calling .item\\(\\) on a Tensor"
VMAP_CONTROL_FLOW = "vmap: It looks like you're attempting to use a Tensor in some data-dependent"


@pytest.mark.parametrize("fn", [lambda t: t.sum().item(), lambda t: t * t.max().item()])
def test_vmap_refuses_item(fn):
    with pytest.raises(RuntimeError, match=VMAP_ITEM):
        fg.func.vmap(fn)(fg.ones(3, 2))


def test_vmap_refuses_data_dependent_control_flow():
    with pytest.raises(RuntimeError, match=VMAP_CONTROL_FLOW):
        fg.vmap(lambda t: t if t.sum() > 0 else -t)(fg.ones(3, 2))


def test_item_works_again_after_vmap():
    with pytest.raises(RuntimeError):
        fg.vmap(lambda t: t.sum().item())(fg.ones(3, 2))
    assert fg.tensor(2.5).item() == 2.5 and bool(fg.tensor(1.0))
    out = fg.vmap(lambda t: t * 2)(fg.ones(3, 2))
    assert out.tolist() == [[2.0, 2.0]] * 3


@pytest.mark.parametrize("fn,kind", [
    (lambda t: 3, "int"),
    (lambda t: 3.0, "float"),
    (lambda t: None, "NoneType"),
    (lambda t: (t * 2, 3, None), "int"),
    (lambda t: (t * 2, None), "NoneType"),
    (lambda t: [t, 3], "int"),
    (lambda t: {"a": t}, "dict"),
])
def test_gradcheck_refuses_non_tensor_outputs(fn, kind):
    x = fg.randn(3, dtype=fg.float64, requires_grad=True)
    with pytest.raises(AttributeError, match=f"'{kind}' object has no attribute 'requires_grad'"):
        fg.autograd.gradcheck(fn, (x,))


def test_gradgradcheck_refuses_non_tensor_outputs():
    x = fg.randn(3, dtype=fg.float64, requires_grad=True)
    with pytest.raises(AttributeError, match="'str' object has no attribute 'requires_grad'"):
        fg.autograd.gradgradcheck(lambda t: (t * t, "a"), (x,))


def test_gradcheck_accepts_a_list_of_tensors():
    x = fg.randn(3, dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: [t * 2, t.sin()], (x,))


# --- custom Function graphs ---------------------------------------------------------


class Identity(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, g):
        return g


class ViewOut(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, g):
        return g


def test_function_grad_fn_keeps_its_graph_reachable():
    def grad_fn_of_dropped_output():
        x = fg.ones(2, requires_grad=True)
        return Identity.apply(x * 2).grad_fn

    node = grad_fn_of_dropped_output()
    gc.collect()
    ((inner, nr),) = node.next_functions
    assert type(inner).__name__ == "MulBackward0" and nr == 0
    names = [type(n).__name__ if n is not None else None for n, _ in inner.next_functions]
    assert names == ["AccumulateGrad", None]


def test_a_dropped_function_context_is_collected():
    import weakref

    x = fg.ones(2, requires_grad=True)
    y = Identity.apply(x * 2)
    ref = weakref.ref(y.grad_fn)
    del y
    gc.collect()
    assert ref() is None


def test_in_place_on_a_view_returned_by_a_function_raises():
    v = ViewOut.apply(leaf([1.0, 2.0]).clone())
    with pytest.raises(RuntimeError, match=(
            "Output 0 of ViewOut is a view and is being modified inplace. This view was "
            "created inside a custom Function")) as info:
        v.add_(1)
    assert str(info.value).endswith("You can fix this by cloning the output of the custom Function.")


def test_sequence_nr_is_a_method_and_grows():
    x = leaf([1.0])
    a = x * 2
    b = a + 1
    c = Identity.apply(b)
    first, second, third = a.grad_fn._sequence_nr(), b.grad_fn._sequence_nr(), c.grad_fn._sequence_nr()
    assert all(isinstance(n, int) for n in (first, second, third))
    assert first < second < third
