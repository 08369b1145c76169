"""Autograd mechanics: accumulation, graphs kept or freed, higher derivatives,
autograd.grad / autograd.backward, hooks, grad modes and threads, in-place ops and
their checks, the node graph seen from Python.

Every expected value is math written next to it, or PyTorch 2.13's behaviour.
"""

import re
import threading
import warnings

import pytest
from backend import fg

NODE_REPR = re.compile(r"<(\w+) object at 0x[0-9a-fA-F]+>")
LEAF_INPLACE = "leaf Variable that requires grad is being used in an in-place operation"
RETAIN_GRAPH = re.escape("retain_graph=True")


def node_name(node):
    m = NODE_REPR.fullmatch(repr(node))
    assert m, repr(node)
    return m.group(1)


def leaf(values, dtype=None):
    return fg.tensor(values, dtype=dtype, requires_grad=True)


# -- accumulation and graph lifetime ----------------------------------------------------


def test_grad_is_none_before_first_backward():
    x = leaf([1.0, 2.0])
    assert x.grad is None
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_gradients_accumulate_over_two_backwards():
    x = leaf([1.0, 2.0])
    (x * 3).sum().backward()  # d/dx 3x = 3
    (x * x).sum().backward()  # d/dx x^2 = 2x
    assert x.grad.tolist() == [5.0, 7.0]


def test_accumulation_keeps_the_grad_tensor_shape_and_dtype():
    x = leaf([[1.0, 2.0]], dtype=fg.float64)
    (x * 2).sum().backward()
    (x * 2).sum().backward()
    assert x.grad.shape == (1, 2)
    assert x.grad.dtype == fg.float64
    assert x.grad.tolist() == [[4.0, 4.0]]


def test_grad_is_settable_and_backward_adds_to_it():
    x = leaf([1.0, 2.0])
    x.grad = fg.tensor([10.0, 20.0])
    (x * 3).sum().backward()
    assert x.grad.tolist() == [13.0, 23.0]
    x.grad = None
    assert x.grad is None
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_grad_can_be_zeroed_in_place():
    x = leaf([1.0, 2.0])
    (x * 3).sum().backward()
    x.grad.zero_()
    (x * x).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]


def test_grad_of_wrong_shape_is_rejected():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError):
        x.grad = fg.ones(3)


def test_grad_of_non_tensor_is_rejected():
    x = leaf([1.0, 2.0])
    with pytest.raises(TypeError):
        x.grad = 5


def test_second_backward_without_retain_graph_raises():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()  # MulBackward0 saves x twice
    y.backward()
    with pytest.raises(RuntimeError, match=RETAIN_GRAPH):
        y.backward()
    assert x.grad.tolist() == [2.0, 4.0]


def test_second_backward_through_a_freed_node_raises_even_from_another_root():
    x = leaf([1.0, 2.0])
    h = x.exp()
    h.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        (h * 2).sum().backward()


def test_retain_graph_allows_second_backward():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [6.0, 12.0]  # three times 2x


def test_autograd_grad_frees_the_graph_too():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    fg.autograd.grad(y, x)
    with pytest.raises(RuntimeError, match=RETAIN_GRAPH):
        fg.autograd.grad(y, x)


def test_deep_chain_backward_and_free_do_not_recurse():
    # a graph much deeper than any recursion limit
    x = leaf(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0
    y = x
    for _ in range(100_000):
        y = y + 1.0
    assert y.item() == 100_001.0
    del y  # dropping the head frees the whole chain


# -- higher-order derivatives -------------------------------------------------------------


def test_second_and_third_derivative_with_autograd_grad():
    x = leaf([1.0, 2.0])
    y = (x**3).sum()
    (g1,) = fg.autograd.grad(y, x, create_graph=True)
    assert g1.tolist() == [3.0, 12.0]  # 3x^2
    assert g1.requires_grad
    assert g1.grad_fn is not None
    (g2,) = fg.autograd.grad(g1.sum(), x, create_graph=True)
    assert g2.tolist() == [6.0, 12.0]  # 6x
    (g3,) = fg.autograd.grad(g2.sum(), x)
    assert g3.tolist() == [6.0, 6.0]  # 6
    assert x.grad is None  # autograd.grad does not touch .grad


def test_second_derivative_of_transcendental_functions():
    x = leaf([0.5, 1.5], dtype=fg.float64)
    (g1,) = fg.autograd.grad(x.sin().sum(), x, create_graph=True)
    (g2,) = fg.autograd.grad(g1.sum(), x, create_graph=True)
    (g3,) = fg.autograd.grad(g2.sum(), x)
    assert g1.tolist() == pytest.approx(x.detach().cos().tolist())  # cos
    assert g2.tolist() == pytest.approx((-x.detach().sin()).tolist())  # -sin
    assert g3.tolist() == pytest.approx((-x.detach().cos()).tolist())  # -cos
    # d2/dx2 exp(x) x = exp(x) (x + 2)
    (h1,) = fg.autograd.grad((x.exp() * x).sum(), x, create_graph=True)
    (h2,) = fg.autograd.grad(h1.sum(), x)
    assert h2.tolist() == pytest.approx((x.detach().exp() * (x.detach() + 2)).tolist())


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_backward_with_create_graph_gives_differentiable_grad():
    x = leaf([1.0, 2.0])
    (x**3).sum().backward(create_graph=True)
    gx = x.grad
    assert gx.tolist() == [3.0, 12.0]
    assert gx.requires_grad
    x.grad = None
    gx.sum().backward()
    assert x.grad.tolist() == [6.0, 12.0]


def test_grad_without_create_graph_is_not_differentiable():
    x = leaf([1.0, 2.0])
    (g,) = fg.autograd.grad((x**3).sum(), x)
    assert not g.requires_grad
    assert g.grad_fn is None


def test_mixed_partial_derivative():
    # f = x^2 y^3: d2f/dxdy = 6 x y^2
    x = leaf(2.0)
    y = leaf(3.0)
    f = x**2 * y**3
    (fx,) = fg.autograd.grad(f, x, create_graph=True)
    assert fx.item() == pytest.approx(2 * 2.0 * 27.0)
    (fxy,) = fg.autograd.grad(fx, y)
    assert fxy.item() == pytest.approx(6 * 2.0 * 9.0)


# -- autograd.grad --------------------------------------------------------------------


def test_autograd_grad_returns_a_tuple():
    x = leaf([1.0, 2.0])
    out = fg.autograd.grad((x * x).sum(), x)
    assert isinstance(out, tuple)
    assert len(out) == 1
    assert out[0].tolist() == [2.0, 4.0]


def test_autograd_grad_several_inputs_and_outputs():
    x = leaf(2.0)
    y = leaf(3.0)
    gx, gy = fg.autograd.grad([x * y, x + y], [x, y])
    # d/dx (xy + x + y) = y + 1; d/dy = x + 1
    assert (gx.item(), gy.item()) == (4.0, 3.0)


def test_autograd_grad_grad_outputs():
    x = leaf([1.0, 2.0])
    (g,) = fg.autograd.grad(x**2, x, grad_outputs=fg.tensor([1.0, 10.0]))
    assert g.tolist() == [2.0, 40.0]
    (g,) = fg.autograd.grad([x**2], [x], grad_outputs=[fg.tensor([1.0, 10.0])])
    assert g.tolist() == [2.0, 40.0]


def test_autograd_grad_grad_outputs_none_entry_means_ones_for_scalars():
    a = leaf(1.0)
    (g,) = fg.autograd.grad([a * 2, a * 3], [a], grad_outputs=[fg.tensor(1.0), None])
    assert g.item() == 5.0


def test_autograd_grad_grad_outputs_shape_mismatch():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        fg.autograd.grad(x * 2, x, grad_outputs=fg.ones(3))


def test_autograd_grad_non_scalar_needs_grad_outputs():
    x = leaf([1.0, 2.0])
    with pytest.raises(
        RuntimeError, match="grad can be implicitly created only for scalar outputs"
    ):
        fg.autograd.grad(x * 2, x)


def test_autograd_grad_retain_graph():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    (g1,) = fg.autograd.grad(y, x, retain_graph=True)
    (g2,) = fg.autograd.grad(y, x)
    assert g1.tolist() == g2.tolist() == [2.0, 4.0]


def test_autograd_grad_create_graph_retains_graph_by_default():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    fg.autograd.grad(y, x, create_graph=True)
    (g,) = fg.autograd.grad(y, x)
    assert g.tolist() == [2.0, 4.0]


def test_autograd_grad_unused_input_raises_without_allow_unused():
    x = leaf([1.0, 2.0])
    u = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        fg.autograd.grad((x * x).sum(), [x, u])


def test_autograd_grad_allow_unused():
    x = leaf([1.0, 2.0])
    u = leaf([1.0, 2.0])
    gx, gu = fg.autograd.grad((x * x).sum(), [x, u], allow_unused=True)
    assert gx.tolist() == [2.0, 4.0]
    assert gu is None


def test_autograd_grad_materialize_grads():
    x = leaf([1.0, 2.0])
    u = leaf([[1.0, 2.0, 3.0]])
    gx, gu = fg.autograd.grad((x * x).sum(), [x, u], allow_unused=True, materialize_grads=True)
    assert gx.tolist() == [2.0, 4.0]
    assert gu.tolist() == [[0.0, 0.0, 0.0]]
    assert gu.shape == u.shape
    # materialize_grads alone implies allow_unused
    gx, gu = fg.autograd.grad((x * x).sum(), [x, u], materialize_grads=True)
    assert gu.tolist() == [[0.0, 0.0, 0.0]]


def test_autograd_grad_materialize_grads_contradicting_allow_unused():
    x = leaf([1.0, 2.0])
    u = leaf([1.0])
    with pytest.raises(ValueError, match="allow_unused"):
        fg.autograd.grad((x * x).sum(), [x, u], allow_unused=False, materialize_grads=True)


def test_autograd_grad_input_that_does_not_require_grad():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="does not require grad"):
        fg.autograd.grad((x * 2).sum(), [fg.ones(2)])


def test_autograd_grad_output_that_does_not_require_grad():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="does not require grad"):
        fg.autograd.grad(fg.ones(2).sum(), x)


def test_autograd_grad_with_respect_to_intermediate():
    x = leaf([1.0, 2.0])
    h = x * 3
    y = (h * h).sum()
    (gh,) = fg.autograd.grad(y, h)
    assert gh.tolist() == [6.0, 12.0]  # 2h


# -- backward: arguments and autograd.backward ----------------------------------------


def test_backward_with_gradient_argument():
    x = leaf([1.0, 2.0, 3.0])
    (x * x).backward(fg.tensor([1.0, 0.5, 0.0]))
    assert x.grad.tolist() == [2.0, 2.0, 0.0]


def test_backward_gradient_shape_mismatch():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        (x * 2).backward(fg.ones(3))


def test_backward_of_non_scalar_without_gradient_raises():
    x = leaf([1.0, 2.0])
    with pytest.raises(
        RuntimeError, match="grad can be implicitly created only for scalar outputs"
    ):
        (x * 2).backward()


def test_backward_of_tensor_that_does_not_require_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        fg.ones(2).sum().backward()
    with pytest.raises(RuntimeError, match="does not require grad"):
        fg.ones(1).backward()


def test_backward_on_a_leaf_itself():
    x = leaf([2.0])
    x.backward()
    assert x.grad.tolist() == [1.0]


def test_backward_inputs_restricts_accumulation():
    a = leaf(2.0)
    b = leaf(3.0)
    (a * b).backward(inputs=[a])
    assert a.grad.item() == 3.0
    assert b.grad is None
    (a * b).backward(inputs=b)
    assert a.grad.item() == 3.0
    assert b.grad.item() == 2.0


def test_backward_inputs_may_name_an_intermediate():
    a = leaf(2.0)
    h = a * 3
    h.retain_grad()
    (h * h).backward(inputs=[h])
    assert h.grad.item() == 12.0  # 2h
    assert a.grad is None


def test_autograd_backward_several_roots_with_grad_tensors():
    a = leaf(2.0)
    b = leaf(3.0)
    fg.autograd.backward([a * b, a + b], grad_tensors=[fg.tensor(1.0), fg.tensor(2.0)])
    # d/da (ab + 2(a + b)) = b + 2; d/db = a + 2
    assert (a.grad.item(), b.grad.item()) == (5.0, 4.0)
    assert fg.autograd.backward(a * a) is None
    assert a.grad.item() == 9.0


def test_autograd_backward_inputs_and_retain_graph():
    a = leaf(2.0)
    b = leaf(3.0)
    y = a * b
    fg.autograd.backward(y, inputs=[b], retain_graph=True)
    fg.autograd.backward(y, inputs=[b])
    assert a.grad is None
    assert b.grad.item() == 4.0


# -- hooks and retain_grad ------------------------------------------------------------


def test_hook_on_leaf_modifies_the_accumulated_grad():
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: g + 100)
    (x * 2).sum().backward()
    assert x.grad.tolist() == [102.0, 102.0]


def test_hooks_run_in_registration_order_and_chain():
    x = leaf([1.0, 2.0])
    seen = []

    def h1(g):
        seen.append(("h1", g.tolist()))

    def h2(g):
        seen.append(("h2", g.tolist()))
        return g * 2

    def h3(g):
        seen.append(("h3", g.tolist()))

    x.register_hook(h1)
    handle = x.register_hook(h2)
    x.register_hook(h3)
    (x * 3).sum().backward()
    assert seen == [("h1", [3.0, 3.0]), ("h2", [3.0, 3.0]), ("h3", [6.0, 6.0])]
    assert x.grad.tolist() == [6.0, 6.0]

    handle.remove()
    seen.clear()
    x.grad = None
    (x * 3).sum().backward()
    assert seen == [("h1", [3.0, 3.0]), ("h3", [3.0, 3.0])]
    assert x.grad.tolist() == [3.0, 3.0]


def test_hook_on_non_leaf_changes_what_flows_upstream():
    x = leaf([1.0, 2.0])
    m = x * 2
    seen = []

    def hook(g):
        seen.append(g.tolist())
        return g * 10

    m.register_hook(hook)
    (m * m).sum().backward()
    assert seen == [[4.0, 8.0]]  # d/dm m^2 = 2m
    assert x.grad.tolist() == [80.0, 160.0]  # 10 * 2m * 2


def test_hook_on_non_leaf_sees_the_summed_gradient_once():
    x = leaf(1.0)
    m = x * 1
    seen = []
    m.register_hook(lambda g: seen.append(g.item()))
    (m * 2 + m * 3).backward()
    assert seen == [5.0]
    assert x.grad.item() == 5.0


def test_hook_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        fg.ones(2).register_hook(lambda g: g)


def test_retain_grad_keeps_non_leaf_grad():
    x = leaf([1.0, 2.0])
    m = x * 2
    m.retain_grad()
    (m * m).sum().backward()
    assert m.grad.tolist() == [4.0, 8.0]
    assert x.grad.tolist() == [8.0, 16.0]
    assert not m.is_leaf


def test_non_leaf_grad_is_none_without_retain_grad():
    x = leaf([1.0, 2.0])
    m = x * 2
    (m * m).sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns about reading a non-leaf .grad
        assert m.grad is None
    assert x.grad is not None


def test_retain_grad_accumulates_over_backwards():
    x = leaf(1.0)
    m = x * 2
    m.retain_grad()
    y = m * 3
    y.backward(retain_graph=True)
    y.backward()
    assert m.grad.item() == 6.0


# -- leaves and requires_grad -------------------------------------------------------------


def test_is_leaf():
    x = leaf([1.0])
    c = fg.ones(1)
    assert x.is_leaf
    assert c.is_leaf
    assert not (x * 2).is_leaf
    assert (c * 2).is_leaf  # no history: a leaf
    assert x.detach().is_leaf


def test_requires_grad_propagates():
    x = leaf([1.0])
    c = fg.ones(1)
    assert not c.requires_grad
    assert (x + c).requires_grad
    assert (c + x).requires_grad
    assert not (c + c).requires_grad
    assert (x * 2).requires_grad


def test_requires_grad_underscore():
    c = fg.tensor([1.0, 2.0])
    assert c.requires_grad_() is c
    assert c.requires_grad and c.is_leaf
    c.requires_grad_(False)
    assert not c.requires_grad
    c.requires_grad = True
    assert c.requires_grad


def test_requires_grad_cannot_change_on_non_leaf():
    x = leaf([1.0])
    m = x * 2
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf variables"):
        m.requires_grad_(False)
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf variables"):
        m.requires_grad = False
    assert m.requires_grad


@pytest.mark.parametrize("dtype_name", ["int64", "bool"])
def test_requires_grad_on_non_float_raises(dtype_name):
    dtype = getattr(fg, dtype_name)
    pattern = "(?i)only Tensors of floating point.* can require gradients"
    with pytest.raises(RuntimeError, match=pattern):
        fg.ones(2, dtype=dtype, requires_grad=True)
    with pytest.raises(RuntimeError, match=pattern):
        fg.ones(2, dtype=dtype).requires_grad_()
    if dtype_name == "int64":
        with pytest.raises(RuntimeError, match=pattern):
            fg.tensor([1, 2], requires_grad=True)


# -- grad modes -------------------------------------------------------------------------


def test_no_grad_context():
    x = leaf([1.0])
    assert fg.is_grad_enabled()
    with fg.no_grad():
        assert not fg.is_grad_enabled()
        y = x * 2
    assert fg.is_grad_enabled()
    assert not y.requires_grad
    assert y.grad_fn is None


def test_no_grad_restores_mode_after_exception():
    with pytest.raises(ValueError, match="boom"), fg.no_grad():
        raise ValueError("boom")
    assert fg.is_grad_enabled()


def test_no_grad_as_decorator():
    x = leaf([1.0])

    @fg.no_grad()
    def f():
        return (x * 2).requires_grad, fg.is_grad_enabled()

    assert f() == (False, False)
    assert fg.is_grad_enabled()


def test_enable_grad_inside_no_grad():
    x = leaf([1.0])
    with fg.no_grad():
        with fg.enable_grad():
            assert fg.is_grad_enabled()
            assert (x * 2).requires_grad
        assert not (x * 2).requires_grad

    @fg.enable_grad()
    def f():
        return (x * 2).requires_grad

    with fg.no_grad():
        assert f() is True


def test_set_grad_enabled_as_function():
    x = leaf([1.0])
    try:
        fg.set_grad_enabled(False)
        assert not fg.is_grad_enabled()
        assert not (x * 2).requires_grad
        fg.set_grad_enabled(True)
        assert fg.is_grad_enabled()
        assert (x * 2).requires_grad
    finally:
        fg.set_grad_enabled(True)


def test_set_grad_enabled_as_context_manager():
    x = leaf([1.0])
    with fg.set_grad_enabled(False):
        assert not fg.is_grad_enabled()
        assert not (x * 2).requires_grad
        with fg.set_grad_enabled(True):
            assert (x * 2).requires_grad
        assert not fg.is_grad_enabled()
    assert fg.is_grad_enabled()


def test_set_grad_enabled_as_decorator():
    x = leaf([1.0])

    @fg.set_grad_enabled(False)
    def f():
        return (x * 2).requires_grad, fg.is_grad_enabled()

    assert f() == (False, False)
    assert fg.is_grad_enabled()


def test_inference_mode():
    x = leaf([1.0])
    assert not fg.is_inference_mode_enabled()
    with fg.inference_mode():
        assert fg.is_inference_mode_enabled()
        assert not fg.is_grad_enabled()
        y = x * 2
        assert not y.requires_grad
        assert y.grad_fn is None
    assert not fg.is_inference_mode_enabled()
    assert fg.is_grad_enabled()
    assert y.tolist() == [2.0]

    @fg.inference_mode()
    def f():
        return (x * 2).requires_grad

    assert f() is False
    with fg.inference_mode(False):
        assert not fg.is_inference_mode_enabled()
        assert (x * 2).requires_grad


def test_grad_mode_is_thread_local():
    x = leaf([1.0])
    seen = {}

    def worker():
        seen["enabled"] = fg.is_grad_enabled()
        seen["requires_grad"] = (x * 2).requires_grad

    with fg.no_grad():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert not fg.is_grad_enabled()
    assert seen == {"enabled": True, "requires_grad": True}


def test_no_grad_in_another_thread_does_not_leak_here():
    x = leaf([1.0])
    entered = threading.Event()
    release = threading.Event()
    seen = {}

    def worker():
        with fg.no_grad():
            seen["inside"] = (x * 2).requires_grad
            entered.set()
            release.wait(10)

    t = threading.Thread(target=worker)
    t.start()
    try:
        assert entered.wait(10)
        assert fg.is_grad_enabled()
        assert (x * 2).requires_grad
    finally:
        release.set()
        t.join()
    assert seen == {"inside": False}


def test_backward_in_threads():
    # independent graphs built and differentiated concurrently
    results = [None] * 4

    def worker(i):
        x = leaf([float(i), 1.0])
        for _ in range(200):
            (x * x * (i + 1)).sum().backward()
        results[i] = x.grad.tolist()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 200 times d/dx (i+1) x^2 = 2 (i+1) x
    assert results == [[400.0 * (i + 1) * i, 400.0 * (i + 1)] for i in range(4)]


# -- detach and .data ------------------------------------------------------------------


def test_detach_shares_storage_and_stops_grad():
    x = leaf([1.0, 2.0])
    d = x.detach()
    assert not d.requires_grad
    assert d.grad_fn is None
    d[0] = 100.0
    assert x.tolist() == [100.0, 2.0]


def test_detach_of_non_leaf():
    x = leaf([1.0, 2.0])
    m = x * 2
    d = m.detach()
    assert d.is_leaf and not d.requires_grad
    y = (d * m).sum()  # only the m branch carries gradient
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]  # d * 2


def test_detach_underscore_in_place():
    x = leaf([1.0, 2.0])
    m = x * 2
    r = m.detach_()
    assert r is m
    assert not m.requires_grad
    assert m.grad_fn is None
    assert m.is_leaf


def test_data_get_shares_storage_without_grad():
    x = leaf([1.0, 2.0])
    d = x.data
    assert not d.requires_grad
    d[1] = 5.0
    assert x.tolist() == [1.0, 5.0]
    assert x.requires_grad  # still a leaf that requires grad


def test_data_set_replaces_values_and_keeps_requires_grad():
    x = leaf([1.0, 2.0])
    x.data = fg.tensor([5.0, 6.0, 7.0])
    assert x.tolist() == [5.0, 6.0, 7.0]
    assert x.shape == (3,)
    assert x.requires_grad and x.is_leaf
    (x * x).sum().backward()
    assert x.grad.tolist() == [10.0, 12.0, 14.0]


def test_in_place_through_detach_is_caught_but_through_data_is_not():
    # detach() shares the version counter; .data does not (as in PyTorch)
    x = leaf([1.0, 2.0])
    y = x.exp()
    y.detach().zero_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()

    x = leaf([1.0, 2.0])
    y = x.exp()
    y.data.zero_()
    y.sum().backward()  # silently uses the modified value: exp' = exp = 0 now
    assert x.grad.tolist() == [0.0, 0.0]


# -- in-place ops ----------------------------------------------------------------------

# on m = x * 1 with x = [1, 2, 3]: (op, value of m after, d(m.sum())/dx)
INPLACE = [
    ("m.add_(1)", [2.0, 3.0, 4.0], [1.0, 1.0, 1.0]),
    ("m.add_(fg.ones(3), alpha=2)", [3.0, 4.0, 5.0], [1.0, 1.0, 1.0]),
    ("m.sub_(1)", [0.0, 1.0, 2.0], [1.0, 1.0, 1.0]),
    ("m.mul_(2)", [2.0, 4.0, 6.0], [2.0, 2.0, 2.0]),
    ("m.div_(2)", [0.5, 1.0, 1.5], [0.5, 0.5, 0.5]),
    ("m.pow_(2)", [1.0, 4.0, 9.0], [2.0, 4.0, 6.0]),
    ("m.zero_()", [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]),
    ("m.fill_(7)", [7.0, 7.0, 7.0], [0.0, 0.0, 0.0]),
    ("m.copy_(fg.tensor([4.0, 5.0, 6.0]))", [4.0, 5.0, 6.0], [0.0, 0.0, 0.0]),
    ("m.clamp_(min=2.5)", [2.5, 2.5, 3.0], [0.0, 0.0, 1.0]),
    ("m.clamp_(1.5, 2.5)", [1.5, 2.0, 2.5], [0.0, 1.0, 0.0]),
    ("m.clamp_(max=2)", [1.0, 2.0, 2.0], [1.0, 1.0, 0.0]),
]


@pytest.mark.parametrize(("op", "value", "grad"), INPLACE, ids=[o for o, _, _ in INPLACE])
def test_in_place_op_on_non_leaf(op, value, grad):
    x = leaf([1.0, 2.0, 3.0])
    m = x * 1
    r = eval(op, {"fg": fg, "m": m})
    assert r is m  # in-place ops return self
    assert m.tolist() == value
    assert m.requires_grad
    m.sum().backward()
    assert x.grad.tolist() == grad


def test_augmented_assignment_keeps_the_object():
    x = leaf([1.0, 2.0])
    m = x * 1
    ident = id(m)
    m += 1
    m *= x  # m = (x + 1) * x: d/dx = 2x + 1
    m -= 0.5
    m /= 2  # d/dx = x + 0.5
    assert id(m) == ident
    assert m.tolist() == [0.75, 2.75]
    m.sum().backward()
    assert x.grad.tolist() == [1.5, 2.5]


def test_setitem_on_non_leaf():
    x = leaf([1.0, 2.0, 3.0])
    m = x * 1
    m[0] = 5.0
    assert m.tolist() == [5.0, 2.0, 3.0]
    m.sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 1.0]


def test_setitem_with_a_tensor_that_requires_grad():
    x = leaf([1.0, 2.0, 3.0])
    w = leaf(9.0)
    m = x * 1
    m[1:] = w
    assert m.tolist() == [1.0, 9.0, 9.0]
    (m * fg.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert w.grad.item() == 5.0  # 2 + 3
    assert x.grad.tolist() == [1.0, 0.0, 0.0]


def test_in_place_on_a_view_updates_the_base_and_its_graph():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    m = x * 1
    m[0].mul_(10)  # in place through a view of m
    assert m.tolist() == [[10.0, 20.0], [3.0, 4.0]]
    m.sum().backward()
    assert x.grad.tolist() == [[10.0, 10.0], [1.0, 1.0]]


LEAF_OPS = [
    "x.add_(1)",
    "x.sub_(1)",
    "x.mul_(2)",
    "x.div_(2)",
    "x.pow_(2)",
    "x.zero_()",
    "x.fill_(1.0)",
    "x.copy_(fg.ones(2))",
    "x.clamp_(min=0)",
    "x.__iadd__(1)",
    "x.__imul__(2)",
    "x.__setitem__(0, 5.0)",
    "x[0].add_(1)",
]


@pytest.mark.parametrize("op", LEAF_OPS)
def test_in_place_on_leaf_that_requires_grad_raises(op):
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=LEAF_INPLACE):
        eval(op, {"fg": fg, "x": x})
    assert x.tolist() == [1.0, 2.0]  # nothing was written


def test_in_place_on_leaf_under_no_grad_is_allowed():
    x = leaf([1.0, 2.0])
    with fg.no_grad():
        x.add_(1)
        x[0] = 10.0
        x *= 2
    assert x.tolist() == [20.0, 6.0]
    assert x.is_leaf and x.requires_grad and x.grad_fn is None
    (x * x).sum().backward()
    assert x.grad.tolist() == [40.0, 12.0]


def test_modifying_a_saved_input_before_backward_raises():
    x = leaf([1.0, 2.0])
    b = x * 2
    c = b * b  # saves b
    b.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        c.sum().backward()


def test_modifying_a_saved_output_before_backward_raises():
    x = leaf([1.0, 2.0])
    for make in (lambda t: t.exp(), lambda t: t.sigmoid(), lambda t: t.tanh(), lambda t: t.sqrt()):
        y = make(x)  # these save their own output
        y.mul_(2)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


def test_modifying_a_tensor_that_is_not_saved_is_fine():
    x = leaf([1.0, 2.0])
    b = x * 2
    c = b + 1  # add saves nothing
    b.mul_(3)
    c.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    assert b.tolist() == [6.0, 12.0]


def test_modifying_through_a_view_bumps_the_shared_version():
    x = leaf([1.0, 2.0])
    b = x * 2
    c = b * b
    b[0] = 0.0  # writes through b's storage
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        c.sum().backward()


# -- graph shapes ---------------------------------------------------------------------------


def test_diamond_graph_accumulates():
    x = leaf([1.0, 2.0])
    a = x * 2
    b = x * 3
    c = a * b  # 6 x^2
    c.sum().backward()
    assert x.grad.tolist() == [12.0, 24.0]  # 12 x


def test_shared_intermediate_used_many_times():
    x = leaf([1.0, 2.0])
    y = x * 2
    z = y + y + y * y  # 2y + y^2 with y = 2x: dz/dx = (2 + 2y) 2
    z.sum().backward()
    assert x.grad.tolist() == [12.0, 20.0]


def test_same_leaf_used_twice_in_one_op():
    x = leaf([3.0])
    (x * x).backward()
    assert x.grad.tolist() == [6.0]
    x.grad = None
    (x + x).backward()
    assert x.grad.tolist() == [2.0]


def test_grad_fn_identity_and_name():
    x = leaf([1.0])
    y = x + 2
    assert y.grad_fn is y.grad_fn
    assert y.grad_fn.name() == "AddBackward0"
    assert node_name(y.grad_fn) == "AddBackward0"
    assert x.grad_fn is None


def test_next_functions_structure():
    x = leaf([1.0, 2.0])
    c = fg.ones(2)
    y = x + 2
    nf = y.grad_fn.next_functions
    assert isinstance(nf, tuple)
    assert len(nf) == 2
    assert all(isinstance(e, tuple) and len(e) == 2 for e in nf)
    acc, idx = nf[0]
    assert node_name(acc) == "AccumulateGrad"
    assert idx == 0
    assert nf[1] == (None, 0)  # the constant 2 has no node
    assert acc.next_functions == ()
    assert acc.variable is x

    nf = (c + x).grad_fn.next_functions
    assert nf[0] == (None, 0)
    assert node_name(nf[1][0]) == "AccumulateGrad"

    z = (x * 2) + x
    (n0, i0), (n1, i1) = z.grad_fn.next_functions
    assert n0.name() == "MulBackward0" and i0 == 0
    assert node_name(n1) == "AccumulateGrad" and i1 == 0
    assert n0.next_functions[0][0] is n1  # one accumulator per leaf

    s = x.sum()
    assert len(s.grad_fn.next_functions) == 1
    assert s.grad_fn.next_functions[0][0] is n1


def test_next_functions_of_unary_chain():
    x = leaf([1.0, 2.0])
    y = x.exp().sum()
    names = []
    node = y.grad_fn
    while node is not None:
        names.append(node_name(node))
        nxt = node.next_functions
        node = nxt[0][0] if nxt else None
    assert names == ["SumBackward0", "ExpBackward0", "AccumulateGrad"]


# -- shapes and dtypes of gradients ---------------------------------------------------------


def test_one_element_tensor_and_scalar_gradients():
    a = leaf([3.0])
    (a * a).backward()  # a one-element output needs no explicit gradient
    assert a.grad.shape == (1,)
    assert a.grad.tolist() == [6.0]
    s = leaf(3.0)
    (s * s).backward()
    assert s.grad.shape == ()
    assert s.grad.item() == 6.0
    m = leaf([[3.0]])
    (m * 2).backward()
    assert m.grad.shape == (1, 1)


def test_scalar_times_vector_gradient_is_a_scalar():
    s = leaf(2.0)
    v = leaf([1.0, 2.0, 3.0])
    (s * v).sum().backward()
    assert s.grad.shape == ()
    assert s.grad.item() == 6.0
    assert v.grad.tolist() == [2.0, 2.0, 2.0]


def test_broadcasting_gradients_reduce_to_input_shape():
    a = fg.ones(3, 1, requires_grad=True)
    b = fg.ones(4, requires_grad=True)
    s = leaf(2.0)
    (a * b * s).sum().backward()
    assert a.grad.shape == (3, 1)
    assert a.grad.tolist() == [[8.0], [8.0], [8.0]]  # 4 columns times s
    assert b.grad.shape == (4,)
    assert b.grad.tolist() == [6.0] * 4  # 3 rows times s
    assert s.grad.shape == ()
    assert s.grad.item() == 12.0


def test_broadcasting_gradient_over_leading_and_inner_dims():
    a = fg.ones(2, 1, 3, requires_grad=True)
    b = fg.ones(4, 1, requires_grad=True)
    (a + b).sum().backward()  # result shape (2, 4, 3)
    assert a.grad.shape == (2, 1, 3)
    assert a.grad.sum().item() == 2 * 3 * 4
    assert a.grad[0, 0, 0].item() == 4.0
    assert b.grad.shape == (4, 1)
    assert b.grad.tolist() == [[6.0]] * 4


def test_int_by_float_gradient():
    i = fg.tensor([1, 2, 3])
    f = leaf([1.0, 2.0, 3.0])
    r = i * f
    assert r.dtype == fg.float32
    r.sum().backward()
    assert f.grad.dtype == fg.float32
    assert f.grad.tolist() == [1.0, 2.0, 3.0]
    f.grad = None
    (f / i).sum().backward()
    assert f.grad.tolist() == pytest.approx([1.0, 0.5, 1 / 3])
    f.grad = None
    (f**i).sum().backward()  # i f^(i-1)
    assert f.grad.tolist() == [1.0, 4.0, 27.0]


def test_mixed_float_dtypes_gradients_keep_each_input_dtype():
    f = leaf([1.0, 2.0, 3.0])
    d = leaf([1.0, 2.0, 3.0], dtype=fg.float64)
    r = f * d
    assert r.dtype == fg.float64
    r.sum().backward()
    assert f.grad.dtype == fg.float32
    assert d.grad.dtype == fg.float64
    assert d.grad.tolist() == [1.0, 2.0, 3.0]


def test_zero_dim_float64_with_float32_gradient_dtypes():
    f = leaf([1.0, 2.0, 3.0])
    s64 = leaf(2.0, dtype=fg.float64)
    r = f * s64  # a 0-dim tensor does not promote a dimensioned one's float type
    assert r.dtype == fg.float32
    r.sum().backward()
    assert f.grad.dtype == fg.float32
    assert f.grad.tolist() == [2.0, 2.0, 2.0]
    assert s64.grad.dtype == fg.float64
    assert s64.grad.item() == 6.0


def test_grad_through_views():
    x = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = x.t()[1:, ::1].reshape(4) * fg.tensor([1.0, 2.0, 3.0, 4.0])
    y.sum().backward()
    # x.t()[1:] holds x[:, 1:] transposed: [[2, 5], [3, 6]]
    assert x.grad.tolist() == [[0.0, 1.0, 3.0], [0.0, 2.0, 4.0]]


def test_grad_through_expand_and_indexing():
    x = leaf([1.0, 2.0])
    y = x[None].expand(3, 2)  # every row is x
    (y * fg.tensor([[1.0], [2.0], [3.0]])).sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]
    x.grad = None
    (x[1] * 5 + x[..., 0]).backward()
    assert x.grad.tolist() == [1.0, 5.0]


def test_floor_divide_is_not_differentiable():
    x = leaf([1.0, 2.0])
    y = x // 2
    assert y.requires_grad  # tracked, but with a node that cannot differentiate
    with pytest.raises(RuntimeError, match="not implemented"):
        y.sum().backward()
