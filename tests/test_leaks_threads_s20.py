"""Leaks, threads and exceptions mid-op (session 20 audit).

Each API family runs a few hundred times after a warm-up: the graph's live nodes and
saved tensors must come back to their baseline and no Python object type may grow
with the number of runs. Module backward hooks must not make a cycle the garbage
collector cannot free. Threads share leaves, graphs and hooks (in a child interpreter
under faulthandler, so a crash or hang fails one test). An exception anywhere in a
backward pass leaves grad mode, anomaly mode and the graph as they were.
"""

import collections
import gc
import subprocess
import sys
import textwrap
import warnings
import weakref

import pytest
from backend import IS_TORCH, MOD, fg

D = fg.float64
RUNS = 150


def graph_counts() -> tuple:
    """(live nodes, saved tensors); PyTorch has no such counters."""
    if IS_TORCH:
        return (0, 0)
    s = fg.autograd.graph_stats()
    return (s["live_nodes"], s["saved_tensors"])


def object_counts() -> collections.Counter:
    gc.collect()
    return collections.Counter(type(o).__qualname__ for o in gc.get_objects())


def assert_no_leak(step, runs: int = RUNS) -> None:
    """Runs `step` twice `runs` times after a warm-up: no object type grows by one per
    run in the second round, and the graph is back at its baseline each time."""
    for _ in range(20):
        step()
    gc.collect()
    graph = graph_counts()
    for _ in range(runs):
        step()
    first = object_counts()
    for _ in range(runs):
        step()
    second = object_counts()
    grown = {k: second[k] - first[k] for k in second if second[k] - first[k] >= runs}
    assert grown == {}, grown
    assert graph_counts() == graph


# -- families ---------------------------------------------------------------------------------


class MulSaved(fg.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.extra = a * 2  # a tensor kept on the context itself
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return g * b, g * a


class ExpSavesOutput(fg.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        out = a.exp()
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out


class DoubleInPlace(fg.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        a.mul_(2)
        ctx.mark_dirty(a)
        return a

    @staticmethod
    def backward(ctx, g):
        return g * 2


def make_leaves():
    gen = fg.Generator().manual_seed(0)
    return (fg.randn(6, 6, dtype=D, generator=gen, requires_grad=True),
            fg.randn(6, 6, dtype=D, generator=gen, requires_grad=True))


def test_custom_functions_with_saved_and_dirty_tensors_do_not_leak():
    x, y = make_leaves()

    def step():
        a = MulSaved.apply(x, y)
        b = ExpSavesOutput.apply(a.tanh())
        DoubleInPlace.apply(b.clone()).sum().backward()
        g, = fg.autograd.grad(MulSaved.apply(x, y).sum(), x, create_graph=True)
        g.sum().backward()

    assert_no_leak(step)


def test_hooks_of_every_kind_do_not_leak():
    x, _ = make_leaves()
    module = fg.nn.Linear(6, 6).double()

    def step():
        t = x * 2
        t.register_hook(lambda g: g * 2)
        t.retain_grad()
        handles = [x.register_hook(lambda g: g), x.register_post_accumulate_grad_hook(lambda p: None),
                   module.register_forward_hook(lambda m, i, o: None),
                   module.register_forward_pre_hook(lambda m, i: None),
                   module.register_full_backward_hook(lambda m, gi, go: None),
                   module.register_full_backward_pre_hook(lambda m, go: None)]
        t.grad_fn.register_hook(lambda gi, go: None)
        t.grad_fn.register_prehook(lambda go: None)
        (module(t).sum() + t.sum()).backward()
        for h in handles:
            h.remove()

    assert_no_leak(step)


def test_saved_tensor_hooks_checkpoint_and_forward_ad_do_not_leak():
    x, y = make_leaves()
    checkpoint = __import__(f"{MOD}.utils.checkpoint", fromlist=["checkpoint"]).checkpoint
    forward_ad = __import__(f"{MOD}.autograd.forward_ad", fromlist=["dual_level"])

    def step():
        with fg.autograd.graph.saved_tensors_hooks(lambda t: t.clone(), lambda t: t):
            (x * y).exp().sum().backward()
        checkpoint(lambda a: (a * y).sin().exp(), x, use_reentrant=False).sum().backward()
        checkpoint(lambda a: (a * y).sin().exp(), x, use_reentrant=True).sum().backward()
        with forward_ad.dual_level():
            dual = forward_ad.make_dual(x.detach(), fg.ones_like(x))
            tangent = forward_ad.unpack_dual((dual.sin() * dual).sum()).tangent
            assert tangent is not None

    assert_no_leak(step)


def test_layers_losses_rnns_and_attention_do_not_leak():
    gen = fg.Generator().manual_seed(1)
    conv = fg.nn.Conv2d(2, 3, 3, padding=1).double()
    norm = fg.nn.BatchNorm2d(3).double()
    lstm = fg.nn.LSTM(4, 5, batch_first=True).double()
    attention = fg.nn.MultiheadAttention(4, 2, batch_first=True).double()
    image = fg.randn(2, 2, 6, 6, dtype=D, generator=gen, requires_grad=True)
    sequence = fg.randn(2, 3, 4, dtype=D, generator=gen, requires_grad=True)
    target = fg.tensor([1, 0])

    def step():
        h = fg.nn.functional.max_pool2d(norm(conv(image)), 2)
        logits = h.flatten(1)[:, :4]
        out, _ = lstm(sequence)
        attended, weights = attention(sequence, sequence, sequence)
        (fg.nn.functional.cross_entropy(logits, target) + fg.nn.functional.mse_loss(out, out.detach() + 1)
         + attended.sum() + weights.sum()).backward()

    assert_no_leak(step, runs=60)


def test_func_transforms_do_not_leak():
    x, _ = make_leaves()

    def step():
        fg.func.grad(lambda a: (a.sin() * a).sum())(x.detach())
        fg.func.vmap(lambda a: a * 2 + a.sum())(x.detach())
        fg.func.jacrev(lambda a: a.sin())(x[0].detach())

    assert_no_leak(step, runs=60)


def test_an_optimizer_step_with_a_scheduler_does_not_leak():
    x, _ = make_leaves()
    net = fg.nn.Sequential(fg.nn.Linear(6, 8), fg.nn.ReLU(), fg.nn.Linear(8, 1)).double()
    opt = fg.optim.Adam(net.parameters(), lr=1e-3)
    sched = fg.optim.lr_scheduler.CosineAnnealingLR(opt, 1000)

    def step():
        opt.zero_grad()
        net(x.detach()).pow(2).mean().backward()
        opt.step()
        sched.step()

    assert_no_leak(step)


def test_registering_and_removing_a_post_accumulate_grad_hook_keeps_no_history():
    x = fg.ones(3, dtype=D, requires_grad=True)
    calls = []
    for _ in range(RUNS):
        x.register_post_accumulate_grad_hook(lambda p: None).remove()
    kept = x.register_post_accumulate_grad_hook(lambda p: calls.append(p is x))
    (x * 2).sum().backward()
    assert calls == [True]
    if not IS_TORCH:
        assert len(x.__dict__["_fg_accumulators"]) == 1  # was one entry per registration
    kept.remove()
    (x * 2).sum().backward()
    assert calls == [True]
    assert x.grad.tolist() == [4.0, 4.0, 4.0]


# -- module backward hooks and cycles ---------------------------------------------------------


def freed(torch: bool) -> bool:
    """Whether the cycle is freed: always in ferrograd; PyTorch 2.13 leaks these."""
    return torch if IS_TORCH else True


def module_collected(make) -> bool:
    gc.collect()
    graph = graph_counts()
    ref = make()
    assert ref() is not None
    gc.collect()
    return ref() is None and graph_counts() == graph


def test_a_module_holding_its_own_output_with_full_backward_hooks_is_collected():
    def before_backward():
        m = fg.nn.Linear(3, 3).double()
        m.register_full_backward_hook(lambda mod, gi, go: None)
        m.last_output = m(fg.ones(3, dtype=D, requires_grad=True))
        return weakref.ref(m)

    def after_backward():
        m = fg.nn.Linear(3, 3).double()
        m.register_full_backward_pre_hook(lambda mod, go: None)
        m.register_full_backward_hook(lambda mod, gi, go: None)
        m.last_output = m(fg.ones(3, dtype=D, requires_grad=True))
        m.last_output.sum().backward()
        return weakref.ref(m)

    assert module_collected(before_backward) is freed(torch=False)
    assert module_collected(after_backward) is freed(torch=False)


def test_full_backward_hooks_still_run_when_only_the_graph_holds_the_module():
    calls = []

    def build():
        seq = fg.nn.Sequential(fg.nn.Linear(3, 3), fg.nn.Tanh(), fg.nn.Linear(3, 1)).double()
        for i, sub in enumerate(seq):
            sub.register_full_backward_hook(lambda mod, gi, go, i=i: calls.append((i, type(mod).__name__)))
        seq.register_full_backward_pre_hook(lambda mod, go: calls.append("pre"))
        return seq(fg.ones(2, 3, dtype=D, requires_grad=True))

    out = build()
    gc.collect()
    out.sum().backward()
    assert calls == ["pre", (2, "Linear"), (1, "Tanh"), (0, "Linear")]


def test_a_hook_reached_without_the_output_node_is_still_a_no_op():
    # gradients that reach the module's input node without passing its output node
    # (here: from an activation saved inside forward) run no hook, as in PyTorch
    calls = []
    inner = {}

    class Keep(fg.nn.Module):
        def forward(self, a):
            inner["h"] = a * 3
            return inner["h"].sin()

    m = Keep()
    m.register_full_backward_hook(lambda mod, gi, go: calls.append("hook"))
    x = fg.ones(2, dtype=D, requires_grad=True)
    out = m(x)
    inner["h"].sum().backward(retain_graph=True)
    assert calls == []
    assert x.grad.tolist() == [3.0, 3.0]
    out.sum().backward()
    assert calls == ["hook"]


# -- threads ----------------------------------------------------------------------------------

THREADS_CHILD = """
import faulthandler, sys, threading, warnings
faulthandler.dump_traceback_later(50, exit=True)
D = fg.float64

def run_threads(fn, n):
    errors = []
    def guarded(i):
        try:
            fn(i)
        except BaseException as e:
            errors.append(repr(e))
    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(40)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return errors

# eight threads, forward and backward on two shared leaves: the sums are exact
w = fg.ones(16, 16, dtype=D, requires_grad=True)
b = fg.zeros(16, dtype=D, requires_grad=True)
def shared_leaves(i):
    for _ in range(25):
        x = fg.full((4, 16), float(i + 1), dtype=D)
        ((x @ w + b).relu().sum() + (w * 2).sum()).backward()
print("leaves", run_threads(shared_leaves, 8), w.grad.unique().tolist(), b.grad.unique().tolist())

# hooks raising in half the threads while the others accumulate
w.grad = None
def raising(g):
    raise KeyError("hook")
def some_raise(i):
    for _ in range(25):
        y = w * 1.0
        if i % 2 == 0:
            y.register_hook(raising)
            try:
                y.sum().backward()
            except KeyError:
                continue
            raise AssertionError("the hook's exception was lost")
        y.sum().backward()
print("raising", run_threads(some_raise, 8), w.grad.unique().tolist())

# one retained graph, backward from eight threads at once
w.grad = None
loss = ((w * 2).sin() * 0 + w * 3).sum()
def shared_graph(i):
    for _ in range(25):
        loss.backward(retain_graph=True)
print("graph", run_threads(shared_graph, 8), w.grad.unique().tolist())

# grad modes are per thread
def modes(i):
    for _ in range(100):
        if i % 4 == 0:
            with fg.no_grad():
                assert not (w * 2).requires_grad
        elif i % 4 == 1:
            with fg.inference_mode():
                assert (w * 2).is_inference()
        elif i % 4 == 2:
            with fg.set_grad_enabled(False):
                assert not (w * 2).requires_grad
        else:
            assert (w * 2).requires_grad, "grad mode leaked from another thread"
print("modes", run_threads(modes, 8))

# custom Functions and double backward in threads
class Square(fg.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * a
    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return 2 * a * g
x = fg.full((8,), 2.0, dtype=D, requires_grad=True)
def functions(i):
    for _ in range(25):
        if i % 2:
            Square.apply(x).sum().backward()
        else:
            g, = fg.autograd.grad((x ** 3).sum(), x, create_graph=True)
            g.sum().backward()
print("functions", run_threads(functions, 8), x.grad.unique().tolist())

# the default generator drawn from eight threads gives the one-thread numbers, shared out
fg.manual_seed(0)
expected = sorted(fg.rand(8 * 100, dtype=D).tolist())
fg.manual_seed(0)
drawn = []
def draw(i):
    mine = [fg.rand(1, dtype=D).item() for _ in range(100)]
    drawn.extend(mine)
print("random", run_threads(draw, 8), sorted(drawn) == expected)
del loss
import gc
gc.collect()
print("live", fg.autograd.graph_stats()["live_nodes"] if hasattr(fg.autograd, "graph_stats") else 0)
"""


def test_threads_share_leaves_graphs_and_hooks_without_losing_a_gradient():
    try:
        done = subprocess.run(
            [sys.executable, "-X", "faulthandler", "-c", f"import {MOD} as fg\n" + textwrap.dedent(THREADS_CHILD)],
            check=False, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired as e:
        raise AssertionError("the threads' child hung") from e
    assert done.returncode == 0, done.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.strip().split("\n"))
    # w: 25 runs x 4 rows x (i + 1) summed over threads, plus 2 per (w * 2) run
    assert lines["leaves"] == f"[] [{float(25 * 4 * 36 + 2 * 200)}] [{float(25 * 4 * 8)}]"
    assert lines["raising"] == "[] [100.0]"  # only the four threads without the hook
    assert lines["graph"] == "[] [600.0]"
    assert lines["modes"] == "[]"
    # four threads x 25 runs of d(x^2) = 2x and of d(d(x^3)) = 6x, at x = 2
    assert lines["functions"] == f"[] [{100 * 4.0 + 100 * 12.0}]"
    assert lines["random"] == "[] True"
    assert lines["live"] == "0"


# -- exceptions mid-op ------------------------------------------------------------------------


class Boom(Exception):
    pass


def raise_boom(*_args):
    raise Boom()


def raise_keyboard_interrupt(*_args):
    raise KeyboardInterrupt


class RaisesInBackward(fg.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * 2

    @staticmethod
    def backward(ctx, g):
        raise Boom()


class InterruptedBackward(fg.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 2

    @staticmethod
    def backward(ctx, g):
        raise KeyboardInterrupt


class RaisesInForward(fg.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        raise Boom()

    @staticmethod
    def backward(ctx, g):
        return g


def leaf():
    return fg.ones(3, dtype=D, requires_grad=True)


def hooked(register):
    y = leaf().exp()
    register(y)
    (y * 2).sum().backward()


def module_hooked(register):
    m = fg.nn.Linear(3, 3).double()
    register(m)
    m(leaf()).sum().backward()


def saved_hooks(pack, unpack):
    with fg.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = leaf().exp()
    y.sum().backward()


MID_OP_FAILURES = {
    "tensor hook": (lambda: hooked(lambda y: y.register_hook(raise_boom)), Boom),
    "tensor hook, create_graph": (lambda: backward_create_graph_with_raising_hook(), Boom),
    "KeyboardInterrupt in a hook": (lambda: hooked(lambda y: y.register_hook(raise_keyboard_interrupt)),
                                    KeyboardInterrupt),
    "node pre-hook": (lambda: hooked(lambda y: y.grad_fn.register_prehook(raise_boom)), Boom),
    "node hook": (lambda: hooked(lambda y: y.grad_fn.register_hook(raise_boom)), Boom),
    "Function backward": (lambda: RaisesInBackward.apply(leaf().exp()).sum().backward(), Boom),
    "Function forward": (lambda: RaisesInForward.apply(leaf().exp()), Boom),
    "KeyboardInterrupt in a Function backward": (
        lambda: InterruptedBackward.apply(leaf().exp()).sum().backward(), KeyboardInterrupt),
    "pack hook": (lambda: saved_hooks(raise_boom, lambda p: p), Boom),
    "unpack hook": (lambda: saved_hooks(lambda t: t, raise_boom), Boom),
    "module backward hook": (lambda: module_hooked(lambda m: m.register_full_backward_hook(raise_boom)), Boom),
    "module backward pre-hook": (
        lambda: module_hooked(lambda m: m.register_full_backward_pre_hook(raise_boom)), Boom),
}


def backward_create_graph_with_raising_hook():
    y = leaf().exp()
    y.register_hook(raise_boom)
    with warnings.catch_warnings():  # the create_graph warning comes once per process
        warnings.simplefilter("ignore", UserWarning)
        (y * 2).sum().backward(create_graph=True)


def modes() -> tuple:
    return (fg.is_grad_enabled(), fg.is_inference_mode_enabled(), fg.is_anomaly_enabled())


@pytest.mark.parametrize("where", list(MID_OP_FAILURES))
def test_an_exception_mid_backward_leaves_no_broken_state(where):
    call, exc = MID_OP_FAILURES[where]
    gc.collect()
    before = (modes(), graph_counts())
    with pytest.raises(exc):
        call()
    gc.collect()
    assert (modes(), graph_counts()) == before
    x = leaf()
    (x * x).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_a_post_accumulate_grad_hook_that_raises_keeps_the_gradient_and_frees_the_leaf():
    # PyTorch accumulates first, then the hook's exception propagates
    x = leaf()
    ref = weakref.ref(x)
    x.register_post_accumulate_grad_hook(raise_boom)
    with pytest.raises(Boom):
        (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]
    del x
    gc.collect()
    assert ref() is None


def test_tracing_in_a_loop_leaves_no_generated_source_behind():
    import linecache

    class AddOne(fg.nn.Module):
        def forward(self, a):
            return a.relu() + 1

    def generated() -> int:
        gc.collect()
        return sum(key.startswith("<eval_with_key>") for key in list(linecache.cache))

    module = AddOne()
    traced = fg.fx.symbolic_trace(module)
    before = generated()
    for _ in range(20):
        fg.fx.symbolic_trace(module)
    # the source of a live GraphModule stays for its tracebacks
    assert "relu = a.relu()" in "".join(linecache.getlines(traced.forward.__code__.co_filename))
    if not IS_TORCH:  # PyTorch keeps every generated source for the process's life
        assert generated() == before
