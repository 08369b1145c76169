"""Differential check of ferrograd against PyTorch's own docstring examples.

PyTorch's docstrings hold hundreds of `>>>` examples. This tool collects them from the
installed torch (`inspect.getdoc` + `doctest.DocTestParser` over the public objects of
torch, torch.Tensor, torch.nn.functional, torch.linalg, torch.special, torch.fft,
torch.autograd, torch.nn, torch.distributions, torch.optim...) and runs each docstring's
examples twice in fresh namespaces (tools/doc_examples_run.py): once on torch, once with
`torch` bound to ferrograd, both after `torch.manual_seed(0)`. What each statement prints
or displays, or the exception type it raises, is compared: torch's text with `torch.` read
as `ferrograd.`, numbers by value, and text differences that keep the numbers are counted
as printing differences.

A developer tool, not a test: it needs torch installed. Each backend runs in a child
process restarted after a crash or a hang, which is itself recorded (a crash of ferrograd
is the most important finding).

    PYTHONPATH=python python tools/doc_examples_diff.py --out /tmp/doc_examples [--only torch.add,torch.nn]
    python tools/doc_examples_diff.py --summary /tmp/doc_examples [--show wrong value]
"""

from __future__ import annotations

import argparse
import collections
import doctest
import importlib
import inspect
import json
import math
import os
import re
import sys
import threading

from child_watch import run_watched

MODULES = (
    "torch",
    "torch.nn.functional",
    "torch.linalg",
    "torch.special",
    "torch.fft",
    "torch.autograd",
    "torch.autograd.functional",
    "torch.autograd.forward_ad",
    "torch.autograd.graph",
    "torch.nn",
    "torch.nn.init",
    "torch.nn.utils",
    "torch.nn.utils.rnn",
    "torch.nn.utils.parametrize",
    "torch.distributions",
    "torch.optim",
    "torch.optim.lr_scheduler",
    "torch.func",
    "torch.masked",
    "torch.nested",
    "torch.sparse",
    "torch.signal.windows",
    "torch.random",
    "torch.testing",
    "torch.utils.data",
    "torch.utils.checkpoint",
    "torch.nn.utils.prune",
    "torch.nn.utils.parametrizations",
    "torch.nn.utils.stateless",
    "torch.nn.attention",
    "torch.distributions.transforms",
    "torch.distributions.constraints",
    "torch.overrides",
    "torch.amp",
    "torch.autograd.profiler",
    "torch.backends",
    "torch.profiler",
    "torch.hub",
    "torch.types",
    "torch.serialization",
)
# Statements that need what the tool cannot compare: skipped one by one (run as `None` on
# both backends, so what depends on them fails alike); comments are not searched.
STATEMENT_SKIPS = (
    ("cuda", re.compile(r"cuda|\bmps\b|xpu|pin_memory")),
    ("files/network", re.compile(r"https?:|hub\.|download|open\(|\.pt['\"]|\.pth|\.npy|os\.path")),
)
# Groups that need what the tool cannot run: skipped whole.
GROUP_SKIPS = (
    ("distributed", re.compile(r"torch\.distributed|\bdist\.|\brpc\b|DataParallel|DeviceMesh")),
    ("compile/jit", re.compile(r"torch\.compile|torch\.jit|\bjit\.|torch\.export|torch\._dynamo|fx\.")),
)
COMMENT = re.compile(r"#.*")
# Statements whose values PyTorch leaves unspecified (uninitialized memory, a fresh
# nondeterministic seed, signs of singular/eigen vectors, residuals at rounding level,
# timings):
# (group name, start of the statement). Their differences count as "unspecified".
UNSPECIFIED = (
    ("torch.empty", ""),
    ("torch.empty_strided", ""),
    ("torch.Tensor.new_empty", ""),
    ("torch.Tensor.new_empty_strided", ""),
    ("torch.nn.utils.skip_init", ""),
    ("torch.Generator.seed", ""),
    ("torch.svd", ""),
    ("torch.linalg.svd", ""),
    ("torch.linalg.eigh", "Q"),
    ("", "torch.dist("),
    ("", "torch.allclose("),
    ("", "torch.linalg.norm(A @ X - B)"),
    ("", "print(prof."),  # profiler tables: timings
)
HANG_SECONDS = 60
STARTUP_SECONDS = 300
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf")
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
# The categories of a difference, worst first: a group counts under its worst.
CATEGORIES = (
    "crash",
    "hang",
    "missing function",
    "missing keyword",
    "spurious error",
    "missing error",
    "wrong exception type",
    "wrong dtype",
    "wrong value",
    "other output",
    "printing",
    "rounding",
    "unspecified",
    "cascade",
)


# ---------------------------------------------------------------- collection (torch side)
def public_objects(torch):
    """(dotted name, module, docstring) of the documented public objects, classes' own
    methods too; the module is the one whose public names the examples may use."""
    seen_docs: set[int] = set()
    out = []

    def add(name, obj):
        doc = inspect.getdoc(obj) if obj is not None else None
        if not doc or ">>>" not in doc or hash(doc) in seen_docs:
            return
        seen_docs.add(hash(doc))
        out.append((name, module, doc))

    def add_class(name, cls, inherited=False):
        add(name, cls)
        members = {a: getattr(cls, a, None) for a in dir(cls)} if inherited else vars(cls)
        for attr, member in members.items():
            if attr.startswith("_") and attr != "__call__":
                continue
            if isinstance(member, (staticmethod, classmethod)):
                member = member.__func__
            if isinstance(member, property):
                member = member.fget
            if callable(member):
                add(f"{name}.{attr}", member)

    module = "torch"
    add_class("torch.Tensor", torch.Tensor, inherited=True)
    for modname in MODULES:
        module = modname
        try:
            mod = importlib.import_module(modname)
        except ImportError:
            continue
        names = getattr(mod, "__all__", None) or dir(mod)
        for name in sorted(set(names)):
            if name.startswith("_"):
                continue
            obj = getattr(mod, name, None)
            if inspect.ismodule(obj) or obj is None:
                continue
            if inspect.isclass(obj):
                add_class(f"{modname}.{name}", obj)
            elif callable(obj):
                add(f"{modname}.{name}", obj)
    return out


def resolve(dotted: str, root):
    """The object `dotted` names under `root` (submodules imported as needed), or None."""
    obj, parts = root, dotted.split(".")
    for i, part in enumerate(parts[1:], start=2):
        try:
            obj = getattr(obj, part)
        except Exception:  # noqa: BLE001 - a missing or refusing attribute both mean absent
            try:
                obj = importlib.import_module(".".join(parts[:i]))
            except ImportError:
                return None
    return obj


def compiles(source: str) -> bool:
    try:
        compile(source, "<doctest>", "single", 0, True)
    except SyntaxError:
        return False
    return True


def joined_statements(sources: list[str]) -> list[str]:
    """Statements that docstrings continue with `>>>` instead of `...` (an open bracket,
    a `def` line, an indented next line) joined back into one."""
    out: list[str] = []
    i = 0
    while i < len(sources):
        text, j = sources[i], i + 1
        if not compiles(text) or (j < len(sources) and sources[j][:1].isspace()):
            k = j
            while k < len(sources) and k - i < 40:
                text += sources[k]
                k += 1
                if compiles(text) and not (k < len(sources) and sources[k][:1].isspace()):
                    j = k
                    break
            else:
                text = sources[i]
        out.append(text)
        i = j
    return out


def collect(torch, fg, only):
    """The groups to run, and the skipped ones counted by reason."""
    parser = doctest.DocTestParser()
    groups, skipped, missing = [], collections.Counter(), []
    for name, module, doc in public_objects(torch):
        if only and not any(name == o or name.startswith(o + ".") for o in only):
            continue
        try:
            examples = parser.get_examples(doc)
        except ValueError:
            skipped["unparseable"] += 1
            continue
        if not examples:
            continue
        sources = []
        for source in joined_statements([e.source for e in examples]):
            code = COMMENT.sub("", source)
            why = next((r for r, pattern in STATEMENT_SKIPS if pattern.search(code)), None)
            if why:
                skipped[f"statements: {why}"] += 1
            sources.append(f"None  # skipped ({why})\n" if why else source)
        text = COMMENT.sub("", "\n".join(sources))
        reason = next((r for r, pattern in GROUP_SKIPS if pattern.search(text)), None)
        if reason is None and resolve(name.replace("torch", "ferrograd", 1), fg) is None:
            reason = "name ferrograd lacks"
            missing.append(name)
        if reason:
            skipped[reason] += 1
            continue
        groups.append({
            "name": name,
            "module": module,
            "sources": sources,
            "wants": [e.want for e in examples],
        })
    return groups, skipped, missing


# ---------------------------------------------------------------- running
def run_backend(backend, out_dir, n_groups) -> dict:
    """Runs all groups on one backend; returns {group index: failure} for crashes/hangs."""
    groups_path = os.path.join(out_dir, "groups.json")
    results = os.path.join(out_dir, f"{backend}.jsonl")
    progress = os.path.join(out_dir, f"{backend}.progress")
    open(results, "w").close()
    failures, start = {}, 0
    here = os.path.dirname(os.path.abspath(__file__))
    while start < n_groups:
        open(progress, "w").close()
        cmd = [sys.executable, os.path.join(here, "doc_examples_run.py"), backend,
               groups_path, str(start), results, progress]
        rc = run_watched(cmd, progress, read_text, HANG_SECONDS, STARTUP_SECONDS)
        done = read_text(progress)
        if done == "done":
            break
        if not done:
            failures[start] = f"child did not start (rc {rc})"
            break
        stuck = int(done)
        failures[stuck] = "hang" if rc == -9 else f"crash (rc {rc})"
        start = stuck + 1
    return failures


def read_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def read_results(path) -> dict:
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            out[row["i"]] = row["results"]
    return out


# ---------------------------------------------------------------- comparison
def normalise(text: str, from_torch: bool) -> str:
    if from_torch:
        text = text.replace("torch.", "ferrograd.").replace("'torch'", "'ferrograd'")
    return ADDRESS.sub("0x?", text)


def numbers_close(a: str, b: str, scale: float) -> bool:
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return math.isclose(x, y, rel_tol=1e-5, abs_tol=scale)


def last_digit_unit(token: str) -> float:
    mantissa = token.split("e")[0].split("E")[0]
    digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exp = int(token.lower().split("e")[1]) if "e" in token.lower() else 0
    return 10.0 ** (exp - digits)


def compare_output(t: str, f: str) -> str | None:
    if t == f:
        return None
    if " ".join(t.split()) == " ".join(f.split()) and "\n" not in t + f:
        return "printing"
    tn, fn = NUMBER.findall(t), NUMBER.findall(f)
    ts, fs = NUMBER.sub("#", t), NUMBER.sub("#", f)
    if re.findall(r"dtype=\S+", ts) != re.findall(r"dtype=\S+", fs):
        return "wrong dtype"
    if len(tn) == len(fn) and tn:
        if all(float(a) == float(b) or a == b for a, b in zip(tn, fn)):
            return "printing"
        if all(numbers_close(a, b, 1e-6) or
               numbers_close(a, b, 1.01 * max(last_digit_unit(a), last_digit_unit(b)))
               for a, b in zip(tn, fn)):
            return "rounding" if ts == fs else "printing"
        if " ".join(ts.split()) == " ".join(fs.split()) or ts.replace(" ", "") == fs.replace(" ", ""):
            return "wrong value"
    return "other output"


def compare_statement(t: list, f: list) -> str | None:
    tt, ft = normalise(t[1], True), normalise(f[1], False)
    if t[0] == "exc" and f[0] == "exc":
        return None if tt.split(":")[0] == ft.split(":")[0] else "wrong exception type"
    if f[0] == "exc":
        if ft.startswith(("AttributeError", "ModuleNotFoundError", "ImportError", "NotImplementedError")):
            return "missing function"
        if ft.startswith("TypeError") and "keyword" in ft:
            return "missing keyword"
        return "spurious error"
    if t[0] == "exc":
        return "missing error"
    return compare_output(tt, ft)


def compare(groups, torch_res, fg_res, torch_fail, fg_fail):
    rows = []
    for i, group in enumerate(groups):
        row = {"i": i, "name": group["name"]}
        if i in torch_fail or i not in torch_res:
            row["category"] = "torch failed"
        elif i in fg_fail or i not in fg_res:
            row["category"] = "hang" if fg_fail.get(i) == "hang" else "crash"
            row["detail"] = fg_fail.get(i, "no result")
        else:
            diffs = []
            for k, (t, f) in enumerate(zip(torch_res[i], fg_res[i])):
                cat = compare_statement(t, f)
                source = group["sources"][k]
                if cat and any(n in ("", group["name"]) and source.startswith(s) for n, s in UNSPECIFIED):
                    cat = "unspecified"
                if cat and diffs and f[0] == "exc" and f[1].startswith("NameError"):
                    cat = "cascade"  # a name an earlier differing statement failed to bind
                if cat:
                    diffs.append({"k": k, "category": cat, "source": group["sources"][k],
                                  "torch": normalise(t[1], True)[:3000],
                                  "ferrograd": normalise(f[1], False)[:3000]})
            torch_errs = sum(1 for t in torch_res[i] if t[0] == "exc")
            row["torch_errors"] = torch_errs
            row["statements"] = len(torch_res[i])
            if diffs:
                row["category"] = min((d["category"] for d in diffs), key=CATEGORIES.index)
                row["diffs"] = diffs
            else:
                row["category"] = "identical"
        rows.append(row)
    return rows


# ---------------------------------------------------------------- driver
def run(out_dir, only):
    import ferrograd  # the one on PYTHONPATH, which the children import too
    import torch

    os.makedirs(out_dir, exist_ok=True)
    groups, skipped, missing = collect(torch, ferrograd, only)
    with open(os.path.join(out_dir, "groups.json"), "w", encoding="utf-8") as f:
        json.dump(groups, f)
    with open(os.path.join(out_dir, "skipped.json"), "w", encoding="utf-8") as f:
        json.dump({"skipped": skipped, "missing": missing}, f, indent=1)
    print(f"{len(groups)} groups to run; skipped: {dict(skipped)}", flush=True)
    fails = {}
    threads = [threading.Thread(target=lambda b=b: fails.__setitem__(b, run_backend(b, out_dir, len(groups))))
               for b in ("torch", "ferrograd")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = compare(groups, read_results(os.path.join(out_dir, "torch.jsonl")),
                   read_results(os.path.join(out_dir, "ferrograd.jsonl")),
                   fails["torch"], fails["ferrograd"])
    with open(os.path.join(out_dir, "diffs.jsonl"), "w", encoding="utf-8") as f:
        f.writelines(json.dumps(row) + "\n" for row in rows)
    summary(out_dir, None)


def summary(out_dir, show):
    with open(os.path.join(out_dir, "diffs.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    with open(os.path.join(out_dir, "skipped.json"), encoding="utf-8") as f:
        skipped = json.load(f)
    groups = collections.Counter(r["category"] for r in rows)
    statements = collections.Counter(d["category"] for r in rows for d in r.get("diffs", ()))
    print(f"groups run: {len(rows)}  identical: {groups['identical']}  "
          f"statements run: {sum(r.get('statements', 0) for r in rows)}")
    for cat in (*CATEGORIES, "torch failed"):
        if groups[cat] or statements[cat]:
            print(f"  {cat:22s} groups {groups[cat]:4d}  statements {statements[cat]:4d}")
    print(f"skipped: {skipped['skipped']}")
    print(f"documented names ferrograd lacks: {' '.join(skipped['missing'])}")
    if show:
        for r in rows:
            for d in r.get("diffs", ()):
                if show in ("all", d["category"]):
                    print(f"--- {r['name']} [{d['category']}]\n>>> {d['source'].rstrip()}\n"
                          f"torch: {d['torch'].rstrip()}\nfg:    {d['ferrograd'].rstrip()}")
            if r["category"] in ("crash", "hang", "torch failed") and show in ("all", r["category"]):
                print(f"--- {r['name']} [{r['category']}] {r.get('detail')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", help="directory for groups, results and diffs")
    ap.add_argument("--only", default="", help="comma-separated name prefixes (torch.add,torch.nn)")
    ap.add_argument("--summary", help="print the summary of an earlier run's directory")
    ap.add_argument("--show", help="with --summary: list the differences of one category, or all")
    args = ap.parse_args()
    if args.summary:
        summary(args.summary, args.show)
    elif args.out:
        run(args.out, [o for o in args.only.split(",") if o])
    else:
        ap.error("give --out or --summary")


if __name__ == "__main__":
    main()
