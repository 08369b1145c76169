"""Results rounded where PyTorch rounds them: `add`/`sub` with alpha and `addcmul` are one
fused multiply-add each (`fma(other, ±alpha, input)`, `fma(value * t1, t2, input)`),
`addcdiv` is `input + (value * t1) / t2`, float16 and
bfloat16 compute in float32 and round once, and a float16 cube is multiplied out in
float32. Expectations come from NumPy evaluating those formulas (a float64 product of
two float32 values is exact, so float64 then float32 gives the fused result here)."""

import numpy as np
import pytest
from backend import fg

X = np.linspace(-3, 3, 2001).astype(np.float32)
W = np.linspace(0.5, 2, 2001).astype(np.float32)


def t(a, dtype=fg.float32):
    return fg.tensor(a.tolist(), dtype=dtype)


@pytest.mark.parametrize("value", [1, 0.5, 0.999, -0.1])
def test_addcmul_is_one_fused_multiply_add_in_float32(value):
    v = np.float32(value)
    scaled = (v * W).astype(np.float32)
    expected = (scaled.astype(np.float64) * X.astype(np.float64) + X.astype(np.float64)).astype(np.float32)
    got = np.array(fg.addcmul(t(X), t(W), t(X), value=value).tolist(), dtype=np.float32)
    assert np.array_equal(got, expected)
    inplace = t(X)
    inplace.addcmul_(t(W), t(X), value=value)
    assert np.array_equal(np.array(inplace.tolist(), dtype=np.float32), expected)


@pytest.mark.parametrize("value", [1, 0.999, -0.1, 0.3])
def test_addcdiv_scales_the_numerator_first(value):
    v = np.float32(value)
    expected = (X + ((v * X).astype(np.float32) / W).astype(np.float32)).astype(np.float32)
    got = np.array(fg.addcdiv(t(X), t(X), t(W), value=value).tolist(), dtype=np.float32)
    assert np.array_equal(got, expected)


@pytest.mark.parametrize("dtype,np_round", [("float16", np.float16), ("bfloat16", None)])
def test_half_addcmul_rounds_once_from_float32(dtype, np_round):
    d = getattr(fg, dtype)
    x, w = t(X, d), t(W, d)
    xs = np.array(x.float().tolist(), dtype=np.float32)
    ws = np.array(w.float().tolist(), dtype=np.float32)
    exact = (np.float32(0.5) * ws).astype(np.float64) * xs.astype(np.float64) + xs.astype(np.float64)
    got = fg.addcmul(x, w, x, value=0.5)
    assert got.dtype == d
    # the float32 result rounded once to the narrow dtype: the same as rounding the
    # float32 value through fg's own cast of a float32 tensor
    once = t(exact.astype(np.float32)).to(d)
    assert got.tolist() == once.tolist()
    if np_round is not None:
        assert np.array_equal(np.array(got.tolist(), dtype=np.float64), exact.astype(np.float32).astype(np_round).astype(np.float64))


def test_float16_cube_is_multiplied_out_in_float32():
    x = t(X, fg.float16)
    xs = np.array(x.tolist(), dtype=np.float32)
    expected = (xs * xs * xs).astype(np.float16)
    assert np.array_equal(np.array((x ** 3).tolist(), dtype=np.float16), expected)


@pytest.mark.parametrize("alpha", [0.1, -0.001, 0.9, 3.0])
def test_add_and_sub_with_alpha_round_once(alpha):
    # PyTorch: fma(other, ±alpha, input)
    a = np.float64(np.float32(alpha))
    added = (W.astype(np.float64) * a + X.astype(np.float64)).astype(np.float32)
    subtracted = (W.astype(np.float64) * -a + X.astype(np.float64)).astype(np.float32)
    assert np.array_equal(np.array(t(X).add(t(W), alpha=alpha).tolist(), dtype=np.float32), added)
    assert np.array_equal(np.array(t(X).sub(t(W), alpha=alpha).tolist(), dtype=np.float32), subtracted)
    inplace = t(X)
    inplace.add_(t(W), alpha=alpha)
    assert np.array_equal(np.array(inplace.tolist(), dtype=np.float32), added)


def test_addcdiv_on_a_leaf_that_requires_grad_names_the_leaf():
    p = fg.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place operation"):
        p.addcdiv_(fg.ones(3), fg.ones(3))
