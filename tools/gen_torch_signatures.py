"""Writes python/ferrograd/_torch_signatures.py: PyTorch's Python argument-parser
signatures (argument names, kinds, defaults, keyword-only) for the functions and Tensor
methods PyTorch binds in C, read from its type stubs (`torch/_C/*.pyi`) and, for
torch.linalg / torch.fft / torch.special, from its operator schemas; also for the
functions PyTorch writes in Python that hand their arguments on to a C op of the same
name, where random calls show PyTorch raising the TypeError the signatures predict.
Writes python/ferrograd/_torch_signature_names.py, the names alone, too.

Run with a Python that has torch installed (ferrograd itself never imports torch):
    python tools/gen_torch_signatures.py
"""

from __future__ import annotations

import ast
import inspect
import keyword
import math
import pathlib
import pprint
import random
import re
import warnings

import torch
import torch.nn.functional as F
import torch_listings

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "python" / "ferrograd"
OUT = PACKAGE / "_torch_signatures.py"
NAMES_OUT = PACKAGE / "_torch_signature_names.py"
STUBS = pathlib.Path(torch.__file__).parent / "_C"

# one letter per kind the parser tells apart ('a': anything, checked no further)
KINDS = {
    "Tensor": "T", "_int": "i", "SymInt": "i", "_float": "f", "Number": "n", "_complex": "n",
    "_bool": "b", "bool": "b", "int": "i", "float": "f", "str": "s", "_dtype": "d", "None": "N", "EllipsisType": "E",
    "_size": "I", "Sequence[_int | SymInt]": "I", "Sequence[_int]": "I", "Sequence[SymInt]": "I",
    "Sequence[Tensor]": "L", "tuple[Tensor, ...]": "L", "list[Tensor]": "L",
    "Sequence[Tensor | None]": "L", "tuple[Tensor | None, ...]": "L",
    "DeviceLikeType": "D", "_device": "D", "_layout": "Y", "memory_format": "M",
    "torch.memory_format": "M", "Generator": "G",
    "Sequence[int]": "I", "_symsize": "I", "tuple[_int, ...]": "I", "IntLikeType": "i",
    "torch.SymInt": "i", "torch.SymFloat": "f", "Literal[False]": "b", "Literal[True]": "b",
    "list[Tensor | None]": "L", "Sequence[float]": "F",
    "Sequence[_float]": "F", "Sequence[Number | _complex]": "F", "Sequence[Number]": "F",
}


def _split_union(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "[("
        depth -= ch in "])"
        if ch == "|" and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return parts


def _kinds(annotation: ast.expr | None) -> str:
    if annotation is None:
        return "a"
    text = ast.unparse(annotation)
    text = re.sub(r"^Optional\[(.*)\]$", r"\1 | None", text)
    out = ""
    for part in _split_union(text):
        kind = KINDS.get(part)
        if kind is None:
            return "a"  # a device, layout, generator, dimname list, ...: not checked
        out += kind
    return "".join(sorted(set(out)))


CASTS = frozenset({"bfloat16", "bool", "byte", "char", "double", "float", "half", "int", "long", "short"})


def _none_if_empty(kinds: str, default: object) -> str:
    """An int list's kinds, with None where its default is the empty list: PyTorch's
    parser signature writes that default `None` (its codegen turns `{}` into `None`), so
    it takes None there (`amax(x, None)`), but not for another default (`fft2(dim=None)`)."""
    empty = isinstance(default, (ast.Tuple, ast.List)) and not default.elts or default == []
    if "I" in kinds and empty:
        return "".join(sorted(set(kinds + "N")))
    return kinds


def _stub_signatures(path: pathlib.Path, cls: str | None) -> dict[str, list[tuple]]:
    tree = ast.parse(path.read_text())
    body = tree.body
    if cls is not None:
        body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls).body
    found: dict[str, list[tuple]] = {}
    for node in body:
        if not isinstance(node, ast.FunctionDef):
            continue
        args = node.args
        positional = args.posonlyargs + args.args
        if cls is not None:
            positional = positional[1:]  # self
        if args.vararg is not None:
            # `x.view(*size)`: the stub's varargs stands for an int list given loose
            positional = positional + [ast.arg(arg=args.vararg.arg, annotation=ast.Name("_size"))]
        first_default = len(positional) - len(args.defaults)
        params = []
        for i, a in enumerate(positional):
            default = args.defaults[i - first_default] if i >= first_default else None
            params.append((a.arg, _none_if_empty(_kinds(a.annotation), default), default is not None, False))
        for a, d in zip(args.kwonlyargs, args.kw_defaults):
            kinds = _none_if_empty(_kinds(a.annotation), d)
            if a.arg == "out" and "L" in kinds:  # the stubs' `Tensor | tuple[Tensor, ...]`: the parser takes a tuple
                kinds = kinds.replace("T", "")
            params.append((a.arg, kinds, d is not None, True))
        found.setdefault(node.name, []).append(tuple(params))
    return found


SCHEMA_KINDS = {
    "Tensor": "T", "int": "i", "SymInt": "i", "float": "f", "Scalar": "n", "complex": "n",
    "bool": "b", "str": "s", "ScalarType": "d", "int[]": "I", "SymInt[]": "I",
    "Device": "D", "Layout": "Y", "MemoryFormat": "M", "Generator": "G", "Tensor[]": "L", "Tensor?[]": "L", "float[]": "F", "Scalar[]": "F",
}


def _schema_kinds(type_text: str) -> str:
    optional = type_text.endswith("?")
    base = type_text.rstrip("?")
    sized = re.match(r"^(int|SymInt)\[\d+\]$", base)
    kind = "iI" if sized else SCHEMA_KINDS.get(base)
    if kind is None:
        return "a"
    return "".join(sorted(set(kind + ("N" if optional else ""))))


def _schema_types(schema: object) -> list[str]:
    """The argument types as the schema's text writes them (`int[1]?`, `Scalar?`,
    `ScalarType?`), which its typed view flattens (a dtype reads as an int there)."""
    text = str(schema)
    inner = text[text.index("(") + 1:text.rindex(") ->")]
    parts, depth, current = [], 0, ""
    for ch in inner:  # split at the commas outside brackets (`int[] dim=[-2, -1]`)
        depth += ch in "[("
        depth -= ch in "])"
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return [re.sub(r"\(.*?\)", "", part).split(" ")[0] for part in parts if part and part != "*"]


def _schema_signatures(op: str) -> list[tuple]:
    """PyTorch's Python signatures of an operator: its `out=` variants are one keyword
    (a tuple where they write several tensors) of the others."""
    overloads, out_kinds = [], None
    for schema in torch._C._jit_get_schemas_for_operator(op):
        outs = [a for a in schema.arguments if a.is_out]
        if outs:
            out_kinds = "NT" if len(outs) == 1 else "LN"
            continue
        params = []
        for a, type_text in zip(schema.arguments, _schema_types(schema)):
            name = "input" if a.name == "self" else a.name
            kinds = _schema_kinds(type_text)
            if a.has_default_value():
                kinds = _none_if_empty(kinds, a.default_value)
            params.append((name, kinds, a.has_default_value(), a.kwarg_only))
        overloads.append(params)
    if out_kinds is not None:
        for params in overloads:
            params.append(("out", out_kinds, True, True))
    return [tuple(p) for p in overloads]


def _binds_no_out(fn: object) -> bool:
    """Whether PyTorch's binding refuses `out=` though its operator has an out variant
    (`linalg.matrix_exp`)."""
    try:
        fn(torch.ones(2, 2), out=torch.empty(0))
    except TypeError as error:
        return "unexpected keyword argument 'out'" in str(error)
    except Exception:  # noqa: BLE001 - any other outcome: the binding took `out`
        return False
    return False


def _encode(params: tuple) -> str:
    """`name:kinds` per argument, `*` before a keyword-only one, `=` after one with a
    default, then the default as PyTorch's listing prints it where it lists it."""
    return " ".join(f"{'*' if p[3] else ''}{p[0]}:{p[1]}{'=' + (p[4] if len(p) > 4 else '') if p[2] else ''}"
                    for p in params)


# the kinds of each type PyTorch's listings name (`object`: not checked)
TYPE_KINDS = {"Tensor": "T", "Number": "n", "int": "i", "float": "f", "bool": "b", "str": "s",
              "torch.dtype": "d", "torch.device": "D", "torch.layout": "Y", "torch.memory_format": "M",
              "torch.Generator": "G", "tuple of ints": "I", "tuple of Tensors": "L", "tuple of floats": "F",
              "tuple of Scalars": "P", "torch.Storage": "R", "object": "a"}


def _type_text(kinds: str) -> str:
    from ferrograd import _parser_check as check

    return check._Param(f"x:{kinds}").type_text()


def _as_listed(name: str, torch_name: str, overloads: tuple) -> tuple[str, list[str]]:
    """The name PyTorch's messages use and the overloads encoded as PyTorch lists them (its
    order, names, keyword-only marks, types and defaults), each with the kinds of the stub
    overload most like it, then the deprecated ones (hidden: tried last, never listed),
    marked `|`."""
    fn = torch_listings.c_function(name, torch_name)
    listed = torch_listings.listing(fn) if fn is not None else None
    if not listed:
        return torch_name, [_encode(_parser_keywords(fn, o)) for o in _one_if_bound_alone(fn, overloads)]
    made, used = [], set()
    for signature in listed[1]:
        params = torch_listings.parameters(signature)
        k = _most_like(params, overloads, used)
        row = []
        for j, (pname, type_text, default, keyword_only) in enumerate(params):
            kinds = overloads[k][j][1] if k is not None else TYPE_KINDS[type_text]
            if _type_text(kinds) != type_text:
                kinds = TYPE_KINDS[type_text]
            if default == "None" and "N" not in kinds and kinds != "a":
                kinds = "".join(sorted(set(kinds + "N")))
            elif type_text == "Number" and default and default != "None":
                # the stubs' `Optional[Number] = 1` (`alpha`): the parser's Scalar refuses None
                kinds = kinds.replace("N", "")
            row.append((pname, kinds, default is not None, keyword_only, default or ""))
        if name.rpartition(".")[2].rstrip("_") in NUMBERS_AS_TENSORS:
            row = _with_numbers(row)
        made.append(_encode(row))
    if name.rpartition(".")[2].rstrip("_") not in DEPRECATED_OVERLOADS:
        return listed[0], made  # the rest are the stubs' own (`arange(start, end)` and the like)
    plain = {re.sub(r"=\S*", "=", m) for m in made}
    hidden = [_encode(o) for i, o in enumerate(overloads) if i not in used]
    return listed[0], made + ["|" + h for h in hidden if h not in plain]


def _parser_keywords(fn: object, params: tuple) -> tuple:
    """`params` with the names the parser knows: the stubs add `_` to a name that is a
    Python keyword (`from_`), which the parser may know bare (`x.uniform_(**{"from": 0})`,
    where `from_=` is an unexpected keyword) or not (`can_cast(from_=...)`)."""
    renamed = []
    for param in params:
        name = param[0]
        if fn is not None and name.endswith("_") and keyword.iskeyword(name[:-1]):
            try:
                fn(**{name: object()})
            except TypeError as error:
                if f"unexpected keyword argument '{name}'" in str(error):
                    param = (name[:-1], *param[1:])
        renamed.append(param)
    return tuple(renamed)


def _one_if_bound_alone(fn: object, overloads: tuple) -> tuple:
    """The stub overloads of a function, or the one its parser has where it is bound with
    one signature alone (the stubs add a loose-ints form, `x.hash_tensor(*dim)`, a
    positional one, `x.new_ones(size, dtype, ...)`, or split an optional argument,
    `x.size(None)`, `x.size(int)`): those taking as many positional arguments as the
    parser says, merged where they name the same parameters."""
    counts = torch_listings.positional_counts(fn) if fn is not None and len(overloads) > 1 else None
    if counts is None:
        return overloads
    fitting = [o for o in overloads if (sum(not p[2] for p in o), sum(not p[3] for p in o)) == counts]
    names = {tuple((p[0], p[3]) for p in o) for o in fitting}
    if len(names) != 1:
        return overloads
    fitting = [o for o in overloads if tuple((p[0], p[3]) for p in o) in names]
    merged = []
    for k, (pname, _, _, keyword_only) in enumerate(fitting[0]):
        kinds = "".join(dict.fromkeys("".join(o[k][1] for o in fitting)))
        merged.append((pname, kinds, any(o[k][2] for o in fitting), keyword_only))
    return (tuple(merged),)


def _most_like(params: list, overloads: tuple, used: set) -> int | None:
    """The stub overload (its index, now used) with the listed names and types, or as
    many as there are alike where each parameter has one of the two (a method's stub
    may take an `out=` its listing does not)."""
    scores = {}
    for i, o in enumerate(overloads):
        if i in used:
            continue
        if len(o) == len(params) + 1 and o[-1][0] == "out":
            o = o[:-1]
        pairs = list(zip(o, params))
        if len(o) == len(params) and all(p[0] == q[0] or _type_text(p[1]) == q[1] for p, q in pairs):
            scores[i] = sum((p[0] == q[0]) + (_type_text(p[1]) == q[1]) for p, q in pairs)
    k = max(scores, key=scores.get, default=None)
    if k is not None:
        used.add(k)
    return k


def _builtin(obj: object) -> bool:
    return type(obj).__name__ in ("builtin_function_or_method", "method_descriptor")


def _default_fits(kinds: str, value: object) -> bool:
    if value is None:
        return "N" in kinds
    if isinstance(value, bool):
        return "b" in kinds or "f" in kinds or "n" in kinds
    if isinstance(value, int):
        return bool(set(kinds) & set("ifn"))
    if isinstance(value, float):
        return "f" in kinds or "n" in kinds
    if isinstance(value, str):
        return "s" in kinds
    if isinstance(value, (tuple, list)):
        return bool(set(kinds) & set("ILF"))
    return False


def _forwarded(fn: object, overloads: list[tuple], method: bool) -> list[tuple] | None:
    """The signatures of a function PyTorch writes in Python that hands its arguments on
    to the C function of the same name: each argument the C overload names alike at the
    same place takes the C kinds, the others anything."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    if method:
        params = params[1:]
    if not params or any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        return None
    found = []
    for c_params in overloads:
        if not c_params or c_params[0][0] != params[0].name:
            continue
        made = []
        for k, p in enumerate(params):
            keyword_only = p.kind == p.KEYWORD_ONLY
            has_default = p.default is not p.empty
            kinds = "a"
            if k < len(c_params) and c_params[k][0] == p.name and c_params[k][3] == keyword_only:
                kinds = c_params[k][1]
                if has_default and p.default is None:
                    kinds = "".join(sorted(set(kinds + "N")))  # PyTorch's body fills it in
                elif has_default and not _default_fits(kinds, p.default):
                    kinds = "a"
            made.append((p.name, kinds, has_default, keyword_only))
        found.append(tuple(made))
    if found and not _refuses_a_number_first(fn, params, method):
        found = [((o[0][0], "a", o[0][2], o[0][3]), *o[1:]) for o in found]
    return found or None


def _refuses_a_number_first(fn: object, params: list, method: bool) -> bool:
    """Whether PyTorch's Python function raises TypeError for a plain object as its first
    argument (the others required given as tensors, or as ints): some touch it first
    (`F.softmax(3)` is an AttributeError there)."""
    required = [p for p in params[1:] if p.default is p.empty and p.kind != p.KEYWORD_ONLY]
    for filler in (torch.ones(2, 2), 1):
        rest = [filler] * len(required)
        try:
            if method:
                fn(torch.ones(2, 2), object(), *rest)
            else:
                fn(object(), *rest)
        except TypeError:
            return True
        except Exception:  # noqa: BLE001, S112 - any other outcome means PyTorch's body ran first
            continue
    return False


def _random_arg(rng: random.Random) -> object:
    """An argument as the differential fuzzer draws one."""
    r = rng.random()
    if r < 0.5:
        shape = tuple(rng.choice([0, 1, 2, 3]) for _ in range(rng.choice([0, 1, 1, 2, 2, 3])))
        dtype = rng.choice([torch.float32, torch.float64, torch.int64, torch.int32, torch.uint8,
                            torch.bool, torch.float16, torch.complex64])
        return (torch.randn(shape, dtype=torch.float64) * 3).to(dtype)
    if r < 0.7:
        return rng.choice([0, 1, -1, 2, 3, -7, 2**31, 2**63, 0.5, -0.0, math.nan, math.inf, True, 1j])
    if r < 0.75:
        return None
    if r < 0.85:
        return [rng.choice([0, 1, -1, 2, 3]) for _ in range(rng.choice([0, 1, 2, 3]))]
    if r < 0.88:
        return rng.choice(["sum", "mean", "none", "fro", "nuc", ""])
    if r < 0.93:
        return rng.choice([torch.float32, torch.int64, torch.bool])
    return (rng.choice([0, 1, -1, 2]), rng.choice([0, 1, -2, 3]))


def _agrees_with_pytorch(fn: object, overloads: list[tuple], method: bool, name: str) -> bool:
    """Whether the random calls the signatures refuse are mostly (nine in ten) PyTorch's
    TypeError too: a function written in Python may look at something else first
    (`F.l1_loss` asks for `target.size()`, `F.relu` tests `inplace`)."""
    from ferrograd import _parser_check as check

    # the replay run on PyTorch's own values
    check.Tensor, check.dtype_ = torch.Tensor, torch.dtype
    parsed = [tuple(check._Param(p) for p in _encode(o).split()) for o in overloads]
    rng = random.Random(name)
    names = sorted({p.name for o in parsed for p in o})
    agree = disagree = 0
    for _ in range(1000):
        args = [_random_arg(rng) for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))]
        kwargs = {rng.choice(names): _random_arg(rng)} if names and rng.random() < 0.25 else {}
        if not all(_refused(check, name, params, args, kwargs) for params in parsed):
            continue
        if _raises_type_error(fn, method, args, kwargs):
            agree += 1
        else:
            disagree += 1
    AGREEMENT[name] = (agree, disagree)
    return agree >= 9 * disagree


AGREEMENT: dict[str, tuple[int, int]] = {}
# the functions PyTorch writes in Python, which `_forwarded` reads
FORWARDED: set[str] = set()


def _raises_type_error(fn: object, method: bool, args: list, kwargs: dict) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(torch.ones(2, 3), *args, **kwargs) if method else fn(*args, **kwargs)
    except TypeError:
        return True
    except Exception:  # noqa: BLE001 - PyTorch raised something else first
        return False
    return False


def _refused(check: object, name: str, params: tuple, args: list, kwargs: dict) -> bool:
    try:
        check._bind(name, params, tuple(args), kwargs)  # type: ignore[attr-defined]
    except check._Mismatch:  # type: ignore[attr-defined]
        return True
    return False


# PyTorch takes a number for `Tensor input` / `Tensor other` in these
NUMBERS_AS_TENSORS = frozenset({
    "add", "div", "divide", "mul", "multiply", "sub", "subtract", "true_divide", "floor_divide",
})
# the deprecated overloads PyTorch's parser still takes (`x.add(2, y)`, `addmm(beta, x,
# alpha, m1, m2)`), which its stubs leave out: (function form, method form)
_PRODUCTS = {"addbmm": "batch1 batch2", "addmm": "mat1 mat2", "addmv": "mat vec", "addr": "vec1 vec2",
             "baddbmm": "batch1 batch2", "sspaddmm": "mat1 mat2"}
DEPRECATED_OVERLOADS: dict[str, tuple[list[str], list[str]]] = {
    **{name: ([f"beta:n input:T alpha:n {a}:T {b}:T *out:NT=", f"beta:n input:T {a}:T {b}:T *out:NT="],
              [f"beta:n alpha:n {a}:T {b}:T", f"beta:n {a}:T {b}:T"])
       for name, pair in _PRODUCTS.items() for a, b in [pair.split()]},
    **{name: (["input:T alpha:n other:T *out:NT="], ["alpha:n other:T"]) for name in ("add", "sub")},
    **{name: (["input:T value:n tensor1:T tensor2:T *out:NT="], ["value:n tensor1:T tensor2:T"])
       for name in ("addcdiv", "addcmul")},
}


def _decode(text: str) -> tuple:
    """`_encode`'s inverse."""
    params = []
    for part in text.split():
        name, _, kinds = part.strip("*=").partition(":")
        params.append((name, kinds, part.endswith("="), part.startswith("*")))
    return tuple(params)
# methods whose parsing is their own (`x.new(...)`, `x.to(...)`)
OWN_PARSING = frozenset({"Tensor.new", "Tensor.to"})


def _with_numbers(params: tuple) -> tuple:
    return tuple((n, "".join(sorted(set(k + "n"))) if k == "T" and n in ("input", "other") else k, *rest)
                 for n, k, *rest in params)


def _scalars_per_schema(stubs: dict[str, list]) -> dict[str, list]:
    """The stubs with a `float` parameter that the operator's schema types `Scalar` made a
    Number (`_nn.pyi` writes `elu(input, alpha: float)`; its parser takes a Number)."""
    fixed = {}
    for name, overloads in stubs.items():
        scalars = {p[0] for o in _schema_signatures("aten::" + name) for p in o if p[1] == "n"}
        fixed[name] = [tuple((p[0], "n", *p[2:]) if p[1] == "f" and p[0] in scalars else p for p in o)
                       for o in overloads]
    return fixed


def main() -> None:
    torch.manual_seed(0)  # the random calls' tensors: the same table on every run
    functions = _stub_signatures(STUBS / "_VariableFunctions.pyi", None)
    nn = _scalars_per_schema(_stub_signatures(STUBS / "_nn.pyi", None))
    methods = _stub_signatures(STUBS / "__init__.pyi", "TensorBase")
    table: dict[str, tuple[str, tuple]] = {}
    for name, overloads in sorted(functions.items()):
        # only those from the generated bindings go through the parser (`set_num_threads`
        # checks its argument itself)
        if _builtin(getattr(torch, name, None)) and hasattr(torch._C._VariableFunctions, name):
            table[name] = (name, tuple(overloads))
    for name, overloads in sorted(methods.items()):
        if not name.startswith("__") and _builtin(getattr(torch.Tensor, name, None)):
            table["Tensor." + name] = (name, tuple(overloads))
    for name in sorted(dir(F)):
        obj = getattr(F, name)
        if not _builtin(obj) or name.startswith("_"):
            continue
        overloads = nn.get(name) or functions.get(name)
        if overloads:
            table["nn.functional." + name] = (name, tuple(overloads))
    python_level = [("", torch, functions, False), ("Tensor.", torch.Tensor, methods, True),
                    ("nn.functional.", F, {**functions, **nn}, False)]
    for prefix, owner, stubs, method in python_level:
        for name in sorted(vars(owner)):
            obj = getattr(owner, name, None)
            if name.startswith("_") or prefix + name in table or not inspect.isfunction(obj):
                continue
            # `F.max_pool1d_with_indices` calls the C op of its own name where there is one
            c_name = name.removesuffix("_with_indices") if prefix == "nn.functional." and name not in stubs else name
            overloads = stubs.get(c_name) or stubs.get(name)
            forwarded = _forwarded(obj, overloads, method) if overloads else None
            if forwarded and _agrees_with_pytorch(obj, forwarded, method, c_name):
                table[prefix + name] = (c_name, tuple(forwarded))
                FORWARDED.add(prefix + name)
    # `F.max_pool2d` and the like choose at run time (`return_indices`) between their
    # `_with_indices` form and a private `_max_pool2d`, the default, which calls the C op
    nn_stubs = {**functions, **nn}
    for name in sorted(vars(F)):
        private = getattr(F, "_" + name, None)
        if "nn.functional." + name in table or name not in nn_stubs or not inspect.isfunction(private):
            continue
        forwarded = _forwarded(private, nn_stubs[name], False)
        if forwarded and _agrees_with_pytorch(getattr(F, name), forwarded, False, name):
            table["nn.functional." + name] = (name, tuple(forwarded))
            FORWARDED.add("nn.functional." + name)
    for module, prefix in ((torch.linalg, "linalg_"), (torch.fft, "fft_"), (torch.special, "special_")):
        short = module.__name__.split(".")[-1]
        for name in sorted(dir(module)):
            if name.startswith("_") or not _builtin(getattr(module, name)):
                continue
            overloads = _schema_signatures("aten::" + prefix + name)
            if overloads and _binds_no_out(getattr(module, name)):
                overloads = [tuple(p for p in o if p[0] != "out") for o in overloads]
            if overloads:
                table[f"{short}.{name}"] = (prefix + name, tuple(overloads))
    for name in list(table):
        short = name.rpartition(".")[2]
        base = short.rstrip("_")
        if name in OWN_PARSING:
            del table[name]
            continue
        if base in DEPRECATED_OVERLOADS and name.count(".") <= 1 and not name.startswith("nn."):
            function_form, method_form = DEPRECATED_OVERLOADS[base]
            extra = method_form if name.startswith("Tensor.") else function_form
            if short.endswith("_"):  # the in-place forms take no out=
                extra = [e.replace(" *out:NT=", "") for e in extra]
            torch_name, overloads = table[name]
            table[name] = (torch_name, tuple(overloads) + tuple(_decode(e) for e in extra))
        if base in NUMBERS_AS_TENSORS:
            torch_name, overloads = table[name]
            table[name] = (torch_name, tuple(_with_numbers(o) for o in overloads))
    encoded = {}
    for name, (torch_name, overloads) in table.items():
        if name in FORWARDED:
            encoded[name] = (torch_name, tuple(dict.fromkeys(_encode(o) for o in overloads)))
        else:
            listed_name, specs = _as_listed(name, torch_name, overloads)
            encoded[name] = (listed_name, tuple(dict.fromkeys(specs)))
    text = "{\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in encoded.items()) + "}"
    OUT.write_text(
        '"""PyTorch\'s Python argument-parser signatures, generated by tools/gen_torch_signatures.py\n'
        "(do not edit): qualified name -> (the name PyTorch's messages use, overloads), in the\n"
        "order PyTorch lists them, its hidden (deprecated) ones last, marked `|`; an overload\n"
        "lists its arguments as `name:kinds`, `*` before a keyword-only one and `=` after one\n"
        "with a default, then the default as PyTorch's listing prints it where it lists any.\n"
        "Kinds, one letter each:\n"
        "T Tensor, i int, f float, n Number, b bool, s str, d dtype, N None, E Ellipsis,\n"
        "I int list, L Tensor list, F float/Number list, P Number list (`tuple of Scalars`),\n"
        'D device, Y layout, M memory format, G generator, R storage, a anything (not checked)."""\n\n'
        "# fmt: off\n"
        f"SIGNATURES = {text}\n"
    )
    # a method that takes no arguments has no types to check: it is left unguarded
    guarded = sorted(name for name, (_, overloads) in table.items()
                     if not name.startswith("Tensor.") or any(overloads))
    names = pprint.pformat(guarded, width=100, compact=True)
    # PyTorch binds those as Python's no-argument methods, all but the casts (`x.float()`
    # takes a memory format its signature leaves out)
    no_arguments = sorted(name[7:] for name, (_, overloads) in table.items()
                          if name.startswith("Tensor.") and not any(overloads) and name[7:] not in CASTS)
    NAMES_OUT.write_text(
        '"""The names _torch_signatures.py holds (generated by tools/gen_torch_signatures.py; do\n'
        'not edit), less the methods that take no arguments: small, so that deciding what to\n'
        'guard does not load the signatures. NO_ARGUMENTS: the Tensor methods PyTorch binds\n'
        'as Python\'s no-argument methods."""\n\n'
        "# fmt: off\n"
        f"NAMES = frozenset({names})\n\n"
        f"NO_ARGUMENTS = frozenset({pprint.pformat(no_arguments, width=100, compact=True)})\n"
    )
    print(f"{len(table)} names -> {OUT}")
    for name, (agree, disagree) in sorted(AGREEMENT.items()):
        print(f"  {name}: {agree} refusals PyTorch's TypeError too, {disagree} not")


if __name__ == "__main__":
    main()
