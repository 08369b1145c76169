"""Differential bad-input fuzzer of ferrograd's public API against PyTorch.

A developer tool, not a test: it needs torch (and expecttest, for OpInfo's name list).
Targets are the public callables both libraries have: top-level functions and classes,
Tensor methods and properties, `nn.functional`, `linalg`, `special`, `fft`, `autograd`
(and `autograd.functional`), `nn.init`, `nn.utils`, `nn` modules (constructor, then
forward of one built as PyTorch accepts) and `optim` optimizers (constructor, one step).
Each is called with one battery of arguments (`fuzz_api_calls.py`): none, None, a string,
True, NaN, inf, 2**63, -2**63-1, -3, empty and nested lists, a NumPy array, a dtype, tensors
of twelve dtypes and 0-dim (float and int64), 0-size, non-contiguous, expanded and
grad-requiring leaf ones, in first or second place, as self of a method, a wrong keyword
and seven arguments. Names OpInfo covers (`opinfo_diff.py`)
are marked, since OpInfo already calls them with well-formed arguments.

Each library runs in its own child process under an 8 GiB address-space limit; a crash or
a hang (no progress for HANG_SECONDS) is recorded against the call it happened in, and a
new child resumes after it. Per call the driver compares crash/hang, the exception type
(ferrograd's may be a subclass of PyTorch's), and for calls both accept the result's kind,
dtype, shape and values:

    python tools/fuzz_api.py --dir /tmp/fuzz [--ns Tensor,linalg] [--names add,cat]
    python tools/fuzz_api.py --dir /tmp/fuzz --summary [--status type] [--verbose]
"""

from __future__ import annotations

import argparse
import collections
import inspect
import json
import os
import sys
import threading

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz_api_calls as calls
from child_watch import run_library as run_library_watched

NAMESPACES = ("torch", "Tensor", "nn.functional", "linalg", "special", "fft", "autograd",
              "autograd.functional", "nn.init", "nn.utils", "nn", "optim")
HANG_SECONDS = 30
STARTUP_SECONDS = 300
MEMORY_BYTES = 8 << 30
# Names whose call changes process-wide state or touches files or threads.
SKIPPED = {"manual_seed", "seed", "save", "load", "from_file", "compile", "export", "jit", "cond",
           "vmap", "while_loop", "use_deterministic_algorithms", "share_memory_", "autocast",
           "fork", "wait", "pin_memory", "DataLoader", "initial_seed", "synchronize"}
# Results PyTorch leaves unspecified (uninitialized memory, addresses, singular vectors'
# signs): kind, dtype and shape are compared, values not.
UNSPECIFIED = ("empty", "data_ptr", "storage", "rng_state", "new_empty", "resize", "_ptr", "set_", "svd", "lowrank")
STATUSES = ("crash", "hang", "panic", "type", "silent", "refused", "result", "torch-crash", "both-hang", "ok")


# ---------------------------------------------------------------- the plan
def targets():
    """The callables both libraries have, each {ns, name, kind, opinfo[, ctor]}."""
    import warnings

    warnings.filterwarnings("ignore")
    import ferrograd as fg
    import torch
    from torch.testing._internal.common_methods_invocations import op_db

    covered = {op.name for op in op_db}
    out = []
    for ns in NAMESPACES:
        t_ns, f_ns = calls.resolve(torch, ns), _resolve_or_none(fg, ns)
        if f_ns is None:
            continue
        for name in sorted(n for n in set(dir(t_ns)) & set(dir(f_ns)) if not n.startswith("_")):
            if name in SKIPPED or name.startswith("set_") and ns != "Tensor":
                continue
            target = _target(ns, name, t_ns, torch)
            if target is not None:
                dotted = name if ns in ("torch", "Tensor") else f"{ns}.{name}"
                target["opinfo"] = dotted in covered or dotted.rstrip("_") in covered
                out.append(target)
    return out


def _resolve_or_none(mod, ns):
    try:
        return calls.resolve(mod, ns)
    except AttributeError:
        return None


def _target(ns, name, t_ns, torch):
    if ns == "Tensor":
        static = inspect.getattr_static(t_ns, name)
        kind = "method" if callable(static) and not isinstance(static, property) else "prop"
        return {"ns": ns, "name": name, "kind": kind}
    obj = getattr(t_ns, name)
    if inspect.ismodule(obj) or not callable(obj):
        return None
    if ns == "nn":
        if not (isinstance(obj, type) and issubclass(obj, torch.nn.Module)):
            return None
        return {"ns": ns, "name": name, "kind": "module", "ctor": _working_ctor(obj)}
    if ns == "optim":
        if not (isinstance(obj, type) and issubclass(obj, torch.optim.Optimizer)):
            return None
        return {"ns": ns, "name": name, "kind": "optim"}
    return {"ns": ns, "name": name, "kind": "fn"}


def _working_ctor(cls):
    """The first constructor arguments PyTorch takes, so forward gets a built module."""
    for args in ((), (3,), (3, 3), (3, 3, 3)):
        try:
            cls(*args)
            return list(args)
        except Exception:  # noqa: BLE001, S112 - try the next arity
            continue
    return None


# ---------------------------------------------------------------- the child
def child(args):
    import resource
    import tempfile
    import warnings

    # A huge size must fail as an exception, not take the machine.
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    warnings.filterwarnings("ignore")
    mod = __import__(args.module)
    with open(os.path.join(args.dir, "plan.json")) as f:
        plan = json.load(f)
    os.chdir(tempfile.mkdtemp())  # a call given the string "abc" as a path writes here
    progress = open(args.progress, "w")  # noqa: SIM115 - written until the child ends
    out = open(os.path.join(args.dir, f"{args.module}.jsonl"), "a")  # noqa: SIM115
    i = -1
    for target in plan:
        try:
            cases = list(calls.battery(target, mod))
        except Exception as e:  # noqa: BLE001 - the library lacks a name the plan has
            cases = [("battery", lambda e=e: (_ for _ in ()).throw(e))]
        for label, thunk in cases:
            i += 1
            if i < args.start:
                continue
            key = f"{target['ns']}:{target['name']}|{label}"
            progress.write(f"{i}\t{key}\n")
            progress.flush()
            out.write(json.dumps({"i": i, "key": key, "r": calls.outcome(thunk, mod)}) + "\n")
            out.flush()
    progress.write("DONE\n")
    progress.flush()


# ---------------------------------------------------------------- the driver
def run_library(module, args):
    run_library_watched(__file__, module, args.dir, (HANG_SECONDS, STARTUP_SECONDS), numbered=True)


def load(path):
    with open(path) as f:
        return {r["key"]: r["r"] for r in map(json.loads, f)}


# ---------------------------------------------------------------- comparing
TOLERANCES = {"float16": 1e-2, "bfloat16": 2e-2, "float32": 1e-4, "complex64": 1e-4}


def _differs(a, b, values):
    """Where two described results differ, or None."""
    if a["k"] != b["k"]:
        return f"kind {a['k']} vs {b['k']}"
    if a["k"] == "T":
        if a["dt"] != b["dt"]:
            return f"dtype {a['dt']} vs {b['dt']}"
        if a["sh"] != b["sh"]:
            return f"shape {a['sh']} vs {b['sh']}"
        if values and "v" in a and "v" in b:
            tol = TOLERANCES.get(a["dt"], 1e-7)
            va, vb = np.array(a["v"], dtype=float), np.array(b["v"], dtype=float)
            if va.shape != vb.shape or not np.allclose(va, vb, rtol=tol, atol=tol, equal_nan=True):
                return f"values {a['v'][:6]} vs {b['v'][:6]}"
        return None
    if a["k"] == "seq":
        if a["n"] != b["n"]:
            return f"length {a['n']} vs {b['n']}"
        for x, y in zip(a["items"], b["items"]):
            d = _differs(x, y, values)
            if d:
                return d
        return None
    if a["k"] == "py":
        if a["t"] != b["t"]:
            return f"python type {a['t']} vs {b['t']}"
        if values and a["v"] != b["v"] and not (a["v"] != a["v"] and b["v"] != b["v"]):
            if isinstance(a["v"], str) and a["v"].replace("torch", "ferrograd") == b["v"]:
                return None
            return f"value {str(a['v'])[:60]!r} vs {str(b['v'])[:60]!r}"
        return None
    return None if a["t"] == b["t"] else f"class {a['t']} vs {b['t']}"


def classify(key, t, f):
    """(status, detail) of one call."""
    if "hang" in f and "hang" in t:  # PyTorch never returns either (a loop of 2**63 steps)
        return "both-hang", ""
    if "crash" in f or "hang" in f:
        return ("crash" if "crash" in f else "hang"), f"rc={f.get('crash', f.get('hang'))}"
    if "crash" in t or "hang" in t:
        return "torch-crash", ""
    if "err" in f and (f["err"][0] == "PanicException" or f["msg"].startswith("internal error")):
        return "panic", f"{f['err'][0]}: {f['msg']}"
    if "err" in t and "err" in f:
        name = t["err"][0].lstrip("_")
        if name in [n.lstrip("_") for n in f["err"]]:
            return "ok", ""
        return "type", f"torch {name}: {t['msg'][:90]} | fg {f['err'][0]}: {f['msg'][:110]}"
    if "err" in t:
        return "silent", f"torch {t['err'][0]}: {t['msg'][:120]}"
    if "err" in f:
        return "refused", f"fg {f['err'][0]}: {f['msg'][:140]}"
    name = key.split("|")[0]
    d = _differs(t["ok"], f["ok"], values=not any(u in name for u in UNSPECIFIED))
    return ("result", d) if d else ("ok", "")


def compare(args):
    theirs = load(os.path.join(args.dir, "torch.jsonl"))
    ours = load(os.path.join(args.dir, "ferrograd.jsonl"))
    with open(os.path.join(args.dir, "plan.json")) as f:
        opinfo = {f"{t['ns']}:{t['name']}" for t in json.load(f) if t.get("opinfo")}
    records = []
    for key, t in theirs.items():
        if key not in ours:
            continue
        status, detail = classify(key, t, ours[key])
        records.append({"key": key, "status": status, "detail": detail,
                        "opinfo": key.split("|")[0] in opinfo})
    with open(os.path.join(args.dir, "compared.jsonl"), "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    return records


def summary(records, args):
    counts = collections.Counter(r["status"] for r in records)
    print(f"{len(records)} calls:", {s: counts[s] for s in STATUSES if counts[s]})
    cov = collections.Counter(r["status"] for r in records if r["opinfo"])
    print(f"  of them on OpInfo names: {sum(cov.values())}", {s: cov[s] for s in STATUSES if cov[s]})
    wanted = args.status.split(",") if args.status else [s for s in STATUSES if s not in ("ok", "torch-crash", "both-hang")]
    for status in wanted:
        by_name = collections.defaultdict(list)
        for r in records:
            if r["status"] == status:
                by_name[r["key"].split("|")[0]].append(r)
        if not by_name:
            continue
        print(f"\n== {status}: {counts[status]} calls, {len(by_name)} names")
        for name, rs in sorted(by_name.items(), key=lambda kv: -len(kv[1])):
            labels = [r["key"].split("|", 1)[1] for r in rs]
            print(f"  {name} ({len(rs)}): {', '.join(labels[:8])}{' ...' if len(labels) > 8 else ''}")
            for r in rs[: (len(rs) if args.verbose else 1)]:
                print(f"      {r['key'].split('|', 1)[1]}: {r['detail'][:220]}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", default="/tmp/fuzz_api")
    p.add_argument("--ns", default="", help="namespaces to fuzz (default: all)")
    p.add_argument("--names", default="", help="only these names")
    p.add_argument("--summary", action="store_true", help="compare the last run's results")
    p.add_argument("--status", default="", help="summary: only these statuses")
    p.add_argument("--verbose", action="store_true", help="summary: every call, not one per name")
    p.add_argument("--child", action="store_true")
    p.add_argument("--module", default="")
    p.add_argument("--progress", default="")
    p.add_argument("--start", type=int, default=0)
    args = p.parse_args()
    if args.child:
        child(args)
        return
    if not args.summary:
        os.makedirs(args.dir, exist_ok=True)
        plan = targets()
        if args.ns:
            plan = [t for t in plan if t["ns"] in args.ns.split(",")]
        if args.names:
            plan = [t for t in plan if t["name"] in args.names.split(",")]
        with open(os.path.join(args.dir, "plan.json"), "w") as f:
            json.dump(plan, f)
        print(f"{len(plan)} targets", flush=True)
        runs = [threading.Thread(target=run_library, args=(m, args)) for m in ("torch", "ferrograd")]
        for run in runs:
            run.start()
        for run in runs:
            run.join()
    summary(compare(args), args)


if __name__ == "__main__":
    main()
