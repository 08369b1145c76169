"""Leak and thread sweep: ~240 API calls (tools/leak_sweep_cases.py) run many times.

Leaks (one process, one case after another): each call runs WARM times, then RUNS times
twice while we measure
  tensors  live Tensor objects found by the gc (a census of everything the gc tracks)
  graph    ferrograd's live graph nodes and saved tensors (autograd.graph_stats)
  types    object types whose count grows by one per call (or more)
  py       tracemalloc bytes per call (Python allocations), over BYTES_PER_CALL
  rss      resident memory per call (the Rust core's allocations too), over RSS_PER_CALL
  cycles   objects one call leaves for the cycle collector (not a leak: gc frees them,
           but a cycle through a tensor keeps its memory until the next collection)
  results  tensors the call made and returned that are still alive after a gc.collect()
           (a weakref census of the results; its inputs and a module's state do not count)

Threads (`--threads`, a child per family, under faulthandler with a timeout): each call
from THREADS threads at once, on separate inputs (the results must equal the one-thread
results) and on shared inputs (shared leaves must accumulate exactly THREADS x runs
gradients); no exception a single thread does not raise, no crash, no hang.

  python tools/leak_sweep.py [--backend torch] [--family F] [--names a,b] [--threads]
  python tools/leak_sweep.py --compare [--threads]   both backends; ferrograd's extra flags
"""

import argparse
import collections
import faulthandler
import gc
import importlib
import json
import os
import subprocess
import sys
import threading
import tracemalloc
import warnings
import weakref

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from leak_sweep_cases import CASES
from leak_sweep_threads import SCENARIOS

WARM, RUNS = 15, 60
BYTES_PER_CALL = 512  # below: Python's free lists and caches, which stop growing (measured to 3000 calls)
RSS_PER_CALL = 4096
THREADS, THREAD_RUNS, THREAD_TIMEOUT = 6, 15, 60


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def tensors_in(obj, fg, depth=0):
    if isinstance(obj, fg.Tensor):
        yield obj
    elif isinstance(obj, (tuple, list)) and depth < 3:
        for o in obj:
            yield from tensors_in(o, fg, depth + 1)
    elif isinstance(obj, dict) and depth < 3:
        for o in obj.values():
            yield from tensors_in(o, fg, depth + 1)


def census(fg):
    objects = gc.get_objects()
    types = collections.Counter(type(o).__qualname__ for o in objects)
    return types, types.get("Tensor", 0) + types.get("Parameter", 0)


def graph(fg):
    stats = getattr(fg.autograd, "graph_stats", None)
    if stats is None:
        return (0, 0)
    s = stats()
    return (s["live_nodes"], s["saved_tensors"])


def sweep_case(fg, make) -> dict:
    step = make(fg)
    for _ in range(WARM):
        step()
    flags = {}
    # results of one call, and what the cycle collector has to free after it
    gc.collect()
    existing = {id(o) for o in gc.get_objects() if isinstance(o, fg.Tensor)}  # inputs, module state
    refs = [weakref.ref(t) for t in tensors_in(step(), fg) if id(t) not in existing]
    cyclic = gc.collect()
    if cyclic:
        flags["cycles"] = cyclic
    alive = sum(r() is not None for r in refs)
    if alive:
        flags["results"] = alive
    gc.collect()
    base_graph = graph(fg)
    for _ in range(RUNS):
        step()
    gc.collect()
    first, first_tensors = census(fg)
    # two windows: the first fills Python's free lists and caches (their blocks stay
    # traced), only the second's growth counts
    tracemalloc.start()
    for _ in range(RUNS):
        step()
    gc.collect()
    py0, rss0 = tracemalloc.get_traced_memory()[0], rss()
    for _ in range(RUNS):
        step()
    gc.collect()
    py1, rss1 = tracemalloc.get_traced_memory()[0], rss()
    tracemalloc.stop()
    second, second_tensors = census(fg)
    if second_tensors > first_tensors:
        flags["tensors"] = second_tensors - first_tensors
    if graph(fg) != base_graph:
        flags["graph"] = [base_graph, graph(fg)]
    grown = {k: second[k] - first[k] for k in second if second[k] - first[k] >= 2 * RUNS}  # one per call
    if grown:
        flags["types"] = grown
    if (py1 - py0) / RUNS > BYTES_PER_CALL:
        flags["py"] = (py1 - py0) // RUNS
    if (rss1 - rss0) / RUNS > RSS_PER_CALL:
        flags["rss"] = (rss1 - rss0) // RUNS
    return flags


# -- threads ----------------------------------------------------------------------------------

def values(obj, fg):
    return [t.detach().to_dense().tolist() if t.layout != fg.strided else t.detach().tolist()
            for t in tensors_in(obj, fg)]


def run_threads(fn):
    errors = []

    def guarded(i):
        try:
            fn(i)
        except BaseException as e:  # noqa: BLE001 - every failure is a finding
            errors.append(f"{type(e).__name__}: {str(e)[:200]}")
    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(THREAD_TIMEOUT)
    if any(t.is_alive() for t in threads):
        errors.append("hang")
    return errors


def close(a, b) -> bool:
    import math

    def flat(v):
        if isinstance(v, list):
            for x in v:
                yield from flat(x)
        else:
            yield v
    fa, fb = list(flat(a)), list(flat(b))
    return len(fa) == len(fb) and all(
        x == y or (isinstance(x, (float, complex)) and (abs(x - y) <= 1e-9 * (1 + abs(y))
                                                        or (isinstance(x, float) and math.isnan(x) and math.isnan(y))))
        for x, y in zip(fa, fb))


def thread_case(fg, make) -> dict:
    flags = {}
    reference_step = make(fg)
    want, again = values(reference_step(), fg), values(reference_step(), fg)
    deterministic = close(want, again)

    setup = threading.Lock()  # the cases seed the default generator while building

    def separate(i):
        with setup:
            step = make(fg)
        for _ in range(THREAD_RUNS):
            got = values(step(), fg)
            if deterministic and not close(got, want):
                raise AssertionError("a thread's result differs from the one-thread result")
    errors = run_threads(separate)
    if errors:
        flags["separate"] = sorted(set(errors))
    shared = make(fg)
    leaves = getattr(shared, "leaves", ())
    for t in leaves:
        t.grad = None
    shared()
    one = [t.grad.clone() if t.grad is not None else None for t in leaves]
    for t in leaves:
        t.grad = None
    errors = run_threads(lambda i: [shared() for _ in range(THREAD_RUNS)])
    if errors:
        flags["shared"] = sorted(set(errors))
    elif leaves:
        n = THREADS * THREAD_RUNS
        for t, g in zip(leaves, one):
            if (g is None) != (t.grad is None) or (g is not None and not close((t.grad / n).tolist(), g.tolist())):
                flags["shared_grads"] = "accumulated grads differ from threads x runs x one step's"
    return flags


def run_scenarios(backend) -> dict:
    fg = importlib.import_module(backend)
    faulthandler.enable()
    out = {}
    for fn in SCENARIOS:
        try:
            problems = fn(fg, run_threads)
        except Exception as e:  # noqa: BLE001 - reported
            problems = [f"{type(e).__name__}: {str(e)[:200]}"]
        out[f"scenario/{fn.__name__}"] = {"problems": problems} if problems else {}
        print(json.dumps({f"scenario/{fn.__name__}": out[f"scenario/{fn.__name__}"]}), flush=True)
    return out


# -- driving ----------------------------------------------------------------------------------

def selected(family, names):
    wanted = set(names.split(",")) if names else None
    return [(f, n, m) for f, n, m in CASES
            if (family is None or f == family) and (wanted is None or n in wanted)]


def run_here(backend, family, names, threads) -> dict:
    fg = importlib.import_module(backend)
    warnings.simplefilter("ignore")
    faulthandler.enable()
    out = {}
    for f, name, make in selected(family, names):
        try:
            flags = (thread_case if threads else sweep_case)(fg, make)
        except Exception as e:  # noqa: BLE001 - a case that cannot run is reported
            flags = {"setup": f"{type(e).__name__}: {str(e)[:200]}"}
        out[f"{f}/{name}"] = flags
        print(json.dumps({f"{f}/{name}": flags}), flush=True)
    return out


def run_child(backend, family, names, threads, timeout=900) -> dict:
    cmd = [sys.executable, "-X", "faulthandler", os.path.abspath(__file__), "--child", "--backend", backend]
    cmd += ["--family", family] if family else []
    cmd += ["--names", names] if names else []
    cmd += ["--threads"] if threads else []
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        out, tail, rc = done.stdout, done.stderr[-2000:], done.returncode
    except subprocess.TimeoutExpired as e:
        out, tail, rc = (e.stdout or b"").decode(), "timeout", "timeout"
    result = {}
    for line in out.splitlines():
        if line.startswith("{"):
            result.update(json.loads(line))
    if rc != 0:
        result[f"{family}/<child exit {rc}>"] = {"crash": tail}
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--backend", default="ferrograd")
    p.add_argument("--family")
    p.add_argument("--names")
    p.add_argument("--threads", action="store_true")
    p.add_argument("--compare", action="store_true")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        if a.family == "scenario":
            run_scenarios(a.backend)
        else:
            run_here(a.backend, a.family, a.names, a.threads)
        return
    families = [a.family] if a.family else sorted({f for f, _, _ in CASES})
    if a.threads and not a.family:
        families.append("scenario")
    backends = ["ferrograd", "torch"] if a.compare else [a.backend]
    results = {b: {} for b in backends}
    for b in backends:
        for f in families:
            results[b].update(run_child(b, f, a.names, a.threads))
    mine = results[backends[0]]
    other = results.get("torch", {}) if a.compare else {}
    flagged = 0
    for key, flags in mine.items():
        extra = {k: v for k, v in flags.items() if k not in other.get(key, {})}
        if extra:
            flagged += 1
            print(f"{key}: {json.dumps(extra)}" + (f"   (torch: {other[key]})" if other.get(key) else ""))
    print(f"{len(mine)} calls, {flagged} flagged" + (" beyond PyTorch's" if a.compare else ""))


if __name__ == "__main__":
    main()
