"""Autograd details checked against PyTorch 2.13 (values observed there, hard-coded):
the `_saved_*` attributes of common nodes, `CopySlices` around an in-place op on a
view, `_input_metadata`, forward-AD tangents, and second derivatives of nn functions
and of `utils.checkpoint` against finite differences."""

import ferrograd as fg
import ferrograd.nn.functional as F
import numpy as np
import pytest
from ferrograd.autograd import forward_ad as fwAD
from ferrograd.autograd import gradcheck, gradgradcheck
from ferrograd.utils.checkpoint import checkpoint

A = np.array([[0.5, -1.0, 2.0, 0.25], [-0.75, 1.5, -2.5, 3.0], [1.25, 0.0, -0.5, -3.5]], dtype=np.float32)
B = np.arange(20, dtype=np.float32).reshape(4, 5) / 10 - 1
U64 = 1 << 64


def leaf(values) -> fg.Tensor:
    return fg.tensor(values).requires_grad_(True)


# --- matrix products ---------------------------------------------------------------

def test_mm_saves_both_operands_and_their_layouts():
    a, b = leaf(A), leaf(B)
    node = fg.mm(a, b).grad_fn
    assert type(node).__name__ == "MmBackward0"
    np.testing.assert_array_equal(node._saved_self.detach().numpy(), A)
    np.testing.assert_array_equal(node._saved_mat2.detach().numpy(), B)
    assert node._saved_self_sym_sizes == (3, 4)
    assert node._saved_self_sym_strides == (4, 1)
    assert node._saved_mat2_sym_sizes == (4, 5)
    assert node._saved_mat2_sym_strides == (5, 1)


def test_mm_keeps_an_operand_only_for_the_other_ones_gradient():
    node = fg.mm(leaf(A), fg.tensor(B)).grad_fn
    assert node._saved_self is None
    assert node._saved_mat2 is not None
    assert node._saved_mat2_sym_strides == ()
    assert node._saved_self_sym_strides == (4, 1)
    transposed = fg.mm(leaf(B).t(), fg.tensor(A).t()).grad_fn
    assert transposed._saved_self_sym_strides == (1, 5)


def test_mv_bmm_and_addmm_saved_values():
    a, v = leaf(A), leaf(B[:, 0].copy())
    mv = fg.mv(a, v).grad_fn
    np.testing.assert_array_equal(mv._saved_vec.detach().numpy(), B[:, 0])
    np.testing.assert_array_equal(mv._saved_self.detach().numpy(), A)
    bmm = fg.bmm(leaf(A[None]), leaf(B[None])).grad_fn
    assert tuple(bmm._saved_self.shape) == (1, 3, 4) and tuple(bmm._saved_mat2.shape) == (1, 4, 5)
    bias = leaf(np.zeros((3, 5), np.float32))
    node = fg.addmm(bias, leaf(A), leaf(B)).grad_fn
    assert type(node).__name__ == "AddmmBackward0"
    assert (node._saved_alpha, node._saved_beta) == (1, 1)
    assert type(node._saved_alpha) is int
    assert node._saved_mat1_sym_sizes == (3, 4) and node._saved_mat2_sym_strides == (5, 1)
    np.testing.assert_array_equal(node._saved_mat1.detach().numpy(), A)
    scaled = fg.addmm(bias, leaf(A), leaf(B), beta=0.5, alpha=2.0).grad_fn
    assert (scaled._saved_alpha, scaled._saved_beta) == (2.0, 0.5)
    linear = F.linear(leaf(A), leaf(B.T.copy()), leaf(B[0].copy())).grad_fn
    assert type(linear).__name__ == "AddmmBackward0"
    assert linear._saved_mat2_sym_sizes == (4, 5)


# --- reductions that pick elements -------------------------------------------------

def test_max_min_topk_sort_save_their_indices():
    a = leaf(A)
    values, indices = fg.max(a, 1)
    node = values.grad_fn
    assert node._saved_indices.tolist() == [2, 3, 0]
    assert (node._saved_dim, node._saved_keepdim, node._saved_self_sym_sizes) == (1, False, (3, 4))
    assert fg.min(a, 0, keepdim=True)[0].grad_fn._saved_indices.tolist() == [[1, 0, 1, 2]]
    top = fg.topk(a, 2, dim=1)[0].grad_fn
    assert top._saved_indices.tolist() == [[2, 0], [3, 1], [0, 1]]
    srt = fg.sort(a, dim=0, descending=True)[0].grad_fn
    assert srt._saved_indices.tolist() == [[2, 1, 0, 1], [0, 2, 2, 0], [1, 0, 1, 2]]
    assert indices.tolist() == [2, 3, 0]


def test_whole_reductions_save_input_and_result():
    a = leaf(A)
    top = a.max().grad_fn
    assert float(top._saved_result.detach()) == 3.0 and type(top._saved_result.grad_fn).__name__ == "MaxBackward1"
    np.testing.assert_array_equal(top._saved_self.detach().numpy(), A)
    assert a.amax(1).grad_fn._saved_result.tolist() == [2.0, 3.0, 1.25]
    np.testing.assert_allclose(a.logsumexp(1).grad_fn._saved_result.detach().numpy(),
                               np.log(np.exp(A.astype(np.float64)).sum(1)), rtol=1e-6)
    assert fg.eye(4).requires_grad_(True).trace().grad_fn._saved_self_sym_sizes == (4, 4)


def test_saved_indices_are_freed_by_backward():
    values = fg.max(leaf(A) * 1, 1)[0]
    values.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        _ = values.grad_fn._saved_indices
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        values.sum().backward()


def test_var_and_std_saved_values():
    a = leaf(A)
    var = fg.var(a).grad_fn
    assert (var._saved_correction, var._saved_dim, var._saved_keepdim) == (None, None, False)
    assert not hasattr(var, "_saved_result")
    np.testing.assert_array_equal(var._saved_self.detach().numpy(), A)
    assert fg.var(a, dim=1).grad_fn._saved_correction == 1
    assert fg.var(a, dim=1).grad_fn._saved_dim == (1,)
    assert fg.var(a, -1).grad_fn._saved_dim == (U64 - 1,)
    assert fg.var(a, dim=1, unbiased=False).grad_fn._saved_correction == 0
    assert fg.var(a, correction=2).grad_fn._saved_correction == 2
    corr = fg.var(a, dim=0, correction=0, keepdim=True).grad_fn
    assert (corr._saved_correction, corr._saved_dim, corr._saved_keepdim) == (0, (0,), True)
    std = fg.std(a, dim=1)
    np.testing.assert_allclose(std.grad_fn._saved_result.detach().numpy(), A.std(1, ddof=1), rtol=1e-6)


def test_vector_norm_saved_values():
    a = leaf(A)
    node = a.norm().grad_fn
    assert type(node).__name__ == "LinalgVectorNormBackward0"
    assert (node._saved_dim, node._saved_keepdim, node._saved_ord) == (None, False, 2)
    np.testing.assert_allclose(float(node._saved_result.detach()), np.linalg.norm(A), rtol=1e-6)
    assert a.norm(dim=-1).grad_fn._saved_dim == (U64 - 1,)
    assert a.norm(p=1).grad_fn._saved_ord == 1
    lvn = fg.linalg.vector_norm(a, ord=3, dim=1, keepdim=True).grad_fn
    assert (lvn._saved_dim, lvn._saved_keepdim, lvn._saved_ord) == ((1,), True, 3)
    assert fg.linalg.vector_norm(a, ord=2.5).grad_fn._saved_ord == 2.5


# --- indexing ----------------------------------------------------------------------

def test_index_keeps_the_index_tensors():
    a, i = leaf(A), fg.tensor([0, 2])
    node = a[i].grad_fn
    assert type(node).__name__ == "IndexBackward0"
    assert node._saved_indices[0] is i
    assert node._saved_self_sym_sizes == (3, 4)
    sliced = a[:, i].grad_fn._saved_indices
    assert sliced[0] is None and sliced[1] is i
    assert a[..., i].grad_fn._saved_indices[0] is None
    assert a[[0, 1]].grad_fn._saved_indices[0].tolist() == [0, 1]
    mask = fg.tensor(A > 0)
    assert a[mask].grad_fn._saved_indices[0] is mask
    y = a[i]
    y.sum().backward()
    with pytest.raises(RuntimeError, match="second time"):
        _ = y.grad_fn._saved_indices
    assert y.grad_fn._saved_self_sym_sizes == (3, 4)


def test_gather_scatter_and_index_select_saved_values():
    a, idx = leaf(A), fg.tensor([[0, 1], [1, 2], [3, 3]])
    node = fg.gather(a, 1, idx).grad_fn
    assert (node._saved_dim, node._saved_sparse_grad) == (1, False)
    assert node._saved_index is idx and node._saved_self is a
    sel = fg.index_select(a, -1, fg.tensor([1, 0])).grad_fn
    assert (sel._saved_dim, sel._saved_self_sym_sizes) == (U64 - 1, (3, 4))
    assert sel._saved_index.tolist() == [1, 0]
    src = leaf(np.ones((3, 2), np.float32))
    sc = fg.scatter(a, 1, idx, src).grad_fn
    assert type(sc).__name__ == "ScatterBackward0" and sc._saved_dim == 1 and sc._saved_index is idx
    assert type(fg.scatter(a, 1, idx, 1.5).grad_fn).__name__ == "ScatterBackward1"
    add = fg.scatter_add(a, -1, idx, src).grad_fn
    assert (type(add).__name__, add._saved_dim) == ("ScatterAddBackward0", U64 - 1)


def test_masked_select_embedding_and_clamp_saved_values():
    a, mask = leaf(A), fg.tensor(A > 0)
    sel = a.masked_select(mask).grad_fn
    assert sel._saved_mask is mask and sel._saved_self is a
    weight, idx = leaf(np.ones((5, 3), np.float32)), fg.tensor([1, 2])
    emb = F.embedding(idx, weight, padding_idx=-2).grad_fn
    assert emb._saved_indices is idx
    assert (emb._saved_padding_idx, emb._saved_weight_sym_argsize_0, emb._saved_sparse) == (3, 5, False)
    assert F.embedding(idx, weight).grad_fn._saved_padding_idx == U64 - 1
    lo, hi = fg.full((3, 4), -1.0), fg.full((3, 4), 1.0)
    clamp = a.clamp(lo, hi).grad_fn
    assert type(clamp).__name__ == "ClampBackward0"
    assert clamp._saved_min is lo and clamp._saved_max is hi and clamp._saved_self is a


def test_index_put_saved_values():
    i = fg.tensor([0, 2])
    y = leaf(A).clone().index_put_((i,), fg.ones(2, 4), accumulate=True)
    node = y.grad_fn
    assert type(node).__name__ == "IndexPutBackward0"
    assert node._saved_indices[0] is i and node._saved_accumulate is True
    z = leaf(A).index_put((i,), fg.ones(2, 4))
    assert z.grad_fn._saved_accumulate is False and z.grad_fn._saved_indices[0] is i


def test_where_and_masked_fill_save_their_mask():
    a, mask = leaf(A), fg.tensor(A > 0)
    node = fg.where(mask, a, a * 2).grad_fn
    assert node._saved_condition.dtype == fg.bool
    assert node._saved_condition.tolist() == (A > 0).tolist()
    fill = a.masked_fill(mask, 0.5).grad_fn
    assert fill._saved_mask.tolist() == (A > 0).tolist()


def test_where_refuses_backward_after_its_condition_changed():
    a, mask = leaf(A), fg.tensor(A > 0)
    y = fg.where(mask, a, a * 2)
    mask.logical_not_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


# --- nn functions ------------------------------------------------------------------

def test_nll_loss_saved_values():
    logp = F.log_softmax(leaf(A), 1)
    target = fg.tensor([1, 0, 3])
    node = F.nll_loss(logp, target).grad_fn
    assert type(node).__name__ == "NllLossBackward0"
    assert node._saved_ignore_index == U64 - 100
    assert (node._saved_reduction, node._saved_weight) == (1, None)
    assert node._saved_self is logp and node._saved_target is target
    assert float(node._saved_total_weight) == 3.0
    assert F.nll_loss(logp, target, reduction="sum").grad_fn._saved_reduction == 2
    none = F.nll_loss(logp, target, reduction="none").grad_fn
    assert (none._saved_reduction, float(none._saved_total_weight)) == (0, 0.0)
    weight = fg.tensor([0.5, 1.0, 2.0, 4.0])
    weighted = F.nll_loss(logp, target, weight=weight, ignore_index=0).grad_fn
    assert weighted._saved_weight is weight and weighted._saved_ignore_index == 0
    assert float(weighted._saved_total_weight) == 5.0
    ce = F.cross_entropy(leaf(A), target).grad_fn
    assert type(ce).__name__ == "NllLossBackward0"
    assert type(ce._saved_self.grad_fn).__name__ == "LogSoftmaxBackward0"


def test_layer_norm_saved_values():
    x, w, b = leaf(A), leaf(np.ones(4, np.float32)), leaf(np.zeros(4, np.float32))
    node = F.layer_norm(x, (4,), w, b).grad_fn
    assert type(node).__name__ == "NativeLayerNormBackward0"
    assert node._saved_normalized_shape == (4,)
    assert node._saved_input is x and node._saved_weight is w and node._saved_bias is b
    mean = A.astype(np.float64).mean(1, keepdims=True)
    rstd = 1 / np.sqrt(A.astype(np.float64).var(1, keepdims=True) + 1e-5)
    assert tuple(node._saved_result1.shape) == (3, 1)
    np.testing.assert_allclose(node._saved_result1.numpy(), mean, rtol=1e-6)
    np.testing.assert_allclose(node._saved_result2.numpy(), rstd, rtol=1e-5)
    assert not node._saved_result1.requires_grad
    bare = F.layer_norm(x, (4,)).grad_fn
    assert bare._saved_weight is None and bare._saved_bias is None


def test_convolution_saved_values():
    x, w = leaf(np.ones((1, 2, 6), np.float32)), leaf(np.ones((3, 2, 3), np.float32))
    node = F.conv1d(x, w, stride=2, padding=1).grad_fn
    assert type(node).__name__ == "ConvolutionBackward0"
    assert node._saved_input is x and node._saved_weight is w
    assert (node._saved_stride, node._saved_padding, node._saved_dilation) == ((2,), (1,), (1,))
    assert (node._saved_groups, node._saved_transposed, node._saved_output_padding) == (1, False, (0,))
    assert node._saved_bias_sym_sizes_opt == (0,)
    up = F.conv_transpose1d(x, leaf(np.ones((2, 3, 3), np.float32)), leaf(np.zeros(3, np.float32)),
                            stride=2, output_padding=1).grad_fn
    assert (up._saved_transposed, up._saved_output_padding, up._saved_bias_sym_sizes_opt) == (True, (1,), (3,))
    x2 = leaf(np.ones((1, 4, 5, 5), np.float32))
    grouped = F.conv2d(x2, fg.ones(4, 2, 3, 3), groups=2, dilation=2).grad_fn
    assert (grouped._saved_groups, grouped._saved_dilation, grouped._saved_padding) == (2, (2, 2), (0, 0))


def test_diagonal_saved_values():
    sq = leaf(np.eye(4, dtype=np.float32))
    node = fg.diagonal(sq).grad_fn
    assert (node._saved_offset, node._saved_dim1, node._saved_dim2) == (0, 0, 1)
    assert node._saved_self_sym_sizes == (4, 4)
    neg = sq.diagonal(-1, -1, -2).grad_fn
    assert (neg._saved_offset, neg._saved_dim1, neg._saved_dim2) == (U64 - 1, U64 - 1, U64 - 2)


def test_input_metadata_names_each_gradient_a_node_receives():
    x = leaf(A)
    (meta,) = (x * 2).grad_fn._input_metadata
    assert meta.shape == [3, 4] and meta.dtype == fg.float32
    assert meta.device == fg.device("cpu") and meta.is_nested_tensor is False
    assert x.sum().grad_fn._input_metadata[0].shape == []
    assert len(x.split(1, 0)[0].grad_fn._input_metadata) == 3
    assert len(fg.max(x, 1)[0].grad_fn._input_metadata) == 1


# --- CopySlices ----------------------------------------------------------------------

def test_copy_slices_wraps_the_in_place_op_on_a_view():
    a = leaf([1.0, 2.0, 3.0])
    b = a.clone()
    b[0].mul_(2)
    node = b.grad_fn
    assert type(node).__name__ == "CopySlices"
    (first, nr0), (second, nr1) = node.next_functions
    assert type(first).__name__ == "CloneBackward0" and nr0 == 0
    assert second is None and nr1 == 0
    b.sum().backward()
    assert a.grad.tolist() == [2.0, 1.0, 1.0]


def test_copy_slices_takes_the_source_of_a_copy_into_a_view():
    a = leaf([1.0, 2.0, 3.0])
    e = fg.zeros(2, 3)
    e[0].copy_(a)
    (first, _), (second, _) = e.grad_fn.next_functions
    assert first is None
    assert type(second).__name__ == "AccumulateGrad" and second.variable is a
    (e * fg.tensor([[2.0], [5.0]])).sum().backward()
    assert a.grad.tolist() == [2.0, 2.0, 2.0]


def test_copy_slices_gradients_match_the_unsliced_computation():
    a = leaf(A)
    w = leaf(B[:3, :4].copy())
    b = a.clone()
    b[1:, 1:3].mul_(w[1:, 1:3])
    (b * b).sum().backward()
    expected = 2 * A.copy()
    block = (slice(1, None), slice(1, 3))
    expected[block] = 2 * A[block] * B[:3, :4][block] ** 2
    np.testing.assert_allclose(a.grad.numpy(), expected, rtol=1e-6)
    expected_w = np.zeros_like(A)
    expected_w[block] = 2 * A[block] ** 2 * B[:3, :4][block]
    np.testing.assert_allclose(w.grad.numpy(), expected_w, rtol=1e-6)


# --- forward AD ----------------------------------------------------------------------

def test_a_tangent_prints_without_a_tangent_of_its_own():
    x = leaf([1.0, 2.0])
    with fwAD.dual_level():
        y = fwAD.make_dual(x, fg.tensor([1.0, 0.0])).sin() * 2
        primal, tangent = fwAD.unpack_dual(y)
        assert "tangent=" not in repr(tangent)
        assert fwAD.unpack_dual(tangent).tangent is None
        np.testing.assert_allclose(tangent.detach().numpy(), [2 * np.cos(1.0), 0.0], rtol=1e-6)
        assert primal.requires_grad
        primal.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.cos([1.0, 2.0]), rtol=1e-6)


def test_jvp_outputs_keep_reverse_mode_history():
    x = leaf([1.0, 2.0])
    out, tangent = fg.func.jvp(lambda a: a.exp() * 3, (x,), (fg.tensor([1.0, 0.0]),))
    assert out.requires_grad and out.grad_fn is not None
    assert tangent.requires_grad
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 3 * np.exp([1.0, 2.0]), rtol=1e-6)


# --- second derivatives --------------------------------------------------------------

def _double(*shape):
    return fg.tensor(np.random.default_rng(sum(shape)).standard_normal(shape)).requires_grad_(True)


TARGET = fg.tensor([1, 0, 2])
NN_FUNCTIONS = {
    "linear": (lambda x, w, b: F.linear(x, w, b), ((3, 4), (2, 4), (2,))),
    "conv1d": (lambda x, w, b: F.conv1d(x, w, b, padding=1), ((1, 2, 5), (3, 2, 3), (3,))),
    "conv2d": (lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1), ((1, 2, 5, 5), (2, 2, 3, 3), (2,))),
    "relu": (F.relu, ((3, 4),)),
    "gelu": (F.gelu, ((3, 4),)),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), ((3, 4),)),
    "softmax": (lambda x: F.softmax(x, 1), ((3, 4),)),
    "log_softmax": (lambda x: F.log_softmax(x, 0), ((3, 4),)),
    "layer_norm": (lambda x, w, b: F.layer_norm(x, (4,), w, b), ((3, 4), (4,), (4,))),
    "mse_loss": (F.mse_loss, ((3, 4), (3, 4))),
    "cross_entropy": (lambda x: F.cross_entropy(x, TARGET), ((3, 4),)),
    "cross_entropy_smoothed": (lambda x: F.cross_entropy(x, TARGET, label_smoothing=0.1), ((3, 4),)),
}


@pytest.mark.parametrize("name", sorted(NN_FUNCTIONS))
def test_nn_function_second_derivatives_match_finite_differences(name):
    fn, shapes = NN_FUNCTIONS[name]
    inputs = tuple(_double(*s) for s in shapes)
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


def _block(x, w):
    return (x @ w).tanh().sin()


@pytest.mark.parametrize("use_reentrant", [False, True])
def test_checkpoint_gradients_equal_the_plain_ones(use_reentrant):
    x, w = _double(3, 4), _double(4, 4)
    checkpoint(_block, x, w, use_reentrant=use_reentrant).sum().backward()
    got = (x.grad.numpy().copy(), w.grad.numpy().copy())
    x.grad = w.grad = None
    _block(x, w).sum().backward()
    np.testing.assert_allclose(got[0], x.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(got[1], w.grad.numpy(), rtol=1e-12)


def test_checkpoint_first_and_second_derivatives_match_finite_differences():
    x, w = _double(3, 4), _double(4, 4)

    def fn(x, w):
        return checkpoint(_block, x, w, use_reentrant=False)

    assert gradcheck(fn, (x, w))
    assert gradgradcheck(fn, (x, w))


def test_complex_add_and_sub_keep_their_alpha():
    c = fg.tensor([1 + 1j], requires_grad=True)
    assert fg.add(c, c, alpha=2).grad_fn._saved_alpha == 2
    assert fg.sub(c, c, alpha=-3).grad_fn._saved_alpha == -3
    assert fg.add(c, c, alpha=0.5).grad_fn._saved_alpha == 0.5
    assert (c + c).grad_fn._saved_alpha == 1
    y = fg.add(c, c, alpha=2)
    assert y.grad_fn.name() == "AddBackward0"
    y.abs().sum().backward()
    np.testing.assert_allclose(c.grad.numpy(), [2.1213203 + 2.1213203j], rtol=1e-6)
