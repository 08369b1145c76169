"""Differential sweeps of ferrograd against PyTorch for arguments the Rust core cannot take
as they are: sparse COO tensors handed to the dense functions and Tensor methods, meta
tensors next to CPU tensors there, and NumPy arrays on either side of the operators.

A developer tool, not a test: it needs torch installed. Each backend runs in a child
process (`--module`); the parent compares what the two gave per call, a result's kind,
dtype, shape and values or an exception's type and first line:

    python tools/sweep_layouts.py sparse     # silent results: ferrograd computes, PyTorch raises
    python tools/sweep_layouts.py meta       # the same with a meta tensor next to a CPU one
    python tools/sweep_layouts.py numpy      # operators x float32/float64/int64 arrays x 0-d/2-d x side
"""

from __future__ import annotations

import json
import operator
import subprocess
import sys
import warnings

import numpy as np

DENSE = [[0.0, 1.0, 0.0], [2.0, 0.0, 3.0], [0.0, 0.0, 4.0]]
OPERATORS = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "lt", "le", "gt", "ge", "eq", "ne", "and_",
             "or_", "xor", "lshift", "rshift", "matmul", "iadd", "isub", "imul", "itruediv", "ifloordiv", "imod",
             "ipow", "iand", "ior", "ixor", "ilshift", "irshift", "imatmul"]
INTEGER_ONLY = {"and_", "or_", "xor", "lshift", "rshift", "iand", "ior", "ixor", "ilshift", "irshift"}
SKIPPED = {"set_default_dtype", "set_default_device", "manual_seed", "seed", "set_printoptions", "load", "save",
           "compile", "set_num_threads", "set_num_interop_threads", "use_deterministic_algorithms",
           "set_grad_enabled", "set_rng_state", "set_warn_always", "set_flush_denormal",
           "set_float32_matmul_precision", "set_deterministic_debug_mode", "set_default_tensor_type", "vmap", "cond",
           "export", "jit", "fx", "sym_ite", "while_loop", "Generator", "autocast", "no_grad", "enable_grad",
           "inference_mode", "_assert", "typename", "set_autocast_cpu_dtype"}
SKIPPED_METHODS = {"backward", "register_hook", "share_memory_", "cuda", "pin_memory", "storage", "untyped_storage",
                   "apply_", "map_", "map2_", "requires_grad_", "retain_grad"}


def _described(mod, value):
    """What a call gave, comparable across the two modules."""
    if isinstance(value, mod.Tensor) and value.is_meta:
        return ["meta", str(value.dtype).split(".")[-1], list(value.shape), None]
    if isinstance(value, mod.Tensor):
        kind = "sparse" if value.is_sparse else "dense"
        shown = value.to_dense() if value.is_sparse else value
        values = np.round(shown.detach().numpy().astype(float), 4).tolist() if shown.numel() < 50 else None
        return [kind, str(value.dtype).split(".")[-1], list(value.shape), values]
    if isinstance(value, (tuple, list)):
        return ["seq", [_described(mod, v) for v in value][:4]]
    return ["py", type(value).__name__]


def _outcome(mod, fn, *args):
    try:
        return _described(mod, fn(*args))
    except Exception as e:  # noqa: BLE001 - the outcome is the exception
        return ["ERR", type(e).__name__, str(e).split("\n")[0][:200]]


def _sparse_calls(mod):
    return _layout_calls(mod, lambda d: d.to_sparse())


def _meta_calls(mod):
    """Calls with a meta tensor (`s` below) next to a CPU one; a meta tensor on its own
    is covered by the meta tests."""
    return _layout_calls(mod, lambda d: d.to("meta"), mixed_only=True)


def _layout_calls(mod, convert, mixed_only=False):
    def pair():
        d = mod.tensor(DENSE)
        return d, convert(d)

    patterns = {
        "f(s)": lambda f, s, d: f(s), "f(s,s)": lambda f, s, d: f(s, s), "f(d,s)": lambda f, s, d: f(d, s),
        "f(s,d)": lambda f, s, d: f(s, d), "f([s,s])": lambda f, s, d: f([s, s]), "f([d,s])": lambda f, s, d: f([d, s]),
        "f(s,1)": lambda f, s, d: f(s, 1), "f(s,0)": lambda f, s, d: f(s, 0), "f(s,2.0)": lambda f, s, d: f(s, 2.0),
        "f(d,d,s)": lambda f, s, d: f(d, d, s), "f(s,d,d)": lambda f, s, d: f(s, d, d),
    }
    import ferrograd
    import torch

    names = sorted(n for n in set(dir(ferrograd)) & set(dir(torch)) if not n.startswith("_") and n not in SKIPPED
                   and callable(getattr(mod, n)) and not isinstance(getattr(mod, n), type))
    if mixed_only:
        patterns = {k: v for k, v in patterns.items() if "d" in k}
    out = {}
    for name in names:
        for label, call in patterns.items():
            d, s = pair()
            out[f"fn:{name}:{label}"] = _outcome(mod, call, getattr(mod, name), s, d)
    methods = sorted(n for n in set(dir(ferrograd.Tensor)) & set(dir(torch.Tensor))
                     if not n.startswith("_") and n not in SKIPPED_METHODS)
    for name in methods:
        for label, args in (("d.m(s)", lambda s, d: (s,)), ("d.m(s,s)", lambda s, d: (s, s)),
                            ("d.m(d,s)", lambda s, d: (d, s)), ("d.m(1,s)", lambda s, d: (1, s))):
            d, s = pair()
            method = getattr(d, name, None) if name not in ("imag", "real") else None
            if callable(method):
                out[f"meth:{name}:{label}"] = _outcome(mod, method, *args(s, d))
    return out


def _numpy_calls(mod):
    out = {}
    for op in OPERATORS:
        f = getattr(operator, op)
        for dtype in ("float32", "float64", "int64"):
            for nd in (0, 2):
                for side in ("left", "right"):
                    arr = np.array(3, dtype=dtype) if nd == 0 else np.arange(1, 5, dtype=dtype).reshape(2, 2)
                    t = mod.tensor([[1, 2], [3, 4]], dtype=mod.int64 if op in INTEGER_ONLY else mod.float32)
                    operands = (t, arr) if side == "left" else (arr, t)
                    out[f"{op}/{dtype}/{nd}d/{side}"] = _outcome(mod, f, *operands)[:3]
    return out


def _run(kind, module):
    result = subprocess.run([sys.executable, __file__, kind, "--module", module], capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)


def main() -> None:
    kind = sys.argv[1]
    if "--module" in sys.argv:
        warnings.filterwarnings("ignore")
        mod = __import__(sys.argv[sys.argv.index("--module") + 1])
        calls = {"sparse": _sparse_calls, "meta": _meta_calls, "numpy": _numpy_calls}[kind]
        json.dump(calls(mod), sys.stdout)
        return
    theirs, ours = _run(kind, "torch"), _run(kind, "ferrograd")
    silent = [k for k in theirs if theirs[k][0] == "ERR" and ours.get(k, ["ERR"])[0] != "ERR"]
    different = [k for k in theirs if theirs[k][0] != "ERR" and ours.get(k, ["ERR"])[0] != "ERR"
                 and theirs[k] != ours[k]]
    refused = [k for k in theirs if theirs[k][0] != "ERR" and ours.get(k, [""])[0] == "ERR"]
    errors = [k for k in theirs if theirs[k][0] == "ERR" and ours.get(k, [""])[0] == "ERR" and theirs[k] != ours[k]]
    print(f"{len(theirs)} calls: {len(silent)} silent (PyTorch raises, ferrograd returns), {len(different)} with "
          f"another result, {len(refused)} refused by ferrograd only, {len(errors)} with another error")
    for key in silent + different + refused:
        print(f"  {key}\n    torch:     {str(theirs[key])[:160]}\n    ferrograd: {str(ours[key])[:160]}")


if __name__ == "__main__":
    main()
