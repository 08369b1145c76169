"""Reference cycles through the autograd graph are collected by `gc.collect()`.

A hook, a node hook or a custom Function's context that refers back to the tensor it
belongs to makes a cycle that runs through Rust objects; the tensor and grad_fn classes
report those references to Python's collector. Each test builds a cycle, drops it,
collects, and checks with a weak reference that the tensor is gone and (in ferrograd)
that the graph's live node count is back where it was. Objects that are still reachable
must keep working after a collection.

PyTorch 2.13 leaks several of these cycles (its tensors report a hook to the collector
only in some cases); ferrograd frees them all. `freed(torch=...)` records what PyTorch
does, so the file passes with FG_TEST_BACKEND=torch and states the difference.
"""

import gc
import weakref

from backend import IS_TORCH, fg

D = fg.float64


def live_nodes():
    """The graph's live node count (PyTorch has no such counter: always 0 there)."""
    if IS_TORCH:
        return 0
    return fg.autograd.graph_stats()["live_nodes"]


def freed(torch):
    """Whether the cycle is expected to be freed: always in ferrograd, as recorded in
    PyTorch 2.13."""
    return torch if IS_TORCH else True


def collected(make_cycle):
    """Builds a cycle, drops it, collects: whether it was freed and the graph emptied."""
    gc.collect()
    baseline = live_nodes()
    ref = make_cycle()
    assert ref() is not None, "the cycle must keep the object alive before collection"
    gc.collect()
    return ref() is None and live_nodes() == baseline


class Marker:
    """A weakly referenceable object to put inside a cycle."""

    def touch(self, *_objects):
        return None


class Double(fg.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2


def test_tensor_hook_returning_its_tensor():
    def make():
        x = fg.ones(3, dtype=D, requires_grad=True)
        t = x * 2
        t.register_hook(lambda g: t)
        return weakref.ref(t)

    assert collected(make) is freed(torch=False)


def test_leaf_hook_referring_to_its_leaf():
    def make():
        x = fg.ones(3, dtype=D, requires_grad=True)
        x.register_hook(lambda g: g * x)
        return weakref.ref(x)

    assert collected(make) is freed(torch=True)


def test_closure_hook_over_a_chain():
    def make():
        x = fg.ones(3, dtype=D, requires_grad=True)
        y = (x * 3).exp().sum()
        state = {"y": y}

        def hook(g):
            return g * state["y"]

        y.register_hook(hook)
        return weakref.ref(y)

    assert collected(make) is freed(torch=False)


def test_grad_fn_hook_and_prehook_referring_to_the_output():
    def make_hook():
        x = fg.ones(3, dtype=D, requires_grad=True)
        y = x.exp()
        y.grad_fn.register_hook(lambda grad_in, grad_out: y and None)
        return weakref.ref(y)

    def make_prehook():
        x = fg.ones(3, dtype=D, requires_grad=True)
        y = x.exp()
        y.grad_fn.register_prehook(lambda grad_out: y and None)
        return weakref.ref(y)

    assert collected(make_hook) is freed(torch=False)
    assert collected(make_prehook) is freed(torch=False)


def test_grad_fn_object_hook_referring_to_itself():
    def make():
        x = fg.ones(3, dtype=D, requires_grad=True)
        fn = x.exp().grad_fn
        marker = Marker()  # PyTorch's node objects take no weak references
        fn.register_hook(lambda grad_in, grad_out: marker.touch(fn))
        return weakref.ref(marker)

    assert collected(make) is freed(torch=True)


def test_function_ctx_holding_its_output():
    def make():
        x = fg.ones(3, dtype=D, requires_grad=True)
        y = Double.apply(x)
        y.grad_fn.output = y
        return weakref.ref(y)

    assert collected(make) is freed(torch=True)


def test_function_ctx_holding_a_hooked_output():
    def make():
        x = fg.ones(3, dtype=D, requires_grad=True)
        y = Double.apply(x)
        y.register_hook(lambda g: y.grad_fn and g)
        return weakref.ref(y)

    assert collected(make) is freed(torch=False)


def test_many_cycles_leave_no_live_nodes():
    gc.collect()
    baseline = live_nodes()
    refs = []
    for _ in range(50):
        x = fg.ones(4, dtype=D, requires_grad=True)
        t = (x * 2).sin()
        t.register_hook(lambda g, t=t: t and g)
        refs.append(weakref.ref(t))
        del x, t
    gc.collect()
    assert all(r() is None for r in refs) is freed(torch=False)
    assert live_nodes() == baseline


def test_reachable_cycles_keep_working_after_a_collection():
    x = fg.ones(3, dtype=D, requires_grad=True)
    y = x * 2
    calls = []

    def hook(g):
        calls.append(y.shape)
        return g * 10

    y.register_hook(hook)
    z = Double.apply(y)
    z.grad_fn.keep = z
    gc.collect()
    z.sum().backward()
    assert calls == [y.shape]
    assert x.grad.tolist() == [40.0, 40.0, 40.0]
    assert z.grad_fn.keep is z


def test_hook_still_runs_through_a_live_graph_after_the_tensor_is_collected():
    x = fg.ones(3, dtype=D, requires_grad=True)
    calls = []

    def build():
        y = x * 2
        y.register_hook(lambda g: calls.append("hook") or g * 3)
        return y.exp()

    z = build()
    gc.collect()
    z.sum().backward()
    assert calls == ["hook"]
    assert abs(x.grad[0].item() - 6 * 2.718281828459045**2) < 1e-9
