"""`out=` is written, not ignored, by the fft family and the older LAPACK-style functions
(geqrf, ormqr, lu_solve, lu_unpack); dtype rules as PyTorch's."""

import numpy as np
import pytest
from backend import fg

A = np.array([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0], [0.0, 1.5, 4.0]], dtype=np.float32)
B = np.array([[1.0, 0.0], [-2.0, 1.0], [0.5, 3.0]], dtype=np.float32)


@pytest.mark.parametrize(
    "name, reference, out_dtype",
    [
        ("fft", np.fft.fft, "complex64"),
        ("fft2", np.fft.fft2, "complex128"),
        ("rfft", np.fft.rfft, "complex64"),
        ("ifftn", np.fft.ifftn, "complex64"),
    ],
)
def test_fft_writes_out(name, reference, out_dtype):
    out = fg.empty(0, dtype=getattr(fg, out_dtype))
    result = getattr(fg.fft, name)(fg.tensor(A), out=out)
    assert result is out
    assert out.dtype == getattr(fg, out_dtype)
    np.testing.assert_allclose(out.numpy(), reference(A), rtol=1e-5, atol=1e-5)


def test_irfft_writes_a_real_out_and_refuses_a_real_result_into_complex():
    spectrum = fg.fft.rfft(fg.tensor(A))
    out = fg.empty(0)
    fg.fft.irfft(spectrum, out=out)
    np.testing.assert_allclose(out.numpy(), np.fft.irfft(np.fft.rfft(A)), rtol=1e-5, atol=1e-5)
    with pytest.raises(RuntimeError):  # a complex result cannot go into float32
        fg.fft.fft(fg.tensor(A), out=fg.empty(0))


def _lu():
    return fg.linalg.lu_factor(fg.tensor(A))


def test_lu_solve_writes_out():
    lu, pivots = _lu()
    out = fg.empty(0)
    assert fg.lu_solve(fg.tensor(B), lu, pivots, out=out) is out
    np.testing.assert_allclose(A @ out.numpy(), B, rtol=1e-5, atol=1e-5)


def test_lu_unpack_writes_each_out():
    lu, pivots = _lu()
    outs = (fg.empty(0), fg.empty(0), fg.empty(0))
    fg.lu_unpack(lu, pivots, out=outs)
    p, lower, upper = (o.numpy() for o in outs)
    np.testing.assert_allclose(p @ lower @ upper, A, rtol=1e-5, atol=1e-5)


def test_geqrf_and_ormqr_write_out_of_the_same_dtype_only():
    a, tau = fg.empty(0), fg.empty(0)
    fg.geqrf(fg.tensor(A), out=(a, tau))
    q = fg.linalg.householder_product(a, tau).numpy()
    np.testing.assert_allclose(q @ np.triu(a.numpy()), A, rtol=1e-5, atol=1e-5)
    out = fg.empty(0)
    fg.ormqr(a, tau, fg.tensor(B), out=out)
    np.testing.assert_allclose(out.numpy(), q @ B, rtol=1e-5, atol=1e-5)
    with pytest.raises(RuntimeError, match="Expected out tensor to have dtype float, but got double"):
        fg.ormqr(a, tau, fg.tensor(B), out=fg.empty(0, dtype=fg.float64))
