"""Differential harness: run small autograd scenarios against torch and ferrograd.

Scenarios live in ``tools/autograd_scenarios/`` (one module per area). Each takes the
module ``m`` and returns an observable result; an error is recorded as (type name,
message), and the warnings a scenario emits are recorded with its result. Outputs are
compared with ``torch`` read as ``ferrograd``. A difference marked ``accepted`` (not a
ferrograd bug) is counted apart, and one marked ``limitation`` (only the Rust core can
remove it) is printed as NEEDS RUST; the rest are MISMATCHes.

Usage: PYTHONPATH=python python tools/autograd_diff.py [-v] [name-substring ...]
"""

import importlib
import pkgutil
import sys
import warnings

import autograd_scenarios
from autograd_scenarios import ACCEPTED, LIMITATIONS, SCENARIOS


def _load_all():
    for info in pkgutil.iter_modules(autograd_scenarios.__path__):
        importlib.import_module(f"autograd_scenarios.{info.name}")


def _text(s):
    # PyTorch's C++ warnings end with where they were raised; that is not behaviour.
    s = str(s).split(" (Triggered internally at")[0]
    return s.replace("torch", "ferrograd")


def _run(fn, m):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = ("ok", _text(repr(fn(m))))
        except Exception as e:  # noqa: BLE001 - record any error as an observable result
            out = ("err", type(e).__name__, _text(e)[:300])
    seen = [f"{w.category.__name__}: {_text(w.message)[:120]}" for w in caught
            if "jit.script` is deprecated" not in str(w.message)]  # torch internals
    if not m.is_grad_enabled():  # a scenario must not change the next one's grad mode
        m.set_grad_enabled(True)
        seen.append("grad mode left disabled")
    return out + (seen,) if seen else out


def main(argv):
    import ferrograd
    import torch
    import torch.autograd.forward_ad
    import torch.func

    verbose = "-v" in argv
    wanted = [a for a in argv if not a.startswith("-")]
    _load_all()
    chosen = [f for f in SCENARIOS if not wanted or any(w in f.__name__ for w in wanted)]
    mismatches = accepted = limited = 0
    for fn in chosen:
        a, b = _run(fn, torch), _run(fn, ferrograd)
        if a == b:
            if verbose:
                print(f"ok {fn.__name__}: {a}")
            continue
        if fn.__name__ in ACCEPTED:
            accepted += 1
            if verbose:
                print(f"ACCEPTED {fn.__name__}: {ACCEPTED[fn.__name__]}")
            continue
        if fn.__name__ in LIMITATIONS:
            limited += 1
            print(f"NEEDS RUST {fn.__name__}: {LIMITATIONS[fn.__name__]}")
            if verbose:
                print(f"  torch:     {a}\n  ferrograd: {b}")
            continue
        mismatches += 1
        print(f"MISMATCH {fn.__name__}\n  torch:     {a}\n  ferrograd: {b}")
    print(f"{len(chosen)} scenarios, {mismatches} mismatches, {limited} needing the Rust core, "
          f"{accepted} accepted differences")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
