"""Instance/RMS/local-response norms, channel and alpha dropout, in-place activations,
gumbel_softmax, margin/triplet/CTC losses, grid sampling, fractional pooling and the
other late additions to nn and nn.functional: values against NumPy or recorded PyTorch
constants, gradients (gradcheck in float64), reprs and error types."""

import math
import warnings

import numpy as np
import pytest
from backend import fg

F = fg.nn.functional
nn = fg.nn
f64 = fg.float64


def t(data, dtype=None, requires_grad=False):
    dtype = f64 if dtype is None else dtype
    return fg.tensor(np.asarray(data), dtype=dtype, requires_grad=requires_grad)


def arr(x):
    return np.asarray(x.detach().numpy())


def close(x, expected, atol=1e-6):
    np.testing.assert_allclose(arr(x), np.asarray(expected, dtype=np.float64), atol=atol, rtol=1e-5)


def gradcheck(fn, *inputs):
    assert fg.autograd.gradcheck(fn, inputs, eps=1e-6, atol=1e-5)


RNG = np.random.default_rng(1234)
X3 = RNG.standard_normal((2, 3, 5))
X4 = RNG.standard_normal((2, 3, 4, 5))


# --------------------------------------------------------------------------- instance norm


def _np_instance_norm(x, eps=1e-5):
    axes = tuple(range(2, x.ndim))
    mean = x.mean(axes, keepdims=True)
    var = x.var(axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps)


def test_instance_norm_values_and_affine():
    close(F.instance_norm(t(X3)), _np_instance_norm(X3))
    w, b = RNG.standard_normal(3), RNG.standard_normal(3)
    out = F.instance_norm(t(X4), weight=t(w), bias=t(b))
    close(out, _np_instance_norm(X4) * w[None, :, None, None] + b[None, :, None, None])


def test_instance_norm_running_stats_update_and_eval():
    rm, rv = t(np.zeros(3)), t(np.ones(3))
    F.instance_norm(t(X3), rm, rv, momentum=0.2)
    inst_mean = X3.mean(2).mean(0)
    inst_var = X3.var(2, ddof=1).mean(0)
    close(rm, 0.2 * inst_mean)
    close(rv, 0.8 + 0.2 * inst_var)
    out = F.instance_norm(t(X3), rm, rv, use_input_stats=False)
    close(out, (X3 - arr(rm)[None, :, None]) / np.sqrt(arr(rv)[None, :, None] + 1e-5))


def test_instance_norm_errors():
    with pytest.raises(ValueError):
        F.instance_norm(t(np.ones((2, 3, 1))))
    with pytest.raises(RuntimeError):
        F.instance_norm(t(X3), use_input_stats=False)


def test_instance_norm_gradcheck():
    w, b = t(RNG.standard_normal(3), requires_grad=True), t(RNG.standard_normal(3), requires_grad=True)
    gradcheck(lambda x, w, b: F.instance_norm(x, weight=w, bias=b), t(X3, requires_grad=True), w, b)


def test_instance_norm_modules():
    m = nn.InstanceNorm2d(3)
    assert repr(m) == "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, track_running_stats=False)"
    assert m.weight is None and m.running_mean is None
    m = nn.InstanceNorm3d(3, affine=True, track_running_stats=True, bias=False)
    assert repr(m) == "InstanceNorm3d(3, eps=1e-05, momentum=0.1, affine=True, bias=False, track_running_stats=True)"
    close(m.weight, np.ones(3))
    assert [name for name, _ in m.named_buffers()] == ["running_mean", "running_var", "num_batches_tracked"]
    m1 = nn.InstanceNorm1d(3, affine=True, dtype=f64)
    with pytest.raises(RuntimeError):
        nn.InstanceNorm1d(3, affine=True)(t(X3))  # float32 parameters, float64 input
    close(m1(t(X3[0])), _np_instance_norm(X3[:1])[0])  # unbatched (C, L)
    assert tuple(m1(t(X3[0])).shape) == (3, 5)
    with pytest.raises(ValueError):
        m1(t(X4))
    with pytest.raises(ValueError):
        m1(t(np.ones((2, 4, 5))))  # affine: size at the channel dim must match
    with pytest.warns(UserWarning):
        nn.InstanceNorm1d(4)(t(X3))


def test_instance_norm_module_tracks_in_training_uses_in_eval():
    m = nn.InstanceNorm1d(3, track_running_stats=True, momentum=0.5, dtype=f64)
    m(t(X3))
    close(m.running_mean, 0.5 * X3.mean(2).mean(0))
    m.eval()
    rm, rv = arr(m.running_mean), arr(m.running_var)
    close(m(t(X3)), (X3 - rm[None, :, None]) / np.sqrt(rv[None, :, None] + 1e-5))


# --------------------------------------------------------------------------- RMS norm, LRN


def test_rms_norm_values_default_eps_and_weight():
    w = RNG.standard_normal(5)
    out = F.rms_norm(t(X4), (5,), t(w), eps=1e-3)
    close(out, X4 / np.sqrt((X4 ** 2).mean(-1, keepdims=True) + 1e-3) * w)
    x32 = X4.astype(np.float32)
    out = F.rms_norm(t(x32, fg.float32), [4, 5])
    eps = float(np.finfo(np.float32).eps)
    close(out, x32 / np.sqrt((x32 ** 2).mean((-2, -1), keepdims=True) + eps), atol=1e-5)
    assert out.dtype == fg.float32


def test_rms_norm_errors_and_gradcheck():
    with pytest.raises(RuntimeError):
        F.rms_norm(t(X4), (4,))
    gradcheck(lambda x, w: F.rms_norm(x, (5,), w), t(X3, requires_grad=True), t(RNG.standard_normal(5), requires_grad=True))


def test_rms_norm_module():
    assert repr(nn.RMSNorm(3)) == "RMSNorm((3,), eps=None, elementwise_affine=True)"
    m = nn.RMSNorm([4, 5], eps=1e-3, elementwise_affine=False)
    assert repr(m) == "RMSNorm((4, 5), eps=0.001, elementwise_affine=False)"
    assert m.weight is None
    close(nn.RMSNorm(5).weight, np.ones(5))
    close(m(t(X4)), X4 / np.sqrt((X4 ** 2).mean((-2, -1), keepdims=True) + 1e-3))


def _np_lrn(x, size, alpha=1e-4, beta=0.75, k=1.0):
    c = x.shape[1]
    sq = x ** 2
    div = np.zeros_like(x)
    for ch in range(c):
        lo, hi = ch - size // 2, ch + (size - 1) // 2
        div[:, ch] = sq[:, max(lo, 0): min(hi, c - 1) + 1].sum(1)
    return x / (k + alpha / size * div) ** beta


def test_local_response_norm():
    close(F.local_response_norm(t(X3), 3, alpha=0.3), _np_lrn(X3, 3, alpha=0.3))
    close(F.local_response_norm(t(X4), 2, alpha=0.5, beta=0.6, k=2.0), _np_lrn(X4, 2, 0.5, 0.6, 2.0))
    with pytest.raises(ValueError):
        F.local_response_norm(t(np.ones((2, 3))), 2)
    gradcheck(lambda x: F.local_response_norm(x, 3, alpha=0.3), t(X3, requires_grad=True))
    m = nn.LocalResponseNorm(3)
    assert repr(m) == "LocalResponseNorm(3, alpha=0.0001, beta=0.75, k=1.0)"
    close(m(t(X4)), _np_lrn(X4, 3))


def test_cross_map_lrn2d():
    x = RNG.standard_normal((2, 7, 3, 3))
    m = nn.CrossMapLRN2d(5, alpha=0.5)
    assert repr(m) == "CrossMapLRN2d(5, alpha=0.5, beta=0.75, k=1)"
    # Lua Torch's running window: channels c - 2 .. c + 2, but its running sum never
    # subtracts channel 0 (nor c - 3 while c == 3)
    sq = x ** 2
    scale = np.zeros_like(x)
    for c in range(7):
        window = set(range(max(c - 2, 0), min(c + 2, 6) + 1)) | ({0} if c >= 3 else set())
        if c == 3:
            window |= {0, 1}
        scale[:, c] = sq[:, sorted(window)].sum(1)
    close(m(t(x)), x * (1 + 0.5 / 5 * scale) ** -0.75)
    with pytest.raises(ValueError):
        m(t(X3))


# --------------------------------------------------------------------------- dropout

XD = np.arange(24.0).reshape(2, 3, 4) / 7 - 1


def test_dropout2d_recorded_mask():
    fg.manual_seed(0)
    out = F.dropout2d(t(XD, fg.float32).reshape(2, 3, 2, 2), 0.5).reshape(2, 3, 4)
    expected = np.zeros((2, 3, 4))
    expected[0, 2] = XD[0, 2] * 2
    close(out, expected, atol=1e-5)


def test_feature_dropout_zeroes_whole_channels():
    fg.manual_seed(5)
    x = t(np.ones((4, 6, 3, 3)))
    out = arr(F.dropout3d(x, 0.4))
    per_channel = out.reshape(4, 6, -1)
    for values in per_channel.reshape(-1, 9):
        assert np.allclose(values, 0) or np.allclose(values, 1 / 0.6)
    assert arr(F.dropout1d(t(np.ones((6, 3))), 0.5, training=False)).tolist() == np.ones((6, 3)).tolist()


def test_dropout_nd_inplace_returns_input_and_unbatched_shape():
    x = t(np.ones((3, 4)))
    out = F.dropout1d(x, 0.5, inplace=True)
    assert tuple(out.shape) == (3, 4)
    rows = arr(x)
    assert all(np.allclose(r, 0) or np.allclose(r, 2) for r in rows)


def test_dropout_nd_checks():
    with pytest.raises(ValueError):
        F.dropout2d(t(X4), 1.5)
    with pytest.raises(RuntimeError):
        F.dropout1d(t(X4), 0.5)
    with pytest.warns(UserWarning):
        F.dropout2d(t(np.ones((2, 3, 4, 5, 6))), 0.5, training=False)
    with pytest.warns(UserWarning):
        F.dropout2d(t(X3), 0.5, training=False)
    with pytest.warns(UserWarning):
        F.dropout3d(t(X3), 0.5, training=False)
    with pytest.raises(ValueError):
        nn.Dropout1d(-0.1)


def test_alpha_dropout_recorded_and_formula():
    fg.manual_seed(0)
    out = arr(F.alpha_dropout(t(XD, fg.float32), 0.3, True))
    alpha = 1.7580993408473766
    a = 1 / math.sqrt((alpha ** 2 * 0.3 + 1) * 0.7)
    kept = XD * a + alpha * a * 0.3
    dropped = -alpha * a + alpha * a * 0.3
    recorded_dropped = [(0, 0, 0), (0, 0, 1), (0, 0, 3), (0, 1, 1), (1, 1, 3)]
    expected = kept.copy()
    for idx in recorded_dropped:
        expected[idx] = dropped
    np.testing.assert_allclose(out, expected, atol=1e-5)
    assert out[0, 0, 0] == pytest.approx(-1.059548258781433, abs=1e-6)
    assert arr(F.alpha_dropout(t(XD), 0.3)).tolist() == XD.tolist()  # training defaults to False


def test_feature_alpha_dropout_channels():
    fg.manual_seed(2)
    out = arr(F.feature_alpha_dropout(t(np.zeros((3, 5, 4))), 0.5, True))
    assert all(len(set(np.round(ch, 6))) == 1 for ch in out.reshape(15, 4))


def test_dropout_module_reprs():
    assert repr(nn.Dropout1d()) == "Dropout1d(p=0.5, inplace=False)"
    assert repr(nn.Dropout2d(0.2, True)) == "Dropout2d(p=0.2, inplace=True)"
    assert repr(nn.Dropout3d()) == "Dropout3d(p=0.5, inplace=False)"
    assert repr(nn.AlphaDropout()) == "AlphaDropout(p=0.5, inplace=False)"
    assert repr(nn.FeatureAlphaDropout(0.3)) == "FeatureAlphaDropout(p=0.3, inplace=False)"
    m = nn.AlphaDropout(0.5)
    m.eval()
    close(m(t(XD)), XD)


# --------------------------------------------------------------------------- in-place activations


@pytest.mark.parametrize(
    "name,args,expected",
    [
        ("relu_", (), lambda x: np.maximum(x, 0)),
        ("elu_", (0.5,), lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1))),
        ("celu_", (2.0,), lambda x: np.where(x > 0, x, 2.0 * (np.exp(x / 2.0) - 1))),
        ("selu_", (), lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * (np.exp(x) - 1))),
        ("leaky_relu_", (0.2,), lambda x: np.where(x > 0, x, 0.2 * x)),
        ("hardtanh_", (-0.5, 0.7), lambda x: np.clip(x, -0.5, 0.7)),
        ("threshold_", (0.1, 20.0), lambda x: np.where(x > 0.1, x, 20.0)),
        ("rrelu_", (), lambda x: np.where(x >= 0, x, x * (1 / 8 + 1 / 3) / 2)),
    ],
)
def test_inplace_activations(name, args, expected):
    x = t(X3)
    out = getattr(F, name)(x, *args)
    assert out is x
    close(x, expected(X3))


def test_rrelu_inplace_training_slopes_in_range():
    fg.manual_seed(0)
    x = t(-np.ones(50))
    F.rrelu_(x, 0.1, 0.3, True)
    v = -arr(x)
    assert (v >= 0.1).all() and (v <= 0.3).all() and len(set(v.tolist())) > 1


# --------------------------------------------------------------------------- gumbel softmax


def test_gumbel_softmax_recorded_and_properties():
    fg.manual_seed(0)
    out = arr(F.gumbel_softmax(t(XD, fg.float32), tau=0.7))
    np.testing.assert_allclose(out[0, 0], [0.03635377, 0.19918901, 0.65779310, 0.10666404], atol=1e-5)
    np.testing.assert_allclose(out.sum(-1), np.ones((2, 3)), atol=1e-5)
    x = t(XD, requires_grad=True)
    hard = F.gumbel_softmax(x, hard=True, dim=1)
    h = arr(hard)
    assert set(np.round(h, 8).ravel().tolist()) <= {0.0, 1.0}
    assert (h.sum(1) == 1).all()
    (hard * t(RNG.standard_normal((2, 3, 4)))).sum().backward()
    assert x.grad is not None and np.abs(arr(x.grad)).sum() > 0
    with pytest.warns(UserWarning):
        F.gumbel_softmax(t(XD), eps=1e-3)


# --------------------------------------------------------------------------- margin and triplet losses


def _np_multi_margin(x, y, p=1, margin=1.0, w=None):
    n, c = x.shape
    out = np.zeros(n)
    for i in range(n):
        for j in range(c):
            if j == y[i]:
                continue
            z = max(0.0, margin - x[i, y[i]] + x[i, j]) ** p
            out[i] += z * (1.0 if w is None else w[y[i]])
    return out / c


def test_multi_margin_loss_values():
    x, y = RNG.standard_normal((4, 5)), np.array([0, 4, 2, 2])
    close(F.multi_margin_loss(t(x), t(y, fg.int64), reduction="none"), _np_multi_margin(x, y))
    w = RNG.random(5)
    close(F.multi_margin_loss(t(x), t(y, fg.int64), p=2, margin=0.7, weight=t(w)),
          _np_multi_margin(x, y, 2, 0.7, w).mean())
    close(F.multi_margin_loss(t(x[1]), t(y[1], fg.int64), reduction="sum"), _np_multi_margin(x[1:2], y[1:2]).sum())
    m = nn.MultiMarginLoss(p=2, margin=0.7, weight=t(w), reduction="sum")
    assert repr(m) == "MultiMarginLoss()"
    close(m(t(x), t(y, fg.int64)), _np_multi_margin(x, y, 2, 0.7, w).sum())


def test_multi_margin_loss_errors_and_gradcheck():
    x, y = t(RNG.standard_normal((3, 4))), t([0, 3, 1], fg.int64)
    with pytest.raises(ValueError):
        F.multi_margin_loss(x, y, p=3)
    with pytest.raises(ValueError):
        F.multi_margin_loss(x, y, weight=t(np.ones((2, 2))))
    with pytest.raises(RuntimeError):
        F.multi_margin_loss(x, t([0, 1], fg.int64))
    with pytest.raises(RuntimeError):
        F.multi_margin_loss(x, t([0, 4, 1], fg.int64))
    with pytest.raises(RuntimeError):
        F.multi_margin_loss(t(np.ones((2, 2, 2))), y)
    with pytest.raises(RuntimeError):
        F.multi_margin_loss(x, t([0, 3, 1]))
    with pytest.raises(ValueError):
        nn.MultiMarginLoss(p=3)
    gradcheck(lambda x: F.multi_margin_loss(x, y, p=2, margin=0.3), t(RNG.standard_normal((3, 4)), requires_grad=True))


def _np_multilabel_margin(x, y):
    n, c = x.shape
    out = np.zeros(n)
    for i in range(n):
        targets = []
        for v in y[i]:
            if v < 0:
                break
            targets.append(v)
        for j in targets:
            for k in range(c):
                if k not in targets:
                    out[i] += max(0.0, 1 - (x[i, j] - x[i, k]))
    return out / c


def test_multilabel_margin_loss():
    x = RNG.standard_normal((3, 4))
    y = np.array([[3, 0, -1, 1], [1, 2, 3, -1], [-1, 0, 0, 0]])
    close(F.multilabel_margin_loss(t(x), t(y, fg.int64), reduction="none"), _np_multilabel_margin(x, y))
    close(nn.MultiLabelMarginLoss()(t(x), t(y, fg.int64)), _np_multilabel_margin(x, y).mean())
    out = F.multilabel_margin_loss(t(x[0]), t(y[0], fg.int64), reduction="none")
    assert tuple(out.shape) == ()
    with pytest.raises(RuntimeError):
        F.multilabel_margin_loss(t(x), t(y[:2], fg.int64))
    with pytest.raises(RuntimeError):
        F.multilabel_margin_loss(t(x), t(np.full((3, 4), 4), fg.int64))
    assert repr(nn.MultiLabelMarginLoss()) == "MultiLabelMarginLoss()"
    gradcheck(lambda x: F.multilabel_margin_loss(x, t(y, fg.int64)), t(x, requires_grad=True))


def test_triplet_margin_with_distance_loss():
    a, p, n = (RNG.standard_normal((4, 3)) for _ in range(3))

    def d(u, v):
        return np.sqrt(((u - v + 1e-6) ** 2).sum(-1))

    expected = np.maximum(d(a, p) - np.minimum(d(a, n), d(p, n)) + 1.0, 0)
    close(F.triplet_margin_with_distance_loss(t(a), t(p), t(n), swap=True, reduction="none"), expected)

    def l1(u, v):
        return (u - v).abs().sum(-1)

    expected = np.maximum(np.abs(a - p).sum(-1) - np.abs(a - n).sum(-1) + 0.5, 0).mean()
    close(F.triplet_margin_with_distance_loss(t(a), t(p), t(n), distance_function=l1, margin=0.5), expected)
    with pytest.raises(ValueError):
        F.triplet_margin_with_distance_loss(t(a), t(p), t(n), margin=0)
    with pytest.raises(ValueError):
        F.triplet_margin_with_distance_loss(t(a), t(p), t(n), reduction="avg")
    with pytest.raises(RuntimeError):
        F.triplet_margin_with_distance_loss(t(a), t(p[0]), t(n))
    with pytest.raises(ValueError):
        nn.TripletMarginWithDistanceLoss(margin=-1.0)
    m = nn.TripletMarginWithDistanceLoss()
    assert repr(m) == "TripletMarginWithDistanceLoss(\n  (distance_function): PairwiseDistance()\n)"
    gradcheck(lambda a: F.triplet_margin_with_distance_loss(a, t(p), t(n)), t(a, requires_grad=True))


# --------------------------------------------------------------------------- CTC


def _np_ctc(lp, target, blank=0):
    ext = [blank]
    for label in target:
        ext += [label, blank]
    s_len = len(ext)
    alpha = np.full(s_len, -np.inf)
    alpha[0] = lp[0, ext[0]]
    if s_len > 1:
        alpha[1] = lp[0, ext[1]]
    for step in range(1, lp.shape[0]):
        new = np.full(s_len, -np.inf)
        for s in range(s_len):
            terms = [alpha[s]]
            if s >= 1:
                terms.append(alpha[s - 1])
            if s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]:
                terms.append(alpha[s - 2])
            new[s] = np.logaddexp.reduce(terms) + lp[step, ext[s]]
        alpha = new
    ends = [alpha[-1]] + ([alpha[-2]] if s_len > 1 else [])
    return -np.logaddexp.reduce(ends)


LP = np.log(RNG.dirichlet(np.ones(5), size=(6, 3)))
TG = np.array([[1, 2, 2], [3, 1, 4], [4, 4, 4]])


def test_ctc_loss_values_against_numpy():
    il, tl = [6, 5, 4], [3, 2, 1]
    expected = np.array([_np_ctc(LP[: il[b], b], TG[b, : tl[b]]) for b in range(3)])
    out = F.ctc_loss(t(LP), t(TG, fg.int64), t(il, fg.int64), t(tl, fg.int64), reduction="none")
    close(out, expected)
    close(F.ctc_loss(t(LP), t(TG, fg.int64), t(il, fg.int64), t(tl, fg.int64)), (expected / np.array(tl)).mean())
    flat = t([1, 2, 2, 3, 1, 4], fg.int64)
    close(F.ctc_loss(t(LP), flat, t(il, fg.int64), t(tl, fg.int64), reduction="sum"), expected.sum())
    close(F.ctc_loss(t(LP[:, 0]), t(TG[0], fg.int64), t(6, fg.int64), t(3, fg.int64), reduction="none"),
          expected[0])


def test_ctc_loss_blank_and_infinite():
    il, tl = t([6, 3, 2], fg.int64), t([3, 3, 3], fg.int64)
    out = arr(F.ctc_loss(t(LP), t(TG, fg.int64), il, tl, blank=4, reduction="none"))
    assert math.isfinite(out[0]) and out[2] == math.inf
    z = F.ctc_loss(t(LP), t(TG, fg.int64), il, tl, reduction="none", zero_infinity=True)
    assert arr(z)[2] == 0.0


def test_ctc_loss_recorded_gradient():
    logits = np.sin(np.arange(30.0).reshape(5, 6)) * 2
    lp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    x = t(lp, requires_grad=True)
    loss = F.ctc_loss(x, t([1, 2, 2], fg.int64), t(5, fg.int64), t(3, fg.int64))
    assert loss.item() == pytest.approx(2.1651031057197216, abs=1e-6)
    loss.backward()
    np.testing.assert_allclose(
        arr(x.grad)[0], [0.01312533, -0.19705792, 0.14429288, 0.03104663, 0.00515334, 0.00343976], atol=1e-6
    )
    np.testing.assert_allclose(
        arr(x.grad)[4], [-0.00121674, 0.01791069, -0.22104562, 0.15804079, 0.04012152, 0.00618937], atol=1e-6
    )


def test_ctc_loss_gradcheck_through_log_softmax():
    logits = t(RNG.standard_normal((5, 2, 4)), requires_grad=True)
    targets, il, tl = t([[1, 2], [3, 3]], fg.int64), t([5, 4], fg.int64), t([2, 2], fg.int64)
    gradcheck(lambda z: F.ctc_loss(z.log_softmax(2), targets, il, tl), logits)


def test_ctc_loss_errors_and_module():
    with pytest.raises(RuntimeError):
        F.ctc_loss(t(LP), t(TG, fg.int64), t([6, 5], fg.int64), t([3, 2, 1], fg.int64))
    with pytest.raises(RuntimeError):
        F.ctc_loss(t(LP), t(TG, fg.int64), t([7, 5, 4], fg.int64), t([3, 2, 1], fg.int64))
    with pytest.raises(RuntimeError):
        F.ctc_loss(t(LP), t(TG, fg.int64), t([6, 5, 4], fg.int64), t([3, 2, 1], fg.int64), blank=5)
    m = nn.CTCLoss(blank=0, reduction="sum", zero_infinity=True)
    assert repr(m) == "CTCLoss()" and m.zero_infinity
    il, tl = [6, 5, 4], [3, 2, 1]
    expected = sum(_np_ctc(LP[: il[b], b], TG[b, : tl[b]]) for b in range(3))
    close(m(t(LP), t(TG, fg.int64), t(il, fg.int64), t(tl, fg.int64)), expected)


def test_nll_loss2d_is_deprecated_nll_loss():
    with pytest.warns(FutureWarning):
        m = nn.NLLLoss2d()
    assert repr(m) == "NLLLoss2d()"
    x = RNG.standard_normal((2, 3, 2, 2))
    y = np.array([[[0, 1], [2, 2]], [[1, 0], [0, 2]]])
    expected = -np.take_along_axis(x, y[:, None], 1).mean()
    close(m(t(x), t(y, fg.int64)), expected)


# --------------------------------------------------------------------------- small modules and functions


def test_softmax2d_and_channel_shuffle():
    e = np.exp(X4 - X4.max(1, keepdims=True))
    close(nn.Softmax2d()(t(X4)), e / e.sum(1, keepdims=True))
    with pytest.raises(ValueError):
        nn.Softmax2d()(t(np.ones((2, 3))))
    x = np.arange(12.0).reshape(1, 6, 2)
    close(F.channel_shuffle(t(x), 3), x[:, [0, 2, 4, 1, 3, 5]])
    assert repr(nn.ChannelShuffle(2)) == "ChannelShuffle(groups=2)"
    close(nn.ChannelShuffle(2)(t(x)), x[:, [0, 3, 1, 4, 2, 5]])
    for bad in (0, -1, 4):
        with pytest.raises(RuntimeError):
            F.channel_shuffle(t(x), bad)
    with pytest.raises(RuntimeError):
        F.channel_shuffle(t(np.ones((2, 6))), 2)


def test_pdist():
    x = RNG.standard_normal((5, 3))
    i, j = np.triu_indices(5, 1)
    close(F.pdist(t(x)), np.sqrt(((x[i] - x[j]) ** 2).sum(-1)))
    close(F.pdist(t(x), 1.5), (np.abs(x[i] - x[j]) ** 1.5).sum(-1) ** (1 / 1.5))
    assert tuple(F.pdist(t(x[:1])).shape) == (0,)
    with pytest.raises(RuntimeError):
        F.pdist(t(np.ones((2, 2, 2))))
    with pytest.raises(RuntimeError):
        F.pdist(t(x), -1)
    with pytest.raises(RuntimeError):
        F.pdist(t(np.ones((3, 2)), fg.int64))
    gradcheck(F.pdist, t(x, requires_grad=True))


def test_lp_pool3d():
    x = np.abs(RNG.standard_normal((1, 2, 4, 4, 4))) + 0.1
    blocks = x.reshape(1, 2, 2, 2, 2, 2, 2, 2).transpose(0, 1, 2, 4, 6, 3, 5, 7).reshape(1, 2, 2, 2, 2, 8)
    close(F.lp_pool3d(t(x), 2, 2), np.sqrt((blocks ** 2).sum(-1)))
    m = nn.LPPool3d(2, 3, 2, True)
    assert repr(m) == "LPPool3d(norm_type=2, kernel_size=3, stride=2, ceil_mode=True)"
    gradcheck(lambda v: F.lp_pool3d(v, 3, 2), t(x, requires_grad=True))


def test_with_indices_variants():
    x = t(X4)
    v, i = F.max_pool2d_with_indices(x, 2)
    v2, i2 = F.max_pool2d(x, 2, return_indices=True)
    close(v, arr(v2))
    assert arr(i).tolist() == arr(i2).tolist()
    v, i = F.max_pool1d_with_indices(t(X3), 2)
    assert tuple(v.shape) == (2, 3, 2) and i.dtype == fg.int64
    v, i = F.max_pool3d_with_indices(t(X4[None]), 2)
    assert tuple(i.shape) == (1, 2, 1, 2, 2)
    v, i = F.adaptive_max_pool1d_with_indices(t(X3), 1)
    close(v, X3.max(-1, keepdims=True))
    assert arr(i).tolist() == X3.argmax(-1)[..., None].tolist()
    v, i = F.adaptive_max_pool2d_with_indices(x, 1)
    close(v, X4.max((2, 3), keepdims=True))
    v, i = F.adaptive_max_pool3d_with_indices(t(X4[None]), 1)
    close(v, X4.max((1, 2, 3)).reshape(1, 2, 1, 1, 1))


def test_upsample_aliases_warn():
    x = t(np.arange(4.0).reshape(1, 1, 2, 2))
    with pytest.warns(UserWarning):
        out = F.upsample_nearest(x, scale_factor=2)
    close(out, np.arange(4.0).reshape(2, 2).repeat(2, 0).repeat(2, 1)[None, None])
    with pytest.warns(UserWarning):
        out = F.upsample_bilinear(x, size=3)
    close(out, [[[[0, 0.5, 1], [1, 1.5, 2], [2, 2.5, 3]]]])


# --------------------------------------------------------------------------- affine_grid, grid_sample


def test_affine_grid_recorded_and_numpy():
    theta = np.array([[[0.5, -0.2, 0.1], [0.3, 0.9, -0.4]]])
    out = F.affine_grid(t(theta), [1, 1, 2, 3], align_corners=False)
    expected = [[[[-0.13333336, -1.05], [0.2, -0.85], [0.53333336, -0.65]],
                 [[-0.33333334, -0.15], [0.0, 0.05], [0.33333334, 0.25]]]]
    close(out, expected)
    xs, ys = np.linspace(-1, 1, 4), np.linspace(-1, 1, 3)
    base = np.stack(list(np.meshgrid(xs, ys)) + [np.ones((3, 4))], -1)
    close(F.affine_grid(t(theta), [1, 2, 3, 4], align_corners=True), (base @ theta[0].T)[None])
    theta3 = RNG.standard_normal((2, 3, 4))
    assert tuple(F.affine_grid(t(theta3), [2, 1, 2, 3, 4], False).shape) == (2, 2, 3, 4, 3)
    gradcheck(lambda th: F.affine_grid(th, [1, 1, 2, 3], False), t(theta, requires_grad=True))


def test_affine_grid_errors_and_warning():
    theta = t(np.zeros((1, 2, 3)))
    with pytest.warns(UserWarning):
        F.affine_grid(theta, [1, 1, 2, 2])
    with pytest.raises(ValueError):
        F.affine_grid(t(np.zeros((1, 2, 3)), fg.int64), [1, 1, 2, 2], False)
    with pytest.raises(ValueError):
        F.affine_grid(t(np.zeros((1, 3, 4))), [1, 1, 2, 2], False)
    with pytest.raises(NotImplementedError):
        F.affine_grid(theta, [1, 1, 2], False)
    with pytest.raises(ValueError):
        F.affine_grid(theta, [1, 1, 0, 2], False)


GS_INPUT = np.arange(12.0).reshape(1, 1, 3, 4)
GS_GRID = np.array([[[[-0.9, -0.8], [0.3, 0.1], [1.2, -1.1]], [[0.55, 0.95], [-1.3, 0.2], [0.0, 0.0]]]])
GS_RECORDED = {
    ("bilinear", "zeros", False): [0.0, 6.7, 0.105, 6.094998, 0.0, 5.5],
    ("bilinear", "zeros", True): [0.95, 6.35, 1.889999, 10.125, 2.64, 5.5],
    ("bilinear", "border", False): [0.0, 6.7, 3.0, 10.6, 5.2, 5.5],
    ("bilinear", "border", True): [0.95, 6.35, 3.0, 10.125, 4.8, 5.5],
    ("bilinear", "reflection", False): [0.0, 6.7, 3.0, 10.6, 5.300001, 5.5],
    ("bilinear", "reflection", True): [0.95, 6.35, 3.1, 10.125, 5.25, 5.5],
    ("nearest", "zeros", False): [0.0, 6.0, 0.0, 11.0, 0.0, 6.0],
    ("nearest", "zeros", True): [0.0, 6.0, 3.0, 10.0, 4.0, 6.0],
    ("nearest", "border", False): [0.0, 6.0, 3.0, 11.0, 4.0, 6.0],
    ("nearest", "border", True): [0.0, 6.0, 3.0, 10.0, 4.0, 6.0],
    ("nearest", "reflection", False): [0.0, 6.0, 3.0, 11.0, 4.0, 6.0],
    ("nearest", "reflection", True): [0.0, 6.0, 3.0, 10.0, 4.0, 6.0],
}


@pytest.mark.parametrize("key", sorted(GS_RECORDED))
def test_grid_sample_recorded(key):
    mode, padding, align = key
    out = F.grid_sample(t(GS_INPUT, fg.float32), t(GS_GRID, fg.float32), mode, padding, align)
    assert tuple(out.shape) == (1, 1, 2, 3)
    close(out.reshape(-1), GS_RECORDED[key], atol=1e-4)


@pytest.mark.parametrize("padding", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align", [False, True])
def test_grid_sample_gradcheck(padding, align):
    inp = t(RNG.standard_normal((2, 2, 3, 4)), requires_grad=True)
    grid = t(RNG.uniform(-0.9, 0.9, (2, 3, 2, 2)), requires_grad=True)
    gradcheck(lambda i, g: F.grid_sample(i, g, "bilinear", padding, align), inp, grid)


def test_grid_sample_3d_and_nearest_gradients():
    inp = t(RNG.standard_normal((1, 2, 2, 3, 4)), requires_grad=True)
    grid = t(RNG.uniform(-0.9, 0.9, (1, 2, 2, 2, 3)), requires_grad=True)
    gradcheck(lambda i, g: F.grid_sample(i, g, "bilinear", "zeros", False), inp, grid)
    g2 = t(GS_GRID, requires_grad=True)
    i2 = t(GS_INPUT, requires_grad=True)
    F.grid_sample(i2, g2, "nearest", "zeros", False).sum().backward()
    assert arr(g2.grad).tolist() == np.zeros_like(GS_GRID).tolist()
    assert arr(i2.grad).tolist() == [[[[1, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 1]]]]


def test_grid_sample_errors():
    x = t(np.ones((2, 3, 5, 5)))
    with pytest.raises(ValueError):
        F.grid_sample(x, t(np.zeros((2, 3, 3, 2))), mode="cubic", align_corners=False)
    with pytest.raises(ValueError):
        F.grid_sample(x, t(np.zeros((2, 3, 3, 2))), padding_mode="wrap", align_corners=False)
    with pytest.raises(RuntimeError):
        F.grid_sample(x, t(np.zeros((2, 3, 3, 3))), align_corners=False)
    with pytest.raises(RuntimeError):
        F.grid_sample(x, t(np.zeros((1, 3, 3, 2))), align_corners=False)
    with pytest.raises(RuntimeError):
        F.grid_sample(x, t(np.zeros((2, 3, 3))), align_corners=False)
    with pytest.raises(RuntimeError):
        F.grid_sample(x, t(np.zeros((2, 3, 3, 2)), fg.float32), align_corners=False)
    with pytest.warns(UserWarning):
        F.grid_sample(x, t(np.zeros((2, 3, 3, 2))))


# --------------------------------------------------------------------------- fractional max pooling


def test_fractional_max_pool2d_recorded():
    x = t(np.arange(63.0).reshape(1, 1, 7, 9), fg.float32)
    samples = t([[[0.3, 0.8]]], fg.float32)
    v, i = F.fractional_max_pool2d(x, 2, output_size=(3, 4), return_indices=True, _random_samples=samples)
    expected = [[10, 13, 15, 17], [28, 31, 33, 35], [55, 58, 60, 62]]
    assert arr(i).reshape(3, 4).tolist() == expected
    close(v.reshape(3, 4), expected)


def test_fractional_max_pool3d_recorded():
    x = t(np.arange(315.0).reshape(1, 1, 5, 7, 9), fg.float32)
    samples = t([[[0.3, 0.8, 0.55]]], fg.float32)
    _, i = F.fractional_max_pool3d(x, 2, output_size=(2, 3, 4), return_indices=True, _random_samples=samples)
    expected = [[[73, 75, 77, 80], [91, 93, 95, 98], [118, 120, 122, 125]],
                [[262, 264, 266, 269], [280, 282, 284, 287], [307, 309, 311, 314]]]
    assert arr(i).reshape(2, 3, 4).tolist() == expected


def test_fractional_max_pool_gradient_and_errors():
    x = t(RNG.standard_normal((2, 3, 7, 9)), requires_grad=True)
    samples = t(RNG.random((2, 3, 2)))
    gradcheck(lambda v: F.fractional_max_pool2d(v, 2, output_size=(3, 4), _random_samples=samples), x)
    with pytest.raises(RuntimeError):
        F.fractional_max_pool2d(x, 3, output_size=6)
    with pytest.raises(ValueError):
        F.fractional_max_pool2d(x, 2)
    with pytest.raises(TypeError):
        F.fractional_max_pool2d(x, 2, output_ratio=0.5)
    with pytest.raises(RuntimeError):
        F.fractional_max_pool2d(x, 2, output_size=2, _random_samples=t(np.zeros((2, 3, 3))))


def test_fractional_max_pool_modules():
    m = nn.FractionalMaxPool2d(2, output_ratio=0.5)
    assert repr(m) == "FractionalMaxPool2d()"
    assert m.kernel_size == (2, 2) and m.output_ratio == (0.5, 0.5) and m.output_size is None
    fg.manual_seed(0)
    assert tuple(m(t(X4)).shape) == (2, 3, 2, 2)
    m3 = nn.FractionalMaxPool3d(2, output_size=2, return_indices=True)
    out, idx = m3(t(np.ones((1, 5, 5, 5))))
    assert tuple(out.shape) == (1, 2, 2, 2) and idx.dtype == fg.int64
    with pytest.raises(ValueError):
        nn.FractionalMaxPool2d(2)
    with pytest.raises(ValueError):
        nn.FractionalMaxPool2d(2, output_size=2, output_ratio=0.5)
    with pytest.raises(ValueError):
        nn.FractionalMaxPool2d(2, output_ratio=1.5)
    with pytest.raises(ValueError):
        nn.FractionalMaxPool3d(0, output_size=2)


def test_functions_exported():
    names = ["instance_norm", "rms_norm", "local_response_norm", "dropout1d", "dropout2d", "dropout3d",
             "alpha_dropout", "feature_alpha_dropout", "gumbel_softmax", "multi_margin_loss",
             "multilabel_margin_loss", "triplet_margin_with_distance_loss", "ctc_loss", "channel_shuffle", "pdist",
             "lp_pool3d", "affine_grid", "grid_sample", "fractional_max_pool2d", "fractional_max_pool3d"]
    assert all(callable(getattr(F, n)) for n in names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert isinstance(nn.NLLLoss2d(), nn.NLLLoss)


# --------------------------------------------------------------------------- embedding_bag

EB_W = np.arange(18.0).reshape(6, 3) / 10
EB_IDX = [1, 2, 4, 5, 4, 3, 2, 0]


def test_embedding_bag_modes():
    w, idx, off = t(EB_W), t(EB_IDX, fg.int64), t([0, 2, 2, 5], fg.int64)
    rows = EB_W[EB_IDX]
    bags = [rows[0:2], rows[2:2], rows[2:5], rows[5:8]]
    close(F.embedding_bag(idx, w, off, mode="sum"), [b.sum(0) if len(b) else np.zeros(3) for b in bags])
    close(F.embedding_bag(idx, w, off), [b.mean(0) if len(b) else np.zeros(3) for b in bags])
    close(F.embedding_bag(idx, w, off, mode="max"), [b.max(0) if len(b) else np.zeros(3) for b in bags])
    psw = RNG.random(8)
    weighted = rows * psw[:, None]
    close(F.embedding_bag(idx, w, off, mode="sum", per_sample_weights=t(psw)),
          [weighted[0:2].sum(0), np.zeros(3), weighted[2:5].sum(0), weighted[5:8].sum(0)])
    close(F.embedding_bag(t(np.array(EB_IDX).reshape(2, 4), fg.int64), w), [rows[:4].mean(0), rows[4:].mean(0)])
    keep = np.array(EB_IDX) != 4
    close(F.embedding_bag(idx, w, off, padding_idx=4),
          [rows[0:2].mean(0), np.zeros(3), rows[2:5][keep[2:5]].mean(0), rows[5:8].mean(0)])
    close(F.embedding_bag(idx, w, t([0, 2, 2, 8], fg.int64), include_last_offset=True),
          [rows[0:2].mean(0), np.zeros(3), rows[2:8].mean(0)])


def test_embedding_bag_gradcheck_and_errors():
    idx, off = t(EB_IDX, fg.int64), t([0, 2, 2, 5], fg.int64)
    for mode in ("sum", "mean", "max"):
        gradcheck(lambda w, mode=mode: F.embedding_bag(idx, w, off, mode=mode), t(EB_W + RNG.random((6, 3)), requires_grad=True))
    w = t(EB_W)
    with pytest.raises(ValueError):
        F.embedding_bag(idx, w)
    with pytest.raises(ValueError):
        F.embedding_bag(idx, w, off, mode="median")
    with pytest.raises(ValueError):
        F.embedding_bag(t(np.zeros((2, 2)), fg.int64), w, off)
    with pytest.raises(ValueError):
        F.embedding_bag(idx, t(np.zeros(3)), off)
    with pytest.raises(NotImplementedError):
        F.embedding_bag(idx, w, off, per_sample_weights=t(np.ones(8)))
    with pytest.raises(ValueError):
        F.embedding_bag(idx, w, off, per_sample_weights=t(np.ones(7)), mode="sum")


def test_embedding_bag_module():
    fg.manual_seed(0)
    m = nn.EmbeddingBag(5, 3, mode="sum", padding_idx=1, max_norm=1.0)
    assert repr(m) == "EmbeddingBag(5, 3, max_norm=1.0, mode='sum', padding_idx=1)"
    assert repr(nn.EmbeddingBag(5, 3)) == "EmbeddingBag(5, 3, mode='mean')"
    np.testing.assert_allclose(arr(m.weight)[0], [1.5409961, -0.2934289, -2.1787894], atol=1e-6)
    assert arr(m.weight)[1].tolist() == [0.0, 0.0, 0.0]
    out = arr(m(t([[0, 1, 2]], fg.int64)))
    rows = arr(m.weight)
    assert np.linalg.norm(rows[0]) <= 1.0 + 1e-6  # renormed in place by max_norm
    np.testing.assert_allclose(out[0], rows[0] + rows[2], atol=1e-6)
    pre = nn.EmbeddingBag.from_pretrained(t(EB_W), mode="max")
    assert not pre.weight.requires_grad
    close(pre(t([[0, 5]], fg.int64)), [EB_W[5]])
    with pytest.raises(AssertionError):
        nn.EmbeddingBag(5, 3, padding_idx=5)


# --------------------------------------------------------------------------- transformer

TR_X = np.sin(np.arange(24.0).reshape(3, 2, 4) / 10)
TR_Y = np.cos(np.arange(16.0).reshape(2, 2, 4) / 7)
ENCODER_LAYER_REPR = """TransformerEncoderLayer(
  (self_attn): MultiheadAttention(
    (out_proj): NonDynamicallyQuantizableLinear(in_features=4, out_features=4, bias=True)
  )
  (linear1): Linear(in_features=4, out_features=8, bias=True)
  (dropout): Dropout(p=0.0, inplace=False)
  (linear2): Linear(in_features=8, out_features=4, bias=True)
  (norm1): LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)
  (norm2): LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)
  (dropout1): Dropout(p=0.0, inplace=False)
  (dropout2): Dropout(p=0.0, inplace=False)
)"""


def test_transformer_encoder_layer_recorded():
    fg.manual_seed(0)
    m = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0)
    assert repr(m) == ENCODER_LAYER_REPR
    out = m(t(TR_X, fg.float32))
    np.testing.assert_allclose(arr(out)[0], [[-1.4933159, 0.1620084, 0.0108577, 1.3204498],
                                             [-1.5308886, 0.2958706, -0.0173737, 1.2523917]], atol=1e-5)


def test_transformer_recorded_and_structure():
    fg.manual_seed(0)
    with pytest.warns(UserWarning):  # enable_nested_tensor with batch_first=False
        m = nn.Transformer(4, 2, 1, 1, 8, dropout=0.0)
    out = m(t(TR_X, fg.float32), t(TR_Y, fg.float32))
    np.testing.assert_allclose(arr(out)[0], [[0.0491970, -0.5094863, -1.1174515, 1.5777408],
                                             [1.3580859, -1.3443291, -0.4241598, 0.4104030]], atol=1e-5)
    assert [name for name, _ in m.named_children()] == ["encoder", "decoder"]
    assert len(m.decoder.layers) == 1 and m.encoder.norm is not None
    assert "(norm3): LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)" in repr(m.decoder.layers[0])
    with pytest.raises(RuntimeError):
        m(t(TR_X, fg.float32), t(TR_Y[:, :1], fg.float32))
    with pytest.raises(RuntimeError):
        m(t(np.zeros((3, 2, 5)), fg.float32), t(TR_Y, fg.float32))


def test_transformer_masks_and_pre_norm_gradient():
    mask = nn.Transformer.generate_square_subsequent_mask(3)
    assert arr(mask).tolist() == [[0.0, -math.inf, -math.inf], [0.0, 0.0, -math.inf], [0.0, 0.0, 0.0]]
    fg.manual_seed(1)
    layer = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, norm_first=True, activation="gelu", dtype=f64)
    enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    x = t(TR_X, requires_grad=True)
    causal = enc(x, mask=nn.Transformer.generate_square_subsequent_mask(3, dtype=f64))
    # causal: the first position sees only itself, so later inputs do not change it
    x2 = TR_X.copy()
    x2[1:] += 1.0
    again = enc(t(x2), mask=nn.Transformer.generate_square_subsequent_mask(3, dtype=f64))
    np.testing.assert_allclose(arr(again)[0], arr(causal)[0], atol=1e-10)
    gradcheck(lambda v: enc(v), x)
    with pytest.raises(RuntimeError):
        nn.TransformerEncoderLayer(4, 2, activation="tanh")


# --------------------------------------------------------------------------- lazy modules


def test_lazy_linear_materializes_like_linear():
    fg.manual_seed(0)
    m = nn.LazyLinear(3)
    assert repr(m) == "LazyLinear(in_features=0, out_features=3, bias=True)"
    assert isinstance(m.weight, nn.UninitializedParameter) and repr(m.weight) == "<UninitializedParameter>"
    assert m.has_uninitialized_params()
    with pytest.raises(RuntimeError):
        m.weight.shape  # noqa: B018
    out = m(t(np.ones((2, 5)), fg.float32))
    assert type(m) is nn.Linear and m.in_features == 5 and tuple(m.weight.shape) == (3, 5)
    assert tuple(out.shape) == (2, 3)
    np.testing.assert_allclose(arr(m.weight)[0], [-0.0033, 0.2399, -0.3681, -0.3291, -0.1722], atol=1e-4)


def test_lazy_conv_and_norm_modules():
    x = t(RNG.standard_normal((2, 3, 6, 6)), fg.float32)
    conv = nn.LazyConv2d(4, 3)
    assert repr(conv) == "LazyConv2d(0, 4, kernel_size=(3, 3), stride=(1, 1))"
    assert tuple(conv(x).shape) == (2, 4, 4, 4)
    assert type(conv) is nn.Conv2d and tuple(conv.weight.shape) == (4, 3, 3, 3)
    convt = nn.LazyConvTranspose1d(2, 3, groups=1)
    convt(x[:, :, 0])
    assert tuple(convt.weight.shape) == (3, 2, 3)
    with pytest.raises(RuntimeError):
        nn.LazyConv1d(4, 3)(x)
    bn = nn.LazyBatchNorm2d()
    assert repr(bn) == "LazyBatchNorm2d(0, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    assert isinstance(bn.running_mean, nn.UninitializedBuffer)
    bn(x)
    assert type(bn) is nn.BatchNorm2d and bn.num_features == 3
    close(bn.weight, np.ones(3))
    close(bn.running_mean, 0.1 * arr(x).mean((0, 2, 3)), atol=1e-5)
    inorm = nn.LazyInstanceNorm1d()
    inorm(x[:, :, 0])
    assert type(inorm) is nn.InstanceNorm1d and inorm.num_features == 3
    with pytest.raises(ValueError):  # PyTorch reads dim 1 even of an unbatched input
        nn.LazyInstanceNorm1d()(x[0, :, 0])


# --------------------------------------------------------------------------- adaptive softmax

ADAPTIVE_OUT = [-1.7795794, -2.5755279, -2.6947079, -1.9421751, -3.4758382]
ADAPTIVE_LOSS = 2.493565797805786


def test_adaptive_log_softmax_recorded():
    fg.manual_seed(0)
    m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], div_value=2.0)
    assert m.head_size == 5 and [tuple(s[1].weight.shape) for s in m.tail] == [(3, 4), (4, 2)]
    x = t(np.sin(np.arange(40.0).reshape(5, 8)), fg.float32)
    out, loss = m(x, t([0, 4, 9, 2, 7], fg.int64))
    np.testing.assert_allclose(arr(out), ADAPTIVE_OUT, atol=1e-5)
    assert loss.item() == pytest.approx(ADAPTIVE_LOSS, abs=1e-5)
    full = arr(m.log_prob(x))
    np.testing.assert_allclose(np.exp(full).sum(1), np.ones(5), atol=1e-5)
    np.testing.assert_allclose(full[np.arange(5), [0, 4, 9, 2, 7]], ADAPTIVE_OUT, atol=1e-5)
    assert tuple(m.predict(x).shape) == (5,)


def test_adaptive_log_softmax_checks():
    with pytest.raises(ValueError):
        nn.AdaptiveLogSoftmaxWithLoss(8, 10, [])
    with pytest.raises(ValueError):
        nn.AdaptiveLogSoftmaxWithLoss(8, 10, [6, 3])
    with pytest.raises(ValueError):
        nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 10])
    m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3])
    x = t(np.ones((2, 8)), fg.float32)
    with pytest.raises(RuntimeError):
        m(x, t([0, 1, 2], fg.int64))
    with pytest.raises(RuntimeError):
        m(x, t([0, 10], fg.int64))
    with pytest.raises(RuntimeError):
        m(x, t(1, fg.int64))
    out, _ = m(t(np.ones(8), fg.float32), t(4, fg.int64))
    assert tuple(out.shape) == ()


# --------------------------------------------------------------------------- linear_cross_entropy


def _np_cross_entropy(logits, target):
    z = logits - logits.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    return -logp[np.arange(len(target)), target]


def test_linear_cross_entropy_values_and_errors():
    x, w, b = RNG.standard_normal((5, 6)), RNG.standard_normal((4, 6)), RNG.standard_normal(4)
    y = np.array([0, 3, 2, 1, 3])
    out = F.linear_cross_entropy(t(x), t(w), t(y, fg.int64), linear_bias=t(b), reduction="none")
    close(out, _np_cross_entropy(x @ w.T + b, y))
    w3 = RNG.standard_normal((4, 2, 6))
    y2 = np.array([[0, 1], [3, 3], [2, 0], [1, 1], [3, 2]])
    logits = np.einsum("ni,cki->nkc", x, w3)
    expected = np.mean([_np_cross_entropy(logits[:, k], y2[:, k]) for k in range(2)])
    close(F.linear_cross_entropy(t(x), t(w3), t(y2, fg.int64)), expected)
    with pytest.raises(RuntimeError):
        F.linear_cross_entropy(t(x), t(w[:, :5]), t(y, fg.int64))
    with pytest.raises(RuntimeError):
        F.linear_cross_entropy(t(x[0]), t(w3), t(y2[0], fg.int64))
    gradcheck(lambda x, w: F.linear_cross_entropy(x, w, t(y, fg.int64)), t(x, requires_grad=True),
              t(w, requires_grad=True))


def test_linear_cross_entropy_module():
    m = nn.LinearCrossEntropyLoss(6, 4, bias=True, label_smoothing=0.1)
    assert repr(m) == (
        "LinearCrossEntropyLoss(\n  in_features=6, num_classes=4, out_features=(), bias=True, reduction=mean, "
        "ignore_index=None, label_smoothing=0.1, options=None\n"
        "  (linear): Linear(in_features=6, out_features=4, bias=True)\n)"
    )
    with pytest.raises(RuntimeError):
        nn.LinearCrossEntropyLoss(6, 4, label_smoothing=1.5)
    x = t(RNG.standard_normal((3, 6)), fg.float32)
    y = t([0, 1, 3], fg.int64)
    expected = F.cross_entropy(m.linear(x), y, label_smoothing=0.1)
    assert m(x, y).item() == pytest.approx(expected.item(), abs=1e-6)


# --------------------------------------------------------------------------- conv_tbc, nn.grad, compat


def test_conv_tbc():
    x, w, b = RNG.standard_normal((7, 2, 3)), RNG.standard_normal((3, 3, 4)), RNG.standard_normal(4)
    xp = np.pad(x, ((1, 1), (0, 0), (0, 0)))
    expected = np.stack([np.einsum("kbi,kio->bo", xp[s: s + 3], w) + b for s in range(7)])
    close(F.conv_tbc(t(x), t(w), t(b), 1), expected)
    with pytest.raises(RuntimeError):
        F.conv_tbc(t(x), t(w[:, :2]), t(b))
    gradcheck(lambda x, w, b: F.conv_tbc(x, w, b), t(x, requires_grad=True), t(w, requires_grad=True),
              t(b, requires_grad=True))


def test_nn_grad_matches_autograd():
    x = t(RNG.standard_normal((2, 4, 7, 7)), requires_grad=True)
    w = t(RNG.standard_normal((6, 2, 3, 3)), requires_grad=True)
    out = F.conv2d(x, w, None, 2, 1, 1, 2)
    go = t(RNG.standard_normal(tuple(out.shape)))
    gx, gw = fg.autograd.grad(out, (x, w), go)
    close(nn.grad.conv2d_input(tuple(x.shape), w.detach(), go, stride=2, padding=1, groups=2), arr(gx))
    close(nn.grad.conv2d_weight(x.detach(), tuple(w.shape), go, stride=2, padding=1, groups=2), arr(gw))
    w1 = t(RNG.standard_normal((3, 2, 2)))
    go1 = t(RNG.standard_normal((1, 3, 4)))
    expected = np.zeros((1, 2, 5))
    for o in range(3):
        for s in range(4):
            expected[0, :, s: s + 2] += arr(go1)[0, o, s] * arr(w1)[o]
    close(nn.grad.conv1d_input((1, 2, 5), w1, go1), expected)
    assert tuple(nn.grad.conv3d_weight(t(np.ones((1, 1, 3, 3, 3))), (2, 1, 2, 2, 2), t(np.ones((1, 2, 2, 2, 2)))).shape) \
        == (2, 1, 2, 2, 2)


def test_sync_batch_norm_and_container():
    m = nn.SyncBatchNorm(3)
    assert repr(m) == "SyncBatchNorm(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    x = RNG.standard_normal((4, 3, 5))
    close(m(t(x, fg.float32)), (x - x.mean((0, 2), keepdims=True)) / np.sqrt(x.var((0, 2), keepdims=True) + 1e-5),
          atol=1e-5)
    with pytest.raises(ValueError):
        m(t(np.ones(3), fg.float32))
    seq = nn.SyncBatchNorm.convert_sync_batchnorm(nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)))
    assert type(seq[1]).__name__ == "SyncBatchNorm" and type(seq[0]).__name__ == "Linear"
    with pytest.warns(FutureWarning):
        c = nn.Container(a=nn.Linear(2, 2))
    assert repr(c) == "Container(\n  (a): Linear(in_features=2, out_features=2, bias=True)\n)"


def test_more_error_types():
    with pytest.raises(TypeError):
        F.channel_shuffle(t(np.ones((2, 4, 3))), 2.5)
    with pytest.raises(NotImplementedError):
        F.grid_sample(t(np.ones((1, 1, 2, 2)), fg.int64), t(np.zeros((1, 1, 1, 2)), fg.int64), align_corners=False)
    with pytest.raises(RuntimeError):
        F.fractional_max_pool2d(t(np.ones((1, 1, 5, 5))), 2, output_size=-1)
    with pytest.raises(IndexError):
        F.fractional_max_pool2d(t(np.ones((5, 5))), 2, output_size=2)
    with pytest.raises(RuntimeError):
        F.embedding_bag(t([0, 9], fg.int64), t(np.ones((5, 2))), t([0], fg.int64))
    with pytest.raises(RuntimeError):
        F.embedding_bag(t([0, 1], fg.int64), t(np.ones((5, 2))), t([0, 3], fg.int64))
    with pytest.raises(RuntimeError):
        F.rrelu_(t(np.ones(3)), 0.5, 0.1, True)
    with pytest.raises(NotImplementedError):
        F.ctc_loss(t(np.ones((5, 1, 4)), fg.int64), t([[1]], fg.int64), t([5], fg.int64), t([1], fg.int64))
    with pytest.raises(TypeError):
        F.ctc_loss(t(LP), t(TG, fg.int64), 6, 3)
    with pytest.raises(RuntimeError):
        F.relu_(t(np.ones(3), requires_grad=True))  # a leaf that requires grad


def test_linear_cross_entropy_options_and_grid_constants():
    opts = nn.LinearCrossEntropyOptions(batch_chunk_size=2)
    assert opts.batch_chunk_size == 2 and opts.acc_policy == "auto"
    with pytest.raises(ValueError):
        nn.LinearCrossEntropyOptions(acc_policy="fast")
    with pytest.raises(ValueError):
        nn.LinearCrossEntropyOptions(batch_chunk_size=0)
    x, w = RNG.standard_normal((4, 3)), RNG.standard_normal((5, 3))
    y = np.array([0, 4, 2, 1])
    out = F.linear_cross_entropy(t(x), t(w), t(y, fg.int64), options=opts)
    close(out, _np_cross_entropy(x @ w.T, y).mean())
    with pytest.warns(UserWarning):
        F.linear_cross_entropy(t(x), t(w), t(y, fg.int64), label_smoothing=0.1, options=opts)
    assert F.GRID_SAMPLE_INTERPOLATION_MODES == {"bilinear": 0, "nearest": 1, "bicubic": 2}
    assert F.GRID_SAMPLE_PADDING_MODES == {"zeros": 0, "border": 1, "reflection": 2}


def test_grid_sample_nearest_half_pixel_ties_follow_pytorch_rounding():
    inp = np.arange(12.0).reshape(1, 1, 3, 4)
    grid = np.array([[[[1.5, -1 / 3], [-1.2, -1 / 3], [0.5, -1 / 3], [-0.75, 1 / 3]]]])
    out64 = F.grid_sample(t(inp), t(grid), "nearest", "border", False)
    assert arr(out64).ravel().tolist() == [7.0, 4.0, 6.0, 8.0]
    out32 = F.grid_sample(t(inp, fg.float32), t(grid, fg.float32), "nearest", "border", False)
    assert arr(out32).ravel().tolist() == [3.0, 0.0, 2.0, 8.0]


GS_BICUBIC = {
    ("zeros", False): [-0.36771, 7.17807, 0.06456, 7.40227, -0.36055, 5.5],
    ("zeros", True): [0.78165, 6.56664, 1.91164, 11.21936, 2.83213, 5.5],
    ("border", False): [-0.49425, 6.97863, 2.76788, 11.10554, 5.55699, 5.5],
    ("border", True): [0.72135, 6.49962, 2.86725, 10.26674, 4.98591, 5.5],
    ("reflection", False): [-0.6375, 6.97863, 2.385, 11.41712, 5.63224, 5.5],
    ("reflection", True): [0.25607, 6.52662, 2.9365, 10.45559, 5.44219, 5.5],
}


@pytest.mark.parametrize("key", sorted(GS_BICUBIC))
def test_grid_sample_bicubic_recorded_and_gradcheck(key):
    padding, align = key
    out = F.grid_sample(t(GS_INPUT, fg.float32), t(GS_GRID, fg.float32), "bicubic", padding, align)
    close(out.reshape(-1), GS_BICUBIC[key], atol=1e-4)
    inp = t(RNG.standard_normal((1, 2, 4, 5)), requires_grad=True)
    grid = t(RNG.uniform(-0.95, 0.95, (1, 2, 3, 2)), requires_grad=True)
    gradcheck(lambda i, g: F.grid_sample(i, g, "bicubic", padding, align), inp, grid)


def test_grid_sample_bicubic_needs_4d():
    with pytest.raises(RuntimeError):
        F.grid_sample(t(np.ones((1, 1, 2, 2, 2))), t(np.zeros((1, 1, 1, 1, 3))), "bicubic", align_corners=False)


@pytest.mark.parametrize(
    "mode, expected",
    [("nearest", [0.0, -1.0, -2.0]), ("bilinear", [0.0, -2.5, -2.5]), ("bicubic", [0.0, -3.525390625, -2.8046875])],
)
def test_grid_sample_positions_outside_read_positive_zero(mode, expected):
    # PyTorch skips the corners outside the input, so a negative input never gives -0 there;
    # values and signs observed from torch 2.13.
    x = fg.tensor([[[[-1.0, -2.0], [-3.0, -4.0]]]])
    grid = fg.tensor([[[[-3.0, 0.0], [0.0, 0.0], [0.5, -0.25]]]])
    y = fg.nn.functional.grid_sample(x, grid, mode=mode, align_corners=False).flatten()
    assert y.tolist() == expected
    assert np.signbit(y.numpy()).tolist() == [False, True, True]
    assert repr(y) == repr(fg.tensor(expected))
