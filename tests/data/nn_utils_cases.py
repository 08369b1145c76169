"""Cases shared by tests/test_nn_utils_more.py and record_nn_utils.py: each returns a list of
tensors (values, and gradients taken inside the case); `mod` is ferrograd or torch.
Seeded cases rely on ferrograd's initialisation drawing the same numbers as PyTorch's."""


def seq(mod, *shape, phase=0.0, scale=0.53):
    n = 1
    for s in shape:
        n *= s
    return mod.cos(mod.arange(n, dtype=mod.float64) * scale + phase).reshape(shape)


def _weights_like(mod, y):
    return mod.cos(mod.arange(y.numel(), dtype=mod.float64) * 0.37 + 0.2).reshape(tuple(y.shape))


def _backward(mod, y, *inputs):
    """Backpropagates a fixed weighting of y; returns the inputs' gradients."""
    (y * _weights_like(mod, y)).sum().backward()
    return [x.grad for x in inputs]


def packing_cases(mod):
    rnn = mod.nn.utils.rnn

    def pack_sorted():
        x = seq(mod, 4, 3, 2).requires_grad_()
        p = rnn.pack_padded_sequence(x, [4, 2, 1])
        return [p.data, p.batch_sizes, *_backward(mod, p.data, x)]

    def pack_unsorted_batch_first():
        x = seq(mod, 3, 4, 2).requires_grad_()
        p = rnn.pack_padded_sequence(x, mod.tensor([2, 4, 1]), batch_first=True, enforce_sorted=False)
        return [p.data, p.batch_sizes, p.sorted_indices, p.unsorted_indices, *_backward(mod, p.data, x)]

    def pad_packed_round_trip():
        x = seq(mod, 4, 3, 2).requires_grad_()
        p = rnn.pack_padded_sequence(x, [3, 4, 1], enforce_sorted=False)
        padded, lengths = rnn.pad_packed_sequence(p, batch_first=True, padding_value=-2.0, total_length=6)
        return [padded, lengths, *_backward(mod, padded, x)]

    def pad_sequence_right():
        a, b, c = seq(mod, 2, 3).requires_grad_(), seq(mod, 4, 3, phase=1.0), seq(mod, 1, 3, phase=2.0)
        y = rnn.pad_sequence([a, b, c], padding_value=0.5)
        return [y, *_backward(mod, y, a)]

    def pad_sequence_left_batch_first():
        a, b = seq(mod, 2), seq(mod, 5, phase=1.0).requires_grad_()
        y = rnn.pad_sequence([a, b], batch_first=True, padding_side="left")
        return [y, *_backward(mod, y, b)]

    def pack_sequence_unsorted():
        seqs = [seq(mod, 2, 2), seq(mod, 3, 2, phase=1.0), seq(mod, 1, 2, phase=2.0)]
        p = rnn.pack_sequence(seqs, enforce_sorted=False)
        return [p.data, p.batch_sizes, p.sorted_indices, *rnn.unpack_sequence(p)]

    def unpad():
        x = seq(mod, 4, 3, 2)
        return rnn.unpad_sequence(x, mod.tensor([4, 1, 2]))

    return {"pack_sorted": pack_sorted, "pack_unsorted_batch_first": pack_unsorted_batch_first,
            "pad_packed_round_trip": pad_packed_round_trip, "pad_sequence_right": pad_sequence_right,
            "pad_sequence_left_batch_first": pad_sequence_left_batch_first,
            "pack_sequence_unsorted": pack_sequence_unsorted, "unpad": unpad}


def recurrent_cases(mod):
    nn = mod.nn
    rnn = nn.utils.rnn
    f64 = mod.float64

    def packed(cls, lengths, enforce_sorted, with_h0=False, **kw):
        def run():
            mod.manual_seed(0)
            m = getattr(nn, cls)(3, 4, dtype=f64, **kw)
            x = seq(mod, 5, 3, 3).requires_grad_()
            p = rnn.pack_padded_sequence(x, lengths, enforce_sorted=enforce_sorted)
            dirs = (2 if kw.get("bidirectional") else 1) * kw.get("num_layers", 1)
            hsize = kw.get("proj_size", 0) or 4
            if with_h0:
                h0 = seq(mod, dirs, 3, hsize, phase=0.4)
                hx = (h0, seq(mod, dirs, 3, 4, phase=0.9)) if cls == "LSTM" else h0
                out, h = m(p, hx)
            else:
                out, h = m(p)
            hs = list(h) if cls == "LSTM" else [h]
            loss_target = mod.cat([out.data.reshape(-1)] + [t.reshape(-1) for t in hs])
            return [out.data, out.batch_sizes, *hs, *_backward(mod, loss_target, x)]
        return run

    def proj(bidirectional, num_layers, batch_first=False):
        def run():
            mod.manual_seed(0)
            m = nn.LSTM(3, 5, num_layers=num_layers, bidirectional=bidirectional, proj_size=2,
                        batch_first=batch_first, dtype=f64)
            x = seq(mod, 4, 2, 3).requires_grad_()
            out, (h, c) = m(x)
            target = mod.cat([out.reshape(-1), h.reshape(-1), c.reshape(-1)])
            grads = _backward(mod, target, x)
            return [out, h, c, *grads, m.weight_hr_l0.grad]
        return run

    return {
        "lstm_packed_sorted": packed("LSTM", [5, 3, 2], True),
        "lstm_packed_unsorted_bi_h0": packed("LSTM", [2, 5, 3], False, with_h0=True, bidirectional=True),
        "lstm_packed_proj_2layers": packed("LSTM", [4, 5, 1], False, proj_size=2, num_layers=2),
        "gru_packed_bi": packed("GRU", [5, 4, 4], True, bidirectional=True, num_layers=2),
        "rnn_packed_h0": packed("RNN", [3, 1, 5], False, with_h0=True),
        "lstm_proj": proj(False, 1),
        "lstm_proj_bi_2layers": proj(True, 2),
        "lstm_proj_batch_first": proj(False, 1, batch_first=True),
    }


def norm_cases(mod):
    nn = mod.nn
    utils = nn.utils
    f64 = mod.float64

    def param_weight_norm(dim):
        def run():
            mod.manual_seed(0)
            m = utils.parametrizations.weight_norm(nn.Linear(4, 3, dtype=f64), dim=dim)
            x = seq(mod, 2, 4)
            y = m(x)
            g, v = m.parametrizations.weight.original0, m.parametrizations.weight.original1
            return [m.weight, y, g, *_backward(mod, y, g, v)]
        return run

    def hook_weight_norm():
        mod.manual_seed(0)
        m = utils.weight_norm(nn.Conv1d(2, 3, 2, dtype=f64), dim=1)
        y = m(seq(mod, 1, 2, 4))
        return [m.weight_g, m.weight, y, *_backward(mod, y, m.weight_g, m.weight_v)]

    def param_spectral_norm():
        mod.manual_seed(0)
        m = nn.Linear(4, 3, dtype=f64)
        mod.manual_seed(1)
        utils.parametrizations.spectral_norm(m)
        u0 = m.parametrizations.weight[0]._u.clone()
        y1 = m(seq(mod, 2, 4))
        y2 = m(seq(mod, 2, 4))
        m.eval()
        y3 = m(seq(mod, 2, 4))
        grads = _backward(mod, y3, m.parametrizations.weight.original)
        return [u0, y1, y2, y3, m.parametrizations.weight[0]._u, m.parametrizations.weight[0]._v, *grads]

    def param_spectral_norm_conv_transpose():
        mod.manual_seed(0)
        m = nn.ConvTranspose2d(2, 3, 2, dtype=f64)
        mod.manual_seed(1)
        utils.parametrizations.spectral_norm(m, n_power_iterations=2)
        return [m.weight, m.parametrizations.weight[0]._v]

    def hook_spectral_norm():
        mod.manual_seed(0)
        m = nn.Linear(4, 3, dtype=f64)
        mod.manual_seed(1)
        utils.spectral_norm(m, n_power_iterations=2)
        u0 = m.weight_u.clone()
        y1 = m(seq(mod, 2, 4))
        m.eval()
        y2 = m(seq(mod, 2, 4))
        grads = _backward(mod, y2, m.weight_orig)
        utils.remove_spectral_norm(m)
        return [u0, y1, y2, *grads, m.weight]

    def orthogonal(shape, orthogonal_map, use_trivialization=True):
        def run():
            mod.manual_seed(0)
            m = nn.Linear(shape[1], shape[0], dtype=f64)
            utils.parametrizations.orthogonal(m, orthogonal_map=orthogonal_map, use_trivialization=use_trivialization)
            w0 = m.weight
            original = m.parametrizations.weight.original
            with mod.no_grad():
                original.add_(seq(mod, *shape, scale=0.77) * 0.3)
            w1 = m.weight
            grads = _backward(mod, w1, original)
            with mod.no_grad():
                mod.manual_seed(3)
                m.weight = mod.randn(*shape, dtype=f64)
            return [w0, w1, *grads, m.weight] + ([m.parametrizations.weight[0].base] if use_trivialization else [])
        return run

    return {"orthogonal_exp": orthogonal((4, 4), None), "orthogonal_cayley": orthogonal((3, 3), "cayley"),
            "orthogonal_tall": orthogonal((5, 3), None), "orthogonal_wide": orthogonal((3, 5), "matrix_exp"),
            "orthogonal_householder_plain": orthogonal((5, 3), "householder", False),
            "param_weight_norm_0": param_weight_norm(0), "param_weight_norm_1": param_weight_norm(1),
            "param_weight_norm_none": param_weight_norm(None), "hook_weight_norm": hook_weight_norm,
            "param_spectral_norm": param_spectral_norm,
            "param_spectral_norm_conv_transpose": param_spectral_norm_conv_transpose,
            "hook_spectral_norm": hook_spectral_norm}


def embedding_bag_cases(mod):
    F = mod.nn.functional
    f64 = mod.float64
    idx = mod.tensor([0, 2, 2, 5, 1, 0, 3])

    def bag(**kw):
        def run():
            w = seq(mod, 6, 3, scale=1.37).requires_grad_()
            y = F.embedding_bag(idx, w, **kw)
            return [y, *_backward(mod, y, w)]
        return run

    def bag2d(mode):
        def run():
            w = seq(mod, 6, 3, scale=1.37).requires_grad_()
            y = F.embedding_bag(idx[:6].reshape(2, 3), w, mode=mode)
            return [y, *_backward(mod, y, w)]
        return run

    def per_sample():
        w = seq(mod, 6, 3, scale=1.37).requires_grad_()
        psw = seq(mod, 7, phase=0.3).requires_grad_()
        y = F.embedding_bag(idx, w, mod.tensor([0, 3, 5, 7]), mode="sum", per_sample_weights=psw,
                            include_last_offset=True)
        return [y, *_backward(mod, y, w, psw)]

    def max_norm():
        w = seq(mod, 6, 3, scale=1.37) * 2
        y = F.embedding_bag(idx, w, mod.tensor([0, 4]), max_norm=1.5, norm_type=1.0)
        return [y, w]

    def embedding_max_norm():
        w = seq(mod, 6, 3, scale=1.37) * 2
        y = F.embedding(mod.tensor([[0, 2], [5, 0]]), w, max_norm=1.0)
        return [y, w]

    def embedding_scale_grad_by_freq():
        w = seq(mod, 6, 3, scale=1.37).requires_grad_()
        y = F.embedding(mod.tensor([[0, 2, 2], [2, 1, 0]]), w, scale_grad_by_freq=True, padding_idx=1)
        return [y, *_backward(mod, y, w)]

    def module_seeded():
        mod.manual_seed(0)
        m = mod.nn.EmbeddingBag(6, 3, mode="max", padding_idx=1, dtype=f64)
        y = m(idx, mod.tensor([0, 2, 4]))
        return [m.weight, y]

    return {
        "sum": bag(offsets=mod.tensor([0, 3, 3, 5]), mode="sum"),
        "mean": bag(offsets=mod.tensor([0, 3, 3, 5]), mode="mean"),
        "max": bag(offsets=mod.tensor([0, 3, 3, 5]), mode="max"),
        "mean_padding": bag(offsets=mod.tensor([0, 3, 5]), mode="mean", padding_idx=2),
        "max_padding": bag(offsets=mod.tensor([0, 3, 5]), mode="max", padding_idx=0),
        "sum_last_offset": bag(offsets=mod.tensor([0, 2, 7]), mode="sum", include_last_offset=True),
        "2d_sum": bag2d("sum"), "2d_mean": bag2d("mean"), "2d_max": bag2d("max"),
        "per_sample_weights": per_sample, "max_norm": max_norm, "embedding_max_norm": embedding_max_norm,
        "embedding_scale_grad_by_freq": embedding_scale_grad_by_freq,
        "module_seeded": module_seeded,
    }


def misc_cases(mod):
    nn = mod.nn
    utils = nn.utils
    f64 = mod.float64

    def fuse_conv():
        mod.manual_seed(0)
        conv = nn.Conv2d(2, 3, 2, dtype=f64).eval()
        bn = nn.BatchNorm2d(3, dtype=f64).eval()
        with mod.no_grad():
            bn.running_mean.copy_(seq(mod, 3))
            bn.running_var.copy_(seq(mod, 3, phase=0.5) + 1.5)
            bn.weight.copy_(seq(mod, 3, phase=1.0))
            bn.bias.copy_(seq(mod, 3, phase=2.0))
        fused = utils.fuse_conv_bn_eval(conv, bn)
        return [fused.weight, fused.bias, fused(seq(mod, 1, 2, 3, 3))]

    def fuse_conv_transpose_no_bias():
        mod.manual_seed(0)
        conv = nn.ConvTranspose2d(3, 2, 2, bias=False, dtype=f64).eval()
        bn = nn.BatchNorm2d(2, affine=False, dtype=f64).eval()
        with mod.no_grad():
            bn.running_var.fill_(2.0)
        w, b = utils.fuse_conv_bn_weights(conv.weight, None, bn.running_mean, bn.running_var, bn.eps, None, None,
                                          transpose=True)
        return [w, b]

    def fuse_linear():
        mod.manual_seed(0)
        lin = nn.Linear(4, 3, dtype=f64).eval()
        bn = nn.BatchNorm1d(3, dtype=f64).eval()
        with mod.no_grad():
            bn.running_mean.copy_(seq(mod, 3))
            bn.running_var.copy_(seq(mod, 3, phase=0.5) + 1.5)
        fused = utils.fuse_linear_bn_eval(lin, bn)
        return [fused.weight, fused.bias, fused(seq(mod, 2, 4))]

    def total_norm():
        ts = [seq(mod, 3), seq(mod, 2, 2, phase=1.0)]
        out = [utils.get_total_norm(ts), utils.get_total_norm(ts, norm_type=1.0),
               utils.get_total_norm(ts, norm_type=float("inf")), utils.get_total_norm(ts[0], 3.0)]
        p = [seq(mod, 3).requires_grad_(), seq(mod, 2, 2).requires_grad_()]
        for q, g in zip(p, ts):
            q.grad = g.clone()
        utils.clip_grads_with_norm_(p, 0.5, utils.get_total_norm([q.grad for q in p]))
        return out + [q.grad for q in p]

    def lazy_seeded():
        mod.manual_seed(0)
        lin = nn.LazyLinear(3, dtype=f64)
        y1 = lin(seq(mod, 2, 4))
        conv = nn.LazyConv1d(2, 2, dtype=f64)
        y2 = conv(seq(mod, 1, 3, 5))
        convt = nn.LazyConvTranspose2d(2, 2, dtype=f64)
        y3 = convt(seq(mod, 1, 3, 2, 2))
        bn = nn.LazyBatchNorm1d(dtype=f64)
        y4 = bn(seq(mod, 4, 3))
        return [lin.weight, y1, conv.weight, y2, convt.weight, y3, y4, bn.running_mean, bn.running_var]

    def functional_call():
        mod.manual_seed(0)
        lin = nn.Linear(3, 2, dtype=f64)
        w = seq(mod, 2, 3).requires_grad_()
        y = mod.func.functional_call(lin, {"weight": w}, (seq(mod, 4, 3, phase=1.0),))
        return [y, *_backward(mod, y, w), lin.weight]

    def adaptive_softmax():
        mod.manual_seed(0)
        m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], div_value=2.0, head_bias=True, dtype=f64)
        x = seq(mod, 6, 8, scale=0.91).requires_grad_()
        out = m(x * 3, mod.tensor([0, 4, 9, 2, 7, 5]))
        grads = _backward(mod, out.loss, x)
        full = m.log_prob(x.detach() * 3)
        return [out.output, out.loss, *grads, full, m.predict(x.detach() * 3), m(x[0], mod.tensor(8)).output]

    return {"adaptive_softmax": adaptive_softmax, "fuse_conv": fuse_conv, "fuse_conv_transpose_no_bias": fuse_conv_transpose_no_bias,
            "fuse_linear": fuse_linear, "total_norm": total_norm, "lazy_seeded": lazy_seeded,
            "functional_call": functional_call}


def all_cases(mod):
    out = {}
    for group in (packing_cases, recurrent_cases, norm_cases, embedding_bag_cases, misc_cases):
        for name, run in group(mod).items():
            out[f"{group.__name__[:-6]}.{name}"] = run
    return out
