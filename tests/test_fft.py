"""`fft` module: values against numpy.fft, shapes and dtypes, `n`/`s`/`dim`/`norm`,
errors, gradients (gradcheck) and node names as PyTorch 2.13."""

import numpy as np
import pytest
from backend import fg

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 8))
Z = RNG.standard_normal((3, 8)) + 1j * RNG.standard_normal((3, 8))
NORMS = [None, "backward", "ortho", "forward"]


def close(t, expected, tol=1e-10):
    np.testing.assert_allclose(t.detach().resolve_conj().numpy(), expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("norm", NORMS)
def test_one_dimensional_transforms(norm):
    x, z = fg.tensor(X), fg.tensor(Z)
    close(fg.fft.fft(x, norm=norm), np.fft.fft(X, norm=norm))
    close(fg.fft.fft(z, norm=norm), np.fft.fft(Z, norm=norm))
    close(fg.fft.ifft(z, norm=norm), np.fft.ifft(Z, norm=norm))
    close(fg.fft.ifft(x, norm=norm), np.fft.ifft(X, norm=norm))
    close(fg.fft.rfft(x, norm=norm), np.fft.rfft(X, norm=norm))
    close(fg.fft.irfft(z, norm=norm), np.fft.irfft(Z, norm=norm))
    close(fg.fft.hfft(z, norm=norm), np.fft.hfft(Z, norm=norm))
    close(fg.fft.ihfft(x, norm=norm), np.fft.ihfft(X, norm=norm))


def test_lengths_and_dims():
    x, z = fg.tensor(X), fg.tensor(Z)
    close(fg.fft.fft(z, n=5), np.fft.fft(Z, n=5))
    close(fg.fft.fft(z, n=11, dim=0), np.fft.fft(Z, n=11, axis=0))
    close(fg.fft.rfft(x, n=7), np.fft.rfft(X, n=7))
    close(fg.fft.irfft(z, n=9), np.fft.irfft(Z, n=9))
    close(fg.fft.irfft(z, dim=0), np.fft.irfft(Z, axis=0))
    close(fg.fft.hfft(z, n=5), np.fft.hfft(Z, n=5))
    assert fg.fft.irfft(z).shape == (3, 14)
    assert fg.fft.rfft(x).shape == (3, 5)


@pytest.mark.parametrize("norm", NORMS)
def test_multi_dimensional_transforms(norm):
    x, z = fg.tensor(X), fg.tensor(Z)
    close(fg.fft.fft2(z, norm=norm), np.fft.fft2(Z, norm=norm))
    close(fg.fft.ifft2(z, norm=norm), np.fft.ifft2(Z, norm=norm))
    close(fg.fft.fftn(z, norm=norm), np.fft.fftn(Z, norm=norm))
    close(fg.fft.ifftn(z, norm=norm), np.fft.ifftn(Z, norm=norm))
    close(fg.fft.rfft2(x, norm=norm), np.fft.rfft2(X, norm=norm))
    close(fg.fft.rfftn(x, norm=norm), np.fft.rfftn(X, norm=norm))
    close(fg.fft.irfft2(z, norm=norm), np.fft.irfft2(Z, norm=norm))
    close(fg.fft.irfftn(z, norm=norm), np.fft.irfftn(Z, norm=norm))
    close(fg.fft.fftn(z, s=(4, 6)), np.fft.fftn(Z, s=(4, 6), axes=(0, 1)))
    close(fg.fft.rfftn(x, s=(2, 5), dim=(0, 1)), np.fft.rfftn(X, s=(2, 5), axes=(0, 1)))
    close(fg.fft.irfftn(z, s=(3, 6)), np.fft.irfftn(Z, s=(3, 6), axes=(0, 1)))


def test_dtypes():
    x32 = fg.tensor(X, dtype=fg.float32)
    assert fg.fft.fft(x32).dtype == fg.complex64
    assert fg.fft.rfft(x32).dtype == fg.complex64
    assert fg.fft.irfft(fg.fft.rfft(x32)).dtype == fg.float32
    assert fg.fft.fft(fg.tensor(X)).dtype == fg.complex128
    assert fg.fft.fft(fg.tensor([1, 2, 3])).dtype == fg.complex64
    close(fg.fft.fft(x32), np.fft.fft(X.astype(np.float32)), 1e-4)


def test_frequencies_and_shifts():
    close(fg.fft.fftfreq(5), np.fft.fftfreq(5), 1e-7)
    close(fg.fft.fftfreq(4, 0.5), np.fft.fftfreq(4, 0.5), 1e-7)
    close(fg.fft.rfftfreq(5), np.fft.rfftfreq(5), 1e-7)
    assert fg.fft.fftfreq(4).dtype == fg.float32
    assert fg.fft.fftfreq(4, dtype=fg.float64).dtype == fg.float64
    x, z = fg.tensor(X), fg.tensor(Z)
    close(fg.fft.fftshift(x), np.fft.fftshift(X))
    close(fg.fft.ifftshift(z), np.fft.ifftshift(Z))
    close(fg.fft.fftshift(z, dim=1), np.fft.fftshift(Z, axes=1))
    close(fg.fft.ifftshift(x, dim=(0,)), np.fft.ifftshift(X, axes=(0,)))


def test_errors():
    x, z = fg.tensor(X), fg.tensor(Z)
    with pytest.raises(RuntimeError, match="rfft expects a real input tensor, but got ComplexDouble"):
        fg.fft.rfft(z)
    with pytest.raises(RuntimeError, match='Invalid normalization mode: "bad"'):
        fg.fft.fft(x, norm="bad")
    with pytest.raises(RuntimeError, match=r"Invalid number of data points \(0\) specified"):
        fg.fft.fft(x, n=0)
    with pytest.raises(IndexError, match="Dimension out of range"):
        fg.fft.fft(x, dim=3)


def test_grad_fn_names():
    x = fg.tensor(X, requires_grad=True)
    z = fg.tensor(Z, requires_grad=True)
    assert type(fg.fft.fft(x).grad_fn).__name__ == "FftR2CBackward0"
    assert type(fg.fft.rfft(x).grad_fn).__name__ == "FftR2CBackward0"
    assert type(fg.fft.fft(z).grad_fn).__name__ == "FftC2CBackward0"
    assert type(fg.fft.ifft(z).grad_fn).__name__ == "FftC2CBackward0"
    assert type(fg.fft.irfft(z).grad_fn).__name__ == "FftC2RBackward0"
    assert type(fg.fft.hfft(z).grad_fn).__name__ == "FftC2RBackward0"
    assert type(fg.fft.ifft(x).grad_fn).__name__ == "ConjBackward0"
    assert type(fg.fft.ihfft(x).grad_fn).__name__ == "ConjBackward0"


def xleaf(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return fg.tensor(rng.standard_normal(shape), requires_grad=True)


def zleaf(*shape, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    return fg.tensor(v, requires_grad=True)


REAL_INPUT = {
    "fft": lambda x: fg.fft.fft(x),
    "fft_n_ortho": lambda x: fg.fft.fft(x, n=7, norm="ortho"),
    "ifft": lambda x: fg.fft.ifft(x),
    "rfft": lambda x: fg.fft.rfft(x),
    "rfft_odd_forward": lambda x: fg.fft.rfft(x, n=5, norm="forward"),
    "rfft2": lambda x: fg.fft.rfft2(x),
    "rfftn_dim0": lambda x: fg.fft.rfftn(x, dim=(1, 0)),
    "ihfft": lambda x: fg.fft.ihfft(x),
}

COMPLEX_INPUT = {
    "fft": lambda z: fg.fft.fft(z),
    "ifft_ortho": lambda z: fg.fft.ifft(z, norm="ortho"),
    "fft2": lambda z: fg.fft.fft2(z),
    "ifftn_s": lambda z: fg.fft.ifftn(z, s=(2, 7)),
    "irfft": lambda z: fg.fft.irfft(z),
    "irfft_odd": lambda z: fg.fft.irfft(z, n=7),
    "irfft_dim0": lambda z: fg.fft.irfft(z, dim=0, norm="forward"),
    "irfft2": lambda z: fg.fft.irfft2(z),
    "hfft": lambda z: fg.fft.hfft(z),
    "fftshift": lambda z: fg.fft.fftshift(z),
}


@pytest.mark.parametrize("name", sorted(REAL_INPUT))
def test_gradcheck_real_input(name):
    assert fg.autograd.gradcheck(REAL_INPUT[name], (xleaf(3, 6, seed=1),))


@pytest.mark.parametrize("name", sorted(COMPLEX_INPUT))
def test_gradcheck_complex_input(name):
    assert fg.autograd.gradcheck(COMPLEX_INPUT[name], (zleaf(3, 5, seed=2),))


def test_gradient_of_rfft_power_matches_torch():
    x = fg.tensor([1.0, -2.0, 0.5, 3.0], dtype=fg.float64, requires_grad=True)
    fg.fft.rfft(x).abs().pow(2).sum().backward()
    # recorded from PyTorch 2.13 (the adjoint of the one-sided transform: zero-padded
    # spectrum, inverse transform, real part)
    np.testing.assert_allclose(x.grad.numpy(), [7.0, -6.0, 5.0, 14.0], rtol=1e-12)


# ---- stft -------------------------------------------------------------------------------


def stft_reference(x, n_fft, hop, window, center=True, onesided=True, normalized=False):
    """NumPy: reflect-padded frames, windowed, transformed; (freq, frames)."""
    if center:
        x = np.pad(x, n_fft // 2, mode="reflect")
    n = 1 + (len(x) - n_fft) // hop
    frames = np.stack([x[i * hop : i * hop + n_fft] * window for i in range(n)])
    spec = np.fft.rfft(frames, axis=-1) if onesided else np.fft.fft(frames, axis=-1)
    if normalized:
        spec = spec / np.sqrt(n_fft)
    return spec.T


def test_stft_values_and_shapes(monkeypatch):
    monkeypatch.setattr("ferrograd._stft._warned_real_result", False)  # PyTorch warns once a process
    sig = RNG.standard_normal(20)
    win = np.hanning(10)[1:-1]  # any 8-sample window
    x, w = fg.tensor(sig), fg.tensor(win)
    s = fg.stft(x, 8, hop_length=2, window=w, return_complex=True)
    assert s.shape == (5, 11) and s.dtype == fg.complex128
    close(s, stft_reference(sig, 8, 2, win))
    close(x.stft(8, hop_length=3, window=w, center=False, return_complex=True),
          stft_reference(sig, 8, 3, win, center=False))
    close(fg.stft(x, 8, hop_length=2, window=w, onesided=False, normalized=True, return_complex=True),
          stft_reference(sig, 8, 2, win, onesided=False, normalized=True))
    batch = fg.stft(fg.stack([x, 2 * x]), 8, hop_length=2, window=w, return_complex=True)
    assert batch.shape == (2, 5, 11)
    close(batch[1], 2 * stft_reference(sig, 8, 2, win))
    with pytest.warns(UserWarning, match="return_complex=False is deprecated"):
        real = fg.stft(x, 8, hop_length=2, window=w, return_complex=False)
    assert real.shape == (5, 11, 2) and real.dtype == fg.float64


def test_stft_errors_and_gradient(monkeypatch):
    monkeypatch.setattr("ferrograd._stft._warned_no_window", False)  # PyTorch warns once a process
    x = fg.tensor(RNG.standard_normal(16), requires_grad=True)
    w = fg.tensor(np.hanning(8))
    with pytest.raises(RuntimeError, match="return_complex parameter be given"):
        fg.stft(x, 8, window=w)
    with pytest.warns(UserWarning, match="A window was not provided"):
        fg.stft(x, 8, return_complex=True)
    s = fg.stft(x, 8, hop_length=2, window=w, return_complex=True)
    assert type(s.grad_fn).__name__ == "SqueezeBackward4"
    assert fg.autograd.gradcheck(
        lambda t: fg.stft(t, 8, hop_length=3, window=w, return_complex=True), (x,)
    )
