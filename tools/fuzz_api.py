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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz_api_calls as calls
from fuzz_compare import STATUSES, add_arguments, compare, run_both, summary

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
def _opinfo_marks(directory):
    with open(os.path.join(directory, "plan.json")) as f:
        opinfo = {f"{t['ns']}:{t['name']}" for t in json.load(f) if t.get("opinfo")}
    return lambda key: {"opinfo": key.split("|")[0] in opinfo}


def _opinfo_line(records):
    cov = collections.Counter(r["status"] for r in records if r["opinfo"])
    return f"  of them on OpInfo names: {sum(cov.values())} " + str({s: cov[s] for s in STATUSES if cov[s]})


def main():
    p = argparse.ArgumentParser()
    add_arguments(p, "/tmp/fuzz_api")
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
        run_both(__file__, args.dir, (HANG_SECONDS, STARTUP_SECONDS), numbered=True)
    records = compare(args.dir, UNSPECIFIED, messages=False, marks=_opinfo_marks(args.dir))
    summary(records, args.status, args.verbose, width=220, extra_lines=[_opinfo_line(records)])


if __name__ == "__main__":
    main()
