"""Autograd behaviours the session-33 differential harness (tools/autograd_diff.py) found
ferrograd getting wrong."""

import importlib
import warnings

import pytest
from backend import fg


def _anomaly(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # detect_anomaly's own warnings
        with fg.autograd.detect_anomaly():
            fn()


def _boom_function():
    class Boom(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            raise ValueError("boom")

    return Boom


def test_custom_backward_error_keeps_its_type_in_anomaly_mode():
    boom = _boom_function()
    with pytest.raises(ValueError, match="^boom$"):
        _anomaly(lambda: boom.apply(fg.tensor([1.0], requires_grad=True)).sum().backward())


def test_custom_backward_error_in_anomaly_mode_warns_with_forward_trace():
    boom = _boom_function()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with fg.autograd.detect_anomaly(), pytest.raises(ValueError):
            boom.apply(fg.tensor([1.0], requires_grad=True)).sum().backward()
    texts = [str(w.message) for w in caught]
    assert any(s.startswith("Error detected in BoomBackward.") for s in texts), texts


def test_unpack_hook_error_keeps_its_type_in_anomaly_mode():
    def refuse(packed):
        raise KeyError("unpack")

    def run():
        x = fg.tensor([1.0], requires_grad=True)
        with fg.autograd.graph.saved_tensors_hooks(lambda t: t, refuse):
            y = x.exp()
        y.sum().backward()

    with pytest.raises(KeyError, match="unpack"):
        _anomaly(run)


def test_checkpoint_recompute_error_keeps_its_type_in_anomaly_mode():
    checkpoint = importlib.import_module(fg.__name__ + ".utils.checkpoint").checkpoint
    calls = []

    def f(a):
        calls.append(1)
        if len(calls) > 1:
            raise KeyError("recompute")
        return a.exp()

    x = fg.tensor([1.0], requires_grad=True)
    with pytest.raises(KeyError, match="recompute"):
        _anomaly(lambda: checkpoint(f, x, use_reentrant=False).sum().backward())


def test_error_outside_anomaly_mode_does_not_leak_into_a_later_anomaly_error():
    boom = _boom_function()
    with pytest.raises(ValueError, match="^boom$"):
        boom.apply(fg.tensor([1.0], requires_grad=True)).sum().backward()
    x = fg.tensor([0.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="^Function 'SqrtBackward0' returned nan values"):
        _anomaly(lambda: (x.sqrt() * 0).sum().backward())


def _forward_ad():
    return importlib.import_module(fg.__name__ + ".autograd.forward_ad")


def test_jvp_sees_only_tensors_saved_for_forward():
    seen = []

    class F(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x)
            ctx.save_for_forward(y)
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g, g

        @staticmethod
        def jvp(ctx, tx, ty):
            seen.append(ctx.saved_tensors)
            return tx

    fa = _forward_ad()
    with fa.dual_level():
        F.apply(fa.make_dual(fg.tensor([3.0]), fg.tensor([1.0])), fg.tensor([5.0]))
    assert len(seen[0]) == 1
    assert seen[0][0].tolist() == [5.0]


def test_jvp_without_save_for_forward_sees_no_saved_tensors():
    seen = []

    class F(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g

        @staticmethod
        def jvp(ctx, tx):
            seen.append(ctx.saved_tensors)
            return tx

    fa = _forward_ad()
    with fa.dual_level():
        F.apply(fa.make_dual(fg.tensor([3.0]), fg.tensor([1.0])))
    assert seen == [()]


def _saved(node):
    return {a[len("_saved_"):]: getattr(node, a) for a in dir(node) if a.startswith("_saved_")}


_U = 1 << 64  # PyTorch's nodes show a negative int64 argument as its unsigned bits


@pytest.mark.parametrize("make, name, saved", [
    (lambda x: fg.select_copy(x, -1, -2), "SelectBackward0_copy",
     {"dim": _U - 1, "index": _U - 2, "self_sym_sizes": (3, 4)}),
    (lambda x: fg.slice_copy(x), "SliceBackward0_copy",
     {"dim": 0, "end": None, "self_sym_sizes": (3, 4), "start": None, "step": 1}),
    (lambda x: fg.slice_copy(x, -1, -3, 10, 2), "SliceBackward0_copy",
     {"dim": _U - 1, "end": 10, "self_sym_sizes": (3, 4), "start": _U - 3, "step": 2}),
    (lambda x: fg.transpose_copy(x, 0, -1), "TransposeBackward0_copy", {"dim0": 0, "dim1": _U - 1}),
    (lambda x: fg.permute_copy(x, (1, -2)), "PermuteBackward0_copy", {"dims": (1, _U - 2)}),
    (lambda x: fg.unsqueeze_copy(x, 0), "UnsqueezeBackward0_copy", {"dim": 0}),
    (lambda x: fg.squeeze_copy(x), "SqueezeBackward0_copy", {"self_sym_sizes": (3, 4)}),
    (lambda x: fg.squeeze_copy(x, (0, 1)), "SqueezeBackward2_copy",
     {"dim": (0, 1), "self_sym_sizes": (3, 4)}),
    (lambda x: fg.expand_copy(x[:1], (2, 4)), "ExpandBackward0_copy", {"self_sym_sizes": (1, 4)}),
    (lambda x: fg.view_copy(x, (12,)), "ViewBackward0_copy", {"self_sym_sizes": (3, 4)}),
    (lambda x: fg.unfold_copy(x, -1, 2, 1), "UnfoldBackward0_copy",
     {"dimension": _U - 1, "self_sym_sizes": (3, 4), "size": 2, "step": 1}),
    (lambda x: fg.diagonal_copy(x, -1, 1, 0), "DiagonalBackward0_copy",
     {"dim1": 1, "dim2": 0, "offset": _U - 1, "self_sym_sizes": (3, 4)}),
    (lambda x: fg.t_copy(x * 2), "TBackward0_copy", {}),
    (lambda x: fg.alias_copy(x * 2), "AliasBackward0_copy", {}),
    (lambda x: x.narrow_copy(-1, 1, 2), "NarrowCopyBackward0",
     {"dim": _U - 1, "length": 2, "self_sym_sizes": (3, 4), "start": 1}),
    (lambda x: fg.diag(x), "DiagonalBackward0_copy",
     {"dim1": 0, "dim2": 1, "offset": 0, "self_sym_sizes": (3, 4)}),
    (lambda x: x.diag(-1), "DiagonalBackward0_copy",
     {"dim1": 0, "dim2": 1, "offset": _U - 1, "self_sym_sizes": (3, 4)}),
    (lambda x: x[0].diag(2), "DiagEmbedBackward0", {"dim1": _U - 2, "dim2": _U - 1, "offset": 2}),
    (lambda x: fg.diagflat(x, 1), "DiagEmbedBackward0", {"dim1": _U - 2, "dim2": _U - 1, "offset": 1}),
    (lambda x: fg.diag_embed(x, -1, 2, 0), "DiagEmbedBackward0", {"dim1": 2, "dim2": 0, "offset": _U - 1}),
    (lambda x: x.diag_embed(), "DiagEmbedBackward0", {"dim1": _U - 2, "dim2": _U - 1, "offset": 0}),
])
def test_copy_and_diag_nodes_keep_pytorchs_saved_arguments(make, name, saved):
    node = make(fg.ones(3, 4, requires_grad=True)).grad_fn
    assert node.name() == name
    assert _saved(node) == saved


def test_copy_op_without_grad_has_no_node():
    x = fg.ones(3, 4, requires_grad=True)
    with fg.no_grad():
        assert fg.select_copy(x, 0, 0).grad_fn is None
        assert fg.diag(x).grad_fn is None
    assert fg.select_copy(fg.ones(3, 4), 0, 0).grad_fn is None


def test_copy_op_gradient_unchanged():
    x = fg.ones(3, 4, requires_grad=True)
    fg.select_copy(x, -1, -2).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 1.0, 0.0]] * 3


def _x():
    return fg.tensor([[0.5, 1.5], [2.0, 0.75]], dtype=fg.float64, requires_grad=True)


@pytest.mark.parametrize("make, name, saved", [
    (lambda x: fg.nn.functional.softplus(x), "SoftplusBackward0", {"beta": 1, "threshold": 20}),
    (lambda x: fg.nn.functional.softplus(x, 2.0, 10), "SoftplusBackward0", {"beta": 2.0, "threshold": 10}),
    (lambda x: x.logit(), "LogitBackward0", {"eps": None}),
    (lambda x: fg.logit(x, 0.1), "LogitBackward0", {"eps": 0.1}),
    (lambda x: x.polygamma(2), "PolygammaBackward0", {"n": 2}),
    (lambda x: fg.dist(x, x * 2), "DistBackward0", {"p": 2}),
    (lambda x: x.dist(x * 2, 1.5), "DistBackward0", {"p": 1.5}),
    (lambda x: fg.cdist(x, x * 2, 1), "CdistBackward0", {"p": 1.0}),
    (lambda x: x.logcumsumexp(-1), "LogcumsumexpBackward0", {"dim": _U - 1}),
    (lambda x: x.index_add(-1, fg.tensor([1, 1]), x * 2, alpha=2), "IndexAddBackward0",
     {"alpha": 2, "dim": _U - 1, "source_dim": 2}),
    (lambda x: x.index_fill(-1, fg.tensor([0]), 3.0), "IndexFillBackward0", {"dim": _U - 1}),
    (lambda x: x.masked_scatter(fg.tensor([True, False]), x * 2), "MaskedScatterBackward0",
     {"source_sym_sizes": (2, 2)}),
    (lambda x: fg.kron(x, x), "UnsafeViewBackward0", {"self_sym_sizes": (2, 2, 2, 2)}),
])
def test_nodes_keep_pytorchs_saved_arguments(make, name, saved):
    node = make(_x()).grad_fn
    assert node.name() == name
    got = {k: v for k, v in _saved(node).items() if not isinstance(v, fg.Tensor) and k in saved}
    assert got == saved
    assert all(type(got[k]) is type(v) for k, v in saved.items())


def test_take_keeps_self_and_index():
    x = _x()
    index = fg.tensor([3, 0])
    node = x.take(index).grad_fn
    assert node._saved_self is x
    assert node._saved_index.tolist() == [3, 0]


def test_cummax_keeps_self_and_masked_scatter_keeps_mask_as_given():
    x = _x()
    assert x.cummax(0)[0].grad_fn._saved_self is x
    assert fg.cummin(x, 1).values.grad_fn._saved_self is x
    mask = fg.tensor([True, False])
    assert x.masked_scatter(mask, x * 2).grad_fn._saved_mask.tolist() == [True, False]


def test_logcumsumexp_and_dist_keep_their_tensors():
    x = _x()
    y = x.logcumsumexp(0)
    assert y.grad_fn._saved_self is x
    assert y.grad_fn._saved_result.equal(y)
    other = x * 2
    d = fg.dist(x, other, 3)
    assert d.grad_fn._saved_other.equal(other)
    assert d.grad_fn._saved_result.equal(d)


def test_saved_tensor_argument_is_freed_by_backward():
    x = _x()
    y = x.take(fg.tensor([3, 0]))
    y.sum().backward()
    with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second time"):
        y.grad_fn._saved_self  # noqa: B018 - the read raises


def test_float_power_node_saves_a_double_exponent():
    node = fg.tensor([2.0], requires_grad=True).float_power(2).grad_fn
    assert node.name() == "PowBackward0"
    assert node._saved_exponent == 2.0
    assert type(node._saved_exponent) is float
    assert type(fg.float_power(fg.tensor([2.0], requires_grad=True), 3).grad_fn._saved_exponent) is float


def test_xlogy_with_a_number_saves_it_as_a_number():
    x = fg.tensor([0.5, 1.5], requires_grad=True)
    node = fg.xlogy(x, 2.0).grad_fn
    assert node.name() == "XlogyBackward2"
    assert node._saved_other == 2.0
    assert node._saved_self is x
    node = fg.xlogy(2.0, x).grad_fn
    assert node.name() == "XlogyBackward1"
    assert node._saved_self == 2.0
    assert node._saved_other is x
    assert fg.special.xlog1py(x, 2.0).grad_fn._saved_other == 2.0


def test_copysign_and_nextafter_nodes_keep_their_tensors():
    x = fg.tensor([0.5, 1.5], requires_grad=True)
    y = x.copysign(-1.0)
    assert y.grad_fn._saved_self is x
    assert y.grad_fn._saved_result.tolist() == [-0.5, -1.5]
    node = x.nextafter(fg.tensor(1.0)).grad_fn
    assert node._saved_self is x
    assert node._saved_other.tolist() == 1.0


@pytest.mark.parametrize("make, saved", [
    (lambda x: x.nansum(), {"dim": None, "keepdim": False}),
    (lambda x: x.nansum(1, True), {"dim": (1,), "keepdim": True}),
    (lambda x: fg.nansum(x, (0, -1)), {"dim": (0, _U - 1), "keepdim": False}),
    (lambda x: x.renorm(2, -1, 1), {"dim": _U - 1, "maxnorm": 1, "p": 2}),
    (lambda x: fg.renorm(x, 1.5, 0, 2.5), {"dim": 0, "maxnorm": 2.5, "p": 1.5}),
])
def test_nansum_and_renorm_nodes_keep_pytorchs_saved_arguments(make, saved):
    x = fg.tensor([[1.0, 2.0]], requires_grad=True)
    y = make(x)
    got = _saved(y.grad_fn)
    assert got.pop("self") is x
    assert got == saved
    assert all(type(got[k]) is type(v) for k, v in saved.items())
    y.sum().backward()
    with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second time"):
        y.grad_fn._saved_self  # noqa: B018 - the read raises


def test_hypot_saves_each_operand_only_for_its_own_gradient():
    x = fg.tensor([3.0], requires_grad=True)
    y = fg.tensor([4.0], requires_grad=True)
    node = fg.hypot(x, y).grad_fn
    assert node._saved_self is x
    assert node._saved_other is y
    assert node._saved_result.tolist() == [5.0]
    out = fg.hypot(x, y.detach())
    assert out.grad_fn._saved_other is None
    assert fg.hypot(x.detach(), y).grad_fn._saved_self is None
    out.sum().backward()
    assert out.grad_fn._saved_other is None  # never saved: nothing to free


@pytest.mark.parametrize("make, name, saved", [
    (lambda F, x: F.interpolate(x[0], scale_factor=2), "UpsampleNearest1DBackward0",
     {"output_size": (4,), "scales": 2.0, "self_sym_sizes": (1, 2, 2)}),
    (lambda F, x: F.interpolate(x[0], size=5), "UpsampleNearest1DBackward0",
     {"output_size": (5,), "scales": None, "self_sym_sizes": (1, 2, 2)}),
    (lambda F, x: F.interpolate(x[0], size=4, mode="linear", align_corners=True), "UpsampleLinear1DBackward0",
     {"align_corners": True, "output_size": (4,), "scales": None, "self_sym_sizes": (1, 2, 2)}),
    (lambda F, x: F.interpolate(x, scale_factor=(2, 3)), "UpsampleNearest2DBackward0",
     {"output_size": (4, 6), "scales_h": 2.0, "scales_w": 3.0, "self_sym_sizes": (1, 1, 2, 2)}),
    (lambda F, x: F.interpolate(x, scale_factor=2, mode="bilinear"), "UpsampleBilinear2DBackward0",
     {"align_corners": False, "output_size": (4, 4), "scales_h": 2.0, "scales_w": 2.0,
      "self_sym_sizes": (1, 1, 2, 2)}),
    (lambda F, x: F.interpolate(x.unsqueeze(2), size=3, mode="trilinear"), "UpsampleTrilinear3DBackward0",
     {"align_corners": False, "output_size": (3, 3, 3), "scales_d": None, "scales_h": None, "scales_w": None,
      "self_sym_sizes": (1, 1, 1, 2, 2)}),
])
def test_upsampling_nodes_keep_pytorchs_saved_arguments(make, name, saved):
    x = fg.ones(1, 1, 2, 2, requires_grad=True)
    node = make(fg.nn.functional, x).grad_fn
    assert node.name() == name
    assert _saved(node) == saved


def test_heaviside_node_has_edges_only_for_inputs_that_require_grad():
    x = fg.tensor([1.0, 0.0, -1.0], requires_grad=True)
    values = fg.tensor([0.5], requires_grad=True)
    edges = [type(f).__name__ for f, _ in x.heaviside(values.detach()).grad_fn.next_functions]
    assert edges == ["AccumulateGrad"]
    edges = [type(f).__name__ for f, _ in x.detach().heaviside(values).grad_fn.next_functions]
    assert edges == ["AccumulateGrad"]
    y = x.heaviside(values)
    assert len(y.grad_fn.next_functions) == 2
    assert y.tolist() == [1.0, 0.5, 0.0]
    assert x.detach().heaviside(values.detach()).grad_fn is None
    with pytest.raises(RuntimeError, match="^derivative for aten::heaviside is not implemented$"):
        y.sum().backward()
