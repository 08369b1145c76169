"""Thread scenarios for tools/leak_sweep.py (`--scenarios`): races PyTorch defines an
answer for. Each returns a list of problems (empty: fine); run_threads is the sweep's."""

import gc
import threading

THREADS, RUNS = 6, 40
SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


@scenario
def retained_graph_from_threads(fg, run_threads):
    w = fg.ones(8, dtype=fg.float64, requires_grad=True)
    loss = ((w * 2).sin() * 0 + w * 3).sum()
    errors = run_threads(lambda i: [loss.backward(retain_graph=True) for _ in range(RUNS)])
    want = 3.0 * THREADS * RUNS
    return errors + ([] if w.grad.tolist() == [want] * 8 else [f"grad {w.grad.tolist()[:2]}, want {want}"])


@scenario
def shared_leaf_create_graph(fg, run_threads):
    x = fg.full((4,), 2.0, dtype=fg.float64, requires_grad=True)

    def body(i):
        for _ in range(RUNS):
            g, = fg.autograd.grad((x ** 3).sum(), x, create_graph=True)
            g.sum().backward()
    errors = run_threads(body)
    want = 12.0 * THREADS * RUNS  # d/dx 3x^2 = 6x at x = 2
    return errors + ([] if x.grad.tolist() == [want] * 4 else [f"grad {x.grad.tolist()}, want {want}"])


@scenario
def inplace_racing_reads(fg, run_threads):
    t = fg.zeros(1000, dtype=fg.float64)

    def body(i):  # what a read sees mid-write is not defined; the final value is
        for _ in range(RUNS * 5):
            if i == 0:
                t.add_(1)
            else:
                t.clone().sum().item()
    errors = run_threads(body)
    return errors + ([] if t[0].item() == RUNS * 5 else [f"t = {t[0].item()}"])


@scenario
def hooks_and_collections_racing(fg, run_threads):
    x = fg.ones(16, dtype=fg.float64, requires_grad=True)

    def body(i):
        for _ in range(RUNS):
            if i == 0:
                gc.collect()
                continue
            t = x * 2
            t.register_hook(lambda g, t=t: g * 1)  # a cycle through the hook
            t.grad_fn.register_hook(lambda gi, go, t=t: None)
            t.sum().backward()
    errors = run_threads(body)
    gc.collect()
    want = 2.0 * (THREADS - 1) * RUNS
    return errors + ([] if x.grad.tolist() == [want] * 16 else [f"grad {x.grad[0].item()}, want {want}"])


@scenario
def graph_freed_while_another_thread_runs_backward(fg, run_threads):
    x = fg.ones(64, dtype=fg.float64, requires_grad=True)
    shared = []
    lock = threading.Lock()

    def body(i):
        for _ in range(RUNS):
            if i % 2:
                out = (x.exp() * x).sum()
                with lock:
                    shared.append(out)
            else:
                with lock:
                    out = shared.pop() if shared else None
                if out is not None:
                    out.backward()
                    del out
    errors = run_threads(body)
    shared.clear()
    gc.collect()
    live = getattr(fg.autograd, "graph_stats", lambda: {"live_nodes": 0})()["live_nodes"]
    return errors + ([] if live == 0 else [f"{live} live nodes"])


@scenario
def custom_function_and_checkpoint(fg, run_threads):
    from importlib import import_module
    checkpoint = import_module(fg.__name__ + ".utils.checkpoint").checkpoint

    class Square(fg.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * a

        @staticmethod
        def backward(ctx, g):
            (a,) = ctx.saved_tensors
            return 2 * a * g
    x = fg.full((4,), 3.0, dtype=fg.float64, requires_grad=True)

    def body(i):
        for _ in range(RUNS):
            if i % 2:
                Square.apply(x).sum().backward()
            else:
                checkpoint(lambda a: Square.apply(a), x, use_reentrant=bool(i % 4)).sum().backward()
    errors = run_threads(body)
    want = 6.0 * THREADS * RUNS
    return errors + ([] if x.grad.tolist() == [want] * 4 else [f"grad {x.grad.tolist()}, want {want}"])


@scenario
def saved_tensors_hooks_are_per_thread(fg, run_threads):
    x = fg.full((4,), 3.0, dtype=fg.float64, requires_grad=True)
    packed = [0] * THREADS

    def body(i):
        for _ in range(RUNS):
            if i % 2:
                def pack(t, i=i):
                    packed[i] += 1
                    return t
                with fg.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
                    (x * x).sum().backward()
            else:
                (x * x).sum().backward()
    errors = run_threads(body)
    # x * x saves x twice (self and other) in each hooked thread; the others pack nothing
    want = [2 * RUNS if i % 2 else 0 for i in range(THREADS)]
    return errors + ([] if packed == want else [f"packed {packed}, want {want}"])
