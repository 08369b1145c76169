"""A leaf keeps its gradient accumulator between ops (no new AccumulateGrad node per op):
gradients, hooks and graph accounting behave as if each graph had its own, and nothing
outlives the leaf."""

import gc
import threading
import weakref

import ferrograd as fg
import numpy as np


class Marker:
    pass


def _hooked_leaf(marker):
    x = fg.ones(3, requires_grad=True)
    x.register_hook(lambda g, m=marker: g)
    return x


def test_gradients_accumulate_over_many_graphs_on_one_leaf():
    x = fg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for k in range(1, 6):
        (x * k).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [15.0, 15.0, 15.0])


def test_two_live_graphs_of_one_leaf_share_its_accumulator():
    x = fg.ones(2, requires_grad=True)
    a, b = x * 2, x + 1
    assert a.grad_fn.next_functions[0][0] is b.grad_fn.next_functions[0][0]
    assert a.grad_fn.next_functions[0][0].variable is x


def test_a_dropped_leaf_frees_its_hooks_without_the_garbage_collector():
    gc.disable()
    try:
        marker = Marker()
        gone = weakref.ref(marker)
        x = _hooked_leaf(marker)
        del marker
        for _ in range(3):
            (x * 2).sum().backward()
        assert gone() is not None
        del x
        assert gone() is None
    finally:
        gc.enable()


def test_a_leaf_whose_hook_refers_to_itself_is_collected_after_ops():
    marker = Marker()
    gone = weakref.ref(marker)
    x = fg.ones(3, requires_grad=True)
    x.register_hook(lambda g, m=marker, leaf=x: g)
    (x * 3).sum().backward()
    y = x + 1
    del marker, x, y
    gc.collect()
    assert gone() is None


def test_a_leaf_with_a_post_accumulate_hook_is_collected():
    marker = Marker()
    gone = weakref.ref(marker)
    x = fg.ones(2, requires_grad=True)
    seen = []
    x.register_post_accumulate_grad_hook(lambda t, m=marker: seen.append(t.grad.sum().item()))
    (x * 3).sum().backward()
    assert seen == [6.0]
    del marker, x
    gc.collect()
    assert gone() is None
    assert "AccumulateGrad" not in [g.root for g in fg.autograd.live_graphs()]


def test_graph_stats_count_a_leafs_accumulator_only_while_a_graph_holds_it():
    gc.collect()
    x = fg.ones(3, requires_grad=True)
    (x * 2).sum().backward()  # the accumulator now exists and stays with x
    base = fg.autograd.graph_stats()["live_nodes"]
    y = (x * 2).sum()
    assert fg.autograd.graph_stats()["live_nodes"] == base + 3  # Sum, Mul, AccumulateGrad
    del y
    assert fg.autograd.graph_stats()["live_nodes"] == base


def test_live_graphs_do_not_list_an_idle_leafs_accumulator():
    gc.collect()  # leaves of earlier tests in reference cycles
    x = fg.ones(3, requires_grad=True)
    (x * 2).sum().backward()
    roots = [g.root for g in fg.autograd.live_graphs()]
    assert "AccumulateGrad" not in roots


def test_data_swap_then_backward_uses_the_new_shape():
    x = fg.ones(3, requires_grad=True)
    (x * 2).sum().backward()
    x.grad = None
    x.data = fg.ones(5)
    (x * 2).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0] * 5)


def test_requires_grad_off_then_on_again_still_accumulates():
    x = fg.ones(2, requires_grad=True)
    (x * 2).sum().backward()
    x.requires_grad_(False)
    assert (x * 2).grad_fn is None
    x.requires_grad_(True)
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [5.0, 5.0])


def test_threads_sharing_a_leaf_lose_no_gradient():
    x = fg.ones(4, requires_grad=True)

    def work():
        for _ in range(200):
            (x * 1.0).sum().backward()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    np.testing.assert_array_equal(x.grad.numpy(), [800.0] * 4)
