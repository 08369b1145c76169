"""Differential fuzzer of bad arguments in well-formed calls, ferrograd against PyTorch.

A developer tool, not a test: it needs torch. Where `fuzz_api.py` hands every callable one
battery of lone bad values, this one starts from a call PyTorch accepts, built from
PyTorch's parser signatures (`_torch_signatures.py`, or `inspect.signature` of a function
PyTorch writes in Python), and spoils one argument at a time with values chosen for the
argument's kind: a tensor gets strings, None, nested lists and tuples, integer, bool,
complex, float64 and float16 tensors, 0-dim, empty, non-contiguous, expanded and
mismatched ones; an int gets strings, floats, bools, complex, 2**63, dims out of range,
lists and tensors; a size list gets floats, nested lists, negative and huge sizes; `out=`
gets tensors of the wrong dtype or shape, views, a leaf that requires grad, the input
itself. Every call is also made with a wrong keyword, one and three extra positional
arguments and its first argument given twice. A Tensor method's receiver is spoiled too.

The plan (the well-formed calls, found by trying candidates in PyTorch, and their
mutations) is written first; then each library runs it in child processes under an
address-space limit, a crashed or hung child being recorded against its call and a new
one resuming after it. Per call the driver reports crash/hang, pyo3's PanicException,
`silent` (PyTorch raises, ferrograd does not), `refused` (the reverse), `type` (other
exception type) and `message` (other text once `torch` reads `ferrograd`):

    python tools/fuzz_calls18.py --dir /tmp/fuzz18 [--ns Tensor,linalg] [--names add,cat]
    python tools/fuzz_calls18.py --dir /tmp/fuzz18 --summary [--status silent] [--verbose]
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from fuzz_compare import add_arguments, compare, run_both, summary

NAMESPACES = ("torch", "Tensor", "linalg", "special", "fft", "nn.functional")
HANG_SECONDS = 20
STARTUP_SECONDS = 300
MEMORY_BYTES = 6 << 30
SKIPPED = {"manual_seed", "seed", "save", "load", "from_file", "compile", "export", "jit", "cond",
           "vmap", "while_loop", "use_deterministic_algorithms", "share_memory_", "autocast",
           "fork", "wait", "pin_memory", "initial_seed", "synchronize", "get_rng_state",
           "set_rng_state", "set_default_dtype", "set_default_tensor_type", "set_num_threads",
           "set_num_interop_threads", "set_printoptions", "set_flush_denormal", "set_warn_always",
           "set_grad_enabled", "set_default_device", "set_float32_matmul_precision",
           "set_deterministic_debug_mode", "set_anomaly_enabled", "set_autocast_enabled",
           "register_hook", "backward", "__init__", "set_autocast_dtype", "set_vital",
           "set_autocast_cache_enabled", "set_autocast_gpu_dtype", "set_autocast_cpu_dtype",
           "set_autocast_cpu_enabled", "set_autocast_ipu_enabled", "set_autocast_ipu_dtype",
           "set_autocast_xla_enabled", "set_autocast_xla_dtype"}
UNSPECIFIED = ("empty", "data_ptr", "storage", "rng_state", "new_empty", "resize", "_ptr", "set_",
               "svd", "lowrank", "rand", "normal", "bernoulli", "multinomial", "poisson", "dropout",
               "random", "exponential", "geometric", "cauchy", "log_normal", "uniform", "id")

# ---------------------------------------------------------------- values, by label
SHAPES = {"x": (2, 3), "sq": (3, 3), "v": (3,), "x4": (1, 1, 4, 4), "b3": (2, 3, 3), "xbig": (4, 5)}
GOOD = {"T": "x", "i": "i1", "f": "f0.5", "n": "n2", "b": "bF", "s": "s:", "d": "dtype:float64",
        "D": "s:cpu", "Y": "strided", "M": "contiguous_format", "G": "None", "L": "[x,x]",
        "F": "[0.5]", "I": "[1]", "E": "...", "N": "None", "a": "x"}
STRINGS = {"reduction": "mean", "norm": "ortho", "rounding_mode": "floor", "padding": "same",
           "approximate": "none", "side": "left", "indexing": "ij", "UPLO": "L", "mode": "reflect",
           "interpolation": "linear", "equation": "ij->ji", "ord": "fro", "padding_mode": "zeros",
           "reduce": "sum", "p": "fro"}
BAD = {
    "T": ["s:abc", "None", "nested", "ragged", "tuples", "f1.5", "bT", "1j", "xi", "xb", "xc", "xd",
          "xh", "x0", "x0i", "xe", "xnc", "xx", "xbig", "xgrad"],
    "i": ["s:1", "None", "f1.5", "f1.0", "bT", "1j", "2**63", "-2**63-1", "i100", "i-100", "[1]",
          "(1,1)", "t0i", "t0f", "np:i1", "xi", "nan"],
    "f": ["s:abc", "None", "1j", "[0.5]", "nan", "inf", "i-1", "t2", "t0f", "bT", "2**63"],
    "n": ["s:abc", "None", "[2]", "1j", "2**63", "nan", "t2", "bT"],
    "b": ["s:abc", "i2", "f1.5", "None", "t0b", "[True]", "1j"],
    "s": ["s:bogus", "i1", "None", "bT", "[x]"],
    "I": ["[1.5]", "[[1]]", "((1,),)", "s:ab", "[2**63]", "[-5]", "[100]", "[1,1]", "None", "f1.5",
          "[]", "t1i", "i-1", "bT", "[True]", "[None]", "xi"],
    "d": ["s:float32", "i1", "np:float32", "float", "x"],
    "L": ["x", "[]", "[x,s:abc]", "(x,None)", "[xi,x]", "[x,xbig]", "s:abc", "None", "[x0,x]"],
    "D": ["s:bogus", "i-2", "f1.5", "x"],
    "F": ["s:abc", "None", "[[1]]", "[s:abc]"],
    "G": ["s:abc", "i1", "x"],
    "Y": ["s:abc", "i1"],
    "M": ["s:abc", "i1"],
    "E": ["s:abc"],
    "a": ["s:abc", "None", "nested", "1j", "xi", "xe"],
}
OUT_BAD = ["xi", "xd", "xbig", "xnc", "xx", "x0", "xe", "s:abc", "[x]", "(x,x)", "xgrad", "alias"]
SELF_BAD = ["xi", "xb", "xc", "xd", "xh", "x0", "x0i", "xe", "xnc", "xx", "xgrad", "xbig"]


def _shaped(mod, shape, dtype):
    n = math.prod(shape)
    data = [((k * 7) % 11) / 4.0 - 1.0 + (k % 3 == 0) * 0.1 + (k == 0) * 3.0 * (len(shape) > 1) for k in range(n)]
    t = mod.tensor(data, dtype=mod.float64).reshape(shape)
    if len(shape) >= 2 and shape[-1] == shape[-2]:
        t = t + 4 * mod.eye(shape[-1], dtype=mod.float64)
    return t.to(dtype)


def make(label, mod, fam="x", first=None):
    """The value a label names, built fresh in `mod` (in-place ops write their arguments)."""
    shape = SHAPES.get(fam, (2, 3))
    simple = {"None": None, "bT": True, "bF": False, "1j": 1j, "2**63": 2**63, "-2**63-1": -(2**63) - 1,
              "nan": math.nan, "inf": math.inf, "...": Ellipsis, "[]": [], "[1.5]": [1.5], "[[1]]": [[1]],
              "((1,),)": ((1,),), "[2**63]": [2**63], "[-5]": [-5], "[100]": [100], "[1,1]": [1, 1],
              "[1]": [1], "[2]": [2], "[0.5]": [0.5], "(1,1)": (1, 1), "[True]": [True], "[None]": [None],
              "nested": [[1.0, 2.0], [3.0, 4.0]], "ragged": [[1, 2], [3]], "tuples": ((1.0, 2.0), (3.0,)),
              "float": float}
    if label in simple:
        return simple[label]
    if label.lstrip("-").isdigit():
        return int(label)
    if label.startswith("s:"):
        return label[2:]
    if label.startswith(("i", "f", "n")) and label[1:].lstrip("-").replace(".", "", 1).isdigit():
        return float(label[1:]) if label[0] == "f" else int(label[1:])
    if label.startswith("dtype:"):
        return getattr(mod, label[6:])
    if label in ("strided", "contiguous_format"):
        return getattr(mod, label)
    if label.startswith("np:"):
        import numpy as np
        return np.int64(1) if label == "np:i1" else np.float32
    if label.startswith(("[", "(")):
        items = [make(p, mod, fam, first) for p in label[1:-1].split(",")]
        return items if label[0] == "[" else tuple(items)
    if label == "alias":
        return first
    tensors = {
        "t0i": lambda: mod.tensor(1), "t0f": lambda: mod.tensor(1.5), "t0b": lambda: mod.tensor(True),
        "t1i": lambda: mod.tensor([1]), "t2": lambda: mod.tensor([1.0, 2.0]),
        "xi": lambda: _shaped(mod, shape, mod.float64).round().to(mod.int64),
        "xb": lambda: _shaped(mod, shape, mod.float64) > 0,
        "xc": lambda: _shaped(mod, shape, mod.complex64),
        "xd": lambda: _shaped(mod, shape, mod.float64),
        "xh": lambda: _shaped(mod, shape, mod.float16),
        "x0": lambda: mod.tensor(1.5), "x0i": lambda: mod.tensor(2),
        "xe": lambda: mod.zeros((0,) + tuple(shape[1:])),
        "xnc": lambda: _shaped(mod, tuple(reversed(shape)), mod.float32).permute(*reversed(range(len(shape)))),
        "xx": lambda: _shaped(mod, (1,) + tuple(shape[1:]), mod.float32).expand(*shape),
        "xbig": lambda: _shaped(mod, SHAPES["xbig"], mod.float32),
        "xgrad": lambda: _shaped(mod, shape, mod.float32).requires_grad_(),
        "idx": lambda: (_shaped(mod, shape, mod.float64) > 0).to(mod.int64),
        "mask": lambda: _shaped(mod, shape, mod.float64) > 0,
        "x": lambda: _shaped(mod, shape, mod.float32),
    }
    if label in tensors:
        return tensors[label]()
    if label in SHAPES:
        return _shaped(mod, SHAPES[label], mod.float32)
    raise KeyError(label)


# ---------------------------------------------------------------- signatures
def _params(text):
    """[(name, kinds, keyword_only, has_default)] of one overload's text."""
    out = []
    for tok in text.lstrip("|").split():
        spec, equals, _ = tok.lstrip("*").partition("=")
        name, kinds = spec.split(":")
        out.append((name, kinds, tok.startswith("*"), bool(equals)))
    return out


def _inspected(obj):
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    out = []
    for p in sig.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        d = p.default
        has = d is not inspect.Parameter.empty
        kinds = ("b" if isinstance(d, bool) else "i" if isinstance(d, int) else "f" if isinstance(d, float)
                 else "s" if isinstance(d, str) else "d" if p.name == "dtype" else "i" if p.name == "dim"
                 else "NT" if p.name in ("weight", "bias", "out") else "a" if has else "T")
        out.append((p.name, kinds, p.kind == p.KEYWORD_ONLY, has))
    return out


def overloads(ns, name, t_obj):
    from ferrograd._torch_signatures import SIGNATURES

    key = name if ns == "torch" else f"{ns}.{name}"
    entry = SIGNATURES.get(key)
    if entry is not None:
        return [_params(text) for text in entry[1]]
    found = _inspected(t_obj)
    return [found] if found is not None else []


def _good(name, kinds, fam):
    if name == "indices" and "L" in kinds:  # index_put_(indices, values): a mask, a scalar tensor
        return "[mask]"
    if name == "values" and kinds == "T" and fam == "x":
        return "t0f"
    if name in ("index", "indices") and "T" in kinds:
        return "idx"
    if name == "mask" and "T" in kinds:
        return "mask"
    if "s" in kinds and name in STRINGS:
        return "s:" + STRINGS[name]
    for k in kinds.replace("N", "") or "N":
        if k == "T":
            return fam
        if k in GOOD:
            return GOOD[k]
    return "None"


PROFILES = [("x", {}), ("x", {"i": "i0", "I": "[0]"}), ("sq", {}), ("v", {"i": "i0", "I": "[0]"}),
            ("x4", {}), ("x", {"I": "[2,3]", "i": "i2"}), ("b3", {}), ("x", {"i": "i0", "I": "[3,2]"}),
            ("x", {"T": "xi"}), ("x", {"T": "xb"}), ("x", {"T": "xc"}), ("x", {"T": "xd"})]


def baselines(ns, name, params, call):
    """The first candidate call of one overload PyTorch accepts, as (fam, args, kwargs,
    receiver): the required arguments alone, else with the first optional one too
    (`clamp_(min)`); a method's receiver is of the profile's tensor kind."""
    optional = next((p[0] for p in params if p[3] and p[0] != "out"), None)
    for with_optional, (fam, over) in itertools.product((False, True), PROFILES):
        if with_optional and optional is None:
            break
        args, kwargs = [], {}
        for pname, kinds, kw, has in params:
            if has and not (with_optional and pname == optional):
                continue
            first = next((k for k in kinds if k != "N"), "N")
            label = over.get(first) or _good(pname, kinds, fam)
            if first == "T" and over.get("T") and pname not in ("index", "indices", "mask"):
                label = over["T"]
            (kwargs.__setitem__(pname, label) if kw or has else args.append(label))
        receiver = over.get("T") if ns == "Tensor" else None
        try:
            call({"ns": ns, "name": name, "fam": fam, "args": args, "kwargs": kwargs, "self": receiver})
        except Exception:  # noqa: BLE001, S112 - try the next candidate
            continue
        return fam, args, kwargs, receiver
    return None


def mutations(params, fam, args, kwargs, method):
    """(label, args, kwargs, self) of every spoiled call of one baseline."""
    yield "base", args, kwargs, None
    pos = [p for p in params if not p[3] and not p[2]]
    for k, (pname, kinds, _, _) in enumerate(pos):
        first = next((c for c in kinds if c != "N"), "a")
        for bad in BAD.get(first, BAD["a"]):
            yield f"{pname}@{k}={bad}", args[:k] + [bad] + args[k + 1:], kwargs, None
    for pname, kinds, _, has in params:
        if not has:
            continue
        first = next((c for c in kinds if c != "N"), "a")
        bads = OUT_BAD if pname == "out" else BAD.get(first, BAD["a"])
        for bad in bads:
            yield f"{pname}=:{bad}", args, {**kwargs, pname: bad}, None
    yield "bogus_kw", args, {**kwargs, "bogus_kw": "i1"}, None
    yield "extra1", args + ["i1"], kwargs, None
    yield "extra3", args + ["x", "x", "x"], kwargs, None
    if pos and args:
        yield "dup_first", args, {**kwargs, pos[0][0]: args[0]}, None
    if method:
        for bad in SELF_BAD:
            yield f"self={bad}", args, kwargs, bad


def targets(torch, fg):
    out = []
    for ns in NAMESPACES:
        t_ns = torch.Tensor if ns == "Tensor" else _resolve(torch, ns)
        f_ns = fg.Tensor if ns == "Tensor" else _resolve(fg, ns)
        for name in sorted(set(dir(t_ns)) & set(dir(f_ns))):
            if name.startswith("_") or name in SKIPPED or name.startswith("set_") and ns != "Tensor":
                continue
            if ns == "Tensor":
                static = inspect.getattr_static(t_ns, name)
                if isinstance(static, property) or not callable(static):
                    continue
            obj = getattr(t_ns, name)
            if inspect.ismodule(obj) or isinstance(obj, type) or not callable(obj):
                continue
            out.append((ns, name, obj))
    return out


def _resolve(mod, ns):
    obj = mod
    for part in ns.split("."):
        obj = obj if part == "torch" else getattr(obj, part, None)
    return obj


def perform(spec, mod, watched=None):
    """Makes one planned call in `mod`; `watched`, where given, gets (place, tensor, its
    contents before the call) of the receiver and every tensor argument."""
    fam = spec["fam"]
    receiver = make(spec.get("self") or fam, mod, fam) if spec["ns"] == "Tensor" else None
    args = [make(a, mod, fam, receiver) for a in spec["args"]]
    first = receiver if receiver is not None else next((a for a in _flat(args) if isinstance(a, mod.Tensor)), None)
    kwargs = {k: make(v, mod, fam, first) for k, v in spec["kwargs"].items()}
    if watched is not None:
        places = [("self", receiver)] + [(f"arg{k}", a) for k, a in enumerate(args)] + list(kwargs.items())
        for place, value in places:
            for tensor in _flat([value]):
                if isinstance(tensor, mod.Tensor):
                    watched.append((place, tensor, contents(tensor)))
    if spec["ns"] == "Tensor":
        return getattr(receiver, spec["name"])(*args, **kwargs)
    return getattr(_resolve(mod, spec["ns"]), spec["name"])(*args, **kwargs)


def contents(tensor):
    """What a write would change: dtype, shape and values (NaN equal to NaN)."""
    try:
        return str(tensor.dtype), tuple(tensor.shape), repr(tensor.detach().tolist())
    except Exception:  # noqa: BLE001 - a layout without values: its shape only
        return str(tensor.dtype), tuple(tensor.shape)


def _flat(values):
    for v in values:
        yield from _flat(v) if isinstance(v, (list, tuple)) else (v,)


def plan(args):
    import warnings

    warnings.filterwarnings("ignore")
    import ferrograd as fg
    import torch

    calls, missing = [], []
    for ns, name, obj in targets(torch, fg):
        if args.names and name not in args.names.split(","):
            continue
        if args.ns and ns not in args.ns.split(","):
            continue
        found = False
        for k, params in enumerate(overloads(ns, name, obj)):
            base = baselines(ns, name, params, lambda spec: perform(spec, torch))
            if base is None:
                continue
            found = True
            fam, b_args, b_kwargs, b_self = base
            for label, m_args, m_kwargs, receiver in mutations(params, fam, b_args, b_kwargs, ns == "Tensor"):
                calls.append({"key": f"{ns}:{name}#{k}|{label}", "ns": ns, "name": name, "fam": fam,
                              "args": m_args, "kwargs": m_kwargs, "self": receiver or b_self})
        if not found:
            missing.append(f"{ns}:{name}")
    return calls, missing


# ---------------------------------------------------------------- the child
def described(value, mod):
    if isinstance(value, mod.Tensor):
        out = {"k": "T", "dt": str(value.dtype).split(".")[-1], "sh": list(value.shape)}
        if value.numel() <= 64 and value.layout == mod.strided and not value.is_complex():
            try:
                out["v"] = [float(z) for z in value.detach().double().reshape(-1).tolist()]
            except Exception:  # noqa: BLE001, S110 - quantized, meta, ...: compared without values
                pass
        return out
    if isinstance(value, (list, tuple)):
        return {"k": "seq", "n": len(value), "items": [described(v, mod) for v in value[:4]]}
    return {"k": "py", "t": type(value).__name__}


def outcome(spec, mod):
    mod.manual_seed(0)
    watched = []
    try:
        return {"ok": described(perform(spec, mod, watched), mod)}
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # noqa: BLE001 - pyo3's PanicException is a BaseException
        wrote = sorted({place for place, tensor, before in watched if contents(tensor) != before})
        return {"err": [c.__name__ for c in type(e).__mro__], "msg": str(e)[:600], "wrote": wrote}


def child(args):
    import resource
    import tempfile
    import warnings

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    warnings.filterwarnings("ignore")
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - calls that print
    mod = __import__(args.module)
    with open(os.path.join(args.dir, "plan.json")) as f:
        specs = json.load(f)
    os.chdir(tempfile.mkdtemp())
    progress = open(args.progress, "w")  # noqa: SIM115 - written until the child ends
    out = open(os.path.join(args.dir, f"{args.module}.jsonl"), "a")  # noqa: SIM115
    for i, spec in enumerate(specs[args.start:], args.start):
        progress.write(f"{i}\t{spec['key']}\n")
        progress.flush()
        out.write(json.dumps({"key": spec["key"], "r": outcome(spec, mod)}) + "\n")
        out.flush()
    progress.write("DONE\n")
    progress.flush()


def main():
    p = argparse.ArgumentParser()
    add_arguments(p, "/tmp/fuzz_calls18")
    args = p.parse_args()
    if args.child:
        child(args)
        return
    if not args.summary:
        os.makedirs(args.dir, exist_ok=True)
        specs, missing = plan(args)
        with open(os.path.join(args.dir, "plan.json"), "w") as f:
            json.dump(specs, f)
        print(f"{len(specs)} calls; no well-formed call found for {len(missing)} names", flush=True)
        run_both(__file__, args.dir, (HANG_SECONDS, STARTUP_SECONDS), numbered=False)
    summary(compare(args.dir, UNSPECIFIED), args.status, args.verbose)


if __name__ == "__main__":
    main()
