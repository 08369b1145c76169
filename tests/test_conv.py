"""Convolutions: F.conv1d/2d/3d, F.conv_transpose1d/2d/3d, F.unfold/F.fold and the
nn layers built on them.

Forward values are checked against a NumPy reference written here with plain loops
over kernel offsets; gradients with gradcheck/gradgradcheck in float64; initial
weights and reprs against values recorded from PyTorch 2.13; errors against the
exception types PyTorch raises for the same calls.
"""

import itertools
import warnings

import numpy as np
import pytest
from backend import fg
from hypothesis import assume, given, settings
from hypothesis import strategies as st

F = fg.nn.functional
nn = fg.nn
D = fg.float64


# --------------------------------------------------------------------------- reference


def ref_conv(x, w, b=None, stride=1, pad=0, dilation=1, groups=1, pad_after=None):
    """N-d convolution of x [N, C, *S] with w [O, C/groups, *K]; `pad_after` pads only
    after the end (defaults to `pad`)."""
    nd = x.ndim - 2
    s, p, d = (np.broadcast_to(v, nd) for v in (stride, pad, dilation))
    pa = p if pad_after is None else np.broadcast_to(pad_after, nd)
    xp = np.pad(x, [(0, 0), (0, 0)] + [(int(a), int(c)) for a, c in zip(p, pa)])
    k = w.shape[2:]
    out_sp = [(xp.shape[2 + i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(nd)]
    n, o = x.shape[0], w.shape[0]
    cg, og = w.shape[1], o // groups
    out = np.zeros((n, o, *out_sp), dtype=np.float64)
    for off in itertools.product(*[range(kk) for kk in k]):
        sl = tuple(slice(off[i] * d[i], off[i] * d[i] + s[i] * (out_sp[i] - 1) + 1, s[i]) for i in range(nd))
        patch = xp[(slice(None), slice(None)) + sl]  # [N, C, *out]
        for g in range(groups):
            wg = w[(slice(g * og, (g + 1) * og), slice(None)) + off]  # [og, cg]
            out[:, g * og:(g + 1) * og] += np.einsum("oc,nc...->no...", wg, patch[:, g * cg:(g + 1) * cg])
    if b is not None:
        out += b.reshape((1, -1) + (1,) * nd)
    return out


def ref_conv_transpose(x, w, b=None, stride=1, pad=0, output_padding=0, groups=1, dilation=1):
    """Transposed convolution: scatter each input position through the kernel."""
    nd = x.ndim - 2
    s, p, op, d = (np.broadcast_to(v, nd) for v in (stride, pad, output_padding, dilation))
    k = w.shape[2:]
    n, c = x.shape[:2]
    cg, og = c // groups, w.shape[1]
    full = [(x.shape[2 + i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 + op[i] for i in range(nd)]
    out = np.zeros((n, og * groups, *full), dtype=np.float64)
    for off in itertools.product(*[range(kk) for kk in k]):
        sl = tuple(slice(off[i] * d[i], off[i] * d[i] + s[i] * (x.shape[2 + i] - 1) + 1, s[i]) for i in range(nd))
        for g in range(groups):
            wg = w[(slice(g * cg, (g + 1) * cg), slice(None)) + off]  # [cg, og]
            out[(slice(None), slice(g * og, (g + 1) * og)) + sl] += np.einsum(
                "co,nc...->no...", wg, x[:, g * cg:(g + 1) * cg]
            )
    crop = tuple(slice(int(p[i]), full[i] - int(p[i])) for i in range(nd))
    out = out[(slice(None), slice(None)) + crop]
    if b is not None:
        out = out + b.reshape((1, -1) + (1,) * nd)
    return out


def ref_unfold(x, k, d=1, p=0, s=1):
    n, c = x.shape[:2]
    k, d, p, s = (np.broadcast_to(v, 2) for v in (k, d, p, s))
    xp = np.pad(x, [(0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])])
    oh = (xp.shape[2] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    ow = (xp.shape[3] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    out = np.zeros((n, c, k[0], k[1], oh, ow))
    for i in range(k[0]):
        for j in range(k[1]):
            out[:, :, i, j] = xp[:, :, i * d[0]:i * d[0] + s[0] * (oh - 1) + 1:s[0],
                                 j * d[1]:j * d[1] + s[1] * (ow - 1) + 1:s[1]]
    return out.reshape(n, c * k[0] * k[1], oh * ow)


def rnd(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape)


def t64(a, requires_grad=False):
    return fg.tensor(np.asarray(a, dtype=np.float64), dtype=D, requires_grad=requires_grad)


def close(t, expected, tol=1e-9):
    np.testing.assert_allclose(np.asarray(t.detach().numpy()), expected, rtol=tol, atol=tol)


CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


# --------------------------------------------------------------------------- forward values


@st.composite
def conv_case(draw, transposed=False):
    nd = draw(st.integers(1, 3))
    groups = draw(st.integers(1, 3))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = [draw(st.integers(1, 3)) for _ in range(nd)]
    stride = [draw(st.integers(1, 3)) for _ in range(nd)]
    dilation = [draw(st.integers(1, 2)) for _ in range(nd)]
    max_size = 7 if nd < 3 else 5
    if transposed:
        padding = [draw(st.integers(0, 2)) for _ in range(nd)]
        output_padding = [draw(st.integers(0, max(stride[i], dilation[i]) - 1)) for i in range(nd)]
        sizes = []
        for i in range(nd):
            lo = max(1, (2 * padding[i] - dilation[i] * (kernel[i] - 1) - output_padding[i]) // stride[i] + 2)
            sizes.append(draw(st.integers(lo, max(lo, max_size - 2))))
        return nd, groups, cin, cout, kernel, stride, padding, dilation, sizes, output_padding
    padding = [draw(st.integers(0, 2)) for _ in range(nd)]
    sizes = []
    for i in range(nd):
        lo = max(1, dilation[i] * (kernel[i] - 1) + 1 - 2 * padding[i])
        sizes.append(draw(st.integers(lo, max(lo, max_size))))
    return nd, groups, cin, cout, kernel, stride, padding, dilation, sizes, None


@settings(max_examples=60, deadline=None)
@given(conv_case(), st.booleans(), st.integers(1, 2))
def test_conv_forward_matches_numpy(case, with_bias, batch):
    nd, groups, cin, cout, kernel, stride, padding, dilation, sizes, _ = case
    x = rnd((batch, cin, *sizes), 1)
    w = rnd((cout, cin // groups, *kernel), 2)
    b = rnd(cout, 3) if with_bias else None
    out = CONV[nd](t64(x), t64(w), t64(b) if with_bias else None, stride, padding, dilation, groups)
    close(out, ref_conv(x, w, b, stride, padding, dilation, groups))


@settings(max_examples=60, deadline=None)
@given(conv_case(transposed=True), st.booleans(), st.integers(1, 2))
def test_conv_transpose_forward_matches_numpy(case, with_bias, batch):
    nd, groups, cin, cout, kernel, stride, padding, dilation, sizes, output_padding = case
    x = rnd((batch, cin, *sizes), 4)
    w = rnd((cin, cout // groups, *kernel), 5)
    b = rnd(cout, 6) if with_bias else None
    out = CONV_T[nd](t64(x), t64(w), t64(b) if with_bias else None, stride, padding, output_padding, groups,
                     dilation)
    close(out, ref_conv_transpose(x, w, b, stride, padding, output_padding, groups, dilation))


def test_float32_conv_matches_float64_reference():
    x, w, b = rnd((2, 3, 9, 8), 7), rnd((4, 3, 3, 2), 8), rnd(4, 9)
    f = fg.float32
    out = F.conv2d(fg.tensor(x, dtype=f), fg.tensor(w, dtype=f), fg.tensor(b, dtype=f), stride=(2, 1), padding=1)
    assert out.dtype == fg.float32
    close(out, ref_conv(x, w, b, (2, 1), 1), tol=1e-5)


def test_unbatched_input():
    x, w = rnd((3, 6, 5), 10), rnd((2, 3, 2, 2), 11)
    out = F.conv2d(t64(x), t64(w))
    assert tuple(out.shape) == (2, 5, 4)
    close(out, ref_conv(x[None], w)[0])
    wt = rnd((3, 2, 2), 12)
    out = F.conv_transpose1d(t64(x[:, 0]), t64(wt), stride=2)
    close(out, ref_conv_transpose(x[None, :, 0], wt, stride=2)[0])


def test_pointwise_and_depthwise():
    x = rnd((2, 4, 5, 6), 13)
    w1 = rnd((3, 4, 1, 1), 14)
    close(F.conv2d(t64(x), t64(w1)), ref_conv(x, w1))
    wd = rnd((4, 1, 3, 3), 15)
    close(F.conv2d(t64(x), t64(wd), padding=1, groups=4), ref_conv(x, wd, pad=1, groups=4))
    wt = rnd((4, 2, 1, 1), 16)
    close(F.conv_transpose2d(t64(x), t64(wt)), ref_conv_transpose(x, wt))


@pytest.mark.parametrize("kernel,dilation", [((3, 3), 1), ((2, 4), 1), ((2, 3), (2, 1)), ((4, 1), (1, 3))])
def test_padding_same_and_valid(kernel, dilation):
    x, w = rnd((2, 2, 6, 7), 17), rnd((3, 2, *kernel), 18)
    dil = np.broadcast_to(dilation, 2)
    total = [int(dil[i]) * (kernel[i] - 1) for i in range(2)]
    before = [t // 2 for t in total]
    after = [t - t // 2 for t in total]
    expected = ref_conv(x, w, dilation=dilation, pad=before, pad_after=after)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = F.conv2d(t64(x), t64(w), padding="same", dilation=dilation)
    assert tuple(out.shape) == (2, 3, 6, 7)
    close(out, expected)
    if not any(t % 2 for t in total):  # PyTorch warns (once per process) only for asymmetric padding
        assert not any("padding='same'" in str(c.message) for c in caught)
    close(F.conv2d(t64(x), t64(w), padding="valid", dilation=dilation), ref_conv(x, w, dilation=dilation))


def test_integer_convolution():
    x = fg.arange(2 * 2 * 5).reshape(1, 2, 2, 5)
    w = fg.ones(3, 2, 2, 2, dtype=fg.int64)
    out = F.conv2d(x, w)
    assert out.dtype == fg.int64
    expected = ref_conv(np.arange(20.0).reshape(1, 2, 2, 5), np.ones((3, 2, 2, 2)))
    assert out.tolist() == expected.astype(np.int64).tolist()


def test_strided_views_as_operands():
    x, w = rnd((2, 3, 6, 5), 50), rnd((4, 3, 2, 3), 51)
    xt = t64(np.ascontiguousarray(x.transpose(0, 1, 3, 2))).transpose(2, 3)  # a non-contiguous view of x
    wt = t64(np.ascontiguousarray(w.transpose(1, 0, 2, 3))).transpose(0, 1)
    assert not xt.is_contiguous() and not wt.is_contiguous()
    close(F.conv2d(xt, wt, stride=(1, 2)), ref_conv(x, w, stride=(1, 2)))
    close(F.conv_transpose2d(xt[:, :, ::2], t64(rnd((3, 2, 2, 2), 52))),
          ref_conv_transpose(x[:, :, ::2], rnd((3, 2, 2, 2), 52)))


def test_unfold_bool_and_float32():
    x = fg.tensor([[[[True, False, True], [False, True, True]]]])
    assert F.unfold(x, (1, 2)).tolist() == [[[True, False, False, True], [False, True, True, True]]]
    x32 = fg.tensor(rnd((1, 2, 3, 4), 53), dtype=fg.float32)
    assert F.unfold(x32, 2).dtype == fg.float32
    assert F.fold(F.unfold(x32, 2), (3, 4), 2).dtype == fg.float32


def test_module_padding_amounts_and_unbatched_forward():
    assert nn.Conv2d(1, 1, 3, padding=(1, 2))._reversed_padding_repeated_twice == (2, 2, 1, 1)
    assert nn.Conv2d(1, 1, (2, 3), padding="same", dilation=(1, 2))._reversed_padding_repeated_twice == [2, 2, 0, 1]
    m = nn.Conv1d(2, 3, 2, dtype=fg.float64)
    x = rnd((2, 5), 54)
    close(m(t64(x)), ref_conv(x[None], m.weight.detach().numpy(), m.bias.detach().numpy())[0])
    mt = nn.ConvTranspose1d(2, 3, 3, stride=3, dtype=fg.float64)
    assert tuple(mt(t64(rnd((1, 2, 4), 55)), output_size=(1, 3, 12)).shape) == (1, 3, 12)


def test_empty_batch():
    out = F.conv2d(fg.zeros(0, 2, 5, 5), fg.ones(3, 2, 3, 3))
    assert tuple(out.shape) == (0, 3, 3, 3)
    out = F.conv_transpose2d(fg.zeros(0, 2, 3, 3), fg.ones(2, 3, 3, 3))
    assert tuple(out.shape) == (0, 3, 5, 5)


# --------------------------------------------------------------------------- gradients


def leaf(a):
    return t64(a, requires_grad=True)


@pytest.mark.parametrize(
    "nd,kw",
    [
        (1, {"stride": 2, "padding": 1, "dilation": 2}),
        (2, {"stride": (2, 1), "padding": (1, 0), "dilation": (1, 2), "groups": 2}),
        (3, {"stride": 1, "padding": 1, "groups": 1}),
        (2, {"padding": "same"}),
    ],
)
def test_conv_gradcheck(nd, kw):
    groups = kw.get("groups", 1)
    sizes = {1: (7,), 2: (5, 6), 3: (3, 4, 3)}[nd]
    kernel = {1: (3,), 2: (2, 3), 3: (2, 2, 2)}[nd]
    x = leaf(rnd((2, 4, *sizes), 20))
    w = leaf(rnd((2 * groups, 4 // groups, *kernel), 21))
    b = leaf(rnd(2 * groups, 22))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # padding='same' with an even kernel warns
        assert fg.autograd.gradcheck(lambda x, w, b: CONV[nd](x, w, b, **kw), (x, w, b))


@pytest.mark.parametrize(
    "nd,kw",
    [
        (1, {"stride": 2, "padding": 1, "output_padding": 1, "dilation": 1}),
        (2, {"stride": (2, 3), "padding": (1, 0), "output_padding": (1, 2), "groups": 2}),
        (2, {"stride": 1, "dilation": 2, "output_padding": 1}),
        (3, {"stride": 2, "padding": 0}),
    ],
)
def test_conv_transpose_gradcheck(nd, kw):
    groups = kw.get("groups", 1)
    sizes = {1: (5,), 2: (3, 4), 3: (2, 3, 2)}[nd]
    kernel = {1: (3,), 2: (2, 3), 3: (2, 2, 2)}[nd]
    x = leaf(rnd((2, 4, *sizes), 23))
    w = leaf(rnd((4, 3, *kernel), 24))
    b = leaf(rnd(3 * groups, 25))
    assert fg.autograd.gradcheck(lambda x, w, b: CONV_T[nd](x, w, b, **kw), (x, w, b))


@pytest.mark.parametrize("transposed", [False, True])
def test_conv_gradgradcheck(transposed):
    x = leaf(rnd((2, 2, 4, 5), 26))
    w = leaf(rnd((2, 1, 2, 3), 27))
    b = leaf(rnd(2, 28))
    if transposed:
        def fn(x, w, b):
            return F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2)
    else:
        def fn(x, w, b):
            return F.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2), groups=2)
    assert fg.autograd.gradgradcheck(fn, (x, w, b))


def test_grad_fn_names():
    x = leaf(rnd((1, 2, 4, 4), 29))
    w = leaf(rnd((3, 2, 2, 2), 30))
    y = F.conv2d(x, w)
    assert type(y.grad_fn).__name__ == "ConvolutionBackward0"
    assert type(F.conv_transpose2d(x, w.transpose(0, 1)).grad_fn).__name__ == "ConvolutionBackward0"
    assert [type(f).__name__ if f is not None else None for f, _ in y.grad_fn.next_functions] == [
        "AccumulateGrad", "AccumulateGrad", None
    ]
    gx, gw = fg.autograd.grad(y.sum(), (x, w), create_graph=True)
    assert type(gx.grad_fn).__name__ == "ConvolutionBackwardBackward0"
    assert type(gw.grad_fn).__name__ == "ConvolutionBackwardBackward0"
    assert type(F.unfold(x, 2).grad_fn).__name__ == "Im2ColBackward0"
    assert type(F.fold(F.unfold(x, 2), 4, 2).grad_fn).__name__ == "Col2ImBackward0"


def test_gradients_match_numpy_adjoints():
    # d/dx of <conv(x, w), g> is conv_transpose(g, w); d/dw is a correlation of x with g
    x, w, g = rnd((2, 2, 5, 5), 31), rnd((3, 2, 3, 3), 32), rnd((2, 3, 3, 3), 33)
    xt, wt = leaf(x), leaf(w)
    F.conv2d(xt, wt, stride=2, padding=1).backward(t64(g))
    close(xt.grad, ref_conv_transpose(g, w, stride=2, pad=1))
    xp = np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)])
    gw = np.zeros_like(w)
    for i, j in itertools.product(range(3), range(3)):
        gw[:, :, i, j] = np.einsum("nohw,nchw->oc", g, xp[:, :, i:i + 5:2, j:j + 5:2])
    close(wt.grad, gw)


# --------------------------------------------------------------------------- unfold / fold


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 3), st.integers(1, 3), st.integers(1, 2), st.integers(0, 2), st.integers(1, 3),
    st.integers(4, 7), st.integers(4, 7),
)
def test_unfold_fold_match_numpy(kh, kw, d, p, s, h, w):
    assume(h + 2 * p >= d * (kh - 1) + 1 and w + 2 * p >= d * (kw - 1) + 1)
    x = rnd((2, 3, h, w), 34)
    out = F.unfold(t64(x), (kh, kw), dilation=d, padding=p, stride=s)
    expected = ref_unfold(x, (kh, kw), d, p, s)
    close(out, expected)
    # fold is the adjoint: <unfold(x), c> == <x, fold(c)>
    c = rnd(expected.shape, 35)
    back = F.fold(t64(c), (h, w), (kh, kw), dilation=d, padding=p, stride=s)
    np.testing.assert_allclose((expected * c).sum(), (x * back.numpy()).sum(), rtol=1e-9)


def test_unfold_fold_unbatched_and_gradcheck():
    x = rnd((2, 5, 4), 36)
    close(F.unfold(t64(x), 2, stride=2), ref_unfold(x[None], 2, s=2)[0])
    assert tuple(F.fold(t64(rnd((8, 6), 37)), (5, 4), 2, stride=(2, 1)).shape) == (2, 5, 4)
    assert fg.autograd.gradcheck(lambda t: F.unfold(t, (2, 3), dilation=(1, 2), padding=1, stride=2),
                                 (leaf(rnd((1, 2, 5, 6), 38)),))
    assert fg.autograd.gradcheck(lambda t: F.fold(t, (4, 5), 2, padding=1), (leaf(rnd((1, 8, 30), 39)),))
    assert fg.autograd.gradgradcheck(lambda t: F.unfold(t, 2) ** 2, (leaf(rnd((1, 1, 3, 3), 40)),))


def test_unfold_modules():
    x = rnd((1, 2, 4, 4), 41)
    cols = nn.Unfold(kernel_size=(2, 2), stride=2)(t64(x))
    close(cols, ref_unfold(x, 2, s=2))
    close(nn.Fold(output_size=(4, 4), kernel_size=2, stride=2)(cols), x)


# --------------------------------------------------------------------------- modules


W2 = [-0.0026469905860722065, 0.18966144323349, -0.2909903824329376, -0.26019373536109924, -0.13617262244224548,
      0.0948079451918602, -0.007005016785115004, 0.28032875061035156, -0.03137575834989548, 0.09355466812849045,
      -0.10684845596551895, -0.06949635595083237, -0.33776670694351196, -0.23415207862854004,
      -0.14574287831783295, 0.013096880167722702, 0.13977210223674774, 0.21214008331298828, -0.23968836665153503,
      -0.15395936369895935, 0.12841664254665375, 0.29358646273612976, -0.07276134938001633, 0.26456815004348755]
B2 = [-0.05698692053556442, 0.037410933524370193, 0.3201341927051544]
W1 = [0.21035532653331757, -0.18019191920757294, -0.07914362102746964, 0.19161906838417053, -0.3843400180339813,
      0.2448335587978363, -0.08398701250553131, 0.20769383013248444, 0.05675344914197922, -0.04998761788010597,
      0.11323212087154388, 0.02013961784541607]
B1 = [0.1491037905216217, -0.15909478068351746]
WT = [0.11469507217407227, -0.11898714303970337, 0.13711434602737427, -0.025538921356201172, 0.21359384059906006,
      0.11903637647628784, -0.05746734142303467, -0.40423136949539185]
BT = [0.11415719985961914, -0.4426723122596741, 0.06571400165557861, 0.033228933811187744]
W3 = [-0.32943525415475317, -0.1507974318396695, 0.19298000782189104, -0.2298613019756525, 0.18057376795155328,
      0.0765447523633255, -0.2130320750356237, -0.04708232947722815, -0.06728690634225448, 0.19696425848601018,
      -0.2216896767538492, 0.06677930545287498, -0.03746409236680618, -0.11175275526094967, 0.33237021346132256,
      -0.292008568581502]


def test_default_init_matches_pytorch():
    fg.manual_seed(0)
    m = nn.Conv2d(2, 3, 2)
    assert m.weight.flatten().tolist() == W2 and m.bias.tolist() == B2
    fg.manual_seed(1)
    m = nn.Conv1d(4, 2, 3, groups=2)
    assert tuple(m.weight.shape) == (2, 2, 3)
    assert m.weight.flatten().tolist() == W1 and m.bias.tolist() == B1
    fg.manual_seed(2)
    m = nn.ConvTranspose2d(2, 4, (1, 2), groups=2)
    assert tuple(m.weight.shape) == (2, 2, 1, 2)
    assert m.weight.flatten().tolist() == WT and m.bias.tolist() == BT
    fg.manual_seed(3)
    m = nn.Conv3d(1, 2, 2, bias=False, dtype=fg.float64)
    assert m.weight.dtype == fg.float64 and m.bias is None
    assert m.weight.flatten().tolist() == W3


REPRS = [
    (lambda: nn.Conv2d(3, 8, 3), "Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))"),
    (lambda: nn.Conv2d(3, 8, (3, 5), stride=2, padding=1, dilation=2, bias=False),
     "Conv2d(3, 8, kernel_size=(3, 5), stride=(2, 2), padding=(1, 1), dilation=(2, 2), bias=False)"),
    (lambda: nn.Conv1d(4, 4, 3, groups=2, padding="same", padding_mode="reflect"),
     "Conv1d(4, 4, kernel_size=(3,), stride=(1,), padding=same, groups=2, padding_mode=reflect)"),
    (lambda: nn.Conv3d(2, 4, 3, padding=(1, 0, 1)),
     "Conv3d(2, 4, kernel_size=(3, 3, 3), stride=(1, 1, 1), padding=(1, 0, 1))"),
    (lambda: nn.ConvTranspose2d(3, 6, 3, stride=2, output_padding=1),
     "ConvTranspose2d(3, 6, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1))"),
    (lambda: nn.ConvTranspose1d(2, 2, 3, dilation=2, groups=2, bias=False),
     "ConvTranspose1d(2, 2, kernel_size=(3,), stride=(1,), dilation=(2,), groups=2, bias=False)"),
    (lambda: nn.ConvTranspose3d(2, 2, 2), "ConvTranspose3d(2, 2, kernel_size=(2, 2, 2), stride=(1, 1, 1))"),
    (lambda: nn.Conv2d(2, 2, 3, padding="valid"), "Conv2d(2, 2, kernel_size=(3, 3), stride=(1, 1), padding=valid)"),
    (lambda: nn.Conv2d(2, 2, 3, padding_mode="circular"),
     "Conv2d(2, 2, kernel_size=(3, 3), stride=(1, 1), padding_mode=circular)"),
    (lambda: nn.Unfold(2), "Unfold(kernel_size=2, dilation=1, padding=0, stride=1)"),
    (lambda: nn.Unfold((2, 3), dilation=2, padding=1, stride=2),
     "Unfold(kernel_size=(2, 3), dilation=2, padding=1, stride=2)"),
    (lambda: nn.Fold((4, 5), 2), "Fold(output_size=(4, 5), kernel_size=2, dilation=1, padding=0, stride=1)"),
]


@pytest.mark.parametrize("make,text", REPRS)
def test_module_repr(make, text):
    assert repr(make()) == text


def test_module_forward_matches_functional():
    fg.manual_seed(4)
    m = nn.Conv2d(2, 4, 3, stride=2, padding=1, groups=2, dtype=fg.float64)
    x = rnd((1, 2, 6, 5), 42)
    close(m(t64(x)), ref_conv(x, m.weight.detach().numpy(), m.bias.detach().numpy(), 2, 1, 1, 2))
    assert [name for name, _ in m.named_parameters()] == ["weight", "bias"]
    mt = nn.ConvTranspose2d(2, 3, 3, stride=2, dtype=fg.float64)
    y = mt(t64(rnd((1, 2, 4, 4), 43)), output_size=[10, 10])
    assert tuple(y.shape) == (1, 3, 10, 10)
    with pytest.raises(ValueError):
        mt(t64(rnd((1, 2, 4, 4), 43)), output_size=[12, 12])


@pytest.mark.parametrize("mode,np_mode", [("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")])
def test_padding_modes(mode, np_mode):
    m = nn.Conv2d(1, 1, 3, padding=(1, 2), padding_mode=mode, bias=False, dtype=fg.float64)
    x = rnd((1, 1, 5, 6), 44)
    if hasattr(F, "pad"):
        xp = np.pad(x, [(0, 0), (0, 0), (1, 1), (2, 2)], mode=np_mode)
        close(m(t64(x)), ref_conv(xp, m.weight.detach().numpy()))
    else:
        with pytest.raises(NotImplementedError, match=mode):
            m(t64(x))


# --------------------------------------------------------------------------- errors


def x4():
    return fg.ones(2, 4, 5, 5)


ERRORS = [
    (lambda: F.conv2d(fg.ones(5, 5), fg.ones(6, 4, 3, 3)), RuntimeError, "Expected 3D"),
    (lambda: F.conv2d(fg.ones(1, 2, 4, 5, 5), fg.ones(6, 4, 3, 3)), RuntimeError, "4D"),
    (lambda: F.conv1d(x4(), fg.ones(6, 4, 3, 3)), RuntimeError, "conv1d"),
    (lambda: F.conv2d(x4(), fg.ones(6, 3, 3, 3)), RuntimeError, r"weight of size \[6, 3, 3, 3\], expected input"),
    (lambda: F.conv2d(x4(), fg.ones(6, 2, 3, 3), groups=3), RuntimeError, "to have 6 channels"),
    (lambda: F.conv2d(x4(), fg.ones(5, 2, 3, 3), groups=2), RuntimeError, "divisible by 2"),
    (lambda: F.conv2d(x4(), fg.ones(6, 4, 7, 7)), RuntimeError, "Kernel size can't be greater"),
    (lambda: F.conv2d(x4(), fg.ones(6, 4, 3, 3), padding=-1), RuntimeError, "negative padding"),
    (lambda: F.conv2d(x4(), fg.ones(6, 4, 3, 3), stride=0), RuntimeError, "non-positive stride"),
    (lambda: F.conv2d(x4(), fg.ones(6, 4, 3, 3), dilation=0), RuntimeError, "non-positive dilation"),
    (lambda: F.conv2d(x4(), fg.ones(6, 4, 3, 3), groups=0), RuntimeError, "non-positive groups"),
    (lambda: F.conv2d(x4(), fg.ones(6, 4, 3, 3), fg.ones(5)), RuntimeError, "expected bias to be 1-dimensional"),
    (lambda: F.conv2d(x4(), fg.ones(6, 4, 3, 3), padding="same", stride=2), RuntimeError, "strided"),
    (lambda: F.conv2d(x4(), fg.ones(6, 4, 3, 3), padding="foo"), RuntimeError, "Invalid padding string"),
    (lambda: F.conv2d(x4(), fg.ones(6, 4, 3, 3), stride=(1, 1, 1)), RuntimeError, "list of 2 values"),
    (lambda: F.conv2d(x4(), fg.ones(6, 4, 3, 3, dtype=D)), RuntimeError, "type"),
    (lambda: F.conv2d(x4(), fg.ones(6, 4, 3, 3), fg.ones(6, dtype=D)), RuntimeError, "bias type"),
    (lambda: F.conv2d(x4(), fg.ones(6, 4, 3, 3), padding=1.5), TypeError, "padding"),
    (lambda: F.conv2d(x4().bool(), fg.ones(6, 4, 3, 3).bool()), NotImplementedError, "Bool"),
    (lambda: F.conv_transpose2d(x4(), fg.ones(3, 3, 3, 3)), RuntimeError, "transposed=1"),
    (lambda: F.conv_transpose2d(x4(), fg.ones(4, 3, 3, 3), output_padding=1), RuntimeError, "output padding must"),
    (lambda: F.conv_transpose2d(x4(), fg.ones(4, 3, 3, 3), output_padding=-1), RuntimeError, "negative output_pad"),
    (lambda: F.conv_transpose2d(x4(), fg.ones(4, 3, 3, 3), groups=3), RuntimeError, "divisible by 3"),
    (lambda: F.conv_transpose2d(x4(), fg.ones(4, 3, 3, 3), fg.ones(2)), RuntimeError, "expected bias"),
    (lambda: F.conv_transpose2d(x4(), fg.ones(4, 3, 3, 3), padding="same"), TypeError, "padding"),
    (lambda: F.conv_transpose1d(fg.ones(2, 3, 4, dtype=D), fg.ones(3, 3, 3, dtype=D), padding=4), RuntimeError,
     "Output size is too small"),
    (lambda: F.unfold(fg.ones(1, 2, 4, 5, 5), 2), RuntimeError, "Expected 3D or 4D"),
    (lambda: F.unfold(x4(), 7), RuntimeError, "sliding blocks"),
    (lambda: F.unfold(x4(), 2, stride=0), RuntimeError, "stride should be greater than zero"),
    (lambda: F.unfold(x4(), 2, padding=-1), RuntimeError, "padding should be non-negative"),
    (lambda: F.unfold(x4(), (2, 2, 2)), RuntimeError, "kernel_size equals to 2"),
    (lambda: F.unfold(fg.ones(5, 5), 2), IndexError, "Dimension out of range"),
    (lambda: F.fold(fg.ones(2, 15, 16), (5, 5), 2), RuntimeError, "divisible by the product of kernel_size"),
    (lambda: F.fold(fg.ones(2, 16, 15), (5, 5), 2), RuntimeError, "number of sliding blocks"),
    (lambda: F.fold(fg.ones(1, 2, 16, 16), (5, 5), 2), RuntimeError, "Expected 2D or 3D"),
    (lambda: nn.Conv2d(3, 8, 3, groups=2), ValueError, "in_channels must be divisible by groups"),
    (lambda: nn.Conv2d(4, 9, 3, groups=2), ValueError, "out_channels must be divisible by groups"),
    (lambda: nn.Conv2d(4, 8, 3, groups=0), ValueError, "groups must be a positive integer"),
    (lambda: nn.Conv2d(4, 8, 3, padding="foo"), ValueError, "Invalid padding string"),
    (lambda: nn.Conv2d(4, 8, 3, padding="same", stride=2), ValueError, "strided"),
    (lambda: nn.Conv2d(4, 8, 3, padding_mode="bar"), ValueError, "padding_mode must be one of"),
    (lambda: nn.ConvTranspose2d(4, 8, 3, padding_mode="reflect"), ValueError, "zeros"),
]


@pytest.mark.parametrize("call,exc,match", ERRORS)
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_double_backward_through_loss_matches_numpy():
    # gradient penalty: d/dw |d<conv(x,w), g>/dx|^2 = 2 * WG(conv_transpose(g, w), g)
    x, w, g = rnd((1, 1, 4, 4), 45), rnd((1, 1, 2, 2), 46), rnd((1, 1, 3, 3), 47)
    xt, wt = leaf(x), leaf(w)
    (gx,) = fg.autograd.grad((F.conv2d(xt, wt) * t64(g)).sum(), (xt,), create_graph=True)
    (gx ** 2).sum().backward()
    h = ref_conv_transpose(g, w)  # gx
    expected = np.zeros_like(w)
    for i, j in itertools.product(range(2), range(2)):
        expected[0, 0, i, j] = 2 * (g[0, 0] * h[0, 0, i:i + 3, j:j + 3]).sum()
    close(wt.grad, expected)


def test_third_order_gradients_match_recorded_torch():
    def run(transposed):
        x = fg.arange(2 * 2 * 4 * 4, dtype=D).reshape(2, 2, 4, 4).sin().requires_grad_()
        w = fg.arange(2 * 1 * 2 * 2, dtype=D).reshape(2, 1, 2, 2).cos().requires_grad_()
        if transposed:
            y = F.conv_transpose2d(x, w, stride=2, groups=2) ** 2
        else:
            y = F.conv2d(x, w, groups=2) ** 2
        gx, gw = fg.autograd.grad(y.sum(), (x, w), create_graph=True)
        hx, hw = fg.autograd.grad((gx ** 2).sum() + (gw ** 3).sum(), (x, w), create_graph=True)
        kx, kw = fg.autograd.grad(hx.sin().sum() + hw.sum() ** 2, (x, w))
        return float(kx.abs().sum()), float(kw.abs().sum())

    # recorded from PyTorch 2.13
    np.testing.assert_allclose(run(False), (116472760840.47472, 38925217800.913284), rtol=1e-9)
    np.testing.assert_allclose(run(True), (2648452577298.088, 872007991268.0142), rtol=1e-9)
