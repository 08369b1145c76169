"""Bad calls derived from OpInfo sample inputs: `opinfo_diff.py --mutate`.

Each sample input of an op is mutated into calls that should fail (or that PyTorch
accepts in a surprising way) and both libraries get the same call; the outcome compared
is the exception type, or success with the same dtypes and shapes. Mutations:

- int arguments (positional or keyword): ndim, -ndim-1, 2**40, 2**63, -3, 2.5, nan, inf;
  int tuples (dims): a repeated entry and an out-of-range one;
- tensors: cast to int64, bool, complex64 (float ops), int64 tensors cast to float32
  (float indices), a 0-size and a 0-dim variant, a broadcasting-incompatible operand,
  and None, a string, a list of lists or a NumPy array in its place;
- out=: a dtype the result cannot be cast to, a wrong shape (PyTorch resizes and warns),
  an out tensor that requires grad, an input that requires grad, the input itself (or the
  first tensor argument) where it has the result's shape and dtype;
- in place: an int64 self, a leaf that requires grad, a view of such a leaf, a self
  smaller than the broadcast result.

Statuses: mut-ok (same exception type, or both succeed alike), mut-type (other
exception type), mut-none (PyTorch raises, ferrograd does not), mut-raises (ferrograd
raises only), mut-panic (a Rust panic reached Python), mut-msg (ferrograd's message is
empty), mut-dtype/shape/value/repr/kind/arity (both succeed, results differ),
mut-harness (the mutation could not be built in ferrograd).
"""

from __future__ import annotations

import math
import types
import warnings

import opinfo_diff as base

BAD_INTS = ("ndim", "-ndim-1", 2**40, 2**63, -3, 2.5, math.nan, math.inf)


# ---------------------------------------------------------------- helpers
def clone_tensor(t, torch):
    """A copy of `t`; a view into a larger storage (a partial view) stays one, over a copy
    of that storage, as ferrograd's conversion keeps it (`as_strided` reads past the view)."""
    if t.layout != torch.strided or t.numel() == 0 or t.device.type == "meta" or (
            t.storage_offset() == 0 and t.untyped_storage().nbytes() == t.numel() * t.element_size()):
        return t.clone()
    whole = t.untyped_storage().nbytes() // t.element_size()
    storage = torch.as_strided(t.detach(), (whole,), (1,), 0).clone()
    return torch.as_strided(storage, tuple(t.shape), t.stride(), t.storage_offset()).requires_grad_(t.requires_grad)


def clone_tree(value, torch):
    if isinstance(value, torch.Tensor):
        return clone_tensor(value, torch)
    if isinstance(value, list):
        return [clone_tree(v, torch) for v in value]
    if isinstance(value, tuple):
        return tuple(clone_tree(v, torch) for v in value)
    if isinstance(value, dict):
        return {k: clone_tree(v, torch) for k, v in value.items()}
    return value


def fresh(sample, lib, torch, fg):
    """A copy of the torch sample in `lib` (torch or ferrograd) that a mutation may alter."""
    if lib is torch:
        return types.SimpleNamespace(
            input=clone_tree(sample.input, torch),
            args=list(clone_tree(tuple(sample.args), torch)),
            kwargs=clone_tree(dict(sample.kwargs), torch),
        )
    s = base.to_fg_sample(sample, fg, torch, keep_strides=True)
    return types.SimpleNamespace(input=s.input, args=list(s.args), kwargs=dict(s.kwargs))


def is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_int_seq(v) -> bool:
    return isinstance(v, (list, tuple)) and len(v) > 0 and all(is_int(x) for x in v)


def get(s, loc):
    kind, key = loc
    if kind == "input":
        return s.input
    return s.args[key] if kind == "arg" else s.kwargs[key]


def put(s, loc, value):
    kind, key = loc
    if kind == "input":
        s.input = value
    elif kind == "arg":
        s.args[key] = value
    else:
        s.kwargs[key] = value


def loc_name(loc) -> str:
    kind, key = loc
    return "input" if kind == "input" else f"{kind}{key}" if kind == "arg" else str(key)


def locations(sample):
    yield ("input", None), sample.input
    for j, a in enumerate(sample.args):
        yield ("arg", j), a
    for k, v in sample.kwargs.items():
        yield ("kw", k), v


def ndim_of(sample, torch) -> int:
    x = sample.input
    if isinstance(x, torch.Tensor):
        return x.dim()
    if isinstance(x, (list, tuple)) and x and isinstance(x[0], torch.Tensor):
        return x[0].dim()
    return 0


# ---------------------------------------------------------------- mutations
def bad_int(value, ndim):
    if value == "ndim":
        return ndim
    if value == "-ndim-1":
        return -ndim - 1
    return value


def replacing(loc, make):
    """A mutation that puts make(lib, old_value) at loc and calls the op."""

    def build(lib, fn, s, meta):
        put(s, loc, make(lib, get(s, loc)))
        return lambda: fn(s.input, *s.args, **s.kwargs)

    return build


def zero_size(lib, x):
    shape = (0,) + tuple(x.shape[1:]) if x.dim() else (0,)
    return lib.zeros(shape, dtype=x.dtype)


def zero_dim(lib, x):
    return x.reshape(-1)[0].clone() if x.numel() else lib.zeros((), dtype=x.dtype)


def not_broadcastable(lib, x):
    return lib.ones(tuple(d + 1 if d != 1 else 3 for d in x.shape), dtype=x.dtype)


def tensor_mutations(loc, t, torch):
    name = loc_name(loc)
    out = []
    dt = t.dtype
    if dt.is_floating_point or dt.is_complex:
        targets = ["int64", "bool"] + ([] if dt.is_complex else ["complex64"])
    elif dt == torch.int64:
        targets = ["float32"]
    else:
        targets = ["float32"]
    for target in targets:
        out.append(
            (
                f"{name}->{target}",
                replacing(loc, lambda lib, x, _t=target: x.to(getattr(lib, _t))),
            )
        )
    out.append((f"{name}-0size", replacing(loc, zero_size)))
    if t.dim():
        out.append((f"{name}-0dim", replacing(loc, zero_dim)))
    if loc[0] != "input" and t.dim():
        out.append((f"{name}-nobcast", replacing(loc, not_broadcastable)))
    out.append((f"{name}=None", replacing(loc, lambda lib, x: None)))
    out.append((f"{name}=str", replacing(loc, lambda lib, x: "abc")))
    if t.dim() >= 1 and t.numel() <= 64:
        out.append((f"{name}=list", replacing(loc, lambda lib, x: x.tolist())))
    if not dt.is_complex and dt not in (torch.bfloat16,):
        out.append((f"{name}=ndarray", replacing(loc, lambda lib, x: x.detach().numpy())))
    return out


def int_mutations(loc, v, ndim):
    name = loc_name(loc)
    out = []
    for bad in BAD_INTS:
        label = bad if isinstance(bad, str) else repr(bad)
        out.append((f"{name}={label}", replacing(loc, lambda lib, x, _b=bad: bad_int(_b, ndim))))
    return out


def seq_mutations(loc, v, ndim):
    name = loc_name(loc)
    seq = type(v)
    return [
        (f"{name}-repeat", replacing(loc, lambda lib, x: seq(list(x) + [x[0]]))),
        (f"{name}-ndim", replacing(loc, lambda lib, x: seq(list(x[:-1]) + [ndim]))),
        (f"{name}-negsize", replacing(loc, lambda lib, x: seq(list(x[:-1]) + [-3]))),
    ]


def sample_mutations(sample, torch):
    ndim = ndim_of(sample, torch)
    muts = []
    for loc, v in locations(sample):
        if isinstance(v, torch.Tensor):
            muts += tensor_mutations(loc, v, torch)
        elif is_int(v):
            muts += int_mutations(loc, v, ndim)
        elif is_int_seq(v):
            muts += seq_mutations(loc, v, ndim)
    return muts


# ---- out= mutations
def out_call(make_out, input_grad=False):
    def build(lib, fn, s, meta):
        if input_grad:
            s.input = s.input.detach().clone().requires_grad_(True)
        out = make_out(lib, meta)
        return lambda: fn(s.input, *s.args, **s.kwargs, out=out)

    return build


def out_mutations(meta):
    dtype = meta["dtype"]
    floaty = dtype.startswith(("float", "bfloat", "complex"))
    bad = "int64" if floaty and not dtype.startswith("complex") else "float32"
    if dtype.startswith("int") or dtype == "uint8":
        bad = "bool"
    muts = [
        (
            f"out-dtype-{bad}",
            out_call(lambda lib, m, _b=bad: lib.empty(m["shape"], dtype=getattr(lib, _b))),
        ),
        (
            "out-shape",
            out_call(lambda lib, m: lib.zeros((7, 1), dtype=getattr(lib, m["dtype"]))),
        ),
    ]
    if floaty:
        muts.append(
            (
                "out-requires-grad",
                out_call(
                    lambda lib, m: lib.zeros(
                        m["shape"], dtype=getattr(lib, m["dtype"]), requires_grad=True
                    )
                ),
            )
        )
        muts.append(
            (
                "out-input-requires-grad",
                out_call(
                    lambda lib, m: lib.zeros(m["shape"], dtype=getattr(lib, m["dtype"])),
                    input_grad=True,
                ),
            )
        )
    return muts


def alias_mutations(sample, meta, torch):
    """out= the input itself (or the first tensor argument) where it has the result's
    shape and dtype: the overlap alone is what PyTorch may refuse."""
    muts = []
    others = [a for a in sample.args if isinstance(a, torch.Tensor)]
    for label, pick, value in (("out-aliases-input", lambda s: s.input, sample.input),
                               ("out-aliases-arg", lambda s: next(a for a in s.args if hasattr(a, "dtype")),
                                others[0] if others else None)):
        if (isinstance(value, torch.Tensor) and value.layout == torch.strided
                and tuple(value.shape) == meta["shape"] and str(value.dtype).split(".")[1] == meta["dtype"]):
            muts.append((label, _aliasing_call(pick)))
    return muts


def _aliasing_call(pick):
    def build(lib, fn, s, meta):
        out = pick(s)
        return lambda: fn(s.input, *s.args, **s.kwargs, out=out)

    return build


# ---- in-place mutations
def inplace_call(make_self):
    def build(lib, fn, s, meta):
        self_ = make_self(lib, s)
        return lambda: fn(self_, *s.args, **s.kwargs)

    return build


def leaf(lib, s):
    return s.input.detach().clone().requires_grad_(True)


def leaf_view(lib, s):
    return s.input.detach().clone().requires_grad_(True)[...]


def small_self(lib, s):
    return lib.ones([1] * s.input.dim(), dtype=s.input.dtype)


def inplace_mutations(sample, torch):
    x = sample.input
    muts = [("inplace-int64-self", inplace_call(lambda lib, s: s.input.to(lib.int64)))]
    if x.dtype.is_floating_point or x.dtype.is_complex:
        muts.append(("inplace-leaf", inplace_call(leaf)))
        muts.append(("inplace-leaf-view", inplace_call(leaf_view)))
    others = [a for a in sample.args if isinstance(a, torch.Tensor)]
    if others and x.dim() and x.numel() > 1 and tuple(others[0].shape) == tuple(x.shape):
        muts.append(("inplace-small-self", inplace_call(small_self)))
    return muts


# ---------------------------------------------------------------- running and comparing
def outcome(thunk, lib):
    lib.manual_seed(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return "ok", thunk(), ""
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # noqa: BLE001 - pyo3's PanicException is a BaseException
        return "raise", e, str(e)


def compare(label, t_res, f_res, torch, fg, values=True):
    (tk, tv, tmsg), (fk, fv, fmsg) = t_res, f_res
    if fk == "raise" and type(fv).__name__ == "PanicException":
        return "mut-panic", f"{fmsg[:200]}"
    if tk == "raise" and fk == "raise":
        tn, fn = type(tv).__name__, type(fv).__name__
        if tn != fn and not isinstance(fv, type(tv)):
            return "mut-type", f"torch {tn}: {tmsg[:100]} | fg {fn}: {fmsg[:140]}"
        if not fmsg.strip() and tmsg.strip():
            return "mut-msg", f"fg {fn} with an empty message; torch: {tmsg[:100]}"
        return None
    if tk == "raise":
        return "mut-none", f"torch {type(tv).__name__}: {tmsg[:160]}"
    if fk == "raise":
        return "mut-raises", f"fg {type(fv).__name__}: {fmsg[:200]}"
    if tv is NotImplemented and fv is NotImplemented:  # both reflected operators decline
        return None
    try:
        diff = base.compare_outputs(tv, fv, torch, fg, "", values=values)
    except Exception as e:  # noqa: BLE001
        return "mut-compare-error", f"{base.exc_name(e)}: {str(e)[:160]}"
    if diff:
        return f"mut-{diff[0]}", diff[1]
    return None


def run_mutation(label, build, fn_t, fn_fg, sample, meta, torch, fg, emit, key, tick):
    try:
        t_thunk = build(torch, fn_t, fresh(sample, torch, torch, fg), meta)
    except Exception:  # noqa: BLE001 - not applicable to this sample
        return
    # Tab-separated, so that the driver can skip this mutation if the child dies in it.
    where = f"{key}\t{label}\t{base.describe(sample)}"
    tick(f"{where}\tin torch")
    t_res = outcome(t_thunk, torch)
    tick(f"{where}\tin ferrograd")
    try:
        f_thunk = build(fg, fn_fg, fresh(sample, fg, torch, fg), meta)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # noqa: BLE001
        emit(key, label, "mut-harness", f"{base.exc_name(e)}: {str(e)[:160]}", sample)
        return
    f_res = outcome(f_thunk, fg)
    # with out= aliasing an input, PyTorch's values depend on the order its kernel writes in
    values = not key.startswith(base.VALUES_UNSPECIFIED) and not label.startswith("out-aliases")
    diff = compare(label, t_res, f_res, torch, fg, values)
    if diff:
        emit(key, label, diff[0], diff[1], sample)
    else:
        emit(key, label, "mut-ok", "", None)


def resolve(op, variant, fg, torch):
    """(key, torch callable, ferrograd callable) of one variant of the op, or None."""
    key = op.name + ("." + op.variant_test_name if op.variant_test_name else "")
    if variant in ("function", "out"):
        fn_fg = base.fg_counterpart(op, fg, torch)
        if fn_fg is None or (variant == "out" and not op.supports_out):
            return None
        return (key if variant == "function" else f"{key} [out=]"), op, fn_fg
    fn_t = op.inplace_variant
    if fn_t is None or getattr(fn_t, "__name__", None) is None:
        return None
    if fn_t.__name__ == "<lambda>":
        fn_fg = base.rebind(fn_t, fg, torch)
    else:
        fn_fg = getattr(fg.Tensor, fn_t.__name__, None)
    if fn_fg is None:
        return None
    return f"{key} [inplace {fn_t.__name__}]", fn_t, fn_fg


def result_meta(op, sample, torch):
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = op(clone_tree(sample.input, torch), *sample.args, **sample.kwargs)
    if not isinstance(r, torch.Tensor):
        return None
    return {"shape": tuple(r.shape), "dtype": str(r.dtype).split(".")[1]}


def check_op_mutations(op, dtypes, n_samples, fg, torch, emit, tick, skip=frozenset()):
    """All mutations of the first n_samples sample inputs of op, per dtype, but those
    `skip` names as "key|label" (they crashed or hung a child before)."""
    supported = {str(d).split(".")[1] for d in op.supported_dtypes("cpu")}
    variants = {v: resolve(op, v, fg, torch) for v in ("function", "out", "inplace")}
    for dtype_name in dtypes:
        if dtype_name not in supported:
            continue
        try:
            samples = list(op.sample_inputs("cpu", getattr(torch, dtype_name)))[:n_samples]
        except Exception:  # noqa: BLE001, S112 - PyTorch has no samples for this dtype
            continue
        for sample in samples:
            try:
                meta = result_meta(op, sample, torch)
            except Exception:  # noqa: BLE001, S112 - PyTorch refuses the sample itself
                continue
            todo = []
            if variants["function"]:
                todo += [(variants["function"], m) for m in sample_mutations(sample, torch)]
            if variants["out"] and meta:
                todo += [(variants["out"], m) for m in out_mutations(meta) + alias_mutations(sample, meta, torch)]
            if variants["inplace"] and isinstance(sample.input, torch.Tensor):
                todo += [(variants["inplace"], m) for m in inplace_mutations(sample, torch)]
            for (key, fn_t, fn_fg), (label, build) in todo:
                if f"{key.replace(' ', '')}|{label}" in skip:
                    emit(key, label, "mut-skipped", "crashed or hung before; see its crash record", sample)
                    continue
                run_mutation(label, build, fn_t, fn_fg, sample, meta, torch, fg, emit, key, tick)
