"""Mismatches against PyTorch found by differential fuzzing of nn.functional, nn modules,
linalg, fft and special; expected values and exception types were observed from PyTorch."""

import ferrograd as torch
import ferrograd.nn.functional as F
import numpy as np
import pytest


def close(t, expected, tol=1e-6):
    np.testing.assert_allclose(np.asarray(t.detach().tolist(), dtype=np.float64), expected, rtol=tol, atol=tol)


# ---- cosine_similarity broadcasts before picking `dim`, and promotes integer inputs ----

def test_cosine_similarity_dim_refers_to_broadcast_shape():
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    b = torch.tensor([[[1.0, 0.0]], [[0.0, 1.0]]])
    out = F.cosine_similarity(a, b, dim=0)
    assert tuple(out.shape) == (2, 2)
    close(out, [[0.7071067690849304, 0.7071067690849304], [0.7071068286895752, 0.7071067690849304]])


def test_cosine_similarity_values_and_grads_with_broadcast_row():
    a = torch.tensor([[1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 0.0, 1.0], [2.0, 2.0, 1.0, 1.0]], requires_grad=True)
    b = torch.tensor([[1.0, 0.0, 1.0, 0.0]], requires_grad=True)
    c = F.cosine_similarity(a, b, dim=1)
    close(c, [0.5163977146148682, 0.0, 0.6708203554153442])
    assert c.grad_fn.name() == "SumBackward1"
    c.sum().backward()
    close(a.grad, [[0.11188618838787079, -0.03442651405930519, 0.0774596780538559, -0.06885302811861038],
                   [0.5, 0.0, 0.5, 0.0],
                   [0.08944271504878998, -0.13416408002376556, 0.15652474761009216, -0.06708204001188278]], 1e-5)
    close(b.grad, [[-0.01729603111743927, 1.2054123878479004, 0.017296046018600464, 1.240004539489746]], 1e-5)


def test_cosine_similarity_zero_dim_operand_broadcasts():
    out = F.cosine_similarity(torch.ones(5, 4), torch.tensor(2.0), dim=1)
    assert tuple(out.shape) == (5,)
    close(out, [1.0] * 5)


def test_cosine_similarity_promotes_integer_input():
    out = F.cosine_similarity(torch.tensor([[3, 4]]), torch.tensor([[4.0, 3.0]]), dim=1)
    assert out.dtype == torch.float32
    close(out, [0.96])


def test_cosine_similarity_two_integer_inputs_raise():
    with pytest.raises(RuntimeError, match="common dtype is Long"):
        F.cosine_similarity(torch.tensor([1, 2]), torch.tensor([1, 2]), dim=0)


# ---- hardshrink zeroes the band with +0 ----

def test_hardshrink_band_is_positive_zero():
    out = F.hardshrink(torch.tensor([-0.3, 0.2, -2.0, float("nan")]))
    assert repr(out) == "tensor([ 0.,  0., -2., nan])"
    assert np.signbit(np.asarray(out.tolist())[:2]).tolist() == [False, False]


# ---- poisson_nll_loss(full=True) differentiates Stirling's term w.r.t. the target ----

def test_poisson_nll_loss_full_target_gradient():
    x = torch.tensor([[0.5, 1.0, 2.0], [1.0, -1.0, 0.5]], dtype=torch.float64, requires_grad=True)
    t = torch.tensor([[0.5, 2.0, 3.0], [4.0, 0.2, 1.5]], dtype=torch.float64, requires_grad=True)
    loss = F.poisson_nll_loss(x.exp(), t, log_input=False, full=True)
    loss.backward()
    close(loss, 1.582326938422202, 1e-7)
    close(t.grad, [[-0.08333333434421776, -0.009475470519808182, -0.12245350766976276],
                   [0.0852157262401827, 0.16666666213619702, 0.03979973922936518]], 1e-6)
    close(x.grad, [[0.19145354562213024, 0.1197136393027723, 0.7315093504984514],
                   [-0.2136196928042962, 0.027979907768000967, 0.02478687996634798]], 1e-6)


# ---- losses refuse a requires-grad target / class weights, as PyTorch's kernels do ----

def _refusal_cases():
    x = torch.randn(3, 4, requires_grad=True)
    t = torch.rand(3, 4, requires_grad=True)
    w = torch.rand(4, requires_grad=True)
    idx = torch.tensor([0, 1, 2])
    return [
        ("soft_margin_loss", "target", lambda: F.soft_margin_loss(x, t)),
        ("binary_cross_entropy", "weight", lambda: F.binary_cross_entropy(x.sigmoid(), t.detach(), weight=w)),
        ("binary_cross_entropy_with_logits", "weight",
         lambda: F.binary_cross_entropy_with_logits(x, t.detach(), weight=w)),
        ("binary_cross_entropy_with_logits", "pos_weight",
         lambda: F.binary_cross_entropy_with_logits(x, t.detach(), pos_weight=w)),
        ("multi_margin_loss", "weight", lambda: F.multi_margin_loss(x, idx, weight=w)),
        ("nll_loss_forward", "weight", lambda: F.nll_loss(x, idx, weight=w)),
        ("nll_loss_forward", "weight", lambda: F.cross_entropy(x, idx, weight=w)),
        ("nll_loss_forward", "weight", lambda: torch.nn.CrossEntropyLoss(weight=w)(x, idx)),
    ]


@pytest.mark.parametrize("case", range(8))
def test_loss_refuses_requires_grad_argument(case):
    fn, arg, call = _refusal_cases()[case]
    msg = f"The function '{fn}' is not differentiable with respect to argument '{arg}'"
    with pytest.raises(RuntimeError, match=msg):
        call()


def test_loss_accepts_requires_grad_weight_under_no_grad():
    w = torch.rand(4, requires_grad=True)
    with torch.no_grad():
        out = F.nll_loss(torch.randn(3, 4), torch.tensor([0, 1, 2]), weight=w)
    assert out.shape == ()


# ---- linalg.eig / linalg.eigvals exist, with PyTorch's values, dtypes, errors and gradient ----

_EIG_A = [[2.0, 1.0, 0.5], [-1.0, 3.0, 0.2], [0.3, 0.1, 1.0]]


def test_linalg_eig_values_and_vectors():
    a = torch.tensor(_EIG_A, dtype=torch.float64)
    L, V = torch.linalg.eig(a)
    assert L.dtype == torch.complex128 and V.dtype == torch.complex128
    np.testing.assert_allclose(np.asarray(L.tolist()), [2.549421326786522 + 0.8576662421849104j,
                                                        2.549421326786522 - 0.8576662421849104j,
                                                        0.9011573464269577 + 0j], rtol=1e-10)
    np.testing.assert_allclose(np.asarray(V.tolist())[:, 0], [0.7027907146963972, 0.317714733109141 + 0.6206025328812128j,
                                                              0.13682694762520228 - 0.03568532313021123j], rtol=1e-9)
    res = torch.linalg.eig(a)
    assert type(res).__name__ == "linalg_eig" and res.eigenvalues is not None and res.eigenvectors is not None


def test_linalg_eig_gradient_of_eigenvalue_moduli():
    a = torch.tensor(_EIG_A, dtype=torch.float64, requires_grad=True)
    L, _ = torch.linalg.eig(a)
    assert L.grad_fn.name() == "LinalgEigBackward0"
    L.abs().sum().backward()
    close(a.grad, [[1.1216242810430603, 0.34597962786076414, 0.0069465386320038],
                   [-0.36384098705273604, 0.7870109726680984, -0.06804741727286213],
                   [-0.04796029958657038, 0.042518757374006275, 0.9869709706470946]], 1e-9)


def test_linalg_eigvals_float32_gives_complex64():
    out = torch.linalg.eigvals(torch.tensor([[2.0, 0.0], [0.0, 3.0]]))
    assert out.dtype == torch.complex64
    np.testing.assert_allclose(np.asarray(out.tolist()), [2.0, 3.0])
    assert tuple(torch.linalg.eigvals(torch.ones(2, 0, 0)).shape) == (2, 0)


def test_linalg_eig_phase_dependent_loss_is_refused():
    a = torch.tensor(_EIG_A, requires_grad=True)
    _, V = torch.linalg.eig(a)
    with pytest.raises(RuntimeError, match="specified up to multiplication by"):
        V.imag.sum().backward()


@pytest.mark.parametrize("value,exc,msg", [
    (torch.ones(3), RuntimeError, "must have at least 2 dimensions"),
    (torch.ones(2, 3), RuntimeError, "they are 2 by 3 matrices"),
    (torch.ones(3, 3, dtype=torch.int64), RuntimeError, "Unknown Complex ScalarType for Long"),
    (torch.ones(3, 3, dtype=torch.float16), NotImplementedError, "linalg_eig_out_cpu"),
    (torch.tensor([[1.0, float("nan")], [0.0, 1.0]]), RuntimeError, "should not contain infs or NaNs"),
])
def test_linalg_eig_errors(value, exc, msg):
    with pytest.raises(exc, match=msg):
        torch.linalg.eig(value)


# ---- argument checks of the norms, embedding, prelu, rrelu, Flatten/Unflatten, huber ----

def _bn(**kw):
    x = torch.randn(4, 3)
    args = {"running_mean": torch.zeros(3), "running_var": torch.ones(3)}
    args.update(kw)
    return F.batch_norm(x, args.pop("running_mean"), args.pop("running_var"), **args)


@pytest.mark.parametrize("call,exc,msg", [
    (lambda: _bn(running_var=None, training=True), ValueError, "must either both be None or neither be None"),
    (lambda: _bn(running_mean=None, training=False), RuntimeError, "running_mean must be defined in evaluation mode"),
    (lambda: _bn(running_mean=torch.zeros(2)), RuntimeError, "running_mean should contain 3 elements not 2"),
    (lambda: _bn(running_var=torch.ones(4)), RuntimeError, "running_var should contain 3 elements not 4"),
    (lambda: _bn(weight=torch.ones(2)), RuntimeError, "weight should contain 3 elements not 2"),
    (lambda: _bn(bias=torch.ones(2)), RuntimeError, "bias should contain 3 elements not 2"),
    (lambda: F.batch_norm(torch.ones(3), torch.zeros(3), torch.ones(3)), RuntimeError,
     "running_mean should contain 0 elements not 3"),
    (lambda: F.batch_norm(torch.randn(1, 3), None, None, training=True), ValueError,
     "Expected more than 1 value per channel when training"),
    (lambda: F.instance_norm(torch.randn(2, 3, 4), torch.zeros(3), None), ValueError,
     "must either both be None or neither be None"),
    (lambda: F.layer_norm(torch.randn(4, 3), (3,), torch.ones(4)), RuntimeError,
     r"Expected weight to be of same shape as normalized_shape, but got weight of shape \[4\] and normalized_shape = \[3\]"),
    (lambda: F.layer_norm(torch.randn(4, 3), (3,), None, torch.ones(2)), RuntimeError,
     r"Expected bias to be of same shape as normalized_shape, but got bias of shape \[2\]"),
    (lambda: F.layer_norm(torch.randn(4, 3), ()), RuntimeError, "at least 1-dimensional"),
    (lambda: F.layer_norm(torch.randn(4, 3), 3), TypeError, "must be tuple of ints, not int"),
    (lambda: F.rms_norm(torch.randn(4, 3), 3), TypeError, "must be tuple of ints, not int"),
    (lambda: F.rms_norm(torch.ones(4, 3, dtype=torch.int64), (3,)), NotImplementedError,
     "\"rms_norm\" not implemented for 'Long'"),
    (lambda: F.group_norm(torch.randn(2, 4, 3), 2, torch.ones(3)), RuntimeError,
     r"Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape \[3\]"),
    (lambda: F.embedding(torch.tensor([0, 1]), torch.ones(3)), RuntimeError, "'weight' must be 2-D"),
    (lambda: F.embedding(torch.tensor([0, 1]), torch.ones(3, 2, 2)), RuntimeError, "'weight' must be 2-D"),
    (lambda: F.embedding(torch.tensor([0, 1]), torch.ones(3, 2), padding_idx=3), AssertionError,
     "Padding_idx must be within num_embeddings"),
    (lambda: F.embedding(torch.tensor([0, 1]), torch.ones(3, 2), padding_idx=-4), AssertionError,
     "Padding_idx must be within num_embeddings"),
    (lambda: F.embedding(torch.tensor([0, 3]), torch.ones(3, 2)), IndexError, "index out of range in self"),
    (lambda: F.rrelu(torch.randn(3), 0.5, 0.1), RuntimeError, "Lower bound should be less than or equal to the upper"),
    (lambda: F.huber_loss(torch.ones(2), torch.ones(2), reduction="bogus", delta=0.0), ValueError,
     "bogus is not a valid value for reduction"),
    (lambda: torch.nn.Flatten()(torch.tensor(1.0)), IndexError, r"expected to be in range of \[-1, 0\], but got 1"),
    (lambda: torch.nn.Unflatten(1, (2, 2))(torch.ones(4)), IndexError, "Dimension out of range"),
    (lambda: torch.nn.Unflatten(1, (3, 2))(torch.ones(2, 4)), RuntimeError,
     r"unflatten: Provided sizes \[3, 2\] don't multiply up to the size of dim 1 \(4\)"),
])
def test_norm_embedding_activation_argument_errors(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


def test_prelu_keeps_zero_dim_shape():
    out = torch.nn.PReLU()(torch.tensor(-1.0))
    assert tuple(out.shape) == ()
    close(out, -0.25)
    assert tuple(F.prelu(torch.tensor(2.0), torch.tensor([0.25])).shape) == ()


def test_unflatten_module_is_a_view():
    x = torch.randn(3, 4).t().requires_grad_()
    out = torch.nn.Unflatten(1, (3, 1))(x)
    assert tuple(out.shape) == (4, 3, 1)
    assert out.grad_fn.name() == "ViewBackward0"


def test_flatten_module_zero_dim_with_start_zero():
    assert tuple(torch.nn.Flatten(0)(torch.tensor(1.0)).shape) == (1,)


# ---- fft: PyTorch's argument errors; n-dimensional transforms of real input go through complex ----

@pytest.mark.parametrize("call,exc,msg", [
    (lambda: torch.fft.fft(torch.ones(4, dtype=torch.bfloat16)), RuntimeError, "Unsupported dtype BFloat16"),
    (lambda: torch.fft.rfft(torch.ones(4, dtype=torch.float16)), RuntimeError, "Unsupported dtype Half"),
    (lambda: torch.fft.irfft(torch.ones(4, dtype=torch.float16)), RuntimeError, "Unsupported dtype Half"),
    (lambda: torch.fft.rfftn(torch.tensor(1.0)), RuntimeError, "rfftn must transform at least one axis"),
    (lambda: torch.fft.fft2(torch.tensor(1.0)), IndexError, "Dimension specified as -2 but tensor has no dimensions"),
    (lambda: torch.fft.fft(torch.tensor(1.0)), IndexError, "Dimension specified as -1 but tensor has no dimensions"),
    (lambda: torch.fft.fft(torch.ones(0)), RuntimeError, r"Invalid number of data points \(0\) specified"),
    (lambda: torch.fft.rfft(torch.ones(0)), RuntimeError, r"Invalid number of data points \(0\) specified"),
    (lambda: torch.fft.irfft(torch.ones(0)), RuntimeError, r"Invalid number of data points \(-2\) specified"),
    (lambda: torch.fft.fft(torch.ones(4), n=-1), RuntimeError, r"Invalid number of data points \(-1\) specified"),
    (lambda: torch.fft.rfft(torch.ones(4), n=-1), RuntimeError, r"Invalid number of data points \(-1\) specified"),
    (lambda: torch.fft.fftn(torch.ones(4), s=(3, 4)), RuntimeError,
     "Got shape with 2 values but input tensor only has 1 dimensions."),
    (lambda: torch.fft.irfftn(torch.ones(4), s=(3, 4)), RuntimeError, "Got shape with 2 values"),
    (lambda: torch.fft.fftn(torch.ones(4), s=(0,)), RuntimeError, r"Invalid number of data points \(0\) specified"),
    (lambda: torch.fft.fftfreq(-1), RuntimeError, r"Trying to create tensor with negative dimension -1: \[-1\]"),
])
def test_fft_argument_errors(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


def test_fftn_of_zero_dim_is_the_complex_value():
    out = torch.fft.fftn(torch.tensor(1.0))
    assert out.dtype == torch.complex64 and tuple(out.shape) == ()
    assert repr(out) == "tensor(1.+0.j)"
    assert repr(torch.fft.ifftn(torch.tensor(1.0))) == "tensor(1.+0.j)"


def test_fftn_of_real_input_is_complex_to_complex():
    x = torch.tensor([[1.0, 2.0], [3.0, 5.0]], requires_grad=True)
    assert torch.fft.fftn(x).grad_fn.name() == "FftC2CBackward0"
    out = torch.fft.ifft2(x)
    assert out.grad_fn.name() == "FftC2CBackward0"
    assert repr(out.detach()) == "tensor([[ 2.7500+0.j, -0.7500+0.j],\n        [-1.2500+0.j,  0.2500+0.j]])"
    # the one-dimensional transforms keep PyTorch's real-to-complex nodes
    assert torch.fft.fft(x).grad_fn.name() == "FftR2CBackward0"
    assert torch.fft.ifft(x).grad_fn.name() == "ConjBackward0"


# ---- norms: PyTorch's CPU rule for parameters of another dtype ----

@pytest.mark.parametrize("fn", ["layer_norm", "group_norm", "batch_norm"])
@pytest.mark.parametrize("dx,dw,msg", [
    ("float32", "float64", "expect parameter to have scalar type of Float"),
    ("float32", "float16", "expect parameter to have scalar type of Float"),
    ("float64", "float32", "all inputs must share same datatype"),
    ("float16", "float64", "expect parameter to have scalar type of Float"),
])
def test_norm_mixed_parameter_dtype_errors(fn, dx, dw, msg):
    x = torch.ones(2, 4, dtype=getattr(torch, dx))
    w = torch.ones(4, dtype=getattr(torch, dw))
    calls = {"layer_norm": lambda: F.layer_norm(x, (4,), w, w),
             "group_norm": lambda: F.group_norm(x, 2, w, w),
             "batch_norm": lambda: F.batch_norm(x, w, w, w, w)}
    with pytest.raises(RuntimeError, match=r"mixed dtype \(CPU\): " + msg):
        calls[fn]()


def test_layer_norm_half_input_float_params_keeps_half():
    x = torch.tensor([[1.0, 2.0, 4.0, 7.0]], dtype=torch.float16, requires_grad=True)
    w = torch.tensor([1.0, 0.5, 2.0, 1.0], requires_grad=True)
    b = torch.tensor([0.0, 0.1, 0.0, -0.1], requires_grad=True)
    out = F.layer_norm(x, (4,), w, b)
    assert out.dtype == torch.float16
    assert out.grad_fn.name() == "NativeLayerNormBackward0"
    close(out, [[-1.0908203125, -0.227294921875, 0.4365234375, 1.427734375]], 2e-3)
    out.float().sum().backward()
    assert x.grad.dtype == torch.float16 and w.grad.dtype == torch.float32
    close(w.grad, [-1.0908203125, -0.65478515625, 0.21826171875, 1.52734375], 2e-3)
    gn = F.group_norm(x.detach().reshape(1, 4, 1), 2, w.detach(), b.detach())
    assert gn.dtype == torch.float16
    close(gn.flatten(), [-1.0, 0.60009765625, -2.0, 0.89990234375], 2e-3)


def test_rms_norm_keeps_input_dtype():
    assert F.rms_norm(torch.ones(2, 4), (4,), torch.ones(4, dtype=torch.float64)).dtype == torch.float32
    assert F.rms_norm(torch.ones(2, 4, dtype=torch.float16), (4,), torch.ones(4)).dtype == torch.float16


# ---- recurrent layers and attention: PyTorch's input checks ----

def test_rnn_input_dtype_must_match_weights():
    for cls in (torch.nn.RNN, torch.nn.GRU, torch.nn.LSTM):
        with pytest.raises(ValueError, match=r"RNN input dtype \(ferrograd.float64\) does not match weight dtype "
                                             r"\(ferrograd.float32\)\. Convert input: input.to\(ferrograd.float32\)"):
            cls(4, 3)(torch.randn(5, 2, 4, dtype=torch.float64))


def test_rnn_empty_sequence_is_refused():
    with pytest.raises(RuntimeError, match="Expected sequence length to be larger than 0 in RNN"):
        torch.nn.GRU(4, 3)(torch.randn(0, 2, 4))
    with pytest.raises(RuntimeError, match="Expected sequence length to be larger than 0 in RNN"):
        torch.nn.LSTM(4, 3, batch_first=True)(torch.randn(2, 0, 4))
    out, _ = torch.nn.GRU(4, 3)(torch.randn(5, 0, 4))  # an empty batch is fine
    assert tuple(out.shape) == (5, 0, 3)


@pytest.mark.parametrize("q,k,v,msg", [
    ((3, 2, 4), (5, 2, 4), (), (r"For batched \(3-D\) `query`, expected `key` and `value` to be 3-D but found 3-D and "
                               r"0-D tensors respectively")),
    ((2, 4), (5, 2, 4), (5, 2, 4), (r"For unbatched \(2-D\) `query`, expected `key` and `value` to be 2-D but found "
                                   r"3-D and 3-D tensors respectively")),
    ((3, 2, 4), (5, 2, 4), (4, 2, 4), (r"key shape ferrograd.Size\(\[5, 2, 4\]\) does not match value shape "
                                      r"ferrograd.Size\(\[4, 2, 4\]\)")),
    ((3, 2, 4, 1), (5, 2, 4), (5, 2, 4), "query should be unbatched 2D or batched 3D tensor but received 4-D"),
])
def test_multihead_attention_shape_assertions(q, k, v, msg):
    mha = torch.nn.MultiheadAttention(4, 2)
    with pytest.raises(AssertionError, match=msg):
        mha(torch.randn(q), torch.randn(k), torch.randn(v))


# ---- losses: argument order of the checks, bool targets, +0 for skipped entries ----

@pytest.mark.parametrize("fn", [F.mse_loss, F.l1_loss, F.smooth_l1_loss, F.huber_loss])
def test_loss_shape_mismatch_is_reported_before_bad_reduction(fn):
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(0\) must match the size of tensor b \(3\)"):
        fn(torch.rand(0, 4), torch.rand(3, 4), reduction="bogus")


def test_loss_reduction_none_quirks_of_pytorch():
    # PyTorch builds these messages by string concatenation, so None raises TypeError
    with pytest.raises(TypeError):
        F.multilabel_soft_margin_loss(torch.rand(2, 4), torch.rand(2, 4), reduction=None)
    with pytest.raises(TypeError):
        F.poisson_nll_loss(torch.rand(2, 4), torch.rand(2, 4), reduction=None)
    with pytest.raises(ValueError, match="bogus is not valid"):
        F.multilabel_soft_margin_loss(torch.rand(2, 4), torch.rand(2, 4), reduction="bogus")
    with pytest.raises(ValueError, match="None is not a valid value for reduction"):
        F.mse_loss(torch.rand(2, 4), torch.rand(2, 4), reduction=None)


@pytest.mark.parametrize("fn,expected", [(F.mse_loss, 1.5625), (F.smooth_l1_loss, 0.65625),
                                         (F.huber_loss, 0.65625), (F.soft_margin_loss, 0.6383796334266663)])
def test_loss_accepts_bool_target(fn, expected):
    x = torch.tensor([[0.5, -1.0], [2.0, 0.0]], requires_grad=True)
    t = torch.tensor([[True, False], [False, True]])
    out = fn(x, t)
    assert out.dtype == torch.float32
    close(out, expected)


def test_smooth_l1_loss_beta_zero_keeps_l1_nodes():
    x = torch.tensor([[0.5, -1.0], [2.0, 0.3]], requires_grad=True)
    assert F.smooth_l1_loss(x, torch.zeros(2, 2), beta=0.0, reduction="sum").grad_fn.name() == "SumBackward0"
    assert F.smooth_l1_loss(x, torch.zeros(2, 2), beta=0.0, reduction="none").grad_fn.name() == "AbsBackward0"
    assert F.smooth_l1_loss(x, torch.zeros(2, 2), beta=0.5).grad_fn.name() == "SmoothL1LossBackward0"


def test_nll_loss_ignored_entries_are_positive_zero():
    x = torch.tensor([[[-0.2, 0.3], [0.5, -1.0]]], requires_grad=True)
    out = F.nll_loss(x, torch.tensor([[0, 1]]), ignore_index=1, reduction="none")
    assert repr(out) == "tensor([[0.2000, 0.0000]], grad_fn=<ViewBackward0>)"
    out2 = F.nll_loss(x[0].t(), torch.tensor([0, 1]), ignore_index=1, reduction="none")
    assert repr(out2) == "tensor([0.2000, 0.0000], grad_fn=<NllLossBackward0>)"


@pytest.mark.parametrize("a,b,t,msg", [
    ((3,), (3,), (3,), r"1D target tensor expects 2D input tensors, but found inputs with sizes \[3\] and \[3\]\."),
    ((3, 4), (3, 4), (), r"0D target tensor expects 1D input tensors, but found inputs with sizes \[3, 4\] and \[3, 4\]"),
    ((3, 4), (3, 4), (3, 1), "0D or 1D target tensor expected, multi-target not supported"),
    ((2, 3, 4), (2, 3, 4), (2, 3), "0D or 1D target tensor expected, multi-target not supported"),
])
def test_cosine_embedding_loss_rank_errors(a, b, t, msg):
    target = torch.ones(t) if t else torch.tensor(1.0)
    with pytest.raises(RuntimeError, match=msg):
        F.cosine_embedding_loss(torch.ones(a), torch.ones(b), target)


def test_cosine_embedding_loss_unselected_entries_are_positive_zero():
    x = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]])
    y = torch.tensor([[-1.0, 0.0], [0.0, 1.0], [-1.0, 1.0]])
    out = F.cosine_embedding_loss(x, y, torch.tensor([1.0, -1.0, 0.0]), reduction="none")
    assert repr(out) == "tensor([2., 1., 0.])"


# ---- linalg.lu / lu_factor: the derivative of rectangular factorizations ----

_LU_A = [[1.0, 2.0, 0.5, -1.0], [3.0, -1.0, 2.0, 0.0], [0.5, 0.25, 1.0, 2.0]]


def test_linalg_lu_wide_matrix_gradient():
    a = torch.tensor(_LU_A, dtype=torch.float64, requires_grad=True)
    _, L, U = torch.linalg.lu(a)
    (L.sum() + (U * U).sum()).backward()
    close(a.grad, [[2.134343618399741, 4.238915208940719, -0.5820578231292516, -2.7780612244897958],
                   [5.254680245113918, -3.812206430191124, 3.9618764172335603, 0.1998299319727892],
                   [0.20323129251700647, 2.3954081632653055, 1.392857142857143, 4.357142857142857]], 1e-9)


def test_linalg_lu_tall_matrix_gradient():
    b = torch.tensor(_LU_A, dtype=torch.float64).t().contiguous().requires_grad_()
    _, L, U = torch.linalg.lu(b)
    (L.sum() + (U * U).sum()).backward()
    close(b.grad, [[3.780106266889602, 6.8243137601337605, 1.0564049054182274],
                   [1.9152236601535848, -5.5539908039078485, 1.9622475031399282],
                   [0.5608899297423888, 0.2365339578454332, 0.459016393442623],
                   [-0.10900144793203487, -0.16540086875922091, 4.210408108419395]], 1e-9)


@pytest.mark.parametrize("shape", [(3, 5), (5, 3)])
def test_linalg_lu_factor_rectangular_gradcheck(shape):
    from ferrograd.autograd import gradcheck

    a = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda a: torch.linalg.lu_factor(a)[0], (a,))


# ---- pooling, padding, resampling and fold/unfold take half precision, as PyTorch's CPU kernels do ----

_HALF_X = np.random.default_rng(0).standard_normal((1, 2, 5, 6)).astype(np.float16)


@pytest.mark.parametrize("name,call,node", [
    ("max_pool2d", lambda x: F.max_pool2d(x, 2), "MaxPool2DWithIndicesBackward0"),
    ("avg_pool2d", lambda x: F.avg_pool2d(x, 2), "AvgPool2DBackward0"),
    ("adaptive_avg_pool2d", lambda x: F.adaptive_avg_pool2d(x, 3), "AdaptiveAvgPool2DBackward0"),
    ("adaptive_max_pool2d", lambda x: F.adaptive_max_pool2d(x, 3), "AdaptiveMaxPool2DBackward0"),
    ("reflect", lambda x: F.pad(x, (1, 1, 1, 1), mode="reflect"), "ReflectionPad2DBackward0"),
    ("replicate", lambda x: F.pad(x, (1, 1, 1, 1), mode="replicate"), "ReplicationPad2DBackward0"),
    ("nearest", lambda x: F.interpolate(x, scale_factor=2), "UpsampleNearest2DBackward0"),
    ("bilinear", lambda x: F.interpolate(x, scale_factor=2, mode="bilinear"), "UpsampleBilinear2DBackward0"),
    ("unfold", lambda x: F.unfold(x, 2), "Im2ColBackward0"),
])
def test_half_precision_pool_pad_resample(name, call, node):
    x = torch.tensor(_HALF_X, requires_grad=True)
    out = call(x)
    assert out.dtype == torch.float16
    assert out.grad_fn.name() == node
    out.float().sum().backward()
    assert x.grad.dtype == torch.float16
    ref = call(torch.tensor(_HALF_X.astype(np.float32)))
    np.testing.assert_allclose(np.asarray(out.float().tolist()), np.asarray(ref.tolist()), rtol=2e-3, atol=2e-3)


def test_half_precision_max_pool_values_and_indices():
    x = torch.tensor(_HALF_X)
    out, idx = F.max_pool2d(x, 2, return_indices=True)
    assert out.dtype == torch.float16 and idx.dtype == torch.int64
    close(out.float().sum(), 12.06298828125, 1e-6)


def test_avg_pool3d_has_no_half_kernel():
    with pytest.raises(NotImplementedError, match="\"avg_pool3d_out_frame\" not implemented for 'Half'"):
        F.avg_pool3d(torch.ones(1, 2, 4, 4, 4, dtype=torch.float16), 2)
    with pytest.raises(NotImplementedError, match="avg_pool3d_out_frame"):
        F.local_response_norm(torch.ones(1, 2, 5, 6, dtype=torch.float16), 2)


# ---- linalg refuses half precision (and integer LU / vecdot) as PyTorch's CPU kernels do ----

_EYE_H = torch.eye(3).to(torch.float16)


@pytest.mark.parametrize("call,exc,msg", [
    (lambda: torch.linalg.det(_EYE_H), NotImplementedError, "\"lu_cpu\" not implemented for 'Half'"),
    (lambda: torch.linalg.solve(_EYE_H, torch.ones(3, 2).half()), NotImplementedError, "lu_cpu"),
    (lambda: torch.linalg.slogdet(_EYE_H), RuntimeError, "linalg.slogdet: Low precision dtypes not supported. Got Half"),
    (lambda: torch.linalg.inv(_EYE_H), RuntimeError, "linalg.inv: Low precision dtypes not supported. Got Half"),
    (lambda: torch.linalg.inv(_EYE_H.to(torch.bfloat16)), RuntimeError, "Got BFloat16"),
    (lambda: torch.linalg.matrix_power(_EYE_H, -1), RuntimeError, "linalg.inv: Low precision"),
    (lambda: torch.linalg.lstsq(_EYE_H, torch.ones(3, 2).half()), RuntimeError,
     "This function doesn't handle types other than float and double"),
    (lambda: torch.linalg.cholesky(_EYE_H), NotImplementedError, "\"cholesky_cpu\" not implemented for 'Half'"),
    (lambda: torch.linalg.qr(_EYE_H), NotImplementedError, "geqrf_cpu"),
    (lambda: torch.linalg.eigh(_EYE_H), NotImplementedError, "linalg_eigh_cpu"),
    (lambda: torch.linalg.svdvals(_EYE_H), NotImplementedError, "linalg_svd_cpu"),
    (lambda: torch.linalg.cond(_EYE_H), NotImplementedError, "linalg_svd_cpu"),
    (lambda: torch.linalg.pinv(_EYE_H), RuntimeError,
     r"linalg.pinv\(Half\{\[3, 3\]\}\): expected a tensor with 2 or more dimensions of float, double"),
    (lambda: torch.linalg.matrix_norm(_EYE_H, 2), RuntimeError, "linalg.matrix_norm: Low precision"),
    (lambda: torch.linalg.solve_triangular(_EYE_H, torch.ones(3, 2).half(), upper=True), NotImplementedError,
     "triangular_solve_cpu"),
    (lambda: torch.linalg.vander(torch.ones(3).half()), RuntimeError,
     "linalg.vander supports floating point, complex, and integer tensors, but got Half"),
    (lambda: torch.linalg.lu(torch.eye(3, dtype=torch.int64)), NotImplementedError,
     "\"lu_cpu\" not implemented for 'Long'"),
    (lambda: torch.linalg.vecdot(torch.ones(3, dtype=torch.int64), torch.ones(3, dtype=torch.int64)), RuntimeError,
     "linalg.vecdot: Expected a floating point or complex tensor as input. Got Long"),
])
def test_linalg_low_precision_refusals(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


def test_linalg_half_still_allowed_where_pytorch_allows_it():
    assert torch.linalg.matrix_power(_EYE_H, 2).dtype == torch.float16
    assert torch.linalg.matrix_norm(_EYE_H).dtype == torch.float16
    assert torch.linalg.matrix_norm(input=torch.eye(3), ord=1).item() == 1.0


# ---- module reprs and constructor checks ----

def test_mish_repr_shows_inplace():
    assert repr(torch.nn.Mish(inplace=True)) == "Mish(inplace=True)"
    assert repr(torch.nn.Mish()) == "Mish()"


def test_parameter_dict_repr_lists_its_parameters():
    pd = torch.nn.ParameterDict({"p": torch.nn.Parameter(torch.ones(2, 3)),
                                 "q": torch.nn.Parameter(torch.ones(2, dtype=torch.float64))})
    assert repr(pd) == ("ParameterDict(\n    (p): Parameter containing: [ferrograd.FloatTensor of size 2x3]\n"
                        "    (q): Parameter containing: [ferrograd.DoubleTensor of size 2]\n)")
    assert repr(torch.nn.ParameterDict()) == "ParameterDict()"


def test_hardtanh_bounds_and_deprecated_keywords():
    with pytest.raises(AssertionError, match=r"max_val \(1\) must be greater than min_val \(2\)"):
        torch.nn.Hardtanh(2, 1)
    with pytest.warns(FutureWarning, match="`min_value` is deprecated and renamed to `min_val`"):
        m = torch.nn.Hardtanh(min_value=-2.0)
    assert repr(m) == "Hardtanh(min_val=-2.0, max_val=1.0)"


def test_unflatten_keeps_the_given_sizes_and_checks_them():
    m = torch.nn.Unflatten(1, [2, 3])
    assert repr(m) == "Unflatten(dim=1, unflattened_size=[2, 3])"
    assert tuple(m(torch.ones(4, 6)).shape) == (4, 2, 3)
    with pytest.raises(TypeError, match="unflattened_size must be a tuple of ints, but found type str"):
        torch.nn.Unflatten(1, "ab")
    with pytest.raises(TypeError, match="found element of type float at pos 1"):
        torch.nn.Unflatten(1, (2, 3.0))


# ---- activations: PyTorch's gradient at the kinks; half precision computed in float32 ----

def test_hardtanh_and_relu6_have_no_gradient_at_their_bounds():
    x = torch.tensor([-1.0, 1.0, 0.5, -2.0, 6.0, 0.0], requires_grad=True)
    F.hardtanh(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, 0.0, 0.0, 1.0]
    x.grad = None
    out = F.relu6(x)
    assert out.grad_fn.name() == "HardtanhBackward0"
    out.sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 1.0, 0.0, 0.0, 0.0]


def test_hardswish_slope_at_minus_three_and_three():
    x = torch.tensor([-3.0, -1.0, 3.0, 6.0], dtype=torch.float64, requires_grad=True)
    F.hardswish(x).sum().backward()
    close(x.grad, [0.0, 0.16666666666666666, 1.0, 1.0])


_H_IN = [-2.5, -0.7, -0.05, 0.3, 1.7]
_H_GRAD = [1.0, 0.5, -1.0, 2.0, 0.25]


@pytest.mark.parametrize("name,value,grad,node", [
    ("elu", [-0.91796875, -0.50341796875, -0.04876708984375, 0.300048828125, 1.7001953125],
     [0.08209228515625, 0.248291015625, -0.951171875, 2.0, 0.25], "EluBackward0"),
    ("selu", [-1.6142578125, -0.88525390625, -0.085693359375, 0.315185546875, 1.7861328125],
     [0.144287109375, 0.4365234375, -1.6728515625, 2.1015625, 0.2626953125], "EluBackward0"),
    ("gelu", [-0.01552581787109375, -0.16943359375, -0.0240020751953125, 0.1854248046875, 1.6240234375],
     [-0.03759765625, 0.01165008544921875, -0.460205078125, 1.46484375, 0.27880859375], "GeluBackward0"),
    ("silu", [-0.189697265625, -0.2322998046875, -0.0243682861328125, 0.17236328125, 1.4375],
     [-0.09942626953125, 0.0882568359375, -0.47509765625, 1.2958984375, 0.266845703125], "SiluBackward0"),
    ("mish", [-0.19677734375, -0.267822265625, -0.0291900634765625, 0.2080078125, 1.62109375],
     [-0.1097412109375, 0.0921630859375, -0.56787109375, 1.5654296875, 0.27099609375], "MishBackward0"),
    ("softplus", [0.07891845703125, 0.403076171875, 0.66845703125, 0.8544921875, 1.8681640625],
     [0.07586669921875, 0.1658935546875, -0.487548828125, 1.1484375, 0.21142578125], "SoftplusBackward0"),
])
def test_half_precision_activation_rounds_once(name, value, grad, node):
    x = torch.tensor(np.array(_H_IN, dtype=np.float16), requires_grad=True)
    out = getattr(F, name)(x)
    assert out.dtype == torch.float16 and out.grad_fn.name() == node
    out.backward(torch.tensor(np.array(_H_GRAD, dtype=np.float16)))
    assert x.grad.dtype == torch.float16
    # PyTorch's values exactly (half precision, one rounding), up to one unit in the last place
    np.testing.assert_allclose(out.float().tolist(), value, rtol=1e-3, atol=1e-6)
    np.testing.assert_allclose(x.grad.float().tolist(), grad, rtol=1e-3, atol=1e-6)


# ---- piecewise activations at NaN, ±inf and -0: PyTorch's kernels' values and gradients ----

_SPECIAL = [float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 1e30, -1e30, 0.5, -0.5]


def _values_and_grads(fn):
    x = torch.tensor(_SPECIAL, requires_grad=True)
    out = fn(x)
    out.backward(torch.ones_like(out))
    return [repr(v) for v in out.tolist()], [repr(v) for v in x.grad.tolist()]


@pytest.mark.parametrize("name,call,values,grads", [
    ("hardtanh", F.hardtanh, ["nan", "1.0", "-1.0", "-0.0", "0.0", "1.0", "-1.0", "0.5", "-0.5"],
     ["1.0", "0.0", "0.0", "1.0", "1.0", "0.0", "0.0", "1.0", "1.0"]),
    ("relu6", F.relu6, ["nan", "6.0", "0.0", "-0.0", "0.0", "6.0", "0.0", "0.5", "0.0"],
     ["1.0", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "1.0", "0.0"]),
    ("threshold", lambda x: F.threshold(x, 0.1, 20.0), ["nan", "inf", "20.0", "20.0", "20.0", "1.0000000150474662e+30",
                                                        "20.0", "0.5", "20.0"],
     ["1.0", "1.0", "0.0", "0.0", "0.0", "1.0", "0.0", "1.0", "0.0"]),
    ("elu", F.elu, ["nan", "inf", "-1.0", "-0.0", "0.0", "1.0000000150474662e+30", "-1.0", "0.5", "-0.39346933364868164"],
     ["1.0", "1.0", "0.0", "1.0", "1.0", "1.0", "0.0", "1.0", "0.6065306663513184"]),
    ("selu", F.selu, ["nan", "inf", "-1.7580993175506592", "-0.0", "0.0", "1.0507010038805567e+30",
                      "-1.7580993175506592", "0.5253505110740662", "-0.6917581558227539"],
     ["1.0507010221481323", "1.0507010221481323", "0.0", "1.7580993175506592", "1.7580993175506592",
      "1.0507010221481323", "0.0", "1.0507010221481323", "1.0663411617279053"]),
    ("celu", F.celu, ["nan", "inf", "-1.0", "-0.0", "0.0", "1.0000000150474662e+30", "-1.0", "0.5", "-0.39346933364868164"],
     ["1.0", "1.0", "0.0", "1.0", "1.0", "1.0", "0.0", "1.0", "0.6065306663513184"]),
    ("hardsigmoid", F.hardsigmoid, ["nan", "1.0", "0.0", "0.5", "0.5", "1.0", "0.0", "0.5833333134651184",
                                    "0.4166666567325592"],
     ["0.0", "0.0", "0.0", "0.1666666716337204", "0.1666666716337204", "0.0", "0.0", "0.1666666716337204",
      "0.1666666716337204"]),
    ("softshrink", F.softshrink, ["nan", "inf", "-inf", "-0.0", "0.0", "1.0000000150474662e+30", "-1.0000000150474662e+30",
                                  "0.0", "-0.0"],
     ["1.0", "1.0", "1.0", "0.0", "0.0", "1.0", "1.0", "0.0", "0.0"]),
    ("hardshrink", F.hardshrink, ["nan", "inf", "-inf", "0.0", "0.0", "1.0000000150474662e+30", "-1.0000000150474662e+30",
                                  "0.0", "0.0"],
     ["1.0", "1.0", "1.0", "0.0", "0.0", "1.0", "1.0", "0.0", "0.0"]),
])
def test_piecewise_activation_special_values(name, call, values, grads):
    got_values, got_grads = _values_and_grads(call)
    assert got_values == values
    assert got_grads == grads


def test_hardswish_gradient_is_finite_at_infinities():
    _, grads = _values_and_grads(F.hardswish)
    assert grads[:3] == ["1.0", "1.0", "0.0"]


def test_softmax_lane_with_positive_infinity_is_nan():
    for fn in (F.softmax, F.log_softmax):
        x = torch.tensor([float("inf"), 1.0, 2.0], requires_grad=True)
        out = fn(x, 0)
        assert [repr(v) for v in out.tolist()] == ["nan", "nan", "nan"]
        out.backward(torch.tensor([1.0, 0.5, 0.25]))
        assert [repr(v) for v in x.grad.tolist()] == ["nan", "nan", "nan"]
    assert [repr(v) for v in F.softmin(torch.tensor([float("-inf"), 1.0, 2.0]), 0).tolist()] == ["nan", "nan", "nan"]
    # -inf alone is fine: its probability is 0
    close(F.softmax(torch.tensor([float("-inf"), 0.0, 0.0]), 0), [0.0, 0.5, 0.5])


# ---- bilinear, embedding and adaptive pooling: PyTorch's checks, in PyTorch's order ----

@pytest.mark.parametrize("args,exc,msg", [
    ((torch.ones(3, 4), torch.ones(3, 2, dtype=torch.int64), torch.ones(5, 4, 2), None), RuntimeError,
     "All tensors must have the same dtype, got input1: float, input2: long int, weight: float$"),
    ((torch.ones(3, 4, dtype=torch.float64), torch.ones(3, 2, dtype=torch.bfloat16), torch.ones(5, 4, 2, dtype=torch.int32),
      torch.ones(5, dtype=torch.int16)), RuntimeError,
     "got input1: double, input2: c10::BFloat16, weight: int, bias: short int"),
    ((torch.ones(3, 4), torch.ones(2, 2), torch.ones(5, 4, 2), None), RuntimeError,
     "bilinear\\(\\): input batch dimensions do not match at dim 0: got 3 and 2"),
    ((torch.ones(3, 4), torch.ones(3, 2), torch.ones(5, 4, 2), torch.ones(3, 5)), RuntimeError,
     "bilinear\\(\\): bias size does not match weight size: got 3 but expected 5"),
    ((torch.ones(3, 4), torch.ones(3, 2), torch.ones(5, 4, 2), torch.tensor(1.0)), IndexError,
     "Dimension specified as 0 but tensor has no dimensions"),
    ((torch.ones(3, 4), torch.ones(3, 2), torch.ones(4, 2), None), RuntimeError,
     "input1 size does not match weight size: got 4 but expected 2"),
    ((torch.ones(3, 4), torch.ones(3, 2), torch.ones(5, 4, 2, 1), None), RuntimeError, "number of dimensions must match"),
])
def test_bilinear_argument_errors(args, exc, msg):
    with pytest.raises(exc, match=msg):
        F.bilinear(*args)


def test_bilinear_with_no_output_features():
    assert tuple(F.bilinear(torch.ones(3, 4), torch.ones(3, 2), torch.ones(0, 4, 2)).shape) == (3, 0)


@pytest.mark.parametrize("args,exc,msg", [
    ((torch.ones(2, 3, dtype=torch.int64), torch.tensor(1.0), 0), RuntimeError, "'weight' must be 2-D"),
    ((torch.tensor(1), torch.ones(3), 10), AssertionError, "Padding_idx must be within num_embeddings"),
    ((torch.ones(2, 3), torch.ones(3), None), RuntimeError, "'weight' must be 2-D"),
    ((torch.ones(2, dtype=torch.int64), torch.tensor(1.0), 2), IndexError,
     "Dimension specified as 0 but tensor has no dimensions"),
])
def test_embedding_check_order(args, exc, msg):
    with pytest.raises(exc, match=msg):
        F.embedding(args[0], args[1], padding_idx=args[2])


def test_adaptive_pool_output_size_longer_than_input_rank():
    with pytest.raises(ValueError, match="Input dimension should be at least 3"):
        F.adaptive_avg_pool2d(torch.tensor(1.0), (2, 3))
    with pytest.raises(ValueError, match="Input dimension should be at least 3"):
        F.adaptive_max_pool2d(torch.ones(3, 3), (2, 3))
    with pytest.raises(ValueError, match="Input dimension should be at least 4"):
        F.adaptive_avg_pool3d(torch.ones(3, 3, 3), (1, 1, 1))
    with pytest.raises(RuntimeError, match=r"Expected 3D or 4D tensor, but got \[3, 3\]"):
        F.adaptive_avg_pool2d(torch.ones(3, 3), 2)


def test_batch_first_rnn_and_gru_output_node():
    for cls in (torch.nn.RNN, torch.nn.GRU):
        out, h = cls(4, 3, batch_first=True)(torch.randn(5, 2, 4))
        assert out.grad_fn.name() == "TransposeBackward1"
        assert tuple(out.shape) == (5, 2, 3) and h.grad_fn.name() == "StackBackward0"
    out, _ = torch.nn.LSTM(4, 3, batch_first=True)(torch.randn(5, 2, 4))
    assert out.grad_fn.name() == "TransposeBackward0"


# ---- padding and vecdot checks ----

@pytest.mark.parametrize("call,exc,msg", [
    (lambda: F.pad(torch.tensor(1.0), (1, 1), mode="reflect"), RuntimeError,
     ("Padding length should be less than or equal to two times the input dimension but got padding length 2 and "
     "input of dimension 0")),
    (lambda: F.pad(torch.ones(2, 3), (1, 1, 1, 1, 1, 1), mode="reflect"), RuntimeError,
     "got padding length 6 and input of dimension 2"),
    (lambda: F.pad(torch.ones(2, 3), (1, 1, 1, 1), mode="circular"), NotImplementedError,
     "Padding size 4 is not supported for 2D input tensor"),
    (lambda: torch.nn.CircularPad2d(1)(torch.ones(2, 3)), ValueError, r"expected 3D or 4D input \(got 2D input\)"),
    (lambda: torch.nn.CircularPad1d(1)(torch.ones(3)), ValueError, r"expected 2D or 3D input \(got 1D input\)"),
    (lambda: torch.nn.CircularPad3d(1)(torch.ones(2, 3)), ValueError, r"expected 4D or 5D input \(got 2D input\)"),
    (lambda: torch.linalg.vecdot(torch.ones(3), torch.ones(3, dtype=torch.int64)), RuntimeError,
     "linalg.vecdot: Expected x and y to have the same dtype, but found x of type Float and y of type Long instead"),
    (lambda: torch.linalg.vecdot(torch.ones(3), torch.ones(3), dim=None), TypeError,
     "linalg_vecdot\\(\\): argument 'dim' must be int, not NoneType"),
])
def test_padding_and_vecdot_errors(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


# ---- nll_loss / cross_entropy: PyTorch's check order ----

_L = torch.int64


@pytest.mark.parametrize("fn", ["nll_loss", "cross_entropy"])
@pytest.mark.parametrize("x,t,w,exc,msg", [
    (torch.ones(4), torch.zeros(3, 4, dtype=_L), None, RuntimeError, "0D or 1D target tensor expected"),
    (torch.ones(4), torch.zeros(3, dtype=_L), None, ValueError, "For 1D input, 1D target must have size 1"),
    (torch.ones(3, 4), torch.tensor(1), None, ValueError,
     r"Expected input batch_size \(3\) to match target batch_size \(0\)\."),
    (torch.ones(0, 4), torch.zeros(2, dtype=torch.bool), None, ValueError,
     r"Expected input batch_size \(0\) to match target batch_size \(2\)\."),
    (torch.ones(3, 4).half(), torch.tensor(1), torch.ones(4), ValueError, "batch_size"),
    (torch.ones(3, 4), torch.zeros(3, dtype=torch.int32), None, RuntimeError,
     "expected target dtype to be Long or Byte, but got Int"),
])
def test_nll_and_cross_entropy_check_order(fn, x, t, w, exc, msg):
    with pytest.raises(exc, match=msg):
        getattr(F, fn)(x, t, w)


def test_nll_loss_accepts_byte_targets_and_refuses_integer_input():
    out = F.nll_loss(torch.tensor([[-1.0, -2.0], [-0.5, -3.0]]), torch.tensor([1, 0], dtype=torch.uint8))
    close(out, 1.25)
    with pytest.raises(NotImplementedError, match="\"nll_loss_out_frame\" not implemented for 'Long'"):
        F.nll_loss(torch.ones(3, 4, dtype=_L), torch.zeros(3, dtype=_L))


def test_nll_loss_one_sample_unreduced_is_zero_dim():
    out = F.nll_loss(torch.tensor([-1.0, -2.0, -3.0, -4.0]), torch.tensor([2]), reduction="none")
    assert tuple(out.shape) == ()
    close(out, 3.0)


def test_cross_entropy_probability_target_rules():
    with pytest.raises(RuntimeError, match="Expected floating point type for target with class probabilities, got Long"):
        F.cross_entropy(torch.tensor(1.0), torch.tensor(1))
    with pytest.raises(RuntimeError, match="Expected floating point type for target with class probabilities"):
        F.cross_entropy(torch.ones(3, 4), torch.ones(3, 4, dtype=_L))
    with pytest.raises(RuntimeError, match="ignore_index is not supported for floating point target"):
        F.cross_entropy(torch.ones(3, 4), torch.ones(3, 4) / 4, ignore_index=1)
    close(F.cross_entropy(torch.ones(3, 4), torch.ones(3, 4) / 4, ignore_index=-5), 1.3862943649291992)


# ---- batch_norm / instance_norm: size checks come before the running-statistics pairing ----

@pytest.mark.parametrize("fn,args,exc,msg", [
    ("instance_norm", (torch.ones(5), None, None, None), RuntimeError, "running_mean should contain 6 elements not 10"),
    ("batch_norm", (torch.ones(5), None, None, None), RuntimeError, "running_mean should contain 3 elements not 5"),
    ("instance_norm", (torch.ones(3), None, torch.ones(0), None), RuntimeError, "weight should contain 6 elements not 0"),
    ("batch_norm", (None, torch.ones(3), torch.ones(2), None), RuntimeError, "weight should contain 3 elements not 2"),
    ("instance_norm", (None, None, torch.ones(1, 3), None), RuntimeError,
     "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"),
    ("instance_norm", (None, None, torch.tensor(1.0), None), RuntimeError, "weight should contain 6 elements not 2"),
    ("batch_norm", (torch.ones(3), None, None, torch.ones(2, 3)), RuntimeError, "bias should contain 3 elements not 6"),
    ("instance_norm", (torch.ones(3), None, None, None), ValueError, "must either both be None or neither be None"),
    ("batch_norm", (torch.ones(3), None, None, None), ValueError, "must either both be None or neither be None"),
])
def test_batch_and_instance_norm_check_order(fn, args, exc, msg):
    x = torch.randn(2, 3, 2, 2)
    rm, rv, w, b = args
    with pytest.raises(exc, match=msg):
        if fn == "instance_norm":
            F.instance_norm(x, rm, rv, w, b)
        else:
            F.batch_norm(x, rm, rv, w, b, training=True)


def test_instance_norm_running_stats_may_differ_in_dtype():
    rm, rv = torch.zeros(3, dtype=torch.float64), torch.ones(3)
    out = F.instance_norm(torch.randn(2, 3, 2, 2), rm, rv)
    assert out.dtype == torch.float32


# ---- pdist gradients at p = 0 and p = inf; lstsq shape rules ----

def test_pdist_gradients_for_zero_and_infinite_p():
    x = torch.tensor([[0.0, 1.0, 2.0], [0.0, 1.0, 5.0], [3.0, 1.0, 2.0]], requires_grad=True)
    F.pdist(x, 0.0).sum().backward()
    assert x.grad.tolist() == [[0.0] * 3] * 3
    x.grad = None
    out = F.pdist(x, float("inf"))
    assert out.grad_fn.name() == "PdistBackward0"
    out.sum().backward()
    # every tied maximum takes the whole gradient (rows 1 and 2 differ by 3 in two places)
    assert x.grad.tolist() == [[-1.0, 0.0, -1.0], [-1.0, 0.0, 2.0], [2.0, 0.0, -1.0]]


@pytest.mark.parametrize("b_shape,msg", [
    ((4, 1), r"The size of tensor a \(2\) must match the size of tensor b \(4\) at non-singleton dimension 0"),
    ((4,), r"input.dim\(\) must be greater or equal to other.dim\(\)"),
    ((1, 4), r"input.size\(-2\) should match other.size\(-2\)"),
    ((3, 4, 2), r"The size of tensor a \(2\) must match the size of tensor b \(3\)"),
])
def test_lstsq_batched_shape_errors(b_shape, msg):
    with pytest.raises(RuntimeError, match=msg):
        torch.linalg.lstsq(torch.randn(2, 4, 3), torch.randn(*b_shape))


def test_lstsq_vector_right_side():
    with pytest.raises(RuntimeError, match=r"input.size\(-2\) should match other.size\(-1\)"):
        torch.linalg.lstsq(torch.randn(4, 3), torch.randn(3))
    with pytest.raises(RuntimeError, match="input must have at least 2 dimensions"):
        torch.linalg.lstsq(torch.ones(3), torch.ones(3))
    r = torch.linalg.lstsq(torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), torch.tensor([1.0, 2.0, 4.0]), driver="gelsd")
    assert tuple(r.residuals.shape) == (1,)
    close(r.solution, [1.3333338499069214, 2.3333334922790527], 1e-5)
    assert tuple(torch.linalg.lstsq(torch.randn(2, 4, 3), torch.randn(2, 4)).solution.shape) == (2, 3)


# ---- special: PyTorch's argument type errors ----

@pytest.mark.parametrize("call,msg", [
    (lambda: torch.special.xlogy(2, 3), r"special_xlogy\(\) received an invalid combination of arguments - got \(int, int\)"),
    (lambda: torch.special.gammainc(2.5, torch.tensor(3.0)),
     r"special_gammainc\(\): argument 'input' \(position 1\) must be Tensor, not float"),
    (lambda: torch.special.gammaincc(2, 3), r"special_gammaincc\(\): argument 'input' \(position 1\) must be Tensor, not int"),
    (lambda: torch.special.polygamma(2, 3), r"special_polygamma\(\): argument 'input' \(position 2\) must be Tensor, not int"),
    (lambda: torch.special.polygamma(2.5, torch.tensor(3.0)),
     r"special_polygamma\(\): argument 'n' \(position 1\) must be int, not float"),
    (lambda: torch.special.multigammaln(2, 3), r"special_multigammaln\(\): argument 'input' \(position 1\) must be Tensor"),
])
def test_special_argument_type_errors(call, msg):
    with pytest.raises(TypeError, match=msg):
        call()


def test_special_number_first_argument_still_accepted():
    close(torch.special.xlogy(2.5, torch.tensor(3.0)), 2.7465307)
    close(torch.special.polygamma(1, torch.tensor([1.0, 2.0])), [1.6449340668, 0.6449340668], 1e-5)


@pytest.mark.parametrize("call,exc,msg", [
    (lambda: F.fold(torch.tensor(1.0), (4, 4), 2), RuntimeError,
     (r"Expected 2D or 3D \(batch mode\) tensor for input with possibly 0 batch size and non-zero dimensions for "
     r"input, but got: \[\]")),
    (lambda: F.fold(torch.ones(8), (4, 4), 2), RuntimeError, r"but got: \[8\]"),
    (lambda: F.kl_div(torch.ones(3, dtype=torch.int64), torch.ones(3)), RuntimeError,
     "kl_div: Integral inputs not supported."),
    (lambda: F.kl_div(torch.ones(3), torch.ones(3, dtype=torch.int64)), RuntimeError, "Integral inputs"),
    (lambda: F.multilabel_margin_loss(torch.ones(3, 4).half(), torch.zeros(3, 4, dtype=torch.int64)),
     NotImplementedError, "\"multilabel_margin_loss_forward_out_frame\" not implemented for 'Half'"),
    (lambda: torch.linalg.cross(torch.ones(3).half(), torch.ones(3)), RuntimeError,
     "expected scalar type Half but found Float"),
    (lambda: torch.linalg.solve(torch.eye(3).half(), torch.ones(3), left=False), RuntimeError,
     "linalg.solve: Expected A and B to have the same dtype, but found A of type Half and B of type Float instead"),
])
def test_fold_kl_div_margin_cross_solve_errors(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


# ---- containers and Module methods ----

def test_sequential_multiply_and_pop():
    s = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Tanh())
    doubled = s * 2
    assert len(doubled) == 4 and [type(m).__name__ for m in doubled] == ["ReLU", "Tanh", "ReLU", "Tanh"]
    assert len(2 * s) == 4
    with pytest.raises(ValueError, match="Non-positive multiplication factor 0"):
        s * 0
    with pytest.raises(TypeError, match="unsupported operand type"):
        s * 1.5
    popped = s.pop(0)
    assert type(popped).__name__ == "ReLU" and len(s) == 1 and type(s[0]).__name__ == "Tanh"


def test_module_half_bfloat16_and_lookups():
    m = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    assert m.half()[0].weight.dtype == torch.float16
    assert m[1].num_batches_tracked.dtype == torch.int64
    assert m.bfloat16()[1].running_mean.dtype == torch.bfloat16
    assert m.get_buffer("1.running_var") is m[1].running_var
    with pytest.raises(AttributeError, match="`weight` is not a buffer"):
        m.get_buffer("1.weight")
    m.set_submodule("0", torch.nn.Identity())
    assert type(m[0]).__name__ == "Identity"
    assert m.share_memory() is m


def test_not_a_module_message_uses_the_bare_builtin_name():
    with pytest.raises(TypeError, match="^int is not a Module subclass$"):
        torch.nn.Sequential(3)


def test_batchnorm_plain_dict_without_counter_loads():
    bn = torch.nn.BatchNorm1d(3)
    sd = bn.state_dict()
    del sd["num_batches_tracked"]
    with pytest.raises(RuntimeError, match='Missing key\\(s\\) in state_dict: "num_batches_tracked"'):
        bn.load_state_dict(sd)  # versioned: the counter is required
    assert repr(bn.load_state_dict(dict(sd))) == "<All keys matched successfully>"


# ---- full backward hooks of modules ----

def _hooked_linear():
    lin = torch.nn.Linear(3, 2)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]]))
        lin.bias.copy_(torch.tensor([0.1, -0.2]))
    return lin


def test_full_backward_hook_and_pre_hook_see_pytorchs_gradients():
    lin = _hooked_linear()
    log = []
    h = lin.register_full_backward_hook(
        lambda m, gi, go: log.append(("hook", type(m).__name__, [None if g is None else g.tolist() for g in gi],
                                      [g.tolist() for g in go])))
    p = lin.register_full_backward_pre_hook(lambda m, go: log.append(("pre", [g.tolist() for g in go])))
    x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    (lin(x) * torch.tensor([[2.0, 3.0]])).sum().backward()
    assert log == [("pre", [[[2.0, 3.0]]]), ("hook", "Linear", [[[-1.0, 5.5, 6.0]]], [[[2.0, 3.0]]])]
    assert x.grad.tolist() == [[-1.0, 5.5, 6.0]]
    log.clear()
    with pytest.warns(UserWarning, match="Full backward hook is firing when gradients are computed with respect to "
                                         "module outputs since no inputs require gradients"):
        (lin(torch.tensor([[1.0, 2.0, 3.0]])) * 2).sum().backward()
    assert log == [("pre", [[[2.0, 2.0]]]), ("hook", "Linear", [None], [[[2.0, 2.0]]])]
    log.clear()
    h.remove()
    p.remove()
    lin(x).sum().backward()
    assert log == []


def test_full_backward_hook_can_replace_grad_input_and_runs_inner_first():
    lin = _hooked_linear()
    lin.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10,))
    x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    lin(x).sum().backward()
    assert x.grad.tolist() == [[0.0, 25.0, 30.0]]
    seq = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU())
    order = []
    seq[0].register_full_backward_hook(lambda m, gi, go: order.append("lin"))
    seq[1].register_full_backward_hook(lambda m, gi, go: order.append("relu"))
    seq.register_full_backward_hook(lambda m, gi, go: order.append("seq"))
    seq(x).sum().backward()
    assert order == ["relu", "lin", "seq"]


def test_pool_sizes_must_be_ints():
    with pytest.raises(TypeError, match="must be tuple of ints, but found element of type float at pos 0"):
        torch.nn.AvgPool1d(2.5)(torch.ones(1, 2, 6))
    with pytest.raises(TypeError, match="must be tuple of ints, not float"):
        F.max_pool2d(torch.ones(1, 2, 6, 6), 2.5)
    assert tuple(F.avg_pool1d(torch.ones(1, 2, 6), torch.tensor(2)).shape) == (1, 2, 3)


def test_matrix_norm_keepdim_singular_value_orders_end_in_a_permute():
    x = torch.arange(24.0).reshape(2, 3, 4).requires_grad_()
    r = torch.linalg.matrix_norm(x, "nuc", (0, 2), keepdim=True)
    assert tuple(r.shape) == (1, 3, 1) and r.grad_fn.name() == "PermuteBackward0"
    r2 = torch.linalg.matrix_norm(x, 2, keepdim=True)
    assert tuple(r2.shape) == (2, 1, 1) and r2.grad_fn.name() == "PermuteBackward0"


# ---- interpolate(antialias=True) ----

@pytest.mark.parametrize("mode,kw,shape,values,node,grad_head", [
    ("bilinear", {"scale_factor": 0.5}, (1, 1, 2, 2), [4.28571, 6.07143, 12.14286, 13.92857],
     "UpsampleBilinear2DAaBackward0", [0.18367, 0.23724, 0.22194, 0.16071, 0.05357, 0.2449]),
    ("bicubic", {"size": (3, 7)}, (1, 1, 3, 7),
     [0.8914, 1.44273, 2.23537, 2.94966, 3.66394, 4.45658, 5.00791, 7.44175, 7.99307, 8.78571, 9.5, 10.21428,
      11.00693, 11.55825, 13.99209, 14.54342, 15.33606, 16.05034, 16.76463, 17.55727, 18.1086],
     "UpsampleBicubic2DAaBackward0", [1.02325, 0.98286, 1.0114, 0.98286, 1.02325, 1.11547]),
    ("bilinear", {"size": (6, 3), "align_corners": True}, (1, 1, 6, 3),
     [0.71429, 2.5, 3.75, 2.71429, 4.5, 5.75, 5.71429, 7.5, 8.75, 8.71429, 10.5, 11.75, 11.71429, 13.5, 14.75,
      14.71429, 16.5, 17.75], "UpsampleBilinear2DAaBackward0", [0.68571, 0.88571, 0.82857, 1.0, 1.4, 0.77143]),
])
def test_interpolate_antialias(mode, kw, shape, values, node, grad_head):
    x = torch.arange(20.0).reshape(1, 1, 4, 5).requires_grad_()
    y = F.interpolate(x, mode=mode, antialias=True, **kw)
    assert tuple(y.shape) == shape and y.grad_fn.name() == node
    close(y.flatten(), values, 2e-5)
    y.backward(torch.ones_like(y))
    close(x.grad.flatten()[:6], grad_head, 2e-5)


def test_interpolate_antialias_needs_4d_bilinear_or_bicubic():
    with pytest.raises(ValueError, match="Anti-alias option is restricted to bilinear, bicubic, and lanczos modes"):
        F.interpolate(torch.ones(1, 2, 5), scale_factor=2, mode="linear", antialias=True)
    with pytest.raises(ValueError, match="requires a 4-D tensor as input"):
        F.interpolate(torch.ones(1, 2, 5), scale_factor=2, mode="bilinear", antialias=True)


# ---- fft.hfft2 / hfftn / ihfft2 / ihfftn ----

def test_hfftn_and_ihfftn_exist_with_pytorchs_values():
    x = torch.tensor([[1.0, 2.0, 0.5, -1.0], [0.0, 3.0, 1.0, 2.0]], requires_grad=True)
    y = torch.fft.ihfft2(x)
    assert tuple(y.shape) == (2, 3) and y.dtype == torch.complex64
    assert y.grad_fn.name() == "FftC2CBackward0"
    ref = np.conj(np.fft.rfft2(np.array([[1.0, 2.0, 0.5, -1.0], [0.0, 3.0, 1.0, 2.0]]))) / 8
    np.testing.assert_allclose(np.asarray(y.detach().resolve_conj().tolist()), ref, rtol=1e-5, atol=1e-6)
    back = torch.fft.hfft2(y.detach(), s=(2, 4))
    assert back.dtype == torch.float32 and back.grad_fn is None
    close(back, [[1.0, 2.0, 0.5, -1.0], [0.0, 3.0, 1.0, 2.0]], 1e-5)
    assert torch.fft.hfftn(torch.ones(3, 4, 4, dtype=torch.complex64)).shape == (3, 4, 6)


def test_relu_keeps_negative_zero_and_passes_gradient_at_nan():
    pts = [float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 1.0, -1.0]
    for dtype in (torch.float32, torch.float64):
        x = torch.tensor(pts, dtype=dtype, requires_grad=True)
        y = F.relu(x)
        assert [repr(v) for v in y.tolist()] == ["nan", "inf", "0.0", "-0.0", "0.0", "1.0", "0.0"]
        y.sum().backward()
        assert x.grad.tolist() == [1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    assert repr(torch.nn.ReLU()(torch.tensor([[-0.0, 2.0]]))) == "tensor([[-0., 2.]])"


def test_fft_dim_checked_before_n_and_kl_div_reduction_before_dtype():
    with pytest.raises(IndexError, match=r"expected to be in range of \[-1, 0\], but got -2"):
        torch.fft.rfft(torch.ones(5), n=-1, dim=-2)
    with pytest.raises(ValueError, match="bogus is not a valid value for reduction"):
        F.kl_div(torch.ones(2, 4), torch.ones(2, 4, dtype=torch.bool), reduction="bogus")


def test_ctc_loss_zero_infinity_node_is_where():
    lp = torch.randn(6, 2, 4).log_softmax(2).detach().requires_grad_()
    tg = torch.tensor([[1, 2, 3], [2, 2, 0]])
    out = F.ctc_loss(lp, tg, (6, 5), (3, 2), reduction="none", zero_infinity=True)
    assert out.grad_fn.name() == "WhereBackward0"
    assert F.ctc_loss(lp, tg, (6, 5), (3, 2), reduction="none").grad_fn.name() == "CtcLossBackward0"


@pytest.mark.parametrize("call,exc,msg", [
    (lambda: F.embedding_bag(torch.tensor(1.0), torch.ones(3, 5, 3), mode="bogus"), ValueError,
     "weight has to be a 2D Tensor, but got Tensor of dimension 3"),
    (lambda: F.embedding_bag(torch.tensor(1.0, dtype=torch.float64), torch.ones(5, 3), mode="max"), ValueError,
     "input has to be 1D or 2D Tensor, but got Tensor of dimension 0"),
    (lambda: F.embedding_bag(torch.tensor([[0, 1]]), torch.ones(5, 3, dtype=torch.int64)), RuntimeError,
     ("Expected tensor for argument #1 'weight' to have one of the following scalar types: Half, BFloat16, Float, "
     "Double; but got ferrograd.LongTensor instead")),
])
def test_embedding_bag_check_order(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


def test_embedding_bag_swapped_arguments_still_work():
    with pytest.warns(UserWarning, match="Argument order of nn.functional.embedding_bag was changed"):
        out = F.embedding_bag(torch.ones(5, 3), torch.tensor([[0, 1]]))
    assert tuple(out.shape) == (1, 3)


def test_scaled_dot_product_attention_dtype_errors_and_math_path_node():
    q = torch.randn(2, 4, 3, 8)
    with pytest.raises(RuntimeError, match="but got query.dtype: float key.dtype: double and value.dtype: float instead."):
        F.scaled_dot_product_attention(q, q.double(), q)
    with pytest.raises(RuntimeError, match="Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                                           "attn_mask.dtype: long int and  query.dtype: float instead."):
        F.scaled_dot_product_attention(q, q, q, attn_mask=torch.ones(3, 3, dtype=torch.int64))
    qg = q.clone().requires_grad_()
    out = F.scaled_dot_product_attention(qg, torch.randn(2, 4, 5, 8), torch.randn(2, 4, 5, 6))
    assert out.grad_fn.name() == "UnsafeViewBackward0"
    out2 = F.scaled_dot_product_attention(qg, torch.randn(2, 4, 5, 8), torch.randn(2, 4, 5, 8))
    assert out2.grad_fn.name() == "ScaledDotProductFlashAttentionForCpuBackward0"
