"""More nn: activations, losses, distances, group_norm, bilinear, attention, recurrent
layers, init functions. Expected numbers recorded from PyTorch 2.13 by
tests/data/record_nn_more.py (inputs and cases in tests/data/nn_more_cases.py)."""

import json
import math
import os
import sys

import numpy as np
import pytest
from backend import fg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
import nn_more_cases

nn = fg.nn
F = fg.nn.functional
D = fg.float64

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "nn_more_expected.json")) as _f:
    EXPECTED = json.load(_f)

FUNCTIONAL = nn_more_cases.functional_cases(fg)
INPUTS = nn_more_cases.inputs(fg)


def close(t, expected, rtol=1e-9, atol=1e-11):
    np.testing.assert_allclose(np.asarray(t.detach().tolist(), dtype=np.float64), np.asarray(expected, dtype=np.float64),
                               rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", sorted(FUNCTIONAL))
def test_functional_values_and_grads_match_pytorch(name):
    fn, arg = FUNCTIONAL[name]
    x = INPUTS[arg].detach().clone().requires_grad_()
    y = fn(x)
    exp = EXPECTED["functional"][name]
    close(y, exp["out"])
    weights = fg.cos(fg.arange(y.numel(), dtype=D) * 0.37 + 0.2).reshape(tuple(y.shape))
    (y * weights).sum().backward()
    close(x.grad, exp["grad"])


GRADCHECK = ["celu", "selu", "mish", "softsign", "hardsigmoid", "hardswish", "softmin", "normalize", "tanhshrink",
             "softshrink", "hardshrink", "threshold", "glu", "prelu", "huber", "kl_div", "kl_div_logt", "poisson",
             "poisson_full", "gaussian", "gaussian_var", "margin_ranking", "soft_margin", "multilabel_soft_margin",
             "cosine_embedding", "triplet", "triplet_swap", "cosine_similarity", "pairwise_distance",
             "pairwise_distance_p3", "group_norm", "bilinear", "sdpa", "sdpa_causal", "sdpa_bool_mask",
             "sdpa_float_mask", "sdpa_gqa", "ce_smooth", "ce_probs"]


@pytest.mark.parametrize("name", GRADCHECK)
def test_gradcheck(name):
    fn, arg = FUNCTIONAL[name]
    x = (INPUTS[arg].detach() + 0.013).requires_grad_()  # away from the kinks at 0
    assert fg.autograd.gradcheck(fn, (x,))


@pytest.mark.parametrize("name", sorted(nn_more_cases.seeded_modules(fg)))
def test_seeded_modules_match_pytorch(name):
    run = nn_more_cases.seeded_modules(fg)[name]
    fg.manual_seed(0)
    m, res = run()
    exp = EXPECTED["modules"][name]
    params = dict(m.named_parameters())
    assert list(params) == list(exp["params"])
    for k, v in exp["params"].items():
        close(params[k], v, rtol=1e-12, atol=1e-14)
    got = nn_more_cases.flatten(res)
    assert len(got) == len(exp["out"])
    for g, e in zip(got, exp["out"]):
        np.testing.assert_allclose(np.asarray(g, dtype=np.float64), np.asarray(e, dtype=np.float64),
                                   rtol=1e-9, atol=1e-11)


def test_module_gradcheck_lstm_and_mha():
    fg.manual_seed(0)
    lstm = nn.LSTM(3, 2, num_layers=2, bidirectional=True, dtype=D)
    x = INPUTS["seq"][:3].detach().clone().requires_grad_()
    assert fg.autograd.gradcheck(lambda t: lstm(t)[0], (x,))
    gru = nn.GRU(3, 2, dtype=D)
    assert fg.autograd.gradcheck(lambda t: gru(t)[1], (x,))
    mha = nn.MultiheadAttention(4, 2, dtype=D)
    q = fg.sin(fg.arange(8, dtype=D)).reshape(2, 1, 4).requires_grad_()
    assert fg.autograd.gradcheck(lambda t: mha(t, t, t)[0], (q,))


def test_reprs():
    cases = [
        (nn.CELU(), "CELU(alpha=1.0)"),
        (nn.CELU(2.0, True), "CELU(alpha=2.0, inplace=True)"),
        (nn.SELU(), "SELU()"),
        (nn.SELU(True), "SELU(inplace=True)"),
        (nn.Mish(), "Mish()"),
        (nn.Softsign(), "Softsign()"),
        (nn.Hardsigmoid(), "Hardsigmoid()"),
        (nn.Hardswish(True), "Hardswish()"),
        (nn.Softmin(1), "Softmin(dim=1)"),
        (nn.Tanhshrink(), "Tanhshrink()"),
        (nn.Softshrink(), "Softshrink(0.5)"),
        (nn.Softshrink(0.3), "Softshrink(0.3)"),
        (nn.Hardshrink(), "Hardshrink(0.5)"),
        (nn.Threshold(0.1, 20), "Threshold(threshold=0.1, value=20)"),
        (nn.Threshold(0.1, 20, True), "Threshold(threshold=0.1, value=20, inplace=True)"),
        (nn.GLU(), "GLU(dim=-1)"),
        (nn.GLU(0), "GLU(dim=0)"),
        (nn.PReLU(), "PReLU(num_parameters=1)"),
        (nn.PReLU(3, 0.1), "PReLU(num_parameters=3)"),
        (nn.RReLU(), "RReLU(lower=0.125, upper=0.3333333333333333)"),
        (nn.RReLU(0.1, 0.3, True), "RReLU(lower=0.1, upper=0.3, inplace=True)"),
        (nn.HuberLoss(), "HuberLoss()"),
        (nn.KLDivLoss(), "KLDivLoss()"),
        (nn.PoissonNLLLoss(), "PoissonNLLLoss()"),
        (nn.GaussianNLLLoss(), "GaussianNLLLoss()"),
        (nn.MarginRankingLoss(), "MarginRankingLoss()"),
        (nn.HingeEmbeddingLoss(), "HingeEmbeddingLoss()"),
        (nn.SoftMarginLoss(), "SoftMarginLoss()"),
        (nn.MultiLabelSoftMarginLoss(), "MultiLabelSoftMarginLoss()"),
        (nn.CosineEmbeddingLoss(), "CosineEmbeddingLoss()"),
        (nn.TripletMarginLoss(swap=True), "TripletMarginLoss()"),
        (nn.CosineSimilarity(), "CosineSimilarity()"),
        (nn.PairwiseDistance(), "PairwiseDistance()"),
        (nn.GroupNorm(2, 4), "GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)"),
        (nn.Bilinear(2, 3, 4), "Bilinear(in1_features=2, in2_features=3, out_features=4, bias=True)"),
        (nn.MultiheadAttention(4, 2), ("MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear("
                                      "in_features=4, out_features=4, bias=True)\n)")),
        (nn.RNN(3, 4), "RNN(3, 4)"),
        (nn.RNN(3, 4, 2, nonlinearity="relu", bias=False, batch_first=True, dropout=0.5, bidirectional=True),
         "RNN(3, 4, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)"),
        (nn.LSTM(3, 4, 2), "LSTM(3, 4, num_layers=2)"),
        (nn.GRU(3, 4, bidirectional=True), "GRU(3, 4, bidirectional=True)"),
        (nn.RNNCell(3, 4), "RNNCell(3, 4)"),
        (nn.RNNCell(3, 4, nonlinearity="relu"), "RNNCell(3, 4, nonlinearity=relu)"),
        (nn.LSTMCell(3, 4, bias=False), "LSTMCell(3, 4, bias=False)"),
        (nn.GRUCell(3, 4), "GRUCell(3, 4)"),
    ]
    for m, text in cases:
        assert repr(m) == text


def test_recurrent_parameter_names_and_shapes():
    m = nn.LSTM(3, 4, 2, bidirectional=True)
    names = [n for n, _ in m.named_parameters()]
    assert names == [
        "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
        "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
        "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
        "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
    ]
    assert tuple(m.weight_ih_l1.shape) == (16, 8)
    assert tuple(nn.GRU(3, 5).weight_hh_l0.shape) == (15, 5)
    out, (h, c) = m(fg.zeros(7, 2, 3))
    assert tuple(out.shape) == (7, 2, 8) and tuple(h.shape) == (4, 2, 4) and tuple(c.shape) == (4, 2, 4)
    out, h = nn.GRU(3, 4, batch_first=True)(fg.zeros(2, 7, 3))
    assert tuple(out.shape) == (2, 7, 4) and tuple(h.shape) == (1, 2, 4)
    out, h = nn.RNN(3, 4)(fg.zeros(7, 3))
    assert tuple(out.shape) == (7, 4) and tuple(h.shape) == (1, 4)


def test_recurrent_errors():
    with pytest.raises(ValueError, match="Expected input to be 2D or 3D, got 4D tensor instead"):
        nn.RNN(3, 4)(fg.zeros(1, 2, 3, 3))
    with pytest.raises(RuntimeError, match="input.size\\(-1\\) must be equal to input_size. Expected 3, got 5"):
        nn.GRU(3, 4)(fg.zeros(2, 2, 5))
    with pytest.raises(RuntimeError, match=r"Expected hidden size \(1, 2, 4\), got \[1, 3, 4\]"):
        nn.RNN(3, 4)(fg.zeros(2, 2, 3), fg.zeros(1, 3, 4))
    with pytest.raises(ValueError):
        nn.RNN(3, 4, nonlinearity="gelu")


def test_errors():
    with pytest.raises(RuntimeError, match="Halving dimension must be even, but dimension 1 is size 5"):
        F.glu(fg.zeros(2, 5))
    with pytest.raises(ValueError, match="num_channels \\(6\\) must be divisible by num_groups \\(4\\)"):
        nn.GroupNorm(4, 6)
    with pytest.raises(RuntimeError, match="Expected number of channels in input to be divisible by num_groups"):
        F.group_norm(fg.zeros(2, 6, 3), 4)
    with pytest.raises(ValueError, match="var is of incorrect size"):
        F.gaussian_nll_loss(fg.zeros(2, 3), fg.zeros(2, 3), fg.ones(3, 2))
    with pytest.raises(ValueError, match="TripletMarginLoss: expected margin to be greater than 0"):
        nn.TripletMarginLoss(margin=0.0)


def test_kl_div_mean_warns():
    with pytest.warns(UserWarning, match="batchmean"):
        F.kl_div(fg.zeros(2, 2), fg.ones(2, 2) * 0.5)


def test_sdpa_shapes_and_fully_masked_rows():
    q = fg.ones(2, 3, 4)
    out = F.scaled_dot_product_attention(q, fg.ones(2, 6, 4), fg.ones(2, 6, 5))
    assert tuple(out.shape) == (2, 3, 5)
    mask = fg.tensor([[True] * 6, [False] * 6, [True] * 6])
    out = F.scaled_dot_product_attention(q, fg.ones(2, 6, 4), fg.ones(2, 6, 5), attn_mask=mask)
    close(out[:, 1], np.zeros((2, 5)))
    close(out[:, 0], np.ones((2, 5)))


def test_sdpa_dropout_full_and_none():
    q = fg.ones(1, 2, 4)
    out = F.scaled_dot_product_attention(q, q, q, dropout_p=1.0)
    close(out, np.zeros((1, 2, 4)))


def test_mha_needs_mask_for_is_causal_hint():
    m = nn.MultiheadAttention(4, 2)
    x = fg.zeros(3, 1, 4)
    with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal hint"):
        m(x, x, x, is_causal=True)
    out, w = m(x[:, 0], x[:, 0], x[:, 0])
    assert tuple(out.shape) == (3, 4) and tuple(w.shape) == (3, 3)


# --------------------------------------------------------------------------- init


def test_calculate_gain():
    assert nn.init.calculate_gain("tanh") == 5.0 / 3
    assert nn.init.calculate_gain("relu") == math.sqrt(2.0)
    assert nn.init.calculate_gain("leaky_relu", 0.2) == math.sqrt(2.0 / (1 + 0.2**2))
    assert nn.init.calculate_gain("selu") == 3.0 / 4
    assert nn.init.calculate_gain("conv2d") == 1
    with pytest.raises(ValueError, match="Unsupported nonlinearity foo"):
        nn.init.calculate_gain("foo")


def test_eye_and_dirac():
    w = fg.empty(3, 4)
    nn.init.eye_(w)
    close(w, np.eye(3, 4))
    c = fg.empty(4, 2, 3)
    nn.init.dirac_(c, groups=2)
    exp = np.zeros((4, 2, 3))
    exp[0, 0, 1] = exp[1, 1, 1] = exp[2, 0, 1] = exp[3, 1, 1] = 1
    close(c, exp)
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        nn.init.eye_(fg.empty(2, 2, 2))


def test_trunc_normal_matches_pytorch():
    fg.manual_seed(0)
    w = fg.empty(20, dtype=D)
    nn.init.trunc_normal_(w, mean=0.5, std=2.0, a=-1.0, b=3.0)
    close(w, EXPECTED_INIT["trunc_normal"], rtol=1e-12)
    assert float(w.min()) >= -1.0 and float(w.max()) <= 3.0


def test_orthogonal_is_orthogonal_and_matches_pytorch():
    fg.manual_seed(0)
    w = fg.empty(3, 5, dtype=D)
    nn.init.orthogonal_(w, gain=2.0)
    close(w, EXPECTED_INIT["orthogonal"], rtol=1e-8, atol=1e-10)
    a = np.asarray(w.tolist())
    np.testing.assert_allclose(a @ a.T, 4 * np.eye(3), atol=1e-12)


def test_sparse_matches_pytorch():
    fg.manual_seed(0)
    w = fg.empty(10, 3, dtype=D)
    nn.init.sparse_(w, sparsity=0.3, std=0.5)
    close(w, EXPECTED_INIT["sparse"], rtol=1e-12)
    assert (np.asarray(w.tolist()) == 0).sum(0).tolist() == [3, 3, 3]


EXPECTED_INIT = EXPECTED.get("init", {})
