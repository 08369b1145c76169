"""Differential fuzzer for printed text: builds the same tensors (and the objects that hold
or describe them) in PyTorch and ferrograd and compares `str()` and `repr()` exactly, after
spelling `torch.` as `ferrograd.`.

Each case draws a dtype, a shape (0-d to 5-d, zero-size dims, tensors large enough to
summarize), a mix of values that switches the formatting modes, a view (transposed,
strided, expanded), an autograd state, print options and a wrapper (container,
Parameter, named tuple of a reduction). Mismatches are grouped by family (the dtype and
the wrapper) and the first of each family is shown.

A developer tool, not a test (it needs torch):

    PYTHONPATH=python python tools/print_fuzz18.py [COUNT] [--seed N] [--show N] [-v]
"""

from __future__ import annotations

import argparse
import collections
import math
import random
import re
import warnings

import ferrograd
import numpy as np
import torch
from print_fuzz18_objects import GROUPS, evaluate

INTS = {
    "uint8": (0, 255),
    "int8": (-128, 127),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**63 - 1),
}
FLOATS = ["float16", "bfloat16", "float32", "float64"]
FLOAT8 = ["float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu"]
COMPLEX = ["complex32", "complex64", "complex128"]
DTYPES = ["bool", *INTS, *FLOATS, *FLOAT8, *COMPLEX]
GRAD_DTYPES = set(FLOATS) | {"complex64", "complex128"}

ADDRESS = re.compile(r" at 0x[0-9a-f]+")
SPECIALS = [math.nan, math.inf, -math.inf, -0.0, 0.0]
FLOAT_STYLES = ["normal", "integral", "tiny", "huge", "wide", "ratio", "const", "specials", "denormal", "all_nan",
                "boundary", "huge_int", "one_nonzero", "rounding"]
BOUNDARY = [1.0, 1000.0, 1000.5, 1e8, 1.5e8, 1e-4, 9e-5, 1e-5, 0.5, 99999.5, 65504.0, 2.0**53, 123456789.0]
DENORMAL = {"float16": 6e-8, "bfloat16": 1e-40, "float32": 1e-40, "float64": 5e-324}
VIEWS = ["contiguous", "contiguous", "transpose", "step", "expand", "flip_index", "narrow"]
AUTOGRAD = ["none", "none", "leaf", "clone", "add", "view_op", "no_grad_result"]
WRAPPERS = ["plain", "plain", "plain", "list", "tuple", "dict", "parameter", "frozen_parameter", "reduction", "meta",
            "sparse_coo", "sparse_csr", "storage", "typed_storage", "conj", "subclass", "quantized",
            "quantized_channel", "nested", "grad", "format_spec"]
FORMAT_SPECS = ["", ".2f", ".3e", "g", ">12", "d", "+.1%", "^9.1f"]
REDUCTIONS = ["max", "min", "sort", "topk", "kthvalue", "median", "mode", "aminmax", "cummax", "cummin"]


def random_shape(rng: random.Random) -> tuple[int, ...]:
    ndim = rng.choice([0, 1, 1, 2, 2, 3, 4, 5])
    if rng.random() < 0.12 and ndim:
        shape = [rng.randint(1, 4) for _ in range(ndim)]
        shape[rng.randrange(ndim)] = 0
        return tuple(shape)
    if rng.random() < 0.15 and ndim:
        budget = rng.randint(1001, 4000)
        shape = [rng.randint(2, 12) for _ in range(ndim - 1)]
        shape.insert(rng.randrange(ndim), max(1, budget // max(1, math.prod(shape))))
        return tuple(shape)
    limit = {0: 1, 1: 12, 2: 8, 3: 5, 4: 3, 5: 3}[ndim]
    return tuple(rng.randint(1, limit) for _ in range(ndim))


def float_values(rng: random.Random, g: np.random.Generator, dtype: str, n: int) -> list[float]:
    style = rng.choice(FLOAT_STYLES)
    if style == "normal":
        v = g.standard_normal(n) * 10.0 ** rng.randint(-3, 4)
    elif style == "integral":
        v = np.round(g.standard_normal(n) * 10.0 ** rng.randint(0, 7))
    elif style == "tiny":
        v = g.standard_normal(n) * 10.0 ** rng.randint(-9, -4)
    elif style == "huge":
        v = g.standard_normal(n) * 10.0 ** rng.randint(7, 12)
    elif style == "wide":
        v = g.standard_normal(n) * 10.0 ** g.integers(-8, 9, n)
    elif style == "ratio":
        v = g.choice([0.001, 0.5, 1.0, 2000.0, 3.25], n)
    elif style == "const":
        v = np.full(n, rng.choice([0.0, -0.0, 1.0, 1e-5, 1e8, 2.5, -7.0]))
    elif style == "specials":
        v = g.choice([1.5, -2.0, 3.0, *SPECIALS], n)
    elif style == "denormal":
        v = g.choice([DENORMAL.get(dtype, 1e-40), 1.0, 0.0], n)
    elif style == "all_nan":
        v = np.full(n, math.nan)
    elif style == "huge_int":
        v = np.round(g.standard_normal(n) * 10.0 ** rng.randint(8, 20))
    elif style == "one_nonzero":
        v = np.zeros(n)
        if n:
            v[rng.randrange(n)] = rng.choice([1e-9, 0.5, 7.0, 3e12, -1e-3])
    elif style == "rounding":
        v = g.choice([0.99995, 9.99995, 99999.95, 0.00049999, 1e-4 * 0.99999, 999.9999, 1e8 - 1], n)
    else:
        v = g.choice(BOUNDARY, n) * rng.choice([1.0, -1.0])
    v = np.asarray(v, dtype=np.float64)
    if n and rng.random() < 0.25:
        mask = g.random(n) < 0.2
        v[mask] = g.choice(SPECIALS, int(mask.sum()))
    return v.tolist()


def int_values(rng: random.Random, g: np.random.Generator, dtype: str, n: int) -> list[int]:
    low, high = INTS[dtype]
    if rng.random() < 0.5:
        scale = 10 ** rng.randint(0, 6)
        low, high = max(low, -scale), min(high, scale)
    picks = [rng.randint(low, high) for _ in range(n)]
    if n and rng.random() < 0.2:
        picks[rng.randrange(n)] = rng.choice([INTS[dtype][0], INTS[dtype][1]])
    return picks


def values_for(rng: random.Random, g: np.random.Generator, dtype: str, n: int) -> list:
    if dtype == "bool":
        p = rng.random()
        return [rng.random() < p for _ in range(n)]
    if dtype in INTS:
        return int_values(rng, g, dtype, n)
    if dtype in COMPLEX:
        re = float_values(rng, g, "float32", n) if rng.random() < 0.9 else [0.0] * n
        im = float_values(rng, g, "float32", n) if rng.random() < 0.8 else [0.0] * n
        return [complex(a, b) for a, b in zip(re, im, strict=True)]
    return float_values(rng, g, dtype, n)


def random_options(rng: random.Random) -> dict:
    if rng.random() < 0.55:
        return {}
    options: dict = {}
    if rng.random() < 0.25:
        options["profile"] = rng.choice(["default", "short", "full"])
    if rng.random() < 0.35:
        options["precision"] = rng.choice([0, 1, 2, 3, 5, 8, 9, 12, 17, 20])
    if rng.random() < 0.3:
        options["threshold"] = rng.choice([0, 3, 10, 10.5, 50, 200, 5000, math.inf])
    if rng.random() < 0.3:
        options["edgeitems"] = rng.choice([0, 1, 2, 3, 4, 50])
    if rng.random() < 0.3:
        options["linewidth"] = rng.choice([1, 20, 40, 60, 120, 200])
    if rng.random() < 0.35:
        options["sci_mode"] = rng.choice([True, False, None])
    return options


def draw_case(rng: random.Random, g: np.random.Generator) -> dict:
    dtype = rng.choice(DTYPES)
    view = rng.choice(VIEWS)
    shape = random_shape(rng)
    base_shape = base_shape_for(view, shape)
    autograd = rng.choice(AUTOGRAD) if dtype in GRAD_DTYPES else "none"
    wrapper = rng.choice(WRAPPERS)
    if wrapper.endswith("parameter") and dtype not in GRAD_DTYPES:
        wrapper = "plain"
    return {
        "dtype": dtype,
        "shape": shape,
        "view": view,
        "base_shape": base_shape,
        "values": values_for(rng, g, dtype, math.prod(base_shape)),
        "autograd": autograd,
        "wrapper": wrapper,
        "reduction": rng.choice(REDUCTIONS),
        "format_spec": rng.choice(FORMAT_SPECS),
        "default": rng.choice(["float32"] * 8 + ["float64", "float16", "bfloat16"]),
        "options": random_options(rng),
    }


def base_shape_for(view: str, shape: tuple[int, ...]) -> tuple[int, ...]:
    if not shape:
        return shape
    if view == "transpose":
        return tuple(reversed(shape))
    if view == "step":
        return (*shape[:-1], shape[-1] * 2)
    if view == "expand":
        return (1, *shape[1:])
    if view == "narrow":
        return (shape[0] + 2, *shape[1:])
    return shape


def build(m, case: dict):
    dtype = getattr(m, case["dtype"])
    values = case["values"]
    if case["dtype"] in COMPLEX:
        flat = m.tensor(values, dtype=m.complex128).to(dtype) if values else m.tensor([], dtype=dtype)
    elif case["dtype"] in FLOATS or case["dtype"] in FLOAT8:
        flat = m.tensor(values, dtype=m.float64).to(dtype) if values else m.tensor([], dtype=dtype)
    else:
        flat = m.tensor(values, dtype=dtype)
    base = flat.reshape(case["base_shape"])
    t = view_of(base, case)
    return with_autograd(m, t, case["autograd"])


def view_of(base, case: dict):
    shape, view = case["shape"], case["view"]
    if not shape:
        return base
    if view == "transpose":
        return base.permute(*reversed(range(len(shape))))
    if view == "step":
        return base[..., ::2]
    if view == "expand":
        return base.expand(*shape)
    if view == "narrow":
        return base.narrow(0, 1, shape[0])
    if view == "flip_index":
        return base[tuple(slice(None) for _ in shape)]
    return base


def with_autograd(m, t, autograd: str):
    if autograd == "none":
        return t
    leaf = t.detach().clone().requires_grad_()
    if autograd == "leaf":
        return leaf
    if autograd == "clone":
        return leaf.clone()
    if autograd == "add":
        return leaf + 0
    if autograd == "view_op":
        return leaf.view(leaf.shape) if leaf.is_contiguous() else leaf.expand(leaf.shape)
    with m.no_grad():
        return leaf * 1


def reduction_of(m, t, name: str):
    dim = -1
    if name in ("max", "min", "median", "mode", "kthvalue") and t.dim() == 0:
        dim = 0
    if name == "topk":
        return m.topk(t, min(2, t.shape[-1]) if t.dim() else 1)
    if name == "kthvalue":
        return m.kthvalue(t, 1, dim)
    if name == "aminmax":
        return m.aminmax(t, dim=dim)
    return getattr(m, name)(t, dim)


def wrap(m, t, case: dict):
    wrapper = case["wrapper"]
    if wrapper == "list":
        return [t, t.shape, t.dtype]
    if wrapper == "tuple":
        return (t,)
    if wrapper == "dict":
        return {"x": t, "device": t.device}
    if wrapper in ("parameter", "frozen_parameter"):
        return m.nn.Parameter(t.detach(), requires_grad=wrapper == "parameter")
    if wrapper == "reduction":
        return reduction_of(m, t, case["reduction"])
    if wrapper == "meta":
        return t.to("meta")
    if wrapper == "sparse_coo":
        return t.to_sparse()
    if wrapper == "sparse_csr":
        return t.to_sparse_csr()
    if wrapper == "storage":
        return t.untyped_storage()
    if wrapper == "conj":
        return t.conj()
    if wrapper == "typed_storage":
        return t.storage()
    if wrapper == "quantized":
        return m.quantize_per_tensor(t.float(), 0.05 * (1 + case["reduction"].__len__()), 3, m.quint8)
    if wrapper == "quantized_channel":
        scales = m.tensor([0.1 * (i + 1) for i in range(t.shape[0])]) if t.dim() else m.tensor([0.1])
        return m.quantize_per_channel(t.float(), scales, m.zeros(scales.shape, dtype=m.int64), 0, m.qint8)
    if wrapper == "nested":
        return m.nested.nested_tensor([t, t[..., : t.shape[-1] // 2]] if t.dim() else [t])
    if wrapper == "grad":
        leaf = t.detach().clone().requires_grad_()
        (leaf * leaf).sum().abs().backward()
        return leaf.grad
    if wrapper == "subclass":
        return t.as_subclass(subclass_of(m))
    if wrapper == "format_spec":
        return format(t, case["format_spec"])
    return t


def subclass_of(m):
    return type("Fuzzed", (m.Tensor,), {})


def texts_of(obj) -> str:
    """`str`, `repr` and f-string texts of `obj`, the last only where it differs from `str`."""
    text, formatted = f"{obj!s}\n--repr--\n{obj!r}", f"{obj}"
    return text if formatted == str(obj) else f"{text}\n--format--\n{formatted}"


def render(m, case: dict) -> str:
    saved_default = m.get_default_dtype()
    m.set_default_dtype(getattr(m, case["default"]))
    m.set_printoptions(**case["options"])
    try:
        text = texts_of(wrap(m, build(m, case), case))
    except Exception as e:  # noqa: BLE001 - an error is an outcome to compare
        text = f"!{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    finally:
        m.set_printoptions(profile="default")
        m.set_default_dtype(saved_default)
    return text.replace("torch.", "ferrograd.") if m is torch else text


def render_expression(m, expression: str) -> str:
    try:
        text = texts_of(evaluate(m, expression))
    except Exception as e:  # noqa: BLE001 - an error is an outcome to compare
        text = f"!{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    text = ADDRESS.sub(" at 0x?", text)
    return text.replace("torch", "ferrograd") if m is torch else text


def compare_objects(show_all: bool) -> int:
    """Compare the fixed expressions; print each mismatch and return their count."""
    mismatches = 0
    per_group = collections.Counter()
    for group, expressions in GROUPS.items():
        for expression in expressions:
            expected, got = render_expression(torch, expression), render_expression(ferrograd, expression)
            if expected != got:
                mismatches += 1
                per_group[group] += 1
                print(f"== {group}: {expression}")
                lines = (lambda t: t.splitlines()) if show_all else (lambda t: t.splitlines()[:3])
                print("  torch:", lines(expected), "\n  ours: ", lines(got))
    print("per group:", {group: f"{per_group[group]}/{len(GROUPS[group])}" for group in GROUPS})
    return mismatches


def family(case: dict, expected: str, got: str) -> str:
    wrapper = case["wrapper"] if case["wrapper"] != "reduction" else f"reduction:{case['reduction']}"
    kind = "errors" if expected.startswith("!") and got.startswith("!") else "text"
    if expected.startswith("!") != got.startswith("!"):
        kind = "only torch raises" if expected.startswith("!") else "only ferrograd raises"
    return f"{case['dtype']} / {wrapper} / {kind}"


def describe(case: dict) -> str:
    shown = {k: v for k, v in case.items() if k != "values"}
    values = case["values"]
    shown["values"] = values if len(values) <= 24 else f"{values[:24]}... ({len(values)})"
    return repr(shown)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=1)
    parser.add_argument("--dtypes", default="")
    parser.add_argument("-v", action="store_true", help="print the full texts of shown mismatches")
    parser.add_argument("--objects", action="store_true", help="compare the fixed expressions too")
    parser.add_argument("--errors", action="store_true", help="show the families where one side raises too")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.objects:
        print(f"{compare_objects(args.v)} mismatches among the fixed expressions")
    rng, g = random.Random(args.seed), np.random.default_rng(args.seed)
    only = set(filter(None, args.dtypes.split(",")))
    groups: dict[str, list] = collections.defaultdict(list)
    ran = 0
    while ran < args.count:
        case = draw_case(rng, g)
        if only and case["dtype"] not in only:
            continue
        ran += 1
        expected, got = render(torch, case), render(ferrograd, case)
        if expected != got:
            groups[family(case, expected, got)].append((case, expected, got))
    total = sum(len(v) for v in groups.values())
    print(f"{ran} cases, {total} mismatches in {len(groups)} families")
    raising = [name for name in groups if not name.endswith("/ text")]
    if not args.errors:
        print(f"({len(raising)} families where one side raises not shown; --errors shows them)")
    for name, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if name in raising and not args.errors:
            continue
        print(f"== {name}: {len(items)}")
        for case, expected, got in items[: args.show]:
            print("  case:", describe(case))
            if args.v:
                print("  torch:\n" + expected + "\n  ferrograd:\n" + got)
            else:
                print("  torch:", expected.splitlines()[:3], "\n  ours: ", got.splitlines()[:3])


if __name__ == "__main__":
    main()
