"""Losses, normalisations and embedding record PyTorch's single node: its name, its
next_functions, its `_saved_*` values and the number of tensors it hands to
saved-tensor hooks (all as observed with PyTorch 2.13), with float64 gradients and
second derivatives checked by finite differences."""

import ferrograd as fg
import ferrograd.nn.functional as F
import numpy as np
import pytest
from ferrograd.autograd import gradcheck, gradgradcheck

RNG = np.random.default_rng(7)


def t(a, requires_grad=False):
    return fg.tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


def randn(*shape, requires_grad=False):
    return t(RNG.standard_normal(shape), requires_grad)


def rand(*shape, requires_grad=False):
    return t(RNG.uniform(0.05, 0.95, shape), requires_grad)


def next_names(node):
    return [None if f is None else type(f).__name__ for f, _ in node.next_functions]


def packed_count(fn, *args):
    """(result, how many tensors the saved-tensor pack hook received while recording)."""
    count = [0]

    def pack(x):
        count[0] += 1
        return x

    with fg.autograd.graph.saved_tensors_hooks(pack, lambda x: x):
        out = fn(*args)
    return out, count[0]


X = randn(3, 4, requires_grad=True)
TARGET = randn(3, 4)
P = rand(3, 4, requires_grad=True)
Q = rand(3, 4)
W = rand(3, 4)
CLASSES = fg.tensor([0, 3, 1])
CLASS_WEIGHT = rand(4)

# (id, call, name, next_functions, packed tensors, non-tensor _saved_* values)
NODES = [
    ("mse_none", lambda: F.mse_loss(X, TARGET, reduction="none"), "MseLossBackward0",
     ["AccumulateGrad", None], 2, {"reduction": 0}),
    ("mse_mean", lambda: F.mse_loss(X, TARGET), "MseLossBackward0", ["AccumulateGrad", None], 2,
     {"reduction": 1}),
    ("mse_sum_both", lambda: F.mse_loss(X, P, reduction="sum"), "MseLossBackward0",
     ["AccumulateGrad", "AccumulateGrad"], 2, {"reduction": 2}),
    ("smooth_l1", lambda: F.smooth_l1_loss(X, TARGET, beta=0.5), "SmoothL1LossBackward0",
     ["AccumulateGrad", None], 2, {"beta": 0.5, "reduction": 1}),
    ("huber", lambda: F.huber_loss(X, TARGET, delta=0.7), "HuberLossBackward0", ["AccumulateGrad", None], 2,
     {"delta": 0.7, "reduction": 1}),
    ("soft_margin", lambda: F.soft_margin_loss(X, TARGET.sign(), reduction="none"), "SoftMarginLossBackward0",
     ["AccumulateGrad"], 2, {"reduction": 0}),
    ("bce", lambda: F.binary_cross_entropy(P, Q), "BinaryCrossEntropyBackward0", ["AccumulateGrad", None], 2,
     {"reduction": 1}),
    ("bce_weight", lambda: F.binary_cross_entropy(P, Q, weight=W, reduction="none"),
     "BinaryCrossEntropyBackward0", ["AccumulateGrad", None], 3, {"reduction": 0}),
    ("bce_logits", lambda: F.binary_cross_entropy_with_logits(X, Q), "BinaryCrossEntropyWithLogitsBackward0",
     ["AccumulateGrad", None], 2, {"reduction": 1}),
    ("bce_logits_weights", lambda: F.binary_cross_entropy_with_logits(X, Q, weight=W, pos_weight=CLASS_WEIGHT),
     "BinaryCrossEntropyWithLogitsBackward0", ["AccumulateGrad", None], 4, {"reduction": 1}),
    ("nll", lambda: F.nll_loss(X, CLASSES), "NllLossBackward0", ["AccumulateGrad"], 3,
     {"reduction": 1, "ignore_index": 2**64 - 100}),
    ("nll_weight_ignore", lambda: F.nll_loss(X, CLASSES, weight=CLASS_WEIGHT, ignore_index=3),
     "NllLossBackward0", ["AccumulateGrad"], 4, {"reduction": 1, "ignore_index": 3}),
    ("cross_entropy", lambda: F.cross_entropy(X, CLASSES), "NllLossBackward0", ["LogSoftmaxBackward0"], 4,
     {"reduction": 1}),
    ("embedding", lambda: F.embedding(fg.tensor([[0, 2], [1, 2]]), X, padding_idx=-1), "EmbeddingBackward0",
     ["AccumulateGrad"], 1, {"padding_idx": 2, "scale_grad_by_freq": False, "sparse": False,
                             "weight_sym_argsize_0": 3}),
]


@pytest.mark.parametrize("case", NODES, ids=[c[0] for c in NODES])
def test_one_node_with_pytorchs_edges_saved_values_and_pack_count(case):
    _, call, name, nexts, packs, args = case
    out, count = packed_count(call)
    node = out.grad_fn
    assert type(node).__name__ == name
    assert next_names(node) == nexts
    assert count == packs
    for arg, value in args.items():
        assert getattr(node, "_saved_" + arg) == value


def test_saved_tensors_are_the_inputs_and_the_optional_ones_read_none():
    node = F.binary_cross_entropy_with_logits(X, Q).grad_fn
    assert node._saved_self is X or np.array_equal(node._saved_self.detach().numpy(), X.detach().numpy())
    np.testing.assert_array_equal(node._saved_target.detach().numpy(), Q.numpy())
    assert node._saved_weight is None and node._saved_pos_weight is None
    nll = F.nll_loss(X, CLASSES, weight=CLASS_WEIGHT, ignore_index=3).grad_fn
    # the total weight of the kept targets: classes 0 and 1
    w = CLASS_WEIGHT.numpy()
    assert float(nll._saved_total_weight) == pytest.approx(w[0] + w[1])
    np.testing.assert_array_equal(nll._saved_weight.detach().numpy(), w)
    assert float(F.nll_loss(X, CLASSES, reduction="none").grad_fn._saved_total_weight) == 0.0


def test_nll_of_spatial_inputs_views_them_as_two_d():
    x3 = randn(2, 4, 3, requires_grad=True)
    target = fg.tensor([[0, 1, 2], [3, 0, 1]])
    mean = F.nll_loss(x3, target)
    assert type(mean.grad_fn).__name__ == "NllLoss2DBackward0"
    assert next_names(mean.grad_fn) == ["ViewBackward0"]
    assert tuple(mean.grad_fn._saved_self.shape) == (2, 4, 1, 3)
    assert tuple(mean.grad_fn._saved_target.shape) == (2, 1, 3)
    none = F.nll_loss(x3, target, reduction="none")
    assert type(none.grad_fn).__name__ == "ViewBackward0"
    assert next_names(none.grad_fn) == ["NllLoss2DBackward0"]
    assert tuple(none.shape) == (2, 3)
    x4 = randn(2, 4, 2, 2, requires_grad=True)
    four = F.nll_loss(x4, fg.tensor([[[0, 1], [2, 3]], [[3, 2], [1, 0]]]))
    assert type(four.grad_fn).__name__ == "NllLoss2DBackward0"
    assert next_names(four.grad_fn) == ["AccumulateGrad"]
    # picked: -x[n, t, i, j] averaged
    xs = x4.detach().numpy()
    tt = np.array([[[0, 1], [2, 3]], [[3, 2], [1, 0]]])
    want = -np.mean([xs[n, tt[n, i, j], i, j] for n in range(2) for i in range(2) for j in range(2)])
    assert four.item() == pytest.approx(want)


def test_nll_with_every_target_ignored_gives_zero_gradient():
    x = randn(3, 4, requires_grad=True)
    loss = F.nll_loss(x, fg.tensor([-100, -100, -100]))
    assert np.isnan(loss.item())
    loss.backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((3, 4)))


NORMS = [
    ("layer_norm", lambda x, w, b: F.layer_norm(x, (4,), w, b), (2, 3, 4), 4, "NativeLayerNormBackward0", 5),
    ("group_norm", lambda x, w, b: F.group_norm(x, 2, w, b), (2, 4, 3), 4, "NativeGroupNormBackward0", 4),
    ("batch_norm_train", lambda x, w, b: F.batch_norm(x, fg.zeros(4, dtype=fg.float64),
                                                      fg.ones(4, dtype=fg.float64), w, b, training=True),
     (3, 4, 2), 4, "NativeBatchNormBackward0", 6),
    ("batch_norm_eval", lambda x, w, b: F.batch_norm(x, t([0.1, -0.2, 0.3, 0.0]), t([1.5, 0.5, 2.0, 1.0]), w, b),
     (3, 4, 2), 4, "NativeBatchNormBackward0", 6),
]


@pytest.mark.parametrize("case", NORMS, ids=[c[0] for c in NORMS])
def test_norm_nodes_have_three_edges_and_pytorchs_pack_count(case):
    _, call, shape, features, name, packs = case
    x = randn(*shape, requires_grad=True)
    w = randn(features, requires_grad=True)
    b = randn(features, requires_grad=True)
    out, count = packed_count(call, x, w, b)
    assert type(out.grad_fn).__name__ == name
    assert next_names(out.grad_fn) == ["AccumulateGrad"] * 3
    assert count == packs
    bare, count = packed_count(call, x, None, None)
    assert next_names(bare.grad_fn) == ["AccumulateGrad", None, None]
    # without weight: the weight is not saved (and group/layer norm never save the bias)
    assert count == {"layer_norm": 3, "group_norm": 3, "batch_norm_train": 5, "batch_norm_eval": 5}[case[0]]


def test_layer_norm_saves_mean_and_rstd():
    x = randn(2, 3, 4, requires_grad=True)
    node = F.layer_norm(x, (4,)).grad_fn
    xs = x.detach().numpy()
    mean = xs.mean(-1, keepdims=True)
    rstd = 1 / np.sqrt(xs.var(-1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(node._saved_result1.detach().numpy(), mean, rtol=1e-12)
    np.testing.assert_allclose(node._saved_result2.detach().numpy(), rstd, rtol=1e-12)
    assert node._saved_normalized_shape == (4,)
    assert node._saved_weight is None and node._saved_bias is None


def test_batch_norm_saves_batch_statistics_in_training_and_empty_ones_in_eval():
    x = randn(3, 2, 4, requires_grad=True)
    rm, rv = fg.zeros(2, dtype=fg.float64), fg.ones(2, dtype=fg.float64)
    node = F.batch_norm(x, rm, rv, training=True).grad_fn
    xs = x.detach().numpy()
    np.testing.assert_allclose(node._saved_result1.detach().numpy(), xs.mean((0, 2)), rtol=1e-12)
    np.testing.assert_allclose(node._saved_result2.detach().numpy(), 1 / np.sqrt(xs.var((0, 2)) + 1e-5), rtol=1e-12)
    assert node._saved_training is True and node._saved_eps == 1e-5
    np.testing.assert_allclose(node._saved_running_mean.detach().numpy(), 0.1 * xs.mean((0, 2)), rtol=1e-12)
    eval_node = F.batch_norm(x, rm, rv).grad_fn
    assert tuple(eval_node._saved_result1.shape) == (0,) and eval_node._saved_training is False


def test_group_norm_saved_sizes():
    node = F.group_norm(randn(2, 6, 5, requires_grad=True), 3).grad_fn
    assert (node._saved_N, node._saved_C, node._saved_HxW, node._saved_group) == (2, 6, 5, 3)
    assert tuple(node._saved_result1.shape) == (2, 3)


def test_embedding_gradient_skips_the_padding_row_and_scales_by_frequency():
    weight = randn(4, 2, requires_grad=True)
    idx = fg.tensor([[0, 2, 2], [1, 2, 3]])
    F.embedding(idx, weight, padding_idx=1, scale_grad_by_freq=True).sum().backward()
    # row 2 appears three times: each contribution divided by 3
    np.testing.assert_allclose(weight.grad.numpy(), [[1, 1], [0, 0], [1, 1], [1, 1]])


BCE_WEIGHT = rand(3, 4)
POS_WEIGHT = rand(4)
NLL_WEIGHT = rand(4)

GRADCHECKS = [
    ("mse", lambda a, b: F.mse_loss(a, b), (randn(3, 4), randn(3, 4))),
    ("mse_none", lambda a, b: F.mse_loss(a, b, reduction="none"), (randn(3, 4), randn(3, 4))),
    ("smooth_l1", lambda a, b: F.smooth_l1_loss(a, b, beta=0.8, reduction="sum"),
     (t([[0.1, 2.0, -1.5], [0.3, -0.2, 4.0]]), t([[0.0, 0.5, 0.1], [0.9, 0.4, -1.0]]))),
    ("huber", lambda a, b: F.huber_loss(a, b, delta=0.9),
     (t([[0.1, 2.0, -1.5], [0.3, -0.2, 4.0]]), t([[0.0, 0.5, 0.1], [0.9, 0.4, -1.0]]))),
    ("soft_margin", lambda a: F.soft_margin_loss(a, t([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]])), (randn(2, 3),)),
    ("bce", lambda a, b: F.binary_cross_entropy(a, b, weight=BCE_WEIGHT), (rand(3, 4), rand(3, 4))),
    ("bce_logits", lambda a, b: F.binary_cross_entropy_with_logits(a, b, pos_weight=POS_WEIGHT, reduction="sum"),
     (randn(3, 4), rand(3, 4))),
    ("nll", lambda a: F.nll_loss(a, fg.tensor([0, 3, 1]), weight=NLL_WEIGHT), (randn(3, 4),)),
    ("nll_2d", lambda a: F.nll_loss(a, fg.tensor([[0, 3, 1], [2, 2, 0]]), reduction="none"), (randn(2, 4, 3),)),
    ("cross_entropy", lambda a: F.cross_entropy(a, fg.tensor([0, 3, 1]), label_smoothing=0.1), (randn(3, 4),)),
    ("layer_norm", lambda x, w, b: F.layer_norm(x, (3,), w, b), (randn(2, 3), randn(3), randn(3))),
    ("group_norm", lambda x, w, b: F.group_norm(x, 2, w, b), (randn(2, 4, 2), randn(4), randn(4))),
    ("batch_norm_train", lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
     (randn(3, 2, 2), randn(2), randn(2))),
    ("batch_norm_eval", lambda x, w, b: F.batch_norm(x, t([0.1, -0.2]), t([1.5, 0.5]), w, b),
     (randn(3, 2, 2), randn(2), randn(2))),
    ("embedding", lambda w: F.embedding(fg.tensor([[0, 2], [2, 1]]), w), (randn(3, 2),)),
]


@pytest.mark.parametrize("case", GRADCHECKS, ids=[c[0] for c in GRADCHECKS])
def test_gradcheck_and_gradgradcheck(case):
    _, fn, inputs = case
    inputs = tuple(x.detach().requires_grad_() for x in inputs)
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


def test_loss_values_match_numpy():
    x, y = X.detach().numpy(), TARGET.numpy()
    d = x - y
    assert F.mse_loss(X, TARGET).item() == pytest.approx((d * d).mean())
    ad = np.abs(d)
    want = np.where(ad < 0.5, 0.5 * d * d / 0.5, ad - 0.25).mean()
    assert F.smooth_l1_loss(X, TARGET, beta=0.5).item() == pytest.approx(want)
    want = np.where(ad < 0.7, 0.5 * d * d, 0.7 * (ad - 0.35)).sum()
    assert F.huber_loss(X, TARGET, delta=0.7, reduction="sum").item() == pytest.approx(want)
    p, q = P.detach().numpy(), Q.numpy()
    want = -(q * np.log(p) + (1 - q) * np.log(1 - p)).mean()
    assert F.binary_cross_entropy(P, Q).item() == pytest.approx(want)
    s = 1 / (1 + np.exp(-x))
    want = -(q * np.log(s) + (1 - q) * np.log(1 - s)).mean()
    assert F.binary_cross_entropy_with_logits(X, Q).item() == pytest.approx(want)
    sign = np.sign(y)
    assert F.soft_margin_loss(X, TARGET.sign()).item() == pytest.approx(np.log1p(np.exp(-sign * x)).mean())


def test_weighted_mse_and_l1_divide_by_the_weight_sum_as_pytorch():
    x, y, w = X.detach().numpy(), TARGET.numpy(), W.numpy()
    loss = F.mse_loss(X, TARGET, weight=W)
    assert loss.item() == pytest.approx(((x - y) ** 2 * w).sum() / w.sum())
    assert type(loss.grad_fn).__name__ == "DivBackward0"
    assert F.l1_loss(X, TARGET, weight=W).item() == pytest.approx((np.abs(x - y) * w).sum() / w.sum())
    huber = F.huber_loss(X, TARGET, weight=W)
    assert type(huber.grad_fn).__name__ == "MeanBackward0"
    with pytest.raises(ValueError, match="same size"):
        F.mse_loss(X, TARGET, weight=W[0])


def test_backward_twice_without_retain_graph_fails_and_saved_reads_fail_after():
    loss = F.mse_loss(X, TARGET)
    loss.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()
    with pytest.raises(RuntimeError, match="after they have already been freed"):
        _ = loss.grad_fn._saved_self
    X.grad = None


def test_scan_product_and_power_nodes_report_pytorchs_saved_values():
    x = randn(3, 3, requires_grad=True)
    pow2 = (2.0 ** x).grad_fn
    assert type(pow2).__name__ == "PowBackward2"
    assert pow2._saved_self == 2.0 and isinstance(pow2._saved_self, float)
    np.testing.assert_array_equal(pow2._saved_exponent.detach().numpy(), x.detach().numpy())
    np.testing.assert_allclose(pow2._saved_result.detach().numpy(), 2.0 ** x.detach().numpy(), rtol=1e-15)
    prod = x.prod(0, keepdim=True).grad_fn
    assert (prod._saved_dim, prod._saved_keepdim) == (0, True)
    np.testing.assert_allclose(prod._saved_result.detach().numpy(), x.detach().numpy().prod(0, keepdims=True), rtol=1e-14)
    cumprod = x.cumprod(-1).grad_fn
    assert cumprod._saved_dim == 2**64 - 1  # PyTorch shows the dim as given, through its unsigned bits
    np.testing.assert_array_equal(cumprod._saved_self.detach().numpy(), x.detach().numpy())
    np.testing.assert_allclose(cumprod._saved_result.detach().numpy(), np.cumprod(x.detach().numpy(), -1), rtol=1e-14)


def test_lerp_nodes_save_the_weight_and_self_and_end_only_for_a_weights_gradient():
    a, b = randn(3, requires_grad=True), randn(3, requires_grad=True)
    number, count = packed_count(lambda: fg.lerp(a, b, 0.3))
    assert type(number.grad_fn).__name__ == "LerpBackward0"
    assert number.grad_fn._saved_weight == 0.3 and count == 0
    fixed = fg.full((3,), 0.3, dtype=fg.float64)
    tensor_weight, count = packed_count(lambda: fg.lerp(a, b, fixed))
    node = tensor_weight.grad_fn
    assert count == 1 and node._saved_self is None and node._saved_end is None
    np.testing.assert_array_equal(node._saved_weight.detach().numpy(), fixed.numpy())
    learned, count = packed_count(lambda: fg.lerp(a, b, b))
    assert count == 3
    assert next_names(learned.grad_fn) == ["AccumulateGrad"] * 3
    np.testing.assert_array_equal(learned.grad_fn._saved_end.detach().numpy(), b.detach().numpy())


def test_linalg_nodes_name_their_saved_tensors():
    m = randn(3, 3)
    a = (m @ m.mT + 3 * fg.eye(3, dtype=fg.float64)).detach().requires_grad_()
    inv = fg.linalg.inv(a)
    np.testing.assert_allclose(inv.grad_fn._saved_inverse.detach().numpy(), np.linalg.inv(a.detach().numpy()), rtol=1e-12)
    for upper in (False, True):
        node = fg.linalg.cholesky(a, upper=upper).grad_fn
        assert type(node).__name__ == "LinalgCholeskyExBackward0"
        assert node._saved_upper is upper
        lower = np.linalg.cholesky(a.detach().numpy())
        np.testing.assert_allclose(node._saved_L.detach().numpy(), lower.T if upper else lower, rtol=1e-12)


POOLS = [
    ("max_pool2d", lambda x: F.max_pool2d(x, 2), (1, 1, 4, 4), "MaxPool2DWithIndicesBackward0", 2,
     {"ceil_mode": False, "dilation": (1, 1), "kernel_size": (2, 2), "padding": (0, 0), "stride": ()}),
    ("max_pool3d_strided", lambda x: F.max_pool3d(x, 2, stride=1), (1, 1, 3, 3, 3), "MaxPool3DWithIndicesBackward0", 2,
     {"dilation": (1, 1, 1), "kernel_size": (2, 2, 2), "stride": (1, 1, 1)}),
    ("avg_pool2d", lambda x: F.avg_pool2d(x, 2), (1, 1, 4, 4), "AvgPool2DBackward0", 1,
     {"ceil_mode": False, "count_include_pad": True, "divisor_override": None, "kernel_size": (2, 2),
      "padding": (0, 0), "stride": ()}),
    ("avg_pool3d", lambda x: F.avg_pool3d(x, 2, divisor_override=3), (1, 1, 4, 4, 4), "AvgPool3DBackward0", 1,
     {"divisor_override": 3, "kernel_size": (2, 2, 2)}),
    ("adaptive_avg", lambda x: F.adaptive_avg_pool2d(x, 2), (1, 1, 4, 4), "AdaptiveAvgPool2DBackward0", 1, {}),
    ("adaptive_max", lambda x: F.adaptive_max_pool2d(x, 2), (1, 1, 4, 4), "AdaptiveMaxPool2DBackward0", 2, {}),
]


@pytest.mark.parametrize("case", POOLS, ids=[c[0] for c in POOLS])
def test_pool_nodes_save_their_input_and_arguments(case):
    _, call, shape, name, packs, args = case
    x = randn(*shape, requires_grad=True)
    out, count = packed_count(call, x)
    node = out.grad_fn
    assert type(node).__name__ == name
    assert count == packs
    np.testing.assert_array_equal(node._saved_self.detach().numpy(), x.detach().numpy())
    for arg, value in args.items():
        assert getattr(node, "_saved_" + arg) == value
    if packs == 2:
        assert node._saved_result1.dtype == fg.int64
        assert tuple(node._saved_result1.shape) == tuple(out.shape)


def test_det_slogdet_and_solve_keep_the_lu_factors_as_pytorch():
    a = t([[2.0, 1.0, 0.5], [0.3, -1.5, 1.0], [1.0, 0.2, 3.0]], requires_grad=True)
    b = randn(3, 2)
    det, count = packed_count(fg.linalg.det, a)
    assert count == 4
    node = det.grad_fn
    np.testing.assert_array_equal(node._saved_A.detach().numpy(), a.detach().numpy())
    assert node._saved_pivots.dtype == fg.int32
    # det's factors are LAPACK's of the column-major A: those of A transposed
    lu, pivots = fg.linalg.lu_factor(a.detach().mT)
    np.testing.assert_allclose(node._saved_LU.numpy(), lu.numpy(), rtol=1e-14)
    np.testing.assert_array_equal(node._saved_pivots.numpy(), pivots.numpy())
    assert float(node._saved_result) == pytest.approx(np.linalg.det(a.detach().numpy()))
    logabs, count = packed_count(lambda m: fg.linalg.slogdet(m)[1], a)
    assert count == 4 and float(logabs.grad_fn._saved_sign) == np.sign(np.linalg.det(a.detach().numpy()))
    x, count = packed_count(lambda m: fg.linalg.solve(m, b), a)
    assert count == 4 and x.grad_fn._saved_left is True
    lu, pivots = fg.linalg.lu_factor(a.detach())
    np.testing.assert_allclose(x.grad_fn._saved_LU.numpy(), lu.numpy(), rtol=1e-14)
    assert fg.linalg.solve(a, b.mT, left=False).grad_fn._saved_left is False
    assert gradcheck(fg.linalg.det, (a,)) and gradgradcheck(fg.linalg.det, (a,))


def test_instance_norm_is_batch_norm_of_the_input_viewed_as_one_sample():
    x = randn(2, 3, 4, requires_grad=True)
    w, b = randn(3, requires_grad=True), randn(3, requires_grad=True)
    out, count = packed_count(lambda: F.instance_norm(x, weight=w, bias=b))
    node = out.grad_fn
    assert type(node).__name__ == "ViewBackward0"
    inner = node.next_functions[0][0]
    assert type(inner).__name__ == "NativeBatchNormBackward0"
    assert next_names(inner) == ["ViewBackward0", "RepeatBackward0", "RepeatBackward0"]
    assert count == 4
    xs = x.detach().numpy()
    want = (xs - xs.mean(-1, keepdims=True)) / np.sqrt(xs.var(-1, keepdims=True) + 1e-5)
    want = want * w.detach().numpy()[:, None] + b.detach().numpy()[:, None]
    np.testing.assert_allclose(out.detach().numpy(), want, rtol=1e-12, atol=1e-12)
    rm, rv = fg.zeros(3, dtype=fg.float64), fg.ones(3, dtype=fg.float64)
    F.instance_norm(x, rm, rv)
    np.testing.assert_allclose(rm.numpy(), 0.1 * xs.mean(-1).mean(0), rtol=1e-12)
    np.testing.assert_allclose(rv.numpy(), 0.9 + 0.1 * xs.var(-1, ddof=1).mean(0), rtol=1e-12)
    assert gradcheck(lambda t: F.instance_norm(t), (x,)) and gradgradcheck(lambda t: F.instance_norm(t), (x,))


def test_spatial_nll_refuses_targets_of_the_wrong_shape_in_pytorchs_words():
    x4 = randn(2, 3, 4, 4)
    with pytest.raises(RuntimeError, match=r"size mismatch \(got input: \[2, 3, 4, 4\] , target: \[2, 4, 5\]"):
        F.nll_loss(x4, fg.zeros(2, 4, 5, dtype=fg.int64))
    with pytest.raises(RuntimeError, match="only batches of spatial targets supported"):
        F.nll_loss(x4, fg.zeros(2, 4, 4, 1, dtype=fg.int64))
    with pytest.raises(RuntimeError, match=r"Expected target size \[2, 4\], got \[2, 5\]"):
        F.nll_loss(randn(2, 3, 4), fg.zeros(2, 5, dtype=fg.int64))
    with pytest.raises(IndexError, match="Target 4 is out of bounds"):
        F.nll_loss(X, fg.tensor([0, 4, 1]))


def test_float32_mse_and_layer_norm_match_numpy():
    x = RNG.standard_normal((5, 6)).astype(np.float32)
    y = RNG.standard_normal((5, 6)).astype(np.float32)
    a = fg.tensor(x, requires_grad=True)
    loss = F.mse_loss(a, fg.tensor(y))
    assert loss.dtype == fg.float32
    assert loss.item() == pytest.approx(float(((x - y) ** 2).mean()), rel=1e-6)
    loss.backward()
    np.testing.assert_allclose(a.grad.numpy(), 2 * (x - y) / x.size, rtol=1e-6)
    a.grad = None
    out = F.layer_norm(a, (6,))
    assert out.dtype == fg.float32
    want = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(out.detach().numpy(), want, rtol=1e-5, atol=1e-6)
    out.backward(fg.ones_like(out))
    # the rows of a layer norm's input gradient sum to zero
    np.testing.assert_allclose(a.grad.numpy().sum(-1), np.zeros(5), atol=1e-5)
