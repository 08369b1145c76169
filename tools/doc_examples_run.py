"""Child process of `doc_examples_diff.py`: runs docstring example groups on one backend.

    python tools/doc_examples_run.py BACKEND GROUPS.json START RESULTS.jsonl PROGRESS

BACKEND is `torch` or `ferrograd`. With `ferrograd`, `import torch` and `torch.X` resolve
to `ferrograd` and `ferrograd.X` (torch itself is never imported), so the examples run
unchanged. Each group (the examples of one docstring) runs in a fresh namespace after
`torch.manual_seed(0)`; each statement records what it printed or displayed, or the type
and first line of the exception it raised. One JSON line per group goes to RESULTS; the
index of the group being run goes to PROGRESS (the driver kills a child stuck on one).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.util
import io
import json
import math
import sys
import warnings


class TorchIsFerrograd(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """`import torch.X` imports `ferrograd.X` and registers it under both names."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "torch" and not fullname.startswith("torch."):
            return None
        real = "ferrograd" + fullname[len("torch"):]
        try:
            importlib.import_module(real)
        except ImportError:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return sys.modules["ferrograd" + spec.name[len("torch"):]]

    def exec_module(self, module):
        pass


def backend_module(backend: str):
    if backend == "torch":
        import torch

        return torch
    sys.meta_path.insert(0, TorchIsFerrograd())
    import ferrograd

    sys.modules["torch"] = ferrograd
    return ferrograd


def reset_state(mod) -> None:
    """Global state an earlier example may have changed."""
    for action in (
        lambda: mod.set_printoptions(profile="default", sci_mode=None),
        lambda: mod.set_default_dtype(mod.float32),
        lambda: mod.set_grad_enabled(True),
        lambda: mod.use_deterministic_algorithms(False),
        lambda: mod.manual_seed(0),
    ):
        with contextlib.suppress(Exception):
            action()


def namespace(mod, module: str) -> dict:
    """The globals of one group: the public names of the module the documented object
    comes from (as doctest gives a module's globals), torch and the usual aliases."""
    import itertools
    import typing

    import numpy

    globs = {}
    if module != "torch":
        try:
            where = importlib.import_module(mod.__name__ + module[len("torch"):])
        except ImportError:
            where = None
        names = getattr(where, "__all__", None) or [n for n in dir(where) if not n.startswith("_")]
        globs.update({n: getattr(where, n) for n in names if hasattr(where, n)})
    globs.update({
        "__name__": "__doctest__",
        "torch": mod,
        "F": mod.nn.functional,
        "nn": mod.nn,
        "np": numpy,
        "numpy": numpy,
        "math": math,
        "itertools": itertools,
        **{n: getattr(typing, n) for n in ("Any", "Callable", "Dict", "Iterator", "List", "Optional", "Tuple")},
    })
    return globs


def run_statement(source: str, globs: dict) -> list:
    """[kind, text]: kind "out" (what it printed or displayed) or "exc" (type: message)."""
    buf = io.StringIO()
    try:
        code = compile(source, "<doctest>", "single", 0, True)
        with contextlib.redirect_stdout(buf):
            exec(code, globs)  # noqa: S102 - running the examples is the point
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - every exception is a result here
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return ["exc", f"{type(exc).__name__}: {message[:300]}", buf.getvalue()[:4000]]
    return ["out", buf.getvalue()[:20000]]


def run_group(mod, group: dict) -> list:
    reset_state(mod)
    globs = namespace(mod, group["module"])
    return [run_statement(source, globs) for source in group["sources"]]


def main() -> None:
    backend, groups_path, start, results_path, progress_path = sys.argv[1:6]
    warnings.simplefilter("ignore")
    sys.setrecursionlimit(5000)
    mod = backend_module(backend)
    with open(groups_path, encoding="utf-8") as f:
        groups = json.load(f)
    with open(results_path, "a", encoding="utf-8") as out:
        for i in range(int(start), len(groups)):
            with open(progress_path, "w", encoding="utf-8") as p:
                p.write(str(i))
            results = run_group(mod, groups[i])
            out.write(json.dumps({"i": i, "results": results}) + "\n")
            out.flush()
    with open(progress_path, "w", encoding="utf-8") as p:
        p.write("done")


if __name__ == "__main__":
    main()
