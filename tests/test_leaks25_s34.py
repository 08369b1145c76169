"""Leaks, cycles and threads found by the session-34 sweep (tools/leak_sweep.py).

A sample of the sweep's calls runs here, bounded: each must leave no tensor, graph node,
object or collectable cycle behind. Then what it found: BatchNorm's update of its running
statistics keeps their version (PyTorch's kernel writes them without a bump, so a second
forward does not break the first graph's backward), nested helpers that called
themselves left a reference cycle (holding tensors) at every call, and thread scenarios
with answers PyTorch defines.
"""

import gc
import io
import os
import sys
import warnings
import weakref

import pytest
from backend import IS_TORCH, MOD, fg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))
import leak_sweep
import leak_sweep_threads
from leak_sweep_cases import CASES
from leak_sweep_threads import SCENARIOS

D = fg.float64

# one or two calls of each family; none leaves anything behind, in PyTorch either
SAMPLE = ["mul+bw", "getitem_mask+bw", "view_add_+bw", "qr+bw", "cross_entropy+bw", "LSTM", "SGD_momentum",
          "function_save_for_backward", "tensor_hooks", "saved_tensors_hooks", "forward_ad", "bad_matmul"]


@pytest.fixture(autouse=True)
def fewer_runs(monkeypatch):
    monkeypatch.setattr(leak_sweep, "WARM", 5)
    monkeypatch.setattr(leak_sweep, "RUNS", 20)
    monkeypatch.setattr(leak_sweep, "THREAD_RUNS", 8)
    monkeypatch.setattr(leak_sweep_threads, "RUNS", 12)
    monkeypatch.setattr(leak_sweep, "BYTES_PER_CALL", 2000)  # fewer runs: free lists weigh more
    monkeypatch.setattr(leak_sweep, "RSS_PER_CALL", 1 << 20)


@pytest.mark.parametrize("name", SAMPLE)
def test_a_sample_of_the_sweeps_calls_leaves_nothing_behind(name):
    (make,) = [m for _, n, m in CASES if n == name]
    assert leak_sweep.sweep_case(fg, make) == {}


# -- BatchNorm's running statistics ------------------------------------------------------------


def test_a_second_batchnorm_forward_does_not_break_the_first_graphs_backward():
    gen = fg.Generator().manual_seed(0)
    bn = fg.nn.BatchNorm1d(2).double()
    x = fg.randn(4, 2, dtype=D, generator=gen, requires_grad=True)
    first = bn(x)
    bn(x)
    assert (bn.running_mean._version, bn.running_var._version) == (0, 0)
    assert first.grad_fn._saved_running_mean is bn.running_mean
    (first * fg.tensor([1.0, 2.0], dtype=D)).sum().backward()
    assert fg.allclose(x.grad, fg.zeros(4, 2, dtype=D), atol=1e-12)


def test_batchnorm_still_refuses_a_running_statistic_changed_by_the_user():
    bn = fg.nn.BatchNorm1d(2).double()
    out = bn(fg.ones(4, 2, dtype=D, requires_grad=True))
    bn.running_mean.add_(1)
    with pytest.raises(RuntimeError, match=r"\[" + MOD + r"\.DoubleTensor \[2\]\] is at version 1; expected version 0"):
        out.sum().backward()


def test_half_batchnorm_keeps_the_running_statistics_version():
    bn = fg.nn.BatchNorm1d(2).half()
    first = bn(fg.ones(4, 2, dtype=fg.float16, requires_grad=True))
    bn(fg.ones(4, 2, dtype=fg.float16))
    assert bn.running_mean._version == 0
    first.float().sum().backward()


def test_instance_norm_copy_into_the_running_statistics_still_bumps_them():
    rm, rv = fg.zeros(3, dtype=D), fg.ones(3, dtype=D)
    fg.nn.functional.instance_norm(fg.ones(2, 3, 4, dtype=D), rm, rv, use_input_stats=True)
    assert (rm._version, rv._version) == (1, 1)


# -- no cycle per call ------------------------------------------------------------------------


def cycles_left_by(call):
    call()
    gc.collect()
    call()
    return gc.collect()


def test_tensor_of_tensors_and_numbers_leaves_no_cycle():
    assert cycles_left_by(lambda: fg.tensor([fg.ones(()), 2.0])) == 0


def test_multi_dot_and_load_state_dict_leave_no_cycle():
    a = fg.ones(3, 3)
    net = fg.nn.Sequential(fg.nn.Linear(2, 2), fg.nn.Sequential(fg.nn.Linear(2, 2)))
    state = net.state_dict()
    assert cycles_left_by(lambda: fg.linalg.multi_dot([a, a, a, a])) == 0
    assert cycles_left_by(lambda: net.load_state_dict(state)) == 0


def test_tree_flatten_optimizer_state_and_func_transforms_leave_no_cycle():
    # PyTorch's tree_flatten, Optimizer.load_state_dict, vmap and grad leave cycles (recorded)
    pytree = __import__(f"{MOD}.utils._pytree", fromlist=["tree_flatten"])
    a = fg.ones(3, 3)
    net = fg.nn.Linear(2, 2)
    opt = fg.optim.Adam(net.parameters())
    net(fg.ones(1, 2)).sum().backward()
    opt.step()
    state = opt.state_dict()
    found = [cycles_left_by(lambda: pytree.tree_flatten({"a": [a, (a, 1)]})) > 0,
             cycles_left_by(lambda: opt.load_state_dict(state)) > 0,
             cycles_left_by(lambda: fg.func.vmap(lambda x: x * 2)(a)) > 0,
             cycles_left_by(lambda: fg.func.grad(lambda x: (x * x).sum())(a)) > 0]
    assert found == ([True] * 4 if IS_TORCH else [False] * 4)


def test_save_and_load_of_a_state_dict_round_trip_after_the_change():
    net = fg.nn.Sequential(fg.nn.Linear(2, 3), fg.nn.BatchNorm1d(3))
    buf = io.BytesIO()
    fg.save(net.state_dict(), buf)
    buf.seek(0)
    other = fg.nn.Sequential(fg.nn.Linear(2, 3), fg.nn.BatchNorm1d(3))
    result = other.load_state_dict(fg.load(buf))
    assert (result.missing_keys, result.unexpected_keys) == ([], [])
    assert fg.equal(other[0].weight, net[0].weight)
    with pytest.raises(RuntimeError, match=r'Unexpected key\(s\) in state_dict: "1.extra"'):
        other.load_state_dict({**net.state_dict(), "1.extra": fg.ones(1)})


# -- refused calls -------------------------------------------------------------------------------

REFUSED = {
    "index": lambda x: x[10], "view": lambda x: x.t().view(-1), "keyword": lambda x: x.sum(dimm=1),
    "factory_dtype": lambda x: fg.zeros(2, dtype="float"), "cat": lambda x: fg.cat([x, x[:, :2]]),
    "inv": lambda x: fg.linalg.inv(x), "matmul": lambda x: x @ x,
    "cross_entropy": lambda x: fg.nn.functional.cross_entropy(x, fg.tensor([9, 0, 0, 0])),
}


@pytest.mark.parametrize("name", REFUSED)
def test_a_refused_call_frees_its_arguments_without_a_collection(name):
    # the helpers answering a failed call used to hold the error in a local of a frame on
    # its own traceback: a cycle keeping the call's tensors until the collector ran
    call = REFUSED[name]
    warnings.simplefilter("ignore")
    for _ in range(2):  # the first call may import and cache
        x = fg.ones(4, 5, dtype=D)
        with pytest.raises((RuntimeError, TypeError, IndexError, ValueError)):
            call(x)
    gc.collect()
    gc.disable()
    try:
        x = fg.ones(4, 5, dtype=D)
        ref = weakref.ref(x)
        with pytest.raises((RuntimeError, TypeError, IndexError, ValueError)):
            call(x)
        del x
        assert ref() is None
        assert gc.collect() == 0
    finally:
        gc.enable()


# -- threads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_thread_scenarios_give_pytorchs_answers(scenario):
    assert scenario(fg, leak_sweep.run_threads) == []


@pytest.mark.parametrize("name", ["matmul+bw", "layer_norm+bw", "setitem_mask+bw", "Linear"])
def test_calls_from_threads_on_separate_and_shared_inputs(name):
    (make,) = [m for _, n, m in CASES if n == name]
    assert leak_sweep.thread_case(fg, make) == {}
