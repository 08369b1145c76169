"""Scenarios ported from PyTorch's test_spectral_ops.py (`fft` transforms, `stft`/`istft`,
the window functions) and test_numpy_interop.py (`from_numpy`, `numpy()`, `__array__`,
NumPy scalars and arrays as arguments): values against NumPy or hand-computed numbers,
dtypes, grad_fn names and PyTorch 2.13's refusals, word for word."""

import itertools
import math
import os
import subprocess
import sys

import numpy as np
import pytest
from backend import MOD, fg

RNG = np.random.default_rng(26)
NORMS = [None, "forward", "backward", "ortho"]


def _real(shape):
    return RNG.standard_normal(shape)


def _complex(shape):
    return RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)


def _close(t, expected, tol=1e-9):
    np.testing.assert_allclose(t.detach().resolve_conj().numpy(), expected, rtol=tol, atol=tol)


def _next_names(t):
    return [f.name() for f, _ in t.grad_fn.next_functions if f is not None]


# --- fft: values, dtypes, node names --------------------------------------------------


@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"])
@pytest.mark.parametrize("norm", NORMS)
def test_one_dimensional_transforms_match_numpy(name, norm):
    complex_input = name in ("fft", "ifft", "irfft", "hfft")
    for shape, n, dim in [((67,), None, -1), ((12, 14), 50, 0), ((9, 6, 3), 6, -1), ((4, 5, 6, 7), None, 1)]:
        a = _complex(shape) if complex_input else _real(shape)
        got = getattr(fg.fft, name)(fg.from_numpy(a), n, dim, norm)
        _close(got, getattr(np.fft, name)(a, n, dim, norm))


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn"])
def test_n_dimensional_transforms_match_numpy(name):
    for ndim, s, dim in [(3, None, None), (3, None, (0, -1)), (4, (4, 10), None), (4, (10, 10), (0, 1)), (5, None, (1, 3, 4))]:
        shape = tuple(itertools.islice(itertools.cycle(range(4, 9)), ndim))
        a = _real(shape) if name == "rfftn" else _complex(shape)
        for norm in NORMS:
            _close(getattr(fg.fft, name)(fg.from_numpy(a), s, dim, norm), getattr(np.fft, name)(a, s, dim, norm))


@pytest.mark.parametrize("name", ["fft2", "ifft2", "rfft2", "irfft2"])
def test_two_dimensional_transforms_with_shapes_and_swapped_dims(name):
    a = _real((4, 5, 6)) if name == "rfft2" else _complex((4, 5, 6))
    for s in (None, (4, 10)):
        _close(getattr(fg.fft, name)(fg.from_numpy(a), s, norm="ortho"), getattr(np.fft, name)(a, s, norm="ortho"))
        _close(getattr(fg.fft, name)(fg.from_numpy(a), s, (1, 0)), getattr(np.fft, name)(a, s, (1, 0)))


def test_ifft_of_a_real_signal_is_the_lazy_conjugate_of_its_spectrum():
    x = fg.tensor(_real(6), requires_grad=True)
    y = fg.fft.ifft(x)
    assert y.is_conj() and y.dtype == fg.complex128
    assert y.grad_fn.name() == "ConjBackward0" and _next_names(y) == ["FftR2CBackward0"]
    _close(y, np.fft.ifft(x.detach().numpy()))
    assert not fg.fft.fft(x).is_conj()
    assert fg.fft.ihfft(x).is_conj()


def test_ihfftn_result_is_a_physical_conjugate():
    x = fg.tensor(_real((3, 4)), requires_grad=True)
    y = fg.fft.ihfftn(x)
    assert not y.is_conj()
    assert y.grad_fn.name() == "FftC2CBackward0" and _next_names(y) == ["ConjPhysicalBackward0"]
    expected = np.fft.ifftn(x.detach().numpy())[:, :3]
    _close(y, expected)


@pytest.mark.parametrize("dtype, spectrum, inverse_real", [
    ("int8", "complex64", "float32"), ("bool", "complex64", "float32"), ("int64", "complex64", "float32"),
    ("float32", "complex64", "float32"), ("float64", "complex128", "float64"),
    ("complex64", "complex64", "float32"), ("complex128", "complex128", "float64"),
])
def test_type_promotion(dtype, spectrum, inverse_real):
    t = fg.ones(64, dtype=getattr(fg, dtype))
    assert fg.fft.fft(t).dtype == getattr(fg, spectrum)
    assert fg.fft.hfft(t).dtype == getattr(fg, inverse_real)
    assert fg.fft.fftn(t.reshape(8, 8)).dtype == getattr(fg, spectrum)
    if not t.dtype.is_complex:
        assert fg.fft.rfft(t).dtype == getattr(fg, spectrum)
        assert fg.fft.ihfftn(t.reshape(8, 8)).dtype == getattr(fg, spectrum)


def test_empty_transforms_refuse_their_data_points():
    for name in ["fft", "ifft", "rfft", "ihfft", "fft2", "ifft2", "rfft2", "ihfft2", "fftn", "rfftn", "ihfftn",
                 "irfft2", "irfftn", "hfft2", "hfftn"]:
        with pytest.raises(RuntimeError, match=r"^Invalid number of data points \(0\) specified$"):
            getattr(fg.fft, name)(fg.empty(1, 0))
    for name in ["irfft", "hfft"]:  # the one-dimensional ones check the output length first
        with pytest.raises(RuntimeError, match=r"^Invalid number of data points \(-2\) specified$"):
            getattr(fg.fft, name)(fg.empty(1, 0))
    for name in ["irfft", "irfft2", "irfftn", "hfft", "hfft2", "hfftn"]:
        with pytest.raises(RuntimeError, match=r"^Invalid number of data points \(0\) specified$"):
            getattr(fg.fft, name)(fg.empty(2, 1, dtype=fg.complex64))


def test_real_input_transforms_refuse_complex_first():
    c = fg.ones(4, 3, dtype=fg.complex64)
    for call in (lambda: fg.fft.rfftn(c, dim=(0, 0)), lambda: fg.fft.rfft2(c, s=(1,)), lambda: fg.fft.rfftn(c, dim=[])):
        with pytest.raises(RuntimeError, match=r"^rfftn expects a real-valued input tensor, but got ComplexFloat$"):
            call()
    with pytest.raises(RuntimeError, match=r"^rfft expects a real input tensor, but got ComplexFloat$"):
        fg.fft.rfft(c, dim=5)
    with pytest.raises(RuntimeError, match=r"^ihfft expects a real input tensor, but got ComplexDouble$"):
        fg.fft.ihfft(c.to(fg.complex128), n=0)
    with pytest.raises(RuntimeError, match=r"^rfft expects a real input tensor, but got ComplexHalf$"):
        fg.fft.rfft(fg.ones(4, dtype=fg.complex32))


def test_half_precision_is_refused_in_pytorchs_order():
    half = fg.ones(4, 4, dtype=fg.float16)
    for call in (lambda: fg.fft.fft(half, dim=5), lambda: fg.fft.rfft(half, norm="bad"),
                 lambda: fg.fft.ihfft(half, dim=5), lambda: fg.fft.rfftn(half, norm="bad"),
                 lambda: fg.fft.ihfft2(half.to(fg.bfloat16), norm="bad")):
        with pytest.raises(RuntimeError, match=r"^Unsupported dtype (Half|BFloat16)$"):
            call()
    chalf = fg.ones(4, 4, dtype=fg.complex32)
    for name in ("fft", "irfft", "hfft2", "ifftn"):  # the kernel's refusal comes after every check
        with pytest.raises(RuntimeError, match='^Invalid normalization mode: "bad"$'):
            getattr(fg.fft, name)(chalf, norm="bad")
        with pytest.raises(RuntimeError, match=r"^MKL FFT doesn't support tensors of type: Half$"):
            getattr(fg.fft, name)(chalf)
    with pytest.raises(IndexError, match="Dimension out of range"):
        fg.fft.fft(chalf, dim=5)
    with pytest.raises(RuntimeError, match=r"^Only supports floating-point dtypes, but found: ComplexHalf$"):
        fg.fft.ihfftn(chalf)


def test_ihfftn_checks_its_arguments_before_the_dtype():
    c = fg.ones(4, 3, dtype=fg.complex64)
    with pytest.raises(RuntimeError, match=r"^ihfftn must transform at least one axis$"):
        fg.fft.ihfft2(c, dim=[])
    with pytest.raises(RuntimeError, match=r"^Invalid number of data points \(0\) specified$"):
        fg.fft.ihfftn(c, s=(0, -1))
    with pytest.raises(RuntimeError, match='^Invalid normalization mode: "bad"$'):
        fg.fft.ihfftn(c, norm="bad")
    with pytest.raises(RuntimeError, match=r"^Only supports floating-point dtypes, but found: ComplexFloat$"):
        fg.fft.ihfftn(c)
    with pytest.raises(RuntimeError, match=r"^FFT dims must be unique$"):
        fg.fft.ihfftn(c, dim=(0, 0))


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn", "fft2", "ifft2", "rfft2", "irfft2"])
def test_n_dimensional_argument_refusals(name):
    f = getattr(fg.fft, name)
    a = fg.rand(10, 10, 10)
    with pytest.raises(RuntimeError, match="dims must be unique"):
        f(a, dim=(2, -1))
    with pytest.raises(RuntimeError, match="dim and shape .* same length"):
        f(a, s=(1,), dim=(0, 1))
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-3, 2\], but got 3\)"):
        f(a, dim=(2, 3))


def test_fftn_over_no_dims_is_a_complex_copy():
    a = RNG.standard_normal((3, 4)).astype(np.float32)
    for name in ["fftn", "ifftn", "fft2", "ifft2"]:
        out = getattr(fg.fft, name)(fg.from_numpy(a), dim=[])
        assert out.dtype == fg.complex64
        _close(out, a.astype(np.complex64), 0)


def test_round_trips():
    x = fg.tensor(_real((5, 6, 7)))
    for norm in NORMS:
        for forward, backward in [(fg.fft.fftn, fg.fft.ifftn), (fg.fft.rfftn, fg.fft.irfftn),
                                  (fg.fft.ihfftn, fg.fft.hfftn)]:
            y = backward(forward(x, s=x.shape, norm=norm), s=x.shape, norm=norm)
            _close(y.real if y.is_complex() else y, x.numpy())
        for forward, backward in [(fg.fft.rfft, fg.fft.irfft), (fg.fft.ihfft, fg.fft.hfft)]:
            _close(backward(forward(x, n=7, dim=-1, norm=norm), n=7, dim=-1, norm=norm), x.numpy())


def test_hfftn_of_a_half_spectrum():
    expect = _real((4, 5, 6))
    full = np.fft.ifftn(expect, norm="ortho")
    half = fg.from_numpy(full[..., :4].copy())
    _close(fg.fft.hfftn(half, s=[4, 5, 6], norm="ortho"), expect)


@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "ihfft", "fftn", "rfftn", "ihfftn", "fft2"])
def test_gradcheck_real_input(name):
    x = fg.tensor(_real((3, 4)), requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: getattr(fg.fft, name)(t), (x,))


@pytest.mark.parametrize("name", ["fft", "ifft", "irfft", "hfft", "fftn", "irfftn", "hfftn", "ifft2"])
def test_gradcheck_complex_input(name):
    z = fg.tensor(_complex((3, 4)), requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: getattr(fg.fft, name)(t), (z,))


# --- frequencies and shifts ------------------------------------------------------------


def test_frequencies_match_numpy():
    for n, d in itertools.product(range(1, 12), (None, 10.0)):
        args = (n,) if d is None else (n, d)
        for dtype in (fg.float32, fg.float64):
            _close(fg.fft.fftfreq(*args, dtype=dtype), np.fft.fftfreq(*args), 1e-6)
            _close(fg.fft.rfftfreq(*args, dtype=dtype), np.fft.rfftfreq(*args), 1e-6)


def test_frequencies_take_requires_grad():
    f = fg.fft.fftfreq(4, requires_grad=True)
    assert f.requires_grad and f.is_leaf and f.dtype == fg.float32
    assert fg.fft.rfftfreq(4, requires_grad=None).requires_grad is False
    with pytest.raises(TypeError, match=r"^fft_fftfreq\(\): argument 'requires_grad' must be bool, not int$"):
        fg.fft.fftfreq(3, requires_grad=3)


def test_frequencies_out_warns_when_resized():
    out = fg.empty((), dtype=fg.float64)
    with pytest.warns(UserWarning, match="out tensor will be resized"):
        fg.fft.fftfreq(n=100, d=0.5, out=out)
    _close(out, np.fft.fftfreq(100, 0.5))


def test_shifts_match_numpy_and_sort_the_frequencies():
    for shape, dim in [((11,), None), ((12,), 0), ((4, 5), (-1,)), ((6, 6), 0), ((1, 1, 4, 6, 7, 2), (3, 4))]:
        a = np.arange(math.prod(shape), dtype=np.float64).reshape(shape)
        assert fg.fft.fftshift(fg.from_numpy(a), dim=dim).tolist() == np.fft.fftshift(a, axes=dim).tolist()
        assert fg.fft.ifftshift(fg.from_numpy(a), dim=dim).tolist() == np.fft.ifftshift(a, axes=dim).tolist()
    for n in range(10, 15):
        shifted = fg.fft.fftshift(fg.fft.fftfreq(n, d=1 / n, dtype=fg.float64))
        assert shifted.tolist() == list(range(-(n // 2), n - n // 2))


# --- stft --------------------------------------------------------------------------------


def _frames_reference(x, n_fft, hop, window, onesided=True, normalized=False):
    count = 1 + (len(x) - n_fft) // hop
    frames = np.stack([x[i * hop:i * hop + n_fft] * window for i in range(count)])
    spec = (np.fft.rfft if onesided else np.fft.fft)(frames, axis=-1, norm="ortho" if normalized else None)
    return spec.T


@pytest.mark.parametrize("pad_mode, np_mode", [("constant", "constant"), ("reflect", "reflect"),
                                               ("replicate", "edge"), ("circular", "wrap")])
def test_stft_values_for_every_pad_mode(pad_mode, np_mode):
    x = _real(60)
    w = np.hanning(16)
    got = fg.stft(fg.tensor(x), 16, 4, window=fg.tensor(w), pad_mode=pad_mode, return_complex=True)
    _close(got, _frames_reference(np.pad(x, 8, mode=np_mode), 16, 4, w))
    got = fg.stft(fg.tensor(x), 16, 4, window=fg.tensor(w), pad_mode=pad_mode, normalized=True, onesided=False,
                  return_complex=True)
    _close(got, _frames_reference(np.pad(x, 8, mode=np_mode), 16, 4, w, onesided=False, normalized=True))


def test_stft_align_to_window_starts_frames_at_the_window():
    x = np.arange(1.0, 21.0)
    got = fg.stft(fg.tensor(x), 10, 1, win_length=6, window=fg.ones(6, dtype=fg.float64), center=False,
                  return_complex=True, align_to_window=True)
    assert got.shape == (6, 15)  # 1 + (20 - 6) // 1 frames
    assert got[0].real.tolist() == [float(sum(range(k + 1, k + 7))) for k in range(15)]
    plain = fg.stft(fg.tensor(x), 10, 1, win_length=6, window=fg.ones(6, dtype=fg.float64), center=False,
                    return_complex=True, align_to_window=False)
    assert plain.shape == (6, 11)
    for value in (True, False):
        with pytest.raises(RuntimeError, match=r"^stft align_to_window should only be set when center = false$"):
            fg.tensor(x).stft(10, center=True, return_complex=True, align_to_window=value)


def test_stft_refusals_name_the_whole_call():
    x = fg.ones(20)
    call = "stft({}.FloatTensor[20], n_fft={}, hop_length={}, win_length={}, window={}, normalized=0, "
    tail = "onesided=None, return_complex=1, align_to_window=None) : "
    cases = [
        ({"n_fft": 30}, call.format(MOD, 30, 7, 30, "None") + tail + "expected 0 < n_fft < 20, but got n_fft=30"),
        ({"n_fft": 8, "hop_length": 0}, call.format(MOD, 8, 0, 8, "None") + tail
         + "expected hop_length > 0, but got hop_length=0"),
        ({"n_fft": 8, "win_length": 9}, call.format(MOD, 8, 2, 9, "None") + tail
         + "expected 0 < win_length <= n_fft, but got win_length=9"),
        ({"n_fft": 8, "window": fg.ones(7)}, call.format(MOD, 8, 2, 8, f"{MOD}.FloatTensor{{[7]}}") + tail
         + "expected a 1D window tensor of size equal to win_length=8, but got window with size [7]"),
    ]
    for kwargs, message in cases:
        with pytest.raises(RuntimeError) as info:
            fg.stft(x, center=False, return_complex=True, **kwargs)
        assert str(info.value) == message
    with pytest.raises(RuntimeError) as info:  # the shape after the centre padding
        fg.stft(fg.ones(2, 2, 20), 8, return_complex=True)
    assert str(info.value).startswith(f"stft({MOD}.FloatTensor[2, 2, 28], n_fft=8, hop_length=2")
    assert str(info.value).endswith(" : expected a 1D or 2D tensor")
    with pytest.raises(RuntimeError) as info:
        fg.stft(fg.ones(20, dtype=fg.int32), 8, return_complex=True)
    assert str(info.value).startswith(f"stft({MOD}.IntTensor[28], n_fft=8")
    assert str(info.value).endswith(" : expected a tensor of floating point or complex values")
    with pytest.raises(RuntimeError) as info:
        fg.stft(fg.ones(20, dtype=fg.complex64), 8, hop_length=0, onesided=True, center=False)
    assert str(info.value).startswith("stft(CPUComplexFloatType[20], n_fft=8, hop_length=0")
    assert "onesided=1, return_complex=None" in str(info.value)


def test_stft_of_complex_input_or_window_is_two_sided():
    for x_dtype, w_dtype in itertools.product((fg.float64, fg.complex128), repeat=2):
        x, w = fg.rand(100, dtype=x_dtype), fg.rand(10, dtype=w_dtype)
        if x_dtype.is_complex or w_dtype.is_complex:
            with pytest.raises(RuntimeError, match=r"^Cannot have onesided output if window or input is complex$"):
                x.stft(10, window=w, pad_mode="constant", onesided=True, return_complex=True)
            y = x.stft(10, window=w, pad_mode="constant")
            assert y.dtype == fg.complex128 and y.shape == (10, 51)
        else:
            y = x.stft(10, window=w, pad_mode="constant", onesided=True, return_complex=True)
            assert y.dtype == fg.complex128 and y.shape == (6, 51)
    with pytest.raises(RuntimeError, match="stft requires the return_complex parameter"):
        fg.rand(100).stft(10, pad_mode="constant")
    real = fg.stft(fg.ones(20), 8, window=fg.ones(8, dtype=fg.complex128), return_complex=False, center=False)
    assert real.shape == (8, 7, 2) and real.dtype == fg.float64


def test_stft_gradients():
    x = fg.tensor(_real(30), requires_grad=True)
    w = fg.hann_window(8, periodic=False, dtype=fg.float64).requires_grad_()
    y = fg.stft(x, 8, 2, window=w, return_complex=True)
    assert y.grad_fn.name() == "SqueezeBackward4"
    assert fg.autograd.gradcheck(lambda a, b: fg.stft(a, 8, 2, window=b, return_complex=True), (x, w))


# --- istft -------------------------------------------------------------------------------


def _istft_call(shape, n_fft, hop, win, window, onesided="None", center=1, rc=0, kind="CPUComplexFloatType"):
    return (f"istft({kind}{shape}, n_fft={n_fft}, hop_length={hop}, win_length={win}, window={window}, "
            f"center={center}, normalized=0, onesided={onesided}, length=None, return_complex={rc})")


def test_istft_refusals_name_the_whole_call():
    spec = fg.ones(3, 5, dtype=fg.complex64)
    w1, w4 = f"{MOD}.FloatTensor{{[1]}}", f"{MOD}.FloatTensor{{[4]}}"
    cases = [
        (lambda: fg.istft(spec, 4, hop_length=20, win_length=1, window=fg.ones(1)),
         _istft_call([3, 5], 4, 20, 1, w1) + " : expected 0 < hop_length <= win_length"),
        (lambda: fg.istft(spec, 4, hop_length=1, win_length=1, window=fg.ones(2)),
         _istft_call([3, 5], 4, 1, 1, f"{MOD}.FloatTensor{{[2]}}")
         + " : Invalid window shape. window has to be 1D and length of `win_length`"),
        (lambda: fg.istft(spec, 4, win_length=4, window=fg.zeros(4)),
         _istft_call([3, 5], 4, 1, 4, w4) + " window overlap add min: 1\n[ CPUBoolType{} ]"),
        (lambda: fg.istft(fg.zeros(3, 0, dtype=fg.complex64), 2, window=fg.ones(2)),
         _istft_call([3, 0], 2, 0, 2, f"{MOD}.FloatTensor{{[2]}}") + " : input tensor cannot be empty."),
        (lambda: fg.istft(fg.ones(2, 2, 3, 5, dtype=fg.complex64), 4, window=fg.ones(4)),
         _istft_call([2, 2, 3, 5], 4, 1, 4, w4) + " : expected a tensor with 3 or 4 dimensions, but got 5"),
        (lambda: fg.istft(fg.ones(4, 5, dtype=fg.complex64), 8, window=fg.ones(8)),
         _istft_call([4, 5], 8, 2, 8, f"{MOD}.FloatTensor{{[8]}}") + " : expected the frequency dimension (3rd "
         "to the last) of the input tensor to match n_fft / 2 + 1 when onesided=True, but got 4"),
    ]
    for call, message in cases:
        with pytest.raises(RuntimeError) as info:
            call()
        assert str(info.value) == message
    with pytest.raises(RuntimeError, match=r"^Cannot have onesided output if window or input is complex$"):
        fg.istft(spec, 4, window=fg.ones(4), return_complex=True)
    with pytest.raises(RuntimeError, match=r"^Complex windows are incompatible with return_complex=False$"):
        fg.istft(fg.ones(4, 5, dtype=fg.complex64), 4, window=fg.ones(4, dtype=fg.complex64))
    with pytest.raises(RuntimeError, match="^istft requires a complex-valued input tensor"):
        fg.istft(fg.zeros(3, 5, 2), 4, window=fg.ones(4))
    with pytest.raises(RuntimeError, match=r"^min\(\): Expected reduction dim to be specified for input.numel\(\) == 0"):
        fg.istft(spec, 4, window=fg.ones(4), length=0)
    with pytest.raises(TypeError, match=r"^istft\(\): argument 'normalized' must be bool, not NoneType$"):
        fg.istft(spec, 4, window=fg.ones(4), normalized=None)


@pytest.mark.parametrize("kwargs", [
    {"n_fft": 12, "hop_length": 4, "win_length": 12, "window": "hann", "center": True, "pad_mode": "reflect", "normalized": True,
         "onesided": True},
    {"n_fft": 12, "hop_length": 2, "win_length": 8, "window": "hann", "center": True, "pad_mode": "reflect", "normalized": False,
         "onesided": False},
    {"n_fft": 15, "hop_length": 3, "win_length": 11, "window": "hamming", "center": True, "pad_mode": "constant",
         "normalized": True, "onesided": False},
    {"n_fft": 5, "hop_length": 2, "win_length": 5, "window": "hamming", "center": True, "pad_mode": "constant",
         "normalized": False, "onesided": True},
])
def test_istft_inverts_stft(kwargs):
    kwargs = dict(kwargs)
    kwargs["window"] = getattr(fg, kwargs["window"] + "_window")(kwargs["win_length"], dtype=fg.float64)
    inverse_kwargs = {k: v for k, v in kwargs.items() if k != "pad_mode"}
    for sizes in [(2, 20), (3, 15), (4, 10)]:
        original = fg.tensor(_real(sizes))
        spectrum = fg.stft(original, return_complex=True, **kwargs)
        _close(fg.istft(spectrum, length=sizes[1], **inverse_kwargs), original.numpy(), 1e-7)


def test_complex_round_trip_with_a_complex_window():
    for cplx, pad_mode in itertools.product((False, True), ("constant", "reflect", "replicate", "circular")):
        x = fg.tensor(_complex((3, 60)) if cplx else _real((3, 60)))
        window = fg.tensor(RNG.random(27) + 1j * RNG.random(27))
        spectrum = fg.stft(x, 27, 10, window=window, pad_mode=pad_mode, normalized=True)
        assert spectrum.dtype == fg.complex128 and spectrum.shape[-2] == 27
        back = fg.istft(spectrum, 27, 10, window=window, normalized=True, length=60, return_complex=True)
        _close(back, x.numpy().astype(np.complex128), 1e-7)


def test_istft_of_sine():
    for amplitude, L, n in [(123, 5, 1), (150, 5, 2), (111, 5, 3), (160, 7, 4), (99, 10, 7)]:
        spectrum = np.zeros((L // 2 + 1, 2), dtype=np.complex128)
        if n < spectrum.shape[0]:
            spectrum[n] = -1j * amplitude * L / 2
        if 0 <= L - n < spectrum.shape[0]:
            spectrum[L - n] = 1j * amplitude * L / 2
        inverse = fg.istft(fg.from_numpy(spectrum), L, hop_length=L, win_length=L,
                           window=fg.ones(L, dtype=fg.float64), center=False)
        t = np.arange(inverse.shape[-1])
        _close(inverse, amplitude * np.sin(2 * np.pi / L * t * n), 1e-3)


def test_istft_shapes_dtypes_and_linearity():
    original = fg.tensor([[4.0, 4.0, 4.0, 4.0, 4.0], [0.0] * 5, [0.0] * 5], dtype=fg.complex64)
    single = fg.istft(original, n_fft=4, length=4, window=fg.ones(4))
    _close(single, [1.0, 1.0, 1.0, 1.0], 1e-6)
    assert single.dtype == fg.float32
    assert fg.istft(original.repeat(4, 1, 1), n_fft=4, length=4, window=fg.ones(4)).shape == (4, 4)
    assert fg.istft(original, 4, window=fg.ones(4, dtype=fg.int64)).dtype == fg.float32
    a, b = fg.tensor(_complex((7, 7))), fg.tensor(_complex((7, 7)))
    window = fg.hann_window(12, dtype=fg.float64)
    lhs = fg.istft(2 * a + 3 * b, 12, window=window)
    _close(lhs, (2 * a.istft(12, window=window) + 3 * b.istft(12, window=window)).numpy())


def test_stft_and_istft_warn_once_a_process():
    script = (
        "import warnings\n"
        f"import {MOD} as m\n"
        "import numpy as np\n"
        "warnings.simplefilter('always')\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    for _ in range(2):\n"
        "        m.stft(m.ones(20), 8, return_complex=False)\n"
        "        m.istft(m.ones(5, 3, dtype=m.complex64), 8)\n"
        "        m.istft(m.ones(3, 5, dtype=m.complex64), 4, window=m.ones(4), length=50)\n"
        "        a = np.zeros(2)\n"
        "        a.flags['WRITEABLE'] = False\n"
        "        m.from_numpy(a)\n"
        "        m.tensor([np.array([0]), np.array([1])])\n"
        "for x in w:\n"
        "    print(str(x.message).split('.')[0])\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True).stdout
    assert out.splitlines() == [
        "A window was not provided",
        "stft with return_complex=False is deprecated",
        "A window was not provided",
        "The length of signal is shorter than the length parameter",
        "The given NumPy array is not writable, and PyTorch does not support non-writable tensors",
        "Creating a tensor from a list of numpy",
    ]


# --- window functions --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["hann_window", "hamming_window", "blackman_window", "bartlett_window",
                                  "kaiser_window"])
def test_windows_of_complex_dtype_reach_arange(name):
    f = getattr(fg, name)
    assert f(0, dtype=fg.complex64).shape == (0,)
    one = f(1, dtype=fg.complex64)
    assert one.dtype == fg.complex64 and one.tolist() == [1 + 0j]
    with pytest.raises(NotImplementedError, match=r"^\"arange_cpu\" not implemented for 'ComplexFloat'$"):
        f(3, dtype=fg.complex64)
    with pytest.raises(RuntimeError, match="requires non-negative window_length, got window_length=-1"):
        f(-1, dtype=fg.complex64)


def test_windows_refuse_the_sparse_layout():
    tail = "device=cpu, layout=Sparse, requires_grad=false (default), pinned_memory=false, memory_format=(nullopt))"
    with pytest.raises(RuntimeError) as info:
        fg.hann_window(3, layout=fg.sparse_coo)
    assert str(info.value) == f"hann_window is not implemented for sparse types, got: TensorOptions(dtype=float (default), {tail}"
    with pytest.raises(RuntimeError) as info:
        fg.kaiser_window(-3, layout=fg.sparse_coo)
    assert str(info.value) == f"kaiser_window is not implemented for sparse types, got: TensorOptions(dtype=float, {tail}"
    with pytest.raises(RuntimeError) as info:
        fg.bartlett_window(3, dtype=fg.float64, layout=fg.sparse_coo)
    assert str(info.value) == f"bartlett_window is not implemented for sparse types, got: TensorOptions(dtype=double, {tail}"
    with pytest.raises(RuntimeError, match=r"dtype=long int, device=cpu, layout=Strided, requires_grad=false \(default\), "
                                           r"pinned_memory=true"):
        fg.blackman_window(3, dtype=fg.int64, layout=fg.strided, pin_memory=True)


def test_window_keywords_need_their_overload():
    with pytest.raises(TypeError, match=r"^hamming_window\(\) received an invalid combination of arguments - got "
                                        r"\(int, alpha=float\)"):
        fg.hamming_window(6, alpha=0.5)
    with pytest.raises(TypeError, match=r"^kaiser_window\(\) received an invalid combination of arguments - got "
                                        r"\(int, beta=float\)"):
        fg.kaiser_window(6, beta=3.0)
    _close(fg.kaiser_window(6, False, beta=3.0, dtype=fg.float64), np.kaiser(6, 3.0), 1e-12)
    _close(fg.hamming_window(6, False, alpha=0.5, beta=0.5, dtype=fg.float64), np.hanning(6), 1e-12)


def test_windows_match_numpy():
    for n in (1, 2, 5, 8):
        _close(fg.hann_window(n, False, dtype=fg.float64), np.hanning(n), 1e-12)
        _close(fg.hamming_window(n, False, dtype=fg.float64), np.hamming(n), 1e-12)
        _close(fg.blackman_window(n, False, dtype=fg.float64), np.blackman(n), 1e-12)
        _close(fg.bartlett_window(n, False, dtype=fg.float64), np.bartlett(n), 1e-12)
        _close(fg.kaiser_window(n, False, 12.0, dtype=fg.float64), np.kaiser(n, 12.0), 1e-12)
        periodic = np.hanning(n + 1)[:-1] if n > 1 else np.ones(1)  # one point is always 1
        _close(fg.hann_window(n, dtype=fg.float64), periodic, 1e-12)
        _close(fg.signal.windows.hann(n, dtype=fg.float64), np.hanning(n), 1e-12)
        _close(fg.signal.windows.kaiser(n, beta=5.0, dtype=fg.float64), np.kaiser(n, 5.0), 1e-12)
        _close(fg.signal.windows.gaussian(n, std=2.0, dtype=fg.float64),
               np.exp(-0.5 * ((np.arange(n) - (n - 1) / 2) / 2.0) ** 2), 1e-12)


# --- NumPy interop -----------------------------------------------------------------------


def test_from_numpy_of_every_dtype():
    for dtype in [np.float64, np.float32, np.float16, np.complex64, np.complex128, np.int64, np.int32, np.int16,
                  np.int8, np.uint8, np.uint16, np.uint32, np.uint64, np.bool_]:
        array = np.array([1, 2, 3, 4], dtype=dtype)
        t = fg.from_numpy(array)
        assert t.dtype == getattr(fg, np.dtype(dtype).name)
        assert t.tolist() == array.tolist()
        if dtype not in (np.complex64, np.complex128):
            assert fg.from_numpy(array % 2).tolist() == (array % 2).tolist()
    with pytest.raises(TypeError, match=r"^can't convert np.ndarray of type numpy.str_\. The only supported types "
                                        r"are: float64, float32, float16, complex64, complex128, int64, int32, int16, "
                                        r"int8, uint64, uint32, uint16, uint8, and bool\.$"):
        fg.from_numpy(np.array(["foo", "bar"]))
    with pytest.raises(TypeError, match=r"^expected np.ndarray \(got numpy.float64\)$"):
        fg.from_numpy(np.float64(1.0))
    with pytest.raises(TypeError, match=r"^expected np.ndarray \(got list\)$"):
        fg.from_numpy([1.0])


def test_from_numpy_strides_offsets_and_empty_arrays():
    x = np.linspace(1, 125, 125).reshape(5, 5, 5)
    assert fg.from_numpy(x[1]).tolist() == x[1].tolist()
    holes = fg.from_numpy(x[:, 1])
    assert holes.stride() == (25, 1) and holes.storage_offset() == 0 and holes.tolist() == x[:, 1].tolist()
    assert fg.from_numpy(x[0].T).stride() == (1, 5)
    assert fg.from_numpy(np.zeros((0, 2))).shape == (0, 2)
    assert fg.from_numpy(np.zeros((2, 0))).shape == (2, 0)
    bad = np.array([3.0, 5.0, 8.0])
    bad.strides = (3,)
    with pytest.raises(ValueError, match="strides not a multiple of the element byte size"):
        fg.from_numpy(bad)
    with pytest.raises(ValueError, match="At least one stride in the given numpy array is negative"):
        fg.from_numpy(x[0][::-1])


def test_foreign_byte_order_and_unsupported_types_are_refused():
    swapped = np.array([1, 2, 3], dtype=">i4")
    for make in (fg.from_numpy, fg.tensor, fg.as_tensor):
        with pytest.raises(ValueError, match=r"^given numpy array has byte order different from the native byte "
                                             r"order\. Conversion between byte orders is currently not supported\.$"):
            make(swapped)
    assert fg.tensor([swapped]).tolist() == [[1, 2, 3]]  # a list of arrays is read element by element
    for kind, name in ((np.longdouble, "longdouble"), (np.clongdouble, "clongdouble")):
        for make in (fg.tensor, fg.as_tensor):
            with pytest.raises(TypeError, match=rf"^can't convert np.ndarray of type numpy.{name}\."):
                make(np.array([1, 2], dtype=kind))


def test_storages_shared_with_numpy_cannot_grow():
    x = fg.from_numpy(np.zeros(4))
    with pytest.raises(RuntimeError, match=r"^Trying to resize storage that is not resizable$"):
        x.resize_(10)
    assert x.resize_(2).shape == (2,)
    z = fg.randn(5, 5)
    w = z.numpy()
    with pytest.raises(RuntimeError, match=r"^Trying to resize storage that is not resizable$"):
        z.resize_(10, 10)
    with pytest.raises(ValueError, match="cannot resize this array"):
        w.resize((10, 10))
    fresh = fg.randn(5, 5)
    assert fresh.resize_(10, 10).shape == (10, 10)


def test_numpy_method_arguments():
    t = fg.ones(2)
    with pytest.raises(TypeError, match=r"^numpy\(\) takes 0 positional arguments but 1 was given$"):
        t.numpy(True)
    with pytest.raises(TypeError, match=r"^numpy\(\) takes 0 positional arguments but 2 were given$"):
        t.numpy(1, 2)
    with pytest.raises(TypeError, match=r"^numpy\(\) got an unexpected keyword argument 'forcee'$"):
        t.numpy(forcee=True)
    with pytest.raises(TypeError, match=r"__array__\(\) got an unexpected keyword argument 'copy'"):
        t.__array__(copy=True)
    assert t.__array__(np.int32).dtype == np.int32


def test_numpy_force_argument():
    data = [[1 + 2j, -2 + 3j], [-1 - 2j, 3 - 2j]]
    for requires_grad, conj in itertools.product((False, True), repeat=2):
        x = fg.tensor(data, requires_grad=requires_grad)
        if conj:
            x = x.conj()
        expected = np.conj(np.array(data)) if conj else np.array(data)
        assert x.numpy(force=True).tolist() == expected.tolist()
        if requires_grad or conj:
            with pytest.raises(RuntimeError, match=r"Use (t|T)ensor\..*(\.numpy\(\))?"):
                x.numpy()
            with pytest.raises(RuntimeError, match=r"Use (t|T)ensor\..*(\.numpy\(\))?"):
                x.numpy(force=False)
        else:
            assert x.numpy().tolist() == expected.tolist()


def test_to_numpy_shares_memory_and_keeps_layout():
    for dtype in [fg.uint8, fg.int8, fg.int16, fg.int32, fg.float16, fg.float32, fg.float64, fg.int64, fg.bool]:
        base = fg.arange(30).reshape(6, 5).to(dtype)
        x = base.narrow(0, 2, 3)
        y = x.numpy()
        assert y.tolist() == x.tolist() and y.flags["C_CONTIGUOUS"] and x.storage_offset() == 10
        assert not base.t().numpy().flags["C_CONTIGUOUS"]
        assert base.numpy()[::2, ::2].tolist() == base[::2, ::2].tolist()
        if dtype not in (fg.float16, fg.bool):
            y = base.t().numpy()
            y[0][1] = 3
            assert base[1][0].item() == 3
    assert fg.tensor([]).numpy().size == 0
    assert fg.tensor([True, False]).numpy().dtype == np.bool_
    with pytest.raises(TypeError, match=r"^Got unsupported ScalarType BFloat16$"):
        fg.ones(2, dtype=fg.bfloat16).numpy()


def test_array_interface_and_wrap():
    types = [fg.DoubleTensor, fg.FloatTensor, fg.LongTensor, fg.IntTensor, fg.ShortTensor, fg.ByteTensor]
    dtypes = [np.float64, np.float32, np.int64, np.int32, np.int16, np.uint8]
    for tp, dtype in zip(types, dtypes):
        values = [1, 2, 3, 4] if np.dtype(dtype).kind == "u" else [1, -2, 3, -4]
        x = fg.tensor(values).type(tp)
        asarray = np.asarray(x)
        assert isinstance(asarray, np.ndarray) and asarray.dtype == dtype and asarray.tolist() == values
        absolute = np.abs(x)
        assert isinstance(absolute, tp) and absolute.tolist() == np.abs(np.array(values, dtype=dtype)).tolist()
        at_least_two = np.greater_equal(x, 2)
        assert isinstance(at_least_two, fg.ByteTensor)
        assert at_least_two.tolist() == [int(v >= 2) for v in values]
    x = fg.IntTensor([1, -2, 3, -4])
    for dtype in dtypes:
        assert np.asarray(x, dtype=dtype).tolist() == np.array([1, -2, 3, -4]).astype(dtype).tolist()
    for tp, dtype in [(fg.DoubleTensor, np.float64), (fg.FloatTensor, np.float32)]:
        x = fg.tensor([1, 2, 3, 4]).type(tp)
        for func in ("sin", "sqrt", "ceil"):
            result = getattr(np, func)(x)
            assert isinstance(result, tp)
            np.testing.assert_allclose(result.numpy(), getattr(np, func)(np.array([1, 2, 3, 4], dtype=dtype)), 1e-6)
    with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that requires grad"):
        np.sin(fg.ones(2, requires_grad=True))


def test_numpy_scalars_as_arguments():
    for np_dtype in [np.float32, np.float64, np.int32, np.int64, np.int16, np.uint8]:
        for t_dtype in [fg.float32, fg.float64]:
            scalar = np_dtype(2.0)
            t = fg.ones(2, requires_grad=True, dtype=t_dtype)
            for result in (t * scalar, scalar * t):
                assert isinstance(result, fg.Tensor) and result.dtype == t_dtype
                assert result.requires_grad and result.grad_fn.name() == "MulBackward0"
                assert result.tolist() == [2.0, 2.0]
    for nptype in [np.int16, np.int8, np.uint8, np.int32, np.int64]:
        value = np.array([3], dtype=nptype)[0]
        assert fg.ones(5).diag(value).tolist() == fg.ones(5).diag(3).tolist()
        assert fg.ones(2, 2, 2, 2).mean(value).shape == (2, 2, 2)
        assert fg.Storage(value).size() == 3
        t = fg.tensor([2], dtype=fg.int32)
        t[0] = value
        assert t.tolist() == [3]
        t = fg.from_numpy(np.array([3], dtype=nptype))
        assert (t + value).dtype == t.dtype and (value + t).dtype == t.dtype


def test_numpy_ints_past_int64():
    with pytest.raises(ValueError, match=r"^Overflow when unpacking long long$"):
        fg.mean(fg.randn(1, 1), np.uint64(2**64 - 1))
    with pytest.raises(ValueError, match=r"^Overflow when unpacking long long$"):
        fg.ones(2).diag(np.uint64(2**64 - 1))
    with pytest.raises(TypeError, match=r"^mean\(\): argument 'dim' failed to unpack the object at pos 1 with error "
                                        r"\"Overflow when unpacking long long"):
        fg.ones(2, 2).mean((np.uint64(2**64 - 1),))


def test_numpy_scalars_are_not_written_into_uint64():
    for call in (lambda: fg.tensor(np.uint64(3)), lambda: fg.tensor([np.uint64(3), np.uint64(2)]),
                 lambda: fg.tensor([np.uint32(3)], dtype=fg.uint64), lambda: fg.as_tensor(np.uint64(3))):
        with pytest.raises(TypeError, match=r"^an integer is required$"):
            call()
    assert fg.tensor(np.uint64(3), dtype=fg.int64).tolist() == 3
    assert fg.tensor(np.array(np.uint64(3))).dtype == fg.uint64
    assert fg.tensor([np.uint32(3)]).dtype == fg.uint32


def test_numpy_scalar_comparisons():
    for dtype in [fg.uint8, fg.int32, fg.float16, fg.float64, fg.bool, fg.complex128]:
        values = [1 + 3j, 0, 2j] if dtype.is_complex else [1, 0, 3]
        tensor = fg.tensor(values, dtype=dtype)
        array = tensor.numpy()
        for t, a in itertools.product((tensor[0], tensor[0].item()), (array[0], array[0].item())):
            assert bool(t == a) and bool(a == t)
    a = fg.tensor([[1, 0, 3], [2, 2, 0]])
    b = a.clone()
    b[1][2] += 1
    expected = [[True, True, True], [True, True, False]]
    assert (a == b.numpy()).tolist() == expected and isinstance(a == b.numpy(), fg.Tensor)
    assert (b.numpy() == a).tolist() == expected


def test_ctor_with_numpy_arrays_and_scalars():
    assert fg.tensor([np.array([0]), np.array([1])]).tolist() == [[0], [1]]
    with pytest.raises(ValueError, match="expected sequence of length"):
        fg.tensor([RNG.random((3, 3)), RNG.random((3, 0))])
    with pytest.raises(ValueError, match="expected sequence of length"):
        fg.tensor([[1, 2, 3], RNG.random(2)])
    with pytest.raises(TypeError, match="not a sequence"):
        fg.tensor([[RNG.random(3), np.float64(1.0)]])
    for dtype in [np.float64, np.float16, np.int64, np.int32, np.int16, np.uint8, np.bool_]:
        assert fg.tensor(dtype(42)).item() == dtype(42)
    x = fg.rand((), dtype=fg.float16)
    y = fg.tensor(RNG.random(0), dtype=fg.float16)
    assert fg.true_divide(x, y).shape == (0,) and fg.mul(x, y).shape == (0,)
    assert fg.div(x, y, rounding_mode="floor").shape == (0,)

