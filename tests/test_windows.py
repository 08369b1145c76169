"""Window functions (`hann_window`, `hamming_window`, `bartlett_window`,
`blackman_window`, `kaiser_window`): PyTorch's values (bit for bit where recorded, else
against the textbook formula), lengths 0 and 1, dtypes, keywords and errors."""

import math

import numpy as np
import pytest
from backend import fg

WINDOWS = ["bartlett_window", "blackman_window", "hamming_window", "hann_window", "kaiser_window"]

# recorded from PyTorch 2.13 (float.hex of each value, widened to double)
RECORDED = [
    ('kaiser_window', (7, False, 12.0), 'float64', ['0x1.bab21a2f42013p-15', '0x1.c096b5c2fdb94p-5', '0x1.09a603ee91ed0p-1', '0x1.0000000000000p+0', '0x1.09a603ee91ed0p-1', '0x1.c096b5c2fdb94p-5', '0x1.bab21a2f42013p-15']),
    ('kaiser_window', (20, True, 3.5), 'float64', ['0x1.1593086848e54p-3', '0x1.d0289efc163c8p-3', '0x1.538341b1a3ae0p-2', '0x1.c869b0d1e6f91p-2', '0x1.207d637574c74p-1', '0x1.5b585eefa2ac8p-1', '0x1.9164502d04a69p-1', '0x1.bf63ea9dffe01p-1', '0x1.e27fc7a151b47p-1', '0x1.f8811ad240170p-1', '0x1.0000000000000p+0', '0x1.f8811ad240170p-1', '0x1.e27fc7a151b47p-1', '0x1.bf63ea9dffe01p-1', '0x1.9164502d04a69p-1', '0x1.5b585eefa2ac8p-1', '0x1.207d637574c74p-1', '0x1.c869b0d1e6f91p-2', '0x1.538341b1a3ae0p-2', '0x1.d0289efc163c8p-3']),
    ('kaiser_window', (12, False, 6.0), 'float32', ['0x1.e75e940000000p-7', '0x1.aeeb1e0000000p-4', '0x1.2a289c0000000p-2', '0x1.1a85c40000000p-1', '0x1.a038fa0000000p-1', '0x1.f486fe0000000p-1', '0x1.f486fe0000000p-1', '0x1.a038fa0000000p-1', '0x1.1a85c40000000p-1', '0x1.2a289c0000000p-2', '0x1.aeeb1e0000000p-4', '0x1.e75e940000000p-7']),
    ('kaiser_window', (9, True), 'float16', ['0x1.ba80000000000p-15', '0x1.e280000000000p-7', '0x1.2a00000000000p-3', '0x1.09c0000000000p-1', '0x1.dcc0000000000p-1', '0x1.dcc0000000000p-1', '0x1.09c0000000000p-1', '0x1.2a00000000000p-3', '0x1.e280000000000p-7']),
    ('bartlett_window', (9,), 'float32', ['0x0.0p+0', '0x1.c71c720000000p-3', '0x1.c71c720000000p-2', '0x1.5555560000000p-1', '0x1.c71c720000000p-1', '0x1.c71c700000000p-1', '0x1.5555540000000p-1', '0x1.c71c700000000p-2', '0x1.c71c700000000p-3']),
    ('bartlett_window', (10, False), 'float64', ['0x0.0p+0', '0x1.c71c71c71c71cp-3', '0x1.c71c71c71c71cp-2', '0x1.5555555555555p-1', '0x1.c71c71c71c71cp-1', '0x1.c71c71c71c71cp-1', '0x1.5555555555556p-1', '0x1.c71c71c71c720p-2', '0x1.c71c71c71c720p-3', '0x0.0p+0']),
    ('hann_window', (8,), 'float64', ['0x0.0p+0', '0x1.2bec333018866p-3', '0x1.fffffffffffffp-2', '0x1.b504f333f9de6p-1', '0x1.0000000000000p+0', '0x1.b504f333f9de7p-1', '0x1.0000000000001p-1', '0x1.2bec33301886ap-3']),
    ('hamming_window', (6, False, 0.6, 0.3), 'float64', ['0x1.3333333333333p-2', '0x1.03bc284859d01p-1', '0x1.af770aead9632p-1', '0x1.af770aead9632p-1', '0x1.03bc284859d01p-1', '0x1.3333333333333p-2']),
    ('blackman_window', (7, False), 'float64', ['0x0.0p+0', '0x1.0a3d70a3d70a2p-3', '0x1.428f5c28f5c28p-1', '0x1.0000000000000p+0', '0x1.428f5c28f5c2cp-1', '0x1.0a3d70a3d70acp-3', '0x0.0p+0']),
    ('bartlett_window', (5,), 'float16', ['0x0.0p+0', '0x1.9980000000000p-2', '0x1.9980000000000p-1', '0x1.9a00000000000p-1', '0x1.9a00000000000p-2']),
    ('hann_window', (7,), 'float16', ['0x0.0p+0', '0x1.8180000000000p-3', '0x1.3900000000000p-1', '0x1.e680000000000p-1', '0x1.e6c0000000000p-1', '0x1.3900000000000p-1', '0x1.8400000000000p-3']),
    ('blackman_window', (9, False), 'bfloat16', ['0x0.0p+0', '0x1.1000000000000p-4', '0x1.5c00000000000p-2', '0x1.8c00000000000p-1', '0x1.0000000000000p+0', '0x1.8c00000000000p-1', '0x1.5800000000000p-2', '0x1.1000000000000p-4', '0x0.0p+0']),
    ('hamming_window', (6, True, 0.6, 0.3), 'bfloat16', ['0x1.3400000000000p-2', '0x1.ce00000000000p-2', '0x1.8000000000000p-1', '0x1.ce00000000000p-1', '0x1.8000000000000p-1', '0x1.ca00000000000p-2']),
]


@pytest.mark.parametrize("name,args,dtype,values", RECORDED)
def test_bitwise_values(name, args, dtype, values):
    out = getattr(fg, name)(*args, dtype=getattr(fg, dtype))
    assert out.dtype == getattr(fg, dtype)
    assert [v.hex() for v in out.double().tolist()] == values


def _formula(name, n, periodic=True, *extra):
    """The textbook window of length n (NumPy, float64)."""
    m = n + 1 if periodic else n
    k = np.arange(m, dtype=np.float64)
    if name == "hann_window":
        w = 0.5 - 0.5 * np.cos(2 * np.pi * k / (m - 1))
    elif name == "hamming_window":
        alpha, beta = (list(extra) + [0.54, 0.46][len(extra):])[:2]
        w = alpha - beta * np.cos(2 * np.pi * k / (m - 1))
    elif name == "blackman_window":
        w = 0.42 - 0.5 * np.cos(2 * np.pi * k / (m - 1)) + 0.08 * np.cos(4 * np.pi * k / (m - 1))
    elif name == "bartlett_window":
        w = 1 - np.abs(2 * k / (m - 1) - 1)
    else:
        beta = extra[0] if extra else 12.0
        a = (m - 1) / 2
        w = np.i0(beta * np.sqrt(1 - ((k - a) / a) ** 2)) / np.i0(beta)
    return w[:n]


@pytest.mark.parametrize("name", WINDOWS)
@pytest.mark.parametrize("n", [2, 3, 8, 33, 256])
@pytest.mark.parametrize("periodic", [True, False])
def test_values_against_the_formula(name, n, periodic):
    for dtype, rtol, atol in ((fg.float64, 1e-12, 1e-14), (fg.float32, 2e-6, 1e-6)):
        out = getattr(fg, name)(n, periodic, dtype=dtype)
        assert out.dtype == dtype and tuple(out.shape) == (n,)
        np.testing.assert_allclose(out.double().numpy(), _formula(name, n, periodic), rtol=rtol, atol=atol)


def test_default_is_periodic_and_extra_parameters():
    np.testing.assert_allclose(fg.hann_window(5).numpy(), _formula("hann_window", 5), atol=1e-7)
    np.testing.assert_allclose(fg.hamming_window(6, False, 0.3).double().numpy(),
                               _formula("hamming_window", 6, False, 0.3), atol=1e-7)
    np.testing.assert_allclose(fg.hamming_window(6, True, 0.3, 0.2, dtype=fg.float64).numpy(),
                               _formula("hamming_window", 6, True, 0.3, 0.2), atol=1e-14)
    np.testing.assert_allclose(fg.kaiser_window(9, False, 2.5, dtype=fg.float64).numpy(),
                               _formula("kaiser_window", 9, False, 2.5), rtol=1e-12)


@pytest.mark.parametrize("name", WINDOWS)
def test_lengths_zero_and_one(name):
    empty = getattr(fg, name)(0)
    assert tuple(empty.shape) == (0,) and empty.dtype == fg.float32
    one = getattr(fg, name)(1, dtype=fg.float64)
    assert one.tolist() == [1.0] and one.dtype == fg.float64
    assert getattr(fg, name)(1, False).tolist() == [1.0]


@pytest.mark.parametrize("name", WINDOWS)
def test_keywords(name):
    out = getattr(fg, name)(4, requires_grad=True)
    assert out.requires_grad and out.is_leaf
    assert getattr(fg, name)(4, dtype=fg.float16).dtype == fg.float16
    assert getattr(fg, name)(4, dtype=fg.bfloat16).dtype == fg.bfloat16
    assert getattr(fg, name)(4, device="cpu").shape == (4,)
    assert getattr(fg, name)(3, layout=fg.strided if hasattr(fg, "strided") else None).shape == (3,)


def test_default_dtype_is_followed():
    fg.set_default_dtype(fg.float64)
    try:
        assert fg.hann_window(4).dtype == fg.float64
    finally:
        fg.set_default_dtype(fg.float32)


@pytest.mark.parametrize("name", WINDOWS)
def test_errors(name):
    fn = getattr(fg, name)
    with pytest.raises(RuntimeError, match="non-negative window_length"):
        fn(-1)
    with pytest.raises(RuntimeError, match="expects floating point dtypes"):
        fn(4, dtype=fg.int64)
    with pytest.raises(TypeError):
        fn(3.0)
    with pytest.raises(TypeError):
        fn(True)


def test_kaiser_beta_needs_periodic_positionally_in_pytorch_but_is_a_keyword_here():
    # PyTorch has no (window_length, beta=) overload; with periodic given, beta is a keyword
    out = fg.kaiser_window(5, True, beta=3.0, dtype=fg.float64)
    np.testing.assert_allclose(out.numpy(), _formula("kaiser_window", 5, True, 3.0), rtol=1e-12)
    assert math.isclose(fg.kaiser_window(3, False, 0.0, dtype=fg.float64).sum().item(), 3.0)
