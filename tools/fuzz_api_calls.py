"""The calls of `fuzz_api.py`, made in one library (the child side).

Every target gets one battery of bad arguments; a key names the target and the call
(`Tensor:add|x.m(T:int8)`), and the order of keys is the same in both libraries, so the
driver can resume a child after the key it crashed in. Each library builds its own values:
the same numbers and shapes, in its own tensors.
"""

from __future__ import annotations

import math

import numpy as np

DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32",
          "float64", "complex64", "complex128")
BASE = [[0.5, -1.0, 2.0], [1.5, -0.25, 3.0]]
INTS = [[1, 0, 2], [3, 1, 5]]
MAX_VALUES = 64  # elements of a result written out for comparison


def values(mod):
    """label -> a thunk building the argument (fresh each call: in-place ops write them)."""

    def tensor(dtype):
        data = INTS if dtype in ("bool", "uint8", "int8", "int16", "int32", "int64") else BASE
        return lambda: mod.tensor(data).to(getattr(mod, dtype))

    out = {
        "None": lambda: None,
        "str": lambda: "abc",
        "True": lambda: True,
        "nan": lambda: math.nan,
        "inf": lambda: math.inf,
        "2**63": lambda: 2**63,
        "-2**63-1": lambda: -(2**63) - 1,
        "-3": lambda: -3,
        "[]": list,
        "()": lambda: (),
        "nested": lambda: [[1.0, 2.0], [3.0, 4.0]],
        "ragged": lambda: [[1, 2], [3]],
        "ndarray": lambda: np.array(BASE, dtype=np.float32),
        "dtype": lambda: mod.float64,
    }
    for dtype in DTYPES:
        out[f"T:{dtype}"] = tensor(dtype)
    out["T:0dim"] = lambda: mod.tensor(1.5)
    out["T:0size"] = lambda: mod.zeros(0, 3)
    out["T:noncontig"] = lambda: mod.tensor(BASE).t()
    out["T:expanded"] = lambda: mod.tensor([0.5, -1.0, 2.0]).expand(2, 3)
    out["T:int0dim"] = lambda: mod.tensor(2)
    out["T:grad"] = lambda: mod.tensor(BASE, requires_grad=True)
    return out


TENSOR_SELVES = [f"T:{d}" for d in DTYPES] + ["T:0dim", "T:0size", "T:noncontig", "T:expanded", "T:int0dim", "T:grad"]


def resolve(mod, dotted):
    obj = mod
    for part in dotted.split("."):
        obj = obj if part == "torch" else getattr(obj, part)
    return obj


def battery(target, mod):
    """(label, thunk) of every call of one target."""
    vals = values(mod)
    x = vals["T:float32"]
    kind, name = target["kind"], target["name"]
    if kind == "prop":
        for s in TENSOR_SELVES:
            yield f"{s}.p", lambda s=s: getattr(vals[s](), name)
        return
    if kind == "method":
        for s in TENSOR_SELVES:
            yield f"{s}.m()", lambda s=s: getattr(vals[s](), name)()
        for a in vals:
            yield f"x.m({a})", lambda a=a: getattr(x(), name)(vals[a]())
            yield f"x.m(x,{a})", lambda a=a: getattr(x(), name)(x(), vals[a]())
        yield "x.m(bogus=1)", lambda: getattr(x(), name)(bogus_kw=1)
        yield "x.m(x*7)", lambda: getattr(x(), name)(*[x() for _ in range(7)])
        return
    if kind == "optim":
        yield from optim_battery(resolve(mod, target["ns"] + "." + name), vals, mod)
        return
    f = resolve(mod, target["ns"] + "." + name)
    if kind == "module":
        yield from module_battery(f, target, vals, mod)
        return
    yield "f()", lambda: f()
    for a in vals:
        yield f"f({a})", lambda a=a: f(vals[a]())
        yield f"f(x,{a})", lambda a=a: f(x(), vals[a]())
        yield f"f({a},x)", lambda a=a: f(vals[a](), x())
    yield "f(x,bogus=1)", lambda: f(x(), bogus_kw=1)
    yield "f(x*7)", lambda: f(*[x() for _ in range(7)])


def module_battery(cls, target, vals, mod):
    ctor = target.get("ctor")
    for a in vals:
        yield f"C({a})", lambda a=a: cls(vals[a]())
        yield f"C(3,{a})", lambda a=a: cls(3, vals[a]())
    yield "C(bogus=1)", lambda: cls(bogus_kw=1)
    if ctor is None:
        return
    x = vals["T:float32"]

    def call(*args):
        mod.manual_seed(0)
        return cls(*ctor)(*args)

    yield "m()", lambda: call()
    for a in vals:
        yield f"m({a})", lambda a=a: call(vals[a]())
        yield f"m(x,{a})", lambda a=a: call(x(), vals[a]())


def optim_battery(cls, vals, mod):
    def param():
        p = mod.tensor(BASE, requires_grad=True)
        p.grad = mod.ones(2, 3)
        return p

    def step(**kw):
        p = param()
        cls([p], **kw).step()
        return p.detach()

    yield "O()", lambda: cls()
    yield "O([])", lambda: cls([])
    yield "O([p],bogus=1)", lambda: cls([param()], bogus_kw=1)
    yield "step(lr=0.1)", lambda: step(lr=0.1)
    for a in vals:
        yield f"O({a})", lambda a=a: cls(vals[a]())
        yield f"step(lr={a})", lambda a=a: step(lr=vals[a]())


# ---------------------------------------------------------------- outcomes
def described(value, mod, depth=0):
    """What a call gave, comparable across the two libraries (JSON)."""
    if isinstance(value, mod.Tensor):
        dtype = str(value.dtype).split(".")[-1]
        out = {"k": "T", "dt": dtype, "sh": list(value.shape)}
        if value.numel() <= MAX_VALUES and not getattr(value, "is_sparse", False):
            v = value.detach().resolve_conj() if hasattr(value, "resolve_conj") else value.detach()
            if dtype in ("float16", "bfloat16"):
                v = v.float()
            arr = np.asarray(v.numpy()).reshape(-1)
            out["v"] = ([[float(z.real), float(z.imag)] for z in arr] if arr.dtype.kind == "c"
                        else [float(z) for z in arr])
        return out
    if isinstance(value, (list, tuple)) and depth < 2:
        return {"k": "seq", "n": len(value), "items": [described(v, mod, depth + 1) for v in value[:8]]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"k": "py", "t": type(value).__name__, "v": value if not isinstance(value, str) else value[:80]}
    if isinstance(value, complex):
        return {"k": "py", "t": "complex", "v": [value.real, value.imag]}
    return {"k": "obj", "t": type(value).__name__}


def outcome(thunk, mod):
    mod.manual_seed(0)
    try:
        return {"ok": described(thunk(), mod)}
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # noqa: BLE001 - pyo3's PanicException is a BaseException
        names = [c.__name__ for c in type(e).__mro__]
        return {"err": names, "msg": str(e).split("\n")[0][:200]}
