"""tanh and sigmoid backward in one pass, rounding once as PyTorch's kernels do.

In float16 and bfloat16 PyTorch computes `grad * (1 - y²)` (tanh) and `grad * y (1 - y)`
(sigmoid) in float32 and rounds the result once; composing the formula from half
precision ops rounds after every step and differs in the last bit. The expected values
were recorded from PyTorch 2.13. With `create_graph=True` the formula stays
differentiable (second derivatives checked against the closed forms).
"""

import math

import pytest
from backend import fg

X = [0.3, -1.7, 2.5, 0.01, -0.77, 1.3]
G = [1.1, -0.6, 3.3, 0.25, -2.2, 0.9]

RECORDED = {
    ("bfloat16", "tanh"): [1.0078125, -0.07275390625, 0.07666015625, 0.25, -1.2734375, 0.2353515625],
    ("bfloat16", "sigmoid"): [0.26953125, -0.07861328125, 0.2265625, 0.0625, -0.4765625, 0.1513671875],
    ("float16", "tanh"): [1.005859375, -0.07489013671875, 0.08648681640625, 0.25, -1.2783203125, 0.2315673828125],
    ("float16", "sigmoid"): [0.268798828125, -0.078369140625, 0.2308349609375, 0.0625, -0.4755859375, 0.1514892578125],
}


@pytest.mark.parametrize(("dtype", "fn"), sorted(RECORDED))
def test_half_precision_backward_rounds_once_like_pytorch(dtype, fn):
    x = fg.tensor(X, dtype=getattr(fg, dtype), requires_grad=True)
    g = fg.tensor(G, dtype=getattr(fg, dtype))
    getattr(x, fn)().backward(g)
    assert x.grad.dtype == getattr(fg, dtype)
    assert x.grad.float().tolist() == RECORDED[(dtype, fn)]


@pytest.mark.parametrize("fn", ["tanh", "sigmoid"])
def test_float64_backward_matches_the_derivative(fn):
    x = fg.tensor(X, dtype=fg.float64, requires_grad=True)
    getattr(x, fn)().backward(fg.tensor(G, dtype=fg.float64))
    for xi, gi, got in zip(X, G, x.grad.tolist()):
        if fn == "tanh":
            want = gi * (1 - math.tanh(xi) ** 2)
        else:
            s = 1 / (1 + math.exp(-xi))
            want = gi * s * (1 - s)
        assert got == pytest.approx(want, rel=1e-14, abs=1e-300)


@pytest.mark.parametrize("fn", ["tanh", "sigmoid"])
def test_second_derivative_through_the_backward(fn):
    x = fg.tensor(X, dtype=fg.float64, requires_grad=True)
    (dx,) = fg.autograd.grad(getattr(x, fn)().sum(), x, create_graph=True)
    assert dx.requires_grad
    (d2x,) = fg.autograd.grad(dx.sum(), x)
    for xi, got in zip(X, d2x.tolist()):
        if fn == "tanh":
            t = math.tanh(xi)
            want = -2 * t * (1 - t * t)
        else:
            s = 1 / (1 + math.exp(-xi))
            want = s * (1 - s) * (1 - 2 * s)
        assert got == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_gradcheck_of_tanh_and_sigmoid_in_float64():
    x = fg.tensor([0.3, -1.2, 0.05], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: t.tanh() * t.sigmoid(), (x,))
    assert fg.autograd.gradgradcheck(lambda t: t.tanh() * t.sigmoid(), (x,))


@pytest.mark.parametrize("keep", ["hook", "retain_grad", "both"])
def test_relu_backward_leaves_the_gradients_hooks_and_retain_grad_keep_alone(keep):
    # relu's backward writes over the incoming gradient only when nothing else holds it;
    # a hook's copy and a retained .grad of the relu output must keep the unmasked values
    x = fg.tensor([[0.5, -1.0, 2.0], [-0.5, 1.5, -3.0]], requires_grad=True)
    w = fg.tensor([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])
    h = x.relu()
    seen = []
    if keep in ("retain_grad", "both"):
        h.retain_grad()
    if keep in ("hook", "both"):
        h.register_hook(lambda g: seen.append(g))
    (h * w).sum().backward()
    if keep != "hook":
        assert h.grad.tolist() == w.tolist()
    if keep != "retain_grad":
        assert seen[0].tolist() == w.tolist()
    assert x.grad.tolist() == [[1.0, 0.0, 0.5], [0.0, 0.25, 0.0]]


@pytest.mark.parametrize("fn", ["relu", "tanh", "sigmoid"])
def test_backward_through_a_chain_of_activations_matches_the_derivative(fn):
    # each formula runs over the gradient buffer the one after it handed on
    xs = [0.3, -1.7, 2.5, 0.0, -0.77, 1.3]
    x = fg.tensor(xs, dtype=fg.float64, requires_grad=True)
    f = getattr(fg.Tensor, fn)
    (f(f(x)) * 3.0).sum().backward()

    def d(v):
        if fn == "relu":
            return (1.0 if v > 0 else 0.0), max(v, 0.0)
        if fn == "tanh":
            return 1 - math.tanh(v) ** 2, math.tanh(v)
        s = 1 / (1 + math.exp(-v))
        return s * (1 - s), s

    for v, got in zip(xs, x.grad.tolist()):
        d1, y = d(v)
        d2, _ = d(y)
        assert got == pytest.approx(3.0 * d2 * d1, rel=1e-14, abs=1e-300)


@pytest.mark.parametrize("exponent", [2, 2.0])
def test_square_backward_on_broadcast_and_strided_gradients(exponent):
    # d(x²)/dx = 2x, one rounding in float32: 2x is exact, so grad * 2x rounds once
    base = fg.tensor([[0.1, -2.5, 3.0], [1e-20, 7.0, -0.3]], requires_grad=True)
    xt = base.t()  # strided operand of the power
    (xt**exponent).mean().backward()
    want = [2 * v / 6 for v in [0.1, -2.5, 3.0, 1e-20, 7.0, -0.3]]
    assert base.grad.flatten().tolist() == pytest.approx(want, rel=1e-6)
    b = fg.tensor([1.5, -0.25], requires_grad=True)
    g = fg.tensor([[1.0, 2.0], [3.0, -4.0]])
    (b**exponent).expand(2, 2).backward(g)  # the power's gradient summed over rows
    assert b.grad.tolist() == [2 * 1.5 * 4.0, 2 * -0.25 * -2.0]
    h = fg.tensor([0.5, -3.0], dtype=fg.float16, requires_grad=True)
    (h**exponent).sum().backward()
    assert h.grad.dtype == fg.float16 and h.grad.tolist() == [1.0, -6.0]
