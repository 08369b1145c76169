"""The backward engine's path for graphs of 0-dim float tensors (micrograd-style).

A graph of 0-dim float32/float64 tensors made by +, -, *, tanh, sigmoid and relu is run
on bare values; anything else (hooks, retain_grad, create_graph, anomaly mode, other
shapes or dtypes) runs the general engine. The two must give bit-equal gradients: a
no-op hook on the root forces the general path for the same graph.
"""

import random
import struct
import threading

import ferrograd as fg
import numpy as np
import pytest


def bits(t):
    """The gradient's exact bits (a float32 value is exact as a Python float)."""
    return struct.pack("<d", t.item())


def chain(ps, steps, ops=("mul", "add", "tanh")):
    v = ps[0]
    n = len(ps)
    for i in range(steps):
        a, b = ps[i % n], ps[(i + 7) % n]
        if "mul" in ops:
            v = v * a
        if "add" in ops:
            v = v + b
        if "sub" in ops:
            v = v - b
        if "tanh" in ops:
            v = v.tanh()
        if "sigmoid" in ops:
            v = v.sigmoid()
        if "relu" in ops:
            v = v.relu()
    return v


def params(dtype, n=20, seed=0):
    rng = random.Random(seed)
    return [fg.tensor(rng.uniform(-0.9, 0.9), dtype=dtype, requires_grad=True) for _ in range(n)]


def grads_of(ps, build, general):
    for p in ps:
        p.grad = None
    v = build(ps)
    if general:
        v.register_hook(lambda g: None)
    v.backward()
    return [bits(p.grad) for p in ps]


@pytest.mark.parametrize("dtype", [fg.float32, fg.float64])
@pytest.mark.parametrize(
    "ops",
    [("mul", "add", "tanh"), ("mul", "sub", "sigmoid"), ("mul", "add", "relu"), ("sub", "mul")],
)
def test_gradients_bit_equal_to_the_general_path(dtype, ops):
    ps = params(dtype)
    fast = grads_of(ps, lambda ps: chain(ps, 120, ops), general=False)
    general = grads_of(ps, lambda ps: chain(ps, 120, ops), general=True)
    assert fast == general
    assert all(p.grad.dtype == dtype and p.grad.shape == () for p in ps)


def test_the_benchmark_graph_is_bit_equal_to_the_general_path():
    ps = params(fg.float32)
    fast = grads_of(ps, lambda ps: chain(ps, 333), general=False)
    general = grads_of(ps, lambda ps: chain(ps, 333), general=True)
    assert fast == general
    assert len(set(fast)) > 10  # the gradients are not all one value


def test_values_match_a_float32_numpy_oracle():
    a = fg.tensor(0.3, requires_grad=True)
    b = fg.tensor(-1.7, requires_grad=True)
    c = fg.tensor(0.45, requires_grad=True)
    y = (a * b + c).tanh()
    y.backward()
    f = np.float32
    yv = f(y.item())
    gz = f(1.0) * (f(1.0) - yv * yv)
    assert a.grad.item() == float(gz * f(-1.7))
    assert b.grad.item() == float(gz * f(0.3))
    assert c.grad.item() == float(gz)
    assert y.grad_fn.name() == "TanhBackward0"
    assert y.grad_fn.next_functions[0][0].name() == "AddBackward0"


def test_a_leaf_used_many_times_sums_in_the_general_order():
    x = fg.tensor(0.7, requires_grad=True)

    def build(ps):
        v = ps[0]
        for _ in range(50):
            v = v * ps[0] + ps[0]
        return v

    fast = grads_of([x], build, general=False)
    general = grads_of([x], build, general=True)
    assert fast == general


def test_a_node_with_several_consumers():
    x = fg.tensor(0.6, dtype=fg.float64, requires_grad=True)
    y = fg.tensor(-0.4, dtype=fg.float64, requires_grad=True)

    def build(ps):
        a = ps[0] * ps[1]
        return a * a + a.tanh() - a.sigmoid() * a

    fast = grads_of([x, y], build, general=False)
    general = grads_of([x, y], build, general=True)
    assert fast == general
    # d/dx of a² + tanh a - a sigmoid(a), a = xy, in float64 by hand
    av = 0.6 * -0.4
    s = 1 / (1 + np.exp(-av))
    da = 2 * av + (1 - np.tanh(av) ** 2) - (s + av * s * (1 - s))
    assert x.grad.item() == pytest.approx(da * -0.4, rel=1e-12)


def test_mixed_with_a_non_0_dim_tensor_falls_back():
    x = fg.tensor(1.5, requires_grad=True)
    w = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = ((x * w).tanh() * x).sum()
    y.backward()
    xv, wv = np.float64(1.5), np.array([1.0, 2.0, 3.0])
    t = np.tanh(xv * wv)
    np.testing.assert_allclose(x.grad.item(), np.sum((1 - t * t) * wv * xv + t), rtol=1e-5)
    np.testing.assert_allclose(w.grad.numpy(), (1 - t * t) * xv * xv, rtol=1e-5, atol=1e-6)


def test_int_bool_and_complex_operands():
    x = fg.tensor(0.25, requires_grad=True)
    (x * 2 + True).tanh().backward()
    f = np.float32
    y = np.tanh(f(0.25) * f(2) + f(1))
    assert x.grad.item() == pytest.approx(float((1 - y * y) * 2), rel=1e-6)
    assert x.grad.dtype == fg.float32

    z = fg.tensor(1 + 2j, requires_grad=True)
    (z * z).abs().backward()
    # |z²| = |z|², whose gradient PyTorch gives as 2z
    assert z.grad.dtype == fg.complex64
    np.testing.assert_allclose(complex(z.grad.item()), 2 * (1 + 2j), rtol=1e-6)


def test_existing_grads_accumulate_and_dtype_stays():
    x = fg.tensor(0.5, requires_grad=True)
    (x * x).backward()
    (x * x).backward()
    assert x.grad.item() == 2.0
    assert x.grad.dtype == fg.float32


def test_retain_graph_twice_and_then_freed():
    ps = params(fg.float32, n=5)
    v = chain(ps, 10)
    v.backward(retain_graph=True)
    once = [p.grad.item() for p in ps]
    v.backward(retain_graph=True)
    assert [p.grad.item() for p in ps] == [2 * g for g in once]
    v.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        v.backward()


def test_retain_grad_of_a_non_leaf():
    x = fg.tensor(0.8, requires_grad=True)
    a = x * x
    a.retain_grad()
    y = a.tanh()
    y.backward()
    f = np.float32
    ga = f(1) - f(y.item()) * f(y.item())
    assert a.grad.item() == float(ga)
    assert x.grad.item() == float(ga * f(0.8) + ga * f(0.8))


def test_leaf_hook_sees_the_summed_gradient():
    x = fg.tensor(3.0, requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g.item()))
    (x * x + x).backward()
    assert seen == [7.0]
    assert x.grad.item() == 7.0


def test_in_place_write_of_a_saved_value_is_refused():
    x = fg.tensor(0.5, requires_grad=True)
    a = x * 1.0
    b = a * a
    with fg.no_grad():
        a.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        b.backward()


def test_create_graph_and_autograd_grad_agree_with_the_fast_path():
    x = fg.tensor(0.4, dtype=fg.float64, requires_grad=True)
    y = (x * x * x).tanh()
    (g,) = fg.autograd.grad(y, x, create_graph=True)
    (g2,) = fg.autograd.grad(g, x)
    t = np.tanh(0.4**3)
    assert g.item() == pytest.approx((1 - t * t) * 3 * 0.16, rel=1e-12)
    assert g2.item() == pytest.approx(
        -2 * t * (1 - t * t) * (3 * 0.16) ** 2 + (1 - t * t) * 6 * 0.4, rel=1e-12
    )
    x.grad = None
    (x * x * x).tanh().backward()
    assert bits(x.grad) == struct.pack("<d", g.item())


def test_anomaly_mode_runs_the_general_path_with_equal_values():
    ps = params(fg.float32, n=4)
    fast = grads_of(ps, lambda ps: chain(ps, 30), general=False)
    with pytest.warns(UserWarning, match="Anomaly Detection"), fg.autograd.detect_anomaly():
        anomaly = grads_of(ps, lambda ps: chain(ps, 30), general=False)
    assert fast == anomaly


def test_threads_each_get_their_own_gradients():
    results = {}

    def work(seed):
        ps = params(fg.float32, n=6, seed=seed)
        results[seed] = (
            grads_of(ps, lambda ps: chain(ps, 60), general=False),
            grads_of(ps, lambda ps: chain(ps, 60), general=True),
        )

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    for fast, general in results.values():
        assert fast == general


def test_no_grad_records_nothing():
    x = fg.tensor(0.5, requires_grad=True)
    with fg.no_grad():
        y = (x * x).tanh()
    assert y.grad_fn is None and not y.requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.backward()


def test_backward_on_a_leaf_and_a_given_gradient():
    x = fg.tensor(2.0, requires_grad=True)
    x.backward(fg.tensor(3.0))
    assert x.grad.item() == 3.0
    y = x * x
    y.backward(fg.tensor(0.5))
    assert x.grad.item() == 3.0 + 2.0


@pytest.mark.parametrize("dtype", [fg.float32, fg.float64])
def test_one_tensor_on_both_sides(dtype):
    x = fg.tensor(0.35, dtype=dtype, requires_grad=True)

    def build(ps):
        x = ps[0]
        return (x * x - x + x).sigmoid().relu()

    fast = grads_of([x], build, general=False)
    general = grads_of([x], build, general=True)
    assert fast == general
    s = 1 / (1 + np.exp(-(0.35**2)))
    assert x.grad.item() == pytest.approx(s * (1 - s) * 2 * 0.35, rel=1e-6)
