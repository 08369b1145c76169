"""Differences from PyTorch that were closed: each expectation is PyTorch 2.13's
behaviour, recorded from it (run with FG_TEST_BACKEND=torch to check)."""

import math

import numpy as np
import pytest
from backend import fg

F64 = fg.float64


# ---- custom Function: a saved output keeps its graph under create_graph ------------------


def _exp_function():
    class Exp(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    return Exp


def _exp_second_output_function():
    class TwoOut(fg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            a = x * 2
            b = x.exp()
            ctx.save_for_backward(b)
            return a, b

        @staticmethod
        def backward(ctx, ga, gb):
            (b,) = ctx.saved_tensors
            return ga * 2 + gb * b

    return TwoOut


def test_saved_output_second_derivative():
    x = fg.tensor([0.5, 1.0], dtype=F64, requires_grad=True)
    y = _exp_function().apply(x)
    (g,) = fg.autograd.grad(y.sum(), x, create_graph=True)
    assert type(g.grad_fn).__name__ == "MulBackward0"
    (g2,) = fg.autograd.grad(g.sum(), x)
    assert g2.tolist() == pytest.approx([math.exp(0.5), math.exp(1.0)], rel=1e-12)


def test_saved_second_output_second_derivative():
    x = fg.tensor([0.5, 1.0], dtype=F64, requires_grad=True)
    _, b = _exp_second_output_function().apply(x)
    (g,) = fg.autograd.grad(b.sum(), x, create_graph=True)
    assert type(g.grad_fn).__name__ == "AddBackward0"
    assert g.tolist() == pytest.approx([math.exp(0.5), math.exp(1.0)], rel=1e-12)
    (g2,) = fg.autograd.grad(g.sum(), x)
    assert g2.tolist() == pytest.approx([math.exp(0.5), math.exp(1.0)], rel=1e-12)


def test_saved_second_output_third_derivative():
    x = fg.tensor([0.25], dtype=F64, requires_grad=True)
    _, b = _exp_second_output_function().apply(x)
    (g,) = fg.autograd.grad(b.sum(), x, create_graph=True)
    (g2,) = fg.autograd.grad(g.sum(), x, create_graph=True)
    (g3,) = fg.autograd.grad(g2.sum(), x)
    assert g3.item() == pytest.approx(math.exp(0.25), rel=1e-12)


# ---- setitem: the node PyTorch records for each kind of index ------------------------------

# (name, key, node with a tensor value, x.grad sum, value grad, y sum after,
#  node with a number value, y sum after with the number 5.0); y = x * 1 with x zeros (3, 4),
# the value ones(1) and the loss (y * arange(12).view(3, 4)).sum().
SETITEM_CASES = [
    ('slices', '(slice(0, 2), slice(1, 3))', 'CopySlices', 52.0, [14.0], 4.0, 'CopySlices', 20.0),
    ('int', '1', 'CopySlices', 44.0, [22.0], 4.0, 'CopySlices', 20.0),
    ('int_int', '(1, 2)', 'CopySlices', 60.0, [6.0], 1.0, 'CopySlices', 5.0),
    ('mask_2d', 'MASK2D', 'IndexPutBackward0', 48.0, [18.0], 4.0, 'IndexPutBackward0', 20.0),
    ('mask_rows', 'fg.tensor([True, False, True])', 'IndexPutBackward0', 22.0, [44.0], 8.0, 'IndexPutBackward0', 40.0),
    ('tensor', 'IDX', 'IndexPutBackward0', 22.0, [44.0], 8.0, 'IndexPutBackward0', 40.0),
    ('tensor_int', '(IDX, 1)', 'CopySlices', 56.0, [10.0], 2.0, 'CopySlices', 10.0),
    ('colon_tensor', '(slice(None), IDX)', 'IndexPutBackward0', 36.0, [30.0], 6.0, 'IndexPutBackward0', 30.0),
    ('list', '[0, 2]', 'IndexPutBackward0', 22.0, [44.0], 8.0, 'IndexPutBackward0', 40.0),
    ('ellipsis_int', '(Ellipsis, 1)', 'CopySlices', 51.0, [15.0], 3.0, 'CopySlices', 15.0),
    ('none', 'None', 'CopySlices', 0.0, [66.0], 12.0, 'CopySlices', 60.0),
    ('ellipsis', 'Ellipsis', 'CopyBackwards', 0.0, [66.0], 12.0, 'FillBackward3', 60.0),
    ('colon', 'slice(None)', 'CopyBackwards', 0.0, [66.0], 12.0, 'FillBackward3', 60.0),
    ('colons', '(slice(None), slice(None))', 'CopyBackwards', 0.0, [66.0], 12.0, 'FillBackward3', 60.0),
    ('empty_tuple', '()', 'CopyBackwards', 0.0, [66.0], 12.0, 'FillBackward3', 60.0),
    ('whole_range', 'slice(0, 3)', 'CopyBackwards', 0.0, [66.0], 12.0, 'FillBackward3', 60.0),
    ('past_end', '(slice(None), slice(0, 10))', 'CopyBackwards', 0.0, [66.0], 12.0, 'FillBackward3', 60.0),
    ('neg_start', 'slice(-3, None)', 'CopySlices', 0.0, [66.0], 12.0, 'CopySlices', 60.0),
    ('tensor_colon', '(IDX, slice(None))', 'IndexPutBackward0', 22.0, [44.0], 8.0, 'IndexPutBackward0', 40.0),
    ('range_tensor', '(slice(0, 3), IDX)', 'IndexPutBackward0', 36.0, [30.0], 6.0, 'IndexPutBackward0', 30.0),
    ('part_tensor', '(slice(0, 2), IDX)', 'CopySlices', 54.0, [12.0], 4.0, 'CopySlices', 20.0),
    ('none_tensor', '(None, IDX)', 'CopySlices', 22.0, [44.0], 8.0, 'CopySlices', 40.0),
    ('ellipsis_tensor', '(Ellipsis, IDX)', 'IndexPutBackward0', 36.0, [30.0], 6.0, 'IndexPutBackward0', 30.0),
    ('step_tensor', '(slice(None, None, 2), IDX)', 'CopySlices', 46.0, [20.0], 4.0, 'CopySlices', 20.0),
    ('tensor_neg_int', '(IDX, -1)', 'CopySlices', 52.0, [14.0], 2.0, 'CopySlices', 10.0),
    ('mask_int', '(fg.tensor([True, False, True]), 0)', 'CopySlices', 58.0, [8.0], 2.0, 'CopySlices', 10.0),
    ('zero_dim_tensor', '(fg.tensor(1), IDX)', 'CopySlices', 56.0, [10.0], 2.0, 'CopySlices', 10.0),
    ('int_list', '(1, [0, 1])', 'CopySlices', 57.0, [9.0], 2.0, 'CopySlices', 10.0),
    ('tensor_tensor', '(IDX, IDX)', 'IndexPutBackward0', 56.0, [10.0], 2.0, 'IndexPutBackward0', 10.0),
    ('zero_dim_index', 'fg.tensor(1)', 'CopySlices', 44.0, [22.0], 4.0, 'CopySlices', 20.0),
    ('true', 'True', 'CopySlices', 0.0, [66.0], 12.0, 'CopySlices', 60.0),
    ('bool_tensor_0d', 'fg.tensor(True)', 'CopySlices', 0.0, [66.0], 12.0, 'CopySlices', 60.0),
    ('stop_neg', 'slice(0, -1)', 'CopySlices', 38.0, [28.0], 8.0, 'CopySlices', 40.0),
]


def _key(src):
    idx = fg.tensor([0, 2])
    mask = fg.arange(12).view(3, 4) % 3 == 0
    return eval(src.replace("IDX", "idx").replace("MASK2D", "mask"), {"fg": fg, "idx": idx, "mask": mask})


@pytest.mark.parametrize("case", SETITEM_CASES, ids=[c[0] for c in SETITEM_CASES])
def test_setitem_node_and_gradients(case):
    _, src, node, x_grad_sum, v_grad, y_sum, node_number, y_sum_number = case
    w = fg.arange(12.0, dtype=F64).view(3, 4)
    x = fg.zeros(3, 4, dtype=F64, requires_grad=True)
    v = fg.ones(1, dtype=F64, requires_grad=True)
    y = x * 1
    y[_key(src)] = v
    assert type(y.grad_fn).__name__ == node
    assert y.detach().sum().item() == y_sum
    (y * w).sum().backward()
    assert x.grad.sum().item() == x_grad_sum
    assert v.grad.tolist() == v_grad

    x = fg.zeros(3, 4, dtype=F64, requires_grad=True)
    y = x * 1
    y[_key(src)] = 5.0
    assert type(y.grad_fn).__name__ == node_number
    assert y.detach().sum().item() == y_sum_number


def test_setitem_false_writes_nothing():
    x = fg.zeros(3, 4, dtype=F64, requires_grad=True)
    y = x * 1
    y[False] = fg.ones(1, dtype=F64)
    assert type(y.grad_fn).__name__ == "MulBackward0"
    assert y.sum().item() == 0.0


def test_setitem_value_leading_ones_are_dropped():
    x = fg.zeros(3, 4, dtype=F64, requires_grad=True)
    y = x * 1
    v = fg.arange(4.0, dtype=F64).view(1, 1, 4).requires_grad_()
    y[0] = v
    assert y[0].tolist() == [0.0, 1.0, 2.0, 3.0]
    y.sum().backward()
    assert v.grad.shape == (1, 1, 4)
    assert v.grad.tolist() == [[[1.0, 1.0, 1.0, 1.0]]]

    y = fg.zeros(3, 4, dtype=F64)
    y[fg.tensor([0, 1])] = fg.ones(1, 1, 2, 4, dtype=F64)
    assert y.sum().item() == 8.0


def test_setitem_whole_shape_mismatch_is_runtime_error():
    y = fg.zeros(3, 4, dtype=F64)
    with pytest.raises(RuntimeError):
        y[...] = fg.ones(2, 4, dtype=F64)


def test_setitem_gradcheck():
    idx = fg.tensor([0, 2])

    def f(x, v):
        y = x * 1
        y[idx, 1] = v
        y[1:, :2] = v * 3
        return y

    x = fg.randn(3, 4, dtype=F64, requires_grad=True)
    v = fg.randn(1, dtype=F64, requires_grad=True)
    assert fg.autograd.gradcheck(f, (x, v))
    assert fg.autograd.gradgradcheck(f, (x, v))


def _write_int_tensor(y, v):
    y[fg.tensor([0, 2]), 1] = v


def _write_slices(y, v):
    y[1:, :2] = v * 3


def _write_ints(y, v):
    y[1, 1] = v


def _write_view(y, v):
    y[:, 1:3].mul_(v)


@pytest.mark.parametrize("write", [_write_int_tensor, _write_slices, _write_ints, _write_view])
def test_setitem_second_derivatives(write):
    def f(x, v):
        y = x * x
        write(y, v * v)
        return y

    fg.manual_seed(3)
    x = fg.randn(3, 4, dtype=F64, requires_grad=True)
    v = fg.randn(1, dtype=F64, requires_grad=True)
    assert fg.autograd.gradcheck(f, (x, v))
    assert fg.autograd.gradgradcheck(f, (x, v))


# ---- in-place writes into outputs of multi-view functions and no-grad views ----------------

MULTI = (
    " This view is the output of a function that returns multiple views. Such functions do "
    "not allow the output views to be modified inplace. You should replace the inplace "
    "operation by an out-of-place one."
)
NO_GRAD = (
    " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
    "your code by moving both the view and the inplace either both inside the no_grad block "
    "(if you don't want the inplace to be tracked) or both outside (if you want the inplace "
    "to be tracked)."
)


def _y():
    return fg.zeros(3, 4, dtype=F64, requires_grad=True) * 1


@pytest.mark.parametrize(
    "name, views, nr, op",
    [
        ("unbind", lambda y: y.unbind(0), 0, "Unbind"),
        ("unbind_last", lambda y: y.unbind(1), 3, "Unbind"),
        ("unbind_fn", lambda y: fg.unbind(y), 1, "Unbind"),
        ("split", lambda y: y.split(2), 0, "Split"),
        ("split_sizes", lambda y: y.split([1, 2]), 1, "SplitWithSizes"),
        ("split_fn", lambda y: fg.split(y, [1, 2]), 0, "SplitWithSizes"),
        ("chunk", lambda y: y.chunk(2), 1, "Split"),
    ],
)
def test_inplace_on_multi_output_view_raises(name, views, nr, op):
    out = views(_y())[nr]
    with pytest.raises(RuntimeError) as e:
        out.add_(1)
    assert str(e.value) == f"Output {nr} of {op} is a view and is being modified inplace." + MULTI


@pytest.mark.parametrize(
    "views",
    [
        lambda y: y.tensor_split(2),
        lambda y: y.hsplit(2),
        lambda y: y.vsplit([1]),
        lambda y: [y.unflatten(0, (3, 1))],
        lambda y: [y[0]],
    ],
)
def test_inplace_on_other_views_is_allowed(views):
    x = fg.zeros(3, 4, dtype=F64, requires_grad=True)
    y = x * 1
    out = views(y)[0]
    out.add_(1)
    assert type(out.grad_fn).__name__ == "AsStridedBackward0"
    assert type(y.grad_fn).__name__ == "CopySlices"
    y.sum().backward()
    assert x.grad.sum().item() == 12.0


def test_multi_output_view_of_leaf_and_view_of_view():
    x = fg.zeros(3, 4, dtype=F64, requires_grad=True)
    with pytest.raises(RuntimeError) as e:
        x.unbind(0)[0].add_(1)
    assert str(e.value).startswith("Output 0 of Unbind is a view and is being modified inplace.")
    u = _y().unbind(0)
    with pytest.raises(RuntimeError) as e:
        u[0][1:].add_(1)
    assert str(e.value) == "Output 0 of Slice is a view and is being modified inplace." + MULTI
    u = _y().unbind(0)
    with pytest.raises(RuntimeError) as e:
        u[2].copy_(fg.ones(4, dtype=F64))
    assert str(e.value).startswith("Output 2 of Unbind is a view")
    u = _y().unbind(0)
    with pytest.raises(RuntimeError) as e:
        u[0][1] = 5.0
    assert str(e.value).startswith("Output 0 of Select is a view and is being modified inplace.")


def test_multi_output_views_that_may_be_written():
    u = fg.zeros(3, 4, dtype=F64).unbind(0)
    u[0].add_(1)
    assert u[0].tolist() == [1.0] * 4
    y = _y()
    u = y.unbind(0)
    u[1].detach().add_(1)
    with fg.no_grad():
        u[2].add_(2)
    assert y.detach().sum().item() == 12.0


def test_view_made_in_no_grad_mode_then_written_with_grad():
    y = _y()
    with fg.no_grad():
        v = y[0:2]
        u = y.unbind(0)
        s = y.split(2)
    for t in (v, u[0], s[0]):
        with pytest.raises(RuntimeError) as e:
            t.add_(1)
        msg = "A view was created in no_grad mode and is being modified inplace with grad mode enabled."
        assert str(e.value) == msg + NO_GRAD
    vv = v[0:1]
    with pytest.raises(RuntimeError) as e:
        vv.add_(1)
    assert "created in no_grad mode and is being modified inplace with grad mode enabled" in str(e.value)
    assert str(e.value).endswith(NO_GRAD)
    leaf = fg.zeros(3, requires_grad=True)
    with fg.no_grad():
        lv = leaf[0:2]
    with pytest.raises(RuntimeError) as e:
        lv.add_(1)
    assert str(e.value).startswith("A view was created in no_grad mode")
    v.detach().add_(1)
    assert y.detach().sum().item() == 8.0


# ---- keyword forms of the size arguments ------------------------------------------------


def test_size_keywords():
    t = fg.arange(6.0).view(2, 3)
    assert t.view(size=(3, 2)).shape == (3, 2)
    assert t.view(size=[6]).shape == (6,)
    assert t.view(dtype=fg.int32).dtype == fg.int32
    assert t[:1].expand(size=(4, 3)).shape == (4, 3)
    assert t[:1].expand(size=(4, 3), implicit=True).shape == (4, 3)
    assert t[:1].expand(4, 3, implicit=False).shape == (4, 3)
    assert t.reshape(shape=(3, 2)).shape == (3, 2)
    assert t.permute(dims=(1, 0)).shape == (3, 2)
    assert t.repeat(repeats=(2, 1)).shape == (4, 3)
    assert t.flip(dims=(0,)).tolist() == [[3.0, 4.0, 5.0], [0.0, 1.0, 2.0]]
    assert fg.reshape(input=t, shape=(3, 2)).shape == (3, 2)
    assert fg.permute(input=t, dims=(1, 0)).shape == (3, 2)
    assert fg.flip(input=t, dims=(1,)).tolist() == [[2.0, 1.0, 0.0], [5.0, 4.0, 3.0]]
    assert t.tile(dims=(2,)).shape == (2, 6)


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.view(3, size=2),
        lambda t: t.view(shape=(3, 2)),
        lambda t: t.view(size=6),
        lambda t: t.reshape(size=(3, 2)),
        lambda t: t.reshape(shape=6),
        lambda t: t.permute(dim=(1, 0)),
        lambda t: t.expand(sizes=(2, 3)),
        lambda t: t.expand(size=3),
        lambda t: t.repeat(sizes=(2, 1)),
        lambda t: t.repeat(repeats=2),
        lambda t: t.flip(dim=(0,)),
    ],
)
def test_size_keyword_errors_are_type_errors(call):
    with pytest.raises(TypeError):
        call(fg.arange(6.0).view(2, 3))


def test_size_keywords_keep_gradients():
    x = fg.arange(6.0, dtype=F64).requires_grad_()
    y = x.view(size=(2, 3)).permute(dims=(1, 0)).reshape(shape=(6,))
    assert type(y.grad_fn).__name__ == "UnsafeViewBackward0"
    (y * fg.arange(6.0, dtype=F64)).sum().backward()
    assert x.grad.tolist() == [0.0, 2.0, 4.0, 1.0, 3.0, 5.0]


# ---- result_type / can_cast / promote_types keywords -----------------------------------------


def test_promotion_keywords():
    t = fg.ones(2, dtype=fg.int32)
    assert fg.result_type(tensor=t, other=1.5) == fg.float32
    assert fg.result_type(tensor=t, other=fg.ones(1)) == fg.float32
    assert fg.result_type(t, other=2) == fg.int32
    assert fg.result_type(2, t) == fg.int32
    assert fg.result_type(scalar=2.5, tensor=t) == fg.float32
    assert fg.result_type(scalar1=2, scalar2=2.5) == fg.float32
    assert fg.result_type(scalar1=2, scalar2=3) == fg.int64
    assert fg.can_cast(from_=fg.float32, to=fg.int32) is False
    assert fg.can_cast(fg.int32, to=fg.float32) is True
    assert fg.promote_types(type1=fg.int32, type2=fg.float32) == fg.float32
    assert fg.promote_types(fg.int32, type2=fg.float64) == fg.float64


@pytest.mark.parametrize(
    "call",
    [
        lambda t: fg.result_type(scalar1=2, tensor=t),
        lambda t: fg.result_type(a=t, b=t),
        lambda t: fg.result_type(t, None),
        lambda t: fg.result_type(tensor=t),
        lambda t: fg.can_cast(src=fg.int32, dst=fg.float32),
        lambda t: fg.promote_types(a=fg.int32, b=fg.float32),
    ],
)
def test_promotion_keyword_errors(call):
    with pytest.raises(TypeError):
        call(fg.ones(2, dtype=fg.int32))


# ---- matmul: PyTorch's decomposition, node by node ------------------------------------------

# (a shape, b shape, (a requires grad, b requires grad), result shape, the graph from the
# result's grad_fn, children in next_functions order, leaves as L).
MATMUL_GRAPHS = [
    ((3,), (3,), (True, True), (), 'DotBackward0(L,L)'),
    ((3,), (3,), (True, False), (), 'DotBackward0(L)'),
    ((3,), (3,), (False, True), (), 'DotBackward0(L)'),
    ((3,), (3, 2), (True, True), (2,), 'SqueezeBackward4(MmBackward0(UnsqueezeBackward0(L),L))'),
    ((3,), (3, 2), (True, False), (2,), 'SqueezeBackward4(MmBackward0(UnsqueezeBackward0(L)))'),
    ((3,), (3, 2), (False, True), (2,), 'SqueezeBackward4(MmBackward0(L))'),
    ((3,), (3, 2), (True, True), (2,), 'SqueezeBackward4(MmBackward0(UnsqueezeBackward0(L),L))'),
    ((3,), (3, 2), (True, False), (2,), 'SqueezeBackward4(MmBackward0(UnsqueezeBackward0(L)))'),
    ((3,), (3, 2), (False, True), (2,), 'SqueezeBackward4(MmBackward0(L))'),
    ((3,), (4, 3, 2), (True, True), (4, 2), 'UnsafeViewBackward0(MvBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),L))'),
    ((3,), (4, 3, 2), (True, False), (4, 2), 'UnsafeViewBackward0(MvBackward0(L))'),
    ((3,), (4, 3, 2), (False, True), (4, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((3,), (1, 3, 2), (True, True), (1, 2), 'UnsafeViewBackward0(MvBackward0(ReshapeAliasBackward0(TransposeBackward0(L)),L))'),
    ((3,), (1, 3, 2), (True, False), (1, 2), 'UnsafeViewBackward0(MvBackward0(L))'),
    ((3,), (1, 3, 2), (False, True), (1, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((3,), (5, 4, 3, 2), (True, True), (5, 4, 2), 'UnsafeViewBackward0(MvBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),L))'),
    ((3,), (5, 4, 3, 2), (True, False), (5, 4, 2), 'UnsafeViewBackward0(MvBackward0(L))'),
    ((3,), (5, 4, 3, 2), (False, True), (5, 4, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((3,), (5, 1, 3, 2), (True, True), (5, 1, 2), 'UnsafeViewBackward0(MvBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),L))'),
    ((3,), (5, 1, 3, 2), (True, False), (5, 1, 2), 'UnsafeViewBackward0(MvBackward0(L))'),
    ((3,), (5, 1, 3, 2), (False, True), (5, 1, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((3,), (1, 4, 3, 2), (True, True), (1, 4, 2), 'UnsafeViewBackward0(MvBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),L))'),
    ((3,), (1, 4, 3, 2), (True, False), (1, 4, 2), 'UnsafeViewBackward0(MvBackward0(L))'),
    ((3,), (1, 4, 3, 2), (False, True), (1, 4, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((3,), (1, 1, 3, 2), (True, True), (1, 1, 2), 'UnsafeViewBackward0(MvBackward0(ReshapeAliasBackward0(TransposeBackward0(L)),L))'),
    ((3,), (1, 1, 3, 2), (True, False), (1, 1, 2), 'UnsafeViewBackward0(MvBackward0(L))'),
    ((3,), (1, 1, 3, 2), (False, True), (1, 1, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((2, 3), (3,), (True, True), (2,), 'MvBackward0(L,L)'),
    ((2, 3), (3,), (True, False), (2,), 'MvBackward0(L)'),
    ((2, 3), (3,), (False, True), (2,), 'MvBackward0(L)'),
    ((1, 3), (3,), (True, True), (1,), 'MvBackward0(L,L)'),
    ((1, 3), (3,), (True, False), (1,), 'MvBackward0(L)'),
    ((1, 3), (3,), (False, True), (1,), 'MvBackward0(L)'),
    ((2, 3), (3, 2), (True, True), (2, 2), 'MmBackward0(L,L)'),
    ((2, 3), (3, 2), (True, False), (2, 2), 'MmBackward0(L)'),
    ((2, 3), (3, 2), (False, True), (2, 2), 'MmBackward0(L)'),
    ((2, 3), (3, 2), (True, True), (2, 2), 'MmBackward0(L,L)'),
    ((2, 3), (3, 2), (True, False), (2, 2), 'MmBackward0(L)'),
    ((2, 3), (3, 2), (False, True), (2, 2), 'MmBackward0(L)'),
    ((1, 3), (3, 2), (True, True), (1, 2), 'MmBackward0(L,L)'),
    ((1, 3), (3, 2), (True, False), (1, 2), 'MmBackward0(L)'),
    ((1, 3), (3, 2), (False, True), (1, 2), 'MmBackward0(L)'),
    ((1, 3), (3, 2), (True, True), (1, 2), 'MmBackward0(L,L)'),
    ((1, 3), (3, 2), (True, False), (1, 2), 'MmBackward0(L)'),
    ((1, 3), (3, 2), (False, True), (1, 2), 'MmBackward0(L)'),
    ((2, 3), (4, 3, 2), (True, True), (4, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),TBackward0(L)))))'),
    ((2, 3), (4, 3, 2), (True, False), (4, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(L)))))'),
    ((2, 3), (4, 3, 2), (False, True), (4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((2, 3), (1, 3, 2), (True, True), (1, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(ReshapeAliasBackward0(TransposeBackward0(L)),TBackward0(L)))))'),
    ((2, 3), (1, 3, 2), (True, False), (1, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(L)))))'),
    ((2, 3), (1, 3, 2), (False, True), (1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 3), (4, 3, 2), (True, True), (4, 1, 2), 'TransposeBackward0(UnsafeViewBackward0(MmBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),TBackward0(L))))'),
    ((1, 3), (4, 3, 2), (True, False), (4, 1, 2), 'TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(L))))'),
    ((1, 3), (4, 3, 2), (False, True), (4, 1, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 3), (1, 3, 2), (True, True), (1, 1, 2), 'TransposeBackward0(UnsafeViewBackward0(MmBackward0(ReshapeAliasBackward0(TransposeBackward0(L)),TBackward0(L))))'),
    ((1, 3), (1, 3, 2), (True, False), (1, 1, 2), 'TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(L))))'),
    ((1, 3), (1, 3, 2), (False, True), (1, 1, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((2, 3), (5, 4, 3, 2), (True, True), (5, 4, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),TBackward0(L)))))'),
    ((2, 3), (5, 4, 3, 2), (True, False), (5, 4, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(L)))))'),
    ((2, 3), (5, 4, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((2, 3), (5, 1, 3, 2), (True, True), (5, 1, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),TBackward0(L)))))'),
    ((2, 3), (5, 1, 3, 2), (True, False), (5, 1, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(L)))))'),
    ((2, 3), (5, 1, 3, 2), (False, True), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((2, 3), (1, 4, 3, 2), (True, True), (1, 4, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),TBackward0(L)))))'),
    ((2, 3), (1, 4, 3, 2), (True, False), (1, 4, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(L)))))'),
    ((2, 3), (1, 4, 3, 2), (False, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((2, 3), (1, 1, 3, 2), (True, True), (1, 1, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(ReshapeAliasBackward0(TransposeBackward0(L)),TBackward0(L)))))'),
    ((2, 3), (1, 1, 3, 2), (True, False), (1, 1, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(L)))))'),
    ((2, 3), (1, 1, 3, 2), (False, True), (1, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 3), (5, 4, 3, 2), (True, True), (5, 4, 1, 2), 'TransposeBackward0(UnsafeViewBackward0(MmBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),TBackward0(L))))'),
    ((1, 3), (5, 4, 3, 2), (True, False), (5, 4, 1, 2), 'TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(L))))'),
    ((1, 3), (5, 4, 3, 2), (False, True), (5, 4, 1, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 3), (5, 1, 3, 2), (True, True), (5, 1, 1, 2), 'TransposeBackward0(UnsafeViewBackward0(MmBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),TBackward0(L))))'),
    ((1, 3), (5, 1, 3, 2), (True, False), (5, 1, 1, 2), 'TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(L))))'),
    ((1, 3), (5, 1, 3, 2), (False, True), (5, 1, 1, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 3), (1, 4, 3, 2), (True, True), (1, 4, 1, 2), 'TransposeBackward0(UnsafeViewBackward0(MmBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),TBackward0(L))))'),
    ((1, 3), (1, 4, 3, 2), (True, False), (1, 4, 1, 2), 'TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(L))))'),
    ((1, 3), (1, 4, 3, 2), (False, True), (1, 4, 1, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 3), (1, 1, 3, 2), (True, True), (1, 1, 1, 2), 'TransposeBackward0(UnsafeViewBackward0(MmBackward0(ReshapeAliasBackward0(TransposeBackward0(L)),TBackward0(L))))'),
    ((1, 3), (1, 1, 3, 2), (True, False), (1, 1, 1, 2), 'TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(L))))'),
    ((1, 3), (1, 1, 3, 2), (False, True), (1, 1, 1, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (3,), (True, True), (4, 2), 'UnsafeViewBackward0(MvBackward0(ViewBackward0(L),L))'),
    ((4, 2, 3), (3,), (True, False), (4, 2), 'UnsafeViewBackward0(MvBackward0(ViewBackward0(L)))'),
    ((4, 2, 3), (3,), (False, True), (4, 2), 'UnsafeViewBackward0(MvBackward0(L))'),
    ((1, 2, 3), (3,), (True, True), (1, 2), 'UnsafeViewBackward0(MvBackward0(ViewBackward0(L),L))'),
    ((1, 2, 3), (3,), (True, False), (1, 2), 'UnsafeViewBackward0(MvBackward0(ViewBackward0(L)))'),
    ((1, 2, 3), (3,), (False, True), (1, 2), 'UnsafeViewBackward0(MvBackward0(L))'),
    ((4, 2, 3), (3, 2), (True, True), (4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),L))'),
    ((4, 2, 3), (3, 2), (True, False), (4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L)))'),
    ((4, 2, 3), (3, 2), (False, True), (4, 2, 2), 'UnsafeViewBackward0(MmBackward0(L))'),
    ((4, 2, 3), (3, 2), (True, True), (4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),L))'),
    ((4, 2, 3), (3, 2), (True, False), (4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L)))'),
    ((4, 2, 3), (3, 2), (False, True), (4, 2, 2), 'UnsafeViewBackward0(MmBackward0(L))'),
    ((1, 2, 3), (3, 2), (True, True), (1, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),L))'),
    ((1, 2, 3), (3, 2), (True, False), (1, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L)))'),
    ((1, 2, 3), (3, 2), (False, True), (1, 2, 2), 'UnsafeViewBackward0(MmBackward0(L))'),
    ((1, 2, 3), (3, 2), (True, True), (1, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),L))'),
    ((1, 2, 3), (3, 2), (True, False), (1, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L)))'),
    ((1, 2, 3), (3, 2), (False, True), (1, 2, 2), 'UnsafeViewBackward0(MmBackward0(L))'),
    ((4, 2, 3), (4, 3, 2), (True, True), (4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (4, 3, 2), (True, False), (4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (4, 3, 2), (False, True), (4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (1, 3, 2), (True, True), (4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),SqueezeBackward1(L)))'),
    ((4, 2, 3), (1, 3, 2), (True, False), (4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (1, 3, 2), (False, True), (4, 2, 2), 'UnsafeViewBackward0(MmBackward0(SqueezeBackward1(L)))'),
    ((1, 2, 3), (4, 3, 2), (True, True), (4, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(UnsafeViewBackward0(CloneBackward0(TransposeBackward0(L))),TBackward0(SqueezeBackward1(L))))))'),
    ((1, 2, 3), (4, 3, 2), (True, False), (4, 2, 2), 'CloneBackward0(TransposeBackward0(UnsafeViewBackward0(MmBackward0(TBackward0(SqueezeBackward1(L))))))'),
    ((1, 2, 3), (4, 3, 2), (False, True), (4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (1, 3, 2), (True, True), (1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (1, 3, 2), (True, False), (1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (1, 3, 2), (False, True), (1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (5, 4, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L))),ViewBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (5, 4, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((4, 2, 3), (5, 4, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (5, 1, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L))),UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((4, 2, 3), (5, 1, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((4, 2, 3), (5, 1, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((4, 2, 3), (1, 4, 3, 2), (True, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (1, 4, 3, 2), (True, False), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (1, 4, 3, 2), (False, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (1, 1, 3, 2), (True, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (1, 1, 3, 2), (True, False), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((4, 2, 3), (1, 1, 3, 2), (False, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (5, 4, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (5, 4, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (5, 4, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (5, 1, 3, 2), (True, True), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (5, 1, 3, 2), (True, False), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (5, 1, 3, 2), (False, True), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (1, 4, 3, 2), (True, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (1, 4, 3, 2), (True, False), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (1, 4, 3, 2), (False, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (1, 1, 3, 2), (True, True), (1, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (1, 1, 3, 2), (True, False), (1, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 2, 3), (1, 1, 3, 2), (False, True), (1, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 4, 2, 3), (3,), (True, True), (5, 4, 2), 'UnsafeViewBackward0(MvBackward0(ViewBackward0(L),L))'),
    ((5, 4, 2, 3), (3,), (True, False), (5, 4, 2), 'UnsafeViewBackward0(MvBackward0(ViewBackward0(L)))'),
    ((5, 4, 2, 3), (3,), (False, True), (5, 4, 2), 'UnsafeViewBackward0(MvBackward0(L))'),
    ((5, 1, 2, 3), (3,), (True, True), (5, 1, 2), 'UnsafeViewBackward0(MvBackward0(ViewBackward0(L),L))'),
    ((5, 1, 2, 3), (3,), (True, False), (5, 1, 2), 'UnsafeViewBackward0(MvBackward0(ViewBackward0(L)))'),
    ((5, 1, 2, 3), (3,), (False, True), (5, 1, 2), 'UnsafeViewBackward0(MvBackward0(L))'),
    ((1, 4, 2, 3), (3,), (True, True), (1, 4, 2), 'UnsafeViewBackward0(MvBackward0(ViewBackward0(L),L))'),
    ((1, 4, 2, 3), (3,), (True, False), (1, 4, 2), 'UnsafeViewBackward0(MvBackward0(ViewBackward0(L)))'),
    ((1, 4, 2, 3), (3,), (False, True), (1, 4, 2), 'UnsafeViewBackward0(MvBackward0(L))'),
    ((1, 1, 2, 3), (3,), (True, True), (1, 1, 2), 'UnsafeViewBackward0(MvBackward0(ViewBackward0(L),L))'),
    ((1, 1, 2, 3), (3,), (True, False), (1, 1, 2), 'UnsafeViewBackward0(MvBackward0(ViewBackward0(L)))'),
    ((1, 1, 2, 3), (3,), (False, True), (1, 1, 2), 'UnsafeViewBackward0(MvBackward0(L))'),
    ((5, 4, 2, 3), (3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),L))'),
    ((5, 4, 2, 3), (3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L)))'),
    ((5, 4, 2, 3), (3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(MmBackward0(L))'),
    ((5, 4, 2, 3), (3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),L))'),
    ((5, 4, 2, 3), (3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L)))'),
    ((5, 4, 2, 3), (3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(MmBackward0(L))'),
    ((5, 1, 2, 3), (3, 2), (True, True), (5, 1, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),L))'),
    ((5, 1, 2, 3), (3, 2), (True, False), (5, 1, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L)))'),
    ((5, 1, 2, 3), (3, 2), (False, True), (5, 1, 2, 2), 'UnsafeViewBackward0(MmBackward0(L))'),
    ((5, 1, 2, 3), (3, 2), (True, True), (5, 1, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),L))'),
    ((5, 1, 2, 3), (3, 2), (True, False), (5, 1, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L)))'),
    ((5, 1, 2, 3), (3, 2), (False, True), (5, 1, 2, 2), 'UnsafeViewBackward0(MmBackward0(L))'),
    ((1, 4, 2, 3), (3, 2), (True, True), (1, 4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),L))'),
    ((1, 4, 2, 3), (3, 2), (True, False), (1, 4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L)))'),
    ((1, 4, 2, 3), (3, 2), (False, True), (1, 4, 2, 2), 'UnsafeViewBackward0(MmBackward0(L))'),
    ((1, 4, 2, 3), (3, 2), (True, True), (1, 4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),L))'),
    ((1, 4, 2, 3), (3, 2), (True, False), (1, 4, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L)))'),
    ((1, 4, 2, 3), (3, 2), (False, True), (1, 4, 2, 2), 'UnsafeViewBackward0(MmBackward0(L))'),
    ((1, 1, 2, 3), (3, 2), (True, True), (1, 1, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),L))'),
    ((1, 1, 2, 3), (3, 2), (True, False), (1, 1, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L)))'),
    ((1, 1, 2, 3), (3, 2), (False, True), (1, 1, 2, 2), 'UnsafeViewBackward0(MmBackward0(L))'),
    ((1, 1, 2, 3), (3, 2), (True, True), (1, 1, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L),L))'),
    ((1, 1, 2, 3), (3, 2), (True, False), (1, 1, 2, 2), 'UnsafeViewBackward0(MmBackward0(ViewBackward0(L)))'),
    ((1, 1, 2, 3), (3, 2), (False, True), (1, 1, 2, 2), 'UnsafeViewBackward0(MmBackward0(L))'),
    ((5, 4, 2, 3), (4, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 4, 2, 3), (4, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 4, 2, 3), (4, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 4, 2, 3), (1, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((5, 4, 2, 3), (1, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 4, 2, 3), (1, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((5, 1, 2, 3), (4, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L))),UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 1, 2, 3), (4, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 1, 2, 3), (4, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 1, 2, 3), (1, 3, 2), (True, True), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((5, 1, 2, 3), (1, 3, 2), (True, False), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 1, 2, 3), (1, 3, 2), (False, True), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (4, 3, 2), (True, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (4, 3, 2), (True, False), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (4, 3, 2), (False, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (1, 3, 2), (True, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (1, 3, 2), (True, False), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (1, 3, 2), (False, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (4, 3, 2), (True, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (4, 3, 2), (True, False), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (4, 3, 2), (False, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (1, 3, 2), (True, True), (1, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (1, 3, 2), (True, False), (1, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (1, 3, 2), (False, True), (1, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 4, 2, 3), (5, 4, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((5, 4, 2, 3), (5, 4, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 4, 2, 3), (5, 4, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 4, 2, 3), (5, 1, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 4, 2, 3), (5, 1, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 4, 2, 3), (5, 1, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 4, 2, 3), (1, 4, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 4, 2, 3), (1, 4, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 4, 2, 3), (1, 4, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 4, 2, 3), (1, 1, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((5, 4, 2, 3), (1, 1, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 4, 2, 3), (1, 1, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((5, 1, 2, 3), (5, 4, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L))),ViewBackward0(ExpandBackward0(L))))'),
    ((5, 1, 2, 3), (5, 4, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 1, 2, 3), (5, 4, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 1, 2, 3), (5, 1, 3, 2), (True, True), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((5, 1, 2, 3), (5, 1, 3, 2), (True, False), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 1, 2, 3), (5, 1, 3, 2), (False, True), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 1, 2, 3), (1, 4, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L))),UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 1, 2, 3), (1, 4, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 1, 2, 3), (1, 4, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((5, 1, 2, 3), (1, 1, 3, 2), (True, True), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((5, 1, 2, 3), (1, 1, 3, 2), (True, False), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((5, 1, 2, 3), (1, 1, 3, 2), (False, True), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (5, 4, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L))),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (5, 4, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((1, 4, 2, 3), (5, 4, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (5, 1, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L))),UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((1, 4, 2, 3), (5, 1, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((1, 4, 2, 3), (5, 1, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(UnsafeViewBackward0(CloneBackward0(ExpandBackward0(L)))))'),
    ((1, 4, 2, 3), (1, 4, 3, 2), (True, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (1, 4, 3, 2), (True, False), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (1, 4, 3, 2), (False, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (1, 1, 3, 2), (True, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (1, 1, 3, 2), (True, False), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 4, 2, 3), (1, 1, 3, 2), (False, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (5, 4, 3, 2), (True, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (5, 4, 3, 2), (True, False), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (5, 4, 3, 2), (False, True), (5, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (5, 1, 3, 2), (True, True), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (5, 1, 3, 2), (True, False), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (5, 1, 3, 2), (False, True), (5, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (1, 4, 3, 2), (True, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (1, 4, 3, 2), (True, False), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ReshapeAliasBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (1, 4, 3, 2), (False, True), (1, 4, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (1, 1, 3, 2), (True, True), (1, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L)),ViewBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (1, 1, 3, 2), (True, False), (1, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
    ((1, 1, 2, 3), (1, 1, 3, 2), (False, True), (1, 1, 2, 2), 'UnsafeViewBackward0(BmmBackward0(ViewBackward0(ExpandBackward0(L))))'),
]


def _graph(fn):
    if fn is None:
        return "None"
    name = type(fn).__name__
    if name == "AccumulateGrad":
        return "L"
    kids = [_graph(f) for f, _ in fn.next_functions]
    kids = [k for k in kids if k != "None"]
    return name + ("(" + ",".join(kids) + ")" if kids else "")


@pytest.mark.parametrize("case", MATMUL_GRAPHS, ids=[f"{c[0]}@{c[1]}-{c[2]}" for c in MATMUL_GRAPHS])
def test_matmul_graph(case):
    sa, sb, (ga, gb), shape, graph = case
    a = fg.ones(*sa, dtype=F64, requires_grad=ga)
    b = fg.ones(*sb, dtype=F64, requires_grad=gb)
    y = a @ b
    assert tuple(y.shape) == shape
    assert _graph(y.grad_fn) == graph
    assert y.detach().flatten().tolist() == [3.0] * y.numel()


@pytest.mark.parametrize(
    "sa, sb",
    [((3,), (4, 3, 2)), ((1, 3), (4, 3, 2)), ((1, 2, 3), (4, 3, 2)), ((4, 2, 3), (1, 3, 2)),
     ((5, 1, 2, 3), (4, 3, 2)), ((2, 3), (1, 1, 3, 2)), ((4, 2, 3), (3,))],
)
def test_matmul_gradcheck(sa, sb):
    a = fg.randn(*sa, dtype=F64, requires_grad=True)
    b = fg.randn(*sb, dtype=F64, requires_grad=True)
    assert fg.autograd.gradcheck(fg.matmul, (a, b))
    assert fg.autograd.gradgradcheck(fg.matmul, (a, b))


def test_matmul_values_folded_and_batched():
    a = fg.arange(6.0, dtype=F64).view(1, 2, 3).requires_grad_()
    b = fg.arange(24.0, dtype=F64).view(4, 3, 2)
    y = a @ b
    assert type(y.grad_fn).__name__ == "CloneBackward0"
    na = np.arange(6.0).reshape(1, 2, 3)
    nb = np.arange(24.0).reshape(4, 3, 2)
    assert y.tolist() == (na @ nb).tolist()
    y.sum().backward()
    assert a.grad.tolist() == (np.ones((4, 2, 2)) @ nb.transpose(0, 2, 1)).sum(0, keepdims=True).tolist()


def test_matmul_non_contiguous_batched_operand():
    base = fg.arange(24.0, dtype=F64).view(2, 4, 3)
    a = base.transpose(0, 1)  # (4, 2, 3), not foldable without a copy
    b = fg.ones(3, 2, dtype=F64)
    y = a @ b
    assert y.shape == (4, 2, 2)
    assert y[:, 0, 0].tolist() == [3.0, 12.0, 21.0, 30.0]
    x = a.detach().requires_grad_()
    assert type((x @ b).grad_fn).__name__ == "UnsafeViewBackward0"


def test_matmul_shape_errors():
    with pytest.raises(RuntimeError):
        fg.ones(4, 2, 3) @ fg.ones(4, 2)
    with pytest.raises(RuntimeError):
        fg.ones(4, 2, 3) @ fg.ones(4, 2, 2)
    with pytest.raises(RuntimeError):
        fg.ones(4, 2, 3) @ fg.ones(5, 3, 2)
    with pytest.raises(RuntimeError):
        fg.ones(3) @ fg.ones(4, 2, 2)


def test_reshape_node_names():
    x = fg.ones(4, 3, dtype=F64, requires_grad=True) * 1
    assert type(x[:, :2].reshape(4, 2, 1).grad_fn).__name__ == "ReshapeAliasBackward0"
    assert type(x[:, :2].reshape(8).grad_fn).__name__ == "UnsafeViewBackward0"
    assert type(x[1:].reshape(9).grad_fn).__name__ == "ViewBackward0"
    assert type(x.t().reshape(3, 2, 2).grad_fn).__name__ == "ReshapeAliasBackward0"
    assert type(x.t().reshape(-1, 4).grad_fn).__name__ == "ReshapeAliasBackward0"
    assert type(x.t().view(3, 4).grad_fn).__name__ == "ViewBackward0"
    assert type(x.reshape(12).grad_fn).__name__ == "ViewBackward0"


# ---- clamp of bool tensors, slogdet's sign, dist(p=0), Python ints past int64 ------------


def test_clamp_bool_promotes_with_number_bounds():
    b = fg.tensor([True, False, True])
    r = fg.clamp(b, min=0)
    assert r.dtype == fg.int64 and r.tolist() == [1, 0, 1]
    assert fg.clamp(b, max=0).tolist() == [0, 0, 0]
    assert fg.clip(b, 0, 1).tolist() == [1, 0, 1]
    r = fg.clamp(b, min=0.5)
    assert r.dtype == fg.float32 and r.tolist() == [1.0, 0.5, 1.0]
    r = fg.clamp(b, min=fg.tensor([False, True, False]))
    assert r.dtype == fg.bool and r.tolist() == [True, True, True]
    r = fg.clamp(b, max=fg.tensor([1, 0, 0]))
    assert r.dtype == fg.int64 and r.tolist() == [1, 0, 0]
    assert fg.clamp_min(b, 0).tolist() == [1, 0, 1]
    assert fg.clamp_max(b, 0).tolist() == [0, 0, 0]


@pytest.mark.parametrize(
    "call, kernel",
    [
        (lambda b: fg.clamp(b, True, False), "clamp_scalar_cpu"),
        (lambda b: fg.clamp(b, min=True), "clamp_min_scalar_cpu"),
        (lambda b: fg.clamp(b, max=True), "clamp_max_scalar_cpu"),
        (lambda b: fg.clamp_min(b, True), "clamp_min_scalar_cpu"),
    ],
)
def test_clamp_bool_with_bool_numbers_has_no_kernel(call, kernel):
    with pytest.raises(NotImplementedError) as e:
        call(fg.tensor([True, False]))
    assert str(e.value) == f'"{kernel}" not implemented for \'Bool\''


def test_clamp_bool_errors():
    b = fg.tensor([True, False, True])
    with pytest.raises(RuntimeError) as e:
        b.clone().clamp_(min=0)
    assert str(e.value).lower() == "result type long can't be cast to the desired output type bool"
    with pytest.raises(RuntimeError):
        fg.clamp(b)


def test_slogdet_sign_has_no_gradient():
    a = fg.tensor([[2.0, 1.0], [1.0, 3.0]], dtype=F64, requires_grad=True)
    sign, logabs = fg.linalg.slogdet(a)
    assert type(sign.grad_fn).__name__ == "LinalgSlogdetBackward0"
    assert sign.requires_grad
    assert type(logabs.grad_fn).__name__ == "LinalgSlogdetBackward0"
    assert fg.autograd.grad(sign.sum(), a, allow_unused=True) == (None,)
    sign, logabs = fg.linalg.slogdet(a)
    (sign * 2 + logabs).backward()
    assert a.grad.flatten().tolist() == pytest.approx([0.6, -0.2, -0.2, 0.4], rel=1e-12)
    sign, _ = fg.slogdet(a)
    assert fg.autograd.grad(sign.sum(), a, allow_unused=True) == (None,)


def test_dist_p0_backward_gives_no_gradient():
    x = fg.tensor([1.0, 0.0, 3.0], dtype=F64, requires_grad=True)
    y = fg.tensor([0.0, 0.0, 1.0], dtype=F64)
    d = fg.dist(x, y, 0)
    assert d.item() == 2.0
    assert type(d.grad_fn).__name__ == "DistBackward0"
    d.backward()
    assert x.grad is None
    assert fg.autograd.grad(fg.dist(x, y, 0), x, allow_unused=True) == (None,)
    y.requires_grad_()
    with pytest.raises(RuntimeError) as e:
        fg.dist(x, y, 0).backward()
    assert "Expected a proper Tensor but got None" in str(e.value)
    x.grad = None
    fg.dist(x, y.detach(), 1).backward()
    assert x.grad.tolist() == [1.0, 0.0, 1.0]


@pytest.mark.parametrize(
    "call, exc, message",
    [
        (lambda: fg.ones(2) + 2**64, OverflowError, "int too big to convert"),
        (lambda: fg.ones(2, dtype=fg.int64) + 2**64, OverflowError, "int too big to convert"),
        (lambda: fg.full((2,), 2**70), OverflowError, "int too big to convert"),
        (lambda: fg.ones(2).fill_(2**64), OverflowError, "int too big to convert"),
        (lambda: fg.ones(2).clamp(max=2**64), OverflowError, "int too big to convert"),
        (lambda: fg.where(fg.ones(2) > 0, fg.ones(2), 2**64), OverflowError, "int too big to convert"),
        (lambda: fg.ones(2) ** (2**64), OverflowError, "int too big to convert"),
        (lambda: fg.ones(2) == 2**64, OverflowError, "int too big to convert"),
        (lambda: fg.ones(2) / 2**64, OverflowError, "int too big to convert"),
        (lambda: 2**64 + fg.ones(2), OverflowError, "int too big to convert"),
        (lambda: fg.ones(2) + (-(2**63) - 1), OverflowError, "can't convert negative int to unsigned"),
        (lambda: fg.ones(2) * -(2**70), OverflowError, "can't convert negative int to unsigned"),
        (lambda: fg.tensor(2**63), ValueError, "Overflow when unpacking long long"),
        (lambda: fg.tensor(-(2**63) - 1), ValueError, "Overflow when unpacking long long"),
        (lambda: fg.as_tensor(2**64), ValueError, "Overflow when unpacking long long"),
    ],
)
def test_python_int_overflow(call, exc, message):
    with pytest.raises(exc) as e:
        call()
    assert str(e.value) == message


# ---- save of dtype views, set_ from storages ---------------------------------------------


def _round_trip(obj):
    import io

    buf = io.BytesIO()
    fg.save(obj, buf)
    buf.seek(0)
    return fg.load(buf)


def test_save_dtype_view():
    t = fg.arange(4, dtype=fg.float32)
    back = _round_trip(t.view(fg.int32))
    assert back.dtype == fg.int32
    assert back.tolist() == [0, 1065353216, 1073741824, 1077936128]
    with pytest.raises(RuntimeError) as e:
        _round_trip([t, t.view(fg.int32)])
    assert str(e.value) == "Cannot save multiple tensors or storages that view the same data as different types"
    a, b = _round_trip([t, t[1:]])
    assert a.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert b.tolist() == [1.0, 2.0, 3.0]


def test_set_from_storage():
    src = fg.arange(6.0)
    x = fg.empty(0)
    x.set_(src.untyped_storage(), 2, (2,), (1,))
    assert x.tolist() == [2.0, 3.0]
    x[0] = 9.0
    assert src[2].item() == 9.0
    x = fg.empty(0)
    x.set_(source=src.untyped_storage())
    assert x.shape == (6,) and x.dtype == fg.float32
    x = fg.empty(0)
    x.set_(source=src.untyped_storage(), storage_offset=1, size=(2,), stride=(2,))
    assert x.tolist() == [1.0, 3.0]
    x = fg.empty(0)
    x.set_(src.storage(), 1, (2, 2), (2, 1))
    assert x.tolist() == [[1.0, 9.0], [3.0, 4.0]]
    y = fg.empty(0, dtype=fg.float64).set_(fg.arange(6.0).untyped_storage())
    assert y.shape == (3,)
    assert y.tolist() == [0.0078125, 32.00000762939453, 2048.0004920959473]


def test_set_from_storage_errors():
    with pytest.raises(RuntimeError):
        fg.empty(0, dtype=fg.int64).set_(fg.arange(6.0).storage())
    with pytest.raises(TypeError):
        fg.empty(0).set_(fg.arange(6.0).untyped_storage(), 1)
