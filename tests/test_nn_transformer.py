"""Transformer, its encoder/decoder stacks and layers against PyTorch 2.13: values and
gradients recorded by tests/data/record_nn_transformer.py (cases in
tests/data/nn_transformer_cases.py, deterministic weights), reprs, state_dict keys,
errors, gradcheck."""

import copy
import json
import os
import sys
import warnings

import numpy as np
import pytest
from backend import fg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
import nn_transformer_cases as cases

nn = fg.nn
D = fg.float64

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "nn_transformer_expected.json")) as _f:
    EXPECTED = json.load(_f)


def close(t, expected, rtol=1e-9, atol=1e-10):
    np.testing.assert_allclose(np.asarray(t.detach().tolist(), dtype=np.float64),
                               np.asarray(expected, dtype=np.float64), rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", sorted(EXPECTED["cases"]))
def test_values_and_gradients_match_pytorch(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m, inputs, y = cases.cases(fg)[name]()
    exp = EXPECTED["cases"][name]
    close(y, exp["out"])
    weights = fg.cos(fg.arange(y.numel(), dtype=D) * 0.37 + 0.2).reshape(tuple(y.shape))
    (y * weights).sum().backward()
    for x, g in zip(inputs, exp["input_grads"]):
        close(x.grad, g)
    grads = {k: p.grad for k, p in m.named_parameters()}
    assert sorted(grads) == sorted(exp["param_grads"])
    for k, g in exp["param_grads"].items():
        close(grads[k], g, atol=1e-9)


@pytest.mark.parametrize("name", sorted(EXPECTED["inference"]))
def test_inference_matches_pytorch_fast_paths(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = cases.inference_cases(fg)[name]()
    close(y, EXPECTED["inference"][name], rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("name", sorted(EXPECTED["reprs"]))
def test_repr_and_state_dict_keys_match_pytorch(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = cases.reprs(fg)[name]
    assert repr(m) == EXPECTED["reprs"][name]
    assert list(m.state_dict().keys()) == EXPECTED["state_dict_keys"][name]


def test_seeded_initialisation_matches_pytorch():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        modules = cases.seeded(fg)
    for name, m in modules.items():
        sd = m.state_dict()
        assert list(sd) == list(EXPECTED["seeded"][name])
        for k, v in EXPECTED["seeded"][name].items():
            close(sd[k], v, rtol=1e-12, atol=1e-14)


def test_state_dict_round_trip_gives_same_outputs():
    m1 = cases.set_weights(fg, nn.Transformer(8, 2, 1, 1, 16, dropout=0.0, dtype=D))
    m2 = nn.Transformer(8, 2, 1, 1, 16, dropout=0.0, dtype=D)
    assert str(m2.load_state_dict(m1.state_dict())) == "<All keys matched successfully>"
    s, t = cases.seq(fg, 5, 2, 8), cases.seq(fg, 4, 2, 8, phase=0.3)
    assert fg.equal(m1(s, t), m2(s, t))


def test_generate_square_subsequent_mask():
    mask = nn.Transformer.generate_square_subsequent_mask(3)
    assert mask.dtype == fg.float32
    inf = float("inf")
    assert mask.tolist() == [[0.0, -inf, -inf], [0.0, 0.0, -inf], [0.0, 0.0, 0.0]]
    assert nn.Transformer.generate_square_subsequent_mask(2, dtype=D).dtype == D


def test_layers_are_deep_copies():
    layer = nn.TransformerEncoderLayer(8, 2, 16)
    enc = nn.TransformerEncoder(layer, 3, enable_nested_tensor=False)
    assert len(enc.layers) == 3 and enc.num_layers == 3
    ids = {id(lay.linear1.weight) for lay in enc.layers} | {id(layer.linear1.weight)}
    assert len(ids) == 4
    assert fg.equal(enc.layers[0].linear1.weight, layer.linear1.weight)
    assert len(list(enc.parameters())) == 3 * len(list(layer.parameters()))


def test_attributes():
    layer = nn.TransformerEncoderLayer(8, 2, 16, activation="gelu")
    assert layer.activation is nn.functional.gelu
    assert layer.activation_relu_or_gelu == 2
    assert nn.TransformerEncoderLayer(8, 2, 16).activation_relu_or_gelu == 1
    assert nn.TransformerEncoderLayer(8, 2, 16, activation=fg.tanh).activation_relu_or_gelu == 0
    t = nn.Transformer(8, 2, 1, 1, 16, batch_first=True)
    assert (t.d_model, t.nhead, t.batch_first) == (8, 2, True)
    assert t.encoder.layers[0].self_attn.batch_first
    assert t.encoder.norm.eps == 1e-5
    dec = nn.TransformerDecoderLayer(8, 2, 16, layer_norm_eps=1e-3)
    assert dec.norm3.eps == 1e-3
    assert dec.dropout3.p == 0.1


def test_nested_tensor_warning():
    layer = nn.TransformerEncoderLayer(8, 2, 16)
    with pytest.warns(UserWarning, match="self.use_nested_tensor is False because encoder_layer.self_attn.batch_first"):
        enc = nn.TransformerEncoder(layer, 1)
    assert enc.use_nested_tensor is False and enc.enable_nested_tensor is True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 1)
    assert enc.use_nested_tensor is True


def test_errors():
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        nn.TransformerEncoderLayer(8, 2, 16, activation="tanh")
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not elu"):
        nn.TransformerDecoderLayer(8, 2, 16, activation="elu")
    t = nn.Transformer(8, 2, 1, 1, 16)
    with pytest.raises(RuntimeError, match="the batch number of src and tgt must be equal"):
        t(fg.zeros(5, 2, 8), fg.zeros(4, 3, 8))
    with pytest.raises(RuntimeError, match="the feature number of src and tgt must be equal to d_model"):
        t(fg.zeros(5, 2, 8), fg.zeros(4, 2, 6))
    layer = nn.TransformerEncoderLayer(8, 2, 16)
    with pytest.raises(AssertionError, match="only bool and floating types of src_key_padding_mask are supported"):
        layer(fg.zeros(5, 2, 8), src_key_padding_mask=fg.zeros(2, 5, dtype=fg.int64))
    with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal hint"):
        layer(fg.zeros(5, 2, 8), is_causal=True)
    with pytest.raises(AssertionError):
        nn.TransformerEncoderLayer(8, 3, 16)


def test_mismatched_mask_types_warn():
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0)
    with pytest.warns(UserWarning, match="Support for mismatched src_key_padding_mask and src_mask is deprecated"):
        layer(fg.zeros(5, 2, 8), src_mask=fg.zeros(5, 5), src_key_padding_mask=fg.zeros(2, 5, dtype=fg.bool))


def test_train_mode_dropout_changes_output_eval_does_not():
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.5)
    x = cases.seq(fg, 5, 2, 8).float()
    fg.manual_seed(0)
    a = layer(x)
    b = layer(x)
    assert not fg.equal(a, b)
    layer.eval()
    assert fg.equal(layer(x), layer(x))


def test_deepcopy_keeps_activation():
    layer = nn.TransformerDecoderLayer(8, 2, 16, activation="gelu")
    assert copy.deepcopy(layer).activation is nn.functional.gelu


@pytest.mark.parametrize("norm_first", [False, True])
def test_gradcheck_encoder_layer(norm_first):
    m = cases.set_weights(fg, nn.TransformerEncoderLayer(4, 2, 6, dropout=0.0, norm_first=norm_first, dtype=D))
    x = cases.seq(fg, 3, 2, 4).requires_grad_()
    mask = nn.Transformer.generate_square_subsequent_mask(3, dtype=D)
    assert fg.autograd.gradcheck(lambda x: m(x, src_mask=mask), (x,))


def test_gradcheck_decoder_layer():
    m = cases.set_weights(fg, nn.TransformerDecoderLayer(4, 2, 6, dropout=0.0, activation="gelu", dtype=D))
    t = cases.seq(fg, 3, 2, 4, phase=0.3).requires_grad_()
    s = cases.seq(fg, 4, 2, 4).requires_grad_()
    assert fg.autograd.gradcheck(lambda t, s: m(t, s), (t, s))
