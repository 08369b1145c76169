"""Recording nodes on 0-dim tensors: whether an op records is decided from each input's
requires-grad state, which must follow every change to it (requires_grad_, detach_,
an op giving a tensor its history), and graphs built on several threads at once must
keep their own nodes and counts. Expected values are PyTorch's."""

import gc
import threading

from backend import IS_TORCH, fg


def test_an_op_records_only_after_its_input_starts_requiring_grad():
    x = fg.tensor(0.5)
    assert (x * 2).grad_fn is None
    x.requires_grad_(True)
    y = x * 2
    assert y.grad_fn is not None and type(y.grad_fn).__name__ == "MulBackward0"
    x.requires_grad_(False)
    assert (x * 2).grad_fn is None
    assert not (x * 2).requires_grad


def test_a_result_requires_grad_through_its_history_and_not_after_detach_():
    x = fg.tensor(0.5, requires_grad=True)
    y = (x * 3).tanh()
    assert y.requires_grad and not y.is_leaf
    z = y + 1
    assert z.requires_grad and type(z.grad_fn).__name__ == "AddBackward0"
    y.detach_()
    assert not y.requires_grad and y.is_leaf and y.grad_fn is None
    w = y * 2
    assert not w.requires_grad and w.grad_fn is None
    # the graph made before detach_ still runs
    z.backward()
    assert abs(x.grad.item() - 0.5421198606491089) < 1e-6


def test_the_scalar_chain_of_the_benchmark_gives_pytorch_gradients():
    p = fg.tensor(0.5, requires_grad=True)
    q = fg.tensor(-0.25, requires_grad=True)
    v = fg.tensor(0.1, requires_grad=True)
    w = v
    for _ in range(5):
        w = (w * p + q).tanh()
    assert type(w.grad_fn).__name__ == "TanhBackward0"
    assert [type(f).__name__ for f, _ in w.grad_fn.next_functions] == ["AddBackward0"]
    w.backward()
    # printed by PyTorch 2.13 for the same float32 chain (float32 tanh may differ in
    # the last bit, so compared to a few ulp)
    for got, want in [
        (w.item(), -0.430005),
        (v.grad.item(), 1.510788e-02),
        (p.grad.item(), -0.531646),
        (q.grad.item(), 1.385599),
    ]:
        assert abs(got - want) <= 2e-6 * abs(want), (got, want)


def test_a_saved_output_modified_in_place_is_refused():
    x = fg.tensor(0.3, requires_grad=True)
    y = (x * 2).tanh()
    y.add_(1)
    try:
        y.backward()
    except RuntimeError as e:
        assert "modified by an inplace operation" in str(e)
    else:
        raise AssertionError("backward through a modified saved output must fail")


def test_graphs_built_on_several_threads_keep_their_own_gradients():
    results = {}

    def build(k):
        p = fg.tensor(0.5 + k / 10, requires_grad=True)
        v = fg.tensor(0.1)
        for _ in range(200):
            v = (v * p + 0.01).tanh()
        v.backward()
        results[k] = (p.grad.item(), v.item())

    threads = [threading.Thread(target=build, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(4):
        serial = {}
        p = fg.tensor(0.5 + k / 10, requires_grad=True)
        v = fg.tensor(0.1)
        for _ in range(200):
            v = (v * p + 0.01).tanh()
        v.backward()
        serial[k] = (p.grad.item(), v.item())
        assert results[k] == serial[k]


def test_dropping_scalar_graphs_frees_every_node_and_saved_tensor():
    if IS_TORCH:  # graph_stats is ferrograd's own
        return
    gc.collect()
    before = fg.autograd.graph_stats()
    p = fg.tensor(0.5, requires_grad=True)
    v = fg.tensor(0.1, requires_grad=True)
    for _ in range(100):
        v = (v * p + 1.0).tanh()
    during = fg.autograd.graph_stats()
    # 300 op nodes and the two leaves' accumulators; each Mul saves two tensors, each
    # Tanh its output, Add by a number nothing
    assert during["live_nodes"] - before["live_nodes"] == 302
    assert during["saved_tensors"] - before["saved_tensors"] == 300
    assert during["saved_bytes"] - before["saved_bytes"] == 300 * 4
    del v, p
    after = fg.autograd.graph_stats()
    assert after["live_nodes"] == before["live_nodes"]
    assert after["saved_tensors"] == before["saved_tensors"]
    assert after["saved_bytes"] == before["saved_bytes"]
