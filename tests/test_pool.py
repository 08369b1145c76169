"""Pooling, padding and resampling (`nn.functional` and their modules).

Forward values are compared with NumPy reference implementations written here from
PyTorch's documented definitions (window positions, divisors, source-index formulas),
over hypothesis-drawn shapes, kernels, strides, paddings, dilations and ceil_mode.
Gradients are checked by finite differences in float64; node names, module reprs and
error types/messages are PyTorch 2.13's.
"""

import itertools
import math

import numpy as np
import pytest
from backend import fg
from hypothesis import assume, given, settings
from hypothesis import strategies as st

F = fg.nn.functional
nn = fg.nn
D = fg.float64
FEW = settings(max_examples=25, deadline=None)


def distinct(*shape, seed=0):
    """Distinct values (no ties in any window), scrambled, as float64 NumPy."""
    n = math.prod(shape)
    rng = np.random.default_rng(seed)
    return (rng.permutation(n) * 0.1 + rng.random(n) * 0.01).reshape(shape)


def t(a, dtype=D, grad=False):
    x = fg.tensor(np.ascontiguousarray(a)).to(dtype)
    return x.requires_grad_() if grad else x


def close(x, expected, tol=1e-10):
    assert tuple(x.shape) == tuple(expected.shape)
    np.testing.assert_allclose(x.detach().numpy(), expected, rtol=tol, atol=tol)


# --------------------------------------------------------------------------- references


def out_len(length, k, s, p, d, ceil):
    """PyTorch's documented output size (with ceil_mode's rule that a window must start
    inside the input or the left padding)."""
    span = length + 2 * p - d * (k - 1) - 1
    o = (span + (s - 1 if ceil else 0)) // s + 1
    if ceil and (o - 1) * s >= length + p:
        o -= 1
    return o


def ref_max_pool(x, k, s, p, d, ceil):
    n = len(k)
    spatial = x.shape[-n:]
    outs = [out_len(spatial[i], k[i], s[i], p[i], d[i], ceil) for i in range(n)]
    lead = x.shape[:-n]
    flat = x.reshape(-1, *spatial)
    vals = np.empty((flat.shape[0], *outs))
    idx = np.empty((flat.shape[0], *outs), dtype=np.int64)
    for o in itertools.product(*[range(v) for v in outs]):
        axes = [
            [o[i] * s[i] - p[i] + j * d[i] for j in range(k[i]) if 0 <= o[i] * s[i] - p[i] + j * d[i] < spatial[i]]
            for i in range(n)
        ]
        if not all(axes):
            return None, None  # a window wholly in the padding: no value to take
        best, best_i = -np.inf, None
        for pos in itertools.product(*axes):
            v = flat[(slice(None), *pos)]
            if best_i is None:
                best, best_i = v.copy(), np.full(v.shape, np.ravel_multi_index(pos, spatial))
            else:
                better = v > best
                best = np.where(better, v, best)
                best_i = np.where(better, np.ravel_multi_index(pos, spatial), best_i)
        vals[(slice(None), *o)] = best
        idx[(slice(None), *o)] = best_i
    return vals.reshape(*lead, *outs), idx.reshape(*lead, *outs)


def ref_avg_pool(x, k, s, p, ceil, count_include_pad=True, divisor_override=None):
    n = len(k)
    spatial = x.shape[-n:]
    outs = [out_len(spatial[i], k[i], s[i], p[i], 1, ceil) for i in range(n)]
    lead = x.shape[:-n]
    flat = x.reshape(-1, *spatial)
    res = np.empty((flat.shape[0], *outs))
    for o in itertools.product(*[range(v) for v in outs]):
        starts = [o[i] * s[i] - p[i] for i in range(n)]
        ends = [min(starts[i] + k[i], spatial[i] + p[i]) for i in range(n)]
        padded = math.prod(e - b for b, e in zip(starts, ends))
        lo = [max(b, 0) for b in starts]
        hi = [min(e, spatial[i]) for i, e in enumerate(ends)]
        if any(h <= lw for lw, h in zip(lo, hi)):
            res[(slice(None), *o)] = 0
            continue
        window = flat[(slice(None), *[slice(lw, h) for lw, h in zip(lo, hi)])]
        total = window.reshape(window.shape[0], -1).sum(1)
        if divisor_override:
            div = divisor_override
        elif count_include_pad:
            div = padded
        else:
            div = math.prod(h - lw for lw, h in zip(lo, hi))
        res[(slice(None), *o)] = total / div
    return res.reshape(*lead, *outs)


def adaptive_bounds(length, out):
    return [(o * length // out, -(-(o + 1) * length // out)) for o in range(out)]


def ref_adaptive(x, size, how):
    n = len(size)
    spatial = x.shape[-n:]
    lead = x.shape[:-n]
    flat = x.reshape(-1, *spatial)
    res = np.empty((flat.shape[0], *size))
    idx = np.empty((flat.shape[0], *size), dtype=np.int64)
    bounds = [adaptive_bounds(spatial[i], size[i]) for i in range(n)]
    for o in itertools.product(*[range(v) for v in size]):
        sl = [slice(*bounds[i][o[i]]) for i in range(n)]
        window = flat[(slice(None), *sl)].reshape(flat.shape[0], -1)
        if how == "avg":
            res[(slice(None), *o)] = window.mean(1)
        else:
            res[(slice(None), *o)] = window.max(1)
            local = np.unravel_index(window.argmax(1), [b.stop - b.start for b in sl])
            idx[(slice(None), *o)] = np.ravel_multi_index(
                tuple(local[i] + sl[i].start for i in range(n)), spatial
            )
    return res.reshape(*lead, *size), idx.reshape(*lead, *size)


CUBIC_A = -0.75  # PyTorch's bicubic coefficient


def cubic_near(v):
    """Keys' cubic convolution kernel for |v| <= 1."""
    a = CUBIC_A
    return ((a + 2) * v - (a + 3)) * v * v + 1


def cubic_far(v):
    """Keys' cubic convolution kernel for 1 < |v| < 2."""
    a = CUBIC_A
    return ((a * v - 5 * a) * v + 8 * a) * v - 4 * a


def weights_matrix(length, out, mode, align_corners=False):
    """Row o holds the weights output o gives to each input position (one spatial dim)."""
    w = np.zeros((out, length))
    scale = length / out
    for o in range(out):
        if mode == "nearest":
            w[o, min(math.floor(o * scale), length - 1)] = 1
        elif mode == "nearest-exact":
            w[o, min(math.floor((o + 0.5) * scale), length - 1)] = 1
        elif mode in ("linear", "cubic"):
            if align_corners:
                src = o * (length - 1) / (out - 1) if out > 1 else 0.0
            else:
                src = scale * (o + 0.5) - 0.5
                if mode == "linear":
                    src = max(src, 0.0)
            i0 = min(math.floor(src), length - 1)
            frac = min(max(src - i0, 0.0), 1.0)
            if mode == "linear":
                w[o, i0] += 1 - frac
                w[o, min(i0 + 1, length - 1)] += frac
            else:
                coeffs = [cubic_far(frac + 1), cubic_near(frac), cubic_near(1 - frac), cubic_far(2 - frac)]
                for j, c in enumerate(coeffs):
                    w[o, min(max(i0 - 1 + j, 0), length - 1)] += c
    return w


def ref_resample(x, size, mode, align_corners=False):
    out = x
    n = len(size)
    for i in range(n):
        axis = x.ndim - n + i
        m = weights_matrix(x.shape[axis], size[i], mode, align_corners)
        out = np.moveaxis(np.tensordot(out, m, axes=([axis], [1])), -1, axis)
    return out


# --------------------------------------------------------------------------- pooling values


@st.composite
def pool_case(draw, n, dilated=True):
    k = [draw(st.integers(1, 3)) for _ in range(n)]
    s = [draw(st.integers(1, 3)) for _ in range(n)]
    p = [draw(st.integers(0, kk // 2)) for kk in k]
    d = [draw(st.integers(1, 2)) if dilated else 1 for _ in range(n)]
    spatial = [draw(st.integers(1, 6)) for _ in range(n)]
    batch = draw(st.sampled_from([(), (1,), (2,)]))
    channels = draw(st.integers(1, 2))
    ceil = draw(st.booleans())
    return (*batch, channels, *spatial), k, s, p, d, ceil


def _valid(shape, k, s, p, d, ceil):
    n = len(k)
    return all(out_len(shape[-n + i], k[i], s[i], p[i], d[i], ceil) >= 1 for i in range(n))


@pytest.mark.parametrize("n", [1, 2, 3])
@FEW
@given(data=st.data())
def test_max_pool_values_and_indices(n, data):
    shape, k, s, p, d, ceil = data.draw(pool_case(n))
    assume(_valid(shape, k, s, p, d, ceil))
    x = distinct(*shape)
    want, want_idx = ref_max_pool(x, k, s, p, d, ceil)
    assume(want is not None)
    fn = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[n]
    out, idx = fn(t(x), k, s, p, d, ceil, return_indices=True)
    close(out, want)
    np.testing.assert_array_equal(idx.numpy(), want_idx)
    assert idx.dtype == fg.int64


@pytest.mark.parametrize("n", [1, 2, 3])
@FEW
@given(data=st.data(), count_include_pad=st.booleans())
def test_avg_pool_values(n, data, count_include_pad):
    shape, k, s, p, _, ceil = data.draw(pool_case(n, dilated=False))
    assume(_valid(shape, k, s, p, [1] * n, ceil))
    if n == 3:
        assume(all(shape[-3 + i] >= k[i] for i in range(3)))
    x = distinct(*shape)
    if n == 1:
        out = F.avg_pool1d(t(x), k, s, p, ceil, count_include_pad)
    else:
        fn = F.avg_pool2d if n == 2 else F.avg_pool3d
        out = fn(t(x), k, s, p, ceil, count_include_pad)
    close(out, ref_avg_pool(x, k, s, p, ceil, count_include_pad))


@pytest.mark.parametrize("n", [2, 3])
def test_avg_pool_divisor_override(n):
    x = distinct(2, *([5] * n))
    fn = F.avg_pool2d if n == 2 else F.avg_pool3d
    out = fn(t(x), 3, 2, 1, False, True, 5)
    close(out, ref_avg_pool(x, [3] * n, [2] * n, [1] * n, False, True, 5))


@pytest.mark.parametrize("n", [1, 2, 3])
@FEW
@given(data=st.data())
def test_adaptive_pools(n, data):
    spatial = [data.draw(st.integers(1, 7)) for _ in range(n)]
    size = [data.draw(st.integers(1, 5)) for _ in range(n)]
    batch = data.draw(st.sampled_from([(), (2,)]))
    x = distinct(*batch, 2, *spatial)
    avg = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}[n]
    close(avg(t(x), size), ref_adaptive(x, size, "avg")[0])
    want, want_idx = ref_adaptive(x, size, "max")
    if n < 3:
        mx = F.adaptive_max_pool1d if n == 1 else F.adaptive_max_pool2d
    else:
        mx = F.adaptive_max_pool3d
    out, idx = mx(t(x), size, return_indices=True)
    close(out, want)
    np.testing.assert_array_equal(idx.numpy(), want_idx)


def test_adaptive_output_size_none_keeps_the_input_size():
    x = distinct(1, 2, 5, 4)
    out = F.adaptive_avg_pool2d(t(x), (3, None))
    close(out, ref_adaptive(x, [3, 4], "avg")[0])


def test_max_pool_nan_wins_and_float32_is_kept():
    x = fg.tensor([[[1.0, float("nan"), 3.0, 2.0]]])
    out, idx = F.max_pool1d(x, 2, return_indices=True)
    assert out.dtype == fg.float32
    assert math.isnan(out[0, 0, 0].item()) and out[0, 0, 1].item() == 3.0
    assert idx.tolist() == [[[1, 2]]]


def test_window_wholly_in_the_padding():
    # PyTorch reports -inf and the window's first (out-of-plane) position
    out, idx = F.max_pool1d(fg.tensor([[[5.0]]]), 2, 3, 1, 2, return_indices=True)
    assert out.tolist() == [[[-math.inf]]]
    assert idx.tolist() == [[[1]]]


def test_nearest_2d_keeps_positions_for_equal_and_double_sizes():
    # PyTorch's 2-d nearest kernel maps by position when the output is as long as the
    # input (or twice as long), whatever the scale factor; its 1-d kernel uses the scale.
    x = fg.arange(3.0)
    out2 = F.interpolate(x.reshape(1, 1, 1, 3), scale_factor=1.3)
    assert out2.flatten().tolist() == [0.0, 1.0, 2.0]
    out1 = F.interpolate(x.reshape(1, 1, 3), scale_factor=1.3)
    assert out1.flatten().tolist() == [0.0, 0.0, 1.0]
    out6 = F.interpolate(fg.arange(6.0).reshape(1, 1, 6), scale_factor=2.0001)
    assert out6.flatten().tolist() == [0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5]


def test_circular_pad_of_a_cropped_input():
    x = fg.arange(4.0).reshape(1, 1, 4)
    assert F.pad(x, (2, -1), mode="circular").flatten().tolist() == [1.0, 2.0, 0.0, 1.0, 2.0]
    assert F.pad(x, (-1, 3), mode="circular").flatten().tolist() == [1.0, 2.0, 3.0, 1.0, 2.0, 3.0]
    assert F.pad(x, (-2, 2), mode="circular").flatten().tolist() == [2.0, 3.0, 2.0, 3.0]


def test_unbatched_equals_batched():
    x = distinct(2, 6, 5)
    batched = F.max_pool2d(t(x[None]), 2, 1, 1)
    close(F.max_pool2d(t(x), 2, 1, 1), batched.numpy()[0])
    close(F.avg_pool2d(t(x), 3, 2, 1), F.avg_pool2d(t(x[None]), 3, 2, 1).numpy()[0])


def test_max_unpool_inverts_max_pool():
    x = distinct(2, 3, 4, 6)
    out, idx = F.max_pool2d(t(x), 2, return_indices=True)
    back = F.max_unpool2d(out, idx, 2)
    want = np.zeros_like(x)
    flat = want.reshape(2, 3, -1)
    np.put_along_axis(flat, idx.numpy().reshape(2, 3, -1), out.numpy().reshape(2, 3, -1), axis=2)
    close(back, want)
    assert tuple(F.max_unpool2d(out, idx, 2, output_size=(5, 7)).shape) == (2, 3, 5, 7)
    o1, i1 = F.max_pool1d(t(distinct(1, 2, 6)), 2, return_indices=True)
    assert tuple(F.max_unpool1d(o1, i1, 2).shape) == (1, 2, 6)
    o3, i3 = F.max_pool3d(t(distinct(1, 1, 4, 4, 4)), 2, return_indices=True)
    assert tuple(F.max_unpool3d(o3, i3, 2).shape) == (1, 1, 4, 4, 4)


def test_lp_pool():
    x = distinct(1, 2, 4, 4) + 0.5
    want = (ref_avg_pool(x**2, [2, 2], [2, 2], [0, 0], False) * 4) ** 0.5
    close(F.lp_pool2d(t(x), 2, 2), want)
    x1 = distinct(1, 2, 6) + 0.5
    want1 = (ref_avg_pool(x1**3, [3], [3], [0], False) * 3) ** (1 / 3)
    close(F.lp_pool1d(t(x1), 3, 3), want1)


# --------------------------------------------------------------------------- padding values


@FEW
@given(
    n=st.integers(1, 3),
    pads=st.lists(st.integers(-2, 3), min_size=6, max_size=6),
    value=st.sampled_from([0.0, 1.5, -2.0]),
)
def test_constant_pad(n, pads, value):
    x = distinct(2, 3, 4, 5)
    pads = pads[: 2 * n]
    widths = [(0, 0)] * (4 - n) + [(max(pads[2 * i], 0), max(pads[2 * i + 1], 0)) for i in reversed(range(n))]
    crop = [slice(None)] * (4 - n) + [
        slice(-min(pads[2 * i], 0), x.shape[3 - i] + min(pads[2 * i + 1], 0)) for i in reversed(range(n))
    ]
    if any(x.shape[3 - i] + min(pads[2 * i], 0) + min(pads[2 * i + 1], 0) < 0 for i in range(n)):
        # cropping more than the dim holds is narrow()'s error in PyTorch
        with pytest.raises(RuntimeError, match="length must be non-negative"):
            F.pad(t(x), pads, value=value)
        return
    want = np.pad(x[tuple(crop)], widths, constant_values=value)
    close(F.pad(t(x), pads, value=value), want)


@pytest.mark.parametrize("mode,np_mode", [("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")])
@FEW
@given(n=st.integers(1, 3), pads=st.lists(st.integers(0, 3), min_size=6, max_size=6), batched=st.booleans())
def test_indexed_pads(mode, np_mode, n, pads, batched):
    shape = (2, 3, 4, 5, 4)[5 - n - (2 if batched else 1) :]
    x = distinct(*shape)
    pads = pads[: 2 * n]
    widths = [(0, 0)] * (x.ndim - n) + [(pads[2 * i], pads[2 * i + 1]) for i in reversed(range(n))]
    close(F.pad(t(x), pads, mode=mode), np.pad(x, widths, mode=np_mode))


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_negative_pads_crop(mode):
    x = distinct(1, 2, 6)
    out = F.pad(t(x), (-1, 2), mode=mode)
    if mode == "circular":
        # the cropped input is what wraps around
        want = np.pad(x[..., 1:], [(0, 0), (0, 0), (0, 2)], mode="wrap")
    else:
        np_mode = {"reflect": "reflect", "replicate": "edge"}[mode]
        want = np.pad(x, [(0, 0), (0, 0), (0, 2)], mode=np_mode)[..., 1:]
    close(out, want)


def test_constant_pad_of_integers():
    x = fg.arange(6).reshape(2, 3)
    out = F.pad(x, (1, 0), value=7)
    assert out.dtype == fg.int64
    assert out.tolist() == [[7, 0, 1, 2], [7, 3, 4, 5]]


# --------------------------------------------------------------------------- resampling values


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
@FEW
@given(n=st.integers(1, 3), data=st.data())
def test_nearest(mode, n, data):
    spatial = [data.draw(st.integers(1, 6)) for _ in range(n)]
    size = [data.draw(st.integers(1, 9)) for _ in range(n)]
    x = distinct(2, 2, *spatial)
    close(F.interpolate(t(x), size=size, mode=mode), ref_resample(x, size, mode))


@pytest.mark.parametrize("mode,n", [("linear", 1), ("bilinear", 2), ("trilinear", 3), ("bicubic", 2)])
@FEW
@given(data=st.data(), align_corners=st.booleans())
def test_interpolating_modes(mode, n, data, align_corners):
    spatial = [data.draw(st.integers(1, 6)) for _ in range(n)]
    size = [data.draw(st.integers(1, 9)) for _ in range(n)]
    x = distinct(1, 2, *spatial)
    kind = "cubic" if mode == "bicubic" else "linear"
    out = F.interpolate(t(x), size=size, mode=mode, align_corners=align_corners)
    close(out, ref_resample(x, size, kind, align_corners), 1e-9)


def test_scale_factor_sizes_and_scales():
    x = distinct(1, 1, 5)
    assert tuple(F.interpolate(t(x), scale_factor=1.5).shape) == (1, 1, 7)
    assert tuple(F.interpolate(t(x), scale_factor=1.7, recompute_scale_factor=True).shape) == (1, 1, 8)
    # With scale_factor kept, the kernel maps by 1/scale: output 6 reads floor(6 / 1.5) = 4.
    out = F.interpolate(t(x), scale_factor=1.5)
    np.testing.assert_allclose(out.numpy()[0, 0], x[0, 0][[0, 0, 1, 2, 2, 3, 4]])
    up = F.interpolate(t(distinct(1, 1, 3, 3)), scale_factor=2, mode="bilinear")
    close(up, ref_resample(distinct(1, 1, 3, 3), [6, 6], "linear"))


def test_area_is_adaptive_average():
    x = distinct(1, 2, 7, 5)
    close(F.interpolate(t(x), size=(3, 2), mode="area"), ref_adaptive(x, [3, 2], "avg")[0])


def test_upsample_float32():
    x = distinct(1, 1, 4, 4)
    out = F.interpolate(t(x, fg.float32), scale_factor=2, mode="bilinear", align_corners=True)
    assert out.dtype == fg.float32
    close(out, ref_resample(x, [8, 8], "linear", True), 1e-5)


def test_pixel_shuffle_round_trip():
    x = distinct(2, 8, 3, 2)
    out = F.pixel_shuffle(t(x), 2)
    want = x.reshape(2, 2, 2, 2, 3, 2).transpose(0, 1, 4, 2, 5, 3).reshape(2, 2, 6, 4)
    close(out, want)
    close(F.pixel_unshuffle(out, 2), x)
    close(F.pixel_shuffle(t(x[0]), 2), want[0])


# --------------------------------------------------------------------------- gradients


def g(*shape, seed=0):
    return t(distinct(*shape, seed=seed), grad=True)


GRAD_CASES = [
    ("max_pool1d", lambda x: F.max_pool1d(x, 3, 2, 1, 2), (2, 2, 9)),
    ("max_pool2d", lambda x: F.max_pool2d(x, (3, 2), (2, 1), (1, 1), 1, True), (1, 2, 5, 6)),
    ("max_pool3d", lambda x: F.max_pool3d(x, 2, 1, 1), (1, 1, 3, 3, 4)),
    ("avg_pool1d", lambda x: F.avg_pool1d(x, 3, 2, 1, True, False), (2, 2, 7)),
    ("avg_pool2d", lambda x: F.avg_pool2d(x, 3, 2, 1, True, True), (1, 2, 5, 6)),
    ("avg_pool2d_divisor", lambda x: F.avg_pool2d(x, 2, divisor_override=3), (2, 4, 4)),
    ("avg_pool3d", lambda x: F.avg_pool3d(x, 2, 1, 1, False, False), (1, 1, 3, 3, 3)),
    ("adaptive_avg_pool1d", lambda x: F.adaptive_avg_pool1d(x, 4), (2, 2, 7)),
    ("adaptive_avg_pool2d", lambda x: F.adaptive_avg_pool2d(x, (3, 2)), (1, 2, 5, 7)),
    ("adaptive_avg_pool3d", lambda x: F.adaptive_avg_pool3d(x, 2), (1, 1, 3, 4, 5)),
    ("adaptive_max_pool1d", lambda x: F.adaptive_max_pool1d(x, 3), (2, 2, 7)),
    ("adaptive_max_pool2d", lambda x: F.adaptive_max_pool2d(x, 3), (1, 2, 5, 7)),
    ("pad_constant", lambda x: F.pad(x, (1, -1, 2, 0), value=1.0), (2, 3, 4)),
    ("pad_reflect1d", lambda x: F.pad(x, (2, 1), mode="reflect"), (2, 3, 4)),
    ("pad_reflect2d", lambda x: F.pad(x, (2, 1, 1, 2), mode="reflect"), (1, 2, 3, 4)),
    ("pad_reflect3d", lambda x: F.pad(x, (1, 1, 1, 0, 0, 1), mode="reflect"), (1, 1, 2, 3, 3)),
    ("pad_replicate2d", lambda x: F.pad(x, (2, 1, 1, 3), mode="replicate"), (2, 3, 4)),
    ("pad_replicate3d", lambda x: F.pad(x, (1, 2, 0, 1, 1, 1), mode="replicate"), (1, 2, 2, 3)),
    ("pad_circular2d", lambda x: F.pad(x, (2, 1, 1, 1), mode="circular"), (1, 2, 3, 4)),
    ("nearest1d", lambda x: F.interpolate(x, size=7), (1, 2, 4)),
    ("nearest2d", lambda x: F.interpolate(x, scale_factor=2), (1, 2, 2, 3)),
    ("nearest_exact3d", lambda x: F.interpolate(x, size=(3, 2, 5), mode="nearest-exact"), (1, 1, 2, 3, 3)),
    ("linear", lambda x: F.interpolate(x, size=7, mode="linear"), (1, 2, 4)),
    ("bilinear", lambda x: F.interpolate(x, size=(5, 3), mode="bilinear", align_corners=True), (1, 2, 3, 4)),
    ("bicubic", lambda x: F.interpolate(x, scale_factor=1.5, mode="bicubic"), (1, 1, 4, 3)),
    ("trilinear", lambda x: F.interpolate(x, size=(3, 4, 2), mode="trilinear"), (1, 1, 2, 3, 3)),
    ("area", lambda x: F.interpolate(x, size=(2, 3), mode="area"), (1, 1, 5, 7)),
    ("pixel_shuffle", lambda x: F.pixel_shuffle(x, 2), (1, 8, 2, 3)),
    ("pixel_unshuffle", lambda x: F.pixel_unshuffle(x, 2), (1, 2, 4, 6)),
    ("lp_pool2d", lambda x: F.lp_pool2d(x + 1, 2, 2), (1, 2, 4, 4)),
]


@pytest.mark.parametrize("name,fn,shape", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradcheck(name, fn, shape):
    assert fg.autograd.gradcheck(fn, (g(*shape),)) is True


def test_max_unpool_gradcheck():
    out, idx = F.max_pool2d(t(distinct(1, 2, 4, 4)), 2, return_indices=True)
    src = out.detach().requires_grad_()
    assert fg.autograd.gradcheck(lambda v: F.max_unpool2d(v, idx, 2), (src,)) is True


SECOND_ORDER = ["max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d", "pad_reflect2d",
                "pad_replicate2d", "pad_constant", "bilinear", "bicubic", "nearest2d", "pixel_shuffle"]


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_gradgradcheck(name):
    _, fn, shape = next(c for c in GRAD_CASES if c[0] == name)
    assert fg.autograd.gradgradcheck(fn, (g(*shape),)) is True


def test_max_pool_gradient_goes_to_the_maxima():
    x = t(np.arange(16.0).reshape(1, 1, 4, 4), grad=True)
    F.max_pool2d(x, 2).sum().backward()
    want = np.zeros((4, 4))
    want[1::2, 1::2] = 1
    np.testing.assert_array_equal(x.grad.numpy()[0, 0], want)


# --------------------------------------------------------------------------- node names


def _name(y):
    return type(y.grad_fn).__name__


NAMES = [
    (lambda x: F.max_pool2d(x, 2), (1, 2, 4, 4), "MaxPool2DWithIndicesBackward0"),
    (lambda x: F.max_pool3d(x, 2), (1, 1, 2, 2, 2), "MaxPool3DWithIndicesBackward0"),
    (lambda x: F.max_pool1d(x, 2), (1, 2, 4), "SqueezeBackward1"),
    (lambda x: F.avg_pool2d(x, 2), (1, 2, 4, 4), "AvgPool2DBackward0"),
    (lambda x: F.avg_pool3d(x, 2), (1, 1, 2, 2, 2), "AvgPool3DBackward0"),
    (lambda x: F.avg_pool1d(x, 2), (1, 2, 4), "SqueezeBackward1"),
    (lambda x: F.adaptive_avg_pool2d(x, 3), (1, 2, 4, 4), "AdaptiveAvgPool2DBackward0"),
    (lambda x: F.adaptive_avg_pool2d(x, 1), (1, 2, 4, 4), "MeanBackward1"),
    (lambda x: F.adaptive_avg_pool3d(x, 2), (1, 1, 3, 3, 3), "AdaptiveAvgPool3DBackward0"),
    (lambda x: F.adaptive_max_pool2d(x, 3), (1, 2, 4, 4), "AdaptiveMaxPool2DBackward0"),
    (lambda x: F.adaptive_max_pool3d(x, 2), (1, 1, 3, 3, 3), "AdaptiveMaxPool3DBackward0"),
    (lambda x: F.pad(x, (1, 1)), (1, 2, 4), "ConstantPadNdBackward0"),
    (lambda x: F.pad(x, (1, 1), mode="reflect"), (1, 2, 4), "ReflectionPad1DBackward0"),
    (lambda x: F.pad(x, (1, 1, 1, 1), mode="reflect"), (1, 2, 4, 4), "ReflectionPad2DBackward0"),
    (lambda x: F.pad(x, (1,) * 6, mode="reflect"), (1, 2, 3, 3), "ReflectionPad3DBackward0"),
    (lambda x: F.pad(x, (1, 1), mode="replicate"), (1, 2, 4), "ReplicationPad1DBackward0"),
    (lambda x: F.pad(x, (1, 1, 1, 1), mode="replicate"), (1, 2, 4, 4), "ReplicationPad2DBackward0"),
    (lambda x: F.pad(x, (1, 1, 1, 1), mode="circular"), (1, 2, 4, 4), "CopySlices"),
    (lambda x: F.interpolate(x, scale_factor=2), (1, 2, 4), "UpsampleNearest1DBackward0"),
    (lambda x: F.interpolate(x, scale_factor=2), (1, 2, 4, 4), "UpsampleNearest2DBackward0"),
    (lambda x: F.interpolate(x, scale_factor=2, mode="nearest-exact"), (1, 2, 4, 4), "UpsampleNearestExact2DBackward0"),
    (lambda x: F.interpolate(x, scale_factor=2, mode="linear"), (1, 2, 4), "UpsampleLinear1DBackward0"),
    (lambda x: F.interpolate(x, scale_factor=2, mode="bilinear"), (1, 2, 4, 4), "UpsampleBilinear2DBackward0"),
    (lambda x: F.interpolate(x, scale_factor=2, mode="bicubic"), (1, 2, 4, 4), "UpsampleBicubic2DBackward0"),
    (lambda x: F.interpolate(x, scale_factor=2, mode="trilinear"), (1, 1, 2, 2, 2), "UpsampleTrilinear3DBackward0"),
    (lambda x: F.interpolate(x, size=3, mode="area"), (1, 2, 4, 4), "AdaptiveAvgPool2DBackward0"),
    (lambda x: F.pixel_shuffle(x, 2), (1, 4, 2, 2), "PixelShuffleBackward0"),
    (lambda x: F.pixel_unshuffle(x, 2), (1, 1, 4, 4), "PixelUnshuffleBackward0"),
]


@pytest.mark.parametrize("fn,shape,name", NAMES, ids=[n[2] + str(i) for i, n in enumerate(NAMES)])
def test_grad_fn_names(fn, shape, name):
    assert _name(fn(g(*shape))) == name


BACKWARD_NAMES = [
    (lambda x: F.max_pool2d(x, 2), (1, 2, 4, 4), "MaxPool2DWithIndicesBackwardBackward0"),
    (lambda x: F.avg_pool2d(x, 2), (1, 2, 4, 4), "AvgPool2DBackwardBackward0"),
    (lambda x: F.adaptive_avg_pool2d(x, 3), (1, 2, 4, 4), "AdaptiveAvgPool2DBackwardBackward0"),
    (lambda x: F.pad(x, (1, 1), mode="reflect"), (1, 2, 4), "ReflectionPad1DBackwardBackward0"),
    (lambda x: F.pad(x, (1, 1)), (1, 2, 4), "ConstantPadNdBackward0"),
    (lambda x: F.interpolate(x, scale_factor=2, mode="bilinear"), (1, 2, 4, 4), "UpsampleBilinear2DBackwardBackward0"),
    (lambda x: F.interpolate(x, scale_factor=2), (1, 2, 4, 4), "UpsampleNearest2DBackwardBackward0"),
]


@pytest.mark.parametrize("fn,shape,name", BACKWARD_NAMES, ids=[n[2] for n in BACKWARD_NAMES])
def test_backward_node_names(fn, shape, name):
    x = g(*shape)
    y = fn(x)
    go = fg.ones_like(y).requires_grad_()
    (gx,) = fg.autograd.grad(y, x, go, create_graph=True)
    assert _name(gx) == name


# --------------------------------------------------------------------------- modules


REPRS = [
    (lambda: nn.MaxPool1d(2), "MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"),
    (lambda: nn.MaxPool2d((2, 3), 1, 1, 2, True, True),
     "MaxPool2d(kernel_size=(2, 3), stride=1, padding=1, dilation=2, ceil_mode=True)"),
    (lambda: nn.MaxPool3d(2), "MaxPool3d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"),
    (lambda: nn.MaxUnpool2d(2), "MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))"),
    (lambda: nn.AvgPool1d(3, 1, 1), "AvgPool1d(kernel_size=(3,), stride=(1,), padding=(1,))"),
    (lambda: nn.AvgPool2d(2), "AvgPool2d(kernel_size=2, stride=2, padding=0)"),
    (lambda: nn.AvgPool3d(3, 1, 1), "AvgPool3d(kernel_size=3, stride=1, padding=1)"),
    (lambda: nn.AdaptiveAvgPool1d(3), "AdaptiveAvgPool1d(output_size=3)"),
    (lambda: nn.AdaptiveAvgPool2d((3, None)), "AdaptiveAvgPool2d(output_size=(3, None))"),
    (lambda: nn.AdaptiveAvgPool3d(2), "AdaptiveAvgPool3d(output_size=2)"),
    (lambda: nn.AdaptiveMaxPool1d(2), "AdaptiveMaxPool1d(output_size=2)"),
    (lambda: nn.AdaptiveMaxPool2d(2, True), "AdaptiveMaxPool2d(output_size=2)"),
    (lambda: nn.Upsample(scale_factor=2), "Upsample(scale_factor=2.0, mode='nearest')"),
    (lambda: nn.Upsample(size=(3, 4), mode="bilinear", align_corners=True), "Upsample(size=(3, 4), mode='bilinear')"),
    (lambda: nn.PixelShuffle(2), "PixelShuffle(upscale_factor=2)"),
    (lambda: nn.PixelUnshuffle(2), "PixelUnshuffle(downscale_factor=2)"),
    (lambda: nn.ZeroPad2d(1), "ZeroPad2d((1, 1, 1, 1))"),
    (lambda: nn.ConstantPad1d(2, 3.5), "ConstantPad1d(padding=(2, 2), value=3.5)"),
    (lambda: nn.ConstantPad2d((1, 2, 3, 4), 1), "ConstantPad2d(padding=(1, 2, 3, 4), value=1)"),
    (lambda: nn.ConstantPad3d(1, 0.0), "ConstantPad3d(padding=(1, 1, 1, 1, 1, 1), value=0.0)"),
    (lambda: nn.ReflectionPad1d(2), "ReflectionPad1d((2, 2))"),
    (lambda: nn.ReflectionPad2d((1, 2, 3, 4)), "ReflectionPad2d((1, 2, 3, 4))"),
    (lambda: nn.ReplicationPad1d(1), "ReplicationPad1d((1, 1))"),
    (lambda: nn.ReplicationPad2d(2), "ReplicationPad2d((2, 2, 2, 2))"),
    (lambda: nn.CircularPad2d(1), "CircularPad2d((1, 1, 1, 1))"),
]


@pytest.mark.parametrize("make,text", REPRS, ids=[r[1].split("(")[0] + str(i) for i, r in enumerate(REPRS)])
def test_module_repr(make, text):
    assert repr(make()) == text


def test_modules_compute_as_functions():
    x = g(1, 2, 6, 6)
    close(nn.MaxPool2d(2)(x), F.max_pool2d(x, 2).detach().numpy())
    out, idx = nn.MaxPool2d(2, return_indices=True)(x)
    close(nn.MaxUnpool2d(2)(out, idx), F.max_unpool2d(out, idx, 2).detach().numpy())
    close(nn.AvgPool2d(3, 1, 1)(x), F.avg_pool2d(x, 3, 1, 1).detach().numpy())
    close(nn.AdaptiveAvgPool2d(4)(x), F.adaptive_avg_pool2d(x, 4).detach().numpy())
    close(nn.Upsample(scale_factor=2, mode="bilinear")(x), F.interpolate(x, scale_factor=2, mode="bilinear").detach().numpy())
    close(nn.ReflectionPad2d(2)(x), F.pad(x, (2, 2, 2, 2), mode="reflect").detach().numpy())
    close(nn.ZeroPad2d((1, 0, 2, 0))(x), F.pad(x, (1, 0, 2, 0)).detach().numpy())
    close(nn.PixelShuffle(2)(g(1, 4, 2, 2)), F.pixel_shuffle(g(1, 4, 2, 2), 2).detach().numpy())


# --------------------------------------------------------------------------- errors

x4 = fg.zeros(1, 2, 5, 5)
x3d = fg.zeros(1, 2, 5, 5, 5)

ERRORS = [
    (lambda: F.max_pool2d(x4, 6), RuntimeError,
     "Given input size: (2x5x5). Calculated output size: (2x0x0). Output size is too small"),
    (lambda: F.max_pool2d(x4, 3, padding=2), RuntimeError,
     "pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1"),
    (lambda: F.max_pool2d(x4, 2, stride=0), RuntimeError, "stride should not be zero"),
    (lambda: F.max_pool2d(x4, 0, 1), RuntimeError, "kernel size should be greater than zero, but got kH: 0 kW: 0"),
    (lambda: F.max_pool2d(x4, 2, -1), RuntimeError, "stride should be greater than zero, but got dH: -1 dW: -1"),
    (lambda: F.max_pool2d(x4, 2, dilation=0), RuntimeError,
     "dilation should be greater than zero, but got dilationH: 0 dilationW: 0"),
    (lambda: F.max_pool2d(x4, 2, padding=-1), RuntimeError, "pad must be non-negative, but got pad: -1"),
    (lambda: F.max_pool2d(x4, (3, 3), 1, (1, 2), (1, 2)), RuntimeError,
     "pad should be smaller than or equal to half of kernel size, but got padW = 2, padH = 1, kW = 3, kH = 3"),
    (lambda: F.max_pool2d(fg.zeros(5, 5), 2), RuntimeError, "non-empty 3D or 4D (batch mode) tensor expected for input"),
    (lambda: F.max_pool2d(fg.zeros(2, 0, 5, 5), 2), RuntimeError,
     "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[2, 0, 5, 5]"),
    (lambda: F.max_pool2d(x4, (2, 2, 2)), RuntimeError,
     "max_pool2d: kernel_size must either be a single int, or a tuple of two ints"),
    (lambda: F.max_pool3d(x3d, 6), RuntimeError,
     "Given input size: (2x5x5x5). Calculated output size: (2x0x0x0). Output size is too small"),
    (lambda: F.max_pool3d(fg.zeros(5, 5, 5), 2), RuntimeError, "non-empty 4D or 5D (batch mode) tensor expected for input"),
    (lambda: F.max_pool1d(fg.zeros(1, 2, 5), 6), RuntimeError, "max_pool1d() Invalid computed output size: 0"),
    (lambda: F.max_pool1d(fg.zeros(1, 2, 5), 3, 1, 2), RuntimeError,
     "max_pool1d() padding should be at most half of kernel size, but got padding=2 and kernel_size=3"),
    (lambda: F.max_pool1d(fg.zeros(5), 2), RuntimeError,
     "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:[5]"),
    (lambda: F.avg_pool2d(x4, 6), RuntimeError,
     "Given input size: (2x5x5). Calculated output size: (2x0x0). Output size is too small"),
    (lambda: F.avg_pool2d(x4, 2, divisor_override=0), RuntimeError, "divisor must be not zero"),
    (lambda: F.avg_pool1d(fg.zeros(5), 2), RuntimeError,
     "Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)"),
    (lambda: F.avg_pool3d(fg.zeros(1, 2, 3, 3, 3), 4), RuntimeError,
     "input image (T: 3 H: 3 W: 3) smaller than kernel size (kT: 4 kH: 4 kW: 4)"),
    (lambda: F.adaptive_avg_pool2d(x4, (2, 2, 2)), RuntimeError, "adaptive_avg_pool2d: output_size must be 2"),
    (lambda: F.adaptive_avg_pool2d(fg.zeros(5, 5), 2), RuntimeError,
     "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [5, 5]"),
    (lambda: F.adaptive_max_pool2d(fg.zeros(5, 5), 2), RuntimeError,
     "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [5, 5]"),
    (lambda: F.adaptive_avg_pool2d(fg.zeros(1, 2, 0, 5), 2), RuntimeError,
     "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 2, 0, 5] with dimension 2 being empty"),
    (lambda: F.adaptive_avg_pool2d(x4, (-1, 2)), RuntimeError,
     "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {-1, 2}"),
    (lambda: F.adaptive_avg_pool1d(x4, 2), RuntimeError, "Expected 2 to 3 dimensions, but got 4-dimensional tensor"),
    (lambda: F.adaptive_avg_pool2d(x4.long(), 2), NotImplementedError,
     "\"adaptive_avg_pool2d\" not implemented for 'Long'"),
    (lambda: F.max_unpool2d(fg.zeros(1, 2, 2, 2), fg.full((1, 2, 2, 2), 100, dtype=fg.int64), 2), RuntimeError,
     "Found an invalid max index: 100 (output volumes are of size 4x4)"),
    (lambda: F.max_unpool2d(fg.zeros(1, 2, 2, 2), fg.zeros(1, 1, 2, 2, dtype=fg.int64), 2), RuntimeError,
     "Expected shape of indices to be same as that of the input tensor ([1, 2, 2, 2]) but got indices tensor with shape: [1, 1, 2, 2]"),
    (lambda: F.max_unpool2d(fg.zeros(1, 2, 2, 2), fg.zeros(1, 2, 2, 2), 2), RuntimeError,
     "elements in indices should be type int64 but got: Float"),
    (lambda: F.max_unpool2d(fg.zeros(1, 2, 2, 2), fg.zeros(1, 2, 2, 2, dtype=fg.int64), 2, output_size=(1, 5)),
     ValueError, 'invalid output_size "(1, 5)" (dim 0 must be between 2 and 6)'),
    (lambda: F.max_unpool2d(fg.zeros(2, 2), fg.zeros(2, 2, dtype=fg.int64), 2), RuntimeError,
     "Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with 2 dimensions."),
    (lambda: F.pad(x4, (1,)), RuntimeError, "Padding length must be divisible by 2"),
    (lambda: F.pad(x4, (1,) * 10), RuntimeError,
     "Padding length should be less than or equal to two times the input dimension but got padding length 10 and input of dimension 4"),
    (lambda: F.pad(x4, (-3, -3)), RuntimeError, "narrow(): length must be non-negative."),
    (lambda: F.pad(x4, (2, 2, 5, 5), mode="reflect"), RuntimeError,
     "Argument #6: Padding size should be less than the corresponding input dimension, but got: padding (5, 5) at dimension 2 of input [1, 2, 5, 5]"),
    (lambda: F.pad(fg.zeros(1, 2, 3), (3, 1), mode="reflect"), RuntimeError,
     "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (3, 1) at dimension 2 of input [1, 2, 3]"),
    (lambda: F.pad(x4, (1, 1), mode="reflect"), NotImplementedError, "Padding size 2 is not supported for 4D input tensor."),
    (lambda: F.pad(x4, (1, 1), mode="foo"), NotImplementedError, "Unrecognised padding mode foo"),
    (lambda: F.pad(fg.zeros(1, 2, 3), (1, 1), mode="reflect", value=2), RuntimeError,
     'Padding mode "reflect" doesn\'t take in value argument'),
    (lambda: F.pad(fg.zeros(1, 2, 3), (-3, -1), mode="replicate"), RuntimeError,
     "input (W: 3) is too small. Calculated output W: -1"),
    (lambda: F.pad(fg.zeros(1, 2, 3), (-3, -1, -2, -1), mode="replicate"), RuntimeError,
     "input (H: 2, W: 3 ) is too small. Calculated output H: -1 W: -1"),
    (lambda: F.pad(fg.zeros(1, 2, 3), (-3, -1, -2, -1), mode="reflect"), RuntimeError,
     "input (H: 2, W: 3) is too small. Calculated output H: -1 W: -1"),
    (lambda: F.pad(fg.zeros(1, 2, 3, 3), (-3, -1, -2, -1, -2, -1), mode="reflect"), RuntimeError,
     "input (D: 2 H: 3, W: 3) is too small. Calculated output D: -1 H: 0 W: -1"),
    (lambda: F.pad(fg.zeros(1, 3, 3), (1, 1, -3, -1), mode="replicate"), RuntimeError,
     "Trying to create tensor with negative dimension -1: [1, -1, 5]"),
    (lambda: F.pad(fg.zeros(1, 1, 3), (3, -2), mode="circular"), RuntimeError,
     "some elements of the input tensor and the written-to tensor refer to a single memory location"),
    (lambda: F.pad(fg.zeros(1, 3, 1), (-2, 0), mode="circular"), RuntimeError,
     "Negative padding value is resulting in an empty dimension"),
    (lambda: F.pad(fg.zeros(1, 3, 1), (-2, 0)), RuntimeError, "narrow(): length must be non-negative."),
    (lambda: F.interpolate(fg.zeros(1, 1, 3, 3), size=(2, 0)), RuntimeError,
     "Input and output sizes should be greater than 0, but got input (H: 3, W: 3) output (H: 2, W: 0)"),
    (lambda: F.pad(fg.zeros(1, 2, 3), (4, 1), mode="circular"), RuntimeError,
     "Padding value causes wrapping around more than once."),
    (lambda: F.pad(fg.zeros(2, 0, 3), (1, 1), mode="reflect"), RuntimeError,
     "Expected 2D or 3D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [2, 0, 3]"),
    (lambda: F.pad(x4, (1.0, 1)), TypeError, "must be tuple of ints, but found element of type float at pos 0"),
    (lambda: F.pad(x4, (True, 5)), TypeError, "must be tuple of ints, but found element of type bool at pos 0"),
    (lambda: F.interpolate(fg.zeros(1, 1, 3), size=2, scale_factor=2), ValueError,
     "only one of size or scale_factor should be defined"),
    (lambda: F.interpolate(fg.zeros(1, 1, 3)), ValueError, "either size or scale_factor should be defined"),
    (lambda: F.interpolate(fg.zeros(1, 1, 3), size=(2, 2)), ValueError,
     "Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [3] and output size of (2, 2)."),
    (lambda: F.interpolate(fg.zeros(1, 1, 3), size=2, align_corners=True), ValueError,
     "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear"),
    (lambda: F.interpolate(fg.zeros(1, 1, 3), size=2, mode="bilinear"), NotImplementedError,
     "Got 3D input, but bilinear mode needs 4D input"),
    (lambda: F.interpolate(fg.zeros(3, 3), size=2), NotImplementedError,
     "Input Error: Only 3D, 4D and 5D input Tensors supported (got 2D)"),
    (lambda: F.interpolate(fg.zeros(1, 1, 3), size=0), RuntimeError,
     "Input and output sizes should be greater than 0, but got input (W: 3) and output (W: 0)"),
    (lambda: F.interpolate(fg.zeros(1, 1, 3), size=2, recompute_scale_factor=True), ValueError,
     "recompute_scale_factor is not meaningful with an explicit size."),
    (lambda: F.pixel_shuffle(fg.zeros(1, 2, 2, 2), 2), RuntimeError,
     "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=2 is not divisible by 4"),
    (lambda: F.pixel_shuffle(fg.zeros(4, 2), 2), RuntimeError,
     "pixel_shuffle expects input to have at least 3 dimensions, but got input with 2 dimension(s)"),
    (lambda: F.pixel_unshuffle(fg.zeros(4, 3, 2), 2), RuntimeError,
     "pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=3 is not divisible by 2"),
]


@pytest.mark.parametrize("call,exc,message", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors(call, exc, message):
    with pytest.raises(exc) as info:
        call()
    assert message in str(info.value)


@pytest.mark.parametrize(
    "mode, grad, second, node",
    [
        ("reflect", [[4.0, 12.0, 6.0]], [[32.0, 144.0, 24.0]], "ReflectionPad1DBackwardBackward0"),
        ("replicate", [[4.0, 4.0, 18.0]], [[32.0, 16.0, 216.0]], "ReplicationPad1DBackwardBackward0"),
    ],
)
def test_index_padding_saves_its_arguments_and_has_a_double_backward(mode, grad, second, node):
    # Values, saved arguments and node names observed from torch 2.13.
    x = fg.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    y = F.pad(x, (1, 2), mode=mode)
    assert y.grad_fn._saved_padding == (1, 2)
    assert y.grad_fn._saved_self.tolist() == [[1.0, 2.0, 3.0]]
    (g,) = fg.autograd.grad((y * y).sum(), x, create_graph=True)
    assert g.tolist() == grad
    (gg,) = fg.autograd.grad((g * g).sum(), x)
    assert gg.tolist() == second
    # a constant upstream gradient still gives a first-order gradient that requires grad
    (g1,) = fg.autograd.grad(F.pad(x, (1, 2), mode=mode), x, fg.ones(1, 6), create_graph=True)
    assert g1.requires_grad and type(g1.grad_fn).__name__ == node
