"""The comparing side of the differential fuzzers (`fuzz_api.py`, `fuzz_calls18.py`): each
child writes one JSON line per call, `{"key": ..., "r": outcome}`, an outcome being
`{"ok": described result}`, `{"err": [exception type and its bases], "msg": text}` (with
`"wrote"`: the arguments a refused call changed, where the fuzzer watches them), or
`{"crash"|"hang": return code}`; this module pairs the two libraries' lines, gives each
call a status and prints the summary, grouped by status and name."""

from __future__ import annotations

import collections
import json
import math
import os

import numpy as np

STATUSES = ("crash", "hang", "panic", "written", "silent", "type", "refused", "message", "result",
            "torch-crash", "both-hang", "ok")
# relative and absolute tolerance of compared values, by dtype (1e-7 for the others)
TOLERANCES = {"float16": 1e-2, "bfloat16": 2e-2, "float32": 1e-4, "complex64": 1e-4}


def load(path):
    with open(path) as f:
        return {r["key"]: r["r"] for r in map(json.loads, f)}


def differs(a, b, values):
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
        return next((d for d in (differs(x, y, values) for x, y in zip(a["items"], b["items"])) if d), None)
    if a["t"] != b["t"]:
        return f"type {a['t']} vs {b['t']}"
    if a["k"] == "py" and values and "v" in a and "v" in b and a["v"] != b["v"] and not _both_nan(a["v"], b["v"]):
        if isinstance(a["v"], str) and a["v"].replace("torch", "ferrograd") == b["v"]:
            return None
        return f"value {str(a['v'])[:60]!r} vs {str(b['v'])[:60]!r}"
    return None


def _both_nan(p, q):
    return isinstance(p, float) and isinstance(q, float) and math.isnan(p) and math.isnan(q)


def classify(key, t, f, unspecified=(), messages=True):
    """(status, detail) of one call: `t` PyTorch's outcome, `f` ferrograd's. Results of
    names containing one of `unspecified` are compared without values; `messages`: whether
    two exceptions of one type must also read the same (`torch` read as `ferrograd`)."""
    if "hang" in f and "hang" in t:  # PyTorch never returns either (a loop of 2**63 steps)
        return "both-hang", ""
    if "crash" in f or "hang" in f:
        return ("crash" if "crash" in f else "hang"), f"rc={f.get('crash', f.get('hang'))}"
    if "crash" in t or "hang" in t:
        return "torch-crash", ""
    if "err" in f and (f["err"][0] == "PanicException" or f["msg"].startswith("internal error")):
        return "panic", f"{f['err'][0]}: {f['msg'][:300]}"
    if "err" in t and "err" in f:
        wrote = [w for w in f.get("wrote", ()) if w not in t.get("wrote", ())]
        if wrote:
            return "written", f"fg wrote {', '.join(wrote)} before {f['err'][0]}: {f['msg'][:200]}"
        name = t["err"][0].lstrip("_")
        if name not in [n.lstrip("_") for n in f["err"]]:
            return "type", f"torch {name}: {t['msg'][:200]} | fg {f['err'][0]}: {f['msg'][:200]}"
        if messages and f["msg"] not in (t["msg"], t["msg"].replace("torch", "ferrograd")):
            return "message", f"torch: {t['msg'][:300]!r}\n        fg:    {f['msg'][:300]!r}"
        return "ok", ""
    if "err" in t:
        return "silent", f"torch {t['err'][0]}: {t['msg'][:250]}"
    if "err" in f:
        return "refused", f"fg {f['err'][0]}: {f['msg'][:250]}"
    values = not any(u in key.split("|")[0] for u in unspecified)
    d = differs(t["ok"], f["ok"], values)
    return ("result", d) if d else ("ok", "")


def compare(directory, unspecified=(), messages=True, marks=None):
    """Classifies every call both libraries ran, writes `compared.jsonl` and returns the
    records; `marks(key)`, where given, adds fields to a record."""
    theirs = load(os.path.join(directory, "torch.jsonl"))
    ours = load(os.path.join(directory, "ferrograd.jsonl"))
    records = []
    for key, t in theirs.items():
        if key in ours:
            status, detail = classify(key, t, ours[key], unspecified, messages)
            records.append({"key": key, "status": status, "detail": detail, **(marks(key) if marks else {})})
    with open(os.path.join(directory, "compared.jsonl"), "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    return records


def summary(records, status="", verbose=False, width=700, extra_lines=()):
    """Prints the counts by status, `extra_lines`, then each wanted status by name."""
    counts = collections.Counter(r["status"] for r in records)
    print(f"{len(records)} calls:", {s: counts[s] for s in STATUSES if counts[s]})
    for line in extra_lines:
        print(line)
    wanted = status.split(",") if status else [s for s in STATUSES if s not in ("ok", "torch-crash", "both-hang")]
    for wanted_status in wanted:
        by_name = collections.defaultdict(list)
        for r in records:
            if r["status"] == wanted_status:
                by_name[r["key"].split("|")[0]].append(r)
        if not by_name:
            continue
        print(f"\n== {wanted_status}: {counts[wanted_status]} calls, {len(by_name)} names")
        for name, rs in sorted(by_name.items(), key=lambda kv: -len(kv[1])):
            labels = [r["key"].split("|", 1)[1] for r in rs]
            print(f"  {name} ({len(rs)}): {', '.join(labels[:8])}{' ...' if len(labels) > 8 else ''}")
            for r in rs[: (len(rs) if verbose else 1)]:
                print(f"      {r['key'].split('|', 1)[1]}: {r['detail'][:width]}")


def add_arguments(parser, default_dir):
    """The command line both fuzzers take."""
    parser.add_argument("--dir", default=default_dir)
    parser.add_argument("--ns", default="", help="namespaces to fuzz (default: all)")
    parser.add_argument("--names", default="", help="only these names")
    parser.add_argument("--summary", action="store_true", help="compare the last run's results")
    parser.add_argument("--status", default="", help="summary: only these statuses")
    parser.add_argument("--verbose", action="store_true", help="summary: every call, not one per name")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--module", default="")
    parser.add_argument("--progress", default="")
    parser.add_argument("--start", type=int, default=0)


def run_both(script, directory, timeouts, numbered):
    """Runs `script`'s plan in PyTorch and in ferrograd at once, each in its own watched
    children (`child_watch.run_library`)."""
    import threading

    from child_watch import run_library

    runs = [threading.Thread(target=run_library, args=(script, module, directory, timeouts, numbered))
            for module in ("torch", "ferrograd")]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
