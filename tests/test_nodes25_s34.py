"""Session 34 (helper nodes25): ops composed of several passes record PyTorch's one node
(its name, edges, `_saved_*`), and the graphs of quantile, angle, matrix_power and
pairwise_distance are ATen's. Expectations are PyTorch's (run with FG_TEST_BACKEND=torch)."""

import pytest
from backend import fg

F = fg.nn.functional


def x22(rg=True):
    return fg.tensor([[0.5, 1.5], [2.0, 0.75]], dtype=fg.float64, requires_grad=rg)


def edges(fn):
    return [None if f is None else type(f).__name__ for f, _ in fn.next_functions]


def saved_names(fn):
    return sorted(n for n in dir(fn) if n.startswith("_saved_"))


def chain(fn):
    names = []
    while fn is not None:
        names.append(fn.name())
        fn = fn.next_functions[0][0] if getattr(fn, "next_functions", ()) else None
    return names


def test_pdist_is_one_node_over_its_input():
    x = x22()
    y = F.pdist(x * x)
    fn = y.grad_fn
    assert fn.name() == "PdistBackward0"
    assert edges(fn) == ["MulBackward0"]
    assert saved_names(fn) == ["_saved_p", "_saved_result", "_saved_self"]
    assert fn._saved_p == 2.0 and fn._saved_result is not None
    assert fn._saved_self.tolist() == [[0.25, 2.25], [4.0, 0.5625]]
    y.sum().backward()
    assert [[round(v, 4) for v in r] for r in x.grad.tolist()] == [[-0.9119, 1.2311], [3.6477, -0.6155]]


def test_multi_margin_loss_node_saves_its_arguments():
    x = x22()
    y = F.multi_margin_loss(x * x, fg.tensor([1, 0]), p=2, margin=2, weight=fg.tensor([1.0, 2.0], dtype=fg.float64),
                            reduction="sum")
    fn = y.grad_fn
    assert (fn.name(), edges(fn)) == ("MultiMarginLossBackward0", ["MulBackward0"])
    assert (fn._saved_p, fn._saved_margin, fn._saved_reduction) == (2, 2, 2)
    assert fn._saved_target.tolist() == [1, 0] and fn._saved_weight.tolist() == [1.0, 2.0]


def test_multi_margin_loss_no_gradient_at_the_hinge():
    x = x22()
    F.multi_margin_loss(x, fg.tensor([1, 1]), reduction="none").sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0], [0.5, -0.5]]


def test_multilabel_margin_loss_saves_is_target():
    x = x22()
    y = F.multilabel_margin_loss(x * x, fg.tensor([[1, -1], [0, 1]]))
    fn = y.grad_fn
    assert (fn.name(), edges(fn)) == ("MultilabelMarginLossBackward0", ["MulBackward0"])
    assert fn._saved_is_target.tolist() == [[0.0, 1.0], [1.0, 1.0]]
    assert fn._saved_reduction == 1


def test_grid_sample_edges_to_input_and_grid():
    x = x22()
    y = F.grid_sample(x.detach().reshape(1, 1, 2, 2), (x / 4).reshape(1, 1, 2, 2), mode="nearest",
                      padding_mode="border", align_corners=True)
    fn = y.grad_fn
    assert (fn.name(), edges(fn)) == ("GridSampler2DBackward0", [None, "ViewBackward0"])
    assert (fn._saved_interpolation_mode, fn._saved_padding_mode, fn._saved_align_corners) == (1, 1, True)
    assert fn._saved_input.requires_grad is False


def test_matrix_exp_and_lstsq_nodes():
    x = x22()
    fn = fg.linalg.matrix_exp(x * x).grad_fn
    assert (fn.name(), edges(fn)) == ("LinalgMatrixExpBackward0", ["MulBackward0"])
    assert fn._saved_self.tolist() == [[0.25, 2.25], [4.0, 0.5625]]
    fn = fg.linalg.lstsq(x, x * x).solution.grad_fn
    assert saved_names(fn) == ["_saved_b", "_saved_self", "_saved_solution"]
    assert fn._saved_solution.grad_fn.name() == "LinalgLstsqBackward0"


def test_pairwise_distance_is_norm_over_add_scalar():
    x = x22()
    y = F.pairwise_distance(x, x.flip(0), p=1, keepdim=True)
    fn = y.grad_fn
    assert (fn.name(), edges(fn)) == ("NormBackward1", ["AddBackward1"])
    assert (fn._saved_p, fn._saved_dim, fn._saved_keepdim) == (1.0, (1,), True)


def test_conv_tbc_channel_shuffle_affine_grid_nodes():
    x = x22()
    fn = fg.conv_tbc((x * x).reshape(2, 1, 2), x.reshape(1, 2, 2), x[0]).grad_fn
    assert (fn.name(), edges(fn)) == ("ConvTbcBackward0", ["ViewBackward0", "ViewBackward0", "SelectBackward0"])
    assert fn._saved_pad == 0
    fn = F.channel_shuffle((x * x).reshape(1, 4, 1, 1), 2).grad_fn
    assert (fn.name(), edges(fn), fn._saved_groups) == ("ChannelShuffleBackward0", ["ViewBackward0"], 2)
    fn = F.affine_grid(x.repeat(1, 2)[:, :3].unsqueeze(0), [1, 1, 2, 2], align_corners=False).grad_fn
    assert (fn.name(), edges(fn)) == ("AffineGridGeneratorBackward0", ["UnsqueezeBackward0"])
    assert (fn._saved_size, fn._saved_align_corners) == ((1, 1, 2, 2), False)


def test_pixel_shuffle_and_unfold_keep_their_arguments():
    x = fg.arange(16.0, dtype=fg.float64).reshape(1, 4, 2, 2).requires_grad_()
    assert F.pixel_shuffle(x, 2).grad_fn._saved_upscale_factor == 2
    assert F.pixel_unshuffle(x, 2).grad_fn._saved_downscale_factor == 2
    fn = F.unfold(x, (2, 1), padding=(1, 0), stride=2).grad_fn
    assert (fn._saved_kernel_size, fn._saved_padding, fn._saved_stride, fn._saved_dilation) == ((2, 1), (1, 0),
                                                                                                 (2, 2), (1, 1))
    assert (fn._saved_self_sym_argsize_minus_1, fn._saved_self_sym_argsize_minus_2) == (2, 2)


def test_fft_nodes_keep_their_arguments():
    x = x22()
    fn = fg.fft.rfft(x, norm="ortho").grad_fn
    assert (fn._saved_dim, fn._saved_normalization, fn._saved_onesided) == ((1,), 1, True)
    fn = fg.fft.fft(fg.complex(x, x), norm="forward").grad_fn
    assert (fn.name(), fn._saved_dim, fn._saved_forward, fn._saved_normalization) == ("FftC2CBackward0", (1,), True, 2)
    fn = fg.fft.irfft(fg.complex(x, x)).grad_fn
    assert (fn.name(), fn._saved_dim, fn._saved_normalization) == ("FftC2RBackward0", (1,), 2)


def test_lu_solve_householder_ormqr_nodes():
    x = x22()
    LU, piv = fg.linalg.lu_factor(x.detach())
    fn = fg.linalg.lu_solve(LU, piv, x * x).grad_fn
    assert (fn.name(), edges(fn)) == ("LinalgLuSolveBackward0", [None, "MulBackward0"])
    assert (fn._saved_left, fn._saved_adjoint, fn._saved_pivots.tolist()) == (True, False, [2, 2])
    fn = fg.linalg.householder_product(x * x, x[0] / 3).grad_fn
    assert (fn.name(), edges(fn)) == ("LinalgHouseholderProductBackward0", ["MulBackward0", "DivBackward0"])
    fn = fg.ormqr(x * x, x[0] / 3, x.flip(0)).grad_fn
    assert edges(fn) == ["MulBackward0", "DivBackward0", "FlipBackward0"]
    assert (fn._saved_left, fn._saved_transpose) == (True, False)


def test_embedding_bag_node_and_kernel_outputs():
    w = fg.tensor([[0.1, 0.9], [0.7, 0.2], [0.6, 0.8], [0.3, 0.85], [0.27, 0.25]], dtype=fg.float64,
                  requires_grad=True)
    y = F.embedding_bag(fg.tensor([0, 1, 1, 3, 4]), w, fg.tensor([0, 1, 1, 3]), mode="max", padding_idx=1)
    fn = y.grad_fn
    assert (fn.name(), edges(fn)) == ("EmbeddingBagBackward0", ["AccumulateGrad", None])
    assert fn._saved_result1.tolist() == [0, 2, 2, 3, 3]
    assert fn._saved_result2.tolist() == [1, 0, 0, 2]
    assert fn._saved_result3.tolist() == [[0, 0], [0, 0], [0, 0], [3, 3]]
    assert (fn._saved_mode, fn._saved_padding_idx, fn._saved_weight) == (2, 1, None)
    fn = F.embedding_bag(fg.tensor([0, 1, 1, 3, 4]), w.float(), fg.tensor([0, 1, 3]), mode="sum").grad_fn
    assert fn._saved_result1.tolist() == [] and fn._saved_padding_idx == 2 ** 64 - 1


@pytest.mark.parametrize("q, dim, expected", [
    (0.3, None, ["SqueezeBackward4", "LerpBackward1", "GatherBackward0", "ViewBackward0", "SortBackward0"]),
    ([0.3, 0.6], 1, ["SqueezeBackward4", "TransposeBackward1", "UnsqueezeBackward1", "LerpBackward1"]),
])
def test_quantile_records_atens_graph(q, dim, expected):
    x = x22()
    qt = q if isinstance(q, float) else fg.tensor(q, dtype=fg.float64)
    y = (x * x).quantile(qt, dim=dim)
    assert chain(y.grad_fn)[:len(expected)] == expected
    assert (y.grad_fn._saved_dim, y.grad_fn._saved_self_sym_sizes) == (2 ** 64 - 1, (1,) if dim is None else (2, 2, 1))


def test_nanquantile_all_nan_row_gradient_goes_to_the_first_sorted():
    x = fg.tensor([[float("nan"), float("nan")], [1.0, 2.0]], dtype=fg.float64, requires_grad=True)
    (x * 1).nanquantile(0.5, dim=1).sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0], [0.5, 0.5]]


def test_angle_of_real_is_one_node_with_zero_gradient():
    x = fg.tensor([-1.0, 2.0, float("inf")], dtype=fg.float64, requires_grad=True)
    y = (x * 1).angle()
    assert (y.grad_fn.name(), edges(y.grad_fn)) == ("AngleBackward0", ["MulBackward0"])
    assert y.grad_fn._saved_self.tolist() == [-1.0, 2.0, float("inf")]
    y.backward(fg.tensor([float("nan"), 1.0, 1.0], dtype=fg.float64))
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_matrix_power_3_and_norm_default_ord():
    x = x22()
    fn = fg.linalg.matrix_power(x * x, 3).grad_fn
    assert edges(fn) == ["MmBackward0", "MulBackward0"]
    assert fg.linalg.norm(x * x).grad_fn._saved_ord == 2.0
    assert repr(fg.linalg.norm(x * x, dim=(0, 1)).grad_fn._saved_ord) == "2.0"


def test_linalg_saved_tensors():
    x = x22()
    fn = fg.linalg.pinv(x * x).grad_fn
    assert fn._saved_self.grad_fn.name() == "MulBackward0" and fn._saved_result.grad_fn.name() == "LinalgPinvBackward0"
    fn = fg.linalg.cross(x.repeat(1, 2)[:, :3], x.detach().repeat(1, 2)[:, :3]).grad_fn
    assert (fn._saved_self, fn._saved_dim) == (None, 2 ** 64 - 1)
    fn = fg.linalg.eigh(x @ x.t()).eigenvalues.grad_fn
    assert [round(v, 4) for v in fn._saved_eigenvalues.tolist()] == [1.1692, 5.8933]
    fn = (x * x).nanmedian(-1).values.grad_fn
    assert (fn._saved_dim, fn._saved_keepdim, fn._saved_self_sym_sizes) == (2 ** 64 - 1, False, (2, 2))


def test_composite_nodes_keep_create_graph():
    x = fg.tensor([[0.31, 1.17], [0.2, -0.5]], dtype=fg.float64, requires_grad=True)
    (g,) = fg.autograd.grad(fg.linalg.matrix_exp(x * x).sum(), x, create_graph=True)
    (gg,) = fg.autograd.grad(g.sum(), x)
    assert [[round(v, 4) for v in r] for r in gg.tolist()] == [[5.6537, 3.6503], [8.0052, 3.9069]]
    (g,) = fg.autograd.grad(F.pairwise_distance(x, x.flip(0) * 2).sum(), x, create_graph=True)
    (gg,) = fg.autograd.grad(g.sum(), x)
    assert [[round(v, 4) for v in r] for r in gg.tolist()] == [[0.1022, -0.1058], [0.667, 0.0827]]


def test_loss_warnings_name_the_callers_line():
    import warnings

    x = fg.ones(2, 3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        F.kl_div(x, x)
        F.l1_loss(x, fg.ones(3))
    assert [w.filename for w in caught] == [__file__, __file__]
    assert "batchmean" in str(caught[0].message) and "target size" in str(caught[1].message)


def test_antialiased_interpolate_is_one_node():
    x = fg.arange(16.0, dtype=fg.float64).reshape(1, 1, 4, 4).requires_grad_()
    fn = F.interpolate(x * 1, size=(2, 3), mode="bilinear", antialias=True).grad_fn
    assert (fn.name(), edges(fn)) == ("UpsampleBilinear2DAaBackward0", ["MulBackward0"])
    assert (fn._saved_output_size, fn._saved_scales_h, fn._saved_align_corners, fn._saved_self_sym_sizes) == (
        (2, 3), None, False, (1, 1, 4, 4))
