"""nn.utils (rnn packing, weight/spectral norm, parametrize, fusion, total norm, skip_init,
functional_call), LSTM proj_size and packed input, embedding_bag, lazy modules: values and
gradients recorded from PyTorch 2.13 by tests/data/record_nn_utils.py (cases in
tests/data/nn_utils_cases.py), reprs, state_dict keys, errors, gradcheck."""

import copy
import json
import os
import sys
import warnings

import numpy as np
import pytest
from backend import fg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
import nn_utils_cases as cases

nn = fg.nn
F = nn.functional
rnn = nn.utils.rnn
P = nn.utils.parametrize
D = fg.float64

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "nn_utils_expected.json")) as _f:
    EXPECTED = json.load(_f)


def close(t, expected, rtol=1e-9, atol=1e-10):
    np.testing.assert_allclose(np.asarray(t.detach().tolist(), dtype=np.float64),
                               np.asarray(expected, dtype=np.float64), rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_values_and_gradients_match_pytorch(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = cases.all_cases(fg)[name]()
    exp = EXPECTED[name]
    assert len(got) == len(exp)
    for t, e in zip(got, exp):
        close(t, e)


# ---------------------------------------------------------------- rnn packing


def test_packed_sequence_fields_and_repr():
    p = rnn.pack_padded_sequence(fg.arange(12.0).reshape(4, 3), [4, 2, 1])
    assert p.batch_sizes.dtype == fg.int64
    assert p.sorted_indices is None and p.unsorted_indices is None
    assert p.data.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 9.0]
    assert repr(p).startswith("PackedSequence(data=tensor([0., 1., 2., 3., 4., 6., 9.]), batch_sizes=tensor([3, 2, 1, 1])")
    assert isinstance(p, tuple) and len(p) == 4
    assert p.double().data.dtype == D
    assert p.is_cuda is False
    q = rnn.PackedSequence(p.data, p.batch_sizes, fg.tensor([2, 0, 1]))
    assert q.unsorted_indices.tolist() == [1, 2, 0]


def test_packing_errors():
    x = fg.arange(12.0).reshape(4, 3)
    with pytest.raises(RuntimeError, match="`lengths` array must be sorted in decreasing order"):
        rnn.pack_padded_sequence(x, [3, 4, 1])
    with pytest.raises(RuntimeError, match=r"Expected `len\(lengths\)` to be equal to batch_size, but got 2 \(batch_size=3\)"):
        rnn.pack_padded_sequence(x, [4, 2])
    with pytest.raises(RuntimeError, match="Length of all samples has to be greater than 0"):
        rnn.pack_padded_sequence(x, [4, 2, 0])
    with pytest.raises(RuntimeError, match="received an empty list of sequences"):
        rnn.pad_sequence([])
    with pytest.raises(RuntimeError, match="Expected padding_side to be one of left or right, but got x."):
        rnn.pad_sequence([fg.ones(2)], padding_side="x")
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of tensor b \(2\) at non-singleton dimension 1"):
        rnn.pad_sequence([fg.ones(2, 3), fg.ones(3, 2)])
    with pytest.raises(ValueError, match="Expected total_length to be at least the length of the longest sequence"):
        rnn.pad_packed_sequence(rnn.pack_padded_sequence(x, [4, 2, 1]), total_length=2)
    with pytest.raises(RuntimeError, match="must be sorted in decreasing order"):
        rnn.pack_sequence([fg.ones(2), fg.ones(3)])


def test_pad_sequence_of_a_tensor_stacks_it():
    y = rnn.pad_sequence(fg.ones(2, 3))
    assert tuple(y.shape) == (3, 2)


def test_gradcheck_packing():
    x = cases.seq(fg, 4, 3, 2).requires_grad_()

    def f(x):
        p = rnn.pack_padded_sequence(x, [2, 4, 1], enforce_sorted=False)
        return rnn.pad_packed_sequence(p, batch_first=True, total_length=5)[0]

    assert fg.autograd.gradcheck(f, (x,))
    a = cases.seq(fg, 2, 3).requires_grad_()
    b = cases.seq(fg, 3, 3, phase=1.0).requires_grad_()
    assert fg.autograd.gradcheck(lambda a, b: rnn.pad_sequence([a, b], padding_side="left"), (a, b))


# ---------------------------------------------------------------- recurrent layers


def test_lstm_proj_parameters_shapes_repr():
    m = nn.LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2)
    assert [(k, tuple(v.shape)) for k, v in m.state_dict().items()][:5] == [
        ("weight_ih_l0", (20, 3)), ("weight_hh_l0", (20, 2)), ("bias_ih_l0", (20,)), ("bias_hh_l0", (20,)),
        ("weight_hr_l0", (2, 5))]
    assert tuple(m.weight_ih_l1.shape) == (20, 4)
    assert len(m.all_weights) == 4 and len(m.all_weights[0]) == 5
    assert repr(m) == "LSTM(3, 5, proj_size=2, num_layers=2, bidirectional=True)"
    out, (h, c) = m(fg.zeros(4, 6, 3))
    assert tuple(out.shape) == (4, 6, 4) and tuple(h.shape) == (4, 6, 2) and tuple(c.shape) == (4, 6, 5)
    out, (h, c) = m(fg.zeros(4, 3))
    assert tuple(out.shape) == (4, 4) and tuple(h.shape) == (4, 2) and tuple(c.shape) == (4, 5)
    assert [k for k in nn.LSTM(3, 5, bias=False, proj_size=2).state_dict()] == [
        "weight_ih_l0", "weight_hh_l0", "weight_hr_l0"]


def test_flatten_parameters_is_a_no_op():
    m = nn.LSTM(2, 3, proj_size=1)
    assert m.flatten_parameters() is None
    assert [id(p) for p in m._flat_weights] == [id(p) for p in m.parameters()]
    assert m._flat_weights_names == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0"]


def test_lstm_proj_errors():
    with pytest.raises(ValueError, match="proj_size has to be smaller than hidden_size"):
        nn.LSTM(3, 4, proj_size=4)
    with pytest.raises(ValueError, match="proj_size should be a positive integer or zero to disable projections"):
        nn.LSTM(3, 4, proj_size=-1)
    with pytest.raises(ValueError, match="proj_size argument is only supported for LSTM, not RNN or GRU"):
        nn.GRU(3, 4, proj_size=2)
    with pytest.raises(ValueError, match="proj_size argument is only supported for LSTM, not RNN or GRU"):
        nn.RNN(3, 4, proj_size=2)
    m = nn.LSTM(3, 4, proj_size=2)
    with pytest.raises(RuntimeError, match=r"Expected hidden\[0\] size \(1, 2, 2\), got \[1, 2, 4\]"):
        m(fg.zeros(5, 2, 3), (fg.zeros(1, 2, 4), fg.zeros(1, 2, 4)))


def test_packed_output_is_packed():
    m = nn.GRU(2, 3)
    p = rnn.pack_sequence([fg.ones(3, 2), fg.ones(1, 2)])
    out, h = m(p)
    assert isinstance(out, rnn.PackedSequence)
    assert out.batch_sizes.tolist() == [2, 1, 1]
    assert tuple(out.data.shape) == (4, 3) and tuple(h.shape) == (1, 2, 3)


def test_gradcheck_lstm_proj_and_packed():
    fg.manual_seed(0)
    m = nn.LSTM(2, 3, proj_size=2, bidirectional=True, dtype=D)
    x = cases.seq(fg, 3, 2, 2).requires_grad_()
    assert fg.autograd.gradcheck(lambda x: m(x)[0], (x,))

    def packed(x):
        p = rnn.pack_padded_sequence(x, [1, 3], enforce_sorted=False)
        out, (h, c) = m(p)
        return out.data, h, c

    assert fg.autograd.gradcheck(packed, (x,))


# ---------------------------------------------------------------- parametrize, weight/spectral norm


class _Symmetric(nn.Module):
    def forward(self, x):
        return x.triu() + x.triu(1).transpose(-1, -2)


class _Scale(nn.Module):
    def forward(self, x):
        return x * 2

    def right_inverse(self, x):
        return x / 2


def test_register_parametrization_class_repr_keys():
    m = nn.Linear(3, 3)
    orig = m.weight
    P.register_parametrization(m, "weight", _Symmetric())
    assert type(m).__name__ == "ParametrizedLinear"
    assert P.type_before_parametrizations(m) is nn.Linear
    assert isinstance(m, nn.Linear)
    assert repr(m) == (
        "ParametrizedLinear(\n  in_features=3, out_features=3, bias=True\n  (parametrizations): ModuleDict(\n"
        "    (weight): ParametrizationList(\n      (0): _Symmetric()\n    )\n  )\n)"
    )
    assert list(m.state_dict()) == ["bias", "parametrizations.weight.original"]
    assert [n for n, _ in m.named_parameters()] == ["bias", "parametrizations.weight.original"]
    assert m.parametrizations.weight.original is orig
    w = m.weight
    assert fg.equal(w, w.transpose(0, 1))
    assert P.is_parametrized(m) and P.is_parametrized(m, "weight") and not P.is_parametrized(m, "bias")
    P.remove_parametrizations(m, "weight")
    assert type(m) is nn.Linear
    assert list(m.state_dict()) == ["bias", "weight"]
    assert m.weight is orig and fg.equal(m.weight, w)
    assert not P.is_parametrized(m)


def test_parametrization_right_inverse_set_and_chain():
    m = nn.Linear(2, 2)
    P.register_parametrization(m, "weight", _Scale())
    with fg.no_grad():
        m.weight = fg.ones(2, 2) * 4
    assert m.parametrizations.weight.original.tolist() == [[2.0, 2.0], [2.0, 2.0]]
    assert m.weight.tolist() == [[4.0, 4.0], [4.0, 4.0]]
    P.register_parametrization(m, "weight", _Scale())
    assert m.weight.tolist() == [[8.0, 8.0], [8.0, 8.0]]
    assert len(m.parametrizations.weight) == 2
    P.remove_parametrizations(m, "weight", leave_parametrized=False)
    assert m.weight.tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_parametrize_cached():
    m = nn.Linear(2, 2)
    P.register_parametrization(m, "weight", _Symmetric())
    assert m.weight is not m.weight
    with P.cached():
        assert m.weight is m.weight


def test_parametrize_errors():
    m = nn.Linear(3, 3)
    with pytest.raises(ValueError, match="does not have a parametrization on weight"):
        P.remove_parametrizations(m, "weight")
    with pytest.raises(ValueError, match="does not have a parameter, a buffer, or a parametrized element with name 'foo'"):
        P.register_parametrization(m, "foo", _Symmetric())

    class Bad(nn.Module):
        def forward(self, x):
            return x[0]

    with pytest.raises(ValueError, match="Registering a parametrization may not change the shape of the tensor"):
        P.register_parametrization(m, "weight", Bad())
    m2 = nn.Linear(3, 2)
    nn.utils.parametrizations.weight_norm(m2)
    with pytest.raises(ValueError, match="Cannot leave unparametrized"):
        P.remove_parametrizations(m2, "weight", leave_parametrized=False)


def test_parametrized_deepcopy():
    m = nn.Linear(3, 3)
    P.register_parametrization(m, "weight", _Symmetric())
    c = copy.deepcopy(m)
    assert type(c).__name__ == "ParametrizedLinear"
    assert fg.equal(c.weight, m.weight)
    assert c.parametrizations.weight.original is not m.parametrizations.weight.original


def test_weight_norm_parametrization_keys_and_removal():
    m = nn.utils.parametrizations.weight_norm(nn.Linear(3, 2))
    assert list(m.state_dict()) == ["bias", "parametrizations.weight.original0", "parametrizations.weight.original1"]
    assert tuple(m.parametrizations.weight.original0.shape) == (2, 1)
    assert "(0): _WeightNorm()" in repr(m)
    w = m.weight.detach().clone()
    P.remove_parametrizations(m, "weight")
    assert type(m) is nn.Linear and isinstance(m.weight, nn.Parameter)
    close(m.weight, w.tolist())


def test_hook_weight_norm_keys_warning_removal():
    m = nn.Linear(3, 2)
    with pytest.warns(FutureWarning, match="`torch.nn.utils.weight_norm` is deprecated"):
        nn.utils.weight_norm(m)
    assert list(m.state_dict()) == ["bias", "weight_g", "weight_v"]
    assert repr(m) == "Linear(in_features=3, out_features=2, bias=True)"
    assert tuple(m.weight_g.shape) == (2, 1)
    with pytest.raises(RuntimeError, match="Cannot register two weight_norm hooks on the same parameter weight"):
        nn.utils.weight_norm(m)
    nn.utils.remove_weight_norm(m)
    assert list(m.state_dict()) == ["bias", "weight"]
    with pytest.raises(ValueError, match="weight_norm of 'weight' not found in Linear"):
        nn.utils.remove_weight_norm(m)


def test_spectral_norm_keys_and_errors():
    m = nn.utils.spectral_norm(nn.Linear(3, 2))
    assert list(m.state_dict()) == ["bias", "weight_orig", "weight_u", "weight_v"]
    with pytest.raises(ValueError, match="spectral_norm of 'weight' not found in Linear"):
        nn.utils.remove_spectral_norm(nn.Linear(2, 2))
    m = nn.utils.parametrizations.spectral_norm(nn.Linear(3, 2))
    assert list(m.state_dict()) == [
        "bias", "parametrizations.weight.original", "parametrizations.weight.0._u", "parametrizations.weight.0._v"]
    assert "(0): _SpectralNorm()" in repr(m)
    with pytest.raises(ValueError, match="Expected n_power_iterations to be positive, but got n_power_iterations=0"):
        nn.utils.parametrizations.spectral_norm(nn.Linear(3, 2), n_power_iterations=0)
    with pytest.raises(ValueError, match="has no parameter or buffer with name 'foo'"):
        nn.utils.parametrizations.spectral_norm(nn.Linear(3, 2), name="foo")


def test_gradcheck_weight_and_spectral_norm():
    g = cases.seq(fg, 3, 1).requires_grad_()
    v = cases.seq(fg, 3, 4, phase=0.5).requires_grad_()
    fg.manual_seed(0)
    m = nn.utils.parametrizations.weight_norm(nn.Linear(4, 3, dtype=D))
    plist = m.parametrizations.weight
    assert fg.autograd.gradcheck(lambda g, v: plist[0](g, v), (g, v))
    sn = nn.utils.parametrizations.spectral_norm(nn.Linear(4, 3, dtype=D)).eval()
    w = cases.seq(fg, 3, 4).requires_grad_()
    assert fg.autograd.gradcheck(lambda w: sn.parametrizations.weight[0](w), (w,))


# ---------------------------------------------------------------- fusion, norms, skip_init, functional_call


def test_fusion_errors():
    with pytest.raises(AssertionError, match="Fusion only for eval!"):
        nn.utils.fuse_conv_bn_eval(nn.Conv2d(2, 3, 2), nn.BatchNorm2d(3))
    with pytest.raises(AssertionError, match="To fuse, linear.out_features == bn.num_features or bn.num_features == 1"):
        nn.utils.fuse_linear_bn_eval(nn.Linear(2, 3).eval(), nn.BatchNorm1d(4).eval())


def test_fused_parameters_are_parameters():
    conv, bn = nn.Conv1d(2, 3, 2).eval(), nn.BatchNorm1d(3).eval()
    fused = nn.utils.fuse_conv_bn_eval(conv, bn)
    assert isinstance(fused.weight, nn.Parameter) and isinstance(fused.bias, nn.Parameter)
    assert fused is not conv and type(fused) is nn.Conv1d


def test_total_norm_edge_cases():
    assert fg.equal(nn.utils.get_total_norm([]), fg.tensor(0.0))
    t = nn.utils.get_total_norm([fg.ones(2), fg.ones(3, dtype=D)])
    assert t.dtype == D
    assert t.item() == pytest.approx(2.2360679621923203, abs=1e-15)  # the float32 norm is promoted
    with pytest.raises(RuntimeError, match="The total norm of order 2.0 for gradients from `parameters` is non-finite"):
        nn.utils.get_total_norm([fg.tensor([float("inf")])], error_if_nonfinite=True)
    p = fg.ones(2, requires_grad=True)
    assert nn.utils.clip_grads_with_norm_([p], 1.0, fg.tensor(2.0)) is None


def test_skip_init():
    m = nn.utils.skip_init(nn.Linear, 3, 2)
    assert type(m) is nn.Linear and tuple(m.weight.shape) == (2, 3)
    with pytest.raises(RuntimeError, match="Expected a Module; got <class 'int'>"):
        nn.utils.skip_init(int)
    with pytest.raises(RuntimeError, match="Module must support a 'device' arg to skip initialization"):
        nn.utils.skip_init(nn.ReLU)


class _Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(2, 2, bias=False)
        self.b = nn.Linear(2, 2, bias=False)
        self.b.weight = self.a.weight

    def forward(self, x):
        return self.a(x) + self.b(x)


def test_functional_call_ties_strict_and_restores():
    t = _Tied()
    before = t.a.weight
    y = fg.func.functional_call(t, {"a.weight": fg.eye(2)}, fg.ones(2))
    assert y.tolist() == [2.0, 2.0]
    assert t.a.weight is before and t.b.weight is before
    y = fg.func.functional_call(t, {"a.weight": fg.eye(2)}, fg.ones(2), tie_weights=False)
    assert not fg.equal(y, fg.tensor([2.0, 2.0]))
    with pytest.raises(ValueError, match=r"functional_call got multiple values for keys \['a.weight', 'b.weight'\]"):
        fg.func.functional_call(t, {"a.weight": fg.eye(2), "b.weight": fg.zeros(2, 2)}, fg.ones(2))
    m = nn.Linear(2, 2)
    with pytest.raises(RuntimeError, match=r"Error\(s\) in reparametrizing for Linear:\n\tUnexpected key\(s\): 'foo'.\n\tMissing key\(s\): 'bias'."):
        fg.func.functional_call(m, {"weight": fg.zeros(2, 2), "foo": fg.ones(1)}, (fg.ones(2),), strict=True)
    with pytest.raises(ValueError, match=r"\['weight'\] appeared in multiple dictionaries"):
        fg.func.functional_call(m, ({"weight": fg.zeros(2, 2)}, {"weight": fg.zeros(2, 2)}), fg.ones(2))
    with pytest.raises(ValueError, match="Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts"):
        fg.func.functional_call(m, 3, fg.ones(2))
    y = fg.func.functional_call(m, ({"weight": fg.zeros(2, 2)}, {"bias": fg.ones(2)}), fg.ones(2))
    assert y.tolist() == [1.0, 1.0]
    assert not hasattr(m, "foo")


def test_stateless_functional_call_warns():
    m = nn.Linear(2, 2)
    with pytest.warns(FutureWarning, match="`torch.nn.utils.stateless.functional_call` is deprecated"):
        y = nn.utils.stateless.functional_call(m, {"weight": fg.zeros(2, 2), "bias": fg.ones(2)}, fg.ones(2))
    assert y.tolist() == [1.0, 1.0]


# ---------------------------------------------------------------- embedding_bag, Embedding


def test_embedding_bag_module_repr_and_from_pretrained():
    assert repr(nn.EmbeddingBag(5, 3)) == "EmbeddingBag(5, 3, mode='mean')"
    m = nn.EmbeddingBag(5, 3, mode="max", padding_idx=0, max_norm=1.0, include_last_offset=True,
                        scale_grad_by_freq=True)
    assert repr(m) == "EmbeddingBag(5, 3, max_norm=1.0, scale_grad_by_freq=True, mode='max', padding_idx=0)"
    assert m.weight[0].tolist() == [0.0, 0.0, 0.0]
    w = fg.arange(12.0).reshape(4, 3)
    bag = nn.EmbeddingBag.from_pretrained(w)
    assert repr(bag) == "EmbeddingBag(4, 3, mode='mean')" and not bag.weight.requires_grad
    assert bag(fg.tensor([[0, 1]])).tolist() == [[1.5, 2.5, 3.5]]
    assert nn.EmbeddingBag.from_pretrained(w, freeze=False).weight.requires_grad
    emb = nn.Embedding.from_pretrained(w, padding_idx=1)
    assert repr(emb) == "Embedding(4, 3, padding_idx=1)" and not emb.weight.requires_grad
    assert emb(fg.tensor([2])).tolist() == [[6.0, 7.0, 8.0]]
    with pytest.raises(AssertionError, match="Embeddings parameter is expected to be 2-dimensional"):
        nn.Embedding.from_pretrained(fg.ones(3))
    with pytest.raises(AssertionError, match="padding_idx must be within num_embeddings"):
        nn.EmbeddingBag(3, 2, padding_idx=3)


def test_embedding_bag_errors():
    w = fg.arange(12.0).reshape(4, 3)
    i = fg.tensor([0, 1, 2, 3])
    with pytest.raises(RuntimeError, match="offsets\\[0\\] has to be 0"):
        F.embedding_bag(i, w, fg.tensor([1, 2]))
    with pytest.raises(ValueError, match="offsets has to be a 1D Tensor but got None"):
        F.embedding_bag(i, w)
    with pytest.raises(ValueError, match="if input is 2D, then offsets has to be None"):
        F.embedding_bag(i.reshape(2, 2), w, fg.tensor([0]))
    with pytest.raises(ValueError, match="mode has to be one of sum, mean or max"):
        F.embedding_bag(i, w, fg.tensor([0, 2]), mode="foo")
    with pytest.raises(NotImplementedError, match="per_sample_weights is only supported for mode='sum'"):
        F.embedding_bag(i, w, fg.tensor([0, 2]), mode="mean", per_sample_weights=fg.ones(4))
    with pytest.raises(ValueError, match="embedding_bag: If per_sample_weights"):
        F.embedding_bag(i, w, fg.tensor([0, 2]), mode="sum", per_sample_weights=fg.ones(3))
    with pytest.raises(RuntimeError, match="offsets\\[-1\\] can not be greater than input's length 4"):
        F.embedding_bag(i, w, fg.tensor([0, 5]))
    with pytest.raises(RuntimeError, match="Expected tensor for argument #1 'indices' to have one of the following"):
        F.embedding_bag(i.float(), w, fg.tensor([0, 2]))
    with pytest.raises(ValueError, match="offsets has to be a 1D Tensor"):
        F.embedding_bag(i, w, fg.tensor([[0, 2]]))
    with pytest.raises(ValueError, match="input has to be 1D or 2D Tensor, but got Tensor of dimension 3"):
        F.embedding_bag(i.reshape(1, 2, 2), w)
    with pytest.raises(ValueError, match="max mode does not support scaling the gradient by the frequency"):
        F.embedding_bag(i, w, fg.tensor([0, 2]), mode="max", scale_grad_by_freq=True)
    with pytest.raises(RuntimeError, match="padding_idx must be within the number of embeddings, -4 through 3"):
        F.embedding_bag(i, w, fg.tensor([0, 2]), padding_idx=5)


def test_gradcheck_embedding_bag():
    i = fg.tensor([0, 2, 2, 5, 1, 0, 3])
    off = fg.tensor([0, 3, 3, 5])
    for mode in ("sum", "mean", "max"):
        w = cases.seq(fg, 6, 3, scale=1.37).requires_grad_()
        assert fg.autograd.gradcheck(lambda w, mode=mode: F.embedding_bag(i, w, off, mode=mode, padding_idx=2), (w,))
    w = cases.seq(fg, 6, 3, scale=1.37).requires_grad_()
    psw = cases.seq(fg, 7, phase=0.3).requires_grad_()
    assert fg.autograd.gradcheck(lambda w, p: F.embedding_bag(i, w, off, mode="sum", per_sample_weights=p), (w, psw))


# ---------------------------------------------------------------- lazy modules


def test_lazy_linear_materializes_and_becomes_linear():
    m = nn.LazyLinear(3)
    assert repr(m) == "LazyLinear(in_features=0, out_features=3, bias=True)"
    assert repr(m.weight) == "<UninitializedParameter>"
    assert isinstance(m.weight, nn.UninitializedParameter) and isinstance(m.weight, nn.Parameter)
    assert list(m.state_dict()) == ["weight", "bias"]
    assert m.has_uninitialized_params()
    y = m(fg.ones(2, 4))
    assert tuple(y.shape) == (2, 3)
    assert type(m) is nn.Linear and type(m.weight) is nn.Parameter
    assert repr(m) == "Linear(in_features=4, out_features=3, bias=True)"
    assert tuple(m.weight.shape) == (3, 4)


def test_uninitialized_errors_and_materialize():
    u = nn.UninitializedParameter()
    assert u.requires_grad
    with pytest.raises(ValueError, match="Attempted to use an uninitialized parameter in"):
        u + 1
    with pytest.raises(ValueError, match="Attempted to use an uninitialized parameter in"):
        u.sum()
    with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized parameter or buffer"):
        u.shape  # noqa: B018
    u.materialize((2, 3))
    assert type(u) is nn.Parameter and tuple(u.shape) == (2, 3) and u.dtype == fg.float32
    b = nn.UninitializedBuffer()
    assert repr(b) == "<UninitializedBuffer>"
    b.materialize((3,), dtype=D)
    assert type(b) is fg.Tensor and b.dtype == D
    assert nn.UninitializedParameter.cls_to_become is nn.Parameter
    assert nn.UninitializedBuffer.cls_to_become is fg.Tensor


def test_lazy_batchnorm_and_conv():
    b = nn.LazyBatchNorm2d()
    assert repr(b.running_mean) == "<UninitializedBuffer>"
    assert b.num_batches_tracked.tolist() == 0
    b(fg.ones(2, 3, 2, 2))
    assert type(b) is nn.BatchNorm2d
    assert b.running_mean.tolist() == pytest.approx([0.1, 0.1, 0.1])
    assert list(b.state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    c = nn.LazyConv2d(4, 3)
    assert repr(c) == "LazyConv2d(0, 4, kernel_size=(3, 3), stride=(1, 1))"
    with pytest.raises(RuntimeError, match="Expected 3D \\(unbatched\\) or 4D \\(batched\\) input to LazyConv2d"):
        c(fg.ones(2, 3))
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        nn.LazyConv2d(4, 3, groups=2)(fg.ones(1, 3, 5, 5))
    t = nn.LazyConvTranspose1d(4, 3)
    t(fg.ones(2, 3, 5))
    assert repr(t) == "ConvTranspose1d(3, 4, kernel_size=(3,), stride=(1,))"
    assert tuple(t.weight.shape) == (3, 4, 3)
    c3 = nn.LazyConv3d(2, 1)
    c3(fg.ones(2, 2, 2, 2))
    assert type(c3) is nn.Conv3d and tuple(c3.weight.shape) == (2, 2, 1, 1, 1)


def test_lazy_load_state_dict_materializes():
    m = nn.LazyLinear(3)
    m.load_state_dict(nn.Linear(4, 3).state_dict())
    assert type(m) is nn.LazyLinear
    assert tuple(m.weight.shape) == (3, 4) and not nn.parameter.is_lazy(m.weight)
    assert nn.parameter.is_lazy(nn.LazyLinear(3).weight)


def test_uninitialized_exported():
    assert fg.nn.parameter.UninitializedParameter is nn.UninitializedParameter


def test_orthogonal_keys_errors_gradcheck():
    m = nn.utils.parametrizations.orthogonal(nn.Linear(3, 3, dtype=D))
    assert list(m.state_dict()) == ["bias", "parametrizations.weight.original", "parametrizations.weight.0.base"]
    w = m.weight
    close(w.transpose(0, 1).matmul(w), fg.eye(3, dtype=D).tolist())
    with pytest.raises(ValueError, match="Expected a matrix or batch of matrices. Got a tensor of 1 dimensions."):
        nn.utils.parametrizations.orthogonal(nn.Linear(3, 3), name="bias")
    with pytest.raises(ValueError, match='orthogonal_map has to be one of "matrix_exp", "cayley", "householder"'):
        nn.utils.parametrizations.orthogonal(nn.Linear(3, 3), orthogonal_map="qr")
    plain = nn.utils.parametrizations.orthogonal(nn.Linear(3, 3), orthogonal_map="cayley", use_trivialization=False)
    with pytest.raises(NotImplementedError, match="It is not possible to assign to the matrix exponential or the Cayley"):
        plain.weight = fg.eye(3)
    for omap, shape in (("matrix_exp", (3, 3)), ("cayley", (3, 3)), ("householder", (4, 2))):
        fg.manual_seed(0)
        lin = nn.Linear(shape[1], shape[0], dtype=D)
        orth = nn.utils.parametrizations.orthogonal(lin, orthogonal_map=omap).parametrizations.weight[0]
        x = cases.seq(fg, *shape, scale=0.77) * 0.3
        if omap == "householder":  # the map keeps the sign of the truncated diagonal: keep it at -1
            x = x - fg.eye(*shape, dtype=D) * 1.45
        assert fg.autograd.gradcheck(orth, (x.requires_grad_(),))


def test_transfer_parametrizations_and_params():
    a = nn.Linear(2, 2)
    P.register_parametrization(a, "weight", _Scale())
    b = nn.Linear(2, 2)
    P.transfer_parametrizations_and_params(a, b)
    assert type(b).__name__ == "ParametrizedLinear"
    assert fg.equal(a.weight, b.weight)
    assert b.parametrizations.weight.original is a.parametrizations.weight.original
    assert rnn.invert_permutation(fg.tensor([2, 0, 1])).tolist() == [1, 2, 0]
