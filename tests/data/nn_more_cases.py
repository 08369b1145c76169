"""Shared by tests/test_nn_more.py and tests/data/record_nn_more.py: deterministic inputs
(no random generator) and the cases, each a function of the module (ferrograd or torch)
returning a tensor or a tuple of tensors. Values recorded with PyTorch 2.13."""

import numpy as np


def _t(mod, a, dtype=None):
    return mod.tensor(np.asarray(a), dtype=dtype or mod.float64)


def inputs(mod):
    D = mod.float64
    return {
        "x": _t(mod, np.sin(np.arange(24) * 0.7).reshape(4, 6) * 3.5),
        "y": _t(mod, np.cos(np.arange(24) * 0.4).reshape(4, 6) * 2),
        "z": _t(mod, np.sin(np.arange(24) * 1.9 + 0.3).reshape(4, 6)),
        "pos": _t(mod, 0.2 + np.abs(np.cos(np.arange(24) * 0.8)).reshape(4, 6) * 3),
        "sign": _t(mod, np.where(np.sin(np.arange(24) * 2.3) > 0, 1.0, -1.0).reshape(4, 6)),
        "sign4": _t(mod, [1.0, -1.0, -1.0, 1.0]),
        "t01": _t(mod, (np.cos(np.arange(24) * 2.1) * 0.5 + 0.5).reshape(4, 6)),
        "img": _t(mod, np.sin(np.arange(2 * 6 * 5) * 0.37).reshape(2, 6, 5) * 2),
        "seq": _t(mod, np.sin(np.arange(5 * 2 * 3) * 0.61).reshape(5, 2, 3)),
        "q": _t(mod, np.sin(np.arange(2 * 2 * 3 * 4) * 0.53).reshape(2, 2, 3, 4)),
        "k": _t(mod, np.cos(np.arange(2 * 2 * 5 * 4) * 0.29).reshape(2, 2, 5, 4)),
        "v": _t(mod, np.sin(np.arange(2 * 2 * 5 * 4) * 0.83 + 1).reshape(2, 2, 5, 4)),
        "D": D,
    }


def functional_cases(mod):
    """name -> (function of one float64 input, input name); differentiable in the input."""
    F = mod.nn.functional
    d = inputs(mod)
    return {
        "celu": (lambda x: F.celu(x, 1.5), "x"),
        "selu": (lambda x: F.selu(x), "x"),
        "mish": (lambda x: F.mish(x), "x"),
        "softsign": (lambda x: F.softsign(x), "x"),
        "hardsigmoid": (lambda x: F.hardsigmoid(x), "x"),
        "hardswish": (lambda x: F.hardswish(x), "x"),
        "softmin": (lambda x: F.softmin(x, dim=1), "x"),
        "normalize": (lambda x: F.normalize(x, p=2.0, dim=1), "x"),
        "normalize_p1": (lambda x: F.normalize(x, p=1.0, dim=0), "x"),
        "tanhshrink": (lambda x: F.tanhshrink(x), "x"),
        "softshrink": (lambda x: F.softshrink(x, 0.7), "x"),
        "hardshrink": (lambda x: F.hardshrink(x, 0.7), "x"),
        "threshold": (lambda x: F.threshold(x, 0.4, -2.0), "x"),
        "glu": (lambda x: F.glu(x, dim=1), "x"),
        "glu0": (lambda x: F.glu(x, dim=0), "x"),
        "prelu": (lambda x: F.prelu(x, mod.tensor([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], dtype=d["D"])), "x"),
        "prelu1": (lambda x: F.prelu(x, mod.tensor([0.3], dtype=d["D"])), "x"),
        "rrelu_eval": (lambda x: F.rrelu(x, 0.1, 0.3, training=False), "x"),
        "huber": (lambda x: F.huber_loss(x, d["y"], delta=1.5), "x"),
        "huber_none": (lambda x: F.huber_loss(x, d["y"], reduction="none"), "x"),
        "kl_div": (lambda x: F.kl_div(F.log_softmax(x, 1), F.softmax(d["y"], 1), reduction="batchmean"), "x"),
        "kl_div_sum": (lambda x: F.kl_div(x, d["t01"], reduction="sum"), "x"),
        "kl_div_logt": (lambda x: F.kl_div(x, d["z"], reduction="none", log_target=True), "x"),
        "ce_smooth": (lambda x: F.cross_entropy(x, mod.tensor([1, 0, 5, 2]), label_smoothing=0.2), "x"),
        "ce_probs": (lambda x: F.cross_entropy(x, F.softmax(d["y"], 1), label_smoothing=0.1), "x"),
        "poisson": (lambda x: F.poisson_nll_loss(x, d["pos"]), "x"),
        "poisson_full": (lambda x: F.poisson_nll_loss(x.abs() + 0.5, d["pos"], log_input=False, full=True,
                                                      reduction="sum"), "x"),
        "gaussian": (lambda x: F.gaussian_nll_loss(x, d["y"], d["pos"]), "x"),
        "gaussian_var": (lambda v: F.gaussian_nll_loss(d["x"], d["y"], v.abs() + 0.1, full=True,
                                                       reduction="none"), "z"),
        "margin_ranking": (lambda x: F.margin_ranking_loss(x, d["y"], d["sign"], margin=0.3), "x"),
        "hinge": (lambda x: F.hinge_embedding_loss(x, d["sign"], margin=1.2), "x"),
        "soft_margin": (lambda x: F.soft_margin_loss(x, d["sign"]), "x"),
        "multilabel_soft_margin": (lambda x: F.multilabel_soft_margin_loss(x, d["t01"]), "x"),
        "multilabel_soft_margin_w": (lambda x: F.multilabel_soft_margin_loss(
            x, d["t01"], weight=mod.tensor([1.0, 2.0, 0.5, 1.0, 1.5, 0.2], dtype=d["D"]), reduction="none"), "x"),
        "cosine_embedding": (lambda x: F.cosine_embedding_loss(x, d["y"], d["sign4"], margin=0.1), "x"),
        "triplet": (lambda x: F.triplet_margin_loss(x, d["y"], d["z"], margin=2.0), "x"),
        "triplet_swap": (lambda x: F.triplet_margin_loss(d["y"], x, d["z"], p=1.0, swap=True,
                                                         reduction="none"), "x"),
        "cosine_similarity": (lambda x: F.cosine_similarity(x, d["y"]), "x"),
        "cosine_similarity0": (lambda x: F.cosine_similarity(x, d["y"], dim=0), "x"),
        "pairwise_distance": (lambda x: F.pairwise_distance(x, d["y"]), "x"),
        "pairwise_distance_p3": (lambda x: F.pairwise_distance(x, d["y"], p=3.0, keepdim=True), "x"),
        "group_norm": (lambda x: F.group_norm(x, 3, mod.linspace(0.5, 2, 6, dtype=d["D"]),
                                              mod.linspace(-1, 1, 6, dtype=d["D"])), "img"),
        "group_norm_noaffine": (lambda x: F.group_norm(x, 2), "img"),
        "bilinear": (lambda x: F.bilinear(x, d["y"][:, :4], mod.sin(mod.arange(3 * 6 * 4, dtype=d["D"])).reshape(
            3, 6, 4), mod.tensor([0.1, -0.2, 0.3], dtype=d["D"])), "x"),
        "sdpa": (lambda q: F.scaled_dot_product_attention(q, d["k"], d["v"]), "q"),
        "sdpa_causal": (lambda q: F.scaled_dot_product_attention(q, d["k"], d["v"], is_causal=True), "q"),
        "sdpa_bool_mask": (lambda q: F.scaled_dot_product_attention(
            q, d["k"], d["v"], attn_mask=mod.tensor([[True, False, True, True, False],
                                                      [False, True, True, False, True],
                                                      [True, True, False, False, False]])), "q"),
        "sdpa_float_mask": (lambda q: F.scaled_dot_product_attention(
            q, d["k"], d["v"], attn_mask=mod.sin(mod.arange(15, dtype=d["D"])).reshape(3, 5), scale=0.3), "q"),
        "sdpa_gqa": (lambda q: F.scaled_dot_product_attention(
            mod.cat([q, q * 0.5], 1), d["k"][:, :1], d["v"][:, :1], enable_gqa=True), "q"),
    }


def seeded_modules(mod):
    """name -> function building a module right after manual_seed(0), then its output(s)
    on a fixed input; the module's parameters are compared too."""
    nn = mod.nn
    d = inputs(mod)
    seq = d["seq"]

    def mha(**kw):
        def run():
            m = nn.MultiheadAttention(4, 2, dtype=d["D"], **kw)
            q = mod.sin(mod.arange(3 * 2 * 4, dtype=d["D"])).reshape(3, 2, 4)
            kdim, vdim = kw.get("kdim", 4), kw.get("vdim", 4)
            k = mod.cos(mod.arange(5 * 2 * kdim, dtype=d["D"])).reshape(5, 2, kdim)
            v = mod.sin(mod.arange(5 * 2 * vdim, dtype=d["D"]) * 0.3).reshape(5, 2, vdim)
            if kw.get("batch_first"):
                q, k, v = q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1)
            kpm = mod.tensor([[False, False, True, False, False], [False, False, False, False, True]])
            am = mod.tensor([[False, True, False, False, False]] * 3)
            out, w = m(q, k, v)
            out2, w2 = m(q, k, v, key_padding_mask=kpm, attn_mask=am, average_attn_weights=False)
            out3, _ = m(q, k, v, need_weights=False, attn_mask=am.to(d["D"]) * -1.5)
            return m, (out, w, out2, w2, out3)
        return run

    def rnn(cls, **kw):
        def run():
            m = cls(3, 4, dtype=d["D"], **kw)
            x = seq.transpose(0, 1) if kw.get("batch_first") else seq
            out = m(x)
            return m, out
        return run

    def rnn_h0(cls, lstm=False, **kw):
        def run():
            m = cls(3, 4, dtype=d["D"], **kw)
            layers = kw.get("num_layers", 1) * (2 if kw.get("bidirectional") else 1)
            h0 = mod.cos(mod.arange(layers * 2 * 4, dtype=d["D"])).reshape(layers, 2, 4) * 0.5
            if lstm:
                return m, m(seq, (h0, h0 * 0.3))
            return m, m(seq, h0)
        return run

    def cell(cls, lstm=False, **kw):
        def run():
            m = cls(3, 4, dtype=d["D"], **kw)
            h = mod.cos(mod.arange(8, dtype=d["D"])).reshape(2, 4)
            x = seq[0]
            if lstm:
                return m, (m(x), m(x, (h, h * 2)), m(x[0]))
            return m, (m(x), m(x, h), m(x[0]))
        return run

    def bilinear():
        m = nn.Bilinear(3, 2, 4, dtype=d["D"])
        return m, m(d["x"][:, :3], d["y"][:, :2])

    def groupnorm():
        m = nn.GroupNorm(3, 6, dtype=d["D"])
        return m, m(d["img"])

    def dropout_lstm():
        m = nn.LSTM(3, 4, num_layers=3, dropout=0.5, dtype=d["D"])
        return m, m(seq)

    def dropout_gru():
        m = nn.GRU(3, 4, num_layers=2, dropout=0.5, bidirectional=True, dtype=d["D"])
        return m, m(seq)

    def dropout_mha():
        m = nn.MultiheadAttention(4, 2, dropout=0.3, dtype=d["D"])
        x = mod.sin(mod.arange(3 * 2 * 4, dtype=d["D"]) * 0.4).reshape(3, 2, 4)
        return m, (m(x, x, x), m(x, x, x, need_weights=False))

    def dropout_sdpa():
        m = nn.Identity()
        return m, mod.nn.functional.scaled_dot_product_attention(d["q"], d["k"], d["v"], dropout_p=0.4)

    return {
        "dropout_lstm": dropout_lstm,
        "dropout_gru": dropout_gru,
        "dropout_mha": dropout_mha,
        "dropout_sdpa": dropout_sdpa,
        "mha": mha(),
        "mha_kv": mha(kdim=3, vdim=5, add_bias_kv=True, batch_first=True),
        "mha_zero_attn": mha(add_zero_attn=True, bias=False),
        "rnn": rnn(nn.RNN),
        "rnn_relu_2l_bi": rnn(nn.RNN, num_layers=2, nonlinearity="relu", bidirectional=True, batch_first=True),
        "rnn_h0": rnn_h0(nn.RNN, num_layers=2),
        "lstm": rnn(nn.LSTM, num_layers=2),
        "lstm_bi_nobias": rnn(nn.LSTM, bidirectional=True, bias=False),
        "lstm_h0": rnn_h0(nn.LSTM, lstm=True, bidirectional=True),
        "gru": rnn(nn.GRU, num_layers=2, bidirectional=True),
        "gru_h0": rnn_h0(nn.GRU, num_layers=2),
        "rnn_cell": cell(nn.RNNCell),
        "rnn_cell_relu": cell(nn.RNNCell, nonlinearity="relu"),
        "lstm_cell": cell(nn.LSTMCell, lstm=True),
        "gru_cell": cell(nn.GRUCell, bias=False),
        "bilinear": bilinear,
        "groupnorm": groupnorm,
    }


def flatten(obj):
    """Nested tuples of tensors (or None) to a flat list of nested lists."""
    if obj is None:
        return []
    if isinstance(obj, (tuple, list)):
        out = []
        for o in obj:
            out.extend(flatten(o))
        return out
    return [obj.detach().tolist()]
