"""Transformer cases shared by tests/test_nn_transformer.py and record_nn_transformer.py.

Every module gets deterministic weights (`set_weights`) so that the numbers depend only on
the arithmetic; `mod` is ferrograd or torch.
"""

D_MODEL = 8


def set_weights(mod, m):
    """Parameter k (in named_parameters order) = 0.3 sin(0.7 i + k) (+1 for norm weights)."""
    with mod.no_grad():
        for k, (name, p) in enumerate(m.named_parameters()):
            vals = mod.sin(mod.arange(p.numel(), dtype=mod.float64) * 0.7 + k) * 0.3
            if "norm" in name and name.endswith("weight"):
                vals = vals + 1.0
            p.copy_(vals.reshape(tuple(p.shape)).to(p.dtype))
    return m


def seq(mod, *shape, phase=0.0):
    n = 1
    for s in shape:
        n *= s
    return mod.cos(mod.arange(n, dtype=mod.float64) * 0.53 + phase).reshape(shape)


def _causal(mod, n):
    return mod.nn.Transformer.generate_square_subsequent_mask(n, dtype=mod.float64)


def _kpm(mod):
    # batch of 2, source length 5: the second sequence has 2 padded positions at the end
    return mod.tensor([[False, False, False, False, False], [False, False, False, True, True]])


def cases(mod):
    """name -> run() returning (module, input tensors that require grad, output)."""
    nn = mod.nn
    f64 = mod.float64

    def enc_layer(call=None, **kw):
        def run():
            m = set_weights(mod, nn.TransformerEncoderLayer(D_MODEL, 2, dim_feedforward=16, dropout=0.0,
                                                             dtype=f64, **kw))
            bf = kw.get("batch_first", False)
            x = seq(mod, *((2, 5, D_MODEL) if bf else (5, 2, D_MODEL))).requires_grad_()
            return m, [x], (call(m, x) if call else m(x))
        return run

    def dec_layer(call=None, **kw):
        def run():
            m = set_weights(mod, nn.TransformerDecoderLayer(D_MODEL, 2, dim_feedforward=16, dropout=0.0,
                                                             dtype=f64, **kw))
            bf = kw.get("batch_first", False)
            t = seq(mod, *((2, 4, D_MODEL) if bf else (4, 2, D_MODEL)), phase=0.3).requires_grad_()
            s = seq(mod, *((2, 5, D_MODEL) if bf else (5, 2, D_MODEL))).requires_grad_()
            return m, [t, s], (call(m, t, s) if call else m(t, s))
        return run

    def encoder(call, layers=2, norm=True, **kw):
        def run():
            layer = nn.TransformerEncoderLayer(D_MODEL, 2, dim_feedforward=16, dropout=0.0, dtype=f64, **kw)
            m = nn.TransformerEncoder(layer, layers, nn.LayerNorm(D_MODEL, dtype=f64) if norm else None,
                                      enable_nested_tensor=False)
            set_weights(mod, m)
            bf = kw.get("batch_first", False)
            x = seq(mod, *((2, 5, D_MODEL) if bf else (5, 2, D_MODEL))).requires_grad_()
            return m, [x], call(m, x)
        return run

    def decoder(call, **kw):
        def run():
            layer = nn.TransformerDecoderLayer(D_MODEL, 2, dim_feedforward=16, dropout=0.0, dtype=f64, **kw)
            m = set_weights(mod, nn.TransformerDecoder(layer, 2, nn.LayerNorm(D_MODEL, dtype=f64)))
            t = seq(mod, 4, 2, D_MODEL, phase=0.3).requires_grad_()
            s = seq(mod, 5, 2, D_MODEL).requires_grad_()
            return m, [t, s], call(m, t, s)
        return run

    def transformer(call, **kw):
        def run():
            m = set_weights(mod, nn.Transformer(D_MODEL, 2, 2, 2, 16, dropout=0.0, dtype=f64, **kw))
            bf = kw.get("batch_first", False)
            s = seq(mod, *((2, 5, D_MODEL) if bf else (5, 2, D_MODEL))).requires_grad_()
            t = seq(mod, *((2, 4, D_MODEL) if bf else (4, 2, D_MODEL)), phase=0.3).requires_grad_()
            return m, [s, t], call(m, s, t)
        return run

    def unbatched_enc():
        m = set_weights(mod, nn.TransformerEncoderLayer(D_MODEL, 2, dim_feedforward=16, dropout=0.0, dtype=f64))
        x = seq(mod, 5, D_MODEL).requires_grad_()
        return m, [x], m(x)

    return {
        "enc_post_relu": enc_layer(),
        "enc_pre_gelu_bf_nobias": enc_layer(activation="gelu", batch_first=True, norm_first=True, bias=False,
                                            layer_norm_eps=1e-3),
        "enc_callable_act": enc_layer(activation=mod.tanh),
        "enc_module_act": enc_layer(activation=nn.GELU(approximate="tanh")),
        "enc_masks": enc_layer(lambda m, x: m(x, src_mask=_causal(mod, 5), src_key_padding_mask=_kpm(mod))),
        "enc_bool_mask_causal": enc_layer(
            lambda m, x: m(x, src_mask=_causal(mod, 5) != 0, is_causal=True), norm_first=True),
        "enc_causal_hint_wins_over_mask": enc_layer(
            lambda m, x: m(x, src_mask=mod.zeros(5, 5, dtype=f64), is_causal=True)),
        "dec_causal_hint_wins_over_mask": dec_layer(
            lambda m, t, s: m(t, s, tgt_mask=mod.zeros(4, 4, dtype=f64), tgt_is_causal=True)),
        "enc_float_kpm_bf": enc_layer(
            lambda m, x: m(x, src_key_padding_mask=_kpm(mod).to(f64) * -1e9), batch_first=True),
        "enc_unbatched": unbatched_enc,
        "dec_post": dec_layer(),
        "dec_pre_gelu_bf": dec_layer(activation="gelu", norm_first=True, batch_first=True),
        "dec_masks": dec_layer(lambda m, t, s: m(t, s, tgt_mask=_causal(mod, 4), memory_mask=mod.zeros(4, 5,
                               dtype=f64), tgt_key_padding_mask=mod.tensor([[False] * 4, [False, False, False, True]]),
                               memory_key_padding_mask=_kpm(mod), tgt_is_causal=True)),
        "encoder_masks": encoder(lambda m, x: m(x, mask=_causal(mod, 5), src_key_padding_mask=_kpm(mod))),
        "encoder_causal_detect": encoder(lambda m, x: m(x, mask=_causal(mod, 5)), norm=False, norm_first=True),
        "encoder_bf": encoder(lambda m, x: m(x, src_key_padding_mask=_kpm(mod)), batch_first=True),
        "decoder": decoder(lambda m, t, s: m(t, s, tgt_mask=_causal(mod, 4), memory_key_padding_mask=_kpm(mod))),
        "transformer": transformer(lambda m, s, t: m(s, t, tgt_mask=_causal(mod, 4))),
        "transformer_bf_pre": transformer(
            lambda m, s, t: m(s, t, src_key_padding_mask=_kpm(mod), memory_key_padding_mask=_kpm(mod),
                              tgt_mask=_causal(mod, 4), tgt_is_causal=True), batch_first=True, norm_first=True),
    }


def inference_cases(mod):
    """Eval mode under no_grad (PyTorch's fast paths); name -> run() returning the output."""
    nn = mod.nn
    f64 = mod.float64

    def nested():
        layer = nn.TransformerEncoderLayer(D_MODEL, 2, dim_feedforward=16, dropout=0.1, batch_first=True, dtype=f64)
        m = set_weights(mod, nn.TransformerEncoder(layer, 2, nn.LayerNorm(D_MODEL, dtype=f64))).eval()
        with mod.no_grad():
            return m(seq(mod, 2, 5, D_MODEL), src_key_padding_mask=_kpm(mod))

    def nested_no_norm():
        layer = nn.TransformerEncoderLayer(D_MODEL, 2, dim_feedforward=16, dropout=0.1, batch_first=True, dtype=f64)
        m = set_weights(mod, nn.TransformerEncoder(layer, 1)).eval()
        with mod.no_grad():
            return m(seq(mod, 2, 5, D_MODEL), src_key_padding_mask=_kpm(mod))

    def layer_fast():
        m = set_weights(mod, nn.TransformerEncoderLayer(D_MODEL, 2, dim_feedforward=16, batch_first=True,
                                                         dtype=f64)).eval()
        with mod.no_grad():
            return m(seq(mod, 2, 5, D_MODEL), src_key_padding_mask=_kpm(mod))

    def transformer_eval():
        m = set_weights(mod, nn.Transformer(D_MODEL, 2, 1, 1, 16, batch_first=True, dtype=f64)).eval()
        with mod.no_grad():
            return m(seq(mod, 2, 5, D_MODEL), seq(mod, 2, 4, D_MODEL, phase=0.3), src_key_padding_mask=_kpm(mod))

    return {"nested": nested, "nested_no_norm": nested_no_norm, "layer_fast": layer_fast,
            "transformer_eval": transformer_eval}


def reprs(mod):
    nn = mod.nn
    return {
        "enc_layer": nn.TransformerEncoderLayer(8, 2, 16),
        "enc_layer_module_act": nn.TransformerEncoderLayer(8, 2, 16, activation=nn.GELU(), bias=False),
        "dec_layer": nn.TransformerDecoderLayer(8, 2, 16, norm_first=True),
        "transformer": nn.Transformer(8, 2, 1, 1, 16),
    }


def seeded(mod):
    """Modules built right after manual_seed(0): PyTorch's initialisation, number for number."""
    mod.manual_seed(0)
    t = mod.nn.Transformer(8, 2, 2, 1, 16, dtype=mod.float64)
    mod.manual_seed(0)
    layer = mod.nn.TransformerDecoderLayer(8, 2, 16, dtype=mod.float64)
    return {"transformer": t, "decoder_layer": layer}
